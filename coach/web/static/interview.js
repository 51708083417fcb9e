// The mock interview page: the address follows the interview once it starts (a reload shows it again), and the
// Record button answers out loud (the browser's microphone, uploaded with the form, transcribed by coach serve).
"use strict";
(function () {
  // Once the server put an interview on the page, its own address is the page's: a reload loses nothing.
  function follow() {
    const shown = document.querySelector("[data-interview-url]");
    if (shown && window.location.pathname !== shown.dataset.interviewUrl) {
      window.history.replaceState(null, "", shown.dataset.interviewUrl);
    }
  }
  new MutationObserver(follow).observe(document.getElementById("main"), { childList: true, subtree: true });
  follow();

  let recorder = null, chunks = [], started = 0, ticking = null;

  function label(button, text, pressed) {
    button.textContent = text;
    button.setAttribute("aria-pressed", pressed ? "true" : "false");
  }

  function showTime(form) {
    const shown = form.querySelector("[data-recording]");
    if (!shown) return;
    shown.hidden = false;
    shown.textContent = "● recording " + Math.round((Date.now() - started) / 1000) + "s";
  }

  async function record(button) {
    const form = button.closest("form");
    if (!navigator.mediaDevices || !window.MediaRecorder) {
      window.coach.say("This browser cannot record here; type your answer instead.");
      return;
    }
    let stream;
    try {
      stream = await navigator.mediaDevices.getUserMedia({ audio: true });
    } catch (error) {
      window.coach.say("The microphone could not be opened (" + error.message + "); allow it for this page, or type your answer.");
      return;
    }
    chunks = [];
    recorder = new MediaRecorder(stream);
    recorder.addEventListener("dataavailable", (e) => { if (e.data && e.data.size) chunks.push(e.data); });
    recorder.addEventListener("stop", () => {
      stream.getTracks().forEach((track) => track.stop());
      clearInterval(ticking);
      const shown = form.querySelector("[data-recording]");
      if (shown) shown.hidden = true;
      const type = recorder.mimeType || "audio/webm";
      const body = new FormData(form);
      body.set("text", "");
      body.append("audio", new Blob(chunks, { type: type }), type.indexOf("ogg") >= 0 ? "answer.ogg" : type.indexOf("mp4") >= 0 ? "answer.m4a" : "answer.webm");
      recorder = null;
      form.querySelectorAll("button").forEach((b) => { b.disabled = true; });
      window.coach.post(form.action, body, "hearing your answer").finally(() => {
        form.querySelectorAll("button").forEach((b) => { b.disabled = false; });
        label(button, "Record", false);
      });
    });
    recorder.start();
    started = Date.now();
    label(button, "Stop and send", true);
    showTime(form);
    ticking = setInterval(() => showTime(form), 500);
  }

  // Ctrl+Enter (or Cmd+Enter) in the answer sends it, as the Send button does.
  document.addEventListener("keydown", (e) => {
    if (e.key !== "Enter" || !(e.ctrlKey || e.metaKey) || !e.target.matches("#answer-text")) return;
    e.preventDefault();
    const send = e.target.form.querySelector("button[type=submit]:not([name])");
    if (send && !send.disabled) e.target.form.requestSubmit(send);
  });

  document.addEventListener("click", (e) => {
    const button = e.target.closest("[data-record]");
    if (!button) return;
    e.preventDefault();
    if (recorder && recorder.state === "recording") recorder.stop();
    else record(button);
  });
})();
