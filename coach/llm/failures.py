"""How endpoint failures are told apart: which to retry, which mean "no json_schema here", what to say."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime

SCHEMA_REJECTION = re.compile(
    r"(json_schema|response_format|structured output)[^\n]*?"
    r"(must be one of|not supported|unsupported|not allowed|only|invalid|unknown|does not support|not implemented)"
    r"|(must be one of|only)[^\n]*?(text|json_object)[^\n]*?json_schema",
    re.IGNORECASE,
)


def _status(error: BaseException | None) -> int | None:
    return getattr(error, "status_code", None)


def _message(error: BaseException | None) -> str:
    body = getattr(error, "body", None)
    if isinstance(body, dict):
        inner = body.get("error", body)
        if isinstance(inner, dict) and inner.get("message"):
            return str(inner["message"])
        if isinstance(inner, str):
            return inner
    return str(getattr(error, "message", "") or error or "")


def rejects_json_schema(error: BaseException | None) -> bool:
    """Return True when the endpoint refused the request because it does not take json_schema output."""
    return _status(error) in (400, 415, 422, 500, 501) and bool(SCHEMA_REJECTION.search(_message(error)))


def _quota(error: BaseException | None) -> bool:
    body = getattr(error, "body", None)
    code = body.get("code") if isinstance(body, dict) else None
    return code == "insufficient_quota" or "quota" in _message(error).lower()


def is_transient(error: BaseException | None) -> bool:
    """Return True for failures worth retrying: 429, 5xx, timeouts and connection errors."""
    import openai

    if isinstance(error, openai.APIConnectionError):  # includes APITimeoutError
        return True
    status = _status(error)
    if status is None or rejects_json_schema(error):
        return False
    return (status == 429 and not _quota(error)) or status >= 500 or status in (408, 409)


def retry_after(error: BaseException | None) -> float | None:
    """Return the seconds a Retry-After (or retry-after-ms) header asks for, if any."""
    response = getattr(error, "response", None)
    headers = getattr(response, "headers", None)
    if not headers:
        return None
    if headers.get("retry-after-ms"):
        try:
            return float(headers["retry-after-ms"]) / 1000
        except ValueError:
            pass
    value = headers.get("retry-after")
    if not value:
        return None
    try:
        return max(0.0, float(value))
    except ValueError:
        try:
            return max(0.0, (parsedate_to_datetime(value) - datetime.now(UTC)).total_seconds())
        except (TypeError, ValueError):
            return None


def describe_failure(error: BaseException | None, settings, attempts: int = 1) -> str:
    """Say in one sentence what went wrong with the endpoint and what to do about it."""
    import openai

    host = settings.host
    after = f" after {attempts} attempts" if attempts > 1 else ""
    if rejects_json_schema(error):
        return f"{host} does not accept json_schema output; set COACH_OUTPUT_MODE=json_object (or auto)"
    if isinstance(error, openai.APITimeoutError):
        return f"{host} did not answer within {settings.timeout:g}s{after}; raise COACH_TIMEOUT or check the server"
    if isinstance(error, openai.APIConnectionError):
        return f"could not connect to {settings.url}{after}; check OPENAI_BASE_URL and that the server is running"
    status, message = _status(error), _message(error).strip().rstrip(".")
    if status in (401, 403):
        return f"{host} rejected the API key ({status}); check OPENAI_API_KEY"
    if status == 404:
        return f"model '{settings.model}' was not found at {host} (404); set COACH_MODEL to a model it serves, or check that OPENAI_BASE_URL ends in /v1"
    if status == 429 and _quota(error):
        return f"{host} says the account is out of quota (429: {message}); check your plan and billing"
    if status == 429:
        return f"rate limited by {host} (429){after}; wait a minute and run again"
    if status is not None and status >= 500:
        return f"{host} failed with {status}{after} ({message}); try again later"
    if status is not None:
        return f"{host} rejected the request ({status}: {message}); check COACH_MODEL and COACH_OUTPUT_MODE"
    return f"the call to {host} failed: {error}"
