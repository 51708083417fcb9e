"""Issue 19's failures, each through the command a user runs (respx plays the endpoint): faithful answers pass on the
first call, inventions are re-asked and then refused or shown, never saved silently, and the user's own words are
theirs to verify."""

from __future__ import annotations

import json

import httpx

from coach.bank.folder import load_story
from coach.bank.models import FollowUp
from coach.bank.storyfile import render_story
from coach.cli import app
from coach.method.text import timing
from tests.llm_fixtures import RISK_SENTENCES, completion, refinement, sentences
from tests.test_interview import STRONG, Endpoint, answers_file, feedback, transcript_of


def replacing(index: int, text: str, sources: list[str]) -> dict:
    """Return the risk refinement with one sentence replaced."""
    pairs = [*RISK_SENTENCES[:index], (text, sources), *RISK_SENTENCES[index + 1 :]]
    return refinement(sentences=sentences(pairs))


def refine(runner, endpoint, *answers: dict, json_out: bool = False):
    endpoint.side_effect = [httpx.Response(200, json=completion(answer)) for answer in answers]
    return runner.invoke(app, ["refine", "risk", *(["--json"] if json_out else [])])


def flat(text: str) -> str:
    return " ".join(text.split())


LESSON = ("I learned that honesty and leading by example win people over, and my biggest lesson was [what you "
          "learned about asking for buy-in].")


def test_a_placeholder_sentence_with_a_quote_that_shares_no_word_passes_on_the_first_call(runner, bank, endpoint):
    answer = replacing(5, LESSON, ["I lead by example"])
    result = refine(runner, endpoint, answer)
    assert result.exit_code == 0, result.output
    assert endpoint.call_count == 1 and "not found in your material" not in result.stdout
    assert "[what you learned about asking for buy-in]" in load_story(bank.root / "risk.md").refined


def test_the_two_is_no_count(runner, bank, endpoint):
    text = ("I was honest with the two of them and with everyone else: yes, this feels like extra work, but it will "
            "ease on-call and let us attack tech debt strategically.")
    result = refine(runner, endpoint, replacing(3, text, RISK_SENTENCES[3][1]))
    assert result.exit_code == 0 and endpoint.call_count == 1, result.output


def test_an_invented_name_opening_a_sentence_is_refused_and_nothing_is_saved(runner, bank, endpoint):
    before = (bank.root / "risk.md").read_bytes()
    text = ("Marcus and I were honest with the team: yes, this feels like extra work, but it will ease on-call and let "
            "us attack tech debt strategically.")
    answer = replacing(3, text, ["I met their concerns head on"])
    result = refine(runner, endpoint, answer, answer, answer)
    assert result.exit_code == 1
    reask = json.loads(endpoint.calls[1].request.content)["messages"][-1]["content"]
    assert '"Marcus" is not in the candidate\'s material' in reask
    assert (bank.root / "risk.md").read_bytes() == before


OUTCOME = ("Even better, the report was later rolled out company-wide and every on-call engineer now writes one at the "
           "end of each sprint.")


def test_an_outcome_sourced_by_a_quote_sharing_one_word_is_a_doubt_shown_and_kept_with_a_note(runner, bank, endpoint):
    answer = replacing(4, OUTCOME, ["create a short report"])
    result = refine(runner, endpoint, answer, answer, json_out=True)
    assert result.exit_code == 0, result.output
    [data] = json.loads(result.stdout)
    [doubted] = [s for s in data["sentences"] if s["text"] == OUTCOME]
    assert doubted["verdict"] == "doubt" and doubted["supported"] is False
    assert "rolled out" in " ".join(doubted["reasons"])
    story = load_story(bank.root / "risk.md")
    assert any(OUTCOME in note and note.startswith("Confirm or cut") for note in story.coaching_notes)
    check = runner.invoke(app, ["check", "risk", "--json"])  # check gives the same verdict on the file
    claims = [f for f in json.loads(check.stdout)[0]["findings"] if f["code"] == "unsupported-claim"]
    assert [(f["severity"], f["message"].split('"')[1]) for f in claims] == [("warning", OUTCOME)]
    assert "claims an outcome your draft and answers never state" in claims[0]["message"]


