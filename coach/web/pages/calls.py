"""The call log: the model calls coach made for this bank (`coach log`), and one call in full (`coach log --show`)."""

from __future__ import annotations

from starlette.routing import Route

from coach.errors import CoachError
from coach.web.render import page, problem
from coach.web.streams import failure_sentence

SHOWN = 50  # calls listed on the page, the latest last


def _log(request):
    """Return the bank's call log; a warning about it goes to the server's console."""
    from coach.llm.calllog import CallLog

    return CallLog.for_bank(request.app.state.root)


async def call_log(request):
    """List the recent model calls: when, which command, model, tokens, latency and outcome."""
    from starlette.concurrency import run_in_threadpool

    log = _log(request)
    try:
        calls = await run_in_threadpool(log.recent, SHOWN)
    except CoachError as error:
        return problem(request, failure_sentence(error), 400)
    hosts = sorted({call.host for call in calls})
    return page(request, "calls.html", title="Call log", calls=calls, hosts=hosts, shown=SHOWN,
                tokens_in=sum(c.tokens_in for c in calls), tokens_out=sum(c.tokens_out for c in calls))


async def one_call(request):
    """Show one model call in full: what it cost, how it ended, the messages, the answer and the reasons."""
    from starlette.concurrency import run_in_threadpool

    call_id = request.path_params["id"]
    try:
        call = await run_in_threadpool(_log(request).call, call_id) if call_id < 2**62 else None  # SQLite's integers
    except CoachError as error:
        return problem(request, failure_sentence(error), 400)
    if call is None:
        return problem(request, f"There is no call {call_id} in the log; the call log lists the calls with their ids.",
                       404)
    return page(request, "calls_one.html", title=f"Call {call_id}", call=call, data=call.as_dict(full=True),
                answer=_readable(call.content))


def _readable(content: str) -> str:
    """Return a kept answer indented when it is JSON, as the terminal shows it."""
    import json

    try:
        return json.dumps(json.loads(content), indent=2, ensure_ascii=False)
    except ValueError:
        return content


routes = [Route("/log", call_log), Route("/log/{id:int}", one_call)]
