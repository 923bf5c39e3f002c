"""Writing a patient record as a FHIR R4 Bundle: :func:`bundle_from_record`.

Observations, Conditions, MedicationStatements, Immunizations and Lists
carry what has a FHIR home (codes: :mod:`clinscores.fhir.codes`); the rest
goes in a QuestionnaireResponse to :func:`clinscores.fhir.questionnaire`.
The bundle is read back before it is returned, so no field is lost silently.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping, Sequence
from typing import Any

import attrs

from clinscores.fhir._common import FhirError, _rid, _validate_bundle, _validated
from clinscores.fhir.codes import (
    ATC,
    CANONICAL,
    CODE_SYSTEM,
    CONDITION_FLAGS,
    CSDMARDS,
    DISEASE_CODES,
    DMARD_ATC,
    DOSE_UNITS,
    LIST_PATHS,
    PATIENT_ID_SYSTEM,
    QUANTITIES,
    QUESTIONNAIRE_URL,
    ROUTES,
    SNOMED,
    UCUM,
    _gated,
)
from clinscores.fhir.form import questionnaire
from clinscores.fhir.read import read_bundle
from clinscores.record import Patient, parse_patient

__all__ = [
    "bundle_from_record",
]


def _json_of(value: Any) -> Any:
    """A record (attrs tree) as JSON data: absent attrs fields left out."""
    if attrs.has(type(value)):
        return {
            f.name: _json_of(getattr(value, f.name))
            for f in attrs.fields(type(value))
            if getattr(value, f.name) is not None
        }
    if isinstance(value, Mapping):
        return {k: _json_of(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_json_of(v) for v in value]
    if isinstance(value, dt.date):
        return value.isoformat()
    return value


def _get(doc: Mapping[str, Any], path: str) -> tuple[bool, Any]:
    node: Any = doc
    for name in path.split("."):
        if not isinstance(node, Mapping) or name not in node:
            return False, None
        node = node[name]
    return True, node


def _slug(text: str) -> str:
    return re.sub(r"[^A-Za-z0-9\-.]+", "-", text).strip("-")[:64]


def _coding(system: str, code: str) -> dict[str, Any]:
    return {"coding": [{"system": system, "code": code}]}


def _answer_of(value: Any, kind: str) -> dict[str, Any]:
    if isinstance(value, bool):
        return {"valueBoolean": value}
    if isinstance(value, int) and kind != "decimal":
        return {"valueInteger": value}
    if isinstance(value, (int, float)):
        return {"valueDecimal": value}
    if kind == "date":
        return {"valueDate": value}
    return {"valueString": value}


def _qr_items(
    items: Sequence[Mapping[str, Any]], doc: Mapping[str, Any], placed: set[str]
) -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = []
    for item in items:
        link = item["linkId"]
        present, value = _get(doc, link)
        if not present or link in placed:
            continue
        if item["type"] == "group":
            if not value:
                out.append({"linkId": link})
            for element in value:
                children = _qr_items(
                    [dict(c, linkId=c["linkId"][len(link) + 1 :]) for c in item["item"]],
                    element,
                    set(),
                )
                for c in children:
                    c["linkId"] = f"{link}.{c['linkId']}"
                out.append({"linkId": link, "item": children})
        elif item.get("repeats"):
            entry: dict[str, Any] = {"linkId": link}
            if value:
                entry["answer"] = [_answer_of(v, item["type"]) for v in value]
            out.append(entry)
        else:
            entry = {"linkId": link}
            if value is not None:
                entry["answer"] = [_answer_of(value, item["type"])]
            out.append(entry)
    return out


class _Writer:
    def __init__(self, doc: Mapping[str, Any]) -> None:
        self.doc = doc
        self.placed: set[str] = set()
        self.resources: list[dict[str, Any]] = []
        self.subject = {"reference": "Patient/patient"}
        self.day = doc["screening_date"]

    def add(self, resource: dict[str, Any]) -> None:
        self.resources.append(resource)

    def value(self, path: str) -> Any:
        return _get(self.doc, path)[1]


def _quantity_json(value: Any, ucum: str) -> dict[str, Any]:
    """A record value (a number, or a censored value's JSON) as a FHIR valueQuantity."""
    if isinstance(value, Mapping):  # censored: {"comparator": "<", "value": 1.0}
        return {
            "value": value["value"],
            "comparator": value["comparator"],
            "unit": ucum,
            "system": UCUM,
            "code": ucum,
        }
    return {"value": value, "unit": ucum, "system": UCUM, "code": ucum}


def _write_observations(w: _Writer) -> None:
    disease = w.doc["disease"]
    for q in QUANTITIES:
        if q.presence is not None:
            value = w.value(q.presence)
            if value is None or not _gated(q.presence, disease) or q.presence in w.placed:
                continue
            w.placed.add(q.presence)
            code = next(iter(q.codes))
            w.add(
                {
                    "resourceType": "Observation",
                    "id": _slug("obs-" + q.presence),
                    "status": "final",
                    "code": _coding(*code),
                    "subject": w.subject,
                    "effectiveDateTime": w.day,
                    "valueCodeableConcept": _coding(SNOMED, "10828004" if value else "260385009"),
                }
            )
            continue
        uln_done = False
        for ucum, (path, factor) in q.units.items():
            value = w.value(path)
            if factor != 1.0 or value is None or path in w.placed or not _gated(path, disease):
                continue
            w.placed.add(path)
            code = next((c for c, u in q.codes.items() if u in (None, ucum)), next(iter(q.codes)))
            obs: dict[str, Any] = {
                "resourceType": "Observation",
                "id": _slug("obs-" + path),
                "status": "final",
                "code": _coding(*code),
                "subject": w.subject,
                "effectiveDateTime": w.day,
                "valueQuantity": _quantity_json(value, ucum),
            }
            for uln_ucum, (uln_path, uln_factor) in q.uln.items():
                uln = w.value(uln_path)
                if uln_done or uln is None or uln_factor != 1.0 or uln_path in w.placed:
                    continue
                if isinstance(uln, Mapping):
                    raise FhirError(
                        f"{uln_path}: the censored upper limit of normal "
                        f"'{uln['comparator']} {uln['value']}' cannot be written: FHIR "
                        "referenceRange.high is a SimpleQuantity, which has no comparator"
                    )
                w.placed.add(uln_path)
                uln_done = True
                obs["referenceRange"] = [
                    {"high": {"value": uln, "unit": uln_ucum, "system": UCUM, "code": uln_ucum}}
                ]
            w.add(obs)


def _write_conditions(w: _Writer) -> None:
    disease = w.doc["disease"]
    onset = w.value("diagnosis_date")
    if onset is not None:
        w.placed.add("diagnosis_date")
        w.add(
            {
                "resourceType": "Condition",
                "id": f"condition-{disease}",
                "clinicalStatus": _coding(
                    "http://terminology.hl7.org/CodeSystem/condition-clinical", "active"
                ),
                "code": _coding(*DISEASE_CODES[disease][-1]),
                "subject": w.subject,
                "onsetDateTime": onset,
            }
        )
    for path, (codes, _) in CONDITION_FLAGS.items():
        if w.value(path) is True:
            w.placed.add(path)
            w.add(
                {
                    "resourceType": "Condition",
                    "id": _slug("condition-" + path.split(".")[-1]),
                    "clinicalStatus": _coding(
                        "http://terminology.hl7.org/CodeSystem/condition-clinical", "active"
                    ),
                    "code": _coding(*codes[0]),
                    "subject": w.subject,
                }
            )


def _write_course(w: _Writer, group: str, i: int, course: Mapping[str, Any]) -> dict[str, Any]:
    drug = course["drug"]
    code = (ATC, DMARD_ATC[drug][0]) if drug in DMARD_ATC else (CODE_SYSTEM, drug)
    ongoing = course.get("ongoing")
    status = {True: "active", False: "completed", None: "unknown"}[ongoing]
    ms: dict[str, Any] = {
        "resourceType": "MedicationStatement",
        "id": _slug(f"{group.split('.')[-1]}-{i}-{drug}"),
        "status": status,
        "medicationCodeableConcept": _coding(*code),
        "subject": w.subject,
    }
    period = {
        k: course[f]
        for k, f in (("start", "start_date"), ("end", "end_date"))
        if course.get(f) is not None
    }
    if period:
        ms["effectivePeriod"] = period
    dosage: dict[str, Any] = {}
    if course.get("route") is not None:
        dosage["route"] = _coding(*ROUTES[course["route"]])
    repeat: dict[str, Any] = {}
    if course.get("dose_since") is not None:
        repeat["boundsPeriod"] = {"start": course["dose_since"]}
    if course.get("dose") is not None:
        if drug not in DOSE_UNITS:
            raise FhirError(
                f"{group}[{i}].dose: the record defines no dose unit for {drug}, so the dose "
                "cannot be written as a FHIR Dosage"
            )
        unit, days = DOSE_UNITS[drug]
        repeat.update({"frequency": 1, "period": 1, "periodUnit": "wk" if days == 7 else "d"})
        dosage["doseAndRate"] = [
            {"doseQuantity": {"value": course["dose"], "unit": unit, "system": UCUM, "code": unit}}
        ]
    if repeat:
        dosage["timing"] = {"repeat": repeat}
    if dosage:
        ms["dosage"] = [dosage]
    return ms


def _write_medications(w: _Writer) -> None:
    members: dict[str, list[str]] = {}
    for group in ("medications.csdmards", "medications.bdmards"):
        for i, course in enumerate(w.value(group) or ()):
            in_group = (
                "medications.csdmards" if course["drug"] in CSDMARDS else "medications.bdmards"
            )
            if in_group != group:
                raise FhirError(
                    f"{group}[{i}].drug: {course['drug']} belongs to {in_group}; the FHIR "
                    "mapping groups courses by drug"
                )
            resource = _write_course(w, group, i, course)
            members.setdefault(group, []).append(_rid(resource))
            w.add(resource)
    for i, day in enumerate(w.value("medications.vaccination_dates") or ()):
        resource = {
            "resourceType": "Immunization",
            "id": f"vaccination-{i}",
            "status": "completed",
            "vaccineCode": {"text": "vaccination"},
            "patient": w.subject,
            "occurrenceDateTime": day,
        }
        members.setdefault("medications.vaccination_dates", []).append(_rid(resource))
        w.add(resource)
    for path in LIST_PATHS:
        if w.value(path) is None:
            continue
        w.placed.add(path)
        lst: dict[str, Any] = {
            "resourceType": "List",
            "id": _slug("list-" + path),
            "status": "current",
            "mode": "snapshot",
            "code": _coding(CODE_SYSTEM, path),
            "subject": w.subject,
        }
        if members.get(path):
            lst["entry"] = [{"item": {"reference": ref}} for ref in members[path]]
        else:
            lst["emptyReason"] = _coding(
                "http://terminology.hl7.org/CodeSystem/list-empty-reason", "nilknown"
            )
        w.add(lst)


def bundle_from_record(patient: Patient | Mapping[str, Any]) -> dict[str, Any]:
    """Write a patient record as a FHIR R4 Bundle (type ``collection``).

    Parameters
    ----------
    patient : record or mapping
        The record (a ``clinscores.record.Patient``, or a dict in the format of
        ``patient.schema.json``; validated with ``parse_patient``).

    Returns
    -------
    dict
        The Bundle as FHIR JSON, every resource validated with
        ``fhir.resources``.  :func:`record_from_bundle` reads it back into an
        identical record.

    Raises
    ------
    FhirError
        A value the mapping cannot express (a dose of a drug the record
        gives no dose unit for, a csDMARD among the bDMARDs); the bundle is
        read back before it is returned, so no field is lost silently.
    """
    record = parse_patient(patient)
    doc = _json_of(record)
    w = _Writer(doc)
    person: dict[str, Any] = {
        "resourceType": "Patient",
        "id": "patient",
        "identifier": [{"system": PATIENT_ID_SYSTEM, "value": doc["patient_id"]}],
    }
    w.placed.add("patient_id")
    if "sex" in doc:
        person["gender"] = doc["sex"]
        w.placed.add("sex")
    if "birth_date" in doc:
        person["birthDate"] = doc["birth_date"]
        w.placed.add("birth_date")
    w.add(person)
    _write_observations(w)
    _write_conditions(w)
    _write_medications(w)
    items = _qr_items(questionnaire()["item"], doc, w.placed)
    w.add(
        {
            "resourceType": "QuestionnaireResponse",
            "id": "screening-form",
            "questionnaire": QUESTIONNAIRE_URL,
            "status": "completed",
            "subject": w.subject,
            "item": items,
        }
    )
    entries = [
        {"fullUrl": f"{CANONICAL}/{r['resourceType']}/{r['id']}", "resource": _validated(r)}
        for r in w.resources
    ]
    bundle = _validate_bundle({"resourceType": "Bundle", "type": "collection", "entry": entries})
    back = read_bundle(bundle).patient
    if back != record:  # a field the mapping does not carry: never lose it silently
        lost = [
            f"{p}: {_get(doc, p)[1]!r} is read back as {_get(_json_of(back), p)[1]!r}"
            for p in sorted(_leaf_values(doc) | _leaf_values(_json_of(back)))
            if _get(doc, p) != _get(_json_of(back), p)
        ]
        raise FhirError("the FHIR mapping does not carry: " + "; ".join(lost))
    return bundle


def _leaf_values(doc: Mapping[str, Any], prefix: str = "") -> set[str]:
    out: set[str] = set()
    for key, value in doc.items():
        if isinstance(value, Mapping) and value:
            out |= _leaf_values(value, f"{prefix}{key}.")
        else:
            out.add(prefix + key)
    return out
