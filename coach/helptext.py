"""How coach's commands read in --help: plain labels, as a person would write them in a man page.

Typer labels every parameter with its Python type (`--force <bool>`, `STORY <list[str]>`) and braces a required
argument in the usage line (`{DOC}`). Here a flag has no label, an option shows its metavar (`--out FILE`), an
argument its name alone, and the usage line reads `DOC`, `[STORY]` or `[STORY]...`, as click writes them.
"""

from __future__ import annotations

import typer
from typer.core import TyperArgument, TyperCommand, TyperGroup, TyperOption


class PlainArgument(TyperArgument):
    """An argument shown by its name only: `STORY...` in the list, `[STORY]...` in the usage line."""

    @property
    def bare_name(self) -> str:
        """Return the argument's name alone: its metavar without the brackets or dots it may be written with."""
        return (self.metavar or "").strip("[].") or (self.name or "value").upper()

    @property
    def display_name_raw(self) -> str:
        return self.bare_name + ("..." if self.nargs != 1 else "")

    def display_type_rich(self, ctx: typer.Context) -> str | None:
        return None

    def _rich_display_name(self) -> str:
        return self.display_name_raw

    def _usage_display_name(self) -> str:
        name = self.bare_name if self.required else f"[{self.bare_name}]"
        return name + ("..." if self.nargs != 1 else "")


class PlainOption(TyperOption):
    """An option shown with its metavar (`--out FILE`), its name in capitals without one, and nothing for a flag."""

    def display_type_rich(self, ctx: typer.Context) -> str | None:
        if self.is_flag or self.count:
            return None
        return self.metavar or (self.name or "value").upper()


def plain(params: list) -> list:
    """Give typer's parameters their plain labels (in place) and return them."""
    for param in params:
        if type(param) is TyperArgument:
            param.__class__ = PlainArgument  # typer builds its own classes; these only change how they are shown
        elif type(param) is TyperOption:
            param.__class__ = PlainOption
    return params


class PlainCommand(TyperCommand):
    """A command whose --help uses plain labels."""

    def get_params(self, ctx: typer.Context) -> list:
        return plain(super().get_params(ctx))


class PlainGroup(TyperGroup):
    """A group whose --help (its own options: --version, --install-completion) uses plain labels."""

    def get_params(self, ctx: typer.Context) -> list:
        return plain(super().get_params(ctx))


class PlainTyper(typer.Typer):
    """A typer app whose commands use plain labels unless a command asks for another class."""

    def command(self, *args, cls: type[TyperCommand] | None = None, **kwargs):
        return super().command(*args, cls=cls or PlainCommand, **kwargs)
