"""The mock interview (`coach interview`): set one up, then the interviewer's words streamed as they are generated,
answers typed or recorded, probes, a feedback card per question and the report; past sessions listed.

The page drives the same machine the terminal drives (`coach.interview.Interview`); the running interviews live in
`app.state.interviews` (see `interview_run.WebInterview`), each fed one step at a time.
"""

from __future__ import annotations

import random
import re
import secrets
import tempfile
from pathlib import Path
from typing import NamedTuple

from starlette.responses import PlainTextResponse
from starlette.routing import Route

from coach.errors import CoachError
from coach.web.pages.interview_run import Busy, WebInterview, hear, parts
from coach.web.render import fragment, page, problem
from coach.web.streams import Emit, WebProgress, failure_sentence, streamed

GONE = "There is no such interview running here (coach serve was restarted?); start a new one from the interview page."
BUSY = "This interview is busy with another step (in another tab?); wait for it to finish, then reload the page."


async def setup(request):
    """Show the form that starts a mock interview, and the past sessions."""
    from starlette.concurrency import run_in_threadpool

    from coach.interview import PERSONAS, past_sessions

    bank = request.app.state.bank()
    try:
        settings = await run_in_threadpool(bank.settings)
        stories = [(path.stem, story.title) for path, story in await run_in_threadpool(lambda: list(bank.stories()))]
        past, warnings = await run_in_threadpool(past_sessions, bank)
    except CoachError as error:
        return problem(request, failure_sentence(error), 400)
    from coach.interview import Stage

    running = {run.machine.session.path.name: {"url": run.url, "started": f"{run.machine.session.started:%Y-%m-%d %H:%M}"}
               for run in request.app.state.interviews.values() if run.machine.stage is not Stage.DONE}  # interviews still going on in this server: the live page
    return page(request, "interview.html", title="Mock interview", personas=PERSONAS,
                values=[v.name for v in settings.values], stories=stories, past=past, warnings=warnings,
                running=running, rounds=_rounds(), levels=_levels(), **parts())


def _rounds() -> list[tuple[str, str]]:
    """Return the core's interview rounds, each with who asks in it."""
    from coach.bank.settings import ROUND_MEANINGS

    return list(ROUND_MEANINGS.items())


def _levels() -> tuple[str, ...]:
    """Return the core's levels a question can suit."""
    from coach.bank.settings import LEVELS

    return LEVELS


async def begin(request):
    """Plan a mock interview from the form, and stream its first question."""
    async with request.form() as form:
        try:
            chosen = _choices(form)
        except CoachError as error:
            return PlainTextResponse(failure_sentence(error), status_code=400)
    state = request.app.state

    def work(emit: Emit) -> None:
        """Plan, make the engine and the machine, keep them, and ask the first question."""
        from coach.interview import Interview, plan

        bank = state.bank()
        story = bank.named(chosen.story).stem if chosen.story else None  # a story of the bank's, never a path
        planned = plan(bank, chosen.questions, chosen.values or None, story, random.Random(chosen.seed),
                       round=chosen.round or None, level=chosen.level or None)
        services = state.services
        progress = WebProgress(emit)
        engine = services.engine(bank, services.model, progress)
        machine = Interview(bank, engine, planned, persona=chosen.persona, now=services.now)
        run = WebInterview(secrets.token_urlsafe(9), machine, progress)
        _prune(state.interviews)
        state.interviews[run.id] = run
        with run.step(emit):
            emit.html("#interview", _shell(run))
            run.start(emit)

    return streamed(work)


class Choices(NamedTuple):
    """What the setup form asks for: the `coach interview` options of the same names ("" round or level: any)."""

    questions: int
    persona: str
    values: list[str]
    story: str | None
    seed: int | None
    round: str
    level: str


def _choices(form) -> Choices:
    """Return the setup form's choices, or say in one sentence what is wrong with them."""
    from coach.interview import check_persona
    from coach.questions import check_level, check_round

    typed = str(form.get("questions", "3")).strip() or "3"
    if not re.fullmatch(r"[0-9]{1,3}", typed):
        raise CoachError("the number of questions must be a whole number from 1 to 10")
    questions = int(typed)
    if not 1 <= questions <= 10:
        raise CoachError(f"a mock interview takes 1 to 10 questions, not {questions}")
    persona = str(form.get("persona", "neutral"))
    try:
        check_persona(persona)
    except CoachError:
        raise CoachError(f"the interviewer is friendly, neutral or tough, not '{persona}'") from None
    values = [str(v) for v in form.getlist("values") if str(v).strip()]
    story = str(form.get("story", "")).strip() or None
    if story and values:
        raise CoachError("rehearsing a story asks that story's own questions and values; untick the values or "
                         "choose no story")
    round = check_round(str(form.get("round", "")).strip() or None)  # the CLI's check: one sentence naming the rounds
    level = check_level(str(form.get("level", "")).strip() or None)
    seed = str(form.get("seed", "")).strip()  # hidden, as `--seed` is: tests choose the questions
    return Choices(questions, persona, values, story, int(seed) if re.fullmatch(r"[0-9]{1,9}", seed) else None,
                   round, level)


