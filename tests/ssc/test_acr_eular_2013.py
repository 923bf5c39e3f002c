"""Tests of the 2013 ACR/EULAR classification criteria for systemic sclerosis.

Weights: van den Hoogen F et al. Arthritis Rheum 2013;65:2737-2747 /
Ann Rheum Dis 2013;72:1747-1755, Table 1.
"""

from __future__ import annotations

import functools
import itertools
import math
from typing import Any

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from clinscores import CodedArray
from clinscores._core import Classification, InputError
from clinscores.ssc.acr_eular_2013 import (
    ACR_EULAR_2013_DOMAINS,
    ACR_EULAR_2013_ITEMS,
)
from clinscores.ssc.acr_eular_2013 import (
    acr_eular_2013 as _acr_eular_2013,
)

# The tests below give only the items they are about.  Since an omitted item
# is no longer taken as absent (it raises TypeError), they say what the rest
# are, as the old default did; test_omitted_items.py tests the rule itself.
acr_eular_2013 = functools.partial(_acr_eular_2013, others=False)

ITEMS = ACR_EULAR_2013_ITEMS
ANTIBODIES = {"anticentromere", "anti_topoisomerase_i", "anti_rna_polymerase_iii"}


def reference_points(present: set[str]) -> int:
    """Hand-written reading of Table 1, one if/elif chain per row."""
    total = 0
    if "skin_thickening_proximal_to_mcp" in present:
        total += 9
    # skin thickening of the fingers: only the higher score counts
    if "sclerodactyly" in present:
        total += 4
    elif "puffy_fingers" in present:
        total += 2
    # fingertip lesions: only the higher score counts
    if "pitting_scars" in present:
        total += 3
    elif "digital_tip_ulcers" in present:
        total += 2
    if "telangiectasia" in present:
        total += 2
    if "abnormal_nailfold_capillaries" in present:
        total += 2
    # PAH and/or ILD: maximum 2
    if "pulmonary_arterial_hypertension" in present or "interstitial_lung_disease" in present:
        total += 2
    if "raynaud_phenomenon" in present:
        total += 3
    # SSc-related autoantibodies: maximum 3
    if present & ANTIBODIES:
        total += 3
    return total


def reference_classified(present: set[str]) -> bool:
    if "skin_thickening_proximal_to_mcp" in present:  # sufficient criterion
        return True
    return reference_points(present) >= 9


# ---------------------------------------------------------------------------
# exhaustive: all 2**13 combinations of the items
# ---------------------------------------------------------------------------


def test_exhaustive_all_subsets_against_reference() -> None:
    combos = list(itertools.product([False, True], repeat=len(ITEMS)))
    assert len(combos) == 2**13
    columns = {name: [c[i] for c in combos] for i, name in enumerate(ITEMS)}
    result = acr_eular_2013(**columns)
    assert result.points.shape == (8192,)
    for row, combo in enumerate(combos):
        present = {name for name, flag in zip(ITEMS, combo) if flag}
        assert result.points[row] == reference_points(present), present
        assert result.classified[row] is reference_classified(present), present
        assert (
            sum(int(result.domains[d][row]) for d in ACR_EULAR_2013_DOMAINS) == (result.points[row])
        )


def test_exhaustive_scalar_calls_agree_with_array_call() -> None:
    # a sample of 512 subsets (every 16th) called one at a time
    combos = list(itertools.product([False, True], repeat=len(ITEMS)))[::16]
    columns = {name: np.array([c[i] for c in combos]) for i, name in enumerate(ITEMS)}
    array_result = acr_eular_2013(**columns)
    for row, combo in enumerate(combos):
        r = acr_eular_2013(**dict(zip(ITEMS, combo)))
        assert isinstance(r.points, int)
        assert isinstance(r.classified, bool)
        assert r.points == array_result.points[row]
        assert r.classified is array_result.classified[row]


# ---------------------------------------------------------------------------
# weight table, one item at a time
# ---------------------------------------------------------------------------

SINGLE_WEIGHTS = {
    "skin_thickening_proximal_to_mcp": 9,
    "puffy_fingers": 2,
    "sclerodactyly": 4,
    "digital_tip_ulcers": 2,
    "pitting_scars": 3,
    "telangiectasia": 2,
    "abnormal_nailfold_capillaries": 2,
    "pulmonary_arterial_hypertension": 2,
    "interstitial_lung_disease": 2,
    "raynaud_phenomenon": 3,
    "anticentromere": 3,
    "anti_topoisomerase_i": 3,
    "anti_rna_polymerase_iii": 3,
}


@pytest.mark.parametrize(("item", "weight"), SINGLE_WEIGHTS.items())
def test_single_item_weight(item: str, weight: int) -> None:
    r = acr_eular_2013(**{item: True})
    assert r.points == weight
    assert r.classified is (weight >= 9)


def test_nothing_present() -> None:
    r = acr_eular_2013()
    assert r.points == 0
    assert r.classified is False
    assert all(v == 0 for v in r.domains.values())
    assert r.entry_met is None
    assert set(r.domains) == set(ACR_EULAR_2013_DOMAINS)


