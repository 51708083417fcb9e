"""`coach plan` for people: today's rehearsals and why, the values with no story yet, and what fits the days left."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from coach.display.bank import counted
from coach.display.layout import wrapped

if TYPE_CHECKING:
    from coach.plan import Plan, Rehearsal, ValueGap


def day(when: date) -> str:
    """Return a date as said in a plan: `Sat 12 Dec`."""
    return f"{when:%a} {when.day} {when:%b}"


def plan_view(plan: Plan) -> str:
    """Render the plan: a heading, today, the stories to prepare, the value gaps, then the days left."""
    from coach.bank.phrases import named_company

    company = named_company(plan.company)
    interview = f"your {company} interview" if company else "your interview"
    heading = (f"Plan for {interview} on {day(plan.interview)} {plan.interview.year}: "
               f"{counted(plan.days_left, 'day')} left, today ({day(plan.today)}) included.")
    blocks = ["\n".join(_lines(heading, 0)), today_block(plan)]
    waiting = [item for item in plan.stories if not item.ready]
    if waiting:
        blocks.append("\n".join(["Before rehearsing", *(line for item in waiting for line in _story(item, "-"))]))
    blocks.append(gaps_block(plan))
    blocks.append(days_block(plan))
    return "\n\n".join(block for block in blocks if block)


def today_block(plan: Plan) -> str:
    """Return what to do today: the stories in order with their takes and why, and whether a mock interview is due."""
    ready = [item for item in plan.stories if item.ready]
    lines = ["Today" + (" (the day before: keep it light)" if plan.light_today else "")]
    if not plan.stories:
        lines += _lines("No stories yet: start one with `coach new TYPE` (the values below say which type), or "
                        "`coach import DOC` for a power-stories document.", 2, "  ")
    elif not ready:
        lines += _lines("No story is ready to rehearse yet: prepare the ones below first.", 2, "  ")
    else:
        takes = sum(item.takes_today for item in ready)
        if takes:
            lines += _lines(f"Rehearse out loud with `coach practice STORY`, {counted(takes, 'take')} in all:", 2, "  ")
        else:
            done = sum(item.done_today for item in ready)
            lines += _lines(f"Today's takes are done ({done} in all); `coach practice STORY --history` shows how "
                            "they went.", 2, "  ")
        for number, item in enumerate(ready, 1):
            lines += _story(item, f"{number}.")
    lines += _lines(mock_today(plan), 2, "  ")
    return "\n".join(lines)


def _story(item: Rehearsal, mark: str) -> list[str]:
    """Return one story's lines: its slug and takes today (or the command that prepares it), then why."""
    if item.ready and not item.takes_today:
        head = f"{item.slug}: done for today, {counted(item.done_today, 'take')} so far"
    elif item.ready:
        takes = counted(item.takes_today, "more take" if item.done_today else "take")
        head = f"{item.slug}: {takes}" + (f", {item.done_today} done today" if item.done_today else "")
    else:
        head = f"{item.slug}: `{item.command}`"
    return _lines(f"{head} ({item.why})", len(mark) + 3, f"  {mark}")


def mock_today(plan: Plan) -> str:
    """Say whether today holds a mock interview, and how many were done so far."""
    done = f"{counted(plan.mocks_done, 'mock interview')} done so far"
    if plan.light_today:
        return f"No mock interview today: rest your voice for tomorrow ({done})."
    if plan.mock_today:
        return f"Mock interview: one today, with `coach interview` ({done})."
    if not any(item.ready for item in plan.stories):
        return f"Mock interview: once a story is refined, with `coach interview` ({done})."
    since = (plan.today - plan.last_mock).days if plan.last_mock else 0
    last = "today" if since == 0 else "yesterday" if since == 1 else f"{since} days ago"
    return f"No mock interview today: the last was {last} ({done})."


def gaps_block(plan: Plan) -> str:
    """Return the values with no story yet, each with the command and the questions that would start one."""
    if not plan.values:
        return "\n".join(_lines("No company values are set, so no gap can be named: run `coach init --company NAME` "
                                "or list them under `values:` in coach.yaml.", 0))
    missing = sum(len(gap.values) for gap in plan.gaps)
    if not missing:
        return "\n".join(_lines(f"Every one of the {counted(plan.values, 'company value')} has a story.", 0))
    lines = [f"Values with no story yet ({missing} of {plan.values})"]
    for gap in plan.gaps:
        lines += _gap(gap)
    return "\n".join(lines)


def _gap(gap: ValueGap) -> list[str]:
    """Return one gap: its values and command, the type's prompt, and the questions that would start the story."""
    from coach.method.text import quoted

    names = gap.values[0] if len(gap.values) == 1 else quoted(gap.values)  # a value's name may hold "and"
    lines = _lines(f"{names}: `{gap.command}`", 4, "  -")
    lines += _lines(gap.prompt, 4, "    ")
    lines += _lines(f"Questions that start it ({gap.heading}):", 4, "    ")
    for question in gap.questions:
        lines += _lines(question, 6, "    -")
    if gap.others:
        lines += _lines(f"(or {', '.join(f'`coach new {kind}`' for kind in gap.others)})", 4, "    ")
    return lines


def days_block(plan: Plan) -> str:
    """Return what fits the days left: good takes, mock interviews, and the light last day."""
    from coach.plan import GOOD_TAKES, MOCK_EVERY, TAKES_PER_DAY

    lines = ["Until the interview"]
    full = counted(plan.full_days, "full day")
    if plan.good_takes_needed:
        need = (f"{counted(plan.good_takes_needed, 'good take')} still to get ({GOOD_TAKES} a story, inside its "
                f"window); at up to {TAKES_PER_DAY} takes a story a day that is {counted(plan.days_needed, 'day')}, "
                f"and {full} {'is' if plan.full_days == 1 else 'are'} left")
        verdict = ": it fits." if plan.fits else ": it does not all fit, so rehearse every story every day."
        lines += _lines(need + verdict, 4, "  -")
    elif plan.stories:
        lines += _lines(f"Every story has its {GOOD_TAKES} good takes: one run-through a day keeps each fresh.", 4, "  -")
    mocks = (f"{plan.mocks_left} more {'mock interview fits' if plan.mocks_left == 1 else 'mock interviews fit'} "
             f"(one every {MOCK_EVERY} days, on full days only)")
    lines += _lines(mocks + f"; {plan.mocks_done} done so far.", 4, "  -")
    if plan.light_today:
        lines += _lines("Today is the day before: one take of each story, no mock interview.", 4, "  -")
    else:
        eve = date.fromordinal(plan.interview.toordinal() - 1)
        lines += _lines(f"{day(eve)}, the day before, is light: one take of each story, no mock interview.", 4, "  -")
    return "\n".join(lines)


def _lines(text: str, indent: int, first: str = "") -> list[str]:
    """Wrap text to the terminal with a hanging indent, starting with `first`."""
    return wrapped(text, indent, first if first.strip() or not first else None)
