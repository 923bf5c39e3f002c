"""FHIR R4 bundles: round trips, hand-written EHR exports, bad input, robustness."""

from __future__ import annotations

import copy
import json
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

pytest.importorskip("fhir.resources")

from fhir.resources.R4B import get_fhir_model_class
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from clinscores import fhir
from clinscores.eligibility import screen
from clinscores.fhir import (
    FhirError,
    bundle_from_record,
    questionnaire,
    read_bundle,
    record_from_bundle,
    screen_bundle,
)
from clinscores.record import RecordError, json_schema, parse_patient

ROOT = Path(__file__).resolve().parents[1]
PATIENTS = sorted((ROOT / "examples" / "patients").glob("*.json"))
HAND_WRITTEN = {
    "ra": ("ra_bundle.json", "eligible"),
    "sle": ("sle_bundle.json", "not_eligible"),
    "pss": ("pss_bundle.json", "incomplete"),
    "ssc": ("ssc_bundle.json", "eligible"),
}
SUFFIX = re.compile(r" \[FHIR: [^\]]*\]$")


def load_patient(path: Path) -> dict[str, Any]:
    data: dict[str, Any] = json.loads(path.read_text())
    return data


def hand_written(disease: str) -> dict[str, Any]:
    data: dict[str, Any] = json.loads(
        (ROOT / "examples" / "fhir" / HAND_WRITTEN[disease][0]).read_text()
    )
    return data


def resource(bundle: dict[str, Any], rid: str) -> dict[str, Any]:
    for entry in bundle["entry"]:
        res: dict[str, Any] = entry["resource"]
        if f"{res['resourceType']}/{res.get('id')}" == rid:
            return res
    raise KeyError(rid)


def without_trace(screening_dict: dict[str, Any]) -> dict[str, Any]:
    out = copy.deepcopy(screening_dict)
    for c in out["criteria"]:
        c["reason"] = SUFFIX.sub("", c["reason"])
    return out


# ------------------------------------------------------------- round trips


@pytest.mark.parametrize("path", PATIENTS, ids=lambda p: p.stem)
def test_record_bundle_record_is_identical_and_screens_the_same(path: Path) -> None:
    record = parse_patient(load_patient(path))
    bundle = bundle_from_record(record)
    assert record_from_bundle(bundle) == record
    expected = screen(record).to_dict()
    assert screen(record_from_bundle(bundle)).to_dict() == expected
    traced = screen_bundle(bundle).to_dict()
    assert without_trace(traced) == expected
    # every criterion that used values names at least one resource
    for c in traced["criteria"]:
        if c["values"]:
            assert "[FHIR: " in c["reason"], c["id"]


@pytest.mark.parametrize("path", PATIENTS, ids=lambda p: p.stem)
def test_generated_bundles_validate_with_fhir_resources(path: Path) -> None:
    bundle = bundle_from_record(load_patient(path))
    get_fhir_model_class("Bundle").model_validate(bundle)
    for entry in bundle["entry"]:
        res = entry["resource"]
        get_fhir_model_class(res["resourceType"]).model_validate(res)
    kinds = {e["resource"]["resourceType"] for e in bundle["entry"]}
    assert {"Patient", "Observation", "QuestionnaireResponse", "List"} <= kinds


def test_bundle_as_json_string_and_as_path(tmp_path: Path) -> None:
    record = parse_patient(load_patient(PATIENTS[0]))
    bundle = bundle_from_record(record)
    text = json.dumps(bundle)
    assert record_from_bundle(text) == record
    file = tmp_path / "b.json"
    file.write_text(text)
    assert record_from_bundle(file) == record
    assert record_from_bundle(str(file)) == record


def test_unknown_values_and_empty_lists_round_trip() -> None:
    data = load_patient(ROOT / "examples" / "patients" / "sle_eligible.json")
    data["sle"]["sledai2k"]["seizure"] = None  # key present, unknown
    data["sle"]["bilag2004_grades"]["renal"] = None
    data["medications"]["csdmards"] = []
    data["medications"]["vaccination_dates"] = ["2026-01-05", "2026-03-05"]
    data["medications"]["colony_stimulating_factor_dates"] = ["2025-01-02"]
    data["exclusions"]["malignancy_history"] = True
    data["labs"]["hemoglobin_g_l"] = 109  # both units, agreeing
    record = parse_patient(data)
    assert record_from_bundle(bundle_from_record(record)) == record


# -------------------------------------------------------------- the Questionnaire


