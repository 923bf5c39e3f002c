"""SLE Responder Index (SRI-4, and SRI-5 to SRI-8 by a larger reduction)."""

from __future__ import annotations

import numbers
from collections.abc import Mapping
from typing import Any, Final

import numpy as np

from clinscores._core import InputError, NumberLike, Result
from clinscores.criteria import Masks, all_of, compare, evaluate
from clinscores.sle._response import (
    PGA,
    SLEDAI_SCORE,
    Block,
    grade_args,
    no_new_a_one_new_b,
    pga_not_worse,
)

__all__ = ["SRI_PGA_WORSENING", "SRI_REDUCTION", "sri"]

#: Default fall of the SLEDAI score, in points (SRI-4; Furie et al. 2009).
SRI_REDUCTION: Final = 4
#: A rise of the physician global assessment (0..3 scale) by this much or
#: more is a deterioration (Furie et al. 2009).
SRI_PGA_WORSENING: Final = 0.3


def sledai_reduced(base: Block, cur: Block, points: int) -> Masks:
    """SLEDAI fell by at least *points* (whole-number scores: exact)."""
    return compare(base - cur, ">=", points)


def sri(
    sledai_baseline: NumberLike,
    sledai_current: NumberLike,
    bilag_baseline: Mapping[str, Any],
    bilag_current: Mapping[str, Any],
    pga_baseline: NumberLike,
    pga_current: NumberLike,
    *,
    reduction: int = SRI_REDUCTION,
) -> Result:
    """SLE Responder Index: SRI-4 by default, SRI-*k* with ``reduction=k``.

    Parameters
    ----------
    sledai_baseline, sledai_current : int or array_like
        SLEDAI-2K score at baseline and at the visit [0..105 points, whole
        number].
    bilag_baseline, bilag_current : mapping of str to grade
        BILAG-2004 grade of each system at baseline and at the visit (keys
        as :data:`~clinscores.sle.BILAG2004_SYSTEMS`; values ``"A"``..``"E"``
        [grade], or array-likes of grades, one per row; ``None``/NaN or an
        omitted system is unknown).
    pga_baseline, pga_current : float or array_like
        Physician global assessment [0..3, SELENA-SLEDAI PGA scale].
    reduction : int, default 4
        Fall of the SLEDAI-2K score required [points, whole number >= 1]:
        4 for SRI-4, 5 to 8 for SRI-5 to SRI-8.

    Returns
    -------
    bool, None, CodedArray or pandas.Series
        ``True`` for a responder, ``False`` for a non-responder, ``None``
        when a missing value could change the answer.

    Raises
    ------
    clinscores.InputError
        For a value outside its domain (naming the parameter, the system for
        BILAG grades, and the index for arrays), a grade other than
        ``"A"``..``"E"``, a key that is not a BILAG-2004 system, or a
        ``reduction`` that is not a whole number >= 1.

    Notes
    -----
    All three conditions must hold [1]_:

    1. :math:`\\mathrm{SLEDAI}_0 - \\mathrm{SLEDAI}_t \\ge k` (*k* = ``reduction``);
    2. no new BILAG A and at most one new BILAG B, where a new A is a system
       graded A now and not A at baseline, and a new B a system graded B now
       and C, D or E at baseline;
    3. :math:`\\mathrm{PGA}_t - \\mathrm{PGA}_0 < 0.3`: no deterioration of the
       physician global assessment by 0.3 points or more.

    The PGA values are compared as reported to two decimals (half-up), so
    a rise from 2.7 to 3.0 is exactly 0.30 (a deterioration) whatever the
    binary rounding of ``3.0 - 2.7``.  The SRI was derived with
    the SELENA-SLEDAI and the classic (pre-2004) BILAG [1]_; it is applied
    here, as in later trials, to SLEDAI-2K scores (the same weights; some
    descriptor definitions differ: SLEDAI-2K also counts persistent rash,
    alopecia, mucosal ulcers and proteinuria [2]_) and to BILAG-2004 grades,
    an adaptation rather than the original definition.  SRI-5 to SRI-8 keep
    conditions 2 and 3 and raise only the SLEDAI reduction.

    Sources read: the abstract of [1]_ (definition of the three conditions
    and the 0.3-point PGA deterioration).  The full text of [1]_ could not
    be read; the 0..3 PGA scale is that of the SELENA-SLEDAI PGA as stated
    in [3]_.

    References
    ----------
    .. [1] Furie RA, Petri MA, Wallace DJ, et al. Novel evidence-based
       systemic lupus erythematosus responder index. Arthritis Rheum
       2009;61(9):1143-1151.
    .. [2] Gladman DD, Ibañez D, Urowitz MB. Systemic lupus erythematosus
       disease activity index 2000. J Rheumatol 2002;29(2):288-291.
    .. [3] Franklyn K, Lau CS, Navarra SV, et al. Definition and initial
       validation of a Lupus Low Disease Activity State (LLDAS). Ann Rheum
       Dis 2016;75(9):1615-1621 (Table 1: SELENA-SLEDAI PGA, scale 0-3).

    Examples
    --------
    >>> quiet = dict.fromkeys(["constitutional", "mucocutaneous", "neuropsychiatric",
    ...     "musculoskeletal", "cardiorespiratory", "gastrointestinal", "ophthalmic",
    ...     "renal", "hematological"], "D")
    >>> sri(10, 6, quiet, quiet, 1.0, 1.29)
    True
    >>> sri(10, 6, quiet, quiet, 1.0, 1.3)
    False
    >>> sri(10, 6, quiet, quiet, 1.0, 1.0, reduction=5)
    False
    """
    points = _reduction(reduction)
    args = [
        ("sledai_baseline", sledai_baseline, SLEDAI_SCORE),
        ("sledai_current", sledai_current, SLEDAI_SCORE),
        ("pga_baseline", pga_baseline, PGA),
        ("pga_current", pga_current, PGA),
        *grade_args("bilag_baseline", bilag_baseline),
        *grade_args("bilag_current", bilag_current),
    ]
    limit = round(SRI_PGA_WORSENING * 100)

    def rule(sb: Block, sc: Block, pb: Block, pc: Block, *grades: Block) -> Masks:
        return all_of(
            sledai_reduced(sb, sc, points),
            no_new_a_one_new_b(grades[:9], grades[9:]),
            pga_not_worse(pb, pc, limit),
        )

    return evaluate(rule, args, "sri", rows=8192)  # 22 arguments: half-size blocks


def _reduction(value: object) -> int:
    if (
        isinstance(value, (bool, np.timedelta64, np.datetime64))
        or not isinstance(value, numbers.Integral)
        or int(value) < 1
    ):
        raise InputError(
            f"reduction = {value!r} is not allowed; expected a whole number of SLEDAI-2K "
            "points >= 1 (4 for SRI-4, 5..8 for SRI-5..SRI-8)"
        )
    return int(value)
