"""`coach practice`: the command, and its terminal driver: the stopwatch that times a take between two Enter presses
and the question asked about a take that looks like a slip. What the take means is decided in `coach.practice`."""

import sys
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Annotated

import typer

from coach.cli.io import Output, Terminal, echo
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
        audio: Annotated[Path | None, typer.Option("--audio", metavar="FILE", help="Hear a take recorded elsewhere (wav, mp3, m4a, webm, ogg).")] = None,
        record: Annotated[bool, typer.Option("--record", help="Record the take from the microphone and hear it.")] = False,
        keep_audio: Annotated[bool, typer.Option("--keep-audio", help="Keep the take's audio beside its transcript.")] = False,
        undo: Annotated[bool, typer.Option("--undo", help="Remove the story's last take from its practice log.")] = False,
        history: Annotated[bool, typer.Option("--history", help="List the takes with a chart against the target.")] = False,
        calibrate: Annotated[bool, typer.Option("--calibrate", help="Save your measured speaking rate to the bank settings.")] = False,
        as_json: AsJson = False,
        stories: StoriesDir = DEFAULT_BANK,
    ) -> None:
        """Rehearse a story out loud, timed or heard, and record the take in its practice log."""
        from coach import practice
        from coach.display import practice as views

        bank = out.bank(stories)
        one_action(("--seconds", seconds is not None), ("--audio", audio is not None), ("--record", record),
                   ("--undo", undo), ("--history", history), ("--calibrate", calibrate))
        if keep_audio and not (audio or record):
            raise CoachError("--keep-audio keeps the audio of a heard take; add --audio FILE or --record")
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
        elif audio is not None or record:
            from coach.display.hearing import heard_view

            result = heard(terminal, bank, path, audio, cue, yes, keep_audio, as_json)
            if result is None:
                typer.echo("Nothing was recorded.")
            else:
                out.show(result, as_json, heard_view)
        else:
            verdict = take(terminal, bank, path, seconds, cue, yes, as_json)
            if verdict is None:
                typer.echo("Nothing was recorded.")
            else:
                out.show(verdict, as_json, views.verdict_view)


def take(terminal: Terminal, bank, path: Path, seconds: float | None, cue: bool, yes: bool, as_json: bool):
    """Time a take live (or take --seconds) and record it, asking about one that looks like a slip; None if declined."""
    from coach import practice

    ask: Callable[[str], str] | None = terminal.input
    if seconds is None:
        if as_json:
            raise CoachError("--json needs --seconds: a live take talks to you in the terminal")
        seconds = time_live(terminal, practice.load_script(bank, path), cue)
    elif as_json or not terminal.interactive():  # only a person at a terminal can say a slip was meant; else --yes
        ask = None
    at = terminal.now()
    result = practice.record_take(bank, path, seconds, at, sure=yes)
    if isinstance(result, practice.Slip):
        if ask is None:
            raise CoachError(f"{result.reason}; nothing was recorded (add --yes to record it anyway)")
        if not meant(ask, result.seconds):
            return None
        result = practice.record_take(bank, path, seconds, at, sure=True)
    return result


def heard(terminal: Terminal, bank, path: Path, audio: Path | None, cue: bool, yes: bool, keep_audio: bool,
          as_json: bool):
    """Hear a take (from a file, or recorded now), record it, asking about one that looks like a slip; None if declined."""
    import tempfile

    from coach import practice
    from coach.cli.voice import Spinning, microphone, transcriber

    if audio is None and as_json:
        raise CoachError("--json needs --audio FILE: a recorded take talks to you in the terminal")
    hearer = Spinning(transcriber(terminal))
    if audio is not None:
        return keep_heard(terminal, bank, path, audio, hearer, yes, keep_audio, as_json)
    # before the candidate speaks, not after: a story with no script, no microphone, a transcriber that cannot work
    script = practice.load_script(bank, path)
    mic = microphone(terminal)
    hearer.prepare()
    with tempfile.TemporaryDirectory(prefix="coach-take-") as folder:
        take = record_take(terminal, script, cue, Path(folder) / "take.wav", mic)
        return keep_heard(terminal, bank, path, take, hearer, yes, keep_audio, as_json)


