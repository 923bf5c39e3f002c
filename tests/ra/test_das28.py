"""Tests of the DAS28 family (Prevoo 1995; das-score.nl formulae)."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from numpy.testing import assert_allclose

from clinscores import Activity, InputError, report
from clinscores.ra import (
    das28_activity,
    das28_contributions,
    das28_crp,
    das28_crp3,
    das28_esr,
    das28_esr3,
    das28_p,
)

joints = st.integers(0, 28)
vas = st.floats(0, 100)
esr_values = st.floats(1, 150)
crp_values = st.floats(0, 300)


# ---------------------------------------------------------------- worked examples
# Hand-computed with the published formulae, evaluated independently below with
# the math module (Prevoo 1995 for ESR; das-score.nl for CRP and 3-variable forms).
@pytest.mark.parametrize(
    ("args", "expected"),
    [
        # 0.56*sqrt(6) + 0.28*sqrt(4) + 0.70*ln(38) + 0.014*55
        ((6, 4, 38, 55), 0.56 * math.sqrt(6) + 0.56 + 0.70 * math.log(38) + 0.77),
        # all zero joints, ESR 1 (ln 1 = 0), PtGA 0: exactly 0
        ((0, 0, 1, 0), 0.0),
        # maximal joints: 0.84*sqrt(28) + 0.70*ln(100) + 1.4
        ((28, 28, 100, 100), 0.84 * math.sqrt(28) + 0.70 * math.log(100) + 1.4),
    ],
)
def test_das28_esr_hand_computed(args: tuple[float, ...], expected: float) -> None:
    assert das28_esr(*args) == pytest.approx(expected, abs=1e-12)


def test_das28_esr_worked_value_reported() -> None:
    # 1.371714... + 0.56 + 2.546313... + 0.77 = 5.248025 -> reported 5.25, high activity
    value = das28_esr(tjc28=6, sjc28=4, esr=38, ptga_mm=55)
    assert report(value, "das28") == 5.25
    assert das28_activity(value) is Activity.HIGH


def test_das28_crp_hand_computed() -> None:
    # 0.56*sqrt(6) + 0.28*2 + 0.36*ln(13) + 0.014*55 + 0.96
    expected = 0.56 * math.sqrt(6) + 0.56 + 0.36 * math.log(13) + 0.77 + 0.96
    assert das28_crp(6, 4, 12, 55) == pytest.approx(expected, abs=1e-12)
    # minimum of the CRP form is its constant 0.96 (das-score.nl)
    assert das28_crp(0, 0, 0, 0) == pytest.approx(0.96, abs=1e-15)


def test_three_variable_forms_hand_computed() -> None:
    j = 0.56 * math.sqrt(6) + 0.28 * 2
    assert das28_esr3(6, 4, 38) == pytest.approx((j + 0.70 * math.log(38)) * 1.08 + 0.16)
    assert das28_crp3(6, 4, 12) == pytest.approx((j + 0.36 * math.log(13)) * 1.10 + 1.15)
    # minima: the offsets (das-score.nl: 0.16 and 1.15)
    assert das28_esr3(0, 0, 1) == pytest.approx(0.16)
    assert das28_crp3(0, 0, 0) == pytest.approx(1.15)


# ---------------------------------------------------------------- categories
@pytest.mark.parametrize(
    ("score", "category"),
    [
        (2.594, Activity.REMISSION),  # reported 2.59 < 2.6
        (2.595, Activity.LOW),  # reported 2.60: not < 2.6
        (2.6, Activity.LOW),
        (3.2, Activity.LOW),  # <= 3.2
        (3.204999, Activity.LOW),  # reported 3.20
        (3.205, Activity.MODERATE),  # reported 3.21 (half-up, despite 3.205 < 3.205 in binary)
        (3.21, Activity.MODERATE),
        (5.1, Activity.MODERATE),
        (5.104, Activity.MODERATE),
        (5.105, Activity.HIGH),
        (5.11, Activity.HIGH),
        (0.0, Activity.REMISSION),
    ],
)
def test_das28_activity_boundaries(score: float, category: Activity) -> None:
    assert das28_activity(score) is category


def test_das28_activity_arrays_and_missing() -> None:
    out = das28_activity(np.array([2.0, 3.0, 4.0, 6.0, np.nan]))
    assert list(out) == ["remission", "low", "moderate", "high", None]
    assert das28_activity(None) is None
    assert das28_activity(float("nan")) is None


def test_activity_is_str_enum() -> None:
    assert Activity.HIGH == "high"
    assert das28_activity(6.0) == "high"


# ---------------------------------------------------------------- properties
@settings(max_examples=200, deadline=None)
@given(joints, joints, esr_values, vas)
def test_esr_range(t: int, s: int, e: float, p: float) -> None:
    x = das28_esr(t, s, e, p)
    assert 0.0 <= x <= 0.84 * math.sqrt(28) + 0.70 * math.log(150) + 1.4 + 1e-12


@settings(max_examples=200, deadline=None)
@given(joints, joints, crp_values, vas, st.sampled_from(["t", "s", "lab", "p"]))
def test_monotone_in_each_component(t: int, s: int, c: float, p: float, which: str) -> None:
    base = {"tjc28": t, "sjc28": s, "crp_mg_l": c, "ptga_mm": p}
    bumped = dict(base)
    if which == "t":
        bumped["tjc28"] = min(t + 1, 28)
    elif which == "s":
        bumped["sjc28"] = min(s + 1, 28)
    elif which == "lab":
        bumped["crp_mg_l"] = c + 1.0
    else:
        bumped["ptga_mm"] = min(p + 1.0, 100.0)
    assert das28_crp(**bumped) >= das28_crp(**base)
    esr_base = {"tjc28": t, "sjc28": s, "esr": c + 1.0, "ptga_mm": p}
    esr_bumped = {**esr_base, **{k: v for k, v in bumped.items() if k != "crp_mg_l"}}
    esr_bumped["esr"] = bumped["crp_mg_l"] + 1.0
    assert das28_esr(**esr_bumped) >= das28_esr(**esr_base)


@settings(max_examples=50, deadline=None)
@given(st.lists(st.tuples(joints, joints, esr_values, vas), min_size=1, max_size=30))
def test_scalar_and_array_agree(rows: list[tuple[int, int, float, float]]) -> None:
    t, s, e, p = (np.array(c) for c in zip(*rows))
    for fn, args in (
        (das28_esr, (t, s, e, p)),
        (das28_crp, (t, s, e, p)),
        (das28_esr3, (t, s, e)),
        (das28_crp3, (t, s, e)),
    ):
        arr = fn(*args)
        assert isinstance(arr, np.ndarray)
        for i, row in enumerate(zip(*args)):
            assert arr[i] == fn(*(v.item() for v in row))
    cats = das28_activity(das28_esr(t, s, e, p))
    assert list(cats) == [das28_activity(das28_esr(*r)) for r in rows]


@settings(max_examples=100, deadline=None)
@given(st.integers(0, 1000))
def test_category_agrees_with_reported_value(hundredths: int) -> None:
    x = hundredths / 100
    r = report(x, "das28")
    expected = (
        Activity.REMISSION
        if r < 2.6
        else Activity.LOW
        if r <= 3.2
        else Activity.MODERATE
        if r <= 5.1
        else Activity.HIGH
    )
    assert das28_activity(x) is expected


def test_large_array_blockwise_matches_bare_numpy() -> None:
    rng = np.random.default_rng(1)
    n = 200_003  # several blocks and a remainder
    t = rng.integers(0, 29, n)
    s = rng.integers(0, 29, n)
    e = rng.uniform(1, 120, n)
    p = rng.uniform(0, 100, n)
    bare = 0.56 * np.sqrt(t) + 0.28 * np.sqrt(s) + 0.70 * np.log(e) + 0.014 * p
    assert_allclose(das28_esr(t, s, e, p), bare, rtol=0, atol=1e-12)


def test_broadcasting_scalar_and_array() -> None:
    out = das28_esr([0, 4, 9], 0, 1, 0)
    assert_allclose(out, [0.0, 1.12, 1.68])


def test_series_in_series_out() -> None:
    idx = pd.Index(["p1", "p2"], name="patient")
    t = pd.Series([6, 0], index=idx)
    out = das28_esr(t, 4, pd.Series([38.0, 10.0], index=idx), 55)
    assert isinstance(out, pd.Series)
    assert out.index.equals(idx)
    assert out["p1"] == das28_esr(6, 4, 38, 55)
    cats = das28_activity(out)
    assert isinstance(cats, pd.Series)
    assert cats.index.equals(idx)


def test_series_with_different_indexes_is_an_error() -> None:
    with pytest.raises(InputError, match="different indexes"):
        das28_esr(pd.Series([1, 2], index=[0, 1]), pd.Series([1, 2], index=[1, 2]), 10, 10)


# ---------------------------------------------------------------- missing values
def test_missing_gives_nan_for_that_row_only() -> None:
    assert math.isnan(das28_esr(None, 4, 38, 55))
    assert math.isnan(das28_esr(6, 4, float("nan"), 55))
    out = das28_esr([6, None, 3], [4, 4, None], [38, 38, 38], [55, 55, 55])
    assert not math.isnan(out[0])
    assert math.isnan(out[1])
    assert math.isnan(out[2])
    pd_out = das28_crp(pd.Series([6, None], dtype="Int64"), 4, 10, 55)
    assert math.isnan(pd_out.iloc[1])


# ---------------------------------------------------------------- bad input
@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        (
            {"tjc28": -1},
            r"tjc28 = -1 is out of range; expected 0 to 28, whole number \(integer joint count\)",
        ),
        ({"tjc28": 29}, r"tjc28 = 29 is out of range; expected 0 to 28"),
        ({"tjc28": 2.5}, r"tjc28 = 2\.5 is out of range; expected 0 to 28, whole number \(integer"),
        ({"tjc28": True}, r"tjc28 = True is a boolean"),
        ({"tjc28": "6"}, r"tjc28 = '6' is not a number"),
        ({"sjc28": -1}, r"sjc28 = -1"),
        ({"sjc28": 40}, r"sjc28 = 40"),
        ({"sjc28": 1.5}, r"sjc28 = 1\.5"),
        ({"sjc28": False}, r"sjc28 = False is a boolean"),
        ({"sjc28": "x"}, r"sjc28 = 'x' is not a number"),
        (
            {"esr": 0},
            r"esr = 0 is out of range; expected at least 1 \(mm/h; ln\(ESR\) is undefined at 0",
        ),
        ({"esr": -3}, r"esr = -3"),
        ({"esr": math.inf}, r"esr = inf"),
        ({"esr": True}, r"esr = True is a boolean"),
        ({"esr": "38"}, r"esr = '38' is not a number"),
        ({"ptga_mm": -0.1}, r"ptga_mm = -0\.1 is out of range; expected 0 to 100"),
        ({"ptga_mm": 100.5}, r"ptga_mm = 100\.5"),
        ({"ptga_mm": True}, r"ptga_mm = True"),
        ({"ptga_mm": [1]}, None),  # a list is fine (array of one)
    ],
)
def test_bad_scalar_input(kwargs: dict[str, object], message: str | None) -> None:
    args: dict[str, object] = {"tjc28": 6, "sjc28": 4, "esr": 38, "ptga_mm": 55}
    args.update(kwargs)
    if message is None:
        das28_esr(**args)  # type: ignore[arg-type]
        return
    with pytest.raises(InputError, match=message):
        das28_esr(**args)  # type: ignore[arg-type]


def test_bad_array_input_names_index() -> None:
    msg = r"tjc28\[3\] = 40 is out of range; expected 0 to 28, whole number \(integer joint count\)"
    with pytest.raises(InputError, match=msg):
        das28_esr([1, 2, 3, 40], 0, 10, 10)
    with pytest.raises(InputError, match=r"esr\[1\] = 0\.0 is out of range; expected at least 1"):
        das28_esr([1, 2], 0, np.array([10.0, 0.0]), 10)
    with pytest.raises(InputError, match=r"sjc28\[1\] = 'a' is not a number"):
        das28_esr([1, 2], [1, "a"], 10, 10)
    with pytest.raises(InputError, match=r"tjc28\[0\] = True is a boolean"):
        das28_esr(np.array([True, False]), 0, 10, 10)
    with pytest.raises(InputError, match=r"crp_mg_l\[150000\] = -1\.0"):
        crp = np.zeros(200_000)
        crp[150_000] = -1.0
        das28_crp(0, 0, crp, 0)


def test_unknown_keyword_is_type_error() -> None:
    with pytest.raises(TypeError, match="esr_mm"):
        das28_esr(tjc28=1, sjc28=1, esr_mm=10, ptga_mm=10)  # type: ignore[call-arg]


def test_inputs_not_mutated_and_not_aliased() -> None:
    t = np.array([1, 2, 3])
    e = np.array([10.0, np.nan, 30.0])
    t0, e0 = t.copy(), e.copy()
    out = das28_esr(t, 1, e, 10)
    assert np.array_equal(t, t0)
    assert np.array_equal(e, e0, equal_nan=True)
    assert not np.shares_memory(out, e)
    lst = [1, 2, None]
    das28_esr(lst, 1, 10, 10)
    assert lst == [1, 2, None]


# ---------------------------------------------------------------- contributions
def test_contributions_sum_to_one_and_values() -> None:
    shares = das28_contributions(6, 4, 55, esr=38)
    assert set(shares) == {"tjc28", "sjc28", "esr", "ptga_mm"}
    assert sum(shares.values()) == pytest.approx(1.0)
    total = das28_esr(6, 4, 38, 55)
    assert shares["ptga_mm"] == pytest.approx(0.77 / total)
    crp = das28_contributions(6, 4, 55, crp_mg_l=12)
    assert set(crp) == {"tjc28", "sjc28", "crp_mg_l", "ptga_mm", "constant"}
    assert sum(crp.values()) == pytest.approx(1.0)


def test_das28_p() -> None:
    # (0.56*sqrt(6) + 0.014*55) / DAS28-ESR (McWilliams 2012 definition)
    expected = (0.56 * math.sqrt(6) + 0.77) / das28_esr(6, 4, 38, 55)
    assert das28_p(6, 4, 55, esr=38) == pytest.approx(expected)
    arr = das28_p([6, 0], [4, 4], [55, 0], esr=[38, 38])
    assert arr[1] == 0.0
    with pytest.raises(InputError, match="exactly one of esr"):
        das28_p(6, 4, 55)
    with pytest.raises(InputError, match="exactly one of esr"):
        das28_p(6, 4, 55, esr=38, crp_mg_l=3)


@settings(max_examples=100, deadline=None)
@given(joints, joints, esr_values, vas)
def test_das28_p_is_a_fraction(t: int, s: int, e: float, p: float) -> None:
    x = das28_p(t, s, p, esr=e)
    assert math.isnan(x) or -1e-12 <= x <= 1 + 1e-12
