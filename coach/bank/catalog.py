"""Story types, company profiles and common interview questions, read from data files (the bank's own copies first)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

import yaml
from pydantic import BaseModel, ValidationError

from coach.bank.bounded import SETTINGS_LIMIT, RefusedYAML, load_yaml
from coach.bank.companies import VALUES_FORMAT, ask_values, find_profile, meant, parse_values, require_profile
from coach.bank.folder import Bank, load_story, read_text, slugify
from coach.bank.models import Question, QuestionGroup, Story
from coach.bank.phrases import company_phrase, named_company, role_name
from coach.bank.settings import BankSettings, CommonQuestion, CompanyProfile, StoryType
from coach.errors import CatalogError, CoachError, StoryExists, StoryFormatError

DATA_DIR = Path(__file__).parent / "data"
Model = TypeVar("Model", bound=BaseModel)


def _folders(kind: str, bank_root: Path | None) -> list[Path]:
    folders = [DATA_DIR / kind]
    if bank_root is not None:
        folders.insert(0, bank_root / kind)
    return folders


def _names(kind: str, bank_root: Path | None) -> list[str]:
    names = {p.stem for folder in _folders(kind, bank_root) if folder.is_dir() for p in folder.glob("*.yaml")}
    return sorted(names)


def _load(kind: str, name: str, model: type[Model], bank_root: Path | None) -> Model:
    key = name.strip().lower()
    for folder in _folders(kind, bank_root):
        path = folder / f"{key}.yaml"
        if path.is_file():
            try:
                data = load_yaml(read_text(path, limit=SETTINGS_LIMIT, what=f"a {kind[:-1]} file"))
                return model.model_validate(data)
            except RefusedYAML as error:
                raise StoryFormatError(path, str(error.problem), error.line) from None
            except (yaml.YAMLError, ValidationError) as error:
                raise StoryFormatError(path, f"is not a valid {kind[:-1]} file: {error}".splitlines()[0]) from None
    known = ", ".join(_names(kind, bank_root))
    label = "story type" if kind == "types" else "company"
    raise CatalogError(f"unknown {label} '{name}'; choose one of: {known}")


def story_type_names(bank_root: Path | None = None) -> list[str]:
    """Return the names of every known story type."""
    return _names("types", bank_root)


def company_names(bank_root: Path | None = None) -> list[str]:
    """Return the names of every known company profile."""
    return _names("companies", bank_root)


def unknown_type(story: Story, path: Path, bank_root: Path | None = None) -> str:
    """Return why a story's `type:` names no known story type (naming the file and the known types), or ""."""
    names = story_type_names(bank_root)
    key = story.type.strip().lower()
    if key in names:
        return ""
    own = (bank_root or path.parent) / "types" / f"{key or 'NAME'}.yaml"
    return (f"{path}: `type: {story.type}` is no story type coach knows; set it to one of {', '.join(names)}, "
            f"or describe your own type in {own}")


def require_known_type(story: Story, path: Path, bank_root: Path | None = None) -> None:
    """Refuse a story whose type coach does not know, for commands that work from its type."""
    problem = unknown_type(story, path, bank_root)
    if problem:
        raise CatalogError(problem)


def load_story_type(name: str, bank_root: Path | None = None) -> StoryType:
    """Load a story type by name, e.g. `risk`."""
    return _load("types", name, StoryType, bank_root)


def load_company(name: str, bank_root: Path | None = None) -> CompanyProfile:
    """Load a company profile by any common spelling of its name, e.g. `netflix`, `Meta` or `facebook`."""
    return require_profile(name, bank_root).profile


def find_company(name: str, bank_root: Path | None = None) -> CompanyProfile | None:
    """Return the company profile a name means, or None when there is none."""
    found = find_profile(name, bank_root)
    return found.profile if found else None


