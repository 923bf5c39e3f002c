"""``clinscores screen``: screen patient records (JSON) against NCT07052565.

A file holds the package's record or a FHIR R4 Bundle (told apart by its
``resourceType``; see :mod:`clinscores.fhir`).

Exit codes (of the whole command; with several files, the most severe one):

===  ==========================================================
0    every patient eligible
10   at least one patient not eligible (none invalid or incomplete)
11   at least one screen incomplete (data missing; none invalid)
12   at least one file invalid: unreadable, malformed JSON (also a
     duplicate key, a number beyond float, NaN or Infinity), a
     record that does not validate, or a FHIR Bundle that cannot be read
5    an optional extra is missing: a FHIR Bundle without
     ``pip install 'clinscores[fhir]'`` (an installation problem, not
     bad data; the other files are still screened)
2    usage error (argparse)
===  ==========================================================

Files are read by :func:`clinscores._json.loads`: a JSON error names the
file, and the key or value by its JSON path
(``ra.json: invalid: exclusions.pregnant: duplicate key``).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any, Final, TextIO

from clinscores import __version__
from clinscores._core import InputError
from clinscores._extras import EXIT_EXTRA, MissingExtraError
from clinscores._json import JsonError, loads
from clinscores.eligibility import Screening
from clinscores.record import RecordError
from clinscores.screening import encode, screen_any, screening_document

EXIT_ELIGIBLE: Final = 0
EXIT_NOT_ELIGIBLE: Final = 10
EXIT_INCOMPLETE: Final = 11
EXIT_INVALID: Final = 12
_EXIT_OF: Final = {
    "eligible": EXIT_ELIGIBLE,
    "not_eligible": EXIT_NOT_ELIGIBLE,
    "incomplete": EXIT_INCOMPLETE,
}
# severity order for several files:
# missing extra > invalid > incomplete > not eligible > eligible
_SEVERITY: Final = (EXIT_ELIGIBLE, EXIT_NOT_ELIGIBLE, EXIT_INCOMPLETE, EXIT_INVALID, EXIT_EXTRA)


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """Arguments of the ``screen`` subcommand (and its exit codes, as the help's epilog)."""
    parser.epilog = (
        "Exit codes (with several files, the most severe): 0 every patient eligible, "
        "10 not eligible, 11 incomplete (data missing), 12 invalid file (unreadable, "
        "malformed JSON, a duplicate key, a number beyond float, an invalid record or "
        "FHIR Bundle), 5 an optional extra is missing (a FHIR Bundle without "
        "pip install 'clinscores[fhir]'), 2 usage error."
    )
    parser.add_argument(
        "patients",
        nargs="*",
        action="extend",
        default=[],
        type=Path,
        metavar="PATIENT.json",
        help="a patient record, or a FHIR R4 Bundle (needs the extra [fhir])",
    )
    parser.add_argument(
        "--example",
        nargs="?",
        action=_ExampleAction,
        metavar="NAME",
        help="screen an example shipped with the package (e.g. ra_eligible, ra_bundle); "
        "without NAME, list the examples and exit",
    )
    parser.add_argument(
        "--json", action="store_true", help="machine-readable output (one JSON document)"
    )


class _ExampleAction(argparse.Action):
    """``--example NAME`` adds the example's file to the patients to screen.

    ``--example`` without a name lists the examples (one line each) and exits
    with code 0, as ``--help`` does; an unknown name is a usage error (exit
    code 2) that lists the names.
    """

    def __call__(
        self,
        parser: argparse.ArgumentParser,
        namespace: argparse.Namespace,
        values: Any,
        option_string: str | None = None,
    ) -> None:
        from clinscores import examples

        if values is None:
            width = max(map(len, examples.names()))
            for name in examples.names():
                print(f"{name:<{width}}  {examples.describe(name)}")
            parser.exit(0)
        if values not in examples.names():
            parser.error(
                f"{option_string}: no example named {values!r}; "
                f"the examples are: {', '.join(examples.names())}"
            )
        namespace.patients = [*(namespace.patients or []), examples.path(values)]


def _load(path: Path) -> Any:
    """The JSON value of a file, read strictly (:func:`clinscores._json.loads`)."""
    return loads(path.read_bytes(), what=str(path))


def format_table(s: Screening) -> str:
    """A readable table: criterion, status, reason."""
    lines = [
        f"clinscores {__version__}, trial NCT07052565, screening date {s.screening_date}",
        f"Patient {s.patient_id} ({s.disease}): {s.status.upper().replace('_', ' ')}",
    ]
    width = max(len(c.status) for c in s.criteria)
    for c in s.criteria:
        text = c.reason if c.reason.startswith(c.title) else f"{c.title}: {c.reason}"
        lines.append(f"  {c.id:<4} {c.status:<{width}}  {text}")
    if s.missing:
        lines.append("  missing data: " + ", ".join(s.missing))
    return "\n".join(lines)


def run(args: argparse.Namespace, out: TextIO | None = None) -> int:
    """Screen each file; print tables (or JSON); return the exit code."""
    out = out or sys.stdout
    results: list[dict[str, Any]] = []
    codes: list[int] = []
    for path in args.patients:
        try:
            screening = screen_any(_load(path))
        except OSError as exc:
            error = f"cannot read: {exc.strerror or exc}"
        except JsonError as exc:
            error = exc.detail
        except RecordError as exc:
            error = str(exc)
        except InputError as exc:  # a value the record allows but an instrument refuses
            error = f"invalid patient record: {exc}"
        except MissingExtraError as exc:
            codes.append(EXIT_EXTRA)
            if args.json:
                results.append({"file": str(path), "status": "not_screened", "error": str(exc)})
            else:
                print(f"{path}: not screened: {exc}", file=out)
                print(file=out)
            continue
        else:
            codes.append(_EXIT_OF[screening.status])
            if args.json:
                results.append({"file": str(path), **screening_document(screening)})
            else:
                print(format_table(screening), file=out)
                if len(args.patients) > 1:
                    print(f"{path}: {screening.status}", file=out)
                print(file=out)
            continue
        codes.append(EXIT_INVALID)
        if args.json:
            results.append({"file": str(path), "status": "invalid", "error": error})
        else:
            print(f"{path}: invalid: {error}", file=out)
            print(file=out)
    if args.json:
        doc: Any = results if len(results) > 1 else results[0]
        print(encode(doc), file=out)
    elif len(args.patients) > 1:
        print(
            "summary: " + ", ".join(f"{p}={_name(c)}" for p, c in zip(args.patients, codes)),
            file=out,
        )
    return max(codes, key=_SEVERITY.index)


def _name(code: int) -> str:
    names = {v: k for k, v in _EXIT_OF.items()} | {EXIT_EXTRA: "not_screened"}
    return names.get(code, "invalid")
