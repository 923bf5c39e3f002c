"""EULAR Sjögren's syndrome disease activity index (ESSDAI) and its helpers.

The ESSDAI rates 12 organ domains at an activity level (no, low, moderate,
high; some domains lack some levels) and sums ``weight x level``.  This
module also gives the activity states and the minimal clinically important
improvement of Seror 2016, and helpers that derive the haematological and
biological domain levels from laboratory values.

References
----------
.. [1] Seror R, Ravaud P, Bowman SJ, Baron G, Tzioufas A, Theander E,
   Gottenberg JE, Bootsma H, Mariette X, Vitali C; EULAR Sjögren's Task
   Force. EULAR Sjögren's syndrome disease activity index: development of a
   consensus systemic disease activity index for primary Sjögren's syndrome.
   Ann Rheum Dis 2010;69:1103-1109.
.. [2] Seror R, Bowman SJ, Brito-Zeron P, Theander E, Bootsma H, Tzioufas A,
   Gottenberg JE, Ramos-Casals M, Dörner T, Ravaud P, Vitali C, Mariette X;
   EULAR Sjögren's Task Force. EULAR Sjögren's syndrome disease activity
   index (ESSDAI): a user guide. RMD Open 2015;1:e000022.
.. [3] Seror R, Bootsma H, Saraux A, Bowman SJ, Theander E, Brun JG, et al.;
   EULAR Sjögren's Task Force. Defining disease activity states and
   clinically meaningful improvement in primary Sjögren's syndrome with
   EULAR primary Sjögren's syndrome disease activity (ESSDAI) and
   patient-reported indexes (ESSPRI). Ann Rheum Dis 2016;75:382-389.
"""

from __future__ import annotations

import math
import numbers
from collections.abc import Mapping
from types import MappingProxyType
from typing import Any, Final

import numpy as np
from numpy.typing import ArrayLike, NDArray

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
    compute,
    evaluate,
    is_missing,
    reduction_at_least,
)

__all__ = [
    "ESSDAI_LEVELS",
    "ESSDAI_LEVEL_NAMES",
    "ESSDAI_MAX",
    "ESSDAI_WEIGHTS",
    "essdai",
    "essdai_activity",
    "essdai_biological_level",
    "essdai_hematological_level",
    "essdai_mcii",
]

F64 = NDArray[np.float64]

#: Domain weights of Seror 2010 [1], Table 3 (unchanged by the user guide [2]).
ESSDAI_WEIGHTS: Final[Mapping[str, int]] = MappingProxyType(
    {
        "constitutional": 3,
        "lymphadenopathy": 4,
        "glandular": 2,
        "articular": 2,
        "cutaneous": 3,
        "pulmonary": 5,
        "renal": 5,
        "muscular": 6,
        "peripheral_nervous_system": 5,
        "central_nervous_system": 5,
        "hematological": 2,
        "biological": 1,
    }
)

#: Activity levels each domain has (0 no, 1 low, 2 moderate, 3 high) [1, 2]:
#: constitutional, glandular and biological have no high level; the central
#: nervous system domain has no low level.
ESSDAI_LEVELS: Final[Mapping[str, tuple[int, ...]]] = MappingProxyType(
    {
        "constitutional": (0, 1, 2),
        "lymphadenopathy": (0, 1, 2, 3),
        "glandular": (0, 1, 2),
        "articular": (0, 1, 2, 3),
        "cutaneous": (0, 1, 2, 3),
        "pulmonary": (0, 1, 2, 3),
        "renal": (0, 1, 2, 3),
        "muscular": (0, 1, 2, 3),
        "peripheral_nervous_system": (0, 1, 2, 3),
        "central_nervous_system": (0, 2, 3),
        "hematological": (0, 1, 2, 3),
        "biological": (0, 1, 2),
    }
)

#: Highest possible ESSDAI: every domain at its highest level (123).
ESSDAI_MAX: Final[int] = sum(w * max(ESSDAI_LEVELS[d]) for d, w in ESSDAI_WEIGHTS.items())

#: Names of the levels 0..3, accepted in place of the numbers.
ESSDAI_LEVEL_NAMES: Final = ("no", "low", "moderate", "high")
_CODE: Final[Mapping[str, int]] = MappingProxyType({n: i for i, n in enumerate(ESSDAI_LEVEL_NAMES)})

#: Domain of a total ESSDAI score.
ESSDAI_SCORE: Final = Domain(0, ESSDAI_MAX, "ESSDAI score", integer=True)


