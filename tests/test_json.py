"""Strict JSON for outside input (clinscores._json.loads): rule 6 of the package."""

from __future__ import annotations

import json
import math
import time
from typing import Any

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from clinscores import InputError
from clinscores._json import MAX_DEPTH, JsonError, loads


def _problems(text: str | bytes) -> list[tuple[str | None, str]]:
    with pytest.raises(JsonError) as info:
        loads(text, what="x.json")
    assert str(info.value).startswith("x.json: ")
    return list(info.value.problems)


def test_duplicate_key_is_an_error_naming_its_path() -> None:
    # reproduces: {"pregnant": true, "pregnant": false} was read as not pregnant
    assert _problems('{"exclusions": {"pregnant": true, "pregnant": false}}') == [
        ("exclusions.pregnant", "duplicate key")
    ]
    # reproduces: {"tjc28": 28, "tjc28": 0} was scored as 0 joints
    assert _problems('{"tjc28": 28, "tjc28": 0, "sjc28": 1}') == [("tjc28", "duplicate key")]
    # inside arrays, as in a FHIR Bundle
    text = '{"entry": [{}, {}, {}, {"resource": {"valueQuantity": {"value": 1, "value": 1}}}]}'
    assert _problems(text) == [("entry[3].resource.valueQuantity.value", "duplicate key")]
    # a key that is not a name is quoted; a key given three times is reported once
    assert _problems('[{"a b": {"x": 1, "x": 2, "x": 3}}]') == [('[0]["a b"].x', "duplicate key")]
    with pytest.raises(InputError, match=r"x\.json: a\.b: duplicate key; c: duplicate key"):
        loads('{"a": {"b": 1, "b": 2}, "c": 1, "c": 2}', what="x.json")


@pytest.mark.parametrize(
    ("literal", "shown"),
    [
        ("1" + "0" * 400, "10000000...00000000 (401 digits)"),  # reproduces: OverflowError
        ("-" + "9" * 4400, "-9999999...99999999 (4400 digits)"),  # reproduces: ValueError
        ("1e400", "1e400"),
        ("-1E+400", "-1E+400"),
        ("1" + "0" * 300 + ".5e10", "10000000...000.5e10 (306 characters)"),
        ("0.5e0309", "0.5e0309"),
    ],
)
def test_number_beyond_float_is_an_error(literal: str, shown: str) -> None:
    assert _problems(f'{{"weight_kg": {literal}}}') == [
        ("weight_kg", f"{shown} is a number beyond float (the largest float is about 1.8e308)")
    ]


@pytest.mark.parametrize("literal", ["NaN", "Infinity", "-Infinity"])
def test_nan_and_infinity_are_errors(literal: str) -> None:
    assert _problems(f'{{"labs": {{"crp_mg_l": [1, {literal}]}}}}') == [
        ("labs.crp_mg_l[1]", f"{literal} is not a JSON number (write null for a missing value)")
    ]


def test_numbers_within_float_and_false_alarms_are_read() -> None:
    big = "1" + "0" * 307
    doc = loads(f'{{"a": 1.7976931348623157e308, "b": {big}, "c": 1e-400, "d": 1e100}}', what="")
    assert doc == {"a": 1.7976931348623157e308, "b": 10**307, "c": 0.0, "d": 1e100}
    # a long run of digits, an exponent or an escape inside a text is only text
    text = json.dumps({"id": "1" * 500, "note": "e+999", "emoji": "\U0001f600"})
    assert loads(text, what="") == json.loads(text)
    assert loads(text.encode("utf-16"), what="") == json.loads(text)


def test_unpaired_surrogate_is_an_error() -> None:
    assert _problems('{"patient_id": "\\ud800"}') == [
        ("patient_id", "text with an unpaired surrogate (not Unicode text)")
    ]
    assert _problems('{"\\udfff": 1}')[0][1].startswith("a key with an unpaired surrogate")
    assert _problems('["\ud800"]') == [
        ("[0]", "text with an unpaired surrogate (not Unicode text)")
    ]


