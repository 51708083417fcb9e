"""`coach refine` as a task: the refine prompt's variables, its response model, the method's checks, and the merge
of a refinement into the story (nothing the user wrote is removed or overwritten)."""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property
from typing import ClassVar

from pydantic import BaseModel, Field, field_validator

from coach.bank.models import BankSettings, HistoryEntry, Story, text_sha
from coach.jobs.grounded import confirm_note, unsourced_doubts, unsupported
from coach.jobs.replace import Replacement, same_text, still_open
from coach.jobs.task import Made, StoryTask
from coach.method.check import check_refined
from coach.method.context import story_context
from coach.method.grounding import Material, SourcedSentence, Traced, invented_facts, spoken, traced
from coach.method.text import word_budget, word_count

REJECTED_CODES = {"unsupported-number", "unsupported-name", "we-heavy"}  # timing is judged by the word budget
COACH_CAPS = {"hooks": 3, "key_words": 6, "follow_ups": 5}  # coach's own at most, as the prompt asks; the user's are extra


class SuggestedFollowUp(BaseModel):
    """A likely follow-up question and a suggested answer grounded in the story, sentence by sentence with its quotes."""

    question: str
    answer: list[SourcedSentence] = Field(description="The suggested answer, sentence by sentence, each with its sources.")

    @field_validator("answer", mode="before")
    @classmethod
    def _one_text(cls, value: object) -> object:
        """Take an answer sent as one text as one sentence with no sources (the guard then asks for them)."""
        return [{"text": value, "sources": []}] if isinstance(value, str) else value

    @property
    def text(self) -> str:
        """Return the answer as one text to speak."""
        return spoken(self.answer)


class Refinement(BaseModel):
    """What the refine prompt must return."""

    sentences: list[SourcedSentence] = Field(description="The refined story, to be spoken aloud, sentence by sentence.")
    estimated_seconds: float
    changes: list[str]
    coaching_notes: list[str]
    hooks: list[str]
    pacing: str
    tone: str
    key_words: list[str]
    follow_ups: list[SuggestedFollowUp]

    @property
    def refined(self) -> str:
        """Return the refined story as one text."""
        return spoken(self.sentences)

    def traced(self) -> list[Traced]:
        """Return each sentence with the quotes it says it rests on."""
        return traced(self.sentences)


@dataclass
class Target:
    """The timing a refinement must fit."""

    window: tuple[int, int]
    wpm: int

    @classmethod
    def of(cls, story: Story, settings: BankSettings, window: tuple[int, int] | None = None,
           wpm: int | None = None) -> Target:
        """Return the timing target: command-line overrides, then the story's, then the bank's."""
        return cls(story.window(settings, window), wpm or settings.words_per_minute)

    @property
    def words(self) -> tuple[int, int]:
        """Return the word budget of the window at this speaking rate."""
        return word_budget(self.window, self.wpm)


@dataclass
class Merge:
    """What a refinement changed in a story: what it added, and how many of coach's earlier notes it replaced (each
    kept under `## History`)."""

    story: Story
    kept_previous: bool
    added: dict[str, int] = field(default_factory=dict)
    replaced: dict[str, int] = field(default_factory=dict)


