"""The patient record screened against trial NCT07052565.

A record is a tree of frozen attrs classes (:class:`Patient` at the root).
Every field is optional except ``patient_id``, ``disease`` and
``screening_date``: an absent field is *unknown*, never zero or false.  Each
field carries its specification in its attrs metadata (kind, unit, range,
description); from that one specification come

* the validation of a dict loaded from JSON (:func:`parse_patient`), which
  reports every problem at once with its JSON path
  (``labs.alt_u_l: -3 is below 0``);
* the validation of a record built in Python (the classes validate
  themselves on construction);
* the JSON Schema shipped in the package (:func:`json_schema`, the file
  ``patient.schema.json``; a test keeps the two identical).

Laboratory fields carry their unit in their name.  Where two units are in
clinical use (haemoglobin, creatinine, bilirubin), each has its own field;
giving both with values that disagree is an error.

Laboratory fields (every field of :class:`Labs`) and ``ra.esr_mm_h`` also
accept a censored value, :class:`Censored` (in JSON
``{"comparator": "<", "value": 1.0}``): a value known only to lie beyond a
bound, whose bound is checked against the field's range like a number.
These fields are typed ``float | Censored | None`` so that every reader
handles the interval; :func:`decide` compares either exactly.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import math
import numbers
import re
import reprlib
from collections.abc import Callable, Mapping, Sequence
from importlib import resources
from typing import Any, Final

import attrs

from clinscores import labs as lab_units
from clinscores import vocabulary
from clinscores._core import Domain, InputError, prepare
from clinscores.criteria import COMPARATORS as COMPARATORS
from clinscores.criteria import Censored as Censored
from clinscores.criteria import Interval as Interval
from clinscores.criteria import _exact, _finite, _is_number
from clinscores.criteria import as_json as as_json
from clinscores.criteria import decide as decide
from clinscores.criteria import show as show
from clinscores.pss.essdai import ESSDAI_LEVEL_NAMES, ESSDAI_WEIGHTS
from clinscores.sle.bilag2004 import (
    BILAG2004_ITEMS,
    BILAG2004_PREVIOUS_ITEMS,
    BILAG2004_SYSTEMS,
    Bilag2004Grade,
    bilag2004_explain,
)
from clinscores.sle.eular_acr_2019 import EULAR_ACR_2019_DOMAINS
from clinscores.sle.sledai2k import SLEDAI2K_WEIGHTS
from clinscores.ssc.acr_eular_2013 import ACR_EULAR_2013_ITEMS

__all__ = [
    "Aecg2002Items",
    "Bilag2004Form",
    "Classification2016Inputs",
    "Dmard",
    "Exclusions",
    "Labs",
    "Medications",
    "Patient",
    "PssData",
    "RaClassificationInputs",
    "RaData",
    "RecordError",
    "SleData",
    "SscData",
    "json_schema",
    "lab_value",
    "load_schema",
    "parse_patient",
    "path_label",
    "path_term",
]

SLE_2019_OBSERVATIONS: Final = tuple(
    name for items in EULAR_ACR_2019_DOMAINS.values() for name in items
)


class RecordError(InputError):
    """An invalid patient record; ``problems`` lists every problem with its JSON path."""

    def __init__(self, problems: Sequence[str]) -> None:
        self.problems = tuple(problems)
        lines = "\n".join(f"  - {p}" for p in self.problems)
        super().__init__(f"invalid patient record ({len(self.problems)} problems):\n{lines}")


# --------------------------------------------------------------------------
# field specifications
# --------------------------------------------------------------------------


@attrs.frozen
class Spec:
    """What one record field accepts (kept in the attrs field metadata)."""

    kind: str  # number, date, bool, choice, string, object, list, flags, levels, grades, values
    description: str
    unit: str | None = None
    minimum: float | None = None
    maximum: float | None = None
    exclusive_minimum: bool = False
    integer: bool = False
    choices: tuple[str, ...] = ()
    keys: tuple[str, ...] = ()
    cls: type | None = None
    required: bool = False
    domains: tuple[Domain, ...] = ()
    labels: tuple[str, ...] = ()
    censorable: bool = False  # a laboratory value: a number or a Censored value


def _field(spec: Spec) -> Any:
    if spec.required:
        return attrs.field(metadata={"spec": spec}, kw_only=True)
    return attrs.field(default=None, metadata={"spec": spec}, kw_only=True)


def num(
    description: str,
    unit: str,
    minimum: float = 0.0,
    maximum: float | None = None,
    *,
    exclusive_minimum: bool = False,
    integer: bool = False,
    censorable: bool = False,
) -> Any:
    """A number field with its unit and range.

    *censorable*: a laboratory value, which may also be a :class:`Censored`
    value (``< 1.0``) whose bound lies in the same range.
    """
    return _field(
        Spec(
            "number",
            description,
            unit=unit,
            minimum=minimum,
            maximum=maximum,
            exclusive_minimum=exclusive_minimum,
            integer=integer,
            censorable=censorable,
        )
    )


def lab(
    description: str,
    unit: str,
    maximum: float,
    *,
    minimum: float = 0.0,
    exclusive_minimum: bool = False,
) -> Any:
    """A laboratory value (>= *minimum*, or > it): a number or a :class:`Censored` value."""
    return num(
        description,
        unit,
        minimum,
        maximum=maximum,
        exclusive_minimum=exclusive_minimum,
        censorable=True,
    )


def date(description: str, *, required: bool = False) -> Any:
    """An ISO 8601 calendar date (``YYYY-MM-DD``)."""
    return _field(Spec("date", description, required=required))


def flag(description: str) -> Any:
    """A yes/no field: ``true``, ``false`` or absent (unknown)."""
    return _field(Spec("bool", description))


def choice(description: str, choices: tuple[str, ...], *, required: bool = False) -> Any:
    return _field(Spec("choice", description, choices=choices, required=required))


def text(description: str, *, required: bool = False) -> Any:
    return _field(Spec("string", description, required=required))


def sub(cls: type, description: str) -> Any:
    """A nested object."""
    return _field(Spec("object", description, cls=cls))


def many(cls: type, description: str) -> Any:
    """A list of nested objects; an empty list means "none", absent means unknown."""
    return _field(Spec("list", description, cls=cls))


def dates(description: str) -> Any:
    """A list of dates; an empty list means "none", absent means unknown."""
    return _field(Spec("list", description))


def flags(description: str, keys: Sequence[str]) -> Any:
    """An object of named yes/no items (omitted item: absent; null: unknown)."""
    return _field(Spec("flags", description, keys=tuple(keys)))


def levels(description: str, keys: Sequence[str]) -> Any:
    """An object of ESSDAI domain levels (0..3 or no/low/moderate/high)."""
    return _field(Spec("levels", description, keys=tuple(keys)))


def grades(description: str, keys: Sequence[str]) -> Any:
    """An object of BILAG-2004 grades A..E per system (null: unknown)."""
    return _field(Spec("grades", description, keys=tuple(keys)))


def values(
    description: str, domains: Mapping[str, Domain], labels: Mapping[str, str] | None = None
) -> Any:
    """An object of numbered items, each checked against its own domain (null: unknown).

    *labels* names each item (in the schema's descriptions, so forms built
    from the schema show what each number is).
    """
    return _field(
        Spec(
            "values",
            description,
            keys=tuple(domains),
            domains=tuple(domains.values()),
            labels=tuple((labels or {}).get(k, "") for k in domains),
        )
    )


# --------------------------------------------------------------------------
# censored laboratory values: :class:`clinscores.criteria.Censored`, decided
# exactly by :func:`clinscores.criteria.decide` (imported above, re-exported)
# --------------------------------------------------------------------------


# --------------------------------------------------------------------------
# conversion of one value (shared by dict parsing and Python construction)
# --------------------------------------------------------------------------


_SHORT: Final = reprlib.Repr()
_SHORT.maxlist = _SHORT.maxtuple = _SHORT.maxdict = 6
_SHORT.maxstring = _SHORT.maxother = 60
#: What a number beyond the float range is called in a message.
BEYOND_FLOAT: Final = "a number beyond float (the largest float is about 1.8e308)"


def _fmt(value: object) -> str:
    """A value as a message shows it: JSON words, numbers, shortened lists and texts."""
    if isinstance(value, bool) or value is None:
        return json.dumps(value)
    if isinstance(value, str):
        return json.dumps(value if len(value) <= 60 else value[:57] + "...")
    if isinstance(value, int):
        if abs(value) < 10**24:
            return repr(value)
        if value.bit_length() > 14_000:  # beyond Python's 4,300-digit conversion limit
            return f"an integer of about {int(value.bit_length() * math.log10(2)) + 1} digits"
        text = repr(value)
        return f"{text[:8]}...{text[-8:]} ({len(text.lstrip('-'))} digits)"
    try:
        return _SHORT.repr(value)
    except (ValueError, RecursionError):  # e.g. a list holding an integer of 5,000 digits
        return f"a {type(value).__name__}"


def _beyond_float(value: object) -> bool:
    """Whether a number's magnitude is above the largest float (``float()`` would fail)."""
    try:
        float(value)  # type: ignore[arg-type]
    except OverflowError:
        return True
    return False