def test_malformed_text_depth_and_encoding() -> None:
    assert _problems("{")[0][0] is None and _problems("{")[0][1].startswith("malformed JSON")
    assert _problems(b"\x80{}") == [(None, "not UTF-8 text (byte 0)")]
    ok = "[" * MAX_DEPTH + "]" * MAX_DEPTH
    assert loads(ok, what="") is not None
    deep = "[" * (MAX_DEPTH + 1) + "]" * (MAX_DEPTH + 1)
    assert _problems(deep) == [(None, f"nested deeper than {MAX_DEPTH} levels")]
    assert _problems("[" * 100_000 + "]" * 100_000)[0][1].startswith("nested deeper")
    # brackets inside texts do not count
    assert loads(json.dumps(["[" * 500]), what="") == ["[" * 500]
    assert loads(b'\xef\xbb\xbf{"a": 1}', what="") == {"a": 1}  # UTF-8 with a byte order mark


def test_many_problems_are_counted() -> None:
    text = "[" + ", ".join(["NaN"] * 30) + "]"
    with pytest.raises(JsonError) as info:
        loads(text, what="")
    assert len(info.value.problems) == 20
    assert info.value.detail.endswith("and 10 more")


_values = st.recursive(
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(), inner, max_size=4),
    max_leaves=30,
)


@settings(max_examples=300, deadline=None)
@given(_values)
def test_valid_json_reads_as_the_standard_library_reads_it(value: Any) -> None:
    text = json.dumps(value)
    assert loads(text, what="") == json.loads(text)
    assert loads(text.encode(), what="") == json.loads(text)


@settings(max_examples=200, deadline=None)
@given(
    st.dictionaries(st.from_regex(r"[a-z]{1,4}", fullmatch=True), _values, min_size=1),
    st.integers(min_value=0, max_value=3),
)
def test_every_duplicate_key_is_found(obj: dict[str, Any], depth: int) -> None:
    key = next(iter(obj))
    inner = json.dumps(obj)[:-1] + f", {json.dumps(key)}: 1}}"  # the first key again
    text, path = inner, key
    for _ in range(depth):
        text, path = f'{{"a": [{text}]}}', f"a[0].{path}"
    assert (path, "duplicate key") in _problems(text)


def test_cost_on_a_large_score_body_is_small_next_to_parsing() -> None:
    # 2 x 10^5 rows of DAS28-ESR (3 MB): the strict reading costs little more than json.loads
    rng = np.random.default_rng(0)
    body = {k: rng.integers(1, 29, 200_000).tolist() for k in ("tjc28", "sjc28", "esr")}
    body["ptga_mm"] = (rng.integers(0, 100, 200_000) + 0.5).tolist()
    raw = json.dumps(body).encode()

    def best(f: Any) -> float:
        times = []
        for _ in range(5):
            t0 = time.perf_counter()
            f()
            times.append(time.perf_counter() - t0)
        return min(times)

    plain = best(lambda: json.loads(raw))
    strict = best(lambda: loads(raw, what=""))
    assert loads(raw, what="") == body
    assert strict < 2 * plain + 0.01, (strict, plain)
    assert math.isfinite(strict)


# --------------------------------------------------------------------------
# the record parser on a dict built in Python (no JSON in between)
# --------------------------------------------------------------------------

MINIMAL = {"patient_id": "x", "disease": "ra", "screening_date": "2026-10-05"}


@pytest.mark.parametrize(
    ("extra", "problem"),
    [
        # reproduces: OverflowError from record.parse_patient
        ({"weight_kg": 10**400}, "weight_kg: 10000000...00000000 (401 digits) is a number beyond"),
        (
            {"weight_kg": -(10**5000)},
            "weight_kg: an integer of about 5001 digits is a number beyond",
        ),
        ({"labs": {"alt_u_l": 10**400}}, "labs.alt_u_l: 10000000...00000000 (401 digits) is a"),
        (
            {"disease": "sle", "sle": {"bilag2004_form": {"items": {"1": 10**400}}}},
            "sle.bilag2004_form.items.1: 10000000...00000000 (401 digits) is a number beyond",
        ),
        ({"patient_id": 10**5000}, "patient_id: an integer of about 5001 digits is not a string"),
        ({"weight_kg": list(range(1000))}, "weight_kg: [0, 1, 2, 3, 4, 5, ...] is not a number"),
    ],
)
def test_record_with_a_number_beyond_float_is_a_record_error(
    extra: dict[str, Any], problem: str
) -> None:
    from clinscores.record import RecordError, parse_patient

    with pytest.raises(RecordError) as info:
        parse_patient({**MINIMAL, **extra})
    assert len(info.value.problems) == 1
    assert info.value.problems[0].startswith(problem), info.value.problems
