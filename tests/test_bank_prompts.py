"""A bank's own prompts (`prompts/NAME.jinja` beside coach.yaml): rendered instead of coach's, extending coach's,
in Jinja's sandbox, checked by `coach prompts`, named in the call log; a template that cannot render stops the
command before any call with one sentence and every file unchanged."""

from __future__ import annotations

import json
import os
import threading
import time
from datetime import datetime
from pathlib import Path

import pytest

from coach.bank.folder import load_story
from coach.cli import app
from coach.interview.feedback import FeedbackTask
from coach.interview.session import Planned, Round, Session, Turn
from coach.jobs.followups import RegenerateTask
from coach.llm import prompts as prompts_module
from coach.llm.prompts import Prompts, for_bank, given, names
from tests.conftest import snapshot
from tests.llm_fixtures import completion, refinement


def own(bank, name: str, text: str) -> Path:
    folder = bank.root / "prompts"
    folder.mkdir(exist_ok=True)
    path = folder / f"{name}.jinja"
    path.write_text(text)
    return path


def show_prompt(runner, *args) -> str:
    result = runner.invoke(app, [*args, "--show-prompt"])
    assert result.exit_code == 0, result.output
    return result.stdout


EXTENDED = '{% extends "coach/refine.jinja" %}\n{% block system %}\n{{ super() }}\nWrite in British English.\n{% endblock %}\n'


def test_an_unedited_extending_copy_sends_exactly_what_coach_sends(runner, bank):
    coach_sends = show_prompt(runner, "refine", "risk")
    result = runner.invoke(app, ["prompts", "copy", "refine", "--extend"])
    assert result.exit_code == 0 and (bank.root / "prompts" / "refine.jinja").is_file()
    assert show_prompt(runner, "refine", "risk") == coach_sends


def test_a_whole_copy_sends_exactly_what_coach_sends_and_is_never_written_over(runner, bank):
    coach_sends = show_prompt(runner, "analyze", "team")
    assert runner.invoke(app, ["prompts", "copy", "analyze"]).exit_code == 0
    path = bank.root / "prompts" / "analyze.jinja"
    assert path.read_text() == (Path(prompts_module.prompts_dir()) / "analyze.jinja").read_text()
    assert show_prompt(runner, "analyze", "team") == coach_sends
    path.write_text(path.read_text() + "{# mine #}\n")
    before = snapshot(bank.root)
    result = runner.invoke(app, ["prompts", "copy", "analyze"])
    assert result.exit_code == 2 and "already exists; edit it, or remove it" in result.output
    assert snapshot(bank.root) == before


def test_an_extending_prompt_changes_only_its_block(runner, bank):
    coach_system, coach_user = show_prompt(runner, "refine", "risk").split("--- user ---")
    own(bank, "refine", EXTENDED)
    system, user = show_prompt(runner, "refine", "risk").split("--- user ---")
    assert user == coach_user
    assert system.startswith(coach_system.rstrip()) and "Write in British English." in system


def test_a_refine_with_the_banks_prompt_sends_it_and_the_log_names_it(runner, bank, endpoint):
    path = own(bank, "refine", EXTENDED)
    endpoint.respond(200, json=completion(refinement()))
    result = runner.invoke(app, ["refine", "risk"])
    assert result.exit_code == 0, result.output
    sent = json.loads(endpoint.calls.last.request.content)
    assert "Write in British English." in sent["messages"][0]["content"]
    shown = runner.invoke(app, ["log", "--show", "1"])
    assert f"asked with the bank's own prompt {path.relative_to(bank.root.parent)}" in " ".join(shown.stdout.split())
    call = json.loads(runner.invoke(app, ["log", "--show", "1", "--json"]).stdout)
    assert call["prompt"] == str(path.relative_to(bank.root.parent))


def test_coachs_own_prompt_leaves_the_logs_prompt_empty(runner, bank, endpoint):
    endpoint.respond(200, json=completion(refinement()))
    assert runner.invoke(app, ["refine", "risk"]).exit_code == 0
    assert json.loads(runner.invoke(app, ["log", "--show", "1", "--json"]).stdout)["prompt"] == ""


