"""Modified Rodnan skin score (mRSS) for systemic sclerosis.

Skin thickness graded 0..3 by palpation at 17 body areas and summed (0..51).
"""

from __future__ import annotations

from typing import Any, Final

import numpy as np
from numpy.typing import NDArray

from clinscores._core import Domain, NumberLike, Result, evaluate

__all__ = ["MRSS_SITES", "SITE_GRADE", "mrss"]

#: The 17 body areas of the modified Rodnan skin score, as keyword names.
MRSS_SITES: Final = (
    "face",
    "anterior_chest",
    "abdomen",
    "right_fingers",
    "left_fingers",
    "right_hand",
    "left_hand",
    "right_forearm",
    "left_forearm",
    "right_upper_arm",
    "left_upper_arm",
    "right_thigh",
    "left_thigh",
    "right_leg",
    "left_leg",
    "right_foot",
    "left_foot",
)

#: Skin thickness grade of one area: 0 normal, 1 mild, 2 moderate, 3 severe.
SITE_GRADE: Final = Domain(
    0, 3, "integer skin thickness grade: 0 normal, 1 mild, 2 moderate, 3 severe", integer=True
)


def _sum_kernel(out: NDArray[np.float64], *grades: NDArray[Any]) -> None:
    out[...] = 0.0
    for g in grades:
        out += g  # NaN (unknown grade) propagates to the total


def mrss(
    *,
    face: NumberLike,
    anterior_chest: NumberLike,
    abdomen: NumberLike,
    right_fingers: NumberLike,
    left_fingers: NumberLike,
    right_hand: NumberLike,
    left_hand: NumberLike,
    right_forearm: NumberLike,
    left_forearm: NumberLike,
    right_upper_arm: NumberLike,
    left_upper_arm: NumberLike,
    right_thigh: NumberLike,
    left_thigh: NumberLike,
    right_leg: NumberLike,
    left_leg: NumberLike,
    right_foot: NumberLike,
    left_foot: NumberLike,
) -> Result:
    """Modified Rodnan skin score: sum of 17 site grades.

    Every site is required (keyword-only). Each grade is an integer 0..3,
    a scalar or an array-like (list, ndarray, pandas Series) with one value
    per patient; ``None`` or NaN marks a site not assessed.

    Parameters
    ----------
    face : int or array_like of int
        Face [0..3].
    anterior_chest : int or array_like of int
        Anterior chest [0..3].
    abdomen : int or array_like of int
        Abdomen [0..3].
    right_fingers, left_fingers : int or array_like of int
        Fingers of the right / left hand [0..3].
    right_hand, left_hand : int or array_like of int
        Dorsum of the right / left hand [0..3].
    right_forearm, left_forearm : int or array_like of int
        Right / left forearm [0..3].
    right_upper_arm, left_upper_arm : int or array_like of int
        Right / left upper arm [0..3].
    right_thigh, left_thigh : int or array_like of int
        Right / left thigh [0..3].
    right_leg, left_leg : int or array_like of int
        Right / left lower leg [0..3].
    right_foot, left_foot : int or array_like of int
        Dorsum of the right / left foot [0..3].

    Returns
    -------
    int, float, ndarray or pandas.Series
        Total skin score [0..51]: a Python ``int`` for scalar input (``nan``
        when any site is missing); for arrays, a float64 array of exact
        integers with NaN where any site of that row is missing.

    Raises
    ------
    InputError
        A grade that is not an integer in 0..3 (e.g. ``4``, ``-1``, ``1.5``,
        ``True``, ``"mild"``); the message names the site and, for arrays,
        the index.
    TypeError
        A site omitted (the message names it) or an unknown keyword.

    Notes
    -----
    .. math::

        \\mathrm{mRSS} = \\sum_{i=1}^{17} g_i, \\qquad g_i \\in \\{0, 1, 2, 3\\}

    Grades: 0 normal skin, 1 mild, 2 moderate, 3 severe thickening. The 17
    areas are the face, anterior chest and abdomen, and on each side the
    fingers, the dorsum of the hand, the forearm, the upper arm, the thigh,
    the lower leg and the dorsum of the foot.

    Missing is not zero: a site not assessed makes the total unknown (NaN)
    rather than being counted as normal skin, and every site must be passed
    explicitly so that a forgotten site raises instead of scoring 0.

    This is the modified score (17 areas, 0..3, maximum 51); the original
    Rodnan score (26 areas graded 0..4) and the Kahaleh score (22 sites) are
    different instruments.

    References
    ----------
    .. [1] Clements P, Lachenbruch P, Siebold J, et al. Inter and
       intraobserver variability of total skin thickness score (modified
       Rodnan TSS) in systemic sclerosis. J Rheumatol 1995;22(7):1281-1285.
    .. [2] Clements PJ, Lachenbruch PA, Seibold JR, et al. Skin thickness
       score in systemic sclerosis: an assessment of interobserver
       variability in 3 independent studies. J Rheumatol
       1993;20(11):1892-1896.
    .. [3] Khanna D, Furst DE, Clements PJ, et al. Standardization of the
       modified Rodnan skin score for use in clinical trials of systemic
       sclerosis. J Scleroderma Relat Disord 2017;2(1):11-18.
       doi:10.5301/jsrd.5000231.

    Examples
    --------
    >>> grades = dict.fromkeys(MRSS_SITES, 0)
    >>> grades.update(right_fingers=2, left_fingers=2, right_hand=1, left_hand=1, face=1)
    >>> mrss(**grades)
    7
    """
    values = (
        face,
        anterior_chest,
        abdomen,
        right_fingers,
        left_fingers,
        right_hand,
        left_hand,
        right_forearm,
        left_forearm,
        right_upper_arm,
        left_upper_arm,
        right_thigh,
        left_thigh,
        right_leg,
        left_leg,
        right_foot,
        left_foot,
    )
    args = [(name, value, SITE_GRADE) for name, value in zip(MRSS_SITES, values)]
    return evaluate(_sum_kernel, *args, integer=True, name="mrss")
