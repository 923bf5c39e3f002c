"""``clinscores respond``: response and remission criteria at every visit of a CSV file.

The file must hold each patient's visits on consecutive lines (grouped by
patient, in any date order); it is read in chunks of whole patients, and the
output written, by ``clinscores.cli._csvio`` (the reader and output of ``score``).
"""

from __future__ import annotations

import argparse
from typing import IO, Any

from clinscores.cli import _csvio
from clinscores.cli._exit import EXIT_DATA, EXIT_IO, EXIT_OK, EXIT_USAGE, error

__all__ = ["DESCRIPTION", "HELP", "add_arguments", "run"]


#: The one-line help of ``clinscores respond`` in ``clinscores --help``.
HELP = "response and remission criteria at every visit of a CSV file of visits"
#: The description at the top of ``clinscores respond --help``.
DESCRIPTION = (
    "Assess response and remission criteria (SRI, BICLA, LLDAS, DORIS, "
    "DAS28/CDAI/SDAI remission, EULAR response, ESSDAI MCII) at every visit against "
    "the patient's baseline.  The file must hold each patient's visits on "
    "consecutive lines (grouped by patient, in any date order): it is read in "
    "chunks of whole patients, so memory does not grow with the file."
)


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """The arguments of ``clinscores respond``."""
    parser.add_argument("input", metavar="IN.csv", nargs="?", help="visits, one per line")
    parser.add_argument("-o", "--output", metavar="OUT.csv", help="output CSV (default stdout)")
    parser.add_argument(
        "-c",
        "--criteria",
        metavar="NAME",
        action="extend",
        nargs="+",
        default=[],
        help="criteria to assess (default: every criterion whose columns are present)",
    )
    parser.add_argument("--patient", default="patient_id", help="patient column (patient_id)")
    parser.add_argument(
        "--date", default="visit_date", help="visit date/number column (visit_date)"
    )
    parser.add_argument(
        "--baseline", default=None, help="column flagging baseline visits (default: first visit)"
    )
    parser.add_argument("--list", action="store_true", help="list the criteria and their columns")
    parser.add_argument("--chunksize", type=int, default=_csvio.DEFAULT_CHUNKSIZE, metavar="ROWS")
    parser.add_argument("--sep", default=",", help="field separator (default ',')")


def run(args: argparse.Namespace) -> int:
    """Assess the criteria on the file *args.input* (or list them); the exit code."""
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
        error("respond needs IN.csv (or --list)")
        return EXIT_USAGE
    unknown = [n for n in args.criteria if n not in table]
    if unknown:
        error(f"unknown criterion {unknown[0]!r}; known: {', '.join(sorted(table))}")
        return EXIT_USAGE
    source = _csvio.open_input(args, "respond")
    if isinstance(source, int):
        return source
    with source, _csvio.stop_on_signals():
        return _respond_file(args, source)


class _NotGrouped(Exception):
    """The rows of a patient are not on consecutive lines."""


class _NoCriterion(Exception):
    """No criterion was named and none has all its columns in the file."""


def _respond_file(args: argparse.Namespace, source: IO[bytes]) -> int:
    """Assess the criteria on a CSV file of visits grouped by patient.

    The file is read in chunks (:class:`clinscores.cli._csvio.CsvInput`, the
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

    from clinscores.frame import MissingColumnError, respond
    from clinscores.responses import criteria

    try:
        table = _csvio.CsvInput(source, args.sep, args.chunksize, "raise")
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
        with _csvio.atomic_output(args.output, hold_stdout=True) as out:
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
        error(f"{args.input}: {exc}")
        return EXIT_DATA
    except _NoCriterion as exc:
        error(f"{args.input}: {exc}")
        return EXIT_IO
    except (ValueError, KeyError, OSError) as exc:
        return _csvio.csv_failure(exc, args)
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
