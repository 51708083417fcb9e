"""The practice page's routes: a take uploaded and heard (by a fake transcriber that hears the script with one sentence
left out), the report marking that sentence, the practice log gaining the same line `coach practice --audio` writes;
a take that looks like a slip kept anyway or let go; timed takes; undo; bad uploads and a failing transcriber said in
one sentence with every file unchanged."""

from __future__ import annotations

import shutil
import wave
from datetime import datetime
from pathlib import Path

import pytest

from coach.bank.folder import Bank, load_story
from coach.method.text import sentences
from coach.voice.transcript import Transcript, Word
from tests.conftest import snapshot
from tests.web_fixtures import client, csrf_headers, events

pytest.importorskip("starlette")

AT = datetime(2026, 11, 24, 9, 0)
LEFT_OUT = 2


def refined(bank) -> str:
    """Return the risk story's refined version."""
    return load_story(bank.root / "risk.md").refined


def spoken(text: str, leave_out: int | None = LEFT_OUT, last: int | None = None) -> Transcript:
    """Return a transcript of the text's sentences said at 150 words a minute, one left out, a pause and an "um"."""
    words, t = [], 0.5
    for number, sentence in enumerate(sentences(text)[:last]):
        if number == leave_out:
            continue
        for index, word in enumerate(sentence.split()):
            words.append(Word(word, t, t + 0.3, 0.95))
            t += 0.4
            if number == 1 and index == 3:
                words.append(Word("um,", t, t + 0.2, 0.9))
                t += 0.3
        if number == 3:
            t += 1.5
    return Transcript(tuple(words), t + 0.5, engine="fake")


class FakeTranscriber:
    """Hears every take as the transcript it was given."""

    name = "fake"

    def __init__(self, transcript=None, error: Exception | None = None):
        self.transcript, self.error, self.heard = transcript, error, []

    def transcribe(self, audio: Path) -> Transcript:
        self.heard.append(Path(audio))
        assert Path(audio).exists()
        if self.error:
            raise self.error
        return self.transcript


def services(transcriber):
    from coach.web.app import Services

    return Services(transcriber=lambda: transcriber, now=lambda: AT)


def wav_bytes(seconds: float = 1.0) -> bytes:
    """Return a short wav of a faint tone: audio the fake transcriber never listens to."""
    import io

    out = io.BytesIO()
    with wave.open(out, "wb") as audio:
        audio.setnchannels(1), audio.setsampwidth(2), audio.setframerate(16000)
        audio.writeframes(b"\1\0" * int(16000 * seconds))
    return out.getvalue()


def upload(test, data: bytes = b"", name: str = "take.webm", kind: str = "audio/webm;codecs=opus", slug="risk"):
    return test.post(f"/practice/{slug}/take", files={"audio": (name, data or wav_bytes(), kind)}, headers=csrf_headers())


def html_of(answer) -> str:
    return "".join(e.get("html", "") for e in events(answer))


def errors_of(answer) -> list[str]:
    return [e["error"] for e in events(answer) if "error" in e]


def test_the_page_shows_the_script_its_window_the_recorder_and_the_takes(bank):
    answer = client(bank.root, services(FakeTranscriber())).get("/practice/risk")
    assert answer.status_code == 200
    text = answer.text
    assert "At Salesforce in 2023" in text and "Target 45-60s" in text
    assert 'id="record"' in text and 'id="stop"' in text and 'id="watch-start"' in text
    assert 'src="/static/practice.js"' in text and "<script>" not in text and "style=" not in text
    assert "No takes yet" in text
    cue = client(bank.root, services(FakeTranscriber())).get("/practice/risk?cue=1").text
    assert "At Salesforce in 2023" not in cue and "Show the whole script" in cue


def test_an_unknown_story_or_a_path_is_one_sentence(bank):
    for slug in ("nope", "..%2Frisk"):
        answer = client(bank.root).get(f"/practice/{slug}")
        assert answer.status_code == 404 and "Traceback" not in answer.text


