"""What a page address can name: a story of the bank by its slug (whatever letters the slug has), never a file outside
it; and numbers in addresses and forms that are not numbers are refused in a sentence, never a 500."""

from __future__ import annotations

import shutil
from datetime import datetime

import pytest

from coach.errors import StoryNotFound
from tests.conftest import snapshot
from tests.test_web_story import fingerprint_of, textarea_of
from tests.web_fixtures import client, csrf_headers, events

pytest.importorskip("starlette")


def test_bank_named_takes_a_slug_or_a_type_never_a_path(bank, tmp_path):
    (tmp_path / "outside.md").write_text((bank.root / "risk.md").read_text())
    assert bank.named("risk") == bank.root / "risk.md"
    for ref in ("outside.md", "../outside.md", str(tmp_path / "outside.md"), "/etc/passwd", "risk.md", ""):
        with pytest.raises(StoryNotFound):
            bank.named(ref)


@pytest.mark.parametrize("name", ["v2.team", "团队的故事", "my risk", "हिन्दी-कहानी", "notes.md"])
def test_every_slug_the_bank_can_hold_opens_on_the_story_and_practice_pages(bank, name):
    shutil.copy(bank.root / "risk.md", bank.root / f"{name}.md")
    test = client(bank.root)
    board = test.get("/").text
    from urllib.parse import quote

    assert f'href="/story/{quote(name)}"' in board
    assert test.get(f"/story/{quote(name)}").status_code == 200
    assert test.get(f"/practice/{quote(name)}").status_code == 200


def test_no_page_reaches_a_file_outside_the_bank(bank, tmp_path):
    outside = tmp_path / "outside.md"
    outside.write_text((bank.root / "risk.md").read_text())
    before = snapshot(tmp_path)
    test = client(bank.root)
    assert test.get("/practice/outside.md").status_code == 404
    assert test.get("/story/outside.md").status_code == 404
    said = events(test.post("/practice/outside.md/timed", data={"seconds": "52", "sure": "1"}, headers=csrf_headers()))
    assert "error" in said[-1]
    said = events(test.post("/interview", data={"questions": "1", "persona": "neutral", "story": "../outside.md"},
                            headers=csrf_headers()))
    assert said[-1]["error"].startswith("No story '../outside.md' in")
    assert snapshot(tmp_path) == before


@pytest.mark.parametrize("address", ["/story/risk?against=²", "/story/risk?against=99999999999999",
                                     "/log/99999999999999999999999"])
def test_numbers_in_addresses_that_are_not_numbers_are_never_a_500(bank, address):
    from coach.llm.calllog import CallLog

    CallLog.for_bank(bank.root).recent(1)  # the log exists, as after a first call
    assert client(bank.root).get(address).status_code in (200, 404)


@pytest.mark.parametrize("field", [{"count": "²"}, {"count": "0"}, {"count": "9" * 5000}])
def test_a_count_that_is_not_one_is_one_sentence(bank, field):
    said = events(client(bank.root).post("/story/risk/followups", data={"do": "generate", **field},
                                         headers=csrf_headers()))
    assert "error" in said[-1] and "Something went wrong" not in said[-1]["error"]


def test_an_interview_seed_that_is_not_a_number_is_ignored(bank, monkeypatch):
    answer = client(bank.root).post("/interview", data={"questions": "²", "seed": "²"}, headers=csrf_headers())
    assert answer.status_code in (200, 400) and "Internal" not in answer.text


def test_an_undo_from_a_stale_page_removes_nothing(bank):
    from coach.bank.folder import load_story
    from coach.practice import record_take

    path = bank.root / "risk.md"
    record_take(bank, path, 50.0, datetime(2026, 12, 1, 9, 0), sure=True)
    test = client(bank.root)
    page = test.get("/practice/risk").text
    shown = page.split('name="last" value="', 1)[1].split('"', 1)[0]
    record_take(bank, path, 58.0, datetime(2026, 12, 1, 9, 5), sure=True)  # another tab
    before = path.read_bytes()
    said = events(test.post("/practice/risk/undo", data={"last": shown}, headers=csrf_headers()))
    assert said[-1]["error"].startswith("The last take is no longer the one this page showed")
    assert path.read_bytes() == before and [t.seconds for t in load_story(path).practice] == [50.0, 58.0]
    fresh = test.get("/practice/risk").text.split('name="last" value="', 1)[1].split('"', 1)[0]
    said = events(test.post("/practice/risk/undo", data={"last": fresh}, headers=csrf_headers()))
    assert "error" not in said[-1]
    assert [t.seconds for t in load_story(path).practice] == [50.0]


def test_a_story_as_large_as_a_story_file_may_be_saves_from_the_page(bank):
    test = client(bank.root)
    html = test.get("/story/risk").text
    text = textarea_of(html).replace("## Draft\n", "## Draft\n\n" + "团队的故事。" * 70_000 + "\n", 1)
    assert len(text.encode()) > 1024 * 1024
    said = events(test.post("/story/risk/edit", data={"text": text, "fingerprint": fingerprint_of(html)},
                            headers=csrf_headers()))
    assert not [e for e in said if "error" in e], said[:1]
    assert (bank.root / "risk.md").read_text() == text
