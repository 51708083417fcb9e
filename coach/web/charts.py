"""The progress charts as SVG: data in, markup out, every label escaped, no script.

    takes_chart(story, "takes-1")      a story's takes (seconds) against its window, drawn as a band
    pace_chart(story, "pace-1", 150)   pace (wpm) and filler words over the story's heard takes
    scores_chart(sessions, "scores")   mock-interview scores per dimension (1-5) over sessions

Each is an `<svg role="img">` named by its `<title>` and described by its `<desc>` (what it shows, in words), drawn
in a `viewBox` so it scales to any width. Values past the plot (a 400 s take, a score of 9) are drawn at its edge
and say so; none, one or many points all draw. Shapes tell kinds apart, so colour is never the only difference.
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from dataclasses import dataclass
from html import escape

from coach.interview.session import DIMENSIONS
from coach.progress import SessionScores, StoryTakes, Take

WIDTH = 400
CHAR = 8  # the width a label's character takes, at most, at the page's 13px (in viewBox units)
LEFT, RIGHT = 48, 14
INK, MUTED, GRID, BAND, BAND_EDGE = "#1d2430", "#5b6475", "#d8dde6", "#dcefe2", "#1f7a3f"
FIT_COLOUR = {"within": "#1f7a3f", "over": "#b3261e", "under": "#9a5b00"}
ACCENT = "#2457c5"
# Per dimension: colour (Okabe-Ito, safe for colour-blind eyes), marker shape and dash, so lines differ three ways
LOOKS = {"structure": ("#0072b2", "circle", ""), "ownership": ("#d55e00", "square", "6 3"),
         "impact": ("#009e73", "triangle", "2 3"), "values": ("#cc79a7", "diamond", "8 3 2 3"),
         "concision": ("#8a6d00", "cross", "4 4")}
STEPS = (1, 2, 5, 10, 15, 20, 25, 30, 50, 60, 100, 120, 150, 200, 250, 300, 500, 600, 1000, 2000, 5000, 10000)


def _e(text) -> str:
    """Return text escaped for SVG (XML) text and attributes."""
    return escape(str(text), quote=True)


def _seconds(value: float) -> str:
    """Return seconds as the page writes them: 52s, 9.5s."""
    return f"{value:.0f}s" if value >= 10 else f"{value:.1f}s"


def _n(count: int, word: str) -> str:
    """Return a count with its word, plural unless one: 1 take, 5 takes."""
    return f"{count} {word}{'' if count == 1 else 's'}"


def _id(chart_id: str) -> str:
    """Return the chart's id with anything but letters, digits, - and _ replaced, so it stays an attribute."""
    return re.sub(r"[^A-Za-z0-9_-]", "-", chart_id) or "chart"


@dataclass(frozen=True)
class Scale:
    """A linear map from values (low..high) to a pixel span (start..end); values outside are held at the edge."""

    low: float
    high: float
    start: float
    end: float

    def __call__(self, value: float) -> float:
        """Return the pixel position of value, clamped inside the span."""
        held = self.clamped(value)
        return round(self.start + (held - self.low) / (self.high - self.low) * (self.end - self.start), 1)

    def clamped(self, value: float) -> float:
        """Return value held inside low..high (a value that is no number sits at low)."""
        if not isinstance(value, int | float) or not math.isfinite(value):
            return self.low
        return min(self.high, max(self.low, value))

    def outside(self, value: float) -> bool:
        """Return True when value lies past the scale's ends (so it is drawn at an edge)."""
        return self.clamped(value) != value


def nice_top(value: float, ticks: int = 5) -> tuple[float, float]:
    """Return a round top for an axis from 0 that reaches value, and the step between its ticks."""
    value = value if math.isfinite(value) and value > 0 else 1
    step = next((s for s in STEPS if s * ticks >= value), STEPS[-1])
    return math.ceil(value / step) * step, step


def slot(number: int, count: int, start: float = LEFT, end: float = WIDTH - RIGHT) -> float:
    """Return the x of the number-th of count points (from 1), each in the middle of its equal share of the width."""
    share = (end - start) / max(count, 1)
    return round(start + (number - 0.5) * share, 1)


