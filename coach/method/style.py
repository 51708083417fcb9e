"""How a story reads aloud: filler judged in context, "I" against "we", the first action, repeated phrases.

Every function here is linear in the length of the text: a draft of 10,000 words checks as fast as a short one.
"""

from __future__ import annotations

import re
from collections import Counter

from coach.method.text import FUNCTION_WORDS, sentences, words

I_WORDS = {"i", "i'm", "i've", "i'd", "i'll", "my", "me", "myself"}
WE_WORDS = {"we", "we're", "we've", "we'd", "we'll", "our", "us", "ourselves"}

# Filler: a word that adds nothing where it stands. "Actually" is filler in "I actually think" or "Actually, ...",
# not in "symptoms users actually feel"; "kind of" is filler in "kind of hard", not in "a kind of report".
INTENSIFIED = (
    r"(?:good|great|bad|hard|easy|big|small|important|interesting|difficult|helpful|happy|proud|excited|nice|"
    r"cool|well|pretty|very|quite|so|fun|tough|challenging|busy|worried|sure|glad|impressive|clear|simple|"
    r"stressful|painful|amazing|awesome|complex|complicated|valuable|useful|fast|slow|long|much)\b"
)
FILLERS = {
    "alot": r"\balot\b",
    "basically": r"\bbasically\b",
    "literally": r"\bliterally\b",
    "actually": rf"(?:^|[.!?]\s+|,\s*)actually\b|\bactually,|\bactually\s+{INTENSIFIED}"
                r"|\bi actually (?:think|thought|believe|feel|felt|want|wanted)\b",
    "really": r"(?<!\bwhat )(?<!\bwho )(?<!\bhow )(?<!\bwhy )\breally\b(?!\s+(?:is|was|are|were|mattered|matters|happened)\b)",
    "kind of": r"(?<!\ba )(?<!\bwhat )(?<!\bthe )(?<!\bthis )(?<!\bthat )(?<!\bsome )(?<!\bany )(?<!\bwhich )"
               r"\bkind of\b(?!\s+(?:a|an|the|thing|things|person|people|work|problem|role|team)\b)",
    "sort of": r"(?<!\ba )(?<!\bwhat )(?<!\bthe )(?<!\bthis )(?<!\bthat )(?<!\bsome )(?<!\bany )(?<!\bwhich )"
               r"\bsort of\b(?!\s+(?:a|an|the|thing|things|person|people|work|problem|role|team)\b)",
    "you know": r"\byou know(?:[,.!?]|\s*$)|,\s*you know\b",
    "i mean": r"(?:^|[.!?]\s+)i mean\b|\bi mean,",
    "stuff": r"\band stuff\b|\bstuff like that\b",
}
FILLER_PATTERNS = {name: re.compile(pattern) for name, pattern in FILLERS.items()}

# The first action: "I" (or "I'd", "I've"), any auxiliaries and adverbs, then a verb that is not a state of mind.
AUXILIARIES = {
    "had", "have", "has", "would", "will", "was", "were", "am", "did", "do", "could", "should", "then", "also", "still",
    "finally", "first", "immediately", "quickly", "personally", "eventually", "soon", "just", "even", "never",
    "always", "instead", "actually", "really", "decided", "chose", "started", "began", "volunteered", "offered",
    "to", "tried", "went", "ahead", "and", "already", "again", "once", "later", "now", "together", "both",
}
NOT_ACTIONS = {
    "think", "thought", "feel", "felt", "know", "knew", "believe", "believed", "hope", "hoped", "want", "wanted",
    "wish", "wished", "guess", "mean", "meant", "like", "liked", "love", "loved", "was", "were", "am", "am'",
    "worried", "wondered", "remember", "remembered", "suppose", "supposed", "needed", "need", "seemed", "enjoyed",
    "a", "an", "the", "my", "our", "no", "not", "in", "on", "at", "of", "for", "with", "as", "it", "that", "this",
    "there", "here", "so", "too", "been", "being", "be", "had", "have", "has", "myself", "alone",
}
BE_FORMS = {"was", "were", "am", "been"}
FIRST_PERSON = re.compile(r"\bI(?:['’](?:d|ve|ll|m))?\b")
BACKGROUND_SHARE = 0.3

