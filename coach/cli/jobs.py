"""The commands that ask the model (refine, followups, analyze) and the interactive analyze walk: each command
checks its options, calls the use case, and prints what it returns."""

from collections.abc import Callable
from pathlib import Path
from typing import Annotated

import typer

from coach.cli import options
from coach.cli.io import Output, Terminal, echo
from coach.cli.model import configured, prompts
from coach.cli.options import DEFAULT_BANK, AsJson, Fresh, Model, ShowPrompt, StoriesDir, Story, complete_story
from coach.errors import CoachError, Interrupted


def add_commands(app: typer.Typer, out: Output, terminal: Terminal) -> None:
    """Declare the model's commands on app."""

    @app.command("refine")
    def refine_command(
        refs: Annotated[list[str] | None, typer.Argument(metavar="STORY", help="Story slugs, types or paths.", autocompletion=complete_story)] = None,
        every: Annotated[bool, typer.Option("--all", help="Refine every story, several at once.")] = False,
        show_prompt: ShowPrompt = False,
        target: Annotated[str | None, typer.Option("--target", metavar="LOW-HIGH", help="Target window in seconds, e.g. 45-60.")] = None,
        wpm: Annotated[int | None, typer.Option("--wpm", metavar="N", help="Speaking rate in words per minute.")] = None,
        model: Model = None,
        fresh: Fresh = False,
        explain: Annotated[bool, typer.Option("--explain", help="Show the last refine: each sentence, its quotes and its verdict (no call, no write).")] = False,
        as_json: AsJson = False,
        stories: StoriesDir = DEFAULT_BANK,
    ) -> None:
        """Refine stories with the LLM: spoken version, coaching notes, hooks, delivery and follow-ups."""
        from coach import refine

        bank = out.bank(stories)
        if explain:
            only_reads("--explain", show_prompt=show_prompt, target=target, wpm=wpm, model=model, fresh=fresh)
            explained(out, bank, refs or [], every, as_json)
            return
        window, wpm = options.window(target), options.rate(wpm)
        if show_prompt:
            prompts(as_json, bank, lambda own: [task.messages(own) for task in refine.refine_tasks(bank, refs or [], every, window, wpm)])
            return
        for ref in [] if every else refs or []:
            bank.resolve(ref)  # a story that is not there is said before a missing endpoint
        engine, progress = terminal.engine(bank, model)
        with progress.spinning(f"refining with {engine.settings.model} at {engine.settings.host}"):
            run = refine.refine_bank(bank, refs or [], engine, every=every, progress=progress, window=window, wpm=wpm,
                                     fresh=fresh)
        if len(run.outcomes) == 1 and (stop := run.stop()) is not None:
            raise stop
        if as_json:
            out.json(run)
        elif run.done:
            from coach.display.features import refine_report

            out.say(refine_report(run))
        for line in run.failures:
            out.say(line, err=True, wrap=True)
        if (stop := run.stop()) is not None:
            raise stop
        if run.failures:
            raise typer.Exit(1)

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
        from coach.display.features import followups_view

        bank = out.bank(stories)
        asked = followups.request(ids or [], generate, regenerate, every, note, pin, unpin, remove)
        if show_prompt and asked.asks_model:
            prompts(as_json, bank, lambda own: [followups.prompt(bank, ref, asked, own)])
            return
        outcome = followups.offline(bank, ref, asked)
        if outcome is None:
            engine, progress = terminal.engine(bank, model)
            with progress.spinning(f"{ref}: asking {engine.settings.model} at {engine.settings.host}"):
                outcome = followups.ask(bank, ref, asked, engine.about(Path(ref).stem), fresh)
        out.show(outcome, as_json, followups_view)

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
        from coach.display.features import analysis_view, open_question

        bank = out.bank(stories)
        if interactive and as_json:
            raise CoachError("--interactive talks to you in the terminal; leave out --json")
        outcome = analyze.plan(bank, ref)
        if show_prompt:
            prompts(as_json, bank, lambda own: [analyze.analyze_task(bank, outcome).messages(own)])
            return
        offline = analyze.offline_reason(outcome, accept_all, interactive, configured(model))
        if outcome.to_ask and offline is None:
            engine, progress = terminal.engine(bank, model)
            with progress.spinning(f"{outcome.slug}: asking {engine.settings.model} at {engine.settings.host}"):
                analyze.propose(bank, outcome, engine.about(outcome.slug), fresh)
        elif offline and outcome.to_ask and not as_json:
            out.say(f"({offline})", err=True, wrap=True)
        if accept_all:
            analyze.accept_all(bank, outcome)
        if interactive:
            asked = len(outcome.questions)
            out.say(f"{outcome.slug}: {asked} open question{'s' * (asked != 1)}. Every answer is saved at once.", wrap=True)
            done = walk(bank, outcome, echo, terminal.input, open_question)
            out.say(f"\n{len(done)} answer{'s' * (len(done) != 1)} saved to {outcome.path}.", wrap=True)
            return
        out.show(outcome, as_json, analysis_view)


def only_reads(flag: str, **given) -> None:
    """Refuse an option that only means something to a command that asks the model, beside a flag that only reads."""
    names = {"show_prompt": "--show-prompt", "target": "--target", "wpm": "--wpm", "model": "--model", "fresh": "--fresh"}
    for name, value in given.items():
        if value not in (None, False):
            raise CoachError(f"{flag} shows the last refine and asks no model; leave out {names[name]} (plain "
                             "`coach refine STORY` refines again)")


def explained(out: Output, bank, refs: list[str], every: bool, as_json: bool) -> None:
    """Print the last refine of each story named, from the call log or the file, asking nothing and writing nothing."""
    from coach import refine
    from coach.display.features import explanation_view
    from coach.llm.calllog import CallLog

    explanations = refine.explain(bank, refs, every, CallLog.for_bank(bank.root))
    out.show(explanations, as_json, explanation_view)


def walk(bank, outcome, say: Callable[[str], None], ask: Callable[[str], str], render) -> list:
    """Walk through each open question at the terminal: Enter accepts the proposal, typing replaces it, `s` skips,
    `q` quits. Every answer is saved at once, so quitting, Ctrl-C or the end of input keeps all answered so far.
    Return the questions answered."""
    from coach import analyze

    done: list = []
    items = [q for q in outcome.questions if q.status in analyze.WALKED]
    for position, item in enumerate(items, 1):
        say(render(item, position, len(items)))
        try:
            reply = ask("> ").strip()
        except EOFError:
            break
        except KeyboardInterrupt:
            raise Interrupted(analyze.walk_summary(done, outcome.path, "interrupted")) from None
        if reply.lower() == "q":
            break
        if reply.lower() == "s" or (not reply and not item.proposed):
            continue
        if analyze.answer_open(bank, outcome, item, reply or None):
            done.append(item)
        else:
            say("  (this question was answered or changed in the file meanwhile; left as it is)")
    return done
