"""The page as a person sees it, in Debian's Chromium: the board, and a screenshot at both sizes."""

from __future__ import annotations

import pytest

from tests.web_fixtures import browser, needs_chromium, no_horizontal_scroll, served, shoot

pytest.importorskip("starlette")
pytestmark = needs_chromium


def test_the_board_shows_the_stories_and_marks_the_value_gaps(bank):
    with served(bank.root) as server, browser() as chromium:
        page = chromium.new_page(viewport={"width": 1280, "height": 800})
        page.goto(server.url)
        assert page.url == server.base + "/"  # the token left the address once it became a cookie
        assert page.get_by_role("heading", name="Your stories").is_visible()
        assert page.get_by_role("link", name="The Risk Story").is_visible()
        assert page.locator(".gap").count() >= 1  # the sample covers 4 of Netflix's values: the rest are gaps
        assert no_horizontal_scroll(page)
        page.set_viewport_size({"width": 390, "height": 844})
        assert no_horizontal_scroll(page)
        shoot(page, "board")


def test_a_page_opened_without_the_token_shows_only_the_refusal(bank):
    with served(bank.root) as server, browser() as chromium:
        page = chromium.new_page()
        answer = page.goto(server.base + "/")
        assert answer.status == 403
        assert "needs the address coach serve printed" in page.content()
