"""Every library the package imports is declared in pyproject.toml, not left to arrive through another one."""

from __future__ import annotations

import ast
import functools
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


def declared(extra: str | None = None) -> set[str]:
    """Return the distributions coach depends on outside its extras (or in `extra`), normalised as PEP 503 does."""
    wanted = ((lambda line: "extra ==" not in line) if extra is None
              else (lambda line: re.search(rf"extra == ['\"]{extra}['\"]", line) is not None))
    found = (re.match(r"[A-Za-z0-9._-]+", line).group(0) for line in requires("coach") or [] if wanted(line))
    return {re.sub(r"[-_.]+", "-", name).lower() for name in found}


@functools.cache
def _distributions() -> dict[str, list[str]]:
    return packages_distributions()  # reads every installed distribution's files: once per run


def _owners(module: str) -> set[str]:
    return {re.sub(r"[-_.]+", "-", d).lower() for d in _distributions().get(module, [])}


def test_every_imported_library_is_a_declared_dependency():
    extras = declared("voice") | declared("web")
    undeclared = {module: sorted(_owners(module)) or ["(not installed)"] for module in imported_modules()
                  if not _owners(module) & (declared() | extras)}
    assert undeclared == {}, f"imported but not in pyproject's dependencies: {undeclared}"


def imports_of(extra: str):
    """Yield (file, import node, library, whether at module level) for each import of a library of the extra only."""
    only = declared(extra) - declared()
    for path in PACKAGE.rglob("*.py"):
        tree = ast.parse(path.read_text(), str(path))
        top = {node for node in tree.body if isinstance(node, ast.Import | ast.ImportFrom)}
        for node in ast.walk(tree):
            if isinstance(node, ast.Import):
                modules = [alias.name.split(".")[0] for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                modules = [node.module.split(".")[0]]
            else:
                continue
            for module in modules:
                if _owners(module) & only:
                    yield path, module, node in top


def test_the_voice_extra_is_imported_only_where_a_take_is_heard_or_recorded():
    """faster-whisper, sounddevice and numpy are optional: only coach's voice modules import them, inside functions."""
    for path, module, at_top in imports_of("voice"):
        assert not at_top, f"{path.name} imports {module} at module level: only inside a function"
        assert path.parent.name == "voice" or path.name == "voice.py", f"{path} imports {module}"


def test_the_web_extra_is_imported_only_by_the_page():
    """Starlette, uvicorn and python-multipart are optional: only coach.web imports them (`coach serve` checks they
    are installed first, and imports uvicorn inside a function)."""
    for path, module, at_top in imports_of("web"):
        if "web" not in path.parent.parts[-2:]:
            assert path.name == "serve.py" and not at_top, f"{path} imports {module}"
