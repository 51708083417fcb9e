"""Edit a story file in place: rewrite only the parts of its text whose story fields changed.

A save compares three texts: the file as the user wrote it (T), coach's rendering of what T says (R0), and
coach's rendering of the changed story (R). Front matter keys and sections whose rendering did not change are
copied from T byte for byte (comments, bullet styles, blank lines, line endings, a byte-order mark); a section
only in T is the user's and stays where it is; a changed section is written as R writes it under the user's
heading, with the user's HTML comments kept on top, and a list that only grew keeps its old lines and gains the
new items below them. Front matter keys change as `coach.bank.yamledit` changes them.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from coach.bank import yamledit
from coach.bank.markdown import HEADING, drop_comments, heading_levels, parse_bullets
from coach.bank.models import Story
from coach.bank.storyfile import LIST_PARTS, NOTE_PARTS, front_matter, render_body, section_key
from coach.bank.yamledit import BOM, bare, ended, lines_of, newline_of

CHILD_LEVELS = {"extraction": (3, 4), "practice notes": (3,), "follow-ups": (3,), "history": (3,)}
LISTS = {"coaching notes", *(name for name, attr in NOTE_PARTS.items() if attr in LIST_PARTS)}


def splice(original: str, before: Story, after: Story) -> str:
    """Return the text of the file `original` (which reads as `before`) changed to read as `after`."""
    bom = original.startswith(BOM)
    lines = lines_of(original.removeprefix(BOM))
    newline = newline_of(lines)
    end = list(map(str.strip, lines)).index("---", 1)  # the closing line, found without a Python loop
    front = yamledit.splice(lines[1:end], front_matter(before), front_matter(after), newline)
    old, new = (lines_of(render_body(story).replace("\n", newline)) for story in (before, after))
    body = _merge(_tree(lines[end + 1 :]), _tree(old), _tree(new), newline)
    return (BOM if bom else "") + "".join(ended([lines[0], *front, lines[end], *body], newline))


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
        return "\n".join(bare(line).rstrip() for line in self.lines()).strip()

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
    visible = drop_comments([bare(line) for line in lines])  # a heading inside a comment is no heading
    starts = [i for i, depth in enumerate(heading_levels(visible)) if depth == level]
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
        body = _with_comments(mine.body, new.body, newline)
    out = _join(list(mine.head), body, newline)
    kept = body is mine.body
    for lines, verbatim in _children(mine, old, new, newline):
        if lines and out and bare(out[-1]).strip() and not (kept and verbatim) and HEADING.match(bare(lines[0])):
            out = _join(out, [newline], newline)  # a blank line between a heading and what coach wrote above it
        out = _join(out, lines, newline)
        kept = verbatim
    return out


def _with_comments(mine: list[str], new: list[str], newline: str) -> list[str]:
    """Return new's lines with the HTML comments of mine (whole lines) kept on top: they are the user's."""
    seen = drop_comments([bare(line) for line in mine])
    comments = [line for line, visible in zip(mine, seen, strict=True) if bare(line).strip() and not visible.strip()]
    if not comments:
        return new
    lead = next((i for i, line in enumerate(new) if bare(line).strip()), len(new))
    rest = new[lead:]
    return [*new[:lead], *ended(comments, newline), *([newline] if rest else []), *rest]


def _children(mine: Node, old: Node, new: Node, newline: str) -> list[tuple[list[str], bool]]:
    """Return the children's lines in mine's order, each with whether it is as the user wrote it.

    The user's own children stay in place; children coach adds go after their elder siblings.
    """
    placed: list[tuple[tuple[str, int] | None, list[str], bool]] = []
    for child in mine.children:
        counterpart = new.child(child.key)
        if counterpart:
            was = old.child(child.key) or Node(child.key, [], [])
            lines = _merge(child, was, counterpart, newline)
            placed.append((child.key, lines, lines == child.lines()))
        elif not old.child(child.key):
            placed.append((None, child.lines(), True))  # the user's own: never coach's to drop
    for index, child in enumerate(new.children):
        was = old.child(child.key)
        if mine.child(child.key) or (was and was.text() == child.text()):
            continue  # present, or a heading coach always writes that the user left out, still empty
        earlier = {c.key for c in new.children[:index]}
        at = max((i + 1 for i, (key, _, _) in enumerate(placed) if key in earlier), default=0)
        placed.insert(at, (child.key, child.lines(), False))
    return [(lines, verbatim) for _, lines, verbatim in placed]


def _join(out: list[str], lines: list[str], newline: str) -> list[str]:
    if out and lines and not out[-1].endswith(("\n", "\r")):
        out = [*out[:-1], out[-1] + newline]
    return [*out, *lines]


def _text(lines: list[str]) -> str:
    return "\n".join(bare(line).rstrip() for line in lines).strip()


def _items(lines: list[str]) -> list[str]:
    return parse_bullets(drop_comments([bare(line) for line in lines]))


def _grown(old: list[str], new: list[str]) -> int:
    """Return how many items new adds at the end of old's list, or 0 when it changed otherwise."""
    before, after = _items(old), _items(new)
    return len(after) - len(before) if before and after[: len(before)] == before else 0


def _appended(mine: list[str], new: list[str], grown: int, newline: str) -> list[str]:
    """Keep the user's list as written and add new's last `grown` items after its last line."""
    end = len(mine)
    while end and not bare(mine[end - 1]).strip():
        end -= 1
    starts = [i for i, line in enumerate(new) if bare(line).startswith("- ")]
    added = new[starts[-grown] :]
    while added and not bare(added[-1]).strip():
        added.pop()
    return _join(_join(mine[:end], added, newline), mine[end:], newline)
