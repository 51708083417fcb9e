"""Every refined sentence is traced to the user's words: verified quotes pass in one call, a made-up quote is
re-asked with its sentence named, and a sentence still unsupported after the re-asks is kept and shown."""

from __future__ import annotations

import json

import httpx
import respx

from coach.bank.folder import load_story
from coach.cli import app
from tests.llm_fixtures import RISK_SENTENCES, completion, refinement, sentences

INVENTED = "Even when a new manager stopped the practice, the team brought it back themselves."



def with_sentence(text: str, sources: list[str]) -> dict:
    """Return the risk refinement with its fourth sentence replaced."""
    pairs = [*RISK_SENTENCES[:3], (text, sources), *RISK_SENTENCES[4:]]
    return refinement(sentences=sentences(pairs))


def test_an_answer_written_the_way_models_write_is_accepted_in_one_call(runner, bank, endpoint):
    answer = refinement(hooks=["On my second on-call at Salesforce, I realized we were losing context at every handoff.",
                               "I asked five busy engineers to take on what felt like extra work."],
                        key_words=["lead by example", "under 10 minutes", "fifty percent"])
    endpoint.respond(200, json=completion(answer))
    result = runner.invoke(app, ["refine", "risk"])
    assert result.exit_code == 0, result.output
    assert endpoint.call_count == 1
    assert "not found in your material" not in result.output


def test_a_made_up_quote_is_sent_back_with_its_sentence_named(runner, bank, endpoint):
    endpoint.side_effect = [
        httpx.Response(200, json=completion(with_sentence(INVENTED, ["a new manager stopped the practice"]))),
        httpx.Response(200, json=completion(refinement())),
    ]
    result = runner.invoke(app, ["refine", "risk"])
    assert result.exit_code == 0, result.output
    assert endpoint.call_count == 2
    reask = json.loads(endpoint.calls[1].request.content)["messages"][-1]["content"]
    assert (f'the sentence "{INVENTED}": the quote "a new manager stopped the practice" is not in the candidate\'s '
            "draft or answers") in reask
    assert "not found in your material" not in result.stdout


def test_a_sentence_still_unsupported_after_the_reasks_is_kept_and_shown(runner, bank, endpoint):
    endpoint.respond(200, json=completion(with_sentence(INVENTED, [])))
    result = runner.invoke(app, ["refine", "risk"])
    assert result.exit_code == 0, result.output
    assert endpoint.call_count == 2  # the same answer again ends the re-asks
    assert "\n  not found in your material: " in result.stdout
    assert f'not found in your material: "{INVENTED}"' in " ".join(result.stdout.split())  # wrapped at 80 columns
    story = load_story(bank.root / "risk.md")
    assert INVENTED in story.refined
    assert f'Confirm or cut: "{INVENTED}" (not found in your material)' in story.coaching_notes


def test_a_quote_of_something_else_does_not_support_a_sentence(runner, bank, endpoint):
    endpoint.respond(200, json=completion(with_sentence(INVENTED, ["Limiting the report presentation to 10 minutes"])))
    result = runner.invoke(app, ["refine", "risk"])
    assert result.exit_code == 0 and f'not found in your material: "{INVENTED}"' in " ".join(result.stdout.split())


def test_explain_prints_each_sentence_with_its_checked_sources(runner, bank, endpoint):
    answer = refinement()
    answer["sentences"][0]["sources"].append("our pager went off forty times a night")
    endpoint.respond(200, json=completion(answer))
    assert runner.invoke(app, ["refine", "risk"]).exit_code == 0
    assert endpoint.call_count == 2  # the made-up quote is re-asked; the same answer again ends the re-asks
    result = runner.invoke(app, ["refine", "risk", "--explain"])
    assert result.exit_code == 0, result.output
    assert endpoint.call_count == 2  # --explain reads the call log: no call
    lines = result.stdout.splitlines()
    first = lines.index(f"   1. {RISK_SENTENCES[0][0]}")
    assert lines[first + 1 : first + 4] == [
        '      ✓ "Salesforce 2023"',
        '      ✓ "there was some context loss from each on-call rotation"',
        '      ✗ not in your material: "our pager went off forty times a night"',
    ]
    assert f"   6. {RISK_SENTENCES[-1][0]}" in lines


def test_a_hand_written_placeholder_shows_in_check_and_status(runner, bank):
    path = bank.root / "risk.md"
    path.write_text(path.read_text().replace("We reduced our tech debt backlog by 50%", "We reduced our tech debt backlog by [X]%"))
    check = runner.invoke(app, ["check", "risk"])
    assert check.exit_code == 1
    assert 'error    placeholder: "[X]" is still to fill' in check.stdout
    status = runner.invoke(app, ["status", "--json"])
    row = next(r for r in json.loads(status.stdout)["stories"] if r["slug"] == "risk")
    assert row["refined"] is False and row["placeholders"] == 1


@respx.mock(assert_all_called=False)
def test_show_prompt_asks_for_sources(runner, bank):
    result = runner.invoke(app, ["refine", "risk", "--show-prompt"])
    assert "exactly, word for word, from the draft or the answers" in result.stdout


def test_an_answer_with_only_doubts_is_kept_when_the_reasks_do_worse(runner, bank, endpoint):
    endpoint.side_effect = [
        httpx.Response(200, json=completion(with_sentence(INVENTED, []))),
        httpx.Response(200, json=completion(refinement(refined="Too short."))),
        httpx.Response(200, json=completion(refinement(refined="Still too short."))),
    ]
    result = runner.invoke(app, ["refine", "risk"])
    assert result.exit_code == 0, result.output
    assert f'not found in your material: "{INVENTED}"' in " ".join(result.stdout.split())
    assert INVENTED in load_story(bank.root / "risk.md").refined
