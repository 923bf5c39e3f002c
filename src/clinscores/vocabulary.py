"""The words a person reads: labels, units, one-line help, display names, domain hints.

One table for every face of the package: the record's JSON Schema
(``title`` = label, ``description`` = help, ``x-unit`` = unit text, built by
:func:`clinscores.record.json_schema`), the registry's description of each
instrument (:func:`clinscores.registry.describe`: ``display_name``, and
``label``, ``unit``, ``help``, ``hint`` per parameter), ``clinscores list``,
the notebook display and the command's text all read it, so one fix here
mends all of them.

* :class:`Term`: the label, unit text (as a clinician writes it, e.g.
  ``"×10⁹/L"``) and one-line help of one record field or instrument
  parameter.
* :data:`INSTRUMENT_NAMES`: the display name of each instrument
  (``"DAS28-ESR"``, ``"BILAG-2004"``).
* :data:`PARAMETERS`: instrument -> parameter -> :class:`Term`.
* :data:`RECORD_FIELDS`: record class name -> field -> :class:`Term` (the
  items of the record's instrument objects, such as ``sle.sledai2k``, take
  their words from :data:`PARAMETERS`; see :data:`RECORD_ITEMS`).
* :data:`ANALYTES`: one analyte given in either of two units (haemoglobin,
  creatinine, bilirubin): one input with a unit choice.
* :func:`range_hint` and :func:`domain_hint`: the one formatter of domain
  hints (``"0 to 28, whole number"``, ``"at least 1 mm/h"``).

This module imports nothing from the rest of the package at import time
(the scoring core uses its formatter).

Examples
--------
>>> range_hint(0, 28, integer=True)
'0 to 28, whole number'
>>> range_hint(1, float("inf"), unit="mm/h")
'at least 1 mm/h'
>>> range_hint(0, float("inf"), lo_open=True, unit="mg/dL")
'more than 0 mg/dL'
>>> PARAMETERS["das28_esr"]["tjc28"].label
'Tender joint count (28 joints)'
>>> INSTRUMENT_NAMES["eular_acr_2019"]
'2019 EULAR/ACR SLE classification'
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Mapping
from types import MappingProxyType
from typing import Any, Final, Protocol

import attrs

__all__ = [
    "ANALYTES",
    "BILAG2004_SYSTEM_NAMES",
    "CHOICE_LABELS",
    "CLASSIFICATION_DOMAIN_NAMES",
    "INSTRUMENT_NAMES",
    "PARAMETERS",
    "RECORD_FIELDS",
    "RECORD_ITEMS",
    "STATUS_WORDS",
    "Analyte",
    "Term",
    "clinical_unit",
    "clinical_unit_patterns",
    "domain_hint",
    "range_hint",
]


@attrs.frozen
class Term:
    """The words of one record field or instrument parameter.

    Attributes
    ----------
    label : str
        What a form's label says, e.g. ``"Tender joint count (28 joints)"``.
    unit : str
        The unit as a clinician writes it (``"×10⁹/L"``, ``"g/L"``,
        ``"mm/h"``, ``"mm on a 100 mm scale"``); ``""`` for none.
    help : str
        One line under the input: what to record, and how.
    """

    label: str
    unit: str = ""
    help: str = ""


@attrs.frozen
class Analyte:
    """One analyte measured in either of two units (one input, a unit choice).

    Attributes
    ----------
    label : str
        E.g. ``"Haemoglobin"``.
    fields : tuple of str
        The record fields (JSON paths), one per unit, the first the
        preferred one.
    units : tuple of str
        The unit text of each field, in the same order.
    """

    label: str
    fields: tuple[str, ...]
    units: tuple[str, ...]


# --------------------------------------------------------------------------
# the one formatter of domain hints
# --------------------------------------------------------------------------


def _num(x: float) -> str:
    """A bound as a person writes it: ``28``, ``0.5``, ``1000``."""
    return str(int(x)) if float(x).is_integer() and abs(x) < 1e15 else f"{x:g}"


def range_hint(
    lo: float,
    hi: float,
    *,
    lo_open: bool = False,
    hi_open: bool = False,
    integer: bool = False,
    unit: str = "",
) -> str:
    """The allowed values in words: ``"0 to 28, whole number"``, ``"at least 1 mm/h"``.

    Parameters
    ----------
    lo, hi : float
        The bounds (``-inf``/``inf`` for none).
    lo_open, hi_open : bool
        Whether the bound itself is excluded ("more than", "less than").
    integer : bool
        Whether only whole numbers are allowed.
    unit : str
        The unit text; a scale's description after " on a " is left out
        (``"mm on a 100 mm scale"`` gives ``"0 to 100 mm"``).

    Returns
    -------
    str

    Examples
    --------
    >>> range_hint(0, 100, unit="mm on a 100 mm scale")
    '0 to 100 mm'
    >>> range_hint(0, 35, lo_open=True, unit="mg/dL")
    'more than 0 and at most 35 mg/dL'
    >>> range_hint(-math.inf, math.inf)
    'any number'
    """
    short = unit.split(" on a ")[0].strip()
    tail = f" {short}" if short else ""
    lo_inf, hi_inf = math.isinf(lo), math.isinf(hi)
    if lo_inf and hi_inf:
        text = "any whole number" if integer else "any number"
        return text + (f" ({short})" if short else "")
    if hi_inf:
        text = f"{'more than' if lo_open else 'at least'} {_num(lo)}{tail}"
    elif lo_inf:
        text = f"{'less than' if hi_open else 'at most'} {_num(hi)}{tail}"
    elif not (lo_open or hi_open):
        text = f"{_num(lo)} to {_num(hi)}{tail}"
    else:
        text = (
            f"{'more than' if lo_open else 'at least'} {_num(lo)} and "
            f"{'less than' if hi_open else 'at most'} {_num(hi)}{tail}"
        )
    return text + (", whole number" if integer else "")


class _DomainLike(Protocol):
    @property
    def lo(self) -> float: ...
    @property
    def hi(self) -> float: ...
    @property
    def lo_open(self) -> bool: ...
    @property
    def hi_open(self) -> bool: ...
    @property
    def integer(self) -> bool: ...
    @property
    def flag(self) -> bool: ...
    @property
    def words(self) -> Mapping[str, float] | None: ...
    @property
    def words_only(self) -> bool: ...


def _or_list(items: Iterable[str]) -> str:
    items = list(items)
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " or " + items[-1]


def domain_hint(domain: _DomainLike, unit: str = "") -> str:
    """:func:`range_hint` of a :class:`clinscores._core.Domain` (flags and words too).

    A flag is ``"true or false"``; words are quoted as typed
    (``"'no', 'low' or 'moderate', or 0 to 2"``).

    Examples
    --------
    >>> from clinscores.ra._domains import ESR_MM_H, JOINTS28
    >>> domain_hint(JOINTS28), domain_hint(ESR_MM_H, "mm/h")
    ('0 to 28, whole number', 'at least 1 mm/h')
    """
    if domain.flag:
        return "true or false"
    if domain.words is not None:
        words = _or_list(repr(w) for w in domain.words)
        if domain.words_only:
            return words
        return f"{words}, or {range_hint(domain.lo, domain.hi, integer=domain.integer)}".replace(
            ", whole number", ""
        )
    return range_hint(
        domain.lo,
        domain.hi,
        lo_open=domain.lo_open,
        hi_open=domain.hi_open,
        integer=domain.integer,
        unit=unit,
    )


_UNIT_WORDS: Final = (
    (re.compile(r"x ?10\^9/[lL]\b"), "×10⁹/L"),
    (re.compile(r"\bumol/[lL]\b"), "µmol/L"),
    (re.compile(r"\bg/dl\b"), "g/dL"),
    (re.compile(r"\bg/l\b"), "g/L"),
    (re.compile(r"\bml/min/1\.73 ?m2\b"), "mL/min/1.73 m²"),
    (re.compile(r"\bmm2\b"), "mm²"),
    (re.compile(r"\bml/min\b"), "mL/min"),
)


def clinical_unit(text: str) -> str:
    """A text with its ASCII units written as a clinician writes them.

    Examples
    --------
    >>> clinical_unit("WBC 3.4 >= 3 x10^9/L; creatinine 80 umol/L")
    'WBC 3.4 >= 3 ×10⁹/L; creatinine 80 µmol/L'
    """
    for pattern, word in _UNIT_WORDS:
        text = pattern.sub(word, text)
    return text


def clinical_unit_patterns() -> list[dict[str, str]]:
    """The rewrites of :func:`clinical_unit` as data, for the web page's script.

    Each is ``{"pattern": regular expression, "text": replacement}``; the
    patterns use only syntax that JavaScript reads alike (word boundaries,
    ``?``, character classes), so the page writes the units of a reason as
    the command and the notebook do.

    Examples
    --------
    >>> [u["text"] for u in clinical_unit_patterns()][:2]
    ['×10⁹/L', 'µmol/L']
    """
    return [{"pattern": pattern.pattern, "text": word} for pattern, word in _UNIT_WORDS]


# --------------------------------------------------------------------------
# display names
# --------------------------------------------------------------------------

#: The display name of each instrument, as clinicians and papers write it.
INSTRUMENT_NAMES: Final[Mapping[str, str]] = MappingProxyType(
    {
        "das28_esr": "DAS28-ESR",
        "das28_crp": "DAS28-CRP",
        "das28_esr3": "DAS28-ESR (3 variables)",
        "das28_crp3": "DAS28-CRP (3 variables)",
        "cdai": "CDAI",
        "sdai": "SDAI",
        "acr_eular_2010": "2010 ACR/EULAR RA classification",
        "haq_di": "HAQ-DI",
        "sledai2k": "SLEDAI-2K",
        "bilag2004": "BILAG-2004",
        "eular_acr_2019": "2019 EULAR/ACR SLE classification",
        "essdai": "ESSDAI",
        "esspri": "ESSPRI",
        "acr_eular_2016": "2016 ACR/EULAR Sjögren's classification",
        "aecg_2002": "2002 AECG Sjögren's classification",
        "mrss": "Modified Rodnan skin score",
        "acr_eular_2013": "2013 ACR/EULAR systemic sclerosis classification",
        "cockcroft_gault": "Cockcroft-Gault creatinine clearance",
    }
)

#: The BILAG-2004 systems as the form names them.
BILAG2004_SYSTEM_NAMES: Final[Mapping[str, str]] = MappingProxyType(
    {
        "constitutional": "Constitutional",
        "mucocutaneous": "Mucocutaneous",
        "neuropsychiatric": "Neuropsychiatric",
        "musculoskeletal": "Musculoskeletal",
        "cardiorespiratory": "Cardiorespiratory",
        "gastrointestinal": "Gastrointestinal",
        "ophthalmic": "Ophthalmic",
        "renal": "Renal",
        "hematological": "Haematological",
    }
)

#: The domains of the classification criteria (``Classification.domains`` keys).
CLASSIFICATION_DOMAIN_NAMES: Final[Mapping[str, str]] = MappingProxyType(
    {
        # 2010 ACR/EULAR RA
        "joints": "Joint involvement",
        "serology": "Serology (RF, ACPA)",
        "acute_phase": "Acute-phase reactants (CRP, ESR)",
        "duration": "Duration of symptoms",
        # 2019 EULAR/ACR SLE
        "constitutional": "Constitutional",
        "hematologic": "Haematological",
        "neuropsychiatric": "Neuropsychiatric",
        "mucocutaneous": "Mucocutaneous",
        "serosal": "Serosal",
        "musculoskeletal": "Musculoskeletal",
        "renal": "Renal",
        "antiphospholipid_antibodies": "Antiphospholipid antibodies",
        "complement_proteins": "Complement proteins",
        "sle_specific_antibodies": "SLE-specific antibodies",
        # 2013 ACR/EULAR SSc
        "skin_thickening_proximal_to_mcp": "Skin thickening proximal to the MCP joints",
        "skin_thickening_of_fingers": "Skin thickening of the fingers",
        "fingertip_lesions": "Fingertip lesions",
        "telangiectasia": "Telangiectasia",
        "abnormal_nailfold_capillaries": "Abnormal nailfold capillaries",
        "pah_and_or_ild": "Pulmonary arterial hypertension or interstitial lung disease",
        "raynaud_phenomenon": "Raynaud's phenomenon",
        "ssc_related_autoantibodies": "SSc-related autoantibodies",
        # 2016 ACR/EULAR pSS
        "focus_score": "Focus score at least 1",
        "anti_ssa": "Anti-SSA/Ro positive",
        "ocular_staining": "Ocular staining score at least 5",
        "schirmer": "Schirmer's test at most 5 mm in 5 min",
        "unstimulated_saliva": "Unstimulated saliva flow at most 0.1 mL/min",
        # 2002 AECG pSS
        "ocular_symptoms": "I. Ocular symptoms",
        "oral_symptoms": "II. Oral symptoms",
        "ocular_signs": "III. Ocular signs",
        "histopathology": "IV. Histopathology",
        "salivary_involvement": "V. Salivary gland involvement",
        "autoantibodies": "VI. Autoantibodies",
    }
)

#: Words of a choice, as a person reads them (the value is what is typed).
CHOICE_LABELS: Final[Mapping[str, str]] = MappingProxyType(
    {
        "ra": "Rheumatoid arthritis",
        "sle": "Systemic lupus erythematosus",
        "pss": "Primary Sjögren's syndrome",
        "ssc": "Systemic sclerosis",
        "female": "Female",
        "male": "Male",
        "negative": "Negative (at or below the upper limit of normal)",
        "low_positive": "Low positive (up to 3 times the upper limit of normal)",
        "high_positive": "High positive (more than 3 times the upper limit of normal)",
        "methotrexate": "Methotrexate",
        "hydroxychloroquine": "Hydroxychloroquine",
        "sulfasalazine": "Sulfasalazine",
        "leflunomide": "Leflunomide",
        "other_csdmard": "Other conventional DMARD",
        "adalimumab": "Adalimumab",
        "etanercept": "Etanercept",
        "infliximab": "Infliximab",
        "golimumab": "Golimumab",
        "certolizumab": "Certolizumab pegol",
        "abatacept": "Abatacept",
        "tocilizumab": "Tocilizumab",
        "sarilumab": "Sarilumab",
        "rituximab": "Rituximab",
        "other_bdmard": "Other biological DMARD",
        "oral": "Oral",
        "subcutaneous": "Subcutaneous",
        "intravenous": "Intravenous",
        "other": "Other",
        "no": "No activity (0)",
        "low": "Low (1)",
        "moderate": "Moderate (2)",
        "high": "High (3)",
    }
)

#: What a status means to a person: (symbol, word) by the criterion's effect
#: on the patient's eligibility, used by the notebook display and the command.
STATUS_WORDS: Final[Mapping[str, str]] = MappingProxyType(
    {
        "eligible": "ELIGIBLE",
        "not_eligible": "NOT ELIGIBLE",
        "incomplete": "INCOMPLETE",
        "met": "met",
        "not_met": "not met",
        "unknown": "unknown",
        "not_applicable": "not applicable",
    }
)

# --------------------------------------------------------------------------
# instrument parameters
# --------------------------------------------------------------------------

_YES_NO: Final = ""
_VAS_MM: Final = "mm on a 100 mm scale"
_VAS_CM: Final = "cm on a 10 cm scale"
_E9: Final = "×10⁹/L"

_TJC28: Final = Term(
    "Tender joint count (28 joints)", "", "Tender joints among the 28 of the DAS28 homunculus."
)
_SJC28: Final = Term(
    "Swollen joint count (28 joints)", "", "Swollen joints among the 28 of the DAS28 homunculus."
)
_ESR: Final = Term(
    "Erythrocyte sedimentation rate (ESR)",
    "mm/h",
    "Westergren method; record a reading of 0 as 1 mm/h (DAS28 uses its logarithm).",
)
_CRP_MG_L: Final = Term(
    "C-reactive protein (CRP)", "mg/L", "Serum CRP in mg/L (10 mg/L = 1 mg/dL)."
)
_CRP_MG_DL: Final = Term(
    "C-reactive protein (CRP)", "mg/dL", "Serum CRP in mg/dL (1 mg/dL = 10 mg/L)."
)
_PTGA_MM: Final = Term(
    "Patient global assessment", _VAS_MM, "The patient's rating of disease activity, 0 = best."
)
_PTGA_CM: Final = Term(
    "Patient global assessment", _VAS_CM, "The patient's rating of disease activity, 0 = best."
)
_EVGA_CM: Final = Term(
    "Evaluator global assessment", _VAS_CM, "The assessor's rating of disease activity, 0 = best."
)

_HAQ_QUESTIONS: Final = {
    "dress_yourself": "Dress yourself, including tying shoelaces and doing buttons",
    "shampoo_hair": "Shampoo your hair",
    "stand_up_from_chair": "Stand up from a straight chair",
    "get_in_out_of_bed": "Get in and out of bed",
    "cut_meat": "Cut your meat",
    "lift_cup_to_mouth": "Lift a full cup or glass to your mouth",
    "open_milk_carton": "Open a new milk carton",
    "walk_outdoors": "Walk outdoors on flat ground",
    "climb_five_steps": "Climb up five steps",
    "wash_and_dry_body": "Wash and dry your body",
    "take_tub_bath": "Take a tub bath",
    "get_on_off_toilet": "Get on and off the toilet",
    "reach_object_above_head": "Reach and get down a 5 lb object from just above your head",
    "bend_to_pick_up_clothing": "Bend down to pick up clothing from the floor",
    "open_car_doors": "Open car doors",
    "open_jars": "Open jars which have been previously opened",
    "turn_faucets": "Turn taps on and off",
    "run_errands_and_shop": "Run errands and shop",
    "get_in_out_of_car": "Get in and out of a car",
    "do_chores": "Do chores such as vacuuming or yard work",
}
_HAQ_CATEGORY_NAMES: Final = {
    "dressing": "dressing and grooming",
    "arising": "arising",
    "eating": "eating",
    "walking": "walking",
    "hygiene": "hygiene",
    "reach": "reach",
    "grip": "grip",
    "activities": "activities",
}


def _haq() -> dict[str, Term]:
    out = {
        k: Term(v, "", "0 without any difficulty, 1 with some, 2 with much difficulty, 3 unable")
        for k, v in _HAQ_QUESTIONS.items()
    }
    for cat, words in _HAQ_CATEGORY_NAMES.items():
        out[f"{cat}_aids"] = Term(
            f"Uses aids or devices for {words}", _YES_NO, "Raises the category's score to 2."
        )
        out[f"{cat}_help"] = Term(
            f"Needs help from another person for {words}",
            _YES_NO,
            "Raises the category's score to 2.",
        )
    del out["activities_aids"]  # the questionnaire has no aids for activities
    return out


_SLEDAI2K: Final = {
    "seizure": ("Seizure", "Recent onset; exclude metabolic, infectious or drug causes."),
    "psychosis": ("Psychosis", "Altered ability to function through severe reality disturbance."),
    "organic_brain_syndrome": (
        "Organic brain syndrome",
        "Altered mental function, impaired orientation, memory or intellect, rapid onset.",
    ),
    "visual_disturbance": (
        "Visual disturbance",
        "Retinal changes of SLE (cytoid bodies, haemorrhages, exudates, optic neuritis).",
    ),
    "cranial_nerve_disorder": ("Cranial nerve disorder", "New onset sensory or motor neuropathy."),
    "lupus_headache": ("Lupus headache", "Severe persistent headache, unresponsive to narcotics."),
    "cva": ("Cerebrovascular accident", "New onset stroke; exclude arteriosclerosis."),
    "vasculitis": ("Vasculitis", "Ulceration, gangrene, tender finger nodules, infarction."),
    "arthritis": ("Arthritis", "At least 2 joints with pain and signs of inflammation."),
    "myositis": ("Myositis", "Proximal muscle aching or weakness with raised CK or aldolase."),
    "urinary_casts": ("Urinary casts", "Heme-granular or red blood cell casts."),
    "hematuria": ("Haematuria", "More than 5 red blood cells per high-power field."),
    "proteinuria": ("Proteinuria", "More than 0.5 g per 24 hours."),
    "pyuria": ("Pyuria", "More than 5 white blood cells per high-power field; no infection."),
    "rash": ("Rash", "Inflammatory rash."),
    "alopecia": ("Alopecia", "Abnormal, patchy or diffuse hair loss."),
    "mucosal_ulcers": ("Mucosal ulcers", "Oral or nasal ulcerations."),
    "pleurisy": ("Pleurisy", "Pleuritic chest pain with rub, effusion or pleural thickening."),
    "pericarditis": ("Pericarditis", "Pericardial pain with rub, effusion, or ECG or echo sign."),
    "low_complement": ("Low complement", "CH50, C3 or C4 below the laboratory's lower limit."),
    "increased_dna_binding": (
        "Increased DNA binding",
        "Anti-dsDNA above the laboratory's normal range.",
    ),
    "fever": ("Fever", "Above 38 °C; exclude infection."),
    "thrombocytopenia": ("Thrombocytopenia", "Platelets below 100 ×10⁹/L; exclude drugs."),
    "leukopenia": ("Leukopenia", "White blood cells below 3 ×10⁹/L; exclude drugs."),
}

_SLE2019: Final = {
    "ana_positive": (
        "ANA at least 1:80 on HEp-2 cells (ever)",
        "The entry criterion: without it the criteria are not applied.",
    ),
    "fever": ("Fever", "Above 38.3 °C."),
    "leukopenia": ("Leukopenia", "White blood cells below 4 ×10⁹/L."),
    "thrombocytopenia": ("Thrombocytopenia", "Platelets below 100 ×10⁹/L."),
    "autoimmune_hemolysis": ("Autoimmune haemolysis", "With a positive direct Coombs test."),
    "delirium": ("Delirium", "Acute change of consciousness or attention, fluctuating."),
    "psychosis": ("Psychosis", "Delusions or hallucinations without insight, no delirium."),
    "seizure": ("Seizure", "Primary generalised or partial/focal."),
    "non_scarring_alopecia": ("Non-scarring alopecia", "Observed by a clinician."),
    "oral_ulcers": ("Oral ulcers", "Observed by a clinician."),
    "subacute_cutaneous_lupus": ("Subacute cutaneous lupus", "Annular or papulosquamous."),
    "discoid_lupus": ("Discoid lupus", "Erythematous-violaceous lesions with scarring."),
    "acute_cutaneous_lupus": ("Acute cutaneous lupus", "Malar or generalised maculopapular rash."),
    "pleural_effusion": ("Pleural effusion", "On imaging (ultrasound, X-ray, CT, MRI)."),
    "pericardial_effusion": ("Pericardial effusion", "On imaging."),
    "acute_pericarditis": (
        "Acute pericarditis",
        "At least 2 of pericardial chest pain, rub, ECG changes, new or worse effusion.",
    ),
    "joint_involvement": (
        "Joint involvement",
        "Synovitis in 2 or more joints, or tenderness in 2 or more with morning stiffness.",
    ),
    "proteinuria": ("Proteinuria", "More than 0.5 g per 24 hours."),
    "lupus_nephritis_class_ii_or_v": (
        "Lupus nephritis class II or V on biopsy",
        "ISN/RPS 2003 class.",
    ),
    "lupus_nephritis_class_iii_or_iv": (
        "Lupus nephritis class III or IV on biopsy",
        "ISN/RPS 2003 class.",
    ),
    "antiphospholipid_antibodies": (
        "Antiphospholipid antibodies",
        "Anticardiolipin, anti-β2GP1 or lupus anticoagulant.",
    ),
    "low_c3": ("Low C3", "Below the laboratory's lower limit of normal."),
    "low_c4": ("Low C4", "Below the laboratory's lower limit of normal."),
    "anti_dsdna": ("Anti-dsDNA antibody", "Positive in a validated assay."),
    "anti_smith": ("Anti-Smith antibody", "Positive."),
}

_ESSDAI: Final = {
    "constitutional": ("Constitutional", "Fever, night sweats, weight loss; levels 0 to 2."),
    "lymphadenopathy": ("Lymphadenopathy and lymphoma", "Levels 0 to 3."),
    "glandular": ("Glandular", "Salivary gland swelling; levels 0 to 2."),
    "articular": ("Articular", "Arthralgia or synovitis; levels 0 to 3."),
    "cutaneous": ("Cutaneous", "Levels 0 to 3."),
    "pulmonary": ("Pulmonary", "Levels 0 to 3."),
    "renal": ("Renal", "Levels 0 to 3."),
    "muscular": ("Muscular", "Myositis; levels 0 to 3."),
    "peripheral_nervous_system": ("Peripheral nervous system", "Levels 0 to 3."),
    "central_nervous_system": ("Central nervous system", "Levels 0, 2 or 3 (no low level)."),
    "hematological": ("Haematological", "Cytopenias of autoimmune origin; levels 0 to 3."),
    "biological": ("Biological", "Clonal component, low complement, high IgG; levels 0 to 2."),
}

_MRSS_SITES: Final = {
    "face": "Face",
    "anterior_chest": "Anterior chest",
    "abdomen": "Abdomen",
    "right_fingers": "Fingers, right",
    "left_fingers": "Fingers, left",
    "right_hand": "Hand, right",
    "left_hand": "Hand, left",
    "right_forearm": "Forearm, right",
    "left_forearm": "Forearm, left",
    "right_upper_arm": "Upper arm, right",
    "left_upper_arm": "Upper arm, left",
    "right_thigh": "Thigh, right",
    "left_thigh": "Thigh, left",
    "right_leg": "Lower leg, right",
    "left_leg": "Lower leg, left",
    "right_foot": "Foot, right",
    "left_foot": "Foot, left",
}

_SSC2013: Final = {
    "skin_thickening_proximal_to_mcp": (
        "Skin thickening of the fingers proximal to the MCP joints",
        "Of both hands; sufficient on its own (9 points).",
    ),
    "puffy_fingers": ("Puffy fingers", ""),
    "sclerodactyly": ("Sclerodactyly of the fingers", "Distal to the MCP, proximal to the PIP."),
    "digital_tip_ulcers": ("Digital tip ulcers", ""),
    "pitting_scars": ("Fingertip pitting scars", ""),
    "telangiectasia": ("Telangiectasia", ""),
    "abnormal_nailfold_capillaries": ("Abnormal nailfold capillaries", ""),
    "pulmonary_arterial_hypertension": (
        "Pulmonary arterial hypertension",
        "Diagnosed by right-heart catheterisation.",
    ),
    "interstitial_lung_disease": ("Interstitial lung disease", ""),
    "raynaud_phenomenon": ("Raynaud's phenomenon", ""),
    "anticentromere": ("Anticentromere antibody", ""),
    "anti_topoisomerase_i": ("Anti-topoisomerase I (anti-Scl-70) antibody", ""),
    "anti_rna_polymerase_iii": ("Anti-RNA polymerase III antibody", ""),
}


def _terms(table: Mapping[str, tuple[str, str]], unit: str = "") -> dict[str, Term]:
    return {k: Term(label, unit, help_) for k, (label, help_) in table.items()}


_DAS28: Final = {"tjc28": _TJC28, "sjc28": _SJC28}
_CREATININE_MG_DL: Final = Term("Serum creatinine", "mg/dL", "1 mg/dL = 88.4 µmol/L.")
_CREATININE_UMOL_L: Final = Term("Serum creatinine", "µmol/L", "88.4 µmol/L = 1 mg/dL.")

#: The 2016 ACR/EULAR pSS criteria: the record's inputs and the instrument's parameters.
_PSS_2016: Final = {
    "focus_score": Term(
        "Focus score", "foci per 4 mm²", "Lymphocytic sialadenitis, labial gland biopsy."
    ),
    "anti_ssa": Term("Anti-SSA/Ro antibody positive", "", ""),
    "ocular_staining_score": Term("Ocular staining score (worse eye)", "", ""),
    "schirmer_mm_5min": Term("Schirmer's test (worse eye)", "mm in 5 min", ""),
    "unstimulated_saliva_ml_min": Term("Unstimulated whole saliva flow", "mL/min", ""),
    "van_bijsterveld_score": Term("van Bijsterveld score (worse eye)", "", ""),
    "entry_met": Term(
        "Entry criterion met", "", "Dry eyes or mouth, or a suspicion from the ESSDAI."
    ),
    "exclusion": Term("2016 exclusion condition present", "", ""),
}

#: Instrument -> parameter -> its words (every parameter of the registry).
PARAMETERS: Final[Mapping[str, Mapping[str, Term]]] = MappingProxyType(
    {
        "das28_esr": {**_DAS28, "esr": _ESR, "ptga_mm": _PTGA_MM},
        "das28_crp": {**_DAS28, "crp_mg_l": _CRP_MG_L, "ptga_mm": _PTGA_MM},
        "das28_esr3": {**_DAS28, "esr": _ESR},
        "das28_crp3": {**_DAS28, "crp_mg_l": _CRP_MG_L},
        "cdai": {**_DAS28, "ptga_cm": _PTGA_CM, "evga_cm": _EVGA_CM},
        "sdai": {**_DAS28, "ptga_cm": _PTGA_CM, "evga_cm": _EVGA_CM, "crp_mg_dl": _CRP_MG_DL},
        "acr_eular_2010": {
            "large_joints": Term(
                "Involved large joints",
                "",
                "Swollen or tender shoulders, elbows, hips, knees, ankles.",
            ),
            "small_joints": Term(
                "Involved small joints",
                "",
                "Swollen or tender MCP, PIP, thumb IP, MTP 2 to 5 and wrist joints.",
            ),
            "rf": Term("Rheumatoid factor", "", "Negative, low positive or high positive."),
            "acpa": Term(
                "Anti-citrullinated protein antibody (ACPA)",
                "",
                "Negative, low positive or high positive.",
            ),
            "abnormal_crp": Term(
                "CRP above the upper limit of normal", _YES_NO, "By the local laboratory."
            ),
            "abnormal_esr": Term(
                "ESR above the upper limit of normal", _YES_NO, "By the local laboratory."
            ),
            "symptom_duration_weeks": Term(
                "Duration of synovitis symptoms", "weeks", "As the patient reports it."
            ),
        },
        "haq_di": _haq(),
        "sledai2k": _terms(_SLEDAI2K),
        "eular_acr_2019": _terms(_SLE2019),
        "essdai": {k: Term(f"{label} domain", "", help_) for k, (label, help_) in _ESSDAI.items()},
        "acr_eular_2016": dict(_PSS_2016),
        "esspri": {
            "dryness": Term("Dryness", "0 to 10 scale", "Severity over the past 2 weeks."),
            "fatigue": Term("Fatigue", "0 to 10 scale", "Severity over the past 2 weeks."),
            "pain": Term(
                "Pain",
                "0 to 10 scale",
                "Joint or muscle pain in arms or legs over the past 2 weeks.",
            ),
        },
        "mrss": {
            k: Term(v, "", "0 normal, 1 mild, 2 moderate, 3 severe thickening.")
            for k, v in _MRSS_SITES.items()
        },
        "acr_eular_2013": _terms(_SSC2013),
        "cockcroft_gault": {
            "age": Term("Age", "years", "Adults only (18 years or older)."),
            "weight_kg": Term("Body weight", "kg", "Actual body weight."),
            "female": Term(
                "Female", _YES_NO, "True for a woman (the result is multiplied by 0.85)."
            ),
            "creatinine_mg_dl": _CREATININE_MG_DL,
            "creatinine_umol_l": _CREATININE_UMOL_L,
        },
    }
)

# --------------------------------------------------------------------------
# the patient record
# --------------------------------------------------------------------------

_ULN: Final = "The local laboratory's upper limit of normal."

#: Record class name -> field -> its words (every field of clinscores.record).
RECORD_FIELDS: Final[Mapping[str, Mapping[str, Term]]] = MappingProxyType(
    {
        "Patient": {
            "patient_id": Term("Patient identifier", "", "As written on the screening log."),
            "disease": Term("Disease screened for", "", "Each disease has its own inclusion."),
            "sex": Term("Sex", "", "Needed for creatinine clearance and pregnancy criteria."),
            "birth_date": Term("Date of birth", "", "Gives the age at informed consent."),
            "age_years": Term(
                "Age at informed consent", "years", "Used only when the date of birth is absent."
            ),
            "informed_consent_date": Term(
                "Date of informed consent", "", "The day the consent form was signed."
            ),
            "screening_date": Term(
                "Screening date", "", "Every time window is counted back from this day."
            ),
            "diagnosis_date": Term("Date of diagnosis", "", "Of the disease screened for."),
            "weight_kg": Term("Body weight", "kg", "For Cockcroft-Gault creatinine clearance."),
            "labs": Term("Laboratory values", "", "At screening."),
            "medications": Term("Medications", "", "Treatment history."),
            "ra": Term("Rheumatoid arthritis", "", "Classification and activity at screening."),
            "sle": Term(
                "Systemic lupus erythematosus", "", "Classification and activity at screening."
            ),
            "pss": Term(
                "Primary Sjögren's syndrome", "", "Classification and activity at screening."
            ),
            "ssc": Term("Systemic sclerosis", "", "Classification and activity at screening."),
            "exclusions": Term("Exclusion conditions", "", "Each one yes or no."),
        },
        "Labs": {
            "wbc_1e9_l": Term("White blood cells", _E9, "Total white cell count."),
            "neutrophils_1e9_l": Term(
                "Neutrophils",
                _E9,
                "Absolute neutrophil count (the trial text says 'centrocyte count').",
            ),
            "lymphocytes_1e9_l": Term("Lymphocytes", _E9, "Absolute lymphocyte count."),
            "hemoglobin_g_l": Term("Haemoglobin", "g/L", "10 g/L = 1 g/dL."),
            "hemoglobin_g_dl": Term("Haemoglobin", "g/dL", "1 g/dL = 10 g/L."),
            "platelets_1e9_l": Term("Platelets", _E9, "Platelet count."),
            "alt_u_l": Term("Alanine aminotransferase (ALT)", "U/L", ""),
            "alt_uln_u_l": Term("ALT upper limit of normal", "U/L", _ULN),
            "ast_u_l": Term("Aspartate aminotransferase (AST)", "U/L", ""),
            "ast_uln_u_l": Term("AST upper limit of normal", "U/L", _ULN),
            "total_bilirubin_umol_l": Term("Total bilirubin", "µmol/L", "17.1 µmol/L = 1 mg/dL."),
            "total_bilirubin_mg_dl": Term("Total bilirubin", "mg/dL", "1 mg/dL = 17.1 µmol/L."),
            "total_bilirubin_uln_umol_l": Term(
                "Total bilirubin upper limit of normal", "µmol/L", _ULN
            ),
            "total_bilirubin_uln_mg_dl": Term(
                "Total bilirubin upper limit of normal", "mg/dL", _ULN
            ),
            "creatinine_umol_l": Term("Serum creatinine", "µmol/L", "88.4 µmol/L = 1 mg/dL."),
            "creatinine_mg_dl": Term("Serum creatinine", "mg/dL", "1 mg/dL = 88.4 µmol/L."),
            "creatinine_clearance_ml_min": Term(
                "Measured creatinine clearance",
                "mL/min",
                "E.g. from a 24-hour urine; when absent, Cockcroft-Gault is calculated.",
            ),
            "inr": Term("International normalised ratio (INR)", "", ""),
            "inr_uln": Term("INR upper limit of normal", "", _ULN),
            "pt_s": Term("Prothrombin time", "s", ""),
            "pt_uln_s": Term("Prothrombin time upper limit of normal", "s", _ULN),
        },
        "Dmard": {
            "drug": Term("Drug", "", ""),
            "start_date": Term("Start date", "", "Date of the first dose."),
            "end_date": Term("End date", "", "Date of the last dose, for a course that ended."),
            "ongoing": Term("Continuing at screening", "", "Leave blank when not known."),
            "dose": Term(
                "Current dose",
                "mg/week, mg/day or g/day",
                "Methotrexate mg/week; hydroxychloroquine, leflunomide mg/day; "
                "sulfasalazine g/day.",
            ),
            "dose_since": Term("Current dose since", "", "Date the current dose was started."),
            "route": Term("Route", "", ""),
        },
        "Medications": {
            "csdmards": Term("Conventional DMARD courses", "", "Methotrexate, leflunomide, ..."),
            "bdmards": Term("Biological DMARD courses", "", "Adalimumab, abatacept, ..."),
            "prednisone_equivalent_mg_day": Term(
                "Glucocorticoid dose (prednisone equivalent)", "mg/day", "The current dose."
            ),
            "glucocorticoid_not_reducible_below_7_5_mg": Term(
                "Glucocorticoid cannot be reduced below 7.5 mg/day",
                "",
                "As documented by the investigator (prednisone equivalent).",
            ),
            "colony_stimulating_factor_dates": Term(
                "Colony-stimulating factor doses", "", "The date of each dose."
            ),
            "b_cell_therapy_dates": Term(
                "B-cell targeted therapy doses", "", "E.g. rituximab, belimumab: date of each."
            ),
            "vaccination_dates": Term("Vaccinations", "", "The date of each vaccination."),
            "immunomodulatory_start_date": Term(
                "Start of continuous immunomodulatory treatment",
                "",
                "For the Sjögren's inclusion criterion.",
            ),
        },
        "RaClassificationInputs": {
            **{
                k: PARAMETERS["acr_eular_2010"][k]
                for k in (
                    "large_joints",
                    "small_joints",
                    "rf",
                    "acpa",
                    "abnormal_crp",
                    "abnormal_esr",
                    "symptom_duration_weeks",
                )
            }
        },
        "RaData": {
            "classification": Term(
                "2010 ACR/EULAR classification", "", "The items; the points are calculated."
            ),
            "classification_met": Term(
                "2010 ACR/EULAR criteria fulfilled (recorded)",
                "",
                "Used only when the items are not given.",
            ),
            "tjc28": _TJC28,
            "sjc28": _SJC28,
            "swollen_or_tender_joints": Term(
                "Joints swollen or tender (any joint count)",
                "",
                "Each joint counted once, whether swollen, tender or both.",
            ),
            "esr_mm_h": _ESR,
            "ptga_mm": _PTGA_MM,
            "evga_mm": Term(
                "Evaluator global assessment",
                _VAS_MM,
                "The assessor's rating of disease activity, 0 = best.",
            ),
            "das28_esr_recorded": Term(
                "DAS28-ESR (charted)", "", "Used only when its components are not given."
            ),
            "cdai_recorded": Term(
                "CDAI (charted)", "", "Used only when its components are not given."
            ),
        },
        "Bilag2004Form": {
            "items": Term("BILAG-2004 items", "", "Each item as the 2004 form records it."),
            "previous": Term(
                "Previous assessment's measured values",
                "",
                "Blood pressure and urine and blood tests of the previous visit.",
            ),
            "due_to_sle": Term(
                "Measured value due to SLE activity",
                "",
                "Per measured item: confirmed as due to lupus activity.",
            ),
            "previously_active": Term(
                "System previously involved",
                "",
                "Involved by lupus before this assessment (tells grade D from E).",
            ),
        },
        "SleData": {
            "ana_positive": PARAMETERS["eular_acr_2019"]["ana_positive"],
            "anti_dsdna_positive": Term("Anti-dsDNA antibody positive", "", ""),
            "anti_smith_positive": Term("Anti-Smith antibody positive", "", ""),
            "eular_acr_2019": Term(
                "2019 EULAR/ACR classification items",
                "",
                "Ever present, and attributable to lupus.",
            ),
            "classification_met": Term(
                "2019 EULAR/ACR criteria fulfilled (recorded)",
                "",
                "Used only when the items are not given.",
            ),
            "sledai2k": Term("SLEDAI-2K descriptors", "", "Present at screening (last 10 days)."),
            "sledai2k_recorded": Term(
                "SLEDAI-2K (charted)", "", "Used only when the descriptors are not given."
            ),
            "bilag2004_grades": Term(
                "BILAG-2004 grades (recorded)", "", "Per system, as the assessor recorded them."
            ),
            "bilag2004_form": Term(
                "BILAG-2004 form", "", "The items; the grades are calculated from them."
            ),
            "active_after_standard_therapy_2_months": Term(
                "Active after 2 months of standard treatment", "", ""
            ),
        },
        "Aecg2002Items": {
            "ocular_symptoms": Term("I. Ocular symptoms", "", "Dry eyes for more than 3 months."),
            "oral_symptoms": Term("II. Oral symptoms", "", "Dry mouth for more than 3 months."),
            "ocular_signs": Term("III. Ocular signs", "", "Schirmer's test or rose bengal score."),
            "histopathology": Term(
                "IV. Histopathology", "", "Focus score of at least 1 on a minor salivary biopsy."
            ),
            "salivary_involvement": Term("V. Salivary gland involvement", "", ""),
            "autoantibodies": Term("VI. Autoantibodies", "", "Anti-Ro/SSA or anti-La/SSB."),
            "exclusion": Term("AECG exclusion condition present", "", ""),
        },
        "Classification2016Inputs": dict(_PSS_2016),
        "PssData": {
            "aecg_2002": Term("2002 AECG classification", "", "The six items."),
            "acr_eular_2016": Term("2016 ACR/EULAR classification", "", "The measurements."),
            "classification_met": Term(
                "Classification criteria fulfilled (recorded)",
                "",
                "2002 AECG or 2016 ACR/EULAR; used only when the items are not given.",
            ),
            "thrombocytopenia_diagnosed": Term(
                "Sjögren's-associated thrombocytopenia diagnosed", "", ""
            ),
            "essdai": Term("ESSDAI domain levels", "", "At screening."),
            "essdai_recorded": Term(
                "ESSDAI (charted)", "", "Used only when the domain levels are not given."
            ),
            "active_after_conventional_therapy_2_months": Term(
                "Active after 2 months of conventional treatment", "", ""
            ),
        },
        "SscData": {
            "acr_eular_2013": Term("2013 ACR/EULAR classification items", "", ""),
            "classification_met": Term(
                "2013 ACR/EULAR criteria fulfilled (recorded)",
                "",
                "Used only when the items are not given.",
            ),
            "ana_positive_at_screening": Term("ANA positive at screening", "", ""),
            "hrct_progression": Term(
                "Progression on high-resolution CT", "", "Clear evidence of progression."
            ),
            "active_after_conventional_therapy_2_months": Term(
                "Active after 2 months of conventional treatment", "", ""
            ),
        },
        "Exclusions": {
            "cns_disease": Term(
                "Clinically significant CNS disease",
                "",
                "Not caused by the disease itself (exclusion E1).",
            ),
            "serious_heart_disease": Term("Serious heart disease", "", "Exclusion E2."),
            "transplant_history": Term(
                "Organ or stem cell transplant", "", "Major organ or haematopoietic (E3)."
            ),
            "malignancy_history": Term("History of malignancy", "", "Any malignant disease (E5)."),
            "end_stage_renal_failure": Term("End-stage renal failure", "", "Exclusion E6."),
            "uncontrolled_infection": Term(
                "Uncontrolled infection", "", "Present or suspected (E7)."
            ),
            "severe_drug_allergy": Term(
                "Severe allergy to the study drugs", "", "Or to their excipients (E8)."
            ),
            "hbv_active": Term("Active hepatitis B", "", "Exclusion E9."),
            "hcv_antibody_positive": Term("Hepatitis C antibody positive", "", "Exclusion E9."),
            "hiv_antibody_positive": Term("HIV antibody positive", "", "Exclusion E9."),
            "syphilis_positive": Term("Syphilis positive", "", "Exclusion E9."),
            "cmv_dna_positive": Term("CMV DNA positive", "", "Exclusion E9."),
            "ebv_dna_positive": Term("EBV DNA positive", "", "Exclusion E9."),
            "pregnant": Term("Pregnant", "", "Exclusion E10."),
            "lactating": Term("Breastfeeding", "", "Exclusion E10."),
            "pregnancy_planned_within_2_years": Term(
                "Pregnancy planned within 2 years",
                "",
                "By the patient, or the partner of a male patient, after the infusion (E10).",
            ),
            "active_tuberculosis": Term("Active tuberculosis", "", "Evidence of it (E11)."),
            "investigator_unsuitable": Term(
                "Judged unsuitable by the investigator", "", "An explicit decision (E12)."
            ),
        },
    }
)

#: Record fields whose items are an instrument's parameters:
#: (record class, field) -> the :data:`PARAMETERS` key, or ``"bilag2004"``
#: (items by number: the names of the 2004 form) and ``"bilag2004_systems"``.
RECORD_ITEMS: Final[Mapping[tuple[str, str], str]] = MappingProxyType(
    {
        ("SleData", "eular_acr_2019"): "eular_acr_2019",
        ("SleData", "sledai2k"): "sledai2k",
        ("SleData", "bilag2004_grades"): "bilag2004_systems",
        ("Bilag2004Form", "items"): "bilag2004",
        ("Bilag2004Form", "previous"): "bilag2004",
        ("Bilag2004Form", "due_to_sle"): "bilag2004",
        ("Bilag2004Form", "previously_active"): "bilag2004_systems",
        ("PssData", "essdai"): "essdai",
        ("SscData", "acr_eular_2013"): "acr_eular_2013",
    }
)

#: Each analyte given in either of two units: analyte key -> :class:`Analyte`
#: (the same pairs as :data:`clinscores.record.UNIT_PAIRS`; a test keeps them so).
ANALYTES: Final[Mapping[str, Analyte]] = MappingProxyType(
    {
        "hemoglobin": Analyte(
            "Haemoglobin", ("labs.hemoglobin_g_l", "labs.hemoglobin_g_dl"), ("g/L", "g/dL")
        ),
        "creatinine": Analyte(
            "Serum creatinine",
            ("labs.creatinine_umol_l", "labs.creatinine_mg_dl"),
            ("µmol/L", "mg/dL"),
        ),
        "total_bilirubin": Analyte(
            "Total bilirubin",
            ("labs.total_bilirubin_umol_l", "labs.total_bilirubin_mg_dl"),
            ("µmol/L", "mg/dL"),
        ),
        "total_bilirubin_uln": Analyte(
            "Total bilirubin upper limit of normal",
            ("labs.total_bilirubin_uln_umol_l", "labs.total_bilirubin_uln_mg_dl"),
            ("µmol/L", "mg/dL"),
        ),
    }
)


def bilag2004_item_term(number: int) -> Term:
    """The words of BILAG-2004 item *number* (its name on the form, its unit)."""
    from clinscores.sle.bilag2004 import BILAG2004_ITEMS

    item = BILAG2004_ITEMS[number]
    unit = ""
    if item.scale == "value" and item.domain.text and ":" not in item.domain.text:
        unit = clinical_unit(item.domain.text.split(";")[0].strip())
    system = BILAG2004_SYSTEM_NAMES[item.system]
    return Term(f"{number}. {item.name}", unit, f"{system} system.")


def item_terms(key: str) -> dict[str, Term]:
    """The words of the items of a record object (a :data:`RECORD_ITEMS` value)."""
    if key == "bilag2004_systems":
        return {s: Term(name, "", "") for s, name in BILAG2004_SYSTEM_NAMES.items()}
    if key == "bilag2004":
        from clinscores.sle.bilag2004 import BILAG2004_ITEMS

        return {str(n): bilag2004_item_term(n) for n in BILAG2004_ITEMS}
    return dict(PARAMETERS[key])


def choice_label(value: Any) -> str:
    """The words of a choice's value (the value itself when it has none)."""
    return CHOICE_LABELS.get(str(value), str(value).replace("_", " "))
