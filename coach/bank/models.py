"""Pydantic models: the single definition of a story (a bank's settings and catalog data are in `bank.settings`)."""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable, Iterable, Iterator, MutableSequence
from datetime import datetime
from itertools import compress
from operator import ne
from typing import Protocol

from pydantic import BaseModel, ConfigDict, Field, GetCoreSchemaHandler, field_validator
from pydantic_core import PydanticCustomError, core_schema

DEFAULT_TARGET = (45, 60)
DEFAULT_WPM = 150
RATES = range(60, 301)  # words per minute anyone speaks at; 150 is typical
ID_ALPHABET = "23456789abcdefghjkmnpqrstuvwxyz"  # no 0/o, 1/l/i: easy to read aloud and type
ID_LENGTH = 3


def text_sha(text: str) -> str:
    """Return a short fingerprint of a text coach wrote, to tell it from the user's later edits."""
    return hashlib.sha256(" ".join(text.split()).encode()).hexdigest()[:12]  # re-wrapping is no edit


def short_id(text: str, length: int = ID_LENGTH) -> str:
    """Return a short, typable id derived from text's words (case, spacing and punctuation ignored)."""
    words = " ".join(re.sub(r"[\W_]+", " ", text.lower()).split())
    number = int(hashlib.sha1(words.encode()).hexdigest(), 16)
    digits = []
    for _ in range(length):
        number, digit = divmod(number, len(ID_ALPHABET))
        digits.append(ID_ALPHABET[digit])
    return "".join(digits)


def checked_window(value: object) -> tuple[int, int]:
    """Return a target window as (low, high) seconds, or raise ValueError saying how to write one."""
    shown = str(list(value)) if isinstance(value, tuple) else str(value)
    pair = list(value) if isinstance(value, list | tuple) else []
    if len(pair) != 2 or not all(isinstance(n, int) and not isinstance(n, bool) for n in pair):
        raise ValueError(f"{shown} is not a window; write two whole numbers of seconds, low then high, like [45, 60]")
    low, high = pair
    if low > high:
        raise ValueError(f"{shown} runs high to low; write the window low then high, like [{high}, {low}]")
    if low < 1:
        raise ValueError(f"{shown} starts at {low} seconds; a window starts at 1 second or more, like [45, 60]")
    return low, high


def checked_rate(value: object) -> int:
    """Return a speaking rate in words per minute, or raise ValueError saying the plausible range."""
    if isinstance(value, bool) or not isinstance(value, int) or value not in RATES:
        raise ValueError(f"{value} is not a speaking rate; use {RATES.start} to {RATES.stop - 1} words per minute (150 is typical)")
    return value


def _as_field_error(check: Callable[[object], object], value: object) -> object:
    """Run a check, turning its ValueError into a pydantic error whose message is the check's own sentence."""
    try:
        return check(value)
    except ValueError as error:
        raise PydanticCustomError("coach_setting", "{reason}", {"reason": str(error)}) from None


class Windowed(Protocol):
    """What a story's window falls back on: the bank's settings (`bank.settings.BankSettings`)."""

    target_seconds: tuple[int, int]


class Strict(BaseModel):
    """Base for models read from files the user edits: unknown keys are errors."""

    model_config = ConfigDict(extra="forbid")


class Question(Strict):
    """One extraction question, the user's answer (empty when not answered yet) and a proposal not yet accepted.

    A proposal is coach's reading of the draft, with the draft's words it rests on; it is no answer until accepted.
    """

    text: str
    answer: str = ""
    proposed: str = ""
    proposed_from: list[str] = Field(default_factory=list)


class QuestionGroup(Strict):
    """A heading such as "Risk Analysis" with its questions."""

    heading: str
    questions: list[Question] = Field(default_factory=list)


