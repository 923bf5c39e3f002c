"""The ``clinscores`` command: score CSV files, list the instruments, screen patients.

``clinscores score INSTRUMENT IN.csv [-o OUT.csv]`` reads the file in chunks
(constant memory for any file size), writes the input columns plus the score
and category columns, and reports invalid rows by their line in the file.
``clinscores list`` shows the instruments and their parameters with units.
``clinscores screen`` is provided by :mod:`clinscores._screen_cli`, imported
only when that subcommand is used; ``clinscores serve`` by
:mod:`clinscores.web` (the ``web`` extra).

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
    CSV line, undecodable text.
4
    Input/output error: missing or unreadable input file, empty input file,
    missing columns, output not writable.
5
    An optional extra is missing (every command): ``score`` and ``respond``
    without pandas (``pip install 'clinscores[cli]'``), ``serve`` without
    the web extra, ``screen`` of a FHIR Bundle without the fhir extra.  An
    installation problem, not bad data.
130
    Interrupted (Ctrl-C); the output file is left as it was.
141
    Standard output closed early by its reader (e.g. ``| head``).

The output file is first written to a temporary file in the same directory
and renamed over the target only on success, so a failed run never leaves a
partial output file.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import sys
import tempfile
from collections.abc import Iterator, Sequence
from typing import IO, Any

from clinscores import __version__
from clinscores._extras import EXIT_EXTRA, MissingExtraError, require
from clinscores.registry import Instrument, describe, get, instruments

__all__ = ["EXIT_DATA", "EXIT_EXTRA", "EXIT_IO", "EXIT_OK", "EXIT_USAGE", "main"]

EXIT_OK = 0
EXIT_USAGE = 2
EXIT_DATA = 3
EXIT_IO = 4
EXIT_INTERRUPTED = 130
EXIT_PIPE = 141

#: Rows read per chunk: memory use is proportional to this, not to the file.
DEFAULT_CHUNKSIZE = 50_000
#: Invalid rows listed one by one on standard error (``--errors coerce``).
MAX_LISTED = 20


def _error(message: str) -> None:
    print(f"clinscores: error: {message}", file=sys.stderr)


def build_parser() -> argparse.ArgumentParser:
    """The argument parser of the ``clinscores`` command."""
    parser = argparse.ArgumentParser(
        prog="clinscores",
        description="Validated rheumatology scores for tables of patients.",
        epilog="Exit codes: 0 ok, 2 usage error or unknown instrument, "
        "3 invalid data, 4 input/output error (missing or empty file, missing columns), "
        "5 an optional extra is missing (pip install 'clinscores[...]').",
    )
    parser.add_argument(
        "--version", action="version", version=f"clinscores {__version__}", help="show the version"
    )
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    sub.required = True

    p_score = sub.add_parser(
        "score",
        help="score every row of a CSV file",
        description="Score every row of a CSV file; write the input columns plus the "
        "score and category columns.",
    )
    p_score.add_argument("instrument", metavar="INSTRUMENT", help="see `clinscores list`")
    p_score.add_argument("input", metavar="IN.csv", help="input CSV file with a header line")
    p_score.add_argument(
        "-o",
        "--output",
        metavar="OUT.csv",
        help="output CSV file (default, or '-': standard output)",
    )
    p_score.add_argument(
        "--map",
        metavar="PARAM=COLUMN",
        action="extend",
        nargs="+",
        default=[],
        help="read parameter PARAM from column COLUMN (several after one --map, or --map repeated)",
    )
    p_score.add_argument(
        "--errors",
        choices=("raise", "coerce"),
        default="raise",
        help="raise: stop at the first invalid row (exit 3); coerce: give invalid rows "
        "empty results and a message in <instrument>_error, score the others",
    )
    p_score.add_argument(
        "--chunksize",
        type=int,
        default=DEFAULT_CHUNKSIZE,
        metavar="ROWS",
        help=f"rows per chunk (default {DEFAULT_CHUNKSIZE})",
    )
    p_score.add_argument(
        "--sep", default=",", help="field separator of input and output (default ',')"
    )
    p_score.add_argument(
        "--no-progress", action="store_true", help="no progress bar (shown only on a terminal)"
    )
    p_score.set_defaults(func=_cmd_score)

    p_list = sub.add_parser(
        "list",
        help="list the instruments and their parameters",
        description="List the instruments, their parameters with units, and output columns.",
    )
    p_list.set_defaults(func=_cmd_list)

    p_screen = sub.add_parser(
        "screen",
        help="screen patients for trial NCT07052565 (see `clinscores screen --help`)",
        add_help=False,
    )
    p_screen.set_defaults(func=None)
    _add_respond(sub)

    p_serve = sub.add_parser(
        "serve",
        help="run the HTTP API and the screening page (needs the web extra)",
        description="Run the JSON API (/api/v1, /openapi.json), the screening page (/) and "
        "the calculators (/calculators). Binds loopback unless --host says otherwise.",
    )
    p_serve.add_argument(
        "--host", default="127.0.0.1", help="address to bind (default 127.0.0.1, loopback only)"
    )
    p_serve.add_argument("--port", type=_port, default=8000, help="port (default 8000)")
    p_serve.add_argument(
        "--cors-origin",
        metavar="ORIGIN",
        action="append",
        default=[],
        help="allow browser calls from ORIGIN (e.g. https://ehr.example.org); repeatable; "
        "CORS is off without it",
    )
    p_serve.set_defaults(func=_cmd_serve)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command; return its exit code."""
    parser = build_parser()
    args_list = list(sys.argv[1:] if argv is None else argv)
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
        _error(str(exc))
        return EXIT_EXTRA
    except KeyboardInterrupt:
        _error("interrupted")
        return EXIT_INTERRUPTED
    except BrokenPipeError:  # e.g. `clinscores score ... | head`: the reader left
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())  # no second error when Python flushes
        return EXIT_PIPE


