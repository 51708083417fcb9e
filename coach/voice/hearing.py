"""What a spoken take says, measured against the candidate's own script and material (no I/O, no model call).

    hearing = hear(transcript, script)
"""

from __future__ import annotations

from dataclasses import dataclass, field

from coach.method.grounding import Material
from coach.voice.transcript import Transcript

PAUSE_SECONDS = 1.0  # a silence longer than this between two words is a pause worth showing
SURE = 0.5  # a word heard with less confidence than this is never flagged as the candidate's invention


@dataclass(frozen=True)
class Script:
    """What the take is measured against: the refined version, its hooks and key words, the story's material."""

    refined: str
    hooks: tuple[str, ...] = ()
    key_words: tuple[str, ...] = ()
    material: Material | None = None  # None: no fact guard
    window: tuple[int, int] | None = None


@dataclass(frozen=True)
class Pause:
    """A silence between two words: where it fell (seconds into the take, after which words) and how long."""

    at: float
    seconds: float
    after: str  # the few words said before it
    sentence: int | None  # the script sentence (0-based) it fell in or after, None when not aligned


@dataclass(frozen=True)
class Filler:
    """A filler word or phrase said ("um", "uh", "you know", "like" as a filler), and when."""

    text: str
    at: float


@dataclass(frozen=True)
class SentenceHeard:
    """One sentence of the refined version: said, changed or skipped, and what was heard for it."""

    index: int
    text: str
    status: str  # said | changed | skipped
    share: float  # the share of its words heard, 0 to 1
    heard: str  # the transcript's words aligned to it ("" when skipped)


@dataclass(frozen=True)
class Flag:
    """A number or name said that the material does not back, with the transcriber's confidence in it."""

    text: str
    at: float
    probability: float | None
    reason: str


@dataclass(frozen=True)
class Step:
    """One step of the word alignment, for a word diff: same, changed (script word heard as another), skipped, extra."""

    op: str  # same | changed | skipped | extra
    script: str  # the script's word ("" for extra)
    said: str  # the word heard ("" for skipped)
    at: float | None  # when the heard word started


@dataclass
class Hearing:
    """Everything a take says, for the terminal, --json, the practice log and the page."""

    spoken_seconds: float  # first word to last
    words: int  # words said
    wpm: int
    window: tuple[int, int] | None
    pauses: list[Pause] = field(default_factory=list)
    fillers: list[Filler] = field(default_factory=list)
    sentences: list[SentenceHeard] = field(default_factory=list)
    coverage: float = 0.0  # the share of the script's words heard, 0 to 1
    hook: str | None = None  # the hook that opened the take, None when none did (or there are no hooks)
    hooks: tuple[str, ...] = ()
    key_words: list[tuple[str, bool]] = field(default_factory=list)  # each key word and whether it landed
    i_count: int = 0
    we_count: int = 0
    flags: list[Flag] = field(default_factory=list)  # numbers and names said that the material does not back
    unsure: list[Flag] = field(default_factory=list)  # the same, heard too unsurely to blame on the candidate
    steps: list[Step] = field(default_factory=list)

    def as_dict(self) -> dict:
        """Return the hearing as plain data for JSON output."""
        raise NotImplementedError  # helper "hearing"


def hear(transcript: Transcript, script: Script) -> Hearing:
    """Measure a take: time, pace, pauses, fillers, which sentences were said, the hook, key words, I/we, and the
    numbers and names said that the material does not back (only on words heard surely; sound-alikes pass)."""
    raise NotImplementedError  # helper "hearing"
