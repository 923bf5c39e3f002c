"""Patient records from HL7 FHIR R4 bundles, and back.

:func:`record_from_bundle` reads the :class:`~clinscores.record.Patient`
record from a FHIR Bundle (a dict, a JSON string or a path);
:func:`bundle_from_record` writes a record as a Bundle;
:func:`screen_bundle` screens a Bundle and names, in each criterion's reason,
the FHIR resources whose values it used.  The mapping is documented on the
docs page ``fhir.md``.

Every resource is parsed and validated with the ``fhir.resources`` models
(optional extra ``clinscores[fhir]``).  ``fhir.resources`` 8 ships models for
R5 (default), R4B (4.3.0) and STU3, but none for R4 (4.0.1).  R4B is R4 with
changes confined to a few modules (medicinal product definition, evidence,
subscriptions); every resource read or written here (Bundle, Patient,
Observation, Condition, MedicationStatement, Medication, Immunization,
Questionnaire, QuestionnaireResponse) is unchanged between R4 and R4B, so the
R4B models validate them as R4.  Resource types that exist only in R4B are
rejected as not R4.

What has no natural FHIR home (investigator judgement, pregnancy plans,
score items, dates of the screening...) goes in a QuestionnaireResponse to
the Questionnaire :func:`questionnaire`, generated from the record's JSON
Schema: one item per leaf JSON path, so that fields added to the record are
carried without changes here.

Notes
-----
A resource counts only when its subject resolves to the bundle's Patient
(the FHIR R4 rules for references in a bundle); any other resource, and a
preliminary result, is set aside with a note (:attr:`BundleRecord.notes`)
and never changes a value.  A laboratory value or ESR with a
``valueQuantity.comparator`` is a censored value
(:class:`clinscores.record.Censored`); a comparator elsewhere is an error.

Choosing among Observations of one field: those dated after the screening
date are ignored; of the others the most recent day counts, and the
Observations of that day must agree (in two units, within the tolerance of
:func:`clinscores.labs.reconcile`; a censored value must hold the numbers),
else :class:`FhirError` names two that disagree; the check is O(n log n)
(:func:`reconcile_same_day`).  ``sle.ana_positive`` (the 2019 entry
criterion, ever positive) is true when any Observation up to the screening
date is positive.

References
----------
HL7 FHIR R4 (4.0.1) and R4B (4.3.0), https://hl7.org/fhir/R4/ and
https://hl7.org/fhir/R4B/r4b-explanation.html (R4B is R4 apart from the
listed modules; resource types added in R4B from
https://hl7.org/fhir/R4B/history.html).

Codes were checked as follows (the search tool's stored pages; no code was
taken from memory alone):

* LOINC: 6690-2 (loinc.org, mapping guidance of 26464-8); 1975-2, 14631-6,
  1920-8 (HCUP LOINC worksheet); 1742-6, 718-7, 751-8, 731-0, 777-3, 2160-0,
  14682-9, 29463-7 (FHIR implementation guides and LOINC mapping tables in
  public repositories); 6301-6, 5902-2
  (Labcorp PT result LOINC map); 4537-7 (ARUP test 0040325); 88981-6,
  88980-8, 75847-4 (loinc.org, CDAI panel 75842-5); 42254-3 (Labcorp lupus
  profile, ANA by IFA); 6457-6 (dsDNA Ab, Crithidia IFA, a hospital test
  catalogue); 17591-9 (Smith extractable nuclear Ab [Presence] in Serum by
  Immunofluorescence).  LOINC answers LA6576-8/LA6577-6 and SNOMED CT
  10828004/260385009 (positive/negative) from LOINC answer list LL360-9.
* SNOMED CT: 69896004 (SNOMED CT editorial guide); 55464009, 89155008,
  83901003, 363346000, 46177005, 56717001, routes 26643006, 34206005,
  47625008 (published terminology content and FHIR resources).
* ICD-10: M05/M06, M32, M34, M35.0, Z94, A15-A19, C00-C97; ICD-10-CM N18.6.
* ATC (WHO ATC index as republished, group L04, and drug tables): L04AA06,
  L04AA13, L04AA24, L04AB01, L04AB02, L04AB04, L04AB05, L04AB06, L04AC07,
  L04AC14, L04AD01, L04AD02, L04AX01, L04AX03, L01BA01, P01BA02, A07EC01,
  L01FA01 (L01XC02 before 2022).
* UCUM ``[lb_av]`` = 7000 ``[gr]``, ``[gr]`` = 64.79891 mg, so 1 lb =
  0.45359237 kg exactly; ``10*3/uL`` = ``10*9/L``; 1 mmol = 1000 umol.
* Not verified, so the package's own code is used: measured creatinine
  clearance, DAS28-ESR, SLEDAI-2K and ESSDAI totals, global assessments on a
  100 mm scale.
"""

from __future__ import annotations

import datetime as dt
import functools
import json
import math
import re
from collections.abc import Iterable, Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any, Final

import attrs

from clinscores import labs as lab_units
from clinscores._core import InputError
from clinscores._json import JsonError, loads
from clinscores.eligibility import Screening, screen
from clinscores.record import (
    COMPARATORS,
    UNIT_PAIRS,
    Censored,
    Patient,
    RecordError,
    agree,
    json_schema,
    parse_patient,
    show,
)

try:
    from fhir.resources.R4B import get_fhir_model_class
    from pydantic import ValidationError
except ImportError as exc:  # pragma: no cover - depends on the installed extras
    raise ImportError(
        "clinscores.fhir needs the optional extra: pip install 'clinscores[fhir]'"
    ) from exc

__all__ = [
    "CANONICAL",
    "CODE_SYSTEM",
    "QUESTIONNAIRE_URL",
    "FhirError",
    "bundle_from_record",
    "questionnaire",
    "read_bundle",
    "record_from_bundle",
    "screen_bundle",
]

#: The FHIR version read and written (validated with the R4B models).
FHIR_VERSION: Final = "4.0.1"
#: Base of the package's own canonical URLs (``.invalid``: never resolvable).
CANONICAL: Final = "https://clinscores.invalid/fhir"
#: Code system of the package for what LOINC, SNOMED CT and ATC do not code.
CODE_SYSTEM: Final = f"{CANONICAL}/CodeSystem/clinscores"
#: Canonical URL of the generated Questionnaire.
QUESTIONNAIRE_URL: Final = f"{CANONICAL}/Questionnaire/patient-record"
#: Identifier system of ``patient_id`` on the Patient resource.
PATIENT_ID_SYSTEM: Final = f"{CANONICAL}/NamingSystem/patient-id"

LOINC: Final = "http://loinc.org"
UCUM: Final = "http://unitsofmeasure.org"
SNOMED: Final = "http://snomed.info/sct"
ICD10: Final = "http://hl7.org/fhir/sid/icd-10"
ICD10CM: Final = "http://hl7.org/fhir/sid/icd-10-cm"
ATC: Final = "http://www.whocc.no/atc"

#: Resource types that R4B added (they do not exist in R4).
R4B_ONLY: Final = frozenset(
    {
        "AdministrableProductDefinition",
        "Citation",
        "ClinicalUseDefinition",
        "EvidenceReport",
        "Ingredient",
        "ManufacturedItemDefinition",
        "MedicinalProductDefinition",
        "NutritionProduct",
        "PackagedProductDefinition",
        "RegulatedAuthorization",
        "SubscriptionStatus",
        "SubscriptionTopic",
        "SubstanceDefinition",
    }
)
DISEASES: Final = ("ra", "sle", "pss", "ssc")


class FhirError(InputError):
    """A bundle that cannot be read; the message names the resource and the field."""


# --------------------------------------------------------------------------
# the mapping
# --------------------------------------------------------------------------


