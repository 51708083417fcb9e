"""`coach interview`: a mock behavioral interview in the terminal, and `coach sessions`, the progress across them.

An interviewer for the bank's company and role asks questions chosen to cover the values the bank covers least,
seeded from a built-in bank of common questions (`bank/data/questions.yaml`) so that sessions vary and still work
with a weak model; the model phrases them, streamed as it writes. After each answer the method's checks decide
whether a real interviewer would probe (no "I", no number, no stakes, no link to the value) and the model phrases
up to two probes. Then structured feedback: four scores from the model, each with evidence that must be quoted
from the answer, and concision measured, not judged. Every turn is saved at once to a Markdown transcript under
the bank's `sessions/`, so Ctrl-C, `/quit` or a failed endpoint loses nothing.
"""

from __future__ import annotations

import random
import re
from collections.abc import Callable
from contextlib import AbstractContextManager, nullcontext
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

import yaml
from pydantic import BaseModel, Field

from coach.bank.catalog import common_questions, find_company
from coach.bank.folder import Bank, load_story, write_atomic
from coach.bank.models import BankSettings, CommonQuestion, Story
from coach.bank.phrases import company_phrase, naming_variables
from coach.errors import CoachError, Interrupted, LLMError
from coach.llm.answers import Doubt
from coach.llm.jobs import Cancelled, JobsInterrupted, run_one
from coach.method.board import value_coverage
from coach.method.check import STAKES, Finding, check_answer
from coach.method.grounding import Material, content_words, normalise
from coach.method.quantities import quantities
from coach.method.text import sentences, spoken_seconds

if TYPE_CHECKING:
    from coach.llm.engine import Engine

DIMENSIONS = ("structure", "ownership", "impact", "values", "concision")
JUDGED = DIMENSIONS[:4]  # scored by the model; concision is measured
PERSONAS = ("friendly", "neutral", "tough")
MAX_PROBES = 2
SAY_TOKENS = 160  # the interviewer says one or two sentences: a rambling model is cut short
SESSIONS = "sessions"
PROBES = {  # what a finding of the method's checks makes an interviewer ask about, most telling first
    "we-heavy": "it says \"we\" more than \"I\": what did the candidate do themselves",
    "no-metric": "the result has no number: how much, how many, how fast",
    "no-stakes": "nothing says what was at stake: what would have happened if it had failed",
    "no-value": "it never shows {value}: how this reflects that value",
}
ADVICE = {  # what to practise when a dimension scores lowest and no feedback said more
    "structure": "Tell it in order: the hook, the stakes, what you did, the result.",
    "ownership": "Say \"I\" for what you did; keep \"we\" for what the team did together.",
    "impact": "End on one specific result with a number from your own material.",
    "values": "Close with one sentence that ties the story to the value the question is about.",
    "concision": "Time your answer: fit the story into the target window.",
}
SKIP, QUIT = "/skip", "/quit"


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
class Planned:
    """A main question to ask: the common question it starts from, the value it probes, and prepared probes."""

    seed: str
    value: str
    themes: list[str] = field(default_factory=list)
    prepared: list[str] = field(default_factory=list)  # a story's own follow-up questions, with --story


@dataclass
class Turn:
    """One question of the interviewer's and the candidate's answer."""

    kind: str  # "question" or "probe"
    asked: str
    answer: str = ""
    why: str = ""  # for a probe: what the answer had left out


