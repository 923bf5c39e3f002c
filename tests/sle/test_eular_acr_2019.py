"""Tests of the 2019 EULAR/ACR SLE classification criteria."""

from __future__ import annotations

import functools
import itertools
import math
from typing import Any

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from numpy.testing import assert_array_equal

from clinscores import Classification, CodedArray, InputError
from clinscores.sle.eular_acr_2019 import ana_positive_from_titre
from clinscores.sle.eular_acr_2019 import eular_acr_2019 as _eular_acr_2019

# The tests below give only the items they are about.  Since an omitted item
# is no longer taken as absent (it raises TypeError), they say what the rest
# are, as the old default did; test_omitted_items.py tests the rule itself.
eular_acr_2019 = functools.partial(_eular_acr_2019, others=False)

# Domains and weights as printed in the criteria figure of Aringer M et al.
# Ann Rheum Dis 2019;78:1151-1159 / Arthritis Rheumatol 2019;71:1400-1412.
# Written out here independently of the module.  Each entry: domain ->
# list of (criterion weight, observations any of which meets it).
FIGURE = {
    "constitutional": [(2, ["fever"])],
    "hematologic": [
        (3, ["leukopenia"]),
        (4, ["thrombocytopenia"]),
        (4, ["autoimmune_hemolysis"]),
    ],
    "neuropsychiatric": [(2, ["delirium"]), (3, ["psychosis"]), (5, ["seizure"])],
    "mucocutaneous": [
        (2, ["non_scarring_alopecia"]),
        (2, ["oral_ulcers"]),
        (4, ["subacute_cutaneous_lupus", "discoid_lupus"]),
        (6, ["acute_cutaneous_lupus"]),
    ],
    "serosal": [(5, ["pleural_effusion", "pericardial_effusion"]), (6, ["acute_pericarditis"])],
    "musculoskeletal": [(6, ["joint_involvement"])],
    "renal": [
        (4, ["proteinuria"]),
        (8, ["lupus_nephritis_class_ii_or_v"]),
        (10, ["lupus_nephritis_class_iii_or_iv"]),
    ],
    "antiphospholipid_antibodies": [(2, ["antiphospholipid_antibodies"])],
    # low C3 OR low C4: 3; low C3 AND low C4: 4 (handled in reference())
    "complement_proteins": [(3, ["low_c3", "low_c4"])],
    "sle_specific_antibodies": [(6, ["anti_dsdna", "anti_smith"])],
}
CLINICAL = {
    "constitutional",
    "hematologic",
    "neuropsychiatric",
    "mucocutaneous",
    "serosal",
    "musculoskeletal",
    "renal",
}
OBSERVATIONS = [obs for crits in FIGURE.values() for _, group in crits for obs in group]
WEIGHT_ALONE = {obs: w for crits in FIGURE.values() for w, group in crits for obs in group}
DOMAIN_OF = {obs: d for d, crits in FIGURE.items() for _, group in crits for obs in group}


def reference(ana: bool, present: set[str]) -> tuple[int, bool, dict[str, int]]:
    """Plain re-statement of the published rules, for one patient."""
    domains = {}
    for domain, crits in FIGURE.items():
        best = max([w for w, group in crits if any(o in present for o in group)], default=0)
        if domain == "complement_proteins" and {"low_c3", "low_c4"} <= present:
            best = 4
        domains[domain] = best
    points = sum(domains.values())
    clinical = any(domains[d] > 0 for d in CLINICAL)
    return points, bool(ana and points >= 10 and clinical), domains


observation_sets = st.sets(st.sampled_from(OBSERVATIONS))


def test_twenty_four_observations_in_ten_domains() -> None:
    assert len(OBSERVATIONS) == 24
    assert len(FIGURE) == 10


@pytest.mark.parametrize("obs", OBSERVATIONS)
def test_each_observation_alone_counts_its_weight_in_its_domain(obs: str) -> None:
    c = eular_acr_2019(True, **{obs: True})
    assert isinstance(c, Classification)
    assert c.points == WEIGHT_ALONE[obs]
    assert c.domains[DOMAIN_OF[obs]] == WEIGHT_ALONE[obs]
    assert sum(c.domains.values()) == c.points
    assert c.classified is (WEIGHT_ALONE[obs] >= 10)  # only class III/IV nephritis
    assert c.entry_met is True


