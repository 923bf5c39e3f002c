"""The benchmark script stays runnable (tiny sizes; the timings are not checked)."""

from __future__ import annotations

import importlib.util
from pathlib import Path
from types import ModuleType

import pytest

BENCHMARKS = Path(__file__).resolve().parents[1] / "benchmarks"


def _script(name: str) -> ModuleType:
    spec = importlib.util.spec_from_file_location(f"clinscores_bench_{name}", BENCHMARKS / name)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_every_benchmark_case_runs(capsys: pytest.CaptureFixture[str]) -> None:
    module = _script("run.py")
    assert module.main(["--rows", "50", "--repeat", "1", "--markdown"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert len(lines) == 2 + len(module.CASES)  # header, rule, one row per case


def test_fhir_benchmark_runs(capsys: pytest.CaptureFixture[str]) -> None:
    assert _script("fhir_bundles.py").main(["--repeat", "1"]) == 0
    out = capsys.readouterr().out
    assert "| ra_bundle.json |" in out
    assert "| sle_eligible.json |" in out
