"""BILAG-2004 results on arrays are compact (issue 20): grades, 1A-or-2B, numeric score.

On arrays, each system's grades are a CodedArray (int8 codes, categories
"E" < "D" < "C" < "B" < "A", -1 unknown); a pandas Series in gives an ordered
Categorical Series out.  The properties compare the array results with the
scalar functions applied row by row, on random forms with missing values.
"""

from __future__ import annotations

import functools
import math
from typing import Any

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from clinscores import CodedArray
from clinscores.sle import sri
from clinscores.sle.bilag2004 import (
    BILAG2004_GRADE_CATEGORIES,
    BILAG2004_GRADES,
    BILAG2004_ITEMS,
    BILAG2004_PREVIOUS_ITEMS,
    BILAG2004_SYSTEMS,
    bilag2004_1a_or_2b,
    bilag2004_numeric,
)
from clinscores.sle.bilag2004 import bilag2004 as _bilag2004

bilag2004 = functools.partial(_bilag2004, others=None)

SYSTEMS = BILAG2004_SYSTEMS
CLINICAL = [n for n, it in BILAG2004_ITEMS.items() if it.scale == "0-4"]
YES_NO = [n for n, it in BILAG2004_ITEMS.items() if it.scale == "yes/no"]
VALUES = [n for n, it in BILAG2004_ITEMS.items() if it.scale == "value"]
RENAL_VALUES = [n for n in VALUES if BILAG2004_ITEMS[n].system == "renal"]
HEMATOLOGICAL_VALUES = [n for n in VALUES if BILAG2004_ITEMS[n].system == "hematological"]
# measured values in the form's units: (low, high) drawn around the renal thresholds
RANGES = {78: (100, 200), 79: (60, 120), 81: (0, 3), 82: (0, 200), 83: (0, 200), 84: (0, 3)}
RANGES |= {86: (40, 300), 87: (10, 120), 90: (5, 16), 91: (1, 10), 92: (0.5, 8)}
RANGES |= {93: (0.2, 4), 94: (20, 400)}


@st.composite
def forms(draw: st.DrawFn) -> dict[str, Any]:
    """One random form with missing values: items, previous values, attributions, history."""
    items: dict[int, object] = {}
    active = {s: draw(st.booleans()) for s in SYSTEMS}  # a quiet system: its items 0 or unknown
    for n in CLINICAL:
        codes = [0, 0, 0, 0, 0, 1, 2, 3, 4, None] if active[BILAG2004_ITEMS[n].system] else [0] * 29
        items[n] = draw(st.sampled_from([*codes, None]))
    for n in YES_NO:
        items[n] = draw(st.sampled_from([False, False, False, True, None]))
    for n in VALUES:
        lo, hi = RANGES[n]
        if n == 81:
            items[n] = draw(st.sampled_from([0, 1, 2, 3, None]))
        else:
            items[n] = draw(st.one_of(st.none(), st.floats(lo, hi).map(lambda x: round(x, 1))))
    if draw(st.booleans()):  # most forms: no haematological feature (else it needs a grade)
        for n in (95, *YES_NO):
            if BILAG2004_ITEMS[n].system == "hematological":
                items[n] = 0 if n == 95 else False
        for n in HEMATOLOGICAL_VALUES:
            items[n] = None
        recorded: dict[str, object] = {}
    else:
        recorded = {"hematological": draw(st.sampled_from(["A", "B", "C"]))}
        items[95] = 2
    previous: dict[int, object] = {}
    for n in BILAG2004_PREVIOUS_ITEMS:
        if BILAG2004_ITEMS[n].scale == "yes/no":
            previous[n] = draw(st.sampled_from([False, True, None]))
        else:
            value = st.floats(*RANGES[n]).map(lambda x: round(x, 1))
            previous[n] = draw(st.one_of(st.none(), value))
    if previous.get(81) is not None:
        previous[81] = float(round(previous[81]))  # type: ignore[arg-type]
    due = {n: draw(st.sampled_from([True, False, None])) for n in VALUES}
    history = {s: draw(st.sampled_from([True, False, None])) for s in SYSTEMS}
    return {
        "items": items,
        "previous": previous,
        "due_to_sle": due,
        "previously_active": history,
        "recorded": recorded,
    }


def stacked(rows: list[dict[str, Any]]) -> dict[str, Any]:
    """The keyword arguments of bilag2004 with one list per key, one row per form."""
    out: dict[str, Any] = {}
    for key in ("items", "previous", "due_to_sle", "previously_active"):
        keys = rows[0][key]
        out[key] = {k: [r[key][k] for r in rows] for k in keys}
    out["recorded"] = {"hematological": [r["recorded"].get("hematological") for r in rows]}
    return out


