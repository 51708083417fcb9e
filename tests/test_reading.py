"""`coach show`, `coach edit` and `coach diff` on real stories of the bundled bank, copied into the test's folder."""

from __future__ import annotations

import json
import re
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from coach.bank.folder import Bank, load_story
from coach.bank.models import HistoryEntry
from coach.cli import app
from coach.editor import editor_command
from coach.versions import word_pieces
from tests.conftest import snapshot

BUNDLED = Path(__file__).parent.parent / "stories"
WIDE = {"COLUMNS": "80"}


@pytest.fixture
def stories(tmp_path) -> Path:
    """A bank folder holding copies of the bundled bank's four stories and its coach.yaml."""
    folder = tmp_path / "stories"
    folder.mkdir()
    for name in ("coach.yaml", "risk.md", "conflict.md", "learning.md", "team.md"):
        shutil.copy(BUNDLED / name, folder / name)
    return folder


def run(runner, *args, env=None):
    # a $VISUAL of the developer's own would win over the tests' $EDITOR
    return runner.invoke(app, [str(a) for a in args], env={**WIDE, "VISUAL": None, **(env or {})})


def fits(output: str, columns: int = 80) -> bool:
    return all(len(line) <= columns for line in output.splitlines())


def shorten_refined(stories: Path, slug: str, new: str, saved: str = "2026-11-24 10:02") -> None:
    """Replace a story's refined version the way `coach refine` does: the old one goes under ## History."""
    def change(story):
        story.history.append(HistoryEntry(saved=saved, source="hand", text=story.refined))
        story.refined = new

    Bank(stories).update(stories / f"{slug}.md", change)


# coach show


def test_show_prints_the_refined_version_with_timing_and_findings(runner, stories):
    before = snapshot(stories)
    result = run(runner, "show", "risk")
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[:4] == ["risk: The Risk Story", "  type    risk",
                         "  values  Uncomfortably Exciting, Courage, Creativity", "  file    stories/risk.md"]
    assert "Refined · 143 words ≈ 57.2s at 150 wpm · within the 45-60s target" in lines
    assert "  At Salesforce in 2023, I noticed our MLOps on-call rotation was burning people" in lines
    assert "Check: 0 errors, 2 warnings" in lines
    assert '  warning  repetition: "like extra work" is used 2 times; say it once and vary' in lines
    assert "No follow-ups yet: `coach followups risk --generate 3` asks for three." in lines
    assert snapshot(stories) == before  # reading stores nothing


@pytest.mark.parametrize("slug", ["risk", "conflict", "learning", "team"])
def test_show_fits_80_columns(runner, stories, slug):
    result = run(runner, "show", slug)
    assert result.exit_code == 0 and fits(result.output), result.output


def test_show_lists_hooks_key_words_tone_and_follow_ups_by_id(runner, stories):
    lines = run(runner, "show", "conflict").output.splitlines()
    assert "  - At Salesforce, we have a value of 'disagree then commit'." in lines
    assert "Key words: disagree then commit, respectfully, feature-complete, committed" in lines
    assert any(line.startswith("Tone: Principled opening → Respectful") for line in lines)
    assert "Follow-ups (2)" in lines
    assert "  pcu  If Asked About Outcome" in lines
    assert "       Steve was promoted to principal engineer shortly after this project. …" in lines
    assert "Check: 1 error, 5 warnings" in lines


def test_show_json_has_the_documented_shape(runner, stories):
    result = run(runner, "show", "learning", "--json")
    data = json.loads(result.output)
    assert set(data) == {"story", "title", "type", "file", "values", "target", "words_per_minute", "refined", "draft",
                         "hooks", "key_words", "pacing", "tone", "follow_ups", "findings", "errors", "warnings",
                         "earlier_versions", "next"}
    assert data["refined"]["words"] == 129 and data["refined"]["seconds"] == 51.6 and data["refined"]["verdict"] == "within"
    assert [f["id"] for f in data["follow_ups"]] == load_story(stories / "learning.md").follow_up_ids()
    assert data["follow_ups"][0]["answer"].startswith("14-hour days: mornings for documentation")
    assert data["warnings"] == 5 and data["next"] is None
    assert {"code": "repetition", "severity": "warning", "part": "refined"}.items() <= data["findings"][0].items()