def _level_domain(domain: str) -> Domain:
    levels = ESSDAI_LEVELS[domain]
    names = "/".join(ESSDAI_LEVEL_NAMES[i] for i in levels)
    return Domain(0, max(levels), f"ESSDAI {domain} level {names}", integer=True)


_DOMAINS: Final[Mapping[str, Domain]] = MappingProxyType(
    {d: _level_domain(d) for d in ESSDAI_WEIGHTS}
)


def _allowed_text(domain: str) -> str:
    levels = ESSDAI_LEVELS[domain]
    names = ", ".join(repr(ESSDAI_LEVEL_NAMES[i]) for i in levels)
    codes = ", ".join(str(i) for i in levels)
    return f"one of {names} or {codes} (levels of the {domain} domain)"


def _level_error(domain: str, value: object, where: str) -> InputError:
    return InputError(
        f"{domain}{where} = {value!r} is not a level of this domain; "
        f"expected {_allowed_text(domain)}"
    )


def _code_of(domain: str, value: object, where: str) -> object:
    """Translate one level name to its number; other values pass through."""
    if is_missing(value):  # pandas.NA in a string Series: missing
        return None
    if isinstance(value, str):
        code = _CODE.get(value)
        if code is None or code not in ESSDAI_LEVELS[domain]:
            raise _level_error(domain, value, where)
        return code
    return value


def _is_series(value: object) -> bool:
    return type(value).__module__.startswith("pandas") and hasattr(value, "index")


def _check_missing_levels(domain: str, flat: NDArray[Any]) -> None:
    """Reject a number between 0 and the top level that the domain does not have."""
    levels = ESSDAI_LEVELS[domain]
    gaps = [c for c in range(max(levels)) if c not in levels]
    if not gaps:
        return
    if flat.dtype.kind in "iuf":
        bad = np.isin(flat, gaps)
        if bad.any():
            i = int(np.flatnonzero(bad)[0])
            v = flat[i].item()
            raise _level_error(domain, int(v) if float(v).is_integer() else v, f"[{i}]")
    elif flat.dtype.kind == "O":
        for i, v in enumerate(flat):
            if (
                isinstance(v, numbers.Real)
                and not isinstance(v, (bool, np.bool_, np.timedelta64, np.datetime64))
                and not math.isnan(float(v))
                and float(v) in gaps
            ):
                raise _level_error(domain, v, f"[{i}]")


def _levels(domain: str, value: object) -> object:
    """Level names -> numbers, and a check of levels the domain lacks.

    Numbers (and None/NaN) are left for :func:`clinscores._core.evaluate` to
    validate against the domain's 0..top range.
    """
    if value is None:
        return value
    if isinstance(value, str):
        return _code_of(domain, value, "")
    if (
        isinstance(value, numbers.Real)
        and not isinstance(value, (bool, np.bool_, np.timedelta64, np.datetime64))
        and not is_missing(value)
    ):
        if not math.isnan(float(value)) and float(value) not in ESSDAI_LEVELS[domain]:
            lo, hi = 0, max(ESSDAI_LEVELS[domain])
            if lo <= float(value) <= hi and float(value).is_integer():
                raise _level_error(domain, value, "")
        return value
    if _is_series(value):
        arr = value.to_numpy()  # type: ignore[attr-defined]
        if arr.dtype.kind in "OUS":
            mapped = _levels(domain, np.asarray(arr, dtype=object))
            import pandas as pd  # only reached for pandas input

            return pd.Series(mapped, index=value.index)  # type: ignore[attr-defined]
        _check_missing_levels(domain, arr.reshape(-1))
        return value
    if isinstance(value, (list, tuple, np.ndarray)):
        arr = np.asarray(value)
        if (
            arr.dtype.kind in "US"
            and isinstance(value, (list, tuple))
            and not all(isinstance(v, str) for v in np.asarray(value, dtype=object).flat)
        ):
            arr = np.asarray(value, dtype=object)  # numbers mixed with names
        if arr.dtype.kind in "US":
            flat = arr.reshape(-1)
            codes = np.full(flat.shape, -1, dtype=np.int64)
            for code in ESSDAI_LEVELS[domain]:
                codes[flat == ESSDAI_LEVEL_NAMES[code]] = code
            bad = codes < 0
            if bad.any():
                i = int(np.flatnonzero(bad)[0])
                raise _level_error(domain, str(flat[i]), f"[{i}]")
            return codes.reshape(arr.shape)
        if arr.dtype.kind == "O":
            flat = np.asarray(value, dtype=object).reshape(-1)
            out = np.empty(flat.shape, dtype=object)
            for i, v in enumerate(flat):
                out[i] = _code_of(domain, v, f"[{i}]")
            _check_missing_levels(domain, out)
            return out.reshape(arr.shape)
        _check_missing_levels(domain, arr.reshape(-1))
        return value
    return value


