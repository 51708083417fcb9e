"""Plain-text measures shared by the checks and the LLM validators: words, sentences and spoken time."""

from __future__ import annotations

import re

WORD = re.compile(r"[A-Za-z0-9$%][A-Za-z0-9'’$%.,-]*[A-Za-z0-9%]|[A-Za-z0-9$%]")
SENTENCE_END = re.compile(r"(?<=[.!?…])[\"”'’)]?\s+(?=[\"“'‘(\[A-Z0-9])|\n\s*\n")


def words(text: str) -> list[str]:
    """Return the spoken words of a text (numbers and contractions count as one word each)."""
    return WORD.findall(text)


def word_count(text: str) -> int:
    """Return how many words a text has."""
    return len(words(text))


def spoken_seconds(text: str, wpm: int) -> float:
    """Return how long the text takes to say aloud at `wpm` words per minute."""
    return round(word_count(text) * 60 / wpm, 1)


def word_budget(window: tuple[int, int], wpm: int) -> tuple[int, int]:
    """Return the word counts that fill a (low, high) seconds window at `wpm`."""
    low, high = window
    return round(low * wpm / 60), round(high * wpm / 60)


def sentences(text: str) -> list[str]:
    """Split text into sentences."""
    flat = " ".join(text.split())
    return [s.strip() for s in SENTENCE_END.split(flat) if s.strip()]

