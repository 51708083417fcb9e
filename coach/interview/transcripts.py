"""The transcripts in the bank's `sessions/` folder: where a new one goes, saving one as it stands, and reading the
front matter of past ones for `coach sessions`."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import yaml

from coach.bank.bounded import TRANSCRIPT_LIMIT, RefusedYAML, load_yaml, read_bytes
from coach.bank.folder import Bank, write_atomic
from coach.errors import CoachError, StoryFormatError
from coach.interview.report import transcript
from coach.interview.session import Session

SESSIONS = "sessions"


def new_session_path(bank: Bank, now: datetime) -> Path:
    """Return a new transcript path under the bank's sessions/ folder, named by the time it started."""
    folder = bank.root / SESSIONS
    stem = now.strftime("%Y-%m-%d-%H%M%S")
    path, n = folder / f"{stem}.md", 2
    while path.exists():
        path, n = folder / f"{stem}-{n}.md", n + 1
    return path


def save(session: Session) -> None:
    """Write the transcript as it stands, readable by its owner only (it holds the answers given), as is its folder."""
    try:
        session.path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        write_atomic(session.path, transcript(session), private=True)
    except OSError as error:
        raise CoachError(f"could not save the transcript to {session.path} ({error.strerror or error}); "
                         f"check that {session.path.parent} is a folder you can write to") from None


def keep(session: Session) -> str:
    """Save the transcript, or remove it when nothing was answered; say which."""
    if not session.answered:
        session.path.unlink(missing_ok=True)
        return "nothing was answered, so no transcript was kept"
    save(session)
    return f"the session so far is saved to {session.path}"


def _numbers(mapping) -> bool:
    """Return True for a missing map or one of names to numbers (what a transcript's scores are)."""
    return mapping is None or (isinstance(mapping, dict) and all(
        isinstance(v, int | float) and not isinstance(v, bool) for v in mapping.values()))


def _session_order(path: Path) -> tuple[str, int]:
    stem, _, n = path.stem.rpartition("-")
    return (stem, int(n)) if len(n) < 3 and n.isdigit() else (path.stem, 1)


def past_sessions(bank: Bank) -> tuple[list[dict], list[str]]:
    """Return the summaries of the bank's saved sessions, oldest first, and a warning per file that cannot be read."""
    folder = bank.root / SESSIONS
    rows, warnings = [], []
    for path in sorted(folder.glob("*.md"), key=_session_order) if folder.is_dir() else []:
        try:
            text = read_bytes(path, TRANSCRIPT_LIMIT, "a transcript").decode("utf-8")
            _, front, _ = text.split("---\n", 2)
            data = load_yaml(front)
            if not isinstance(data, dict) or not _numbers(data.get("scores")) or not _numbers(data.get("values")):
                raise ValueError
        except StoryFormatError as error:  # a FIFO, a device, a file too big to be a transcript
            warnings.append(f"{error}; skipped")
            continue
        except RefusedYAML as error:  # aliases that expand (a "billion laughs"), nesting past any transcript's
            warnings.append(f"{path}: {error.problem}; skipped")
            continue
        except (ValueError, OSError, UnicodeDecodeError, yaml.YAMLError):
            warnings.append(f"{path}: not a coach session transcript; skipped")
            continue
        rows.append({"file": path.name, **data})
    return rows, warnings


def group_key(row: dict) -> tuple[str, str]:
    """Return what makes two sessions comparable: the interviewer's persona and the round ("" for any round)."""
    return str(row.get("persona") or "neutral"), str(row.get("round") or "")


def session_groups(rows: list[dict]) -> list[dict]:
    """Group past sessions by persona and round (like with like), in the order each group first appears, each with
    the trend of every dimension from its first scored session to its latest: `{persona, round, sessions, trend}`."""
    from coach.interview.session import DIMENSIONS, JUDGED

    groups: dict[tuple[str, str], list[dict]] = {}
    for row in rows:
        groups.setdefault(group_key(row), []).append(row)
    out = []
    for (persona, round), members in groups.items():
        scored = [row["scores"] for row in members if set(JUDGED) & set(row.get("scores") or {})]
        trend = {}
        if len(scored) >= 2:
            first, last = scored[0], scored[-1]
            trend = {d: [first[d], last[d]] for d in DIMENSIONS if d in first and d in last}
        out.append({"persona": persona, "round": round, "sessions": members, "trend": trend})
    return out
