"""Plain-text measures shared by the checks and the LLM validators: words, sentences, numbers, timing."""

from __future__ import annotations

import re

WORD = re.compile(r"[A-Za-z0-9$%][A-Za-z0-9'’$%.,-]*[A-Za-z0-9%]|[A-Za-z0-9$%]")
SENTENCE_END = re.compile(r"(?<=[.!?])[\"”']?\s+(?=[\"“'A-Z0-9])")
NUMBER_WORDS = {
    "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9,
    "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14, "fifteen": 15,
    "sixteen": 16, "seventeen": 17, "eighteen": 18, "nineteen": 19, "twenty": 20, "thirty": 30,
    "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70, "eighty": 80, "ninety": 90,
    "hundred": 100, "thousand": 1000, "million": 1_000_000, "billion": 1_000_000_000,
    "dozen": 12, "third": 3, "fourth": 4, "fifth": 5, "sixth": 6, "seventh": 7, "eighth": 8,
    "ninth": 9, "tenth": 10,
}
NUMBER = re.compile(
    r"(?<![\w.])[$€£]?(\d{1,3}(?:,\d{3})+|\d+(?:\.\d+)?|\.\d+)\s*(k|m|bn|x|%|percent)?(?![\w])",
    re.IGNORECASE,
)
SCALE = {"k": 1_000, "m": 1_000_000, "bn": 1_000_000_000}


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


def numbers(text: str) -> list[tuple[str, float]]:
    """Return every number mentioned in text as (as written, value), digits and number words alike."""
    found: list[tuple[str, float]] = []
    for match in NUMBER.finditer(text):
        value = float(match.group(1).replace(",", ""))
        unit = (match.group(2) or "").lower()
        value *= SCALE.get(unit, 1)
        found.append((match.group(0).strip(), value))
    for match in re.finditer(r"[A-Za-z]+", text):
        token = match.group(0).lower()
        if token in NUMBER_WORDS:
            found.append((match.group(0), float(NUMBER_WORDS[token])))
    return found


def number_values(text: str) -> set[float]:
    """Return the set of numeric values mentioned in text."""
    return {value for _, value in numbers(text)}


def unsupported_numbers(text: str, material: str) -> list[str]:
    """Return the numbers in text that appear nowhere in the user's material: likely invented facts."""
    known = number_values(material)
    unsupported: list[str] = []
    for written, value in numbers(text):
        if value not in known and written not in unsupported:
            unsupported.append(written)
    return unsupported


NAME = re.compile(r"(?<![\w'’])([A-Z][\w’'&.-]*[A-Za-z0-9])")


def unsupported_names(text: str, material: str, known: list[str] = ()) -> list[str]:
    """Return capitalised words (names, products, teams) in text that the user's material never mentions."""
    vocabulary = {w.lower().rstrip(".") for w in re.findall(r"[\w’'&.-]+", material + " " + " ".join(known))}
    vocabulary |= {re.sub(r"['’]s$", "", w) for w in vocabulary}
    found: list[str] = []
    for sentence in sentences(text):
        for match in NAME.finditer(sentence):
            if match.start() == 0 or sentence[:match.start()].rstrip().endswith((":", '"', "“", "-", "—")):
                continue  # a capital that starts a sentence or a quotation is not a name
            word = re.sub(r"['’]s$", "", match.group(1)).rstrip(".")
            if re.match(r"^I['’]", word):
                continue  # I'd, I'll, I'm
            if word.lower() not in vocabulary and word not in found and len(word) > 1:
                found.append(word)
    return found
