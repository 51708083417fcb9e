"""/v1/audio/transcriptions on OpenAI or any compatible server (whisper.cpp's server, speaches, LocalAI, vLLM, Groq).

One multipart POST asks for `verbose_json` with word and segment timestamps. A server that refuses the timestamp
granularities, or `verbose_json` itself (a 400 or 422 naming them), is asked again at once without them, and the
process remembers (`_ADAPTED`), as the chat engine does with the parameters an endpoint refuses. What comes back is
read in the best shape it has (`transcript_from_body`): words with timings, segments, or the text alone. Every
failure is one sentence (LLMError) naming the host, never the key or the URL's password.
"""

from __future__ import annotations

import json
import math
import mimetypes
import re
from collections.abc import Mapping
from pathlib import Path
from urllib.parse import urlparse

from coach.errors import LLMError
from coach.llm.redact import mask, without_credentials
from coach.voice.audio import FILLER_PROMPT, audio_seconds
from coach.voice.transcript import Transcript, Word

MAX_BODY_BYTES = 16 * 1024 * 1024  # a verbose_json of an hour's speech is a few MB
READ_TIMEOUT = 300.0  # a slow CPU server transcribing a long take
CONNECT_TIMEOUT = 5.0
REFUSAL_STATUSES = (400, 422)
# what a refusal names -> what is dropped from the request; checked in this order
REFUSABLE = (("timestamp_granularities", "granularities"), ("verbose_json", "verbose_json"),
             ("response_format", "verbose_json"))
SPECIAL_TOKEN = r"^\s*\[_[A-Z]+_?\d*\]\s*$"  # whisper.cpp's [_BEG_], [_TT_150] when a build lets them through
_ADAPTED: dict[tuple[str, str], set[str]] = {}  # (shown URL, model) -> what the endpoint refused, for the process


