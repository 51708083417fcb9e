"""A story's page: everything `coach show` shows, the check's findings beside the sentences they are about, the open
extraction questions, the history with a word diff, and the file itself to edit. The changes are in `story_actions`."""

from __future__ import annotations

import re

from starlette.routing import Route

from coach.errors import CoachError, StoryFormatError, StoryNotFound
from coach.web.render import fragment, page, problem
from coach.web.streams import failure_sentence


def story_slug(request) -> str:
    """Return the story named in the address: the stem of a story file in the bank (or a story type), never a path,
    so no file outside the bank is named."""
    return request.app.state.bank().named(request.path_params["slug"]).stem


def story_context(bank, slug: str, against: int = 1, **shown) -> dict:
    """Gather what the story's part of the page shows (`shown`: what an action just did, to show above it)."""
    from coach.editor import load_text
    from coach.reading import show

    view = show(bank, slug)
    loaded = load_text(bank, view.slug)
    return {"view": view, "slug": view.slug, "beside": view.beside(), "loaded": loaded,
            "questions": _open_questions(bank, view.slug), "history": _history(bank, view.slug, view.earlier, against),
            "outcome": None, "followed": None, "edited": None, "notice": "", **shown}


def story_html(bank, slug: str, **shown) -> str:
    """Render the story's part of the page, as an action puts it back after a change."""
    return fragment("story_body.html", **story_context(bank, slug, **shown))


def _open_questions(bank, slug: str) -> dict:
    """Return the open extraction questions with their proposals, or why there are none to walk."""
    from coach import analyze

    try:
        outcome = analyze.plan(bank, slug)
    except CoachError as error:
        return {"items": [], "why": failure_sentence(error), "to_ask": 0, "total": 0}
    return open_questions(outcome)


def open_questions(outcome) -> dict:
    """Return what the page shows of an analyze outcome: the questions still open, with proposals or what is missing."""
    from coach import analyze

    return {"items": [q for q in outcome.questions if q.status in analyze.WALKED], "why": "",
            "to_ask": len(outcome.to_ask), "total": len(outcome.story.questions())}


def _history(bank, slug: str, earlier: int, against: int) -> dict:
    """Return the earlier refined versions and the word diff of the refined version now against one of them."""
    from coach import versions

    if not earlier:
        return {"versions": None, "diff": None, "why": ""}
    listing = versions.list_versions(bank, slug)
    try:
        return {"versions": listing, "diff": versions.diff(bank, slug, against), "why": ""}
    except CoachError as error:
        return {"versions": listing, "diff": versions.diff(bank, slug, 1), "why": failure_sentence(error)}


async def story_page(request):
    """Show one story: refined version, timing, findings beside their sentences, follow-ups, questions, history."""
    from starlette.concurrency import run_in_threadpool

    bank = request.app.state.bank()
    try:
        slug = story_slug(request)
        against = _number(request.query_params.get("against", "1"))
        context = await run_in_threadpool(story_context, bank, slug, against)
    except StoryNotFound:
        slug = request.path_params["slug"]
        return problem(request, f"There is no story '{slug}' in this bank; the board lists your stories.", 404)
    except StoryFormatError as error:
        return await run_in_threadpool(_broken, request, bank, error)
    except CoachError as error:
        return problem(request, failure_sentence(error), 400)
    return page(request, "story.html", title=context["view"].story.title, **context)


def _broken(request, bank, error: StoryFormatError):
    """Show a story file that cannot be read: the sentence naming its file and line, and the file to fix here."""
    from coach.editor import load_text

    slug = request.path_params["slug"]
    try:
        loaded = load_text(bank, slug)
    except CoachError:
        loaded = None
    if loaded is None or not str(error).startswith(f"{loaded.path}:"):  # another file: the bank's coach.yaml
        return problem(request, f"{failure_sentence(error)[:-1]}; fix that file in an editor, then reload this page.", 400)
    sentence = (f"{failure_sentence(error)[:-1]}; coach cannot read this story until that line is fixed: fix it in the text "
                f"below and save, or run `coach edit {slug}`.")
    return page(request, "story_broken.html", code=400, title="A story coach cannot read", sentence=sentence,
                slug=slug, loaded=loaded, open_editor=True)


def _number(text: str) -> int:
    """Return the version asked for in the address (1 when it is not a number)."""
    return int(text) if re.fullmatch(r"[0-9]{1,5}", text) else 1


routes = [Route("/story/{slug}", story_page)]  # what the page changes: story_actions.routes
