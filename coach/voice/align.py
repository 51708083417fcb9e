"""The script's words against the words heard, aligned word by word (a Levenshtein alignment with costs), tolerant
of what a transcriber does to speech: a word misheard as a sound-alike ("tech net"), one word heard as two
("back log") or two as one, a run of words lost. A `[placeholder]` of the script takes whatever was said there.

Runs of BLOCK words heard exactly as written are taken as they are (difflib finds them); only the stretches
between them are searched, in a band around anchors (words said once in the script and heard once, in order),
and a stretch too large for that (a take of other words) along its diagonal with equal words and sounds only.
A 2-minute take against a 170-word script aligns in a few milliseconds.
"""

from __future__ import annotations

import bisect
from dataclasses import dataclass
from difflib import SequenceMatcher

from coach.method.text import FUNCTION_WORDS, PLACEHOLDER, is_placeholder, sentences
from coach.voice.sounds import key, similarity, tokens
from coach.voice.transcript import Word

BLANK = "[]"  # a placeholder's token: it matches any words said in its place
SKIP, EXTRA = 1.0, 1.0  # a script word not heard; a heard word the script does not have
EXTRA_FILLER = 0.4  # "um" is cheap to pass over, so that it never pulls the alignment off course
EXTRA_IN_BLANK = 0.05  # the words that fill a placeholder
SKIP_BLANK = 0.3  # a placeholder left unsaid ("at [Company]" said as "at my last company" is said)
JOINED = 0.15  # the cost of reading one word as two, or two as one, on top of their difference
UNRELATED = 0.3  # below this similarity a word is no reading of the other: skipped and extra, not changed
SAME = 0.85  # a word heard at least this alike is the script's word (a transcriber's small slip is no change)
HEARD = 0.5  # a script word heard at least this alike counts as heard ("net" for "debt" does)
BLOCK = 3  # tokens heard exactly as written, in a row, that are taken as aligned without a search
MOST_CELLS = 6000  # a stretch between anchors larger than this is searched along its diagonal only, WIDE either side
WIDE = 15
MARGIN = 10  # tokens either side of the anchors' path that the alignment may stray
FILLER_TOKENS = frozenset("um umm uh uhh uhm er erm ah ahh hmm hm mm mmm mhm".split())
INF = float("inf")
NOISE = 0.2  # a word heard with less confidence than this is no evidence that anything was said there
REPEATS = 4


@dataclass(frozen=True)
class ScriptToken:
    """A token of the script: its text, the script word it comes from (as written) and the sentence it is in."""

    text: str
    word: int  # index of the script word
    sentence: int

    @property
    def blank(self) -> bool:
        """Return True for a placeholder's token."""
        return self.text == BLANK


@dataclass(frozen=True)
class Pair:
    """One step of the token alignment: script tokens against heard tokens (either may be empty) and how alike."""

    script: tuple[int, ...]
    heard: tuple[int, ...]
    similarity: float


@dataclass
class ScriptWords:
    """A refined script cut into sentences, words as written and tokens as compared."""

    sentences: list[str]
    words: list[str]  # each word as written (a placeholder whole)
    tokens: list[ScriptToken]

    @classmethod
    def of(cls, text: str) -> ScriptWords:
        """Return the words and tokens of a script's text."""
        said = sentences(text)
        written: list[str] = []
        found: list[ScriptToken] = []
        for number, sentence in enumerate(said):
            for raw in _words_and_blanks(sentence):
                written.append(raw)
                for token in [BLANK] if _is_blank(raw) else tokens(raw):
                    found.append(ScriptToken(token, len(written) - 1, number))
        return cls(said, written, found)


def _words_and_blanks(sentence: str) -> list[str]:
    """Return a sentence's words, a placeholder ("[a moment you doubted]") as one word."""
    out: list[str] = []
    last = 0
    for match in PLACEHOLDER.finditer(sentence):
        if not is_placeholder(match):
            continue
        out += sentence[last : match.start()].split()
        out.append(match.group(0))
        last = match.end()
    return out + sentence[last:].split()


def _is_blank(raw: str) -> bool:
    match = PLACEHOLDER.fullmatch(raw)
    return match is not None and is_placeholder(match)


@dataclass
class HeardWords:
    """The words of a transcript as compared: tokens, each with the index of the heard word it comes from."""

    words: list[Word]
    tokens: list[str]
    word_of: list[int]
    reliable: list[bool]  # per word: False for what a transcriber makes up (see `noise`)

    @classmethod
    def of(cls, heard: list[Word] | tuple[Word, ...]) -> HeardWords:
        """Return the tokens of the heard words (a word of punctuation alone has none)."""
        texts: list[str] = []
        owners: list[int] = []
        for index, word in enumerate(heard):
            for token in tokens(word.text):
                texts.append(token)
                owners.append(index)
        return cls(list(heard), texts, owners, [not flag for flag in noise(list(heard))])


