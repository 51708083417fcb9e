"""Prompt templates: Jinja files in prompts/, each with a system and a user block, StrictUndefined."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

import jinja2

from coach.errors import CoachError

PACKAGE = Path(__file__).parent.parent  # the coach package


def prompts_dir() -> Path:
    """Return the prompts folder: inside the installed package, or beside it in a source checkout."""
    for candidate in (PACKAGE / "prompts", PACKAGE.parent / "prompts"):
        if candidate.is_dir():
            return candidate
    raise CoachError("the prompts folder is missing from this installation; reinstall coach")


@lru_cache(maxsize=1)
def _environment() -> jinja2.Environment:
    return jinja2.Environment(
        loader=jinja2.FileSystemLoader(prompts_dir()),
        undefined=jinja2.StrictUndefined,
        autoescape=False,
        keep_trailing_newline=False,
        trim_blocks=True,
        lstrip_blocks=True,
    )


def render_prompt(name: str, **variables) -> list[dict[str, str]]:
    """Render prompts/NAME.jinja into chat messages; story text is passed as data, never compiled."""
    try:
        template = _environment().get_template(f"{name}.jinja")
        context = template.new_context(variables)
        messages = []
        for role in ("system", "user"):
            if role not in template.blocks:
                raise CoachError(f"prompts/{name}.jinja has no {{% block {role} %}}; add one")
            text = "".join(template.blocks[role](context)).strip()
            messages.append({"role": role, "content": text})
        return messages
    except jinja2.TemplateNotFound:
        raise CoachError(f"no prompt named '{name}' in {prompts_dir()}") from None
    except jinja2.UndefinedError as error:
        raise CoachError(f"prompts/{name}.jinja uses an undefined variable: {error.message}") from None
    except jinja2.TemplateSyntaxError as error:
        raise CoachError(f"prompts/{name}.jinja:{error.lineno}: {error.message}") from None
