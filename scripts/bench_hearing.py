"""Time coach's own analysis of a spoken take: `hear()` on a 2-minute take (about 300 words heard, with a small
model's errors, fillers, an off-script stretch and a skipped sentence) against a 170-word script and its material.

    python scripts/bench_hearing.py [--repeats 20]

Prints how fast this core is right now (`sum(range(100))`: about 0.6 µs on an idle 3 GHz core; a loaded machine
shows it), the first call in this process, then the median and worst of calls with every cache of the hearing
cleared (what one `coach practice --audio` pays), and of calls with caches warm.
"""

from __future__ import annotations

import argparse
import random
import statistics
import time
import timeit

from coach.method.grounding import Material
from coach.voice import facts, sounds
from coach.voice.hearing import Script, hear
from coach.voice.transcript import Transcript, Word

SCRIPT = (
    "At [Company] in [year], I noticed our MLOps on-call rotation was burning people out - critical context was lost "
    "between handoffs and tech debt kept piling up. I took a risk proposing what seemed like 'extra work' to five "
    "already-busy engineers: a mandatory sprint report and presentation. Instead of just suggesting it, I created the "
    "first report myself and presented it in under 10 minutes. I was honest with the team: 'Yes, this feels like extra "
    "work now, but it'll prevent disasters and ease our on-call burden.' The result? We reduced our tech debt backlog "
    "by 50% in one quarter, and monitoring improved dramatically. Even when a new manager stopped the practice, the "
    "team brought it back themselves. It took 3 sprints for the habit to settle, and Priya ran the second report "
    "while I coached. This showed me how taking uncomfortable risks - like I'd do at Netflix when proposing new "
    "research-to-production workflows - can transform team effectiveness when you lead by example."
)
MATERIAL = SCRIPT.replace("[Company]", "Salesforce").replace("[year]", "2023") + " Seven people were affected."
ERRORS = {"MLOps": "MLOP song -core", "debt": "-net", "presented": "prevented", "3": "free", "Priya": "Maria"}
OFF_SCRIPT = ("So, um, the thing is, you know, we had a lot going on that quarter and, uh, I mean, people were "
              "tired, and the alerts kept firing at night, like, every night, and nobody wanted to own the fixes. ")


def take(seed: int = 7) -> Transcript:
    """Return a 2-minute take: the script twice over (once with a sentence left out), errors, fillers, digressions."""
    chance = random.Random(seed)
    spoken = SCRIPT.replace("[Company]", "Salesforce").replace("[year]", "2023")
    sentences = spoken.split(". ")
    second = ". ".join(s for i, s in enumerate(sentences) if i != 4)
    text = f"{spoken} {OFF_SCRIPT * 2}{second}"
    words, at = [], 0.4
    for raw in text.split():
        for piece in ERRORS.get(raw.strip(",.?:'"), raw).split():
            length = 0.12 + 0.03 * len(piece)
            words.append(Word(f" {piece}", round(at, 2), round(at + length, 2), round(chance.uniform(0.3, 1.0), 3)))
            at += length + (1.4 if chance.random() < 0.02 else 0.05)
    return Transcript(tuple(words), at + 0.5, "words", "bench")


def cold() -> None:
    """Clear every cache the hearing fills, so that the next call pays what a fresh take pays."""
    for cached in (sounds.similarity, sounds.key, sounds._tokens, facts.script_material, facts._known_words):
        cached.cache_clear()


def timed(transcript: Transcript, script: Script) -> float:
    """Return the seconds one hear() call takes."""
    start = time.perf_counter()
    hear(transcript, script)
    return time.perf_counter() - start


def bench(repeats: int = 20) -> dict[str, float]:
    """Return the first, cold (median, worst) and warm (median) seconds of hear() on the benchmark take."""
    transcript, script = take(), Script(SCRIPT, ("At Salesforce, I noticed",), ("tech debt", "lead by example"),
                                        Material(MATERIAL), (45, 60))
    calibration = timeit.timeit(lambda: sum(range(100)), number=20000) / 20000  # this core's speed, as measured now
    first = timed(transcript, script)
    colds = []
    for _ in range(repeats):
        cold()
        colds.append(timed(transcript, script))
    warms = [timed(transcript, script) for _ in range(repeats)]
    return {"words heard": len(transcript.words), "script words": len(SCRIPT.split()),
            "sum(range(100))": calibration, "first": first,
            "cold median": statistics.median(colds), "cold worst": max(colds), "warm median": statistics.median(warms)}


def main() -> None:
    """Print the benchmark."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=20)
    for name, value in bench(parser.parse_args().repeats).items():
        shown = f"{value * 1e6:.2f} µs" if name.startswith("sum") else f"{value * 1000:.1f} ms"
        print(f"{name:>15}: {shown}" if isinstance(value, float) else f"{name:>15}: {value}")


if __name__ == "__main__":
    main()