def leaf_paths(schema: dict[str, Any], prefix: str = "") -> list[str]:
    out = []
    for name, sub in schema.get("properties", {}).items():
        if sub.get("type") == "object":
            out += leaf_paths(sub, f"{prefix}{name}.")
        else:
            out.append(prefix + name)
    return out


def test_questionnaire_has_one_item_per_leaf_path_and_validates() -> None:
    q = questionnaire()
    get_fhir_model_class("Questionnaire").model_validate(q)
    assert [i["linkId"] for i in q["item"]] == leaf_paths(json_schema())
    items = {i["linkId"]: i for i in q["item"]}
    assert items["exclusions.pregnant"]["type"] == "boolean"
    assert items["labs.alt_u_l"]["type"] == "decimal"
    assert items["ra.tjc28"]["type"] == "integer"
    assert items["screening_date"]["type"] == "date"
    assert items["medications.vaccination_dates"]["repeats"] is True
    group = items["medications.csdmards"]
    assert group["type"] == "group"
    assert "medications.csdmards.dose" in [c["linkId"] for c in group["item"]]
    grades = [o["valueString"] for o in items["sle.bilag2004_grades.renal"]["answerOption"]]
    assert grades == ["A", "B", "C", "D", "E"]


def test_questionnaire_items_are_generic_over_mapping_fields() -> None:
    # a mapping-valued sub-record like the BILAG-2004 form (items keyed by
    # item number, numbers or booleans): one item per key, typed from the schema
    schema = {
        "properties": {
            "sle": {
                "type": "object",
                "properties": {
                    "bilag2004_form": {
                        "type": "object",
                        "properties": {
                            "items": {
                                "type": "object",
                                "properties": {
                                    "1": {"type": ["boolean", "null"]},
                                    "97": {"type": ["number", "null"]},
                                },
                            },
                            "previously_active": {
                                "type": "object",
                                "properties": {"renal": {"type": ["boolean", "null"]}},
                            },
                        },
                    }
                },
            }
        }
    }
    items = {i["linkId"]: i["type"] for i in fhir._items(schema, "")}
    assert items == {
        "sle.bilag2004_form.items.1": "boolean",
        "sle.bilag2004_form.items.97": "decimal",
        "sle.bilag2004_form.previously_active.renal": "boolean",
    }


# ---------------------------------------------------- hand-written EHR exports


@pytest.mark.parametrize("disease", sorted(HAND_WRITTEN))
def test_hand_written_bundles_screen(disease: str) -> None:
    bundle = hand_written(disease)
    s = screen_bundle(bundle)
    assert s.status == HAND_WRITTEN[disease][1]
    assert s.disease == disease
    # the trace never names an ignored (superseded, later or erroneous) resource
    text = " ".join(c.reason for c in s.criteria)
    for ignored in ("lab-hgb-20260602", "lab-wbc-20261120", "bb-0301-thrombo", "thrombo-err"):
        assert ignored not in text
    assert s.status == screen(record_from_bundle(bundle)).status


def test_hand_written_ra_units_and_superseded_values() -> None:
    read = read_bundle(hand_written("ra"))
    p = read.patient
    assert p.patient_id == "448812"  # the EHR's identifier
    assert p.labs is not None and p.medications is not None and p.ra is not None
    # the 2026-06-02 haemoglobin (5.4 g/dL) is superseded, the 2026-11-20 WBC
    # comes after the screening date: both ignored
    assert p.labs.hemoglobin_g_dl == 12.4 and p.labs.hemoglobin_g_l is None
    assert p.labs.wbc_1e9_l == 7.1  # 10*3/uL is 10*9/L
    assert p.labs.total_bilirubin_mg_dl == 0.6 and p.labs.total_bilirubin_uln_mg_dl == 1.2
    assert p.weight_kg == pytest.approx(152 * 0.45359237)
    assert p.diagnosis_date is not None and p.diagnosis_date.isoformat() == "2017-09-01"
    (mtx,) = p.medications.csdmards or ()
    assert (mtx.drug, mtx.dose, mtx.route, str(mtx.dose_since)) == (
        "methotrexate", 15, "subcutaneous", "2026-05-01"
    )  # fmt: skip
    assert [c.drug for c in p.medications.bdmards or ()] == ["adalimumab", "tocilizumab"]
    assert p.ra.tjc28 == 8 and isinstance(p.ra.tjc28, int)
    # the refuted malignancy is no evidence of one
    assert p.exclusions is not None and p.exclusions.malignancy_history is False
    assert read.sources["labs.hemoglobin_g_dl"] == ("Observation/lab-hgb-20261028",)
    i2 = screen_bundle(hand_written("ra")).criterion("I2")
    assert "Observation/lab-hgb-20261028" in i2.reason
    assert "haemoglobin 124 >= 60 g/L" in i2.reason


