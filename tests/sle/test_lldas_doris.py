"""Tests of LLDAS (Franklyn 2016) and DORIS remission (van Vollenhoven 2021)."""

from __future__ import annotations

import math
from typing import Any

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from clinscores import InputError
from clinscores.sle import SLEDAI2K_WEIGHTS, doris_remission, lldas, sledai2k
from clinscores.sle.doris import CLINICAL_SLEDAI_DESCRIPTORS, SEROLOGICAL_DESCRIPTORS
from clinscores.sle.lldas import LLDAS_MAJOR_ORGAN_DESCRIPTORS

OK: dict[str, Any] = {
    "other_new_activity": False,
    "hemolytic_anemia": False,
    "gastrointestinal_activity": False,
    "pga": 0.5,
    "prednisolone_mg_day": 5.0,
    "immunosuppressants_tolerated": True,
}


#: Every SLEDAI-2K descriptor absent: the cases below name only those that are not.
NONE = dict.fromkeys(SLEDAI2K_WEIGHTS, False)


def in_lldas(cur: dict[str, Any], prev: dict[str, Any] | None = None, **kw: Any) -> Any:
    before = NONE | (cur if prev is None else prev)
    return lldas(descriptors=NONE | cur, previous_descriptors=before, **(OK | kw))


def test_constants_match_table_1() -> None:
    # Franklyn et al. 2016, Table 1: SLEDAI-2K <= 4, PGA <= 1 (0-3), prednisolone <= 7.5 mg
    from clinscores.sle import lldas as mod

    m = __import__(mod.__module__, fromlist=["x"])
    assert (m.LLDAS_SLEDAI_MAX, m.LLDAS_PGA_MAX, m.LLDAS_PREDNISOLONE_MAX_MG_DAY) == (4, 1.0, 7.5)
    majors = {d for ds in LLDAS_MAJOR_ORGAN_DESCRIPTORS.values() for d in ds}
    assert majors <= set(SLEDAI2K_WEIGHTS)
    assert not majors & {"arthritis", "myositis", "rash", "alopecia", "mucosal_ulcers",
                         "low_complement", "increased_dna_binding", "thrombocytopenia",
                         "leukopenia"}  # fmt: skip


@pytest.mark.parametrize(
    ("cur", "expected"),
    [({"arthritis": True}, True),  # 4: at the limit
     ({"arthritis": True, "fever": True}, False),  # 5 and fever
     ({"arthritis": True, "leukopenia": True}, False),  # 5
     ({"rash": True, "low_complement": True}, True),  # 4
     ({"rash": True, "alopecia": True, "thrombocytopenia": True}, False)],  # 5
)  # fmt: skip
def test_sledai_at_most_4_both_sides(cur: dict[str, Any], expected: bool) -> None:
    assert in_lldas(cur) is expected


@pytest.mark.parametrize(
    "descriptor", sorted({d for ds in LLDAS_MAJOR_ORGAN_DESCRIPTORS.values() for d in ds})
)
def test_any_major_organ_activity_excludes(descriptor: str) -> None:
    assert in_lldas({descriptor: True}) is False


def test_explicit_hemolysis_and_gi() -> None:
    assert in_lldas({}, hemolytic_anemia=True) is False
    assert in_lldas({}, gastrointestinal_activity=True) is False
    assert in_lldas({}, hemolytic_anemia=None) is None


def test_new_features_since_previous() -> None:
    assert in_lldas({"rash": True}, {"rash": False}) is False
    assert in_lldas({"rash": True}, {"rash": True}) is True
    assert in_lldas({"rash": False}, {"rash": True}) is True  # resolved is not new
    assert in_lldas({"rash": True}, {"rash": None}) is None
    assert in_lldas({"rash": True}, {"rash": True}, other_new_activity=True) is False
    assert in_lldas({}, {}, other_new_activity=None) is None


@pytest.mark.parametrize(("pga", "expected"), [(1.0, True), (1.01, False), (0.99, True)])
def test_pga_at_most_1(pga: float, expected: bool) -> None:
    assert in_lldas({}, pga=pga) is expected


@pytest.mark.parametrize(("dose", "expected"), [(7.5, True), (7.51, False), (0, True), (10, False)])
def test_prednisolone_at_most_7_5(dose: float, expected: bool) -> None:
    assert in_lldas({}, prednisolone_mg_day=dose) is expected


def test_tolerated_is_explicit() -> None:
    assert in_lldas({}, immunosuppressants_tolerated=False) is False
    assert in_lldas({}, immunosuppressants_tolerated=None) is None


