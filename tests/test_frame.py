"""Tests of clinscores.frame: scoring pandas and Dask DataFrames."""

from __future__ import annotations

import importlib.util
import math
import pickle
import time
import types
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from numpy.testing import assert_allclose

from clinscores._core import Domain
from clinscores.frame import MissingColumnError, RowError, output_dtypes, score
from clinscores.labs import cockcroft_gault
from clinscores.ra import cdai, cdai_activity, das28_activity, das28_esr
from clinscores.registry import get, instruments

COLS = {"tjc28": "TJC", "sjc28": "SJC", "esr": "ESR", "ptga_mm": "PtGA"}


def cohort(n: int, seed: int = 0) -> pd.DataFrame:
    """Random valid RA visits with a non-default index and a few missing values."""
    rng = np.random.default_rng(seed)
    df = pd.DataFrame(
        {
            "TJC": rng.integers(0, 29, n),
            "SJC": rng.integers(0, 29, n),
            "ESR": rng.integers(1, 120, n).astype(float),
            "PtGA": rng.integers(0, 101, n),
            "ptga_cm": rng.integers(0, 101, n) / 10,
            "evga_cm": rng.integers(0, 101, n) / 10,
        },
        index=pd.Index([f"p{i}" for i in range(n)], name="patient"),
    )
    df.loc[df.index[::11], "ESR"] = np.nan
    return df


def valid(domain: Domain) -> Any:
    if domain.flag:
        return 1.0
    if domain.words_only:  # RF, ACPA: the level words only, numbers are refused
        return next(iter(domain.words or {}))
    lo = 0.0 if math.isinf(domain.lo) else float(domain.lo)
    if domain.lo_open:
        lo += 1.0 if math.isinf(domain.hi) else min(1.0, (domain.hi - lo) / 2)
    return lo


# ---------------------------------------------------------------- pandas


def test_worked_example_and_mapping() -> None:
    # das28 module docstring example: DAS28-ESR(6, 4, 38, 55) = 5.248, high (> 5.1)
    df = pd.DataFrame({"TJC": [6], "SJC": [4], "ESR": [38], "PtGA": [55]}, index=["a"])
    out = score(df, "das28_esr", columns=COLS)
    assert_allclose(out.loc["a", "das28_esr"], 5.248, atol=5e-4)
    assert out.loc["a", "das28_esr_category"] == "high"


def test_matches_direct_calls_index_preserved_input_untouched() -> None:
    df = cohort(500)
    before = df.copy()
    out = score(df, ["das28_esr", "cdai"], columns={**COLS, "tjc28": "TJC"})
    pd.testing.assert_frame_equal(df, before)  # not mutated
    assert out.index.equals(df.index)
    pd.testing.assert_frame_equal(out[df.columns], df)
    expected = das28_esr(df["TJC"], df["SJC"], df["ESR"], df["PtGA"])
    assert_allclose(out["das28_esr"].to_numpy(), expected.to_numpy())
    # an ordered categorical column built from the codes (issue 20); NaN where unknown
    assert [None if pd.isna(v) else v for v in out["das28_esr_category"]] == [
        None if c is None else c.value for c in das28_activity(expected.to_numpy())
    ]
    c = cdai(df["TJC"], df["SJC"], df["ptga_cm"], df["evga_cm"])
    assert_allclose(out["cdai"].to_numpy(), c.to_numpy())
    assert list(out["cdai_category"]) == [str(v) for v in cdai_activity(c.to_numpy())]
    assert out["das28_esr"].isna().sum() == df["ESR"].isna().sum()  # missing stays missing


@pytest.mark.parametrize("name", sorted(instruments()))
def test_every_instrument_dtypes_and_values(name: str) -> None:
    inst = get(name)
    n = 4
    data = {p.name: np.full(n, valid(p.domain)) for p in inst.parameters}
    for extra in inst.one_of[1:]:
        data.pop(extra)
    first = inst.parameters[0].name
    v = valid(inst.parameters[0].domain)
    data[first] = np.array([v, np.nan, v, v])
    df = pd.DataFrame(data, index=[10, 20, 30, 40])
    out = score(df, name)
    assert out.dtypes[list(output_dtypes(name))].to_dict() == output_dtypes(name)
    direct = inst.compute({k: v for k, v in data.items()})
    for col, values in direct.items():
        got = out[col]
        if isinstance(values, np.ndarray) and values.dtype.kind == "f":
            assert_allclose(got.to_numpy(dtype=float), values)
        else:  # points, or a judgement column built from its codes (issue 20)
            assert [None if pd.isna(v) else v for v in got] == list(values)


