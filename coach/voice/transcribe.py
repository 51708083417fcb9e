"""Which transcriber hears a take, from the environment, and the audio files it will take.

    COACH_TRANSCRIBE_URL     an OpenAI-compatible base URL (…/v1): transcribe there, not locally
    COACH_TRANSCRIBE_MODEL   the endpoint's model (default whisper-1)
    COACH_WHISPER_MODEL      the local model: a faster-whisper name (default base.en) or a CTranslate2 model folder
"""

from __future__ import annotations

import os
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Protocol

from coach.voice.transcript import Transcript

AUDIO_SUFFIXES = (".wav", ".mp3", ".m4a", ".webm", ".ogg")
# filler words are kept when the transcriber is prompted with disfluent text (Whisper otherwise writes them out)
FILLER_PROMPT = "Umm, let me think like, hmm... Okay, here's what I'm, like, thinking. So, uh, I, you know, did it."


class Transcriber(Protocol):
    """Hears an audio file and returns its words with their timings."""

    name: str  # what the transcript's `engine` will say

    def transcribe(self, audio: Path) -> Transcript: ...


def check_audio(path: Path) -> Path:
    """Return the path of a readable audio file of a kind coach takes; one clear sentence (CoachError) otherwise."""
    raise NotImplementedError  # helper "transcribe"


def transcriber_from_env(environ: Mapping[str, str] | None = None,
                         on_progress: Callable[[str], None] | None = None) -> Transcriber:
    """Return the endpoint's transcriber when COACH_TRANSCRIBE_URL is set, else the local model's (not loaded yet)."""
    environ = os.environ if environ is None else environ
    raise NotImplementedError  # helper "transcribe"