def marker(shape: str, x: float, y: float, r: float, colour: str, filled: bool = True, tip: str = "",
           kind: str = "") -> str:
    """Return one shape (circle, square, triangle, diamond, cross) with its tip as an SVG `<title>`; `kind` is its
    class (a data point's starts with `point`; without one it is a legend's swatch)."""
    fill = colour if filled else "#ffffff"
    paint = f'fill="{fill}" stroke="{colour}" stroke-width="1.5"'
    if shape == "square":
        body = f'<rect x="{x - r:.1f}" y="{y - r:.1f}" width="{2 * r:.1f}" height="{2 * r:.1f}" {paint}'
    elif shape == "triangle":
        body = f'<path d="M{x:.1f} {y - r * 1.2:.1f}L{x + r * 1.1:.1f} {y + r * 0.8:.1f}L{x - r * 1.1:.1f} ' \
               f'{y + r * 0.8:.1f}Z" {paint}'
    elif shape == "diamond":
        body = f'<path d="M{x:.1f} {y - r * 1.3:.1f}L{x + r * 1.3:.1f} {y:.1f}L{x:.1f} {y + r * 1.3:.1f}' \
               f'L{x - r * 1.3:.1f} {y:.1f}Z" {paint}'
    elif shape == "cross":
        body = f'<path d="M{x - r:.1f} {y - r:.1f}L{x + r:.1f} {y + r:.1f}M{x - r:.1f} {y + r:.1f}L{x + r:.1f} ' \
               f'{y - r:.1f}" fill="none" stroke="{colour}" stroke-width="2.5"'
    else:
        body = f'<circle cx="{x:.1f}" cy="{y:.1f}" r="{r:.1f}" {paint}'
    element = body[1:body.index(" ")]
    return f'{body} class="{kind or "swatch"}">' + (f"<title>{_e(tip)}</title>" if tip else "") + f"</{element}>"


def _frame(chart_id: str, title: str, desc: str, height: int, body: list[str], kind: str) -> str:
    """Wrap a chart's body in its accessible `<svg>`: named by its title, described by its desc."""
    ident = _id(chart_id)
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart {kind}" id="{ident}" role="img" '
        f'viewBox="0 0 {WIDTH} {height}" preserveAspectRatio="xMidYMid meet" '
        f'aria-labelledby="{ident}-title" aria-describedby="{ident}-desc">'
        f'<title id="{ident}-title">{_e(title)}</title><desc id="{ident}-desc">{_e(desc)}</desc>'
        + "".join(body) + "</svg>")


def _y_axis(scale: Scale, ticks: Sequence[float], label: str, unit: str = "") -> list[str]:
    """Return the horizontal grid lines, the tick labels and the axis' label of a y scale."""
    out = []
    for tick in ticks:
        y = scale(tick)
        out.append(f'<line x1="{LEFT}" x2="{WIDTH - RIGHT}" y1="{y}" y2="{y}" stroke="{GRID}" stroke-width="1"/>')
        out.append(f'<text x="{LEFT - 6}" y="{y + 4}" text-anchor="end" fill="{MUTED}">{tick:g}{_e(unit)}</text>')
    middle = (scale.start + scale.end) / 2
    out.append(f'<text x="12" y="{middle}" text-anchor="middle" fill="{MUTED}" '
               f'transform="rotate(-90 12 {middle})">{_e(label)}</text>')
    return out


def _x_axis(count: int, y: float, label: str, under: Sequence[str] = ()) -> list[str]:
    """Return the numbers under the points (every one, or every few when there are many), a word under each number
    when `under` gives them, and the axis' label."""
    out = [f'<line x1="{LEFT}" x2="{WIDTH - RIGHT}" y1="{y}" y2="{y}" stroke="{MUTED}" stroke-width="1"/>']
    every = max(1, math.ceil(count / 10))
    for number in range(1, count + 1, every):
        out.append(f'<text x="{slot(number, count)}" y="{y + 16}" text-anchor="middle" fill="{MUTED}">{number}</text>')
        if under:
            out.append(f'<text class="under" x="{slot(number, count)}" y="{y + 32}" text-anchor="middle" '
                       f'fill="{MUTED}">{_e(under[number - 1])}</text>')
    out.append(f'<text x="{(LEFT + WIDTH - RIGHT) / 2}" y="{y + (50 if under else 34)}" text-anchor="middle" '
               f'fill="{INK}">{_e(label)}</text>')
    return out


