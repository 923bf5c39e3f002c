"""BILAG-2004 system rules: activity levels of each system from its items, on arrays.

The rules of the index glossary's scoring section (see
:mod:`clinscores.sle.bilag2004` for the sources and their provenance) as
functions of one block of forms: systems 1-7 from their 0..4 codes, renal
from its measured values, previous values and yes/no items (each criterion
with the text that explains it), haematological bounded.  Every unknown is
taken both ways, so each system gets a low and a high level (0 none,
1 C, 2 B, 3 A).  The grades, the arguments and the explanations are built on
these levels in :mod:`clinscores.sle.bilag2004`.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from typing import Final

import attrs
import numpy as np
from numpy.typing import NDArray

from clinscores.sle._bilag2004_items import BILAG2004_ITEM_GROUPS

FloatArray = NDArray[np.float64]
BoolArray = NDArray[np.bool_]
LevelArray = NDArray[np.int8]
Values = Mapping[int, FloatArray]

# Activity levels: 0 none (D or E), 1 C, 2 B, 3 A.

#: Level reached by one item of group A, B or C (rows) at each code 0..4.
_GROUP_LEVEL: Final = np.array([[0, 2, 3, 3, 3], [0, 1, 2, 2, 2], [0, 1, 1, 1, 1]], dtype=np.int8)

_PYREXIA: Final = 1
_CONSTITUTIONAL_OTHERS: Final = (2, 3, 4)
_RENAL_FLAGS: Final = (80, 85, 88, 89)
_RENAL_VALUES: Final = (78, 79, 81, 82, 83, 84, 86, 87)
_HEMATOLOGICAL_FLAGS: Final = (96, 97)
_HEMATOLOGICAL_VALUES: Final = (90, 91, 92, 93, 94)

# Renal thresholds (glossary scoring section, form of 1 Sep 2009).
_PROTEIN: Final = {
    84: ("24-hour urine protein", "g"),
    83: ("UPCR", "mg/mmol"),
    82: ("UACR", "mg/mmol"),
}
_A1_ABOVE: Final = {84: 1.0, 83: 100.0, 82: 100.0}
_B1_AT_LEAST: Final = {84: 0.5, 83: 50.0, 82: 50.0}
_C1_ABOVE: Final = {84: 0.25, 83: 25.0, 82: 25.0}
_KEPT_FRACTION: Final = 0.75  # a fall of more than 25 % is an improvement
_CREATININE_ABOVE: Final = 130.0  # umol/l
_GFR_A: Final = 80.0  # ml/min/1.73 m2, and at most 67 % of the previous value
_GFR_FALL_TO: Final = 0.67
_GFR_LOW: Final = 50.0
_BP_ABOVE: Final = (140.0, 90.0)  # mmHg systolic, diastolic
_BP_RISE: Final = (30.0, 15.0)


#: Tolerance of the boundary comparisons (far below any measurement's precision).
_EPS: Final = 1e-9


def _ge(x: FloatArray | float, y: FloatArray | float) -> BoolArray:
    """``x >= y`` up to :data:`_EPS` (NaN: False).

    So ``0.9 >= 0.75 * 1.2`` holds as written, whatever the binary noise.
    """
    return np.asarray(np.subtract(x, y) >= -_EPS)


def _gt(x: FloatArray | float, y: FloatArray | float) -> BoolArray:
    """``x > y`` beyond :data:`_EPS` (NaN: False)."""
    return np.asarray(np.subtract(x, y) > _EPS)


def _any(masks: list[BoolArray]) -> BoolArray:
    """Element-wise OR of masks of length 1 or of the block's length."""
    out = masks[0]
    for mask in masks[1:]:
        out = out | mask
    return np.asarray(out)


def _fmt(x: float) -> str:
    return f"{x:g}"


def _prev(p: float) -> str:
    return "previous not measured" if math.isnan(p) else f"previous {_fmt(p)}"


