"""The progress page: each story's takes (recorded through `coach.practice.record_take`, heard ones as coach writes
them) charted against its window, pace and filler words over heard takes, and mock-interview scores per dimension
from transcripts the interview machine saved; what an empty part says to do; and the page in Chromium."""

from __future__ import annotations

import re
from datetime import datetime, timedelta

import pytest

from coach.bank.folder import Bank
from coach.practice import record_take
from coach.progress import bank_progress
from tests.conftest import snapshot
from tests.web_fixtures import browser, client, needs_chromium, no_horizontal_scroll, served, shoot

pytest.importorskip("starlette")

START = datetime(2026, 11, 20, 9, 0)
HEARD = ["- {at: '2026-11-21T09:00:00', seconds: 58.0, words: 140, wpm: 145, fillers: 6, coverage: 90}",
         "- {at: '2026-11-22T09:00:00', seconds: 52.5, words: 138, wpm: 158, fillers: 2, coverage: 97}"]


def with_takes(bank: Bank) -> Bank:
    """Give `risk` three timed takes (one over, one in, one under the 45-60s window) and two heard takes, and
    `team` one timed take; `conflict` and `learning` stay unpractised."""
    risk = bank.root / "risk.md"
    for n, seconds in enumerate((72, 55, 40)):
        record_take(bank, risk, seconds, START + timedelta(hours=n), sure=True)
    risk.write_text(_append_takes(risk.read_text(), HEARD))
    record_take(bank, bank.root / "team.md", 50, START, sure=True)
    return bank


def _append_takes(text: str, lines: list[str]) -> str:
    """Return a story's text with take lines added at the end of its practice log (coach's own form)."""
    front, rest = text.split("\n---\n", 1)
    return front + "\n" + "\n".join(lines) + "\n---\n" + rest


def interviewed(bank: Bank, endpoint, *personas: str) -> None:
    """Save one scored mock interview per persona through the interview machine, a minute apart."""
    from coach.cli.model import engine_for
    from coach.interview import Interview
    from tests.test_interview import STRONG, WEAK, Endpoint, feedback, scored
    from tests.test_interview_machine import COURAGE

    engine = engine_for(bank, None)[0]
    for n, persona in enumerate(personas):
        answer = (WEAK, STRONG)[n % 2]
        endpoint.side_effect = Endpoint([feedback(answer, impact=scored(2 + 2 * (n % 2), " ".join(answer.split()[:7])))])
        interview = Interview(bank, engine, [COURAGE], persona=persona, now=lambda n=n: START + timedelta(minutes=n))
        interview.start()
        interview.answer(answer, can_probe=False)
        interview.next()


def svgs(html: str) -> dict[str, str]:
    """Return the page's charts by id."""
    return {m.group(1): m.group(0) for m in re.finditer(r'<svg [^>]*id="([^"]+)".*?</svg>', html, re.S)}


def test_the_takes_are_gathered_in_order_with_their_window(bank):
    data = bank_progress(with_takes(bank))
    risk = next(s for s in data.stories if s.slug == "risk")
    assert [t.seconds for t in risk.takes] == [72, 55, 40, 58, 52.5] and risk.window == (45, 60)
    assert [t.fit for t in risk.takes] == ["over", "within", "under", "within", "within"]
    assert [t.heard for t in risk.takes] == [False, False, False, True, True]
    assert [(t.wpm, t.fillers, t.coverage) for t in risk.heard] == [(145, 6, 90), (158, 2, 97)]
    assert [t.number for t in risk.takes] == [1, 2, 3, 4, 5] and data.sessions == [] and data.skipped == []


def test_interview_sessions_come_in_order_with_persona_status_and_scores(bank, endpoint):
    interviewed(bank, endpoint, "tough", "friendly")
    sessions = bank_progress(bank).sessions
    assert [(s.number, s.persona, s.status) for s in sessions] == [(1, "tough", "complete"), (2, "friendly", "complete")]
    assert [s.scores["impact"] for s in sessions] == [2, 4] and sessions[0].scores["structure"] == 4
    assert sessions[0].started == "2026-11-20 09:00" and set(sessions[0].scores) <= {
        "structure", "ownership", "impact", "values", "concision"}


def test_files_that_cannot_be_read_are_named_not_fatal(bank):
    (bank.root / "broken.md").write_text("---\ntitle: [unclosed\n---\n")
    (bank.root / "sessions").mkdir()
    (bank.root / "sessions" / "2026-11-01-100000.md").write_text("---\nscores: [1, 2]\n---\n# x\n")
    data = bank_progress(bank)
    assert len(data.stories) == 4
    assert any(line.startswith("broken.md: ") for line in data.skipped)
    assert any("2026-11-01-100000.md: not a coach session transcript; skipped" in line for line in data.skipped)
    html = client(bank.root).get("/progress").text
    assert '<p class="warning">Skipped broken.md: ' in html and "not a coach session transcript; skipped" in html
    assert 'No mock interviews yet: <a href="/interview">start one</a>.' in html


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
    assert "2 heard takes: pace 145 wpm → 158 wpm (the bank&#x27;s rate is 150 wpm), filler words 6 → 2." in charts["pace-3"]
    assert charts["takes-4"].count('class="point ') == 1 and "1 take, 1 in the 45-60s window; latest 50s." in charts["takes-4"]
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
