"""Transcription: audio files checked, the transcriber chosen from the environment, the endpoint's own bodies replayed
(tests/fixtures/transcriptions, each with its source), every failure one sentence, and a real take spoken by
espeak-ng and transcribed on this machine by tiny.en."""

from __future__ import annotations

import json
import math
import os
import socket
import subprocess
import sys
import wave
from pathlib import Path

import httpx
import pytest
import respx

from coach.errors import CoachError, LLMError
from coach.voice import endpoint
from coach.voice.endpoint import EndpointTranscriber
from coach.voice.local import MISSING_EXTRA, LocalTranscriber
from coach.voice.transcribe import FILLER_PROMPT, audio_seconds, check_audio, transcriber_from_env
from tests.voice_audio import espeak, local_transcriber, tiny_model

BODIES = Path(__file__).parent / "fixtures" / "transcriptions"
URL = "http://asr.test/v1"
ROUTE = f"{URL}/audio/transcriptions"
KEY = "sk-proj-abcdefghijklmnop0123wxyz"


@pytest.fixture(autouse=True)
def fresh_endpoints():
    """Each test starts with no endpoint's refusals remembered."""
    endpoint._ADAPTED.clear()
    yield
    endpoint._ADAPTED.clear()


def silence(path: Path, seconds: float = 2.0) -> Path:
    """Write a 16 kHz mono wav of silence: a file to send when only its length matters."""
    with wave.open(str(path), "wb") as audio:
        audio.setnchannels(1)
        audio.setsampwidth(2)
        audio.setframerate(16_000)
        audio.writeframes(b"\0\0" * int(16_000 * seconds))
    return path


def body(name: str) -> bytes:
    return (BODIES / name).read_bytes()


def reply(status: int, name: str) -> httpx.Response:
    kind = "application/json" if name.endswith(".json") else "text/plain"
    return httpx.Response(status, content=body(name), headers={"content-type": kind})


def form(request: httpx.Request) -> dict[str, list[str]]:
    """Return the multipart fields of a request (not the file), each with its values."""
    fields: dict[str, list[str]] = {}
    boundary = request.headers["content-type"].split("boundary=")[1].encode()
    for part in request.content.split(b"--" + boundary):
        head, _, value = part.partition(b"\r\n\r\n")
        if b'name="' in head and b"filename=" not in head:
            name = head.split(b'name="')[1].split(b'"')[0].decode()
            fields.setdefault(name, []).append(value.rstrip(b"\r\n").decode())
    return fields


# Audio files -----------------------------------------------------------------------------------------------------


def test_a_recording_of_a_kind_coach_takes_is_returned(tmp_path):
    take = silence(tmp_path / "take.WAV")
    assert check_audio(take) == take


@pytest.mark.parametrize(("make", "said"), [
    (lambda p: p / "missing.wav", "missing.wav: no such audio file; check the path"),
    (lambda p: (p / "takes.wav").mkdir() or p / "takes.wav",
     "takes.wav: is a folder, not an audio file; name a recording (wav, mp3, m4a, webm or ogg)"),
    (lambda p: (p / "notes.txt").write_text("hi") and p / "notes.txt",
     "notes.txt: a .txt file is not audio coach takes; use wav, mp3, m4a, webm or ogg"),
    (lambda p: (p / "take").write_text("hi") and p / "take",
     "take: a file without a suffix is not audio coach takes; use wav, mp3, m4a, webm or ogg"),
    (lambda p: (p / "empty.wav").touch() or p / "empty.wav", "empty.wav: the file is empty; record the take again"),
])
def test_a_file_that_is_no_take_is_one_sentence(tmp_path, make, said):
    with pytest.raises(CoachError) as caught:
        check_audio(make(tmp_path))
    assert str(caught.value).endswith(said) and type(caught.value) is CoachError


def test_a_pipe_is_refused_without_being_opened(tmp_path):
    pipe = tmp_path / "take.wav"
    os.mkfifo(pipe)  # opening it to read would wait for a writer for ever
    with pytest.raises(CoachError, match=r"take.wav: is not a regular file \(a pipe or a device\?\); save the recording"):
        check_audio(pipe)


