"""Plain-text rendering of reports for the terminal: tables and findings, no colour codes; progress on stderr."""

from __future__ import annotations

import shutil
import sys
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager

from coach.document.importer import ImportResult
from coach.method.board import BankStatus
from coach.method.check import ERROR, WARNING, StoryReport
from coach.method.text import word_count

MARK = {True: "✓", False: "☐"}


def table(header: list[str], rows: list[list[str]]) -> str:
    """Lay out rows under a header in left-aligned columns."""
    widths = [max(len(str(cell)) for cell in column) for column in zip(header, *rows, strict=True)]
    lines = ["  ".join(str(cell).ljust(width) for cell, width in zip(row, widths, strict=True)).rstrip() for row in [header, *rows]]
    lines.insert(1, "  ".join("-" * width for width in widths))
    return "\n".join(lines)


def import_summary(results: list[ImportResult]) -> str:
    """Summarise what an import wrote."""
    rows = []
    for result in results:
        story = result.story
        if story is None:
            rows.append([result.path.name, "bank settings", "", "", "", "", result.action])
            continue
        answered = len(story.questions()) - len(story.unanswered())
        rows.append([
            result.path.name, story.title, story.type, f"{answered}/{len(story.questions())}",
            str(word_count(story.refined)), str(len(story.follow_ups)), result.action,
        ])
    header = ["file", "title", "type", "answered", "refined words", "follow-ups", "action"]
    imported = sum(1 for r in results if r.story is not None)
    return table(header, rows) + f"\n\nImported {imported} stories into {results[0].path.parent}."


def check_report(reports: list[StoryReport]) -> str:
    """Render `coach check` findings for people."""
    blocks = [_story_check(report) for report in reports]
    errors = sum(f.severity == ERROR for r in reports for f in r.findings)
    warnings = sum(f.severity == WARNING for r in reports for f in r.findings)
    blocks.append(f"{len(reports)} stories checked: {errors} errors, {warnings} warnings.")
    return "\n\n".join(blocks)


def _story_check(report: StoryReport) -> str:
    low, high = report.target
    lines = [f"{report.slug}: {report.title}  (target {low}-{high}s at {report.wpm} wpm)"]
    for part in report.parts:
        verdict = ""
        if part.part == "refined":
            verdict = "within target" if low <= part.seconds <= high else ("over target" if part.seconds > high else "under target")
        lines.append(f"  {part.part:<8} {part.words:>4} words  {part.seconds:>5.1f}s  {verdict}".rstrip())
    for finding in report.findings:
        where = "" if finding.part == "refined" else f" [{finding.part}]"
        lines.append(f"  {finding.severity:<7}  {finding.code}{where}: {finding.message}")
    if not report.findings:
        lines.append("  no findings")
    return "\n".join(lines)


def status_board(status: BankStatus) -> str:
    """Render the progress board and the value coverage matrix."""
    low, high = status.settings.target_seconds
    head = f"{status.settings.company} story bank · target {low}-{high}s · {status.settings.words_per_minute} wpm"
    rows = [
        [
            row.slug, row.title, MARK[row.drafted], f"☐ {row.proposed} to accept" if row.proposed else MARK[row.analyzed],
            f"☐ {row.placeholders} [ ] to fill" if row.placeholders else MARK[row.refined],
            (f"{row.latest:g}s " + MARK[row.timed]) if row.latest is not None else "___s",
            f"{row.best:g}s" if row.best is not None else "-",
            f"{row.takes}/5 " + MARK[row.practiced],
        ]
        for row in status.rows
    ]
    board = table(["story", "title", "First Draft", "Analyzed", "Refined", "Timed", "Best", "Practiced"], rows)
    slugs = [row.slug for row in status.rows]
    matrix = [[value, *("✓" if slug in users else "·" for slug in slugs), "" if users else "gap: no story"]
              for value, users in status.coverage.items()]
    coverage = table(["value", *slugs, ""], matrix)
    return "\n\n".join([head, board, "Value coverage", coverage, status.coverage_verdict()])


def prompt_text(messages: list[dict[str, str]]) -> str:
    """Render chat messages for --show-prompt."""
    return "\n\n".join(f"--- {m['role']} ---\n{m['content']}" for m in messages) + "\n"


