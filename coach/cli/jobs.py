"""The commands that ask the model: refine, followups and analyze."""

from typing import Annotated

import typer

from coach.cli import options
from coach.cli.app import Output, Terminal
from coach.cli.options import DEFAULT_BANK, AsJson, Fresh, Model, ShowPrompt, StoriesDir, Story, complete_story
from coach.errors import CoachError


def add_commands(app: typer.Typer, out: Output, terminal: Terminal) -> None:
    """Declare the model's commands on app."""

    @app.command("refine")
    def refine_command(
        refs: Annotated[list[str] | None, typer.Argument(metavar="STORY", help="Story slugs, types or paths.", autocompletion=complete_story)] = None,
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
        bank, window, wpm = out.bank(stories), options.window(target), options.rate(wpm)
        if show_prompt and as_json:
            raise CoachError("--show-prompt prints the prompt as text; leave out --json")
        if show_prompt:
            from coach.display.calls import prompt_text
            from coach.refine import refine_prompts

            for messages in refine_prompts(bank, refs or [], every, window, wpm):
                typer.echo(prompt_text(messages))
            return
        engine, progress = engine_for(bank, model)
        from coach.refine import refine_bank

        with progress.spinning(f"refining with {engine.settings.model} at {engine.settings.host}"):
            outcomes = refine_bank(bank, refs or [], engine, every=every, progress=progress, window=window, wpm=wpm,
                                   fresh=fresh)
        _report_refine(out, outcomes, explain, as_json)


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

        bank, ids = out.bank(stories), ids or []
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
        from coach.display.features import followups_view

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

        bank = out.bank(stories)
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
            engine, progress = engine_for(bank, model)
            with progress.spinning(f"{outcome.slug}: asking {engine.settings.model} at {engine.settings.host}"):
                analyze.propose(bank, outcome, engine, fresh)
        elif offline and outcome.to_ask and not as_json:
            out.say(f"({offline})", err=True, wrap=True)
        if accept_all:
            analyze.accept_all(bank, outcome)
        if interactive:
            from coach.display.features import open_question

            out.say(f"{outcome.slug}: {len(outcome.questions)} open question(s). Every answer is saved at once.", wrap=True)
            done = analyze.walk(bank, outcome, analyze.Walk(typer.echo, terminal.input), open_question)
            out.say(f"\n{len(done)} answer{'s' * (len(done) != 1)} saved to {outcome.path}.", wrap=True)
            return
        from coach.display.features import analysis_view

        out.show(outcome, as_json, analysis_view)




def engine_for(bank, model: str | None):
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


def _report_refine(out: Output, outcomes, explain: bool, as_json: bool = False) -> None:
    """Print what was refined on stdout and each failure once on stderr; exit 1 if any story failed."""
    from coach.display.features import refine_report
    from coach.llm.engine import EndpointDown

    done = [o for o in outcomes if o.merge is not None]
    failed = [o for o in outcomes if o.error is not None]
    if len(outcomes) == 1 and failed:
        raise failed[0].error
    if as_json:
        out.json(outcomes)
    elif done:
        out.say(refine_report(done, explain))
    down = next((o.error for o in failed if isinstance(o.error, EndpointDown)), None)
    for outcome in failed:
        if not isinstance(outcome.error, EndpointDown):
            out.say(f"{outcome.slug}: not refined: {outcome.error}", err=True, wrap=True)
    if down is not None:  # the endpoint itself failed: say it once, not per story
        raise type(down)(f"{down}; {len(outcomes) - len(done)} of {len(outcomes)} stories were left as they were")
    if failed:
        raise typer.Exit(1)


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
    engine, progress = engine_for(bank, model)
    with progress.spinning(f"{ref}: asking {engine.settings.model} at {engine.settings.host}"):
        if generate is not None:
            return followups.generate(bank, ref, engine, generate, note, fresh)
        return followups.regenerate(bank, ref, engine, ids, every, note, fresh)