def test_a_device_is_refused():
    with pytest.raises(CoachError, match="is not a regular file"):
        check_audio(Path("/dev/null"))


def test_a_file_over_the_cap_says_so(tmp_path):
    huge = tmp_path / "meeting.wav"
    with huge.open("wb") as file:
        file.truncate(101 * 1024 * 1024)  # sparse: nothing written
    with pytest.raises(CoachError, match=r"meeting.wav: the file is 101 MB, over coach's 100 MB limit for one take; "
                                         "record a shorter answer"):
        check_audio(huge)


@pytest.mark.skipif(os.name != "posix" or os.geteuid() == 0, reason="root reads any file")
def test_an_unreadable_file_says_so(tmp_path):
    take = silence(tmp_path / "take.wav")
    take.chmod(0)
    with pytest.raises(CoachError, match="take.wav: permission denied"):
        check_audio(take)


def test_the_length_of_a_wav_is_read_without_a_decoder(tmp_path):
    assert audio_seconds(silence(tmp_path / "take.wav", 2.5)) == pytest.approx(2.5)


def encoded(wav: Path, suffix: str, codec: str) -> Path:
    """Return the wav re-encoded by PyAV (mp3, m4a, webm): a recording made elsewhere."""
    av = pytest.importorskip("av")
    target = wav.with_suffix(suffix)
    with av.open(str(wav)) as source, av.open(str(target), "w") as out:
        stream = out.add_stream(codec, rate=16_000)
        stream.layout = "mono"
        for frame in source.decode(audio=0):
            frame.pts = None
            for packet in stream.encode(frame):
                out.mux(packet)
        for packet in stream.encode(None):
            out.mux(packet)
    return target


@pytest.mark.parametrize(("suffix", "codec"), [(".mp3", "libmp3lame"), (".m4a", "aac"), (".webm", "libopus")])
def test_the_length_of_other_kinds_is_read_by_pyav(tmp_path, suffix, codec):
    take = encoded(silence(tmp_path / "take.wav", 3.0), suffix, codec)
    assert check_audio(take) == take
    assert audio_seconds(take) == pytest.approx(3.0, abs=0.15)


def test_without_pyav_the_length_of_other_kinds_is_unknown(tmp_path, monkeypatch):
    take = encoded(silence(tmp_path / "take.wav", 1.0), ".mp3", "libmp3lame")
    monkeypatch.setitem(sys.modules, "av", None)
    assert audio_seconds(take) is None
    assert audio_seconds(tmp_path / "take.wav") == pytest.approx(1.0)


def test_a_file_whose_length_cannot_be_read_has_none(tmp_path):
    (tmp_path / "take.mp3").write_bytes(b"not audio at all" * 10)
    (tmp_path / "take.wav").write_bytes(b"RIFF....WAVEjunk" * 10)
    assert audio_seconds(tmp_path / "take.mp3") is None
    assert audio_seconds(tmp_path / "take.wav") is None


# The transcriber the environment names ---------------------------------------------------------------------------


def test_without_an_endpoint_the_take_is_transcribed_here_with_the_bundled_tiny_en():
    transcriber = transcriber_from_env({})
    assert isinstance(transcriber, LocalTranscriber)
    assert transcriber.model == tiny_model() and transcriber.name == "faster-whisper tiny.en (local)"


def test_without_the_bundled_model_the_default_is_base_en(monkeypatch):
    monkeypatch.setattr("coach.voice.transcribe.bundled_model", lambda: None)
    transcriber = transcriber_from_env({})
    assert transcriber.model == "base.en" and transcriber.name == "faster-whisper base.en (local)"


def test_a_model_folder_names_the_local_model():
    transcriber = transcriber_from_env({"COACH_WHISPER_MODEL": tiny_model()})
    assert transcriber.model == tiny_model() and transcriber.name == "faster-whisper model (local)"


def test_an_endpoint_takes_its_model_and_its_own_key_first():
    transcriber = transcriber_from_env({"COACH_TRANSCRIBE_URL": " http://localhost:8000/v1/ ",
                                        "COACH_TRANSCRIBE_API_KEY": "asr-key-123456", "OPENAI_API_KEY": KEY})
    assert isinstance(transcriber, EndpointTranscriber)
    assert (transcriber.url, transcriber.model, transcriber.api_key) == ("http://localhost:8000/v1", "whisper-1",
                                                                         "asr-key-123456")
    assert transcriber.name == "whisper-1 at localhost:8000"


