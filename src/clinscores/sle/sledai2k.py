"""Systemic Lupus Erythematosus Disease Activity Index 2000 (SLEDAI-2K).

The SLEDAI-2K scores 24 weighted descriptors of lupus activity present at the
visit or in the preceding 10 days (Gladman et al. 2002).  This module holds
the score itself (:func:`sledai2k`), the activity bands
(:func:`sledai2k_activity`), the 4-point improvement used by the SLE
Responder Index (:func:`sledai2k_clinically_important_reduction`) and a
helper that decides the eight laboratory descriptors from measured values
(:func:`sledai2k_lab_descriptors`).
"""

from __future__ import annotations

import math
from types import MappingProxyType
from typing import Any, Final

import numpy as np
from numpy.typing import NDArray

from clinscores._core import (
    FLAG,
    OMITTED,
    Activity,
    Arg,
    Domain,
    FlagLike,
    InputError,
    NumberLike,
    Result,
    categorize,
    check_keywords,
    complete_items,
    evaluate,
    reduction_at_least,
)
from clinscores.criteria import Masks, all_of, any_of, compare, flag_is
from clinscores.criteria import evaluate as evaluate_masks

__all__ = [
    "SLEDAI2K_IMPORTANT_REDUCTION",
    "SLEDAI2K_MAX",
    "SLEDAI2K_WEIGHTS",
    "sledai2k",
    "sledai2k_activity",
    "sledai2k_clinically_important_reduction",
    "sledai2k_lab_descriptors",
]

#: Weight of each SLEDAI-2K descriptor, in the order of the published form
#: (Gladman, Ibañez & Urowitz, J Rheumatol 2002;29:288-291; the weights are
#: those of the original SLEDAI, Bombardier et al., Arthritis Rheum
#: 1992;35:630-640).  Eight descriptors weigh 8, six weigh 4, seven weigh 2
#: and three weigh 1; the maximum score is 105.
SLEDAI2K_WEIGHTS: Final = MappingProxyType(
    {
        "seizure": 8,
        "psychosis": 8,
        "organic_brain_syndrome": 8,
        "visual_disturbance": 8,
        "cranial_nerve_disorder": 8,
        "lupus_headache": 8,
        "cva": 8,
        "vasculitis": 8,
        "arthritis": 4,
        "myositis": 4,
        "urinary_casts": 4,
        "hematuria": 4,
        "proteinuria": 4,
        "pyuria": 4,
        "rash": 2,
        "alopecia": 2,
        "mucosal_ulcers": 2,
        "pleurisy": 2,
        "pericarditis": 2,
        "low_complement": 2,
        "increased_dna_binding": 2,
        "fever": 1,
        "thrombocytopenia": 1,
        "leukopenia": 1,
    }
)

#: Highest possible SLEDAI-2K score (all 24 descriptors present).
SLEDAI2K_MAX: Final = sum(SLEDAI2K_WEIGHTS.values())

_SCORE_DOMAIN: Final = Domain(0, SLEDAI2K_MAX, "SLEDAI-2K score", integer=True)


