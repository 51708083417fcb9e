"""What the page's tests share: the app behind its guard, a real server on a free loopback port, and Debian's
Chromium driven by Playwright (no browser is downloaded), with screenshots saved for a person to look at.

Screenshots go to $COACH_SCREENSHOTS, else build/screenshots/ in the checkout, at 1280x800 and 390x844.
"""

from __future__ import annotations

import os
import shutil
import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import pytest

TOKEN = "test-token-0123456789"
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser") or "/usr/bin/chromium"
SHOTS = Path(os.environ.get("COACH_SCREENSHOTS") or Path(__file__).parent.parent / "build" / "screenshots")
CHROMIUM_FLAGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
                  "--disable-component-update", "--disable-sync", "--disable-dev-shm-usage"]
SIZES = {"wide": (1280, 800), "phone": (390, 844)}


def client(root: Path, services=None, token: str = TOKEN):
    """Return a Starlette test client of the app for the bank at `root`, let in (its token's cookie set)."""
    from starlette.testclient import TestClient

    from coach.web.app import make_app
    from coach.web.guard import cookie_name, session_for

    test = TestClient(make_app(root, token, port=0, services=services), base_url="http://127.0.0.1")
    test.cookies.set(cookie_name(0), session_for(token))
    return test


def csrf_headers(token: str = TOKEN) -> dict[str, str]:
    """Return the header a change needs: the page's CSRF token."""
    from coach.web.guard import CSRF_HEADER, csrf_for

    return {CSRF_HEADER: csrf_for(token)}


def events(response) -> list[dict]:
    """Return the events of a streamed answer (newline-delimited JSON)."""
    import json

    assert response.headers["content-type"].startswith("application/x-ndjson"), response.text
    return [json.loads(line) for line in response.text.split("\n") if line.strip()]


@dataclass
class Served:
    """A real server of the page: its address with the token (what `coach serve` prints) and without."""

    base: str
    url: str


@contextmanager
def served(root: Path, services=None, token: str = TOKEN) -> Iterator[Served]:
    """Serve the page for the bank at `root` on a free loopback port, in a thread, until the block ends."""
    import uvicorn

    from coach.web.app import make_app

    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    sock.listen(16)
    port = sock.getsockname()[1]
    config = uvicorn.Config(make_app(root, token, port=port, services=services), log_level="warning",
                            lifespan="off", access_log=False)
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    deadline = time.monotonic() + 10
    while not server.started and time.monotonic() < deadline:
        time.sleep(0.02)
    try:
        yield Served(f"http://127.0.0.1:{port}", f"http://127.0.0.1:{port}/?token={token}")
    finally:
        server.should_exit = True
        thread.join(5)
        sock.close()


def chromium_missing() -> str | None:
    """Return why the browser tests cannot run here, or None."""
    try:
        import playwright  # noqa: F401
    except ImportError:
        return "playwright is not installed (the test extra has it)"
    if not Path(CHROMIUM).exists():
        return "Debian's chromium is not installed (.ci/run installs it)"
    return None


@contextmanager
def browser(*args: str) -> Iterator[object]:
    """Launch Debian's Chromium headless through Playwright, with any extra flags (a fake microphone, say)."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        launched = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=[*CHROMIUM_FLAGS, *args])
        try:
            yield launched
        finally:
            launched.close()


def shoot(page, name: str) -> list[Path]:
    """Save a screenshot of the page at both sizes (1280x800, 390x844) as NAME-wide.png and NAME-phone.png."""
    SHOTS.mkdir(parents=True, exist_ok=True)
    saved = []
    before = page.viewport_size
    for size, (width, height) in SIZES.items():
        page.set_viewport_size({"width": width, "height": height})
        path = SHOTS / f"{name}-{size}.png"
        page.screenshot(path=str(path), full_page=True)
        saved.append(path)
    if before:
        page.set_viewport_size(before)
    return saved


def no_horizontal_scroll(page) -> bool:
    """Return True when the page fits its width (nothing to scroll sideways but inside a table's own box)."""
    return page.evaluate("document.documentElement.scrollWidth <= document.documentElement.clientWidth + 1")


needs_chromium = pytest.mark.skipif(chromium_missing() is not None, reason=chromium_missing() or "")
