"""faster-whisper on this machine: a take transcribed with per-word timings and probabilities, offline once the model
is here.

The model is a faster-whisper name (`base.en`, downloaded from the Hugging Face Hub on first use, with a progress
bar) or a CTranslate2 model folder (`model.bin` inside). faster-whisper is the optional extra `coach[voice]`, imported
only when a take is transcribed; a model is loaded once per process (`_LOADED`).
"""

from __future__ import annotations

import os
import threading
from collections.abc import Callable
from pathlib import Path

from coach.errors import CoachError
from coach.voice.transcribe import FILLER_PROMPT
from coach.voice.transcript import Transcript, Word

MISSING_EXTRA = ("transcribing on this machine needs faster-whisper, which coach's voice extra installs: "
                 "pip install 'coach[voice]' (or set COACH_TRANSCRIBE_URL to an OpenAI-compatible transcription server)")
MODEL_FILES = ["config.json", "preprocessor_config.json", "model.bin", "tokenizer.json", "vocabulary.*"]
SAMPLE_RATE = 16_000  # what Whisper hears
FRAME = SAMPLE_RATE // 50  # 20 ms: the loudness of speech is judged frame by frame
MISSED_SECONDS = 0.5  # this much speech with no word heard in it: the prompted pass skipped some
CPU_THREADS = max(1, min(4, os.cpu_count() or 1))  # one per core up to four: more only contend on a laptop
_LOADED: dict[str, object] = {}  # model folder -> WhisperModel, loaded once per process
_LOCK = threading.Lock()


class LocalTranscriber:
    """Transcribes with faster-whisper on the CPU; the model is found (or downloaded) and loaded on first use."""

    def __init__(self, model: str = "base.en", on_progress: Callable[[str], None] | None = None,
                 label: str | None = None):
        self.model = model
        self.on_progress = on_progress
        self.name = f"faster-whisper {label or (Path(model).name if is_folder_name(model) else model)} (local)"

    def prepare(self) -> None:
        """Load the model now (downloading it on first use): a missing extra or model is said before a recording."""
        load(self.model, self.on_progress)

    def transcribe(self, audio: Path) -> Transcript:
        """Return the take's words, each with its timing and probability, and the audio's length.

        Prompted with disfluent text (to keep the fillers), a small model sometimes skips a stretch of speech, most
        often the first sentence of a take. When speech goes unheard, the take is transcribed again unprompted, and
        the pass that leaves less speech unheard is kept.
        """
        whisper = load(self.model, self.on_progress)
        samples = _decoded(Path(audio))
        voiced = voiced_frames(samples)
        words = _words(whisper, samples, initial_prompt=FILLER_PROMPT)
        missed = unheard_seconds(voiced, words)
        if missed >= MISSED_SECONDS:
            again = _words(whisper, samples)
            if unheard_seconds(voiced, again) < missed:
                words = again
        return Transcript(words=tuple(words), duration=len(samples) / SAMPLE_RATE, timing="words", engine=self.name)


def _decoded(audio: Path):
    """Return the audio as 16 kHz mono samples, or one sentence when it cannot be decoded."""
    from faster_whisper import decode_audio

    try:
        return decode_audio(str(audio), sampling_rate=SAMPLE_RATE)
    except (ValueError, OSError, RuntimeError, IndexError) as error:  # PyAV's decoding errors are ValueErrors
        raise CoachError(f"{audio}: could not be decoded as audio ({_reason(error)}); check that it is a "
                         "recording, or convert it to wav") from None


def _words(whisper, samples, **options) -> list[Word]:
    """Return the words faster-whisper hears in the samples, with word timings, in English, without a VAD (which
    could drop the first words of a take); segments it judges silence or gibberish are left out."""
    segments, _ = whisper.transcribe(samples, language="en", word_timestamps=True, vad_filter=False, **options)
    return [Word(w.word.strip(), float(w.start), float(w.end), float(w.probability))
            for segment in segments if segment.no_speech_prob < 0.6 or segment.avg_logprob > -1.0
            for w in segment.words or () if w.word.strip()]


