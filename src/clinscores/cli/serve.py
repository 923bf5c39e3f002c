"""``clinscores serve``: the HTTP API and the screening page (the ``web`` extra).

:mod:`clinscores.web` is imported only when the command runs; without the
extra, exit code 5.
"""

from __future__ import annotations

import argparse
import sys
from typing import Any

from clinscores._extras import require
from clinscores.cli._exit import EXIT_OK

__all__ = ["DESCRIPTION", "HELP", "add_arguments", "run"]


#: The one-line help of ``clinscores serve`` in ``clinscores --help``.
HELP = "run the HTTP API and the screening page (needs the web extra)"
#: The description at the top of ``clinscores serve --help``.
DESCRIPTION = (
    "Run the JSON API (/api/v1, /openapi.json), the screening page (/) and "
    "the calculators (/calculators). Binds loopback unless --host says otherwise."
)


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """The arguments of ``clinscores serve``."""
    parser.add_argument(
        "--host", default="127.0.0.1", help="address to bind (default 127.0.0.1, loopback only)"
    )
    parser.add_argument("--port", type=_port, default=8000, help="port (default 8000)")
    parser.add_argument(
        "--cors-origin",
        metavar="ORIGIN",
        action="append",
        default=[],
        help="allow browser calls from ORIGIN (e.g. https://ehr.example.org); repeatable; "
        "CORS is off without it",
    )


def _port(text: str) -> int:
    try:
        port = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a port number") from None
    if not 0 <= port <= 65535:
        raise argparse.ArgumentTypeError(f"{port} is outside 0..65535")
    return port


def run(args: argparse.Namespace) -> int:
    """Serve until stopped (Ctrl-C); a warning when *args.host* is not loopback."""
    web: Any = require("clinscores.web", "web", "the serve command needs")
    if args.host not in web.LOOPBACK:
        print(
            f"clinscores: warning: binding {args.host}, not loopback: other machines can reach "
            "this server, which has no authentication",
            file=sys.stderr,
        )
    shown = f"[{args.host}]" if ":" in args.host else args.host
    print(
        f"clinscores: the screening page is at http://{shown}:{args.port}/ "
        f"(calculators: /calculators, API: /openapi.json); Ctrl-C stops",
        file=sys.stderr,
    )
    web.serve(args.host, args.port, args.cors_origin)
    return EXIT_OK