def grade_lists(draw: st.DrawFn, n: int) -> dict[str, list[str | None]]:
    grades = st.sampled_from([*BILAG2004_GRADES, None])
    return {s: draw(st.lists(grades, min_size=n, max_size=n)) for s in SYSTEMS}


# --------------------------------------------------------------------------
# grades
# --------------------------------------------------------------------------


def test_grades_on_arrays_are_coded_arrays() -> None:
    out = bilag2004({39: [0, 0, None], 40: 0, 41: [3, 1, 0], 42: 0, 43: [2, 0, 0]})
    grades = out["musculoskeletal"]
    assert isinstance(grades, CodedArray)
    assert grades.categories == BILAG2004_GRADE_CATEGORIES == ("E", "D", "C", "B", "A")
    assert grades.codes.dtype == np.int8
    assert grades.codes.tolist() == [4, 3, -1]
    assert grades.tolist() == ["A", "B", None]
    # ordered E < D < C < B < A; an unknown row satisfies no comparison
    assert (grades >= "B").tolist() == [True, True, False]
    assert (grades < "B").tolist() == [False, False, False]
    assert (grades == "A").tolist() == [True, False, False]
    assert (grades == None).tolist() == [False, False, True]  # noqa: E711
    assert grades[0] == "A" and grades[2] is None


def test_scalar_grades_unchanged() -> None:
    one = bilag2004({39: 0, 40: 0, 41: 3, 42: 0, 43: 2}, previously_active={"renal": False})
    assert one["musculoskeletal"] == "A" and type(one["musculoskeletal"]) is str
    assert one["constitutional"] is None


def test_grades_nbytes_one_per_row() -> None:
    # memory: the nine outputs hold one byte a row each (<= 2 per output, issue 20)
    n = 1000
    rng = np.random.default_rng(1)
    items: dict[int, object] = {k: rng.integers(0, 5, n) for k in CLINICAL}
    items |= {k: rng.random(n) < 0.1 for k in YES_NO if k not in (96, 97)}
    out = bilag2004(items, recorded={"hematological": np.full(n, "C")})
    for system, grades in out.items():
        assert isinstance(grades, CodedArray), system
        assert grades.nbytes == n, system
        assert grades.nbytes / len(grades) <= 2


def test_series_in_gives_ordered_categorical_series() -> None:
    idx = pd.Index([10, 20, 30], name="visit")
    form = {n: pd.Series([0, 0, 0], index=idx) for n in range(39, 44)}
    form[41] = pd.Series([2, 0, None], index=idx)
    out = bilag2004(form, previously_active={"musculoskeletal": pd.Series([1, 0, 1], index=idx)})
    s = out["musculoskeletal"]
    assert isinstance(s.dtype, pd.CategoricalDtype)
    assert s.dtype.ordered and list(s.dtype.categories) == ["E", "D", "C", "B", "A"]
    assert s.index.equals(idx) and s.name == "musculoskeletal"
    assert s.tolist()[:2] == ["A", "E"] and pd.isna(s.iloc[2])
    assert (s >= "B").tolist() == [True, False, False]


@settings(max_examples=40, deadline=None)
@given(rows=st.lists(forms(), min_size=1, max_size=5))
def test_coded_grades_equal_the_scalar_function_row_by_row(rows: list[dict[str, Any]]) -> None:
    arrays = bilag2004(**stacked(rows))
    for system in SYSTEMS:
        assert isinstance(arrays[system], CodedArray)
        assert arrays[system].nbytes == len(rows)
    for i, row in enumerate(rows):
        one = bilag2004(**row)
        assert {s: arrays[s][i] for s in SYSTEMS} == one, i
    # the pandas conversion: the same values, <NA> where unknown
    for system in SYSTEMS:
        s = arrays[system].to_pandas()
        expected = arrays[system].tolist()
        assert [None if pd.isna(v) else v for v in s.tolist()] == expected
        assert s.isna().tolist() == [g is None for g in expected]


@settings(max_examples=30, deadline=None)
@given(rows=st.lists(forms(), min_size=1, max_size=4))
def test_series_grades_equal_the_arrays(rows: list[dict[str, Any]]) -> None:
    kwargs = stacked(rows)
    idx = pd.RangeIndex(100, 100 + len(rows))
    as_series = {
        key: {k: pd.Series(v, index=idx, dtype=object) for k, v in kwargs[key].items()}
        for key in kwargs
    }
    arrays = bilag2004(**kwargs)
    series = bilag2004(**as_series)
    for system in SYSTEMS:
        got = series[system]
        assert got.index.equals(idx) and got.dtype.ordered
        assert [None if pd.isna(v) else v for v in got.tolist()] == arrays[system].tolist()


