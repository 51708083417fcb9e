"""Views of the mock interview: feedback per question, the session report, and past sessions."""

from __future__ import annotations

from coach.display.layout import table, wrapped


def sessions_table(rows: list[dict]) -> str:
    """Render past mock interviews grouped by persona and round (like with like), each group with its sessions'
    average score per dimension and each dimension's change from the group's first scored session to its latest."""
    if not rows:
        return "No mock interviews yet: `coach interview` starts one."
    from coach.interview.transcripts import session_groups

    return "\n\n".join(_group_view(group) for group in session_groups(rows))


def _group_view(group: dict) -> str:
    """Render one group of comparable sessions: a heading, the table, the trend."""
    from coach.interview.session import DIMENSIONS

    members = group["sessions"]
    count = f"{len(members)} session{'s' * (len(members) != 1)}"
    heading = f"{group['persona']} interviewer · {group['round'] + ' round' if group['round'] else 'any round'} ({count})"
    body = [[str(row.get("started", "")), str(row.get("status", "")).split(":")[0],
             f"{row.get('answered', 0)}/{row.get('questions', 0)}",
             *(_score((row.get("scores") or {}).get(d)) for d in DIMENSIONS)] for row in members]
    out = heading + "\n" + table(["started", "status", "answered", "struct", "own", "impact", "values", "concise"], body)
    if group["trend"]:
        trend = "First to latest: " + ", ".join(f"{d} {a:g} → {b:g}" for d, (a, b) in group["trend"].items())
        out += "\n" + "\n".join(wrapped(trend, 2, ""))
    return out


def _score(value) -> str:
    return "-" if value is None else f"{value:g}"


def interview_feedback(r, session) -> str:
    """Render the feedback on one mock-interview question, wrapped to the terminal."""
    from coach.interview.report import feedback_lines

    return "\n".join(["", f"Feedback on question {r.number} ({r.planned.value}):", *_wrapped(feedback_lines(r, session))])


def interview_report(session) -> str:
    """Render the end-of-session report, wrapped to the terminal."""
    from coach.interview.report import report_lines

    return "\n".join(_wrapped(report_lines(session)))


def _wrapped(lines) -> list[str]:
    """Return report lines (`coach.interview.report.Line`) wrapped to the terminal, each with its hanging indent."""
    return [part for line in lines for part in wrapped(line.text, line.indent, line.lead)]


def interview_said(event) -> str | None:
    """Render the machine's answer to a command (`/hint`, `/repeat`, an unknown one) for the terminal; None for
    an event that shows no line of its own."""
    from coach.interview.events import COMMANDS, Help, Hint, Repeat

    if isinstance(event, Hint):
        return "\n".join(wrapped(event.text, 2, ""))
    if isinstance(event, Repeat):
        return f"Interviewer: {event.text}"
    if isinstance(event, Help):
        return f"Commands: {', '.join(COMMANDS)} (an empty line sends your answer)."
    return None


def interview_speaking(speaking) -> tuple[str | None, str]:
    """Return what the terminal shows as the interviewer starts to speak: a line (the question's heading, or the
    end of words that broke off or were cut off), then the start of the streamed line."""
    if speaking.broke_off:
        how = "were cut off by its token limit" if speaking.cut_off else "broke off"
        return " …", f"(the model's words {how}; the question is:) "
    heading = f"\n── Question {speaking.number} · {speaking.value} ──" if speaking.kind == "question" else None
    return heading, "Interviewer: "


def interview_heading(settings, planned, persona: str, live: bool) -> str:
    """Render the first lines of a mock interview: who it is for, what it asks about, and (live) how to answer."""
    from coach.interview.planning import described, stand_ins

    lines = wrapped(f"Mock interview · {described(settings.company, settings.role, planned, persona)}", 2, "")
    lines += [line for note in stand_ins(planned) for line in wrapped(f"Note: {note}.", 2, "")]
    if live:
        lines += wrapped("Type the whole answer you would say (it is timed by its words); an empty line sends it. "
                         "/skip /hint /repeat /quit", 2, "")
    return "\n".join(lines)
