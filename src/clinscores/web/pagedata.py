"""What the two pages ask for beyond the registry and the record schema.

* :func:`example_list` and :func:`example_record`: the example patients
  shipped with the package (``GET /api/v1/examples``,
  ``GET /api/v1/examples/{name}``), which the screening page loads.
* :func:`categories`: the categories of a score or a classification with
  the cut-off of each, taken from the instrument's own constants or read
  off its category function, so that the calculators show which cut-off
  decided a result.
* :func:`bilag2004_request`: the BILAG-2004 grades of one form, each with
  the reasons of :func:`clinscores.sle.bilag2004_explain`
  (``POST /api/v1/bilag2004``), and :func:`bilag2004_layout`, the systems of
  the form with their items (``GET /api/v1/bilag2004``).

Every function here is pure: plain values in, plain values out.
"""

from __future__ import annotations

import functools
import json
import math
import re
from collections.abc import Callable, Sequence
from typing import Any, Final

import numpy as np

from clinscores import examples
from clinscores._core import InputError
from clinscores._json import JsonError, loads
from clinscores.record import Bilag2004Form, RecordError
from clinscores.sle.bilag2004 import (
    BILAG2004_SYSTEMS,
    bilag2004_1a_or_2b,
    bilag2004_numeric,
)

__all__ = [
    "BILAG2004_FORM_KEYS",
    "bilag2004_grade",
    "bilag2004_layout",
    "bilag2004_request",
    "categories",
    "example_list",
    "example_record",
]

# --------------------------------------------------------------------------
# the example patients
# --------------------------------------------------------------------------


def _summary(name: str) -> str:
    """The description of an example without its leading "patient record, "/"FHIR bundle, "."""
    text = examples.describe(name)
    for lead in ("patient record, ", "FHIR bundle, "):
        if text.startswith(lead):
            return text[len(lead) :]
    return text  # pragma: no cover - every description starts so


@functools.cache
def _examples() -> tuple[dict[str, Any], ...]:
    out = []
    for name in examples.names():
        doc = examples.load(name)
        bundle = name.endswith("_bundle")
        out.append(
            {
                "name": name,
                "kind": "fhir_bundle" if bundle else "patient_record",
                "disease": name.split("_", 1)[0],
                "patient_id": None if bundle else doc.get("patient_id"),
                "description": _summary(name),
            }
        )
    return tuple(out)


def example_list() -> list[dict[str, Any]]:
    """The examples shipped with the package, in :func:`clinscores.examples.names` order.

    Returns
    -------
    list of dict
        Per example: ``name`` (the file stem, for :func:`example_record`),
        ``kind`` (``"patient_record"`` or ``"fhir_bundle"``), ``disease``
        (``"ra"``, ``"sle"``, ``"pss"`` or ``"ssc"``), ``patient_id`` (None for
        a bundle) and ``description`` (the disease and the expected verdict in
        words).
    """
    return [dict(d) for d in _examples()]


def example_record(name: str) -> Any:
    """The JSON document of one example (a new object each call).

    Raises
    ------
    KeyError
        For a name that is not an example (the message lists the names).
    """
    return examples.load(name)


# --------------------------------------------------------------------------
# categories and their cut-offs
# --------------------------------------------------------------------------


def _number(x: float) -> str:
    return str(int(x)) if float(x).is_integer() else repr(float(x))


def _from_cuts(cuts: Sequence[tuple[float, bool]], labels: Sequence[str]) -> list[dict[str, Any]]:
    """Rules of the categories of :func:`clinscores._core.categorize` from its cut-offs.

    A cut ``(c, True)`` keeps *c* in the lower category (``<= c``), ``(c, False)``
    moves it to the next one (``< c``).
    """
    out: list[dict[str, Any]] = []
    for i, label in enumerate(labels):
        parts = []
        if i > 0:
            c, inclusive = cuts[i - 1]
            parts.append(("> " if inclusive else "≥ ") + _number(c))
        if i < len(cuts):
            c, inclusive = cuts[i]
            parts.append(("≤ " if inclusive else "< ") + _number(c))
        out.append({"category": label, "rule": " and ".join(parts)})
    return out


def _from_integers(category: Callable[[Any], Any], top: int) -> list[dict[str, Any]]:
    """Rules of an integer score's categories, read off *category* at 0..*top*."""
    values = np.arange(top + 1, dtype=np.float64)
    shown = [str(v) for v in np.asarray(category(values), dtype=object)]
    out: list[dict[str, Any]] = []
    start = 0
    for i in range(1, top + 2):
        if i == top + 1 or shown[i] != shown[start]:
            last = i - 1
            if start == last:
                rule = str(start)
            elif last == top and start > 0:
                rule = f"≥ {start}"
            else:
                rule = f"{start} to {last}"
            out.append({"category": shown[start], "rule": rule})
            start = i
    return out


