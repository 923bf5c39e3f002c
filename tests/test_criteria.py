"""The three-valued criterion logic of :mod:`clinscores.criteria`.

Issue 18 moved the findings of the eligibility screen and the (met, failed)
masks of the response criteria into one module: these tests pin the truth
tables of its combinators (Kleene logic: unknown never met, never hides a
failure) and check that the two representations agree on the same inputs.
"""

from __future__ import annotations

import datetime as dt
import itertools
import math

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from clinscores import criteria
from clinscores.criteria import (
    Censored,
    Finding,
    all_of,
    any_of,
    bounded,
    compare,
    fact,
    flag_is,
    negate,
    objects,
    threshold,
)

STATES = (True, False, None)

# (a, b) -> (all_of, any_of), written out from Kleene's strong logic
TRUTH = {
    (True, True): (True, True),
    (True, False): (False, True),
    (True, None): (None, True),
    (False, True): (False, True),
    (False, False): (False, False),
    (False, None): (False, None),
    (None, True): (None, True),
    (None, False): (False, None),
    (None, None): (None, None),
}


def _finding(state: bool | None, i: int = 0) -> Finding:
    missing = (f"path{i}",) if state is None else ()
    return Finding(state, f"part {i} {state}", {f"value{i}": i}, missing)


def _masks(states: list[bool | None]) -> criteria.Masks:
    return (
        np.array([s is True for s in states]),
        np.array([s is False for s in states]),
    )


def _states(masks: criteria.Masks) -> list[bool | None]:
    return list(objects(masks))


@pytest.mark.parametrize(("a", "b"), list(TRUTH))
def test_truth_table_of_findings(a: bool | None, b: bool | None) -> None:
    conj, disj = TRUTH[a, b]
    assert all_of(_finding(a, 0), _finding(b, 1)).state is conj
    assert any_of(_finding(a, 0), _finding(b, 1)).state is disj


def test_truth_table_of_masks() -> None:
    pairs = list(TRUTH)
    a = _masks([p[0] for p in pairs])
    b = _masks([p[1] for p in pairs])
    assert _states(all_of(a, b)) == [TRUTH[p][0] for p in pairs]
    assert _states(any_of(a, b)) == [TRUTH[p][1] for p in pairs]
    assert _states(negate(a)) == [None if p[0] is None else not p[0] for p in pairs]


def test_unknown_lists_only_the_paths_that_would_decide() -> None:
    # a failure decides all_of: no missing path is asked for
    f = all_of(_finding(None, 0), _finding(False, 1))
    assert f.state is False and f.missing == () and f.text == "part 1 False"
    assert f.consulted == ("path0",)
    f = all_of(_finding(True, 0), _finding(None, 1), _finding(None, 2))
    assert f.state is None and f.missing == ("path1", "path2")
    assert f.values == {"value0": 0, "value1": 1, "value2": 2}


def test_findings_and_masks_do_not_mix() -> None:
    with pytest.raises(TypeError, match="not both"):
        all_of(_finding(True), _masks([True]))  # type: ignore[call-overload]
    with pytest.raises(TypeError, match="not both"):
        any_of(_masks([True]), _finding(True))  # type: ignore[call-overload]


@given(st.lists(st.lists(st.sampled_from(STATES), min_size=1, max_size=6), min_size=1, max_size=5))
def test_property_both_representations_agree(rows: list[list[bool | None]]) -> None:
    # rows of parts: the findings of one row, combined, give that row's mask state
    width = min(len(r) for r in rows)
    rows = [r[:width] for r in rows]
    columns = [_masks([r[j] for r in rows]) for j in range(width)]
    for combine in (all_of, any_of):
        per_row = [combine(*(_finding(s, j) for j, s in enumerate(r))).state for r in rows]
        assert _states(combine(*columns)) == per_row


@given(
    st.lists(st.one_of(st.none(), st.floats(-100, 100, allow_nan=False)), min_size=1),
    st.sampled_from(["<", "<=", ">", ">="]),
    st.integers(-100, 100),
)
def test_property_threshold_agrees_with_compare(
    values: list[float | None], op: str, limit: int
) -> None:
    # integer limits: the exact decimal comparison of threshold and the float one agree
    x = np.array([math.nan if v is None else v for v in values])
    expected = [threshold("x", "x", v, op, limit, "").state for v in values]
    assert _states(compare(x, op, limit)) == expected


@given(
    st.lists(
        st.tuples(st.sampled_from(["<=", ">="]), st.integers(-50, 50)), min_size=1, max_size=20
    ),
    st.sampled_from(["<", "<=", ">", ">="]),
    st.integers(-50, 50),
)
def test_property_censored_threshold_agrees_with_bounded(
    censored: list[tuple[str, int]], op: str, limit: int
) -> None:
    # a value "<= b" lies in [-inf, b], ">= b" in [b, inf]: the same interval rule
    low = np.array([-math.inf if c == "<=" else b for c, b in censored], dtype=float)
    high = np.array([b if c == "<=" else math.inf for c, b in censored], dtype=float)
    expected = [
        threshold("x", "x", Censored(c, float(b)), op, limit, "").state for c, b in censored
    ]
    assert _states(bounded(low, high, op, limit)) == expected


def test_flag_and_fact_agree() -> None:
    for value, negated in itertools.product((True, False, None), (False, True)):
        x = np.array([math.nan if value is None else float(value)])
        want = fact("f", "f", value, negate=negated).state
        assert _states(flag_is(x, 0.0 if negated else 1.0)) == [want]


def test_evaluate_runs_a_rule_block_by_block() -> None:
    from clinscores._core import Domain

    dom = Domain(0, 10, "points")
    rule = lambda a, b: all_of(compare(a, "<=", 4), compare(b, ">", 1))  # noqa: E731
    out = criteria.evaluate(rule, [("a", [1, 5, None, 2], dom), ("b", [2, 2, 3, None], dom)], "r")
    assert list(out) == [True, False, None, None]
    assert criteria.evaluate(rule, [("a", 1, dom), ("b", 0, dom)], "r") is False


def test_date_windows() -> None:
    day = dt.date(2026, 3, 31)
    assert criteria.months_before(day, 1) == dt.date(2026, 2, 28)
    assert criteria.months_before(dt.date(2024, 3, 31), 1) == dt.date(2024, 2, 29)
    assert criteria.completed_years(dt.date(2000, 4, 1), day) == 25
    assert criteria.completed_years(dt.date(2000, 3, 31), day) == 26
    events = [dt.date(2026, 3, 3), dt.date(2026, 3, 2), dt.date(2026, 4, 1)]
    assert criteria.within_days_before(events, day, 28) == [dt.date(2026, 3, 3)]


def test_old_import_paths_still_work() -> None:
    from clinscores import eligibility, record
    from clinscores.sle import _response

    assert record.Censored is Censored and record.decide is criteria.decide
    assert eligibility.months_before is criteria.months_before
    assert eligibility.Finding is Finding
    assert _response.all_of is all_of and _response.flag_is is flag_is
