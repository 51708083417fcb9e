"""Progress over time, as plain data: each story's takes against its window, and the mock interviews' scores.

What the progress page charts (and what any other front end could): gathered in one pass over the bank's stories
and its saved transcripts, with every file that could not be read named, never a stop at the first bad one.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from datetime import datetime

from coach.bank.folder import Bank
from coach.bank.models import PracticeTake
from coach.interview.session import DIMENSIONS
from coach.interview.transcripts import past_sessions
from coach.method.text import fit


@dataclass(frozen=True)
class Take:
    """One take of a story: when, how long, whether coach heard it (with its pace, fillers and share of the script
    said) or only timed it, and where it fell against the window (`under`, `within`, `over`)."""

    number: int
    at: datetime
    seconds: float
    heard: bool
    fit: str
    words: int | None = None
    wpm: int | None = None
    fillers: int | None = None
    coverage: int | None = None


@dataclass
class StoryTakes:
    """A story's takes in the order they were recorded, with its target window."""

    slug: str
    title: str
    window: tuple[int, int]
    takes: list[Take]
    practisable: bool  # it has a refined version, so a take can be recorded

    @property
    def heard(self) -> list[Take]:
        """Return the takes coach heard (those with a pace, fillers and coverage)."""
        return [take for take in self.takes if take.heard]

    @property
    def within(self) -> int:
        """Return how many takes fell inside the window."""
        return sum(1 for take in self.takes if take.fit == "within")

    @property
    def latest(self) -> Take | None:
        """Return the last take recorded, or None."""
        return self.takes[-1] if self.takes else None


@dataclass(frozen=True)
class SessionScores:
    """One saved mock interview: when it started, who interviewed, how it ended, the mean score per dimension."""

    number: int
    file: str
    started: str
    persona: str
    status: str
    questions: int
    answered: int
    scores: dict[str, float]


@dataclass
class BankProgress:
    """Everything the progress page charts, and the files it had to leave out (one sentence each)."""

    stories: list[StoryTakes]
    sessions: list[SessionScores]
    skipped: list[str] = field(default_factory=list)
    words_per_minute: int = 150


def story_takes(slug: str, story, settings) -> StoryTakes:
    """Return one story's takes, numbered from 1, against its window."""
    window = story.window(settings)
    takes = [_take(number, take, window) for number, take in enumerate(story.practice, 1)]
    return StoryTakes(slug, story.title, window, takes, bool(story.refined.strip()))


def _take(number: int, take: PracticeTake, window: tuple[int, int]) -> Take:
    """Return one practice-log take as the page charts it, placed against the window."""
    return Take(number, take.at, take.seconds, take.heard, fit(take.seconds, window), take.words, take.wpm,
                take.fillers, take.coverage)


def session_scores(number: int, row: dict) -> SessionScores:
    """Return one transcript's summary as scores per dimension; a field left out or mangled by hand reads as empty."""
    scores = row.get("scores") or {}
    kept = {d: float(scores[d]) for d in DIMENSIONS if d in scores and math.isfinite(scores[d])}
    status = str(row.get("status") or "").split(":")[0] or "unknown"
    return SessionScores(number, str(row.get("file", "")), _started(row.get("started")),
                         str(row.get("persona") or ""), status, _count(row.get("questions")),
                         _count(row.get("answered")), kept)


def _started(value) -> str:
    """Return when a session started as written (YAML may have read it as a date and time)."""
    if isinstance(value, datetime):
        return value.strftime("%Y-%m-%d %H:%M")
    return "" if value is None else str(value)


def _count(value) -> int:
    """Return a count from a transcript's front matter, or 0 for anything a hand made not a count."""
    return value if isinstance(value, int) and not isinstance(value, bool) and value >= 0 else 0


def bank_progress(bank: Bank) -> BankProgress:
    """Return every story's takes and every saved interview's scores, reading each file once; files that cannot be
    read are left out and named in `skipped` (as the board does)."""
    settings = bank.settings()
    stories = [story_takes(path.stem, story, settings) for path, story in bank.stories()]
    rows, warnings = past_sessions(bank)
    sessions = [session_scores(number, row) for number, row in enumerate(rows, 1)]
    skipped = [f"{path.name}: {reason}" for path, reason in bank.skipped.items()] + warnings
    return BankProgress(stories, sessions, skipped, settings.words_per_minute)
