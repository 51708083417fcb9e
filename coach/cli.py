"""The `coach` command line: parses options, calls one library function, prints the result."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer
from typer.core import TyperGroup

from coach.errors import CoachError


class CoachGroup(TyperGroup):
    """Turns every CoachError into one stderr line and its exit status, never a traceback."""

    def invoke(self, ctx: typer.Context):
        try:
            return super().invoke(ctx)
        except CoachError as error:
            typer.echo(f"Error: {error}", err=True)
            raise typer.Exit(error.exit_code) from None
        except KeyboardInterrupt:
            typer.echo("Interrupted; nothing was written.", err=True)
            raise typer.Exit(130) from None


app = typer.Typer(
    cls=CoachGroup,
    help="Coach behavioral interview answers from your own power stories.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)

StoriesDir = Annotated[
    Path,
    typer.Option("--stories", envvar="COACH_STORIES", help="Story bank folder.", show_default=True),
]
AsJson = Annotated[bool, typer.Option("--json", help="Print JSON for scripts.")]
DEFAULT_BANK = Path("stories")


def _bank(stories: Path):
    from coach.bank import Bank

    return Bank(stories)


def _echo_json(data) -> None:
    typer.echo(json.dumps(data, indent=2, ensure_ascii=False, default=str))


@app.command("init")
def init_command(
    company: Annotated[str, typer.Option(help="Company profile: netflix, amazon, generic, or one in the bank's companies/.")] = "generic",
    role: Annotated[str, typer.Option(help="The role you are interviewing for.")] = "",
    force: Annotated[bool, typer.Option("--force", help="Replace an existing coach.yaml.")] = False,
    stories: StoriesDir = DEFAULT_BANK,
) -> None:
    """Create a story bank's coach.yaml for a target company."""
    from coach.catalog import init_bank

    path = init_bank(_bank(stories), company, role, force)
    typer.echo(f"Wrote {path}")


@app.command("new")
def new_command(
    story_type: Annotated[str, typer.Argument(metavar="TYPE", help="risk, conflict, learning, team, failure, leadership, ambiguity, customer, ...")],
    title: Annotated[str | None, typer.Option(help="Story title (also names the file).")] = None,
    force: Annotated[bool, typer.Option("--force", help="Overwrite an existing file.")] = False,
    stories: StoriesDir = DEFAULT_BANK,
) -> None:
    """Create a story file with the type's extraction questions, ready to fill in."""
    from coach.catalog import create_story

    path = create_story(_bank(stories), story_type, title, force)
    typer.echo(f"Created {path}: write your draft under ## Draft, then answer each #### question.")


@app.command("import")
def import_command(
    document: Annotated[Path, typer.Argument(metavar="DOC", help="A power-stories Markdown document.")],
    force: Annotated[bool, typer.Option("--force", help="Overwrite existing story files.")] = False,
    stories: StoriesDir = DEFAULT_BANK,
) -> None:
    """Import a power-stories document into story files."""
    from coach.display import import_summary
    from coach.importer import import_into_bank

    results = import_into_bank(_bank(stories), document, force)
    typer.echo(import_summary(results))


@app.command("check")
def check_command(
    refs: Annotated[list[str] | None, typer.Argument(metavar="[STORY]...", help="Story slugs, types or paths (default: all).")] = None,
    as_json: AsJson = False,
    stories: StoriesDir = DEFAULT_BANK,
) -> None:
    """Check stories against the method: timing, I vs we, metrics, repetition, invented numbers."""
    from coach.check import check_bank
    from coach.display import check_report

    reports = check_bank(_bank(stories), refs or [])
    if as_json:
        _echo_json([report.as_dict() for report in reports])
    else:
        typer.echo(check_report(reports))
    if any(report.has_errors for report in reports):
        raise typer.Exit(1)


@app.command("status")
def status_command(as_json: AsJson = False, stories: StoriesDir = DEFAULT_BANK) -> None:
    """Show the progress board and which company values your stories cover."""
    from coach.board import bank_status
    from coach.display import status_board

    status = bank_status(_bank(stories))
    if as_json:
        _echo_json(status.as_dict())
    else:
        typer.echo(status_board(status))


@app.command("export")
def export_command(
    out: Annotated[Path | None, typer.Option("--out", help="Write to this file instead of standard output.")] = None,
    stories: StoriesDir = DEFAULT_BANK,
) -> None:
    """Export the whole bank as one power-stories document."""
    from coach.exporter import export_document

    text = export_document(_bank(stories))
    if out is None:
        typer.echo(text, nl=False)
        return
    from coach.bank import write_atomic

    write_atomic(out, text)
    typer.echo(f"Wrote {out}")


def main() -> None:
    """Run the coach command line."""
    app()
