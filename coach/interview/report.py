"""The one rendering of a mock interview: the feedback on a round, the session report and the Markdown transcript.

Feedback and report are lines of a label and a text (`Line`): the terminal wraps them (`display.interview`), the
transcript writes them out whole. Both name the company only when the bank targets one.
"""

from __future__ import annotations

from dataclasses import dataclass

import yaml

from coach.bank.phrases import named_company
from coach.interview.session import DIMENSIONS, Round, Session


@dataclass(frozen=True)
class Line:
    """One line of feedback or report: a lead, its text, and the column the text starts at and wraps back to.

    The lead is a label padded to `indent` (or followed by a space when longer); None leads with `indent` spaces,
    "" starts the text at column 0.
    """

    lead: str | None
    text: str
    indent: int

    def whole(self) -> str:
        """Return the line unwrapped."""
        if self.lead is None:
            return " " * self.indent + self.text
        if not self.lead:
            return self.text
        return (self.lead.ljust(self.indent) if len(self.lead) < self.indent else self.lead + " ") + self.text


def proof(r: Round, session: Session, dimension: str) -> str:
    """Return what a score rests on: the quoted evidence, or for concision the measured time against the window."""
    if dimension == "concision":
        low, high = session.window
        how = "spoken" if r.spoken else f"at {session.wpm} wpm"
        return f"{r.seconds:g}s {how} against {low}-{high}s"
    return f'"{r.evidence[dimension]}"' if r.evidence.get(dimension) else "(no quote of yours)"


def feedback_lines(r: Round, session: Session) -> list[Line]:
    """Return the feedback on one round: each score with its evidence, then the notes and the method's checks."""
    lines = [Line("  ", f"no feedback from the model: {r.feedback_error}", 4)] if r.feedback_error else []
    for dimension in DIMENSIONS:
        if dimension in r.scores:
            lines.append(Line(f"  {dimension:<10} {r.scores[dimension]}/5", proof(r, session, dimension), 18))
        elif dimension in r.unverified:
            lines.append(Line(f"  {dimension:<10}  -", "not scored: the model's evidence was not in your answer", 18))
    if r.unasked:
        lines.append(Line("  an interviewer would also ask about:", "; ".join(r.unasked), 4))
    notes = (("strength", r.strength), ("improve", r.improvement), ("best story", r.best_story),
             ("you could say", f'"{r.say_instead}"' if r.say_instead else ""))
    lines += [Line(f"  {label}:", text, 4) for label, text in notes if text]
    labels = {"strength": "strength", "improvement": "improve", "say_instead": "you could say"}
    lines += [Line(f"  {labels.get(name, name)}:", f"dropped: {why}", 4) for name, why in r.dropped.items()]
    lines += [Line("  check:", f"{finding.code}: {finding.message}", 4) for finding in r.findings]
    return lines


def report_lines(session: Session) -> list[Line]:
    """Return the end-of-session report: scores per dimension and per value, and three things to practise."""
    company = named_company(session.company)
    lines = [Line("", f"Session report{' · ' + company if company else ''} · {len(session.scored)} of "
                      f"{len(session.rounds)} questions scored", 2)]
    averages = session.averages()
    if averages:
        lines.append(Line(None, " · ".join(f"{d} {averages[d]:g}" for d in DIMENSIONS if d in averages), 2))
    lines += [Line(None, f"{value}: {score:g}/5", 2) for value, score in session.by_value().items()]
    things = session.practise_next() if session.measured else []
    if things:
        lines.append(Line("", "Practise next:", 0))
        lines += [Line(f"  {number}.", thing, 5) for number, thing in enumerate(things, 1)]
    kept = f"Transcript: {session.path}" if session.answered else "Nothing was answered, so no transcript was kept."
    lines.append(Line("", kept, 2))
    return lines


def transcript(session: Session) -> str:
    """Render the session as a readable Markdown transcript, its summary in the front matter."""
    front = yaml.safe_dump(session.summary(), sort_keys=False, allow_unicode=True, default_flow_style=None, width=1000)
    title = " · ".join(part for part in ("# Mock interview", named_company(session.company),
                                         f"{session.started:%Y-%m-%d %H:%M}") if part)
    parts = [f"---\n{front}---", title]
    for r in session.rounds:
        parts.append(f"## {r.number}. {r.planned.value}")
        if r.planned.stand_in:
            parts.append(f"_Note: {r.planned.stand_in}._")
        for turn in r.turns:
            who = "Interviewer" if turn.kind == "question" else f"Interviewer (probe: {turn.why})"
            parts.append(f"**{who}:** {turn.asked}")
            parts.append(f"**You:** {turn.answer}" if turn.answer else "**You:** (skipped)")
        if r.scores or r.feedback_error:
            parts.append("### Feedback\n\n" + "\n".join(f"- {line.whole().strip()}" for line in feedback_lines(r, session)))
    if session.measured and session.status != "in progress":
        parts.append("## Report\n\n" + "\n".join(line.whole() for line in report_lines(session)))
    return "\n\n".join(parts) + "\n"