def _cmd_screen(argv: list[str]) -> int:
    try:
        from clinscores import _screen_cli
    except ImportError as exc:
        _error(f"the screen command is not available in this installation ({exc})")
        return EXIT_USAGE
    parser = argparse.ArgumentParser(
        prog="clinscores screen", description="Screen patients for trial NCT07052565."
    )
    _screen_cli.add_arguments(parser)
    args = parser.parse_args(argv)
    if not args.patients:
        parser.error("give at least one PATIENT.json, or --example NAME")
    return int(_screen_cli.run(args))


def _port(text: str) -> int:
    try:
        port = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a port number") from None
    if not 0 <= port <= 65535:
        raise argparse.ArgumentTypeError(f"{port} is outside 0..65535")
    return port


def _cmd_serve(args: argparse.Namespace) -> int:
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


# --------------------------------------------------------------------------
# list
# --------------------------------------------------------------------------


def _cmd_list(args: argparse.Namespace) -> int:
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


# --------------------------------------------------------------------------
# score
# --------------------------------------------------------------------------


def _parse_map(items: list[str], inst: Instrument) -> dict[str, str]:
    names = {p.name for p in inst.parameters}
    mapping: dict[str, str] = {}
    for item in items:
        param, sep, column = item.partition("=")
        param, column = param.strip(), column.strip()
        if not sep or not param or not column:
            raise ValueError(f"--map {item!r}: expected PARAM=COLUMN")
        if param not in names:
            known = ", ".join(p.name for p in inst.parameters)
            raise ValueError(f"--map {item!r}: {inst.name} has no parameter {param!r} ({known})")
        mapping[param] = column
    return mapping


@contextlib.contextmanager
def _atomic_output(path: str | None) -> Iterator[IO[str]]:
    """Standard output, or a temporary file renamed to *path* only on success."""
    if path is None or path == "-":
        yield sys.stdout
        sys.stdout.flush()
        return
    directory = os.path.dirname(os.path.abspath(path))
    fd, tmp = tempfile.mkstemp(
        dir=directory, prefix=f".{os.path.basename(path)}.", suffix=".tmp", text=True
    )
    try:
        with os.fdopen(fd, "w", newline="", encoding="utf-8") as handle:
            yield handle
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise


def _progress(total: int, enabled: bool) -> Any:
    if not enabled or not sys.stderr.isatty():
        return None
    try:
        from tqdm import tqdm
    except ImportError:
        return None
    return tqdm(total=total, unit="B", unit_scale=True, file=sys.stderr, desc="scoring")


def _cmd_score(args: argparse.Namespace) -> int:
    try:
        inst = get(args.instrument)
    except KeyError as exc:
        _error(str(exc.args[0]))
        return EXIT_USAGE
    try:
        mapping = _parse_map(args.map, inst)
    except ValueError as exc:
        _error(str(exc))
        return EXIT_USAGE
    source = _open_input(args, "score")
    if isinstance(source, int):
        return source
    with source:
        return _score_file(args, inst, mapping, source)