@attrs.frozen
class Quantity:
    """One kind of Observation and the record fields it fills.

    ``units`` maps a UCUM code of ``valueQuantity.code`` to (record path,
    factor); the value times the factor is the record value.  A factor of 1
    is the unit written by :func:`bundle_from_record`.  ``uln`` does the same
    for ``referenceRange.high``.  ``codes`` maps each accepted (system, code)
    to the UCUM code it is written with (None: any).
    """

    name: str
    codes: Mapping[tuple[str, str], str | None]
    units: Mapping[str, tuple[str, float]] = attrs.field(factory=dict)
    uln: Mapping[str, tuple[str, float]] = attrs.field(factory=dict)
    presence: str | None = None  # record path of a positive/negative result
    ever: bool = False  # presence: positive if any result was positive


def _count(path: str) -> dict[str, tuple[str, float]]:
    return {"10*9/L": (path, 1.0), "10*3/uL": (path, 1.0), "/nL": (path, 1.0)}


def _one(path: str, *codes: str) -> dict[str, tuple[str, float]]:
    return {c: (path, 1.0) for c in codes}


def _loinc(*codes: str) -> dict[tuple[str, str], str | None]:
    return {(LOINC, c): None for c in codes}


def _own(code: str) -> dict[tuple[str, str], str | None]:
    return {(CODE_SYSTEM, code): None}


#: Observations read into the record (sources of the codes: module References);
#: the package's own code where no LOINC code could be verified.
QUANTITIES: Final = (
    Quantity("white cells", _loinc("6690-2"), _count("labs.wbc_1e9_l")),
    Quantity("neutrophils", _loinc("751-8"), _count("labs.neutrophils_1e9_l")),
    Quantity("lymphocytes", _loinc("731-0"), _count("labs.lymphocytes_1e9_l")),
    Quantity(
        "haemoglobin",
        _loinc("718-7"),
        {"g/L": ("labs.hemoglobin_g_l", 1.0), "g/dL": ("labs.hemoglobin_g_dl", 1.0)},
    ),
    Quantity("platelets", _loinc("777-3"), _count("labs.platelets_1e9_l")),
    Quantity(
        "ALT",
        _loinc("1742-6"),
        _one("labs.alt_u_l", "U/L", "[IU]/L"),
        _one("labs.alt_uln_u_l", "U/L", "[IU]/L"),
    ),
    Quantity(
        "AST",
        _loinc("1920-8"),
        _one("labs.ast_u_l", "U/L", "[IU]/L"),
        _one("labs.ast_uln_u_l", "U/L", "[IU]/L"),
    ),
    Quantity(
        "total bilirubin",
        {(LOINC, "1975-2"): "mg/dL", (LOINC, "14631-6"): "umol/L"},
        {
            "umol/L": ("labs.total_bilirubin_umol_l", 1.0),
            "mg/dL": ("labs.total_bilirubin_mg_dl", 1.0),
        },
        {
            "umol/L": ("labs.total_bilirubin_uln_umol_l", 1.0),
            "mg/dL": ("labs.total_bilirubin_uln_mg_dl", 1.0),
        },
    ),
    Quantity(
        "creatinine",
        {(LOINC, "2160-0"): "mg/dL", (LOINC, "14682-9"): "umol/L"},
        {
            "umol/L": ("labs.creatinine_umol_l", 1.0),
            "mmol/L": ("labs.creatinine_umol_l", 1000.0),
            "mg/dL": ("labs.creatinine_mg_dl", 1.0),
        },
    ),
    Quantity(
        "measured creatinine clearance",
        _own("creatinine-clearance"),
        _one("labs.creatinine_clearance_ml_min", "mL/min"),
    ),
    Quantity(
        "INR", _loinc("6301-6"), _one("labs.inr", "{INR}", "1"), _one("labs.inr_uln", "{INR}", "1")
    ),
    Quantity("PT", _loinc("5902-2"), _one("labs.pt_s", "s"), _one("labs.pt_uln_s", "s")),
    Quantity(
        "body weight",
        _loinc("29463-7"),
        {"kg": ("weight_kg", 1.0), "g": ("weight_kg", 0.001), "[lb_av]": ("weight_kg", 0.45359237)},
    ),
    Quantity("ESR", _loinc("4537-7"), _one("ra.esr_mm_h", "mm/h")),
    Quantity("tender joint count (28)", _loinc("88981-6"), _one("ra.tjc28", "{#}", "1")),
    Quantity("swollen joint count (28)", _loinc("88980-8"), _one("ra.sjc28", "{#}", "1")),
    Quantity("patient global assessment (100 mm VAS)", _own("ptga-mm"), _one("ra.ptga_mm", "mm")),
    Quantity("evaluator global assessment (100 mm VAS)", _own("evga-mm"), _one("ra.evga_mm", "mm")),
    Quantity("CDAI", _loinc("75847-4"), _one("ra.cdai_recorded", "{score}", "1")),
    Quantity("DAS28-ESR", _own("das28-esr"), _one("ra.das28_esr_recorded", "{score}", "1")),
    Quantity("SLEDAI-2K", _own("sledai-2k"), _one("sle.sledai2k_recorded", "{score}", "1")),
    Quantity("ESSDAI", _own("essdai"), _one("pss.essdai_recorded", "{score}", "1")),
    Quantity("ANA (IFA)", _loinc("42254-3"), presence="sle.ana_positive", ever=True),
    Quantity("ANA (IFA)", _loinc("42254-3"), presence="ssc.ana_positive_at_screening"),
    Quantity("anti-dsDNA (Crithidia IFA)", _loinc("6457-6"), presence="sle.anti_dsdna_positive"),
    Quantity("anti-Sm (IFA)", _loinc("17591-9"), presence="sle.anti_smith_positive"),
)

POSITIVE: Final = {(SNOMED, "10828004"), (LOINC, "LA6576-8")}
NEGATIVE: Final = {(SNOMED, "260385009"), (LOINC, "LA6577-6")}
OBSERVATION_USED: Final = ("final", "amended", "corrected")
#: Observation statuses of a result not (yet) final: set aside with a note.
NOTED_STATUS: Final = ("preliminary", "registered", "unknown")
#: Codes of the required status bindings of R4 (fhir.resources does not check them).
STATUS_CODES: Final = {
    "Observation": (
        "registered", "preliminary", "final", "amended", "corrected", "cancelled",
        "entered-in-error", "unknown",
    ),
    "MedicationStatement": (
        "active", "completed", "entered-in-error", "intended", "stopped", "on-hold",
        "unknown", "not-taken",
    ),
    "Immunization": ("completed", "entered-in-error", "not-done"),
    "QuestionnaireResponse": (
        "in-progress", "completed", "amended", "entered-in-error", "stopped",
    ),
    "List": ("current", "retired", "entered-in-error"),
}  # fmt: skip

#: Conditions of the screened disease (``diagnosis_date``: onset).  ICD-10
#: codes are matched as prefixes, less :data:`DISEASE_CODES_EXCLUDED`.
DISEASE_CODES: Final = {
    "ra": ((ICD10, "M05"), (ICD10, "M06"), (SNOMED, "69896004")),
    "sle": ((ICD10, "M32"), (SNOMED, "55464009")),
    "pss": ((ICD10, "M35.0"), (SNOMED, "83901003")),
    "ssc": ((ICD10, "M34"), (SNOMED, "89155008")),
}


#: ICD-10 codes under a disease's prefix that are another disease: adult-onset
#: Still disease (M06.1) and inflammatory polyarthropathy (M06.4) under M06,
#: drug-induced SLE (M32.0), systemic sclerosis induced by drugs and
#: chemicals (M34.2).
DISEASE_CODES_EXCLUDED: Final = {
    "ra": ("M06.1", "M06.4"),
    "sle": ("M32.0",),
    "pss": (),
    "ssc": ("M34.2",),
}


def _icd_range(letter: str, lo: int, hi: int) -> tuple[tuple[str, str], ...]:
    return tuple((ICD10, f"{letter}{n:02d}") for n in range(lo, hi + 1))