@dataclass
class Round:
    """A main question with its probes and the feedback on the whole answer."""

    number: int
    planned: Planned
    turns: list[Turn] = field(default_factory=list)
    skipped: bool = False
    scores: dict[str, int] = field(default_factory=dict)
    evidence: dict[str, str] = field(default_factory=dict)
    strength: str = ""
    improvement: str = ""
    best_story: str = ""
    say_instead: str = ""
    findings: list[Finding] = field(default_factory=list)
    seconds: float = 0.0
    feedback_error: str = ""
    unverified: list[str] = field(default_factory=list)  # scores dropped: their evidence was not in the answer
    unasked: list[str] = field(default_factory=list)  # probes an interviewer would have asked (scripted answers ran out)

    @property
    def answer(self) -> str:
        """Return everything the candidate said in this round."""
        return "\n\n".join(turn.answer for turn in self.turns if turn.answer)

    def as_dict(self) -> dict:
        """Return the round as plain data for JSON output."""
        return {
            "number": self.number, "value": self.planned.value, "seed": self.planned.seed, "skipped": self.skipped,
            "turns": [turn.__dict__ for turn in self.turns], "scores": self.scores, "evidence": self.evidence,
            "strength": self.strength, "improvement": self.improvement, "best_story": self.best_story,
            "say_instead": self.say_instead, "seconds": self.seconds, "feedback_error": self.feedback_error,
            "unverified": self.unverified, "would_probe": self.unasked,
            "findings": [f.__dict__ for f in self.findings],
        }


@dataclass
class Session:
    """A mock interview: who asked, what was asked and answered, and how it went."""

    path: Path
    started: datetime
    company: str
    role: str
    persona: str
    model: str
    window: tuple[int, int]
    wpm: int
    rounds: list[Round] = field(default_factory=list)
    status: str = "in progress"

    @property
    def scored(self) -> list[Round]:
        """Return the rounds that have scores."""
        return [r for r in self.rounds if any(d in r.scores for d in JUDGED)]

    def averages(self) -> dict[str, float]:
        """Return the mean score of each dimension over the scored rounds."""
        return _means([r.scores for r in self.scored], DIMENSIONS)

    def by_value(self) -> dict[str, float]:
        """Return the mean score (all dimensions) of the rounds about each value."""
        totals: dict[str, list[float]] = {}
        for r in self.scored:
            totals.setdefault(r.planned.value, []).append(sum(r.scores.values()) / len(r.scores))
        return {value: round(sum(s) / len(s), 1) for value, s in totals.items()}

    def practise_next(self) -> list[str]:
        """Return the three things to practise next: the weakest dimensions, with the feedback that said most."""
        averages = self.averages()
        things: list[str] = []
        for dimension in sorted(averages, key=lambda d: (averages[d], DIMENSIONS.index(d))):
            worst = min(self.scored, key=lambda r: r.scores.get(dimension, 6))
            advice = worst.improvement if dimension in JUDGED and worst.improvement else ADVICE[dimension]
            if advice in " ".join(things):  # one round's improvement serves once; the method's advice after that
                advice = ADVICE[dimension]
            things.append(f"{dimension} ({averages[dimension]:g}/5): {advice}")
            if len(things) == 3:
                break
        return things

    def summary(self) -> dict:
        """Return what the transcript's front matter keeps, and `coach sessions` reads."""
        return {
            "started": self.started.isoformat(sep=" ", timespec="minutes"), "company": self.company,
            "role": self.role, "persona": self.persona, "model": self.model, "status": self.status,
            "questions": len(self.rounds), "answered": len([r for r in self.rounds if not r.skipped and r.turns]),
            "scores": self.averages(), "values": self.by_value(),
        }

    def as_dict(self) -> dict:
        """Return the session as plain data for JSON output."""
        return {**self.summary(), "transcript": str(self.path), "window": list(self.window),
                "words_per_minute": self.wpm, "practise_next": self.practise_next() if self.scored else [],
                "rounds": [r.as_dict() for r in self.rounds]}


def _means(rows: list[dict[str, float]], keys) -> dict[str, float]:
    means = {}
    for key in keys:
        values = [row[key] for row in rows if key in row]
        if values:
            means[key] = round(sum(values) / len(values), 1)
    return means


# Choosing the questions


