"""A failure is a failure, and `--explain` only reads: a job whose answer keeps failing its checks exits non-zero
with the reasons and never blames the user's draft; an answer kept with doubts is logged as such, never as plain ok;
`coach refine --explain` shows the last refine from the call log or the file without a call or a write."""

from __future__ import annotations

import json
import re
import sqlite3

import httpx
import pytest
import respx

from coach.cli import app
from tests.conftest import snapshot
from tests.llm_fixtures import RISK_SENTENCES, completion, refinement, sentences
from tests.test_analyze import INVENTED, OPENED, POSITION, SITUATION, STRUGGLE, analysis, proposal
from tests.test_followups import COST, WHY_YOU, flat, generated, ids, rewritten

UNSOURCED = "Even when a new manager stopped the practice, the team brought it back themselves."


@pytest.fixture
def team(bank):
    """The team story with three context answers emptied, for analyze to read the draft for."""
    path = bank.root / "team.md"
    text = path.read_text()
    for answer in OPENED:
        text = text.replace(f"\n{answer}\n", "\n")
    path.write_text(text)
    return path


def run(runner, *args, **kwargs):
    return runner.invoke(app, [*args, "--stories", "stories"], **kwargs)


def outcomes(bank) -> list[tuple[str, str, int]]:
    with sqlite3.connect(bank.root / ".coach" / "coach.db") as db:
        return db.execute("SELECT command, outcome, attempts FROM calls ORDER BY id").fetchall()


def only_the_first(missing: str) -> dict:
    """An analysis that answers question 1 and leaves out questions 2 and 3 (each time in other words)."""
    return analysis({**SITUATION, "missing": missing})


def test_analyze_whose_answer_leaves_questions_out_three_times_fails_and_blames_no_draft(runner, bank, team, endpoint):
    endpoint.side_effect = [httpx.Response(200, json=only_the_first(words)) for words in ("", "-", "--")]
    before = snapshot(bank.root)
    result = run(runner, "analyze", "team")
    assert result.exit_code == 1
    assert endpoint.call_count == 3
    error = flat(result.stderr)
    assert error.startswith("Error: the model's answer failed the method's checks 3 times")
    assert "question 2 has no entry" in error and "question 3 has no entry" in error
    assert "coach log --show 1" in error
    assert "nothing in your draft" not in result.output and "Gaps" not in result.output
    assert {k: v for k, v in snapshot(bank.root).items() if not k.startswith(".coach")} == before
    assert outcomes(bank) == [("analyze", "failed checks", 3)]
    log = flat(run(runner, "log").output)
    assert "failed checks (3 tries)" in log and " ok" not in log
    shown = flat(run(runner, "log", "--show", "1").output)
    assert "rejected because: 1. question 2 has no entry" in shown


def test_analyze_kept_with_doubts_says_so_and_never_lists_the_dropped_question_as_a_gap(runner, bank, team, endpoint):
    endpoint.side_effect = [httpx.Response(200, json=analysis(SITUATION, INVENTED, STRUGGLE)),
                            httpx.Response(200, json=analysis(SITUATION, INVENTED, STRUGGLE))]
    result = run(runner, "analyze", "team")
    assert result.exit_code == 0, result.output
    output = flat(result.output)
    assert "kept with 2 doubts the model did not settle" in output
    gaps = output.split("Gaps")[1].split("Not settled by the model")[0]
    assert "What was your unique position" not in gaps  # the model's failure, not the draft's
    assert "Not settled by the model (nothing is known about your draft here" in output
    assert "Kept with 2 doubts that every re-ask left standing: 1. question 2: \"three\" is not in" in output
    assert outcomes(bank) == [("analyze", "kept with doubts", 2)]
    log = flat(run(runner, "log").output)
    assert "kept with doubts (2 tries)" in log and " ok" not in log
    assert "kept with these doubts: 1. question 2" in flat(run(runner, "log", "--show", "1").output)


def test_analyze_json_names_a_dropped_proposal_and_the_doubts(runner, bank, team, endpoint):
    endpoint.respond(200, json=analysis(SITUATION, INVENTED, STRUGGLE))
    data = json.loads(run(runner, "analyze", "team", "--json").output)
    by_number = {item["number"]: item for item in data["open"]}
    assert [by_number[n]["status"] for n in (1, 2, 3)] == ["proposed", "dropped", "gap"]
    assert by_number[2]["missing"].startswith("the model proposed an answer coach could not trace")
    assert data["doubts"] and all(doubt.startswith("question 2:") for doubt in data["doubts"])


