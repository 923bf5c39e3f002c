"""The response criteria table and frame.respond work on codes (issue 20).

Every criterion's evaluate returns a CodedArray of its categories (one byte a
row, never an object array); frame.respond builds its columns from those
codes: ``boolean`` for yes/no criteria, an ordered Categorical for EULAR and
ACR response, with the unknown rows missing.
"""

from __future__ import annotations

import importlib.util
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from clinscores import CodedArray
from clinscores._coded import TRISTATE
from clinscores.frame import _grade_column, respond
from clinscores.responses import (
    ACR_LEVELS,
    COLUMNS,
    EULAR_RESPONSE_CATEGORIES,
    GRADE,
    Visits,
    coded,
    criteria,
)
from clinscores.sle import sri
from clinscores.sle.bilag2004 import BILAG2004_GRADE_CATEGORIES, BILAG2004_SYSTEMS

_spec = importlib.util.spec_from_file_location(
    "respond_tests", Path(__file__).resolve().parent / "test_respond.py"
)
assert _spec is not None and _spec.loader is not None
_respond_tests = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(_respond_tests)
trial = _respond_tests.trial


def visits_of(df: pd.DataFrame, columns: tuple[str, ...], where: str) -> dict[str, Any]:
    """Columns at the baseline (first) visit, the visit itself or the previous visit."""
    out: dict[str, Any] = {}
    by = df.groupby("patient_id")
    for col in columns:
        if COLUMNS[col] is GRADE:
            codes = _grade_column(df[col], col, "test")
            s = pd.Series(codes, index=df.index)
        else:
            s = pd.to_numeric(df[col].astype(object), errors="coerce").astype(float)
        if where == "baseline":  # trial() rows are by patient and date: the first row
            s = s.groupby(df["patient_id"]).transform(lambda x: x.iloc[0])
        elif where == "previous":
            s = s.groupby(df["patient_id"]).shift(1)
            first = (by.cumcount() == 0).to_numpy()
            if COLUMNS[col] is GRADE:
                s = s.fillna(-1)
            s[first] = -1 if COLUMNS[col] is GRADE else np.nan
        if COLUMNS[col] is GRADE:
            values = s.to_numpy().astype(np.int8)
            out[col] = CodedArray.from_codes(values, BILAG2004_GRADE_CATEGORIES)
        else:
            out[col] = s.to_numpy(dtype=np.float64)
    return out


@pytest.mark.parametrize("name", list(criteria()))
def test_every_criterion_returns_a_coded_array(name: str) -> None:
    c = criteria()[name]
    df = trial(12, 4, seed=2)
    got = c.evaluate(
        Visits(
            baseline=visits_of(df, c.baseline, "baseline"),
            current=visits_of(df, c.current, "current"),
            previous=visits_of(df, c.previous, "previous"),
        )
    )
    assert isinstance(got, CodedArray)
    assert got.categories == c.categories
    assert got.codes.dtype == np.int8 and got.nbytes == len(df)  # one byte a row (<= 2)
    assert (c.kind == "bool") == (c.categories == TRISTATE)
    # respond's column holds the same values (the baseline visit itself: not assessed)
    out = respond(df, name)[name]
    firsts = (df.groupby("patient_id").cumcount() == 0).to_numpy()
    values = got.tolist()
    column = [None if pd.isna(v) else v for v in out.astype(object)]
    for i, (v, w) in enumerate(zip(values, column)):
        if c.baseline and firsts[i]:
            assert w is None, (name, i)
        else:
            assert v == w, (name, i)


def test_column_dtypes_come_from_the_categories() -> None:
    df = trial(6, 3)
    out = respond(df, ["sri4", "eular_response_esr", "acr_esr", "das28_esr_remission"])
    assert out["sri4"].dtype == "boolean"
    assert out["das28_esr_remission"].dtype == "boolean"
    for col, cats in (("eular_response_esr", EULAR_RESPONSE_CATEGORIES), ("acr_esr", ACR_LEVELS)):
        dtype = out[col].dtype
        assert isinstance(dtype, pd.CategoricalDtype), col
        assert dtype.ordered and tuple(dtype.categories) == cats, col
    # the columns are made from codes: one byte a row, plus the boolean's mask
    assert out["sri4"].array.nbytes == 2 * len(df)
    assert out["eular_response_esr"].array.codes.nbytes == len(df)


def test_empty_table_has_the_same_dtypes() -> None:
    df = trial(2, 2).iloc[:0]
    out = respond(df, ["sri4", "eular_response_esr"])
    assert out["sri4"].dtype == "boolean"
    assert isinstance(out["eular_response_esr"].dtype, pd.CategoricalDtype)
    assert tuple(out["eular_response_esr"].dtype.categories) == EULAR_RESPONSE_CATEGORIES


def test_coded_passes_coded_arrays_and_refuses_objects() -> None:
    met = CodedArray([1, 0, -1], TRISTATE)
    assert coded(met) is not None and coded(met).codes.tolist() == [1, 0, -1]
    # the same values in another order of categories: recoded by a lookup
    other = CodedArray([0, 1, 2, -1], ("good", "moderate", "none"))
    assert coded(other, EULAR_RESPONSE_CATEGORIES).tolist() == ["good", "moderate", "none", None]
    with pytest.raises(TypeError, match="not a CodedArray"):
        coded(np.array([True, None], dtype=object))
    with pytest.raises(ValueError):
        coded(CodedArray([0], ("maybe",)), TRISTATE)


@settings(max_examples=25, deadline=None)
@given(seed=st.integers(0, 10_000), patients=st.integers(1, 8), per=st.integers(1, 5))
def test_respond_sri4_equals_sri_on_the_gathered_visits(seed: int, patients: int, per: int) -> None:
    # respond's boolean column is the CodedArray of sri on (first visit, visit), <NA> unknown
    df = trial(patients, per, seed=seed).sample(frac=1, random_state=seed)
    out = respond(df, "sri4")["sri4"]
    firsts = df.sort_values(["patient_id", "visit_date"]).groupby("patient_id").head(1)
    base = firsts.set_index("patient_id").loc[df["patient_id"]].set_index(df.index)
    grades_b = {s: base[f"bilag_{s}"].tolist() for s in BILAG2004_SYSTEMS}
    grades_c = {s: df[f"bilag_{s}"].tolist() for s in BILAG2004_SYSTEMS}
    want = sri(
        base["sledai2k"].to_numpy(),
        df["sledai2k"].to_numpy(),
        grades_b,
        grades_c,
        base["pga"].to_numpy(dtype=float),
        df["pga"].to_numpy(dtype=float),
    )
    assert isinstance(want, CodedArray)
    first = (df["visit_date"] == df.groupby("patient_id")["visit_date"].transform("min")).to_numpy()
    expected = [None if f else v for v, f in zip(want.tolist(), first)]
    assert [None if pd.isna(v) else bool(v) for v in out.astype(object)] == expected
    assert out.isna().tolist() == [e is None for e in expected]