def values_by_need(stories: list[Story], slugs: list[str], settings: BankSettings) -> list[str]:
    """Return the bank's values, those its stories cover least first."""
    coverage = value_coverage(stories, settings, slugs)
    order = {name: i for i, name in enumerate(coverage)}
    return sorted(coverage, key=lambda value: (len(coverage[value]), order[value]))


def plan(bank: Bank, count: int, values: list[str] | None = None, story: str | None = None,
         rng: random.Random | None = None) -> list[Planned]:
    """Choose `count` main questions: for the named values, or the values the bank covers least; or, with a story,
    the questions that story should answer, its prepared follow-ups as probes."""
    rng = rng or random.Random()
    settings = bank.settings()
    pairs = list(bank.stories())
    stories, slugs = [s for _, s in pairs], [p.stem for p, _ in pairs]
    profile = find_company(settings.company, bank.root)
    shown_by = {}  # value -> story types that show it best, from the company profile
    for kind, names in (profile.story_values if profile else {}).items():
        for name in names:
            shown_by.setdefault(name.lower(), set()).add(kind)
    seeds = common_questions()
    rng.shuffle(seeds)
    if story is not None:
        chosen = load_story(bank.resolve(story))
        fitting = [q for q in seeds if chosen.type in q.themes] or seeds
        targets = chosen.values or [chosen.type]
        prepared = [f.question for f in chosen.follow_ups]
        rounds = min(count, len(fitting))  # the story's follow-ups shared out, one round after another
        return [Planned(q.text, targets[i % len(targets)], q.themes, prepared[i::rounds]) for i, q in enumerate(fitting[:rounds])]
    wanted = _named_values(values, settings) if values else values_by_need(stories, slugs, settings)
    if not wanted:
        wanted = sorted({t for q in seeds for t in q.themes})  # a bank without values: practise every theme
    planned: list[Planned] = []
    used: set[str] = set()
    for i in range(count):
        value = wanted[i % len(wanted)]
        candidates = [q for q in seeds if q.text not in used and _probes(q, value, shown_by)]
        candidates = candidates or [q for q in seeds if q.text not in used] or seeds
        question = candidates[0]
        used.add(question.text)
        planned.append(Planned(question.text, value, question.themes))
    return planned


def _named_values(values: list[str], settings: BankSettings) -> list[str]:
    known = {v.name.lower(): v.name for v in settings.values}
    named = [known.get(v.strip().lower(), v.strip()) for v in values if v.strip()]
    if not named:
        raise CoachError('--values names no value; give them like --values "Candor,Courage"')
    unknown = [v for v in named if known and v.lower() not in known]
    if unknown:
        listing = ", ".join(v.name for v in settings.values)
        raise CoachError(f"{', '.join(unknown)} {'is' if len(unknown) == 1 else 'are'} not among "
                         f"{company_phrase(settings.company)}'s values ({listing}); check the spelling in --values")
    return named


def _probes(question: CommonQuestion, value: str, shown_by: dict[str, set[str]]) -> bool:
    value = value.lower()
    return value in question.values or value in question.themes or bool(shown_by.get(value, set()) & set(question.themes))


def hint(bank: Bank, planned: Planned) -> str:
    """Return which of the user's stories fits a question, and its hook, for `/hint`."""
    best = None
    for path, story in bank.stories():
        fit = (planned.value.lower() in (v.lower() for v in story.values)) * 2 + (story.type in planned.themes)
        if fit and (best is None or fit > best[0]):
            best = (fit, path.stem, story)
    if best is None:
        return "None of your stories is tagged for this; pick the one whose result you can say with a number."
    _, slug, story = best
    hook = (story.practice_notes.hooks or [_first_sentence(story.refined or story.draft)])[0]
    return f"Try your {slug} story ({story.title}). Open with: {hook}"


def _first_sentence(text: str) -> str:
    found = sentences(text)
    return found[0] if found else "(no hook yet: write one under ### Opening Hooks)"


# The feedback and its checks


