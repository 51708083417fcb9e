"""`coach notes`: a story's coaching notes by number with who wrote each; marking them done or removing them keeps
them under `## History`, changes nothing else in the file, and an unknown number changes nothing at all."""

from __future__ import annotations

import json
from datetime import datetime

import pytest

from coach.bank.folder import Bank, load_story
from coach.bank.models import text_sha
from coach.cli import Terminal, app, make_app

AT = datetime(2026, 12, 1, 23, 5)
CONFIRM = 'Confirm or cut: "We cut costs by half." (not found in your material)'
COACHS = "Name the alert that the first report caught"
MINE = "Mention the ROI slide"
EDITED = "Say who presented the report, and when"  # coach wrote "Say who presented the report"
STORY = f"""---
title: The Risk Story   # mine
type: risk
refined_by: test-model
coach_wrote:
  coaching_notes: [{text_sha(COACHS)}, {text_sha("Say who presented the report")}]
---

## Draft

I created the first report myself.

## Coaching Notes

<!-- Dana's notes after Friday -->

- {COACHS}
- {MINE}
- {EDITED}
- {CONFIRM}

## History
"""


@pytest.fixture
def story(tmp_path):
    Bank(tmp_path / "stories").root.mkdir()
    path = tmp_path / "stories" / "risk.md"
    path.write_text(STORY)
    return path


def run(runner, *args):
    return runner.invoke(make_app(Terminal(now=lambda: AT)), ["notes", *args])


def test_notes_lists_each_note_by_number_with_who_wrote_it(runner, story):
    result = run(runner, "risk")
    assert result.exit_code == 0, result.output
    assert result.stdout == (
        "risk: The Risk Story · 4 coaching notes\n\n"
        f"  1. {COACHS}\n     coach (test-model)\n\n"
        "  2. Mention the ROI slide\n     yours\n\n"
        f"  3. {EDITED}\n     yours\n\n"
        f"  4. {CONFIRM}\n     coach\n"
    )
    assert story.read_text() == STORY


def test_notes_json_lists_the_notes(runner, story):
    data = json.loads(run(runner, "risk", "--json").stdout)
    assert data["story"] == "risk" and data["action"] == "list" and data["changed"] == []
    assert [(n["number"], n["yours"], n["by"]) for n in data["notes"]] == [
        (1, False, "test-model"), (2, True, ""), (3, True, ""), (4, False, "")]


def test_done_moves_a_note_to_history_and_changes_nothing_else(runner, story):
    result = run(runner, "risk", "--done", "1")
    assert result.exit_code == 0, result.output
    assert f'Marked done 1: "{COACHS}" (kept under ## History)' in " ".join(result.stdout.split())
    assert story.read_text() == STORY.replace(  # the last fingerprint gone, the key goes
        f"coach_wrote:\n  coaching_notes: [{text_sha(COACHS)}, {text_sha('Say who presented the report')}]\n", ""
    ).replace(f"- {COACHS}\n", "").replace(
        "## History\n", f"## History\n\n### 2026-12-01 23:05 · llm:test-model · done coaching note\n\n{COACHS}\n")


def test_remove_takes_several_notes_and_keeps_the_users_words_whole(runner, story):
    result = run(runner, "risk", "--remove", "2", "--remove", "4", "--json")
    assert result.exit_code == 0, result.output
    assert [n["number"] for n in json.loads(result.stdout)["changed"]] == [2, 4]
    after = load_story(story)
    assert after.coaching_notes == [COACHS, EDITED]
    assert [(e.source, e.subject, e.text) for e in after.history] == [
        ("hand", "removed coaching note", "Mention the ROI slide"), ("coach", "removed coaching note", CONFIRM)]
    assert "<!-- Dana's notes after Friday -->\n\n- Name the alert" in story.read_text()  # the user's comment stays


@pytest.mark.parametrize("args, message", [
    (["--done", "5"], "Error: risk has no coaching note 5 (it has notes 1 to 4); `coach notes risk` lists them"),
    (["--remove", "0"], "Error: risk has no coaching note 0 (it has notes 1 to 4); `coach notes risk` lists them"),
    (["--done", "1", "--remove", "2"], "Error: --done and --remove do different things; use one at a time"),
    (["--done", "1", "--done", "9"], "Error: risk has no coaching note 9 (it has notes 1 to 4); `coach notes risk` lists them"),
])
def test_a_failed_notes_command_leaves_the_file_byte_for_byte(runner, story, args, message):
    before = story.read_bytes()
    result = run(runner, "risk", *args)
    assert result.exit_code == 2 and result.stderr.strip() == message
    assert story.read_bytes() == before


def test_a_note_deleted_by_hand_takes_its_fingerprint_with_it(runner, story):
    story.write_text(STORY.replace(f"- {COACHS}\n", ""))
    assert [n["yours"] for n in json.loads(run(runner, "risk", "--json").stdout)["notes"]] == [True, True, False]
    assert load_story(story).coach_wrote.coaching_notes == []


def test_notes_after_a_refine_are_coachs_and_done_ones_do_not_come_back_as_yours(runner, bank, endpoint):
    from tests.llm_fixtures import completion, refinement

    endpoint.respond(200, json=completion(refinement()))
    assert runner.invoke(app, ["refine", "risk"]).exit_code == 0
    listed = runner.invoke(app, ["notes", "risk"]).stdout
    assert "  1. Name the alert that the first report caught\n     coach (test-model)\n" in listed
    assert runner.invoke(app, ["notes", "risk", "--done", "1"]).exit_code == 0
    story = load_story(bank.root / "risk.md")
    assert story.coaching_notes == [] and story.history[-1].subject == "done coaching note"


def test_a_fingerprint_left_keeps_its_line_as_written(runner, story):
    said = "Say who presented the report"
    story.write_text(STORY.replace(f"- {EDITED}\n", f"- {said}\n"))
    assert run(runner, "risk", "--done", "1").exit_code == 0
    text = story.read_text()
    assert f"refined_by: test-model\ncoach_wrote:\n  coaching_notes: [{text_sha(said)}]\n---\n" in text
    assert text.startswith("---\ntitle: The Risk Story   # mine\n")
