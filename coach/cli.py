"""The `coach` command line: parses options, calls one library function, prints the result."""

# No `from __future__ import annotations` here: typer reads these annotations at every start, and evaluating them
# from strings costs ~10 ms.
import sys
from pathlib import Path
from typing import Annotated

import typer

from coach.errors import CoachError, Interrupted, file_system_message
from coach.helptext import PlainGroup, PlainTyper

SKIPPED_EXIT = 3
_banks: list = []  # the banks a command opened, to report the files they skipped


class CoachGroup(PlainGroup):
    """Turns every CoachError into one stderr line and its exit status, never a traceback."""

    def invoke(self, ctx: typer.Context):
        _banks.clear()
        try:
            super().invoke(ctx)
        except typer.Exit as done:
            skipped = _skipped()
            raise typer.Exit(done.exit_code or skipped) from None
        except Interrupted as interrupted:
            _skipped()
            _say(f"{str(interrupted)[:1].upper()}{str(interrupted)[1:]}.", err=True, wrap=True)
            raise typer.Exit(interrupted.exit_code) from None
        except CoachError as error:
            _skipped()
            _say(f"Error: {error}", err=True, wrap=True)
            raise typer.Exit(error.exit_code) from None
        except OSError as error:
            _skipped()
            _say(f"Error: {file_system_message(error)}", err=True, wrap=True)
            raise typer.Exit(2) from None
        except KeyboardInterrupt:
            _say("Interrupted; no file was left half-written.", err=True)
            raise typer.Exit(130) from None
        raise typer.Exit(_skipped())


def _skipped() -> int:
    """Warn once per file a bank left out, and return the exit status that says so (0 when none was)."""
    skipped = {path: reason for bank in _banks for path, reason in bank.skipped.items()}
    for reason in skipped.values():
        _say(f"Skipped {reason}", err=True, wrap=True)
    return SKIPPED_EXIT if skipped else 0


def _say(text: str, err: bool = False, wrap: bool = False) -> None:
    """Print text for people: wrapped to the terminal if asked, in colour on a terminal, plain in a pipe.

    Messages on stderr are wrapped on a terminal only: piped, each stays one line for scripts and logs to read.
    """
    stream = sys.stderr if err else sys.stdout
    if wrap and (not err or stream.isatty()):
        from coach.display.layout import paragraphs

        text = paragraphs(text, 2)
    from coach.display.terminal import colour_on

    if colour_on(stream):
        from coach.display.terminal import paint

        paint(text, stream)
    else:
        typer.echo(text, err=err)


app = PlainTyper(
    cls=CoachGroup,
    help="Coach behavioral interview answers from your own power stories.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
)


def _show_version(value: bool) -> None:
    """Print `coach X.Y.Z` and stop, before any command runs (importing nothing to find the version)."""
    if value:
        from coach import __version__

        typer.echo(f"coach {__version__}")
        raise typer.Exit()


@app.callback()
def _options(
    version: Annotated[bool, typer.Option("--version", is_eager=True, callback=_show_version, help="Print coach's version and exit.")] = False,
) -> None:
    """Take the options that come before a command."""


def _complete_story(ctx: typer.Context, incomplete: str) -> list[str]:
    """Complete a STORY argument with the slugs of the bank's story files (those already typed left out)."""
    from coach.bank.listing import story_slugs

    typed = [word for value in ctx.params.values() if isinstance(value, list | tuple) for word in value]
    return story_slugs(ctx.params.get("stories") or DEFAULT_BANK, incomplete, typed)


StoriesDir = Annotated[
    Path,
    typer.Option("--stories", metavar="DIR", envvar="COACH_STORIES", help="Story bank folder.", show_default=True),
]
AsJson = Annotated[bool, typer.Option("--json", help="Print JSON for scripts.")]
DEFAULT_BANK = Path("stories")
Story = Annotated[str, typer.Argument(metavar="STORY", help="Story slug, type or path.", autocompletion=_complete_story)]
Stories = Annotated[list[str] | None, typer.Argument(metavar="STORY", autocompletion=_complete_story,
                                                      help="Story slugs, types or paths (default: all).")]