def feedback_variables(session: Session, r: Round, stories: list[tuple[str, Story]], settings: BankSettings) -> dict:
    """Return the variables of prompts/feedback.jinja."""
    meaning = next((v.meaning for v in settings.values if v.name.lower() == r.planned.value.lower()), "")
    return {
        **naming_variables(session.company, session.role), "value": r.planned.value, "meaning": meaning,
        "turns": r.turns, "stories": [{"id": slug, "title": s.title, "type": s.type, "shows": s.values} for slug, s in stories],
        "seconds": r.seconds, "window": session.window, "wpm": session.wpm,
    }


def quoted_in(evidence: str, answer: str) -> bool:
    """Return True when evidence is the candidate's own words, found in the answer as said: pieces cut with "..."
    each found, three or more words in all, two of them words that carry meaning ("and I learned that" is not)."""
    said = f" {normalise(answer)} "
    pieces = [normalise(piece) for piece in re.split(r"\s*(?:…|\.\.\.)\s*", evidence) if normalise(piece)]
    if not pieces or not all(f" {piece} " in said for piece in pieces):
        return False
    whole = " ".join(pieces)
    return whole == normalise(answer) or (len(whole.split()) >= 3 and len(content_words(whole)) >= 2)


def feedback_problems(result: Feedback, answer: str, stories: dict[str, Story], settings: BankSettings) -> list[str]:
    """Return why feedback breaks the rules: a score out of 1-5 (re-asked), or, as doubts, evidence not quoted from the
    answer, an unknown story, and a suggested sentence with a number or name the candidate never gave."""
    problems: list[str] = []
    for dimension in JUDGED:
        scored: Scored = getattr(result, dimension)
        if not 1 <= scored.score <= 5:
            problems.append(f"{dimension}.score is {scored.score}; give a whole number from 1 to 5")
        if scored.evidence.strip() and not quoted_in(scored.evidence, answer):
            problems.append(Doubt(f'{dimension}.evidence "{scored.evidence}" is not in the candidate\'s answer; copy '
                                  "three or more of their exact words, or leave it empty with a score of 1 or 2"))
        elif not scored.evidence.strip() and scored.score > 2:
            problems.append(Doubt(f"{dimension}.evidence is empty; quote the words of the answer behind a score of {scored.score}"))
    if result.best_story.strip() and result.best_story.strip() not in stories:
        problems.append(Doubt(f"best_story '{result.best_story}' is not one of the story ids listed; give one of them or an empty string"))
    invented = _invented(result.say_instead, answer, stories.get(result.best_story.strip()), settings)
    if invented:
        problems.append(Doubt(f"say_instead uses {', '.join(invented)}, which the candidate never said; use only their facts"))
    return problems


def _invented(sentence: str, answer: str, story: Story | None, settings: BankSettings) -> list[str]:
    if not sentence.strip():
        return []
    facts = "\n".join([answer, story.material() if story else ""])
    material = Material(facts, "\n".join([settings.company, settings.role, *(v.name for v in settings.values)]))
    return material.unsupported_numbers(sentence) + material.unsupported_names(sentence)


def concision(seconds: float, window: tuple[int, int]) -> int:
    """Return the concision score: 5 inside the window, one less for each 15% outside it."""
    low, high = window
    if low <= seconds <= high:
        return 5
    off = (low - seconds) / low if seconds < low else (seconds - high) / high
    return max(1, 5 - 1 - int(off / 0.15))


def apply_feedback(r: Round, result: Feedback, stories: dict[str, Story], settings: BankSettings) -> None:
    """Keep the feedback's scores, and only what survived the checks: quoted evidence, a known story, no invention."""
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
    story = stories.get(r.best_story)
    r.strength, r.improvement, r.say_instead = (
        "" if _invented(text, answer, story, settings) else text.strip()
        for text in (result.strength, result.improvement, result.say_instead)
    )


