"""Tests of the HAQ Disability Index.

Scoring rules from Bruce & Fries, J Rheumatol 2003;30:167-178 (Stanford
conventions): category score = highest answer in the category, raised to 2
when aids/devices or help are used; HAQ-DI = mean over answered categories,
at least 6 of 8 answered.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from clinscores import InputError, report
from clinscores.ra import HAQ_DI_CATEGORIES, HAQ_DI_ITEMS
from clinscores.ra import haq_di as _haq_di
from clinscores.ra.haq import HAQ_DI_FLAGS

# The tests below give only the items they are about.  Since an omitted item
# is no longer taken as absent (it raises TypeError), they say what the rest
# are, as the old default did; test_omitted_items.py tests the rule itself.


def haq_di(**answers: Any) -> Any:
    """Questions not given unanswered, flags not given not used (the old defaults)."""
    full = {**dict.fromkeys(HAQ_DI_ITEMS), **dict.fromkeys(HAQ_DI_FLAGS, False), **answers}
    return _haq_di(**full)


CATEGORIES = list(HAQ_DI_CATEGORIES)


def all_answers(value: Any = 0) -> dict[str, Any]:
    return dict.fromkeys(HAQ_DI_ITEMS, value)


def without(*categories: str) -> dict[str, Any]:
    answers = all_answers()
    for c in categories:
        for item in HAQ_DI_CATEGORIES[c]:
            del answers[item]
    return answers


def test_structure_20_items_in_8_categories() -> None:
    assert len(HAQ_DI_CATEGORIES) == 8
    assert len(HAQ_DI_ITEMS) == 20
    assert [len(v) for v in HAQ_DI_CATEGORIES.values()] == [2, 2, 3, 2, 3, 2, 3, 3]


def test_hand_computed_examples() -> None:
    assert haq_di(**all_answers(0)) == 0.0
    assert haq_di(**all_answers(3)) == 3.0
    # category score is the highest answer: dressing (1, 2) -> 2; eating (0, 1, 3) -> 3
    answers = {**all_answers(), "dress_yourself": 1, "shampoo_hair": 2, "cut_meat": 1}
    answers["open_milk_carton"] = 3
    assert haq_di(**answers) == pytest.approx((2 + 3) / 8)
    # all 8 answered: steps of 0.125
    assert haq_di(**{**all_answers(), "walk_outdoors": 1}) == 0.125


def test_activities_has_help_but_no_aids_flag() -> None:
    # Stanford HAQ scoring: the aids and devices listed map to dressing,
    # arising, eating, walking, hygiene, reach and grip; activities has help only.
    assert "activities_help" in HAQ_DI_FLAGS
    assert "activities_aids" not in HAQ_DI_FLAGS
    assert len(HAQ_DI_FLAGS) == 15
    with pytest.raises(TypeError, match="activities_aids"):
        haq_di(**dict.fromkeys(HAQ_DI_ITEMS, 0), activities_aids=True)


def test_aids_and_help_raise_a_category_to_2() -> None:
    base = all_answers()
    assert haq_di(**base, walking_aids=True) == 0.25  # 0 -> 2
    assert haq_di(**base, hygiene_help=True) == 0.25
    assert haq_di(**{**base, "climb_five_steps": 1}, walking_aids=True) == 0.25  # 1 -> 2
    assert haq_di(**{**base, "climb_five_steps": 3}, walking_aids=True) == 0.375  # 3 stays 3
    # aids and help in the same category raise it once
    assert haq_di(**base, grip_aids=True, grip_help=True) == 0.25
    # two categories
    assert haq_di(**base, reach_aids=True, activities_help=True) == 0.5
    # an aid for an unanswered category does not answer it
    assert math.isnan(haq_di(**without("dressing", "arising", "eating"), dressing_aids=True))


def test_six_categories_needed_five_is_unknown() -> None:
    six = without("grip", "reach")
    assert haq_di(**{**six, "walk_outdoors": 2}) == pytest.approx(2 / 6)
    seven = without("grip")
    assert haq_di(**{**seven, "walk_outdoors": 2}) == pytest.approx(2 / 7)
    five = without("grip", "reach", "eating")
    assert math.isnan(haq_di(**five))
    assert math.isnan(haq_di())
    # a category counts as answered when one of its questions is
    partly = {**five, "cut_meat": 1}
    assert haq_di(**partly) == pytest.approx(1 / 6)


def test_unknown_aid_flag_only_matters_when_it_could_change_the_score() -> None:
    base = all_answers()
    assert math.isnan(haq_di(**base, walking_aids=None))  # 0 or 2
    assert haq_di(**{**base, "walk_outdoors": 3}, walking_aids=None) == 0.375  # 3 either way
    assert haq_di(**{**base, "walk_outdoors": 2}, walking_help=float("nan")) == 0.25


def test_reported_to_3_decimals() -> None:
    x = haq_di(**{**without("grip"), "walk_outdoors": 1})
    assert x == pytest.approx(1 / 7)
    assert report(x, "haq_di") == 0.143


def test_arrays_and_missing_rows() -> None:
    answers: dict[str, Any] = all_answers()
    answers["cut_meat"] = [0, 1, 3, None]
    out = haq_di(**answers, eating_help=[False, False, False, True])
    np.testing.assert_allclose(out, [0.0, 0.125, 0.375, 0.25])
    assert isinstance(out, np.ndarray)


def test_series_keep_their_index() -> None:
    pd = pytest.importorskip("pandas")
    answers: dict[str, Any] = all_answers()
    answers["walk_outdoors"] = pd.Series([1, 2], index=["a", "b"])
    out = haq_di(**answers)
    assert list(out.index) == ["a", "b"]
    np.testing.assert_allclose(out, [0.125, 0.25])


@pytest.mark.parametrize(
    ("key", "value", "match"),
    [
        ("cut_meat", 4, r"^cut_meat = 4"),
        ("cut_meat", -1, r"^cut_meat"),
        ("cut_meat", 1.5, r"^cut_meat"),
        ("cut_meat", "much", r"^cut_meat"),
        ("cut_meat", True, r"^cut_meat"),
        ("walking_aids", 2, r"^walking_aids"),
        ("walking_aids", "yes", r"^walking_aids"),
        ("open_jars", [0, 1, 5], r"^open_jars\[2\]"),
    ],
)
def test_bad_input_names_field(key: str, value: object, match: str) -> None:
    with pytest.raises(InputError, match=match):
        haq_di(**{**all_answers(), key: value})


def test_unknown_keyword_is_a_type_error() -> None:
    with pytest.raises(TypeError, match="dress_yourselff"):
        haq_di(**all_answers(), dress_yourselff=1)


def test_inputs_not_mutated() -> None:
    arr = np.array([0.0, 1.0, np.nan])
    answers: dict[str, Any] = {**all_answers(), "cut_meat": arr}
    out = haq_di(**answers)
    np.testing.assert_array_equal(arr, [0.0, 1.0, np.nan])
    assert not np.shares_memory(out, arr)


answer = st.one_of(st.none(), st.integers(min_value=0, max_value=3))
flag = st.booleans()


@st.composite
def questionnaires(draw: st.DrawFn) -> dict[str, Any]:
    out: dict[str, Any] = {item: draw(answer) for item in HAQ_DI_ITEMS}
    for c in CATEGORIES:
        if c != "activities":  # no aid or device belongs to activities, only help
            out[f"{c}_aids"] = draw(flag)
        out[f"{c}_help"] = draw(flag)
    return out


def reference(q: dict[str, Any]) -> float:
    scores = []
    for c, items in HAQ_DI_CATEGORIES.items():
        given_ = [q[i] for i in items if q[i] is not None]
        if not given_:
            continue
        s = max(given_)
        if q.get(f"{c}_aids") or q[f"{c}_help"]:
            s = max(s, 2)
        scores.append(s)
    return sum(scores) / len(scores) if len(scores) >= 6 else math.nan


@settings(max_examples=200, deadline=None)
@given(questionnaires())
def test_matches_a_plain_reference_and_bounds(q: dict[str, Any]) -> None:
    x = haq_di(**q)
    ref = reference(q)
    if math.isnan(ref):
        assert math.isnan(x)
    else:
        assert x == pytest.approx(ref)
        assert 0.0 <= x <= 3.0
        n = sum(any(q[i] is not None for i in items) for items in HAQ_DI_CATEGORIES.values())
        if n == 8:
            assert (x * 8) == pytest.approx(round(x * 8))  # steps of 0.125


@settings(max_examples=100, deadline=None)
@given(questionnaires(), st.sampled_from(HAQ_DI_ITEMS))
def test_more_difficulty_never_lowers_the_index(q: dict[str, Any], item: str) -> None:
    if q[item] is None or q[item] == 3:
        return
    worse = {**q, item: q[item] + 1}
    x, y = haq_di(**q), haq_di(**worse)
    if not math.isnan(x):
        assert y >= x


@settings(max_examples=30, deadline=None)
@given(st.lists(questionnaires(), min_size=1, max_size=8))
def test_scalar_equals_array_row_by_row(rows: list[dict[str, Any]]) -> None:
    columns = {k: [r[k] for r in rows] for k in rows[0]}
    out = haq_di(**columns)
    np.testing.assert_allclose(out, [haq_di(**r) for r in rows], equal_nan=True)


def test_registry_entry_scores_a_table() -> None:
    pd = pytest.importorskip("pandas")
    from clinscores.frame import MissingColumnError, score
    from clinscores.registry import get

    inst = get("haq_di")
    assert inst.output_columns == ("haq_di",)
    # every question and every aid/help flag is a required column (an omitted
    # item is never taken as absent; the aid flags used to be optional columns)
    required = [p.name for p in inst.parameters if p.required]
    assert required == [*HAQ_DI_ITEMS, *HAQ_DI_FLAGS]
    df = pd.DataFrame({k: [0, 1, None] for k in HAQ_DI_ITEMS})
    df["walking_aids"] = [True, False, False]
    with pytest.raises(MissingColumnError) as err:
        score(df, "haq_di")
    for flag in HAQ_DI_FLAGS:
        if flag != "walking_aids":
            assert flag in str(err.value)
    for flag in HAQ_DI_FLAGS:
        if flag != "walking_aids":
            df[flag] = False
    out = score(df, "haq_di")
    np.testing.assert_allclose(out["haq_di"], [0.25, 1.0, np.nan])