def noise(heard: list[Word]) -> list[bool]:
    """Return, for each heard word, whether it is a transcriber's noise rather than speech: heard at under NOISE
    confidence, lasting no time at all, or one of a run of the same word said REPEATS times or more ("I, I, I, I")."""
    plain = [" ".join(tokens(word.text)) for word in heard]
    flags = [(word.probability is not None and word.probability < NOISE) or word.end - word.start <= 0.0
             for word in heard]
    start = 0
    for index in range(1, len(heard) + 1):
        if index == len(heard) or plain[index] != plain[start]:
            if index - start >= REPEATS:
                flags[start:index] = [True] * (index - start)
            start = index
    return flags


def align(script: list[ScriptToken], heard: list[str]) -> list[Pair]:
    """Return the cheapest alignment of script tokens against heard tokens, in order: runs of BLOCK tokens heard
    exactly as written are taken as they are, and only the stretches between them are aligned word by word."""
    texts = [token.text for token in script]
    matcher = SequenceMatcher(None, texts, heard, autojunk=False)
    pairs: list[Pair] = []
    done_script = done_heard = 0
    for start, start_heard, size in [*matcher.get_matching_blocks()]:
        if size and size < BLOCK:
            continue
        for pair in _aligned(script[done_script:start], heard[done_heard:start_heard]):
            pairs.append(Pair(tuple(i + done_script for i in pair.script), tuple(j + done_heard for j in pair.heard),
                              pair.similarity))
        pairs += [Pair((start + k,), (start_heard + k,), 1.0) for k in range(size)]
        done_script, done_heard = start + size, start_heard + size
    return _blank_fills(pairs, texts)


def _aligned(script: list[ScriptToken], heard: list[str]) -> list[Pair]:
    """Return the cheapest alignment of a stretch of script tokens against heard tokens (a band around anchors)."""
    n, m = len(script), len(heard)
    low, high, rough = _band(script, heard)
    cost: list[list[float]] = []
    back: list[list[int]] = []
    texts = [token.text for token in script]
    extra_cost = [EXTRA_FILLER if token in FILLER_TOKENS else EXTRA for token in heard]
    for i in range(n + 1):
        lo, hi = low[i], high[i]
        row = [INF] * (hi - lo + 1)
        moves = [0] * (hi - lo + 1)
        cost.append(row)
        back.append(moves)
        blank_before = i > 0 and script[i - 1].blank
        for j in range(lo, hi + 1):
            if i == 0 and j == 0:
                row[0] = 0.0
                continue
            best, move = INF, 0
            if i > 0:  # the script token not heard
                here = _at(cost, low, i - 1, j) + (SKIP_BLANK if blank_before else SKIP)
                if here < best:
                    best, move = here, 1
            if j > 0:  # a heard token the script does not have
                extra = EXTRA_IN_BLANK if blank_before else extra_cost[j - 1]
                here = (row[j - 1 - lo] if j - 1 >= lo else INF) + extra
                if here < best:
                    best, move = here, 2
            if i > 0 and j > 0 and rough[i]:
                here = _at(cost, low, i - 1, j - 1) + _rough_change(texts[i - 1], heard[j - 1])
                best, move = (here, 3) if here < best else (best, move)
            elif i > 0 and j > 0:
                best, move = _matches(cost, low, texts, heard, i, j, best, move, blank_before)
            row[j - lo] = best
            moves[j - lo] = move
    return _trace(back, low, texts, heard, n, m)


def _matches(cost: list[list[float]], low: list[int], texts: list[str], heard: list[str], i: int, j: int,
             best: float, move: int, blank_before: bool) -> tuple[float, int]:
    """Try the moves that read script tokens as heard ones: one for one, one as two, two as one, two as two."""
    if blank_before:
        here = _at(cost, low, i - 1, j - 1)
        return (here, 3) if here < best else (best, move)
    here = _at(cost, low, i - 1, j - 1) + _change(texts[i - 1], heard[j - 1])
    if here < best:
        best, move = here, 3
    a, b = texts[i - 1], heard[j - 1]
    if j > 1 and heard[j - 2][0] == a[0]:  # one said as two: "backlog" as "back log"
        here = _at(cost, low, i - 1, j - 2) + _change(a, heard[j - 2] + b) + JOINED
        if here < best:
            best, move = here, 4
    if i > 1 and texts[i - 2] != BLANK and texts[i - 2][0] == b[0]:  # two said as one
        here = _at(cost, low, i - 2, j - 1) + 2 * _change(texts[i - 2] + a, b) + JOINED
        if here < best:
            best, move = here, 5
    if i > 1 and j > 1 and texts[i - 2] != BLANK and texts[i - 2][0] == heard[j - 2][0]:  # "mlops on" as "mlop song"
        here = _at(cost, low, i - 2, j - 2) + 2 * _change(texts[i - 2] + a, heard[j - 2] + b) + JOINED
        if here < best:
            best, move = here, 6
    return best, move


