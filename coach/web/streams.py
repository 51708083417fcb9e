"""Long work streamed to the page: a model job, a transcription, an interview turn.

The work runs in a worker thread and tells the page what happens through an `Emit`; the answer is newline-delimited
JSON, one event a line, which the page's script applies as they come:

    {"status": "re-asking: 2 sentences over the window"}   a line beside the spinner (a retry, a re-ask)
    {"event": "..."}                                       a line worth keeping (an adaptation to the endpoint)
    {"words": "Tell me about"}                             the interviewer's words, as generated
    {"html": "...", "target": "#id", "mode": "replace"}    a part of the page, rendered on the server
    {"error": "one sentence"}                              the work failed; what to do
    {"go": "/story/risk"}                                  load another page

A CoachError becomes its sentence; a file-system error its sentence; anything else one sentence that names it,
with the traceback on the server's console only. The page never sees a traceback.
"""

from __future__ import annotations

import json
import queue
import re
import sys
import threading
import time
import traceback
from collections.abc import Callable, Iterator
from contextlib import contextmanager

from coach.errors import CoachError, file_system_message

DONE = object()
STOPPING = threading.Event()  # set when `coach serve` stops: every stream ends at once, the work left to finish
POLL = 0.25  # seconds a stream waits for the next event before it looks whether the server is stopping


class Emit:
    """What a piece of streamed work says to the page; safe to call from any thread."""

    def __init__(self):
        self.queue: queue.Queue = queue.Queue()
        self.failed = False

    def _put(self, **event) -> None:
        self.queue.put(event)

    def status(self, message: str) -> None:
        """Show what is happening now beside the spinner."""
        self._put(status=message)

    def event(self, message: str) -> None:
        """Show a line worth reading once (an adaptation to the endpoint, a warning)."""
        self._put(event=message)

    def words(self, text: str) -> None:
        """Stream words as they are generated."""
        self._put(words=text)

    def html(self, target: str, html: str, mode: str = "replace") -> None:
        """Put rendered HTML at `target` (a CSS selector): replace it, or append to it."""
        self._put(html=html, target=target, mode=mode)

    def go(self, url: str) -> None:
        """Send the page to another address."""
        self._put(go=url)

    def error(self, sentence: str) -> None:
        """Say in one sentence why the work failed and what to do."""
        self.failed = True
        self._put(error=sentence)


class WebProgress:
    """The engine's progress, told to the page: the same methods as the terminal's spinner (`display.terminal`)."""

    def __init__(self, emit: Emit, clock: Callable[[], float] = time.monotonic):
        self.emit, self.clock = emit, clock
        self._stories: list[str] = []
        self._done = 0

    def planned(self, stories: list[str]) -> None:
        self._stories, self._done = list(stories), 0

    def started(self, story: str) -> None:
        if len(self._stories) > 1:  # one story: the job's own line (which model, where) stays
            self.emit.status(f"{story}: asking the model" + self._count())

    def finished(self, story: str) -> None:
        self._done += 1
        if len(self._stories) > 1:
            self.emit.status(f"{story}: done" + self._count())

    def event(self, message: str) -> None:
        self.emit.event(message)

    def status(self, message: str) -> None:
        self.emit.status(message)

    @contextmanager
    def spinning(self, label: str) -> Iterator[None]:
        self.emit.status(label)
        yield

    def _count(self) -> str:
        return f" · {self._done} of {len(self._stories)} done" if len(self._stories) > 1 else ""


def failure_sentence(error: BaseException) -> str:
    """Return the one sentence the page shows for a failure."""
    from coach.errors import Interrupted

    if isinstance(error, CoachError):
        text = for_the_page(str(error))
        return _capital(text) + ("" if text.endswith(".") or isinstance(error, Interrupted) else ".")
    if isinstance(error, OSError):
        return _capital(file_system_message(error)) + "."
    return (f"Something went wrong that coach did not expect ({type(error).__name__}); nothing more was done. The "
            "details are in the terminal where coach serve runs.")


def for_the_page(text: str) -> str:
    """Return a failure's words as the page says them: the call log named as the page's (not `coach log --show N`),
    and of a numbered list of problems the first, with how many more there are (the call log keeps them all)."""
    text = re.sub(r"`?coach log --show (\d+)`?", r"call \1 in the call log", text)
    items = list(re.finditer(r"(?:^|\s)(\d+)\. ", text))
    if len(items) >= 3 and items[0].group(1) == "1" and items[1].group(1) == "2":
        kept = re.search(r"\s*\((?:the last answer|what it wrote) is kept[^)]*\)\s*$", text)
        head = text[:items[1].start()].rstrip(" ;,")
        more = len(items) - 1
        text = f"{head}; and {more} more problem{'s' * (more != 1)} (the call log keeps them all)" + (
            f" {kept.group(0).strip()}" if kept else "")
    return " ".join(text.split())


def _capital(text: str) -> str:
    """Return the text with a capital first letter, unless it starts with a path (`stories/risk.md:3: ...`)."""
    first = text.split(" ", 1)[0]
    return text if "/" in first or "\\" in first or ".md" in first else text[:1].upper() + text[1:]


def streamed(work: Callable[[Emit], None]):
    """Answer with the events `work` emits while it runs in a worker thread, then its failure if it failed."""
    from starlette.responses import StreamingResponse

    emit = Emit()

    def run() -> None:
        try:
            work(emit)
        except BaseException as error:  # noqa: BLE001 — said to the page in one sentence, never as a traceback
            if not isinstance(error, CoachError | OSError):
                traceback.print_exception(error, file=sys.stderr)
            emit.error(failure_sentence(error))
        finally:
            emit.queue.put(DONE)

    threading.Thread(target=run, daemon=True, name="coach-web-work").start()

    async def lines():
        from starlette.concurrency import run_in_threadpool

        while not STOPPING.is_set():
            try:
                item = await run_in_threadpool(emit.queue.get, True, POLL)
            except queue.Empty:
                continue
            if item is DONE:
                return
            yield json.dumps(item, ensure_ascii=False) + "\n"

    return StreamingResponse(lines(), media_type="application/x-ndjson")