class PracticeNotes(Strict):
    """How to deliver the story: hooks, pacing, tone, key words and delivery points."""

    hooks: list[str] = Field(default_factory=list)
    pacing: str = ""
    tone: str = ""
    key_words: list[str] = Field(default_factory=list)
    delivery_points: list[str] = Field(default_factory=list)

    def is_empty(self) -> bool:
        """Return True when no practice note has been written."""
        return not (self.hooks or self.pacing or self.tone or self.key_words or self.delivery_points)


class FollowUp(Strict):
    """A likely follow-up question with a prepared answer, and who wrote the answer.

    `by` and `sha` record the model that wrote the answer and a fingerprint of what it wrote: an answer that no
    longer matches its fingerprint was edited by hand, and is the user's. A pinned answer is never regenerated
    unless named.
    """

    question: str
    answer: str = ""
    by: str = ""
    sha: str = ""
    pinned: bool = False

    @classmethod
    def written(cls, question: str, answer: str, model: str) -> FollowUp:
        """Return a follow-up whose answer a model wrote, fingerprinted so that a later hand edit shows."""
        return cls(question=" ".join(question.split()), answer=answer.strip(), by=model, sha=text_sha(answer))

    def rewrite(self, answer: str, model: str) -> None:
        """Replace the answer with one a model wrote, fingerprinting it."""
        self.answer, self.by, self.sha = answer, model, text_sha(answer)

    @property
    def written_by_coach(self) -> bool:
        """Return True when the answer is exactly what a model wrote (not written or edited by the user)."""
        return bool(self.by) and self.sha == text_sha(self.answer)

    @property
    def source(self) -> str:
        """Return who wrote the answer as a history entry says it: `llm:MODEL`, or `hand`."""
        return f"llm:{self.by}" if self.written_by_coach else "hand"

    def mark(self) -> dict:
        """Return what the front matter keeps about this follow-up (empty when nothing)."""
        mark: dict = {"by": self.by, "sha": self.sha} if self.by else {}
        return {**mark, "pinned": True} if self.pinned else mark


class FollowUpMark(Strict):
    """Front matter kept per follow-up id: the model that wrote the answer, its fingerprint, and the pin."""

    by: str = ""
    sha: str = ""
    pinned: bool = False


# A note coach adds for a sentence no quote of the user's supports, as coach.jobs.grounded.confirm_note writes it:
# the form is coach's own, so an unedited one is coach's even without a fingerprint (follow-up jobs add them too).
CONFIRM_NOTE = re.compile(r'Confirm or cut(?: in the answer to "(?P<question>.*)")?: "(?P<sentence>.*)" '
                          r"\(not found in your material\)", re.DOTALL)
NOTE_LISTS = ("coaching_notes", "hooks", "key_words")  # what coach writes into a story besides the refined version
NOTE_TEXTS = ("pacing", "tone")


class CoachWrote(Strict):
    """Front matter `coach_wrote`: a fingerprint of each coaching note, hook, key word, pacing and tone coach wrote
    (the model is the story's `refined_by`: the refine that wrote them).

    An item whose text still matches a fingerprint is coach's, and the next refine replaces it (keeping it under
    `## History`); one edited by hand matches none and is the user's, left where it is. A file without `coach_wrote`
    holds only the user's. Every kind is a list (pacing and tone hold one at most), so each stays one line.
    """

    coaching_notes: list[str] = Field(default_factory=list)
    hooks: list[str] = Field(default_factory=list)
    key_words: list[str] = Field(default_factory=list)
    pacing: list[str] = Field(default_factory=list)
    tone: list[str] = Field(default_factory=list)

    @field_validator("*", mode="before")
    @classmethod
    def _as_texts(cls, value: object) -> object:
        """Read a fingerprint YAML took for a number (`123456789012`) as the text it is."""
        return [str(item) for item in value] if isinstance(value, list) else value

    def matched(self, name: str, items: list[str]) -> list[bool]:
        """Return, for each item of a kind (a list, or a pacing or tone as a list of one), whether coach wrote it
        as it reads now; a fingerprint matches one item at most."""
        pool = list(getattr(self, name))
        flags = []
        for item in items:
            sha = text_sha(item)
            flags.append(sha in pool)
            if flags[-1]:
                pool.remove(sha)
        return flags