def test_category_maxima() -> None:
    # only the higher sub-item counts; PAH+ILD capped at 2; antibodies capped at 3
    assert acr_eular_2013(puffy_fingers=True, sclerodactyly=True).points == 4
    assert acr_eular_2013(digital_tip_ulcers=True, pitting_scars=True).points == 3
    assert (
        acr_eular_2013(pulmonary_arterial_hypertension=True, interstitial_lung_disease=True).points
        == 2
    )
    assert (
        acr_eular_2013(
            anticentromere=True, anti_topoisomerase_i=True, anti_rna_polymerase_iii=True
        ).points
        == 3
    )


def test_maximum_total() -> None:
    r = acr_eular_2013(**dict.fromkeys(ITEMS, True))
    # 9 + 4 + 3 + 2 + 2 + 2 + 3 + 3 (Table 1, highest weight per row)
    assert r.points == 28
    assert r.classified is True


# ---------------------------------------------------------------------------
# worked examples (hand-computed from Table 1)
# ---------------------------------------------------------------------------


def test_worked_example_limited_cutaneous() -> None:
    # Raynaud (3) + sclerodactyly (4) + anticentromere (3) = 10 >= 9: classified.
    r = acr_eular_2013(raynaud_phenomenon=True, sclerodactyly=True, anticentromere=True)
    assert r.points == 10
    assert r.classified is True
    assert r.domains["skin_thickening_of_fingers"] == 4
    assert r.domains["raynaud_phenomenon"] == 3
    assert r.domains["ssc_related_autoantibodies"] == 3


def test_worked_example_just_below_threshold() -> None:
    # Raynaud (3) + puffy fingers (2) + nailfold (2) = 7 < 9: not classified;
    # adding fingertip ulcers (2) reaches 9 exactly: classified (boundary from both sides).
    below = acr_eular_2013(
        raynaud_phenomenon=True, puffy_fingers=True, abnormal_nailfold_capillaries=True
    )
    assert (below.points, below.classified) == (7, False)
    at = acr_eular_2013(
        raynaud_phenomenon=True,
        puffy_fingers=True,
        abnormal_nailfold_capillaries=True,
        digital_tip_ulcers=True,
    )
    assert (at.points, at.classified) == (9, True)


def test_sufficient_criterion_alone_classifies() -> None:
    r = acr_eular_2013(skin_thickening_proximal_to_mcp=True)
    assert (r.points, r.classified) == (9, True)
    assert r.domains["skin_thickening_proximal_to_mcp"] == 9
    # its own row of Table 1: counted on top of sclerodactyly
    both = acr_eular_2013(skin_thickening_proximal_to_mcp=True, sclerodactyly=True)
    assert both.points == 13


# ---------------------------------------------------------------------------
# missing items: tri-state classification
# ---------------------------------------------------------------------------


def test_unknown_that_cannot_change_outcome() -> None:
    # Raynaud 3 + unknown telangiectasia (at most 2) = at most 5 < 9
    r = acr_eular_2013(raynaud_phenomenon=True, telangiectasia=None)
    assert r.classified is False
    assert r.points == 3
    # sufficient criterion present: unknown items cannot undo it
    r = acr_eular_2013(skin_thickening_proximal_to_mcp=True, **dict.fromkeys(ITEMS[1:], None))
    assert r.classified is True
    assert r.points == 9


def test_unknown_that_could_change_outcome() -> None:
    # 3 + 4 = 7 known; unknown antibody (3) could reach 10
    r = acr_eular_2013(raynaud_phenomenon=True, sclerodactyly=True, anticentromere=None)
    assert r.classified is None
    assert r.points == 7
    nan = acr_eular_2013(raynaud_phenomenon=True, sclerodactyly=True, anticentromere=math.nan)
    assert nan.classified is None


def test_unknown_proximal_skin_is_unknown_not_false() -> None:
    r = acr_eular_2013(skin_thickening_proximal_to_mcp=None)
    assert r.classified is None
    assert r.points == 0


def _brute_force(assignment: dict[str, bool | None]) -> bool | None:
    unknown = [k for k, v in assignment.items() if v is None]
    outcomes = set()
    for fill in itertools.product([False, True], repeat=len(unknown)):
        full = dict(assignment)
        full.update(zip(unknown, fill))
        outcomes.add(reference_classified({k for k, v in full.items() if v}))
    return outcomes.pop() if len(outcomes) == 1 else None


tri = st.sampled_from([True, False, None])


@settings(max_examples=150, deadline=None)
@given(st.lists(tri, min_size=len(ITEMS), max_size=len(ITEMS)))
def test_tristate_matches_brute_force_over_completions(values: list[bool | None]) -> None:
    assignment = dict(zip(ITEMS, values))
    r = acr_eular_2013(**assignment)
    assert r.classified is _brute_force(assignment)
    assert r.points == reference_points({k for k, v in assignment.items() if v is True})


