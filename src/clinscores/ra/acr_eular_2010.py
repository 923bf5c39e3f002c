"""2010 ACR/EULAR classification criteria for rheumatoid arthritis.

References
----------
.. [1] Aletaha D, Neogi T, Silman AJ, et al. 2010 Rheumatoid arthritis
   classification criteria: an American College of Rheumatology/European
   League Against Rheumatism collaborative initiative. Arthritis Rheum
   2010;62:2569-2581 (and Ann Rheum Dis 2010;69:1580-1588).
"""

from __future__ import annotations

import math
from typing import Any, Final

import numpy as np
from numpy.typing import NDArray

from clinscores._core import (
    FLAG,
    JUDGEMENT_BLOCK,
    Bounds,
    Classification,
    Domain,
    InputError,
    NumberLike,
    Result,
    classify,
    compute,
    split_flag,
)

__all__ = ["acr_eular_2010", "serology_level"]

#: Serology levels and their points [1].
SEROLOGY_POINTS: Final = {"negative": 0.0, "low_positive": 2.0, "high_positive": 3.0}
#: RF / ACPA: the level words only (a number, even 0..3, is refused: the
#: criteria have no 1-point serology, and a titre is not a level).
SEROLOGY: Final = Domain(
    0, 3, "serology level", integer=True, words=SEROLOGY_POINTS, words_only=True
)
#: The serology points the level words stand for, as the table reader
#: (:mod:`clinscores.frame`) passes them: 0, 2 or 3.
_SEROLOGY_POINTS_DOMAIN: Final = Domain(
    0, 3, "serology points: 0 negative, 2 low positive, 3 high positive", integer=True
)
LARGE_JOINTS: Final = Domain(0, 10, "integer count of involved large joints", integer=True)
SMALL_JOINTS: Final = Domain(
    0,
    32,
    "integer count of involved small joints (MCP, PIP, MTP 2-5, thumb IP, wrists)",
    integer=True,
)
SYMPTOM_WEEKS: Final = Domain(0, math.inf, "weeks")
#: Classification threshold [1].
THRESHOLD: Final = 6


def _joint_points(large: NDArray[np.float64], small: NDArray[np.float64]) -> NDArray[np.float64]:
    """Joint-involvement points [1]: 0, 1, 2, 3 or 5 (NaN if a count is missing)."""
    total = large + small
    pts = np.where(
        small == 0,
        np.where(large >= 2, 1.0, 0.0),
        np.where(total > 10, 5.0, np.where(small >= 4, 3.0, 2.0)),
    )
    pts[np.isnan(total)] = np.nan
    return pts


