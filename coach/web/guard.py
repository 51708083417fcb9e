"""Who may use the page: a request from this machine's browser that knows the token `coach serve` printed.

- The token comes once in the address (`/?token=...`, as Jupyter does); the answer sets a session cookie derived
  from it (HttpOnly, SameSite=Strict; not the token itself, so a cookie seen elsewhere never reveals the printed
  address) and sends the browser to the same address without the token, so it does not stay in the address bar or
  the history. Later requests carry the cookie (or an `Authorization: token ...` header with the token).
  Browsers send a cookie of 127.0.0.1 to every port of it: a page served by another program on this machine that
  the user visits in the same browser could see the session cookie. That is the limit Jupyter accepts too; the
  session ends when `coach serve` stops.
- The Host header must name the loopback interface (127.0.0.1, localhost, [::1]): a web page whose own name was made
  to point at 127.0.0.1 (DNS rebinding) is refused, token or not.
- A change is a POST, and carries the CSRF token (a header or a form field) that only the page itself can read;
  its Origin, when sent, must be the page's own (scheme, name and port: another app on localhost is not the page). GET and HEAD never change anything; other methods are refused.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from urllib.parse import parse_qsl, urlencode

LOOPBACK = {"127.0.0.1", "localhost", "::1"}
CSRF_HEADER = "x-coach-csrf"
CSRF_FIELD = "csrf"
SAFE_METHODS = {"GET", "HEAD"}


def new_token() -> str:
    """Return a fresh random token for one run of `coach serve`."""
    return secrets.token_urlsafe(24)


def csrf_for(token: str) -> str:
    """Return the CSRF token the page sends with every change: derived from the token, never the token itself."""
    return hmac.new(token.encode(), b"coach-csrf", hashlib.sha256).hexdigest()[:32]


def session_for(token: str) -> str:
    """Return the session cookie's value: derived from the token, never the token itself."""
    return hmac.new(token.encode(), b"coach-session", hashlib.sha256).hexdigest()


def cookie_name(port: int) -> str:
    """Return the cookie that carries the token: named by port, since cookies do not tell ports apart."""
    return f"coach_token_{port}"


def host_name(host: str) -> str:
    """Return the name part of a Host header: `127.0.0.1:8765` -> 127.0.0.1, `[::1]:8765` -> ::1."""
    host = host.strip().lower()
    if host.startswith("["):
        return host[1:host.find("]")] if "]" in host else host
    return host.rsplit(":", 1)[0] if host.count(":") == 1 else host


class Guard:
    """ASGI middleware: refuses, in one sentence, any request that fails the Host, token or CSRF check."""

    def __init__(self, app, token: str, port: int = 0):
        self.app, self.token, self.port = app, token, port
        self.csrf = csrf_for(token)
        self.session = session_for(token)
        self.cookie = cookie_name(port)

    async def __call__(self, scope, receive, send):
        if scope["type"] == "websocket":  # the page has none: refused before anything reads it
            return await send({"type": "websocket.close", "code": 1008})
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        headers = {k.decode("latin-1").lower(): v.decode("latin-1") for k, v in scope["headers"]}
        method = scope["method"]
        query = dict(parse_qsl(scope.get("query_string", b"").decode("latin-1")))
        if host_name(headers.get("host", "")) not in LOOPBACK:
            return await refuse(send, 400, "This page answers only at the address coach serve printed "
                                           "(127.0.0.1); open that address.")
        if method not in SAFE_METHODS | {"POST"}:
            return await refuse(send, 405, f"{method} is not something this page takes.")
        given = query.get("token")
        if given is not None and method in SAFE_METHODS:
            if not self._right(given):
                return await refuse(send, 403, "That token is not this server's; open the address coach serve "
                                               "printed, with its token.")
            return await self._enter(scope, send, query)
        if not (self._session(self._cookie(headers)) or self._right(_bearer(headers))):
            return await refuse(send, 403, "This page needs the address coach serve printed, with its token; open "
                                           "that address again.")
        if method == "POST":
            origin = headers.get("origin")
            if origin and origin != f"http://{headers.get('host', '')}":  # another port of localhost is another site
                return await refuse(send, 403, "A change can only come from this page itself.")
            if not self._csrf_sent(headers, scope):
                scope = dict(scope)
                receive = await _with_form_csrf(scope, receive, self, send)
                if receive is None:
                    return None
        return await self.app(scope, receive, send)

    def _right(self, given: str | None) -> bool:
        return bool(given) and hmac.compare_digest(given.encode(), self.token.encode())

    def _session(self, given: str | None) -> bool:
        return bool(given) and hmac.compare_digest(given.encode(), self.session.encode())

    def _cookie(self, headers: dict[str, str]) -> str | None:
        """Return this server's cookie: read leniently, so another program's malformed cookie cannot hide it."""
        from starlette.requests import cookie_parser

        return cookie_parser(headers.get("cookie", "")).get(self.cookie)

    def _csrf_sent(self, headers: dict[str, str], scope) -> bool:
        sent = headers.get(CSRF_HEADER, "")
        return bool(sent) and hmac.compare_digest(sent.encode(), self.csrf.encode())

    async def _enter(self, scope, send, query: dict[str, str]) -> None:
        """Set the token's cookie and send the browser to the same address without the token."""
        rest = urlencode({k: v for k, v in query.items() if k != "token"})
        path = scope.get("raw_path") or scope.get("path", "/").encode("utf-8")
        path = b"/" + path.split(b"?", 1)[0].lstrip(b"/")  # "//elsewhere" is another site's address: never sent there
        location = path + (f"?{rest}".encode() if rest else b"")
        cookie = f"{self.cookie}={self.session}; Path=/; HttpOnly; SameSite=Strict"
        await send({"type": "http.response.start", "status": 303,
                    "headers": [(b"location", location), (b"set-cookie", cookie.encode("latin-1")),
                                *SECURITY_HEADERS]})
        await send({"type": "http.response.body", "body": b""})