def test_show_without_a_refined_version_shows_the_draft_opening_and_what_to_do(runner, stories):
    Bank(stories).update(stories / "risk.md", lambda story: setattr(story, "refined", ""))
    result = run(runner, "show", "risk")
    assert result.exit_code == 0
    assert "Draft · 140 words ≈ 56s at 150 wpm (the opening)" in result.output
    assert "  As expected, after we initially launched, on my second on-call I had realized" in result.output
    assert "No refined version yet: `coach refine risk` writes one to speak in 45-60s." in result.output
    assert "Refined ·" not in result.output
    data = json.loads(run(runner, "show", "risk", "--json").output)
    assert data["refined"] is None and data["next"] == "coach refine risk"
    assert data["draft"]["opening"].endswith(" …") and len(data["draft"]["opening"].split()) == 61


def test_show_resolves_a_type_or_a_path_and_refuses_an_unknown_story(runner, stories):
    def without_file(output: str) -> str:  # a long path is cut across lines to fit the terminal
        return re.sub(r"  file    .*?\n(?=  \S)", "", output, flags=re.S)

    by_path = run(runner, "show", stories / "team.md").output
    assert without_file(run(runner, "show", "team").output) == without_file(by_path)
    assert str(stories / "team.md") in "".join(line.strip() for line in by_path.splitlines())
    result = run(runner, "show", "nope")
    assert result.exit_code == 2
    assert result.output.splitlines() == [
        "Error: no story 'nope' in stories (stories: conflict, learning, risk, team); run `coach status` to list them"]


def test_show_points_at_the_history(runner, stories):
    shorten_refined(stories, "risk", "At Salesforce in 2023, I cut on-call pain by 50% at Netflix.")
    assert "History: 1 earlier refined version; `coach diff risk` shows what changed." in run(runner, "show", "risk").output


@pytest.mark.parametrize("command", [["show", "risk"], ["show", "risk", "--json"], ["diff", "risk"]])
def test_reading_commands_import_neither_openai_nor_rich(stories, command):
    script = (
        "import sys\nfrom coach.cli import app\n"
        f"try:\n    app({command!r} + ['--stories', {str(stories)!r}])\nexcept SystemExit:\n    pass\n"
        "assert 'openai' not in sys.modules and 'rich' not in sys.modules, 'a heavy module was imported'\n"
    )
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr


# coach edit


def editor(tmp_path: Path, body: str) -> str:
    """Return an EDITOR value that runs a small Python script on the file (the last argument)."""
    script = tmp_path / "editor.py"
    script.write_text("import sys, pathlib\npath = pathlib.Path(sys.argv[-1])\nargs = sys.argv[1:-1]\n"
                      "text = path.read_text(encoding='utf-8')\n" + body)
    return f"{shlex.quote(sys.executable)} {shlex.quote(str(script))}"


def test_edit_opens_the_story_and_checks_what_was_saved(runner, stories, tmp_path):
    body = "path.write_text(text.replace('monitoring improved dramatically', 'monitoring improved'), encoding='utf-8')\n"
    result = run(runner, "edit", "risk", env={"EDITOR": editor(tmp_path, body)})
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[0] == "stories/risk.md: saved with changes."
    assert "  refined   142 words   56.8s  within target" in lines
    assert lines[-1] == "Check: 0 errors, 2 warnings."
    assert "monitoring improved." in load_story(stories / "risk.md").refined
    assert fits(result.output)


def test_edit_exits_1_when_the_story_has_errors_like_check(runner, stories, tmp_path):
    result = run(runner, "edit", "conflict", env={"EDITOR": editor(tmp_path, "pass\n")})
    assert result.exit_code == 1
    assert result.output.splitlines()[0] == "stories/conflict.md: no changes."
    assert "  error    too-long: 66.8s at 150 wpm is over the 45-60s target; cut about 17" in result.output
    assert result.output.rstrip().endswith("Check: 1 error, 5 warnings.")


