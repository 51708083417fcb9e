"""One mock interview run from the page: the machine (`coach.interview.Interview`), what the page has shown of it so
far, and the step that feeds it, one at a time.

The machine's callbacks are attributes: each request rebinds them (and the engine's progress) to its own stream, so
the interviewer's words of this step reach this request's page. What was shown is kept as items, so a reload
(`GET /interview/{id}`) draws the session again as it stands, the answer form of the machine's stage included.
"""

from __future__ import annotations

import threading
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from coach.interview import (
    COMMANDS,
    Done,
    Help,
    Hint,
    Interview,
    OutOfTurn,
    Probe,
    Question,
    Repeat,
    RoundFeedback,
    Skipped,
    Speaking,
    Stage,
    Waiting,
)
from coach.web.render import fragment
from coach.web.streams import Emit, WebProgress

QUIT = COMMANDS[3]
WAITS_FOR = {  # what the machine waits for, said to a page that asked for something else
    Stage.NEW: "to start",
    Stage.ASKED: "for your answer to the question",
    Stage.PROBED: "for your answer to the follow-up question",
    Stage.BETWEEN: "for you to go on to the next question",
    Stage.DONE: "for nothing more: it is over",
}


class Busy(Exception):
    """Another step of the same interview is running (a second tab, a double click)."""


@dataclass
class Heard:
    """An answer said out loud, as the transcriber heard it, and how long it took to say."""

    text: str
    seconds: float


@dataclass
class WebInterview:
    """A running interview of the page's: the machine, the items shown so far, and a lock so one step runs at a time."""

    id: str
    machine: Interview
    progress: WebProgress
    items: list[dict] = field(default_factory=list)
    quitting: bool = False  # /quit was sent on a probe: the next step ends the session
    stopped: str = ""  # the sentence of a failure that ended the interview
    lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    @property
    def url(self) -> str:
        """Return the page's address of this interview."""
        return f"/interview/{self.id}"

    @property
    def stand_ins(self) -> list[str]:
        """Return why questions that do not draw out their value were planned (none that does was left)."""
        from coach.interview import stand_ins

        return stand_ins(self.machine.planned)

    @contextmanager
    def step(self, emit: Emit):
        """Hold the interview for one step, its callbacks bound to this request's stream; refuse when one runs."""
        if not self.lock.acquire(blocking=False):
            raise Busy
        try:
            self.progress.emit = emit
            self.machine.on_words = lambda text: self._words(emit, text)
            self.machine.on_speaking = lambda speaking: self._speaking(emit, speaking)
            self.machine.busy = self.progress.spinning
            yield
        finally:
            self.lock.release()

    def waits_for(self) -> str:
        """Return the sentence a request made out of turn gets: what the interview waits for instead."""
        return (f"This interview is waiting {WAITS_FOR[self.machine.stage]}, so that was not done; "
                "reload the page to see where it stands.")

    # The steps, run in the stream's worker thread while `step` holds the interview

    def start(self, emit: Emit) -> None:
        """Ask the first question."""
        self._show(emit, self._run(emit, self.machine.start))

    def expect_answer(self) -> None:
        """Refuse an answer (OutOfTurn, with its sentence) unless a question or a probe waits for one."""
        if self.machine.stage not in (Stage.ASKED, Stage.PROBED):
            raise OutOfTurn(self.waits_for())

    def answer(self, emit: Emit, text: str, heard: Heard | None = None) -> None:
        """Give the machine the candidate's answer (typed, said, or a command) and show what follows."""
        self.expect_answer()
        command = text.strip().lower()
        if heard is not None:
            self._add(emit, {"kind": "you", "text": heard.text, "seconds": heard.seconds})
        elif text.strip() and not command.startswith("/"):
            self._add(emit, {"kind": "you", "text": text.strip(), "seconds": None})
        emit.html("#answer", _answer_area(self, working=True))
        seconds = heard.seconds if heard is not None else None
        event = self._run(emit, lambda: self.machine.answer(text, seconds=seconds))
        if command == QUIT and isinstance(event, RoundFeedback):
            self.quitting = True
        self._show(emit, event)

    def next(self, emit: Emit) -> None:
        """Go on after feedback or a skip: the next question, or the report."""
        if self.machine.stage is not Stage.BETWEEN:
            raise OutOfTurn(self.waits_for())
        emit.html("#answer", _answer_area(self, working=True))
        self._show(emit, self._run(emit, self.machine.next))

    def heard_nothing(self, emit: Emit, sentence: str) -> None:
        """Say that a take held no words; the question still stands."""
        self._add(emit, {"kind": "note", "text": sentence})

    # What the page shows

    def answer_area(self, starting: bool = False) -> str:
        """Return the part of the page under the conversation: for a reload, the form the machine's stage calls for,
        or, while a step runs (in another tab), a line saying so; `starting`, the line shown while it starts."""
        return _answer_area(self, working=True) if starting else _answer_area(self, elsewhere=self.lock.locked())

    def _run(self, emit: Emit, step):
        """Run a machine step; on a failure, put back the form of the stage the machine is in (or, when the failure
        ended the interview, say so where the form was), then raise it for the stream to say."""
        try:
            return step()
        except BaseException as error:
            from coach.web.streams import failure_sentence

            self._end_words()
            if self.machine.stage is Stage.DONE:
                self.stopped = failure_sentence(error)
            emit.html("#answer", _answer_area(self))
            raise

    def _show(self, emit: Emit, event) -> None:
        """Show what the machine returned, then the form for what it waits for next."""
        self._end_words()
        if isinstance(event, Question | Probe):
            self._last_said(event.text)
        elif isinstance(event, Hint):
            self._add(emit, {"kind": "note", "text": event.text, "label": "Hint"})
        elif isinstance(event, Repeat):
            self._add(emit, {"kind": "interviewer", "text": event.text, "repeat": True})
        elif isinstance(event, Help):
            self._add(emit, {"kind": "note", "text": f"{event.command} is not a command here; the buttons are "
                                                     f"{', '.join(COMMANDS)}. The question stands."})
        elif isinstance(event, Waiting):
            self._add(emit, {"kind": "note", "text": "Nothing was sent; the question stands. Write or record an answer."})
        elif isinstance(event, Skipped):
            self._add(emit, {"kind": "you", "text": "", "seconds": None, "skipped": True})
        elif isinstance(event, RoundFeedback):
            self._add(emit, {"kind": "feedback", "round": event.round, "session": event.session})
        elif isinstance(event, Done):
            self._add(emit, {"kind": "report", "session": event.session})
        emit.html("#answer", _answer_area(self))

    def _add(self, emit: Emit, item: dict) -> None:
        """Keep an item and append it to the conversation on the page."""
        self.items.append(item)
        emit.html("#turns", render_item(item), "append")

    def _speaking(self, emit: Emit, speaking: Speaking) -> None:
        """Open the interviewer's turn on the page (a question's heading first); its words stream into it."""
        self._end_words()
        if speaking.broke_off:
            how = "were cut off by its token limit" if speaking.cut_off else "broke off"
            self._add(emit, {"kind": "note", "text": f"The model's words {how}; the question it started from follows."})
        elif speaking.kind == "question":
            self._add(emit, {"kind": "heading", "number": speaking.number, "value": speaking.value})
        self._add(emit, {"kind": "interviewer", "text": "", "probe": speaking.kind == "probe", "streaming": True})

    def _words(self, emit: Emit, text: str) -> None:
        """Stream the interviewer's words to the page, and keep them for a reload."""
        for item in reversed(self.items):
            if item.get("streaming"):
                item["text"] += text
                break
        emit.words(text)

    def _last_said(self, text: str) -> None:
        """Keep what the interviewer said as the machine kept it (cleaned of a role label, say)."""
        for item in reversed(self.items):
            if item["kind"] == "interviewer":
                item["text"] = text
                return

    def _end_words(self) -> None:
        """Mark the interviewer's turn as said: no more words stream into it."""
        for item in self.items:
            item.pop("streaming", None)


