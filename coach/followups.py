"""`coach followups`, the use case: a story's prepared answers to follow-up questions, listed by id, generated,
regenerated (each a task of `coach.jobs.followups` run by the job runner), pinned and removed.

Who wrote an answer is kept per id in the story's front matter: the model and a fingerprint of what it wrote. An
answer that no longer matches its fingerprint was edited by hand and is the user's. `--all` regenerates only answers
coach wrote and nobody pinned or edited; anything replaced or removed goes to the story's `## History`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

from coach.bank.folder import Bank, load_story
from coach.bank.models import HistoryEntry, Story
from coach.bank.settings import BankSettings
from coach.errors import CoachError
from coach.method.grounding import placeholders
from coach.method.text import timing

if TYPE_CHECKING:
    from coach.llm.prompts import Prompts

ANSWER_SECONDS = 30  # a suggested answer takes about this long to say (the jobs' limit: coach.jobs.followups)
MAX_NEW = 10  # new questions one --generate asks for at most
ACTIONS = ("list", "generate", "regenerate", "pin", "unpin", "remove")


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
    answer: object | None = None  # the engine's Answer, when the model was asked
    max_seconds: int = ANSWER_SECONDS

    @property
    def max_words(self) -> int:
        """Return the longest answer, in words, that fits the answer time at the bank's rate."""
        return round(ANSWER_SECONDS * self.settings.words_per_minute / 60)

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



def listed(story: Story, settings: BankSettings, aims: dict[str, str] | None = None) -> list[Listed]:
    """Return a story's follow-ups as the user sees them."""
    wpm = settings.words_per_minute
    return [
        Listed(fid, f.question, f.answer, f.by, f.pinned, not f.written_by_coach, said.words, said.seconds,
               placeholders(f.answer), (aims or {}).get(fid, ""))
        for f, fid in zip(story.follow_ups, story.follow_up_ids(), strict=True)
        for said in [timing(f.answer, wpm)]
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
        story.history += [HistoryEntry.kept(story.follow_ups[p].answer, story.follow_ups[p].source, now(),
                                            f"removed follow-up: {story.follow_ups[p].question}") for p in positions]
        story.follow_ups = [f for i, f in enumerate(story.follow_ups) if i not in positions]

    return _on_ids(bank, ref, ids, "remove", apply)


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


@dataclass
class Request:
    """What a `coach followups` command asks for, checked: one action, and only the options it takes."""

    action: str
    ids: list[str]
    count: int | None = None
    every: bool = False
    note: str = ""

    @property
    def asks_model(self) -> bool:
        """Return True for the actions that ask the model."""
        return self.action in ("generate", "regenerate")


def request(ids: list[str], generate: int | None, regenerate: bool, every: bool, note: str, pin: bool, unpin: bool,
            remove: bool) -> Request:
    """Return the action a command's options ask for, or say in one sentence why they do not go together."""
    regenerate = regenerate or every
    actions = [name for name, on in (("--generate", generate is not None), ("--regenerate", regenerate), ("--pin", pin),
                                     ("--unpin", unpin), ("--remove", remove)) if on]
    if len(actions) > 1:
        raise CoachError(f"{' and '.join(actions)} do different things; use one at a time")
    if generate is not None and not 1 <= generate <= MAX_NEW:
        raise CoachError(f"--generate takes 1 to {MAX_NEW} questions at a time, not {generate}")
    if note and not (generate is not None or regenerate):
        raise CoachError("--note steers --generate or --regenerate; add one of them")
    if ids and generate is not None:
        raise CoachError("--generate adds new questions; leave out the ids (or use --regenerate to rewrite them)")
    if ids and every:
        raise CoachError("--all regenerates every answer coach wrote; name ids or pass --all, not both")
    action = actions[0].removeprefix("--") if actions else "list"
    return Request(action, ids, generate, every, note)


def listing(bank: Bank, ref: str, ids: list[str]) -> FollowUpsOutcome:
    """Return a story's follow-ups, only those named when some are."""
    outcome = show(bank, ref)
    all_ids = outcome.story.follow_up_ids()
    outcome.only = [all_ids[p] for p in chosen(outcome.story, ids, outcome.slug)]
    return outcome


def offline(bank: Bank, ref: str, asked: Request) -> FollowUpsOutcome | None:
    """Carry out what needs no model (list, pin, unpin, remove, or a --regenerate --all with nothing to rewrite);
    return None when the model must be asked."""
    if asked.action == "list":
        return listing(bank, ref, asked.ids)
    if asked.action in ("pin", "unpin"):
        return set_pins(bank, ref, asked.ids, pinned=asked.action == "pin")
    if asked.action == "remove":
        return remove(bank, ref, asked.ids)
    if asked.action == "regenerate":
        outcome = show(bank, ref)
        positions, skipped = regenerable(outcome.story, asked.ids, asked.every, outcome.slug)
        if not positions:
            outcome.action, outcome.skipped = "regenerate", skipped
            return outcome
    return None


def task(bank: Bank, ref: str, asked: Request):
    """Return the model's task for a generate or regenerate request, with the outcome it will fill."""
    from coach.jobs import followups as jobs

    outcome = show(bank, ref)
    story, settings = outcome.story, outcome.settings
    if asked.action == "generate":
        return jobs.GenerateTask(outcome.path, story, settings, asked.note, count=asked.count), outcome
    positions, outcome.skipped = regenerable(story, asked.ids, asked.every, outcome.slug)
    return jobs.RegenerateTask(outcome.path, story, settings, asked.note, positions=positions), outcome


def prompt(bank: Bank, ref: str, asked: Request, own: Prompts) -> str | list[dict[str, str]]:
    """Return the messages a generate or regenerate request would send with the bank's prompts `own`, or why there
    is nothing to send."""
    job, outcome = task(bank, ref, asked)
    if asked.action == "regenerate" and not job.positions:
        if not outcome.skipped:
            return (f"Nothing to regenerate, so no prompt: {outcome.slug} has no follow-ups yet; "
                    f"`coach followups {outcome.slug} --generate 3` asks for three")
        return "Nothing to regenerate, so no prompt: " + ", ".join(f"{fid} ({why})" for fid, why in outcome.skipped.items())
    return job.messages(own)


def ask(bank: Bank, ref: str, asked: Request, engine, fresh: bool = False,
        now: Callable[[], datetime] = datetime.now) -> FollowUpsOutcome:
    """Generate new follow-ups or rewrite the named answers; nothing is written if the model fails."""
    from coach.jobs import runner

    job, outcome = task(bank, ref, asked)
    outcome.action = asked.action
    runner.require_material(job, "ground follow-ups in")
    saved = runner.run(bank, engine, job, fresh=fresh, now=now)
    written = saved.changed
    outcome.answer, outcome.story, outcome.changed = saved.answer, saved.story, written.ids
    outcome.aims, outcome.unsupported = written.aims, written.unsupported
    outcome.skipped |= written.skipped
    return outcome
