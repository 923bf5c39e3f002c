"""A missing optional extra is an installation problem: exit code 5, its own message.

The import failure is simulated (``sys.modules[name] = None`` makes the import
fail), not made by uninstalling.
"""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap
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


def test_without_fhir_resources_the_guard_of_clinscores_fhir_names_the_extra() -> None:
    # the other tests stand in for the missing extra with sys.modules["clinscores.fhir"] =
    # None, which never runs the guard in clinscores.fhir; this one blocks fhir.resources
    # itself, in a fresh interpreter, so that the guard of the package is what raises: on
    # import, under require(), and for `clinscores screen` of a bundle (exit code 5)
    script = textwrap.dedent(
        """
        import json, sys
        sys.modules["fhir.resources"] = None  # import fhir.resources fails
        from clinscores._extras import MissingExtraError, require
        from clinscores.cli import main
        out = {}
        try:
            import clinscores.fhir
        except ImportError as exc:
            out["import"] = str(exc)
        out["left"] = sorted(m for m in sys.modules if m.startswith("clinscores.fhir"))
        try:
            require("clinscores.fhir", "fhir", "FHIR bundles need")
        except MissingExtraError as exc:
            out["require"] = [str(exc), str(exc.__cause__)]
        out["exit"] = main(["screen", sys.argv[1]])
        print(json.dumps(out))
        """
    )
    bundle = ROOT / "examples" / "fhir" / "ra_bundle.json"
    run = subprocess.run(
        [sys.executable, "-c", script, str(bundle)], capture_output=True, text=True, timeout=120
    )
    assert run.returncode == 0, run.stderr
    *printed, last = run.stdout.strip().splitlines()
    out = json.loads(last)
    guard = "clinscores.fhir needs the optional extra: pip install 'clinscores[fhir]'"
    message = "FHIR bundles need the optional extra: pip install 'clinscores[fhir]'"
    assert out["import"] == guard
    assert out["left"] == []  # nothing half-imported
    assert out["require"] == [message, guard]
    assert out["exit"] == EXIT_EXTRA
    assert f"{bundle}: not screened: {message}" in printed


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