def _value_ok(spec: Spec, key: str, item: object, where: str, problems: list[str]) -> bool:
    """Check one item of a ``values`` field against its domain (the scoring module's)."""
    domain = spec.domains[spec.keys.index(key)]
    if not isinstance(item, (bool, numbers.Real)):
        problems.append(
            f"{where}: {_fmt(item)} is not {'true or false' if domain.flag else 'a number'}"
        )
        return False
    if _beyond_float(item):
        problems.append(f"{where}: {_fmt(item)} is {BEYOND_FLOAT}")
        return False
    if not isinstance(item, bool) and not _finite(item):
        problems.append(f"{where}: {_fmt(item)} is not a finite number")
        return False
    try:
        prepare((where, item, domain))
    except InputError as exc:
        problems.append(str(exc).replace(f"{where} = ", f"{where}: ", 1))
        return False
    return True


def _check_number(spec: Spec, value: Any, path: str, problems: list[str]) -> bool:
    """Check a number against a number field's range; append a problem and say if it passed."""
    before = len(problems)
    if _beyond_float(value):  # an int beyond float (e.g. 10**400)
        problems.append(f"{path}: {_fmt(value)} is {BEYOND_FLOAT}")
        return False
    x = float(value)
    if math.isnan(x) or math.isinf(x):
        problems.append(f"{path}: {_fmt(value)} is not a finite number")
    elif spec.minimum is not None and (
        x <= spec.minimum if spec.exclusive_minimum else x < spec.minimum
    ):
        op = "at or below" if spec.exclusive_minimum else "below"
        problems.append(f"{path}: {_fmt(value)} is {op} {spec.minimum:g} {_allowed(spec, path)}")
    elif spec.maximum is not None and x > spec.maximum:
        problems.append(f"{path}: {_fmt(value)} is above {spec.maximum:g} {_allowed(spec, path)}")
    elif spec.integer and not x.is_integer():
        problems.append(f"{path}: {_fmt(value)} is not a whole number {_allowed(spec, path)}")
    return len(problems) == before


def _allowed(spec: Spec, path: str) -> str:
    """``(allowed for <label>: <hint>)``, or ``(<unit>)`` for a field without words."""
    term = path_term(path.removesuffix(".value"))
    if term is None:
        return f"({spec.unit})"
    return f"(allowed for {term.label}: {_range_hint(spec, term.unit)})"


def _range_hint(spec: Spec, unit: str) -> str:
    """The allowed values of a number field, in the vocabulary's words ("0 to 28 joints")."""
    return vocabulary.range_hint(
        -math.inf if spec.minimum is None else spec.minimum,
        math.inf if spec.maximum is None else spec.maximum,
        lo_open=spec.exclusive_minimum,
        integer=spec.integer,
        unit=unit,
    )


def _convert_censored(spec: Spec, value: object, path: str, problems: list[str]) -> Any:
    """A censored laboratory value (``Censored`` or ``{"comparator", "value"}``)."""
    if isinstance(value, Censored):
        comparator, bound = value.comparator, value.value
    else:
        assert isinstance(value, Mapping)
        extra = sorted(str(k) for k in value if k not in ("comparator", "value"))
        if extra or "comparator" not in value or "value" not in value:
            problems.append(
                f"{path}: {_fmt(dict(value))} is not a censored value: it needs exactly "
                "comparator and value" + (f" (unknown: {', '.join(extra)})" if extra else "")
            )
            return None
        comparator, bound = value["comparator"], value["value"]
    if comparator not in COMPARATORS:
        problems.append(
            f"{path}.comparator: {_fmt(comparator)} is not one of {', '.join(COMPARATORS)}"
        )
        return None
    if not _is_number(bound):
        problems.append(f"{path}.value: {_fmt(bound)} is not a number ({spec.unit})")
        return None
    if not _check_number(spec, bound, f"{path}.value", problems):
        return None
    at_edge = (comparator == "<" and spec.minimum is not None and bound == spec.minimum) or (
        comparator == ">" and spec.maximum is not None and bound == spec.maximum
    )
    if at_edge:
        problems.append(f"{path}: '{comparator} {bound:g}' leaves no possible value ({spec.unit})")
        return None
    return value if isinstance(value, Censored) else Censored(comparator, bound)


