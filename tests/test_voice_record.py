"""The microphone recorder through injected devices (a sine, silence, espeak-ng's speech; no sound card): the wav it
writes, the live line, Ctrl-C and end of input keeping nothing, and every failure as one sentence."""

from __future__ import annotations

import math
import shutil
import subprocess
import sys
import threading
import time
import types
import wave
from array import array
from pathlib import Path

import pytest

from coach.display.recording import level_meter, recording_line
from coach.errors import CoachError, Interrupted
from coach.voice import record
from coach.voice.record import (
    DeviceMicrophone,
    EmptyTake,
    NotFinished,
    device_microphone,
    level_of,
    record_to,
)

RATE = 16_000


def sine(seconds: float, amplitude: float = 0.3, rate: int = RATE, hz: float = 220.0) -> bytes:
    """Return a tone as 16-bit mono samples."""
    return array("h", (round(amplitude * 32767 * math.sin(2 * math.pi * hz * n / rate))
                       for n in range(round(seconds * rate)))).tobytes()


def silence(seconds: float, rate: int = RATE) -> bytes:
    return bytes(2 * round(seconds * rate))


class FakeMicrophone:
    """A device that hands over prepared samples in blocks of a tenth of a second, from its own thread when
    `threaded`, and can fail part way."""

    def __init__(self, samples: bytes = b"", rate: int = RATE, threaded: bool = False, pace: float = 0.0,
                 fail: str | None = None):
        self.samples, self.rate, self.threaded, self.pace, self.fail = samples, rate, threaded, pace, fail
        self.starts = self.stops = 0
        self.delivered = threading.Event()
        self._stopping = threading.Event()
        self._thread: threading.Thread | None = None

    def start(self, deliver, failed) -> None:
        self.starts += 1
        self.delivered.clear()
        self._stopping.clear()

        def run() -> None:
            size = self.rate // 10 * 2
            for at in range(0, len(self.samples), size):
                if self._stopping.is_set():
                    break
                deliver(self.samples[at:at + size])
                time.sleep(self.pace)
            if self.fail:
                failed(self.fail)
            self.delivered.set()

        if self.threaded:
            self._thread = threading.Thread(target=run, daemon=True)
            self._thread.start()
        else:
            run()

    def stop(self) -> None:
        self.stops += 1
        self._stopping.set()
        if self._thread:
            self._thread.join()


def after(seconds: float = 0.0, then=None):
    """Return a wait_for_stop that returns (or raises `then`) after `seconds`."""

    def wait() -> None:
        time.sleep(seconds)
        if then is not None:
            raise then

    return wait


def frames_of(path: Path) -> tuple[tuple[int, int, int, int], bytes]:
    with wave.open(str(path), "rb") as wav:
        return (wav.getnchannels(), wav.getsampwidth(), wav.getframerate(), wav.getnframes()), wav.readframes(-1)


def test_a_take_is_written_as_a_16khz_mono_wav_and_its_seconds_returned(tmp_path):
    tone = sine(2.5)
    seconds = record_to(tmp_path / "take.wav", FakeMicrophone(tone), after())
    assert seconds == 2.5
    params, frames = frames_of(tmp_path / "take.wav")
    assert params == (1, 2, RATE, 40_000) and frames == tone
    assert [p.name for p in tmp_path.iterdir()] == ["take.wav"]  # no temporary file left beside it


def test_speech_from_espeak_is_kept_sample_for_sample(tmp_path):
    if not shutil.which("espeak-ng"):
        pytest.skip("espeak-ng is not installed")
    spoken = tmp_path / "spoken.wav"
    subprocess.run(["espeak-ng", "-s", "150", "-w", str(spoken), "I wrote the first report myself."], check=True)
    (channels, width, rate, count), speech = frames_of(spoken)
    assert (channels, width) == (1, 2)
    seconds = record_to(tmp_path / "take.wav", FakeMicrophone(speech, rate=rate, threaded=True), after(0.05))
    params, frames = frames_of(tmp_path / "take.wav")
    assert params == (1, 2, rate, count) and frames == speech
    assert seconds == round(count / rate, 1) and seconds > 1


def test_the_live_line_shows_the_seconds_and_the_level_about_ten_times_a_second(tmp_path):
    shown: list[tuple[float, float]] = []
    ticks = iter(range(1000))
    mic = FakeMicrophone(sine(3.0), threaded=True, pace=0.01)
    record_to(tmp_path / "take.wav", mic, lambda: mic.delivered.wait(5) and time.sleep(0.35),
              lambda elapsed, level: shown.append((elapsed, level)), clock=lambda: next(ticks) * 0.1)
    assert len(shown) >= 3
    assert [e for e, _ in shown] == sorted(e for e, _ in shown)
    assert all(0.7 < level < 0.85 for _, level in shown[-2:])  # a tone at 0.3 of full scale: -13.5 dBFS