def _open_input(args: argparse.Namespace, command: str) -> IO[bytes] | int:
    """The input CSV of ``score`` or ``respond`` opened, or the exit code of why not.

    Checks ``--chunksize`` and that pandas is installed first (without it,
    :class:`~clinscores._extras.MissingExtraError`: exit code 5).
    """
    if args.chunksize < 1:
        _error("--chunksize must be at least 1")
        return EXIT_USAGE
    require("pandas", "cli", f"the {command} command needs")
    try:
        return open(args.input, "rb")  # closed by the caller
    except OSError as exc:
        _error(f"cannot read {args.input}: {exc.strerror or exc}")
        return EXIT_IO


def _csv_failure(exc: Exception, args: argparse.Namespace) -> int:
    """Report an error of reading, scoring or writing a CSV file; its exit code.

    Shared by ``clinscores score`` and ``clinscores respond``.  A broken pipe
    and errors that are not about the file are raised again.
    """
    import pandas as pd

    from clinscores.frame import MissingColumnError, RowError

    if isinstance(exc, BrokenPipeError):
        raise exc
    if isinstance(exc, pd.errors.EmptyDataError):
        _error(f"{args.input} is empty (no header line)")
        return EXIT_IO
    if isinstance(exc, MissingColumnError):
        _error(f"{args.input}: {exc}")
        return EXIT_IO
    if isinstance(exc, RowError):
        _error(f"{args.input}: line {exc.row}: {exc.detail}")
        return EXIT_DATA
    if isinstance(exc, pd.errors.ParserError):
        _error(f"{args.input}: malformed CSV: {exc}")
        return EXIT_DATA
    if isinstance(exc, UnicodeDecodeError):
        _error(f"{args.input}: not UTF-8 text: {exc}")
        return EXIT_DATA
    if isinstance(exc, OSError):
        _error(f"{exc.filename or args.output or 'output'}: {exc.strerror or exc}")
        return EXIT_IO
    raise exc


def _score_file(
    args: argparse.Namespace, inst: Instrument, mapping: dict[str, str], source: IO[bytes]
) -> int:
    import pandas as pd

    from clinscores.frame import score

    try:
        size = os.fstat(source.fileno()).st_size
    except OSError:
        size = 0
    bar = _progress(size, not args.no_progress)
    invalid = 0
    try:
        reader = pd.read_csv(
            source,
            sep=args.sep,
            dtype=str,
            chunksize=args.chunksize,
            skip_blank_lines=False,  # keeps row i on line i + 2
            encoding="utf-8",
        )
        with _atomic_output(args.output) as out:
            start = 0
            for chunk in reader:
                chunk.index = pd.RangeIndex(start + 2, start + 2 + len(chunk), name="line")
                result = score(chunk, inst.name, mapping, errors=args.errors)
                if args.errors == "coerce":
                    invalid += _report_invalid(result[f"{inst.name}_error"], invalid)
                result.to_csv(out, sep=args.sep, header=start == 0, index=False)
                start += len(chunk)
                if bar is not None:
                    bar.update(source.tell() - bar.n)
    except (ValueError, KeyError, OSError) as exc:
        return _csv_failure(exc, args)
    finally:
        if bar is not None:
            bar.close()
    if invalid:
        print(
            f"clinscores: warning: {invalid} invalid row(s) not scored "
            f"(see column {inst.name}_error)",
            file=sys.stderr,
        )
    return EXIT_OK


def _report_invalid(messages: Any, already: int) -> int:
    bad = messages[messages.notna()]
    for line, text in bad.items():
        if already >= MAX_LISTED:
            break
        print(f"clinscores: line {line}: {text}", file=sys.stderr)
        already += 1
    return len(bad)


# --------------------------------------------------------------------------
# respond
# --------------------------------------------------------------------------


def _add_respond(sub: Any) -> None:
    p = sub.add_parser(
        "respond",
        help="response and remission criteria at every visit of a CSV file of visits",
        description="Assess response and remission criteria (SRI, BICLA, LLDAS, DORIS, "
        "DAS28/CDAI/SDAI remission, EULAR response, ESSDAI MCII) at every visit against "
        "the patient's baseline.  The file must hold each patient's visits on "
        "consecutive lines (grouped by patient, in any date order): it is read in "
        "chunks of whole patients, so memory does not grow with the file.",
    )
    p.add_argument("input", metavar="IN.csv", nargs="?", help="visits, one per line")
    p.add_argument("-o", "--output", metavar="OUT.csv", help="output CSV (default stdout)")
    p.add_argument(
        "-c",
        "--criteria",
        metavar="NAME",
        action="extend",
        nargs="+",
        default=[],
        help="criteria to assess (default: every criterion whose columns are present)",
    )
    p.add_argument("--patient", default="patient_id", help="patient column (patient_id)")
    p.add_argument("--date", default="visit_date", help="visit date/number column (visit_date)")
    p.add_argument(
        "--baseline", default=None, help="column flagging baseline visits (default: first visit)"
    )
    p.add_argument("--list", action="store_true", help="list the criteria and their columns")
    p.add_argument("--chunksize", type=int, default=DEFAULT_CHUNKSIZE, metavar="ROWS")
    p.add_argument("--sep", default=",", help="field separator (default ',')")
    p.set_defaults(func=_cmd_respond)


