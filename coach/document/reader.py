"""One `## ` section of a power-stories document: whether it is a story, and the Story it shows.

A section is a story when it has a draft, refined or analysis `###` subsection (the template's shape), or, written
by hand, when prose stands under its heading before any `###` subsection: that prose is the draft.
"""

from __future__ import annotations

import re
from pathlib import Path

from pydantic import ValidationError

from coach.bank.catalog import story_type_names
from coach.bank.markdown import Section, join_text, parse_bullets, split_sections, strip_quotes
from coach.bank.models import PracticeNotes, Story
from coach.bank.storyfile import first_error
from coach.document.blocks import (
    LABEL,
    read_analysis,
    read_draft,
    read_follow_up_questions,
    read_history,
    read_log,
    read_practice,
    split_labels,
)
from coach.errors import StoryFormatError

WINDOW = re.compile(r"(\d+)\s*(?:-|–|—|to)\s*(\d+)\s*(?:s\b|sec|seconds)", re.IGNORECASE)
DEFAULT_TYPE = "general"  # the type of a hand-written story whose heading names no known type
NOT_STORIES = {"story crafting tips", "your story bank progress"}  # the template's own sections
COMMENT = re.compile(r"^\s*<!--.*-->\s*$")


def is_story(section: Section) -> bool:
    """Return True when the section holds a story: template subsections, or prose under a story heading."""
    intro, subs = split_sections(section.body, 3)
    if {subsection_kind(s.heading) for s in subs} & {"draft", "refined", "analysis"}:
        return True
    return section.heading.strip().lower() not in NOT_STORIES and any(_is_prose(line) for line in intro)


def read_story(section: Section, path: Path | str, bank_root: Path | None) -> Story:
    """Read one story section into a Story (extraction questions as written, possibly none)."""
    intro, subs = split_sections(section.body, 3, section.line + 1)
    title = story_title(section.heading)
    fields: dict = {"title": title, "values": [], "coaching_notes": [], "follow_ups": []}
    notes: dict = {"hooks": [], "key_words": [], "delivery_points": []}
    explicit_type = None
    for label in split_labels(intro, section.line + 1)[1]:
        name = label.name.lower()
        if _is_values_label(name):
            fields["values"] = [v.strip() for v in label.inline.split(",") if v.strip()]
        elif name in ("story type", "type"):
            explicit_type = label.inline
        elif name == "refined by":
            match = re.match(r"^(.*?)\s*\(sha (\w+)\)$", label.inline)
            fields["refined_by"], fields["refined_sha"] = match.groups() if match else (label.inline, "")
    prose = not {subsection_kind(s.heading) for s in subs} & {"draft", "refined", "analysis"}
    if prose:
        fields["draft"] = join_text([line for line in intro if not _is_metadata(line)])
    for sub in subs:
        _read_subsection(sub, fields, notes, path)
    fields["type"] = story_type(title, explicit_type, bank_root, DEFAULT_TYPE if prose else None)
    fields["practice_notes"] = PracticeNotes(**notes)
    try:
        return Story(**fields)
    except ValidationError as error:
        raise StoryFormatError(path, f"story '{title}': {first_error(error)}", section.line) from None


def subsection_kind(heading: str) -> str | None:
    """Name what a `###` subsection holds (draft, refined, analysis, ...), or None for a heading coach does not know."""
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


def story_title(heading: str) -> str:
    """Return the title of a `## Story 1: Title` heading."""
    return re.sub(r"^story\s*\d*\s*[:.\-–]\s*", "", heading.strip(), flags=re.IGNORECASE).strip() or heading


def story_type(title: str, explicit: str | None, bank_root: Path | None, default: str | None = None) -> str:
    """Return the stated type, else a known type the title names, else the default (or a slug of the title)."""
    if explicit:
        return explicit.strip().lower()
    lowered = title.lower()
    for name in story_type_names(bank_root):
        if re.search(rf"\b{re.escape(name)}\b", lowered):
            return name
    if default:
        return default
    core = re.sub(r"^the\s+|\s+story$", "", lowered.strip())
    return re.sub(r"[^a-z0-9]+", "-", core).strip("-") or "story"


def _is_values_label(name: str) -> bool:
    return name.endswith(("values", "principles"))


def _is_metadata(line: str) -> bool:
    """Return True for a `**Netflix Values:**`, `**Story Type:**` or `**Refined By:**` line."""
    match = LABEL.match(line.strip())
    name = (match.group(1) or match.group(3)).strip().lower() if match else ""
    return bool(match) and (_is_values_label(name) or name in ("story type", "type", "refined by"))


def _is_prose(line: str) -> bool:
    text = line.strip()
    return bool(text) and not text.startswith("|") and not COMMENT.match(text) and not _is_metadata(text)


def _read_subsection(sub: Section, fields: dict, notes: dict, path: Path | str) -> None:
    kind = subsection_kind(sub.heading)
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
