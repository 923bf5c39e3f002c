"""BILAG-2004 index: items, organ-system grades, numerical score, 1A-or-2B.

The British Isles Lupus Assessment Group 2004 index (BILAG-2004) records 97
items in nine organ systems and grades each system from ``"A"`` (most
active) to ``"E"`` (never involved).  This module pins the item list to the
form revision of 1 September 2009 used with the glossary published as
Supplementary Appendix B of Yee et al. 2007 [2]_.

What is implemented, and what is not
------------------------------------
* :data:`BILAG2004_ITEMS`: the 97 items with their official numbers, organ
  systems and recording scales, and validation of a recorded form
  (:func:`bilag2004`).
* The grades of systems with **no current activity**: ``"D"`` (previously
  involved, now inactive) or ``"E"`` (never involved), which needs the
  patient's history as explicit input.
* :func:`bilag2004_numeric` (A = 12, B = 8, C = 1, D = 0, E = 0, summed [3]_)
  and :func:`bilag2004_1a_or_2b` from grades as recorded.

**Not implemented:** the per-system rules that turn items recorded present
(and laboratory values) into grades A, B or C.  The published scoring
section of the glossary [2]_ could not be retrieved from any copy available
to this project (the copies found are truncated before it), and the rules
must not be reconstructed from memory or from the *classic* BILAG, which is
a different instrument.  :func:`bilag2004` therefore raises
:class:`~clinscores.InputError` for a system with any feature recorded
present, rather than return a grade.  Grades recorded by a trained assessor
are accepted directly by :func:`bilag2004_numeric` and
:func:`bilag2004_1a_or_2b`.

References
----------
.. [1] Isenberg DA, Rahman A, Allen E, et al. BILAG 2004. Development and
   initial validation of an updated version of the British Isles Lupus
   Assessment Group's disease activity index for patients with systemic lupus
   erythematosus. Rheumatology (Oxford) 2005;44(7):902-906.
.. [2] Yee CS, Farewell V, Isenberg DA, et al. British Isles Lupus Assessment
   Group 2004 index is valid for assessment of disease activity in systemic
   lupus erythematosus. Arthritis Rheum 2007;56(12):4113-4119
   (PMC2659367); Supplementary Appendix B, "BILAG-2004 index glossary".
.. [3] Yee CS, Cresswell L, Farewell V, et al. Numerical scoring for the
   BILAG-2004 index. Rheumatology (Oxford) 2010;49(9):1665-1669
   (PMC2919194).
"""

from __future__ import annotations

import math
import numbers
from collections.abc import Mapping
from typing import Any, Final, Literal

import attrs
import numpy as np

from clinscores._core import FLAG, Domain, InputError, prepare

__all__ = [
    "BILAG2004_GRADES",
    "BILAG2004_GRADE_POINTS",
    "BILAG2004_ITEMS",
    "BILAG2004_SYSTEMS",
    "Bilag2004Item",
    "bilag2004",
    "bilag2004_1a_or_2b",
    "bilag2004_numeric",
]

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


# --------------------------------------------------------------------------
# validation
# --------------------------------------------------------------------------


def _item_number(key: object, where: str) -> int:
    if isinstance(key, bool) or not isinstance(key, numbers.Integral):
        raise InputError(
            f"{where} key {key!r} is not an item number; expected an int from 1 to 97 "
            "(the official BILAG-2004 item number)"
        )
    number = int(key)
    if number not in BILAG2004_ITEMS:
        raise InputError(f"{where}[{number}] is not a BILAG-2004 item; item numbers are 1..97")
    return number


def _recorded(number: int, value: object) -> float:
    """Validate one recorded value; NaN for not done / missing."""
    item = BILAG2004_ITEMS[number]
    prep = prepare((f"items[{number}] ({item.name})", value, item.domain))
    if not prep.scalar:
        raise InputError(
            f"items[{number}] ({item.name}) = {value!r} is not a single value; "
            "bilag2004 grades one patient's form"
        )
    return float(prep.flats[0][0])


