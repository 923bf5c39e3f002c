"""BILAG-based Composite Lupus Assessment (BICLA)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Final

import numpy as np
from numpy.typing import NDArray

from clinscores._core import FLAG, FlagLike, NumberLike, Result
from clinscores.criteria import Masks, all_of, compare, evaluate, flag_is
from clinscores.sle._response import (
    PGA,
    SLEDAI_SCORE,
    Block,
    grade_args,
    no_new_a_one_new_b,
    pga_not_worse,
    stacked_grades,
)

__all__ = ["BICLA_PGA_WORSENING_FRACTION", "bicla"]

#: A rise of the physician global assessment by this fraction of its scale
#: (0..3) or more is a significant deterioration (Wallace et al. 2014).
BICLA_PGA_WORSENING_FRACTION: Final = 0.10
_PGA_SCALE: Final = 3.0


def baseline_activity_improved(b: NDArray[np.int8], c: NDArray[np.int8]) -> Masks:
    """Every system A at baseline now B, C, D (or E); every B now C, D (or E).

    *b*, *c*: the systems' grade codes at baseline and now, stacked
    (:func:`~clinscores.sle._response.stacked_grades`: E 0 .. A 4, -1
    unknown; read as unsigned, -1 is 255, above every grade).
    """
    cu = c.view(np.uint8)
    ok = b.view(np.uint8) <= 2  # known C, D or E at baseline
    t = np.equal(b, 4)  # A at baseline, now known B..E
    np.logical_and(t, cu <= 3, out=t)
    ok |= t
    np.equal(b, 3, out=t)  # B (or unknown) at baseline, now known C..E
    np.logical_or(t, b < 0, out=t)
    np.logical_and(t, cu <= 2, out=t)
    ok |= t
    met: NDArray[np.bool_] = np.asarray(ok.all(axis=0))
    bad = np.equal(b, 4, out=ok)  # A still A, or B still B or A
    np.logical_and(bad, c == 4, out=bad)
    np.equal(b, 3, out=t)
    np.logical_and(t, c >= 3, out=t)
    bad |= t
    worse: NDArray[np.bool_] = np.asarray(bad.any(axis=0))
    return met, worse


def bicla(
    sledai_baseline: NumberLike,
    sledai_current: NumberLike,
    bilag_baseline: Mapping[str, Any],
    bilag_current: Mapping[str, Any],
    pga_baseline: NumberLike,
    pga_current: NumberLike,
    treatment_failure: FlagLike,
) -> Result:
    """BICLA response: BILAG-2004 improvement without worsening elsewhere.

    Parameters
    ----------
    sledai_baseline, sledai_current : int or array_like
        SLEDAI-2K score at baseline and at the visit [0..105 points, whole
        number].
    bilag_baseline, bilag_current : mapping of str to grade
        BILAG-2004 grade of each system at baseline and at the visit (keys
        as :data:`~clinscores.sle.BILAG2004_SYSTEMS`; values ``"A"``..``"E"``
        [grade], or array-likes of grades; ``None``/NaN or an omitted
        system is unknown).
    pga_baseline, pga_current : float or array_like
        Physician global assessment [0..3, SELENA-SLEDAI PGA scale].
    treatment_failure : bool or array_like
        Treatment failure since baseline, e.g. initiation of non-protocol
        treatment, as the trial defines it [True/False; None unknown].  No
        default: it must be stated.

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
        ``"A"``..``"E"``, or a key that is not a BILAG-2004 system.

    Notes
    -----
    All five conditions must hold [1]_:

    1. every system graded A at baseline is now B, C or D, and every system
       graded B at baseline is now C or D;
    2. no new BILAG A and at most one new BILAG B (as in
       :func:`~clinscores.sle.sri`: a new A is A now and not A at baseline, a
       new B is B now and C, D or E at baseline);
    3. :math:`\\mathrm{SLEDAI}_t \\le \\mathrm{SLEDAI}_0`: no worsening of the
       total SLEDAI-2K;
    4. :math:`\\mathrm{PGA}_t - \\mathrm{PGA}_0 < 0.1 \\times 3 = 0.3`: the
       physician global assessment not worse by 10 % of its 0..3 scale or
       more (compared as reported to two decimals);
    5. no treatment failure.

    A grade E (never involved) after a baseline A or B cannot occur on a
    consistent form; if given, it is read like D (inactive), since D and E
    both denote inactivity [2]_.

    Sources read: the primary publication [1]_ could not be read in full;
    the five conditions, including the 10 % PGA deterioration, were checked
    against the published summary of the BICLA definition in the
    instrument's ePROVIDE record (Mapi Research Trust), which cites [1]_ and
    the 2011 ACR abstract of Wallace et al.  Whether 10 % exactly counts as
    a deterioration is worded differently in secondary sources; here a
    rise of exactly 10 % of the scale (0.30) is a deterioration.

    References
    ----------
    .. [1] Wallace DJ, Kalunian K, Petri MA, et al. Efficacy and safety of
       epratuzumab in patients with moderate/severe active systemic lupus
       erythematosus: results from EMBLEM, a phase IIb, randomised,
       double-blind, placebo-controlled, multicentre study. Ann Rheum Dis
       2014;73(1):183-190.
    .. [2] Yee CS, Cresswell L, Farewell V, et al. Numerical scoring for the
       BILAG-2004 index. Rheumatology (Oxford) 2010;49(9):1665-1669.

    Examples
    --------
    >>> before = dict.fromkeys(["constitutional", "mucocutaneous", "neuropsychiatric",
    ...     "musculoskeletal", "cardiorespiratory", "gastrointestinal", "ophthalmic",
    ...     "hematological"], "D") | {"renal": "A"}
    >>> bicla(12, 8, before, before | {"renal": "B"}, 1.5, 1.2, False)
    True
    >>> bicla(12, 8, before, before | {"renal": "B"}, 1.5, 1.2, True)
    False
    """
    args = [
        ("sledai_baseline", sledai_baseline, SLEDAI_SCORE),
        ("sledai_current", sledai_current, SLEDAI_SCORE),
        ("pga_baseline", pga_baseline, PGA),
        ("pga_current", pga_current, PGA),
        ("treatment_failure", treatment_failure, FLAG),
        *grade_args("bilag_baseline", bilag_baseline),
        *grade_args("bilag_current", bilag_current),
    ]
    limit = round(BICLA_PGA_WORSENING_FRACTION * _PGA_SCALE * 100)

    def rule(sb: Block, sc: Block, pb: Block, pc: Block, fail: Block, *grades: Block) -> Masks:
        stacked = stacked_grades(grades[:9], grades[9:])
        return all_of(
            baseline_activity_improved(*stacked),
            no_new_a_one_new_b(stacked),
            compare(sc, "<=", sb),
            pga_not_worse(pb, pc, limit),
            flag_is(fail, 0.0),
        )

    return evaluate(rule, args, "bicla", rows=8192)  # 23 arguments: half-size blocks
