"""EULAR response, 2010 ACR/EULAR criteria and Boolean remission."""

from __future__ import annotations

import itertools

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from clinscores import Classification, InputError
from clinscores.ra import (
    acr_eular_2010,
    acr_eular_boolean_remission,
    eular_response,
    serology_level,
)

# ---------------------------------------------------------------- EULAR response
# van Gestel 1996/1998 table: rows present DAS28 (<= 3.2, > 3.2 and <= 5.1,
# > 5.1), columns improvement (> 1.2, > 0.6 and <= 1.2, <= 0.6).


@pytest.mark.parametrize(
    ("baseline", "current", "expected"),
    [
        (4.4, 3.2, "moderate"),  # improvement exactly 1.2 is not > 1.2
        (4.41, 3.2, "good"),
        (4.5, 3.21, "moderate"),  # improvement > 1.2 but current > 3.2
        (6.0, 5.1, "moderate"),  # improvement 0.9, current <= 5.1
        (6.0, 5.11, "none"),  # improvement 0.89, current > 5.1
        (3.8, 3.2, "none"),  # improvement exactly 0.6 is not > 0.6
        (3.81, 3.2, "moderate"),
        (3.0, 3.5, "none"),  # worsening
        (7.0, 5.2, "moderate"),  # improvement 1.8 > 1.2, current > 5.1
    ],
)
def test_eular_response_table(baseline: float, current: float, expected: str) -> None:
    assert eular_response(baseline, current) == expected


def test_eular_response_uses_reported_values() -> None:
    # 4.404 -> 4.40 and 3.196 -> 3.20: reported improvement 1.20: moderate
    assert eular_response(4.404, 3.196) == "moderate"


def test_eular_response_arrays_and_missing() -> None:
    out = eular_response([4.41, 4.4, np.nan], [3.2, 3.2, 3.0])
    assert list(out) == ["good", "moderate", None]
    assert eular_response(None, 3.0) is None


@settings(max_examples=200, deadline=None)
@given(st.integers(0, 900), st.integers(0, 900))
def test_eular_response_matches_table(b: int, c: int) -> None:
    imp = b - c
    if imp > 120:
        expected = "good" if c <= 320 else "moderate"
    elif imp > 60:
        expected = "moderate" if c <= 510 else "none"
    else:
        expected = "none"
    assert eular_response(b / 100, c / 100) == expected


# ---------------------------------------------------------------- 2010 criteria


def _joints_points(large: int, small: int) -> int:
    # Aletaha 2010, written out as in the paper's table
    if small == 0:
        return 1 if 2 <= large <= 10 else 0
    if large + small > 10:
        return 5
    return 3 if small >= 4 else 2


def test_acr_eular_2010_example() -> None:
    # 2 large + 3 small joints: 2; low-positive RF: 2; abnormal CRP: 1; 8 weeks: 1 -> 6
    c = acr_eular_2010(2, 3, "low_positive", "negative", True, False, 8)
    assert isinstance(c, Classification)
    assert c.points == 6
    assert c.classified is True
    assert c.domains == {"joints": 2, "serology": 2, "acute_phase": 1, "duration": 1}
    assert c.entry_met is True
    # 5 points: not classified
    c = acr_eular_2010(2, 3, "low_positive", "negative", True, False, 5)
    assert (c.points, c.classified) == (5, False)


def test_acr_eular_2010_exhaustive() -> None:
    levels = {"negative": 0, "low_positive": 2, "high_positive": 3}
    for large, small, rf, acpa, crp, esr, weeks in itertools.product(
        range(11), [0, 1, 3, 4, 10, 11, 20], levels, levels, [False, True], [False, True], [5, 6]
    ):
        expected = (
            _joints_points(large, small)
            + max(levels[rf], levels[acpa])
            + int(crp or esr)
            + int(weeks >= 6)
        )
        c = acr_eular_2010(large, small, rf, acpa, crp, esr, weeks)
        assert c.points == expected
        assert c.classified is (expected >= 6 and large + small >= 1)


def test_acr_eular_2010_arrays_match_scalars() -> None:
    args = (
        [0, 2, 10, 1],
        [0, 3, 5, 0],
        ["negative", "high_positive", None, "negative"],
        ["negative", "negative", "low_positive", None],
        [False, True, None, False],
        [False, False, False, False],
        [2, 10, 10, None],
    )
    c = acr_eular_2010(*args)
    for i in range(4):
        one = acr_eular_2010(*(a[i] for a in args))
        assert c.points[i] == one.points
        assert c.classified[i] is one.classified
        for k in one.domains:
            assert c.domains[k][i] == one.domains[k]


