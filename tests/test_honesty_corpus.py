"""The honesty corpus, in both directions, through the guard of each job (see tests/honesty.py): a capable model's
faithful answers pass on the first call, with no sentence doubted; every planted invention is flagged on the sentence
that holds it. `python tests/measure_honesty.py` prints the same as counts."""

from __future__ import annotations

import pytest

from tests.honesty import entries, judge_entry

CORPUS = entries()
# flags on a faithful answer that its writer judged true problems of the answer, not false alarms
TRUE_PROBLEMS = {
    "c-01": "its quote shares no word with the sentence: the writer had the fact from a follow-up answer the prompt "
            "did not show then, and quoted something else",
    "f-07": "two sentences quote the extraction questions' own words as sources, which its writer agreed is no source",
}
# planted inventions the guard does not catch (from the held-out corpora c to f): claims made of the material's own
# words, which a lexical guard cannot tell from a paraphrase
KNOWN_MISSES = {
    "c-13": "a vendor's name that is also a common word, opening a sentence ('Snowflake let me ...')",
    "c-16": "a timeline with no number ('By the end of that week')",
    "c-25": "a vague magnitude ('hundreds of patients') the material's other figures allow",
    "d-16": "a scope widened from what the material states ('all four teams' to 'every engineering team')",
    "e-15": "a consequence never stated, in the material's words ('could have meant state fines')",
    "e-16": "a customer reaction never stated, proposed in analyze ('travellers wrote in to thank us')",
    "e-17": "a trust outcome never stated, proposed in analyze ('the other leads started asking me to review')",
    "e-19": "a team size that matches another figure's number ('all 12 engineers' against 'the last 12 months')",
    "e-20": "a superlative in a hook ('the worst Android incident Voyago had that year')",
    "e-21": "a cause never stated ('results need a clinician to review them before release')",
    "f-14": "an action never taken, in an improve line, advice where only names and numbers are held to the material",
    "f-15": "an outcome and scope in a strength line ('got the vendor to fix it for all of their customers')",
    "f-18": "a process change and scope ('a security sign-off became a required step for every vendor integration')",
    "f-20": "a cause never stated ('because the older ones were due to be retired that year')",
    "f-22": "a before and after with no number ('went from failing most nights to running clean')",
    "f-27": "an action never stated, with a name the bank knows ('I showed Steve a side-by-side diff')",
    "f-28": "an outcome only the story's hand-written refined version holds ('the team hit every quarterly goal')",
    "f-31": "a timeline with no number ('in a short call the same week')",
}


def test_the_corpus_is_large_and_goes_both_ways():
    jobs = {entry["job"] for entry in CORPUS}
    assert len(CORPUS) >= 40 and jobs == {"refine", "followups", "followup-answers", "analyze", "feedback"}
    for job in jobs:
        directions = {entry["direction"] for entry in CORPUS if entry["job"] == job}
        assert directions == {"faithful", "invented"}, job


@pytest.mark.parametrize("entry", [e for e in CORPUS if e["direction"] == "faithful"], ids=lambda e: e["id"])
def test_a_faithful_answer_passes_the_guard(entry):
    judged = judge_entry(entry)
    assert (judged.flags != []) == (entry["id"] in TRUE_PROBLEMS) and judged.passed > 0, judged.flags


@pytest.mark.parametrize("entry", [
    pytest.param(e, marks=[pytest.mark.xfail(reason=KNOWN_MISSES[e["id"]], strict=True)] if e["id"] in KNOWN_MISSES else [])
    for e in CORPUS if e["direction"] == "invented"], ids=lambda e: f"{e['id']} {e.get('kind', '')[:40]}")
def test_a_planted_invention_is_flagged_where_it_stands(entry):
    judged = judge_entry(entry)
    assert entry["planted"] and all(judged.caught(planted) for planted in entry["planted"]), judged.flags