def _convert(spec: Spec, value: object, path: str, problems: list[str]) -> Any:
    """Convert and check one present (non-None) value; append problems."""
    kind = spec.kind
    if kind == "number":
        if spec.censorable and isinstance(value, (Censored, Mapping)):
            return _convert_censored(spec, value, path, problems)
        if not _is_number(value):
            censored = " or a censored value {comparator, value}" if spec.censorable else ""
            problems.append(f"{path}: {_fmt(value)} is not a number ({spec.unit}){censored}")
            return None
        _check_number(spec, value, path, problems)
        return value
    if kind == "date":
        if isinstance(value, dt.date):
            return value
        if isinstance(value, str):
            with contextlib.suppress(ValueError):
                return dt.date.fromisoformat(value)
        problems.append(f"{path}: {_fmt(value)} is not an ISO 8601 date (YYYY-MM-DD)")
        return None
    if kind == "bool":
        if not isinstance(value, bool):
            problems.append(f"{path}: {_fmt(value)} is not true or false")
        return value
    if kind == "choice":
        if value not in spec.choices:
            problems.append(f"{path}: {_fmt(value)} is not one of {', '.join(spec.choices)}")
        return value
    if kind == "string":
        if not isinstance(value, str):
            problems.append(f"{path}: {_fmt(value)} is not a string")
        return value
    if kind == "object":
        assert spec.cls is not None
        return _build(spec.cls, value, path, problems)
    if kind == "list":
        if not isinstance(value, (list, tuple)):
            problems.append(f"{path}: {_fmt(value)} is not a list")
            return None
        item_spec = (
            Spec("object", spec.description, cls=spec.cls)
            if spec.cls is not None
            else Spec("date", spec.description)
        )
        out = []
        for i, item in enumerate(value):
            if item is None:
                problems.append(f"{path}[{i}]: null is not allowed in a list")
                continue
            out.append(_convert(item_spec, item, f"{path}[{i}]", problems))
        return tuple(out)
    # mappings: flags, levels, grades
    if not isinstance(value, Mapping):
        problems.append(f"{path}: {_fmt(value)} is not an object")
        return None
    out_map: dict[str, Any] = {}
    for key, item in value.items():
        where = f"{path}.{key}"
        if key not in spec.keys:
            problems.append(f"{where}: unknown field (allowed: {', '.join(spec.keys)})")
            continue
        if item is not None:
            if kind == "flags" and not isinstance(item, bool):
                problems.append(f"{where}: {_fmt(item)} is not true, false or null")
                continue
            if kind == "grades" and item not in ("A", "B", "C", "D", "E"):
                problems.append(f"{where}: {_fmt(item)} is not one of A, B, C, D, E")
                continue
            if kind == "values" and not _value_ok(spec, key, item, where, problems):
                continue
            if kind == "levels" and not (
                (isinstance(item, int) and not isinstance(item, bool) and 0 <= item <= 3)
                or item in ("no", "low", "moderate", "high")
            ):
                problems.append(f"{where}: {_fmt(item)} is not 0..3 or no/low/moderate/high")
                continue
        out_map[key] = item
    return out_map


def _build(cls: type, data: object, path: str, problems: list[str]) -> Any:
    """Check a dict against *cls*'s fields and build the instance (None on problems)."""
    prefix = f"{path}." if path else ""
    if isinstance(data, cls):
        return data
    if not isinstance(data, Mapping):
        problems.append(f"{path or '(record)'}: {_fmt(data)} is not an object")
        return None
    fields = {f.name: f for f in attrs.fields(cls)}
    for key in data:
        if key not in fields:
            problems.append(f"{prefix}{key}: unknown field")
    before = len(problems)
    values: dict[str, Any] = {}
    for name, fld in fields.items():
        spec: Spec = fld.metadata["spec"]
        value = data.get(name)
        if value is None:
            if spec.required:
                problems.append(f"{prefix}{name}: required field is missing")
            continue
        values[name] = _convert(spec, value, prefix + name, problems)
    if len(problems) > before:
        return None
    return _construct(cls, values)


def _construct(cls: type, values: dict[str, Any]) -> Any:
    obj: Any = object.__new__(cls)
    for fld in attrs.fields(cls):
        object.__setattr__(obj, fld.name, values.get(fld.name))
    return obj


def _self_check(obj: Any) -> None:
    """Validate (and convert) an instance built in Python; raise RecordError."""
    problems: list[str] = []
    for fld in attrs.fields(type(obj)):
        spec: Spec = fld.metadata["spec"]
        value = getattr(obj, fld.name)
        if value is None:
            if spec.required:
                problems.append(f"{fld.name}: required field is missing")
            continue
        object.__setattr__(obj, fld.name, _convert(spec, value, fld.name, problems))
    if problems:
        raise RecordError(problems)


class _Record:
    """Base of the record classes: they validate themselves on construction."""

    def __attrs_post_init__(self) -> None:
        _self_check(self)


# --------------------------------------------------------------------------
# the record
# --------------------------------------------------------------------------


