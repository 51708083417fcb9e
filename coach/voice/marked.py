"""A heard take laid over its script, sentence by sentence, for a page that marks every word: said, changed (and
what was heard instead), skipped, extra, or not heard by the transcriber, with the pauses and fillers where they fell.

    for sentence in marked_sentences(hearing):
        sentence.status, [mark.kind for mark in sentence.marks]

No new judgement is made here: the words' verdicts are the hearing's `steps`, the sentences' its `sentences`, the
pauses and fillers its own; this only puts each where it fell in the text.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from coach.voice.hearing import Hearing

KINDS = ("same", "changed", "skipped", "extra", "unheard", "filler", "pause", "plain")  # plain: "-", no word to hear
CLOSE = 0.01  # seconds: a filler and an extra word heard at the same moment are the same word


@dataclass(frozen=True)
class Mark:
    """One thing in the text: a word of the alignment (its step's op, or `filler`), or a `pause`."""

    kind: str  # one of KINDS
    script: str = ""  # the script's words ("" for extra words, fillers and pauses)
    said: str = ""  # what was heard ("" for skipped and unheard words)
    at: float | None = None  # seconds into the take, when heard
    seconds: float = 0.0  # a pause's length


@dataclass
class MarkedSentence:
    """A sentence of the refined version, its verdict, and its marks in the order they were said or written."""

    index: int
    text: str
    status: str  # said | changed | skipped | unheard
    share: float
    marks: list[Mark] = field(default_factory=list)


def marked_sentences(hearing: Hearing) -> list[MarkedSentence]:
    """Return the script's sentences with every word, pause and filler of the take marked where it fell.

    An extra word belongs to the sentence said before it; a pause to the sentence it fell in or after, after the last
    word heard before it; a filler that is one of the extra words marks that word.
    """
    marked = [MarkedSentence(s.index, s.text, s.status, s.share) for s in hearing.sentences]
    if len(hearing.step_sentences) != len(hearing.steps):  # a hearing made without them: sentences only
        return marked
    fillers = list(hearing.fillers)
    current = 0
    for step, sentence in zip(hearing.steps, hearing.step_sentences, strict=True):
        current = current if sentence is None else sentence
        kind = step.op
        if kind == "extra" and step.at is not None:
            same = next((f for f in fillers if abs(f.at - step.at) <= CLOSE), None)
            if same is not None:
                fillers.remove(same)
                kind = "filler"
        marked[current].marks.append(Mark(kind, step.script, step.said, step.at))
    for filler in fillers:  # a filler heard inside a changed stretch: shown beside it
        _place(marked, Mark("filler", said=filler.text, at=filler.at), None)
    for pause in hearing.pauses:
        _place(marked, Mark("pause", said=pause.after, at=pause.at, seconds=pause.seconds), pause.sentence)
    for sentence in marked:
        sentence.marks = _with_punctuation(sentence)
    return marked


def _with_punctuation(sentence: MarkedSentence) -> list[Mark]:
    """Return the sentence's marks with its written marks that are no word ("-", "&") put back where they stand:
    the alignment compares words only, and the page shows the whole text."""
    written, at, out = sentence.text.split(), 0, []
    for mark in sentence.marks:
        if mark.script:
            need = mark.script.split()
            while at < len(written) and written[at : at + len(need)] != need and not _wordy(written[at]):
                out.append(Mark("plain", script=written[at]))
                at += 1
            if written[at : at + len(need)] == need:
                at += len(need)
        out.append(mark)
    return out + [Mark("plain", script=word) for word in written[at:] if not _wordy(word)]


def _wordy(text: str) -> bool:
    """Return True for a written word the alignment compares (one with a letter or a digit)."""
    return any(char.isalnum() for char in text)


def _place(marked: list[MarkedSentence], mark: Mark, sentence: int | None) -> None:
    """Put a timed mark after the last word heard at or before it, in its sentence (else the one said then)."""
    at = mark.at or 0.0
    if sentence is None or not 0 <= sentence < len(marked):
        sentence = 0
        for number, each in enumerate(marked):
            if any(m.at is not None and m.at <= at for m in each.marks):
                sentence = number
    marks = marked[sentence].marks
    after = 0
    for index, each in enumerate(marks):
        if each.at is not None and each.at <= at:
            after = index + 1
    marks.insert(after, mark)