def test_an_endpoint_falls_back_on_the_openai_key():
    transcriber = transcriber_from_env({"COACH_TRANSCRIBE_URL": "https://api.openai.com/v1", "OPENAI_API_KEY": KEY,
                                        "COACH_TRANSCRIBE_MODEL": "gpt-4o-mini-transcribe"})
    assert (transcriber.api_key, transcriber.model, transcriber.key_name) == (KEY, "gpt-4o-mini-transcribe",
                                                                              "OPENAI_API_KEY")


@pytest.mark.parametrize("url", ["localhost:8000/v1", "ftp://user:hunter2secret@host/v1", "http://", "http://host:port/v1"])
def test_an_invalid_endpoint_url_is_one_sentence_without_its_password(url):
    with pytest.raises(CoachError) as caught:
        transcriber_from_env({"COACH_TRANSCRIBE_URL": url})
    assert "is not a valid URL; set it to the server's base URL, like http://localhost:8000/v1, or unset it" in str(caught.value)
    assert "hunter2secret" not in str(caught.value)


def test_a_key_that_cannot_be_sent_is_named_never_shown():
    with pytest.raises(CoachError, match="COACH_TRANSCRIBE_API_KEY has a space") as caught:
        transcriber_from_env({"COACH_TRANSCRIBE_URL": URL, "COACH_TRANSCRIBE_API_KEY": "sk-abc def‘ghijkl"})
    assert "ghijkl" not in str(caught.value)


def test_choosing_a_transcriber_imports_no_speech_library():
    script = ("import sys\nfrom coach.voice.transcribe import transcriber_from_env\n"
              "transcriber_from_env({})\ntranscriber_from_env({'COACH_TRANSCRIBE_URL': 'http://localhost:8000/v1'})\n"
              "heavy = {'faster_whisper', 'ctranslate2', 'av', 'huggingface_hub', 'numpy'} & set(sys.modules)\n"
              "assert not heavy, heavy\n")
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr


# The local model: its failures ------------------------------------------------------------------------------------


def test_without_the_voice_extra_the_sentence_says_what_to_install(monkeypatch, tmp_path):
    monkeypatch.setitem(sys.modules, "faster_whisper", None)  # import faster_whisper raises ImportError
    with pytest.raises(CoachError) as caught:
        LocalTranscriber(tiny_model()).transcribe(silence(tmp_path / "take.wav"))
    assert str(caught.value) == MISSING_EXTRA
    assert "pip install 'coach[voice]'" in MISSING_EXTRA


def test_a_folder_without_a_model_is_one_sentence(tmp_path):
    (tmp_path / "models").mkdir()
    with pytest.raises(CoachError, match=r"COACH_WHISPER_MODEL=.*models is not a folder holding a CTranslate2 model "
                                         r"\(model.bin\); set it to such a folder, or to a model name like base.en"):
        LocalTranscriber(str(tmp_path / "models")).transcribe(silence(tmp_path / "take.wav"))


def test_an_unknown_model_name_lists_the_names(tmp_path):
    with pytest.raises(CoachError, match=r"COACH_WHISPER_MODEL=huge.en is not a faster-whisper model name; set it to "
                                         r"one of tiny.en, tiny, base.en"):
        LocalTranscriber("huge.en").transcribe(silence(tmp_path / "take.wav"))


def test_a_model_that_cannot_be_downloaded_says_how_to_get_it(tmp_path):
    # a fresh process with an empty Hub cache and the Hub offline: what a first run without a connection meets
    script = ("import sys\nfrom coach.errors import CoachError\nfrom coach.voice.local import LocalTranscriber\n"
              f"said = []\ntry:\n    LocalTranscriber('tiny.en', on_progress=said.append).transcribe({str(tmp_path)!r} + '/x.wav')\n"
              "except CoachError as error:\n    print(said[0])\n    print(error)\n")
    silence(tmp_path / "x.wav")
    env = {**os.environ, "HF_HUB_OFFLINE": "1", "HF_HOME": str(tmp_path / "hub")}
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, env=env, timeout=120)
    progress, message = done.stdout.splitlines()[:2]
    assert progress == "Downloading the speech model tiny.en from the Hugging Face Hub (first use only)"
    assert message == ("the speech model tiny.en is not on this machine and could not be downloaded (HF_HUB_OFFLINE is "
                       "set); connect to the internet once, or set COACH_WHISPER_MODEL to a CTranslate2 model folder")


