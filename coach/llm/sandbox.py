"""The sandbox a prompt template renders in: Jinja's immutable sandbox (no Python reachable from a template) with a
budget, so that a template copied from someone else's bank cannot spin or fill the memory: range() steps counted,
no `*` or `**` too large, no lipsum, and a cap on what one render writes."""

from __future__ import annotations

from contextvars import ContextVar

from jinja2.sandbox import ImmutableSandboxedEnvironment, SecurityError, safe_range

OUTPUT_LIMIT = 40_000_000  # characters one render may write: well past a 16 MB story, short of a runaway loop
PRODUCT_LIMIT = 1_000_000  # items a `*` may make of a string or list (`"x" * 10**11` would fill the memory)
STEP_LIMIT = 2_000_000  # numbers a render may take from range(): nested loops that would spin for minutes stop
STEPS: ContextVar[int] = ContextVar("steps", default=0)


def bounded(chunks, written: int, parts: list[str] | None = None) -> int:
    """Consume a render's chunks (kept in parts when given), stopping one that writes past OUTPUT_LIMIT."""
    for chunk in chunks:
        written += len(chunk)
        if written > OUTPUT_LIMIT:
            raise SecurityError(f"it writes more than {OUTPUT_LIMIT:,} characters")
        if parts is not None:
            parts.append(chunk)
    return written


class _Steps:
    """range() for a template: Jinja's sandboxed one, each number it yields counted against the render's budget."""

    def __init__(self, numbers: range):
        self.numbers = numbers

    def __len__(self) -> int:
        return len(self.numbers)

    def __iter__(self):
        for number in self.numbers:
            taken = STEPS.get() + 1
            if taken > STEP_LIMIT:
                raise SecurityError(f"its loops take more than {STEP_LIMIT:,} steps")
            STEPS.set(taken)
            yield number


class Budgeted(ImmutableSandboxedEnvironment):
    """Jinja's sandbox with a budget: no `*` or `**` that would fill the memory, range() counted, no lipsum."""

    intercepted_binops = frozenset({"*", "**"})

    def __init__(self, **options):
        super().__init__(**options)
        self.globals.pop("lipsum", None)
        self.globals["range"] = lambda *bounds: _Steps(safe_range(*bounds))

    def call_binop(self, context, operator, left, right):
        """Refuse a power or a repetition too large for a prompt, then do it as Jinja would."""
        if operator == "**" and isinstance(right, int) and (abs(right) > 64 and not isinstance(left, float)):
            raise SecurityError(f"a power of {right} is too large")
        if operator == "*":
            count, items = (right, left) if isinstance(right, int) else (left, right)
            if isinstance(count, int) and isinstance(items, (str, list, tuple)) and len(items) * count > PRODUCT_LIMIT:
                raise SecurityError(f"repeating something {count:,} times makes it too long")
        return super().call_binop(context, operator, left, right)
