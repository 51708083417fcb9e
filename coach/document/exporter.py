"""Render a whole bank as one power-stories document in the shape of the sample; import reads it back."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from coach.bank.folder import Bank, write_atomic
from coach.bank.markdown import render_bullets
from coach.bank.models import Story
from coach.bank.settings import BankSettings
from coach.document.carry import comment, settings_carry, story_carry
from coach.document.importer import read_document
from coach.method.board import StoryProgress, progress

EXPORT_MARKER = "<!-- Exported by coach from a story bank; coach import reads it back. -->"
HEADING_LIKE = re.compile(r"^(?=#|<!-- coach:)", re.MULTILINE)

TIPS = """## Story Crafting Tips

### The Power Formula:
1. **Hook:** "At [Company], I noticed..."
2. **Stakes:** "The challenge was... If we failed..."
3. **Action:** "I decided to... Despite [obstacle], I..."
4. **Result:** "This led to [specific outcome]..."
5. **{company}:** "This experience showed me how to..."

### Make It Memorable:
- Lead with the conflict or surprise
- Use specific numbers and names
- Include a moment of doubt or difficulty
- End with growth, not just success

### Common Mistakes to Avoid:
- Starting with too much background
- Focusing on "we" instead of "I"
- Missing the emotional/human element
- Forgetting to connect to {company}"""


def export_document(bank: Bank) -> str:
    """Return the bank's stories and settings as one document."""
    return _exported(bank)[1]


@dataclass
class ExportedFile:
    """The document `coach export --out` wrote."""

    path: Path
    stories: list[str]
    text: str

    def as_dict(self) -> dict:
        """Return what was written as plain data for JSON output."""
        return {"file": str(self.path), "stories": self.stories, "bytes": len(self.text.encode("utf-8"))}


def export_file(bank: Bank, out: Path) -> ExportedFile:
    """Write the bank's document to out, atomically."""
    slugs, text = _exported(bank)
    write_atomic(out, text)
    return ExportedFile(out, slugs, text)


def _exported(bank: Bank) -> tuple[list[str], str]:
    chosen = bank.select([])
    return [path.stem for path, _ in chosen], export_bank(bank.settings(), [story for _, story in chosen],
                                                          [path.name for path, _ in chosen])


def export_bank(settings: BankSettings, stories: list[Story], files: list[str] | None = None) -> str:
    """Return the whole bank as one Markdown document that `coach import` reads back to the same bank.

    The document is rendered once plainly and read back as import reads it; what that reading misses (file names,
    front-matter marks, anything the text shows imperfectly) goes into one `<!-- coach: ... -->` comment per story.
    """
    if not stories:
        return _document(settings, stories)
    names: list[str | None] = list(files) if files else [None] * len(stories)
    shown = read_document(_document(settings, stories), "the exported document")
    carried = [story_carry(story, seen, settings, name) for story, seen, name in zip(stories, shown.stories, names, strict=True)]
    return _document(settings, stories, settings_carry(settings, shown.settings), carried)


def _document(settings: BankSettings, stories: list[Story], bank: dict | None = None, carried: list[dict] | None = None) -> str:
    low, high = settings.target_seconds
    title = f"# {len(stories)} Power Stories for {settings.company} Interview"
    head = [
        EXPORT_MARKER + "\n" + title + ("\n" + comment(bank) if bank else ""),
        f"**Instructions:** Write your story first in a natural, conversational way. Then use the extraction "
        f"questions to ensure you've hit all the key points. Aim for {low}-{high} seconds when spoken aloud "
        f"at {settings.words_per_minute} words per minute.",
    ]
    if settings.role:
        head.append(f"**Role:** {settings.role}")
    blocks = ["\n\n".join(head)]
    for number, story in enumerate(stories, 1):
        blocks.append(_story_block(number, story, settings, carried[number - 1] if carried else None))
    blocks.append(TIPS.format(company=settings.company))
    blocks.append(_progress_table(progress(stories, settings)))
    return "\n\n---\n\n".join(blocks) + "\n"