def test_a_story_with_no_refined_version_says_so_and_a_take_of_it_writes_nothing(bank):
    def blank(story):
        story.refined = ""
        return story

    bank.update(bank.root / "risk.md", blank)
    before = snapshot(bank.root)
    test = client(bank.root, services(FakeTranscriber(spoken("Hello there.", leave_out=None))))
    answer = test.get("/practice/risk")
    assert answer.status_code == 400 and "has no refined version to practise" in answer.text
    assert "no refined version" in errors_of(upload(test))[0]
    assert "no refined version" in errors_of(test.post("/practice/risk/timed", data={"seconds": "50"},
                                                       headers=csrf_headers()))[0]
    assert snapshot(bank.root) == before


def test_a_take_is_heard_its_left_out_sentence_marked_skipped_and_one_line_logged_as_the_cli_does(bank, tmp_path):
    twin = Bank(tmp_path / "twin")
    shutil.copytree(bank.root, twin.root)
    transcript = spoken(refined(bank))
    hearer = FakeTranscriber(transcript)
    before = (bank.root / "risk.md").read_text().splitlines()
    answer = upload(client(bank.root, services(hearer)), wav_bytes(), "take.wav", "audio/wav")
    assert errors_of(answer) == []
    html = html_of(answer)
    left_out = sentences(refined(bank))[LEFT_OUT]
    assert 'class="sentence skipped" data-status="skipped"' in html and "Skipped</span>" in html
    assert '<del class="w skipped">Instead</del>' in html
    assert html.count('data-status="skipped"') == 1 and left_out.split()[4] in html
    assert '<span class="filler">um,</span>' in html and 'class="pause"' in html
    assert "1 of 1 takes" not in html and "Takes so far" in html and "heard" in html
    after = (bank.root / "risk.md").read_text().splitlines()
    added = [line for line in after if line not in before]
    assert added[0] == "practice:" and len(added) == 2  # the log's heading, then exactly one line: the take
    assert added[1].startswith("- {at: '2026-11-24T09:00:00', seconds: ") and "coverage: " in added[1]
    assert not hearer.heard[0].exists()  # the temporary file is gone
    # the command writes the very same files: the story's line and the kept transcript
    from typer.testing import CliRunner

    from coach.cli import make_app
    from coach.cli.io import Terminal

    wav = tmp_path / "take.wav"
    wav.write_bytes(wav_bytes())
    seams = Terminal(now=lambda: AT, transcriber=lambda: FakeTranscriber(transcript))
    result = CliRunner().invoke(make_app(seams), ["practice", "risk", "--audio", str(wav), "--yes",
                                                  "--stories", str(twin.root)])
    assert result.exit_code == 0, result.output
    assert snapshot(twin.root) == snapshot(bank.root)


def test_the_report_says_the_hook_the_key_words_and_an_invented_figure(bank):
    def noted(story):
        story.practice_notes.hooks = ["At Salesforce in 2023, I noticed our MLOps on-call rotation was burning people out"]
        story.practice_notes.key_words = ["sprint report", "lead by example", "Kubernetes"]
        return story

    bank.update(bank.root / "risk.md", noted)
    invented = refined(bank).replace("by 50% in one quarter", "by 70% in one quarter")
    from html import unescape

    html = unescape(html_of(upload(client(bank.root, services(FakeTranscriber(spoken(invented, leave_out=None)))))))
    assert '<strong>Hook:</strong> <span class="yes">heard</span>' in html
    assert "2 of 3 landed" in html and '<span class="key missed">✗ Kubernetes</span>' in html
    assert 'the number "70%" is not in your material' in html and "where your script says “50%”" in html
    assert "If what you said is true, add it" in html


