"""Reports on model calls: a rendered prompt, the call log, one call in full, and what a call cost."""

from __future__ import annotations

from coach.display.layout import table


def prompt_text(messages: list[dict[str, str]]) -> str:
    """Render chat messages for --show-prompt."""
    return "\n\n".join(f"--- {m['role']} ---\n{m['content']}" for m in messages) + "\n"


def log_table(calls) -> str:
    """Render recent model calls and their token totals, fitted to the terminal."""
    if not calls:
        return "No model calls recorded yet."
    rows = [[str(c.id), c.at.replace("T", " ")[:16], c.command, c.model, c.host, f"{c.tokens_in:,}/{c.tokens_out:,}",
             f"{c.latency_ms / 1000:.1f}s", c.outcome + (f" ({c.attempts} tries)" if c.attempts > 1 else "")]
            for c in calls]
    header = ["id", "at", "command", "model", "host", "tokens", "time", "outcome"]
    total_in, total_out = sum(c.tokens_in for c in calls), sum(c.tokens_out for c in calls)
    totals = f"{len(calls)} call{'s' * (len(calls) != 1)}, {total_in:,} tokens in, {total_out:,} tokens out."
    return table(header, rows, shrink=(5, 4, 3, 7, 1, 2)) + "\n\n" + totals


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


def how(answer) -> str:
    if answer is None:
        return ""
    if answer.cached:
        return " (from the cache, no call)"
    return f" ({answer.attempts} request(s), {answer.tokens_in:,} tokens in, {answer.tokens_out:,} out)"


