"""The fact guard on speech: the numbers and names said that the candidate's material does not back, as for a
written answer, each mapped back to the words heard so that the transcriber's confidence decides what is evidence.

What passes: a number or name the script says (aligned there, or anywhere in the refined version), a number said
where the script has a placeholder (the candidate filling a blank), and a sound-alike of a name or a figure in
the material or of the script word it was heard in place of ("Marcos" for "Marcus", "fifteen" for "fifty").
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from coach.method.grounding import Material
from coach.method.names import PERSON_AFTER, common_word
from coach.voice.align import FILLER_TOKENS, HEARD, SAME
from coach.voice.sounds import similarity, tokens
from coach.voice.transcript import Word

SOUND_ALIKE = 0.6  # a heard name at least this alike one of the material's is a mishearing of it
IN_PLACE = 0.4  # heard where the script has a word, it need only be this alike it ("Maria" for "Priya")
NAME_WORD = re.compile(r"\b[A-Z][\w'’-]+")


@dataclass(frozen=True)
class Said:
    """A number or name said that the material lacks: the words heard for it and the least sure of their confidences."""

    text: str
    kind: str  # number | name
    at: float
    probability: float | None
    words: tuple[int, ...]


@dataclass(frozen=True)
class Place:
    """What the script has where a heard word fell: its own word (and how alike), a placeholder, or nothing."""

    script: str  # the script's token there ("" for an extra word)
    similarity: float
    blank: bool


@lru_cache(maxsize=32)
def script_material(refined: str) -> Material:
    """Return the refined version as material: what the script says is never the candidate's invention."""
    return Material(refined)


@lru_cache(maxsize=32)
def _known_words(kind: str, facts: str, context: str, refined: str) -> frozenset[str]:
    """Return the name tokens (words capitalised inside a sentence) of the material and the script, for sound-alikes;
    asked only when something said is not in the material. A figure has none here: it passes as a sound-alike only
    of a figure of the script's that was not heard (see `unbacked`)."""
    text = f"{facts}\n{context}\n{refined}"
    if kind == "number":
        return frozenset()
    return frozenset(t for match in NAME_WORD.finditer(text) if not _opens_sentence(text, match.start())
                     for t in tokens(match.group(0)))


def _opens_sentence(text: str, start: int) -> bool:
    """Return True when a capitalised word opens a line or a sentence (where a capital is no sign of a name)."""
    before = text[max(0, start - 3) : start].rstrip(" \t\"'“‘(")
    return not before or before.endswith(("\n", ".", "!", "?", ":"))


def unbacked(words: list[Word], places: list[Place], material: Material, refined: str,
             unheard: frozenset[str] = frozenset()) -> list[Said]:
    """Return the numbers and names heard that neither the material nor the script backs, sound-alikes passed
    (material may be any guard with `unsupported_numbers` and `unsupported_names`, such as grounding.Either).

    `unheard` holds the script's figures not heard where the script says them: a figure heard that sounds like one
    of those ("13" for its "30") is the transcriber's mishearing, wherever the alignment put it."""
    text, starts = _joined(words)
    script = script_material(refined)  # what the material lacks is asked of the script alone (Either re-reads text)
    lacked = {"number": [n for n in material.unsupported_numbers(text) if script.unsupported_numbers(n)],
              "name": [n for n in material.unsupported_names(text) if script.unsupported_names(f"and {n}")]}
    found: list[Said] = []
    for kind, items in lacked.items():
        for item in items:
            known = _known_words(kind, getattr(material, "facts", ""), getattr(material, "context", ""), refined)
            for span in _spans(text, item, kind):
                indices = _words_in(starts, *span)
                if (indices and not _passes(item, kind, indices, places, known | unheard if kind == "number" else known)
                        and not _misread(item, indices, words)):
                    found.append(_said(item, kind, indices, words))
    return sorted(found, key=lambda said: said.at)


def _joined(words: list[Word]) -> tuple[str, list[int]]:
    """Return the heard words as one text and where each word starts in it."""
    starts, parts, at = [], [], 0
    for word in words:
        piece = word.text.strip()
        starts.append(at)
        parts.append(piece)
        at += len(piece) + 1
    return " ".join(parts), starts


