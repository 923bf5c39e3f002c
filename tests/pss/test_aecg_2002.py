"""Tests of the AECG 2002 classification criteria for primary Sjögren's syndrome."""

from __future__ import annotations

import functools
import itertools

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from clinscores import Classification, InputError
from clinscores.pss.aecg_2002 import (
    AECG_2002_ITEMS,
    aecg_2002_autoantibodies,
    aecg_2002_histopathology,
    aecg_2002_ocular_signs,
    aecg_2002_salivary_involvement,
)
from clinscores.pss.aecg_2002 import (
    aecg_2002 as _aecg_2002,
)

# The tests below give only the items they are about.  Since an omitted item
# is no longer taken as absent (it raises TypeError), they say what the rest
# are, as the old default did; test_omitted_items.py tests the rule itself.
aecg_2002 = functools.partial(_aecg_2002, others=None)  # exclusion: not assessed

ALL_64 = list(itertools.product([False, True], repeat=6))


def truth(i: bool, ii: bool, iii: bool, iv: bool, v: bool, vi: bool) -> bool:
    """Vitali 2002, Table 3, written out independently of the implementation.

    (a) any 4 of the 6 items with item IV or item VI positive, or
    (b) any 3 of the 4 objective items III, IV, V, VI.
    """
    n_all = int(i) + int(ii) + int(iii) + int(iv) + int(v) + int(vi)
    n_objective = int(iii) + int(iv) + int(v) + int(vi)
    rule_a = n_all >= 4 and (iv or vi)
    rule_b = n_objective >= 3
    return bool(rule_a or rule_b)


def test_item_order() -> None:
    assert AECG_2002_ITEMS == (
        "ocular_symptoms",
        "oral_symptoms",
        "ocular_signs",
        "histopathology",
        "salivary_involvement",
        "autoantibodies",
    )


@pytest.mark.parametrize("items", ALL_64)
def test_all_64_combinations(items: tuple[bool, ...]) -> None:
    r = aecg_2002(*items)
    assert isinstance(r, Classification)
    assert r.classified is truth(*items)
    assert r.points == sum(items)
    assert [r.domains[k] for k in AECG_2002_ITEMS] == [int(x) for x in items]
    assert r.entry_met is None
    # an exclusion always prevents classification
    assert aecg_2002(*items, exclusion=True).classified is False
    assert aecg_2002(*items, exclusion=False).classified is truth(*items)


def test_all_64_combinations_as_arrays() -> None:
    cols = [list(c) for c in zip(*ALL_64)]
    r = aecg_2002(*cols)
    assert list(r.classified) == [truth(*c) for c in ALL_64]
    np.testing.assert_array_equal(r.points, [sum(c) for c in ALL_64])
    as_ints = aecg_2002(*[np.array(c, dtype=int) for c in cols])
    assert list(as_ints.classified) == list(r.classified)


def test_named_examples() -> None:
    # 4 items incl. serology (VI): rule a
    assert aecg_2002(True, True, True, False, False, True).classified is True
    # 4 items but neither IV nor VI, and only 2 objective: not classified
    assert aecg_2002(True, True, True, False, True, False).classified is False
    # symptoms-free, 3 objective items: rule b
    assert aecg_2002(False, False, True, True, True, False).classified is True
    # both symptom items + histopathology + serology
    assert aecg_2002(True, True, False, True, False, True).classified is True


@settings(max_examples=150, deadline=None)
@given(st.tuples(*[st.sampled_from([False, True, None])] * 6))
def test_unknown_only_when_it_matters(items: tuple[bool | None, ...]) -> None:
    r = aecg_2002(*items)
    unknown = [i for i, x in enumerate(items) if x is None]
    outcomes = set()
    for fill in itertools.product([False, True], repeat=len(unknown)):
        full = list(items)
        for i, v in zip(unknown, fill):
            full[i] = v
        outcomes.add(truth(*(bool(x) for x in full)))
    expected = outcomes.pop() if len(outcomes) == 1 else None
    assert r.classified is expected
    assert r.points == sum(1 for x in items if x)