def test_hand_written_sle_units_and_superseded_values() -> None:
    p = record_from_bundle(hand_written("sle"))
    assert p.labs is not None and p.medications is not None and p.sle is not None
    assert p.labs.platelets_1e9_l == 156  # not the older 85, not the erroneous 12
    assert p.labs.creatinine_umol_l == pytest.approx(71)  # 0.071 mmol/L
    assert p.labs.hemoglobin_g_l == 109
    assert p.sle.ana_positive is True  # positive in 2020 ("ever")
    assert (p.sle.anti_dsdna_positive, p.sle.anti_smith_positive) == (True, False)
    (hcq,) = p.medications.csdmards or ()
    assert (hcq.drug, hcq.dose) == ("hydroxychloroquine", 400)  # 200 mg twice a day
    assert p.sle.bilag2004_grades is not None
    assert p.sle.bilag2004_grades["hematological"] is None  # answered as unknown
    e4 = screen_bundle(hand_written("sle")).criterion("E4")
    assert e4.status == "met" and "Immunization/imp-0920" in e4.reason


def test_hand_written_pss_and_ssc() -> None:
    p = record_from_bundle(hand_written("pss"))
    assert p.labs is not None and p.pss is not None
    assert p.labs.platelets_1e9_l == 24  # the April value (140) is superseded
    assert (p.labs.creatinine_umol_l, p.labs.creatinine_mg_dl) == (70, 0.79)  # same day, agree
    assert p.labs.alt_u_l == 26 and p.labs.alt_uln_u_l == 40  # [IU]/L
    assert p.pss.essdai == {"hematological": "high", "biological": "low", "glandular": 0}
    q = record_from_bundle(hand_written("ssc"))
    assert q.ssc is not None and q.ssc.ana_positive_at_screening is True  # 2022 negative older
    assert q.weight_kg == 79.5  # grams
    assert [c.drug for c in (q.medications.csdmards or ())] == ["other_csdmard"]  # type: ignore[union-attr]
    assert q.exclusions is not None and q.exclusions.serious_heart_disease is False


# ------------------------------------------------------------------ bad input


def ra_bundle() -> dict[str, Any]:
    return hand_written("ra")


def raises(bundle: object, *fragments: str) -> None:
    with pytest.raises(FhirError) as info:
        record_from_bundle(bundle)
    for fragment in fragments:
        assert fragment in str(info.value), str(info.value)


@pytest.mark.parametrize(
    ("data", "fragment"),
    [
        ([], "not FHIR"),
        ({"patient_id": "x"}, "not FHIR"),
        ("{not json", "malformed JSON"),
        ({"resourceType": "Patient", "id": "p"}, "not a FHIR Bundle"),
    ],
)
def test_not_fhir(data: object, fragment: str) -> None:
    raises(data, fragment)


def test_not_r4() -> None:
    b = ra_bundle()
    # R5 element (Observation.triggeredBy does not exist in R4)
    resource(b, "Observation/lab-alt-20261028")["triggeredBy"] = [
        {"observation": {"reference": "Observation/x"}, "type": "reflex"}
    ]
    raises(b, "Observation/lab-alt-20261028", "triggeredBy")
    b = ra_bundle()
    b["entry"].append({"resource": {"resourceType": "NutritionProduct", "status": "active"}})
    raises(b, "NutritionProduct", "not an R4 resource type")
    b = ra_bundle()
    # STU3 MedicationStatement.taken
    resource(b, "MedicationStatement/med-ada")["taken"] = "y"
    raises(b, "MedicationStatement/med-ada", "taken")


def test_resource_failing_validation() -> None:
    b = ra_bundle()
    resource(b, "Observation/lab-plt-20261028")["valueQuantity"]["value"] = "high"
    raises(b, "Observation/lab-plt-20261028", "valueQuantity.value")
    b = ra_bundle()
    resource(b, "Observation/lab-plt-20261028")["status"] = "done"  # a required binding
    raises(b, "Observation/lab-plt-20261028", "field status: 'done'")
    b = ra_bundle()
    resource(b, "Patient/pt-448812")["birthDate"] = "14/03/1969"
    raises(b, "Patient/pt-448812", "birthDate")