def refine_report(outcomes, explain: bool = False) -> str:
    """Summarise what `coach refine` did to each story (with --explain, each sentence and its sources)."""
    return "\n\n".join(_refined(outcome) + (_explained(outcome) if explain else "") for outcome in outcomes)


def _explained(outcome) -> str:
    if outcome.error is not None or outcome.material is None:
        return ""
    lines = ["", "  sentence by sentence, with the words of yours it rests on:"]
    unsupported = set(outcome.unsupported)
    for number, traced in enumerate(outcome.answer.value.traced(), 1):
        lines.append(f"  {number:>2}. {traced.text}")
        for quote in traced.sources:
            mark = "✓" if outcome.material.has_quote(quote) else "✗ not in your material:"
            lines.append(f"      {mark} \"{quote}\"")
        if traced.text in unsupported:
            lines.append("      ! no quote of yours supports this sentence: confirm it or cut it")
    return "\n".join(lines)


def _refined(outcome) -> str:
    if outcome.error is not None:
        return f"{outcome.slug}: not refined: {outcome.error}; the story file is unchanged."
    story, answer, target = outcome.merge.story, outcome.answer, outcome.target
    low, high = target.window
    words = word_count(story.refined)
    seconds = round(words * 60 / target.wpm, 1)
    verdict = "within" if low <= seconds <= high else "outside"
    how = "from the cache, no call" if answer.cached else (
        f"{answer.attempts} request(s), {answer.tokens_in:,} tokens in, {answer.tokens_out:,} out"
    )
    lines = [f"{outcome.slug}: refined, {words} words = {seconds:g}s at {target.wpm} wpm, {verdict} the {low}-{high}s target ({how})"]
    lines += [f"  changed: {change}" for change in answer.value.changes]
    added = ", ".join(f"{n} {what}" for what, n in outcome.merge.added.items() if n)
    lines.append(f"  added: {added or 'nothing new'}")
    if outcome.merge.kept_previous:
        lines.append("  the previous version is kept under ## History")
    lines += [f'  not found in your material: "{sentence}" (added to the coaching notes: confirm it or cut it)'
              for sentence in outcome.unsupported]
    lines += [f"  {f.severity:<7}  {f.code}: {f.message}" for f in outcome.findings] or ["  check: no findings"]
    return "\n".join(lines)


def log_table(calls) -> str:
    """Render recent model calls and their token totals."""
    if not calls:
        return "No model calls recorded yet."
    rows = [[str(c.id), c.at, c.command, c.model, c.host, str(c.tokens_in), str(c.tokens_out),
             f"{c.latency_ms / 1000:.1f}s", str(c.attempts), c.outcome] for c in calls]
    header = ["id", "at", "command", "model", "host", "tokens in", "tokens out", "latency", "attempts", "outcome"]
    total_in, total_out = sum(c.tokens_in for c in calls), sum(c.tokens_out for c in calls)
    return table(header, rows) + f"\n\n{len(calls)} calls, {total_in:,} tokens in, {total_out:,} tokens out."


def call_details(call) -> str:
    """Render one logged call: what it cost, how it ended, and the answer it kept with the reasons it was rejected."""
    import json

    lines = [f"call {call.id}: {call.command} with {call.model} at {call.host}, {call.at}",
             f"{call.attempts} request(s), {call.tokens_in:,} tokens in, {call.tokens_out:,} out, "
             f"{call.latency_ms / 1000:.1f}s: {call.outcome}"]
    if call.detail:
        lines.append(call.detail)
    if call.reasons:
        lines += ["", "rejected because:", *(f"  {n}. {reason}" for n, reason in enumerate(call.reasons, 1))]
    if call.content:
        try:
            shown = json.dumps(json.loads(call.content), indent=2, ensure_ascii=False)
        except ValueError:
            shown = call.content
        lines += ["", "the answer:", shown]
    return "\n".join(lines)


SPINNER = "⠋⠙⠹⠸⠼⠴⠦⠧⠇⠏"


