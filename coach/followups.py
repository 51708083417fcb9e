"""`coach followups`: a story's prepared answers to follow-up questions, listed by id, generated, regenerated,
pinned and removed.

Who wrote an answer is kept per id in the story's front matter: the model and a fingerprint of what it wrote. An
answer that no longer matches its fingerprint was edited by hand and is the user's. `--all` regenerates only answers
coach wrote and nobody pinned or edited; anything replaced or removed goes to the story's `## History`.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

from pydantic import BaseModel, Field

from coach.bank.folder import Bank, load_story
from coach.bank.models import BankSettings, FollowUp, HistoryEntry, Story, text_sha
from coach.errors import CoachError, Interrupted
from coach.llm.answers import Doubt
from coach.llm.jobs import JobsInterrupted, run_one
from coach.method.check import ERROR, WARNING, check_story
from coach.method.context import story_context
from coach.method.grounding import (
    Material,
    SourcedSentence,
    content_words,
    invented_facts,
    placeholders,
    spoken,
    traced,
)
from coach.method.quantities import ORDINALS, SCALES, TENS, UNITS
from coach.method.text import word_count

ANSWER_SECONDS = 30  # a suggested answer takes about this long to say
OVER = 1.15  # "about": an answer may run this much over before it is re-asked
MAX_NEW = 10
NUMBER_WORDS = frozenset([*UNITS, *TENS, *ORDINALS, *SCALES])
GENERIC = frozenset("asked ask tell describe share talk explain example time situation specific specifically".split())

if TYPE_CHECKING:
    from coach.llm.engine import Answer, Engine


class NewFollowUp(BaseModel):
    """A follow-up question an interviewer would ask, with a suggested answer in the candidate's words."""

    question: str = Field(description="The question, as the interviewer would ask it.")
    aims_at: str = Field(description="The weak spot of the story this question probes, in a few words.")
    answer: list[SourcedSentence] = Field(description="The suggested answer, sentence by sentence.")


class NewFollowUps(BaseModel):
    """What prompts/followups.jinja must return."""

    follow_ups: list[NewFollowUp]


class RewrittenAnswer(BaseModel):
    """A new answer to one follow-up question, named by its id."""

    id: str
    answer: list[SourcedSentence] = Field(description="The new answer, sentence by sentence.")


class RewrittenAnswers(BaseModel):
    """What prompts/followup-answers.jinja must return."""

    answers: list[RewrittenAnswer]


@dataclass
class Listed:
    """A follow-up as the user sees it: id, question, answer, who wrote it, and how long it takes to say."""

    id: str
    question: str
    answer: str
    by: str
    pinned: bool
    yours: bool
    words: int
    seconds: float
    placeholders: list[str]
    aims_at: str = ""

    def as_dict(self) -> dict:
        """Return the follow-up as plain data for JSON output."""
        return dict(self.__dict__)


@dataclass
class FollowUpsOutcome:
    """What a `coach followups` command did to one story."""

    slug: str
    path: Path
    story: Story
    settings: BankSettings
    action: str = "list"
    changed: list[str] = field(default_factory=list)
    skipped: dict[str, str] = field(default_factory=dict)
    unsupported: dict[str, list[str]] = field(default_factory=dict)  # id -> sentences no quote of the user's supports
    aims: dict[str, str] = field(default_factory=dict)
    answer: Answer | None = None
    max_seconds: int = ANSWER_SECONDS

    @property
    def max_words(self) -> int:
        """Return the longest answer, in words, that fits the answer time at the bank's rate."""
        return answer_words(self.settings)

    only: list[str] = field(default_factory=list)  # ids to show (all when empty)

    def listed(self) -> list[Listed]:
        """Return the story's follow-ups with their ids and measures (only those named, when some are)."""
        items = listed(self.story, self.settings, self.aims)
        return [item for item in items if item.id in self.only] if self.only else items

    def as_dict(self) -> dict:
        """Return the outcome as plain data for JSON output."""
        return {
            "story": self.slug, "title": self.story.title, "action": self.action,
            "max_seconds": ANSWER_SECONDS, "max_words": self.max_words, "words_per_minute": self.settings.words_per_minute,
            "changed": self.changed, "skipped": self.skipped, "unsupported": self.unsupported,
            "follow_ups": [item.as_dict() for item in self.listed()],
        }


