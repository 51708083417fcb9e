"""What the interview machine returns to the driver that feeds it, and what it tells it while the interviewer speaks.

Returned by `Interview.start()`, `.answer(text)` and `.next()`, with what the driver does next:

Question        a main question was asked                          -> answer(text)
Probe           a follow-up on the answer was asked                -> answer(text)
Hint            `/hint`: the story that fits; the question stands   -> answer(text)
Repeat          `/repeat`: the question again                       -> answer(text)
Help            an unknown command; the question stands             -> answer(text)
Waiting         an empty answer; the question stands                -> answer(text)
Skipped         `/skip` on a main question                          -> next()
RoundFeedback   the round was scored                                -> next()
Done            the session is over and its transcript saved (or removed: nothing was answered)

Told through the machine's `on_speaking` callback, before the interviewer's words stream through `on_words`:

Speaking        the interviewer starts a question or a probe (or, broken off or cut off, says the question itself)
"""

from __future__ import annotations

from dataclasses import dataclass

from coach.interview.session import Round, Session


@dataclass(frozen=True)
class Question:
    """The interviewer asked the main question of round `number`, about `value`."""

    number: int
    value: str
    text: str


@dataclass(frozen=True)
class Probe:
    """The interviewer asked a follow-up on the answer, digging into `why`."""

    number: int
    value: str
    text: str
    why: str


@dataclass(frozen=True)
class Hint:
    """The story of the candidate's that fits the question, and its hook."""

    text: str


@dataclass(frozen=True)
class Repeat:
    """The question the candidate is answering, said again."""

    text: str


@dataclass(frozen=True)
class Help:
    """A command the interview does not know; the ones it knows are COMMANDS."""

    command: str


@dataclass(frozen=True)
class Waiting:
    """Nothing was said; the question still stands."""

    text: str


@dataclass(frozen=True)
class Skipped:
    """The candidate skipped the main question of round `number`."""

    number: int


@dataclass(frozen=True)
class RoundFeedback:
    """The round's feedback: its scores with their evidence, notes and the method's findings (all on `round`)."""

    round: Round
    session: Session


@dataclass(frozen=True)
class Done:
    """The session is over: complete, quit, or with nothing left to ask."""

    session: Session


@dataclass(frozen=True)
class Speaking:
    """The interviewer starts to speak in round `number`: a "question" or a "probe". `broke_off` when the model's
    words stopped short and the question it was to start from follows instead; `cut_off` too when they stopped because
    they reached the token budget (finish_reason "length"), mid-sentence."""

    kind: str
    number: int
    value: str
    broke_off: bool = False
    cut_off: bool = False


Event = Question | Probe | Hint | Repeat | Help | Waiting | Skipped | RoundFeedback | Done
COMMANDS = ("/skip", "/hint", "/repeat", "/quit")