class Progress:
    """Progress on stderr: on a terminal a spinner with the seconds elapsed and what happens now (a retry, a re-ask);
    on a terminal or piped, the events worth knowing once (an adaptation to the endpoint), one line each."""

    def __init__(self, stream=None, tty: bool | None = None, clock=time.monotonic):
        self.stream = stream or sys.stderr
        self.tty = self.stream.isatty() if tty is None else tty
        self.clock = clock
        self.width = shutil.get_terminal_size((80, 24)).columns
        self._lock = threading.Lock()
        self._label = ""
        self._note = ""

    def event(self, message: str) -> None:
        """Print one line the user should read (an adaptation to the endpoint), whether on a terminal or piped."""
        with self._lock:
            self._clear()
            print(message, file=self.stream, flush=True)

    def status(self, message: str) -> None:
        """Show what is happening now (a retry, a re-ask) beside the spinner; nothing when piped."""
        with self._lock:
            self._note = message

    @contextmanager
    def spinning(self, label: str) -> Iterator[None]:
        """Show a spinner with elapsed seconds while the block runs (on a terminal only)."""
        if not self.tty:
            yield
            return
        done = threading.Event()
        self._label = label
        thread = threading.Thread(target=self._spin, args=(done, self.clock()), daemon=True)
        thread.start()
        try:
            yield
        finally:
            done.set()
            thread.join(0.5)
            with self._lock:
                self._clear()
                self._label = ""

    def _spin(self, done: threading.Event, started: float) -> None:
        frame = 0
        while not done.wait(0.1):
            with self._lock:
                note = f" · {self._note}" if self._note else ""
                line = f"{SPINNER[frame % len(SPINNER)]} {self._label} · {self.clock() - started:.0f}s{note}"
                self.stream.write(f"\r{line[: self.width - 1]}\x1b[K")
                self.stream.flush()
            frame += 1

    def _clear(self) -> None:
        if self.tty and self._label:
            self.stream.write("\r\x1b[K")


def _width() -> int:
    return max(40, min(shutil.get_terminal_size((80, 24)).columns, 100))


def wrapped(text: str, indent: int, first: str | None = None) -> list[str]:
    """Wrap text at word boundaries to the terminal's width with a hanging indent of `indent` spaces.

    The first line starts with `first` (padded to the indent), or at column 0 when first is "".
    """
    import textwrap

    pad = " " * indent
    if first is None:
        lead = pad
    elif first == "":
        lead = ""
    else:
        lead = first.ljust(indent) if len(first) < indent else first + " "
    return textwrap.wrap(" ".join(text.split()), _width(), initial_indent=lead, subsequent_indent=pad,
                         break_long_words=False, break_on_hyphens=False) or [lead.rstrip()]


class StreamWrap:
    """Write streamed words wrapped at the terminal's width: a word is held until it is whole, then placed."""

    def __init__(self, write: Callable[[str], None], indent: int = 2):
        self.write, self.indent = write, indent
        self.column, self.word = 0, ""

    def feed(self, text: str) -> None:
        """Take the next piece of the stream; its line breaks flow into one paragraph, as spoken."""
        for char in text:
            if char.isspace():
                self._place()
            else:
                self.word += char

    def flush(self) -> None:
        """Place the last word."""
        self._place()

    def _place(self) -> None:
        if not self.word:
            return
        if self.column and self.column + 1 + len(self.word) > _width():
            self.write("\n" + " " * self.indent)
            self.column = self.indent
        elif self.column:
            self.write(" ")
            self.column += 1
        self.write(self.word)
        self.column += len(self.word)
        self.word = ""


def _how(answer) -> str:
    if answer is None:
        return ""
    if answer.cached:
        return " (from the cache, no call)"
    return f" ({answer.attempts} request(s), {answer.tokens_in:,} tokens in, {answer.tokens_out:,} out)"


