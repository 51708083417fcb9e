"""The grounding guard: every number, name and sentence a coach puts in the candidate's mouth is traced to
what the candidate wrote. `Material` indexes a story's own words once; each check is then a look-up."""

from __future__ import annotations

import re
from functools import cached_property

from pydantic import BaseModel, Field

from coach.bank.models import Story
from coach.bank.settings import BankSettings
from coach.method.names import NameIndex, forms
from coach.method.quantities import QuantityIndex, quantities
from coach.method.text import FUNCTION_WORDS, PLACEHOLDER, is_placeholder, placeholders  # noqa: F401 (placeholders is part of the guard)

LIST_MARKER = re.compile(r"^[ \t]*(?:[-*+•]|\d{1,2}[.)])[ \t]+", re.MULTILINE)
MIN_QUOTE_WORDS = 3
# What a story's result is made of. An outcome of a kind the candidate never wrote ("later rolled out to every
# team", "was promoted", "retention went up") is a claim however familiar its other words are; an outcome of a
# kind they did write may be paraphrased ("cut by half" for "reduced"). Past forms only: "to improve" is an aim.
OUTCOMES = {
    "adoption": r"roll(?:ed|s|ing)? (?:it |them )?out|adopt\w*|(?:became|become|made) (?:the |a )?(?:standard|default|norm)|"
                r"standardi[sz]\w*|company[- ]wide|org(?:anization)?[- ]wide|across the (?:company|org\w*|industry)|"
                r"every (?:\w+ )?(?:team|group|merchant|customer|department|squad|org\w*|office|region|site)|"
                r"all (?:the )?(?:\w+ )?(?:teams|departments|customers|merchants|regions|offices|sites)|"
                r"spread (?:to|across)|expanded to",
    "rise": r"(?:went|gone|goes|shot|jumped) up|increased|\brose\b|\bgrew\b|grown|climbed|doubled|tripled|"
            r"quadrupled|boosted|improved",
    "fall": r"decreased|dropped (?:by|from|to)\b|\bfell\b(?! back| behind| apart)|"
            r"reduced|shrank|halved|cut (?:by|in half|from)|lowered",
    "recognition": r"promot(?:ed|ion)|award\w*|recogni[sz]\w*|prais\w*|commend\w*|shout-?out|bonus",
    "never": r"never (?:missed|failed|broke|slipped|again|(?:had|needed) to|had (?:a|an|another))|not (?:a|one) single|zero (?:incidents|"
             r"outages|defects|bugs|complaints|escalations)",
}
OUTCOME = re.compile("|".join(f"(?P<{kind}>{pattern})" for kind, pattern in OUTCOMES.items()), re.IGNORECASE)
CARRIED = 0.5  # the share of a sentence's content words the candidate's words must hold
NOT_WORD = re.compile(r"[\W_]+")
NOT_CONTRACTED = re.compile(r"n't\b")
# words that frame what is said rather than state it ("let me walk you through a specific example")
DISCOURSE = frozenset("let walk specific specifically example moment story tell talk share mean means meant exactly "
                      "honestly actually basically thing things way lot bit kind number numbers".split())
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


class SourcedSentence(BaseModel):
    """A sentence a model wrote for the candidate to say, with the candidate's own words it rests on."""

    text: str = Field(description="One sentence, as it will be spoken.")
    sources: list[str] = Field(description="Short verbatim quotes of the candidate's draft or answers this sentence rests on.")


def spoken(sentences: list[SourcedSentence]) -> str:
    """Return sourced sentences as one text to speak."""
    return " ".join(" ".join(sentence.text.split()) for sentence in sentences if sentence.text.strip())


def own_answers(story: Story) -> list[str]:
    """Return the follow-up answers the user wrote or edited: their own words, usable as facts."""
    return [f.answer for f in story.follow_ups if f.answer.strip() and not f.written_by_coach]


