"""The LLM engine: render a prompt, ask for validated structured output, re-ask, retry, log and cache.

Every LLM feature is a prompt file, a pydantic model and a check function handed to `Engine.ask`.
Retry layers, one per failure class: the SDK's own retries are off; tenacity retries transport failures
(429, 5xx, timeouts, connection errors); a bounded re-ask loop feeds validation errors back to the model.
"""

from __future__ import annotations

import copy
import hashlib
import json
import re
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Generic, TypeVar

from pydantic import BaseModel, ValidationError
from tenacity import (
    Retrying,
    retry_if_exception,
    retry_if_exception_type,
    stop_after_attempt,
    stop_after_delay,
)
from tenacity.wait import wait_base, wait_exponential_jitter

from coach.errors import LLMError
from coach.llm.calllog import CallLog, CallRecord
from coach.llm.failures import describe_failure, is_transient, rejects_json_schema, retry_after
from coach.llm.prompts import render_prompt
from coach.llm.settings import LLMSettings

T = TypeVar("T", bound=BaseModel)
Check = Callable[[BaseModel], list[str]]


class Doubt(str):
    """A problem worth a re-ask that does not sink the answer: once re-asks run out, the answer is kept with it."""


class InvalidOutput(Exception):
    """The model answered, but not with something the method accepts."""

    def __init__(self, errors: list[str], content: str, value: BaseModel | None = None):
        super().__init__("; ".join(errors))
        self.errors = errors
        self.content = content
        self.value = value  # the parsed answer, when only the method's check failed

    @property
    def only_doubts(self) -> bool:
        """Return True when the answer parsed and every problem is a doubt."""
        return self.value is not None and all(isinstance(error, Doubt) for error in self.errors)


class wait_retry_after(wait_base):
    """Wait as long as the server's Retry-After says, else back off exponentially with jitter."""

    def __init__(self, fallback: wait_base | None = None, cap: float = 60.0):
        self.fallback = fallback or wait_exponential_jitter(initial=1, max=20)
        self.cap = cap

    def __call__(self, retry_state) -> float:
        error = retry_state.outcome.exception() if retry_state.outcome else None
        told = retry_after(error)
        return min(told, self.cap) if told is not None else self.fallback(retry_state)


@dataclass
class Answer(Generic[T]):
    """A validated answer with what it cost."""

    value: T
    content: str
    attempts: int
    tokens_in: int
    tokens_out: int
    cached: bool
    mode: str
    doubts: list[str] = field(default_factory=list)


def strict_schema(model: type[BaseModel]) -> dict:
    """Return the model's JSON schema in the strict form structured outputs require."""
    schema = model.model_json_schema()

    def tighten(node):
        if isinstance(node, dict):
            node.pop("title", None)
            node.pop("default", None)
            if node.get("type") == "object" and "properties" in node:
                node["additionalProperties"] = False
                node["required"] = list(node["properties"])
            for value in node.values():
                tighten(value)
        elif isinstance(node, list):
            for item in node:
                tighten(item)

    tighten(schema)
    return schema


def parse_content(content: str, model: type[T], check: Check | None = None) -> T:
    """Parse and validate a model answer; raise InvalidOutput listing every problem."""
    text = re.sub(r"^\s*```(?:json)?\s*|\s*```\s*$", "", content or "")
    try:
        value = model.model_validate(json.loads(text))
    except json.JSONDecodeError as error:
        raise InvalidOutput([f"the answer is not valid JSON ({error.msg} at character {error.pos})"], content) from None
    except ValidationError as error:
        problems = [f"{'.'.join(str(p) for p in e['loc']) or 'answer'}: {e['msg']}" for e in error.errors()]
        raise InvalidOutput(problems, content) from None
    problems = check(value) if check else []
    if problems:
        raise InvalidOutput(problems, content, value)
    return value