def followups_view(outcome) -> str:
    """Render a story's follow-ups with their ids, and what the command changed."""
    items = outcome.listed()
    head = (f"{outcome.slug}: {outcome.story.title} · {len(items)} follow-up{'s' * (len(items) != 1)} · answers up to "
            f"{outcome.max_seconds}s ({outcome.max_words} words at {outcome.settings.words_per_minute} wpm)")
    lines = wrapped(head, 2, "")
    changed = set(outcome.changed)
    for item in items:
        lines.append("")
        flags = "  [pinned]" if item.pinned else ""
        lines += wrapped(item.question + flags, 6, item.id)
        lines += wrapped(item.answer, 6) if item.answer.strip() else ["      (no answer yet)"]
        who = "yours" if item.yours else f"coach ({item.by})"
        about = [who, f"{item.words} words", f"{item.seconds:g}s"]
        if item.words > outcome.max_words * 1.15:
            about.append(f"over {outcome.max_seconds}s")
        if item.placeholders:
            about.append(f"{len(item.placeholders)} [placeholder]{'s' * (len(item.placeholders) > 1)} to fill")
        if item.id in changed:
            about.append({"generate": "new", "regenerate": "rewritten", "pin": "pinned now", "unpin": "unpinned now"}.get(outcome.action, "changed"))
        lines.append("      " + " · ".join(about))
        if item.aims_at:
            lines += wrapped(f"aims at: {item.aims_at}", 6)
        for sentence in outcome.unsupported.get(item.id, []):
            lines += wrapped(f'! not found in your material: "{sentence}" (a coaching note asks you to confirm or cut it)', 6)
    if not items:
        lines += ["", f"No follow-ups yet: `coach followups {outcome.slug} --generate 3` asks for three."]
    lines += _followups_summary(outcome)
    return "\n".join(lines)


def _followups_summary(outcome) -> list[str]:
    ids, them = ", ".join(outcome.changed), "it" if len(outcome.changed) == 1 else "them"
    summary = {
        "generate": f"Added {len(outcome.changed)} follow-up{'s' * (len(outcome.changed) != 1)}: {ids}{_how(outcome.answer)}.",
        "regenerate": f"Rewrote {ids}; each earlier answer is kept under ## History{_how(outcome.answer)}." if ids
        else "Nothing regenerated.",
        "pin": f"Pinned {ids}: `--regenerate --all` leaves {them} alone.",
        "unpin": f"Unpinned {ids}.",
        "remove": f"Removed {ids}; each question and answer is kept under ## History.",
    }.get(outcome.action)
    lines = ["", *wrapped(summary, 0, "")] if summary else []
    if outcome.skipped:
        lines += wrapped("Left alone: " + ", ".join(f"{fid} ({why})" for fid, why in outcome.skipped.items())
                         + ". Name an id to regenerate it anyway.", 0)
    return lines


def analysis_view(outcome, accepted: int = 0) -> str:
    """Render what `coach analyze` proposes and which questions only the user can answer."""
    story = outcome.story
    total = len(story.questions())
    answered = total - len(story.unanswered())
    lines = wrapped(f"{outcome.slug}: {story.title} · {answered} of {total} extraction questions answered{_how(outcome.answer)}", 0)
    accepted_now = [q for q in outcome.questions if q.status in ("accepted", "answered")]
    if accepted_now:
        lines += ["", "Answered now:"]
        for item in accepted_now:
            lines += wrapped(item.question, 6, f"  {item.number}.")
            lines += wrapped(story_answer(story, item.number), 8, "      →")
    if outcome.proposals:
        lines += ["", *wrapped("Proposed from your draft (not yet your answers: accept them with --accept-all or "
                                "--interactive, or edit the file):", 0)]
        for item in outcome.proposals:
            lines += wrapped(item.question, 6, f"  {item.number}.")
            lines += wrapped(item.proposed, 8, "      →")
            for quote in item.quotes:
                lines += wrapped(f'from your draft: "{quote}"', 8)
    if outcome.gaps:
        lines += ["", *wrapped("Gaps your draft does not answer (write these yourself):" if story.draft.strip() else
                               "No draft yet: write it under ## Draft and run `coach analyze` again, or answer these "
                               "yourself:", 0)]
        for item in outcome.gaps:
            lines += wrapped(item.question, 6, f"  {item.number}.")
            if item.missing:
                lines += wrapped(f"missing: {item.missing}", 8)
    if not outcome.questions:
        lines += ["", "Every extraction question has an answer."]
    return "\n".join(lines)