def test_a_gap_the_model_gives_no_reason_for_is_the_models_reading(runner, bank, team, endpoint):
    endpoint.respond(200, json=analysis(SITUATION, POSITION, proposal(3)))
    result = run(runner, "analyze", "team")
    assert result.exit_code == 0, result.output
    assert "missing: the model found nothing in your draft that answers it" in flat(result.output)
    assert outcomes(bank) == [("analyze", "ok", 1)]


def test_a_refine_kept_with_doubts_is_logged_as_such(runner, bank, endpoint):
    pairs = [*RISK_SENTENCES[:3], (UNSOURCED, []), *RISK_SENTENCES[4:]]
    endpoint.respond(200, json=completion(refinement(sentences=sentences(pairs))))
    result = runner.invoke(app, ["refine", "risk"])
    assert result.exit_code == 0, result.output
    assert "kept with 1 doubt the model did not settle" in " ".join(result.stdout.split())  # wrapped at 80 columns
    assert outcomes(bank) == [("refine", "kept with doubts", 2)]


def refined_and_explained(runner, bank, endpoint, answer: dict):
    """Refine the risk story once, then explain it with no endpoint at all: return the text, the JSON, and what
    the explaining did to the bank and the network."""
    endpoint.respond(200, json=completion(answer))
    assert runner.invoke(app, ["refine", "risk"]).exit_code == 0
    calls = endpoint.call_count
    before = snapshot(bank.root)
    text = runner.invoke(app, ["refine", "risk", "--explain"])
    data = runner.invoke(app, ["refine", "risk", "--explain", "--json"])
    assert text.exit_code == 0 and data.exit_code == 0, text.output + data.output
    assert endpoint.call_count == calls  # no request
    assert snapshot(bank.root) == before  # not a byte written, the call log included
    return text.stdout, json.loads(data.stdout)[0]


def verdicts_in(text: str) -> list[str]:
    return re.findall(r"^      verdict: (\w+)", text, flags=re.MULTILINE)


def test_explain_reads_the_last_refine_from_the_call_log_and_json_agrees(runner, bank, endpoint):
    answer = refinement(sentences=sentences([*RISK_SENTENCES[:3], (UNSOURCED, ["a new manager stopped it"]),
                                             *RISK_SENTENCES[4:]]))
    answer["sentences"][0]["sources"].append("our pager went off forty times a night")
    text, data = refined_and_explained(runner, bank, endpoint, answer)
    assert data["from"] == "log" and data["call"] == 1
    assert f"(`coach log --show {data['call']}`)" in flat(text)
    assert verdicts_in(text) == [s["verdict"] for s in data["sentences"]]
    # a made-up quote beside real ones puts its sentence in doubt, as a sentence resting on a quote of nothing does
    assert [s["verdict"] for s in data["sentences"]] == ["doubt"] + ["supported"] * 2 + ["doubt"] + ["supported"] * 2
    lines = text.splitlines()
    first = lines.index(f"   1. {RISK_SENTENCES[0][0]}")
    assert lines[first + 3 : first + 6] == ['      ✗ not in your material: "our pager went off forty times a night"',
                                            "      verdict: doubt",
                                            '        the quote "our pager went off forty times a night" is not in the']
    assert data["sentences"][0]["sources"][2] == {"quote": "our pager went off forty times a night", "found": False}
    assert data["sentences"][0]["reasons"] == ['the quote "our pager went off forty times a night" is not in the '
                                               "candidate's draft or answers"]
    assert f"   4. {UNSOURCED}" in lines


def test_explain_of_a_refined_text_no_logged_refine_wrote_reads_the_file(runner, bank):
    with respx.mock(assert_all_called=False) as router:  # no endpoint configured, and none asked
        before = snapshot(bank.root)
        text = run(runner, "refine", "risk", "--explain")
        data = run(runner, "refine", "risk", "--explain", "--json")
    assert text.exit_code == 0 and data.exit_code == 0, text.output + data.output
    assert router.calls.call_count == 0 and snapshot(bank.root) == before
    explained = json.loads(data.stdout)[0]
    assert explained["from"] == "file" and explained["call"] is None
    # sources unknown: each sentence is judged on the material alone (its facts, its words, its outcomes)
    assert explained["sentences"] and all(s["sources"] == [] for s in explained["sentences"])
    assert {s["verdict"] for s in explained["sentences"]} <= {"supported", "doubt", "invented"}
    assert verdicts_in(text.stdout) == [s["verdict"] for s in explained["sentences"]]
    assert "no refine in the call log wrote it" in flat(text.stdout)