def essdai(*, others: ArrayLike = OMITTED, **domains: ArrayLike) -> Result:
    r"""ESSDAI, the EULAR Sjögren's syndrome disease activity index.

    Parameters
    ----------
    **domains : int, str or array_like
        The activity level of each domain, as a number (0 no, 1 low,
        2 moderate, 3 high) or its name (``"no"``, ``"low"``,
        ``"moderate"``, ``"high"``).  Keywords and the levels each domain has
        [1]:

        | keyword | weight | levels |
        |---|---|---|
        | `constitutional` | 3 | no, low, moderate |
        | `lymphadenopathy` | 4 | no, low, moderate, high |
        | `glandular` | 2 | no, low, moderate |
        | `articular` | 2 | no, low, moderate, high |
        | `cutaneous` | 3 | no, low, moderate, high |
        | `pulmonary` | 5 | no, low, moderate, high |
        | `renal` | 5 | no, low, moderate, high |
        | `muscular` | 6 | no, low, moderate, high |
        | `peripheral_nervous_system` | 5 | no, low, moderate, high |
        | `central_nervous_system` | 5 | no, moderate, high |
        | `hematological` | 2 | no, low, moderate, high |
        | `biological` | 1 | no, low, moderate |

        ``None`` or NaN marks a domain that was not assessed: the total is
        then unknown (NaN).  Every domain must be given: an omitted domain is
        never taken as "no activity" (a forgotten domain would lower the
        score); it raises ``TypeError`` unless *others* says what the domains
        not given are.
    others : int, str, bool or None, keyword-only
        The level of every domain not given: ``0``, ``"no"`` or ``False``
        (no activity), or ``None``/NaN (not assessed: the total is NaN).  A
        scalar only.  Not given: every domain must be passed.

    Returns
    -------
    int, float or ndarray
        The ESSDAI [0..123].  A Python ``int`` for one patient (``nan`` when
        a domain is missing); on arrays a float64 array of exact integers,
        NaN where a domain is missing.

    Raises
    ------
    TypeError
        For a keyword that is not an ESSDAI domain, and for omitted domains
        without *others* (the message names every one).
    InputError
        For a level the domain does not have (e.g. ``constitutional="high"``
        or ``central_nervous_system=1``), a non-integer, a boolean or a
        value outside 0..3; the message names the domain.

    Notes
    -----
    .. math:: \mathrm{ESSDAI} = \sum_{d=1}^{12} w_d \, \ell_d

    with :math:`\ell_d \in \{0, 1, 2, 3\}` the level of domain :math:`d` and
    :math:`w_d` its weight (table above, Seror 2010 [1] Table 3).  The
    maximum is 123.  The domain definitions (what makes a level) are those of
    the 2010 table as clarified by the user guide [2]; helpers derive the
    haematological and biological levels from laboratory values
    (:func:`essdai_hematological_level`, :func:`essdai_biological_level`).

    References
    ----------
    .. [1] Seror R et al. EULAR Sjögren's syndrome disease activity index:
       development of a consensus systemic disease activity index for primary
       Sjögren's syndrome. Ann Rheum Dis 2010;69:1103-1109.
    .. [2] Seror R et al. EULAR Sjögren's syndrome disease activity index
       (ESSDAI): a user guide. RMD Open 2015;1:e000022.

    Examples
    --------
    >>> essdai(articular="moderate", hematological="high", biological=1, others="no")
    11
    """
    check_keywords("essdai", domains, ESSDAI_WEIGHTS)
    full = complete_items(
        "essdai",
        domains,
        tuple(ESSDAI_WEIGHTS),
        others,
        what="domains",
        absent=0,
        absent_words=("no",),
        hint='others=0 (or "no") to record the rest as no activity',
    )
    names = [d for d in ESSDAI_WEIGHTS if not (type(full[d]) is int and full[d] == 0)]
    weights = [float(ESSDAI_WEIGHTS[d]) for d in names]
    args: list[Arg] = [(d, _levels(d, full[d]), _DOMAINS[d]) for d in names]

    def kernel(out: F64, *levels: NDArray[Any]) -> None:
        out.fill(0.0)
        if not levels:
            return
        tmp = np.empty_like(out)
        for w, level in zip(weights, levels):
            if level.ndim == 0:
                out += w * float(level)
            else:
                np.multiply(level, w, out=tmp)
                out += tmp

    return evaluate(kernel, *args, integer=True, name="essdai")


