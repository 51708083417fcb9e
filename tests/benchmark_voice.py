"""Benchmark (not run by CI): how fast a spoken take is heard, as ratios measured in one run.

    python tests/benchmark_voice.py [--model PATH_OR_NAME] [--threads 2] [--runs 20]

espeak-ng says the risk story's refined version twice over (about two minutes of speech at 150 wpm); the local
transcriber hears it with the given model (default: $COACH_WHISPER_MODEL, else the model coach uses by default) on
--threads CPU cores, and coach's own analysis (`hear`) runs on the transcript --runs times. The goals:

    transcription at least 4x faster than real time (audio seconds / transcription seconds)
    coach's analysis of a 2-minute take under a tenth of a second (median)
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
    parser.add_argument("--runs", type=int, default=20)
    args = parser.parse_args()

    from coach.bank.folder import Bank, load_story
    from coach.spoken import script_of
    from coach.voice.hearing import hear
    from coach.voice.local import LocalTranscriber

    bank = Bank(ROOT / "stories")
    story = load_story(bank.root / "risk.md")
    with tempfile.TemporaryDirectory() as folder:
        wav = Path(folder) / "take.wav"
        subprocess.run(["espeak-ng", "-s", "150", "-w", str(wav), f"{story.refined} {story.refined}"], check=True)
        with wave.open(str(wav)) as audio:
            audio_seconds = audio.getnframes() / audio.getframerate()
        transcriber = LocalTranscriber(args.model, threads=args.threads) if args.model else None
        if transcriber is None:
            from coach.voice.transcribe import transcriber_from_env

            transcriber = transcriber_from_env()
        started = time.perf_counter()
        transcript = transcriber.transcribe(wav)  # the model loads here too: a first take pays for it
        transcribing = time.perf_counter() - started
    script = script_of(story, bank.settings())
    runs = []
    for _ in range(args.runs):
        started = time.perf_counter()
        hearing = hear(transcript, script)
        runs.append(time.perf_counter() - started)
    analysis = statistics.median(runs)
    print(f"model: {transcript.engine}; {args.threads} threads; {os.cpu_count()} CPUs")
    print(f"audio {audio_seconds:.1f}s, {hearing.words} words heard; transcription {transcribing:.2f}s "
          f"(model load included) = {audio_seconds / transcribing:.1f}x real time (goal: at least 4x)")
    print(f"analysis: median {analysis * 1000:.1f} ms over {args.runs} runs, max {max(runs) * 1000:.1f} ms "
          f"(goal: under 100 ms for a 2-minute take) = {0.1 / analysis:.1f}x under the goal")


if __name__ == "__main__":
    main()
