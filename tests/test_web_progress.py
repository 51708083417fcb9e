"""The progress page: each story's takes (recorded through `coach.practice.record_take`, heard ones as coach writes
them) charted against its window, pace and filler words over heard takes, and mock-interview scores per dimension
from transcripts the interview machine saved; what an empty part says to do; and the page in Chromium."""

from __future__ import annotations

import re

import pytest

from coach.practice import record_take
from tests.conftest import snapshot
from tests.test_progress import START, interviewed, with_takes
from tests.web_fixtures import browser, client, needs_chromium, no_horizontal_scroll, served, shoot

pytest.importorskip("starlette")

def svgs(html: str) -> dict[str, str]:
    """Return the page's charts by id."""
    return {m.group(1): m.group(0) for m in re.finditer(r'<svg [^>]*id="([^"]+)".*?</svg>', html, re.S)}


def test_files_that_cannot_be_read_are_named_on_the_page(bank):
    (bank.root / "broken.md").write_text("---\ntitle: [unclosed\n---\n")
    (bank.root / "sessions").mkdir()
    (bank.root / "sessions" / "2026-11-01-100000.md").write_text("---\nscores: [1, 2]\n---\n# x\n")
    html = client(bank.root).get("/progress").text
    assert '<p class="warning">Skipped broken.md: ' in html and "not a coach session transcript; skipped" in html
    assert 'No mock interviews yet: <a href="/interview">start one</a>.' in html
    assert len(svgs(html)) == 0 and html.count('No takes yet: <a href="/practice/') == 4


def test_the_page_charts_each_storys_takes_and_the_interview_scores(bank, endpoint):
    interviewed(with_takes(bank), endpoint, "tough", "friendly")
    before = snapshot(bank.root)
    answer = client(bank.root).get("/progress")
    assert answer.status_code == 200, answer.text
    html = answer.text
    charts = svgs(html)
    assert set(charts) == {"takes-3", "pace-3", "takes-4", "scores"}  # risk and team (sorted: conflict, learning first)
    risk = charts["takes-3"]
    assert risk.count('class="point ') == 5 and risk.count('class="point heard') == 2
    assert "5 takes (2 heard), 3 in the 45-60s window, 1 over, 1 under; latest 52s." in risk
    assert charts["pace-3"].count('class="point pace"') == 2 and charts["pace-3"].count('class="point fillers"') == 2
    assert ("2 heard takes: pace 145 wpm → 158 wpm (the bank&#x27;s rate is 150 wpm), filler words 6 → 2."
            in charts["pace-3"])
    assert charts["takes-4"].count('class="point ') == 1
    assert "1 take, 1 in the 45-60s window; latest 50s." in charts["takes-4"]
    scores = charts["scores"]
    assert "2 mock interviews" in scores and "impact 2 → 4" in scores
    assert "tough interviewer" in scores and "friendly interviewer" in scores
    assert '<a href="/story/risk">The Risk Story</a>' in html
    assert "No takes yet: <a href=\"/practice/conflict\">practise it</a>." in html
    assert "No mock interviews yet" not in html
    tables = re.findall(r"<details>.*?</details>", html, re.S)
    assert len(tables) == 4 and "<td>tough</td>" in tables[-1] and "<td>friendly</td>" in tables[-1]
    assert snapshot(bank.root) == before  # looking changes nothing


def test_an_empty_bank_says_what_to_do(bank):
    html = client(bank.root).get("/progress").text
    assert "<svg" not in html
    assert html.count("No takes yet: <a href=\"/practice/") == 4
    assert 'No mock interviews yet: <a href="/interview">start one</a>.' in html


def test_a_story_title_and_a_hand_edited_persona_are_escaped(bank):
    path = bank.root / "risk.md"
    path.write_text(path.read_text().replace("title: The Risk Story", "title: 'The <script>alert(1)</script> Story'"))
    record_take(bank, path, 55, START)
    (bank.root / "sessions").mkdir()
    (bank.root / "sessions" / "2026-11-01-100000.md").write_text(
        "---\nstarted: 2026-11-01 10:00\npersona: '<img src=x>'\nstatus: complete\nscores: {impact: 3}\n---\n# x\n")
    html = client(bank.root).get("/progress").text
    assert "<script>alert" not in html and html.count("&lt;script&gt;alert(1)&lt;/script&gt;") == 2  # heading, chart
    assert "<img src=x>" not in html and "&lt;img src=x&gt; interviewer" in html


def test_without_a_bank_the_page_says_so_in_one_sentence(tmp_path):
    answer = client(tmp_path / "nowhere").get("/progress")
    assert answer.status_code == 400 and "no story bank here" in answer.text and "Traceback" not in answer.text


def test_a_story_not_refined_yet_says_it_needs_a_refined_version(bank):
    path = bank.root / "learning.md"
    text = path.read_text()
    path.write_text(text.split("## Refined")[0] if "## Refined" in text else text)
    html = client(bank.root).get("/progress").text
    assert "needs a refined version before it can be practised" in html


@needs_chromium
def test_the_progress_page_in_chromium(bank, endpoint):
    interviewed(with_takes(bank), endpoint, "tough", "friendly", "neutral")
    with served(bank.root) as server, browser() as chromium:
        page = chromium.new_page(viewport={"width": 1280, "height": 800})
        page.goto(server.url)
        page.goto(server.base + "/progress")
        assert page.get_by_role("heading", name="Progress", exact=True).is_visible()
        risk = page.get_by_role("img", name="Takes of The Risk Story against its 45-60s window")
        assert risk.is_visible() and risk.bounding_box()["height"] > 100
        assert page.get_by_role("img", name="Pace and filler words over the heard takes of The Risk Story").is_visible()
        scores = page.get_by_role("img", name="Mock-interview scores per dimension over sessions")
        assert scores.is_visible()
        description = page.evaluate("id => document.getElementById(id).textContent", "scores-desc")
        assert description.startswith("3 mock interviews; latest scored")
        assert page.get_by_role("link", name="practise it").first.is_visible()
        assert no_horizontal_scroll(page)
        page.set_viewport_size({"width": 390, "height": 844})
        assert no_horizontal_scroll(page) and risk.is_visible()
        assert risk.bounding_box()["width"] <= 390
        page.get_by_text("The 5 takes as a table").click()
        assert page.get_by_role("cell", name="72s").is_visible()
        assert no_horizontal_scroll(page)
        shoot(page, "progress")
