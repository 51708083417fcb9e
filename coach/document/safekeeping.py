"""What an import into an existing bank keeps: the settings the user set in coach.yaml, and a byte-exact copy of
every file it replaces, in a dated folder of the bank's `replaced/`."""

from __future__ import annotations

import os
import stat
from contextlib import suppress
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from coach.bank.folder import write_all, write_atomic
from coach.bank.settings import BankSettings

REPLACED = "replaced"  # the bank's folder of replaced files: one folder per import, named by its date and time
SETTING_WORDS = {"company": "company", "role": "role", "values": "values", "target_seconds": "target window",
                 "words_per_minute": "speaking rate"}
EMPTY = (None, "", [], {})


@dataclass
class SettingsMerge:
    """What coach.yaml says after an import: the bank's settings, plus those it lacked, taken from the document."""

    settings: BankSettings
    document: BankSettings
    added: list[str] = field(default_factory=list)  # keys the bank lacked, the document's when applied
    unused: list[str] = field(default_factory=list)  # keys where the document says otherwise and the bank's stay
    applied: bool = True  # False: coach.yaml stays as it is, and `added` is what --force would add

    def kept(self) -> list[str]:
        """Return the keys whose document value was not used: those that differ, and unless applied, those lacking."""
        return self.unused if self.applied else self.unused + self.added


def merge_settings(written: dict, bank: BankSettings, document: BankSettings, fill: bool,
                   generic_values: list | None = None) -> SettingsMerge:
    """Keep every setting coach.yaml has; when fill, take from the document what it lacks (absent or empty).

    Without fill nothing changes, and `added` says what filling would take.

    A company is lacking when it is absent, empty or the generic profile's; a company's values come with it, so
    the document's values are taken only for the bank's own company or with the document's company, replacing
    values that are the generic profile's unchanged.
    """
    def lacking(key: str) -> bool:
        return written.get(key) in EMPTY

    new_company = lacking("company") or bank.company.casefold() == "generic"
    same_company = new_company or bank.company.casefold() == document.company.casefold()
    untouched = bank.values == (generic_values or []) and bank.company.casefold() == "generic"
    take = {"company": new_company, "values": same_company and (lacking("values") or untouched),
            **{key: lacking(key) for key in ("role", "target_seconds", "words_per_minute")}}
    merged, default = bank.model_copy(deep=True), BankSettings()
    result = SettingsMerge(merged, document, applied=fill)
    for key in SETTING_WORDS:
        theirs = getattr(document, key)
        if theirs == getattr(bank, key) or theirs in EMPTY:
            continue
        if take[key]:
            setattr(merged, key, theirs if fill else getattr(bank, key))
            result.added.append(key)
        elif theirs != getattr(default, key):  # a default the document never stated is no word against the bank's
            result.unused.append(key)
    return result


def copies_folder(root: Path, now: datetime) -> Path:
    """Return the folder that will keep this import's replaced files: `replaced/2026-12-01-225700`, never one in use."""
    base = root / REPLACED / now.strftime("%Y-%m-%d-%H%M%S")
    folder, number = base, 2
    while os.path.lexists(folder):
        folder, number = base.with_name(f"{base.name}-{number}"), number + 1
    return folder


def write_keeping_copies(files: dict[Path, str], originals: dict[Path, bytes | None], folder: Path) -> dict[Path, Path]:
    """Copy every file about to be replaced into folder, byte for byte, then write all the files or none.

    The copies are written first, so a run killed at any point loses nothing. After a failure every file is put
    back as it was; the copies are then removed, unless a file could not be put back, when they are all it has.
    """
    copies = {path: folder / path.name for path, before in originals.items() if before is not None}
    made = not folder.parent.exists()
    try:
        for path, copy in copies.items():
            write_atomic(copy, originals[path] or b"")
            with suppress(OSError):
                os.chmod(copy, stat.S_IMODE(path.stat().st_mode))  # as readable as the file it keeps
        write_all(files)
    except BaseException:
        if all(_reads_as(path, originals.get(path)) for path in files):
            _remove(list(copies.values()), folder, folder.parent if made else None)
        raise
    return copies


def _reads_as(path: Path, before: bytes | None) -> bool:
    try:
        return path.read_bytes() == before
    except FileNotFoundError:
        return before is None
    except OSError:
        return False


def _remove(copies: list[Path], *folders: Path | None) -> None:
    for copy in copies:
        with suppress(OSError):
            copy.unlink()
    for folder in folders:
        if folder is not None:
            with suppress(OSError):
                folder.rmdir()  # only when empty