def test_a_file_that_is_not_audio_is_one_sentence(tmp_path):
    fake = tmp_path / "take.m4a"
    fake.write_bytes(b"this is a text file renamed to m4a\n" * 20)
    with pytest.raises(CoachError, match=r"take.m4a: could not be read as audio \(the file is damaged or not a "
                                         r"recording\); export the take again from the app that recorded it$"):
        local_transcriber().transcribe(fake)


def test_a_model_is_loaded_once_per_process():
    from coach.voice.local import load

    assert load(tiny_model()) is load(tiny_model() + "/")


# The local model on a real take -----------------------------------------------------------------------------------

SPOKEN = ("At Acme in twenty twenty three, I noticed our on-call rotation was wearing people down. "
          "Um, I proposed a short report at the end of each sprint. "
          "The next quarter, half of our tech debt backlog was gone.")


@pytest.fixture(scope="module")
def heard(tmp_path_factory):
    """A real take: espeak-ng speaks three sentences at 150 wpm; tiny.en transcribes them here, once."""
    take = espeak(SPOKEN, tmp_path_factory.mktemp("take") / "take.wav")
    return take, local_transcriber().transcribe(take)


def test_a_real_take_is_heard_word_by_word_in_order(heard):
    _, transcript = heard
    assert transcript.timing == "words" and transcript.engine == "faster-whisper model (local)"
    said = transcript.text.lower()
    for words in ("i noticed", "rotation", "short report at the end of each", "the next quarter", "was gone"):
        assert words in said, said
    assert said.index("rotation") < said.index("short report") < said.index("next quarter")
    starts = [word.start for word in transcript.words]
    assert starts == sorted(starts) and all(word.start <= word.end for word in transcript.words)
    assert all(type(word.start) is float and 0 <= word.probability <= 1 for word in transcript.words)


def test_a_real_take_keeps_its_first_sentence_and_its_length(heard):
    take, transcript = heard
    assert transcript.words[0].start < 1.0, transcript.text  # prompted, tiny.en skips it; heard again unprompted
    assert transcript.duration == pytest.approx(audio_seconds(take), rel=0.10)
    assert transcript.words[-1].end <= transcript.duration + 0.1
    assert not any(word.text.startswith(" ") for word in transcript.words)


# The endpoint: its bodies ----------------------------------------------------------------------------------------


@pytest.fixture
def take(tmp_path) -> Path:
    return silence(tmp_path / "take.wav", 2.0)


def transcribe(take: Path, **options):
    return EndpointTranscriber(URL, **options).transcribe(take)


@respx.mock
def test_the_request_asks_for_words_and_segments_with_the_filler_prompt(take):
    route = respx.post(ROUTE).mock(return_value=reply(200, "openai-words.json"))
    transcribe(take, api_key=KEY)
    request = route.calls.last.request
    assert request.headers["authorization"] == f"Bearer {KEY}"
    assert form(request) == {"model": ["whisper-1"], "language": ["en"], "prompt": [FILLER_PROMPT],
                             "temperature": ["0"], "response_format": ["verbose_json"],
                             "timestamp_granularities[]": ["word", "segment"]}
    assert b'name="file"; filename="take.wav"' in request.content and b"Content-Type: audio/x-wav" in request.content


@respx.mock
def test_a_recording_made_elsewhere_is_sent_as_what_it_is(take):
    route = respx.post(ROUTE).mock(return_value=reply(200, "openai-json.json"))
    mp3 = encoded(take, ".mp3", "libmp3lame")
    transcript = transcribe(mp3)
    assert b'filename="take.mp3"' in route.calls.last.request.content
    assert b"Content-Type: audio/mpeg" in route.calls.last.request.content
    assert transcript.timing == "audio" and transcript.duration == pytest.approx(2.0, abs=0.15)  # no duration sent


