"""`coach questions`: the common questions a mock interview draws on, filtered by value, round and level, the way
`coach interview` would choose among them (the bank's own questions.yaml included)."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from coach.bank.catalog import common_questions, find_company
from coach.bank.settings import LEVELS, ROUNDS, BankSettings, CommonQuestion
from coach.errors import CoachError


@dataclass
class Listing:
    """The questions chosen, and what they were chosen by."""

    questions: list[CommonQuestion]
    value: str = ""
    round: str = ""
    level: str = ""
    total: int = 0  # how many questions the bank holds in all
    names: dict[str, str] = field(default_factory=dict)  # each value tag (lower case) as its company spells it

    def value_names(self, question: CommonQuestion) -> list[str]:
        """Return the values a question is tagged with, as their companies spell them."""
        return [self.names.get(tag, tag) for tag in question.values]

    def as_dict(self) -> dict:
        """Return the listing as plain data for JSON output."""
        return {"value": self.value or None, "round": self.round or None, "level": self.level or None,
                "total": self.total, "count": len(self.questions),
                "questions": [{**q.model_dump(mode="json"), "values": self.value_names(q)} for q in self.questions]}


def check_round(round: str | None) -> str:
    """Return the round named (lower case), or refuse one no interview has, in a sentence listing the rounds."""
    return _chosen("round", round, ROUNDS)


def check_level(level: str | None) -> str:
    """Return the level named (lower case), or refuse an unknown one, in a sentence listing the levels."""
    return _chosen("level", level, LEVELS)


def _chosen(what: str, given: str | None, known) -> str:
    if given is None:
        return ""
    key = given.strip().lower()
    if key not in known:
        raise CoachError(f"unknown {what} '{given}'; choose one of: {', '.join(known)}")
    return key


def types_by_value(settings: BankSettings, bank_root: Path | None) -> dict[str, set[str]]:
    """Return each value (lower case) of the bank's company profile with the story types that show it best."""
    profile = find_company(settings.company, bank_root)
    shown: dict[str, set[str]] = {}
    for kind, names in (profile.story_values if profile else {}).items():
        for name in names:
            shown.setdefault(name.lower(), set()).add(kind)
    return shown


def spelled(bank_root: Path | None, settings: BankSettings) -> dict[str, str]:
    """Return each value's name (lower case) as the bank, else a company profile, spells it: `Be a Host`."""
    from coach.bank.companies import all_profiles

    names = {v.name.lower(): v.name for p in all_profiles(bank_root) for v in p.profile.values}
    return names | {v.name.lower(): v.name for v in settings.values}


def shown_as(name: str) -> str:
    """Return a value's name as a list shows it: in double quotes when it has a comma of its own."""
    return f'"{name}"' if "," in name else name


def check_value(value: str | None, questions: list[CommonQuestion], settings: BankSettings,
                names: dict[str, str]) -> str:
    """Return the value named as the bank or a profile spells it, or refuse an unknown one in a sentence that lists
    the choices (the bank's values when it has some, else every value a question is tagged with)."""
    if value is None:
        return ""
    key = " ".join(value.split()).lower()
    if not key:
        raise CoachError('--value is empty; name a value, e.g. --value "Customer Obsession"')
    own = [v.name for v in settings.values]
    tagged = {tag for q in questions for tag in q.values}
    if key in {name.lower() for name in own} or key in tagged:
        return names.get(key, value.strip())
    if own:
        raise CoachError(f"unknown value '{value}'; choose one of: {', '.join(shown_as(name) for name in own)} "
                         "(or any value `coach questions` shows a question tagged with)")
    choices = sorted((names.get(tag, tag) for tag in tagged), key=str.casefold)
    raise CoachError(f"unknown value '{value}'; choose one of: {', '.join(shown_as(name) for name in choices)}")


def list_questions(bank_root: Path | None, settings: BankSettings, value: str | None = None,
                   round: str | None = None, level: str | None = None) -> Listing:
    """Return the questions for a value, round and level (each optional), in the bank's order."""
    from coach.interview.planning import at_level, in_round, probes, tagged_values

    chosen_round, chosen_level = check_round(round), check_level(level)
    questions = common_questions(bank_root)
    names = spelled(bank_root, settings)
    chosen_value = check_value(value, questions, settings, names)
    named = tagged_values(questions)
    shown = types_by_value(settings, bank_root)
    fitting = [q for q in questions
               if (not chosen_value or probes(q, chosen_value, shown, named)) and in_round(q, chosen_round)
               and at_level(q, chosen_level)]
    return Listing(fitting, chosen_value, chosen_round, chosen_level, len(questions), names)