@attrs.frozen
class _Part:
    """One way of meeting a renal criterion: its mask, the items it uses, its text.

    ``mask(v, p, dipstick)`` takes the current values as recorded, the
    previous values and where the dipstick is the measure of proteinuria.
    A measured value counts only when due to SLE; a value that does not
    count would make every comparison of the part false (it would be NaN),
    so the part is met when its mask holds and each measured value it
    *uses* counts.  A yes/no item's part uses no measured value: its mask
    is the item's own (see :func:`_renal_parts`).
    """

    criterion: str
    mask: Callable[[Values, Values, BoolArray], BoolArray]
    text: Callable[[Mapping[int, float], Mapping[int, float]], str]
    uses: tuple[int, ...] = ()
    flag: int | None = None


def _protein(criterion: str, item: int, limit: float, op: str, kept: bool) -> _Part:
    label, unit = _PROTEIN[item]

    def mask(v: Values, p: Values, dip: BoolArray) -> BoolArray:
        hit = _ge(v[item], limit) if op == ">=" else _gt(v[item], limit)
        if kept:  # not fallen by more than 25 %; no previous value: not improved
            hit &= np.isnan(p[item]) | _ge(v[item], _KEPT_FRACTION * p[item])
        return hit

    def text(v: Mapping[int, float], p: Mapping[int, float]) -> str:
        out = f"{label} {_fmt(v[item])} {unit} {op} {_fmt(limit)}"
        if not kept:
            return out
        if math.isnan(p[item]):
            return out + " (previous not measured)"
        return out + f" (previous {_fmt(p[item])}: fallen by 25 % or less)"

    return _Part(criterion, mask, text, (item,))


def _dipstick(criterion: str, rise: int, at_least: int) -> _Part:
    def mask(v: Values, p: Values, dip: BoolArray) -> BoolArray:
        hit = dip & _ge(v[81], at_least)
        return hit & _ge(v[81] - p[81], rise) if rise else hit

    def text(v: Mapping[int, float], p: Mapping[int, float]) -> str:
        out = f"urine dipstick {'+' * int(v[81]) or 'negative'} (no quantitative measure)"
        return out + f", risen by >= {rise} ({_prev(p[81])})" if rise else out

    return _Part(criterion, mask, text, (81,))


def _flag(criterion: str, item: int) -> _Part:
    return _Part(
        criterion,
        lambda v, p, dip: np.asarray(v[item] == 1.0),
        lambda v, p: f"item {item}",
        flag=item,
    )


def _creatinine(criterion: str, rise: float) -> _Part:
    def mask(v: Values, p: Values, dip: BoolArray) -> BoolArray:
        return _gt(v[86], _CREATININE_ABOVE) & _ge(v[86], rise * p[86])

    def text(v: Mapping[int, float], p: Mapping[int, float]) -> str:
        return (
            f"creatinine {_fmt(v[86])} umol/l > 130 and >= {round(rise * 100)} % of "
            f"previous {_fmt(p[86])}"
        )

    return _Part(criterion, mask, text, (86,))


def _gfr_fall(v: Values, p: Values, dip: BoolArray) -> BoolArray:
    return _gt(_GFR_A, v[87]) & _ge(_GFR_FALL_TO * p[87], v[87])


def _gfr_low(v: Values, p: Values, dip: BoolArray) -> BoolArray:
    return _gt(_GFR_LOW, v[87]) & (np.isnan(p[87]) | _gt(p[87], _GFR_LOW))


def _bp(v: Values, p: Values, dip: BoolArray) -> BoolArray:
    return (
        _gt(v[78], _BP_ABOVE[0])
        & _gt(v[79], _BP_ABOVE[1])
        & _ge(v[78] - p[78], _BP_RISE[0])
        & _ge(v[79] - p[79], _BP_RISE[1])
    )


