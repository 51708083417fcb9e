"""The one verdict on a sentence coach writes for the candidate to say: supported, a doubt, or invented.

Every job (refine's sentences, hooks and follow-ups; followups; analyze's proposals; interview feedback) and every
report (`check`, `refine --explain`, `--json`, the terminal, transcripts) reads the same `Verdict` from `judge`:

- **invented**: a number or a name that is nowhere in the candidate's material. Re-asked; never saved silently.
- **doubt**: no number or name is new, but nothing shows the sentence is theirs: a quote that is not in their words,
  quotes that do not carry it (most of its words come neither from its quotes nor from the rest of the material),
  or no quote at all. Re-asked; kept only with a "confirm or cut" note the candidate sees.
- **supported**: its facts are in the material and its quotes are found and carry it.

A sentence's placeholders (`[what you learned]`) are the candidate's to fill and need no source; a sentence that
claims nothing once they are out ("My biggest lesson was [what you learned].") is supported.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from coach.method.grounding import OUTCOME, Material, content_words, normalise, placeholders, without_placeholders
from coach.method.text import quoted

SUPPORTED, DOUBT, INVENTED = "supported", "doubt", "invented"
MOST = 0.5  # the share of a sentence's content words its quotes and the material must hold
# someone else's words quoted in a sentence ("Marcus told me, "You were right...""): they must be in the material
REMARK = re.compile(r"(?:\b(?:he|she|they|[A-Z][\w'’-]+|(?:my|our|the|a|his|her|their) [\w -]{1,30}?) (?:told (?:me|us|him|"
                    r"her|them)|said|asked|replied|wrote|added|put it)[,:]?\s*(?:[\"“]([^\"”]{8,})[\"”]|['‘]([^'‘’]{8,}?)['’](?!\w)))")
NOTHING_CLAIMED = 2  # a sentence of this many content words or fewer claims nothing ("The result?")


@dataclass(frozen=True)
class Quote:
    """A quote a sentence says it rests on, and whether it is in the candidate's own words."""

    text: str
    found: bool


@dataclass
class Verdict:
    """What the guard found in one sentence: its status, the facts the material lacks, and why, in words."""

    text: str
    status: str = SUPPORTED
    quotes: list[Quote] = field(default_factory=list)
    numbers: list[str] = field(default_factory=list)  # quantities the material never states
    names: list[str] = field(default_factory=list)  # names the candidate never wrote
    reasons: list[str] = field(default_factory=list)  # each says which test failed, to the model
    loose: list[str] = field(default_factory=list)  # words neither its quotes nor the material hold, when most are
    outcomes: list[str] = field(default_factory=list)  # outcomes of a kind the material never states
    remarks: list[str] = field(default_factory=list)  # someone's quoted words the material never has

    @property
    def supported(self) -> bool:
        """Return True when nothing in the sentence needs the candidate's attention."""
        return self.status == SUPPORTED

    @property
    def why(self) -> str:
        """Return the reasons as one clause."""
        return "; ".join(self.reasons)

    def as_dict(self) -> dict:
        """Return the verdict as plain data for JSON output."""
        return {"text": self.text, "verdict": self.status, "supported": self.supported,
                "sources": [{"quote": q.text, "found": q.found} for q in self.quotes],
                "numbers": self.numbers, "names": self.names, "reasons": self.reasons}


