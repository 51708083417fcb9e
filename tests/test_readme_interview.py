"""The README's `coach interview --answers` example is real output: run on the bundled bank against a mocked endpoint
whose words (the interviewer's question and probes, the feedback) are the README's, and compared line by line."""

from __future__ import annotations

import shutil
from datetime import datetime

from typer.testing import CliRunner

from tests.test_readme_examples import README, ROOT, example, matches

COMMAND = "coach interview -n 1 --values Courage --answers answers.md"
STARTED = datetime(2026, 11, 24, 21, 22, 24)  # the transcript is named by the time the session started


def shown() -> list[str]:
    """Return the lines the README shows under the example's command."""
    return example(COMMAND)


def said(speaker: str) -> list[str]:
    """Return what SPEAKER says in the README's example, in order: each `SPEAKER: ` line joined with the indented
    lines that continue it, as the screen wraps them."""
    turns, speaking = [], False
    for line in shown():
        if line.startswith(f"{speaker}: "):
            turns.append(line.removeprefix(f"{speaker}: "))
            speaking = True
        elif speaking and line.startswith("  ") and not line.lstrip().startswith(("Interviewer:", "You:")):
            turns[-1] += " " + line.strip()
        else:
            speaking = False
    return turns


def answers_file() -> str:
    """Return the answers file the paragraph above the example describes: the answer, the reply to the first probe
    after a `--- probe` line, and `/skip` for the second after another."""
    answer, reply, skip = said("You")
    assert skip == "/skip"
    return f"---\n{answer}\n--- probe\n{reply}\n--- probe\n{skip}\n"


def feedback_line(label: str) -> str:
    """Return the text after `LABEL: ` in the example's feedback, its wrapped lines joined."""
    lines = shown()
    at = next(n for n, line in enumerate(lines) if line.startswith(f"  {label}: "))
    text = lines[at].removeprefix(f"  {label}: ")
    for line in lines[at + 1:]:
        if not line.startswith("    "):
            break
        text += " " + line.strip()
    return text


def model_feedback(answer: str) -> dict:
    """Return the feedback answer the mocked model gives: the README's scores, quotes and notes."""
    from tests.test_interview import feedback, scored

    return feedback(answer, structure=scored(2, "We had a disagreement about the launch date"),
                    ownership=scored(2, "I was the one who asked for the delay"), impact=scored(1, ""),
                    values=scored(2, "asked for the delay"), strength=feedback_line("strength"),
                    improvement=feedback_line("improve"), best_story=feedback_line("best story"),
                    say_instead=feedback_line("you could say").strip('"'))


def test_the_interview_example_is_what_coach_prints(tmp_path, endpoint):
    from coach.cli import Terminal, make_app
    from tests.test_interview import Endpoint

    shutil.copytree(ROOT / "stories", tmp_path / "stories", ignore=shutil.ignore_patterns(".coach"))
    (tmp_path / "answers.md").write_text(answers_file())
    interviewer = said("Interviewer")
    assert len(interviewer) == 3  # the question and two probes, the model's words
    answers = Endpoint([model_feedback(" ".join(said("You")[:2]))], list(interviewer))
    endpoint.side_effect = answers
    app = make_app(Terminal(now=lambda: STARTED))
    result = CliRunner().invoke(app, COMMAND.split()[1:])
    assert result.exit_code == 0, result.output
    real = [line.rstrip() for line in result.output.rstrip("\n").split("\n")]
    assert matches(shown(), real), "\n".join(["README shows:", *shown(), "", "coach prints:", *real])
    assert max(map(len, shown())) <= 80
    assert len(answers.sent) == 4 and not answers.questions and not answers.feedbacks
    assert (tmp_path / "stories" / "sessions" / "2026-11-24-212224.md").is_file()
    assert README.count(f"\n$ {COMMAND}\n") == 1