@respx.mock
def test_openai_words_are_timed_word_by_word(take):
    respx.post(ROUTE).mock(return_value=reply(200, "openai-words.json"))
    transcript = transcribe(take)
    assert [word.as_dict() for word in transcript.words] == [{"text": "The", "start": 0.0, "end": 0.24},
                                                             {"text": "volleyball", "start": 7.4, "end": 7.9}]
    assert (transcript.timing, round(transcript.duration, 2), transcript.engine) == ("words", 8.47,
                                                                                     "whisper-1 at asr.test")


@respx.mock
def test_openai_segments_spread_over_their_words_with_the_segments_confidence(take):
    respx.post(ROUTE).mock(return_value=reply(200, "openai-segments.json"))
    transcript = transcribe(take)
    assert transcript.timing == "segments"
    assert transcript.text == "The beach was a popular spot on a hot summer day."
    assert transcript.words[0].start == 0.0 and transcript.words[-1].end == pytest.approx(3.32, abs=0.01)
    assert [w.start for w in transcript.words] == sorted(w.start for w in transcript.words)
    assert transcript.words[1].probability == pytest.approx(math.exp(-0.2860786020755768))


@respx.mock
def test_whisper_cpp_tokens_join_into_words_as_sure_as_their_least_sure_token(take):
    respx.post(ROUTE).mock(return_value=reply(200, "whispercpp-verbose.json"))
    transcript = transcribe(take)
    assert [word.as_dict() for word in transcript.words] == [{"text": "That's", "start": 0.16, "end": 0.49,
                                                              "probability": 0.314}]
    assert transcript.timing == "words" and transcript.duration == pytest.approx(2.0)  # no duration: the file's


@respx.mock
def test_speaches_words_come_with_their_probabilities(take):
    respx.post(ROUTE).mock(return_value=reply(200, "speaches-words.json"))
    transcript = transcribe(take)
    assert transcript.timing == "words" and transcript.duration == pytest.approx(4.0228125)
    assert transcript.text.startswith("Umm, I propose the short report at the end of each print. So,")
    assert len(transcript.words) == 24 and transcript.words[0].probability == pytest.approx(0.263, abs=0.001)
    assert [w.start for w in transcript.words] == sorted(w.start for w in transcript.words)


@respx.mock
def test_speaches_without_words_falls_back_on_its_segments(take):
    respx.post(ROUTE).mock(return_value=reply(200, "speaches-segments.json"))
    transcript = transcribe(take)
    assert transcript.timing == "segments"
    assert transcript.text == "Umm, I propose the short report at the end of each print."
    assert transcript.words[-1].end == pytest.approx(4.02, abs=0.01)
    assert transcript.words[0].probability == pytest.approx(math.exp(-0.26231709648581114))


@respx.mock
def test_a_server_that_sends_segments_only_is_timed_by_its_segments(take):
    respx.post(ROUTE).mock(return_value=reply(200, "fws-segments.json"))  # faster-whisper-server, run here
    transcript = transcribe(take)
    assert transcript.timing == "segments" and transcript.duration == pytest.approx(4.0228125)
    assert transcript.text == "Umm, I propose the short report at the end of each print."
    assert transcript.words[0].start == 0.0 and transcript.words[-1].end == pytest.approx(4.02, abs=0.01)
    assert [w.start for w in transcript.words] == sorted(w.start for w in transcript.words)
    assert all(w.probability == pytest.approx(math.exp(-0.23674431969137752)) for w in transcript.words)


@respx.mock
def test_vllm_sends_its_duration_as_a_string(take):
    respx.post(ROUTE).mock(return_value=reply(200, "vllm-segments.json"))
    transcript = transcribe(take)
    assert transcript.duration == 30.0 and transcript.timing == "segments" and len(transcript.words) == 11
    assert transcript.words[-1].as_dict()["end"] == 7.2


# The endpoint: adapting to what it refuses ------------------------------------------------------------------------


