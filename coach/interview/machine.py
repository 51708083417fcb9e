"""The mock interview as a state machine that never reads input and never prints (sans-I/O, as h11 is for HTTP).

A driver (the terminal, an answers file, a web page, a voice recorder) feeds it and shows what it returns:

    interview = Interview(bank, engine, planned, on_words=show)
    event = interview.start()                        # Question
    while not isinstance(event, Done):
        if isinstance(event, Skipped | RoundFeedback):
            event = interview.next()                 # Question | Done
        else:
            event = interview.answer(read())         # Probe | RoundFeedback | Skipped | Hint | ... | Done

The machine calls the model itself: the interviewer's words stream through `on_words` (from a worker thread) as
they arrive, after `on_speaking` says who starts; `busy` wraps the wait for feedback. Every turn is saved at once
to the transcript, so a failure, `/quit` or Ctrl-C (`interrupted()`) loses nothing.
"""

from __future__ import annotations

from collections.abc import Callable
from contextlib import AbstractContextManager, nullcontext
from datetime import datetime
from enum import Enum
from typing import TYPE_CHECKING

from coach.errors import Interrupted, LLMError
from coach.interview import transcripts
from coach.interview.events import (
    COMMANDS,
    Done,
    Event,
    Help,
    Hint,
    Probe,
    Question,
    Repeat,
    RoundFeedback,
    Skipped,
    Speaking,
    Waiting,
)
from coach.interview.feedback import FeedbackTask, apply_feedback, concision, figures, first_reason
from coach.interview.interviewer import (
    InterviewerTurn,
    check_persona,
    clean,
    fallback,
    interviewer_variables,
    previous_answer,
)
from coach.interview.planning import hint
from coach.interview.probing import Prober, round_findings, value_shown
from coach.interview.session import Planned, Round, Session, Turn
from coach.llm.jobs import Cancelled, JobsInterrupted
from coach.method.text import spoken_seconds

if TYPE_CHECKING:
    from coach.bank.folder import Bank
    from coach.llm.engine import Engine

SKIP, HINT, REPEAT, QUIT = COMMANDS


class Stage(Enum):
    """Where the interview stands: what the driver may call next."""

    NEW = "start()"
    ASKED = "answer() to the question"
    PROBED = "answer() to the probe"
    BETWEEN = "next()"
    DONE = "nothing: the interview is over"


class OutOfTurn(Exception):
    """A driver called the machine out of turn: answer() before start(), next() while a question waits, ..."""


