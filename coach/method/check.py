"""The deterministic coach: checks a story against the method, offline, with stable finding codes."""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass, field

from coach.bank.folder import Bank
from coach.bank.models import BankSettings, Story
from coach.method.text import (
    numbers,
    sentences,
    spoken_seconds,
    unsupported_names,
    unsupported_numbers,
    word_count,
    words,
)

ERROR, WARNING, INFO = "error", "warning", "info"
FILLERS = ("alot", "kind of", "sort of", "basically", "literally", "actually", "you know", "i mean", "stuff", "really")
I_WORDS = {"i", "i'm", "i've", "i'd", "i'll", "my", "me", "myself"}
WE_WORDS = {"we", "we're", "we've", "we'd", "we'll", "our", "us", "ourselves"}
STOPWORDS = set(
    "a an the and or but of to in on at for with by from as is was were be been it its this that these those "
    "i we you he she they my our your his her their me us him them so then than when while who which what "
    "not no do did does had has have just very really".split()
)
ACTION_VERB = re.compile(
    r"\bI\s+(?:\w+ly\s+)?(?:\w+ed|took|made|built|led|wrote|ran|set|began|chose|drove|went|gave|brought|"
    r"proposed|rebuilt|spoke|sat|told|met|put|got|won|found|kept|did|had to|decided|started)\b"
)
BACKGROUND_SHARE = 0.3
MAX_REPETITIONS = 3


@dataclass
class Finding:
    """One problem found in a story: a stable code, a severity, where, and what to do."""

    code: str
    severity: str
    message: str
    part: str = "refined"


@dataclass
class PartReport:
    """Measures of one part of the story (the refined version or the draft)."""

    part: str
    words: int
    seconds: float


@dataclass
class StoryReport:
    """Everything `coach check` says about one story."""

    slug: str
    title: str
    target: tuple[int, int]
    wpm: int
    parts: list[PartReport] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)

    @property
    def has_errors(self) -> bool:
        """Return True when any finding is an error."""
        return any(f.severity == ERROR for f in self.findings)

    def as_dict(self) -> dict:
        """Return the report as plain data for JSON output."""
        data = asdict(self)
        data["target"] = list(self.target)
        return data


def check_story(story: Story, settings: BankSettings, slug: str = "") -> StoryReport:
    """Check a story's refined version, draft, follow-ups and extraction answers."""
    target = story.target_seconds or settings.target_seconds
    wpm = settings.words_per_minute
    report = StoryReport(slug or story.type, story.title, target, wpm)
    for part, text in (("refined", story.refined), ("draft", story.draft)):
        if text.strip():
            report.parts.append(PartReport(part, word_count(text), spoken_seconds(text, wpm)))
    if story.refined.strip():
        report.findings += check_refined(story.refined, story, settings, target)
    else:
        report.findings.append(Finding("not-refined", INFO, "No refined version yet; run `coach refine` or write one under ## Refined."))
    if story.draft.strip():
        report.findings += [Finding(f.code, INFO if f.severity == ERROR else f.severity, f.message, "draft") for f in _style(story.draft)]
    report.findings += _follow_up_numbers(story)
    report.findings += _unanswered(story)
    return report


def check_bank(bank: Bank, refs: list[str]) -> list[StoryReport]:
    """Check the named stories of a bank (every story when refs is empty)."""
    settings = bank.settings()
    return [check_story(story, settings, path.stem) for path, story in bank.select(refs)]


def check_refined(text: str, story: Story, settings: BankSettings, target: tuple[int, int], wpm: int | None = None) -> list[Finding]:
    """Check a refined version against the method; the LLM validators call this too."""
    findings = _timing(text, wpm or settings.words_per_minute, target)
    invented = unsupported_numbers(text, story.material())
    if invented:
        findings.append(Finding(
            "unsupported-number", ERROR,
            f"{_list(invented)} {_appear(invented)} nowhere in your draft or extraction answers; add the fact to an answer "
            "if it is true, or remove it: an invented metric can sink the interview.",
        ))
    names = unsupported_names(text, story.material(), known_names(story, settings))
    if names:
        findings.append(Finding(
            "unsupported-name", WARNING,
            f"{_list(names)} {_appear(names)} nowhere in your draft or extraction answers; add who or what it is to an "
            "answer if it is true, or remove it.",
        ))
    findings += _we_heavy(text)
    if not any(numbers(s) for s in _result_sentences(text)):
        findings.append(Finding(
            "no-metric", WARNING,
            "The result has no number (%, $, time, count); add the one measurable outcome from your answers.",
        ))
    if not _connects(text, story, settings):
        findings.append(Finding(
            "no-company-connection", WARNING,
            f"The close never mentions {settings.company} or the values this story targets; end with one sentence that does.",
        ))
    findings += _background(text)
    findings += _style(text)
    return findings


def known_names(story: Story, settings: BankSettings) -> list[str]:
    """Return the names a story may use beyond its material: the company, the role and the values."""
    return [settings.company, settings.role, *story.values, *(value.name for value in settings.values)]


