"""Views of the company profiles: the `coach companies` table and one profile's values with their meanings."""

from __future__ import annotations

from pathlib import Path

from coach.bank.companies import Profile
from coach.bank.folder import Bank
from coach.bank.phrases import named_company
from coach.bank.settings import BankSettings
from coach.display.layout import table, wrapped


def quoted(name: str) -> str:
    """Return a name as typed on a command line: in double quotes when it has a space."""
    return f'"{name}"' if " " in name else name


def source_address(profile: Profile) -> str:
    """Return where a profile comes from in a few words: the page's address, or the bank's own file."""
    if profile.own:
        return str(profile.path)
    source = profile.profile.source
    if source is None:
        return "-"
    return source.url.removeprefix("https://").removeprefix("http://").removeprefix("www.").rstrip("/") or "coach's own"


def profile_table(profiles: list[Profile]) -> str:
    """Return `coach companies`: each profile's name, number of values and source, then what to run next."""
    rows = [[profile.profile.name + (" (yours)" if profile.own else ""), str(len(profile.profile.values)),
             source_address(profile)] for profile in profiles]
    listing = table(["company", "values", "source"], rows, shrink=(2,))
    notes = ("`coach companies show NAME` explains a profile's values. `coach init --company NAME` starts a bank "
             "with them; for a company not listed, add --values \"Name: meaning; ...\".")
    return "\n".join([listing, "", *wrapped(notes, 2, "")])


def profile_view(profile: Profile, bank_root: Path) -> str:
    """Return `coach companies show NAME`: the source, then each value with its meaning, then how to use or edit it."""
    found = profile.profile
    lines = wrapped(f"{found.name}: {len(found.values)} value{'s' * (len(found.values) != 1)}", 2, "")
    source = found.source
    if profile.own:
        lines += wrapped(f"Source: your own file, {profile.path}", 2, "")
    elif source is not None:
        address = f", {source.url}" if source.url else ""
        lines += wrapped(f"Source: {source.title}{address} (written {source.written.isoformat()}). {source.note}", 2, "")
    if found.aliases:
        lines += wrapped(f"Also found as: {', '.join(found.aliases)}", 2, "")
    lines.append("")
    for value in found.values:
        lines += [value.name, *wrapped(value.meaning or "(no meaning written)", 2)]
    lines.append("")
    lines += wrapped(f"Start a bank with them: coach init --company {quoted(found.name)}", 2, "")
    if not profile.own:
        lines += wrapped(f"To edit them, copy {profile.path} to {bank_root / 'companies' / profile.path.name}; the "
                         "bank's copy wins.", 2, "")
    return "\n".join(lines)


def init_report(bank: Bank, settings: BankSettings, retag: list[dict], option: str = "") -> str:
    """Return what `coach init` wrote, the stories tagged with none of the company's values (`retag`, as
    `catalog.off_values` found them), then on its own line the one command to run next (`option`: its --stories)."""
    company = named_company(settings.company)
    what = f"for {company}" if company else "for no company in particular"
    count = len(settings.values)
    step = (f"`coach status{option}` shows which values your stories cover." if bank.story_paths() else
            f"`coach new risk{option}` starts your first story.")
    lines = [f"Wrote {bank.settings_path} {what}, with {count} value{'s' * (count != 1)}."]
    for stray in retag:
        best = f" (a {stray['type']} story shows {', '.join(stray['suggested'])} best)" if stray["suggested"] else ""
        whose = f"{company}'s" if company else "the bank's"
        lines.append(f"{stray['story']} is tagged {', '.join(stray['values'])}, none of {whose} values: "
                     f"`coach edit {stray['story']}{option}` and change its `values:` line{best}.")
    return "\n".join([*lines, f"Next: {step}"])
