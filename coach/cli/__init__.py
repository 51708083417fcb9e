"""The `coach` command line: declarations and terminal drivers over the core, where every decision lives.

app.py     the app, its error handling and output      options.py  the options commands share
bank.py    commands over the files (no model)          jobs.py     commands that ask the model
interview.py  the mock interview's terminal driver     practice.py the practice stopwatch
"""

from coach.cli.app import Terminal, make_app

app = make_app()


def main() -> None:
    """Run the coach command line."""
    app()


__all__ = ["Terminal", "app", "main", "make_app"]
