"""`coach analyze` as a task: which open extraction questions the draft already answers, each proposal resting on
quotes coach verifies in the user's own words; the rest are gaps only the user can fill."""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property
from typing import ClassVar

from pydantic import BaseModel, Field

from coach.bank.models import Question, Story
from coach.bank.settings import BankSettings
from coach.jobs.task import Made, StoryTask
from coach.llm.answers import Doubt
from coach.method.context import story_context
from coach.method.grounding import MIN_QUOTE_WORDS, Material, own_answers
from coach.method.verdict import judge

NO_QUOTE = "the model found nothing in your draft that answers it"  # the model's reading, never coach's finding
UNVERIFIED = "the model proposed an answer coach could not trace to your draft's words, so it was dropped"
UNREAD = "the model gave no entry for it, so nothing is known about it; run `coach analyze` again"


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


def numbered(story: Story) -> list[tuple[int, str, Question]]:
    """Return every extraction question with its 1-based number and group heading."""
    out, number = [], 0
    for group in story.extraction:
        for question in group.questions:
            number += 1
            out.append((number, group.heading, question))
    return out


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


def analyze_variables(story: Story, settings: BankSettings, asked: list[Open]) -> dict:
    """Return the variables of prompts/analyze.jinja."""
    return {**story_context(story, settings), "open": asked}


def analysis_problems(result: Analysis, asked: list[Open], material: Material) -> list[str]:
    """Return why an analysis needs a re-ask. A question left out fails the answer (nothing is known about it, and
    it must never pass for a gap in the draft); an unverified proposal is a doubt, since it is dropped."""
    problems: list[str] = []
    by_number = {p.number: p for p in result.questions}
    for item in asked:
        proposal = by_number.get(item.number)
        if proposal is None:
            problems.append(f"question {item.number} has no entry; give one entry per question listed")
        elif proposal.answerable:
            problems += [Doubt(f"question {proposal.number}: {why}") for why in _unsupported(proposal, material)]
    return problems


def _unsupported(proposal: Proposal, material: Material) -> list[str]:
    """Return why a proposal cannot be trusted: no answer, a number or name the user never wrote, no verified quote."""
    answer = " ".join(proposal.answer.split())
    if not answer:
        return ["answerable but the answer is empty; write the answer or mark it not answerable"]
    why = list(judge(material, answer, proposal.quotes).reasons)
    if not verified(proposal, material) and not any("quote" in reason for reason in why):
        why.append("no quote of three or more words copied word for word from the draft supports the answer; quote "
                   "the exact words or mark it not answerable")
    return why


def verified(proposal: Proposal, material: Material) -> list[str]:
    """Return the proposal's quotes (whitespace collapsed) that are three or more of the user's words, in order."""
    quotes = [" ".join(q.split()) for q in proposal.quotes]
    return [q for q in quotes if len(q.split()) >= MIN_QUOTE_WORDS and material.has_quote(q)]


def analysis_material(story: Story, settings: BankSettings) -> Material:
    """Return what a proposal may rest on: quotes from the draft and answers only (not the title, the company or the
    values); names may also come from the questions themselves."""
    facts = "\n".join([story.draft, *(q.answer for q in story.questions()), *own_answers(story)])
    return Material(facts, questions="\n".join(q.text for q in story.questions()))



@dataclass
class AnalyzeTask(StoryTask[Analysis]):
    """Read the draft for the open questions `asked`; write the verified proposals above their empty answers."""

    asked: list[Open] = field(default_factory=list)
    prompt: ClassVar[str] = "analyze"
    output: ClassVar[type[BaseModel]] = Analysis
    command: ClassVar[str] = "analyze"
    limits: ClassVar[dict[str, int]] = {"questions": 100, "questions.answer": 800, "questions.quotes": 10,
                                        "questions.quotes[]": 400, "questions.missing": 300}

    @cached_property
    def material(self) -> Material:
        """Return what a proposal may rest on: the draft and the answers."""
        return analysis_material(self.story, self.settings)

    def variables(self) -> dict:
        """Return the variables of prompts/analyze.jinja."""
        return analyze_variables(self.story, self.settings, self.asked)

    def problems(self, value: Analysis) -> list[str]:
        """Return why an analysis needs a re-ask: every problem is a doubt, since an unverified proposal is dropped."""
        return analysis_problems(value, self.asked, self.material)

    def merge(self, latest: Story, value: Analysis, made: Made) -> list[Open]:
        """Settle each question asked (proposed, or a gap and why), and write the proposals into the story as it is
        now; a question answered or proposed meanwhile is left alone. Return the proposals."""
        by_number = {p.number: p for p in value.questions}
        for item in self.asked:
            settle(item, by_number.get(item.number), self.material)
        proposals = [item for item in self.asked if item.status == "proposed"]
        questions = {n: q for n, _, q in numbered(latest)}
        for item in proposals:
            question = questions.get(item.number)
            if question is not None and question.text == item.question and not question.answer.strip() and not question.proposed:
                question.proposed, question.proposed_from = item.proposed, list(item.quotes)
        return proposals


def settle(item: Open, proposal: Proposal | None, material: Material) -> None:
    """Mark an open question proposed (with its verified quotes), a gap the model found (saying what is missing),
    dropped (a proposal coach could not verify) or unread (the model left it out): only a gap is the draft's."""
    if proposal is None:
        item.missing, item.status = UNREAD, "unread"
        return
    quotes = verified(proposal, material) if proposal.answerable else []
    if quotes and not _unsupported(proposal, material):
        item.proposed, item.quotes, item.status = " ".join(proposal.answer.split()), quotes, "proposed"
    elif proposal.answerable:
        item.missing, item.status = UNVERIFIED, "dropped"
    else:
        item.missing = " ".join(proposal.missing.split()) or NO_QUOTE
