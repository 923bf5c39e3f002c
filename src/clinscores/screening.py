"""One screen of any input, and its JSON document.

:func:`screen_any` screens a patient record or a FHIR R4 Bundle (told apart
by its ``resourceType``) against NCT07052565; :func:`screening_document` is
the JSON document of a screen, which ``clinscores screen --json`` prints
and the web API's ``POST /api/v1/screen`` answers.  This module sits above
:mod:`clinscores.eligibility` and :mod:`clinscores.fhir` and below the
command line and the web service, which both use it.
"""

from __future__ import annotations

import json
from typing import Any

from clinscores import __version__
from clinscores._extras import require
from clinscores.eligibility import Screening, screen
from clinscores.record import RecordError

__all__ = ["encode", "screen_any", "screening_document"]


def screen_any(data: Any) -> Screening:
    """Screen a record, or a FHIR Bundle (recognised by its ``resourceType``).

    Used by ``clinscores screen`` and by the web API's ``POST /api/v1/screen``.

    Raises
    ------
    RecordError
        An invalid record, or a FHIR Bundle that cannot be read.
    MissingExtraError
        A FHIR Bundle, without the optional extra ``clinscores[fhir]``.
    """
    if not (isinstance(data, dict) and "resourceType" in data):
        return screen(data)
    fhir: Any = require("clinscores.fhir", "fhir", "FHIR bundles need")
    try:
        screening: Screening = fhir.screen_bundle(data)
    except fhir.FhirError as exc:
        raise RecordError([str(exc)]) from exc
    return screening


def screening_document(screening: Screening) -> dict[str, Any]:
    """The JSON document of one screen, as ``clinscores screen --json`` prints it.

    It names the package version (``clinscores_version``) and the record's
    ``screening_date``.  Without the ``file`` key, which only the command adds.  The web API
    (``POST /api/v1/screen``) serves this same document, encoded by
    :func:`encode`.
    """
    return {"clinscores_version": __version__, **screening.to_dict()}


def encode(doc: Any, indent: int | None = 2) -> str:
    """JSON text of a screening document (dates and other values as strings)."""
    return json.dumps(doc, indent=indent, default=str)