def test_raise_names_column_row_and_value() -> None:
    df = cohort(50)
    df.loc["p7", "TJC"] = 40
    df.loc["p9", "ESR"] = 0
    with pytest.raises(RowError) as info:
        score(df, "das28_esr", columns=COLS)
    err = info.value
    assert (err.row, err.position, err.column) == ("p7", 7, "TJC")
    assert "'p7'" in str(err) and "'TJC'" in str(err) and "40" in str(err)
    assert "0..28" in str(err)


def test_coerce_scores_valid_rows() -> None:
    df = cohort(300)
    df["TJC"] = df["TJC"].astype(object)
    df["SJC"] = df["SJC"].astype(float)
    df.loc["p3", "TJC"] = "many"
    df.loc["p5", "TJC"] = 29
    df.loc["p8", "ESR"] = 0.0
    df.loc["p12", "SJC"] = 2.5
    out = score(df, "das28_esr", columns=COLS, errors="coerce")
    err = out["das28_esr_error"]
    bad = ["p3", "p5", "p8", "p12"]
    assert sorted(err[err.notna()].index) == sorted(bad)
    assert "'many' is not a number" in err["p3"]
    assert "29 is outside 0..28" in err["p5"]
    assert "column 'ESR' (esr) = 0.0 is outside >= 1" in err["p8"]
    assert "2.5" in err["p12"]
    assert out.loc[bad, "das28_esr"].isna().all()
    assert out.loc[bad, "das28_esr_category"].isna().all()
    good = df.drop(index=bad).astype({"TJC": int, "SJC": int})
    expected = score(good, "das28_esr", columns=COLS)
    pd.testing.assert_series_equal(out["das28_esr"].drop(index=bad), expected["das28_esr"])


def test_coerce_classification_gives_na() -> None:
    inst = get("acr_eular_2010")
    df = pd.DataFrame(
        {
            "large_joints": [1, 2, 0],
            "small_joints": [3, 4, 0],
            "rf": ["High_Positive", "neg", "negative"],
            "acpa": ["negative", None, "low_positive"],
            "abnormal_crp": ["TRUE", "true", "false"],
            "abnormal_esr": [False, True, False],
            "symptom_duration_weeks": [10, 3, 2],
        }
    )
    out = score(df, inst.name, errors="coerce")
    # row 0: 1 large joint 0 + 3 small joints 2 + high-positive RF 3 + abnormal CRP 1
    # + >= 6 weeks 1 = 7 >= 6 (Aletaha 2010 table); row 2: low-positive ACPA 2 only
    assert out["acr_eular_2010_points"].tolist() == [7, pd.NA, 2]
    assert out["acr_eular_2010_classified"].tolist() == [True, pd.NA, False]
    assert "'neg' is not an allowed value" in out["acr_eular_2010_error"][1]


def test_cross_column_rule_found_by_bisection() -> None:
    n = 1000
    df = pd.DataFrame(
        {
            "age": np.full(n, 50.0),
            "weight_kg": np.full(n, 70.0),
            "female": np.zeros(n, dtype=bool),
            "creatinine_mg_dl": np.ones(n),
            "creatinine_umol_l": np.full(n, 88.4),
        }
    )
    df.loc[[123, 777], "creatinine_umol_l"] = 200.0  # disagrees with 1 mg/dL
    out = score(df, "cockcroft_gault", errors="coerce")
    err = out["cockcroft_gault_error"]
    assert list(err[err.notna()].index) == [123, 777]
    assert "disagree" in err[123] and "[0]" not in err[123]
    assert out["cockcroft_gault"].isna().sum() == 2
    assert_allclose(out.loc[0, "cockcroft_gault"], cockcroft_gault(50, 70, False, 1.0))
    with pytest.raises(RowError) as info:
        score(df, "cockcroft_gault")
    assert info.value.row == 123


