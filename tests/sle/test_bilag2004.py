"""Tests of clinscores.sle.bilag2004.

Sources of the expected values:
- item numbers, names, systems and recording scales: the BILAG-2004 index form,
  revision 1 September 2009 (public transcriptions of the form);
- grading rules: the scoring section of the BILAG-2004 glossary (Yee 2007,
  Suppl. App. B) as restated in the project's shared/bilag2004-grading.md,
  corroborated by the UK JSLE Cohort Study's REDCap BILAG module (its renal
  functions and its tests' expected grades for systems 1-7, e.g. the
  constitutional table in test_constitutional_corroborating_cases);
- numerical values A=12, B=8, C=1, D=0, E=0: Yee CS et al., Rheumatology
  2010;49:1665-1669 (abstract);
- "at least 1 grade A or 2 grade B": trial NCT07052565 inclusion criteria.
Boundary values are computed by hand from those thresholds.
"""

from __future__ import annotations

import copy
import functools
import itertools
import math
import random

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from clinscores import InputError
from clinscores.sle.bilag2004 import (
    BILAG2004_GRADE_POINTS,
    BILAG2004_GRADES,
    BILAG2004_ITEM_GROUPS,
    BILAG2004_ITEMS,
    BILAG2004_PREVIOUS_ITEMS,
    BILAG2004_SYSTEMS,
    bilag2004_1a_or_2b,
    bilag2004_numeric,
)
from clinscores.sle.bilag2004 import (
    bilag2004 as _bilag2004,
)
from clinscores.sle.bilag2004 import (
    bilag2004_explain as _bilag2004_explain,
)

# The tests below give only the items they are about.  Since an item left out
# of the form is no longer unknown silently (it raises TypeError), they say
# what the rest are: unknown (measured values: not done), the old meaning;
# test_items_left_out_raise_naming_them tests the rule itself.
bilag2004 = functools.partial(_bilag2004, others=None)
bilag2004_explain = functools.partial(_bilag2004_explain, others=None)

SYSTEMS = BILAG2004_SYSTEMS
CLINICAL = [n for n, it in BILAG2004_ITEMS.items() if it.scale == "0-4"]
YES_NO = [n for n, it in BILAG2004_ITEMS.items() if it.scale == "yes/no"]
VALUES = [n for n, it in BILAG2004_ITEMS.items() if it.scale == "value"]
RANK = {g: i for i, g in enumerate(reversed(BILAG2004_GRADES))}  # E=0 < D < C < B < A=4
LEVEL = {"E": 0, "D": 0, "C": 1, "B": 2, "A": 3}

# A normal set of measured values in the form's units, all confirmed not due to SLE.
NORMAL_VALUES = {
    78: 120,
    79: 80,
    81: 0,
    82: 1.0,
    83: 10.0,
    84: 0.1,
    86: 70,
    87: 95,
    90: 13.5,
    91: 6.0,
    92: 4.0,
    93: 1.8,
    94: 250,
}


def inactive_form() -> dict[int, object]:
    """A complete form with nothing present (clinical 0, yes/no False, normal values)."""
    form: dict[int, object] = dict.fromkeys(CLINICAL, 0)
    form.update(dict.fromkeys(YES_NO, False))
    form.update(NORMAL_VALUES)
    return form


NOT_SLE = dict.fromkeys(VALUES, False)
ALL_PREVIOUS = dict.fromkeys(SYSTEMS, True)
NEVER = dict.fromkeys(SYSTEMS, False)


def grades_of(*letters: str | None) -> dict[str, str | None]:
    return dict(zip(SYSTEMS, letters))


# --------------------------------------------------------------------------
# item catalogue (form revision 1 Sep 2009)
# --------------------------------------------------------------------------


def test_items_numbered_1_to_97() -> None:
    assert list(BILAG2004_ITEMS) == list(range(1, 98))
    assert all(it.number == n for n, it in BILAG2004_ITEMS.items())


def test_items_per_system_as_on_form() -> None:
    # form: constitutional 1-4, mucocutaneous 5-18, neuropsychiatric 19-38,
    # musculoskeletal 39-43, cardiorespiratory 44-55, gastrointestinal 56-64,
    # ophthalmic 65-77, renal 78-89, haematological 90-97
    ranges = dict(
        zip(
            SYSTEMS,
            [(1, 4), (5, 18), (19, 38), (39, 43), (44, 55), (56, 64), (65, 77), (78, 89), (90, 97)],
        )
    )
    for system, (lo, hi) in ranges.items():
        numbers = [n for n, it in BILAG2004_ITEMS.items() if it.system == system]
        assert numbers == list(range(lo, hi + 1)), system


@pytest.mark.parametrize(
    ("number", "fragment"),
    [
        (1, "Pyrexia"),
        (2, "Weight loss"),
        (5, "Skin eruption - severe"),
        (13, "Major cutaneous vasculitis"),
        (24, "Psychosis"),
        (37, "Lupus headache"),
        (41, "Arthritis (severe)"),
        (49, "Cardiac tamponade"),
        (56, "Lupus peritonitis"),
        (69, "Posterior uveitis"),
        (77, "Anterior ischaemic optic neuropathy"),
        (78, "Systolic blood pressure"),
        (83, "Urine protein-creatinine ratio"),
        (86, "Creatinine"),
        (87, "GFR"),
        (90, "Haemoglobin"),
        (94, "Platelets"),
        (95, "TTP"),
        (97, "Coombs"),
    ],
)
def test_item_names(number: int, fragment: str) -> None:
    assert fragment in BILAG2004_ITEMS[number].name


def test_item_scales() -> None:
    assert YES_NO == [80, 85, 88, 89, 96, 97]
    assert VALUES == [78, 79, 81, 82, 83, 84, 86, 87, 90, 91, 92, 93, 94]
    assert [*range(1, 78), 95] == CLINICAL


def test_grade_points_yee_2010() -> None:
    assert BILAG2004_GRADE_POINTS == {"A": 12, "B": 8, "C": 1, "D": 0, "E": 0}


# --------------------------------------------------------------------------
# bilag2004: D / E / unknown
# --------------------------------------------------------------------------


