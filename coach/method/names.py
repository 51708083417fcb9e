"""Names compared as people write them: `DFS-based`, `Netflix's` and `Brazilian` are known from `DFS`,
`Netflix` and `Brazil`, and a capital that only starts a sentence, a list item or a quotation is no name."""

from __future__ import annotations

import re
from functools import lru_cache

TOKEN = re.compile(r"[^\W\d_][\w’'&.]*(?:[-/][\w’'&.]+)*")
CAPITAL = re.compile(r"[^\W\d_]")
# a capital right after one of these starts a sentence, a quotation, an aside or a placeholder's sequel
OPENERS = (":", "-", "–", "—", '"', "“", "”", "'", "‘", "’", "(", "[", "]", "…", "*", "•", "#", ">")
SUFFIXES = ("ization", "isation", "ians", "ian", "ean", "ese", "ish", "ical", "ic", "ism", "ist", "an", "s", "es",
            "ed", "ing", "er", "ers")
FUNCTION_WORDS = set(
    "a an the and or but nor of to in on at for with by from as into onto over under about after before than then "
    "is are was were be been am it its this that these those my our your his her their we you he she they i me us "
    "so if not no yes all any each every some most more very just also only even still yet".split()
)
SENTENCE_BREAK = re.compile(r"(?<=[.!?…])[\"”')\]]*\s+|\n+")


def _base(word: str) -> str:
    """Return a word lower-cased without a possessive or a trailing full stop."""
    return re.sub(r"['’]s$", "", word.lower().rstrip(".’'"))


@lru_cache(maxsize=65536)
def forms(word: str) -> frozenset[str]:
    """Return the forms a word is compared by: itself and its stems without derivational suffixes."""
    base = _base(word)
    found = {base}
    for suffix in SUFFIXES:
        if base.endswith(suffix) and len(base) - len(suffix) >= 4:
            found.add(base[: -len(suffix)])
    for stem in list(found):
        if len(stem) >= 5 and stem[-1] in "aeiouy":  # Canada -> Canad(ian), Korea -> Kore(an)
            found.add(stem[:-1])
    return frozenset(found)


class NameIndex:
    """Every word form of the user's material, for telling a name they gave from one they never wrote."""

    def __init__(self, material: str):
        parts = {part for token in set(TOKEN.findall(material)) for part in _parts(token) if part}
        self.known: set[str] = set().union(*map(forms, parts)) if parts else set()

    def knows(self, word: str) -> bool:
        """Return True when the material has the word, or a form of it (possessive, plural, adjective)."""
        return bool(forms(word) & self.known)

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


def _names_in(sentence: str) -> list[str]:
    """Return the words of one sentence or list item that are written as names."""
    names: list[str] = []
    first = True
    for match in TOKEN.finditer(sentence):
        before = sentence[: match.start()].rstrip()
        opens = first or before.endswith(OPENERS) or not before.strip(" *•-#>0123456789.)")
        first = False
        for part in _parts(match.group(0)):
            word = _base(part)
            if opens or not part or not CAPITAL.match(part) or not part[0].isupper():
                opens = False
                continue
            if len(word) < 2 or word in FUNCTION_WORDS or re.match(r"i['’]", word):
                continue
            names.append(part.rstrip(".’'").removesuffix("'s").removesuffix("’s"))
    return names
