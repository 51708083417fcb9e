"""A first run that reads as a result, and reports that say it plainly: the sample bank's closing paragraph, the
call log's story and re-asks, and plurals as words."""

from __future__ import annotations

import json
import shutil
import sqlite3
from pathlib import Path

import httpx

from coach.cli import app
from tests.llm_fixtures import completion, refinement

ROOT = Path(__file__).resolve().parent.parent


def sample_bank(tmp_path: Path) -> Path:
    """Copy the bundled sample bank into tmp_path/stories, as `coach check` in the repository reads it."""
    shutil.copytree(ROOT / "stories", tmp_path / "stories", ignore=shutil.ignore_patterns(".coach"))
    return tmp_path / "stories"


def test_check_on_the_sample_bank_says_what_the_findings_are_and_what_next(runner, tmp_path):
    sample_bank(tmp_path)
    result = runner.invoke(app, ["check"])
    assert result.exit_code == 1  # an error is left: scripts still see it
    tail = result.stdout.split("4 stories checked: ", 1)[1]
    prose = " ".join(tail.split())
    assert "This is coach's sample bank" in tail and "known problems" in tail
    for kind in ("error", "warning", "info"):
        assert f"\n  {kind} " in tail
    assert "`coach show conflict`" in prose and "`coach refine conflict`" in prose and "coach init --company NAME" in prose


def test_the_sample_paragraph_is_only_for_the_whole_sample_bank(runner, tmp_path, bank):
    own = runner.invoke(app, ["check"])  # the same four stories imported into a bank of one's own
    assert own.exit_code == 1 and "sample bank" not in own.stdout
    sample = sample_bank(tmp_path / "copy")
    one = runner.invoke(app, ["check", "team", "--stories", str(sample)])
    assert "sample bank" not in one.stdout
    as_json = runner.invoke(app, ["check", "--json", "--stories", str(sample)])
    assert as_json.exit_code == 1 and isinstance(json.loads(as_json.stdout), list)


def test_the_sample_bank_is_told_by_its_readme_mark_only(tmp_path):
    from coach.bank.sample import SAMPLE_MARK, is_sample_bank

    assert is_sample_bank(sample_bank(tmp_path))
    (tmp_path / "own").mkdir()
    assert not is_sample_bank(tmp_path / "own")
    (tmp_path / "own" / "README.md").write_text("# my bank\n" + SAMPLE_MARK + "\n")
    assert not is_sample_bank(tmp_path / "own")
    (tmp_path / "own" / "README.md").write_bytes(b"\xff\xfe")
    assert not is_sample_bank(tmp_path / "own")


def test_refine_all_logs_each_call_with_its_story(runner, bank, endpoint, monkeypatch):
    monkeypatch.setenv("COLUMNS", "100")
    endpoint.respond(200, json=completion(refinement()))
    assert runner.invoke(app, ["refine", "risk", "team"]).exit_code in (0, 1)
    calls = json.loads(runner.invoke(app, ["log", "--json"]).stdout)
    assert sorted(call["story"] for call in calls) == ["risk", "team"]
    shown = runner.invoke(app, ["log"]).stdout
    assert "  refine risk  " in shown and "  refine team  " in shown


def test_a_single_refine_is_logged_with_its_story_too(runner, bank, endpoint):
    endpoint.respond(200, json=completion(refinement()))
    assert runner.invoke(app, ["refine", "risk"]).exit_code == 0
    assert json.loads(runner.invoke(app, ["log", "--json"]).stdout)[0]["story"] == "risk"


