"""Views of recording a spoken take: the live line (a timer against the target window and a level meter), and what
`coach interview --voice` says about answering out loud."""

from __future__ import annotations

from coach.display.layout import wrapped
from coach.display.practice import elapsed_line

METER = 20  # cells of the level meter
VOICE_HOW = ("Answer out loud: press Enter to start speaking and Enter again when you finish (Ctrl-C ends the "
             "session). To use /skip /hint /repeat /quit, type the command instead of pressing Enter; typing an "
             "answer works too.")
TRY_AGAIN = "Press Enter to try again, or type your answer."


def level_meter(level: float) -> str:
    """Return a bar of the microphone's level, 0 (silence) to 1 (as loud as it records)."""
    filled = round(min(1.0, max(0.0, level)) * METER)
    return "▕" + "█" * filled + " " * (METER - filled) + "▏"


def recording_line(elapsed: float, level: float, window: tuple[int, int] | None) -> str:
    """Return the live line while recording, redrawn over itself: the seconds so far (against the target window when
    there is one) and the level meter; under 80 columns."""
    timer = elapsed_line(elapsed, window) if window else f"\r  {elapsed:5.1f}s"
    return f"{timer}  ● rec {level_meter(level)}"


def voice_how() -> str:
    """Return how to answer a mock interview out loud, wrapped to the terminal."""
    return "\n".join(wrapped(VOICE_HOW, 2, ""))


def spoken_line(text: str, seconds: float) -> str:
    """Return an answer as heard, as the candidate's line: `You (spoken 48.2s):` and the words, wrapped."""
    return "\n".join(wrapped(text, 5, f"You (spoken {seconds:.1f}s):"))


def nothing_heard() -> str:
    """Return what to say when a take held no words."""
    return f"Nothing was heard in that take. {TRY_AGAIN}"
