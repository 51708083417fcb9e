"""`coach interview --voice` through CliRunner: answers spoken into an injected microphone and heard by a fake
transcriber, against the mocked chat endpoint; the measured seconds reach the feedback; refusals and failures."""

from __future__ import annotations

import sys
import wave
from pathlib import Path

from coach.cli import Terminal, make_app
from coach.errors import CoachError
from coach.voice.transcript import Transcript, Word
from tests.test_followups import flat
from tests.test_interview import STRONG, Endpoint, feedback, transcript_of
from tests.test_voice_record import FakeMicrophone, silence, sine

SECOND = ("When our lead engineer went on leave I took over as Scrum Lead myself, because the team was about to "
          "lose its release, and I learned that courage is doing the unglamorous work nobody asked for")
STAKES = "If I had said no, the team would have lost its release while our lead was away"


def heard(text: str, start: float = 1.0, seconds: float = 52.4) -> Transcript:
    """Return a transcript of text, its words spread from `start` over `seconds`."""
    words = text.split()
    step = seconds / max(1, len(words))
    return Transcript(tuple(Word(w, start + i * step, start + (i + 1) * step, 0.9) for i, w in enumerate(words)),
                      start + seconds + 0.5, "words", "fake")


class FakeTranscriber:
    """Hears each take as the next prepared transcript (or raises it), noting the audio it was given."""

    name = "fake"

    def __init__(self, *transcripts):
        self.transcripts = list(transcripts)
        self.heard: list[Path] = []
        self.seconds: list[float] = []

    def transcribe(self, audio: Path) -> Transcript:
        self.heard.append(audio)
        with wave.open(str(audio), "rb") as wav:
            self.seconds.append(wav.getnframes() / wav.getframerate())
        answer = self.transcripts.pop(0)
        if isinstance(answer, Exception):
            raise answer
        return answer


def voice(runner, transcriber, *args, stdin="", microphone=None, ask=None):
    mic = microphone or FakeMicrophone(sine(3.0))
    seams = Terminal(microphone=lambda: mic, transcriber=lambda: transcriber)
    if ask:
        seams.input = ask
    return runner.invoke(make_app(seams), ["interview", "--voice", *args, "--stories", "stories"], input=stdin)


def test_a_spoken_session_is_heard_shown_and_scored_on_its_measured_seconds(runner, bank, endpoint):
    fake = Endpoint([feedback(STRONG), feedback(SECOND)])
    endpoint.side_effect = fake
    transcriber = FakeTranscriber(heard(STRONG, seconds=52.4), heard(SECOND, seconds=38.0), heard(STAKES, seconds=9.6))
    result = voice(runner, transcriber, "-n", "2", "--values", "Courage", stdin="\n\n" * 3)
    assert result.exit_code == 0, result.output
    out = flat(result.output)
    assert "Answer out loud: press Enter to start speaking and Enter again when you finish" in out
    assert "type the command instead of pressing Enter" in out
    assert "Answer in writing" not in out
    assert out.count("Recording: press Enter when you finish.") == 3
    assert "You (spoken 52.4s): At Salesforce in 2023 our on-call rotation was burning" in out
    assert "You (spoken 38.0s): When our lead engineer went on leave" in out
    # the measured seconds, not the estimate from the words, are what feedback and concision rest on
    feedback_prompts = [body["messages"][-1]["content"] for body in fake.sent if "response_format" in body]
    assert "The main answer was spoken in 52.4 seconds, measured from the recording" in feedback_prompts[0]
    assert "The main answer was spoken in 38.0 seconds, measured from the recording" in feedback_prompts[1]
    assert "the text is a transcript" in feedback_prompts[0]
    assert "You (spoken 9.6s): If I had said no" in out  # the reply to a probe on the stakes
    assert "concision 5/5 52.4s spoken against" in out and "concision 3/5 38s spoken against" in out
    # each take reached the transcriber as a wav, which is gone afterwards
    assert transcriber.seconds == [3.0, 3.0, 3.0] and not any(path.exists() for path in transcriber.heard)
    text, front = transcript_of(bank)
    assert front["status"] == "complete" and front["answered"] == 2
    assert f"**You:** {STRONG}" in text and f"**You:** {SECOND}" in text and f"**You:** {STAKES}" in text


def test_a_command_or_an_answer_can_be_typed_instead_of_pressing_enter(runner, bank, endpoint):
    fake = Endpoint([feedback(STRONG)])
    endpoint.side_effect = fake
    result = voice(runner, FakeTranscriber(), "-n", "2", "--values", "Courage",
                   stdin="/hint\n/skip\n" + STRONG + "\n\n")
    assert result.exit_code == 0, result.output
    assert "Try your" in result.output  # /hint answered
    text, front = transcript_of(bank)
    assert front["answered"] == 1 and f"**You:** {STRONG}" in text
    scoring = next(body for body in fake.sent if "response_format" in body)["messages"][-1]["content"]
    assert "The main answer takes 22.0 seconds" in scoring  # typed: estimated from its words


