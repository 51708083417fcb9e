"""`coach refine`, `coach log` and the refine prompt, end to end through the CLI with a mocked endpoint."""

from __future__ import annotations

import json
from pathlib import Path

import httpx
import pytest
import respx

from coach.cli import app
from coach.jobs.refine import RefineTask, Target
from tests.conftest import snapshot
from tests.llm_fixtures import completion, refinement


def test_refine_without_endpoint_stops_before_any_work(runner, bank):
    before = snapshot(bank.root)
    result = runner.invoke(app, ["refine", "risk"])
    assert result.exit_code == 2
    assert result.output.strip() == (
        "Error: no model endpoint configured: set OPENAI_API_KEY for OpenAI, or OPENAI_BASE_URL for a local "
        "OpenAI-compatible server (e.g. http://localhost:11434/v1 for Ollama)"
    )
    assert snapshot(bank.root) == before


def test_show_prompt_needs_no_endpoint_and_makes_no_call(runner, bank):
    with respx.mock(assert_all_called=False) as router:
        result = runner.invoke(app, ["refine", "risk", "--show-prompt", "--target", "40-50", "--wpm", "120"])
    assert result.exit_code == 0 and router.calls.call_count == 0
    assert result.output.startswith("--- system ---\n")
    assert "Length: 40-50 seconds spoken at 120 words per minute, which is 80 to 100 words." in result.output


def test_refine_writes_story_and_prints_summary(runner, bank, endpoint):
    endpoint.respond(200, json=completion(refinement()))
    result = runner.invoke(app, ["refine", "risk"])
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert lines[:2] == ["risk: refined, 142 words = 56.8s at 150 wpm, within the 45-60s target (1",
                         "  request, 900 tokens in, 300 out)"]
    assert "  changed: Opened on the on-call problem instead of the launch" in lines
    assert "  added: 1 coaching note, 1 hook, 3 key words, 3 follow-ups" in lines
    assert "  the previous version is kept under ## History" in lines
    text = (bank.root / "risk.md").read_text()
    assert "refined_by: test-model" in text and "### If asked" not in text


def test_refine_failure_is_one_line_exit_1_and_file_unchanged(runner, bank, endpoint):
    endpoint.respond(401, json={"error": {"message": "bad key"}})
    before = (bank.root / "risk.md").read_bytes()
    result = runner.invoke(app, ["refine", "risk"])
    assert result.exit_code == 1
    assert result.stderr.strip().splitlines()[-1] == "Error: llm.test rejected the API key (401); check OPENAI_API_KEY"
    assert (bank.root / "risk.md").read_bytes() == before


def test_refine_all_refines_every_story_concurrently(runner, bank, endpoint):
    endpoint.respond(200, json=completion(refinement()))
    result = runner.invoke(app, ["refine", "--all"])
    # the canned answer only fits the risk story: the others reject it (its numbers are not theirs), and the
    # same rejected answer twice ends their re-asks
    assert endpoint.call_count == 3 * 2 + 1
    assert result.exit_code == 1
    assert "risk: refined" in result.stdout and "not refined" not in result.stdout
    failures = [line for line in result.stderr.splitlines() if "not refined" in line]
    assert [line.split(":")[0] for line in failures] == ["conflict", "learning", "team"]
    assert failures[0].startswith("conflict: not refined: the model gave the same rejected answer twice")


def test_refine_needs_a_story_or_all(runner, bank, endpoint):
    result = runner.invoke(app, ["refine"])
    assert result.exit_code == 2 and "pass --all" in result.output


def test_bad_target_window(runner, bank, endpoint):
    result = runner.invoke(app, ["refine", "risk", "--target", "sixty"])
    assert result.exit_code == 2 and result.output.strip() == "Error: --target 'sixty' is not a window like 45-60"


def test_log_lists_calls_with_totals(runner, bank, endpoint):
    assert runner.invoke(app, ["log"]).output.strip() == "No model calls recorded yet."
    endpoint.respond(200, json=completion(refinement()))
    runner.invoke(app, ["refine", "risk"])
    output = runner.invoke(app, ["log"]).output
    assert "refine risk  test-model  900/300" in output and "1 call to llm.test," in output
    assert output.strip().endswith("1 call to llm.test, 900 tokens in, 300 tokens out.")


def test_prompt_carries_every_answer_value_and_the_method(bank):
    settings = bank.settings()
    for _, story in bank.stories():
        messages = RefineTask(Path("x.md"), story, settings, Target.of(story, settings)).messages()
        system, user = messages[0]["content"], messages[1]["content"]
        assert [m["role"] for m in messages] == ["system", "user"]
        for question in story.questions():
            assert question.text in user and question.answer.split("\n")[0] in user
        for value in story.values:
            assert value in user
        meaning = next(v.meaning for v in settings.values if v.name == story.values[0])
        assert meaning in user
        for rule in ("Power Formula", 'Say "I", not "we"', "use ONLY numbers", "moment of doubt", "end with growth", "112 to 150 words"):
            assert rule in system


def test_template_syntax_in_a_draft_reaches_the_model_literally(bank):
    story = next(s for _, s in bank.stories() if s.type == "risk")
    story.draft = "I said {{ 7*7 }} and {% for x in y %} {# not a comment #}"
    settings = bank.settings()
    user = RefineTask(Path("x.md"), story, settings, Target.of(story, settings)).messages()[1]["content"]
    assert "I said {{ 7*7 }} and {% for x in y %} {# not a comment #}" in user


def test_json_output_of_check_after_refine(runner, bank, endpoint):
    endpoint.respond(200, json=completion(refinement()))
    runner.invoke(app, ["refine", "risk"])
    [report] = json.loads(runner.invoke(app, ["check", "risk", "--json"]).output)
    assert report["parts"][0]["words"] == 142
    assert not [f for f in report["findings"] if f["severity"] == "error"]


