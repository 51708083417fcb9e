"""Plain-text measures shared by the checks and the LLM validators: words, sentences, spoken time (`timing`, the one
place a text's words become seconds) and where seconds fall against a target window (`fit`)."""

from __future__ import annotations

import re
from dataclasses import dataclass

WORD = re.compile(r"[A-Za-z0-9$%][A-Za-z0-9'’$%.,-]*[A-Za-z0-9%]|[A-Za-z0-9$%]")
# words that carry no fact: never a name, never a quote on their own, trimmed from the ends of a repeated phrase
FUNCTION_WORDS = frozenset(
    "a an the and or but nor of to in on at for with by from as into onto over under about after before than then "
    "is are was were be been being am it its it's this that these those my our your his her their we you he she "
    "they i me us him them so if not no yes all any each every some most more very just also only even still yet "
    "do did does done had has have having can could would should will shall may might must there here when while "
    "who whom which what why how where once because since until nobody everyone everybody everything something "
    "nothing someone anyone instead now today really i'm i've i'd we're we've both either neither myself ourselves yourself himself herself itself themselves anything "
    "through across within without around against among between during toward towards upon via per behind beyond "
    "despite inside outside unlike".split()
)
SENTENCE_END = re.compile(r"(?:(?<=[.!?…])|(?<=[.!?…][\"”'’)]))\s+(?=[\"“'‘(\[A-Z0-9])")  # a closing quote stays with its sentence


def words(text: str) -> list[str]:
    """Return the spoken words of a text (numbers and contractions count as one word each)."""
    return WORD.findall(text)


def word_count(text: str) -> int:
    """Return how many words a text has."""
    return len(words(text))


@dataclass(frozen=True)
class Timing:
    """How long a text is to say aloud: its words, and the seconds they take at a speaking rate."""

    words: int
    seconds: float


def timing(text: str, wpm: int) -> Timing:
    """Return a text's words and the seconds they take to say aloud at `wpm` words per minute (to a tenth)."""
    count = word_count(text)
    return Timing(count, round(count * 60 / wpm, 1))


def spoken_seconds(text: str, wpm: int) -> float:
    """Return how long the text takes to say aloud at `wpm` words per minute."""
    return timing(text, wpm).seconds


def word_budget(window: tuple[int, int], wpm: int) -> tuple[int, int]:
    """Return the word counts that fill a (low, high) seconds window at `wpm`."""
    low, high = window
    return round(low * wpm / 60), round(high * wpm / 60)


def fit(seconds: float, window: tuple[int, int]) -> str:
    """Return where a length falls against a (low, high) seconds window: `over`, `under` or `within`."""
    low, high = window
    return "over" if seconds > high else "under" if seconds < low else "within"


def sentences(text: str) -> list[str]:
    """Split text into sentences."""
    flat = " ".join(text.split())
    return [s.strip() for s in SENTENCE_END.split(flat) if s.strip()]


PLACEHOLDER = re.compile(r"\[([^\[\]\n]{1,160})\](?!\()")  # not a Markdown link's [text](url)
CHECKBOX = re.compile(r"^\s*(?:[-*+]|\d+[.)])\s+$")


def is_placeholder(match: re.Match) -> bool:
    """Return False for a Markdown task box (`- [ ]`, `- [x]`), which is no blank to fill."""
    if match.group(1).strip() not in ("", "x", "X"):
        return True
    line_start = match.string.rfind("\n", 0, match.start()) + 1
    return not CHECKBOX.match(match.string[line_start : match.start()])


def placeholders(text: str) -> list[str]:
    """Return the `[bracketed placeholders]` of a text, which the candidate must fill before speaking it."""
    return [match.group(0) for match in PLACEHOLDER.finditer(text) if is_placeholder(match)]


def quoted(items: list[str]) -> str:
    """Return items quoted and joined as said: '"a"', '"a" and "b"', '"a", "b" and "c"'."""
    marked = [f'"{item}"' for item in items]
    return marked[0] if len(marked) == 1 else ", ".join(marked[:-1]) + " and " + marked[-1]
