"""Shared fixtures: every test runs in its own empty folder with no bank settings from outside."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import respx
from hypothesis import settings
from typer.testing import CliRunner

from coach.bank.folder import Bank
from coach.document.importer import import_into_bank
from tests.llm_fixtures import BASE_URL

# The suite is the gate CI holds every change to, so property tests draw the same examples on every run; set
# HYPOTHESIS_PROFILE=explore to draw fresh ones, ten times as many, when hunting for bugs.
settings.register_profile("default", derandomize=True)
settings.register_profile("explore", derandomize=False, max_examples=1000)
settings.load_profile(__import__("os").environ.get("HYPOTHESIS_PROFILE", "default"))

FIXTURES = Path(__file__).parent / "fixtures"
SAMPLE = FIXTURES / "four-power-stories.md"
AMAZON = FIXTURES / "amazon-two-stories.md"


@pytest.fixture(autouse=True)
def isolated(tmp_path, monkeypatch):
    """Run in an empty folder with no COACH_* or OPENAI_* variables set, on an 80-column terminal without colour."""
    monkeypatch.chdir(tmp_path)
    for name in list(__import__("os").environ):
        if name.startswith(("COACH_", "OPENAI_", "FORCE_COLOR", "NO_COLOR")):
            monkeypatch.delenv(name)
    monkeypatch.setenv("COLUMNS", "80")
    return tmp_path


@pytest.fixture
def bank(tmp_path) -> Bank:
    """A bank holding the sample document's four stories."""
    bank = Bank(tmp_path / "stories")
    import_into_bank(bank, SAMPLE)
    return bank


@pytest.fixture
def runner() -> CliRunner:
    return CliRunner()


def snapshot(folder: Path) -> dict[str, bytes]:
    """Return every file under folder with its bytes, to prove nothing changed."""
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.fixture
def copy_fixture(tmp_path):
    def copy(name: str) -> Path:
        target = tmp_path / name
        shutil.copy(FIXTURES / name, target)
        return target

    return copy


@pytest.fixture
def endpoint(monkeypatch):
    """A mocked OpenAI-compatible endpoint that coach is pointed at; yields its chat-completions route."""
    monkeypatch.setenv("OPENAI_BASE_URL", BASE_URL)
    monkeypatch.setenv("COACH_MODEL", "test-model")
    monkeypatch.setenv("COACH_RETRIES", "0")
    with respx.mock(base_url=BASE_URL, assert_all_called=False) as router:
        yield router.post("/chat/completions")