def test_lldas_arrays_and_missing() -> None:
    out = lldas(descriptors=NONE | {"arthritis": [True, True, None]},
                previous_descriptors=NONE | {"arthritis": [True, False, False]},
                **(OK | {"pga": [1, 1, 1]}))  # fmt: skip
    assert list(out) == [True, False, None]
    # unknown now but present before: it cannot be new, and 4 points at most
    assert in_lldas({"arthritis": None}, {"arthritis": True}) is True


def test_lldas_bad_input() -> None:
    with pytest.raises(InputError, match=r"descriptors\['rashes'\]"):
        in_lldas({"rashes": True})
    with pytest.raises(InputError, match=r"previous_descriptors\['rash'\]\[1\] = 3"):
        in_lldas({"rash": [True, True]}, {"rash": [1, 3]})
    with pytest.raises(InputError, match=r"prednisolone_mg_day = -1"):
        in_lldas({}, prednisolone_mg_day=-1)
    with pytest.raises(InputError, match=r"pga = 3.5"):
        in_lldas({}, pga=3.5)


# ----------------------------------------------------------------------------- DORIS


def test_doris_constants() -> None:
    from clinscores.sle.doris import DORIS_PGA_BELOW, DORIS_PREDNISOLONE_MAX_MG_DAY

    # van Vollenhoven et al. 2021: clinical SLEDAI = 0, PGA < 0.5, prednisolone <= 5 mg/day
    assert (DORIS_PGA_BELOW, DORIS_PREDNISOLONE_MAX_MG_DAY) == (0.5, 5.0)
    assert set(SEROLOGICAL_DESCRIPTORS) == {"low_complement", "increased_dna_binding"}
    assert len(CLINICAL_SLEDAI_DESCRIPTORS) == 22


def doris(**kw: Any) -> Any:
    args: dict[str, Any] = {"pga": 0.2, "prednisolone_mg_day": 2.5, "treatment_permitted": True}
    if "descriptors" not in kw and "clinical_sledai" not in kw:
        kw["descriptors"] = {}
    if kw.get("descriptors") is not None:  # the descriptors not named are absent
        kw["descriptors"] = NONE | kw["descriptors"]
    return doris_remission(**(args | kw))


@pytest.mark.parametrize(("pga", "expected"), [(0.49, True), (0.5, False), (0.0, True)])
def test_doris_pga_below_half(pga: float, expected: bool) -> None:
    assert doris(pga=pga) is expected


@pytest.mark.parametrize(("dose", "expected"), [(5.0, True), (5.01, False)])
def test_doris_prednisolone(dose: float, expected: bool) -> None:
    assert doris(prednisolone_mg_day=dose) is expected


def test_doris_serology_ignored_clinical_counts() -> None:
    assert doris(descriptors={"low_complement": True, "increased_dna_binding": True}) is True
    assert doris(descriptors={"alopecia": True}) is False
    assert doris(descriptors={"alopecia": None}) is None
    assert doris(descriptors={"low_complement": None}) is True
    assert doris(clinical_sledai=0) is True
    assert doris(clinical_sledai=1) is False
    assert doris(clinical_sledai=math.nan) is None
    assert list(doris(clinical_sledai=[None, 0])) == [None, True]
    assert doris(treatment_permitted=False) is False


def test_doris_descriptors_or_score_and_bad_input() -> None:
    with pytest.raises(InputError, match="exactly one"):
        doris_remission(pga=0, prednisolone_mg_day=0, treatment_permitted=True)
    with pytest.raises(InputError, match="exactly one"):
        doris(descriptors={}, clinical_sledai=0)
    with pytest.raises(InputError, match=r"others = 'no' is not allowed"):
        doris_remission(descriptors={}, others="no", pga=0, prednisolone_mg_day=0,
                        treatment_permitted=True)  # fmt: skip
    with pytest.raises(InputError, match=r"clinical_sledai = 102"):
        doris(clinical_sledai=102)
    with pytest.raises(InputError, match=r"treatment_permitted = 'yes'"):
        doris(treatment_permitted="yes")


def test_doris_arrays_equal_scalars() -> None:
    out = doris(pga=[0.4, 0.5, None], clinical_sledai=np.array([0, 0, 0]))
    assert list(out) == [True, False, None]


flag = st.sampled_from([True, False, None])


