"""`coach diff`: the earlier refined versions a story keeps under `## History`, and a word diff against one.

Refined versions are the history entries without a subject (those with one are follow-up answers). They are
appended as coach replaces them, so the last in the file is the latest; `--against N` counts back from it.
"""

from __future__ import annotations

import difflib
from dataclasses import asdict, dataclass, field
from pathlib import Path

from coach.bank.folder import Bank, load_story
from coach.bank.models import Story
from coach.bank.settings import BankSettings
from coach.errors import CoachError
from coach.method.text import timing, word_count
from coach.reading import Timed, earlier_refined


@dataclass
class Version:
    """An earlier refined version: its number (1 = the latest), when it was saved, by whom, and its length."""

    number: int
    saved: str
    source: str
    text: str
    words: int
    seconds: float

    def as_dict(self) -> dict:
        """Return the version as plain data for JSON output."""
        return asdict(self)


@dataclass
class Versions:
    """A story's earlier refined versions, latest first."""

    slug: str
    path: Path
    title: str
    entries: list[Version]

    def as_dict(self) -> dict:
        """Return the listing as plain data for JSON output."""
        return {"story": self.slug, "title": self.title, "versions": [v.as_dict() for v in self.entries]}


@dataclass
class Change:
    """One run of words that differs: the words removed and the words added in their place."""

    op: str  # replace, delete or insert
    position: int  # where in the earlier version's words it starts
    removed: str = ""
    added: str = ""


@dataclass
class StoryDiff:
    """The refined version now against an earlier one, word by word."""

    slug: str
    title: str
    against: Version
    total: int
    before: Timed
    after: Timed
    target: tuple[int, int]
    wpm: int
    pieces: list[tuple[str, str, str]] = field(default_factory=list)  # (op, removed, added); equal runs as "equal"

    @property
    def changes(self) -> list[Change]:
        """Return the runs of words that differ, with where each starts in the earlier version."""
        changes, position = [], 0
        for op, removed, added in self.pieces:
            if op != "equal":
                changes.append(Change(op, position, removed, added))
            position += len(removed.split())
        return changes

    @property
    def removed(self) -> int:
        """Return how many words of the earlier version are gone."""
        return sum(word_count(c.removed) for c in self.changes)

    @property
    def added(self) -> int:
        """Return how many words are new."""
        return sum(word_count(c.added) for c in self.changes)

    def marked(self) -> str:
        """Return the whole text with removed words as [-old-] and added words as {+new+}, as git's word diff."""
        parts = []
        for op, removed, added in self.pieces:
            if op == "equal":
                parts.append(removed)
                continue
            parts += [f"[-{removed}-]"] if removed else []
            parts += [f"{{+{added}+}}"] if added else []
        return " ".join(parts)

    def as_dict(self) -> dict:
        """Return the diff as plain data for JSON output (the shape the README documents)."""
        return {
            "story": self.slug, "title": self.title, "against": {"number": self.against.number, "of": self.total, "saved": self.against.saved,
                        "source": self.against.source},
            "before": asdict(self.before), "after": asdict(self.after),
            "target": list(self.target), "words_per_minute": self.wpm,
            "removed": self.removed, "added": self.added,
            "changes": [asdict(c) for c in self.changes],
        }


def refined_versions(story: Story, settings: BankSettings) -> list[Version]:
    """Return the story's earlier refined versions, latest first, numbered from 1."""
    entries = earlier_refined(story)
    wpm = settings.words_per_minute
    return [Version(number, e.saved, e.source, e.text.strip(), (t := timing(e.text, wpm)).words, t.seconds)
            for number, e in enumerate(reversed(entries), 1)]


def list_versions(bank: Bank, ref: str) -> Versions:
    """Return a story's earlier refined versions, or say that it has none."""
    return _versions_of(bank, ref)[0]


def _versions_of(bank: Bank, ref: str) -> tuple[Versions, Story, BankSettings]:
    path = bank.resolve(ref)
    story, settings = load_story(path), bank.settings()
    entries = refined_versions(story, settings)
    if not entries:
        raise CoachError(f"{path.stem} has no earlier refined version under ## History; `coach refine {path.stem}` "
                         "keeps the version it replaces there")
    return Versions(path.stem, path, story.title, entries), story, settings


def word_pieces(before: str, after: str) -> list[tuple[str, str, str]]:
    """Split two texts into runs of words: equal, replaced, deleted or inserted (spacing and line breaks ignored).

    A single equal word between two changes joins them, so a rewritten sentence reads as one replacement.
    """
    old, new = before.split(), after.split()
    matcher = difflib.SequenceMatcher(None, old, new, autojunk=False)
    runs = [[op, old[i1:i2], new[j1:j2]] for op, i1, i2, j1, j2 in matcher.get_opcodes()]
    merged: list[list] = []
    for index, run in enumerate(runs):
        lone = run[0] == "equal" and len(run[1]) == 1 and 0 < index < len(runs) - 1
        if (lone or run[0] != "equal") and merged and merged[-1][0] != "equal":
            merged[-1] = ["replace", merged[-1][1] + run[1], merged[-1][2] + run[2]]
        else:
            merged.append(run)
    return [(op, " ".join(removed), " ".join(added)) for op, removed, added in merged]


def diff(bank: Bank, ref: str, against: int = 1) -> StoryDiff:
    """Compare the story's refined version now with an earlier one (1 = the latest kept under ## History)."""
    versions, story, settings = _versions_of(bank, ref)
    total = len(versions.entries)
    if not 1 <= against <= total:
        raise CoachError(f"--against {against} is not a version of {versions.slug}: it keeps {total} (1 is the latest); "
                         f"`coach diff {versions.slug} --list` lists them")
    version = versions.entries[against - 1]
    wpm = settings.words_per_minute
    return StoryDiff(
        versions.slug, story.title, version, total, Timed.of(version.text, wpm), Timed.of(story.refined, wpm),
        story.window(settings), wpm, word_pieces(version.text, story.refined),
    )