def open_gaps(r: Round, settings: BankSettings, window: tuple[int, int]) -> list[str]:
    """Return what the answer still leaves out, in the order an interviewer would probe it: the main answer's gaps
    that no reply to a probe has filled since ("we" is judged on everything said)."""
    main, replies = r.turns[0].answer, [t.answer for t in r.turns[1:] if t.answer]
    found = {f.code for f in check_answer(main, settings, window, r.planned.value)}
    if replies:
        everything = "\n\n".join([main, *replies])
        found.discard("we-heavy")
        found |= {f.code for f in check_answer(everything, settings, window) if f.code == "we-heavy"}
        if any(quantities(reply) for reply in replies):
            found.discard("no-metric")
        if any(STAKES.search(reply) for reply in replies):
            found.discard("no-stakes")
        if not {f.code for f in check_answer(everything, settings, window, r.planned.value)} & {"no-value"}:
            found.discard("no-value")
    return [code for code in PROBES if code in found]


# The conversation


@dataclass
class Talk:
    """How the interview talks to the candidate: print a line, stream words, and read one answer.

    `read` returns the answer's text, or a command (`/skip`, `/hint`, `/repeat`, `/quit`); it raises EOFError when
    the answers run out.
    """

    line: Callable[[str], None]  # a whole line; after streamed words, ends their line
    words: Callable[[str], None]  # streamed words, on one flowing line
    read: Callable[[], str]
    busy: Callable[[str], AbstractContextManager] = lambda label: nullcontext()
    probe_ready: Callable[[], bool] = lambda: True  # False when scripted answers hold no reply to a probe
    hint: Callable[[str], None] | None = None  # shows a hint; by default as a plain line

    def __post_init__(self):
        if self.hint is None:
            self.hint = self.line
    feedback: Callable[[Round, Session], None] | None = None  # shows the feedback; by default as plain lines


def new_session_path(bank: Bank, now: datetime) -> Path:
    """Return a new transcript path under the bank's sessions/ folder, named by the time it started."""
    folder = bank.root / SESSIONS
    stem = now.strftime("%Y-%m-%d-%H%M%S")
    path, n = folder / f"{stem}.md", 2
    while path.exists():
        path, n = folder / f"{stem}-{n}.md", n + 1
    return path


