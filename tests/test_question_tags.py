"""Every value of every built-in company profile is seeded only with questions that fit it: the question bank's tags
checked against the profiles, the way `coach interview` reaches a question from a value (planning's `_probes`)."""

from __future__ import annotations

import pytest

from coach.bank.catalog import common_questions, company_names, load_company, story_type_names
from coach.bank.models import CommonQuestion, CompanyProfile
from coach.interview.planning import _probes

# The profiles the question bank is seeded for. The others (added for `coach init --company NAME`) tie their values to
# story types, but no question is tagged with their values yet: seeding them is issue #23's question bank, which
# then adds each name here, until this list is every built-in profile.
SEEDED = ["amazon", "generic", "netflix"]
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
    return [q for q in questions if _probes(q, value, types)]


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


def test_a_question_themed_for_a_value_it_does_not_fit_is_refused():
    planted = CommonQuestion(text="Tell me about a time you gave someone difficult feedback.",
                             themes=["conflict", "leadership"], values=["candor", "selflessness", "integrity"])
    netflix = next(p for p in PROFILES if p.name == "Netflix")
    assert strays(netflix, "People Over Process", [*QUESTIONS, planted]) == [planted.text]


def test_the_seeded_profiles_are_built_in_profiles():
    assert set(SEEDED) <= set(company_names())
