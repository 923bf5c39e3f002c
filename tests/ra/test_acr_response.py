"""Tests of the ACR20/50/70 improvement criteria.

Felson DT et al. Arthritis Rheum 1995;38:727-735 (ACR20) and 1998;41:1564-1570
(ACR50, ACR70): at least X % improvement in the tender and the swollen joint
counts and in at least 3 of patient global, physician global, pain, HAQ-DI
and acute-phase reactant.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from clinscores import InputError
from clinscores.ra import AcrResponse, acr_response

BASE: dict[str, Any] = {
    "tjc28": 10,
    "sjc28": 10,
    "ptga_mm": 50,
    "evga_mm": 50,
    "pain_mm": 50,
    "haq_di": 2.0,
    "crp_mg_l": 20.0,
}


def at(percent: float) -> dict[str, Any]:
    """Every measure improved by *percent* % from BASE."""
    f = 1 - percent / 100
    return {k: (round(v * f) if k.startswith(("tjc", "sjc")) else v * f) for k, v in BASE.items()}


def test_hand_computed_levels() -> None:
    for percent, level in [(0, 0), (19, 0), (20, 20), (49, 20), (50, 50), (69, 50), (70, 70)]:
        r = acr_response(BASE, at(percent))
        assert r.level == level, percent
    r = acr_response(BASE, at(70))
    assert (r.acr20, r.acr50, r.acr70) == (True, True, True)
    assert r.joint_count == "28"
    assert r.improvement["tjc28"] == 70.0
    assert r.improvement["haq_di"] == pytest.approx(70.0)


def test_exactly_20_percent_from_both_sides() -> None:
    # 10 -> 8 joints is exactly 20 %; 10 -> 9 is 10 %
    cur = {**BASE, "tjc28": 8, "sjc28": 8, "ptga_mm": 40, "evga_mm": 40, "pain_mm": 40}
    assert acr_response(BASE, cur).acr20 is True
    assert acr_response(BASE, {**cur, "tjc28": 9}).acr20 is False
    assert acr_response(BASE, {**cur, "sjc28": 9}).acr20 is False
    # the third other measure exactly at 20 % (50 -> 40 mm) and just below (40.1 mm)
    assert acr_response(BASE, {**cur, "pain_mm": 40.1}).acr20 is False
    # 0.7 -> 0.56 mg/dL is exactly 20 % although 0.7 - 0.56 = 0.13999999999999999
    b = {**BASE, "pain_mm": 50}
    del b["crp_mg_l"]
    c = {**cur, "pain_mm": 50}
    del c["crp_mg_l"]
    b["crp_mg_dl"], c["crp_mg_dl"] = 0.7, 0.56
    r = acr_response(b, c)
    assert r.acr20 is True
    assert r.improvement["crp_mg_dl"] == pytest.approx(20.0)


def test_three_of_five_others() -> None:
    cur = {**BASE, "tjc28": 5, "sjc28": 5}  # joints 50 %
    assert acr_response(BASE, cur).level == 0  # no other measure improved
    two = {**cur, "ptga_mm": 25, "pain_mm": 25}
    assert acr_response(BASE, two).level == 0
    three = {**two, "crp_mg_l": 10.0}
    assert acr_response(BASE, three).level == 50


def test_68_66_joint_counts_are_named() -> None:
    b = {**BASE, "tjc68": 30, "sjc66": 20}
    del b["tjc28"], b["sjc28"]
    c = {**at(50), "tjc68": 15, "sjc66": 10}
    del c["tjc28"], c["sjc28"]
    r = acr_response(b, c)
    assert r.joint_count == "68/66"
    assert r.level == 50
    del b["sjc66"], c["sjc66"]
    with pytest.raises(InputError, match="mixed"):
        acr_response({**b, "sjc28": 3}, {**c, "sjc28": 3})  # tjc68 with sjc28


def test_baseline_zero_counts_as_not_improved() -> None:
    # a baseline of 0 cannot improve by a percentage: not improved, percent NaN
    r = acr_response({**BASE, "sjc28": 0}, {**at(70), "sjc28": 0})
    assert r.acr20 is False and r.level == 0
    assert math.isnan(r.improvement["sjc28"])
    # an acute-phase reactant of 0 at baseline: the other four still decide
    r = acr_response({**BASE, "crp_mg_l": 0.0}, {**at(50), "crp_mg_l": 0.0})
    assert r.level == 50
    r = acr_response(
        {**BASE, "crp_mg_l": 0.0}, {**at(50), "crp_mg_l": 0.0, "haq_di": 2.0, "pain_mm": 50}
    )
    assert r.level == 0  # only 2 of the others improved


def test_missing_is_unknown_only_when_it_matters() -> None:
    # joints missing: cannot be decided
    r = acr_response({**BASE, "tjc28": None}, at(50))
    assert r.acr20 is None and math.isnan(r.level)
    # one other measure missing, four others improved: still known
    r = acr_response({**BASE, "haq_di": None}, at(50))
    assert r.level == 50 and r.acr70 is False
    # two others missing and only two improved: unknown
    cur = {**at(50), "ptga_mm": 50}
    r = acr_response({**BASE, "haq_di": None, "crp_mg_l": None}, cur)
    assert r.acr20 is None
    # a measure not given at all is missing
    b = {k: v for k, v in BASE.items() if k != "haq_di"}
    c = {k: v for k, v in at(20).items() if k != "haq_di"}
    assert acr_response(b, c).level == 20
    # worse joint counts settle it whatever is missing
    r = acr_response({**BASE, "ptga_mm": None}, {**at(50), "tjc28": 12})
    assert r.acr20 is False and r.level == 0


def test_arrays() -> None:
    b = {**BASE, "tjc28": [10, 10, 10, 10, None]}
    c = {**at(50), "tjc28": [10, 8, 5, 3, 0]}
    r = acr_response(b, c)
    assert isinstance(r, AcrResponse)
    np.testing.assert_array_equal(r.level, [0, 20, 50, 50, np.nan])
    assert list(r.acr20) == [False, True, True, True, None]
    np.testing.assert_allclose(r.improvement["tjc28"], [0, 20, 50, 70, np.nan])
    np.testing.assert_allclose(r.improvement["sjc28"], [50.0] * 5)


def test_series_keep_their_index() -> None:
    pd = pytest.importorskip("pandas")
    idx = ["v1", "v2"]
    b = {k: pd.Series([v, v], index=idx) for k, v in BASE.items()}
    r = acr_response(b, at(50))
    assert list(r.level.index) == idx
    assert list(r.acr50) == [True, True]


@pytest.mark.parametrize(
    ("baseline", "current", "match"),
    [
        ({**BASE, "tjc28": 29}, BASE, r"^baseline\['tjc28'\] = 29"),
        (BASE, {**BASE, "ptga_mm": 101}, r"^current\['ptga_mm'\]"),
        (BASE, {**BASE, "haq_di": 3.5}, r"^current\['haq_di'\]"),
        (BASE, {**BASE, "crp_mg_l": -1}, r"^current\['crp_mg_l'\]"),
        (BASE, {**BASE, "sjc28": [1, 2, 30]}, r"^current\['sjc28'\]\[2\]"),
        (BASE, {**BASE, "tjc28": True}, r"^current\['tjc28'\]"),
        (BASE, {**BASE, "tjc28": "ten"}, r"^current\['tjc28'\]"),
        ({**BASE, "das28": 5}, BASE, r"das28.*not a core set measure"),
        ({**BASE, "esr": 30}, {**BASE, "esr": 20}, r"twice"),
        ({**BASE, "pain_cm": 5}, BASE, r"same measures"),
        ({}, {}, r"no core set measure"),
        ([1, 2], BASE, r"^baseline .*not a mapping"),
    ],
)
def test_bad_input(baseline: Any, current: Any, match: str) -> None:
    if "pain_cm" in baseline:
        del baseline["pain_mm"]
    with pytest.raises(InputError, match=match):
        acr_response(baseline, current)


def test_inputs_not_mutated() -> None:
    arr = np.array([10.0, 8.0])
    b = {**BASE, "tjc28": arr}
    before = dict(b)
    r = acr_response(b, at(20))
    assert b == before
    np.testing.assert_array_equal(arr, [10.0, 8.0])
    assert not np.shares_memory(r.improvement["tjc28"], arr)


# --------------------------------------------------------------------------
# properties
# --------------------------------------------------------------------------

LIMITS = {
    "tjc28": 28,
    "sjc28": 28,
    "ptga_mm": 100,
    "evga_mm": 100,
    "pain_mm": 100,
    "haq_di": 3,
    "crp_mg_l": 100,
}


def value(key: str) -> st.SearchStrategy[Any]:
    if key in ("tjc28", "sjc28"):
        return st.integers(min_value=0, max_value=28)
    if key == "haq_di":
        return st.integers(min_value=0, max_value=24).map(lambda k: k / 8)
    return st.integers(min_value=0, max_value=1000).map(lambda k: k * LIMITS[key] / 1000)


visits = st.fixed_dictionaries({k: st.one_of(st.none(), value(k)) for k in LIMITS})


@settings(max_examples=80, deadline=None)
@given(visits, visits, st.sampled_from(list(LIMITS)), st.integers(min_value=0, max_value=100))
def test_improving_a_component_never_lowers_the_level(
    b: dict[str, Any], c: dict[str, Any], key: str, cut: int
) -> None:
    r = acr_response(b, c)
    if c[key] is None:
        return
    better = {
        **c,
        key: type(c[key])(c[key] * cut // 100) if key in ("tjc28", "sjc28") else c[key] * cut / 100,
    }
    s = acr_response(b, better)
    for name in ("acr20", "acr50", "acr70"):
        if getattr(r, name) is True:
            assert getattr(s, name) is True
    if not (math.isnan(r.level) or math.isnan(s.level)):
        assert s.level >= r.level


@settings(max_examples=80, deadline=None)
@given(visits, visits)
def test_levels_nest_and_improvements_are_bounded(b: dict[str, Any], c: dict[str, Any]) -> None:
    r = acr_response(b, c)
    if r.acr70 is True:
        assert r.acr50 is True
    if r.acr50 is True:
        assert r.acr20 is True
    assert math.isnan(r.level) or r.level in (0, 20, 50, 70)
    for pct in r.improvement.values():
        assert math.isnan(pct) or pct <= 100.0


@settings(max_examples=30, deadline=None)
@given(st.lists(st.tuples(visits, visits), min_size=1, max_size=8))
def test_scalar_equals_array_row_by_row(rows: list[tuple[dict[str, Any], dict[str, Any]]]) -> None:
    b = {k: [r[0][k] for r in rows] for k in LIMITS}
    c = {k: [r[1][k] for r in rows] for k in LIMITS}
    out = acr_response(b, c)
    for i, (rb, rc) in enumerate(rows):
        one = acr_response(rb, rc)
        assert (out.acr20[i], out.acr50[i], out.acr70[i]) == (one.acr20, one.acr50, one.acr70)
        level = out.level[i]
        assert (math.isnan(level) and math.isnan(one.level)) or level == one.level
        for k in LIMITS:
            a, e = out.improvement[k][i], one.improvement[k]
            assert (math.isnan(a) and math.isnan(e)) or a == pytest.approx(e)