def _flag_map(name: str, mapping: object, keys: frozenset[str] | frozenset[int]) -> None:
    if not isinstance(mapping, Mapping):
        raise InputError(f"{name} = {mapping!r} is not a mapping")
    for key, value in mapping.items():
        if key not in keys or isinstance(key, bool):
            allowed = ", ".join(str(k) for k in sorted(keys, key=str))
            raise InputError(f"{name}[{key!r}] is not allowed; expected keys: {allowed}")
        if value is not None and not isinstance(value, bool):
            raise InputError(
                f"{name}[{key!r}] = {value!r} is not a boolean; expected True, False or None"
            )


def _grade_map(grades: object) -> dict[str, str | None]:
    """Validate recorded grades; absent systems and None/NaN are unknown."""
    if not isinstance(grades, Mapping):
        raise InputError(f"grades = {grades!r} is not a mapping of system to grade")
    out: dict[str, str | None] = dict.fromkeys(BILAG2004_SYSTEMS)
    for system, grade in grades.items():
        if system not in out:
            raise InputError(
                f"grades[{system!r}] is not a BILAG-2004 system; expected one of "
                + ", ".join(BILAG2004_SYSTEMS)
            )
        if grade is None or (isinstance(grade, float) and math.isnan(grade)):
            continue
        if not isinstance(grade, str) or grade not in BILAG2004_GRADE_POINTS:
            raise InputError(
                f"grades[{system!r}] = {grade!r} is not a BILAG-2004 grade; "
                "expected 'A', 'B', 'C', 'D' or 'E' (None for unknown)"
            )
        out[system] = str(grade)
    return out


# --------------------------------------------------------------------------
# grades as arrays (used by the response criteria: sri, bicla)
# --------------------------------------------------------------------------

#: Numeric code of each grade for array arithmetic: A 0 (most active) .. E 4.
GRADE_CODES: Final[Mapping[str, float]] = {g: float(i) for i, g in enumerate(BILAG2004_GRADES)}


def _grade_codes(grades: object, name: str = "grades") -> dict[str, object]:
    """Validate grades given per system as scalars or arrays; codes A 0 .. E 4.

    The array form of :func:`_grade_map`: each value may be a grade, or an
    array-like (list, numpy array, pandas Series, pandas Categorical) of
    grades, ``None``/NaN meaning unknown.  A categorical is validated by its
    categories and decoded by lookup (fast for large tables).  Returns, for
    each of the nine systems, a float code (NaN unknown) for a scalar, or a
    float64 array (a Series keeping its index for Series input); a system
    absent from the mapping is unknown.

    Raises
    ------
    InputError
        For a key that is not a system, or a value that is not a grade,
        naming ``name[system]`` and, for arrays, the index.
    """
    if not isinstance(grades, Mapping):
        raise InputError(f"{name} = {grades!r} is not a mapping of system to grade")
    out: dict[str, object] = dict.fromkeys(BILAG2004_SYSTEMS, math.nan)
    for system, value in grades.items():
        if system not in out:
            raise InputError(
                f"{name}[{system!r}] is not a BILAG-2004 system; expected one of "
                + ", ".join(BILAG2004_SYSTEMS)
            )
        out[system] = _codes_of(f"{name}[{system!r}]", value)
    return out


