"""Reports that fit at 80 columns: refine's summary, the spinner's line with its reason, and the interview's line
while the interviewer has not started speaking."""

from __future__ import annotations

import time
from types import SimpleNamespace

import httpx

from coach.cli import app
from tests.llm_fixtures import completion, refinement

SPEAKING = SimpleNamespace(broke_off=False, kind="question", number=1, value="Courage")


def test_refine_summary_and_findings_wrap_at_80_columns(runner, bank, endpoint, monkeypatch):
    monkeypatch.setenv("COLUMNS", "80")
    long_change = "Opened on the on-call problem instead of the launch, and " * 3
    endpoint.respond(200, json=completion(refinement(changes=[long_change.strip()])))
    result = runner.invoke(app, ["refine", "risk"])
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert max(len(line) for line in lines) <= 80, "\n".join(lines)
    assert lines[:2] == ["risk: refined, 142 words = 56.8s at 150 wpm, within the 45-60s target (1",
                         "  request, 900 tokens in, 300 out)"]
    assert lines[2] == "  changed: Opened on the on-call problem instead of the launch, and Opened on"
    assert lines[3].startswith("    the on-call problem")  # a long change continues under itself


def test_refine_summary_keeps_its_words_when_wrapped(runner, bank, endpoint, monkeypatch):
    monkeypatch.setenv("COLUMNS", "200")  # prose reads best at 100 columns at most
    endpoint.respond(200, json=completion(refinement()))
    wide = runner.invoke(app, ["refine", "risk"]).stdout.splitlines()
    assert max(len(line) for line in wide) <= 100
    assert " ".join(" ".join(wide[:2]).split()) == ("risk: refined, 142 words = 56.8s at 150 wpm, within the 45-60s "
                                                    "target (1 request, 900 tokens in, 300 out)")


def test_the_spinner_shortens_its_label_and_keeps_the_reason():
    from coach.display.terminal import spinner_line

    head = "⠋ refining with gpt-5-mini at api.openai.com · conflict, learning · 1 of 4 done"
    note = "re-asking (1 problem: refined has 96 words)"
    line = spinner_line(head, "12s", note, 79)
    assert len(line) <= 79 and line.endswith(" · 12s · " + note) and line.startswith("⠋ refining with")
    assert "…" in line
    assert spinner_line("⠋ asking", "1s", "", 79) == "⠋ asking · 1s"
    narrow = spinner_line(head, "12s", note, 40)
    assert len(narrow) <= 40 and narrow.startswith("⠋ · 12s · re-asking (1 problem")


def test_the_spinner_on_a_terminal_shows_the_reason_at_80_columns(monkeypatch):
    import io

    from coach.display.terminal import Progress

    stream = io.StringIO()
    progress = Progress(stream, tty=True)
    progress.width = 80
    progress.planned(["conflict", "learning", "risk", "team"])
    progress.started("conflict")
    progress.started("learning")
    with progress.spinning("refining with gpt-5-mini at api.openai.com"):
        progress.status("learning: re-asking (1 problem: refined has 96 words)")
        time.sleep(0.25)
    frames = [frame.removesuffix("\x1b[K") for frame in stream.getvalue().split("\r") if "re-asking" in frame]
    assert frames and all(frame.endswith("learning: re-asking (1 problem: refined has 96 words)") for frame in frames)
    assert all(len(frame) <= 79 for frame in frames)


def screen(tty: bool):
    from coach.cli.interview import _Screen

    return _Screen(None, quiet=False, tty=tty)


def test_the_interviewer_line_waits_with_a_spinner_until_the_first_words(capsys):
    shown = screen(tty=True)
    shown.speaking(SPEAKING)
    time.sleep(0.25)
    shown.words("Tell me about")
    shown.words(" a risk you took.")
    shown.line("")
    out = capsys.readouterr().out
    waiting = out.split("── Question 1 · Courage ──\n", 1)[1]
    assert waiting.startswith("\rInterviewer: ⠋ 0s") or "\rInterviewer: " in waiting.split("\r\x1b[K")[0]
    assert waiting.split("\r\x1b[K")[-1] == "Interviewer: Tell me about a risk you took.\n"


def test_no_dangling_interviewer_line_before_an_error(capsys):
    for tty in (True, False):
        shown = screen(tty)
        shown.speaking(SPEAKING)
        time.sleep(0.15)
        shown.line("")  # the driver ends the line when the model fails
        shown.line("")
        out = capsys.readouterr().out
        after = out.split("── Question 1 · Courage ──\n", 1)[1].split("\r\x1b[K")[-1]
        assert after == "\n"  # one blank line before the error: no "Interviewer:" left, no second one


def test_an_interview_whose_model_fails_leaves_no_empty_interviewer_line(runner, bank, endpoint):
    endpoint.side_effect = [httpx.Response(401, json={"error": {"message": "bad key"}})]
    result = runner.invoke(app, ["interview", "-n", "1"], input="")
    assert result.exit_code == 1
    assert "Interviewer:" not in result.stdout
