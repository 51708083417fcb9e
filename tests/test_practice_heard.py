"""`coach practice --audio` and `--record` through the CLI, with a transcriber that returns what a test says was
heard (the real one is tested on real speech in test_voice_takes.py): what is recorded, kept and refused."""

from __future__ import annotations

import json
import wave
from pathlib import Path

import pytest

from coach.bank.folder import Bank, load_story
from coach.cli import make_app
from coach.cli.io import Terminal
from coach.errors import LLMError
from coach.voice.transcript import Transcript, Word
from tests.conftest import snapshot
from tests.test_practice import times

REFINED = (Path(__file__).parent.parent / "stories" / "risk.md").read_text().split("## Refined\n\n")[1].split("\n\n")[0]


def spoken(text: str, wpm: int = 150, start: float = 0.3, probability: float = 0.95) -> Transcript:
    """Return a transcript of text said evenly at wpm, as a transcriber sure of every word would give it."""
    step = 60 / wpm
    words = tuple(Word(w, start + i * step, start + i * step + step * 0.8, probability)
                  for i, w in enumerate(text.split()))
    return Transcript(words, words[-1].end + 0.5 if words else 3.0, "words", "test transcriber")


class Heard:
    """A transcriber that hears the transcript it was given, whatever the file, and counts its calls."""

    name = "test transcriber"

    def __init__(self, transcript: Transcript | Exception):
        self.transcript, self.calls = transcript, 0

    def transcribe(self, audio: Path) -> Transcript:
        self.calls += 1
        if isinstance(self.transcript, BaseException):
            raise self.transcript
        return self.transcript


@pytest.fixture
def wav(tmp_path) -> Path:
    path = tmp_path / "take.wav"
    with wave.open(str(path), "wb") as audio:
        audio.setnchannels(1), audio.setsampwidth(2), audio.setframerate(16000)
        audio.writeframes(b"\1\0" * 16000)
    return path


def practice(runner, *args, heard: Heard, terminal: bool = False, stdin: str | None = None, now=None):
    seams = Terminal(now=now or times(), transcriber=lambda: heard, interactive=lambda: terminal)
    return runner.invoke(make_app(seams), ["practice", *args], input=stdin)


def test_a_heard_take_is_logged_with_its_pace_fillers_and_coverage_and_its_transcript_kept(runner, bank, wav):
    result = practice(runner, "risk", "--audio", str(wav), heard=Heard(spoken("Um, " + REFINED)))
    assert result.exit_code == 0, result.output
    take = load_story(bank.root / "risk.md").practice[-1]
    assert take.heard and take.wpm in range(140, 161) and take.fillers >= 1 and take.coverage >= 95
    line = next(line for line in (bank.root / "risk.md").read_text().splitlines() if "wpm:" in line)
    assert line.startswith("- {at: '2026-11-24T09:00:00', seconds: ") and "coverage: " in line
    kept = sorted(p.name for p in (bank.root / "takes" / "risk").iterdir())
    assert kept == ["2026-11-24-090000.json", "2026-11-24-090000.md"]  # the audio only with --keep-audio
    assert (bank.root / "takes" / "risk" / kept[1]).stat().st_mode & 0o077 == 0  # the candidate's words: theirs only
    assert "Skipped" not in result.output and "Not in your material" not in result.output
    assert result.output.splitlines()[0].startswith("The Risk Story: ")


def test_the_json_holds_the_hearing_and_the_transcript(runner, bank, wav):
    result = practice(runner, "risk", "--audio", str(wav), "--json", heard=Heard(spoken(REFINED)))
    data = json.loads(result.output)
    assert data["story"] == "risk" and data["within"] is True
    assert {"hearing", "transcript", "saved"} <= data.keys()
    assert data["transcript"]["engine"] == "test transcriber" and len(data["transcript"]["words"]) == len(REFINED.split())
    assert all(s["status"] == "said" for s in data["hearing"]["sentences"])


def test_keep_audio_copies_the_recording_beside_its_transcript(runner, bank, wav):
    practice(runner, "risk", "--audio", str(wav), "--keep-audio", heard=Heard(spoken(REFINED)))
    kept = bank.root / "takes" / "risk" / "2026-11-24-090000.wav"
    assert kept.read_bytes() == wav.read_bytes()


