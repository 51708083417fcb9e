"""What a model job is: a prompt, the pydantic model its answer must fit, the variables it is rendered with, the
method's checks its answer must pass and, for a job on a story, how the answer merges into the story.

A new job is one subclass; `runner.py` does everything around the call.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar, Generic, TypeVar

from pydantic import BaseModel

from coach.bank.models import Story
from coach.bank.settings import BankSettings

if TYPE_CHECKING:
    from coach.llm.prompts import Prompts

T = TypeVar("T", bound=BaseModel)


class Task(Generic[T]):
    """One question to the model: `prompts/{prompt}.jinja` rendered with `variables()`, answered as `output`."""

    prompt: ClassVar[str]
    output: ClassVar[type[BaseModel]]
    command: ClassVar[str]  # what the call log files the call under
    limits: ClassVar[dict[str, int]] = {}  # what the method can use of each field: items of a list, characters of a text

    def variables(self) -> dict:
        """Return the prompt's variables."""
        raise NotImplementedError

    def problems(self, value: T) -> list[str]:
        """Return why an answer breaks the method (a `Doubt` is re-asked but not fatal); empty when it is fine."""
        return []

    def messages(self, prompts: Prompts | None = None) -> list[dict[str, str]]:
        """Return the messages the model would be sent with `prompts` (a bank's; coach's own when None), making no
        call (`--show-prompt`)."""
        from coach.llm.prompts import built_in

        return (prompts or built_in()).render(self.prompt, **self.variables())


@dataclass
class Made:
    """Who made an answer and when: what a merge records in fingerprints and history entries."""

    model: str
    at: datetime


@dataclass
class StoryTask(Task[T]):
    """A job on one story file: its answer is merged into the story as it is on disk when the answer arrives."""

    path: Path
    story: Story
    settings: BankSettings

    @property
    def slug(self) -> str:
        """Return the story's slug: its file name without .md."""
        return self.path.stem

    def merge(self, latest: Story, value: T, made: Made) -> Any:
        """Change `latest` (the story as it is now: the user may have edited it meanwhile) with the answer; return
        what changed, for the outcome."""
        raise NotImplementedError


class Line:
    """A job whose answer is free text, streamed as it arrives (the interviewer's words): no output model, no
    checks; what a driver shows is cleaned by the job that asked."""

    prompt: ClassVar[str]
    command: ClassVar[str]
    budget: ClassVar[int | None] = None  # output tokens at most: a rambling model is cut short

    def variables(self) -> dict:
        """Return the prompt's variables."""
        raise NotImplementedError

    def messages(self, prompts: Prompts | None = None) -> list[dict[str, str]]:
        """Return the messages the model would be sent with `prompts` (a bank's; coach's own when None), making no
        call (`--show-prompt`)."""
        from coach.llm.prompts import built_in

        return (prompts or built_in()).render(self.prompt, **self.variables())
