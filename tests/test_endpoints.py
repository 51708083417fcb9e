"""Every endpoint people run: each server's exact refusals are adapted to at once, remembered for the next run,
and every failure is one sentence, said once, with the story files unchanged.

The refusal bodies are the servers' own: llama-cpp-python 0.3.36's taken from the real server, OpenAI's, LM
Studio's and llama-server's as the issue that reported them quotes them.
"""

from __future__ import annotations

import json

import httpx
import pytest
import respx

from coach.cli import app
from tests.conftest import snapshot
from tests.llm_fixtures import completion, refinement

LLAMA_CPP_PYTHON_NO_JSON_SCHEMA = (500, {"error": {
    "message": "1 validation error:\n  {'type': 'literal_error', 'loc': ('body', 'response_format', 'type'), 'msg': "
               "\"Input should be 'text' or 'json_object'\", 'input': 'json_schema', 'ctx': {'expected': \"'text' or "
               "'json_object'\"}}\n\n  File \"/work/llamavenv/lib/python3.11/site-packages/llama_cpp/server/app.py\", "
               "line 376, in create_chat_completion\n    POST /v1/chat/completions",
    "type": "internal_server_error", "param": None, "code": None}})
OPENAI_NO_MAX_TOKENS = (400, {"error": {
    "message": "Unsupported parameter: 'max_tokens' is not supported with this model. Use 'max_completion_tokens' instead.",
    "type": "invalid_request_error", "param": "max_tokens", "code": "unsupported_parameter"}})
OPENAI_NO_TEMPERATURE = (400, {"error": {
    "message": "Unsupported value: 'temperature' does not support 0.4 with this model. Only the default (1) value is supported.",
    "type": "invalid_request_error", "param": "temperature", "code": "unsupported_value"}})
AZURE_OLD_API_NO_MAX_COMPLETION_TOKENS = (400, {"error": {
    "message": "Unrecognized request argument supplied: max_completion_tokens", "type": "invalid_request_error",
    "param": None, "code": None}})
LM_STUDIO_NO_JSON_OBJECT = (400, {"error": "'response_format.type' must be 'json_schema' or 'text'"})
LLAMA_SERVER_CONTEXT = (500, {"error": {"code": 500, "message": "Context size has been exceeded.", "type": "server_error"}})
LLAMA_CPP_PYTHON_CONTEXT = (400, {"error": {
    "message": "This model's maximum context length is 8192 tokens. However, you requested 9036 tokens (9031 in the "
               "messages, 5 in the completion). Please reduce the length of the messages or completion.",
    "type": "invalid_request_error", "param": "messages", "code": "context_length_exceeded"}})


@pytest.fixture
def serve(monkeypatch):
    """Point coach at a mocked server: serve(base_url, model) returns the chat-completions route."""
    routers = []

    def start(base_url: str, model: str):
        monkeypatch.setenv("OPENAI_BASE_URL", base_url)
        monkeypatch.setenv("COACH_MODEL", model)
        monkeypatch.setenv("COACH_RETRIES", "4")
        router = respx.mock(base_url=base_url, assert_all_called=False)
        router.start()
        routers.append(router)
        return router.post("/chat/completions")

    yield start
    for router in routers:
        router.stop()


def refusing(*refusals):
    """Return the responses of a server that refuses these shapes, then answers."""
    return [httpx.Response(status, json=body) for status, body in refusals] + [httpx.Response(200, json=completion(refinement()))]


def sent(route, n: int) -> dict:
    return json.loads(route.calls[n].request.content)