class HistoryEntry(Strict):
    """Something coach replaced, kept in the story's history: an earlier refined version (no subject), an earlier
    follow-up answer (`subject` names the follow-up), or notes (`replaced notes`, `done coaching note`, ...)."""

    saved: str
    source: str = "hand"
    text: str
    subject: str = ""

    @classmethod
    def kept(cls, text: str, source: str, at: datetime, subject: str = "") -> HistoryEntry:
        """Return the entry that keeps `text`, replaced at `at`: source is `hand` or `llm:MODEL`."""
        return cls(saved=at.isoformat(sep=" ", timespec="minutes"), source=source, text=text, subject=subject)


class PracticeTake(Strict):
    """One timed delivery of the story out loud; a take, once recorded, never changes (so copies share it)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    at: datetime
    seconds: float = Field(ge=0, allow_inf_nan=False)  # `.nan` or `.inf` in a file is no length of time
    words: int | None = None  # the refined version's words, or for a heard take the words said
    # a take coach heard (practice --audio or --record) also keeps its pace, filler words and the share of the
    # script said, in percent
    wpm: int | None = Field(default=None, ge=0)
    fillers: int | None = Field(default=None, ge=0)
    coverage: int | None = Field(default=None, ge=0, le=100)

    def __deepcopy__(self, memo: dict | None = None) -> PracticeTake:
        return self

    @property
    def heard(self) -> bool:
        """Return True for a take coach heard and measured, not only timed."""
        return self.wpm is not None

    @classmethod
    def from_line(cls, line: str) -> PracticeTake:
        """Return the take a front matter line in coach's own form (a TAKE_LINE) records."""
        at, seconds, words, wpm, fillers, coverage = TAKE_LINE.fullmatch(line).groups()
        number = lambda text: int(text) if text else None  # noqa: E731
        return cls(at=datetime.fromisoformat(at), seconds=float(seconds), words=number(words), wpm=number(wpm),
                   fillers=number(fillers), coverage=number(coverage))


# A take as coach writes it in front matter, `- {at: '2026-11-24T09:05:00', seconds: 52.5, words: 143}`, spelled so
# that only a valid take matches (a real date and time, seconds from 1 up, as YAML would read them): a line that
# matches is read without YAML and stays a line until looked at; any other line is read by YAML as always.
_DATE = (r"(?:[1-9]\d{3}-(?:(?:0[13578]|1[02])-(?:0[1-9]|[12]\d|3[01])|(?:0[469]|11)-(?:0[1-9]|[12]\d|30)"
         r"|02-(?:0[1-9]|1\d|2[0-8]))|(?:[1-9]\d(?:0[48]|[2468][048]|[13579][26])|(?:[2468][048]|[13579][26])00)-02-29)")
_AT = _DATE + r"T(?:[01]\d|2[0-3]):[0-5]\d:[0-5]\d"  # a real date (29 February in leap years only) and time
_SECONDS = r"[1-9]\d{0,5}(?:\.\d{1,6})?"  # 1 up, no leading zero (YAML reads 052 as octal), no exponent
_WORDS = r"0|[1-9]\d{0,8}"
_PERCENT = r"100|[1-9]?\d"
_LINE = "- \\{{at: '{}', seconds: {}(?:, words: {})?(?:, wpm: {})?(?:, fillers: {})?(?:, coverage: {})?\\}}"
TAKE_LINE = re.compile(_LINE.format(f"({_AT})", f"({_SECONDS})", f"({_WORDS})", f"({_WORDS})", f"({_WORDS})",
                                    f"({_PERCENT})"))
