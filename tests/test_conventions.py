"""Command-line conventions: --version, shell completion, plain --help labels, and a README that names every option."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest
import typer.main

import coach
from coach.bank.listing import story_slugs
from coach.cli import app
from coach.cli.options import complete_story as _complete_story

README = (Path(__file__).parent.parent / "README.md").read_text()
GROUP = typer.main.get_command(app)
COMMANDS = sorted(name for name, command in GROUP.commands.items() if not command.hidden)
# What typer or click would print where coach means a plain label: a Python type, braces, doubled brackets
ODD_LABELS = re.compile(r"<\w+(\[\w+\])?>|\{[A-Z]+\}|\[\[|\]\.\.\.\]|\b(TEXT|INTEGER|FLOAT|BOOLEAN|PATH)\b")


def options(command) -> list:
    """Return a command's documented options: visible ones, without --help."""
    return [p for p in command.params if p.param_type_name == "option" and not p.hidden and "--help" not in p.opts]


def long_names(param) -> list[str]:
    return [name for name in param.opts + param.secondary_opts if name.startswith("--")]


def test_version_prints_the_package_version(runner):
    result = runner.invoke(app, ["--version"])
    assert result.exit_code == 0
    assert result.output == f"coach {coach.__version__}\n"


def test_version_is_the_installed_distribution_version():
    from importlib.metadata import version

    assert version("coach") == coach.__version__  # pyproject reads it from coach/__init__.py


def test_a_command_does_not_import_importlib_metadata_for_the_version(tmp_path):
    script = ("import sys\nfrom coach.cli import app\ntry:\n    app(['--version'])\nexcept SystemExit:\n    pass\n"
              "assert 'importlib.metadata' not in sys.modules, 'importlib.metadata was imported'\n")
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert done.stdout == f"coach {coach.__version__}\n"


@pytest.mark.parametrize("command", [[], *([name] for name in COMMANDS)])
def test_help_has_plain_labels_and_fits_80_columns(runner, command):
    result = runner.invoke(app, [*command, "--help"], env={"COLUMNS": "80"}, terminal_width=80)
    assert result.exit_code == 0, result.output
    odd = ODD_LABELS.findall(result.output)
    assert not odd, f"odd labels in `coach {' '.join(command)} --help`: {odd}\n{result.output}"
    assert "<bool>" not in result.output and "[[" not in result.output
    assert max(len(line) for line in result.output.splitlines()) <= 80


def test_help_usage_lines_read_as_click_writes_them(runner):
    usage = {name: runner.invoke(app, [name, "--help"], prog_name="coach").output for name in ("check", "import", "followups", "practice")}
    assert "coach check [OPTIONS] [STORY]..." in usage["check"]
    assert "coach import [OPTIONS] DOC" in usage["import"]
    assert "coach followups [OPTIONS] STORY [ID]..." in usage["followups"]
    assert "coach practice [OPTIONS] [STORY]" in usage["practice"]


def test_options_show_their_metavar_and_flags_show_none(runner):
    lines = runner.invoke(app, ["refine", "--help"], terminal_width=80).output.splitlines()
    assert any(re.search(r"--target +LOW-HIGH +Target window", line) for line in lines)
    assert any(re.search(r"--stories +DIR +Story bank folder", line) for line in lines)
    assert any(re.search(r"--fresh +Ignore the cache", line) for line in lines)


def test_a_missing_argument_is_named_plainly(runner):
    result = runner.invoke(app, ["analyze"])
    assert result.exit_code == 2 and "Missing argument 'STORY'" in result.output


def test_completion_options_are_offered(runner, monkeypatch):
    result = runner.invoke(app, ["--help"], terminal_width=80)
    assert "--install-completion" in result.output and "--show-completion" in result.output
    monkeypatch.setenv("_TYPER_COMPLETE_TEST_DISABLE_SHELL_DETECTION", "1")  # name the shell instead of detecting it
    shown = runner.invoke(app, ["--show-completion", "bash"], prog_name="coach")
    assert shown.exit_code == 0, shown.output
    assert "_COACH_COMPLETE=complete_bash" in shown.output and "complete -o default -F _coach_completion coach" in shown.output


