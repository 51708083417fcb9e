"""Layout for an 80-column terminal: the width to fill, prose wrapped with a hanging indent, tables that fit."""

from __future__ import annotations

import shutil
from collections.abc import Callable

LONGEST_UNCUT = 12  # a table cell's word longer than this may be cut across lines when the table must narrow


def columns() -> int:
    """Return the terminal's width in columns (COLUMNS, else the terminal's, else 80), at least 40."""
    return max(40, shutil.get_terminal_size((80, 24)).columns)


def width() -> int:
    """Return the width to wrap prose at: the terminal's, but no more than 100 columns, which read best."""
    return min(columns(), 100)


def cells(text: str) -> int:
    """Return how many terminal columns text takes: East Asian wide characters take two, combining marks none."""
    if text.isascii():
        return len(text)
    import unicodedata

    return sum(0 if unicodedata.combining(c) else 2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def pad(text: str, size: int) -> str:
    """Return text padded with spaces to take `size` columns."""
    return text + " " * (size - cells(text))


def wrap(text: str, size: int, lead: str = "", indent: str = "") -> list[str]:
    """Wrap text's words into lines of at most `size` columns: the first starts with lead, the rest with indent.

    A word longer than a whole line is cut, so that no line is ever wider than `size`.
    """
    lines, line, used = [], lead, cells(lead)
    start = used
    for word in text.split():
        size_of = cells(word)
        if used > start and used + 1 + size_of > size:
            lines.append(line)
            line, used = indent, cells(indent)
            start = used
        elif used > start:
            line, used = line + " ", used + 1
        while used + size_of > size and size - used > 0 and size_of > 1:  # a word wider than the line: cut it
            part = _fit(word, size - used)
            lines.append(line + part)
            word, size_of = word[len(part):], cells(word[len(part):])
            line, used = indent, cells(indent)
            start = used
        line, used = line + word, used + size_of
    lines.append(line)
    return [text.rstrip() for text in lines]


def _fit(word: str, room: int) -> str:
    """Return the longest start of word that takes at most `room` columns (at least one character)."""
    end = 1
    while end < len(word) and cells(word[: end + 1]) <= room:
        end += 1
    return word[:end]


def wrapped(text: str, indent: int, first: str | None = None) -> list[str]:
    """Wrap text at word boundaries to the terminal's width with a hanging indent of `indent` spaces.

    The first line starts with `first` (padded to the indent), or at column 0 when first is "".
    """
    hang = " " * indent
    if first is None:
        lead = hang
    elif first == "":
        lead = ""
    else:
        lead = pad(first, indent) if cells(first) < indent else first + " "
    return wrap(text, width(), lead, hang)


def paragraphs(text: str, indent: int = 0) -> str:
    """Wrap every line of text to the terminal's width, keeping each line's own indentation as its hanging indent."""
    out = []
    for line in text.splitlines():
        stripped = line.lstrip(" ")
        own = len(line) - len(stripped)
        out += wrap(stripped, width(), " " * own, " " * (own + indent)) if stripped else [""]
    return "\n".join(out)


def table(header: list[str], rows: list[list[str]], shrink: tuple[int, ...] | None = None) -> str:
    """Lay out rows under a header in left-aligned columns that fit the terminal.

    When the columns are too wide, the ones in `shrink` narrow in that order, each as far as its longest word (a
    longer word than LONGEST_UNCUT columns is cut), and
    their cells wrap onto more lines (without `shrink`, the widest column narrows first); when even that is not
    enough, each row is printed as a block of `header: value` lines.
    """
    grid = [[str(cell) for cell in row] for row in [header, *rows]]
    sizes = [max(cells(cell) for cell in column) for column in zip(*grid, strict=True)]
    excess = sum(sizes) + 2 * (len(sizes) - 1) - columns()
    words = [max(cells(word) for row in grid for word in row[i].split() or [""]) for i in range(len(sizes))]
    for floors in (words, [min(size, LONGEST_UNCUT) for size in words]):  # whole words first, cut ones if need be
        excess = _narrow(sizes, floors, excess, shrink)
    if excess > 0:
        return _blocks(grid)
    lines = [_row(row, sizes) for row in grid]
    lines.insert(1, ["  ".join(("-" if name else " ") * size for name, size in zip(header, sizes, strict=True)).rstrip()])
    return "\n".join(line for group in lines for line in group)


def _narrow(sizes: list[int], floors: list[int], excess: int, shrink: tuple[int, ...] | None) -> int:
    """Narrow the columns (in place) no further than their floors, until `excess` columns are saved; return what is
    still in excess."""
    if shrink is None:
        while excess > 0 and any(size > floor for size, floor in zip(sizes, floors, strict=True)):
            widest = max((i for i in range(len(sizes)) if sizes[i] > floors[i]), key=lambda i: sizes[i])
            sizes[widest], excess = sizes[widest] - 1, excess - 1
        return excess
    for i in shrink:
        cut = max(0, min(excess, sizes[i] - floors[i]))
        sizes[i], excess = sizes[i] - cut, excess - cut
    return excess


def _row(row: list[str], sizes: list[int]) -> list[str]:
    """Return the lines of one table row, each cell wrapped to its column."""
    parts = [wrap(cell, size) if cells(cell) > size else [cell] for cell, size in zip(row, sizes, strict=True)]
    height = max(len(part) for part in parts)
    return ["  ".join(pad(part[n] if n < len(part) else "", size) for part, size in zip(parts, sizes, strict=True)).rstrip()
            for n in range(height)]


def _blocks(grid: list[list[str]]) -> str:
    """Return each row as a block: its first cell, then one `header: value` line per other cell."""
    header, *rows = grid
    label = max(cells(name) for name in header[1:]) + 2
    out = []
    for row in rows:
        out += wrap(row[0], columns())
        for name, cell in zip(header[1:], row[1:], strict=True):
            if cell:
                out += wrap(cell, columns(), "  " + pad(name + ":", label), " " * (label + 2))
        out.append("")
    return "\n".join(out).rstrip("\n")


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
        if self.column and self.column + 1 + cells(self.word) > width():
            self.write("\n" + " " * self.indent)
            self.column = self.indent
        elif self.column:
            self.write(" ")
            self.column += 1
        self.write(self.word)
        self.column += cells(self.word)
        self.word = ""


def counted(number: int, one: str, many: str | None = None) -> str:
    """Return "1 error", "2 errors" (or `many` for a plural that is not one + s: "1 story", "2 stories")."""
    return f"{number} {one if number == 1 else (many or one + 's')}"
