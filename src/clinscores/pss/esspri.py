"""EULAR Sjögren's syndrome patient reported index (ESSPRI) and its cut-offs.

References
----------
.. [1] Seror R, Ravaud P, Mariette X, Bootsma H, Theander E, Hansen A, et al.;
   EULAR Sjögren's Task Force. EULAR Sjögren's Syndrome Patient Reported
   Index (ESSPRI): development of a consensus patient index for primary
   Sjögren's syndrome. Ann Rheum Dis 2011;70:968-972.
.. [2] Seror R, Bootsma H, Saraux A, Bowman SJ, Theander E, Brun JG, et al.;
   EULAR Sjögren's Task Force. Defining disease activity states and
   clinically meaningful improvement in primary Sjögren's syndrome with
   EULAR primary Sjögren's syndrome disease activity (ESSDAI) and
   patient-reported indexes (ESSPRI). Ann Rheum Dis 2016;75:382-389.
"""

from __future__ import annotations

from typing import Any, Final

import numpy as np
from numpy.typing import ArrayLike, NDArray

from clinscores._coded import TRISTATE
from clinscores._core import (
    JUDGEMENT_BLOCK,
    REPORT_DECIMALS,
    Domain,
    Result,
    _reported_comparison,
    compute,
    evaluate,
    reduction_at_least,
)

__all__ = ["ESSPRI_PASS_BELOW", "esspri", "esspri_mcii", "esspri_pass"]

F64 = NDArray[np.float64]

#: One 0-10 numerical rating scale of the ESSPRI questionnaire.
NRS: Final = Domain(0, 10, "0-10 numerical rating scale")
#: An ESSPRI score.
ESSPRI_SCORE: Final = Domain(0, 10, "ESSPRI score, 0-10")

#: Patient-acceptable symptom state: ESSPRI below this value [2].
ESSPRI_PASS_BELOW: Final = 5.0
#: Minimal clinically important improvement: a fall of at least 1 point ...
ESSPRI_MCII_POINTS: Final = 1.0
#: ... or of at least 15 % of the baseline value [2].
ESSPRI_MCII_FRACTION: Final = 0.15

_DECIMALS: Final = REPORT_DECIMALS["esspri"]


def _k_mean(out: F64, dryness: NDArray[Any], fatigue: NDArray[Any], pain: NDArray[Any]) -> None:
    np.add(dryness, fatigue, out=out)
    out += pain
    out /= 3.0


def esspri(dryness: ArrayLike, fatigue: ArrayLike, pain: ArrayLike) -> Result:
    r"""ESSPRI, the EULAR Sjögren's syndrome patient reported index.

    Parameters
    ----------
    dryness : float or array_like
        Severity of dryness over the past two weeks [0..10, numerical rating
        scale].
    fatigue : float or array_like
        Severity of fatigue over the past two weeks [0..10].
    pain : float or array_like
        Severity of pain (joint or muscular pain in arms or legs) over the
        past two weeks [0..10].

    Returns
    -------
    float or ndarray
        ESSPRI [0..10] at full precision; NaN where a scale is missing.  It
        is reported to two decimals (``clinscores.report(x, "esspri")``).

    Notes
    -----
    .. math:: \mathrm{ESSPRI} = (\text{dryness} + \text{fatigue} + \text{pain}) / 3

    In the development study [1] dryness, limb pain and fatigue had
    identical regression weights against the patient global assessment, and
    mental fatigue added nothing, so the index is the plain mean of the three
    scales.  The questionnaire records whole numbers; other values in 0..10
    are accepted (e.g. from a visual analogue scale).

    References
    ----------
    .. [1] Seror R et al. EULAR Sjögren's Syndrome Patient Reported Index
       (ESSPRI): development of a consensus patient index for primary
       Sjögren's syndrome. Ann Rheum Dis 2011;70:968-972.

    Examples
    --------
    >>> esspri(6, 7, 5)
    6.0
    """
    return evaluate(
        _k_mean,
        ("dryness", dryness, NRS),
        ("fatigue", fatigue, NRS),
        ("pain", pain, NRS),
        name="esspri",
    )


def esspri_pass(score: ArrayLike) -> Result:
    """Whether an ESSPRI is in the patient-acceptable symptom state (PASS).

    Parameters
    ----------
    score : float or array_like
        ESSPRI [0..10].

    Returns
    -------
    bool, None, CodedArray or pandas.Series
        ``True`` when the reported ESSPRI (two decimals, half-up) is below 5;
        ``None`` for a missing score.

    Notes
    -----
    Seror 2016 [1] estimated the PASS as ESSPRI < 5 and proposed enrolling
    patients with an unsatisfactory symptom state (ESSPRI >= 5) in trials
    that address patient-reported outcomes.

    References
    ----------
    .. [1] Seror R et al. Defining disease activity states and clinically
       meaningful improvement in primary Sjögren's syndrome with EULAR
       primary Sjögren's syndrome disease activity (ESSDAI) and
       patient-reported indexes (ESSPRI). Ann Rheum Dis 2016;75:382-389.

    Examples
    --------
    >>> esspri_pass(esspri(5, 5, 4))
    True
    """
    # reported ESSPRI < 5.00, as value < bound (see clinscores._core.categorize)
    values = _reported_comparison(_DECIMALS, ESSPRI_SCORE, [round(ESSPRI_PASS_BELOW * 100)])

    def kernel(out: NDArray[np.int8], x: NDArray[Any]) -> None:
        value, (bound,) = values(x)
        np.less(value, bound, out=out.view(np.bool_))  # 0/1 bytes; NaN: 0
        out -= np.isnan(value)  # unknown: -1

    codes, prep = compute(
        kernel, ("score", score, ESSPRI_SCORE), dtype=np.int8, rows=JUDGEMENT_BLOCK
    )
    return prep.wrap_coded(codes, TRISTATE, "pass")


def esspri_mcii(baseline: ArrayLike, current: ArrayLike) -> Result:
    """Whether an ESSPRI change reaches the minimal clinically important improvement.

    Parameters
    ----------
    baseline : float or array_like
        ESSPRI at baseline [0..10].
    current : float or array_like
        ESSPRI at follow-up [0..10].

    Returns
    -------
    bool, None, CodedArray or pandas.Series
        ``True`` when the ESSPRI fell by at least 1 point or by at least 15 %
        of its baseline value (a fall of zero is never an improvement, even
        from a baseline of 0); ``None`` when either score is missing.

    Notes
    -----
    With :math:`b` and :math:`c` the scores as reported (two decimals,
    half-up), the improvement is :math:`b - c \\ge 1` or
    :math:`b - c \\ge 0.15\\, b` (Seror 2016 [1]).  The comparison is done
    in exact hundredths (:func:`clinscores._core.reduction_at_least`, shared
    with the ESSDAI and SLEDAI-2K changes), so binary rounding noise cannot
    flip it: 8.00 -> 7.01 (0.99 point, 12.4 %) is not an MCII, 8.00 -> 7.00
    is, and 6.00 -> 5.10 (exactly 15 %) is.

    References
    ----------
    .. [1] Seror R et al. Ann Rheum Dis 2016;75:382-389 (see
       :func:`esspri_pass`).

    Examples
    --------
    >>> esspri_mcii(6.0, 5.1)   # 0.9 points = 15 % of 6.0
    True
    """
    return reduction_at_least(
        baseline,
        current,
        ESSPRI_MCII_POINTS,
        ESSPRI_SCORE,
        "mcii",
        percent=round(ESSPRI_MCII_FRACTION * 100),
        decimals=_DECIMALS,
    )
