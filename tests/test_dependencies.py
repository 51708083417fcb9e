"""Every library the package imports is declared in pyproject.toml, not left to arrive through another one."""

from __future__ import annotations

import ast
import re
import sys
from importlib.metadata import packages_distributions, requires
from pathlib import Path

PACKAGE = Path(__file__).parent.parent / "coach"


def imported_modules() -> set[str]:
    """Return the top-level names of the modules the package imports, its own and the standard library's left out."""
    names = set()
    for path in PACKAGE.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(), str(path))):
            if isinstance(node, ast.Import):
                names |= {alias.name.split(".")[0] for alias in node.names}
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                names.add(node.module.split(".")[0])
    return names - set(sys.stdlib_module_names) - {"coach", "__future__"}


EXTRAS = ("voice",)  # optional features, whose libraries are imported only inside the functions that need them


def declared() -> set[str]:
    """Return the distributions coach depends on outside its test extra, normalised as PEP 503 names them."""
    found = (re.match(r"[A-Za-z0-9._-]+", line).group(0) for line in requires("coach") or []
             if "extra ==" not in line or re.search(r"extra == ['\"](\w+)", line).group(1) in EXTRAS)
    return {re.sub(r"[-_.]+", "-", name).lower() for name in found}


def test_every_imported_library_is_a_declared_dependency():
    owners = packages_distributions()
    undeclared = {module: owners.get(module, ["(not installed)"]) for module in imported_modules()
                  if not {re.sub(r"[-_.]+", "-", d).lower() for d in owners.get(module, [])} & declared()}
    assert undeclared == {}, f"imported but not in pyproject's dependencies: {undeclared}"
