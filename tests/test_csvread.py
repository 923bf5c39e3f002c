"""Tests of clinscores.cli._csvio, the CSV reader of `clinscores score` and `respond`."""

from __future__ import annotations

import csv
import io

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from clinscores.cli import _csvio
from clinscores.cli._csvio import NA_TEXT, CsvHeaderError, CsvInput, CsvLineError

_cell = st.text(alphabet=st.sampled_from([*'ab1 ,"\n\r;\t', "é"]), max_size=6)


def read_all(
    data: bytes, sep: str = ",", size: int = 3, short: str = "mark"
) -> tuple[list[str], pd.DataFrame, dict[int, str]]:
    table = CsvInput(io.BytesIO(data), sep, size, short)  # type: ignore[arg-type]
    chunks = list(table)
    malformed: dict[int, str] = {}
    for c in chunks:
        malformed.update(c.malformed)
    return table.header, pd.concat([c.frame for c in chunks]), malformed


@settings(max_examples=60, deadline=None)
@given(
    width=st.integers(1, 4),
    data=st.data(),
    terminator=st.sampled_from(["\n", "\r\n", "\r"]),
    quoting=st.sampled_from([csv.QUOTE_MINIMAL, csv.QUOTE_ALL]),
    sep=st.sampled_from([",", ";", "\t", "§"]),
    size=st.integers(1, 7),
    block=st.sampled_from([8, 64, 1 << 16]),
)
def test_property_reads_what_the_csv_module_writes(
    width: int,
    data: st.DataObject,
    terminator: str,
    quoting: int,
    sep: str,
    size: int,
    block: int,
) -> None:
    """Any table written by Python's csv module reads back cell for cell, with line numbers."""
    header = [f"c{k}{data.draw(_cell)}" for k in range(width)]
    rows = data.draw(st.lists(st.lists(_cell, min_size=width, max_size=width), max_size=12))
    out = io.StringIO(newline="")
    writer = csv.writer(out, delimiter=sep, lineterminator=terminator, quoting=quoting)
    writer.writerow(header)
    writer.writerows(rows)
    text = out.getvalue()
    # the reference: Python's csv module reading the same text, and the rules
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=sep, strict=True)
    names = next(reader)
    while names and not names[-1].strip():
        names.pop()
    want, starts, error, line = [], [], None, reader.line_num
    for row in reader:
        starts.append(line + 1)
        line = reader.line_num
        if not row or (len(row) == 1 and not row[0].strip() and len(names) > 1):
            row = [""] * len(names)
        if len(row) > len(names) and any(f.strip() for f in row[len(names) :]):
            error = error or starts[-1]
        row = (row + [""] * len(names))[: len(names)]
        want.append([None if v in NA_TEXT else v for v in row])
    saved = _csvio._FIRST_BLOCK, _csvio._MIN_BLOCK
    _csvio._FIRST_BLOCK = _csvio._MIN_BLOCK = block  # small blocks: rows across blocks
    try:
        if len(names) != len(set(names)) or not names:
            with pytest.raises(CsvHeaderError):
                read_all(text.encode(), sep, size)
            return
        if error is not None:
            with pytest.raises(CsvLineError, match=f"line {error}: "):
                read_all(text.encode(), sep, size)
            return
        got_header, frame, _ = read_all(text.encode(), sep, size)
    finally:
        _csvio._FIRST_BLOCK, _csvio._MIN_BLOCK = saved
    assert got_header == names
    cells = frame.astype(object).where(frame.notna(), None).to_numpy().tolist()
    assert cells == want
    # each row is numbered by the line where it starts (line ends inside quotes counted)
    assert frame.index.tolist() == starts


def test_rows_are_fitted_to_the_header() -> None:
    text = b"a,b,c,\n1,2,3\n1,2,3,,\n\n  \n1,2\n1,2,3, x\n"
    header, frame, malformed = read_all(text[: text.index(b"1,2,3, x")])
    assert header == ["a", "b", "c"]
    assert frame.index.tolist() == [2, 3, 4, 5, 6]
    assert frame.iloc[:2].to_numpy().tolist() == [["1", "2", "3"]] * 2
    assert frame.iloc[2:4].isna().all(axis=None)  # blank lines: empty rows
    assert malformed == {6: "2 fields where the header has 3"}
    with pytest.raises(CsvLineError, match="line 6: 2 fields where the header has 3"):
        read_all(text, short="raise")
    with pytest.raises(CsvLineError, match="line 7: 4 fields where the header has 3, and"):
        read_all(text)


def test_header_rules() -> None:
    with pytest.raises(pd.errors.EmptyDataError):
        read_all(b"")
    with pytest.raises(pd.errors.EmptyDataError):
        read_all(b"\xef\xbb\xbf")
    with pytest.raises(CsvHeaderError, match="no column names"):
        read_all(b",,\n1,2\n")
    with pytest.raises(CsvHeaderError, match="column 'a' appears twice"):
        read_all(b"a,b,a\n")
    header, frame, _ = read_all(b"a,a.1,\n1,2\n")
    assert header == ["a", "a.1"] and frame.to_numpy().tolist() == [["1", "2"]]
    header, frame, _ = read_all(b"a,b\n")
    assert header == ["a", "b"] and len(frame) == 0 and list(frame.columns) == ["a", "b"]


def test_missing_texts_and_types() -> None:
    _, frame, _ = read_all(b"a,b\nNA,007\n,nan\nNULL,1.50\n")
    assert frame["a"].isna().all()
    assert frame["b"].tolist()[0] == "007" and frame["b"].tolist()[2] == "1.50"
    assert isinstance(frame["b"].dtype, pd.StringDtype)
    assert frame.index.name == "line"
    assert np.isnan(frame["b"].tolist()[1])


def test_irregular_quotes_in_the_header_and_a_non_ascii_separator() -> None:
    # a quoted name after a space: the csv module reads the whole file, same rules
    header, frame, _ = read_all(b'a, "b",c\n1,"x\ny",3\n4,5,6,\n')
    assert header == ["a", ' "b"', "c"]
    assert frame.to_numpy().tolist() == [["1", "x\ny", "3"], ["4", "5", "6"]]
    assert frame.index.tolist() == [2, 4]
    header, frame, _ = read_all("a§b\n1§2§\n".encode(), sep="§")
    assert header == ["a", "b"] and frame.to_numpy().tolist() == [["1", "2"]]
    with pytest.raises(CsvLineError, match="line 3: 2 fields where the header has 3"):
        read_all(b'a, "b",c\n1,2,3\n4,5\n', short="raise")


def test_text_that_is_not_utf8_names_its_line() -> None:
    with pytest.raises(CsvLineError, match=r"line 3: text that is not UTF-8 \(byte 0xe9"):
        read_all("a,b\n1,2\nRen\u00e9,3\n".encode("latin-1"))


def test_a_quote_left_open_does_not_fill_the_memory(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(_csvio, "_MAX_ROW", 1000)
    text = b'a,b\n1,2\n3,"4\n' + b"5,6\n" * 2000
    with pytest.raises(CsvLineError, match="line 3: no end of the row in its first"):
        read_all(text, size=50)