def test_ctrl_c_mid_take_keeps_nothing(tmp_path):
    mic = FakeMicrophone(sine(3.0), threaded=True)
    with pytest.raises(Interrupted, match=r"^interrupted; nothing was recorded$"):
        record_to(tmp_path / "take.wav", mic, after(0.15, KeyboardInterrupt()))
    assert list(tmp_path.iterdir()) == [] and mic.stops == 1


def test_input_ending_mid_take_keeps_nothing(tmp_path):
    with pytest.raises(NotFinished, match=r"^the take was not finished \(input ended\); nothing was recorded$"):
        record_to(tmp_path / "take.wav", FakeMicrophone(sine(3.0)), after(0, EOFError()))
    assert list(tmp_path.iterdir()) == []


def test_a_silent_take_says_the_microphone_may_be_muted(tmp_path):
    with pytest.raises(EmptyTake) as raised:
        record_to(tmp_path / "take.wav", FakeMicrophone(silence(3.0)), after())
    assert str(raised.value) == ("the take was silent, so nothing was kept: the microphone may be muted, or this "
                                 "terminal may not be allowed to use it")
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("samples", [sine(0.6), b""])  # Enter pressed twice, before the device's first block or after
def test_a_take_under_a_second_is_not_kept(tmp_path, samples):
    with pytest.raises(EmptyTake) as raised:
        record_to(tmp_path / "take.wav", FakeMicrophone(samples), after())
    assert str(raised.value) == "the take was under a second, so nothing was kept: press Enter once you have finished speaking"
    assert list(tmp_path.iterdir()) == []


def test_a_device_that_sends_nothing_is_named(tmp_path):
    with pytest.raises(CoachError) as raised:
        record_to(tmp_path / "take.wav", FakeMicrophone(b""), after(), clock=iter([0.0, 1.5]).__next__,
                  instead="leave out --voice and type your answers")
    assert str(raised.value) == ("the microphone sent no sound: check that it is plugged in and chosen as the input "
                                 "device, or leave out --voice and type your answers")


def test_a_device_failing_mid_take_keeps_nothing_and_says_so_at_once(tmp_path):
    notices: list[str] = []
    mic = FakeMicrophone(sine(2.0), threaded=True, fail="device unplugged")
    with pytest.raises(CoachError) as raised:
        record_to(tmp_path / "take.wav", mic, lambda: mic.delivered.wait(5) and time.sleep(0.3),
                  notice=notices.append)
    assert str(raised.value) == ("the microphone failed mid-take (device unplugged), so nothing was kept: check its "
                                 "connection and try again, or record elsewhere and pass --audio FILE")
    assert notices == ["The microphone stopped (device unplugged); press Enter."]
    assert list(tmp_path.iterdir()) == []


def test_a_take_stops_recording_at_the_longest_and_says_so(tmp_path):
    notices: list[str] = []
    mic = FakeMicrophone(sine(3.0), threaded=True)
    seconds = record_to(tmp_path / "take.wav", mic, lambda: mic.delivered.wait(5) and time.sleep(0.3),
                        notice=notices.append, most_seconds=2)
    assert seconds == 2.0 and frames_of(tmp_path / "take.wav")[0][3] == 2 * RATE
    assert notices == ["2 seconds is the longest take: recording stopped; press Enter."]


def test_a_device_that_stops_handing_over_sound_has_failed(tmp_path, monkeypatch):
    monkeypatch.setattr(record, "STALL_SECONDS", 0.3)
    notices: list[str] = []
    mic = FakeMicrophone(sine(1.5), threaded=True)
    with pytest.raises(CoachError, match=r"^the microphone failed mid-take \(no sound arrived for 0.3 seconds\), so"):
        record_to(tmp_path / "take.wav", mic, lambda: mic.delivered.wait(5) and time.sleep(0.8), notice=notices.append)
    assert notices == ["The microphone stopped (no sound arrived for 0.3 seconds); press Enter."]
    assert list(tmp_path.iterdir()) == []


# The default device: sounddevice and PortAudio, simulated