@pytest.mark.parametrize("template, said", [
    ('{% block system %}{{ "".__class__.__mro__ }}{% endblock %}{% block user %}x{% endblock %}',
     "stories/prompts/refine.jinja tries what a prompt may not: access to attribute '__class__' of 'str' object is "
     "unsafe; take it out"),
    ("{% block system %}{{ nope }}{% endblock %}{% block user %}x{% endblock %}",
     "stories/prompts/refine.jinja uses something it is not given ('nope' is undefined); `coach prompts` lists what "
     "each prompt is given"),
    ("{% block system %}\nfine\n{{ x }\n{% endblock %}", "stories/prompts/refine.jinja:3: unexpected '}'"),
    ("{% block system %}x{% endblock %}", "stories/prompts/refine.jinja has no {% block user %}; add one"),
    ('{% include "../coach.yaml" %}{% block system %}x{% endblock %}{% block user %}x{% endblock %}',
     "stories/prompts/refine.jinja includes or extends '../coach.yaml', which is neither the bank's nor coach's"),
    ('{% block system %}{% include "refine.jinja" %}{% endblock %}{% block user %}x{% endblock %}',
     "stories/prompts/refine.jinja nests too deeply, or includes or calls itself without end; take that out"),
    ("{% macro f() %}{{ f() }}{% endmacro %}{% block system %}{{ f() }}{% endblock %}{% block user %}x{% endblock %}",
     "stories/prompts/refine.jinja nests too deeply, or includes or calls itself without end; take that out"),
    ("{% block system %}{% for i in range(100000) %}{% for j in range(100000) %}{% endfor %}{% endfor %}{% endblock %}"
     "{% block user %}x{% endblock %}",
     "stories/prompts/refine.jinja tries what a prompt may not: its loops take more than 2,000,000 steps; take it out"),
    ("{% block system %}{{ 'x' * 10**11 }}{% endblock %}{% block user %}x{% endblock %}",
     "stories/prompts/refine.jinja tries what a prompt may not: repeating something 100,000,000,000 times makes it "
     "too long; take it out"),
    ("{% block system %}{{ 2 ** 100000 }}{% endblock %}{% block user %}x{% endblock %}",
     "stories/prompts/refine.jinja tries what a prompt may not: a power of 100000 is too large; take it out"),
    ("{% block system %}{{ 1/0 }}{% endblock %}{% block user %}x{% endblock %}",
     "stories/prompts/refine.jinja fails when rendered (ZeroDivisionError: division by zero); fix the template or "
     "remove it"),
    ("{% block system %}{{ lipsum(10**6) }}{% endblock %}{% block user %}x{% endblock %}",
     "stories/prompts/refine.jinja uses something it is not given ('lipsum' is undefined); `coach prompts` lists what "
     "each prompt is given"),
])
def test_a_template_that_cannot_render_stops_before_any_call_and_changes_nothing(runner, bank, endpoint, template, said):
    own(bank, "refine", template)
    endpoint.respond(200, json=completion(refinement()))
    before = snapshot(bank.root)
    result = runner.invoke(app, ["refine", "risk"])
    assert result.exit_code == 2
    assert result.stderr.strip() == f"Error: {said}"
    after = snapshot(bank.root)
    assert endpoint.calls.call_count == 0 and {k: v for k, v in after.items() if not k.startswith(".coach")} == before


def test_a_fifo_or_an_oversized_template_is_refused_without_reading_it(runner, bank):
    folder = bank.root / "prompts"
    folder.mkdir()
    os.mkfifo(folder / "refine.jinja")
    done = {}
    worker = threading.Thread(target=lambda: done.update(result=runner.invoke(app, ["refine", "risk", "--show-prompt"])),
                              daemon=True)
    worker.start()
    worker.join(10)
    assert "result" in done, "a FIFO in prompts/ hung the command"
    assert done["result"].exit_code == 2
    assert "stories/prompts/refine.jinja: is not a regular file" in done["result"].stderr
    (folder / "refine.jinja").unlink()
    (folder / "refine.jinja").write_text("{# x #}" * 40_000)
    result = runner.invoke(app, ["refine", "risk", "--show-prompt"])
    assert result.exit_code == 2 and "is over 256 KiB; a prompt template is at most 256 KiB, shorten it" in result.stderr


