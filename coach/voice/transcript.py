"""What a transcriber heard: each word with its timing and how sure the transcriber was of it."""

from __future__ import annotations

from dataclasses import dataclass

TIMINGS = ("words", "segments", "audio")  # per-word timings; spread over each segment's; spread over the audio's length


@dataclass(frozen=True)
class Word:
    """One word as transcribed, its punctuation attached ("sprints," "2023."), with its place in the audio."""

    text: str
    start: float  # seconds from the start of the audio
    end: float
    probability: float | None = None  # the transcriber's confidence, 0 to 1; None when it gives none

    def as_dict(self) -> dict:
        """Return the word as plain data."""
        data = {"text": self.text, "start": round(self.start, 2), "end": round(self.end, 2)}
        if self.probability is not None:
            data["probability"] = round(self.probability, 3)
        return data


@dataclass(frozen=True)
class Transcript:
    """A take as heard: its words in order, the audio's length, how the timings were measured and by what.

    A server's or a model's words are untrusted: each is made one printable line when the transcript is made, so no
    escape sequence reaches the terminal, a saved transcript or a prompt.
    """

    words: tuple[Word, ...]
    duration: float  # the audio's length in seconds
    timing: str = "words"  # one of TIMINGS
    engine: str = ""  # what transcribed it, e.g. "faster-whisper tiny.en (local)"

    def __post_init__(self) -> None:
        from coach.llm.gate import printable

        if any(not word.text.isprintable() for word in self.words):
            clean = tuple(Word(printable(" ".join(w.text.split()), newlines=False), w.start, w.end, w.probability)
                          for w in self.words)
            object.__setattr__(self, "words", tuple(w for w in clean if w.text))

    @property
    def text(self) -> str:
        """Return the words as one line of text."""
        return " ".join(word.text.strip() for word in self.words if word.text.strip())

    def as_dict(self) -> dict:
        """Return the transcript as plain data for JSON output and the saved transcript."""
        return {"engine": self.engine, "timing": self.timing, "duration": round(self.duration, 2), "text": self.text,
                "words": [word.as_dict() for word in self.words]}

    @classmethod
    def from_dict(cls, data: dict) -> Transcript:
        """Return the transcript `as_dict` gave."""
        words = tuple(Word(w["text"], float(w["start"]), float(w["end"]), w.get("probability")) for w in data["words"])
        return cls(words, float(data["duration"]), data.get("timing", "words"), data.get("engine", ""))