def test_tristate_arrays_match_scalar_calls() -> None:
    rng = np.random.default_rng(2013)
    n = 300
    choices = np.array([True, False, None], dtype=object)
    columns = {name: list(rng.choice(choices, size=n)) for name in ITEMS}
    r = acr_eular_2013(**columns)
    # array judgements are compact (issue 20): int8 codes, not an object array
    assert isinstance(r.classified, CodedArray) and r.classified.nbytes == n
    for i in range(n):
        s = acr_eular_2013(**{name: columns[name][i] for name in ITEMS})
        assert r.classified[i] is s.classified
        assert r.points[i] == s.points


# ---------------------------------------------------------------------------
# properties
# ---------------------------------------------------------------------------

flags = st.lists(st.booleans(), min_size=len(ITEMS), max_size=len(ITEMS))


@settings(max_examples=100, deadline=None)
@given(flags, st.sampled_from(ITEMS))
def test_monotone_adding_an_item_never_lowers_points(values: list[bool], item: str) -> None:
    base = dict(zip(ITEMS, values))
    more = {**base, item: True}
    r0, r1 = acr_eular_2013(**base), acr_eular_2013(**more)
    assert r1.points >= r0.points
    assert r1.classified or not r0.classified


@settings(max_examples=100, deadline=None)
@given(flags)
def test_points_bounded_and_threshold(values: list[bool]) -> None:
    r = acr_eular_2013(**dict(zip(ITEMS, values)))
    assert 0 <= r.points <= 28
    assert r.classified is (r.points >= 9)


def test_integer_flags_accepted() -> None:
    r = acr_eular_2013(raynaud_phenomenon=1, sclerodactyly=1, anticentromere=0)
    assert (r.points, r.classified) == (7, False)


def test_pandas_series_in_series_out() -> None:
    pd = pytest.importorskip("pandas")
    idx = ["p1", "p2", "p3"]
    r = acr_eular_2013(
        raynaud_phenomenon=pd.Series([True, True, None], index=idx),
        sclerodactyly=pd.Series([True, False, True], index=idx),
        anti_topoisomerase_i=True,
    )
    assert list(r.points.index) == idx
    assert list(r.points) == [10, 6, 7]
    # a nullable "boolean" Series (issue 20): <NA> where unknown
    assert r.classified.dtype == "boolean" and list(r.classified.index) == idx
    assert r.classified.tolist() == [True, False, pd.NA]


# ---------------------------------------------------------------------------
# bad input
# ---------------------------------------------------------------------------


@pytest.mark.parametrize("bad", [2, -1, 0.5, "yes", [True, "no"], [0, 3]])
@pytest.mark.parametrize("item", ["raynaud_phenomenon", "anti_rna_polymerase_iii"])
def test_bad_values_name_the_item(item: str, bad: Any) -> None:
    with pytest.raises(InputError, match=item):
        kwargs: dict[str, Any] = {item: bad}
        acr_eular_2013(**kwargs)


def test_array_error_names_index() -> None:
    with pytest.raises(InputError, match=r"telangiectasia\[2\]"):
        acr_eular_2013(telangiectasia=[True, False, 5])


def test_unknown_keyword_is_type_error() -> None:
    with pytest.raises(TypeError, match="raynauds"):
        acr_eular_2013(raynauds=True)  # type: ignore[call-arg]


def test_positional_arguments_rejected() -> None:
    with pytest.raises(TypeError):
        acr_eular_2013(True)  # type: ignore[call-arg]


def test_inputs_not_mutated_and_not_aliased() -> None:
    raynaud = np.array([True, False, True])
    sclero = np.array([1.0, np.nan, 0.0])
    raynaud_copy, sclero_copy = raynaud.copy(), sclero.copy()
    r = acr_eular_2013(raynaud_phenomenon=raynaud, sclerodactyly=sclero)
    np.testing.assert_array_equal(raynaud, raynaud_copy)
    np.testing.assert_array_equal(sclero, sclero_copy)
    assert not np.shares_memory(r.points, raynaud)
    assert not np.shares_memory(r.points, sclero)
    assert isinstance(r, Classification)


def test_broadcast_shape_mismatch() -> None:
    with pytest.raises(InputError, match="incompatible shapes"):
        acr_eular_2013(raynaud_phenomenon=[True, False], sclerodactyly=[True, False, True])


def test_large_arrays_cross_block_boundary() -> None:
    n = 70_000
    raynaud = np.ones(n, dtype=bool)
    sclero = np.zeros(n)
    sclero[::2] = 1.0
    sclero[-1] = np.nan
    r = acr_eular_2013(raynaud_phenomenon=raynaud, sclerodactyly=sclero, anticentromere=True)
    assert r.points.shape == (n,)
    assert r.points[0] == 10 and r.classified[0] is True
    assert r.points[1] == 6 and r.classified[1] is False
    assert r.classified[-1] is None
    sclero[n - 5] = 3.0
    with pytest.raises(InputError, match=rf"sclerodactyly\[{n - 5}\]"):
        acr_eular_2013(sclerodactyly=sclero)
