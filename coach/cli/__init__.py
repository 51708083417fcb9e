"""The `coach` command line: declarations and terminal drivers over the core, where every decision lives.

app.py        the app and its one error handler     io.py        the terminal's seams, and the output
options.py    the options commands share            model.py     the engine, and --show-prompt
bank.py       commands over the files (no model)    jobs.py      the commands that ask the model
interview.py  the mock interview's drivers          practice.py  the practice stopwatch
voice.py      the microphone and transcriber        serve.py     `coach serve`: the page's server
plan.py       `coach plan`: what to do today
"""

from coach.cli.app import make_app
from coach.cli.io import Terminal

app = make_app()


def main() -> None:
    """Run the coach command line."""
    import sys

    if sys.stdout is None:  # started with standard output closed (`coach check >&-`)
        if sys.stderr is not None:
            sys.stderr.write("Error: standard output is closed, so coach has nowhere to print; run it with an output "
                             "(add > /dev/null to discard it)\n")
        raise SystemExit(2)
    import atexit
    import gc

    atexit.register(gc.freeze)  # at exit, skip collecting every module and class one by one: the process is ending
    app()


__all__ = ["Terminal", "app", "main", "make_app"]
