"""Which sentence of the refined version a check finding is about, so a page can show it beside that sentence.

A `Finding` says what it is about in its message: the number, name, placeholder, repeated phrase or filler it
quotes, or (for a doubted claim) the whole sentence. A finding of the refined version that quotes words found in
one or more of its sentences goes beside those sentences; the others (timing, no metric, the close, findings of the
draft, the follow-ups or the extraction) concern no one sentence and stay in a list of their own.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from coach.method.check import Finding
from coach.method.text import sentences

QUOTING = ("unsupported-number", "unsupported-name", "placeholder", "repetition", "filler")  # quote what they are about
CLAIM = "unsupported-claim"  # quotes the whole sentence it doubts
QUOTED = re.compile(r'"([^"]+)"')


@dataclass
class Sentence:
    """One sentence of the refined version and the findings about it."""

    text: str
    findings: list[Finding] = field(default_factory=list)


@dataclass
class Beside:
    """The refined version as sentences, each with its findings, and the findings about no one sentence."""

    sentences: list[Sentence]
    elsewhere: list[Finding]

    @property
    def placed(self) -> int:
        """Return how many findings sit beside a sentence."""
        return len({id(f) for s in self.sentences for f in s.findings})


def subjects(finding: Finding) -> list[str]:
    """Return the words a finding of the refined version quotes as what it is about (none for the other findings)."""
    if finding.part != "refined" or finding.code not in QUOTING:
        return []
    head = finding.message.split(";", 1)[0]  # the advice after the first ";" may quote other things
    return [term for term in QUOTED.findall(head) if term.strip()]


def mentions(sentence: str, term: str) -> bool:
    """Return True when a sentence holds a term: as written, or as the same words with punctuation between."""
    if re.search(rf"(?<!\w){re.escape(term)}(?!\w)", sentence, re.IGNORECASE):
        return True
    wanted = re.findall(r"\w+", term.lower())
    words = re.findall(r"\w+", sentence.lower())
    return bool(wanted) and any(words[i:i + len(wanted)] == wanted for i in range(len(words) - len(wanted) + 1))


def concerns(finding: Finding, sentence: str) -> bool:
    """Return True when a finding is about this sentence of the refined version."""
    if finding.part != "refined":
        return False
    if finding.code == CLAIM:
        return finding.message.startswith(f'"{sentence}"')
    return any(mentions(sentence, term) for term in subjects(finding))


def beside(findings: list[Finding], refined: str) -> Beside:
    """Tie each finding to the sentences of the refined text it is about; the rest go in `elsewhere`, in order."""
    placed = [Sentence(text) for text in sentences(refined)]
    elsewhere = []
    for finding in findings:
        about = [s for s in placed if concerns(finding, s.text)]
        for sentence in about:
            sentence.findings.append(finding)
        if not about:
            elsewhere.append(finding)
    return Beside(placed, elsewhere)
