// coach's page script: forms sent without leaving the page, and the server's streamed events applied as they come.
// No framework and no build step; the server renders every piece of HTML, this only puts it in place.
"use strict";
(function () {
  const csrf = document.querySelector('meta[name="csrf"]').content;
  const statusBox = document.getElementById("status");
  const flash = document.getElementById("flash");
  let wordsInto = null;  // the element the interviewer's streamed words go into
  let ticking = null;

  function say(sentence) {
    flash.textContent = sentence;
    flash.classList.add("shown");
    flash.scrollIntoView({ block: "nearest" });
  }

  function busy(label) {
    if (!label) {
      statusBox.hidden = true;
      clearInterval(ticking);
      ticking = null;
      return;
    }
    statusBox.querySelector(".label").textContent = label;
    if (!ticking) {
      const started = Date.now();
      statusBox.hidden = false;
      const elapsed = statusBox.querySelector(".elapsed");
      elapsed.textContent = "0s";
      ticking = setInterval(() => { elapsed.textContent = Math.round((Date.now() - started) / 1000) + "s"; }, 500);
    }
  }

  let sending = null;  // the form whose answer is coming back: what it sent is done, so it is drawn afresh

  // What a person typed in a form that a new rendering is about to replace: kept, with the form's hidden fields as
  // they were (a stale fingerprint stays stale, so a save is still refused rather than overwriting a change).
  function typed(root) {
    const kept = [];
    root.querySelectorAll("form").forEach((form) => {
      if (form === sending) return;
      const fields = Array.from(form.elements);
      const dirty = fields.filter((el) => el.id && (el.tagName === "TEXTAREA" || (el.tagName === "INPUT" && /^(text|number|search)$/.test(el.type))) && el.value !== el.defaultValue);
      if (!dirty.length) return;
      kept.push({
        dirty: dirty.map((el) => [el.id, el.value]),
        hidden: fields.filter((el) => el.type === "hidden" && el.name).map((el) => [el.name, el.value]),
        open: !!form.closest("details[open]"),
      });
    });
    return kept;
  }

  function retype(kept) {
    kept.forEach((k) => {
      const first = document.getElementById(k.dirty[0][0]);
      const form = first && first.form;
      if (!form) return;
      k.dirty.forEach(([id, value]) => { const el = document.getElementById(id); if (el) el.value = value; });
      k.hidden.forEach(([name, value]) => { const el = form.querySelector('input[type="hidden"][name="' + CSS.escape(name) + '"]'); if (el) el.value = value; });
      const details = form.closest("details");
      if (k.open && details) details.open = true;
    });
  }

  function place(event) {
    const target = document.querySelector(event.target);
    if (!target) return;
    const kept = event.mode === "append" ? [] : typed(target);
    if (event.mode === "append") target.insertAdjacentHTML("beforeend", event.html);
    else if (event.mode === "inner") target.innerHTML = event.html;
    else target.outerHTML = event.html;
    retype(kept);
    const words = document.querySelectorAll("[data-words]");
    wordsInto = words.length ? words[words.length - 1] : null;
    const focus = document.querySelector("[data-focus]");
    if (focus) { focus.removeAttribute("data-focus"); focus.focus(); }
  }

  function apply(event) {
    if ("status" in event) busy(event.status);
    else if ("event" in event) { const p = document.createElement("p"); p.className = "event"; p.textContent = event.event; flash.after(p); }
    else if ("words" in event) { if (wordsInto) wordsInto.textContent += event.words; }
    else if ("html" in event) place(event);
    else if ("error" in event) say(event.error);
    else if ("go" in event) window.location.assign(event.go);
  }

  // Send a change and apply what the server streams back; resolves when the stream ends.
  async function post(url, body, label) {
    flash.textContent = "";
    flash.classList.remove("shown");
    busy(label || "working");
    try {
      const response = await fetch(url, { method: "POST", body: body, headers: { "X-Coach-CSRF": csrf }, credentials: "same-origin" });
      const type = response.headers.get("content-type") || "";
      if (!type.startsWith("application/x-ndjson")) {
        say((await response.text()).trim() || ("The server answered " + response.status + "."));
        return false;
      }
      const reader = response.body.getReader();
      const decoder = new TextDecoder();
      let pending = "", ok = true;
      for (;;) {
        const { value, done } = await reader.read();
        if (value) pending += decoder.decode(value, { stream: true });
        let at;
        while ((at = pending.indexOf("\n")) >= 0) {
          const line = pending.slice(0, at);
          pending = pending.slice(at + 1);
          if (line.trim()) { const event = JSON.parse(line); if ("error" in event) ok = false; apply(event); }
        }
        if (done) break;
      }
      return ok;
    } catch (error) {
      say("The page lost its connection to coach serve (" + error.message + "); check that it still runs in its terminal, then reload.");
      return false;
    } finally {
      busy(null);
    }
  }

  document.addEventListener("submit", async (e) => {
    const form = e.target;
    if (!form.matches("form[data-stream]")) return;
    e.preventDefault();
    const buttons = form.querySelectorAll("button, input[type=submit]");
    buttons.forEach((b) => { b.disabled = true; });
    const body = new FormData(form);
    sending = form;
    if (e.submitter && e.submitter.name) body.append(e.submitter.name, e.submitter.value);
    try {
      // the attribute, not form.action: a field named "action" would shadow it; a button may post elsewhere
      const to = (e.submitter && e.submitter.getAttribute("formaction")) || form.getAttribute("action") || window.location.pathname;
      await post(to, body, form.dataset.stream);
    } finally {
      sending = null;
      buttons.forEach((b) => { b.disabled = false; });
    }
  });

  const first = document.querySelector("[data-focus]");  // a reloaded page puts the cursor where work goes on
  if (first) { first.removeAttribute("data-focus"); first.focus(); }

  window.coach = { post: post, apply: apply, say: say, busy: busy };
})();
