"""The story files of a bank, named without parsing them: cheap enough for shell completion on every Tab."""

from __future__ import annotations

from pathlib import Path

SKIPPED_FILES = {"readme.md"}
EXPORT_MARK = "<!-- Exported by coach"  # the first line of every `coach export` document
BOM = "\ufeff"


def exported(path: Path) -> bool:
    """Return True for a document coach exported (its first line says so): never a story, never a warning."""
    try:
        with path.open("rb") as handle:
            head = handle.read(len(EXPORT_MARK.encode()) + 3).decode("utf-8", "replace")
        return head.removeprefix(BOM).startswith(EXPORT_MARK)
    except OSError:
        return False


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
    try:
        with path.open("rb") as handle:
            head = handle.read(8).decode("utf-8", "replace")
    except OSError:  # a folder named x.md, a dangling link, no permission
        return False
    return head.removeprefix(BOM).startswith("---")
