"""The example patients and FHIR bundles shipped with the package.

Twelve patient records (an eligible, a not eligible and an incomplete
patient for each of the four diseases of trial NCT07052565) and four FHIR
R4 bundles exported the way an EHR writes them.  They are installed with the
package, so ``clinscores screen --example ra_eligible`` works without a
checkout; in a checkout, ``examples/patients`` and ``examples/fhir`` are
links to these same files.

Examples
--------
>>> from clinscores import examples
>>> examples.names()[:3]
['pss_eligible', 'pss_incomplete', 'pss_not_eligible']
>>> examples.path("ra_eligible").name
'ra_eligible.json'
>>> examples.load("ra_eligible")["patient_id"]
'RA-001'
>>> examples.describe("sle_bundle")
'FHIR bundle, SLE: not eligible (E4, a vaccination 12 days before screening)'
"""

from __future__ import annotations

import json
from importlib import resources
from pathlib import Path
from typing import Any, Final

__all__ = ["DESCRIPTIONS", "describe", "load", "names", "path"]

#: One line per example (name -> description); the name is the file's stem.
#: Patient records are in ``patients/``, FHIR bundles (``*_bundle``) in ``fhir/``.
DESCRIPTIONS: Final[dict[str, str]] = {
    "pss_eligible": "patient record, primary Sjögren's syndrome: eligible",
    "pss_incomplete": "patient record, primary Sjögren's syndrome: incomplete (I8, ESSDAI unknown)",
    "pss_not_eligible": (
        "patient record, primary Sjögren's syndrome: not eligible (I8, platelets not below 30)"
    ),
    "ra_eligible": "patient record, rheumatoid arthritis: eligible",
    "ra_incomplete": (
        "patient record, rheumatoid arthritis: incomplete (I5 coagulation, E9 HBV, E12 unanswered)"
    ),
    "ra_not_eligible": (
        "patient record, rheumatoid arthritis: not eligible (I6, disease activity too low)"
    ),
    "sle_eligible": "patient record, SLE: eligible",
    "sle_incomplete": "patient record, SLE: incomplete (I7, activity after standard therapy)",
    "sle_not_eligible": "patient record, SLE: not eligible (I7, SLEDAI-2K 6 below 8)",
    "ssc_eligible": "patient record, systemic sclerosis: eligible",
    "ssc_incomplete": (
        "patient record, systemic sclerosis: incomplete (I9 ANA at screening, E10 unanswered)"
    ),
    "ssc_not_eligible": (
        "patient record, systemic sclerosis: not eligible (I9, no HRCT progression)"
    ),
    "pss_bundle": "FHIR bundle, primary Sjögren's syndrome: incomplete (E12 not yet answered)",
    "ra_bundle": "FHIR bundle, rheumatoid arthritis: eligible",
    "sle_bundle": "FHIR bundle, SLE: not eligible (E4, a vaccination 12 days before screening)",
    "ssc_bundle": "FHIR bundle, systemic sclerosis: eligible",
}


def _folder(name: str) -> str:
    return "fhir" if name.endswith("_bundle") else "patients"


def names() -> list[str]:
    """Names of the examples, sorted: the patient records, then the FHIR bundles.

    Returns
    -------
    list of str
        File stems, e.g. ``"ra_eligible"`` or ``"ra_bundle"``.
    """
    return sorted(DESCRIPTIONS, key=lambda n: (_folder(n) == "fhir", n))


def _check(name: str) -> str:
    if name not in DESCRIPTIONS:
        raise KeyError(f"no example named {name!r}; the examples are: {', '.join(names())}")
    return name


def path(name: str) -> Path:
    """The file of one example, inside the installed package.

    Parameters
    ----------
    name : str
        One of :func:`names` (without ``.json``).

    Returns
    -------
    pathlib.Path
        The JSON file (a file on disk: the package is installed unzipped).

    Raises
    ------
    KeyError
        For a name that is not an example; the message lists the names.
    """
    root = resources.files(__name__) / _folder(_check(name)) / f"{name}.json"
    return Path(str(root))


def load(name: str) -> Any:
    """The parsed JSON of one example (a new object at each call).

    Parameters
    ----------
    name : str
        One of :func:`names`.

    Returns
    -------
    dict
        The patient record, or the FHIR Bundle.

    Raises
    ------
    KeyError
        For a name that is not an example.
    """
    return json.loads(path(name).read_text(encoding="utf-8"))


def describe(name: str) -> str:
    """The one-line description of one example (kind, disease, expected verdict).

    Parameters
    ----------
    name : str
        One of :func:`names`.

    Returns
    -------
    str

    Raises
    ------
    KeyError
        For a name that is not an example.
    """
    return DESCRIPTIONS[_check(name)]