def test_everything_present_gives_the_maximum_51() -> None:
    # 2 + 4 + 5 + 6 + 6 + 6 + 10 (clinical, 39) + 2 + 4 + 6 (immunology, 12) = 51
    c = eular_acr_2019(True, **dict.fromkeys(OBSERVATIONS, True))
    assert c.points == 51
    assert c.classified is True


def test_nothing_present() -> None:
    c = eular_acr_2019(True)
    assert c.points == 0
    assert c.classified is False
    assert set(c.domains) == set(FIGURE)


@pytest.mark.parametrize(
    ("ana", "present", "points", "classified"),
    [
        # Hand-computed from the criteria figure (Aringer 2019):
        # acute cutaneous 6 (oral ulcers 2 not counted) + joints 6 + C3&C4 4 = 16
        (
            True,
            ["acute_cutaneous_lupus", "oral_ulcers", "joint_involvement", "low_c3", "low_c4"],
            16,
            True,
        ),
        # joints 6 + anti-dsDNA 6 = 12
        (True, ["joint_involvement", "anti_dsdna"], 12, True),
        # class III/IV nephritis alone = 10, a clinical criterion: classified
        (True, ["lupus_nephritis_class_iii_or_iv"], 10, True),
        # class II/V 8 + proteinuria 4 in one domain -> 8 ; + fever 2 = 10
        (True, ["lupus_nephritis_class_ii_or_v", "proteinuria", "fever"], 10, True),
        # fever 2 + leukopenia 3 + low C3 3 = 8 < 10
        (True, ["fever", "leukopenia", "low_c3"], 8, False),
        # immunology only: anti-dsDNA 6 + C3&C4 4 + aPL 2 = 12, no clinical criterion
        (
            True,
            ["anti_dsdna", "anti_smith", "low_c3", "low_c4", "antiphospholipid_antibodies"],
            12,
            False,
        ),
        # serosal counts once: effusions 5 and pericarditis 6 -> 6 ; + seizure 5 = 11
        (
            True,
            ["pleural_effusion", "pericardial_effusion", "acute_pericarditis", "seizure"],
            11,
            True,
        ),
        # ANA negative: 16 points still counted, but never classified
        (False, ["acute_cutaneous_lupus", "joint_involvement", "low_c3", "low_c4"], 16, False),
    ],
)
def test_hand_computed_patients(
    ana: bool, present: list[str], points: int, classified: bool
) -> None:
    c = eular_acr_2019(ana, **dict.fromkeys(present, True))
    assert c.points == points
    assert c.classified is classified
    assert c.entry_met is ana


def test_worked_example_of_docs_page() -> None:
    # docs/instruments/eular_acr_2019.md worked example: ANA 1:160, oral ulcers,
    # acute cutaneous lupus, arthritis, leukopenia, low C3 only, anti-dsDNA.
    c = eular_acr_2019(
        ana_positive_from_titre(160),
        oral_ulcers=True,
        acute_cutaneous_lupus=True,
        joint_involvement=True,
        leukopenia=True,
        low_c3=True,
        anti_dsdna=True,
    )
    assert c.domains == {
        "constitutional": 0,
        "hematologic": 3,
        "neuropsychiatric": 0,
        "mucocutaneous": 6,
        "serosal": 0,
        "musculoskeletal": 6,
        "renal": 0,
        "antiphospholipid_antibodies": 0,
        "complement_proteins": 3,
        "sle_specific_antibodies": 6,
    }
    assert c.points == 24
    assert c.classified is True


def test_each_domain_counts_once_exhaustively() -> None:
    # every subset of every domain's observations, evaluated as one array
    for domain, crits in FIGURE.items():
        members = [o for _, group in crits for o in group]
        subsets = list(itertools.product([False, True], repeat=len(members)))
        cols = {m: [s[i] for s in subsets] for i, m in enumerate(members)}
        c = eular_acr_2019(True, **cols)
        for row, s in enumerate(subsets):
            present = {m for m, on in zip(members, s) if on}
            expected = reference(True, present)[2][domain]
            assert c.domains[domain][row] == expected
            assert c.points[row] == expected


