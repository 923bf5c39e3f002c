"""The patient record: validation with JSON paths, the shipped JSON Schema, the CLI."""

from __future__ import annotations

import datetime as dt
import json
from fractions import Fraction
from pathlib import Path
from typing import Any

import jsonschema
import pytest

from clinscores import InputError
from clinscores.record import (
    Censored,
    Labs,
    Patient,
    RecordError,
    decide,
    json_schema,
    lab_value,
    load_schema,
    parse_patient,
)

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = sorted((ROOT / "examples" / "patients").glob("*.json"))
MINIMAL = {"patient_id": "x", "disease": "ra", "screening_date": "2026-10-05"}


def test_shipped_schema_is_generated_from_the_classes() -> None:
    # regenerate with: python -m clinscores.record > src/clinscores/patient.schema.json
    assert load_schema() == json_schema()


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.stem)
def test_examples_are_valid_against_schema_and_class(path: Path) -> None:
    data = json.loads(path.read_text())
    jsonschema.Draft202012Validator(load_schema()).validate(data)
    assert isinstance(parse_patient(data), Patient)


@pytest.mark.parametrize(
    ("record", "message"),
    [
        (
            {**MINIMAL, "labs": {"alt_u_l": -3}},
            r"labs\.alt_u_l: -3 is below 0 "
            r"\(allowed for Alanine aminotransferase \(ALT\): 0 to 100000 U/L\)",
        ),
        ({**MINIMAL, "labs": {"wbc_1e9_l": "high"}}, r"labs\.wbc_1e9_l: \"high\" is not a number"),
        ({**MINIMAL, "labs": {"wbc_1e9_l": True}}, r"labs\.wbc_1e9_l: true is not a number"),
        ({**MINIMAL, "favourite_colour": "red"}, r"favourite_colour: unknown field"),
        ({**MINIMAL, "labs": {"alt": 3}}, r"labs\.alt: unknown field"),
        ({**MINIMAL, "disease": "gout"}, r"disease: \"gout\" is not one of ra, sle, pss, ssc"),
        ({**MINIMAL, "screening_date": "05/10/2026"}, r"screening_date: .* is not an ISO 8601"),
        ({"patient_id": "x", "disease": "ra"}, r"screening_date: required field is missing"),
        ({**MINIMAL, "ra": {"tjc28": 29}}, r"ra\.tjc28: 29 is above 28"),
        ({**MINIMAL, "ra": {"tjc28": 2.5}}, r"ra\.tjc28: 2\.5 is not a whole number"),
        (
            {**MINIMAL, "ra": {"esr_mm_h": 0}},
            r"ra\.esr_mm_h: 0 is below 1",
        ),  # DAS28-ESR needs ESR >= 1
        (
            {**MINIMAL, "sle": {"sledai2k": {"fever": "yes"}}},
            r"sle\.sledai2k\.fever: \"yes\" is not true, false or null",
        ),
        (
            {**MINIMAL, "sle": {"bilag2004_grades": {"renal": "F"}}},
            r"sle\.bilag2004_grades\.renal: \"F\" is not one of A, B, C, D, E",
        ),
        (
            {**MINIMAL, "pss": {"essdai": {"renal": 4}}},
            r"pss\.essdai\.renal: 4 is not 0\.\.3",
        ),
        (
            {**MINIMAL, "medications": {"vaccination_dates": ["2026-13-01"]}},
            r"medications\.vaccination_dates\[0\]: .* is not an ISO 8601 date",
        ),
        (
            {**MINIMAL, "medications": {"csdmards": [{"start_date": "2020-01-01"}]}},
            r"medications\.csdmards\[0\]\.drug: required field is missing",
        ),
        (
            {**MINIMAL, "informed_consent_date": "2026-10-06"},
            r"informed_consent_date: 2026-10-06 is after screening_date 2026-10-05",
        ),
        (
            {**MINIMAL, "diagnosis_date": "2027-01-01"},
            r"diagnosis_date: 2027-01-01 is after screening_date",
        ),
        (
            {**MINIMAL, "labs": {"creatinine_umol_l": 200, "creatinine_mg_dl": 1.0}},
            r"labs\.creatinine_mg_dl = 1\.0 and labs\.creatinine_umol_l = 200\.0 disagree",
        ),
        ([1, 2], r"\(record\): \[1, 2\] is not an object"),
    ],
)
def test_invalid_records_name_the_json_path(record: Any, message: str) -> None:
    with pytest.raises(RecordError, match=message):
        parse_patient(record)


