"""Practising out loud: recording takes, the practice log and its history, undoing a take, speaking-rate calibration.

The core of every way to practise: a front end (the terminal's stopwatch, later a recorder or a page) times the take
and calls `record_take`, which checks it, records it or returns the `Slip` it looks like, and says how it went.
"""

from __future__ import annotations

import math
import re
from dataclasses import asdict, dataclass, field
from datetime import datetime
from pathlib import Path

from coach.bank.folder import Bank, load_story
from coach.bank.models import RATES, PracticeTake, Story
from coach.errors import CoachError
from coach.method.board import story_progress
from coach.method.text import Timing, fit, timing, word_count

MIN_CALIBRATION_TAKES = 3
MIN_TAKE_SECONDS = 3
MAX_TAKE_SECONDS = 600  # ten minutes: no spoken story runs that long, so a longer take is a timer left running or a typo
SLIP_SHARE = 1 / 3  # a take under a third of the window's low end is likelier a double Enter than a delivery


@dataclass
class Script:
    """What to show before a take: the story to say, its target window and its length at the bank's rate."""

    slug: str
    story: Story
    window: tuple[int, int]
    wpm: int
    spoken: Timing


def load_script(bank: Bank, path: Path) -> Script:
    """Return the story to practise with its window and length; refuse one with no refined version."""
    story, settings = load_story(path), bank.settings()
    require_refined(story, path)
    wpm = settings.words_per_minute
    return Script(path.stem, story, story.window(settings), wpm, timing(story.refined, wpm))


def checked_seconds(seconds: float) -> float:
    """Return the take's seconds, or refuse a length no spoken delivery could have."""
    advice = "nothing was recorded (time the whole story, or pass its length, like --seconds 54)"
    if not math.isfinite(seconds) or seconds <= 0:
        raise CoachError(f"--seconds {seconds:g} is not a length of time; {advice}")
    if seconds > MAX_TAKE_SECONDS:
        raise CoachError(f"a {seconds:g}s take is over {MAX_TAKE_SECONDS // 60} minutes ({MAX_TAKE_SECONDS}s), "
                         f"longer than any spoken story; {advice}")
    if seconds < MIN_TAKE_SECONDS:
        raise CoachError(f"a {seconds:.1f}s take is not a plausible delivery; {advice}")
    return seconds


def looks_like_a_slip(seconds: float, window: tuple[int, int]) -> bool:
    """Return True when a take is so short against the window that it was more likely a slip than a delivery."""
    return seconds < window[0] * SLIP_SHARE


@dataclass
class Slip:
    """A take not recorded because it looks like a slip: the person must say it was meant (then pass sure=True)."""

    slug: str
    seconds: float
    window: tuple[int, int]
    why: str = ""  # another reason than its length (a heard take that does not sound like the story)

    @property
    def reason(self) -> str:
        """Say why the take looks like a slip."""
        low, high = self.window
        return self.why or f"a {self.seconds:.1f}s take is under a third of the {low}-{high}s target, so it looks like a slip"


@dataclass
class TakeVerdict:
    """How one take compares with the target window and the word-count estimate."""

    seconds: float
    window: tuple[int, int]
    estimate: float
    takes: int
    slug: str = ""
    at: datetime | None = None

    @property
    def within(self) -> bool:
        """Return True when the take fell inside the target window."""
        return fit(self.seconds, self.window) == "within"

    def as_dict(self) -> dict:
        """Return the verdict as plain data for JSON output."""
        return {"story": self.slug, "at": self.at.isoformat() if self.at else None, "seconds": self.seconds,
                "target_seconds": list(self.window), "estimate_seconds": self.estimate, "takes": self.takes,
                "within": self.within}


