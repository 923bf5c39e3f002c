"""Disease Activity Score in 28 joints (DAS28): ESR and CRP forms, 4 and 3 variables.

References
----------
.. [1] Prevoo MLL, van 't Hof MA, Kuper HH, van Leeuwen MA, van de Putte LBA,
   van Riel PLCM. Modified disease activity scores that include twenty-eight-joint
   counts. Development and validation in a prospective longitudinal study of
   patients with rheumatoid arthritis. Arthritis Rheum 1995;38:44-48.
.. [2] Wells G, Becker JC, Teng J, et al. Validation of the 28-joint Disease
   Activity Score (DAS28) and European League Against Rheumatism response
   criteria based on C-reactive protein against disease progression in patients
   with rheumatoid arthritis, and comparison with the DAS28 based on
   erythrocyte sedimentation rate. Ann Rheum Dis 2009;68:954-960.
.. [3] Department of Rheumatology, Radboud University Nijmegen Medical Centre.
   DAS28 formulae (4 and 3 variables, ESR and CRP), https://www.das-score.nl.
.. [4] Fransen J, Creemers MCW, van Riel PLCM. Remission in rheumatoid
   arthritis: agreement of the disease activity score (DAS28) with the ARA
   preliminary remission criteria. Rheumatology 2004;43:1252-1255.
.. [5] van Gestel AM, Haagsma CJ, van Riel PLCM. Validation of rheumatoid
   arthritis improvement criteria that include simplified joint counts.
   Arthritis Rheum 1998;41:1845-1850.
.. [6] McWilliams DF, Zhang W, Mansell JS, Kiely PDW, Young A, Walsh DA.
   Predictors of change in bodily pain in early rheumatoid arthritis: an
   inception cohort study. Arthritis Care Res 2012;64:1505-1513.
.. [7] McWilliams DF, Kiely PDW, Young A, Joharatnam N, Wilson D, Walsh DA.
   Interpretation of DAS28 and its components in the assessment of
   inflammatory and non-inflammatory aspects of rheumatoid arthritis.
   BMC Rheumatol 2018;2:8.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Final

import numpy as np
from numpy.typing import NDArray

from clinscores._core import (
    Activity,
    Domain,
    InputError,
    NumberLike,
    Result,
    categorize,
    evaluate,
    prepare,
)
from clinscores.ra._domains import CRP_MG_L, ESR_MM_H, JOINTS28, VAS_MM

__all__ = [
    "das28_activity",
    "das28_contributions",
    "das28_crp",
    "das28_crp3",
    "das28_esr",
    "das28_esr3",
    "das28_p",
]

# Weights of Prevoo 1995 [1] (ESR) and of the CRP formula [2, 3].
W_TJC: Final = 0.56
W_SJC: Final = 0.28
W_LN_ESR: Final = 0.70
W_LN_CRP: Final = 0.36
W_PTGA: Final = 0.014
CRP_CONSTANT: Final = 0.96
# 3-variable forms [3]: (joint and acute-phase terms) * scale + offset.
ESR3_SCALE: Final = 1.08
ESR3_OFFSET: Final = 0.16
CRP3_SCALE: Final = 1.10
CRP3_OFFSET: Final = 1.15

F64 = NDArray[np.float64]


def _joints(out: F64, tjc: NDArray[Any], sjc: NDArray[Any], tmp: F64) -> None:
    """out = 0.56 sqrt(TJC28) + 0.28 sqrt(SJC28), in place."""
    np.sqrt(tjc, out=out)
    out *= W_TJC
    np.sqrt(sjc, out=tmp)
    tmp *= W_SJC
    out += tmp


def _add_ln_esr(out: F64, esr: NDArray[Any], tmp: F64) -> None:
    np.log(esr, out=tmp)
    tmp *= W_LN_ESR
    out += tmp


def _add_ln_crp(out: F64, crp: NDArray[Any], tmp: F64) -> None:
    np.log1p(crp, out=tmp)
    tmp *= W_LN_CRP
    out += tmp


def _add_ptga(out: F64, ptga: NDArray[Any], tmp: F64) -> None:
    np.multiply(ptga, W_PTGA, out=tmp)
    out += tmp


def _k_esr(out: F64, tjc: F64, sjc: F64, esr: F64, ptga: F64) -> None:
    tmp = np.empty_like(out)
    _joints(out, tjc, sjc, tmp)
    _add_ln_esr(out, esr, tmp)
    _add_ptga(out, ptga, tmp)


def _k_crp(out: F64, tjc: F64, sjc: F64, crp: F64, ptga: F64) -> None:
    tmp = np.empty_like(out)
    _joints(out, tjc, sjc, tmp)
    _add_ln_crp(out, crp, tmp)
    _add_ptga(out, ptga, tmp)
    out += CRP_CONSTANT


def _k_esr3(out: F64, tjc: F64, sjc: F64, esr: F64) -> None:
    tmp = np.empty_like(out)
    _joints(out, tjc, sjc, tmp)
    _add_ln_esr(out, esr, tmp)
    out *= ESR3_SCALE
    out += ESR3_OFFSET


def _k_crp3(out: F64, tjc: F64, sjc: F64, crp: F64) -> None:
    tmp = np.empty_like(out)
    _joints(out, tjc, sjc, tmp)
    _add_ln_crp(out, crp, tmp)
    out *= CRP3_SCALE
    out += CRP3_OFFSET


def das28_esr(tjc28: NumberLike, sjc28: NumberLike, esr: NumberLike, ptga_mm: NumberLike) -> Result:
    r"""DAS28-ESR, the 4-variable Disease Activity Score in 28 joints.

    Parameters
    ----------
    tjc28 : int or array_like
        Tender joint count of the 28-joint assessment [0..28, integer].
    sjc28 : int or array_like
        Swollen joint count of the 28-joint assessment [0..28, integer].
    esr : float or array_like
        Erythrocyte sedimentation rate, Westergren [mm/h, > 0]. The formula
        takes ln(ESR), which is undefined at 0: a charted ESR of 0 is an
        :class:`~clinscores.InputError`; laboratories report such a value as
        below their lowest measurable value, usually 1 mm/h, and that value
        (giving ln 1 = 0) is what should be passed.
    ptga_mm : float or array_like
        Patient global assessment of disease activity (general health) on a
        100 mm visual analogue scale [mm, 0..100].

    Returns
    -------
    float, ndarray or pandas.Series
        The score at full precision (report it with
        ``clinscores.report(x, "das28")``: 2 decimals). NaN where an input is
        missing.

    Raises
    ------
    InputError
        A value outside its domain, a boolean, or a non-number.

    Notes
    -----
    .. math::

        \mathrm{DAS28} = 0.56\sqrt{TJC28} + 0.28\sqrt{SJC28}
                        + 0.70\ln(ESR) + 0.014\,PtGA

    References
    ----------
    .. [1] Prevoo MLL et al. Arthritis Rheum 1995;38:44-48.

    Examples
    --------
    >>> round(das28_esr(tjc28=6, sjc28=4, esr=38, ptga_mm=55), 4)
    5.248
    """
    return evaluate(
        _k_esr,
        ("tjc28", tjc28, JOINTS28),
        ("sjc28", sjc28, JOINTS28),
        ("esr", esr, ESR_MM_H),
        ("ptga_mm", ptga_mm, VAS_MM),
        name="das28_esr",
    )


def das28_crp(
    tjc28: NumberLike, sjc28: NumberLike, crp_mg_l: NumberLike, ptga_mm: NumberLike
) -> Result:
    r"""DAS28-CRP, the 4-variable Disease Activity Score in 28 joints with CRP.

    Parameters
    ----------
    tjc28 : int or array_like
        Tender joint count [0..28, integer].
    sjc28 : int or array_like
        Swollen joint count [0..28, integer].
    crp_mg_l : float or array_like
        C-reactive protein [mg/L, >= 0]. (mg/dL x 10 = mg/L.)
    ptga_mm : float or array_like
        Patient global assessment [mm, 0..100].

    Returns
    -------
    float, ndarray or pandas.Series
        The score at full precision (reported to 2 decimals).

    Notes
    -----
    .. math::

        \mathrm{DAS28\text{-}CRP} = 0.56\sqrt{TJC28} + 0.28\sqrt{SJC28}
            + 0.36\ln(CRP + 1) + 0.014\,PtGA + 0.96

    The DAS28 cut-offs (2.6, 3.2, 5.1) were derived for DAS28-ESR; the CRP
    form tends to give lower values [2]. The categories of
    :func:`das28_activity` apply the same cut-offs, as is common practice.

    References
    ----------
    .. [2] Wells G et al. Ann Rheum Dis 2009;68:954-960.
    .. [3] DAS28 formulae, Radboud University Nijmegen, https://www.das-score.nl.

    Examples
    --------
    >>> round(das28_crp(tjc28=6, sjc28=4, crp_mg_l=12, ptga_mm=55), 4)
    4.5851
    """
    return evaluate(
        _k_crp,
        ("tjc28", tjc28, JOINTS28),
        ("sjc28", sjc28, JOINTS28),
        ("crp_mg_l", crp_mg_l, CRP_MG_L),
        ("ptga_mm", ptga_mm, VAS_MM),
        name="das28_crp",
    )


def das28_esr3(tjc28: NumberLike, sjc28: NumberLike, esr: NumberLike) -> Result:
    r"""DAS28-ESR with 3 variables (no patient global assessment).

    Parameters
    ----------
    tjc28, sjc28 : int or array_like
        Tender and swollen joint counts [0..28, integer].
    esr : float or array_like
        Erythrocyte sedimentation rate [mm/h, > 0].

    Returns
    -------
    float, ndarray or pandas.Series

    Notes
    -----
    .. math::

        (0.56\sqrt{TJC28} + 0.28\sqrt{SJC28} + 0.70\ln ESR) \times 1.08 + 0.16

    References
    ----------
    .. [3] DAS28 formulae, Radboud University Nijmegen, https://www.das-score.nl.

    Examples
    --------
    >>> round(das28_esr3(tjc28=6, sjc28=4, esr=38), 4)
    4.9963
    """
    return evaluate(
        _k_esr3,
        ("tjc28", tjc28, JOINTS28),
        ("sjc28", sjc28, JOINTS28),
        ("esr", esr, ESR_MM_H),
        name="das28_esr3",
    )


def das28_crp3(tjc28: NumberLike, sjc28: NumberLike, crp_mg_l: NumberLike) -> Result:
    r"""DAS28-CRP with 3 variables (no patient global assessment).

    Parameters
    ----------
    tjc28, sjc28 : int or array_like
        Tender and swollen joint counts [0..28, integer].
    crp_mg_l : float or array_like
        C-reactive protein [mg/L, >= 0].

    Returns
    -------
    float, ndarray or pandas.Series

    Notes
    -----
    .. math::

        (0.56\sqrt{TJC28} + 0.28\sqrt{SJC28} + 0.36\ln(CRP + 1)) \times 1.10 + 1.15

    References
    ----------
    .. [3] DAS28 formulae, Radboud University Nijmegen, https://www.das-score.nl.

    Examples
    --------
    >>> round(das28_crp3(tjc28=6, sjc28=4, crp_mg_l=12), 4)
    4.2906
    """
    return evaluate(
        _k_crp3,
        ("tjc28", tjc28, JOINTS28),
        ("sjc28", sjc28, JOINTS28),
        ("crp_mg_l", crp_mg_l, CRP_MG_L),
        name="das28_crp3",
    )


#: Scores a DAS28 can take: >= 0 (every term is >= 0 with ESR >= 1 mm/h);
#: 20 bounds it far above any reachable value (28 tender and 28 swollen
#: joints, PtGA 100 and ESR 150 mm/h give 9.35).
DAS28_SCORE: Final = Domain(0, 20, "DAS28 score")
_DAS28_SCORE: Final = DAS28_SCORE
_DAS28_LABELS: Final = (Activity.REMISSION, Activity.LOW, Activity.MODERATE, Activity.HIGH)
#: (cut-off, upper-inclusive) on the DAS28 reported to 2 decimals [4, 5].
DAS28_CUTS: Final = ((2.6, False), (3.2, True), (5.1, True))


def das28_activity(score: NumberLike) -> Result:
    """Disease-activity category of a DAS28 (any of the four forms).

    Parameters
    ----------
    score : float or array_like
        DAS28 at full precision [0..20]; it is reported (rounded half-up to 2
        decimals) before the cut-offs are applied.

    Returns
    -------
    Activity, None, CodedArray or pandas.Series
        ``remission`` (< 2.6), ``low`` (2.6 to <= 3.2), ``moderate``
        (> 3.2 to <= 5.1), ``high`` (> 5.1); ``None`` where the score is
        missing.

    Raises
    ------
    clinscores.InputError
        For a score outside 0..20 (a DAS28 is never below 0: every term of
        the formulas is >= 0 with ESR >= 1 mm/h) or not a number.

    References
    ----------
    .. [4] Fransen J et al. Rheumatology 2004;43:1252-1255 (remission < 2.6).
    .. [5] van Gestel AM et al. Arthritis Rheum 1998;41:1845-1850 (3.2, 5.1).

    Examples
    --------
    >>> das28_activity(3.204)
    <Activity.LOW: 'low'>
    >>> das28_activity(3.205)
    <Activity.MODERATE: 'moderate'>
    """
    return categorize(
        score,
        decimals=2,
        cuts=DAS28_CUTS,
        labels=_DAS28_LABELS,
        name="score",
        domain=_DAS28_SCORE,
    )


def _components(
    tjc28: NumberLike,
    sjc28: NumberLike,
    ptga_mm: NumberLike,
    esr: NumberLike,
    crp_mg_l: NumberLike,
) -> tuple[dict[str, F64], Callable[[F64, str], Result]]:
    if (esr is None) == (crp_mg_l is None):
        raise InputError(
            "give exactly one of esr (DAS28-ESR) and crp_mg_l (DAS28-CRP); "
            f"got esr = {esr!r}, crp_mg_l = {crp_mg_l!r}"
        )
    if esr is not None:
        lab: tuple[str, object, Domain] = ("esr", esr, ESR_MM_H)
    else:
        lab = ("crp_mg_l", crp_mg_l, CRP_MG_L)
    prep = prepare(
        ("tjc28", tjc28, JOINTS28),
        ("sjc28", sjc28, JOINTS28),
        lab,
        ("ptga_mm", ptga_mm, VAS_MM),
    )
    prep.validate()
    t, s, x, p = (np.asarray(f, dtype=np.float64) for f in prep.flats)
    parts = {
        "tjc28": W_TJC * np.sqrt(t),
        "sjc28": W_SJC * np.sqrt(s),
        lab[0]: W_LN_ESR * np.log(x) if esr is not None else W_LN_CRP * np.log1p(x),
        "ptga_mm": W_PTGA * p,
    }
    if crp_mg_l is not None:
        parts["constant"] = np.float64(CRP_CONSTANT) + 0 * t
    shape = np.broadcast_shapes(*(v.shape for v in parts.values()))
    parts = {k: np.broadcast_to(v, shape).reshape(-1) for k, v in parts.items()}

    def wrap(v: F64, name: str) -> Result:
        return prep.wrap(np.asarray(v, dtype=np.float64), name=name)

    return parts, wrap


def das28_contributions(
    tjc28: NumberLike,
    sjc28: NumberLike,
    ptga_mm: NumberLike,
    *,
    esr: NumberLike = None,
    crp_mg_l: NumberLike = None,
) -> dict[str, Result]:
    r"""Share of each component in a DAS28 (ESR or CRP form, 4 variables).

    Shows whether a score is driven by the patient-reported parts (tender
    joints, global assessment) or by the objective ones (swollen joints,
    acute-phase reactant).

    Parameters
    ----------
    tjc28, sjc28 : int or array_like
        Tender and swollen joint counts [0..28, integer].
    ptga_mm : float or array_like
        Patient global assessment [mm, 0..100].
    esr : float or array_like, keyword-only
        ESR [mm/h, > 0], for DAS28-ESR. Give exactly one of ``esr`` and
        ``crp_mg_l``.
    crp_mg_l : float or array_like, keyword-only
        CRP [mg/L, >= 0], for DAS28-CRP.

    Returns
    -------
    dict
        Component name (``"tjc28"``, ``"sjc28"``, ``"esr"`` or ``"crp_mg_l"``,
        ``"ptga_mm"``, and ``"constant"`` for the CRP form) -> share of the
        score, a fraction; the shares sum to 1. NaN where an input is missing
        or the score is 0. An ESR below 1 mm/h has a negative term and hence a
        negative share.

    Notes
    -----
    Each term of the formula of :func:`das28_esr` / :func:`das28_crp`
    divided by the score.

    References
    ----------
    .. [1] Prevoo MLL et al. Arthritis Rheum 1995;38:44-48.
    .. [7] McWilliams DF et al. BMC Rheumatol 2018;2:8.
    """
    parts, wrap = _components(tjc28, sjc28, ptga_mm, esr, crp_mg_l)
    total = sum(parts.values())
    with np.errstate(invalid="ignore", divide="ignore"):
        shares = {k: np.where(total == 0, np.nan, v / total) for k, v in parts.items()}
    return {k: wrap(v, k) for k, v in shares.items()}


def das28_p(
    tjc28: NumberLike,
    sjc28: NumberLike,
    ptga_mm: NumberLike,
    *,
    esr: NumberLike = None,
    crp_mg_l: NumberLike = None,
) -> Result:
    r"""DAS28-P: the proportion of a DAS28 due to its patient-reported components.

    Parameters
    ----------
    tjc28, sjc28 : int or array_like
        Tender and swollen joint counts [0..28, integer].
    ptga_mm : float or array_like
        Patient global assessment [mm, 0..100].
    esr, crp_mg_l : float or array_like, keyword-only
        Exactly one: ESR [mm/h, > 0] (the published index) or CRP [mg/L].

    Returns
    -------
    float, ndarray or pandas.Series
        A fraction (0..1 for ESR >= 1 mm/h); NaN where an input is missing.

    Notes
    -----
    .. math::

        \mathrm{DAS28\text{-}P} = \frac{0.56\sqrt{TJC28} + 0.014\,PtGA}{\mathrm{DAS28}}

    The index was defined on DAS28-ESR [6, 7]; the CRP variant divides by
    DAS28-CRP, constant term included.

    References
    ----------
    .. [6] McWilliams DF et al. Arthritis Care Res 2012;64:1505-1513.
    .. [7] McWilliams DF et al. BMC Rheumatol 2018;2:8.

    Examples
    --------
    >>> round(das28_p(tjc28=6, sjc28=4, ptga_mm=55, esr=38), 4)
    0.4081
    """
    shares = das28_contributions(tjc28, sjc28, ptga_mm, esr=esr, crp_mg_l=crp_mg_l)
    out: Result = shares["tjc28"] + shares["ptga_mm"]
    if hasattr(out, "rename"):
        out = out.rename("das28_p")
    return out