# --------------------------------------------------------------------------
# 1A-or-2B and the numeric score on arrays
# --------------------------------------------------------------------------


@settings(max_examples=100, deadline=None)
@given(data=st.data(), n=st.integers(1, 6))
def test_1a_or_2b_and_numeric_on_arrays_equal_the_scalar_functions(
    data: st.DataObject, n: int
) -> None:
    grades = grade_lists(data.draw, n)
    met = bilag2004_1a_or_2b(grades)
    points = bilag2004_numeric(grades)
    assert isinstance(met, CodedArray) and met.is_tristate and met.nbytes == n
    assert isinstance(points, np.ndarray) and points.dtype == np.float64
    for i in range(n):
        row = {s: grades[s][i] for s in SYSTEMS}
        assert met[i] is bilag2004_1a_or_2b(row)
        one = bilag2004_numeric(row)
        assert (math.isnan(points[i]) and math.isnan(one)) or points[i] == one
    # the same grades as CodedArrays (as bilag2004 returns them) and as Series
    coded = {
        s: CodedArray(
            [-1 if g is None else "EDCBA".index(g) for g in v], BILAG2004_GRADE_CATEGORIES
        )
        for s, v in grades.items()
    }
    assert list(bilag2004_1a_or_2b(coded)) == list(met)
    np.testing.assert_array_equal(bilag2004_numeric(coded), points)
    idx = pd.RangeIndex(n)
    series = {s: pd.Series(v, index=idx, dtype=object) for s, v in grades.items()}
    got = bilag2004_1a_or_2b(series)
    assert got.index.equals(idx) and got.dtype == "boolean"
    assert [None if pd.isna(v) else v for v in got.tolist()] == list(met)
    np.testing.assert_array_equal(bilag2004_numeric(series).to_numpy(), points)


def test_1a_or_2b_takes_the_grades_of_bilag2004() -> None:
    never = dict.fromkeys(SYSTEMS, False)
    g = bilag2004(
        {41: [3, 1, 0, 0], 43: [2, 0, None, 0]} | dict.fromkeys(CLINICAL[:30], 0),
        previously_active=never,
        recorded={"hematological": ["E", "E", "E", "B"]},
        others=False,
    )
    assert g["musculoskeletal"].tolist() == ["A", "B", None, "E"]
    assert list(bilag2004_1a_or_2b(g)) == [True, False, None, False]
    np.testing.assert_array_equal(bilag2004_numeric(g), [12.0, 8.0, np.nan, 8.0])


def test_1a_or_2b_arrays_mixed_with_scalar_grades() -> None:
    grades: dict[str, Any] = dict.fromkeys(SYSTEMS, "E")
    grades["renal"] = ["B", "B", None]
    grades["hematological"] = "B"
    assert list(bilag2004_1a_or_2b(grades)) == [True, True, None]  # unknown renal could be A
    grades["hematological"] = "C"
    assert list(bilag2004_1a_or_2b(grades)) == [False, False, None]
    np.testing.assert_array_equal(bilag2004_numeric(grades), [9.0, 9.0, np.nan])


def test_array_grades_bad_value_names_system_and_row() -> None:
    grades: dict[str, Any] = dict.fromkeys(SYSTEMS, "E")
    grades["renal"] = ["B", "F"]
    with pytest.raises(ValueError, match=r"grades\['renal'\]\[1\] = 'F' is not a BILAG-2004"):
        bilag2004_1a_or_2b(grades)
    with pytest.raises(ValueError, match=r"grades\['renal'\]\[1\] = 'F'"):
        bilag2004_numeric(grades)


# --------------------------------------------------------------------------
# the response criteria read the grades of bilag2004 directly
# --------------------------------------------------------------------------


def test_sri_takes_coded_grades() -> None:
    base = {s: ["B", "C", "A", None] for s in SYSTEMS}
    cur = {s: ["B", "B", "A", "A"] for s in SYSTEMS}
    coded = {
        k: {
            s: CodedArray(
                [-1 if g is None else "EDCBA".index(g) for g in v], ("E", "D", "C", "B", "A")
            )
            for s, v in grades.items()
        }
        for k, grades in (("base", base), ("cur", cur))
    }
    args = ([10, 10, 10, 10], [4, 4, 4, 4])
    pga = ([1.0] * 4, [1.0] * 4)
    from_lists = sri(args[0], args[1], base, cur, *pga)
    from_coded = sri(args[0], args[1], coded["base"], coded["cur"], *pga)
    assert list(from_coded) == list(from_lists)


