"""Edit a story file in place: rewrite only the parts of its text whose story fields changed.

A save compares three texts: the file as the user wrote it (T), coach's rendering of what T says (R0), and
coach's rendering of the changed story (R). Front matter keys and sections whose rendering did not change are
copied from T byte for byte (comments, bullet styles, blank lines, line endings, a byte-order mark); a section
only in T is the user's and stays where it is; a changed key or section is written as R writes it, and a list
that only grew keeps its old lines and gains the new items below them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import yaml

from coach.bank.markdown import HEADING, drop_comments, parse_bullets
from coach.bank.models import Story
from coach.bank.storyfile import LIST_PARTS, NOTE_PARTS, dump_yaml, front_matter, render_story, section_key

LINE = re.compile(r"[^\r\n]*(?:\r\n|\n|\r)|[^\r\n]+$")
KEY_LINE = re.compile(r"^([A-Za-z_][\w-]*)\s*:(?:\s|$)")
CHILD_LEVELS = {"extraction": (3, 4), "practice notes": (3,), "follow-ups": (3,), "history": (3,)}
LISTS = {"coaching notes", *(name for name, attr in NOTE_PARTS.items() if attr in LIST_PARTS)}
BOM = "\ufeff"


def splice(original: str, before: Story, after: Story) -> str:
    """Return the text of the file `original` (which reads as `before`) changed to read as `after`."""
    bom = original.startswith(BOM)
    lines = _lines(original.removeprefix(BOM))
    newline = _newline(lines)
    end = next(i for i in range(1, len(lines)) if _bare(lines[i]).strip() == "---")
    front = _front(lines[1:end], front_matter(before), front_matter(after), newline)
    old, new = (_lines(render_story(story).replace("\n", newline)) for story in (before, after))
    body = _merge(_tree(lines[end + 1 :]), _tree(_after_front(old)), _tree(_after_front(new)), newline)
    return (BOM if bom else "") + "".join(_ended([lines[0], *front, lines[end], *body], newline))


def _lines(text: str) -> list[str]:
    return LINE.findall(text)


def _bare(line: str) -> str:
    return line.rstrip("\r\n")


def _newline(lines: list[str]) -> str:
    crlf = sum(line.endswith("\r\n") for line in lines)
    return "\r\n" if crlf > len(lines) - crlf - 1 else "\n"


def _ended(lines: list[str], newline: str) -> list[str]:
    """Give every line but the last its line ending (a file may end without one)."""
    return [line if line.endswith(("\n", "\r")) or i == len(lines) - 1 else line + newline for i, line in enumerate(lines)]


def _after_front(lines: list[str]) -> list[str]:
    end = next(i for i in range(1, len(lines)) if _bare(lines[i]) == "---")
    return lines[end + 1 :]


# Front matter: one block per top-level key; comment and blank lines between them are kept as they are.


def _front(lines: list[str], old: dict, new: dict, newline: str) -> list[str]:
    blocks = _blocks(lines)
    out: list[tuple[str | None, list[str]]] = []
    for key, block in blocks:
        if key is None or (key not in new and key not in old):
            out.append((key, block))  # a comment, or a default spelled out: not coach's to drop
        elif key in new:
            out.append((key, block if old.get(key) == new[key] else _changed_key(block, old.get(key), key, new[key], newline)))
    present = {key for key, _ in blocks}
    order = list(new)
    for key in order:
        if key in present or old.get(key) == new[key]:
            continue
        earlier = set(order[: order.index(key)])
        at = max((i + 1 for i, (placed, _) in enumerate(out) if placed in earlier), default=len(out))
        out.insert(at, (key, _dumped(key, new[key], newline)))
    return [line for _, block in out for line in block]


def _blocks(lines: list[str]) -> list[tuple[str | None, list[str]]]:
    blocks: list[tuple[str | None, list[str]]] = []
    for line in lines:
        bare = _bare(line)
        key = KEY_LINE.match(bare)
        if key:
            blocks.append((key.group(1), [line]))
        elif blocks and blocks[-1][0] is not None and bare.strip() and (bare[0] in " \t-"):
            blocks[-1][1].append(line)  # an indented line or a `- item` continues the key above
        else:
            blocks.append((None, [line]))
    return blocks


def _dumped(key: str, value, newline: str) -> list[str]:
    """Return `key: value` as render_story writes it among the other keys (a lone scalar would dump as `{key: value}`)."""
    text = dump_yaml({key: value}) if isinstance(value, list | dict) else yaml.safe_dump(
        {key: value}, allow_unicode=True, default_flow_style=False, width=1000)
    return _lines(text.replace("\n", newline))


def _changed_key(block: list[str], old, key: str, new, newline: str) -> list[str]:
    """Write a changed key: a list that only grew gains lines; a one-line value keeps its `# comment`."""
    fresh = _dumped(key, new, newline)
    items = [line for line in block[1:] if _bare(line).lstrip().startswith("- ")]
    grew = isinstance(old, list) and isinstance(new, list) and old and new[: len(old)] == old
    if grew and items and len(items) == len(old) and _bare(block[0]).rstrip().endswith(":"):
        indent = _bare(items[0])[: len(_bare(items[0])) - len(_bare(items[0]).lstrip())]
        added = _dumped(key, new[len(old) :], newline)[1:]
        return _ended(block, newline) + [indent + line for line in added]
    comment = re.search(r"\s+#[^'\"]*$", _bare(block[0]))
    if len(block) == 1 and len(fresh) == 1 and comment and _reads_as(block[0][: comment.start()], key, old):
        return [_bare(fresh[0]) + comment.group() + newline]
    return fresh


def _reads_as(text: str, key: str, value) -> bool:
    try:
        return (yaml.safe_load(text) or {}).get(key) == value
    except (yaml.YAMLError, AttributeError):
        return False


# The body: a tree of sections, split at the levels the story format reads (## everywhere, deeper in some).


@dataclass
class Node:
    """A heading line (none for the body's start), the lines under it up to its first child, and the children."""

    key: tuple[str, int] | None
    head: list[str]
    body: list[str]
    children: list[Node] = field(default_factory=list)
    _index: dict = field(default_factory=dict, repr=False, compare=False)

    def lines(self) -> list[str]:
        """Return every line of the node, its own and its children's."""
        return [*self.head, *self.body, *(line for child in self.children for line in child.lines())]

    def text(self) -> str:
        """Return the node's text as compared: line endings and trailing spaces ignored."""
        return "\n".join(_bare(line).rstrip() for line in self.lines()).strip()

    def child(self, key: tuple[str, int] | None) -> Node | None:
        """Return the child with this key, if any."""
        if len(self._index) != len(self.children):
            self._index = {child.key: child for child in self.children}
        return self._index.get(key)


def _tree(lines: list[str]) -> Node:
    root = Node(None, [], [])
    _split(root, lines, (2,))
    return root


def _split(node: Node, lines: list[str], levels: tuple[int, ...]) -> None:
    """Fill node's body with the lines before its first child heading, and its children with the rest."""
    if not levels:
        node.body = lines
        return
    level, seen = levels[0], {}
    visible = drop_comments([_bare(line) for line in lines])  # a heading inside a comment is no heading
    starts = [i for i, line in enumerate(visible) if (m := HEADING.match(line)) and len(m.group(1)) == level]
    node.body = lines[: starts[0]] if starts else lines
    for start, stop in zip(starts, [*starts[1:], len(lines)][: len(starts)], strict=True):
        name = section_key(HEADING.match(visible[start]).group(2))
        seen[name] = seen.get(name, -1) + 1
        child = Node((name, seen[name]), [lines[start]], [])
        deeper = CHILD_LEVELS.get(name, ()) if level == 2 else levels[1:]
        _split(child, lines[start + 1 : stop], deeper)
        node.children.append(child)


def _merge(mine: Node, old: Node, new: Node, newline: str) -> list[str]:
    """Return mine's lines changed as old changed into new: unchanged parts verbatim, the user's parts kept."""
    if old.text() == new.text():
        return mine.lines()
    if _text(old.body) == _text(new.body):
        body = mine.body
    elif mine.key and mine.key[0] in LISTS and _grown(old.body, new.body):
        body = _appended(mine.body, new.body, _grown(old.body, new.body), newline)
    else:
        body = new.body
    out = _join(list(mine.head), body, newline)
    for lines, added in _children(mine, old, new, newline):
        if added and out and _bare(out[-1]).strip():
            out = _join(out, [newline], newline)  # a blank line before a section coach adds
        out = _join(out, lines, newline)
    return out


def _children(mine: Node, old: Node, new: Node, newline: str) -> list[tuple[list[str], bool]]:
    """Return the children's lines in mine's order, the user's own kept in place, new ones after their elders."""
    placed: list[tuple[tuple[str, int] | None, list[str], bool]] = []
    for child in mine.children:
        counterpart = new.child(child.key)
        if counterpart:
            was = old.child(child.key) or Node(child.key, [], [])
            placed.append((child.key, _merge(child, was, counterpart, newline), False))
        elif not old.child(child.key):
            placed.append((None, child.lines(), False))  # the user's own: never coach's to drop
    for index, child in enumerate(new.children):
        was = old.child(child.key)
        if mine.child(child.key) or (was and was.text() == child.text()):
            continue  # present, or a heading coach always writes that the user left out, still empty
        earlier = {c.key for c in new.children[:index]}
        at = max((i + 1 for i, (key, _, _) in enumerate(placed) if key in earlier), default=0)
        placed.insert(at, (child.key, child.lines(), True))
    return [(lines, added) for _, lines, added in placed]


def _join(out: list[str], lines: list[str], newline: str) -> list[str]:
    if out and lines and not out[-1].endswith(("\n", "\r")):
        out = [*out[:-1], out[-1] + newline]
    return [*out, *lines]


def _text(lines: list[str]) -> str:
    return "\n".join(_bare(line).rstrip() for line in lines).strip()


def _items(lines: list[str]) -> list[str]:
    return parse_bullets(drop_comments([_bare(line) for line in lines]))


def _grown(old: list[str], new: list[str]) -> int:
    """Return how many items new adds at the end of old's list, or 0 when it changed otherwise."""
    before, after = _items(old), _items(new)
    return len(after) - len(before) if before and after[: len(before)] == before else 0


def _appended(mine: list[str], new: list[str], grown: int, newline: str) -> list[str]:
    """Keep the user's list as written and add new's last `grown` items after its last line."""
    end = len(mine)
    while end and not _bare(mine[end - 1]).strip():
        end -= 1
    starts = [i for i, line in enumerate(new) if _bare(line).startswith("- ")]
    added = new[starts[-grown] :]
    while added and not _bare(added[-1]).strip():
        added.pop()
    return _join(_join(mine[:end], added, newline), mine[end:], newline)