@pytest.mark.parametrize(
    "base_url, model, refusals, first, learned",
    [
        pytest.param("https://api.openai.com/v1", "gpt-4o-mini", [], {"max_tokens": 2000, "temperature": 0.4},
                     {"response_format": "json_schema"}, id="OpenAI, classic model"),
        pytest.param("https://api.openai.com/v1", "gpt-5-mini", [], {"max_completion_tokens": 16000},
                     {"temperature": None, "max_tokens": None}, id="OpenAI, reasoning model known by name"),
        pytest.param("https://openrouter.ai/api/v1", "acme/thinker-2", [OPENAI_NO_MAX_TOKENS, OPENAI_NO_TEMPERATURE],
                     {"max_tokens": 2000}, {"max_completion_tokens": 16000, "temperature": None},
                     id="gateway relaying a reasoning model's refusals"),
        pytest.param("https://coach.openai.azure.com/openai/v1", "gpt-5-mini", [AZURE_OLD_API_NO_MAX_COMPLETION_TOKENS],
                     {"max_completion_tokens": 16000}, {"max_tokens": 2000}, id="Azure OpenAI, older API version"),
        pytest.param("http://127.0.0.1:8000/v1", "smollm2", [LLAMA_CPP_PYTHON_NO_JSON_SCHEMA],
                     {"response_format": "json_schema"}, {"response_format": "json_object"}, id="llama-cpp-python"),
        pytest.param("http://localhost:11434/v1", "llama3.2", [], {"response_format": "json_schema"},
                     {"response_format": "json_schema"}, id="Ollama"),
        pytest.param("http://localhost:8000/v1", "Qwen/Qwen2.5-7B-Instruct", [], {"response_format": "json_schema"},
                     {"response_format": "json_schema"}, id="vLLM"),
        pytest.param("http://localhost:8080/v1", "gemma", [], {"response_format": "json_schema"},
                     {"response_format": "json_schema"}, id="llama-server"),
    ],
)
def test_each_server_ends_in_a_valid_refine_and_is_remembered(runner, bank, serve, base_url, model, refusals, first, learned):
    route = serve(base_url, model)
    route.side_effect = refusing(*refusals)
    result = runner.invoke(app, ["refine", "risk"])
    assert result.exit_code == 0, result.output
    assert route.call_count == len(refusals) + 1  # each refusal is adapted to at once, never retried with backoff
    assert _shape(sent(route, 0), first)
    route.side_effect = refusing()
    again = runner.invoke(app, ["refine", "risk", "--fresh"])
    assert again.exit_code == 0, again.output
    assert route.call_count == len(refusals) + 2  # the next run sends the learned request first
    assert _shape(sent(route, len(refusals) + 1), learned)


def _shape(request: dict, expected: dict) -> bool:
    for key, value in expected.items():
        if key == "response_format":
            if request["response_format"]["type"] != value:
                return False
        elif request.get(key) != value:
            return False
    return True


def test_lm_studio_refusing_json_object_gets_json_schema(runner, bank, serve, monkeypatch):
    route = serve("http://localhost:1234/v1", "qwen2.5-7b-instruct")
    route.side_effect = refusing(LM_STUDIO_NO_JSON_OBJECT)
    from coach.llm.calllog import CallLog
    from coach.llm.request import Shape

    CallLog.for_bank(bank.root).remember_shape("http://localhost:1234/v1", "qwen2.5-7b-instruct", Shape(mode="json_object").dumps())
    result = runner.invoke(app, ["refine", "risk"])
    assert result.exit_code == 0, result.output
    assert [sent(route, n)["response_format"]["type"] for n in (0, 1)] == ["json_object", "json_schema"]


def test_reasoning_effort_is_sent_and_dropped_where_refused(runner, bank, serve, monkeypatch):
    monkeypatch.setenv("COACH_REASONING_EFFORT", "low")
    route = serve("http://localhost:8080/v1", "gemma")
    refusal = (400, {"error": {"message": "Unknown parameter: 'reasoning_effort'.", "type": "invalid_request_error",
                               "param": "reasoning_effort", "code": "unknown_parameter"}})
    route.side_effect = refusing(refusal)
    result = runner.invoke(app, ["refine", "risk"])
    assert result.exit_code == 0, result.output
    assert sent(route, 0)["reasoning_effort"] == "low" and "reasoning_effort" not in sent(route, 1)