#: Exclusion flags set true by a Condition: (codes, needs an active clinical
#: status).  The first code is the one written.
CONDITION_FLAGS: Final = {
    "exclusions.malignancy_history": (((SNOMED, "363346000"), *_icd_range("C", 0, 97)), False),
    "exclusions.transplant_history": (((ICD10, "Z94"),), False),
    "exclusions.end_stage_renal_failure": (
        ((SNOMED, "46177005"), (ICD10CM, "N18.6")),
        True,
    ),
    "exclusions.active_tuberculosis": (
        ((SNOMED, "56717001"), *_icd_range("A", 15, 19)),
        True,
    ),
}
ACTIVE_STATUS: Final = ("active", "recurrence", "relapse")

#: DMARDs by ATC code (WHO ATC index); the first code is written.
DMARD_ATC: Final = {
    "methotrexate": ("L04AX03", "L01BA01"),
    "hydroxychloroquine": ("P01BA02",),
    "sulfasalazine": ("A07EC01",),
    "leflunomide": ("L04AA13",),
    "adalimumab": ("L04AB04",),
    "etanercept": ("L04AB01",),
    "infliximab": ("L04AB02",),
    "golimumab": ("L04AB06",),
    "certolizumab": ("L04AB05",),
    "abatacept": ("L04AA24",),
    "tocilizumab": ("L04AC07",),
    "sarilumab": ("L04AC14",),
    "rituximab": ("L01FA01", "L01XC02"),
}
#: Conventional immunosuppressants read as ``other_csdmard`` (ATC): azathioprine,
#: mycophenolic acid, ciclosporin, tacrolimus.
OTHER_CSDMARD_ATC: Final = ("L04AX01", "L04AA06", "L04AD01", "L04AD02")
CSDMARDS: Final = (
    "methotrexate",
    "hydroxychloroquine",
    "sulfasalazine",
    "leflunomide",
    "other_csdmard",
)
#: The record's dose unit per drug: (UCUM mass unit, days per dosing unit).
DOSE_UNITS: Final = {
    "methotrexate": ("mg", 7),
    "hydroxychloroquine": ("mg", 1),
    "leflunomide": ("mg", 1),
    "sulfasalazine": ("g", 1),
}
MASS_IN_MG: Final = {"mg": 1.0, "g": 1000.0}
PERIOD_DAYS: Final = {"d": 1, "wk": 7}
ROUTES: Final = {
    "oral": (SNOMED, "26643006"),
    "subcutaneous": (SNOMED, "34206005"),
    "intravenous": (SNOMED, "47625008"),
    "other": (CODE_SYSTEM, "other-route"),
}
#: Record lists whose members are resources (a FHIR List may enumerate them).
LIST_PATHS: Final = (
    "medications.csdmards",
    "medications.bdmards",
    "medications.vaccination_dates",
)
MEDICATION_STATUS: Final = {
    "active": True,
    "completed": False,
    "stopped": False,
    "on-hold": None,
    "unknown": None,
}


# --------------------------------------------------------------------------
# the generated Questionnaire
# --------------------------------------------------------------------------


def _leaf_type(schema: Mapping[str, Any]) -> tuple[str, list[dict[str, Any]]]:
    """Questionnaire item type and answer options of a leaf JSON Schema."""
    options: list[dict[str, Any]] = []
    alternatives = schema.get("oneOf") or schema.get("anyOf") or [schema]
    types: list[str] = []
    for alt in alternatives:
        for value in alt.get("enum", ()):
            if isinstance(value, bool):
                types.append("boolean")
            elif isinstance(value, str):
                options.append({"valueString": value})
            elif isinstance(value, int):
                options.append({"valueInteger": value})
        t = alt.get("type")
        for name in [t] if isinstance(t, str) else (t or []):
            ranged = "minimum" in alt and "maximum" in alt
            if name == "integer" and ranged and len(alternatives) > 1:
                lo, hi = int(alt["minimum"]), int(alt["maximum"])
                options.extend({"valueInteger": i} for i in range(lo, hi + 1))
            elif name == "string" and alt.get("format") == "date":
                types.append("date")
            elif name != "null":
                types.append({"number": "decimal"}.get(name, name))
    if options:
        return "choice", options
    return (types[0] if types else "string"), []


def _items(schema: Mapping[str, Any], prefix: str) -> Iterator[dict[str, Any]]:
    for name, sub in schema.get("properties", {}).items():
        path = f"{prefix}{name}"
        text = sub.get("description", name)
        if sub.get("type") == "object":
            yield from _items(sub, path + ".")
        elif sub.get("type") == "array":
            of = sub["items"]
            if of.get("type") == "object":
                children = list(_items(of, path + "."))
                yield {
                    "linkId": path,
                    "text": text,
                    "type": "group",
                    "repeats": True,
                    "item": children,
                }
            else:
                kind, _ = _leaf_type(of)
                yield {"linkId": path, "text": text, "type": kind, "repeats": True}
        else:
            kind, options = _leaf_type(sub)
            item: dict[str, Any] = {"linkId": path, "text": text, "type": kind}
            if options:
                item["answerOption"] = options
            yield item


@functools.lru_cache(maxsize=1)
def _questionnaire_json() -> str:
    doc = {
        "resourceType": "Questionnaire",
        "id": "patient-record",
        "url": QUESTIONNAIRE_URL,
        "name": "ClinscoresPatientRecord",
        "title": "clinscores patient record for trial NCT07052565",
        "status": "active",
        "subjectType": ["Patient"],
        "item": list(_items(json_schema(), "")),
    }
    return json.dumps(_validated(doc))


def questionnaire() -> dict[str, Any]:
    """The FHIR R4 Questionnaire of the record, generated from its JSON Schema.

    One item per leaf JSON path of the record (``linkId`` is the path, e.g.
    ``exclusions.pregnant`` or ``sle.sledai2k.arthritis``); a list of objects
    is a repeating group whose children are the object's leaf paths.

    Returns
    -------
    dict
        The Questionnaire as FHIR JSON, validated with ``fhir.resources``.
    """
    result: dict[str, Any] = json.loads(_questionnaire_json())
    return result


def _item_index(items: Sequence[Mapping[str, Any]]) -> dict[str, Mapping[str, Any]]:
    return {i["linkId"]: i for i in items}


# --------------------------------------------------------------------------
# validation with fhir.resources
# --------------------------------------------------------------------------


def _model(resource_type: str) -> Any:
    if resource_type in R4B_ONLY:
        raise FhirError(f"{resource_type}: not an R4 resource type (added in R4B)")
    try:
        return get_fhir_model_class(resource_type)
    except (KeyError, ValueError) as exc:
        raise FhirError(f"{resource_type!r} is not a FHIR R4 resource type") from exc


def _validated(doc: Mapping[str, Any]) -> dict[str, Any]:
    """Validate one resource; return it as FHIR JSON."""
    model = _model(str(doc["resourceType"]))
    try:
        obj = model.model_validate(doc)
    except ValidationError as exc:
        raise FhirError(f"{doc['resourceType']}/{doc.get('id')}: invalid: {exc}") from exc
    out: dict[str, Any] = json.loads(obj.model_dump_json(exclude_none=True))
    return out


def _validate_bundle(data: Mapping[str, Any]) -> dict[str, Any]:
    """Validate a Bundle and its resources; return it as normalised FHIR JSON."""
    entries = data.get("entry") or []
    if not isinstance(entries, list):
        raise FhirError("Bundle.entry: not a list")
    for i, entry in enumerate(entries):
        res = entry.get("resource") if isinstance(entry, Mapping) else None
        if not isinstance(res, Mapping) or "resourceType" not in res:
            raise FhirError(f"Bundle.entry[{i}].resource: missing or without resourceType")
        _model(str(res["resourceType"]))
    try:
        model = _model("Bundle").model_validate(data)
    except ValidationError as exc:
        problems = []
        for err in exc.errors():
            loc = [str(x) for x in err["loc"]]
            where = "Bundle." + ".".join(loc)
            if len(loc) >= 3 and loc[0] == "entry" and loc[1].isdigit() and loc[2] == "resource":
                res = entries[int(loc[1])]["resource"]
                field = ".".join(loc[3:]) or "(resource)"
                where = f"{res['resourceType']}/{res.get('id', '?')}: field {field}"
            problems.append(f"{where}: {err['msg']}")
        raise FhirError("resource fails FHIR R4 validation: " + "; ".join(problems)) from exc
    out: dict[str, Any] = json.loads(model.model_dump_json(exclude_none=True))
    return out


