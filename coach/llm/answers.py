"""A model's answer: its JSON schema, parsing and validation, the re-ask message, and what to say when answers
keep failing or an answer is cut off."""

from __future__ import annotations

import json
import re
from collections import Counter
from functools import cache
from typing import TypeVar

from pydantic import BaseModel, ValidationError

T = TypeVar("T", bound=BaseModel)
LOOP_SHINGLE, LOOP_REPEATS, LOOP_TAIL = 40, 3, 3_000
JSON_KEYS = {"text", "sources", "question", "answer", "hooks", "key", "words", "follow", "ups"}
MAX_DEPTH = 32  # every answer coach asks for is three or four levels deep; Python's parser gives up near 1,000


class Doubt(str):
    """A problem worth a re-ask that does not sink the answer: once re-asks run out, the answer is kept with it."""


class InvalidOutput(Exception):
    """The model answered, but not with something the method accepts."""

    def __init__(self, errors: list[str], content: str, value: BaseModel | None = None, parsed: bool = True):
        super().__init__("; ".join(errors))
        self.errors = errors
        self.content = content
        self.value = value  # the parsed answer, when only the method's check failed
        self.parsed = parsed  # False when the content was not JSON: it is then never sent back

    @property
    def only_doubts(self) -> bool:
        """Return True when the answer parsed and every problem is a doubt."""
        return self.value is not None and all(isinstance(error, Doubt) for error in self.errors)


def strict_schema(model: type[BaseModel]) -> dict:
    """Return the model's JSON schema in the strict form structured outputs require (a fresh copy each time)."""
    return json.loads(_strict_schema_text(model))


@cache
def _strict_schema_text(model: type[BaseModel]) -> str:
    """Build a model's strict schema once a process (1-3 ms each time otherwise: every call, every re-ask)."""
    schema = model.model_json_schema()

    def tighten(node):
        if isinstance(node, dict):
            node.pop("title", None)
            node.pop("default", None)
            if node.get("type") == "object" and "properties" in node:
                node["additionalProperties"] = False
                node["required"] = list(node["properties"])
            for value in node.values():
                tighten(value)
        elif isinstance(node, list):
            for item in node:
                tighten(item)

    tighten(schema)
    return json.dumps(schema)


def parse_content(content: str, model: type[T], check=None) -> T:
    """Parse and validate a model answer; raise InvalidOutput listing every problem."""
    text = unfenced(content or "")
    too_deep = [f"the answer is not valid JSON for coach (its brackets nest more than {MAX_DEPTH} levels deep)"]
    if nesting(text) > MAX_DEPTH:
        raise InvalidOutput(too_deep, content, parsed=False)
    try:
        value = model.model_validate(json.loads(text))
    except json.JSONDecodeError as error:
        raise InvalidOutput([f"the answer is not valid JSON ({error.msg} at character {error.pos})"], content, parsed=False) from None
    except RecursionError:  # what the count above missed: never a traceback
        raise InvalidOutput(too_deep, content, parsed=False) from None
    except ValidationError as error:
        problems = [f"{'.'.join(str(p) for p in e['loc']) or 'answer'}: {e['msg']}" for e in error.errors()]
        raise InvalidOutput(problems, content) from None
    problems = check(value) if check else []
    if problems:
        raise InvalidOutput(problems, content, value)
    return value


def unfenced(content: str) -> str:
    """Return an answer without the Markdown fence some models wrap JSON in (string operations: linear in length)."""
    text = content.strip()
    if text.startswith("```"):
        text = text[3:]
        text = text[4:] if text.startswith("json") else text
    if text.endswith("```"):
        text = text[:-3]
    return text.strip()


def nesting(text: str) -> int:
    """Return how deep the brackets of a JSON text nest (brackets inside strings left out), in one pass."""
    if text.count("[") + text.count("{") <= MAX_DEPTH:
        return 0  # too few brackets to nest too deep: most answers are not scanned
    depth = deepest = 0
    quoted = False
    for token in re.findall(r'\\[\s\S]|["\[\]{}]', text):  # an escape pair is one token: \" never closes a string
        if token == '"':
            quoted = not quoted
        elif quoted or token[0] == "\\":
            continue
        elif token in "[{":
            depth += 1
            if depth > deepest:
                deepest = depth
                if deepest > MAX_DEPTH:
                    break
        else:
            depth -= 1
    return deepest


