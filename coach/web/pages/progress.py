"""The progress page: each story's takes against its window, the pace and filler words of its heard takes, and the
mock interviews' scores per dimension, as SVG charts with their numbers in tables (`coach practice --history`,
`coach sessions`)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from starlette.routing import Route

from coach.errors import CoachError
from coach.web.render import page, problem
from coach.web.streams import failure_sentence

if TYPE_CHECKING:  # the interview's modules load on the first visit, not when the server starts
    from coach.progress import BankProgress, StoryTakes


@dataclass
class StoryCharts:
    """One story's section: its takes, and the charts drawn from them (None where there is nothing to draw)."""

    story: StoryTakes
    takes: str | None
    pace: str | None


def charted(data: BankProgress) -> tuple[list[StoryCharts], str | None]:
    """Return each story's charts and the interview scores' chart (None without takes, heard takes, sessions)."""
    from coach.web.charts import pace_chart, scores_chart, takes_chart

    stories = [StoryCharts(story, takes_chart(story, f"takes-{n}") if story.takes else None,
                           pace_chart(story, f"pace-{n}", data.words_per_minute) if story.heard else None)
               for n, story in enumerate(data.stories, 1)]
    return stories, scores_chart(data.sessions, "scores") if data.sessions else None


async def progress(request):
    """Show every story's takes, pace and filler words, and the mock interviews' scores, as charts."""
    from starlette.concurrency import run_in_threadpool

    from coach.progress import bank_progress

    bank = request.app.state.bank()
    try:
        data = await run_in_threadpool(bank_progress, bank)
    except CoachError as error:
        return problem(request, failure_sentence(error), 400)
    from coach.interview.session import DIMENSIONS

    stories, scores = charted(data)
    return page(request, "progress.html", title="Progress", progress=data, stories=stories, scores=scores,
                skipped=data.skipped, dimensions=DIMENSIONS)


routes = [Route("/progress", progress)]
