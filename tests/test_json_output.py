"""`--json` on every command that reports: stable snake_case keys, the same facts the people's view shows."""

from __future__ import annotations

import json
import re

import pytest

from coach.cli import app
from tests.conftest import SAMPLE
from tests.llm_fixtures import completion, refinement

SNAKE = re.compile(r"^[a-z][a-z0-9_]*$")


def run(runner, *args):
    return runner.invoke(app, [str(a) for a in args])


def data_of(runner, *args):
    result = run(runner, *args)
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def keys(data) -> set[str]:
    """Return every key of a JSON document, nested ones included."""
    if isinstance(data, dict):
        return set(data) | {k for value in data.values() for k in keys(value)}
    if isinstance(data, list):
        return {k for item in data for k in keys(item)}
    return set()


def test_init_json_is_the_written_settings(runner, tmp_path):
    data = data_of(runner, "init", "--company", "netflix", "--role", "Media Algorithms", "--json")
    assert data["file"] == "stories/coach.yaml"
    assert data["company"] == "Netflix" and data["role"] == "Media Algorithms"
    assert data["values"][0] == {"name": "Judgment", "meaning": data["values"][0]["meaning"]}
    assert data["target_seconds"] == [45, 60] and data["words_per_minute"] == 150
    assert all(SNAKE.match(key) for key in keys(data))


def test_new_json_names_the_file_and_its_questions(runner, bank):
    data = data_of(runner, "new", "failure", "--title", "Outage 2024", "--json")
    assert data == {"file": "stories/outage-2024.md", "story": "outage-2024", "title": "Outage 2024", "type": "failure",
                    "values": ["Integrity", "Resilience"], "questions": data["questions"]}
    assert data["questions"] > 5 and (bank.root / "outage-2024.md").exists()


def test_import_json_lists_every_file_written(runner, tmp_path):
    rows = data_of(runner, "import", SAMPLE, "--json")
    assert [row["file"] for row in rows] == [f"stories/{n}" for n in ("risk.md", "conflict.md", "learning.md", "team.md", "coach.yaml")]
    assert rows[0] == {"file": "stories/risk.md", "kind": "story", "action": "created", "story": "risk", "title": "The Risk Story",
                       "type": "risk", "questions": 15, "answered": 15, "refined_words": 143, "follow_ups": 0,
                       "copy": None, "settings_added": None, "settings_kept": None}
    assert rows[-1] == {"file": "stories/coach.yaml", "kind": "settings", "action": "created", "story": None, "title": None,
                        "type": None, "questions": None, "answered": None, "refined_words": None, "follow_ups": None,
                        "copy": None, "settings_added": None, "settings_kept": None}
    again = data_of(runner, "import", SAMPLE, "--force", "--json")  # the same document again: nothing to replace
    assert {row["action"] for row in again} == {"kept"}


def test_import_error_is_one_stderr_line_and_no_json(runner, bank):
    result = run(runner, "import", SAMPLE, "--json")
    assert result.exit_code == 2 and result.stdout == ""
    assert result.stderr.startswith("Error: stories already has risk.md") and len(result.stderr.splitlines()) == 1


def test_export_json_reports_the_file_written(runner, bank, tmp_path):
    out = tmp_path / "bank.md"
    data = data_of(runner, "export", "--out", out, "--json")
    assert data == {"file": str(out), "stories": ["conflict", "learning", "risk", "team"], "bytes": len(out.read_bytes())}


def test_export_json_without_out_is_refused(runner, bank):
    result = run(runner, "export", "--json")
    assert result.exit_code == 2
    assert result.output.strip() == "Error: --json reports the file --out writes; add --out FILE (the document itself is Markdown)"


def test_log_json_is_an_empty_list_before_any_call(runner, bank):
    assert data_of(runner, "log", "--json") == []


@pytest.fixture
def refined(runner, bank, endpoint):
    """The risk story refined once through the mocked endpoint; returns that run's result."""
    endpoint.respond(200, json=completion(refinement()))
    original = (bank.root / "risk.md").read_bytes()
    result = run(runner, "refine", "risk", "--json")
    (bank.root / "risk.md").write_bytes(original)  # the same story again: the same prompt, answered from the cache
    return result


