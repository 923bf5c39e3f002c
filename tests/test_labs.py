"""Tests of clinscores.labs: Cockcroft-Gault, multiples of ULN, unit conversions.

Cockcroft DW, Gault MH. Nephron 1976;16:31-41: CrCl = (140 - age) x weight /
(72 x Scr[mg/dL]), 15 % less in females. Conversion factors: Young DS, Ann
Intern Med 1987;106:114-129 (creatinine 88.4, bilirubin 17.1 umol/L per mg/dL).
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from numpy.testing import assert_allclose

from clinscores._core import REPORT_DECIMALS, Domain, InputError, report
from clinscores.labs import (
    bilirubin_mg_dl_to_umol_l,
    bilirubin_umol_l_to_mg_dl,
    cockcroft_gault,
    creatinine_mg_dl_to_umol_l,
    creatinine_umol_l_to_mg_dl,
    hemoglobin_g_dl_to_g_l,
    hemoglobin_g_l_to_g_dl,
    reconcile,
    times_uln,
)

# ---------------------------------------------------------------------------
# Cockcroft-Gault: hand-computed worked examples
# ---------------------------------------------------------------------------


def test_cg_male_worked_example() -> None:
    # (140 - 60) * 80 / (72 * 1.2) = 6400 / 86.4 = 74.074074...
    value = cockcroft_gault(age=60, weight_kg=80, female=False, creatinine_mg_dl=1.2)
    assert isinstance(value, float)
    assert_allclose(value, 6400 / 86.4, rtol=1e-12)
    assert report(value, "cockcroft_gault") == 74.1


def test_cg_female_worked_example() -> None:
    # (140 - 45) * 65 / (72 * 0.9) * 0.85 = 6175 / 64.8 * 0.85 = 80.999228...
    value = cockcroft_gault(age=45, weight_kg=65, female=True, creatinine_mg_dl=0.9)
    assert_allclose(value, 6175 / 64.8 * 0.85, rtol=1e-12)
    assert_allclose(value, 80.99922839506173, rtol=1e-12)
    assert report(value, "cockcroft_gault") == 81.0


def test_cg_si_units_worked_example() -> None:
    # 88.4 umol/L = 1 mg/dL: (140 - 30) * 70 / 72 = 106.9444...
    value = cockcroft_gault(age=30, weight_kg=70, female=False, creatinine_umol_l=88.4)
    assert_allclose(value, 110 * 70 / 72, rtol=1e-12)


def test_cg_without_creatinine_is_a_type_error() -> None:
    with pytest.raises(TypeError, match="creatinine_mg_dl or creatinine_umol_l"):
        cockcroft_gault(age=60, weight_kg=80, female=False)
    # None given explicitly is a missing value
    assert math.isnan(cockcroft_gault(age=60, weight_kg=80, female=False, creatinine_mg_dl=None))
    assert math.isnan(cockcroft_gault(age=60, weight_kg=80, female=False, creatinine_umol_l=None))


def test_cg_positional_order() -> None:
    assert_allclose(cockcroft_gault(60, 80, False, 1.2), 6400 / 86.4, rtol=1e-12)


def test_cg_both_units_agreeing_within_rounding() -> None:
    # 106 umol/L is 1.199 mg/dL; the mg/dL value is used when both agree
    both = cockcroft_gault(60, 80, False, creatinine_mg_dl=1.2, creatinine_umol_l=106)
    assert_allclose(both, 6400 / 86.4, rtol=1e-12)
    # one-decimal mg/dL report of 40 umol/L (0.45 mg/dL) is 0.5: still agrees
    cockcroft_gault(60, 80, False, creatinine_mg_dl=0.5, creatinine_umol_l=40)


def test_cg_both_units_disagreeing_names_both() -> None:
    with pytest.raises(InputError, match=r"creatinine_umol_l = 150.0 and creatinine_mg_dl = 1.2"):
        cockcroft_gault(60, 80, False, creatinine_mg_dl=1.2, creatinine_umol_l=150)


def test_cg_both_units_disagreeing_in_array_names_index() -> None:
    with pytest.raises(InputError, match=r"creatinine_umol_l\[1\].*creatinine_mg_dl\[1\]"):
        cockcroft_gault(
            [60, 60], [80, 80], [False, False],
            creatinine_mg_dl=[1.2, 1.2], creatinine_umol_l=[106, 200],
        )  # fmt: skip


def test_cg_units_mixed_per_row() -> None:
    out = cockcroft_gault(
        [60, 30, 60], [80, 70, 80], [False, False, True],
        creatinine_mg_dl=np.array([1.2, np.nan, np.nan]),
        creatinine_umol_l=np.array([np.nan, 88.4, np.nan]),
    )  # fmt: skip
    assert_allclose(out[:2], [6400 / 86.4, 110 * 70 / 72], rtol=1e-12)
    assert math.isnan(out[2])  # creatinine missing in both units


def test_cg_no_creatinine_is_missing_not_zero() -> None:
    assert math.isnan(cockcroft_gault(60, 80, False, None))


@pytest.mark.parametrize("field", ["age", "weight_kg", "female", "creatinine_mg_dl"])
@pytest.mark.parametrize("missing", [None, math.nan])
def test_cg_missing_gives_nan(field: str, missing: object) -> None:
    args: dict[str, Any] = dict(age=60, weight_kg=80, female=False, creatinine_mg_dl=1.2)
    args[field] = missing
    assert math.isnan(cockcroft_gault(**args))


# ---------------------------------------------------------------------------
# Cockcroft-Gault: properties
# ---------------------------------------------------------------------------

ages = st.floats(min_value=18, max_value=120)
weights = st.floats(min_value=20, max_value=400)
scrs = st.floats(min_value=0.1, max_value=20)


@settings(max_examples=100, deadline=None)
@given(ages, weights, scrs)
def test_cg_female_is_085_of_male(age: float, weight: float, scr: float) -> None:
    m = cockcroft_gault(age, weight, False, creatinine_mg_dl=scr)
    f = cockcroft_gault(age, weight, True, creatinine_mg_dl=scr)
    assert_allclose(f, 0.85 * m, rtol=1e-12)


@settings(max_examples=100, deadline=None)
@given(ages, ages, weights, scrs)
def test_cg_decreases_with_age(a1: float, a2: float, weight: float, scr: float) -> None:
    lo, hi = sorted((a1, a2))
    assert cockcroft_gault(lo, weight, False, scr) >= cockcroft_gault(hi, weight, False, scr)


@settings(max_examples=100, deadline=None)
@given(ages, weights, scrs, scrs)
def test_cg_decreases_with_creatinine(age: float, weight: float, s1: float, s2: float) -> None:
    lo, hi = sorted((s1, s2))
    assert cockcroft_gault(age, weight, True, lo) >= cockcroft_gault(age, weight, True, hi)


@settings(max_examples=100, deadline=None)
@given(ages, weights, scrs)
def test_cg_proportional_to_weight(age: float, weight: float, scr: float) -> None:
    if weight * 2 <= 400:
        assert_allclose(
            cockcroft_gault(age, 2 * weight, False, scr),
            2 * cockcroft_gault(age, weight, False, scr),
            rtol=1e-12,
        )


@settings(max_examples=100, deadline=None)
@given(ages, weights, scrs)
def test_cg_units_agree(age: float, weight: float, scr: float) -> None:
    a = cockcroft_gault(age, weight, False, creatinine_mg_dl=scr)
    b = cockcroft_gault(age, weight, False, creatinine_umol_l=scr * 88.4)
    assert_allclose(a, b, rtol=1e-12)


@settings(max_examples=30, deadline=None)
@given(st.lists(st.tuples(ages, weights, st.booleans(), scrs), min_size=1, max_size=20))
def test_cg_arrays_agree_with_scalars(rows: list[tuple[float, float, bool, float]]) -> None:
    age, weight, female, scr = (list(c) for c in zip(*rows))
    out = cockcroft_gault(age, weight, female, creatinine_mg_dl=scr)
    assert isinstance(out, np.ndarray)
    expected = [cockcroft_gault(*r) for r in rows]
    assert_allclose(out, expected, rtol=1e-12)


# ---------------------------------------------------------------------------
# Cockcroft-Gault: bad input
# ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("field", "bad"),
    [
        ("age", 17),
        ("age", 121),
        ("age", "sixty"),
        ("age", True),
        ("weight_kg", 19.9),
        ("weight_kg", 401),
        ("weight_kg", math.inf),
        ("female", 2),
        ("female", "F"),
        ("creatinine_mg_dl", 0),
        ("creatinine_mg_dl", -1.0),
        ("creatinine_umol_l", 0),
        ("creatinine_umol_l", "high"),
    ],
)
def test_cg_bad_input_names_field(field: str, bad: object) -> None:
    args: dict[str, Any] = dict(age=60, weight_kg=80, female=False)
    if not field.startswith("creatinine"):
        args["creatinine_mg_dl"] = 1.0
    args[field] = bad
    with pytest.raises(InputError, match=field):
        cockcroft_gault(**args)


def test_cg_array_error_names_index() -> None:
    with pytest.raises(InputError, match=r"age\[2\] = 12"):
        cockcroft_gault([60, 70, 12], 80, False, creatinine_mg_dl=1.0)


def test_cg_inputs_not_mutated() -> None:
    age = np.array([60.0, 70.0])
    scr = np.array([100.0, np.nan])
    mg = np.array([np.nan, 1.0])
    copies = age.copy(), scr.copy(), mg.copy()
    out = cockcroft_gault(age, 80, False, creatinine_mg_dl=mg, creatinine_umol_l=scr)
    for orig, copy in zip((age, scr, mg), copies):
        np.testing.assert_array_equal(orig, copy)
        assert not np.shares_memory(out, orig)


def test_cg_series_keeps_index() -> None:
    pd = pytest.importorskip("pandas")
    idx = [10, 20]
    out = cockcroft_gault(
        pd.Series([60, 45], index=idx),
        pd.Series([80, 65], index=idx),
        pd.Series([False, True], index=idx),
        creatinine_mg_dl=pd.Series([1.2, 0.9], index=idx),
    )
    assert list(out.index) == idx
    assert_allclose(out.to_numpy(), [6400 / 86.4, 6175 / 64.8 * 0.85], rtol=1e-12)


def test_cg_reported_precision_registered() -> None:
    assert REPORT_DECIMALS["cockcroft_gault"] == 1


# ---------------------------------------------------------------------------
# times_uln
# ---------------------------------------------------------------------------


def test_times_uln_examples() -> None:
    assert times_uln(120, 40) == 3.0
    assert times_uln(0, 40) == 0.0
    missing: Any = [20, 60, None]
    assert_allclose(times_uln(missing, 40), np.array([0.5, 1.5, math.nan]))


@pytest.mark.parametrize(("field", "kwargs"), [
    ("uln", dict(value=10, uln=0)),
    ("uln", dict(value=10, uln=-5)),
    ("value", dict(value=-1, uln=40)),
    ("value", dict(value="high", uln=40)),
])  # fmt: skip
def test_times_uln_bad_input(field: str, kwargs: dict[str, Any]) -> None:
    with pytest.raises(InputError, match=field):
        times_uln(**kwargs)


@settings(max_examples=100, deadline=None)
@given(st.floats(0, 1e4), st.floats(0.01, 1e3))
def test_times_uln_scales(value: float, uln: float) -> None:
    assert_allclose(times_uln(value, uln) * uln, value, rtol=1e-12, atol=1e-12)


# ---------------------------------------------------------------------------
# unit conversions
# ---------------------------------------------------------------------------


def test_conversion_factors() -> None:
    assert_allclose(creatinine_mg_dl_to_umol_l(1.0), 88.4)
    assert_allclose(creatinine_umol_l_to_mg_dl(88.4), 1.0)
    assert_allclose(creatinine_umol_l_to_mg_dl(106), 1.19909502, rtol=1e-8)
    assert hemoglobin_g_dl_to_g_l(12.5) == 125.0
    assert hemoglobin_g_l_to_g_dl(95) == 9.5
    assert_allclose(bilirubin_mg_dl_to_umol_l(1.0), 17.1)
    assert_allclose(bilirubin_umol_l_to_mg_dl(34.2), 2.0)


PAIRS = [
    (creatinine_mg_dl_to_umol_l, creatinine_umol_l_to_mg_dl),
    (hemoglobin_g_dl_to_g_l, hemoglobin_g_l_to_g_dl),
    (bilirubin_mg_dl_to_umol_l, bilirubin_umol_l_to_mg_dl),
]


@pytest.mark.parametrize(("forward", "backward"), PAIRS)
@settings(max_examples=50, deadline=None)
@given(x=st.one_of(st.just(0.0), st.floats(min_value=1e-6, max_value=1e4)))
def test_round_trip(forward, backward, x: float) -> None:  # type: ignore[no-untyped-def]
    assert_allclose(backward(forward(x)), x, rtol=1e-12, atol=0)
    assert_allclose(forward(backward(x)), x, rtol=1e-12, atol=0)


@pytest.mark.parametrize(("forward", "backward"), PAIRS)
def test_conversions_vectorised_and_missing(forward, backward) -> None:  # type: ignore[no-untyped-def]
    out = forward([1.0, None, 2.0])
    assert isinstance(out, np.ndarray)
    assert math.isnan(out[1])
    assert_allclose(backward(out)[[0, 2]], [1.0, 2.0], rtol=1e-12)
    assert math.isnan(forward(None))


@pytest.mark.parametrize(
    ("function", "field"),
    [
        (creatinine_mg_dl_to_umol_l, "creatinine_mg_dl"),
        (creatinine_umol_l_to_mg_dl, "creatinine_umol_l"),
        (hemoglobin_g_dl_to_g_l, "hemoglobin_g_dl"),
        (hemoglobin_g_l_to_g_dl, "hemoglobin_g_l"),
        (bilirubin_mg_dl_to_umol_l, "bilirubin_mg_dl"),
        (bilirubin_umol_l_to_mg_dl, "bilirubin_umol_l"),
    ],
)
@pytest.mark.parametrize("bad", [-0.1, "1.0", math.inf, True])
def test_conversion_bad_input_names_field(function, field: str, bad: object) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(InputError, match=field):
        function(bad)


# ---------------------------------------------------------------------------
# reconcile
# ---------------------------------------------------------------------------

POSITIVE = Domain(0, math.inf, "g/L", lo_open=True)


def _hb(a: Any, b: Any) -> Any:
    return reconcile(
        "hemoglobin_g_dl", a, "hemoglobin_g_l", b, hemoglobin_g_dl_to_g_l,
        rel_tol=0.0, abs_tol=0.5, domain_a=POSITIVE, domain_b=POSITIVE,
    )  # fmt: skip


def test_reconcile_either_unit() -> None:
    assert _hb(12.5, None) == 125.0
    assert _hb(None, 125.0) == 125.0
    assert _hb(12.5, 125.4) == 125.4  # agree within abs_tol: the unit-b value is kept
    assert math.isnan(_hb(None, None))


def test_reconcile_disagreement_names_both() -> None:
    with pytest.raises(InputError, match=r"hemoglobin_g_dl = 12.5 and hemoglobin_g_l = 100.0"):
        _hb(12.5, 100.0)


def test_reconcile_domain_error_names_field() -> None:
    with pytest.raises(InputError, match="hemoglobin_g_dl"):
        _hb(-1, None)
    with pytest.raises(InputError, match="hemoglobin_g_l"):
        _hb(None, 0)


def test_reconcile_arrays_per_row() -> None:
    out = _hb([12.5, None, 9.0, None], [None, 80.0, 90.2, None])
    assert_allclose(out[:3], [125.0, 80.0, 90.2])
    assert math.isnan(out[3])
    with pytest.raises(InputError, match=r"hemoglobin_g_dl\[1\] = 9.0"):
        _hb([12.5, 9.0], [125.0, 120.0])


def test_reconcile_positional_tolerance_and_bad_tolerance() -> None:
    assert reconcile("a_g_dl", 1.0, "b_g_l", None, hemoglobin_g_dl_to_g_l, 0.01) == 10.0
    with pytest.raises(InputError, match="rel_tol"):
        reconcile("a_g_dl", 1.0, "b_g_l", None, hemoglobin_g_dl_to_g_l, -0.1)


def test_cg_large_arrays_cross_block_boundary() -> None:
    # more rows than one evaluation block (65536), with a bad value near the end
    n = 70_000
    age = np.full(n, 60.0)
    umol = np.full(n, 106.08)  # 1.2 mg/dL
    out = cockcroft_gault(age, 80.0, False, creatinine_umol_l=umol)
    assert out.shape == (n,)
    assert_allclose(out, 6400 / 86.4, rtol=1e-12)
    age[n - 3] = 150.0
    with pytest.raises(InputError, match=rf"age\[{n - 3}\] = 150"):
        cockcroft_gault(age, 80.0, False, creatinine_umol_l=umol)
    mg = np.full(n, 1.2)
    mg[n - 2] = 2.0
    with pytest.raises(InputError, match=rf"creatinine_umol_l\[{n - 2}\]"):
        cockcroft_gault(60, 80.0, False, creatinine_umol_l=umol, creatinine_mg_dl=mg)