@respx.mock
def test_a_refusal_of_timestamp_granularities_is_met_at_once_and_remembered(take):
    route = respx.post(ROUTE).mock(side_effect=[reply(400, "groq-refuses-granularities.json"),
                                                reply(200, "openai-segments.json"), reply(200, "openai-segments.json")])
    assert transcribe(take).timing == "segments"
    assert route.call_count == 2
    retry = form(route.calls[1].request)
    assert "timestamp_granularities[]" not in retry and retry["response_format"] == ["verbose_json"]
    transcribe(take)  # the process remembers: one request, already without them
    assert route.call_count == 3 and "timestamp_granularities[]" not in form(route.calls[2].request)


@respx.mock
def test_a_refusal_of_verbose_json_falls_back_on_json_timed_by_the_audio(take):
    route = respx.post(ROUTE).mock(side_effect=[reply(400, "openai-refuses-verbose-json.json"),
                                                reply(200, "openai-json.json")])
    transcript = transcribe(take, model="gpt-4o-mini-transcribe")
    assert route.call_count == 2
    assert form(route.calls[1].request)["response_format"] == ["json"]
    assert "timestamp_granularities[]" not in form(route.calls[1].request)
    assert transcript.timing == "audio" and transcript.duration == pytest.approx(2.0)
    assert transcript.words[0].start == 0.0 and transcript.words[-1].end == pytest.approx(2.0)
    assert transcript.text.startswith("Imagine the wildest idea") and transcript.words[0].probability is None


@respx.mock
def test_a_refusal_that_stands_after_adapting_is_one_sentence(take):
    route = respx.post(ROUTE).mock(return_value=reply(400, "groq-refuses-granularities.json"))
    with pytest.raises(LLMError) as caught:
        transcribe(take)
    assert route.call_count == 2
    assert str(caught.value) == ("asr.test refused the transcription request (400: `timestamp_granularities[]` not "
                                 "supported by this model); check COACH_TRANSCRIBE_URL and COACH_TRANSCRIBE_MODEL")


# The endpoint: failures, one sentence each ------------------------------------------------------------------------


@pytest.mark.parametrize(("status", "name", "said"), [
    (401, "openai-401.json", "asr.test rejected the API key (401: Incorrect API key provided: sk-proj-" + "*" * 44 +
                             "wxyz. You can find your API key at https://platform.openai.com/account/api-keys); check "
                             "COACH_TRANSCRIBE_API_KEY"),
    (404, "whispercpp-not-found.txt", "http://asr.test/v1 has no /audio/transcriptions endpoint (404: File Not "
                                      "Found (/v1/audio/transcriptions)); check that COACH_TRANSCRIBE_URL is the "
                                      "server's base URL, usually ending in /v1 (whisper.cpp's server serves it "
                                      "when started with --inference-path /v1/audio/transcriptions)"),
    (404, "speaches-model-not-installed.json", "asr.test does not serve the model whisper-1 (404: Model "
                                               "'Systran/faster-whisper-small' is not installed locally"),
    (413, "openai-413.json", "asr.test refused the recording as too large (413: Maximum content size limit (26214400) "
                             "exceeded (26228340 bytes read)); record a shorter take, or save it as mp3"),
    (500, "whispercpp-500.txt", "the transcription server at asr.test failed (500: 500 Internal Server Error); try "
                                "again, or unset COACH_TRANSCRIBE_URL to transcribe on this machine"),
    (500, "fws-not-audio.txt", "the transcription server at asr.test failed (500: Internal Server Error); try again"),
    (404, "fws-not-found.json", "http://asr.test/v1 has no /audio/transcriptions endpoint (404: Not Found); check"),
    (400, "openai-not-audio.json", "asr.test could not read take.wav as audio (400: Audio file might be corrupted or "
                                   "unsupported); check that it is a recording, or convert it to wav or mp3"),
    (200, "whispercpp-bad-wav.json", "asr.test could not transcribe the take (failed to read WAV file); check that "
                                     "the file is a recording, or convert it to 16 kHz wav"),
])
@respx.mock
def test_an_error_from_the_server_is_one_sentence(take, status, name, said):
    respx.post(ROUTE).mock(return_value=reply(status, name))
    with pytest.raises(LLMError) as caught:
        transcribe(take, api_key=KEY)
    assert str(caught.value).startswith(said), str(caught.value)
    assert KEY not in str(caught.value) and "\n" not in str(caught.value)