@pytest.mark.parametrize(("args", "message"), [
    (["--keep-audio"], "--keep-audio keeps the audio of a heard take; add --audio FILE or --record"),
    (["--record", "--json"], "--json needs --audio FILE"),
    (["--record", "--seconds", "50"], "--seconds and --record do different things; use one at a time"),
    (["--audio", "nowhere.wav"], "nowhere.wav"),
])
def test_wrong_options_and_files_are_refused_in_one_sentence(runner, bank, args, message):
    before = snapshot(bank.root)
    heard = Heard(spoken(REFINED))
    result = practice(runner, "risk", *args, heard=heard)
    assert result.exit_code == 2 and message in result.output and len(result.output.strip().splitlines()) == 1
    assert snapshot(bank.root) == before and heard.calls == 0


@pytest.mark.parametrize("failure", [LLMError("no transcription server answers at http://127.0.0.1:9/v1; start it"),
                                     KeyboardInterrupt()])
def test_a_failed_or_interrupted_transcription_writes_nothing(runner, bank, wav, failure):
    before = snapshot(bank.root)
    result = practice(runner, "risk", "--audio", str(wav), heard=Heard(failure))
    assert result.exit_code in (1, 130) and "Traceback" not in result.output
    assert snapshot(bank.root) == before


def test_a_failed_story_update_removes_the_take_files(runner, bank, wav, monkeypatch):
    before = snapshot(bank.root)

    def fails(self, path, change):
        raise OSError(28, "No space left on device", str(path))

    monkeypatch.setattr(Bank, "update", fails)
    result = practice(runner, "risk", "--audio", str(wav), heard=Heard(spoken(REFINED)))
    assert result.exit_code != 0 and "no space left" in result.output
    assert snapshot(bank.root) == before


def test_a_take_that_looks_like_a_slip_is_asked_about_or_refused(runner, bank, wav):
    short = spoken(" ".join(REFINED.split()[:20]))  # 8 seconds of a 45-60s story
    before = snapshot(bank.root)
    refused = practice(runner, "risk", "--audio", str(wav), heard=Heard(short))
    assert refused.exit_code == 2 and "looks like a slip" in refused.output and "--yes" in refused.output
    declined = practice(runner, "risk", "--audio", str(wav), heard=Heard(short), terminal=True, stdin="n\n")
    assert declined.exit_code == 0 and "Nothing was recorded." in declined.output
    assert snapshot(bank.root) == before
    kept = practice(runner, "risk", "--audio", str(wav), "--yes", heard=Heard(short))
    assert kept.exit_code == 0 and "Skipped" in kept.output


def test_nothing_heard_records_nothing(runner, bank, wav):
    before = snapshot(bank.root)
    result = practice(runner, "risk", "--audio", str(wav), heard=Heard(spoken("")))
    assert result.exit_code == 2 and "no speech was heard" in result.output
    assert snapshot(bank.root) == before


def test_history_shows_the_heard_trend_and_calibration_uses_the_pace_said(runner, bank, wav):
    now = times()
    for wpm in (170, 160, 150):
        practice(runner, "risk", "--audio", str(wav), heard=Heard(spoken(REFINED, wpm=wpm)), now=now)
    history = runner.invoke(make_app(), ["practice", "risk", "--history"]).output
    assert "Heard takes" in history and "pace 170 wpm → 150 wpm" in history.replace("\n  ", " ")
    assert max(map(len, history.splitlines())) <= 80
    rate = json.loads(runner.invoke(make_app(), ["practice", "--calibrate", "--json"]).output)
    assert rate["heard"] is True and 155 <= rate["words_per_minute"] <= 165


def test_undo_of_a_heard_take_removes_its_transcript_and_audio(runner, bank, wav):
    now = times()
    practice(runner, "risk", "--audio", str(wav), heard=Heard(spoken(REFINED)), now=now)
    practice(runner, "risk", "--audio", str(wav), "--keep-audio", heard=Heard(spoken(REFINED)), now=now)
    result = runner.invoke(make_app(), ["practice", "risk", "--undo"])
    assert result.exit_code == 0 and "Its transcript went with it (2026-11-24-091000.json, 2026-11-24-091000.md, " \
        "2026-11-24-091000.wav)." in " ".join(result.output.split())
    assert sorted(p.name for p in (bank.root / "takes" / "risk").iterdir()) == ["2026-11-24-090000.json",
                                                                               "2026-11-24-090000.md"]


