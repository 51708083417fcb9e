"""`coach analyze`: propose answers to a story's open extraction questions from what its draft already says, each
resting on a quote coach has verified, and list the questions the draft cannot answer: the gaps to fill.

A proposal is written into the story as `> Proposed: ...` above the empty answer and is no answer (no fact, no
progress) until accepted: by hand, with `--accept-all`, or one by one with `--interactive`. An answer the user
wrote is never replaced.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from pydantic import BaseModel, Field

from coach.bank.catalog import require_known_type
from coach.bank.folder import Bank, load_story
from coach.bank.models import BankSettings, Question, Story
from coach.errors import CoachError, Interrupted
from coach.llm.answers import Doubt
from coach.llm.jobs import JobsInterrupted, run_one
from coach.method.context import story_context
from coach.method.grounding import MIN_QUOTE_WORDS, Material, content_words

MIN_COVER = 0.5  # share of a proposal's content words its quotes must contain
NO_QUOTE = "coach found nothing in your draft that answers it"
UNVERIFIED = "the model proposed an answer coach could not trace to your draft's words, so it was dropped"

if TYPE_CHECKING:
    from coach.llm.engine import Answer, Engine


class Proposal(BaseModel):
    """The model's reading of one open question: an answer the draft supports, or what is missing."""

    number: int = Field(description="The question's number, as listed.")
    answerable: bool = Field(description="True only when the draft or the other answers say enough to answer it.")
    answer: str = Field(description="The answer in the candidate's own voice and words, one or two short sentences; empty when not answerable.")
    quotes: list[str] = Field(description="Verbatim quotes (three to twelve words) of the draft or answers the answer rests on.")
    missing: str = Field(description="When not answerable: what the candidate would need to add, in a few words.")


class Analysis(BaseModel):
    """What prompts/analyze.jinja must return."""

    questions: list[Proposal]


@dataclass
class Open:
    """An open extraction question: its number in the story, its group, and what coach proposes or finds missing."""

    number: int
    group: str
    question: str
    proposed: str = ""
    quotes: list[str] = field(default_factory=list)
    missing: str = ""
    status: str = "gap"  # gap, proposed, accepted, or answered (typed in the walk)

    def as_dict(self) -> dict:
        """Return the question as plain data for JSON output."""
        return dict(self.__dict__)


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
        """Return the open questions the draft cannot answer."""
        return [q for q in self.questions if q.status == "gap"]

    def as_dict(self) -> dict:
        """Return the outcome as plain data for JSON output."""
        total = len(self.story.questions())
        return {
            "story": self.slug, "title": self.story.title, "questions": total,
            "answered": total - len(self.story.unanswered()),
            "open": [q.as_dict() for q in self.questions],
        }


def numbered(story: Story) -> list[tuple[int, str, Question]]:
    """Return every extraction question with its 1-based number and group heading."""
    out, number = [], 0
    for group in story.extraction:
        for question in group.questions:
            number += 1
            out.append((number, group.heading, question))
    return out


def open_questions(story: Story) -> list[Open]:
    """Return the unanswered questions, with the proposals already written into the story."""
    return [
        Open(n, group, q.text, q.proposed, list(q.proposed_from), status="proposed" if q.proposed else "gap")
        for n, group, q in numbered(story) if not q.answer.strip()
    ]


def analyze_variables(story: Story, settings: BankSettings, asked: list[Open]) -> dict:
    """Return the variables of prompts/analyze.jinja."""
    return {**story_context(story, settings), "open": asked}


def analysis_problems(result: Analysis, asked: list[Open], material: Material) -> list[str]:
    """Return why an analysis needs a re-ask; every problem is a doubt, since an unverified proposal is dropped."""
    problems: list[str] = []
    by_number = {p.number: p for p in result.questions}
    for item in asked:
        proposal = by_number.get(item.number)
        if proposal is None:
            problems.append(Doubt(f"question {item.number} has no entry; give one entry per question listed"))
        elif proposal.answerable:
            problems += [Doubt(f"question {proposal.number}: {why}") for why in _unsupported(proposal, material)]
    return problems


def _unsupported(proposal: Proposal, material: Material) -> list[str]:
    """Return why a proposal cannot be trusted: no answer, a number or name the user never wrote, no verified quote."""
    answer = " ".join(proposal.answer.split())
    if not answer:
        return ["answerable but the answer is empty; write the answer or mark it not answerable"]
    why = []
    invented = material.unsupported_numbers(answer) + material.unsupported_names(answer)
    if invented:
        why.append(f"{', '.join(invented)} not in the candidate's draft or answers; use only their facts")
    quotes = verified(proposal, material)
    if not quotes:
        why.append("no quote of three or more words copied word for word from the draft supports the answer; quote "
                   "the exact words or mark it not answerable")
    elif covered(answer, quotes) < MIN_COVER:
        why.append("the answer says more than its quotes do; keep to the draft's own words, quote the words it rests "
                   "on, or mark it not answerable")
    return why


