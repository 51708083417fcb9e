"""The terminal itself: colour on a terminal only (never in a pipe, never with NO_COLOR), and what it shows while a
model works: a spinner with elapsed seconds, and events worth reading once."""

from __future__ import annotations

import os
import shutil
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager

SPINNER = "⠋⠙⠹⠸⠼⠴⠦⠧⠇⠏"

# What gets a colour: coach's own marks and the words its layouts put in known places, never the user's prose.
HIGHLIGHTS = [
    r"(?P<done>✓)", r"(?P<todo>☐)", r"(?P<bad>✗)", r"(?P<dot>·)",
    r"(?m)^(?P<error>Error):", r"(?m)^  (?P<error>error)  ", r"(?m)^  (?P<warning>warning)  ",
    r"(?m)^  (?P<info>info)  ", r"(?m)^(?P<warning>Skipped) ", r"(?m)^(?P<warning>Warning):",
    r"(?m)(?P<warning>gap: no story)$", r"(?m)s  (?P<done>within target)$", r"(?m)s  (?P<warning>(?:over|under) target)$",
    r"(?P<done>within the \d+-\d+s target)", r"(?P<warning>[\d.]+s (?:over|under) the \d+-\d+s target)",
    r"(?P<bad>! (?:no quote of yours|not found in your material)[^\n]*)", r"(?P<bad>not in your material:)",
    r"(?m)^(?P<heading>[a-z0-9][a-z0-9-]*):(?= )", r"(?m)^(?P<rule>--[- ]*)$",
    r"(?m)^(?P<heading>[A-Z][^\n]{0,60} story bank) · ", r"(?s)(?P<bad>\[-(?:(?!-\]).)*-\])",
    r"(?s)(?P<done>\{\+(?:(?!\+\}).)*\+\})",
]
STYLES = {
    "coach.done": "green", "coach.todo": "yellow", "coach.bad": "red", "coach.dot": "dim", "coach.error": "bold red",
    "coach.warning": "yellow", "coach.info": "dim", "coach.heading": "bold", "coach.rule": "dim",
}


def fitted(line: str, size: int) -> str:
    """Return line cut to `size` columns at a word boundary, with an ellipsis when anything was cut."""
    if len(line) <= size:
        return line
    cut = line[: size - 1].rsplit(" ", 1)[0].rstrip(" ·:(")
    return cut + "…"


def spinner_line(head: str, elapsed: str, note: str, size: int) -> str:
    """Return the spinner's line in `size` columns: what is happening now (a retry and its reason) is kept whole as
    long as it fits, and the label before it is shortened instead; only a reason wider than the line is cut."""
    tail = f" · {elapsed}" + (f" · {note}" if note else "")
    if len(head) + len(tail) <= size:
        return head + tail
    room = size - len(tail)
    if room >= min(len(head), 12):  # the spinner and a few words of the label still fit
        return fitted(head, room) + tail
    return fitted(head[:1] + tail, size)


def colour_on(stream) -> bool:
    """Say whether to colour output to `stream`: on a terminal, unless NO_COLOR is set or TERM is dumb; FORCE_COLOR
    colours a pipe too."""
    if os.environ.get("NO_COLOR"):
        return False
    if os.environ.get("FORCE_COLOR"):
        return True
    return stream.isatty() and os.environ.get("TERM") != "dumb"


def paint(text: str, stream) -> None:
    """Write text to a terminal with coach's colours; the text is laid out already, so nothing is wrapped again."""
    from rich.console import Console
    from rich.highlighter import RegexHighlighter
    from rich.theme import Theme

    class Marks(RegexHighlighter):
        base_style = "coach."
        highlights = HIGHLIGHTS

    console = Console(file=stream, force_terminal=True, highlighter=Marks(), theme=Theme(STYLES), soft_wrap=True,
                      emoji=False, markup=False)
    console.print(text, soft_wrap=True)


class Progress:
    """Progress on stderr: on a terminal a spinner with the seconds elapsed and what happens now (a retry, a re-ask);
    on a terminal or piped, the events worth knowing once (an adaptation to the endpoint), one line each."""

    def __init__(self, stream=None, tty: bool | None = None, clock=time.monotonic):
        self.stream = stream or sys.stderr
        self.tty = self.stream.isatty() if tty is None else tty
        self.clock = clock
        self.width = shutil.get_terminal_size((80, 24)).columns
        self._lock = threading.Lock()
        self._label = ""
        self._note = ""
        self._stories: list[str] = []  # the stories a --all run works on, and which of them are in flight or done
        self._working: list[str] = []
        self._done = 0

    def planned(self, stories: list[str]) -> None:
        """Say which stories this run will work on, so the spinner can name them and count them done."""
        with self._lock:
            self._stories, self._working, self._done = list(stories), [], 0

    def started(self, story: str) -> None:
        """Name a story the model is working on now."""
        with self._lock:
            self._working.append(story)

    def finished(self, story: str) -> None:
        """Count a story done."""
        with self._lock:
            if story in self._working:
                self._working.remove(story)
            self._done += 1

    def event(self, message: str) -> None:
        """Print one line the user should read (an adaptation to the endpoint), whether on a terminal or piped."""
        with self._lock:
            self._clear()
            if self.tty:
                from coach.display.layout import paragraphs

                message = paragraphs(message, 2)
            print(message, file=self.stream, flush=True)

    def status(self, message: str) -> None:
        """Show what is happening now (a retry, a re-ask) beside the spinner; nothing when piped."""
        with self._lock:
            self._note = message

    @contextmanager
    def spinning(self, label: str) -> Iterator[None]:
        """Show a spinner with elapsed seconds while the block runs (on a terminal only)."""
        if not self.tty:
            yield
            return
        done = threading.Event()
        self._label = label
        thread = threading.Thread(target=self._spin, args=(done, self.clock()), daemon=True)
        thread.start()
        try:
            yield
        finally:
            done.set()
            thread.join(0.5)
            with self._lock:
                self._clear()
                self._label = ""

    def _spin(self, done: threading.Event, started: float) -> None:
        frame = 0
        while not done.wait(0.1):
            with self._lock:
                head = f"{SPINNER[frame % len(SPINNER)]} {self._label}{self._stories_now()}"
                line = spinner_line(head, f"{self.clock() - started:.0f}s", self._note, self.width - 1)
                self.stream.write(f"\r{line}\x1b[K")
                self.stream.flush()
            frame += 1

    def _stories_now(self) -> str:
        if len(self._stories) < 2:
            return f" · {self._stories[0]}" if self._stories else ""
        return f" · {', '.join(self._working) or 'starting'} · {self._done} of {len(self._stories)} done"

    def _clear(self) -> None:
        if self.tty and self._label:
            self.stream.write("\r\x1b[K")

