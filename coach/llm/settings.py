"""Settings for the model endpoint, read from the environment, and the one production client."""

from __future__ import annotations

import gc
import ipaddress
import os
import re
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Literal
from urllib.parse import urlparse

from pydantic import BaseModel, Field, PrivateAttr, ValidationError, field_validator

from coach.errors import CoachError
from coach.llm.redact import mask, without_credentials

DEFAULT_MODEL = "gpt-5-mini"
OPENAI_URL = "https://api.openai.com/v1"
OutputMode = Literal["auto", "json_schema", "json_object"]
Effort = Literal["minimal", "low", "medium", "high"]
# OpenAI's reasoning models take max_completion_tokens, only the default temperature, and spend output tokens
# thinking; other names are learned from the endpoint's refusals
REASONING_MODEL = re.compile(r"(^|/)(o\d|gpt-5)", re.IGNORECASE)
CLASSIC_BUDGET, REASONING_BUDGET = 2_000, 16_000
REMOTE_CONCURRENCY = 4


class LLMSettings(BaseModel):
    """Where and how to call the model; one place, one environment prefix."""

    api_key: str | None = None
    base_url: str | None = None
    model: str = DEFAULT_MODEL
    timeout: float = Field(60.0, gt=0, le=3600, allow_inf_nan=False)
    output_mode: OutputMode = "auto"
    reasks: int = Field(2, ge=0, le=10)
    retries: int = Field(4, ge=0, le=20)
    concurrency: int | None = Field(None, ge=1, le=64)
    max_tokens: int | None = Field(None, ge=100)
    temperature: float = 0.4
    reasoning_effort: Effort | None = None
    _model_named: bool = PrivateAttr(default=True)  # False: COACH_MODEL and --model were left out (`settings_from_env`)

    @field_validator("api_key", "base_url")
    @classmethod
    def _trimmed(cls, value: str | None) -> str | None:
        """Drop the spaces and line breaks a key or URL picks up around it (pasted with its line, read with a CR)."""
        return value.strip() or None if isinstance(value, str) else value

    @property
    def url(self) -> str:
        """Return the base URL requests go to, with any credentials it carries: only the client sees this."""
        return (self.base_url or OPENAI_URL).rstrip("/")

    @property
    def shown_url(self) -> str:
        """Return the base URL as coach prints and stores it: no user or password, no key in its query."""
        return mask(without_credentials(self.url))

    @property
    def host(self) -> str:
        """Return the endpoint's host and port (what messages name and the call log records, never a credential)."""
        return (urlparse(self.url).netloc or self.url).rpartition("@")[2]

    @property
    def secrets(self) -> tuple[str, ...]:
        """Return what must never be printed or stored: the API key and the password of the base URL."""
        try:
            password = urlparse(self.url).password
        except ValueError:
            password = None
        return tuple(secret for secret in (self.api_key, password) if secret)

    @property
    def local(self) -> bool:
        """Return True for a server on this machine or a private network (one that serves one request at a time)."""
        host = urlparse(self.url).hostname or ""
        if host == "localhost" or host.endswith((".local", ".localhost", ".internal", ".lan")):
            return True
        try:
            address = ipaddress.ip_address(host)
        except ValueError:
            return False
        return address.is_loopback or address.is_private or address.is_link_local

    @property
    def reasoning(self) -> bool:
        """Return True when the model's name says it is a reasoning model."""
        return bool(REASONING_MODEL.search(self.model))

    @property
    def workers(self) -> int:
        """Return how many requests may be in flight: one for a local server unless COACH_CONCURRENCY says more."""
        return self.concurrency or (1 if self.local else REMOTE_CONCURRENCY)

    def output_budget(self, reasoning: bool | None = None) -> int:
        """Return the output token limit: COACH_MAX_TOKENS, else room for the answer (and for thinking)."""
        reasoning = self.reasoning if reasoning is None else reasoning
        return self.max_tokens or (REASONING_BUDGET if reasoning else CLASSIC_BUDGET)

    @property
    def retry_budget(self) -> float:
        """Return the seconds transport retries may take in all: room for one timed-out attempt and its retry."""
        return max(60.0, 2 * self.timeout + 30)


ENV = {
    "api_key": "OPENAI_API_KEY",
    "base_url": "OPENAI_BASE_URL",
    "model": "COACH_MODEL",
    "timeout": "COACH_TIMEOUT",
    "output_mode": "COACH_OUTPUT_MODE",
    "reasks": "COACH_REASKS",
    "retries": "COACH_RETRIES",
    "concurrency": "COACH_CONCURRENCY",
    "max_tokens": "COACH_MAX_TOKENS",
    "reasoning_effort": "COACH_REASONING_EFFORT",
}
ALLOWED = {  # what each variable takes, said the way the message needs it
    "timeout": "a number of seconds above 0 and at most 3600, like 60",
    "output_mode": "auto, json_schema or json_object",
    "reasks": "a whole number from 0 to 10",
    "retries": "a whole number from 0 to 20",
    "concurrency": "a whole number of requests in flight from 1 to 64",
    "max_tokens": "a whole number of tokens, 100 or more",
    "reasoning_effort": "minimal, low, medium or high",
}