def _bank(stories: Path):
    from coach.bank.folder import Bank

    _banks.append(Bank(stories))
    return _banks[-1]


def _echo_json(data) -> None:
    import json

    typer.echo(json.dumps(data, indent=2, ensure_ascii=False, default=str))


def _plain(result):
    """Return a result as plain data: its `as_dict()`, or a list of theirs."""
    if hasattr(result, "as_dict"):
        return result.as_dict()
    return [_plain(item) for item in result] if isinstance(result, list) else result


def _report(data, as_json: bool, text: str) -> None:
    """Print a command's result as JSON, or the one line that tells a person what it did."""
    if as_json:
        _echo_json(_plain(data))
    else:
        _say(text, wrap=True)


def _print(result, as_json: bool, view: str) -> None:
    """Print a command's result as JSON (its `as_dict()`), or as `coach.display.MODULE.FUNCTION` renders it for people."""
    if as_json:
        _echo_json(_plain(result))
        return
    import importlib

    module, _, function = view.rpartition(".")
    _say(getattr(importlib.import_module(f"coach.display.{module}"), function)(result))


@app.command("init")
def init_command(
    company: Annotated[str, typer.Option(metavar="NAME", help="Company profile: netflix, amazon, generic, or one in the bank's companies/.")] = "generic",
    role: Annotated[str, typer.Option(metavar="ROLE", help="The role you are interviewing for.")] = "",
    force: Annotated[bool, typer.Option("--force", help="Replace an existing coach.yaml.")] = False,
    as_json: AsJson = False,
    stories: StoriesDir = DEFAULT_BANK,
) -> None:
    """Create a story bank's coach.yaml for a target company."""
    from coach.bank.catalog import init_bank, written_settings

    bank = _bank(stories)
    path = init_bank(bank, company, role, force)
    _report(written_settings(bank), as_json, f"Wrote {path}")


@app.command("new")
def new_command(
    story_type: Annotated[str, typer.Argument(metavar="TYPE", help="risk, conflict, learning, team, failure, leadership, ambiguity, customer, ...")],
    title: Annotated[str | None, typer.Option(metavar="TITLE", help="Story title (also names the file).")] = None,
    force: Annotated[bool, typer.Option("--force", help="Overwrite an existing file.")] = False,
    as_json: AsJson = False,
    stories: StoriesDir = DEFAULT_BANK,
) -> None:
    """Create a story file with the type's extraction questions, ready to fill in."""
    from coach.bank.catalog import create_story, created

    path = create_story(_bank(stories), story_type, title, force)
    _report(created(path), as_json, f"Created {path}: write your draft under ## Draft, then answer each #### question.")


@app.command("import")
def import_command(
    document: Annotated[Path, typer.Argument(metavar="DOC", help="A power-stories Markdown document.")],
    company: Annotated[str | None, typer.Option(metavar="NAME", help="Company profile (netflix, amazon, generic, or one in the bank's companies/); overrides the document's.")] = None,
    force: Annotated[bool, typer.Option("--force", help="Overwrite existing story files.")] = False,
    as_json: AsJson = False,
    stories: StoriesDir = DEFAULT_BANK,
) -> None:
    """Import a power-stories document into story files."""
    from coach.document.importer import import_into_bank

    results = import_into_bank(_bank(stories), document, force, company)
    _print(results, as_json, "bank.import_summary")


@app.command("check")
def check_command(
    refs: Stories = None,
    as_json: AsJson = False,
    stories: StoriesDir = DEFAULT_BANK,
) -> None:
    """Check stories against the method: timing, I vs we, metrics, repetition, invented numbers."""
    from coach.method.check import check_bank

    reports = check_bank(_bank(stories), refs or [])
    _print(reports, as_json, "bank.check_report")
    if any(report.has_errors for report in reports):
        raise typer.Exit(1)


@app.command("status")
def status_command(as_json: AsJson = False, stories: StoriesDir = DEFAULT_BANK) -> None:
    """Show the progress board and which company values your stories cover."""
    from coach.method.board import bank_status

    _print(bank_status(_bank(stories)), as_json, "bank.status_board")


