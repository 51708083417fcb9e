"""The progress charts as SVG text: the window band where the window is, one point per take, shapes that tell heard
from timed takes, values past the plot held inside it, user text escaped, and a description that says it in words."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from datetime import datetime, timedelta

import pytest

from coach.method.text import fit
from coach.progress import SessionScores, StoryTakes, Take
from coach.web.charts import nice_top, pace_chart, scores_chart, takes_chart

SVG = "{http://www.w3.org/2000/svg}"
START = datetime(2026, 11, 20, 9, 0)


def story(*seconds: float, heard: tuple[int, ...] = (), title: str = "The Risk Story", window=(45, 60),
          wpm=(150,), fillers=(3,)) -> StoryTakes:
    """Return a story whose takes last `seconds`; the takes numbered in `heard` (from 1) were heard."""
    takes = [Take(n, START + timedelta(days=n), s, n in heard, fit(s, window),
                  wpm=wpm[(n - 1) % len(wpm)] if n in heard else None,
                  fillers=fillers[(n - 1) % len(fillers)] if n in heard else None)
             for n, s in enumerate(seconds, 1)]
    return StoryTakes("risk", title, window, takes, True)


def session(number: int, persona: str = "neutral", **scores: float) -> SessionScores:
    return SessionScores(number, f"s{number}.md", f"2026-11-{number:02d} 10:00", persona, "complete", 2, 2, scores)


def parsed(svg) -> ET.Element:
    """Parse the chart as XML: it must be well formed (nothing unescaped), an accessible image with a viewBox."""
    root = ET.fromstring(str(svg))
    assert root.get("role") == "img" and root.get("viewBox", "").startswith("0 0 ")
    assert root.get("width") is None and root.get("height") is None  # it scales to the width it is given
    ident = root.get("id")
    assert root.get("aria-labelledby") == f"{ident}-title" and root.get("aria-describedby") == f"{ident}-desc"
    assert root.find(f"{SVG}title").get("id") == f"{ident}-title"
    assert root.find(f"{SVG}desc").get("id") == f"{ident}-desc"
    return root


def points(root: ET.Element, kind: str = "") -> list[ET.Element]:
    return [e for e in root.iter() if (e.get("class") or "").split()[:1] == ["point"] and kind in e.get("class")]


def desc(root: ET.Element) -> str:
    return root.find(f"{SVG}desc").text


def grid(root: ET.Element) -> dict[str, float]:
    """Return the y of each labelled tick of the y axis (its label's text -> the grid line's y)."""
    texts = {t.text: float(t.get("y")) - 4 for t in root.iter(f"{SVG}text") if t.get("text-anchor") == "end"}
    lines = {float(line.get("y1")) for line in root.iter(f"{SVG}line")}
    return {label: y for label, y in texts.items() if y in lines}


def test_the_window_band_lies_between_the_windows_seconds():
    root = parsed(takes_chart(story(52), "t"))
    ticks = grid(root)
    zero, hundred = ticks["0"], ticks["100"]
    at = lambda seconds: zero + (hundred - zero) * seconds / 100  # noqa: E731
    band = next(e for e in root.iter(f"{SVG}rect") if e.get("class") == "window")
    assert float(band.get("y")) == pytest.approx(at(60), abs=0.2)
    assert float(band.get("y")) + float(band.get("height")) == pytest.approx(at(45), abs=0.2)
    take = points(root)[0]
    assert float(take.get("cy")) == pytest.approx(at(52), abs=0.2)


@pytest.mark.parametrize("count", [0, 1, 7, 120])
def test_one_point_per_take_whatever_their_number(count):
    root = parsed(takes_chart(story(*[50 + n % 20 for n in range(count)]), "t"))
    assert len(points(root)) == count
    xs = [float(p.get("cx")) for p in points(root)]
    assert xs == sorted(xs) and all(48 <= x <= 386 for x in xs)  # in order, inside the plot's width
    if count == 0:
        assert desc(root) == "No takes yet; the window is 45-60s."
        assert any(t.text == "no takes yet" for t in root.iter(f"{SVG}text"))


def test_heard_and_timed_takes_differ_in_shape_and_outside_the_window_in_fill():
    root = parsed(takes_chart(story(72, 55, 40, 58, 52.5, heard=(4, 5)), "t"))
    assert [p.tag.removeprefix(SVG) for p in points(root)] == ["circle", "circle", "circle", "rect", "rect"]
    assert [p.get("fill") == "#ffffff" for p in points(root)] == [True, False, True, False, False]
    assert [p.get("class").split()[-1] for p in points(root)] == ["over", "within", "under", "within", "within"]
    tips = [p.find(f"{SVG}title").text for p in points(root)]
    assert tips[0] == "Take 1, 2026-11-21 09:00: 72s, timed, 12s over the window"
    assert tips[3] == "Take 4, 2026-11-24 09:00: 58s, heard, in the window"


def test_the_description_says_how_many_takes_fell_in_the_window_and_the_latest():
    root = parsed(takes_chart(story(72, 55, 40, 58, 52.5, heard=(4, 5)), "t"))
    assert desc(root) == "5 takes (2 heard), 3 in the 45-60s window, 1 over, 1 under; latest 52s."
    assert root.find(f"{SVG}title").text == "Takes of The Risk Story against its 45-60s window"
    assert desc(parsed(takes_chart(story(50), "t"))) == "1 take, 1 in the 45-60s window; latest 50s."


def test_an_absurd_take_is_held_inside_the_plot_and_says_so():
    root = parsed(takes_chart(story(52, 400, 0), "t"))
    ticks = grid(root)
    top, bottom = min(ticks.values()), max(ticks.values())
    ys = [float(p.get("cy")) for p in points(root)]
    assert all(top <= y <= bottom for y in ys) and ys[1] == top and ys[2] == bottom
    assert "past the top of the chart" in points(root)[1].find(f"{SVG}title").text
    assert any(t.get("class") == "off" and t.text == "400s" for t in root.iter(f"{SVG}text"))
    last = parsed(takes_chart(story(52, 55, 50, 58, 400), "t"))
    [off] = [t for t in last.iter(f"{SVG}text") if t.get("class") == "off"]
    assert off.get("text-anchor") == "end" and float(off.get("x")) < 386  # the last point's label stays inside
    assert float(max(ticks, key=float)) <= 200  # the window is not crushed to fit the 400s take


def test_a_title_with_a_script_is_escaped():
    svg = str(takes_chart(story(52, title='The <script>alert("x")</script> & Co'), "t"))
    assert "<script>" not in svg and "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; Co" in svg
    title = parsed(svg).find(f"{SVG}title").text
    assert title == 'Takes of The <script>alert("x")</script> & Co against its 45-60s window'
    assert "<script>" not in str(pace_chart(story(52, heard=(1,), title="<script>"), "p"))


def test_an_odd_chart_id_cannot_break_out_of_its_attribute():
    root = parsed(takes_chart(story(52), 'x" onload="alert(1)'))
    assert root.get("onload") is None and root.get("id") == "x--onload--alert-1-"


def test_pace_and_fillers_are_drawn_for_heard_takes_only():
    root = parsed(pace_chart(story(72, 55, 58, 52, heard=(2, 3, 4), wpm=(0, 140, 150, 9000), fillers=(0, 6, 2, 80)),
                             "p", 150))
    assert len(points(root, "pace")) == 3 and len(points(root, "fillers")) == 3
    assert desc(root) == ("3 heard takes: pace 140 wpm → 9000 wpm (the bank's rate is 150 wpm), "
                          "filler words 6 → 80.")
    ticks = grid(root)
    top = min(ticks.values())
    assert all(float(p.get("cy")) >= top for p in points(root, "pace"))  # 9000 wpm is held at the top
    assert "past the top of the chart" in points(root, "pace")[-1].find(f"{SVG}title").text
    assert any(line.get("class") == "rate" for line in root.iter(f"{SVG}line"))


def test_a_hand_written_heard_take_without_fillers_leaves_a_gap_not_a_zero():
    takes = [Take(1, START, 52, True, "within", wpm=140, fillers=None), Take(2, START, 55, True, "within", wpm=150,
                                                                            fillers=4)]
    root = parsed(pace_chart(StoryTakes("risk", "Risk", (45, 60), takes, True), "p"))
    assert len(points(root, "pace")) == 2 and len(points(root, "fillers")) == 1
    assert desc(root) == "2 heard takes: pace 140 wpm → 150 wpm, filler words – → 4."


def test_scores_draw_one_line_per_dimension_with_a_legend_and_each_points_interviewer():
    sessions = [session(1, "tough", structure=3, ownership=2, impact=2, values=3, concision=4),
                session(2, "friendly", structure=4, ownership=3, impact=4, values=4, concision=5),
                session(3, "", structure=4, ownership=4, impact=9, values=4)]
    root = parsed(scores_chart(sessions, "scores"))
    assert len(points(root)) == 14 and len(list(root.iter(f"{SVG}polyline"))) == 5
    assert [g.find(f"{SVG}text").text for g in root.iter(f"{SVG}g") if g.get("class") == "legend"] == [
        "structure", "ownership", "impact", "values", "concision"]
    tips = [p.find(f"{SVG}title").text for p in points(root, "impact")]
    assert tips == ["Session 1, 2026-11-01 10:00, tough interviewer: impact 2",
                    "Session 2, 2026-11-02 10:00, friendly interviewer: impact 4",
                    "Session 3, 2026-11-03 10:00, interviewer not recorded: impact 9 (outside 1-5)"]
    five = grid(root)["5"]
    assert float(points(root, "impact")[-1].get("d").split()[1].split("L")[0]) >= five - 1.3 * 5  # held at 5
    assert desc(root) == ("3 mock interviews; latest scored (2026-11-03 10:00, interviewer not recorded): structure 4, "
                          "ownership 4, impact 9, values 4. First to latest: structure 3 → 4, ownership 2 → 4, "
                          "impact 2 → 9, values 3 → 4.")


def test_each_sessions_interviewer_is_written_under_it_when_they_differ():
    def under(sessions):
        return [t.text for t in parsed(scores_chart(sessions, "s")).iter(f"{SVG}text") if t.get("class") == "under"]

    assert under([session(1, "tough", impact=2), session(2, "", impact=3)]) == ["tough", "?"]
    assert under([session(1, "tough", impact=2), session(2, "tough", impact=3)]) == []
    assert under([session(n, ("tough", "friendly")[n % 2], impact=3) for n in range(1, 30)]) == []  # no room


def test_a_session_missing_a_score_breaks_that_dimensions_line():
    root = parsed(scores_chart([session(1, impact=2), session(2), session(3, impact=4)], "s"))
    assert len(points(root)) == 2 and not list(root.iter(f"{SVG}polyline"))  # no line drawn across the gap


@pytest.mark.parametrize("count", [0, 1, 40])
def test_scores_draw_for_none_one_and_many_sessions(count):
    root = parsed(scores_chart([session(n, structure=1 + n % 5) for n in range(1, count + 1)], "s"))
    assert len(points(root)) == count
    assert desc(root).startswith(f"{count} mock interview")


@pytest.mark.parametrize(("value", "top"), [(0, 1), (1, 1), (52, 60), (90, 100), (180, 200), (7, 8), (float("nan"), 1)])
def test_axis_tops_are_round(value, top):
    assert nice_top(value)[0] == top