def test_explain_after_a_hand_edit_reads_the_file_not_an_older_answer(runner, bank, endpoint):
    endpoint.respond(200, json=completion(refinement()))
    assert runner.invoke(app, ["refine", "risk"]).exit_code == 0
    path = bank.root / "risk.md"
    path.write_text(path.read_text().replace("wearing people down", "grinding people down"))
    data = json.loads(runner.invoke(app, ["refine", "risk", "--explain", "--json"]).stdout)[0]
    assert data["from"] == "file" and "grinding people down" in data["sentences"][0]["text"]


def test_explain_finds_an_answer_an_older_coach_logged_only_in_the_cache(runner, bank, endpoint):
    endpoint.respond(200, json=completion(refinement()))
    assert runner.invoke(app, ["refine", "risk"]).exit_code == 0
    with sqlite3.connect(bank.root / ".coach" / "coach.db") as db:
        db.execute("UPDATE calls SET content = ''")
    data = json.loads(runner.invoke(app, ["refine", "risk", "--explain", "--json"]).stdout)[0]
    assert data["from"] == "log" and [s["text"] for s in data["sentences"]] == [text for text, _ in RISK_SENTENCES]


def test_explain_says_plainly_when_there_is_nothing_to_explain(runner, bank):
    assert run(runner, "new", "risk", "--title", "Shipping weekly").exit_code == 0
    text = run(runner, "refine", "shipping-weekly", "--explain")
    assert text.exit_code == 0
    assert flat(text.stdout) == ("shipping-weekly: no refined version yet, so nothing to explain; "
                                 "`coach refine shipping-weekly` writes one.")
    data = json.loads(run(runner, "refine", "shipping-weekly", "--explain", "--json").stdout)
    assert data == [{"story": "shipping-weekly", "file": "stories/shipping-weekly.md", "from": "none",
                     "call": None, "sentences": []}]


def test_explain_refuses_options_that_only_a_new_refine_uses(runner, bank):
    result = run(runner, "refine", "risk", "--explain", "--fresh")
    assert result.exit_code != 0
    assert "--explain shows the last refine and asks no model; leave out --fresh" in flat(result.output)


def test_generated_follow_ups_kept_with_doubts_say_so_on_screen_and_in_the_log(runner, bank, endpoint):
    repeat = {**COST, "question": "Why did you continue after six months?"}
    endpoint.respond(200, json=generated(repeat))
    result = run(runner, "followups", "team", "--generate", "1")
    assert result.exit_code == 0, result.output
    output = flat(result.output)
    assert "kept with 1 doubt the model did not settle" in output
    assert "Kept with 1 doubt that every re-ask left standing: 1. follow-up 'Why did you continue" in output
    assert outcomes(bank) == [("followups", "kept with doubts", 2)]


def test_rewritten_answers_that_leave_an_id_out_every_time_fail_and_change_nothing(runner, bank, endpoint):
    target, other = ids(bank)[:2]
    endpoint.side_effect = [httpx.Response(200, json=rewritten(**{other: WHY_YOU["answer"]})) for _ in range(3)]
    before = snapshot(bank.root)
    result = run(runner, "followups", "team", target, "--regenerate")
    assert result.exit_code == 1
    assert f"no answer for id {target}" in flat(result.stderr)
    assert {k: v for k, v in snapshot(bank.root).items() if not k.startswith(".coach")} == before
    assert outcomes(bank) == [("followups", "failed checks", 2)]


def test_refine_json_lists_the_doubts_its_answer_was_kept_with(runner, bank, endpoint):
    pairs = [*RISK_SENTENCES[:3], (UNSOURCED, []), *RISK_SENTENCES[4:]]
    endpoint.respond(200, json=completion(refinement(sentences=sentences(pairs))))
    data = json.loads(runner.invoke(app, ["refine", "risk", "--json"]).stdout)[0]
    assert [s["verdict"] for s in data["sentences"]].count("doubt") == 1
    assert len(data["call"]["doubts"]) == 1 and UNSOURCED in data["call"]["doubts"][0]