# --------------------------------------------------------------------------
# reading a bundle
# --------------------------------------------------------------------------


@attrs.frozen
class BundleRecord:
    """A record read from a bundle and the resources each of its values came from.

    Attributes
    ----------
    patient : Patient
        The record.
    sources : mapping
        JSON path of a record field -> ids (``"Observation/hb-1"``) of the
        resources it was read from.
    notes : mapping
        JSON path of a record field -> what the reader set aside or could not
        decide for it, e.g. ``"set aside: Observation/alt-x (its subject is
        https://other.example/fhir/Patient/p1, not this bundle's patient)"``.
        A set-aside resource never changes a value; :func:`screen_bundle`
        appends the notes to the reason of every criterion that reads the path.
    """

    patient: Patient
    sources: Mapping[str, tuple[str, ...]]
    notes: Mapping[str, tuple[str, ...]] = attrs.field(factory=dict)


def _load(bundle: object) -> dict[str, Any]:
    if isinstance(bundle, Path) or (
        isinstance(bundle, str) and not bundle.lstrip().startswith("{")
    ):
        try:
            text = Path(bundle).read_text(encoding="utf-8")
        except OSError as exc:
            raise FhirError(f"{bundle}: cannot read: {exc.strerror or exc}") from exc
        bundle = text
    if isinstance(bundle, str):
        try:
            bundle = loads(bundle, what="")  # strict: duplicate keys, numbers beyond float
        except JsonError as exc:
            raise FhirError(f"not FHIR: {exc}") from exc
    if not isinstance(bundle, Mapping) or "resourceType" not in bundle:
        raise FhirError("not FHIR: a FHIR resource is a JSON object with a resourceType")
    if bundle["resourceType"] != "Bundle":
        raise FhirError(f"not a FHIR Bundle: resourceType is {bundle['resourceType']!r}")
    return dict(bundle)


@functools.lru_cache(maxsize=1)
def _schema_paths() -> tuple[frozenset[str], frozenset[str]]:
    """Every JSON path of the record schema (objects and leaves), and the integer ones."""
    out: set[str] = set()
    integers: set[str] = set()

    def walk(schema: Mapping[str, Any], prefix: str) -> None:
        for name, sub in schema.get("properties", {}).items():
            out.add(prefix + name)
            if sub.get("type") == "integer":
                integers.add(prefix + name)
            walk(sub, prefix + name + ".")

    walk(json_schema(), "")
    return frozenset(out), frozenset(integers)


def _rid(res: Mapping[str, Any]) -> str:
    return f"{res['resourceType']}/{res.get('id', '?')}"


def _codings(concept: Mapping[str, Any] | None) -> list[tuple[str, str]]:
    return [(c.get("system", ""), c.get("code", "")) for c in (concept or {}).get("coding", [])]


def _day(res: Mapping[str, Any], field: str, value: object) -> dt.date:
    if isinstance(value, str) and re.match(r"^\d{4}-\d{2}-\d{2}", value):
        return dt.date.fromisoformat(value[:10])
    raise FhirError(f"{_rid(res)}: field {field}: {value!r} is not a full date")


_ABSOLUTE: Final = re.compile(r"^[A-Za-z][A-Za-z0-9+.\-]*:")
_RELATIVE: Final = re.compile(r"^([A-Z][A-Za-z]+)/([A-Za-z0-9\-.]{1,64})$")
_RESTFUL: Final = re.compile(r"^(https?://.+)/([A-Z][A-Za-z]+)/([A-Za-z0-9\-.]{1,64})$")
_HISTORY: Final = re.compile(r"/_history/[A-Za-z0-9\-.]{1,64}$")


def _base(full_url: str | None) -> str | None:
    """The service base of a RESTful ``fullUrl`` (``[base]/[type]/[id]``), else None."""
    m = _RESTFUL.match(full_url or "")
    return m.group(1) if m else None


class _Reader:
    """Collects values by JSON path, each with the resource it came from."""

    def __init__(self, data: Mapping[str, Any]) -> None:
        self.resources = [e["resource"] for e in data.get("entry") or []]
        self.urls: dict[str, Mapping[str, Any]] = {}
        self.local: dict[str, Mapping[str, Any]] = {}
        self.full_url: dict[int, str] = {}
        for entry in data.get("entry") or []:
            res = entry["resource"]
            if "fullUrl" in entry:
                self.urls[entry["fullUrl"]] = res
                self.full_url[id(res)] = entry["fullUrl"]
            if "id" in res:
                self.urls.setdefault(_rid(res), res)
                self.local.setdefault(_rid(res), res)
        self.by_url = {url: self.urls[url] for url in self.full_url.values()}
        self.bases = {b for b in map(_base, self.full_url.values()) if b is not None}
        self.patient_base: str | None = None  # set when the Patient is read
        self.values: dict[str, list[tuple[Any, str]]] = {}
        self.lists: dict[str, list[tuple[Any, str]]] = {}
        self.empty_lists: dict[str, str] = {}
        self.notes: dict[str, list[str]] = {}
        self.unknown: dict[str, list[str]] = {}  # path -> sources that make it unknown

    def of_type(self, resource_type: str) -> list[Mapping[str, Any]]:
        found = [r for r in self.resources if r["resourceType"] == resource_type]
        allowed = STATUS_CODES.get(resource_type, ())
        for res in found:
            if allowed and res.get("status") not in allowed:
                raise FhirError(
                    f"{_rid(res)}: field status: {res.get('status')!r} is not an R4 "
                    f"{resource_type} status ({', '.join(allowed)})"
                )
        return [r for r in found if r.get("status") != "entered-in-error"]

    def resolve(self, res: Mapping[str, Any], field: str, ref: Mapping[str, Any] | None) -> Any:
        if not ref or "reference" not in ref:
            return None
        target = ref["reference"]
        found = self.urls.get(target)
        if found is None:
            m = re.search(r"([A-Za-z]+/[A-Za-z0-9\-.]{1,64})$", target)
            found = self.urls.get(m.group(1)) if m else None
        if found is None:
            raise FhirError(
                f"{_rid(res)}: field {field}: reference {target!r} is not in the bundle"
            )
        return found

    def subject(self, res: Mapping[str, Any], field: str) -> tuple[Any, str]:
        """The bundle resource a subject reference resolves to (None: not in the
        bundle), and the reference as a person reads it; the FHIR R4 rules of
        resolving a reference in a bundle.

        An absolute reference (``http...``, ``urn:uuid:...``) matches an
        entry's ``fullUrl`` exactly.  A relative one (``Patient/p1``) is
        resolved against the service base of the referencing entry's RESTful
        ``fullUrl``; in an entry without one, it names the resource of that
        type and id only when the bundle has at most one service base (no
        other server's ``Patient/p1`` it could mean).
        """
        ref = res.get(field)
        if not isinstance(ref, Mapping) or not ref:
            return None, f"it has no {field}"
        target = ref.get("reference")
        if not isinstance(target, str):
            if ref.get("identifier"):
                return None, f"its {field} is only an identifier, not a reference"
            if ref.get("display"):
                return None, f"its {field} is only a name ({ref['display']!r}), not a reference"
            return None, f"its {field} holds no reference"
        if target.startswith("#"):
            return None, f"its {field} {target} is a contained resource, not the patient entry"
        bare = _HISTORY.sub("", target)
        other = "not this bundle's patient"
        if _ABSOLUTE.match(bare):
            return self.by_url.get(bare), f"its {field} is {target}, {other}"
        if not _RELATIVE.match(bare):
            return None, f"its {field} {target!r} is not a reference that can be resolved"
        base = _base(self.full_url.get(id(res)))
        if base is not None:
            url = f"{base}/{bare}"
            return self.by_url.get(url), f"its {field} {target} is {url}, {other}"
        others = sorted(self.bases - {self.patient_base})
        if others:
            return None, (
                f"its {field} {target} is relative, in an entry without a server fullUrl, and "
                f"the bundle holds resources of another server ({', '.join(others)})"
            )
        return self.local.get(bare), f"its {field} {target} is not in the bundle"

    def add(self, path: str, value: Any, source: str) -> None:
        self.values.setdefault(path, []).append((value, source))

    def note(self, paths: Sequence[str], text: str) -> None:
        for path in paths:
            notes = self.notes.setdefault(path, [])
            if text not in notes:
                notes.append(text)


