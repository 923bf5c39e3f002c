"""Tests of the 2016 ACR/EULAR classification criteria for primary Sjögren's syndrome."""

from __future__ import annotations

import functools
import itertools

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from clinscores import Classification, InputError
from clinscores.pss.acr_eular_2016 import (
    ACR_EULAR_2016_THRESHOLD,
    ACR_EULAR_2016_WEIGHTS,
)
from clinscores.pss.acr_eular_2016 import (
    acr_eular_2016 as _acr_eular_2016,
)

# The tests below give only the items they are about.  Since an omitted item
# is no longer taken as absent (it raises TypeError), they say what the rest
# are, as the old default did; test_omitted_items.py tests the rule itself.
acr_eular_2016 = functools.partial(_acr_eular_2016, others=None)  # entry, exclusion: not assessed

# Shiboski 2017 (Ann Rheum Dis 2017;76:9-16) Table 3.
PUBLISHED_WEIGHTS = {
    "focus_score": 3,
    "anti_ssa": 3,
    "ocular_staining": 1,
    "schirmer": 1,
    "unstimulated_saliva": 1,
}

# Measurements that make each item positive / negative.
POS = {"focus": 1.0, "ssa": True, "oss": 5, "schirmer": 5.0, "saliva": 0.1}
NEG = {"focus": 0.9, "ssa": False, "oss": 4, "schirmer": 5.1, "saliva": 0.11}


def _call(
    focus: object, ssa: object, oss: object, schirmer: object, saliva: object, **kw: object
) -> Classification:
    return acr_eular_2016(focus, ssa, oss, schirmer, saliva, **kw)  # type: ignore[arg-type]


def test_weights_and_threshold() -> None:
    assert ACR_EULAR_2016_WEIGHTS == PUBLISHED_WEIGHTS
    assert ACR_EULAR_2016_THRESHOLD == 4


def test_worked_examples() -> None:
    # anti-SSA (3) + OSS 6 (1) = 4 -> classified.
    r = _call(0, True, 6, 10, 0.3)
    assert isinstance(r, Classification)
    assert r.points == 4
    assert r.classified is True
    assert r.entry_met is None
    assert dict(r.domains) == {
        "focus_score": 0,
        "anti_ssa": 3,
        "ocular_staining": 1,
        "schirmer": 0,
        "unstimulated_saliva": 0,
    }
    # focus score 1 (3) alone = 3 -> not classified.
    r = _call(1.0, False, 2, 12, 0.4)
    assert (r.points, r.classified) == (3, False)
    # the three glandular-function items alone = 3 -> not classified
    r = _call(0.0, False, 7, 2, 0.05)
    assert (r.points, r.classified) == (3, False)
    # all items: 9 (maximum)
    assert _call(2.5, True, 9, 0, 0.0).points == 9


@pytest.mark.parametrize(
    ("item", "pos", "neg"),
    [
        ("focus", 1.0, 0.99),  # focus score >= 1 focus/4 mm2
        ("oss", 5, 4),  # Ocular Staining Score >= 5
        ("schirmer", 5.0, 5.01),  # Schirmer <= 5 mm/5 min
        ("saliva", 0.1, 0.101),  # UWS <= 0.1 mL/min
    ],
)
def test_cut_offs_from_both_sides(item: str, pos: object, neg: object) -> None:
    base = dict(NEG)
    weight = 3 if item == "focus" else 1
    assert _call(**{**base, item: pos}).points == weight
    assert _call(**{**base, item: neg}).points == 0


def test_van_bijsterveld_alternative() -> None:
    # OSS >= 5 or van Bijsterveld >= 4
    assert _call(0, False, 3, 10, 0.3, van_bijsterveld_score=4).domains["ocular_staining"] == 1
    assert _call(0, False, 3, 10, 0.3, van_bijsterveld_score=3).domains["ocular_staining"] == 0
    assert _call(0, False, None, 10, 0.3, van_bijsterveld_score=4).domains["ocular_staining"] == 1
    # neither score measured: the item is unknown, and 3 + 1 + unknown could reach 4
    r = _call(1.0, False, None, 10, 0.3)
    assert r.points == 3
    assert r.classified is None


def test_floating_noise_does_not_decide() -> None:
    # 1.5 mL in 15 min = 0.1 mL/min exactly at the cut-off
    assert _call(0, False, 0, 10, 1.5 / 15).domains["unstimulated_saliva"] == 1
    assert _call(0, False, 0, 10, 0.1 * 3 / 3).domains["unstimulated_saliva"] == 1


def test_entry_and_exclusion() -> None:
    # classified requires: points >= 4, entry not False, no exclusion
    assert _call(1.0, True, 0, 10, 0.3, entry_met=True).classified is True
    assert _call(1.0, True, 0, 10, 0.3, entry_met=True).entry_met is True
    r = _call(1.0, True, 0, 10, 0.3, entry_met=False)
    assert (r.classified, r.entry_met, r.points) == (False, False, 6)
    assert _call(1.0, True, 0, 10, 0.3, exclusion=True).classified is False
    assert _call(1.0, True, 0, 10, 0.3, exclusion=False).classified is True
    # not given: the items alone decide, entry_met reported as None
    r = _call(1.0, True, 0, 10, 0.3)
    assert (r.classified, r.entry_met) == (True, None)
    # an exclusion decides even when items are unknown
    assert _call(None, None, None, None, None, exclusion=True).classified is False


