"""The story file format: YAML front matter plus fixed `##` sections; parse and render are inverses.

What coach does not read is the user's, and stays where it is: text before the first section, sections and
practice notes of their own, and HTML comments (`<!-- private -->`) anywhere. `coach.bank.edit` keeps them when
a command saves.
"""

from __future__ import annotations

import math
import re
import secrets
from pathlib import Path

import yaml
from pydantic import ValidationError

from coach.bank import yamledit
from coach.bank.bounded import RefusedYAML, load_yaml
from coach.bank.markdown import Section, drop_comments, join_text, parse_bullets, render_bullets, split_sections
from coach.bank.models import (
    TAKE_LINES,
    FollowUp,
    FollowUpMark,
    HistoryEntry,
    PracticeNotes,
    Question,
    QuestionGroup,
    Story,
    Takes,
)
from coach.errors import StoryFormatError

SECTIONS = {
    "draft": "Draft",
    "extraction": "Extraction",
    "refined": "Refined",
    "coaching notes": "Coaching Notes",
    "practice notes": "Practice Notes",
    "follow-ups": "Follow-ups",
    "history": "History",
}
NOTE_PARTS = {
    "opening hooks": "hooks",
    "pacing": "pacing",
    "tone": "tone",
    "key words": "key_words",
    "delivery points": "delivery_points",
}
LIST_PARTS = {"hooks", "key_words", "delivery_points"}
META_FIELDS = ("title", "type", "values", "target_seconds", "refined_by", "refined_sha", "coach_wrote", "practice",
               "follow_up_state")
MARKS = "follow_up_state"  # per follow-up id: the model that wrote its answer, a fingerprint, the pin
PROPOSED, PROPOSED_FROM = "> Proposed: ", "> From your draft: "

TAKES_KEY = re.compile(r"^practice:\n", re.MULTILINE)
PURE_PYTHON_LIMIT = 256 * 1024
SECTIONS_LIMIT = 1_000_000  # characters below the front matter: a 10,000-word draft is 60,000
VALID_TAKES: list[tuple[str, list[str]]] = []  # the last few practice logs found valid, with their lines


def _pure_python_error(front: str) -> yaml.YAMLError:
    try:
        yaml.safe_load(front)
    except yaml.YAMLError as error:
        return error
    except Exception:  # only a better line number was sought
        pass
    return yaml.YAMLError("unreadable YAML")


def parse_story(text: str, path: Path | str = "<story>") -> Story:
    """Parse the text of a story file into a Story, or raise StoryFormatError naming the line."""
    if "\x00" in text:
        raise StoryFormatError(path, "is a binary file, not a story; remove it from the bank")
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    meta, body_start, body = _front_matter(text, path)
    size = sum(map(len, body)) + len(body) - 1  # with the line ends
    if size > SECTIONS_LIMIT:  # the method's checks take a minute a megabyte of numbers: no real story is near it
        raise StoryFormatError(path, f"has {size:,} characters below its front matter, over the {SECTIONS_LIMIT:,} coach "
                               "reads in a story's sections; move some of its text to a file of its own", body_start + 1)
    fields: dict = dict(meta)
    marks = fields.pop(MARKS, None) or {}
    _, sections = split_sections(drop_comments(body), 2, body_start + 1)
    seen: dict[str, int] = {}
    for section in sections:
        key = section_key(section.heading)
        if key not in SECTIONS:
            continue  # a section of the user's own: kept in the file, not read
        if key in seen:
            raise StoryFormatError(path, f"'## {section.heading}' appears twice (lines {seen[key]} and {section.line}); "
                                   "merge them into one", section.line)
        seen[key] = section.line
        fields.update(_read_section(key, section, path))
    try:
        story = Story.model_validate(fields)
    except ValidationError as error:
        raise StoryFormatError(path, f"front matter: {_bad_take(error) or first_error(error)}", 1) from None
    _apply_marks(story, marks, path)
    story.forget_edited_notes()  # a note edited by hand is the user's: its fingerprint no longer counts
    return story


def _apply_marks(story: Story, marks, path: Path | str) -> None:
    """Attach the front matter's per-id marks to the follow-ups; marks of ids no longer there are dropped."""
    if not isinstance(marks, dict):
        raise StoryFormatError(path, f"front matter: {MARKS} must be `id: {{by: ..., sha: ..., pinned: true}}` lines", 2)
    marks = {str(key).strip().lower(): value for key, value in marks.items()}  # `464:` is read as a number
    for follow_up, fid in zip(story.follow_ups, story.follow_up_ids(), strict=True):
        if fid in marks:
            try:
                mark = FollowUpMark.model_validate(marks[fid] or {})
            except ValidationError as error:
                raise StoryFormatError(path, f"front matter: {MARKS} of {fid}: {first_error(error)}", 2) from None
            follow_up.by, follow_up.sha, follow_up.pinned = mark.by, mark.sha, mark.pinned


def section_key(heading: str) -> str:
    """Return the name a heading is known by: lower case, spacing collapsed."""
    return " ".join(heading.lower().split())


