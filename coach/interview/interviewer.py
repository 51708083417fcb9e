"""The interviewer's turns: who speaks (the persona), what prompts/interviewer.jinja is rendered with for a main
question or a probe, and what is kept of the model's words."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import ClassVar

from coach.bank.phrases import naming_variables
from coach.bank.settings import BankSettings
from coach.errors import CoachError
from coach.interview.session import Planned, Round, Session
from coach.jobs.task import Line

PERSONAS = ("friendly", "neutral", "tough")
PROMPT = "interviewer"
SAY_TOKENS = 160  # the interviewer says one or two sentences: a rambling model is cut short
FALLBACK = "Can you tell me more about what you did yourself?"


@dataclass
class InterviewerTurn(Line):
    """The interviewer's next words: a main question or a probe, streamed."""

    rendered: dict
    prompt: ClassVar[str] = PROMPT
    command: ClassVar[str] = "interview"
    budget: ClassVar[int | None] = SAY_TOKENS

    def variables(self) -> dict:
        """Return the variables of prompts/interviewer.jinja."""
        return self.rendered


def check_persona(persona: str) -> None:
    """Refuse a persona the interviewer does not have."""
    if persona not in PERSONAS:
        raise CoachError(f"--persona must be one of {', '.join(PERSONAS)}, not '{persona}'")


def interviewer_variables(session: Session, settings: BankSettings, planned: Planned, kind: str, previous: str,
                          **extra: str) -> dict:
    """Return the variables of prompts/interviewer.jinja: `kind` "ask" (with `seed`) or "probe" (with `gap`,
    `prepared`, `question` and `answer`)."""
    return {
        "persona": session.persona, **naming_variables(session.company, session.role),
        "values": [v for v in settings.values if v.name.lower() == planned.value.lower()],
        "kind": kind, "value": planned.value, "round": planned.round, "previous": previous, "seed": "", "gap": "", "prepared": "",
        "question": "", "answer": "", **extra,
    }


def previous_answer(rounds: list[Round]) -> str:
    """Return the start of the candidate's last answer in these rounds, for a word of transition."""
    answered = [t.answer for r in rounds for t in r.turns if t.answer]
    return " ".join(answered[-1].split())[:300] if answered else ""


def clean(said: str) -> str:
    """Return the interviewer's words without a role label or wrapping quotes a model may add."""
    text = re.sub(r"<think>.*?(?:</think>|$)", " ", said, flags=re.DOTALL)  # a local reasoning model's thinking
    text = " ".join(text.split())
    text = re.sub(r"^(?:\*\*)?interviewer(?:\*\*)?\s*:\s*", "", text, flags=re.IGNORECASE)
    return text.strip().strip('"“”').strip()


def fallback(variables: dict) -> str:
    """Return what the interviewer says when the model says nothing usable: the question it was to start from."""
    return variables.get("prepared") or variables.get("seed") or FALLBACK
