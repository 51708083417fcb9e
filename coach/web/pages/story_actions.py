"""What a story's page changes, each the use case its command calls, streamed to the page: refine, follow-ups,
analyze, an answer to an open question, and the file saved from the page. After each, the story's part of the page
is rendered again with what the action did above it; a failure is one sentence and leaves the file as it was."""

from __future__ import annotations

import re
from contextlib import contextmanager

from starlette.routing import Route

from coach.errors import CoachError
from coach.web.pages.story import open_questions, story_html, story_slug
from coach.web.streams import WebProgress, streamed

TARGET = "#story"


async def _form(request) -> dict[str, str]:
    """Return the posted form's text fields (a field as large as a story file may be: the file saved from the page)."""
    from coach.bank.bounded import STORY_LIMIT

    form = await request.form(max_part_size=STORY_LIMIT + 64 * 1024)
    return {key: value for key, value in form.items() if isinstance(value, str)}


def _engine(request, bank, emit):
    """Return the engine of the page's model jobs (the configured endpoint, or a test's), reporting to the page."""
    services = request.app.state.services
    progress = WebProgress(emit)
    return services.engine(bank, services.model, progress), progress


@contextmanager
def one_job(request, slug: str, what: str):
    """Hold the story for one model job: a second one on the same story (from another tab, or a second click) is
    refused in a sentence, rather than asking the model twice and keeping whichever answer came last."""
    state = request.app.state
    with state.jobs_lock:
        if slug in state.jobs:
            raise CoachError(f"{state.jobs[slug]} of {slug} is already running (from this page or another tab); wait "
                             "for it to finish, then reload the page to see what it did")
        state.jobs[slug] = what
    try:
        yield
    finally:
        with state.jobs_lock:
            state.jobs.pop(slug, None)


async def refine(request):
    """Refine the story with the model (`coach refine STORY`) and show what changed."""
    from coach import refine as use

    bank = request.app.state.bank()

    def work(emit) -> None:
        slug = story_slug(request)
        engine, progress = _engine(request, bank, emit)
        emit.status(f"refining with {engine.settings.model} at {engine.settings.host}")
        with one_job(request, slug, "a refine"):
            run = use.refine_bank(bank, [slug], engine, progress=progress)
        if (stop := run.stop()) is not None:
            raise stop
        emit.html(TARGET, story_html(bank, slug, outcome=run.outcomes[0]))

    return streamed(work)


async def followups(request):
    """Generate, regenerate, pin, unpin or remove follow-ups (`coach followups STORY ...`)."""
    from coach import followups as use

    bank, form = request.app.state.bank(), await _form(request)
    action = form.get("do", "")
    every = form.get("every") == "1" or action == "regenerate-all"  # the button beside the note: the note goes too
    action = "regenerate" if action == "regenerate-all" else action
    ids = [form["fid"]] if form.get("fid") else []

    def work(emit) -> None:
        slug = story_slug(request)
        if action not in use.ACTIONS[1:]:
            raise CoachError(f"'{action}' is not something the follow-ups take; reload the page and use its buttons")
        count = _count(form.get("count", "")) if action == "generate" else None
        asked = use.request(ids, count, action == "regenerate", every, form.get("note", "").strip(),
                            action == "pin", action == "unpin", action == "remove")
        outcome = use.offline(bank, slug, asked)
        if outcome is None:
            engine, _ = _engine(request, bank, emit)
            emit.status(f"{slug}: asking {engine.settings.model} at {engine.settings.host}")
            with one_job(request, slug, "a follow-ups job"):
                outcome = use.ask(bank, slug, asked, engine)
        emit.html(TARGET, story_html(bank, slug, followed=outcome))

    return streamed(work)


def _count(text: str) -> int:
    """Return how many follow-ups to generate, as typed."""
    if not re.fullmatch(r"[0-9]{1,3}", text.strip()) or not 1 <= int(text) <= 10:
        raise CoachError(f"how many follow-ups to generate is a number from 1 to 10, not '{text.strip()[:20]}'")
    return int(text)


async def analyze(request):
    """Propose answers to the open extraction questions from the draft (`coach analyze STORY`)."""
    from coach import analyze as use

    bank = request.app.state.bank()

    def work(emit) -> None:
        slug = story_slug(request)
        outcome = use.plan(bank, slug)
        notice, shown = "", {}
        if asking := len(outcome.to_ask):
            engine, _ = _engine(request, bank, emit)
            emit.status(f"{outcome.slug}: asking {engine.settings.model} at {engine.settings.host}")
            with one_job(request, slug, "reading the draft"):
                use.propose(bank, outcome, engine)
            notice = (f"The model read your draft for {asking} open question{'s' * (asking != 1)}: "
                      f"{len(outcome.proposals)} proposed, {len(outcome.gaps)} left for you to answer.")
            shown = {"questions": open_questions(outcome)}  # with what the draft is missing, as the command says
        elif not outcome.story.draft.strip():
            notice = "No draft to read yet: write it under ## Draft, then ask again."
        else:
            notice = "Nothing for the model to read: every open question has a proposal or an answer already."
        emit.html(TARGET, story_html(bank, slug, notice=notice, **shown))

    return streamed(work)


async def answer(request):
    """Answer one open extraction question: accept the proposal, or save the words typed in its place."""
    from coach import analyze as use

    bank, form = request.app.state.bank(), await _form(request)

    def work(emit) -> None:
        slug = story_slug(request)
        outcome = use.plan(bank, slug)
        number = int(form["number"]) if re.fullmatch(r"[0-9]{1,4}", form.get("number", "")) else -1
        item = next((q for q in outcome.questions if q.number == number and q.question == form.get("question")), None)
        typed = form.get("text", "").strip() if form.get("do") == "replace" else None
        if typed == "":
            raise CoachError("type your answer in the box before saving it (or accept the proposal)")
        if item is None or not use.answer_open(bank, outcome, item, typed):
            raise CoachError("this question was answered or changed in the file meanwhile; nothing was saved: reload "
                             "the page to see it as it is now")
        said = "Accepted the proposal" if typed is None else "Saved your answer"
        emit.html(TARGET, story_html(bank, slug, notice=f"{said} to “{item.question}” in {outcome.path.name}."))

    return streamed(work)


async def save(request):
    """Save the story file's text as edited on the page, unless the file changed since the page loaded it."""
    from coach.editor import save_text

    bank, form = request.app.state.bank(), await _form(request)

    def work(emit) -> None:
        slug = story_slug(request)
        if "text" not in form or not form.get("fingerprint"):
            raise CoachError("the form came without the file's text or fingerprint; reload the page and edit again")
        edited = save_text(bank, slug, form["text"], form["fingerprint"])
        emit.html(TARGET, story_html(bank, slug, edited=edited, open_editor=True))  # still editing: the box stays open

    return streamed(work)


routes = [
    Route("/story/{slug}/refine", refine, methods=["POST"]),
    Route("/story/{slug}/followups", followups, methods=["POST"]),
    Route("/story/{slug}/analyze", analyze, methods=["POST"]),
    Route("/story/{slug}/answer", answer, methods=["POST"]),
    Route("/story/{slug}/edit", save, methods=["POST"]),
]
