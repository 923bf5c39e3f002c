"""``clinscores list``: the instruments, their parameters with units, their outputs."""

from __future__ import annotations

import argparse

from clinscores.cli._exit import EXIT_OK
from clinscores.registry import Instrument, describe, instruments

__all__ = ["DESCRIPTION", "HELP", "add_arguments", "format_instrument", "run"]


#: The one-line help of ``clinscores list`` in ``clinscores --help``.
HELP = "list the instruments and their parameters"
#: The description at the top of ``clinscores list --help``.
DESCRIPTION = "List the instruments, their parameters with units, and output columns."


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """``clinscores list`` takes no arguments."""


def run(args: argparse.Namespace) -> int:
    """Print every instrument's text block (:func:`format_instrument`); exit code 0."""
    for inst in instruments().values():
        print(format_instrument(inst))
        print()
    return EXIT_OK


def format_instrument(inst: Instrument) -> str:
    """Text block describing one instrument: summary, parameters with units, outputs.

    The text of :func:`clinscores.registry.describe`, which the web API
    (``GET /api/v1/instruments``) serves as JSON.
    """
    d = describe(inst)
    width = max(len(p["name"]) for p in d["parameters"])
    lines = [f"{d['name']}: {d['summary']}"]
    for p in d["parameters"]:
        note = "" if p["required"] else "  (one of: " + ", ".join(d["one_of"]) + ")"
        lines.append(f"  {p['name']:<{width}}  {p['text']}{note}")
    lines.append("  -> " + ", ".join(o["name"] for o in d["outputs"]))
    return "\n".join(lines)