def _codes_of(where: str, value: object) -> object:
    if value is None or isinstance(value, (str, float)):
        try:
            graded = _grade_map({"renal": value})["renal"]
        except InputError:
            raise InputError(
                f"{where} = {value!r} is not a BILAG-2004 grade; "
                "expected 'A', 'B', 'C', 'D' or 'E' (None for unknown)"
            ) from None
        return math.nan if graded is None else GRADE_CODES[graded]
    series: Any = value  # a pandas Series has .isna and .index
    categorical = getattr(series, "cat", None)  # a categorical Series: .cat; a Categorical itself
    if categorical is not None or (hasattr(series, "categories") and hasattr(series, "codes")):
        return _categorical_codes(where, series, categorical or series)
    index = getattr(series, "index", None) if hasattr(series, "isna") else None
    if index is not None:
        missing = np.array(series.isna(), dtype=bool)
        flat = np.array(series.to_numpy(dtype=object), dtype=object).reshape(-1)
    else:
        flat = np.array(value, dtype=object, ndmin=1).reshape(-1)
        # None, and NaN (the only value unequal to itself), elementwise
        missing = np.asarray(flat == None, dtype=bool) | np.asarray(flat != flat, dtype=bool)  # noqa: E711
    codes = np.full(flat.size, np.nan)
    matched = missing.copy()
    for grade, code in GRADE_CODES.items():
        hit = np.asarray(flat == grade, dtype=bool)
        codes[hit] = code
        matched |= hit
    if not matched.all():
        i = int(np.flatnonzero(~matched)[0])
        raise InputError(
            f"{where}[{i}] = {flat[i]!r} is not a BILAG-2004 grade; "
            "expected 'A', 'B', 'C', 'D' or 'E' (None for unknown)"
        )
    if index is not None:
        return type(series)(codes, index=index)
    return codes.reshape(np.shape(series))


def _categorical_codes(where: str, value: Any, cat: Any) -> object:
    """Codes of a pandas categorical of grades: its few categories validated, then a lookup."""
    categories = list(cat.categories)
    lut = np.array([*(_codes_of(f"{where} category", c) for c in categories), np.nan])
    codes = np.array(cat.codes, dtype=np.intp)  # -1 missing
    out = lut[np.where(codes < 0, len(categories), codes)]
    index = getattr(value, "index", None)
    if index is not None and hasattr(value, "cat"):
        return type(value)(out, index=index)
    return out


# --------------------------------------------------------------------------
# public functions
# --------------------------------------------------------------------------