def _timing(text: str, wpm: int, target: tuple[int, int]) -> list[Finding]:
    low, high = target
    count, seconds = word_count(text), spoken_seconds(text, wpm)
    if seconds > high:
        cut = count - round(high * wpm / 60)
        return [Finding("too-long", ERROR, f"{seconds:g}s at {wpm} wpm is over the {low}-{high}s target; cut about {cut} words.")]
    if seconds < low:
        add = round(low * wpm / 60) - count
        return [Finding("too-short", WARNING, f"{seconds:g}s at {wpm} wpm is under the {low}-{high}s target; add about {add} words of stakes or result.")]
    return []


def _we_heavy(text: str) -> list[Finding]:
    i_count = we_count = 0
    for sentence in sentences(text)[1:]:  # the first sentence sets the scene; actions follow
        tokens = [w.lower().strip("'’") for w in words(sentence)]
        i_count += sum(t in I_WORDS for t in tokens)
        we_count += sum(t in WE_WORDS for t in tokens)
    if we_count > i_count:
        return [Finding("we-heavy", WARNING, f'"we/our" ({we_count}) outnumber "I/my" ({i_count}); say what you did, in the first person.')]
    return []


def _result_sentences(text: str) -> list[str]:
    parts = sentences(text)
    return parts[len(parts) // 2 :]


def _connects(text: str, story: Story, settings: BankSettings) -> bool:
    close = " ".join(sentences(text)[-2:]).lower()
    names = [settings.company, *story.values] + [v.name for v in settings.values if v.name in story.values]
    return any(name and name.lower() in close for name in names)


def _background(text: str) -> list[Finding]:
    parts = sentences(text)
    total = word_count(text)
    before = 0
    for sentence in parts:
        if ACTION_VERB.search(sentence):
            break
        before += word_count(sentence)
    else:
        return [Finding("long-background", WARNING, 'No sentence says what you did ("I proposed...", "I built..."); put your first action early.')]
    if total and before / total > BACKGROUND_SHARE:
        return [Finding("long-background", WARNING, f"{before} of {total} words come before your first action; cut the setup to one sentence.")]
    return []


def _style(text: str) -> list[Finding]:
    return _repetition(text) + _fillers(text)


def _repetition(text: str) -> list[Finding]:
    flat = " ".join(w.lower().strip("'’.,").replace("-", " ") for w in words(text)).split()
    covered: set[int] = set()
    found: list[tuple[str, int]] = []
    for size in range(8, 2, -1):
        for start in range(len(flat) - size + 1):
            gram = flat[start : start + size]
            positions = _occurrences(flat, gram)
            phrase = _trim_stopwords(gram)
            if len(positions) < 2 or len(phrase) < 2 or any(p in covered for p in range(start, start + size)):
                continue
            covered.update(p + k for p in positions for k in range(size))
            found.append((" ".join(phrase), len(_occurrences(flat, phrase))))
    findings = [
        Finding("repetition", WARNING, f'"{phrase}" is used {count} times; say it once and vary the rest.')
        for phrase, count in found[:MAX_REPETITIONS]
    ]
    if len(found) > MAX_REPETITIONS:
        findings[-1].message += f" ({len(found) - MAX_REPETITIONS} more repeated phrases.)"
    return findings


def _occurrences(flat: list[str], gram: list[str]) -> list[int]:
    size = len(gram)
    return [i for i in range(len(flat) - size + 1) if flat[i : i + size] == gram]


def _trim_stopwords(gram: list[str]) -> list[str]:
    while gram and gram[0] in STOPWORDS:
        gram = gram[1:]
    while gram and gram[-1] in STOPWORDS:
        gram = gram[:-1]
    return gram


def _fillers(text: str) -> list[Finding]:
    lowered = " " + " ".join(text.lower().split()) + " "
    found = [(f, len(re.findall(rf"\b{re.escape(f)}\b", lowered))) for f in FILLERS]
    found = [(f, n) for f, n in found if n]
    if not found:
        return []
    listed = ", ".join(f'"{f}"' + (f" ×{n}" if n > 1 else "") for f, n in found)
    spelling = ' (and "alot" is two words: "a lot")' if any(f == "alot" for f, _ in found) else ""
    return [Finding("filler", WARNING, f"Filler words: {listed}; cut them{spelling}.")]


def _follow_up_numbers(story: Story) -> list[Finding]:
    findings = []
    for follow_up in story.follow_ups:
        invented = unsupported_numbers(follow_up.answer, story.material())
        if invented:
            findings.append(Finding(
                "unsupported-number", ERROR,
                f"{_list(invented)} in the answer to '{follow_up.question}' {_appear(invented)} nowhere in your draft or answers; "
                "add the fact to an extraction answer if it is true, or remove it.",
                "follow-up",
            ))
    return findings


def _unanswered(story: Story) -> list[Finding]:
    missing = story.unanswered()
    if not missing:
        return []
    first = missing[0].text
    return [Finding("unanswered", WARNING, f"{len(missing)} extraction question(s) have no answer yet, starting with '{first}'.", "extraction")]


def _list(items: list[str]) -> str:
    quoted = [f'"{item}"' for item in items]
    return quoted[0] if len(quoted) == 1 else ", ".join(quoted[:-1]) + " and " + quoted[-1]


def _appear(items: list[str]) -> str:
    return "appears" if len(items) == 1 else "appear"
