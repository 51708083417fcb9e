"""`coach refine` as a task: the refine prompt's variables, its response model, the method's checks, and the merge
of a refinement into the story (nothing the user wrote is removed or overwritten)."""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property
from typing import ClassVar

from pydantic import BaseModel, Field, field_validator

from coach.bank.models import HistoryEntry, Story, text_sha
from coach.bank.settings import BankSettings
from coach.jobs import grounded
from coach.jobs.grounded import confirm_note
from coach.jobs.replace import Replacement, same_text, still_open
from coach.jobs.task import Made, StoryTask
from coach.method.check import check_refined
from coach.method.context import story_context
from coach.method.grounding import Material, SourcedSentence, own_answers, spoken
from coach.method.text import word_budget, word_count
from coach.method.verdict import Verdict, judge_all

REJECTED_CODES = {"we-heavy"}  # timing is judged by the word budget, facts by the guard's verdicts
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


@dataclass
class Target:
    """The timing a refinement must fit, and how much of the user's material there is to fill it."""

    window: tuple[int, int]
    wpm: int
    material_words: int | None = None  # words of the draft and answers; None when unknown

    @classmethod
    def of(cls, story: Story, settings: BankSettings, window: tuple[int, int] | None = None,
           wpm: int | None = None) -> Target:
        """Return the timing target: command-line overrides, then the story's, then the bank's."""
        material = word_count("\n".join([story.draft, *(q.answer for q in story.questions())]))
        return cls(story.window(settings, window), wpm or settings.words_per_minute, material)

    @property
    def budget(self) -> tuple[int, int]:
        """Return the word budget of the window at this speaking rate."""
        return word_budget(self.window, self.wpm)

    @property
    def short(self) -> bool:
        """Return True when the draft and answers hold fewer words than the window's low end: filling it would pad."""
        return self.material_words is not None and self.material_words < self.budget[0]

    @property
    def words(self) -> tuple[int, int]:
        """Return the word counts a refinement may have: the budget, or down to half its low end for short material
        (the rest of the story is [placeholders] for the user to fill, not padding)."""
        low, high = self.budget
        return (round(low / 2) if self.short else low), high

    @property
    def aim(self) -> int:
        """Return the length to aim for: the middle of the budget, or, when short, about the material's own length and
        a few words for the hook and the connection."""
        low, high = self.words
        if self.short:
            return min(self.budget[0], max(low, self.material_words or 0) + 15)
        return (low + high) // 2


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
        return Material.of(self.story, self.settings, own_answers(self.story))

    def variables(self) -> dict:
        """Return the variables of prompts/refine.jinja; a short draft is told to stay short, not to pad."""
        target = self.target
        low_words, high_words = target.words
        return {
            **story_context(self.story, self.settings),
            "previous": self.story.refined,
            "coaching_notes": self.story.coaching_notes,
            "low": target.window[0],
            "high": target.window[1],
            "wpm": target.wpm,
            "min_words": low_words,
            "max_words": high_words,
            "aim_words": target.aim,
            "short": target.short,
            "budget_words": target.budget[0],
            "material_words": target.material_words or 0,
        }

    def problems(self, value: Refinement) -> list[str]:
        """Return why a refinement breaks the method (empty when it is acceptable); doubts are re-asked but not fatal."""
        target, material = self.target, self.material
        low_words, high_words = target.words
        problems: list[str] = []
        count = word_count(value.refined)
        if not low_words <= count <= high_words:
            problems.append(
                f"refined has {count} words; it must have {low_words}-{high_words} words"
                + ("; the draft is short: keep it short and mark missing facts as [placeholders]" if target.short else
                   f" to take {target.window[0]}-{target.window[1]} seconds at {target.wpm} words per minute")
            )
        checked = check_refined(value.refined, self.story, self.settings, target.window, material=material)
        problems += [f"refined: {f.code}: {f.message}" for f in checked if f.code in REJECTED_CODES]
        problems += grounded.problems(self.judged(value))
        problems += _missing_notes(value)
        return problems

    def judged(self, value: Refinement) -> grounded.Judged:
        """Return the guard's verdict on every sentence the refinement puts in the candidate's mouth: the refined
        version's sentences, the hooks, the key words (their facts only) and the follow-up answers."""
        material = self.material
        judged = grounded.at("refined", judge_all(material, value.sentences))
        judged += grounded.at("hook", judge_all(material, value.hooks))
        judged += grounded.at("key word", judge_all(material, value.key_words, speech=False))
        for follow_up in value.follow_ups:
            judged += grounded.at(f"follow-up '{follow_up.question}'", judge_all(material, follow_up.answer))
        return judged

    def verdicts(self, value: Refinement) -> list[Verdict]:
        """Return the guard's verdict on each sentence of the refined version."""
        return [verdict for where, verdict in self.judged(value) if where == "refined"]

    def merge(self, latest: Story, value: Refinement, made: Made) -> Merge:
        """Merge a refinement into the story as it is now; what the guard still doubts becomes notes to confirm."""
        judged = self.judged(value)
        unsourced: list[str | tuple[str, str]] = grounded.doubted(judged, "refined")
        unsourced += grounded.doubted(judged, "hook")
        for follow_up in value.follow_ups:
            unsourced += [(s, follow_up.question) for s in grounded.doubted(judged, f"follow-up '{follow_up.question}'")]
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
