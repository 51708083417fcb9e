"""`coach questions`: the common questions a mock interview draws on, filtered by value, round and level."""

from typing import Annotated

import typer

from coach.cli.io import Output, Terminal
from coach.cli.options import DEFAULT_BANK, AsJson, StoriesDir


def add_commands(app: typer.Typer, out: Output, terminal: Terminal) -> None:
    """Declare `coach questions` on app."""

    @app.command("questions")
    def questions_command(
        value: Annotated[str | None, typer.Option("--value", metavar="VALUE", help='Only the questions that draw out this value, e.g. "Customer Obsession".')] = None,
        round: Annotated[str | None, typer.Option("--round", metavar="ROUND", help="Only the questions of this round: recruiter, manager, peer or bar-raiser.")] = None,
        level: Annotated[str | None, typer.Option("--level", metavar="LEVEL", help="Only the questions for this level: junior, mid, senior or staff.")] = None,
        as_json: AsJson = False,
        stories: StoriesDir = DEFAULT_BANK,
    ) -> None:
        """List the common questions mock interviews draw on, with their values, story types, rounds and levels."""
        from coach.display.questions import questions_view
        from coach.questions import list_questions

        bank = out.bank(stories)
        root = bank.root if bank.root.is_dir() else None
        out.show(list_questions(root, bank.settings(), value, round, level), as_json, questions_view)