def test_coach_prompts_lists_where_each_prompt_comes_from(runner, bank):
    result = runner.invoke(app, ["prompts"])
    assert result.exit_code == 0
    assert "refine (coach's)" in result.stdout and "`coach prompts copy NAME`" in result.stdout
    own(bank, "refine", EXTENDED)
    own(bank, "_voice", "Plain words.")
    listing = json.loads(runner.invoke(app, ["prompts", "--json"]).stdout)
    refine = next(p for p in listing["prompts"] if p["name"] == "refine")
    assert refine["from"] == "bank, extending coach's" and refine["path"] == "stories/prompts/refine.jinja"
    assert listing["parts"] == ["stories/prompts/_voice.jinja"] and listing["problems"] == []
    assert {p["from"] for p in listing["prompts"] if p["name"] != "refine"} == {"coach"}
    assert "refine (stories/prompts/refine.jinja, extending coach's)" in runner.invoke(app, ["prompts"]).stdout


def test_coach_prompts_finds_what_is_wrong_without_rendering(runner, bank):
    own(bank, "refine", "{% block system %}{{ wordcount }}{% endblock %}{% block user %}{{ title }}{% endblock %}")
    own(bank, "feedbak", "{% block system %}x{% endblock %}{% block user %}x{% endblock %}")
    own(bank, "analyze", "{% block system %}x{% endblock %}")
    own(bank, "followups", "{% block system %}{% if %}{% endblock %}")
    own(bank, "interviewer", '{% block system %}{% include "interviewer.jinja" %}{% endblock %}{% block user %}{% endblock %}')
    result = runner.invoke(app, ["prompts", "--json"])
    assert result.exit_code == 1
    problems = json.loads(result.stdout)["problems"]
    assert problems == [
        "stories/prompts/analyze.jinja: has no {% block user %}; add one, or extend coach/analyze.jinja",
        "stories/prompts/feedbak.jinja: replaces no prompt of coach's (they are: analyze, feedback, "
        "followup-answers, followups, interviewer, refine); rename it, or start its name with _ if other prompts "
        "include it",
        "stories/prompts/followups.jinja:1: Expected an expression, got 'end of statement block'",
        "stories/prompts/interviewer.jinja: includes itself, which never ends; include coach/interviewer.jinja instead",
        "stories/prompts/refine.jinja: uses wordcount, which coach does not give the refine prompt (it gives "
        f"{', '.join(sorted(given('refine')))})",
    ]
    assert "5 problems in stories/prompts:" in runner.invoke(app, ["prompts"]).stdout


def test_show_prints_the_template_the_bank_renders_or_coachs(runner, bank):
    own(bank, "refine", EXTENDED)
    assert runner.invoke(app, ["prompts", "show", "refine"]).stdout == EXTENDED
    built_in = runner.invoke(app, ["prompts", "show", "refine", "--built-in"]).stdout
    assert built_in.startswith("{% block system %}") and "Write in British English" not in built_in


@pytest.mark.parametrize("args, said", [
    (["prompts", "show"], "use `coach prompts`, `coach prompts show NAME` or `coach prompts copy NAME`"),
    (["prompts", "frob", "refine"], "use `coach prompts`, `coach prompts show NAME` or `coach prompts copy NAME`"),
    (["prompts", "show", "nope"], "no prompt named 'nope'; the prompts are: analyze, feedback, followup-answers, "
                                  "followups, interviewer, refine"),
    (["prompts", "copy", "refine", "--built-in"], "--built-in goes with `coach prompts show NAME`"),
    (["prompts", "show", "refine", "--extend"], "--extend goes with `coach prompts copy NAME`"),
])
def test_bad_prompts_commands_are_one_sentence(runner, bank, args, said):
    result = runner.invoke(app, args)
    assert result.exit_code == 2 and result.stderr.strip() == f"Error: {said}"


def test_copy_without_a_bank_names_the_command_that_starts_one(runner, tmp_path):
    result = runner.invoke(app, ["prompts", "copy", "refine"])
    assert result.exit_code == 2 and "no story bank here; start one with `coach init --company NAME`" in result.stderr
    assert not (tmp_path / "stories").exists()