def test_inactive_form_previously_involved_gives_d() -> None:
    out = bilag2004(inactive_form(), previously_active=ALL_PREVIOUS, due_to_sle=NOT_SLE)
    assert out == dict.fromkeys(SYSTEMS, "D")
    assert list(out) == list(SYSTEMS)


def test_inactive_form_never_involved_gives_e() -> None:
    out = bilag2004(inactive_form(), previously_active=NEVER, due_to_sle=NOT_SLE)
    assert out == dict.fromkeys(SYSTEMS, "E")


@pytest.mark.parametrize("system", SYSTEMS)
def test_minimal_item_set_per_system(system: str) -> None:
    # D and E reached by the system's own items alone; other systems unknown
    # (but renal, whose measured values not given were not done).
    own = {n: v for n, v in inactive_form().items() if BILAG2004_ITEMS[n].system == system}
    for before, grade in ((True, "D"), (False, "E")):
        out = bilag2004(own, previously_active={system: before}, due_to_sle=NOT_SLE)
        assert out[system] == grade
        assert all(out[s] is None for s in SYSTEMS if s != system)


def test_history_not_given_is_unknown() -> None:
    out = bilag2004(inactive_form(), due_to_sle=NOT_SLE)
    assert out == dict.fromkeys(SYSTEMS)
    out = bilag2004(
        inactive_form(), previously_active={"renal": None, "ophthalmic": True}, due_to_sle=NOT_SLE
    )
    assert out["renal"] is None
    assert out["ophthalmic"] == "D"


RENAL_VALUES = [n for n in VALUES if BILAG2004_ITEMS[n].system == "renal"]


@pytest.mark.parametrize("number", list(BILAG2004_ITEMS))
def test_missing_item(number: int) -> None:
    # A missing item makes its system unknown, except a renal measured value,
    # which was not done: its criteria are not met (a known state).
    form = inactive_form()
    form[number] = None
    out = bilag2004(form, previously_active=NEVER, due_to_sle=NOT_SLE)
    system = BILAG2004_ITEMS[number].system
    assert out[system] == ("E" if number in RENAL_VALUES else None)
    assert all(out[s] == "E" for s in SYSTEMS if s != system)
    del form[number]  # not given at all: the same
    assert bilag2004(form, previously_active=NEVER, due_to_sle=NOT_SLE) == out


def test_nan_is_missing() -> None:
    form = inactive_form()
    form[90] = math.nan
    assert bilag2004(form, previously_active=NEVER, due_to_sle=NOT_SLE)["hematological"] is None


@pytest.mark.parametrize("number", VALUES)
def test_value_attribution_not_given(number: int) -> None:
    # Unknown for a haematological value; a normal renal value meets no
    # criterion whether or not it is due to SLE, so renal stays known.
    due = dict(NOT_SLE)
    del due[number]
    out = bilag2004(inactive_form(), previously_active=NEVER, due_to_sle=due)
    assert out[BILAG2004_ITEMS[number].system] == ("E" if number in RENAL_VALUES else None)


def test_yes_no_accepts_zero_one() -> None:
    form = inactive_form()
    form.update(dict.fromkeys(YES_NO, 0))
    assert bilag2004(form, previously_active=NEVER, due_to_sle=NOT_SLE)["renal"] == "E"


# --------------------------------------------------------------------------
# systems 1-7: every item alone at every code
# --------------------------------------------------------------------------

GROUP_OF = {
    n: "ABC"[row]
    for groups in BILAG2004_ITEM_GROUPS.values()
    for row, items in enumerate(groups)
    for n in items
}


def test_groups_partition_each_system() -> None:
    for system, groups in BILAG2004_ITEM_GROUPS.items():
        listed = sorted(n for g in groups for n in g)
        own = sorted(n for n, it in BILAG2004_ITEMS.items() if it.system == system)
        assert listed == own


def test_groups_follow_the_forms_severity_labels() -> None:
    # Of each "- severe"/"- mild" pair, the severe item is in the higher group.
    names = {BILAG2004_ITEMS[n].name: n for n in GROUP_OF}
    pairs = 0
    for name, n in names.items():
        if name.endswith("- severe"):
            mild = names[name.replace("- severe", "- mild")]
            assert GROUP_OF[n] < GROUP_OF[mild], name
            pairs += 1
    assert pairs == 9  # skin, angio-oedema, mucosal, panniculitis, alopecia, myositis,
    # keratitis, posterior uveitis, scleritis


def expected_alone(number: int, code: int) -> str:
    """The grade of a system with one item at *code* (written from the rule text)."""
    if number in (2, 3, 4):  # one constitutional item other than pyrexia
        return "C"
    if number == 1:
        return "B" if code >= 2 else "C"
    group = GROUP_OF[number]
    if group == "A":
        return "A" if code >= 2 else "B"
    if group == "B":
        return "B" if code >= 2 else "C"
    return "C"


ITEMS_1_TO_77 = [n for n in CLINICAL if n <= 77]


@pytest.mark.parametrize("number", ITEMS_1_TO_77)
@pytest.mark.parametrize("code", [1, 2, 3, 4])
def test_every_item_alone(number: int, code: int) -> None:
    form = inactive_form()
    form[number] = code
    out = bilag2004(form, previously_active=NEVER, due_to_sle=NOT_SLE)
    system = BILAG2004_ITEMS[number].system
    assert out[system] == expected_alone(number, code)
    assert all(out[s] == "E" for s in SYSTEMS if s != system)


def constitutional_rule(p: int, w: int, l: int, a: int) -> str:  # noqa: E741
    """Written independently from the rule text, for the exhaustive test."""
    others_2_4 = len([x for x in (w, l, a) if 2 <= x <= 4])
    if 2 <= p <= 4 and others_2_4 >= 2:
        return "A"
    if 2 <= p <= 4 or others_2_4 >= 2:
        return "B"
    if max(p, w, l, a) >= 1:
        return "C"
    return "E"


def test_constitutional_all_625_combinations() -> None:
    codes = list(itertools.product(range(5), repeat=4))
    arrays = {n + 1: np.array([c[n] for c in codes]) for n in range(4)}
    got = bilag2004(arrays, previously_active={"constitutional": False})["constitutional"]
    for row, combo in enumerate(codes):
        assert got[row] == constitutional_rule(*combo), combo