def test_a_fabricated_quote_beside_real_ones_puts_its_sentence_in_doubt_in_json_and_text(runner, bank, endpoint):
    text, sources = RISK_SENTENCES[2]
    answer = replacing(2, text, [*sources, "I pair-programmed the first report with our director"])
    result = refine(runner, endpoint, answer, answer, json_out=True)
    [data] = json.loads(result.stdout)
    verdict = data["sentences"][2]
    assert verdict["verdict"] == "doubt" and verdict["supported"] is False
    assert {"quote": "I pair-programmed the first report with our director", "found": False} in verdict["sources"]
    explained = runner.invoke(app, ["refine", "risk", "--explain"])
    assert "verdict: doubt" in explained.stdout and endpoint.call_count == 2  # --explain asks nothing


def test_refine_follow_up_answers_need_sources_like_every_other_answer(runner, bank, endpoint):
    answer = refinement()
    answer["follow_ups"][0]["answer"] = "They pushed back for weeks until the director stepped in and settled it."
    result = refine(runner, endpoint, answer, answer)
    assert result.exit_code == 0, result.output
    assert endpoint.call_count == 2  # re-asked once; the same answer again ends the re-asks
    reask = json.loads(endpoint.calls[1].request.content)["messages"][-1]["content"]
    assert "follow-up 'How did the team react at first?'" in reask and "gives no quote" in reask
    notes = load_story(bank.root / "risk.md").coaching_notes
    assert any(n.startswith('Confirm or cut in the answer to "How did the team react at first?"') for n in notes)


def test_feedback_may_use_the_seconds_coach_gave_it_and_a_dropped_note_is_shown(runner, bank, endpoint, tmp_path):
    seconds = timing(STRONG, 150).seconds
    near = 5 * round(seconds / 5)
    good = feedback(STRONG, improvement=f"Add the result's number: at about {near} seconds you have room for it.")
    endpoint.side_effect = Endpoint([good])
    result = runner.invoke(app, ["interview", "-n", "1", "--values", "Courage", "--answers",
                                 answers_file(tmp_path, STRONG), "--stories", "stories", "--json"])
    assert result.exit_code == 0, result.output
    [round_] = json.loads(result.stdout)["rounds"]
    assert round_["improvement"] == good["improvement"] and round_["dropped"] == {}


def test_a_feedback_note_naming_someone_never_mentioned_is_dropped_with_its_reason_everywhere(runner, bank, endpoint,
                                                                                            tmp_path):
    named = feedback(STRONG, strength="You handled Karen's objection with candor.")
    endpoint.side_effect = Endpoint([named, named])
    result = runner.invoke(app, ["interview", "-n", "1", "--values", "Courage", "--answers",
                                 answers_file(tmp_path, STRONG), "--stories", "stories", "--json"])
    [round_] = json.loads(result.stdout)["rounds"]
    assert round_["strength"] == "" and "Karen" in round_["dropped"]["strength"]
    text, _ = transcript_of(bank)
    assert 'strength: dropped: "Karen" is in neither your answer nor your stories' in flat(text)


def test_check_warns_about_the_users_own_follow_up_answer_and_errs_on_coachs(runner, bank):
    path = bank.root / "learning.md"
    story = load_story(path)
    story.follow_ups = [FollowUp(question="How hard was it?", answer="It meant 70-hour weeks for a while.")]
    path.write_text(render_story(story))
    own = runner.invoke(app, ["check", "learning", "--stories", "stories", "--json"])
    [finding] = [f for f in json.loads(own.stdout)[0]["findings"] if f["part"] == "follow-up"]
    assert (finding["code"], finding["severity"]) == ("unsupported-number", "warning") and own.exit_code == 0
    story.follow_ups = [FollowUp.written("How hard was it?", "It meant 70-hour weeks for a while.", "gpt-x")]
    path.write_text(render_story(story))
    coachs = runner.invoke(app, ["check", "learning", "--stories", "stories", "--json"])
    [finding] = [f for f in json.loads(coachs.stdout)[0]["findings"] if f["part"] == "follow-up"]
    assert (finding["code"], finding["severity"]) == ("unsupported-number", "error") and coachs.exit_code == 1


def test_the_users_own_follow_up_answers_are_shown_to_every_job_as_facts(runner, bank):
    path = bank.root / "learning.md"
    story = load_story(path)
    story.follow_ups = [FollowUp(question="How hard was it?", answer="It meant 70-hour weeks for a while."),
                        FollowUp.written("What did you learn?", "That I learn fast.", "gpt-x")]
    path.write_text(render_story(story))
    for command in (["refine", "learning"], ["followups", "learning", "--generate", "2"], ["analyze", "learning"]):
        shown = runner.invoke(app, [*command, "--show-prompt", "--stories", "stories"]).stdout
        own = shown.split("Follow-up answers the candidate wrote themselves")[1]
        assert "It meant 70-hour weeks for a while." in own and "That I learn fast." not in own, command