@attrs.frozen
class Labs(_Record):
    """Laboratory values at screening, the unit in each field's name."""

    wbc_1e9_l: float | Censored | None = lab("White blood cell count", "x10^9/L", maximum=500)
    neutrophils_1e9_l: float | Censored | None = lab(
        "Neutrophil count (the trial text's 'centrocyte count')", "x10^9/L", maximum=500
    )
    lymphocytes_1e9_l: float | Censored | None = lab("Lymphocyte count", "x10^9/L", maximum=500)
    hemoglobin_g_l: float | Censored | None = lab("Haemoglobin", "g/L", maximum=300)
    hemoglobin_g_dl: float | Censored | None = lab("Haemoglobin", "g/dL", maximum=30)
    platelets_1e9_l: float | Censored | None = lab("Platelet count", "x10^9/L", maximum=5000)
    alt_u_l: float | Censored | None = lab("Alanine aminotransferase", "U/L", maximum=100000)
    alt_uln_u_l: float | Censored | None = lab(
        "ALT upper limit of normal", "U/L", maximum=1000, exclusive_minimum=True
    )
    ast_u_l: float | Censored | None = lab("Aspartate aminotransferase", "U/L", maximum=100000)
    ast_uln_u_l: float | Censored | None = lab(
        "AST upper limit of normal", "U/L", maximum=1000, exclusive_minimum=True
    )
    total_bilirubin_umol_l: float | Censored | None = lab("Total bilirubin", "umol/L", maximum=2000)
    total_bilirubin_mg_dl: float | Censored | None = lab("Total bilirubin", "mg/dL", maximum=120)
    total_bilirubin_uln_umol_l: float | Censored | None = lab(
        "Total bilirubin upper limit of normal", "umol/L", maximum=200, exclusive_minimum=True
    )
    total_bilirubin_uln_mg_dl: float | Censored | None = lab(
        "Total bilirubin upper limit of normal", "mg/dL", maximum=12, exclusive_minimum=True
    )
    creatinine_umol_l: float | Censored | None = lab(
        "Serum creatinine", "umol/L", maximum=3000, exclusive_minimum=True
    )
    creatinine_mg_dl: float | Censored | None = lab(
        "Serum creatinine", "mg/dL", maximum=35, exclusive_minimum=True
    )
    creatinine_clearance_ml_min: float | Censored | None = lab(
        "Measured creatinine clearance (e.g. 24-hour urine); when absent, Cockcroft-Gault "
        "is computed from age, weight, sex and serum creatinine",
        "mL/min",
        maximum=400,
    )
    inr: float | Censored | None = lab("International normalised ratio", "ratio", maximum=20)
    inr_uln: float | Censored | None = lab(
        "INR upper limit of normal", "ratio", maximum=5, exclusive_minimum=True
    )
    pt_s: float | Censored | None = lab("Prothrombin time", "s", maximum=300)
    pt_uln_s: float | Censored | None = lab(
        "Prothrombin time upper limit of normal", "s", maximum=100, exclusive_minimum=True
    )


DMARD_DRUGS: Final = (
    "methotrexate",
    "hydroxychloroquine",
    "sulfasalazine",
    "leflunomide",
    "other_csdmard",
    "adalimumab",
    "etanercept",
    "infliximab",
    "golimumab",
    "certolizumab",
    "abatacept",
    "tocilizumab",
    "sarilumab",
    "rituximab",
    "other_bdmard",
)


@attrs.frozen
class Dmard(_Record):
    """One course of a DMARD."""

    drug: str | None = choice("The drug", DMARD_DRUGS, required=True)
    start_date: dt.date | None = date("First dose")
    end_date: dt.date | None = date("Last dose (for a course that has ended)")
    ongoing: bool | None = flag(
        "The course continues at screening (absent with no end_date: unknown)"
    )
    dose: float | None = num(
        "Current dose: mg/week for methotrexate, mg/day for hydroxychloroquine and "
        "leflunomide, g/day for sulfasalazine",
        "mg/week, mg/day or g/day (see description)",
        maximum=5000,
    )
    dose_since: dt.date | None = date("Date the current dose was started")
    route: str | None = choice("Route", ("oral", "subcutaneous", "intravenous", "other"))


@attrs.frozen
class Medications(_Record):
    """Medication history (lists: empty means none, absent means unknown)."""

    csdmards: tuple[Dmard, ...] | None = many(Dmard, "Conventional synthetic DMARD courses")
    bdmards: tuple[Dmard, ...] | None = many(Dmard, "Biological DMARD courses")
    prednisone_equivalent_mg_day: float | None = num(
        "Current glucocorticoid dose as prednisone equivalent", "mg/day", maximum=2000
    )
    glucocorticoid_not_reducible_below_7_5_mg: bool | None = flag(
        "The investigator documents that the glucocorticoid dose cannot be reduced below "
        "7.5 mg/day prednisone equivalent"
    )
    colony_stimulating_factor_dates: tuple[dt.date, ...] | None = dates(
        "Dates of colony-stimulating factor doses"
    )
    b_cell_therapy_dates: tuple[dt.date, ...] | None = dates(
        "Dates of B-cell targeted therapy doses (e.g. rituximab, belimumab)"
    )
    vaccination_dates: tuple[dt.date, ...] | None = dates("Dates of vaccinations")
    immunomodulatory_start_date: dt.date | None = date(
        "Start of continuous immunomodulatory treatment (Sjogren's criterion I8)"
    )


@attrs.frozen
class RaClassificationInputs(_Record):
    """Inputs of the 2010 ACR/EULAR RA classification criteria."""

    large_joints: int | None = num("Involved large joints", "joints", maximum=10, integer=True)
    small_joints: int | None = num("Involved small joints", "joints", maximum=32, integer=True)
    rf: str | None = choice("Rheumatoid factor", ("negative", "low_positive", "high_positive"))
    acpa: str | None = choice("ACPA", ("negative", "low_positive", "high_positive"))
    abnormal_crp: bool | None = flag("CRP above the laboratory's upper limit")
    abnormal_esr: bool | None = flag("ESR above the laboratory's upper limit")
    symptom_duration_weeks: float | None = num("Duration of symptoms", "weeks", maximum=5000)


@attrs.frozen
class RaData(_Record):
    """Rheumatoid arthritis: classification and activity at screening."""

    classification: RaClassificationInputs | None = sub(
        RaClassificationInputs, "2010 ACR/EULAR inputs"
    )
    classification_met: bool | None = flag(
        "Recorded fulfilment of the 2010 ACR/EULAR criteria (used when inputs are absent)"
    )
    tjc28: int | None = num("Tender joint count (28)", "joints", maximum=28, integer=True)
    sjc28: int | None = num("Swollen joint count (28)", "joints", maximum=28, integer=True)
    swollen_or_tender_joints: int | None = num(
        "Number of joints swollen and/or tender (union; any joint count)",
        "joints",
        maximum=68,
        integer=True,
    )
    esr_mm_h: float | Censored | None = lab(
        "ESR (Westergren; DAS28-ESR needs at least 1 mm/h: record a reading of 0 as 1)",
        "mm/h",
        minimum=1,
        maximum=200,
    )
    ptga_mm: float | None = num("Patient global assessment", "mm (100 mm VAS)", maximum=100)
    evga_mm: float | None = num("Evaluator global assessment", "mm (100 mm VAS)", maximum=100)
    das28_esr_recorded: float | None = num("Charted DAS28-ESR", "score", maximum=10)
    cdai_recorded: float | None = num("Charted CDAI", "score", maximum=76)


_BILAG_VALUE_ITEMS: Final = tuple(n for n, it in BILAG2004_ITEMS.items() if it.scale == "value")


