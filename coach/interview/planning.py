"""Choosing a mock interview's questions: the values the bank covers least (or those named, or one story's), each
met by a common question from the built-in bank (`bank/data/questions.yaml`); and `/hint`, the story that fits."""

from __future__ import annotations

import random

from coach.bank.catalog import common_questions, find_company
from coach.bank.folder import Bank, load_story
from coach.bank.models import Story
from coach.bank.phrases import company_phrase
from coach.bank.settings import BankSettings, CommonQuestion
from coach.errors import CoachError
from coach.interview.session import Planned
from coach.method.board import value_coverage
from coach.method.text import sentences


def values_by_need(stories: list[Story], slugs: list[str], settings: BankSettings) -> list[str]:
    """Return the bank's values, those its stories cover least first."""
    coverage = value_coverage(stories, settings, slugs)
    order = {name: i for i, name in enumerate(coverage)}
    return sorted(coverage, key=lambda value: (len(coverage[value]), order[value]))


def plan(bank: Bank, count: int, values: list[str] | None = None, story: str | None = None,
         rng: random.Random | None = None, round: str | None = None, level: str | None = None) -> list[Planned]:
    """Choose `count` main questions: for the named values, or the values the bank covers least; or, with a story,
    the questions that story should answer, its prepared follow-ups as probes. With a round (`recruiter`, `manager`,
    `peer`, `bar-raiser`), the questions are that round's when it has any that fit; with a level (`junior`, `mid`,
    `senior`, `staff`), that level's, when the round has some."""
    rng = rng or random.Random()
    settings = bank.settings()
    pairs = list(bank.stories())
    stories, slugs = [s for _, s in pairs], [p.stem for p, _ in pairs]
    shown_by = _shown_by(bank, settings)
    everything = common_questions(bank.root)
    rng.shuffle(everything)
    in_the_round = [q for q in everything if in_round(q, round)] or everything
    seeds = [q for q in in_the_round if at_level(q, level)] or in_the_round
    if story is not None:
        return _with_round(_rehearsal(bank, story, count, seeds), round)
    wanted = _named_values(values, settings) if values else values_by_need(stories, slugs, settings)
    if not wanted:
        wanted = sorted({t for q in seeds for t in q.themes})  # a bank without values: practise every theme
    planned: list[Planned] = []
    used: set[str] = set()
    named = tagged_values(everything)
    for i in range(count):
        value = wanted[i % len(wanted)]
        unused = [q for q in seeds if q.text not in used]
        fitting = [q for q in unused if probes(q, value, shown_by, named)]  # tagged with it (or, untagged: its types)
        typed = [] if fitting else [q for q in unused if probes(q, value, shown_by, set())]  # else its story types
        question = (fitting or typed or unused or seeds)[0]
        used.add(question.text)
        stand_in = "" if fitting else _stand_in(value, round, level, bool(typed))
        planned.append(Planned(question.text, value, question.themes, round=round or "", stand_in=stand_in))
    return planned


def _stand_in(value: str, round: str | None, level: str | None, typed: bool) -> str:
    """Say why a question that does not draw out the value was asked for it: none that does was left."""
    where = " ".join(part for part in (round and f"{round}-round", level and f"{level}-level") if part)
    instead = "a question for a story type that shows it" if typed else "another common question"
    return f"no {where + ' ' if where else ''}question left draws out {value}, so coach asks {instead}"


def stand_ins(planned: list[Planned]) -> list[str]:
    """Return, once each, why questions that do not draw out their value were planned (empty when all do)."""
    return list(dict.fromkeys(p.stand_in for p in planned if p.stand_in))


def in_round(question: CommonQuestion, round: str | None) -> bool:
    """Return True when a question suits the round (any question suits no round; one tagged with none, any round)."""
    return not round or not question.rounds or round in question.rounds


def at_level(question: CommonQuestion, level: str | None) -> bool:
    """Return True when a question suits the level (any question suits no level; one tagged with none, any level)."""
    return not level or not question.levels or level in question.levels


