"""Export then import gives back the same bank: file names, contents (byte for byte when canonical) and settings."""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from coach.bank.catalog import create_story
from coach.bank.folder import Bank, settings_text
from coach.bank.models import FollowUp, HistoryEntry, PracticeNotes, PracticeTake, Question, QuestionGroup, Story
from coach.bank.settings import BankSettings, CompanyValue
from coach.bank.storyfile import parse_story, render_story
from coach.document.exporter import EXPORT_MARKER, export_bank, export_document
from coach.document.importer import import_document, import_into_bank
from coach.errors import StoryFormatError
from tests.conftest import SAMPLE


def sample_bank(root: Path) -> Bank:
    bank = Bank(root)
    import_into_bank(bank, SAMPLE)
    return bank


def two_of_one_type(bank: Bank) -> None:
    create_story(bank, "risk", "Shipping weekly")


def renamed_file(bank: Bank) -> None:
    (bank.root / "team.md").rename(bank.root / "leading-the-migration.md")


def custom_type(bank: Bank) -> None:
    types = bank.root / "types"
    types.mkdir()
    kind = yaml.safe_load((Path(__file__).parent.parent / "coach/bank/data/types/risk.yaml").read_text())
    (types / "launch.yaml").write_text(yaml.safe_dump({**kind, "name": "launch", "title": "The Launch Story"}))
    create_story(bank, "launch")
    story = parse_story((bank.root / "risk.md").read_text())
    bank.save(bank.root / "launch-night.md", story.model_copy(update={"type": "Launch-Night", "title": "Launch Night"}))


def own_values(bank: Bank) -> None:
    netflix = bank.settings()
    values = [*netflix.values, CompanyValue(name="Ownership", meaning="Act for the whole company."), CompanyValue(name="Frugal")]
    netflix.values[0].meaning = "Our own reading of judgment."
    bank.save_settings(netflix.model_copy(update={"values": values, "role": "Media Algorithms", "words_per_minute": 140}))
    path = bank.root / "risk.md"
    bank.save(path, parse_story(path.read_text()).model_copy(update={"values": ["Ownership", "Courage", "Frugal"]}))


def non_ascii_titles(bank: Bank) -> None:
    create_story(bank, "team", "Café rollout at Zoë's team")
    create_story(bank, "learning", "日本語の移行")


def machine_state(bank: Bank) -> None:
    path = bank.root / "conflict.md"
    story = parse_story(path.read_text())
    story.practice += [PracticeTake(at=datetime(2026, 11, 24, 9, 5), seconds=52.5, words=143),
                       PracticeTake(at=datetime(2026, 11, 25, 7, 0, 1), seconds=71.0)]
    story.history.append(HistoryEntry(saved="2026-11-20 08:00", source="llm:gpt-5-mini", text="An older version."))
    story.history.append(HistoryEntry(saved="2026-11-21 08:00", source="hand", text="Old answer.", subject="follow-up: Why?"))
    story.follow_ups[0].by, story.follow_ups[0].pinned = "gpt-5-mini", True
    story.follow_ups[0].sha = "0123456789ab"
    story.refined_by, story.refined_sha = "llama3.1:8b", "0123456789ab"
    story.target_seconds = (45, 60)  # the bank's own window, stated in the file
    story.extraction[0].questions[0].proposed = "At Salesforce, 2023."
    story.extraction[0].questions[0].proposed_from = ["our LLM taxonomy graph at Salesforce"]
    story.extraction[0].questions[0].answer = ""
    bank.save(path, story)
    learning = bank.root / "learning.md"
    bank.save(learning, parse_story(learning.read_text()).model_copy(update={"target_seconds": (30, 40)}))


def awkward_text(bank: Bank) -> None:
    path = bank.root / "risk.md"
    story = parse_story(path.read_text())
    story.title = "Story 2: C# rewrite"
    story.draft = ("### Notes\n\nFirst line.\n---\n**Coaching:** keep it short\n*an aside in italics*\n"
                   "# not a heading")  # an HTML comment is no part of a draft: coach does not read it
    story.extraction[1].questions[0].answer = "- one\n- two\n\n**Bold:** three"
    story.refined = '"Quoted" start, then:\n\n### not a section'
    story.coaching_notes.append("Two\nlines")
    story.history.append(HistoryEntry(saved="2026-01-01 10:00", text="**Label:** inside\n#### and a heading"))
    story.values = ["Dive, Deep", "Courage"]
    bank.save(path, story)


