"""The LLM engine: render a prompt, ask for validated structured output, re-ask, retry, adapt, log and cache.

Every LLM feature is a prompt file, a pydantic model and a check function handed to `Engine.ask`.
One layer per failure class:
- the SDK's own retries are off;
- a refusal of the request's shape (`max_tokens`, `temperature`, `json_schema`, `strict`...) is adapted to at once
  and remembered per base URL and model (`request.adapt`);
- tenacity retries transport failures: 429 and 5xx with backoff, a timeout or a refused connection once;
- a bounded re-ask loop feeds validation errors back to the model, never resending an answer that was not JSON.
"""

from __future__ import annotations

import copy
import hashlib
import json
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Generic, TypeVar

from pydantic import BaseModel
from tenacity import Retrying, stop_after_attempt, stop_after_delay
from tenacity.wait import wait_base

from coach.errors import LLMError
from coach.llm.answers import Doubt, InvalidOutput, loops, parse_content, reask_message, rejection, strict_schema
from coach.llm.calllog import CACHED, CACHED_WITH_DOUBTS, FAILED, KEPT_WITH_DOUBTS, OK, CallLog, CallRecord
from coach.llm.failures import (
    describe_failure,
    first_words,
    is_fatal,
    is_transient,
    refused,
)
from coach.llm.jobs import Cancelled, Stop
from coach.llm.prompts import Prompts, built_in
from coach.llm.redact import literal, mask
from coach.llm.request import Shape, Shapes, build_request
from coach.llm.retries import retry_transient, wait_retry_after
from coach.llm.settings import LLMSettings
from coach.llm.streaming import BrokenStream, read_stream

__all__ = ["Answer", "BrokenStream", "Cancelled", "Doubt", "Engine", "EndpointDown", "strict_schema"]
T = TypeVar("T", bound=BaseModel)
Check = Callable[[BaseModel], list[str]]
MAX_ADAPTATIONS = 4


class EndpointDown(LLMError):
    """The endpoint fails whatever the story: unreachable, a rejected key, an unknown model, no quota."""


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


class CutOff(LLMError):
    """The answer hit the output token limit; what it had written is kept in the call log."""

    def __init__(self, message: str, content: str):
        super().__init__(message)
        self.content = content


class Rejected(Exception):
    """Every answer failed the method's checks; the last one is kept in the call log."""

    def __init__(self, invalid: InvalidOutput, attempts: int, repeated: bool):
        super().__init__(rejection(invalid.errors, attempts, repeated))
        self.invalid = invalid


