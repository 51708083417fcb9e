"""The word alignment under the hearing: tokens as compared, sounds alike, and the script's words against the heard."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from coach.voice.align import HeardWords, ScriptWords, align, noise
from coach.voice.sounds import distance, key, similarity, tokens
from coach.voice.transcript import Word


@pytest.mark.parametrize(("text", "expected"), [
    ("MLOps on-call", ["mlops", "on", "call"]),
    ("50%", ["50", "percent"]),
    ("fifty percent", ["50", "percent"]),
    ("ten", ["10"]),
    ("It'll", ["itll"]),
    ("research-to-production", ["research", "to", "production"]),
    ("2.5 years.", ["2.5", "years"]),
    ("-core", ["core"]),
    ("'extra work'", ["extra", "work"]),
    ("...", []),
])
def test_tokens_are_compared_without_case_punctuation_or_spelling_of_numbers(text, expected):
    assert tokens(text) == expected


@pytest.mark.parametrize(("said", "heard"), [
    ("debt", "net"), ("presented", "prevented"), ("mlops", "mlop"), ("3", "free"), ("marcus", "markus"),
    ("mlopson", "mlopsong"), ("backlog", "backlog"),
])
def test_what_a_small_model_mishears_is_alike(said, heard):
    assert similarity(said, heard) >= 0.5


@pytest.mark.parametrize(("said", "heard"), [
    ("70", "50"), ("45", "30"), ("hannah", "leo"), ("the", "a"), ("45percent", "30percent"),
])
def test_different_words_and_figures_are_not_alike(said, heard):
    assert similarity(said, heard) < 0.5


def test_the_key_hears_voicing_and_silent_letters_alike():
    assert key("debt") == key("det") and key("phone") == key("fone") and key("knock") == key("nock")


@settings(max_examples=50)
@given(st.text("abcd", max_size=12), st.text("abcd", max_size=12))
def test_the_bit_parallel_distance_is_levenshtein(a, b):
    previous = list(range(len(b) + 1))
    for i, char in enumerate(a, 1):
        current = [i]
        for j, other in enumerate(b, 1):
            current.append(min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (char != other)))
        previous = current
    assert distance(a, b) == previous[-1]


def heard(text: str) -> HeardWords:
    """Return words heard 0.4 s apart."""
    return HeardWords.of([Word(f" {w}", i * 0.4, i * 0.4 + 0.3, 0.9) for i, w in enumerate(text.split())])


def pairs_of(script: str, said: str) -> list[tuple[str, str]]:
    """Return the alignment as (script tokens, heard tokens) text pairs."""
    written, got = ScriptWords.of(script), heard(said)
    return [(" ".join(written.tokens[i].text for i in pair.script), " ".join(got.tokens[j] for j in pair.heard))
            for pair in align(written.tokens, got.tokens)]


def test_one_word_heard_as_two_and_two_as_one():
    found = pairs_of("We cut the backlog in half, on call.", "We cut the back log in half, oncall.")
    assert ("backlog", "back log") in found and ("on call", "oncall") in found


def test_a_placeholder_takes_whatever_was_said_in_its_place():
    found = pairs_of("At [Company] in [year], I led it.", "At the big bank in 2019, I led it.")
    assert found[1] == ("[]", "the big bank") and found[3] == ("[]", "2019")


def test_skipped_and_extra_words_are_left_unpaired():
    found = pairs_of("I wrote the report. Then I presented it.", "I wrote the report um yesterday. I presented it.")
    assert ("then", "") in found and ("", "um") in found and ("", "yesterday") in found


def test_an_alignment_far_off_the_diagonal_is_found():
    script = " ".join(f"word{i}" for i in range(60)) + "."
    said = " ".join(f"word{i}" for i in range(40, 60))
    found = pairs_of(script, said)
    assert all(h == "" for s, h in found[:40]) and all(s == h for s, h in found[40:])


def test_noise_is_what_a_transcriber_makes_up():
    words = [Word(" I,", 1.0, 1.0 + i * 0.01, 0.9) for i in range(1, 6)] + [Word(" so", 2.0, 2.2, 0.05),
                                                                              Word(" team", 2.2, 2.5, 0.9)]
    assert noise(words) == [True] * 6 + [False]
