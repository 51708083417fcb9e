"""Documents people write by hand: prose under `## ` headings, no company, and the board when no values are set."""

from __future__ import annotations

import pytest

from coach.bank.catalog import load_story_type
from coach.bank.folder import Bank, load_story
from coach.cli import app
from coach.document.importer import import_document, import_into_bank
from coach.errors import CatalogError
from tests.conftest import SAMPLE, snapshot

HAND_WRITTEN = """# My stories

## The Risk Story

At Salesforce in 2023 I proposed a weekly on-call report that five engineers saw as extra work.
I wrote the first one myself.

Tech debt fell by half in a quarter.

## Shipping weekly

**Values:** Ownership

We shipped once a quarter. I moved the team to weekly releases behind feature flags.
"""


def run(runner, *args):
    return runner.invoke(app, [str(a) for a in args])


@pytest.fixture
def doc(tmp_path):
    path = tmp_path / "mine.md"
    path.write_text(HAND_WRITTEN)
    return path


def test_prose_under_story_headings_is_the_draft():
    risk, shipping = import_document(HAND_WRITTEN).stories
    assert (risk.title, risk.type) == ("The Risk Story", "risk")
    assert risk.draft == ("At Salesforce in 2023 I proposed a weekly on-call report that five engineers saw as extra work.\n"
                          "I wrote the first one myself.\n\nTech debt fell by half in a quarter.")
    assert (shipping.title, shipping.type, shipping.values) == ("Shipping weekly", "general", ["Ownership"])
    assert shipping.draft == "We shipped once a quarter. I moved the team to weekly releases behind feature flags."


def test_stories_without_questions_get_their_types_questions_unanswered():
    risk, shipping = import_document(HAND_WRITTEN).stories
    risk_groups = [g.heading for g in load_story_type("risk").groups]
    assert [g.heading for g in risk.extraction] == [*risk_groups, "Company Connection"]
    assert len(risk.unanswered()) == len(risk.questions()) == 15
    assert [g.heading for g in shipping.extraction][:-1] == [g.heading for g in load_story_type("general").groups]
    assert shipping.unanswered() and not shipping.practice_notes.hooks


def test_template_story_with_an_empty_analysis_gets_questions_too():
    text = "# Prep for Netflix Interview\n\n## The Team Story\n\n### Write your story first\n\nWe helped.\n"
    [team] = import_document(text).stories
    assert team.extraction[-1].heading == "Netflix Connection"
    assert team.questions()[0].text == load_story_type("team").groups[0].questions[0].text


def test_hand_written_document_imports_with_file_names_from_type_or_title(runner, doc, tmp_path):
    result = run(runner, "import", doc)
    assert result.exit_code == 0, result.output
    row = next(line.split() for line in result.output.splitlines() if line.startswith("shipping-weekly.md"))
    assert row[0] == "shipping-weekly.md" and ["general", "0/13"] == row[-5:-3]
    assert sorted(p.name for p in (tmp_path / "stories").iterdir()) == ["coach.yaml", "risk.md", "shipping-weekly.md"]
    assert load_story(tmp_path / "stories" / "risk.md").draft.endswith("Tech debt fell by half in a quarter.")


def test_a_short_note_under_a_heading_is_a_story_but_a_table_or_tips_are_not():
    imported = import_document("# Notes\n\n## Ideas\n\nSome text.\n\n## Your Story Bank Progress\n\n**Goal:** all\n")
    assert [(s.title, s.draft) for s in imported.stories] == [("Ideas", "Some text.")]


def test_sample_document_is_read_as_before():
    imported = import_document(SAMPLE.read_text(), SAMPLE)
    assert [s.type for s in imported.stories] == ["risk", "conflict", "learning", "team"]
    assert [len(s.questions()) for s in imported.stories] == [15, 15, 16, 16]


def test_company_option_sets_company_and_values(runner, doc, tmp_path):
    result = run(runner, "import", doc, "--company", "netflix")
    assert result.exit_code == 0, result.output
    settings = Bank(tmp_path / "stories").settings()
    assert settings.company == "Netflix" and len(settings.values) == 13
    risk = load_story(tmp_path / "stories" / "risk.md")
    assert risk.extraction[-1].heading == "Netflix Connection"
    assert "Uncomfortably Exciting" in risk.extraction[-1].questions[0].text  # Netflix ties risk stories to it


def test_company_option_overrides_the_documents_company(tmp_path):
    bank = Bank(tmp_path / "stories")
    import_into_bank(bank, SAMPLE, company="amazon")
    assert bank.settings().company == "Amazon"


def test_unknown_company_option_is_one_line_and_writes_nothing(runner, doc, tmp_path):
    result = run(runner, "import", doc, "--company", "initech")
    assert result.exit_code == 2
    assert result.output.strip() == "Error: coach has no profile of 'initech'; `coach companies` lists the built-in ones"
    assert not (tmp_path / "stories").exists()
    with pytest.raises(CatalogError):
        import_document(HAND_WRITTEN, company="initech")


def test_document_without_company_takes_the_banks(runner, doc, tmp_path):
    assert run(runner, "init", "--company", "amazon", "--role", "SDE II").exit_code == 0
    before = snapshot(tmp_path / "stories")
    assert run(runner, "import", doc).exit_code == 0
    assert (tmp_path / "stories" / "coach.yaml").read_bytes() == before["coach.yaml"]
    risk = load_story(tmp_path / "stories" / "risk.md")
    assert [q.text for q in risk.extraction[-1].questions][-1] == "What specific aspect connects to the SDE II role?"
    assert risk.extraction[-1].heading == "Amazon Connection"


def test_document_company_is_kept_over_the_banks(tmp_path):
    bank = Bank(tmp_path / "stories")
    import_into_bank(bank, SAMPLE)
    imported = import_document(SAMPLE.read_text(), SAMPLE, bank.root, known=lambda: pytest.fail("bank settings read"))
    assert imported.settings.company == "Netflix"


def test_values_outside_the_profile_are_not_invented():
    text = "# Prep for Netflix Interview\n\n## The Risk Story\n\n**Netflix Values:** Courage, Ownership\n\nI took a risk.\n"
    imported = import_document(text)
    assert "Ownership" not in [v.name for v in imported.settings.values]
    assert all(v.meaning for v in imported.settings.values)


def test_status_never_calls_an_empty_value_list_full_coverage(runner, doc, tmp_path):
    assert run(runner, "import", doc).exit_code == 0
    assert Bank(tmp_path / "stories").settings().values == []
    result = run(runner, "status")
    assert result.exit_code == 0
    assert "Every value has a story" not in result.output
    assert " ".join(result.output.split("\n\n")[-1].split()) == (
        "No company values are set, so coverage cannot be judged: run `coach init --company NAME` "
        "(with --force to replace an existing coach.yaml) or list them under `values:` in coach.yaml."
    )


def test_status_with_values_all_covered_still_says_so(runner, tmp_path):
    bank = Bank(tmp_path / "stories")
    import_into_bank(bank, SAMPLE)
    settings = bank.settings()
    bank.save_settings(settings.model_copy(update={"values": [v for v in settings.values if v.name == "Courage"]}))
    assert run(runner, "status").output.rstrip().endswith("Every value has a story.")
