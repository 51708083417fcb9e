"""What every job says about a sentence it wrote for the candidate that no quote of theirs supports: the doubt the
model is re-asked with, and the coaching note that asks the candidate to confirm or cut it."""

from __future__ import annotations

from coach.llm.answers import Doubt
from coach.method.grounding import Material, SourcedSentence, traced


def unsupported(sentences: list[SourcedSentence], material: Material) -> list[str]:
    """Return the sentences that make a claim no verified quote of the candidate's supports."""
    return [s.text for s in material.unsupported_sentences(traced(sentences))]


def unsourced_doubts(where: str, sentences: list[str], placeholder: bool = False) -> list[Doubt]:
    """Return the doubt the model is re-asked with for each sentence that rests on no quote."""
    prefix = f"{where}: " if where else ""
    fix = "give the exact words it comes from in its sources, or cut the claim"
    fix += ", or make the missing fact a [placeholder]" if placeholder else ""
    return [Doubt(f'{prefix}the sentence "{sentence}" rests on no quote found in the candidate\'s draft or answers; {fix}')
            for sentence in sentences]


def confirm_note(sentence: str, question: str = "") -> str:
    """Return the coaching note that asks the candidate to confirm or cut a sentence their material does not hold."""
    where = f' in the answer to "{question}"' if question else ""
    return f'Confirm or cut{where}: "{sentence}" (not found in your material)'
