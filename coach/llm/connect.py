"""The engine a front end asks the model with: the configured endpoint (required), the bank's call log, and a
progress display (the terminal's spinner, the page's stream) told of retries, re-asks and adaptations."""

from __future__ import annotations

from pathlib import Path


def connect(root: Path, model: str | None, progress):
    """Return the engine for the bank at `root`, reporting to `progress` (its `event` and `status` methods)."""
    from coach.llm.calllog import CallLog
    from coach.llm.engine import Engine
    from coach.llm.prompts import for_bank
    from coach.llm.settings import require_endpoint, settings_from_env

    settings = settings_from_env(model=model)
    require_endpoint(settings)
    log = CallLog.for_bank(root, warn=lambda message: progress.event(f"Warning: {message}"))  # not mid-spinner
    return Engine(settings, log=log, on_event=progress.event, on_status=progress.status, prompts=for_bank(root))
