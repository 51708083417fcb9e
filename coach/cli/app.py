"""The command-line app: one place where every CoachError becomes one stderr line and an exit status, and the
output helpers every command prints through (JSON for scripts, wrapped and coloured text for people)."""

# No `from __future__ import annotations` in the cli package: typer reads the commands' annotations at every
# start, and evaluating them from strings costs ~10 ms.
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Annotated

import typer

from coach.errors import CoachError, Interrupted, file_system_message
from coach.helptext import PlainGroup, PlainTyper

SKIPPED_EXIT = 3
ORDER = ["init", "new", "import", "check", "status", "export", "refine", "followups", "analyze", "show", "edit", "diff",
         "interview", "sessions", "log", "practice"]  # as --help lists them: a bank's life from start to practice


@dataclass
class Terminal:
    """What the terminal drivers read and measure: the seams tests replace with their own."""

    input: Callable[[str], str] = input
    clock: Callable[[], float] = time.monotonic
    now: Callable[[], datetime] = datetime.now
    interactive: Callable[[], bool] = lambda: sys.stdin.isatty()


@dataclass
class Output:
    """How a command talks back: results on stdout (JSON or a view), messages on stderr, the banks it opened."""

    banks: list = field(default_factory=list)  # the banks this run opened, to report the files they skipped

    def bank(self, stories):
        """Open the bank folder `stories`, remembering it so that the files it skips are reported at the end."""
        from coach.bank.folder import Bank

        self.banks.append(Bank(stories))
        return self.banks[-1]

    def say(self, text: str, err: bool = False, wrap: bool = False) -> None:
        """Print text for people: wrapped to the terminal if asked, in colour on a terminal, plain in a pipe.

        Messages on stderr are wrapped on a terminal only: piped, each stays one line for scripts and logs to read.
        """
        stream = sys.stderr if err else sys.stdout
        if wrap and (not err or stream.isatty()):
            from coach.display.layout import paragraphs

            text = paragraphs(text, 2)
        from coach.display.terminal import colour_on

        if colour_on(stream):
            from coach.display.terminal import paint

            paint(text, stream)
        else:
            typer.echo(text, err=err)

    def json(self, data) -> None:
        """Print data as JSON: a result's `as_dict()`, or a list of theirs."""
        import json

        typer.echo(json.dumps(plain(data), indent=2, ensure_ascii=False, default=str))

    def show(self, result, as_json: bool, view: Callable[..., str]) -> None:
        """Print a result as JSON, or as its view renders it for people."""
        if as_json:
            self.json(result)
        else:
            self.say(view(result))

    def report(self, data, as_json: bool, text: str) -> None:
        """Print a command's result as JSON, or the one line that tells a person what it did."""
        if as_json:
            self.json(data)
        else:
            self.say(text, wrap=True)

    def skipped(self) -> int:
        """Warn once per file a bank left out, and return the exit status that says so (0 when none was)."""
        skipped = {path: reason for bank in self.banks for path, reason in bank.skipped.items()}
        for reason in skipped.values():
            self.say(f"Skipped {reason}", err=True, wrap=True)
        return SKIPPED_EXIT if skipped else 0


def plain(result):
    """Return a result as plain data: its `as_dict()`, or a list of theirs."""
    if hasattr(result, "as_dict"):
        return result.as_dict()
    return [plain(item) for item in result] if isinstance(result, list) else result


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
    from coach.cli import bank, interview, jobs, practice

    out, terminal = Output(), terminal or Terminal()

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

    for module in (bank, jobs, interview, practice):
        module.add_commands(app, out, terminal)
    app.registered_commands.sort(key=lambda command: ORDER.index(command.name))
    return app
