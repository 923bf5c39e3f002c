"""A missing optional extra is an installation problem: exit code 5, its own message.

The import failure is simulated (``sys.modules[name] = None`` makes the import
fail), not made by uninstalling.
"""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from clinscores._extras import EXIT_EXTRA, MissingExtraError, require
from clinscores.cli import main

ROOT = Path(__file__).resolve().parents[1]


def test_require_names_the_extra(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "clinscores.fhir", None)
    with pytest.raises(MissingExtraError) as info:
        require("clinscores.fhir", "fhir", "FHIR bundles need")
    assert str(info.value) == "FHIR bundles need the optional extra: pip install 'clinscores[fhir]'"
    assert info.value.extra == "fhir"
    assert isinstance(info.value, ImportError)
    assert EXIT_EXTRA == 5


@pytest.mark.parametrize("command", ["score", "respond"])
def test_score_and_respond_without_pandas_exit_5(
    command: str, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    # reproduces: `clinscores score` without pandas exited 2 (a usage error)
    csv = ROOT / "examples" / "patients" / "ra_eligible.json"  # never opened
    monkeypatch.setitem(sys.modules, "pandas", None)
    argv = ["score", "das28_esr", str(csv)] if command == "score" else ["respond", str(csv)]
    assert main(argv) == EXIT_EXTRA
    err = capsys.readouterr().err
    assert f"the {command} command needs the optional extra: pip install 'clinscores[cli]'" in err


def test_serve_without_the_web_extra_exits_5(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setitem(sys.modules, "clinscores.web", None)
    assert main(["serve"]) == EXIT_EXTRA
    assert "pip install 'clinscores[web]'" in capsys.readouterr().err
