"""`coach serve`: the page, on this machine only, over the same bank and files as every other command."""

import errno
import os
import socket
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated

import typer

from coach.cli.io import Output, Terminal
from coach.cli.options import DEFAULT_BANK, Model, StoriesDir
from coach.errors import CoachError

DEFAULT_PORT = 8765
TRIED_PORTS = 20  # without --port, the next ports are tried when 8765 is taken (another coach serve, say)
WEB_EXTRA = ("starlette", "uvicorn", "multipart", "jinja2")


def add_commands(app: typer.Typer, out: Output, terminal: Terminal) -> None:
    """Declare `coach serve` on app."""

    @app.command("serve")
    def serve_command(
        port: Annotated[int | None, typer.Option("--port", metavar="N", help=f"Port on 127.0.0.1 (default {DEFAULT_PORT}, or the next free one; 0: any free port).")] = None,
        open_browser: Annotated[bool, typer.Option("--open", help="Open the page in your browser.")] = False,
        model: Model = None,
        stories: StoriesDir = DEFAULT_BANK,
    ) -> None:
        """Serve a page on this machine for the bank: board, stories, practice with the microphone, interviews, progress."""
        require_web_extra()
        bank = out.bank(stories)
        bank.story_paths()  # no bank there: said now, not on the page
        if port is not None and not 0 <= port <= 65535:
            raise CoachError(f"--port takes a port number from 0 to 65535, not {port}")
        sock = listening(port)
        from coach.web.app import Services, make_app
        from coach.web.guard import new_token

        token = new_token()
        bound = sock.getsockname()[1]
        url = f"http://127.0.0.1:{bound}/?token={token}"
        web = make_app(bank.root, token, port=bound, services=Services(now=terminal.now, model=model))
        out.say(f"coach serve: the page for {bank.root} is at\n\n    {url}\n\nOnly this address, with its token, opens "
                "it, and only from this machine. Every change lands in the bank's files. Ctrl-C stops the server.", wrap=True)
        with opener(url) as page:
            if open_browser:
                import webbrowser

                if not webbrowser.open(page.as_uri()):
                    out.say("No browser could be opened from here; open the address above yourself.", err=True, wrap=True)
            run(web, sock)
        out.say("Stopped; every change the page made is in the bank's files.", err=True)
        leave()


@contextmanager
def opener(url: str) -> Iterator[Path]:
    """Yield a page, readable by this user only, that sends the browser on to `url`: `--open` hands the browser this
    file, never the address itself, whose token any user of the machine could read in the browser's arguments (as
    Jupyter does). The file is removed when the server stops."""
    import html
    import shutil
    import tempfile

    folder = Path(tempfile.mkdtemp(prefix="coach-serve-"))  # made readable by its owner only
    page = folder / "open.html"
    try:
        fd = os.open(page, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w", encoding="utf-8") as file:
            address = html.escape(url, quote=True)
            file.write(f'<!doctype html><meta charset="utf-8"><meta http-equiv="refresh" content="0;url={address}">'
                       f'<title>coach</title><p><a href="{address}">Open coach</a></p>\n')
        yield page
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def leave() -> None:
    """End the process now: a model job a page started may still wait on its endpoint (up to COACH_TIMEOUT) in a
    worker thread that Python would wait for. Leaving it loses nothing: every file is written to a temporary file
    and renamed into place, so each is whole, as it was or as changed; the call log is a SQLite database."""
    import sys

    for stream in (sys.stdout, sys.stderr):
        stream.flush()
    os._exit(0)


def require_web_extra() -> None:
    """Stop with how to install the web extra when it is missing."""
    import importlib.util

    missing = [name for name in WEB_EXTRA if importlib.util.find_spec(name) is None]
    if missing:
        raise CoachError(f"coach serve needs the web extra ({', '.join(missing)} not installed); install it with "
                         "`python -m pip install 'coach[web]'` (from a checkout of coach: `python -m pip install '.[web]'`)")


def listening(port: int | None) -> socket.socket:
    """Return a socket listening on 127.0.0.1: the port asked for, or the first free one from the default."""
    ports = [port] if port is not None else range(DEFAULT_PORT, DEFAULT_PORT + TRIED_PORTS)
    for candidate in ports:
        sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        try:
            sock.bind(("127.0.0.1", candidate))
            sock.listen(64)
            return sock
        except OSError as error:
            sock.close()
            if error.errno != errno.EADDRINUSE:
                raise CoachError(f"could not listen on 127.0.0.1:{candidate} ({error.strerror or error}); pass another "
                                 "--port, or --port 0 for any free one") from None
    if port is not None:
        raise CoachError(f"port {port} is in use on 127.0.0.1 (another coach serve?); pass another --port, or --port 0 "
                         "for any free one")
    raise CoachError(f"ports {DEFAULT_PORT}-{DEFAULT_PORT + TRIED_PORTS - 1} are all in use on 127.0.0.1; pass "
                     "--port N, or --port 0 for any free one")


def run(web, sock: socket.socket) -> None:
    """Serve until Ctrl-C; work streaming to a page is cut off, and every file is whole (each is written atomically)."""
    import uvicorn

    from coach.web.streams import STOPPING

    class Server(uvicorn.Server):
        def handle_exit(self, sig, frame) -> None:
            STOPPING.set()  # the pages' streams end now, so the shutdown need not cancel them
            super().handle_exit(sig, frame)

    config = uvicorn.Config(web, log_level="warning", access_log=False, lifespan="off", timeout_graceful_shutdown=2,
                            server_header=False)
    server = Server(config)
    try:
        server.run(sockets=[sock])
    except KeyboardInterrupt:  # uvicorn shuts down on Ctrl-C, then raises it again: stopping is how a server ends
        pass
    finally:
        sock.close()
