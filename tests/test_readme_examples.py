"""The README's offline examples are real output: each is run on the bundled bank at 80 columns and compared.

A `...` line in an example stands for any lines the README leaves out; every other line must be what the command
prints, in order.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from coach.cli import app

ROOT = Path(__file__).resolve().parent.parent
README = (ROOT / "README.md").read_text()
EXAMPLES = ["coach import four-power-stories.md", "coach check team", "coach status", "coach show learning"]


def example(command: str) -> list[str]:
    """Return the lines the README shows under `$ COMMAND`, up to the end of its code block."""
    block = README.split(f"\n$ {command}\n", 1)[1].split("\n```", 1)[0]
    return block.split("\n")


def matches(shown: list[str], real: list[str]) -> bool:
    """Say whether the README's lines are the real ones in order, each `...` standing for any lines left out."""
    at = 0
    for n, line in enumerate(shown):
        if line == "...":
            continue
        if n and shown[n - 1] == "...":
            while at < len(real) and real[at] != line:
                at += 1
        if at >= len(real) or real[at] != line:
            return False
        at += 1
    return shown[-1] == "..." or at == len(real)


@pytest.mark.parametrize("command", EXAMPLES)
def test_the_readme_example_is_what_the_command_prints(command, tmp_path):
    if command.startswith("coach import"):
        shutil.copy(ROOT / "tests" / "fixtures" / "four-power-stories.md", tmp_path)
    else:
        shutil.copytree(ROOT / "stories", tmp_path / "stories", ignore=shutil.ignore_patterns(".coach"))
    result = CliRunner().invoke(app, command.split()[1:])
    real = result.output.rstrip("\n").split("\n")
    assert matches(example(command), real), "\n".join(["README shows:", *example(command), "", "coach prints:", *real])


def test_the_comparison_catches_a_changed_line():
    assert matches(["a", "...", "d"], ["a", "b", "c", "d"])
    assert not matches(["a", "x", "...", "d"], ["a", "b", "c", "d"])
    assert not matches(["a", "b"], ["a", "b", "c"])
