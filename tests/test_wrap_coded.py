"""The one path from judgement codes to results: Prepared.wrap_coded (issue 20)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from clinscores import Activity, CodedArray
from clinscores._coded import TRISTATE
from clinscores._core import FLAG, prepare, tristate, tristate_codes
from clinscores.criteria import coded, codes, result

LABELS = (Activity.REMISSION, Activity.LOW, Activity.MODERATE, Activity.HIGH)


def test_scalar_input_gives_the_category_itself_or_none() -> None:
    prep = prepare(("x", 1.0, FLAG))
    assert prep.wrap_coded(np.array([3], dtype=np.int8), LABELS) is Activity.HIGH
    assert prep.wrap_coded(np.array([-1], dtype=np.int8), LABELS) is None
    assert prep.wrap_coded(np.array([1], dtype=np.int8), TRISTATE) is True
    assert prep.wrap_coded(np.array([0], dtype=np.int8), TRISTATE) is False


def test_array_input_gives_a_coded_array_over_the_codes_without_a_copy() -> None:
    prep = prepare(("x", np.zeros((2, 2)), FLAG))
    raw = np.array([0, 1, -1, 1], dtype=np.int8)
    out = prep.wrap_coded(raw, TRISTATE)
    assert isinstance(out, CodedArray) and out.shape == (2, 2)
    assert out.tolist() == [[False, True], [None, True]]
    assert np.shares_memory(out.codes, raw) and not raw.flags.writeable
    assert out.nbytes == 4  # one byte a row


def test_series_input_gives_a_nullable_series_with_the_index_and_name() -> None:
    idx = pd.Index(["a", "b", "c"])
    prep = prepare(("x", pd.Series([1.0, 0.0, None], index=idx), FLAG))
    met = prep.wrap_coded(np.array([1, 0, -1], dtype=np.int8), TRISTATE, "met")
    assert met.dtype == "boolean" and met.name == "met" and met.index.equals(idx)
    assert met.tolist() == [True, False, pd.NA]
    cat = prep.wrap_coded(np.array([3, -1, 0], dtype=np.int8), LABELS, "category")
    assert isinstance(cat.dtype, pd.CategoricalDtype) and cat.dtype.ordered
    assert list(cat.cat.categories) == ["remission", "low", "moderate", "high"]
    assert cat.isna().tolist() == [False, True, False] and cat.iloc[0] == "high"


def test_codes_must_be_int8() -> None:
    prep = prepare(("x", [1.0, 0.0], FLAG))
    with pytest.raises(TypeError, match="int8"):
        prep.wrap_coded(np.array([1, 0]), TRISTATE)


bools = st.lists(st.tuples(st.booleans(), st.booleans()), min_size=1, max_size=30)


@given(bools)
def test_tristate_codes_are_met_where_known_else_unknown(rows: list[tuple[bool, bool]]) -> None:
    met = np.array([r[0] for r in rows])
    known = np.array([r[1] for r in rows])
    got = tristate_codes(met, known, len(rows)).tolist()
    assert got == [(1 if m else 0) if k else -1 for m, k in rows]
    prep = prepare(("x", np.zeros(len(rows)), FLAG))
    out = tristate(met, known, prep, "x")
    assert out.tolist() == [(m if k else None) for m, k in rows]


@given(bools)
def test_criteria_masks_become_codes_and_a_failure_is_never_overridden(
    rows: list[tuple[bool, bool]],
) -> None:
    met = np.array([r[0] for r in rows])
    failed = np.array([r[1] for r in rows])
    expected = [False if f else (True if m else None) for m, f in rows]
    assert codes((met, failed)).dtype == np.int8
    assert coded((met, failed)).tolist() == expected
    prep = prepare(("x", np.zeros(len(rows)), FLAG))
    assert result((met, failed), prep, "x").tolist() == expected


def test_a_judgement_passed_on_as_an_input_is_read_without_objects() -> None:
    # a met / not met / unknown result feeds a flag (1.0, 0.0, NaN)
    from clinscores.sle import sledai2k

    arthritis = CodedArray([1, 0, -1], TRISTATE)
    got = sledai2k(arthritis=arthritis, others=False)
    np.testing.assert_array_equal(got, [4.0, 0.0, np.nan])


@given(
    st.integers(0, 3),
    st.integers(1, 9_999),
    st.integers(-40, 40),
    st.sampled_from([0.0, 0.5, -0.5, 0.25]),
)
def test_categorize_agrees_with_the_reported_value_at_every_boundary(
    decimals: int, c: int, ulps: int, offset: float
) -> None:
    # categorize compares before rounding (fewer passes); it must decide as
    # reported_units does, to the last ulp around each half-unit boundary
    from clinscores._core import Domain, categorize, reported_units

    scale = 10.0**decimals
    x = np.float64((c + offset) / scale)
    xs = np.array([x + k * np.spacing(x) for k in range(ulps - 3, ulps + 4)] + [np.nan])
    xs = xs[~(xs < 0)]
    domain = Domain(0, 1e6 / scale - 1, "score")
    cuts = [(c / scale, True), ((c + 1) / scale, False)]
    got = categorize(xs, decimals=decimals, cuts=cuts, labels=LABELS[:3], domain=domain)
    units = reported_units(xs, decimals)
    want = [None if np.isnan(u) else LABELS[int(u > c) + int(u >= c + 1)] for u in units]
    assert got.tolist() == want


@given(st.integers(0, 3), st.integers(1, 9_999), st.booleans())
def test_categorize_on_an_unbounded_domain_agrees_with_the_reported_value(
    decimals: int, c: int, huge: bool
) -> None:
    # an unbounded domain (SDAI) compares early only in blocks below 10^6 units
    from clinscores._core import Domain, categorize, reported_units

    scale = 10.0**decimals
    base = np.array([(c - 0.5) / scale, (c + 0.5) / scale, c / scale])
    xs = np.concatenate([base + k * np.spacing(base) for k in range(-4, 5)])
    if huge:
        xs = np.append(xs, 1e9)
    cuts = [(c / scale, True), ((c + 1) / scale, False)]
    got = categorize(
        xs, decimals=decimals, cuts=cuts, labels=LABELS[:3], domain=Domain(0, np.inf, "s")
    )
    units = reported_units(xs, decimals)
    assert got.tolist() == [LABELS[int(u > c) + int(u >= c + 1)] for u in units]


def test_judgements_passed_on_as_inputs_give_what_their_values_give() -> None:
    # a serology level (CodedArray) as rf / acpa, and a met / not met / unknown
    # array as a flag, are read block by block from their codes: the result is
    # the one their values (text, None) give, past a block edge too
    from clinscores._core import BLOCK
    from clinscores.ra import acr_eular_2010, serology_level

    n = BLOCK + 3000
    rng = np.random.default_rng(3)
    titre = rng.uniform(0, 100, n)
    titre[rng.random(n) < 0.05] = np.nan
    rf = serology_level(titre, 20.0)
    crp = CodedArray(rng.integers(-1, 2, n), TRISTATE)
    args = (rng.integers(0, 4, n), rng.integers(0, 6, n))
    coded_run = acr_eular_2010(*args, rf, "negative", crp, False, 8)
    values_run = acr_eular_2010(*args, rf.astype(object), "negative", crp.astype(object), False, 8)
    assert coded_run.classified.equals(values_run.classified)
    np.testing.assert_array_equal(coded_run.points, values_run.points)


@given(st.integers(0, 2**32 - 1))
@settings(max_examples=5, deadline=None)
def test_sri_and_bicla_read_coded_grades_as_their_values(seed: int) -> None:
    # bilag2004's CodedArray grades given to sri / bicla are read from their
    # int8 codes block by block (-1 unknown): the same answers as the grades
    # as text (None unknown), past a block edge, mixed with text systems too
    from clinscores._core import BLOCK
    from clinscores.sle import BILAG2004_SYSTEMS, bicla, sri

    rng = np.random.default_rng(seed)
    n = BLOCK + 700
    grades = ("E", "D", "C", "B", "A")

    def coded_grades() -> dict[str, CodedArray]:
        return {
            s: CodedArray.from_codes(rng.integers(-1, 5, n).astype(np.int8), grades)
            for s in BILAG2004_SYSTEMS
        }

    b, c = coded_grades(), coded_grades()
    b_text = {s: v.tolist() for s, v in b.items()}
    c_text = {s: v.tolist() for s, v in c.items()}
    sb, sc = rng.integers(0, 20, n).astype(float), rng.integers(0, 20, n).astype(float)
    sb[rng.random(n) < 0.05] = np.nan
    pb, pc = rng.uniform(0, 3, n).round(2), rng.uniform(0, 3, n).round(2)
    failure = rng.random(n) < 0.1
    assert sri(sb, sc, b, c, pb, pc).equals(sri(sb, sc, b_text, c_text, pb, pc))
    assert sri(sb, sc, {**b_text, "renal": b["renal"]}, c, pb, pc).equals(
        sri(sb, sc, b_text, c_text, pb, pc)
    )
    assert bicla(sb, sc, b, c, pb, pc, failure).equals(
        bicla(sb, sc, b_text, c_text, pb, pc, failure)
    )
