"""Small Markdown primitives shared by the story file format, the importer and the exporter."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

OPENING = re.compile(r"(#{1,6})\s")  # a heading: one to six #, then a space


class HeadingMatch:
    """A heading line as `^(#{1,6})\\s+(.*?)(?:\\s+#+)?\\s*$` reads it: group 1 the #s, group 2 the text."""

    def __init__(self, hashes: str, text: str):
        self._groups = (hashes, text)

    def group(self, index: int) -> str:
        """Return group 1 (the #s) or 2 (the text)."""
        return self._groups[index - 1]


class Heading:
    """Read a Markdown heading line as the pattern in HeadingMatch does, in time linear in the line: the pattern
    backtracks quadratically on a long line of spaces, and a line of a file in the bank can be a megabyte long.

    A closing run of # follows a space: "C#" is text.
    """

    @staticmethod
    def match(line: str) -> HeadingMatch | None:
        """Return the heading's #s and text, or None for a line that is no heading."""
        opening = OPENING.match(line)
        if opening is None:
            return None
        text = line[opening.end(1) :].strip()
        bare = text.rstrip("#")
        if bare != text and bare[-1:].isspace():
            text = bare.rstrip()
        return HeadingMatch(opening.group(1), text)


HEADING = Heading()
FENCE = re.compile(r"^ {0,3}(`{3,}|~{3,})")


@dataclass
class Section:
    """A heading, the lines beneath it, and the 1-based line number of the heading."""

    heading: str
    line: int
    body: list[str] = field(default_factory=list)

    def text(self) -> str:
        """Return the body as text with surrounding blank lines removed."""
        return join_text(self.body)


def heading_levels(lines: list[str]) -> list[int]:
    """Return each line's heading level (0 for a line that is no heading, as inside a ``` fenced block)."""
    levels, fence = [], ""
    for line in lines:
        opening = FENCE.match(line)
        if opening and (not fence or opening.group(1).startswith(fence)):
            fence = "" if fence else opening.group(1)[:3]
            levels.append(0)
            continue
        heading = None if fence else HEADING.match(line)
        levels.append(len(heading.group(1)) if heading else 0)
    return levels


def split_sections(lines: list[str], level: int, first_line: int = 1) -> tuple[list[str], list[Section]]:
    """Split lines at headings of exactly `level` hashes; return the preamble and the sections."""
    preamble: list[str] = []
    sections: list[Section] = []
    for offset, (line, depth) in enumerate(zip(lines, heading_levels(lines), strict=True)):
        if depth == level:
            sections.append(Section(HEADING.match(line).group(2), first_line + offset))
        elif sections:
            sections[-1].body.append(line)
        else:
            preamble.append(line)
    return preamble, sections


def drop_comments(lines: list[str]) -> list[str]:
    """Blank out HTML comments (`<!-- private -->`), keeping every line in its place so line numbers hold."""
    text = "\n".join(lines)
    if "<!--" not in text:
        return lines
    parts, at = [], 0
    while (opening := text.find("<!--", at)) >= 0 and (closing := text.find("-->", opening + 4)) >= 0:
        parts += [text[at:opening], "\n" * text.count("\n", opening, closing)]  # found in one pass, never again
        at = closing + 3
    return "".join([*parts, text[at:]]).split("\n")


def join_text(lines: list[str]) -> str:
    """Join lines into text, dropping leading and trailing blank lines and trailing spaces."""
    stripped = [line.rstrip() for line in lines]
    while stripped and not stripped[0]:
        stripped.pop(0)
    while stripped and not stripped[-1]:
        stripped.pop()
    return "\n".join(stripped)


def parse_bullets(lines: list[str]) -> list[str]:
    """Read a bullet list: `- item` lines, indented lines continue the item above."""
    items: list[str] = []
    for raw in lines:
        line = raw.rstrip()
        if not line.strip():
            continue
        if re.match(r"^\s{0,1}[-*+]\s+", line):
            items.append(re.sub(r"^\s{0,1}[-*+]\s+", "", line))
        elif line.startswith("  ") and items:
            items[-1] += "\n" + line.strip()
        else:
            items.append(line.strip())
    return items


def render_bullets(items: list[str]) -> str:
    """Write a bullet list, indenting the continuation lines of multi-line items."""
    return "\n".join("- " + item.replace("\n", "\n  ") for item in items)


def strip_quotes(text: str) -> str:
    """Remove one pair of straight or curly double quotes around the whole text."""
    text = text.strip()
    if len(text) >= 2 and text[0] in "\"“" and text[-1] in "\"”":
        inner = text[1:-1]
        if '"' not in inner:
            return inner.strip()
    return text


def strip_emphasis(text: str) -> str:
    """Remove bold or italic markers wrapping the whole text."""
    text = text.strip()
    for mark in ("**", "__", "*", "_"):
        if len(text) > 2 * len(mark) and text.startswith(mark) and text.endswith(mark):
            return text[len(mark) : -len(mark)].strip()
    return text
