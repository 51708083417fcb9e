"""Benchmark (not run by CI): the two start-up goals, `refine --all` against one story, offline start-up against
`import typer`, and `coach check` on a 10,000-word draft and on a 200-story bank against the bundled bank.

    python tests/benchmark.py [--latency 1.0] [--runs 5] [--goals]

The goals, printed last as ratios measured in the same run: a model command (`coach refine risk --fresh` against the
stub) takes at most 1.3x a bare `python -c "import openai"`, and offline start-up (`coach status`) at most 1.1x a
one-command typer app (typer's own floor). Each goal's command and its baseline are timed in alternation, so load
that comes and goes on a shared machine weighs on both. `--goals` times only those four.

A stub OpenAI-compatible server on 127.0.0.1 answers every chat completion after --latency seconds with a
refinement that passes the method's checks for the story asked about: a fixed text without numbers whose
sentences quote the first words of the story's own draft. All figures come from one run, so the ratios compare like with like on a
shared, noisy machine.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
def stub_answer(request: dict) -> dict:
    """Return a refinement of the story asked about: each sentence says, and quotes, the draft's opening words."""
    user = request["messages"][-1]["content"]
    draft = user.partition("<draft>")[2].partition("</draft>")[0]
    quote = " ".join(draft.split()[:6]).rstrip(".,;:")
    sentences = [f"I remember it well: {quote}." for _ in range(11)] + [f"That is how I would work at Netflix: {quote}."]
    return {
        "sentences": [{"text": sentence, "sources": [quote]} for sentence in sentences],
        "estimated_seconds": 55,
        "changes": ["benchmark stub"],
        "coaching_notes": ["stub note"],
        "hooks": ["stub hook"],
        "pacing": "steady",
        "tone": "warm",
        "key_words": ["plan"],
        "follow_ups": [{"question": f"stub question {n}?", "answer": "stub answer"} for n in "abc"],
    }


def completion_body(request: dict) -> bytes:
    return json.dumps({
        "id": "bench", "object": "chat.completion", "created": 0, "model": "stub",
        "choices": [{"index": 0, "finish_reason": "stop",
                     "message": {"role": "assistant", "content": json.dumps(stub_answer(request))}}],
        "usage": {"prompt_tokens": 1000, "completion_tokens": 300, "total_tokens": 1300},
    }).encode()


