"""The follow-up jobs as tasks: generate new questions with grounded answers, and rewrite the answers of named
ones. Each answer is checked like every word coach writes for the candidate: no number or name they never gave, no
sentence that rests on no quote of theirs, and short enough to say in about ANSWER_SECONDS."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cached_property
from typing import ClassVar

from pydantic import BaseModel, Field

from coach.bank.models import FollowUp, HistoryEntry, Story
from coach.bank.settings import BankSettings
from coach.jobs import grounded
from coach.jobs.grounded import confirm_note
from coach.jobs.task import Made, StoryTask
from coach.llm.answers import Doubt
from coach.method.check import STAKES, check_refined
from coach.method.context import story_context
from coach.method.grounding import Material, SourcedSentence, content_words, own_answers, placeholders, spoken
from coach.method.quantities import ORDINALS, SCALES, TENS, UNITS
from coach.method.text import word_count
from coach.method.verdict import judge_all

ANSWER_SECONDS = 30  # a suggested answer takes about this long to say
OVER = 1.15  # "about": an answer may run this much over before it is re-asked
MAX_NEW = 10
NUMBER_WORDS = frozenset([*UNITS, *TENS, *ORDINALS, *SCALES])
CONTENT_GAPS = {  # the method's findings an interviewer probes, said as what the story leaves open
    "no-metric": "a result without a number: what changed, by how much, and how the candidate knows",
    "we-heavy": '"we" more than "I": what the candidate did themselves, apart from the team',
    "long-background": "a long background before the first action: what exactly the candidate decided and did",
}
GENERIC = frozenset("asked ask tell describe share talk explain example time situation specific specifically".split())


class NewFollowUp(BaseModel):
    """A follow-up question an interviewer would ask, with a suggested answer in the candidate's words."""

    question: str = Field(description="The question, as the interviewer would ask it.")
    aims_at: str = Field(description="The weak spot of the story this question probes, in a few words.")
    answer: list[SourcedSentence] = Field(description="The suggested answer, sentence by sentence.")


class NewFollowUps(BaseModel):
    """What prompts/followups.jinja must return."""

    follow_ups: list[NewFollowUp]


class RewrittenAnswer(BaseModel):
    """A new answer to one follow-up question, named by its id."""

    id: str
    answer: list[SourcedSentence] = Field(description="The new answer, sentence by sentence.")


class RewrittenAnswers(BaseModel):
    """What prompts/followup-answers.jinja must return."""

    answers: list[RewrittenAnswer]


def answer_words(settings: BankSettings) -> int:
    """Return how many words a suggested answer may have: ANSWER_SECONDS at the bank's speaking rate."""
    return round(ANSWER_SECONDS * settings.words_per_minute / 60)


def weak_spots(story: Story, settings: BankSettings, limit: int = 8) -> list[str]:
    """Return the gaps in the story's content a sharp interviewer would probe: no number in the result, "we" for what
    the candidate did, no stakes, a long background, a fact still [to fill], unanswered extraction questions, and the
    values. Delivery findings (repetition, filler, timing) are left out: no interviewer asks about them."""
    told = story.refined if story.refined.strip() else story.draft
    spots: list[str] = []
    if told.strip():
        codes = {f.code for f in check_refined(told, story, settings, story.window(settings))}
        spots += [gap for code, gap in CONTENT_GAPS.items() if code in codes]
        if not STAKES.search(told):
            spots.append("no stakes: what would have happened if it had failed, and who would have felt it")
        spots += [f"a fact still missing, marked {blank} in the story" for blank in placeholders(told)[:2]]
    spots += [f"an unanswered extraction question: {q.text}" for q in story.unanswered()[:3]]
    spots = list(dict.fromkeys(spots))[: limit - 1 if story.values else limit]
    if story.values:
        spots.append(f"whether what the candidate did shows {', '.join(story.values)}, rather than only saying so")
    return spots


def _content_stems(text: str) -> set[str]:
    """Return the stems of a question's content words, without numbers ("6 months" asks what "six months" asks)."""
    return {word[:5] for word in content_words(text)
            if word not in GENERIC and not word.isdigit() and word not in NUMBER_WORDS}


def same_words(a: str, b: str) -> bool:
    """Return True when two questions are the same words, whatever the case, spacing and punctuation."""
    def words(text: str) -> str:
        return " ".join(re.sub(r"[\W_]+", " ", text.lower()).split())

    return words(a) == words(b)