def story_answer(story, number: int) -> str:
    """Return the answer of the story's extraction question number `number` (1-based)."""
    questions = story.questions()
    return questions[number - 1].answer if 0 < number <= len(questions) else ""


def open_question(item, position: int, total: int) -> str:
    """Render one open question of the interactive walk, with its proposal and the keys."""
    lines = [""]
    lines += wrapped(f"{item.group} › {item.question}", 2, f"[{position}/{total}]")
    if item.proposed:
        lines += wrapped(item.proposed, 4, "  Proposed:")
        lines += [line for quote in item.quotes for line in wrapped(f'from your draft: "{quote}"', 4)]
        lines.append("  Enter accepts · type your own answer to replace it · s skips · q quits")
    else:
        if item.missing:
            lines += wrapped(f"Your draft does not say: {item.missing}", 4, "  ")
        lines.append("  Type your answer · Enter or s skips · q quits")
    return "\n".join(lines)


def sessions_table(rows: list[dict]) -> str:
    """Render past mock interviews with their average score per dimension, and the change from first to latest."""
    if not rows:
        return "No mock interviews yet: `coach interview` starts one."
    dimensions = ("structure", "ownership", "impact", "values", "concision")
    body = [[str(row.get("started", "")), str(row.get("status", "")).split(":")[0],
             f"{row.get('answered', 0)}/{row.get('questions', 0)}",
             *(_score((row.get("scores") or {}).get(d)) for d in dimensions)] for row in rows]
    out = table(["started", "status", "answered", "struct", "own", "impact", "values", "concise"], body)
    judged = set(dimensions[:4])
    scored = [row["scores"] for row in rows if judged & set(row.get("scores") or {})]
    if len(scored) >= 2:
        first, last = scored[0], scored[-1]
        changes = [f"{d} {first[d]:g} → {last[d]:g}" for d in dimensions if d in first and d in last]
        out += "\n\nFirst to latest: " + ", ".join(changes)
    return out


def _score(value) -> str:
    return "-" if value is None else f"{value:g}"


def interview_feedback(r, session) -> str:
    """Render the feedback on one mock-interview question, wrapped to the terminal."""
    from coach.interview import DIMENSIONS, proof

    lines = ["", f"Feedback on question {r.number} ({r.planned.value}):"]
    if r.feedback_error:
        lines += wrapped(f"no feedback from the model: {r.feedback_error}", 4, "  ")
    for dimension in DIMENSIONS:
        if dimension in r.scores:
            lines += wrapped(proof(r, session, dimension), 18, f"  {dimension:<10} {r.scores[dimension]}/5")
        elif dimension in r.unverified:
            lines += wrapped("not scored: the model's evidence was not in your answer", 18, f"  {dimension:<10}  -")
    if r.unasked:
        lines += wrapped("; ".join(r.unasked), 4, "  an interviewer would also ask about:")
    notes = (("strength", r.strength), ("improve", r.improvement), ("best story", r.best_story),
             ("you could say", f'"{r.say_instead}"' if r.say_instead else ""))
    for label, text in notes:
        if text:
            lines += wrapped(text, 4, f"  {label}:")
    for finding in r.findings:
        lines += wrapped(f"{finding.code}: {finding.message}", 4, "  check:")
    return "\n".join(lines)


def interview_report(session) -> str:
    """Render the end-of-session report, wrapped to the terminal."""
    from coach.interview import DIMENSIONS

    averages = session.averages()
    lines = wrapped(f"Session report · {session.company} · {len(session.scored)} of {len(session.rounds)} questions scored", 2, "")
    if averages:
        lines += wrapped(" · ".join(f"{d} {averages[d]:g}" for d in DIMENSIONS if d in averages), 2)
    for value, score in session.by_value().items():
        lines += wrapped(f"{value}: {score:g}/5", 2)
    things = session.practise_next() if session.scored else []
    if things:
        lines.append("Practise next:")
        for number, thing in enumerate(things, 1):
            lines += wrapped(thing, 5, f"  {number}.")
    kept = session.path.exists()
    lines += wrapped(f"Transcript: {session.path}" if kept else "Nothing was answered, so no transcript was kept.", 2, "")
    return "\n".join(lines)