def _spans(text: str, item: str, kind: str) -> list[tuple[int, int]]:
    """Return where an item the guard reported occurs in the heard text."""
    if kind == "name":
        pattern = re.compile(rf"(?<![\w]){re.escape(item)}(?![\w])")
    else:
        pattern = re.compile(rf"(?<![\w.]){re.escape(item)}")
    return [match.span() for match in pattern.finditer(text)]


def _words_in(starts: list[int], begin: int, end: int) -> tuple[int, ...]:
    """Return the indices of the words a character span of the joined text covers."""
    return tuple(i for i, start in enumerate(starts) if start < end and (i + 1 == len(starts) or starts[i + 1] > begin))


def _passes(item: str, kind: str, indices: tuple[int, ...], places: list[Place], known: frozenset[str]) -> bool:
    """Return True when the words are the script's own, fill a placeholder, or sound like something known."""
    here = [places[i] for i in indices]
    if any(place.blank for place in here) or all(place.similarity >= SAME for place in here):
        return True
    if kind == "name" and all(place.script and place.similarity >= HEARD for place in here):
        return True  # a piece of the script's word misheard ("mapped" heard as "Map Tower")
    # a figure passes as a sound-alike only where the script says the figure it sounds like ("forty" heard for its
    # "fourteen"): "40%" added elsewhere is an invention, whatever figure of the material it sounds like
    figure_here = any(place.script[:1].isdigit() for place in here)

    def in_place(token: str, script: str) -> bool:
        if kind == "name":
            return _in_place(token, script)
        if figure_here:  # a figure heard for the script's figure: only as teen and ty ("40" for "14")
            return teen_or_ty(token, script)
        return similarity(token, script) >= SOUND_ALIKE  # heard for a word that sounds like it ("13" for "third")
    said = [t for t in tokens(item) if t[0].isdigit() == (kind == "number")]
    for token in said:
        if not any(place.script and in_place(token, place.script) for place in here) and not any(
                (_sound_alike if kind == "name" else teen_or_ty)(token, other) for other in known):
            return False
    return bool(said)


def _misread(item: str, indices: tuple[int, ...], words: list[Word]) -> bool:
    """Return True for what the guard takes for a number or a name only as a transcriber writes speech: a filler
    capitalised ("Umm, at Salesforce"), the "double" of a spelled W ("a double U.S."), a common word opening a
    sentence ("Map" in "in two weeks. Map and") where the same word elsewhere reads as a name."""
    if all(token in FILLER_TOKENS for token in tokens(item)):
        return True
    following = words[indices[-1] + 1].text.strip() if indices[-1] + 1 < len(words) else ""
    if item.lower() == "double" and following[:1] in ("u", "U") and len(following.strip(".,")) <= 4:
        return True
    first = indices[0]
    opens = first == 0 or words[first - 1].text.rstrip().endswith((".", "?", "!"))
    if not (opens and item[:1].isupper() and common_word(item)):
        return False
    said = " ".join(word.text.strip() for word in words[first : first + 4])
    return not PERSON_AFTER.match(said, len(item))  # "Mark told me" names someone


def _sound_alike(a: str, b: str) -> bool:
    return similarity(a, b) >= SOUND_ALIKE


def _in_place(a: str, b: str) -> bool:
    return similarity(a, b) >= IN_PLACE


def teen_or_ty(a: str, b: str) -> bool:
    """Return True for the figures speech confuses: "fifteen" and "fifty", "thirteen" and "thirty"."""
    pair = {a, b}
    return any(pair == {f"1{d}", f"{d}0"} for d in "3456789")


def _said(item: str, kind: str, indices: tuple[int, ...], words: list[Word]) -> Said:
    """Return the item with its confidence: the least of its words' (of a number, the words with its digits,
    as a transcriber unsure of "%" may be sure of "70")."""
    digits = [i for i in indices if any(char.isdigit() for char in words[i].text)] if kind == "number" else []
    confidences = [words[i].probability for i in digits or indices]
    probability = None if any(p is None for p in confidences) else min(confidences)
    return Said(item, kind, words[indices[0]].start, probability, indices)