# a block of them, each ended; atomic, as each line matches one way or none: 3x faster over 100,000 takes
TAKE_LINES = re.compile(f"(?>{_LINE.format(_AT, _SECONDS, *[f'(?:{_WORDS})'] * 3, f'(?:{_PERCENT})')}\n)*")


class Takes(MutableSequence):
    """A story's practice log, oldest take first: a list of PracticeTake.

    Takes read from a file in coach's own one-line form are kept as their lines, and a line becomes a PracticeTake
    only when looked at: a story with 100,000 takes records one more without building 100,000 objects. Only valid
    takes match TAKE_LINE, so looking cannot fail.
    """

    __slots__ = ("_entries",)

    def __init__(self, takes: Iterable[PracticeTake] = ()):
        self._entries: list[PracticeTake | str] = [self._checked(take) for take in takes]

    @classmethod
    def from_lines(cls, lines: list[str]) -> Takes:
        """Return the takes of front matter lines that each match TAKE_LINE (the caller has checked that they do)."""
        takes = cls()
        takes._entries = list(lines)
        return takes

    @staticmethod
    def _checked(take: object) -> PracticeTake:
        return take if isinstance(take, PracticeTake) else PracticeTake.model_validate(take)

    @staticmethod
    def _take(entry: PracticeTake | str) -> PracticeTake:
        return PracticeTake.from_line(entry) if isinstance(entry, str) else entry

    def __len__(self) -> int:
        return len(self._entries)

    def __getitem__(self, index):
        if isinstance(index, slice):
            part = type(self)()
            part._entries = self._entries[index]
            return part
        return self._take(self._entries[index])

    def __setitem__(self, index, value) -> None:
        if isinstance(index, slice):
            self._entries[index] = [self._checked(take) for take in value]
        else:
            self._entries[index] = self._checked(value)

    def __delitem__(self, index) -> None:
        del self._entries[index]

    def insert(self, index: int, value: PracticeTake) -> None:
        self._entries.insert(index, self._checked(value))

    def __iter__(self) -> Iterator[PracticeTake]:
        return map(self._take, self._entries)

    def __eq__(self, other: object) -> bool:
        if isinstance(other, Takes):
            if len(self) != len(other):
                return False
            if self._entries == other._entries:  # the same lines or takes: no take built
                return True
            mine, theirs, take = self._entries, other._entries, self._take
            differ = compress(range(len(mine)), map(ne, mine, theirs))  # only these are looked at, in Python
            return all(take(mine[i]) == take(theirs[i]) for i in differ)
        if isinstance(other, list | tuple):
            return list(self) == list(other)
        return NotImplemented

    __hash__ = None  # type: ignore[assignment]

    def entries(self) -> list[PracticeTake | str]:
        """Return the takes as held: a PracticeTake, or the line in coach's own form a take was read from."""
        return list(self._entries)

    def copy(self) -> Takes:
        """Return a copy: a new log holding the same (unchanging) takes."""
        return self[:]

    def __copy__(self) -> Takes:
        return self.copy()

    def __deepcopy__(self, memo: dict | None = None) -> Takes:
        return self.copy()  # takes never change: sharing them is a deep copy

    def __repr__(self) -> str:
        return f"Takes({list(self)!r})"

    @classmethod
    def __get_pydantic_core_schema__(cls, source: object, handler: GetCoreSchemaHandler) -> core_schema.CoreSchema:
        items = handler.generate_schema(list[PracticeTake])

        def validate(value: object, inner: core_schema.ValidatorFunctionWrapHandler) -> Takes:
            return value.copy() if isinstance(value, Takes) else cls(inner(value))

        return core_schema.no_info_wrap_validator_function(
            validate, items, serialization=core_schema.wrap_serializer_function_ser_schema(
                lambda value, inner: inner(list(value)), schema=items))