# --------------------------------------------------------------------------
# recorded grades given as arrays of text are read as codes
# --------------------------------------------------------------------------


def _recorded_forms(recorded: Any) -> dict[str, Any]:
    """Three forms with every item unknown: the renal grade is the recorded one."""
    return bilag2004({}, recorded={"renal": recorded})


@pytest.mark.parametrize(
    "recorded",
    [
        ["A", "C", None],  # a list: the validated path of every argument
        np.array(["A", "C", "B"]),  # text array
        CodedArray([4, 2, -1], BILAG2004_GRADE_CATEGORIES),  # the grades of a bilag2004 call
        pd.Categorical(["A", "C", None]),
        pd.Series(["A", "C", None], dtype=object),
        pd.Series(["A", "C", None], dtype="string"),
        pd.Series(pd.Categorical(["A", "C", None], categories=["C", "A", "X"])),
    ],
)
def test_recorded_grades_of_every_array_kind(recorded: Any) -> None:
    got = _recorded_forms(recorded)["renal"]
    expected = ["A", "C", "B" if isinstance(recorded, np.ndarray) else None]
    values = got.tolist()
    assert [None if v is None or v is pd.NA or v != v else v for v in values] == expected


@pytest.mark.parametrize(
    "recorded",
    [
        np.array(["A", "F", "B"]),
        pd.Series(["A", "F", None], dtype=object),
        pd.Series(["A", "F", None], dtype="string"),
        pd.Categorical(["A", "F", None]),
        CodedArray([0, 1, 2], ("A", "F", "B")),
    ],
)
def test_recorded_bad_grade_in_an_array_names_the_row(recorded: Any) -> None:
    with pytest.raises(ValueError, match=r"recorded\['renal'\]\[1\] = 'F' is not an allowed"):
        _recorded_forms(recorded)


def test_recorded_unused_bad_category_is_not_an_error() -> None:
    # a categorical may carry categories no row holds: only the rows' values are checked
    recorded = pd.Categorical(["A", "B", "B"], categories=["A", "B", "zz"])
    assert _recorded_forms(recorded)["renal"].tolist() == ["A", "B", "B"]


def test_recorded_text_array_reads_without_float_copy() -> None:
    # the text grades become one byte a row (they used to be coerced to float64)
    import tracemalloc

    n = 200_000
    items: dict[int, Any] = {95: np.full(n, 2, dtype=np.int8)}
    recorded = {"hematological": np.full(n, "B")}
    bilag2004(items, recorded=recorded)
    tracemalloc.start()
    out = bilag2004(items, recorded=recorded)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    returned = sum(g.nbytes for g in out.values())
    assert returned == 9 * n
    assert peak <= 1.5 * returned + 2_000_000  # the graded sub-blocks: ~1 MB


@pytest.mark.parametrize(
    "bad",
    [
        pd.Series([1, 2]),  # numbers, not grades
        pd.Series(["A", "F"], dtype=object),
        pd.Categorical(["A", "F"]),
        np.array(["A", "F"]),
        CodedArray([0, 1], ("A", "F")),
    ],
)
def test_array_grades_of_every_kind_are_validated(bad: Any) -> None:
    grades: dict[str, Any] = dict.fromkeys(SYSTEMS, "E")
    grades["renal"] = bad
    with pytest.raises(ValueError, match=r"grades\['renal'\]"):
        bilag2004_1a_or_2b(grades)
    with pytest.raises(ValueError, match=r"grades\['renal'\]"):
        bilag2004_numeric(grades)


def test_1a_or_2b_reads_coded_grades_without_a_copy() -> None:
    # the codes of bilag2004's CodedArrays are read as they are: the result is one byte a row
    import tracemalloc

    n = 200_000
    rng = np.random.default_rng(3)
    grades = {
        s: CodedArray.from_codes(rng.integers(-1, 5, n).astype(np.int8), BILAG2004_GRADE_CATEGORIES)
        for s in SYSTEMS
    }
    bilag2004_1a_or_2b(grades)
    tracemalloc.start()
    met = bilag2004_1a_or_2b(grades)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    assert met.nbytes == n
    assert peak <= 1.5 * n + 1_000_000  # the block's temporaries: < 1 MB
    codes = np.stack([g.codes for g in grades.values()])
    a, b, u = (codes == 4).any(0), (codes == 3).sum(0), (codes < 0).any(0)
    want = np.where(a | (b >= 2), 1, np.where(u, -1, 0))
    np.testing.assert_array_equal(met.codes, want)
