"""The code tables of the FHIR mapping: the codes read and written, and their sources.

Plain data, and the small matching helpers over it: the Observations read
into the record (:data:`QUANTITIES`: LOINC codes, UCUM units and factors),
the Conditions of the screened diseases and of the exclusions (SNOMED CT,
ICD-10 prefixes), the DMARDs (ATC), routes (SNOMED CT), the R4 status codes,
and the package's own code system for what these do not code.  This is the
module a reviewer checks against LOINC, SNOMED CT, ICD-10, ATC and UCUM.

References
----------
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

from collections.abc import Mapping, Sequence
from typing import Final

import attrs

__all__ = [
    "ACTIVE_STATUS",
    "ATC",
    "CANONICAL",
    "CODE_SYSTEM",
    "CONDITION_FLAGS",
    "CSDMARDS",
    "DISEASES",
    "DISEASE_CODES",
    "DISEASE_CODES_EXCLUDED",
    "DMARD_ATC",
    "DOSE_UNITS",
    "ICD10",
    "ICD10CM",
    "LIST_PATHS",
    "LOINC",
    "MASS_IN_MG",
    "MEDICATION_STATUS",
    "NEGATIVE",
    "NOTED_STATUS",
    "OBSERVATION_USED",
    "OTHER_CSDMARD_ATC",
    "PATIENT_ID_SYSTEM",
    "PERIOD_DAYS",
    "POSITIVE",
    "QUANTITIES",
    "QUESTIONNAIRE_URL",
    "ROUTES",
    "SNOMED",
    "STATUS_CODES",
    "UCUM",
    "Quantity",
]

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


DISEASES: Final = ("ra", "sle", "pss", "ssc")


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


def _gated(path: str, disease: str | None) -> bool:
    """Paths under a disease's key are read only for a patient screened for it."""
    head = path.split(".", 1)[0]
    return head not in DISEASES or head == disease


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
