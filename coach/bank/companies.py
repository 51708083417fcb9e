"""Company profiles: found by any common spelling of a company's name (the bank's own `companies/` first), listed
with their sources, and the values a person types for a company coach has no profile of."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import yaml
from pydantic import ValidationError

from coach.bank.bounded import SETTINGS_LIMIT, RefusedYAML, load_yaml
from coach.bank.folder import read_text, slugify
from coach.bank.settings import CompanyProfile, CompanyValue
from coach.errors import CatalogError, CoachError, StoryFormatError

BUILT_IN = Path(__file__).parent / "data" / "companies"
VALUES_FORMAT = '--values "Name: meaning; Name: meaning"'


@dataclass(frozen=True)
class Profile:
    """A company profile with the file it was read from, and whether that file is the bank's own."""

    path: Path
    profile: CompanyProfile
    own: bool

    @property
    def key(self) -> str:
        """Return the name the profile is stored under, e.g. `goldman-sachs`."""
        return self.path.stem

    def as_dict(self) -> dict:
        """Return the profile as plain data for JSON output."""
        data = self.profile.model_dump(mode="json", include={"name", "aliases", "values", "source"})
        return {"name": data["name"], "key": self.key, "own": self.own, "file": str(self.path),
                "aliases": data["aliases"], "values": data["values"], "source": data["source"]}


def company_key(name: str) -> str:
    """Return the form two spellings of one company name share: `Goldman Sachs`, `goldman-sachs` -> `goldmansachs`."""
    return slugify(name, fallback="").replace("-", "")


def read_profile(path: Path) -> CompanyProfile:
    """Read one company profile file, naming the file in one sentence when it is not a valid profile."""
    try:
        return CompanyProfile.model_validate(load_yaml(read_text(path, limit=SETTINGS_LIMIT, what="a company file")))
    except RefusedYAML as error:
        raise StoryFormatError(path, str(error.problem), error.line) from None
    except (yaml.YAMLError, ValidationError) as error:
        raise StoryFormatError(path, f"is not a valid company file: {error}".splitlines()[0]) from None


@cache
def built_in_profiles() -> tuple[Profile, ...]:
    """Return every profile shipped with coach, by file name (read once per process)."""
    return tuple(Profile(path, read_profile(path), False) for path in sorted(BUILT_IN.glob("*.yaml")))


def own_paths(bank_root: Path | None) -> list[Path]:
    """Return the company files of the bank's own `companies/` folder, by name."""
    folder = bank_root / "companies" if bank_root is not None else None
    return sorted(p for p in folder.glob("*.yaml") if p.is_file()) if folder is not None and folder.is_dir() else []


def _answers_to(profile: CompanyProfile, key: str) -> bool:
    """Say whether a profile's name or one of its other names is spelt as key."""
    return key in {company_key(name) for name in (profile.name, *profile.aliases)}


def find_profile(name: str, bank_root: Path | None = None) -> Profile | None:
    """Return the profile a company name means, or None: the bank's own file first, then coach's, by file name, then
    by the profile's name or another name it goes by (`facebook` is Meta)."""
    key = company_key(name)
    if not key:
        return None
    own = own_paths(bank_root)
    for path in own:
        if company_key(path.stem) == key:
            return Profile(path, read_profile(path), True)
    built_in = built_in_profiles()
    for profile in built_in:
        if company_key(profile.key) == key:
            return profile
    for path in own:
        try:
            found = read_profile(path)
        except StoryFormatError:
            continue  # a broken file of the bank's is named when it is asked for by its own name
        if _answers_to(found, key):
            return Profile(path, found, True)
    return next((profile for profile in built_in if _answers_to(profile.profile, key)), None)


def all_profiles(bank_root: Path | None = None) -> list[Profile]:
    """Return the bank's own profiles and coach's, by name; a bank's file hides coach's of the same name."""
    own = [Profile(path, read_profile(path), True) for path in own_paths(bank_root)]
    taken = {company_key(profile.key) for profile in own}
    built_in = [profile for profile in built_in_profiles() if company_key(profile.key) not in taken]
    return sorted([*own, *built_in], key=lambda profile: (profile.profile.name.casefold(), not profile.own))


def require_profile(name: str, bank_root: Path | None = None) -> Profile:
    """Return the profile a company name means, or stop with one sentence saying where profiles are listed."""
    profile = find_profile(name, bank_root)
    if profile is None:
        close = meant(name, bank_root)
        guess = f" (did you mean {close}?)" if close else ""
        raise CatalogError(f"coach has no profile of '{name}'{guess}; `coach companies` lists the built-in ones")
    return profile


def meant(name: str, bank_root: Path | None = None) -> str:
    """Return the profile name a mistyped company name most likely means (`Airbn` is Airbnb), or ""."""
    from difflib import get_close_matches

    key = company_key(name)
    names = {company_key(other): profile.profile.name for profile in all_profiles(bank_root)
             for other in (profile.profile.name, *profile.profile.aliases)}
    found = get_close_matches(key, list(names), n=1, cutoff=0.8) if key else []
    return names[found[0]] if found else ""


def parse_value(text: str, where: str = "--values") -> CompanyValue:
    """Read one value written `Name: meaning` (the meaning may be left out)."""
    name, _, meaning = text.partition(":")
    if not name.strip():
        raise CoachError(f'{where}: "{text.strip()}" has no name before its colon; write each value as Name: meaning')
    return CompanyValue(name=" ".join(name.split()), meaning=" ".join(meaning.split()))


def parse_values(text: str) -> list[CompanyValue]:
    """Read --values: `Name: meaning` items separated by semicolons, each name once."""
    values = [parse_value(item) for item in text.split(";") if item.strip()]
    if not values:
        raise CoachError(f"--values is empty; give the company's values as {VALUES_FORMAT}")
    seen: set[str] = set()
    for value in values:
        if value.name.casefold() in seen:
            raise CoachError(f"--values names {value.name} twice; give each value once")
        seen.add(value.name.casefold())
    return values


def ask_values(company: str, ask: Callable[[str], str], say: Callable[[str], None]) -> list[CompanyValue]:
    """Ask for a company's values one line at a time, `Name: meaning`, until an empty line.

    End of input stops with nothing chosen (CoachError); Ctrl-C is the caller's KeyboardInterrupt."""
    say(f"coach has no profile of {company}. Type its values, one a line as Name: meaning; an empty line ends.")
    values: list[CompanyValue] = []
    while True:
        try:
            line = ask(f"Value {len(values) + 1}: ")
        except EOFError:
            raise CoachError("input ended before the empty line that ends the values; nothing was written") from None
        if not line.strip():
            break
        try:
            value = parse_value(line, where="that line")
        except CoachError as error:
            say(f"{str(error)[:1].upper()}{str(error)[1:]}.")
            continue
        if value.name.casefold() in {v.name.casefold() for v in values}:
            say(f"{value.name} is already there; type another value, or an empty line to end.")
            continue
        values.append(value)
    if not values:
        raise CoachError(f"no values were typed, so nothing was written; run it again and type at least one, or pass "
                         f"{VALUES_FORMAT}")
    return values
