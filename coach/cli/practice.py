"""`coach practice`: the command, and the stopwatch that times a take between two Enter presses."""

import sys
from pathlib import Path
from typing import Annotated

import typer

from coach.cli.app import Output, Terminal
from coach.cli.options import DEFAULT_BANK, AsJson, StoriesDir, one_action
from coach.errors import CoachError, Interrupted


def add_commands(app: typer.Typer, out: Output, terminal: Terminal) -> None:
    """Declare `coach practice` on app."""

    @app.command("practice")
    def practice_command(
        ref: Annotated[str | None, typer.Argument(metavar="[STORY]", help="Story slug, type or path.")] = None,
        seconds: Annotated[float | None, typer.Option("--seconds", help="Record a take timed elsewhere (up to 600).")] = None,
        cue: Annotated[bool, typer.Option("--cue", help="Show only the hook and key words, not the full text.")] = False,
        yes: Annotated[bool, typer.Option("--yes", "-y", help="Record a take under a third of the target's low end without asking.")] = False,
        undo: Annotated[bool, typer.Option("--undo", help="Remove the story's last take from its practice log.")] = False,
        history: Annotated[bool, typer.Option("--history", help="List the takes with a chart against the target.")] = False,
        calibrate: Annotated[bool, typer.Option("--calibrate", help="Save your measured speaking rate to the bank settings.")] = False,
        as_json: AsJson = False,
        stories: StoriesDir = DEFAULT_BANK,
    ) -> None:
        """Rehearse a story out loud with a stopwatch and record the take in its practice log."""
        from coach import practice
        from coach.display import practice as views

        bank = out.bank(stories)
        one_action(("--seconds", seconds is not None), ("--undo", undo), ("--history", history), ("--calibrate", calibrate))
        if calibrate:
            out.show(practice.calibrate(bank), as_json, views.calibration_view)
            return
        if ref is None:
            raise CoachError("name the story to practise, e.g. `coach practice risk`")
        path = bank.resolve(ref)
        if undo:
            out.show(practice.undo_take(bank, path), as_json, views.undo_view)
        elif history:
            out.show(practice.take_history(bank, path), as_json, views.history_view)
        else:
            verdict = take(terminal, bank, path, seconds, cue, yes, as_json)
            if verdict is None:
                typer.echo("Nothing was recorded.")
            else:
                out.show(verdict, as_json, views.verdict_view)


def take(terminal: Terminal, bank, path: Path, seconds: float | None, cue: bool, yes: bool, as_json: bool):
    """Time a take live (or take --seconds), ask about one that looks like a slip, and record it."""
    from coach import practice

    ask = terminal.input
    if seconds is None:
        if as_json:
            raise CoachError("--json needs --seconds: a live take talks to you in the terminal")
        seconds = time_live(terminal, bank, path, cue)
    elif as_json or not terminal.interactive():  # only a person at a terminal can say a slip was meant; else --yes
        ask = None
    return practice.record_take(bank, path, seconds, terminal.now(), ask=ask, sure=yes)


def time_live(terminal: Terminal, bank, path: Path, cue: bool) -> float:
    """Show the script and time one take between two Enter presses, with a live stopwatch on a terminal."""
    from coach import practice
    from coach.bank.folder import load_story
    from coach.display.practice import script_view

    story, settings = load_story(path), bank.settings()
    practice.require_refined(story, path)
    typer.echo(script_view(story, settings, cue) + "\n")
    window = practice.window_of(story, settings)
    live = practice.LiveTimer(terminal.clock, window, lambda s: typer.echo(s, nl=False)) if sys.stdout.isatty() else None
    try:
        seconds = practice.time_take(terminal.input, terminal.clock, live)
    except EOFError:
        raise CoachError("the take was not finished (input ended); nothing was recorded") from None
    except KeyboardInterrupt:
        raise Interrupted("interrupted; nothing was recorded") from None
    typer.echo("")
    return seconds