def test_exhaustive_over_one_observation_per_weight_level() -> None:
    # 2^12 combinations of observations spanning every domain and weight
    chosen = [
        "fever",
        "thrombocytopenia",
        "seizure",
        "oral_ulcers",
        "acute_cutaneous_lupus",
        "pleural_effusion",
        "joint_involvement",
        "proteinuria",
        "lupus_nephritis_class_iii_or_iv",
        "low_c3",
        "low_c4",
        "anti_smith",
    ]
    combos = np.array(list(itertools.product([False, True], repeat=len(chosen))))
    for ana in (True, False):
        c = eular_acr_2019(ana, **{o: combos[:, i] for i, o in enumerate(chosen)})
        for row in range(0, len(combos)):
            present = {o for o, on in zip(chosen, combos[row]) if on}
            points, classified, _ = reference(ana, present)
            assert c.points[row] == points
            assert c.classified[row] is classified


@settings(max_examples=150, deadline=None)
@given(st.booleans(), observation_sets)
def test_matches_reference(ana: bool, present: set[str]) -> None:
    c = eular_acr_2019(ana, **dict.fromkeys(present, True))
    points, classified, domains = reference(ana, present)
    assert c.points == points
    assert c.classified is classified
    assert dict(c.domains) == domains
    assert 0 <= c.points <= 51


@settings(max_examples=100, deadline=None)
@given(st.booleans(), observation_sets, st.sampled_from(OBSERVATIONS))
def test_adding_an_observation_never_lowers_points(
    ana: bool, present: set[str], extra: str
) -> None:
    before = eular_acr_2019(ana, **dict.fromkeys(present, True))
    after = eular_acr_2019(ana, **dict.fromkeys(present | {extra}, True))
    assert after.points >= before.points
    assert after.classified >= before.classified
    for d in FIGURE:
        assert after.domains[d] >= before.domains[d]


@settings(max_examples=100, deadline=None)
@given(observation_sets)
def test_ana_negative_is_never_classified(present: set[str]) -> None:
    c = eular_acr_2019(False, **dict.fromkeys(present, True))
    assert c.classified is False
    assert c.entry_met is False


@settings(max_examples=100, deadline=None)
@given(st.sets(st.sampled_from([o for o in OBSERVATIONS if DOMAIN_OF[o] not in CLINICAL])))
def test_no_clinical_criterion_is_never_classified(present: set[str]) -> None:
    c = eular_acr_2019(True, **dict.fromkeys(present, True))
    assert c.classified is False


@settings(max_examples=100, deadline=None)
@given(
    st.sampled_from([True, False, None]),
    st.dictionaries(st.sampled_from(OBSERVATIONS), st.sampled_from([True, False, None])),
)
def test_unknowns_are_unknown_exactly_when_they_could_change_the_outcome(
    ana: bool | None, obs: dict[str, bool | None]
) -> None:
    c = eular_acr_2019(ana, **obs)
    unknown = [k for k, v in obs.items() if v is None]
    known_present = {k for k, v in obs.items() if v is True}
    anas = [True, False] if ana is None else [ana]
    outcomes = set()
    for a in anas:
        for bits in itertools.product([False, True], repeat=len(unknown)):
            completed = known_present | {u for u, b in zip(unknown, bits) if b}
            outcomes.add(reference(a, completed)[1])
    expected = outcomes.pop() if len(outcomes) == 1 else None
    assert c.classified is expected
    assert c.points == reference(True, known_present)[0]
    assert c.entry_met is ana


@settings(max_examples=50, deadline=None)
@given(st.lists(st.tuples(st.booleans(), observation_sets), min_size=1, max_size=6))
def test_scalar_and_array_agree(patients: list[tuple[bool, set[str]]]) -> None:
    ana = [a for a, _ in patients]
    cols = {o: [o in p for _, p in patients] for o in OBSERVATIONS}
    arr = eular_acr_2019(ana, **cols)
    assert isinstance(arr.points, np.ndarray)
    for i, (a, p) in enumerate(patients):
        one = eular_acr_2019(a, **dict.fromkeys(p, True))
        assert arr.points[i] == one.points
        assert arr.classified[i] is one.classified
        assert arr.entry_met[i] is one.entry_met
        for d in FIGURE:
            assert arr.domains[d][i] == one.domains[d]


