"""The view of `coach prompts`: each prompt, where it comes from and what it is for, then the bank's own files'
problems."""

from __future__ import annotations

from coach.display.layout import counted, wrapped


def prompts_view(listing) -> str:
    """Render the prompts: one paragraph each, then what is wrong with the bank's own files and how to start one."""
    lines = []
    for prompt in listing.prompts:
        origin = "coach's" if not prompt.own else f"{prompt.path}" + (", extending coach's" if prompt.extends else "")
        parts = [part for part in prompt.bank_files if part != str(prompt.path)]
        if parts:
            origin += f", with the bank's {', '.join(parts)}"
        lines += wrapped(f"{prompt.name} ({origin})", 2, "")
        lines += wrapped(prompt.purpose, 2)
        lines += wrapped(f"given: {', '.join(prompt.given)}", 2)
    if listing.parts:
        lines += ["", *wrapped(f"Parts of the bank's own that prompts include: "
                               f"{', '.join(str(p) for p in listing.parts)}.", 0, "")]
    if listing.problems:
        lines += ["", f"{counted(len(listing.problems), 'problem')} in {listing.folder}:"]
        for problem in listing.problems:
            lines += wrapped(problem, 9, "  error")
    if not any(p.bank_files for p in listing.prompts) and not listing.parts:
        lines += ["", *wrapped(f"All are coach's own. `coach prompts copy NAME` puts one in {listing.folder} for you "
                               "to edit (`--extend` to change one block and keep the rest of coach's).", 0, "")]
    return "\n".join(lines)