def _legend(items: Sequence[tuple[str, str]], y: float = 14, gap: int = 14) -> tuple[list[str], float]:
    """Return legend entries (a swatch drawn around 0,0 and its label) in rows that fit the width, and the y of the
    last row, so the plot starts below it."""
    out, x = [], LEFT
    for swatch, label in items:
        wide = 14 + len(label) * CHAR
        if x > LEFT and x + wide > WIDTH - RIGHT:
            x, y = LEFT, y + 18
        out.append(f'<g class="legend" transform="translate({x} {y})">{swatch}'
                   f'<text x="10" y="4" fill="{INK}">{_e(label)}</text></g>')
        x += wide + gap
    return out, y


def _line(points: list[tuple[float, float]], colour: str, dash: str = "", width: float = 1.5) -> str:
    """Return a polyline through points (nothing for fewer than two)."""
    if len(points) < 2:
        return ""
    dashes = f' stroke-dasharray="{dash}"' if dash else ""
    coords = " ".join(f"{x},{y}" for x, y in points)
    return f'<polyline points="{coords}" fill="none" stroke="{colour}" stroke-width="{width}"{dashes}/>'


# (a) A story's takes against its window


def takes_desc(story: StoryTakes) -> str:
    """Say in words what the takes chart shows: how many takes, how many in the window, the latest."""
    low, high = story.window
    if not story.takes:
        return f"No takes yet; the window is {low}-{high}s."
    takes, heard = story.takes, len(story.heard)
    counts = {kind: sum(1 for t in takes if t.fit == kind) for kind in ("over", "under")}
    outside = "".join(f", {counts[kind]} {kind}" for kind in ("over", "under") if counts[kind])
    made = f" ({heard} heard)" if heard else ""
    return (f"{_n(len(takes), 'take')}{made}, {story.within} in the {low}-{high}s window{outside}; "
            f"latest {_seconds(takes[-1].seconds)}.")


def take_tip(take: Take, window: tuple[int, int]) -> str:
    """Return what one take's point says when pointed at: its number, when, how long, how, against the window."""
    low, high = window
    where = {"within": "in the window", "over": f"{take.seconds - high:.0f}s over the window",
             "under": f"{low - take.seconds:.0f}s under the window"}[take.fit]
    how = "heard" if take.heard else "timed"
    return f"Take {take.number}, {take.at:%Y-%m-%d %H:%M}: {_seconds(take.seconds)}, {how}, {where}"


