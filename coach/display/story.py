"""Views of one story: `coach show`, the check after `coach edit`, and `coach diff` between refined versions."""

from __future__ import annotations

import textwrap
from typing import TYPE_CHECKING

from coach.display.bank import counted, finding_lines, story_check
from coach.display.layout import width, wrapped

if TYPE_CHECKING:
    from coach.editor import Edited
    from coach.reading import StoryView
    from coach.versions import StoryDiff, Versions


def story_view(view: StoryView) -> str:
    """Render a story for reading in one screen: the refined version, delivery notes, follow-ups and findings."""
    story = view.story
    lines = wrapped(f"{view.slug}: {story.title}", 2, "")
    lines += wrapped(story.type, 10, "  type")
    if story.values:
        lines += wrapped(", ".join(story.values), 10, "  values")
    lines += wrapped(str(view.path), 10, "  file")
    lines += ["", *_refined(view)]
    lines += _notes(view)
    lines += _follow_ups(view)
    if view.earlier:
        lines += ["", *wrapped(f"History: {counted(view.earlier, 'earlier refined version')}; "
                               f"`coach diff {view.slug}` shows what changed.", 2, "")]
    lines += ["", *wrapped(f"Check: {counted(view.count('error'), 'error')}, "
                            f"{counted(view.count('warning'), 'warning')}", 2, "")]
    lines += finding_lines(view.findings) or ["  no findings"]
    return "\n".join(lines)


def _refined(view: StoryView) -> list[str]:
    low, high = view.target
    if view.refined is not None:
        head = (f"Refined · {view.refined.words} words ≈ {view.refined.seconds:g}s at {view.wpm} wpm · "
                f"{view.verdict} the {low}-{high}s target")
        return [*wrapped(head, 2, ""), *wrapped(view.refined.text, 2)]
    if view.draft is None:
        return wrapped(f"No draft and no refined version yet: write your draft under ## Draft "
                       f"(`{view.next_step}` opens the file).", 2, "")
    head = f"Draft · {view.draft.words} words ≈ {view.draft.seconds:g}s at {view.wpm} wpm (the opening)"
    return [*wrapped(head, 2, ""), *wrapped(view.draft_opening, 2), "",
            *wrapped(f"No refined version yet: `{view.next_step}` writes one to speak in {low}-{high}s.", 2, "")]


def _notes(view: StoryView) -> list[str]:
    notes = view.story.practice_notes
    lines = [line for hook in notes.hooks for line in wrapped(hook, 4, "  -")]
    lines = ["", "Hooks", *lines] if lines else []
    for label, text in (("Key words:", ", ".join(notes.key_words)), ("Pacing:", notes.pacing), ("Tone:", notes.tone)):
        if text.strip():
            lines += wrapped(text, 2, label)
    return lines


def _follow_ups(view: StoryView) -> list[str]:
    if not view.follow_ups:
        return ["", *wrapped(f"No follow-ups yet: `coach followups {view.slug} --generate 3` asks for three.", 2, "")]
    indent = max(len(item.id) for item in view.follow_ups) + 4
    lines = ["", f"Follow-ups ({len(view.follow_ups)})"]
    for item in view.follow_ups:
        lines += wrapped(item.question, indent, f"  {item.id}")
        answer = " ".join(item.answer.split()) or "(no answer yet)"
        lines.append(" " * indent + textwrap.shorten(answer, width() - indent, placeholder=" …"))
    return lines


def edit_report(edited: Edited) -> str:
    """Say whether the editor changed the story, then what `coach check` says about it now."""
    said = "saved with changes" if edited.changed else "no changes"
    report = edited.report
    errors = sum(f.severity == "error" for f in report.findings)
    warnings = sum(f.severity == "warning" for f in report.findings)
    return "\n".join([*wrapped(f"{edited.path}: {said}.", 2, ""), "", *story_check(report), "",
                      f"Check: {counted(errors, 'error')}, {counted(warnings, 'warning')}."])


def versions_list(versions: Versions) -> str:
    """List a story's earlier refined versions, latest first, numbered as `coach diff --against N` takes them."""
    lines = wrapped(f"{versions.slug}: {versions.title} · {counted(len(versions.entries), 'earlier refined version')} "
                    f"(1 is the latest)", 2, "")
    for number, entry in enumerate(versions.entries, 1):
        lines += wrapped(f"{entry.saved} · {entry.source} · {entry.words} words ≈ {entry.seconds:g}s", 5,
                         f"{number:>3}")
    return "\n".join(lines)


def diff_view(diff: StoryDiff) -> str:
    """Show the word changes from an earlier refined version to the current one, git word-diff style."""
    against = diff.against
    head = f"Refined now against version {against.number} of {diff.total} (saved {against.saved} · {against.source})"
    lines = [*wrapped(f"{diff.slug}: {diff.title}", 2, ""), *wrapped(head, 2, ""), ""]
    if not diff.changes:
        lines += wrapped("No change in the words: the refined version is the same as that version.", 2, "")
    else:
        lines += wrapped(diff.marked(), 0, "")
    low, high = diff.target
    lines += ["", *wrapped(
        f"{diff.before.words} → {diff.after.words} words · {diff.before.seconds:g}s → {diff.after.seconds:g}s at "
        f"{diff.wpm} wpm (target {low}-{high}s) · {counted(len(diff.changes), 'change')}", 2, "")]
    return "\n".join(lines)
