"""ACR Composite Response Index in diffuse cutaneous systemic sclerosis (CRISS).

References
----------
.. [1] Khanna D, Berrocal VJ, Giannini EH, Seibold JR, Merkel PA, Mayes MD,
   et al. The American College of Rheumatology provisional composite
   response index for clinical trials in early diffuse cutaneous systemic
   sclerosis. Arthritis Rheumatol 2016;68:299-311 (published simultaneously
   in Arthritis Care Res 2016;68:167-178).
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType
from typing import Any, Final

import attrs
import numpy as np
from numpy.typing import NDArray

from clinscores._coded import TRISTATE
from clinscores._core import (
    FLAG,
    JUDGEMENT_BLOCK,
    REPORT_DECIMALS,
    Arg,
    Domain,
    FlagLike,
    InputError,
    blocks,
    improved_by_percent,
    prepare,
    reported_units,
    tristate_codes,
)
from clinscores.criteria import any_of, codes, flag_is

__all__ = ["CRISS_COEFFICIENTS", "CRISS_DOMAINS", "CRISS_KEYS", "CrissResult", "criss"]

#: Logistic model of step 2 [1] (Table "Application of CRISS in a clinical
#: trial"): intercept and the coefficient of each change (current minus
#: baseline) of mRSS, FVC % predicted, patient global, physician global and
#: HAQ-DI.
CRISS_COEFFICIENTS: Final[Mapping[str, float]] = MappingProxyType(
    {
        "intercept": -5.54,
        "mrss": -0.81,
        "fvc_pct_predicted": 0.21,
        "ptga_0_10": -0.40,
        "mdga_0_10": -0.44,
        "haq_di": -3.41,
    }
)
#: Improved: a predicted probability of at least 0.60 [1].
CRISS_IMPROVED_AT: Final = 0.60
#: Step 1: a relative fall of FVC % predicted of at least 15 % [1] ...
CRISS_FVC_FALL_PERCENT: Final = 15
#: ... to below 80 % predicted [1].
CRISS_FVC_BELOW: Final = 80.0

#: The five core set measures and their domains.
CRISS_DOMAINS: Final[Mapping[str, Domain]] = MappingProxyType(
    {
        "mrss": Domain(0, 51, "modified Rodnan skin score, integer 0-51", integer=True),
        "fvc_pct_predicted": Domain(0, 200, "FVC in % of predicted", lo_open=True),
        "ptga_0_10": Domain(0, 10, "patient global assessment, 0-10 scale"),
        "mdga_0_10": Domain(0, 10, "physician global assessment, 0-10 scale"),
        "haq_di": Domain(0, 3, "HAQ-DI, 0-3"),
    }
)
#: The keys of the baseline and current mappings.
CRISS_KEYS: Final = tuple(CRISS_DOMAINS)
_FVC_DECIMALS: Final = 1


@attrs.frozen
class CrissResult:
    """The CRISS at a visit.

    Attributes
    ----------
    probability : float or ndarray
        Predicted probability of improvement [0..1]: 0 after new or worsening
        organ involvement (step 1), otherwise the logistic model (step 2);
        NaN when a value it needs is missing.
    improved : bool, None, CodedArray or pandas.Series
        Probability, reported to 2 decimals, at least 0.60.
    organ_worsening : bool, None, CodedArray or pandas.Series
        Step 1: renal crisis, the FVC fall, new left ventricular failure or
        new pulmonary arterial hypertension (``None``: unknown).
    """

    probability: Any
    improved: Any
    organ_worsening: Any


def _check_keys(which: str, values: Mapping[str, object]) -> None:
    if not isinstance(values, Mapping):
        raise InputError(
            f"{which} = {values!r} is not a mapping; expected a dict with keys "
            + ", ".join(CRISS_KEYS)
        )
    for key in values:
        if key not in CRISS_DOMAINS:
            raise InputError(
                f"{which}[{key!r}] is not a CRISS measure; expected one of {', '.join(CRISS_KEYS)}"
            )


def criss(
    baseline: Mapping[str, object],
    current: Mapping[str, object],
    *,
    renal_crisis: FlagLike = False,
    new_lv_failure: FlagLike = False,
    new_pah: FlagLike = False,
) -> CrissResult:
    r"""ACR CRISS: the predicted probability that a patient with dcSSc improved.

    Parameters
    ----------
    baseline : mapping of str to number or array_like
        The five core set measures at baseline:

        - ``mrss``: modified Rodnan skin score [0..51, integer];
        - ``fvc_pct_predicted``: forced vital capacity [% of predicted,
          > 0 and <= 200];
        - ``ptga_0_10``: patient global assessment [0..10 scale];
        - ``mdga_0_10``: physician global assessment [0..10 scale];
        - ``haq_di``: HAQ disability index [0..3].

        Values are numbers, ``None``/NaN (missing) or array-likes of those,
        one row per patient-visit, broadcast against each other.  A measure
        not given is missing.
    current : mapping of str to number or array_like
        The same measures at the visit assessed (one year in [1]).
    renal_crisis : bool or array_like, optional
        New scleroderma renal crisis since baseline [True/False]; an omitted
        flag is ``False``, ``None`` is unknown.
    new_lv_failure : bool or array_like, optional
        New left ventricular failure (ejection fraction <= 45 %) needing
        treatment, attributable to SSc [True/False].
    new_pah : bool or array_like, optional
        New pulmonary arterial hypertension on right heart catheterisation
        needing treatment, attributable to SSc [True/False].

    Returns
    -------
    CrissResult
        ``probability`` [0..1], ``improved`` (True/False/None) and
        ``organ_worsening`` (step 1, True/False/None).

    Raises
    ------
    clinscores.InputError
        For a key that is not one of the five measures, or a value outside
        its domain, naming ``baseline['mrss']`` (and the row for arrays), or
        a flag that is not a boolean.

    Notes
    -----
    **Step 1.**  The probability is 0 (not improved, whatever the other
    measures) after new or worsening organ involvement [1]: a new renal
    crisis; a fall of FVC % predicted of at least 15 % *relative* to
    baseline, to below 80 % predicted; new left ventricular failure; or new
    pulmonary arterial hypertension.  The FVC fall is computed here from
    the two values (compared at 0.1 % predicted, exactly), so 80.0 -> 68.0
    (exactly 15 %, below 80) counts and 80.0 -> 68.1 does not.  The source
    asks that the fall be confirmed by a second FVC within a month and
    interstitial lung disease by HRCT: pass confirmed values.

    **Step 2.**  Otherwise, with :math:`\Delta` each measure's change,
    current minus baseline [1],

    .. math::

        z = -5.54 - 0.81\,\Delta\mathrm{mRSS} + 0.21\,\Delta\mathrm{FVC\%}
            - 0.40\,\Delta\mathrm{PtGlobal} - 0.44\,\Delta\mathrm{MDGlobal}
            - 3.41\,\Delta\mathrm{HAQ\text{-}DI},
        \qquad p = \frac{e^z}{1 + e^z}.

    A patient is improved when :math:`p \ge 0.60`, decided on :math:`p`
    reported to 2 decimals (half-up).  A missing step-1 flag gives an
    unknown result unless step 1 is met by another item.

    *Source check.*  The coefficients are those of Table 4 of the author
    manuscript of [1] (PubMed Central PMC4818571).  The stored copy read
    for this package had lost its minus signs (it keeps ``+0.21`` before
    the FVC term); the signs above are those that make a worse skin score,
    global assessment or HAQ-DI lower the probability, and the intercept
    -5.54 gives an unchanged patient :math:`p = 0.004`, matching the floor
    of CRISS (< 0.005) reported in a later cohort.  The scale of the two
    global assessments was not legible in that copy: 0..10 is assumed
    here and is not verified against the source.  The revised
    CRISS (rCRISS) is not implemented: its primary definition could not be
    read.

    References
    ----------
    .. [1] Khanna D, Berrocal VJ, Giannini EH, et al. The American College
       of Rheumatology provisional composite response index for clinical
       trials in early diffuse cutaneous systemic sclerosis. Arthritis
       Rheumatol 2016;68:299-311; Arthritis Care Res 2016;68:167-178.

    Examples
    --------
    >>> b = {"mrss": 25, "fvc_pct_predicted": 85, "ptga_0_10": 6,
    ...      "mdga_0_10": 5, "haq_di": 1.25}
    >>> c = {"mrss": 15, "fvc_pct_predicted": 87, "ptga_0_10": 5,
    ...      "mdga_0_10": 3, "haq_di": 1.0}
    >>> r = criss(b, c)
    >>> round(r.probability, 4), r.improved, r.organ_worsening
    (0.994, True, False)
    """
    _check_keys("baseline", baseline)
    _check_keys("current", current)
    args: list[Arg] = []
    for key, domain in CRISS_DOMAINS.items():
        args.append((f"baseline[{key!r}]", baseline.get(key), domain))
        args.append((f"current[{key!r}]", current.get(key), domain))
    args += [
        ("renal_crisis", renal_crisis, FLAG),
        ("new_lv_failure", new_lv_failure, FLAG),
        ("new_pah", new_pah, FLAG),
    ]
    prep = prepare(*args)
    m = prep.size
    probability = np.empty(m)
    improved = np.empty(m, dtype=np.int8)
    worsening = np.empty(m, dtype=np.int8)
    # validated and evaluated block by block: the temporaries stay small
    for rows, blks in blocks(prep, JUDGEMENT_BLOCK):
        _criss_block(
            blks, rows.stop - rows.start, probability[rows], improved[rows], worsening[rows]
        )
    return CrissResult(
        probability=prep.wrap(probability, name="criss"),
        improved=prep.wrap_coded(improved, TRISTATE, "criss_improved"),
        organ_worsening=prep.wrap_coded(worsening, TRISTATE, "organ_worsening"),
    )


def _criss_block(
    flats: list[NDArray[Any]],
    m: int,
    probability: NDArray[np.float64],
    improved: NDArray[np.int8],
    worsening: NDArray[np.int8],
) -> None:
    """CRISS of one block of *m* rows, written into the three outputs."""

    def change(i: int) -> NDArray[np.float64]:
        b = np.asarray(flats[2 * i], dtype=np.float64)
        c = np.asarray(flats[2 * i + 1], dtype=np.float64)
        return np.broadcast_to(c - b, (m,))

    z = np.full(m, CRISS_COEFFICIENTS["intercept"])
    for i, key in enumerate(CRISS_DOMAINS):
        z += CRISS_COEFFICIENTS[key] * change(i)
    with np.errstate(over="ignore"):
        p_model = 1.0 / (1.0 + np.exp(-z))

    # step 1
    fvc_b = reported_units(flats[2], _FVC_DECIMALS, nonnegative=True)
    fvc_c = reported_units(flats[3], _FVC_DECIMALS, nonnegative=True)
    below = round(CRISS_FVC_BELOW * 10**_FVC_DECIMALS)
    fvc_fall = np.broadcast_to(
        improved_by_percent(fvc_b, fvc_c, CRISS_FVC_FALL_PERCENT) & (fvc_c < below), (m,)
    )
    fvc_known = np.broadcast_to(~(np.isnan(fvc_b) | np.isnan(fvc_c)), (m,))
    # step 1: any organ event (Kleene OR: unknown unless one occurred or none can)
    worse, none = any_of(
        (fvc_fall, ~fvc_fall & fvc_known), *(flag_is(flat, 1.0) for flat in flats[10:])
    )
    worse, none = np.broadcast_to(worse, (m,)), np.broadcast_to(none, (m,))
    codes((worse, none), worsening)

    probability[...] = np.where(worse, 0.0, np.where(none, p_model, np.nan))
    decimals = REPORT_DECIMALS["criss"]
    units = reported_units(probability, decimals, nonnegative=True)
    tristate_codes(units >= round(CRISS_IMPROVED_AT * 10**decimals), ~np.isnan(units), m, improved)
