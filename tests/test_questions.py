"""`coach questions`: the question bank listed and filtered by value, round and level; a bank's own questions.yaml
adding and replacing questions; bad input as one sentence, leaving every file as it was."""

from __future__ import annotations

import json

import pytest

from coach.bank.catalog import common_questions
from coach.bank.settings import ROUNDS
from coach.cli import app
from tests.conftest import snapshot


def run(runner, *args):
    return runner.invoke(app, [*args, "--stories", "stories"])


def listed(runner, *args) -> dict:
    result = run(runner, "questions", *args, "--json")
    assert result.exit_code == 0, result.output
    return json.loads(result.output)


def test_questions_lists_the_whole_bank(runner, bank):
    data = listed(runner)
    assert data["count"] == data["total"] == len(common_questions()) >= 150
    assert data["value"] is None and data["round"] is None


@pytest.mark.parametrize("round_name", ROUNDS)
def test_a_round_keeps_only_its_questions(runner, bank, round_name):
    data = listed(runner, "--round", round_name.upper())
    assert data["round"] == round_name and 0 < data["count"] < data["total"]
    assert all(round_name in q["rounds"] for q in data["questions"])


def test_a_value_keeps_the_questions_tagged_with_it_spelled_as_the_company_does(runner, bank):
    data = listed(runner, "--value", "candor", "--level", "junior")
    assert data["value"] == "Candor" and data["count"] >= 3
    assert all("Candor" in q["values"] and "junior" in q["levels"] for q in data["questions"])


def test_the_view_shows_each_question_with_its_tags(runner, bank):
    result = run(runner, "questions", "--value", "Courage", "--round", "bar-raiser")
    assert result.exit_code == 0, result.output
    assert result.output.startswith("") and "questions for Courage, bar-raiser round:" in result.output
    assert "1.   " in result.output and "rounds: " in result.output and "levels: " in result.output


@pytest.mark.parametrize(("args", "sentence"), [
    (["--round", "onsite"], "unknown round 'onsite'; choose one of: recruiter, manager, peer, bar-raiser"),
    (["--level", "principal"], "unknown level 'principal'; choose one of: junior, mid, senior, staff"),
    (["--value", "Candour"], "unknown value 'Candour'; choose one of: Judgment, Candor, Courage,"),
])
def test_an_unknown_filter_is_one_sentence_listing_the_choices(runner, bank, args, sentence):
    before = snapshot(bank.root)
    result = run(runner, "questions", *args)
    assert result.exit_code == 2 and sentence in " ".join(result.output.split())
    assert "Traceback" not in result.output and len(result.output.strip().splitlines()) == 1
    assert snapshot(bank.root) == before


def test_a_value_of_another_company_is_listed_too(runner, bank):
    assert listed(runner, "--value", "frugality")["value"] == "Frugality"


def test_without_a_bank_every_tagged_value_is_a_choice(runner, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    result = runner.invoke(app, ["questions", "--value", "nope", "--stories", str(tmp_path / "none")])
    assert result.exit_code == 2 and '"Are Right, A Lot"' in result.output and "Be a Host" in result.output
    assert listed_outside(runner, tmp_path, "--value", "be a host")["value"] == "Be a Host"


def listed_outside(runner, tmp_path, *args) -> dict:
    result = runner.invoke(app, ["questions", *args, "--json", "--stories", str(tmp_path / "none")])
    assert result.exit_code == 0, result.output
    return json.loads(result.output)


def test_a_bank_adds_questions_and_replaces_one_of_the_same_wording(runner, bank):
    first = common_questions()[0]
    (bank.root / "questions.yaml").write_text(
        f'- {{text: "{first.text.upper()}", themes: [risk], values: [courage], rounds: [recruiter], levels: [junior]}}\n'
        '- {text: "Tell me about the riskiest film you greenlit.", themes: [risk], values: [courage], rounds: [peer]}\n')
    data = listed(runner)
    assert data["total"] == len(common_questions()) + 1
    replaced = [q for q in data["questions"] if q["text"].casefold() == first.text.casefold()]
    assert len(replaced) == 1 and replaced[0]["rounds"] == ["recruiter"] and replaced[0]["text"] == first.text.upper()
    assert data["questions"][-1]["text"] == "Tell me about the riskiest film you greenlit."
    own = listed(runner, "--round", "peer", "--value", "Courage")["questions"]
    assert "Tell me about the riskiest film you greenlit." in [q["text"] for q in own]


@pytest.mark.parametrize(("text", "where"), [
    ('- {text: "Fine question?", rounds: [peer]}\n- {text: "Bad?", rounds: [onsite]}\n',
     "questions.yaml:2: question 2: rounds: Value error, round 'onsite' is none of"),
    ('- {text: "Fine?"}\n- {text: "Typo?", valeus: [candor]}\n', "questions.yaml:2: question 2: valeus: Extra inputs"),
    ('- {text: "Fine?"}\n- {text: "Broken?", rounds: [peer\n', "questions.yaml:3: is not valid YAML"),
    ("text: not a list\n", "questions.yaml:1: is not a list of questions"),
    ('- {text: "Fine?"}\n- just words\n', "questions.yaml:2: item 2 is not a question"),
])
def test_a_malformed_questions_file_is_one_sentence_naming_the_file_and_line(runner, bank, text, where):
    (bank.root / "questions.yaml").write_text(text)
    before = snapshot(bank.root)
    for command in (["questions"], ["interview", "--show-prompt"]):
        result = run(runner, *command)
        assert result.exit_code != 0 and where in " ".join(result.output.split()), result.output
        assert "Traceback" not in result.output
    assert snapshot(bank.root) == before
