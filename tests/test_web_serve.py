"""`coach serve` as a person runs it: the address it prints opens the board, nothing else does, Ctrl-C stops it."""

from __future__ import annotations

import os
import re
import signal
import socket
import subprocess
import sys
import time

import httpx
import pytest

from coach.cli import app
from tests.test_cli import run

pytest.importorskip("starlette")


def test_serve_without_the_web_extra_says_how_to_install_it(runner, bank, monkeypatch):
    import importlib.util

    real = importlib.util.find_spec
    monkeypatch.setattr(importlib.util, "find_spec", lambda name, *a: None if name == "uvicorn" else real(name, *a))
    result = run(runner, "serve", "--stories", str(bank.root))
    assert result.exit_code == 2
    assert "coach serve needs the web extra (uvicorn not installed)" in result.output
    assert "pip install 'coach[web]'" in result.output
    assert "Traceback" not in result.output


def test_serve_with_no_bank_names_the_commands_that_start_one(runner, tmp_path):
    result = run(runner, "serve", "--stories", str(tmp_path / "none"))
    assert result.exit_code == 2 and "no story bank here" in result.output


def test_serve_on_a_port_in_use_says_so_in_one_sentence(runner, bank):
    taken = socket.socket()
    taken.bind(("127.0.0.1", 0))
    taken.listen(1)
    try:
        port = taken.getsockname()[1]
        result = run(runner, "serve", "--port", str(port), "--stories", str(bank.root))
    finally:
        taken.close()
    assert result.exit_code == 2
    assert f"port {port} is in use on 127.0.0.1" in result.output and "--port 0" in result.output


def test_serve_refuses_a_port_that_is_not_one(runner, bank):
    result = run(runner, "serve", "--port", "70000", "--stories", str(bank.root))
    assert result.exit_code == 2 and "--port takes a port number from 0 to 65535" in result.output


def test_the_printed_address_opens_the_board_and_ctrl_c_stops_the_server(bank):
    """The real command, in its own process: the URL it prints works, the bare address and another Host do not."""
    server = subprocess.Popen([sys.executable, "-c", "from coach.cli import main; main()", "serve", "--port", "0",
                               "--stories", str(bank.root)], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                              env={**os.environ, "COLUMNS": "200"}, preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL))
    try:
        url = None
        deadline = time.monotonic() + 30
        while url is None and time.monotonic() < deadline:
            line = server.stdout.readline()
            found = re.search(r"http://127\.0\.0\.1:\d+/\?token=[\w-]+", line)
            url = found.group(0) if found else None
        assert url, "coach serve printed no address"
        base = url.split("/?")[0]
        for _ in range(100):  # the socket listens before uvicorn serves: wait for it
            try:
                opened = httpx.get(url, follow_redirects=True)
                break
            except httpx.TransportError:
                time.sleep(0.05)
        assert opened.status_code == 200 and "The Risk Story" in opened.text
        assert httpx.get(base + "/").status_code == 403
        assert httpx.get(url, headers={"host": "attacker.example"}).status_code == 400
        server.send_signal(signal.SIGINT)
        _, err = server.communicate(timeout=15)
        assert server.returncode == 0
        assert "Stopped; every change the page made is in the bank's files." in err
        assert "Traceback" not in err
    finally:
        if server.poll() is None:
            server.kill()
            server.communicate()


def _started(bank, env) -> tuple[subprocess.Popen, str]:
    server = subprocess.Popen([sys.executable, "-c", "from coach.cli import main; main()", "serve", "--port", "0",
                               "--stories", str(bank.root)], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                              env={**os.environ, "COLUMNS": "200", **env},
                              preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL))
    deadline, url = time.monotonic() + 30, None
    while url is None and time.monotonic() < deadline:
        found = re.search(r"http://127\.0\.0\.1:\d+/\?token=[\w-]+", server.stdout.readline())
        url = found.group(0) if found else None
    assert url, "coach serve printed no address"
    return server, url


def test_ctrl_c_while_a_model_job_waits_stops_the_server_at_once_and_leaves_the_story_whole(bank):
    """A refine waiting on an endpoint that never answers: Ctrl-C ends coach serve in seconds, not when the request
    times out, without a traceback, and the story file is as it was."""
    import threading

    silent = socket.socket()  # accepts the connection and never answers
    silent.bind(("127.0.0.1", 0))
    silent.listen(4)
    held = []
    threading.Thread(target=lambda: held.append(silent.accept()), daemon=True).start()
    before = (bank.root / "risk.md").read_bytes()
    server, url = _started(bank, {"OPENAI_BASE_URL": f"http://127.0.0.1:{silent.getsockname()[1]}/v1",
                                  "COACH_MODEL": "test-model", "COACH_TIMEOUT": "120", "COACH_RETRIES": "0"})
    try:
        with httpx.Client(follow_redirects=True) as browser:
            for _ in range(100):
                try:
                    page = browser.get(url)
                    break
                except httpx.TransportError:
                    time.sleep(0.05)
            csrf = re.search(r'name="csrf" content="(\w+)"', page.text).group(1)
            base = url.split("/?")[0]
            job = threading.Thread(target=lambda: _quietly(lambda: browser.post(
                base + "/story/risk/refine", headers={"x-coach-csrf": csrf, "origin": base}, timeout=60)), daemon=True)
            job.start()
            deadline = time.monotonic() + 20
            while not held and time.monotonic() < deadline:
                time.sleep(0.05)
            assert held, "the refine never reached the endpoint"
            stopped = time.monotonic()
            server.send_signal(signal.SIGINT)
            _, err = server.communicate(timeout=30)
            assert time.monotonic() - stopped < 10
        assert server.returncode == 0 and "Stopped;" in err and "Traceback" not in err
        assert (bank.root / "risk.md").read_bytes() == before
    finally:
        if server.poll() is None:
            server.kill()
            server.communicate()
        for connection, _ in held:
            connection.close()
        silent.close()


def _quietly(call) -> None:
    try:
        call()
    except httpx.HTTPError:
        pass


def test_serve_is_documented_in_the_help(runner):
    result = run(runner, "serve", "--help")
    assert "127.0.0.1" in result.output and "--open" in result.output
    assert any(c.name == "serve" for c in app.registered_commands)


def test_open_hands_the_browser_a_private_file_never_the_address_with_its_token(tmp_path):
    """A browser's arguments are visible to every user of the machine (`ps`): the token must not be among them."""
    import stat

    from coach.cli.serve import opener

    url = "http://127.0.0.1:8765/?token=secret-token"
    with opener(url) as page:
        assert "secret-token" not in str(page)
        assert stat.S_IMODE(page.stat().st_mode) == 0o600
        assert stat.S_IMODE(page.parent.stat().st_mode) == 0o700
        assert 'content="0;url=http://127.0.0.1:8765/?token=secret-token"' in page.read_text()
    assert not page.exists() and not page.parent.exists()


def test_reading_the_pages_never_imports_the_model_sdk(bank):
    """The board, a story, progress, the interview's setup and the log ask no model: openai is not imported."""
    script = (
        "import sys\nfrom pathlib import Path\nfrom tests.web_fixtures import client\n"
        f"test = client(Path({str(bank.root)!r}))\n"
        "for path in ('/', '/story/risk', '/progress', '/interview', '/log'):\n"
        "    assert test.get(path).status_code == 200, path\n"
        "assert 'openai' not in sys.modules, 'openai was imported'\n"
    )
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                          cwd=str(__import__("pathlib").Path(__file__).parent.parent))
    assert done.returncode == 0, done.stderr