def test_log_show_of_an_ok_call_in_two_tries_keeps_why_the_first_was_sent_back(runner, bank, endpoint):
    endpoint.side_effect = [
        httpx.Response(200, json=completion(refinement(refined="Too short."))),
        httpx.Response(200, json=completion(refinement())),
    ]
    assert runner.invoke(app, ["refine", "risk"]).exit_code == 0
    listed = runner.invoke(app, ["log"]).stdout
    assert "ok (2 tries)" in listed
    call = json.loads(runner.invoke(app, ["log", "--show", "1", "--json"]).stdout)
    assert call["outcome"] == "ok" and call["attempts"] == 2 and call["reasons"] == []
    assert len(call["reasks"]) == 1 and any("words" in reason for reason in call["reasks"][0])
    shown = runner.invoke(app, ["log", "--show", "1"]).stdout
    assert "call 1: refine of risk with test-model" in shown
    assert "answer 1 was sent back because:" in shown and "2 requests," in shown


def test_a_log_an_older_coach_wrote_stays_readable(runner, tmp_path):
    folder = tmp_path / "stories" / ".coach"
    folder.mkdir(parents=True)
    db = sqlite3.connect(folder / "coach.db")
    db.execute("CREATE TABLE calls (id INTEGER PRIMARY KEY, at TEXT NOT NULL, command TEXT NOT NULL, model TEXT NOT "
               "NULL, host TEXT NOT NULL, prompt_hash TEXT NOT NULL, tokens_in INTEGER NOT NULL DEFAULT 0, tokens_out "
               "INTEGER NOT NULL DEFAULT 0, latency_ms INTEGER NOT NULL DEFAULT 0, attempts INTEGER NOT NULL DEFAULT "
               "0, outcome TEXT NOT NULL, detail TEXT NOT NULL DEFAULT '')")
    db.execute("INSERT INTO calls (at, command, model, host, prompt_hash, tokens_in, tokens_out, latency_ms, attempts,"
               " outcome) VALUES ('2026-11-01T09:00:00', 'refine', 'old-model', 'llm.test', 'ab', 10, 5, 900, 1, 'ok')")
    db.commit()
    db.close()
    listed = runner.invoke(app, ["log"])
    assert listed.exit_code == 0, listed.output
    assert "  refine   old-model  10/5" in listed.stdout
    call = json.loads(runner.invoke(app, ["log", "--show", "1", "--json"]).stdout)
    assert call["story"] == "" and call["reasks"] == [] and call["reasons"] == []
    columns = {row[1] for row in sqlite3.connect(folder / "coach.db").execute("PRAGMA table_info(calls)")}
    assert {"story", "reasks", "content", "reasons"} <= columns


def test_counts_are_words_never_an_s_in_brackets():
    from coach.display.calls import requests

    assert requests(1) == "1 request" and requests(2) == "2 requests"
    offenders = [f"{path.relative_to(ROOT)}:{n}" for path in sorted((ROOT / "coach").rglob("*.py"))
                 if "web" not in path.parts and path.name not in ("check.py", "folder.py")  # not this part's files
                 for n, line in enumerate(path.read_text().splitlines(), 1) if "(s)" in line and '"' in line
                 and "for s in" not in line]
    assert offenders == []


def test_a_server_that_is_not_running_is_said_down_as_fast_as_the_readme_says(runner, bank, monkeypatch):
    import socket
    import time

    from coach.llm.retries import UNREACHABLE_WAIT

    readme = " ".join((ROOT / "README.md").read_text().split())
    assert "retried once, half a second later, so a server that is not running is said to be down about 0.6" in readme
    assert UNREACHABLE_WAIT == 0.5
    with socket.socket() as probe:  # a port on this machine that nothing listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    monkeypatch.setenv("OPENAI_BASE_URL", f"http://127.0.0.1:{port}/v1")
    monkeypatch.setenv("COACH_MODEL", "test-model")
    runner.invoke(app, ["refine", "risk", "--show-prompt"])  # the command's own imports, outside the timing
    started = time.monotonic()
    result = runner.invoke(app, ["refine", "risk"])
    took = time.monotonic() - started
    assert result.exit_code == 1 and "could not connect to" in result.stderr
    assert 0.5 <= took < 3, took  # the half-second wait, then the refusal; the rest is loading the bank and client
