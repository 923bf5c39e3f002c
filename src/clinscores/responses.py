"""Table of the response and remission criteria assessed across visits.

Each :class:`Criterion` names the visit-table columns it reads at the
patient's **baseline** visit, at the **current** visit and, where the
criterion needs it (LLDAS: "no new features"), at the **previous** visit,
and a small function that evaluates it on those columns.
:func:`clinscores.frame.respond` and ``clinscores respond`` are built on this
table, so adding a criterion is adding an entry to :func:`criteria`.

Columns are read in the package's own parameter names: scores as the columns
:func:`clinscores.frame.score` adds (``das28_esr``, ``essdai``, ...) or as
named here (``sledai2k``, ``pga``, ``prednisolone_mg_day``), SLEDAI-2K
descriptors by their :func:`~clinscores.sle.sledai2k` keywords, BILAG-2004
grades as ``bilag_<system>`` (text ``A``..``E``).

Adding a criterion
------------------
Add the columns it reads to :data:`COLUMNS` (with their domain) and one
entry to the table in :func:`criteria`: a :class:`Criterion`, or for the
common shapes :func:`at_visit` (a state at the visit, from one column) and
:func:`from_baseline` (a function of the baseline and current values of one
column), e.g. ``from_baseline("essdai_mcii", "...", essdai_mcii, "essdai")``.
The function receives whole columns (arrays) and returns a
:class:`~clinscores.CodedArray` (met / not met / unknown, or the criterion's
categories, e.g. ``none`` < ``moderate`` < ``good``), as the package's
functions return on arrays; unknown inputs reach it as NaN / missing.

This module imports numpy, :mod:`clinscores.criteria` and the instrument modules
only (never pandas).

Examples
--------
>>> from clinscores.responses import get_criterion
>>> sri4 = get_criterion("sri4")
>>> sri4.current[:3]
('sledai2k', 'pga', 'bilag_constitutional')
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Mapping
from typing import Any, Final, Literal

import attrs
import numpy as np
from numpy.typing import NDArray

from clinscores._coded import TRISTATE, UNKNOWN, CodedArray
from clinscores._core import FLAG, Domain

__all__ = [
    "ACR_LEVELS",
    "BILAG_COLUMNS",
    "COLUMNS",
    "EULAR_RESPONSE_CATEGORIES",
    "GRADE",
    "Criterion",
    "Visits",
    "at_visit",
    "coded",
    "criteria",
    "from_baseline",
    "get_criterion",
]

#: Marker domain of a column holding BILAG-2004 grades (text ``"A"``..``"E"``).
GRADE: Final = Domain(0, 4, "BILAG-2004 grade 'A'..'E'", integer=True)

Arrays = Mapping[str, NDArray[Any]]
Kind = Literal["bool", "str"]


@attrs.frozen
class Visits:
    """Column arrays of the rows being assessed, aligned row by row.

    ``baseline[c]``, ``current[c]`` and ``previous[c]`` hold column ``c`` at
    the patient's baseline visit, the visit itself and the visit before it:
    float64 (NaN missing) for numbers and flags,
    :class:`~clinscores.CodedArray` grades ``"E"`` < .. < ``"A"`` (as
    :func:`~clinscores.sle.bilag2004` returns them; ``None`` unknown) for
    BILAG-2004 grades.  A visit with no baseline (before the flagged one) or
    no previous visit (the first) has missing values.
    """

    baseline: Arrays
    current: Arrays
    previous: Arrays


@attrs.frozen
class Criterion:
    """A response or remission criterion over visits.

    Attributes
    ----------
    name : str
        Registry key and output column, e.g. ``"sri4"``.
    summary : str
        One line: what the column says.
    baseline, current, previous : tuple of str
        Columns read at each of the three visits.
    evaluate : callable
        ``evaluate(visits) -> CodedArray``: one code per row, of
        :attr:`categories` (``-1`` unknown).
    kind : {"bool", "str"}
        Met / not met / unknown (a ``boolean`` column), or text categories
        (an ordered ``Categorical`` column).
    categories : tuple
        The values of the result, lowest first: met / not met / unknown
        ``(False, True)`` for ``kind="bool"``; e.g. ``("none", "moderate",
        "good")`` for the EULAR response.
    """

    name: str
    summary: str
    baseline: tuple[str, ...]
    current: tuple[str, ...]
    previous: tuple[str, ...]
    evaluate: Callable[[Visits], CodedArray]
    kind: Kind = "bool"
    categories: tuple[Any, ...] = TRISTATE

    @property
    def columns(self) -> tuple[str, ...]:
        """Every column the criterion reads, each once."""
        return tuple(dict.fromkeys((*self.baseline, *self.current, *self.previous)))


def _build_columns() -> dict[str, Domain]:
    from clinscores.pss.essdai import ESSDAI_SCORE
    from clinscores.pss.esspri import NRS
    from clinscores.ra.acr_response import ACR_RESPONSE_DOMAINS
    from clinscores.sle._response import PGA, PREDNISOLONE, SLEDAI_SCORE
    from clinscores.sle.bilag2004 import BILAG2004_SYSTEMS
    from clinscores.sle.sledai2k import SLEDAI2K_WEIGHTS
    from clinscores.ssc.criss import CRISS_DOMAINS

    score = Domain(0, float("inf"), "score")
    cols: dict[str, Domain] = {
        "sledai2k": SLEDAI_SCORE,
        "pga": PGA,
        "prednisolone_mg_day": PREDNISOLONE,
        "treatment_failure": FLAG,
        "other_new_activity": FLAG,
        "hemolytic_anemia": FLAG,
        "gastrointestinal_activity": FLAG,
        "immunosuppressants_tolerated": FLAG,
        "treatment_permitted": FLAG,
        **dict.fromkeys(SLEDAI2K_WEIGHTS, FLAG),
        **{f"bilag_{s}": GRADE for s in BILAG2004_SYSTEMS},
        **dict.fromkeys(("das28_esr", "das28_crp", "cdai", "sdai"), score),
        "essdai": ESSDAI_SCORE,
        "esspri": NRS,
        **{k: ACR_RESPONSE_DOMAINS[k] for k in (*_ACR_COLUMNS, "esr", "crp_mg_l")},
        **CRISS_DOMAINS,
        **dict.fromkeys(_CRISS_EVENTS, FLAG),
    }
    return cols


#: Core set columns of the ACR response (28-joint counts, 100 mm scales).
_ACR_COLUMNS: Final = ("tjc28", "sjc28", "ptga_mm", "evga_mm", "pain_mm", "haq_di")
#: Step-1 events of the CRISS, recorded at the visit.
_CRISS_EVENTS: Final = ("renal_crisis", "new_lv_failure", "new_pah")


#: Column name -> allowed values, for every column some criterion reads.
COLUMNS: Final[Mapping[str, Domain]] = _build_columns()

#: The nine BILAG-2004 grade columns, ``bilag_<system>``.
BILAG_COLUMNS: Final = tuple(c for c, d in COLUMNS.items() if d is GRADE)


def _grades(arrays: Arrays) -> dict[str, NDArray[Any]]:
    return {c.removeprefix("bilag_"): arrays[c] for c in BILAG_COLUMNS}


def coded(result: Any, categories: tuple[Any, ...] = TRISTATE) -> CodedArray:
    """An instrument's array result as a 1-d CodedArray of *categories* (in their order).

    A :class:`~clinscores.CodedArray` of those categories is passed through
    (no copy); one of the same values in another order is recoded by a
    lookup on its few categories.

    Raises
    ------
    TypeError
        For a result that is not a CodedArray: every function of the
        package returns one on arrays, so anything else is a mistake in the
        table (an object array is never made per row).
    ValueError
        For a category that is not one of *categories*.
    """
    if not isinstance(result, CodedArray):
        raise TypeError(f"a response criterion returned {type(result).__name__}, not a CodedArray")
    flat = result.ravel()
    if flat.categories == categories:
        return flat
    wanted = [c.value if hasattr(c, "value") else c for c in categories]
    lut = np.full(len(flat.categories) + 1, UNKNOWN, dtype=np.int8)
    for i, c in enumerate(flat.categories):
        lut[i] = wanted.index(c.value if hasattr(c, "value") else c)
    return CodedArray.from_codes(lut[flat.codes], categories)


# --------------------------------------------------------------------------
# SLE
# --------------------------------------------------------------------------


def _sle() -> list[Criterion]:
    from clinscores.sle import SLEDAI2K_WEIGHTS, bicla, doris_remission, lldas, sri

    sri_cols = ("sledai2k", "pga", *BILAG_COLUMNS)

    def sri_k(k: int) -> Criterion:
        def run(v: Visits) -> CodedArray:
            b, c = v.baseline, v.current
            return coded(sri(
                b["sledai2k"], c["sledai2k"], _grades(b), _grades(c), b["pga"], c["pga"],
                reduction=k,
            ))  # fmt: skip

        return Criterion(
            f"sri{k}",
            f"SLE Responder Index, SLEDAI-2K reduction >= {k} (Furie 2009)",
            sri_cols,
            sri_cols,
            (),
            run,
        )

    def run_bicla(v: Visits) -> CodedArray:
        b, c = v.baseline, v.current
        return coded(bicla(
            b["sledai2k"], c["sledai2k"], _grades(b), _grades(c), b["pga"], c["pga"],
            c["treatment_failure"],
        ))  # fmt: skip

    descriptors = tuple(SLEDAI2K_WEIGHTS)
    lldas_cur = (
        *descriptors,
        "other_new_activity",
        "hemolytic_anemia",
        "gastrointestinal_activity",
        "pga",
        "prednisolone_mg_day",
        "immunosuppressants_tolerated",
    )

    def run_lldas(v: Visits) -> CodedArray:
        c, p = v.current, v.previous
        return coded(
            lldas(
                descriptors={d: c[d] for d in descriptors},
                previous_descriptors={d: p[d] for d in descriptors},
                other_new_activity=c["other_new_activity"],
                hemolytic_anemia=c["hemolytic_anemia"],
                gastrointestinal_activity=c["gastrointestinal_activity"],
                pga=c["pga"],
                prednisolone_mg_day=c["prednisolone_mg_day"],
                immunosuppressants_tolerated=c["immunosuppressants_tolerated"],
            )
        )

    doris_cur = (*descriptors, "pga", "prednisolone_mg_day", "treatment_permitted")

    def run_doris(v: Visits) -> CodedArray:
        c = v.current
        return coded(
            doris_remission(
                descriptors={d: c[d] for d in descriptors},
                pga=c["pga"],
                prednisolone_mg_day=c["prednisolone_mg_day"],
                treatment_permitted=c["treatment_permitted"],
            )
        )

    bicla_cols = (*sri_cols, "treatment_failure")
    return [
        *(sri_k(k) for k in range(4, 9)),
        Criterion(
            "bicla",
            "BILAG-based Composite Lupus Assessment response (Wallace 2014)",
            sri_cols,
            bicla_cols,
            (),
            run_bicla,
        ),
        Criterion(
            "lldas",
            "Lupus Low Disease Activity State (Franklyn 2016)",
            (),
            lldas_cur,
            descriptors,
            run_lldas,
        ),
        Criterion(
            "doris_remission",
            "2021 DORIS remission (van Vollenhoven 2021)",
            (),
            doris_cur,
            (),
            run_doris,
        ),
    ]


# --------------------------------------------------------------------------
# RA and pSS: criteria on scores already in the table
# --------------------------------------------------------------------------


def _at_most(
    category: Callable[[Any], Any], labels: tuple[str, ...]
) -> Callable[[Any], CodedArray]:
    """Met where the activity category is one of *labels*; unknown where it is unknown."""

    def state(score: Any) -> CodedArray:
        cats = coded(category(score), _ACTIVITY)
        hit = np.zeros(len(_ACTIVITY) + 1, dtype=np.int8)  # by code; the last: -1 unknown
        hit[[_ACTIVITY.index(label) for label in labels]] = 1
        hit[-1] = UNKNOWN
        return CodedArray.from_codes(hit[cats.codes], TRISTATE)

    return state


def at_visit(
    name: str,
    summary: str,
    state: Callable[[Any], Any],
    column: str,
    kind: Kind = "bool",
    categories: tuple[Any, ...] = TRISTATE,
) -> Criterion:
    """A criterion on one column at the visit itself, e.g. DAS28 remission.

    *state* returns a :class:`~clinscores.CodedArray` of *categories*.
    """

    def run(v: Visits) -> CodedArray:
        return coded(state(v.current[column]), categories)

    return Criterion(name, summary, (), (column,), (), run, kind, categories)


def from_baseline(
    name: str,
    summary: str,
    change: Callable[[Any, Any], Any],
    column: str,
    kind: Kind = "bool",
    categories: tuple[Any, ...] = TRISTATE,
) -> Criterion:
    """A criterion ``change(baseline, current)`` on one column, e.g. ESSDAI MCII.

    *change* returns a :class:`~clinscores.CodedArray` of *categories*.
    """

    def run(v: Visits) -> CodedArray:
        return coded(change(v.baseline[column], v.current[column]), categories)

    return Criterion(name, summary, (column,), (column,), (), run, kind, categories)


#: Activity categories, lowest first (the codes of the activity functions' results).
_ACTIVITY: Final = ("remission", "low", "moderate", "high")
#: EULAR response categories, lowest first.
EULAR_RESPONSE_CATEGORIES: Final = ("none", "moderate", "good")
#: ACR response levels, lowest first.
ACR_LEVELS: Final = ("none", "ACR20", "ACR50", "ACR70")


def _ra_pss() -> list[Criterion]:
    from clinscores.pss.essdai import essdai_mcii
    from clinscores.ra import cdai_activity, das28_activity, eular_response, sdai_activity

    out: list[Criterion] = []
    for score, category, what in (
        ("das28_esr", das28_activity, "DAS28-ESR"),
        ("das28_crp", das28_activity, "DAS28-CRP"),
        ("cdai", cdai_activity, "CDAI"),
        ("sdai", sdai_activity, "SDAI"),
    ):
        remission = _at_most(category, ("remission",))
        low = _at_most(category, ("remission", "low"))
        lda = f"{what} low disease activity or remission at the visit"
        out.append(
            at_visit(f"{score}_remission", f"{what} remission at the visit", remission, score)
        )
        out.append(at_visit(f"{score}_low_activity", lda, low, score))
    for score in ("das28_esr", "das28_crp"):
        out.append(
            from_baseline(
                f"eular_response_{score.removeprefix('das28_')}",
                f"EULAR response on {score} from baseline: good, moderate or none",
                eular_response,
                score,
                kind="str",
                categories=EULAR_RESPONSE_CATEGORIES,
            )
        )
    out.append(
        from_baseline(
            "essdai_mcii",
            "ESSDAI minimal clinically important improvement from baseline",
            essdai_mcii,
            "essdai",
        )
    )
    return out


def _responses() -> list[Criterion]:
    """ACR20/50/70 (by ESR or CRP), ESSPRI MCII and CRISS from baseline."""
    from clinscores.pss.esspri import esspri_mcii
    from clinscores.ra.acr_response import acr_response
    from clinscores.ssc.criss import CRISS_KEYS, criss

    def acr(reactant: str) -> Criterion:
        cols = (*_ACR_COLUMNS, reactant)

        def run(v: Visits) -> CodedArray:
            level = np.asarray(
                acr_response(
                    {c: v.baseline[c] for c in cols}, {c: v.current[c] for c in cols}
                ).level,
                dtype=np.float64,
            ).reshape(-1)
            # levels 0, 20, 50, 70 -> codes 0..3 (unknown: -1)
            code = np.where(np.isnan(level), UNKNOWN, np.nan_to_num(level) // 20)
            return CodedArray.from_codes(code.astype(np.int8), ACR_LEVELS)

        what = "ESR" if reactant == "esr" else "CRP"
        return Criterion(
            f"acr_{what.lower()}",
            f"ACR20/50/70 from baseline ({what}): the highest level reached, or none",
            cols,
            cols,
            (),
            run,
            "str",
            ACR_LEVELS,
        )

    def run_criss(v: Visits) -> CodedArray:
        return coded(
            criss(
                {c: v.baseline[c] for c in CRISS_KEYS},
                {c: v.current[c] for c in CRISS_KEYS},
                **{e: v.current[e] for e in _CRISS_EVENTS},
            ).improved
        )

    return [
        acr("esr"),
        acr("crp_mg_l"),
        from_baseline(
            "esspri_mcii",
            "ESSPRI minimal clinically important improvement from baseline",
            esspri_mcii,
            "esspri",
        ),
        Criterion(
            "criss",
            "ACR CRISS improved (probability >= 0.60) from baseline",
            CRISS_KEYS,
            (*CRISS_KEYS, *_CRISS_EVENTS),
            (),
            run_criss,
        ),
    ]


@functools.cache
def criteria() -> Mapping[str, Criterion]:
    """All criteria over visits, by name (built on first use)."""
    return {c.name: c for c in (*_sle(), *_ra_pss(), *_responses())}


def get_criterion(name: str) -> Criterion:
    """The criterion called *name*.

    Raises
    ------
    KeyError
        For an unknown name; the message lists the known ones.
    """
    table = criteria()
    try:
        return table[name]
    except KeyError:
        known = ", ".join(sorted(table))
        raise KeyError(f"unknown response criterion {name!r}; known: {known}") from None
