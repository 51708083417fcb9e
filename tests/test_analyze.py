"""`coach analyze`: proposals from the draft with verified quotes, gaps, accepting, and the interactive walk."""

from __future__ import annotations

import json

import httpx
import pytest

from coach.analyze import open_questions, plan
from coach.bank.folder import load_story
from coach.cli import app
from coach.cli.jobs import walk
from coach.errors import Interrupted
from tests.llm_fixtures import completion
from tests.test_followups import flat, sent, stories

OPENED = {  # the team story's context answers, emptied so that the draft has something to propose
    "Lead engineer going on 6-month paternity leave, manager taking on third team": "",
    "2 months in role, but had PM background": "",
    "Needed Scrum Lead coverage, risk of losing momentum": "",
}


def run(runner, *args, **kwargs):
    return runner.invoke(app, [*args, "--stories", "stories"], **kwargs)


@pytest.fixture
def team(bank):
    path = bank.root / "team.md"
    text = path.read_text()
    for answer in OPENED:
        text = text.replace(f"\n{answer}\n", "\n")
    path.write_text(text)
    assert [q.text for q in load_story(path).unanswered()] == [
        "What was the team situation/dynamic?", "What was your unique position/expertise?", "What was the team struggling with?"]
    return path


def proposal(number, answer="", quotes=(), missing=""):
    return {"number": number, "answerable": bool(answer), "answer": answer, "quotes": list(quotes), "missing": missing}


SITUATION = proposal(1, "My lead engineer was going on paternity leave for 6 months, and my manager was taking on an additional team",
                     ["he was going on paternity leave for 6 months", "going to start managing an additional team"])
POSITION = proposal(2, "I had only been there 2 months, but I had extensive knowledge as a PM",
                    ["I was at Salesforce for 2 months", "Bc of my extensive knowledge as a PM"])
STRUGGLE = proposal(3, missing="what the team was struggling with before you stepped in")
INVENTED = proposal(2, "I had led three teams as a PM before joining", ["I had led three teams as a PM"])


def analysis(*items) -> dict:
    return completion({"questions": list(items)})


def test_analyze_writes_verified_proposals_and_lists_the_gaps(runner, bank, team, endpoint):
    endpoint.mock(return_value=httpx.Response(200, json=analysis(SITUATION, POSITION, STRUGGLE)))
    before = load_story(team)
    result = run(runner, "analyze", "team")
    assert result.exit_code == 0, result.output
    output = flat(result.output)
    assert "Proposed from your draft" in output and 'from your draft: "he was going on paternity leave for 6 months"' in output
    assert "Gaps your draft does not answer" in output and "missing: what the team was struggling with" in output
    story = load_story(team)
    assert [q.answer for q in story.questions()] == [q.answer for q in before.questions()]  # no answer yet
    first, second, third = story.questions()[:3]
    assert first.proposed.startswith("My lead engineer was going on paternity leave") and second.proposed
    assert third.proposed == ""
    text = team.read_text()
    assert '> Proposed: My lead engineer was going on paternity leave for 6 months' in text
    assert '> From your draft: "he was going on paternity leave for 6 months"' in text
    assert len(story.unanswered()) == 3  # a proposal is no answer until accepted
    assert "paternity leave for 6 months, and my manager" not in story.material()
    status = json.loads(run(runner, "status", "--json").output)
    team_row = next(row for row in status["stories"] if row["slug"] == "team")
    assert team_row["proposed"] == 2 and team_row["analyzed"] is False
    assert "☐ 2 to accept" in run(runner, "status").output
    prompt = sent(endpoint)
    assert "1. (Context Questions) What was the team situation/dynamic?" in prompt
    assert "What did you choose to do instead?" in prompt  # answered questions are context, not asked


def test_a_proposal_on_an_invented_fact_is_asked_again_and_dropped_if_it_stays(runner, bank, team, endpoint):
    endpoint.side_effect = [httpx.Response(200, json=analysis(SITUATION, INVENTED, STRUGGLE)),
                            httpx.Response(200, json=analysis(SITUATION, INVENTED, STRUGGLE))]
    result = run(runner, "analyze", "team")
    assert result.exit_code == 0, result.output
    assert endpoint.call_count == 2  # the same answer twice ends the re-asks
    assert "question 2:" in sent(endpoint, 1) and "three" in sent(endpoint, 1)
    story = load_story(team)
    assert story.questions()[1].proposed == ""
    assert "led three teams" not in team.read_text()
    unsettled = flat(result.output.split("Not settled by the model")[1])
    assert "2. What was your unique position/expertise? the model proposed an answer coach could not trace" in unsettled


