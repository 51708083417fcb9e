"""The page's app: its routes, gathered from the page modules, behind the guard; and the seams tests replace.

    app = make_app(Path("stories"), token)          # what `coach serve` runs
    app = make_app(root, token, services=Services(engine=fake, transcriber=fake))   # a test's
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

STATIC = Path(__file__).parent / "static"


def configured_engine(bank, model: str | None, progress):
    """Return the engine of the configured endpoint (the one `coach refine` asks), reporting to `progress`."""
    from coach.llm.connect import connect

    return connect(bank.root, model, progress)


@dataclass
class Services:
    """What the pages ask, hear and time through: the seams tests replace with their own (as `cli.io.Terminal`).

    `engine(bank, model, progress)` returns the engine a model job asks with; `transcriber()` the one that hears takes
    (made once, then shared: a local model loads once per server).
    """

    engine: Callable = configured_engine
    transcriber: Callable | None = None  # None: the environment's (`voice.transcribe.transcriber_from_env`)
    now: Callable[[], datetime] = datetime.now
    model: str | None = None  # --model given to `coach serve`
    _heard_by: object = field(default=None, repr=False)
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    def hearing(self):
        """Return the transcriber, made on first use and kept."""
        with self._lock:
            if self._heard_by is None:
                if self.transcriber is not None:
                    self._heard_by = self.transcriber()
                else:
                    import os

                    from coach.voice.transcribe import transcriber_from_env

                    self._heard_by = transcriber_from_env(os.environ)
            return self._heard_by


def make_app(root: Path, token: str, *, port: int = 0, services: Services | None = None):
    """Return the page's ASGI app for the bank at `root`, answering only requests that carry `token`."""
    from starlette.applications import Starlette
    from starlette.routing import Mount, Route
    from starlette.staticfiles import StaticFiles

    from coach.bank.folder import Bank
    from coach.web.guard import Guard, SecurityHeaders, csrf_for
    from coach.web.pages import board, calls, interview, practice, progress, story, story_actions

    routes = [*board.routes, *story.routes, *story_actions.routes, *practice.routes, *interview.routes, *progress.routes,
              *calls.routes, Route("/favicon.ico", _no_icon),
              Mount("/static", StaticFiles(directory=STATIC), name="static")]
    app = Starlette(routes=routes, exception_handlers={400: _unreadable, 404: _not_found, 405: _not_allowed})
    app.state.root = Path(root)
    app.state.bank = lambda: Bank(app.state.root)  # a fresh Bank per request: its `skipped` is that request's
    app.state.services = services or Services()
    app.state.csrf = csrf_for(token)
    app.state.interviews = {}  # interview id -> the running web interview (pages.interview)
    app.state.takes = {}  # take id -> a heard take waiting for "keep it anyway" (pages.practice)
    app.state.jobs, app.state.jobs_lock = {}, threading.Lock()  # story -> the model job running on it (story_actions)
    return Guard(SecurityHeaders(app), token, port)


async def _not_found(request, exc):
    from coach.web.render import problem

    return problem(request, "There is no such page here; the board lists your stories.", 404)


async def _no_icon(request):
    """Answer the browser's request for an icon: there is none (and no error in its console)."""
    from starlette.responses import Response

    return Response(status_code=204)


async def _unreadable(request, exc):
    """A body the form parser refused (a part over its size, a broken multipart): one sentence, as every failure."""
    from starlette.responses import PlainTextResponse

    detail = " ".join(str(getattr(exc, "detail", "") or "").split()).rstrip(".")
    said = f" ({detail})" if detail else ""
    return PlainTextResponse(f"What the page sent could not be read{said}; reload the page and try again.\n",
                             status_code=400)


async def _not_allowed(request, exc):
    from starlette.responses import PlainTextResponse

    return PlainTextResponse("This address does not take that method.\n", status_code=405)
