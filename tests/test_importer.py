"""Importing power-stories documents: the sample, a differently shaped one, and export round trips."""

from __future__ import annotations

import pytest

from coach.bank.folder import Bank
from coach.document.exporter import export_bank, export_document
from coach.document.importer import import_document, import_into_bank
from coach.errors import StoryExists, StoryFormatError
from tests.conftest import AMAZON, SAMPLE, snapshot


@pytest.fixture(scope="module")
def sample():
    return import_document(SAMPLE.read_text(), SAMPLE)


def story(imported, kind):
    return next(s for s in imported.stories if s.type == kind)


def test_sample_gives_four_stories_with_company_and_target(sample):
    assert [s.title for s in sample.stories] == ["The Risk Story", "The Conflict Story", "The Learning Story", "The Team Story"]
    assert sample.settings.company == "Netflix"
    assert sample.settings.target_seconds == (45, 60)
    assert story(sample, "risk").values == ["Uncomfortably Exciting", "Courage", "Creativity"]
    assert story(sample, "team").values == ["Selflessness", "Dream Team", "Inclusion"]


@pytest.mark.parametrize(
    "kind, groups, questions",
    [("risk", 5, 15), ("conflict", 5, 15), ("learning", 5, 16), ("team", 5, 16)],
)
def test_sample_every_question_has_its_answer(sample, kind, groups, questions):
    imported = story(sample, kind)
    assert len(imported.extraction) == groups
    assert len(imported.questions()) == questions
    assert imported.unanswered() == []
    assert imported.extraction[-1].heading == "Netflix Connection"


@pytest.mark.parametrize(
    "kind, question, answer",
    [
        ("risk", "Which company was this at? When did it happen?", "Salesforce 2023"),
        ("risk", "What was the business impact? (%, $, time saved)", "The next quarter we found that 50% of our tech debt backlog were no longer issues."),
        ("conflict", "Where and when did this conflict occur?", "Salesforce 2023, DFS taxonomy transformer project"),
        ("conflict", "Did they ultimately agree with you? Why/why not?", "No - Steve felt more strongly about architectural consistency"),
        ("learning", "What specific technologies at Netflix would require similar learning?", "N/A"),
        ("team", "What did this choice cost you?", 'Extra work without recognition, "not a role you get credit for"'),
    ],
)
def test_sample_answers_in_every_layout(sample, kind, question, answer):
    answers = {q.text: q.answer for q in story(sample, kind).questions()}
    assert answers[question] == answer


def test_sample_draft_drops_instruction_lines_and_keeps_coaching_notes(sample):
    conflict, learning = story(sample, "conflict"), story(sample, "learning")
    assert conflict.draft.startswith("While refactoring a data transformer")
    assert "Focus on a time" not in conflict.draft
    assert "Story Coaching Notes" not in learning.draft
    assert learning.coaching_notes[0] == "Perfect learning story! 3 new technologies in 2 weeks"
    assert "Cut repetition: \"well oiled machine\" used twice" in story(sample, "team").coaching_notes


def test_sample_practice_notes_and_follow_ups(sample):
    conflict = story(sample, "conflict")
    assert conflict.practice_notes.hooks == ["At Salesforce, we have a value of 'disagree then commit'."]
    assert conflict.practice_notes.pacing.startswith("Slow down on opening hook")
    assert conflict.practice_notes.tone.startswith("Principled opening")
    assert conflict.practice_notes.key_words[0] == "disagree then commit"
    assert [f.question for f in conflict.follow_ups] == ["If Asked for More Detail", "If Asked About Outcome"]
    learning = story(sample, "learning")
    assert len(learning.practice_notes.hooks) == 3
    assert learning.practice_notes.delivery_points[0].startswith("Emphasize TRIPLE learning")
    assert learning.follow_ups[0].question == "If asked about learning strategy"
    assert learning.follow_ups[0].answer.startswith("14-hour days")
    team = story(sample, "team")
    assert team.follow_ups[0].answer == "The team was thriving, why disrupt that for my ego?"
    assert team.follow_ups[-1].answer == "My manager noted it in reviews, but the real reward was team success"


def test_sample_refined_version_loses_its_quotes(sample):
    risk = story(sample, "risk")
    assert risk.refined.startswith("At Salesforce in 2023")
    assert risk.refined.endswith("when you lead by example.")


