"""`coach prompts`: list the prompts model jobs are asked with, show one's template, or copy coach's into the bank."""

from pathlib import Path
from typing import Annotated

import typer

from coach.cli.io import Output, Terminal, echo
from coach.cli.options import DEFAULT_BANK, AsJson, StoriesDir
from coach.errors import CoachError

USAGE = "`coach prompts`, `coach prompts show NAME` or `coach prompts copy NAME`"


def add_commands(app: typer.Typer, out: Output, terminal: Terminal) -> None:
    """Declare `coach prompts` on app."""

    @app.command("prompts")
    def prompts_command(
        words: Annotated[list[str] | None, typer.Argument(metavar="[show NAME | copy NAME]", help="show NAME: print the template the bank renders; copy NAME: put coach's into the bank's prompts/ to edit.", show_default=False)] = None,
        built_in: Annotated[bool, typer.Option("--built-in", help="With show: print coach's own template, not the bank's.")] = False,
        extend: Annotated[bool, typer.Option("--extend", help="With copy: write a template that extends coach's and changes one block.")] = False,
        as_json: AsJson = False,
        stories: StoriesDir = DEFAULT_BANK,
    ) -> None:
        """List the prompts the model is asked with (coach's, or the bank's own prompts/NAME.jinja), show or copy one."""
        from coach import prompting

        words = list(words or [])
        action = words.pop(0) if words else "list"
        root = Path(stories)
        if action not in ("list", "show", "copy") or len(words) > 1 or (action != "list" and not words):
            raise CoachError(f"use {USAGE}")
        if built_in and action != "show" or extend and action != "copy":
            raise CoachError(f"{'--built-in' if built_in else '--extend'} goes with "
                             f"`coach prompts {'show' if built_in else 'copy'} NAME`")
        if action == "show":
            if as_json:
                raise CoachError("`coach prompts show` prints the template as text; leave out --json")
            echo(prompting.prompt_text(root, words[0], built_in).rstrip("\n"))
        elif action == "copy":
            path = prompting.copy_prompt(root, words[0], extend)
            out.report({"path": str(path), "extends": extend}, as_json,
                       f"Wrote {path}: coach renders it instead of its own {words[0]} prompt. "
                       f"`coach prompts` checks it; `coach {command(words[0])} --show-prompt` shows what it sends.")
        else:
            from coach.display.prompts import prompts_view

            listing = prompting.list_prompts(root)
            out.show(listing, as_json, prompts_view)
            if listing.problems:
                raise typer.Exit(1)


def command(name: str) -> str:
    """Return the command whose --show-prompt renders prompt NAME."""
    return {"analyze": "analyze STORY", "feedback": "interview", "interviewer": "interview",
            "followups": "followups STORY --generate 3", "followup-answers": "followups STORY --regenerate"}.get(
        name, f"{name} STORY")
