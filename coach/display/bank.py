"""Reports on the bank: the import summary, check findings and the status board."""

from __future__ import annotations

from typing import TYPE_CHECKING

from coach.display.layout import table
from coach.method.text import word_count

if TYPE_CHECKING:
    from coach.document.importer import ImportResult
    from coach.method.board import BankStatus
    from coach.method.check import StoryReport

ERROR, WARNING = "error", "warning"
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
    header = ["file", "title", "type", "answered", "refined words", "follow-ups", "action"]
    imported = sum(1 for r in results if r.story is not None)
    return table(header, rows) + f"\n\nImported {imported} stories into {results[0].path.parent}."


def check_report(reports: list[StoryReport]) -> str:
    """Render `coach check` findings for people."""
    blocks = [_story_check(report) for report in reports]
    errors = sum(f.severity == ERROR for r in reports for f in r.findings)
    warnings = sum(f.severity == WARNING for r in reports for f in r.findings)
    blocks.append(f"{len(reports)} stories checked: {errors} errors, {warnings} warnings.")
    return "\n\n".join(blocks)


def _story_check(report: StoryReport) -> str:
    low, high = report.target
    lines = [f"{report.slug}: {report.title}  (target {low}-{high}s at {report.wpm} wpm)"]
    for part in report.parts:
        verdict = ""
        if part.part == "refined":
            verdict = "within target" if low <= part.seconds <= high else ("over target" if part.seconds > high else "under target")
        lines.append(f"  {part.part:<8} {part.words:>4} words  {part.seconds:>5.1f}s  {verdict}".rstrip())
    for finding in report.findings:
        where = "" if finding.part == "refined" else f" [{finding.part}]"
        lines.append(f"  {finding.severity:<7}  {finding.code}{where}: {finding.message}")
    if not report.findings:
        lines.append("  no findings")
    return "\n".join(lines)


def status_board(status: BankStatus) -> str:
    """Render the progress board and the value coverage matrix."""
    low, high = status.settings.target_seconds
    head = f"{status.settings.company} story bank · target {low}-{high}s · {status.settings.words_per_minute} wpm"
    rows = [
        [
            row.slug, row.title, MARK[row.drafted], f"☐ {row.proposed} to accept" if row.proposed else MARK[row.analyzed],
            f"☐ {row.placeholders} [ ] to fill" if row.placeholders else MARK[row.refined],
            (f"{row.latest:g}s " + MARK[row.timed]) if row.latest is not None else "___s",
            f"{row.best:g}s" if row.best is not None else "-",
            f"{row.takes}/5 " + MARK[row.practiced],
        ]
        for row in status.rows
    ]
    board = table(["story", "title", "First Draft", "Analyzed", "Refined", "Timed", "Best", "Practiced"], rows)
    slugs = [row.slug for row in status.rows]
    matrix = [[value, *("✓" if slug in users else "·" for slug in slugs), "" if users else "gap: no story"]
              for value, users in status.coverage.items()]
    coverage = table(["value", *slugs, ""], matrix)
    return "\n\n".join([head, board, "Value coverage", coverage, status.coverage_verdict()])


