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


# --------------------------------------------------------------------------
# strict JSON (rule 6) and a missing extra
# --------------------------------------------------------------------------

RECORD = (ROOT / "examples" / "patients" / "ra_eligible.json").read_text("utf-8")


def _weight(literal: str) -> str:
    weight = json.dumps(json.loads(RECORD)["weight_kg"])
    assert f'"weight_kg": {weight}' in RECORD
    return RECORD.replace(f'"weight_kg": {weight}', f'"weight_kg": {literal}')


def test_duplicate_key_is_an_invalid_file(tmp_path: Path) -> None:
    # reproduces: "pregnant": true, "pregnant": false was screened as not pregnant, eligible
    assert '"exclusions": {' in RECORD
    text = RECORD.replace('"exclusions": {', '"exclusions": {"pregnant": true, ', 1)
    assert '"pregnant": false' in text  # the example says false: the last one
    path = tmp_path / "dup.json"
    path.write_text(text)
    result = run_cli(str(path))
    assert result.returncode == 12, result.stdout
    assert f"{path}: invalid: exclusions.pregnant: duplicate key" in result.stdout
    result = run_cli("--json", str(path))
    assert json.loads(result.stdout) == {
        "file": str(path),
        "status": "invalid",
        "error": "exclusions.pregnant: duplicate key",
    }


@pytest.mark.parametrize(
    ("literal", "message"),
    [
        # reproduces: OverflowError traceback, exit 1
        ("1" + "0" * 400, "10000000...00000000 (401 digits) is a number beyond float"),
        # reproduces: ValueError (more than 4,300 digits) traceback, exit 1
        ("9" * 4400, "99999999...99999999 (4400 digits) is a number beyond float"),
        ("1e400", "1e400 is a number beyond float"),
        ("NaN", "NaN is not a JSON number"),
        ("Infinity", "Infinity is not a JSON number"),
        ("-Infinity", "-Infinity is not a JSON number"),
    ],
)
def test_number_beyond_float_is_an_invalid_file(tmp_path: Path, literal: str, message: str) -> None:
    path = tmp_path / "big.json"
    path.write_text(_weight(literal))
    result = run_cli(str(path))
    assert result.returncode == 12, result.stderr
    assert f"{path}: invalid: weight_kg: {message}" in result.stdout
    assert "Traceback" not in result.stdout + result.stderr


def test_bundle_without_the_fhir_extra_exits_5(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    # reproduces: a bundle without [fhir] exited 12, "invalid patient record"
    from clinscores.cli import main

    monkeypatch.setitem(sys.modules, "clinscores.fhir", None)
    bundle = ROOT / "examples" / "fhir" / "ra_bundle.json"
    record = ROOT / "examples" / "patients" / "ra_eligible.json"
    assert main(["screen", str(bundle)]) == 5
    out = capsys.readouterr().out
    message = "FHIR bundles need the optional extra: pip install 'clinscores[fhir]'"
    assert f"{bundle}: not screened: {message}" in out
    assert "invalid" not in out
    # with a record beside it: the record is screened, the exit code says extra missing
    assert main(["screen", "--json", str(record), str(bundle)]) == 5
    doc = json.loads(capsys.readouterr().out)
    assert doc[0]["status"] == "eligible"
    assert doc[1] == {"file": str(bundle), "status": "not_screened", "error": message}


def test_help_lists_the_exit_codes() -> None:
    result = run_cli("--help")
    assert result.returncode == 0
    text = " ".join(result.stdout.split())
    assert "12 invalid file" in text and "5 an optional extra is missing" in text


def test_an_instrument_refusing_a_record_value_is_an_invalid_record(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    # a value the record allows but an instrument refuses (as ESR 0.5 was before the
    # record's ESR minimum became DAS28-ESR's 1 mm/h) gave a traceback and exit 1
    from clinscores import InputError
    from clinscores.cli import main
    from clinscores.cli import screen as screen_command

    def refuse(data: object) -> None:
        raise InputError("esr = 0.5 is out of range; expected at least 1 (mm/h)")

    monkeypatch.setattr(screen_command, "screen_any", refuse)
    code = main(["screen", str(ROOT / "examples" / "patients" / "ra_eligible.json")])
    assert code == 12
    assert "invalid patient record: esr = 0.5" in capsys.readouterr().out