def test_story_slugs_are_the_story_files_only(bank):
    (bank.root / "README.md").write_text("---\nnot a story\n")
    (bank.root / "notes.md").write_text("# Notes\n")
    (bank.root / "all.md").write_text("<!-- Exported by coach from a story bank -->\n---\n")
    (bank.root / "folder.md").mkdir()
    assert story_slugs(bank.root) == ["conflict", "learning", "risk", "team"]
    assert story_slugs(bank.root, "t") == ["team"]
    assert story_slugs(bank.root, "", ["risk", "team"]) == ["conflict", "learning"]
    assert story_slugs(bank.root / "missing") == []


class Context:
    def __init__(self, **params):
        self.params = params


def test_story_completion_reads_the_bank_named_by_stories(bank, tmp_path):
    other = tmp_path / "other"
    other.mkdir()
    (other / "shipping-weekly.md").write_text("---\ntitle: Shipping weekly\ntype: general\n---\n")
    assert _complete_story(Context(stories=other), "") == ["shipping-weekly"]
    assert _complete_story(Context(refs=["conflict"]), "") == ["learning", "risk", "team"]  # ./stories by default
    assert _complete_story(Context(stories=bank.root, refs=None), "le") == ["learning"]


def test_story_arguments_complete_slugs_through_the_shell_protocol(bank):
    env = {"_COACH_COMPLETE": "complete_bash", "COMP_WORDS": "coach check risk ", "COMP_CWORD": "3"}
    script = "from coach.cli import app\napp(prog_name='coach')"
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, cwd=bank.root.parent,
                          env={**__import__("os").environ, **env})
    assert done.stdout.split() == ["conflict", "learning", "team"]


@pytest.mark.parametrize("name", COMMANDS)
def test_every_command_has_help_and_a_readme_section(runner, name):
    command = GROUP.commands[name]
    assert (command.help or "").strip(), f"`coach {name}` has no docstring"
    assert re.search(rf"^### `coach {name}\b", README, re.MULTILINE), f"README has no section `### `coach {name} ...``"


def section(name: str) -> str:
    """Return the README section of one command: its `### coach NAME` heading up to the next heading outside a fence."""
    lines: list[str] = []
    fenced = False
    for line in README.splitlines():
        fenced ^= line.startswith("```")
        heading = not fenced and re.match(r"#{1,3} ", line)
        if heading and lines:
            break
        if lines or (heading and re.match(rf"### `coach {name}\b", line)):
            lines.append(line)
    return "\n".join(lines)


@pytest.mark.parametrize("name", COMMANDS)
def test_every_option_is_documented_in_its_command_section(name):
    shared = set.intersection(*({n for p in options(GROUP.commands[c]) for n in long_names(p)} for c in COMMANDS))
    text = section(name)
    for param in options(GROUP.commands[name]):
        for option in long_names(param):
            if option not in shared:
                assert re.search(rf"{option}\b(?!-)", text), f"the README section of `coach {name}` does not mention {option}"


def test_options_every_command_takes_and_the_app_options_are_documented():
    shared = set.intersection(*({n for p in options(GROUP.commands[c]) for n in long_names(p)} for c in COMMANDS))
    commands_intro = README.split("## Commands", 1)[1].split("\n### ", 1)[0]
    assert shared and all(option in commands_intro for option in shared), shared
    for param in options(GROUP):
        for option in long_names(param):
            assert option in README, f"README does not mention `coach {option}`"


@pytest.mark.parametrize("name", COMMANDS)
def test_every_command_with_json_has_its_shape_in_the_json_section(name):
    if not any("--json" in p.opts for p in GROUP.commands[name].params):
        return
    json_section = README.split("## JSON output", 1)[1].split("\n## ", 1)[0]
    assert f"`coach {name}" in json_section, f"## JSON output does not describe `coach {name} --json`"