def takes_chart(story: StoryTakes, chart_id: str) -> str:
    """Return the SVG of a story's takes (seconds, one point each) against its target window (a shaded band)."""
    low, high = story.window
    high = max(high, low, 1)
    legend, last_row = _legend([
        (marker("circle", 0, 0, 4, INK), "timed"), (marker("square", 0, 0, 4, INK), "heard"),
        (marker("circle", 0, 0, 4, INK, False), "outside"),
        (f'<rect x="-5" y="-5" width="10" height="10" fill="{BAND}" stroke="{BAND_EDGE}"/>', f"{low}-{high}s window")])
    top_pad, bottom_pad = last_row + 20, 48
    height = top_pad + 170 + bottom_pad
    biggest = max((t.seconds for t in story.takes if math.isfinite(t.seconds)), default=0)
    top, step = nice_top(max(high * 1.5, min(biggest * 1.1, high * 3)))
    y = Scale(0, top, height - bottom_pad, top_pad)
    body = _y_axis(y, [step * i for i in range(int(top // step) + 1)], "seconds")
    body.append(f'<rect class="window" x="{LEFT}" y="{y(high)}" width="{WIDTH - RIGHT - LEFT}" '
                f'height="{round(y(low) - y(high), 1)}" fill="{BAND}" stroke="{BAND_EDGE}" stroke-width="1" '
                f'stroke-dasharray="4 3"><title>the {low}-{high}s window</title></rect>')
    count = len(story.takes)
    r = max(2.5, min(6, (WIDTH - LEFT - RIGHT) / max(count, 1) / 3))
    points = [(slot(n, count), y(t.seconds)) for n, t in enumerate(story.takes, 1)]
    body.append(_line(points, GRID))
    for take, (px, py) in zip(story.takes, points, strict=True):
        tip = take_tip(take, story.window) + (" (past the top of the chart)" if y.outside(take.seconds) else "")
        body.append(marker("square" if take.heard else "circle", px, py, r, FIT_COLOUR[take.fit],
                           take.fit == "within", tip, f"point {'heard' if take.heard else 'timed'} {take.fit}"))
        if y.outside(take.seconds):  # its length written beside it, on the side with room
            side = f'x="{px - r - 3}" text-anchor="end"' if px > WIDTH - RIGHT - 50 else f'x="{px + r + 3}"'
            body.append(f'<text class="off" {side} y="{py + 4}" fill="{INK}">{_seconds(take.seconds)}</text>')
    if not count:
        body.append(f'<text x="{(LEFT + WIDTH - RIGHT) / 2}" y="{y(high) - 10}" text-anchor="middle" '
                    f'fill="{MUTED}">no takes yet</text>')
    body += _x_axis(count, height - bottom_pad, "take") + legend
    title = f"Takes of {story.title} against its {low}-{story.window[1]}s window"
    return _frame(chart_id, title, takes_desc(story), height, body, "takes")


# (b) Pace and filler words over a story's heard takes


def pace_desc(story: StoryTakes, rate: int | None = None) -> str:
    """Say in words what the pace chart shows: the heard takes' pace and filler words, first to latest."""
    heard = story.heard
    if not heard:
        return "No heard takes yet."
    bank = f" (the bank's rate is {rate} wpm)" if rate else ""
    first, last = heard[0], heard[-1]

    def trend(value_first, value_last, unit: str) -> str:
        """Return the latest value, or first → latest with more than one take; – where a line left it out."""
        shown = lambda v: "–" if v is None else f"{v}{unit}"  # noqa: E731
        return shown(value_last) if len(heard) == 1 else f"{shown(value_first)} → {shown(value_last)}"

    return (f"{_n(len(heard), 'heard take')}: pace {trend(first.wpm, last.wpm, ' wpm')}{bank}, "
            f"filler words {trend(first.fillers, last.fillers, '')}.")


def pace_chart(story: StoryTakes, chart_id: str, rate: int | None = None) -> str:
    """Return the SVG of the pace (a line, wpm) and filler words (bars) of a story's heard takes, one above the
    other; a dashed line marks the bank's speaking rate."""
    heard = story.heard
    count, height = len(heard), 300
    paced = [t.wpm for t in heard if t.wpm is not None]
    top, step = nice_top(max(200, min(max(paced, default=0) * 1.1, 400), rate or 0), 4)
    pace = Scale(0, top, 130, 30)
    body = _y_axis(pace, [step * i for i in range(int(top // step) + 1)], "wpm")
    body.append(f'<text x="{LEFT}" y="18" fill="{INK}">pace</text>')
    if rate:
        body.append(f'<line class="rate" x1="{LEFT}" x2="{WIDTH - RIGHT}" y1="{pace(rate)}" y2="{pace(rate)}" '
                    f'stroke="{BAND_EDGE}" stroke-dasharray="5 4" stroke-width="1.5"/>')
        label = f"the bank's {rate} wpm"
        body.append(f'<line x1="{WIDTH - RIGHT - len(label) * CHAR - 26}" x2="{WIDTH - RIGHT - len(label) * CHAR - 6}" '
                    f'y1="14" y2="14" stroke="{BAND_EDGE}" stroke-dasharray="5 4" stroke-width="1.5"/>'
                    f'<text x="{WIDTH - RIGHT}" y="18" text-anchor="end" fill="{BAND_EDGE}">{_e(label)}</text>')
    r = max(2.5, min(5, (WIDTH - LEFT - RIGHT) / max(count, 1) / 3))
    dots = [(n, t) for n, t in enumerate(heard, 1) if t.wpm is not None]
    body.append(_line([(slot(n, count), pace(t.wpm)) for n, t in dots], ACCENT))
    for n, take in dots:
        past = " (past the top of the chart)" if pace.outside(take.wpm) else ""
        body.append(marker("circle", slot(n, count), pace(take.wpm), r, ACCENT,
                           tip=f"Heard take {n} (take {take.number}): {take.wpm} wpm{past}", kind="point pace"))
    counted = [t.fillers for t in heard if t.fillers is not None]
    ftop, fstep = nice_top(max(5, min(max(counted, default=0), 50)), 3)
    fillers = Scale(0, ftop, 240, 170)
    body += _y_axis(fillers, [fstep * i for i in range(int(ftop // fstep) + 1)], "fillers")
    body.append(f'<text x="{LEFT}" y="160" fill="{INK}">filler words</text>')
    bar = max(2.0, min(24.0, (WIDTH - LEFT - RIGHT) / max(count, 1) / 2))
    for n, take in enumerate(heard, 1):
        if take.fillers is None:
            continue
        x, top_y = slot(n, count), fillers(take.fillers)
        past = " (past the top of the chart)" if fillers.outside(take.fillers) else ""
        tip = f"Heard take {n} (take {take.number}): {_n(take.fillers, 'filler word')}{past}"
        body.append(f'<rect class="point fillers" x="{x - bar / 2:.1f}" y="{top_y}" width="{bar:.1f}" '
                    f'height="{max(round(240 - top_y, 1), 0.5)}" fill="{FIT_COLOUR["under"]}">'
                    f'<title>{_e(tip)}</title></rect>')
    body += _x_axis(count, 240, "heard take")
    title = f"Pace and filler words over the heard takes of {story.title}"
    return _frame(chart_id, title, pace_desc(story, rate), height, body, "pace")


# (c) Mock-interview scores per dimension over sessions


def persona_of(session: SessionScores) -> str:
    """Return how a session's interviewer is named on the page: `tough interviewer`, or that it was not recorded."""
    return f"{session.persona} interviewer" if session.persona else "interviewer not recorded"


def scores_desc(sessions: Sequence[SessionScores]) -> str:
    """Say in words what the scores chart shows: how many sessions, the latest averages, first to latest."""
    scored = [s for s in sessions if s.scores]
    if not scored:
        return f"{_n(len(sessions), 'mock interview')}, none scored yet."
    last = scored[-1]
    latest = ", ".join(f"{d} {last.scores[d]:g}" for d in DIMENSIONS if d in last.scores)
    text = f"{_n(len(sessions), 'mock interview')}; latest scored ({last.started}, {persona_of(last)}): {latest}."
    if len(scored) > 1:
        first = scored[0]
        changes = [f"{d} {first.scores[d]:g} → {last.scores[d]:g}" for d in DIMENSIONS
                   if d in first.scores and d in last.scores]
        text += f" First to latest: {', '.join(changes)}." if changes else ""
    return text


def scores_chart(sessions: Sequence[SessionScores], chart_id: str) -> str:
    """Return the SVG of the mock interviews' mean score per dimension (1-5), one line per dimension, with a
    legend; each point names its session's interviewer."""
    legend, last_row = _legend([(marker(LOOKS[d][1], 0, 0, 4, LOOKS[d][0]), d) for d in DIMENSIONS])
    count, top_pad = len(sessions), last_row + 22
    # when interviewers differ, each session's is written under its number (while they fit side by side)
    personas = [s.persona or "?" for s in sessions]
    under = personas if len(set(personas)) > 1 and count * (CHAR * max(map(len, personas)) + 8) <= WIDTH - LEFT else []
    height = top_pad + 170 + (64 if under else 48)
    y = Scale(1, 5, top_pad + 156, top_pad)  # 1 sits above the axis, so its points clear the numbers under it
    body = _y_axis(y, [1, 2, 3, 4, 5], "score")
    r = max(2.5, min(5, (WIDTH - LEFT - RIGHT) / max(count, 1) / 4))
    for dimension in DIMENSIONS:
        colour, shape, dash = LOOKS[dimension]
        run: list[tuple[float, float]] = []
        for number, session in enumerate(sessions, 1):  # a session without this score breaks the line: no line
            if dimension not in session.scores:          # across a gap
                body.append(_line(run, colour, dash))
                run = []
                continue
            run.append((slot(number, count), y(session.scores[dimension])))
        body.append(_line(run, colour, dash))
    for number, session in enumerate(sessions, 1):
        for dimension in DIMENSIONS:
            if dimension in session.scores:
                colour, shape, _ = LOOKS[dimension]
                value = session.scores[dimension]
                past = " (outside 1-5)" if y.outside(value) else ""
                tip = (f"Session {session.number}, {session.started}, {persona_of(session)}: "
                       f"{dimension} {value:g}{past}")
                body.append(marker(shape, slot(number, count), y(value), r, colour, tip=tip,
                                   kind=f"point {dimension}"))
    if not count:
        body.append(f'<text x="{(LEFT + WIDTH - RIGHT) / 2}" y="{y(3)}" text-anchor="middle" '
                    f'fill="{MUTED}">no mock interviews yet</text>')
    body += _x_axis(count, top_pad + 170, "mock interview", under) + legend
    title = "Mock-interview scores per dimension over sessions"
    return _frame(chart_id, title, scores_desc(sessions), height, body, "scores")