def judge(material: Material, text: str, sources: list[str] | None = None, *, speech: bool = True) -> Verdict:
    """Return the verdict on one sentence.

    `sources` are the quotes the model gave for it (None for a field that has none: a hook, a feedback line). A
    `speech=False` text is advice about the answer ("Add the metric"), not words for the candidate to say: only its
    numbers and names are held to the material.
    """
    text = " ".join(text.split())
    verdict = Verdict(text)
    verdict.numbers = material.unsupported_numbers(text)
    verdict.names = material.unsupported_names(text)
    for kind, found in (("numbers", verdict.numbers), ("names", verdict.names)):
        if found:
            verdict.reasons.append(f"{quoted(found)} {'is' if len(found) == 1 else 'are'} not in the candidate's "
                                   f"material (use only {kind} they gave, or a [placeholder])")
    claims = len(content_words(without_placeholders(text))) > NOTHING_CLAIMED
    if sources is not None:
        quotes = [q for q in (" ".join(s.split()) for s in sources) if normalise(q)]  # punctuation alone is no quote
        verdict.quotes = [Quote(q, material.contains(q)) for q in quotes]
        missing = [q.text for q in verdict.quotes if not q.found]
        if missing:
            verdict.reasons.append(f"the quote {quoted(missing)} is not in the candidate's draft or answers"
                                   if len(missing) == 1 else
                                   f"the quotes {quoted(missing)} are not in the candidate's draft or answers")
        elif claims and not verdict.quotes and not placeholders(text):  # a blank to fill is the candidate's
            verdict.reasons.append("it gives no quote of the candidate's words")
    found = [q.text for q in verdict.quotes if q.found]
    if claims and found and not missing_quotes(verdict) and not material.relevant(text, found):
        verdict.reasons.append(f"its quotes ({quoted(found)}) share no word with it: they are about something else")
    elif claims and speech and not missing_quotes(verdict) and not placeholders(text) and not material.connects(text):
        # a template is the candidate's to fill; a closing line that names a value or the company says what it means
        loose = material.uncarried(text, found)
        if loose is not None:
            verdict.loose = loose
            verdict.reasons.append(f"its quotes and the candidate's material do not carry it ({quoted(loose[:6])} "
                                   "in none of them)" if sources is not None else
                                   f"the candidate's material does not carry it ({quoted(loose[:6])} in none of it)")
    remarks = [said.strip() for m in REMARK.finditer(text) if not material.contains(said := m.group(1) or m.group(2))]
    if speech and remarks:
        verdict.remarks = remarks
        verdict.reasons.append(f"it quotes someone's words the candidate never wrote ({quoted(remarks)})")
    if speech and (outcomes := new_outcomes(material, without_placeholders(text))):
        verdict.outcomes = outcomes
        verdict.reasons.append(f"it claims an outcome the candidate never wrote ({quoted(outcomes)})")
    verdict.status = INVENTED if verdict.numbers or verdict.names else DOUBT if verdict.reasons else SUPPORTED
    return verdict


def to_the_candidate(verdict: Verdict) -> str:
    """Return why a sentence is in doubt, said to the candidate (the reasons speak to the model)."""
    why = []
    if verdict.outcomes:
        why.append(f"it claims an outcome your draft and answers never state ({quoted(verdict.outcomes)})")
    if verdict.loose:
        why.append(f"most of its words are nowhere in your draft or answers ({quoted(verdict.loose[:4])})")
    if verdict.remarks:
        why.append(f"it quotes words you never wrote down ({quoted(verdict.remarks)})")
    missing = [q.text for q in verdict.quotes if not q.found]
    if missing:
        why.append(f"it rests on words you never wrote ({quoted(missing)})")
    return "; ".join(why) or verdict.why


def new_outcomes(material: Material, text: str) -> list[str]:
    """Return the outcomes text claims of a kind the candidate's material never states."""
    found = []
    for match in OUTCOME.finditer(text):
        if not material.states_outcome(match.lastgroup) and match.group(0) not in found:
            found.append(match.group(0))
    return found


def missing_quotes(verdict: Verdict) -> bool:
    """Return True when a quote the sentence gives is not in the candidate's words."""
    return any(not q.found for q in verdict.quotes)


def judge_all(material: Material, sentences: list, *, speech: bool = True) -> list[Verdict]:
    """Return the verdict on each non-empty sentence of a model's answer (`SourcedSentence`s or plain texts)."""
    verdicts = []
    for sentence in sentences:
        text, sources = (sentence, None) if isinstance(sentence, str) else (sentence.text, sentence.sources)
        if text.strip():
            verdicts.append(judge(material, text, sources, speech=speech))
    return verdicts
