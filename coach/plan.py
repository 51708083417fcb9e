"""A plan to the interview date, from the bank's files alone: which stories to rehearse today and why, which company
values still lack a story (and the questions that would start one), and how many takes and mock interviews fit.

The rules, stated once (the README says them too): a good take is one inside the story's target window; a story
needs GOOD_TAKES of them; on a full day each story gets up to TAKES_PER_DAY takes (one to keep it fresh once it has
its good takes); a mock interview every MOCK_EVERY days; the day before the interview is light (one take of each
story, no mock interview).
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path

from coach.bank.catalog import find_company, load_story_type, story_type_names
from coach.bank.folder import Bank, slugify
from coach.bank.models import QuestionGroup, Story
from coach.bank.settings import BankSettings, CompanyProfile
from coach.errors import CoachError
from coach.method.board import PRACTICE_GOAL, StoryProgress, story_progress, value_coverage
from coach.method.text import fit

GOOD_TAKES = PRACTICE_GOAL  # takes inside the window a story needs to be ready
TAKES_PER_DAY = 3  # takes of each story on a full day, until it has its good takes
MOCK_EVERY = 3  # days between mock interviews
EXAMPLE = "2026-12-15"


def interview_date(text: str, today: date) -> date:
    """Return --date as a date after today, or refuse it in one sentence."""
    try:
        if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", text.strip()):
            raise ValueError
        day = date.fromisoformat(text.strip())
    except ValueError:
        raise CoachError(f"--date '{text}' is not a date; write the interview's date as YYYY-MM-DD, like {EXAMPLE}") from None
    if day < today:
        raise CoachError(f"--date {day} is in the past (today is {today}); give the date of an interview still to come")
    if day == today:
        raise CoachError(f"--date {day} is today, so no day is left to plan; run through your hooks with "
                         "`coach practice STORY --cue` before you go in")
    return day


@dataclass
class Rehearsal:
    """One story in today's plan: how many takes to do today and why it stands where it does."""

    slug: str
    title: str
    takes_today: int
    good_takes: int
    takes: int
    coverage: int | None  # the share of the script the latest heard take said, in percent
    last_practised: date | None
    why: str
    ready: bool = True  # False: the story must be refined or filled in before it is rehearsed
    command: str = ""
    done_today: int = 0  # takes already recorded today, which today's count leaves out

    def order(self) -> tuple:
        """Sort key: fewest good takes, worst coverage (unheard counts as worst), oldest practice (never first)."""
        return (self.good_takes, -1 if self.coverage is None else self.coverage,
                self.last_practised or date.min, self.slug)

    def as_dict(self) -> dict:
        """Return the story's line of the plan as plain data for JSON output."""
        return {"story": self.slug, "title": self.title, "ready": self.ready, "takes_today": self.takes_today,
                "done_today": self.done_today, "good_takes": self.good_takes, "takes": self.takes, "coverage": self.coverage,
                "last_practised": self.last_practised.isoformat() if self.last_practised else None,
                "why": self.why, "command": self.command}


@dataclass
class ValueGap:
    """Company values no story targets yet, and the story type whose extraction questions would start one."""

    values: list[str]
    type: str
    command: str
    prompt: str
    heading: str
    questions: list[str]
    others: list[str] = field(default_factory=list)  # other story types the company ties to these values

    def as_dict(self) -> dict:
        """Return the gap as plain data for JSON output."""
        return {"values": self.values, "type": self.type, "command": self.command, "prompt": self.prompt,
                "heading": self.heading, "questions": self.questions, "other_types": self.others}