@app.command("export")
def export_command(
    out: Annotated[Path | None, typer.Option("--out", metavar="FILE", help="Write to this file instead of standard output.")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="With --out: print what was written as JSON.")] = False,
    stories: StoriesDir = DEFAULT_BANK,
) -> None:
    """Export the whole bank as one power-stories document."""
    from coach.document import exporter

    if out is None:
        if as_json:
            raise CoachError("--json reports the file --out writes; add --out FILE (the document itself is Markdown)")
        typer.echo(exporter.export_document(_bank(stories)), nl=False)
        return
    _report(exporter.export_file(_bank(stories), out), as_json, f"Wrote {out}")


def _window(value: str | None) -> tuple[int, int] | None:
    if value is None:
        return None
    low, _, high = value.partition("-")
    try:
        window = (int(low), int(high))
    except ValueError:
        raise CoachError(f"--target '{value}' is not a window like 45-60") from None
    if not 0 < window[0] <= window[1]:
        raise CoachError(f"--target '{value}' must be low-high seconds, like 45-60")
    return window


def _rate(value: int | None) -> int | None:
    """Return --wpm checked against the same range as coach.yaml's words_per_minute."""
    from coach.bank.models import checked_rate

    try:
        return None if value is None else checked_rate(value)
    except ValueError as error:
        raise CoachError(f"--wpm {error}") from None


@app.command("refine")
def refine_command(
    refs: Annotated[list[str] | None, typer.Argument(metavar="STORY", help="Story slugs, types or paths.", autocompletion=_complete_story)] = None,
    every: Annotated[bool, typer.Option("--all", help="Refine every story, several at once.")] = False,
    show_prompt: Annotated[bool, typer.Option("--show-prompt", help="Print the rendered prompt and make no call.")] = False,
    target: Annotated[str | None, typer.Option("--target", metavar="LOW-HIGH", help="Target window in seconds, e.g. 45-60.")] = None,
    wpm: Annotated[int | None, typer.Option("--wpm", metavar="N", help="Speaking rate in words per minute.")] = None,
    model: Annotated[str | None, typer.Option("--model", metavar="NAME", help="Model name (default: $COACH_MODEL).")] = None,
    fresh: Annotated[bool, typer.Option("--fresh", help="Ignore the cache and make a new call.")] = False,
    explain: Annotated[bool, typer.Option("--explain", help="Print each refined sentence with the words of yours it rests on.")] = False,
    as_json: AsJson = False,
    stories: StoriesDir = DEFAULT_BANK,
) -> None:
    """Refine stories with the LLM: spoken version, coaching notes, hooks, delivery and follow-ups."""
    bank, window, wpm = _bank(stories), _window(target), _rate(wpm)
    if show_prompt and as_json:
        raise CoachError("--show-prompt prints the prompt as text; leave out --json")
    if show_prompt:
        from coach.display.calls import prompt_text
        from coach.refine import refine_prompts

        for messages in refine_prompts(bank, refs or [], every, window, wpm):
            typer.echo(prompt_text(messages))
        return
    engine, progress = _engine(bank, model)
    from coach.refine import refine_bank

    with progress.spinning(f"refining with {engine.settings.model} at {engine.settings.host}"):
        outcomes = refine_bank(bank, refs or [], engine, every=every, progress=progress, window=window, wpm=wpm,
                               fresh=fresh)
    _report_refine(outcomes, explain, as_json)


def _engine(bank, model: str | None):
    """Return the engine for a command that asks the model, and the progress display it reports to."""
    from coach.llm.settings import require_endpoint, settings_from_env

    settings = settings_from_env(model=model)
    require_endpoint(settings)
    from coach.display.terminal import Progress
    from coach.llm.calllog import CallLog
    from coach.llm.engine import Engine

    progress = Progress()
    engine = Engine(settings, log=CallLog.for_bank(bank.root), on_event=progress.event, on_status=progress.status)
    return engine, progress


def _configured(model: str | None) -> bool:
    """Return True when a model endpoint is configured (a key or a base URL)."""
    from coach.llm.settings import settings_from_env

    settings = settings_from_env(model=model)
    return bool(settings.api_key or settings.base_url)


