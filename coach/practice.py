"""Practising out loud: timing takes, the practice log, the history chart and speaking-rate calibration."""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from coach.bank.folder import Bank
from coach.bank.models import RATES, BankSettings, PracticeTake, Story
from coach.errors import CoachError
from coach.method.board import PRACTICE_GOAL
from coach.method.text import spoken_seconds, word_count

MIN_CALIBRATION_TAKES = 3
MIN_TAKE_SECONDS = 3


@dataclass
class TakeVerdict:
    """How one take compares with the target window and the word-count estimate."""

    seconds: float
    window: tuple[int, int]
    estimate: float
    takes: int

    def lines(self) -> list[str]:
        """Say how the take went, in a few short lines."""
        low, high = self.window
        if self.seconds > high:
            where = f"{self.seconds - high:.1f}s over the {low}-{high}s target"
        elif self.seconds < low:
            where = f"{low - self.seconds:.1f}s under the {low}-{high}s target"
        else:
            where = f"within the {low}-{high}s target"
        pace = ""
        if self.estimate:
            change = (self.estimate - self.seconds) / self.estimate * 100
            pace = f" (you spoke {abs(change):.0f}% {'faster' if change > 0 else 'slower'})" if abs(change) >= 1 else " (right on it)"
        return [
            f"{self.seconds:.1f}s: {where}.",
            f"Estimate from the word count: {self.estimate:g}s{pace}.",
            f"Practiced {min(self.takes, PRACTICE_GOAL)}/{PRACTICE_GOAL}" + (f" ({self.takes} takes)" if self.takes > PRACTICE_GOAL else ""),
        ]


def record_take(bank: Bank, path: Path, seconds: float, at: datetime) -> TakeVerdict:
    """Add a take to the story's practice log (atomically) and say how it compares."""
    if not MIN_TAKE_SECONDS <= seconds < 3600:
        raise CoachError(f"a {seconds:.1f}s take is not a plausible delivery; nothing was recorded (time the whole story, or pass --seconds 54)")
    settings = bank.settings()

    def add_take(story: Story) -> Story:
        if not story.refined.strip():
            raise CoachError(f"{path.stem} has no refined version to practise; write one under ## Refined or run `coach refine {path.stem}`")
        story.practice.append(PracticeTake(at=at.replace(microsecond=0), seconds=round(seconds, 1), words=word_count(story.refined)))
        return story

    story = bank.update(path, add_take)  # under the story's lock: takes recorded at once are all kept
    window = story.target_seconds or settings.target_seconds
    return TakeVerdict(round(seconds, 1), window, spoken_seconds(story.refined, settings.words_per_minute), len(story.practice))


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


def script(story: Story, settings: BankSettings, cue: bool) -> str:
    """Return what to show before a take: the full refined version, or only the cues."""
    notes = story.practice_notes
    low, high = story.target_seconds or settings.target_seconds
    lines = [f"{story.title} · target {low}-{high}s · {word_count(story.refined)} words ≈ "
             f"{spoken_seconds(story.refined, settings.words_per_minute):g}s at {settings.words_per_minute} wpm", ""]
    if notes.hooks:
        lines.append(f"Hook: {notes.hooks[0]}")
    if notes.key_words:
        lines.append("Key words: " + ", ".join(notes.key_words))
    if not cue:
        lines += ["", story.refined]
    elif not (notes.hooks or notes.key_words):
        lines.append("(no hooks or key words yet: run `coach refine` or add them under ## Practice Notes)")
    return "\n".join(lines)


def history_chart(story: Story, settings: BankSettings, width: int = 40) -> str:
    """List the takes with a text chart of seconds against the target window."""
    low, high = story.target_seconds or settings.target_seconds
    if not story.practice:
        return f"{story.title}: no takes yet; run `coach practice` to time one."
    top = max(high * 1.5, max(t.seconds for t in story.practice))
    bottom = min(low * 0.5, min(t.seconds for t in story.practice))

    def column(seconds: float) -> int:
        return min(width - 1, max(0, round((seconds - bottom) / (top - bottom) * (width - 1))))

    lines = [f"{story.title} · target {low}-{high}s (the ═ band)", ""]
    for take in story.practice:
        row = ["═" if column(low) <= i <= column(high) else "·" for i in range(width)]
        row[column(take.seconds)] = "●"
        mark = "✓" if low <= take.seconds <= high else " "
        lines.append(f"{take.at:%Y-%m-%d %H:%M}  {take.seconds:6.1f}s {mark} {''.join(row)}")
    lines.append(f"{'':17}  {'':8} {bottom:<{width // 2}.0f}{top:>{width - width // 2}.0f}s")
    return "\n".join(lines)


@dataclass
class Calibration:
    """A personal speaking rate measured from the user's own takes."""

    wpm: int
    takes: int
    words: int
    seconds: float


def measured_rate(stories: list[Story]) -> Calibration | None:
    """Return the speaking rate over every take that recorded its word count, or None without enough takes."""
    takes = [t for story in stories for t in story.practice if t.words]
    if len(takes) < MIN_CALIBRATION_TAKES:
        return None
    words = sum(t.words or 0 for t in takes)
    seconds = sum(t.seconds for t in takes)
    return Calibration(round(words / seconds * 60), len(takes), words, round(seconds, 1))


def calibrate(bank: Bank) -> tuple[Calibration, int]:
    """Write the measured speaking rate to the bank settings; return it and the rate it replaced."""
    settings = bank.settings()
    rate = measured_rate([story for _, story in bank.stories()])
    if rate is None:
        raise CoachError(f"calibration needs at least {MIN_CALIBRATION_TAKES} timed takes; run `coach practice STORY` a few times first")
    if rate.wpm not in RATES:
        raise CoachError(f"your takes give {rate.wpm} words per minute, which is not plausible; check the practice logs")
    previous = settings.words_per_minute
    bank.save_settings(settings.model_copy(update={"words_per_minute": rate.wpm}))
    return rate, previous