def hand_edited(bank: Bank) -> None:
    path = bank.root / "learning.md"
    text = path.read_text().replace("type: learning", "type: learning   # my comment")
    path.write_text(text.replace("\n## Coaching Notes\n\n- ", "\n## Coaching Notes\n\n* ").replace("\n", "\r\n"))


def no_settings_file(bank: Bank) -> None:
    bank.settings_path.unlink()


CASES = [two_of_one_type, renamed_file, custom_type, own_values, non_ascii_titles, machine_state, awkward_text,
         hand_edited, no_settings_file]


@pytest.mark.parametrize("change", CASES, ids=[case.__name__ for case in CASES])
def test_export_then_import_gives_back_every_file(tmp_path, change):
    bank = sample_bank(tmp_path / "stories")
    change(bank)
    document = tmp_path / "all.md"
    document.write_text(export_document(bank), encoding="utf-8")
    again = Bank(tmp_path / "again")
    import_into_bank(again, document)

    stories = {p.name for p in bank.story_paths()}
    assert {p.name for p in again.story_paths()} == stories
    for name in stories:
        original, copy = (bank.root / name).read_bytes(), (again.root / name).read_bytes()
        text = original.decode("utf-8-sig")
        if render_story(parse_story(text)) == text:
            assert copy == original, name
        else:
            assert parse_story(copy.decode()) == parse_story(text), name
    assert again.settings() == bank.settings()
    if bank.settings_path.exists():
        assert again.settings_path.read_bytes() == bank.settings_path.read_bytes()


def test_sample_cases_are_really_canonical_or_not(tmp_path):
    """The parametrised cases above test what they claim: canonical files byte for byte, the hand-edited one by model."""
    bank = sample_bank(tmp_path / "stories")
    hand_edited(bank)
    text = (bank.root / "learning.md").read_bytes().decode()
    assert render_story(parse_story(text)) != text
    assert render_story(parse_story((bank.root / "risk.md").read_text())) == (bank.root / "risk.md").read_text()


def test_first_line_marks_the_export(bank):
    document = export_document(bank)
    assert document.split("\n", 1)[0] == EXPORT_MARKER
    assert document.split("\n")[1] == "# 4 Power Stories for Netflix Interview"
    assert import_document(document).stories == [s for _, s in bank.stories()]


def test_each_story_carries_its_file_name_in_one_readable_comment(tmp_path):
    bank = sample_bank(tmp_path / "stories")
    two_of_one_type(bank)
    lines = export_document(bank).splitlines()
    heading = lines.index("## Story 4: Shipping weekly")
    assert lines[heading + 1] == '<!-- coach: {"file": "shipping-weekly.md"} -->'
    assert sum(line.startswith("<!-- coach: ") for line in lines) == 5


def test_an_edit_to_the_exported_text_wins_over_what_the_comment_carries(tmp_path):
    bank = sample_bank(tmp_path / "stories")
    awkward_text(bank)
    document = export_document(bank).replace("## Story 3: Story 2: C# rewrite", "## Story 3: The Rewrite")
    document = document.replace("First line.", "First line, edited.")
    risk = next(s for s in import_document(document).stories if s.type == "risk")
    assert risk.title == "The Rewrite"
    assert "First line, edited." in risk.draft


def test_a_damaged_comment_is_one_clear_error(bank):
    document = export_document(bank).replace('<!-- coach: {"file": "risk.md"}', '<!-- coach: {"file": "risk.md"')
    with pytest.raises(StoryFormatError, match=r"comment is damaged; remove the line"):
        import_document(document, "all.md")


@pytest.mark.parametrize("name", ["../outside.md", "/etc/passwd.md", ".hidden.md", "notes.txt"])
def test_a_carried_file_name_must_stay_in_the_bank(bank, name):
    document = export_document(bank).replace('{"file": "risk.md"}', json.dumps({"file": name}))
    with pytest.raises(StoryFormatError, match="is not a plain NAME.md"):
        import_document(document, "all.md")


