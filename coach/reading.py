"""`coach show`: one story gathered for reading: its refined version and timing, delivery notes, follow-ups and
what the offline checks say now (nothing is stored)."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from pathlib import Path

from coach.bank.folder import Bank, load_story
from coach.bank.models import HistoryEntry, Story
from coach.bank.settings import BankSettings
from coach.followups import Listed, listed
from coach.method.check import ERROR, WARNING, Finding, check_bank
from coach.method.text import fit, timing, words

DRAFT_OPENING_WORDS = 60  # enough of a draft to recognise it, short enough for one screen


@dataclass
class Timed:
    """A text with its length: words, and seconds at the bank's speaking rate."""

    text: str
    words: int
    seconds: float

    @classmethod
    def of(cls, text: str, wpm: int) -> Timed:
        """Measure a text at `wpm` words per minute."""
        spoken = timing(text, wpm)
        return cls(text.strip(), spoken.words, spoken.seconds)


@dataclass
class StoryView:
    """Everything `coach show` prints about one story."""

    slug: str
    path: Path
    story: Story
    settings: BankSettings
    target: tuple[int, int]
    refined: Timed | None
    draft: Timed | None
    follow_ups: list[Listed] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)
    earlier: int = 0  # earlier refined versions kept under ## History

    @property
    def wpm(self) -> int:
        """Return the bank's speaking rate."""
        return self.settings.words_per_minute

    @property
    def verdict(self) -> str:
        """Return where the refined version falls against the target: within, over, under (empty when none)."""
        return "" if self.refined is None else fit(self.refined.seconds, self.target)

    @property
    def draft_opening(self) -> str:
        """Return the first words of the draft, with an ellipsis when there is more."""
        if self.draft is None:
            return ""
        spoken = self.draft.text.split()
        return " ".join(spoken[:DRAFT_OPENING_WORDS]) + (" …" if len(spoken) > DRAFT_OPENING_WORDS else "")

    @property
    def next_step(self) -> str:
        """Return the command that moves the story on when it has no refined version yet (else empty)."""
        if self.refined is not None:
            return ""
        return f"coach refine {self.slug}" if self.draft is not None else f"coach edit {self.slug}"

    def beside(self):
        """Return the refined version's sentences, each with the findings about it, and the findings about none."""
        from coach.method.beside import beside

        return beside(self.findings, self.refined.text if self.refined is not None else "")

    def count(self, severity: str) -> int:
        """Return how many findings have this severity."""
        return sum(f.severity == severity for f in self.findings)

    def as_dict(self) -> dict:
        """Return the view as plain data for JSON output (the shape the README documents)."""
        notes = self.story.practice_notes
        return {
            "story": self.slug, "title": self.story.title, "type": self.story.type, "file": str(self.path),
            "values": self.story.values, "target": list(self.target), "words_per_minute": self.wpm,
            "refined": None if self.refined is None else {**asdict(self.refined), "verdict": self.verdict},
            "draft": None if self.draft is None else {"opening": self.draft_opening, "words": self.draft.words,
                                                      "seconds": self.draft.seconds},
            "hooks": notes.hooks, "key_words": notes.key_words, "pacing": notes.pacing, "tone": notes.tone,
            "follow_ups": [{"id": f.id, "question": f.question, "answer": f.answer, "words": f.words,
                            "seconds": f.seconds, "yours": f.yours} for f in self.follow_ups],
            "findings": [asdict(f) for f in self.findings],
            "errors": self.count(ERROR), "warnings": self.count(WARNING), "earlier_versions": self.earlier,
            "next": self.next_step or None,
        }


def show(bank: Bank, ref: str) -> StoryView:
    """Gather a story for reading, with the offline checks run on it as it is now; nothing is written."""
    path = bank.resolve(ref)
    story, settings = load_story(path), bank.settings()
    [report] = check_bank(bank, [str(path)])
    wpm = settings.words_per_minute
    return StoryView(
        slug=path.stem, path=path, story=story, settings=settings,
        target=story.window(settings),
        refined=Timed.of(story.refined, wpm) if story.refined.strip() else None,
        draft=Timed.of(story.draft, wpm) if words(story.draft) else None,
        follow_ups=listed(story, settings),
        findings=report.findings,
        earlier=len(earlier_refined(story)),
    )


def earlier_refined(story: Story) -> list[HistoryEntry]:
    """Return the earlier refined versions under ## History, oldest first (entries with a subject are follow-ups)."""
    return [entry for entry in story.history if not entry.subject and entry.text.strip()]