def test_a_take_of_another_story_is_asked_about(runner, bank, wav):
    team = (Path(__file__).parent.parent / "stories" / "team.md").read_text().split("## Refined\n\n")[1].split("\n\n")[0]
    before = snapshot(bank.root)
    refused = practice(runner, "risk", "--audio", str(wav), heard=Heard(spoken(team)))
    assert refused.exit_code == 2 and "sounds like another story" in refused.output and "--yes" in refused.output
    assert snapshot(bank.root) == before
    kept = practice(runner, "risk", "--audio", str(wav), "--yes", heard=Heard(spoken(team)))
    assert kept.exit_code == 0


def test_two_takes_in_the_same_second_keep_both_transcripts_and_undo_removes_the_last(runner, bank, wav):
    from datetime import datetime

    same = lambda: datetime(2026, 11, 24, 9, 0)  # noqa: E731
    for text in (REFINED, REFINED.replace("five", "5")):
        assert practice(runner, "risk", "--audio", str(wav), heard=Heard(spoken(text)), now=same).exit_code == 0
    folder = bank.root / "takes" / "risk"
    assert sorted(p.name for p in folder.iterdir()) == ["2026-11-24-090000-2.json", "2026-11-24-090000-2.md",
                                                       "2026-11-24-090000.json", "2026-11-24-090000.md"]
    runner.invoke(make_app(), ["practice", "risk", "--undo"])
    assert sorted(p.name for p in folder.iterdir()) == ["2026-11-24-090000.json", "2026-11-24-090000.md"]


def test_an_escape_sequence_in_what_a_server_heard_reaches_no_file_and_no_screen(runner, bank, wav):
    heard = spoken(REFINED)
    words = (Word("\x1b]0;PWNED\x07At", heard.words[0].start, heard.words[0].end, 0.9), *heard.words[1:])
    result = practice(runner, "risk", "--audio", str(wav), heard=Heard(Transcript(words, heard.duration)))
    assert result.exit_code == 0 and "\x1b" not in result.output
    for path in (bank.root / "takes" / "risk").iterdir():
        assert "\x1b" not in path.read_text() and "\\u001b" not in path.read_text()


def test_ctrl_c_while_the_take_is_saved_leaves_nothing(runner, bank, wav, monkeypatch):
    import coach.spoken

    real, calls = coach.spoken.write_atomic, []

    def interrupted(path, text, **options):
        calls.append(path)
        if len(calls) == 2:
            raise KeyboardInterrupt
        real(path, text, **options)

    monkeypatch.setattr(coach.spoken, "write_atomic", interrupted)
    before = snapshot(bank.root)
    result = practice(runner, "risk", "--audio", str(wav), "--keep-audio", heard=Heard(spoken(REFINED)))
    assert result.exit_code == 130 and snapshot(bank.root) == before
    assert not (bank.root / "takes").exists()


def test_a_hand_written_heard_line_with_a_field_left_out_shows_a_dash(runner, bank):
    path = bank.root / "risk.md"
    path.write_text(path.read_text().replace("type: risk\n", "type: risk\npractice:\n"
                                             "- {at: '2026-11-20T09:00:00', seconds: 52.5, wpm: 140}\n", 1))
    result = runner.invoke(make_app(), ["practice", "risk", "--history"])
    assert result.exit_code == 0 and "Heard takes" in result.output and "–" in result.output


def test_the_reason_is_said_before_a_take_of_another_story_is_asked_about(runner, bank, wav):
    team = (Path(__file__).parent.parent / "stories" / "team.md").read_text().split("## Refined\n\n")[1].split("\n\n")[0]
    result = practice(runner, "risk", "--audio", str(wav), heard=Heard(spoken(team)), terminal=True, stdin="n\n")
    assert "sounds like another story." in " ".join(result.output.split()) and "Nothing was recorded." in result.output


def test_a_transcript_longer_than_any_story_is_refused_before_it_is_measured(runner, bank, wav):
    endless = spoken(" ".join([REFINED] * 40), wpm=400)  # 5,720 words in 14 minutes
    before = snapshot(bank.root)
    result = practice(runner, "risk", "--audio", str(wav), heard=Heard(endless))
    assert result.exit_code == 2 and "more than any spoken story" in result.output
    assert snapshot(bank.root) == before
