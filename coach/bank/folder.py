"""The story bank: a folder of story files plus `coach.yaml`, found, read and written atomically."""

from __future__ import annotations

import os
import re
import secrets
import stat
import time
import unicodedata
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from pathlib import Path
from typing import TypeVar

import yaml
from pydantic import ValidationError

from coach.bank import yamledit
from coach.bank.bounded import SETTINGS_LIMIT, STORY_LIMIT, RefusedYAML, load_yaml, read_bytes, require_regular
from coach.bank.edit import splice
from coach.bank.listing import BOM, OPEN_FLAGS, SKIPPED_FILES, is_regular
from coach.bank.listing import exported as _exported
from coach.bank.models import Story
from coach.bank.settings import BankSettings
from coach.bank.storyfile import parse_story, render_story
from coach.errors import CoachError, StoryExists, StoryFormatError, StoryNotFound, file_system_message

try:
    import fcntl
except ImportError:  # Windows: no advisory locks; concurrent commands there can still lose a take
    fcntl = None  # type: ignore[assignment]

T = TypeVar("T")
SETTINGS_FILE = "coach.yaml"
TEMP_SUFFIX = ".tmp"
TEMP_NAME = re.compile(r"[0-9a-f]{8}\.tmp")  # what follows `.NAME.` in the name of a temporary file of NAME
STALE_TEMP = 300  # seconds: a temporary file this old belongs to a write that will never finish


def default_bank_dir() -> Path:
    """Return the bank folder: $COACH_STORIES if set, else ./stories."""
    return Path(os.environ.get("COACH_STORIES") or "stories")


def write_atomic(path: Path, text: str | bytes, *, private: bool = False) -> None:
    """Write path via a temporary file and a rename, so a reader never sees half a file.

    A symlink is followed and its target written, when that target exists; a link to nothing is refused, so that
    no write lands where the link points. The file keeps its permissions; a new file gets the umask's, or, when
    `private` (a file coach keeps for itself, like a transcript), is readable by its owner only. Temporary files
    that a killed run left beside the file are removed. An error names the file, never the temporary one.
    """
    target = writable_target(path)
    if not os.path.islink(path):
        Path(path).parent.mkdir(parents=True, exist_ok=True)
    mode = stat.S_IMODE(target.stat().st_mode) if target.exists() else None
    _remove_stale_temps(target)
    temp = target.parent / f".{target.name}.{secrets.token_hex(4)}{TEMP_SUFFIX}"
    try:
        # the umask applies, as for any new file; a private file starts (and stays) its owner's only
        fd = os.open(temp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600 if private and mode is None else 0o666)
        with os.fdopen(fd, "wb") as handle:
            handle.write(text.encode("utf-8") if isinstance(text, str) else text)
            handle.flush()
            os.fsync(handle.fileno())
        if mode is not None:
            os.chmod(temp, mode)
            _keep_owner(temp, target)
        os.replace(temp, target)
    except BaseException as error:
        with suppress(OSError):
            os.unlink(temp)
        if isinstance(error, OSError):
            _name_the_file(error, path, temp, target)
        raise


def _name_the_file(error: OSError, path: Path, temp: Path, target: Path) -> None:
    """Make an error name the file the user knows: not coach's temporary file, and not nothing (a full disk)."""
    ours = {os.fspath(temp), os.fspath(target)}
    if error.filename is None or os.fspath(error.filename) in ours:
        error.filename = str(path)
    if error.filename2 is not None and os.fspath(error.filename2) in ours:
        error.filename2 = None


def _remove_stale_temps(target: Path) -> None:
    """Remove the temporary files of earlier writes of target that never finished (a kill, a crash, a power cut).

    Only coach's own names for this file (`.NAME.XXXXXXXX.tmp`) are touched, and only when older than STALE_TEMP
    seconds: a younger one may be another command's write in progress.
    """
    prefix, now = f".{target.name}.", time.time()
    with suppress(OSError), os.scandir(target.parent) as entries:
        for entry in entries:
            if not (entry.name.startswith(prefix) and TEMP_NAME.fullmatch(entry.name[len(prefix):])):
                continue
            with suppress(OSError):
                info = entry.stat(follow_symlinks=False)
                if stat.S_ISREG(info.st_mode) and now - info.st_mtime > STALE_TEMP:
                    os.unlink(entry.path)