def test_edit_prefers_visual_and_passes_the_editors_own_arguments(runner, stories, tmp_path):
    body = "assert args == ['--wait', 'two words'], args\n"
    visual = editor(tmp_path, body) + " --wait 'two words'"
    result = run(runner, "edit", "risk", env={"VISUAL": visual, "EDITOR": "no-such-editor"})
    assert result.exit_code == 0, result.output


def test_edit_with_an_editor_that_is_not_there_says_so(runner, stories):
    before = snapshot(stories)
    result = run(runner, "edit", "risk", env={"EDITOR": "no-such-editor --wait"})
    assert result.exit_code == 2
    assert result.output.splitlines() == [
        "Error: the editor 'no-such-editor' ($EDITOR) was not found; set $VISUAL or $EDITOR to an editor on your "
        'PATH, like EDITOR=nano or EDITOR="code --wait"']
    assert snapshot(stories) == before


def test_edit_with_an_editor_that_fails_says_so(runner, stories, tmp_path):
    result = run(runner, "edit", "risk", env={"EDITOR": editor(tmp_path, "sys.exit(3)\n")})
    assert result.exit_code == 2
    [line] = result.output.splitlines()
    assert line.startswith("Error: the editor '") and line.endswith(
        "($EDITOR) exited with status 3, so nothing was checked; stories/risk.md is as the editor left it")


def test_edit_that_breaks_the_front_matter_names_the_line_and_keeps_the_file(runner, stories, tmp_path):
    body = "path.write_text(text.replace('values: [', 'values: [[', 1), encoding='utf-8')\n"
    result = run(runner, "edit", "risk", env={"EDITOR": editor(tmp_path, body)})
    assert result.exit_code == 2
    [line] = result.output.splitlines()
    assert line.startswith("Error: stories/risk.md:4: malformed front matter: ")
    assert line.endswith("so coach cannot read the story; the file is as you left it, and `coach edit risk` opens "
                         "it again to fix it")
    assert "values: [[" in (stories / "risk.md").read_text()  # the user's text, not put back


def test_edit_opens_a_story_that_cannot_be_read_so_it_can_be_fixed(runner, stories, tmp_path):
    path = stories / "risk.md"
    path.write_text(path.read_text().replace("type: risk", "type: risk\nmood: calm"))
    body = "path.write_text(text.replace('mood: calm\\n', ''), encoding='utf-8')\n"
    result = run(runner, "edit", "risk", env={"EDITOR": editor(tmp_path, body)})
    assert result.exit_code == 0, result.output
    assert result.output.startswith("stories/risk.md: saved with changes.")


@pytest.mark.parametrize(
    ("environ", "windows", "expected"),
    [
        ({"VISUAL": "code --wait", "EDITOR": "nano"}, False, (["code", "--wait"], "$VISUAL")),
        ({"VISUAL": "  ", "EDITOR": "nano -w"}, False, (["nano", "-w"], "$EDITOR")),
        ({"EDITOR": "'/opt/my editor/ed' -x"}, False, (["/opt/my editor/ed", "-x"], "$EDITOR")),
        ({}, False, (["vi"], "the default editor")),
        ({}, True, (["notepad"], "the default editor")),
        ({"EDITOR": '"C:\\Program Files\\Ed\\ed.exe" /w'}, True, (["C:\\Program Files\\Ed\\ed.exe", "/w"], "$EDITOR")),
    ],
)
def test_editor_command(environ, windows, expected):
    assert editor_command(environ, windows) == expected


# coach diff

SHORTER = ("At Salesforce in 2023, I noticed our MLOps on-call rotation was burning people out. I created the first "
           "report myself and presented it in under 10 minutes. We reduced our tech debt backlog by 50% in one quarter.")


