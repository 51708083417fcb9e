"""The command line: exact output for the happy paths, one clear line and exit 2 for bad input."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

from coach.cli import app
from tests.conftest import AMAZON, SAMPLE, snapshot


def run(runner, *args):
    return runner.invoke(app, [str(a) for a in args])


def test_import_prints_summary_and_writes_stories(runner, tmp_path):
    result = run(runner, "import", SAMPLE)
    assert result.exit_code == 0, result.output
    assert "risk.md      The Risk Story      risk      15/15     143" in result.output
    assert "Imported 4 stories into stories." in result.output
    assert sorted(p.name for p in (tmp_path / "stories").iterdir()) == ["coach.yaml", "conflict.md", "learning.md", "risk.md", "team.md"]


def test_import_twice_refuses_without_force(runner, bank):
    before = snapshot(bank.root)
    result = run(runner, "import", SAMPLE)
    assert result.exit_code == 2
    assert result.output.strip().splitlines() == [
        "Error: stories already has risk.md, conflict.md, learning.md, team.md; nothing was imported; pass --force to "
        "replace them (coach keeps a copy of each in stories/replaced)"
    ]
    assert snapshot(bank.root) == before


def test_stories_option_and_env_choose_the_bank(runner, tmp_path, monkeypatch):
    assert run(runner, "import", AMAZON, "--stories", tmp_path / "amz").exit_code == 0
    monkeypatch.setenv("COACH_STORIES", str(tmp_path / "amz"))
    result = run(runner, "status")
    assert result.output.startswith("Amazon story bank · target 60-90s · 140 wpm")


def test_check_reports_real_problems_of_the_sample(runner, bank):
    result = run(runner, "check")
    assert result.exit_code == 1
    output = " ".join(result.output.split())
    # the sample's refined versions are the user's own words: an unsupported figure there is theirs to verify
    assert 'warning unsupported-number: "30%" in your refined version is nowhere in your draft or extraction' in output
    assert "error too-long: 66.8s at 150 wpm is over the 45-60s target; cut about 17 words." in output
    assert 'warning repetition [draft]: "well oiled machine" is used 2 times' in output
    assert "\n           draft or extraction answers; if true, add it to an extraction answer" in result.output  # hanging indent
    assert max(len(line) for line in result.output.splitlines()) <= 80
    assert result.output.rstrip().endswith("4 stories checked: 1 error, 18 warnings.")


def test_check_one_story_by_slug_json(runner, bank):
    result = run(runner, "check", "risk", "--json")
    assert result.exit_code == 0
    [report] = json.loads(result.output)
    assert report["slug"] == "risk" and report["target"] == [45, 60]
    assert report["parts"][0] == {"part": "refined", "words": 143, "seconds": 57.2}
    assert {f["code"] for f in report["findings"]} == {"repetition"}


def test_check_by_path(runner, bank):
    assert run(runner, "check", bank.root / "learning.md").exit_code == 0


def test_status_board_and_value_gaps(runner, bank):
    result = run(runner, "status")
    assert result.exit_code == 0
    lines = result.output.splitlines()
    assert "risk The Risk Story ✓ ✓ ✓ ___s - 0/5 ☐" in [" ".join(line.split()) for line in lines]
    assert max(len(line) for line in lines) <= 80
    assert any(line.startswith("Integrity") and line.endswith("gap: no story") for line in lines)
    assert lines[-1] == "2 of 13 values have no story yet."


def test_status_json(runner, bank):
    data = json.loads(run(runner, "status", "--json").output)
    assert data["company"] == "Netflix"
    assert data["values"]["Courage"] == ["conflict", "risk"]
    assert data["stories"][0]["analyzed"] is True


def test_export_to_file_and_back(runner, bank, tmp_path):
    out = tmp_path / "bank.md"
    assert run(runner, "export", "--out", out).exit_code == 0
    assert out.read_text().splitlines()[:2] == [
        "<!-- Exported by coach from a story bank; coach import reads it back. -->",
        "# 4 Power Stories for Netflix Interview",
    ]
    assert run(runner, "import", out, "--stories", tmp_path / "again").exit_code == 0
    for name in ("risk.md", "team.md", "coach.yaml"):
        assert (tmp_path / "again" / name).read_text() == (bank.root / name).read_text()


def test_new_story_from_type_for_the_bank_company(runner, bank):
    result = run(runner, "new", "failure")
    assert result.exit_code == 0
    text = (bank.root / "failure.md").read_text()
    assert "values: [Integrity, Resilience]" in text
    assert "### Netflix Connection" in text
    assert '#### How does owning this failure show "Integrity" as Netflix means it?' in text
    assert run(runner, "new", "failure").exit_code == 2
    assert run(runner, "new", "failure", "--title", "Outage 2024").exit_code == 0
    assert (bank.root / "outage-2024.md").exists()


def test_new_risk_story_reproduces_the_sample_questions(runner, tmp_path):
    assert run(runner, "init", "--company", "netflix", "--role", "Media Algorithms").exit_code == 0
    assert run(runner, "new", "risk").exit_code == 0
    text = (tmp_path / "stories" / "risk.md").read_text()
    assert '#### How does this story show you\'re ready for "Uncomfortably Exciting" challenges at Netflix?' in text
    assert "#### What specific aspect connects to the Media Algorithms role?" in text


@pytest.mark.parametrize(
    "args, message",
    [
        (["new", "heroic"], "Error: unknown story type 'heroic'; choose one of: ambiguity, conflict, customer, failure, general, leadership, learning, risk, team"),
        (["init", "--company", "initech"], "Error: stories/coach.yaml already exists; edit it, or pass --force to replace it"),
        (["init", "--company", "initech", "--force"], "Error: coach has no profile of initech; pass its values with --values "
         '"Name: meaning; Name: meaning", describe it in stories/companies/initech.yaml, or pick a built-in profile '
         "(`coach companies` lists them)"),
        (["check", "nosuch"], "Error: no story 'nosuch' in stories (stories: conflict, learning, risk, team); run `coach status` to list them"),
        (["check", "missing.md"], "Error: missing.md: no such story file; check the path"),
        (["import", "missing.md"], "Error: missing.md: no such file; check the path"),
    ],
)
def test_bad_input_is_one_line_and_exit_2(runner, bank, args, message):
    before = snapshot(bank.root)
    result = run(runner, *args)
    assert result.exit_code == 2
    assert result.output.strip() == message
    assert snapshot(bank.root) == before


def test_malformed_story_file_is_skipped_named_with_its_line(runner, bank):
    (bank.root / "risk.md").write_text("---\ntitle: [oops\n---\n")
    result = run(runner, "status")
    assert result.exit_code == 3
    assert "Skipped stories/risk.md:2: malformed front matter" in result.output
    assert "conflict" in result.output and "The Risk Story" not in result.output


@pytest.mark.parametrize("content", [b"", b"   \n", b"\x00\x01binary"])
def test_empty_or_binary_document_is_refused(runner, tmp_path, content):
    doc = tmp_path / "doc.md"
    doc.write_bytes(content)
    result = run(runner, "import", doc)
    assert result.exit_code == 2
    assert result.output.startswith(f"Error: {doc}: is ")
    assert not (tmp_path / "stories").exists()


def test_document_without_stories_exits_2(runner, tmp_path):
    doc = tmp_path / "notes.md"
    doc.write_text("# Notes\n\nnothing here\n")
    result = run(runner, "import", doc)
    assert result.exit_code == 2 and "holds no stories" in result.output


def test_missing_bank_says_what_to_do(runner):
    result = run(runner, "status")
    assert result.exit_code == 2
    assert result.output.strip() == ("Error: stories: no story bank here; start one with `coach init --company NAME`, "
                                     "then `coach new TYPE` or `coach import DOC`, or pass --stories DIR")


def test_every_command_has_help_and_is_in_the_readme(runner):
    readme = (Path(__file__).parent.parent / "README.md").read_text()
    for command in app.registered_commands:
        name = command.name
        result = run(runner, name, "--help")
        assert result.exit_code == 0 and (command.callback.__doc__ or "").strip()
        assert f"coach {name}" in readme, f"README does not document `coach {name}`"


@pytest.mark.parametrize(
    "command",
    [["status"], ["check"], ["export"], ["import", str(SAMPLE), "--force"], ["--help"], ["log"], ["refine", "risk", "--show-prompt"], ["practice", "risk", "--history"], ["sessions"],
     ["followups", "team"], ["analyze", "team", "--show-prompt"], ["plan", "--date", "2099-01-01"],
     ["questions", "--round", "peer"], ["prompts"], ["prompts", "show", "refine"]],
)
def test_offline_commands_never_import_openai(bank, command):
    script = (
        "import sys\nfrom coach.cli import app\n"
        f"try:\n    app({command!r} + ([] if {command!r} == ['--help'] else ['--stories', {str(bank.root)!r}]))\n"
        "except SystemExit:\n    pass\n"
        "assert 'openai' not in sys.modules, 'openai was imported'\n"
    )
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr


def test_colour_only_when_asked_for_a_terminal_and_never_with_no_color(runner, bank, monkeypatch):
    plain = run(runner, "check", "risk").output
    assert "\x1b[" not in plain  # CliRunner's output is a pipe: no escape codes
    monkeypatch.setenv("FORCE_COLOR", "1")
    coloured = run(runner, "check", "risk").output
    assert "\x1b[33mwarning\x1b[0m" in coloured and "\x1b[32mwithin target\x1b[0m" in coloured
    assert re.sub(r"\x1b\[[0-9;]*m", "", coloured) == plain  # colour adds codes, never changes the text
    monkeypatch.setenv("NO_COLOR", "1")
    assert run(runner, "check", "risk").output == plain


def test_a_users_words_are_not_coloured_as_coach_marks():
    import io

    from coach.display.terminal import paint

    out = io.StringIO()
    paint('  refined: We had an error in the warning system: "error budget" over target', out)
    assert "\x1b[" not in out.getvalue()
    out = io.StringIO()
    paint("  error    too-long: cut 17 words", out)
    assert "\x1b[1;31merror\x1b[0m" in out.getvalue()


@pytest.mark.parametrize("columns", [80, 100])
def test_offline_reports_fit_the_terminal(runner, bank, monkeypatch, columns):
    monkeypatch.setenv("COLUMNS", str(columns))
    for args in (["status"], ["check"], ["followups", "team"], ["import", "--help"], ["check", "--help"]):
        lines = run(runner, *args).output.splitlines()
        assert max(len(line) for line in lines) <= columns, args


def test_a_bank_for_no_company_in_particular_is_not_called_generic(runner, tmp_path):
    assert run(runner, "init").exit_code == 0
    assert run(runner, "status").output.startswith("Story bank · target 45-60s · 150 wpm")


def test_log_refuses_a_limit_below_one(runner, bank):
    result = run(runner, "log", "-n", "0")
    assert result.exit_code == 2 and "--limit takes how many calls to list, 1 or more, not 0" in result.output


def test_an_empty_bank_says_what_to_do_next(runner):
    assert run(runner, "init").exit_code == 0
    assert "No stories yet: `coach import DOC` imports a power-stories document" in " ".join(run(runner, "status").output.split())


def test_the_spinner_line_is_cut_at_a_word_with_an_ellipsis():
    from coach.display.terminal import fitted

    line = "⠧ refining with smollm2 at 127.0.0.1:8089 · risk · 4s · re-asking (5 problems: refined has 0 words"
    assert fitted(line, 79) == "⠧ refining with smollm2 at 127.0.0.1:8089 · risk · 4s · re-asking (5…"
    assert fitted("short", 79) == "short"


def test_a_word_diff_is_red_and_green_on_a_terminal():
    import io

    from coach.display.terminal import paint

    out = io.StringIO()
    paint("  At [-Salesforce in-] {+Amazon in+} 2023", out)
    assert "\x1b[31m[-Salesforce in-]\x1b[0m \x1b[32m{+Amazon in+}\x1b[0m" in out.getvalue()


def test_a_command_run_from_inside_the_bank_says_how_to_reach_it(runner, bank, monkeypatch):
    monkeypatch.chdir(bank.root)
    result = runner.invoke(app, ["status"])
    assert result.exit_code == 2
    assert result.output.strip() == ("Error: stories: no story bank here, but this folder holds a coach.yaml: run "
                                     "coach from the folder above it, or pass --stories .")
    assert runner.invoke(app, ["status", "--stories", "."]).exit_code == 0


def test_new_and_init_from_inside_the_bank_start_no_bank_inside_it(runner, bank, monkeypatch):
    monkeypatch.chdir(bank.root)
    for args in (["new", "risk", "--title", "second"], ["init", "--company", "Stripe"]):
        result = runner.invoke(app, args)
        assert result.exit_code == 2 and "run coach from the folder above it, or pass --stories ." in result.output
    assert not (bank.root / "stories").exists()


def test_new_without_a_bank_names_the_stories_folder_in_every_command_it_suggests(runner, tmp_path):
    result = runner.invoke(app, ["new", "risk", "--stories", "elsewhere"])
    assert result.exit_code == 2
    assert result.output.strip() == ("Error: elsewhere: no story bank here; start with `coach init --company NAME "
                                     "--stories elsewhere` (the company you are preparing for; `coach init --stories "
                                     "elsewhere` alone for none in particular), then `coach new risk --stories "
                                     "elsewhere`")
