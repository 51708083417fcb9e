"""The bank's SQLite record of model calls, the response cache, and the output mode each endpoint accepts.

SQLite rather than JSON lines: `coach log` sums tokens with one query, the cache needs keyed look-ups,
and concurrent `refine --all` workers can write without interleaving lines. The API key is never stored.
"""

from __future__ import annotations

import json
import sqlite3
import sys
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from coach.errors import CoachError

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
    reasons TEXT NOT NULL DEFAULT ''
);
CREATE TABLE IF NOT EXISTS cache (key TEXT PRIMARY KEY, content TEXT NOT NULL, created TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS shapes (url TEXT NOT NULL, model TEXT NOT NULL, shape TEXT NOT NULL, PRIMARY KEY (url, model));
"""
ADDED_COLUMNS = {"content": "TEXT NOT NULL DEFAULT ''", "reasons": "TEXT NOT NULL DEFAULT ''"}


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

    def as_dict(self, full: bool = False) -> dict:
        """Return the call as plain data for JSON output; full adds its detail, rejection reasons and kept answer."""
        keys = ["id", "at", "command", "model", "host", "prompt_hash", "tokens_in", "tokens_out", "latency_ms",
                "attempts", "outcome", *(["detail", "reasons", "content"] if full else [])]
        return {key: getattr(self, key) for key in keys}


def _warn(message: str) -> None:
    print(f"Warning: {message}", file=sys.stderr)


class CallLog:
    """The call log, cache and endpoint modes of one bank, in `.coach/coach.db`.

    It is a log and a cache, never a reason to stop: a file that is not a readable database is set aside (renamed,
    with a warning) and a new log started. So it writes without waiting for the disk (`synchronous = OFF`).
    """

    def __init__(self, path: Path, warn: Callable[[str], None] = _warn):
        self.path = path
        self.warn = warn
        self._lock = threading.Lock()
        self._db: sqlite3.Connection | None = None

    @classmethod
    def for_bank(cls, root: Path) -> CallLog:
        """Return the call log kept inside a bank folder."""
        return cls(root / ".coach" / "coach.db")

    def _connect(self) -> sqlite3.Connection:
        if self._db is None:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            try:
                self._db = self._open()
            except sqlite3.OperationalError as error:  # locked, read-only or unopenable: not the file's fault
                raise CoachError(f"{self.path}: cannot use the call log ({error}); check the folder's permissions") from None
            except sqlite3.DatabaseError as error:
                aside = self.path.with_name(f"{self.path.name}.broken-{datetime.now():%Y%m%d-%H%M%S}")
                self.path.rename(aside)
                self.warn(f"{self.path} was not a readable call log ({error}); set it aside as {aside.name} and started a new one")
                self._db = self._open()
        return self._db

    def _open(self) -> sqlite3.Connection:
        db = sqlite3.connect(self.path, check_same_thread=False, isolation_level=None)
        try:
            # no fsync per write (two or three a call, 10-20 ms each): a crash of the program loses nothing, and a log
            # that a power cut leaves unreadable is set aside like any other (`_connect`)
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

    def _run(self, sql: str, params: tuple = ()) -> list[tuple]:
        with self._lock:
            return self._connect().execute(sql, params).fetchall()

    def record(self, call: CallRecord) -> int:
        """Append one call to the log and return its id."""
        call.at = call.at or datetime.now().isoformat(timespec="seconds")
        with self._lock:
            cursor = self._connect().execute(
                f"INSERT INTO calls ({', '.join(COLUMNS)}) VALUES ({', '.join('?' * len(COLUMNS))})",
                (call.command, call.model, call.host, call.prompt_hash, call.tokens_in, call.tokens_out, call.latency_ms,
                 call.attempts, call.outcome, call.detail, call.at, call.content, json.dumps(call.reasons)),
            )
            return int(cursor.lastrowid)

    def recent(self, limit: int = 20) -> list[CallRecord]:
        """Return the most recent calls, newest last."""
        if not self.path.exists():
            return []
        rows = self._run(f"SELECT {', '.join(COLUMNS)}, id FROM calls ORDER BY id DESC LIMIT ?", (limit,))
        return [_call(row) for row in reversed(rows)]

    def call(self, call_id: int) -> CallRecord | None:
        """Return one call by its id, with the answer it kept, or None."""
        if not self.path.exists():
            return None
        rows = self._run(f"SELECT {', '.join(COLUMNS)}, id FROM calls WHERE id = ?", (call_id,))
        return _call(rows[0]) if rows else None

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
        rows = self._run("SELECT shape FROM shapes WHERE url = ? AND model = ?", (url, model))
        return rows[0][0] if rows else None

    def remember_shape(self, url: str, model: str, shape: str) -> None:
        """Remember the request shape this endpoint and model accept."""
        self._run("INSERT OR REPLACE INTO shapes (url, model, shape) VALUES (?, ?, ?)", (url, model, shape))


COLUMNS = ("command", "model", "host", "prompt_hash", "tokens_in", "tokens_out", "latency_ms", "attempts", "outcome",
           "detail", "at", "content", "reasons")


def _call(row: tuple) -> CallRecord:
    *fields, reasons, call_id = row
    return CallRecord(*fields, reasons=json.loads(reasons or "[]"), id=call_id)
