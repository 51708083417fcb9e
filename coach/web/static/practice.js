// The practice page: a take recorded with the browser's microphone (getUserMedia + MediaRecorder) and sent to be
// heard, a stopwatch for a take without a microphone, and a live timer against the story's window for both.
"use strict";
(function () {
  const box = document.getElementById("recorder");
  if (!box) return;
  const slug = box.dataset.slug;
  const low = Number(box.dataset.low), high = Number(box.dataset.high);
  const recordButton = document.getElementById("record"), stopButton = document.getElementById("stop");
  const timer = document.getElementById("timer");
  const watchStart = document.getElementById("watch-start"), watchStop = document.getElementById("watch-stop");
  const watchTimer = document.getElementById("watch-timer");
  let recorder = null, stream = null, chunks = [], started = 0, ticking = null;

  // "38s · 7s to the window", "50s · in the window, 10s left", "64s · 4s over the window": in words, not colour alone.
  function show(into, seconds) {
    const s = Math.floor(seconds);
    let where, words;
    if (s < low) { where = "under"; words = (low - s) + "s to the window"; }
    else if (s <= high) { where = "within"; words = "in the window, " + (high - s) + "s left"; }
    else { where = "over"; words = (s - high) + "s over the window"; }
    into.textContent = s + "s · " + words;
    into.className = "timer " + where;
    into.hidden = false;
  }

  function tick(into) {
    started = Date.now();
    show(into, 0);
    ticking = setInterval(() => show(into, (Date.now() - started) / 1000), 250);
  }

  function stopTicking() {
    clearInterval(ticking);
    ticking = null;
    return (Date.now() - started) / 1000;
  }

  function refusal(error) {
    const name = error && error.name;
    if (name === "NotAllowedError" || name === "SecurityError")
      return "The microphone was not allowed; allow it for this page in the browser's site settings, or time a take with the stopwatch below.";
    if (name === "NotFoundError" || name === "OverconstrainedError")
      return "No microphone was found; plug one in and record again, or time a take with the stopwatch below.";
    if (name === "NotReadableError")
      return "The microphone is in use by another program or could not be read; close that program, or time a take with the stopwatch below.";
    return "The microphone could not be opened (" + (name || "unknown error") + "); time a take with the stopwatch below instead.";
  }

  function suffix(type) {
    if (type.includes("ogg")) return ".ogg";
    if (type.includes("mp4")) return ".m4a";
    if (type.includes("wav")) return ".wav";
    return ".webm";
  }

  async function record() {
    if (!navigator.mediaDevices || !navigator.mediaDevices.getUserMedia || !window.MediaRecorder) {
      window.coach.say("This browser cannot record from a microphone here; time a take with the stopwatch below, or run coach practice --record in a terminal.");
      return;
    }
    recordButton.disabled = true;
    try {
      stream = await navigator.mediaDevices.getUserMedia({ audio: true });
    } catch (error) {
      recordButton.disabled = false;
      window.coach.say(refusal(error));
      return;
    }
    chunks = [];
    try {
      recorder = new MediaRecorder(stream);
    } catch (error) {
      stream.getTracks().forEach((t) => t.stop());
      recordButton.disabled = false;
      window.coach.say("This browser cannot record audio here (" + error.name + "); time a take with the stopwatch below.");
      return;
    }
    recorder.addEventListener("dataavailable", (e) => { if (e.data && e.data.size) chunks.push(e.data); });
    recorder.addEventListener("stop", send);
    recorder.start(1000);
    box.classList.add("recording");
    recordButton.textContent = "Recording…";
    stopButton.disabled = false;
    stopButton.focus();
    tick(timer);
  }

  function stop() {
    if (!recorder || recorder.state === "inactive") return;
    stopTicking();
    stopButton.disabled = true;
    recorder.stop();
  }

  async function send() {
    stream.getTracks().forEach((t) => t.stop());
    box.classList.remove("recording");
    recordButton.textContent = "Record";
    const type = recorder.mimeType || "audio/webm";
    const blob = new Blob(chunks, { type: type });
    recorder = null;
    const body = new FormData();
    body.append("audio", blob, "take" + suffix(type));
    try {
      await window.coach.post("/practice/" + encodeURIComponent(slug) + "/take", body, "Hearing your take…");
    } finally {
      recordButton.disabled = false;
      timer.hidden = true;
    }
  }

  function watch() {
    watchStart.disabled = true;
    watchStop.disabled = false;
    watchStop.focus();
    tick(watchTimer);
  }

  async function watched() {
    const seconds = stopTicking();
    watchStop.disabled = true;
    const body = new FormData();
    body.append("seconds", seconds.toFixed(1));
    try {
      await window.coach.post("/practice/" + encodeURIComponent(slug) + "/timed", body, "Recording the take…");
    } finally {
      watchStart.disabled = false;
      watchTimer.hidden = true;
      watchStart.focus();
    }
  }

  recordButton.addEventListener("click", record);
  stopButton.addEventListener("click", stop);
  watchStart.addEventListener("click", watch);
  watchStop.addEventListener("click", watched);
})();