def record_take(bank: Bank, path: Path, seconds: float, at: datetime, sure: bool = False) -> TakeVerdict | Slip:
    """Add a take to the story's practice log (atomically) and say how it compares.

    A take that looks like a slip is not recorded unless `sure`: the `Slip` comes back for the front end to ask about.
    """
    checked_seconds(seconds)
    settings, story = bank.settings(), load_story(path)
    require_refined(story, path)
    window = story.window(settings)
    if not sure and looks_like_a_slip(seconds, window):  # before the lock: none is held while the person is asked
        return Slip(path.stem, seconds, window)
    at = at.replace(microsecond=0)

    def add_take(story: Story) -> Story:
        require_refined(story, path)
        story.practice.append(PracticeTake(at=at, seconds=round(seconds, 1), words=word_count(story.refined)))
        return story

    story = bank.update(path, add_take)  # under the story's lock: takes recorded at once are all kept
    return TakeVerdict(round(seconds, 1), story.window(settings), timing(story.refined, settings.words_per_minute).seconds,
                       len(story.practice), path.stem, at)


def require_refined(story: Story, path: Path) -> None:
    """Refuse a story that has no refined version to practise."""
    if not story.refined.strip():
        raise CoachError(f"{path.stem} has no refined version to practise; write one under ## Refined or run `coach refine {path.stem}`")


@dataclass
class Undone:
    """The take `--undo` removed from a story's practice log."""

    slug: str
    take: PracticeTake
    remaining: int
    files: list[Path] = field(default_factory=list)  # a heard take's transcript and audio, removed with it

    def as_dict(self) -> dict:
        """Return what was removed as plain data for JSON output."""
        return {"story": self.slug, "removed": _take_dict(self.take), "remaining": self.remaining,
                "files": [str(p) for p in self.files]}


def last_take_mark(takes: list[PracticeTake]) -> str:
    """Return what names a story's last take as a page showed it (when it was taken, and how many takes there were),
    so that an undo sent from that page removes that take or none."""
    return f"{takes[-1].at.isoformat()}|{len(takes)}" if takes else ""


def undo_take(bank: Bank, path: Path, shown: str | None = None) -> Undone:
    """Remove the last take from the story's practice log, changing only that take's line; a heard take's transcript
    and audio (under takes/) go with it. `shown`: the `last_take_mark` of the take the user saw as last (a page, which
    may be stale); when another take has come or gone since, nothing is removed."""
    def drop_last(story: Story) -> tuple[PracticeTake, int]:
        if not story.practice:
            raise CoachError(f"{path.stem} has no takes to undo; its practice log is empty")
        if shown is not None and shown != last_take_mark(story.practice):
            raise CoachError("the last take is no longer the one this page showed (another tab or a terminal recorded "
                             "or removed one since); nothing was removed: reload the page to see the takes as they are")
        return story.practice.pop(), len(story.practice)

    take, remaining = bank.update(path, drop_last)
    removed = []
    if take.heard:
        for file in take_files(bank, path.stem, take.at):
            file.unlink(missing_ok=True)
            removed.append(file)
    return Undone(path.stem, take, remaining, removed)


TAKES = "takes"  # the bank's folder of heard takes: takes/SLUG/STAMP.md (to read), .json (words and timings), audio


def takes_folder(bank: Bank, slug: str) -> Path:
    """Return the folder a story's heard takes are kept in."""
    return bank.root / TAKES / slug


def take_stem(at: datetime) -> str:
    """Return the name a heard take's files start with: the moment it was recorded."""
    return at.strftime("%Y-%m-%d-%H%M%S")


def take_files(bank: Bank, slug: str, at: datetime) -> list[Path]:
    """Return the files kept for the last heard take recorded at `at` (its transcript, its audio): of takes saved in
    the same second (STEM, STEM-2, ...), the one saved last."""
    folder, stem = takes_folder(bank, slug), take_stem(at)
    if not folder.is_dir():
        return []
    numbered: dict[int, list[Path]] = {}
    for path in folder.iterdir():
        match = re.fullmatch(rf"{re.escape(stem)}(?:-(\d+))?", path.stem)
        if match and path.is_file():
            numbered.setdefault(int(match.group(1) or 1), []).append(path)
    return sorted(numbered[max(numbered)]) if numbered else []