def essdai_activity(score: ArrayLike) -> Result:
    """Disease-activity state of an ESSDAI score (Seror 2016).

    Parameters
    ----------
    score : int or array_like
        ESSDAI [0..123, integer].

    Returns
    -------
    Activity, None, CodedArray or pandas.Series
        ``Activity.LOW`` for ESSDAI < 5, ``Activity.MODERATE`` for
        5 <= ESSDAI <= 13, ``Activity.HIGH`` for ESSDAI >= 14; ``None`` for a
        missing score.

    Raises
    ------
    clinscores.InputError
        For a score that is not a whole number in 0..123, naming ``score``.

    Notes
    -----
    The cut-offs were derived by ROC analysis and anchoring against the
    physician's global assessment in 790 patients [1].  Seror 2016 names no
    separate "no activity" state: a score of 0 falls in the low state.

    References
    ----------
    .. [1] Seror R et al. Defining disease activity states and clinically
       meaningful improvement in primary Sjögren's syndrome with EULAR
       primary Sjögren's syndrome disease activity (ESSDAI) and
       patient-reported indexes (ESSPRI). Ann Rheum Dis 2016;75:382-389.

    Examples
    --------
    >>> essdai_activity(5)
    <Activity.MODERATE: 'moderate'>
    """
    return categorize(
        score,
        decimals=0,
        cuts=[(5, False), (14, False)],
        labels=[Activity.LOW, Activity.MODERATE, Activity.HIGH],
        name="score",
        domain=ESSDAI_SCORE,
    )


#: Minimal clinically important improvement of the ESSDAI (points) [3].
ESSDAI_MCII: Final = 3


def essdai_mcii(baseline: ArrayLike, current: ArrayLike) -> Result:
    """Whether an ESSDAI change reaches the minimal clinically important improvement.

    Parameters
    ----------
    baseline : int or array_like
        ESSDAI at baseline [0..123, integer].
    current : int or array_like
        ESSDAI at follow-up [0..123, integer].

    Returns
    -------
    bool, None, CodedArray or pandas.Series
        ``True`` when ``baseline - current >= 3``; ``None`` when either
        score is missing.

    Notes
    -----
    Seror 2016 [1] defined the MCII as an improvement of at least three
    points, and proposed it as the definition of response in trials that
    enrol patients with ESSDAI >= 5.

    References
    ----------
    .. [1] Seror R et al. Ann Rheum Dis 2016;75:382-389 (see
       :func:`essdai_activity`).

    Examples
    --------
    >>> essdai_mcii(12, 9)
    True
    """
    return reduction_at_least(baseline, current, ESSDAI_MCII, ESSDAI_SCORE, "mcii")


# --------------------------------------------------------------------------
# laboratory helpers
# --------------------------------------------------------------------------

NEUTROPHILS: Final = Domain(0, 1000, "neutrophils x10^9/L; 1 x10^9/L = 1000/mm3")
LYMPHOCYTES: Final = Domain(0, 1000, "lymphocytes x10^9/L; 1 x10^9/L = 1000/mm3")
HEMOGLOBIN: Final = Domain(0, 25, "haemoglobin g/dL; 10 g/L = 1 g/dL")
PLATELETS: Final = Domain(0, 5000, "platelets x10^9/L; 1 x10^9/L = 1000/mm3")
IGG: Final = Domain(0, 100, "serum IgG g/L; 1 g/L = 100 mg/dL")


def _count_level(x: NDArray[Any], high_below: float, moderate_to: float, low_below: float) -> F64:
    """Level 0..3 of a cytopenia (NaN where the count is missing).

    high: x < high_below; moderate: high_below <= x <= moderate_to;
    low: moderate_to < x < low_below.  The three conditions are nested, so
    the level is the number of them that hold.
    """
    xf = np.array(x, dtype=np.float64, ndmin=1)
    lvl = (xf < low_below).astype(np.float64)
    lvl += xf <= moderate_to
    lvl += xf < high_below
    lvl[np.isnan(xf)] = np.nan
    return lvl


