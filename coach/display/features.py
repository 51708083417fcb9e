"""Views of what the model-assisted features did: refine, follow-ups and analyze."""

from __future__ import annotations

from coach.display.calls import doubt_lines, how
from coach.display.layout import width, wrap, wrapped


def refine_report(run) -> str:
    """Summarise what `coach refine` did to each story refined."""
    return "\n\n".join(_refined(outcome) for outcome in run.done)


def explanation_view(explanations) -> str:
    """Render the last refine of each story, sentence by sentence, with its quotes and its verdict (`--explain`)."""
    return "\n\n".join(_explanation(explanation) for explanation in explanations)


def _explanation(explanation) -> str:
    slug = explanation.slug
    if explanation.source == "none":
        return "\n".join(wrapped(f"{slug}: no refined version yet, so nothing to explain; `coach refine {slug}` "
                                  "writes one.", 2, ""))
    if explanation.source == "log":
        head = (f"{slug}: the last refine, as the call log keeps it (`coach log --show {explanation.call}`), "
                "sentence by sentence with the words of yours it rests on:")
    else:
        head = (f"{slug}: the refined version in {explanation.path.name}; no refine in the call log wrote it (it was "
                "edited by hand, or the log was cleared), so its sources are unknown:")
    lines = wrapped(head, 2, "")
    for number, sentence in enumerate(explanation.sentences, 1):
        lines.append(f"  {number:>2}. {sentence.text}")
        for quote in sentence.quotes:
            mark = "✓" if quote.found else "✗ not in your material:"
            lines.append(f"      {mark} \"{quote.text}\"")
        lines.append(f"      verdict: {sentence.status}")
        if not sentence.supported:
            lines += wrapped(f"{sentence.why}; confirm it or cut it", 8)
    lines += wrapped(f"(nothing was asked or written; `coach refine {slug}` refines again)", 2, "")
    return "\n".join(lines)


def _item(text: str) -> list[str]:
    """Wrap one line of a refine's summary: two spaces in, its next lines four."""
    return wrap(text, width(), "  ", "    ")


def _refined(outcome) -> str:
    """Say what refine did to one story, every line wrapped to the terminal like the other commands' reports."""
    if outcome.error is not None:
        return "\n".join(wrapped(f"{outcome.slug}: not refined: {outcome.error}; the story file is unchanged.", 2, ""))
    answer, target = outcome.answer, outcome.target
    low, high = target.window
    words, seconds = outcome.words, outcome.seconds
    verdict = "within" if outcome.within_window else "outside"
    lines = wrapped(f"{outcome.slug}: refined, {words} words = {seconds:g}s at {target.wpm} wpm, {verdict} the "
                    f"{low}-{high}s target{how(answer)}", 2, "")
    lines += [line for change in answer.value.changes for line in _item(f"changed: {change}")]
    added = ", ".join(_counted(n, what) for what, n in outcome.merge.added.items() if n)
    lines += _item(f"added: {added or 'nothing new'}")
    if replaced := ", ".join(_counted(n, what) for what, n in outcome.merge.replaced.items() if n):
        lines += _item(f"replaced coach's earlier: {replaced} (kept under ## History)")
    if outcome.merge.kept_previous:
        lines += _item("the previous version is kept under ## History")
    lines += [line for sentence in outcome.unsupported
              for line in _item(f'not found in your material: "{sentence}" (added to the coaching notes: confirm it '
                                "or cut it)")]
    lines += _other_doubts(outcome)
    lines += [line for f in outcome.findings
              for line in wrapped(f"{f.code}: {f.message}", 11, f"  {f.severity:<7}")] or ["  check: no findings"]
    return "\n".join(lines)


def _other_doubts(outcome) -> list[str]:
    """List the doubts the refine was kept with that the lines above do not already name (a follow-up's, say)."""
    return doubt_lines(unshown(outcome.answer.doubts, outcome.unsupported))


def unshown(doubts: list[str], sentences: list[str]) -> list[str]:
    """Return the doubts that quote none of the sentences a view already shows as not found in the material."""
    shown = [f'"{sentence}"' for sentence in sentences]
    return [doubt for doubt in doubts if not any(quoted in doubt for quoted in shown)]


def _counted(n: int, what: str) -> str:
    """Return "1 hook" or "3 hooks": a count with its noun ("pacing" and "tone" stay as they are)."""
    what = what.replace("_", " ")
    return f"{n} {what[:-1] if n == 1 and what.endswith('s') else what}"


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
        "generate": f"Added {len(outcome.changed)} follow-up{'s' * (len(outcome.changed) != 1)}: {ids}{how(outcome.answer)}.",
        "regenerate": f"Rewrote {ids}; each earlier answer is kept under ## History{how(outcome.answer)}." if ids
        else "Nothing regenerated.",
        "pin": f"Pinned {ids}: `--regenerate --all` leaves {them} alone.",
        "unpin": f"Unpinned {ids}.",
        "remove": f"Removed {ids}; each question and answer is kept under ## History.",
    }.get(outcome.action)
    lines = ["", *wrapped(summary, 0, "")] if summary else []
    if outcome.answer is not None and outcome.answer.doubts:
        shown = [sentence for sentences in outcome.unsupported.values() for sentence in sentences]
        lines += doubt_lines(unshown(outcome.answer.doubts, shown), 0)
    if outcome.skipped:
        lines += wrapped("Left alone: " + ", ".join(f"{fid} ({why})" for fid, why in outcome.skipped.items())
                         + ". Name an id to regenerate it anyway.", 0)
    return lines


def analysis_view(outcome, accepted: int = 0) -> str:
    """Render what `coach analyze` proposes and which questions only the user can answer."""
    story = outcome.story
    total = len(story.questions())
    answered = total - len(story.unanswered())
    lines = wrapped(f"{outcome.slug}: {story.title} · {answered} of {total} extraction questions answered{how(outcome.answer)}", 0)
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
        lines += ["", *wrapped("Gaps your draft does not answer, as the model reads it (write these yourself):"
                               if story.draft.strip() else
                               "No draft yet: write it under ## Draft and run `coach analyze` again, or answer these "
                               "yourself:", 0)]
        for item in outcome.gaps:
            lines += wrapped(item.question, 6, f"  {item.number}.")
            if item.missing:
                lines += wrapped(f"missing: {item.missing}", 8)
    lines += _unsettled(outcome)
    if not outcome.questions:
        lines += ["", "Every extraction question has an answer."]
    return "\n".join(lines)


def _unsettled(outcome) -> list[str]:
    """List the questions the model's answer left unsettled, saying it was the model, with the doubts it was kept with."""
    if not outcome.unsettled:
        return []
    lines = ["", *wrapped(f"Not settled by the model (nothing is known about your draft here: answer these yourself, "
                          f"or run `coach analyze {outcome.slug}` again):", 0)]
    for item in outcome.unsettled:
        lines += wrapped(item.question, 6, f"  {item.number}.")
        lines += wrapped(item.missing, 8)
    doubted = doubt_lines(outcome.answer.doubts if outcome.answer is not None else [], 0)
    return [*lines, "", *doubted] if doubted else lines


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


