"""Practising out loud: timing takes, the practice log and its history, undoing a take, speaking-rate calibration."""

from __future__ import annotations

import math
import threading
from collections.abc import Callable
from dataclasses import asdict, dataclass
from datetime import datetime
from pathlib import Path

from coach.bank.folder import Bank, load_story
from coach.bank.models import RATES, BankSettings, PracticeTake, Story
from coach.errors import CoachError
from coach.method.board import story_progress
from coach.method.text import spoken_seconds, word_count

MIN_CALIBRATION_TAKES = 3
MIN_TAKE_SECONDS = 3
MAX_TAKE_SECONDS = 600  # ten minutes: no spoken story runs that long, so a longer take is a timer left running or a typo
SLIP_SHARE = 1 / 3  # a take under a third of the window's low end is likelier a double Enter than a delivery


def window_of(story: Story, settings: BankSettings) -> tuple[int, int]:
    """Return the story's target window in seconds: its own, or the bank's."""
    return story.target_seconds or settings.target_seconds


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


def keep_short_take(seconds: float, window: tuple[int, int], ask: Callable[[str], str] | None) -> bool:
    """Return whether to record a take that looks like a slip: ask the person, or refuse when no one can answer."""
    if not looks_like_a_slip(seconds, window):
        return True
    low, high = window
    if ask is None:
        raise CoachError(f"a {seconds:.1f}s take is under a third of the {low}-{high}s target, so it looks like a slip; "
                         "nothing was recorded (add --yes to record it anyway)")
    try:
        answer = ask(f"Record a {seconds:.1f}s take? [y/N] ")
    except EOFError:
        return False
    return answer.strip().lower() in ("y", "yes")


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
        return self.window[0] <= self.seconds <= self.window[1]

    def as_dict(self) -> dict:
        """Return the verdict as plain data for JSON output."""
        return {"story": self.slug, "at": self.at.isoformat() if self.at else None, "seconds": self.seconds,
                "target_seconds": list(self.window), "estimate_seconds": self.estimate, "takes": self.takes,
                "within": self.within}


def record_take(bank: Bank, path: Path, seconds: float, at: datetime,
                ask: Callable[[str], str] | None = None, sure: bool = False) -> TakeVerdict | None:
    """Add a take to the story's practice log (atomically) and say how it compares; None if a slip was declined."""
    checked_seconds(seconds)
    settings, story = bank.settings(), load_story(path)
    require_refined(story, path)
    if not sure and not keep_short_take(seconds, window_of(story, settings), ask):  # asked before the lock is taken
        return None

    def add_take(story: Story) -> Story:
        require_refined(story, path)
        story.practice.append(PracticeTake(at=at.replace(microsecond=0), seconds=round(seconds, 1), words=word_count(story.refined)))
        return story

    story = bank.update(path, add_take)  # under the story's lock: takes recorded at once are all kept
    return TakeVerdict(round(seconds, 1), window_of(story, settings), spoken_seconds(story.refined, settings.words_per_minute),
                       len(story.practice), path.stem, at.replace(microsecond=0))


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

    def as_dict(self) -> dict:
        """Return what was removed as plain data for JSON output."""
        return {"story": self.slug, "removed": _take_dict(self.take), "remaining": self.remaining}


def undo_take(bank: Bank, path: Path) -> Undone:
    """Remove the last take from the story's practice log, changing only that take's line."""
    def drop_last(story: Story) -> tuple[PracticeTake, int]:
        if not story.practice:
            raise CoachError(f"{path.stem} has no takes to undo; its practice log is empty")
        return story.practice.pop(), len(story.practice)

    take, remaining = bank.update(path, drop_last)
    return Undone(path.stem, take, remaining)


def _take_dict(take: PracticeTake, window: tuple[int, int] | None = None) -> dict:
    data = {"at": take.at.isoformat(), "seconds": take.seconds, "words": take.words}
    if window:
        data["within"] = window[0] <= take.seconds <= window[1]
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
    return TakeHistory(path.stem, story.title, window_of(story, settings), settings.words_per_minute,
                       spoken_seconds(story.refined, settings.words_per_minute), story.practice, progress.best,
                       progress.latest, measured_rate([s for _, s in bank.stories()]))


def elapsed_line(elapsed: float, window: tuple[int, int]) -> str:
    """Return the live stopwatch line: elapsed seconds against the target window."""
    low, high = window
    state = "over the target!" if elapsed > high else ("in the window" if elapsed >= low else "")
    return f"\r  {elapsed:5.1f}s   target {low}-{high}s   {state:<16}"


class LiveTimer:
    """Redraws the elapsed seconds on one terminal line until stopped."""

    def __init__(self, clock: Callable[[], float], window: tuple[int, int], write: Callable[[str], None], interval: float = 0.1):
        self.clock, self.window, self.write, self.interval = clock, window, write, interval
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def start(self, started: float) -> None:
        """Start redrawing from the moment `started`."""
        def run() -> None:
            while not self._stop.wait(self.interval):
                self.write(elapsed_line(self.clock() - started, self.window))

        self._thread = threading.Thread(target=run, daemon=True)
        self._thread.start()

    def stop(self) -> None:
        """Stop redrawing and end the line."""
        self._stop.set()
        if self._thread:
            self._thread.join()
            self.write("\n")


def time_take(wait_for_enter: Callable[[str], object], clock: Callable[[], float], live: LiveTimer | None = None) -> float:
    """Time one take between two Enter presses; Ctrl-C or end of input abandons it."""
    wait_for_enter("Press Enter to start, Enter again when you finish (Ctrl-C to abandon). ")
    started = clock()
    if live:
        live.start(started)
    try:
        wait_for_enter("Go! ")
    finally:
        if live:
            live.stop()
    return clock() - started


@dataclass
class Calibration:
    """A personal speaking rate measured from the user's own takes."""

    wpm: int
    takes: int
    words: int
    seconds: float
    previous: int | None = None  # the rate it replaced, once saved
    saved_to: str = ""

    def as_dict(self) -> dict:
        """Return the rate as plain data for JSON output."""
        data = asdict(self)
        return {"words_per_minute": data.pop("wpm"), "previous_words_per_minute": data.pop("previous"), **data}


def measured_rate(stories: list[Story]) -> Calibration | None:
    """Return the speaking rate over every take that recorded its word count, or None without enough takes."""
    takes = [t for story in stories for t in story.practice if t.words]
    if len(takes) < MIN_CALIBRATION_TAKES:
        return None
    words = sum(t.words or 0 for t in takes)
    seconds = sum(t.seconds for t in takes)
    return Calibration(round(words / seconds * 60), len(takes), words, round(seconds, 1))


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
