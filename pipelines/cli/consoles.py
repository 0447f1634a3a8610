"""One way to build the CLI's rich consoles, so every command prints the same way."""

from __future__ import annotations

import sys

from rich.console import Console

# Piped or logged output would otherwise default to 80 columns and fold tables and
# messages mid-phrase (a long path pushed "records read" onto the next line in CI).
PIPED_WIDTH = 120


def make_console(*, stderr: bool = False) -> Console:
    """A console that never folds a message line and keeps tables readable when piped.

    ``soft_wrap`` leaves plain lines whole, so logs stay greppable whatever the
    path lengths; tables still lay out to the terminal, or to ``PIPED_WIDTH``.
    """
    stream = sys.stderr if stderr else sys.stdout
    return Console(stderr=stderr, soft_wrap=True, width=None if stream.isatty() else PIPED_WIDTH)
