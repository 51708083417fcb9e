"""Views of practising out loud: the script before a take, the stopwatch line during it, the verdict after it, the
history chart, undo, calibration."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from coach.display.bank import practiced
from coach.display.layout import width, wrapped
from coach.method.text import fit

if TYPE_CHECKING:
    from coach.practice import Calibration, Script, TakeHistory, TakeVerdict, Undone

CHART_LEFT = 28  # "2026-11-24 09:00    52.5s ✓ " before each chart row
CHART_MAX = 40


def _prose(text: str, indent: int = 0, first: str | None = "") -> list[str]:
    return wrapped(text, indent, first)


def script_view(script: Script, cue: bool) -> str:
    """Return what to show before a take: the full refined version, or only the cues."""
    story = script.story
    notes = story.practice_notes
    low, high = script.window
    lines = _prose(f"{story.title} · target {low}-{high}s · {script.spoken.words} words ≈ "
                   f"{script.spoken.seconds:g}s at {script.wpm} wpm", 2)
    lines.append("")
    if notes.hooks:
        lines += wrapped(notes.hooks[0], 6, "Hook:")
    if notes.key_words:
        lines += wrapped(", ".join(notes.key_words), 11, "Key words:")
    if not cue:
        for paragraph in re.split(r"\n\s*\n", story.refined.strip()):
            lines += ["", *_prose(paragraph)]
    elif not (notes.hooks or notes.key_words):
        lines += _prose("(no hooks or key words yet: run `coach refine` or add them under ## Practice Notes)", 1)
    return "\n".join(lines)


def elapsed_line(elapsed: float, window: tuple[int, int]) -> str:
    """Return the live stopwatch line: elapsed seconds against the target window, redrawn over itself."""
    low, high = window
    state = {"over": "over the target!", "within": "in the window", "under": ""}[fit(elapsed, window)]
    return f"\r  {elapsed:5.1f}s   target {low}-{high}s   {state:<16}"


def verdict_view(verdict: TakeVerdict) -> str:
    """Say how the take went, in a few short lines."""
    low, high = verdict.window
    where = {"over": f"{verdict.seconds - high:.1f}s over the {low}-{high}s target",
             "under": f"{low - verdict.seconds:.1f}s under the {low}-{high}s target",
             "within": f"within the {low}-{high}s target"}[fit(verdict.seconds, verdict.window)]
    pace = ""
    if verdict.estimate:
        change = (verdict.estimate - verdict.seconds) / verdict.estimate * 100
        pace = f" (you took {abs(change):.0f}% {'less' if change > 0 else 'more'} time)" if abs(change) >= 1 else " (right on it)"
    sentences = [f"{verdict.seconds:.1f}s: {where}.", f"Estimate from the word count: {verdict.estimate:g}s{pace}.",
                 f"Practiced {practiced(verdict.takes)}"]
    return "\n".join(line for sentence in sentences for line in _prose(sentence, 2))


def history_view(history: TakeHistory) -> str:
    """List the takes with a text chart of seconds against the target window, and the measured speaking rate."""
    low, high = history.window
    if not history.takes:
        return "\n".join(_prose(f"{history.title}: no takes yet; run `coach practice {history.slug}` to time one.", 2))
    chart = max(10, min(CHART_MAX, width() - CHART_LEFT - 1))
    top = max(high * 1.5, max(t.seconds for t in history.takes))
    bottom = min(low * 0.5, min(t.seconds for t in history.takes))

    def column(seconds: float) -> int:
        return min(chart - 1, max(0, round((seconds - bottom) / (top - bottom) * (chart - 1))))

    lines = [*_prose(f"{history.title} · target {low}-{high}s (the ═ band)", 2), ""]
    for take in history.takes:
        row = ["═" if column(low) <= i <= column(high) else "·" for i in range(chart)]
        row[column(take.seconds)] = "●"
        mark = "✓" if fit(take.seconds, history.window) == "within" else " "
        lines.append(f"{take.at:%Y-%m-%d %H:%M}  {take.seconds:6.1f}s {mark} {''.join(row)}")
    lines.append(f"{'':17}  {'':8} {bottom:<{chart // 2}.0f}{top:>{chart - chart // 2}.0f}s")
    lines += _heard_trend(history)
    rate = history.measured
    if rate and rate.wpm != history.words_per_minute:
        lines += ["", *_prose(f"Your takes give {rate.wpm} wpm (the bank uses {history.words_per_minute}); "
                              "`coach practice --calibrate` saves it.", 2)]
    return "\n".join(lines)


def _heard_trend(history: TakeHistory) -> list[str]:
    """Return the heard takes' pace, filler words and share of the script said, take by take, and their trend."""
    heard = [take for take in history.takes if take.heard]
    if not heard:
        return []
    lines = ["", f"{'Heard takes':17}  {'seconds':>8} {'wpm':>5} {'fillers':>8} {'script said':>12}"]
    def shown(value: int | None, size: int, unit: str = "") -> str:  # a line written by hand may leave one out
        return f"{'–' if value is None else f'{value}{unit}':>{size}}"

    lines += [f"{t.at:%Y-%m-%d %H:%M}  {t.seconds:7.1f}s {shown(t.wpm, 5)} {shown(t.fillers, 8)} "
              f"{shown(t.coverage, 12, '%')}" for t in heard]
    if len(heard) > 1:
        first, last = heard[0], heard[-1]
        trend = [f"{first.seconds:.0f}s → {last.seconds:.0f}s spoken"]
        for name, attr, unit in (("pace", "wpm", " wpm"), ("fillers", "fillers", ""), ("script said", "coverage", "%")):
            before, after = getattr(first, attr), getattr(last, attr)
            if before is not None and after is not None:
                trend.append(f"{name} {before}{unit} → {after}{unit}")
        lines += ["", *_prose(f"Since the first heard take: {', '.join(trend)}.", 2)]
    return lines


def undo_view(undone: Undone) -> str:
    """Say which take was removed and how many remain."""
    take, left = undone.take, undone.remaining
    remain = "no takes remain" if not left else f"{left} take{'s' * (left != 1)} remain{'s' * (left == 1)}"
    files = f" Its transcript went with it ({', '.join(p.name for p in undone.files)})." if undone.files else ""
    return "\n".join(_prose(f"Removed the take of {take.at:%Y-%m-%d %H:%M} ({take.seconds:.1f}s) from {undone.slug}; "
                            f"{remain}.{files}", 2))


def calibration_view(rate: Calibration) -> str:
    """Say the speaking rate measured from the takes, the one it replaced, and where it was saved."""
    takes = f"{rate.takes} heard takes" if rate.heard else f"{rate.takes} takes"
    return "\n".join(_prose(f"Speaking rate {rate.wpm} wpm from {takes} ({rate.words} words in "
                            f"{rate.seconds:g}s); was {rate.previous} wpm. Saved to {rate.saved_to}.", 2))
