"""Feedback on one round: the model's four scores, each resting on a quote that must be the candidate's own words,
the checks that hold it to that (a task for the job runner), and concision, measured rather than judged."""

from __future__ import annotations

import re
from dataclasses import dataclass

from pydantic import BaseModel, Field

from coach.bank.models import Story
from coach.bank.phrases import naming_variables
from coach.bank.settings import BankSettings
from coach.interview.session import JUDGED, Round, Session
from coach.jobs.task import Task
from coach.llm.answers import Doubt
from coach.method.grounding import Material, content_words, normalise
from coach.method.text import quoted, word_count
from coach.method.verdict import Verdict, judge


class Scored(BaseModel):
    """One dimension of feedback: a score and the words of the answer that justify it."""

    score: int = Field(description="1 (missing) to 5 (excellent).")
    evidence: str = Field(description="Words copied exactly from the candidate's answer that justify the score; empty only for a score of 1 or 2 when nothing in the answer applies.")


class Feedback(BaseModel):
    """What prompts/feedback.jinja must return."""

    structure: Scored = Field(description="Hook, stakes, action, result, in that order.")
    ownership: Scored = Field(description="\"I\" for what the candidate did, not \"we\".")
    impact: Scored = Field(description="Specific, measurable results.")
    values: Scored = Field(description="How clearly the answer shows the value the question is about.")
    strength: str = Field(description="The one thing the answer did best, in one sentence.")
    improvement: str = Field(description="The single most useful change for next time, in one sentence.")
    best_story: str = Field(description="The id of the candidate's story that fits this question best, or an empty string.")
    say_instead: str = Field(description="One sentence the candidate could have said, using only facts from their answer or that story; empty if none.")


@dataclass
class FeedbackTask(Task[Feedback]):
    """Score one round of a mock interview: the whole answer, its probes' replies included."""

    prompt = "feedback"
    output = Feedback
    command = "interview"
    limits = {f"{d}.evidence": 600 for d in ("structure", "ownership", "impact", "values")} | {
        "strength": 500, "improvement": 500, "best_story": 100, "say_instead": 600}

    session: Session
    round: Round
    stories: list[tuple[str, Story]]
    settings: BankSettings

    def variables(self) -> dict:
        """Return the variables of prompts/feedback.jinja, with the material of the stories that fit the question best
        (what `say_instead` may draw on besides the answer)."""
        r, session, settings = self.round, self.session, self.settings
        meaning = next((v.meaning for v in settings.values if v.name.lower() == r.planned.value.lower()), "")
        return {
            **naming_variables(session.company, session.role), "value": r.planned.value, "meaning": meaning,
            "turns": r.turns, "stories": [{"id": slug, "title": s.title, "type": s.type, "shows": s.values}
                                          for slug, s in self.stories],
            "fitting": [_material(slug, story) for slug, story in self.fitting()],
            "seconds": r.seconds, "window": session.window, "wpm": session.wpm, "spoken": r.spoken,
        }

    def fitting(self, most: int = 2) -> list[tuple[str, Story]]:
        """Return the stories that fit the round's question best: tagged with its value, then of a type it asks about."""
        value, themes = self.round.planned.value.lower(), set(self.round.planned.themes)
        scored = [((value in (v.lower() for v in s.values)) * 2 + (s.type in themes), i) for i, (_, s) in enumerate(self.stories)]
        return [self.stories[i] for fit, i in sorted(scored, key=lambda pair: (-pair[0], pair[1])) if fit][:most]

    def problems(self, value: Feedback) -> list[str]:
        """Return why the feedback breaks the rules (see `feedback_problems`)."""
        return feedback_problems(value, self.round.answer, dict(self.stories), self.settings,
                                 figures(self.round, self.session))


FITTING_WORDS = 400  # about the most of a fitting story a feedback prompt shows: its draft, then its questions and answers