def verified(proposal: Proposal, material: Material) -> list[str]:
    """Return the proposal's quotes (whitespace collapsed) that are three or more of the user's words, in order."""
    quotes = [" ".join(q.split()) for q in proposal.quotes]
    return [q for q in quotes if len(q.split()) >= MIN_QUOTE_WORDS and material.has_quote(q)]


def covered(answer: str, quotes: list[str]) -> float:
    """Return the share of the answer's content words (by stem) that its quotes contain."""
    said = _stems(answer)
    return len(said & _stems(" ".join(quotes))) / len(said) if said else 1.0


def _stems(text: str) -> set[str]:
    return {word[:5] for word in content_words(text)}


def analysis_material(story: Story, settings: BankSettings) -> Material:
    """Return what a proposal may rest on: quotes from the draft and answers only (not the title, the company or the
    values); names may also come from the questions themselves."""
    facts = "\n".join([story.draft, *(q.answer for q in story.questions())])
    return Material(facts, "\n".join(q.text for q in story.questions()))


def plan(bank: Bank, ref: str) -> AnalyzeOutcome:
    """Return a story's open questions with the proposals already written into it; no model is asked."""
    path = bank.resolve(ref)
    story = load_story(path)
    require_known_type(story, path, bank.root)
    if not story.questions():
        raise CoachError(f"{path.stem} has no extraction questions; add `#### question` headings under ## Extraction "
                         f"(`coach new {story.type}` writes a file with its type's questions)")
    return AnalyzeOutcome(path.stem, path, story, open_questions(story))


def propose(bank: Bank, outcome: AnalyzeOutcome, engine: Engine, fresh: bool = False) -> AnalyzeOutcome:
    """Ask the model which open questions the draft answers, keep the proposals whose quotes are verified, and
    write them into the story; the rest are gaps. On any failure the story is left as it was."""
    asked = outcome.to_ask
    if not asked:
        return outcome
    story, settings = outcome.story, bank.settings()
    material = analysis_material(story, settings)
    try:
        outcome.answer = run_one(lambda: engine.ask(
            "analyze", analyze_variables(story, settings, asked), Analysis,
            check=lambda result: analysis_problems(result, asked, material), command="analyze", fresh=fresh,
        ), engine.stop)
    except JobsInterrupted:
        raise Interrupted("interrupted; the story file was left as it was") from None
    by_number = {p.number: p for p in outcome.answer.value.questions}
    for item in asked:
        proposal = by_number.get(item.number)
        quotes = verified(proposal, material) if proposal is not None and proposal.answerable else []
        if quotes and not _unsupported(proposal, material):
            item.proposed, item.quotes, item.status = " ".join(proposal.answer.split()), quotes, "proposed"
        elif proposal is not None and proposal.answerable:
            item.missing = UNVERIFIED
        else:
            item.missing = " ".join(proposal.missing.split()) if proposal is not None and proposal.missing.strip() else NO_QUOTE
    with engine.stop.saving(outcome.slug):
        bank.update(outcome.path, lambda latest: _write_proposals(latest, outcome.proposals))
    outcome.story = load_story(outcome.path)
    return outcome


def _write_proposals(story: Story, proposals: list[Open]) -> None:
    """Write each proposal above its empty answer; a question answered or proposed meanwhile is left alone."""
    questions = {n: q for n, _, q in numbered(story)}
    for item in proposals:
        question = questions.get(item.number)
        if question is not None and question.text == item.question and not question.answer.strip() and not question.proposed:
            question.proposed, question.proposed_from = item.proposed, list(item.quotes)


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


@dataclass
class Walk:
    """How the interactive walk talks to the user: `say` prints, `ask` reads one line (raising EOFError at the end)."""

    say: Callable[[str], None]
    ask: Callable[[str], str]


def walk(bank: Bank, outcome: AnalyzeOutcome, io: Walk, render: Callable[[Open, int, int], str]) -> list[Open]:
    """Walk through each open question: Enter accepts the proposal, typing replaces it, `s` skips, `q` quits.

    Every answer is saved at once, so quitting, Ctrl-C or the end of input keeps everything answered so far.
    Returns the questions answered in this walk.
    """
    done: list[Open] = []
    items = [q for q in outcome.questions if q.status in ("gap", "proposed")]
    for position, item in enumerate(items, 1):
        io.say(render(item, position, len(items)))
        try:
            reply = io.ask("> ").strip()
        except EOFError:
            break
        except KeyboardInterrupt:
            raise Interrupted(_walk_summary(done, outcome.path, "interrupted")) from None
        if reply.lower() == "q":
            break
        if reply.lower() == "s" or (not reply and not item.proposed):
            continue
        text, status = (None, "accepted") if not reply else (reply, "answered")
        if bank.update(outcome.path, lambda story, item=item, text=text: _answer(story, item, text)):
            item.status = status
            done.append(item)
        else:
            io.say("  (this question was answered or changed in the file meanwhile; left as it is)")
    outcome.story = load_story(outcome.path)
    return done


def _walk_summary(done: list[Open], path: Path, how: str) -> str:
    if not done:
        return f"{how}; no answer was saved"
    return f"{how}; {len(done)} answer{'s' * (len(done) != 1)} saved to {path}"
