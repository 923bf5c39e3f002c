"""Tests of the ESSDAI, its activity states, MCII and laboratory helpers."""

from __future__ import annotations

import functools
import math
import re

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from clinscores import Activity, InputError, report
from clinscores.pss.essdai import (
    ESSDAI_LEVELS,
    ESSDAI_MAX,
    ESSDAI_WEIGHTS,
    essdai_activity,
    essdai_biological_level,
    essdai_hematological_level,
    essdai_mcii,
)
from clinscores.pss.essdai import (
    essdai as _essdai,
)

# The tests below give only the items they are about.  Since an omitted item
# is no longer taken as absent (it raises TypeError), they say what the rest
# are, as the old default did; test_omitted_items.py tests the rule itself.
essdai = functools.partial(_essdai, others=0)

# Seror R et al. Ann Rheum Dis 2010;69:1103-1109, Table 3: domain [weight].
PUBLISHED_WEIGHTS = {
    "constitutional": 3,
    "lymphadenopathy": 4,
    "glandular": 2,
    "articular": 2,
    "cutaneous": 3,
    "pulmonary": 5,
    "renal": 5,
    "muscular": 6,
    "peripheral_nervous_system": 5,
    "central_nervous_system": 5,
    "hematological": 2,
    "biological": 1,
}
# Same table: constitutional, glandular, biological have no "high" level;
# the CNS domain has no "low" level.
PUBLISHED_LEVELS = {d: (0, 1, 2, 3) for d in PUBLISHED_WEIGHTS}
PUBLISHED_LEVELS.update(
    constitutional=(0, 1, 2),
    glandular=(0, 1, 2),
    biological=(0, 1, 2),
    central_nervous_system=(0, 2, 3),
)
NAMES = ("no", "low", "moderate", "high")


def test_weight_and_level_tables_match_publication() -> None:
    assert dict(ESSDAI_WEIGHTS) == PUBLISHED_WEIGHTS
    assert dict(ESSDAI_LEVELS) == PUBLISHED_LEVELS
    # every domain at its highest level: the published maximum of 123
    assert ESSDAI_MAX == 123
    assert essdai(**{d: max(lv) for d, lv in PUBLISHED_LEVELS.items()}) == 123


@pytest.mark.parametrize(
    ("domain", "level"),
    [(d, lv) for d, levels in PUBLISHED_LEVELS.items() for lv in levels],
)
def test_each_domain_level_alone(domain: str, level: int) -> None:
    expected = PUBLISHED_WEIGHTS[domain] * level
    assert essdai(**{domain: level}) == expected
    assert essdai(**{domain: NAMES[level]}) == expected


def test_points_printed_per_level() -> None:
    # Points per level as printed in an Ann Rheum Dis table "The ESSDAI:
    # domain and item definitions and scores" (ard.bmj.com, highwire markup
    # 194094): constitutional low 3 / moderate 6, lymphadenopathy 4/8/12,
    # glandular 2/4, articular 2/4/6, cutaneous 3/6/9.
    printed = {
        "constitutional": (3, 6),
        "lymphadenopathy": (4, 8, 12),
        "glandular": (2, 4),
        "articular": (2, 4, 6),
        "cutaneous": (3, 6, 9),
    }
    for domain, pts in printed.items():
        got = tuple(essdai(**{domain: lv}) for lv in range(1, len(pts) + 1))
        assert got == pts


def test_hand_computed_example() -> None:
    # articular moderate (2 x 2) + haematological high (2 x 3) + biological
    # low (1 x 1) = 4 + 6 + 1 = 11 (weights of Seror 2010, Table 3).
    assert essdai(articular="moderate", hematological="high", biological=1) == 11
    assert isinstance(essdai(articular=2), int)