def test_diff_shows_the_words_changed_since_the_latest_history_entry(runner, stories):
    shorten_refined(stories, "risk", SHORTER)
    result = run(runner, "diff", "risk")
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[:2] == ["risk: The Risk Story", "Refined now against version 1 of 1 (saved 2026-11-24 10:02 · hand)"]
    assert lines[3].startswith("At Salesforce in 2023, I noticed our MLOps on-call rotation was burning people")
    assert "{+out.+}" in result.output and "[-out - critical context" in result.output
    assert lines[-1] == "143 → 38 words · 57.2s → 15.2s at 150 wpm (target 45-60s) · 3 changes"
    assert fits(result.output)


def test_diff_against_n_counts_back_from_the_latest(runner, stories):
    shorten_refined(stories, "risk", "First rewrite of the risk story.", saved="2026-11-20 09:00")
    shorten_refined(stories, "risk", "Second rewrite of the risk story.", saved="2026-11-24 10:02")
    listing = run(runner, "diff", "risk", "--list").output.splitlines()
    assert listing == ["risk: The Risk Story · 2 earlier refined versions (1 is the latest)",
                       "  1  2026-11-24 10:02 · hand · 6 words ≈ 2.4s",
                       "  2  2026-11-20 09:00 · hand · 143 words ≈ 57.2s"]
    assert "[-First-] {+Second+} rewrite of the risk story." in run(runner, "diff", "risk").output
    older = run(runner, "diff", "risk", "--against", "2")
    assert "(saved 2026-11-20 09:00 · hand)" in older.output and "{+Second rewrite of the risk story.+}" in older.output
    result = run(runner, "diff", "risk", "--against", "3")
    assert result.exit_code == 2
    assert result.output.splitlines() == [
        "Error: --against 3 is not a version of risk: it keeps 2 (1 is the latest); `coach diff risk --list` lists them"]


def test_diff_json_has_the_documented_shape(runner, stories):
    shorten_refined(stories, "risk", SHORTER)
    data = json.loads(run(runner, "diff", "risk", "--json").output)
    assert data["story"] == "risk"
    assert data["against"] == {"number": 1, "of": 1, "saved": "2026-11-24 10:02", "source": "hand"}
    assert data["before"]["words"] == 143 and data["after"] == {"text": SHORTER, "words": 38, "seconds": 15.2}
    assert data["removed"] - data["added"] == 143 - 38
    assert data["changes"][0] == {"op": "replace", "position": 13, "removed": data["changes"][0]["removed"], "added": "out."}
    assert data["changes"][0]["removed"].startswith("out - critical context")


def test_diff_without_history_is_one_sentence(runner, stories):
    before = snapshot(stories)
    result = run(runner, "diff", "risk")
    assert result.exit_code == 2
    assert result.output.splitlines() == [
        "Error: risk has no earlier refined version under ## History; `coach refine risk` keeps the version it "
        "replaces there"]
    assert snapshot(stories) == before


def test_diff_ignores_follow_up_answers_kept_in_history(runner, stories):
    def change(story):
        story.history.append(HistoryEntry(saved="2026-11-24 10:05", source="llm:m", text="Old answer.",
                                          subject="follow-up: If asked"))

    Bank(stories).update(stories / "risk.md", change)
    assert run(runner, "diff", "risk").exit_code == 2


@pytest.mark.parametrize(
    ("before", "after", "pieces"),
    [
        ("a b c", "a  b\nc", [("equal", "a b c", "a b c")]),
        ("a b c", "a x b c", [("equal", "a", "a"), ("insert", "", "x"), ("equal", "b c", "b c")]),
        ("a b c d", "a c d", [("equal", "a", "a"), ("delete", "b", ""), ("equal", "c d", "c d")]),
        ("keep one two the three four", "keep five the six", [("equal", "keep", "keep"),
                                                              ("replace", "one two the three four", "five the six")]),
    ],
)
def test_word_pieces_join_a_lone_equal_word_between_changes(before, after, pieces):
    assert word_pieces(before, after) == pieces