@attrs.frozen
class Bilag2004Form(_Record):
    """The BILAG-2004 form (revision 1 Sep 2009), graded by clinscores.sle.bilag2004."""

    items: Mapping[str, float | bool | None] | None = values(
        "Items keyed by item number 1..97: 0..4 codes, true/false, or measured values in "
        "the form's units (clinscores.sle.bilag2004)",
        {str(n): it.domain for n, it in BILAG2004_ITEMS.items()},
        {str(n): it.name for n, it in BILAG2004_ITEMS.items()},
    )
    previous: Mapping[str, float | bool | None] | None = values(
        "The previous assessment's values of items 78, 79 and 81-87 (absent: not measured)",
        {str(n): BILAG2004_ITEMS[n].domain for n in BILAG2004_PREVIOUS_ITEMS},
        {str(n): BILAG2004_ITEMS[n].name for n in BILAG2004_PREVIOUS_ITEMS},
    )
    due_to_sle: Mapping[str, bool | None] | None = flags(
        "Measured value confirmed due to SLE activity, per item number",
        tuple(str(n) for n in _BILAG_VALUE_ITEMS),
    )
    previously_active: Mapping[str, bool | None] | None = flags(
        "System involved by SLE before this assessment (tells D from E)", BILAG2004_SYSTEMS
    )

    def explain(
        self, recorded: Mapping[str, str | None] | None = None, *, strict: bool = False
    ) -> dict[str, Bilag2004Grade]:
        """The grades of the form with what decided them (``bilag2004_explain``)."""
        return bilag2004_explain(
            {int(k): v for k, v in (self.items or {}).items()},
            previous={int(k): v for k, v in (self.previous or {}).items()},
            due_to_sle={int(k): v for k, v in (self.due_to_sle or {}).items()},
            previously_active=dict(self.previously_active or {}),
            recorded=dict(recorded or {}),
            strict=strict,
            others=None,  # the record's rule: an item omitted or null is unknown
        )


@attrs.frozen
class SleData(_Record):
    """Systemic lupus erythematosus."""

    ana_positive: bool | None = flag("ANA >= 1:80 on HEp-2 cells (2019 entry criterion)")
    anti_dsdna_positive: bool | None = flag("Anti-dsDNA antibody positive")
    anti_smith_positive: bool | None = flag("Anti-Sm antibody positive")
    eular_acr_2019: Mapping[str, bool | None] | None = flags(
        "2019 EULAR/ACR observations (ever, attributable to SLE)", SLE_2019_OBSERVATIONS
    )
    classification_met: bool | None = flag(
        "Recorded fulfilment of the 2019 criteria (used when observations are absent)"
    )
    sledai2k: Mapping[str, bool | None] | None = flags(
        "SLEDAI-2K descriptors at screening", tuple(SLEDAI2K_WEIGHTS)
    )
    sledai2k_recorded: int | None = num("Charted SLEDAI-2K", "points", maximum=105, integer=True)
    bilag2004_grades: Mapping[str, str | None] | None = grades(
        "BILAG-2004 grade per system at screening, as recorded by the assessor",
        tuple(BILAG2004_SYSTEMS),
    )
    bilag2004_form: Bilag2004Form | None = sub(
        Bilag2004Form, "BILAG-2004 form at screening; its grades must agree with recorded ones"
    )
    active_after_standard_therapy_2_months: bool | None = flag(
        "Active disease for 2 months after standard treatment regimens"
    )


@attrs.frozen
class Aecg2002Items(_Record):
    """The six items of the 2002 AECG criteria."""

    ocular_symptoms: bool | None = flag("I. Ocular symptoms")
    oral_symptoms: bool | None = flag("II. Oral symptoms")
    ocular_signs: bool | None = flag("III. Ocular signs (Schirmer or rose bengal)")
    histopathology: bool | None = flag("IV. Focus score >= 1")
    salivary_involvement: bool | None = flag("V. Salivary gland involvement")
    autoantibodies: bool | None = flag("VI. Anti-Ro/SSA and/or anti-La/SSB")
    exclusion: bool | None = flag("An AECG exclusion condition is present")


@attrs.frozen
class Classification2016Inputs(_Record):
    """Measurements of the 2016 ACR/EULAR pSS criteria."""

    focus_score: float | None = num("Focus score", "foci/4 mm2", maximum=20)
    anti_ssa: bool | None = flag("Anti-SSA/Ro positive")
    ocular_staining_score: float | None = num(
        "Ocular staining score, worse eye", "points", maximum=12
    )
    schirmer_mm_5min: float | None = num("Schirmer test, worse eye", "mm/5 min", maximum=50)
    unstimulated_saliva_ml_min: float | None = num(
        "Unstimulated whole saliva flow", "mL/min", maximum=10
    )
    van_bijsterveld_score: float | None = num(
        "van Bijsterveld score, worse eye", "points", maximum=9
    )
    entry_met: bool | None = flag("Entry criterion (dryness symptoms or ESSDAI suspicion)")
    exclusion: bool | None = flag("A 2016 exclusion condition is present")


@attrs.frozen
class PssData(_Record):
    """Primary Sjogren's syndrome."""

    aecg_2002: Aecg2002Items | None = sub(Aecg2002Items, "2002 AECG items")
    acr_eular_2016: Classification2016Inputs | None = sub(
        Classification2016Inputs, "2016 ACR/EULAR measurements"
    )
    classification_met: bool | None = flag("Recorded fulfilment of 2002 or 2016 criteria")
    thrombocytopenia_diagnosed: bool | None = flag("Diagnosis of pSS-associated thrombocytopenia")
    essdai: Mapping[str, object] | None = levels(
        "ESSDAI domain levels at screening", tuple(ESSDAI_WEIGHTS)
    )
    essdai_recorded: int | None = num("Charted ESSDAI", "points", maximum=123, integer=True)
    active_after_conventional_therapy_2_months: bool | None = flag(
        "Active disease 2 months after conventional treatment"
    )


@attrs.frozen
class SscData(_Record):
    """Systemic sclerosis."""

    acr_eular_2013: Mapping[str, bool | None] | None = flags(
        "2013 ACR/EULAR items", ACR_EULAR_2013_ITEMS
    )
    classification_met: bool | None = flag("Recorded fulfilment of the 2013 criteria")
    ana_positive_at_screening: bool | None = flag("ANA positive at screening")
    hrct_progression: bool | None = flag("Clear evidence of progression on HRCT")
    active_after_conventional_therapy_2_months: bool | None = flag(
        "Active disease for 2 months after conventional treatment"
    )


