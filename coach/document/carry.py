"""What an exported document carries that its readable text cannot show, in one HTML comment per story.

`<!-- coach: {"file": "shipping-weekly.md", ...} -->` under a story's heading holds its file name, the follow-up
marks and unaccepted proposals of its front matter, and `fix`: the exact value of each field the readable text
shows imperfectly (a title with `#`, a draft with a `---` line, a custom type's capitals). Each fix holds a
fingerprint of what the text showed when exported; it is applied only while the text still shows that, so an edit
made to the document wins. The same comment under the document's title carries the bank settings (`bank`).
"""

from __future__ import annotations

import hashlib
import json
import re
from pathlib import Path

from pydantic import BaseModel, ValidationError

from coach.bank.models import FollowUpMark, Story
from coach.bank.settings import BankSettings
from coach.errors import StoryFormatError

CARRY = re.compile(r"^<!-- coach:(.*)-->\s*$")
SETTINGS_GUARDS = {"values": "company"}  # value meanings are not shown: they stand while the company does
FILE_NAME = re.compile(r"[^/\\\x00]+\.md")


def comment(data: dict) -> str:
    """Return the one-line HTML comment that carries data; `<` and `>` are escaped so it cannot end early."""
    text = json.dumps(data, ensure_ascii=True, separators=(", ", ": "))
    return "<!-- coach: " + text.replace("<", "\\u003c").replace(">", "\\u003e") + " -->"


def read_comment(line: str, path: Path | str, number: int) -> dict | None:
    """Return what a `<!-- coach: {...} -->` line carries, or None for any other line."""
    match = CARRY.match(line)
    if not match:
        return None
    try:
        data = json.loads(match.group(1).strip())
    except (json.JSONDecodeError, RecursionError):  # RecursionError: nested thousands deep, as no export writes
        data = None
    if not isinstance(data, dict):
        raise StoryFormatError(path, "this `<!-- coach: ... -->` comment is damaged; remove the line (the story "
                               "keeps its text but may get another file name)", number)
    return data


def story_carry(story: Story, shown: Story, settings: BankSettings, file: str | None) -> dict:
    """Return what a story's comment must carry for import to give back exactly this story."""
    data: dict = {"file": file} if file else {}
    marks = {fid: f.mark() for f, fid in zip(story.follow_ups, story.follow_up_ids(), strict=True) if f.mark()}
    if marks:
        data["follow_up_state"] = marks
    proposals = [{"question": q.text, "proposed": q.proposed, "from": q.proposed_from} for q in story.questions() if q.proposed]
    if proposals:
        data["proposed"] = proposals
    fixes = _fixes(story, _settled(shown, data, settings))
    return {**data, "fix": fixes} if fixes else data


def restore_story(shown: Story, carried: dict, settings: BankSettings, path: Path | str) -> Story:
    """Return the story the document shows, completed with what its comment carries."""
    return _apply(_settled(shown, carried, settings), carried.get("fix"), path)


def settings_carry(settings: BankSettings, shown: BankSettings) -> dict:
    """Return what the title's comment must carry for import to give back exactly these settings."""
    fixes = _fixes(settings, shown, SETTINGS_GUARDS)
    return {"bank": fixes} if fixes else {}


def restore_settings(shown: BankSettings, carried: dict, path: Path | str) -> BankSettings:
    """Return the settings the document shows, completed with what its title's comment carries."""
    return _apply(shown, carried.get("bank"), path, SETTINGS_GUARDS)


def carried_file(carried: dict, path: Path | str) -> str | None:
    """Return the story's file name carried in its comment, refusing anything but a plain `NAME.md`."""
    name = carried.get("file")
    if name is None:
        return None
    if not isinstance(name, str) or not FILE_NAME.fullmatch(name) or name.startswith("."):
        raise StoryFormatError(path, f"a story's comment names the file {name!r}, which is not a plain NAME.md; "
                               "fix or remove that `<!-- coach: ... -->` line")
    return name


def _settled(shown: Story, carried: dict, settings: BankSettings) -> Story:
    """Apply the bank's target window, the follow-up marks and the proposals, as import does."""
    story = shown.model_copy(deep=True)
    if story.target_seconds == settings.target_seconds:
        story.target_seconds = None
    marks = carried.get("follow_up_state") or {}
    for follow_up, fid in zip(story.follow_ups, story.follow_up_ids(), strict=True):
        if isinstance(marks, dict) and isinstance(marks.get(fid), dict):
            try:
                mark = FollowUpMark.model_validate(marks[fid])
            except ValidationError:
                continue
            follow_up.by, follow_up.sha, follow_up.pinned = mark.by, mark.sha, mark.pinned
    for proposal in carried.get("proposed") or []:
        if not isinstance(proposal, dict):
            continue
        question = next((q for q in story.questions() if q.text == proposal.get("question") and not q.proposed), None)
        if question is not None:
            question.proposed = str(proposal.get("proposed") or "")
            question.proposed_from = [str(quote) for quote in proposal.get("from") or []]
    return story


def _fingerprint(value) -> str:
    return hashlib.sha256(json.dumps(value, sort_keys=True, ensure_ascii=True).encode()).hexdigest()[:12]


def _fixes(original: BaseModel, shown: BaseModel, guards: dict[str, str] | None = None) -> dict:
    """Return, per field the text shows differently, the exact value and a fingerprint of what the text shows."""
    want, seen, guards = original.model_dump(mode="json"), shown.model_dump(mode="json"), guards or {}
    return {
        name: {"seen": _fingerprint(seen[guards.get(name, name)]), "value": value}
        for name, value in want.items()
        if value != seen[name]
    }


def _apply(shown, fixes, path: Path | str, guards: dict[str, str] | None = None):
    """Replace each field whose text still shows what it showed on export by its exact value."""
    if not fixes:
        return shown
    data = shown.model_dump(mode="json")
    seen, guards = dict(data), guards or {}
    for name, fix in fixes.items() if isinstance(fixes, dict) else []:
        guard = guards.get(name, name)
        if name in data and isinstance(fix, dict) and fix.get("seen") == _fingerprint(seen[guard]):
            data[name] = fix.get("value")
    try:
        return type(shown).model_validate(data)
    except ValidationError:
        raise StoryFormatError(path, "a `<!-- coach: ... -->` comment carries a value that is not valid; "
                               "remove the comment to import what the text shows") from None
