"""What an interviewer probes after an answer: a follow-up the candidate prepared, then what the method's checks say
the answer left out (no "I", no number, no stakes, no link to the value), at most twice a round."""

from __future__ import annotations

from dataclasses import dataclass, field

from coach.bank.settings import BankSettings
from coach.interview.session import Round
from coach.method.check import STAKES, Finding, check_answer
from coach.method.quantities import quantities

MAX_PROBES = 2
PREPARED = "a question you prepared for"
PROBES = {  # what a finding of the method's checks makes an interviewer ask about, most telling first
    "we-heavy": "it says \"we\" more than \"I\": what did the candidate do themselves",
    "no-metric": "the result has no number: how much, how many, how fast",
    "no-stakes": "nothing says what was at stake: what would have happened if it had failed",
    "no-value": "it never shows {value}: how this reflects that value",
}


@dataclass(frozen=True)
class Gap:
    """What a probe digs into, and the prepared question it starts from (empty for a gap the checks found)."""

    why: str
    start: str = ""


@dataclass
class Prober:
    """The probes of one round, one at a time: one prepared follow-up first, then the gaps still open."""

    round: Round
    settings: BankSettings
    window: tuple[int, int]
    tries: int = 0
    asked: set[str] = field(default_factory=set)
    prepared: list[str] = field(init=False)

    def __post_init__(self):
        self.prepared = list(self.round.planned.prepared[:1])

    def next(self) -> Gap | None:
        """Return the next thing to probe, or None when nothing is left or MAX_PROBES were tried.

        A probe the driver cannot put to the candidate still counts as tried (scripted answers with no reply).
        """
        if self.tries >= MAX_PROBES:
            return None
        self.tries += 1
        gaps = [code for code in open_gaps(self.round, self.settings, self.window) if code not in self.asked]
        if self.prepared:
            return Gap(PREPARED, self.prepared.pop(0))
        if gaps:
            self.asked.add(gaps[0])
            return Gap(PROBES[gaps[0]].format(value=self.round.planned.value))
        self.tries = MAX_PROBES  # nothing left open: the round is done
        return None


def open_gaps(r: Round, settings: BankSettings, window: tuple[int, int]) -> list[str]:
    """Return what the answer still leaves out, in the order an interviewer would probe it: the main answer's gaps
    that no reply to a probe has filled since ("we" is judged on everything said)."""
    main, replies = r.turns[0].answer, [t.answer for t in r.turns[1:] if t.answer]
    found = {f.code for f in check_answer(main, settings, window, r.planned.value)}
    if replies:
        everything = "\n\n".join([main, *replies])
        found.discard("we-heavy")
        found |= {f.code for f in check_answer(everything, settings, window) if f.code == "we-heavy"}
        if any(quantities(reply) for reply in replies):
            found.discard("no-metric")
        if any(STAKES.search(reply) for reply in replies):
            found.discard("no-stakes")
        if not {f.code for f in check_answer(everything, settings, window, r.planned.value)} & {"no-value"}:
            found.discard("no-value")
    return [code for code in PROBES if code in found]


def round_findings(r: Round, settings: BankSettings, window: tuple[int, int]) -> list[Finding]:
    """Return the method's findings on the main answer that still hold after the probes (concision says its length)."""
    still_open = set(open_gaps(r, settings, window))
    return [Finding(f.code, f.severity, f.message, "answer")
            for f in check_answer(r.turns[0].answer, settings, window, r.planned.value)
            if (f.code not in PROBES or f.code in still_open) and f.code not in ("too-short", "too-long")]


def value_shown(r: Round) -> None:
    """Drop the word check's "never shows the value" from a round whose value the model scored 4 or 5 on evidence
    quoted from the answer: the finding and the probe left unasked were wrong about it."""
    if r.scores.get("values", 0) >= 4:
        unlinked = PROBES["no-value"].format(value=r.planned.value)
        r.findings = [f for f in r.findings if f.code != "no-value"]
        r.unasked = [why for why in r.unasked if why != unlinked]
