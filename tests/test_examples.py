"""The shipped examples, ``clinscores screen --example``, ``--version``, and the
version and screening date in the screening output.

Reproduces the reports that a user who installed the package had no example
patient to screen (``examples/`` was not in the wheel), that there was no
``clinscores --version``, and that the screening output named no version.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
from importlib.metadata import version
from pathlib import Path

import pytest

import clinscores
from clinscores import examples
from clinscores.eligibility import screen

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = Path(clinscores.__file__).resolve().parent
VERSION = version("clinscores")


def run_cli(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "clinscores.cli", *args],
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
    )


def test_version_comes_from_the_package_metadata() -> None:
    # pyproject.toml's version is the only place the version is written
    assert clinscores.__version__ == VERSION
    text = (ROOT / "pyproject.toml").read_text(encoding="utf-8")
    assert f'\nversion = "{VERSION}"\n' in text


def test_cli_version() -> None:
    result = run_cli("--version")
    assert result.returncode == 0, result.stderr
    assert result.stdout == f"clinscores {VERSION}\n"


def test_twelve_patients_and_four_bundles_in_one_copy() -> None:
    assert len(examples.names()) == 16
    assert [n for n in examples.names() if n.endswith("_bundle")] == [
        "pss_bundle",
        "ra_bundle",
        "sle_bundle",
        "ssc_bundle",
    ]
    for name in examples.names():
        file = examples.path(name)
        assert file.is_file() and file.resolve().is_relative_to(PACKAGE)
    # the checkout's examples/ folders are links to the package's files, not copies
    for folder in ("patients", "fhir"):
        link = ROOT / "examples" / folder
        assert link.is_symlink()
        assert link.resolve() == PACKAGE / "examples" / folder
    on_disk = sorted(p.stem for p in (PACKAGE / "examples").glob("*/*.json"))
    assert on_disk == sorted(examples.names())


@pytest.mark.parametrize("name", [n for n in examples.names() if not n.endswith("_bundle")])
def test_each_description_says_what_the_screen_finds(name: str) -> None:
    s = screen(examples.load(name))
    description = examples.describe(name)
    status = description.split(": ", 1)[1].split(" (")[0]
    assert status == s.status.replace("_", " ")
    assert {"pss": "Sjögren", "ra": "rheumatoid", "sle": "SLE", "ssc": "sclerosis"}[
        s.disease
    ] in description
    # the criteria the description names are those that decide the verdict
    deciding = {
        c.id
        for c in s.criteria
        if (c.kind == "inclusion" and c.status not in ("met", "not_applicable"))
        or (c.kind == "exclusion" and c.status not in ("not_met", "not_applicable"))
    }
    named = set(re.findall(r"\b[IE]\d{1,2}\b", description))
    assert named == deciding


@pytest.mark.parametrize("name", [n for n in examples.names() if n.endswith("_bundle")])
def test_each_bundle_description_says_what_the_screen_finds(name: str) -> None:
    fhir = pytest.importorskip("clinscores.fhir")
    s = fhir.screen_bundle(examples.load(name))
    status = examples.describe(name).split(": ", 1)[1].split(" (")[0]
    assert status == s.status.replace("_", " ")


def test_unknown_example_is_a_key_error_naming_the_examples() -> None:
    with pytest.raises(KeyError, match="ra_eligible"):
        examples.path("ra_eligble")
    with pytest.raises(KeyError):
        examples.describe("../pyproject")


def test_screen_example_lists_the_examples() -> None:
    result = run_cli("screen", "--example")
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert [line.split()[0] for line in lines] == examples.names()
    assert "ra_eligible       patient record, rheumatoid arthritis: eligible" in lines


@pytest.mark.parametrize(
    ("name", "code"), [("ra_eligible", 0), ("ra_not_eligible", 10), ("ssc_incomplete", 11)]
)
def test_screen_example_by_name(name: str, code: int) -> None:
    result = run_cli("screen", "--example", name)
    assert result.returncode == code, result.stderr
    assert "I6" in result.stdout


def test_screen_example_bundle() -> None:
    pytest.importorskip("clinscores.fhir")
    result = run_cli("screen", "--example", "sle_bundle", "--json")
    assert result.returncode == 10, result.stderr
    doc = json.loads(result.stdout)
    assert doc["patient_id"] == "K-7731"
    assert Path(doc["file"]) == examples.path("sle_bundle")


def test_screen_unknown_example_is_a_usage_error() -> None:
    result = run_cli("screen", "--example", "ra_eligble")
    assert result.returncode == 2
    assert "no example named 'ra_eligble'" in result.stderr
    assert ", ".join(examples.names()) in result.stderr
    assert "Traceback" not in result.stderr


def test_screen_with_no_file_and_no_example_is_a_usage_error() -> None:
    result = run_cli("screen")
    assert result.returncode == 2
    assert "give at least one PATIENT.json, or --example NAME" in result.stderr


def test_text_output_names_version_and_screening_date() -> None:
    result = run_cli("screen", str(ROOT / "examples" / "patients" / "ra_eligible.json"))
    assert result.returncode == 0, result.stderr
    first, second = result.stdout.splitlines()[:2]
    # the verdict first, then the date, trial and version (issue 17)
    assert first == "ELIGIBLE: patient RA-001, Rheumatoid arthritis"
    assert second == f"screened 2026-10-05, trial NCT07052565, clinscores {VERSION}"


def test_json_output_names_version_and_screening_date() -> None:
    result = run_cli("screen", "--json", "--example", "ra_eligible")
    doc = json.loads(result.stdout)
    assert doc["clinscores_version"] == VERSION
    assert doc["screening_date"] == examples.load("ra_eligible")["screening_date"] == "2026-10-05"
    assert screen(examples.load("ra_eligible")).to_dict()["screening_date"] == "2026-10-05"


def test_web_screen_answer_names_version_and_date() -> None:
    pytest.importorskip("starlette")
    from starlette.testclient import TestClient

    from clinscores.web import create_app

    with TestClient(create_app()) as client:
        answer = client.post("/api/v1/screen", json=examples.load("sle_eligible"))
    assert answer.status_code == 200
    doc = answer.json()
    assert doc["clinscores_version"] == VERSION
    assert doc["screening_date"] == examples.load("sle_eligible")["screening_date"]