@respx.mock
def test_a_rejected_key_names_the_variable_it_came_from(take):
    respx.post(ROUTE).mock(return_value=reply(403, "openai-401.json"))
    transcriber = transcriber_from_env({"COACH_TRANSCRIBE_URL": URL, "OPENAI_API_KEY": KEY})
    with pytest.raises(LLMError, match=r"\(403: .*\); check OPENAI_API_KEY, or set COACH_TRANSCRIBE_API_KEY to this "
                                       "server's key$"):
        transcriber.transcribe(take)
    with pytest.raises(LLMError, match=r"\(403: .*\); set COACH_TRANSCRIBE_API_KEY to the server's key$"):
        transcriber_from_env({"COACH_TRANSCRIBE_URL": URL}).transcribe(take)


@respx.mock
def test_an_answer_that_is_not_json_is_one_sentence(take):
    respx.post(ROUTE).mock(return_value=httpx.Response(200, text="<html><body>Whisper.cpp Server</body></html>"))
    with pytest.raises(LLMError, match=r"^asr.test answered with something that is not a transcription \(not JSON\)"):
        transcribe(take)


@respx.mock
def test_json_that_is_no_transcription_is_one_sentence(take):
    respx.post(ROUTE).mock(return_value=httpx.Response(200, json={"object": "list", "data": []}))
    with pytest.raises(LLMError, match="answered with JSON that is not a transcription"):
        transcribe(take)


@respx.mock
def test_a_body_past_the_cap_is_not_read_to_its_end(take, monkeypatch):
    monkeypatch.setattr(endpoint, "MAX_BODY_BYTES", 1024 * 1024)
    respx.post(ROUTE).mock(return_value=httpx.Response(200, content=b"x" * (3 * 1024 * 1024)))
    with pytest.raises(LLMError, match="asr.test sent back more than 1 MB, which no transcription is"):
        transcribe(take)


@respx.mock
def test_a_timeout_is_one_sentence(take):
    respx.post(ROUTE).mock(side_effect=httpx.ReadTimeout("timed out"))
    with pytest.raises(LLMError, match=r"^the transcription server at asr.test did not answer within 300 s; try a "
                                       "shorter take"):
        transcribe(take)


def test_a_server_that_is_not_running_is_one_sentence_without_the_password(take):
    with socket.socket() as probe:  # a port on this machine that nothing listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    transcriber = EndpointTranscriber(f"http://coach:s3cret-passw0rd@127.0.0.1:{port}/v1", api_key=KEY)
    with pytest.raises(LLMError) as caught:
        transcriber.transcribe(take)
    assert str(caught.value) == (f"no transcription server answers at http://127.0.0.1:{port}/v1; start it, or unset "
                                 "COACH_TRANSCRIBE_URL to transcribe on this machine")
    assert "s3cret" not in transcriber.name and "s3cret" not in transcriber.shown_url


@respx.mock
def test_https_is_verified_as_the_chat_engine_verifies_it(take, monkeypatch):
    from coach.llm.tls import DeferredTrust

    made = []
    real = httpx.Client.__init__
    monkeypatch.setattr(httpx.Client, "__init__", lambda self, **kw: made.append(kw) or real(self, **kw))
    respx.post("https://asr.test/v1/audio/transcriptions").mock(return_value=reply(200, "openai-words.json"))
    EndpointTranscriber("https://asr.test/v1").transcribe(take)
    assert isinstance(made[0]["verify"], DeferredTrust)


def test_every_fixture_names_its_source():
    readme = (BODIES / "README.md").read_text()
    for path in BODIES.iterdir():
        if path.name != "README.md":
            assert f"`{path.name}`" in readme, f"{path.name} has no source in fixtures/transcriptions/README.md"
            if path.suffix == ".json":
                json.loads(path.read_text())


@respx.mock
def test_a_key_the_server_echoes_is_masked(take):
    respx.post(ROUTE).mock(return_value=httpx.Response(401, json={"detail": "Invalid API key: asr-key-1234567890"}))
    with pytest.raises(LLMError) as caught:
        transcribe(take, api_key="asr-key-1234567890")
    assert "asr-key-1234567890" not in str(caught.value) and "(401: Invalid API key: ***)" in str(caught.value)
