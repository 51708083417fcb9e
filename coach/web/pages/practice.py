"""The practice page (`coach practice`): the script and its window, a take recorded in the browser and heard (or timed
with a stopwatch), the voice report word by word, undo, and the takes so far.

The use cases are the command's: `coach.spoken.listen` and `keep_take` for a recorded take, `coach.practice.record_take`
for a timed one, `undo_take`, `take_history`, `load_script`. A take that looks like a slip is held here, heard, for a
while (`app.state.takes`), so "Keep it anyway" records the same take without sending the audio again.
"""

from __future__ import annotations

import math
import os
import re
import secrets
import tempfile
import time
from pathlib import Path

from starlette.routing import Route

from coach.errors import CoachError, StoryNotFound
from coach.web.render import fragment, page, problem
from coach.web.streams import failure_sentence, streamed

MAX_UPLOAD = 50 * 1024 * 1024  # bytes: an hour of opus, ten minutes of 48 kHz stereo wav; no take is longer
HELD_SECONDS = 15 * 60  # how long a take that looks like a slip waits for "Keep it anyway"
MOST_HELD = 16  # takes held at once; the oldest goes first
SUFFIXES = {  # what a browser records (or a person sends) -> the suffix the transcriber reads it by
    "audio/webm": ".webm", "video/webm": ".webm", "audio/ogg": ".ogg", "application/ogg": ".ogg",
    "audio/wav": ".wav", "audio/x-wav": ".wav", "audio/wave": ".wav", "audio/vnd.wave": ".wav",
    "audio/mp4": ".m4a", "audio/x-m4a": ".m4a", "audio/m4a": ".m4a", "audio/mpeg": ".mp3", "audio/mp3": ".mp3",
}
KINDS = "webm, ogg, wav, m4a or mp3"
TOO_BIG = (f"That recording is over {MAX_UPLOAD // 1024 // 1024} MB, longer than any spoken story; record a take "
           "of the story alone (up to 10 minutes).")


def story_path(bank, slug: str) -> Path:
    """Return the story file a page address names: a slug or a story type only, never a path."""
    return bank.named(slug)


async def practice_page(request):
    """Show the script to practise, its window, the recorder, the stopwatch and the takes so far."""
    from starlette.concurrency import run_in_threadpool

    from coach.practice import load_script, take_history

    bank = request.app.state.bank()
    cue = request.query_params.get("cue") == "1"

    def read():
        path = story_path(bank, request.path_params["slug"])
        return load_script(bank, path), take_history(bank, path)

    try:
        script, history = await run_in_threadpool(read)
    except CoachError as error:
        missing = isinstance(error, StoryNotFound)
        return problem(request, failure_sentence(error), 404 if missing else 400,
                       None if missing else "Nothing to practise yet")
    warm(request.app.state)
    notes = script.story.practice_notes
    paragraphs = [p.strip() for p in re.split(r"\n\s*\n", script.story.refined.strip()) if p.strip()]
    return page(request, "practice.html", title=f"Practise {script.story.title}", script=script, cue=cue,
                hooks=notes.hooks, key_words=notes.key_words, paragraphs=paragraphs, slug=script.slug,
                **history_context(history))


def warm(state) -> None:
    """Load the transcriber in the background while the candidate reads the script, as `practice --record` does
    before recording, so a take is heard as soon as it is sent; a failure here is said when a take is sent."""
    import threading

    if getattr(state, "practice_warmed", False):
        return
    state.practice_warmed = True

    def load() -> None:
        try:
            hearer = state.services.hearing()
            if hasattr(hearer, "prepare"):
                hearer.prepare()
        except Exception:  # noqa: BLE001 — the same failure comes back, in one sentence, with the first take
            pass

    threading.Thread(target=load, daemon=True, name="coach-web-warm").start()


def history_context(history) -> dict:
    """Return what the takes table shows: each take with where it fell against the window."""
    from coach.method.text import fit
    from coach.practice import last_take_mark

    rows = [{"take": take, "fit": fit(take.seconds, history.window)} for take in reversed(history.takes)]
    return {"history": history, "rows": rows, "last": last_take_mark(history.takes)}