def _bounds(levels: list[F64], caps: list[float]) -> tuple[F64, F64]:
    """(level known for sure, highest level still possible) of a max over items."""
    lo = np.zeros(np.broadcast_shapes(*(a.shape for a in levels)))
    hi = lo.copy()
    for lvl, cap in zip(levels, caps):
        missing = np.isnan(lvl)
        np.maximum(lo, np.where(missing, 0.0, lvl), out=lo)
        np.maximum(hi, np.where(missing, cap, lvl), out=hi)
    return lo, hi


def essdai_hematological_level(
    *,
    neutrophils_1e9_l: NumberLike = None,
    hemoglobin_g_dl: NumberLike = None,
    platelets_1e9_l: NumberLike = None,
    lymphocytes_1e9_l: NumberLike = None,
    autoimmune: FlagLike,
) -> Result:
    """ESSDAI haematological domain level from blood counts.

    Parameters
    ----------
    neutrophils_1e9_l : float or array_like, optional
        Neutrophil count [x10^9/L, 0..1000; 1 x10^9/L = 1000/mm3].  Each
        count omitted (or None/NaN) is unknown: the level is then NaN unless
        the known counts already give the highest level it could reach
        (a platelet count of 25 x10^9/L of autoimmune origin alone gives 3).
    hemoglobin_g_dl : float or array_like
        Haemoglobin [g/dL, 0..25].
    platelets_1e9_l : float or array_like
        Platelet count [x10^9/L, 0..5000; 1 x10^9/L = 1000/mm3].
    lymphocytes_1e9_l : float or array_like
        Lymphocyte count [x10^9/L, 0..1000].
    autoimmune : bool or array_like
        Whether the cytopenia is of autoimmune origin, i.e. due to the
        disease.  Cytopenias from other causes (vitamin or iron deficiency,
        drugs such as cyclophosphamide-induced lymphopenia) are not rated,
        so ``False`` gives level 0.

    Returns
    -------
    int, float or ndarray
        Level 0 (no), 1 (low), 2 (moderate) or 3 (high), to pass as
        ``essdai(hematological=...)``; NaN when a missing value could change
        the level.  Arrays give float64 arrays.

    Notes
    -----
    The level is the highest one reached by any count [1], [2]:

    | count | low (1) | moderate (2) | high (3) |
    |---|---|---|---|
    | neutrophils | 1.0 < N < 1.5 | 0.5 <= N <= 1.0 | N < 0.5 |
    | haemoglobin | 10 < Hb < 12 | 8 <= Hb <= 10 | Hb < 8 |
    | platelets | 100 < P < 150 | 50 <= P <= 100 | P < 50 |
    | lymphocytes | 0.5 < L < 1.0 | L <= 0.5 | (none) |

    (counts in x10^9/L, haemoglobin in g/dL; the source tables give
    cells/mm3.)  A missing count makes the level unknown only when it could
    raise the level above the one the known counts give: a platelet count of
    25 x10^9/L of autoimmune origin gives the high level whatever the other
    counts.  With ``autoimmune`` missing the level is unknown unless every
    count is normal (level 0).

    The thresholds were checked against a transcription of the ESSDAI
    domain table; the user guide's [2] own table could not be read for this
    implementation (see the documentation page).

    References
    ----------
    .. [1] Seror R et al. Ann Rheum Dis 2010;69:1103-1109, Table 3.
    .. [2] Seror R et al. ESSDAI: a user guide. RMD Open 2015;1:e000022.

    Examples
    --------
    >>> essdai_hematological_level(neutrophils_1e9_l=2.0, hemoglobin_g_dl=13.0,
    ...     platelets_1e9_l=25, lymphocytes_1e9_l=1.2, autoimmune=True)
    3
    """

    def kernel(
        out: F64,
        n: NDArray[Any],
        hb: NDArray[Any],
        plt: NDArray[Any],
        ly: NDArray[Any],
        ai: NDArray[Any],
    ) -> None:
        levels = [
            _count_level(n, 0.5, 1.0, 1.5),
            _count_level(hb, 8.0, 10.0, 12.0),
            _count_level(plt, 50.0, 100.0, 150.0),
            _count_level(ly, -math.inf, 0.5, 1.0),
        ]
        lo, hi = _bounds(levels, [3.0, 3.0, 3.0, 2.0])
        level = np.where(lo == hi, lo, np.nan)
        a = np.array(ai, dtype=np.float64, ndmin=1)
        res = np.where(a == 1.0, level, 0.0)
        res = np.where(np.isnan(a) & (hi > 0), np.nan, res)
        out[...] = np.broadcast_to(res, out.shape)

    out, prep = compute(
        kernel,
        ("neutrophils_1e9_l", neutrophils_1e9_l, NEUTROPHILS),
        ("hemoglobin_g_dl", hemoglobin_g_dl, HEMOGLOBIN),
        ("platelets_1e9_l", platelets_1e9_l, PLATELETS),
        ("lymphocytes_1e9_l", lymphocytes_1e9_l, LYMPHOCYTES),
        ("autoimmune", autoimmune, FLAG),
    )
    return prep.wrap(out, integer=True, name="hematological")