@pytest.mark.parametrize(
    ("codes", "grade"),
    [  # (pyrexia, weight loss, lymphadenopathy, anorexia): corroborating implementation's tests
        ((3, 2, 2, 0), "A"),
        ((4, 3, 0, 2), "A"),
        ((3, 1, 0, 0), "B"),
        ((0, 0, 3, 3), "B"),
        ((2, 0, 0, 3), "B"),
        ((1, 0, 0, 0), "C"),
        ((0, 4, 0, 0), "C"),
    ],
)
def test_constitutional_corroborating_cases(codes: tuple[int, ...], grade: str) -> None:
    form = dict(zip((1, 2, 3, 4), codes))
    assert bilag2004(form, previously_active={"constitutional": True})["constitutional"] == grade


@pytest.mark.parametrize("system", list(BILAG2004_ITEM_GROUPS))
def test_improving_a_item_listed_first_does_not_hide_a_worse_one(system: str) -> None:
    # The corroborating tests record an order bug: an improving group-A item
    # listed first hid a worse group-A item listed later.
    first, second = BILAG2004_ITEM_GROUPS[system][0][:2]
    own = [n for g in BILAG2004_ITEM_GROUPS[system] for n in g]
    for order in ((first, second), (second, first)):
        form: dict[int, object] = {order[0]: 1, order[1]: 3}
        form.update({n: 0 for n in own if n not in form})
        assert bilag2004(form)[system] == "A"


def test_highest_item_decides() -> None:
    form = {39: 0, 40: 4, 41: 1, 42: 3, 43: 4}  # B from 40, 41 and 42; C from 43
    assert bilag2004(form)["musculoskeletal"] == "B"


def test_a_system_at_a_stays_a_with_missing_items() -> None:
    assert bilag2004({41: 2})["musculoskeletal"] == "A"
    assert bilag2004({41: 1})["musculoskeletal"] is None  # 39 could still be 2..4
    assert bilag2004({1: 2, 2: 3, 3: 4})["constitutional"] == "A"
    assert bilag2004({1: 2, 2: 3})["constitutional"] is None  # B, or A by 3 or 4


# --------------------------------------------------------------------------
# renal
# --------------------------------------------------------------------------

RENAL_FLAGS = (80, 85, 88, 89)


def renal(
    current: dict[int, float] | None = None,
    previous: dict[int, float] | None = None,
    flags: tuple[int, ...] = (),
    due: bool | None = True,
) -> str | None:
    """Renal grade: the given values (due to SLE unless said), the given flags True."""
    items: dict[int, object] = {n: (n in flags) for n in RENAL_FLAGS}
    items.update(current or {})
    due_to_sle = {n: due for n in (current or {}) if n not in RENAL_FLAGS}
    out = bilag2004(
        items, previous=previous, due_to_sle=due_to_sle, previously_active={"renal": False}
    )
    grade = out["renal"]
    assert grade is None or isinstance(grade, str)
    return grade


@pytest.mark.parametrize(
    ("item", "a_limit", "above_a", "b_limit", "below_b", "c_limit", "above_c"),
    [
        (84, 1.0, 1.001, 0.5, 0.499, 0.25, 0.251),  # 24-hour protein, g
        (83, 100.0, 100.1, 50.0, 49.9, 25.0, 25.1),  # UPCR, mg/mmol
        (82, 100.0, 100.1, 50.0, 49.9, 25.0, 25.1),  # UACR, mg/mmol
    ],
)
def test_proteinuria_boundaries(
    item: int,
    a_limit: float,
    above_a: float,
    b_limit: float,
    below_b: float,
    c_limit: float,
    above_c: float,
) -> None:
    # A1 (> limit) with A4 (sediment) gives A; at the limit only A4 counts (B).
    assert renal({item: above_a}, flags=(88,)) == "A"
    assert renal({item: a_limit}, flags=(88,)) == "B"
    assert renal({item: above_a}) == "B"  # A1 alone: one criterion
    assert renal({item: b_limit}) == "B"  # B1 at >= limit
    assert renal({item: below_b}) == "C"
    assert renal({item: above_c}) == "C"  # C1 above the limit
    assert renal({item: c_limit}) == "E"
    assert renal({item: 0.0}) == "E"


@pytest.mark.parametrize(
    ("item", "before", "kept", "improved"),
    [
        (84, 2.0, 1.5, 1.499),  # exactly 25 % fall: not improved
        (83, 160.0, 120.0, 119.9),
        (82, 160.0, 120.0, 119.9),
        (84, 1.6, 1.2, 1.19),  # 0.75 * 1.6 in binary is not exactly 1.2
    ],
)
def test_proteinuria_fall_of_exactly_25_percent_is_not_improvement(
    item: int, before: float, kept: float, improved: float
) -> None:
    assert renal({item: kept}, {item: before}, flags=(88,)) == "A"
    assert renal({item: improved}, {item: before}, flags=(88,)) == "B"  # A4 alone


@pytest.mark.parametrize(("item", "before", "kept"), [(84, 0.8, 0.6), (83, 80.0, 60.0)])
def test_b1_fall_of_exactly_25_percent(item: int, before: float, kept: float) -> None:
    assert renal({item: kept}, {item: before}) == "B"
    assert renal({item: kept - 0.01}, {item: before}) == "C"  # improved; C1 still


def test_proteinuria_first_visit_counts_as_not_improved() -> None:
    assert renal({83: 150.0}, flags=(88,)) == "A"
    assert renal({83: 150.0}, {83: None}, flags=(88,)) == "A"  # type: ignore[dict-item]


def test_dipstick_only_without_a_quantitative_measure() -> None:
    assert renal({81: 2}, {81: 0}, flags=(88,)) == "A"  # risen by 2: A1
    assert renal({81: 3}, {81: 1}, flags=(88,)) == "A"
    assert renal({81: 2}, {81: 1}, flags=(88,)) == "B"  # risen by 1 to ++: B1, A4 alone
    assert renal({81: 2}, {81: 1}) == "B"
    assert renal({81: 1}, {81: 0}) == "C"  # risen by 1, only to +: C1
    assert renal({81: 2}, {81: 2}) == "C"  # no rise
    assert renal({81: 3}) == "C"  # first visit: a rise cannot be shown
    assert renal({81: 0}) == "E"
    assert renal({81: 3, 84: 0.1}, {81: 0}) == "E"  # 24-hour protein measured instead


