"""What a bank is set up with and draws on: its settings (`coach.yaml`) and company values, the story types, the
company profiles, and the common questions with the rounds and levels they suit."""

from __future__ import annotations

from datetime import date

from pydantic import Field, field_validator

from coach.bank.models import (
    DEFAULT_TARGET,
    DEFAULT_WPM,
    QuestionGroup,
    Strict,
    _as_field_error,
    checked_rate,
    checked_window,
)


class CompanyValue(Strict):
    """A company value and what it means, in one line."""

    name: str
    meaning: str = ""


class BankSettings(Strict):
    """Settings shared by every story in a bank (the bank's `coach.yaml`)."""

    company: str = "Generic"
    role: str = ""
    values: list[CompanyValue] = Field(default_factory=list)
    target_seconds: tuple[int, int] = DEFAULT_TARGET
    words_per_minute: int = DEFAULT_WPM

    @field_validator("target_seconds", mode="before")
    @classmethod
    def _ordered_window(cls, window: object) -> object:
        return _as_field_error(checked_window, window)

    @field_validator("words_per_minute", mode="before")
    @classmethod
    def _plausible_rate(cls, wpm: object) -> object:
        return _as_field_error(checked_rate, wpm)


class StoryType(Strict):
    """A kind of behavioral story and the extraction questions that draw it out."""

    name: str
    title: str
    prompt: str
    groups: list[QuestionGroup]
    connection: list[str] = Field(default_factory=list)


class ProfileSource(Strict):
    """Where a built-in company profile comes from: the public page, and when coach's summary of it was written."""

    title: str
    url: str = ""
    written: date
    note: str = ""


class CompanyProfile(Strict):
    """A target company: its values, which values each story type shows best, other names and its source."""

    name: str
    aliases: list[str] = Field(default_factory=list)
    source: ProfileSource | None = None
    values: list[CompanyValue]
    story_values: dict[str, list[str]] = Field(default_factory=dict)
    connection: dict[str, list[str]] = Field(default_factory=dict)


ROUND_MEANINGS = {  # the interview rounds a question suits, and who asks in each
    "recruiter": "the screen",
    "manager": "the hiring manager",
    "peer": "a future colleague",
    "bar-raiser": "an interviewer from outside the team who probes depth and holds the hiring bar",
}
ROUNDS = tuple(ROUND_MEANINGS)
LEVELS = ("junior", "mid", "senior", "staff")  # the seniority a question suits


class CommonQuestion(Strict):
    """A common behavioral interview question, tagged by theme (story types), by the values it probes, and by the
    rounds and levels it suits (none listed: any)."""

    text: str
    themes: list[str] = Field(default_factory=list)
    values: list[str] = Field(default_factory=list)
    rounds: list[str] = Field(default_factory=list)
    levels: list[str] = Field(default_factory=list)

    @field_validator("themes", "values", "rounds", "levels")
    @classmethod
    def _lower(cls, tags: list[str]) -> list[str]:
        """Keep tags in lower case, as values and rounds are matched."""
        return [" ".join(tag.split()).lower() for tag in tags]

    @field_validator("rounds", "levels")
    @classmethod
    def _known(cls, tags: list[str], info) -> list[str]:
        """Refuse a round no interview has, or a level coach does not know."""
        known = ROUNDS if info.field_name == "rounds" else LEVELS
        unknown = [tag for tag in tags if tag not in known]
        if unknown:
            raise ValueError(f"{info.field_name[:-1]} {unknown[0]!r} is none of {', '.join(known)}")
        return tags