def essdai_biological_level(
    *,
    clonal_component: ArrayLike,
    hypocomplementemia: ArrayLike,
    igg_g_l: ArrayLike,
    cryoglobulinemia: ArrayLike,
    recent_hypogammaglobulinemia: ArrayLike | None = None,
) -> Result:
    """ESSDAI biological domain level from laboratory findings.

    Parameters
    ----------
    clonal_component : bool or array_like
        A monoclonal component on serum protein electrophoresis or
        immunofixation.
    hypocomplementemia : bool or array_like
        Low C4, C3 or CH50.
    igg_g_l : float or array_like
        Serum IgG [g/L, 0..100; 1 g/L = 100 mg/dL].
    cryoglobulinemia : bool or array_like
        Cryoglobulins present.
    recent_hypogammaglobulinemia : bool or array_like, optional
        Whether an IgG below 5 g/L is of recent onset (a recent fall).  Only
        consulted when ``igg_g_l < 5``; ``None`` (the default) then makes
        the level unknown unless another finding gives the moderate level.

    Returns
    -------
    int, float or ndarray
        Level 0 (no), 1 (low) or 2 (moderate); the domain has no high level.
        NaN when a missing value could change the level.

    Notes
    -----
    Highest level reached by any finding [1], [2]:

    * low (1): clonal component, hypocomplementaemia, or
      hypergammaglobulinaemia with 16 <= IgG <= 20 g/L;
    * moderate (2): cryoglobulinaemia, hypergammaglobulinaemia with
      IgG > 20 g/L, or recent-onset hypogammaglobulinaemia (recent fall of
      IgG to < 5 g/L).

    The published item reads "hypergammaglobulinaemia or high IgG level";
    this helper rates it from the IgG value.

    References
    ----------
    .. [1] Seror R et al. Ann Rheum Dis 2010;69:1103-1109, Table 3.
    .. [2] Seror R et al. ESSDAI: a user guide. RMD Open 2015;1:e000022.

    Examples
    --------
    >>> essdai_biological_level(clonal_component=False, hypocomplementemia=True,
    ...     igg_g_l=22.0, cryoglobulinemia=False)
    2
    """

    def kernel(
        out: F64,
        clonal: NDArray[Any],
        hypoc: NDArray[Any],
        igg: NDArray[Any],
        cryo: NDArray[Any],
        recent: NDArray[Any],
    ) -> None:
        g = np.array(igg, dtype=np.float64, ndmin=1)
        g_missing = np.isnan(g)

        def flag_level(x: NDArray[Any], level: float) -> F64:
            xf = np.array(x, dtype=np.float64, ndmin=1)
            return np.where(np.isnan(xf), np.nan, xf * level)

        igg_level = np.where(g > 20.0, 2.0, np.where(g >= 16.0, 1.0, 0.0))
        igg_level[g_missing] = np.nan
        r = np.array(recent, dtype=np.float64, ndmin=1)
        low_igg = g < 5.0
        hypo_level = np.where(low_igg, r * 2.0, 0.0)  # NaN where recent unknown
        hypo_level = np.where(g_missing, np.nan, hypo_level)
        lo, hi = _bounds(
            [
                flag_level(clonal, 1.0),
                flag_level(hypoc, 1.0),
                igg_level,
                flag_level(cryo, 2.0),
                hypo_level,
            ],
            [1.0, 1.0, 2.0, 2.0, 2.0],
        )
        out[...] = np.broadcast_to(np.where(lo == hi, lo, np.nan), out.shape)

    out, prep = compute(
        kernel,
        ("clonal_component", clonal_component, FLAG),
        ("hypocomplementemia", hypocomplementemia, FLAG),
        ("igg_g_l", igg_g_l, IGG),
        ("cryoglobulinemia", cryoglobulinemia, FLAG),
        ("recent_hypogammaglobulinemia", recent_hypogammaglobulinemia, FLAG),
    )
    return prep.wrap(out, integer=True, name="biological")
