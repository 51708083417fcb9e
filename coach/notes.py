"""`coach notes`, the use case: a story's coaching notes by number with who wrote each, and marking notes done or
removing them. Either way a note leaves the list and is kept under the story's `## History`, never lost.

A note is coach's while it reads as coach wrote it: its fingerprint is in the front matter's `coach_wrote`, or it
is an unedited note to confirm or cut a sentence. Any other note (written or edited by hand) is the user's.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from datetime import datetime
from pathlib import Path

from coach.bank.folder import Bank, load_story
from coach.bank.models import HistoryEntry, Story
from coach.errors import CoachError

ACTIONS = {"done": "done coaching note", "remove": "removed coaching note"}  # action -> history subject


@dataclass
class Note:
    """A coaching note as listed: its number (from 1, in file order), its text, and who wrote it."""

    number: int
    text: str
    yours: bool
    by: str = ""  # the model that wrote a note of coach's, when known (the refine that fingerprinted it)

    @property
    def source(self) -> str:
        """Return who wrote the note as a history entry says it: `hand`, `llm:MODEL`, or `coach`."""
        if self.yours:
            return "hand"
        return f"llm:{self.by}" if self.by else "coach"

    def as_dict(self) -> dict:
        """Return the note as plain data for JSON output."""
        return asdict(self)


@dataclass
class NotesOutcome:
    """What a `coach notes` command did to one story: its notes now and, for done or remove, the notes it took."""

    slug: str
    path: Path
    title: str
    notes: list[Note]
    action: str = "list"
    changed: list[Note] = field(default_factory=list)

    def as_dict(self) -> dict:
        """Return the outcome as plain data for JSON output."""
        return {"story": self.slug, "title": self.title, "action": self.action,
                "changed": [note.as_dict() for note in self.changed], "notes": [note.as_dict() for note in self.notes]}


def notes_of(story: Story) -> list[Note]:
    """Return a story's coaching notes, numbered, each with who wrote it."""
    notes = story.coaching_notes
    recorded = story.coach_wrote.matched("coaching_notes", notes)
    return [Note(number, text, not coach, story.refined_by if fingerprinted else "")
            for number, (text, coach, fingerprinted) in enumerate(zip(notes, story.by_coach("coaching_notes"), recorded,
                                                                      strict=True), 1)]


def show(bank: Bank, ref: str) -> NotesOutcome:
    """Return a story's coaching notes, changing nothing."""
    path = bank.resolve(ref)
    story = load_story(path)
    return NotesOutcome(path.stem, path, story.title, notes_of(story))


def chosen(numbers: list[int], count: int, slug: str) -> list[int]:
    """Return the note numbers asked for, each once, or say which is not a note and how to list them."""
    for number in numbers:
        if not 1 <= number <= count:
            have = f"notes 1 to {count}" if count > 1 else ("note 1" if count else "no coaching notes")
            raise CoachError(f"{slug} has no coaching note {number} (it has {have}); `coach notes {slug}` lists them")
    return list(dict.fromkeys(numbers))


def take_out(bank: Bank, ref: str, numbers: list[int], action: str,
             now: Callable[[], datetime] = datetime.now) -> NotesOutcome:
    """Mark the numbered notes done (`done`) or remove them (`remove`): each leaves the list for `## History`.

    Numbers are those `coach notes STORY` lists, read against the file as it is now; an unknown number changes
    nothing.
    """
    if action not in ACTIONS:
        raise CoachError(f"'{action}' is not something coach does to a note ({', '.join(ACTIONS)})")
    path = bank.resolve(ref)
    if not numbers:
        raise CoachError(f"name the notes by number, e.g. `coach notes {path.stem} --{action} 1`")
    at = now()

    def change(story: Story) -> list[Note]:
        listed = notes_of(story)
        picked = [listed[number - 1] for number in chosen(numbers, len(listed), path.stem)]
        story.history += [HistoryEntry.kept(note.text, note.source, at, ACTIONS[action]) for note in picked]
        gone = {note.number for note in picked}
        story.coaching_notes[:] = [note.text for note in listed if note.number not in gone]
        story.forget_edited_notes()  # the fingerprints of the notes taken out go with them
        return picked

    changed = bank.update(path, change)
    story = load_story(path)
    return NotesOutcome(path.stem, path, story.title, notes_of(story), action, changed)
