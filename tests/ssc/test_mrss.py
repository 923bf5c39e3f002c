"""Tests of the modified Rodnan skin score.

17 areas graded 0..3, summed (Clements P et al. J Rheumatol 1995;22:1281-1285;
Khanna D et al. J Scleroderma Relat Disord 2017;2:11-18).
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from clinscores._core import InputError
from clinscores.ssc.mrss import MRSS_SITES, mrss


def zeros() -> dict[str, Any]:
    return dict.fromkeys(MRSS_SITES, 0)


def test_seventeen_documented_sites() -> None:
    assert len(MRSS_SITES) == 17
    assert len(set(MRSS_SITES)) == 17
    assert set(MRSS_SITES) == {
        "face", "anterior_chest", "abdomen",
        "right_fingers", "left_fingers", "right_hand", "left_hand",
        "right_forearm", "left_forearm", "right_upper_arm", "left_upper_arm",
        "right_thigh", "left_thigh", "right_leg", "left_leg", "right_foot", "left_foot",
    }  # fmt: skip


def test_bounds_0_and_51() -> None:
    assert mrss(**zeros()) == 0
    assert mrss(**dict.fromkeys(MRSS_SITES, 3)) == 51


def test_worked_example_limited_cutaneous() -> None:
    # Hand-computed: fingers 2+2, hands 1+1, forearms 1+1, face 1, rest 0 -> 9.
    grades = zeros()
    grades.update(
        right_fingers=2, left_fingers=2, right_hand=1, left_hand=1,
        right_forearm=1, left_forearm=1, face=1,
    )  # fmt: skip
    result = mrss(**grades)
    assert result == 9
    assert isinstance(result, int)


def test_worked_example_diffuse_cutaneous() -> None:
    # Hand-computed: fingers 3+3, hands 3+3, forearms 2+2, upper arms 2+1, face 2,
    # chest 2, abdomen 1, thighs 1+1, legs 2+2, feet 1+1 -> 32.
    grades = dict(
        face=2, anterior_chest=2, abdomen=1,
        right_fingers=3, left_fingers=3, right_hand=3, left_hand=3,
        right_forearm=2, left_forearm=2, right_upper_arm=2, left_upper_arm=1,
        right_thigh=1, left_thigh=1, right_leg=2, left_leg=2, right_foot=1, left_foot=1,
    )  # fmt: skip
    assert mrss(**grades) == 32


@pytest.mark.parametrize("site", MRSS_SITES)
def test_each_site_counts_once(site: str) -> None:
    for grade in range(4):
        grades = zeros()
        grades[site] = grade
        assert mrss(**grades) == grade


grade = st.integers(min_value=0, max_value=3)
all_grades = st.lists(grade, min_size=17, max_size=17)


@settings(max_examples=100, deadline=None)
@given(all_grades)
def test_total_is_sum_and_bounded(values: list[int]) -> None:
    total = mrss(**dict(zip(MRSS_SITES, values)))
    assert total == sum(values)
    assert 0 <= total <= 51


@settings(max_examples=100, deadline=None)
@given(all_grades, st.sampled_from(MRSS_SITES))
def test_monotone_in_each_site(values: list[int], site: str) -> None:
    grades = dict(zip(MRSS_SITES, values))
    if grades[site] < 3:
        higher = {**grades, site: grades[site] + 1}
        assert mrss(**higher) == mrss(**grades) + 1


@settings(max_examples=30, deadline=None)
@given(st.lists(all_grades, min_size=1, max_size=20))
def test_arrays_agree_with_scalars(rows: list[list[int]]) -> None:
    columns = {site: np.array([r[i] for r in rows]) for i, site in enumerate(MRSS_SITES)}
    totals = mrss(**columns)
    assert isinstance(totals, np.ndarray)
    expected = [mrss(**dict(zip(MRSS_SITES, r))) for r in rows]
    np.testing.assert_array_equal(totals, expected)


# ---------------------------------------------------------------------------
# missing values
# ---------------------------------------------------------------------------


@pytest.mark.parametrize("missing", [None, math.nan])
def test_missing_site_gives_nan_not_zero(missing: object) -> None:
    grades = zeros()
    grades["abdomen"] = missing
    assert math.isnan(mrss(**grades))


def test_missing_in_array_row_only() -> None:
    grades: dict[str, Any] = {site: [1, 1, 1] for site in MRSS_SITES}
    grades["left_foot"] = [1, None, 3]
    result = mrss(**grades)
    assert result[0] == 17
    assert math.isnan(result[1])
    assert result[2] == 19


def test_omitted_site_raises_naming_it() -> None:
    grades = zeros()
    del grades["right_thigh"]
    with pytest.raises(TypeError, match="right_thigh"):
        mrss(**grades)


def test_unknown_site_is_type_error() -> None:
    with pytest.raises(TypeError, match="back"):
        mrss(**zeros(), back=1)  # type: ignore[call-arg]


# ---------------------------------------------------------------------------
# bad input
# ---------------------------------------------------------------------------


@pytest.mark.parametrize("bad", [4, -1, 1.5, True, "mild", math.inf])
@pytest.mark.parametrize("site", ["face", "left_upper_arm"])
def test_bad_grade_names_site(site: str, bad: object) -> None:
    grades = zeros()
    grades[site] = bad
    with pytest.raises(InputError, match=site):
        mrss(**grades)


def test_bad_grade_in_array_names_index() -> None:
    grades: dict[str, Any] = {site: [0, 0, 0] for site in MRSS_SITES}
    grades["right_leg"] = [0, 2, 7]
    with pytest.raises(InputError, match=r"right_leg\[2\] = 7"):
        mrss(**grades)


def test_inputs_not_mutated() -> None:
    grades = {site: np.array([1.0, 2.0, np.nan]) for site in MRSS_SITES}
    copies = {k: v.copy() for k, v in grades.items()}
    out = mrss(**grades)
    for k in grades:
        np.testing.assert_array_equal(grades[k], copies[k])
        assert not np.shares_memory(out, grades[k])


def test_pandas_series_keeps_index() -> None:
    pd = pytest.importorskip("pandas")
    idx = ["a", "b"]
    grades = {site: pd.Series([1, 2], index=idx) for site in MRSS_SITES}
    out = mrss(**grades)
    assert list(out.index) == idx
    assert list(out) == [17, 34]


def test_large_arrays_cross_block_boundary() -> None:
    n = 70_000
    grades: dict[str, Any] = {site: np.ones(n) for site in MRSS_SITES}
    grades["face"] = np.full(n, 2.0)
    grades["face"][-1] = np.nan
    out = mrss(**grades)
    assert out.shape == (n,)
    assert out[0] == 18
    assert math.isnan(out[-1])
    grades["abdomen"] = np.ones(n)
    grades["abdomen"][n - 4] = 5
    with pytest.raises(InputError, match=rf"abdomen\[{n - 4}\] = 5"):
        mrss(**grades)
