"""2016 ACR/EULAR classification criteria for primary Sjögren's syndrome.

References
----------
.. [1] Shiboski CH, Shiboski SC, Seror R, Criswell LA, Labetoulle M, Lietman
   TM, et al.; International Sjögren's Syndrome Criteria Working Group.
   2016 American College of Rheumatology/European League Against Rheumatism
   classification criteria for primary Sjögren's syndrome: a consensus and
   data-driven methodology involving three international patient cohorts.
   Ann Rheum Dis 2017;76:9-16 (also Arthritis Rheumatol 2017;69:35-45).
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from types import MappingProxyType
from typing import Any, Final

import numpy as np
from numpy.typing import ArrayLike, NDArray

from clinscores._core import (
    FLAG,
    JUDGEMENT_BLOCK,
    OMITTED,
    Bounds,
    Classification,
    Domain,
    classify,
    complete_items,
    split_flag,
)

__all__ = ["ACR_EULAR_2016_THRESHOLD", "ACR_EULAR_2016_WEIGHTS", "acr_eular_2016"]

#: Item weights of Table 3 of Shiboski 2017 [1].
ACR_EULAR_2016_WEIGHTS: Final[Mapping[str, int]] = MappingProxyType(
    {
        "focus_score": 3,
        "anti_ssa": 3,
        "ocular_staining": 1,
        "schirmer": 1,
        "unstimulated_saliva": 1,
    }
)
#: Classified with a total of at least this many points [1].
ACR_EULAR_2016_THRESHOLD: Final = 4

# Item cut-offs of Table 3 [1].
FOCUS_SCORE_MIN: Final = 1.0  # foci per 4 mm2, >= 1
OSS_MIN: Final = 5  # Ocular Staining Score >= 5 in at least one eye
VAN_BIJSTERVELD_MIN: Final = 4  # or van Bijsterveld score >= 4
SCHIRMER_MAX_MM: Final = 5.0  # <= 5 mm in 5 min in at least one eye
SALIVA_MAX_ML_MIN: Final = 0.1  # unstimulated whole saliva <= 0.1 mL/min

FOCUS_SCORE: Final = Domain(0, math.inf, "lymphocytic foci per 4 mm2 of labial gland tissue")
OSS: Final = Domain(0, 12, "SICCA Ocular Staining Score, worse eye", integer=True)
VAN_BIJSTERVELD: Final = Domain(0, 9, "van Bijsterveld score, worse eye", integer=True)
SCHIRMER: Final = Domain(0, 35, "mm of wetting in 5 min, worse eye (35 mm strip)")
SALIVA: Final = Domain(0, math.inf, "unstimulated whole saliva flow, mL/min")


def _values(flat: NDArray[Any]) -> NDArray[np.float64]:
    """Float copy rounded to 9 decimals, so binary noise from unit conversion
    (e.g. 1.5 mL / 15 min) cannot decide a cut-off."""
    x: NDArray[np.float64] = np.asarray(flat, dtype=np.float64)
    out: NDArray[np.float64] = np.round(x.reshape(-1) if x.ndim else x.reshape(1), 9)  # new
    return out


def acr_eular_2016(
    focus_score: ArrayLike,
    anti_ssa: ArrayLike,
    ocular_staining_score: ArrayLike,
    schirmer_mm_5min: ArrayLike,
    unstimulated_saliva_ml_min: ArrayLike,
    van_bijsterveld_score: ArrayLike | None = None,
    *,
    entry_met: ArrayLike | None = OMITTED,
    exclusion: ArrayLike | None = OMITTED,
    others: ArrayLike | None = OMITTED,
) -> Classification:
    """2016 ACR/EULAR classification criteria for primary Sjögren's syndrome.

    Parameters
    ----------
    focus_score : float or array_like
        Focus score of a labial salivary gland biopsy with focal lymphocytic
        sialadenitis [foci per 4 mm2, >= 0].  Pass 0 for a biopsy without
        focal lymphocytic sialadenitis.
    anti_ssa : bool or array_like
        Anti-SSA/Ro antibody positive.
    ocular_staining_score : int or array_like
        SICCA Ocular Staining Score of the worse eye [0..12, integer].
    schirmer_mm_5min : float or array_like
        Schirmer's test of the worse eye [mm of wetting in 5 min, 0..35].
    unstimulated_saliva_ml_min : float or array_like
        Unstimulated whole saliva flow rate [mL/min, >= 0].
    van_bijsterveld_score : int or array_like, optional
        van Bijsterveld (rose bengal) score of the worse eye [0..9, integer],
        an alternative to the Ocular Staining Score.
    entry_met : bool or array_like
        The entry criterion: at least one positive answer to the five
        dryness questions, or suspicion of Sjögren's syndrome from the
        ESSDAI (at least one domain with a positive item).  ``None`` (or per
        row on arrays): not assessed.  Required (keyword-only), like
        *exclusion*: omitting either raises ``TypeError`` unless *others*
        is given.
    exclusion : bool or array_like
        A prior diagnosis of an excluding condition (see Notes).  ``None``
        (or per row): not assessed.
    others : bool or None, keyword-only
        What *entry_met* and *exclusion* are when not given: ``False`` (or
        ``0``) not met / none, ``None`` not assessed.  The five measurements
        are required arguments; ``van_bijsterveld_score`` is an alternative
        test, not measured when omitted.

    Returns
    -------
    Classification
        ``points`` [0..9] from the items known to be present; ``domains``
        the points of each item (``focus_score``, ``anti_ssa``,
        ``ocular_staining``, ``schirmer``, ``unstimulated_saliva``);
        ``classified``; ``entry_met`` as given (``None`` when not assessed).

    Notes
    -----
    Items and weights (Shiboski 2017 [1], Table 3); per-eye tests count
    when positive in at least one eye, so pass the worse eye:

    | item | weight |
    |---|---|
    | labial salivary gland focus score >= 1 focus/4 mm2 | 3 |
    | anti-SSA/Ro positive | 3 |
    | Ocular Staining Score >= 5 (or van Bijsterveld >= 4) | 1 |
    | Schirmer's test <= 5 mm/5 min | 1 |
    | unstimulated whole saliva flow <= 0.1 mL/min | 1 |

    A patient is classified with a total of at least 4 points, meeting the
    entry criterion and having none of the exclusions: history of head and
    neck radiation, active hepatitis C (PCR confirmed), AIDS, sarcoidosis,
    amyloidosis, graft-versus-host disease, IgG4-related disease.  Patients
    on anticholinergic drugs should have the objective tests after a
    sufficient interval off these drugs [1].

    How entry and exclusion act here: ``classified`` is ``False`` when
    ``entry_met`` is ``False`` or ``exclusion`` is ``True``.  When they are
    not assessed (``None``), ``classified`` rests on the items alone, and
    ``entry_met`` in the result is ``None`` so that the caller can see the
    entry criterion was not checked.

    Missing measurements (``None``/NaN): ``points`` counts items known
    present; ``classified`` is ``None`` when the missing items could change
    the outcome.  The ocular staining item is positive when either score
    reaches its cut-off and negative when the score(s) measured are below
    it; it is unknown only when neither score was measured.

    Secondary summaries print the Schirmer cut-off as "< 5 mm"; the primary
    table reads "<= 5 mm/5 min", which is used here.

    References
    ----------
    .. [1] Shiboski CH et al. 2016 American College of Rheumatology/European
       League Against Rheumatism classification criteria for primary
       Sjögren's syndrome. Ann Rheum Dis 2017;76:9-16.

    Examples
    --------
    >>> r = acr_eular_2016(focus_score=0, anti_ssa=True, ocular_staining_score=6,
    ...                    schirmer_mm_5min=10, unstimulated_saliva_ml_min=0.3,
    ...                    entry_met=True, exclusion=False)
    >>> r.points, r.classified
    (4, True)
    """
    qualifiers = complete_items(
        "acr_eular_2016",
        {"entry_met": entry_met, "exclusion": exclusion},
        ("entry_met", "exclusion"),
        others,
        what="arguments",
    )
    entry_met, exclusion = qualifiers["entry_met"], qualifiers["exclusion"]
    return classify(
        _rule,
        ("focus_score", focus_score, FOCUS_SCORE),
        ("anti_ssa", anti_ssa, FLAG),
        ("ocular_staining_score", ocular_staining_score, OSS),
        ("schirmer_mm_5min", schirmer_mm_5min, SCHIRMER),
        ("unstimulated_saliva_ml_min", unstimulated_saliva_ml_min, SALIVA),
        ("van_bijsterveld_score", van_bijsterveld_score, VAN_BIJSTERVELD),
        ("entry_met", entry_met, FLAG),
        ("exclusion", exclusion, FLAG),
        entry=entry_met is not None,
        rows=JUDGEMENT_BLOCK,  # a rule of float temporaries: small blocks
    )


def _rule(blocks: list[NDArray[Any]], m: int) -> Bounds:
    """The criteria on one block, with unknown items absent (low) and present (high)."""
    fs, ssa_flat, oss, schirmer, saliva, vb, entry, excl = blocks

    f = _values(fs)
    focus_present, focus_unknown = f >= FOCUS_SCORE_MIN, np.isnan(f)
    ssa_present, ssa_unknown = split_flag(ssa_flat)
    o, v = _values(oss), _values(vb)
    ocular_present = (o >= OSS_MIN) | (v >= VAN_BIJSTERVELD_MIN)
    ocular_unknown = ~ocular_present & np.isnan(o) & np.isnan(v)
    s = _values(schirmer)
    schirmer_present, schirmer_unknown = s <= SCHIRMER_MAX_MM, np.isnan(s)
    u = _values(saliva)
    saliva_present, saliva_unknown = u <= SALIVA_MAX_ML_MIN, np.isnan(u)

    items = {
        "focus_score": (focus_present, focus_unknown),
        "anti_ssa": (ssa_present, ssa_unknown),
        "ocular_staining": (ocular_present, ocular_unknown),
        "schirmer": (schirmer_present, schirmer_unknown),
        "unstimulated_saliva": (saliva_present, saliva_unknown),
    }
    shape = (m,)
    low = np.zeros(shape, dtype=np.int8)  # at most 9 points
    high = np.zeros(shape, dtype=np.int8)
    domains: dict[str, NDArray[Any]] = {}
    for key, (present, unknown) in items.items():
        w = ACR_EULAR_2016_WEIGHTS[key]
        pts = np.broadcast_to(np.multiply(present, w, dtype=np.int8), shape)
        domains[key] = pts
        low += pts
        high += np.multiply(present | unknown, w, dtype=np.int8)

    entry_present, entry_unknown = split_flag(entry)
    excl_present, _ = split_flag(excl)
    entry_false = ~entry_present & ~entry_unknown
    allowed = np.broadcast_to(~entry_false & ~excl_present, shape)
    return Bounds(
        points=low,
        low=(low >= ACR_EULAR_2016_THRESHOLD) & allowed,
        high=(high >= ACR_EULAR_2016_THRESHOLD) & allowed,
        domains=domains,
        entry=(entry_present, ~entry_unknown),
    )