@functools.cache
def _category_table() -> dict[str, tuple[dict[str, Any], ...]]:
    from clinscores.pss.acr_eular_2016 import ACR_EULAR_2016_THRESHOLD
    from clinscores.pss.essdai import ESSDAI_MAX, essdai_activity
    from clinscores.pss.esspri import ESSPRI_PASS_BELOW
    from clinscores.ra.acr_eular_2010 import THRESHOLD as RA_2010_THRESHOLD
    from clinscores.ra.cdai import CDAI_CUTS, SDAI_CUTS
    from clinscores.ra.das28 import DAS28_CUTS
    from clinscores.sle.eular_acr_2019 import EULAR_ACR_2019_THRESHOLD
    from clinscores.sle.sledai2k import SLEDAI2K_MAX, sledai2k_activity
    from clinscores.ssc.acr_eular_2013 import ACR_EULAR_2013_THRESHOLD

    activity = ("remission", "low", "moderate", "high")
    das28 = _from_cuts(DAS28_CUTS, activity)

    def classified(points: int, entry: str | None = None) -> list[dict[str, Any]]:
        rule = f"≥ {points} points"
        return [
            {"category": "classified", "rule": rule + (f", with {entry}" if entry else "")},
            {"category": "not classified", "rule": f"< {points} points"},
        ]

    table: dict[str, list[dict[str, Any]]] = {
        "das28_esr": das28,
        "das28_crp": das28,
        "das28_esr3": das28,
        "das28_crp3": das28,
        "cdai": _from_cuts(CDAI_CUTS, activity),
        "sdai": _from_cuts(SDAI_CUTS, activity),
        "sledai2k": _from_integers(sledai2k_activity, int(SLEDAI2K_MAX)),
        "essdai": _from_integers(essdai_activity, int(ESSDAI_MAX)),
        "esspri": [
            {"category": "acceptable symptom state", "rule": f"< {_number(ESSPRI_PASS_BELOW)}"},
            {"category": "unsatisfactory", "rule": f"≥ {_number(ESSPRI_PASS_BELOW)}"},
        ],
        "acr_eular_2010": classified(
            RA_2010_THRESHOLD, "at least one swollen joint not better explained by another disease"
        ),
        "eular_acr_2019": classified(EULAR_ACR_2019_THRESHOLD, "ANA at least 1:80 (entry)"),
        "acr_eular_2016": classified(
            ACR_EULAR_2016_THRESHOLD, "the entry criterion met and no exclusion"
        ),
        "acr_eular_2013": classified(ACR_EULAR_2013_THRESHOLD),
    }
    return {k: tuple(v) for k, v in table.items()}


def categories(name: str) -> list[dict[str, Any]]:
    """The categories of instrument *name* with the rule of each.

    Parameters
    ----------
    name : str
        An instrument of :func:`clinscores.registry.instruments`.

    Returns
    -------
    list of dict
        ``{"category": ..., "rule": ...}`` from the lowest category up (for a
        classification: classified, then not classified), the rule on the
        score as clinically reported (e.g. ``"> 3.2 and ≤ 5.1"``, ``"6 to 10"``);
        empty for an instrument without categories (HAQ-DI, mRSS,
        Cockcroft-Gault).
    """
    return [dict(d) for d in _category_table().get(name, ())]


# --------------------------------------------------------------------------
# BILAG-2004 of one form
# --------------------------------------------------------------------------

#: The keys of the body of ``POST /api/v1/bilag2004``: the record's
#: ``sle.bilag2004_form`` keys and ``recorded`` (the assessor's grades).
BILAG2004_FORM_KEYS: Final = ("items", "previous", "due_to_sle", "previously_active", "recorded")

_GRADES: Final = frozenset("ABCDE")


@functools.cache
def _layout() -> dict[str, Any]:
    from clinscores.sle._bilag2004_items import BILAG2004_ITEMS, BILAG2004_PREVIOUS_ITEMS

    scales: dict[str, dict[str, str]] = {}
    for n, it in BILAG2004_ITEMS.items():
        # "BILAG-2004 scale: 0 not present, 1 improving, ..." -> {"0": "not present", ...}
        words = dict(_CODE.findall(it.domain.text.partition(":")[2]))
        if words:
            scales[str(n)] = words
    return {
        "systems": [
            {
                "system": system,
                "items": [n for n, it in BILAG2004_ITEMS.items() if it.system == system],
            }
            for system in BILAG2004_SYSTEMS
        ],
        "previous": list(BILAG2004_PREVIOUS_ITEMS),
        "due_to_sle": [n for n, it in BILAG2004_ITEMS.items() if it.scale == "value"],
        "scales": scales,
    }


_CODE: Final = re.compile(r"(\d)\s+([^,;]+)")


def bilag2004_layout() -> dict[str, Any]:
    """How the BILAG-2004 form is laid out: its systems, each with its item numbers.

    The words of each item (label, unit, allowed values) are those of the
    patient schema's ``sle.bilag2004_form``; this gives what the schema does
    not: the system each item belongs to, in the form's order.

    Returns
    -------
    dict
        ``systems``: ``[{"system", "items": [item numbers]}]`` in the form's
        order; ``previous``: the items whose previous value is asked (78, 79,
        81 to 87); ``due_to_sle``: the measured items that count only when
        due to SLE activity; ``scales``: per coded item, the words of each
        code (``{"0": "not present", ..., "4": "new"}``; urine dipstick
        protein ``{"0": "negative", "1": "+", ...}``).
    """
    copy: dict[str, Any] = json.loads(json.dumps(_layout()))  # a new object each call
    return copy