class Interview:
    """One mock interview: asks, listens, probes, gives feedback, and saves the transcript after every turn."""

    def __init__(self, bank: Bank, engine: Engine, talk: Talk, persona: str = "neutral",
                 now: Callable[[], datetime] = datetime.now):
        if persona not in PERSONAS:
            raise CoachError(f"--persona must be one of {', '.join(PERSONAS)}, not '{persona}'")
        self.bank, self.engine, self.talk = bank, engine, talk
        self.settings = bank.settings()
        self.stories = [(path.stem, story) for path, story in bank.stories()]
        started = now()
        self.session = Session(new_session_path(bank, started), started, self.settings.company, self.settings.role,
                               persona, engine.settings.model, self.settings.target_seconds, self.settings.words_per_minute)

    def run(self, planned: list[Planned]) -> Session:
        """Run the interview over the planned questions; the transcript is saved whatever happens."""
        try:
            for number, item in enumerate(planned, 1):
                if not self._round(Round(number, item)):
                    self.session.status = "quit"
                    break
            else:
                self.session.status = "complete"
        except (JobsInterrupted, KeyboardInterrupt, Interrupted, Cancelled):
            self.session.status = "interrupted"
            self.talk.line("")
            raise Interrupted(f"interrupted; {self._kept()}") from None
        except LLMError as error:
            self.session.status = "stopped: the model endpoint failed"
            self.talk.line("")
            raise type(error)(f"{error}; {self._kept()}") from None
        self._kept()
        return self.session

    def _kept(self) -> str:
        """Save the transcript, or remove it when nothing was answered; say which."""
        if not any(turn.answer for r in self.session.rounds for turn in r.turns):
            self.session.path.unlink(missing_ok=True)
            return "nothing was answered, so no transcript was kept"
        self.save()
        return f"the session so far is saved to {self.session.path}"

    def save(self) -> None:
        """Write the transcript as it stands."""
        try:
            write_atomic(self.session.path, transcript(self.session))
        except OSError as error:
            raise CoachError(f"could not save the transcript to {self.session.path} ({error.strerror or error}); "
                             f"check that {self.session.path.parent} is a folder you can write to") from None

    def _round(self, r: Round) -> bool:
        """Ask one main question with its probes and feedback; return False when the candidate quit."""
        self.session.rounds.append(r)
        self.talk.line(f"\n── Question {r.number} · {r.planned.value} ──")
        asked = self._say("ask", r, seed=r.planned.seed)
        reply = self._listen(asked, r.planned)
        if reply == QUIT:
            self.session.rounds.pop()
            return False
        if reply == SKIP:
            r.skipped = True
            r.turns.append(Turn("question", asked))
            self.save()
            return True
        r.turns.append(Turn("question", asked, reply))
        r.seconds = spoken_seconds(reply, self.session.wpm)
        self.save()
        if not self._probe(r):
            self._feedback(r)
            return False
        self._feedback(r)
        return True

    def _probe(self, r: Round) -> bool:
        """Probe what the answer left out, up to MAX_PROBES times; return False when the candidate quit.

        A prepared follow-up of the rehearsed story comes first; with scripted answers, a probe is asked only when
        the file holds a reply to it (a `--- probe` block), and otherwise noted as one an interviewer would ask.
        """
        prepared = list(r.planned.prepared[:1])  # one prepared follow-up, then what the answer left out
        asked: set[str] = set()
        for _ in range(MAX_PROBES):
            gaps = [code for code in open_gaps(r, self.settings, self.session.window) if code not in asked]
            if prepared:
                why, start = "a question you prepared for", prepared.pop(0)
            elif gaps:
                asked.add(gaps[0])
                why, start = PROBES[gaps[0]].format(value=r.planned.value), ""
            else:
                return True
            if not self.talk.probe_ready():
                r.unasked.append(start or why)
                continue
            question = self._say("probe", r, gap=why, prepared=start, question=r.turns[-1].asked, answer=r.turns[-1].answer)
            reply = self._listen(question, r.planned)
            if reply == QUIT:
                return False
            if reply == SKIP:
                return True
            r.turns.append(Turn("probe", question, reply, why))
            self.save()
        return True

    def _checks(self, r: Round) -> list[Finding]:
        findings = check_answer(r.turns[0].answer, self.settings, self.session.window, r.planned.value)
        still_open = set(open_gaps(r, self.settings, self.session.window))
        return [f for f in findings if f.code not in PROBES or f.code in still_open]

    def _feedback(self, r: Round) -> None:
        r.findings = [Finding(f.code, f.severity, f.message, "answer") for f in self._checks(r)
                      if f.code not in ("too-short", "too-long")]  # concision says it
        by_id = dict(self.stories)
        try:
            with self.talk.busy("scoring your answer"):
                answer = run_one(lambda: self.engine.ask(
                    "feedback", feedback_variables(self.session, r, self.stories, self.settings), Feedback,
                    check=lambda result: feedback_problems(result, r.answer, by_id, self.settings), command="interview",
                ), self.engine.stop)
        except LLMError as error:  # one bad feedback answer does not end the interview
            from coach.llm.engine import EndpointDown

            if isinstance(error, EndpointDown):
                raise
            r.feedback_error = _first_reason(error)
            r.scores["concision"] = concision(r.seconds, self.session.window)
            self.save()
            self._show(r)
            return
        apply_feedback(r, answer.value, by_id, self.settings)
        r.scores["concision"] = concision(r.seconds, self.session.window)
        self.save()
        self._show(r)

    def _show(self, r: Round) -> None:
        if self.talk.feedback is not None:
            self.talk.feedback(r, self.session)
        else:
            self.talk.line("\n".join(["", f"Feedback on question {r.number} ({r.planned.value}):", *feedback_lines(r, self.session)]))

    def _say(self, kind: str, r: Round, **extra) -> str:
        """Stream the interviewer's words; fall back on the question itself when the model says nothing usable."""
        variables = {
            "persona": self.session.persona, **naming_variables(self.session.company, self.session.role),
            "values": [v for v in self.settings.values if v.name.lower() == r.planned.value.lower()],
            "kind": kind, "value": r.planned.value, "previous": self._previous(), "seed": "", "gap": "", "prepared": "",
            "question": "", "answer": "", **extra,
        }
        self.talk.words("Interviewer: ")
        try:
            said = run_one(lambda: self.engine.say("interviewer", variables, self.talk.words, command="interview",
                                                   budget=SAY_TOKENS), self.engine.stop)
        except LLMError as error:
            from coach.llm.engine import BrokenStream

            if not isinstance(error, BrokenStream):
                self.talk.line("")
                raise
            if error.text.strip():
                self.talk.line(" …")
                self.talk.words("(the model's words broke off; the question is:) ")
            said = ""
        said = _clean(said)
        if not said:
            said = extra.get("prepared") or extra.get("seed") or "Can you tell me more about what you did yourself?"
            self.talk.words(said)
        self.talk.line("")
        return said

    def _previous(self) -> str:
        answered = [t.answer for r in self.session.rounds[:-1] for t in r.turns if t.answer]
        return " ".join(answered[-1].split())[:300] if answered else ""

    def _listen(self, asked: str, planned: Planned) -> str:
        """Read the candidate's answer, handling `/hint` and `/repeat` here; return the answer, SKIP or QUIT."""
        while True:
            try:
                reply = self.talk.read().strip()
            except EOFError:
                return QUIT
            command = reply.lower()
            if command == "/hint":
                self.talk.hint(hint(self.bank, planned))
            elif command == "/repeat":
                self.talk.line(f"Interviewer: {asked}")
            elif command in (SKIP, QUIT):
                return command
            elif command.startswith("/"):
                self.talk.line("Commands: /skip, /hint, /repeat, /quit (an empty line sends your answer).")
            elif reply:
                return reply


