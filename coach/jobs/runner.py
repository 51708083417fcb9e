"""The one runner of the model's jobs: it asks (on a daemon thread, so Ctrl-C stops at once), re-asks through the
engine until the task's checks pass, merges the answer into the story as it is on disk now, and saves it under the
stop flag's lock, so that no file is written after an interrupt and a failure leaves every file as it was."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any

from coach.errors import CoachError, Interrupted
from coach.jobs.task import Line, Made, StoryTask, Task

if TYPE_CHECKING:
    from coach.bank.folder import Bank
    from coach.bank.models import Story
    from coach.llm.engine import Answer, Engine

LEFT_AS_IT_WAS = "interrupted; the story file was left as it was"


def ask(engine: Engine, task: Task, *, fresh: bool = False, interrupted: str = LEFT_AS_IT_WAS) -> Answer:
    """Return the model's answer to a task, one that passes its checks (or only doubts them)."""
    import threading

    from coach.llm.gate import clean_answer
    from coach.llm.jobs import JobsInterrupted, run_one

    gated: dict[int, list[str]] = {}

    def check(value) -> list[str]:  # every answer passes the gate before the method judges it
        gated[id(value)] = clean_answer(value, task.limits).notes()
        return task.problems(value)

    def call() -> Answer:
        answer = engine.ask(task.prompt, task.variables(), task.output, check=check, command=task.command, fresh=fresh)
        for note in gated.get(id(answer.value), []):
            engine.on_event(note)
        return answer

    if threading.current_thread() is not threading.main_thread():
        return call()  # one of several jobs: the main thread already watches for Ctrl-C
    try:
        return run_one(call, engine.stop)
    except JobsInterrupted:
        raise Interrupted(interrupted) from None


def stream(engine: Engine, line: Line, on_words: Callable[[str], None]) -> str:
    """Return the model's free-text answer to a line job, handing its words to on_words as they arrive."""
    from coach.llm.gate import field_text, printable
    from coach.llm.jobs import run_one

    def shown(words: str) -> None:  # an escape sequence's ESC never reaches the screen, even split across chunks
        if clean := printable(words):
            on_words(clean)

    said = run_one(lambda: engine.say(line.prompt, line.variables(), shown, command=line.command, budget=line.budget),
                   engine.stop)
    return field_text(said)


@dataclass
class Saved:
    """What running a story task did: the answer, what its merge returned, and the story as saved."""

    answer: Answer
    changed: Any
    story: Story


def require_material(task: StoryTask, what: str) -> None:
    """Refuse a story with nothing of the user's to ground a job in: no draft and no extraction answers."""
    story = task.story
    if not story.draft.strip() and not any(q.answer.strip() for q in story.questions()):
        raise CoachError(f"{task.slug} has no draft and no answers to {what}; write your draft under ## Draft first")


def run(bank: Bank, engine: Engine, task: StoryTask, *, fresh: bool = False,
        now: Callable[[], datetime] = datetime.now) -> Saved:
    """Ask the model, merge its answer into the story as it is on disk now, and save it; nothing is written on a
    failure or after Ctrl-C."""
    answer = ask(engine, task, fresh=fresh)
    made = Made(engine.settings.model, now())
    merged: list[Story] = []

    def merge(latest: Story) -> Any:
        merged.append(latest)
        return task.merge(latest, answer.value, made)

    with engine.stop.saving(task.slug):  # never after a Ctrl-C
        changed = bank.update(task.path, merge)
    return Saved(answer, changed, merged[-1])  # as written: a save reads its text back before it writes