def answer_words(settings: BankSettings) -> int:
    """Return how many words a suggested answer may have: ANSWER_SECONDS at the bank's speaking rate."""
    return round(ANSWER_SECONDS * settings.words_per_minute / 60)


def listed(story: Story, settings: BankSettings, aims: dict[str, str] | None = None) -> list[Listed]:
    """Return a story's follow-ups as the user sees them."""
    wpm = settings.words_per_minute
    return [
        Listed(fid, f.question, f.answer, f.by, f.pinned, not f.written_by_coach, word_count(f.answer),
               round(word_count(f.answer) * 60 / wpm, 1), placeholders(f.answer), (aims or {}).get(fid, ""))
        for f, fid in zip(story.follow_ups, story.follow_up_ids(), strict=True)
    ]


def show(bank: Bank, ref: str) -> FollowUpsOutcome:
    """Return a story's follow-ups, changing nothing."""
    path = bank.resolve(ref)
    return FollowUpsOutcome(path.stem, path, load_story(path), bank.settings())


def chosen(story: Story, ids: list[str], slug: str) -> list[int]:
    """Return the positions of the follow-ups named by ids, or say which id is unknown and what the ids are."""
    known = story.follow_up_ids()
    positions = []
    for fid in dict.fromkeys(i.strip().lower() for i in ids):
        if fid not in known:
            listing = ", ".join(known) or "none yet"
            raise CoachError(f"no follow-up '{fid}' in {slug} (ids: {listing}); `coach followups {slug}` lists them")
        positions.append(known.index(fid))
    return positions


def _on_ids(bank: Bank, ref: str, ids: list[str], action: str, apply: Callable[[Story, list[int]], None]) -> FollowUpsOutcome:
    """Apply a change to the named follow-ups of the story as it is on disk now, and save it."""
    outcome = show(bank, ref)
    if not ids:
        raise CoachError(f"name the follow-ups to {action}, e.g. `coach followups {outcome.slug} ID --{action}`")

    def change(story: Story) -> list[str]:
        positions, all_ids = chosen(story, ids, outcome.slug), story.follow_up_ids()
        apply(story, positions)
        return [all_ids[p] for p in positions]

    outcome.changed = bank.update(outcome.path, change)
    outcome.action, outcome.story = action, load_story(outcome.path)
    return outcome


def set_pins(bank: Bank, ref: str, ids: list[str], pinned: bool) -> FollowUpsOutcome:
    """Pin (or unpin) the named follow-ups: a pinned answer is left alone by `--regenerate --all`."""
    def apply(story: Story, positions: list[int]) -> None:
        for position in positions:
            story.follow_ups[position].pinned = pinned

    return _on_ids(bank, ref, ids, "pin" if pinned else "unpin", apply)


def remove(bank: Bank, ref: str, ids: list[str], now: Callable[[], datetime] = datetime.now) -> FollowUpsOutcome:
    """Remove the named follow-ups; each question and its answer are kept in the story's history."""
    def apply(story: Story, positions: list[int]) -> None:
        story.history += [_kept(story.follow_ups[p], now(), "removed follow-up") for p in positions]
        story.follow_ups = [f for i, f in enumerate(story.follow_ups) if i not in positions]

    return _on_ids(bank, ref, ids, "remove", apply)


def _kept(follow_up: FollowUp, now: datetime, what: str) -> HistoryEntry:
    source = f"llm:{follow_up.by}" if follow_up.written_by_coach else "hand"
    return HistoryEntry(saved=now.isoformat(sep=" ", timespec="minutes"), source=source, text=follow_up.answer,
                        subject=f"{what}: {follow_up.question}")


