"""Views of the mock interview: feedback per question, the session report, and past sessions."""

from __future__ import annotations

from coach.display.layout import table, wrapped


def sessions_table(rows: list[dict]) -> str:
    """Render past mock interviews with their average score per dimension, and the change from first to latest."""
    if not rows:
        return "No mock interviews yet: `coach interview` starts one."
    dimensions = ("structure", "ownership", "impact", "values", "concision")
    body = [[str(row.get("started", "")), str(row.get("status", "")).split(":")[0],
             f"{row.get('answered', 0)}/{row.get('questions', 0)}",
             *(_score((row.get("scores") or {}).get(d)) for d in dimensions)] for row in rows]
    out = table(["started", "status", "answered", "struct", "own", "impact", "values", "concise"], body)
    judged = set(dimensions[:4])
    scored = [row["scores"] for row in rows if judged & set(row.get("scores") or {})]
    if len(scored) >= 2:
        first, last = scored[0], scored[-1]
        changes = [f"{d} {first[d]:g} → {last[d]:g}" for d in dimensions if d in first and d in last]
        out += "\n\nFirst to latest: " + ", ".join(changes)
    return out


def _score(value) -> str:
    return "-" if value is None else f"{value:g}"


def interview_feedback(r, session) -> str:
    """Render the feedback on one mock-interview question, wrapped to the terminal."""
    from coach.interview import DIMENSIONS, proof

    lines = ["", f"Feedback on question {r.number} ({r.planned.value}):"]
    if r.feedback_error:
        lines += wrapped(f"no feedback from the model: {r.feedback_error}", 4, "  ")
    for dimension in DIMENSIONS:
        if dimension in r.scores:
            lines += wrapped(proof(r, session, dimension), 18, f"  {dimension:<10} {r.scores[dimension]}/5")
        elif dimension in r.unverified:
            lines += wrapped("not scored: the model's evidence was not in your answer", 18, f"  {dimension:<10}  -")
    if r.unasked:
        lines += wrapped("; ".join(r.unasked), 4, "  an interviewer would also ask about:")
    notes = (("strength", r.strength), ("improve", r.improvement), ("best story", r.best_story),
             ("you could say", f'"{r.say_instead}"' if r.say_instead else ""))
    for label, text in notes:
        if text:
            lines += wrapped(text, 4, f"  {label}:")
    for finding in r.findings:
        lines += wrapped(f"{finding.code}: {finding.message}", 4, "  check:")
    return "\n".join(lines)


def interview_report(session) -> str:
    """Render the end-of-session report, wrapped to the terminal."""
    from coach.interview import DIMENSIONS

    averages = session.averages()
    from coach.bank.phrases import named_company

    company = named_company(session.company)
    lines = wrapped(f"Session report{' · ' + company if company else ''} · {len(session.scored)} of "
                    f"{len(session.rounds)} questions scored", 2, "")
    if averages:
        lines += wrapped(" · ".join(f"{d} {averages[d]:g}" for d in DIMENSIONS if d in averages), 2)
    for value, score in session.by_value().items():
        lines += wrapped(f"{value}: {score:g}/5", 2)
    things = session.practise_next() if session.scored else []
    if things:
        lines.append("Practise next:")
        for number, thing in enumerate(things, 1):
            lines += wrapped(thing, 5, f"  {number}.")
    kept = session.path.exists()
    lines += wrapped(f"Transcript: {session.path}" if kept else "Nothing was answered, so no transcript was kept.", 2, "")
    return "\n".join(lines)


def interview_heading(settings, planned, persona: str, live: bool) -> str:
    """Render the first lines of a mock interview: who it is for, what it asks about, and (live) how to answer."""
    from coach.bank.phrases import named_company

    who = " · ".join(part for part in (named_company(settings.company), settings.role) if part)
    chosen = ", ".join(dict.fromkeys(p.value for p in planned))
    head = (f"Mock interview{' · ' + who if who else ''} · {len(planned)} question{'s' * (len(planned) != 1)} on "
            f"{chosen} · {persona} interviewer")
    lines = wrapped(head, 2, "")
    if live:
        lines += wrapped("Answer in writing (or out loud, then sum up); an empty line sends your answer. "
                         "/skip /hint /repeat /quit", 2, "")
    return "\n".join(lines)
