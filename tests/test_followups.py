"""`coach followups`: ids, generation, regeneration, pins, hand edits and history, against a mocked endpoint."""

from __future__ import annotations

import json

import httpx
import pytest

from coach.bank.folder import load_story
from coach.bank.models import text_sha
from coach.cli import app
from coach.jobs.followups import same_question
from tests.conftest import snapshot
from tests.llm_fixtures import completion


def stories(bank) -> dict[str, bytes]:
    """Return the story files and settings, leaving out the call log."""
    return {name: data for name, data in snapshot(bank.root).items() if not name.startswith(".coach")}


def flat(text: str) -> str:
    return " ".join(text.split())


def run(runner, *args, **kwargs):
    return runner.invoke(app, [*args, "--stories", "stories"] if args and args[0] != "--help" else list(args), **kwargs)


def said(text: str, *sources: str) -> dict:
    return {"text": text, "sources": list(sources)}


# The way real models write: a sentence without its final period, numbers spelled out, a placeholder.
COST = {
    "question": "What did taking on the Scrum Lead role cost you?",
    "aims_at": "the sacrifice is told, not shown",
    "answer": [
        said("It meant extra work without recognition, on top of my own technical deliverables.",
             "Extra work without recognition", "in addition to carrying my technical deliverables"),
        said("I kept it up for two and a half years because it was what was best for the team",
             "Took on unglamorous Scrum Lead role for 2.5 years", "it was what was best for the team"),
    ],
}
MEASURE = {
    "question": "How did you know the team was doing better?",
    "aims_at": "a result without a number",
    "answer": [
        said("The clearest sign was that we maintained productivity through the transition.",
             "Maintained productivity through transition"),
        said("The number I'd give is [sprint velocity before and after]"),
    ],
}
WHY_YOU = {
    "question": "Why did your manager pick you, two months into the job?",
    "aims_at": "your unique position",
    "answer": [
        said("My manager needed the bandwidth because he was about to manage an additional team.",
             "he was also going to start managing an additional team and needed the bandwidth"),
        said("I had only been there two months, but my PM background meant I knew what the role demanded.",
             "2 months in role, but had PM background"),
    ],
}


def generated(*items) -> dict:
    return completion({"follow_ups": list(items)})


def rewritten(**answers) -> dict:
    return completion({"answers": [{"id": fid, "answer": sentences} for fid, sentences in answers.items()]})


def sent(route, call: int = -1) -> str:
    return json.loads(route.calls[call].request.content)["messages"][-1]["content"]


def ids(bank, slug: str = "team") -> list[str]:
    return load_story(bank.root / f"{slug}.md").follow_up_ids()


@pytest.fixture
def team(bank):
    return bank.root / "team.md"


def test_list_gives_each_follow_up_a_short_id_and_says_who_wrote_it(runner, bank):
    result = run(runner, "followups", "team")
    assert result.exit_code == 0, result.output
    for fid in ids(bank):
        assert len(fid) == 3 and fid in result.output
    assert "If asked about recognition" in result.output
    assert result.output.count("yours") == 3  # imported answers are the user's
    data = json.loads(run(runner, "followups", "team", "--json").output)
    assert [item["id"] for item in data["follow_ups"]] == ids(bank)
    assert data["max_words"] == 75 and data["max_seconds"] == 30


def test_ids_stay_the_same_when_other_follow_ups_come_and_go(bank, team):
    before = ids(bank)
    story = load_story(team)
    story.follow_ups.pop(0)
    bank.save(team, story)
    assert ids(bank) == before[1:]


def test_generate_adds_grounded_follow_ups_and_leaves_the_others_untouched(runner, bank, team, endpoint):
    endpoint.mock(return_value=httpx.Response(200, json=generated(COST, MEASURE, WHY_YOU)))
    before = load_story(team)
    result = run(runner, "followups", "team", "--generate", "3")
    assert result.exit_code == 0, result.output
    story = load_story(team)
    assert story.follow_ups[:3] == before.follow_ups
    new = story.follow_ups[3:]
    assert [f.question for f in new] == [COST["question"], MEASURE["question"], WHY_YOU["question"]]
    assert all(f.by == "test-model" and f.written_by_coach for f in new)
    assert new[1].answer.endswith("[sprint velocity before and after]")
    assert endpoint.call_count == 1
    assert "1 [placeholder] to fill" in result.output and "Added 3 follow-ups" in result.output
    assert "aims at: a result without a number" in result.output
    prompt = sent(endpoint)
    assert "If asked about recognition" in prompt  # told what not to repeat
    assert "Weak spots of this story" in prompt and "30%" in prompt  # the refined version's invented metric


