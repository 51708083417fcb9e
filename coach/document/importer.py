"""Read a power-stories document (like the sample Netflix one) into stories and bank settings."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from coach.bank.catalog import find_company, story_type_names
from coach.bank.folder import Bank, read_text, settings_text, slugify, write_all
from coach.bank.markdown import Section, parse_bullets, split_sections, strip_quotes
from coach.bank.models import BankSettings, CompanyValue, PracticeNotes, Story
from coach.bank.storyfile import render_story
from coach.document.blocks import (
    read_analysis,
    read_draft,
    read_follow_up_questions,
    read_history,
    read_log,
    read_practice,
    split_labels,
)
from coach.errors import StoryExists, StoryFormatError

WINDOW = re.compile(r"(\d+)\s*(?:-|–|—|to)\s*(\d+)\s*(?:s\b|sec|seconds)", re.IGNORECASE)
RULE = re.compile(r"^\s*(-{3,}|\*{3,}|_{3,})\s*$")


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
    stems = [stem if stems.count(stem) == 1 else slugify(story.title) for stem, story in zip(stems, imported.stories, strict=True)]
    stems = [stem if stems.count(stem) == 1 else f"{stem}-{n}" for n, stem in enumerate(stems, 1)]
    paths = [bank.root / f"{stem}.md" for stem in stems]
    existing = [path.name for path in paths if path.exists()]
    if existing and not force:
        raise StoryExists(f"{bank.root} already has {', '.join(existing)}; nothing was imported; pass --force to overwrite")
    files = {path: render_story(story) for path, story in zip(paths, imported.stories, strict=True)}
    results = [ImportResult(p, "replaced" if p.exists() else "created", s) for p, s in zip(paths, imported.stories, strict=True)]
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
        fields["draft"] = read_draft(sub, fields)
    elif kind == "refined":
        fields["refined"] = strip_quotes(sub.text())
        window = WINDOW.search(sub.heading)
        if window:
            fields["target_seconds"] = (int(window.group(1)), int(window.group(2)))
    elif kind == "analysis":
        fields["extraction"] = read_analysis(sub)
    elif kind == "follow-ups" and not split_labels(sub.body)[1]:
        fields["follow_ups"] += read_follow_up_questions(sub.body)
    elif kind in ("practice", "follow-ups"):
        read_practice(sub, fields, notes)
    elif kind == "coaching":
        fields["coaching_notes"] += parse_bullets(sub.body)
    elif kind == "log":
        fields["practice"] = read_log(sub, path)
    elif kind == "history":
        fields["history"] = read_history(sub)
    else:
        raise StoryFormatError(
            path,
            f"unknown subsection '### {sub.heading}'; use a draft, refined, analysis, practice notes, "
            "coaching notes or follow-up heading",
            sub.line,
        )


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
