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
import os
import shutil
import sys
import textwrap
from pathlib import Path
from typing import Any, Final, TextIO

from clinscores import __version__
from clinscores._core import InputError
from clinscores._display import (
    SYMBOLS,
    _reason,
    _title,
    criterion_effect,
    disease_name,
    humanize,
    mathematical,
    missing_words,
    parts,
    status_word,
    verdict_effect,
)
from clinscores._extras import EXIT_EXTRA, MissingExtraError
from clinscores._json import JsonError, loads
from clinscores.eligibility import Criterion, Screening
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


#: The exit codes as ``screen --help`` lists them, one a line.
EXIT_CODES_HELP: Final = """\
exit codes (with several files, the most severe one):
  0   every patient eligible
  10  at least one patient not eligible (none invalid or incomplete)
  11  at least one screen incomplete: data missing (none invalid)
  12  invalid file (at least one): unreadable, malformed JSON (a duplicate key,
      a number beyond float, NaN or Infinity), a record that does not validate,
      or a FHIR Bundle that cannot be read
  5   an optional extra is missing: a FHIR Bundle without
      pip install 'clinscores[fhir]' (the other files are still screened)
  2   usage error

output: the verdict, then why (the criteria that bar eligibility, or the data
missing), then every criterion; symbols and colour on a terminal, plain words
with --no-color, when NO_COLOR is set, or when the output is not a terminal;
lines wrap to the terminal's width (COLUMNS)."""


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """Arguments of the ``screen`` subcommand (and its exit codes, as the help's epilog)."""
    parser.epilog = EXIT_CODES_HELP
    parser.formatter_class = argparse.RawDescriptionHelpFormatter
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
    parser.add_argument(
        "--no-color",
        action="store_true",
        help="plain words, no symbols or colour (also when NO_COLOR is set or the output "
        "is not a terminal)",
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


_ANSI: Final = {
    "good": "\033[32m",
    "bad": "\033[31m",
    "unknown": "\033[33m",
    "not_applicable": "\033[90m",
}
_BOLD: Final = "\033[1m"
_RESET: Final = "\033[0m"
#: The plain word of each effect on the patient (no symbols, no colour).
PLAIN: Final = {"good": "ok", "bad": "FAIL", "unknown": "??", "not_applicable": "--"}


def use_color(args: argparse.Namespace, out: TextIO) -> bool:
    """Symbols and colour: on a terminal, unless ``--no-color`` or ``NO_COLOR`` is set.

    Also plain when the output cannot encode the symbols.
    """
    if getattr(args, "no_color", False) or os.environ.get("NO_COLOR"):
        return False
    isatty = getattr(out, "isatty", None)
    if not (callable(isatty) and isatty()):
        return False
    try:
        "".join(SYMBOLS.values()).encode(getattr(out, "encoding", None) or "utf-8")
    except (LookupError, UnicodeEncodeError):
        return False
    return True


def _mark(effect: str, color: bool) -> str:
    """``✓`` (green) on a terminal, ``ok`` in plain words; four columns wide."""
    if not color:
        return f"{PLAIN[effect]:<4}"
    return f"{_ANSI[effect]}{SYMBOLS[effect]}{_RESET}   "


def _marked(lines: list[str], effect: str, color: bool) -> list[str]:
    """Lines wrapped with the plain mark at column 2, the mark put in after the wrapping.

    (Wrapping counts characters: the colour codes take no column.)
    """
    if color and lines:
        lines[0] = lines[0][:2] + _mark(effect, True) + lines[0][6:]
    return lines


def _wrap(text: str, width: int, first: str, rest: str) -> list[str]:
    return textwrap.wrap(
        text, width, initial_indent=first, subsequent_indent=rest, break_on_hyphens=False
    ) or [first.rstrip()]


def format_table(s: Screening, width: int = 100, color: bool = False) -> str:
    """The screen as a person reads it: the verdict, why, then every criterion.

    The verdict line is followed by the reasons (the criteria that bar
    eligibility, or those left unknown and the data missing) before the list
    of every criterion; long reasons wrap at *width* columns; record paths
    are named by their labels.  With *color*, symbols and ANSI colours (as
    on the page); without, plain words (``ok``, ``FAIL``, ``??``, ``--``).
    """
    width = max(width, 60)
    effect = verdict_effect(s.status)
    verdict = status_word(s.status)
    if color:
        verdict = f"{_BOLD}{_ANSI[effect]}{SYMBOLS[effect]} {verdict}{_RESET}"
    lines = [f"{verdict}: patient {s.patient_id}, {disease_name(s.disease)}"]
    date = "no screening date" if s.screening_date is None else f"screened {s.screening_date}"
    lines.append(f"{date}, trial NCT07052565, clinscores {__version__}")
    explained = _explained(s)
    if explained:
        head = "Why not eligible:" if s.status == "not_eligible" else "Why incomplete:"
        lines += ["", head]
        for c in explained:
            e = criterion_effect(c.kind, c.status)
            first = f"  {_mark(e, False)} "
            lines += _marked(_reason_lines(first, f"{c.id} {_title(c)}", c, width, 7), e, color)
    if s.missing:
        lines += _wrap(f"Missing data: {missing_words(s)}", width, "", "  ")
    lines += ["", "Criteria:"]
    title_at = 2 + 5 + 5 + 15
    for c in s.criteria:
        e = criterion_effect(c.kind, c.status)
        first = f"  {_mark(e, False)} {c.id:<4} {status_word(c.status):<15}"
        lines += _marked(_reason_lines(first, _title(c), c, width, title_at), e, color)
    text = "\n".join(lines)
    return mathematical(text) if color else text


def _reason_lines(first: str, title: str, c: Criterion, width: int, indent: int) -> list[str]:
    """``title: reason`` after *first*, wrapped; a long reason one condition a line."""
    reason = humanize(_reason(c))
    text = f"{title}: {reason}"
    conditions = parts(reason)
    if len(first) + len(text) <= width or len(conditions) == 1:
        return _wrap(text, width, first, " " * indent)
    lines = [f"{first}{title}:"]
    for part in conditions:
        lines += _wrap(part, width, " " * indent + "- ", " " * (indent + 2))
    return lines


def _explained(s: Screening) -> list[Criterion]:
    """The criteria that :func:`clinscores._display.why` explains, in its order."""
    if s.status == "not_eligible":
        return [c for c in s.criteria if criterion_effect(c.kind, c.status) == "bad"]
    return [c for c in s.criteria if c.status == "unknown"]


def format_summary(rows: list[tuple[str, str, str]], color: bool = False) -> str:
    """The several-file summary: a table, one file a line (file, patient, result)."""
    file_w = max(len("File"), *(len(f) for f, _, _ in rows))
    pid_w = max(len("Patient"), *(len(p) for _, p, _ in rows))
    lines = ["Summary:", f"  {'File':<{file_w}}  {'Patient':<{pid_w}}  Result"]
    for f, pid, result in rows:
        effect = {"ELIGIBLE": "good", "NOT ELIGIBLE": "bad"}.get(result, "unknown")
        mark = f"{_ANSI[effect]}{result}{_RESET}" if color else result
        lines.append(f"  {f:<{file_w}}  {pid:<{pid_w}}  {mark}")
    return "\n".join(lines)


def run(args: argparse.Namespace, out: TextIO | None = None) -> int:
    """Screen each file; print tables (or JSON); return the exit code."""
    out = out or sys.stdout
    color = use_color(args, out)
    width = shutil.get_terminal_size((100, 24)).columns
    results: list[dict[str, Any]] = []
    codes: list[int] = []
    summary: list[tuple[str, str, str]] = []
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
            summary.append((str(path), "", "NOT SCREENED"))
            if args.json:
                results.append({"file": str(path), "status": "not_screened", "error": str(exc)})
            else:
                print(f"{path}: not screened: {exc}", file=out)
                print(file=out)
            continue
        else:
            codes.append(_EXIT_OF[screening.status])
            summary.append((str(path), screening.patient_id, status_word(screening.status)))
            if args.json:
                results.append({"file": str(path), **screening_document(screening)})
            else:
                if len(args.patients) > 1:
                    print(f"{path}:", file=out)
                print(format_table(screening, width=width, color=color), file=out)
                print(file=out)
            continue
        codes.append(EXIT_INVALID)
        summary.append((str(path), "", "INVALID"))
        if args.json:
            results.append({"file": str(path), "status": "invalid", "error": error})
        else:
            print(f"{path}: invalid: {error}", file=out)
            print(file=out)
    if args.json:
        doc: Any = results if len(results) > 1 else results[0]
        print(encode(doc), file=out)
    elif len(args.patients) > 1:
        print(format_summary(summary, color=color), file=out)
    return max(codes, key=_SEVERITY.index)