def test_missing_columns() -> None:
    df = cohort(5)
    with pytest.raises(MissingColumnError) as info:
        score(df, "das28_esr", columns={"tjc28": "TJC"})
    assert "'sjc28'" in str(info.value) and "das28_esr" in str(info.value)
    cg = pd.DataFrame({"age": [50], "weight_kg": [70], "female": [True]})
    with pytest.raises(MissingColumnError, match="creatinine_mg_dl"):
        score(cg, "cockcroft_gault")
    out = score(cg.assign(creatinine_umol_l=[88.4]), "cockcroft_gault")
    assert_allclose(out["cockcroft_gault"], [cockcroft_gault(50, 70, True, 1.0)])


def test_bad_arguments() -> None:
    df = cohort(3)
    with pytest.raises(KeyError, match="unknown instrument"):
        score(df, "das99")
    with pytest.raises(ValueError, match="errors"):
        score(df, "das28_esr", COLS, errors="ignore")  # type: ignore[arg-type]
    with pytest.raises(TypeError):
        score(df.to_dict(), "das28_esr", COLS)
    with pytest.raises(ValueError, match="'tjc'"):
        score(df, "das28_esr", {**COLS, "tjc": "TJC"})


def test_errors_pickle() -> None:
    """Dask workers send exceptions to the client pickled."""
    err = RowError("das28_esr", "p7", 7, "TJC", "column 'TJC' (tjc28) = 40 is outside 0..28")
    back = pickle.loads(pickle.dumps(err))
    assert (back.row, back.position, back.column, str(back)) == ("p7", 7, "TJC", str(err))
    miss = MissingColumnError([("cdai", "tjc28", "TJC")])
    assert str(pickle.loads(pickle.dumps(miss))) == str(miss)


def test_text_and_nullable_columns() -> None:
    df = pd.DataFrame(
        {
            "tjc28": pd.array([" 6", "0", None], dtype="string"),
            "sjc28": pd.array([4, 0, pd.NA], dtype="Int64"),
            "esr": ["38", "1.0", "5"],
            "ptga_mm": [55, 0, 5],
        }
    )
    out = score(df, "das28_esr")
    assert_allclose(out["das28_esr"][:2], [das28_esr(6, 4, 38, 55), das28_esr(0, 0, 1, 0)])
    assert math.isnan(out["das28_esr"][2])
    # an ordered categorical column (issue 20): <NA>/NaN where unknown
    category = out["das28_esr_category"]
    assert [None if pd.isna(v) else v for v in category] == ["high", "remission", None]


def test_boolean_column_for_number_is_invalid() -> None:
    df = cohort(3).assign(TJC=[True, False, True])
    out = score(df, "das28_esr", COLS, errors="coerce")
    assert out["das28_esr_error"].str.contains("a boolean, not a number").all()


def test_empty_frame() -> None:
    df = cohort(0)
    out = score(df, "das28_esr", COLS, errors="coerce")
    assert len(out) == 0
    assert out.dtypes[list(output_dtypes("das28_esr", "coerce"))].to_dict() == output_dtypes(
        "das28_esr", "coerce"
    )


def test_many_invalid_rows_stay_vectorised() -> None:
    df = cohort(200_000, seed=3)
    df.loc[df.index[::3], "TJC"] = 99  # a third of the rows invalid
    start = time.perf_counter()
    out = score(df, "das28_esr", COLS, errors="coerce")
    elapsed = time.perf_counter() - start
    assert out["das28_esr_error"].notna().sum() == len(df.index[::3])
    assert elapsed < 10  # no per-row Python scoring (typically well under 1 s)


# ---------------------------------------------------------------- Dask


def test_dask_partitioned_equals_in_memory() -> None:
    dd = pytest.importorskip("dask.dataframe")
    df = cohort(2_000, seed=5)
    df.index = pd.RangeIndex(0, 2 * len(df), 2)  # dask would turn a str index into pyarrow
    df["TJC"] = df["TJC"].astype(float)
    df.loc[df.index[::97], "TJC"] = 30.0
    df.loc[df.index[::13], "PtGA"] = np.nan
    expected = score(df, ["das28_esr", "cdai"], COLS, errors="coerce")
    ddf = dd.from_pandas(df, npartitions=7)
    lazy = score(ddf, ["das28_esr", "cdai"], COLS, errors="coerce")
    assert type(lazy).__module__.startswith("dask")
    assert lazy.npartitions == 7
    assert lazy.dtypes.to_dict() == expected.dtypes.to_dict()  # explicit meta
    got = lazy.compute()
    pd.testing.assert_frame_equal(got, expected)