def test_other_company_shape_and_target():
    imported = import_document(AMAZON.read_text(), AMAZON)
    assert imported.settings.company == "Amazon"
    assert imported.settings.target_seconds == (60, 90)
    assert imported.settings.words_per_minute == 140
    assert imported.settings.role == "SDE II, Payments"
    launch, customer = imported.stories
    assert (launch.title, launch.type) == ("Launch Night", "launch-night")
    assert launch.values == ["Ownership", "Deliver Results"]
    assert launch.draft.startswith("The payment service went down")
    answers = [q.answer for q in launch.questions()]
    assert answers == ["Prime Day 2022, Payments team", "The checkout payment service", "About 12,000 checkouts failed\nbefore the rollback.", ""]
    assert launch.practice_notes.key_words == ["rollback", "9 minutes", "postmortem"]
    assert launch.follow_ups[0].answer == "I added a canary stage to the pipeline."
    assert (customer.type, customer.draft, customer.refined) == ("customer", "", "")
    assert customer.unanswered()[0].text == "What changed for the customer?"


def test_crlf_document_imports_the_same():
    text = SAMPLE.read_text()
    assert import_document(text.replace("\n", "\r\n")) == import_document(text)


def test_document_without_stories_is_refused():
    with pytest.raises(StoryFormatError, match="holds no stories"):
        import_document("# Notes\n\nSome text.\n\n## Ideas\n\n| a | b |\n\n## Story Crafting Tips\n\n- Lead with it\n", "notes.md")


def test_export_then_import_gives_back_the_same_bank(bank):
    settings = bank.settings()
    stories = [s for _, s in bank.stories()]
    stories[0].practice_notes.hooks.append("A hook with: a colon")
    again = import_document(export_bank(settings, stories))
    assert again.settings == settings
    assert again.stories == stories


def test_export_carries_practice_log_and_history(bank):
    from datetime import datetime

    from coach.bank.models import HistoryEntry, PracticeTake

    path, risk = next((p, s) for p, s in bank.stories() if s.type == "risk")
    risk.practice.append(PracticeTake(at=datetime(2026, 11, 24, 9, 30), seconds=52.5, words=143))
    risk.history.append(HistoryEntry(saved="2026-11-20 08:00", source="hand", text="An older version."))
    risk.refined_by, risk.refined_sha = "llama3.1:8b", "0123456789ab"
    bank.save(path, risk)
    doc = export_document(bank)
    assert "| The Risk Story | ✓ | ✓ | ✓ | 52.5s | ☐ 1/5 |" in doc
    again = import_document(doc)
    assert next(s for s in again.stories if s.type == "risk") == risk


def test_import_refuses_to_overwrite_and_writes_nothing(bank):
    before = snapshot(bank.root)
    with pytest.raises(StoryExists, match="pass --force"):
        import_into_bank(bank, SAMPLE)
    assert snapshot(bank.root) == before


def test_import_force_overwrites_and_keeps_the_old_file(bank):
    risk = bank.root / "risk.md"
    risk.write_text(risk.read_text().replace("Salesforce 2023", "edited"))
    edited = risk.read_bytes()
    plan = import_into_bank(bank, SAMPLE, force=True)
    assert "Salesforce 2023" in risk.read_text()
    assert [(r.path.name, r.action) for r in plan.results if r.copy] == [("risk.md", "replaced")]
    assert (plan.copies / "risk.md").read_bytes() == edited


def test_failed_write_restores_every_file(bank, monkeypatch):
    import coach.bank.folder as bank_module

    for name in ("risk.md", "team.md", "learning.md"):
        (bank.root / name).write_text((bank.root / name).read_text() + "\nMy own line.\n")
    before = snapshot(bank.root)
    real = bank_module.write_atomic
    calls = []

    def failing(path, text):
        calls.append(path)
        if len(calls) == 3:
            raise OSError("disk full")
        real(path, text)

    monkeypatch.setattr(bank_module, "write_atomic", failing)
    with pytest.raises(OSError):
        import_into_bank(bank, SAMPLE, force=True)
    assert snapshot(bank.root) == before


def test_second_document_into_empty_bank(tmp_path):
    plan = import_into_bank(Bank(tmp_path / "amazon"), AMAZON)
    assert [r.path.name for r in plan.results] == ["launch-night.md", "customer.md", "coach.yaml"]


def test_a_window_written_high_to_low_is_one_sentence(runner, tmp_path):
    from coach.cli import app

    text = SAMPLE.read_text()
    for doc, expected in [
        (text.replace("Refined Story (45-60 seconds)", "Refined Story (60-45 seconds)", 1), "doc.md:7: story 'The Risk Story': "),
        (text.replace("Aim for 45-60 seconds", "Aim for 60-45 seconds", 1), "doc.md: the document's settings: "),
    ]:
        (tmp_path / "doc.md").write_text(doc)
        result = runner.invoke(app, ["import", "doc.md"])
        assert result.exit_code == 2
        assert result.output == f"Error: {expected}target_seconds: [60, 45] runs high to low; write the window low then high, like [45, 60]\n"
        assert not (tmp_path / "stories").exists()