def _keep_owner(temp: Path, target: Path) -> None:
    """Give the new file the old one's owner when coach may (run as root, a story stays its user's)."""
    if not hasattr(os, "chown"):
        return
    owner = target.stat()
    if (owner.st_uid, owner.st_gid) != (os.getuid(), os.getgid()):
        with suppress(PermissionError):
            os.chown(temp, owner.st_uid, owner.st_gid)


def writable_target(path: Path) -> Path:
    """Return the file a write to path replaces (a symlink's target), refusing anything but a regular file.

    A link is followed only to a file that exists: a dangling link could point anywhere, outside the bank too.
    """
    target = Path(os.path.realpath(path))
    if target.is_dir():
        raise CoachError(f"{path}: is a folder, not a file; name a file (for example {Path(path) / 'stories.md'})")
    if os.path.islink(path) and not target.exists():
        raise CoachError(f"{path}: is a link to {os.readlink(path)}, which does not exist; coach writes through a link "
                         "only to a file that exists, so remove the link or create the file it points to")
    if target.exists() and not target.is_file():
        raise CoachError(f"{path}: is not a regular file; coach writes only regular files, so name another path")
    return target


@contextmanager
def locked(path: Path) -> Iterator[None]:
    """Hold an exclusive lock on a file while it is read, changed and written, so concurrent commands lose nothing.

    A save replaces the file with a new one, so a lock taken on the old file is retried on the new one.
    """
    while True:
        if os.path.exists(path) and not is_regular(path):
            yield  # a FIFO or a device: never opened (a FIFO's open waits for a writer), and never written
            return
        try:
            fd = os.open(path, OPEN_FLAGS)  # non-blocking: one swapped in since cannot hang the lock either
        except FileNotFoundError:
            yield  # a new file: nothing to lock yet
            return
        try:
            if fcntl is not None:
                fcntl.flock(fd, fcntl.LOCK_EX)
            if fcntl is None or os.path.samestat(os.fstat(fd), os.stat(path)):
                break
        except FileNotFoundError:
            pass
        except BaseException:
            os.close(fd)
            raise
        os.close(fd)
    try:
        yield
    finally:
        os.close(fd)  # closing releases the lock


def write_all(files: dict[Path, str]) -> None:
    """Write several files atomically; if any write fails, put back every file as it was."""
    for path in files:
        writable_target(path)  # a folder, a FIFO or a dangling link among them: refused before anything is written
    originals = {path: path.read_bytes() if path.exists() else None for path in files}
    try:
        for path, text in files.items():
            write_atomic(path, text)
    except BaseException:
        for path, original in originals.items():
            if original is None:
                path.unlink(missing_ok=True)
            else:
                write_atomic(path, original)
        raise


def read_text(path: Path, *, keep_bom: bool = False, limit: int = STORY_LIMIT, what: str = "a story file") -> str:
    """Read a UTF-8 text file, with a clear error for missing, empty, binary, oversized or irregular files."""
    try:
        data = read_bytes(path, limit, what)
    except FileNotFoundError:
        raise StoryNotFound(f"{path}: no such file; check the path") from None
    except IsADirectoryError:
        raise CoachError(f"{path}: is a folder, not a file") from None
    if not data.strip():
        raise StoryFormatError(path, "is empty; write something in it or remove it")
    if b"\x00" in data:
        raise StoryFormatError(path, "is a binary file, not Markdown text")
    try:
        return data.decode("utf-8" if keep_bom else "utf-8-sig")
    except UnicodeDecodeError as error:
        raise StoryFormatError(path, f"is not UTF-8 text (byte {error.start}); save it as UTF-8") from None


def settings_text(settings: BankSettings) -> str:
    """Render bank settings as the YAML text of coach.yaml."""
    data = settings.model_dump(mode="json")
    return yamledit.dump(data)


SLUG_CHARS, SLUG_BYTES = 80, 200  # file systems allow 255 bytes; CJK letters take 3 or 4 each
APOSTROPHES = "'’ʼ‘"  # "Zoë's" is one word: zoes, not zoe-s
LATIN_LETTERS = {"æ": "ae", "œ": "oe", "ø": "o", "ł": "l", "đ": "d", "ð": "d", "þ": "th", "ı": "i", "ħ": "h", "ŧ": "t"}
# names the bank skips (README.md) or Windows refuses (con, nul, com1, ...)
RESERVED_STEMS = {"readme", "con", "prn", "aux", "nul", *(f"{port}{n}" for port in ("com", "lpt") for n in range(10))}


def _ascii_or_same(char: str) -> str:
    """Return a letter's ASCII form (é → e, ﬁ → fi, Ａ → a) when it has one, else the letter itself."""
    if char in LATIN_LETTERS:
        return LATIN_LETTERS[char]
    bare = "".join(c for c in unicodedata.normalize("NFKD", char) if not unicodedata.combining(c))
    return bare.lower() if bare.isascii() else char