def test_trial_thrombocytopenia_example() -> None:
    # NCT07052565 inclusion (8): pSS with platelets < 30 x10^9/L and
    # ESSDAI >= 5.  Autoimmune platelets 25 x10^9/L -> haematological high
    # (platelets < 50 000/mm3) -> 2 x 3 = 6 points -> moderate activity.
    level = essdai_hematological_level(
        neutrophils_1e9_l=2.5,
        hemoglobin_g_dl=13.0,
        platelets_1e9_l=25,
        lymphocytes_1e9_l=1.5,
        autoimmune=True,
    )
    assert level == 3
    score = essdai(hematological=level)
    assert score == 6
    assert essdai_activity(score) == Activity.MODERATE


def test_empty_call_is_zero() -> None:
    assert essdai() == 0


def test_missing_domain_gives_nan() -> None:
    assert math.isnan(essdai(renal=None))
    assert math.isnan(essdai(renal=float("nan"), articular=2))
    out = essdai(renal=[0, None, 3], articular=[1, 1, np.nan])
    np.testing.assert_array_equal(out, [2.0, np.nan, np.nan])


def test_arrays_of_strings_ints_and_mixed() -> None:
    expected = np.array([0.0, 5.0, 10.0, 15.0])
    np.testing.assert_array_equal(essdai(renal=[0, 1, 2, 3]), expected)
    np.testing.assert_array_equal(essdai(renal=["no", "low", "moderate", "high"]), expected)
    np.testing.assert_array_equal(
        essdai(renal=np.array(["no", "low", "moderate", "high"])), expected
    )
    np.testing.assert_array_equal(essdai(renal=["no", 1, "moderate", 3]), expected)
    out = essdai(renal=(0, 3), cutaneous=1)  # scalar broadcasts over rows
    np.testing.assert_array_equal(out, [3.0, 18.0])


def test_pandas_series_keeps_index() -> None:
    pd = pytest.importorskip("pandas")
    renal = pd.Series(["no", "high", None], index=["a", "b", "c"])
    bio = pd.Series([1, 2, 0], index=["a", "b", "c"])
    out = essdai(renal=renal, biological=bio)
    assert list(out.index) == ["a", "b", "c"]
    np.testing.assert_array_equal(out.to_numpy(), [1.0, 17.0, np.nan])
    typed = pd.Series(["low", None], index=["a", "b"], dtype="string")
    np.testing.assert_array_equal(essdai(renal=typed).to_numpy(), [5.0, np.nan])


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"constitutional": "high"}, "constitutional"),
        ({"constitutional": 3}, "constitutional"),
        ({"glandular": 3}, "glandular"),
        ({"biological": "high"}, "biological"),
        ({"central_nervous_system": 1}, "central_nervous_system"),
        ({"central_nervous_system": "low"}, "central_nervous_system"),
        ({"central_nervous_system": [0, 2, 1]}, "central_nervous_system[2]"),
        ({"central_nervous_system": ["no", "low"]}, "central_nervous_system[1]"),
        ({"central_nervous_system": np.array([3, 1])}, "central_nervous_system[1]"),
        ({"renal": "severe"}, "renal"),
        ({"renal": "High"}, "renal"),
        ({"renal": -1}, "renal"),
        ({"renal": 4}, "renal"),
        ({"renal": 1.5}, "renal"),
        ({"renal": True}, "renal"),
        ({"renal": [0, 5]}, "renal[1]"),
        ({"renal": ["no", "extreme"]}, "renal[1]"),
        ({"renal": object()}, "renal"),
    ],
)
def test_bad_levels_raise_naming_the_domain(kwargs: dict[str, object], field: str) -> None:
    with pytest.raises(InputError, match="^" + re.escape(field)):
        essdai(**kwargs)  # type: ignore[arg-type]


def test_unknown_keyword_is_type_error() -> None:
    with pytest.raises(TypeError, match="hematologic"):
        essdai(hematologic=1)


