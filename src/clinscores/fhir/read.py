"""Reading a FHIR R4 Bundle into a patient record.

:func:`read_bundle` reads the record and the resources each of its values
came from (:class:`BundleRecord`), :func:`record_from_bundle` the record
alone.  Which resources count (their subject), censored values, the notes on
what is set aside, and the choice among same-day Observations
(:func:`reconcile_same_day`) follow the rules of the package docstring
(:mod:`clinscores.fhir`).
"""

from __future__ import annotations

import datetime as dt
import functools
import math
import re
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any, Final

import attrs

from clinscores import labs as lab_units
from clinscores._core import InputError
from clinscores._json import JsonError, loads
from clinscores.fhir._common import FhirError, _rid, _validate_bundle
from clinscores.fhir.codes import (
    ACTIVE_STATUS,
    CODE_SYSTEM,
    CONDITION_FLAGS,
    CSDMARDS,
    DISEASE_CODES,
    DISEASE_CODES_EXCLUDED,
    DOSE_UNITS,
    LIST_PATHS,
    MASS_IN_MG,
    MEDICATION_STATUS,
    NEGATIVE,
    NOTED_STATUS,
    OBSERVATION_USED,
    PATIENT_ID_SYSTEM,
    PERIOD_DAYS,
    POSITIVE,
    QUANTITIES,
    QUESTIONNAIRE_URL,
    ROUTES,
    STATUS_CODES,
    UCUM,
    Quantity,
    _drug,
    _gated,
    _matches,
)
from clinscores.fhir.form import questionnaire
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

__all__ = [
    "SAME_REL_TOL",
    "BundleRecord",
    "is_bundle",
    "read_bundle",
    "reconcile_same_day",
    "record_from_bundle",
]


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


def _item_index(items: Sequence[Mapping[str, Any]]) -> dict[str, Mapping[str, Any]]:
    return {i["linkId"]: i for i in items}


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


def _medication_code(r: _Reader, ms: Mapping[str, Any]) -> list[tuple[str, str]]:
    if "medicationCodeableConcept" in ms:
        return _codings(ms["medicationCodeableConcept"])
    med = r.resolve(ms, "medicationReference", ms.get("medicationReference"))
    return _codings(med.get("code")) if med else []


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


def is_bundle(data: object) -> bool:
    """Whether JSON data is a FHIR resource (has a ``resourceType``), not a record."""
    return isinstance(data, Mapping) and "resourceType" in data
