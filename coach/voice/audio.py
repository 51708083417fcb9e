"""The audio files coach takes (checked without opening one that could hang), their length, and the disfluent text
every transcriber is prompted with so that it keeps the candidate's filler words."""

from __future__ import annotations

import os
import stat
from pathlib import Path

from coach.errors import CoachError, file_system_message

AUDIO_SUFFIXES = (".wav", ".mp3", ".m4a", ".webm", ".ogg")
# filler words are kept when the transcriber is prompted with disfluent text (Whisper otherwise writes them out)
FILLER_PROMPT = "Umm, let me think like, hmm... Okay, here's what I'm, like, thinking. So, uh, I, you know, did it."
MAX_AUDIO_BYTES = 100 * 1024 * 1024  # over an hour of compressed speech, far more than any answer; a wav of 50 min


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