#: Every way of meeting each renal criterion, in the order A1..C2.
_RENAL_PARTS: Final = (
    *(_protein("A1", n, _A1_ABOVE[n], ">", True) for n in _PROTEIN),
    _dipstick("A1", 2, 2),
    _flag("A2", 80),
    _creatinine("A3", 1.30),
    _Part(
        "A3",
        _gfr_fall,
        lambda v, p: f"GFR {_fmt(v[87])} < 80 and <= 67 % of {_prev(p[87])}",
        (87,),
    ),
    _Part("A3", _gfr_low, lambda v, p: f"GFR {_fmt(v[87])} < 50 ({_prev(p[87])})", (87,)),
    _flag("A4", 88),
    _flag("A5", 89),
    _flag("A6", 85),
    *(_protein("B1", n, _B1_AT_LEAST[n], ">=", True) for n in _PROTEIN),
    _dipstick("B1", 1, 2),
    _creatinine("B2", 1.15),
    *(_protein("C1", n, _C1_ABOVE[n], ">", False) for n in _PROTEIN),
    _dipstick("C1", 0, 1),
    _Part(
        "C2",
        _bp,
        lambda v, p: (
            f"blood pressure {_fmt(v[78])}/{_fmt(v[79])} mmHg > 140/90, risen by >= 30/15 "
            f"from {_fmt(p[78])}/{_fmt(p[79])}"
        ),
        (78, 79),
    ),
)


def _renal_level(parts: list[BoolArray]) -> LevelArray:
    """The renal level from the parts met (A: two of A1-A6 with A1, A4 or A5)."""
    c: dict[str, BoolArray] = {}
    for part, hit in zip(_RENAL_PARTS, parts):
        c[part.criterion] = c[part.criterion] | hit if part.criterion in c else hit
    n = sum(c[k].astype(np.int8) for k in ("A1", "A2", "A3", "A4", "A5", "A6"))
    a = (n >= 2) & (c["A1"] | c["A4"] | c["A5"])
    b = (n >= 1) | c["B1"] | c["B2"]
    return np.where(a, 3, np.where(b, 2, np.where(c["C1"] | c["C2"], 1, 0))).astype(np.int8)


def _constitutional(items: list[FloatArray], unknown_present: bool) -> LevelArray:
    """A: pyrexia and two others; B: pyrexia or two others (codes 2-4); C: any code 1-4.

    *items* are pyrexia (item 1) then items 2-4; an unknown (NaN) item is
    taken at 0 or, with *unknown_present*, at 4.
    """

    def at_least(x: FloatArray, code: int) -> BoolArray:
        return np.asarray(~(x < code) if unknown_present else x >= code)

    fever = at_least(items[0], 2)
    two = sum(at_least(o, 2).astype(np.int8) for o in items[1:]) >= 2
    any_item = _any([at_least(x, 1) for x in items])
    level = np.where(fever & two, 3, np.where(fever | two, 2, np.where(any_item, 1, 0)))
    return np.asarray(level, dtype=np.int8)


def _groups(v: Values, groups: tuple[tuple[int, ...], ...], m: int) -> tuple[LevelArray, ...]:
    """(low, high) level of a system of systems 2-7: the highest of its items."""
    low = np.zeros(m, dtype=np.int8)
    high = np.zeros(m, dtype=np.int8)
    for row, items in enumerate(groups):
        if not items:
            continue
        top = np.zeros(m)
        missing: BoolArray | None = None
        for n in items:
            np.fmax(top, v[n], out=top)  # NaN (missing) is passed over
            if v[n].dtype.kind == "f":  # only floats can hold a missing value
                nan = np.isnan(v[n])
                missing = nan if missing is None else missing | nan
        code = top.astype(np.intp)
        level = _GROUP_LEVEL[row][code]
        np.maximum(low, level, out=low)
        if missing is not None and missing.any():
            code[np.broadcast_to(missing, (m,))] = 4
            level = _GROUP_LEVEL[row][code]
        np.maximum(high, level, out=high)
    return low, high


