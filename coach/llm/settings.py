"""Settings for the model endpoint, read from the environment, and the one production client."""

from __future__ import annotations

import os
from typing import Literal
from urllib.parse import urlparse

from pydantic import BaseModel, ValidationError

from coach.errors import CoachError

DEFAULT_MODEL = "gpt-4o-mini"
OPENAI_URL = "https://api.openai.com/v1"
OutputMode = Literal["auto", "json_schema", "json_object"]


class LLMSettings(BaseModel):
    """Where and how to call the model; one place, one environment prefix."""

    api_key: str | None = None
    base_url: str | None = None
    model: str = DEFAULT_MODEL
    timeout: float = 60.0
    output_mode: OutputMode = "auto"
    reasks: int = 2
    retries: int = 4
    retry_budget: float = 60.0
    concurrency: int = 4
    max_tokens: int = 2000
    temperature: float = 0.4

    @property
    def url(self) -> str:
        """Return the base URL requests go to."""
        return (self.base_url or OPENAI_URL).rstrip("/")

    @property
    def host(self) -> str:
        """Return the endpoint's host (what the call log records, never the key)."""
        return urlparse(self.url).netloc or self.url


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
}


def settings_from_env(environ: dict[str, str] | None = None, **overrides) -> LLMSettings:
    """Read LLM settings from environment variables, then apply explicit overrides."""
    environ = os.environ if environ is None else environ
    values = {field: environ[name] for field, name in ENV.items() if environ.get(name)}
    values.update({key: value for key, value in overrides.items() if value is not None})
    try:
        return LLMSettings(**values)
    except ValidationError as error:
        first = error.errors()[0]
        field = str(first["loc"][0])
        raise CoachError(f"{ENV.get(field, field)} is invalid: {first['msg']}") from None


def require_endpoint(settings: LLMSettings) -> None:
    """Stop before any work when neither a key nor a local server is configured."""
    if not settings.api_key and not settings.base_url:
        raise CoachError(
            "no model endpoint configured: set OPENAI_API_KEY for OpenAI, or OPENAI_BASE_URL for a local "
            "OpenAI-compatible server (e.g. http://localhost:11434/v1 for Ollama)"
        )


def build_client(settings: LLMSettings):
    """Build the OpenAI client over an httpx.Client with explicit timeouts and the SDK's retries off."""
    import httpx
    import openai

    timeout = httpx.Timeout(settings.timeout, connect=min(10.0, settings.timeout))
    return openai.OpenAI(
        api_key=settings.api_key or "not-needed",  # local servers accept any key
        base_url=settings.url,
        max_retries=0,  # tenacity owns retries: one layer per failure class
        timeout=settings.timeout,
        http_client=httpx.Client(timeout=timeout),
    )
