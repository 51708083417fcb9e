"""Reports on model calls: a rendered prompt, the call log, one call in full, and what a call cost."""

from __future__ import annotations

from coach.display.layout import table, wrapped


def prompt_text(messages: list[dict[str, str]]) -> str:
    """Render chat messages for --show-prompt."""
    return "\n\n".join(f"--- {m['role']} ---\n{m['content']}" for m in messages) + "\n"


def log_table(calls) -> str:
    """Render recent model calls and their token totals, fitted to the terminal (the host once, if all share it); a
    call is named by what was run, its command and the story it was for (`refine risk`)."""
    if not calls:
        return "No model calls recorded yet."
    hosts = sorted({c.host for c in calls})
    rows = [[str(c.id), c.at.replace("T", " ")[:16], f"{c.command} {c.story}".strip(), c.model, c.host,
             f"{c.tokens_in:,}/{c.tokens_out:,}", f"{c.latency_ms / 1000:.1f}s",
             c.outcome + (f" ({c.attempts} tries)" if c.attempts > 1 else "")]
            for c in calls]
    header = ["id", "at", "command", "model", "host", "tokens", "time", "outcome"]
    if len(hosts) == 1:
        header, rows = [*header[:4], *header[5:]], [[*row[:4], *row[5:]] for row in rows]
    total_in, total_out = sum(c.tokens_in for c in calls), sum(c.tokens_out for c in calls)
    totals = (f"{len(calls)} call{'s' * (len(calls) != 1)}{' to ' + hosts[0] if len(hosts) == 1 else ''}, "
              f"{total_in:,} tokens in, {total_out:,} tokens out.")
    shrink = (1, 2, 6, 3) if len(hosts) == 1 else (1, 2, 4, 7, 3)  # the date and the story wrap before the outcome
    return table(header, rows, shrink=shrink) + "\n\n" + "\n".join(wrapped(totals, 2, ""))


def call_details(call) -> str:
    """Render one logged call: what it cost, how it ended, and the answer it kept with the reasons it was rejected."""
    import json

    about = f" of {call.story}" if call.story else ""
    lines = wrapped(f"call {call.id}: {call.command}{about} with {call.model} at {call.host}, {call.at}", 2, "")
    lines += wrapped(f"{requests(call.attempts)}, {call.tokens_in:,} tokens in, {call.tokens_out:,} out, "
                     f"{call.latency_ms / 1000:.1f}s: {call.outcome}", 2, "")
    if call.prompt:
        lines += wrapped(f"asked with the bank's own prompt {call.prompt}", 2, "")
    if call.detail:
        lines += wrapped(call.detail, 2, "")
    for n, reasons in enumerate(call.reasks, 1):
        lines += ["", f"answer {n} was sent back because:"]
        lines += [line for number, reason in enumerate(reasons, 1) for line in wrapped(reason, 5, f"  {number}.")]
    if call.reasons:
        lines += ["", "kept with these doubts:" if "doubts" in call.outcome else "rejected because:"]
        for n, reason in enumerate(call.reasons, 1):
            lines += wrapped(reason, 5, f"  {n}.")
    if call.content:
        try:
            shown = json.dumps(json.loads(call.content), indent=2, ensure_ascii=False)
        except ValueError:
            shown = call.content
        lines += ["", "the answer:", shown]
    return "\n".join(lines)


def how(answer) -> str:
    """Say in brackets what an answer cost, and that it was kept with doubts when the re-asks left some."""
    if answer is None:
        return ""
    doubted = f"; kept with {doubts(answer)}" if answer.doubts else ""
    if answer.cached:
        return f" (from the cache, no call{doubted})"
    return f" ({requests(answer.attempts)}, {answer.tokens_in:,} tokens in, {answer.tokens_out:,} out{doubted})"


def requests(count: int) -> str:
    """Return "1 request" or "3 requests"."""
    return f"{count} request{'s' * (count != 1)}"


def doubts(answer) -> str:
    """Name how many doubts the model's last answer still had after every re-ask."""
    count = len(answer.doubts)
    return f"{count} doubt{'s' * (count != 1)} the model did not settle"


def doubt_lines(doubts: list[str], indent: int = 2) -> list[str]:
    """List the doubts an answer was kept with, each on its own wrapped lines (none when there are none)."""
    if not doubts:
        return []
    count = len(doubts)
    lines = wrapped(f"Kept with {count} doubt{'s' * (count != 1)} that every re-ask left standing:", indent)
    for n, doubt in enumerate(doubts, 1):
        lines += wrapped(doubt, indent + 4, f"{' ' * indent}{n:>2}.")
    return lines


