"""The story files of a bank, named without parsing them: cheap enough for shell completion on every Tab."""

from __future__ import annotations

import os
import stat
from pathlib import Path

SKIPPED_FILES = {"readme.md"}
EXPORT_MARK = "<!-- Exported by coach"  # the first line of every `coach export` document
BOM = "\ufeff"
OPEN_FLAGS = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_CLOEXEC", 0)  # a FIFO opens without a wait


def is_regular(path: Path) -> bool:
    """Return True for a regular file (through a link), False for anything else, missing or unreadable."""
    try:
        return stat.S_ISREG(os.stat(path).st_mode)
    except (OSError, ValueError):
        return False


def read_head(path: Path, size: int) -> bytes:
    """Return up to `size` bytes from the start of a regular file; b"" for anything else, never blocking.

    A FIFO is never opened (opening one waits for a writer), nor a device (/dev/zero never ends).
    """
    if not is_regular(path):
        return b""
    try:
        fd = os.open(path, OPEN_FLAGS)
        with os.fdopen(fd, "rb") as handle:
            return handle.read(size) if stat.S_ISREG(os.fstat(fd).st_mode) else b""
    except OSError:
        return b""


def exported(path: Path) -> bool:
    """Return True for a document coach exported (its first line says so): never a story, never a warning."""
    head = read_head(path, len(EXPORT_MARK.encode()) + 3).decode("utf-8", "replace")
    return head.removeprefix(BOM).startswith(EXPORT_MARK)


def story_slugs(root: Path, incomplete: str = "", given: list[str] | tuple[str, ...] = ()) -> list[str]:
    """Return the slugs of the bank's story files that start with incomplete, leaving out those already given.

    A file counts when it opens with front matter (`---`); nothing is parsed, and a missing bank gives no slugs.
    """
    try:
        paths = sorted(Path(root).glob("*.md"))
    except OSError:
        return []
    return [path.stem for path in paths
            if path.stem.startswith(incomplete) and path.stem not in given and path.name.lower() not in SKIPPED_FILES
            and _front_matter_first(path)]


def _front_matter_first(path: Path) -> bool:
    head = read_head(path, 8).decode("utf-8", "replace")  # b"" for a folder named x.md, a dangling link, a FIFO
    return head.removeprefix(BOM).startswith("---")