def test_bad_input_names_field() -> None:
    with pytest.raises(InputError, match=r"^histopathology"):
        aecg_2002(True, True, True, "yes", False, True)
    with pytest.raises(InputError, match=r"^autoantibodies\[1\]"):
        aecg_2002(True, True, True, True, False, [1, 2])
    with pytest.raises(InputError, match=r"^exclusion"):
        aecg_2002(True, True, True, True, False, True, exclusion=0.5)


def test_inputs_not_mutated() -> None:
    col = [True, None, False]
    arr = np.array([1.0, np.nan, 0.0])
    r = aecg_2002(col, arr, True, True, False, True)
    assert col == [True, None, False]
    np.testing.assert_array_equal(arr, [1.0, np.nan, 0.0])
    assert not np.shares_memory(r.points, arr)


# ------------------------------------------------------ objective items


def test_ocular_signs_helper() -> None:
    # Schirmer I <= 5 mm/5 min or van Bijsterveld >= 4 (Vitali 2002 Table 2)
    assert aecg_2002_ocular_signs(schirmer_mm_5min=5.0) is True
    assert aecg_2002_ocular_signs(schirmer_mm_5min=5.5) is False
    assert aecg_2002_ocular_signs(van_bijsterveld_score=4) is True
    assert aecg_2002_ocular_signs(van_bijsterveld_score=3) is False
    assert aecg_2002_ocular_signs(schirmer_mm_5min=10, van_bijsterveld_score=4) is True
    assert aecg_2002_ocular_signs() is None
    out = aecg_2002_ocular_signs(
        schirmer_mm_5min=[6, None, None], van_bijsterveld_score=[None, 4, None]
    )
    assert list(out) == [False, True, None]
    with pytest.raises(InputError, match=r"^van_bijsterveld_score"):
        aecg_2002_ocular_signs(van_bijsterveld_score=10)


def test_histopathology_helper() -> None:
    # focus score >= 1 per 4 mm2
    assert aecg_2002_histopathology(1.0) is True
    assert aecg_2002_histopathology(0.99) is False
    assert aecg_2002_histopathology(None) is None
    with pytest.raises(InputError, match=r"^focus_score"):
        aecg_2002_histopathology(-0.5)


def test_salivary_involvement_helper() -> None:
    # unstimulated whole salivary flow <= 1.5 mL in 15 min
    assert aecg_2002_salivary_involvement(unstimulated_saliva_ml_15min=1.5) is True
    assert aecg_2002_salivary_involvement(unstimulated_saliva_ml_15min=0.1 * 15) is True
    assert aecg_2002_salivary_involvement(unstimulated_saliva_ml_15min=1.6) is False
    assert aecg_2002_salivary_involvement(sialography_sialectasias=True) is True
    assert (
        aecg_2002_salivary_involvement(unstimulated_saliva_ml_15min=3, scintigraphy_abnormal=True)
        is True
    )
    assert aecg_2002_salivary_involvement(scintigraphy_abnormal=False) is False
    assert aecg_2002_salivary_involvement() is None


def test_autoantibodies_helper() -> None:
    assert aecg_2002_autoantibodies(anti_ssa=True) is True
    assert aecg_2002_autoantibodies(anti_ssa=False, anti_ssb=True) is True
    assert aecg_2002_autoantibodies(anti_ssa=False, anti_ssb=False) is False
    assert aecg_2002_autoantibodies() is None


def test_helpers_feed_the_criteria() -> None:
    r = aecg_2002(
        ocular_symptoms=True,
        oral_symptoms=False,
        ocular_signs=aecg_2002_ocular_signs(schirmer_mm_5min=[3, 12]),
        histopathology=aecg_2002_histopathology([1.5, 0.0]),
        salivary_involvement=aecg_2002_salivary_involvement(unstimulated_saliva_ml_15min=[1.0, 5]),
        autoantibodies=aecg_2002_autoantibodies(anti_ssa=[False, None]),
    )
    assert list(r.classified) == [True, False]
