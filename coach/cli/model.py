"""What the commands that ask the model share: the engine with the terminal's progress display, whether an
endpoint is configured, and `--show-prompt`."""

from collections.abc import Callable

from coach.cli.io import echo
from coach.errors import CoachError


def prompts(as_json: bool, bank, messages: Callable[[object], list]) -> None:
    """Print the prompts a command would send (`--show-prompt`) rendered with the bank's prompts, or why it would
    send none; no call is made."""
    from coach.display.calls import prompt_text
    from coach.llm.prompts import for_bank

    if as_json:
        raise CoachError("--show-prompt prints the prompt as text; leave out --json")
    for item in messages(for_bank(bank.root)):
        echo(item if isinstance(item, str) else prompt_text(item))


def engine_for(bank, model: str | None):
    """Return the engine for a command that asks the model, and the progress display it reports to."""
    from coach.display.terminal import Progress
    from coach.llm.connect import connect

    progress = Progress()
    return connect(bank.root, model, progress), progress


def configured(model: str | None) -> bool:
    """Return True when a model endpoint is configured (a key or a base URL)."""
    from coach.llm.settings import settings_from_env

    settings = settings_from_env(model=model)
    return bool(settings.api_key or settings.base_url)
