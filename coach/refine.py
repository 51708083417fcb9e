"""`coach refine`: the refine prompt's variables, its response model, the method's checks, and the merge."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from datetime import datetime
from pathlib import Path

from pydantic import BaseModel, Field

from coach.bank.catalog import unknown_type
from coach.bank.folder import Bank, read_text
from coach.bank.models import BankSettings, FollowUp, HistoryEntry, Story, text_sha
from coach.bank.storyfile import parse_story
from coach.errors import CatalogError, CoachError, Interrupted
from coach.llm.engine import Answer, Doubt, EndpointDown, Engine
from coach.llm.jobs import JobsInterrupted, run_jobs
from coach.llm.prompts import render_prompt
from coach.method.check import Finding, check_refined
from coach.method.context import story_context
from coach.method.grounding import Material, SourcedSentence, Traced, invented_facts, spoken, traced
from coach.method.text import word_budget, word_count

REJECTED_CODES = {"unsupported-number", "unsupported-name", "we-heavy"}  # timing is judged by the word budget


class SuggestedFollowUp(BaseModel):
    """A likely follow-up question and a suggested answer grounded in the story."""

    question: str
    answer: str


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

    @property
    def words(self) -> tuple[int, int]:
        """Return the word budget of the window at this speaking rate."""
        return word_budget(self.window, self.wpm)


def target_for(story: Story, settings: BankSettings, window: tuple[int, int] | None = None, wpm: int | None = None) -> Target:
    """Return the timing target: command-line overrides, then the story's, then the bank's."""
    return Target(window or story.target_seconds or settings.target_seconds, wpm or settings.words_per_minute)


def prompt_variables(story: Story, settings: BankSettings, target: Target) -> dict:
    """Return the variables of prompts/refine.jinja for a story."""
    low_words, high_words = target.words
    return {
        **story_context(story, settings),
        "previous": story.refined,
        "coaching_notes": story.coaching_notes,
        "low": target.window[0],
        "high": target.window[1],
        "wpm": target.wpm,
        "min_words": low_words,
        "max_words": high_words,
        "aim_words": (low_words + high_words) // 2,
    }


def method_problems(result: Refinement, story: Story, settings: BankSettings, target: Target,
                    material: Material | None = None) -> list[str]:
    """Return why a refinement breaks the method (empty when it is acceptable); doubts are re-asked but not fatal."""
    material = material or Material.of(story, settings)
    low_words, high_words = target.words
    problems: list[str] = []
    count = word_count(result.refined)
    if not low_words <= count <= high_words:
        problems.append(
            f"refined has {count} words; it must have {low_words}-{high_words} words to take "
            f"{target.window[0]}-{target.window[1]} seconds at {target.wpm} words per minute"
        )
    checked = check_refined(result.refined, story, settings, target.window, material=material)
    problems += [f"refined: {f.code}: {f.message}" for f in checked if f.code in REJECTED_CODES]
    items = [("hook", hook) for hook in result.hooks]
    items += [(f"follow-up '{f.question}'", f.answer) for f in result.follow_ups]
    for where, text in items:  # each list item is judged on its own
        problems += invented_facts(where, text, material)
    problems += _missing_notes(result)
    problems += [Doubt(
        f'the sentence "{sentence.text}" rests on no quote found in the candidate\'s draft or answers; give the exact '
        "words it comes from in its sources, or cut the claim"
    ) for sentence in unsupported_sentences(result, material)]
    return problems


def unsupported_sentences(result: Refinement, material: Material) -> list[Traced]:
    """Return the sentences of a refinement that make a claim no verified quote supports."""
    return material.unsupported_sentences(result.traced())


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


@dataclass
class Merge:
    """What a refinement changed in a story."""

    story: Story
    kept_previous: bool
    added: dict[str, int] = field(default_factory=dict)


def apply_refinement(story: Story, result: Refinement, model: str, now: datetime, unsupported: list[str] = ()) -> Merge:
    """Merge a refinement into a copy of the story; nothing the user wrote is removed or overwritten.

    Sentences that no quote of the user's material supports become coaching notes to confirm or cut.
    """
    new = story.model_copy(deep=True)
    kept = bool(story.refined.strip()) and story.refined.strip() != result.refined.strip()
    if kept:
        source = f"llm:{story.refined_by}" if story.refined_by and story.refined_sha == text_sha(story.refined) else "hand"
        new.history.append(HistoryEntry(saved=now.isoformat(sep=" ", timespec="minutes"), source=source, text=story.refined))
    new.refined = result.refined.strip()
    new.refined_by, new.refined_sha = model, text_sha(result.refined)
    notes = new.practice_notes
    confirm = [f'Confirm or cut: "{sentence}" (not found in your material)' for sentence in unsupported]
    added = {
        "coaching notes": _add_new(new.coaching_notes, [*confirm, *result.coaching_notes]),
        "hooks": _add_new(notes.hooks, result.hooks),
        "key words": _add_new(notes.key_words, result.key_words),
    }
    notes.pacing = notes.pacing or result.pacing.strip()
    notes.tone = notes.tone or result.tone.strip()
    asked = {f.question.strip().lower() for f in new.follow_ups}
    fresh = [FollowUp(question=f.question.strip(), answer=f.answer.strip(), by=model, sha=text_sha(f.answer))
             for f in result.follow_ups if f.question.strip().lower() not in asked]
    new.follow_ups += fresh
    added["follow-ups"] = len(fresh)
    return Merge(new, kept, added)


def _add_new(existing: list[str], candidates: list[str]) -> int:
    seen = {item.strip().lower() for item in existing}
    count = 0
    for item in (c.strip() for c in candidates):
        if item and item.lower() not in seen:
            existing.append(item)
            seen.add(item.lower())
            count += 1
    return count


def remaining_findings(story: Story, settings: BankSettings, target: Target) -> list[Finding]:
    """Return what `coach check` still says about the refined version."""
    return check_refined(story.refined, story, settings, target.window, target.wpm)


@dataclass
class RefineOutcome:
    """What refining one story did: the merged story and the answer, or the error that stopped it."""

    slug: str
    path: Path
    target: Target
    merge: Merge | None = None
    answer: Answer | None = None
    error: CoachError | None = None
    findings: list[Finding] = field(default_factory=list)
    unsupported: list[str] = field(default_factory=list)
    material: Material | None = None
    skipped: bool = False  # not started: the endpoint had already failed for another story

    def as_dict(self) -> dict:
        """Return what refining the story did as plain data for JSON output (`refined` false with the error on failure)."""
        data = {"story": self.slug, "file": str(self.path), "refined": self.merge is not None, "skipped": self.skipped,
                "error": None if self.error is None else str(self.error),
                "window": list(self.target.window) if self.target else None, "words_per_minute": self.target.wpm if self.target else None,
                "words": None, "seconds": None, "within_window": None, "changes": [], "added": {}, "kept_previous": False,
                "unsupported": self.unsupported, "sentences": [], "findings": [asdict(f) for f in self.findings], "call": None}
        if self.merge is not None:
            words = word_count(self.merge.story.refined)
            seconds = round(words * 60 / self.target.wpm, 1)
            low, high = self.target.window
            data |= {"words": words, "seconds": seconds, "within_window": low <= seconds <= high,
                     "changes": self.answer.value.changes, "kept_previous": self.merge.kept_previous,
                     "added": {name.replace(" ", "_").replace("-", "_"): n for name, n in self.merge.added.items()},
                     "sentences": self._sentences()}
        if self.answer is not None:
            data["call"] = {"attempts": self.answer.attempts, "tokens_in": self.answer.tokens_in,
                            "tokens_out": self.answer.tokens_out, "cached": self.answer.cached}
        return data

    def _sentences(self) -> list[dict]:
        found = self.material.has_quote if self.material else (lambda quote: False)
        return [{"text": t.text, "sources": [{"quote": q, "found": found(q)} for q in t.sources],
                 "supported": t.text not in self.unsupported} for t in self.answer.value.traced()]


def refine_story(bank: Bank, path: Path, engine: Engine, *, window=None, wpm=None, fresh=False,
                 now: Callable[[], datetime] = datetime.now) -> RefineOutcome:
    """Refine one story file; on any failure the file is left byte-for-byte unchanged."""
    settings = bank.settings()
    original = read_text(path)
    story = parse_story(original, path)
    target = target_for(story, settings, window, wpm)
    outcome = RefineOutcome(path.stem, path, target)
    if problem := unknown_type(story, path, bank.root):  # the type names the story to the model
        outcome.error = CatalogError(problem)
        return outcome
    if not story.draft.strip() and not any(q.answer.strip() for q in story.questions()):
        outcome.error = CoachError(f"{path.stem} has no draft and no answers to refine; write your draft under ## Draft first")
        return outcome
    material = outcome.material = Material.of(story, settings)
    try:
        outcome.answer = engine.ask(
            "refine", prompt_variables(story, settings, target), Refinement,
            check=lambda result: method_problems(result, story, settings, target, material), command="refine", fresh=fresh,
        )
    except CoachError as error:
        outcome.error = error
        return outcome
    outcome.unsupported = [s.text for s in unsupported_sentences(outcome.answer.value, material)]

    def merge_into(latest: Story) -> None:  # the story as it is now: the user may have edited it meanwhile
        outcome.merge = apply_refinement(latest, outcome.answer.value, engine.settings.model, now(), outcome.unsupported)
        for name in Story.model_fields:
            setattr(latest, name, getattr(outcome.merge.story, name))

    with engine.stop.saving(path.stem):  # never after a Ctrl-C
        bank.update(path, merge_into)
    outcome.findings = remaining_findings(outcome.merge.story, settings, target)
    return outcome


def chosen_stories(bank: Bank, refs: list[str], every: bool) -> list[tuple[Path, Story]]:
    """Return the stories a refine command names, refusing to guess when it names none."""
    if not refs and not every:
        raise CoachError("name a story to refine (e.g. `coach refine risk`) or pass --all")
    return bank.select([] if every else refs)


def refine_prompts(bank: Bank, refs: list[str], every: bool, window=None, wpm=None) -> list[list[dict[str, str]]]:
    """Render the refine prompt of each chosen story, making no call."""
    settings = bank.settings()
    return [
        render_prompt("refine", **prompt_variables(story, settings, target_for(story, settings, window, wpm)))
        for _, story in chosen_stories(bank, refs, every)
    ]


def refine_bank(bank: Bank, refs: list[str], engine: Engine, *, every: bool = False, progress=None,
                **options) -> list[RefineOutcome]:
    """Refine the named stories (or every story) with a bounded number of requests in flight.

    A failure of the endpoint itself (unreachable, key, model) leaves the stories not yet started alone; Ctrl-C
    keeps the stories already saved and leaves the rest untouched. `progress`, if given, is told which stories are
    planned, started and finished (its `planned`, `started` and `finished` methods).
    """
    paths = [path for path, _ in chosen_stories(bank, refs, every)]
    workers = max(1, min(engine.settings.workers, len(paths)))
    _ = engine.client  # build the one client before the workers share it
    if progress is not None:
        progress.planned([path.stem for path in paths])

    def run(path: Path) -> RefineOutcome:
        if progress is not None:
            progress.started(path.stem)
        try:
            return refine_story(bank, path, engine.labelled(path.stem) if len(paths) > 1 else engine, **options)
        finally:
            if progress is not None:
                progress.finished(path.stem)

    def down(outcome: RefineOutcome) -> bool:
        return isinstance(outcome.error, EndpointDown)

    # an endpoint whose request shape is not known yet is probed by one story, so the others send what it learned
    probe = 0 if engine.shapes.known else 1
    try:
        engine.in_flight = 1
        results = run_jobs(paths[:probe], run, 1, engine.stop, down)
        if not any(result is not None and down(result) for result in results):
            engine.in_flight = workers
            results += run_jobs(paths[probe:], run, workers, engine.stop, down)
    except JobsInterrupted:
        raise Interrupted(_kept_after_interrupt(engine.stop.saved, len(paths))) from None
    results += [None] * (len(paths) - len(results))
    return [result or RefineOutcome(path.stem, path, None, skipped=True) for result, path in zip(results, paths, strict=True)]


def _kept_after_interrupt(saved: list[str], total: int) -> str:
    if not saved:
        return "interrupted; no story file was changed"
    others = total - len(saved)
    return f"interrupted; {', '.join(saved)} {'was' if len(saved) == 1 else 'were'} saved, the other {others} left as they were"