def test_observation_without_value_or_unit() -> None:
    b = ra_bundle()
    del resource(b, "Observation/lab-alt-20261028")["valueQuantity"]
    raises(b, "Observation/lab-alt-20261028", "valueQuantity.value")
    b = ra_bundle()
    del resource(b, "Observation/lab-ast-20261028")["valueQuantity"]["code"]
    raises(b, "Observation/lab-ast-20261028", "valueQuantity.code", "missing UCUM unit")
    b = ra_bundle()
    resource(b, "Observation/lab-wbc-20261028")["valueQuantity"]["code"] = "mg/dL"
    raises(b, "Observation/lab-wbc-20261028", "'mg/dL' is not a known unit of white cells")
    b = ra_bundle()
    del resource(b, "Observation/lab-pt-20261028")["effectiveDateTime"]
    raises(b, "Observation/lab-pt-20261028", "effectiveDateTime")


def test_conflicting_duplicates() -> None:
    b = ra_bundle()
    twin = copy.deepcopy(resource(b, "Observation/lab-hgb-20261028"))
    twin["id"] = "lab-hgb-20261028-b"
    twin["valueQuantity"]["value"] = 10.1
    b["entry"].append({"resource": twin})
    raises(b, "Observation/lab-hgb-20261028", "Observation/lab-hgb-20261028-b")
    # the same value in the other unit agrees; a different one does not
    twin["valueQuantity"].update({"value": 124, "unit": "g/L", "code": "g/L"})
    assert record_from_bundle(b).labs.hemoglobin_g_l == 124  # type: ignore[union-attr]
    twin["valueQuantity"]["value"] = 101
    raises(b, "Observation/lab-hgb-20261028", "Observation/lab-hgb-20261028-b")
    # a QuestionnaireResponse answer disagreeing with an Observation
    b = ra_bundle()
    resource(b, "QuestionnaireResponse/screening-form-448812")["item"].append(
        {"linkId": "weight_kg", "answer": [{"valueDecimal": 80}]}
    )
    raises(b, "weight_kg", "Observation/vitals-weight-20261030", "screening-form-448812")


def test_dangling_references() -> None:
    # a subject that is not in the bundle is not the patient: no longer an error
    # (brief: such a resource is set aside, with a note in the screening)
    b = ra_bundle()
    resource(b, "Observation/lab-inr-20261028")["subject"] = {"reference": "Patient/nobody"}
    assert record_from_bundle(b).labs.inr is None  # type: ignore[union-attr]
    i5 = screen_bundle(b).criterion("I5")
    assert i5.status == "unknown"
    assert "set aside: Observation/lab-inr-20261028 (its subject Patient/nobody" in i5.reason
    # a subject that is another resource of the bundle stays an error
    b = ra_bundle()
    resource(b, "Observation/lab-inr-20261028")["subject"] = {
        "reference": "urn:uuid:0d3c2b8e-11aa-4e52-8d6a-2c4f8b1e9d23"  # Medication/tcz-162
    }
    raises(b, "Observation/lab-inr-20261028", "subject", "refers to Medication/tcz-162")
    b = ra_bundle()
    b["entry"] = [e for e in b["entry"] if e["resource"]["resourceType"] != "Medication"]
    raises(b, "MedicationStatement/med-tcz", "medicationReference")
    generated = bundle_from_record(load_patient(ROOT / "examples/patients/ra_eligible.json"))
    generated["entry"] = [
        e for e in generated["entry"] if e["resource"]["id"] != "bdmards-1-tocilizumab"
    ]
    raises(generated, "List/list-medications.bdmards", "entry[1].item")


def test_other_bad_bundles() -> None:
    b = ra_bundle()
    b["entry"].append(copy.deepcopy(b["entry"][0]))
    raises(b, "2 Patient resources")
    b = ra_bundle()
    resource(b, "QuestionnaireResponse/screening-form-448812")["item"].append(
        {"linkId": "labs.crp_mg_l", "answer": [{"valueDecimal": 3}]}
    )
    raises(b, "QuestionnaireResponse/screening-form-448812", "'labs.crp_mg_l'")
    b = ra_bundle()
    form = resource(b, "QuestionnaireResponse/screening-form-448812")
    form["item"] = [i for i in form["item"] if i["linkId"] != "screening_date"]
    with pytest.raises(RecordError, match="screening_date: required field is missing"):
        record_from_bundle(b)
    b = ra_bundle()
    resource(b, "Observation/lab-alt-20261028")["valueQuantity"]["value"] = -3
    with pytest.raises(RecordError, match=r"labs.alt_u_l: -3.0 is below 0.*Observation/lab-alt"):
        record_from_bundle(b)