class Engine:
    """Asks the model for structured output that passes the method's checks."""

    def __init__(self, settings: LLMSettings, client=None, log: CallLog | None = None,
                 wait: wait_base | None = None, sleep: Callable[[float], None] = time.sleep,
                 on_event: Callable[[str], None] | None = None, stop: Stop | None = None,
                 on_status: Callable[[str], None] | None = None, prompts: Prompts | None = None):
        self.settings = settings
        self.prompts = prompts or built_in()  # the bank's: its own prompts/ replace coach's
        self._client = client
        self.log = log
        self.wait = wait or wait_retry_after()
        self.sleep = sleep
        self.on_event = on_event or (lambda message: None)  # what the user should know: an adaptation learned
        self.on_status = on_status or (lambda message: None)  # what is happening now: a retry, a re-ask
        self.stop = stop or Stop()
        self.in_flight = 1
        self._shapes: Shapes | None = None
        self.story = ""  # the story this engine's calls are for, as the call log names it

    def labelled(self, label: str) -> Engine:
        """Return an engine sharing this one's client, log and stop flag whose progress messages start with label
        (a story's name, which the log files its calls under)."""
        clone = self.about(label)
        clone.on_event = lambda message: self.on_event(f"{label}: {message}")
        clone.on_status = lambda message: self.on_status(f"{label}: {message}")
        return clone

    def about(self, story: str) -> Engine:
        """Return an engine sharing this one's client, log and stop flag whose calls the log files under story."""
        _ = self.shapes  # made before the copy, so that every story shares one
        clone = copy.copy(self)
        clone.story = story
        return clone

    @property
    def shapes(self) -> Shapes:
        """Return the request shape this run sends, shared with every labelled engine made from this one."""
        if self._shapes is None:
            self._shapes = Shapes(self.settings, self.log)
        return self._shapes

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
        messages = self.prompts.render(prompt, **variables)
        schema = strict_schema(model)
        key = request_key(self.settings.model, messages, schema)
        record = CallRecord(command or prompt, self.settings.model, self.settings.host, key[:16], story=self.story,
                            prompt=", ".join(self.prompts.bank_files(prompt)))
        started = time.monotonic()
        record.outcome = "error"  # until an answer comes back
        try:
            answer = None if fresh else self._from_cache(key, model, check)
            if answer is None:
                answer = self._ask_until_valid(messages, model, schema, check, record)
                if self.log:  # never a reason to stop: a log that cannot take it says so and goes on
                    self.log.store(key, literal(answer.content, self.settings.secrets))
            settled(record, answer)
            return answer
        except Rejected as rejected:
            record.outcome, record.content, record.reasons = FAILED, rejected.invalid.content, rejected.invalid.errors
            record.detail = str(rejected).split("; ")[0]
            raise LLMError(f"{rejected}{self._kept(record, started)}") from None
        except CutOff as cut:
            record.outcome, record.detail, record.content = "cut off", str(cut), cut.content
            kept = self._kept(record, started, inline=True) if cut.content.strip() else ""
            raise CutOff(f"{cut}{kept}", cut.content) from None
        except LLMError as error:
            record.outcome, record.detail = "error", str(error)
            raise
        except Cancelled:
            record.outcome = "interrupted"
            raise
        finally:
            if record.id is None:
                self._record(record, started)

    def say(self, prompt: str, variables: dict, on_text: Callable[[str], None], *, command: str = "",
            budget: int | None = None) -> str:
        """Render `prompts/PROMPT.jinja` and stream the model's plain-text answer to on_text as it arrives.

        The request adapts and retries as `ask` does until the first words arrive; after that a broken stream is
        an error, never a second copy of words already shown. Returns the whole text.
        """
        messages = self.prompts.render(prompt, **variables)
        record = CallRecord(command or prompt, self.settings.model, self.settings.host,
                            request_key(self.settings.model, messages, {})[:16], story=self.story,
                            prompt=", ".join(self.prompts.bank_files(prompt)))
        started = time.monotonic()
        record.outcome = "error"
        try:
            text = read_stream(self._send(messages, None, record, budget), on_text, record, self.stop,
                               self.settings)
            record.outcome, record.content = "ok", text
            return text
        except LLMError as error:
            record.detail = str(error)
            raise
        except Cancelled:
            record.outcome = "interrupted"
            raise
        finally:
            self._record(record, started)

    def _record(self, record: CallRecord, started: float) -> None:
        record.latency_ms = round((time.monotonic() - started) * 1000)
        if self.log:  # what a server said is stored masked; a log that cannot take the record goes on without it
            secrets = self.settings.secrets
            record.detail = mask(record.detail, secrets)
            record.reasons = [mask(reason, secrets) for reason in record.reasons]
            record.reasks = [[mask(reason, secrets) for reason in reasons] for reasons in record.reasks]
            record.content = literal(record.content, secrets)
            record.id = self.log.record(record)

    def _kept(self, record: CallRecord, started: float, inline: bool = False) -> str:
        self._record(record, started)
        if record.id is None:
            return ""
        return f" (what it wrote is kept: `coach log --show {record.id}`)" if inline else (
            f"\n(the last answer is kept: `coach log --show {record.id}`)")

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
        conversation, previous, keepable = list(messages), None, []
        tries = self.settings.reasks + 1
        for attempt in range(1, tries + 1):
            content = self._complete(conversation, schema, record)
            try:
                value = parse_content(content, model, check)
                return self._answer(value, content, record)
            except InvalidOutput as invalid:
                last = invalid
            if last.only_doubts:
                keepable.append(last)
            repeated = content == previous  # the same rejected answer again: asking once more will not help
            if attempt == tries or repeated:
                break
            previous = content
            record.reasks.append(list(last.errors))
            self.on_status(f"re-asking ({len(last.errors)} problem{'s' * (len(last.errors) > 1)}: {last.errors[0]})")
            answered = [{"role": "assistant", "content": content}] if last.parsed else []
            conversation = [*messages, *answered, reask_message(last)]  # one exchange at most: fits the context
        if keepable:
            return self._answer(keepable[-1].value, keepable[-1].content, record, keepable[-1].errors)
        raise Rejected(last, attempt, repeated)

    def _answer(self, value, content: str, record: CallRecord, doubts: list[str] = ()) -> Answer:
        return Answer(value, content, record.attempts, record.tokens_in, record.tokens_out, False,
                      self.shapes.current.mode, list(doubts))

    def _complete(self, conversation, schema, record: CallRecord) -> str:
        """Send one request (adapting and retrying as needed) and return its content."""
        response = self._send(conversation, schema, record)
        usage = getattr(response, "usage", None)
        record.tokens_in += getattr(usage, "prompt_tokens", 0) or 0
        record.tokens_out += getattr(usage, "completion_tokens", 0) or 0
        if not response.choices:
            raise LLMError(f"{self.settings.host} answered with no choices; check that it serves chat completions")
        choice = response.choices[0]
        refusal = getattr(choice.message, "refusal", None)
        if refusal:
            said = mask(refusal.strip(), self.settings.secrets)
            raise LLMError(f"the model refused to answer: {said}; rephrase the story or try another model")
        content = choice.message.content or ""
        if choice.finish_reason == "length":
            raise CutOff(self._cut_off(content, usage, self.shapes.current), content)
        if choice.finish_reason == "content_filter":
            raise LLMError("the endpoint's content filter blocked the answer; rephrase the story or try another model")
        return content

    def _cut_off(self, content: str, usage, shape: Shape) -> str:
        budget = self.settings.output_budget(shape.reasoning)
        details = getattr(usage, "completion_tokens_details", None)
        reasoning = getattr(details, "reasoning_tokens", 0) or 0
        if not content.strip() and reasoning:
            return (f"the model spent its whole budget of {budget} tokens reasoning ({reasoning} tokens) and wrote no "
                    "answer; raise COACH_MAX_TOKENS or set COACH_REASONING_EFFORT=low")
        if loops(content):
            return (f"the model got stuck repeating itself until it hit the {budget}-token limit; more tokens will not "
                    "help: use a stronger model (COACH_MODEL)")
        return f"the answer was cut off at {budget} tokens (finish_reason=length); raise COACH_MAX_TOKENS or use a model with a larger output limit"

    def _send(self, conversation, schema, record: CallRecord, budget: int | None = None):
        for _ in range(MAX_ADAPTATIONS + 1):
            sent, tries = self.shapes.current, [0]
            try:
                request = build_request(sent, self.settings, conversation, schema, budget)
                response = self._transport(request, record, tries)
                self.shapes.confirm()
                return response
            except (LLMError, Cancelled):
                raise
            except Exception as error:
                what = _refused_here(error, sent)
                learned = self.shapes.learn(sent, what) if what else None
                if learned is None:
                    # a failure no story escapes (or one that outlasted its retries) stops the stories not yet started
                    failure = EndpointDown if is_fatal(error) or is_transient(error) else LLMError
                    raise failure(describe_failure(error, self.settings, tries[0], self.in_flight)) from None
                if learned[1]:
                    self.on_event(f"{self.settings.host} does not take {what}; asking again with {learned[1]}")
        raise LLMError(f"{self.settings.host} kept refusing the request after {MAX_ADAPTATIONS} adaptations; set COACH_OUTPUT_MODE or COACH_MODEL")

    def _transport(self, request: dict, record: CallRecord, tries: list[int]):
        transport = Retrying(
            stop=stop_after_attempt(self.settings.retries + 1) | stop_after_delay(self.settings.retry_budget),
            retry=retry_transient(),
            wait=self.wait,
            sleep=self._sleep,
            before_sleep=lambda state: self.on_status(
                f"retrying after: {first_words(state.outcome.exception(), self.settings.secrets)}"),
            reraise=True,
        )
        for attempt in transport:
            with attempt:
                if self.stop.is_set():
                    raise Cancelled()
                record.attempts += 1
                tries[0] += 1
                return send_chat(self.client, request)

    def _sleep(self, seconds: float) -> None:
        """Wait between retries, waking at once when the user interrupts."""
        if self.sleep is time.sleep:
            interrupted = self.stop.event.wait(seconds)
        else:
            self.sleep(seconds)
            interrupted = self.stop.is_set()
        if interrupted:
            raise Cancelled()