async def _with_form_csrf(scope, receive, guard: Guard, send):
    """Read a form body that carries the CSRF token as a field (a form sent without the page's script); return a
    receive that replays the body, or None when the token is missing or wrong (the refusal is sent)."""
    headers = {k.decode("latin-1").lower(): v.decode("latin-1") for k, v in scope["headers"]}
    if not headers.get("content-type", "").startswith("application/x-www-form-urlencoded"):
        await refuse(send, 403, "This change came without the page's CSRF token; reload the page and try again.")
        return None
    body, more = b"", True
    while more:
        message = await receive()
        body += message.get("body", b"")
        more = message.get("more_body", False)
        if len(body) > 1_000_000:
            await refuse(send, 413, "That form is too large.")
            return None
    sent = dict(parse_qsl(body.decode("latin-1"))).get(CSRF_FIELD, "")
    if not (sent and hmac.compare_digest(sent.encode(), guard.csrf.encode())):
        await refuse(send, 403, "This change came without the page's CSRF token; reload the page and try again.")
        return None
    done = False

    async def replay():
        nonlocal done
        if done:
            return await receive()
        done = True
        return {"type": "http.request", "body": body, "more_body": False}

    return replay


def _bearer(headers: dict[str, str]) -> str | None:
    value = headers.get("authorization", "")
    return value[6:].strip() if value.lower().startswith("token ") else None


SECURITY_HEADERS = [
    (b"content-security-policy", b"default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
                                 b"media-src 'self' blob:; connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; "
                                 b"form-action 'self'"),
    (b"x-content-type-options", b"nosniff"),
    (b"referrer-policy", b"no-referrer"),
    (b"x-frame-options", b"DENY"),
    (b"cache-control", b"no-store"),
]


async def refuse(send, status: int, sentence: str) -> None:
    """Answer with one sentence, as plain text, and the status that says why."""
    body = (sentence + "\n").encode()
    await send({"type": "http.response.start", "status": status,
                "headers": [(b"content-type", b"text/plain; charset=utf-8"),
                            (b"content-length", str(len(body)).encode()), *SECURITY_HEADERS]})
    await send({"type": "http.response.body", "body": body})


class SecurityHeaders:
    """ASGI middleware: every answer forbids framing, sniffing, caching, referrers and scripts from elsewhere."""

    def __init__(self, app):
        self.app = app

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            return await self.app(scope, receive, send)

        async def with_headers(message):
            if message["type"] == "http.response.start":
                names = {k.lower() for k, _ in message.get("headers", [])}
                message = {**message, "headers": [*message.get("headers", []),
                                                  *[(k, v) for k, v in SECURITY_HEADERS if k not in names]]}
            await send(message)

        return await self.app(scope, receive, with_headers)