def test_every_problem_is_listed_at_once() -> None:
    record = {**MINIMAL, "labs": {"alt_u_l": -3, "ast_u_l": -1}, "sex": "x", "foo": 1}
    with pytest.raises(RecordError) as info:
        parse_patient(record)
    assert len(info.value.problems) == 4
    assert "4 problems" in str(info.value)


def test_schema_rejects_what_the_class_rejects() -> None:
    validator = jsonschema.Draft202012Validator(load_schema())
    for bad in (
        {**MINIMAL, "labs": {"alt_u_l": -3}},
        {**MINIMAL, "foo": 1},
        {**MINIMAL, "ra": {"tjc28": 29}},
        {**MINIMAL, "sle": {"bilag2004_grades": {"renal": "F"}}},
        {"patient_id": "x", "disease": "ra"},
    ):
        assert not validator.is_valid(bad)
        with pytest.raises(RecordError):
            parse_patient(bad)


def test_classes_validate_on_construction_and_are_frozen() -> None:
    with pytest.raises(RecordError, match=r"alt_u_l: -1 is below 0"):
        Labs(alt_u_l=-1)
    labs = Labs(alt_u_l=10)
    with pytest.raises(AttributeError):
        labs.alt_u_l = 3  # type: ignore[misc]
    p = Patient(patient_id="p", disease="ra", screening_date="2026-01-02")
    assert p.screening_date == dt.date(2026, 1, 2)
    assert parse_patient(p) is p


def test_input_dict_is_not_mutated() -> None:
    data = json.loads(EXAMPLES[0].read_text())
    before = json.dumps(data, sort_keys=True)
    parse_patient(data)
    assert json.dumps(data, sort_keys=True) == before


# ------------------------------------------------------------ censored values


def test_censored_values_in_json_and_in_python() -> None:
    record = {
        **MINIMAL,
        "labs": {"neutrophils_1e9_l": {"comparator": "<", "value": 1.0}, "alt_u_l": 30},
        "ra": {"esr_mm_h": {"comparator": ">=", "value": 100}},
    }
    jsonschema.Draft202012Validator(load_schema()).validate(record)
    p = parse_patient(record)
    assert p.labs is not None and p.labs.neutrophils_1e9_l == Censored("<", 1.0)
    assert p.ra is not None and p.ra.esr_mm_h == Censored(">=", 100)
    assert str(p.labs.neutrophils_1e9_l) == "< 1"
    assert Labs(wbc_1e9_l=Censored(">", 10.0)).wbc_1e9_l == Censored(">", 10.0)
    with pytest.raises(InputError, match="comparator = '=' is not one of"):
        Censored("=", 1.0)
    with pytest.raises(InputError, match="is not a finite number"):
        Censored("<", float("nan"))


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ({"comparator": "=", "value": 1}, r"labs\.wbc_1e9_l\.comparator: \"=\" is not one of"),
        ({"comparator": "<"}, r"labs\.wbc_1e9_l: .* needs exactly comparator and value"),
        ({"comparator": "<", "value": 1, "unit": "g"}, r"\(unknown: unit\)"),
        ({"comparator": "<", "value": "1"}, r"labs\.wbc_1e9_l\.value: \"1\" is not a number"),
        ({"comparator": ">", "value": 501}, r"labs\.wbc_1e9_l\.value: 501 is above 500"),
        ({"comparator": "<", "value": -1}, r"labs\.wbc_1e9_l\.value: -1 is below 0"),
        ({"comparator": "<", "value": 0}, r"labs\.wbc_1e9_l: '< 0' leaves no possible value"),
        ({"comparator": ">", "value": 500}, r"'> 500' leaves no possible value"),
        ({"comparator": "<", "value": 10**400}, r"401 digits\) is a number beyond float"),
    ],
)
def test_bad_censored_values_name_their_path(value: object, message: str) -> None:
    with pytest.raises(RecordError, match=message):
        parse_patient({**MINIMAL, "labs": {"wbc_1e9_l": value}})
    if "leaves no possible value" not in message:  # the schema cannot say that
        validator = jsonschema.Draft202012Validator(load_schema())
        assert not validator.is_valid({**MINIMAL, "labs": {"wbc_1e9_l": value}})