def acr_eular_2010(
    large_joints: NumberLike,
    small_joints: NumberLike,
    rf: NumberLike,
    acpa: NumberLike,
    abnormal_crp: NumberLike,
    abnormal_esr: NumberLike,
    symptom_duration_weeks: NumberLike,
) -> Classification:
    """2010 ACR/EULAR classification of rheumatoid arthritis.

    Parameters
    ----------
    large_joints : int or array_like
        Involved (swollen or tender) large joints: shoulders, elbows, hips,
        knees, ankles [0..10, integer].
    small_joints : int or array_like
        Involved small joints: MCP, PIP, thumb IP, MTP 2-5, wrists
        [0..32, integer]. Other joints (temporomandibular,
        acromioclavicular, sternoclavicular, ...) may be added here, as the
        criteria count them in the "> 10 joints" category only.
    rf, acpa : str or array_like
        Rheumatoid factor and anti-citrullinated protein antibody:
        ``"negative"`` (<= ULN), ``"low_positive"`` (> ULN, <= 3x ULN) or
        ``"high_positive"`` (> 3x ULN), or ``None``/NaN when unknown;
        :func:`serology_level` derives it from a titre.  Only these words:
        a number (a titre, or a number of points) is refused.
    abnormal_crp, abnormal_esr : bool or array_like
        CRP / ESR above the local laboratory's upper limit of normal.
    symptom_duration_weeks : float or array_like
        Patient-reported duration of synovitis symptoms [weeks, >= 0].

    Returns
    -------
    Classification
        ``points`` 0..10 (points that counted), ``domains``
        (``joints`` 0..5, ``serology`` 0..3, ``acute_phase`` 0..1,
        ``duration`` 0..1), ``classified`` at >= 6 points (``None`` where a
        missing item could change the outcome) and ``entry_met``: at least
        one joint with synovitis.

    Notes
    -----
    Joints [1]: 1 large joint 0; 2-10 large joints 1; 1-3 small joints
    (with or without large joints) 2; 4-10 small joints 3; > 10 joints (at
    least 1 small joint) 5. Serology: both negative 0; low-positive RF or
    ACPA 2; high-positive RF or ACPA 3. Acute-phase reactants: both normal
    0; abnormal CRP or ESR 1. Duration: < 6 weeks 0; >= 6 weeks 1.

    The criteria apply to patients with at least one joint with definite
    clinical synovitis not better explained by another disease [1]; that
    judgement, and the alternative route for patients with erosions typical
    of RA, are the clinician's and are not inputs here. ``classified`` is
    False where no joint is involved.

    References
    ----------
    .. [1] Aletaha D et al. Arthritis Rheum 2010;62:2569-2581.

    Examples
    --------
    >>> c = acr_eular_2010(2, 3, "low_positive", "negative", True, False, 4)
    >>> c.points, c.classified
    (5, False)
    """
    return _classify(
        large_joints,
        small_joints,
        rf,
        acpa,
        abnormal_crp,
        abnormal_esr,
        symptom_duration_weeks,
        SEROLOGY,
        SEROLOGY,
    )


def _classify(
    large_joints: NumberLike,
    small_joints: NumberLike,
    rf: NumberLike,
    acpa: NumberLike,
    abnormal_crp: NumberLike,
    abnormal_esr: NumberLike,
    symptom_duration_weeks: NumberLike,
    rf_domain: Domain,
    acpa_domain: Domain,
) -> Classification:
    return classify(
        _rule,
        ("large_joints", large_joints, LARGE_JOINTS),
        ("small_joints", small_joints, SMALL_JOINTS),
        ("rf", rf, rf_domain),
        ("acpa", acpa, acpa_domain),
        ("abnormal_crp", abnormal_crp, FLAG),
        ("abnormal_esr", abnormal_esr, FLAG),
        ("symptom_duration_weeks", symptom_duration_weeks, SYMPTOM_WEEKS),
        entry=True,
        rows=JUDGEMENT_BLOCK,  # a rule of float temporaries: small blocks
    )


# For clinscores.registry: the table reader (clinscores.frame) turns the level
# words into their points (0, 2, 3) and refuses numbers; 1 is no level's points.
# Words (a direct Instrument.compute call) are read as by acr_eular_2010.
# The docstring is acr_eular_2010's (the registry reads its parameter texts).
def _from_points(
    large_joints: NumberLike,
    small_joints: NumberLike,
    rf: NumberLike,
    acpa: NumberLike,
    abnormal_crp: NumberLike,
    abnormal_esr: NumberLike,
    symptom_duration_weeks: NumberLike,
) -> Classification:
    domains = []
    for name, value in (("rf", rf), ("acpa", acpa)):
        arr = np.asarray(value)
        if arr.dtype.kind not in "iuf":  # words, None, booleans: as acr_eular_2010
            domains.append(SEROLOGY)
            continue
        one = np.flatnonzero(arr.reshape(-1) == 1)
        if one.size:
            where = f"[{int(one[0])}]" if arr.ndim else ""
            raise InputError(
                f"{name}{where} = 1 is not a serology level; expected " + SEROLOGY.describe()
            )
        domains.append(_SEROLOGY_POINTS_DOMAIN)
    return _classify(
        large_joints,
        small_joints,
        rf,
        acpa,
        abnormal_crp,
        abnormal_esr,
        symptom_duration_weeks,
        domains[0],
        domains[1],
    )


