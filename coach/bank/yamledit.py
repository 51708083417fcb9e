"""Edit YAML the user wrote key by key: only keys whose value changed are rewritten, and as little of them as can be.

Used for a story's front matter and for `coach.yaml`. Comments, blank lines, key order, quoting and untouched keys
stay as written; a list that grew gains lines below its own; a mapping of one-line entries changes entry by entry;
a one-line value keeps its `# comment`.
"""

from __future__ import annotations

import re
from contextlib import suppress
from itertools import islice, takewhile
from operator import itemgetter

import yaml

from coach.bank.models import PracticeTake, Takes

LINE = re.compile(r"[^\r\n]*(?:\r\n|\n|\r)|[^\r\n]+$")
KEY = re.compile(r"""^(?:"([^"]*)"|'([^']*)'|([^\s#'"\-\[\]{},][^:#]*?))\s*:(?:\s|$)""")
BARE_KEY = re.compile(r"^\S.*?:\s*(#.*)?$")  # `key:` with nothing after it but a comment: the value is below
BOM = "\ufeff"


OTHER_BREAKS = "\r\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029"  # where str.splitlines also ends a line, besides \n


def lines_of(text: str) -> list[str]:
    """Split text into lines that keep their line endings (\\r\\n, \\n or \\r)."""
    if not any(char in text for char in OTHER_BREAKS):
        return text.splitlines(keepends=True)  # only \n ends a line here: 4x faster than the pattern
    return LINE.findall(text)


def bare(line: str) -> str:
    """Return a line without its line ending."""
    return line.rstrip("\r\n")


def newline_of(lines: list[str]) -> str:
    """Return the line ending most lines (as lines_of splits them) of a file use (\n when none does)."""
    text = "".join(lines)  # a line holds a \r or \n only in its ending: counting the whole text counts endings
    crlf = text.count("\r\n")
    counts = [("\n", text.count("\n") - crlf), ("\r\n", crlf), ("\r", text.count("\r") - crlf)]
    return max(counts, key=lambda count: count[1])[0]


_LAST = itemgetter(-1)
_START = itemgetter(slice(0, 2))


def ended(lines: list[str], newline: str) -> list[str]:
    """Give every line but the last its line ending (a file may end without one)."""
    with suppress(IndexError):  # an empty line: checked one by one below
        if set(map(_LAST, islice(lines, len(lines) - 1))) <= {"\n", "\r"}:  # 100,000 takes, no Python loop
            return list(lines)
    return [line if line.endswith(("\n", "\r")) or i == len(lines) - 1 else line + newline for i, line in enumerate(lines)]


class _Dumper(yaml.SafeDumper):
    """The safe dumper, which also writes a practice log (Takes) as the list of its takes."""


_Dumper.add_representer(Takes, lambda dumper, takes: dumper.represent_list([_take_data(t) for t in takes]))


def _take_data(take: PracticeTake) -> dict:
    return take.model_dump(mode="json", exclude_defaults=True)


def dump(data: dict) -> str:
    """Return YAML the way coach writes it: keys in order, short lists and mappings on one line."""
    if isinstance(data, dict) and any(isinstance(value, Takes) and value for value in data.values()):  # a log: lines
        return "".join(line for key, value in data.items() for line in _dumped(key, value, "\n"))
    return yaml.dump(data, Dumper=_Dumper, sort_keys=False, allow_unicode=True, default_flow_style=None, width=1000)


def take_lines(takes: Takes) -> list[str]:
    """Return a practice log's lines as coach writes them (`- {at: ..., seconds: ...}`); a line read is kept as read."""
    return [entry if isinstance(entry, str) else bare(dump([_take_data(entry)])) for entry in takes.entries()]


def splice_text(text: str, old: dict, new: dict) -> str:
    """Return a YAML file's text changed as old changed into new."""
    bom = text.startswith(BOM)
    lines = lines_of(text.removeprefix(BOM))
    newline = newline_of(lines)
    return (BOM if bom else "") + "".join(ended(splice(lines, old, new, newline), newline))


def splice(lines: list[str], old: dict, new: dict, newline: str) -> list[str]:
    """Return YAML lines (that read as old) changed to read as new."""
    blocks = _blocks(lines)
    out: list[tuple[str | None, list[str]]] = []
    for key, block in blocks:
        if key is None or (key not in new and key not in old):
            out.append((key, block))  # a comment, or a default spelled out: not coach's to drop
        elif key in new:
            out.append((key, block if old.get(key) == new[key] else _changed(block, key, old.get(key), new[key], newline)))
    present = {key for key, _ in blocks}
    order = list(new)
    for key in order:
        if key in present or old.get(key) == new[key]:
            continue
        earlier = set(order[: order.index(key)])
        at = max((i + 1 for i, (placed, _) in enumerate(out) if placed in earlier), default=len(out))
        out.insert(at, (key, _dumped(key, new[key], newline)))
    return ended([line for _, block in out for line in block], newline)


def _key(line: str) -> str | None:
    match = KEY.match(line)
    return next((group for group in match.groups() if group is not None), None) if match else None