def test_without_sounddevice_the_voice_extra_is_named(monkeypatch, tmp_path):
    monkeypatch.setitem(sys.modules, "sounddevice", None)  # what `import sounddevice` finds when it is not installed
    with pytest.raises(CoachError) as raised:
        record_to(tmp_path / "take.wav", None, after())
    assert str(raised.value) == ("recording needs the voice extra: pip install 'coach[voice]', or record elsewhere and "
                                 "pass --audio FILE")
    assert list(tmp_path.iterdir()) == []


class _NoPortAudio:
    """An import finder for sounddevice whose import fails as it does when PortAudio is missing."""

    def find_spec(self, name, path=None, target=None):
        if name != "sounddevice":
            return None
        from importlib.machinery import ModuleSpec

        return ModuleSpec(name, self)

    def create_module(self, spec):
        return None

    def exec_module(self, module):
        raise OSError("PortAudio library not found")


def test_without_portaudio_the_package_to_install_is_named(monkeypatch):
    monkeypatch.delitem(sys.modules, "sounddevice", raising=False)
    monkeypatch.setattr(sys, "meta_path", [_NoPortAudio(), *sys.meta_path])
    with pytest.raises(CoachError) as raised:
        device_microphone()
    assert str(raised.value) == ("recording needs the PortAudio library: on Debian or Ubuntu, sudo apt-get install "
                                 "libportaudio2 (on macOS, brew install portaudio), or record elsewhere and pass "
                                 "--audio FILE")


class PortAudioError(Exception):
    def __str__(self):  # as sounddevice words it
        text = self.args[0]
        if len(self.args) > 1:
            text += f" [PaErrorCode {self.args[1]}]"
        if len(self.args) > 2:
            text += f": '{self.args[2][2]}' [ALSA error {self.args[2][1]}]"
        return text


def fake_sounddevice(samples: bytes = b"", *, device: dict | None = None, opening: Exception | None = None,
                     rates=(RATE,), stopping: Exception | None = None, ends_itself: bool = False):
    """Return a module standing for sounddevice over a device with `samples` to hand over."""
    sd = types.ModuleType("sounddevice")
    sd.PortAudioError = PortAudioError
    sd.opened = []

    def query_devices(kind=None):
        if device is None:
            raise PortAudioError("Error querying device -1")
        return device

    def check_input_settings(channels, dtype, samplerate):
        if samplerate not in rates:
            raise PortAudioError("Invalid sample rate", -9997)

    class RawInputStream:
        def __init__(self, samplerate, channels, dtype, callback, finished_callback):
            if opening:
                raise opening
            self.samplerate, self.callback, self.finished = samplerate, callback, finished_callback
            sd.opened.append(self)

        def start(self):
            for at in range(0, len(samples), 3200):
                self.callback(memoryview(samples[at:at + 3200]), 1600, None, 0)
            if ends_itself:
                self.finished()

        def stop(self):
            if stopping:
                raise stopping
            self.finished()

        def close(self):
            pass

    sd.query_devices, sd.check_input_settings, sd.RawInputStream = query_devices, check_input_settings, RawInputStream
    return sd


MIC = {"name": "USB microphone", "default_samplerate": 48000.0}


def test_the_default_device_records_at_16khz_when_it_can(monkeypatch, tmp_path):
    sd = fake_sounddevice(sine(1.5), device=MIC)
    monkeypatch.setitem(sys.modules, "sounddevice", sd)
    assert record_to(tmp_path / "take.wav", None, after()) == 1.5
    assert sd.opened[0].samplerate == RATE and frames_of(tmp_path / "take.wav")[0][2] == RATE


def test_a_device_without_16khz_records_at_its_own_rate(monkeypatch, tmp_path):
    monkeypatch.setitem(sys.modules, "sounddevice", fake_sounddevice(sine(1.5, rate=48000), device=MIC, rates=(48000,)))
    assert record_to(tmp_path / "take.wav", None, after()) == 1.5
    assert frames_of(tmp_path / "take.wav")[0][2] == 48000


def test_no_input_device_is_named(monkeypatch):
    monkeypatch.setitem(sys.modules, "sounddevice", fake_sounddevice())
    with pytest.raises(CoachError) as raised:
        device_microphone("leave out --voice and type your answers")
    assert str(raised.value) == ("no microphone was found: plug one in or choose a default input device in your "
                                 "system's sound settings, or leave out --voice and type your answers")


