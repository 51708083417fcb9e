"""Every value of every built-in company profile is seeded only with questions that fit it: the question bank's tags
checked against the profiles, the way `coach interview` reaches a question from a value (planning's `probes`); and
the bank itself: no question twice, every question tagged by theme, value, round and level."""

from __future__ import annotations

import re
from itertools import combinations

import pytest

from coach.bank.catalog import common_questions, company_names, load_company, story_type_names
from coach.bank.questionbank import wording
from coach.bank.settings import LEVELS, ROUNDS, CommonQuestion, CompanyProfile
from coach.interview.planning import probes, tagged_values

# The profiles the question bank is seeded for: every built-in profile.
SEEDED = company_names()
PROFILES = [load_company(name) for name in SEEDED]
QUESTIONS = common_questions()

KNOWN_MISMATCHES = [  # (company, value, the start of a question that does not probe it)
    ("Netflix", "People Over Process", "Tell me about a time you gave a colleague difficult feedback"),
    ("Netflix", "People Over Process", "Tell me about a time you led without formal authority"),
    ("Netflix", "People Over Process", "Tell me about a time you took ownership of a problem"),
    ("Netflix", "Creativity", "Describe a time you were transparent about bad news"),
    ("Netflix", "Selflessness", "Tell me about a time you went beyond what a customer asked for"),
    ("Netflix", "Uncomfortably Exciting", "Tell me about a time you had to decide with conflicting data"),
    ("Netflix", "Inclusion", "Tell me about unglamorous work you took on"),
    ("Netflix", "Candor", "Describe a time you helped a teammate"),
    ("Amazon", "Think Big", "Tell me about a time you gave someone on your team room to own a decision"),
    ("Amazon", "Bias for Action", "Tell me about an idea of yours that others thought would not work"),
    ("Amazon", "Ownership", "Tell me about a time you made sure every voice on the team was heard"),
    ("Amazon", "Have Backbone; Disagree and Commit", "Tell me about a time you gave a colleague difficult feedback"),
    ("Amazon", "Insist on the Highest Standards", "Tell me about a time you missed a deadline"),
    ("Amazon", "Deliver Results", "Tell me about a time you made something simpler"),
    ("Generic", "Integrity", "Tell me about a time you disagreed with your manager"),
    ("Generic", "Ownership", "Tell me about a time you bet on something new"),
    ("Generic", "Impact", "Tell me about a time you went beyond what a customer asked for"),
]


def shown_by(profile: CompanyProfile) -> dict[str, set[str]]:
    """Return each value (lower case) with the story types the profile ties it to, as planning reads them."""
    types: dict[str, set[str]] = {}
    for kind, names in profile.story_values.items():
        for name in names:
            types.setdefault(name.lower(), set()).add(kind)
    return types


def reached(profile: CompanyProfile, value: str, questions: list[CommonQuestion] = QUESTIONS) -> list[CommonQuestion]:
    """Return the questions `coach interview` may ask for this value of this profile."""
    types = shown_by(profile)
    named = tagged_values(questions)
    return [q for q in questions if probes(q, value, types, named)]


def strays(profile: CompanyProfile, value: str, questions: list[CommonQuestion] = QUESTIONS) -> list[str]:
    """Return the questions a value reaches through a story type although their tags do not name it."""
    return [q.text for q in reached(profile, value, questions) if value.lower() not in q.values]


def tagged(value: str) -> list[CommonQuestion]:
    """Return the questions whose tags name this value."""
    return [q for q in QUESTIONS if value.lower() in q.values]


CASES = [(p.name, v.name) for p in PROFILES for v in p.values]


@pytest.mark.parametrize(("company", "value"), CASES)
def test_every_value_reaches_only_questions_tagged_with_it(company, value):
    profile = next(p for p in PROFILES if p.name == company)
    assert not strays(profile, value), f"{company} {value} reaches questions not tagged with it"


@pytest.mark.parametrize(("company", "value"), CASES)
def test_every_value_has_at_least_three_fitting_questions(company, value):
    profile = next(p for p in PROFILES if p.name == company)
    assert len(reached(profile, value)) >= 3 and len(tagged(value)) >= 3


