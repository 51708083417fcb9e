"""Secrets kept out of everything coach prints or stores: credentials in a URL, keys and tokens in a server's words.

A server's error text, an exception's message and a URL pass `mask` before they reach the terminal or the call log:
the user and password of a URL are dropped (the host is what a message needs), anything shaped like a key
(`sk-...`, `Bearer ...`, `api_key=...`, a JWT) is replaced by `***`, and so is the configured key itself, wherever
it appears, however it is shaped.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

HIDDEN = "***"
MIN_SECRET = 8  # a configured key or password shorter than this ("ollama", "none") is a placeholder, not masked
# Patterns as text, compiled by `re` on first use (this module is imported by every model command)
PATTERNS = (
    (r"(?i)\b([a-z][a-z0-9+.-]*://)[^\s/?#\"'<>]*@", r"\1"),  # user:password@ in a URL: the host is enough
    # the credentials of an Authorization header: a word with a digit, or a long one ("bearer token" stays)
    (r"(?i)\b(Bearer|Basic)(\s+)(?=[^\s\"',;]*\d|[^\s\"',;]{20})[^\s\"',;]+", rf"\1\2{HIDDEN}"),
    (r"(?i)\b((?:x-)?api[-_ ]?key|access[-_]?token|auth[-_]?token|refresh[-_]?token|client[-_]?secret|secret[-_]?key"
     r"|secret|password|passwd|pwd|token|authorization)([\"']?\s*[:=]\s*[\"']?)(?!Bearer\b|Basic\b|\*\*\*)"
     r"[^\s\"'&,;})\]]+", rf"\1\2{HIDDEN}"),
    (r"(?i)([?&](?:key|sig|signature|code)=)[^&\s#\"'(){}[\],;<>]+", rf"\1{HIDDEN}"),
    (r"\b(sk|rk|pk)([-_])[A-Za-z0-9_-]{8,}", rf"\1\2{HIDDEN}"),  # OpenAI, Anthropic, Stripe-style keys
    (r"\b(gsk_|xai-|hf_|ghp_|gho_|github_pat_|glpat-|AIza|AKIA)[A-Za-z0-9_-]{12,}", rf"\1{HIDDEN}"),
    (r"\beyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]*", HIDDEN),  # a JSON web token
)


def mask(text: str, secrets: Iterable[str | None] = ()) -> str:
    """Return text with every configured secret, every URL credential and anything key-like replaced by ***."""
    if not text:
        return text
    for secret in sorted({s for s in secrets if s and len(s) >= MIN_SECRET}, key=len, reverse=True):
        text = text.replace(secret, HIDDEN)
    for pattern, replacement in PATTERNS:
        text = re.sub(pattern, replacement, text)
    return text


def literal(text: str, secrets: Iterable[str | None] = ()) -> str:
    """Return text with only the configured secrets replaced: for a model's answer, kept as it came otherwise."""
    for secret in sorted({s for s in secrets if s and len(s) >= MIN_SECRET}, key=len, reverse=True):
        text = text.replace(secret, HIDDEN)
    return text


def without_credentials(url: str) -> str:
    """Return a URL without the user and password it may carry (`http://user:pw@host/v1` -> `http://host/v1`)."""
    return re.sub(PATTERNS[0][0], PATTERNS[0][1], url)
