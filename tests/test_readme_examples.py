"""The README's offline examples are real output: each is run on the bundled bank at 80 columns and compared.

A `...` line in an example stands for any lines the README leaves out; every other line must be what the command
prints, in order.
"""

from __future__ import annotations

import shutil
from datetime import datetime
from pathlib import Path

import pytest
from typer.testing import CliRunner

from coach.cli import app

ROOT = Path(__file__).resolve().parent.parent
README = (ROOT / "README.md").read_text()
EXAMPLES = ["coach import four-power-stories.md", "coach check", "coach check team", "coach status", "coach show learning",
            "coach companies", "coach companies show stripe", "coach questions --value candor --round peer"]


def example(command: str) -> list[str]:
    """Return the lines the README shows under `$ COMMAND`, up to the end of its code block."""
    block = README.split(f"\n$ {command}\n", 1)[1].split("\n```", 1)[0].split("\n\n$ ", 1)[0]
    return block.split("\n")


def matches(shown: list[str], real: list[str]) -> bool:
    """Say whether the README's lines are the real ones in order, each `...` standing for any lines left out."""
    at = 0
    for n, line in enumerate(shown):
        if line == "...":
            continue
        if n and shown[n - 1] == "...":
            while at < len(real) and real[at] != line:
                at += 1
        if at >= len(real) or real[at] != line:
            return False
        at += 1
    return shown[-1] == "..." or at == len(real)


@pytest.mark.parametrize("command", EXAMPLES)
def test_the_readme_example_is_what_the_command_prints(command, tmp_path):
    if command.startswith("coach import"):
        shutil.copy(ROOT / "tests" / "fixtures" / "four-power-stories.md", tmp_path)
    else:
        shutil.copytree(ROOT / "stories", tmp_path / "stories", ignore=shutil.ignore_patterns(".coach"))
    result = CliRunner().invoke(app, command.split()[1:])
    real = result.output.rstrip("\n").split("\n")
    assert matches(example(command), real), "\n".join(["README shows:", *example(command), "", "coach prints:", *real])


def test_the_comparison_catches_a_changed_line():
    assert matches(["a", "...", "d"], ["a", "b", "c", "d"])
    assert not matches(["a", "x", "...", "d"], ["a", "b", "c", "d"])
    assert not matches(["a", "b"], ["a", "b", "c"])




def readme_section(heading: str) -> str:
    """Return a `## ` section of the README, up to the next `## ` heading outside a code block."""
    lines, fenced = [], False
    for line in README.split(f"\n## {heading}\n", 1)[1].splitlines():
        fenced ^= line.startswith("```")
        if not fenced and line.startswith("## "):
            break
        lines.append(line)
    return "\n".join(lines)


WALKTHROUGH = readme_section("Start your own bank")
REFINED = [  # one model's answer for the walkthrough's draft: each sentence with the quotes of the draft it rests on
    ("In 2023 I was a backend engineer on the payments team at a travel startup, and our checkout failed for about 4% "
     "of card payments in Brazil.", ["In 2023 I was a backend engineer on the payments team at a travel startup",
                                     "Our checkout failed for about 4% of card payments in Brazil"]),
    ("The safe plan was to wait a quarter for the vendor's fix.", ["the safe plan was to wait a quarter for the vendor's fix"]),
    ("I took the risk of proposing something else: route Brazilian cards through a second processor, behind a flag.",
     ["I proposed instead that we route Brazilian cards through a second processor behind a flag"]),
    ("I wrote the adapter myself in two weeks, rolled it out to 5% of traffic first, and watched the error dashboards "
     "every day.", ["I wrote the adapter in two weeks, rolled it out to 5% of traffic first and watched the error dashboards daily"]),
    ("Failures there fell from 4% to under 1%, which recovered about $40,000 a month.",
     ["Failures there fell from 4% to under 1%, which recovered about $40,000 a month"]),
    ("And the team now ships risky changes behind flags by default.", ["the team now ships risky changes behind flags by default"]),
    ("That is the urgency and focus I would bring to Stripe: act early, keep the risk small, and measure it.",
     ["Move With Urgency and Focus"]),
]