def _report_refine(outcomes, explain: bool, as_json: bool = False) -> None:
    """Print what was refined on stdout and each failure once on stderr; exit 1 if any story failed."""
    from coach.display.features import refine_report
    from coach.llm.engine import EndpointDown

    done = [o for o in outcomes if o.merge is not None]
    failed = [o for o in outcomes if o.error is not None]
    if len(outcomes) == 1 and failed:
        raise failed[0].error
    if as_json:
        _echo_json(_plain(outcomes))
    elif done:
        _say(refine_report(done, explain))
    down = next((o.error for o in failed if isinstance(o.error, EndpointDown)), None)
    for outcome in failed:
        if not isinstance(outcome.error, EndpointDown):
            _say(f"{outcome.slug}: not refined: {outcome.error}", err=True, wrap=True)
    if down is not None:  # the endpoint itself failed: say it once, not per story
        raise type(down)(f"{down}; {len(outcomes) - len(done)} of {len(outcomes)} stories were left as they were")
    if failed:
        raise typer.Exit(1)


Model = Annotated[str | None, typer.Option("--model", metavar="NAME", help="Model name (default: $COACH_MODEL).")]
Fresh = Annotated[bool, typer.Option("--fresh", help="Ignore the cache and make a new call.")]
ShowPrompt = Annotated[bool, typer.Option("--show-prompt", help="Print the rendered prompt and make no call.")]


@app.command("followups")
def followups_command(
    ref: Story,
    ids: Annotated[list[str] | None, typer.Argument(metavar="ID", help="Follow-up ids, as listed.")] = None,
    generate: Annotated[int | None, typer.Option("--generate", metavar="N", help="Ask for N new follow-up questions with answers.")] = None,
    regenerate: Annotated[bool, typer.Option("--regenerate", help="Rewrite the answers of the named ids.")] = False,
    every: Annotated[bool, typer.Option("--all", help="With --regenerate: every answer coach wrote, except pinned or hand-edited ones.")] = False,
    note: Annotated[str, typer.Option("--note", metavar="WORDS", help='Steer the model, e.g. "shorter, mention the on-call metrics".')] = "",
    pin: Annotated[bool, typer.Option("--pin", help="Pin the named ids: --all never regenerates them.")] = False,
    unpin: Annotated[bool, typer.Option("--unpin", help="Unpin the named ids.")] = False,
    remove: Annotated[bool, typer.Option("--remove", help="Remove the named ids (kept under ## History).")] = False,
    model: Model = None,
    fresh: Fresh = False,
    show_prompt: ShowPrompt = False,
    as_json: AsJson = False,
    stories: StoriesDir = DEFAULT_BANK,
) -> None:
    """List a story's follow-up questions by id; generate, regenerate, pin or remove them."""
    from coach import followups

    bank, ids = _bank(stories), ids or []
    regenerate = regenerate or every
    actions = [name for name, on in (("--generate", generate is not None), ("--regenerate", regenerate), ("--pin", pin),
                                     ("--unpin", unpin), ("--remove", remove)) if on]
    if len(actions) > 1:
        raise CoachError(f"{' and '.join(actions)} do different things; use one at a time")
    if generate is not None and not 1 <= generate <= followups.MAX_NEW:
        raise CoachError(f"--generate takes 1 to {followups.MAX_NEW} questions at a time, not {generate}")
    if note and not (generate is not None or regenerate):
        raise CoachError("--note steers --generate or --regenerate; add one of them")
    if ids and generate is not None:
        raise CoachError("--generate adds new questions; leave out the ids (or use --regenerate to rewrite them)")
    if ids and every:
        raise CoachError("--all regenerates every answer coach wrote; name ids or pass --all, not both")
    if pin or unpin:
        outcome = followups.set_pins(bank, ref, ids, pinned=pin)
    elif remove:
        outcome = followups.remove(bank, ref, ids)
    elif generate is not None or regenerate:
        if show_prompt:
            typer.echo(_followups_prompt(bank, ref, ids, generate, every, note))
            return
        outcome = _ask_followups(bank, ref, ids, generate, every, note, model, fresh)
    else:
        outcome = followups.show(bank, ref)
        all_ids = outcome.story.follow_up_ids()
        outcome.only = [all_ids[p] for p in followups.chosen(outcome.story, ids, outcome.slug)]
    _print(outcome, as_json, "features.followups_view")


