"""The microphone: one take recorded into a wav file until Enter, with a live timer and level meter.

The device is behind `Microphone`, so the terminal driver is tested with an injected one and no sound card. The
default one (`device_microphone`) opens the default input device through sounddevice (the `voice` extra) and the
PortAudio library, both loaded only when a take is recorded. Every failure is one CoachError sentence that says
what to install or do instead; a take that fails keeps nothing (the wav is written to a temporary file, renamed
into place only when the take is good).
"""

from __future__ import annotations

import math
import os
import sys
import tempfile
import threading
import time
import wave
from array import array
from collections.abc import Callable
from contextlib import suppress
from pathlib import Path
from typing import Protocol

from coach.errors import CoachError, Interrupted, file_system_message

RATE = 16_000  # samples per second asked of the device: what speech models hear
MOST_SECONDS = 600  # a take stops recording by itself after ten minutes
LEAST_SECONDS = 1.0  # a shorter take is a slip of the Enter key
SILENT = 10 ** (-50 / 20)  # a take whose loudest moment stays under -50 dBFS heard nothing: a muted microphone
FLOOR_DB = -60.0  # the level meter's empty end; 0 dBFS is its full end
INTERVAL = 0.1  # seconds between redraws of the live line
STALL_SECONDS = 3.0  # a device that hands over nothing for this long has stopped, whatever it says
ELSEWHERE = "record elsewhere and pass --audio FILE"  # what to do instead, unless the driver says otherwise


class Microphone(Protocol):
    """An input device: once started, it hands over 16-bit mono samples (native byte order) from its own thread
    until stopped; when it fails mid-take it calls `failed` with what went wrong."""

    rate: int  # samples per second, fixed once started

    def start(self, deliver: Callable[[bytes], None], failed: Callable[[str], None]) -> None: ...

    def stop(self) -> None: ...


class NotFinished(CoachError):
    """Input ended before the take did: nothing was kept."""


class EmptyTake(CoachError):
    """The take held nothing to hear (silence, or under a second): nothing was kept; the person may try again."""


def record_to(into: Path, microphone: Microphone | None = None, wait_for_stop: Callable[[], object] = input,
              show: Callable[[float, float], None] | None = None, clock: Callable[[], float] = time.monotonic, *,
              notice: Callable[[str], None] | None = None, most_seconds: float = MOST_SECONDS,
              instead: str = ELSEWHERE) -> float:
    """Record from `microphone` (the default input device's by default) into the wav `into` until `wait_for_stop`
    returns (Enter), calling `show(elapsed seconds, level 0..1)` about ten times a second; return the seconds recorded.

    A take stops recording by itself at `most_seconds`, and `notice` says so. Ctrl-C (Interrupted), end of input
    (NotFinished), a silent or too short take (EmptyTake) or a failing device (CoachError): nothing is kept.
    """
    microphone = microphone or device_microphone(instead)
    handle, name = tempfile.mkstemp(dir=into.parent, prefix=f".{into.stem}.", suffix=".part")
    os.close(handle)
    partial = Path(name)
    try:
        take = _Take(partial, microphone, most_seconds, instead)
        seconds = take.record(wait_for_stop, show, clock, notice)
        os.replace(partial, into)
        return seconds
    except KeyboardInterrupt:
        raise Interrupted("interrupted; nothing was recorded") from None
    except EOFError:
        raise NotFinished("the take was not finished (input ended); nothing was recorded") from None
    finally:
        partial.unlink(missing_ok=True)


