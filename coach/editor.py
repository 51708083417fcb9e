"""`coach edit`: open a story file in the user's editor, then check what they saved.

Coach writes nothing here: the editor saves the file, and a file the edit left unreadable stays as it was left.
"""

from __future__ import annotations

import os
import shlex
import subprocess
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path

from coach.bank.folder import Bank
from coach.errors import CoachError, StoryFormatError
from coach.method.check import StoryReport, check_bank

EDITOR_VARIABLES = ("VISUAL", "EDITOR")  # the order every Unix tool reads them in


@dataclass
class Edited:
    """A story after the editor closed: whether its bytes changed, and what `coach check` says now."""

    path: Path
    changed: bool
    report: StoryReport


def editor_command(environ: Mapping[str, str] | None = None, windows: bool | None = None) -> tuple[list[str], str]:
    """Return the editor to run as a list of words, and where it came from ($VISUAL, $EDITOR, or the default)."""
    environ = os.environ if environ is None else environ
    windows = os.name == "nt" if windows is None else windows
    for name in EDITOR_VARIABLES:
        value = environ.get(name, "").strip()
        if not value:
            continue
        try:
            words = shlex.split(value, posix=not windows)
        except ValueError:
            raise CoachError(f"${name} ({value}) has an unclosed quote; set it to an editor command, "
                             "like EDITOR=\"code --wait\"") from None
        return [word.strip('"') for word in words] if windows else words, f"${name}"
    return ["notepad" if windows else "vi"], "the default editor"


def open_in_editor(path: Path, command: list[str], source: str, run: Callable = subprocess.run) -> None:
    """Run the editor on path and wait for it to close, or say in one sentence why it could not edit the file."""
    try:
        done = run([*command, str(path)])
    except OSError as error:
        reason = "was not found" if isinstance(error, FileNotFoundError) else f"could not start ({error.strerror or error})"
        raise CoachError(f"the editor '{command[0]}' ({source}) {reason}; set $VISUAL or $EDITOR to an editor "
                         "on your PATH, like EDITOR=nano or EDITOR=\"code --wait\"") from None
    if done.returncode != 0:
        raise CoachError(f"the editor '{command[0]}' ({source}) exited with status {done.returncode}, so nothing was "
                         f"checked; {path} is as the editor left it")


def edit(bank: Bank, ref: str, run: Callable = subprocess.run, environ: Mapping[str, str] | None = None) -> Edited:
    """Open a story in the editor, wait, and check the story as saved; a file left unreadable is named by its line."""
    path = bank.resolve(ref)  # by slug or path, a story whose front matter is broken can still be opened to fix it
    before = path.read_bytes()
    command, source = editor_command(environ)
    open_in_editor(path, command, source, run)
    try:
        changed = path.read_bytes() != before
        [report] = check_bank(bank, [str(path)])
    except FileNotFoundError:
        raise CoachError(f"{path} is gone after the edit (saved under another name?); nothing was checked") from None
    except StoryFormatError as error:
        again = path.stem if path.parent == bank.root else path
        raise CoachError(f"{error}, so coach cannot read the story; the file is as you left it, and "
                         f"`coach edit {again}` opens it again to fix it") from None
    return Edited(path, changed, report)


CHANGED_ON_DISK = ("the file changed on disk since this page loaded it (an editor or another tab); nothing was saved: "
                   "copy your text, reload, and apply it again")


class EditConflict(CoachError):
    """The story file is not the one the text was loaded from: saving would overwrite someone's edit."""


@dataclass
class Loaded:
    """A story file's text as it is on disk, for editing elsewhere (a page), with the fingerprint of its bytes."""

    path: Path
    text: str
    fingerprint: str


def fingerprint(data: bytes) -> str:
    """Return the fingerprint of a file's bytes (sha256): what a save checks the file still has."""
    import hashlib

    return hashlib.sha256(data).hexdigest()


def load_text(bank: Bank, ref: str) -> Loaded:
    """Return a story file's text as on disk (without a byte-order mark) and the fingerprint of its bytes."""
    from coach.bank.folder import read_text
    from coach.bank.listing import BOM

    path = bank.resolve(ref)
    data = path.read_bytes()
    return Loaded(path, read_text(path, keep_bom=True).removeprefix(BOM), fingerprint(data))


def save_text(bank: Bank, ref: str, text: str, loaded_fingerprint: str) -> Edited:
    """Save a story file's whole text, edited elsewhere, and check it as saved.

    Under the bank's lock: refused when the file's bytes no longer have the fingerprint they were loaded with (an
    editor or another page saved meanwhile: never overwritten), refused when the text does not read as a story; in
    both cases the file is left byte-for-byte as it was. The file keeps its line endings and byte-order mark.
    """
    from coach.bank.folder import locked, write_atomic
    from coach.bank.listing import BOM
    from coach.bank.storyfile import parse_story

    path = bank.resolve(ref)
    with locked(path):
        before = path.read_bytes()
        if fingerprint(before) != loaded_fingerprint:
            raise EditConflict(CHANGED_ON_DISK)
        text = as_on_disk(text, before)
        try:
            parse_story(text.removeprefix(BOM), path)
        except StoryFormatError as error:
            raise CoachError(f"{str(error).rstrip('.')}; nothing was saved: fix that line in the text and save "
                             "again") from None
        changed = text.encode("utf-8") != before
        if changed:
            write_atomic(path, text)
    [report] = check_bank(bank, [str(path)])
    return Edited(path, changed, report)


def as_on_disk(text: str, before: bytes) -> str:
    """Return edited text with the file's own line endings and byte-order mark (a browser sends CRLF)."""
    from coach.bank.listing import BOM

    text = text.replace("\r\n", "\n").replace("\r", "\n").removeprefix(BOM)
    if b"\r\n" in before:
        text = text.replace("\n", "\r\n")
    return (BOM + text) if before.startswith(BOM.encode("utf-8")) else text

