"""Read a power-stories document (the template's shape, coach's own export, or prose under `## ` headings) into a bank."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from pydantic import ValidationError

from coach.bank.catalog import connection_group, find_company, load_company, load_story_type, story_type_names
from coach.bank.folder import Bank, read_text, slugify
from coach.bank.markdown import Section, split_sections
from coach.bank.models import Story
from coach.bank.settings import BankSettings
from coach.bank.storyfile import first_error
from coach.document.carry import carried_file, read_comment, restore_settings, restore_story
from coach.document.importplan import ImportPlan, apply_import, plan_files
from coach.document.reader import DEFAULT_TYPE, WINDOW, is_story, read_story
from coach.errors import StoryFormatError

RULE = re.compile(r"^\s*(-{3,}|\*{3,}|_{3,})\s*$")
TYPE_NAME = re.compile(r"[a-z0-9][a-z0-9_-]*")
Known = Callable[[], BankSettings | None]  # the bank's own settings, read only when the document names no company


@dataclass
class ImportedBank:
    """What a document holds: the bank settings, the stories in order, and each story's file name."""

    settings: BankSettings
    stories: list[Story]
    files: list[str] = field(default_factory=list)


@dataclass
class ShownDocument:
    """What a document's text shows, and the `<!-- coach: ... -->` comments set aside to complete it."""

    settings: BankSettings
    stories: list[Story]
    carried: list[dict | None]  # each story's comment; None for a story written by hand
    bank: dict  # the comment under the title


def import_into_bank(bank: Bank, document: Path, force: bool = False, company: str | None = None,
                     now: datetime | None = None) -> ImportPlan:
    """Import a document into the bank: add its new stories; with force, replace the others, keeping copies."""
    plan = plan_import(bank, document, force, company, now)
    return apply_import(plan)


def plan_import(bank: Bank, document: Path, force: bool = False, company: str | None = None,
                now: datetime | None = None) -> ImportPlan:
    """Work out what importing the document does to the bank, writing nothing."""

    def known() -> BankSettings | None:
        return bank.settings() if bank.settings_path.exists() else None

    imported = import_document(read_text(document, what="a document"), document, bank.root, company, known)
    return plan_files(bank, imported.files, imported.stories, imported.settings, force, now or datetime.now())


def import_document(
    text: str, path: Path | str = "<document>", bank_root: Path | None = None, company: str | None = None, known: Known | None = None
) -> ImportedBank:
    """Parse a power-stories document; raise StoryFormatError when it holds no story.

    `company` (a profile name) overrides the document's company; `known` gives the bank's settings, which stand in
    for what the document does not say when it names no company.
    """
    shown = read_document(text, path, bank_root, company, known)
    settings = restore_settings(shown.settings, shown.bank, path)
    stories = []
    for story, carried in zip(shown.stories, shown.carried, strict=True):
        if carried is None:  # written by hand: give it questions to answer
            stories.append(_with_questions(restore_story(story, {}, settings, path), settings, bank_root))
        else:
            stories.append(restore_story(story, carried, settings, path))
    files = file_names(stories, [carried_file(c, path) if c else None for c in shown.carried])
    return ImportedBank(settings, stories, files)


def read_document(
    text: str, path: Path | str = "<document>", bank_root: Path | None = None, company: str | None = None, known: Known | None = None
) -> ShownDocument:
    """Read what a document shows, setting aside the `<!-- coach: ... -->` comments it carries."""
    if "\x00" in text:
        raise StoryFormatError(path, "is a binary file, not a Markdown document")
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    lines = ["" if RULE.match(line) else line for line in lines]  # keep numbering, drop rules
    comments: dict[int, dict] = {}
    for number, line in enumerate(lines, 1):
        data = read_comment(line, path, number)
        if data is not None:
            comments[number] = data
            lines[number - 1] = ""
    preamble, sections = split_sections(lines, 2)
    sections = [section for section in sections if is_story(section)]
    if not sections:
        raise StoryFormatError(path, "holds no stories: expected `## ` story headings with a draft, a refined version "
                               "or prose under them")
    stories = [read_story(section, path, bank_root) for section in sections]
    carried = [_comment_of(section, comments, path) for section in sections]
    bank = next((data for number, data in comments.items() if number <= len(preamble)), {})
    settings = _read_settings(lines, preamble, bank_root, company, known, path)
    return ShownDocument(settings, stories, carried, bank)


