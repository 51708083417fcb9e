"""The view of `coach questions`: each question with its tags, under a line saying what was chosen."""

from __future__ import annotations

from coach.display.layout import wrapped
from coach.questions import shown_as


def questions_view(listing) -> str:
    """Render the questions chosen: a heading with the filter and the count, then each question and its tags."""
    chosen = [part for part in (listing.value, listing.round and f"{listing.round} round",
                                listing.level and f"{listing.level} level") if part]
    count = f"{len(listing.questions)} of {listing.total} question{'s' * (listing.total != 1)}"
    heading = f"{count}" + (f" for {', '.join(chosen)}" if chosen else "")
    if not listing.questions:
        return f"{heading}. Try fewer filters, or add your own to the bank's questions.yaml."
    lines = [heading + ":"]
    for number, question in enumerate(listing.questions, 1):
        lines.append("")
        lines += wrapped(question.text, 5, f"{number}.")
        tags = " · ".join(f"{label}: {', '.join(items)}" for label, items in (
            ("values", [shown_as(name) for name in listing.value_names(question)]), ("stories", question.themes), ("rounds", question.rounds),
            ("levels", question.levels)) if items)
        lines += wrapped(tags, 5)
    return "\n".join(lines)
