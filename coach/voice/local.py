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
from coach.voice.audio import FILLER_PROMPT
from coach.voice.transcript import Transcript, Word

MISSING_EXTRA = ("transcribing on this machine needs faster-whisper, which coach's voice extra installs: "
                 "pip install 'coach[voice]' (or set COACH_TRANSCRIBE_URL to an OpenAI-compatible transcription server)")
MODEL_FILES = ["config.json", "preprocessor_config.json", "model.bin", "tokenizer.json", "vocabulary.*"]
SAMPLE_RATE = 16_000  # what Whisper hears
FRAME = SAMPLE_RATE // 50  # 20 ms: the loudness of speech is judged frame by frame
MISSED_SECONDS = 0.5  # this much speech with no word heard in it: the prompted pass skipped some
# How a take is decoded, measured on espeak-ng takes of the stories' refined versions (20-70 s, two voices) with tiny.en
# on two loaded cores, the settings interleaved on the same audio in one run (tests/benchmark_voice.py compares the
# old way on its take). The second pass was the cost: on a take where the prompted pass skips a stretch (most takes
# at 165 wpm) the whole take was heard twice. Now only the unheard stretches are heard again (clip_timestamps).
# Tried and not kept, each measured against the script's words and against the tests' takes:
# - greedy decoding (beam_size=1, or 2): 1.3-2x faster per pass on most takes, but it misheard first words
#   ("I'd say I was forced" for "At Salesforce") and, where a segment repeats, the temperature fallback it then
#   needs cost more than the beam (55 s for a 65 s take); without the fallback it kept a loop ("I was a young man."
#   forty times) over half a take.
# - a short filler prompt ("Um, uh, so, I mean, like, you know, I did it."): it keeps the fillers as said, but
#   tiny.en skips stretches with it too (23 s of a 65 s take), and with the beam it misheard the tests' first sentence.
# - no prompt: fast and complete, but tiny.en drops "um" and "uh" (the issue asks for them).
PROMPTED = {"initial_prompt": FILLER_PROMPT}  # a beam of 5 and the temperature fallback: faster-whisper's defaults
UNPROMPTED: dict = {}  # the same defaults, on the few seconds of audio left unheard
CLIP_MARGIN = 1.0  # seconds either side of an unheard stretch heard again, whose words replace the prompted pass's there
# (the prompted pass may give a skipped word's time to its neighbour: "um" over "rotation was")
CPU_THREADS = max(1, min(4, os.cpu_count() or 1))  # one per core up to four: more only contend on a laptop
_LOADED: dict[tuple[str, int], object] = {}  # (model folder, threads) -> WhisperModel, loaded once per process
_LOCK = threading.Lock()


class LocalTranscriber:
    """Transcribes with faster-whisper on the CPU; the model is found (or downloaded) and loaded on first use."""

    def __init__(self, model: str = "base.en", on_progress: Callable[[str], None] | None = None,
                 label: str | None = None, threads: int = CPU_THREADS):
        self.model = model
        self.threads = threads
        self.on_progress = on_progress
        self.name = f"faster-whisper {label or (Path(model).name if is_folder_name(model) else model)} (local)"

    def prepare(self) -> None:
        """Load the model now (downloading it on first use): a missing extra or model is said before a recording."""
        load(self.model, self.on_progress, self.threads)

    def transcribe(self, audio: Path) -> Transcript:
        """Return the take's words, each with its timing and probability, and the audio's length.

        Prompted with disfluent text (to keep the fillers), a small model sometimes skips a stretch of speech, most
        often the first sentence of a take. When speech goes unheard, only the stretches left unheard (and a second either
        side) are transcribed again, unprompted, and the words heard there replace the prompted pass's.
        """
        whisper = load(self.model, self.on_progress, self.threads)
        samples = _decoded(Path(audio))
        duration = len(samples) / SAMPLE_RATE
        voiced = voiced_frames(samples)
        words = _words(whisper, samples, **PROMPTED)
        gaps = unheard_stretches(voiced, words)
        if sum(seconds for _, _, seconds in gaps) >= MISSED_SECONDS:
            clips: list[tuple[float, float]] = []
            for start, end, _ in gaps:  # a second either side, overlapping clips joined: no audio is heard twice
                start, end = max(0.0, start - CLIP_MARGIN), min(duration, end + CLIP_MARGIN)
                if clips and start <= clips[-1][1]:
                    start = clips.pop()[0]
                clips.append((start, end))

            def clipped(word: Word) -> bool:
                return any(start <= (word.start + word.end) / 2 <= end for start, end in clips)

            again = _words(whisper, samples, clip_timestamps=[edge for clip in clips for edge in clip], **UNPROMPTED)
            words = sorted([w for w in words if not clipped(w)] + [w for w in again if clipped(w)], key=lambda w: w.start)
        return Transcript(words=tuple(words), duration=duration, timing="words", engine=self.name)


def _decoded(audio: Path):
    """Return the audio as 16 kHz mono samples, or one sentence when it cannot be decoded."""
    from faster_whisper import decode_audio

    try:
        return decode_audio(str(audio), sampling_rate=SAMPLE_RATE)
    except (ValueError, OSError, RuntimeError, IndexError):  # PyAV's decoding errors are ValueErrors
        raise CoachError(f"{audio}: could not be read as audio (the file is damaged or not a recording); export "
                         "the take again from the app that recorded it") from None


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
    return sum(seconds for _, _, seconds in unheard_stretches(voiced, words, shortest))


def unheard_stretches(voiced: list[bool], words: list[Word], shortest: float = 1.0) -> list[tuple[float, float, float]]:
    """Return the stretches of `shortest` seconds or more, between words or at either end, that hold speech no word
    covers, each as (start, end, seconds of speech in it)."""
    per_second = SAMPLE_RATE / FRAME
    edges = [0.0] + [t for w in words for t in (w.start, w.end)] + [len(voiced) / per_second]
    stretches = []
    for start, end in zip(edges[::2], edges[1::2], strict=True):
        speech = sum(voiced[int(start * per_second): int(end * per_second)]) / per_second
        if end - start >= shortest and speech:
            stretches.append((start, end, speech))
    return stretches


def is_folder_name(model: str) -> bool:
    """Return True when COACH_WHISPER_MODEL names a folder (one that exists, or an absolute, relative or home path)
    rather than a model on the Hub (`base.en`, `owner/name`)."""
    return model.startswith(("/", ".", "~", "\\")) or Path(model).expanduser().exists() or ":\\" in model


def load(model: str, on_progress: Callable[[str], None] | None = None, threads: int = CPU_THREADS):
    """Return the loaded WhisperModel for a name or a folder on `threads` CPU threads, loading it once per process."""
    try:
        from faster_whisper import WhisperModel
    except ImportError:
        raise CoachError(MISSING_EXTRA) from None
    folder = model_folder(model, on_progress)
    with _LOCK:
        if (folder, threads) not in _LOADED:
            try:
                _LOADED[folder, threads] = WhisperModel(folder, device="cpu", compute_type="int8", cpu_threads=threads)
            except (RuntimeError, ValueError, OSError) as error:
                raise CoachError(f"the speech model in {folder} could not be loaded ({_reason(error)}); set "
                                 "COACH_WHISPER_MODEL to a CTranslate2 Whisper model folder, or to a name like "
                                 "base.en") from None
        return _LOADED[folder, threads]


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
