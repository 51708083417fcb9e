"""A request sent through the SDK client's `post` is the one `chat.completions.create` sends, and so is its answer."""

from __future__ import annotations

import json
import subprocess
import sys

import httpx
import openai
import pytest
import respx

from coach.llm.engine import send_chat
from coach.llm.request import Shape, build_request
from coach.llm.settings import build_client, settings_from_env
from tests.llm_fixtures import BASE_URL, completion, error_body, streamed

SCHEMA = {"type": "object", "properties": {"text": {"type": "string"}}, "required": ["text"], "additionalProperties": False}
CONVERSATION = [{"role": "system", "content": "Answer in JSON."}, {"role": "user", "content": "<draft>We shipped.</draft>"}]
SHAPES = [Shape(), Shape(strict=False), Shape(mode="json_object"), Shape(tokens="max_completion_tokens", temperature=False),
          Shape(reasoning_effort=False)]


@pytest.fixture
def settings():
    return settings_from_env({"OPENAI_BASE_URL": BASE_URL, "COACH_MODEL": "test-model", "COACH_REASONING_EFFORT": "low"})


def exchange(settings, request: dict, answer: httpx.Response, send) -> tuple[dict, dict, object]:
    """Return the body and headers one way of sending puts on the wire, and what it returns."""
    with respx.mock(base_url=BASE_URL) as router:
        route = router.post("/chat/completions").mock(return_value=answer)
        result = send(build_client(settings), request)
        if request.get("stream"):
            result = [chunk.model_dump() for chunk in result]
        sent = route.calls[0].request
    headers = {k: v for k, v in sent.headers.items() if k.lower() not in ("x-stainless-retry-count", "content-length")}
    return json.loads(sent.content), headers, result


def through_create(client, request):
    return client.chat.completions.create(**request)


@pytest.mark.parametrize("shape", SHAPES, ids=lambda shape: f"{shape.mode}-{shape.tokens}-strict{shape.strict}")
def test_a_structured_request_and_its_answer_are_those_of_create(settings, shape):
    request = build_request(shape, settings, CONVERSATION, SCHEMA)
    answer = httpx.Response(200, json=completion({"text": "We shipped."}))
    body, headers, result = exchange(settings, request, answer, send_chat)
    assert (body, headers) == exchange(settings, request, answer, through_create)[:2]
    assert body == request
    assert isinstance(result, openai.types.chat.ChatCompletion)
    assert result == exchange(settings, request, answer, through_create)[2]


def test_a_streamed_request_and_its_chunks_are_those_of_create(settings):
    request = build_request(Shape(), settings, CONVERSATION, None)
    assert request["stream"] is True
    sent = exchange(settings, request, streamed("We shipped it on time."), send_chat)
    assert sent == exchange(settings, request, streamed("We shipped it on time."), through_create)
    assert "".join(chunk["choices"][0]["delta"]["content"] or "" for chunk in sent[2]) == "We shipped it on time."


def test_an_error_is_the_sdk_error_create_raises(settings):
    request = build_request(Shape(), settings, CONVERSATION, SCHEMA)
    refusal = httpx.Response(400, json=error_body("Unsupported parameter: 'temperature'", "unsupported_parameter"))
    raised = []
    for send in (send_chat, through_create):
        with pytest.raises(openai.BadRequestError) as error:
            exchange(settings, request, refusal, send)
        raised.append((type(error.value), error.value.status_code, error.value.body))
    assert raised[0] == raised[1]


def test_any_other_client_is_asked_through_create():
    class Fake:
        def __init__(self):
            self.chat = self
            self.completions = self
            self.asked = []

        def create(self, **request):
            self.asked.append(request)
            return "answer"

    fake = Fake()
    assert send_chat(fake, {"model": "m", "messages": CONVERSATION}) == "answer"
    assert fake.asked == [{"model": "m", "messages": CONVERSATION}]


def test_a_call_does_not_import_the_sdk_chat_resource(tmp_path):
    """The chat resource module costs about 30 ms to import: a call through coach never needs it."""
    script = f"""
import sys, respx, httpx
from coach.llm.engine import send_chat
from coach.llm.settings import build_client, settings_from_env
from tests.llm_fixtures import completion
settings = settings_from_env({{"OPENAI_BASE_URL": "{BASE_URL}", "COACH_MODEL": "m"}})
with respx.mock(base_url="{BASE_URL}") as router:
    router.post("/chat/completions").mock(return_value=httpx.Response(200, json=completion({{"a": 1}})))
    send_chat(build_client(settings), {{"model": "m", "messages": [{{"role": "user", "content": "hi"}}]}})
print("openai.resources.chat.completions.completions" in sys.modules)
"""
    from pathlib import Path

    root = Path(__file__).resolve().parent.parent
    done = subprocess.run([sys.executable, "-c", script], cwd=root, capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "False"


def test_a_schema_is_built_once_and_handed_out_as_a_fresh_copy(monkeypatch):
    from pydantic import BaseModel

    from coach.llm.answers import strict_schema

    class Answer(BaseModel):
        text: str
        words: list[str] = []

    built = []
    schema_of = Answer.model_json_schema
    monkeypatch.setattr(Answer, "model_json_schema", lambda *a, **k: built.append(1) or schema_of(*a, **k))
    first = strict_schema(Answer)
    first["properties"]["text"]["type"] = "changed"
    assert strict_schema(Answer) == {"type": "object", "additionalProperties": False, "required": ["text", "words"],
                                     "properties": {"text": {"type": "string"},
                                                    "words": {"type": "array", "items": {"type": "string"}}}}
    assert built == [1]