def _followups_prompt(bank, ref, ids, generate, every, note) -> str:
    from coach import followups
    from coach.display.calls import prompt_text
    from coach.llm.prompts import render_prompt

    outcome = followups.show(bank, ref)
    if generate is not None:
        variables = followups.generate_variables(outcome.story, outcome.settings, generate, note)
        return prompt_text(render_prompt("followups", **variables))
    positions, skipped = followups.regenerable(outcome.story, ids, every, outcome.slug)
    if not positions:
        return "Nothing to regenerate, so no prompt: " + ", ".join(f"{fid} ({why})" for fid, why in skipped.items())
    variables = followups.regenerate_variables(outcome.story, outcome.settings, positions, note)
    return prompt_text(render_prompt("followup-answers", **variables))


def _ask_followups(bank, ref, ids, generate, every, note, model, fresh):
    from coach import followups

    if generate is None:  # --all with nothing to rewrite needs no model
        outcome = followups.show(bank, ref)
        positions, skipped = followups.regenerable(outcome.story, ids, every, outcome.slug)
        if not positions:
            outcome.action, outcome.skipped = "regenerate", skipped
            return outcome
    engine, progress = _engine(bank, model)
    with progress.spinning(f"{ref}: asking {engine.settings.model} at {engine.settings.host}"):
        if generate is not None:
            return followups.generate(bank, ref, engine, generate, note, fresh)
        return followups.regenerate(bank, ref, engine, ids, every, note, fresh)


@app.command("analyze")
def analyze_command(
    ref: Story,
    interactive: Annotated[bool, typer.Option("--interactive", "-i", help="Walk through each open question: Enter accepts, typing replaces, s skips, q quits.")] = False,
    accept_all: Annotated[bool, typer.Option("--accept-all", help="Accept every proposal as your answer.")] = False,
    model: Model = None,
    fresh: Fresh = False,
    show_prompt: ShowPrompt = False,
    as_json: AsJson = False,
    stories: StoriesDir = DEFAULT_BANK,
) -> None:
    """Propose answers to the open extraction questions from your draft, and list the gaps only you can fill."""
    from coach import analyze

    bank = _bank(stories)
    if interactive and as_json:
        raise CoachError("--interactive talks to you in the terminal; leave out --json")
    outcome = analyze.plan(bank, ref)
    if show_prompt:
        from coach.display.calls import prompt_text
        from coach.llm.prompts import render_prompt

        variables = analyze.analyze_variables(outcome.story, bank.settings(), outcome.to_ask)
        typer.echo(prompt_text(render_prompt("analyze", **variables)))
        return
    offline = None
    if accept_all and outcome.proposals:
        offline = "accepting the proposals already in the file; `coach analyze` reads the draft for the rest"
    elif interactive and not _configured(model):
        offline = "no model configured (OPENAI_API_KEY or OPENAI_BASE_URL): walking with the proposals already in the file"
    if outcome.to_ask and offline is None:
        engine, progress = _engine(bank, model)
        with progress.spinning(f"{outcome.slug}: asking {engine.settings.model} at {engine.settings.host}"):
            analyze.propose(bank, outcome, engine, fresh)
    elif offline and outcome.to_ask and not as_json:
        _say(f"({offline})", err=True, wrap=True)
    if accept_all:
        analyze.accept_all(bank, outcome)
    if interactive:
        from coach.display.features import open_question

        _say(f"{outcome.slug}: {len(outcome.questions)} open question(s). Every answer is saved at once.", wrap=True)
        done = analyze.walk(bank, outcome, analyze.Walk(typer.echo, input), open_question)
        _say(f"\n{len(done)} answer{'s' * (len(done) != 1)} saved to {outcome.path}.", wrap=True)
        return
    _print(outcome, as_json, "features.analysis_view")