@attrs.frozen
class Exclusions(_Record):
    """Exclusion conditions, each its own field (true: present)."""

    cns_disease: bool | None = flag(
        "E1 clinically significant CNS disease not caused by the disease itself"
    )
    serious_heart_disease: bool | None = flag("E2 relatively serious heart disease")
    transplant_history: bool | None = flag("E3 major organ or haematopoietic stem cell transplant")
    malignancy_history: bool | None = flag("E5 history of any malignant neoplastic disease")
    end_stage_renal_failure: bool | None = flag("E6 end-stage renal failure")
    uncontrolled_infection: bool | None = flag("E7 uncontrolled infection, present or suspected")
    severe_drug_allergy: bool | None = flag("E8 severe allergy to study drugs or excipients")
    hbv_active: bool | None = flag("E9 active HBV infection")
    hcv_antibody_positive: bool | None = flag("E9 HCV antibody positive")
    hiv_antibody_positive: bool | None = flag("E9 HIV antibody positive")
    syphilis_positive: bool | None = flag("E9 syphilis positive")
    cmv_dna_positive: bool | None = flag("E9 CMV DNA positive")
    ebv_dna_positive: bool | None = flag("E9 EBV DNA positive")
    pregnant: bool | None = flag("E10 pregnant")
    lactating: bool | None = flag("E10 lactating")
    pregnancy_planned_within_2_years: bool | None = flag(
        "E10 the patient (female) or the partner of a male patient plans pregnancy within "
        "2 years after the infusion"
    )
    active_tuberculosis: bool | None = flag("E11 evidence of active tuberculosis")
    investigator_unsuitable: bool | None = flag(
        "E12 the investigator judges the patient unsuitable (explicit decision)"
    )


@attrs.frozen
class Patient(_Record):
    """A patient record for the NCT07052565 screen."""

    patient_id: str | None = text("Identifier", required=True)
    disease: str | None = choice(
        "The disease the patient is screened for", ("ra", "sle", "pss", "ssc"), required=True
    )
    sex: str | None = choice("Sex", ("female", "male"))
    birth_date: dt.date | None = date("Date of birth")
    age_years: float | None = num(
        "Age at informed consent (used when birth_date is absent)", "years", maximum=120
    )
    informed_consent_date: dt.date | None = date("Date the informed consent form was signed")
    screening_date: dt.date | None = date("Screening date", required=True)
    diagnosis_date: dt.date | None = date("Date of diagnosis of the disease")
    weight_kg: float | None = num("Body weight", "kg", minimum=20, maximum=400)
    labs: Labs | None = sub(Labs, "Laboratory values at screening")
    medications: Medications | None = sub(Medications, "Medication history")
    ra: RaData | None = sub(RaData, "Rheumatoid arthritis data")
    sle: SleData | None = sub(SleData, "SLE data")
    pss: PssData | None = sub(PssData, "Primary Sjogren's syndrome data")
    ssc: SscData | None = sub(SscData, "Systemic sclerosis data")
    exclusions: Exclusions | None = sub(Exclusions, "Exclusion conditions")


# --------------------------------------------------------------------------
# parsing with cross-field checks
# --------------------------------------------------------------------------


def _cross_checks(p: Patient, problems: list[str]) -> None:
    """Checks that involve more than one field (impossible dates, two units)."""
    screening = p.screening_date
    assert screening is not None
    if p.informed_consent_date is not None and p.informed_consent_date > screening:
        problems.append(
            f"informed_consent_date: {p.informed_consent_date} is after screening_date "
            f"{screening} (consent precedes screening)"
        )
    if p.diagnosis_date is not None and p.diagnosis_date > screening:
        problems.append(f"diagnosis_date: {p.diagnosis_date} is after screening_date {screening}")
    if p.birth_date is not None:
        for name in ("informed_consent_date", "diagnosis_date", "screening_date"):
            d = getattr(p, name)
            if d is not None and d <= p.birth_date:
                problems.append(f"birth_date: {p.birth_date} is not before {name} {d}")
    if p.medications is not None:
        for group in ("csdmards", "bdmards"):
            for i, course in enumerate(getattr(p.medications, group) or ()):
                if course.start_date and course.end_date and course.end_date < course.start_date:
                    problems.append(
                        f"medications.{group}[{i}].end_date: {course.end_date} is before "
                        f"start_date {course.start_date}"
                    )
    _unit_checks(p, problems)
    _thrombocytopenia_checks(p, problems)
    if p.sle is not None and p.sle.bilag2004_form is not None:
        try:
            p.sle.bilag2004_form.explain(p.sle.bilag2004_grades)
        except InputError as exc:
            problems.append(f"sle.bilag2004_grades: {exc} (sle.bilag2004_form)")


#: Platelets below which pSS-associated thrombocytopenia is the ESSDAI
#: haematological domain's high level (Seror 2010).
ESSDAI_HIGH_PLATELETS: Final = 30.0


def _thrombocytopenia_checks(p: Patient, problems: list[str]) -> None:
    """pSS-associated platelets < 30 x10^9/L make the ESSDAI haematological domain high."""
    pss = p.pss
    if p.disease != "pss" or pss is None or pss.thrombocytopenia_diagnosed is not True:
        return
    platelets = p.labs.platelets_1e9_l if p.labs is not None else None
    if platelets is None or decide(platelets, "<", ESSDAI_HIGH_PLATELETS) is not True:
        return  # not below 30, or a censored count that may not be
    why = (
        f"labs.platelets_1e9_l {show(platelets)} x10^9/L (< 30, pSS-associated "
        "thrombocytopenia) makes the ESSDAI haematological domain high"
    )
    level = (pss.essdai or {}).get("hematological")
    number = ESSDAI_LEVEL_NAMES.index(level) if isinstance(level, str) else level
    if isinstance(number, int) and number < 3:
        problems.append(f"pss.essdai.hematological: level {_fmt(level)} is impossible: {why}")
    least = 3 * ESSDAI_WEIGHTS["hematological"]
    if pss.essdai_recorded is not None and pss.essdai_recorded < least:
        problems.append(
            f"pss.essdai_recorded: charted ESSDAI {pss.essdai_recorded:g} is impossible: {why} "
            f"({least} points)"
        )


#: Laboratory quantities with two units: (field in unit a, field in unit b,
#: conversion a -> b, tolerance in unit b for the rounding of a charted value).
UNIT_PAIRS: Final = (
    ("hemoglobin_g_dl", "hemoglobin_g_l", lab_units.hemoglobin_g_dl_to_g_l, 1.0),
    ("creatinine_mg_dl", "creatinine_umol_l", lab_units.creatinine_mg_dl_to_umol_l, 5.0),
    ("total_bilirubin_mg_dl", "total_bilirubin_umol_l", lab_units.bilirubin_mg_dl_to_umol_l, 1.0),
    (
        "total_bilirubin_uln_mg_dl",
        "total_bilirubin_uln_umol_l",
        lab_units.bilirubin_mg_dl_to_umol_l,
        1.0,
    ),
)


