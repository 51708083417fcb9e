"""Answers written ahead (`coach interview --answers FILE`): blocks separated by `---` lines, a `--- probe` line
marking a reply to a probe, handed to the interview one by one."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from coach.bank.folder import read_text

SEPARATOR = re.compile(r"(?m)^---[ \t]*(probe)?[ \t]*$")


@dataclass(frozen=True)
class Scripted:
    """One written answer: to a main question, or (after `--- probe`) to a probe."""

    text: str
    probe: bool = False


def parse_answers(text: str) -> list[Scripted]:
    """Return the answers of an answers file's text, empty blocks left out."""
    parts = SEPARATOR.split(text)
    blocks = [Scripted(parts[0].strip())]
    blocks += [Scripted(body.strip(), bool(marker)) for marker, body in zip(parts[1::2], parts[2::2], strict=True)]
    return [block for block in blocks if block.text]


def read_answers(path: Path) -> list[Scripted]:
    """Read an answers file."""
    return parse_answers(read_text(path))


class Replies:
    """Written answers handed out in order; a probe is put to the candidate only when the next one replies to it."""

    def __init__(self, answers: list[Scripted]):
        self.left = list(answers)

    def next(self) -> Scripted:
        """Return the next answer; raise EOFError when none is left (the candidate has nothing more to say)."""
        if not self.left:
            raise EOFError
        return self.left.pop(0)

    @property
    def probe_next(self) -> bool:
        """Return True when the next answer is a reply to a probe."""
        return bool(self.left) and self.left[0].probe
