"""What an endpoint's error means: a request shape it refuses, a context overflow, a transient fault, or a final
failure; and the one sentence that says what to do about it.

Refusals are read by their structure first (OpenAI's `code` and `param`, a validation error's `loc`, `input`
and `expected`), their wording second, so a server that rewords its message is still understood. What a server
says is quoted with anything key-like masked (`redact.mask`), and the endpoint is named by its host alone.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime

from coach.llm.redact import mask

REFUSAL_STATUSES = (400, 415, 422, 500, 501)
REFUSAL_CODES = {"unsupported_parameter", "unknown_parameter", "unsupported_value", "invalid_value"}
PARAMS = {"max_tokens", "max_completion_tokens", "temperature", "reasoning_effort", "strict", "response_format", "stream",
          "stream_options"}
# Patterns as text: `re` compiles (and caches) each the first time an error is read; compiled at import, they cost
# 3 ms at every start
VALIDATION_ITEM = r"\{'type': '(?P<type>\w+)', 'loc': \((?P<loc>[^)]*)\)(?P<rest>[^\n]*)"
WORDED = [
    (r"(?i)(?:unsupported|unknown) (?:parameter|value)s?:? ['\"]?([\w.]+)", None),
    (r"(?i)unrecognized request arguments? supplied:? ([\w.]+)", None),
    (r"(?i)response_format(?:\.type)?['\"]? must be ['\"]?json_schema['\"]? or ['\"]?text", "json_object"),
    (r"(?i)(?:json_schema|response_format)[^\n]*?(?:must be one of|not supported|unsupported|not implemented)"
     r"|(?:must be one of|only)[^\n]*?text[^\n]*?json_object", "json_schema"),
    (r"(?i)\bstrict\b[^\n]*?(?:not supported|unsupported|not allowed|not permitted)", "strict"),
    (r"(?i)\b(max_tokens|temperature|reasoning_effort)\b[^\n]*?(?:not supported|unsupported|does not support|only the default)", None),
]
OVERFLOW = (
    r"(?i)context[ _](?:size|length|window)[^\n]*?(?:exceed|too (?:long|large|small))|exceeds? (?:the )?(?:available |model'?s? )?"
    r"context|maximum context length|context_length_exceeded|exceed_context_size|\bn_ctx\b|prompt is too long|"
    r"too many tokens"
)
NOISE = r"^\s*(?:\d+ validation errors?( for \w+)?:?|File \"|Traceback|\{'type')"


def _status(error: BaseException | None) -> int | None:
    return getattr(error, "status_code", None)


def _body(error: BaseException | None) -> dict:
    body = getattr(error, "body", None)
    if isinstance(body, dict):
        inner = body.get("error", body)
        return inner if isinstance(inner, dict) else {"message": str(inner)}
    return {"message": body} if isinstance(body, str) and body else {}


def message(error: BaseException | None) -> str:
    """Return the endpoint's whole error message."""
    body = _body(error)
    if body.get("message"):
        return str(body["message"])
    if isinstance(body.get("detail"), str):
        return body["detail"]
    return str(getattr(error, "message", "") or error or "")


def first_line(error: BaseException | None, limit: int = 160, secrets: tuple[str, ...] = ()) -> str:
    """Return the first meaningful line of an error message, key-like words masked: no stack lines, no preamble."""
    lines = [line.strip() for line in message(error).splitlines() if line.strip() and not re.match(NOISE, line)]
    line = (lines[0] if lines else message(error).strip().splitlines()[0] if message(error).strip() else "").rstrip(".")
    line = mask(line, secrets)  # before the cut, which could leave part of a key no pattern knows
    return line if len(line) <= limit else line[: limit - 1] + "…"


def first_words(error: BaseException | None, secrets: tuple[str, ...] = ()) -> str:
    """Return a short name for a transient failure, for a progress line."""
    if is_timeout(error):
        return "a timeout"
    if is_unreachable(error):
        return "a refused connection"
    return f"{_status(error)} {first_line(error, 60, secrets)}".strip()


def refused(error: BaseException | None) -> str | None:
    """Return the parameter (or output mode) the endpoint refused, or None when the error is no such refusal."""
    if _status(error) not in REFUSAL_STATUSES:
        return None
    return _refused_by_structure(error) or _refused_by_wording(message(error))


def _refused_by_structure(error: BaseException | None) -> str | None:
    body = _body(error)
    param = str(body.get("param") or "")
    if body.get("code") in REFUSAL_CODES and param:
        return _param_name(param.split("."))
    items = body.get("detail") if isinstance(body.get("detail"), list) else []
    found = [(str(i.get("type", "")), [str(p) for p in i.get("loc", [])], i.get("input")) for i in items if isinstance(i, dict)]
    for match in re.finditer(VALIDATION_ITEM, message(error)):
        loc = [p.strip().strip("'\"") for p in match.group("loc").split(",") if p.strip()]
        given = re.search(r"'input': '([^']*)'", match.group("rest"))
        found.append((match.group("type"), loc, given.group(1) if given else None))
    for kind, loc, given in found:
        if "response_format" in loc and given in ("json_schema", "json_object"):
            return given
        if kind in ("extra_forbidden", "literal_error", "value_error", "unsupported") and loc:
            name = _param_name([p for p in loc if p != "body"])
            if name:
                return name
    return None