def test_a_copied_story_block_gets_a_name_of_its_own(bank):
    document = export_document(bank)
    start, end = document.index("## Story 3: The Risk Story"), document.index("## Story 4:")
    imported = import_document(document[:end] + document[start:end].replace("The Risk Story", "Risk again") + document[end:])
    assert imported.files == ["conflict.md", "learning.md", "risk.md", "risk-again.md", "team.md"]


# Any bank: stories with text that trips the readable form, any file names, any settings.

word = st.text(alphabet="abcXYZé日0123456789 ,.:;'\"!?%$()*#_-<>·|[]", min_size=1, max_size=10).map(str.strip).filter(bool)
line = st.lists(word, min_size=1, max_size=6).map(" ".join)
tricky = st.sampled_from(["---", "### Notes", "# Top", "**Label:** text", "*aside*", "- bullet", "<!-- coach: {} -->",
                          "| a | b |", "Story 1: x", "If asked why: because"])
paragraph = st.lists(line | tricky, min_size=1, max_size=3).map("\n".join)
prose = st.lists(paragraph, max_size=3).map("\n\n".join)
heading = line.filter(lambda text: " · " not in text and not text.startswith(("#", ">")))
items = st.lists(line, max_size=3)
stories = st.builds(
    Story,
    title=heading,
    type=st.sampled_from(["risk", "team", "launch", "Custom-Type", "general"]),
    values=st.lists(line, max_size=3),
    target_seconds=st.none() | st.sampled_from([(45, 60), (30, 40)]),
    refined_by=st.sampled_from(["", "gpt-5-mini"]),
    refined_sha=st.sampled_from(["", "0123456789ab"]),
    practice=st.lists(st.builds(PracticeTake, at=st.datetimes(datetime(2020, 1, 1), datetime(2030, 1, 1)),
                                seconds=st.floats(0, 1e6), words=st.none() | st.integers(0, 400)), max_size=2),
    draft=prose,
    extraction=st.lists(st.builds(QuestionGroup, heading=heading, questions=st.lists(
        st.builds(Question, text=heading, answer=prose, proposed=st.just("") | line, proposed_from=st.lists(line, max_size=2)),
        max_size=3)), max_size=2),
    refined=prose,
    coaching_notes=items,
    practice_notes=st.builds(PracticeNotes, hooks=items, pacing=st.just("") | line, tone=st.just("") | line,
                             key_words=items, delivery_points=items),
    follow_ups=st.lists(st.builds(FollowUp, question=heading, answer=prose, by=st.sampled_from(["", "gpt-5-mini"]),
                                  sha=st.sampled_from(["", "0123456789ab"]), pinned=st.booleans()), max_size=2),
    history=st.lists(st.builds(HistoryEntry, saved=heading, source=st.sampled_from(["hand", "llm"]), text=prose,
                               subject=st.just("") | heading), max_size=2),
)
bank_settings = st.builds(
    BankSettings,
    company=st.sampled_from(["Netflix", "Amazon", "Acme Corp", "Generic", "Zoë & Co"]),
    role=st.just("") | line,
    values=st.lists(st.builds(CompanyValue, name=line, meaning=st.just("") | line), max_size=3),
    target_seconds=st.sampled_from([(45, 60), (60, 90)]),
    words_per_minute=st.integers(60, 300),
)
file_name = st.text(alphabet="abcxyz-é日0123456789", min_size=1, max_size=12).map(lambda stem: f"{stem}.md")


def storable(story: Story) -> bool:
    """Only stories a story file can hold: the bank never has any other."""
    try:
        return parse_story(render_story(story)) == story
    except StoryFormatError:
        return False


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much])
@given(bank_settings, st.lists(stories, min_size=1, max_size=3), st.lists(file_name, min_size=3, max_size=3, unique_by=str.lower))
def test_any_bank_comes_back_the_same(bank, chosen, names):
    assume(all(storable(story) for story in chosen))
    files = names[: len(chosen)]
    again = import_document(export_bank(bank, chosen, files))
    assert again.files == files
    assert again.stories == chosen
    assert [render_story(s) for s in again.stories] == [render_story(s) for s in chosen]
    assert settings_text(again.settings) == settings_text(bank)