def test_acr_eular_2010_unknowns() -> None:
    # joints 5 (11 joints) + duration 1 = 6: classified whatever serology is
    c = acr_eular_2010(5, 6, None, None, None, None, 6)
    assert c.classified is True
    # 2 points known; unknown serology could add 3 and acute phase 1 -> 6 -> unknown
    c = acr_eular_2010(2, 0, None, "negative", None, None, 6)
    assert c.classified is None
    assert c.points == 2
    # even with everything unknown-positive, 1 + 3 + 1 + 0 < 6 -> False
    c = acr_eular_2010(2, 0, None, None, None, None, 2)
    assert c.classified is False
    c = acr_eular_2010(None, 0, "high_positive", "negative", True, False, 10)
    assert c.classified is None
    assert c.entry_met is None


def test_acr_eular_2010_bad_input() -> None:
    with pytest.raises(InputError, match=r"large_joints = 11 is out of range; expected 0 to 10"):
        acr_eular_2010(11, 0, "negative", "negative", False, False, 1)
    with pytest.raises(InputError, match=r"rf = 'positive' is not an allowed value"):
        acr_eular_2010(1, 0, "positive", "negative", False, False, 1)
    with pytest.raises(InputError, match=r"acpa\[1\] = 'weak' is not an allowed value"):
        acr_eular_2010(1, 0, "negative", ["negative", "weak"], False, False, 1)
    with pytest.raises(InputError, match=r"abnormal_crp = 2 is out of range"):
        acr_eular_2010(1, 0, "negative", "negative", 2, False, 1)
    with pytest.raises(InputError, match=r"symptom_duration_weeks = -1"):
        acr_eular_2010(1, 0, "negative", "negative", False, False, -1)
    with pytest.raises(InputError, match=r"small_joints = True is a boolean"):
        acr_eular_2010(1, True, "negative", "negative", False, False, 1)


def test_serology_level() -> None:
    assert serology_level(20, 20) == "negative"
    assert serology_level(20.01, 20) == "low_positive"
    assert serology_level(60, 20) == "low_positive"  # 3x ULN is still low
    assert serology_level(60.01, 20) == "high_positive"
    assert serology_level(None, 20) is None
    assert list(serology_level([0, 30, 100], 20)) == ["negative", "low_positive", "high_positive"]
    with pytest.raises(InputError, match=r"uln = 0 is out of range; expected more than 0"):
        serology_level(10, 0)
    # the helper's output feeds the criteria directly
    c = acr_eular_2010(0, 4, serology_level(100, 20), serology_level(5, 20), False, False, 7)
    assert c.domains["serology"] == 3


# ---------------------------------------------------------------- Boolean remission


@pytest.mark.parametrize(
    ("args", "revision", "expected"),
    [
        ((1, 1, 1.0, 1.0), 2011, True),  # every measure exactly 1
        ((2, 1, 1.0, 1.0), 2011, False),
        ((1, 2, 1.0, 1.0), 2011, False),
        ((1, 1, 1.01, 1.0), 2011, False),
        ((1, 1, 1.0, 1.1), 2011, False),
        ((1, 1, 1.0, 2.0), 2022, True),  # 2022 revision: PtGA <= 2
        ((1, 1, 1.0, 2.1), 2022, False),
        ((None, 1, 1.0, 1.0), 2011, None),
        ((None, 3, 1.0, 1.0), 2011, False),  # known failure decides
    ],
)
def test_boolean_remission(args: tuple[object, ...], revision: int, expected: bool | None) -> None:
    assert acr_eular_boolean_remission(*args, revision=revision) is expected  # type: ignore[arg-type]


def test_boolean_remission_arrays_and_errors() -> None:
    out = acr_eular_boolean_remission([0, 2, None], 0, 0.5, 0.5)
    assert list(out) == [True, False, None]
    s = acr_eular_boolean_remission(pd.Series([0, 2], index=["a", "b"]), 0, 0.5, 0.5)
    assert list(s.index) == ["a", "b"]
    with pytest.raises(InputError, match="revision"):
        acr_eular_boolean_remission(0, 0, 0, 0, revision=2015)  # type: ignore[arg-type]
    with pytest.raises(InputError, match=r"ptga_cm = 12"):
        acr_eular_boolean_remission(0, 0, 0, 12)
