"""Exceptions raised by coach; the CLI turns each into one stderr line and an exit status.

CoachError                  exit 2: bad input, nothing written
 ├── StoryNotFound          a story reference matches no file
 ├── StoryFormatError       a story file or document cannot be read
 ├── StoryExists            a write would overwrite a story without --force
 ├── CatalogError           an unknown story type or company profile
 ├── Interrupted            exit 130: Ctrl-C; says what was kept
 └── LLMError               exit 1: the model endpoint failed or answered badly
"""

from __future__ import annotations

from pathlib import Path


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