def serve(latency: float) -> tuple[ThreadingHTTPServer, str]:
    class Handler(BaseHTTPRequestHandler):
        def do_POST(self):  # noqa: N802
            body = completion_body(json.loads(self.rfile.read(int(self.headers.get("content-length", 0)))))
            time.sleep(latency)
            self.send_response(200)
            self.send_header("content-type", "application/json")
            self.send_header("content-length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, f"http://127.0.0.1:{server.server_address[1]}/v1"


# The least a typer app does at start: typer builds a pydantic adapter for each parameter, importing pydantic.
TYPER_FLOOR = """
from pathlib import Path
from typing import Annotated
import typer
app = typer.Typer()
@app.command()
def status(as_json: Annotated[bool, typer.Option("--json")] = False, stories: Annotated[Path, typer.Option()] = Path(".")):
    print("ok")
@app.command()
def other():
    pass
app()
"""


SDK_AS_COACH_IMPORTS = "import gc; gc.disable(); import openai; gc.freeze(); gc.enable()"
# (what, command, baseline, most the command may take as a multiple of the baseline)
GOALS = [("model command", "coach refine risk --fresh", "python -c 'import openai'", 1.3),
         ("offline start-up", "coach status", "a one-command typer app", 1.1)]


def run_once(command: list[str], env: dict) -> float:
    started = time.perf_counter()
    done = subprocess.run(command, env=env, capture_output=True, text=True)
    elapsed = time.perf_counter() - started
    if done.returncode not in (0, 1):
        sys.exit(f"{' '.join(command)} failed: {done.stderr.strip()}")
    return elapsed


def timed(command: list[str], env: dict, runs: int) -> float:
    return statistics.median(run_once(command, env) for _ in range(runs))


def timed_together(commands: list[list[str]], env: dict, runs: int) -> list[float]:
    """Return each command's median time, the commands run in turn within every round."""
    times: list[list[float]] = [[] for _ in commands]
    for _ in range(runs):
        for command, taken in zip(commands, times, strict=True):
            taken.append(run_once(command, env))
    return [statistics.median(taken) for taken in times]


def goal_lines(measured: list[tuple[float, float]]) -> list[str]:
    """Say each goal's ratio, its two times and whether it is met."""
    lines = []
    for (what, command, baseline, most), (took, base) in zip(GOALS, measured, strict=True):
        ratio = took / base
        verdict = "met" if ratio <= most else "NOT met"
        lines.append(f"{what + ':':18}{ratio:5.2f}x  ({command} {took:.2f}s / {baseline} {base:.2f}s)  goal <= {most}x: {verdict}")
    return lines


def long_draft(words: int, seed: int = 7) -> str:
    """Return a draft of about `words` words: the bundled drafts' vocabulary in shuffled sentences."""
    import random

    vocabulary = sorted({w.strip(".,;:!?\"'()").lower() for p in (ROOT / "stories").glob("*.md") for w in p.read_text().split()} - {""})
    rng = random.Random(seed)
    sentences, count = [], 0
    while count < words:
        size = rng.randint(8, 20)
        sentences.append(" ".join(rng.choice(vocabulary) for _ in range(size)).capitalize() + ".")
        count += size
    return " ".join(sentences)


def check_banks(root: Path) -> tuple[Path, Path]:
    """Make a copy of the bundled bank with one 10,000-word draft, and a bank of 200 stories."""
    long_bank, big_bank = root / "long", root / "big"
    shutil.copytree(ROOT / "stories", long_bank, ignore=shutil.ignore_patterns(".coach"))
    risk = (long_bank / "risk.md").read_text()
    head, _, rest = risk.partition("## Draft\n\n")
    (long_bank / "risk.md").write_text(head + "## Draft\n\n" + long_draft(10_000) + "\n\n" + rest.partition("\n## ")[2].join(["## ", ""]))
    big_bank.mkdir()
    shutil.copy(ROOT / "stories" / "coach.yaml", big_bank)
    for n in range(50):
        for story in ("risk", "conflict", "learning", "team"):
            shutil.copy(ROOT / "stories" / f"{story}.md", big_bank / f"{story}-{n}.md")
    return long_bank, big_bank


def take_seconds(root: Path, entries: int, runs: int) -> float:
    """Time one practice take, in process, on the risk story with `entries` history entries (the splice of a save)."""
    from datetime import datetime

    from coach.bank.folder import Bank, load_story
    from coach.bank.models import HistoryEntry
    from coach.practice import record_take

    bank = Bank(root / f"history-{entries}")
    shutil.copytree(ROOT / "stories", bank.root, ignore=shutil.ignore_patterns(".coach"))
    path = bank.root / "risk.md"
    story = load_story(path)
    story.history = [HistoryEntry(saved=f"2026-01-01 {n // 60 % 24:02d}:{n % 60:02d}", text=story.refined) for n in range(entries)]
    bank.save(path, story)
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        record_take(bank, path, 52.0, datetime.now())
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def log_take_seconds(root: Path, takes: int, runs: int) -> float:
    """Time one practice take, in process, on the risk story with `takes` takes already in its practice log.

    Each run starts as a new command would, with no practice log read before (coach keeps the logs it read).
    """
    from datetime import datetime, timedelta

    from coach.bank import storyfile
    from coach.bank.folder import Bank
    from coach.practice import record_take

    bank = Bank(root / f"takes-{takes}")
    shutil.copytree(ROOT / "stories", bank.root, ignore=shutil.ignore_patterns(".coach"))
    path = bank.root / "risk.md"
    start = datetime(2020, 1, 1)
    log = "".join(f"- {{at: '{(start + timedelta(minutes=n)).isoformat()}', seconds: {50 + n % 10}.0, words: 143}}\n"
                  for n in range(takes))
    path.write_text(path.read_text().replace("\n---\n", f"\npractice:\n{log}---\n", 1))
    times = []
    for _ in range(runs):
        storyfile.VALID_TAKES.clear()
        started = time.perf_counter()
        record_take(bank, path, 52.0, datetime.now())
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--latency", type=float, default=1.0)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--goals", action="store_true", help="time only the two goals' commands and baselines")
    args = parser.parse_args()
    server, url = serve(args.latency)
    bank = Path(tempfile.mkdtemp()) / "stories"
    shutil.copytree(ROOT / "stories", bank, ignore=shutil.ignore_patterns(".coach"))
    # the stub is on 127.0.0.1, where coach would send one request at a time: allow four, as a hosted endpoint gets
    env = {**os.environ, "OPENAI_BASE_URL": url, "COACH_MODEL": "stub", "COACH_STORIES": str(bank), "COACH_CONCURRENCY": "4"}
    # time what an installed coach does: from bytecode, as pip leaves it, not compiling every module at every start
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    subprocess.run([sys.executable, "-m", "compileall", "-q", str(ROOT / "coach")], check=True)
    floor = Path(tempfile.mkdtemp()) / "floor.py"
    floor.write_text(TYPER_FLOOR)
    coach = [sys.executable, "-m", "coach"]
    one, openai_only, status, typer_app, openai_paused = timed_together(
        [[*coach, "refine", "risk", "--fresh"], [sys.executable, "-c", "import openai"],
         [*coach, "status"], [sys.executable, str(floor), "status"], [sys.executable, "-c", SDK_AS_COACH_IMPORTS]],
        env, args.runs)
    goals = goal_lines([(one, openai_only), (status, typer_app)])
    # coach imports the SDK with the garbage collector paused (coach.llm.settings), so part of the first goal's margin
    # is the bare import's collections; against an import that pauses it too, what is left is coach's own work
    goals.append(f"{'':18}{one / openai_paused:5.2f}x  of the SDK imported with the collector paused, as coach imports "
                 f"it ({openai_paused:.2f}s): coach's own work")
    if args.goals:
        server.shutdown()
        print(f"stub latency {args.latency:g}s, median of {args.runs} runs each, the five commands in turn")
        print("\n".join(goals))
        return
    every = timed([*coach, "refine", "--all", "--fresh"], env, args.runs)
    typer_only = timed([sys.executable, "-c", "import typer"], env, args.runs)
    show = timed([*coach, "show", "risk"], env, args.runs)
    long_bank, big_bank = check_banks(bank.parent)
    check = timed([*coach, "check"], env, args.runs)
    check_long = timed([*coach, "check", "--stories", str(long_bank)], env, args.runs)
    check_big = timed([*coach, "check", "--stories", str(big_bank)], env, args.runs)
    server.shutdown()
    take_small, take_big = take_seconds(bank.parent, 100, args.runs), take_seconds(bank.parent, 1000, args.runs)
    print(f"stub latency {args.latency:g}s, median of {args.runs} runs each")
    print(f"refine risk (1 story)        {one:6.2f}s   ratio to `import openai`: {one / openai_only:.2f}x")
    print(f"refine --all (4 stories)     {every:6.2f}s   ratio to 1 story: {every / one:.2f}x")
    print(f"coach status (offline)       {status:6.2f}s   ratio to `import typer`: {status / typer_only:.2f}x")
    print(f"coach show risk (offline)    {show:6.2f}s   ratio to `import typer`: {show / typer_only:.2f}x")
    print(f"coach check (bundled bank)   {check:6.2f}s   ratio to `import typer`: {check / typer_only:.2f}x")
    print(f"python -c 'import typer'     {typer_only:6.2f}s")
    print(f"a one-command typer app      {typer_app:6.2f}s   ratio to `import typer`: {typer_app / typer_only:.2f}x (typer's floor)")
    print(f"python -c 'import openai'    {openai_only:6.2f}s")
    print(f"check, a 10,000-word draft   {check_long:6.2f}s   {check_long - check:+.2f}s against the bundled bank")
    print(f"check, a 200-story bank      {check_big:6.2f}s   ratio to the bundled bank: {check_big / check:.2f}x")
    print(f"a take, 100 history entries  {take_small:6.3f}s")
    print(f"a take, 1,000 entries        {take_big:6.3f}s   ratio to 100 entries: {take_big / take_small:.2f}x")
    log_small, log_big = log_take_seconds(bank.parent, 100, args.runs), log_take_seconds(bank.parent, 100_000, args.runs)
    print(f"a take, 100 takes in the log {log_small:6.3f}s")
    print(f"a take, 100,000 takes        {log_big:6.3f}s   ratio to 100 takes: {log_big / log_small:.2f}x")
    print("goals, in this run (the command and its baseline timed in turn):")
    print("\n".join(goals))

if __name__ == "__main__":
    main()
