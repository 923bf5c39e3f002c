"""Clinical and Simplified Disease Activity Indices (CDAI, SDAI).

References
----------
.. [1] Smolen JS, Breedveld FC, Schiff MH, et al. A simplified disease
   activity index for rheumatoid arthritis for use in clinical practice.
   Rheumatology 2003;42:244-257.
.. [2] Aletaha D, Nell VPK, Stamm T, et al. Acute phase reactants add little
   to composite disease activity indices for rheumatoid arthritis: validation
   of a clinical activity score. Arthritis Res Ther 2005;7:R796-R806.
.. [3] Aletaha D, Smolen JS. The Simplified Disease Activity Index (SDAI) and
   the Clinical Disease Activity Index (CDAI): a review of their usefulness
   and validity in rheumatoid arthritis. Clin Exp Rheumatol 2005;23
   (Suppl 39):S100-S108.
"""

from __future__ import annotations

import math
from typing import Any, Final

import numpy as np
from numpy.typing import NDArray

from clinscores._core import Activity, Domain, NumberLike, Result, categorize, evaluate
from clinscores.ra._domains import CRP_MG_DL, JOINTS28, VAS_CM

__all__ = ["cdai", "cdai_activity", "sdai", "sdai_activity"]

F64 = NDArray[np.float64]


def _k_cdai(out: F64, tjc: NDArray[Any], sjc: NDArray[Any], pt: F64, ev: F64) -> None:
    np.add(tjc, sjc, out=out)
    out += pt
    out += ev


def _k_sdai(out: F64, tjc: NDArray[Any], sjc: NDArray[Any], pt: F64, ev: F64, crp: F64) -> None:
    _k_cdai(out, tjc, sjc, pt, ev)
    out += crp


def cdai(tjc28: NumberLike, sjc28: NumberLike, ptga_cm: NumberLike, evga_cm: NumberLike) -> Result:
    r"""Clinical Disease Activity Index.

    Parameters
    ----------
    tjc28, sjc28 : int or array_like
        Tender and swollen joint counts of the 28-joint assessment
        [0..28, integer].
    ptga_cm : float or array_like
        Patient global assessment of disease activity [cm, 0..10].
    evga_cm : float or array_like
        Evaluator (physician) global assessment of disease activity
        [cm, 0..10].

    Returns
    -------
    float, ndarray or pandas.Series
        0..76 at full precision; reported to 1 decimal
        (``clinscores.report(x, "cdai")``).

    Notes
    -----
    .. math:: \mathrm{CDAI} = TJC28 + SJC28 + PtGA + EvGA

    References
    ----------
    .. [2] Aletaha D et al. Arthritis Res Ther 2005;7:R796-R806.

    Examples
    --------
    >>> cdai(tjc28=6, sjc28=4, ptga_cm=5.5, evga_cm=4.0)
    19.5
    """
    return evaluate(
        _k_cdai,
        ("tjc28", tjc28, JOINTS28),
        ("sjc28", sjc28, JOINTS28),
        ("ptga_cm", ptga_cm, VAS_CM),
        ("evga_cm", evga_cm, VAS_CM),
        name="cdai",
    )


def sdai(
    tjc28: NumberLike,
    sjc28: NumberLike,
    ptga_cm: NumberLike,
    evga_cm: NumberLike,
    crp_mg_dl: NumberLike,
) -> Result:
    r"""Simplified Disease Activity Index.

    Parameters
    ----------
    tjc28, sjc28 : int or array_like
        Tender and swollen joint counts [0..28, integer].
    ptga_cm, evga_cm : float or array_like
        Patient and evaluator global assessments [cm, 0..10].
    crp_mg_dl : float or array_like
        C-reactive protein [mg/dL, >= 0] (mg/L / 10 = mg/dL).

    Returns
    -------
    float, ndarray or pandas.Series
        >= 0 at full precision; reported to 1 decimal.

    Notes
    -----
    .. math:: \mathrm{SDAI} = TJC28 + SJC28 + PtGA + EvGA + CRP

    References
    ----------
    .. [1] Smolen JS et al. Rheumatology 2003;42:244-257.

    Examples
    --------
    >>> round(sdai(tjc28=6, sjc28=4, ptga_cm=5.5, evga_cm=4.0, crp_mg_dl=1.2), 6)
    20.7
    """
    return evaluate(
        _k_sdai,
        ("tjc28", tjc28, JOINTS28),
        ("sjc28", sjc28, JOINTS28),
        ("ptga_cm", ptga_cm, VAS_CM),
        ("evga_cm", evga_cm, VAS_CM),
        ("crp_mg_dl", crp_mg_dl, CRP_MG_DL),
        name="sdai",
    )


_LABELS: Final = (Activity.REMISSION, Activity.LOW, Activity.MODERATE, Activity.HIGH)
#: CDAI cut-offs [3]: remission <= 2.8, low <= 10, moderate <= 22, high > 22.
CDAI_CUTS: Final = ((2.8, True), (10.0, True), (22.0, True))
#: SDAI cut-offs [3]: remission <= 3.3, low <= 11, moderate <= 26, high > 26.
SDAI_CUTS: Final = ((3.3, True), (11.0, True), (26.0, True))


def cdai_activity(score: NumberLike) -> Result:
    """Disease-activity category of a CDAI.

    Parameters
    ----------
    score : float or array_like
        CDAI [0..76] at full precision; it is reported (rounded half-up to 1
        decimal) before the cut-offs are applied, so ``cdai(1, 1, 0.4, 0.4)``
        (2.8000000000000003 in floating point) is remission.

    Returns
    -------
    Activity, None, CodedArray or pandas.Series
        ``remission`` (<= 2.8), ``low`` (<= 10), ``moderate`` (<= 22),
        ``high`` (> 22); ``None`` where missing.

    Raises
    ------
    clinscores.InputError
        For a score outside 0..76 (28 + 28 joints + 10 + 10 cm) or not a
        number, naming ``score``.

    References
    ----------
    .. [3] Aletaha D, Smolen JS. Clin Exp Rheumatol 2005;23(Suppl 39):S100-S108.
    """
    return categorize(
        score,
        decimals=1,
        cuts=CDAI_CUTS,
        labels=_LABELS,
        domain=Domain(0, 76, "CDAI score"),
    )


def sdai_activity(score: NumberLike) -> Result:
    """Disease-activity category of an SDAI.

    Parameters
    ----------
    score : float or array_like
        SDAI [>= 0] at full precision; reported to 1 decimal first.

    Returns
    -------
    Activity, None, CodedArray or pandas.Series
        ``remission`` (<= 3.3), ``low`` (<= 11), ``moderate`` (<= 26),
        ``high`` (> 26); ``None`` where missing.

    Raises
    ------
    clinscores.InputError
        For a negative or infinite score, or not a number, naming ``score``.

    References
    ----------
    .. [3] Aletaha D, Smolen JS. Clin Exp Rheumatol 2005;23(Suppl 39):S100-S108.
    """
    return categorize(
        score,
        decimals=1,
        cuts=SDAI_CUTS,
        labels=_LABELS,
        domain=Domain(0, math.inf, "SDAI score"),
    )
