"""`coach plan`: what to do today to be ready by the interview date; the plan is made in `coach.plan`."""

from typing import Annotated

import typer

from coach.cli.io import Output, Terminal
from coach.cli.options import DEFAULT_BANK, AsJson, StoriesDir


def add_commands(app: typer.Typer, out: Output, terminal: Terminal) -> None:
    """Declare `coach plan` on app."""

    @app.command("plan")
    def plan_command(
        when: Annotated[str, typer.Option("--date", metavar="YYYY-MM-DD", help="The interview's date.")],
        as_json: AsJson = False,
        stories: StoriesDir = DEFAULT_BANK,
    ) -> None:
        """Plan what to practise today to be ready by the interview date."""
        from coach.display.plan import plan_view
        from coach.interview.transcripts import past_sessions
        from coach.plan import interview_date, make_plan

        now = terminal.now()
        interview = interview_date(when, now.date())
        bank = out.bank(stories)
        bank.story_paths()  # no bank: its one sentence, before the sessions folder is looked at
        sessions, warnings = past_sessions(bank)
        for warning in warnings:
            out.say(f"Warning: {warning}", err=True, wrap=True)
        out.show(make_plan(bank, interview, now, sessions), as_json, plan_view)