class EndpointTranscriber:
    """Transcribes by posting the take to an OpenAI-compatible /audio/transcriptions endpoint."""

    def __init__(self, url: str, model: str = "whisper-1", api_key: str | None = None,
                 environ: Mapping[str, str] | None = None, key_name: str = "COACH_TRANSCRIBE_API_KEY",
                 transport=None):
        self.url = url.strip().rstrip("/")
        self.model = model
        self.api_key = api_key
        self.environ = environ
        self.key_name = key_name if api_key else "COACH_TRANSCRIBE_API_KEY"
        self.transport = transport  # tests may pass an httpx transport; respx patches the default one
        try:
            password = urlparse(self.url).password
        except ValueError:
            password = None
        self.secrets = tuple(secret for secret in (api_key, password) if secret)
        self.shown_url = mask(without_credentials(self.url), self.secrets)
        self.host = (urlparse(self.url).netloc or self.url).rpartition("@")[2]
        self.name = f"{model} at {self.host}"

    def transcribe(self, audio: Path) -> Transcript:
        """Return what the endpoint heard in the take, adapting once to each request shape it refuses."""
        import httpx

        from coach.llm.tls import DeferredTrust

        refused = _ADAPTED.setdefault((self.shown_url, self.model), set())
        timeout = httpx.Timeout(READ_TIMEOUT, connect=CONNECT_TIMEOUT)
        kwargs = {"transport": self.transport} if self.transport else {"verify": DeferredTrust(self.environ)}
        with httpx.Client(timeout=timeout, **kwargs) as client:
            while True:
                status, body = self._post(client, Path(audio), refused)
                dropped = _refused_shape(status, body, refused)
                if not dropped:
                    break
                refused.add(dropped)
        if status >= 400:
            raise LLMError(self._failure(status, body, Path(audio)))
        data = self._json(body)
        return transcript_from_body(data, Path(audio), self.name, self.host)

    def _post(self, client, audio: Path, refused: set[str]) -> tuple[int, bytes]:
        """Post the take and return the status and the body, read no further than MAX_BODY_BYTES."""
        import httpx

        headers = {"Authorization": f"Bearer {self.api_key}"} if self.api_key else {}
        kind = mimetypes.guess_type(audio.name)[0] or "application/octet-stream"
        try:
            with audio.open("rb") as file, client.stream(
                "POST", f"{self.url}/audio/transcriptions", headers=headers,
                files={"file": (audio.name, file, kind)}, data=self._form(refused),
            ) as response:
                return response.status_code, _bounded(response, self.host)
        except (httpx.ConnectError, httpx.ConnectTimeout):
            raise LLMError(f"no transcription server answers at {self.shown_url}; start it, or unset "
                           "COACH_TRANSCRIBE_URL to transcribe on this machine") from None
        except httpx.TimeoutException:
            raise LLMError(f"the transcription server at {self.host} did not answer within {READ_TIMEOUT:.0f} s; "
                           "try a shorter take or a smaller model (COACH_TRANSCRIBE_MODEL), or unset "
                           "COACH_TRANSCRIBE_URL to transcribe on this machine") from None
        except httpx.HTTPError as error:  # TLS, a dropped connection, a protocol error
            reason = mask(str(error).splitlines()[0] if str(error) else type(error).__name__, self.secrets)
            raise LLMError(f"could not reach the transcription server at {self.host} ({reason}); check "
                           "COACH_TRANSCRIBE_URL") from None
        except OSError as error:
            raise LLMError(f"{audio}: could not be read to send ({error.strerror or error}); check the file") from None

    def _form(self, refused: set[str]) -> dict:
        """Return the form fields: verbose_json with word and segment timings, less what the endpoint refused."""
        form = {"model": self.model, "language": "en", "prompt": FILLER_PROMPT, "temperature": "0"}
        if "verbose_json" in refused:
            form["response_format"] = "json"
            return form
        form["response_format"] = "verbose_json"
        if "granularities" not in refused:
            form["timestamp_granularities[]"] = ["word", "segment"]
        return form

    def _json(self, body: bytes):
        """Return the body as JSON, or stop with a sentence when it is not."""
        try:
            return json.loads(body)
        except (ValueError, UnicodeDecodeError):
            raise LLMError(f"{self.host} answered with something that is not a transcription (not JSON); check that "
                           "COACH_TRANSCRIBE_URL is an OpenAI-compatible server's base URL, like "
                           "http://localhost:8000/v1") from None

    def _failure(self, status: int, body: bytes, audio: Path) -> str:
        """Return the one sentence for an error status: what the server said and what to do."""
        said = server_says(body, self.secrets)
        quoted = f"{status}: {said}" if said else f"{status}"
        if status in REFUSAL_STATUSES and re.search(r"(?i)audio file|file format|decod|corrupt", said):
            return (f"{self.host} could not read {audio.name} as audio ({quoted}); check that it is a recording, "
                    "or convert it to wav or mp3")
        if status in (401, 403):
            advice = {None: "set COACH_TRANSCRIBE_API_KEY to the server's key",
                      "OPENAI_API_KEY": "check OPENAI_API_KEY, or set COACH_TRANSCRIBE_API_KEY to this server's key",
                      }.get(self.key_name if self.api_key else None, f"check {self.key_name}")
            return f"{self.host} rejected the API key ({quoted}); {advice}"
        if status == 404:
            if "model" in said.lower():
                return (f"{self.host} does not serve the model {self.model} ({quoted}); set COACH_TRANSCRIBE_MODEL "
                        "to a transcription model it serves")
            return (f"{self.shown_url} has no /audio/transcriptions endpoint ({quoted}); check that "
                    "COACH_TRANSCRIBE_URL is the server's base URL, usually ending in /v1 (whisper.cpp's server "
                    "serves it when started with --inference-path /v1/audio/transcriptions)")
        if status == 413:
            return f"{self.host} refused the recording as too large ({quoted}); record a shorter take, or save it as mp3"
        if status == 429:
            return f"{self.host} is limiting requests ({quoted}); wait a minute and try again"
        if status >= 500:
            return (f"the transcription server at {self.host} failed ({quoted}); try again, or unset "
                    "COACH_TRANSCRIBE_URL to transcribe on this machine")
        return (f"{self.host} refused the transcription request ({quoted}); check COACH_TRANSCRIBE_URL and "
                "COACH_TRANSCRIBE_MODEL")


def _bounded(response, host: str) -> bytes:
    """Return the response's body, stopping with a sentence past MAX_BODY_BYTES (a wrong URL streaming a file)."""
    chunks, size = [], 0
    for chunk in response.iter_bytes():
        size += len(chunk)
        if size > MAX_BODY_BYTES:
            raise LLMError(f"{host} sent back more than {MAX_BODY_BYTES // 1024 // 1024} MB, which no transcription "
                           "is; check that COACH_TRANSCRIBE_URL is a transcription server")
        chunks.append(chunk)
    return b"".join(chunks)


def _refused_shape(status: int, body: bytes, refused: set[str]) -> str | None:
    """Return what to drop when a 400 or 422 names timestamp granularities or verbose_json not dropped yet."""
    if status not in REFUSAL_STATUSES:
        return None
    text = body.decode("utf-8", "replace").lower()
    for named, dropped in REFUSABLE:
        if named in text and dropped not in refused:
            return dropped
    return None


def server_says(body: bytes, secrets: tuple[str, ...] = (), limit: int = 160) -> str:
    """Return the first line of what a server said in an error body (OpenAI's error.message, FastAPI's detail,
    whisper.cpp's error, or plain text), key-like words masked and cut to `limit`."""
    text = body.decode("utf-8", "replace").strip()
    try:
        data = json.loads(text)
    except ValueError:
        data = None
    if isinstance(data, dict):
        inner = data.get("error", data)
        if isinstance(inner, dict):
            inner = inner.get("message") or inner.get("detail") or ""
        if not inner and "detail" in data:
            inner = data["detail"]
        text = inner if isinstance(inner, str) else json.dumps(inner)[:limit * 2]
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    line = mask(lines[0] if lines else "", secrets).rstrip(".")
    return line if len(line) <= limit else line[: limit - 1] + "…"


