"""The command-line app: its commands in --help order, and the one place where every CoachError becomes one
stderr line and an exit status."""

# No `from __future__ import annotations` in the cli package: typer reads the commands' annotations at every
# start, and evaluating them from strings costs ~10 ms.
from typing import Annotated

import typer

from coach.cli.io import Output, Terminal
from coach.errors import CoachError, Interrupted, file_system_message
from coach.helptext import PlainGroup, PlainTyper

ORDER = ["init", "companies", "new", "import", "check", "status", "export", "refine", "followups", "notes", "analyze", "show", "edit",
         "diff", "questions", "prompts", "interview", "sessions", "log", "practice", "plan", "serve"]  # as --help lists them: a bank's life from start to practice


class CoachGroup(PlainGroup):
    """Turns every CoachError into one stderr line and its exit status, never a traceback."""

    output: Output

    def invoke(self, ctx: typer.Context):
        out = self.output
        out.banks.clear()
        try:
            super().invoke(ctx)
        except typer.Exit as done:
            skipped = out.skipped()
            raise typer.Exit(done.exit_code or skipped) from None
        except Interrupted as interrupted:
            out.skipped()
            out.say(f"{str(interrupted)[:1].upper()}{str(interrupted)[1:]}.", err=True, wrap=True)
            raise typer.Exit(interrupted.exit_code) from None
        except CoachError as error:
            out.skipped()
            out.say(f"Error: {error}", err=True, wrap=True)
            raise typer.Exit(error.exit_code) from None
        except OSError as error:
            out.skipped()
            out.say(f"Error: {file_system_message(error)}", err=True, wrap=True)
            raise typer.Exit(2) from None
        except KeyboardInterrupt:
            out.say("Interrupted; no file was left half-written.", err=True)
            raise typer.Exit(130) from None
        raise typer.Exit(out.skipped())


def _show_version(value: bool) -> None:
    """Print `coach X.Y.Z` and stop, before any command runs (importing nothing to find the version)."""
    if value:
        from coach import __version__

        typer.echo(f"coach {__version__}")
        raise typer.Exit()


def make_app(terminal: Terminal | None = None) -> typer.Typer:
    """Return the `coach` app, its terminal drivers reading and timing through `terminal`."""
    from coach.cli import bank, interview, jobs, notes, plan, practice, prompts, questions, serve

    out, terminal = Output(), terminal or Terminal()
    if terminal.engine is None:
        from coach.cli.model import engine_for

        terminal.engine = engine_for

    class Group(CoachGroup):
        output = out

    app = PlainTyper(cls=Group, help="Coach behavioral interview answers from your own power stories.",
                     no_args_is_help=True, pretty_exceptions_enable=False)

    @app.callback()
    def _options(
        version: Annotated[bool, typer.Option("--version", is_eager=True, callback=_show_version,
                                              help="Print coach's version and exit.")] = False,
    ) -> None:
        """Take the options that come before a command."""

    for module in (bank, jobs, questions, prompts, interview, practice, plan, notes, serve):
        module.add_commands(app, out, terminal)
    app.registered_commands.sort(key=lambda command: ORDER.index(command.name))
    return app
