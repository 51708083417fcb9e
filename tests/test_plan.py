"""`coach plan --date`: today's rehearsals in order, the values with no story, what fits the days left."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from datetime import date, datetime, timedelta
from pathlib import Path

import pytest
from typer.testing import CliRunner

from coach.bank.models import PracticeTake
from coach.cli import Terminal, make_app
from coach.plan import interview_date, make_plan
from tests.conftest import snapshot
from tests.test_readme_examples import example, matches

NOW = datetime(2026, 12, 2, 9, 30)
ROOT = Path(__file__).resolve().parent.parent


def plan(*args: str):
    """Run `coach plan` on a terminal whose today is NOW."""
    app = make_app(Terminal(now=lambda: NOW))
    return CliRunner().invoke(app, ["plan", *args])


def add_takes(bank, slug: str, *takes: tuple[int, float, int | None]) -> None:
    """Record takes (days before NOW, seconds, coverage of a heard take or None) in a story's practice log."""
    def change(story):
        for days, seconds, coverage in takes:
            heard = {"wpm": 150, "fillers": 0, "coverage": coverage} if coverage is not None else {}
            story.practice.append(PracticeTake(at=NOW - timedelta(days=days), seconds=seconds, words=130, **heard))
    bank.update(bank.root / f"{slug}.md", change)


def order(result) -> list[str]:
    return [item["story"] for item in json.loads(result.output)["rehearse"]]


def test_a_story_never_practised_comes_first_and_one_with_five_good_takes_last(bank):
    add_takes(bank, "risk", *[(3, 50, None)] * 5)  # five good takes
    add_takes(bank, "team", (2, 52, None), (1, 90, None))  # one good, one too long
    add_takes(bank, "conflict", (5, 55, None))
    result = plan("--date", "2026-12-12", "--json")
    assert result.exit_code == 0, result.output
    # learning never practised; conflict and team have one good take each, conflict's the older
    assert order(result) == ["learning", "conflict", "team", "risk"]
    data = json.loads(result.output)["rehearse"]
    assert data[0]["why"] == "never practised out loud" and data[0]["takes_today"] == 3
    assert data[-1]["takes_today"] == 1 and data[-1]["good_takes"] == 5
    assert data[2]["why"] == "1 of 5 good takes (45-60s); last practised yesterday"


def test_the_worst_coverage_of_heard_takes_comes_before_a_better_one(bank):
    add_takes(bank, "risk", (1, 50, 95))
    add_takes(bank, "team", (1, 50, 60))
    add_takes(bank, "conflict", (1, 50, None))  # timed only: nothing shows it is all said
    add_takes(bank, "learning", (1, 50, 80))
    result = plan("--date", "2026-12-12", "--json")
    assert order(result) == ["conflict", "team", "learning", "risk"]
    assert "last heard take said 60% of the script" in json.loads(result.output)["rehearse"][1]["why"]


def test_a_story_to_refine_or_fill_in_comes_before_rehearsing(bank):
    path = bank.root / "team.md"
    path.write_text(path.read_text().replace("velocity increased 30%", "velocity increased [X]%", 1))
    result = plan("--date", "2026-12-12")
    assert result.exit_code == 0, result.output
    assert "Before rehearsing\n  - team: `coach edit team` (fill in the 1 [placeholder] of its" in result.output
    assert "team:" not in result.output.split("Before rehearsing")[0]
    data = json.loads(plan("--date", "2026-12-12", "--json").output)
    assert [item["story"] for item in data["prepare"]] == ["team"] and data["prepare"][0]["ready"] is False


def test_a_story_with_no_refined_version_is_to_refine_first(runner, tmp_path):
    assert runner.invoke(make_app(), ["init", "--company", "Stripe"]).exit_code == 0
    assert runner.invoke(make_app(), ["new", "risk"]).exit_code == 0
    data = json.loads(plan("--date", "2026-12-12", "--json").output)
    assert data["rehearse"] == []
    assert data["prepare"][0]["command"] == "coach refine risk" and "no draft yet" in data["prepare"][0]["why"]


def test_a_value_with_no_story_is_named_with_the_questions_that_would_start_one(bank):
    result = plan("--date", "2026-12-12")
    text = result.output
    assert "Values with no story yet (2 of 13)" in text
    assert "  - Integrity: `coach new failure`" in text
    assert "    - What exactly went wrong? (Be specific about what broke and when)" in text
    gaps = json.loads(plan("--date", "2026-12-12", "--json").output)["value_gaps"]
    integrity = next(gap for gap in gaps if gap["values"] == ["Integrity"])
    assert integrity["type"] == "failure" and integrity["command"] == "coach new failure"
    assert integrity["heading"] == "Failure Analysis" and len(integrity["questions"]) == 3