def test_nothing_heard_or_a_silent_take_lets_them_try_again(runner, bank, endpoint):
    endpoint.side_effect = Endpoint([feedback(STRONG)])
    takes = iter([silence(3.0), sine(3.0), sine(3.0)])

    class Changing(FakeMicrophone):
        def start(self, deliver, failed):
            self.samples = next(takes)
            super().start(deliver, failed)

    transcriber = FakeTranscriber(Transcript((), 3.0), heard(STRONG))
    result = voice(runner, transcriber, "-n", "1", "--values", "Courage", stdin="\n\n" * 3, microphone=Changing())
    assert result.exit_code == 0, result.output
    out = result.output
    assert ("The take was silent, so nothing was kept: the microphone may be muted, or this terminal may not be "
            "allowed to use it. Press Enter to try again, or type your answer.") in " ".join(out.split())
    assert "Nothing was heard in that take. Press Enter to try again, or type your answer." in out
    assert "You (spoken 52.4s):" in out and len(transcriber.heard) == 2


def test_voice_refuses_an_answers_file_and_json(runner, bank, endpoint, tmp_path):
    (tmp_path / "answers.md").write_text(f"---\n{STRONG}\n")
    with_answers = voice(runner, FakeTranscriber(), "--answers", str(tmp_path / "answers.md"))
    assert with_answers.exit_code == 2
    assert with_answers.output == "Error: --voice records your answers in the terminal; leave out --answers\n"
    with_json = voice(runner, FakeTranscriber(), "--json")
    assert with_json.exit_code == 2
    assert with_json.output == "Error: --voice records your answers in the terminal; leave out --json\n"
    assert not endpoint.called


def test_a_failing_transcriber_ends_the_session_in_one_sentence_keeping_what_was_said(runner, bank, endpoint):
    endpoint.side_effect = Endpoint([feedback(STRONG)])
    transcriber = FakeTranscriber(heard(STRONG), RuntimeError("Unable to open file 'model.bin'\nin model folder"))
    result = voice(runner, transcriber, "-n", "2", "--values", "Courage", stdin="\n\n\n\n")
    assert result.exit_code == 2
    assert "Traceback" not in result.output
    last = result.output.strip().splitlines()[-1]
    assert last.startswith("Error: transcription failed (Unable to open file 'model.bin' in model folder): check "
                           "COACH_WHISPER_MODEL or COACH_TRANSCRIBE_URL; the session so far is saved to stories/sessions/")
    text, front = transcript_of(bank)
    assert front["status"] == "stopped: the answer could not be recorded or transcribed" and front["answered"] == 1
    assert not any(path.exists() for path in transcriber.heard)


def test_a_transcriber_error_on_the_first_answer_keeps_no_transcript(runner, bank, endpoint):
    endpoint.side_effect = Endpoint([])
    failing = FakeTranscriber(CoachError("the transcription endpoint answered 401: check OPENAI_API_KEY"))
    result = voice(runner, failing, "-n", "1", "--values", "Courage", stdin="\n\n")
    assert result.exit_code == 2 and "Traceback" not in result.output
    assert result.output.strip().splitlines()[-1] == ("Error: the transcription endpoint answered 401: check "
                                                      "OPENAI_API_KEY; nothing was answered, so no transcript was kept")
    assert not list((bank.root / "sessions").glob("*.md"))


def test_ctrl_c_mid_take_ends_the_session_and_says_what_was_kept(runner, bank, endpoint):
    endpoint.side_effect = Endpoint([feedback(STRONG)])
    presses = iter(["", "", "", KeyboardInterrupt()])

    def ask(prompt: str) -> str:
        press = next(presses)
        if isinstance(press, BaseException):
            raise press
        return press

    result = voice(runner, FakeTranscriber(heard(STRONG)), "-n", "2", "--values", "Courage", ask=ask)
    assert result.exit_code == 130
    assert "Interrupted; the session so far is saved to stories/sessions/" in result.output
    _, front = transcript_of(bank)
    assert front["status"] == "interrupted" and front["answered"] == 1


def test_input_ending_mid_take_ends_the_session_as_quit(runner, bank, endpoint):
    endpoint.side_effect = Endpoint([])
    result = voice(runner, FakeTranscriber(), "-n", "1", "--values", "Courage", stdin="\n")
    assert result.exit_code == 0, result.output
    assert "Nothing was answered, so no transcript was kept." in result.output


def test_without_the_audio_library_voice_says_what_to_install_before_any_question(runner, bank, endpoint, monkeypatch):
    monkeypatch.setitem(sys.modules, "sounddevice", None)
    seams = Terminal(transcriber=lambda: FakeTranscriber())
    result = runner.invoke(make_app(seams), ["interview", "--voice", "--stories", "stories"])
    assert result.exit_code == 2
    assert result.output == ("Error: recording needs the voice extra: pip install 'coach[voice]', or leave out "
                             "--voice and type your answers\n")
    assert not endpoint.called