def front_matter(story: Story) -> dict:
    """Return the front matter fields of a story, in file order, as render_story writes them.

    The practice log stays a Takes, not dumped take by take: a save compares and writes only the takes that changed.
    """
    meta = story.model_dump(mode="json", include=set(META_FIELDS) - {"practice"}, exclude_defaults=True)
    if story.practice:
        meta["practice"] = story.practice if isinstance(story.practice, Takes) else Takes(story.practice)
    meta = {key: meta[key] for key in META_FIELDS if key in meta}
    meta.setdefault("values", [])
    marks = {fid: f.mark() for f, fid in zip(story.follow_ups, story.follow_up_ids(), strict=True) if f.mark()}
    if marks:
        meta[MARKS] = marks
    return meta


def render_story(story: Story) -> str:
    """Render a Story as the text of its file."""
    return "---\n" + yamledit.dump(front_matter(story)) + "---\n" + render_body(story)


def render_body(story: Story) -> str:
    """Render what follows a story's front matter (from the line after its closing `---`)."""
    parts = ["## Draft", story.draft, "## Extraction"]
    for group in story.extraction:
        parts.append(f"### {group.heading}")
        for question in group.questions:
            parts += [f"#### {question.text}", _proposal(question), question.answer]
    parts += ["## Refined", story.refined, "## Coaching Notes", render_bullets(story.coaching_notes)]
    parts.append("## Practice Notes")
    notes = story.practice_notes
    for heading, attr in NOTE_PARTS.items():
        value = getattr(notes, attr)
        parts += [f"### {heading.title()}", render_bullets(value) if attr in LIST_PARTS else value]
    parts.append("## Follow-ups")
    for follow_up in story.follow_ups:
        parts += [f"### {follow_up.question}", follow_up.answer]
    parts.append("## History")
    for entry in story.history:
        subject = f" · {entry.subject}" if entry.subject else ""
        parts += [f"### {entry.saved} · {entry.source}{subject}", entry.text]
    return "\n" + "\n\n".join(part for part in parts if part) + "\n"


def _front_matter(text: str, path: Path | str) -> tuple[dict, int, list[str]]:
    """Return the front matter's fields, the index of the body's first line, and the body's lines.

    The text is searched, not split into lines, up to the closing `---`: a practice log of 100,000 takes is one
    string until its takes are looked at.
    """
    first = text.partition("\n")[0]
    if first.strip() != "---":
        raise StoryFormatError(path, "missing front matter: the file must start with a `---` line", 1)
    start = at = len(first) + 1
    while True:  # the first line after the first that is `---` (spaces around it allowed); each line looked at once
        at = text.find("---", at)
        if at < 0:
            raise StoryFormatError(path, "front matter is never closed with a `---` line", 1)
        line_start, line_end = text.rfind("\n", 0, at) + 1, text.find("\n", at)
        line_end = len(text) if line_end < 0 else line_end
        if text[line_start:line_end].strip() == "---":
            break
        at = line_end + 1
    meta = _meta(text[start:line_start], path)
    if not isinstance(meta, dict):
        raise StoryFormatError(path, "front matter must be `key: value` lines", 2)
    unknown = sorted(set(meta) - set(META_FIELDS))
    if unknown:
        raise StoryFormatError(path, f"unknown front matter key '{unknown[0]}' (known: {', '.join(META_FIELDS)})", 2)
    end = text.count("\n", 0, line_start)
    return meta, end + 1, text[line_end + 1 :].split("\n") if line_end < len(text) else []


def _meta(front: str, path: Path | str):
    """Read the front matter (each line ended); a practice log in coach's own one-line form is not read by YAML.

    The log's lines are replaced by one stand-in item: when YAML then reads `practice:` as exactly that item, the
    lines were the log and nothing else, and the rest reads as it would have with them.
    """
    takes = _take_lines(front)
    if takes is not None:
        start, stop, lines = takes
        stand_in = f"coach-takes-{secrets.token_hex(8)}"  # no file can hold it already
        try:
            meta = load_yaml(f"{front[:start]}- {stand_in}\n{front[stop:]}")
        except yaml.YAMLError:
            meta = None  # read it all as YAML, for the error's line
        if isinstance(meta, dict) and meta.get("practice") == [stand_in]:
            meta["practice"] = Takes.from_lines(lines)
            return meta
    front = front.removesuffix("\n")  # as the lines between the `---` lines read, for the error's line
    try:
        return load_yaml(front) or {}
    except RefusedYAML as error:
        raise StoryFormatError(path, f"front matter {error.problem}", error.line and error.line + 1) from None
    except yaml.YAMLError as fast_error:
        # the pure-Python reader's marks point at the line people need to fix; it reads 1 MB a second, so not a
        # front matter of megabytes
        error = _pure_python_error(front) if len(front) <= PURE_PYTHON_LIMIT else fast_error
        mark = getattr(error, "problem_mark", None)
        line = mark.line + 2 if mark else 1
        raise StoryFormatError(path, f"malformed front matter: {getattr(error, 'problem', error)}", line) from None