def _first_reason(error: Exception) -> str:
    """Return why feedback failed in one line: the failure and its first problem."""
    lines = [line.strip() for line in str(error).splitlines() if line.strip()]
    head = lines[0].removesuffix("The last answer's problems:").strip().rstrip(".;")
    first = next((line.split(". ", 1)[-1] for line in lines[1:] if line[:1].isdigit()), "")
    return f"{head}; first problem: {first}" if first else head


def _clean(said: str) -> str:
    """Return the interviewer's words without a role label or wrapping quotes a model may add."""
    text = re.sub(r"<think>.*?(?:</think>|$)", " ", said, flags=re.DOTALL)  # a local reasoning model's thinking
    text = " ".join(text.split())
    text = re.sub(r"^(?:\*\*)?interviewer(?:\*\*)?\s*:\s*", "", text, flags=re.IGNORECASE)
    return text.strip().strip('"“”').strip()


# Rendering: feedback, the transcript and the session list


def proof(r: Round, session: Session, dimension: str) -> str:
    """Return what a score rests on: the quoted evidence, or for concision the measured time against the window."""
    if dimension == "concision":
        low, high = session.window
        return f"{r.seconds:g}s at {session.wpm} wpm against {low}-{high}s"
    return f'"{r.evidence[dimension]}"' if r.evidence.get(dimension) else "(no quote of yours)"


