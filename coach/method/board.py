"""The progress board: how far each story has come, and which company values the bank covers."""

from __future__ import annotations

from dataclasses import asdict, dataclass

from coach.bank.folder import Bank
from coach.bank.models import Story
from coach.bank.settings import BankSettings
from coach.method.text import fit, placeholders

PRACTICE_GOAL = 5


@dataclass
class StoryProgress:
    """One row of the progress board."""

    slug: str
    title: str
    drafted: bool
    analyzed: bool
    refined: bool
    placeholders: int
    latest: float | None
    best: float | None
    takes: int
    timed: bool
    practiced: bool
    proposed: int = 0  # open questions with an answer `coach analyze` proposed, waiting to be accepted

    def as_dict(self) -> dict:
        """Return the row as plain data for JSON output."""
        return asdict(self)


def story_progress(story: Story, settings: BankSettings, slug: str = "") -> StoryProgress:
    """Compute one story's progress from its file, never from hand-typed marks."""
    window = story.window(settings)
    seconds = [take.seconds for take in story.practice]
    blanks = placeholders(story.refined)
    latest = seconds[-1] if seconds else None
    return StoryProgress(
        slug=slug or story.type,
        title=story.title,
        drafted=bool(story.draft.strip()),
        analyzed=bool(story.questions()) and not story.unanswered(),
        refined=bool(story.refined.strip()) and not blanks,  # a blank to fill is not ready to say
        placeholders=len(blanks),
        latest=latest,
        best=_best(seconds, window),
        takes=len(seconds),
        timed=latest is not None and fit(latest, window) == "within",
        practiced=len(seconds) >= PRACTICE_GOAL,
        proposed=sum(1 for q in story.unanswered() if q.proposed),
    )


def _best(seconds: list[float], window: tuple[int, int]) -> float | None:
    """Return the take closest to the middle of the target window."""
    if not seconds:
        return None
    middle = sum(window) / 2
    return min(seconds, key=lambda s: abs(s - middle))


def progress(stories: list[Story], settings: BankSettings, slugs: list[str] | None = None) -> list[StoryProgress]:
    """Compute the progress rows of a bank."""
    slugs = slugs or [story.type for story in stories]
    return [story_progress(story, settings, slug) for story, slug in zip(stories, slugs, strict=True)]


def value_coverage(stories: list[Story], settings: BankSettings, slugs: list[str] | None = None) -> dict[str, list[str]]:
    """Map each company value (and any value a story targets) to the stories that target it."""
    slugs = slugs or [story.type for story in stories]
    coverage: dict[str, list[str]] = {value.name: [] for value in settings.values}
    names = {name.lower(): name for name in coverage}
    for story, slug in zip(stories, slugs, strict=True):
        for value in story.values:
            key = names.setdefault(value.lower(), value)
            coverage.setdefault(key, []).append(slug)
    return coverage


@dataclass
class BankStatus:
    """The progress board and value coverage of a whole bank."""

    settings: BankSettings
    rows: list[StoryProgress]
    coverage: dict[str, list[str]]

    def coverage_verdict(self) -> str:
        """Say how many company values still lack a story; with no values set, say so and how to set them."""
        if not self.settings.values:
            return ("No company values are set, so coverage cannot be judged: run `coach init --company NAME` "
                    "(with --force to replace an existing coach.yaml) or list them under `values:` in coach.yaml.")
        gaps = [value for value, users in self.coverage.items() if not users]
        if not gaps:
            return "Every value has a story."
        return f"{len(gaps)} of {len(self.coverage)} values {'has' if len(gaps) == 1 else 'have'} no story yet."

    def as_dict(self) -> dict:
        """Return the status as plain data for JSON output."""
        low, high = self.settings.target_seconds
        return {
            "company": self.settings.company,
            "target_seconds": [low, high],
            "words_per_minute": self.settings.words_per_minute,
            "stories": [row.as_dict() for row in self.rows],
            "values": self.coverage,
        }


def bank_status(bank: Bank) -> BankStatus:
    """Compute the progress board of a bank from its files."""
    settings = bank.settings()
    loaded = list(bank.stories())
    stories = [story for _, story in loaded]
    slugs = [path.stem for path, _ in loaded]
    return BankStatus(settings, progress(stories, settings, slugs), value_coverage(stories, settings, slugs))
