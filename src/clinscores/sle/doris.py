"""2021 DORIS definition of remission in SLE."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Final

from clinscores._core import (
    FLAG,
    OMITTED,
    Arg,
    Domain,
    FlagLike,
    InputError,
    NumberLike,
    Result,
)
from clinscores.criteria import Masks, all_of, at_most, below, compare, evaluate, flag_is, negate
from clinscores.sle._response import (
    PGA,
    PGA_DECIMALS,
    PREDNISOLONE,
    Block,
    any_present,
    descriptor_args,
)
from clinscores.sle.sledai2k import SLEDAI2K_WEIGHTS

__all__ = [
    "CLINICAL_SLEDAI_DESCRIPTORS",
    "DORIS_PGA_BELOW",
    "DORIS_PREDNISOLONE_MAX_MG_DAY",
    "SEROLOGICAL_DESCRIPTORS",
    "doris_remission",
]

#: The serological SLEDAI-2K descriptors, left out of the clinical SLEDAI.
SEROLOGICAL_DESCRIPTORS: Final = ("low_complement", "increased_dna_binding")
#: The descriptors of the clinical SLEDAI-2K (all but the serological ones).
CLINICAL_SLEDAI_DESCRIPTORS: Final = tuple(
    d for d in SLEDAI2K_WEIGHTS if d not in SEROLOGICAL_DESCRIPTORS
)
#: The physician (evaluator) global assessment must be below this (0..3 scale).
DORIS_PGA_BELOW: Final = 0.5
#: Highest prednisolone-equivalent dose in remission, mg/day.
DORIS_PREDNISOLONE_MAX_MG_DAY: Final = 5.0

_CLINICAL_MAX: Final = sum(SLEDAI2K_WEIGHTS[d] for d in CLINICAL_SLEDAI_DESCRIPTORS)
_CLINICAL_SCORE: Final = Domain(0, _CLINICAL_MAX, "clinical SLEDAI-2K score", integer=True)


def doris_remission(
    *,
    pga: NumberLike,
    prednisolone_mg_day: NumberLike,
    treatment_permitted: FlagLike,
    descriptors: Mapping[str, FlagLike] | None = None,
    clinical_sledai: NumberLike = None,
    others: FlagLike = OMITTED,
) -> Result:
    """Remission by the 2021 DORIS definition (remission on treatment).

    Parameters
    ----------
    pga : float or array_like
        Physician (evaluator) global assessment [0..3].
    prednisolone_mg_day : float or array_like
        Current prednisolone-equivalent dose [mg/day, >= 0].
    treatment_permitted : bool or array_like
        Other SLE treatment, if any, is limited to what the definition
        permits: antimalarials and stable (maintenance) immunosuppressives
        and biologics [True/False; None unknown; True for a patient on none].
    descriptors : mapping of str to bool or array_like, optional
        The clinical SLEDAI-2K descriptors at the visit, keyed as
        :func:`~clinscores.sle.sledai2k` [True present / False absent; None
        unknown].  Every clinical descriptor must be given: an omitted one
        is never taken as absent (see *others*).  The serological
        descriptors (``low_complement``, ``increased_dna_binding``) are
        accepted and ignored: remission holds irrespective of serology.
    clinical_sledai : int or array_like, optional
        The clinical SLEDAI-2K score, when the descriptors are not given
        [0..101 points, whole number; NaN unknown].  Give exactly one of
        *descriptors* and *clinical_sledai*: a scalar ``None`` means "not
        given", so pass NaN for an unknown score.
    others : bool or None, optional
        With *descriptors*: what the clinical descriptors left out are,
        ``False`` (or ``0``) absent, ``None`` unknown.  Not given (the
        default), leaving any out raises ``TypeError``.

    Returns
    -------
    bool, None, CodedArray or pandas.Series
        ``True`` in remission, ``False`` not, ``None`` when a missing value
        could change the answer.

    Raises
    ------
    TypeError
        Naming every clinical descriptor left out of *descriptors*, unless
        *others* is given.
    clinscores.InputError
        For a value outside its domain (naming the parameter, the
        descriptor, and the index for arrays), a key that is not a SLEDAI-2K
        descriptor, neither or both of *descriptors* and *clinical_sledai*,
        or an *others* other than ``False``, ``0`` or ``None``.

    Notes
    -----
    All four conditions must hold [1]_:

    1. clinical SLEDAI-2K :math:`= 0` (the SLEDAI-2K without its
       serological descriptors, anti-dsDNA and complement);
    2. PGA :math:`< 0.5` on the 0..3 scale;
    3. prednisolone (or equivalent) :math:`\\le 5` mg/day;
    4. other treatment limited to antimalarials and stable immunosuppressives
       and biologics.

    PGA and dose are compared as reported to two decimals.

    Sources read: the abstract of [1]_ ("prednisolone 5 mg/day or less") and
    its Table 2, whose final recommendation prints the dose as "<5 mg/day";
    the abstract's "5 mg/day or less" is implemented, and 5 mg/day itself
    is permitted.

    References
    ----------
    .. [1] van Vollenhoven RF, Bertsias G, Doria A, et al. 2021 DORIS
       definition of remission in SLE: final recommendations from an
       international task force. Lupus Sci Med 2021;8(1):e000538.

    Examples
    --------
    >>> doris_remission(descriptors={"low_complement": True}, others=False, pga=0.4,
    ...                 prednisolone_mg_day=5, treatment_permitted=True)
    True
    >>> doris_remission(clinical_sledai=0, pga=0.5, prednisolone_mg_day=0,
    ...                 treatment_permitted=True)
    False
    """
    if (descriptors is None) == (clinical_sledai is None):
        raise InputError(
            "doris_remission needs exactly one of descriptors (a mapping of SLEDAI-2K "
            "descriptors) and clinical_sledai (the clinical SLEDAI-2K score)"
        )
    common: list[Arg] = [
        ("pga", pga, PGA),
        ("prednisolone_mg_day", prednisolone_mg_day, PREDNISOLONE),
        ("treatment_permitted", treatment_permitted, FLAG),
    ]
    pga_below = round(DORIS_PGA_BELOW * 100)
    dose_max = round(DORIS_PREDNISOLONE_MAX_MG_DAY * 100)

    def rest(p: Block, dose: Block, permitted: Block) -> list[Masks]:
        return [
            below(p, pga_below, PGA_DECIMALS),
            at_most(dose, dose_max, PGA_DECIMALS),
            flag_is(permitted, 1.0),
        ]

    if descriptors is not None:
        args = descriptor_args(
            "doris_remission",
            "descriptors",
            descriptors,
            tuple(SLEDAI2K_WEIGHTS),
            others,
            required=CLINICAL_SLEDAI_DESCRIPTORS,
        )
        keep = [i for i, d in enumerate(SLEDAI2K_WEIGHTS) if d in CLINICAL_SLEDAI_DESCRIPTORS]

        def from_descriptors(p: Block, dose: Block, permitted: Block, *desc: Block) -> Masks:
            none = negate(any_present([desc[i] for i in keep]))
            return all_of(none, *rest(p, dose, permitted))

        return evaluate(from_descriptors, [*common, *args], "doris_remission")

    def from_score(p: Block, dose: Block, permitted: Block, score: Block) -> Masks:
        return all_of(compare(score, "==", 0), *rest(p, dose, permitted))

    return evaluate(
        from_score,
        [*common, ("clinical_sledai", clinical_sledai, _CLINICAL_SCORE)],
        "doris_remission",
    )