def test_values_a_type_shows_together_share_one_story_and_untied_ones_get_the_general_type(runner):
    assert runner.invoke(make_app(), ["init", "--company", "Stripe"]).exit_code == 0
    result = plan("--date", "2026-12-12", "--json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    gaps = {gap["type"] if gap["type"] != "general" else gap["values"][0]: gap for gap in data["value_gaps"]}
    assert gaps["leadership"]["values"] == ["Trust and Amplify", "Obsess Over Talent"]
    assert gaps["Global Optimization"]["command"] == 'coach new general --title "Global Optimization"'
    assert sum(len(gap["values"]) for gap in data["value_gaps"]) == data["values"] == 8
    assert data["rehearse"] == data["prepare"] == []
    text = " ".join(plan("--date", "2026-12-12").output.split())
    assert "No stories yet: start one with `coach new TYPE`" in text
    assert '- "Trust and Amplify" and "Obsess Over Talent": `coach new leadership`' in text
    assert "Mock interview: once a story is refined" in text and data["mock_today"] is False


@pytest.mark.parametrize(("interview", "days", "full", "mock_today", "mocks"), [
    ("2026-12-12", 10, 9, True, 3),  # mock interviews on days 0, 3, 6 of the 9 full days
    ("2026-12-03", 1, 0, False, 0),  # tomorrow: today is the light day
    ("2026-12-04", 2, 1, True, 1),
])
def test_days_left_and_the_mock_interviews_that_fit(bank, interview, days, full, mock_today, mocks):
    data = json.loads(plan("--date", interview, "--json").output)
    assert (data["days_left"], data["full_days"], data["mock_today"], data["mocks_left"]) == (days, full, mock_today, mocks)
    assert data["light_today"] == (days == 1)
    assert all(item["takes_today"] == (1 if days == 1 else 3) for item in data["rehearse"])


def test_a_mock_interview_done_yesterday_moves_the_next_one_on(bank):
    sessions = [{"file": "2026-12-01-180000.md", "started": "2026-12-01 18:00"}]
    result = make_plan(bank, date(2026, 12, 12), NOW, sessions)
    assert (result.mocks_done, result.last_mock, result.mock_today) == (1, date(2026, 12, 1), False)
    assert result.mocks_left == 3  # days 2, 5 and 8 of the 9 full days
    sessions_dir = bank.root / "sessions"
    sessions_dir.mkdir()
    (sessions_dir / "2026-12-01-180000.md").write_text("---\nstarted: 2026-12-01 18:00\nscores: {structure: 3}\n---\n")
    text = " ".join(plan("--date", "2026-12-12").output.split())
    assert "No mock interview today: the last was yesterday (1 mock interview done so far)." in text


def test_takes_that_fit_and_those_that_do_not(bank):
    add_takes(bank, "risk", *[(3, 50, None)] * 4)
    data = json.loads(plan("--date", "2026-12-12", "--json").output)
    assert (data["good_takes_needed"], data["days_needed"], data["fits"]) == (16, 2, True)
    data = json.loads(plan("--date", "2026-12-04", "--json").output)
    assert (data["days_needed"], data["full_days"], data["fits"]) == (2, 1, False)
    assert "it does not all fit" in plan("--date", "2026-12-04").output


@pytest.mark.parametrize(("given", "said"), [
    ("2026-12-01", "Error: --date 2026-12-01 is in the past (today is 2026-12-02); give the date of an interview "
                   "still to come"),
    ("2026-12-02", "Error: --date 2026-12-02 is today, so no day is left to plan; run through your hooks with "
                   "`coach practice STORY --cue` before you go in"),
    ("next friday", "Error: --date 'next friday' is not a date; write the interview's date as YYYY-MM-DD, like "
                    "2026-12-15"),
    ("2026-02-30", "Error: --date '2026-02-30' is not a date; write the interview's date as YYYY-MM-DD, like "
                   "2026-12-15"),
])
def test_a_date_not_to_come_is_one_sentence_and_changes_nothing(bank, given, said):
    before = snapshot(bank.root)
    result = plan("--date", given)
    assert result.exit_code == 2
    assert " ".join(result.output.split()) == said
    assert snapshot(bank.root) == before


def test_no_bank_is_the_no_bank_sentence(tmp_path):
    result = plan("--date", "2026-12-12")
    assert result.exit_code == 2
    assert "no story bank here; start one with `coach init --company NAME`" in result.output
    assert not (tmp_path / "stories").exists()


def test_the_json_shape(bank):
    data = json.loads(plan("--date", "2026-12-12", "--json").output)
    assert set(data) == {"company", "today", "interview", "days_left", "full_days", "light_today", "rehearse",
                         "prepare", "values", "value_gaps", "rules", "good_takes_needed", "days_needed", "fits",
                         "mock_today", "mocks_left", "mocks_done", "last_mock"}
    assert set(data["rehearse"][0]) == {"story", "title", "ready", "takes_today", "done_today", "good_takes", "takes",
                                        "coverage",
                                        "last_practised", "why", "command"}
    assert set(data["value_gaps"][0]) == {"values", "type", "command", "prompt", "heading", "questions", "other_types"}
    assert data["rules"] == {"good_takes": 5, "takes_per_day": 3, "mock_every_days": 3}
    assert (data["today"], data["interview"], data["mocks_done"], data["last_mock"]) == ("2026-12-02", "2026-12-12", 0, None)


def test_the_plan_changes_no_file_and_fits_80_columns(bank):
    add_takes(bank, "risk", (1, 50, 72))
    before = snapshot(bank.root)
    for interview in ("2026-12-03", "2026-12-12", "2027-03-01"):
        result = plan("--date", interview)
        assert result.exit_code == 0, result.output
        assert max(len(line) for line in result.output.splitlines()) <= 80
    assert snapshot(bank.root) == before


def test_interview_date_reads_only_a_whole_date():
    assert interview_date(" 2026-12-15 ", date(2026, 12, 2)) == date(2026, 12, 15)
    with pytest.raises(Exception, match="is not a date"):
        interview_date("20261215", date(2026, 12, 2))


def test_the_readme_example_is_what_coach_plan_prints(tmp_path):
    shutil.copytree(ROOT / "stories", tmp_path / "stories", ignore=shutil.ignore_patterns(".coach", "sessions", "takes"))
    command = "coach plan --date 2026-12-12"
    result = plan(*command.split()[2:])
    real = result.output.rstrip("\n").split("\n")
    assert matches(example(command), real), "\n".join(["README shows:", *example(command), "", "coach prints:", *real])


def test_plan_never_imports_openai(bank):
    script = ("import sys\nfrom coach.cli import app\n"
              f"try:\n    app(['plan', '--date', '2099-01-01', '--stories', {str(bank.root)!r}])\n"
              "except SystemExit as done:\n    assert not done.code, done.code\n"
              "assert 'openai' not in sys.modules, 'openai was imported'\n")
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr


def test_takes_done_today_count_against_todays_takes(bank):
    add_takes(bank, "risk", (0, 50, None))  # one good take today: two more
    add_takes(bank, "team", (0, 50, None), (0, 70, None), (0, 52, None))  # three today: done
    add_takes(bank, "conflict", *[(4, 50, None)] * 4, (0, 51, None))  # its fifth good take today: done
    data = {item["story"]: item for item in json.loads(plan("--date", "2026-12-12", "--json").output)["rehearse"]}
    assert (data["risk"]["takes_today"], data["risk"]["done_today"]) == (2, 1)
    assert (data["team"]["takes_today"], data["team"]["done_today"]) == (0, 3)
    assert (data["conflict"]["takes_today"], data["conflict"]["done_today"]) == (0, 1)
    assert (data["learning"]["takes_today"], data["learning"]["done_today"]) == (3, 0)
    text = " ".join(plan("--date", "2026-12-12").output.split())
    assert "Rehearse out loud with `coach practice STORY`, 5 takes in all:" in text
    assert "risk: 2 more takes, 1 done today (" in text and "team: done for today, 3 takes so far (" in text


def test_when_every_take_of_today_is_done_the_plan_says_so(bank):
    for slug in ("risk", "team", "conflict", "learning"):
        add_takes(bank, slug, *[(0, 50, None)] * 3)
    text = " ".join(plan("--date", "2026-12-12").output.split())
    assert "Today's takes are done (12 in all); `coach practice STORY --history` shows how they went." in text
    assert "takes in all" not in text