def _material(slug: str, story: Story, words: int = FITTING_WORDS) -> dict:
    """Return a story's draft and answered questions for the feedback prompt, about `words` words in all."""
    draft = _bounded(story.draft, words * 5 // 8)
    left = words - len(draft.split())
    answers = []
    for question in (q for q in story.questions() if q.answer.strip()):
        if left <= 0:
            break
        answer = _bounded(question.answer, min(left, 50))
        answers.append((question.text, answer))
        left -= len(answer.split()) + len(question.text.split())
    return {"id": slug, "draft": draft, "answers": answers}


def _bounded(text: str, words: int) -> str:
    """Return text cut to `words` words, marked when cut."""
    said = text.split()
    return " ".join(said) if len(said) <= words else " ".join(said[:words]) + " … (cut)"


def quoted_in(evidence: str, answer: str) -> bool:
    """Return True when evidence is the candidate's own words, found in the answer as said: pieces cut with "..."
    each found, three or more words in all, two of them words that carry meaning ("and I learned that" is not)."""
    said = f" {normalise(answer)} "
    pieces = [normalise(piece) for piece in re.split(r"\s*(?:…|\.\.\.)\s*", evidence) if normalise(piece)]
    if not pieces or not all(f" {piece} " in said for piece in pieces):
        return False
    whole = " ".join(pieces)
    return whole == normalise(answer) or (len(whole.split()) >= 3 and len(content_words(whole)) >= 2)


def feedback_problems(result: Feedback, answer: str, stories: dict[str, Story], settings: BankSettings,
                      given: str = "") -> list[str]:
    """Return why feedback breaks the rules: a score out of 1-5 (re-asked), or, as doubts, evidence not quoted from the
    answer, an unknown story, and a line the guard does not pass (a number or name the candidate never gave; a
    suggested sentence their words do not carry). `given` holds the figures coach itself gave the model."""
    problems: list[str] = []
    for dimension in JUDGED:
        scored: Scored = getattr(result, dimension)
        if not 1 <= scored.score <= 5:
            problems.append(f"{dimension}.score is {scored.score}; give a whole number from 1 to 5")
        if scored.evidence.strip() and not quoted_in(scored.evidence, answer):
            found = all(f" {normalise(piece)} " in f" {normalise(answer)} "
                        for piece in re.split(r"\s*(?:…|\.\.\.)\s*", scored.evidence) if normalise(piece))
            why = ("is too short to show anything: quote more of the sentence it comes from" if found else
                   "is not in the candidate's answer")
            problems.append(Doubt(f'{dimension}.evidence "{scored.evidence}" {why}; copy three or more of their exact '
                                  "words, two of them words that carry meaning, or leave it empty with a score of 1 or 2"))
        elif not scored.evidence.strip() and scored.score > 2:
            problems.append(Doubt(f"{dimension}.evidence is empty; quote the words of the answer behind a score of {scored.score}"))
    if result.best_story.strip() and result.best_story.strip() not in stories:
        problems.append(Doubt(f"best_story '{result.best_story}' is not one of the story ids listed; give one of them or an empty string"))
    for name, verdict in judged(result, answer, stories, settings, given).items():
        if not verdict.supported:
            problems.append(Doubt(f"{name}: {verdict.why}; use only the candidate's facts"))
    return problems


NOTES = {"strength": False, "improvement": False, "say_instead": True}  # field: words for the candidate to say


def judged(result: Feedback, answer: str, stories: dict[str, Story], settings: BankSettings,
           given: str = "") -> dict[str, Verdict]:
    """Return the guard's verdict on each note of the feedback that has text, over one material: the answer, the
    best story's material and the figures coach gave the model."""
    story = stories.get(result.best_story.strip())
    facts = "\n".join([answer, story.material() if story else "", given])
    context = [settings.company, settings.role, *(v.name for v in settings.values), story.refined if story else ""]
    material = Material(facts, "\n".join(context))  # the refined words may carry a sentence; only the facts hold figures
    return {name: judge(material, getattr(result, name), speech=speech)
            for name, speech in NOTES.items() if getattr(result, name).strip()}


def figures(r: Round, session: Session) -> str:
    """Return the figures coach gave the model about a round's answer (see `figures_of`)."""
    return figures_of(r.seconds, session.window, session.wpm, r.answer, r.spoken)


def figures_of(seconds: float, window: tuple[int, int], wpm: int, answer: str, spoken: bool = False) -> str:
    """Return the figures coach gave the model about an answer (its time, the window, the rate, its words), with the
    round numbers a coach would say for them and for the gaps to the window ("under 30 seconds" for 28.8, "about
    five seconds left" for 54.4 of 60): material for the feedback it asked for."""
    low, high = window
    about = sorted({n for gap in {seconds, low - seconds, high - seconds, seconds - high} if gap > 0
                    for n in (round(gap), 5 * round(gap / 5), 10 * round(gap / 10)) if n > 0})
    pace = f"; it was spoken at {round(word_count(answer) * 60 / seconds)} words per minute" if spoken and seconds else ""
    return (f"The answer took {seconds:g} seconds ({', '.join(f'{n} seconds' for n in about)}); the window is "
            f"{low} seconds to {high} seconds at {wpm} words per minute; the answer has {word_count(answer)} "
            f"words{pace}.")


def concision(seconds: float, window: tuple[int, int]) -> int:
    """Return the concision score: 5 inside the window, one less for each 15% outside it."""
    low, high = window
    if low <= seconds <= high:
        return 5
    off = (low - seconds) / low if seconds < low else (seconds - high) / high
    return max(1, 5 - 1 - int(off / 0.15))


def apply_feedback(r: Round, result: Feedback, stories: dict[str, Story], settings: BankSettings,
                   given: str = "") -> None:
    """Keep the feedback's scores, and only what survived the checks: quoted evidence, a known story, no invention;
    a note the guard does not pass is dropped, with its reason kept in `r.dropped` for every view to show."""
    answer = r.answer
    for dimension in JUDGED:
        scored: Scored = getattr(result, dimension)
        if quoted_in(scored.evidence, answer):
            r.scores[dimension], r.evidence[dimension] = min(5, max(1, scored.score)), scored.evidence.strip()
        elif scored.score <= 2 and not scored.evidence.strip():
            r.scores[dimension], r.evidence[dimension] = max(1, scored.score), ""  # nothing in the answer to quote
        else:  # a score the model could not back with the candidate's words counts for nothing
            r.unverified.append(dimension)
    r.best_story = result.best_story.strip() if result.best_story.strip() in stories else ""
    verdicts = judged(result, answer, stories, settings, given)
    for name in NOTES:
        verdict = verdicts.get(name)
        if verdict is not None and not verdict.supported:
            r.dropped[name] = dropped_because(verdict)
        setattr(r, name, getattr(result, name).strip() if verdict is not None and verdict.supported else "")


def dropped_because(verdict: Verdict) -> str:
    """Return why a note was dropped, said to the candidate."""
    facts = verdict.numbers + verdict.names
    if facts:
        return f"{quoted(facts)} {'is' if len(facts) == 1 else 'are'} in neither your answer nor your stories"
    return "most of its words are in neither your answer nor your stories"


def first_reason(error: Exception) -> str:
    """Return why feedback failed in one line: the failure and its first problem."""
    lines = [line.strip() for line in str(error).splitlines() if line.strip()]
    from coach.llm.answers import PROBLEMS

    head = lines[0].removesuffix(PROBLEMS).strip().rstrip(".;")
    first = next((line.split(". ", 1)[-1] for line in lines[1:] if line[:1].isdigit()), "")
    return f"{head}; first problem: {first}" if first else head