def lab_value(record_labs: Labs | None, field: str) -> float | Censored | None:
    """A laboratory value in the unit of *field*, from either of its two unit fields.

    Two values of one analyte (:data:`UNIT_PAIRS`) must agree: two numbers
    within the pair's tolerance; a number and a censored value when the
    number lies in the censored interval (within the tolerance), the number
    being used; two censored values when they point the same way from the
    same bound.  Otherwise :class:`~clinscores.InputError` names both fields.
    """
    if record_labs is None:
        return None
    for a, b, convert, tol in UNIT_PAIRS:
        if b == field:
            return reconcile_units(
                f"labs.{a}", getattr(record_labs, a), f"labs.{b}", getattr(record_labs, b),
                convert, rel_tol=0.01, abs_tol=tol,
            )  # fmt: skip
    value = getattr(record_labs, field)
    return None if value is None else value if isinstance(value, Censored) else float(value)


def reconcile_units(
    name_a: str,
    value_a: float | Censored | None,
    name_b: str,
    value_b: float | Censored | None,
    convert: Callable[[Any], Any],
    rel_tol: float,
    abs_tol: float,
) -> float | Censored | None:
    """One analyte given in unit *a* and/or unit *b*, in unit *b* (see :func:`lab_value`).

    *convert* maps unit *a* to unit *b* (increasing); two values agree when
    they differ by at most ``abs_tol + rel_tol * |b|`` [unit *b*].
    """
    if not isinstance(value_a, Censored) and not isinstance(value_b, Censored):
        out = lab_units.reconcile(
            name_a, value_a, name_b, value_b, convert, rel_tol=rel_tol, abs_tol=abs_tol
        )
        return None if math.isnan(out) else float(out)

    def to_b(x: float) -> float:
        return float(convert(float(x)))

    a_in_b = value_a.converted(to_b) if isinstance(value_a, Censored) else value_a
    if a_in_b is not None and not isinstance(a_in_b, Censored):
        a_in_b = to_b(a_in_b)
    if value_b is None:
        return a_in_b
    if a_in_b is None:
        return value_b
    bound_b = value_b.value if isinstance(value_b, Censored) else value_b
    tol = abs_tol + rel_tol * abs(float(bound_b))
    if not agree(a_in_b, value_b, tol):
        raise InputError(
            f"{name_a} = {show(value_a)} and {name_b} = {show(value_b)} disagree ({name_a} is "  # type: ignore[arg-type]
            f"{show(a_in_b)} in the unit of {name_b}); give one of them, or two values that agree"
        )
    if isinstance(value_b, Censored) and not isinstance(a_in_b, Censored):
        return a_in_b  # the number, not the interval
    return value_b


def agree(x: float | Censored, y: float | Censored, tol: float) -> bool:
    """Whether two values of one analyte in one unit agree within *tol* (>= 0).

    Two numbers: within *tol*.  A number and a censored value: the number
    lies in the interval widened by *tol*.  Two censored values: the same
    direction, bounds within *tol*.
    """
    if isinstance(x, Censored) and isinstance(y, Censored):
        return x.below == y.below and abs(float(x.value) - float(y.value)) <= tol
    if isinstance(x, Censored) or isinstance(y, Censored):
        c, n = (x, y) if isinstance(x, Censored) else (y, x)
        assert isinstance(c, Censored) and not isinstance(n, Censored)
        return float(n) <= float(c.value) + tol if c.below else float(n) >= float(c.value) - tol
    return abs(float(x) - float(y)) <= tol


def lab_interval(record_labs: Labs | None, field: str) -> Interval | None:
    """:func:`lab_value` as an exact :class:`Interval`, converted exactly.

    Where the value comes from the other unit field, it is scaled by the
    conversion factor as a decimal (17.1 umol/L per mg/dL is 171/10), so
    that ``3.6 mg/dL`` is exactly three times ``1.2 mg/dL`` in umol/L too.
    """
    if record_labs is None:
        return None
    for a, b, convert, _ in UNIT_PAIRS:
        if b == field:
            va, vb = getattr(record_labs, a), getattr(record_labs, b)
            if vb is None or (isinstance(vb, Censored) and va is not None
                              and not isinstance(va, Censored)):  # fmt: skip
                if va is None:
                    return None
                return Interval.of(va).scaled(_exact(float(convert(1.0))))
            return Interval.of(vb)
    value = getattr(record_labs, field)
    return None if value is None else Interval.of(value)


def _unit_checks(p: Patient, problems: list[str]) -> None:
    for _, b, _, _ in UNIT_PAIRS:
        try:
            lab_value(p.labs, b)
        except InputError as exc:
            problems.append(str(exc))


def parse_patient(data: object) -> Patient:
    """Validate a record (a dict loaded from JSON, or a :class:`Patient`).

    Returns
    -------
    Patient

    Raises
    ------
    RecordError
        Listing every problem with its JSON path, e.g.
        ``labs.alt_u_l: -3 is below 0 (U/L)``.
    """
    problems: list[str] = []
    patient = _build(Patient, data, "", problems)
    if patient is not None:
        _cross_checks(patient, problems)
    if problems:
        raise RecordError(problems)
    assert isinstance(patient, Patient)
    return patient


# --------------------------------------------------------------------------
# JSON Schema
# --------------------------------------------------------------------------

SCHEMA_ID: Final = "https://clinscores.invalid/schema/patient.schema.json"


def _schema_of(spec: Spec) -> dict[str, Any]:
    s: dict[str, Any]
    if spec.kind == "number":
        s = {"type": "integer" if spec.integer else "number"}
        if spec.minimum is not None:
            s["exclusiveMinimum" if spec.exclusive_minimum else "minimum"] = spec.minimum
        if spec.maximum is not None:
            s["maximum"] = spec.maximum
        if spec.censorable:
            censored = {
                "type": "object",
                "description": "A censored value: the true value lies beyond the bound",
                "properties": {
                    "comparator": {"enum": list(COMPARATORS)},
                    "value": dict(s),
                },
                "required": ["comparator", "value"],
                "additionalProperties": False,
            }
            s = {"oneOf": [s, censored]}
        s["description"] = f"{spec.description} [{spec.unit}]"
        return s
    if spec.kind == "date":
        s = {"type": "string", "format": "date"}
    elif spec.kind == "bool":
        s = {"type": "boolean"}
    elif spec.kind == "choice":
        s = {"enum": list(spec.choices)}
    elif spec.kind == "string":
        s = {"type": "string"}
    elif spec.kind == "object":
        assert spec.cls is not None
        s = _class_schema(spec.cls)
    elif spec.kind == "list":
        item = (
            _class_schema(spec.cls)
            if spec.cls is not None
            else {"type": "string", "format": "date"}
        )
        s = {"type": "array", "items": item}
    else:
        by_kind: dict[str, dict[str, Any]] = {
            "flags": {"type": ["boolean", "null"]},
            "grades": {"enum": ["A", "B", "C", "D", "E", None]},
            "levels": {
                "oneOf": [
                    {"type": "integer", "minimum": 0, "maximum": 3},
                    {"enum": ["no", "low", "moderate", "high"]},
                    {"type": "null"},
                ]
            },
        }
        if spec.kind == "values":
            properties = {
                k: _domain_schema(d, label)
                for k, d, label in zip(
                    spec.keys, spec.domains, spec.labels or ("",) * len(spec.keys)
                )
            }
        else:
            properties = dict.fromkeys(spec.keys, by_kind[spec.kind])
        s = {"type": "object", "properties": properties, "additionalProperties": False}
    s["description"] = spec.description
    return s


