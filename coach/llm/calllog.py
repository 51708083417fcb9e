"""The bank's SQLite record of model calls, the response cache, and the output mode each endpoint accepts.

SQLite rather than JSON lines: `coach log` sums tokens with one query, the cache needs keyed look-ups,
and concurrent `refine --all` workers can write without interleaving lines. The API key is never stored, nor the
credentials of a URL, and a server's words are stored with anything key-like masked (`redact.mask`).
"""

from __future__ import annotations

import json
import os
import shutil
import sqlite3
import stat
import sys
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from coach.errors import CoachError, file_system_message
from coach.llm.redact import mask, without_credentials

SCHEMA = """
CREATE TABLE IF NOT EXISTS calls (
    id INTEGER PRIMARY KEY,
    at TEXT NOT NULL,
    command TEXT NOT NULL,
    model TEXT NOT NULL,
    host TEXT NOT NULL,
    prompt_hash TEXT NOT NULL,
    tokens_in INTEGER NOT NULL DEFAULT 0,
    tokens_out INTEGER NOT NULL DEFAULT 0,
    latency_ms INTEGER NOT NULL DEFAULT 0,
    attempts INTEGER NOT NULL DEFAULT 0,
    outcome TEXT NOT NULL,
    detail TEXT NOT NULL DEFAULT '',
    content TEXT NOT NULL DEFAULT '',
    reasons TEXT NOT NULL DEFAULT '',
    story TEXT NOT NULL DEFAULT '',
    reasks TEXT NOT NULL DEFAULT '',
    prompt TEXT NOT NULL DEFAULT ''
);
CREATE TABLE IF NOT EXISTS cache (key TEXT PRIMARY KEY, content TEXT NOT NULL, created TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS shapes (url TEXT NOT NULL, model TEXT NOT NULL, shape TEXT NOT NULL, PRIMARY KEY (url, model));
"""
OK, CACHED, FAILED = "ok", "cache", "failed checks"  # how a call ended
KEPT_WITH_DOUBTS, CACHED_WITH_DOUBTS = "kept with doubts", "cache, with doubts"  # an answer kept, doubts and all
ANSWERED = (OK, CACHED, KEPT_WITH_DOUBTS, CACHED_WITH_DOUBTS)  # the calls whose answer a command went on to use
ADDED_COLUMNS = {"content": "TEXT NOT NULL DEFAULT ''", "reasons": "TEXT NOT NULL DEFAULT ''",  # in logs of older coaches
                 "story": "TEXT NOT NULL DEFAULT ''", "reasks": "TEXT NOT NULL DEFAULT ''",
                 "prompt": "TEXT NOT NULL DEFAULT ''"}


@dataclass
class CallRecord:
    """One model call as the log keeps it."""

    command: str
    model: str
    host: str
    prompt_hash: str
    tokens_in: int = 0
    tokens_out: int = 0
    latency_ms: int = 0
    attempts: int = 0
    outcome: str = "ok"
    detail: str = ""
    at: str = ""
    content: str = ""  # the last answer of a rejected call, kept for `coach log --show`
    reasons: list[str] = field(default_factory=list)
    id: int | None = None
    story: str = ""  # the story the call was for ("" for an interview's line, or a call an older coach logged)
    reasks: list[list[str]] = field(default_factory=list)  # why each answer that was sent back was, in order
    prompt: str = ""  # the bank's own template the call was rendered from ("" for coach's own)

    def as_dict(self, full: bool = False) -> dict:
        """Return the call as plain data for JSON output; full adds its detail, the reasons of every re-ask, the
        rejection reasons or doubts of its last answer, and that answer."""
        keys = ["id", "at", "command", "story", "model", "host", "prompt_hash", "tokens_in", "tokens_out",
                "latency_ms", "attempts", "outcome", *(["prompt", "detail", "reasks", "reasons", "content"] if full else [])]
        return {key: getattr(self, key) for key in keys}


def _warn(message: str) -> None:
    print(f"Warning: {message}", file=sys.stderr)


LOCK_WAIT = 2.0  # seconds to wait for another process holding the log before going on without it
BUSY, LOCKED, CORRUPT, FULL, NOT_A_DATABASE = 5, 6, 11, 13, 26  # SQLite's primary result codes
DISK_ROOM = 1 << 20  # bytes free under which a full log is the disk's fault, not the log's
SIDECARS = ("-journal", "-wal", "-shm")  # a journal left by a crash would be played into the new log: it goes too


