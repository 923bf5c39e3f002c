"""The ``clinscores`` command: score CSV files, list the instruments, screen patients.

Here: :func:`main`, the parser and the dispatch.  One module per command:
:mod:`~clinscores.cli.score`, :mod:`~clinscores.cli.list`, :mod:`~clinscores.cli.screen`
(imported only when that command runs), :mod:`~clinscores.cli.respond`,
:mod:`~clinscores.cli.serve`; ``clinscores.cli._csvio``: the CSV reading, the error
reports, the atomic output and the signal handling shared by ``score`` and ``respond``.

Exit codes
----------
0
    Success (with ``--errors coerce``, also when rows were invalid: they are
    reported on standard error and marked in the ``<instrument>_error``
    column).
2
    Usage error: unknown instrument, bad option, bad ``--map``.
3
    Invalid data: an invalid value (with ``--errors raise``), a malformed
    CSV line, undecodable text; for ``respond``, a patient whose rows come
    back after another patient's.
4
    Input/output error: missing or unreadable input file, empty input file,
    a column name given twice in the header, missing columns, output not
    writable.
5
    An optional extra is missing (every command): ``score`` and ``respond``
    without pandas (``pip install 'clinscores[cli]'``), ``serve`` without
    the web extra, ``screen`` of a FHIR Bundle without the fhir extra.  An
    installation problem, not bad data.
130
    Interrupted (Ctrl-C, SIGINT); the output file is left as it was.
141
    Standard output closed early by its reader (e.g. ``| head``).
143
    Terminated (SIGTERM); the output file is left as it was.
"""

from __future__ import annotations

import argparse
import os
import signal
import sys
from collections.abc import Sequence
from types import ModuleType
from typing import Any

from clinscores import __version__
from clinscores._extras import MissingExtraError
from clinscores.cli import list as list_command
from clinscores.cli import respond, score, serve
from clinscores.cli._csvio import DEFAULT_CHUNKSIZE as DEFAULT_CHUNKSIZE
from clinscores.cli._csvio import Signalled
from clinscores.cli._exit import (
    EXIT_DATA,
    EXIT_EXTRA,
    EXIT_INTERRUPTED,
    EXIT_IO,
    EXIT_OK,
    EXIT_PIPE,
    EXIT_TERMINATED,
    EXIT_USAGE,
    error,
)
from clinscores.cli.list import format_instrument as format_instrument
from clinscores.cli.score import MAX_LISTED as MAX_LISTED

# Importing the submodule ``list`` binds the name ``list`` in this module (the
# package's namespace) to that module: the builtin ``list`` is not used here.
# DEFAULT_CHUNKSIZE, MAX_LISTED and format_instrument stay importable from here.

__all__ = ["EXIT_DATA", "EXIT_EXTRA", "EXIT_IO", "EXIT_OK", "EXIT_USAGE", "main"]


def build_parser() -> argparse.ArgumentParser:
    """The argument parser of the ``clinscores`` command."""
    parser = argparse.ArgumentParser(
        prog="clinscores",
        description="Validated rheumatology scores for tables of patients.",
        epilog="Exit codes: 0 ok, 2 usage error or unknown instrument, "
        "3 invalid data or malformed CSV line, 4 input/output error (missing or empty file, "
        "a column named twice, missing columns), 5 an optional extra is missing "
        "(pip install 'clinscores[...]'), 130 interrupted, 143 terminated.",
    )
    parser.add_argument(
        "--version", action="version", version=f"clinscores {__version__}", help="show the version"
    )
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    sub.required = True
    _add(sub, "score", score)
    _add(sub, "list", list_command)
    p_screen = sub.add_parser(
        "screen",
        help="screen patients for trial NCT07052565 (see `clinscores screen --help`)",
        add_help=False,
    )
    p_screen.set_defaults(func=None)  # parsed by its own parser: see _cmd_screen
    _add(sub, "respond", respond)
    _add(sub, "serve", serve)
    return parser


def _add(sub: Any, name: str, command: ModuleType) -> None:
    """The subcommand *name*, from its module: help, description, arguments, run."""
    p = sub.add_parser(name, help=command.HELP, description=command.DESCRIPTION)
    command.add_arguments(p)
    p.set_defaults(func=command.run)


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command; return its exit code."""
    parser = build_parser()
    args_list = [*(sys.argv[1:] if argv is None else argv)]
    try:
        args, extra = parser.parse_known_args(args_list)
        if args.command == "screen":
            return _cmd_screen(extra)
        if extra:
            parser.error("unrecognized arguments: " + " ".join(extra))
        code: int = args.func(args)
        return code
    except SystemExit as exc:  # argparse: --help (0) and usage errors (2)
        return exc.code if isinstance(exc.code, int) else EXIT_USAGE
    except MissingExtraError as exc:  # an installation problem, whichever the command
        error(str(exc))
        return EXIT_EXTRA
    except KeyboardInterrupt:
        error("interrupted")
        return EXIT_INTERRUPTED
    except Signalled as exc:  # SIGINT or SIGTERM during score or respond
        if exc.signum == signal.SIGINT:
            error("interrupted")
            return EXIT_INTERRUPTED
        error("terminated")
        return EXIT_TERMINATED
    except BrokenPipeError:  # e.g. `clinscores score ... | head`: the reader left
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())  # no second error when Python flushes
        return EXIT_PIPE


def _cmd_screen(argv: Sequence[str]) -> int:
    try:
        from clinscores.cli import screen
    except ImportError as exc:
        error(f"the screen command is not available in this installation ({exc})")
        return EXIT_USAGE
    parser = argparse.ArgumentParser(
        prog="clinscores screen", description="Screen patients for trial NCT07052565."
    )
    screen.add_arguments(parser)
    args = parser.parse_args(argv)
    if not args.patients:
        parser.error("give at least one PATIENT.json, or --example NAME")
    return int(screen.run(args))