def _take_lines(front: str) -> tuple[int, int, list[str]] | None:
    """Return where the takes in coach's own form that follow the first `practice:` line start and stop, and them.

    Checking 100,000 takes takes a while, so the last few logs found valid are kept: a save reads again what it
    just read, and then what it wrote, the same log with one more take.
    """
    key = TAKES_KEY.search(front)
    if key is None:
        return None
    start = key.end()
    block, lines = next(((block, lines) for block, lines in VALID_TAKES if front.startswith(block, start)), ("", []))
    stop = TAKE_LINES.match(front, start + len(block)).end()
    if stop == start:
        return None
    if len(block) != stop - start:
        lines = [*lines, *front[start + len(block) : stop].split("\n")[:-1]]
        VALID_TAKES[:] = [(front[start:stop], lines), *VALID_TAKES[:3]]
    return start, stop, lines


def _read_section(key: str, section: Section, path: Path | str) -> dict:
    if key == "draft":
        return {"draft": section.text()}
    if key == "refined":
        return {"refined": section.text()}
    if key == "coaching notes":
        return {"coaching_notes": parse_bullets(section.body)}
    if key == "extraction":
        return {"extraction": _read_extraction(section, path)}
    if key == "practice notes":
        return {"practice_notes": _read_practice_notes(section, path)}
    if key == "follow-ups":
        return {"follow_ups": [FollowUp(question=s.heading, answer=s.text()) for s in _subsections(section, path)]}
    return {"history": [_read_version(s, path) for s in _subsections(section, path)]}


def _subsections(section: Section, path: Path | str, level: int = 3) -> list[Section]:
    preamble, subs = split_sections(section.body, level, section.line + 1)
    if join_text(preamble):
        where = "#" * level
        raise StoryFormatError(path, f"text under '## {section.heading}' must sit under a `{where} ` heading", section.line)
    return subs


def _read_extraction(section: Section, path: Path | str) -> list[QuestionGroup]:
    groups = []
    for group in _subsections(section, path):
        questions = [_read_question(q) for q in _subsections(group, path, 4)]
        groups.append(QuestionGroup(heading=group.heading, questions=questions))
    return groups


def _read_question(section: Section) -> Question:
    """Read a question's answer, and a proposal of coach's above it: `> Proposed: ...` then `> From your draft: "..."`."""
    lines = [line.rstrip() for line in section.body]
    start = next((i for i, line in enumerate(lines) if line.strip()), len(lines))
    if not lines[start:] or not lines[start].startswith(PROPOSED.rstrip()):
        return Question(text=section.heading, answer=section.text())
    end = start
    while end < len(lines) and lines[end].startswith(">"):
        end += 1
    proposal, quotes = [], []
    for line in lines[start:end]:
        if line.startswith(PROPOSED_FROM.rstrip()):
            quotes.append(_unquoted(line[len(PROPOSED_FROM.rstrip()):].strip()))
        else:
            proposal.append(line.removeprefix(PROPOSED.rstrip()).removeprefix(">").strip())
    answer = join_text(lines[end:])
    return Question(text=section.heading, answer=answer, proposed=" ".join(p for p in proposal if p), proposed_from=quotes)


def _unquoted(text: str) -> str:
    return text[1:-1] if len(text) >= 2 and text[0] in "\"“" and text[-1] in "\"”" else text


def _proposal(question: Question) -> str:
    if not question.proposed:
        return ""
    quotes = [f'{PROPOSED_FROM}"{" ".join(quote.split())}"' for quote in question.proposed_from]
    return "\n".join([PROPOSED + " ".join(question.proposed.split()), *quotes])


def _read_practice_notes(section: Section, path: Path | str) -> PracticeNotes:
    notes: dict = {}
    for part in _subsections(section, path):
        attr = NOTE_PARTS.get(section_key(part.heading))
        if attr is not None:  # a practice note of the user's own is kept in the file, not read
            notes[attr] = parse_bullets(part.body) if attr in LIST_PARTS else part.text()
    return PracticeNotes(**notes)


def _read_version(section: Section, path: Path | str) -> HistoryEntry:
    """Read `### SAVED · SOURCE` (a refined version) or `### SAVED · SOURCE · SUBJECT` (say, a follow-up answer)."""
    saved, source, subject = [*section.heading.split(" · ", 2), "", ""][:3]
    return HistoryEntry(saved=saved.strip(), source=source.strip() or "hand", text=section.text(), subject=subject.strip())


def _bad_take(error: ValidationError) -> str:
    """Say which take of the practice log has seconds that are no length of time (`.nan`, `.inf`, below 0)."""
    first = error.errors()[0]
    loc, value = first["loc"], first.get("input")
    if len(loc) != 3 or loc[0] != "practice" or loc[2] != "seconds" or not isinstance(value, int | float):
        return ""
    shown = f"{value:g}" if math.isfinite(value) else str(value)
    return (f"practice take {loc[1] + 1} has `seconds: {shown}`, which is no length of time; write the take's "
            "seconds as a number, like 52.5, or remove the take")


def first_error(error: ValidationError) -> str:
    first = error.errors()[0]
    where = ".".join(str(part) for part in first["loc"])
    return f"{where}: {first['msg']}" if where else first["msg"]