# a phrase may end on a particle ("get buy in", "bring it back"), never on these
TRAILING_STOPWORDS = FUNCTION_WORDS - {"in", "on", "back", "up", "out", "off", "down", "over", "through"}
MAX_REPETITIONS = 3
LONGEST_PHRASE, SHORTEST_PHRASE = 8, 3


def fillers(text: str) -> list[tuple[str, int]]:
    """Return each filler used as filler, with how many times."""
    lowered = " ".join(text.lower().replace("’", "'").split())
    counted = [(name, len(pattern.findall(lowered)) if name in lowered else 0) for name, pattern in FILLER_PATTERNS.items()]
    return [(name, count) for name, count in counted if count]


def pronoun_counts(text: str, unpunctuated: bool = False) -> tuple[int, int]:
    """Return how many times "I/my" and "we/our" are said after the opening sentence; `unpunctuated` (a transcript
    with no full stop is one sentence), in all of a text of one sentence."""
    i_count = we_count = 0
    said = sentences(text)
    for sentence in said[1:] or (said if unpunctuated else []):  # the first sentence sets the scene; actions follow
        tokens = [w.lower().replace("’", "'").strip("'") for w in words(sentence)]
        i_count += sum(t in I_WORDS for t in tokens)
        we_count += sum(t in WE_WORDS for t in tokens)
    return i_count, we_count


def first_action(sentence: str) -> str | None:
    """Return the verb of the first thing "I" did in a sentence, in any tense, or None."""
    for match in FIRST_PERSON.finditer(sentence):
        following = re.findall(r"[A-Za-z'’]+", sentence[match.end() : match.end() + 80].lower())
        passive = False  # "I was asked" is done to me; "I was leading" is mine
        for word in following:
            word = word.replace("’", "'")
            if word in AUXILIARIES or (word.endswith("ly") and len(word) > 5):
                passive = passive or word in BE_FORMS
                continue
            if word not in NOT_ACTIONS and not word.startswith("'") and (not passive or word.endswith("ing")):
                return word
            break
    return None


def words_before_action(text: str) -> tuple[int, int] | None:
    """Return (words before the first action, all words), or None when no sentence says what "I" did."""
    before = 0
    for sentence in sentences(text):
        if first_action(sentence):
            return before, len(words(text))
        before += len(words(sentence))
    return None


def repeated_phrases(text: str) -> list[tuple[str, int]]:
    """Return whole phrases of three to eight words said more than once, longest first, with their counts."""
    flat = [w.lower().strip("'’.,").replace("-", " ") for w in words(text)]
    flat = " ".join(flat).split()
    covered = [False] * len(flat)
    grams = {size: list(zip(*(flat[k:] for k in range(size)), strict=False)) for size in range(2, LONGEST_PHRASE + 1)}
    counts = {size: Counter(grams[size]) for size in grams}
    found: dict[str, int] = {}
    for size in range(LONGEST_PHRASE, SHORTEST_PHRASE - 1, -1):
        starts_of: dict[tuple[str, ...], list[int]] = {}
        for start, gram in enumerate(grams[size]):
            if counts[size][gram] > 1 and not any(covered[start : start + size]):
                starts_of.setdefault(gram, []).append(start)
        for gram, starts in starts_of.items():
            phrase = _trim(list(gram))
            if len(starts) < 2 or len(phrase) < 2:
                continue
            for start in starts:
                covered[start : start + size] = [True] * size
            found.setdefault(" ".join(phrase), counts[len(phrase)][tuple(phrase)])
    return list(found.items())


def _trim(gram: list[str]) -> list[str]:
    while gram and gram[0] in FUNCTION_WORDS:
        gram = gram[1:]
    while gram and gram[-1] in TRAILING_STOPWORDS:
        gram = gram[:-1]
    return gram
