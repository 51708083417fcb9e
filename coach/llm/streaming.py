"""Reading a streamed answer (server-sent chunks) as it arrives: its words, its end, its token counts, and a stream
that breaks off, ends unfinished or is cut off by its token budget."""

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


class StreamCutOff(BrokenStream):
    """A streamed answer that ended because it reached its token budget (finish_reason "length"): its words stop
    mid-sentence; `text` holds them (already shown)."""


def _cut_off(text: str, record: CallRecord, settings: LLMSettings) -> StreamCutOff:
    """Return the error of an answer cut off by its token budget, its call logged as "cut off"."""
    record.outcome, record.content = "cut off", text  # the engine logs the error's sentence with it
    return StreamCutOff(f"{settings.host}'s answer was cut off by its token budget (finish_reason=length)", text)


def read_stream(stream, on_text: Callable[[str], None], record: CallRecord, stop: Stop, settings: LLMSettings) -> str:
    """Return the whole text of a streamed answer, handing each piece to on_text as it arrives and adding the token
    counts a last chunk carries to record; an endpoint that answered at once (no streaming) is read whole."""
    if getattr(stream, "choices", None) is not None:  # the endpoint does not stream: the whole answer at once
        usage = getattr(stream, "usage", None)
        record.tokens_in += getattr(usage, "prompt_tokens", 0) or 0
        record.tokens_out += getattr(usage, "completion_tokens", 0) or 0
        text = (stream.choices[0].message.content or "") if stream.choices else ""
        on_text(text)
        if stream.choices and stream.choices[0].finish_reason == "length":
            raise _cut_off(text, record, settings)
        return text
    parts: list[str] = []
    finished = cut = False
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
                cut = cut or choice.finish_reason == "length"
    except (LLMError, Cancelled):
        raise
    except Exception as error:
        raise BrokenStream(f"{settings.host} broke off its answer ({first_words(error, settings.secrets)})",
                           "".join(parts)) from None
    if not finished:
        raise BrokenStream(f"{settings.host} ended its answer without finishing it", "".join(parts))
    if cut:
        raise _cut_off("".join(parts), record, settings)
    return "".join(parts)