def _change(a: str, b: str) -> float:
    """Return the cost of reading script text a as heard text b: nothing when equal, as much as a skipped word and
    an extra one together when they are unrelated."""
    alike = similarity(a, b)
    return 2 * (1 - alike) if alike >= UNRELATED else SKIP + EXTRA + 0.01


def _rough_change(a: str, b: str) -> float:
    """Return the cost of reading a as b when only equal words and equal sounds count (a placeholder takes any)."""
    if a == b or a == BLANK:
        return 0.0
    return 2 * (1 - SAME) if key(a) == key(b) else SKIP + EXTRA + 0.01


def _at(cost: list[list[float]], low: list[int], i: int, j: int) -> float:
    """Return the cost at a cell of the banded table (infinite outside the band)."""
    offset = j - low[i]
    row = cost[i]
    return row[offset] if 0 <= offset < len(row) else INF


STEPS = {1: (1, 0), 2: (0, 1), 3: (1, 1), 4: (1, 2), 5: (2, 1), 6: (2, 2)}


def _trace(back: list[list[int]], low: list[int], texts: list[str], heard: list[str], n: int, m: int) -> list[Pair]:
    """Return the pairs of the cheapest path, walked back from the table's last cell."""
    pairs: list[Pair] = []
    i, j = n, m
    while i > 0 or j > 0:
        move = back[i][j - low[i]] or (1 if i > 0 else 2)  # (an unreachable cell cannot be on the path)
        di, dj = STEPS[move]
        said, got = tuple(range(i - di, i)), tuple(range(j - dj, j))
        if said and got:
            script_text = "".join(texts[k] for k in said)
            alike = 1.0 if script_text == BLANK else similarity(script_text, "".join(heard[k] for k in got))
        else:
            alike = 0.0
        pairs.append(Pair(said, got, alike))
        i, j = i - di, j - dj
    pairs.reverse()
    return pairs


def _blank_fills(pairs: list[Pair], texts: list[str]) -> list[Pair]:
    """Return the pairs with the words said after a placeholder counted as its fill (not as extras)."""
    out: list[Pair] = []
    for pair in pairs:
        last = out[-1] if out else None
        if last and not pair.script and last.script and texts[last.script[-1]] == BLANK:
            out[-1] = Pair(last.script, last.heard + pair.heard, 1.0)
        else:
            out.append(pair)
    return out


def _anchors(script: list[ScriptToken], heard: list[str]) -> list[tuple[int, int]]:
    """Return pairs (script token, heard token) of rare words said once in each, in order of both."""
    def once(texts: list[str]) -> dict[str, int]:
        seen: dict[str, int] = {}
        for index, text in enumerate(texts):
            seen[text] = -1 if text in seen else index
        return {text: index for text, index in seen.items() if index >= 0 and len(text) >= 4 and text not in FUNCTION_WORDS}

    in_script, in_heard = once([token.text for token in script]), once(heard)
    pairs = sorted((index, in_heard[text]) for text, index in in_script.items() if text in in_heard)
    return _increasing(pairs)


def _increasing(pairs: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Return the longest run of pairs whose second items increase too (patience sorting)."""
    tails: list[int] = []
    tail_at: list[int] = []
    parent = [-1] * len(pairs)
    for index, (_, j) in enumerate(pairs):
        place = bisect.bisect_left(tails, j)
        if place == len(tails):
            tails.append(j)
            tail_at.append(index)
        else:
            tails[place], tail_at[place] = j, index
        parent[index] = tail_at[place - 1] if place else -1
    chain, index = [], tail_at[-1] if tail_at else -1
    while index >= 0:
        chain.append(pairs[index])
        index = parent[index]
    return chain[::-1]


def _band(script: list[ScriptToken], heard: list[str]) -> tuple[list[int], list[int], list[bool]]:
    """Return, for each row of the table, the first and last column the alignment may use, and whether the row is
    compared roughly (equal words and equal sounds only)."""
    n, m = len(script), len(heard)
    points = [(0, 0), *((i + 1, j + 1) for i, j in _anchors(script, heard)), (n, m)]
    low, high, rough = [m] * (n + 1), [0] * (n + 1), [False] * (n + 1)
    for (i0, j0), (i1, j1) in zip(points, points[1:], strict=False):
        wide = (i1 - i0 + 1) * (j1 - j0 + 1 + 2 * MARGIN) > MOST_CELLS  # no anchor in a long stretch: a take of
        slope = (j1 - j0) / max(1, i1 - i0)  # other words, aligned along its diagonal only and roughly, to stay fast
        for i in range(i0, i1 + 1):
            first, last = (j0 + (i - i0) * slope - WIDE, j0 + (i + 1 - i0) * slope + WIDE) if wide else (j0 - MARGIN, j1 + MARGIN)
            low[i] = min(low[i], max(0, int(first)))
            high[i] = max(high[i], min(m, int(last) + 1))
            rough[i] = rough[i] or wide
    return low, high, rough
