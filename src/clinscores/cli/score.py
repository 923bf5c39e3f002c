"""``clinscores score``: score every row of a CSV file, in chunks.

``clinscores score INSTRUMENT IN.csv [-o OUT.csv]`` reads the file in chunks
(constant memory for any file size), writes the input columns plus the score
and category columns, and reports invalid rows by their line in the file.
The file is read, and the output written, by ``clinscores.cli._csvio``.
"""

from __future__ import annotations

import argparse
import os
import sys
from typing import IO, Any

from clinscores.cli import _csvio
from clinscores.cli._exit import EXIT_OK, EXIT_USAGE, error
from clinscores.registry import Instrument, get

__all__ = ["DESCRIPTION", "HELP", "MAX_LISTED", "add_arguments", "run"]

#: Invalid rows listed one by one on standard error (``--errors coerce``).
MAX_LISTED = 20


#: The one-line help of ``clinscores score`` in ``clinscores --help``.
HELP = "score every row of a CSV file"
#: The description at the top of ``clinscores score --help``.
DESCRIPTION = (
    "Score every row of a CSV file; write the input columns plus the score and category columns."
)


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """The arguments of ``clinscores score``."""
    parser.add_argument("instrument", metavar="INSTRUMENT", help="see `clinscores list`")
    parser.add_argument("input", metavar="IN.csv", help="input CSV file with a header line")
    parser.add_argument(
        "-o",
        "--output",
        metavar="OUT.csv",
        help="output CSV file (default, or '-': standard output)",
    )
    parser.add_argument(
        "--map",
        metavar="PARAM=COLUMN",
        action="extend",
        nargs="+",
        default=[],
        help="read parameter PARAM from column COLUMN (several after one --map, or --map repeated)",
    )
    parser.add_argument(
        "--errors",
        choices=("raise", "coerce"),
        default="raise",
        help="raise: stop at the first invalid row (exit 3); coerce: give invalid rows "
        "empty results and a message in <instrument>_error, score the others",
    )
    parser.add_argument(
        "--chunksize",
        type=int,
        default=_csvio.DEFAULT_CHUNKSIZE,
        metavar="ROWS",
        help=f"rows per chunk (default {_csvio.DEFAULT_CHUNKSIZE})",
    )
    parser.add_argument(
        "--sep", default=",", help="field separator of input and output (default ',')"
    )
    parser.add_argument(
        "--no-progress", action="store_true", help="no progress bar (shown only on a terminal)"
    )


def run(args: argparse.Namespace) -> int:
    """Score the file *args.input* with the instrument *args.instrument*; the exit code."""
    try:
        inst = get(args.instrument)
    except KeyError as exc:
        error(str(exc.args[0]))
        return EXIT_USAGE
    try:
        mapping = _parse_map(args.map, inst)
    except ValueError as exc:
        error(str(exc))
        return EXIT_USAGE
    source = _csvio.open_input(args, "score")
    if isinstance(source, int):
        return source
    with source, _csvio.stop_on_signals():
        return _score_file(args, inst, mapping, source)


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


def _progress(total: int, enabled: bool) -> Any:
    if not enabled or not sys.stderr.isatty():
        return None
    try:
        from tqdm import tqdm
    except ImportError:
        return None
    return tqdm(total=total, unit="B", unit_scale=True, file=sys.stderr, desc="scoring")


def _score_file(
    args: argparse.Namespace, inst: Instrument, mapping: dict[str, str], source: IO[bytes]
) -> int:
    from clinscores.frame import score

    try:
        size = os.fstat(source.fileno()).st_size
    except OSError:
        size = 0
    bar = _progress(size, not args.no_progress)
    invalid = 0
    coerce = args.errors == "coerce"
    try:
        table = _csvio.CsvInput(source, args.sep, args.chunksize, "mark" if coerce else "raise")
        with _csvio.atomic_output(args.output) as out:
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
        return _csvio.csv_failure(exc, args)
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