def _with_round(planned: list[Planned], round: str | None) -> list[Planned]:
    for question in planned:
        question.round = round or ""
    return planned


def tagged_values(questions: list[CommonQuestion]) -> set[str]:
    """Return every value (lower case) some question is tagged with."""
    return {value for q in questions for value in q.values}


def _rehearsal(bank: Bank, story: str, count: int, seeds: list[CommonQuestion]) -> list[Planned]:
    """Return the questions one story should answer, its follow-ups shared out, one round after another."""
    chosen = load_story(bank.resolve(story))
    fitting = [q for q in seeds if chosen.type in q.themes] or seeds
    targets = chosen.values or [chosen.type]
    prepared = [f.question for f in chosen.follow_ups]
    rounds = min(count, len(fitting))
    return [Planned(q.text, targets[i % len(targets)], q.themes, prepared[i::rounds]) for i, q in enumerate(fitting[:rounds])]


def _shown_by(bank: Bank, settings: BankSettings) -> dict[str, set[str]]:
    """Return each value (lower case) with the story types that show it best, from the company profile."""
    profile = find_company(settings.company, bank.root)
    shown_by: dict[str, set[str]] = {}
    for kind, names in (profile.story_values if profile else {}).items():
        for name in names:
            shown_by.setdefault(name.lower(), set()).add(kind)
    return shown_by


def _named_values(values: list[str], settings: BankSettings) -> list[str]:
    known = {v.name.lower(): v.name for v in settings.values}
    named = [known.get(v.strip().lower(), v.strip()) for v in values if v.strip()]
    if not named:
        raise CoachError('--values names no value; give them like --values "Candor,Courage"')
    unknown = [v for v in named if known and v.lower() not in known]
    if unknown:
        listing = ", ".join(v.name for v in settings.values)
        raise CoachError(f"{', '.join(unknown)} {'is' if len(unknown) == 1 else 'are'} not among "
                         f"{company_phrase(settings.company)}'s values ({listing}); check the spelling in --values")
    return named


def probes(question: CommonQuestion, value: str, shown_by: dict[str, set[str]], named: set[str]) -> bool:
    """Return True when a question draws out the value: it is tagged with it; or, for a value no question is tagged
    with (a bank's own), it is of a story type the company profile ties the value to, or named like the value."""
    value = value.lower()
    if value in named:
        return value in question.values
    return value in question.themes or bool(shown_by.get(value, set()) & set(question.themes))


def hint(bank: Bank, planned: Planned) -> str:
    """Return which of the user's stories fits a question, and its hook, for `/hint`."""
    best = None
    for path, story in bank.stories():
        fit = (planned.value.lower() in (v.lower() for v in story.values)) * 2 + (story.type in planned.themes)
        if fit and (best is None or fit > best[0]):
            best = (fit, path.stem, story)
    if best is None:
        return "None of your stories is tagged for this; pick the one whose result you can say with a number."
    _, slug, story = best
    hook = (story.practice_notes.hooks or [_first_sentence(story.refined or story.draft)])[0]
    return f"Try your {slug} story ({story.title}). Open with: {hook}"


def _first_sentence(text: str) -> str:
    found = sentences(text)
    return found[0] if found else "(no hook yet: write one under ### Opening Hooks)"


def described(company: str, role: str, planned: list[Planned], persona: str) -> str:
    """Say in one line who a mock interview is for and what it asks about: `Netflix · peer round · 2 questions on
    Courage · neutral interviewer` (the terminal's heading and the page's; the round only when one was chosen)."""
    from coach.bank.phrases import named_company

    who = " · ".join(part for part in (named_company(company), role) if part)
    chosen = ", ".join(dict.fromkeys(p.value for p in planned))
    count = f"{len(planned)} question{'s' * (len(planned) != 1)}"
    round = next((p.round for p in planned if p.round), "")
    return " · ".join(part for part in (who, round and f"{round} round", f"{count} on {chosen}",
                                        f"{persona} interviewer") if part)