def reask_message(invalid: InvalidOutput) -> dict[str, str]:
    """Return the message that quotes validation errors back to the model."""
    listed = "\n".join(f"- {error}" for error in invalid.errors)
    shown = "" if invalid.parsed else " (it was not JSON, so it is not repeated here)"
    return {
        "role": "user",
        "content": f"Your previous answer{shown} was rejected for these reasons:\n{listed}\n\n"
        "Answer again with the complete JSON object, fixing every problem listed. Use only facts from the story material.",
    }


PROBLEMS = "The last answer's problems, as coach told the model:"  # the head of the list under a rejection
SHOWN_REASON = 300  # characters of one reason in the error; the call log keeps it whole
CAUSES = (  # why answers keep failing, each with what the user can do about it, most telling first
    ("json", r"not valid JSON|: (?:Field required|Input should be)",
     "the model does not write the JSON asked for: use a stronger model (COACH_MODEL)"),
    ("facts", r"unsupported-(?:number|name)|not in the candidate's (?:material|draft or answers)|does not carry it",
     "the model keeps adding facts your material does not have: if they are true, add them to your extraction "
     "answers; if not, run again or use a stronger model"),
    ("budget", r"words; it must have", "the model keeps missing the word budget: run again, widen the window with "
     "--target, or use a stronger model"),
    ("evidence", r"\bevidence\b|score is", "the model does not quote your answer as its evidence or scores out of "
     "range: run again, or use a stronger model (COACH_MODEL)"),
)


def rejection(errors: list[str], attempts: int, repeated: bool) -> str:
    """Say why the answers were rejected: advice fit for the cause, then every reason, numbered and shortest first
    (each cut at SHOWN_REASON characters), as coach put it to the model."""
    reasons = sorted(dict.fromkeys(errors), key=len)
    times = "once" if attempts == 1 else f"{attempts} times"
    how = ("the model gave the same rejected answer twice" if repeated else
           f"the model's answer failed the method's checks {times}")
    shown = [reason if len(reason) <= SHOWN_REASON else reason[: SHOWN_REASON - 1] + "…" for reason in reasons]
    listed = "\n".join(f"  {n}. {reason}" for n, reason in enumerate(shown, 1))
    return f"{how}; {advice(reasons)}. {PROBLEMS}\n{listed}"


def advice(reasons: list[str]) -> str:
    """Return what to do about answers that keep failing: the advice of the cause most of the reasons share (the
    most telling on a tie), or a general word when no cause has half of them."""
    counts = {name: sum(bool(re.search(pattern, reason)) for reason in reasons) for name, pattern, _ in CAUSES}
    best = max(CAUSES, key=lambda cause: counts[cause[0]])  # max keeps the first of equals: the most telling
    if counts[best[0]] and counts[best[0]] * 2 >= len(reasons):
        return best[2]
    if counts[best[0]]:
        return "the model's answers break several of the method's rules: run again, or use a stronger model (COACH_MODEL)"
    return "run again, or use a stronger model (COACH_MODEL)"


def loops(content: str) -> bool:
    """Return True when the end of an answer repeats itself: a model stuck in a loop, not one short of tokens.

    Only words count: JSON's indentation, braces and keys repeat in every answer.
    """
    tail = " ".join(re.findall(r"[^\W\d_]+", content[-LOOP_TAIL:]))
    shingles = Counter(tail[i : i + LOOP_SHINGLE] for i in range(0, max(0, len(tail) - LOOP_SHINGLE)))
    shingles = Counter({text: n for text, n in shingles.items() if not _json_keys_only(text)})
    return bool(shingles) and shingles.most_common(1)[0][1] >= LOOP_REPEATS


def _json_keys_only(text: str) -> bool:
    return set(text.split()) <= JSON_KEYS