def _same(a: Any, b: Any) -> bool:
    if isinstance(a, (int, float)) and isinstance(b, (int, float)) and not isinstance(a, bool):
        return not isinstance(b, bool) and math.isclose(a, b, rel_tol=1e-9, abs_tol=1e-12)
    return bool(a == b)


def _set(doc: dict[str, Any], path: str, value: Any) -> None:
    *parents, last = path.split(".")
    node = doc
    for name in parents:
        node = node.setdefault(name, {})
    node[last] = value


def _gated(path: str, disease: str | None) -> bool:
    """Paths under a disease's key are read only for a patient screened for it."""
    head = path.split(".", 1)[0]
    return head not in DISEASES or head == disease


def _read_patient(r: _Reader) -> Mapping[str, Any]:
    patients = r.of_type("Patient")
    if len(patients) != 1:
        raise FhirError(f"Bundle: {len(patients)} Patient resources (exactly one is read)")
    p = patients[0]
    src = _rid(p)
    r.patient_base = _base(r.full_url.get(id(p)))
    ids = p.get("identifier") or []
    own = [i["value"] for i in ids if i.get("system") == PATIENT_ID_SYSTEM and "value" in i]
    anyid = [i["value"] for i in ids if "value" in i]
    pid = (own or anyid or [p.get("id")])[0]
    if pid is None:
        raise FhirError(f"{src}: field identifier: no identifier and no id")
    r.add("patient_id", pid, src)
    if p.get("gender") in ("female", "male"):
        r.add("sex", p["gender"], src)
    if "birthDate" in p:
        r.add("birth_date", _day(p, "birthDate", p["birthDate"]).isoformat(), src)
    return p


def _about_patient(
    r: _Reader, res: Mapping[str, Any], patient: Mapping[str, Any], paths: Sequence[str]
) -> bool:
    """Whether a resource is about the bundle's patient (else it is set aside
    with a note on *paths*, the record paths it would have filled).

    Raises
    ------
    FhirError
        The subject resolves to another resource of the bundle.
    """
    field = "patient" if res["resourceType"] == "Immunization" else "subject"
    target, said = r.subject(res, field)
    if target is patient:
        return True
    if target is not None:
        raise FhirError(
            f"{_rid(res)}: field {field}: refers to {_rid(target)}, not the patient "
            f"{_rid(patient)} (a bundle holds one patient)"
        )
    r.note(paths, f"set aside: {_rid(res)} ({said})")
    return False


def _read_questionnaire_responses(r: _Reader, patient: Mapping[str, Any]) -> None:
    index = _item_index(questionnaire()["item"])
    for qr in r.of_type("QuestionnaireResponse"):
        if str(qr.get("questionnaire", "")).split("|")[0] != QUESTIONNAIRE_URL:
            continue
        links = [str(i.get("linkId")) for i in qr.get("item") or [] if isinstance(i, Mapping)]
        if not _about_patient(r, qr, patient, links):
            continue
        src = _rid(qr)
        groups: dict[str, list[dict[str, Any]]] = {}
        for item in qr.get("item") or []:
            link = item["linkId"]
            spec = index.get(link)
            if spec is None:
                raise FhirError(f"{src}: field item.linkId: {link!r} is not in the questionnaire")
            if spec["type"] == "group":
                elements = groups.setdefault(link, [])
                children = item.get("item") or []
                if children:
                    sub = _item_index(spec["item"])
                    obj: dict[str, Any] = {}
                    for child in children:
                        if child["linkId"] not in sub:
                            raise FhirError(
                                f"{src}: field item.item.linkId: {child['linkId']!r} is not "
                                f"in the questionnaire group {link!r}"
                            )
                        value = _answer(qr, child)
                        if value is not None:
                            _set(obj, child["linkId"][len(link) + 1 :], value)
                    elements.append(obj)
            elif spec.get("repeats"):
                answers = [_value(qr, link, a) for a in item.get("answer") or []]
                if answers:
                    for a in answers:
                        r.lists.setdefault(link, []).append((a, src))
                else:
                    r.empty_lists[link] = src
            else:
                r.add(link, _answer(qr, item), src)
        for link, elements in groups.items():
            if elements:
                for obj in elements:
                    r.lists.setdefault(link, []).append((obj, src))
            else:
                r.empty_lists[link] = src


def _value(res: Mapping[str, Any], link: str, answer: Mapping[str, Any]) -> Any:
    for key, value in answer.items():
        if key == "valueCoding":
            return value.get("code")
        if key in ("valueDecimal", "valueInteger"):
            _number(res, f"item {link!r} {key}", value)
            return value
        if key.startswith("value"):
            return value
    raise FhirError(f"{_rid(res)}: item {link!r}: answer has no value")


def _answer(res: Mapping[str, Any], item: Mapping[str, Any]) -> Any:
    answers = item.get("answer") or []
    if len(answers) > 1:
        raise FhirError(
            f"{_rid(res)}: item {item['linkId']!r}: {len(answers)} answers (one allowed)"
        )
    return _value(res, item["linkId"], answers[0]) if answers else None


def _number(res: Mapping[str, Any], field: str, value: object) -> float:
    """A number of a resource as a float; FhirError naming the resource if it is not one."""
    if not isinstance(value, (int, float)) or isinstance(value, bool):
        raise FhirError(f"{_rid(res)}: field {field}: {value!r} is not a number")
    try:
        x = float(value)
    except OverflowError:
        x = math.inf
    if not math.isfinite(x):
        shown = (
            f"a number of about {int(value.bit_length() * math.log10(2)) + 1} digits"
            if isinstance(value, int)
            else repr(value)
        )
        raise FhirError(
            f"{_rid(res)}: field {field}: {shown} is not a finite number a float can hold"
        )
    return x


@functools.lru_cache(maxsize=1)
def _censorable() -> frozenset[str]:
    """Record paths that accept a censored value (laboratory values, ESR)."""
    out: set[str] = set()

    def walk(cls: type, prefix: str) -> None:
        for fld in attrs.fields(cls):
            spec = fld.metadata["spec"]
            if spec.kind == "object" and spec.cls is not None:
                walk(spec.cls, f"{prefix}{fld.name}.")
            elif spec.censorable:
                out.add(prefix + fld.name)

    walk(Patient, "")
    return frozenset(out)


def _no_comparator(res: Mapping[str, Any], field: str, quantity: Mapping[str, Any]) -> None:
    if quantity.get("comparator") is not None:
        raise FhirError(
            f"{_rid(res)}: field {field}.comparator: {quantity['comparator']!r}: a comparator "
            "is not accepted there (only laboratory values and ESR may be censored)"
        )


def _quantity_path(obs: Mapping[str, Any], q: Quantity) -> str:
    """The record path an Observation of *q* would fill (for notes)."""
    if q.presence is not None:
        return q.presence
    vq = obs.get("valueQuantity")
    code = vq.get("code") if isinstance(vq, Mapping) else None
    if isinstance(code, str) and code in q.units:
        return q.units[code][0]
    return next(iter(q.units.values()))[0]