@pytest.mark.parametrize("refusal", [LLAMA_SERVER_CONTEXT, LLAMA_CPP_PYTHON_CONTEXT], ids=["llama-server", "llama-cpp-python"])
def test_a_context_overflow_is_one_sentence_not_a_retry(runner, bank, serve, refusal):
    route = serve("http://127.0.0.1:8080/v1", "smollm2")
    route.side_effect = refusing(refusal)
    before = snapshot(bank.root)
    result = runner.invoke(app, ["refine", "risk"])
    assert result.exit_code == 1 and route.call_count == 1
    assert result.stdout == ""
    [line] = result.stderr.splitlines()
    assert line.startswith("Error: the prompt and the answer do not fit in the model's context at 127.0.0.1:8080 (")
    assert "give the server a larger context (llama.cpp: --ctx-size 8192" in line
    assert {k: v for k, v in snapshot(bank.root).items() if ".coach" not in k} == {
        k: v for k, v in before.items() if ".coach" not in k}


def test_a_server_error_is_quoted_by_its_first_meaningful_line(runner, bank, serve, monkeypatch):
    monkeypatch.setenv("COACH_OUTPUT_MODE", "json_schema")  # forced: no adaptation, so the refusal is reported
    route = serve("http://127.0.0.1:8000/v1", "smollm2")
    route.side_effect = refusing(LLAMA_CPP_PYTHON_NO_JSON_SCHEMA)
    result = runner.invoke(app, ["refine", "risk"])
    assert result.exit_code == 1 and route.call_count == 1
    assert result.stderr.splitlines() == [
        "Error: 127.0.0.1:8000 does not accept json_schema output; set COACH_OUTPUT_MODE=json_object (or auto)"]


def test_local_servers_get_one_request_at_a_time(runner, bank, serve):
    route = serve("http://127.0.0.1:8080/v1", "smollm2")
    in_flight, most = [0], [0]

    def answer(request):
        in_flight[0] += 1
        most[0] = max(most[0], in_flight[0])
        import time

        time.sleep(0.05)
        in_flight[0] -= 1
        return httpx.Response(200, json=completion(refinement()))

    route.side_effect = answer
    runner.invoke(app, ["refine", "--all"])
    assert most[0] == 1


def test_a_timeout_with_several_in_flight_names_coach_concurrency(runner, bank, serve, monkeypatch):
    monkeypatch.setenv("COACH_CONCURRENCY", "4")
    route = serve("http://127.0.0.1:8080/v1", "smollm2")
    route.side_effect = httpx.ReadTimeout("timed out")
    from coach.llm.calllog import CallLog
    from coach.llm.request import Shape

    CallLog.for_bank(bank.root).remember_shape("http://127.0.0.1:8080/v1", "smollm2", Shape().dumps())  # no probe
    from coach.llm import retries

    monkeypatch.setattr(retries, "wait_exponential_jitter", lambda **options: lambda state: 0)
    result = runner.invoke(app, ["refine", "--all"])
    assert result.exit_code == 1
    assert "set COACH_CONCURRENCY=1" in result.stderr
    assert route.call_count == 4 * 2  # the four in flight each retried once, and the failure said once
    assert len(result.stderr.splitlines()) == 1


def test_a_model_stuck_in_a_loop_is_told_apart_from_a_short_budget(runner, bank, serve):
    route = serve("http://127.0.0.1:8080/v1", "smollm2")
    loop = '{"sentences": [{"text": "' + "At Salesforce I noticed the on-call rotation was burning out. " * 40
    route.side_effect = [httpx.Response(200, json=completion(loop, finish_reason="length"))]
    result = runner.invoke(app, ["refine", "risk"])
    assert result.exit_code == 1 and route.call_count == 1
    assert result.stderr.splitlines() == ["Error: the model got stuck repeating itself until it hit the 2000-token "
                                          "limit; more tokens will not help: use a stronger model (COACH_MODEL) "
                                          "(what it wrote is kept: `coach log --show 1`)"]


