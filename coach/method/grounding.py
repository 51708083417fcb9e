"""The grounding guard: every number, name and sentence a coach puts in the candidate's mouth is traced to
what the candidate wrote. `Material` indexes a story's own words once; each check is then a look-up."""

from __future__ import annotations

import re
from dataclasses import dataclass

from pydantic import BaseModel, Field

from coach.bank.models import BankSettings, Story
from coach.method.names import NameIndex, forms
from coach.method.quantities import QuantityIndex
from coach.method.text import FUNCTION_WORDS, PLACEHOLDER, is_placeholder, placeholders  # noqa: F401 (placeholders is part of the guard)

LIST_MARKER = re.compile(r"^[ \t]*(?:[-*+•]|\d{1,2}[.)])[ \t]+", re.MULTILINE)
MIN_QUOTE_WORDS = 3
NOT_WORD = re.compile(r"[\W_]+")
CONTENT_WORD = re.compile(r"[^\W\d_]{3,}|\d+")


def without_placeholders(text: str) -> str:
    """Return text with each placeholder emptied to `[]` (neither a name nor a number); `[...]` marks a cut, `…`."""
    return PLACEHOLDER.sub(_emptied, text)


def _emptied(match: re.Match) -> str:
    if not is_placeholder(match):
        return match.group(0)
    return "…" if match.group(1).strip() in ("...", "…") else "[]"


def _claims(text: str) -> str:
    """Return text without placeholders and list numbering, neither of which states a quantity."""
    return LIST_MARKER.sub("", without_placeholders(text))


def normalise(text: str) -> str:
    """Return text lower-cased with punctuation and runs of whitespace turned into single spaces."""
    return " ".join(NOT_WORD.sub(" ", text.replace("’", "'").replace("'", "")).lower().split())


@dataclass
class Traced:
    """A sentence the coach wrote and the verbatim quotes of the user's material it says it rests on."""

    text: str
    sources: list[str]


class SourcedSentence(BaseModel):
    """A sentence a model wrote for the candidate to say, with the candidate's own words it rests on."""

    text: str = Field(description="One sentence, as it will be spoken.")
    sources: list[str] = Field(description="Short verbatim quotes of the candidate's draft or answers this sentence rests on.")


def traced(sentences: list[SourcedSentence]) -> list[Traced]:
    """Return the non-empty sentences of a model's answer with the quotes they say they rest on."""
    return [Traced(" ".join(s.text.split()), s.sources) for s in sentences if s.text.strip()]


def spoken(sentences: list[SourcedSentence]) -> str:
    """Return sourced sentences as one text to speak."""
    return " ".join(sentence.text for sentence in traced(sentences))


class Material:
    """Everything the user wrote about one story, indexed once so that every guard is a look-up.

    Numbers and quotes must come from the facts (title, draft, extraction answers). Names may also come from the
    context: the questions' own text, the story's values and the bank's company, role and values. A quote under
    three words must be a whole short answer or a name of the context ("Salesforce 2023", "Courage").
    """

    def __init__(self, facts: str, context: str = ""):
        self.facts = facts
        self._quantities = QuantityIndex(_claims(facts))
        self._names = NameIndex(f"{facts}\n{context}")
        self._quotable = f" {normalise(facts)} "
        lines = (normalise(line) for line in f"{facts}\n{context}".splitlines())
        self._short = {line for line in lines if 0 < len(line.split()) < MIN_QUOTE_WORDS}

    @classmethod
    def of(cls, story: Story, settings: BankSettings, more: list[str] = ()) -> Material:
        """Return the material of a story in a bank; `more` adds other words of the user's (their own follow-up answers)."""
        context = [q.text for q in story.questions()]
        context += [g.heading for g in story.extraction]
        context += [*story.values, settings.company, settings.role]
        context += [f"{v.name}: {v.meaning}" for v in settings.values]
        return cls("\n".join([story.material(), *more]), "\n".join(context))

    def unsupported_numbers(self, text: str) -> list[str]:
        """Return the quantities of text (as written) that the facts never state, however written."""
        return self._quantities.unsupported(_claims(text))

    def unsupported_names(self, text: str) -> list[str]:
        """Return the names in text that the user never wrote."""
        return self._names.unsupported(without_placeholders(text))

    def has_quote(self, quote: str) -> bool:
        """Return True when quote is in the user's words, ignoring case, whitespace and punctuation."""
        words = normalise(quote)
        if len(words.split()) < MIN_QUOTE_WORDS:
            return words in self._short
        return not set(words.split()) <= FUNCTION_WORDS and f" {words} " in self._quotable

    def unsupported_sentences(self, sentences: list[Traced]) -> list[Traced]:
        """Return the sentences that claim something and have no quote both in the material and about the sentence.

        A sentence of two content words or fewer ("The result?", "Here is why.") claims nothing and needs no quote;
        a placeholder's words are the candidate's to fill, not a claim.
        """
        return [
            s for s in sentences
            if len(content_words(without_placeholders(s.text))) > 2
            and not any(self.has_quote(q) and _shares_a_word(s.text, q) for q in s.sources)
        ]


def invented_facts(where: str, text: str, material: Material) -> list[str]:
    """Return a problem for the numbers and one for the names of text that the user's material never states."""
    problems = []
    for kind, found in (("numbers", material.unsupported_numbers(text)), ("names", material.unsupported_names(text))):
        if found:
            problems.append(f"{where}: {', '.join(found)} not in the candidate's material; use only {kind} they gave "
                            "or a [placeholder]")
    return problems


def content_words(text: str) -> list[str]:
    """Return the words of a text that carry meaning (no stopwords, no words under three letters)."""
    return [word for word in CONTENT_WORD.findall(text.lower().replace("’", "'")) if word not in FUNCTION_WORDS]


def _content_forms(text: str) -> set[str]:
    return {form[:6] for word in content_words(text) for form in forms(word)}


def _shares_a_word(sentence: str, quote: str) -> bool:
    """Return True when a quote and the sentence it supports have a content word in common."""
    return bool(_content_forms(sentence) & _content_forms(quote))
