"""``clinscores list [NAME ...]``: the instruments, their parameters in words, their outputs."""

from __future__ import annotations

import argparse
import shutil
import textwrap

from clinscores.cli._exit import EXIT_OK, EXIT_USAGE, error
from clinscores.registry import Instrument, describe, instruments

__all__ = ["DESCRIPTION", "HELP", "add_arguments", "format_instrument", "run"]


#: The one-line help of ``clinscores list`` in ``clinscores --help``.
HELP = "list the instruments and their parameters"
#: The description at the top of ``clinscores list --help``.
DESCRIPTION = (
    "List the instruments (or only those named), each parameter with its label and allowed "
    "values, and the output columns."
)


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """``clinscores list [NAME ...]``: the instruments to show (all without a name)."""
    parser.add_argument(
        "names",
        nargs="*",
        metavar="NAME",
        help="show only these instruments (e.g. das28_esr sledai2k)",
    )


def run(args: argparse.Namespace) -> int:
    """Print the text block of each instrument asked for (:func:`format_instrument`).

    Exit code 0; 2 (a usage error) for an unknown name, naming the known ones.
    """
    table = instruments()
    names = list(dict.fromkeys(getattr(args, "names", None) or table))
    unknown = [n for n in names if n not in table]
    if unknown:
        error(
            f"unknown instrument {', '.join(map(repr, unknown))}; "
            f"known instruments: {', '.join(table)}"
        )
        return EXIT_USAGE
    width = shutil.get_terminal_size((100, 24)).columns
    for name in names:
        print(format_instrument(table[name], width=width))
        print()
    return EXIT_OK


def format_instrument(inst: Instrument, width: int = 100) -> str:
    """Text block describing one instrument: its name, its parameters in words, its outputs.

    Each parameter line gives the keyword (the CSV column or Python argument
    name), its label and its allowed values (one formatter:
    :func:`clinscores.vocabulary.domain_hint`); lines wrap at *width*
    columns.  The words of :func:`clinscores.registry.describe`, which the
    web API (``GET /api/v1/instruments``) serves as JSON.
    """
    d = describe(inst)
    width = max(width, 60)
    key_width = max(len(p["name"]) for p in d["parameters"])
    summary = d["summary"]
    if summary.startswith(d["display_name"]):
        lines = textwrap.wrap(f"{d['name']}: {summary}", width, subsequent_indent="    ")
    else:
        lines = [f"{d['name']}: {d['display_name']}"]
        lines += textwrap.wrap(summary, width, initial_indent="  ", subsequent_indent="    ")
    for group in d["unit_choices"]:
        others = " or ".join(group["parameters"])
        lines += textwrap.wrap(
            f"  {group['label']}: give one of {others} ({' or '.join(group['units'])})",
            width,
            subsequent_indent="    ",
        )
    indent = " " * (2 + key_width + 2)
    for p in d["parameters"]:
        words = f"{p['label']}: {p['hint']}"
        lines += textwrap.wrap(
            f"  {p['name']:<{key_width}}  {words}",
            width,
            subsequent_indent=indent,
            break_on_hyphens=False,
        )
    lines += textwrap.wrap(
        "  -> " + ", ".join(o["name"] for o in d["outputs"]), width, subsequent_indent="     "
    )
    return "\n".join(lines)
