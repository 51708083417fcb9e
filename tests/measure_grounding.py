"""Measure the grounding guard on its corpus (not run by CI): false alarms on faithful texts, misses on invented ones.

    python tests/measure_grounding.py [--against COMMIT]

Two corpora: `grounding-corpus.yaml`, written with the guard, and `grounding-heldout.yaml`, written by someone who
had not read it.
With --against, the number and name guard of an earlier commit (one whose `coach/text.py` had
`unsupported_numbers` and `unsupported_names`, e.g. 12d0075) is measured on the same corpus, read with `git show`.
"""

from __future__ import annotations

import argparse
import subprocess
import types
from pathlib import Path

import yaml

from coach.method.grounding import Material
from coach.method.verdict import judge

ROOT = Path(__file__).resolve().parent.parent
CORPORA = {
    name: yaml.safe_load((ROOT / "tests" / "fixtures" / f"grounding-{name}.yaml").read_text(encoding="utf-8"))
    for name in ("corpus", "heldout")
}


def current_guard(case: dict) -> bool:
    """Return True when today's guard flags the case."""
    material = Material(case["material"], case.get("context") or "")
    flagged = bool(material.unsupported_numbers(case["text"]) or material.unsupported_names(case["text"]))
    if "sources" in case:
        flagged = flagged or not judge(material, case["text"], case["sources"]).supported
    return flagged


def earlier_guard(commit: str):
    """Return a function telling whether the guard of an earlier commit flags a case."""
    source = subprocess.run(["git", "show", f"{commit}:coach/text.py"], cwd=ROOT, capture_output=True, text=True, check=True).stdout
    module = types.ModuleType("earlier_text")
    exec(compile(source, "earlier_text.py", "exec"), module.__dict__)

    def flags(case: dict) -> bool:
        material = case["material"]
        known = (case.get("context") or "").split("\n")
        return bool(module.unsupported_numbers(case["text"], material) or module.unsupported_names(case["text"], material, known))

    return flags


def measure(name: str, flags, corpus: list[dict]) -> None:
    faithful = [c for c in corpus if c["kind"] == "faithful"]
    invented = [c for c in corpus if c["kind"] == "invented"]
    alarms = [c["why"] for c in faithful if flags(c)]
    misses = [c["why"] for c in invented if not flags(c)]
    print(f"{name}: false alarms {len(alarms)}/{len(faithful)} ({len(alarms) / len(faithful):.0%}), "
          f"misses {len(misses)}/{len(invented)} ({len(misses) / len(invented):.0%})")
    for why in alarms:
        print(f"  false alarm: {why}")
    for why in misses:
        print(f"  miss: {why}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--against", help="an earlier commit whose guard to measure too")
    args = parser.parse_args()
    for corpus, cases in CORPORA.items():
        measure(f"{corpus}, this guard", current_guard, cases)
        if args.against:
            measure(f"{corpus}, guard at {args.against}", earlier_guard(args.against), cases)


if __name__ == "__main__":
    main()