def report_context(result) -> dict:
    """Return what the voice report shows of a heard take: the hearing, laid over the script, and the verdict."""
    from coach.method.text import fit
    from coach.voice.marked import marked_sentences

    h, verdict = result.heard.hearing, result.verdict
    low, high = verdict.window
    where = fit(h.spoken_seconds, verdict.window)
    distance = {"under": f"{low - h.spoken_seconds:.1f}s under the {low}-{high}s window",
                "within": f"within the {low}-{high}s window",
                "over": f"{h.spoken_seconds - high:.1f}s over the {low}-{high}s window"}[where]
    counts = {status: sum(s.status == status for s in h.sentences) for status in ("said", "changed", "skipped", "unheard")}
    transcript = next((str(p) for p in result.saved if p.suffix == ".md"), "")
    return {"take": result, "h": h, "verdict": verdict, "where": where, "distance": distance, "counts": counts,
            "sentences": marked_sentences(h), "timing": result.heard.transcript.timing, "transcript": transcript,
            "engine": result.heard.transcript.engine, "landed": sum(1 for _, hit in h.key_words if hit)}


def verdict_context(verdict) -> dict:
    """Return what a timed take's verdict shows: its seconds against the window."""
    from coach.method.text import fit

    low, high = verdict.window
    where = fit(verdict.seconds, verdict.window)
    distance = {"under": f"{low - verdict.seconds:.1f}s under the {low}-{high}s window",
                "within": f"within the {low}-{high}s window",
                "over": f"{verdict.seconds - high:.1f}s over the {low}-{high}s window"}[where]
    return {"verdict": verdict, "where": where, "distance": distance}


class PageHearing:
    """The server's transcriber, telling the page it is hearing, its own failures said in one sentence."""

    def __init__(self, hearer, emit):
        self.hearer, self.emit, self.name = hearer, emit, getattr(hearer, "name", "")

    def transcribe(self, audio: Path):
        """Transcribe the take (`voice.transcribe.transcribed`: a failure of the transcriber's is one CoachError)."""
        from coach.voice.transcribe import transcribed

        self.emit.status("Hearing your take…")
        return transcribed(self.hearer, audio)


def upload_suffix(content_type: str | None, filename: str | None) -> str | None:
    """Return the suffix an upload is read by, from its content type (codecs left off) or else its file name."""
    kind = (content_type or "").split(";", 1)[0].strip().lower()
    if kind in SUFFIXES:
        return SUFFIXES[kind]
    suffix = Path(filename or "").suffix.lower()
    return suffix if suffix in set(SUFFIXES.values()) else None


def refused(sentence: str):
    """Answer a change refused before any work began: its one sentence, as the page shows a failure."""
    return streamed(lambda emit: emit.error(sentence))


async def saved_upload(request) -> Path | str:
    """Save the take's audio to a temporary file named with its kind's suffix; return it, or the sentence refusing it."""
    from starlette.datastructures import UploadFile

    size = request.headers.get("content-length", "")
    if size.isdigit() and int(size) > MAX_UPLOAD + 64 * 1024:
        return TOO_BIG
    try:
        form = await request.form(max_files=1, max_fields=8)
    except Exception:  # noqa: BLE001 — a malformed body is one sentence, whatever the parser raised
        return "The recording did not arrive whole; record the take again."
    try:
        upload = form.get("audio")
        if not isinstance(upload, UploadFile):
            return "No recording came with the request; record a take first."
        suffix = upload_suffix(upload.content_type, upload.filename)
        if suffix is None:
            shown = (upload.content_type or "").split(";")[0] or Path(upload.filename or "").suffix or "no type given"
            return f"That file ({shown}) is not audio coach can hear; record in the browser or send {KINDS}."
        handle, name = tempfile.mkstemp(prefix="coach-take-", suffix=suffix)
        path, written = Path(name), 0
        try:
            with os.fdopen(handle, "wb") as out:
                while chunk := await upload.read(1024 * 1024):
                    written += len(chunk)
                    if written > MAX_UPLOAD:
                        raise ValueError(TOO_BIG)
                    out.write(chunk)
            if written == 0:
                raise ValueError("The recording is empty; check that the microphone is on, then record the take again.")
        except ValueError as error:
            path.unlink(missing_ok=True)
            return str(error)
        except BaseException:
            path.unlink(missing_ok=True)
            raise
        return path
    finally:
        await form.close()


async def take(request):
    """Hear a take recorded in the browser and record it (or hold it, if it looks like a slip); stream the report."""
    state, slug = request.app.state, request.path_params["slug"]
    audio = await saved_upload(request)
    if isinstance(audio, str):
        return refused(audio)

    def work(emit) -> None:
        from coach.spoken import keep_take, listen

        try:
            bank = state.bank()
            path = story_path(bank, slug)
            emit.status("Hearing your take…")
            heard = listen(bank, path, audio, PageHearing(state.services.hearing(), emit))
        finally:
            audio.unlink(missing_ok=True)
        at = state.services.now()
        shown(emit, bank, path, keep_take(bank, path, heard, at), held=(heard, at), state=state)

    return streamed(work)


