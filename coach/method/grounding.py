"""The grounding guard: every number, name and sentence a coach puts in the candidate's mouth is traced to
what the candidate wrote. `Material` indexes a story's own words once; each check is then a look-up."""

from __future__ import annotations

import re
from dataclasses import dataclass

from coach.bank.models import BankSettings, Story
from coach.method.names import NameIndex, forms
from coach.method.quantities import QuantityIndex

PLACEHOLDER = re.compile(r"\[([^\[\]\n]{1,80})\](?!\()")  # not a Markdown link's [text](url)
CHECKBOX = re.compile(r"^\s*(?:[-*+]|\d+[.)])\s+$")
LIST_MARKER = re.compile(r"^[ \t]*(?:[-*+•]|\d{1,2}[.)])[ \t]+", re.MULTILINE)
NOT_WORD = re.compile(r"[\W_]+")
CONTENT_WORD = re.compile(r"[^\W\d_]{3,}|\d+")
STOPWORDS = set(
    "the and but for with from that this these those was were been being have has had are our their they them "
    "then than when while who which what not did does into onto over under about after before just very really "
    "also only even still yet all any each every some most more can could would should will shall may might must "
    "its it's i'm i've i'd you your his her him she he we us my me".split()
)


def _is_placeholder(match: re.Match) -> bool:
    """Return False for a Markdown task box (`- [ ]`, `- [x]`), which is no blank to fill."""
    if match.group(1).strip() not in ("", "x", "X"):
        return True
    line_start = match.string.rfind("\n", 0, match.start()) + 1
    return not CHECKBOX.match(match.string[line_start : match.start()])


def placeholders(text: str) -> list[str]:
    """Return the `[bracketed placeholders]` of a text, which the candidate must fill before speaking it."""
    return [match.group(0) for match in PLACEHOLDER.finditer(text) if _is_placeholder(match)]


def without_placeholders(text: str) -> str:
    """Return text with each placeholder emptied to `[]`: it is neither a name nor a number."""
    return PLACEHOLDER.sub(lambda m: "[]" if _is_placeholder(m) else m.group(0), text)


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


class Material:
    """Everything the user wrote about one story, indexed once so that every guard is a look-up.

    Numbers must come from the facts (title, draft, extraction answers). Names and quotes may also come from the
    questions' own text, the story's values and the bank's company, role and values.
    """

    def __init__(self, facts: str, context: str = ""):
        self.facts = facts
        everything = f"{facts}\n{context}"
        self._quantities = QuantityIndex(_claims(facts))
        self._names = NameIndex(everything)
        self._normalised = f" {normalise(everything)} "

    @classmethod
    def of(cls, story: Story, settings: BankSettings) -> Material:
        """Return the material of a story in a bank."""
        context = [q.text for q in story.questions()]
        context += [g.heading for g in story.extraction]
        context += [*story.values, settings.company, settings.role]
        context += [f"{v.name}: {v.meaning}" for v in settings.values]
        return cls(story.material(), "\n".join(context))

    def unsupported_numbers(self, text: str) -> list[str]:
        """Return the quantities of text (as written) that the facts never state, however written."""
        return self._quantities.unsupported(_claims(text))

    def unsupported_names(self, text: str) -> list[str]:
        """Return the names in text that the user never wrote."""
        return self._names.unsupported(without_placeholders(text))

    def has_quote(self, quote: str) -> bool:
        """Return True when quote is in the user's words, ignoring case, whitespace and punctuation."""
        words = normalise(quote)
        return bool(words) and not set(words.split()) <= STOPWORDS and f" {words} " in self._normalised

    def unsupported_sentences(self, sentences: list[Traced]) -> list[Traced]:
        """Return the sentences that claim something and have no quote both in the material and about the sentence.

        A sentence of two content words or fewer ("The result?", "Here is why.") claims nothing and needs no quote.
        """
        return [
            s for s in sentences
            if len(content_words(s.text)) > 2
            and not any(self.has_quote(q) and _shares_a_word(s.text, q) for q in s.sources)
        ]


def content_words(text: str) -> list[str]:
    """Return the words of a text that carry meaning (no stopwords, no words under three letters)."""
    return [word for word in CONTENT_WORD.findall(text.lower().replace("’", "'")) if word not in STOPWORDS]


def _content_forms(text: str) -> set[str]:
    return {form[:6] for word in content_words(text) for form in forms(word)}


def _shares_a_word(sentence: str, quote: str) -> bool:
    """Return True when a quote and the sentence it supports have a content word in common."""
    return bool(_content_forms(sentence) & _content_forms(quote))