@dataclass
class Plan:
    """What to do today to be ready by the interview date, and what fits the days left."""

    company: str
    today: date
    interview: date
    stories: list[Rehearsal]
    gaps: list[ValueGap]
    values: int  # how many company values coach.yaml sets
    mocks_done: int
    last_mock: date | None
    good_takes_needed: int = 0
    days_needed: int = 0
    mocks_left: int = 0
    mock_today: bool = False

    @property
    def days_left(self) -> int:
        """Return the days from today to the interview, today counted and the interview's day not."""
        return (self.interview - self.today).days

    @property
    def full_days(self) -> int:
        """Return the days left before the light last day."""
        return self.days_left - 1

    @property
    def light_today(self) -> bool:
        """Return True when today is the day before the interview."""
        return self.days_left == 1

    @property
    def fits(self) -> bool:
        """Return True when the full days left are enough for every story to get its good takes."""
        return self.days_needed <= self.full_days

    def as_dict(self) -> dict:
        """Return the plan as plain data for JSON output."""
        return {"company": self.company, "today": self.today.isoformat(), "interview": self.interview.isoformat(),
                "days_left": self.days_left, "full_days": self.full_days, "light_today": self.light_today,
                "rehearse": [s.as_dict() for s in self.stories if s.ready],
                "prepare": [s.as_dict() for s in self.stories if not s.ready],
                "values": self.values, "value_gaps": [gap.as_dict() for gap in self.gaps],
                "rules": {"good_takes": GOOD_TAKES, "takes_per_day": TAKES_PER_DAY, "mock_every_days": MOCK_EVERY},
                "good_takes_needed": self.good_takes_needed, "days_needed": self.days_needed, "fits": self.fits,
                "mock_today": self.mock_today, "mocks_left": self.mocks_left, "mocks_done": self.mocks_done,
                "last_mock": self.last_mock.isoformat() if self.last_mock else None}


def rehearsal(story: Story, settings: BankSettings, slug: str, today: date, light: bool) -> Rehearsal:
    """Return one story's place in today's plan: its good takes, coverage, last practice, takes today and why."""
    row: StoryProgress = story_progress(story, settings, slug)
    window = story.window(settings)
    takes = list(story.practice)
    good = sum(fit(take.seconds, window) == "within" for take in takes)
    heard = [take.coverage for take in takes if take.heard and take.coverage is not None]
    last = max(take.at.date() for take in takes) if takes else None  # by day: a take's time may carry a zone or not
    item = Rehearsal(slug, story.title, 0, good, len(takes), heard[-1] if heard else None, last, "",
                     command=f"coach practice {slug}")
    if not row.refined:
        item.ready = False
        item.why, item.command = _not_ready(row, slug)
        return item
    today_takes = [take for take in takes if take.at.date() == today]
    before = good - sum(fit(take.seconds, window) == "within" for take in today_takes)  # good takes before today
    planned = 1 if light or before >= GOOD_TAKES else min(TAKES_PER_DAY, GOOD_TAKES - before)
    item.done_today = len(today_takes)
    item.takes_today = max(0, planned - item.done_today)
    item.why = _why(item, window, today)
    return item


def _not_ready(row: StoryProgress, slug: str) -> tuple[str, str]:
    """Say what a story needs before it can be rehearsed, and the command that does it."""
    if row.placeholders:
        blanks = "1 [placeholder]" if row.placeholders == 1 else f"{row.placeholders} [placeholders]"
        return f"fill in the {blanks} of its ## Refined first", f"coach edit {slug}"
    if not row.drafted:
        return "no draft yet: write it under ## Draft and answer its questions, then refine it", f"coach refine {slug}"
    return "no refined version yet: refine it first", f"coach refine {slug}"


def _why(item: Rehearsal, window: tuple[int, int], today: date) -> str:
    """Say why a ready story stands where it does in today's list."""
    if not item.takes:
        return "never practised out loud"
    low, high = window
    if item.good_takes >= GOOD_TAKES:
        parts = [f"{item.good_takes} good takes: one run-through keeps it fresh"]
    else:
        parts = [f"{item.good_takes} of {GOOD_TAKES} good takes ({low}-{high}s)"]
    if item.coverage is not None:
        parts.append(f"last heard take said {item.coverage}% of the script")
    days = (today - item.last_practised).days if item.last_practised else 0
    parts.append("practised today" if days <= 0 else "last practised yesterday" if days == 1
                 else f"last practised {days} days ago")
    return "; ".join(parts)


