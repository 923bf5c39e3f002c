"""Tests of the BILAG-based Composite Lupus Assessment (BICLA)."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from clinscores import InputError
from clinscores.sle import BILAG2004_SYSTEMS, bicla

QUIET = dict.fromkeys(BILAG2004_SYSTEMS, "D")
GRADES = ["A", "B", "C", "D", "E"]


def run(base: dict[str, object], cur: dict[str, object], **kw: object) -> object:
    args: dict[str, object] = {
        "sledai_baseline": 10, "sledai_current": 6, "pga_baseline": 1.5,
        "pga_current": 1.5, "treatment_failure": False,
    }  # fmt: skip
    args.update(kw)
    return bicla(bilag_baseline=base, bilag_current=cur, **args)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("before", "after", "expected"),
    [("A", "B", True), ("A", "C", True), ("A", "D", True), ("A", "A", False),
     ("B", "C", True), ("B", "D", True), ("B", "B", False), ("B", "A", False),
     ("C", "C", True), ("D", "C", True), ("A", None, None), ("B", None, None)],
)  # fmt: skip
def test_every_baseline_a_and_b_improves(before: str, after: str, expected: object) -> None:
    # Wallace et al. 2014: all A to B/C/D, all B to C/D
    assert run(QUIET | {"renal": before}, QUIET | {"renal": after}) is expected


def test_unknown_baseline_grade() -> None:
    assert run(QUIET | {"renal": None}, QUIET | {"renal": "C"}) is True  # C is fine from A or B
    assert run(QUIET | {"renal": None}, QUIET | {"renal": "B"}) is None


def test_no_new_a_at_most_one_new_b() -> None:
    assert run(QUIET, QUIET | {"renal": "A"}) is False
    assert run(QUIET, QUIET | {"renal": "B"}) is True
    assert run(QUIET, QUIET | {"renal": "B", "ophthalmic": "B"}) is False


@pytest.mark.parametrize(("b", "c", "expected"), [(10, 10, True), (10, 11, False), (0, 0, True)])
def test_sledai_no_worsening_boundary(b: int, c: int, expected: bool) -> None:
    assert run(QUIET, QUIET, sledai_baseline=b, sledai_current=c) is expected


@pytest.mark.parametrize(
    ("b", "c", "expected"),
    [(1.0, 1.29, True), (1.0, 1.30, False), (2.7, 3.0, False), (2.7, 2.99, True)],
)
def test_pga_ten_percent_of_scale_both_sides(b: float, c: float, expected: bool) -> None:
    # 10 % of the 0..3 scale is 0.30
    assert run(QUIET, QUIET, pga_baseline=b, pga_current=c) is expected


def test_treatment_failure_is_explicit() -> None:
    assert run(QUIET, QUIET, treatment_failure=True) is False
    assert run(QUIET, QUIET, treatment_failure=None) is None
    with pytest.raises(TypeError):
        bicla(10, 6, QUIET, QUIET, 1, 1)  # type: ignore[call-arg]


def test_arrays() -> None:
    out = bicla([10, 10, 10], [6, 12, 6], QUIET | {"renal": "A"},
                QUIET | {"renal": ["B", "B", "A"]}, 1, 1, [False, False, False])  # fmt: skip
    assert list(out) == [True, False, False]


@pytest.mark.parametrize(
    ("kw", "match"),
    [({"treatment_failure": 2}, "treatment_failure = 2"), ({"pga_current": 4}, "pga_current = 4"),
     ({"sledai_current": -1}, "sledai_current = -1")],
)  # fmt: skip
def test_bad_input(kw: dict[str, object], match: str) -> None:
    with pytest.raises(InputError, match=match):
        run(QUIET, QUIET, **kw)


def test_bad_grade_names_field() -> None:
    with pytest.raises(InputError, match=r"bilag_baseline\['renal'\] = 'a'"):
        run(QUIET | {"renal": "a"}, QUIET)


grade = st.sampled_from([*GRADES, None])
grades9 = st.fixed_dictionaries({s: grade for s in BILAG2004_SYSTEMS})
pga = st.integers(0, 300).map(lambda x: x / 100)


@settings(max_examples=150, deadline=None)
@given(st.data(), st.integers(0, 105), st.integers(0, 105), grades9, grades9, pga, pga)
def test_improving_a_component_keeps_a_responder(
    data: st.DataObject,
    sb: int,
    sc: int,
    gb: dict[str, str],
    gc: dict[str, str],
    pb: float,
    pc: float,
) -> None:
    if bicla(sb, sc, gb, gc, pb, pc, False) is not True:
        return
    sc2 = data.draw(st.integers(0, sc))
    pc2 = data.draw(st.integers(0, round(pc * 100)).map(lambda x: x / 100))
    gc2 = {
        s: g if g is None else data.draw(st.sampled_from(GRADES[GRADES.index(g) :]))
        for s, g in gc.items()
    }
    assert bicla(sb, sc2, gb, gc2, pb, pc2, False) is True