class Engine:
    """Asks the model for structured output that passes the method's checks."""

    def __init__(self, settings: LLMSettings, client=None, log: CallLog | None = None,
                 wait: wait_base | None = None, sleep: Callable[[float], None] = time.sleep,
                 on_event: Callable[[str], None] | None = None):
        self.settings = settings
        self._client = client
        self.log = log
        self.wait = wait or wait_retry_after()
        self.sleep = sleep
        self.on_event = on_event or (lambda message: None)

    def labelled(self, label: str) -> Engine:
        """Return an engine sharing this one's client and log whose progress messages start with label."""
        clone = copy.copy(self)
        clone.on_event = lambda message: self.on_event(f"{label}: {message}")
        return clone

    @property
    def client(self):
        """Return the OpenAI client, building the production one on first use."""
        if self._client is None:
            from coach.llm.settings import build_client

            self._client = build_client(self.settings)
        return self._client

    def ask(self, prompt: str, variables: dict, model: type[T], *, check: Check | None = None,
            command: str = "", fresh: bool = False) -> Answer[T]:
        """Render `prompts/PROMPT.jinja`, ask the model, and return an answer that passes `check`."""
        messages = render_prompt(prompt, **variables)
        schema = strict_schema(model)
        key = request_key(self.settings.model, messages, schema)
        record = CallRecord(command or prompt, self.settings.model, self.settings.host, key[:16])
        started = time.monotonic()
        try:
            answer = None if fresh else self._from_cache(key, model, check)
            if answer is None:
                answer = self._ask_until_valid(messages, model, schema, check, record)
                if self.log:
                    self.log.store(key, answer.content)
            record.outcome = "cache" if answer.cached else "ok"
            return answer
        except LLMError as error:
            record.outcome, record.detail = "error", str(error)
            raise
        finally:
            record.latency_ms = round((time.monotonic() - started) * 1000)
            if self.log:
                self.log.record(record)

    def _from_cache(self, key: str, model: type[T], check: Check | None) -> Answer[T] | None:
        content = self.log.cached(key) if self.log else None
        if content is None:
            return None
        try:
            return Answer(parse_content(content, model, check), content, 0, 0, 0, True, "cache")
        except InvalidOutput as invalid:
            if invalid.only_doubts:
                return Answer(invalid.value, content, 0, 0, 0, True, "cache", list(invalid.errors))
            return None

    def _ask_until_valid(self, messages, model, schema, check, record: CallRecord) -> Answer:
        conversation = list(messages)
        mode = [self._initial_mode()]
        keepable: list[InvalidOutput] = []  # answers whose only problems are doubts: kept if nothing better comes
        reasks = Retrying(
            stop=stop_after_attempt(self.settings.reasks + 1),
            retry=retry_if_exception_type(InvalidOutput),
            sleep=lambda seconds: None,
            reraise=True,
        )
        try:
            for attempt in reasks:
                with attempt:
                    content = self._complete(conversation, schema, mode, record)
                    try:
                        value = parse_content(content, model, check)
                    except InvalidOutput as invalid:
                        if invalid.only_doubts:
                            keepable.append(invalid)
                        self.on_event(f"re-asking: {invalid}")
                        conversation += [{"role": "assistant", "content": content}, reask_message(invalid.errors)]
                        raise
            return Answer(value, content, record.attempts, record.tokens_in, record.tokens_out, False, mode[0])
        except InvalidOutput as invalid:
            if keepable:
                kept = keepable[-1]
                return Answer(kept.value, kept.content, record.attempts, record.tokens_in, record.tokens_out, False,
                              mode[0], list(kept.errors))
            tries = self.settings.reasks + 1
            raise LLMError(
                f"the model's answer failed the method's checks {tries} times (last: {invalid.errors[0]}); "
                "run again, or set COACH_MODEL to a stronger model"
            ) from None

    def _initial_mode(self) -> str:
        if self.settings.output_mode != "auto":
            return self.settings.output_mode
        remembered = self.log.mode(self.settings.url) if self.log else None
        return remembered or "json_schema"

    def _complete(self, conversation, schema, mode: list[str], record: CallRecord) -> str:
        """Send one request (with transport retries and json_schema fallback) and return its content."""
        response = self._send(conversation, schema, mode, record)
        usage = getattr(response, "usage", None)
        record.tokens_in += getattr(usage, "prompt_tokens", 0) or 0
        record.tokens_out += getattr(usage, "completion_tokens", 0) or 0
        if not response.choices:
            raise InvalidOutput(["the answer had no choices"], "")
        choice = response.choices[0]
        refusal = getattr(choice.message, "refusal", None)
        if refusal:
            raise LLMError(f"the model refused to answer: {refusal.strip()}; rephrase the story or try another model")
        if choice.finish_reason == "length":
            raise LLMError(
                f"the answer was cut off at {self.settings.max_tokens} tokens (finish_reason=length); "
                "raise COACH_MAX_TOKENS or use a model with a larger output limit"
            )
        if choice.finish_reason == "content_filter":
            raise LLMError("the endpoint's content filter blocked the answer; rephrase the story or try another model")
        return choice.message.content or ""

    def _send(self, conversation, schema, mode: list[str], record: CallRecord):
        transport = Retrying(
            stop=stop_after_attempt(self.settings.retries + 1) | stop_after_delay(self.settings.retry_budget),
            retry=retry_if_exception(is_transient),
            wait=self.wait,
            sleep=self.sleep,
            before_sleep=lambda state: self.on_event(f"retrying: {describe_failure(state.outcome.exception(), self.settings)}"),
            reraise=True,
        )
        while True:
            try:
                for attempt in transport:
                    with attempt:
                        record.attempts += 1
                        return self.client.chat.completions.create(**self._request(conversation, schema, mode[0]))
            except LLMError:
                raise
            except Exception as error:
                if mode[0] == "json_schema" and self.settings.output_mode == "auto" and rejects_json_schema(error):
                    self.on_event("the endpoint rejects json_schema; falling back to json_object")
                    mode[0] = "json_object"
                    if self.log:
                        self.log.remember_mode(self.settings.url, "json_object")
                    continue
                raise LLMError(describe_failure(error, self.settings, record.attempts)) from None

    def _request(self, conversation, schema, mode: str) -> dict:
        request = {
            "model": self.settings.model,
            "messages": conversation,
            "temperature": self.settings.temperature,
            "max_tokens": self.settings.max_tokens,
        }
        if mode == "json_schema":
            request["response_format"] = {
                "type": "json_schema",
                "json_schema": {"name": "answer", "schema": schema, "strict": True},
            }
        else:
            system = dict(conversation[0])
            system["content"] += "\n\nRespond with one JSON object, and nothing else, matching this JSON schema:\n" + json.dumps(schema)
            request["messages"] = [system, *conversation[1:]]
            request["response_format"] = {"type": "json_object", "schema": schema}
        return request


def reask_message(errors: list[str]) -> dict[str, str]:
    """Return the message that quotes validation errors back to the model."""
    listed = "\n".join(f"- {error}" for error in errors)
    return {
        "role": "user",
        "content": f"Your answer was rejected for these reasons:\n{listed}\n\n"
        "Answer again with the complete JSON object, fixing every problem listed. Use only facts from the story material.",
    }


def request_key(model: str, messages: list[dict], schema: dict) -> str:
    """Return the cache key of a request: a hash of the model, the messages and the schema."""
    payload = json.dumps({"model": model, "messages": messages, "schema": schema}, sort_keys=True)
    return hashlib.sha256(payload.encode()).hexdigest()