def _encode(doc: Any) -> bytes:
    return json.dumps(doc, allow_nan=False, separators=(",", ":")).encode("utf-8")


_DISAGREES: Final = re.compile(
    r"recorded\['(?P<system>\w+)'\] = '(?P<grade>[A-E])' disagrees with "
    r"(?:the grade from the items, (?P<items>[A-E](?: to [A-E])?)|the history given)"
)


def _disagreement(text: str) -> dict[str, Any]:
    """The 422 document of a recorded grade the form contradicts, in words."""
    from clinscores.vocabulary import BILAG2004_SYSTEM_NAMES

    match = _DISAGREES.search(text)
    if match is None:
        return {"error": f"invalid BILAG-2004 form: {text}", "problems": []}
    system = match["system"]
    name = BILAG2004_SYSTEM_NAMES.get(system, system)
    if match["items"]:
        why = f"the items give {match['items']}"
    else:
        why = "the history given (involved before or not) does not allow it"
    message = f"the grade recorded for {name}, {match['grade']}, disagrees with the form: {why}"
    return {
        "error": f"invalid BILAG-2004 form: {message}",
        "problems": [{"path": f"recorded.{system}", "message": message}],
    }


def bilag2004_grade(body: object) -> tuple[int, dict[str, Any]]:
    """Grade one BILAG-2004 form; (HTTP status, JSON document).

    Parameters
    ----------
    body : object
        A JSON object with the keys of the record's ``sle.bilag2004_form``
        (``items``, ``previous``, ``due_to_sle``, ``previously_active``, each
        optional, as in the patient schema) and ``recorded``: the grades the
        assessor recorded per system (``"A"``..``"E"`` or null), which decide
        the systems the form cannot grade (the haematological rules).

    Returns
    -------
    tuple of (int, dict)
        200 and ``{"systems": [{"system", "grade", "source", "reasons"}, ...],
        "numeric": int or null, "one_a_or_two_b": bool or null}`` (the systems
        in the form's order, an unknown grade null; ``numeric`` the BILAG-2004
        numeric score, A 12, B 8, C 1, D and E 0, null when a grade is
        unknown); or 422 and ``{"error", "problems": [{"path", "message"}]}``.
    """
    if not isinstance(body, dict):
        return 422, {
            "error": "the body must be a JSON object: "
            + ", ".join(BILAG2004_FORM_KEYS)
            + " (each optional)",
            "problems": [],
        }
    problems: list[dict[str, Any]] = [
        {"path": key, "message": "unknown field; the fields are " + ", ".join(BILAG2004_FORM_KEYS)}
        for key in body
        if key not in BILAG2004_FORM_KEYS
    ]
    recorded = body.get("recorded")
    if recorded is not None and not isinstance(recorded, dict):
        problems.append({"path": "recorded", "message": "not an object of grades per system"})
        recorded = None
    for system, grade in (recorded or {}).items():
        if system not in BILAG2004_SYSTEMS:
            problems.append({"path": f"recorded.{system}", "message": "not a BILAG-2004 system"})
        elif grade is not None and grade not in _GRADES:
            problems.append(
                {"path": f"recorded.{system}", "message": f"{grade!r} is not a grade A to E"}
            )
    form = {k: v for k, v in body.items() if k in BILAG2004_FORM_KEYS and k != "recorded"}
    parsed: Bilag2004Form | None = None
    try:
        parsed = Bilag2004Form(**form)
    except RecordError as exc:
        for text in exc.problems:
            path, _, message = text.partition(": ")
            problems.append({"path": path, "message": message or text})
    if problems or parsed is None:
        return 422, {
            "error": f"invalid BILAG-2004 form ({len(problems)} problems)",
            "problems": problems,
        }
    try:
        explained = parsed.explain(recorded)
    except (InputError, ValueError) as exc:  # e.g. a recorded grade the items contradict
        return 422, _disagreement(str(exc))
    grades = {s: g.grade for s, g in explained.items()}
    numeric = bilag2004_numeric(grades)
    return 200, {
        "systems": [
            {"system": s, "grade": g.grade, "source": g.source, "reasons": list(g.reasons)}
            for s, g in explained.items()
        ],
        "numeric": None if isinstance(numeric, float) and math.isnan(numeric) else int(numeric),
        "one_a_or_two_b": bilag2004_1a_or_2b(grades),
    }


def bilag2004_request(raw: bytes) -> tuple[int, bytes]:
    """Answer ``POST /api/v1/bilag2004``: (HTTP status, JSON bytes).

    400 on a JSON error (each problem with its path), else
    :func:`bilag2004_grade`.
    """
    try:
        body = loads(raw, what="request body")
    except JsonError as exc:
        return 400, _encode(
            {
                "error": str(exc),
                "problems": [{"path": p, "message": m} for p, m in exc.problems],
            }
        )
    status, doc = bilag2004_grade(body)
    return status, _encode(doc)