def sledai2k(*, others: FlagLike = OMITTED, **descriptors: FlagLike) -> Result:
    """SLEDAI-2K total score: the sum of the weights of the descriptors present.

    Parameters
    ----------
    **descriptors : bool or array_like of bool
        One keyword per descriptor, ``True``/``1`` when present at the visit
        or in the preceding 10 days and attributable to lupus, ``False``/``0``
        when absent, ``None``/NaN when unknown.  Every descriptor must be
        given: an omitted descriptor is never taken as absent (a forgotten
        descriptor would lower the score), it raises ``TypeError`` unless
        *others* says what the descriptors not given are.  The 24 keywords
        and their weights [points]:

        - 8: ``seizure``, ``psychosis``, ``organic_brain_syndrome``,
          ``visual_disturbance``, ``cranial_nerve_disorder``,
          ``lupus_headache``, ``cva``, ``vasculitis``;
        - 4: ``arthritis``, ``myositis``, ``urinary_casts``, ``hematuria``,
          ``proteinuria``, ``pyuria``;
        - 2: ``rash``, ``alopecia``, ``mucosal_ulcers``, ``pleurisy``,
          ``pericarditis``, ``low_complement``, ``increased_dna_binding``;
        - 1: ``fever``, ``thrombocytopenia``, ``leukopenia``.

        Arrays (lists, numpy arrays, pandas Series) are scored row by row
        and broadcast against each other and against scalars.
    others : bool or None, keyword-only
        What every descriptor not given is: ``False`` (or ``0``) absent,
        ``None``/NaN unknown (the score is then NaN).  A scalar only.  Not
        given: every descriptor must be passed.

    Returns
    -------
    int, float, ndarray or pandas.Series
        The score [0..105 points].  A scalar result is an ``int``, or
        ``nan`` when a descriptor is unknown.  On arrays, a float64 array of
        whole numbers with NaN for rows with an unknown descriptor.

    Raises
    ------
    TypeError
        For a keyword that is not one of the 24 descriptors, and for
        omitted descriptors without *others* (the message names every one).
    clinscores.InputError
        For a value that is not a boolean (or 0/1), naming the descriptor
        and, for arrays, the index; for an *others* that is not ``False``,
        ``0`` or ``None``.

    Notes
    -----
    .. math:: \\mathrm{SLEDAI\\text{-}2K} = \\sum_{i=1}^{24} w_i \\, x_i,
              \\quad x_i \\in \\{0, 1\\},\\ w_i \\in \\{8, 4, 2, 1\\}

    SLEDAI-2K keeps the descriptors and weights of the original SLEDAI and
    changes four definitions so that persistent activity counts: rash,
    alopecia, mucosal ulcers and proteinuria score whenever present, not only
    when new or recurrent.  The laboratory thresholds of the form (see
    :func:`sledai2k_lab_descriptors`) are: haematuria and pyuria > 5 cells
    per high-power field, proteinuria > 0.5 g/24 h, fever > 38 °C,
    thrombocytopenia < 100 x 10^9/L, leukopenia < 3 x 10^9/L, low
    complement below the laboratory's lower limit, increased DNA binding
    above its normal range.

    Deciding that a descriptor is present, and attributable to lupus, is the
    clinician's task; this function only adds the weights.

    References
    ----------
    .. [1] Gladman DD, Ibañez D, Urowitz MB. Systemic lupus erythematosus
       disease activity index 2000. J Rheumatol 2002;29(2):288-291.
    .. [2] Bombardier C, Gladman DD, Urowitz MB, Caron D, Chang CH, and the
       Committee on Prognosis Studies in SLE. Derivation of the SLEDAI: a
       disease activity index for lupus patients. Arthritis Rheum
       1992;35(6):630-640.

    Examples
    --------
    >>> sledai2k(arthritis=True, rash=True, low_complement=True,
    ...          increased_dna_binding=True, others=False)
    10
    >>> sledai2k(arthritis=True, proteinuria=None, others=False)
    nan
    >>> sledai2k(arthritis=True)  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    TypeError: sledai2k() missing 23 descriptors: seizure, psychosis, ...
    """
    check_keywords("sledai2k", descriptors, SLEDAI2K_WEIGHTS)
    full = complete_items(
        "sledai2k", descriptors, tuple(SLEDAI2K_WEIGHTS), others, what="descriptors"
    )
    names = [name for name in SLEDAI2K_WEIGHTS if full[name] is not False]
    weights = [float(SLEDAI2K_WEIGHTS[name]) for name in names]
    args: list[Arg] = [(name, full[name], FLAG) for name in names]

    def kernel(out: NDArray[np.float64], *blocks: NDArray[Any]) -> None:
        out[...] = 0.0
        for weight, block in zip(weights, blocks):
            if block.ndim == 0:
                out += weight * float(block)
            else:
                out += np.multiply(block, weight, dtype=np.float64)

    return evaluate(kernel, *args, integer=True, name="sledai2k")


