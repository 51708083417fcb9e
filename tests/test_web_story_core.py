"""The core the story page stands on: findings tied to the sentences they are about, and a story file saved from
elsewhere only when it is still the file that was loaded."""

from __future__ import annotations

import pytest

from coach.bank.folder import Bank
from coach.editor import CHANGED_ON_DISK, EditConflict, fingerprint, load_text, save_text
from coach.errors import CoachError
from coach.method.beside import beside, mentions, subjects
from coach.method.check import Finding
from tests.conftest import snapshot

TEXT = ("At Acme I cut the build from 40 minutes to 9. I did it in a week, like extra work. "
        "It was like 'extra work' again. We shipped.")


@pytest.mark.parametrize(("finding", "about"), [
    (Finding("unsupported-number", "error", '"40 minutes" and "9" appear nowhere in your draft; add "9" to an answer'),
     ["40 minutes", "9"]),
    (Finding("repetition", "warning", '"like extra work" is used 2 times; say it once and vary the rest.'),
     ["like extra work"]),
    (Finding("filler", "warning", 'Filler words: "alot" ×2, "really"; cut them (and "alot" is two words: "a lot").'),
     ["alot", "really"]),
    (Finding("we-heavy", "warning", '"we/our" (3) outnumber "I/my" (1); say what you did.'), []),
    (Finding("repetition", "warning", '"design pattern" is used 2 times.', "draft"), []),
])
def test_a_finding_names_what_it_is_about_only_when_it_quotes_words_of_the_refined_version(finding, about):
    assert subjects(finding) == about


def test_a_phrase_is_found_with_punctuation_between_its_words_but_not_inside_a_longer_word():
    assert mentions("It was like 'extra work' again.", "like extra work")
    assert mentions("We cut 30% of it.", "30%")
    assert not mentions("We cut 300 of it.", "30")


def test_findings_go_beside_every_sentence_they_concern_and_the_rest_under_the_text():
    repeated = Finding("repetition", "warning", '"like extra work" is used 2 times; say it once and vary the rest.')
    number = Finding("unsupported-number", "error", '"40 minutes" appears nowhere in your draft or extraction answers.')
    claim = Finding("unsupported-claim", "warning", '"We shipped.": nothing in your material says so; confirm it or cut it.')
    timing = Finding("too-short", "warning", "10s at 150 wpm is under the 45-60s target; add about 90 words.")
    draft = Finding("repetition", "warning", '"like extra work" is used 2 times.', "draft")
    placed = beside([repeated, number, claim, timing, draft], TEXT)
    assert [s.text for s in placed.sentences][0] == "At Acme I cut the build from 40 minutes to 9."
    assert [[f.code for f in s.findings] for s in placed.sentences] == [
        ["unsupported-number"], ["repetition"], ["repetition"], ["unsupported-claim"]]
    assert placed.elsewhere == [timing, draft] and placed.placed == 3


def test_the_sample_stories_findings_sit_beside_their_sentences(bank):
    from coach.reading import show

    placed = show(Bank(bank.root), "team").beside()
    [flagged] = [s for s in placed.sentences if s.findings]
    assert "30%" in flagged.text and flagged.findings[0].code == "unsupported-number"


def test_a_story_loaded_for_editing_carries_the_fingerprint_of_its_bytes(bank):
    loaded = load_text(Bank(bank.root), "risk")
    data = (bank.root / "risk.md").read_bytes()
    assert loaded.text.encode() == data and loaded.fingerprint == fingerprint(data)


def test_a_save_keeps_the_files_line_endings_and_byte_order_mark(bank):
    path = bank.root / "risk.md"
    path.write_bytes(b"\xef\xbb\xbf" + path.read_bytes().replace(b"\n", b"\r\n"))
    loaded = load_text(Bank(bank.root), "risk")
    assert not loaded.text.startswith("\ufeff") and "\r\n" in loaded.text
    edited = save_text(Bank(bank.root), "risk", loaded.text.replace("\r\n", "\n").replace("Salesforce", "Acme"),
                       loaded.fingerprint)
    data = path.read_bytes()
    assert edited.changed and data.startswith(b"\xef\xbb\xbf") and b"Acme" in data
    assert data.count(b"\r\n") == data.count(b"\n")


def test_saving_the_same_text_changes_nothing(bank):
    loaded = load_text(Bank(bank.root), "risk")
    before = snapshot(bank.root)
    assert not save_text(Bank(bank.root), "risk", loaded.text, loaded.fingerprint).changed
    assert snapshot(bank.root) == before


def test_a_save_over_a_file_changed_since_it_was_loaded_is_refused_and_writes_nothing(bank):
    loaded = load_text(Bank(bank.root), "risk")
    (bank.root / "risk.md").write_text(loaded.text + "\nan edit made in an editor\n")
    before = snapshot(bank.root)
    with pytest.raises(EditConflict) as refused:
        save_text(Bank(bank.root), "risk", "---\ntitle: Mine\ntype: risk\n---\n", loaded.fingerprint)
    assert str(refused.value) == CHANGED_ON_DISK
    assert snapshot(bank.root) == before


def test_text_that_is_not_a_story_is_refused_with_the_file_and_line(bank):
    loaded = load_text(Bank(bank.root), "risk")
    before = snapshot(bank.root)
    with pytest.raises(CoachError, match=r"risk\.md:1: missing front matter.*; nothing was saved"):
        save_text(Bank(bank.root), "risk", "no front matter here", loaded.fingerprint)
    assert snapshot(bank.root) == before
