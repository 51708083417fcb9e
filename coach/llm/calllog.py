"""The bank's SQLite record of model calls, the response cache, and the output mode each endpoint accepts.

SQLite rather than JSON lines: `coach log` sums tokens with one query, the cache needs keyed look-ups,
and concurrent `refine --all` workers can write without interleaving lines. The API key is never stored.
"""

from __future__ import annotations

import sqlite3
import threading
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

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
    detail TEXT NOT NULL DEFAULT ''
);
CREATE TABLE IF NOT EXISTS cache (key TEXT PRIMARY KEY, content TEXT NOT NULL, created TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS modes (url TEXT PRIMARY KEY, mode TEXT NOT NULL);
"""


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


class CallLog:
    """The call log, cache and endpoint modes of one bank, in `.coach/coach.db`."""

    def __init__(self, path: Path):
        self.path = path
        self._lock = threading.Lock()
        self._db: sqlite3.Connection | None = None

    @classmethod
    def for_bank(cls, root: Path) -> CallLog:
        """Return the call log kept inside a bank folder."""
        return cls(root / ".coach" / "coach.db")

    def _connect(self) -> sqlite3.Connection:
        if self._db is None:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            self._db = sqlite3.connect(self.path, check_same_thread=False, isolation_level=None)
            self._db.executescript(SCHEMA)
        return self._db

    def _run(self, sql: str, params: tuple = ()) -> list[tuple]:
        with self._lock:
            return self._connect().execute(sql, params).fetchall()

    def record(self, call: CallRecord) -> None:
        """Append one call to the log."""
        call.at = call.at or datetime.now().isoformat(timespec="seconds")
        self._run(
            "INSERT INTO calls (at, command, model, host, prompt_hash, tokens_in, tokens_out, latency_ms, attempts, outcome, detail)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (call.at, call.command, call.model, call.host, call.prompt_hash, call.tokens_in, call.tokens_out,
             call.latency_ms, call.attempts, call.outcome, call.detail),
        )

    def recent(self, limit: int = 20) -> list[CallRecord]:
        """Return the most recent calls, newest last."""
        if not self.path.exists():
            return []
        rows = self._run(
            "SELECT command, model, host, prompt_hash, tokens_in, tokens_out, latency_ms, attempts, outcome, detail, at"
            " FROM calls ORDER BY id DESC LIMIT ?",
            (limit,),
        )
        return [CallRecord(*row) for row in reversed(rows)]

    def cached(self, key: str) -> str | None:
        """Return the cached response content for a request key, if any."""
        rows = self._run("SELECT content FROM cache WHERE key = ?", (key,))
        return rows[0][0] if rows else None

    def store(self, key: str, content: str) -> None:
        """Cache a validated response under its request key."""
        now = datetime.now().isoformat(timespec="seconds")
        self._run("INSERT OR REPLACE INTO cache (key, content, created) VALUES (?, ?, ?)", (key, content, now))

    def mode(self, url: str) -> str | None:
        """Return the structured-output mode that worked for this endpoint before."""
        rows = self._run("SELECT mode FROM modes WHERE url = ?", (url,))
        return rows[0][0] if rows else None

    def remember_mode(self, url: str, mode: str) -> None:
        """Remember which structured-output mode this endpoint accepts."""
        self._run("INSERT OR REPLACE INTO modes (url, mode) VALUES (?, ?)", (url, mode))