def walkthrough_answer() -> dict:
    """Return the refine answer the walkthrough's `coach refine risk` shows."""
    from tests.llm_fixtures import refinement, sentences

    follow_up = [("Why not wait for the vendor?", "Waiting a quarter meant failed card payments in Brazil every day.",
                  "wait a quarter for the vendor's fix"),
                 ("How did you limit the risk?", "I rolled it out to 5% of traffic first, behind a flag.",
                  "rolled it out to 5% of traffic first"),
                 ("How did you measure the result?", "Failures there fell from 4% to under 1%.", "fell from 4% to under 1%")]
    return refinement(sentences=sentences(REFINED), changes=["Opened on the problem"],
                      coaching_notes=["Say who agreed to the second processor, and how you won them over."],
                      hooks=["Our checkout failed for 4% of card payments in Brazil."],
                      key_words=["second processor", "5% of traffic", "$40,000 a month"],
                      follow_ups=[{"question": q, "answer": [{"text": a, "sources": [s]}]} for q, a, s in follow_up])


def walkthrough_example(command: str) -> list[str]:
    """Return the lines the walkthrough shows under `$ COMMAND`."""
    return WALKTHROUGH.split(f"\n$ {command}\n", 1)[1].split("\n```", 1)[0].split("\n")


WALKTHROUGH_TODAY = datetime(2026, 12, 2, 9, 30)  # the day the walkthrough is run: its plan counts the days from it
INTERVIEWER = ["Tell me about a time you had to move fast on something risky. What did you do?",  # the model's words
               "Why not simply wait for the vendor's fix?", "How does that show moving with urgency and focus?"]


def walkthrough_typing(command: str) -> list[str]:
    """Return the lines the reader types in the walkthrough's interactive run of COMMAND: each `You: ` line and the
    lines under it, an empty line sending the answer, as a terminal echoes them."""
    typed, answering = [], False
    for line in walkthrough_example(command):
        if line.startswith("You: "):
            typed.append(line.removeprefix("You: "))
            answering = True
        elif answering:
            typed.append(line.removeprefix("     "))
            answering = bool(line)
    return typed


def walkthrough_feedback(typed: list[str]) -> dict:
    """Return the feedback answer on the walkthrough's interview answer, each score backed by the reader's words."""
    from tests.test_interview import feedback, scored

    return feedback(typed[0], structure=scored(4, "Our checkout failed for 4% of card payments in Brazil"),
                    ownership=scored(4, "I proposed a second processor"),
                    impact=scored(4, "Failures fell to under 1%"), values=scored(3, "the one fix that mattered most"),
                    strength="You opened on the problem and said what you did yourself.",
                    improvement="Close the answer itself on why this fix came before everything else.",
                    say_instead="I wrote the adapter in two weeks and rolled it out to 5% of traffic first.")


