"""Sentences that name the company and the role read naturally whether the bank names them or not."""

from __future__ import annotations

import re

import pytest

from coach.bank.phrases import company_phrase, role_phrase
from coach.cli import app
from tests.test_interview import STRONG, Endpoint, answers_file, feedback

UNNATURAL = re.compile(r"\brole role\b|\bGeneric\b|\b(?:at|for|to) [,.?]|'s values you|Company: ,|\bthe the\b")
BANKS = [("generic", ""), ("generic", "Staff engineer role"), ("netflix", ""), ("netflix", "Media Algorithms")]


def coach(runner, *args) -> str:
    result = runner.invoke(app, [*args, "--stories", "stories"])
    assert result.exit_code == 0, result.output
    return result.output


@pytest.mark.parametrize(
    "company, role, phrases",
    [
        ("Generic", "", ("the target company", "the target role")),
        ("", "  ", ("the target company", "the target role")),
        ("Netflix", "Media Algorithms", ("Netflix", "the Media Algorithms role")),
        ("Netflix", "Staff engineer role", ("Netflix", "the Staff engineer role")),
        ("Netflix", "the Data Science Role", ("Netflix", "the Data Science role")),
        ("Netflix", "Role", ("Netflix", "the target role")),
    ],
)
def test_company_and_role_phrases(company, role, phrases):
    assert (company_phrase(company), role_phrase(role)) == phrases


@pytest.mark.parametrize("company, role", BANKS)
def test_new_stories_and_every_prompt_read_naturally(runner, tmp_path, endpoint, company, role):
    coach(runner, "init", "--company", company, "--role", role)
    coach(runner, "new", "risk")
    coach(runner, "new", "conflict")
    texts = {name: (tmp_path / "stories" / f"{name}.md").read_text() for name in ("risk", "conflict")}
    texts["refine"] = coach(runner, "refine", "risk", "--show-prompt")
    texts["analyze"] = coach(runner, "analyze", "risk", "--show-prompt")
    texts["followups"] = coach(runner, "followups", "risk", "--generate", "2", "--show-prompt")
    fake = Endpoint([feedback(STRONG)])
    endpoint.side_effect = fake
    value = "Ownership" if company == "generic" else "Courage"
    coach(runner, "interview", "-n", "1", "--values", value, "--answers", answers_file(tmp_path, STRONG, ("probe", "/skip")))
    assert {"response_format" in body for body in fake.sent} == {True, False}  # the interviewer and the feedback
    texts.update({f"interview {i}": m["content"] for i, body in enumerate(fake.sent) for m in body["messages"]})
    for name, text in texts.items():
        assert not UNNATURAL.search(text), f"{name}: {UNNATURAL.search(text)[0]!r} in {text!r}"
    named_role = f"the {role.removesuffix(' role')} role" if role else "the target role"
    assert f"What specific aspect connects to {named_role}?" in texts["risk"]
    assert f"with your future colleagues in {named_role}?" in texts["conflict"]
    assert ("at Netflix" if company == "netflix" else "at the target company") in texts["risk"]
    assert ("### Netflix Connection" if company == "netflix" else "### Company Connection") in texts["risk"]


def test_a_type_without_a_value_for_the_company_asks_which_value(runner, tmp_path):
    coach(runner, "init", "--company", "netflix")
    types = tmp_path / "stories" / "types"
    types.mkdir()
    (types / "pivot.yaml").write_text(
        "name: pivot\ntitle: The Pivot Story\nprompt: Tell me about a pivot.\n"
        "groups:\n  - heading: Context\n    questions:\n      - text: When was it?\n"
        "connection: ['How does this show \"{value}\" at {company}?', 'Why does the {role} role need it?']\n"
    )
    coach(runner, "new", "pivot")
    text = (tmp_path / "stories" / "pivot.md").read_text()
    assert "#### Which of Netflix's values does this story show best, and how?" in text
    assert "#### Why does the target role need it?" in text


def test_a_connection_placeholder_coach_cannot_fill_is_named(runner, tmp_path):
    types = tmp_path / "stories" / "types"
    types.mkdir(parents=True)
    (types / "pivot.yaml").write_text("name: pivot\ntitle: The Pivot Story\nprompt: A pivot.\ngroups: []\n"
                                      "connection: ['How does {team} see it?']\n")
    assert runner.invoke(app, ["init"]).exit_code == 0
    result = runner.invoke(app, ["new", "pivot"])
    assert result.exit_code == 2
    assert result.output.strip() == ("Error: the pivot story type's connection question \"How does {team} see it?\" has a "
                                     "placeholder it cannot fill ('team'); use only {company}, {role} and {value}")
