"""Render a whole bank as one power-stories document in the shape of the sample; import reads it back."""

from __future__ import annotations

from coach.bank.folder import Bank
from coach.bank.markdown import render_bullets
from coach.bank.models import BankSettings, Story
from coach.method.board import StoryProgress, progress

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
    stories = [story for _, story in bank.select([])]
    return export_bank(bank.settings(), stories)


def export_bank(settings: BankSettings, stories: list[Story]) -> str:
    """Return the whole bank as one Markdown document."""
    low, high = settings.target_seconds
    head = [
        f"# {len(stories)} Power Stories for {settings.company} Interview",
        f"**Instructions:** Write your story first in a natural, conversational way. Then use the extraction "
        f"questions to ensure you've hit all the key points. Aim for {low}-{high} seconds when spoken aloud "
        f"at {settings.words_per_minute} words per minute.",
    ]
    if settings.role:
        head.append(f"**Role:** {settings.role}")
    blocks = ["\n\n".join(head)]
    blocks += [_story_block(n, story, settings) for n, story in enumerate(stories, 1)]
    blocks.append(TIPS.format(company=settings.company))
    blocks.append(_progress_table(progress(stories, settings)))
    return "\n\n---\n\n".join(blocks) + "\n"


def _story_block(number: int, story: Story, settings: BankSettings) -> str:
    low, high = story.target_seconds or settings.target_seconds
    parts = [
        f"## Story {number}: {story.title}",
        f"**{settings.company} Values:** {', '.join(story.values)}",
        f"**Story Type:** {story.type}",
        f"**Refined By:** {story.refined_by} (sha {story.refined_sha})" if story.refined_by else "",
        "### Write Your Story First:",
        story.draft,
    ]
    parts += ["### Story Analysis - Extract Key Elements:"]
    for group in story.extraction:
        parts.append(f"**{group.heading}:**\n" + _questions([(q.text, q.answer) for q in group.questions]))
    parts += [f"### Refined Story ({low}-{high} seconds):", _quoted(story.refined)]
    parts += _practice_blocks(story)
    if story.follow_ups:
        parts += ["### Follow-up Questions:", _questions([(f.question, f.answer) for f in story.follow_ups])]
    if story.coaching_notes:
        parts += ["### Story Coaching Notes:", render_bullets(story.coaching_notes)]
    if story.practice:
        log = [f"{take.at.isoformat(sep=' ')}: {take.seconds:g} s" + (f" ({take.words} words)" if take.words else "") for take in story.practice]
        parts += ["### Practice Log:", render_bullets(log)]
    if story.history:
        parts.append("### Earlier Refined Versions:")
        parts += [f"**{' · '.join(filter(None, (v.saved, v.source, v.subject)))}:**\n{_quoted(v.text)}" for v in story.history]
    return "\n\n".join(part for part in parts if part)


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
