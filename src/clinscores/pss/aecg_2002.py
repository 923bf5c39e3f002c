"""American-European Consensus Group (AECG) 2002 criteria for primary Sjögren's syndrome.

References
----------
.. [1] Vitali C, Bombardieri S, Jonsson R, Moutsopoulos HM, Alexander EL,
   Carsons SE, Daniels TE, Fox PC, Fox RI, Kassan SS, Pillemer SR, Talal N,
   Weisman MH; European Study Group on Classification Criteria for
   Sjögren's Syndrome. Classification criteria for Sjögren's syndrome: a
   revised version of the European criteria proposed by the
   American-European Consensus Group. Ann Rheum Dis 2002;61:554-558.
"""

from __future__ import annotations

import math
from typing import Any, Final

import numpy as np
from numpy.typing import ArrayLike, NDArray

from clinscores._core import (
    FLAG,
    OMITTED,
    Bounds,
    Classification,
    Domain,
    Prepared,
    Result,
    classify,
    complete_items,
    prepare,
    split_flag,
)
from clinscores._core import (
    tristate as _tristate,
)

__all__ = [
    "AECG_2002_ITEMS",
    "aecg_2002",
    "aecg_2002_autoantibodies",
    "aecg_2002_histopathology",
    "aecg_2002_ocular_signs",
    "aecg_2002_salivary_involvement",
]

#: The six items (Vitali 2002 [1], Table 2), in order I..VI.
AECG_2002_ITEMS: Final = (
    "ocular_symptoms",
    "oral_symptoms",
    "ocular_signs",
    "histopathology",
    "salivary_involvement",
    "autoantibodies",
)
_OBJECTIVE: Final = ("ocular_signs", "histopathology", "salivary_involvement", "autoantibodies")

# Cut-offs of the objective items (Vitali 2002 [1], Table 2).
SCHIRMER_MAX_MM: Final = 5.0  # Schirmer I without anaesthesia <= 5 mm in 5 min
VAN_BIJSTERVELD_MIN: Final = 4  # rose bengal (or other dye) score >= 4
FOCUS_SCORE_MIN: Final = 1.0  # focus score >= 1 per 4 mm2
SALIVA_MAX_ML_15MIN: Final = 1.5  # unstimulated whole salivary flow <= 1.5 mL in 15 min

SCHIRMER: Final = Domain(0, 35, "mm of wetting in 5 min, Schirmer I without anaesthesia")
VAN_BIJSTERVELD: Final = Domain(0, 9, "van Bijsterveld score", integer=True)
FOCUS_SCORE: Final = Domain(0, math.inf, "lymphocytic foci per 4 mm2 of minor salivary gland")
SALIVA_15MIN: Final = Domain(0, math.inf, "mL of unstimulated whole saliva in 15 min")


def _values(flat: NDArray[Any]) -> NDArray[np.float64]:
    """Float copy rounded to 9 decimals (binary noise cannot decide a cut-off)."""
    x = np.array(flat, dtype=np.float64, ndmin=1)
    np.round(x, 9, out=x)
    return x


def _any_test(
    prep: Prepared, positive: list[NDArray[np.bool_]], done: list[NDArray[np.bool_]], name: str
) -> Result:
    """An item positive on any test: known once positive, or once a test was done.

    The item is positive when any test is positive; negative when at least
    one test was done and none is positive; unknown when no test was done.
    """
    shape = (prep.size,)
    pos = np.zeros(shape, dtype=bool)
    any_done = np.zeros(shape, dtype=bool)
    for p, d in zip(positive, done):
        pos |= p
        any_done |= d
    return _tristate(pos, pos | any_done, prep, name)