def _blocks(lines: list[str]) -> list[tuple[str | None, list[str]]]:
    """Split YAML lines into one block per top-level key; comments and blank lines between keys stand alone."""
    blocks: list[tuple[str | None, list[str]]] = []
    pending: list[str] = []  # comments and blank lines: the key's own if more of its value follows
    at = 0
    while at < len(lines):
        line = lines[at]
        at += 1
        if line.startswith("- ") and not pending and blocks and blocks[-1][0] is not None:
            run = len(list(takewhile("- ".__eq__, map(_START, islice(lines, at, None)))))  # a list's next items: no key
            blocks[-1][1].extend(lines[at - 1 : at + run])
            at += run
            continue
        text = bare(line)
        key = _key(text)
        if key is not None:
            blocks += [(None, [p]) for p in pending] + [(key, [line])]
            pending = []
        elif not text.strip() or text.startswith("#"):
            pending.append(line)
        elif blocks and blocks[-1][0] is not None:
            blocks[-1][1].extend([*pending, line])  # an indented line, a `- item`, a closing `]`
            pending = []
        else:
            blocks += [(None, [p]) for p in [*pending, line]]
            pending = []
    return blocks + [(None, [p]) for p in pending]


def _dumped(key: str, value, newline: str) -> list[str]:
    """Return `key: value` as coach writes it among other keys (a lone scalar would dump as `{key: value}`)."""
    if isinstance(value, Takes) and value:
        return [f"{key}:{newline}", *(line + newline for line in take_lines(value))]
    text = dump({key: value}) if isinstance(value, list | dict) else yaml.safe_dump(
        {key: value}, allow_unicode=True, default_flow_style=False, width=1000)
    return lines_of(text.replace("\n", newline))


def _changed(block: list[str], key: str, old, new, newline: str) -> list[str]:
    """Write a changed key, keeping as many of the user's lines (and comments) as its change allows."""
    head = bare(block[0])
    comment = re.search(r"\s+#[^'\"]*$", head)
    if BARE_KEY.match(head) and len(block) > 1:
        if isinstance(old, list | Takes) and isinstance(new, list | Takes):
            grown = _grown_list(block, old, new, key, newline)
            if grown:
                return grown
        if isinstance(old, Takes) and isinstance(new, Takes):
            shrunk = _shrunk_log(block, old, new)
            if shrunk:
                return shrunk
        if isinstance(old, dict) and isinstance(new, dict):
            entries = _changed_entries(block, old, new, newline)
            if entries:
                return entries
    if len(block) == 1 and comment and _same(head, head[: comment.start()]):
        value = head[: comment.start()].partition(":")[2].strip()
        if value[:1] in "[{" and value and isinstance(new, list | dict | Takes):  # a flow value stays one line
            flow = yaml.dump(new, Dumper=_Dumper, allow_unicode=True, default_flow_style=True, width=10**6).strip()
            return [f"{head[: head.index(':') + 1]} {flow}{comment.group()}{newline}"]
        fresh = _dumped(key, new, newline)
        if len(fresh) == 1:
            return [bare(fresh[0]) + comment.group() + newline]
    return _dumped(key, new, newline)


def _indent(line: str) -> str:
    text = bare(line)
    return text[: len(text) - len(text.lstrip())]


def _grown_list(block: list[str], old: list, new: list, key: str, newline: str) -> list[str] | None:
    """Return the block with new's added items below its last line, when new only adds items to old."""
    if not old or len(new) <= len(old) or new[: len(old)] != old:
        return None
    if _one_line_items(block) == len(old):
        indent = ""  # `- item` lines at the start of the line, one per item, as coach writes a practice log
    else:
        items = [line for line in block[1:] if bare(line).lstrip().startswith("- ")]
        if not items or len([line for line in items if _indent(line) == _indent(items[0])]) != len(old):
            return None
        indent = _indent(items[0])
    added = _dumped(key, new[len(old) :], newline)[1:]
    return ended(block, newline) + [indent + line for line in added]


def _one_line_items(block: list[str]) -> int:
    """Return how many lines follow the key's line when each is a `- item` at the start of its line, else -1."""
    return len(block) - 1 if set(map(_START, islice(block, 1, None))) <= {"- "} else -1


def _shrunk_log(block: list[str], old: Takes, new: Takes) -> list[str] | None:
    """Return the block without its last lines, when new is old without its last takes, one line each."""
    if not new or len(new) >= len(old) or old[: len(new)] != new or _one_line_items(block) != len(old):
        return None
    return block[: 1 + len(new)]


def _changed_entries(block: list[str], old: dict, new: dict, newline: str) -> list[str] | None:
    """Change a mapping of one-line entries (`  id: {by: ...}`) entry by entry, keeping comments between them."""
    entries = [(line, _key(bare(line).lstrip())) for line in block[1:]]
    keyed = [(line, key) for line, key in entries if key is not None]
    loose = [line for line, key in entries if key is None and bare(line).strip() and not bare(line).lstrip().startswith("#")]
    if loose or sorted(str(key) for _, key in keyed) != sorted(str(key) for key in old):
        return None  # not one line per entry: rewrite the whole key
    if any(len(lines_of(dump({key: value}))) != 1 for key, value in new.items()):
        return None
    indent = _indent(keyed[0][0]) if keyed else "  "
    out = [block[0]]
    for line, key in entries:
        if key is None or (key in new and new[key] == old[key]):
            out.append(line)
        elif key in new:
            out.append(indent + _entry(key, new[key], newline))
    out += [indent + _entry(key, value, newline) for key, value in new.items() if key not in old]
    return ended(out, newline)


def _entry(key: str, value, newline: str) -> str:
    return bare(dump({key: value})) + newline


def _same(text: str, other: str) -> bool:
    """Return True when both read as the same YAML (so what was cut from one was only a comment)."""
    try:
        return yaml.safe_load(text) == yaml.safe_load(other)
    except yaml.YAMLError:
        return False