def settled(record: CallRecord, answer: Answer) -> None:
    """Record how a call that returned an answer ended: ok, or kept with the doubts every re-ask left standing (never
    plain ok); the answer itself is kept, so that `coach refine --explain` can read it back."""
    record.content = answer.content
    if not answer.doubts:
        record.outcome = CACHED if answer.cached else OK
        return
    record.outcome = CACHED_WITH_DOUBTS if answer.cached else KEPT_WITH_DOUBTS
    record.reasons = list(answer.doubts)
    count = len(answer.doubts)
    record.detail = f"kept with {count} doubt{'s' * (count > 1)} the re-asks did not settle"


def _refused_here(error: BaseException, shape: Shape) -> str | None:
    """Return what was refused, reading a refusal of `response_format` as a refusal of the mode sent."""
    what = refused(error)
    return shape.mode if what == "response_format" else what


def send_chat(client, request: dict):
    """Send one chat-completion request and return the SDK's answer (a stream when the request asks for one).

    The SDK's own client gets it through its generic `post`, with the body, answer type and stream type that
    `chat.completions.create` would use: the same request and the same answer without importing the SDK's chat
    resource (its streaming helpers and pagination, about 30 ms at every start). Any other client, as in tests,
    is asked through `chat.completions.create`.
    """
    sdk = sys.modules.get("openai")  # a client of the SDK's own class means the SDK is already imported
    if sdk is None or not isinstance(client, sdk.OpenAI):
        return client.chat.completions.create(**request)
    from openai.types.chat import ChatCompletion, ChatCompletionChunk

    stream = bool(request.get("stream"))
    return client.post("/chat/completions", body=request, cast_to=ChatCompletion, stream=stream,
                       stream_cls=sdk.Stream[ChatCompletionChunk])


def request_key(model: str, messages: list[dict], schema: dict) -> str:
    """Return the cache key of a request: a hash of the model, the messages and the schema."""
    payload = json.dumps({"model": model, "messages": messages, "schema": schema}, sort_keys=True)
    return hashlib.sha256(payload.encode()).hexdigest()