_from_points.__doc__ = acr_eular_2010.__doc__


def _rule(blocks: list[NDArray[Any]], m: int) -> Bounds:
    """The criteria on one block, with missing items absent (low) and present (high)."""
    large, small, rf_a, acpa_a, weeks = (
        np.broadcast_to(np.asarray(blocks[i], dtype=np.float64), (m,)) for i in (0, 1, 2, 3, 6)
    )  # the two flags (4, 5) are read by split_flag
    crp_p, crp_u = split_flag(blocks[4])
    esr_p, esr_u = split_flag(blocks[5])

    joints = _joint_points(large, small)
    joints_known = ~np.isnan(joints)
    joints_low = np.where(joints_known, joints, 0.0)
    joints_high = np.where(joints_known, joints, 5.0)

    sero_low = np.nan_to_num(np.fmax(rf_a, acpa_a), nan=0.0)  # NaN only if both missing
    sero_high = np.where(np.isnan(rf_a) | np.isnan(acpa_a), 3.0, sero_low)

    acute_low = (crp_p | esr_p).astype(np.float64)
    acute_high = (crp_p | esr_p | crp_u | esr_u).astype(np.float64)

    dur_low = (weeks >= 6).astype(np.float64)
    dur_high = np.where(np.isnan(weeks), 1.0, dur_low)

    entry_low = np.nan_to_num(large + small, nan=0.0) >= 1
    entry_high = entry_low | np.isnan(large) | np.isnan(small)

    low = joints_low + sero_low + acute_low + dur_low
    high = joints_high + sero_high + acute_high + dur_high
    return Bounds(
        points=low,
        low=(low >= THRESHOLD) & entry_low,
        high=(high >= THRESHOLD) & entry_high,
        domains={
            "joints": joints_low,
            "serology": sero_low,
            "acute_phase": acute_low,
            "duration": dur_low,
        },
        entry=(entry_low, entry_low == entry_high),
    )


_TITRE: Final = Domain(0, math.inf, "titre or concentration, same unit as uln")
_ULN: Final = Domain(0, math.inf, "upper limit of normal", lo_open=True)
#: The RF / ACPA levels, lowest first (the codes of an array result).
SEROLOGY_LEVELS: Final = ("negative", "low_positive", "high_positive")


def _level_kernel(
    out: NDArray[np.int8], titre: NDArray[np.float64], uln: NDArray[np.float64]
) -> None:
    code = (titre > uln).astype(np.int8)
    code += titre > 3 * uln
    code[np.isnan(titre) | np.isnan(uln)] = -1
    out[...] = code


def serology_level(titre: NumberLike, uln: NumberLike) -> Result:
    """RF / ACPA level of the 2010 criteria from a titre and the laboratory's ULN.

    Parameters
    ----------
    titre : float or array_like
        Measured RF or ACPA [IU/mL or U/mL, >= 0].
    uln : float or array_like
        The laboratory's upper limit of normal, same unit [> 0].

    Returns
    -------
    str, None, CodedArray or pandas.Series
        ``"negative"`` (titre <= ULN), ``"low_positive"`` (> ULN and
        <= 3x ULN) or ``"high_positive"`` (> 3x ULN); ``None`` if missing.
        On arrays a :class:`~clinscores.CodedArray` of
        :data:`SEROLOGY_LEVELS` (an ordered ``Categorical`` Series for
        Series input), which :func:`acr_eular_2010` reads as ``rf`` or
        ``acpa`` directly.

    References
    ----------
    .. [1] Aletaha D et al. Arthritis Rheum 2010;62:2569-2581.

    Examples
    --------
    >>> serology_level(60, 20), serology_level(61, 20)
    ('low_positive', 'high_positive')
    """
    codes, prep = compute(
        _level_kernel, ("titre", titre, _TITRE), ("uln", uln, _ULN), dtype=np.int8
    )
    return prep.wrap_coded(codes, SEROLOGY_LEVELS, "serology_level")
