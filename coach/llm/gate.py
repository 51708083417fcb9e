"""The one gate for text from outside (a model's answer, a server's words): nothing that passes it can drive the
terminal, hide the user's text in a story file, or swamp a file with more than the method can use.

- Terminal escape sequences go whole, then every other control character, and so do the bidirectional controls that make text read otherwise than it is stored; a newline stays only where a field may
  hold one (no structured field does: each is a sentence, a note, a word or a short answer).
- An HTML comment's opener or closer is escaped (`<\\!--`, `--\\>`: Markdown shows them as written), so a model's
  words can never start a comment that would hide what the user writes below it.
- A line that would read as a heading or a fence starts with a backslash instead.
- Each string and list is cut to what the method can use: the job's own limit for the field (`limits`, by its
  dotted path: `hooks` for the list, `hooks[]` for each of its strings, `sentences.text`), else MAX_CHARS or
  MAX_ITEMS; what was removed or cut is said.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field

from pydantic import BaseModel

MAX_CHARS = 4_000  # a refined sentence, an answer or a note is a few hundred characters; a story 2,000
MAX_ITEMS = 50  # a prompt asks for a handful of hooks, notes, key words or follow-ups; a refined story ~15 sentences
BIDI = frozenset("\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")
COMMENT_OPEN = re.compile(r"<!(?=--)")
COMMENT_CLOSE = re.compile(r"--(?=>)")
LEADING_MARK = re.compile(r"(?m)^([ \t]{0,3})(#|```|~~~)")
ESCAPE = re.compile(  # a whole terminal escape sequence: CSI, OSC or another string command, or a two-character one
    r"(?:\x1b\[|\x9b)[0-?]*[ -/]*[@-~]?"
    r"|(?:\x1b[\]PX^_]|[\x9d\x90\x98\x9e\x9f])[^\x07\x1b\x9c]*(?:\x07|\x1b\\|\x9c)?"
    r"|\x1b[ -~]?"
)


def _unsafe(char: str) -> bool:
    if char in BIDI:
        return True
    category = unicodedata.category(char)
    return category == "Cc" or category == "Cs"  # controls (C0, DEL, C1) and lone surrogates


@dataclass
class Passed:
    """What the gate took out of one answer: how many characters, which fields were cut, which lists shortened."""

    removed: int = 0
    cut: list[str] = field(default_factory=list)
    shortened: list[str] = field(default_factory=list)

    def notes(self) -> list[str]:
        """Return one sentence per kind of change, for the user to read."""
        said = []
        if self.removed:
            said.append(f"{self.removed} character{'s' * (self.removed != 1)} of terminal control codes removed from the "
                        "model's answer")
        if self.cut:
            said.append(f"cut to the length the method uses: {', '.join(dict.fromkeys(self.cut))}")
        if self.shortened:
            said.append(f"kept only as many as asked for: {', '.join(dict.fromkeys(self.shortened))}")
        return said


def printable(text: str, newlines: bool = True) -> str:
    """Return text with no control character (but newlines and tabs, if allowed) and no bidi control."""
    keep = "\n\t" if newlines else ""
    if text.isprintable() and not BIDI.intersection(text):
        return text
    return "".join(c for c in ESCAPE.sub("", text) if c in keep or not _unsafe(c))


def field_text(text: str, passed: Passed | None = None, where: str = "", limit: int = MAX_CHARS) -> str:
    """Return one field of a model's answer made safe: one line, printable, no comment marker, no heading, capped."""
    clean = printable(re.sub(r"[\r\n\t]+", " ", text), newlines=False)
    if passed is not None:
        passed.removed += len(text) - len(clean) - sum(len(m.group()) - 1 for m in re.finditer(r"[\r\n\t]+", text))
    clean = COMMENT_CLOSE.sub("--\\\\", COMMENT_OPEN.sub("<\\\\!", clean))
    clean = LEADING_MARK.sub(lambda m: f"{m.group(1)}\\{m.group(2)}", clean)
    if len(clean) > limit:
        clean = clean[:limit].rsplit(" ", 1)[0] + " …"
        if passed is not None:
            passed.cut.append(f"{where.removesuffix('[]') or 'a field'} ({limit:,} characters)")
    return clean


def clean_answer(value: BaseModel, limits: dict[str, int] | None = None) -> Passed:
    """Make every string of a parsed answer safe, in place, and cap its strings and lists (`limits` by dotted field
    path, else MAX_CHARS and MAX_ITEMS); return what was taken out."""
    passed = Passed()
    _clean(value, passed, "", limits or {})
    return passed


def _clean(node, passed: Passed, where: str, limits: dict[str, int]):
    if isinstance(node, BaseModel):
        for name in type(node).model_fields:
            setattr(node, name, _clean(getattr(node, name), passed, f"{where}.{name}".lstrip("."), limits))
        return node
    if isinstance(node, str):
        return field_text(node, passed, where, limits.get(where, MAX_CHARS))
    if isinstance(node, list):
        most = limits.get(where, MAX_ITEMS)
        if len(node) > most:
            passed.shortened.append(f"{where} ({most})")
            node = node[:most]
        return [_clean(item, passed, f"{where}[]" if isinstance(item, str) else where, limits) for item in node]
    return node
