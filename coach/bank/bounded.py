"""Reading files anyone can drop into a bank, bounded: only regular files, sizes capped, YAML without aliases and
with limited nesting, so that no file can hang coach, exhaust its memory or end it with a traceback.

A FIFO, a device or a socket is never opened (opening a FIFO blocks until someone writes to it; /dev/zero never
ends); a file over its cap is refused before it is read; YAML aliases (`*name`, what a "billion laughs" file
expands) are refused, and so is nesting deeper than any file coach reads needs.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

import yaml

from coach.bank.listing import OPEN_FLAGS
from coach.errors import StoryFormatError

MB = 1024 * 1024
STORY_LIMIT = 16 * MB  # a story (100,000 takes are 6 MB), a document to import, a file of answers
SETTINGS_LIMIT = 1 * MB  # coach.yaml, a story type or company profile of the bank's own
TRANSCRIPT_LIMIT = 4 * MB  # an interview transcript under sessions/
MAX_DEPTH = 20  # coach's own YAML nests at most 5 deep (a story type's groups of questions)
SAFE_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # libyaml when PyYAML has it: 10x faster


class RefusedYAML(yaml.MarkedYAMLError):
    """YAML coach does not read: an alias, nesting past MAX_DEPTH, or a value Python cannot hold."""

    def __init__(self, problem: str, mark=None):
        super().__init__(problem=problem, problem_mark=mark)

    @property
    def line(self) -> int | None:
        """Return the 1-based line of the text where the problem is, when known."""
        return self.problem_mark.line + 1 if self.problem_mark is not None else None


def _size(n: int) -> str:
    return f"{n / MB:.1f} MB" if n >= MB else f"{n / 1024:.0f} KB"


def _kind(mode: int) -> str:
    if stat.S_ISFIFO(mode):
        return "a named pipe (FIFO)"
    if stat.S_ISSOCK(mode):
        return "a socket"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    return "not a file"


class NotRegular(StoryFormatError):
    """A FIFO, a device or a socket where coach reads a file."""


class TooBig(StoryFormatError):
    """A file over the bytes coach reads for its kind."""


def _not_regular(path: Path, mode: int) -> NotRegular:
    link = f"a link to {os.readlink(path)}, " if os.path.islink(path) else ""
    return NotRegular(path, f"is {link}{_kind(mode)}, not a regular file; coach reads only regular files, "
                      "so move it out of the bank")


def _too_big(path: Path, size: int, limit: int, what: str) -> TooBig:
    return TooBig(path, f"is {_size(size)}, over the {_size(limit)} coach reads for {what}; "
                  "move it out of the bank or make it smaller")


def require_regular(path: Path) -> Path:
    """Return path when it is a regular file (through a link) or missing; refuse a FIFO, a device or a socket."""
    try:
        mode = os.stat(path).st_mode
    except OSError:
        return path  # missing or unreadable: whoever reads it says so
    if not (stat.S_ISREG(mode) or stat.S_ISDIR(mode)):
        raise _not_regular(path, mode)
    return path


def read_bytes(path: Path, limit: int, what: str) -> bytes:
    """Return the bytes of a regular file of at most `limit` bytes, or raise StoryFormatError saying why not.

    `what` names the kind of file in the message ("a story file"). OSErrors (no such file, permissions) pass through.
    """
    info = os.stat(path)  # before any open: opening a FIFO would block, and a device may never end
    if stat.S_ISDIR(info.st_mode):
        raise IsADirectoryError(21, "Is a directory", str(path))
    if not stat.S_ISREG(info.st_mode):
        raise _not_regular(path, info.st_mode)
    if info.st_size > limit:
        raise _too_big(path, info.st_size, limit, what)
    fd = os.open(path, OPEN_FLAGS)  # non-blocking: a FIFO put in its place since the stat cannot hang the open
    with os.fdopen(fd, "rb") as handle:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            raise _not_regular(path, info.st_mode)
        data = handle.read(limit + 1)
    if len(data) > limit:
        raise _too_big(path, len(data), limit, what)
    return data


def _too_deep(mark) -> RefusedYAML:
    return RefusedYAML(f"nests lists or mappings more than {MAX_DEPTH} deep; coach's keys take plain values and "
                       "lists, so write them flat", mark)


def load_yaml(text: str):
    """Parse YAML safely, refusing aliases and nesting deeper than MAX_DEPTH; raise yaml.YAMLError when malformed.

    The events are checked before anything is built, so a file that would expand or recurse costs one pass over it.
    """
    depth = 0
    try:
        for event in yaml.parse(text, Loader=SAFE_LOADER):
            if isinstance(event, yaml.AliasEvent):
                raise RefusedYAML(f"uses a YAML alias (*{event.anchor}); coach does not expand aliases, "
                                  "so write the value out in full", event.start_mark)
            if isinstance(event, yaml.CollectionStartEvent):
                depth += 1
                if depth > MAX_DEPTH:
                    raise _too_deep(event.start_mark)
            elif isinstance(event, yaml.CollectionEndEvent):
                depth -= 1
    except RefusedYAML:
        raise
    except yaml.MarkedYAMLError as error:
        if "nesting depth" in str(error.problem):  # libyaml looks ahead through `[[[[` and stops at 1,000 deep
            raise _too_deep(error.problem_mark) from None
        raise
    try:
        return yaml.load(text, Loader=SAFE_LOADER)
    except (ValueError, OverflowError, TypeError) as error:  # a date like 2020-13-45, a 5,000-digit number
        raise RefusedYAML(f"holds a value coach cannot read ({error})") from None