class CallLog:
    """The call log, cache and endpoint modes of one bank, in `.coach/coach.db`.

    It is a log and a cache, never a reason to stop or to lose an answer: a log that is not a readable database,
    has corrupt pages, or is full while the disk has room, is set aside (renamed, with a warning) and a new one
    started, once a run; one that another process holds locked for more than LOCK_WAIT seconds, or that cannot be
    used at all (a full disk, a read-only folder), is left alone and the run goes on without it, said once. Only
    `coach log`, which reads nothing else, stops at such a log. So it writes without waiting for the disk
    (`synchronous = OFF`). The log and its folder are readable by the user only (0600, 0700): the cache restates
    the user's stories.
    """

    def __init__(self, path: Path, warn: Callable[[str], None] = _warn):
        self.path = path
        self.warn = warn
        self._lock = threading.Lock()
        self._db: sqlite3.Connection | None = None
        self._set_aside = False
        self.unusable: str | None = None  # why this run goes on without the log
        self._said = False

    @classmethod
    def for_bank(cls, root: Path, warn: Callable[[str], None] = _warn) -> CallLog:
        """Return the call log kept inside a bank folder; `warn` says what went wrong with it (once)."""
        return cls(root / ".coach" / "coach.db", warn)

    def _connect(self) -> sqlite3.Connection:
        if self._db is None:
            self._prepare()
            self._db = self._open()
        return self._db

    def _prepare(self) -> None:
        """Make the log's folder and file readable by the user only, before SQLite creates either."""
        folder = self.path.parent
        folder.mkdir(mode=0o700, parents=True, exist_ok=True)
        _private(folder, 0o700)
        try:
            os.close(os.open(self.path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))  # an empty file is an empty log
        except FileExistsError:
            _private(self.path, 0o600)  # a log an older coach made under the umask

    def _open(self) -> sqlite3.Connection:
        db = sqlite3.connect(self.path, timeout=LOCK_WAIT, check_same_thread=False, isolation_level=None)
        try:
            # no fsync per write (two or three a call, 10-20 ms each): a crash of the program loses nothing, and a log
            # that a power cut leaves unreadable is set aside like any other (`_failed`)
            db.execute("PRAGMA synchronous = OFF")
            db.executescript(SCHEMA)
            present = {row[1] for row in db.execute("PRAGMA table_info(calls)")}
            for name, kind in ADDED_COLUMNS.items():  # a log written by an older coach
                if name not in present:
                    db.execute(f"ALTER TABLE calls ADD COLUMN {name} {kind}")
        except sqlite3.Error:
            db.close()
            raise
        return db

    def _use(self, action: Callable[[sqlite3.Connection], object], needed: bool = False):
        """Run one action on the log; on a failure of the log set it aside and try once more, or go on without it.

        Returns None when the log cannot be used; `needed` (`coach log`, which only reads it) says why instead.
        """
        with self._lock:
            while self.unusable is None:
                try:
                    return action(self._connect())
                except (sqlite3.Error, OSError) as error:
                    self._failed(error)
            if needed:
                raise CoachError(f"{self.path}: {self.unusable}; run the command again once that is fixed")
            if not self._said:
                self._said = True
                self.warn(f"{self.path}: {self.unusable}; going on without the call log, so this run's calls are "
                          "neither logged nor cached")
            return None

    def _failed(self, error: sqlite3.Error | OSError) -> None:
        """Set aside a log that is corrupt or full (once a run), or mark it unusable for the rest of the run."""
        self._close()
        code = (getattr(error, "sqlite_errorcode", None) or 0) & 0xFF
        if code in (BUSY, LOCKED):
            self.unusable = f"another process holds the call log locked (waited {LOCK_WAIT:g}s)"
            return
        if code == FULL and _disk_full(self.path.parent):  # a new log would not fit either: keep this one
            self.unusable = f"the disk is full ({_reason(error)})"
            return
        broken = code in (CORRUPT, NOT_A_DATABASE, FULL) or (
            isinstance(error, sqlite3.DatabaseError) and not isinstance(error, sqlite3.OperationalError))
        if not broken or self._set_aside:
            self.unusable = f"cannot use the call log ({_reason(error)})"
            return
        self._set_aside = True
        aside = self.path.with_name(f"{self.path.name}.broken-{datetime.now():%Y%m%d-%H%M%S}")
        for n in range(2, 100):
            if not aside.exists():
                break
            aside = aside.with_name(f"{self.path.name}.broken-{datetime.now():%Y%m%d-%H%M%S}-{n}")
        try:
            self.path.rename(aside)
            for suffix in SIDECARS:
                sidecar = self.path.with_name(self.path.name + suffix)
                if sidecar.exists():
                    sidecar.rename(aside.with_name(aside.name + suffix))
        except OSError as failure:
            self.unusable = f"cannot set aside the call log ({_reason(error)}; {_reason(failure)})"
            return
        what = "was full" if code == FULL else "was not a readable call log"
        self.warn(f"{self.path} {what} ({_reason(error)}); set it aside as {aside.name} and started a new one")

    def _close(self) -> None:
        if self._db is not None:
            try:
                self._db.close()
            except sqlite3.Error:
                pass
            self._db = None

    def _run(self, sql: str, params: tuple = (), needed: bool = False) -> list[tuple] | None:
        return self._use(lambda db: db.execute(sql, params).fetchall(), needed)

    def record(self, call: CallRecord) -> int | None:
        """Append one call to the log and return its id (None when the run goes on without the log)."""
        call.at = call.at or datetime.now().isoformat(timespec="seconds")
        values = (call.command, call.model, without_credentials(call.host), call.prompt_hash, call.tokens_in,
                  call.tokens_out, call.latency_ms, call.attempts, call.outcome, mask(call.detail), call.at,
                  call.content, json.dumps([mask(reason) for reason in call.reasons]), call.story,
                  json.dumps([[mask(reason) for reason in reasons] for reasons in call.reasks]), call.prompt)
        sql = f"INSERT INTO calls ({', '.join(COLUMNS)}) VALUES ({', '.join('?' * len(COLUMNS))})"
        return self._use(lambda db: int(db.execute(sql, values).lastrowid))

    def recent(self, limit: int = 20) -> list[CallRecord]:
        """Return the most recent calls, newest last."""
        if not self.path.exists():
            return []
        rows = self._run(f"SELECT {', '.join(COLUMNS)}, id FROM calls ORDER BY id DESC LIMIT ?", (limit,), needed=True)
        return [_call(row) for row in reversed(rows or [])]

    def call(self, call_id: int) -> CallRecord | None:
        """Return one call by its id, with the answer it kept, or None."""
        if not self.path.exists():
            return None
        rows = self._run(f"SELECT {', '.join(COLUMNS)}, id FROM calls WHERE id = ?", (call_id,), needed=True)
        return _call(rows[0]) if rows else None

    def answers(self, command: str, limit: int = 200) -> list[tuple[int, str]]:
        """Return the id and answer of the latest calls of a command that ended with an answer used, newest first; a
        call an older coach logged without its answer is read from the cache under its prompt hash."""
        if not self.path.exists():
            return []
        marks = ", ".join("?" * len(ANSWERED))  # a key is lowercase hex: "g" sorts after every key its hash starts
        sql = ("SELECT calls.id, CASE WHEN calls.content != '' THEN calls.content ELSE (SELECT cache.content FROM "
               "cache WHERE cache.key >= calls.prompt_hash AND cache.key < calls.prompt_hash || 'g' LIMIT 1) END "
               f"FROM calls WHERE calls.command = ? AND calls.outcome IN ({marks}) ORDER BY calls.id DESC LIMIT ?")
        rows = self._run(sql, (command, *ANSWERED, limit)) or []
        return [(call_id, content) for call_id, content in rows if content]

    def cached(self, key: str) -> str | None:
        """Return the cached response content for a request key, if any."""
        rows = self._run("SELECT content FROM cache WHERE key = ?", (key,))
        return rows[0][0] if rows else None

    def store(self, key: str, content: str) -> None:
        """Cache a validated response under its request key."""
        now = datetime.now().isoformat(timespec="seconds")
        self._run("INSERT OR REPLACE INTO cache (key, content, created) VALUES (?, ?, ?)", (key, content, now))

    def shape(self, url: str, model: str) -> str | None:
        """Return the request shape this endpoint and model accepted before (JSON), if any."""
        rows = self._run("SELECT shape FROM shapes WHERE url = ? AND model = ?", (without_credentials(url), model))
        return rows[0][0] if rows else None

    def remember_shape(self, url: str, model: str, shape: str) -> None:
        """Remember the request shape this endpoint and model accept (the URL without its credentials)."""
        self._run("INSERT OR REPLACE INTO shapes (url, model, shape) VALUES (?, ?, ?)",
                  (without_credentials(url), model, shape))


