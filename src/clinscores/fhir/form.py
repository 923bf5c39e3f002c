"""The FHIR R4 Questionnaire of the patient record, generated from its JSON Schema.

:func:`questionnaire` has one item per leaf JSON path of the record, so that
fields added to the record are carried without changes to the mapping; a
QuestionnaireResponse to it holds what has no natural FHIR home.
The module is ``form``, not ``questionnaire``, so that the package's name
``clinscores.fhir.questionnaire`` stays the function it re-exports.
"""

from __future__ import annotations

import functools
import json
from collections.abc import Iterator, Mapping
from typing import Any

from clinscores.fhir._common import _validated
from clinscores.fhir.codes import QUESTIONNAIRE_URL
from clinscores.record import json_schema

__all__ = [
    "questionnaire",
]


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
        text = sub.get("title") or sub.get("description", name)
        if sub.get("x-unit"):
            text += f" ({sub['x-unit']})"
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
