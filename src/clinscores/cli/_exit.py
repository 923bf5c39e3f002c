"""Exit codes of the ``clinscores`` command and its one-line error report.

Shared by every command module; :mod:`clinscores.cli` re-exports the codes
and documents them (``screen`` has codes of its own, see
:mod:`clinscores.cli.screen`).
"""

from __future__ import annotations

import sys

from clinscores._extras import EXIT_EXTRA

__all__ = [
    "EXIT_DATA",
    "EXIT_EXTRA",
    "EXIT_INTERRUPTED",
    "EXIT_IO",
    "EXIT_OK",
    "EXIT_PIPE",
    "EXIT_TERMINATED",
    "EXIT_USAGE",
    "error",
]

EXIT_OK = 0
EXIT_USAGE = 2
EXIT_DATA = 3
EXIT_IO = 4
EXIT_INTERRUPTED = 130
EXIT_PIPE = 141
EXIT_TERMINATED = 143


def error(message: str) -> None:
    """Print ``clinscores: error: <message>`` on standard error."""
    print(f"clinscores: error: {message}", file=sys.stderr)