def test_creatinine_boundaries() -> None:
    # A3: > 130 umol/l and >= 130 % of the previous value
    assert renal({86: 169.0}, {86: 130.0}, flags=(88,)) == "A"  # exactly 130 %
    assert renal({86: 168.9}, {86: 130.0}, flags=(88,)) == "B"  # below: B2 and A4 alone
    assert renal({86: 169.0}, {86: 130.0}) == "B"  # A3 alone
    assert renal({86: 130.0}, {86: 90.0}) == "E"  # not above 130
    assert renal({86: 130.1}, {86: 90.0}) == "B"
    # B2: > 130 and >= 115 % of the previous value
    assert renal({86: 138.0}, {86: 120.0}) == "B"  # exactly 115 %
    assert renal({86: 137.9}, {86: 120.0}) == "E"
    assert renal({86: 200.0}) == "E"  # first visit: a rise cannot be shown


def test_gfr_boundaries() -> None:
    # A3: GFR < 80 and at most 67 % of the previous value
    assert renal({87: 67.0}, {87: 100.0}) == "B"  # exactly 67 %
    assert renal({87: 67.0}, {87: 100.0}, flags=(88,)) == "A"
    assert renal({87: 67.1}, {87: 100.0}) == "E"
    assert renal({87: 80.0}, {87: 200.0}) == "E"  # not below 80
    assert renal({87: 79.9}, {87: 200.0}) == "B"
    # A3: GFR < 50 with the previous > 50 or not measured
    assert renal({87: 49.9}, {87: 51.0}) == "B"
    assert renal({87: 49.9}, {87: 50.0}) == "E"
    assert renal({87: 49.9}) == "B"  # first visit
    assert renal({87: 50.0}) == "E"


def test_blood_pressure_boundaries() -> None:
    # C2: > 140/90 having risen by >= 30 systolic and >= 15 diastolic
    before = {78: 111.0, 79: 76.0}
    assert renal({78: 141.0, 79: 91.0}, before) == "C"
    assert renal({78: 140.0, 79: 91.0}, before) == "E"
    assert renal({78: 141.0, 79: 90.0}, before) == "E"
    assert renal({78: 141.0, 79: 91.0}, {78: 112.0, 79: 76.0}) == "E"  # +29
    assert renal({78: 141.0, 79: 91.0}, {78: 111.0, 79: 77.0}) == "E"  # +14
    assert renal({78: 141.0, 79: 91.0}) == "E"  # first visit


@pytest.mark.parametrize(
    ("flags", "grade"),
    [
        ((88,), "B"),  # one criterion
        ((80, 85), "B"),  # two criteria, neither 1, 4 nor 5
        ((85, 88), "A"),
        ((80, 89), "A"),
        ((88, 89), "A"),
        ((80,), "B"),
        ((85,), "B"),
        ((89,), "B"),
        ((), "E"),
    ],
)
def test_grade_a_needs_criterion_1_4_or_5(flags: tuple[int, ...], grade: str) -> None:
    assert renal(flags=flags) == grade


def test_a2_a3_without_1_4_5_is_b() -> None:
    assert renal({87: 40.0}, flags=(80,)) == "B"
    assert renal({87: 40.0, 83: 150.0}, flags=(80,)) == "A"  # with A1


def test_values_not_due_to_sle_do_not_count() -> None:
    assert renal({83: 150.0}, flags=(88,), due=False) == "B"  # A4 alone
    assert renal({83: 150.0}, flags=(88,), due=None) is None  # B or A
    assert renal({83: 20.0}, due=None) == "E"  # meets nothing either way


def test_renal_yes_no_item_not_given_is_unknown() -> None:
    items: dict[int, object] = {80: False, 85: False, 89: False}
    assert bilag2004(items, previously_active={"renal": False})["renal"] is None
    items[88] = True
    items[89] = None
    assert bilag2004(items, previously_active={"renal": False})["renal"] is None  # B or A
    items[83] = 150.0
    out = bilag2004(items, due_to_sle={83: True}, previously_active={"renal": False})
    assert out["renal"] == "A"  # A1 and A4 whatever 89 is


# --------------------------------------------------------------------------
# haematological and recorded grades
# --------------------------------------------------------------------------


@pytest.mark.parametrize("change", [{95: 1}, {96: True}, {97: True}])
def test_hematological_feature_needs_a_recorded_grade(change: dict[int, object]) -> None:
    form = inactive_form()
    form.update(change)
    with pytest.raises(InputError, match=r"cannot grade hematological.*recorded"):
        bilag2004(form, previously_active=NEVER, due_to_sle=NOT_SLE)
    out = bilag2004(
        form, previously_active=NEVER, due_to_sle=NOT_SLE, recorded={"hematological": "B"}
    )
    assert out["hematological"] == "B"
    with pytest.raises(InputError, match=r"recorded\['hematological'\] = 'E' disagrees"):
        bilag2004(
            form, previously_active=NEVER, due_to_sle=NOT_SLE, recorded={"hematological": "E"}
        )


def test_hematological_value_due_to_sle_needs_a_recorded_grade() -> None:
    due = dict(NOT_SLE)
    due[94] = True
    with pytest.raises(InputError, match="hematological"):
        bilag2004(inactive_form(), previously_active=NEVER, due_to_sle=due)


def test_recorded_grade_that_agrees_is_accepted() -> None:
    form = inactive_form()
    form[41] = 3
    rec = {"musculoskeletal": "A", "renal": "E"}
    out = bilag2004(form, previously_active=NEVER, due_to_sle=NOT_SLE, recorded=rec)
    assert out["musculoskeletal"] == "A"


@pytest.mark.parametrize("grade", ["B", "C", "D", "E"])
def test_recorded_grade_that_disagrees_names_both(grade: str) -> None:
    form = inactive_form()
    form[41] = 3
    with pytest.raises(
        InputError,
        match=rf"recorded\['musculoskeletal'\] = '{grade}' disagrees with the grade from the "
        "items, A",
    ):
        bilag2004(
            form, previously_active=NEVER, due_to_sle=NOT_SLE, recorded={"musculoskeletal": grade}
        )