def _param_name(path: list[str]) -> str | None:
    if "strict" in path:
        return "strict"
    for part in reversed(path):
        if part in PARAMS:
            return part
    return None


def _refused_by_wording(text: str) -> str | None:
    for pattern, meaning in WORDED:
        match = re.search(pattern, text)
        if match:
            return meaning or _param_name(match.group(1).split("."))
    return None


def overflows_context(error: BaseException | None) -> bool:
    """Return True when the endpoint says the prompt and answer do not fit the model's context."""
    body = _body(error)
    return body.get("code") == "context_length_exceeded" or body.get("type") == "exceed_context_size_error" or (
        _status(error) is not None and bool(re.search(OVERFLOW, message(error)))
    )


def _quota(error: BaseException | None) -> bool:
    return _body(error).get("code") == "insufficient_quota" or "quota" in message(error).lower()


def is_timeout(error: BaseException | None) -> bool:
    """Return True when the endpoint took longer than COACH_TIMEOUT."""
    import openai

    return isinstance(error, openai.APITimeoutError)


def is_unreachable(error: BaseException | None) -> bool:
    """Return True when no connection could be made (a server that is not running)."""
    import openai

    return isinstance(error, openai.APIConnectionError) and not is_timeout(error)


def is_transient(error: BaseException | None) -> bool:
    """Return True for failures worth retrying: 429, 5xx, timeouts and connection errors, not refusals."""
    if is_timeout(error) or is_unreachable(error):
        return True
    status = _status(error)
    if status is None or refused(error) or overflows_context(error):
        return False
    return (status == 429 and not _quota(error)) or status >= 500 or status in (408, 409)


def is_fatal(error: BaseException | None) -> bool:
    """Return True for failures that no other story would escape: the server, the key, the model, the account."""
    return is_unreachable(error) or _status(error) in (401, 403, 404) or (_status(error) == 429 and _quota(error))


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


def describe_failure(error: BaseException | None, settings, attempts: int = 1, in_flight: int = 1) -> str:
    """Say in one sentence what went wrong with the endpoint and what to do about it, with no secret in it."""
    return mask(_describe(error, settings, attempts, in_flight), settings.secrets)


def _describe(error: BaseException | None, settings, attempts: int, in_flight: int) -> str:
    host = settings.host
    after = f" after {attempts} attempts" if attempts > 1 else ""
    crowded = in_flight > 1 and settings.local
    if is_timeout(error):
        advice = (f"with {in_flight} requests in flight a local server answers one at a time: set COACH_CONCURRENCY=1, "
                  "or raise COACH_TIMEOUT") if crowded else "raise COACH_TIMEOUT or check the server"
        return f"{host} did not answer within {settings.timeout:g}s{after}; {advice}"
    if is_unreachable(error):
        return f"could not connect to {settings.shown_url}{after}; check OPENAI_BASE_URL and that the server is running"
    status, said, what = _status(error), first_line(error, secrets=settings.secrets), refused(error)
    if overflows_context(error):
        shared = f", or set COACH_CONCURRENCY=1: the {in_flight} requests in flight share the server's context" if crowded else ""
        return (f"the prompt and the answer do not fit in the model's context at {host} ({said}); give the server a larger "
                f"context (llama.cpp: --ctx-size 8192, Ollama: num_ctx) or shorten the draft{shared}")
    if status in (401, 403):
        return f"{host} rejected the API key ({status}); check OPENAI_API_KEY"
    if status == 404:
        return f"model '{settings.model}' was not found at {host} (404); set COACH_MODEL to a model it serves, or check that OPENAI_BASE_URL ends in /v1"
    if status == 429 and _quota(error):
        return f"{host} says the account is out of quota (429: {said}); check your plan and billing"
    if status == 429:
        return f"rate limited by {host} (429){after}; wait a minute and run again"
    if what in ("json_schema", "json_object"):
        other = "json_object" if what == "json_schema" else "json_schema"
        return f"{host} does not accept {what} output; set COACH_OUTPUT_MODE={other} (or auto)"
    if status is not None and what:
        return f"{host} refuses the request's {what} ({status}: {said}); coach could not adapt to it, so set COACH_OUTPUT_MODE or COACH_MODEL"
    if status is not None and status >= 500:
        return f"{host} failed with {status}{after} ({said}); try again later"
    if status is not None:
        return f"{host} rejected the request ({status}: {said}); check COACH_MODEL and COACH_OUTPUT_MODE"
    return f"the call to {host} failed: {error}"
