"""The compact array result of judgements (clinscores.CodedArray)."""

from __future__ import annotations

import pickle
from typing import Any

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from clinscores import Activity
from clinscores._coded import TRISTATE, CodedArray

GRADES = ("E", "D", "C", "B", "A")
ACTIVITY = (Activity.REMISSION, Activity.LOW, Activity.MODERATE, Activity.HIGH)


def values_of(codes: list[int], categories: tuple[Any, ...]) -> list[Any]:
    return [None if c < 0 else categories[c] for c in codes]


def coded(categories: tuple[Any, ...]) -> st.SearchStrategy[list[int]]:
    return st.lists(st.integers(-1, len(categories) - 1), max_size=40)


@given(coded(GRADES), st.sampled_from(GRADES))
def test_comparisons_equal_the_values_row_by_row_and_unknown_satisfies_none(
    codes: list[int], grade: str
) -> None:
    x = CodedArray(codes, GRADES)
    values = values_of(codes, GRADES)
    rank = {g: i for i, g in enumerate(GRADES)}
    assert (x == grade).tolist() == [v == grade for v in values]
    assert (x != grade).tolist() == [v is not None and v != grade for v in values]
    assert (x >= grade).tolist() == [v is not None and rank[v] >= rank[grade] for v in values]
    assert (x < grade).tolist() == [v is not None and rank[v] < rank[grade] for v in values]
    assert (x == None).tolist() == [v is None for v in values]  # noqa: E711
    assert x.known.tolist() == [v is not None for v in values]
    assert x.tolist() == values == list(x)
    assert [x[i] for i in range(len(x))] == values
    assert x.astype(object).tolist() == values
    assert x.nbytes == len(codes)


@given(coded(TRISTATE), coded(TRISTATE))
def test_three_valued_logic_is_kleene(a: list[int], b: list[int]) -> None:
    n = min(len(a), len(b))
    x, y = CodedArray(a[:n], TRISTATE), CodedArray(b[:n], TRISTATE)
    va, vb = values_of(a[:n], TRISTATE), values_of(b[:n], TRISTATE)

    def and_(p: bool | None, q: bool | None) -> bool | None:
        if p is False or q is False:
            return False
        return None if p is None or q is None else True

    def or_(p: bool | None, q: bool | None) -> bool | None:
        if p is True or q is True:
            return True
        return None if p is None or q is None else False

    assert (x & y).tolist() == [and_(p, q) for p, q in zip(va, vb)]
    assert (x | y).tolist() == [or_(p, q) for p, q in zip(va, vb)]
    assert (~x).tolist() == [None if p is None else not p for p in va]
    assert (x & True).tolist() == va and (x | False).tolist() == va


def test_truth_table_by_hand() -> None:
    u, f, t = (CodedArray([c], TRISTATE) for c in (-1, 0, 1))
    assert (u & f).tolist() == [False] and (u & t).tolist() == [None]
    assert (u | t).tolist() == [True] and (u | f).tolist() == [None]
    assert (~u).tolist() == [None]


def test_scalar_indexing_slicing_and_masks() -> None:
    x = CodedArray([3, -1, 0, 2], ACTIVITY)
    assert x[0] is Activity.HIGH and x[1] is None
    assert x[1:].tolist() == [None, Activity.REMISSION, Activity.MODERATE]
    assert x[x == "high"].tolist() == [Activity.HIGH]
    assert (x == Activity.HIGH).tolist() == (x == "high").tolist() == [True, False, False, False]
    assert repr(x) == (
        "CodedArray(['high', None, 'remission', 'moderate'], "
        "categories=('remission', 'low', 'moderate', 'high'))"
    )


def test_a_value_that_is_no_category_is_an_error() -> None:
    x = CodedArray([4, 0], GRADES)
    with pytest.raises(ValueError, match="'F' is not one of the categories"):
        x == "F"  # noqa: B015
    with pytest.raises(ValueError, match="'a' is not one of"):
        x >= "a"  # noqa: B015
    with pytest.raises(ValueError, match="'F' is not one of"):
        x == ["A", "F"]  # noqa: B015


def test_numpy_conversions_never_lose_the_unknown_rows() -> None:
    met = CodedArray([1, -1, 0], TRISTATE)
    assert np.asarray(met).tolist() == [True, None, False]
    np.testing.assert_array_equal(met.astype(float), [1.0, np.nan, 0.0])
    with pytest.raises(ValueError, match="some rows are unknown"):
        met.astype(bool)
    assert CodedArray([1, 0], TRISTATE).astype(bool).tolist() == [True, False]
    assert met.filled(False).tolist() == [True, False, False]
    with pytest.raises(TypeError, match="converts to object"):
        CodedArray([0], GRADES).astype(float)
    with pytest.raises(ValueError, match="ambiguous"):
        bool(met)
    # an ndarray on the left defers to the CodedArray
    assert (np.array([True, True, False]) == met).tolist() == [True, False, True]


def test_codes_are_read_only_and_checked() -> None:
    x = CodedArray([1, 0], TRISTATE)
    with pytest.raises(ValueError):
        x.codes[0] = 0
    with pytest.raises(ValueError, match=r"codes must lie in -1\.\.1"):
        CodedArray([2], TRISTATE)
    with pytest.raises(TypeError, match="integers"):
        CodedArray([0.5], TRISTATE)


def test_pandas_conversion_in_one_pass() -> None:
    pd = pytest.importorskip("pandas")
    met = CodedArray([1, -1, 0], TRISTATE).to_pandas(index=[5, 6, 7], name="met")
    assert str(met.dtype) == "boolean" and list(met.index) == [5, 6, 7]
    assert met.tolist() == [True, pd.NA, False]
    g = CodedArray([4, -1, 0], GRADES).to_pandas()
    assert list(g.cat.categories) == list(GRADES) and g.cat.ordered
    assert g.tolist()[0] == "A" and pd.isna(g.tolist()[1])
    a = CodedArray([3], ACTIVITY).to_pandas()
    assert list(a.cat.categories) == ["remission", "low", "moderate", "high"]


def test_pickle_concatenate_equals() -> None:
    x = CodedArray([4, -1], GRADES)
    assert pickle.loads(pickle.dumps(x)).equals(x)
    both = CodedArray.concatenate([x, CodedArray([0], GRADES)])
    assert both.tolist() == ["A", None, "E"]
    with pytest.raises(ValueError, match="different categories"):
        CodedArray.concatenate([x, CodedArray([0], TRISTATE)])
    assert not x.equals(CodedArray([4, 0], GRADES))