def parts() -> dict:
    """Return what the interview templates need besides their data: the dimensions and a score's proof."""
    from coach.interview import DIMENSIONS, proof

    return {"dimensions": DIMENSIONS, "proof": proof}


def render_item(item: dict) -> str:
    """Return one item of the conversation as HTML."""
    return fragment("interview_item.html", it=item, **parts())


def _answer_area(run: WebInterview, working: bool = False, elsewhere: bool = False) -> str:
    """Return the answer area: the answer form, "next", the end, a failure, or a line while the machine works."""
    machine = run.machine
    remaining = len(machine.planned) - len(machine.session.rounds)
    return fragment("interview_answer.html", run=run, stage=machine.stage.name, working=working, elsewhere=elsewhere,
                    last=run.quitting or remaining <= 0, stopped=run.stopped)


def hear(services, audio: bytes, filename: str, folder: Path) -> Heard | None:
    """Transcribe an answer recorded in the browser (`spoken.answer_heard`); None when the take held no words."""
    from coach.spoken import answer_heard
    from coach.voice.audio import AUDIO_SUFFIXES

    suffix = Path(filename or "").suffix.lower()
    path = folder / f"answer{suffix if suffix in AUDIO_SUFFIXES else '.webm'}"
    path.write_bytes(audio)
    try:
        heard = answer_heard(services.hearing(), path)
    finally:
        path.unlink(missing_ok=True)
    return None if heard is None else Heard(*heard)