@dataclass
class RefineTask(StoryTask[Refinement]):
    """Refine one story to the target: a spoken version, notes, hooks, delivery and follow-ups."""

    target: Target
    prompt: ClassVar[str] = "refine"
    output: ClassVar[type[BaseModel]] = Refinement
    command: ClassVar[str] = "refine"
    limits: ClassVar[dict[str, int]] = {  # as many as the prompt asks for, and what a spoken line can hold
        "sentences": 40, "sentences.text": 600, "sentences.sources": 10, "sentences.sources[]": 400,
        "hooks": 3, "hooks[]": 300, "key_words": 6, "key_words[]": 80, "follow_ups": 5, "follow_ups.question": 300,
        "follow_ups.answer": 10, "follow_ups.answer.text": 600, "follow_ups.answer.sources[]": 400, "coaching_notes": 10, "coaching_notes[]": 400, "changes": 10, "changes[]": 300,
        "pacing": 400, "tone": 400,
    }

    @cached_property
    def material(self) -> Material:
        """Return the user's own words about the story, indexed for the guard."""
        return Material.of(self.story, self.settings)

    def variables(self) -> dict:
        """Return the variables of prompts/refine.jinja."""
        low_words, high_words = self.target.words
        return {
            **story_context(self.story, self.settings),
            "previous": self.story.refined,
            "coaching_notes": self.story.coaching_notes,
            "low": self.target.window[0],
            "high": self.target.window[1],
            "wpm": self.target.wpm,
            "min_words": low_words,
            "max_words": high_words,
            "aim_words": (low_words + high_words) // 2,
        }

    def problems(self, value: Refinement) -> list[str]:
        """Return why a refinement breaks the method (empty when it is acceptable); doubts are re-asked but not fatal."""
        target, material = self.target, self.material
        low_words, high_words = target.words
        problems: list[str] = []
        count = word_count(value.refined)
        if not low_words <= count <= high_words:
            problems.append(
                f"refined has {count} words; it must have {low_words}-{high_words} words to take "
                f"{target.window[0]}-{target.window[1]} seconds at {target.wpm} words per minute"
            )
        checked = check_refined(value.refined, self.story, self.settings, target.window, material=material)
        problems += [f"refined: {f.code}: {f.message}" for f in checked if f.code in REJECTED_CODES]
        items = [("hook", hook) for hook in value.hooks]
        items += [(f"follow-up '{f.question}'", f.text) for f in value.follow_ups]
        for where, text in items:  # each list item is judged on its own
            problems += invented_facts(where, text, material)
        problems += _missing_notes(value)
        problems += unsourced_doubts("", unsupported(value.sentences, material))
        for follow_up in value.follow_ups:
            problems += unsourced_doubts(f"follow-up '{follow_up.question}'", unsupported(follow_up.answer, material),
                                         placeholder=True)
        return problems

    def merge(self, latest: Story, value: Refinement, made: Made) -> Merge:
        """Merge a refinement into the story as it is now; sentences no quote supports become notes to confirm."""
        unsourced = unsupported(value.sentences, self.material)
        for follow_up in value.follow_ups:
            unsourced += [(s, follow_up.question) for s in unsupported(follow_up.answer, self.material)]
        return apply_refinement(latest, value, made, unsourced)


def _missing_notes(result: Refinement) -> list[str]:
    problems = []
    for name in ("hooks", "coaching_notes", "key_words", "follow_ups"):
        if not [item for item in getattr(result, name) if str(item).strip()]:
            problems.append(f"{name} is empty; give at least one")
    for name in ("pacing", "tone"):
        if not getattr(result, name).strip():
            problems.append(f"{name} is empty; give one sentence")
    if len(result.follow_ups) < 3:
        problems.append(f"follow_ups has {len(result.follow_ups)} questions; give three to five")
    return problems


def apply_refinement(story: Story, result: Refinement, made: Made, unsourced: list[str | tuple[str, str]] = ()) -> Merge:
    """Merge a refinement into the story (in place): what coach wrote before is replaced, the user's own is kept.

    The refined version and coach's coaching notes, hooks, key words, pacing and tone (those that still read as
    coach wrote them) are replaced, the old ones kept under `## History`; whatever the user wrote or edited stays
    where it is. Coach keeps at most 3 hooks, 6 key words and 5 follow-ups. Sentences no quote of the user's
    material supports (alone, or with the question of a follow-up written now) become notes to confirm or cut.
    """
    merge = Replacement(story, made.model, made.at)  # before refined_by changes: it names who wrote the old notes
    kept = bool(story.refined.strip()) and story.refined.strip() != result.refined.strip()
    if kept:
        story.history.append(HistoryEntry.kept(story.refined, story.refined_source, made.at))
    story.refined = result.refined.strip()
    story.refined_by, story.refined_sha = made.model, text_sha(result.refined)
    written = merge.merge_follow_ups([(f.question, f.text) for f in result.follow_ups], COACH_CAPS["follow_ups"])
    confirms = [confirm_note(u) if isinstance(u, str) else confirm_note(*u) for u in unsourced
                if isinstance(u, str) or same_text(u[1]) in written]
    merge.replace_list("coaching_notes", [*confirms, *result.coaching_notes], stays=still_open(story, written))
    merge.replace_list("hooks", result.hooks, COACH_CAPS["hooks"])
    merge.replace_list("key_words", result.key_words, COACH_CAPS["key_words"])
    merge.replace_text("pacing", result.pacing)
    merge.replace_text("tone", result.tone)
    merge.done()
    return Merge(story.model_copy(deep=True), kept, merge.added, merge.replaced)