def test_dask_raise_on_compute() -> None:
    dd = pytest.importorskip("dask.dataframe")
    df = cohort(100)
    df.loc["p42", "PtGA"] = 101
    lazy = score(dd.from_pandas(df, npartitions=3), "das28_esr", COLS)  # lazy: no error yet
    with pytest.raises(RowError) as info:
        lazy.compute()
    assert info.value.row == "p42" and info.value.column == "PtGA"
    with pytest.raises(MissingColumnError):  # eager: columns are known
        score(dd.from_pandas(df, npartitions=3), "das28_esr")


# ---------------------------------------------------------------- tutorial


def _load(path: Path) -> types.ModuleType:
    spec = importlib.util.spec_from_file_location(path.stem, path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_tutorial_cohort_and_figure() -> None:
    """The code of docs/cohorts.md runs and the docs hook gets a PNG from it."""
    pytest.importorskip("matplotlib")
    scripts = Path(__file__).resolve().parents[1] / "docs" / "scripts"
    tutorial = _load(scripts / "cohort_plot.py")
    cohort = tutorial.make_cohort(n=5_000, seed=1)
    scored = tutorial.score_cohort(cohort)
    counts = tutorial.category_counts(scored)
    assert int(counts.sum()) == 5_000
    assert counts["no score"] == cohort["ESR"].isna().sum() > 0
    expected = das28_activity(das28_esr(*(cohort[c].to_numpy() for c in cohort.columns)))
    assert counts["high"] == sum(1 for c in expected if c == "high")
    png = _load(scripts / "hooks.py").render_figure()
    assert png.startswith(b"\x89PNG\r\n\x1a\n") and len(png) > 5_000


# ---------------------------------------------------------------- properties

_BAD_VALUES = st.sampled_from([29, -1, 2.5, "x", "", True, float("inf")])


@settings(max_examples=60, deadline=None)
@given(
    n=st.integers(1, 40),
    seed=st.integers(0, 2**32 - 1),
    injected=st.dictionaries(st.integers(0, 39), st.tuples(st.integers(0, 3), _BAD_VALUES)),
    cut=st.integers(0, 40),
)
def test_property_invalid_rows_located_exactly(
    n: int, seed: int, injected: dict[int, tuple[int, object]], cut: int
) -> None:
    df = cohort(n, seed=seed)[["TJC", "SJC", "ptga_cm", "evga_cm"]].astype(object)
    names = ["TJC", "SJC", "ptga_cm", "evga_cm"]
    bad_rows = set()
    for row, (col, value) in injected.items():
        if row >= n:
            continue
        df.iloc[row, col] = value
        if value != "" and not (value == 2.5 and col >= 2):  # blank is missing; 2.5 cm valid
            bad_rows.add(row)
    cols = {"tjc28": "TJC", "sjc28": "SJC"}
    out = score(df, "cdai", cols, errors="coerce")
    flagged = set(np.flatnonzero(out["cdai_error"].notna().to_numpy()))
    assert flagged == bad_rows
    good = [i for i in range(n) if i not in bad_rows]
    expected = cdai(*(pd.to_numeric(df.iloc[good][c]).to_numpy(dtype=float) for c in names))
    assert_allclose(out["cdai"].to_numpy()[good], expected)
    assert out["cdai"].isna().to_numpy()[sorted(bad_rows)].all()
    # chunking does not change anything (the CLI scores chunk by chunk)
    parts = [
        score(df.iloc[:cut], "cdai", cols, errors="coerce"),
        score(df.iloc[cut:], "cdai", cols, errors="coerce"),
    ]
    pd.testing.assert_frame_equal(pd.concat(parts), out)
    if bad_rows:
        with pytest.raises(RowError) as info:
            score(df, "cdai", cols)
        assert info.value.position == min(bad_rows)
    else:
        pd.testing.assert_frame_equal(score(df, "cdai", cols), out.drop(columns="cdai_error"))