def connection_group(kind: StoryType, settings: BankSettings, values: list[str], profile: CompanyProfile | None) -> QuestionGroup:
    """Return the company-specific question group, e.g. "Netflix Connection"."""
    templates = (profile.connection.get(kind.name) if profile else None) or kind.connection
    company = company_phrase(settings.company)
    fill = {"company": company, "role": role_name(settings.role) or "target", "value": values[0] if values else ""}
    no_value = f"Which of {company}'s values does this story show best, and how?"
    texts = [_connection_question(kind, template, fill) if values or "{value}" not in template else no_value
             for template in templates]
    heading = f"{named_company(settings.company) or 'Company'} Connection"
    return QuestionGroup(heading=heading, questions=[Question(text=text) for text in dict.fromkeys(texts)])


def _connection_question(kind: StoryType, template: str, fill: dict[str, str]) -> str:
    """Fill a connection question's {company}, {role} ("the {role} role") and {value}."""
    try:
        return template.format(**fill)
    except (KeyError, IndexError, ValueError) as error:
        raise CatalogError(f"the {kind.name} story type's connection question \"{template}\" has a placeholder it cannot "
                           f"fill ({error}); use only {{company}}, {{role}} and {{value}}") from None


def new_story(kind: StoryType, settings: BankSettings, title: str | None = None, bank_root: Path | None = None) -> Story:
    """Build an empty story of a type: its questions, and the values the bank's company ties to it."""
    profile = find_company(settings.company, bank_root)
    fitting = fitting_values(kind, settings, profile)
    groups = [group.model_copy(deep=True) for group in kind.groups]
    groups.append(connection_group(kind, settings, fitting, profile))
    values = fitting or [value.name for value in settings.values]  # none fits: all of them, for the user to trim
    return Story(title=title or kind.title, type=kind.name, values=values, extraction=groups)


def fitting_values(kind: StoryType, settings: BankSettings, profile: CompanyProfile | None) -> list[str]:
    """Return the values the company profile ties to a story type, as the bank's coach.yaml spells them.

    A bank without values takes the profile's; one whose values the profile does not tie to the type gets none."""
    tied = list(profile.story_values.get(kind.name, [])) if profile else []
    if not settings.values:
        return tied
    spelt = {value.name.casefold(): value.name for value in settings.values}
    return [spelt[name.casefold()] for name in tied if name.casefold() in spelt]


def init_bank(bank: Bank, company: str, role: str = "", force: bool = False, values: str | None = None,
              ask: Callable[[str], str] | None = None, say: Callable[[str], None] = print) -> BankSettings:
    """Write a bank's coach.yaml for a company: its built-in profile's values, else --values, else values asked for
    one a line (when `ask` is given); nothing is written when none of these gives values."""
    name = " ".join(company.split())
    if not name:
        raise CoachError("--company is empty; name the company you are preparing for, e.g. --company Stripe")
    if bank.settings_path.exists() and not force:
        raise StoryExists(f"{bank.settings_path} already exists; edit it, or pass --force to replace it")
    bank.refuse_inside()
    found = find_profile(name, bank.root)
    close = meant(name, bank.root) if found is None and values is None else ""
    if close and ask is not None:  # likely a typo (Airbn), perhaps a company of its own (Strive): the user says
        if ask(f"coach has no profile of {name}; did you mean {close}? [y/N] ").strip().lower() in ("y", "yes"):
            found, name = find_profile(close, bank.root), close
    elif close:
        named = f'"{close}"' if " " in close else close
        own = bank.root / "companies" / f"{slugify(name, fallback='company')}.yaml"
        raise CatalogError(f"coach has no profile of {name}; did you mean {close}? Run `coach init --company {named}`; "
                           f"for a company of its own, pass its values with {VALUES_FORMAT} or describe it in {own}")
    if values is not None:
        chosen = parse_values(values)
    elif found is not None:
        chosen = found.profile.values
    elif ask is not None:
        chosen = ask_values(name, ask, say)
    else:
        own = bank.root / "companies" / f"{slugify(name, fallback='company')}.yaml"
        raise CatalogError(f"coach has no profile of {name}; pass its values with {VALUES_FORMAT}, describe it in "
                           f"{own}, or pick a built-in profile (`coach companies` lists them)")
    settings = BankSettings(company=found.profile.name if found else name, role=role, values=chosen)
    bank.save_settings(settings)
    return settings