def test_story_without_draft_or_answers_is_not_sent(runner, bank, endpoint):
    runner.invoke(app, ["new", "failure"])
    result = runner.invoke(app, ["refine", "failure"])
    assert endpoint.call_count == 0 and result.exit_code == 2
    assert "failure has no draft and no answers to refine" in result.stderr


def test_piped_progress_says_only_what_happens(runner, bank, endpoint):
    endpoint.respond(200, json=completion(refinement()))
    result = runner.invoke(app, ["refine", "risk"])
    assert result.exit_code == 0 and result.stderr == ""  # no spinner, no banner when piped


def test_a_reask_shows_beside_the_spinner_on_a_terminal_only(runner, bank, endpoint):
    endpoint.side_effect = [
        httpx.Response(200, json=completion(refinement(refined="Too short."))),
        httpx.Response(200, json=completion(refinement())),
    ]
    result = runner.invoke(app, ["refine", "risk"])
    assert result.exit_code == 0 and result.stderr == ""


def test_the_spinner_shows_elapsed_seconds_and_what_happens():
    import io
    import time

    from coach.display.terminal import Progress

    stream = io.StringIO()
    progress = Progress(stream, tty=True)
    with progress.spinning("asking test-model at llm.test"):
        progress.status("re-asking (1 problem: too short)")
        time.sleep(0.25)
    progress.event("llm.test does not take max_tokens; asking again with max_completion_tokens")
    shown = stream.getvalue()
    assert "asking test-model at llm.test · 0s · re-asking (1 problem: too short)" in shown
    assert shown.endswith("llm.test does not take max_tokens; asking again with max_completion_tokens\n")


def test_the_spinner_names_the_stories_in_flight_and_counts_those_done(bank, endpoint, monkeypatch):
    import io
    import time

    from coach.display.terminal import Progress
    from coach.llm.engine import Engine
    from coach.llm.settings import settings_from_env
    from coach.refine import refine_bank

    stream = io.StringIO()
    progress = Progress(stream, tty=True)

    def answer(request):
        time.sleep(0.25)  # the spinner redraws every 0.1s
        return httpx.Response(200, json=completion(refinement()))

    endpoint.mock(side_effect=answer)
    monkeypatch.setenv("COACH_CONCURRENCY", "1")
    engine = Engine(settings_from_env(), on_status=progress.status)
    with progress.spinning("refining with test-model at llm.test"):
        refine_bank(bank, ["risk", "team"], engine, progress=progress)
    assert "refining with test-model at llm.test · risk · 0 of 2 done · 0s" in stream.getvalue()
    assert "team · 1 of 2 done" in stream.getvalue()
    assert stream.getvalue().endswith("\r\x1b[K")  # the line is cleared when the work ends


def test_a_server_of_its_own_with_no_model_named_is_one_sentence_before_any_call(runner, bank, monkeypatch):
    monkeypatch.setenv("OPENAI_BASE_URL", "http://localhost:11434/v1")
    before = snapshot(bank.root)
    with respx.mock(assert_all_called=False) as router:
        result = runner.invoke(app, ["refine", "risk"])
    assert result.exit_code == 2 and router.calls.call_count == 0
    assert result.stderr.strip() == (
        "Error: OPENAI_BASE_URL is http://localhost:11434/v1, a server with models of its own: name the one to use "
        "with COACH_MODEL or --model (`curl http://localhost:11434/v1/models` lists them; for Ollama, e.g. "
        "COACH_MODEL=llama3.1)")
    assert snapshot(bank.root) == before
    with respx.mock(base_url="http://localhost:11434/v1", assert_all_called=False) as router:
        router.post("/chat/completions").respond(200, json=completion(refinement()))
        assert runner.invoke(app, ["refine", "risk", "--model", "llama3.1"]).exit_code == 0
    monkeypatch.setenv("OPENAI_BASE_URL", "https://api.openai.com/v1")
    monkeypatch.setenv("OPENAI_API_KEY", "sk-test")
    with respx.mock(base_url="https://api.openai.com/v1", assert_all_called=False) as router:
        router.post("/chat/completions").respond(200, json=completion(refinement()))
        assert runner.invoke(app, ["refine", "risk"]).exit_code == 0  # OpenAI's own: its default model


def test_a_story_that_is_not_there_is_said_before_a_missing_endpoint(runner, bank):
    result = runner.invoke(app, ["refine", "rsik"])
    assert result.exit_code == 2 and result.stderr.startswith("Error: no story 'rsik' in ")


@pytest.mark.parametrize("url, own_models", [
    ("https://api.openai.com/v1", False), ("HTTPS://API.OPENAI.COM/v1/", False), ("https://api.openai.com:443/v1", False),
    ("https://eu.api.openai.com/v1", False), ("http://localhost:11434/v1", True), ("https://openrouter.ai/api/v1", True),
    ("https://api.openai.com.evil.test/v1", True), ("https://x.openai.azure.com/openai", True),
])
def test_which_base_urls_need_a_model_named(url, own_models):
    from coach.errors import CoachError
    from coach.llm.settings import require_endpoint, settings_from_env

    settings = settings_from_env({"OPENAI_BASE_URL": url, "OPENAI_API_KEY": "sk-test"})
    if own_models:
        with pytest.raises(CoachError, match="a server with models of its own"):
            require_endpoint(settings)
    else:
        require_endpoint(settings)
    require_endpoint(settings_from_env({"OPENAI_BASE_URL": url, "OPENAI_API_KEY": "sk-test", "COACH_MODEL": "m"}))