def same_question(a: str, b: str) -> bool:
    """Return True when two questions ask the same thing: half their content words in common, or two or more words
    making up most of the shorter one ("If asked about recognition" is not "Did you get recognition for it?")."""
    left, right = _content_stems(a), _content_stems(b)
    if not left or not right:
        return " ".join(a.lower().split()) == " ".join(b.lower().split())
    shared = len(left & right)
    return shared / len(left | right) >= 0.5 or (shared >= 2 and shared / min(len(left), len(right)) >= 0.75)


def answer_problems(where: str, sentences: list[SourcedSentence], material: Material, max_words: int) -> list[str]:
    """Return why a suggested answer breaks the method: too long, empty, or a number or name the user never gave.

    A sentence that rests on no verified quote is a doubt: re-asked, and kept with a note if it survives.
    """
    text = spoken(sentences)
    if not text.strip():
        return [f"{where}: the answer is empty; write one to three sentences"]
    problems: list[str] = []
    count = word_count(text)
    if count > max_words * OVER:
        problems.append(f"{where}: the answer has {count} words; keep it to {max_words} words at most")
    problems += grounded.problems(grounded.at(where, judge_all(material, sentences)))
    return problems


@dataclass
class Written:
    """What a follow-up job wrote into the story: the ids, what each aims at, and the sentences to confirm."""

    ids: list[str] = field(default_factory=list)
    aims: dict[str, str] = field(default_factory=dict)
    unsupported: dict[str, list[str]] = field(default_factory=dict)  # id -> sentences no quote of the user's supports
    skipped: dict[str, str] = field(default_factory=dict)  # id -> why it was left alone


@dataclass
class FollowUpTask(StoryTask):
    """What both follow-up jobs share: the material an answer may rest on and the answer's length."""

    note: str = ""
    command: ClassVar[str] = "followups"
    limits: ClassVar[dict[str, int]] = {
        "follow_ups": 10, "follow_ups.question": 300, "follow_ups.aims_at": 200, "answers": 20, "answers.id": 20,
        "follow_ups.answer": 10, "answers.answer": 10, "follow_ups.answer.text": 600, "answers.answer.text": 600,
        "follow_ups.answer.sources[]": 400, "answers.answer.sources[]": 400,
    }

    @cached_property
    def material(self) -> Material:
        """Return the story's material and the user's own follow-up answers."""
        return Material.of(self.story, self.settings, own_answers(self.story))

    @property
    def max_words(self) -> int:
        """Return the longest answer, in words."""
        return answer_words(self.settings)

    def common_variables(self) -> dict:
        """Return the variables both follow-up prompts take."""
        return {**story_context(self.story, self.settings), "refined": self.story.refined, "note": self.note.strip(),
                "max_words": self.max_words, "seconds": ANSWER_SECONDS}

    def confirm(self, latest: Story, written: Written) -> None:
        """Add a coaching note per sentence no quote supports, naming the question it answers."""
        questions = dict(zip(latest.follow_up_ids(), (f.question for f in latest.follow_ups), strict=True))
        for fid, sentences in written.unsupported.items():
            for sentence in sentences:
                note = confirm_note(sentence, questions[fid])
                if note not in latest.coaching_notes:
                    latest.coaching_notes.append(note)


@dataclass
class GenerateTask(FollowUpTask):
    """Ask for `count` new follow-up questions, each with a grounded answer."""

    count: int = 3
    prompt: ClassVar[str] = "followups"
    output: ClassVar[type[BaseModel]] = NewFollowUps

    def variables(self) -> dict:
        """Return the variables of prompts/followups.jinja."""
        return {**self.common_variables(), "count": self.count, "existing": [f.question for f in self.story.follow_ups],
                "weak_spots": weak_spots(self.story, self.settings)}

    def problems(self, value: NewFollowUps) -> list[str]:
        """Return why generated follow-ups break the method (doubts are re-asked but not fatal)."""
        problems: list[str] = []
        given = [f for f in value.follow_ups if f.question.strip()]
        if len(given) < self.count:
            problems.append(f"follow_ups has {len(given)} questions with text; give exactly {self.count}")
        seen = [f.question for f in self.story.follow_ups]
        for item in given[: self.count]:
            where = f"follow-up '{item.question.strip()}'"
            twin = next((q for q in seen if same_question(item.question, q)), None)
            if twin is not None:  # a doubt: the words may meet while the questions differ; kept if asked again
                problems.append(Doubt(f"{where} repeats the question '{twin}'; ask about something the story leaves open"))
            seen.append(item.question)
            problems += answer_problems(where, item.answer, self.material, self.max_words)
        return problems

    def judged(self, value: NewFollowUps) -> grounded.Judged:
        """Return the guard's verdict on each sentence of each new answer."""
        given = [f for f in value.follow_ups if f.question.strip()][: self.count]
        return [pair for item in given
                for pair in grounded.at(f"follow-up '{item.question.strip()}'", judge_all(self.material, item.answer))]

    def merge(self, latest: Story, value: NewFollowUps, made: Made) -> Written:
        """Add the new questions to the story as it is now (one the user added meanwhile is not added twice)."""
        written = Written()
        for item in [f for f in value.follow_ups if f.question.strip()][: self.count]:
            if any(same_words(item.question, f.question) for f in latest.follow_ups):
                continue
            latest.follow_ups.append(FollowUp.written(item.question, spoken(item.answer), made.model))
            fid = latest.follow_up_ids()[-1]
            written.ids.append(fid)
            written.aims[fid] = item.aims_at.strip()
            if sentences := [v.text for v in judge_all(self.material, item.answer) if not v.supported]:
                written.unsupported[fid] = sentences
        self.confirm(latest, written)
        return written