def _comment_of(section: Section, comments: dict[int, dict], path: Path | str) -> dict | None:
    mine = [number for number in comments if section.line < number <= section.line + len(section.body)]
    if len(mine) > 1:
        raise StoryFormatError(path, f"story '{section.heading}' has {len(mine)} `<!-- coach: ... -->` comments; "
                               "keep only the one under its heading", mine[1])
    return comments[mine[0]] if mine else None


def file_names(stories: list[Story], carried: list[str | None]) -> list[str]:
    """Name each story's file: the name its comment carries, else its type, else its title when types repeat.

    A story of the default type is named by its title: `## Shipping weekly` gives `shipping-weekly.md`.
    """
    names: list[str | None] = []
    taken: set[str] = set()
    for name in carried:  # a copied story carries its original's name: the first keeps it
        free = name is not None and name.lower() not in taken
        names.append(name if free else None)
        taken |= {name.lower()} if name and free else set()
    rest = [i for i, name in enumerate(names) if name is None]
    types = [slugify(story.type) for story in stories]
    stems = {i: types[i] if types.count(types[i]) == 1 and stories[i].type != DEFAULT_TYPE else slugify(stories[i].title)
             for i in rest}
    stems = {i: stem if list(stems.values()).count(stem) == 1 else f"{stem}-{i + 1}" for i, stem in stems.items()}
    for i, stem in stems.items():
        name, number = f"{stem}.md", 2
        while name.lower() in taken:
            name, number = f"{stem}-{number}.md", number + 1
        names[i] = name
        taken.add(name.lower())
    return [name for name in names if name is not None]


def _with_questions(story: Story, settings: BankSettings, bank_root: Path | None) -> Story:
    """Give a story imported without extraction questions its type's questions, unanswered."""
    if story.extraction:
        return story
    known = TYPE_NAME.fullmatch(story.type) and story.type in story_type_names(bank_root)
    kind = load_story_type(story.type if known else DEFAULT_TYPE, bank_root)  # a type of its own: general questions
    profile = find_company(settings.company, bank_root)
    values = story.values or (profile.story_values.get(kind.name, []) if profile else [])
    story.extraction = [group.model_copy(deep=True) for group in kind.groups]
    story.extraction.append(connection_group(kind, settings, values, profile))
    return story


def _read_settings(lines, preamble, bank_root, company: str | None, known: Known | None, path) -> BankSettings:
    text = "\n".join(lines)
    title = next((s for s in (_h1(line) for line in preamble) if s), "")
    named = _company(title, text)
    window = WINDOW.search(text)
    rate = re.search(r"(\d{2,3})\s*words per minute", text, re.IGNORECASE)
    role = re.search(r"^\*\*Role:\*\*\s*(.+)$", text, re.MULTILINE)
    profile = load_company(company, bank_root) if company else find_company(named, bank_root) if named else None
    bank = known() if known and not (profile or named) else None
    if profile:
        settings: dict = {"company": profile.name, "values": [value.model_copy() for value in profile.values]}
    elif bank:  # the bank's own settings stand in for what the document does not say
        settings = bank.model_dump()
    else:  # values of a company coach has no profile for are not invented: `coach status` says none are set
        settings = {"company": named or "Generic", "values": []}
    if window:
        settings["target_seconds"] = (int(window.group(1)), int(window.group(2)))
    if rate:
        settings["words_per_minute"] = int(rate.group(1))
    if role:
        settings["role"] = role.group(1).strip()
    try:
        return BankSettings(**settings)
    except ValidationError as error:
        raise StoryFormatError(path, f"the document's settings: {first_error(error)}") from None


def _h1(line: str) -> str:
    match = re.match(r"^#\s+(.*)$", line)
    return match.group(1).strip() if match else ""


def _company(title: str, text: str) -> str:
    match = re.search(r"\bfor\s+(?:an?\s+|the\s+)?(.+?)\s+(?:interviews?|loop|onsite)\b", title, re.IGNORECASE)
    if match:
        return match.group(1).strip()
    match = re.search(r"^\*\*(.+?)\s+(?:Values|Leadership Principles|Principles):\*\*", text, re.MULTILINE)
    return match.group(1).strip() if match else ""
