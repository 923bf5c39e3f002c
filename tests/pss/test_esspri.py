"""Tests of the ESSPRI, its PASS cut-off and MCII."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from clinscores import InputError, report
from clinscores.pss.esspri import ESSPRI_PASS_BELOW, esspri, esspri_mcii, esspri_pass

nrs = st.integers(min_value=0, max_value=10)


def test_mean_of_three_scales() -> None:
    # Seror 2011: ESSPRI = mean of dryness, limb pain and fatigue (0-10 each).
    assert esspri(6, 7, 5) == pytest.approx(6.0)
    assert esspri(0, 0, 0) == 0.0
    assert esspri(10, 10, 10) == 10.0
    # (5 + 5 + 4) / 3 = 4.666..., reported 4.67: in the PASS (< 5), Seror 2016
    assert esspri(5, 5, 4) == pytest.approx(14 / 3)
    assert report(esspri(5, 5, 4), "esspri") == pytest.approx(4.67)
    assert esspri_pass(esspri(5, 5, 4)) is True
    assert esspri_pass(esspri(5, 5, 5)) is False


def test_pass_cut_off_from_both_sides() -> None:
    assert ESSPRI_PASS_BELOW == 5.0
    assert esspri_pass(4.99) is True
    assert esspri_pass(5.0) is False
    # reported precision decides: 4.995 is reported 5.00 (half-up)
    assert esspri_pass(4.995) is False
    assert esspri_pass(4.994) is True
    assert esspri_pass(None) is None
    assert list(esspri_pass([0, 4.99, 5, 10, None])) == [True, True, False, False, None]


def test_mcii_points_or_percent() -> None:
    # Seror 2016: decrease of at least 1 point or at least 15 % of baseline.
    assert esspri_mcii(8.0, 7.0) is True  # 1 point (12.5 %)
    assert esspri_mcii(8.0, 7.01) is False  # 0.99 point, 12.4 %
    assert esspri_mcii(6.0, 5.1) is True  # 0.9 point = 15 % exactly
    assert esspri_mcii(6.0, 5.11) is False  # 14.8 %
    assert esspri_mcii(2.0, 1.7) is True  # 15 % of a low baseline
    assert esspri_mcii(0.0, 0.0) is False  # no change is no improvement
    assert esspri_mcii(5.0, 6.0) is False
    assert esspri_mcii(5.0, None) is None
    out = esspri_mcii([8.0, 6.0, None], [7.0, 5.11, 1.0])
    assert list(out) == [True, False, None]


def test_missing_gives_nan() -> None:
    assert math.isnan(esspri(5, None, 5))
    out = esspri([5, 5], [np.nan, 4], [5, 6])
    assert math.isnan(out[0])
    assert out[1] == pytest.approx(5.0)


@pytest.mark.parametrize(
    ("args", "field"),
    [
        ((11, 5, 5), "dryness"),
        ((5, -1, 5), "fatigue"),
        ((5, 5, "high"), "pain"),
        ((5, 5, True), "pain"),
        ((5, [1, 12], 5), r"fatigue\[1\]"),
    ],
)
def test_bad_input_names_field(args: tuple[object, object, object], field: str) -> None:
    with pytest.raises(InputError, match="^" + field):
        esspri(*args)  # type: ignore[arg-type]


def test_helpers_reject_out_of_range_scores() -> None:
    with pytest.raises(InputError, match=r"^score"):
        esspri_pass(10.5)
    with pytest.raises(InputError, match=r"^baseline"):
        esspri_mcii(-1, 5)


def test_inputs_not_mutated() -> None:
    d = np.array([1.0, 2.0, np.nan])
    f = [3, 4, 5]
    out = esspri(d, f, 6)
    np.testing.assert_array_equal(d, [1.0, 2.0, np.nan])
    assert f == [3, 4, 5]
    assert not np.shares_memory(out, d)


@settings(max_examples=100, deadline=None)
@given(nrs, nrs, nrs)
def test_bounds_and_symmetry(d: int, f: int, p: int) -> None:
    s = esspri(d, f, p)
    assert 0.0 <= s <= 10.0
    assert s == pytest.approx((d + f + p) / 3)
    assert esspri(p, d, f) == pytest.approx(s)
    assert esspri_pass(s) is (round((d + f + p) / 3, 2) < 5)


@settings(max_examples=50, deadline=None)
@given(st.lists(st.tuples(nrs, nrs, nrs), min_size=1, max_size=10))
def test_scalar_and_array_agree(rows: list[tuple[int, int, int]]) -> None:
    d, f, p = (list(c) for c in zip(*rows))
    out = esspri(d, f, p)
    np.testing.assert_allclose(out, [esspri(*r) for r in rows])
    passes = esspri_pass(out)
    assert list(passes) == [esspri_pass(esspri(*r)) for r in rows]


@settings(max_examples=50, deadline=None)
@given(nrs, nrs, nrs, st.integers(min_value=0, max_value=9))
def test_monotone(d: int, f: int, p: int, lower: int) -> None:
    assert esspri(min(d, lower), f, p) <= esspri(d, f, p)
