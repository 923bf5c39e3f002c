"""Tests of CDAI and SDAI (Aletaha 2005; Smolen 2003)."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from clinscores import Activity, InputError, report
from clinscores.ra import cdai, cdai_activity, sdai, sdai_activity

joints = st.integers(0, 28)
vas_cm = st.floats(0, 10)


def test_cdai_sdai_hand_computed() -> None:
    # CDAI = 6 + 4 + 5.5 + 4.0 = 19.5; SDAI adds CRP 1.2 mg/dL = 20.7
    assert cdai(6, 4, 5.5, 4.0) == 19.5
    assert sdai(6, 4, 5.5, 4.0, 1.2) == pytest.approx(20.7)
    # ranges: CDAI 0..76 (Aletaha 2005)
    assert cdai(28, 28, 10, 10) == 76
    assert cdai(0, 0, 0, 0) == 0


def test_float_noise_does_not_flip_category() -> None:
    # 2 + 0.1 + 0.7 and 2 + 0.6 + 0.2 give 2.8000000000000003 in binary floating
    # point; reported as 2.8, it is remission (<= 2.8).
    x = cdai(2, 0, 0.6, 0.2)
    assert x == 2.8000000000000003
    assert report(x, "cdai") == 2.8
    assert cdai_activity(x) is Activity.REMISSION
    assert cdai_activity(cdai(1, 1, 0.4, 0.4)) is Activity.REMISSION


@pytest.mark.parametrize(
    ("score", "category"),
    [
        (2.8, Activity.REMISSION),
        (2.84, Activity.REMISSION),  # reported 2.8
        (2.85, Activity.LOW),  # reported 2.9
        (2.9, Activity.LOW),
        (10.0, Activity.LOW),
        (10.04, Activity.LOW),
        (10.05, Activity.MODERATE),
        (10.1, Activity.MODERATE),
        (22.0, Activity.MODERATE),
        (22.1, Activity.HIGH),
        (76.0, Activity.HIGH),
    ],
)
def test_cdai_boundaries(score: float, category: Activity) -> None:
    assert cdai_activity(score) is category


@pytest.mark.parametrize(
    ("score", "category"),
    [
        (3.3, Activity.REMISSION),
        (3.34, Activity.REMISSION),
        (3.35, Activity.LOW),
        (11.0, Activity.LOW),
        (11.1, Activity.MODERATE),
        (26.0, Activity.MODERATE),
        (26.05, Activity.HIGH),
        (100.0, Activity.HIGH),
    ],
)
def test_sdai_boundaries(score: float, category: Activity) -> None:
    assert sdai_activity(score) is category


def test_sdai_noise() -> None:
    # 3 + 0.1 + 0.2 + 0 = 3.3000000000000003 -> reported 3.3: remission
    x = sdai(3, 0, 0.1, 0.2, 0.0)
    assert x == 3.3000000000000003
    assert sdai_activity(x) is Activity.REMISSION


@settings(max_examples=200, deadline=None)
@given(joints, joints, vas_cm, vas_cm, st.floats(0, 30))
def test_bounds_and_sdai_is_cdai_plus_crp(t: int, s: int, p: float, e: float, c: float) -> None:
    x = cdai(t, s, p, e)
    assert 0 <= x <= 76
    assert sdai(t, s, p, e, c) == pytest.approx(x + c)


@settings(max_examples=200, deadline=None)
@given(joints, joints, vas_cm, vas_cm, st.sampled_from(range(4)))
def test_cdai_monotone(t: int, s: int, p: float, e: float, i: int) -> None:
    args = [t, s, p, e]
    bumped = list(args)
    bumped[i] = min(bumped[i] + 1, 28 if i < 2 else 10)
    assert cdai(*bumped) >= cdai(*args)


@settings(max_examples=50, deadline=None)
@given(st.lists(st.tuples(joints, joints, vas_cm, vas_cm), min_size=1, max_size=20))
def test_scalar_array_agree(rows: list[tuple[int, int, float, float]]) -> None:
    cols = [np.array(c) for c in zip(*rows)]
    arr = cdai(*cols)
    cats = cdai_activity(arr)
    for i, r in enumerate(rows):
        assert arr[i] == cdai(*r)
        assert cats[i] is cdai_activity(cdai(*r))


def test_missing_and_bad_input() -> None:
    assert math.isnan(cdai(1, 1, None, 1))
    assert cdai_activity(None) is None
    assert math.isnan(sdai(1, 1, 1, 1, float("nan")))
    with pytest.raises(InputError, match=r"ptga_cm = 11 is out of range; expected 0 to 10 \(cm"):
        cdai(1, 1, 11, 1)
    with pytest.raises(InputError, match=r"evga_cm\[1\] = -1"):
        cdai(1, 1, 1, [1, -1])
    with pytest.raises(InputError, match=r"crp_mg_dl = -0\.5"):
        sdai(1, 1, 1, 1, -0.5)
    with pytest.raises(InputError, match=r"crp_mg_dl = True is a boolean"):
        sdai(1, 1, 1, 1, True)
    with pytest.raises(InputError, match=r"tjc28 = 3\.5"):
        cdai(3.5, 1, 1, 1)
    with pytest.raises(InputError, match=r"value = 'high'|score = 'high'"):
        cdai_activity("high")
    with pytest.raises(InputError, match=r"score = 80 is out of range; expected 0 to 76"):
        cdai_activity(80)
    with pytest.raises(TypeError, match="ptga_mm"):
        cdai(1, 1, ptga_mm=1, evga_cm=1)  # type: ignore[call-arg]
