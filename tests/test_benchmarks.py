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
    lines = [line for line in capsys.readouterr().out.splitlines() if line.startswith("|")]
    assert len(lines) == 2 + len(module.CASES)  # header, rule, one row per case


def test_judgement_baselines_compute_the_library_rule() -> None:
    # issue 20: each judgement's baseline gives the library's outputs on data
    # with missing values (main() asserts it before timing), and a baseline
    # that differs in one row is caught
    module = _script("run.py")
    for name in module.JUDGEMENTS:
        lib, bare, make = module.CASES[name]
        data = make(5000)
        got = lib(data)
        module.check_agreement(name, got, bare(data))
        outputs = module._outputs(got)
        assert any(
            (v < 0).any()
            for k, v in outputs.items()
            if v.dtype.kind == "i"
            and (k in ("", "classified") or k.startswith("acr") or k == "improved")
        ), name  # some row is unknown: the missing-data rule is compared too
        wrong = {k: v.copy() for k, v in module._outputs(bare(data)).items()}
        key = next(iter(wrong))
        wrong[key][0] = wrong[key][0] + 1 if wrong[key].dtype.kind in "iu" else -5.0
        with pytest.raises(AssertionError):
            module.check_agreement(name, got, wrong if key else wrong[""])


def test_fhir_benchmark_runs(capsys: pytest.CaptureFixture[str]) -> None:
    assert _script("fhir_bundles.py").main(["--repeat", "1"]) == 0
    out = capsys.readouterr().out
    assert "| ra_bundle.json |" in out
    assert "| sle_eligible.json |" in out