def _quantity_value(obs: Mapping[str, Any], q: Quantity) -> tuple[str, float | Censored]:
    """(record path, value) of an Observation's valueQuantity (a censored value
    where it has a comparator and the field accepts one)."""
    src = _rid(obs)
    vq = obs.get("valueQuantity")
    if vq is None or vq.get("value") is None:
        raise FhirError(f"{src}: field valueQuantity.value: the {q.name} observation has no value")
    code = vq.get("code")
    if code is None or vq.get("system", UCUM) != UCUM:
        raise FhirError(
            f"{src}: field valueQuantity.code: missing UCUM unit (unit text {vq.get('unit')!r})"
        )
    if code not in q.units:
        raise FhirError(
            f"{src}: field valueQuantity.code: unit {code!r} is not a known unit of {q.name} "
            f"(known: {', '.join(q.units)})"
        )
    path, factor = q.units[code]
    value = _number(obs, "valueQuantity.value", vq["value"]) * factor
    comparator = vq.get("comparator")
    if comparator is None:
        return path, value
    if path not in _censorable():
        raise FhirError(
            f"{src}: field valueQuantity.comparator: {comparator!r}: a comparator is not "
            f"accepted for {q.name} ({path} takes a number; only laboratory values and ESR "
            "may be censored)"
        )
    if comparator not in COMPARATORS:
        raise FhirError(
            f"{src}: field valueQuantity.comparator: {comparator!r} is not an R4 comparator "
            f"({', '.join(COMPARATORS)})"
        )
    # the bound as reported where no unit conversion applies ("< 1.0", "> 120")
    return path, Censored(comparator, vq["value"] if factor == 1.0 else value)


def _uln(obs: Mapping[str, Any], q: Quantity) -> tuple[str, float] | None:
    ranges = obs.get("referenceRange") or []
    high = ranges[0].get("high") if ranges else None
    if not high or not q.uln:
        return None
    code = high.get("code")
    if code not in q.uln:
        raise FhirError(
            f"{_rid(obs)}: field referenceRange.high.code: unit {code!r} is not a known unit "
            f"of the {q.name} upper limit (known: {', '.join(q.uln)})"
        )
    if high.get("value") is None:
        raise FhirError(f"{_rid(obs)}: field referenceRange.high.value: missing")
    _no_comparator(obs, "referenceRange.high", high)
    path, factor = q.uln[code]
    return path, _number(obs, "referenceRange.high.value", high["value"]) * factor


def _presence(obs: Mapping[str, Any], q: Quantity) -> bool:
    if "valueBoolean" in obs:
        return bool(obs["valueBoolean"])
    codes = set(_codings(obs.get("valueCodeableConcept")))
    if codes & POSITIVE:
        return True
    if codes & NEGATIVE:
        return False
    raise FhirError(
        f"{_rid(obs)}: field valueCodeableConcept: the {q.name} observation has no positive "
        "or negative result (SNOMED CT 10828004/260385009)"
    )


#: Relative tolerance of two same-day values of one field in one unit (float noise only).
SAME_REL_TOL: Final = 1e-9


def _pair_of(paths: set[str]) -> tuple[str, str, Any, float] | None:
    """The unit pair (record paths a, b, conversion a -> b, tolerance in b) of *paths*."""
    for a, b, convert, tol in UNIT_PAIRS:
        if paths <= {f"labs.{a}", f"labs.{b}"} and len(paths) == 2:
            return f"labs.{a}", f"labs.{b}", convert, tol
    return None


def _conflict(path: str, a: tuple[float | Censored, str], b: tuple[float | Censored, str]) -> None:
    raise FhirError(
        f"conflicting observations on one day: {a[1]} gives {path} = {show(a[0])}, "
        f"{b[1]} gives {show(b[0])}"
    )


def reconcile_same_day(found: Sequence[tuple[str, float | Censored, str]]) -> None:
    """Check that same-day values of one quantity agree, in O(n log n).

    *found* holds (record path, value, resource id).  Values of one path (one
    unit) that are numbers must be equal (up to float noise, relative
    1e-9): sorted, the smallest and largest must be.  In two units of one
    analyte (:data:`clinscores.record.UNIT_PAIRS`), the numbers of each unit
    are equal, so the extremes decide whether every pair agrees within the
    pair's tolerance.  A censored value must hold the numbers (within the
    tolerance in two units); censored values without numbers must point the
    same way from the same bound.  The error names two disagreeing resources.
    """
    by_path: dict[str, list[tuple[float, str]]] = {}
    censored: list[tuple[str, Censored, str]] = []
    for path, value, src in found:
        if isinstance(value, Censored):
            censored.append((path, value, src))
        else:
            by_path.setdefault(path, []).append((float(value), src))
    extremes: dict[str, tuple[tuple[float, str], tuple[float, str]]] = {}
    for path, values in by_path.items():
        values.sort()
        lo, hi = values[0], values[-1]
        if not math.isclose(lo[0], hi[0], rel_tol=SAME_REL_TOL, abs_tol=1e-12):
            _conflict(path, lo, hi)
        extremes[path] = (lo, hi)
    pair = _pair_of({p for p, _, _ in found})

    def in_b(path: str, x: float) -> float:
        return float(pair[2](x)) if pair is not None and path == pair[0] else x

    def tol(bound: float) -> float:
        return pair[3] + 0.01 * abs(bound) if pair is not None else SAME_REL_TOL * abs(bound)

    if pair is not None and len(extremes) == 2:
        (a_lo, a_hi), (b_lo, b_hi) = extremes[pair[0]], extremes[pair[1]]
        for (xa, sa), (xb, sb) in ((a_hi, b_lo), (a_lo, b_hi)):
            try:
                lab_units.reconcile(sa, xa, sb, xb, pair[2], rel_tol=0.01, abs_tol=pair[3])
            except InputError as exc:
                raise FhirError(f"conflicting observations on one day: {exc}") from exc
    numbers = [(in_b(p, x), src) for p, ends in extremes.items() for x, src in ends]
    first: tuple[Censored, str] | None = None
    for path, c, src in censored:
        c_b = Censored(c.comparator, in_b(path, float(c.value)))
        for x, xsrc in numbers:
            if not agree(x, c_b, tol(c_b.value)):
                _conflict(path, (c, src), (x, xsrc))
        if not numbers:
            if first is None:
                first = (c_b, src)
            elif not agree(first[0], c_b, tol(c_b.value)):
                _conflict(path, first, (c_b, src))


def _read_observations(r: _Reader, patient: Mapping[str, Any], screening: dt.date | None) -> None:
    disease = _single(r, "disease")
    by_q: dict[int, list[tuple[dt.date, Mapping[str, Any]]]] = {}
    for obs in r.of_type("Observation"):
        status = obs.get("status")
        codes = _codings(obs.get("code"))
        for k, q in enumerate(QUANTITIES):
            target = q.presence or next(iter(q.units.values()))[0]
            if not (_gated(target, disease) and any(c in q.codes for c in codes)):
                continue
            if status not in OBSERVATION_USED:
                if status in NOTED_STATUS:
                    r.note(
                        [_quantity_path(obs, q)],
                        f"set aside: {_rid(obs)} (a {status} result; only final, amended "
                        "or corrected results are read)",
                    )
                continue
            if not _about_patient(r, obs, patient, [_quantity_path(obs, q)]):
                continue
            when = obs.get("effectiveDateTime")
            if when is None:
                raise FhirError(f"{_rid(obs)}: field effectiveDateTime: missing")
            by_q.setdefault(k, []).append((_day(obs, "effectiveDateTime", when), obs))
    for k, found in by_q.items():
        q = QUANTITIES[k]
        eligible = [(d, o) for d, o in found if screening is None or d <= screening]
        if not eligible:
            continue
        if q.presence is not None and q.ever:
            results = [(_presence(o, q), _rid(o)) for _, o in eligible]
            positive = [s for v, s in results if v]
            for source in positive or [s for _, s in results]:
                r.add(q.presence, bool(positive), source)
            continue
        latest = max(d for d, _ in eligible)
        chosen = [o for d, o in eligible if d == latest]
        if q.presence is not None:
            results = [(_presence(o, q), _rid(o)) for o in chosen]
            if len({v for v, _ in results}) > 1:
                raise FhirError(
                    f"conflicting observations on one day ({latest}): "
                    + ", ".join(f"{s} {'positive' if v else 'negative'}" for v, s in results)
                )
            for found_value, source in results:
                r.add(q.presence, found_value, source)
            continue
        seen = [(*_quantity_value(o, q), _rid(o)) for o in chosen]
        ulns = [(*u, _rid(o)) for o in chosen if (u := _uln(o, q)) is not None]
        reconcile_same_day(seen)
        reconcile_same_day(ulns)
        exact = any(not isinstance(v, Censored) for _, v, _ in seen)
        interval: dict[str, dict[str, Any]] = {}  # one censored value per path
        for path, value, src in [*seen, *ulns]:
            if not isinstance(value, Censored):
                r.add(path, value, src)
            elif not exact:  # else it agrees with a number of that day: the number is used
                r.add(path, interval.setdefault(path, value.to_json()), src)


