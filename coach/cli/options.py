"""The options several commands share, and the parsing of the values they take."""

from pathlib import Path
from typing import Annotated

import typer

from coach.errors import CoachError

DEFAULT_BANK = Path("stories")


def complete_story(ctx: typer.Context, incomplete: str) -> list[str]:
    """Complete a STORY argument with the slugs of the bank's story files (those already typed left out)."""
    from coach.bank.listing import story_slugs

    typed = [word for value in ctx.params.values() if isinstance(value, list | tuple) for word in value]
    return story_slugs(ctx.params.get("stories") or DEFAULT_BANK, incomplete, typed)


StoriesDir = Annotated[
    Path,
    typer.Option("--stories", metavar="DIR", envvar="COACH_STORIES", help="Story bank folder.", show_default=True),
]
AsJson = Annotated[bool, typer.Option("--json", help="Print JSON for scripts.")]
Story = Annotated[str, typer.Argument(metavar="STORY", help="Story slug, type or path.", autocompletion=complete_story)]
Stories = Annotated[list[str] | None, typer.Argument(metavar="STORY", autocompletion=complete_story,
                                                      help="Story slugs, types or paths (default: all).")]
Model = Annotated[str | None, typer.Option("--model", metavar="NAME", help="Model name (default: $COACH_MODEL).")]
Fresh = Annotated[bool, typer.Option("--fresh", help="Ignore the cache and make a new call.")]
ShowPrompt = Annotated[bool, typer.Option("--show-prompt", help="Print the rendered prompt and make no call.")]


def window(value: str | None) -> tuple[int, int] | None:
    """Return --target as a window of seconds, low then high."""
    if value is None:
        return None
    low, _, high = value.partition("-")
    try:
        seconds = (int(low), int(high))
    except ValueError:
        raise CoachError(f"--target '{value}' is not a window like 45-60") from None
    if not 0 < seconds[0] <= seconds[1]:
        raise CoachError(f"--target '{value}' must be low-high seconds, like 45-60")
    return seconds


def rate(value: int | None) -> int | None:
    """Return --wpm checked against the same range as coach.yaml's words_per_minute."""
    from coach.bank.models import checked_rate

    try:
        return None if value is None else checked_rate(value)
    except ValueError as error:
        raise CoachError(f"--wpm {error}") from None


def one_action(*flags: tuple[str, bool]) -> None:
    """Refuse two options that do different things, naming them as typed: one_action(("--undo", undo), ...)."""
    chosen = [name for name, on in flags if on]
    if len(chosen) > 1:
        raise CoachError(f"{' and '.join(chosen)} do different things; use one at a time")