def test_recorded_grade_fills_what_the_items_leave_open() -> None:
    assert bilag2004({41: 1}, recorded={"musculoskeletal": "A"})["musculoskeletal"] == "A"
    assert bilag2004({41: 1}, recorded={"musculoskeletal": "B"})["musculoskeletal"] == "B"
    with pytest.raises(InputError, match="B to A"):
        bilag2004({41: 1}, recorded={"musculoskeletal": "C"})
    form = inactive_form()
    out = bilag2004(form, due_to_sle=NOT_SLE, recorded={"renal": "D"})  # no history given
    assert out["renal"] == "D"
    with pytest.raises(InputError, match="history"):
        bilag2004(
            form, due_to_sle=NOT_SLE, previously_active={"renal": True}, recorded={"renal": "E"}
        )


# --------------------------------------------------------------------------
# arrays
# --------------------------------------------------------------------------


def test_arrays_give_object_arrays_with_none() -> None:
    out = bilag2004({39: [0, 0, None], 40: 0, 41: [3, 1, 0], 42: 0, 43: [2, 0, 0]})
    assert out["musculoskeletal"].tolist() == ["A", "B", None]
    assert out["constitutional"].tolist() == [None, None, None]


def test_series_in_series_out() -> None:
    idx = pd.Index([10, 20], name="visit")
    form = {n: pd.Series([0, 0], index=idx) for n in range(39, 44)}
    form[41] = pd.Series([2, 0], index=idx)
    out = bilag2004(form, previously_active={"musculoskeletal": True})
    assert out["musculoskeletal"].tolist() == ["A", "D"]
    assert out["musculoskeletal"].index.equals(idx)


def test_array_errors_name_the_row() -> None:
    with pytest.raises(InputError, match=r"items\[41\] \(.*\)\[2\] = 5"):
        bilag2004({41: [0, 1, 5]})
    with pytest.raises(InputError, match=r"disagrees .* \(row 1\)"):
        bilag2004(
            {n: 0 for n in range(39, 44)} | {41: [0, 3]}, recorded={"musculoskeletal": ["E", "E"]}
        )
    with pytest.raises(InputError, match=r"hematological \(row 1\)"):
        bilag2004({95: [0, 2]})
    with pytest.raises(InputError, match="incompatible shapes"):
        bilag2004({1: [0, 1], 2: [0, 1, 2]})


def test_explain_is_for_one_form() -> None:
    with pytest.raises(InputError, match="one form"):
        bilag2004_explain({1: [0, 1]})


# --------------------------------------------------------------------------
# explanations
# --------------------------------------------------------------------------


def test_explain_renal_criteria_and_values() -> None:
    form = inactive_form()
    form.update({83: 150.0, 88: True})
    due = dict(NOT_SLE) | {83: True}
    out = bilag2004_explain(form, previously_active=NEVER, due_to_sle=due)
    assert out["renal"].grade == "A"
    assert out["renal"].source == "items"
    assert out["renal"].reasons == (
        "A1 severe proteinuria not improved: UPCR 150 mg/mmol > 100 (previous not measured)",
        "A4 active urinary sediment: item 88",
    )
    out = bilag2004_explain(form, previously_active=NEVER, due_to_sle=due, previous={83: 160})
    assert (
        "UPCR 150 mg/mmol > 100 (previous 160: fallen by 25 % or less)" in out["renal"].reasons[0]
    )
    assert out["mucocutaneous"] == out["mucocutaneous"].__class__(
        "E", "history", ("no activity; never involved",)
    )


def test_explain_items_that_decided() -> None:
    form = inactive_form()
    form.update({5: 1, 6: 3, 8: 2})  # B from 5 (improving, group A) and 6 (worse, group B)
    out = bilag2004_explain(form, previously_active=NEVER, due_to_sle=NOT_SLE)
    assert out["mucocutaneous"].grade == "B"
    assert out["mucocutaneous"].reasons == (
        "item 5 Skin eruption - severe: 1 (improving)",
        "item 6 Skin eruption - mild: 3 (worse)",
    )


def test_explain_unknown_and_recorded() -> None:
    out = bilag2004_explain({41: 1}, recorded={"hematological": "C"})
    assert out["musculoskeletal"].grade is None
    assert out["musculoskeletal"].source == "unknown"
    assert out["musculoskeletal"].reasons == (
        "item 41 Arthritis (severe): 1 (improving)",
        "items 39, 40, 42, 43 not recorded",
        "the items allow B to A",
    )
    assert out["hematological"].source == "recorded"
    form = inactive_form() | {94: 20.0}
    due = NOT_SLE | {94: True}
    with pytest.raises(InputError, match="hematological"):
        bilag2004_explain(form, previously_active=NEVER, due_to_sle=due)
    loose = bilag2004_explain(form, previously_active=NEVER, due_to_sle=due, strict=False)
    assert loose["hematological"].grade is None
    assert "feature present (item 94)" in loose["hematological"].reasons[0]


# --------------------------------------------------------------------------
# properties
# --------------------------------------------------------------------------

sparse_codes = st.dictionaries(st.sampled_from(ITEMS_1_TO_77), st.integers(0, 4), max_size=12)
renal_inputs = st.fixed_dictionaries(
    {},
    optional={
        78: st.sampled_from([100.0, 141.0, 160.0]),
        79: st.sampled_from([70.0, 91.0, 100.0]),
        81: st.integers(0, 3),
        82: st.sampled_from([10.0, 30.0, 50.0, 120.0]),
        83: st.sampled_from([10.0, 30.0, 50.0, 120.0]),
        84: st.sampled_from([0.1, 0.3, 0.5, 1.5]),
        86: st.sampled_from([80.0, 140.0, 200.0]),
        87: st.sampled_from([30.0, 60.0, 90.0]),
    },
)
renal_previous = st.fixed_dictionaries(
    {},
    optional={
        78: st.sampled_from([100.0, 130.0]),
        79: st.sampled_from([60.0, 80.0]),
        81: st.integers(0, 3),
        82: st.sampled_from([10.0, 100.0, 200.0]),
        83: st.sampled_from([10.0, 100.0, 200.0]),
        84: st.sampled_from([0.2, 1.0, 2.0]),
        86: st.sampled_from([60.0, 120.0, 200.0]),
        87: st.sampled_from([40.0, 100.0]),
    },
)
renal_flags = st.fixed_dictionaries({n: st.booleans() for n in RENAL_FLAGS})