def sledai2k_activity(score: NumberLike) -> Result:
    """Disease-activity band of a SLEDAI-2K score.

    Parameters
    ----------
    score : int or array_like
        SLEDAI-2K score [0..105 points, whole number]; ``None``/NaN when
        unknown.

    Returns
    -------
    Activity, None, CodedArray or pandas.Series
        ``Activity.NONE`` (0), ``Activity.MILD`` (1-5),
        ``Activity.MODERATE`` (6-10), ``Activity.HIGH`` (11-19),
        ``Activity.VERY_HIGH`` (>= 20); ``None`` for a missing score.

    Raises
    ------
    clinscores.InputError
        For a score that is not a whole number in 0..105.

    Notes
    -----
    The bands are the categories of the SLEDAI score analysed by Cook et
    al. [1]_ (0, 1-5, 6-10, 11-19, 20 or more), in which the six-month
    mortality rose with each band (relative risks 1.28, 2.34, 4.74 and 14.11
    against a score of 0); the names none/mild/moderate/high/very high are
    the conventional labels of these bands.  The bands were derived on the
    original SLEDAI, which shares its descriptors and weights with
    SLEDAI-2K [2]_.  Other gradings are in use (for example 0 / 1-4 / 5-10 /
    > 10); this function implements only the bands of [1]_.

    References
    ----------
    .. [1] Cook RJ, Gladman DD, Pericak D, Urowitz MB. Prediction of short
       term mortality in systemic lupus erythematosus with time dependent
       measures of disease activity. J Rheumatol 2000;27(8):1892-1895.
    .. [2] Gladman DD, Ibañez D, Urowitz MB. Systemic lupus erythematosus
       disease activity index 2000. J Rheumatol 2002;29(2):288-291.

    Examples
    --------
    >>> sledai2k_activity(10)
    <Activity.MODERATE: 'moderate'>
    >>> sledai2k_activity(20) == "very_high"
    True
    """
    return categorize(
        score,
        decimals=0,
        cuts=[(0, True), (5, True), (10, True), (19, True)],
        labels=[
            Activity.NONE,
            Activity.MILD,
            Activity.MODERATE,
            Activity.HIGH,
            Activity.VERY_HIGH,
        ],
        name="score",
        domain=_SCORE_DOMAIN,
    )


#: Minimum fall of the score that counts as a clinically important
#: improvement in the SLE Responder Index (Furie et al. 2009).
SLEDAI2K_IMPORTANT_REDUCTION: Final = 4


def sledai2k_clinically_important_reduction(baseline: NumberLike, current: NumberLike) -> Result:
    """Whether the score fell by at least 4 points from baseline.

    Parameters
    ----------
    baseline : int or array_like
        SLEDAI-2K score at baseline [0..105 points, whole number].
    current : int or array_like
        SLEDAI-2K score at the current visit [0..105 points, whole number].

    Returns
    -------
    bool, None, CodedArray or pandas.Series
        ``True`` when ``baseline - current >= 4``; ``None`` when either score
        is missing.

    Raises
    ------
    clinscores.InputError
        For a score that is not a whole number in 0..105.

    Notes
    -----
    .. math:: \\mathrm{baseline} - \\mathrm{current} \\ge 4

    This is the SLEDAI component of the SLE Responder Index (SRI-4) [1]_.
    The full SRI also requires no new BILAG A and no more than one new
    BILAG B domain score, and no worsening of the physician's global
    assessment by 0.3 points or more; those are not checked here.  The SRI
    was defined on the SELENA-SLEDAI; trials and cohorts apply the same
    4-point reduction to SLEDAI-2K [2]_, whose descriptors and weights are
    the same.

    References
    ----------
    .. [1] Furie RA, Petri MA, Wallace DJ, et al. Novel evidence-based
       systemic lupus erythematosus responder index. Arthritis Rheum
       2009;61(9):1143-1151.
    .. [2] Gladman DD, Ibañez D, Urowitz MB. Systemic lupus erythematosus
       disease activity index 2000. J Rheumatol 2002;29(2):288-291.

    Examples
    --------
    >>> sledai2k_clinically_important_reduction(10, 6)
    True
    >>> sledai2k_clinically_important_reduction(10, 7)
    False
    """

    return reduction_at_least(
        baseline,
        current,
        SLEDAI2K_IMPORTANT_REDUCTION,
        _SCORE_DOMAIN,
        "clinically_important_reduction",
    )


# --------------------------------------------------------------------------
# laboratory descriptors
# --------------------------------------------------------------------------

#: Thresholds of the SLEDAI-2K form (Gladman et al. 2002).
PLATELETS_BELOW_1E9_L: Final = 100.0
WBC_BELOW_1E9_L: Final = 3.0
PROTEIN_ABOVE_G_24H: Final = 0.5
CELLS_ABOVE_PER_HPF: Final = 5.0
TEMPERATURE_ABOVE_C: Final = 38.0