def test_every_tag_names_a_value_of_a_profile_and_every_theme_a_story_type():
    values = {v.name.lower() for p in PROFILES for v in p.values}
    types = set(story_type_names())
    for question in QUESTIONS:
        assert set(question.values) <= values, f"{question.text}: {set(question.values) - values} names no value"
        assert question.themes and set(question.themes) <= types, question.text


def test_every_story_type_a_profile_ties_a_value_to_has_its_own_questions():
    for profile in PROFILES:
        for kind, names in profile.story_values.items():
            names_known = {v.name for v in profile.values}
            assert set(names) <= names_known, f"{profile.name} {kind}: {set(names) - names_known} is no value of it"
            assert len([q for q in QUESTIONS if kind in q.themes]) >= 3, f"{kind} has fewer than 3 questions"


@pytest.mark.parametrize(("company", "value", "start"), KNOWN_MISMATCHES)
def test_a_known_mismatch_is_never_asked(company, value, start):
    profile = next(p for p in PROFILES if p.name == company)
    matching = [q for q in QUESTIONS if q.text.startswith(start)]
    assert matching, f"no question starts with {start!r}; update the table"
    assert not [q.text for q in reached(profile, value) if q.text.startswith(start)]


def test_a_question_of_a_values_story_type_is_not_asked_for_it_unless_tagged_with_it():
    planted = CommonQuestion(text="Tell me about a time you gave someone difficult feedback.",
                             themes=["conflict", "leadership"], values=["candor", "selflessness", "integrity"])
    netflix = next(p for p in PROFILES if p.name == "Netflix")
    assert planted not in reached(netflix, "People Over Process", [*QUESTIONS, planted])
    assert planted in reached(netflix, "Candor", [*QUESTIONS, planted])


def test_every_built_in_profile_is_seeded():
    assert len(SEEDED) >= 17 and set(SEEDED) == set(company_names())


def test_a_value_no_question_names_is_met_by_its_story_types_questions():
    netflix = next(p for p in PROFILES if p.name == "Netflix")
    untagged = [q.model_copy(update={"values": [v for v in q.values if v != "candor"]}) for q in QUESTIONS]
    met = reached(netflix, "Candor", untagged)
    assert met and all("conflict" in q.themes for q in met)


def test_the_bank_has_at_least_150_questions_none_twice():
    keys = [wording(q.text) for q in QUESTIONS]
    assert len(QUESTIONS) >= 150 and len(set(keys)) == len(keys)


COMMON_WORDS = set("a an the of to you your in on it and or for with that was what did how about me tell time describe "
                   "when were be is this do had have by as at from they them their not one".split())


def content(text: str) -> set[str]:
    """Return the words of a question that say what it is about."""
    return {word for word in re.findall(r"[a-z']+", text.lower()) if word not in COMMON_WORDS}


def test_no_question_is_a_templated_variant_of_another():
    for a, b in combinations(QUESTIONS, 2):
        shared = len(content(a.text) & content(b.text)) / len(content(a.text) | content(b.text))
        assert shared < 0.5, f"{a.text!r} and {b.text!r} share {shared:.0%} of their words"


def test_every_question_is_tagged_by_round_and_level():
    for question in QUESTIONS:
        assert question.rounds and set(question.rounds) <= set(ROUNDS), question.text
        assert question.levels and set(question.levels) <= set(LEVELS), question.text


@pytest.mark.parametrize("round_name", ROUNDS)
def test_every_round_has_questions_at_every_level(round_name):
    for level in LEVELS:
        fitting = [q for q in QUESTIONS if round_name in q.rounds and level in q.levels]
        assert len(fitting) >= 5, f"{round_name} {level}: {len(fitting)}"


@pytest.mark.parametrize("round_name", ROUNDS)
def test_every_round_covers_every_story_type_a_profile_ties_values_to(round_name):
    kinds = {kind for p in PROFILES for kind in p.story_values}
    asked = {t for q in QUESTIONS if round_name in q.rounds for t in q.themes}
    assert kinds - {"conflict"} <= asked or round_name == "recruiter", kinds - asked