def graded(
    codes: dict[int, int],
    renal_values: dict[int, float],
    flags: dict[int, bool],
    previous: dict[int, float],
) -> dict[str, str | None]:
    form = inactive_form()
    form.update(codes)
    form.update(flags)
    for n in RENAL_VALUES:
        form[n] = renal_values.get(n)
    due = dict(NOT_SLE) | dict.fromkeys(renal_values, True)
    return bilag2004(
        form,
        previous=previous,
        due_to_sle=due,
        previously_active=NEVER,
        recorded={"hematological": "E"},
    )


@settings(max_examples=60, deadline=None)
@given(
    codes=sparse_codes,
    values=renal_inputs,
    flags=renal_flags,
    previous=renal_previous,
    seed=st.integers(0, 10**6),
)
def test_order_of_items_does_not_matter(
    codes: dict[int, int],
    values: dict[int, float],
    flags: dict[int, bool],
    previous: dict[int, float],
    seed: int,
) -> None:
    form = inactive_form() | codes | flags
    for n in RENAL_VALUES:
        form[n] = values.get(n)
    due = dict(NOT_SLE) | dict.fromkeys(values, True)
    keys = list(form)
    random.Random(seed).shuffle(keys)
    shuffled = {k: form[k] for k in keys}
    kwargs = {
        "previous": previous,
        "due_to_sle": due,
        "previously_active": NEVER,
        "recorded": {"hematological": "E"},
    }
    assert bilag2004(shuffled, **kwargs) == bilag2004(form, **kwargs)  # type: ignore[arg-type]


@settings(max_examples=100, deadline=None)
@given(codes=sparse_codes, number=st.sampled_from(ITEMS_1_TO_77), data=st.data())
def test_raising_an_item_never_lowers_a_grade(
    codes: dict[int, int], number: int, data: st.DataObject
) -> None:
    before = codes.get(number, 0)
    if before >= 2:
        return
    after = data.draw(st.integers(1, 4) if before == 0 else st.integers(2, 4))
    system = BILAG2004_ITEMS[number].system
    low = graded(codes, {}, dict.fromkeys(RENAL_FLAGS, False), {})[system]
    high = graded(codes | {number: after}, {}, dict.fromkeys(RENAL_FLAGS, False), {})[system]
    assert low is not None and high is not None
    assert LEVEL[high] >= LEVEL[low]


@settings(max_examples=100, deadline=None)
@given(
    values=renal_inputs,
    flags=renal_flags,
    previous=renal_previous,
    added=st.sampled_from(RENAL_FLAGS),
)
def test_adding_a_renal_criterion_never_lowers_the_grade(
    values: dict[int, float], flags: dict[int, bool], previous: dict[int, float], added: int
) -> None:
    low = graded({}, values, flags, previous)["renal"]
    high = graded({}, values, flags | {added: True}, previous)["renal"]
    assert low is not None and high is not None
    assert LEVEL[high] >= LEVEL[low]


@settings(max_examples=30, deadline=None)
@given(
    rows=st.lists(
        st.tuples(sparse_codes, renal_inputs, renal_flags, renal_previous), min_size=1, max_size=6
    )
)
def test_arrays_equal_the_scalar_function_row_by_row(
    rows: list[tuple[dict[int, int], dict[int, float], dict[int, bool], dict[int, float]]],
) -> None:
    forms = []
    for codes, values, flags, previous in rows:
        form = inactive_form() | codes | flags
        for n in RENAL_VALUES:
            form[n] = values.get(n)
        due = dict(NOT_SLE) | dict.fromkeys(values, True)
        forms.append((form, previous, due))
    items = {n: [f[0][n] for f in forms] for n in BILAG2004_ITEMS}
    previous = {n: [f[1].get(n) for f in forms] for n in BILAG2004_PREVIOUS_ITEMS}
    due = {n: [f[2].get(n) for f in forms] for n in VALUES}
    rec = {"hematological": "E"}
    arrays = bilag2004(
        items, previous=previous, due_to_sle=due, previously_active=NEVER, recorded=rec
    )
    for row, (form, prev, d) in enumerate(forms):
        one = bilag2004(form, previous=prev, due_to_sle=d, previously_active=NEVER, recorded=rec)
        assert {s: arrays[s][row] for s in SYSTEMS} == one


# --------------------------------------------------------------------------
# bilag2004: bad input
# --------------------------------------------------------------------------


@pytest.mark.parametrize("key", [0, 98, -1, 1000])
def test_item_number_out_of_range(key: int) -> None:
    with pytest.raises(InputError, match=rf"items\[{key}\] is not a BILAG-2004 item"):
        bilag2004({key: 0})


@pytest.mark.parametrize("key", ["5", 5.0, True, None])
def test_item_key_not_an_int(key: object) -> None:
    with pytest.raises(InputError, match="not an item number"):
        bilag2004({key: 0})  # type: ignore[dict-item]


@pytest.mark.parametrize("value", [5, -1, 2.5, 100])
def test_clinical_value_outside_scale(value: float) -> None:
    with pytest.raises(
        InputError, match=r"items\[24\] \(Psychosis\) = .* is out of range; expected 0 to 4"
    ):
        bilag2004({24: value})


@pytest.mark.parametrize("number", [1, 43, 95])
def test_bool_where_scale_code_expected(number: int) -> None:
    with pytest.raises(InputError, match=rf"items\[{number}\] .* is a boolean, not a number"):
        bilag2004({number: True})


@pytest.mark.parametrize("number", VALUES)
def test_bool_where_number_expected(number: int) -> None:
    with pytest.raises(InputError, match=rf"items\[{number}\] .* is a boolean, not a number"):
        bilag2004({number: False})


@pytest.mark.parametrize("number", YES_NO)
@pytest.mark.parametrize("value", [2, -1, 0.5])
def test_yes_no_outside(number: int, value: float) -> None:
    with pytest.raises(InputError, match=rf"items\[{number}\] .* expected True/False"):
        bilag2004({number: value})