def _single(r: _Reader, path: str) -> Any:
    found = r.values.get(path) or []
    return found[0][0] if found else None


def _read_conditions(r: _Reader, patient: Mapping[str, Any]) -> None:
    disease = _single(r, "disease")
    for cond in r.of_type("Condition"):
        verification = {c for _, c in _codings(cond.get("verificationStatus"))}
        if verification & {"refuted", "entered-in-error"}:
            continue
        codes = _codings(cond.get("code"))
        diagnosis = (
            disease in DISEASE_CODES
            and _matches(codes, DISEASE_CODES[disease], DISEASE_CODES_EXCLUDED[disease])
            and "onsetDateTime" in cond
        )
        flags = [p for p, (flag_codes, _) in CONDITION_FLAGS.items() if _matches(codes, flag_codes)]
        if not _about_patient(r, cond, patient, ["diagnosis_date"] * diagnosis + flags):
            continue
        clinical = {c for _, c in _codings(cond.get("clinicalStatus"))}
        src = _rid(cond)
        if diagnosis:
            onset = _day(cond, "onsetDateTime", cond["onsetDateTime"])
            r.add("diagnosis_date", onset.isoformat(), src)
        for path in flags:
            if not CONDITION_FLAGS[path][1] or clinical & set(ACTIVE_STATUS):
                r.add(path, True, src)
            elif not clinical:
                # no clinical status: it may be active, so the flag cannot be false
                code = next((f"{c}" for _, c in codes if c), "?")
                r.unknown.setdefault(path, []).append(src)
                r.note(
                    [path],
                    f"unknown: {src} ({code}) has no clinicalStatus, so it may be active",
                )


def _matches(
    codes: Sequence[tuple[str, str]],
    wanted: Sequence[tuple[str, str]],
    excluded: Sequence[str] = (),
) -> bool:
    """Whether a coding is one of *wanted* (ICD-10 by prefix, less *excluded* prefixes).

    ICD-10 codes are compared without their dot (``M061`` is ``M06.1``).
    """
    bare = tuple(x.replace(".", "") for x in excluded)
    for system, code in codes:
        for ws, wc in wanted:
            if code == wc and system == ws:
                return True
            if ws == ICD10 and system in (ICD10, ICD10CM):
                flat = code.replace(".", "")
                if flat.startswith(wc.replace(".", "")) and not flat.startswith(bare):
                    return True
    return False


def _medication_code(r: _Reader, ms: Mapping[str, Any]) -> list[tuple[str, str]]:
    if "medicationCodeableConcept" in ms:
        return _codings(ms["medicationCodeableConcept"])
    med = r.resolve(ms, "medicationReference", ms.get("medicationReference"))
    return _codings(med.get("code")) if med else []


def _drug(codes: Sequence[tuple[str, str]]) -> str | None:
    for system, code in codes:
        if system == CODE_SYSTEM and code in ("other_csdmard", "other_bdmard"):
            return code
        if system == ATC:
            if code in OTHER_CSDMARD_ATC:
                return "other_csdmard"
            for drug, atc in DMARD_ATC.items():
                if code in atc:
                    return drug
    return None


def _read_medications(r: _Reader, patient: Mapping[str, Any]) -> None:
    for ms in r.of_type("MedicationStatement"):
        status = ms.get("status")
        if status not in MEDICATION_STATUS:
            continue
        drug = _drug(_medication_code(r, ms))
        if drug is None:
            continue
        group = "medications.csdmards" if drug in CSDMARDS else "medications.bdmards"
        if not _about_patient(r, ms, patient, [group]):
            continue
        course: dict[str, Any] = {"drug": drug}
        period = ms.get("effectivePeriod") or {}
        if "effectiveDateTime" in ms:
            period = {"start": ms["effectiveDateTime"]}
        for key, field in (("start", "start_date"), ("end", "end_date")):
            if key in period:
                course[field] = _day(ms, f"effectivePeriod.{key}", period[key]).isoformat()
        ongoing = MEDICATION_STATUS[status]
        if ongoing is not None:
            course["ongoing"] = ongoing
        dosage = (ms.get("dosage") or [{}])[0]
        route = _codings(dosage.get("route"))
        for name, code in ROUTES.items():
            if code in route:
                course["route"] = name
        repeat = (dosage.get("timing") or {}).get("repeat") or {}
        if "start" in (repeat.get("boundsPeriod") or {}):
            course["dose_since"] = _day(
                ms, "dosage.timing.repeat.boundsPeriod.start", repeat["boundsPeriod"]["start"]
            ).isoformat()
        rates = dosage.get("doseAndRate") or []
        dose = rates[0].get("doseQuantity") if rates else None
        if dose is not None and drug in DOSE_UNITS:
            course["dose"] = _dose(ms, drug, dose, repeat)
        r.lists.setdefault(group, []).append((course, _rid(ms)))
    for imm in r.of_type("Immunization"):
        if imm.get("status") != "completed":
            continue
        if not _about_patient(r, imm, patient, ["medications.vaccination_dates"]):
            continue
        if "occurrenceDateTime" not in imm:
            raise FhirError(f"{_rid(imm)}: field occurrenceDateTime: missing (a date is needed)")
        day = _day(imm, "occurrenceDateTime", imm["occurrenceDateTime"])
        r.lists.setdefault("medications.vaccination_dates", []).append((day.isoformat(), _rid(imm)))


def _read_lists(r: _Reader, patient: Mapping[str, Any]) -> None:
    """A FHIR List coded with a record list path fixes that list's members."""
    done: dict[str, str] = {}
    for lst in r.of_type("List"):
        paths = [c for s, c in _codings(lst.get("code")) if s == CODE_SYSTEM and c in LIST_PATHS]
        if not paths:
            continue
        path, src = paths[0], _rid(lst)
        if not _about_patient(r, lst, patient, [path]):
            continue
        if path in done:
            raise FhirError(f"{src}: field code: a second List of {path} (also {done[path]})")
        done[path] = src
        found = {rid: value for value, rid in r.lists.get(path, [])}
        members = []
        for k, entry in enumerate(lst.get("entry") or []):
            target = r.resolve(lst, f"entry[{k}].item", entry.get("item"))
            if target is None or _rid(target) not in found:
                raise FhirError(
                    f"{src}: field entry[{k}].item: "
                    f"{_rid(target) if target else 'no reference'} is not an entry of {path}"
                )
            members.append((found[_rid(target)], _rid(target)))
        unlisted = sorted(set(found) - {rid for _, rid in members})
        if unlisted:
            raise FhirError(f"{src}: field entry: leaves out {', '.join(unlisted)} ({path})")
        if members:
            r.lists[path] = members
        else:
            r.empty_lists[path] = src