@app.command("show")
def show_command(
    ref: Annotated[str, typer.Argument(metavar="STORY", help="Story slug, type or path.")],
    as_json: AsJson = False,
    stories: StoriesDir = DEFAULT_BANK,
) -> None:
    """Show a story in one screen: refined version and timing, hooks, key words, follow-ups and check findings."""
    from coach.reading import show

    _print(show(_bank(stories), ref), as_json, "story.story_view")


@app.command("edit")
def edit_command(
    ref: Annotated[str, typer.Argument(metavar="STORY", help="Story slug, type or path.")],
    stories: StoriesDir = DEFAULT_BANK,
) -> None:
    """Open a story in $VISUAL or $EDITOR, then check it as saved (exit 1 on errors, like check)."""
    from coach.editor import edit

    edited = edit(_bank(stories), ref)
    _print(edited, False, "story.edit_report")
    if edited.report.has_errors:
        raise typer.Exit(1)


@app.command("diff")
def diff_command(
    ref: Annotated[str, typer.Argument(metavar="STORY", help="Story slug, type or path.")],
    against: Annotated[int, typer.Option("--against", metavar="N", help="Compare with the Nth earlier version, 1 = the latest.")] = 1,
    listing: Annotated[bool, typer.Option("--list", help="List the earlier refined versions with their dates.")] = False,
    as_json: AsJson = False,
    stories: StoriesDir = DEFAULT_BANK,
) -> None:
    """Show the words changed between the refined version and an earlier one kept under ## History."""
    from coach import versions

    bank = _bank(stories)
    if listing:
        _print(versions.list_versions(bank, ref), as_json, "story.versions_list")
        return
    _print(versions.diff(bank, ref, against), as_json, "story.diff_view")