@pytest.mark.parametrize(
    ("number", "value"),
    [
        (78, 0),
        (79, -5),
        (81, 4),
        (81, 1.5),
        (81, -1),
        (82, -0.1),
        (83, -1),
        (84, -0.5),
        (86, 0),
        (87, -1),
        (90, 0),
        (90, 31),  # g/l entered as g/dl
        (90, 135),
        (91, -0.1),
        (92, -1),
        (93, -1),
        (94, -10),
        (90, math.inf),
    ],
)
def test_value_outside_domain(number: int, value: float) -> None:
    with pytest.raises(InputError, match=rf"items\[{number}\] \(.*\) = .* is out of range"):
        bilag2004({number: value})


@pytest.mark.parametrize("value", ["2", "++", [1, "x"], {"a": 1}])
def test_not_a_number(value: object) -> None:
    with pytest.raises(InputError, match=r"items\[81\]"):
        bilag2004({81: value})


def test_items_not_a_mapping() -> None:
    with pytest.raises(InputError, match="items"):
        bilag2004([0, 0, 0])  # type: ignore[arg-type]


@pytest.mark.parametrize(
    "history",
    [{"hematologic": True}, {"skin": False}, {"renal": "yes"}, {"renal": 2}, ["renal"]],
)
def test_bad_previously_active(history: object) -> None:
    with pytest.raises(InputError, match="previously_active"):
        bilag2004(inactive_form(), previously_active=history)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("due", "match"),
    [
        ({80: False}, r"due_to_sle\[80\] is not a measured-value item"),
        ({5: False}, r"due_to_sle\[5\]"),
        ({98: False}, r"due_to_sle\[98\] is not a BILAG-2004 item"),
        ({"90": False}, "not an item number"),
        ({90: 2}, r"due_to_sle\[90\] = 2 is out of range; expected True/False"),
        ({90: "yes"}, r"due_to_sle\[90\] = 'yes'"),
        ([90], "due_to_sle"),
    ],
)
def test_bad_due_to_sle(due: object, match: str) -> None:
    with pytest.raises(InputError, match=match):
        bilag2004(inactive_form(), due_to_sle=due)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("previous", "match"),
    [
        ({80: True}, r"previous\[80\] is not a previous-value item"),
        ({5: 1}, r"previous\[5\]"),
        ({86: -1}, r"previous\[86\] = -1 is out of range"),
        ({83: "high"}, r"previous\[83\] = 'high' is not a number"),
        ("83", "previous"),
    ],
)
def test_bad_previous(previous: object, match: str) -> None:
    with pytest.raises(InputError, match=match):
        bilag2004(inactive_form(), previous=previous)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("recorded", "match"),
    [
        ({"renal": "F"}, r"recorded\['renal'\] = 'F' is not an allowed value"),
        ({"renal": 1}, r"recorded\['renal'\] = 1 is not an allowed value"),
        ({"renal": ["A", 3]}, r"recorded\['renal'\]\[1\] = 3 is not an allowed value"),
        ({"renal": np.array([4.0])}, r"recorded\['renal'\]\[0\] = 4.0 is not an allowed"),
        ({"kidney": "A"}, r"recorded\['kidney'\] is not allowed"),
        (["A"], "recorded"),
    ],
)
def test_bad_recorded(recorded: object, match: str) -> None:
    with pytest.raises(InputError, match=match):
        bilag2004(inactive_form(), recorded=recorded)  # type: ignore[arg-type]


def test_inputs_not_mutated_and_result_is_new() -> None:
    form = inactive_form()
    history = dict(ALL_PREVIOUS)
    due = dict(NOT_SLE)
    snapshot = copy.deepcopy((form, history, due))
    out = bilag2004(form, previously_active=history, due_to_sle=due)
    assert (form, history, due) == snapshot
    out["renal"] = "A"
    assert bilag2004(form, previously_active=history, due_to_sle=due)["renal"] == "D"
    arrays = {n: np.array([0, 3]) for n in range(39, 44)}
    before = {n: a.copy() for n, a in arrays.items()}
    result = bilag2004(arrays)["musculoskeletal"]
    assert all(np.array_equal(arrays[n], before[n]) for n in arrays)
    assert not any(np.shares_memory(result, a) for a in arrays.values())
    form[95] = 3
    form_before = copy.deepcopy(form)
    with pytest.raises(InputError):
        bilag2004(form)
    assert form == form_before


# --------------------------------------------------------------------------
# bilag2004_numeric
# --------------------------------------------------------------------------


def test_numeric_worked_example() -> None:
    # A + B + B + C + D + 4 E = 12 + 8 + 8 + 1 + 0 + 0 = 29 (Yee 2010 values)
    grades = grades_of("A", "B", "B", "C", "D", "E", "E", "E", "E")
    assert bilag2004_numeric(grades) == 29
    assert isinstance(bilag2004_numeric(grades), int)


def test_numeric_bounds() -> None:
    assert bilag2004_numeric(dict.fromkeys(SYSTEMS, "E")) == 0
    assert bilag2004_numeric(dict.fromkeys(SYSTEMS, "D")) == 0
    assert bilag2004_numeric(dict.fromkeys(SYSTEMS, "C")) == 9
    assert bilag2004_numeric(dict.fromkeys(SYSTEMS, "B")) == 72
    assert bilag2004_numeric(dict.fromkeys(SYSTEMS, "A")) == 108


def test_numeric_unknown_is_nan() -> None:
    grades = grades_of("A", "B", "B", "C", "D", "E", "E", "E", None)
    assert math.isnan(bilag2004_numeric(grades))
    del grades["hematological"]
    assert math.isnan(bilag2004_numeric(grades))
    grades["hematological"] = math.nan  # type: ignore[assignment]
    assert math.isnan(bilag2004_numeric(grades))
    assert math.isnan(bilag2004_numeric({}))


@pytest.mark.parametrize("grade", ["F", "a", "AB", "", 1, 12, True, 0.0])
def test_numeric_bad_grade(grade: object) -> None:
    grades: dict[str, object] = dict.fromkeys(SYSTEMS, "E")
    grades["renal"] = grade
    with pytest.raises(InputError, match=r"grades\['renal'\] = .* is not a BILAG-2004 grade"):
        bilag2004_numeric(grades)  # type: ignore[arg-type]
    with pytest.raises(InputError, match=r"grades\['renal'\]"):
        bilag2004_1a_or_2b(grades)  # type: ignore[arg-type]


