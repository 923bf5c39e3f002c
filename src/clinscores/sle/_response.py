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
#: BILAG-2004 grade as coded by :func:`clinscores.sle.bilag2004._grade_codes`.
GRADE: Final = Domain(0, 4, "BILAG-2004 grade code, A 0 .. E 4", integer=True)
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
    rise = reported_units(cur, PGA_DECIMALS) - reported_units(base, PGA_DECIMALS)
    return compare(rise, "<", limit_units)


def no_new_a_one_new_b(base: Sequence[Block], cur: Sequence[Block]) -> Pair:
    """No new BILAG A and at most one new B over the nine systems.

    New A: A now, not A at baseline.  New B: B now, C, D or E at baseline.
    An unknown grade counts towards the possible, not the definite, count.
    """
    shape = np.broadcast_shapes(*(np.shape(x) for x in (*base, *cur)))
    new_a = np.zeros(shape, dtype=bool)
    maybe_a = np.zeros(shape, dtype=bool)
    new_b = np.zeros(shape, dtype=np.int64)
    maybe_b = np.zeros(shape, dtype=np.int64)
    for b, c in zip(base, cur):
        bk, ck = known(b), known(c)
        not_a_before = (b != A) & bk
        new_a |= (c == A) & not_a_before
        maybe_a |= ((c == A) | ~ck) & (not_a_before | ~bk)
        lower_before = (b >= 2) & bk
        new_b += (c == B) & lower_before
        maybe_b += ((c == B) | ~ck) & (lower_before | ~bk)
    return ~maybe_a & (maybe_b <= 1), new_a | (new_b >= 2)


def grade_args(name: str, grades: object) -> list[Arg]:
    """Validated grade codes of the nine systems, as arguments for :func:`compute`."""
    codes = _grade_codes(grades, name)
    return [(f"{name}[{s!r}]", codes[s], GRADE) for s in BILAG2004_SYSTEMS]


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