def test_inputs_not_mutated() -> None:
    renal = np.array([0, 1, 2, 3])
    labels = ["no", "low", "moderate", "high"]
    cns = np.array([0.0, 2.0, np.nan, 3.0])
    out = essdai(renal=renal, pulmonary=labels, central_nervous_system=cns)
    np.testing.assert_array_equal(renal, [0, 1, 2, 3])
    assert labels == ["no", "low", "moderate", "high"]
    np.testing.assert_array_equal(cns, [0.0, 2.0, np.nan, 3.0])
    assert not np.shares_memory(out, renal)
    assert not np.shares_memory(out, cns)


level_dicts = st.fixed_dictionaries(
    {},
    optional={d: st.sampled_from(levels) for d, levels in PUBLISHED_LEVELS.items()},
)


@settings(max_examples=100, deadline=None)
@given(level_dicts)
def test_score_is_weighted_sum_and_names_agree(levels: dict[str, int]) -> None:
    expected = sum(PUBLISHED_WEIGHTS[d] * lv for d, lv in levels.items())
    assert essdai(**levels) == expected
    assert essdai(**{d: NAMES[lv] for d, lv in levels.items()}) == expected
    assert 0 <= expected <= 123


@settings(max_examples=50, deadline=None)
@given(st.lists(level_dicts, min_size=1, max_size=8))
def test_scalar_and_array_agree(rows: list[dict[str, int]]) -> None:
    arrays = {d: [row.get(d, 0) for row in rows] for d in PUBLISHED_WEIGHTS}
    out = essdai(**arrays)
    assert out.dtype == np.float64
    np.testing.assert_array_equal(out, [essdai(**row) for row in rows])


@settings(max_examples=50, deadline=None)
@given(level_dicts, st.sampled_from(sorted(PUBLISHED_LEVELS)))
def test_monotone_in_each_domain(levels: dict[str, int], domain: str) -> None:
    scores = [essdai(**{**levels, domain: lv}) for lv in PUBLISHED_LEVELS[domain]]
    assert scores == sorted(scores)


# ---------------------------------------------------------------- activity


@pytest.mark.parametrize(
    ("score", "state"),
    [
        (0, Activity.LOW),
        (4, Activity.LOW),  # Seror 2016: low < 5
        (5, Activity.MODERATE),  # 5 <= moderate <= 13
        (13, Activity.MODERATE),
        (14, Activity.HIGH),  # high >= 14
        (123, Activity.HIGH),
    ],
)
def test_activity_cut_offs(score: int, state: Activity) -> None:
    assert essdai_activity(score) == state


def test_activity_arrays_and_missing() -> None:
    assert essdai_activity(None) is None
    out = essdai_activity([4, 5, 13, 14, None])
    assert list(out) == [Activity.LOW, Activity.MODERATE, Activity.MODERATE, Activity.HIGH, None]
    assert essdai_activity(14) == "high"


@pytest.mark.parametrize("bad", [-1, 124, 4.5, True, "high"])
def test_activity_rejects_non_scores(bad: object) -> None:
    with pytest.raises(InputError, match=r"^score"):
        essdai_activity(bad)  # type: ignore[arg-type]


def test_report_is_exact_integer() -> None:
    assert report(essdai(renal=2), "essdai") == 10


# -------------------------------------------------------------------- MCII


def test_mcii() -> None:
    # Seror 2016: MCII = improvement of at least 3 points.
    assert essdai_mcii(12, 9) is True
    assert essdai_mcii(12, 10) is False
    assert essdai_mcii(5, 8) is False
    assert essdai_mcii(None, 3) is None
    out = essdai_mcii([12, 12, 12, None], [9, 10, None, 0])
    assert list(out) == [True, False, None, None]
    with pytest.raises(InputError, match=r"^current"):
        essdai_mcii(10, 130)


# ---------------------------------------------------------- haematological


def _hem(**kw: object) -> object:
    args = {
        "neutrophils_1e9_l": 3.0,
        "hemoglobin_g_dl": 13.5,
        "platelets_1e9_l": 250.0,
        "lymphocytes_1e9_l": 2.0,
        "autoimmune": True,
    }
    args.update(kw)
    return essdai_hematological_level(**args)


