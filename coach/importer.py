"""Read a power-stories document (like the sample Netflix one) into stories and bank settings."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from coach.bank import Bank, read_text, settings_text, slugify, write_all
from coach.catalog import find_company, story_type_names
from coach.storyfile import render_story
from coach.errors import StoryExists, StoryFormatError
from coach.markdown import Section, join_text, parse_bullets, split_sections, strip_emphasis, strip_quotes
from coach.models import (
    BankSettings,
    CompanyValue,
    FollowUp,
    PracticeNotes,
    PracticeTake,
    Question,
    QuestionGroup,
    RefinedVersion,
    Story,
)

LABEL = re.compile(r"^\*\*([^*]+?):\*\*\s*(.*)$|^\*\*([^*]+?)\*\*:\s*(.*)$")
BULLET = re.compile(r"^\s{0,1}[-*+]\s+(.*)$")
WINDOW = re.compile(r"(\d+)\s*(?:-|–|—|to)\s*(\d+)\s*(?:s\b|sec|seconds)", re.IGNORECASE)
ITALIC_LINE = re.compile(r"^\s*(\*[^*].*[^*]\*|_[^_].*[^_]_)\s*$")
RULE = re.compile(r"^\s*(-{3,}|\*{3,}|_{3,})\s*$")
TAKE = re.compile(r"^(\d{4}-\d{2}-\d{2}[ T][\d:]+):\s*([\d.]+)\s*s(?:\s*\((\d+) words\))?")


@dataclass
class Label:
    """A `**Label:** inline text` line and the lines beneath it."""

    name: str
    inline: str
    line: int
    body: list[str] = field(default_factory=list)


@dataclass
class ImportedBank:
    """What a document holds: the bank settings and the stories, in order."""

    settings: BankSettings
    stories: list[Story]


@dataclass
class ImportResult:
    """One file an import wrote, and whether it was new or replaced an older one."""

    path: Path
    action: str
    story: Story | None = None


def import_into_bank(bank: Bank, document: Path, force: bool = False) -> list[ImportResult]:
    """Import a document into the bank; nothing is written if any story file already exists, unless forced."""
    imported = import_document(read_text(document), document, bank.root)
    stems = [slugify(story.type) for story in imported.stories]
    stems = [stem if stems.count(stem) == 1 else slugify(story.title) for stem, story in zip(stems, imported.stories)]
    stems = [stem if stems.count(stem) == 1 else f"{stem}-{n}" for n, stem in enumerate(stems, 1)]
    paths = [bank.root / f"{stem}.md" for stem in stems]
    existing = [path.name for path in paths if path.exists()]
    if existing and not force:
        raise StoryExists(f"{bank.root} already has {', '.join(existing)}; nothing was imported; pass --force to overwrite")
    files = {path: render_story(story) for path, story in zip(paths, imported.stories)}
    results = [ImportResult(p, "replaced" if p.exists() else "created", s) for p, s in zip(paths, imported.stories)]
    if force or not bank.settings_path.exists():
        results.append(ImportResult(bank.settings_path, "replaced" if bank.settings_path.exists() else "created"))
        files[bank.settings_path] = settings_text(imported.settings)
    else:
        results.append(ImportResult(bank.settings_path, "kept"))
    write_all(files)
    return results


def import_document(text: str, path: Path | str = "<document>", bank_root: Path | None = None) -> ImportedBank:
    """Parse a power-stories document; raise StoryFormatError when it holds no story."""
    if "\x00" in text:
        raise StoryFormatError(path, "is a binary file, not a Markdown document")
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    lines = ["" if RULE.match(line) else line for line in lines]  # keep numbering, drop rules
    preamble, sections = split_sections(lines, 2)
    stories = [_read_story(s, path, bank_root) for s in sections if _is_story(s)]
    if not stories:
        raise StoryFormatError(path, "holds no stories: expected `## ` story headings with a draft or refined version")
    settings = _read_settings(lines, preamble, sections, stories, bank_root)
    for story in stories:
        if story.target_seconds == settings.target_seconds:
            story.target_seconds = None
    return ImportedBank(settings, stories)


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


def _is_story(section: Section) -> bool:
    _, subs = split_sections(section.body, 3)
    kinds = {_subsection_kind(s.heading) for s in subs}
    return bool(kinds & {"draft", "refined", "analysis"})


def _subsection_kind(heading: str) -> str | None:
    h = heading.lower()
    rules = [
        ("draft", ("write your story", "draft", "story first")),
        ("refined", ("earlier refined", "history")),
        ("analysis", ("analysis", "extract")),
        ("practice", ("practice notes", "delivery")),
        ("log", ("practice log",)),
        ("coaching", ("coaching",)),
        ("follow-ups", ("follow-up", "follow up")),
    ]
    if "refined" in h and not any(word in h for word in ("earlier", "history")):
        return "refined"
    for kind, needles in rules:
        if any(needle in h for needle in needles):
            return "history" if kind == "refined" else kind
    return None


def _story_title(heading: str) -> str:
    return re.sub(r"^story\s*\d*\s*[:.\-–]\s*", "", heading.strip(), flags=re.IGNORECASE).strip() or heading


def _story_type(title: str, explicit: str | None, bank_root: Path | None) -> str:
    if explicit:
        return explicit.strip().lower()
    lowered = title.lower()
    for name in story_type_names(bank_root):
        if re.search(rf"\b{re.escape(name)}\b", lowered):
            return name
    core = re.sub(r"^the\s+|\s+story$", "", lowered.strip())
    return re.sub(r"[^a-z0-9]+", "-", core).strip("-") or "story"


def _read_story(section: Section, path: Path | str, bank_root: Path | None) -> Story:
    intro, subs = split_sections(section.body, 3, section.line + 1)
    title = _story_title(section.heading)
    fields: dict = {"title": title, "values": [], "coaching_notes": [], "follow_ups": []}
    notes: dict = {"hooks": [], "key_words": [], "delivery_points": []}
    explicit_type = None
    for label in split_labels(intro, section.line + 1)[1]:
        name = label.name.lower()
        if name.endswith(("values", "principles")):
            fields["values"] = [v.strip() for v in label.inline.split(",") if v.strip()]
        elif name in ("story type", "type"):
            explicit_type = label.inline
        elif name == "refined by":
            match = re.match(r"^(.*?)\s*\(sha (\w+)\)$", label.inline)
            fields["refined_by"], fields["refined_sha"] = match.groups() if match else (label.inline, "")
    for sub in subs:
        _read_subsection(sub, fields, notes, path)
    fields["type"] = _story_type(title, explicit_type, bank_root)
    fields["practice_notes"] = PracticeNotes(**notes)
    return Story(**fields)


def _read_subsection(sub: Section, fields: dict, notes: dict, path: Path | str) -> None:
    kind = _subsection_kind(sub.heading)
    if kind == "draft":
        fields["draft"] = _read_draft(sub, fields)
    elif kind == "refined":
        fields["refined"] = strip_quotes(sub.text())
        window = WINDOW.search(sub.heading)
        if window:
            fields["target_seconds"] = (int(window.group(1)), int(window.group(2)))
    elif kind == "analysis":
        fields["extraction"] = _read_analysis(sub)
    elif kind == "follow-ups" and not split_labels(sub.body)[1]:
        asked = _read_questions(sub.body)
        fields["follow_ups"] += [FollowUp(question=q.text, answer=strip_quotes(q.answer)) for q in asked]
    elif kind in ("practice", "follow-ups"):
        _read_practice(sub, fields, notes)
    elif kind == "coaching":
        fields["coaching_notes"] += parse_bullets(sub.body)
    elif kind == "log":
        fields["practice"] = _read_log(sub, path)
    elif kind == "history":
        fields["history"] = _read_history(sub)
    else:
        raise StoryFormatError(
            path,
            f"unknown subsection '### {sub.heading}'; use a draft, refined, analysis, practice notes, "
            "coaching notes or follow-up heading",
            sub.line,
        )


def _read_draft(sub: Section, fields: dict) -> str:
    body = [line for line in sub.body if not ITALIC_LINE.match(line)]
    preamble, labels = split_labels(body, sub.line + 1)
    for label in labels:
        if "coaching" in label.name.lower():
            fields["coaching_notes"] += parse_bullets([label.inline, *label.body])
        else:
            preamble += [f"**{label.name}:** {label.inline}".rstrip(), *label.body]
    return join_text(preamble)


def _read_analysis(sub: Section) -> list[QuestionGroup]:
    _, labels = split_labels(sub.body, sub.line + 1)
    return [QuestionGroup(heading=label.name, questions=_read_questions(label.body)) for label in labels]


def _read_questions(lines: list[str]) -> list[Question]:
    questions: list[tuple[str, str, list[str]]] = []
    for line in lines:
        bullet = BULLET.match(line)
        if bullet:
            text, same_line = _split_question(bullet.group(1).strip())
            questions.append((text, same_line, []))
        elif questions:
            questions[-1][2].append(line)
    return [Question(text=text, answer=_join_answer(inline, rest)) for text, inline, rest in questions]


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


def _read_practice(sub: Section, fields: dict, notes: dict) -> None:
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


def _read_log(sub: Section, path: Path | str) -> list[PracticeTake]:
    takes = []
    for offset, item in enumerate(parse_bullets(sub.body)):
        match = TAKE.match(item)
        if not match:
            raise StoryFormatError(path, f"practice log line '{item}' is not `DATE TIME: SECONDS s`", sub.line + offset + 1)
        at = datetime.fromisoformat(match.group(1).replace(" ", "T"))
        words = int(match.group(3)) if match.group(3) else None
        takes.append(PracticeTake(at=at, seconds=float(match.group(2)), words=words))
    return takes


def _read_history(sub: Section) -> list[RefinedVersion]:
    versions = []
    for label in split_labels(sub.body, sub.line + 1)[1]:
        saved, _, source = label.name.rpartition(" · ")
        text = strip_quotes(join_text([label.inline, *label.body]))
        versions.append(RefinedVersion(saved=saved or label.name, source=source or "hand", text=text))
    return versions


def _read_settings(lines, preamble, sections, stories, bank_root) -> BankSettings:
    text = "\n".join(lines)
    title = next((s for s in (_h1(line) for line in preamble) if s), "")
    company = _company(title, text)
    window = WINDOW.search(text)
    rate = re.search(r"(\d{2,3})\s*words per minute", text, re.IGNORECASE)
    role = re.search(r"^\*\*Role:\*\*\s*(.+)$", text, re.MULTILINE)
    profile = find_company(company, bank_root) if company else None
    values = [value.model_copy() for value in profile.values] if profile else []
    known = {value.name.lower() for value in values}
    for story in stories:
        for name in story.values:
            if name.lower() not in known:
                values.append(CompanyValue(name=name))
                known.add(name.lower())
    settings: dict = {"company": profile.name if profile else (company or "Generic"), "values": values}
    if window:
        settings["target_seconds"] = (int(window.group(1)), int(window.group(2)))
    if rate:
        settings["words_per_minute"] = int(rate.group(1))
    if role:
        settings["role"] = role.group(1).strip()
    return BankSettings(**settings)


def _h1(line: str) -> str:
    match = re.match(r"^#\s+(.*)$", line)
    return match.group(1).strip() if match else ""


def _company(title: str, text: str) -> str:
    match = re.search(r"\bfor\s+(?:an?\s+|the\s+)?(.+?)\s+(?:interviews?|loop|onsite)\b", title, re.IGNORECASE)
    if match:
        return match.group(1).strip()
    match = re.search(r"^\*\*(.+?)\s+(?:Values|Leadership Principles|Principles):\*\*", text, re.MULTILINE)
    return match.group(1).strip() if match else ""
