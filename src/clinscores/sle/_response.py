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
from clinscores._core import FLAG, Arg, Domain, InputError, Prepared, Result, reported_units
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
#: BILAG-2004 grade as coded by :func:`clinscores.sle.bilag2004._grade_codes`; its
#: words let a CodedArray of grades be read from its codes, block by block.
GRADE: Final = Domain(
    0,
    4,
    "BILAG-2004 grade code, A 0 .. E 4",
    integer=True,
    words={"A": 0.0, "B": 1.0, "C": 2.0, "D": 3.0, "E": 4.0},
    coded=True,  # a CodedArray of grades: int8 codes A 0 .. E 4, -1 unknown
)


def grade_known(x: Block) -> Bools:
    """Where a block of grade codes is known: not NaN (float codes), not -1 (int8 codes)."""
    v = np.asarray(x)
    out: Bools = v >= 0 if v.dtype.kind in "iu" else ~np.isnan(v)
    return out


#: Decimals to which the PGA (and the prednisolone dose) are compared.
PGA_DECIMALS: Final = 2

A, B = 0.0, 1.0


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


def no_new_a_one_new_b(base: Sequence[Block], cur: Sequence[Block]) -> Pair:
    """No new BILAG A and at most one new B over the nine systems.

    New A: A now, not A at baseline.  New B: B now, C, D or E at baseline.
    An unknown grade counts towards the possible, not the definite, count.
    """
    shape = np.broadcast_shapes(*(np.shape(x) for x in (*base, *cur)))
    new_a = np.zeros(shape, dtype=bool)
    maybe_a = np.zeros(shape, dtype=bool)
    new_b = np.zeros(shape, dtype=np.int8)  # at most 9
    maybe_b = np.zeros(shape, dtype=np.int8)
    for b, c in zip(base, cur):
        # an unknown code (NaN, or -1) satisfies no comparison below but !=
        b_unknown, c_unknown = ~grade_known(b), ~grade_known(c)
        c_a = c == A
        new_a |= c_a & (b > A)  # A now, known other than A before (A is the lowest code)
        c_a |= c_unknown
        maybe_a |= c_a & (b != A)  # A or unknown now; not A, or unknown, before
        lower_before = b >= 2  # C, D or E before (known)
        c_b = c == B
        new_b += c_b & lower_before
        c_b |= c_unknown
        lower_before |= b_unknown
        maybe_b += c_b & lower_before
    return ~maybe_a & (maybe_b <= 1), new_a | (new_b >= 2)


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
    codes = _grade_codes(grades, name)
    return [(f"{name}[{s!r}]", passed.get(s, codes[s]), GRADE) for s in BILAG2004_SYSTEMS]


def _coded_grades(value: object) -> bool:
    """Whether *value* is a CodedArray (not 0-d) whose categories are BILAG-2004 grades."""
    return (
        isinstance(value, CodedArray)
        and value.ndim > 0
        and all(isinstance(c, str) and c in GRADE_NAMES for c in value.categories)
    )


GRADE_NAMES: Final = frozenset("ABCDE")


def descriptor_args(name: str, descriptors: object, allowed: Sequence[str]) -> list[Arg]:
    """SLEDAI-2K descriptors from a mapping; an omitted descriptor is absent.

    Raises
    ------
    InputError
        For a mapping key that is not one of *allowed*.
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
    return [(f"{name}[{d!r}]", descriptors.get(d, False), FLAG) for d in allowed]


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