def test_a_quote_that_is_not_in_the_draft_is_never_shown_as_support(runner, bank, team, endpoint):
    fabricated = proposal(2, "I had only been there 2 months, but I had extensive knowledge as a PM",
                          ["I had been a PM for eight years"])
    endpoint.mock(return_value=httpx.Response(200, json=analysis(SITUATION, fabricated, STRUGGLE)))
    result = run(runner, "analyze", "team", "--json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    by_number = {item["number"]: item for item in data["open"]}
    assert by_number[1]["status"] == "proposed" and by_number[1]["quotes"] == SITUATION["quotes"]
    assert by_number[2]["status"] == "dropped" and "eight years" not in team.read_text()


def test_accept_all_turns_proposals_into_answers(runner, bank, team, endpoint):
    endpoint.mock(return_value=httpx.Response(200, json=analysis(SITUATION, POSITION, STRUGGLE)))
    result = run(runner, "analyze", "team", "--accept-all")
    assert result.exit_code == 0, result.output
    story = load_story(team)
    assert story.questions()[0].answer == SITUATION["answer"] and story.questions()[1].answer == POSITION["answer"]
    assert not story.questions()[0].proposed and "> Proposed" not in team.read_text()
    assert [q.text for q in story.unanswered()] == ["What was the team struggling with?"]
    assert "Answered now:" in result.output


def test_stored_proposals_need_no_model_the_second_time(runner, bank, team, endpoint):
    endpoint.mock(return_value=httpx.Response(200, json=analysis(SITUATION, POSITION, proposal(3, "Needed coverage", ["needed the bandwidth"]))))
    assert run(runner, "analyze", "team").exit_code == 0
    calls = endpoint.call_count
    result = run(runner, "analyze", "team", "--accept-all")
    assert result.exit_code == 0, result.output
    assert endpoint.call_count == calls
    assert load_story(team).unanswered() == []


def test_interactive_walk_accepts_replaces_skips_and_quits_keeping_what_was_answered(runner, bank, team, endpoint):
    endpoint.mock(return_value=httpx.Response(200, json=analysis(SITUATION, POSITION, STRUGGLE)))
    result = run(runner, "analyze", "team", "--interactive", input="\nMy own words about my PM years\nq\n")
    assert result.exit_code == 0, result.output
    story = load_story(team)
    assert story.questions()[0].answer == SITUATION["answer"]
    assert story.questions()[1].answer == "My own words about my PM years" and not story.questions()[1].proposed
    assert story.questions()[2].answer == ""
    assert "Enter accepts" in result.output and "2 answers saved" in result.output


def test_interactive_walk_skips_and_ends_with_the_input(runner, bank, team, endpoint):
    endpoint.mock(return_value=httpx.Response(200, json=analysis(SITUATION, POSITION, STRUGGLE)))
    result = run(runner, "analyze", "team", "-i", input="s\n\n")
    assert result.exit_code == 0, result.output
    story = load_story(team)
    assert story.questions()[0].answer == "" and story.questions()[0].proposed  # skipped: still proposed
    assert story.questions()[1].answer == POSITION["answer"]


def test_ctrl_c_in_the_walk_keeps_every_answer_given(bank, team):
    story = load_story(team)
    story.extraction[0].questions[0].proposed = "A proposal"
    bank.save(team, story)
    replies = iter(["", KeyboardInterrupt])

    def ask(prompt):
        reply = next(replies)
        if reply is KeyboardInterrupt:
            raise KeyboardInterrupt
        return reply

    outcome = plan(bank, "team")
    with pytest.raises(Interrupted, match="1 answer saved"):
        walk(bank, outcome, lambda text: None, ask, lambda item, i, n: item.question)
    assert load_story(team).questions()[0].answer == "A proposal"


def test_nothing_the_user_wrote_is_replaced(runner, bank, team, endpoint):
    answered = load_story(team).questions()[3].answer
    wrong = proposal(4, "Something else entirely", ["Focus only on technical deliverables"])
    endpoint.mock(return_value=httpx.Response(200, json=analysis(SITUATION, POSITION, STRUGGLE, wrong)))
    assert run(runner, "analyze", "team", "--accept-all").exit_code == 0
    assert load_story(team).questions()[3].answer == answered


def test_a_story_without_a_draft_lists_gaps_and_asks_no_model(runner, bank, endpoint):
    result = runner.invoke(app, ["new", "risk", "--title", "Shipping weekly", "--stories", "stories"])
    assert result.exit_code == 0, result.output
    before = stories(bank)
    result = run(runner, "analyze", "shipping-weekly")
    assert result.exit_code == 0, result.output
    assert endpoint.call_count == 0 and stories(bank) == before
    assert "No draft yet" in result.output and "15. What specific aspect connects" in result.output


def test_a_failed_call_leaves_the_story_as_it_was(runner, bank, team, endpoint):
    endpoint.mock(return_value=httpx.Response(401, json={"error": {"message": "Incorrect API key provided", "code": "invalid_api_key"}}))
    before = stories(bank)
    result = run(runner, "analyze", "team")
    assert result.exit_code == 1 and "Traceback" not in result.output
    assert stories(bank) == before


def test_open_questions_carry_their_number_in_the_story(bank, team):
    numbers = [(q.number, q.group) for q in open_questions(load_story(team))]
    assert numbers == [(1, "Context Questions"), (2, "Context Questions"), (3, "Context Questions")]


def test_a_quote_broken_over_lines_is_stored_on_one_line_and_never_becomes_an_answer(runner, bank, team, endpoint):
    wrapped = proposal(1, SITUATION["answer"], ["he was going on paternity\nleave for 6 months", "going to start managing an additional team"])
    endpoint.mock(return_value=httpx.Response(200, json=analysis(wrapped, POSITION, STRUGGLE)))
    assert run(runner, "analyze", "team").exit_code == 0
    story = load_story(team)
    assert story.questions()[0].answer == "" and story.questions()[0].proposed_from[0] == "he was going on paternity leave for 6 months"
    assert len(story.unanswered()) == 3


@pytest.mark.parametrize("answer, quotes", [
    ("The team was struggling with constant production outages and low morale after layoffs.",
     ["get the team to be a well oiled machine"]),  # a real quote that shares one word
    ("It was at Netflix.", ["Netflix"]),  # the target company, not the draft
    ("The Team Story shows it.", ["The Team Story"]),  # the title is no quote
])
def test_a_proposal_its_quotes_do_not_carry_is_dropped(runner, bank, team, endpoint, answer, quotes):
    endpoint.mock(return_value=httpx.Response(200, json=analysis(proposal(1, answer, quotes), POSITION, STRUGGLE)))
    assert run(runner, "analyze", "team").exit_code == 0
    assert load_story(team).questions()[0].proposed == ""
    assert answer not in team.read_text()


def test_typed_answers_that_look_like_markdown_structure_stay_answers(runner, bank, team, endpoint):
    endpoint.mock(return_value=httpx.Response(200, json=analysis(SITUATION, POSITION, STRUGGLE)))
    result = run(runner, "analyze", "team", "-i", input="## Struggles\n> Proposed: hmm\n#### Momentum\n")
    assert result.exit_code == 0, result.output
    story = load_story(team)
    assert [q.answer for q in story.questions()[:3]] == ["\\## Struggles", "\\> Proposed: hmm", "\\#### Momentum"]
    assert len(story.questions()) == 16


def test_accept_all_and_the_walk_work_offline_with_the_proposals_in_the_file(runner, bank, team, monkeypatch):
    story = load_story(team)
    story.extraction[0].questions[0].proposed = "A proposal kept in the file"
    bank.save(team, story)
    result = run(runner, "analyze", "team", "-i", input="\n")  # no endpoint configured
    assert result.exit_code == 0, result.output
    assert "walking with the proposals already in the file" in result.output
    assert load_story(team).questions()[0].answer == "A proposal kept in the file"
    story = load_story(team)
    story.extraction[0].questions[1].proposed = "Another"
    bank.save(team, story)
    result = run(runner, "analyze", "team", "--accept-all")
    assert result.exit_code == 0, result.output
    assert load_story(team).questions()[1].answer == "Another"


def test_accept_takes_the_proposal_as_the_user_edited_it(runner, bank, team):
    story = load_story(team)
    story.extraction[0].questions[0].proposed = "coach's words"
    bank.save(team, story)
    team.write_text(team.read_text().replace("> Proposed: coach's words", "> Proposed: my better words"))
    assert run(runner, "analyze", "team", "--accept-all").exit_code == 0
    assert load_story(team).questions()[0].answer == "my better words"
