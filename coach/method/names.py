"""Names compared as people write them: `DFS-based`, `Netflix's` and `Brazilian` are known from `DFS`,
`Netflix` and `Brazil`, and a capital that only starts a sentence, a list item or a quotation is no name."""

from __future__ import annotations

import re
from functools import lru_cache

from coach.method.text import FUNCTION_WORDS

TOKEN = re.compile(r"[^\W\d_][\w’'&.]*(?:[-/][\w’'&.]+)*")
# a capital right after one of these starts a sentence or a quotation; after a dash or a parenthesis it is a
# name unless it is a function word ("- Nobody liked it", "(The report...)")
OPENERS = (":", '"', "“", "”", "'", "‘", "’", "…", "*", "•", "#", ">")
TITLES = {"mr", "mrs", "ms", "dr", "prof", "sir", "jr", "sr", "st"}
ABBREVIATIONS = "".join(rf"(?<!\b{a}\.)" for a in ("Mr", "Ms", "Dr", "St", "Jr", "Sr", "Mrs", "Prof", r"e\.g", r"i\.e", "vs"))
SENTENCE_BREAK = re.compile(rf"{ABBREVIATIONS}(?<=[.!?…])[\"”')\]]*\s+|\n+")
SUFFIXES = ("ization", "isation", "ians", "ian", "ean", "ese", "ish", "ical", "ic", "ism", "ist", "an", "s", "es",
            "ed", "ing", "er", "ers")


def _base(word: str) -> str:
    """Return a word lower-cased without a possessive or a trailing full stop."""
    return re.sub(r"['’]s$", "", word.lower().rstrip(".’'"))


@lru_cache(maxsize=65536)
def forms(word: str) -> frozenset[str]:
    """Return the forms a word is compared by: itself and its stems without derivational suffixes."""
    base = _base(word)
    return frozenset({base} | {base[: -len(s)] for s in SUFFIXES if base.endswith(s) and len(base) - len(s) >= 4})


@lru_cache(maxsize=65536)
def _clipped(word: str) -> frozenset[str]:
    """Return a word's forms without a final vowel: Canada -> Canad, the stem of Canadian."""
    return frozenset(form[:-1] for form in forms(word) if len(form) >= 5 and form[-1] in "aeiouy")


class NameIndex:
    """Every word form of the user's material, for telling a name they gave from one they never wrote."""

    def __init__(self, material: str):
        parts = {part for token in set(TOKEN.findall(material)) for part in _parts(token) if part}
        self.known: set[str] = set().union(*map(forms, parts)) if parts else set()
        self.clipped: set[str] = set().union(*map(_clipped, parts)) if parts else set()

    def knows(self, word: str) -> bool:
        """Return True when the material has the word, or a form of it (possessive, plural, adjective)."""
        # Brazilian from Brazil and Canadian from Canada, but never Mario from Maria: a clipped form only
        # meets a stem that lost a suffix, never another clipped form
        return bool(forms(word) & (self.known | self.clipped) or _clipped(word) & self.known)

    def unsupported(self, text: str) -> list[str]:
        """Return the names (capitalised words past a sentence's start) in text that the material never has."""
        found: list[str] = []
        for sentence in SENTENCE_BREAK.split(text):
            for word in _names_in(sentence):
                if not self.knows(word) and word not in found:
                    found.append(word)
        return found


def _parts(token: str) -> list[str]:
    """Return the parts of a hyphenated or slashed token ("DFS-based", "CI/CD")."""
    return token.replace("/", "-").split("-")


def _before(sentence: str, start: int) -> str:
    """Return the character before position start, skipping spaces ("" at the start)."""
    index = start - 1
    while index >= 0 and sentence[index].isspace():
        index -= 1
    return sentence[index] if index >= 0 else ""


def _names_in(sentence: str) -> list[str]:
    """Return the words of one sentence or list item that are written as names."""
    names: list[str] = []
    for number, match in enumerate(TOKEN.finditer(sentence)):
        before = _before(sentence, match.start())
        opens = number == 0 or before in OPENERS
        for part in _parts(match.group(0)):
            word = _base(part)
            if opens or not part or not part[0].isupper():
                opens = False
                continue
            if len(word) < 2 or word in FUNCTION_WORDS or word in TITLES or re.match(r"i['’]", word):
                continue
            names.append(re.sub(r"['’]s$", "", part.rstrip(".’'")))
    return names
