"""The blocks inside one story of a power-stories document: labels, questions, practice notes, logs."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from pydantic import ValidationError

from coach.bank.markdown import Section, join_text, parse_bullets, strip_emphasis, strip_quotes
from coach.bank.models import FollowUp, HistoryEntry, PracticeTake, Question, QuestionGroup
from coach.errors import StoryFormatError

LABEL = re.compile(r"^\*\*([^*]+?):\*\*\s*(.*)$|^\*\*([^*]+?)\*\*:\s*(.*)$")
BULLET = re.compile(r"^\s{0,1}[-*+]\s+(.*)$")
ITALIC_LINE = re.compile(r"^\s*(\*[^*].*[^*]\*|_[^_].*[^_]_)\s*$")
TAKE = re.compile(
    r"^(\d{4}-\d{2}-\d{2}[ T][\d:.]+(?:Z|[+-]\d{2}:?\d{2})?):\s*(-?[\d.]+(?:e[+-]?\d+)?)\s*s(?:\s*\((\d+) words\))?"
)


@dataclass
class Label:
    """A `**Label:** inline text` line and the lines beneath it."""

    name: str
    inline: str
    line: int
    body: list[str] = field(default_factory=list)


def split_labels(lines: list[str], first_line: int = 1) -> tuple[list[str], list[Label]]:
    """Split lines at `**Label:**` lines; return the lines before the first label and the labels."""
    preamble: list[str] = []
    labels: list[Label] = []
    for offset, line in enumerate(lines):
        match = LABEL.match(line.strip())
        if match:
            name = (match.group(1) or match.group(3)).strip()
            inline = (match.group(2) if match.group(1) else match.group(4)) or ""
            labels.append(Label(name, inline.strip(), first_line + offset))
        elif labels:
            labels[-1].body.append(line)
        else:
            preamble.append(line)
    return preamble, labels


def read_draft(sub: Section, fields: dict) -> str:
    body = [line for line in sub.body if not ITALIC_LINE.match(line)]
    preamble, labels = split_labels(body, sub.line + 1)
    for label in labels:
        if "coaching" in label.name.lower():
            fields["coaching_notes"] += parse_bullets([label.inline, *label.body])
        else:
            preamble += [f"**{label.name}:** {label.inline}".rstrip(), *label.body]
    return join_text(preamble)


def read_analysis(sub: Section) -> list[QuestionGroup]:
    _, labels = split_labels(sub.body, sub.line + 1)
    return [QuestionGroup(heading=label.name, questions=read_questions(label.body)) for label in labels]


def read_questions(lines: list[str]) -> list[Question]:
    questions: list[tuple[str, str, list[str]]] = []
    for line in lines:
        bullet = BULLET.match(line)
        if bullet:
            text, same_line = _split_question(bullet.group(1).strip())
            questions.append((text, same_line, []))
        elif questions:
            questions[-1][2].append(line)
    return [Question(text=text, answer=_join_answer(inline, rest)) for text, inline, rest in questions]


def read_follow_up_questions(lines: list[str]) -> list[FollowUp]:
    """Read follow-ups written as question bullets with their answers beneath (the exported shape)."""
    return [FollowUp(question=q.text, answer=strip_quotes(q.answer)) for q in read_questions(lines)]


def _split_question(line: str) -> tuple[str, str]:
    """Split `Question? answer` or `Question? **answer**` into question and same-line answer."""
    if "**" in line:
        question, _, answer = line.partition("**")
        return question.strip(), strip_emphasis("**" + answer)
    mark = line.rfind("?")
    if mark == -1:
        return line, ""
    rest = line[mark + 1 :].strip()
    if not rest or (rest.startswith("(") and rest.endswith(")")):
        return line, ""
    return line[: mark + 1].strip(), rest


def _join_answer(inline: str, rest: list[str]) -> str:
    body = join_text(rest)
    body = "\n".join(strip_emphasis(line.strip()) for line in body.split("\n")) if body else ""
    if not inline:
        return body
    if body and len(inline) <= 2 and inline.isalpha() and body[:1].islower():
        return inline + body  # an answer that wrapped mid-word onto the next line
    return f"{inline}\n{body}" if body else inline


def read_practice(sub: Section, fields: dict, notes: dict) -> None:
    _, labels = split_labels(sub.body, sub.line + 1)
    for label in labels:
        name = label.name.lower()
        items = [strip_quotes(item) for item in parse_bullets(label.body)]
        if name.startswith("if asked"):
            fields["follow_ups"].append(FollowUp(question=label.name, answer=_answer_text(label.inline, label.body)))
        elif "hook" in name:
            notes["hooks"] += ([strip_quotes(label.inline)] if label.inline else []) + items
        elif "delivery guidance" in name:
            _read_guidance(parse_bullets(label.body), notes)
        elif name in ("pacing", "tone"):
            notes[name] = label.inline
        elif "key words" in name:
            notes["key_words"] += _key_words(label.inline) + items
        elif "follow-up" in name or "follow up" in name:
            fields["follow_ups"] += _read_follow_up_bullets(label.body)
        elif "coaching" in name:
            fields["coaching_notes"] += items
        else:
            notes["delivery_points"] += ([label.inline] if label.inline else []) + items


def _answer_text(inline: str, body: list[str]) -> str:
    return strip_quotes(join_text([inline, *body]))


def _read_guidance(items: list[str], notes: dict) -> None:
    for item in items:
        match = re.match(r"^\*\*([^*]+?):?\*\*:?\s*(.*)$", item, re.DOTALL)
        key = match.group(1).strip().lower() if match else ""
        value = match.group(2).strip() if match else item
        if key in ("pacing", "tone"):
            notes[key] = value
        elif key == "key words":
            notes["key_words"] += _key_words(value)
        else:
            notes["delivery_points"].append(f"{match.group(1)}: {value}" if match else item)


def _key_words(text: str) -> list[str]:
    quoted = re.findall(r"[\"“]([^\"”]+)[\"”]", text)
    return quoted or [word.strip() for word in text.split(",") if word.strip()]


def _read_follow_up_bullets(lines: list[str]) -> list[FollowUp]:
    follow_ups: list[tuple[str, list[str]]] = []
    for line in lines:
        bullet = BULLET.match(line)
        if bullet:
            question, _, answer = bullet.group(1).partition(":")
            follow_ups.append((question.strip(), [answer]))
        elif follow_ups:
            follow_ups[-1][1].append(line)
    return [FollowUp(question=q, answer=strip_quotes(join_text([s.strip() for s in a]))) for q, a in follow_ups]


def read_log(sub: Section, path: Path | str) -> list[PracticeTake]:
    takes = []
    for offset, item in enumerate(parse_bullets(sub.body)):
        match = TAKE.match(item)
        try:
            at = datetime.fromisoformat(match.group(1).replace(" ", "T")) if match else None
            seconds = float(match.group(2)) if match else None
        except ValueError:
            at = seconds = None
        if at is None or seconds is None:
            raise StoryFormatError(path, f"practice log line '{item}' is not `DATE TIME: SECONDS s`", sub.line + offset + 1)
        words = int(match.group(3)) if match.group(3) else None
        try:
            takes.append(PracticeTake(at=at, seconds=seconds, words=words))
        except ValidationError:  # `-5 s`, `1e999 s`: no length of time
            raise StoryFormatError(path, f"practice log line '{item}' has {seconds:g} seconds, which is no length "
                                   "of time; write the take's seconds as a number, like 52.5", sub.line + offset + 1) from None
    return takes


def read_history(sub: Section) -> list[HistoryEntry]:
    versions = []
    for label in split_labels(sub.body, sub.line + 1)[1]:
        saved, source, subject = [*label.name.split(" · ", 2), "", ""][:3]
        text = strip_quotes(join_text([label.inline, *label.body]))
        versions.append(HistoryEntry(saved=saved, source=source or "hand", text=text, subject=subject))
    return versions
