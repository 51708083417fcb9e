"""Filler words in speech: "um", "uh", "you know", "like" where it fills, "so" where it opens for nothing.

A word the script itself has at that point is never a filler (the script's "like I'd do at Netflix" is meant).
Transcribers leave many fillers out even when prompted to keep them, so the count is a lower bound.
"""

from __future__ import annotations

import re

from coach.voice.align import NOISE
from coach.voice.transcript import Word

SOUNDS = frozenset("um umm uhm uh uhh er erm ah ahh hmm hm mm mmm mhm".split())
ALWAYS = frozenset({"basically"})
# "you know" fills unless it knows something ("you know the answer"); "kind of" fills unless it names a kind
KNOWN = frozenset("that what how who why where when the a an it him her them this those these about".split())
KINDS = frozenset("a an the thing things person people work problem role team".split())
KIND_BEFORE = frozenset("a what the this that some any which".split())
LIKE_MEANT = frozenset("would i'd id feel felt looks looked look seems seemed seem sounds sounded just something "
                       "much more things stuff people don't dont didn't didnt i we you they really".split())
NOT_LETTER = re.compile(r"[^a-z']+")
SENTENCE_END = (".", "?", "!", "…")
OPENING_GAP = 0.6  # seconds of silence before a "so" that opens a thought


def bare(word: Word) -> str:
    """Return a heard word lower-cased without punctuation."""
    return NOT_LETTER.sub("", word.text.lower().replace("’", "'")).strip("'")


def fillers(words: list[Word], scripted: list[bool]) -> list[tuple[str, float]]:
    """Return each filler said (its text, when it started), given which heard words the script has there."""
    found: list[tuple[str, float]] = []
    plain = [bare(word) for word in words]
    index = 0
    while index < len(words):
        size = 0 if scripted[index] else _filler_size(words, plain, scripted, index)
        if size:
            found.append((" ".join(plain[index : index + size]), words[index].start))
            index += size
        else:
            index += 1
    return found


def _filler_size(words: list[Word], plain: list[str], scripted: list[bool], index: int) -> int:
    """Return how many words from index make a filler (0 when none)."""
    word = plain[index]
    if word in SOUNDS:  # heard unsurely as a rule ("Umm," at 3 to 30 %): a sound is a filler at any confidence
        return 1
    if words[index].probability is not None and words[index].probability < NOISE:
        return 0  # a word a transcriber barely heard ("So," at 1 %, hallucinated at the end) is no evidence
    if word in ALWAYS:
        return 1
    following = plain[index + 1] if index + 1 < len(words) and not scripted[index + 1] else ""
    after = plain[index + 2] if index + 2 < len(words) else ""
    before = plain[index - 1] if index else ""
    if (word, following) == ("you", "know"):
        return 2 if _ends_clause(words[index + 1]) or after not in KNOWN else 0
    if (word, following) == ("i", "mean"):
        return 2 if _opens(words, plain, index) or _ends_clause(words[index + 1]) else 0
    if (word, following) in (("kind", "of"), ("sort", "of")):
        return 2 if after not in KINDS and before not in KIND_BEFORE else 0
    if word == "like":  # "we, like, cut it" and "Like I said"; never "we would like", "it felt like"
        marked = _ends_clause(words[index]) and (_opens(words, plain, index) or before not in LIKE_MEANT)
        return 1 if marked or _opens(words, plain, index, comma=False) else 0
    if word == "so":
        return 1 if _opens(words, plain, index, comma=False) else 0  # ", so we cut it" is meant
    return 0


def _ends_clause(word: Word) -> bool:
    return word.text.rstrip().endswith((",", *SENTENCE_END))


def _opens(words: list[Word], plain: list[str], index: int, comma: bool = True) -> bool:
    """Return True when a word opens the take, a sentence or a thought (after a comma, a filler or a silence)."""
    if index == 0:
        return True
    previous = words[index - 1]
    ends = _ends_clause(previous) if comma else previous.text.rstrip().endswith(SENTENCE_END)
    return (ends or plain[index - 1] in SOUNDS
            or words[index].start - previous.end >= OPENING_GAP)
