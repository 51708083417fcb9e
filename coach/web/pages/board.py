"""The board: every story's progress and the company values the bank covers, gaps marked (`coach status`)."""

from __future__ import annotations

from starlette.routing import Route

from coach.errors import CoachError
from coach.web.render import page, problem
from coach.web.streams import failure_sentence


async def board(request):
    """Show the progress board of the bank."""
    from starlette.concurrency import run_in_threadpool

    from coach.method.board import bank_status

    bank = request.app.state.bank()
    try:
        status = await run_in_threadpool(bank_status, bank)
    except CoachError as error:
        return problem(request, failure_sentence(error), 400)
    skipped = [f"{path.name}: {reason}" for path, reason in bank.skipped.items()]
    return page(request, "board.html", title="Board", status=status, skipped=skipped, root=str(bank.root))


routes = [Route("/", board)]