def value_gaps(stories: list[Story], slugs: list[str], settings: BankSettings, root: Path) -> list[ValueGap]:
    """Return the company values no story targets, each with the story type that would start one.

    The type is one the company profile ties to the value: one already chosen for another gap (a story for both),
    else the one tied to most of the missing values, else one the bank has no story of, else the profile's first; a
    value tied to no type gets the general type."""
    coverage = value_coverage(stories, settings, slugs)
    missing = [value.name for value in settings.values if not coverage.get(value.name)]
    profile = find_company(settings.company, root)
    known = set(story_type_names(root))
    used = {story.type.lower() for story in stories}
    gaps: dict[str, ValueGap] = {}
    for value in missing:
        tied = [kind for kind in _tied_types(profile, value) if kind in known]
        covers = {kind: sum(kind in _tied_types(profile, other) for other in missing) for kind in tied}
        chosen = max(tied, key=lambda kind: (kind in gaps, covers[kind], kind not in used), default="general")
        if chosen in gaps and chosen != "general":
            gaps[chosen].values.append(value)
            continue
        key = chosen if chosen != "general" else f"general:{value}"
        gaps[key] = _gap(value, chosen, [kind for kind in tied if kind != chosen], set(slugs), root)
    return list(gaps.values())


def _tied_types(profile: CompanyProfile | None, value: str) -> list[str]:
    """Return the story types a company profile ties to a value, in the profile's order."""
    if profile is None:
        return []
    return [kind for kind, names in profile.story_values.items() if value.casefold() in (n.casefold() for n in names)]


def _gap(value: str, kind: str, others: list[str], files: set[str], root: Path) -> ValueGap:
    """Return a value gap started by a story type: the command, the type's prompt and its defining questions."""
    story_type = load_story_type(kind, root)
    groups = story_type.groups or [QuestionGroup(heading="Questions")]  # a bank's own type may have none
    group = groups[1] if len(groups) > 1 else groups[0]  # the first group sets the scene; the second is the type's own
    command = f"coach new {kind}"
    if kind == "general" or kind in files:  # a second story of a type needs a title to name its file
        title = value if slugify(value, fallback="") not in (*story_type_names(root), *files, "") else f"{value} story"
        command += f' --title "{title}"'
    return ValueGap([value], kind, command, story_type.prompt, group.heading, [q.text for q in group.questions], others)


def last_mock(sessions: list[dict]) -> date | None:
    """Return the day of the latest saved mock interview, from its `started` or its file's name."""
    days = []
    for row in sessions:
        for text in (str(row.get("started") or ""), str(row.get("file") or "")):
            try:
                days.append(date.fromisoformat(text[:10]))
                break
            except ValueError:
                continue
    return max(days) if days else None


def make_plan(bank: Bank, interview: date, now: datetime, sessions: list[dict]) -> Plan:
    """Plan today and the days left to the interview from the bank's stories and its saved mock interviews."""
    today = now.date()
    settings = bank.settings()
    loaded = list(bank.stories())
    stories, slugs = [story for _, story in loaded], [path.stem for path, _ in loaded]
    light = (interview - today).days == 1
    items = sorted((rehearsal(story, settings, slug, today, light) for story, slug in zip(stories, slugs, strict=True)),
                   key=Rehearsal.order)
    plan = Plan(settings.company, today, interview, items, value_gaps(stories, slugs, settings, bank.root),
                len(settings.values), len(sessions), last_mock(sessions))
    plan.good_takes_needed = sum(max(0, GOOD_TAKES - item.good_takes) for item in items)
    plan.days_needed = max((math.ceil(max(0, GOOD_TAKES - item.good_takes) / TAKES_PER_DAY) for item in items), default=0)
    since = (today - plan.last_mock).days if plan.last_mock else None
    first = 0 if since is None else max(0, MOCK_EVERY - since)  # the first full day a mock interview is due
    plan.mocks_left = len(range(first, plan.full_days, MOCK_EVERY))
    plan.mock_today = first == 0 and plan.full_days > 0 and any(item.ready for item in items)  # a story to tell
    return plan
