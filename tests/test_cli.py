"""Tests of the ``clinscores`` command (clinscores.cli), in process and end to end."""

from __future__ import annotations

import argparse
import io
import os
import signal
import subprocess
import sys
import time
import types
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from numpy.testing import assert_allclose

from clinscores.cli import EXIT_DATA, EXIT_IO, EXIT_OK, EXIT_USAGE, main
from clinscores.frame import score
from clinscores.registry import instruments

HEADER = "id,TJC,sjc28,esr,ptga_mm\n"
ROWS = "1,6,4,38,55\n2,0,0,1,0\n3,,2,20,30\n"
MAP = ["--map", "tjc28=TJC"]
#: Peak resident memory allowed for scoring a 10^6-row file (interpreter,
#: numpy and pandas take about 100 MB; one 50,000-row chunk a few MB more).
MEMORY_LIMIT_MB = 400


def run(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    """The command in a child process, as a user runs it."""
    return subprocess.run(
        [sys.executable, "-m", "clinscores.cli", *args],
        capture_output=True,
        text=True,
        cwd=cwd,
        timeout=120,
    )


def write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


def leftovers(directory: Path) -> list[str]:
    return sorted(p.name for p in directory.iterdir() if p.name.endswith(".tmp"))


# ---------------------------------------------------------------- in process


def test_score_to_file_matches_frame(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    src = write(tmp_path / "in.csv", HEADER + ROWS)
    out = tmp_path / "out.csv"
    assert main(["score", "das28_esr", str(src), "-o", str(out), *MAP]) == EXIT_OK
    got = pd.read_csv(out)
    assert list(got.columns) == [*HEADER.strip().split(","), "das28_esr", "das28_esr_category"]
    expected = score(pd.read_csv(src), "das28_esr", {"tjc28": "TJC"})
    assert_allclose(got["das28_esr"], expected["das28_esr"])
    assert got["das28_esr_category"].tolist()[:2] == ["high", "remission"]
    assert pd.isna(got["das28_esr_category"][2])  # missing TJC: unknown, not an error
    assert leftovers(tmp_path) == []
    assert capsys.readouterr().err == ""


def test_input_columns_written_verbatim(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    src = write(tmp_path / "in.csv", "id,tjc28,sjc28,esr,ptga_mm\n007,6,4,38.50,55\n")
    assert main(["score", "das28_esr", str(src)]) == EXIT_OK
    line = capsys.readouterr().out.splitlines()[1]
    assert line.startswith("007,6,4,38.50,55,")


def test_chunks_give_the_same_output(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    rng = np.random.default_rng(0)
    df = pd.DataFrame(
        {
            "tjc28": rng.integers(0, 29, 1000),
            "sjc28": rng.integers(0, 29, 1000),
            "esr": rng.integers(1, 100, 1000),
            "ptga_mm": rng.integers(0, 101, 1000),
        }
    )
    src = tmp_path / "in.csv"
    df.to_csv(src, index=False)
    assert main(["score", "das28_esr", str(src), "--chunksize", "1000"]) == EXIT_OK
    whole = capsys.readouterr().out
    assert main(["score", "das28_esr", str(src), "--chunksize", "7"]) == EXIT_OK
    assert capsys.readouterr().out == whole


def test_raise_reports_line_and_keeps_old_output(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    src = write(tmp_path / "in.csv", HEADER + ROWS + "4,30,1,5,5\n")
    out = write(tmp_path / "out.csv", "previous result\n")
    code = main(["score", "das28_esr", str(src), "-o", str(out), *MAP, "--chunksize", "2"])
    assert code == EXIT_DATA
    err = capsys.readouterr().err
    assert "line 5" in err and "'TJC'" in err and "'30'" in err and "0..28" in err
    assert out.read_text() == "previous result\n"  # never half-written
    assert leftovers(tmp_path) == []


def test_coerce_reports_lines_and_scores_the_rest(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    src = write(tmp_path / "in.csv", HEADER + "1,6,4,38,55\n2,x,0,1,0\n\n3,1,1,0,5\n")
    out = tmp_path / "out.csv"
    code = main(["score", "das28_esr", str(src), "-o", str(out), *MAP, "--errors", "coerce"])
    assert code == EXIT_OK
    err = capsys.readouterr().err
    assert "line 3: column 'TJC' (tjc28) = 'x' is not a number" in err
    assert "line 5: column 'esr' (esr) = '0' is outside >= 1" in err
    assert "2 invalid row(s)" in err
    got = pd.read_csv(out)
    assert len(got) == 4  # the blank line 4 is kept as an empty (unscored) row
    assert got["das28_esr_error"].notna().tolist() == [False, True, False, True]
    assert got["das28_esr"].notna().tolist() == [True, False, False, False]


def test_list(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["list"]) == EXIT_OK
    text = capsys.readouterr().out
    for name in instruments():
        assert f"\n{name}: " in "\n" + text
    assert "esr      mm/h, > 0" in text
    assert "-> das28_esr, das28_esr_category" in text
    assert "creatinine_umol_l" in text and "(one of:" in text


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["score", "das99", "x.csv"], "unknown instrument 'das99'"),
        (["score", "das28_esr", "x.csv", "--map", "tjc28"], "expected PARAM=COLUMN"),
        (["score", "das28_esr", "x.csv", "--map", "tjc=T"], "no parameter 'tjc'"),
        (["score", "das28_esr", "x.csv", "--chunksize", "0"], "--chunksize"),
        (["score", "das28_esr"], "required"),
        (["frobnicate"], "invalid choice"),
        ([], "required"),
    ],
)
def test_usage_errors(argv: list[str], message: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(argv) == EXIT_USAGE
    assert message in capsys.readouterr().err


def test_help_exits_zero(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--help"]) == EXIT_OK
    assert "Exit codes" in capsys.readouterr().out


def test_header_only_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    src = write(tmp_path / "in.csv", "tjc28,sjc28,esr,ptga_mm\n")
    assert main(["score", "das28_esr", str(src)]) == EXIT_OK
    assert capsys.readouterr().out.strip() == "tjc28,sjc28,esr,ptga_mm,das28_esr,das28_esr_category"


def test_unwritable_output(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    src = write(tmp_path / "in.csv", HEADER + ROWS)
    target = tmp_path / "no" / "such" / "dir" / "out.csv"
    assert main(["score", "das28_esr", str(src), "-o", str(target), *MAP]) == EXIT_IO
    assert "clinscores: error:" in capsys.readouterr().err


class _TTY(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_progress_bar_only_on_a_terminal(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    pytest.importorskip("tqdm")
    src = write(tmp_path / "in.csv", HEADER + ROWS * 50)
    out = tmp_path / "out.csv"
    assert main(["score", "das28_esr", str(src), "-o", str(out), *MAP]) == EXIT_OK
    assert capsys.readouterr().err == ""  # stderr is not a terminal here
    fake = _TTY()
    monkeypatch.setattr(sys, "stderr", fake)
    assert main(["score", "das28_esr", str(src), "-o", str(out), *MAP]) == EXIT_OK
    assert "scoring" in fake.getvalue()
    fake2 = _TTY()
    monkeypatch.setattr(sys, "stderr", fake2)
    args = ["score", "das28_esr", str(src), "-o", str(out), *MAP, "--no-progress"]
    assert main(args) == EXIT_OK
    assert fake2.getvalue() == ""


def test_screen_is_delegated(monkeypatch: pytest.MonkeyPatch) -> None:
    seen: dict[str, object] = {}

    def add_arguments(parser: argparse.ArgumentParser) -> None:
        parser.add_argument("patients", nargs="+")
        parser.add_argument("--json", action="store_true")

    def run_(args: argparse.Namespace) -> int:
        seen["args"] = args
        return 11

    fake = types.ModuleType("clinscores.cli.screen")
    fake.add_arguments = add_arguments  # type: ignore[attr-defined]
    fake.run = run_  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, "clinscores.cli.screen", fake)
    import clinscores.cli

    monkeypatch.setattr(clinscores.cli, "screen", fake, raising=False)
    assert main(["screen", "a.json", "b.json", "--json"]) == 11
    ns = seen["args"]
    assert isinstance(ns, argparse.Namespace)
    assert ns.patients == ["a.json", "b.json"] and ns.json is True
    assert main(["screen"]) == EXIT_USAGE  # the screen parser's own usage error


# ---------------------------------------------------------------- end to end


def test_e2e_malformed_line(tmp_path: Path) -> None:
    src = write(tmp_path / "in.csv", HEADER + "1,6,4,38,55\n2,6,4,38,55,99\n")
    out = tmp_path / "out.csv"
    res = run("score", "das28_esr", str(src), "-o", str(out), *MAP)
    assert res.returncode == EXIT_DATA
    assert "malformed CSV" in res.stderr and "line 3" in res.stderr
    assert not out.exists() and leftovers(tmp_path) == []


def test_e2e_missing_columns(tmp_path: Path) -> None:
    src = write(tmp_path / "in.csv", HEADER + ROWS)
    res = run("score", "das28_esr", str(src))
    assert res.returncode == EXIT_IO
    assert "missing column(s): 'tjc28' (parameter tjc28 of das28_esr)" in res.stderr
    assert res.stdout == ""


def test_e2e_unknown_instrument(tmp_path: Path) -> None:
    src = write(tmp_path / "in.csv", HEADER + ROWS)
    res = run("score", "das29", str(src))
    assert res.returncode == EXIT_USAGE
    assert "unknown instrument 'das29'" in res.stderr and "das28_esr" in res.stderr


def test_e2e_empty_and_missing_files(tmp_path: Path) -> None:
    empty = write(tmp_path / "empty.csv", "")
    res = run("score", "das28_esr", str(empty))
    assert res.returncode == EXIT_IO and "is empty" in res.stderr
    res = run("score", "das28_esr", str(tmp_path / "nope.csv"))
    assert res.returncode == EXIT_IO and "No such file" in res.stderr


def test_e2e_list_and_stdout(tmp_path: Path) -> None:
    res = run("list")
    assert res.returncode == EXIT_OK and "cockcroft_gault:" in res.stdout
    src = write(tmp_path / "in.csv", HEADER + ROWS)
    res = run("score", "das28_esr", str(src), *MAP)
    assert res.returncode == EXIT_OK and res.stderr == ""
    assert res.stdout.splitlines()[1].startswith("1,6,4,38,55,5.248")


def test_e2e_million_rows_constant_memory(tmp_path: Path) -> None:
    n = 1_000_000
    rng = np.random.default_rng(42)
    data = np.column_stack(
        [
            np.arange(n),
            rng.integers(0, 29, n),
            rng.integers(0, 29, n),
            rng.integers(1, 120, n),
            rng.integers(0, 101, n),
        ]
    )
    src = tmp_path / "big.csv"
    with open(src, "w", encoding="utf-8") as fh:
        fh.write(HEADER)
        np.savetxt(fh, data, fmt="%d", delimiter=",")
    out = tmp_path / "big_out.csv"
    # A small parent process runs the command and reports the peak RSS of its only
    # child (ru_maxrss of RUSAGE_CHILDREN, KiB on Linux), unaffected by other tests.
    measure = (
        "import resource, subprocess, sys;"
        "rc = subprocess.run(sys.argv[1:]).returncode;"
        "print(rc, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)"
    )
    cmd = [sys.executable, "-m", "clinscores.cli", "score", "das28_esr", str(src), "-o", str(out)]
    res = subprocess.run(
        [sys.executable, "-c", measure, *cmd, *MAP],
        capture_output=True,
        text=True,
        timeout=120,
    )
    rc, peak_kib = (int(v) for v in res.stdout.split())
    assert rc == EXIT_OK, res.stderr
    peak_mb = peak_kib / 1024
    assert peak_mb < MEMORY_LIMIT_MB, f"peak RSS {peak_mb:.0f} MB"
    with open(out, encoding="utf-8") as fh:
        header = fh.readline().strip()
        first = fh.readline().split(",")
        lines = 2 + sum(1 for _ in fh)
    assert header == HEADER.strip() + ",das28_esr,das28_esr_category"
    assert lines == n + 1
    tjc, sjc, esr, ptga = (float(v) for v in first[1:5])
    expected = 0.56 * tjc**0.5 + 0.28 * sjc**0.5 + 0.70 * np.log(esr) + 0.014 * ptga
    assert_allclose(float(first[5]), expected, rtol=1e-12)
    assert os.path.getsize(out) > os.path.getsize(src)


def test_map_takes_several_pairs_after_one_flag(tmp_path: Path) -> None:
    src = tmp_path / "v.csv"
    src.write_text("TJC,SJC,ESR,PGA\n6,4,38,55\n")
    result = subprocess.run(
        [sys.executable, "-m", "clinscores.cli", "score", "das28_esr", str(src), "--map",
         "tjc28=TJC", "sjc28=SJC", "esr=ESR", "ptga_mm=PGA"],
        capture_output=True, text=True, check=False,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert "5.248" in result.stdout


# ---------------------------------------------------------------- CSV reading rules

DAS28 = "tjc28,sjc28,esr,ptga_mm"


def _scores(out: Path | str) -> list[float]:
    got = pd.read_csv(io.StringIO(out) if isinstance(out, str) else out)
    return got["das28_esr"].tolist()


def test_trailing_separator_on_data_rows_is_read_in_place(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # Reproduces: a separator at the end of each data row (header without one)
    # made pandas take the first field as the index, so every value was read from
    # the column to its left (DAS28 4.62 and 4.34 for true 4.26 and 3.70).
    rows = [(6, 4, 20, 30), (2, 3, 15, 25)]
    src = write(
        tmp_path / "in.csv", DAS28 + "\n" + "".join(f"{a},{b},{c},{d},\n" for a, b, c, d in rows)
    )
    assert main(["score", "das28_esr", str(src)]) == EXIT_OK
    got = _scores(capsys.readouterr().out)
    truth = score(pd.DataFrame(rows, columns=DAS28.split(",")), "das28_esr")["das28_esr"]
    assert got == truth.tolist()
    # 0.56 sqrt(6) + 0.28 sqrt(4) + 0.70 ln(20) + 0.014 * 30, by hand
    assert round(got[0], 4) == 4.4487
    # several empty fields at the end are dropped too; the input columns stay four
    src = write(tmp_path / "in2.csv", DAS28 + "\n6,4,20,30,,,\n2,3,15,25,,,\n")
    assert main(["score", "das28_esr", str(src)]) == EXIT_OK
    out = capsys.readouterr().out
    assert out.splitlines()[0] == DAS28 + ",das28_esr,das28_esr_category"
    assert _scores(out) == truth.tolist()


def test_row_with_more_non_empty_fields_is_an_error_naming_the_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # Reproduces: with a value in the extra field the row was shifted silently
    # (empty scores, exit 0) or reported against the wrong column.
    src = write(tmp_path / "in.csv", DAS28 + "\n6,4,20,30,\n2,3,15,25,9\n")
    for errors in ("raise", "coerce"):
        assert main(["score", "das28_esr", str(src), "--errors", errors]) == EXIT_DATA
        err = capsys.readouterr().err
        assert "line 3: 5 fields where the header has 4" in err
        assert "'ptga_mm'" not in err and "'esr'" not in err  # no column blamed wrongly


def test_row_with_fewer_fields_is_an_error_or_an_invalid_row(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # Reproduces: `6,4,38` under four columns was read as a missing PtGA, exit 0.
    src = write(tmp_path / "in.csv", DAS28 + "\n6,4,20,30\n6,4,38\n1,1,10,10\n")
    out = tmp_path / "out.csv"
    assert main(["score", "das28_esr", str(src), "-o", str(out)]) == EXIT_DATA
    assert (
        "in.csv: malformed CSV: line 3: 3 fields where the header has 4" in capsys.readouterr().err
    )
    assert not out.exists() and leftovers(tmp_path) == []
    assert main(["score", "das28_esr", str(src), "-o", str(out), "--errors", "coerce"]) == EXIT_OK
    err = capsys.readouterr().err
    assert "clinscores: line 3: 3 fields where the header has 4" in err
    assert "1 invalid row(s)" in err
    got = pd.read_csv(out)
    assert got["das28_esr_error"].tolist()[1] == "3 fields where the header has 4"
    assert got["das28_esr"].isna().tolist() == [False, True, False]
    assert got["das28_esr_category"].isna().tolist() == [False, True, False]
    # a blank line is an empty row, not a short one; line numbers stay exact
    src = write(tmp_path / "blank.csv", DAS28 + "\n6,4,20,30\n\n   \n6,4\n")
    assert main(["score", "das28_esr", str(src)]) == EXIT_DATA
    assert "line 5: 2 fields where the header has 4" in capsys.readouterr().err


def test_duplicate_column_names_are_an_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # Reproduces: `tjc28` twice (values 6 and 28) was scored from the first column,
    # pandas renaming the second one tjc28.1.
    src = write(tmp_path / "in.csv", DAS28 + ",tjc28\n6,4,20,30,28\n")
    out = write(tmp_path / "out.csv", "previous result\n")
    assert main(["score", "das28_esr", str(src), "-o", str(out)]) == EXIT_IO
    err = capsys.readouterr().err
    assert "column 'tjc28' appears twice in the header (columns 1 and 5)" in err
    assert out.read_text() == "previous result\n"
    # a real column named tjc28.1 is a column of its own
    src = write(tmp_path / "ok.csv", DAS28 + ",tjc28.1\n6,4,20,30,28\n")
    assert main(["score", "das28_esr", str(src)]) == EXIT_OK
    text = capsys.readouterr().out
    assert text.splitlines()[0].startswith(DAS28 + ",tjc28.1,das28_esr")
    assert round(_scores(text)[0], 4) == 4.4487


def test_bom_crlf_quotes_and_lines_spanning_quotes(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    text = (
        'id,tjc28,sjc28,esr,ptga_mm\r\n"a\r\nb",6,4,20,30\r\n"c ""q""",6,4,20,NA\r\nd,40,1,1,1\r\n'
    )
    src = tmp_path / "in.csv"
    src.write_bytes(b"\xef\xbb\xbf" + text.encode())
    assert main(["score", "das28_esr", str(src), "--errors", "coerce"]) == EXIT_OK
    captured = capsys.readouterr()
    got = pd.read_csv(io.StringIO(captured.out))
    assert got["id"].tolist() == ["a\r\nb", 'c "q"', "d"]
    assert round(got["das28_esr"][0], 4) == 4.4487 and np.isnan(got["das28_esr"][1])
    # the quoted field spans lines 2-3: the next rows start on lines 4 and 5
    assert "clinscores: line 5: column 'tjc28'" in captured.err


def test_irregular_quotes_are_read_as_the_csv_module_reads_them(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # a quote inside an unquoted field, and a quoted field after a space
    src = write(
        tmp_path / "in.csv", 'note,tjc28,sjc28,esr,ptga_mm\n5\'6",6,4,20,30\n x, "6",4,20,30\n'
    )
    assert main(["score", "das28_esr", str(src), "--errors", "coerce"]) == EXIT_OK
    got = pd.read_csv(io.StringIO(capsys.readouterr().out), dtype=str, keep_default_na=False)
    assert got["note"].tolist() == ["5'6\"", " x"]
    assert got["sjc28"].tolist() == ["4", "4"]
    assert got["das28_esr_error"].tolist()[0] == ""
    assert "' \"6\"'" in got["das28_esr_error"].tolist()[1]  # the text as written: not a number
    # a quote left open, and text after a closing quote: errors naming the line
    src = write(tmp_path / "open.csv", DAS28 + '\n6,4,20,30\n"6,4,20,30\n1,1,1,1\n')
    assert main(["score", "das28_esr", str(src)]) == EXIT_DATA
    assert "line 3: a quoted field is not closed" in capsys.readouterr().err
    src = write(tmp_path / "after.csv", DAS28 + '\n6,4,20,30\n"6"x,4,20,30\n')
    assert main(["score", "das28_esr", str(src)]) == EXIT_DATA
    assert "line 3: text after the closing quote" in capsys.readouterr().err


def test_sep_is_one_character(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    src = write(tmp_path / "in.csv", "tjc28\tsjc28\tesr\tptga_mm\n6\t4\t20\t30\t\n")
    assert main(["score", "das28_esr", str(src), "--sep", "\\t"]) == EXIT_OK
    assert capsys.readouterr().out.splitlines()[1].startswith("6\t4\t20\t30\t4.4487")
    assert main(["score", "das28_esr", str(src), "--sep", "::"]) == EXIT_USAGE
    assert "--sep '::'" in capsys.readouterr().err


def _cohort_csv(
    rows: list[list[str]],
    trailing: int,
    quote: list[list[bool]],
    crlf: bool,
    bom: bool,
) -> bytes:
    end = "\r\n" if crlf else "\n"
    lines = [DAS28]
    for row, q in zip(rows, quote):
        fields = [f'"{v}"' if qq else v for v, qq in zip(row, q)]
        lines.append(",".join(fields) + "," * trailing)
    return (b"\xef\xbb\xbf" if bom else b"") + (end.join(lines) + end).encode()


_cohort_rows = st.lists(
    st.tuples(
        st.one_of(st.just(""), st.integers(0, 28).map(str)),
        st.one_of(st.just(""), st.integers(0, 28).map(str)),
        st.one_of(st.just(""), st.integers(1, 150).map(str), st.just("NA")),
        st.one_of(st.just(""), st.floats(0, 100).map(lambda x: f"{x:.1f}")),
    ).map(list),
    min_size=1,
    max_size=30,
)


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    rows=_cohort_rows,
    trailing=st.sampled_from([0, 0, 1, 2]),
    crlf=st.booleans(),
    bom=st.booleans(),
    data=st.data(),
)
def test_property_score_reads_any_spreadsheet_export(
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    rows: list[list[str]],
    trailing: int,
    crlf: bool,
    bom: bool,
    data: st.DataObject,
) -> None:
    quote = data.draw(
        st.lists(
            st.lists(st.booleans(), min_size=4, max_size=4), min_size=len(rows), max_size=len(rows)
        )
    )
    damage = data.draw(st.sampled_from(["none", "none", "short", "extra"]))
    at = data.draw(st.integers(0, len(rows) - 1))
    written = [list(r) for r in rows]
    if damage == "short":
        written[at] = written[at][:3]
        quote[at] = quote[at][:3]
    elif damage == "extra":
        written[at] = [*written[at], "7"]  # e.g. a separator inside a value
        quote[at] = [*quote[at], False]
    src = tmp_path / "cohort.csv"
    src.write_bytes(_cohort_csv(written, trailing, quote, crlf, bom))
    capsys.readouterr()
    code = main(["score", "das28_esr", str(src)])
    captured = capsys.readouterr()
    if damage != "none" and not (damage == "short" and trailing >= 1):
        # (a short row with a separator at its end has the header's count of fields)
        assert code == EXIT_DATA, captured.err
        assert f"line {at + 2}: " in captured.err
        return
    assert code == EXIT_OK, captured.err
    values = pd.DataFrame(
        [[np.nan if v in ("", "NA") else float(v) for v in r] for r in rows],
        columns=DAS28.split(","),
    )
    want = score(values, "das28_esr")
    got = pd.read_csv(io.StringIO(captured.out))
    if damage == "short" and trailing >= 1:
        got = got.drop(index=at)
        want = want.drop(index=at)
    np.testing.assert_array_equal(got["das28_esr"].to_numpy(), want["das28_esr"].to_numpy())
    categories = [None if pd.isna(v) else v for v in got["das28_esr_category"]]
    # the frame's column is an ordered categorical (issue 20); the CSV is unchanged
    assert categories == [None if pd.isna(v) else v for v in want["das28_esr_category"]]


@pytest.mark.parametrize("command", ["score", "respond"])
def test_sigterm_and_sigint_remove_the_temporary_file(tmp_path: Path, command: str) -> None:
    # Reproduces: killing `clinscores score` (SIGTERM) midway left a hidden
    # temporary file of about 11 MB of patient data next to the output.
    n = 400_000
    rng = np.random.default_rng(7)
    src = tmp_path / "big.csv"
    with open(src, "w", encoding="utf-8") as fh:
        if command == "score":
            fh.write("id," + DAS28 + "\n")
            data = np.column_stack(
                [np.arange(n), rng.integers(0, 29, n), rng.integers(0, 29, n),
                 rng.integers(1, 120, n), rng.integers(0, 101, n)]
            )  # fmt: skip
            np.savetxt(fh, data, fmt="%d", delimiter=",")
        else:
            fh.write("patient_id,visit_date,das28_esr\n")
            visits = np.column_stack(
                [np.repeat(np.arange(n // 4), 4), np.tile(np.arange(1, 5), n // 4),
                 rng.integers(150, 700, n) / 100]
            )  # fmt: skip
            np.savetxt(fh, visits, fmt=["P%d", "%d", "%.2f"], delimiter=",")
    out = write(tmp_path / "out.csv", "previous result\n")
    args = ["das28_esr", str(src)] if command == "score" else [str(src), "-c", "eular_response_esr"]
    for sig, code in ((signal.SIGTERM, 143), (signal.SIGINT, 130)):
        cmd = [sys.executable, "-m", "clinscores.cli", command, *args, "-o", str(out)]
        child = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        deadline = time.monotonic() + 60
        while not leftovers(tmp_path) and child.poll() is None and time.monotonic() < deadline:
            time.sleep(0.002)
        assert leftovers(tmp_path), "the temporary file never appeared"
        child.send_signal(sig)
        _, err = child.communicate(timeout=60)
        assert child.returncode == code, err
        assert ("terminated" if sig == signal.SIGTERM else "interrupted") in err
        assert leftovers(tmp_path) == []
        assert out.read_text() == "previous result\n"


def test_signal_handlers_are_put_back_after_the_run(tmp_path: Path) -> None:
    def mine(signum: int, frame: object) -> None:  # pragma: no cover - never called
        pass

    before = signal.signal(signal.SIGTERM, mine)
    try:
        src = write(tmp_path / "in.csv", DAS28 + "\n6,4,20,30\n")
        assert main(["score", "das28_esr", str(src), "-o", str(tmp_path / "o.csv")]) == EXIT_OK
        assert main(["score", "das28_esr", str(tmp_path / "none.csv")]) == EXIT_IO
        assert signal.getsignal(signal.SIGTERM) is mine
        assert signal.getsignal(signal.SIGINT) is signal.default_int_handler
    finally:
        signal.signal(signal.SIGTERM, before)
