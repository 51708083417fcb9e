"""Benchmark (not run by CI): how fast a spoken take is heard, as ratios measured in one run.

    python tests/benchmark_voice.py [--model PATH_OR_NAME] [--threads 2] [--takes 2] [--runs 20]
                                    [--story risk] [--wpm 150] [--voice en-us+f3]

espeak-ng says the story's refined version twice over (about two minutes of speech at 150 wpm); the local
transcriber hears it with the given model (default: $COACH_WHISPER_MODEL, else the model coach uses by default) on
--threads CPU cores, and coach's own analysis (`hear`) runs on the transcript --runs times. The goals:

    transcription at least 4x faster than real time (audio seconds / transcription seconds)
    coach's analysis of a 2-minute take under a tenth of a second (median)

The machine may be busy, so the same audio is also transcribed the way coach did before (the whole take heard again
unprompted when the prompted pass left speech unheard; `--story conflict --wpm 165 --voice en-us+f3` is such a take), the two
interleaved --takes times each: their ratio compares like with like whatever the load. Each line says how much of
the script was heard (hear's coverage) and how much speech no word covers.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
import wave
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--model", default=os.environ.get("COACH_WHISPER_MODEL"))
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--takes", type=int, default=2, help="transcriptions per way of decoding, interleaved")
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("--story", default="risk", help="the story whose refined version is said")
    parser.add_argument("--wpm", type=int, default=150)
    parser.add_argument("--voice", help="an espeak-ng voice, such as en-us+f3")
    args = parser.parse_args()

    from coach.bank.folder import Bank, load_story
    from coach.spoken import script_of
    from coach.voice import local
    from coach.voice.hearing import hear
    from coach.voice.transcribe import bundled_model
    from coach.voice.transcript import Transcript

    model = args.model or bundled_model() or "base.en"
    transcriber = local.LocalTranscriber(model, threads=args.threads,
                                        label="tiny.en" if model == bundled_model() else None)
    bank = Bank(ROOT / "stories")
    story = load_story(bank.root / f"{args.story}.md")
    script = script_of(story, bank.settings())

    def before(wav: Path) -> Transcript:
        """The take heard as coach heard it before these settings, for a baseline on the same machine and load."""
        whisper = local.load(model, threads=args.threads)
        samples = local._decoded(wav)
        voiced = local.voiced_frames(samples)
        words = local._words(whisper, samples, **local.PROMPTED)
        missed = local.unheard_seconds(voiced, words)
        if missed >= local.MISSED_SECONDS:
            again = local._words(whisper, samples)
            words = again if local.unheard_seconds(voiced, again) < missed else words
        return Transcript(words=tuple(words), duration=len(samples) / local.SAMPLE_RATE, timing="words",
                          engine="before")

    ways = {"coach now": transcriber.transcribe, "before (baseline)": before}
    with tempfile.TemporaryDirectory() as folder:
        wav = Path(folder) / "take.wav"
        voice = ["-v", args.voice] if args.voice else []
        subprocess.run(["espeak-ng", "-s", str(args.wpm), *voice, "-w", str(wav), f"{story.refined} {story.refined}"],
                       check=True)
        with wave.open(str(wav)) as audio:
            audio_seconds = audio.getnframes() / audio.getframerate()
        started = time.perf_counter()
        transcriber.prepare()
        loading = time.perf_counter() - started
        timings: dict[str, list[float]] = {name: [] for name in ways}
        heard = {}
        for _ in range(args.takes):
            for name, transcribe in ways.items():
                started = time.perf_counter()
                heard[name] = transcribe(wav)
                timings[name].append(time.perf_counter() - started)
        samples = local._decoded(wav)
    voiced = local.voiced_frames(samples)
    print(f"model: {transcriber.name}; {args.threads} threads; {os.cpu_count()} CPUs; load average "
          f"{os.getloadavg()[0]:.1f}; model loaded in {loading:.2f}s")
    print(f"audio {audio_seconds:.1f}s; transcription, median of {args.takes} (goal: at least 4x real time):")
    for name, runs in timings.items():
        seconds = statistics.median(runs)
        hearing = hear(heard[name], script)
        print(f"  {name:18} {seconds:6.2f}s = {audio_seconds / seconds:4.1f}x real time; {hearing.words} words, "
              f"coverage {hearing.coverage:.0%}, {local.unheard_seconds(voiced, list(heard[name].words)):.1f}s "
              f"of speech unheard")
    now, then = (statistics.median(timings[name]) for name in ways)
    print(f"  coach now is {then / now:.1f}x as fast as before on the same audio")
    transcript = heard["coach now"]
    runs = []
    for _ in range(args.runs):
        started = time.perf_counter()
        hear(transcript, script)
        runs.append(time.perf_counter() - started)
    analysis = statistics.median(runs)
    print(f"analysis: median {analysis * 1000:.1f} ms over {args.runs} runs, max {max(runs) * 1000:.1f} ms "
          f"(goal: under 100 ms for a 2-minute take) = {0.1 / analysis:.1f}x under the goal")


if __name__ == "__main__":
    main()
