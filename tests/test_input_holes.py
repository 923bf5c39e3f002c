"""Small API holes (issue 21 item 6) and numbers given for words (RF, ACPA).

- a category function refuses a score outside the range the score can take;
- numpy datetime64/timedelta64 values are an InputError naming the field;
- pandas.NA is missing wherever NaN is;
- acr_eular_2010's rf and acpa take the level words only.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any

import numpy as np
import pytest

from clinscores import Activity, InputError
from clinscores.pss import essdai, essdai_activity, esspri_pass
from clinscores.ra import (
    acr_eular_2010,
    cdai_activity,
    das28_activity,
    das28_esr,
    eular_response,
    sdai_activity,
)
from clinscores.sle import sledai2k, sledai2k_activity

# ---------------------------------------------------------------- category domains

# function, lowest score, highest score (None: unbounded), the range text
DOMAINS: dict[str, tuple[Callable[[Any], Any], float, float | None, str]] = {
    "das28_activity": (das28_activity, 0.0, 20.0, "0..20"),
    "cdai_activity": (cdai_activity, 0.0, 76.0, "0..76"),
    "sdai_activity": (sdai_activity, 0.0, None, ">= 0"),
    "sledai2k_activity": (sledai2k_activity, 0, 105, "0..105"),
    "essdai_activity": (essdai_activity, 0, 123, "0..123"),
    "esspri_pass": (esspri_pass, 0.0, 10.0, "0..10"),
}


def test_das28_below_zero_is_an_error() -> None:
    # reproduces: das28_activity(-0.1) was REMISSION
    with pytest.raises(InputError, match=r"score = -0\.1 is outside 0\.\.20 \(DAS28 score\)"):
        das28_activity(-0.1)
    assert das28_activity(0.0) is Activity.REMISSION


@pytest.mark.parametrize("name", sorted(DOMAINS))
def test_category_domains_on_both_sides(name: str) -> None:
    fn, lo, hi, text = DOMAINS[name]
    step = 1 if isinstance(lo, int) else 0.01
    fn(lo)  # the boundary itself is allowed
    with pytest.raises(InputError, match=rf"score = {lo - step!r} is outside {text}"):
        fn(lo - step)
    with pytest.raises(InputError, match=r"score\[1\] = .* is outside"):
        fn(np.array([lo, lo - step], dtype=np.float64))
    if hi is None:
        with pytest.raises(InputError, match="score = inf"):
            fn(math.inf)
        return
    fn(hi)
    with pytest.raises(InputError, match=rf"score = {hi + step!r} is outside {text}"):
        fn(hi + step)


def test_eular_response_domain_names_the_parameter() -> None:
    assert eular_response(0.0, 0.0) == "none"
    assert eular_response(20.0, 3.0) == "good"
    with pytest.raises(InputError, match=r"baseline = -0\.01 is outside 0\.\.20"):
        eular_response(-0.01, 3.0)
    with pytest.raises(InputError, match=r"current = 20\.01 is outside 0\.\.20"):
        eular_response(5.0, 20.01)


def test_das28_esr_never_below_zero_so_its_category_always_applies() -> None:
    # ESR below 1 mm/h gave a negative DAS28 (0.7 ln 0.5 < 0), which the
    # category now refuses; the ESR domain is >= 1 (a charted 0 is recorded as 1)
    with pytest.raises(InputError, match=r"esr = 0\.5 is outside >= 1"):
        das28_esr(0, 0, 0.5, 0)
    assert das28_esr(0, 0, 1, 0) == 0.0
    assert das28_activity(das28_esr(0, 0, 1, 0)) is Activity.REMISSION


# ---------------------------------------------------------------- dates and durations


@pytest.mark.parametrize(
    "value",
    [
        np.timedelta64(3, "D"),
        np.datetime64("2024-01-01"),
        np.array([1, 2], dtype="m8[D]"),
        np.array(["2024-01-01"], dtype="M8[D]"),
        np.array([1, np.timedelta64(1, "D")], dtype=object),
    ],
)
def test_datetime_and_timedelta_are_input_errors_naming_the_field(value: Any) -> None:
    # reproduces: a numpy.timedelta64 score raised a bare TypeError from float()
    with pytest.raises(
        InputError, match=r"^score(\[\d\])? = .* is (a date or a duration, )?not a number"
    ):
        das28_activity(value)
    with pytest.raises(InputError, match=r"^tjc28"):
        das28_esr(value, 4, 38, 55)
    with pytest.raises(InputError, match=r"^arthritis"):
        sledai2k(arthritis=value, others=False)
    with pytest.raises(InputError, match=r"^articular"):
        essdai(articular=value, others=0)


def test_timedelta_series_is_an_input_error() -> None:
    pd = pytest.importorskip("pandas")
    with pytest.raises(InputError, match=r"^score\[0\]"):
        das28_activity(pd.Series(pd.to_timedelta([1, 2], unit="D")))


# ---------------------------------------------------------------- pandas.NA


def test_pandas_na_is_missing_everywhere() -> None:
    # reproduces: pd.NA was "not a number" in an object Series, a list and a scalar
    pd = pytest.importorskip("pandas")
    assert das28_activity(pd.NA) is None
    assert math.isnan(das28_esr(pd.NA, 4, 38, 55))
    out = das28_esr([6, pd.NA], 4, 38, 55)
    assert not math.isnan(out[0]) and math.isnan(out[1])
    series = das28_esr(pd.Series([6, pd.NA], dtype=object), 4, 38, 55)
    assert series.isna().tolist() == [False, True]
    category = das28_activity(pd.Series([3.0, pd.NA], dtype=object))
    assert category[0] == Activity.LOW and category.isna().tolist() == [False, True]
    assert math.isnan(sledai2k(arthritis=pd.NA, others=False))
    np.testing.assert_array_equal(sledai2k(arthritis=[True, pd.NA], others=False), [4.0, np.nan])
    assert math.isnan(essdai(articular=pd.NA, others=0))
    rf = pd.Series(["negative", pd.NA], dtype="string")
    c = acr_eular_2010(2, 3, rf, "negative", True, False, 8)
    # a nullable "boolean" Series (issue 20): <NA> where unknown
    assert c.classified.tolist() == [False, pd.NA]
    assert acr_eular_2010(2, 3, pd.NA, "negative", True, False, 8).classified is None


# ---------------------------------------------------------------- RF and ACPA words only

RA = {
    "large_joints": 2,
    "small_joints": 3,
    "rf": "negative",
    "acpa": "negative",
    "abnormal_crp": True,
    "abnormal_esr": False,
    "symptom_duration_weeks": 8,
}


@pytest.mark.parametrize("field", ["rf", "acpa"])
@pytest.mark.parametrize(
    "value",
    [1, 2, 3, 0, 2.0, True, False, np.int64(2), [0, 2], np.array([0.0, 3.0]), np.array([1])],
)
def test_serology_numbers_are_refused(field: str, value: Any) -> None:
    # reproduces: acr_eular_2010(rf=1, ...) took the number as points: 1 point
    with pytest.raises(InputError, match=rf"^{field}(\[\d\])? = "):
        acr_eular_2010(**{**RA, field: value})


def test_serology_words_and_missing_are_accepted() -> None:
    c = acr_eular_2010(**{**RA, "rf": "low_positive"})
    assert (c.points, c.domains["serology"]) == (6, 2)
    c = acr_eular_2010(**{**RA, "rf": np.array(["high_positive", "negative"])})
    np.testing.assert_array_equal(c.domains["serology"], [3, 0])
    assert acr_eular_2010(**{**RA, "rf": None}).classified is None
    assert acr_eular_2010(**{**RA, "rf": [None, "negative"]}).points.tolist() == [4, 4]
    assert acr_eular_2010(**{**RA, "rf": float("nan")}).classified is None
    with pytest.raises(InputError, match=r"rf = 'positive' is not an allowed value"):
        acr_eular_2010(**{**RA, "rf": "positive"})


def test_serology_numbers_in_a_table_are_row_errors() -> None:
    pd = pytest.importorskip("pandas")
    from clinscores.frame import RowError, score

    df = pd.DataFrame({k: [v, v] for k, v in RA.items()})
    assert score(df, "acr_eular_2010")["acr_eular_2010_points"].tolist() == [4, 4]
    for bad in ([1, 2], ["negative", "2"]):
        df["rf"] = bad
        with pytest.raises(RowError, match=r"'rf' \(rf\) = .* is not an allowed value"):
            score(df, "acr_eular_2010")
    coerced = score(df.assign(rf=["negative", 1]), "acr_eular_2010", errors="coerce")
    assert coerced["acr_eular_2010_points"].tolist()[0] == 4
    assert pd.isna(coerced["acr_eular_2010_points"].tolist()[1])


def test_serology_number_in_the_registry_adapter() -> None:
    from clinscores.registry import get

    inst = get("acr_eular_2010")
    values = {k: np.array([v]) for k, v in RA.items()}
    with pytest.raises(InputError, match=r"rf\[0\] = 1 is not a serology level"):
        inst.compute({**values, "rf": np.array([1.0])})
    assert inst.compute({**values, "rf": np.array([2.0])})["acr_eular_2010_points"][0] == 6


def test_serology_number_over_http() -> None:
    pytest.importorskip("starlette")
    from clinscores.registry import get
    from clinscores.web import score_values

    status, doc = score_values(get("acr_eular_2010"), {**RA, "rf": 1})
    assert status == 422 and doc["parameter"] == "rf"
    assert "not an allowed value" in doc["error"]
    status, doc = score_values(get("acr_eular_2010"), {**RA, "rf": "low_positive"})
    assert status == 200 and doc["result"]["acr_eular_2010_points"] == 6


def test_pandas_na_in_bilag_grades_is_unknown() -> None:
    # reproduces: pd.NA in recorded grades was "not a grade" (a mapping) or a
    # bare TypeError "boolean value of NA is ambiguous" (a list or object Series)
    pd = pytest.importorskip("pandas")
    from clinscores.sle import bilag2004_1a_or_2b, bilag2004_numeric, sri
    from clinscores.sle.bilag2004 import _grade_codes

    assert math.isnan(bilag2004_numeric({"renal": pd.NA}))
    assert bilag2004_1a_or_2b({"renal": pd.NA, "constitutional": "A"}) is True
    for value in (["A", pd.NA], pd.Series(["A", pd.NA], dtype=object)):
        codes = np.asarray(_grade_codes({"renal": value})["renal"], dtype=float)
        assert codes[0] == 0.0 and math.isnan(codes[1])
    grades = dict.fromkeys(
        (
            "constitutional",
            "mucocutaneous",
            "neuropsychiatric",
            "musculoskeletal",
            "cardiorespiratory",
            "gastrointestinal",
            "ophthalmic",
            "renal",
            "hematological",
        ),
        "D",
    )
    current = {**grades, "renal": pd.NA}
    assert sri(10, 4, grades, current, 1.0, 1.0) is None  # a new A or B is possible


def test_timedelta_as_a_bilag_item_number_or_an_sri_reduction() -> None:
    # reproduces: numpy integers-to-numpy (timedelta64) passed the integer
    # checks and then raised a bare TypeError from int()
    from clinscores.sle import bilag2004, sri

    with pytest.raises(InputError, match="is not an item number"):
        bilag2004({np.timedelta64(41, "D"): 3}, others=None)
    grades = dict.fromkeys(
        (
            "constitutional",
            "mucocutaneous",
            "neuropsychiatric",
            "musculoskeletal",
            "cardiorespiratory",
            "gastrointestinal",
            "ophthalmic",
            "renal",
            "hematological",
        ),
        "D",
    )
    with pytest.raises(InputError, match=r"^reduction = "):
        sri(10, 4, grades, grades, 1.0, 1.0, reduction=np.timedelta64(4, "D"))