@app.command("interview")
def interview_command(
    questions: Annotated[int, typer.Option("--questions", "-n", metavar="N", help="How many main questions.")] = 3,
    values: Annotated[str | None, typer.Option("--values", metavar="LIST", help='Values to practise, e.g. "Candor,Courage" (default: those your stories cover least).')] = None,
    story: Annotated[str | None, typer.Option("--story", metavar="STORY", autocompletion=_complete_story, help="Rehearse the questions one story should answer, its follow-ups included.")] = None,
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

    bank = _bank(stories)
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
    engine, progress = _engine(bank, model)
    talk = _talk(scripted, quiet=as_json, busy=progress.spinning)
    if not as_json:
        from coach.display.interview import interview_feedback

        talk.feedback = lambda r, session: _say(interview_feedback(r, session))
    if not as_json:
        from coach.display.interview import interview_heading

        _say(interview_heading(bank.settings(), planned, persona, live=scripted is None))
    session = interview.Interview(bank, engine, talk, persona).run(planned)
    if as_json:
        _echo_json(session.as_dict())
    else:
        from coach.display.interview import interview_report

        _say("\n" + interview_report(session))


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


@app.command("sessions")
def sessions_command(as_json: AsJson = False, stories: StoriesDir = DEFAULT_BANK) -> None:
    """List past mock interviews with their average scores, to see progress over time."""
    from coach.interview import past_sessions

    rows, warnings = past_sessions(_bank(stories))
    for warning in warnings:
        _say(f"Warning: {warning}", err=True, wrap=True)
    _print(rows, as_json, "interview.sessions_table")


@app.command("log")
def log_command(
    limit: Annotated[int, typer.Option("--limit", "-n", metavar="N", help="How many calls to list.")] = 20,
    show: Annotated[int | None, typer.Option("--show", metavar="ID", help="Print one call with the answer it kept.")] = None,
    as_json: AsJson = False,
    stories: StoriesDir = DEFAULT_BANK,
) -> None:
    """List recent model calls with their tokens, latency and outcome."""
    from coach.llm.calllog import CallLog

    log = CallLog.for_bank(stories)
    if show is None:
        if limit < 1:
            raise CoachError(f"--limit takes how many calls to list, 1 or more, not {limit}")
        _print(log.recent(limit), as_json, "calls.log_table")
        return
    call = log.call(show)
    if call is None:
        raise CoachError(f"no call {show} in the log; `coach log` lists the calls with their ids")
    if as_json:
        _echo_json(call.as_dict(full=True))
    else:
        _print(call, False, "calls.call_details")


@app.command("practice")
def practice_command(
    ctx: typer.Context,
    ref: Annotated[str | None, typer.Argument(metavar="[STORY]", help="Story slug, type or path.")] = None,
    seconds: Annotated[float | None, typer.Option("--seconds", help="Record a take timed elsewhere (up to 600).")] = None,
    cue: Annotated[bool, typer.Option("--cue", help="Show only the hook and key words, not the full text.")] = False,
    yes: Annotated[bool, typer.Option("--yes", "-y", help="Record a take under a third of the target's low end without asking.")] = False,
    undo: Annotated[bool, typer.Option("--undo", help="Remove the story's last take from its practice log.")] = False,
    history: Annotated[bool, typer.Option("--history", help="List the takes with a chart against the target.")] = False,
    calibrate: Annotated[bool, typer.Option("--calibrate", help="Save your measured speaking rate to the bank settings.")] = False,
    as_json: AsJson = False,
    stories: StoriesDir = DEFAULT_BANK,
) -> None:
    """Rehearse a story out loud with a stopwatch and record the take in its practice log."""
    from coach import practice

    bank = _bank(stories)
    actions = [name for name, on in (("--seconds", seconds is not None), ("--undo", undo), ("--history", history),
                                     ("--calibrate", calibrate)) if on]
    if len(actions) > 1:
        raise CoachError(f"{' and '.join(actions)} do different things; use one at a time")
    if calibrate:
        _print(practice.calibrate(bank), as_json, "practice.calibration_view")
        return
    if ref is None:
        raise CoachError("name the story to practise, e.g. `coach practice risk`")
    path = bank.resolve(ref)
    if undo:
        _print(practice.undo_take(bank, path), as_json, "practice.undo_view")
    elif history:
        _print(practice.take_history(bank, path), as_json, "practice.history_view")
    else:
        verdict = _practice_take(ctx.obj or {}, bank, path, seconds, cue, yes, as_json)
        if verdict is None:
            typer.echo("Nothing was recorded.")
        else:
            _print(verdict, as_json, "practice.verdict_view")


def _practice_take(injected: dict, bank, path: Path, seconds: float | None, cue: bool, yes: bool, as_json: bool):
    """Time a take live (or take --seconds), ask about one that looks like a slip, and record it."""
    from datetime import datetime

    from coach import practice

    ask = injected.get("input", input)
    if seconds is None:
        if as_json:
            raise CoachError("--json needs --seconds: a live take talks to you in the terminal")
        seconds = _time_live(injected, bank, path, cue, ask)
    else:  # ask about a slip only a person at a terminal can answer; a script is refused unless --yes
        interactive = injected.get("interactive", sys.stdin.isatty()) and not as_json
        ask = ask if interactive else None
    now = injected.get("now", datetime.now)
    return practice.record_take(bank, path, seconds, now(), ask=ask, sure=yes)


def _time_live(injected: dict, bank, path: Path, cue: bool, ask) -> float:
    """Show the script and time one take between two Enter presses, with a live stopwatch on a terminal."""
    import time

    from coach import practice
    from coach.bank.folder import load_story
    from coach.display.practice import script_view

    story, settings = load_story(path), bank.settings()
    practice.require_refined(story, path)
    typer.echo(script_view(story, settings, cue) + "\n")
    clock = injected.get("clock", time.monotonic)
    window = practice.window_of(story, settings)
    live = practice.LiveTimer(clock, window, lambda s: typer.echo(s, nl=False)) if sys.stdout.isatty() else None
    try:
        seconds = practice.time_take(ask, clock, live)
    except EOFError:
        raise CoachError("the take was not finished (input ended); nothing was recorded") from None
    except KeyboardInterrupt:
        raise Interrupted("interrupted; nothing was recorded") from None
    typer.echo("")
    return seconds


def main() -> None:
    """Run the coach command line."""
    app()