@settings(max_examples=200, deadline=None)
@given(
    st.fixed_dictionaries({d: flag for d in SLEDAI2K_WEIGHTS}),
    st.fixed_dictionaries({d: flag for d in SLEDAI2K_WEIGHTS}),
    st.integers(0, 300).map(lambda x: x / 100),
    st.integers(0, 1000).map(lambda x: x / 100),
)
def test_doris_implies_lldas_when_inputs_agree(
    cur: dict[str, Any], prev: dict[str, Any], pga: float, dose: float
) -> None:
    remission = doris_remission(
        descriptors=cur, pga=pga, prednisolone_mg_day=dose, treatment_permitted=True
    )
    if remission is not True:
        return
    # LLDAS inputs that agree: nothing new since the previous visit, no
    # haemolysis or GI activity, maintenance drugs tolerated
    state = lldas(descriptors=cur, previous_descriptors=cur | {d: True for d in cur},
                  other_new_activity=False, hemolytic_anemia=False,
                  gastrointestinal_activity=False, pga=pga,
                  prednisolone_mg_day=dose, immunosuppressants_tolerated=True)  # fmt: skip
    assert state is True


@settings(max_examples=150, deadline=None)
@given(
    st.fixed_dictionaries({d: flag for d in SLEDAI2K_WEIGHTS}),
    st.data(),
)
def test_lldas_removing_a_descriptor_keeps_the_state(
    cur: dict[str, Any], data: st.DataObject
) -> None:
    prev = {d: True for d in cur}
    if in_lldas(cur, prev) is not True:
        return
    gone = data.draw(st.sampled_from(sorted(cur)))
    assert in_lldas(cur | {gone: False}, prev) is True
    score = sledai2k(**{k: bool(v) for k, v in cur.items()})
    assert score <= 4


@settings(max_examples=150, deadline=None)
@given(
    st.fixed_dictionaries({d: flag for d in SLEDAI2K_WEIGHTS}),
    st.integers(0, 300),
    st.integers(0, 1000),
    st.data(),
)
def test_improving_a_component_keeps_remission_and_lldas(
    cur: dict[str, Any], pga100: int, dose100: int, data: st.DataObject
) -> None:
    pga, dose = pga100 / 100, dose100 / 100
    better_pga = data.draw(st.integers(0, pga100)) / 100
    better_dose = data.draw(st.integers(0, dose100)) / 100
    gone = data.draw(st.sampled_from(sorted(cur)))
    better = cur | {gone: False}
    kw = {"treatment_permitted": True}
    if doris_remission(descriptors=cur, pga=pga, prednisolone_mg_day=dose, **kw) is True:
        assert (
            doris_remission(
                descriptors=better, pga=better_pga, prednisolone_mg_day=better_dose, **kw
            )
            is True
        )
    prev = {d: True for d in cur}
    if in_lldas(cur, prev, pga=pga, prednisolone_mg_day=dose) is True:
        assert in_lldas(better, prev, pga=better_pga, prednisolone_mg_day=better_dose) is True


# --------------------------------------------------------------------------
# an omitted descriptor is never absent (issue 16, item 11: a forgotten
# descriptor must not make a patient in LLDAS or in remission)
# --------------------------------------------------------------------------


def test_lldas_omitted_descriptor_is_an_error_naming_it() -> None:
    # reproducer: {"arthritis": True} alone was read as every other descriptor absent
    with pytest.raises(TypeError, match=r"lldas\(\) missing 23 descriptors: seizure, "):
        lldas(descriptors={"arthritis": True}, previous_descriptors=NONE, **OK)
    with pytest.raises(TypeError, match=r"lldas\(\) missing 1 previous descriptor: fever;"):
        without_fever = {k: v for k, v in NONE.items() if k != "fever"}
        lldas(descriptors=NONE, previous_descriptors=without_fever, **OK)
    # others= says what the rest are: absent, or unknown
    assert lldas(descriptors={"arthritis": True}, previous_descriptors={"arthritis": True},
                 others=False, **OK) is True  # fmt: skip
    assert lldas(descriptors={"arthritis": True}, previous_descriptors={"arthritis": True},
                 others=None, **OK) is None  # fmt: skip
    with pytest.raises(InputError, match=r"others = 'absent' is not allowed"):
        lldas(descriptors=NONE, previous_descriptors=NONE, others="absent", **OK)


def test_doris_omitted_clinical_descriptor_is_an_error_naming_it() -> None:
    kw: dict[str, Any] = {"pga": 0.2, "prednisolone_mg_day": 2.5, "treatment_permitted": True}
    with pytest.raises(TypeError, match=r"doris_remission\(\) missing 22 descriptors: seizure"):
        doris_remission(descriptors={}, **kw)
    # the serological descriptors are ignored by DORIS: they need not be given
    clinical = {d: False for d in CLINICAL_SLEDAI_DESCRIPTORS}
    assert doris_remission(descriptors=clinical, **kw) is True
    assert doris_remission(descriptors={"alopecia": False}, others=False, **kw) is True
    assert doris_remission(descriptors={"alopecia": False}, others=None, **kw) is None
