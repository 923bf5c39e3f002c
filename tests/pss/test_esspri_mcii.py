"""ESSPRI minimal clinically important improvement: boundaries, noise, properties.

Seror R et al. Ann Rheum Dis 2016;75:382-389: the MCII of the ESSPRI is a
decrease of at least 1 point or at least 15 % of the baseline value.
"""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from clinscores import CodedArray, InputError
from clinscores._core import improved_by_percent, reported_units
from clinscores.pss import esspri_mcii

hundredths = st.integers(min_value=0, max_value=1000).map(lambda u: u / 100)


@pytest.mark.parametrize(
    ("baseline", "current", "expected"),
    [
        # 1 point: a change of -1.00 is an MCII, -0.99 is not (8.00 -> 7.01 is 12.4 %)
        (8.0, 7.0, True),
        (8.0, 7.01, False),
        (9.5, 8.5, True),  # -1.00 (10.5 %)
        (9.5, 8.51, False),  # -0.99 (10.4 %)
        # 15 %: exactly 15 % of the baseline is an MCII, a hundredth less is not
        (6.0, 5.1, True),  # 0.90 = 15 % of 6.00
        (6.0, 5.11, False),  # 0.89 = 14.8 %
        (2.0, 1.7, True),  # 0.30 = 15 % of 2.00
        (2.0, 1.71, False),
        (4.0, 3.4, True),  # 0.60 = 15 % of 4.00
        (4.0, 3.41, False),
        # a baseline of 0 cannot fall; no change is never an MCII
        (0.0, 0.0, False),
        (3.0, 3.0, False),
        (5.0, 6.0, False),
    ],
)
def test_boundaries_from_both_sides(baseline: float, current: float, expected: bool) -> None:
    assert esspri_mcii(baseline, current) is expected


def test_float_noise_does_not_decide() -> None:
    # 0.7 - 0.56 = 0.13999999999999999 in binary; 0.14 is exactly 20 % of 0.70
    # and more than 15 %, so it must count, as must 2.2 -> 1.2 (1.0000000000000002)
    assert esspri_mcii(0.7, 0.56) is True
    assert esspri_mcii(2.2, 1.2) is True
    # 8.03 - 7.03 = 0.9999999999999991 in binary; as reported it is exactly 1.00
    assert 8.03 - 7.03 < 1.0
    assert esspri_mcii(8.03, 7.03) is True
    # the scores are compared as reported (2 decimals, half-up):
    # 7.005 is reported 7.01, so 8.00 -> 7.005 is a fall of 0.99
    assert esspri_mcii(8.0, 7.005) is False
    assert esspri_mcii(8.0, 7.004) is True


def test_missing_and_arrays() -> None:
    assert esspri_mcii(None, 3.0) is None
    assert esspri_mcii(5.0, float("nan")) is None
    out = esspri_mcii([8.0, 8.0, 6.0, None], [7.0, 7.01, 5.1, 2.0])
    # array judgements are compact (issue 20): int8 codes, not an object array
    assert isinstance(out, CodedArray) and out.nbytes == 4
    assert list(out) == [True, False, True, None]


def test_series_keep_their_index() -> None:
    pd = pytest.importorskip("pandas")
    b = pd.Series([8.0, 6.0], index=["p1", "p2"])
    c = pd.Series([7.0, 5.5], index=["p1", "p2"])
    out = esspri_mcii(b, c)
    assert list(out.index) == ["p1", "p2"]
    assert list(out) == [True, False]


@pytest.mark.parametrize(
    ("baseline", "current", "field"),
    [(11, 5, "baseline"), (5, -0.5, "current"), ("high", 5, "baseline"), (5, True, "current")],
)
def test_bad_input_names_field(baseline: object, current: object, field: str) -> None:
    with pytest.raises(InputError, match="^" + field):
        esspri_mcii(baseline, current)  # type: ignore[arg-type]


def test_bad_input_in_array_names_row() -> None:
    with pytest.raises(InputError, match=r"^current\[2\]"):
        esspri_mcii([5, 5, 5], [1, 2, 12])


def test_inputs_not_mutated() -> None:
    b = np.array([8.0, 6.0, np.nan])
    c = [7.0, 5.11, 1.0]
    esspri_mcii(b, c)
    np.testing.assert_array_equal(b, [8.0, 6.0, np.nan])
    assert c == [7.0, 5.11, 1.0]


def test_percent_helper_is_exact() -> None:
    b = reported_units(np.array([10.0, 10.0, 0.0, 0.7, np.nan]), 2)
    c = reported_units(np.array([8.0, 8.01, 0.0, 0.56, 1.0]), 2)
    assert list(improved_by_percent(b, c, 20)) == [True, False, False, True, False]


@settings(max_examples=200, deadline=None)
@given(hundredths, hundredths)
def test_matches_the_rule_in_exact_hundredths(b: float, c: float) -> None:
    bu, cu = round(b * 100), round(c * 100)
    fall = bu - cu
    expected = fall >= 100 or (bu > 0 and fall * 100 >= 15 * bu)
    assert esspri_mcii(b, c) is expected


@settings(max_examples=200, deadline=None)
@given(hundredths, hundredths, hundredths)
def test_a_lower_current_score_never_loses_the_mcii(b: float, c: float, lower: float) -> None:
    better = min(c, lower)
    if esspri_mcii(b, c):
        assert esspri_mcii(b, better) is True


@settings(max_examples=50, deadline=None)
@given(st.lists(st.tuples(hundredths, hundredths), min_size=1, max_size=12))
def test_scalar_equals_array_row_by_row(rows: list[tuple[float, float]]) -> None:
    b, c = (list(x) for x in zip(*rows))
    out = esspri_mcii(b, c)
    assert list(out) == [esspri_mcii(x, y) for x, y in rows]
