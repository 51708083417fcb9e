"""`coach interview --round`: that round's questions, the interviewer told which round it is, the round kept in the
transcript; `coach sessions` compares like with like (persona and round); "I" against "we" in an answer, as
`coach check` counts them, is a finding on the round."""

from __future__ import annotations

import json
import random

import pytest

from coach.bank.catalog import common_questions
from coach.bank.settings import ROUNDS
from coach.display.interview import sessions_table
from coach.interview import plan
from coach.interview.transcripts import session_groups
from coach.method.style import pronoun_counts
from tests.conftest import snapshot
from tests.test_followups import flat
from tests.test_interview import STRONG, THIRD, WEAK, Endpoint, answers_file, feedback, run, scored, transcript_of


@pytest.mark.parametrize("round_name", ROUNDS)
def test_plan_draws_the_rounds_questions(bank, round_name):
    by_text = {q.text: q for q in common_questions()}
    for seed in range(5):
        planned = plan(bank, 4, rng=random.Random(seed), round=round_name)
        assert all(round_name in by_text[p.seed].rounds and p.round == round_name for p in planned)


def test_plan_for_a_value_in_a_round_asks_a_question_tagged_with_both(bank):
    for seed in range(5):
        planned = plan(bank, 1, ["Candor"], rng=random.Random(seed), round="peer")[0]
        question = next(q for q in common_questions() if q.text == planned.seed)
        assert "candor" in question.values and "peer" in question.rounds


def test_a_value_is_asked_only_questions_tagged_with_it(bank):
    for seed in range(10):
        for planned in plan(bank, 3, ["People Over Process", "Inclusion", "Creativity"], rng=random.Random(seed)):
            question = next(q for q in common_questions() if q.text == planned.seed)
            assert planned.value.lower() in question.values, (planned.value, planned.seed)


def test_a_round_is_named_in_the_heading_the_prompt_and_the_transcript(runner, bank, endpoint, tmp_path):
    fake = Endpoint([feedback(STRONG)])
    endpoint.side_effect = fake
    result = run(runner, "interview", "-n", "1", "--values", "Courage", "--round", "bar-raiser",
                 "--answers", answers_file(tmp_path, STRONG, "/skip"), "--seed", "2")
    assert result.exit_code == 0, result.output
    assert "Mock interview · Netflix · bar-raiser round · 1 question on Courage · neutral interviewer" in flat(result.output)
    system = fake.sent[0]["messages"][0]["content"]
    assert "This is the bar-raiser round" in system
    _, front = transcript_of(bank)
    assert front["round"] == "bar-raiser"
    sessions = json.loads(run(runner, "sessions", "--json").output)
    assert sessions[0]["round"] == "bar-raiser"


def test_show_prompt_tells_the_interviewer_the_round(runner, bank):
    result = run(runner, "interview", "--round", "recruiter", "--seed", "1", "--show-prompt")
    assert result.exit_code == 0, result.output
    assert "This is the recruiter screen" in result.output


def test_without_a_round_the_prompt_names_none(runner, bank):
    result = run(runner, "interview", "--seed", "1", "--show-prompt")
    assert result.exit_code == 0 and " round" not in result.output.split("--- user ---")[0]


def test_an_unknown_round_is_one_sentence_and_changes_nothing(runner, bank):
    before = snapshot(bank.root)
    result = run(runner, "interview", "--round", "onsite")
    assert result.exit_code == 2
    assert result.output.strip() == "Error: unknown round 'onsite'; choose one of: recruiter, manager, peer, bar-raiser"
    assert snapshot(bank.root) == before


def row(started, persona, round_name, impact):
    return {"started": started, "persona": persona, "round": round_name, "status": "complete", "answered": 1,
            "questions": 1, "scores": {"structure": 3, "ownership": 3, "impact": impact, "values": 3, "concision": 4}}


def test_sessions_are_grouped_by_persona_and_round_each_with_its_own_trend():
    rows = [row("2026-11-01 10:00", "tough", "peer", 1), row("2026-11-02 10:00", "neutral", "", 4),
            row("2026-11-03 10:00", "tough", "peer", 3), row("2026-11-04 10:00", "neutral", "", 2),
            {**row("2026-11-05 10:00", "tough", "manager", 5)}]
    groups = session_groups(rows)
    assert [(g["persona"], g["round"], len(g["sessions"])) for g in groups] == [
        ("tough", "peer", 2), ("neutral", "", 2), ("tough", "manager", 1)]
    assert groups[0]["trend"]["impact"] == [1, 3] and groups[1]["trend"]["impact"] == [4, 2]
    assert groups[2]["trend"] == {}
    shown = sessions_table(rows)
    assert "tough interviewer · peer round (2 sessions)" in shown and "impact 1 → 3" in shown
    assert "neutral interviewer · any round (2 sessions)" in shown and "impact 4 → 2" in shown
    assert "tough interviewer · manager round (1 session)" in shown
    assert "impact 1 → 2" not in shown and "impact 4 → 3" not in shown  # never across groups


