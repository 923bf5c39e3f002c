"""The reading of CSV files by ``clinscores score`` and ``clinscores respond``.

One reader, :class:`CsvInput`, with one set of rules for both commands (they
are listed in its docstring and in ``docs/cli.md``).  It reads the file in
chunks of rows, so that memory depends on the chunk size, not on the file.

How it reads
------------
The bytes are read in blocks.  A vectorised scan of each block (numpy) finds
where each row ends (a line end outside quotes), how many fields it has (the
separators outside quotes, plus one) and on which line of the file it
starts; pandas' C parser then reads the values of whole rows only, with as
many columns as the widest row, so that no field is ever taken as an index
or moved to another column.  The count of rows pandas returns is checked
against the scan.

The scan assumes the quoting of RFC 4180: a ``"`` opens a field, closes it
(followed by a separator or a line end), or is doubled inside a quoted
field.  From the first row where a quote is used otherwise (e.g. ``5'6"``
inside an unquoted field, or a quoted field after a space), or when the
separator is not an ASCII character, the rest of the file is read with
Python's :mod:`csv` module instead (strict mode: same rules, slower).
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from typing import IO, Any, Literal, NamedTuple

import numpy as np
import pandas as pd
from numpy.typing import NDArray

__all__ = ["NA_TEXT", "Chunk", "CsvHeaderError", "CsvInput", "CsvLineError"]

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
        while len(self._buf) < len(_BOM) and self._fill():
            pass
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

    def _header(self) -> list[str]:
        """The header row, parsed by the csv module; the buffer moves past it."""
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
        if self._slow is not None:
            return self._slow_chunk()
        sep = ord(self._sep)
        window = self._block  # bytes scanned: about one chunk
        while True:
            while len(self._buf) < window and self._fill():
                pass
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
