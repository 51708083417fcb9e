"""The story page and the call log as a person sees them in Debian's Chromium, with screenshots at both sizes."""

from __future__ import annotations

import pytest

from tests.web_fixtures import browser, needs_chromium, no_horizontal_scroll, served, shoot

pytest.importorskip("starlette")
pytestmark = needs_chromium


def test_a_story_shows_its_text_a_finding_beside_its_sentence_and_the_follow_up_ids(bank):
    from coach.bank.folder import load_story

    ids = load_story(bank.root / "team.md").follow_up_ids()
    with served(bank.root) as server, browser() as chromium:
        page = chromium.new_page(viewport={"width": 1280, "height": 800})
        page.goto(server.url)
        page.get_by_role("link", name="The Team Story").click()
        assert page.get_by_role("heading", name="The Team Story", level=1).is_visible()
        flagged = page.locator(".sentence.flagged").filter(has_text="velocity increased 30%")
        sentence, finding = flagged.locator(".said"), flagged.locator(".beside")
        assert sentence.is_visible() and "unsupported-number" in finding.inner_text()
        assert finding.bounding_box()["x"] > sentence.bounding_box()["x"] + 200  # beside it, on a wide screen
        for fid in ids:
            assert page.locator("code.fid", has_text=fid).first.is_visible()
        assert no_horizontal_scroll(page)
        page.set_viewport_size({"width": 390, "height": 844})
        assert no_horizontal_scroll(page)
        assert finding.bounding_box()["y"] > sentence.bounding_box()["y"]  # under it, on a phone
        page.set_viewport_size({"width": 1280, "height": 800})
        page.get_by_role("button", name=f"Pin {ids[0]}").click()
        page.locator(".outcome", has_text=f"Pinned {ids[0]}").wait_for()
        assert page.locator(f"#followup-{ids[0]} .tag.pinned").is_visible()
        assert load_story(bank.root / "team.md").follow_ups[0].pinned
        shoot(page, "story")


def test_the_call_log_lists_the_calls_and_opens_one(bank):
    from tests.test_web_calls import logged

    logged(bank)
    logged(bank, command="followups", outcome="failed checks", attempts=2, reasons=["an invented number"])
    with served(bank.root) as server, browser() as chromium:
        page = chromium.new_page(viewport={"width": 1280, "height": 800})
        page.goto(server.url)
        page.get_by_role("link", name="Call log").click()
        assert page.get_by_role("heading", name="Call log").is_visible()
        assert page.locator("tbody tr").count() == 2
        assert no_horizontal_scroll(page)
        page.set_viewport_size({"width": 390, "height": 844})
        assert no_horizontal_scroll(page)
        shoot(page, "log")
        page.get_by_role("link", name="Call 2 in full").click()
        assert page.get_by_text("an invented number").is_visible()
        assert no_horizontal_scroll(page)


def test_two_tabs_editing_the_file_the_second_save_is_refused_and_keeps_its_text(bank):
    path = bank.root / "risk.md"
    with served(bank.root) as server, browser() as chromium:
        context = chromium.new_context(viewport={"width": 1280, "height": 800})
        first, second = context.new_page(), context.new_page()
        first.goto(server.url)
        for tab in (first, second):
            tab.goto(server.base + "/story/risk")
            tab.get_by_text("Edit the file").click()
        box = first.get_by_label("The story file")
        assert box.input_value() == path.read_text()  # the file as it is on disk, first line and all
        box.fill(box.input_value().replace("Salesforce in 2023", "Salesforce in early 2023"))
        first.get_by_role("button", name="Save the file").click()
        first.locator(".outcome", has_text="risk.md: saved with changes.").wait_for()
        saved = path.read_bytes()
        assert b"Salesforce in early 2023" in saved and b"\r" not in saved
        theirs = second.get_by_label("The story file")
        theirs.fill(theirs.input_value().replace("burning people out", "wearing people down"))
        second.get_by_role("button", name="Save the file").click()
        second.locator("#flash.shown").wait_for()
        assert second.locator("#flash").inner_text().startswith("The file changed on disk since this page loaded it")
        assert "wearing people down" in theirs.input_value()  # the refused text is still there to copy
        assert path.read_bytes() == saved


def test_words_typed_on_the_page_survive_another_action_and_never_overwrite_its_change(bank):
    """Typing in the file's box, then pinning a follow-up: the pin is saved, the typed words stay in the box, and
    saving them is refused (the file changed), so neither the pin nor the words are lost."""
    from coach.bank.folder import load_story

    path = bank.root / "team.md"
    ids = load_story(path).follow_up_ids()
    with served(bank.root) as server, browser() as chromium:
        page = chromium.new_page(viewport={"width": 1280, "height": 800})
        page.goto(server.url)
        page.goto(server.base + "/story/team")
        page.get_by_text("Edit the file").click()
        box = page.get_by_label("The story file")
        mine = box.input_value().replace("Two months into Salesforce", "Two months into my time at Salesforce")
        box.fill(mine)
        page.get_by_role("button", name=f"Pin {ids[0]}").click()
        page.locator(".outcome", has_text=f"Pinned {ids[0]}").wait_for()
        assert load_story(path).follow_ups[0].pinned
        box = page.get_by_label("The story file")
        assert box.is_visible() and box.input_value() == mine  # the box stayed open, with the words typed
        pinned = path.read_bytes()
        page.get_by_role("button", name="Save the file").click()
        page.locator("#flash.shown").wait_for()
        assert page.locator("#flash").inner_text().startswith("The file changed on disk since this page loaded it")
        assert path.read_bytes() == pinned and box.input_value() == mine
