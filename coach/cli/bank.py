"""Commands over the bank's files that need no model: init, companies, new, import, check, status, export, show,
edit, diff and log."""

import os
import sys
from pathlib import Path
from typing import Annotated

import typer

from coach.cli.io import Output, Terminal, echo
from coach.cli.options import DEFAULT_BANK, AsJson, Stories, StoriesDir
from coach.errors import CoachError

StoryRef = Annotated[str, typer.Argument(metavar="STORY", help="Story slug, type or path.")]


def add_commands(app: typer.Typer, out: Output, terminal: Terminal) -> None:
    """Declare the bank's commands on app."""

    @app.command("init")
    def init_command(
        company: Annotated[str, typer.Option(metavar="NAME", help="The company: a built-in profile (`coach companies`), one in the bank's companies/, or any name with --values.")] = "generic",
        values: Annotated[str | None, typer.Option(metavar="LIST", help='The company\'s values, "Name: meaning; Name: meaning" (instead of a profile\'s).')] = None,
        role: Annotated[str, typer.Option(metavar="ROLE", help="The role you are interviewing for.")] = "",
        force: Annotated[bool, typer.Option("--force", help="Replace an existing coach.yaml.")] = False,
        as_json: AsJson = False,
        stories: StoriesDir = DEFAULT_BANK,
    ) -> None:
        """Create a story bank's coach.yaml for a target company, with its values."""
        from coach.bank.catalog import init_bank, written_settings

        bank = out.bank(stories)
        asking = values is None and not as_json and terminal.interactive()
        settings = init_bank(bank, company, role, force, values, ask=terminal.input if asking else None,
                            say=lambda text: out.say(text, wrap=True))
        from coach.display.companies import init_report

        chosen = str(stories) in (str(DEFAULT_BANK), os.environ.get("COACH_STORIES", ""))  # no --stories to repeat
        data = written_settings(bank)
        out.report(data, as_json, init_report(bank, settings, data["retag"], "" if chosen else f" --stories {stories}"))

    @app.command("companies")
    def companies_command(
        words: Annotated[list[str] | None, typer.Argument(metavar="[show NAME]", help="show NAME: print one profile's values and what each means.", show_default=False)] = None,
        as_json: AsJson = False,
        stories: StoriesDir = DEFAULT_BANK,
    ) -> None:
        """List the company profiles coach knows (built-in and the bank's own), or show one's values."""
        from coach.bank.companies import all_profiles, require_profile
        from coach.display.companies import profile_table, profile_view

        words = list(words or [])
        if words and words[0] == "show":
            words = words[1:]
            if not words:
                raise CoachError("name the company to show, e.g. `coach companies show Stripe`")
        root = Path(stories)
        if not words:
            profiles = all_profiles(root)
            out.show(profiles, as_json, profile_table)
            return
        profile = require_profile(" ".join(words), root)
        out.show(profile, as_json, lambda found: profile_view(found, root))

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

        bank = out.bank(stories)
        path = create_story(bank, story_type, title, force)
        data = created(path)
        trim = ""
        if len(data["values"]) > 1 and data["values"] == [value.name for value in bank.settings().values]:
            trim = " Its values: line lists all the bank's values; keep those this story shows."
        out.report(data, as_json, f"Created {path}: write your draft under ## Draft, then answer each #### question.{trim}")

    @app.command("import")
    def import_command(
        document: Annotated[Path, typer.Argument(metavar="DOC", help="A power-stories Markdown document.")],
        company: Annotated[str | None, typer.Option(metavar="NAME", help="Company profile (one `coach companies` lists, or one in the bank's companies/); overrides the document's.")] = None,
        force: Annotated[bool, typer.Option("--force", help="Replace existing story files (each old file is copied to the bank's replaced/ first) and add the settings coach.yaml lacks.")] = False,
        dry_run: Annotated[bool, typer.Option("--dry-run", help="List what the import would create, replace and keep, and write nothing.")] = False,
        yes: Annotated[bool, typer.Option("--yes", "-y", help="With --force on a terminal: replace without asking.")] = False,
        as_json: AsJson = False,
        stories: StoriesDir = DEFAULT_BANK,
    ) -> None:
        """Import a power-stories document into story files, adding its stories to the bank."""
        from coach.display.bank import import_summary
        from coach.document.importer import plan_import
        from coach.document.importplan import apply_import

        plan = plan_import(out.bank(stories), document, force, company, terminal.now())
        plan.dry_run = dry_run
        if not dry_run:
            if plan.replacing() and not (yes or as_json) and terminal.interactive() and not replace_agreed(plan):
                typer.echo("Nothing was imported.")
                return
            apply_import(plan)
        out.show(plan, as_json, import_summary)

    def replace_agreed(plan) -> bool:
        """List what `import --force` would replace and ask; only yes replaces, and end of input says no."""
        from coach.display.bank import replace_listing

        out.say(replace_listing(plan))
        try:
            answer = terminal.input(f"Replace {'them' if len(plan.replacing()) > 1 else 'it'}? [y/N] ")
        except EOFError:
            return False
        return answer.strip().lower() in ("y", "yes")

    @app.command("check")
    def check_command(refs: Stories = None, as_json: AsJson = False, stories: StoriesDir = DEFAULT_BANK) -> None:
        """Check stories against the method: timing, I vs we, metrics, repetition, invented numbers."""
        from coach.bank.sample import is_sample_bank
        from coach.display.bank import check_report
        from coach.method.check import check_bank

        reports = check_bank(out.bank(stories), refs or [])
        sample = not refs and is_sample_bank(Path(stories))
        out.show(reports, as_json, lambda found: check_report(found, sample))
        if any(report.has_errors for report in reports):
            raise typer.Exit(1)

    @app.command("status")
    def status_command(as_json: AsJson = False, stories: StoriesDir = DEFAULT_BANK) -> None:
        """Show the progress board and which company values your stories cover."""
        from coach.display.bank import status_board
        from coach.method.board import bank_status

        out.show(bank_status(out.bank(stories)), as_json, status_board)

    @app.command("export")
    def export_command(
        to: Annotated[Path | None, typer.Option("--out", metavar="FILE", help="Write to this file instead of standard output.")] = None,
        as_json: Annotated[bool, typer.Option("--json", help="With --out: print what was written as JSON.")] = False,
        stories: StoriesDir = DEFAULT_BANK,
    ) -> None:
        """Export the whole bank as one power-stories document."""
        from coach.document import exporter

        if to is None:
            if as_json:
                raise CoachError("--json reports the file --out writes; add --out FILE (the document itself is Markdown)")
            document = exporter.export_document(out.bank(stories))
            (echo if sys.stdout.isatty() else typer.echo)(document, nl=False)  # byte for byte into a file or pipe
            return
        out.report(exporter.export_file(out.bank(stories), to), as_json, f"Wrote {to}")

    @app.command("show")
    def show_command(ref: StoryRef, as_json: AsJson = False, stories: StoriesDir = DEFAULT_BANK) -> None:
        """Show a story in one screen: refined version and timing, hooks, key words, follow-ups and check findings."""
        from coach.display.story import story_view
        from coach.reading import show

        out.show(show(out.bank(stories), ref), as_json, story_view)

    @app.command("edit")
    def edit_command(ref: StoryRef, stories: StoriesDir = DEFAULT_BANK) -> None:
        """Open a story in $VISUAL or $EDITOR, then check it as saved (exit 1 on errors, like check)."""
        from coach.display.story import edit_report
        from coach.editor import edit

        edited = edit(out.bank(stories), ref)
        out.show(edited, False, edit_report)
        if edited.report.has_errors:
            raise typer.Exit(1)

    @app.command("diff")
    def diff_command(
        ref: StoryRef,
        against: Annotated[int, typer.Option("--against", metavar="N", help="Compare with the Nth earlier version, 1 = the latest.")] = 1,
        listing: Annotated[bool, typer.Option("--list", help="List the earlier refined versions with their dates.")] = False,
        as_json: AsJson = False,
        stories: StoriesDir = DEFAULT_BANK,
    ) -> None:
        """Show the words changed between the refined version and an earlier one kept under ## History."""
        from coach import versions
        from coach.display.story import diff_view, versions_list

        bank = out.bank(stories)
        if listing:
            out.show(versions.list_versions(bank, ref), as_json, versions_list)
        else:
            out.show(versions.diff(bank, ref, against), as_json, diff_view)

    @app.command("log")
    def log_command(
        limit: Annotated[int, typer.Option("--limit", "-n", metavar="N", help="How many calls to list.")] = 20,
        show: Annotated[int | None, typer.Option("--show", metavar="ID", help="Print one call with the answer it kept.")] = None,
        as_json: AsJson = False,
        stories: StoriesDir = DEFAULT_BANK,
    ) -> None:
        """List recent model calls with their tokens, latency and outcome."""
        from coach.display.calls import call_details, log_table
        from coach.llm.calllog import CallLog

        log = CallLog.for_bank(stories)
        if show is None:
            if limit < 1:
                raise CoachError(f"--limit takes how many calls to list, 1 or more, not {limit}")
            out.show(log.recent(limit), as_json, log_table)
            return
        call = log.call(show)
        if call is None:
            raise CoachError(f"no call {show} in the log; `coach log` lists the calls with their ids")
        if as_json:
            out.json(call.as_dict(full=True))
        else:
            out.show(call, False, call_details)
