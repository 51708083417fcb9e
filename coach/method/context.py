"""The story as every prompt sees it: company and role (named or not), values with their meanings, draft,
extraction answers, and the follow-up answers the candidate wrote themselves (their words, facts like the rest)."""

from __future__ import annotations

from coach.bank.catalog import find_company
from coach.bank.models import Story
from coach.bank.phrases import naming_variables
from coach.bank.settings import BankSettings, CompanyValue


def value_meanings(story: Story, settings: BankSettings) -> list[CompanyValue]:
    """Return the story's values with their meanings: the bank's, else the built-in company profile's, else none."""
    meanings = {value.name.lower(): value.meaning.strip() for value in settings.values if value.meaning.strip()}
    if any(name.lower() not in meanings for name in story.values):
        profile = find_company(settings.company) if settings.company.strip() else None
        for value in profile.values if profile else []:
            meanings.setdefault(value.name.lower(), value.meaning.strip())
    return [CompanyValue(name=name, meaning=meanings.get(name.lower(), "")) for name in story.values]


def story_context(story: Story, settings: BankSettings) -> dict:
    """Return the variables of prompts/_story.jinja, which every feature's prompt includes."""
    return {
        **naming_variables(settings.company, settings.role),
        "title": story.title,
        "story_type": story.type,
        "values": value_meanings(story, settings),
        "draft": story.draft or "(no draft yet: use the answers)",
        "extraction": story.extraction,
        "own_follow_ups": [{"question": f.question, "answer": f.answer}
                           for f in story.follow_ups if f.answer.strip() and not f.written_by_coach],
        "wpm": settings.words_per_minute,
    }