def own_answers(story: Story) -> list[str]:
    """Return the follow-up answers the user wrote or edited: their own words, usable as facts."""
    return [f.answer for f in story.follow_ups if f.answer.strip() and not f.written_by_coach]


def material_of(story: Story, settings: BankSettings) -> Material:
    """Return what a follow-up answer may rest on: the story's material and the user's own follow-up answers."""
    return Material.of(story, settings, own_answers(story))


def weak_spots(story: Story, settings: BankSettings, limit: int = 8) -> list[str]:
    """Return what a sharp interviewer would probe: what `coach check` finds, unanswered questions, the values."""
    report = check_story(story, settings)
    spots = [f.message for f in report.findings if f.severity in (ERROR, WARNING) and f.part in ("refined", "draft")]
    spots += [f"unanswered extraction question: {q.text}" for q in story.unanswered()[:4]]
    if story.values:
        spots.append(f"does the story show {', '.join(story.values)} in what the candidate did?")
    return list(dict.fromkeys(spots))[:limit]


def _variables(story: Story, settings: BankSettings, note: str) -> dict:
    return {**story_context(story, settings), "refined": story.refined, "note": note.strip(), "max_words": answer_words(settings),
            "seconds": ANSWER_SECONDS}


def generate_variables(story: Story, settings: BankSettings, count: int, note: str = "") -> dict:
    """Return the variables of prompts/followups.jinja."""
    return {**_variables(story, settings, note), "count": count,
            "existing": [f.question for f in story.follow_ups], "weak_spots": weak_spots(story, settings)}


def regenerate_variables(story: Story, settings: BankSettings, positions: list[int], note: str = "") -> dict:
    """Return the variables of prompts/followup-answers.jinja."""
    ids = story.follow_up_ids()
    targets = [{"id": ids[p], "question": story.follow_ups[p].question, "answer": story.follow_ups[p].answer}
               for p in positions]
    others = [f.answer for i, f in enumerate(story.follow_ups) if i not in positions and f.answer.strip() and not f.written_by_coach]
    return {**_variables(story, settings, note), "targets": targets, "own_answers": others}


def _content_stems(text: str) -> set[str]:
    """Return the stems of a question's content words, without numbers ("6 months" asks what "six months" asks)."""
    return {word[:5] for word in content_words(text)
            if word not in GENERIC and not word.isdigit() and word not in NUMBER_WORDS}


def _words(text: str) -> str:
    return " ".join(re.sub(r"[\W_]+", " ", text.lower()).split())


def same_question(a: str, b: str) -> bool:
    """Return True when two questions ask the same thing: half their content words in common, or two or more words
    making up most of the shorter one ("If asked about recognition" is not "Did you get recognition for it?")."""
    left, right = _content_stems(a), _content_stems(b)
    if not left or not right:
        return " ".join(a.lower().split()) == " ".join(b.lower().split())
    shared = len(left & right)
    return shared / len(left | right) >= 0.5 or (shared >= 2 and shared / min(len(left), len(right)) >= 0.75)


def answer_problems(where: str, sentences: list[SourcedSentence], material: Material, max_words: int) -> list[str]:
    """Return why a suggested answer breaks the method: too long, empty, or a number or name the user never gave.

    A sentence that rests on no verified quote is a doubt: re-asked, and kept with a note if it survives.
    """
    text = spoken(sentences)
    if not text.strip():
        return [f"{where}: the answer is empty; write one to three sentences"]
    problems: list[str] = []
    count = word_count(text)
    if count > max_words * OVER:
        problems.append(f"{where}: the answer has {count} words; keep it to {max_words} words at most")
    problems += invented_facts(where, text, material)
    problems += [Doubt(
        f'{where}: the sentence "{s.text}" rests on no quote found in the candidate\'s draft or answers; give the '
        "exact words it comes from in its sources, or cut the claim, or make the missing fact a [placeholder]"
    ) for s in material.unsupported_sentences(traced(sentences))]
    return problems