@pytest.mark.parametrize("error", [
    PortAudioError("Error opening RawInputStream: Unanticipated host error", -9999, (0, -13, "Permission denied")),
    PortAudioError("Error opening RawInputStream: Unanticipated host error", -9999, (0, -13, "")),
])
def test_permission_denied_says_how_to_allow_it(monkeypatch, tmp_path, error):
    monkeypatch.setitem(sys.modules, "sounddevice", fake_sounddevice(device=MIC, opening=error))
    with pytest.raises(CoachError) as raised:
        record_to(tmp_path / "take.wav", None, after())
    assert str(raised.value) == ("coach may not use the microphone (permission denied): allow this terminal to record "
                                 "in your system's privacy settings (on Linux, join the audio group), or record "
                                 "elsewhere and pass --audio FILE")
    assert list(tmp_path.iterdir()) == []


def test_a_device_that_will_not_open_is_named_with_portaudios_reason(monkeypatch, tmp_path):
    error = PortAudioError("Error opening RawInputStream: Device unavailable", -9985)
    monkeypatch.setitem(sys.modules, "sounddevice", fake_sounddevice(device=MIC, opening=error))
    with pytest.raises(CoachError) as raised:
        record_to(tmp_path / "take.wav", None, after())
    assert str(raised.value) == ("the microphone could not be opened (Error opening RawInputStream: Device "
                                 "unavailable): check it in your system's sound settings, or record elsewhere and "
                                 "pass --audio FILE")


@pytest.mark.parametrize("failure", [{"ends_itself": True}, {"stopping": PortAudioError("Stream is stopped", -9983)}])
def test_the_default_device_failing_mid_take_keeps_nothing(monkeypatch, tmp_path, failure):
    monkeypatch.setitem(sys.modules, "sounddevice", fake_sounddevice(sine(2.0), device=MIC, **failure))
    with pytest.raises(CoachError, match=r"^the microphone failed mid-take \((the input device stopped|Stream is "
                                         r"stopped)\), so nothing was kept: check its connection and try again"):
        record_to(tmp_path / "take.wav", None, after())
    assert list(tmp_path.iterdir()) == []


def test_a_device_microphone_stops_once_and_quietly_when_never_started():
    DeviceMicrophone(fake_sounddevice(device=MIC), RATE).stop()


# The live line


@pytest.mark.parametrize("elapsed", [0.0, 59.9, 600.0])
@pytest.mark.parametrize("level", [0.0, 0.5, 1.0, 1.7])
@pytest.mark.parametrize("window", [None, (45, 60), (120, 180)])
def test_the_recording_line_fits_80_columns(elapsed, level, window):
    line = recording_line(elapsed, level, window)
    assert line.startswith("\r") and "\n" not in line
    assert len(line[1:]) < 80
    assert f"{elapsed:.1f}s" in line and level_meter(level) in line


def test_the_recording_line_says_where_the_take_stands():
    assert "in the window" in recording_line(50, 0.5, (45, 60))
    assert "over the target!" in recording_line(61, 0.5, (45, 60))
    assert level_meter(0.5) == "▕" + "█" * 10 + " " * 10 + "▏"
    assert level_meter(0) == "▕" + " " * 20 + "▏" and level_meter(2) == "▕" + "█" * 20 + "▏"


@pytest.mark.parametrize(("rms", "level"), [(0.0, 0.0), (1.0, 1.0), (10 ** (-30 / 20), 0.5), (1e-6, 0.0)])
def test_the_meter_reads_decibels_from_minus_60_to_0(rms, level):
    assert level_of(rms) == pytest.approx(level)


def test_commands_that_do_not_record_import_no_audio_library():
    script = ("import sys\nfrom coach.cli import app\nimport coach.cli.voice, coach.voice.record\n"
              "try:\n    app(['interview', '--help'])\nexcept SystemExit:\n    pass\n"
              "loaded = {'sounddevice', 'numpy'} & set(sys.modules)\nassert not loaded, loaded\n")
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr


def test_the_terminal_driver_draws_the_line_only_on_a_terminal_and_clears_it_after_enter(tmp_path, capsys,
                                                                                         monkeypatch):
    from coach.cli.io import Terminal
    from coach.cli.voice import record_answer

    mic = FakeMicrophone(sine(2.0), threaded=True, pace=0.01)
    terminal = Terminal(microphone=lambda: mic, input=lambda prompt: mic.delivered.wait(5) and time.sleep(0.3))
    assert record_answer(terminal, tmp_path / "piped.wav", (45, 60)) == 2.0
    assert capsys.readouterr().out == "Recording: press Enter when you finish.\n"
    monkeypatch.setattr(sys.stdout, "isatty", lambda: True)
    assert record_answer(terminal, tmp_path / "live.wav", (45, 60)) == 2.0
    out = capsys.readouterr().out
    assert out.startswith("Recording: press Enter when you finish.\n\r") and out.endswith("\r\x1b[K")
    assert "target 45-60s" in out and "● rec ▕" in out
