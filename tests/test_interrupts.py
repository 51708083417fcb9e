"""Ctrl-C stops at once with nothing written after it; a dead server fails fast, and says so once."""

from __future__ import annotations

import signal
import threading
import time

import httpx
import respx

from coach.cli import app
from tests.conftest import snapshot
from tests.llm_fixtures import completion, refinement

LOCAL = "http://127.0.0.1:8080/v1"



class CtrlC:
    """A server answer that presses Ctrl-C while the request is in flight, then answers late."""

    def __init__(self, late=None):
        self.late = late or httpx.Response(200, json=completion(refinement()))
        self.release = threading.Event()
        self.answered = threading.Event()

    def __call__(self, request):
        signal.raise_signal(signal.SIGINT)
        self.release.wait(5)
        self.answered.set()
        return self.late


def files(bank) -> dict:
    return {k: v for k, v in snapshot(bank.root).items() if ".coach" not in k}


def finish(ctrl_c: CtrlC) -> None:
    """Let the abandoned request come back, and give its thread the time to try (and fail) to save."""
    ctrl_c.release.set()
    ctrl_c.answered.wait(5)
    time.sleep(0.3)


def test_ctrl_c_during_a_call_stops_at_once_and_writes_nothing(runner, bank, endpoint):
    before, ctrl_c = files(bank), CtrlC()
    endpoint.side_effect = ctrl_c
    started = time.monotonic()
    result = runner.invoke(app, ["refine", "risk"])
    elapsed = time.monotonic() - started
    finish(ctrl_c)
    assert result.exit_code == 130 and elapsed < 1.0
    assert result.stderr.strip() == "Interrupted; no story file was changed."
    assert files(bank) == before


def test_ctrl_c_during_a_reask_sends_nothing_more(runner, bank, endpoint):
    before, ctrl_c = files(bank), CtrlC()
    endpoint.side_effect = [httpx.Response(200, json=completion(refinement(refined="Too short."))), ctrl_c,
                            httpx.Response(200, json=completion(refinement()))]
    result = runner.invoke(app, ["refine", "risk"])
    finish(ctrl_c)
    assert result.exit_code == 130 and endpoint.call_count == 2
    assert files(bank) == before


def test_ctrl_c_with_several_stories_keeps_those_saved(runner, bank, endpoint, monkeypatch):
    monkeypatch.setenv("COACH_CONCURRENCY", "1")
    before, ctrl_c = files(bank), CtrlC()
    endpoint.side_effect = [httpx.Response(200, json=completion(refinement())), ctrl_c]
    result = runner.invoke(app, ["refine", "risk", "team"])
    finish(ctrl_c)
    assert result.exit_code == 130
    assert result.stderr.strip() == "Interrupted; risk was saved, the other 1 left as they were."
    after = files(bank)
    assert after["risk.md"] != before["risk.md"] and after["team.md"] == before["team.md"]


def test_a_dead_server_fails_fast_with_one_retry(runner, bank, monkeypatch):
    monkeypatch.setenv("OPENAI_BASE_URL", LOCAL)
    monkeypatch.setenv("COACH_MODEL", "test-model")
    before = files(bank)
    with respx.mock(base_url=LOCAL) as router:
        route = router.post("/chat/completions").mock(side_effect=httpx.ConnectError("[Errno 111] Connection refused"))
        started = time.monotonic()
        result = runner.invoke(app, ["refine", "risk"])
        elapsed = time.monotonic() - started
    assert result.exit_code == 1 and route.call_count == 2 and elapsed < 3.0
    assert result.stderr.splitlines() == [
        f"Error: could not connect to {LOCAL} after 2 attempts; check OPENAI_BASE_URL and that the server is running"]
    assert files(bank) == before


def test_a_dead_server_is_said_once_for_all_stories(runner, bank, monkeypatch):
    monkeypatch.setenv("OPENAI_BASE_URL", LOCAL)
    monkeypatch.setenv("COACH_MODEL", "test-model")
    with respx.mock(base_url=LOCAL) as router:
        route = router.post("/chat/completions").mock(side_effect=httpx.ConnectError("[Errno 111] Connection refused"))
        result = runner.invoke(app, ["refine", "--all"])
    assert result.exit_code == 1 and route.call_count == 2  # one story tried (once more), the others never started
    assert result.stdout == ""
    assert result.stderr.splitlines() == [
        f"Error: could not connect to {LOCAL} after 2 attempts; check OPENAI_BASE_URL and that the server is running; "
        "4 of 4 stories were left as they were"]


def test_every_failure_is_said_once_on_stderr(runner, bank, endpoint):
    endpoint.respond(401, json={"error": {"message": "Incorrect API key provided", "code": "invalid_api_key"}})
    result = runner.invoke(app, ["refine", "risk"])
    assert result.exit_code == 1 and result.stdout == ""
    assert result.stderr.splitlines() == ["Error: llm.test rejected the API key (401); check OPENAI_API_KEY"]


def test_a_rejected_answer_is_kept_and_read_back(runner, bank, endpoint):
    endpoint.side_effect = [httpx.Response(200, json=completion(refinement(refined=f"Too short, take {n}."))) for n in ("alpha", "beta", "gamma")]
    result = runner.invoke(app, ["refine", "risk"])
    assert result.exit_code == 1
    lines = result.stderr.splitlines()
    assert lines[0].startswith("Error: the model's answer failed the method's checks 3 times; the model keeps missing the word budget")
    assert lines[1] == "  1. refined has 4 words; it must have 112-150 words to take 45-60 seconds at 150 words per minute"
    assert lines[-1].startswith("(the last answer is kept: `coach log --show ")
    call_id = lines[-1].split("--show ")[1].rstrip("`)")
    shown = runner.invoke(app, ["log", "--show", call_id])
    assert shown.exit_code == 0
    assert "rejected because:\n  1. refined has 4 words" in shown.stdout
    assert '"text": "Too short, take gamma."' in shown.stdout


def test_ctrl_c_while_generating_follow_ups_or_analyzing_leaves_the_story_as_it_was(runner, bank, endpoint):
    from tests.test_followups import COST, generated

    for command, late in ((["followups", "team", "--generate", "1"], generated(COST)),
                          (["analyze", "risk"], completion({"questions": []}))):
        story = bank.root / f"{command[1]}.md"
        if command[0] == "analyze":  # give the risk story an open question
            story.write_text(story.read_text().replace("\nSalesforce 2023\n", "\n", 1))
        before, ctrl_c = files(bank), CtrlC(httpx.Response(200, json=late))
        endpoint.side_effect = ctrl_c
        started = time.monotonic()
        result = runner.invoke(app, command)
        elapsed = time.monotonic() - started
        finish(ctrl_c)
        assert result.exit_code == 130 and elapsed < 1.0, result.output
        assert result.stderr.strip() == "Interrupted; the story file was left as it was."
        assert files(bank) == before
