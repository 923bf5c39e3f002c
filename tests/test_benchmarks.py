"""The benchmark script stays runnable (tiny sizes; the timings are not checked)."""

from __future__ import annotations

import importlib.util
from pathlib import Path
from types import ModuleType

import numpy as np
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


def test_respond_benchmark_runs_and_checks_its_baseline(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    # the bare SRI-4 baseline is asserted equal to frame.respond before timing
    module = _script("run.py")
    assert module.run_respond(2000, 200, 1) == 0
    out = capsys.readouterr().out
    assert "sri4" in out and "lib MB" in out
    # --respond --write: the page's table, the machine described above it
    table = tmp_path / "respond.md"
    assert module.run_respond(2000, 200, 1, True, str(table)) == 0
    lines = table.read_text(encoding="utf-8").splitlines()
    assert lines[0].startswith("Measured on") and "pandas" in lines[0]
    assert [line.split(" | ")[0] for line in lines[4:]] == [
        "| sri4",
        "| eular_response_esr",
        "| sri4, das28_esr_remission, eular_response_esr",
    ]


def test_bilag_baseline_is_the_full_rule() -> None:
    # the bare baseline grades all nine systems as the library, unknowns included
    module = _script("run.py")
    data = module.bilag_inputs(3000)
    lib, bare = module.lib_bilag(data), module.bare_bilag(data)
    module.check_agreement("bilag2004", lib, bare)  # raises if they differ
    assert set(bare) == set(lib) and len(bare) == 9
    assert all((lib[s].codes < 0).any() for s in ("constitutional", "renal"))  # unknowns met
    # changing one renal value changes the bare renal grades too: the rule is really there
    data["i83"] = data["i83"] * 0 + 150.0
    data["d83"] = data["d83"] | True
    assert not np.array_equal(module.bare_bilag(data)["renal"], bare["renal"])
    module.check_agreement("bilag2004", module.lib_bilag(data), module.bare_bilag(data))