def off_values(bank: Bank, settings: BankSettings) -> list[dict]:
    """Return the bank's stories tagged with none of the company's values (written before `coach init` chose the
    company, or for another one): each with its values and the ones its type shows best here, to retag it by hand."""
    ours = {value.name.casefold() for value in settings.values}
    if not ours:
        return []
    profile = find_company(settings.company, bank.root)
    found = []
    for path, story in bank.stories():
        if story.values and not any(value.casefold() in ours for value in story.values):
            try:
                best = fitting_values(load_story_type(story.type, bank.root), settings, profile)
            except CoachError:  # a type coach does not know: `coach check` says so
                best = []
            found.append({"story": path.stem, "type": story.type, "values": story.values, "suggested": best})
    return found


def written_settings(bank: Bank) -> dict:
    """Return the bank's coach.yaml as plain data for JSON output, with its path and the stories to retag."""
    settings = bank.settings()
    return {"file": str(bank.settings_path), **settings.model_dump(mode="json"), "retag": off_values(bank, settings)}


def story_stem(kind: StoryType, title: str | None, bank_root: Path | None = None) -> str:
    """Return the file name stem of a new story: its title's slug, or its type's name when it has no title."""
    if title is None:
        return slugify(kind.name)
    example = '--title "Shipping weekly"'
    if not title.strip():
        raise CoachError(f"--title is empty; give the story a title in words, e.g. {example}")
    stem = slugify(title, fallback="")
    if not stem:
        raise CoachError(f'--title "{title}" has no letters or digits to name the file with; use words, e.g. {example}')
    if stem != kind.name and stem in story_type_names(bank_root):
        raise CoachError(f'--title "{title}" would name the file {stem}.md, and `coach practice {stem}` would then mean '
                         f"this {kind.name} story, not your {stem} story; choose a title that says more, e.g. {example}")
    return stem


def create_story(bank: Bank, type_name: str, title: str | None = None, force: bool = False) -> Path:
    """Write a new story file skeleton for a story type and return its path; a bank with no coach.yaml yet is sent to
    `coach init` first, so that the story takes the company's values rather than the generic ones."""
    kind = load_story_type(type_name, bank.root)
    title = title.strip() if title is not None else None
    path = bank.root / f"{story_stem(kind, title, bank.root)}.md"
    if path.exists() and not force:
        if title is None:
            raise StoryExists(f"{path} already exists; pass --title to name a second {kind.name} story, or --force to overwrite")
        raise StoryExists(f'{path} already exists and --title "{title}" names the same file; choose another title, '
                          "or pass --force to overwrite it")
    if not bank.settings_path.exists() and not bank.settings_path.is_symlink():
        bank.refuse_inside()
        where = "no story bank here" if not bank.root.is_dir() else "no coach.yaml here yet"
        option = "" if str(bank.root) == "stories" else f" --stories {bank.root}"
        raise CoachError(f"{bank.root}: {where}; start with `coach init --company NAME{option}` (the company you are "
                         f"preparing for; `coach init{option}` alone for none in particular), then "
                         f"`coach new {kind.name}{option}`")
    bank.save(path, new_story(kind, bank.settings(), title, bank.root), create=True, force=force)
    return path


def created(path: Path) -> dict:
    """Return the story file `coach new` wrote as plain data for JSON output."""
    story = load_story(path)
    return {"file": str(path), "story": path.stem, "title": story.title, "type": story.type, "values": story.values,
            "questions": len(story.questions())}


def common_questions(bank_root: Path | None = None) -> list[CommonQuestion]:
    """Return the common behavioral questions, tagged by theme, value, round and level: the built-in bank, with the
    bank's own `questions.yaml` adding to it or replacing questions of the same wording."""
    from coach.bank.questionbank import question_bank

    return question_bank(bank_root)
