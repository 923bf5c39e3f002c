"""The ``clinscores screen`` command: tables, JSON, exit codes, invalid input."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
MINIMAL = {"patient_id": "x", "disease": "ra", "screening_date": "2026-10-05"}


def run_cli(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "clinscores.cli", "screen", *args],
        capture_output=True,
        text=True,
        check=False,
    )


@pytest.mark.parametrize(
    ("name", "code"),
    [("ra_eligible", 0), ("ra_not_eligible", 10), ("sle_incomplete", 11)],
)
def test_cli_exit_codes(name: str, code: int) -> None:
    result = run_cli(str(ROOT / "examples" / "patients" / f"{name}.json"))
    assert result.returncode == code, result.stderr
    assert "I6" in result.stdout


def test_cli_json_and_several_files(tmp_path: Path) -> None:
    files = [
        str(ROOT / "examples" / "patients" / f"{n}.json") for n in ("ra_eligible", "ssc_eligible")
    ]
    result = run_cli("--json", *files)
    assert result.returncode == 0
    doc = json.loads(result.stdout)
    assert [d["status"] for d in doc] == ["eligible", "eligible"]
    bad = tmp_path / "bad.json"
    bad.write_text("{not json")
    result = run_cli(files[0], str(bad))
    assert result.returncode == 12
    assert "malformed JSON" in result.stdout
    assert "summary:" in result.stdout


def test_cli_invalid_record_and_missing_file(tmp_path: Path) -> None:
    bad = tmp_path / "wrong.json"
    bad.write_text(json.dumps({**MINIMAL, "labs": {"alt_u_l": -3}, "extra": 1}))
    result = run_cli(str(bad))
    assert result.returncode == 12
    assert "labs.alt_u_l: -3 is below 0" in result.stdout
    assert "extra: unknown field" in result.stdout
    assert "Traceback" not in result.stdout + result.stderr
    result = run_cli(str(tmp_path / "absent.json"))
    assert result.returncode == 12
    assert "cannot read" in result.stdout
