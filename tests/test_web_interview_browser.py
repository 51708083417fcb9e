"""The mock interview as a person runs it, in Debian's Chromium, against a loopback OpenAI-compatible endpoint: the
question streams in, an answer typed, the feedback card with a piece of the answer quoted, the next question, the
report; screenshots at both sizes."""

from __future__ import annotations

import pytest

from tests.loopback_openai import NEXT_QUESTION, QUESTION, loopback_openai
from tests.test_interview import STRONG
from tests.web_fixtures import browser, needs_chromium, no_horizontal_scroll, served, shoot

pytest.importorskip("starlette")
pytestmark = needs_chromium

SECOND = ("In 2022 I told our director that the launch plan would miss its date by six weeks, although the team "
          "risked losing its launch slot. I rewrote the plan myself and it shipped two weeks early; I learned that "
          "courage is saying the hard thing first")
WATCH_WORDS = """() => {
  window.seenWords = [];
  new MutationObserver(() => {
    const into = document.querySelectorAll("[data-words]");
    if (into.length) window.seenWords.push(into[into.length - 1].textContent);
  }).observe(document.getElementById("main"), { childList: true, subtree: true, characterData: true });
}"""


def fits_both_widths(page) -> bool:
    fits = []
    for width, height in ((390, 844), (1280, 800)):
        page.set_viewport_size({"width": width, "height": height})
        fits.append(no_horizontal_scroll(page))
    return all(fits)


def answer(page, text: str, cards: int) -> None:
    """Type an answer and send it; skip a follow-up if the interviewer asks one; wait for feedback card `cards`."""
    from playwright.sync_api import expect

    page.get_by_label("Your answer").fill(text)
    page.get_by_role("button", name="Send", exact=True).click()
    feedback = page.locator(".iv-feedback")
    feedback.nth(cards - 1).or_(page.get_by_text("Your answer to the follow-up")).wait_for(timeout=15000)
    if feedback.count() < cards:
        page.get_by_role("button", name="Skip").click()
    expect(feedback.nth(cards - 1)).to_be_visible(timeout=15000)


def test_a_two_question_interview_against_a_loopback_endpoint(bank, monkeypatch):
    from playwright.sync_api import expect

    from coach.web.app import Services

    with loopback_openai() as fake:
        monkeypatch.setenv("OPENAI_BASE_URL", fake.url)
        monkeypatch.setenv("COACH_MODEL", "test-model")
        monkeypatch.setenv("COACH_RETRIES", "0")
        with served(bank.root, Services()) as server, browser() as chromium:
            page = chromium.new_page(viewport={"width": 1280, "height": 800})
            page.goto(server.url)
            page.goto(server.base + "/interview")
            expect(page.get_by_role("heading", name="Mock interview")).to_be_visible()
            assert fits_both_widths(page)
            shoot(page, "interview-setup")
            page.get_by_label("How many questions").fill("2")
            page.get_by_label("Courage").check()
            page.get_by_label("Round").select_option("peer")
            page.get_by_label("Your level").select_option("senior")
            page.evaluate(WATCH_WORDS)
            page.get_by_role("button", name="Start the interview").click()

            first = page.locator(".iv-interviewer .iv-said").first
            expect(first).to_have_text(QUESTION, timeout=15000)
            partial = [seen for seen in page.evaluate("window.seenWords") if seen and seen != QUESTION]
            assert partial and all(QUESTION.startswith(seen) for seen in partial)  # it arrived word by word
            expect(page.locator("#interview > p.muted")).to_contain_text("· peer round · 2 questions on Courage")
            assert page.url.startswith(server.base + "/interview/")  # a reload finds the interview
            expect(page.get_by_label("Your answer")).to_be_focused()
            assert fits_both_widths(page)  # the answer form with its buttons, too

            answer(page, STRONG, 1)
            card = page.locator(".iv-feedback").first
            expect(card.get_by_role("heading")).to_have_text("Feedback on question 1 · Courage")
            quote = " ".join(STRONG.split()[:7])
            expect(card.locator("q.iv-evidence").first).to_have_text(quote)
            expect(card).to_contain_text("concision")
            assert fits_both_widths(page)
            card.scroll_into_view_if_needed()
            shoot(page, "interview")

            page.get_by_role("button", name="Next question").click()
            expect(page.locator(".iv-heading").nth(1)).to_have_text("Question 2 · Courage", timeout=15000)
            expect(page.locator(".iv-interviewer .iv-said").last).to_have_text(NEXT_QUESTION)
            answer(page, SECOND, 2)
            page.get_by_role("button", name="See the report").click()
            report = page.locator(".iv-report")
            expect(report).to_be_visible(timeout=15000)
            expect(report).to_contain_text("2 of 2 questions scored · complete")
            expect(report).to_contain_text("Transcript saved to")
            assert fits_both_widths(page)
            shoot(page, "interview-report")

            page.reload()  # nothing is lost
            expect(page.locator(".iv-feedback")).to_have_count(2)
            expect(page.locator(".iv-report")).to_be_visible()
            page.goto(server.base + "/interview")  # the past session, with its round
            expect(page.locator("tbody tr").first.locator("td").nth(1)).to_have_text("peer")
            assert fits_both_widths(page)  # at 390 px the round is under the date, not a column
            shoot(page, "interview-past")
    assert any(body.get("stream") for body in fake.sent) and any(body.get("response_format") for body in fake.sent)
    [saved] = (bank.root / "sessions").glob("*.md")
    assert "round: peer" in saved.read_text()


class HeardAnything:
    """A transcriber that hears the strong answer, spoken over 48.2 seconds, in any take it is given."""

    name = "fake"

    def __init__(self):
        self.heard: list[int] = []

    def transcribe(self, audio):
        from tests.test_interview_voice import heard

        self.heard.append(audio.stat().st_size)
        return heard(STRONG, 1.0, 48.2)


def test_an_answer_recorded_with_the_microphone_is_heard_and_scored(bank, monkeypatch):
    from playwright.sync_api import expect

    from coach.web.app import Services

    hearer = HeardAnything()
    with loopback_openai(pause=0) as fake:
        monkeypatch.setenv("OPENAI_BASE_URL", fake.url)
        monkeypatch.setenv("COACH_MODEL", "test-model")
        with served(bank.root, Services(transcriber=lambda: hearer)) as server, \
                browser("--use-fake-device-for-media-stream", "--use-fake-ui-for-media-stream") as chromium:
            context = chromium.new_context(viewport={"width": 1280, "height": 800})
            context.grant_permissions(["microphone"], origin=server.base)
            page = context.new_page()
            page.goto(server.url)
            page.goto(server.base + "/interview")
            page.get_by_label("How many questions").fill("1")
            page.get_by_label("Courage").check()
            page.get_by_role("button", name="Start the interview").click()
            expect(page.locator(".iv-interviewer .iv-said").first).to_have_text(QUESTION, timeout=15000)
            page.get_by_role("button", name="Record").click()
            expect(page.get_by_role("button", name="Stop and send")).to_be_visible()
            page.wait_for_timeout(1200)
            page.get_by_role("button", name="Stop and send").click()
            expect(page.locator(".iv-you").first).to_contain_text("You (spoken 48.2s):", timeout=15000)
            card = page.locator(".iv-feedback").first
            expect(card).to_be_visible(timeout=15000)
            expect(card).to_contain_text("48.2s spoken against 45-60s")
    assert hearer.heard and hearer.heard[0] > 0
