"""What every job does with the guard's verdicts (`coach.method.verdict`): an invented fact is a problem the model is
re-asked with and that sinks the answer if it stays; a doubt is re-asked, and a sentence still doubted is kept with a
coaching note that asks the candidate to confirm or cut it."""

from __future__ import annotations

from coach.llm.answers import Doubt
from coach.method.verdict import DOUBT, INVENTED, Verdict

Judged = list[tuple[str, Verdict]]  # where in the answer ("hook", "follow-up 'Why?'"), and the verdict there


def problems(judged: Judged, *, placeholder: bool = True) -> list[str]:
    """Return the re-ask message for each sentence that is not supported: a problem when it invents a fact, a
    `Doubt` when its support is only in question."""
    fix = "give the exact words it comes from in its sources, or cut the claim"
    fix += ", or make the missing fact a [placeholder]" if placeholder else ""
    out: list[str] = []
    for where, verdict in judged:
        prefix = f"{where}: " if where else ""
        if verdict.status == INVENTED:
            out.append(f'{prefix}the sentence "{verdict.text}": {verdict.why}')
        elif verdict.status == DOUBT:
            out.append(Doubt(f'{prefix}the sentence "{verdict.text}": {verdict.why}; {fix}'))
    return out


def at(where: str, judged: list[Verdict]) -> Judged:
    """Return verdicts with the place in the answer they concern."""
    return [(where, verdict) for verdict in judged]


def doubted(judged: Judged, where: str) -> list[str]:
    """Return the sentences at `where` whose support is in question: kept, each with a note to confirm or cut it."""
    return [v.text for place, v in judged if place == where and not v.supported]


def confirm_note(sentence: str, question: str = "") -> str:
    """Return the coaching note that asks the candidate to confirm or cut a sentence their material does not hold."""
    where = f' in the answer to "{question}"' if question else ""
    return f'Confirm or cut{where}: "{sentence}" (not found in your material)'
