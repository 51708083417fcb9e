"""The view of `coach notes`: a story's coaching notes by number with who wrote each, and what a command took out."""

from __future__ import annotations

from typing import TYPE_CHECKING

from coach.display.layout import wrapped

if TYPE_CHECKING:
    from coach.notes import NotesOutcome

DONE = {"done": "Marked done", "remove": "Removed"}


def notes_view(outcome: NotesOutcome) -> str:
    """Render a story's coaching notes, numbered, and the notes the command marked done or removed."""
    count = len(outcome.notes)
    lines = wrapped(f"{outcome.slug}: {outcome.title} · {count} coaching note{'s' * (count != 1)}", 2, "")
    for note in outcome.notes:
        lines.append("")
        lines += wrapped(note.text, 5, f"{note.number:>3}.")
        lines.append("     " + ("yours" if note.yours else f"coach ({note.by})" if note.by else "coach"))
    if not outcome.notes:
        lines += ["", *wrapped(f"No coaching notes: `coach refine {outcome.slug}` writes some, or add `- ...` lines "
                               "under ## Coaching Notes.", 2, "")]
    if outcome.changed:
        lines.append("")
        for note in outcome.changed:
            lines += wrapped(f'{DONE[outcome.action]} {note.number}: "{note.text}" (kept under ## History)', 0, "")
        if outcome.notes:
            lines += wrapped("The notes left are numbered afresh, as listed above.", 0, "")
    return "\n".join(lines)
