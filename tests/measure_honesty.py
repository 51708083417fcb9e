"""Measure the one guard on the honesty corpus (not run by CI): false alarms on faithful answers, misses on planted
inventions, per job.

    python tests/measure_honesty.py [--verbose]

A false alarm is a faithful answer with any sentence the guard does not pass; a miss is an invented answer where no
flag concerns the planted words. The corpus is in tests/corpus/honesty/ (see tests/honesty.py).
"""

from __future__ import annotations

import argparse
import sys
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from tests.honesty import entries, judge_entry  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--verbose", action="store_true", help="print every flag")
    args = parser.parse_args()
    totals: Counter = Counter()
    sentences: Counter = Counter()
    for entry in entries():
        judged = judge_entry(entry)
        direction, job = entry["direction"], entry["job"]
        totals[direction, job] += 1
        sentences[direction] += judged.passed + len(judged.flags)
        if direction == "faithful":
            sentences["flagged"] += len(judged.flags)
            if judged.flagged:
                totals["false alarm", job] += 1
                for where, sentence, why in judged.flags:
                    print(f"FALSE ALARM {entry['id']} {where}: {sentence!r}: {why}")
        else:
            others = [f for f in judged.flags if not any(p.lower() in f"{f[1]} {f[2]}".lower() for p in entry["planted"])]
            sentences["flagged beside a plant"] += len(others)
            for where, sentence, why in others if args.verbose else []:
                print(f"FLAGGED BESIDE THE PLANT {entry['id']} {where}: {sentence!r}: {why}")
            missed = [p for p in entry["planted"] if not judged.caught(p)]
            if missed:
                totals["miss", job] += 1
                print(f"MISS {entry['id']} ({entry.get('kind', '')}): {missed}")
            elif args.verbose:
                print(f"caught {entry['id']} ({entry.get('kind', '')}): {judged.flags}")
    jobs = sorted({job for key, job in totals if key in ("faithful", "invented")})
    for job in jobs:
        print(f"{job:<17} false alarms {totals['false alarm', job]}/{totals['faithful', job]}  "
              f"misses {totals['miss', job]}/{totals['invented', job]}")
    faithful = sum(totals["faithful", j] for j in jobs)
    invented = sum(totals["invented", j] for j in jobs)
    print(f"{'all':<17} false alarms {sum(totals['false alarm', j] for j in jobs)}/{faithful} answers "
          f"({sentences['flagged']}/{sentences['faithful']} sentences)  "
          f"misses {sum(totals['miss', j] for j in jobs)}/{invented} ({sentences['flagged beside a plant']} other "
          f"sentences of invented answers flagged)")


if __name__ == "__main__":
    main()