def test_record_the_mapping_cannot_write() -> None:
    data = load_patient(ROOT / "examples/patients/ra_eligible.json")
    data["medications"]["bdmards"][1]["dose"] = 162
    with pytest.raises(FhirError, match=r"bdmards\[1\].dose"):
        bundle_from_record(data)
    data = load_patient(ROOT / "examples/patients/ra_eligible.json")
    data["medications"]["bdmards"].append({"drug": "methotrexate"})
    with pytest.raises(FhirError, match=r"belongs to medications\.csdmards"):
        bundle_from_record(data)


# ---------------------------------------------------------------- the command


def test_cli_screens_a_bundle(tmp_path: Path) -> None:
    def run(*args: str) -> subprocess.CompletedProcess[str]:
        cmd = [sys.executable, "-m", "clinscores.cli", "screen", *args]
        return subprocess.run(cmd, capture_output=True, text=True, check=False)

    result = run(str(ROOT / "examples" / "fhir" / "ra_bundle.json"))
    assert result.returncode == 0, result.stdout + result.stderr
    assert "[FHIR: Observation/lab-wbc-20261028" in result.stdout
    broken = ra_bundle()
    resource(broken, "Observation/lab-inr-20261028")["valueQuantity"]["code"] = "mg"
    path = tmp_path / "broken.json"
    path.write_text(json.dumps(broken))
    result = run(str(path))
    assert result.returncode == 12
    assert "Observation/lab-inr-20261028" in result.stdout
    assert "Traceback" not in result.stdout + result.stderr


# ---------------------------------------------------------------- robustness

NOT_ELIGIBLE = [
    bundle_from_record(load_patient(p))
    for p in PATIENTS
    if p.stem.endswith(("_not_eligible", "_incomplete"))
] + [hand_written(d) for d, (_, status) in HAND_WRITTEN.items() if status != "eligible"]


def test_the_robustness_bundles_are_not_eligible() -> None:
    assert len(NOT_ELIGIBLE) == 10
    assert all(screen_bundle(b).status != "eligible" for b in NOT_ELIGIBLE)


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.data())
def test_removing_a_resource_never_makes_a_patient_eligible(data: st.DataObject) -> None:
    bundle = data.draw(st.sampled_from(NOT_ELIGIBLE))
    index = data.draw(st.integers(0, len(bundle["entry"]) - 1))
    smaller = copy.deepcopy(bundle)
    del smaller["entry"][index]
    try:
        status = screen_bundle(smaller).status
    except (FhirError, RecordError):
        return  # an unreadable bundle screens nobody
    assert status != "eligible"


def nodes(value: Any, path: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    out = [path]
    items = (
        value.items()
        if isinstance(value, dict)
        else enumerate(value)
        if isinstance(value, list)
        else ()
    )
    for key, sub in items:
        out += nodes(sub, (*path, key))
    return out


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.data())
def test_a_damaged_bundle_gives_a_named_error_never_a_crash(data: st.DataObject) -> None:
    bundle = copy.deepcopy(hand_written(data.draw(st.sampled_from(sorted(HAND_WRITTEN)))))
    path = data.draw(st.sampled_from(nodes(bundle)[1:]))
    replacement = data.draw(st.sampled_from([..., None, -1, "x", [], {}, True]))
    parent: Any = bundle
    for key in path[:-1]:
        parent = parent[key]
    if replacement is ...:
        del parent[path[-1]]
    else:
        parent[path[-1]] = replacement
    try:
        screen_bundle(bundle)
    except (FhirError, RecordError) as exc:
        assert str(exc)


@pytest.mark.parametrize(
    ("code", "diagnosed"),
    [
        ("M06.9", True),  # rheumatoid arthritis, unspecified
        ("M069", True),  # the same without its dot
        ("M05.79", True),  # seropositive RA
        ("M06.1", False),  # adult-onset Still disease
        ("M061", False),
        ("M06.4", False),  # inflammatory polyarthropathy
    ],
)
def test_ra_diagnosis_codes(code: str, diagnosed: bool) -> None:
    bundle = hand_written("ra")
    resource(bundle, "Condition/dx-ra")["code"]["coding"][0]["code"] = code
    record = record_from_bundle(bundle)
    assert (record.diagnosis_date is not None) == diagnosed