def _take_dict(take: PracticeTake, window: tuple[int, int] | None = None) -> dict:
    data = {"at": take.at.isoformat(), "seconds": take.seconds, "words": take.words, "heard": take.heard}
    if take.heard:
        data |= {"wpm": take.wpm, "fillers": take.fillers, "coverage": take.coverage}
    if window:
        data["within"] = fit(take.seconds, window) == "within"
    return data


@dataclass
class TakeHistory:
    """A story's takes against its target window, with the speaking rate they measure across the bank."""

    slug: str
    title: str
    window: tuple[int, int]
    words_per_minute: int
    estimate: float
    takes: list[PracticeTake]
    best: float | None
    latest: float | None
    measured: Calibration | None

    def as_dict(self) -> dict:
        """Return the history as plain data for JSON output."""
        return {"story": self.slug, "title": self.title, "target_seconds": list(self.window),
                "words_per_minute": self.words_per_minute, "estimate_seconds": self.estimate,
                "takes": [_take_dict(take, self.window) for take in self.takes],
                "best_seconds": self.best, "latest_seconds": self.latest,
                "measured_words_per_minute": self.measured.wpm if self.measured else None}


def take_history(bank: Bank, path: Path) -> TakeHistory:
    """Return the story's practice log, its best and latest takes and the speaking rate measured from all takes."""
    story, settings = load_story(path), bank.settings()
    progress = story_progress(story, settings, path.stem)
    return TakeHistory(path.stem, story.title, story.window(settings), settings.words_per_minute,
                       timing(story.refined, settings.words_per_minute).seconds, story.practice, progress.best,
                       progress.latest, measured_rate([s for _, s in bank.stories()]))


@dataclass
class Calibration:
    """A personal speaking rate measured from the user's own takes."""

    wpm: int
    takes: int
    words: int
    seconds: float
    previous: int | None = None  # the rate it replaced, once saved
    saved_to: str = ""
    heard: bool = False  # measured from heard takes (the words said), not timed ones (the script's words)

    def as_dict(self) -> dict:
        """Return the rate as plain data for JSON output."""
        data = asdict(self)
        return {"words_per_minute": data.pop("wpm"), "previous_words_per_minute": data.pop("previous"), **data}


def measured_rate(stories: list[Story]) -> Calibration | None:
    """Return the speaking rate over the takes that recorded their word count, or None without enough takes.

    Heard takes, when there are enough of them, are the only ones counted: their words are the words said, in the
    seconds spoken, where a timed take can only assume the whole script was said.
    """
    takes = [t for story in stories for t in story.practice if t.words]
    heard = [t for t in takes if t.heard]
    takes = heard if len(heard) >= MIN_CALIBRATION_TAKES else takes
    words = sum(t.words or 0 for t in takes)
    seconds = sum(t.seconds for t in takes)
    if len(takes) < MIN_CALIBRATION_TAKES or seconds <= 0:  # takes of `seconds: 0` written by hand measure nothing
        return None
    return Calibration(round(words / seconds * 60), len(takes), words, round(seconds, 1), heard=takes is heard)


def calibrate(bank: Bank) -> Calibration:
    """Write the measured speaking rate to the bank settings; return it with the rate it replaced."""
    settings = bank.settings()
    rate = measured_rate([story for _, story in bank.stories()])
    if rate is None:
        raise CoachError(f"calibration needs at least {MIN_CALIBRATION_TAKES} timed takes; run `coach practice STORY` a few times first")
    if rate.wpm not in RATES:
        raise CoachError(f"your takes give {rate.wpm} words per minute, which is not plausible; check the practice logs")
    rate.previous, rate.saved_to = settings.words_per_minute, str(bank.settings_path)
    bank.save_settings(settings.model_copy(update={"words_per_minute": rate.wpm}))
    return rate
