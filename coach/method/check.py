"""The deterministic coach: checks a story against the method, offline, with stable finding codes."""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass, field
from pathlib import Path

from coach.bank.catalog import unknown_type
from coach.bank.folder import Bank
from coach.bank.models import Story
from coach.bank.phrases import company_phrase
from coach.bank.settings import BankSettings
from coach.method import style
from coach.method.grounding import Either, Material, content_words, own_answers, placeholders
from coach.method.quantities import quantities
from coach.method.text import quoted, sentences, timing, word_budget
from coach.method.verdict import DOUBT, judge_all, to_the_candidate

ERROR, WARNING, INFO = "error", "warning", "info"


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
    target = story.window(settings)
    wpm = settings.words_per_minute
    report = StoryReport(slug or story.type, story.title, target, wpm)
    for part, text in (("refined", story.refined), ("draft", story.draft)):
        if text.strip():
            spoken = timing(text, wpm)
            report.parts.append(PartReport(part, spoken.words, spoken.seconds))
    base = Material.of(story, settings)  # indexed once; the user's own follow-up answers are added beside it
    own = own_answers(story)
    material = Either(base, Material("\n".join(own))) if own else base
    if story.refined.strip():
        report.findings += check_refined(story.refined, story, settings, target, material=material,
                                         by_coach=story.refined_source != "hand")
    else:
        run = f"`coach refine {slug}`" if slug else "`coach refine`"
        report.findings.append(Finding("not-refined", INFO, f"No refined version yet; run {run} or write one under ## Refined."))
    if story.draft.strip():
        report.findings += [Finding(f.code, INFO if f.severity == ERROR else f.severity, f.message, "draft") for f in _style(story.draft)]
    report.findings += _follow_up_grounding(story, base, material)
    report.findings += _claims(story, settings)
    report.findings += _unanswered(story)
    return report


def check_bank(bank: Bank, refs: list[str]) -> list[StoryReport]:
    """Check the named stories of a bank (every story when refs is empty)."""
    settings = bank.settings()
    return [_type_checked(check_story(story, settings, path.stem), story, path, bank.root)
            for path, story in bank.select(refs)]


def _type_checked(report: StoryReport, story: Story, path: Path, bank_root: Path) -> StoryReport:
    """Add an error when the story's type is none coach knows: refine and analyze refuse such a story."""
    problem = unknown_type(story, path, bank_root)
    if problem:
        report.findings.insert(0, Finding("unknown-type", ERROR, problem, "front matter"))
    return report


def check_refined(text: str, story: Story, settings: BankSettings, target: tuple[int, int], wpm: int | None = None,
                  material: Material | Either | None = None, by_coach: bool = True) -> list[Finding]:
    """Check a refined version against the method; the LLM validators call this too. A number or name the material
    lacks is an error in what coach wrote, and a warning to verify in what the user wrote (`by_coach=False`)."""
    material = material or Material.of(story, settings)
    findings = _timing(text, wpm or settings.words_per_minute, target)
    findings += grounding_findings(text, material, by_coach=by_coach)
    findings += _we_heavy(text)
    if not placeholders(text) and not any(quantities(s) for s in _result_sentences(text)):  # a blank is already said
        findings.append(Finding(
            "no-metric", WARNING,
            "The result has no number (%, $, time, count); add the one measurable outcome from your answers.",
        ))
    if not _connects(text, story, settings):
        findings.append(Finding(
            "no-company-connection", WARNING,
            f"The close never mentions {company_phrase(settings.company)} or the values this story targets; "
            "end with one sentence that does.",
        ))
    findings += _background(text)
    findings += _style(text)
    return findings


STAKES = re.compile(
    r"\b(risk\w*|fail\w*|los[et]\w*|cost\w*|deadline\w*|stake|pressure|outage\w*|incident\w*|churn\w*|block\w*|"
    r"critical|urgent\w*|worr\w*|afraid|if (?:we|i) (?:didn'?t|did not|don'?t)|would have|could have|at risk|behind|"
    r"escalat\w*|broke\w*|down\b|burn\w*)", re.IGNORECASE)


