"""The transport retry policy: 429s and 5xx back off (honouring Retry-After); a timeout or a refused connection is
retried once, because a dead or overloaded local server stays so."""

from __future__ import annotations

from tenacity.wait import wait_base, wait_exponential_jitter

from coach.llm.failures import is_timeout, is_transient, is_unreachable, retry_after

UNREACHABLE_WAIT = 0.5


class wait_retry_after(wait_base):
    """Wait as long as the server's Retry-After says, briefly after a refused connection, else back off."""

    def __init__(self, fallback: wait_base | None = None, cap: float = 60.0):
        self.fallback = fallback or wait_exponential_jitter(initial=1, max=20)
        self.cap = cap

    def __call__(self, retry_state) -> float:
        error = retry_state.outcome.exception() if retry_state.outcome else None
        if is_unreachable(error):
            return UNREACHABLE_WAIT
        told = retry_after(error)
        return min(told, self.cap) if told is not None else self.fallback(retry_state)


class retry_transient:
    """Retry 429s and 5xx; a timeout or a refused connection only once (a dead server stays dead)."""

    def __init__(self):
        self.once: set[str] = set()

    def __call__(self, retry_state) -> bool:
        error = retry_state.outcome.exception() if retry_state.outcome else None
        if not is_transient(error):
            return False
        kind = "timeout" if is_timeout(error) else "unreachable" if is_unreachable(error) else ""
        if kind:
            if kind in self.once:
                return False
            self.once.add(kind)
        return True