def voiced_frames(samples) -> list[bool]:
    """Return, for each 20 ms of the audio, whether it is as loud as speech (a tenth of the take's loud end)."""
    count = len(samples) // FRAME
    if count == 0:
        return []
    loudness = ((samples[: count * FRAME].reshape(count, FRAME) ** 2).mean(axis=1) ** 0.5).tolist()
    speech = sorted(loudness)[int(0.95 * (count - 1))]
    return [level > 0.1 * speech and level > 1e-3 for level in loudness]


def unheard_seconds(voiced: list[bool], words: list[Word], shortest: float = 1.0) -> float:
    """Return the seconds of speech in the stretches of `shortest` seconds or more where no word was heard."""
    per_second = SAMPLE_RATE / FRAME
    edges = [0.0] + [t for w in words for t in (w.start, w.end)] + [len(voiced) / per_second]
    return sum(sum(voiced[int(start * per_second): int(end * per_second)]) / per_second
               for start, end in zip(edges[::2], edges[1::2], strict=True) if end - start >= shortest)


def is_folder_name(model: str) -> bool:
    """Return True when COACH_WHISPER_MODEL names a folder (one that exists, or an absolute, relative or home path)
    rather than a model on the Hub (`base.en`, `owner/name`)."""
    return model.startswith(("/", ".", "~", "\\")) or Path(model).expanduser().exists() or ":\\" in model


def load(model: str, on_progress: Callable[[str], None] | None = None):
    """Return the loaded WhisperModel for a name or a folder, loading it once per process."""
    try:
        from faster_whisper import WhisperModel
    except ImportError:
        raise CoachError(MISSING_EXTRA) from None
    folder = model_folder(model, on_progress)
    with _LOCK:
        if folder not in _LOADED:
            try:
                _LOADED[folder] = WhisperModel(folder, device="cpu", compute_type="int8", cpu_threads=CPU_THREADS)
            except (RuntimeError, ValueError, OSError) as error:
                raise CoachError(f"the speech model in {folder} could not be loaded ({_reason(error)}); set "
                                 "COACH_WHISPER_MODEL to a CTranslate2 Whisper model folder, or to a name like "
                                 "base.en") from None
        return _LOADED[folder]


def model_folder(model: str, on_progress: Callable[[str], None] | None = None) -> str:
    """Return the folder holding the model: the folder named, or the Hub's cached copy (downloaded on first use)."""
    if is_folder_name(model):
        folder = Path(model).expanduser()
        if not (folder / "model.bin").is_file():
            raise CoachError(f"COACH_WHISPER_MODEL={model} is not a folder holding a CTranslate2 model (model.bin); "
                             "set it to such a folder, or to a model name like base.en")
        return str(folder.resolve())
    repo = _repository(model)
    try:
        import huggingface_hub
    except ImportError:
        raise CoachError(MISSING_EXTRA) from None
    try:
        return huggingface_hub.snapshot_download(repo, allow_patterns=MODEL_FILES, local_files_only=True)
    except Exception:  # not cached yet, or cached in part: download it
        pass
    if on_progress:
        on_progress(f"Downloading the speech model {model} from the Hugging Face Hub (first use only)")
    try:
        return huggingface_hub.snapshot_download(repo, allow_patterns=MODEL_FILES)
    except Exception as error:  # offline, a proxy, a full disk: the Hub raises many kinds
        offline = getattr(getattr(huggingface_hub, "constants", None), "HF_HUB_OFFLINE", False)
        reason = "HF_HUB_OFFLINE is set" if offline else _reason(error)
        raise CoachError(f"the speech model {model} is not on this machine and could not be downloaded "
                         f"({reason}); connect to the internet once, or set COACH_WHISPER_MODEL to a "
                         "CTranslate2 model folder") from None


def _repository(model: str) -> str:
    """Return the Hub repository of a faster-whisper model name (`base.en`) or of an `owner/name` id."""
    if "/" in model:
        return model
    from faster_whisper.utils import _MODELS  # faster-whisper's own table of names; no public accessor for it

    if model not in _MODELS:
        raise CoachError(f"COACH_WHISPER_MODEL={model} is not a faster-whisper model name; set it to one of "
                         f"{', '.join(_MODELS)}, or to a CTranslate2 model folder")
    return _MODELS[model]


def _reason(error: BaseException) -> str:
    """Return an error's first line, short, for the parentheses of a message."""
    text = (str(error).strip().splitlines() or [type(error).__name__])[0].rstrip(".")
    return text if len(text) <= 120 else text[:119] + "…"
