"""Replace, don't pile: how a model's new notes take the place of those coach wrote before in a story.

What coach wrote and nobody has edited since (its fingerprint in the front matter still matches, see
`coach.bank.models.CoachWrote`) is replaced, the old text kept under `## History`; what the user wrote or edited
stays where it is, and coach's new items go where its old ones stood. Follow-ups are added up to a cap of coach's
own; one coach wrote, unedited and unpinned, that the model no longer asks may give its place to a new one.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime

from coach.bank.markdown import render_bullets
from coach.bank.models import CONFIRM_NOTE, FollowUp, HistoryEntry, Story, text_sha

REPLACED_NOTES = "replaced notes"  # the subject of the history entry that keeps them
LABELS = {"coaching_notes": "coaching notes", "hooks": "hooks", "key_words": "key words", "pacing": "pacing",
          "tone": "tone", "follow_ups": "follow-ups"}


def same_text(text: str) -> str:
    """Return text as two items are compared: case and spacing ignored."""
    return " ".join(text.split()).lower()


@dataclass
class Replacement:
    """One merge of a model's notes into a story: what it adds, what it retires to history, and when."""

    story: Story
    model: str
    at: datetime
    source: str = ""  # who wrote the notes being replaced, as history says it
    added: dict[str, int] = field(default_factory=lambda: dict.fromkeys(("coaching notes", "hooks", "key words",
                                                                         "follow-ups"), 0))
    replaced: dict[str, int] = field(default_factory=dict)
    retired: dict[str, list[str]] = field(default_factory=dict)  # kind -> coach's items replaced, for one history entry

    def __post_init__(self) -> None:
        self.source = self.source or self.story.notes_source()

    def keep(self, text: str, subject: str, source: str = "") -> None:
        """Keep a replaced text under `## History`."""
        self.story.history.append(HistoryEntry.kept(text, source or self.source, self.at, subject))

    def count(self, tally: dict[str, int], name: str, n: int) -> None:
        """Add n items of a kind (named as the summary says it) to a tally."""
        if n:
            tally[LABELS[name]] = tally.get(LABELS[name], 0) + n

    def replace_list(self, name: str, fresh: list[str], cap: int | None = None,
                     stays: Callable[[str], bool] = lambda item: False) -> None:
        """Replace coach's items of a notes list (`coaching_notes`, `hooks`, `key_words`) with fresh ones.

        The user's items stay in place, and so do coach's that `stays` keeps; coach's others go to history unless
        fresh repeats them. The fresh items, in their order, go where coach's first item stood (at the end when
        there was none): at most `cap`, and none the user already has.
        """
        story = self.story
        items, ours = story.notes_list(name), story.by_coach(name)
        theirs = {same_text(item) for item, coach in zip(items, ours, strict=True) if not coach}
        wanted: dict[str, str] = {}
        for text in (" ".join(item.split()) for item in fresh):
            if text and same_text(text) not in theirs and len(wanted) < (cap or len(fresh)):
                wanted.setdefault(same_text(text), text)
        out: list[tuple[str, bool]] = []
        retired: list[str] = []
        first = None
        for item, coach in zip(items, ours, strict=True):
            if coach and first is None:
                first = len(out)
            if not coach or (stays(item) and same_text(item) not in wanted):
                out.append((item, coach))
            elif same_text(item) not in wanted:
                retired.append(item)
        new = [(text, True) for text in wanted.values()]  # coach's, in the model's order, where coach's first stood
        at = len(out) if first is None else first
        out[at:at] = new
        had = {same_text(item) for item, coach in zip(items, ours, strict=True) if coach}
        added = len(wanted.keys() - had)
        items[:] = [item for item, _ in out]
        setattr(story.coach_wrote, name, [text_sha(item) for item, coach in out if coach])
        if retired:
            self.retired[name] = retired
        self.count(self.added, name, added)
        self.count(self.replaced, name, len(retired))

    def replace_text(self, name: str, fresh: str) -> None:
        """Replace the pacing or tone coach wrote (or none) with fresh; the user's own stays."""
        notes, fresh = self.story.practice_notes, fresh.strip()
        current = getattr(notes, name)
        if not fresh or (current.strip() and not self.story.text_by_coach(name)):
            return
        if current.strip() != fresh:
            if current.strip():
                self.retired[name] = [current]
                self.count(self.replaced, name, 1)
        setattr(notes, name, fresh)
        setattr(self.story.coach_wrote, name, [text_sha(fresh)])

    def merge_follow_ups(self, suggested: list[tuple[str, str]], cap: int) -> set[str]:
        """Write the suggested (question, answer) pairs, coach's follow-ups at most `cap`; return the questions
        (as compared) whose answers coach wrote now.

        A question already there keeps its place: coach's unedited, unpinned answer is rewritten, the user's is
        left alone. A new question is added while coach has fewer than `cap`, else it takes the place of one of
        coach's the model no longer asks (unedited, unpinned), or is dropped.
        """
        story = self.story
        asked = {same_text(question) for question, _ in suggested}
        written: set[str] = set()
        for question, answer in suggested:
            question, answer, key = " ".join(question.split()), answer.strip(), same_text(question)
            if not question or key in written:
                continue
            same = next((f for f in story.follow_ups if same_text(f.question) == key), None)
            if same is not None:
                if same.written_by_coach and not same.pinned:
                    if same.answer.strip() != answer:
                        self.keep(same.answer, f"follow-up: {same.question}", same.source)
                        same.rewrite(answer, self.model)
                        self.count(self.replaced, "follow_ups", 1)
                    written.add(key)
                continue
            fresh = FollowUp.written(question, answer, self.model)
            if sum(f.written_by_coach for f in story.follow_ups) < cap:
                story.follow_ups.append(fresh)
            else:
                stale = next((i for i, f in enumerate(story.follow_ups)
                              if f.written_by_coach and not f.pinned and same_text(f.question) not in asked), None)
                if stale is None:
                    continue  # no room: the user's follow-ups are theirs, and coach's are all still asked
                old = story.follow_ups[stale]
                self.keep(old.answer, f"replaced follow-up: {old.question}", old.source)
                story.follow_ups[stale] = fresh
                self.count(self.replaced, "follow_ups", 1)
            self.count(self.added, "follow_ups", 1)
            written.add(key)
        return written

    def done(self) -> None:
        """Keep the notes replaced under `## History`, one entry for all (`replaced notes`), and only the
        fingerprints that match what the story now holds."""
        if self.retired:
            self.keep(retired_text(self.retired), REPLACED_NOTES)
        self.story.forget_edited_notes()


def retired_text(retired: dict[str, list[str]]) -> str:
    """Return the text of the history entry that keeps the notes a refine replaced, kind by kind:
    `Hooks:` then a list, `Pacing: ...` on one line."""
    parts = []
    for name in LABELS:
        items = retired.get(name)
        if items and name in ("pacing", "tone"):
            parts.append(f"{LABELS[name].capitalize()}: {items[0]}")
        elif items:
            parts.append(f"{LABELS[name].capitalize()}:\n{render_bullets(items)}")
    return "\n\n".join(parts)


def still_open(story: Story, rewritten: set[str]) -> Callable[[str], bool]:
    """Return whether a note to confirm or cut a follow-up's sentence still applies: the follow-up, not rewritten
    now, still says the sentence (a refined sentence's note is judged afresh by every refine)."""
    def stays(note: str) -> bool:
        match = CONFIRM_NOTE.fullmatch(note)
        if match is None or match["question"] is None or same_text(match["question"]) in rewritten:
            return False
        sentence = same_text(match["sentence"])
        return any(same_text(f.question) == same_text(match["question"]) and sentence in same_text(f.answer)
                   for f in story.follow_ups)

    return stays