@dataclass
class RegenerateTask(FollowUpTask):
    """Rewrite the answers of the follow-ups at `positions`, keeping each question; replaced answers go to history."""

    positions: list[int] = field(default_factory=list)
    prompt: ClassVar[str] = "followup-answers"
    output: ClassVar[type[BaseModel]] = RewrittenAnswers

    @property
    def ids(self) -> list[str]:
        """Return the ids of the follow-ups to rewrite."""
        all_ids = self.story.follow_up_ids()
        return [all_ids[p] for p in self.positions]

    def variables(self) -> dict:
        """Return the variables of prompts/followup-answers.jinja."""
        follow_ups = self.story.follow_ups
        targets = [{"id": fid, "question": follow_ups[p].question, "answer": follow_ups[p].answer}
                   for fid, p in zip(self.ids, self.positions, strict=True)]
        others = [{"question": f.question, "answer": f.answer} for i, f in enumerate(follow_ups)
                  if i not in self.positions and f.answer.strip() and not f.written_by_coach]
        return {**self.common_variables(), "targets": targets, "own_follow_ups": others}

    def problems(self, value: RewrittenAnswers) -> list[str]:
        """Return why rewritten answers break the method: an id left out, or an answer that breaks the rules."""
        answered = {a.id.strip().lower(): a for a in value.answers}
        problems = [f"no answer for id {fid}; give one entry per id listed" for fid in self.ids if fid not in answered]
        for fid in self.ids:
            if fid in answered:
                problems += answer_problems(f"id {fid}", answered[fid].answer, self.material, self.max_words)
        return problems

    def judged(self, value: RewrittenAnswers) -> grounded.Judged:
        """Return the guard's verdict on each sentence of each rewritten answer."""
        answered = {a.id.strip().lower(): a for a in value.answers}
        return [pair for fid in self.ids if fid in answered
                for pair in grounded.at(f"id {fid}", judge_all(self.material, answered[fid].answer))]

    def merge(self, latest: Story, value: RewrittenAnswers, made: Made) -> Written:
        """Rewrite each answer in the story as it is now, unless it was changed or removed while coach worked."""
        answers = {a.id.strip().lower(): a for a in value.answers}
        before = {fid: self.story.follow_ups[p].answer for fid, p in zip(self.ids, self.positions, strict=True)}
        by_id = dict(zip(latest.follow_up_ids(), latest.follow_ups, strict=True))
        written = Written()
        for fid in self.ids:
            follow_up = by_id.get(fid)
            if follow_up is None:
                written.skipped[fid] = "its question was changed or removed while coach worked"
                continue
            if follow_up.answer != before[fid]:
                written.skipped[fid] = "its answer was edited while coach worked"
                continue
            text = spoken(answers[fid].answer)
            if follow_up.answer.strip() and follow_up.answer.strip() != text.strip():
                latest.history.append(HistoryEntry.kept(follow_up.answer, follow_up.source, made.at,
                                                        f"follow-up: {follow_up.question}"))
            follow_up.rewrite(text, made.model)
            if sentences := [v.text for v in judge_all(self.material, answers[fid].answer) if not v.supported]:
                written.unsupported[fid] = sentences
            written.ids.append(fid)
        self.confirm(latest, written)
        return written