class _Take:
    """One take in progress: the samples the device hands over, queued until the writer thread saves them."""

    def __init__(self, partial: Path, microphone: Microphone, most_seconds: float, instead: str):
        self.partial, self.microphone, self.instead = partial, microphone, instead
        self.most_seconds = most_seconds
        self._lock = threading.Lock()
        self._queued: list[bytes] = []
        self.frames = 0  # samples kept
        self.level = 0.0  # the meter's reading of the latest samples, 0 to 1
        self.loudest = 0.0  # the loudest block's RMS, as a share of full scale
        self.full = False
        self.failure: str | None = None
        self._done = threading.Event()

    def record(self, wait_for_stop: Callable[[], object], show, clock, notice) -> float:
        """Record until `wait_for_stop` returns, then check the take; return its seconds."""
        started = clock()
        self.microphone.start(self._deliver, self._failed)  # samples it hands over at once wait in the queue
        limit, stopped = int(self.most_seconds * self.microphone.rate), False
        try:
            with wave.open(str(self.partial), "wb") as writer:
                writer.setnchannels(1)
                writer.setsampwidth(2)
                writer.setframerate(self.microphone.rate)
                watcher = threading.Thread(target=self._watch, args=(writer, limit, show, clock, started, notice),
                                           daemon=True)
                watcher.start()
                try:
                    wait_for_stop()
                finally:
                    self._done.set()
                    watcher.join()
                stopped = True
                self.microphone.stop()
                self._save(writer, limit)  # what came after the watcher's last save
        finally:
            if not stopped:  # Ctrl-C, end of input or a file that could not be written: the device is let go
                with suppress(Exception):
                    self.microphone.stop()
        return self._checked(self.frames / self.microphone.rate, clock() - started)

    def _deliver(self, samples: bytes) -> None:
        """Take samples from the device's thread: queue them and measure their level."""
        block = array("h", samples[: len(samples) // 2 * 2])
        if not block:
            return
        rms = math.sqrt(sum(s * s for s in block) / len(block)) / 32768
        with self._lock:
            self._queued.append(samples[: len(block) * 2])
            self.level = level_of(rms)
            self.loudest = max(self.loudest, rms)

    def _failed(self, reason: str) -> None:
        with self._lock:
            self.failure = self.failure or reason

    def _watch(self, writer, limit: int, show, clock, started: float, notice) -> None:
        """Save the queued samples and redraw the live line until the take ends; say so once when it stops by itself."""
        said, idle = False, 0
        while not self._done.wait(INTERVAL):
            idle = 0 if self._queued else idle + 1
            if idle * INTERVAL >= STALL_SECONDS:
                self._failed(f"no sound arrived for {STALL_SECONDS:g} seconds")
            try:
                self._save(writer, limit)
            except OSError as error:  # a full disk: the take stops here, said as the device failing would be
                self._failed(file_system_message(error))
                return
            stopped = self._stopped_by_itself()
            if stopped and not said:
                said = True
                if notice:
                    notice(stopped)
            if show and not said:
                show(clock() - started, self.level)

    def _stopped_by_itself(self) -> str | None:
        if self.failure:
            return f"The microphone stopped ({self.failure}); press Enter."
        if self.full:
            return f"{_minutes(self.most_seconds)} is the longest take: recording stopped; press Enter."
        return None

    def _save(self, writer, limit: int) -> None:
        """Write the queued samples, up to the longest take."""
        with self._lock:
            queued, self._queued = self._queued, []
        for samples in queued:
            room = (limit - self.frames) * 2
            if room <= 0 or self.failure:
                self.full = self.full or room <= 0
                return
            kept = samples[:room]
            if sys.byteorder == "big":  # a wav holds little-endian samples
                block = array("h", kept)
                block.byteswap()
                kept = block.tobytes()
            writer.writeframes(kept)
            self.frames += len(kept) // 2
            self.full = self.frames >= limit

    def _checked(self, seconds: float, elapsed: float) -> float:
        """Return the take's seconds, or say in one sentence why nothing was kept."""
        if self.failure:
            raise CoachError(f"the microphone failed mid-take ({self.failure}), so nothing was kept: check its "
                             f"connection and try again, or {self.instead}")
        if not self.frames and elapsed >= LEAST_SECONDS:  # sooner, a device may not have handed over its first block
            raise CoachError("the microphone sent no sound: check that it is plugged in and chosen as the input "
                             f"device, or {self.instead}")
        if seconds < LEAST_SECONDS:
            raise EmptyTake("the take was under a second, so nothing was kept: press Enter once you have finished "
                            "speaking")
        if self.loudest < SILENT:
            raise EmptyTake("the take was silent, so nothing was kept: the microphone may be muted, or this terminal "
                            "may not be allowed to use it")
        return round(seconds, 1)


def level_of(rms: float) -> float:
    """Return the meter's reading, 0 to 1, of a block's RMS level (a share of full scale): decibels from -60 to 0."""
    if rms <= 0:
        return 0.0
    return min(1.0, max(0.0, (20 * math.log10(rms) - FLOOR_DB) / -FLOOR_DB))


def _minutes(seconds: float) -> str:
    minutes = seconds / 60
    return f"{minutes:g} minute{'s' * (minutes != 1)}" if minutes >= 1 else f"{seconds:g} seconds"


# The default microphone: the default input device through sounddevice and PortAudio


def device_microphone(instead: str = ELSEWHERE) -> Microphone:
    """Return the default input device's microphone, once the audio library and a device are found; one CoachError
    sentence otherwise, saying what to install or do instead."""
    sd = audio_library(instead)
    try:
        device = sd.query_devices(kind="input")
    except (sd.PortAudioError, ValueError):
        raise CoachError("no microphone was found: plug one in or choose a default input device in your system's "
                         f"sound settings, or {instead}") from None
    return DeviceMicrophone(sd, int(device.get("default_samplerate") or RATE), instead)


def audio_library(instead: str = ELSEWHERE):
    """Import sounddevice (the `voice` extra), which loads PortAudio; say what to install when either is missing."""
    try:
        import sounddevice
    except ImportError:
        raise CoachError(f"recording needs the voice extra: pip install 'coach[voice]', or {instead}") from None
    except OSError:  # sounddevice is there, the PortAudio library it loads is not
        raise CoachError("recording needs the PortAudio library: on Debian or Ubuntu, sudo apt-get install "
                         f"libportaudio2 (on macOS, brew install portaudio), or {instead}") from None
    return sounddevice


class DeviceMicrophone:
    """The default input device: 16 kHz mono when it takes that rate, else its own rate (the transcriber resamples)."""

    def __init__(self, sd, default_rate: int, instead: str = ELSEWHERE):
        self.sd, self.default_rate, self.instead = sd, default_rate, instead
        self.rate = RATE
        self._stream = None
        self._stopping = False

    def start(self, deliver: Callable[[bytes], None], failed: Callable[[str], None]) -> None:
        """Open the device and start handing over its samples."""
        sd = self.sd
        self.rate, self._stopping = self._supported_rate(), False

        def callback(data, frames, moment, status) -> None:
            deliver(bytes(data))

        def finished() -> None:  # PortAudio ends a stream on its own only when the device fails
            if not self._stopping:
                failed("the input device stopped")

        try:
            self._stream = sd.RawInputStream(samplerate=self.rate, channels=1, dtype="int16", callback=callback,
                                             finished_callback=finished)
            self._stream.start()
        except sd.PortAudioError as error:
            self._stream = None
            raise CoachError(self._opening_failure(error)) from None

    def stop(self) -> None:
        """Stop and close the device; a device that fails to stop failed mid-take."""
        self._stopping = True
        stream, self._stream = self._stream, None
        if stream is None:
            return
        try:
            stream.stop()
            stream.close()
        except self.sd.PortAudioError as error:
            raise CoachError(f"the microphone failed mid-take ({_reason(error)}), so nothing was kept: check its "
                             f"connection and try again, or {self.instead}") from None

    def _supported_rate(self) -> int:
        try:
            self.sd.check_input_settings(channels=1, dtype="int16", samplerate=RATE)
        except (self.sd.PortAudioError, ValueError):
            return self.default_rate
        return RATE

    def _opening_failure(self, error: Exception) -> str:
        reason = _reason(error)
        if "permission" in str(error).lower() or "error -13]" in str(error):  # ALSA reports EACCES as -13
            return ("coach may not use the microphone (permission denied): allow this terminal to record in your "
                    f"system's privacy settings (on Linux, join the audio group), or {self.instead}")
        return f"the microphone could not be opened ({reason}): check it in your system's sound settings, or {self.instead}"


def _reason(error: Exception) -> str:
    """Return PortAudio's own words for a failure, on one line, without its error code."""
    text = str(error.args[0]) if error.args else str(error)
    return " ".join(text.split()).rstrip(".") or type(error).__name__
