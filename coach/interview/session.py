"""The mock interview as data: the questions planned, each round's turns and scores, and the session around them."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from coach.method.check import Finding

DIMENSIONS = ("structure", "ownership", "impact", "values", "concision")
JUDGED = DIMENSIONS[:4]  # scored by the model; concision is measured
ADVICE = {  # what to practise when a dimension scores lowest and no feedback said more
    "structure": "Tell it in order: the hook, the stakes, what you did, the result.",
    "ownership": "Say \"I\" for what you did; keep \"we\" for what the team did together.",
    "impact": "End on one specific result with a number from your own material.",
    "values": "Close with one sentence that ties the story to the value the question is about.",
    "concision": "Time your answer: fit the story into the target window.",
}


@dataclass
class Planned:
    """A main question to ask: the common question it starts from, the value it probes, and prepared probes."""

    seed: str
    value: str
    themes: list[str] = field(default_factory=list)
    prepared: list[str] = field(default_factory=list)  # a story's own follow-up questions, with --story
    round: str = ""  # the interview round it was drawn for (recruiter, manager, peer, bar-raiser), or ""
    stand_in: str = ""  # why it was asked though it does not draw out the value (none that does was left), or ""


@dataclass
class Turn:
    """One question of the interviewer's and the candidate's answer."""

    kind: str  # "question" or "probe"
    asked: str
    answer: str = ""
    why: str = ""  # for a probe: what the answer had left out


@dataclass
class Round:
    """A main question with its probes and the feedback on the whole answer."""

    number: int
    planned: Planned
    turns: list[Turn] = field(default_factory=list)
    skipped: bool = False
    scores: dict[str, int] = field(default_factory=dict)
    evidence: dict[str, str] = field(default_factory=dict)
    strength: str = ""
    improvement: str = ""
    best_story: str = ""
    say_instead: str = ""
    findings: list[Finding] = field(default_factory=list)
    seconds: float = 0.0
    spoken: bool = False  # the seconds were measured from a recording (interview --voice), not estimated from words
    feedback_error: str = ""
    unverified: list[str] = field(default_factory=list)  # scores dropped: their evidence was not in the answer
    dropped: dict[str, str] = field(default_factory=dict)  # a note the guard did not pass -> the sentence and why
    unasked: list[str] = field(default_factory=list)  # probes an interviewer would have asked (scripted answers ran out)

    @property
    def answer(self) -> str:
        """Return everything the candidate said in this round."""
        return "\n\n".join(turn.answer for turn in self.turns if turn.answer)

    def as_dict(self) -> dict:
        """Return the round as plain data for JSON output."""
        return {
            "number": self.number, "value": self.planned.value, "seed": self.planned.seed, "skipped": self.skipped,
            "turns": [turn.__dict__ for turn in self.turns], "scores": self.scores, "evidence": self.evidence,
            "strength": self.strength, "improvement": self.improvement, "best_story": self.best_story,
            "say_instead": self.say_instead, "seconds": self.seconds, "spoken": self.spoken, "feedback_error": self.feedback_error,
            "unverified": self.unverified, "dropped": self.dropped, "would_probe": self.unasked,
            "findings": [f.__dict__ for f in self.findings],
        }


@dataclass
class Session:
    """A mock interview: who asked, what was asked and answered, and how it went."""

    path: Path
    started: datetime
    company: str
    role: str
    persona: str
    model: str
    window: tuple[int, int]
    wpm: int
    rounds: list[Round] = field(default_factory=list)
    status: str = "in progress"

    @property
    def interview_round(self) -> str:
        """Return the round the questions were drawn for (recruiter, manager, peer, bar-raiser), or "" for any."""
        return next((r.planned.round for r in self.rounds if r.planned.round), "")

    @property
    def scored(self) -> list[Round]:
        """Return the rounds the model scored ("N of M questions scored")."""
        return [r for r in self.rounds if any(d in r.scores for d in JUDGED)]

    @property
    def measured(self) -> list[Round]:
        """Return the rounds with any score: those the model scored, and those whose feedback failed but whose
        concision coach measured itself."""
        return [r for r in self.rounds if r.scores]

    @property
    def answered(self) -> bool:
        """Return True once the candidate has answered anything: only then is the transcript kept."""
        return any(turn.answer for r in self.rounds for turn in r.turns)

    def averages(self) -> dict[str, float]:
        """Return the mean score of each dimension over the rounds that have it: concision over every measured round,
        a failed feedback call's round included; the model's dimensions over the rounds it scored."""
        return _means([r.scores for r in self.measured], DIMENSIONS)

    def by_value(self) -> dict[str, float]:
        """Return the mean score (all dimensions) of the rounds the model scored about each value (concision alone
        says nothing of a value)."""
        totals: dict[str, list[float]] = {}
        for r in self.scored:
            totals.setdefault(r.planned.value, []).append(sum(r.scores.values()) / len(r.scores))
        return {value: round(sum(s) / len(s), 1) for value, s in totals.items()}

    def practise_next(self) -> list[str]:
        """Return the three things to practise next: the model's advice on the weakest scored answer, named by its
        question (it is one sentence on the whole answer, not on one dimension), then the weakest dimensions, each
        with the method's advice for it."""
        averages = self.averages()
        things: list[str] = []
        advised = [r for r in self.scored if r.improvement]
        if advised:
            worst = min(advised, key=lambda r: (sum(r.scores.get(d, 0) for d in JUDGED), r.number))
            things.append(f"question {worst.number} ({worst.planned.value}): {worst.improvement}")
        for dimension in sorted(averages, key=lambda d: (averages[d], DIMENSIONS.index(d))):
            if len(things) == 3:
                break
            things.append(f"{dimension} ({averages[dimension]:g}/5): {ADVICE[dimension]}")
        return things

    def summary(self) -> dict:
        """Return what the transcript's front matter keeps, and `coach sessions` reads."""
        return {
            "started": self.started.isoformat(sep=" ", timespec="minutes"), "company": self.company,
            "role": self.role, "persona": self.persona, "round": self.interview_round, "model": self.model,
            "status": self.status,
            "questions": len(self.rounds), "answered": len([r for r in self.rounds if not r.skipped and r.turns]),
            "scores": self.averages(), "values": self.by_value(),
        }

    def as_dict(self) -> dict:
        """Return the session as plain data for JSON output."""
        return {**self.summary(), "transcript": str(self.path), "window": list(self.window),
                "words_per_minute": self.wpm, "practise_next": self.practise_next() if self.measured else [],
                "rounds": [r.as_dict() for r in self.rounds]}


def _means(rows: list[dict[str, float]], keys) -> dict[str, float]:
    means = {}
    for key in keys:
        values = [row[key] for row in rows if key in row]
        if values:
            means[key] = round(sum(values) / len(values), 1)
    return means
