"""The common questions a mock interview draws on: the built-in bank (`data/questions.yaml`), with a bank's own
`questions.yaml` beside its stories adding questions, or replacing a built-in one of the same wording."""

from __future__ import annotations

from functools import cache
from pathlib import Path

import yaml
from pydantic import ValidationError

from coach.bank.bounded import SAFE_LOADER, SETTINGS_LIMIT, RefusedYAML, load_yaml
from coach.bank.folder import read_text
from coach.bank.settings import CommonQuestion
from coach.errors import StoryFormatError

BUILT_IN = Path(__file__).parent / "data" / "questions.yaml"
OWN = "questions.yaml"  # a bank's own questions, beside its stories
SHAPE = "a list of questions, each like {text: \"Tell me about...\", themes: [conflict], values: [candor], " \
        "rounds: [peer], levels: [mid]}"


def wording(text: str) -> str:
    """Return the key two questions share when they are the same question (case and spacing ignored)."""
    return " ".join(text.split()).casefold().rstrip("?.!")


@cache
def built_in_questions() -> tuple[CommonQuestion, ...]:
    """Return the built-in question bank, read once."""
    return tuple(read_questions(BUILT_IN))


def read_questions(path: Path) -> list[CommonQuestion]:
    """Read a questions file, or raise StoryFormatError naming the file and the line of what is wrong."""
    try:
        text = read_text(path, limit=SETTINGS_LIMIT, what="a questions file")
        data = load_yaml(text)
    except RefusedYAML as error:
        raise StoryFormatError(path, str(error.problem), error.line) from None
    except yaml.MarkedYAMLError as error:
        line = error.problem_mark.line + 1 if error.problem_mark is not None else None
        raise StoryFormatError(path, f"is not valid YAML ({error.problem}); {SHAPE}", line) from None
    if data is None:
        return []
    if not isinstance(data, list):
        raise StoryFormatError(path, f"is not {SHAPE}", 1)
    lines = _item_lines(text)
    questions = []
    for i, item in enumerate(data):
        line = lines[i] if i < len(lines) else None
        if not isinstance(item, dict):
            raise StoryFormatError(path, f"item {i + 1} is not a question; {SHAPE}", line)
        try:
            questions.append(CommonQuestion.model_validate(item))
        except ValidationError as error:
            first = error.errors()[0]
            where = ".".join(str(part) for part in first["loc"])
            raise StoryFormatError(path, f"question {i + 1}: {where}: {first['msg']}", line) from None
    return questions


def _item_lines(text: str) -> list[int]:
    """Return the 1-based line each item of a YAML list starts on."""
    node = yaml.compose(text, Loader=SAFE_LOADER)
    if not isinstance(node, yaml.SequenceNode):
        return []
    return [item.start_mark.line + 1 for item in node.value]


def merged(own: list[CommonQuestion], built_in: tuple[CommonQuestion, ...] | list[CommonQuestion]) -> list[CommonQuestion]:
    """Return the built-in questions with a bank's own in place of those of the same wording, its new ones after."""
    mine = {wording(q.text): q for q in own}
    kept = [mine.pop(wording(q.text), q) for q in built_in]
    return kept + list(mine.values())


def question_bank(bank_root: Path | None = None) -> list[CommonQuestion]:
    """Return the questions a bank practises on: the built-in ones, and its own `questions.yaml` when it has one."""
    built_in = built_in_questions()
    own = bank_root / OWN if bank_root is not None else None
    if own is None or not own.is_file():
        return list(built_in)
    return merged(read_questions(own), built_in)
