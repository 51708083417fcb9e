"""What a command talks through: the terminal's seams (input, clock, now) that tests replace, and the output every
command prints through (JSON for scripts, wrapped and coloured text for people, the files a bank skipped)."""

# No `from __future__ import annotations` in the cli package: typer reads the commands' annotations at every
# start, and evaluating them from strings costs ~10 ms.
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime

import typer

SKIPPED_EXIT = 3


def echo(text: str, nl: bool = True) -> None:
    """Print text as it is, less any control character but newlines and tabs: no escape sequence reaches the terminal."""
    from coach.llm.gate import printable

    typer.echo(printable(text), nl=nl)


@dataclass
class Terminal:
    """What the drivers read, measure and ask through: the seams tests replace with their own.

    `engine(bank, model)` returns the engine a model command asks with and the progress display it reports to.
    """

    input: Callable[[str], str] = input
    clock: Callable[[], float] = time.monotonic
    now: Callable[[], datetime] = datetime.now
    interactive: Callable[[], bool] = lambda: sys.stdin.isatty()
    engine: Callable | None = None  # None: the configured endpoint's (`cli.model.engine_for`), set by make_app
    microphone: Callable | None = None  # () -> a coach.voice.record Microphone; None: the default input device's
    transcriber: Callable | None = None  # () -> a coach.voice.transcribe Transcriber; None: the environment's


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
        from coach.llm.gate import printable

        text = printable(text)  # no escape sequence of a model's, a server's or a file's reaches the terminal
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


