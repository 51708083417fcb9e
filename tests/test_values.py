"""Settings are checked where they are read: one sentence naming the file, option or variable, and exit 2."""

from __future__ import annotations

import pytest

from coach.cli import app
from coach.llm.settings import settings_from_env
from tests.conftest import snapshot

WINDOW_LIKE = "write two whole numbers of seconds, low then high, like [45, 60]"
RATE_RANGE = "is not a speaking rate; use 60 to 300 words per minute (150 is typical)"


def run(runner, *args):
    return runner.invoke(app, [str(a) for a in args])


@pytest.mark.parametrize(
    "line, message",
    [
        ("target_seconds: [60, 45]", "target_seconds: [60, 45] runs high to low; write the window low then high, like [45, 60]"),
        ("target_seconds: [0, 45]", "target_seconds: [0, 45] starts at 0 seconds; a window starts at 1 second or more, like [45, 60]"),
        ("target_seconds: 50", f"target_seconds: 50 is not a window; {WINDOW_LIKE}"),
        ("target_seconds: [45, 60, 90]", f"target_seconds: [45, 60, 90] is not a window; {WINDOW_LIKE}"),
        ("target_seconds: [45.5, 60]", f"target_seconds: [45.5, 60] is not a window; {WINDOW_LIKE}"),
        ("words_per_minute: 0", f"words_per_minute: 0 {RATE_RANGE}"),
        ("words_per_minute: 10000", f"words_per_minute: 10000 {RATE_RANGE}"),
        ("words_per_minute: fast", f"words_per_minute: fast {RATE_RANGE}"),
    ],
)
def test_bad_bank_settings_name_the_file(runner, bank, line, message):
    (bank.root / "coach.yaml").write_text(f"company: Netflix\n{line}\n")
    result = run(runner, "status")
    assert result.exit_code == 2
    assert result.output.strip() == f"Error: stories/coach.yaml: {message}"


def test_a_story_window_high_to_low_names_the_story(runner, bank):
    text = (bank.root / "risk.md").read_text()
    (bank.root / "risk.md").write_text(text.replace("type: risk\n", "type: risk\ntarget_seconds: [60, 45]\n", 1))
    result = run(runner, "check", "risk")
    assert result.exit_code == 2
    assert result.output.strip() == ("Error: stories/risk.md:1: front matter: target_seconds: [60, 45] runs high to low; "
                                     "write the window low then high, like [45, 60]")


@pytest.mark.parametrize("wpm", [0, 59, 301, 10000])
def test_wpm_option_takes_the_range_coach_yaml_takes(runner, bank, wpm):
    result = run(runner, "refine", "risk", "--wpm", wpm, "--show-prompt")
    assert result.exit_code == 2
    assert result.output.strip() == f"Error: --wpm {wpm} {RATE_RANGE}"


@pytest.mark.parametrize("wpm", [60, 300])
def test_wpm_option_at_the_ends_of_the_range(runner, bank, wpm):
    result = run(runner, "refine", "risk", "--wpm", wpm, "--show-prompt")
    assert result.exit_code == 0 and f"at {wpm} words per minute" in result.output


@pytest.mark.parametrize(
    "variable, value, allowed",
    [
        ("COACH_CONCURRENCY", "0", "a whole number of requests in flight from 1 to 64"),
        ("COACH_CONCURRENCY", "1.5", "a whole number of requests in flight from 1 to 64"),
        ("COACH_TIMEOUT", "-1", "a number of seconds above 0 and at most 3600, like 60"),
        ("COACH_TIMEOUT", "0", "a number of seconds above 0 and at most 3600, like 60"),
        ("COACH_TIMEOUT", "inf", "a number of seconds above 0 and at most 3600, like 60"),
        ("COACH_TIMEOUT", "soon", "a number of seconds above 0 and at most 3600, like 60"),
        ("COACH_REASKS", "11", "a whole number from 0 to 10"),
        ("COACH_OUTPUT_MODE", "xml", "auto, json_schema or json_object"),
        ("COACH_REASONING_EFFORT", "max", "minimal, low, medium or high"),
    ],
)
def test_bad_environment_names_the_variable(runner, bank, endpoint, monkeypatch, variable, value, allowed):
    monkeypatch.setenv(variable, value)
    before = snapshot(bank.root)
    result = run(runner, "refine", "risk")
    assert result.exit_code == 2
    assert result.output.strip() == f"Error: {variable}={value} is not valid; set it to {allowed}, or unset it"
    assert snapshot(bank.root) == before and not endpoint.called


def test_good_environment_is_read():
    settings = settings_from_env({"COACH_CONCURRENCY": "1", "COACH_TIMEOUT": "0.5"})
    assert (settings.concurrency, settings.timeout) == (1, 0.5)


def set_type(bank, name: str) -> None:
    text = (bank.root / "risk.md").read_text()
    (bank.root / "risk.md").write_text(text.replace("type: risk\n", f"type: {name}\n", 1))


UNKNOWN = ("stories/risk.md: `type: bogus` is no story type coach knows; set it to one of ambiguity, conflict, customer, "
           "failure, general, leadership, learning, risk, team, or describe your own type in stories/types/bogus.yaml")


def test_unknown_type_is_a_check_error_and_the_rest_of_the_bank_is_shown(runner, bank):
    set_type(bank, "bogus")
    result = run(runner, "check")
    assert result.exit_code == 1
    assert f"error unknown-type [front matter]: {UNKNOWN}" in " ".join(result.output.split())
    assert result.output.rstrip().endswith("4 stories checked: 2 errors, 18 warnings.")
    assert run(runner, "status").exit_code == 0


@pytest.mark.parametrize("command", [["analyze", "risk"], ["analyze", "risk", "--show-prompt"], ["refine", "risk"]])
def test_commands_that_work_from_the_type_refuse_an_unknown_one(runner, bank, endpoint, command):
    set_type(bank, "bogus")
    before = (bank.root / "risk.md").read_bytes()
    result = run(runner, *command)
    assert result.exit_code == 2
    assert result.output.strip() == f"Error: {UNKNOWN}"
    assert (bank.root / "risk.md").read_bytes() == before and not endpoint.called


def test_a_type_of_the_banks_own_is_known(runner, bank):
    set_type(bank, "pivot")
    (bank.root / "types").mkdir()
    (bank.root / "types" / "pivot.yaml").write_text("name: pivot\ntitle: The Pivot Story\nprompt: A pivot.\ngroups: []\n")
    result = run(runner, "check", "risk", "--json")
    assert "unknown-type" not in result.output
