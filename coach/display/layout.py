"""Layout for an 80-column terminal: the width to fill, prose wrapped with a hanging indent, tables that fit."""

from __future__ import annotations

import shutil
from collections.abc import Callable


def table(header: list[str], rows: list[list[str]]) -> str:
    """Lay out rows under a header in left-aligned columns."""
    widths = [max(len(str(cell)) for cell in column) for column in zip(header, *rows, strict=True)]
    lines = ["  ".join(str(cell).ljust(width) for cell, width in zip(row, widths, strict=True)).rstrip() for row in [header, *rows]]
    lines.insert(1, "  ".join("-" * width for width in widths))
    return "\n".join(lines)



def width() -> int:
    return max(40, min(shutil.get_terminal_size((80, 24)).columns, 100))


def wrapped(text: str, indent: int, first: str | None = None) -> list[str]:
    """Wrap text at word boundaries to the terminal's width with a hanging indent of `indent` spaces.

    The first line starts with `first` (padded to the indent), or at column 0 when first is "".
    """
    import textwrap

    pad = " " * indent
    if first is None:
        lead = pad
    elif first == "":
        lead = ""
    else:
        lead = first.ljust(indent) if len(first) < indent else first + " "
    return textwrap.wrap(" ".join(text.split()), width(), initial_indent=lead, subsequent_indent=pad,
                         break_long_words=False, break_on_hyphens=False) or [lead.rstrip()]


class StreamWrap:
    """Write streamed words wrapped at the terminal's width: a word is held until it is whole, then placed."""

    def __init__(self, write: Callable[[str], None], indent: int = 2):
        self.write, self.indent = write, indent
        self.column, self.word = 0, ""

    def feed(self, text: str) -> None:
        """Take the next piece of the stream; its line breaks flow into one paragraph, as spoken."""
        for char in text:
            if char.isspace():
                self._place()
            else:
                self.word += char

    def flush(self) -> None:
        """Place the last word."""
        self._place()

    def _place(self) -> None:
        if not self.word:
            return
        if self.column and self.column + 1 + len(self.word) > width():
            self.write("\n" + " " * self.indent)
            self.column = self.indent
        elif self.column:
            self.write(" ")
            self.column += 1
        self.write(self.word)
        self.column += len(self.word)
        self.word = ""