def bilag2004(
    items: Mapping[int, object],
    *,
    previously_active: Mapping[str, bool | None] | None = None,
    due_to_sle: Mapping[int, bool | None] | None = None,
) -> dict[str, str | None]:
    """BILAG-2004 grade of each organ system from one patient's recorded form.

    Parameters
    ----------
    items : mapping of int to value
        Recorded items keyed by official item number (1..97, form revision
        1 September 2009; see :data:`BILAG2004_ITEMS`).  Values:

        * clinical items (1-77 and 95, TTP): ``0`` not present,
          ``1`` improving, ``2`` same, ``3`` worse, ``4`` new [0..4, integer];
        * yes/no items (80, 85, 88, 89, 96, 97): ``True``/``False``
          (``1``/``0`` accepted);
        * measured values, in the form's units: 78 systolic and 79 diastolic
          blood pressure [mmHg, > 0]; 81 urine dipstick protein [0..3:
          negative, +, ++, +++]; 82 urine albumin-creatinine ratio and
          83 urine protein-creatinine ratio [mg/mmol, >= 0]; 84 24-hour urine
          protein [g, >= 0]; 86 creatinine [umol/l, > 0]; 87 calculated GFR
          [ml/min/1.73 m2, >= 0]; 90 haemoglobin [g/dl, > 0 and <= 30];
          91 white cells, 92 neutrophils, 93 lymphocytes, 94 platelets
          [x10^9/l, >= 0].

        An item not done, or not given, is ``None``/absent: unknown, never
        taken as "not present".  Following the glossary [2]_, a clinical or
        yes/no item is recorded present only when it is due to SLE disease
        activity (not damage, infection, drugs or another condition); a
        feature present for another reason is recorded ``0``/``False``.
    previously_active : mapping of str to bool, optional
        For each system (keys as :data:`BILAG2004_SYSTEMS`), whether it was
        ever involved by SLE before.  Needed only to tell ``"D"`` from
        ``"E"`` in a system with no current activity; never guessed.
    due_to_sle : mapping of int to bool, optional
        The form's "confirm this is due to SLE activity" answer for each
        measured-value item (keys 78, 79, 81-84, 86, 87, 90-94): ``False``
        when the value is normal or its abnormality has another cause.

    Returns
    -------
    dict of str to str or None
        One entry per system, in the form's order: ``"D"`` (no current
        activity, previously involved), ``"E"`` (no current activity, never
        involved) or ``None`` (unknown: an item of the system is missing, or
        its history or a value's attribution was not given).

    Raises
    ------
    InputError
        For an item number outside 1..97, a value outside the item's scale,
        a boolean where a number is expected (or a string), unknown keys in
        *previously_active* or *due_to_sle*; and for any system with a
        feature recorded present (a clinical item 1..4, a yes/no item
        ``True``, or a measured value confirmed due to SLE activity), whose
        grade A, B or C this function does not compute: see Notes.

    Notes
    -----
    A system has no current activity when every one of its items is known
    absent: clinical items recorded 0, yes/no items ``False``, measured
    values not due to SLE activity.  Its grade is then D (previously
    involved, now inactive) or E (never involved) according to the history
    given in *previously_active*; D and E both denote inactivity [3]_.

    **Grades A, B and C are not computed.**  They follow from system-specific
    rules in the scoring section of the BILAG-2004 glossary (Supplementary
    Appendix B of [2]_), which combine the items' 0..4 codes and, for the
    renal and haematological systems, laboratory thresholds and changes from
    previous values.  That section could not be retrieved from any copy
    available when this module was written, so no rule is given here rather
    than a rule that might misgrade a patient.  The function raises
    :class:`~clinscores.InputError` naming such systems and items; record the
    grades with the glossary and use :func:`bilag2004_numeric` and
    :func:`bilag2004_1a_or_2b`.

    The yes/no scales of items 80, 85, 88, 89, 96, 97 and the 0..4 scale of
    item 95 (TTP) follow the layout of the form revision 1 September 2009;
    the renal scoring revised in 2010 is not covered.

    References
    ----------
    .. [1] Isenberg DA et al. Rheumatology (Oxford) 2005;44(7):902-906.
    .. [2] Yee CS et al. Arthritis Rheum 2007;56(12):4113-4119, Supplementary
       Appendix B (BILAG-2004 index glossary).
    .. [3] Yee CS et al. Rheumatology (Oxford) 2010;49(9):1665-1669.

    Examples
    --------
    >>> form = {n: 0 for n in range(1, 5)}          # constitutional: all absent
    >>> bilag2004(form, previously_active={"constitutional": False})["constitutional"]
    'E'
    """
    if not isinstance(items, Mapping):
        raise InputError(f"items = {items!r} is not a mapping of item number to value")
    recorded: dict[int, float] = {}
    for key, value in items.items():
        number = _item_number(key, "items")
        recorded[number] = _recorded(number, value)

    history: Mapping[str, bool | None] = {}
    if previously_active is not None:
        _flag_map("previously_active", previously_active, frozenset(BILAG2004_SYSTEMS))
        history = previously_active
    attribution: Mapping[int, bool | None] = {}
    if due_to_sle is not None:
        if not isinstance(due_to_sle, Mapping):
            raise InputError(f"due_to_sle = {due_to_sle!r} is not a mapping")
        for key in due_to_sle:
            number = _item_number(key, "due_to_sle")
            if number not in _VALUE_ITEMS:
                raise InputError(
                    f"due_to_sle[{number}] is not a measured-value item; expected one of "
                    + ", ".join(str(n) for n in sorted(_VALUE_ITEMS))
                )
        _flag_map("due_to_sle", due_to_sle, _VALUE_ITEMS)
        attribution = due_to_sle

    active: dict[str, list[int]] = {}
    unknown: set[str] = set()
    for number, item in BILAG2004_ITEMS.items():
        x = recorded.get(number, math.nan)
        if math.isnan(x):
            unknown.add(item.system)
        elif item.scale == "value":
            sle = attribution.get(number)
            if sle is None:
                unknown.add(item.system)
            elif sle:
                active.setdefault(item.system, []).append(number)
        elif x > 0:
            active.setdefault(item.system, []).append(number)

    if active:
        detail = "; ".join(
            f"{system} (items {', '.join(str(n) for n in numbers_)})"
            for system, numbers_ in active.items()
        )
        raise InputError(
            f"bilag2004 cannot grade {detail}: a feature is recorded present, and the "
            "BILAG-2004 rules for grades A, B and C (glossary scoring section, Yee et al. "
            "2007 Suppl. App. B) are not implemented because no verified copy was "
            "available; record these grades with the glossary and pass them to "
            "bilag2004_numeric / bilag2004_1a_or_2b"
        )

    grades: dict[str, str | None] = {}
    for system in BILAG2004_SYSTEMS:
        before = history.get(system)
        if system in unknown or before is None:
            grades[system] = None
        else:
            grades[system] = "D" if before else "E"
    return grades