def test_missing_items() -> None:
    # anti-SSA unknown: 1 + 1 + 1 known, 3 more possible -> unknown
    r = _call(0.0, None, 6, 3, 0.05)
    assert (r.points, r.classified) == (3, None)
    # already 4 known: unknown items cannot undo it
    r = _call(1.0, True, None, None, None)
    assert (r.points, r.classified) == (6, True)
    # cannot reach 4 even if the unknown saliva item were positive
    r = _call(0.0, False, 6, 3, None)
    assert (r.points, r.classified) == (2, False)


def test_arrays_and_series() -> None:
    r = acr_eular_2016(
        [1.2, None, 0.5],
        [True, None, False],
        [3, 6, None],
        [5, 6, 20],
        [0.1, 0.2, None],
        van_bijsterveld_score=[None, None, 4],
        entry_met=[True, None, True],
        exclusion=[False, False, True],
    )
    np.testing.assert_array_equal(r.points, [8, 1, 1])
    assert list(r.classified) == [True, None, False]
    assert list(r.entry_met) == [True, None, True]
    np.testing.assert_array_equal(r.domains["anti_ssa"], [3, 0, 0])
    pd = pytest.importorskip("pandas")
    idx = ["p1", "p2"]
    r = acr_eular_2016(
        pd.Series([1.0, 0.0], index=idx),
        pd.Series([True, False], index=idx),
        pd.Series([6, 0], index=idx),
        10,
        0.3,
    )
    assert list(r.points.index) == idx
    assert list(r.classified) == [True, False]


@pytest.mark.parametrize(
    ("kw", "field"),
    [
        ({"focus_score": -1}, "focus_score"),
        ({"anti_ssa": "positive"}, "anti_ssa"),
        ({"ocular_staining_score": 13}, "ocular_staining_score"),
        ({"ocular_staining_score": 5.5}, "ocular_staining_score"),
        ({"schirmer_mm_5min": 40}, "schirmer_mm_5min"),
        ({"unstimulated_saliva_ml_min": -0.1}, "unstimulated_saliva_ml_min"),
        ({"van_bijsterveld_score": 10}, "van_bijsterveld_score"),
        ({"entry_met": 2}, "entry_met"),
        ({"exclusion": "no"}, "exclusion"),
    ],
)
def test_bad_input(kw: dict[str, object], field: str) -> None:
    args: dict[str, object] = {
        "focus_score": 1.0,
        "anti_ssa": True,
        "ocular_staining_score": 5,
        "schirmer_mm_5min": 5,
        "unstimulated_saliva_ml_min": 0.1,
    }
    args.update(kw)
    with pytest.raises(InputError, match="^" + field):
        acr_eular_2016(**args)  # type: ignore[arg-type]


def test_inputs_not_mutated() -> None:
    fs = np.array([1.0, np.nan])
    ssa = [True, None]
    r = acr_eular_2016(fs, ssa, [5, 0], [3, 10], [0.05, 0.3])
    np.testing.assert_array_equal(fs, [1.0, np.nan])
    assert ssa == [True, None]
    assert not np.shares_memory(r.points, fs)


def _truth(items: tuple[bool, ...]) -> bool:
    return sum(w for w, on in zip(PUBLISHED_WEIGHTS.values(), items) if on) >= 4


def _measure(items: tuple[bool, ...]) -> list[object]:
    keys = ["focus", "ssa", "oss", "schirmer", "saliva"]
    return [POS[k] if on else NEG[k] for k, on in zip(keys, items)]


def test_all_32_item_combinations() -> None:
    combos = list(itertools.product([False, True], repeat=5))
    for items in combos:
        r = _call(*_measure(items))
        assert r.classified is _truth(items), items
    cols = list(zip(*(_measure(c) for c in combos)))
    r = acr_eular_2016(*cols)
    assert list(r.classified) == [_truth(c) for c in combos]


@settings(max_examples=100, deadline=None)
@given(st.tuples(*[st.sampled_from([False, True, None])] * 5))
def test_unknown_only_when_it_matters(items: tuple[bool | None, ...]) -> None:
    keys = ["focus", "ssa", "oss", "schirmer", "saliva"]
    vals = [None if on is None else (POS[k] if on else NEG[k]) for k, on in zip(keys, items)]
    r = _call(*vals)
    unknown = [i for i, on in enumerate(items) if on is None]
    outcomes = set()
    for fill in itertools.product([False, True], repeat=len(unknown)):
        full = list(items)
        for i, v in zip(unknown, fill):
            full[i] = v
        outcomes.add(_truth(tuple(bool(x) for x in full)))
    expected = outcomes.pop() if len(outcomes) == 1 else None
    assert r.classified is expected