def _shortened(slug: str) -> str:
    """Cut a long slug at a hyphen so that it stays within SLUG_CHARS characters and SLUG_BYTES bytes."""
    cut = slug[:SLUG_CHARS]
    while len(cut.encode()) > SLUG_BYTES:
        cut = cut[:-1]
    if cut == slug or slug[len(cut)] == "-":
        return cut.strip("-")
    hyphen = cut.rfind("-")
    return cut[:hyphen] if hyphen >= len(cut) // 2 else cut  # a word cut in two beats losing half the title


def slugify(text: str, fallback: str = "story") -> str:
    """Turn a title into a safe file name stem: its words in any script, ASCII where a letter has a form, hyphens between."""
    chars: list[str] = []
    for char in unicodedata.normalize("NFC", text.casefold()):
        if char in APOSTROPHES:
            continue
        if unicodedata.category(char).startswith("M"):  # a vowel sign or virama belongs to its letter (हिन्दी)
            if chars and not chars[-1].isascii():
                chars.append(char)
            continue
        chars += [part if part.isalnum() else " " for part in _ascii_or_same(char)]
    slug = _shortened("-".join("".join(chars).split()))
    if slug in RESERVED_STEMS:
        slug += "-story"
    return slug or fallback


class Bank:
    """A story bank folder.

    Reading the whole bank never stops at one bad file: a file that is not a story, or a story that cannot be
    read, is left out and its reason kept in `skipped`; a document coach exported into the folder is left out
    silently.
    """

    def __init__(self, root: Path):
        self.root = Path(root)
        self.skipped: dict[Path, str] = {}

    @property
    def settings_path(self) -> Path:
        """Return the path of the bank's settings file."""
        return self.root / SETTINGS_FILE

    def settings(self) -> BankSettings:
        """Read the bank settings, or the defaults when the bank has no settings file."""
        if not self.settings_path.exists():
            return BankSettings()
        try:
            data = load_yaml(read_text(self.settings_path, limit=SETTINGS_LIMIT, what="coach.yaml")) or {}
            return BankSettings.model_validate(data)
        except RefusedYAML as error:
            raise StoryFormatError(self.settings_path, str(error.problem), error.line) from None
        except yaml.YAMLError as error:
            raise StoryFormatError(self.settings_path, f"malformed YAML: {getattr(error, 'problem', error)}") from None
        except ValidationError as error:
            first = error.errors()[0]
            where = ".".join(str(p) for p in first["loc"])
            raise StoryFormatError(self.settings_path, f"{where}: {first['msg']}") from None

    def save_settings(self, settings: BankSettings) -> None:
        """Write the bank settings: only the keys that changed, comments and all else kept as written."""
        path = self.settings_path
        with locked(path):
            try:
                before = self.settings() if path.exists() else None
            except StoryFormatError:
                before = None  # a coach.yaml that cannot be read is replaced whole (`coach init --force`)
            if before is None:
                write_atomic(path, settings_text(settings))
                return
            text = yamledit.splice_text(read_text(path, keep_bom=True, limit=SETTINGS_LIMIT, what="coach.yaml"),
                                        before.model_dump(mode="json"), settings.model_dump(mode="json"))
            if BankSettings.model_validate(load_yaml(text.removeprefix(BOM)) or {}) != settings:
                text = settings_text(settings)  # a shape of YAML the splice cannot follow: coach's own layout
            write_atomic(path, text)

    def refuse_inside(self) -> None:
        """Stop a command run from inside a bank's folder (which holds a coach.yaml) that looks for a bank below it,
        before it says there is none or starts a bank inside the bank."""
        if not self.root.exists() and not self.root.is_absolute() and Path(SETTINGS_FILE).is_file():
            raise CoachError(f"{self.root}: no story bank here, but this folder holds a {SETTINGS_FILE}: run coach "
                             "from the folder above it, or pass --stories .")

    def story_paths(self) -> list[Path]:
        """Return the Markdown files of the bank, sorted by name."""
        if self.root.exists() and not self.root.is_dir():
            raise CoachError(f"{self.root}: is a file, not a folder; pass the bank's folder to --stories")
        if not self.root.is_dir():
            self.refuse_inside()
            raise CoachError(f"{self.root}: no story bank here; start one with `coach init --company NAME`, then "
                             "`coach new TYPE` or `coach import DOC`, or pass --stories DIR")
        return sorted(p for p in self.root.glob("*.md") if p.name.lower() not in SKIPPED_FILES and not p.is_dir())

    def stories(self) -> Iterator[tuple[Path, Story]]:
        """Yield every readable story of the bank with its path; the others are noted in `skipped`."""
        for path in self.story_paths():
            story = self._readable(path)
            if story is not None:
                yield path, story

    def _readable(self, path: Path) -> Story | None:
        try:
            return load_story(path)
        except CoachError as error:  # not a story, or not a file: a dangling link, a folder
            if not _exported(path):
                self.skipped[path] = str(error)
        except OSError as error:  # unreadable: permissions, a symlink loop
            self.skipped[path] = file_system_message(error)
        return None

    def select(self, refs: list[str]) -> list[tuple[Path, Story]]:
        """Load the stories named by refs, or every readable story when refs is empty."""
        if not refs:
            chosen = list(self.stories())
            if not chosen:
                unread = (f" ({len(self.skipped)} {'file' if len(self.skipped) == 1 else 'files'} could not be read)"
                          if self.skipped else "")
                start = "" if self.settings_path.exists() else "`coach init --company NAME` (the target company), then "
                raise StoryNotFound(f"{self.root} holds no stories{unread}; run {start}`coach new TYPE` or `coach import DOC`")
            return chosen
        return [(path, load_story(path)) for path in dict.fromkeys(self.resolve(ref) for ref in refs)]

    def resolve(self, ref: str) -> Path:
        """Find a story by path, file stem (slug) or story type (a stem of the bank's first: `v2.md` names the bank's
        `v2.md.md` when it has one)."""
        candidate = Path(ref)
        if os.sep not in ref and "/" not in ref and self.root.is_dir() and (self.root / f"{ref}.md").is_file():
            return self.named(ref)
        if candidate.suffix == ".md" or os.sep in ref or "/" in ref:
            if candidate.exists() and not candidate.is_dir():
                return require_regular(candidate)  # a FIFO or a device is named as one, and never opened
            raise StoryNotFound(f"{ref}: no such story file; check the path")
        return self.named(ref)

    def named(self, name: str) -> Path:
        """Find a story by the stem of its file in the bank (its slug) or its type, never by a path: how the page's
        addresses name a story, so that no file outside the bank can be reached through one."""
        paths = self.story_paths()
        by_stem = [p for p in paths if p.stem == name]
        if by_stem:
            return require_regular(by_stem[0])
        by_type = [p for p in paths if (story := self._readable(p)) is not None and story.type == name]
        if len(by_type) == 1:
            return by_type[0]
        if len(by_type) > 1:
            names = ", ".join(p.stem for p in by_type)
            raise StoryNotFound(f"'{name}' matches several stories ({names}); name one of them")
        names = ", ".join(p.stem for p in paths if p not in self.skipped and not _exported(p)) or "none"
        raise StoryNotFound(f"no story '{name}' in {self.root} (stories: {names}); run `coach status` to list them")

    def update(self, path: Path, change: Callable[[Story], T]) -> T:
        """Read the story as it is now, let change alter it, and write back only what changed, under a lock.

        A command that asked a model re-reads the file here, so that edits made while it waited are kept, and
        concurrent commands on the same story each see the other's write.
        """
        with locked(path):
            original = read_text(path, keep_bom=True)
            story = parse_story(original.removeprefix(BOM), path)
            before = story.model_copy(deep=True)
            result = change(story)
            if story != before:
                self._write(path, splice(original, before, story), story)
        return result

    def save(self, path: Path, story: Story, *, create: bool = False, force: bool = False) -> None:
        """Write a story: a new file in coach's layout, an existing one changed in place where the story changed."""
        if create and path.exists() and not force:
            raise StoryExists(f"{path} already exists; pass --force to overwrite it or choose another --title")
        if create or not path.exists():
            self._write(path, render_story(story), story)
            return
        with locked(path):
            original = read_text(path, keep_bom=True)
            self._write(path, splice(original, parse_story(original.removeprefix(BOM), path), story), story)

    def _write(self, path: Path, text: str, story: Story) -> None:
        if parse_story(text.removeprefix(BOM), path) != story:  # never write what would read back as something else
            raise CoachError(f"{path}: coach would write text that reads back differently (a line starting with # "
                             "or `> Proposed:` in an answer?); nothing was written")
        write_atomic(path, text)


def load_story(path: Path) -> Story:
    """Read and parse one story file."""
    return parse_story(read_text(path), path)