class Story(Strict):
    """A power story: front matter metadata plus the prose sections of its file."""

    title: str
    type: str
    values: list[str] = Field(default_factory=list)
    target_seconds: tuple[int, int] | None = None
    refined_by: str = ""
    refined_sha: str = ""
    coach_wrote: CoachWrote = Field(default_factory=CoachWrote)
    practice: Takes = Field(default_factory=Takes)
    draft: str = ""
    extraction: list[QuestionGroup] = Field(default_factory=list)
    refined: str = ""
    coaching_notes: list[str] = Field(default_factory=list)
    practice_notes: PracticeNotes = Field(default_factory=PracticeNotes)
    follow_ups: list[FollowUp] = Field(default_factory=list)
    history: list[HistoryEntry] = Field(default_factory=list)

    @field_validator("target_seconds", mode="before")
    @classmethod
    def _ordered_window(cls, window: object) -> object:
        return None if window is None else _as_field_error(checked_window, window)

    def window(self, settings: Windowed, override: tuple[int, int] | None = None) -> tuple[int, int]:
        """Return the target window in seconds: an override (--target), else the story's own, else the bank's."""
        return override or self.target_seconds or settings.target_seconds

    @property
    def refined_source(self) -> str:
        """Return who wrote the refined version as a history entry says it: `llm:MODEL` if unedited, else `hand`."""
        return f"llm:{self.refined_by}" if self.refined_by and self.refined_sha == text_sha(self.refined) else "hand"

    def notes_list(self, name: str) -> list[str]:
        """Return one of the lists coach writes notes into: `coaching_notes`, `hooks` or `key_words`."""
        return self.coaching_notes if name == "coaching_notes" else getattr(self.practice_notes, name)

    def by_coach(self, name: str) -> list[bool]:
        """Return, for each item of a notes list, whether coach wrote it (fingerprinted and unedited; for coaching
        notes also one in the unedited form of a note to confirm or cut)."""
        items = self.notes_list(name)
        flags = self.coach_wrote.matched(name, items)
        if name == "coaching_notes":
            flags = [flag or CONFIRM_NOTE.fullmatch(item) is not None for flag, item in zip(flags, items, strict=True)]
        return flags

    def text_by_coach(self, name: str) -> bool:
        """Return True when the pacing or tone is what coach wrote (an empty one is nobody's)."""
        text = getattr(self.practice_notes, name)
        return bool(text.strip()) and self.coach_wrote.matched(name, [text]) == [True]

    def notes_source(self) -> str:
        """Return who wrote coach's notes as a history entry says it: `llm:MODEL` of the last refine, or `coach`."""
        return f"llm:{self.refined_by}" if self.refined_by else "coach"

    def forget_edited_notes(self) -> None:
        """Keep in `coach_wrote` only the fingerprints of items that read as coach wrote them (the rest were edited
        or removed by hand and are the user's now, should the same text come back)."""
        marks = self.coach_wrote
        for name in NOTE_LISTS:
            items = self.notes_list(name)
            setattr(marks, name, [text_sha(item) for item, ours in zip(items, marks.matched(name, items), strict=True) if ours])
        for name in NOTE_TEXTS:
            setattr(marks, name, [text_sha(getattr(self.practice_notes, name))] if self.text_by_coach(name) else [])

    def follow_up_ids(self) -> list[str]:
        """Return each follow-up's id: from its question's words, lengthened where two would collide."""
        ids: list[str] = []
        for follow_up in self.follow_ups:
            length = ID_LENGTH
            while short_id(follow_up.question, length) in ids:
                length += 1
            ids.append(short_id(follow_up.question, length))
        return ids

    def questions(self) -> list[Question]:
        """Return every extraction question, in order."""
        return [q for group in self.extraction for q in group.questions]

    def unanswered(self) -> list[Question]:
        """Return the extraction questions still without an answer."""
        return [q for q in self.questions() if not q.answer.strip()]

    def material(self) -> str:
        """Return the user's own facts: the draft and every extraction answer."""
        return "\n".join([self.title, self.draft, *(q.answer for q in self.questions())])
