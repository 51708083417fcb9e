"""Reports on the bank: the import summary, check findings and the status board."""

from __future__ import annotations

from typing import TYPE_CHECKING

from coach.display.layout import cells, columns, pad, table, wrap, wrapped
from coach.method.text import fit, word_count

if TYPE_CHECKING:
    from coach.document.importer import ImportResult
    from coach.method.board import BankStatus
    from coach.method.check import StoryReport

MARK = {True: "✓", False: "☐"}


def import_summary(results: list[ImportResult]) -> str:
    """Summarise what an import wrote."""
    rows = []
    for result in results:
        story = result.story
        if story is None:
            rows.append([result.path.name, "bank settings", "", "", "", "", result.action])
            continue
        answered = len(story.questions()) - len(story.unanswered())
        rows.append([
            result.path.name, story.title, story.type, f"{answered}/{len(story.questions())}",
            str(word_count(story.refined)), str(len(story.follow_ups)), result.action,
        ])
    header = ["file", "title", "type", "answered", "words", "follow-ups", "action"]
    imported = sum(1 for r in results if r.story is not None)
    done = f"Imported {imported} stories into {results[0].path.parent}."
    return table(header, rows, shrink=(1, 0)) + "\n\n" + "\n".join(wrapped(done, 2, ""))


def check_report(reports: list[StoryReport]) -> str:
    """Render `coach check` findings for people, wrapped to the terminal."""
    from coach.method.check import ERROR, WARNING

    blocks = ["\n".join(story_check(report)) for report in reports]
    errors = sum(f.severity == ERROR for r in reports for f in r.findings)
    warnings = sum(f.severity == WARNING for r in reports for f in r.findings)
    stories = "1 story" if len(reports) == 1 else f"{len(reports)} stories"
    blocks.append(f"{stories} checked: {counted(errors, 'error')}, {counted(warnings, 'warning')}.")
    return "\n\n".join(blocks)


def counted(number: int, noun: str) -> str:
    """Return "1 error", "2 errors"."""
    return f"{number} {noun}{'s' * (number != 1)}"


def story_check(report: StoryReport) -> list[str]:
    """Return one story's `coach check` report: its parts' words and seconds, then its findings, wrapped."""
    low, high = report.target
    lines = wrapped(f"{report.title}  (target {low}-{high}s at {report.wpm} wpm)", 2, f"{report.slug}:")
    for part in report.parts:
        verdict = f"{fit(part.seconds, report.target)} target" if part.part == "refined" else ""
        lines.append(f"  {part.part:<8} {part.words:>4} words  {part.seconds:>5.1f}s  {verdict}".rstrip())
    return lines + (finding_lines(report.findings) or ["  no findings"])


def finding_lines(findings) -> list[str]:
    """Return check findings as `coach check` words them, each wrapped with a hanging indent."""
    lines = []
    for finding in findings:
        where = "" if finding.part == "refined" else f" [{finding.part}]"
        lines += wrapped(f"{finding.code}{where}: {finding.message}", 11, f"  {finding.severity:<7}")
    return lines


def practiced(takes: int, goal: int = 5) -> str:
    """Say how many of the goal's takes are done: never more than the goal, the extra ones counted apart."""
    done = f"{min(takes, goal)}/{goal} {MARK[takes >= goal]}"
    return done + (f" (+{takes - goal})" if takes > goal else "")


def bank_heading(settings) -> str:
    """Return the board's first line: the company (none for the generic profile), the target window and the rate."""
    low, high = settings.target_seconds
    from coach.bank.phrases import named_company

    company = named_company(settings.company)
    owner = f"{company} story bank" if company else "Story bank"
    return f"{owner} · target {low}-{high}s · {settings.words_per_minute} wpm"


def status_board(status: BankStatus) -> str:
    """Render the progress board and the value coverage, both fitted to the terminal."""
    from coach.method.board import PRACTICE_GOAL

    rows = [
        [
            row.slug, row.title, MARK[row.drafted], f"☐ {row.proposed} to accept" if row.proposed else MARK[row.analyzed],
            f"☐ {row.placeholders} [ ] to fill" if row.placeholders else MARK[row.refined],
            (f"{row.latest:g}s " + MARK[row.timed]) if row.latest is not None else "___s",
            f"{row.best:g}s" if row.best is not None else "-",
            practiced(row.takes, PRACTICE_GOAL),
        ]
        for row in status.rows
    ]
    board = table(["story", "title", "First Draft", "Analyzed", "Refined", "Timed", "Best", "Practiced"], rows,
                  shrink=(2, 1, 3, 4, 0))
    parts = ["\n".join(wrapped(bank_heading(status.settings), 2, "")), board]
    if not status.rows:
        parts[1] = "\n".join(wrapped("No stories yet: `coach import DOC` imports a power-stories document, and "
                                     "`coach new TYPE` starts one (risk, conflict, learning, team, ...).", 2, ""))
    if status.coverage:
        parts += ["Value coverage", coverage(status)]
    return "\n\n".join([*parts, "\n".join(wrapped(status.coverage_verdict(), 0, ""))])


def coverage(status: BankStatus) -> str:
    """Render which stories cover each value: a matrix when it fits the terminal, else one line per value."""
    slugs = [row.slug for row in status.rows]
    matrix = [[value, *("✓" if slug in users else "·" for slug in slugs), "" if users else "gap: no story"]
              for value, users in status.coverage.items()]
    longest = max(cells(value) for value in status.coverage)
    if longest + sum(2 + max(cells(slug), 1) for slug in slugs) + 15 <= columns():
        return table(["value", *slugs, ""], matrix)
    lines = [pad("value", longest) + "  stories", "-" * longest + "  " + "-" * 7]
    for value, users in status.coverage.items():
        told = ", ".join(slug for slug in slugs if slug in users) or "gap: no story"
        lines += wrap(told, columns(), pad(value, longest) + "  ", " " * (longest + 2))
    return "\n".join(lines)