def _story_block(number: int, story: Story, settings: BankSettings, carried: dict | None) -> str:
    low, high = story.window(settings)
    parts = [
        f"## Story {number}: {story.title}" + (f"\n{comment(carried)}" if carried is not None else ""),
        f"**{settings.company} Values:** {', '.join(story.values)}",
        f"**Story Type:** {story.type}",
        f"**Refined By:** {story.refined_by} (sha {story.refined_sha})" if story.refined_by else "",
        "### Write Your Story First:",
        _plain(story.draft),
    ]
    parts += ["### Story Analysis - Extract Key Elements:"]
    for group in story.extraction:
        parts.append(f"**{group.heading}:**\n" + _questions([(q.text, q.answer) for q in group.questions]))
    parts += [f"### Refined Story ({low}-{high} seconds):", _quoted(_plain(story.refined))]
    parts += _practice_blocks(story)
    if story.follow_ups:
        parts += ["### Follow-up Questions:", _questions([(f.question, f.answer) for f in story.follow_ups])]
    if story.coaching_notes:
        parts += ["### Story Coaching Notes:", render_bullets(story.coaching_notes)]
    parts += _record_blocks(story)
    return "\n\n".join(part for part in parts if part)


def _record_blocks(story: Story) -> list[str]:
    """Return the practice log and the earlier versions coach kept."""
    parts: list[str] = []
    if story.practice:
        log = [f"{take.at.isoformat(sep=' ')}: {_seconds(take.seconds)} s" + (f" ({take.words} words)" if take.words is not None else "")
               for take in story.practice]
        parts += ["### Practice Log:", render_bullets(log)]
    if story.history:
        parts.append("### Earlier Refined Versions:")
        parts += [f"**{' · '.join(filter(None, (v.saved, v.source, v.subject)))}:**\n{_quoted(_plain(v.text))}" for v in story.history]
    return parts


def _plain(text: str) -> str:
    """Escape lines that would read as a heading or a coach comment, so a story's text cannot split the document."""
    return HEADING_LIKE.sub("\\\\", text)


def _seconds(seconds: float) -> str:
    short = f"{seconds:g}"
    return short if float(short) == seconds else repr(seconds)


def _practice_blocks(story: Story) -> list[str]:
    notes = story.practice_notes
    parts: list[str] = []
    if notes.hooks:
        parts.append("**Opening Hook Options:**\n" + render_bullets([_quoted(h) for h in notes.hooks]))
    guidance = []
    if notes.pacing:
        guidance.append(f"**Pacing:** {notes.pacing}")
    if notes.tone:
        guidance.append(f"**Tone:** {notes.tone}")
    if notes.key_words:
        guidance.append("**Key Words:** " + ", ".join(_quoted(word) for word in notes.key_words))
    if guidance:
        parts.append("**Delivery Guidance:**\n" + render_bullets(guidance))
    if notes.delivery_points:
        parts.append("**Key Delivery Points:**\n" + render_bullets(notes.delivery_points))
    return ["### Practice Notes:", *parts] if parts else []


def _questions(pairs: list[tuple[str, str]]) -> str:
    lines = []
    for question, answer in pairs:
        lines.append(f"- {question}")
        lines += [f"  {line}" if line else "" for line in answer.split("\n")] if answer else []
    return "\n".join(lines)


def _quoted(text: str) -> str:
    return f'"{text}"' if text and '"' not in text else text


def _progress_table(rows: list[StoryProgress]) -> str:
    lines = [
        "## Your Story Bank Progress",
        "",
        "| Story | First Draft | Analyzed | Refined | Timed | Practiced 5x |",
        "|-------|------------|----------|---------|-------|--------------|",
    ]
    mark = {True: "✓", False: "☐"}
    for row in rows:
        timed = f"{row.latest:g}s" if row.latest is not None else "___s"
        lines.append(
            f"| {row.title} | {mark[row.drafted]} | {mark[row.analyzed]} | {mark[row.refined]} | {timed} | "
            f"{mark[row.practiced]} {row.takes}/5 |"
        )
    return "\n".join(lines)