def test_the_start_your_own_bank_walkthrough_is_what_coach_prints(tmp_path, endpoint):
    import sys

    from coach.cli import Terminal, make_app
    from tests.test_interview import Endpoint

    interview = "coach interview --round manager -n 1 --story risk"
    typed = iter(walkthrough_typing(interview))

    def type_line(prompt: str) -> str:  # what a terminal shows: the prompt, then the line typed at it
        line = next(typed)
        sys.stdout.write(f"{prompt}{line}\n")
        return line

    answers = Endpoint([walkthrough_answer(), walkthrough_feedback(walkthrough_typing(interview))], list(INTERVIEWER))
    endpoint.side_effect = answers
    app = make_app(Terminal(now=lambda: WALKTHROUGH_TODAY, input=type_line, interactive=lambda: True))  # a terminal
    commands = [line.removeprefix("$ ") for line in WALKTHROUGH.splitlines() if line.startswith("$ coach ")]
    assert commands == ["coach init --company Stripe", "coach new risk", "coach check risk", "coach refine risk",
                        "coach practice risk --seconds 52", interview, "coach plan --date 2026-12-16"]
    for command in commands:
        if command == "coach check risk":  # the reader writes the draft the walkthrough shows
            draft = WALKTHROUGH.split("```markdown\n## Draft\n\n", 1)[1].split("\n```", 1)[0]
            story = tmp_path / "stories" / "risk.md"
            story.write_text(story.read_text().replace("## Draft\n", f"## Draft\n\n{draft}\n", 1))
        result = CliRunner().invoke(app, command.split()[1:])
        assert result.exit_code == 0, result.output
        real = [line.rstrip() for line in result.output.rstrip("\n").split("\n")]  # an empty line typed is blank
        shown = walkthrough_example(command)
        assert matches(shown, real), "\n".join(["README shows:", *shown, "", "coach prints:", *real])
        assert max(map(len, shown)) <= 80
    assert next(typed, None) is None, "the interview ended before the reader's typing did"
    assert len(answers.sent) == 5  # refine; the interviewer's question and two probes; the feedback
    assert not answers.questions and not answers.feedbacks


def test_the_log_examples_are_what_coach_log_prints(tmp_path):
    from coach.llm.calllog import CallLog, CallRecord

    log = CallLog.for_bank(tmp_path / "stories")
    log.record(CallRecord("refine", "gpt-5-mini", "api.openai.com", "ab", 900, 300, 3100, 1, "ok",
                          at="2026-11-24T10:02:11", story="risk"))
    log.record(CallRecord("refine", "gpt-5-mini", "api.openai.com", "cd", 1800, 620, 7400, 2, "ok",
                          at="2026-11-24T10:02:19", story="team", reasks=[[
                              "refined has 96 words; it must have 112-150 words to take 45-60 seconds at 150 words "
                              "per minute"]]))
    for command in ("coach log", "coach log --show 2"):
        real = CliRunner().invoke(app, command.split()[1:]).output.rstrip("\n").split("\n")
        assert matches(example(command), real), "\n".join(["README shows:", *example(command), "", "coach prints:", *real])


def test_the_refine_example_is_what_coach_refine_prints(tmp_path, endpoint):
    from tests.llm_fixtures import completion, refinement

    shutil.copytree(ROOT / "stories", tmp_path / "stories", ignore=shutil.ignore_patterns(".coach"))
    endpoint.respond(200, json=completion(refinement()))
    shown = readme_section("Commands").split("\n$ coach refine risk\n", 1)[1].split("\n\n$ ", 1)[0].split("\n")
    result = CliRunner().invoke(app, ["refine", "risk"])
    assert result.exit_code == 0, result.output
    real = result.output.rstrip("\n").split("\n")
    assert matches(shown, real), "\n".join(["README shows:", *shown, "", "coach prints:", *real])


def test_the_practice_line_the_readme_shows_is_how_coach_writes_a_take(tmp_path):
    import re

    shutil.copytree(ROOT / "stories", tmp_path / "stories", ignore=shutil.ignore_patterns(".coach"))
    shown = next(line for line in README.splitlines() if line.startswith("- {at: "))
    seconds = re.search(r"seconds: ([\d.]+)", shown).group(1)
    result = CliRunner().invoke(app, ["practice", "risk", "--seconds", seconds])
    assert result.exit_code == 0, result.output
    written = next(line for line in (tmp_path / "stories" / "risk.md").read_text().splitlines() if line.startswith("- {at: "))
    moment = r"'\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d'"
    assert re.fullmatch(moment, shown.split("at: ", 1)[1].split(",", 1)[0])
    assert re.sub(moment, "AT", written) == re.sub(moment, "AT", shown)