def transcript_from_body(data, audio: Path, engine: str, host: str = "the server") -> Transcript:
    """Return the transcript a verbose_json (or json) body holds, in the best shape it has: words with their own
    timings (OpenAI, speaches; whisper.cpp's tokens joined into words), segments' timings spread over their words by
    characters, or the text spread over the audio's length."""
    if not isinstance(data, dict) or not isinstance(data.get("text", ""), str):
        raise LLMError(f"{host} answered with JSON that is not a transcription; check that COACH_TRANSCRIBE_URL is "
                       "an OpenAI-compatible transcription server")
    if data.get("error") and not any(key in data for key in ("text", "words", "segments")):
        said = server_says(json.dumps(data).encode())  # whisper.cpp reports a failure with status 200
        raise LLMError(f"{host} could not transcribe the take ({said}); check that the file is a recording, or "
                       "convert it to 16 kHz wav")
    if not any(key in data for key in ("text", "words", "segments")):
        raise LLMError(f"{host} answered with JSON that is not a transcription (no text, words or segments); check "
                       "that COACH_TRANSCRIBE_URL is an OpenAI-compatible transcription server")
    duration = _number(data.get("duration"))
    words, segments = data.get("words"), _dicts(data.get("segments"))
    if isinstance(words, list) and words:
        heard = tuple(_word(w) for w in _dicts(words) if str(w.get("word", "")).strip())
        return Transcript(heard, duration if duration is not None else _end(heard, audio), "words", engine)
    if segments and all(isinstance(s.get("words"), list) for s in segments) and any(s["words"] for s in segments):
        heard = _joined([piece for s in segments for piece in _dicts(s["words"])])
        return Transcript(heard, duration if duration is not None else _end(heard, audio), "words", engine)
    if segments and all(_number(s.get("start")) is not None and _number(s.get("end")) is not None for s in segments):
        heard = tuple(word for s in segments for word in _spread(
            str(s.get("text", "")), _number(s["start"]), _number(s["end"]), _probability(s.get("avg_logprob"))))
        return Transcript(heard, duration if duration is not None else _end(heard, audio), "segments", engine)
    if duration is None:
        duration = audio_seconds(audio)
    if duration is None:
        raise LLMError(f"{host} sent the text without timings, and the length of {audio.name} cannot be read "
                       "without PyAV; pip install 'coach[voice]', or send a wav file")
    return Transcript(_spread(str(data.get("text", "")), 0.0, duration, None), duration, "audio", engine)


def _dicts(value) -> list[dict]:
    return [item for item in value if isinstance(item, dict)] if isinstance(value, list) else []


def _number(value) -> float | None:
    """Return a JSON number (or a number sent as a string, as vLLM sends the duration) as a float; None otherwise."""
    try:
        number = float(value)
    except (TypeError, ValueError):
        return None
    return number if math.isfinite(number) else None


def _word(data: dict) -> Word:
    """Return one word of a `words` list; its probability only when the server gave one."""
    start, end = _number(data.get("start")) or 0.0, _number(data.get("end"))
    probability = _number(data.get("probability"))
    return Word(str(data["word"]).strip(), start, max(start, end if end is not None else start),
                probability if probability is not None and 0 <= probability <= 1 else None)


def _joined(pieces: list[dict]) -> tuple[Word, ...]:
    """Return words from word pieces: a piece that starts with a space starts a word, any other (whisper.cpp's
    subword tokens, punctuation) joins the word before; a word is as sure as its least sure piece."""
    words: list[Word] = []
    for piece in pieces:
        text = str(piece.get("word", ""))
        if not text.strip() or re.match(SPECIAL_TOKEN, text):
            continue
        word = _word(piece)
        if words and not text[:1].isspace():
            last = words[-1]
            sure = [p for p in (last.probability, word.probability) if p is not None]
            words[-1] = Word(last.text + word.text, last.start, max(last.end, word.end), min(sure) if sure else None)
        else:
            words.append(word)
    return tuple(words)


def _spread(text: str, start: float, end: float, probability: float | None) -> tuple[Word, ...]:
    """Return the text's words with the span from start to end shared among them by their length in characters."""
    words = text.split()
    total = sum(len(word) for word in words) + len(words) - 1  # the words and one space between each two
    heard, at = [], 0
    for word in words:
        heard.append(Word(word, start + (end - start) * at / total, start + (end - start) * (at + len(word)) / total,
                          probability))
        at += len(word) + 1
    return tuple(heard)


def _probability(avg_logprob) -> float | None:
    """Return a segment's mean token probability from its avg_logprob, or None when it has none."""
    value = _number(avg_logprob)
    return math.exp(value) if value is not None and value <= 0 else None


def _end(words: tuple[Word, ...], audio: Path) -> float:
    """Return the audio's length when the body gives none: read from the file, else the last word's end."""
    seconds = audio_seconds(audio)
    return seconds if seconds is not None else (words[-1].end if words else 0.0)
