"""BILAG-2004 item table: the data a reviewer checks against the form and glossary.

The nine systems, the grades and their points, the 97 items of the form of
1 September 2009 (number, system, name, recording scale, allowed values),
the item groups of systems 2-7 and the renal criteria.  Sources: the form
and the index glossary, as cited in :mod:`clinscores.sle.bilag2004`, which
re-exports every public name here.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Final, Literal

import attrs

from clinscores._core import FLAG, Domain

#: The nine organ systems, in the order of the form.
BILAG2004_SYSTEMS: Final = (
    "constitutional",
    "mucocutaneous",
    "neuropsychiatric",
    "musculoskeletal",
    "cardiorespiratory",
    "gastrointestinal",
    "ophthalmic",
    "renal",
    "hematological",
)

#: Grades, most active first (the grade order used throughout: A > B > C > D > E).
BILAG2004_GRADES: Final = ("A", "B", "C", "D", "E")

#: Numerical value of each grade (Yee et al. 2010, ref. [3]).
BILAG2004_GRADE_POINTS: Final[Mapping[str, int]] = {"A": 12, "B": 8, "C": 1, "D": 0, "E": 0}

Scale = Literal["0-4", "yes/no", "value"]

#: The form's clinical recording scale: 0 not present, 1 improving, 2 same,
#: 3 worse, 4 new ("not done" is recorded as ``None``).
ACTIVITY_SCALE: Final = Domain(
    0, 4, "BILAG-2004 scale: 0 not present, 1 improving, 2 same, 3 worse, 4 new", integer=True
)


@attrs.frozen
class Bilag2004Item:
    """One item of the BILAG-2004 form (revision 1 September 2009).

    Attributes
    ----------
    number : int
        Official item number, 1..97.
    system : str
        Organ system (one of :data:`BILAG2004_SYSTEMS`).
    name : str
        Item as named on the form.
    scale : {"0-4", "yes/no", "value"}
        Recording scale: the 0..4 activity scale, yes/no, or a measured value.
    domain : Domain
        Allowed recorded values (with the unit for measured values).
    """

    number: int
    system: str
    name: str
    scale: Scale
    domain: Domain


def _value(lo: float, text: str, *, lo_open: bool = False, hi: float = math.inf) -> Domain:
    return Domain(lo, hi, text, lo_open=lo_open)


# (system, first item number, item names) for the 0..4 clinical items.
_CLINICAL: Final = (
    (
        "constitutional",
        1,
        (
            "Pyrexia - documented > 37.5 C",
            "Weight loss - unintentional > 5%",
            "Lymphadenopathy/splenomegaly",
            "Anorexia",
        ),
    ),
    (
        "mucocutaneous",
        5,
        (
            "Skin eruption - severe",
            "Skin eruption - mild",
            "Angio-oedema - severe",
            "Angio-oedema - mild",
            "Mucosal ulceration - severe",
            "Mucosal ulceration - mild",
            "Panniculitis/bullous lupus - severe",
            "Panniculitis/bullous lupus - mild",
            "Major cutaneous vasculitis/thrombosis",
            "Digital infarcts or nodular vasculitis",
            "Alopecia - severe",
            "Alopecia - mild",
            "Peri-ungual erythema/chilblains",
            "Splinter haemorrhages",
        ),
    ),
    (
        "neuropsychiatric",
        19,
        (
            "Aseptic meningitis",
            "Cerebral vasculitis",
            "Demyelinating syndrome",
            "Myelopathy",
            "Acute confusional state",
            "Psychosis",
            "Acute inflammatory demyelinating polyradiculoneuropathy",
            "Mononeuropathy (single/multiplex)",
            "Cranial neuropathy",
            "Plexopathy",
            "Polyneuropathy",
            "Seizure disorder",
            "Status epilepticus",
            "Cerebrovascular disease (not due to vasculitis)",
            "Cognitive dysfunction",
            "Movement disorder",
            "Autonomic disorder",
            "Cerebellar ataxia (isolated)",
            "Lupus headache - severe unremitting",
            "Headache from intracranial hypertension",
        ),
    ),
    (
        "musculoskeletal",
        39,
        (
            "Myositis - severe",
            "Myositis - mild",
            "Arthritis (severe)",
            "Arthritis (moderate)/tendonitis/tenosynovitis",
            "Arthritis (mild)/arthralgia/myalgia",
        ),
    ),
    (
        "cardiorespiratory",
        44,
        (
            "Myocarditis - mild",
            "Myocarditis/endocarditis + cardiac failure",
            "Arrhythmia",
            "New valvular dysfunction",
            "Pleurisy/pericarditis",
            "Cardiac tamponade",
            "Pleural effusion with dyspnoea",
            "Pulmonary haemorrhage/vasculitis",
            "Interstitial alveolitis/pneumonitis",
            "Shrinking lung syndrome",
            "Aortitis",
            "Coronary vasculitis",
        ),
    ),
    (
        "gastrointestinal",
        56,
        (
            "Lupus peritonitis",
            "Abdominal serositis or ascites",
            "Lupus enteritis/colitis",
            "Malabsorption",
            "Protein losing enteropathy",
            "Intestinal pseudo-obstruction",
            "Lupus hepatitis",
            "Acute lupus cholecystitis",
            "Acute lupus pancreatitis",
        ),
    ),
    (
        "ophthalmic",
        65,
        (
            "Orbital inflammation/myositis/proptosis",
            "Keratitis - severe",
            "Keratitis - mild",
            "Anterior uveitis",
            "Posterior uveitis/retinal vasculitis - severe",
            "Posterior uveitis/retinal vasculitis - mild",
            "Episcleritis",
            "Scleritis - severe",
            "Scleritis - mild",
            "Retinal/choroidal vaso-occlusive disease",
            "Isolated cotton-wool spots (cytoid bodies)",
            "Optic neuritis",
            "Anterior ischaemic optic neuropathy",
        ),
    ),
)

# Renal and haematological items: (number, system, name, scale, domain).
_LABS: Final[tuple[tuple[int, str, str, Scale, Domain], ...]] = (
    (78, "renal", "Systolic blood pressure", "value", _value(0, "mmHg", lo_open=True)),
    (79, "renal", "Diastolic blood pressure", "value", _value(0, "mmHg", lo_open=True)),
    (80, "renal", "Accelerated hypertension", "yes/no", FLAG),
    (
        81,
        "renal",
        "Urine dipstick protein",
        "value",
        Domain(0, 3, "urine dipstick protein: 0 negative, 1 +, 2 ++, 3 +++", integer=True),
    ),
    (82, "renal", "Urine albumin-creatinine ratio", "value", _value(0, "mg/mmol")),
    (83, "renal", "Urine protein-creatinine ratio", "value", _value(0, "mg/mmol")),
    (84, "renal", "24-hour urine protein", "value", _value(0, "g/24 h")),
    (85, "renal", "Nephrotic syndrome", "yes/no", FLAG),
    (86, "renal", "Creatinine (plasma/serum)", "value", _value(0, "umol/l", lo_open=True)),
    (87, "renal", "GFR (calculated)", "value", _value(0, "ml/min/1.73 m2")),
    (88, "renal", "Active urinary sediment", "yes/no", FLAG),
    (89, "renal", "Active nephritis", "yes/no", FLAG),
    (
        90,
        "hematological",
        "Haemoglobin",
        "value",
        _value(0, "g/dl; above 30 is g/l, not g/dl", lo_open=True, hi=30),
    ),
    (91, "hematological", "Total white cell count", "value", _value(0, "x10^9/l")),
    (92, "hematological", "Neutrophils", "value", _value(0, "x10^9/l")),
    (93, "hematological", "Lymphocytes", "value", _value(0, "x10^9/l")),
    (94, "hematological", "Platelets", "value", _value(0, "x10^9/l")),
    (95, "hematological", "Thrombotic thrombocytopenic purpura (TTP)", "0-4", ACTIVITY_SCALE),
    (96, "hematological", "Evidence of active haemolysis", "yes/no", FLAG),
    (97, "hematological", "Coombs' test positive (isolated)", "yes/no", FLAG),
)


def _build_items() -> dict[int, Bilag2004Item]:
    table: dict[int, Bilag2004Item] = {}
    for system, first, names in _CLINICAL:
        for offset, name in enumerate(names):
            number = first + offset
            table[number] = Bilag2004Item(number, system, name, "0-4", ACTIVITY_SCALE)
    for number, system, name, scale, domain in _LABS:
        table[number] = Bilag2004Item(number, system, name, scale, domain)
    return dict(sorted(table.items()))


#: The 97 items of the form, keyed by official item number.
BILAG2004_ITEMS: Final[Mapping[int, Bilag2004Item]] = _build_items()

#: Items recorded as measured values, each confirmed (or not) as due to SLE activity.
_VALUE_ITEMS: Final = frozenset(n for n, it in BILAG2004_ITEMS.items() if it.scale == "value")


#: Items of systems 2-7 in their three groups (group A, group B, group C),
#: matching the form's own "severe"/"mild" labels.  Codes 2-4 (same, worse,
#: new) of a group-A item give A and code 1 (improving) gives B; codes 2-4
#: of a group-B item give B and code 1 gives C; any code 1-4 of a group-C
#: item gives C.
BILAG2004_ITEM_GROUPS: Final[Mapping[str, tuple[tuple[int, ...], ...]]] = {
    "mucocutaneous": ((5, 7, 9, 11, 13), (6, 12, 14, 15), (8, 10, 16, 17, 18)),
    "neuropsychiatric": ((*range(19, 30), 31, 36), (30, 32, 33, 34, 35, 37, 38), ()),
    "musculoskeletal": ((39, 41), (40, 42), (43,)),
    "cardiorespiratory": ((45, 46, 47, *range(49, 56)), (44, 48), ()),
    "gastrointestinal": ((56, 58, 61, 63, 64), (57, 59, 60, 62), ()),
    "ophthalmic": ((65, 66, 69, 72, 74, 76, 77), (67, 68, 70, 73), (71, 75)),
}

#: Items whose value at the previous assessment the renal rules use (85,
#: nephrotic syndrome, is accepted as on the form; no rule uses it).
BILAG2004_PREVIOUS_ITEMS: Final = (78, 79, 81, 82, 83, 84, 85, 86, 87)

#: The renal criteria: A1-A6 (grade A needs two, one of them A1, A4 or A5;
#: any one gives B), B1-B2 (grade B) and C1-C2 (grade C).
BILAG2004_RENAL_CRITERIA: Final[Mapping[str, str]] = {
    "A1": "severe proteinuria not improved",
    "A2": "accelerated hypertension",
    "A3": "severe deterioration of renal function",
    "A4": "active urinary sediment",
    "A5": "histological evidence of active nephritis within 3 months",
    "A6": "nephrotic syndrome",
    "B1": "proteinuria not improved",
    "B2": "rising creatinine",
    "C1": "mild or stable proteinuria",
    "C2": "rising blood pressure",
}
