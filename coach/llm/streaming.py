"""Reading a streamed answer (server-sent chunks) as it arrives: its words, its end, its token counts, and a stream
that breaks off or ends unfinished."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from coach.errors import LLMError
from coach.llm.failures import first_words
from coach.llm.jobs import Cancelled

if TYPE_CHECKING:
    from coach.llm.calllog import CallRecord
    from coach.llm.jobs import Stop
    from coach.llm.settings import LLMSettings


class BrokenStream(LLMError):
    """A streamed answer stopped before its end; `text` holds the words that had arrived (already shown)."""

    def __init__(self, message: str, text: str):
        super().__init__(message)
        self.text = text


def read_stream(stream, on_text: Callable[[str], None], record: CallRecord, stop: Stop, settings: LLMSettings) -> str:
    """Return the whole text of a streamed answer, handing each piece to on_text as it arrives and adding the token
    counts a last chunk carries to record; an endpoint that answered at once (no streaming) is read whole."""
    if getattr(stream, "choices", None) is not None:  # the endpoint does not stream: the whole answer at once
        usage = getattr(stream, "usage", None)
        record.tokens_in += getattr(usage, "prompt_tokens", 0) or 0
        record.tokens_out += getattr(usage, "completion_tokens", 0) or 0
        text = (stream.choices[0].message.content or "") if stream.choices else ""
        on_text(text)
        return text
    parts: list[str] = []
    finished = False
    try:
        for chunk in stream:
            if stop.is_set():
                raise Cancelled()
            usage = getattr(chunk, "usage", None)
            if usage:
                record.tokens_in += getattr(usage, "prompt_tokens", 0) or 0
                record.tokens_out += getattr(usage, "completion_tokens", 0) or 0
            for choice in chunk.choices or []:
                text = getattr(choice.delta, "content", None) or ""
                if text:
                    parts.append(text)
                    on_text(text)
                if choice.finish_reason == "content_filter":
                    raise LLMError("the endpoint's content filter blocked the answer; try another model")
                finished = finished or bool(choice.finish_reason)
    except (LLMError, Cancelled):
        raise
    except Exception as error:
        raise BrokenStream(f"{settings.host} broke off its answer ({first_words(error, settings.secrets)})",
                           "".join(parts)) from None
    if not finished:
        raise BrokenStream(f"{settings.host} ended its answer without finishing it", "".join(parts))
    return "".join(parts)