_PLATELETS = Domain(0, 5000, "platelet count, x10^9/L")
_WBC = Domain(0, 1000, "white blood cell count, x10^9/L")
_PROTEIN = Domain(0, 100, "urine protein, g/24 h")
_HPF = Domain(0, math.inf, "cells per high-power field")
_TEMPERATURE = Domain(15, 45, "body temperature, degrees Celsius")
_C3 = Domain(0, 10, "C3, g/L")
_C4 = Domain(0, 5, "C4, g/L")
_C3_LIMIT = Domain(0, 10, "C3 lower limit of normal, g/L", lo_open=True)
_C4_LIMIT = Domain(0, 5, "C4 lower limit of normal, g/L", lo_open=True)
_CH50 = Domain(0, math.inf, "CH50, laboratory units")
_CH50_LIMIT = Domain(0, math.inf, "CH50 lower limit of normal, laboratory units", lo_open=True)
_DSDNA = Domain(0, math.inf, "anti-dsDNA, laboratory units")
_DSDNA_LIMIT = Domain(
    0, math.inf, "anti-dsDNA upper limit of normal, laboratory units", lo_open=True
)


def _descriptor(name: str, rule: Any, *args: Arg) -> Result:
    """Evaluate one lab descriptor: True/False/None, or met / not met / unknown per row."""
    return evaluate_masks(rule, args, name)


def _require_limit(value: object, value_name: str, limit: object, limit_name: str) -> None:
    if value is not None and limit is None:
        raise InputError(
            f"{limit_name} = None: the laboratory limit is required when {value_name} is given"
        )


#: (measurement, the exclusion flag that goes with it) of the lab descriptors.
_EXCLUSIONS: Final = (
    ("platelets_1e9_l", "thrombocytopenia_drug_induced"),
    ("wbc_1e9_l", "leukopenia_drug_induced"),
    ("rbc_per_hpf", "hematuria_other_cause"),
    ("wbc_per_hpf", "pyuria_infection"),
    ("temperature_c", "fever_infection"),
)