def test_an_invented_number_is_asked_again_with_the_number_named(runner, bank, team, endpoint):
    invented = {**MEASURE, "answer": [said("Our velocity went up thirty percent within a quarter.", "Maintained productivity through transition")]}
    endpoint.side_effect = [httpx.Response(200, json=generated(COST, invented, WHY_YOU)),
                            httpx.Response(200, json=generated(COST, MEASURE, WHY_YOU))]
    result = run(runner, "followups", "team", "--generate", "3")
    assert result.exit_code == 0, result.output
    assert endpoint.call_count == 2
    assert "thirty percent" in sent(endpoint, 1) and "not in the candidate's material" in sent(endpoint, 1)
    assert "thirty" not in team.read_text()


def test_a_repeated_question_is_asked_again(runner, bank, team, endpoint):
    repeat = {**COST, "question": "Why did you continue after six months?"}
    endpoint.side_effect = [httpx.Response(200, json=generated(repeat)), httpx.Response(200, json=generated(COST))]
    result = run(runner, "followups", "team", "--generate", "1")
    assert result.exit_code == 0, result.output
    assert "repeats the question 'If asked why you continued after 6 months'" in sent(endpoint, 1)
    assert [f.question for f in load_story(team).follow_ups].count(COST["question"]) == 1


def test_an_unsourced_claim_that_survives_is_kept_with_a_note_to_confirm_it(runner, bank, team, endpoint, monkeypatch):
    monkeypatch.setenv("COACH_REASKS", "1")
    claim = {**WHY_YOU, "answer": [said("My director had already seen me run the quarterly planning offsite.", "my manager asked me")]}
    endpoint.mock(return_value=httpx.Response(200, json=generated(claim)))
    result = run(runner, "followups", "team", "--generate", "1")
    assert result.exit_code == 0, result.output
    assert "not found in your material" in result.output
    notes = load_story(team).coaching_notes
    assert any(note.startswith(f'Confirm or cut in the answer to "{WHY_YOU["question"]}"') for note in notes)


def test_a_failed_call_leaves_every_file_as_it_was(runner, bank, endpoint):
    endpoint.mock(return_value=httpx.Response(500, json={"error": {"message": "boom"}}))
    before = stories(bank)
    result = run(runner, "followups", "team", "--generate", "2")
    assert result.exit_code == 1
    assert result.output.count("\n") <= 2 and "Traceback" not in result.output
    assert stories(bank) == before


def _generate(runner, endpoint, *items):
    endpoint.mock(return_value=httpx.Response(200, json=generated(*items)))
    assert run(runner, "followups", "team", "--generate", str(len(items))).exit_code == 0


def test_regenerating_one_answer_changes_that_answer_only_and_keeps_the_old_one(runner, bank, team, endpoint):
    _generate(runner, endpoint, COST, MEASURE, WHY_YOU)
    fid = ids(bank)[4]
    before = load_story(team)
    new_answer = [said("I didn't track a metric then; we maintained productivity through the transition.",
                       "Maintained productivity through transition")]
    endpoint.mock(return_value=httpx.Response(200, json=rewritten(**{fid: new_answer})))
    result = run(runner, "followups", "team", fid, "--regenerate", "--note", "shorter")
    assert result.exit_code == 0, result.output
    after = load_story(team)
    assert [f.question for f in after.follow_ups] == [f.question for f in before.follow_ups]
    changed = [i for i, (a, b) in enumerate(zip(before.follow_ups, after.follow_ups, strict=True)) if a != b]
    assert changed == [4]
    assert after.follow_ups[4].answer.startswith("I didn't track a metric then")
    kept = after.history[-1]
    assert kept.subject == f"follow-up: {MEASURE['question']}" and kept.source == "llm:test-model"
    assert kept.text == before.follow_ups[4].answer
    assert "The candidate asks: shorter" in sent(endpoint) and f"id: {fid}" in sent(endpoint)
    assert f"Rewrote {fid}" in result.output