@pytest.mark.parametrize(
    ("field", "value", "level"),
    [
        # neutrophils (x10^9/L; table in /mm3): low 1000<N<1500,
        # moderate 500<=N<=1000, high <500
        ("neutrophils_1e9_l", 1.5, 0),
        ("neutrophils_1e9_l", 1.49, 1),
        ("neutrophils_1e9_l", 1.01, 1),
        ("neutrophils_1e9_l", 1.0, 2),
        ("neutrophils_1e9_l", 0.5, 2),
        ("neutrophils_1e9_l", 0.49, 3),
        # haemoglobin g/dL: low 10<Hb<12, moderate 8<=Hb<=10, high <8
        ("hemoglobin_g_dl", 12.0, 0),
        ("hemoglobin_g_dl", 11.9, 1),
        ("hemoglobin_g_dl", 10.1, 1),
        ("hemoglobin_g_dl", 10.0, 2),
        ("hemoglobin_g_dl", 8.0, 2),
        ("hemoglobin_g_dl", 7.9, 3),
        # platelets x10^9/L: low 100<P<150, moderate 50<=P<=100, high <50
        ("platelets_1e9_l", 150, 0),
        ("platelets_1e9_l", 149, 1),
        ("platelets_1e9_l", 101, 1),
        ("platelets_1e9_l", 100, 2),
        ("platelets_1e9_l", 50, 2),
        ("platelets_1e9_l", 49, 3),
        ("platelets_1e9_l", 25, 3),
        ("platelets_1e9_l", 0, 3),
        # lymphocytes: low 500<L<1000, moderate <=500, no high level
        ("lymphocytes_1e9_l", 1.0, 0),
        ("lymphocytes_1e9_l", 0.99, 1),
        ("lymphocytes_1e9_l", 0.51, 1),
        ("lymphocytes_1e9_l", 0.5, 2),
        ("lymphocytes_1e9_l", 0.0, 2),
    ],
)
def test_hematological_boundaries(field: str, value: float, level: int) -> None:
    assert _hem(**{field: value}) == level


def test_hematological_highest_count_wins_and_origin() -> None:
    assert _hem(neutrophils_1e9_l=1.2, hemoglobin_g_dl=9.0, lymphocytes_1e9_l=0.8) == 2
    assert _hem(platelets_1e9_l=25, autoimmune=False) == 0  # not autoimmune: not rated
    assert _hem(autoimmune=False, neutrophils_1e9_l=None) == 0


def test_hematological_missing() -> None:
    # a missing count that could raise the level -> unknown
    assert math.isnan(_hem(neutrophils_1e9_l=None))
    assert math.isnan(_hem(platelets_1e9_l=120, hemoglobin_g_dl=None))
    # a known high level cannot be raised further
    assert _hem(platelets_1e9_l=25, neutrophils_1e9_l=None, lymphocytes_1e9_l=None) == 3
    # missing lymphocytes can reach only moderate: a known moderate stands
    assert _hem(neutrophils_1e9_l=0.8, lymphocytes_1e9_l=None) == 2
    assert math.isnan(_hem(neutrophils_1e9_l=1.2, lymphocytes_1e9_l=None))
    # origin unknown: level 0 only if every count is normal
    assert _hem(autoimmune=None) == 0
    assert math.isnan(_hem(autoimmune=None, platelets_1e9_l=120))