def aecg_2002_ocular_signs(
    *,
    schirmer_mm_5min: ArrayLike | None = None,
    van_bijsterveld_score: ArrayLike | None = None,
) -> Result:
    """AECG 2002 item III (ocular signs) from the test results.

    Parameters
    ----------
    schirmer_mm_5min : float or array_like, optional
        Schirmer I test without anaesthesia [mm of wetting in 5 min, 0..35].
    van_bijsterveld_score : int or array_like, optional
        Rose bengal or other ocular dye score [0..9, integer, van
        Bijsterveld].

    Returns
    -------
    bool, None, CodedArray or pandas.Series
        ``True`` when Schirmer <= 5 mm/5 min or the van Bijsterveld score is
        >= 4; ``False`` when a test was done and none is positive; ``None``
        when neither test was done (``None``/NaN).

    References
    ----------
    .. [1] Vitali C et al. Ann Rheum Dis 2002;61:554-558, Table 2.

    Examples
    --------
    >>> aecg_2002_ocular_signs(schirmer_mm_5min=4)
    True
    """
    prep = prepare(
        ("schirmer_mm_5min", schirmer_mm_5min, SCHIRMER),
        ("van_bijsterveld_score", van_bijsterveld_score, VAN_BIJSTERVELD),
    )
    prep.validate()
    s, v = _values(prep.flats[0]), _values(prep.flats[1])
    return _any_test(
        prep,
        [s <= SCHIRMER_MAX_MM, v >= VAN_BIJSTERVELD_MIN],
        [~np.isnan(s), ~np.isnan(v)],
        "ocular_signs",
    )


def aecg_2002_histopathology(focus_score: ArrayLike) -> Result:
    """AECG 2002 item IV (histopathology) from the focus score.

    Parameters
    ----------
    focus_score : float or array_like
        Focus score of minor salivary glands with focal lymphocytic
        sialoadenitis [foci of > 50 lymphocytes per 4 mm2, >= 0]; 0 for a
        biopsy without foci.

    Returns
    -------
    bool, None, CodedArray or pandas.Series
        ``True`` for a focus score >= 1; ``None`` when missing.

    References
    ----------
    .. [1] Vitali C et al. Ann Rheum Dis 2002;61:554-558, Table 2.

    Examples
    --------
    >>> aecg_2002_histopathology(1.0)
    True
    """
    prep = prepare(("focus_score", focus_score, FOCUS_SCORE))
    prep.validate()
    f = _values(prep.flats[0])
    return _any_test(prep, [f >= FOCUS_SCORE_MIN], [~np.isnan(f)], "histopathology")


def aecg_2002_salivary_involvement(
    *,
    unstimulated_saliva_ml_15min: ArrayLike | None = None,
    sialography_sialectasias: ArrayLike | None = None,
    scintigraphy_abnormal: ArrayLike | None = None,
) -> Result:
    """AECG 2002 item V (salivary gland involvement) from the test results.

    Parameters
    ----------
    unstimulated_saliva_ml_15min : float or array_like, optional
        Unstimulated whole salivary flow [mL collected in 15 min, >= 0].
        (A rate in mL/min times 15 gives this value.)
    sialography_sialectasias : bool or array_like, optional
        Parotid sialography showing diffuse sialectasias (punctate, cavitary
        or destructive pattern) without obstruction of the major ducts.
    scintigraphy_abnormal : bool or array_like, optional
        Salivary scintigraphy showing delayed uptake, reduced concentration
        and/or delayed excretion of tracer.

    Returns
    -------
    bool, None, CodedArray or pandas.Series
        ``True`` when any test is positive (flow <= 1.5 mL in 15 min);
        ``False`` when a test was done and none is positive; ``None`` when
        no test was done.

    References
    ----------
    .. [1] Vitali C et al. Ann Rheum Dis 2002;61:554-558, Table 2.

    Examples
    --------
    >>> aecg_2002_salivary_involvement(unstimulated_saliva_ml_15min=1.5)
    True
    """
    prep = prepare(
        ("unstimulated_saliva_ml_15min", unstimulated_saliva_ml_15min, SALIVA_15MIN),
        ("sialography_sialectasias", sialography_sialectasias, FLAG),
        ("scintigraphy_abnormal", scintigraphy_abnormal, FLAG),
    )
    prep.validate()
    u = _values(prep.flats[0])
    sia, sia_unknown = split_flag(prep.flats[1])
    sci, sci_unknown = split_flag(prep.flats[2])
    return _any_test(
        prep,
        [u <= SALIVA_MAX_ML_15MIN, sia, sci],
        [~np.isnan(u), ~sia_unknown, ~sci_unknown],
        "salivary_involvement",
    )


