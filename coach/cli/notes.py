"""`coach notes`: list a story's coaching notes, mark them done or remove them. What it means is `coach.notes`."""

from typing import Annotated

import typer

from coach.cli.io import Output, Terminal
from coach.cli.options import DEFAULT_BANK, AsJson, StoriesDir, Story, one_action

Numbers = list[int] | None


def add_commands(app: typer.Typer, out: Output, terminal: Terminal) -> None:
    """Declare `coach notes` on app."""

    @app.command("notes")
    def notes_command(
        ref: Story,
        done: Annotated[Numbers, typer.Option("--done", metavar="N", help="Mark note N done (repeat for more).")] = None,
        remove: Annotated[Numbers, typer.Option("--remove", metavar="N", help="Remove note N (repeat for more).")] = None,
        as_json: AsJson = False,
        stories: StoriesDir = DEFAULT_BANK,
    ) -> None:
        """List a story's coaching notes by number; mark them done or remove them (kept under ## History)."""
        from coach import notes
        from coach.display.notes import notes_view

        bank = out.bank(stories)
        one_action(("--done", bool(done)), ("--remove", bool(remove)))
        if done or remove:
            outcome = notes.take_out(bank, ref, done or remove, "done" if done else "remove", terminal.now)
        else:
            outcome = notes.show(bank, ref)
        out.show(outcome, as_json, notes_view)
