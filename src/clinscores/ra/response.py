"""EULAR response criteria on DAS28.

References
----------
.. [1] van Gestel AM, Prevoo MLL, van 't Hof MA, van Rijswijk MH, van de Putte
   LBA, van Riel PLCM. Development and validation of the European League
   Against Rheumatism response criteria for rheumatoid arthritis. Comparison
   with the preliminary American College of Rheumatology and the World Health
   Organization/International League Against Rheumatism Criteria. Arthritis
   Rheum 1996;39:34-40.
.. [2] van Gestel AM, Haagsma CJ, van Riel PLCM. Validation of rheumatoid
   arthritis improvement criteria that include simplified joint counts.
   Arthritis Rheum 1998;41:1845-1850.
"""

from __future__ import annotations

from typing import Any, Final

import numpy as np
from numpy.typing import NDArray

from clinscores._core import (
    JUDGEMENT_BLOCK,
    Domain,
    NumberLike,
    Result,
    compute,
    reported_units,
)

__all__ = ["EULAR_RESPONSES", "eular_response"]

_DAS28: Final = Domain(0, 20, "DAS28 score")  # as das28.DAS28_SCORE
#: Improvement thresholds (> 0.6, > 1.2) and present-DAS28 cut-offs (<= 3.2,
#: <= 5.1) of the DAS28-based EULAR response [1, 2], in hundredths.
_IMP_MODERATE: Final = 60
_IMP_GOOD: Final = 120
_LOW: Final = 320
_HIGH: Final = 510
#: The responses, lowest first (the codes of an array result).
EULAR_RESPONSES: Final = ("none", "moderate", "good")


def _kernel(out: NDArray[np.int8], base: NDArray[Any], cur: NDArray[Any]) -> None:
    c = reported_units(cur, 2, nonnegative=True)  # validated: 0..20
    imp = reported_units(base, 2, nonnegative=True)
    imp -= c  # the improvement, NaN where either is missing
    # good: imp > 1.2 and c <= 3.2 (2); moderate: imp > 1.2 and c > 3.2, or
    # 0.6 < imp <= 1.2 and c <= 5.1 (1); none (0); unknown (-1)
    big = imp > _IMP_GOOD
    np.logical_and(big, c <= _LOW, out=out.view(np.bool_))
    out += big
    mid = imp > _IMP_MODERATE
    mid &= c <= _HIGH
    mid &= ~big
    out += mid
    out -= np.isnan(imp)  # every comparison of NaN is false: 0 - 1


def eular_response(baseline: NumberLike, current: NumberLike) -> Result:
    """EULAR response (good, moderate, none) from baseline and current DAS28.

    Parameters
    ----------
    baseline : float or array_like
        DAS28 at baseline [0..20] (any DAS28 form, the same at both visits).
    current : float or array_like
        DAS28 now [0..20].

    Returns
    -------
    str, None, CodedArray or pandas.Series
        ``"good"``: improvement > 1.2 and current <= 3.2;
        ``"moderate"``: improvement > 1.2 and current > 3.2, or improvement
        > 0.6 and <= 1.2 and current <= 5.1;
        ``"none"``: otherwise; ``None`` where a value is missing.  On
        arrays a :class:`~clinscores.CodedArray` of :data:`EULAR_RESPONSES`
        (``"none" < "moderate" < "good"``; ``response >= "moderate"``), an
        ordered ``Categorical`` Series for Series input.

    Raises
    ------
    clinscores.InputError
        For a DAS28 outside 0..20, naming ``baseline`` or ``current``.

    Notes
    -----
    Both values are first reported (rounded half-up to 2 decimals), and the
    improvement is the difference of the reported values, so that the change
    4.4 -> 3.2 is exactly 1.2 and is ``"moderate"``, not ``"good"``.

    References
    ----------
    .. [1] van Gestel AM et al. Arthritis Rheum 1996;39:34-40.
    .. [2] van Gestel AM et al. Arthritis Rheum 1998;41:1845-1850 (DAS28 form).

    Examples
    --------
    >>> eular_response(4.4, 3.2)
    'moderate'
    >>> eular_response(4.41, 3.2)
    'good'
    """
    codes, prep = compute(
        _kernel,
        ("baseline", baseline, _DAS28),
        ("current", current, _DAS28),
        dtype=np.int8,
        rows=JUDGEMENT_BLOCK,
    )
    return prep.wrap_coded(codes, EULAR_RESPONSES, "eular_response")
