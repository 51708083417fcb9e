"""Reports on the bank: the import summary, check findings and the status board."""

from __future__ import annotations

import os
from typing import TYPE_CHECKING

from coach.display.layout import cells, columns, counted, pad, table, wrap, wrapped
from coach.method.text import fit, word_count

if TYPE_CHECKING:
    from coach.document.importplan import ImportPlan, ImportResult
    from coach.document.safekeeping import SettingsMerge
    from coach.method.board import BankStatus
    from coach.method.check import StoryReport

MARK = {True: "✓", False: "☐"}


def import_summary(plan: ImportPlan) -> str:
    """Summarise what an import wrote (or, in a dry run, would write): the table, then what was replaced and kept."""
    rows = []
    for result in plan.results:
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
    lines = [line for text in import_outcome(plan) for line in wrapped(text, 2, "")]
    return table(header, rows, shrink=(1, 0)) + "\n\n" + "\n".join(lines)


def import_outcome(plan: ImportPlan) -> list[str]:
    """Say in a few sentences what an import did: stories added, files replaced and where their copies are, kept."""
    stories = [result for result in plan.results if result.story is not None]
    added = sum(result.action in ("created", "replaced") for result in stories)
    counted_stories = f"{added} stories" if added == len(stories) else f"{added} of {len(stories)} stories"
    lines = [f"{'Dry run, nothing was written: coach would import' if plan.dry_run else 'Imported'} "
             f"{counted_stories} into {plan.root}."]
    replaced = plan.replacing()
    if replaced:
        names = listed([result.path.name for result in replaced])
        lines.append(f"{'Would keep' if plan.dry_run else 'Kept'} a byte-for-byte copy of the old {names} in "
                     f"{plan.copies}{os.sep}.")
    kept = [result.path.name for result in stories if result.action == "kept"]
    if kept:
        them = "them" if len(kept) > 1 else "it"
        reason = "the same as the document's" if plan.force else f"already in the bank; --force replaces {them}, keeping a copy"
        lines.append(f"{'Would keep' if plan.dry_run else 'Kept'} {listed(kept)} as {'they are' if len(kept) > 1 else 'it is'} ({reason}).")
    settings = next((result for result in plan.results if result.story is None), None)
    if settings is not None and settings.settings is not None:
        lines.append(settings_outcome(settings.settings, plan.dry_run))
    return lines


def settings_outcome(merge: SettingsMerge, dry_run: bool = False) -> str:
    """Say in one line which coach.yaml settings an import kept and which it added from the document."""
    from coach.document.safekeeping import SETTING_WORDS

    def named(keys: list[str], settings) -> str:
        return listed([f"{SETTING_WORDS[key]} ({setting_value(settings, key)})" for key in keys])

    if not merge.applied:
        unused = f"; the document's {named(merge.kept(), merge.document)} {'were' if len(merge.kept()) > 1 else 'was'} not used" if merge.kept() else ""
        lacking = f" (--force would add the {listed([SETTING_WORDS[key] for key in merge.added])}, which coach.yaml lacks)" if merge.added else ""
        return f"{'Would keep' if dry_run else 'Kept'} coach.yaml as it is{unused}{lacking}."
    if not merge.unused and not merge.added:
        return f"{'Would keep' if dry_run else 'Kept'} coach.yaml as it is."
    kept = [f"{SETTING_WORDS[key]} ({setting_value(merge.settings, key)}; the document says "
            f"{setting_value(merge.document, key)})" for key in merge.unused]
    would = "would " if dry_run else ""
    parts = [f"{would}{'keep' if dry_run else 'kept'} your {listed(kept)}"] if kept else [f"{would}{'keep' if dry_run else 'kept'} every setting it had"]
    if merge.added:
        parts.append(f"{would}{'add' if dry_run else 'added'} the {named(merge.added, merge.settings)} it lacked, from the document")
    return f"coach.yaml: {' and '.join(parts)}."


def setting_value(settings, key: str) -> str:
    """Return one bank setting as a person reads it: `Netflix`, `45-60s`, `172 wpm`, `13 values`."""
    value = getattr(settings, key)
    if key == "target_seconds":
        return f"{value[0]}-{value[1]}s"
    if key == "words_per_minute":
        return f"{value} wpm"
    if key == "values":
        return counted(len(value), "value")
    return value or "none"


def replace_listing(plan: ImportPlan) -> str:
    """List what `import --force` would replace, before asking: each file, the story it holds, where its copy goes."""
    replaced = plan.replacing()
    lines = wrapped(f"coach import --force would replace {counted(len(replaced), 'file')} in {plan.root}, keeping "
                    f"each old file, byte for byte, in {plan.copies}{os.sep}:", 2, "")
    width = max(cells(result.path.name) for result in replaced)
    for result in replaced:
        lines += wrapped(replaced_what(result), width + 4, f"  {result.path.name}")
    return "\n".join(lines)


def replaced_what(result: ImportResult) -> str:
    """Say what one replaced file held and what replaces it."""
    if result.story is None:
        return settings_outcome(result.settings).removeprefix("coach.yaml: ") if result.settings else "bank settings"
    before = result.before
    if before is None:
        return f"a file coach cannot read as a story, replaced by '{result.story.title}'"
    takes = f" with {counted(len(before.practice), 'practice take')}" if before.practice else ""
    by = "the document's version" if before.title == result.story.title else f"'{result.story.title}'"
    return f"your '{before.title}'{takes}, replaced by {by}"


def listed(items: list[str]) -> str:
    """Return "a", "a and b", "a, b and c"."""
    return items[0] if len(items) == 1 else f"{', '.join(items[:-1])} and {items[-1]}"


def check_report(reports: list[StoryReport], sample: bool = False) -> str:
    """Render `coach check` findings for people, wrapped to the terminal; on the sample bank, say what they are."""
    from coach.method.check import ERROR, WARNING

    blocks = ["\n".join(story_check(report)) for report in reports]
    errors = sum(f.severity == ERROR for r in reports for f in r.findings)
    warnings = sum(f.severity == WARNING for r in reports for f in r.findings)
    stories = "1 story" if len(reports) == 1 else f"{len(reports)} stories"
    blocks.append(f"{stories} checked: {counted(errors, 'error')}, {counted(warnings, 'warning')}.")
    if sample and reports:
        blocks.append(sample_guide(reports, errors))
    return "\n\n".join(blocks)


def sample_guide(reports: list[StoryReport], errors: int) -> str:
    """Tell a newcomer what `coach check` on the sample bank showed: its known problems, each kind, what to run next."""
    worst = max(reports, key=lambda report: (report.has_errors, len(report.findings))).slug
    exits = (f"so check exits with status 1 while {'it is' if errors == 1 else 'they are'} left"
             if errors else "none here")
    lines = wrapped("This is coach's sample bank: one candidate's Netflix stories as they wrote them, and these "
                    "are their known problems, found by coach (not a fault of coach).", 0, "")
    lines += wrapped(f"must be fixed before you say the story ({exits}).", 11, "  error")
    lines += wrapped("worth a look: verify it, or fix it if coach is right.", 11, "  warning")
    lines += wrapped("a next step, not a problem.", 11, "  info")
    lines += wrapped(f"Next: `coach show {worst}` shows one story with its findings; `coach refine {worst}` asks a "
                     "model for a version that fixes them (it needs an endpoint: see Configuration in the README); "
                     "`coach init --company NAME` in an empty folder starts your own bank.", 0, "")
    return "\n".join(lines)


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
