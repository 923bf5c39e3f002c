"""The ``clinscores`` command: score CSV files, list the instruments, screen patients.

``clinscores score INSTRUMENT IN.csv [-o OUT.csv]`` reads the file in chunks
(constant memory for any file size), writes the input columns plus the score
and category columns, and reports invalid rows by their line in the file.
``clinscores respond VISITS.csv`` assesses response criteria at every visit
of a file grouped by patient.
``clinscores list`` shows the instruments and their parameters with units.
``clinscores screen`` is provided by :mod:`clinscores._screen_cli`, imported
only when that subcommand is used; ``clinscores serve`` by
:mod:`clinscores.web` (the ``web`` extra).

Reading the CSV file
--------------------
``score`` and ``respond`` read their input with one reader,
:class:`clinscores._csvread.CsvInput`, by these rules:

- UTF-8, with or without a byte-order mark; lines end in LF, CRLF or CR;
  fields may be quoted with ``"`` (a quote inside doubled).
- The first line is the header.  Separators at its end are dropped; a name
  given twice is an error naming it (exit code 4), names being compared as
  written (a real column ``tjc28.1`` is allowed).
- A row with more fields than the header is read without them when the
  extra fields are all empty (a separator at the end of each data line);
  otherwise it is an error naming the line and its count of fields (exit 3,
  either ``--errors`` mode).  No value is ever read from another column.
- A row with fewer fields than the header is an error naming the line and
  its count of fields (exit 3); with ``score --errors coerce`` the row is
  invalid instead (empty results, the reason in ``<instrument>_error``).
- A blank line is an empty row; rows are numbered by the line of the file
  where they start (the header is line 1).
- An unclosed quote, or text after a closing quote, is an error (exit 3).
- Empty cells and the texts pandas reads as missing (``NA``, ``NaN``,
  ``NULL``, ...) are missing.

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

The output file is first written to a temporary file in the same directory
and renamed over the target only on success, so a failed run never leaves a
partial output file; on SIGINT and SIGTERM the temporary file is removed
too (handlers installed for the run only, the previous ones put back).
``respond`` also holds output for standard output in an anonymous temporary
file until the end, so that an error writes nothing at all.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import shutil
import signal
import sys
import tempfile
import threading
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
EXIT_TERMINATED = 143

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
        "3 invalid data or malformed CSV line, 4 input/output error (missing or empty file, "
        "a column named twice, missing columns), 5 an optional extra is missing "
        "(pip install 'clinscores[...]'), 130 interrupted, 143 terminated.",
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
    except _Signalled as exc:  # SIGINT or SIGTERM during score or respond
        if exc.signum == signal.SIGINT:
            _error("interrupted")
            return EXIT_INTERRUPTED
        _error("terminated")
        return EXIT_TERMINATED
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


class _Signalled(BaseException):
    """SIGINT or SIGTERM arrived during ``score`` or ``respond``.

    A ``BaseException``, like ``KeyboardInterrupt``, so that no ``except
    Exception`` on the way stops it before the temporary output is removed.
    """

    def __init__(self, signum: int) -> None:
        super().__init__(signum)
        self.signum = signum


class _SignalGate:
    """The SIGINT/SIGTERM handler of a run, and the sections it must not cut.

    Python runs signal handlers in the main thread between two bytecodes,
    also when the signal was received by another thread (pandas and pyarrow
    start some), so blocking signals with ``pthread_sigmask`` is not enough:
    inside :meth:`held` the handler only notes the signal, and it is raised
    when the section ends.
    """

    def __init__(self) -> None:
        self.wanted: list[signal.Signals] = []
        self.depth = 0
        self.pending = 0

    def handler(self, signum: int, frame: object) -> None:
        if self.depth:
            self.pending = self.pending or signum
            return
        self.fire(signum)

    def fire(self, signum: int) -> None:
        for s in self.wanted:  # one signal is enough: a second one must not cut the clean-up
            signal.signal(s, signal.SIG_IGN)
        raise _Signalled(signum)

    @contextlib.contextmanager
    def held(self) -> Iterator[None]:
        """A section that a signal must not cut (it is raised after the section)."""
        self.depth += 1
        try:
            yield
        finally:
            self.depth -= 1
            if not self.depth and self.pending:
                signum, self.pending = self.pending, 0
                self.fire(signum)


_GATE = _SignalGate()


@contextlib.contextmanager
def _stop_on_signals() -> Iterator[None]:
    """SIGINT and SIGTERM raise :class:`_Signalled` while the block runs.

    So that the temporary output file is removed (by :func:`_atomic_output`)
    before the process exits with 130 or 143.  The previous handlers are put
    back afterwards; a signal the caller ignores (``SIG_IGN``, e.g. SIGINT
    of a background job) stays ignored.  Only the main thread may install
    handlers: in another thread the block runs unchanged.
    """
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    wanted = [signal.SIGINT, signal.SIGTERM]
    previous = {s: signal.getsignal(s) for s in wanted}
    _GATE.wanted = [s for s in wanted if previous[s] is not signal.SIG_IGN]
    for s in _GATE.wanted:
        signal.signal(s, _GATE.handler)
    try:
        yield
    finally:
        for s in _GATE.wanted:
            old = previous[s]
            signal.signal(s, old if old is not None else signal.SIG_DFL)
        _GATE.wanted, _GATE.pending = [], 0


@contextlib.contextmanager
def _atomic_output(path: str | None, *, hold_stdout: bool = False) -> Iterator[IO[str]]:
    """Standard output, or a temporary file renamed to *path* only on success.

    With *hold_stdout* (``respond``), output meant for standard output is
    first written to an anonymous temporary file (already unlinked, so
    nothing is left behind even by SIGKILL) and copied to standard output
    only on success: an error found late writes nothing at all.  Memory
    stays constant; the disk holds one copy of the output meanwhile.

    The temporary file next to *path* is removed on any error and on
    SIGINT/SIGTERM (see :func:`_stop_on_signals`); creating and removing it
    are sections that a signal does not cut (:meth:`_SignalGate.held`), so
    that a signal cannot slip between the creation of the file and the code
    that removes it.
    """
    if path is None or path == "-":
        if not hold_stdout:
            yield sys.stdout
            sys.stdout.flush()
            return
        with tempfile.TemporaryFile("w+", newline="", encoding="utf-8") as held:
            yield held
            held.seek(0)
            shutil.copyfileobj(held, sys.stdout)
        sys.stdout.flush()
        return
    directory = os.path.dirname(os.path.abspath(path))
    tmp = None
    try:
        with _GATE.held():
            fd, tmp = tempfile.mkstemp(
                dir=directory, prefix=f".{os.path.basename(path)}.", suffix=".tmp", text=True
            )
        with os.fdopen(fd, "w", newline="", encoding="utf-8") as handle:
            yield handle
        os.replace(tmp, path)
    except BaseException:
        if tmp is not None:
            with _GATE.held(), contextlib.suppress(OSError):
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
    with source, _stop_on_signals():
        return _score_file(args, inst, mapping, source)


def _open_input(args: argparse.Namespace, command: str) -> IO[bytes] | int:
    """The input CSV of ``score`` or ``respond`` opened, or the exit code of why not.

    Checks ``--chunksize``, ``--sep`` (one character; ``\\t`` is a tab) and
    that pandas is installed first (without it,
    :class:`~clinscores._extras.MissingExtraError`: exit code 5).
    """
    if args.chunksize < 1:
        _error("--chunksize must be at least 1")
        return EXIT_USAGE
    if args.sep == "\\t":
        args.sep = "\t"
    if len(args.sep) != 1 or args.sep in '"\r\n':
        _error(f"--sep {args.sep!r}: expected one character other than a quote or a line end")
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

    from clinscores._csvread import CsvHeaderError, CsvLineError
    from clinscores.frame import MissingColumnError, RowError

    if isinstance(exc, BrokenPipeError):
        raise exc
    if isinstance(exc, pd.errors.EmptyDataError):
        _error(f"{args.input} is empty (no header line)")
        return EXIT_IO
    if isinstance(exc, (MissingColumnError, CsvHeaderError)):
        _error(f"{args.input}: {exc}")
        return EXIT_IO
    if isinstance(exc, RowError):
        _error(f"{args.input}: line {exc.row}: {exc.detail}")
        return EXIT_DATA
    if isinstance(exc, CsvLineError):
        _error(f"{args.input}: malformed CSV: {exc}")
        return EXIT_DATA
    if isinstance(exc, UnicodeDecodeError):
        _error(f"{args.input}: not UTF-8 text: {exc}")
        return EXIT_DATA
    if isinstance(exc, OSError):
        _error(f"{exc.filename or args.output or 'output'}: {exc.strerror or exc}")
        return EXIT_IO
    raise exc


# --------------------------------------------------------------------------
# score: the run
# --------------------------------------------------------------------------


def _score_file(
    args: argparse.Namespace, inst: Instrument, mapping: dict[str, str], source: IO[bytes]
) -> int:
    from clinscores._csvread import CsvInput
    from clinscores.frame import score

    try:
        size = os.fstat(source.fileno()).st_size
    except OSError:
        size = 0
    bar = _progress(size, not args.no_progress)
    invalid = 0
    coerce = args.errors == "coerce"
    try:
        table = CsvInput(source, args.sep, args.chunksize, "mark" if coerce else "raise")
        with _atomic_output(args.output) as out:
            header = True
            for chunk, malformed in table:
                if coerce:
                    result = score(chunk, inst.name, mapping, errors="coerce")
                    if malformed:
                        result = _mark_malformed(result, inst, malformed)
                    invalid += _report_invalid(result[f"{inst.name}_error"], invalid)
                else:
                    result = score(chunk, inst.name, mapping)
                result.to_csv(out, sep=args.sep, header=header, index=False)
                header = False
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


def _mark_malformed(result: Any, inst: Instrument, malformed: dict[int, str]) -> Any:
    """Rows read with fields missing: results empty, the reason in the error column."""
    rows = result.index.isin(list(malformed))
    for col in inst.output_kinds:
        kept = result[col]
        result[col] = kept.where(~rows, None) if kept.dtype == object else kept.mask(rows)
    error = result[f"{inst.name}_error"].copy()
    for line, detail in malformed.items():
        error.loc[line] = detail
    result[f"{inst.name}_error"] = error
    return result


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
    with source, _stop_on_signals():
        return _respond_file(args, source)


class _NotGrouped(Exception):
    """The rows of a patient are not on consecutive lines."""


class _NoCriterion(Exception):
    """No criterion was named and none has all its columns in the file."""


def _respond_file(args: argparse.Namespace, source: IO[bytes]) -> int:
    """Assess the criteria on a CSV file of visits grouped by patient.

    The file is read in chunks (:class:`clinscores._csvread.CsvInput`, the
    reader of ``score``), and the rows of the last patient of a chunk are
    held back until the next one, so that each patient is assessed with all
    their visits and memory stays bounded by the chunk size plus one
    patient.  A patient whose rows come back after another patient's is
    found whatever the chunk size: every run of rows of one patient is
    compared with the runs before it, in the chunk and in the patients
    already assessed (a set of ids: memory grows with the patients, not the
    rows).

    The output is written only when the whole file has been assessed: with
    ``-o`` to a temporary file renamed at the end, and for standard output
    to an anonymous temporary file copied to it at the end.  A first pass
    over the input to check the order would read the file twice and cannot
    be made on a pipe; holding the whole output in memory would not be
    bounded; a temporary file keeps memory constant and also keeps an
    invalid value found late from leaving half an output on standard output.
    """
    import numpy as np

    from clinscores._csvread import CsvInput
    from clinscores.frame import MissingColumnError, respond
    from clinscores.responses import criteria

    try:
        table = CsvInput(source, args.sep, args.chunksize, "raise")
        present = set(table.header)
        names: list[str] = list(args.criteria)
        if not names:
            names = [c.name for c in criteria().values() if set(c.columns) <= present]
            if not names:
                raise _NoCriterion(
                    "no criterion has all its columns in the file (see "
                    "`clinscores respond --list`); name the criteria with -c to "
                    "see which columns are missing"
                )
        if args.patient not in present:
            raise MissingColumnError([("respond", args.patient, args.patient)])
        with _atomic_output(args.output, hold_stdout=True) as out:
            carry: Any = None
            seen: set[object] = set()
            header = True
            for chunk, _ in table:
                buf = chunk if carry is None else _concat(carry, chunk)
                _check_grouped(buf, args.patient, seen)
                ids = buf[args.patient]
                last = ids.iloc[-1] if len(ids) else None
                if isinstance(last, str):
                    done = (ids != last).to_numpy()
                else:  # an empty id (or no rows): let respond report it
                    done = np.ones(len(ids), dtype=bool)
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


def _concat(a: Any, b: Any) -> Any:
    import pandas as pd

    return pd.concat([a, b])


def _check_grouped(rows: Any, patient: str, seen: set[object]) -> None:
    """Raise :class:`_NotGrouped` if a patient's rows come back after another patient's.

    *rows* are consecutive rows of the file (the rows held back from the
    previous chunk first); *seen* holds the patients of the rows before them.
    """
    import numpy as np

    ids = rows[patient]
    starts = (ids != ids.shift()).to_numpy(dtype=bool) & ids.notna().to_numpy(dtype=bool)
    runs = ids[starts]  # the first row of each run of rows of one patient
    again = runs.duplicated().to_numpy(dtype=bool)
    if seen:
        known = map(seen.__contains__, runs.to_numpy(dtype=object))
        again = again | np.fromiter(known, dtype=bool, count=len(runs))
    if again.any():
        k = int(np.flatnonzero(again)[0])
        empty = np.flatnonzero(ids.isna().to_numpy(dtype=bool))
        if empty.size and rows.index[empty[0]] < runs.index[k]:
            return  # an empty patient id comes first: respond reports it
        raise _NotGrouped(
            f"line {runs.index[k]}: patient {runs.iloc[k]!r} appeared earlier in the file; "
            "the rows of each patient must be consecutive (sort the file by patient first)"
        )


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
    seen.update(part[args.patient].dropna().unique())
    result = respond(part, names, patient=args.patient, date=args.date, baseline=args.baseline)
    result.to_csv(out, sep=args.sep, header=header, index=False)
    return False


if __name__ == "__main__":
    raise SystemExit(main())