def bilag2004_numeric(grades: Mapping[str, str | None]) -> int | float:
    """BILAG-2004 global numerical score: grades valued and summed.

    Parameters
    ----------
    grades : mapping of str to str
        Grade ``"A"``..``"E"`` of each system (keys as
        :data:`BILAG2004_SYSTEMS`).  A system absent from the mapping, or
        ``None``/NaN, is unknown.

    Returns
    -------
    int or float
        The score [0..108] as an ``int``; ``nan`` when any system's grade is
        unknown (missing is not zero).

    Raises
    ------
    InputError
        For a key that is not one of the nine systems, or a grade other than
        ``"A"``..``"E"``.

    Notes
    -----
    .. math:: S = \\sum_{s=1}^{9} v(g_s), \\quad v(A)=12,\\ v(B)=8,\\
              v(C)=1,\\ v(D)=v(E)=0

    The values come from logistic regression of an increase in therapy on
    the nine system grades [1]_.

    References
    ----------
    .. [1] Yee CS, Cresswell L, Farewell V, et al. Numerical scoring for the
       BILAG-2004 index. Rheumatology (Oxford) 2010;49(9):1665-1669.

    Examples
    --------
    >>> bilag2004_numeric({"constitutional": "A", "mucocutaneous": "B", "neuropsychiatric": "B",
    ...                    "musculoskeletal": "C", "cardiorespiratory": "D",
    ...                    "gastrointestinal": "E", "ophthalmic": "E", "renal": "E",
    ...                    "hematological": "E"})
    29
    """
    known = _grade_map(grades)
    if any(g is None for g in known.values()):
        return math.nan
    return sum(BILAG2004_GRADE_POINTS[g] for g in known.values() if g is not None)


def bilag2004_1a_or_2b(grades: Mapping[str, str | None]) -> bool | None:
    """At least one grade A or at least two grades B among the nine systems.

    Parameters
    ----------
    grades : mapping of str to str
        Grade ``"A"``..``"E"`` of each system (keys as
        :data:`BILAG2004_SYSTEMS`); absent or ``None``/NaN means unknown.

    Returns
    -------
    bool or None
        ``True`` when at least one system is A or at least two are B;
        ``False`` when that is excluded; ``None`` when unknown grades could
        change the answer (any unknown system could be A).

    Raises
    ------
    InputError
        For a key that is not one of the nine systems, or a grade other than
        ``"A"``..``"E"``.

    Notes
    -----
    The "1 A or 2 B" activity threshold as worded in the inclusion criteria
    of trial NCT07052565 ("at least 1 Grade A or 2 Grade B organ scores").

    References
    ----------
    .. [1] ClinicalTrials.gov NCT07052565, inclusion criterion on systemic
       lupus erythematosus.
    .. [2] Yee CS et al. Arthritis Rheum 2007;56(12):4113-4119 (grades).

    Examples
    --------
    >>> bilag2004_1a_or_2b({"renal": "B", "hematological": "B", "constitutional": "E",
    ...     "mucocutaneous": "E", "neuropsychiatric": "E", "musculoskeletal": "E",
    ...     "cardiorespiratory": "E", "gastrointestinal": "E", "ophthalmic": "E"})
    True
    """
    known = _grade_map(grades)
    values = list(known.values())
    if values.count("A") >= 1 or values.count("B") >= 2:
        return True
    if values.count(None):
        return None
    return False