def _cmd_respond(args: argparse.Namespace) -> int:
    from clinscores.responses import criteria

    table = criteria()
    if args.list:
        for c in table.values():
            print(f"{c.name}: {c.summary}")
            for when, cols in (
                ("baseline", c.baseline),
                ("current", c.current),
                ("previous", c.previous),
            ):
                if cols:
                    print(f"  {when}: {', '.join(cols)}")
        return EXIT_OK
    if args.input is None:
        _error("respond needs IN.csv (or --list)")
        return EXIT_USAGE
    unknown = [n for n in args.criteria if n not in table]
    if unknown:
        _error(f"unknown criterion {unknown[0]!r}; known: {', '.join(sorted(table))}")
        return EXIT_USAGE
    source = _open_input(args, "respond")
    if isinstance(source, int):
        return source
    with source:
        return _respond_file(args, source)


class _NotGrouped(Exception):
    """The rows of a patient are not on consecutive lines."""


class _NoCriterion(Exception):
    """No criterion was named and none has all its columns in the file."""


def _respond_file(args: argparse.Namespace, source: IO[bytes]) -> int:
    import pandas as pd

    from clinscores.frame import MissingColumnError, respond
    from clinscores.responses import criteria

    try:
        reader = pd.read_csv(
            source,
            sep=args.sep,
            dtype=str,
            chunksize=args.chunksize,
            skip_blank_lines=False,
            encoding="utf-8",
        )
        with _atomic_output(args.output) as out:
            start = 0
            names: list[str] = list(args.criteria)
            carry: Any = None
            seen: set[object] = set()
            header = True
            for chunk in reader:
                chunk.index = pd.RangeIndex(start + 2, start + 2 + len(chunk), name="line")
                start += len(chunk)
                if not names:
                    present = set(chunk.columns)
                    names = [c.name for c in criteria().values() if set(c.columns) <= present]
                    if not names:
                        raise _NoCriterion(
                            "no criterion has all its columns in the file (see "
                            "`clinscores respond --list`); name the criteria with -c to "
                            "see which columns are missing"
                        )
                buf = chunk if carry is None else pd.concat([carry, chunk])
                if args.patient not in buf.columns:
                    raise MissingColumnError([("respond", args.patient, args.patient)])
                ids = buf[args.patient]
                last = ids.iloc[-1]
                done = (ids != last).to_numpy() if isinstance(last, str) else ids.notna().to_numpy()
                if not isinstance(last, str):  # an empty id: let respond report it
                    done[:] = True
                carry = buf[~done]
                header = _respond_part(buf[done], names, args, out, seen, header, respond)
            if carry is not None and len(carry):
                _respond_part(carry, names, args, out, seen, header, respond)
    except _NotGrouped as exc:
        _error(f"{args.input}: {exc}")
        return EXIT_DATA
    except _NoCriterion as exc:
        _error(f"{args.input}: {exc}")
        return EXIT_IO
    except (ValueError, KeyError, OSError) as exc:
        return _csv_failure(exc, args)
    return EXIT_OK


def _respond_part(
    part: Any,
    names: list[str],
    args: argparse.Namespace,
    out: IO[str],
    seen: set[object],
    header: bool,
    respond: Any,
) -> bool:
    """Assess complete patients; False once the header is written."""
    if len(part) == 0:
        return header
    patients = part[args.patient].dropna().unique()
    again = [p for p in patients if p in seen]
    if again:
        first = part.index[(part[args.patient] == again[0]).to_numpy()][0]
        raise _NotGrouped(
            f"line {first}: patient {again[0]!r} appeared earlier in the file; the rows of "
            "each patient must be consecutive (sort the file by patient first)"
        )
    seen.update(patients)
    result = respond(part, names, patient=args.patient, date=args.date, baseline=args.baseline)
    result.to_csv(out, sep=args.sep, header=header, index=False)
    return False


if __name__ == "__main__":
    raise SystemExit(main())
