"""ACR20/50/70 improvement criteria for rheumatoid arthritis trials.

References
----------
.. [1] Felson DT, Anderson JJ, Boers M, Bombardier C, Furst D, Goldsmith C,
   et al. American College of Rheumatology preliminary definition of
   improvement in rheumatoid arthritis. Arthritis Rheum 1995;38:727-735.
.. [2] Felson DT, Anderson JJ, Lange ML, Wells G, LaValley MP. Should
   improvement in rheumatoid arthritis clinical trials be defined as fifty
   percent or seventy percent improvement in core set measures, rather than
   twenty percent? Arthritis Rheum 1998;41:1564-1570.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from types import MappingProxyType
from typing import Any, Final

import attrs
import numpy as np
from numpy.typing import NDArray

from clinscores._core import (
    REPORT_DECIMALS,
    Arg,
    Domain,
    InputError,
    blocks,
    improved_by_percent,
    prepare,
    reported_units,
    tristate,
)
from clinscores.ra._domains import CRP_MG_DL, CRP_MG_L, JOINTS28, VAS_CM, VAS_MM

__all__ = [
    "ACR_LEVELS",
    "ACR_RESPONSE_COMPONENTS",
    "ACR_RESPONSE_DOMAINS",
    "AcrResponse",
    "acr_response",
]

#: Required improvement of each level, in percent [1, 2].
ACR_LEVELS: Final = (20, 50, 70)
#: How many of the five other core set measures must improve [1].
ACR_OTHERS_NEEDED: Final = 3

_JOINTS68: Final = Domain(0, 68, "integer joint count of 68 joints", integer=True)
_JOINTS66: Final = Domain(0, 66, "integer joint count of 66 joints", integer=True)
_HAQ: Final = Domain(0, 3, "HAQ-DI, 0-3")
_ESR: Final = Domain(0, math.inf, "ESR in mm/h")

#: Core set measure -> the keys that may give it, each with its domain and
#: the decimals to which it is compared (its reported precision).
_SLOTS: Final[Mapping[str, Mapping[str, tuple[Domain, int]]]] = MappingProxyType(
    {
        "tender_joints": {"tjc68": (_JOINTS68, 0), "tjc28": (JOINTS28, 0)},
        "swollen_joints": {"sjc66": (_JOINTS66, 0), "sjc28": (JOINTS28, 0)},
        "patient_global": {"ptga_mm": (VAS_MM, 1), "ptga_cm": (VAS_CM, 2)},
        "physician_global": {"evga_mm": (VAS_MM, 1), "evga_cm": (VAS_CM, 2)},
        "pain": {"pain_mm": (VAS_MM, 1), "pain_cm": (VAS_CM, 2)},
        "disability": {"haq_di": (_HAQ, REPORT_DECIMALS["haq_di"])},
        "acute_phase_reactant": {
            "esr": (_ESR, 0),
            "crp_mg_l": (CRP_MG_L, 1),
            "crp_mg_dl": (CRP_MG_DL, 2),
        },
    }
)
#: The seven core set measures and the keys that give each [1].
ACR_RESPONSE_COMPONENTS: Final[Mapping[str, tuple[str, ...]]] = MappingProxyType(
    {slot: tuple(keys) for slot, keys in _SLOTS.items()}
)
#: Every key accepted in the baseline and current mappings, with its domain.
ACR_RESPONSE_DOMAINS: Final[Mapping[str, Domain]] = MappingProxyType(
    {key: domain for keys in _SLOTS.values() for key, (domain, _) in keys.items()}
)

_JOINT_SETS: Final = {("tjc68", "sjc66"): "68/66", ("tjc28", "sjc28"): "28"}


@attrs.frozen
class AcrResponse:
    """The ACR improvement reached at a visit.

    Attributes
    ----------
    level : int, float or ndarray
        The highest of ACR20, ACR50, ACR70 reached: ``70``, ``50``, ``20``,
        or ``0`` for none (a Python ``int``); NaN when missing data could
        change it.  On arrays, a float64 array of those whole numbers.
    acr20, acr50, acr70 : bool, None, CodedArray or pandas.Series
        Each level met (``True``), not met (``False``) or unknown (``None``).
    improvement : mapping of str to float or ndarray
        Per component key given (e.g. ``"tjc28"``, ``"ptga_mm"``, ``"esr"``),
        the improvement in percent of its baseline value,
        ``100 * (baseline - current) / baseline`` (negative when worse);
        NaN when a value is missing or the baseline is 0.
    joint_count : str or None
        ``"68/66"`` (tender 68, swollen 66) or ``"28"``: the joint counts
        used; ``None`` when no joint count was given.
    """

    level: Any
    acr20: Any
    acr50: Any
    acr70: Any
    improvement: Mapping[str, Any]
    joint_count: str | None


def _keys(which: str, values: Mapping[str, object]) -> dict[str, str]:
    """Slot -> the key that gives it in *values*; rejects unknown or doubled keys."""
    if not isinstance(values, Mapping):
        raise InputError(
            f"{which} = {values!r} is not a mapping; expected a dict of core set "
            "measure -> value, e.g. {'tjc28': 8, 'sjc28': 6, 'ptga_mm': 60, ...}"
        )
    found: dict[str, str] = {}
    for key in values:
        slot = next((s for s, keys in _SLOTS.items() if key in keys), None)
        if slot is None:
            known = ", ".join(k for keys in _SLOTS.values() for k in keys)
            raise InputError(f"{which}[{key!r}] is not a core set measure; expected one of {known}")
        if slot in found:
            raise InputError(
                f"{which} gives {slot.replace('_', ' ')} twice ({found[slot]!r} and {key!r}); "
                "give one of them"
            )
        found[slot] = key
    return found


def acr_response(baseline: Mapping[str, object], current: Mapping[str, object]) -> AcrResponse:
    """ACR20/50/70: the highest ACR improvement reached, with each component's improvement.

    Parameters
    ----------
    baseline : mapping of str to number or array_like
        The core set measures at baseline, keyed by what they are and in
        which unit [one key per measure]:

        - tender joint count: ``tjc68`` [0..68] or ``tjc28`` [0..28];
        - swollen joint count: ``sjc66`` [0..66] or ``sjc28`` [0..28]
          (68/66 and 28 joint counts cannot be mixed);
        - patient global assessment: ``ptga_mm`` [0..100 mm VAS] or
          ``ptga_cm`` [0..10 cm];
        - physician (evaluator) global assessment: ``evga_mm`` or
          ``evga_cm``;
        - patient's assessment of pain: ``pain_mm`` or ``pain_cm``;
        - disability: ``haq_di`` [0..3];
        - acute-phase reactant: ``esr`` [mm/h, >= 0], ``crp_mg_l`` or
          ``crp_mg_dl``.

        Values are numbers, ``None``/NaN (missing), or array-likes (lists,
        numpy arrays, pandas Series) of those, one row per patient-visit,
        broadcast against each other.  A measure not given is missing.
    current : mapping of str to number or array_like
        The same measures, with the same keys, at the visit assessed.

    Returns
    -------
    AcrResponse
        ``level`` (70, 50, 20 or 0), ``acr20``/``acr50``/``acr70``
        (True/False/None), the percent ``improvement`` per key, and the
        ``joint_count`` used (``"68/66"`` or ``"28"``).  A level is unknown
        (NaN, and the criteria ``None``) only when the missing measures
        could change it.

    Raises
    ------
    clinscores.InputError
        For a key that is not a core set measure, a measure given twice
        (e.g. ``esr`` and ``crp_mg_l``), keys that differ between baseline
        and current, 68/66 and 28 joint counts mixed, or a value outside its
        domain (naming ``baseline['tjc28']`` and, for arrays, the row).

    Notes
    -----
    ACR :math:`X` (:math:`X` = 20, 50, 70) is met when the tender and the
    swollen joint count both improve by at least :math:`X` %, and at least 3
    of the other five measures (patient global, physician global, pain,
    HAQ-DI, acute-phase reactant) improve by at least :math:`X` % [1, 2]:

    .. math:: \\frac{b - c}{b} \\ge \\frac{X}{100}

    Each value is compared as reported, rounded half-up (joint counts and
    ESR whole, mm 1 decimal, cm and CRP mg/dL 2, CRP mg/L 1, HAQ-DI 3), in
    exact integer arithmetic, so 10 -> 8 joints is exactly 20 % and meets
    ACR20 whatever binary rounding does.

    **A baseline of 0** cannot improve by a percentage of itself: that
    component counts as *not improved* (a known fact, not a missing value),
    and its ``improvement`` is NaN.  So a patient with 0 tender or 0
    swollen joints at baseline never meets ACR20, which agrees with trials
    enrolling patients with active joints; a baseline CRP of 0 leaves four
    other measures of which three must improve.

    References
    ----------
    .. [1] Felson DT et al. American College of Rheumatology preliminary
       definition of improvement in rheumatoid arthritis. Arthritis Rheum
       1995;38:727-735.
    .. [2] Felson DT et al. Should improvement in rheumatoid arthritis
       clinical trials be defined as fifty percent or seventy percent
       improvement in core set measures, rather than twenty percent?
       Arthritis Rheum 1998;41:1564-1570.

    Examples
    --------
    >>> b = {"tjc28": 10, "sjc28": 8, "ptga_mm": 60, "evga_mm": 50,
    ...      "pain_mm": 70, "haq_di": 1.5, "crp_mg_l": 20}
    >>> c = {"tjc28": 5, "sjc28": 4, "ptga_mm": 30, "evga_mm": 40,
    ...      "pain_mm": 35, "haq_di": 1.5, "crp_mg_l": 8}
    >>> r = acr_response(b, c)
    >>> r.level, r.acr20, r.acr50, r.joint_count
    (50, True, True, '28')
    >>> r.improvement["tjc28"], r.improvement["evga_mm"]
    (50.0, 20.0)
    """
    base_keys = _keys("baseline", baseline)
    cur_keys = _keys("current", current)
    if base_keys != cur_keys:
        b_only = sorted(set(base_keys.values()) - set(cur_keys.values()))
        c_only = sorted(set(cur_keys.values()) - set(base_keys.values()))
        raise InputError(
            "baseline and current must give the same measures with the same keys; "
            f"only in baseline: {b_only}, only in current: {c_only}"
        )
    if not base_keys:
        raise InputError("baseline and current give no core set measure")
    joints = (base_keys.get("tender_joints"), base_keys.get("swollen_joints"))
    joint_count: str | None = None
    if joints != (None, None):
        if None not in joints and joints not in _JOINT_SETS:
            raise InputError(
                f"joint counts {joints[0]!r} and {joints[1]!r} are mixed; "
                "give tjc68 with sjc66, or tjc28 with sjc28"
            )
        given = next(j for j in joints if j is not None)
        joint_count = "68/66" if given in ("tjc68", "sjc66") else "28"
    slots = list(base_keys.items())
    args: list[Arg] = []
    for slot, key in slots:
        domain = _SLOTS[slot][key][0]
        args.append((f"baseline[{key!r}]", baseline[key], domain))
        args.append((f"current[{key!r}]", current[key], domain))
    prep = prepare(*args)
    m = prep.size
    met = {level: np.empty(m, dtype=bool) for level in ACR_LEVELS}
    known = {level: np.empty(m, dtype=bool) for level in ACR_LEVELS}
    level_out = np.empty(m)
    pct_out = {key: np.empty(m) for _, key in slots}
    # validated and evaluated 65,536 rows at a time, so temporaries stay small
    for rows, blks in blocks(prep):
        n = rows.stop - rows.start
        units: dict[str, tuple[NDArray[np.float64], NDArray[np.float64]]] = {}
        for i, (slot, key) in enumerate(slots):
            decimals = _SLOTS[slot][key][1]
            b = reported_units(blks[2 * i], decimals)
            c = reported_units(blks[2 * i + 1], decimals)
            units[slot] = (np.broadcast_to(b, (n,)), np.broadcast_to(c, (n,)))
            with np.errstate(invalid="ignore", divide="ignore"):
                pct_out[key][rows] = np.where(b > 0, (b - c) * 100.0 / b, np.nan)
        for level in ACR_LEVELS:
            low, high = _level(units, level, n)
            met[level][rows] = low
            known[level][rows] = low == high
        out = np.full(n, np.nan)
        # from the lowest level up: each level met overrides the one below
        out[known[20][rows] & ~met[20][rows]] = 0.0
        for lower, upper in ((20, 50), (50, 70)):
            ok = known[lower][rows] & met[lower][rows] & known[upper][rows] & ~met[upper][rows]
            out[ok] = lower
        out[known[70][rows] & met[70][rows]] = 70.0
        level_out[rows] = out
    return AcrResponse(
        level=prep.wrap(level_out, integer=True, name="acr_level"),
        acr20=tristate(met[20], known[20], prep, "acr20"),
        acr50=tristate(met[50], known[50], prep, "acr50"),
        acr70=tristate(met[70], known[70], prep, "acr70"),
        improvement=MappingProxyType({k: prep.wrap(v, name=k) for k, v in pct_out.items()}),
        joint_count=joint_count,
    )


def _level(
    units: Mapping[str, tuple[NDArray[np.float64], NDArray[np.float64]]], percent: int, m: int
) -> tuple[NDArray[np.bool_], NDArray[np.bool_]]:
    """ACR ``percent`` with every unknown measure taken as not improved, and as improved.

    *units* holds each given measure's (baseline, current) in reported units,
    both of length *m*.
    """
    improved: dict[str, NDArray[np.bool_]] = {}
    unknown: dict[str, NDArray[np.bool_]] = {}
    for slot in _SLOTS:
        if slot in units:
            b, c = units[slot]
            improved[slot] = improved_by_percent(b, c, percent)
            unknown[slot] = np.isnan(b) | np.isnan(c)
        else:
            improved[slot] = np.zeros(m, dtype=bool)
            unknown[slot] = np.ones(m, dtype=bool)
    others = [s for s in _SLOTS if s not in ("tender_joints", "swollen_joints")]
    bounds = []
    for ok in (improved, {s: improved[s] | unknown[s] for s in _SLOTS}):
        count = np.zeros(m, dtype=np.int8)
        for s in others:
            count += ok[s]
        bounds.append(ok["tender_joints"] & ok["swollen_joints"] & (count >= ACR_OTHERS_NEEDED))
    return bounds[0], bounds[1]
