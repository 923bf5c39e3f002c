"""The input and output of ``clinscores score`` and ``clinscores respond``.

One reader, :class:`CsvInput`, with one set of rules for both commands, and
what the two commands share around it: :func:`open_input` (the options
checked, pandas required, the file opened), :func:`csv_failure` (an error
reported with its exit code), :func:`atomic_output` and
:func:`stop_on_signals` (no partial output file, also on SIGINT/SIGTERM).
pandas is imported when a file is read, not with this module, so that the
command's parser (which imports it) stays light.

Reading the CSV file
--------------------
``score`` and ``respond`` read their input with one reader,
:class:`CsvInput`, by these rules:

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

How it reads
------------
The file is read in chunks of rows, so that memory depends on the chunk
size, not on the file (the rules are also listed in :class:`CsvInput` and in
``docs/cli.md``).  The bytes are read in blocks.  A vectorised scan of each
block (numpy) finds where each row ends (a line end outside quotes), how
many fields it has (the separators outside quotes, plus one) and on which
line of the file it starts; pandas' C parser then reads the values of whole
rows only, with as many columns as the widest row, so that no field is ever
taken as an index or moved to another column.  The count of rows pandas
returns is checked against the scan.

The scan assumes the quoting of RFC 4180: a ``"`` opens a field, closes it
(followed by a separator or a line end), or is doubled inside a quoted
field.  From the first row where a quote is used otherwise (e.g. ``5'6"``
inside an unquoted field, or a quoted field after a space), or when the
separator is not an ASCII character, the rest of the file is read with
Python's :mod:`csv` module instead (strict mode: same rules, slower).

Writing the output
------------------
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
import csv
import io
import os
import shutil
import signal
import sys
import tempfile
import threading
from collections.abc import Iterator
from typing import IO, Any, Literal, NamedTuple

import numpy as np
from numpy.typing import NDArray

from clinscores._extras import require
from clinscores.cli._exit import EXIT_DATA, EXIT_IO, EXIT_USAGE, error

__all__ = [
    "DEFAULT_CHUNKSIZE",
    "NA_TEXT",
    "Chunk",
    "CsvHeaderError",
    "CsvInput",
    "CsvLineError",
    "Signalled",
    "atomic_output",
    "csv_failure",
    "open_input",
    "stop_on_signals",
]

#: Rows read per chunk: memory use is proportional to this, not to the file.
DEFAULT_CHUNKSIZE = 50_000

#: Cell texts read as missing: those pandas reads as missing by default.
NA_TEXT: tuple[str, ...] = (
    "", "#N/A", "#N/A N/A", "#NA", "-1.#IND", "-1.#QNAN", "-NaN", "-nan", "1.#IND",
    "1.#QNAN", "<NA>", "N/A", "NA", "NULL", "NaN", "None", "n/a", "nan", "null",
)  # fmt: skip
_NA_SET = frozenset(NA_TEXT)

_QUOTE, _LF, _CR = ord('"'), ord("\n"), ord("\r")
_BOM = b"\xef\xbb\xbf"
#: First block read, in bytes; later blocks hold about one chunk of rows.
_FIRST_BLOCK = 1 << 16
_MIN_BLOCK = 1 << 12
_MAX_BLOCK = 1 << 26
#: Bytes of one row at most: memory stays bounded even when a quote is left open.
_MAX_ROW = 1 << 28

Int64Array = NDArray[np.int64]
BoolArray = NDArray[np.bool_]


class CsvLineError(ValueError):
    """A malformed line of the input CSV file (``clinscores``: exit code 3).

    Attributes
    ----------
    line : int
        Line of the file where the row starts (1-based; the header is line 1).
    detail : str
        What is wrong, in words.
    """

    def __init__(self, line: int, detail: str) -> None:
        super().__init__(f"line {line}: {detail}")
        self.line = line
        self.detail = detail

    def __reduce__(self) -> tuple[Any, ...]:
        return (type(self), (self.line, self.detail))


class CsvHeaderError(ValueError):
    """The header line of the input CSV file cannot be used (exit code 4)."""


class Chunk(NamedTuple):
    """Rows of the input CSV file, as :class:`CsvInput` yields them."""

    #: Text columns named as in the header (missing cells NaN), indexed by the
    #: line of the file where each row starts (index name ``"line"``).
    frame: Any
    #: Line -> what is wrong, for the rows with fewer fields than the header
    #: read with ``short="mark"``; their missing fields are read as empty.
    malformed: dict[int, str]


class _Rows(NamedTuple):
    """Rows found by the scan of a block: byte ranges, field counts, lines."""

    starts: Int64Array  # first byte of each row
    stops: Int64Array  # byte after each row's content (its line end excluded)
    ends: Int64Array  # byte after each row's line end
    counts: Int64Array  # fields
    lines: Int64Array  # line of the file (offset from the block's first line)


class CsvInput:
    """An input CSV file of ``score`` or ``respond``, read by one set of rules.

    Parameters
    ----------
    source : binary file
        Open for reading, at its start.  Not closed here.
    sep : str
        Field separator, one character.
    chunksize : int
        Rows per chunk at most (>= 1).
    short : {"raise", "mark"}
        A row with fewer fields than the header: a :class:`CsvLineError`
        (``"raise"``), or a row read with the missing fields empty and
        listed in :attr:`Chunk.malformed` (``"mark"``).

    Raises
    ------
    pandas.errors.EmptyDataError
        The file is empty (no header).
    CsvHeaderError
        The header has no names, or a name twice.
    CsvLineError
        The header is not valid CSV.
    UnicodeDecodeError
        The header is not UTF-8 (later lines: when their chunk is read).

    Notes
    -----
    Rules:

    - Text: UTF-8, with or without a byte-order mark; lines end in LF, CRLF
      or CR; fields may be quoted with ``"``, a quote inside a quoted field
      being doubled.
    - The first line is the header.  Separators at its end (empty names at
      the end) are dropped.  A name given twice is a :class:`CsvHeaderError`
      naming it, the names being compared as written in the file: a column
      named ``tjc28.1`` is a column of its own.
    - A row with more fields than the header: the extra fields are dropped
      when they are all empty (a separator at the end of every data line is a
      common spreadsheet export); otherwise a :class:`CsvLineError`.
    - A row with fewer fields than the header: see *short*.
    - A blank line (nothing, or only spaces, on the line) is an empty row
      (all missing), so that rows keep their line numbers.
    - A quote left open at the end of the file, or text after a closing
      quote, is a :class:`CsvLineError`.
    - The texts pandas reads as missing by default (:data:`NA_TEXT`:
      empty, ``NA``, ``NaN``, ``NULL``, ``None``, ``#N/A``, ...) are missing.
    - Rows are numbered by the line of the file where they start (1-based,
      the header is line 1), also after a quoted field that spans lines.
    """

    def __init__(
        self, source: IO[bytes], sep: str, chunksize: int, short: Literal["raise", "mark"]
    ) -> None:
        import pandas as pd

        if len(sep) != 1 or sep in '"\r\n':
            raise ValueError(f"sep = {sep!r}; expected one character, not a quote or line end")
        if chunksize < 1:
            raise ValueError(f"chunksize = {chunksize}; expected at least 1")
        self._source = source
        self._sep = sep
        self._chunksize = chunksize
        self._short = short
        self._buf = b""
        self._eof = False
        self._line = 1  # line of the file where self._buf starts
        self._block = _FIRST_BLOCK
        self._slow: Any = None  # the csv module's reader, once the scan gave up
        self._slow_line = 0  # line of the file before the slow reader's first line
        self._fill_to(len(_BOM))
        if self._buf.startswith(_BOM):
            self._buf = self._buf[len(_BOM) :]
        if not self._buf and self._eof:
            raise pd.errors.EmptyDataError("no header line")
        header = self._header()
        while header and not header[-1].strip():
            header.pop()  # separators at the end of the header line
        if not header:
            raise CsvHeaderError("the header (line 1) has no column names")
        where: dict[str, int] = {}
        for k, name in enumerate(header, 1):
            if name in where and name.strip():
                raise CsvHeaderError(
                    f"column {name!r} appears twice in the header (columns {where[name]} "
                    f"and {k}); each column needs a name of its own"
                )
            where.setdefault(name, k)
        #: Column names as written in the header.
        self.header: list[str] = header

    # ------------------------------------------------------------------ reading

    def _fill(self) -> bool:
        """Read one more block into the buffer; False at the end of the file."""
        if self._eof:
            return False
        data = self._source.read(self._block)
        if not data:
            self._eof = True
            return False
        self._buf += data
        return True

    def _fill_to(self, size: int) -> None:
        """Read blocks until the buffer holds *size* bytes or the file ends."""
        while len(self._buf) < size and self._fill():
            continue

    def _header(self) -> list[str]:
        """The header row, parsed by the csv module; the buffer moves past it."""
        import pandas as pd

        if self._sep.isascii():
            sep = ord(self._sep)
            while True:
                rows = _scan(self._buf, sep, self._eof, limit=1)
                if isinstance(rows, int):
                    break  # irregular quoting in the header: the csv module reads it all
                if rows.starts.size:
                    end = int(rows.ends[0])
                    data, self._buf = self._buf[:end], self._buf[end:]
                    self._line = 1 + _breaks(data)
                    return _parse_header(data.decode("utf-8"), self._sep)
                if self._eof:
                    if not self._buf:
                        raise pd.errors.EmptyDataError("no header line")
                    raise CsvLineError(1, "a quoted field is not closed before the end of the file")
                self._fill()
        self._start_slow()
        try:
            header = next(self._slow, None)
        except csv.Error as exc:
            raise CsvLineError(1, f"the header is not valid CSV ({exc})") from None
        if header is None:
            raise pd.errors.EmptyDataError("no header line")
        return list(header)

    def __iter__(self) -> Iterator[Chunk]:
        """Chunks of at most *chunksize* rows; at least one (empty: a file with no rows)."""
        first = True
        while True:
            got = self._next_chunk()
            if got is None:
                if first:
                    yield Chunk(self._empty(), {})
                return
            frame, malformed, fatal = got
            if len(frame) or (first and fatal is None):
                yield Chunk(frame, malformed)
            first = False
            if fatal is not None:
                raise fatal

    def _next_chunk(self) -> tuple[Any, dict[int, str], CsvLineError | None] | None:
        """The next rows, their malformed rows, and the error that stops the reading."""
        import pandas as pd

        if self._slow is not None:
            return self._slow_chunk()
        sep = ord(self._sep)
        window = self._block  # bytes scanned: about one chunk
        while True:
            self._fill_to(window)
            final = self._eof and window >= len(self._buf)
            rows = _scan(memoryview(self._buf)[:window], sep, final, self._chunksize)
            if isinstance(rows, int):  # irregular quoting from the row at this offset
                if rows == 0:
                    self._start_slow()
                    return self._slow_chunk()
                rows = _scan(memoryview(self._buf)[:rows], sep, True, self._chunksize)
                assert not isinstance(rows, int)
                break
            if rows.starts.size >= self._chunksize or final:
                break
            if rows.starts.size and len(self._buf) - int(rows.ends[-1]) > _MAX_ROW:
                break  # the rows found so far; the next call reports the row after them
            if not rows.starts.size and len(self._buf) > _MAX_ROW:
                raise CsvLineError(
                    self._line,
                    f"no end of the row in its first {_MAX_ROW >> 20} MB (a quote that is "
                    "not closed?)",
                )
            window = 2 * max(window, len(self._buf))  # a long row, or rows longer than so far
            self._block = min(max(self._block, window // 2), _MAX_BLOCK)
        n = rows.starts.size
        if not n:
            if self._buf:  # only an unclosed quote is left
                raise CsvLineError(
                    self._line, "a quoted field is not closed before the end of the file"
                )
            return None
        end = int(rows.ends[-1])
        data, self._buf = self._buf[:end], self._buf[end:]
        line0 = self._line
        lines = rows.lines + line0
        self._line = line0 + _breaks(data)
        per_row = end / n  # bytes per row: the next window holds a chunk and a tenth
        self._block = int(min(_MAX_BLOCK, max(_MIN_BLOCK, 1.1 * per_row * self._chunksize)))
        width = len(self.header)
        blank = np.zeros(n, dtype=bool)
        if width > 1:
            for k in np.flatnonzero(rows.counts == 1):
                blank[k] = not data[rows.starts[k] : rows.stops[k]].strip(b' \t\r"')
        widest = max(width, int(rows.counts.max()))
        try:
            data.decode("utf-8")
        except UnicodeDecodeError as exc:
            line = line0 + _breaks(data[: exc.start])
            raise CsvLineError(
                line,
                f"text that is not UTF-8 (byte {data[exc.start]:#04x}; save the file as UTF-8)",
            ) from None
        frame = pd.read_csv(
            io.BytesIO(data),
            sep=self._sep,
            header=None,
            names=range(widest),
            index_col=False,
            dtype=str,
            keep_default_na=False,
            na_values={k: list(NA_TEXT) for k in range(width)},
            skip_blank_lines=False,
            encoding="utf-8",
            engine="c",
        )
        if len(frame) != n:  # the scan and pandas disagree: let the csv module read it
            self._buf = data + self._buf
            self._line = line0
            self._start_slow()
            return self._slow_chunk()
        extra = np.zeros(n, dtype=bool)
        for j in range(width, widest):
            col = frame[j]
            extra |= (col.notna() & (col.str.strip() != "")).to_numpy(dtype=bool)
        return self._finish(frame, rows.counts, blank, extra, lines)

    def _finish(
        self,
        frame: Any,
        counts: Int64Array,
        blank: BoolArray,
        extra: BoolArray,
        lines: Int64Array,
    ) -> tuple[Any, dict[int, str], CsvLineError | None]:
        """Apply the rules on field counts to rows read by either way."""
        import pandas as pd

        width = len(self.header)
        frame = frame.iloc[:, :width]
        frame.columns = pd.Index(self.header, dtype=object)
        frame.index = pd.Index(lines, name="line")
        long = (counts > width) & extra
        short = (counts < width) & ~blank
        bad = long | short if self._short == "raise" else long
        fatal = None
        if bad.any():
            k = int(np.flatnonzero(bad)[0])
            n = int(counts[k])
            if long[k]:
                detail = (
                    f"{n} fields where the header has {width}, and the fields after the "
                    f"{width}th are not empty (a separator inside a value that is not quoted?)"
                )
            else:
                detail = _short_detail(n, width)
            fatal = CsvLineError(int(lines[k]), detail)
            frame, counts, blank, lines = frame.iloc[:k], counts[:k], blank[:k], lines[:k]
            short = short[:k]
        if blank.any():
            frame = frame.copy()
            frame.iloc[np.flatnonzero(blank), :] = np.nan
        malformed = {
            int(lines[k]): _short_detail(int(counts[k]), width) for k in np.flatnonzero(short)
        }
        return frame, malformed, fatal

    def _empty(self) -> Any:
        import pandas as pd

        data = {k: pd.Series([], dtype=str) for k in range(len(self.header))}
        frame = pd.DataFrame(data, index=pd.Index([], dtype=np.int64, name="line"))
        frame.columns = pd.Index(self.header, dtype=object)
        return frame

    # --------------------------------------------------- fallback: the csv module

    def _start_slow(self) -> None:
        """Read the rest of the file (from the buffer on) with the csv module."""
        raw = _Chained(self._buf, self._source)
        self._buf = b""
        text = io.TextIOWrapper(io.BufferedReader(raw), encoding="utf-8", newline="")
        self._slow = csv.reader(text, delimiter=self._sep, strict=True)
        self._slow_line = self._line - 1

    def _slow_chunk(self) -> tuple[Any, dict[int, str], CsvLineError | None] | None:
        import pandas as pd

        reader, width = self._slow, len(self.header)
        rows: list[list[str]] = []
        lines: list[int] = []
        last = reader.line_num
        fatal = None
        try:
            for row in reader:
                lines.append(self._slow_line + last + 1)
                last = reader.line_num
                rows.append(row)
                if len(rows) == self._chunksize:
                    break
        except csv.Error as exc:
            fatal = CsvLineError(self._slow_line + last + 1, _csv_reason(str(exc)))
        if not rows:
            if fatal is not None:
                raise fatal
            return None
        counts = np.array([len(r) for r in rows], dtype=np.int64)
        blank = np.array(
            [not r or (len(r) == 1 and width > 1 and not r[0].strip()) for r in rows], dtype=bool
        )
        extra = np.array([any(f.strip() for f in r[width:]) for r in rows], dtype=bool)
        columns = list(zip(*(r[:width] + [""] * (width - len(r)) for r in rows)))
        data = {}
        for k, values in enumerate(columns):
            cells = np.array(values, dtype=object)
            cells[np.fromiter(map(_NA_SET.__contains__, values), bool, len(values))] = None
            data[k] = pd.Series(cells, dtype=str)
        frame, malformed, late = self._finish(
            pd.DataFrame(data), counts, blank, extra, np.array(lines, dtype=np.int64)
        )
        return frame, malformed, late if late is not None else fatal


class _Chained(io.RawIOBase):
    """Bytes already read, then the rest of a file."""

    def __init__(self, head: bytes, rest: IO[bytes]) -> None:
        self._head = memoryview(head)
        self._rest = rest

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        if self._head.nbytes:
            n = min(len(buffer), self._head.nbytes)
            buffer[:n] = self._head[:n]
            self._head = self._head[n:]
            return n
        data = self._rest.read(len(buffer))
        buffer[: len(data)] = data
        return len(data)


def _parse_header(text: str, sep: str) -> list[str]:
    try:
        return next(csv.reader(io.StringIO(text, newline=""), delimiter=sep, strict=True), [])
    except csv.Error as exc:
        raise CsvLineError(1, f"the header is not valid CSV ({exc})") from None


def _short_detail(n: int, width: int) -> str:
    return f"{n} field{'' if n == 1 else 's'} where the header has {width}"


def _csv_reason(message: str) -> str:
    """An error message of the csv module, in words."""
    if "unexpected end of data" in message:
        return "a quoted field is not closed before the end of the file"
    if "expected after" in message:
        return f"text after the closing quote of a field ({message})"
    return message


def _breaks(data: bytes) -> int:
    """Line ends in *data*: LF, CRLF and lone CR each count once."""
    return data.count(b"\n") + data.count(b"\r") - data.count(b"\r\n")


def _scan(buf: bytes | memoryview, sep: int, final: bool, limit: int) -> _Rows | int:
    """The complete rows at the start of *buf* (which starts at a row), at most *limit*.

    Returns the rows, or, when a quote is used otherwise than RFC 4180 says,
    the byte offset of the row holding it (rows before it can be read by
    scanning ``buf[:offset]`` with ``final=True``).
    """
    b = np.frombuffer(buf, dtype=np.uint8)
    n = b.size
    lf = b == _LF
    cr = b == _CR
    lone_cr = cr.copy()
    lone_cr[:-1] &= ~lf[1:]
    if not final and n and cr[-1]:
        lone_cr[-1] = False  # a LF may follow in the next block
    brk = lf | lone_cr  # every line end of the file, also inside quotes
    quotes = b == _QUOTE
    outside: BoolArray | None = None
    if quotes.any():
        count = np.cumsum(quotes, dtype=np.int64)
        outside = (count & 1) == 0  # the opening quote and the text after it are inside
    term = brk if outside is None else brk & outside
    stop_pos = np.flatnonzero(term)
    if stop_pos.size > limit:
        stop_pos = stop_pos[:limit]
    ends = stop_pos + 1
    stops = stop_pos - (cr[np.maximum(stop_pos - 1, 0)] & lf[stop_pos] & (stop_pos > 0))
    tail = int(ends[-1]) if ends.size else 0
    if final and tail < n and ends.size < limit:
        if outside is not None and not outside[-1]:
            pass  # an unclosed quote at the end of the file: not a row
        else:
            ends = np.append(ends, n)
            stops = np.append(stops, n)
    starts = np.concatenate(([0], ends[:-1])).astype(np.int64) if ends.size else ends
    if outside is not None:
        bad = _irregular_quote(b, quotes, count, sep)
        if bad is not None and (not ends.size or bad < ends[-1]):
            row = int(np.searchsorted(ends, bad, side="right"))
            return int(starts[row]) if ends.size else 0
    seps = b == sep
    if outside is not None:
        seps &= outside
    at = np.flatnonzero(seps)
    counts = np.searchsorted(at, stops) - np.searchsorted(at, starts) + 1
    lines = np.searchsorted(np.flatnonzero(brk), starts).astype(np.int64)
    return _Rows(starts, stops.astype(np.int64), ends.astype(np.int64), counts, lines)


def _irregular_quote(
    b: NDArray[np.uint8], quotes: BoolArray, count: Int64Array, sep: int
) -> int | None:
    """Position of the first quote not used as RFC 4180 says, or None.

    An opening quote must start a field (after a separator, a line end, the
    start, or the closing quote of a doubled pair); a closing quote must end
    it (before a separator, a line end, the end, or the quote of a pair).
    """
    where = np.flatnonzero(quotes)
    opening = (count[where] & 1) == 1
    n = b.size
    prev = np.where(where > 0, b[np.maximum(where - 1, 0)], _LF)
    nxt = np.where(where < n - 1, b[np.minimum(where + 1, n - 1)], _LF)
    fits = (sep, _LF, _CR, _QUOTE)
    ok = np.where(opening, np.isin(prev, fits), np.isin(nxt, fits))
    if ok.all():
        return None
    return int(where[np.flatnonzero(~ok)[0]])


# ----------------------------------------------- the commands: input, errors, output


def open_input(args: argparse.Namespace, command: str) -> IO[bytes] | int:
    """The input CSV of ``score`` or ``respond`` opened, or the exit code of why not.

    Checks ``--chunksize``, ``--sep`` (one character; ``\\t`` is a tab) and
    that pandas is installed first (without it,
    :class:`~clinscores._extras.MissingExtraError`: exit code 5).
    """
    if args.chunksize < 1:
        error("--chunksize must be at least 1")
        return EXIT_USAGE
    if args.sep == "\\t":
        args.sep = "\t"
    if len(args.sep) != 1 or args.sep in '"\r\n':
        error(f"--sep {args.sep!r}: expected one character other than a quote or a line end")
        return EXIT_USAGE
    require("pandas", "cli", f"the {command} command needs")
    try:
        return open(args.input, "rb")  # closed by the caller
    except OSError as exc:
        error(f"cannot read {args.input}: {exc.strerror or exc}")
        return EXIT_IO


def csv_failure(exc: Exception, args: argparse.Namespace) -> int:
    """Report an error of reading, scoring or writing a CSV file; its exit code.

    Shared by ``clinscores score`` and ``clinscores respond``.  A broken pipe
    and errors that are not about the file are raised again.
    """
    import pandas as pd

    from clinscores.frame import MissingColumnError, RowError

    if isinstance(exc, BrokenPipeError):
        raise exc
    if isinstance(exc, pd.errors.EmptyDataError):
        error(f"{args.input} is empty (no header line)")
        return EXIT_IO
    if isinstance(exc, (MissingColumnError, CsvHeaderError)):
        error(f"{args.input}: {exc}")
        return EXIT_IO
    if isinstance(exc, RowError):
        error(f"{args.input}: line {exc.row}: {exc.detail}")
        return EXIT_DATA
    if isinstance(exc, CsvLineError):
        error(f"{args.input}: malformed CSV: {exc}")
        return EXIT_DATA
    if isinstance(exc, UnicodeDecodeError):
        error(f"{args.input}: not UTF-8 text: {exc}")
        return EXIT_DATA
    if isinstance(exc, OSError):
        error(f"{exc.filename or args.output or 'output'}: {exc.strerror or exc}")
        return EXIT_IO
    raise exc


class Signalled(BaseException):
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
        raise Signalled(signum)

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
def stop_on_signals() -> Iterator[None]:
    """SIGINT and SIGTERM raise :class:`Signalled` while the block runs.

    So that the temporary output file is removed (by :func:`atomic_output`)
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
def atomic_output(path: str | None, *, hold_stdout: bool = False) -> Iterator[IO[str]]:
    """Standard output, or a temporary file renamed to *path* only on success.

    With *hold_stdout* (``respond``), output meant for standard output is
    first written to an anonymous temporary file (already unlinked, so
    nothing is left behind even by SIGKILL) and copied to standard output
    only on success: an error found late writes nothing at all.  Memory
    stays constant; the disk holds one copy of the output meanwhile.

    The temporary file next to *path* is removed on any error and on
    SIGINT/SIGTERM (see :func:`stop_on_signals`); creating and removing it
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