def test_a_cut_off_answer_in_indented_json_is_not_taken_for_a_loop(runner, bank, serve):
    route = serve("http://127.0.0.1:8080/v1", "smollm2")
    pretty = json.dumps(refinement(), indent=4)[:1500]
    route.side_effect = [httpx.Response(200, json=completion(pretty, finish_reason="length"))]
    result = runner.invoke(app, ["refine", "risk"])
    assert result.stderr.startswith("Error: the answer was cut off at 2000 tokens (finish_reason=length)")


def test_a_reasoning_model_that_thinks_away_its_budget_is_told_so(runner, bank, serve):
    route = serve("https://api.openai.com/v1", "gpt-5-mini")
    body = completion("", finish_reason="length", tokens=(900, 16000))
    body["usage"]["completion_tokens_details"] = {"reasoning_tokens": 16000}
    route.side_effect = [httpx.Response(200, json=body)]
    result = runner.invoke(app, ["refine", "risk"])
    assert result.exit_code == 1
    assert result.stderr.splitlines() == ["Error: the model spent its whole budget of 16000 tokens reasoning (16000 "
                                          "tokens) and wrote no answer; raise COACH_MAX_TOKENS or set COACH_REASONING_EFFORT=low"]


def test_a_server_failure_is_quoted_by_its_first_line_without_the_stack(runner, bank, serve, monkeypatch):
    route = serve("http://127.0.0.1:8000/v1", "smollm2")
    monkeypatch.setenv("COACH_RETRIES", "0")
    crash = {"error": {"message": "1 validation error:\n  llama_decode returned -3\n\n  File \"/srv/llama_cpp/server/app.py\", "
                                  "line 376, in create_chat_completion\n    POST /v1/chat/completions",
                       "type": "internal_server_error", "param": None, "code": None}}
    route.side_effect = [httpx.Response(500, json=crash)]
    result = runner.invoke(app, ["refine", "risk"])
    assert result.stderr.splitlines() == ["Error: 127.0.0.1:8000 failed with 500 (llama_decode returned -3); try again later"]


def test_a_server_refusing_both_output_modes_is_not_asked_in_circles(runner, bank, serve):
    route = serve("http://127.0.0.1:8080/v1", "smollm2")
    refusal = {"error": {"message": "Unsupported value: 'response_format'", "type": "invalid_request_error",
                         "param": "response_format", "code": "unsupported_value"}}
    route.side_effect = [httpx.Response(400, json=refusal)] * 5
    result = runner.invoke(app, ["refine", "risk"])
    assert result.exit_code == 1 and route.call_count == 2
    assert result.stderr.splitlines() == [
        "127.0.0.1:8080 does not take json_schema; asking again with json_schema -> json_object",
        "Error: 127.0.0.1:8080 refuses the request's response_format (400: Unsupported value: 'response_format'); "
        "coach could not adapt to it, so set COACH_OUTPUT_MODE or COACH_MODEL"]


def test_a_failing_server_is_said_once_for_all_stories(runner, bank, serve, monkeypatch):
    route = serve("https://llm.example/v1", "model")
    monkeypatch.setenv("COACH_RETRIES", "1")
    from coach.llm import retries

    monkeypatch.setattr(retries, "wait_exponential_jitter", lambda **options: lambda state: 0)
    route.side_effect = lambda request: httpx.Response(503, json={"error": {"message": "overloaded"}})
    result = runner.invoke(app, ["refine", "--all"])
    assert result.exit_code == 1 and route.call_count == 2  # the probing story only: the others never started
    assert result.stderr.splitlines() == [
        "Error: llm.example failed with 503 after 2 attempts (overloaded); try again later; 4 of 4 stories were left as they were"]


def test_a_save_under_way_is_counted_when_ctrl_c_comes():
    from coach.llm.jobs import Cancelled, Stop

    stop = Stop()
    with stop.saving("risk"):
        pass
    stop.set()
    with pytest.raises(Cancelled), stop.saving("team"):
        pass
    assert stop.saved == ["risk"]
