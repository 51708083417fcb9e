"""Exceptions raised by coach; the CLI turns each into one stderr line and an exit status.

CoachError                  exit 2: bad input, nothing written
                            (exit 3: the command ran, but some files of the bank could not be read and were skipped)
 ├── StoryNotFound          a story reference matches no file
 ├── StoryFormatError       a story file or document cannot be read
 ├── StoryExists            a write would overwrite a story without --force
 ├── CatalogError           an unknown story type or company profile
 ├── Interrupted            exit 130: Ctrl-C; says what was kept
 └── LLMError               exit 1: the model endpoint failed or answered badly
"""

from __future__ import annotations

import errno
from pathlib import Path

FILE_SYSTEM_ADVICE = {
    errno.EACCES: "permission denied; check the permissions of the file and its folder, or pass another --stories",
    errno.EPERM: "not permitted; check the permissions of the file and its folder, or pass another --stories",
    errno.EROFS: "the file system is read-only; copy the bank somewhere writable, or pass another --stories",
    errno.ENOSPC: "no space left on the device; free some space and run the command again",
    errno.EDQUOT: "disk quota exceeded; free some space and run the command again",
    errno.ENOTDIR: "a file stands where a folder should be; pass a folder (for example --stories stories)",
    errno.EISDIR: "is a folder where a file should be; name a file",
    errno.EEXIST: "a file already stands where coach needs a folder; move it or pass another --stories",
    errno.ENOENT: "no such file or folder; check the path",
    errno.ENAMETOOLONG: "the name is too long for the file system; choose a shorter title or path",
}


class CoachError(Exception):
    """Bad input: the message says what is wrong and what to do."""

    exit_code = 2


class StoryNotFound(CoachError):
    """A story reference matched no file in the bank."""


class StoryFormatError(CoachError):
    """A story file or power-stories document is malformed."""

    def __init__(self, path: Path | str, message: str, line: int | None = None):
        where = f"{path}:{line}" if line else f"{path}"
        super().__init__(f"{where}: {message}")


class StoryExists(CoachError):
    """Writing would overwrite an existing story file."""


class CatalogError(CoachError):
    """An unknown story type or company profile was named."""


class Interrupted(CoachError):
    """The user pressed Ctrl-C: the message says which files were kept."""

    exit_code = 130


class LLMError(CoachError):
    """The model endpoint failed, refused or answered with something unusable."""

    exit_code = 1


def file_system_message(error: OSError) -> str:
    """Return one sentence for a file-system error: the path, what went wrong, and what to do."""
    advice = FILE_SYSTEM_ADVICE.get(error.errno or 0) or f"{(error.strerror or str(error)).lower()}; check the path and try again"
    return f"{error.filename}: {advice}" if error.filename else advice