def test_a_transcript_from_before_rounds_is_a_neutral_session_of_any_round():
    old = {"started": "2026-11-01 10:00", "scores": {"impact": 2}}
    assert session_groups([old])[0]["persona"] == "neutral" and session_groups([old])[0]["round"] == ""


def test_sessions_compare_like_with_like_from_real_transcripts(runner, bank, endpoint, tmp_path):
    for answer, impact, persona in ((WEAK, 2, "tough"), (STRONG, 4, "neutral"), (THIRD, 3, "tough")):
        endpoint.side_effect = Endpoint([feedback(answer, impact=scored(impact, " ".join(answer.split()[:7])))] * 3)
        done = run(runner, "interview", "-n", "1", "--values", "Courage", "--persona", persona, "--round", "peer",
                   "--answers", answers_file(tmp_path, answer, "/skip"))
        assert done.exit_code == 0, done.output
    result = run(runner, "sessions")
    assert result.exit_code == 0, result.output
    assert "tough interviewer · peer round (2 sessions)" in result.output, result.output
    assert "impact 2 → 3" in result.output, result.output
    assert "neutral interviewer · peer round (1 session)" in result.output and "impact 2 → 4" not in result.output


def test_an_answer_saying_we_more_than_i_is_a_finding_on_the_round(runner, bank, endpoint, tmp_path):
    endpoint.side_effect = Endpoint([feedback(WEAK)])
    answers = answers_file(tmp_path, WEAK, ("probe", "/skip"), ("probe", "/skip"))
    result = run(runner, "interview", "-n", "1", "--values", "Courage", "--answers", answers, "--json")
    assert result.exit_code == 0, result.output
    findings = json.loads(result.output)["rounds"][0]["findings"]
    we = [f for f in findings if f["code"] == "we-heavy"]
    i_count, we_count = pronoun_counts(WEAK)
    assert we and f'"we/our" ({we_count}) outnumber "I/my" ({i_count}) after the opening sentence' in we[0]["message"]


def test_an_answer_in_the_first_person_has_no_we_finding(runner, bank, endpoint, tmp_path):
    endpoint.side_effect = Endpoint([feedback(STRONG)])
    result = run(runner, "interview", "-n", "1", "--values", "Courage", "--answers", answers_file(tmp_path, STRONG),
                 "--json")
    assert result.exit_code == 0, result.output
    assert "we-heavy" not in [f["code"] for f in json.loads(result.output)["rounds"][0]["findings"]]


def test_a_level_draws_questions_that_suit_it(bank):
    by_text = {q.text: q for q in common_questions()}
    for seed in range(5):
        planned = plan(bank, 3, rng=random.Random(seed), round="manager", level="junior")
        assert all({"manager"} <= set(by_text[p.seed].rounds) and "junior" in by_text[p.seed].levels for p in planned)


def test_an_unknown_level_is_one_sentence(runner, bank):
    result = run(runner, "interview", "--level", "principal")
    assert result.exit_code == 2
    assert result.output.strip() == "Error: unknown level 'principal'; choose one of: junior, mid, senior, staff"


def test_a_question_asked_for_a_value_it_does_not_draw_out_says_so(runner, bank, endpoint, tmp_path):
    for seed in range(5):
        planned = plan(bank, 1, ["People Over Process"], rng=random.Random(seed), round="recruiter")
        assert planned[0].stand_in == ("no recruiter-round question left draws out People Over Process, so coach asks "
                                       "a question for a story type that shows it")
        assert plan(bank, 1, ["People Over Process"], rng=random.Random(seed), round="manager")[0].stand_in == ""
    two = plan(bank, 2, ["Candor"], rng=random.Random(1), round="recruiter")  # one recruiter question is tagged Candor
    assert two[0].stand_in == "" and "no recruiter-round question left draws out Candor" in two[1].stand_in
    fake = Endpoint([feedback(STRONG)])
    endpoint.side_effect = fake
    result = run(runner, "interview", "-n", "1", "--values", "People Over Process", "--round", "recruiter",
                 "--answers", answers_file(tmp_path, STRONG, "/skip"), "--seed", "2")
    assert result.exit_code == 0, result.output
    assert ("Note: no recruiter-round question left draws out People Over Process, so coach asks a question for a "
            "story type that shows it.") in flat(result.output)
    text, _ = transcript_of(bank)
    assert ("_Note: no recruiter-round question left draws out People Over Process, so coach asks a question for a "
            "story type that shows it._") in text
    scripted = run(runner, "interview", "-n", "1", "--values", "People Over Process", "--round", "recruiter",
                   "--answers", answers_file(tmp_path, STRONG, "/skip"), "--seed", "2", "--json")
    assert "Note: no recruiter-round question left draws out People Over Process" in scripted.stderr
    json.loads(scripted.stdout)
