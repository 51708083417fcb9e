"""The grounding guard: the same fact written another way passes, a different fact is caught, every sentence is
traced to the user's words, and nothing is ever flagged when a text is checked against itself."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from coach.method.grounding import Material, placeholders
from coach.method.quantities import quantities
from coach.method.verdict import judge

FIXTURES = Path(__file__).parent / "fixtures"
CORPUS = yaml.safe_load((FIXTURES / "grounding-corpus.yaml").read_text(encoding="utf-8"))
HELD_OUT = yaml.safe_load((FIXTURES / "grounding-heldout.yaml").read_text(encoding="utf-8"))


def test_the_corpus_is_large_and_goes_both_ways():
    kinds = [case["kind"] for case in CORPUS]
    assert len(CORPUS) >= 40 and kinds.count("faithful") >= 20 and kinds.count("invented") >= 20


def _cases(cases: list[dict]) -> list:
    return [
        pytest.param(c, id=f"{c['kind']}: {c['why']}", marks=[pytest.mark.xfail(reason=c["limit"], strict=True)] if "limit" in c else [])
        for c in cases
    ]


@pytest.mark.parametrize("case", _cases(CORPUS + HELD_OUT))
def test_corpus(case):
    material = Material(case["material"], case.get("context") or "")
    text = case["text"]
    assert material.unsupported_numbers(text) == (case.get("numbers") or [])
    assert material.unsupported_names(text) == (case.get("names") or [])
    assert placeholders(text) == case.get("placeholders", [])
    if "sources" in case:
        verdict = judge(material, text, case["sources"])
        assert (not verdict.supported) == bool(case.get("unsupported") or verdict.numbers or verdict.names), verdict


@pytest.mark.parametrize(
    "text, values",
    [
        ("five engineers", {5.0}),
        ("<10 minutes", {10.0}),
        ("a 14-hour day", {14.0}),
        ("$1.5M saved", {1_500_000.0}),
        ("12,000 checkouts", {12_000.0}),
        ("a third team", {3.0}),
        ("one hundred and twenty people", {120.0}),
        ("e2e tests, Q3 and S3", set()),
    ],
)
def test_quantities_are_read_from_digits_and_words(text, values):
    found = [q.values for q in quantities(text)]
    assert all(any(v in readings for readings in found) for v in values) and len(found) == len(values)


@pytest.mark.parametrize("text", ["9pm", "9 p.m.", "9 PM", "21:00", "9:00 pm"])
def test_clock_times_are_minutes_after_midnight(text):
    assert [(q.kind, set(q.values)) for q in quantities(text)] == [("clock", {21 * 60})]


def test_markdown_task_boxes_are_not_placeholders():
    assert placeholders("- [ ] rehearse\n- [x] time it\nsay [the metric]") == ["[the metric]"]


words = st.sampled_from(
    "I we Steve Salesforce Netflix's DFS-based Brazil Brazilian 9pm 9 p.m. 21:00 $1.2M million 50% half two and a "
    "dozen thousand 1,000 400ms 2.5 years [placeholder] [X] : - \" ( ) . , ? one third of quarter doubled thousands "
    "e2e Q3 gpt-4o the team shipped".split(" ")
)
texts = st.lists(st.one_of(words, st.text(min_size=1, max_size=12)), max_size=40).map(" ".join)


@settings(max_examples=300, deadline=None)
@given(texts)
def test_any_text_checked_against_itself_has_no_unsupported_fact(text):
    material = Material(text)
    assert material.unsupported_numbers(text) == []
    assert material.unsupported_names(text) == []


@settings(max_examples=200, deadline=None)
@given(texts)
def test_every_sentence_quoting_itself_is_supported(text):
    from coach.method.text import sentences

    material = Material(text)
    assert [v for v in (judge(material, s, [s]) for s in sentences(text)) if not v.supported] == []


@pytest.mark.parametrize("text", [
    "I tied the two together by presenting a report.", "Both of them agreed with me.",
    "One of the engineers pushed back.", "A couple of engineers pushed back.", "These three alerts mattered most.",
])
def test_words_that_point_back_are_no_counts(text):
    assert Material("I wrote a report. The engineers pushed back on the alerts.").unsupported_numbers(text) == []


def test_a_count_is_still_a_count_and_the_material_may_point_back_to_it():
    material = Material("We looked at the three incidents that hit those shippers.")
    assert material.unsupported_numbers("I hired two engineers.") == ["two"]
    assert material.unsupported_numbers("Three incidents hit the shippers.") == []