@pytest.mark.parametrize("system", ["hematologic", "skin", "Renal", "general", 1])
def test_numeric_bad_system(system: object) -> None:
    grades: dict[object, str] = dict.fromkeys(SYSTEMS, "E")
    grades[system] = "A"
    with pytest.raises(InputError, match=r"is not a BILAG-2004 system"):
        bilag2004_numeric(grades)  # type: ignore[arg-type]
    with pytest.raises(InputError, match=r"is not a BILAG-2004 system"):
        bilag2004_1a_or_2b(grades)  # type: ignore[arg-type]


def test_grades_not_a_mapping() -> None:
    with pytest.raises(InputError, match="grades"):
        bilag2004_numeric(["A"] * 9)  # type: ignore[arg-type]
    with pytest.raises(InputError, match="grades"):
        bilag2004_1a_or_2b("AABBCCDDE")  # type: ignore[arg-type]


grade_sets = st.fixed_dictionaries({s: st.sampled_from(BILAG2004_GRADES) for s in SYSTEMS})


@settings(max_examples=100, deadline=None)
@given(grades=grade_sets)
def test_numeric_is_sum_over_systems(grades: dict[str, str]) -> None:
    expected = sum({"A": 12, "B": 8, "C": 1, "D": 0, "E": 0}[g] for g in grades.values())
    assert bilag2004_numeric(grades) == expected
    assert 0 <= expected <= 108


@settings(max_examples=100, deadline=None)
@given(grades=grade_sets, system=st.sampled_from(SYSTEMS), better=st.sampled_from("ABCDE"))
def test_numeric_monotone_in_grades(grades: dict[str, str], system: str, better: str) -> None:
    raised = dict(grades)
    if RANK[better] >= RANK[grades[system]]:
        raised[system] = better
    assert bilag2004_numeric(raised) >= bilag2004_numeric(grades)


def test_grade_inputs_not_mutated() -> None:
    grades = grades_of("A", "B", None, "C", "D", "E", "E", "E", "E")
    snapshot = dict(grades)
    bilag2004_numeric(grades)
    bilag2004_1a_or_2b(grades)
    assert grades == snapshot


# --------------------------------------------------------------------------
# bilag2004_1a_or_2b
# --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("letters", "expected"),
    [
        (("A", "E", "E", "E", "E", "E", "E", "E", "E"), True),  # one A
        (("E", "E", "E", "E", "E", "E", "E", "B", "B"), True),  # two B
        (("E", "E", "E", "E", "E", "E", "E", "E", "B"), False),  # one B only
        (("C", "C", "C", "C", "C", "C", "C", "C", "B"), False),
        (("D", "D", "D", "D", "D", "D", "D", "D", "D"), False),
        (("A", "A", "B", "B", "B", "C", "C", "D", "E"), True),
        (("E", "E", "E", "E", "E", "E", "E", "E", None), None),  # unknown could be A
        (("B", "E", "E", "E", "E", "E", "E", "E", None), None),
        (("A", "E", "E", "E", "E", "E", "E", "E", None), True),  # already met
        (("B", "B", None, None, None, None, None, None, None), True),
    ],
)
def test_1a_or_2b(letters: tuple[str | None, ...], expected: bool | None) -> None:
    assert bilag2004_1a_or_2b(grades_of(*letters)) is expected


def test_1a_or_2b_missing_systems_unknown() -> None:
    assert bilag2004_1a_or_2b({"renal": "B"}) is None
    assert bilag2004_1a_or_2b({"renal": "A"}) is True


@settings(max_examples=100, deadline=None)
@given(
    grades=st.fixed_dictionaries({s: st.sampled_from([*BILAG2004_GRADES, None]) for s in SYSTEMS})
)
def test_1a_or_2b_unknown_only_when_completions_disagree(grades: dict[str, str | None]) -> None:
    unknown = [s for s in SYSTEMS if grades[s] is None]
    outcomes = set()
    for fill in itertools.product(BILAG2004_GRADES, repeat=min(len(unknown), 3)):
        full = dict(grades)
        # more than 3 unknowns: the rest stay E (enough to exhibit both outcomes)
        full.update(dict.fromkeys(unknown, "E"))
        full.update(zip(unknown, fill))
        values = list(full.values())
        outcomes.add(values.count("A") >= 1 or values.count("B") >= 2)
    result = bilag2004_1a_or_2b(grades)
    if len(outcomes) == 1:
        assert result is outcomes.pop()
    else:
        assert result is None


def test_items_left_out_raise_naming_them() -> None:
    # reproduces: a renal value left out of the form read as "not done", so a
    # forgotten 24-hour protein lowered the renal grade (a follow-up could then
    # show no new A or B); a clinical item left out was unknown, silently
    form = {n: 0 for n in range(1, 78)}
    with pytest.raises(TypeError) as err:
        _bilag2004(form)
    message = str(err.value)
    assert "bilag2004() missing 20 items: 78, 79, 80, " in message
    assert "95, 96, 97;" in message and "others=None" in message
    with pytest.raises(TypeError, match=r"bilag2004_explain\(\) missing 1 item: 97;"):
        _bilag2004_explain({n: None for n in range(1, 97)})
    # others=None: the old meaning (unknown; measured values not done)
    assert _bilag2004(form, others=None) == _bilag2004({**form, **{n: None for n in range(78, 98)}})
    # others=False: recorded absent (0, False; measured values not done)
    full = {
        n: (None if it.scale == "value" else 0 if it.scale == "0-4" else False)
        for n, it in BILAG2004_ITEMS.items()
    }
    history = dict.fromkeys(BILAG2004_SYSTEMS, False)
    assert _bilag2004({41: 3}, others=False, previously_active=history) == _bilag2004(
        {**full, 41: 3}, previously_active=history
    )
    assert _bilag2004({41: 3}, others=False, previously_active=history)["renal"] == "E"
    with pytest.raises(InputError, match="others"):
        _bilag2004({41: 3}, others=[None])
    with pytest.raises(InputError, match="others"):
        _bilag2004({41: 3}, others=True)