def check_answer(text: str, settings: BankSettings, target: tuple[int, int], value: str = "") -> list[Finding]:
    """Check an answer spoken in a mock interview: the method's checks on the candidate's own words.

    No grounding: what the candidate says is theirs. `no-stakes` and `no-value` say what an interviewer would
    probe: nothing at stake, and no link to the value the question is about.
    """
    findings = _timing(text, settings.words_per_minute, target)
    findings += _we_heavy(text)
    if not any(quantities(s) for s in _result_sentences(text)):
        findings.append(Finding("no-metric", WARNING, "The result has no number (%, $, time, count); say the one measurable outcome."))
    if not STAKES.search(text):
        findings.append(Finding("no-stakes", WARNING, "Nothing says what was at stake; add one sentence on what would have happened if it failed."))
    if value and not _mentions_value(text, value, settings):
        findings.append(Finding("no-value", INFO, f"The answer never connects to {value}; close with one sentence that does."))
    findings += _background(text)
    findings += _style(text)
    return findings


def _mentions_value(text: str, value: str, settings: BankSettings) -> bool:
    words = set(content_words(text))
    meaning = next((v.meaning for v in settings.values if v.name.lower() == value.lower()), "")
    key_words = {w for w in content_words(f"{value} {meaning}") if len(w) > 4}
    return value.lower() in text.lower() or len(words & key_words) >= 2


def grounding_findings(text: str, material: Material | Either, part: str = "refined", where: str = "",
                       by_coach: bool = True) -> list[Finding]:
    """Return the placeholders to fill and the numbers and names the user's material never states: errors in text
    coach wrote, warnings in the user's own words (theirs to verify, saying where the fact stands alone)."""
    nowhere = "nowhere in your draft or extraction answers; add"
    own = where or " in your refined version"
    nowhere_else = "is nowhere else in your material" if where else "is nowhere in your draft or extraction answers"
    checks = [
        ("placeholder", ERROR if part == "refined" else WARNING, placeholders(text),
         "still to fill; put in the real figure or fact, or cut the claim, before you say it."),
        ("unsupported-number", ERROR if by_coach else WARNING, material.unsupported_numbers(text),
         "the fact to an answer, or remove it: an invented metric can sink the interview."),
        ("unsupported-name", ERROR if by_coach else WARNING, material.unsupported_names(text),
         "who or what it is to an answer, or remove it."),
    ]
    findings = []
    for code, severity, items, advice in checks:
        if not items:
            continue
        if code == "placeholder":
            message = f"{quoted(items)}{where} {_verb(items, code)} {advice}"
        elif by_coach:
            message = f"{quoted(items)}{where} {_verb(items, code)} {nowhere} {advice}"
        else:  # the user's own words: theirs to verify, not coach's to judge
            verb = nowhere_else if len(items) == 1 else nowhere_else.replace("is ", "are ", 1)
            message = (f"{quoted(items)}{own} {verb}; if true, add {'it' if len(items) == 1 else 'them'} to an "
                       "extraction answer so coach can use it; if not, remove it.")
        findings.append(Finding(code, severity, message, part))
    return findings


def _timing(text: str, wpm: int, target: tuple[int, int]) -> list[Finding]:
    low, high = target
    spoken, (fewest, most) = timing(text, wpm), word_budget(target, wpm)
    seconds = spoken.seconds
    if seconds > high:
        cut = spoken.words - most
        return [Finding("too-long", ERROR, f"{seconds:g}s at {wpm} wpm is over the {low}-{high}s target; cut about {cut} words.")]
    if seconds < low:
        add = fewest - spoken.words
        return [Finding("too-short", WARNING, f"{seconds:g}s at {wpm} wpm is under the {low}-{high}s target; add about {add} words of stakes or result.")]
    return []


def _we_heavy(text: str) -> list[Finding]:
    i_count, we_count = style.pronoun_counts(text)
    if we_count > i_count:
        return [Finding("we-heavy", WARNING, f'"we/our" ({we_count}) outnumber "I/my" ({i_count}) after the opening sentence; say what you did, in the first person.')]
    return []


