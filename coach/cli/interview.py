"""`coach interview` and `coach sessions`: the mock interview's terminal driver, and the list of past sessions."""

import sys
from pathlib import Path
from typing import Annotated

import typer

from coach.cli.app import Output, Terminal
from coach.cli.options import DEFAULT_BANK, AsJson, Model, StoriesDir, complete_story
from coach.errors import CoachError


def add_commands(app: typer.Typer, out: Output, terminal: Terminal) -> None:
    """Declare `coach interview` and `coach sessions` on app."""

    @app.command("interview")
    def interview_command(
        questions: Annotated[int, typer.Option("--questions", "-n", metavar="N", help="How many main questions.")] = 3,
        values: Annotated[str | None, typer.Option("--values", metavar="LIST", help='Values to practise, e.g. "Candor,Courage" (default: those your stories cover least).')] = None,
        story: Annotated[str | None, typer.Option("--story", metavar="STORY", autocompletion=complete_story, help="Rehearse the questions one story should answer, its follow-ups included.")] = None,
        persona: Annotated[str, typer.Option("--persona", metavar="NAME", help="friendly, neutral or tough.")] = "neutral",
        answers: Annotated[Path | None, typer.Option("--answers", metavar="FILE", help="Take the answers from FILE, separated by lines of ---, instead of the terminal.")] = None,
        seed: Annotated[int | None, typer.Option("--seed", hidden=True, help="Seed the choice of questions.")] = None,
        model: Model = None,
        as_json: AsJson = False,
        stories: StoriesDir = DEFAULT_BANK,
    ) -> None:
        """Practise with a mock interviewer: questions, probes, scored feedback, and a saved transcript."""
        import random

        from coach import interview
        from coach.cli.jobs import engine_for

        bank = out.bank(stories)
        if not 1 <= questions <= 10:
            raise CoachError(f"--questions takes 1 to 10, not {questions}")
        if persona not in interview.PERSONAS:
            raise CoachError(f"--persona must be one of {', '.join(interview.PERSONAS)}, not '{persona}'")
        if as_json and answers is None:
            raise CoachError("--json needs --answers FILE: an interview without one talks to you in the terminal")
        if story and values:
            raise CoachError("--story rehearses that story's own questions and values; leave out --values")
        scripted = _scripted_answers(answers) if answers is not None else None
        planned = interview.plan(bank, questions, values.split(",") if values else None, story, random.Random(seed))
        engine, progress = engine_for(bank, model)
        talk = _talk(scripted, quiet=as_json, busy=progress.spinning)
        if not as_json:
            from coach.display.interview import interview_feedback

            talk.feedback = lambda r, session: out.say(interview_feedback(r, session))
        if not as_json:
            from coach.display.interview import interview_heading

            out.say(interview_heading(bank.settings(), planned, persona, live=scripted is None))
        session = interview.Interview(bank, engine, talk, persona).run(planned)
        if as_json:
            out.json(session.as_dict())
        else:
            from coach.display.interview import interview_report

            out.say("\n" + interview_report(session))

    @app.command("sessions")
    def sessions_command(as_json: AsJson = False, stories: StoriesDir = DEFAULT_BANK) -> None:
        """List past mock interviews with their average scores, to see progress over time."""
        from coach.display.interview import sessions_table
        from coach.interview import past_sessions

        rows, warnings = past_sessions(out.bank(stories))
        for warning in warnings:
            out.say(f"Warning: {warning}", err=True, wrap=True)
        out.show(rows, as_json, sessions_table)


def _scripted_answers(path: Path) -> list[tuple[str, str]]:
    """Read an answers file: blocks separated by `---` lines; a `--- probe` line marks a reply to a probe."""
    import re

    from coach.bank.folder import read_text

    parts = re.split(r"(?m)^---[ \t]*(probe)?[ \t]*$", read_text(path))
    blocks = [("answer", parts[0].strip())]
    blocks += [("probe" if marker else "answer", text.strip()) for marker, text in zip(parts[1::2], parts[2::2], strict=True)]
    return [(kind, text) for kind, text in blocks if text]


def _talk(scripted: list[str] | None, quiet: bool, busy):
    from coach.display.layout import StreamWrap, wrapped
    from coach.interview import Talk

    def write(text: str) -> None:
        sys.stdout.write(text)
        sys.stdout.flush()

    stream = StreamWrap(write)

    def line(text: str) -> None:
        if not quiet:
            stream.flush()
            stream.column = 0
            typer.echo(text)

    def hint(text: str) -> None:
        line("\n".join(wrapped(text, 2, "")))

    def words(text: str) -> None:
        if not quiet:
            stream.feed(text)

    if scripted is not None:
        queue = list(scripted)

        def read() -> str:
            if not queue:
                raise EOFError
            _, answer = queue.pop(0)
            line("\n".join(wrapped(answer, 5, "You:")))
            return answer

        def probe_ready() -> bool:
            return bool(queue) and queue[0][0] == "probe"

        return Talk(line, words, read, busy, probe_ready=probe_ready, hint=hint)

    def read_lines() -> str:
        lines: list[str] = []
        while True:
            text = input("You: " if not lines else "     ")
            if not text.strip():
                if lines:
                    return "\n".join(lines)
                continue
            if text.strip().startswith("/") and not lines:
                return text.strip()
            lines.append(text)

    return Talk(line, words, read_lines, busy, hint=hint)