def test_refine_json_says_what_was_refined(refined):
    assert refined.exit_code == 0, refined.output
    [story] = json.loads(refined.stdout)
    assert story["story"] == "risk" and story["refined"] is True and story["error"] is None and story["skipped"] is False
    assert (story["words"], story["seconds"], story["window"], story["words_per_minute"]) == (142, 56.8, [45, 60], 150)
    assert story["within_window"] is True and story["kept_previous"] is True
    assert story["changes"] == ["Opened on the on-call problem instead of the launch"]
    assert story["added"] == {"coaching_notes": 1, "hooks": 1, "key_words": 3, "follow_ups": 3}
    assert story["call"] == {"attempts": 1, "tokens_in": 900, "tokens_out": 300, "cached": False, "doubts": []}
    assert story["unsupported"] == []
    assert story["findings"] == [{"code": "repetition", "severity": "warning", "part": "refined",
                                  "message": '"like extra work" is used 2 times; say it once and vary the rest.'}]
    first = story["sentences"][0]
    assert first["supported"] is True and first["sources"][0] == {"quote": "Salesforce 2023", "found": True}
    assert all(SNAKE.match(key) for key in keys(story))


def test_refine_json_from_the_cache_says_so(runner, refined):
    [story] = json.loads(run(runner, "refine", "risk", "--json").stdout)
    assert story["call"]["cached"] is True


def test_refine_all_json_lists_failures_with_their_error_and_exits_1(runner, bank, endpoint):
    endpoint.respond(200, json=completion(refinement()))
    result = run(runner, "refine", "--all", "--json")
    assert result.exit_code == 1
    stories = {story["story"]: story for story in json.loads(result.stdout)}
    assert stories["risk"]["refined"] is True
    assert stories["team"]["refined"] is False and stories["team"]["words"] is None
    assert stories["team"]["error"].startswith("the model gave the same rejected answer twice")
    assert [line.split(":")[0] for line in result.stderr.splitlines() if "not refined" in line] == ["conflict", "learning", "team"]


def test_refine_json_failure_of_one_story_is_one_stderr_line(runner, bank, endpoint):
    endpoint.respond(401, json={"error": {"message": "bad key"}})
    before = (bank.root / "risk.md").read_bytes()
    result = run(runner, "refine", "risk", "--json")
    assert result.exit_code == 1 and result.stdout == ""
    assert result.stderr.strip() == "Error: llm.test rejected the API key (401); check OPENAI_API_KEY"
    assert (bank.root / "risk.md").read_bytes() == before


def test_refine_show_prompt_with_json_is_refused(runner, bank):
    result = run(runner, "refine", "risk", "--show-prompt", "--json")
    assert result.exit_code == 2 and result.output.strip() == "Error: --show-prompt prints the prompt as text; leave out --json"


def test_log_json_lists_calls_and_shows_one_in_full(runner, refined):
    [call] = data_of(runner, "log", "--json")
    assert list(call) == ["id", "at", "command", "story", "model", "host", "prompt_hash", "tokens_in", "tokens_out",
                          "latency_ms", "attempts", "outcome"]
    assert (call["command"], call["model"], call["tokens_in"], call["outcome"]) == ("refine", "test-model", 900, "ok")
    full = data_of(runner, "log", "--show", call["id"], "--json")
    assert {key: full[key] for key in call} == call
    assert {"detail", "reasks", "reasons", "content"} <= set(full) and full["reasons"] == full["reasks"] == []


def test_log_show_unknown_id_with_json_is_one_line(runner, bank):
    result = run(runner, "log", "--show", 7, "--json")
    assert result.exit_code == 2 and result.stdout == ""
    assert result.stderr.strip() == "Error: no call 7 in the log; `coach log` lists the calls with their ids"


@pytest.mark.parametrize("command", [["check", "risk"], ["status"], ["followups", "team"], ["sessions"]])
def test_the_json_commands_that_need_no_model_print_json(runner, bank, command):
    result = run(runner, *command, "--json")
    assert result.exit_code in (0, 1), result.output  # check exits 1 when a story has an error
    assert isinstance(json.loads(result.stdout), dict | list)