def test_the_interviewer_and_the_story_part_can_be_the_banks(runner, bank):
    own(bank, "interviewer", '{% extends "coach/interviewer.jinja" %}{% block system %}{{ super() }}\n'
                             "Speak as a Lisbon office manager would.{% endblock %}")
    own(bank, "_story", "The story, as this bank shows it: {{ title }}")
    assert "Speak as a Lisbon office manager would." in show_prompt(runner, "interview", "-n", "1")
    assert "The story, as this bank shows it: The Risk Story" in show_prompt(runner, "refine", "risk")


def test_an_edited_template_is_picked_up_by_a_running_server(bank):
    prompts = for_bank(bank.root)
    path = own(bank, "refine", "{% block system %}one{% endblock %}{% block user %}u{% endblock %}")
    assert prompts.render("refine")[0]["content"] == "one"
    time.sleep(0.01)
    path.write_text("{% block system %}two{% endblock %}{% block user %}u{% endblock %}")
    os.utime(path, ns=(time.time_ns(), time.time_ns() + 1_000_000))
    assert prompts.render("refine")[0]["content"] == "two"


def test_the_page_and_the_terminal_ask_with_the_banks_prompts(bank, monkeypatch):
    from coach.llm.connect import connect

    monkeypatch.setenv("OPENAI_BASE_URL", "http://llm.test/v1")
    monkeypatch.setenv("COACH_MODEL", "test-model")
    progress = type("P", (), {"event": lambda self, m: None, "status": lambda self, m: None})()
    assert connect(bank.root, None, progress).prompts is for_bank(bank.root)


def rendered_with(monkeypatch) -> dict[str, set[str]]:
    seen: dict[str, set[str]] = {}
    real = Prompts.render

    def render(self, name, **variables):
        seen.setdefault(name, set()).update(variables)
        return real(self, name, **variables)

    monkeypatch.setattr(Prompts, "render", render)
    return seen


def test_what_coach_prompts_says_each_prompt_is_given_is_what_it_is_rendered_with(runner, bank, monkeypatch):
    seen = rendered_with(monkeypatch)
    show_prompt(runner, "refine", "risk")
    show_prompt(runner, "analyze", "team")
    show_prompt(runner, "followups", "risk", "--generate", "2")
    assert show_prompt(runner, "followups", "risk", "--regenerate", "--all").strip() == (
        "Nothing to regenerate, so no prompt: risk has no follow-ups yet; `coach followups risk --generate 3` asks "
        "for three")
    team = bank.root / "team.md"
    RegenerateTask(team, load_story(team), bank.settings(), "", positions=[0]).messages()
    show_prompt(runner, "interview", "-n", "1")
    session = Session(Path("s.md"), datetime(2026, 12, 1), "Netflix", "", "neutral", "m", (45, 60), 150)
    turn = Turn("question", "Tell me about a risk.", "I took a risk once and it worked.")
    r = Round(1, Planned("Tell me about a risk.", "Courage", ["risk"]), [turn], seconds=3.0)
    FeedbackTask(session, r, [(p.stem, s) for p, s in bank.stories()], bank.settings()).messages()
    assert set(seen) == set(names())
    for name, variables in seen.items():
        assert variables == set(given(name)), name


def test_coachs_own_templates_copied_whole_or_extended_raise_no_problem_and_send_what_coach_sends(runner, bank):
    coach_sends = show_prompt(runner, "refine", "risk")
    for name in names():
        assert runner.invoke(app, ["prompts", "copy", name]).exit_code == 0
    result = runner.invoke(app, ["prompts", "--json"])
    assert result.exit_code == 0 and json.loads(result.stdout)["problems"] == []
    assert show_prompt(runner, "refine", "risk") == coach_sends
    for name in names():
        (bank.root / "prompts" / f"{name}.jinja").unlink()
        assert runner.invoke(app, ["prompts", "copy", name, "--extend"]).exit_code == 0
    result = runner.invoke(app, ["prompts", "--json"])
    assert result.exit_code == 0 and json.loads(result.stdout)["problems"] == []
    assert show_prompt(runner, "refine", "risk") == coach_sends