def _shell(run: WebInterview) -> str:
    """Return the interview part of the page as it starts: its heading, the conversation and the answer area."""
    return fragment("interview_shell.html", run=run, heading=_heading(run), starting=True, **parts())


def _heading(run: WebInterview) -> str:
    """Return who the interview is for and what it asks about, in one line."""
    from coach.interview.planning import described

    session = run.machine.session
    return described(session.company, session.role, run.machine.planned, session.persona)


KEPT_DONE = 10  # finished interviews the server keeps to redraw (their transcripts are on disk either way)


def _prune(interviews: dict) -> None:
    """Forget the oldest finished interviews beyond KEPT_DONE, so a server left running does not grow without end."""
    from coach.interview import Stage

    done = [key for key, run in interviews.items() if run.machine.stage is Stage.DONE]
    for key in done[:max(0, len(done) - KEPT_DONE)]:
        del interviews[key]


def _running(request) -> WebInterview | None:
    """Return the interview the address names, or None when no such interview runs here."""
    return request.app.state.interviews.get(request.path_params["id"])


async def view(request):
    """Show an interview as it stands: the conversation so far and the form its stage calls for."""
    run = _running(request)
    if run is None:
        return problem(request, GONE, 404)
    return page(request, "interview_session.html", title="Mock interview", run=run, heading=_heading(run),
                starting=False, **parts())


async def answer(request):
    """Take an answer (typed, recorded, or a command button) and stream what the interviewer does next."""
    from coach.web.pages.practice import MAX_UPLOAD, TOO_BIG

    run = _running(request)
    if run is None:
        return PlainTextResponse(GONE, status_code=404)
    size = request.headers.get("content-length", "")
    if re.fullmatch(r"[0-9]{1,15}", size) and int(size) > MAX_UPLOAD + 64 * 1024:
        return PlainTextResponse(TOO_BIG, status_code=413)
    async with request.form(max_files=1, max_fields=8) as form:
        text = str(form.get("command") or form.get("text") or "")
        upload = form.get("audio")
        audio = (await upload.read(), upload.filename) if upload is not None and hasattr(upload, "read") else None
    services = request.app.state.services

    def step(emit: Emit) -> None:
        """Hear a recorded answer (when one came), then give the machine the answer."""
        heard = None
        if audio is not None and not text.strip():
            run.expect_answer()  # before the take is heard, not after
            emit.status("hearing your answer")
            with tempfile.TemporaryDirectory(prefix="coach-web-answer-") as folder:
                heard = hear(services, audio[0], audio[1], Path(folder))
            if heard is None:
                from coach.display.recording import nothing_heard

                run.heard_nothing(emit, nothing_heard())
                return
        run.answer(emit, heard.text if heard else text, heard)

    return streamed(lambda emit: _one_step(run, emit, lambda: step(emit)))


async def go_on(request):
    """After feedback or a skip: stream the next question, or the report."""
    run = _running(request)
    if run is None:
        return PlainTextResponse(GONE, status_code=404)
    return streamed(lambda emit: _one_step(run, emit, lambda: run.next(emit)))


def _one_step(run: WebInterview, emit: Emit, body) -> None:
    """Run one step of the interview with it held; a step already running, or one out of turn, is one sentence."""
    from coach.interview import OutOfTurn

    try:
        with run.step(emit):
            body()
    except Busy:
        emit.error(BUSY)
    except OutOfTurn as error:
        emit.error(str(error))


async def past(request):
    """Show a past session's transcript, as saved under the bank's sessions/."""
    from starlette.concurrency import run_in_threadpool

    from coach.bank.bounded import TRANSCRIPT_LIMIT, read_bytes
    from coach.interview import SESSIONS, past_sessions

    bank = request.app.state.bank()
    name = request.path_params["file"]
    rows, _ = await run_in_threadpool(past_sessions, bank)
    if name not in {row["file"] for row in rows}:
        return problem(request, "There is no such saved session; the interview page lists them.", 404)
    try:
        text = read_bytes(bank.root / SESSIONS / name, TRANSCRIPT_LIMIT, "a transcript").decode("utf-8", "replace")
    except (CoachError, OSError) as error:
        return problem(request, failure_sentence(error), 400)
    return page(request, "interview_past.html", title="Mock interview", file=name, text=text)


routes = [
    Route("/interview", setup, methods=["GET"]),
    Route("/interview", begin, methods=["POST"]),
    Route("/interview/past/{file}", past, methods=["GET"]),
    Route("/interview/{id}", view, methods=["GET"]),
    Route("/interview/{id}/answer", answer, methods=["POST"]),
    Route("/interview/{id}/next", go_on, methods=["POST"]),
]