class Material:
    """Everything the user wrote about one story, indexed once so that every guard is a look-up.

    Numbers and quotes must come from the facts (title, draft, extraction answers). Names may also come from the
    context: the questions' own text, the story's values and the bank's company, role and values. A quote under
    three words must be a whole short answer or a name of the context ("Salesforce 2023", "Courage").
    """

    def __init__(self, facts: str, context: str = "", questions: str = ""):
        self.facts = facts
        self.context = context
        self.questions = questions  # the questions' own words: they may name a thing, never carry a claim
        self._outcomes: set[str] | None = None
        self._quantities = QuantityIndex(_claims(facts))
        self._names = NameIndex(f"{facts}\n{context}\n{questions}")
        self._quotable = f" {normalise(facts)} "
        lines = (normalise(line) for line in f"{facts}\n{context}\n{questions}".splitlines())
        self._short = {line for line in lines if 0 < len(line.split()) < MIN_QUOTE_WORDS}

    @classmethod
    def of(cls, story: Story, settings: BankSettings, more: list[str] = ()) -> Material:
        """Return the material of a story in a bank; `more` adds other words of the user's (their own follow-up answers)."""
        questions = [q.text for q in story.questions()] + [g.heading for g in story.extraction]
        context = [*story.values, settings.company, settings.role]
        context += [f"{v.name}: {v.meaning}" for v in settings.values]
        return cls("\n".join([story.material(), *more]), "\n".join(context), "\n".join(questions))

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

    def contains(self, quote: str) -> bool:
        """Return True when a quote of any length is in the user's words (facts or context), ignoring case,
        whitespace and punctuation (whether it carries the sentence is judged apart)."""
        words = normalise(quote)
        if not words:
            return False
        return f" {words} " in self._quotable or f" {words} " in self._context_text

    def states_outcome(self, kind: str) -> bool:
        """Return True when the facts state an outcome of this kind (see `OUTCOMES`)."""
        if self._outcomes is None:
            self._outcomes = {match.lastgroup for match in OUTCOME.finditer(self.facts)}
        return kind in self._outcomes

    @cached_property
    def _context_text(self) -> str:
        return f" {normalise(self.context)} "

    @cached_property
    def _content(self) -> set[str]:
        return _content_forms(f"{self.facts}\n{self.context}")

    def uncarried(self, text: str, quotes: list[str]) -> list[str] | None:
        """Return the content words of a sentence that neither its quotes nor the material hold, when they are more
        than the words that are the candidate's (None when most of it is). A placeholder's words are the
        candidate's to fill; numbers are judged apart."""
        claim = without_placeholders(text)
        words = [word for word in dict.fromkeys(content_words(claim)) if not quantities(word)]
        if not words:
            return None
        blanks = len(content_words(" ".join(placeholders(text))))
        held = self._content | _content_forms(" ".join(quotes))
        loose = [word for word in words if not {form[:6] for form in forms(word)} & held]
        return loose if len(loose) > (len(words) + blanks) * (1 - CARRIED) else None

    def connects(self, text: str) -> bool:
        """Return True when a sentence names one of the story's values or the company: the closing connection,
        which the method asks for in the candidate's own words rather than the draft's."""
        said = f" {normalise(text)} "
        return any(f" {name} " in said for name in self._connections)

    @cached_property
    def _connections(self) -> list[str]:
        return [normalise(line.split(":")[0]) for line in self.context.splitlines() if normalise(line.split(":")[0])]

    def relevant(self, claim: str, quotes: list[str]) -> bool:
        """Return True when a quote shares a content word with the claim it is given for."""
        return bool(_content_forms(claim) & _content_forms(" ".join(quotes)))


class Either:
    """Several materials read as one for facts: a number or name is supported when any of them states it. Cheaper
    than indexing their text again together (`coach check` adds the user's own follow-up answers this way)."""

    def __init__(self, *materials: Material):
        self.materials = materials

    def unsupported_numbers(self, text: str) -> list[str]:
        """Return the quantities of text that none of the materials states."""
        found = self.materials[0].unsupported_numbers(text)
        for material in self.materials[1:]:
            found = [n for n in found if n in material.unsupported_numbers(text)] if found else found
        return found

    def unsupported_names(self, text: str) -> list[str]:
        """Return the names in text that none of the materials has."""
        found = self.materials[0].unsupported_names(text)
        for material in self.materials[1:]:
            found = [n for n in found if n in material.unsupported_names(text)] if found else found
        return found


def content_words(text: str) -> list[str]:
    """Return the words of a text that carry meaning (no stopwords, no words under three letters)."""
    text = NOT_CONTRACTED.sub(" not", text.lower().replace("’", "'"))  # "didn't" is "did not", not "didn"
    return [word for word in CONTENT_WORD.findall(text) if word not in FUNCTION_WORDS and word not in DISCOURSE]


def _content_forms(text: str) -> set[str]:
    return {form[:6] for word in content_words(text) for form in forms(word)}