def _renal_parts(
    v: Values, p: Values, due: Values, m: int
) -> tuple[list[BoolArray], list[BoolArray]]:
    """Parts met (sure, possible): unknown attributions and yes/no items not counted, counted.

    Each part's mask is computed once on the values as recorded, then
    combined with where its values count (:class:`_Part`).  The two lists
    are the same objects when nothing is unknown.
    """
    dip = np.isnan(v[82]) & np.isnan(v[83]) & np.isnan(v[84])
    sure_counts: dict[int, BoolArray] = {}
    maybe_counts: dict[int, BoolArray] = {}
    unsure = False
    for n in _RENAL_VALUES:
        sure_counts[n] = np.asarray(due[n] == 1.0)
        maybe_counts[n] = np.asarray(due[n] != 0.0)  # not given (NaN): may count
        unsure = unsure or bool((maybe_counts[n] & ~sure_counts[n] & ~np.isnan(v[n])).any())
    flags: dict[int, tuple[BoolArray, BoolArray]] = {}
    for n in _RENAL_FLAGS:
        present = np.asarray(v[n] == 1.0)
        possible = np.asarray(v[n] != 0.0)  # NaN: may be present
        unsure = unsure or bool((possible & ~present).any())
        flags[n] = (present, possible)
    sure: list[BoolArray] = []
    maybe: list[BoolArray] = []
    for part in _RENAL_PARTS:
        if part.flag is not None:
            hit, could = flags[part.flag]
        else:
            raw = part.mask(v, p, dip)
            hit = could = raw
            for n in part.uses:
                hit = hit & sure_counts[n]
                could = could & maybe_counts[n] if unsure else hit
        sure.append(np.broadcast_to(hit, (m,)))
        maybe.append(np.broadcast_to(could, (m,)) if unsure else sure[-1])
    return sure, maybe


def _hematological(v: Values, due: Values, m: int) -> tuple[LevelArray, LevelArray]:
    """(low, high): a feature present gives 1..3 (not graded), none 0, unknown 0..3."""
    present = np.asarray(v[95] >= 1) | _any(
        [v[n] == 1.0 for n in _HEMATOLOGICAL_FLAGS]
        + [~np.isnan(v[n]) & (due[n] == 1.0) for n in _HEMATOLOGICAL_VALUES]
    )
    possible = _any(
        [v[n] != 0.0 for n in (95, *_HEMATOLOGICAL_FLAGS)]
        + [np.isnan(v[n]) | (due[n] != 0.0) for n in _HEMATOLOGICAL_VALUES]
    )
    low = np.broadcast_to(np.where(present, 1, 0).astype(np.int8), (m,))
    high = np.broadcast_to(np.where(possible, 3, 0).astype(np.int8), (m,))
    return low, high


@attrs.frozen
class _Levels:
    """Levels of one block of forms, every unknown taken both ways."""

    low: dict[str, LevelArray]
    high: dict[str, LevelArray]
    renal: tuple[list[BoolArray], list[BoolArray]]


def _levels(v: Values, p: Values, due: Values, m: int) -> _Levels:
    low: dict[str, LevelArray] = {}
    high: dict[str, LevelArray] = {}
    items = [v[n] for n in (_PYREXIA, *_CONSTITUTIONAL_OTHERS)]
    low["constitutional"] = np.broadcast_to(_constitutional(items, unknown_present=False), (m,))
    high["constitutional"] = np.broadcast_to(_constitutional(items, unknown_present=True), (m,))
    for system, groups in BILAG2004_ITEM_GROUPS.items():
        low[system], high[system] = _groups(v, groups, m)
    renal = _renal_parts(v, p, due, m)
    low["renal"] = _renal_level(renal[0])
    high["renal"] = low["renal"] if renal[1] is renal[0] else _renal_level(renal[1])
    low["hematological"], high["hematological"] = _hematological(v, due, m)
    return _Levels(low, high, renal)