def _dose(
    ms: Mapping[str, Any], drug: str, dose: Mapping[str, Any], repeat: Mapping[str, Any]
) -> float:
    unit, days = DOSE_UNITS[drug]
    code = dose.get("code")
    if dose.get("value") is None or code not in MASS_IN_MG:
        raise FhirError(
            f"{_rid(ms)}: field dosage.doseAndRate.doseQuantity: needs a value and a UCUM "
            f"mass unit (mg or g), got {dose.get('value')!r} {code!r}"
        )
    per = repeat.get("periodUnit")
    if per not in PERIOD_DAYS or "period" not in repeat:
        raise FhirError(
            f"{_rid(ms)}: field dosage.timing.repeat: needs period and periodUnit d or wk"
        )
    _no_comparator(ms, "dosage.doseAndRate.doseQuantity", dose)
    field = "dosage.timing.repeat"
    frequency = _number(ms, f"{field}.frequency", repeat.get("frequency", 1))
    period = _number(ms, f"{field}.period", repeat["period"])
    value = _number(ms, "dosage.doseAndRate.doseQuantity.value", dose["value"])
    if period <= 0:
        raise FhirError(f"{_rid(ms)}: field {field}.period: {repeat['period']!r} is not > 0")
    num = value * MASS_IN_MG[code] * frequency * days
    den = period * PERIOD_DAYS[per] * MASS_IN_MG[unit]
    return num / den


def read_bundle(bundle: object) -> BundleRecord:
    """Read a FHIR R4 Bundle into a record and the resource ids of each value.

    Parameters
    ----------
    bundle : dict, str or path
        The Bundle as a dict loaded from JSON, a JSON string, or a path to a
        JSON file.

    Returns
    -------
    BundleRecord

    Raises
    ------
    FhirError
        Not FHIR or not R4, a resource failing validation, an Observation
        with no value or unit, a comparator where a number is needed, a
        number beyond float, conflicting observations on one day, a subject
        that is another resource of the bundle, a dangling medication or
        List reference; the message names the resource and the field.
    clinscores.record.RecordError
        A value outside the record's domain (the resource is named).

    Notes
    -----
    A resource whose subject is not the bundle's patient (missing, a
    display or identifier only, another server, not in the bundle) and a
    preliminary result are not errors: they are set aside, listed in
    :attr:`BundleRecord.notes`.
    """
    data = _validate_bundle(_load(bundle))
    r = _Reader(data)
    patient = _read_patient(r)
    _read_questionnaire_responses(r, patient)
    screening_raw = _single(r, "screening_date")
    screening = dt.date.fromisoformat(screening_raw) if isinstance(screening_raw, str) else None
    _read_observations(r, patient, screening)
    _read_conditions(r, patient)
    _read_medications(r, patient)
    _read_lists(r, patient)

    doc: dict[str, Any] = {}
    sources: dict[str, tuple[str, ...]] = {}
    for path, found in r.values.items():
        first_value, first_source = found[0]
        for value, source in found[1:]:
            if not _same(value, first_value):
                raise FhirError(
                    f"conflicting values for {path}: {first_source} gives {first_value!r}, "
                    f"{source} gives {value!r}"
                )
        if path in _schema_paths()[1] and isinstance(first_value, float):
            first_value = int(first_value) if first_value.is_integer() else first_value
        _set(doc, path, first_value)
        sources[path] = tuple(dict.fromkeys(s for _, s in found))
    for path, unknown_from in r.unknown.items():
        # a flag that a Condition without clinical status may make true: true
        # stays true (from any source); otherwise it is unknown, not false
        if _single(r, path) is not True:
            _set(doc, path, None)
            sources[path] = tuple(dict.fromkeys([*sources.get(path, ()), *unknown_from]))
    for path in set(r.lists) | set(r.empty_lists):
        items = r.lists.get(path, [])
        if items and path in r.empty_lists:
            raise FhirError(
                f"conflicting values for {path}: {r.empty_lists[path]} records none, "
                f"{items[0][1]} records one"
            )
        values: list[Any] = []
        for value, _ in items:
            if value not in values:
                values.append(value)
        _set(doc, path, values)
        srcs = [s for _, s in items] or [r.empty_lists[path]]
        sources[path] = tuple(dict.fromkeys(srcs))
    notes = {path: tuple(texts) for path, texts in r.notes.items()}
    try:
        record = parse_patient(doc)
    except RecordError as exc:
        named = []
        for problem in exc.problems:
            path = problem.split(":", 1)[0].split("[", 1)[0]
            src = sources.get(path) or next(
                (v for k, v in sources.items() if path.startswith(k + ".")), ()
            )
            named.append(f"{problem} (from {', '.join(src)})" if src else problem)
            named[-1] += "".join(f" [{n}]" for n in notes.get(path, ()))
        raise RecordError(named) from exc
    return BundleRecord(record, sources, notes)


def record_from_bundle(bundle: object) -> Patient:
    """The patient record of a FHIR R4 Bundle (dict, JSON string or path).

    See :func:`read_bundle` for the errors; the mapping is on the docs page
    "FHIR bundles".
    """
    return read_bundle(bundle).patient


# --------------------------------------------------------------------------
# the screen of a bundle
# --------------------------------------------------------------------------

#: Values a criterion reports that are computed from record fields.
DERIVED: Final = {
    "age_years": ("birth_date", "age_years", "informed_consent_date"),
    "crcl_cockcroft_gault_ml_min": (
        "birth_date",
        "age_years",
        "informed_consent_date",
        "weight_kg",
        "sex",
        "labs.creatinine_umol_l",
        "labs.creatinine_mg_dl",
    ),
    "das28": ("ra",),
    "cdai": ("ra",),
    "sledai2k": ("sle.sledai2k", "sle.sledai2k_recorded"),
    "essdai": ("pss.essdai", "pss.essdai_recorded"),
}


def _used_paths(key: str, known: Sequence[str]) -> tuple[str, ...]:
    """Record paths behind one key of a criterion's values."""
    if key in DERIVED:
        return DERIVED[key]
    paths = [key]
    if "." in key and key not in _schema_paths()[0]:
        paths.append(key.rsplit(".", 1)[0])
    paths.extend(p for p in known if p.endswith("." + key))
    for a, b, _, _ in UNIT_PAIRS:
        for x, y in ((a, b), (b, a)):
            if key == f"labs.{x}":
                paths.append(f"labs.{y}")
    return tuple(paths)


def _trace(values: Iterable[str], sources: Mapping[str, tuple[str, ...]]) -> list[str]:
    """What *sources* (path -> texts) holds for the record paths behind *values*."""
    known = list(sources)
    ids: list[str] = []
    for key in values:
        for used in _used_paths(key, known):
            for path, srcs in sources.items():
                if path == used or path.startswith(used + "."):
                    ids.extend(srcs)
    return list(dict.fromkeys(ids))


def screen_bundle(bundle: object) -> Screening:
    """Screen the patient of a FHIR R4 Bundle against NCT07052565.

    The result is :func:`clinscores.eligibility.screen` of the record read
    from the bundle; each criterion's reason ends with the ids of the FHIR
    resources whose values it used, e.g. ``[FHIR: Observation/hb-1]``, then
    the reader's notes on the fields it reads (``[set aside: Observation/x
    (its subject is ..., not this bundle's patient)]``; see
    :attr:`BundleRecord.notes`).
    """
    read = read_bundle(bundle)
    s = screen(read.patient)
    criteria = []
    for c in s.criteria:
        ids = _trace(c.consulted or c.values, read.sources)
        reason = f"{c.reason} [FHIR: {', '.join(ids)}]" if ids else c.reason
        notes = _trace(c.consulted or c.values, read.notes)
        reason += "".join(f" [{n}]" for n in notes)
        criteria.append(attrs.evolve(c, reason=reason))
    return attrs.evolve(s, criteria=tuple(criteria))


# --------------------------------------------------------------------------
# writing a bundle
# --------------------------------------------------------------------------


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


def is_bundle(data: object) -> bool:
    """Whether JSON data is a FHIR resource (has a ``resourceType``), not a record."""
    return isinstance(data, Mapping) and "resourceType" in data
