"""What the modules of :mod:`clinscores.fhir` share: :class:`FhirError` and the validation.

Every resource is validated with the R4B models of ``fhir.resources`` (why
they validate R4: the package docstring); the resource types that R4B added
(:data:`R4B_ONLY`) are rejected as not R4.  Importing this module without
the optional extra ``clinscores[fhir]`` raises an ImportError naming the
extra.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any, Final

from clinscores._core import InputError

try:
    from fhir.resources.R4B import get_fhir_model_class
    from pydantic import ValidationError
except ImportError as exc:  # pragma: no cover - depends on the installed extras
    raise ImportError(
        "clinscores.fhir needs the optional extra: pip install 'clinscores[fhir]'"
    ) from exc

__all__ = [
    "FHIR_VERSION",
    "R4B_ONLY",
    "FhirError",
]

#: The FHIR version read and written (validated with the R4B models).
FHIR_VERSION: Final = "4.0.1"

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


class FhirError(InputError):
    """A bundle that cannot be read; the message names the resource and the field."""


# shown (tracebacks, repr) under its public name, as before the package was split
FhirError.__module__ = "clinscores.fhir"


def _rid(res: Mapping[str, Any]) -> str:
    return f"{res['resourceType']}/{res.get('id', '?')}"


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