def keep_heard(terminal: Terminal, bank, path: Path, audio: Path, hearer, yes: bool, keep_audio: bool, as_json: bool):
    """Hear the take in `audio` and record it, asking about one that looks like a slip; None if declined."""
    from coach import practice, spoken

    ask: Callable[[str], str] | None = terminal.input if (terminal.interactive() and not as_json) else None
    listened = spoken.listen(bank, path, audio, hearer)
    at = terminal.now()
    result = spoken.keep_take(bank, path, listened, at, sure=yes, keep_audio=keep_audio)
    if isinstance(result, practice.Slip):
        if ask is None:
            raise CoachError(f"{result.reason}; nothing was recorded (add --yes to record it anyway)")
        echo(f"{result.reason[:1].upper()}{result.reason[1:]}.")
        if not meant(ask, result.seconds):
            return None
        result = spoken.keep_take(bank, path, listened, at, sure=True, keep_audio=keep_audio)
    return result


def record_take(terminal: Terminal, script, cue: bool, into: Path, mic) -> Path:
    """Show the script and record one take from the microphone into `into`."""
    from coach.cli.voice import record_answer
    from coach.display.practice import script_view

    echo(script_view(script, cue) + "\n")
    record_answer(terminal, into, script.window, mic)
    return into


def meant(ask: Callable[[str], str], seconds: float) -> bool:
    """Ask whether a take that looks like a slip was meant: only yes records it, and end of input says no."""
    try:
        answer = ask(f"Record a {seconds:.1f}s take? [y/N] ")
    except EOFError:
        return False
    return answer.strip().lower() in ("y", "yes")


def time_live(terminal: Terminal, script, cue: bool) -> float:
    """Show the script and time one take between two Enter presses, with a live stopwatch on a terminal."""
    from coach.display.practice import script_view

    echo(script_view(script, cue) + "\n")
    live = LiveTimer(terminal.clock, script.window, lambda s: typer.echo(s, nl=False)) if sys.stdout.isatty() else None
    try:
        seconds = time_take(terminal.input, terminal.clock, live)
    except EOFError:
        raise CoachError("the take was not finished (input ended); nothing was recorded") from None
    except KeyboardInterrupt:
        raise Interrupted("interrupted; nothing was recorded") from None
    typer.echo("")
    return seconds


class LiveTimer:
    """Redraws the elapsed seconds on one terminal line until stopped."""

    def __init__(self, clock: Callable[[], float], window: tuple[int, int], write: Callable[[str], None], interval: float = 0.1):
        self.clock, self.window, self.write, self.interval = clock, window, write, interval
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def start(self, started: float) -> None:
        """Start redrawing from the moment `started`."""
        from coach.display.practice import elapsed_line

        def run() -> None:
            while not self._stop.wait(self.interval):
                self.write(elapsed_line(self.clock() - started, self.window))

        self._thread = threading.Thread(target=run, daemon=True)
        self._thread.start()

    def stop(self) -> None:
        """Stop redrawing and end the line."""
        self._stop.set()
        if self._thread:
            self._thread.join()
            self.write("\n")


def time_take(wait_for_enter: Callable[[str], object], clock: Callable[[], float], live: LiveTimer | None = None) -> float:
    """Time one take between two Enter presses; Ctrl-C or end of input abandons it."""
    wait_for_enter("Press Enter to start, Enter again when you finish (Ctrl-C to abandon). ")
    started = clock()
    if live:
        live.start(started)
    try:
        wait_for_enter("Go! ")
    finally:
        if live:
            live.stop()
    return clock() - started
