"""What an import does to a bank, worked out before a byte is written, then written all or nothing: new stories
created, existing ones kept (or, when forced, replaced with a copy kept), coach.yaml's settings kept."""

from __future__ import annotations

import os
from contextlib import ExitStack, suppress
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from coach.bank import yamledit
from coach.bank.bounded import SETTINGS_LIMIT, load_yaml
from coach.bank.catalog import find_company
from coach.bank.folder import Bank, locked, read_text, settings_text, writable_target
from coach.bank.listing import BOM
from coach.bank.models import Story
from coach.bank.settings import BankSettings
from coach.bank.storyfile import parse_story, render_story
from coach.document.safekeeping import REPLACED, SettingsMerge, copies_folder, merge_settings, write_keeping_copies
from coach.errors import CoachError, StoryExists
from coach.method.text import word_count


@dataclass
class ImportResult:
    """One file of an import: created, replaced (its old text kept in `copy`), merged (coach.yaml) or kept as it was."""

    path: Path
    action: str
    story: Story | None = None
    copy: Path | None = None  # where the old file is kept, byte for byte, when the import replaces or merges it
    before: Story | None = None  # the story a replaced file held, when it could be read
    settings: SettingsMerge | None = None  # for coach.yaml in a bank that had one: what was added, what was kept

    def as_dict(self) -> dict:
        """Return the file as plain data for JSON output; coach.yaml has null story figures."""
        story = self.story
        figures = dict.fromkeys(("story", "title", "type", "questions", "answered", "refined_words", "follow_ups"))
        if story is not None:
            figures = {"story": self.path.stem, "title": story.title, "type": story.type, "questions": len(story.questions()),
                       "answered": len(story.questions()) - len(story.unanswered()),
                       "refined_words": word_count(story.refined), "follow_ups": len(story.follow_ups)}
        merge = self.settings
        return {"file": str(self.path), "kind": "settings" if story is None else "story", "action": self.action, **figures,
                "copy": None if self.copy is None else str(self.copy),
                "settings_added": None if merge is None else merge.added if merge.applied else [],
                "settings_kept": None if merge is None else merge.kept()}


@dataclass
class ImportPlan:
    """What an import will do, worked out before a byte is written: every file's action, and the texts to write.

    `originals` holds the bytes each file to write had when the plan was made (None: no file), so that the
    import writes nothing if one of them changes before it is applied.
    """

    root: Path
    results: list[ImportResult]
    files: dict[Path, str]
    originals: dict[Path, bytes | None]
    copies: Path  # the folder that keeps the old text of the files replaced
    force: bool = False
    dry_run: bool = False

    def replacing(self) -> list[ImportResult]:
        """Return the files whose old text the import replaces (a copy of each is kept)."""
        return [result for result in self.results if result.copy is not None]

    def as_dict(self) -> list[dict]:
        """Return one object per file, as `coach import --json` prints them."""
        return [result.as_dict() for result in self.results]


def plan_files(bank: Bank, names: list[str], stories: list[Story], settings: BankSettings, force: bool,
               now: datetime) -> ImportPlan:
    """Plan the import of stories (each to its file name) and settings into the bank, writing nothing."""
    plan = ImportPlan(bank.root, [], {}, {}, copies_folder(bank.root, now), force)
    for name, story in zip(names, stories, strict=True):
        path = bank.root / name
        text = render_story(story)
        parse_story(text, path)  # a story the bank could not read back (a draft of megabytes) is refused here
        _plan_file(plan, ImportResult(path, "created", story), text)
    plan.results.append(_plan_settings(plan, bank, settings))
    return plan


def _plan_file(plan: ImportPlan, result: ImportResult, text: str) -> None:
    """Add one story file to the plan: created when new, else kept, or replaced when forced and different."""
    path = result.path
    if os.path.lexists(path) and not plan.force:
        result.action = "kept"
    elif os.path.lexists(path):
        before = _current_bytes(path)
        if before == text.encode("utf-8"):
            result.action = "kept"
        else:
            result.action, result.copy, result.before = "replaced", plan.copies / path.name, _story_or_none(before, path)
            plan.files[path], plan.originals[path] = text, before
    else:
        plan.files[path], plan.originals[path] = text, None
    plan.results.append(result)


def _plan_settings(plan: ImportPlan, bank: Bank, document: BankSettings) -> ImportResult:
    """Plan coach.yaml: the document's settings for a new bank; else the bank's, with what it lacks when forced."""
    path = bank.settings_path
    if not os.path.lexists(path):
        plan.files[path], plan.originals[path] = settings_text(document), None
        return ImportResult(path, "created")
    ours = bank.settings()  # a coach.yaml that cannot be read stops the import with its reason
    text = read_text(path, keep_bom=True, limit=SETTINGS_LIMIT, what="coach.yaml")
    written = load_yaml(text.removeprefix(BOM)) or {}
    generic = find_company("generic", bank.root)
    merge = merge_settings(written, ours, document, plan.force, generic.values if generic else None)
    if not (merge.added and merge.applied):
        return ImportResult(path, "kept", settings=merge)
    new = yamledit.splice_text(text, ours.model_dump(mode="json"), merge.settings.model_dump(mode="json"))
    if BankSettings.model_validate(load_yaml(new.removeprefix(BOM)) or {}) != merge.settings:
        new = settings_text(merge.settings)  # a shape of YAML the splice cannot follow: coach's own layout
    before = _current_bytes(path)
    plan.files[path], plan.originals[path] = new, before
    return ImportResult(path, "merged", copy=plan.copies / path.name, settings=merge)


def apply_import(plan: ImportPlan) -> ImportPlan:
    """Write what the plan says, keeping a copy of each file replaced; refuse if the bank changed since the plan.

    When the document adds nothing and replaces nothing it is refused as already in the bank, unless forced.
    """
    kept = [result.path.name for result in plan.results if result.story is not None and result.action == "kept"]
    if kept and not plan.force and not any(result.action == "created" for result in plan.results if result.story):
        raise StoryExists(f"{plan.root} already has {', '.join(kept)}; nothing was imported; pass --force to replace "
                          f"them (coach keeps a copy of each in {plan.root / REPLACED})")
    root_existed = plan.root.exists()
    with ExitStack() as stack:
        for path in sorted(plan.files):
            stack.enter_context(locked(path))
        for path, before in plan.originals.items():
            if _current_bytes(path) != before:
                raise CoachError(f"{path}: changed while coach was importing; nothing was imported; run the import again")
        try:
            write_keeping_copies(plan.files, plan.originals, plan.copies)
        except BaseException:
            if not root_existed:
                with suppress(OSError):
                    plan.root.rmdir()  # a bank folder this import made, left empty by its failure
            raise
    return plan


def _current_bytes(path: Path) -> bytes | None:
    """Return a file's bytes as they are now (None when there is none); a folder or a FIFO is refused, never read."""
    if not os.path.lexists(path):
        return None
    target = writable_target(path)
    return target.read_bytes()


def _story_or_none(data: bytes | None, path: Path) -> Story | None:
    try:
        return parse_story((data or b"").decode("utf-8-sig"), path)
    except (CoachError, UnicodeDecodeError):
        return None