def _private(path: Path, mode: int) -> None:
    """Take the group's and others' permissions off the log's folder or file (where the system allows); anything
    else standing there (a folder where the file should be) is left as it is, for SQLite to refuse."""
    try:
        status = path.lstat()
        kind = stat.S_ISDIR if mode & 0o100 else stat.S_ISREG
        if kind(status.st_mode) and status.st_mode & 0o077:
            os.chmod(path, mode)
    except OSError:
        pass


def _disk_full(folder: Path) -> bool:
    """Return True when the disk holding folder has no room left (under a megabyte available)."""
    try:
        return shutil.disk_usage(folder).free < DISK_ROOM
    except OSError:
        return False


def _reason(error: BaseException) -> str:
    if isinstance(error, OSError):
        return file_system_message(error)
    return str(error) or type(error).__name__


COLUMNS = ("command", "model", "host", "prompt_hash", "tokens_in", "tokens_out", "latency_ms", "attempts", "outcome",
           "detail", "at", "content", "reasons", "story", "reasks", "prompt")
UNREADABLE = "(the reasons kept for this call cannot be read)"


def _listed(text: str) -> list:
    """Read a JSON list the log kept; anything else is said to be unreadable rather than stopping `coach log`."""
    try:
        found = json.loads(text or "[]")
    except (ValueError, RecursionError):
        return [UNREADABLE]
    return found if isinstance(found, list) else [str(found)]


def _call(row: tuple) -> CallRecord:
    *fields, reasons, story, reasks, prompt, call_id = row
    asked = [[str(reason) for reason in item] if isinstance(item, list) else [str(item)] for item in _listed(reasks)]
    call = CallRecord(*fields, reasons=_listed(reasons), id=call_id, story=str(story or ""), reasks=asked,
                      prompt=str(prompt or ""))
    call.host, call.detail = without_credentials(str(call.host)), mask(str(call.detail))  # a row an older coach wrote
    return call
