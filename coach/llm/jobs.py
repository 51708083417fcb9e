"""Run model calls for several stories at once, and stop at once on Ctrl-C.

Each job runs on a daemon thread, so a request in flight never holds the command open after Ctrl-C: the main
thread sets the stop flag and returns, and the abandoned threads die with the process. A job saves only through
`Stop.saving`, which refuses once the flag is set, so no file is written after the interrupt.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from queue import Empty, Queue
from typing import TypeVar

T = TypeVar("T")
R = TypeVar("R")
POLL_SECONDS = 0.05


class Cancelled(Exception):
    """The user interrupted the command: no new request is sent and nothing more is saved."""


class JobsInterrupted(Exception):
    """Ctrl-C arrived while jobs ran; `done` holds the results of the jobs that had finished (None elsewhere)."""

    def __init__(self, done: list):
        super().__init__("interrupted")
        self.done = done


class Stop:
    """A flag that Ctrl-C sets, and a lock that keeps it from falling in the middle of a save."""

    def __init__(self):
        self.event = threading.Event()
        self._lock = threading.Lock()
        self.saved: list[str] = []  # what was saved before the interrupt, whatever the jobs have reported

    def set(self) -> None:
        """Stop: wait for a save under way to finish, then refuse every later one."""
        with self._lock:
            self.event.set()

    def is_set(self) -> bool:
        """Return True once the command was interrupted."""
        return self.event.is_set()

    @contextmanager
    def saving(self, name: str) -> Iterator[None]:
        """Hold off an interrupt while `name` is saved; raise Cancelled if it already came."""
        with self._lock:
            if self.event.is_set():
                raise Cancelled()
            yield
            self.saved.append(name)


def run_jobs(items: list[T], work: Callable[[T], R], workers: int, stop: Stop,
             stop_after: Callable[[R], bool] = lambda result: False) -> list[R | None]:
    """Return work(item) for each item, run `workers` at a time, in the items' order.

    A result for which `stop_after` is true starts no further job: those left out stay None.
    """
    results: list[R | None] = [None] * len(items)
    finished: Queue = Queue()
    queue = iter(enumerate(items))
    running = 0
    halted = False

    def start_next() -> bool:
        nonlocal running
        index, item = next(queue, (None, None))
        if index is None:
            return False
        threading.Thread(target=_run, args=(work, index, item, finished), daemon=True).start()
        running += 1
        return True

    try:  # a Ctrl-C can come as soon as the first job starts
        for _ in range(max(1, workers)):
            if not start_next():
                break
        while running:
            try:
                index, result, error = finished.get(timeout=POLL_SECONDS)
            except Empty:
                continue
            running -= 1
            if error is not None:
                stop.set()  # no other job saves anything after an unexpected error
                raise error
            results[index] = result
            halted = halted or stop_after(result)
            if not halted and not stop.is_set():
                start_next()
    except KeyboardInterrupt:
        stop.set()
        raise JobsInterrupted(results) from None
    return results


def _run(work: Callable, index: int, item, finished: Queue) -> None:
    try:
        finished.put((index, work(item), None))
    except BaseException as error:  # handed to the main thread, which raises it
        finished.put((index, None, error))


def run_one(work: Callable[[], R], stop: Stop) -> R:
    """Run one job on a daemon thread and wait for it, so that Ctrl-C stops the command at once.

    Raises JobsInterrupted on Ctrl-C, like `run_jobs`.
    """
    def job(_):
        try:
            return work(), None
        except Exception as error:  # an expected failure: handed back without stopping anything else
            return None, error

    result, error = run_jobs([None], job, 1, stop)[0]
    if error is not None:
        raise error
    return result