def _domain_schema(domain: Domain, label: str = "") -> dict[str, Any]:
    """The JSON Schema of one item of a ``values`` field (*label* names the item)."""
    if domain.flag:
        flag: dict[str, Any] = {"type": ["boolean", "null"]}
        if label:
            flag["description"] = f"{label} [yes/no]"
        return flag
    s: dict[str, Any] = {"type": ["integer" if domain.integer else "number", "null"]}
    if not math.isinf(domain.lo):
        s["exclusiveMinimum" if domain.lo_open else "minimum"] = domain.lo
    if not math.isinf(domain.hi):
        s["exclusiveMaximum" if domain.hi_open else "maximum"] = domain.hi
    s["description"] = f"{label} [{domain.text}]" if label else domain.text
    return s


def _words(s: dict[str, Any], term: vocabulary.Term, fallback: str, hint: str = "") -> None:
    """Put a term's words in a property's schema: title, description, x-unit, x-hint."""
    s["title"] = term.label
    s["description"] = term.help or fallback or term.label
    if term.unit:
        s["x-unit"] = term.unit
    if hint:
        s["x-hint"] = hint


def _items_words(s: dict[str, Any], key: str, domains: Mapping[str, Domain]) -> None:
    """The words of each item of an instrument object (flags, levels, grades, values)."""
    terms = vocabulary.item_terms(key)
    for name in list(s["properties"]):
        item = s["properties"][name] = dict(s["properties"][name])
        term = terms[name]
        domain = domains.get(name)
        hint = "" if domain is None else vocabulary.domain_hint(domain, term.unit)
        _words(item, term, item.get("description", ""), hint)


def field_term(owner: str, name: str) -> vocabulary.Term:
    """The words of field *name* of the record class called *owner*."""
    return vocabulary.RECORD_FIELDS[owner][name]


_INDEX: Final = re.compile(r"\[\d+\]")


def path_term(path: str) -> vocabulary.Term | None:
    """The words of the record field at JSON path *path* (``None`` for an unknown path).

    List indices are ignored (``medications.csdmards[0].drug``); the items of
    an instrument object have their instrument's words
    (``sle.sledai2k.arthritis``: "Arthritis").

    Examples
    --------
    >>> path_term("labs.wbc_1e9_l").label
    'White blood cells'
    >>> path_term("sle.bilag2004_form.items.83").label
    '83. Urine protein-creatinine ratio'
    """
    cls: type | None = Patient
    parts = _INDEX.sub("", path).split(".")
    for i, part in enumerate(parts):
        if cls is None:
            return None
        fields = {f.name: f for f in attrs.fields(cls)}
        if part not in fields:
            return None
        spec: Spec = fields[part].metadata["spec"]
        rest = parts[i + 1 :]
        if not rest:
            return field_term(cls.__name__, part)
        items = vocabulary.RECORD_ITEMS.get((cls.__name__, part))
        if items is not None:
            return vocabulary.item_terms(items).get(rest[0]) if len(rest) == 1 else None
        cls = spec.cls
    return None


def path_label(path: str) -> str:
    """The label of the field at *path*, or the path itself when it has none."""
    term = path_term(path)
    return path if term is None else term.label


def _analyte_of(owner: str, name: str) -> str | None:
    if owner != "Labs":
        return None
    for key, analyte in vocabulary.ANALYTES.items():
        if f"labs.{name}" in analyte.fields:
            return key
    return None


def _class_schema(cls: type) -> dict[str, Any]:
    owner = cls.__name__
    props: dict[str, Any] = {}
    required: list[str] = []
    for fld in attrs.fields(cls):
        spec: Spec = fld.metadata["spec"]
        s = _schema_of(spec)
        term = field_term(owner, fld.name)
        hint = ""
        if spec.kind == "number":
            hint = _range_hint(spec, term.unit)
        _words(s, term, spec.description, hint)
        if spec.kind == "choice":
            s["x-choice-labels"] = {c: vocabulary.choice_label(c) for c in spec.choices}
        items = vocabulary.RECORD_ITEMS.get((owner, fld.name))
        if items is not None:
            _items_words(s, items, dict(zip(spec.keys, spec.domains)))
        analyte = _analyte_of(owner, fld.name)
        if analyte is not None:
            s["x-analyte"] = analyte
        props[fld.name] = s
        if spec.required:
            required.append(fld.name)
    schema: dict[str, Any] = {
        "type": "object",
        "description": (cls.__doc__ or "").strip().splitlines()[0],
        "properties": props,
        "additionalProperties": False,
    }
    if owner == "Labs":
        schema["x-units"] = {
            key: {
                "label": a.label,
                "fields": [f.removeprefix("labs.") for f in a.fields],
                "units": list(a.units),
            }
            for key, a in vocabulary.ANALYTES.items()
        }
    if required:
        schema["required"] = required
    return schema


def json_schema() -> dict[str, Any]:
    """The JSON Schema (draft 2020-12) of a patient record, generated from the classes."""
    schema = _class_schema(Patient)
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": SCHEMA_ID,
        "title": "clinscores patient record for trial NCT07052565",
        **schema,
        # how the page writes the units of a reason (vocabulary.clinical_unit)
        "x-unit-words": vocabulary.clinical_unit_patterns(),
    }


def load_schema() -> dict[str, Any]:
    """The JSON Schema file shipped in the package (``patient.schema.json``)."""
    raw = resources.files("clinscores").joinpath("patient.schema.json").read_text("utf-8")
    result: dict[str, Any] = json.loads(raw)
    return result


if __name__ == "__main__":  # regenerate the shipped schema
    print(json.dumps(json_schema(), indent=2))
