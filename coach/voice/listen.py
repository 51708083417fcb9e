"""What was heard of the script's parts: the hook that opened the take, the key words that landed, and the
stretches the transcriber lost (nothing heard where the script's words would fit in the time).

A transcriber that loses a stretch (the first words of a take, a 30-second window of a small model) leaves a run
of the script's words unmatched at a gap in the heard words' timings. When that gap could hold those words at the
take's own pace, they are counted unheard, not skipped: nobody is blamed for what the machine missed.
"""

from __future__ import annotations

from coach.voice.align import FILLER_TOKENS, HEARD, HeardWords, Pair, ScriptWords
from coach.voice.sounds import similarity, tokens
from coach.voice.transcript import Word

ALIKE = 0.7  # a hook's or key word's token heard at least this alike is heard
HOOK_SHARE = 0.6  # the share of a hook's tokens heard at the take's opening for the hook to have opened it
HOOK_SLACK = 4  # heard tokens past the hook's length it may take to come out (an "um", a "so")
# a run of script words unmatched at a gap in the timings is lost when the gap holds this share of the time they
# take to say: generous at the start (transcribers drop a take's first second), strict inside and at the end,
# where a candidate who forgot a sentence pauses too
FITS = {"start": (0.6, 1.0), "middle": (0.8, 2.0), "end": (0.9, 2.0)}  # share of the time, least seconds
KEY_SHARE = 0.6  # the share of a key phrase's words heard where the script has it ("MLOP song -core")
LONGEST = 2  # past the start, a gap over twice the words' time (and a second) is a pause: the candidate's skip
PACE = (100, 220)  # words per minute assumed when the take's own pace is out of this range


def lost_tokens(pairs: list[Pair], written: ScriptWords, heard: HeardWords, duration: float,
                wpm: int) -> list[tuple[tuple[float, float], list[int]]]:
    """Return each stretch of audio the transcriber lost, with the script tokens that fell in it."""
    pace = min(max(wpm or 150, PACE[0]), PACE[1])
    last_end = max(duration, heard.words[-1].end) if heard.words else duration
    found = []
    index = 0
    evidence = _evidence(pairs, heard)
    while index < len(pairs):
        if evidence[index]:
            index += 1
            continue
        end = index
        while end < len(pairs) and not evidence[end]:
            end += 1
        run = [t for pair in pairs[index:end] for t in pair.script]
        where = "start" if index == 0 else "end" if end == len(pairs) else "middle"
        before = _last_reliable(pairs[index - 1], heard).end if index else 0.0
        after = _first_reliable(pairs[end], heard).start if end < len(pairs) else last_end
        spoken = {heard.word_of[t] for pair in pairs[index:end] for t in pair.heard if heard.reliable[heard.word_of[t]]}
        gap = after - before - sum(heard.words[w].end - heard.words[w].start for w in spoken)  # silence, not speech
        count = len({written.tokens[t].word for t in run if not written.tokens[t].blank})
        expected = count * 60 / pace
        share, least = FITS[where]
        if count and gap >= least and gap >= share * expected and (where == "start" or gap <= LONGEST * expected + 1):
            stretch = ((max(0.0, after - expected), after) if where == "start" else
                       (before, min(last_end, before + expected)) if where == "end" else (before, after))
            found.append((stretch, run))
        index = end
    return found


def _evidence(pairs: list[Pair], heard: HeardWords) -> list[bool]:
    """Return, for each pair, whether it shows the script was heard there: a script word heard alike in a word that is
    no noise, next to another such pair (a lone match among lost words is the alignment's guess, not evidence)."""
    matched = [bool(pair.script) and pair.similarity >= HEARD
               and any(heard.reliable[heard.word_of[t]] for t in pair.heard) for pair in pairs]
    return [match and ((index > 0 and matched[index - 1]) or (index + 1 < len(pairs) and matched[index + 1]))
            for index, match in enumerate(matched)]


def _last_reliable(pair: Pair, heard: HeardWords) -> Word:
    """Return the last word of a pair that is no noise."""
    return heard.words[max(heard.word_of[t] for t in pair.heard if heard.reliable[heard.word_of[t]])]


def _first_reliable(pair: Pair, heard: HeardWords) -> Word:
    """Return the first word of a pair that is no noise."""
    return heard.words[min(heard.word_of[t] for t in pair.heard if heard.reliable[heard.word_of[t]])]


def hook_heard(hooks: tuple[str, ...], heard: HeardWords) -> str | None:
    """Return the hook whose words opened the take (the best heard, when several do), or None."""
    opening = [token for token in heard.tokens if token not in FILLER_TOKENS]
    best, best_share = None, HOOK_SHARE
    for hook in hooks:
        wanted = tokens(hook)
        if not wanted:
            continue
        window = opening[: len(wanted) + HOOK_SLACK]
        share = sum(any(similarity(token, said) >= ALIKE for said in window) for token in wanted) / len(wanted)
        if share >= best_share:
            best, best_share = hook, share
    return best


def landed(key: str, heard: HeardWords, pairs: list[Pair], written: ScriptWords, gone: set[int]) -> bool | None:
    """Return True when a key word or phrase was heard: said anywhere in the take (fuzzily, an extra word allowed
    inside), or heard where the script has it; None when not heard but the script has it only in a stretch the
    transcriber lost (nobody can tell); False otherwise."""
    wanted = tokens(key)
    if not wanted:
        return False
    if _heard_in_script(wanted, pairs, written):
        return True
    said, first = heard.tokens, wanted[0]
    if any((token == first or token[0] == first[0] and similarity(first, token) >= ALIKE)
           and _follows(wanted, said, start) for start, token in enumerate(said)):
        return True
    places = _in_script(wanted, written)
    return None if places and all(set(range(i, i + len(wanted))) <= gone for i in places) else False


def _in_script(wanted: list[str], written: ScriptWords) -> list[int]:
    """Return where the script's tokens hold the phrase."""
    texts = [token.text for token in written.tokens]
    return [i for i in range(len(texts) - len(wanted) + 1) if texts[i : i + len(wanted)] == wanted]


def _follows(wanted: list[str], said: list[str], start: int) -> bool:
    """Return True when the wanted tokens are heard from start on, allowing one extra or split word."""
    position, slack = start + 1, 1
    for token in wanted[1:]:
        while position < len(said):
            if similarity(token, said[position]) >= ALIKE:
                break
            if position + 1 < len(said) and similarity(token, said[position] + said[position + 1]) >= ALIKE:
                position += 1
                break
            if not slack:
                return False
            slack, position = slack - 1, position + 1
        else:
            return False
        position += 1
    return True


def _heard_in_script(wanted: list[str], pairs: list[Pair], written: ScriptWords) -> bool:
    """Return True when the phrase is in the script and most of its words there were heard (all of a word's)."""
    heard_at = {}
    for pair in pairs:
        for index in pair.script:
            heard_at[index] = bool(pair.heard) and pair.similarity >= HEARD
    texts = [token.text for token in written.tokens]
    size = len(wanted)
    return any(texts[i : i + size] == wanted and sum(map(heard_at.get, range(i, i + size))) >= KEY_SHARE * size
               for i in range(len(texts) - size + 1))