class Interview:
    """One mock interview: asks, takes answers, probes, scores, and saves the transcript after every turn."""

    def __init__(self, bank: Bank, engine: Engine, planned: list[Planned], *, persona: str = "neutral",
                 now: Callable[[], datetime] = datetime.now, on_words: Callable[[str], None] | None = None,
                 on_speaking: Callable[[Speaking], None] | None = None,
                 busy: Callable[[str], AbstractContextManager] | None = None):
        check_persona(persona)
        self.bank, self.engine, self.planned = bank, engine, list(planned)
        self.settings = bank.settings()
        self.stories = [(path.stem, story) for path, story in bank.stories()]
        started = now()
        self.session = Session(transcripts.new_session_path(bank, started), started, self.settings.company,
                               self.settings.role, persona, engine.settings.model, self.settings.target_seconds,
                               self.settings.words_per_minute)
        self.on_words = on_words or (lambda text: None)
        self.on_speaking = on_speaking or (lambda speaking: None)
        self.busy = busy or (lambda label: nullcontext())
        self.stage = Stage.NEW
        self._next = 0  # the index in `planned` of the next main question
        self._asked = ""  # the question the candidate is answering
        self._why = ""  # for a probe: what it digs into
        self._prober: Prober | None = None
        self._quitting = False

    # What a driver calls

    def start(self) -> Question | Done:
        """Ask the first question."""
        self._expect(Stage.NEW)
        return self._guard(self._ask_next)

    def answer(self, text: str, *, can_probe: bool = True, seconds: float | None = None) -> Event:
        """Take the candidate's answer (or a command: /skip, /hint, /repeat, /quit) and return what follows.

        `can_probe` False when the driver has no reply to a probe (a file of written answers holds none next): the
        probe is then noted on the round as one an interviewer would ask, not asked. `seconds`: how long the answer
        took to say, measured (a recorded answer); None estimates it from its words at the bank's rate.
        """
        self._expect(Stage.ASKED, Stage.PROBED)
        return self._guard(lambda: self._take(text.strip(), can_probe, seconds))

    def next(self) -> Question | Done:
        """After feedback or a skip: ask the next question, or end the session."""
        self._expect(Stage.BETWEEN)
        if self._quitting:
            return self._guard(lambda: self._finish("quit"))
        return self._guard(self._ask_next)

    def interrupted(self) -> Interrupted:
        """End the session on Ctrl-C that came while the driver waited (for input, say); return the error to raise,
        which says what was kept."""
        self.stage = Stage.DONE
        self.session.status = "interrupted"
        return Interrupted(f"interrupted; {transcripts.keep(self.session)}")

    def next_prompt(self) -> list[dict[str, str]] | None:
        """Return the messages the interviewer's next main question will be asked with, making no call
        (`--show-prompt`): before start() and between rounds; None when no question is next."""
        if self.stage not in (Stage.NEW, Stage.BETWEEN) or self._quitting or self._next >= len(self.planned):
            return None
        planned = self.planned[self._next]
        return InterviewerTurn(self._variables("ask", planned, self.session.rounds, seed=planned.seed)).messages(self.engine.prompts)

    # The steps

    def _ask_next(self) -> Question | Done:
        if self._next >= len(self.planned):
            return self._finish("complete")
        r = Round(self._next + 1, self.planned[self._next])
        self._next += 1
        self.session.rounds.append(r)
        self._asked = self._say("question", r, self._variables("ask", r.planned, self.session.rounds[:-1],
                                                               seed=r.planned.seed))
        self.stage = Stage.ASKED
        return Question(r.number, r.planned.value, self._asked)

    def _take(self, text: str, can_probe: bool, seconds: float | None = None) -> Event:
        command = text.lower()
        if command == HINT:
            return Hint(hint(self.bank, self._round.planned))
        if command == REPEAT:
            return Repeat(self._asked)
        if command in (SKIP, QUIT):
            return self._skip() if command == SKIP else self._quit()
        if command.startswith("/"):
            return Help(text)
        if not text:
            return Waiting(self._asked)
        r = self._round
        if self.stage is Stage.ASKED:
            r.turns.append(Turn("question", self._asked, text))
            r.seconds = spoken_seconds(text, self.session.wpm) if seconds is None else round(seconds, 1)
            r.spoken = seconds is not None
            self._prober = Prober(r, self.settings, self.session.window)
        else:
            r.turns.append(Turn("probe", self._asked, text, self._why))
        transcripts.save(self.session)
        return self._probe_or_score(can_probe)

    def _skip(self) -> Skipped | RoundFeedback:
        if self.stage is Stage.PROBED:  # the probe is skipped, not the question: the answer is scored
            return self._score()
        r = self._round
        r.skipped = True
        r.turns.append(Turn("question", self._asked))
        transcripts.save(self.session)
        self.stage = Stage.BETWEEN
        return Skipped(r.number)

    def _quit(self) -> Done | RoundFeedback:
        if self.stage is Stage.PROBED:  # the answer so far is scored first; next() ends the session
            self._quitting = True
            return self._score()
        self.session.rounds.pop()  # a question not answered is not part of the session
        return self._finish("quit")

    def _probe_or_score(self, can_probe: bool) -> Probe | RoundFeedback:
        r = self._round
        for gap in iter(self._prober.next, None):
            if not can_probe:
                r.unasked.append(gap.start or gap.why)
                continue
            last = r.turns[-1]
            self._asked = self._say("probe", r, self._variables("probe", r.planned, self.session.rounds[:-1],
                                                                gap=gap.why, prepared=gap.start,
                                                                question=last.asked, answer=last.answer))
            self._why = gap.why
            self.stage = Stage.PROBED
            return Probe(r.number, r.planned.value, self._asked, gap.why)
        return self._score()

    def _score(self) -> RoundFeedback:
        """Ask the model for feedback on the round; a bad answer is noted on the round, a dead endpoint raised."""
        from coach.jobs.runner import ask
        from coach.llm.engine import EndpointDown

        r = self._round
        r.findings = round_findings(r, self.settings, self.session.window)
        try:
            with self.busy("scoring your answer"):
                answer = ask(self.engine, FeedbackTask(self.session, r, self.stories, self.settings))
        except EndpointDown:
            raise
        except LLMError as error:  # one bad feedback answer does not end the interview
            r.feedback_error = first_reason(error)
        else:
            apply_feedback(r, answer.value, dict(self.stories), self.settings, figures(r, self.session))
            value_shown(r)
        r.scores["concision"] = concision(r.seconds, self.session.window)
        transcripts.save(self.session)
        self.stage = Stage.BETWEEN
        return RoundFeedback(r, self.session)

    def _finish(self, status: str) -> Done:
        self.session.status = status
        self.stage = Stage.DONE
        transcripts.keep(self.session)
        return Done(self.session)

    # The interviewer's words

    def _variables(self, kind: str, planned: Planned, before: list[Round], **extra: str) -> dict:
        return interviewer_variables(self.session, self.settings, planned, kind, previous_answer(before), **extra)

    def _say(self, kind: str, r: Round, variables: dict) -> str:
        """Stream the interviewer's words; fall back on the question itself when the model says nothing usable, or
        its words broke off or were cut off by the token budget (said so through on_speaking)."""
        from coach.jobs.runner import stream
        from coach.llm.streaming import BrokenStream, StreamCutOff

        self.on_speaking(Speaking(kind, r.number, r.planned.value))
        try:
            said = stream(self.engine, InterviewerTurn(variables), self.on_words)
        except BrokenStream as error:
            if error.text.strip():
                self.on_speaking(Speaking(kind, r.number, r.planned.value, broke_off=True,
                                          cut_off=isinstance(error, StreamCutOff)))
            said = ""
        said = clean(said)
        if not said:
            said = fallback(variables)
            self.on_words(said)
        return said

    # Keeping order

    @property
    def _round(self) -> Round:
        return self.session.rounds[-1]

    def _expect(self, *stages: Stage) -> None:
        if self.stage not in stages:
            raise OutOfTurn(f"the interview expects {self.stage.value}")

    def _guard(self, step: Callable[[], Event]) -> Event:
        """Run a step; on Ctrl-C or a failed endpoint, end the session with what was kept, and say so."""
        try:
            return step()
        except (JobsInterrupted, KeyboardInterrupt, Interrupted, Cancelled):
            raise self.interrupted() from None
        except LLMError as error:
            self.stage = Stage.DONE
            self.session.status = "stopped: the model endpoint failed"
            kept = transcripts.keep(self.session)
            try:
                failure = type(error)(f"{error}; {kept}")
            except TypeError:  # an error that takes more than a message
                failure = LLMError(f"{error}; {kept}")
            raise failure from None