def generation_problems(result: NewFollowUps, story: Story, count: int, material: Material, max_words: int) -> list[str]:
    """Return why generated follow-ups break the method (doubts are re-asked but not fatal)."""
    problems: list[str] = []
    given = [f for f in result.follow_ups if f.question.strip()]
    if len(given) < count:
        problems.append(f"follow_ups has {len(given)} questions with text; give exactly {count}")
    seen = [f.question for f in story.follow_ups]
    for item in given[:count]:
        where = f"follow-up '{item.question.strip()}'"
        twin = next((q for q in seen if same_question(item.question, q)), None)
        if twin is not None:  # a doubt: the words may meet while the questions differ; kept if asked again
            problems.append(Doubt(f"{where} repeats the question '{twin}'; ask about something the story leaves open"))
        seen.append(item.question)
        problems += answer_problems(where, item.answer, material, max_words)
    return problems


def rewrite_problems(result: RewrittenAnswers, ids: list[str], material: Material, max_words: int) -> list[str]:
    """Return why rewritten answers break the method: an id left out, or an answer that breaks the rules."""
    answered = {a.id.strip().lower(): a for a in result.answers}
    problems = [f"no answer for id {fid}; give one entry per id listed" for fid in ids if fid not in answered]
    for fid in ids:
        if fid in answered:
            problems += answer_problems(f"id {fid}", answered[fid].answer, material, max_words)
    return problems


def _unsupported(sentences: list[SourcedSentence], material: Material) -> list[str]:
    return [s.text for s in material.unsupported_sentences(traced(sentences))]


def _confirm_notes(story: Story, unsupported: dict[str, list[str]], questions: dict[str, str]) -> None:
    for fid, sentences in unsupported.items():
        for sentence in sentences:
            note = f'Confirm or cut in the answer to "{questions[fid]}": "{sentence}" (not found in your material)'
            if note not in story.coaching_notes:
                story.coaching_notes.append(note)


def _ask(engine: Engine, work: Callable[[], Answer]) -> Answer:
    """Ask on a daemon thread, so that Ctrl-C stops at once and leaves the story as it was."""
    try:
        return run_one(work, engine.stop)
    except JobsInterrupted:
        raise Interrupted("interrupted; the story file was left as it was") from None


def generate(bank: Bank, ref: str, engine: Engine, count: int, note: str = "", fresh: bool = False) -> FollowUpsOutcome:
    """Ask for `count` new follow-up questions with grounded answers, and add them to the story."""
    if not 1 <= count <= MAX_NEW:
        raise CoachError(f"--generate takes 1 to {MAX_NEW} questions at a time, not {count}")
    outcome = show(bank, ref)
    story, settings = outcome.story, outcome.settings
    _need_material(story, outcome.slug)
    material, max_words = material_of(story, settings), answer_words(settings)
    outcome.answer = _ask(engine, lambda: engine.ask(
        "followups", generate_variables(story, settings, count, note), NewFollowUps,
        check=lambda result: generation_problems(result, story, count, material, max_words),
        command="followups", fresh=fresh,
    ))
    new = [f for f in outcome.answer.value.follow_ups if f.question.strip()][:count]

    def change(latest: Story) -> list[str]:
        added = []
        for item in new:
            if any(_words(item.question) == _words(f.question) for f in latest.follow_ups):
                continue  # the same question is there already (the user added it meanwhile)
            text = spoken(item.answer)
            latest.follow_ups.append(FollowUp(question=" ".join(item.question.split()), answer=text,
                                              by=engine.settings.model, sha=text_sha(text)))
            fid = latest.follow_up_ids()[-1]
            added.append(fid)
            outcome.aims[fid] = item.aims_at.strip()
            outcome.unsupported[fid] = _unsupported(item.answer, material)
        outcome.unsupported = {k: v for k, v in outcome.unsupported.items() if v}
        questions = dict(zip(latest.follow_up_ids(), (f.question for f in latest.follow_ups), strict=True))
        _confirm_notes(latest, outcome.unsupported, questions)
        return added

    with engine.stop.saving(outcome.slug):
        outcome.changed = bank.update(outcome.path, change)
    outcome.action, outcome.story = "generate", load_story(outcome.path)
    return outcome


