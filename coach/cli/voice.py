"""The terminal driver of a spoken take, for `practice --record` and `interview --voice`: record one from the
microphone until Enter with a live timer and level meter, and hear it through the transcriber with a spinner."""

import sys
from pathlib import Path

import typer

from coach.cli.io import Terminal, echo

INTERVIEW_INSTEAD = "leave out --voice and type your answers"  # what `interview --voice` can do without a microphone


def microphone(terminal: Terminal, instead: str | None = None):
    """Return the terminal's microphone (a test's), else the default input device's, checked: one CoachError
    sentence when the audio library or a device is missing."""
    if terminal.microphone is not None:
        return terminal.microphone()
    from coach.voice.record import ELSEWHERE, device_microphone

    return device_microphone(instead or ELSEWHERE)


def record_answer(terminal: Terminal, into: Path, window: tuple[int, int] | None, mic=None,
                  instead: str | None = None) -> float:
    """Record one take into the wav `into` until Enter, with a live line on a terminal; return its seconds.

    Ctrl-C raises Interrupted, end of input NotFinished, a silent or too short take EmptyTake: nothing is kept."""
    from coach.voice.record import ELSEWHERE, record_to

    mic = mic or microphone(terminal, instead)
    live = sys.stdout.isatty()
    echo("Recording: press Enter when you finish.")
    show = (lambda elapsed, level: _draw(_line(elapsed, level, window))) if live else None
    try:
        return record_to(into, mic, lambda: terminal.input(""), show, terminal.clock, notice=_notice(live),
                         instead=instead or ELSEWHERE)
    finally:
        if live:
            _draw("\r\x1b[K")  # the line Enter left the cursor on: clear any redraw that came after it


def transcriber(terminal: Terminal):
    """Return the terminal's transcriber (a test's), else the one the environment configures."""
    if terminal.transcriber is not None:
        return terminal.transcriber()
    from coach.voice.transcribe import transcriber_from_env

    return transcriber_from_env(on_progress=lambda text: typer.echo(text, err=True))


class Spinning:
    """A transcriber whose every take is heard with a spinner on a terminal, its failures said in one sentence."""

    def __init__(self, hearer):
        self.hearer, self.name = hearer, getattr(hearer, "name", "")

    def prepare(self) -> None:
        """Make sure the transcriber can work (its library and model are here) before a take is recorded."""
        if hasattr(self.hearer, "prepare"):
            self.hearer.prepare()

    def transcribe(self, audio: Path):
        """Transcribe the take through `hear`."""
        return hear(self.hearer, audio)


def hear(hearer, audio: Path):
    """Transcribe a take, with a spinner on a terminal; any failure of the transcriber's becomes one sentence."""
    from coach.display.terminal import Progress
    from coach.voice.transcribe import transcribed

    with Progress().spinning("Transcribing…"):
        return transcribed(hearer, audio)


def _line(elapsed: float, level: float, window: tuple[int, int] | None) -> str:
    from coach.display.recording import recording_line

    return recording_line(elapsed, level, window)


def _notice(live: bool):
    def notice(text: str) -> None:
        _draw(("\r\x1b[K" if live else "") + text + "\n")

    return notice


def _draw(text: str) -> None:
    typer.echo(text, nl=False)
