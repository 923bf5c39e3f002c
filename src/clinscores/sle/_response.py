"""Shared pieces of the SLE response and remission criteria (sri, bicla, lldas, doris).

Every criterion is a conjunction of conditions, each of which is known met,
known not met, or unknown (a missing input that could decide it).  Each
condition is a pair of boolean masks ``(met, failed)``; a row where neither
holds is unknown.  The logic (:func:`~clinscores.criteria.all_of`,
:func:`~clinscores.criteria.compare`, :func:`~clinscores.criteria.evaluate`
...) is that of :mod:`clinscores.criteria`, shared with the eligibility
screen; this module holds what is SLE's own: the domains of the inputs, the
BILAG-2004 and SLEDAI-2K counts, and the PGA's reporting precision.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from typing import Any, Final

import numpy as np
from numpy.typing import NDArray

from clinscores import criteria
from clinscores._coded import CodedArray
from clinscores._core import (
    FLAG,
    OMITTED,
    Arg,
    Domain,
    InputError,
    Prepared,
    Result,
    complete_items,
    reported_units,
)
from clinscores.criteria import all_of as all_of
from clinscores.criteria import any_of, compare
from clinscores.criteria import flag_is as flag_is
from clinscores.criteria import known as known
from clinscores.sle.bilag2004 import BILAG2004_SYSTEMS, _grade_codes
from clinscores.sle.sledai2k import SLEDAI2K_MAX, SLEDAI2K_WEIGHTS

Bools = NDArray[np.bool_]
#: (met, failed): :data:`clinscores.criteria.Masks`.
Pair = tuple[Bools, Bools]
Block = NDArray[Any]

#: SLEDAI-2K total score [0..105, whole number].
SLEDAI_SCORE: Final = Domain(0, SLEDAI2K_MAX, "SLEDAI-2K score", integer=True)
#: Physician global assessment on the SELENA-SLEDAI 0..3 scale.
PGA: Final = Domain(0, 3, "physician global assessment, 0..3 scale")
#: Prednisolone-equivalent dose.
PREDNISOLONE: Final = Domain(0, math.inf, "prednisolone-equivalent dose, mg/day")
#: A BILAG-2004 grade in a rule's blocks: codes in the order of activity, as a
#: :class:`~clinscores.CodedArray` of :func:`~clinscores.sle.bilag2004` grades holds
#: them (E 0, D 1, C 2, B 3, A 4; -1, or NaN for float codes, unknown), so such an
#: array is read from its own ``int8`` codes, block by block, with no conversion.
GRADE: Final = Domain(
    0,
    4,
    "BILAG-2004 grade code, E 0 .. A 4",
    integer=True,
    words={"E": 0.0, "D": 1.0, "C": 2.0, "B": 3.0, "A": 4.0},
    coded=True,  # a CodedArray of grades: its int8 codes E 0 .. A 4, -1 unknown
)
#: Codes of grades A and B in :data:`GRADE`.
A, B = 4, 3


def grade_known(x: Block) -> Bools:
    """Where a block of grade codes is known: not NaN (float codes), not -1 (int8 codes)."""
    v = np.asarray(x)
    out: Bools = v >= 0 if v.dtype.kind in "iu" else ~np.isnan(v)
    return out


#: Decimals to which the PGA (and the prednisolone dose) are compared.
PGA_DECIMALS: Final = 2


def at_most(x: Block, limit_units: int, decimals: int = PGA_DECIMALS) -> Pair:
    """``x <= limit`` on values reported to *decimals* (limit given in those units)."""
    return criteria.at_most(x, limit_units, decimals)


def below(x: Block, limit_units: int, decimals: int = PGA_DECIMALS) -> Pair:
    """``x < limit`` on values reported to *decimals*."""
    return criteria.below(x, limit_units, decimals)


def pga_not_worse(base: Block, cur: Block, limit_units: int) -> Pair:
    """PGA increase from baseline below *limit_units* hundredths of a point."""
    rise = reported_units(cur, PGA_DECIMALS, nonnegative=True)  # validated: 0..3
    rise -= reported_units(base, PGA_DECIMALS, nonnegative=True)
    return compare(rise, "<", limit_units)


def no_new_a_one_new_b(base: Sequence[Block] | Grades, cur: Sequence[Block] | None = None) -> Pair:
    """No new BILAG A and at most one new B over the nine systems.

    New A: A now, not A at baseline.  New B: B now, C, D or E at baseline.
    An unknown grade counts towards the possible, not the definite, count.
    The nine systems are stacked into one ``int8`` array of :data:`GRADE`
    codes (E 0 .. A 4, -1 unknown), so the rule is a dozen numpy operations
    per block, not a dozen per system.  Read as unsigned, -1 is 255: above
    every grade.
    """
    b, c = stacked_grades(base, cur)  # or a pair stacked already
    bu = b.view(np.uint8)
    t = np.equal(c, A)  # two (9, rows) masks, reused: few temporaries per block
    np.logical_and(t, bu < A, out=t)  # A now; known, not A, before
    new_a = t.any(axis=0)
    np.greater_equal(c.view(np.uint8), A, out=t)  # A or unknown now
    u = np.not_equal(b, A)  # not A, or unknown, before
    np.logical_and(t, u, out=t)
    maybe_a = t.any(axis=0)
    c_b = np.equal(c, B, out=u)  # B now
    np.less(bu, B, out=t)  # known C, D or E before
    np.logical_and(t, c_b, out=t)
    new_b = t.sum(axis=0, dtype=np.int8)  # at most 9
    np.less(c, 0, out=t)
    np.logical_or(t, c_b, out=t)  # B or unknown now
    np.logical_and(t, b < B, out=t)  # C, D, E or unknown (-1) before
    maybe_b = t.sum(axis=0, dtype=np.int8)
    return ~maybe_a & (maybe_b <= 1), new_a | (new_b >= 2)


Grades = tuple[NDArray[np.int8], NDArray[np.int8]]


def stacked_grades(base: Sequence[Block] | Grades, cur: Sequence[Block] | None = None) -> Grades:
    """The :data:`GRADE` codes of the systems at baseline and now, as two
    ``(systems, rows)`` int8 arrays (-1 unknown), broadcast together.

    Called with one argument that is already such a pair, it returns it (a
    rule that needs the grades twice stacks them once).
    """
    if cur is None:
        return base  # type: ignore[return-value]
    blocks = [*base, *cur]
    m = np.shape(blocks[0])
    if len(m) == 1 and all(np.shape(b) == m and b.dtype == blocks[0].dtype for b in blocks):
        x = np.empty((len(blocks), m[0]), dtype=blocks[0].dtype)  # the common case: no checks
        for i, b in enumerate(blocks):
            x[i] = b
    else:
        x = np.stack(np.broadcast_arrays(*(np.atleast_1d(b) for b in blocks)))
    if x.dtype != np.int8:
        codes = np.full(x.shape, -1, dtype=np.int8)
        np.copyto(codes, x, casting="unsafe", where=~np.isnan(x))  # float 0..4, NaN unknown
        x = codes
    return x[: len(base)], x[len(base) :]


def grade_args(name: str, grades: object) -> list[Arg]:
    """Validated grade codes of the nine systems, as arguments for :func:`compute`.

    A system graded by a :class:`~clinscores.CodedArray` of grades (what
    :func:`~clinscores.sle.bilag2004` returns on arrays) is passed on as it
    is: :func:`clinscores.criteria.evaluate` reads its ``int8`` codes block
    by block (see :data:`GRADE`), with no float array of the whole column.
    """
    passed: dict[str, CodedArray] = {}
    if isinstance(grades, Mapping):
        passed = {s: v for s, v in grades.items() if _coded_grades(v)}
    if passed:
        assert isinstance(grades, Mapping)
        grades = {s: None if s in passed else v for s, v in grades.items()}  # keys checked
    codes = _grade_codes(grades, name)  # A 0 .. E 4: as GRADE codes, 4 - code
    return [
        (f"{name}[{s!r}]", passed[s] if s in passed else 4 - codes[s], GRADE)  # type: ignore[operator]
        for s in BILAG2004_SYSTEMS
    ]


def _coded_grades(value: object) -> bool:
    """Whether *value* is a CodedArray (not 0-d) whose categories are BILAG-2004 grades."""
    return (
        isinstance(value, CodedArray)
        and value.ndim > 0
        and all(isinstance(c, str) and c in GRADE_NAMES for c in value.categories)
    )


GRADE_NAMES: Final = frozenset("ABCDE")


def descriptor_args(
    function: str,
    name: str,
    descriptors: object,
    allowed: Sequence[str],
    others: object = OMITTED,
    *,
    required: Sequence[str] | None = None,
) -> list[Arg]:
    """SLEDAI-2K descriptors from a mapping, one argument per descriptor of *allowed*.

    An omitted descriptor is never taken as absent: each of *required*
    (default: every one of *allowed*) must be given, ``None`` when unknown,
    or *others* says what the descriptors not given are
    (:func:`clinscores._core.complete_items`).  A descriptor of *allowed*
    that is not required and not given is absent (it is ignored by the
    rule).

    Raises
    ------
    TypeError
        Naming every omitted required descriptor, when *others* is not given.
    InputError
        For a mapping key that is not one of *allowed*, or an ``others`` that
        is not a scalar "absent" or "unknown".
    """
    if not isinstance(descriptors, Mapping):
        raise InputError(
            f"{name} = {descriptors!r} is not a mapping of SLEDAI-2K descriptor to present"
        )
    for key in descriptors:
        if key not in allowed:
            raise InputError(
                f"{name}[{key!r}] is not a SLEDAI-2K descriptor here; expected one of "
                + ", ".join(allowed)
            )
    needed = tuple(allowed if required is None else required)
    full = complete_items(function, descriptors, needed, others, what=name.replace("_", " "))
    return [(f"{name}[{d!r}]", full.get(d, descriptors.get(d, False)), FLAG) for d in allowed]


def weighted_bounds(blocks: Sequence[Block], names: Sequence[str]) -> tuple[Block, Block]:
    """SLEDAI-2K points of the descriptors: (unknown taken absent, unknown taken present)."""
    low: Block = np.zeros(1)
    high: Block = np.zeros(1)
    for name, x in zip(names, blocks):
        v = np.asarray(x, dtype=np.float64)
        w = float(SLEDAI2K_WEIGHTS[name])
        low = low + np.where(v == 1.0, w, 0.0)
        high = high + np.where(v == 0.0, 0.0, w)
    return low, high


def any_present(blocks: Sequence[Block]) -> Pair:
    """(some descriptor present, every descriptor known absent)."""
    return any_of(*(flag_is(x, 1.0) for x in blocks))


def evaluate_criterion(rule: Any, args: Sequence[Arg], name: str) -> Result:
    """Run ``rule(*blocks) -> (met, failed)`` block by block; True/False/None per row."""
    return criteria.evaluate(rule, args, name)


def finish(out: NDArray[np.float64], prep: Prepared, name: str) -> Result:
    """Float codes (1 met, 0 failed, NaN unknown) as True/False/None per row."""
    return criteria.decode(out, prep, name)