def shown(emit, bank, path: Path, result, *, held=None, state=None, seconds: float | None = None) -> None:
    """Put a take's outcome on the page: the report (or verdict) and the takes so far, or the slip to ask about."""
    from coach.practice import Slip, TakeVerdict, take_history

    if isinstance(result, Slip):
        take_id = hold(state, path.stem, *held) if held else ""
        emit.html("#report", fragment("practice_slip.html", slip=result, slug=path.stem, take_id=take_id,
                                      seconds=seconds), "inner")
        return
    template, context = (("practice_verdict.html", verdict_context(result)) if isinstance(result, TakeVerdict) else
                         ("practice_report.html", report_context(result)))
    emit.html("#report", fragment(template, **context), "inner")
    emit.html("#history", fragment("practice_history.html", **history_context(take_history(bank, path))))


def hold(state, slug: str, heard, at) -> str:
    """Keep a heard take that looks like a slip for a while, under a fresh id; return the id."""
    now = time.monotonic()
    for key, (_, _, _, until) in list(state.takes.items()):
        if until < now:
            state.takes.pop(key, None)
    while len(state.takes) >= MOST_HELD:
        state.takes.pop(next(iter(state.takes)), None)
    take_id = secrets.token_urlsafe(12)
    state.takes[take_id] = (slug, heard, at, now + HELD_SECONDS)
    return take_id


def held_take(state, slug: str, take_id: str):
    """Take a held take back out (it is kept only once); None when it expired, was kept or is another story's."""
    held = state.takes.pop(take_id, None)
    if held is None or held[0] != slug or held[3] < time.monotonic():
        return None
    return held


async def keep(request):
    """Record a held take that looked like a slip: the same take, heard once."""
    state, slug = request.app.state, request.path_params["slug"]
    form = await request.form()
    held = held_take(state, slug, str(form.get("take", "")))
    if held is None:
        return refused("That take is no longer held (it was kept, declined, or waited over 15 minutes); nothing was "
                       "recorded, so record it again.")

    def work(emit) -> None:
        from coach.spoken import keep_take

        bank = state.bank()
        path = story_path(bank, slug)
        _, heard, at, _ = held
        shown(emit, bank, path, keep_take(bank, path, heard, at, sure=True))

    return streamed(work)


async def drop(request):
    """Let go of a take that looked like a slip: nothing is written."""
    form = await request.form()
    request.app.state.takes.pop(str(form.get("take", "")), None)
    return streamed(lambda emit: emit.html("#report", fragment("practice_dropped.html"), "inner"))


async def timed(request):
    """Record a take timed by the page's stopwatch (`coach practice` without a microphone)."""
    from coach.practice import MAX_TAKE_SECONDS, MIN_TAKE_SECONDS

    state, slug = request.app.state, request.path_params["slug"]
    form = await request.form()
    try:
        seconds = float(str(form.get("seconds", "")))
    except ValueError:
        seconds = math.nan
    if not math.isfinite(seconds) or not MIN_TAKE_SECONDS <= seconds <= MAX_TAKE_SECONDS:
        return refused(f"The stopwatch gave no take between {MIN_TAKE_SECONDS}s and {MAX_TAKE_SECONDS // 60} minutes; "
                       "press Start as you begin and Stop as you finish.")
    sure = form.get("sure") == "1"

    def work(emit) -> None:
        from coach.practice import record_take

        bank = state.bank()
        path = story_path(bank, slug)
        result = record_take(bank, path, seconds, state.services.now(), sure=sure)
        shown(emit, bank, path, result, seconds=seconds)

    return streamed(work)


async def undo(request):
    """Remove the story's last take from its practice log (a heard take's transcript with it)."""
    state, slug = request.app.state, request.path_params["slug"]
    last = (await request.form()).get("last")  # the take the page showed as last (its form always sends it)
    shown = str(last) if last is not None else None

    def work(emit) -> None:
        from coach.practice import take_history, undo_take

        bank = state.bank()
        path = story_path(bank, slug)
        undone = undo_take(bank, path, shown)
        emit.html("#report", fragment("practice_undone.html", undone=undone), "inner")
        emit.html("#history", fragment("practice_history.html", **history_context(take_history(bank, path))))

    return streamed(work)


routes = [
    Route("/practice/{slug}", practice_page),
    Route("/practice/{slug}/take", take, methods=["POST"]),
    Route("/practice/{slug}/keep", keep, methods=["POST"]),
    Route("/practice/{slug}/drop", drop, methods=["POST"]),
    Route("/practice/{slug}/timed", timed, methods=["POST"]),
    Route("/practice/{slug}/undo", undo, methods=["POST"]),
]
