"""Words as they sound: the tokens a script and a transcript are compared by, a small phonetic key, and how alike
two tokens are (spelling and sound mixed), so that "tech net" passes for "tech debt" and "prevented" for "presented".

    tokens("the MLOps on-call 50%")  ->  ["the", "mlops", "on", "call", "50", "percent"]
    similarity("net", "debt")        ->  0.5
"""

from __future__ import annotations

import re
from functools import lru_cache

APOSTROPHES = re.compile(r"['’‘`]")
NOT_TOKEN = re.compile(r"[^a-z0-9.%$]+")
NUMBER = re.compile(r"\d+(?:\.\d+)?")
DIGIT_RUN = re.compile(r"\d+")
DIFFERENT_FIGURES = 0.4  # two different figures are alike at most this: a change, never the same word heard
# what a transcriber writes for a number and what a script writes may differ: both become digits
NUMBER_WORDS = {
    "zero": "0", "one": "1", "two": "2", "three": "3", "four": "4", "five": "5", "six": "6", "seven": "7",
    "eight": "8", "nine": "9", "ten": "10", "eleven": "11", "twelve": "12", "thirteen": "13", "fourteen": "14",
    "fifteen": "15", "sixteen": "16", "seventeen": "17", "eighteen": "18", "nineteen": "19", "twenty": "20",
    "thirty": "30", "forty": "40", "fifty": "50", "sixty": "60", "seventy": "70", "eighty": "80", "ninety": "90",
    "hundred": "100", "thousand": "1000", "million": "1000000",
}
SAID_AS = {value: word for word, value in NUMBER_WORDS.items()}
SPELLED = {"%": "percent", "$": "dollars", "&": "and", "+": "plus"}


def tokens(text: str) -> list[str]:
    """Return the tokens of a text as they are compared: lower case, no punctuation or apostrophes, hyphens and
    slashes splitting words, "%" as "percent" and number words as digits ("ten" and "10" are one token)."""
    return list(_tokens(text))


@lru_cache(maxsize=16384)
def _tokens(text: str) -> tuple[str, ...]:
    flat = APOSTROPHES.sub("", text.lower())
    for sign, word in SPELLED.items():
        flat = flat.replace(sign, f" {word} ")
    found = []
    for raw in NOT_TOKEN.split(flat):
        token = raw.strip(".")
        if token.replace(".", "").isalnum():
            found.append(NUMBER_WORDS.get(token, token))
        elif token:
            found += [NUMBER_WORDS.get(part, part) for part in token.split(".") if part]
    return tuple(found)


def said(token: str) -> str:
    """Return a token as it is said: digits as their words where a single word says them ("50" is "fifty")."""
    if token in SAID_AS:
        return SAID_AS[token]
    if NUMBER.fullmatch(token) and len(token) == 2 and token[0] in "23456789" and token[1] != "0":
        return SAID_AS[token[0] + "0"] + SAID_AS[token[1]]  # "45" is "fortyfive"
    return token


# Sounds merged by the key: voiced and voiceless pairs, and spellings of one sound. Rules run in order.
KEY_RULES = [
    (r"^kn|^gn|^pn|^wr", lambda m: m.group(0)[1]), (r"mb$", "m"), (r"bt", "t"), (r"ph", "f"), (r"gh(?![aeiou])", ""),
    (r"tch", "ch"), (r"sch", "sk"), (r"c(?=[eiy])", "s"), (r"ck|q", "k"), (r"c", "k"), (r"x", "ks"),
    (r"(?<=.)[aeiouy]+", ""), (r"(?<=.)[hw]", ""), (r"ch|sh", "x"), (r"th", "0"),
]
MERGED = str.maketrans({"b": "p", "d": "t", "g": "k", "v": "f", "z": "s", "j": "x", "m": "n", "a": "a", "e": "a",
                        "i": "a", "o": "a", "u": "a", "y": "a", "h": "", "w": ""})
COMPILED_RULES = [(re.compile(pattern), replacement) for pattern, replacement in KEY_RULES]


@lru_cache(maxsize=16384)
def key(token: str) -> str:
    """Return a small phonetic key: consonants by sound, voicing ignored, vowels kept only as a first sound
    ("debt" and "net" are "t" and "nt"; "presented" and "prevented" differ in one sound)."""
    word = said(token)
    if not word.isalpha():
        return word
    for pattern, replacement in COMPILED_RULES:
        word = pattern.sub(replacement, word)
    word = word.translate(MERGED)
    return re.sub(r"(.)\1+", r"\1", word)


def distance(a: str, b: str) -> int:
    """Return the Levenshtein distance between two strings (Myers' bit-parallel algorithm, as Hyyrö writes it:
    one pass over b, each step a few integer operations)."""
    if not a or not b:
        return len(a) + len(b)
    peq: dict[str, int] = {}
    for index, char in enumerate(a):
        peq[char] = peq.get(char, 0) | 1 << index
    mask, last = (1 << len(a)) - 1, 1 << (len(a) - 1)
    pv, mv, score = mask, 0, len(a)
    for char in b:
        eq = peq.get(char, 0)
        xv = eq | mv
        xh = (((eq & pv) + pv) ^ pv) | eq
        ph = (mv | ~(xh | pv)) & mask
        mh = pv & xh
        if ph & last:
            score += 1
        elif mh & last:
            score -= 1
        ph = (ph << 1 | 1) & mask
        mh = (mh << 1) & mask
        pv = (mh | ~(xv | ph)) & mask
        mv = ph & xv
    return score


def _ratio(a: str, b: str) -> float:
    longest = max(len(a), len(b))
    return 1.0 - distance(a, b) / longest if longest else 1.0


@lru_cache(maxsize=65536)
def similarity(a: str, b: str) -> float:
    """Return how alike two tokens are, 0 to 1: the better of their spelling and a mix of spelling and sound.
    Numbers are compared as said ("15" and "50" as "fifteen" and "fifty"); equal tokens are 1."""
    if a == b:
        return 1.0
    if not a or not b:
        return 0.0
    figures_a, figures_b = DIGIT_RUN.findall(a), DIGIT_RUN.findall(b)
    if figures_a and figures_b and figures_a != figures_b:
        return min(DIFFERENT_FIGURES, _similarity(a, b))  # "45 percent" is no reading of "30 percent"
    return _similarity(a, b)


def _similarity(a: str, b: str) -> float:
    a_said, b_said = said(a), said(b)
    if a_said[0] != b_said[0] and abs(len(a_said) - len(b_said)) > 3:
        return 0.0  # cheap: nothing alike starts differently and differs this much in length
    spelling = _ratio(a_said, b_said)
    key_a, key_b = key(a), key(b)
    sound = _ratio(key_a, key_b) if key_a and key_b else spelling
    return max(spelling, (spelling + sound) / 2)