def test_regenerate_all_spares_pinned_hand_edited_and_hand_written_answers(runner, bank, team, endpoint):
    _generate(runner, endpoint, COST, MEASURE, WHY_YOU)
    all_ids = ids(bank)
    cost, measure, why = all_ids[3:]
    assert run(runner, "followups", "team", cost, "--pin").exit_code == 0
    text = team.read_text().replace("I knew what the role demanded.", "I knew exactly what the role demanded.")
    team.write_text(text)  # a hand edit of the why-you answer
    answer = [said("The clearest sign was that we maintained productivity through the transition.",
                   "Maintained productivity through transition")]
    endpoint.mock(return_value=httpx.Response(200, json=rewritten(**{measure: answer})))
    before = load_story(team)
    result = run(runner, "followups", "team", "--regenerate", "--all")
    assert result.exit_code == 0, result.output
    prompt = sent(endpoint)
    assert f"id: {measure}" in prompt and f"id: {cost}" not in prompt and f"id: {why}" not in prompt
    after = load_story(team)
    for position in (0, 1, 2, 3, 5):
        assert after.follow_ups[position] == before.follow_ups[position]
    assert after.follow_ups[3].pinned
    output = flat(result.output)
    assert f"{cost} (pinned)" in output and f"{why} (yours: written or edited by hand)" in output
    assert f"{all_ids[0]} (yours" in output


def test_a_pinned_answer_named_explicitly_is_regenerated(runner, bank, team, endpoint):
    _generate(runner, endpoint, COST)
    cost = ids(bank)[3]
    run(runner, "followups", "team", cost, "--pin")
    answer = [said("It meant extra work without recognition.", "Extra work without recognition")]
    endpoint.mock(return_value=httpx.Response(200, json=rewritten(**{cost: answer})))
    result = run(runner, "followups", "team", cost, "--regenerate")
    assert result.exit_code == 0, result.output
    story = load_story(team)
    assert story.follow_ups[3].answer == "It meant extra work without recognition." and story.follow_ups[3].pinned


def test_regenerate_all_with_nothing_to_rewrite_asks_no_model(runner, bank, endpoint):
    result = run(runner, "followups", "team", "--all")
    assert result.exit_code == 0, result.output
    assert endpoint.call_count == 0
    assert "Nothing regenerated" in result.output and "Name an id to regenerate it anyway" in flat(result.output)


def test_a_rewrite_that_leaves_out_an_id_is_asked_again(runner, bank, team, endpoint):
    first, second = ids(bank)[:2]
    answer = [said("It was what was best for the team.", "it was what was best for the team")]
    endpoint.side_effect = [httpx.Response(200, json=rewritten(**{first: answer})),
                            httpx.Response(200, json=rewritten(**{first: answer, second: answer}))]
    result = run(runner, "followups", "team", first, second, "--regenerate")
    assert result.exit_code == 0, result.output
    assert f"no answer for id {second}" in sent(endpoint, 1)
    story = load_story(team)
    assert story.follow_ups[0].answer == story.follow_ups[1].answer == "It was what was best for the team."
    assert [entry.source for entry in story.history[-2:]] == ["hand", "hand"]


def test_remove_keeps_the_question_and_answer_in_history(runner, bank, team):
    fid = ids(bank)[1]
    before = load_story(team).follow_ups[1]
    result = run(runner, "followups", "team", fid, "--remove")
    assert result.exit_code == 0, result.output
    story = load_story(team)
    assert before.question not in [f.question for f in story.follow_ups]
    assert story.history[-1].subject == f"removed follow-up: {before.question}" and story.history[-1].text == before.answer


def test_unknown_id_and_conflicting_options_get_one_sentence(runner, bank):
    before = stories(bank)
    result = run(runner, "followups", "team", "zzz", "--pin")
    assert result.exit_code == 2 and "no follow-up 'zzz' in team (ids: " in result.output
    result = run(runner, "followups", "team", "--generate", "2", "--remove")
    assert result.exit_code == 2 and "use one at a time" in result.output
    result = run(runner, "followups", "team", "--generate", "50")
    assert result.exit_code == 2 and "1 to 10" in result.output
    result = run(runner, "followups", "team", "--regenerate")
    assert result.exit_code == 2 and "--all" in result.output
    assert stories(bank) == before


def test_marks_live_in_front_matter_and_a_hand_edit_makes_the_answer_yours(runner, bank, team, endpoint):
    _generate(runner, endpoint, COST)
    cost = ids(bank)[3]
    text = team.read_text()
    assert f"follow_up_state:\n  {cost}: {{by: test-model, sha: {text_sha(load_story(team).follow_ups[3].answer)}}}" in text
    assert load_story(team).follow_ups[3].written_by_coach
    team.write_text(text.replace("on top of my own technical deliverables", "on top of my own deliverables"))
    assert not load_story(team).follow_ups[3].written_by_coach


def test_show_prompt_makes_no_call(runner, bank, endpoint):
    result = run(runner, "followups", "team", "--generate", "2", "--show-prompt")
    assert result.exit_code == 0 and endpoint.call_count == 0
    assert "Write exactly 2 new follow-up questions" in result.output


