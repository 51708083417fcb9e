"""`coach analyze`: propose answers to a story's open extraction questions from what its draft already says, each
resting on a quote coach has verified, and list the questions the draft cannot answer: the gaps to fill.

A proposal is written into the story as `> Proposed: ...` above the empty answer and is no answer (no fact, no
progress) until accepted: by hand, with `--accept-all`, or one by one with `--interactive`. An answer the user
wrote is never replaced.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from coach.bank.catalog import require_known_type
from coach.bank.folder import Bank, load_story
from coach.bank.models import Story
from coach.errors import CoachError
from coach.jobs.analyze import AnalyzeTask, Open, numbered

UNSETTLED = ("unread", "dropped")  # what the model failed to settle: never a gap of the user's draft
WALKED = ("gap", "proposed", *UNSETTLED)  # what the interactive walk asks the user about

if TYPE_CHECKING:
    from coach.llm.engine import Answer


@dataclass
class AnalyzeOutcome:
    """What `coach analyze` found and did for one story."""

    slug: str
    path: Path
    story: Story
    questions: list[Open] = field(default_factory=list)
    answer: Answer | None = None
    answered_before: int = 0

    @property
    def proposals(self) -> list[Open]:
        """Return the open questions with a verified proposal still to accept."""
        return [q for q in self.questions if q.status == "proposed"]

    @property
    def to_ask(self) -> list[Open]:
        """Return the open questions the model has not read yet (none when there is no draft to read)."""
        return [q for q in self.questions if q.status == "gap"] if self.story.draft.strip() else []

    @property
    def gaps(self) -> list[Open]:
        """Return the open questions the draft cannot answer (as the model reads it), or not yet read."""
        return [q for q in self.questions if q.status == "gap"]

    @property
    def unsettled(self) -> list[Open]:
        """Return the open questions the model's answer left unsettled: left out, or proposed without proof."""
        return [q for q in self.questions if q.status in UNSETTLED]

    def as_dict(self) -> dict:
        """Return the outcome as plain data for JSON output."""
        total = len(self.story.questions())
        return {
            "story": self.slug, "title": self.story.title, "questions": total,
            "answered": total - len(self.story.unanswered()),
            "open": [q.as_dict() for q in self.questions],
            "doubts": list(self.answer.doubts) if self.answer is not None else [],
        }


def open_questions(story: Story) -> list[Open]:
    """Return the unanswered questions, with the proposals already written into the story."""
    return [
        Open(n, group, q.text, q.proposed, list(q.proposed_from), status="proposed" if q.proposed else "gap")
        for n, group, q in numbered(story) if not q.answer.strip()
    ]


def plan(bank: Bank, ref: str) -> AnalyzeOutcome:
    """Return a story's open questions with the proposals already written into it; no model is asked."""
    path = bank.resolve(ref)
    story = load_story(path)
    require_known_type(story, path, bank.root)
    if not story.questions():
        raise CoachError(f"{path.stem} has no extraction questions; add `#### question` headings under ## Extraction "
                         f"(`coach new {story.type}` writes a file with its type's questions)")
    return AnalyzeOutcome(path.stem, path, story, open_questions(story))


def propose(bank: Bank, outcome: AnalyzeOutcome, engine, fresh: bool = False) -> AnalyzeOutcome:
    """Ask the model which open questions the draft answers, keep the proposals whose quotes are verified, and
    write them into the story; the rest are gaps. On any failure the story is left as it was."""
    from coach.jobs import runner

    task = analyze_task(bank, outcome)
    if not task.asked:
        return outcome
    saved = runner.run(bank, engine, task, fresh=fresh)
    outcome.answer, outcome.story = saved.answer, saved.story
    return outcome


def analyze_task(bank: Bank, outcome: AnalyzeOutcome) -> AnalyzeTask:
    """Return the task that asks about the open questions the model has not read yet."""
    return AnalyzeTask(outcome.path, outcome.story, bank.settings(), asked=outcome.to_ask)


def offline_reason(outcome: AnalyzeOutcome, accept_all: bool, interactive: bool, configured: bool) -> str | None:
    """Return why the command goes on without the model (or None to ask it): --accept-all with proposals already
    in the file, or a walk with no model configured."""
    if accept_all and outcome.proposals:
        return "accepting the proposals already in the file; `coach analyze` reads the draft for the rest"
    if interactive and not configured:
        return "no model configured (OPENAI_API_KEY or OPENAI_BASE_URL): walking with the proposals already in the file"
    return None


def _answer(story: Story, item: Open, text: str | None) -> bool:
    """Answer an open question if it is still the same question and still unanswered; None accepts the proposal
    as the file has it now (the user may have edited it)."""
    question = {n: q for n, _, q in numbered(story)}.get(item.number)
    if question is None or question.text != item.question or question.answer.strip():
        return False
    text = question.proposed if text is None else as_markdown(text)
    if not text.strip():
        return False
    question.answer, question.proposed, question.proposed_from = text, "", []
    return True


def as_markdown(text: str) -> str:
    """Return typed text safe to put under a question: a line that would read as a heading or a proposal is escaped."""
    lines = []
    for line in text.strip().splitlines():
        if re.match(r"^\s{0,3}(#|> ?Proposed:|> ?From your draft:)", line):
            line = "\\" + line.lstrip()
        lines.append(line.rstrip())
    return "\n".join(lines)


def accept_all(bank: Bank, outcome: AnalyzeOutcome) -> int:
    """Accept every proposal: each becomes the answer of its question. Return how many were accepted."""
    proposals = outcome.proposals

    def change(story: Story) -> int:
        count = 0
        for item in proposals:
            if _answer(story, item, None):
                item.status = "accepted"
                count += 1
        return count

    accepted = bank.update(outcome.path, change)
    outcome.story = load_story(outcome.path)
    return accepted


def answer_open(bank: Bank, outcome: AnalyzeOutcome, item: Open, text: str | None) -> bool:
    """Save an answer to an open question at once: `text` typed by the user, or None to accept the proposal as the
    file has it now. Return False, changing nothing, when the question was answered or changed in the file meanwhile."""
    if not bank.update(outcome.path, lambda story: _answer(story, item, text)):
        return False
    item.status = "accepted" if text is None else "answered"
    return True


def walk_summary(done: list[Open], path: Path, how: str) -> str:
    """Say how a walk ended and how many answers it saved."""
    if not done:
        return f"{how}; no answer was saved"
    return f"{how}; {len(done)} answer{'s' * (len(done) != 1)} saved to {path}"
