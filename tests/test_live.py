"""Live tests against a real local OpenAI-compatible server (opt-in: CI does not run them).

    scripts/local-server.sh &
    COACH_LIVE_BASE_URL=http://127.0.0.1:8089/v1 python -m pytest -m live

Tiny models write poor stories: these tests check coach's behaviour, not the model's prose. A refine either
succeeds or ends in one clear error with every story file unchanged; Ctrl-C stops it within a second.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.conftest import snapshot

BASE_URL = os.environ.get("COACH_LIVE_BASE_URL", "")
MODEL = os.environ.get("COACH_LIVE_MODEL", "smollm2")
STORIES = Path(__file__).resolve().parent.parent / "stories"
pytestmark = [pytest.mark.live, pytest.mark.skipif(not BASE_URL, reason="set COACH_LIVE_BASE_URL to a local server")]


@pytest.fixture
def live_bank(tmp_path) -> Path:
    bank = tmp_path / "stories"
    shutil.copytree(STORIES, bank, ignore=shutil.ignore_patterns(".coach"))
    return bank


def coach(bank: Path, *args: str, **env: str) -> subprocess.Popen:
    environ = {**os.environ, "OPENAI_BASE_URL": BASE_URL, "COACH_MODEL": MODEL, "COACH_TIMEOUT": "300",
               "COACH_STORIES": str(bank), **env}
    return subprocess.Popen([sys.executable, "-m", "coach", *args], env=environ, text=True,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE)


def stories(bank: Path) -> dict:
    return {k: v for k, v in snapshot(bank).items() if ".coach" not in k}


def test_refine_is_a_valid_refine_or_one_clear_error_with_files_unchanged(live_bank):
    before = stories(live_bank)
    process = coach(live_bank, "refine", "risk", COACH_MAX_TOKENS="1500")
    out, err = process.communicate(timeout=900)
    if process.returncode == 0:
        assert out.startswith("risk: refined") and stories(live_bank)["risk.md"] != before["risk.md"]
    else:
        said = [line for line in err.splitlines() if "does not take" not in line]  # an adaptation, said once
        assert process.returncode == 1 and said[0].startswith("Error: ") and "Traceback" not in err
        assert stories(live_bank) == before


def test_the_learned_request_shape_is_sent_first_the_next_time(live_bank):
    for _ in range(2):
        process = coach(live_bank, "refine", "risk", "--fresh", COACH_MAX_TOKENS="100")
        _, err = process.communicate(timeout=600)
        assert "Traceback" not in err
    assert "does not take" not in err  # the second run needed no adaptation


def test_ctrl_c_stops_within_a_second_and_writes_nothing(live_bank):
    before = stories(live_bank)
    process = coach(live_bank, "refine", "--all", "--fresh")
    time.sleep(3)
    pressed = time.monotonic()
    process.send_signal(signal.SIGINT)
    _, err = process.communicate(timeout=10)
    assert process.returncode == 130 and time.monotonic() - pressed < 1.0
    assert err.strip().splitlines()[-1] == "Interrupted; no story file was changed."
    assert stories(live_bank) == before


def test_a_scripted_interview_streams_scores_and_keeps_its_transcript(live_bank, tmp_path):
    answers = tmp_path / "answers.md"
    answers.write_text("At Salesforce in 2023 our on-call rotation was burning people out. I proposed a short report "
                       "at the end of each sprint and wrote the first one myself. The next quarter, 50% of our tech "
                       "debt backlog was gone.\n")
    process = coach(live_bank, "interview", "-n", "1", "--values", "Courage", "--answers", str(answers),
                    COACH_MAX_TOKENS="1500")
    out, err = process.communicate(timeout=900)
    assert "Traceback" not in err
    transcripts = list((live_bank / "sessions").glob("*.md"))
    assert len(transcripts) == 1 and "**You:** At Salesforce in 2023" in transcripts[0].read_text()
    if process.returncode == 0:
        assert "Interviewer: " in out and "concision" in out and "Transcript:" in out
    else:
        assert process.returncode == 1 and "the session so far is saved to" in err


def test_follow_ups_and_analyze_succeed_or_leave_the_story_as_it_was(live_bank):
    for args in (["followups", "team", "--generate", "1"], ["analyze", "risk"]):
        before = stories(live_bank)
        process = coach(live_bank, *args, COACH_MAX_TOKENS="1500")
        _, err = process.communicate(timeout=900)
        assert "Traceback" not in err
        if process.returncode != 0:
            assert process.returncode == 1 and stories(live_bank) == before