@pytest.mark.parametrize("target", ["/proc/self/environ", "/etc/passwd", "../coach.yaml"])
def test_a_link_that_leads_out_of_the_prompts_folder_is_never_read(runner, bank, monkeypatch, target):
    monkeypatch.setenv("OPENAI_API_KEY", "sk-proj-SECRET-never-shown")
    folder = bank.root / "prompts"
    folder.mkdir()
    (folder / "_x.jinja").symlink_to(target)
    own(bank, "refine", '{% block system %}{% include "_x.jinja" %}{% endblock %}{% block user %}u{% endblock %}')
    result = runner.invoke(app, ["refine", "risk", "--show-prompt"])
    assert result.exit_code == 2 and "SECRET" not in result.output and "root:" not in result.output
    assert result.stderr.strip() == ("Error: stories/prompts/_x.jinja: leads out of stories/prompts (a link); a prompt "
                                     "template must be a file in it")
    listed = json.loads(runner.invoke(app, ["prompts", "--json"]).stdout)
    assert "stories/prompts/_x.jinja: leads out of stories/prompts (a link); a prompt template must be a file in it" \
        in listed["problems"]


def test_a_link_inside_the_prompts_folder_is_read(runner, bank):
    own(bank, "_rules", "Write in British English.")
    (bank.root / "prompts" / "_linked.jinja").symlink_to("_rules.jinja")
    own(bank, "refine", '{% extends "coach/refine.jinja" %}{% block system %}{{ super() }}\n'
                        '{% include "_linked.jinja" %}{% endblock %}')
    assert "Write in British English." in show_prompt(runner, "refine", "risk")


def test_coach_prompts_names_a_folder_a_missing_part_and_the_banks_story_part(runner, bank):
    (bank.root / "prompts" / "analyze.jinja").mkdir(parents=True)
    own(bank, "refine", '{% extends "coach/refine.jinja" %}{% block system %}{% include "_gone.jinja" %}{% endblock %}')
    own(bank, "_story", "The story: {{ title }}")
    listing = json.loads(runner.invoke(app, ["prompts", "--json"]).stdout)
    assert listing["problems"] == [
        "stories/prompts/analyze.jinja: is not a regular file; a prompt template must be a .jinja text file",
        "stories/prompts/refine.jinja: includes or extends '_gone.jinja', which is neither the bank's nor coach's",
    ]
    followups = next(p for p in listing["prompts"] if p["name"] == "followups")
    assert followups["from"] == "coach" and followups["bank_files"] == ["stories/prompts/_story.jinja"]
    text = " ".join(runner.invoke(app, ["prompts"]).stdout.split())
    assert "followups (coach's, with the bank's stories/prompts/_story.jinja)" in text and "All are coach's own" not in text


def test_the_log_names_a_banks_part_a_call_was_asked_with(runner, bank, endpoint):
    own(bank, "_story", "Story: {{ title }}. Draft: {{ draft }}")
    endpoint.respond(200, json=completion(refinement()))
    runner.invoke(app, ["refine", "risk"])
    assert json.loads(runner.invoke(app, ["log", "--show", "1", "--json"]).stdout)["prompt"] == \
        "stories/prompts/_story.jinja"


def test_a_template_nested_too_deeply_is_a_problem_and_one_sentence_never_a_traceback(runner, bank):
    own(bank, "refine", "{% block system %}{{ " + "(" * 400 + "title" + ")" * 400 + " }}{% endblock %}"
                        "{% block user %}u{% endblock %}")
    listed = runner.invoke(app, ["prompts", "--json"])
    assert listed.exit_code == 1 and "Traceback" not in listed.output
    assert json.loads(listed.stdout)["problems"] == [
        "stories/prompts/refine.jinja: nests too deeply, or includes itself through another part"]
    result = runner.invoke(app, ["refine", "risk", "--show-prompt"])
    assert result.exit_code == 2 and result.stderr.strip() == (
        "Error: stories/prompts/refine.jinja nests too deeply, or includes or calls itself without end; take that out")