def aecg_2002_autoantibodies(
    *, anti_ssa: ArrayLike | None = None, anti_ssb: ArrayLike | None = None
) -> Result:
    """AECG 2002 item VI (autoantibodies): anti-Ro (SSA) or anti-La (SSB).

    Parameters
    ----------
    anti_ssa : bool or array_like, optional
        Anti-Ro/SSA antibodies present in serum.
    anti_ssb : bool or array_like, optional
        Anti-La/SSB antibodies present in serum.

    Returns
    -------
    bool, None, CodedArray or pandas.Series
        ``True`` when either antibody is present; ``False`` when at least one
        was tested and none is present; ``None`` when neither was tested.

    References
    ----------
    .. [1] Vitali C et al. Ann Rheum Dis 2002;61:554-558, Table 2.

    Examples
    --------
    >>> aecg_2002_autoantibodies(anti_ssa=False, anti_ssb=True)
    True
    """
    prep = prepare(("anti_ssa", anti_ssa, FLAG), ("anti_ssb", anti_ssb, FLAG))
    prep.validate()
    a, a_unknown = split_flag(prep.flats[0])
    b, b_unknown = split_flag(prep.flats[1])
    return _any_test(prep, [a, b], [~a_unknown, ~b_unknown], "autoantibodies")


def aecg_2002(
    ocular_symptoms: ArrayLike,
    oral_symptoms: ArrayLike,
    ocular_signs: ArrayLike,
    histopathology: ArrayLike,
    salivary_involvement: ArrayLike,
    autoantibodies: ArrayLike,
    *,
    exclusion: ArrayLike | None = OMITTED,
    others: ArrayLike | None = OMITTED,
) -> Classification:
    """AECG 2002 classification criteria for primary Sjögren's syndrome.

    Parameters
    ----------
    ocular_symptoms : bool or array_like
        Item I: a positive answer to at least one of: daily, persistent,
        troublesome dry eyes for more than 3 months; recurrent sensation of
        sand or gravel in the eyes; tear substitutes more than 3 times a day.
    oral_symptoms : bool or array_like
        Item II: a positive answer to at least one of: daily feeling of dry
        mouth for more than 3 months; recurrently or persistently swollen
        salivary glands as an adult; frequent drinking of liquids to aid in
        swallowing dry food.
    ocular_signs : bool or array_like
        Item III: Schirmer I <= 5 mm/5 min or rose bengal (or other dye)
        score >= 4 (see :func:`aecg_2002_ocular_signs`).
    histopathology : bool or array_like
        Item IV: focal lymphocytic sialoadenitis with focus score >= 1 in
        minor salivary glands (see :func:`aecg_2002_histopathology`).
    salivary_involvement : bool or array_like
        Item V: unstimulated whole salivary flow <= 1.5 mL/15 min, diffuse
        sialectasias on parotid sialography, or abnormal salivary
        scintigraphy (see :func:`aecg_2002_salivary_involvement`).
    autoantibodies : bool or array_like
        Item VI: anti-Ro (SSA) or anti-La (SSB) antibodies, or both.
    exclusion : bool or array_like
        An excluding condition (see Notes).  ``True`` gives
        ``classified=False``; ``None`` (or per row): not assessed, so the
        items alone decide.  Required (keyword-only): an omitted exclusion
        is never taken as "none", it raises ``TypeError`` unless *others*
        is given.
    others : bool or None, keyword-only
        What ``exclusion`` is when not given: ``False`` (or ``0``) none,
        ``None`` not assessed.  The six items are required arguments.

    Returns
    -------
    Classification
        ``points``: the number of items known present [0..6]; ``domains``:
        each item as 0/1 (known present); ``classified``; ``entry_met`` is
        ``None`` (the criteria have no entry criterion).

    Notes
    -----
    Primary Sjögren's syndrome, in a patient without a potentially
    associated disease, is classified by either rule of Vitali 2002 [1]
    (Table 3):

    a. any 4 of the 6 items, provided item IV (histopathology) or item VI
       (autoantibodies) is positive; or
    b. any 3 of the 4 objective items (III, IV, V, VI).

    The classification-tree alternative (rule c) and the rule for secondary
    Sjögren's syndrome are not implemented.  Exclusion criteria (Table 3 as
    rendered on the journal's web site): past head and neck radiation
    treatment, hepatitis C infection, AIDS, pre-existing lymphoma,
    graft-versus-host disease, use of anticholinergic drugs (within four
    half-lives of the drug).  Many reproductions of the criteria also list
    sarcoidosis; the caller decides what ``exclusion`` covers.

    Missing items (``None``/NaN) make ``classified`` ``None`` only when
    they could change the outcome; both rules are monotone in the items.

    Secondary summaries print the cut-offs as strict inequalities
    ("< 5 mm", "> 4", "> 1", "< 1.5 mL"); the primary table uses <= and >=,
    which is what the helpers apply.

    References
    ----------
    .. [1] Vitali C et al. Classification criteria for Sjögren's syndrome: a
       revised version of the European criteria proposed by the
       American-European Consensus Group. Ann Rheum Dis 2002;61:554-558.

    Examples
    --------
    >>> r = aecg_2002(True, True, True, False, False, True, exclusion=False)
    >>> r.points, r.classified
    (4, True)
    """
    exclusion = complete_items(
        "aecg_2002", {"exclusion": exclusion}, ("exclusion",), others, what="arguments"
    )["exclusion"]
    return classify(
        _rule,
        ("ocular_symptoms", ocular_symptoms, FLAG),
        ("oral_symptoms", oral_symptoms, FLAG),
        ("ocular_signs", ocular_signs, FLAG),
        ("histopathology", histopathology, FLAG),
        ("salivary_involvement", salivary_involvement, FLAG),
        ("autoantibodies", autoantibodies, FLAG),
        ("exclusion", exclusion, FLAG),
    )


