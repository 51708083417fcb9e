"""The bundled sample bank: told apart by the README.md it ships with, so `coach check` can say what it is."""

from __future__ import annotations

from pathlib import Path

SAMPLE_MARK = "<!-- coach: sample bank -->"  # the first line of the sample's README.md; a bank the user starts has none


def is_sample_bank(root: Path) -> bool:
    """Say whether the bank folder is coach's bundled sample (its README.md opens with the sample's mark)."""
    try:
        with open(Path(root) / "README.md", encoding="utf-8") as readme:
            return readme.readline().strip() == SAMPLE_MARK
    except (OSError, UnicodeDecodeError):
        return False
