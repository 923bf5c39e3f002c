"""The screen of a FHIR R4 Bundle: each criterion's reason names the resources it used.

:func:`screen_bundle` is :func:`clinscores.eligibility.screen` of the record
that :func:`clinscores.fhir.read.read_bundle` reads, each reason followed by
the ids of the resources whose values it used and the reader's notes.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Final

import attrs

from clinscores.eligibility import Screening, screen
from clinscores.fhir.read import _schema_paths, read_bundle
from clinscores.record import UNIT_PAIRS

__all__ = [
    "DERIVED",
    "screen_bundle",
]

#: Values a criterion reports that are computed from record fields.
DERIVED: Final = {
    "age_years": ("birth_date", "age_years", "informed_consent_date"),
    "crcl_cockcroft_gault_ml_min": (
        "birth_date",
        "age_years",
        "informed_consent_date",
        "weight_kg",
        "sex",
        "labs.creatinine_umol_l",
        "labs.creatinine_mg_dl",
    ),
    "das28": ("ra",),
    "cdai": ("ra",),
    "sledai2k": ("sle.sledai2k", "sle.sledai2k_recorded"),
    "essdai": ("pss.essdai", "pss.essdai_recorded"),
}


def _used_paths(key: str, known: Sequence[str]) -> tuple[str, ...]:
    """Record paths behind one key of a criterion's values."""
    if key in DERIVED:
        return DERIVED[key]
    paths = [key]
    if "." in key and key not in _schema_paths()[0]:
        paths.append(key.rsplit(".", 1)[0])
    paths.extend(p for p in known if p.endswith("." + key))
    for a, b, _, _ in UNIT_PAIRS:
        for x, y in ((a, b), (b, a)):
            if key == f"labs.{x}":
                paths.append(f"labs.{y}")
    return tuple(paths)


def _trace(values: Iterable[str], sources: Mapping[str, tuple[str, ...]]) -> list[str]:
    """What *sources* (path -> texts) holds for the record paths behind *values*."""
    known = list(sources)
    ids: list[str] = []
    for key in values:
        for used in _used_paths(key, known):
            for path, srcs in sources.items():
                if path == used or path.startswith(used + "."):
                    ids.extend(srcs)
    return list(dict.fromkeys(ids))


def screen_bundle(bundle: object) -> Screening:
    """Screen the patient of a FHIR R4 Bundle against NCT07052565.

    The result is :func:`clinscores.eligibility.screen` of the record read
    from the bundle; each criterion's reason ends with the ids of the FHIR
    resources whose values it used, e.g. ``[FHIR: Observation/hb-1]``, then
    the reader's notes on the fields it reads (``[set aside: Observation/x
    (its subject is ..., not this bundle's patient)]``; see
    :attr:`BundleRecord.notes`).
    """
    read = read_bundle(bundle)
    s = screen(read.patient)
    criteria = []
    for c in s.criteria:
        ids = _trace(c.consulted or c.values, read.sources)
        reason = f"{c.reason} [FHIR: {', '.join(ids)}]" if ids else c.reason
        notes = _trace(c.consulted or c.values, read.notes)
        reason += "".join(f" [{n}]" for n in notes)
        criteria.append(attrs.evolve(c, reason=reason))
    return attrs.evolve(s, criteria=tuple(criteria))