def test_array_representation_of_unknown() -> None:
    c = eular_acr_2019(
        [True, False, None, True],
        joint_involvement=True,
        anti_dsdna=[True, True, True, None],
    )
    # array judgements are compact (issue 20): int8 codes, not an object array
    assert isinstance(c.classified, CodedArray) and c.classified.nbytes == 4
    assert list(c.classified) == [True, False, None, None]
    assert list(c.entry_met) == [True, False, None, True]
    assert_array_equal(c.points, [12, 12, 12, 6])


def test_missing_observation_that_cannot_matter_is_not_unknown() -> None:
    # already 16 points with a clinical criterion: an unknown cannot undo it
    c = eular_acr_2019(
        True, acute_cutaneous_lupus=True, joint_involvement=True, low_c3=True, seizure=None
    )
    assert c.classified is True
    # 2 points and only 2 more possible from the unknown: cannot reach 10
    c = eular_acr_2019(True, fever=True, oral_ulcers=math.nan)
    assert c.classified is False


def test_unknown_keyword_is_a_type_error_naming_it() -> None:
    with pytest.raises(TypeError, match="arthritis"):
        eular_acr_2019(True, arthritis=True)


@pytest.mark.parametrize("bad", [2, -1, 0.5, "positive"])
def test_bad_values_raise_input_error_naming_the_field(bad: Any) -> None:
    with pytest.raises(InputError, match="ana_positive"):
        eular_acr_2019(bad, fever=True)
    with pytest.raises(InputError, match="seizure"):
        eular_acr_2019(True, seizure=bad)


def test_array_error_names_index() -> None:
    with pytest.raises(InputError, match=r"low_c4\[1\]"):
        eular_acr_2019(True, low_c4=[0, 7])


def test_inputs_not_mutated() -> None:
    ana = np.array([1.0, np.nan, 0.0])
    fever = np.array([True, True, False])
    ana0, fever0 = ana.copy(), fever.copy()
    c = eular_acr_2019(ana, fever=fever)
    assert_array_equal(ana, ana0)
    assert_array_equal(fever, fever0)
    assert not np.shares_memory(c.points, fever)


def test_pandas_series_in_series_out() -> None:
    pd = pytest.importorskip("pandas")
    idx = ["p1", "p2"]
    c = eular_acr_2019(
        pd.Series([True, True], index=idx),
        joint_involvement=pd.Series([True, False], index=idx),
        anti_dsdna=True,
    )
    assert isinstance(c.points, pd.Series)
    assert list(c.points.index) == idx
    assert list(c.classified) == [True, False]


# --------------------------------------------------------------------------
# ANA titre helper
# --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("titre", "expected"),
    [(80, True), (79.9, False), (40, False), (160, True), (1280, True), (0, False)],
)
def test_ana_titre_threshold_from_both_sides(titre: float, expected: bool) -> None:
    # Aringer 2019: ANA at a titre of >= 1:80 on HEp-2 cells
    assert ana_positive_from_titre(titre) is expected


def test_ana_titre_missing_and_arrays() -> None:
    assert ana_positive_from_titre(None) is None
    # array judgements are compact (issue 20): met / not met / unknown codes
    assert ana_positive_from_titre([40, 80, np.nan]).tolist() == [False, True, None]
    assert_array_equal(ana_positive_from_titre([40, 80, np.nan]).astype(float), [0, 1, np.nan])
    c = eular_acr_2019(
        ana_positive_from_titre([40, 80, np.nan]), lupus_nephritis_class_iii_or_iv=True
    )
    assert list(c.classified) == [False, True, None]


@pytest.mark.parametrize("bad", [-80, math.inf, "1:80", True])
def test_ana_titre_bad_input(bad: Any) -> None:
    with pytest.raises(InputError, match="titre_denominator"):
        ana_positive_from_titre(bad)