QUESTION_PAIRS = {  # (first, second): does the second ask what the first asks?
    True: [
        ("If asked why you continued after 6 months", "Why did you continue after six months?"),
        ("If asked about recognition", "Did you get any recognition for taking this on?"),
        ("How did the team react at first?", "How did your team react at first?"),
        ("What would you do differently?", "If you did it again, what would you do differently?"),
        ("If asked about the outcome", "What was the outcome?"),
        ("How did you measure success?", "How did you measure the success of it?"),
        ("Why did you take the risk?", "Why take that risk?"),
        ("What did the report contain?", "What did each report contain?"),
        ("If asked about the result", "What was the result?"),
        ("Why did you stay in the role?", "Why did you stay in the Scrum Lead role so long?"),
    ],
    False: [
        ("If asked why you continued after 6 months", "What did the role cost you?"),
        ("If asked about recognition", "How did you measure the team's progress?"),
        ("What did the report contain?", "Who read the report?"),
        ("If asked about specific challenges", "What was the hardest part of balancing both roles?"),
        ("How did the team react at first?", "How did you measure the impact?"),
        ("What would you do differently?", "What did you learn about yourself?"),
        ("Why did your manager pick you?", "What did your manager say at the end?"),
        ("How did you get buy-in?", "What was the risk if it failed?"),
        ("If asked about specific challenges", "What was the hardest technical challenge you faced?"),
        ("What was the outcome?", "What outcome would you change?"),
        ("If asked about the team", "How did the team react?"),
        ("How did you measure success?", "How did you measure the team's velocity?"),
    ],
}


def test_same_question_misses_little_and_cries_wolf_little():
    """Measured both ways: a repeat it misses gets through (remove it); a false alarm costs one re-ask."""
    misses = [pair for pair in QUESTION_PAIRS[True] if not same_question(*pair)]
    alarms = [pair for pair in QUESTION_PAIRS[False] if same_question(*pair)]
    assert len(misses) <= 1 and len(alarms) <= 2, (misses, alarms)
    # the ones it gets wrong: a one-word question meets a longer one that shares its word
    assert alarms == [("What was the outcome?", "What outcome would you change?"), ("If asked about the team", "How did the team react?")]


def test_rewrapping_an_answer_is_no_hand_edit(runner, bank, team, endpoint):
    _generate(runner, endpoint, COST)
    text = team.read_text()
    team.write_text(text.replace("on top of my own technical deliverables. I kept", "on top of my own technical\ndeliverables. I kept"))
    assert load_story(team).follow_ups[3].written_by_coach


def test_a_hand_written_mark_with_a_numeric_id_is_read(bank, team):
    story = load_story(team)
    story.follow_ups[0].question = "Why did your manager pick you, two months into the job?"  # id 464
    bank.save(team, story)
    assert ids(bank)[0] == "464"
    team.write_text(team.read_text().replace("values: [", "follow_up_state:\n  464: {pinned: true}\nvalues: [", 1))
    assert load_story(team).follow_ups[0].pinned


def test_naming_ids_lists_only_those(runner, bank):
    first = ids(bank)[0]
    result = run(runner, "followups", "team", first)
    assert result.exit_code == 0 and "If asked why you continued" in result.output
    assert "If asked about recognition" not in result.output


def test_ids_with_generate_or_all_are_refused(runner, bank):
    first = ids(bank)[0]
    assert "leave out the ids" in run(runner, "followups", "team", first, "--generate", "1").output
    assert "not both" in run(runner, "followups", "team", first, "--regenerate", "--all").output


def test_an_answer_edited_while_the_model_worked_is_left_alone(runner, bank, team, endpoint):
    first = ids(bank)[0]
    answer = [said("It was what was best for the team.", "it was what was best for the team")]

    def edit_then_answer(request):
        team.write_text(team.read_text().replace("why disrupt that for my ego?", "why disrupt that?"))
        return httpx.Response(200, json=rewritten(**{first: answer}))

    endpoint.side_effect = edit_then_answer
    result = run(runner, "followups", "team", first, "--regenerate")
    assert result.exit_code == 0, result.output
    assert load_story(team).follow_ups[0].answer == "The team was thriving, why disrupt that?"
    assert "edited while coach worked" in result.output


def test_follow_up_history_survives_export_and_import(runner, bank, tmp_path):
    first = ids(bank)[0]
    assert run(runner, "followups", "team", first, "--remove").exit_code == 0
    document = tmp_path / "all.md"
    assert run(runner, "export", "--out", str(document)).exit_code == 0
    assert runner.invoke(app, ["import", str(document), "--stories", "again"]).exit_code == 0
    entry = load_story(tmp_path / "again" / "team.md").history[-1]
    assert entry.subject == "removed follow-up: If asked why you continued after 6 months"