def sledai2k_lab_descriptors(
    *,
    platelets_1e9_l: NumberLike = None,
    thrombocytopenia_drug_induced: FlagLike = OMITTED,
    wbc_1e9_l: NumberLike = None,
    leukopenia_drug_induced: FlagLike = OMITTED,
    urine_protein_g_24h: NumberLike = None,
    rbc_per_hpf: NumberLike = None,
    hematuria_other_cause: FlagLike = OMITTED,
    wbc_per_hpf: NumberLike = None,
    pyuria_infection: FlagLike = OMITTED,
    temperature_c: NumberLike = None,
    fever_infection: FlagLike = OMITTED,
    c3_g_l: NumberLike = None,
    c3_lln_g_l: NumberLike = None,
    c4_g_l: NumberLike = None,
    c4_lln_g_l: NumberLike = None,
    ch50: NumberLike = None,
    ch50_lln: NumberLike = None,
    anti_dsdna: NumberLike = None,
    anti_dsdna_uln: NumberLike = None,
    others: FlagLike = OMITTED,
) -> dict[str, Result]:
    """Decide the eight laboratory descriptors of SLEDAI-2K from measured values.

    The result is a dict keyed by :func:`sledai2k` keywords, so that
    ``sledai2k(**clinical, **sledai2k_lab_descriptors(...))`` scores a visit.
    A measurement that is omitted or ``None``/NaN makes its descriptor
    unknown (never absent), so the score is NaN until it is supplied.  The
    exclusion flag of a measurement that is given (drug, infection or other
    cause) must be given too: an omitted exclusion is never taken as "no
    other cause"; it raises ``TypeError`` unless *others* says what the
    flags not given are.

    Parameters
    ----------
    platelets_1e9_l : float or array_like
        Platelet count [0..5000 x10^9/L].
    thrombocytopenia_drug_induced : bool or array_like
        A low platelet count explained by a drug (the form excludes drug
        causes).
    wbc_1e9_l : float or array_like
        White blood cell count [0..1000 x10^9/L].
    leukopenia_drug_induced : bool or array_like
        A low white cell count explained by a drug (excluded by the form).
    urine_protein_g_24h : float or array_like
        Urine protein in a 24-hour collection [0..100 g/24 h].
    rbc_per_hpf : float or array_like
        Urine red blood cells [>= 0 per high-power field].
    hematuria_other_cause : bool or array_like
        Haematuria explained by stone, infection or another cause (excluded).
    wbc_per_hpf : float or array_like
        Urine white blood cells [>= 0 per high-power field].
    pyuria_infection : bool or array_like
        Pyuria explained by infection (excluded).
    temperature_c : float or array_like
        Body temperature [15..45 °C].
    fever_infection : bool or array_like
        Fever explained by infection (excluded).
    c3_g_l, c4_g_l : float or array_like
        Serum C3 [0..10 g/L] and C4 [0..5 g/L].
    c3_lln_g_l, c4_lln_g_l : float or array_like
        The testing laboratory's lower limits of normal [> 0 g/L]; required
        when the matching measurement is given.
    ch50, ch50_lln : float or array_like, optional
        Total haemolytic complement and its lower limit of normal [> 0, in
        the laboratory's units].  CH50 is considered only when given.
    anti_dsdna, anti_dsdna_uln : float or array_like
        DNA binding and the laboratory's upper limit of normal [>= 0, same
        units, e.g. IU/mL].
    others : bool or None, keyword-only
        What every exclusion flag not given is: ``False`` (or ``0``) no
        other cause, ``None``/NaN unknown (an abnormal value is then
        unknown).  A scalar only.  Not given: the exclusion flag of each
        measurement given must be passed (flags of measurements not given
        are not needed).

    Returns
    -------
    dict of str to bool, None, ndarray or pandas.Series
        Keys ``thrombocytopenia``, ``leukopenia``, ``proteinuria``,
        ``hematuria``, ``pyuria``, ``fever``, ``low_complement``,
        ``increased_dna_binding``.  For scalar inputs each value is
        ``True``/``False``/``None`` (unknown); for array inputs a met / not
        met / unknown :class:`~clinscores.CodedArray` (a ``"boolean"``
        Series for Series input), which :func:`sledai2k` accepts as is.

    Raises
    ------
    TypeError
        For a measurement given without its exclusion flag, and without
        *others* (the message names every such flag).
    clinscores.InputError
        For a value outside its domain (naming the parameter and, for
        arrays, the index), or a measurement given without its laboratory
        limit.

    Notes
    -----
    Thresholds of the SLEDAI-2K form [1]_ (strict inequalities):

    - thrombocytopenia: platelets < 100 x10^9/L, not drug induced;
    - leukopenia: white cells < 3 x10^9/L, not drug induced;
    - proteinuria: > 0.5 g/24 h;
    - haematuria: > 5 red cells/hpf, not due to stone, infection or other cause;
    - pyuria: > 5 white cells/hpf, not due to infection;
    - fever: > 38 °C, not due to infection;
    - low complement: C3, C4 (or CH50, when measured) below the lower
      limit of normal of the testing laboratory;
    - increased DNA binding: above the normal range of the testing
      laboratory.

    Unknown values follow three-valued logic: low complement is present if
    any measured component is low, and unknown only when no component is
    low and one of C3/C4 (or a given CH50) is missing.  An exclusion flag
    that is unknown leaves an abnormal finding unknown.

    A spot urine protein/creatinine ratio is deliberately not accepted: the
    form defines proteinuria on a 24-hour collection, and the index's
    authors found the spot ratio suitable for screening but not as a
    substitute for the 24-hour measurement [2]_.

    References
    ----------
    .. [1] Gladman DD, Ibañez D, Urowitz MB. Systemic lupus erythematosus
       disease activity index 2000. J Rheumatol 2002;29(2):288-291.
    .. [2] Medina-Rosas J, Gladman DD, Su J, Sabapathy A, Urowitz MB,
       Touma Z. Utility of untimed single urine protein/creatinine ratio as
       a substitute for 24-h proteinuria for assessment of proteinuria in
       systemic lupus erythematosus. Arthritis Res Ther 2015;17:296.

    Examples
    --------
    >>> labs = sledai2k_lab_descriptors(
    ...     platelets_1e9_l=85, wbc_1e9_l=4.2, urine_protein_g_24h=0.8,
    ...     rbc_per_hpf=2, wbc_per_hpf=1, temperature_c=37.0,
    ...     c3_g_l=0.6, c3_lln_g_l=0.9, c4_g_l=0.2, c4_lln_g_l=0.1,
    ...     anti_dsdna=120, anti_dsdna_uln=30, others=False)
    >>> labs["thrombocytopenia"], labs["leukopenia"], labs["low_complement"]
    (True, False, True)
    >>> sledai2k(**labs, others=False)
    9
    """
    given = {
        "platelets_1e9_l": platelets_1e9_l,
        "thrombocytopenia_drug_induced": thrombocytopenia_drug_induced,
        "wbc_1e9_l": wbc_1e9_l,
        "leukopenia_drug_induced": leukopenia_drug_induced,
        "rbc_per_hpf": rbc_per_hpf,
        "hematuria_other_cause": hematuria_other_cause,
        "wbc_per_hpf": wbc_per_hpf,
        "pyuria_infection": pyuria_infection,
        "temperature_c": temperature_c,
        "fever_infection": fever_infection,
    }
    needed = [flag for value, flag in _EXCLUSIONS if given[value] is not None]
    flags = complete_items(
        "sledai2k_lab_descriptors",
        given,
        needed,
        others,
        what="exclusion flags",
        hint="others=False to record no other cause for the rest",
    )
    thrombocytopenia_drug_induced = flags.get("thrombocytopenia_drug_induced")
    leukopenia_drug_induced = flags.get("leukopenia_drug_induced")
    hematuria_other_cause = flags.get("hematuria_other_cause")
    pyuria_infection = flags.get("pyuria_infection")
    fever_infection = flags.get("fever_infection")
    _require_limit(c3_g_l, "c3_g_l", c3_lln_g_l, "c3_lln_g_l")
    _require_limit(c4_g_l, "c4_g_l", c4_lln_g_l, "c4_lln_g_l")
    _require_limit(ch50, "ch50", ch50_lln, "ch50_lln")
    _require_limit(anti_dsdna, "anti_dsdna", anti_dsdna_uln, "anti_dsdna_uln")

    def low_and_not(limit: float) -> Any:
        return lambda x, excl: all_of(compare(x, "<", limit), flag_is(excl, 0.0))

    def high_and_not(limit: float) -> Any:
        return lambda x, excl: all_of(compare(x, ">", limit), flag_is(excl, 0.0))

    result: dict[str, Result] = {
        "thrombocytopenia": _descriptor(
            "thrombocytopenia",
            low_and_not(PLATELETS_BELOW_1E9_L),
            ("platelets_1e9_l", platelets_1e9_l, _PLATELETS),
            ("thrombocytopenia_drug_induced", thrombocytopenia_drug_induced, FLAG),
        ),
        "leukopenia": _descriptor(
            "leukopenia",
            low_and_not(WBC_BELOW_1E9_L),
            ("wbc_1e9_l", wbc_1e9_l, _WBC),
            ("leukopenia_drug_induced", leukopenia_drug_induced, FLAG),
        ),
        "proteinuria": _descriptor(
            "proteinuria",
            lambda x: compare(x, ">", PROTEIN_ABOVE_G_24H),
            ("urine_protein_g_24h", urine_protein_g_24h, _PROTEIN),
        ),
        "hematuria": _descriptor(
            "hematuria",
            high_and_not(CELLS_ABOVE_PER_HPF),
            ("rbc_per_hpf", rbc_per_hpf, _HPF),
            ("hematuria_other_cause", hematuria_other_cause, FLAG),
        ),
        "pyuria": _descriptor(
            "pyuria",
            high_and_not(CELLS_ABOVE_PER_HPF),
            ("wbc_per_hpf", wbc_per_hpf, _HPF),
            ("pyuria_infection", pyuria_infection, FLAG),
        ),
        "fever": _descriptor(
            "fever",
            high_and_not(TEMPERATURE_ABOVE_C),
            ("temperature_c", temperature_c, _TEMPERATURE),
            ("fever_infection", fever_infection, FLAG),
        ),
    }

    complement_args: list[Arg] = [
        ("c3_g_l", c3_g_l, _C3),
        ("c3_lln_g_l", c3_lln_g_l, _C3_LIMIT),
        ("c4_g_l", c4_g_l, _C4),
        ("c4_lln_g_l", c4_lln_g_l, _C4_LIMIT),
    ]
    with_ch50 = ch50 is not None or ch50_lln is not None
    if with_ch50:
        complement_args += [("ch50", ch50, _CH50), ("ch50_lln", ch50_lln, _CH50_LIMIT)]

    def low_complement(*blocks: NDArray[Any]) -> Masks:
        return any_of(*(compare(blocks[i], "<", blocks[i + 1]) for i in range(0, len(blocks), 2)))

    result["low_complement"] = _descriptor("low_complement", low_complement, *complement_args)
    result["increased_dna_binding"] = _descriptor(
        "increased_dna_binding",
        lambda x, lim: compare(x, ">", lim),
        ("anti_dsdna", anti_dsdna, _DSDNA),
        ("anti_dsdna_uln", anti_dsdna_uln, _DSDNA_LIMIT),
    )
    return result