def test_hematological_arrays() -> None:
    out = essdai_hematological_level(
        neutrophils_1e9_l=[3.0, 0.4, None, 3.0],
        hemoglobin_g_dl=13.0,
        platelets_1e9_l=[25, 200, 200, 120],
        lymphocytes_1e9_l=1.5,
        autoimmune=[True, True, True, False],
    )
    np.testing.assert_array_equal(out, [3.0, 3.0, np.nan, 0.0])


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("hemoglobin_g_dl", 120),  # g/L passed as g/dL
        ("platelets_1e9_l", 25000),  # /mm3 passed as x10^9/L
        ("neutrophils_1e9_l", -0.1),
        ("lymphocytes_1e9_l", "low"),
        ("autoimmune", 2),
    ],
)
def test_hematological_bad_input(field: str, value: object) -> None:
    with pytest.raises(InputError, match=f"^{field}"):
        _hem(**{field: value})


# -------------------------------------------------------------- biological


def _bio(**kw: object) -> object:
    args: dict[str, object] = {
        "clonal_component": False,
        "hypocomplementemia": False,
        "igg_g_l": 12.0,
        "cryoglobulinemia": False,
    }
    args.update(kw)
    return essdai_biological_level(**args)  # type: ignore[arg-type]


def test_biological_levels() -> None:
    assert _bio() == 0
    assert _bio(clonal_component=True) == 1
    assert _bio(hypocomplementemia=True) == 1
    assert _bio(cryoglobulinemia=True) == 2
    # IgG: 16..20 g/L low, > 20 moderate (Seror 2010 Table 3)
    assert _bio(igg_g_l=15.9) == 0
    assert _bio(igg_g_l=16.0) == 1
    assert _bio(igg_g_l=20.0) == 1
    assert _bio(igg_g_l=20.1) == 2
    # recent-onset hypogammaglobulinaemia (< 5 g/L) moderate
    assert _bio(igg_g_l=4.9, recent_hypogammaglobulinemia=True) == 2
    assert _bio(igg_g_l=4.9, recent_hypogammaglobulinemia=False) == 0
    assert _bio(igg_g_l=5.0, recent_hypogammaglobulinemia=True) == 0
    assert _bio(clonal_component=True, igg_g_l=22.0) == 2


def test_biological_missing() -> None:
    assert math.isnan(_bio(igg_g_l=None))
    assert math.isnan(_bio(cryoglobulinemia=None))
    assert _bio(cryoglobulinemia=True, igg_g_l=None) == 2  # already the top level
    assert math.isnan(_bio(igg_g_l=4.0))  # recency not given
    assert _bio(igg_g_l=12.0) == 0  # recency irrelevant when IgG >= 5
    out = _bio(igg_g_l=[4.0, 18.0, None], recent_hypogammaglobulinemia=[True, None, None])
    np.testing.assert_array_equal(out, [2.0, 1.0, np.nan])


def test_biological_bad_input() -> None:
    with pytest.raises(InputError, match=r"^igg_g_l"):
        _bio(igg_g_l=1200)  # mg/dL passed as g/L
    with pytest.raises(InputError, match=r"^cryoglobulinemia"):
        _bio(cryoglobulinemia="yes")


def test_helpers_feed_essdai_on_arrays() -> None:
    hem = essdai_hematological_level(
        neutrophils_1e9_l=[3.0, 3.0],
        hemoglobin_g_dl=[13.0, 9.0],
        platelets_1e9_l=200,
        lymphocytes_1e9_l=1.5,
        autoimmune=True,
    )
    bio = _bio(hypocomplementemia=[True, False])
    np.testing.assert_array_equal(essdai(hematological=hem, biological=bio), [1.0, 4.0])


def test_hematological_level_from_platelets_alone() -> None:
    # Seror 2010: thrombocytopenia < 50 x10^9/L of autoimmune origin is the
    # high level; it is the top level, so the counts not given cannot change it.
    from clinscores.pss import essdai_hematological_level

    assert essdai_hematological_level(platelets_1e9_l=25, autoimmune=True) == 3
    assert essdai_hematological_level(platelets_1e9_l=25, autoimmune=False) == 0
    # 120 (low) with the other counts unknown: they could raise it
    assert math.isnan(essdai_hematological_level(platelets_1e9_l=120, autoimmune=True))
