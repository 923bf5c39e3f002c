"""Tests of the ``clinscores`` command (clinscores.cli), in process and end to end."""

from __future__ import annotations

import argparse
import io
import os
import subprocess
import sys
import types
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
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

    fake = types.ModuleType("clinscores._screen_cli")
    fake.add_arguments = add_arguments  # type: ignore[attr-defined]
    fake.run = run_  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, "clinscores._screen_cli", fake)
    import clinscores

    monkeypatch.setattr(clinscores, "_screen_cli", fake, raising=False)
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