def settings_from_env(environ: dict[str, str] | None = None, **overrides) -> LLMSettings:
    """Read LLM settings from environment variables, then apply explicit overrides."""
    environ = os.environ if environ is None else environ
    # a value pasted with its line break, or read from a file with Windows line endings, keeps it
    values = {field: environ[name].strip() for field, name in ENV.items() if (environ.get(name) or "").strip()}
    values.update({key: value for key, value in overrides.items() if value is not None})
    if values.get("api_key"):
        _check_key(values["api_key"])
    try:
        settings = LLMSettings(**values)
    except ValidationError as error:
        raise CoachError(_setting_problem(error, values, overrides)) from None
    settings._model_named = "model" in values
    return settings


def _check_key(key: str) -> None:
    """Stop at a key that could never be sent in a header, naming the problem and never the key."""
    if any(char.isspace() or not char.isprintable() for char in key):
        raise CoachError("OPENAI_API_KEY has a space, a line break or a control character inside the key; "
                         "set it to the key alone, on one line")
    if not key.isascii():
        raise CoachError("OPENAI_API_KEY has a character that is not plain ASCII (a typographic quote or dash copied "
                         "with the key?); set it to the key alone")


def _setting_problem(error: ValidationError, values: dict, overrides: dict) -> str:
    """Say which variable (or option) holds a bad value, and what it takes."""
    first = error.errors()[0]
    field = str(first["loc"][0]) if first["loc"] else ""
    name = f"--{field.replace('_', '-')}" if overrides.get(field) is not None else ENV.get(field, field)
    allowed = ALLOWED.get(field, first["msg"].lower())
    if field == "api_key":  # never printed
        return f"{name} is not valid; set it to {allowed}, or unset it"
    return f"{name}={values.get(field)} is not valid; set it to {allowed}, or unset it"


def require_endpoint(settings: LLMSettings) -> None:
    """Stop before any work when neither a key nor a local server is configured, or when a server other than OpenAI's
    is given no model name (coach's default is OpenAI's, which such a server would not serve, or serve as a reasoning
    model with a 16,000-token budget)."""
    if not settings.api_key and not settings.base_url:
        raise CoachError(
            "no model endpoint configured: set OPENAI_API_KEY for OpenAI, or OPENAI_BASE_URL for a local "
            "OpenAI-compatible server (e.g. http://localhost:11434/v1 for Ollama)"
        )
    if settings.base_url and not openai_itself(settings.url) and not settings._model_named:
        raise CoachError(
            f"OPENAI_BASE_URL is {settings.shown_url}, a server with models of its own: name the one to use with "
            f"COACH_MODEL or --model (`curl {settings.shown_url}/models` lists them; for Ollama, e.g. "
            f"COACH_MODEL=llama3.1)"
        )


OPENAI_HOSTS = {"api.openai.com", "us.api.openai.com", "eu.api.openai.com"}


def openai_itself(url: str) -> bool:
    """Return True when a base URL is OpenAI's own API (any case, the default port written or not)."""
    from urllib.parse import urlsplit

    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError:
        return False
    return (parts.hostname or "").lower() in OPENAI_HOSTS and port in (None, 443)


def build_client(settings: LLMSettings):
    """Build the OpenAI client over an httpx.Client with explicit timeouts and the SDK's retries off.

    The client trusts what httpx trusts by default, read on the first TLS handshake (`tls.DeferredTrust`). The first
    client of a process imports the SDK with the garbage collector paused (`_collector_paused`).
    """
    with _collector_paused(first="openai" not in sys.modules):
        import httpx
        import openai

        from coach.llm.tls import DeferredTrust

        timeout = httpx.Timeout(settings.timeout, connect=min(5.0, settings.timeout))
        return openai.OpenAI(
            api_key=settings.api_key or "not-needed",  # local servers accept any key
            base_url=settings.url,
            max_retries=0,  # tenacity owns retries: one layer per failure class
            timeout=settings.timeout,
            http_client=httpx.Client(timeout=timeout, verify=DeferredTrust()),
        )


@contextmanager
def _collector_paused(first: bool) -> Iterator[None]:
    """Import the SDK with the cyclic garbage collector paused, then keep what it built out of later collections.

    The SDK's import builds some 700 pydantic classes and their schemas, which live as long as the process. With the
    collector on, each full collection the import sets off scans every object made so far, and the one at exit scans
    them all again: a third of the import's time, 0.3 s or more at every model command. The import creates next to no
    garbage, so nothing is lost by pausing; `gc.freeze` then moves every object alive (the SDK's classes, coach's
    modules) to the permanent generation, which later collections skip, the last one at exit too.
    """
    if not first:
        yield
        return
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
        gc.freeze()
    finally:
        if was_enabled:
            gc.enable()
