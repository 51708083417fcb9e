"""The shape of a chat-completion request, and how it adapts to what an endpoint says it does not take.

Endpoints differ: OpenAI's reasoning models want `max_completion_tokens` and only the default temperature;
llama-cpp-python takes `json_object` but not `json_schema`; LM Studio the reverse; some gateways refuse `strict`.
Each refusal names what it refuses (`failures.refused`); `adapt` turns that into the next shape, which the call
log remembers per base URL and model so the next run sends it first.
"""

from __future__ import annotations

import json
import threading
from dataclasses import asdict, dataclass, replace

from coach.llm.settings import LLMSettings

MODES = ("json_schema", "json_object")


@dataclass(frozen=True)
class Shape:
    """What one endpoint and model accept."""

    tokens: str = "max_tokens"  # or "max_completion_tokens"
    temperature: bool = True
    mode: str = "json_schema"  # or "json_object"
    strict: bool = True
    reasoning_effort: bool = True
    stream: bool = True  # plain-text answers are streamed where the endpoint allows it
    usage: bool = True  # a streamed answer asks for its token counts in a last chunk (`stream_options`)

    @property
    def reasoning(self) -> bool:
        """Return True when the endpoint treats the model as a reasoning model."""
        return self.tokens == "max_completion_tokens"

    def dumps(self) -> str:
        """Return the shape as JSON for the call log."""
        return json.dumps(asdict(self), sort_keys=True)

    @classmethod
    def loads(cls, text: str) -> Shape | None:
        """Return a remembered shape, or None when it cannot be read."""
        try:
            return cls(**json.loads(text))
        except (TypeError, ValueError):
            return None


def initial_shape(settings: LLMSettings, remembered: Shape | None = None) -> Shape:
    """Return the first request shape: what the endpoint taught before, else what the model's name suggests."""
    shape = remembered or (Shape(tokens="max_completion_tokens", temperature=False) if settings.reasoning else Shape())
    if settings.output_mode != "auto":
        shape = replace(shape, mode=settings.output_mode)
    return shape


def build_request(shape: Shape, settings: LLMSettings, conversation: list[dict], schema: dict | None,
                  budget: int | None = None) -> dict:
    """Return the keyword arguments of one chat-completion request in this shape (streamed text when schema is None).

    `budget` caps a short answer's tokens, except for a reasoning model, whose thinking counts against the cap.
    """
    request: dict = {"model": settings.model, "messages": conversation}
    request[shape.tokens] = budget if budget and not shape.reasoning else settings.output_budget(shape.reasoning)
    if shape.temperature:
        request["temperature"] = settings.temperature
    if shape.reasoning_effort and settings.reasoning_effort:
        request["reasoning_effort"] = settings.reasoning_effort
    if schema is None:
        if shape.stream:
            request["stream"] = True
            if shape.usage:
                request["stream_options"] = {"include_usage": True}
    elif shape.mode == "json_schema":
        json_schema: dict = {"name": "answer", "schema": schema}
        if shape.strict:
            json_schema["strict"] = True
        request["response_format"] = {"type": "json_schema", "json_schema": json_schema}
    else:
        system = dict(conversation[0])
        system["content"] += "\n\nRespond with one JSON object, and nothing else, matching this JSON schema:\n" + json.dumps(schema)
        request["messages"] = [system, *conversation[1:]]
        request["response_format"] = {"type": "json_object", "schema": schema}
    return request


def adapt(shape: Shape, refused: str, forced_mode: bool = False) -> tuple[Shape, str] | None:
    """Return the shape that avoids what the endpoint refused, with a note of the change; None if none does."""
    if refused == "max_tokens" and shape.tokens == "max_tokens":
        return replace(shape, tokens="max_completion_tokens"), "max_tokens -> max_completion_tokens"
    if refused == "max_completion_tokens" and shape.tokens == "max_completion_tokens":
        return replace(shape, tokens="max_tokens"), "max_completion_tokens -> max_tokens"
    if refused == "temperature" and shape.temperature:
        return replace(shape, temperature=False), "no temperature"
    if refused == "reasoning_effort" and shape.reasoning_effort:
        return replace(shape, reasoning_effort=False), "no reasoning_effort"
    if refused == "stream_options" and shape.usage:
        return replace(shape, usage=False), "no stream_options"
    if refused == "stream" and shape.stream:
        return replace(shape, stream=False), "no streaming"
    if refused == "strict" and shape.strict and shape.mode == "json_schema":
        return replace(shape, strict=False), "json_schema without strict"
    if refused in MODES and refused == shape.mode and not forced_mode:
        other = MODES[1 - MODES.index(refused)]
        return replace(shape, mode=other), f"{refused} -> {other}"
    return None


class Shapes:
    """The request shape of one endpoint and model, shared by every story of a run and kept in the call log.

    A refusal learned while several stories are in flight is learned once: the others send the new shape.
    A refusal of something already adapted away from (json_schema, then json_object) ends the adapting.
    """

    def __init__(self, settings: LLMSettings, log=None):
        self.settings = settings
        self.log = log
        self._lock = threading.Lock()
        remembered = log.shape(settings.url, settings.model) if log else None
        self.known = remembered is not None
        self.current = initial_shape(settings, Shape.loads(remembered) if remembered else None)
        self._refused: set[str] = set()

    def learn(self, sent: Shape, refused: str) -> tuple[Shape, str] | None:
        """Return the shape to send after a refusal of `sent`, with a note when this refusal taught something."""
        with self._lock:
            if self.current != sent:  # another story already adapted: follow it quietly
                return self.current, ""
            if refused in self._refused:
                return None
            adapted = adapt(sent, refused, self.settings.output_mode != "auto")
            if adapted is None or adapted[0].mode in self._refused:  # never back to a mode already refused
                return None
            self._refused.add(refused)
            self.current = adapted[0]
            self._remember()
            return adapted

    def confirm(self) -> None:
        """Remember the shape once the endpoint accepted it, so the next run need not probe."""
        with self._lock:
            if not self.known:
                self._remember()

    def _remember(self) -> None:
        self.known = True
        if self.log:
            self.log.remember_shape(self.settings.url, self.settings.model, self.current.dumps())