def _count(items: dict[str, NDArray[np.bool_]], names: tuple[str, ...]) -> NDArray[np.int8]:
    count = np.array(items[names[0]], dtype=np.int8)
    for k in names[1:]:
        count += items[k]
    return count


def _classified(
    items: dict[str, NDArray[np.bool_]], total: NDArray[np.int8] | None = None
) -> NDArray[np.bool_]:
    """Rules a and b of Vitali 2002 on one completion of the items (*total*: their count)."""
    if total is None:
        total = _count(items, AECG_2002_ITEMS)
    met = total >= 4
    met &= items["histopathology"] | items["autoantibodies"]
    met |= _count(items, _OBJECTIVE) >= 3
    return met


def _rule(blocks: list[NDArray[Any]], m: int) -> Bounds:
    """The criteria on one block, with unknown items absent (low) and present (high)."""
    shape = (m,)
    present: dict[str, NDArray[np.bool_]] = {}
    possible: dict[str, NDArray[np.bool_]] = {}
    for name, flat in zip(AECG_2002_ITEMS, blocks[:6]):
        p, u = split_flag(flat)
        present[name] = np.broadcast_to(p, shape)
        # a yes/no array without missing values (bool) has nothing unknown
        possible[name] = present[name] if flat.dtype.kind == "b" else np.broadcast_to(p | u, shape)
    excluded, _ = split_flag(blocks[6])
    allowed = np.broadcast_to(~excluded, shape)
    points = _count(present, AECG_2002_ITEMS)
    return Bounds(
        points=points,
        low=_classified(present, points) & allowed,
        high=_classified(possible) & allowed,
        domains=present,  # 0/1 points per item
    )