def feedback_lines(r: Round, session: Session) -> list[str]:
    """Return the feedback on one round: each score with its evidence, then the notes and the method's checks."""
    lines = []
    if r.feedback_error:
        lines.append(f"  no feedback from the model: {r.feedback_error}")
    for dimension in DIMENSIONS:
        if dimension in r.scores:
            lines.append(f"  {dimension:<10} {r.scores[dimension]}/5  {proof(r, session, dimension)}")
        elif dimension in r.unverified:
            lines.append(f"  {dimension:<10} -    not scored: the model's evidence was not in your answer")
    if r.unasked:
        lines.append(f"  an interviewer would also ask about: {'; '.join(r.unasked)}")
    if r.strength:
        lines.append(f"  strength: {r.strength}")
    if r.improvement:
        lines.append(f"  improve:  {r.improvement}")
    if r.best_story:
        lines.append(f"  best story for it: {r.best_story}")
    if r.say_instead:
        lines.append(f"  you could say: \"{r.say_instead}\"")
    lines += [f"  check: {finding.code}: {finding.message}" for finding in r.findings]
    return lines


def report_text(session: Session) -> str:
    """Render the end-of-session report (unwrapped): scores per dimension and per value, and three things to practise."""
    lines = [f"Session report · {session.company} · {len(session.scored)} of {len(session.rounds)} questions scored"]
    averages = session.averages()
    if averages:
        lines.append("  " + "  ".join(f"{d} {averages[d]:g}" for d in DIMENSIONS if d in averages))
    for value, score in session.by_value().items():
        lines.append(f"  {value}: {score:g}/5")
    things = session.practise_next() if session.scored else []
    if things:
        lines.append("Practise next:")
        lines += [f"  {n}. {thing}" for n, thing in enumerate(things, 1)]
    lines.append(f"Transcript: {session.path}")
    return "\n".join(lines)


def transcript(session: Session) -> str:
    """Render the session as a readable Markdown transcript, its summary in the front matter."""
    front = yaml.safe_dump(session.summary(), sort_keys=False, allow_unicode=True, default_flow_style=None, width=1000)
    parts = [f"---\n{front}---", f"# Mock interview · {session.company} · {session.started:%Y-%m-%d %H:%M}"]
    for r in session.rounds:
        parts.append(f"## {r.number}. {r.planned.value}")
        for turn in r.turns:
            who = "Interviewer" if turn.kind == "question" else f"Interviewer (probe: {turn.why})"
            parts.append(f"**{who}:** {turn.asked}")
            parts.append(f"**You:** {turn.answer}" if turn.answer else "**You:** (skipped)")
        if r.scores or r.feedback_error:
            parts.append("### Feedback\n\n" + "\n".join(line.strip() and f"- {line.strip()}" for line in feedback_lines(r, session)))
    if session.scored and session.status != "in progress":
        parts.append("## Report\n\n" + report_text(session))
    return "\n\n".join(parts) + "\n"


def _numbers(mapping) -> bool:
    """Return True for a missing map or one of names to numbers (what a transcript's scores are)."""
    return mapping is None or (isinstance(mapping, dict) and all(
        isinstance(v, int | float) and not isinstance(v, bool) for v in mapping.values()))


def _session_order(path: Path) -> tuple[str, int]:
    stem, _, n = path.stem.rpartition("-")
    return (stem, int(n)) if len(n) < 3 and n.isdigit() else (path.stem, 1)


def past_sessions(bank: Bank) -> tuple[list[dict], list[str]]:
    """Return the summaries of the bank's saved sessions, oldest first, and a warning per file that cannot be read."""
    folder = bank.root / SESSIONS
    rows, warnings = [], []
    for path in sorted(folder.glob("*.md"), key=_session_order) if folder.is_dir() else []:
        try:
            text = path.read_text(encoding="utf-8")
            _, front, _ = text.split("---\n", 2)
            data = yaml.safe_load(front)
            if not isinstance(data, dict) or not _numbers(data.get("scores")) or not _numbers(data.get("values")):
                raise ValueError
        except (ValueError, OSError, UnicodeDecodeError, yaml.YAMLError):
            warnings.append(f"{path}: not a coach session transcript; skipped")
            continue
        rows.append({"file": path.name, **data})
    return rows, warnings