def test_a_censored_value_only_where_the_field_takes_one() -> None:
    with pytest.raises(RecordError, match=r"weight_kg: .* is not a number"):
        parse_patient({**MINIMAL, "weight_kg": {"comparator": "<", "value": 60}})
    with pytest.raises(RecordError, match=r"ra\.tjc28: .* is not a number"):
        parse_patient({**MINIMAL, "ra": {"tjc28": Censored("<", 3)}})
    assert not jsonschema.Draft202012Validator(load_schema()).is_valid(
        {**MINIMAL, "weight_kg": {"comparator": "<", "value": 60}}
    )


def test_a_number_beyond_float_is_a_named_problem() -> None:
    # a Python int in a dict (10**400) raised a bare OverflowError
    with pytest.raises(
        RecordError, match=r"labs\.alt_u_l: .*401 digits\) is a number beyond float"
    ):
        parse_patient({**MINIMAL, "labs": {"alt_u_l": 10**400}})


@pytest.mark.parametrize(
    ("a", "b", "expected"),
    [
        # a number and a censored value: the number, if it lies in the interval
        (12.4, {"comparator": "<", "value": 130}, 124.0),
        ({"comparator": "<", "value": 13.0}, 124, 124.0),
        # two censored values: one direction, one bound (within the tolerance)
        ({"comparator": "<", "value": 5.0}, {"comparator": "<=", "value": 50}, Censored("<=", 50)),
        ({"comparator": ">", "value": 12.0}, None, Censored(">", 120.0)),
    ],
)
def test_two_units_with_censored_values(a: object, b: object, expected: object) -> None:
    labs: dict[str, Any] = {"hemoglobin_g_dl": a}
    if b is not None:
        labs["hemoglobin_g_l"] = b
    p = parse_patient({**MINIMAL, "labs": labs})
    assert lab_value(p.labs, "hemoglobin_g_l") == expected


@pytest.mark.parametrize(
    ("a", "b"),
    [
        (14.0, {"comparator": "<", "value": 130}),
        ({"comparator": ">", "value": 13.0}, 120),
        ({"comparator": "<", "value": 5.0}, {"comparator": ">", "value": 50}),
        ({"comparator": "<", "value": 5.0}, {"comparator": "<", "value": 80}),
    ],
)
def test_two_units_that_disagree_name_both(a: object, b: object) -> None:
    with pytest.raises(
        RecordError, match=r"labs\.hemoglobin_g_dl = .* and labs\.hemoglobin_g_l = .* disagree"
    ):
        parse_patient({**MINIMAL, "labs": {"hemoglobin_g_dl": a, "hemoglobin_g_l": b}})


def test_decide_is_exact_and_tri_state() -> None:
    assert decide(1.65, "<=", Fraction(3, 2) * Fraction("1.1")) is True  # 1.5 x 1.1 exactly
    assert decide(Censored("<", 1.0), ">=", 1) is False
    assert decide(Censored("<=", 1.0), ">=", 1) is None
    assert decide(Censored(">=", 1.0), ">=", 1) is True
    assert decide(Censored(">", 1.0), ">", 1) is True
    assert decide(Censored("<", 5.0), ">=", 1) is None
    assert decide(Censored("<", 30), "<", 30) is True
    assert decide(Censored("<=", 30), "<", 30) is None
