"""Health Assessment Questionnaire Disability Index (HAQ-DI).

The HAQ-DI asks 20 questions about the difficulty of daily activities over
the past week, in 8 categories, each answered 0 (without any difficulty),
1 (with some difficulty), 2 (with much difficulty) or 3 (unable to do), and
asks which aids or devices, and which help from another person, the patient
usually needs for each category.

References
----------
.. [1] Fries JF, Spitz P, Kraines RG, Holman HR. Measurement of patient
   outcome in arthritis. Arthritis Rheum 1980;23:137-145.
.. [2] Bruce B, Fries JF. The Stanford Health Assessment Questionnaire: a
   review of its history, issues, progress, and documentation.
   J Rheumatol 2003;30:167-178.
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType
from typing import Any, Final

import numpy as np
from numpy.typing import ArrayLike, NDArray

from clinscores._core import (
    FLAG,
    OMITTED,
    Arg,
    Domain,
    Result,
    check_keywords,
    complete_items,
    evaluate,
)

__all__ = [
    "HAQ_DI_CATEGORIES",
    "HAQ_DI_FLAGS",
    "HAQ_DI_ITEMS",
    "HAQ_DI_MIN_CATEGORIES",
    "HAQ_ITEM",
    "haq_di",
]

#: The 8 categories of the HAQ-DI and their 20 questions, in questionnaire
#: order (keyword names are snake_case forms of the questions) [1, 2].
HAQ_DI_CATEGORIES: Final[Mapping[str, tuple[str, ...]]] = MappingProxyType(
    {
        "dressing": ("dress_yourself", "shampoo_hair"),
        "arising": ("stand_up_from_chair", "get_in_out_of_bed"),
        "eating": ("cut_meat", "lift_cup_to_mouth", "open_milk_carton"),
        "walking": ("walk_outdoors", "climb_five_steps"),
        "hygiene": ("wash_and_dry_body", "take_tub_bath", "get_on_off_toilet"),
        "reach": ("reach_object_above_head", "bend_to_pick_up_clothing"),
        "grip": ("open_car_doors", "open_jars", "turn_faucets"),
        "activities": ("run_errands_and_shop", "get_in_out_of_car", "do_chores"),
    }
)
#: Fewest answered categories for which the index is computed [2].
HAQ_DI_MIN_CATEGORIES: Final = 6
#: Category score given at least when aids, devices or help are used [2].
HAQ_DI_AIDS_FLOOR: Final = 2.0

#: One HAQ question: 0 without any difficulty .. 3 unable to do.
HAQ_ITEM: Final = Domain(
    0,
    3,
    "HAQ answer: 0 without any difficulty, 1 some, 2 much difficulty, 3 unable to do",
    integer=True,
)

#: The 20 question keywords, in questionnaire order.
HAQ_DI_ITEMS: Final = tuple(item for items in HAQ_DI_CATEGORIES.values() for item in items)
_ITEMS: Final = HAQ_DI_ITEMS
#: The aid/device and help flags of each category.  No aid or device is
#: listed for the activities category: only help from another person [2].
_FLAGS_OF: Final = {
    c: (("help",) if c == "activities" else ("aids", "help")) for c in HAQ_DI_CATEGORIES
}
#: The aid/device and help flag keywords, ``<category>_aids`` and ``<category>_help``.
HAQ_DI_FLAGS: Final = tuple(f"{c}_{kind}" for c, kinds in _FLAGS_OF.items() for kind in kinds)
_AIDS: Final = HAQ_DI_FLAGS
_KEYWORDS: Final = (*_ITEMS, *_AIDS)


def _kernel(out: NDArray[np.float64], *blocks: NDArray[Any]) -> None:
    items = iter(blocks[: len(_ITEMS)])
    flags = iter(blocks[len(_ITEMS) :])
    m = out.shape[0]
    total_low = np.zeros(m)
    total_high = np.zeros(m)
    answered = np.zeros(m)
    for category, names in HAQ_DI_CATEGORIES.items():
        score = np.full(m, np.nan)
        for _ in names:
            np.fmax(score, np.asarray(next(items), dtype=np.float64), out=score)
        known = ~np.isnan(score)
        used = np.zeros(m, dtype=bool)
        maybe = np.zeros(m, dtype=bool)
        for _ in _FLAGS_OF[category]:
            flag = np.asarray(next(flags), dtype=np.float64)
            used |= flag == 1.0
            maybe |= np.isnan(flag)
        low = np.where(known & used, np.fmax(score, HAQ_DI_AIDS_FLOOR), score)
        high = np.where(known & (used | maybe), np.fmax(score, HAQ_DI_AIDS_FLOOR), score)
        total_low += np.where(known, low, 0.0)
        total_high += np.where(known, high, 0.0)
        answered += known
    ok = (answered >= HAQ_DI_MIN_CATEGORIES) & (total_low == total_high)
    with np.errstate(invalid="ignore", divide="ignore"):
        out[...] = np.where(ok, total_low / answered, np.nan)


def haq_di(*, others: ArrayLike = OMITTED, **answers: ArrayLike) -> Result:
    r"""HAQ-DI, the Health Assessment Questionnaire Disability Index.

    Parameters
    ----------
    **answers : int, bool or array_like
        One keyword per question, the answer over the past week [0..3,
        integer: 0 without any difficulty, 1 with some difficulty, 2 with
        much difficulty, 3 unable to do]; ``None``/NaN for a question left
        unanswered.  The 20 questions by category (see
        :data:`HAQ_DI_CATEGORIES`):

        - dressing and grooming: ``dress_yourself`` (including tying
          shoelaces and doing buttons), ``shampoo_hair``;
        - arising: ``stand_up_from_chair`` (a straight chair),
          ``get_in_out_of_bed``;
        - eating: ``cut_meat``, ``lift_cup_to_mouth`` (a full cup or
          glass), ``open_milk_carton`` (a new one);
        - walking: ``walk_outdoors`` (on flat ground), ``climb_five_steps``;
        - hygiene: ``wash_and_dry_body``, ``take_tub_bath``,
          ``get_on_off_toilet``;
        - reach: ``reach_object_above_head`` (reach and get down a 5 lb
          object from just above the head), ``bend_to_pick_up_clothing``
          (from the floor);
        - grip: ``open_car_doors``, ``open_jars`` (previously opened),
          ``turn_faucets`` (on and off);
        - activities: ``run_errands_and_shop``, ``get_in_out_of_car``,
          ``do_chores`` (such as vacuuming or yard work).

        And two flags per category, ``<category>_aids`` (an aid or device
        usually used for its activities, e.g. a cane or walker for
        ``walking_aids``, a raised toilet seat for ``hygiene_aids``) and
        ``<category>_help`` (help from another person usually needed), for
        the categories ``dressing``, ``arising``, ``eating``, ``walking``,
        ``hygiene``, ``reach``, ``grip``, ``activities`` [True/False]; the
        activities category has only ``activities_help``, as no aid or
        device of the questionnaire belongs to it.  ``False`` is not used
        (the box left unticked), ``None``/NaN unknown.

        Every question and flag must be given: an omitted one is never taken
        as unanswered or as "not used" (a forgotten aid flag would lower the
        index); omitting any raises ``TypeError`` unless *others* says what
        the keywords not given are.
    others : int, bool or None, keyword-only
        What every question and flag not given is: ``0`` or ``False``
        (question answered "without any difficulty", flag not used), or
        ``None``/NaN (question unanswered, flag unknown).  A scalar only.
        Not given: every keyword must be passed.

    Returns
    -------
    float, ndarray or pandas.Series
        The index [0..3], the mean of the category scores over the answered
        categories; NaN when fewer than 6 categories are answered, or when
        an unknown aid or help flag could change a category score.  With
        all 8 categories answered the index moves in steps of 0.125.

    Raises
    ------
    TypeError
        For a keyword that is not a question or flag above, and for
        questions or flags omitted without *others* (the message names every
        one).
    clinscores.InputError
        For an answer outside 0..3 or not a whole number, or a flag that is
        not a boolean, naming the keyword (and the row for arrays).

    Notes
    -----
    A category's score is the highest answer among its questions; a
    category is answered when at least one of its questions is.  When aids
    or devices or help from another person are used for a category, its
    score is raised to 2 (a score of 3 stays 3) [2].  With :math:`s_k` the
    scores of the :math:`n \ge 6` answered categories,

    .. math:: \mathrm{HAQ\text{-}DI} = \frac{1}{n} \sum_k s_k

    (Stanford scoring conventions [2]; the index was introduced in [1]).

    References
    ----------
    .. [1] Fries JF, Spitz P, Kraines RG, Holman HR. Measurement of patient
       outcome in arthritis. Arthritis Rheum 1980;23:137-145.
    .. [2] Bruce B, Fries JF. The Stanford Health Assessment Questionnaire:
       a review of its history, issues, progress, and documentation.
       J Rheumatol 2003;30:167-178.

    Examples
    --------
    Some difficulty dressing and walking, a cane, no other difficulty:

    >>> answers = dict.fromkeys(HAQ_DI_ITEMS, 0)
    >>> answers.update(dress_yourself=1, walk_outdoors=1)
    >>> haq_di(**answers, walking_aids=True, others=False)   # (1 + 2) / 8
    0.375
    """
    check_keywords("haq_di", answers, _KEYWORDS)
    full = complete_items(
        "haq_di",
        answers,
        _KEYWORDS,
        others,
        what="questions and flags",
        absent={**dict.fromkeys(_ITEMS, 0), **dict.fromkeys(_AIDS, False)},
        hint="others=False to record the rest as no difficulty and not used",
    )
    args: list[Arg] = [(name, full[name], HAQ_ITEM) for name in _ITEMS]
    args += [(name, full[name], FLAG) for name in _AIDS]
    return evaluate(_kernel, *args, name="haq_di")