def _result_sentences(text: str) -> list[str]:
    parts = sentences(text)
    return parts[len(parts) // 2 :]


def _connects(text: str, story: Story, settings: BankSettings) -> bool:
    close = " ".join(sentences(text)[-2:]).lower()
    names = [settings.company, *story.values] + [v.name for v in settings.values if v.name in story.values]
    return any(name and name.lower() in close for name in names)


def _background(text: str) -> list[Finding]:
    counts = style.words_before_action(text)
    if counts is None:
        return [Finding("long-background", WARNING, 'No sentence says what you did ("I proposed...", "I built..."); put your first action early.')]
    before, total = counts
    if total and before / total > style.BACKGROUND_SHARE:
        return [Finding("long-background", WARNING, f"{before} of {total} words come before your first action; cut the setup to one sentence.")]
    return []


def _style(text: str) -> list[Finding]:
    return _repetition(text) + _fillers(text)


def _repetition(text: str) -> list[Finding]:
    found = style.repeated_phrases(text)
    findings = [
        Finding("repetition", WARNING, f'"{phrase}" is used {count} times; say it once and vary the rest.')
        for phrase, count in found[: style.MAX_REPETITIONS]
    ]
    if len(found) > style.MAX_REPETITIONS:
        findings[-1].message += f" ({len(found) - style.MAX_REPETITIONS} more repeated phrases.)"
    return findings


def _fillers(text: str) -> list[Finding]:
    found = style.fillers(text)
    if not found:
        return []
    listed = ", ".join(f'"{f}"' + (f" ×{n}" if n > 1 else "") for f, n in found)
    spelling = ' (and "alot" is two words: "a lot")' if any(f == "alot" for f, _ in found) else ""
    return [Finding("filler", WARNING, f"Filler words: {listed}; cut them{spelling}.")]


def _follow_up_grounding(story: Story, base: Material, material: Material | Either) -> list[Finding]:
    """Check each follow-up answer: coach's against the material and the user's own answers (errors), the user's
    against the material and their other answers (warnings to verify)."""
    findings = []
    for number, follow_up in enumerate(story.follow_ups):
        where = f" in the answer to '{follow_up.question}'"
        if follow_up.written_by_coach or not follow_up.answer.strip():
            findings += grounding_findings(follow_up.answer, material, "follow-up", where)
            continue
        others = [f.answer for i, f in enumerate(story.follow_ups)
                  if i != number and f.answer.strip() and not f.written_by_coach]
        own = Either(base, Material("\n".join(others))) if others else base
        findings += grounding_findings(follow_up.answer, own, "follow-up", where, by_coach=False)
    return findings


def _claims(story: Story, settings: BankSettings) -> list[Finding]:
    """Return a warning for each sentence coach wrote (and the user left as it was) that the guard still doubts: the
    same verdict the job gave when it kept the sentence with a note to confirm or cut it."""
    texts = [("refined", "", story.refined)] if story.refined.strip() and story.refined_source != "hand" else []
    texts += [("follow-up", f" (the answer to '{f.question}')", f.answer) for f in story.follow_ups if f.written_by_coach]
    if not texts:
        return []
    material = Material.of(story, settings, own_answers(story))
    findings = []
    for part, where, text in texts:
        for verdict in judge_all(material, sentences(text)):
            if verdict.status == DOUBT:
                findings.append(Finding("unsupported-claim", WARNING, f'"{verdict.text}"{where}: '
                                        f"{to_the_candidate(verdict)}; confirm it or cut it.", part))
    return findings


def _unanswered(story: Story) -> list[Finding]:
    missing = story.unanswered()
    if not missing:
        return []
    first = missing[0].text
    proposed = sum(1 for q in missing if q.proposed)
    waiting = f" ({proposed} proposed by `coach analyze`, waiting for you to accept)" if proposed else ""
    return [Finding("unanswered", WARNING, f"{len(missing)} extraction {'question has' if len(missing) == 1 else 'questions have'} no answer yet{waiting}, starting with '{first}'.", "extraction")]


def _verb(items: list[str], code: str) -> str:
    if code == "placeholder":
        return "is" if len(items) == 1 else "are"
    return "appears" if len(items) == 1 else "appear"