def test_a_take_that_looks_like_a_slip_is_kept_anyway_without_sending_it_again(bank):
    hearer = FakeTranscriber(spoken(refined(bank), leave_out=None, last=1))  # ~10s of a 45-60s story
    test = client(bank.root, services(hearer))
    before = snapshot(bank.root)
    html = html_of(upload(test))
    assert "Keep it anyway" in html and "looks like a slip" in html
    assert snapshot(bank.root) == before
    take_id = html.split('name="take" value="')[1].split('"')[0]
    kept = test.post("/practice/risk/keep", data={"take": take_id}, headers=csrf_headers())
    assert errors_of(kept) == [] and "Your take" in html_of(kept)
    assert len(hearer.heard) == 1  # heard once
    story = load_story(bank.root / "risk.md")
    assert len(story.practice) == 1 and story.practice[0].heard
    again = test.post("/practice/risk/keep", data={"take": take_id}, headers=csrf_headers())
    assert errors_of(again) and "no longer held" in errors_of(again)[0]
    assert len(load_story(bank.root / "risk.md").practice) == 1


def test_a_slip_let_go_writes_nothing(bank):
    test = client(bank.root, services(FakeTranscriber(spoken(refined(bank), leave_out=None, last=1))))
    before = snapshot(bank.root)
    html = html_of(upload(test))
    take_id = html.split('name="take" value="')[1].split('"')[0]
    dropped = test.post("/practice/risk/drop", data={"take": take_id}, headers=csrf_headers())
    assert "Nothing was recorded." in html_of(dropped)
    assert errors_of(test.post("/practice/risk/keep", data={"take": take_id}, headers=csrf_headers()))
    assert snapshot(bank.root) == before


def test_a_held_take_expires(bank, monkeypatch):
    from coach.web.pages import practice

    test = client(bank.root, services(FakeTranscriber(spoken(refined(bank), leave_out=None, last=1))))
    html = html_of(upload(test))
    take_id = html.split('name="take" value="')[1].split('"')[0]
    before = snapshot(bank.root)
    monkeypatch.setattr(practice, "HELD_SECONDS", -1)
    later = practice.time.monotonic() + practice.HELD_SECONDS + 16 * 60
    monkeypatch.setattr(practice.time, "monotonic", lambda: later)
    assert errors_of(test.post("/practice/risk/keep", data={"take": take_id}, headers=csrf_headers()))
    assert snapshot(bank.root) == before


def test_a_timed_take_is_recorded_and_undone(bank):
    test = client(bank.root, services(FakeTranscriber()))
    before = snapshot(bank.root)
    answer = test.post("/practice/risk/timed", data={"seconds": "52.4"}, headers=csrf_headers())
    assert errors_of(answer) == []
    html = html_of(answer)
    assert "52.4s · within the 45-60s window" in html and "Undo the last take" in html
    assert [t.seconds for t in load_story(bank.root / "risk.md").practice] == [52.4]
    undone = test.post("/practice/risk/undo", headers=csrf_headers())
    assert "Removed the take" in html_of(undone) and "0 takes left" in html_of(undone)
    assert snapshot(bank.root) == before
    assert "has no takes to undo" in errors_of(test.post("/practice/risk/undo", headers=csrf_headers()))[0]


def test_a_short_timed_take_asks_then_records_when_meant(bank):
    test = client(bank.root, services(FakeTranscriber()))
    before = snapshot(bank.root)
    html = html_of(test.post("/practice/risk/timed", data={"seconds": "8"}, headers=csrf_headers()))
    assert "Keep it anyway" in html and snapshot(bank.root) == before
    sure = test.post("/practice/risk/timed", data={"seconds": "8", "sure": "1"}, headers=csrf_headers())
    assert errors_of(sure) == [] and [t.seconds for t in load_story(bank.root / "risk.md").practice] == [8.0]


@pytest.mark.parametrize("seconds", ["", "abc", "0", "-3", "nan", "inf", "601"])
def test_a_stopwatch_length_that_is_no_take_is_one_sentence(bank, seconds):
    before = snapshot(bank.root)
    answer = client(bank.root).post("/practice/risk/timed", data={"seconds": seconds}, headers=csrf_headers())
    assert errors_of(answer) == ["The stopwatch gave no take between 3s and 10 minutes; press Start as you begin and "
                                 "Stop as you finish."]
    assert snapshot(bank.root) == before


