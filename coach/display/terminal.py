"""What the terminal shows while a model works: a spinner with elapsed seconds, and events worth reading once."""

from __future__ import annotations

import shutil
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager

SPINNER = "⠋⠙⠹⠸⠼⠴⠦⠧⠇⠏"


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

    def event(self, message: str) -> None:
        """Print one line the user should read (an adaptation to the endpoint), whether on a terminal or piped."""
        with self._lock:
            self._clear()
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
                note = f" · {self._note}" if self._note else ""
                line = f"{SPINNER[frame % len(SPINNER)]} {self._label} · {self.clock() - started:.0f}s{note}"
                self.stream.write(f"\r{line[: self.width - 1]}\x1b[K")
                self.stream.flush()
            frame += 1

    def _clear(self) -> None:
        if self.tty and self._label:
            self.stream.write("\r\x1b[K")