def regenerable(story: Story, ids: list[str], every: bool, slug: str) -> tuple[list[int], dict[str, str]]:
    """Return the follow-ups to regenerate and, for --all, those left alone and why.

    Named ids are regenerated whatever they are; --all takes only answers coach wrote (or none yet), unpinned.
    """
    if ids:
        return chosen(story, ids, slug), {}
    if not every:
        raise CoachError(f"name the follow-ups to regenerate (`coach followups {slug} ID --regenerate`) or pass --all")
    positions, skipped = [], {}
    for position, (f, fid) in enumerate(zip(story.follow_ups, story.follow_up_ids(), strict=True)):
        if f.pinned:
            skipped[fid] = "pinned"
        elif f.answer.strip() and not f.written_by_coach:
            skipped[fid] = "yours: written or edited by hand"
        else:
            positions.append(position)
    return positions, skipped


def regenerate(bank: Bank, ref: str, engine: Engine, ids: list[str], every: bool = False, note: str = "",
               fresh: bool = False, now: Callable[[], datetime] = datetime.now) -> FollowUpsOutcome:
    """Rewrite the answers of the named follow-ups (or of every one coach wrote), keeping each question.

    Each replaced answer is kept in the story's history. Nothing is written if the model fails.
    """
    outcome = show(bank, ref)
    story, settings = outcome.story, outcome.settings
    positions, outcome.skipped = regenerable(story, ids, every, outcome.slug)
    outcome.action = "regenerate"
    if not positions:
        return outcome
    _need_material(story, outcome.slug)
    all_ids = story.follow_up_ids()
    targets = [all_ids[p] for p in positions]
    material, max_words = material_of(story, settings), answer_words(settings)
    outcome.answer = _ask(engine, lambda: engine.ask(
        "followup-answers", regenerate_variables(story, settings, positions, note), RewrittenAnswers,
        check=lambda result: rewrite_problems(result, targets, material, max_words),
        command="followups", fresh=fresh,
    ))
    answers = {a.id.strip().lower(): a for a in outcome.answer.value.answers}
    questions = {all_ids[p]: story.follow_ups[p].question for p in positions}
    before = {all_ids[p]: story.follow_ups[p].answer for p in positions}

    def change(latest: Story) -> list[str]:
        by_id = dict(zip(latest.follow_up_ids(), latest.follow_ups, strict=True))
        done = []
        for fid in targets:
            follow_up = by_id.get(fid)
            if follow_up is None:
                outcome.skipped[fid] = "its question was changed or removed while coach worked"
                continue
            if follow_up.answer != before[fid]:
                outcome.skipped[fid] = "its answer was edited while coach worked"
                continue
            text = spoken(answers[fid].answer)
            if follow_up.answer.strip() and follow_up.answer.strip() != text.strip():
                latest.history.append(_kept(follow_up, now(), "follow-up"))
            follow_up.answer, follow_up.by, follow_up.sha = text, engine.settings.model, text_sha(text)
            unsupported = _unsupported(answers[fid].answer, material)
            if unsupported:
                outcome.unsupported[fid] = unsupported
            done.append(fid)
        _confirm_notes(latest, outcome.unsupported, questions)
        return done

    with engine.stop.saving(outcome.slug):
        outcome.changed = bank.update(outcome.path, change)
    outcome.story = load_story(outcome.path)
    return outcome


def _need_material(story: Story, slug: str) -> None:
    if not story.draft.strip() and not any(q.answer.strip() for q in story.questions()):
        raise CoachError(f"{slug} has no draft and no answers to ground follow-ups in; write your draft under ## Draft first")