def test_bad_uploads_are_one_sentence_and_change_nothing(bank, monkeypatch):
    from coach.web.pages import practice

    hearer = FakeTranscriber(spoken(refined(bank)))
    test = client(bank.root, services(hearer))
    before = snapshot(bank.root)
    empty = test.post("/practice/risk/take", files={"audio": ("take.webm", b"", "audio/webm")}, headers=csrf_headers())
    assert errors_of(empty) == ["The recording is empty; check that the microphone is on, then record the take "
                                "again."]
    assert errors_of(upload(test, b"MZ\0\0", "take.exe", "application/octet-stream")) == [
        "That file (application/octet-stream) is not audio coach can hear; record in the browser or send webm, ogg, "
        "wav, m4a or mp3."]
    missing = test.post("/practice/risk/take", data={"nothing": "1"}, headers=csrf_headers())
    assert errors_of(missing) == ["No recording came with the request; record a take first."]
    monkeypatch.setattr(practice, "MAX_UPLOAD", 1000)
    assert errors_of(upload(test, b"\1" * 5000)) == [practice.TOO_BIG]
    assert hearer.heard == [] and snapshot(bank.root) == before


def test_the_kind_of_an_upload_comes_from_its_type_or_its_name():
    from coach.web.pages.practice import upload_suffix

    assert upload_suffix("audio/webm;codecs=opus", "blob") == ".webm"
    assert upload_suffix("audio/ogg; codecs=opus", None) == ".ogg"
    assert upload_suffix("audio/mp4", "take") == ".m4a"
    assert upload_suffix("application/octet-stream", "Take.MP3") == ".mp3"
    assert upload_suffix("", "take.wav") == ".wav"
    assert upload_suffix("text/plain", "take.txt") is None


def test_a_failing_or_missing_transcriber_is_one_sentence_and_changes_nothing(bank):
    from coach.errors import CoachError
    from coach.voice.local import MISSING_EXTRA

    before = snapshot(bank.root)
    for error, said in ((RuntimeError("model file is corrupt"), "Transcription failed (model file is corrupt): check "
                                                               "COACH_WHISPER_MODEL or COACH_TRANSCRIBE_URL."),
                        (CoachError(MISSING_EXTRA), MISSING_EXTRA[:1].upper() + MISSING_EXTRA[1:] + ".")):
        hearer = FakeTranscriber(error=error)
        answer = upload(client(bank.root, services(hearer)))
        assert errors_of(answer) == [said]
        assert not hearer.heard[0].exists()
    assert snapshot(bank.root) == before


def test_a_take_of_another_story_is_asked_about(bank):
    other = load_story(bank.root / "conflict.md").refined if (bank.root / "conflict.md").exists() else "Lorem ipsum."
    hearer = FakeTranscriber(spoken(other + " " + other + " " + other, leave_out=None))
    html = html_of(upload(client(bank.root, services(hearer))))
    assert "Keep it anyway" in html or "Your take" in html


def test_the_marks_put_every_word_pause_and_filler_where_it_fell(bank):
    from coach.voice.hearing import Script, hear
    from coach.voice.marked import marked_sentences

    text = refined(bank)
    marked = marked_sentences(hear(spoken(text), Script(text, window=(45, 60))))
    assert [s.status for s in marked].count("skipped") == 1 and marked[LEFT_OUT].status == "skipped"
    assert {m.kind for m in marked[LEFT_OUT].marks} == {"skipped"}
    assert " ".join(m.script for m in marked[0].marks) == sentences(text)[0]
    kinds = [m.kind for m in marked[1].marks]
    assert kinds[4] == "filler"  # after the fourth word, as it was said
    assert [m.kind for m in marked[3].marks][-1] == "pause"  # after the sentence it fell after
    assert [m.kind for m in marked[0].marks].count("plain") == 1  # the dash, which no one says
    words = [m.script for s in marked for m in s.marks if m.script]
    assert " ".join(words) == " ".join(sentences(text))  # every script word, once, in order
