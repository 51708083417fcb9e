"""The story as every prompt sees it: company and role (named or not), values with their meanings, draft and
extraction answers."""

from __future__ import annotations

from coach.bank.models import BankSettings, CompanyValue, Story
from coach.bank.phrases import naming_variables


def story_context(story: Story, settings: BankSettings) -> dict:
    """Return the variables of prompts/_story.jinja, which every feature's prompt includes."""
    meanings = {value.name.lower(): value.meaning for value in settings.values}
    return {
        **naming_variables(settings.company, settings.role),
        "title": story.title,
        "story_type": story.type,
        "values": [CompanyValue(name=name, meaning=meanings.get(name.lower(), "")) for name in story.values],
        "draft": story.draft or "(no draft yet: use the answers)",
        "extraction": story.extraction,
        "wpm": settings.words_per_minute,
    }
