"""`coach prompts`: the prompts a bank's model jobs are asked with, coach's own or the bank's `prompts/NAME.jinja`,
what each is given, and a copy of coach's to start a bank's own from."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from coach.errors import CoachError
from coach.llm.prompts import BUILT_IN, OWN, for_bank, given, names
from coach.llm.prompts import built_in as coachs_own

PURPOSES = {  # what each prompt asks the model for, and which command sends it
    "analyze": "reads the draft for answers to the open extraction questions (coach analyze)",
    "feedback": "scores one mock-interview answer, quoting it as evidence (coach interview)",
    "followup-answers": "rewrites the answers to follow-up questions (coach followups --regenerate)",
    "followups": "predicts follow-up questions and answers them (coach followups --generate)",
    "interviewer": "speaks as the interviewer: questions and probes (coach interview)",
    "refine": "writes the refined version to speak, hooks and notes (coach refine)",
}


@dataclass
class Prompt:
    """One prompt as the bank renders it."""

    name: str
    purpose: str
    path: Path  # the file it comes from
    own: bool  # the bank's own file, not coach's
    extends: bool  # the bank's file builds on coach's (`{% extends "coach/NAME.jinja" %}`)
    given: list[str]
    bank_files: list[str] = field(default_factory=list)  # every file of the bank's it renders, parts included

    def as_dict(self) -> dict:
        """Return the prompt as plain data for JSON output."""
        return {"name": self.name, "purpose": self.purpose, "path": str(self.path),
                "from": ("bank, extending coach's" if self.extends else "bank") if self.own else "coach",
                "given": self.given, "bank_files": self.bank_files}


@dataclass
class Listing:
    """Every prompt, the bank's folder of its own, and what is wrong with the files in it."""

    prompts: list[Prompt]
    folder: Path
    problems: list[str] = field(default_factory=list)
    parts: list[Path] = field(default_factory=list)  # the bank's own `_NAME.jinja`, included by other prompts

    def as_dict(self) -> dict:
        """Return the listing as plain data for JSON output."""
        return {"folder": str(self.folder), "prompts": [p.as_dict() for p in self.prompts],
                "parts": [str(p) for p in self.parts], "problems": self.problems}


def list_prompts(root: Path) -> Listing:
    """Return every prompt as the bank at `root` renders it, and the problems of its own files."""
    prompts = for_bank(root)
    shown = []
    for name in names():
        try:
            source = prompts.source(name)
        except CoachError:  # a file that cannot be read: its problem is listed below, coach's is what is shown
            source = prompts.source(name, built_in=True)
        extends = source.own and f'"{BUILT_IN}/{name}.jinja"' in source.text.replace("'", '"')
        shown.append(Prompt(name, PURPOSES.get(name, ""), source.path, source.own, extends, sorted(given(name)),
                            prompts.bank_files(name)))
    parts = [path for path in prompts.own_files() if path.name.startswith("_")]
    return Listing(shown, prompts.own or Path(root) / OWN, prompts.problems(), parts)


def prompt_text(root: Path, name: str, built_in: bool = False) -> str:
    """Return prompt NAME's template as the bank at `root` renders it, or coach's own with built_in."""
    return for_bank(root).source(name, built_in=built_in).text


def starter(name: str, extend: bool) -> str:
    """Return the text `coach prompts copy` writes: coach's template whole, or one extending it that changes a block."""
    if not extend:
        return coachs_own().source(name, built_in=True).text
    import textwrap

    note = (f"The bank's own {name} prompt: coach's, with the blocks below changed. {{{{ super() }}}} is coach's text "
            "of the block, so what you write goes before or after it, and coach's later changes still reach you. "
            f"It is given: {', '.join(sorted(given(name)))}.")
    return (f'{{% extends "{BUILT_IN}/{name}.jinja" %}}\n'
            + "{# " + "\n   ".join(textwrap.wrap(note, 110)) + " #}\n"
            "{% block system %}\n{{ super() }}\n"
            "{# Your own instructions here, as plain text: they are sent to the model after coach's. #}\n"
            "{% endblock %}\n")


def copy_prompt(root: Path, name: str, extend: bool = False) -> Path:
    """Write coach's prompt NAME into the bank's `prompts/` to edit there; never over a file already there."""
    from coach.bank.folder import write_atomic

    if name not in names():
        raise CoachError(f"no prompt named '{name}'; the prompts are: {', '.join(names())}")
    if not Path(root).is_dir():
        raise CoachError(f"{root}: no story bank here; start one with `coach init --company NAME`")
    path = Path(root) / OWN / f"{name}.jinja"
    if path.exists() or path.is_symlink():
        raise CoachError(f"{path} already exists; edit it, or remove it to start again from coach's")
    path.parent.mkdir(exist_ok=True)
    write_atomic(path, starter(name, extend))
    return path
