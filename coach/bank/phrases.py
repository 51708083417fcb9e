"""How the bank's company and role read inside a sentence, whether the bank names them or not."""

from __future__ import annotations

GENERIC_COMPANY = "generic"  # the profile for no company in particular


def named_company(company: str) -> str:
    """Return the company's name, or "" when the bank targets no company in particular (the generic profile)."""
    return "" if company.strip().lower() in ("", GENERIC_COMPANY) else company.strip()


def role_name(role: str) -> str:
    """Return the role's bare name: "the Staff engineer role" is the Staff engineer role, and "role" names none."""
    words = role.split()
    if words and words[0].lower() == "the":
        words = words[1:]
    if words and words[-1].lower() == "role":
        words = words[:-1]
    return " ".join(words)


def company_phrase(company: str) -> str:
    """Return the company as a sentence names it: "Netflix", or "the target company"."""
    return named_company(company) or "the target company"


def role_phrase(role: str) -> str:
    """Return the role as a sentence names it: "the Media Algorithms role", or "the target role"."""
    return f"the {role_name(role) or 'target'} role"


def naming_variables(company: str, role: str) -> dict[str, str]:
    """Return what prompts name the company and role by: the bare names ("" when not named) and the phrases."""
    return {"company": named_company(company), "the_company": company_phrase(company),
            "role": role_name(role), "the_role": role_phrase(role)}
