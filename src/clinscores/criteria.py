"""Three-valued criterion logic: met, not met, or unknown.

Every criterion of the package, the eligibility screen's and the response
criteria's alike, follows one set of rules (Kleene's three-valued logic):

* a condition is **met**, **not met**, or **unknown** (a missing input that
  could decide it);
* **all of** several conditions is met when every one is met, not met as
  soon as one is not met, and unknown otherwise;
* **any of** several conditions is met as soon as one is met, not met when
  every one is not met, and unknown otherwise;
* a **threshold on an interval** (a censored value ``< 1.0``, a score
  bounded by its unknown items) is met when every value of the interval
  satisfies it, not met when none does, and unknown otherwise.

So an unknown is never met, and it never hides a failure seen elsewhere
(``all_of`` and ``any_of`` are symmetric in their parts):

| a       | b       | all_of  | any_of  | negate(a) |
|---------|---------|---------|---------|-----------|
| met     | met     | met     | met     | not met   |
| met     | not met | not met | met     | not met   |
| met     | unknown | unknown | met     | not met   |
| not met | not met | not met | not met | met       |
| not met | unknown | not met | unknown | met       |
| unknown | unknown | unknown | unknown | unknown   |

The rules come in two representations, one per kind of caller:

**One patient, explained** (the eligibility screen): a :class:`Finding`
holds the state (``True``, ``False`` or ``None``), a line a clinician reads,
the values used and the JSON paths whose absence leaves it unknown.
:func:`threshold`, :func:`at_most_times_uln` and :func:`fact` make one from
a value; :func:`all_of` and :func:`any_of` combine them, keeping the text of
the parts that decided.  Values may be censored (:class:`Censored`); they
are compared exactly, as the decimals they are written as
(:class:`Interval`, :func:`decide`).  Date windows (:func:`months_before`,
:func:`within_days_before`, :func:`completed_years`) count back from a day.

**Many rows, evaluated block by block** (the response and remission
criteria over a cohort): a condition is a pair of boolean masks
:data:`Masks` ``(met, failed)``; a row in neither is unknown.  The same
:func:`all_of` and :func:`any_of` combine masks; :func:`compare`,
:func:`at_most`, :func:`below`, :func:`bounded` and :func:`flag_is` make
them from value arrays (NaN unknown), and :func:`evaluate` runs a rule over
validated arguments block by block into met / not met / unknown per row
(one ``int8`` code a row: a :class:`~clinscores.CodedArray`).

Where the array criteria need something else, and why:

* **no text, no paths.**  A cohort has no room for an explanation per row,
  and building one would cost more than the rule: masks carry the state only.
* **negation** (:func:`negate`).  "No major organ activity" is the negation
  of "some descriptor present"; one patient's findings state their negation
  directly (``fact(..., negate=True)``), so :class:`Finding` needs none.
* **comparisons on reported units** (:func:`at_most`, :func:`below`).  A
  response cut-off is applied to the value as clinically reported (rounded
  half-up, in whole units of its precision), where the eligibility
  thresholds compare the recorded decimals exactly.
* **counts** ("no new BILAG A and at most one new B") and weighted bounds
  are rules of one instrument, not of the logic: they stay in its module
  (:mod:`clinscores.sle._response`) and return masks.
* **the result encoding** (:func:`codes`, :func:`evaluate`, :func:`result`,
  :func:`coded`): the one place where masks become the values a caller
  receives: True/False/None for one patient, ``int8`` codes (1 met, 0 not
  met, -1 unknown) in a :class:`~clinscores.CodedArray` on arrays, never an
  object array (:func:`objects` makes one for display only).

Two array rules are not Kleene conjunctions and do not use these
combinators: an item "positive on any test" of the AECG 2002 criteria is
negative once one test was done and none is positive (a test not done does
not leave it unknown), and the ACR20/50/70 levels are decided from two
evaluations of the whole rule, unknown items taken worst and best.

Examples
--------
>>> wbc = threshold("WBC", "labs.wbc_1e9_l", 5.1, ">=", 3, "x10^9/L")
>>> wbc.state, wbc.text
(True, 'WBC 5.1 >= 3 x10^9/L')
>>> hb = unknown("haemoglobin", "labs.hemoglobin_g_l")
>>> all_of(wbc, hb).state, all_of(wbc, hb).missing
(None, ('labs.hemoglobin_g_l',))
>>> import numpy as np
>>> met, failed = all_of(compare(np.array([5.1, 2.0, np.nan]), ">=", 3),
...                      flag_is(np.array([1.0, 1.0, 1.0]), 1.0))
>>> met.tolist(), failed.tolist()
([True, False, False], [False, True, False])
"""

from __future__ import annotations

import calendar
import datetime as dt
import math
import numbers
from collections.abc import Callable, Iterable, Mapping, Sequence
from fractions import Fraction
from typing import Any, Final, TypeAlias, overload

import attrs
import numpy as np
from numpy.typing import NDArray

from clinscores import labs as lab_helpers
from clinscores._coded import TRISTATE, CodedArray
from clinscores._core import (
    JUDGEMENT_BLOCK,
    Arg,
    Domain,
    InputError,
    Prepared,
    Result,
    _reported_comparison,
    compute,
)

__all__ = [
    "COMPARATORS",
    "Censored",
    "Finding",
    "Interval",
    "Masks",
    "all_of",
    "any_of",
    "as_json",
    "at_most",
    "at_most_times_uln",
    "below",
    "bounded",
    "coded",
    "codes",
    "compare",
    "completed_years",
    "decide",
    "decode",
    "encode",
    "evaluate",
    "fact",
    "flag_is",
    "known",
    "months_before",
    "negate",
    "objects",
    "result",
    "show",
    "threshold",
    "unknown",
    "within_days_before",
]

# --------------------------------------------------------------------------
# censored values and exact intervals
# --------------------------------------------------------------------------

#: Comparators of a censored value (FHIR R4 ``Quantity.comparator``).
COMPARATORS: Final = ("<", "<=", ">", ">=")


def _is_number(value: object) -> bool:
    return isinstance(value, numbers.Real) and not isinstance(value, bool)


def _finite(x: object) -> bool:
    try:
        return math.isfinite(float(x))  # type: ignore[arg-type]
    except OverflowError:
        return False


@attrs.frozen
class Censored:
    """A laboratory value known only to lie on one side of a bound.

    A laboratory reports "< 1.0" when the true value is below its limit of
    quantification: an interval, not a number.  ``Censored("<", 1.0)`` is
    every value below 1.0; in JSON it is ``{"comparator": "<", "value": 1.0}``.
    Readers decide a threshold on the whole interval (:func:`decide`), never
    on ``value`` as if it were the number.  Also importable as
    ``clinscores.record.Censored``, the type of the record's laboratory fields.

    Attributes
    ----------
    comparator : str
        ``"<"``, ``"<="``, ``">"`` or ``">="`` (FHIR R4's comparators).
    value : float
        The bound [the unit of the field that holds it; checked against the
        field's range like a number].

    Examples
    --------
    >>> c = Censored("<", 1.0)
    >>> str(c), c.below, c.strict
    ('< 1', True, True)
    """

    comparator: str
    value: float

    def __attrs_post_init__(self) -> None:
        if self.comparator not in COMPARATORS:
            raise InputError(
                f"comparator = {self.comparator!r} is not one of {', '.join(COMPARATORS)}"
            )
        if not _is_number(self.value) or not _finite(self.value):
            raise InputError(f"value = {self.value!r} is not a finite number")

    @property
    def below(self) -> bool:
        """True for ``<`` and ``<=`` (the true value is below the bound)."""
        return self.comparator in ("<", "<=")

    @property
    def strict(self) -> bool:
        """True for ``<`` and ``>`` (the bound itself is excluded)."""
        return self.comparator in ("<", ">")

    def converted(self, convert: Callable[[float], float]) -> Censored:
        """The same interval in another unit (*convert* increasing, e.g. a factor > 0)."""
        return Censored(self.comparator, float(convert(float(self.value))))

    def __str__(self) -> str:
        return f"{self.comparator} {self.value:g}"

    def to_json(self) -> dict[str, Any]:
        """The JSON form ``{"comparator": ..., "value": ...}``."""
        return {"comparator": self.comparator, "value": self.value}


def _exact(x: float | Fraction) -> Fraction:
    """A number as the exact decimal it is written as (``0.1`` is 1/10)."""
    return x if isinstance(x, Fraction) else Fraction(str(x))


@attrs.frozen
class Interval:
    """The values a number or a censored value may take (exact decimals).

    ``lo``/``hi`` are None where the interval is unbounded.

    Examples
    --------
    >>> iv = Interval.of(Censored("<", 5))
    >>> iv.decide("<", 5), iv.decide(">=", 1)
    (True, None)
    """

    lo: Fraction | None
    lo_closed: bool
    hi: Fraction | None
    hi_closed: bool

    @classmethod
    def of(cls, value: float | Censored) -> Interval:
        """The interval of a number (one point) or of a censored value."""
        if not isinstance(value, Censored):
            x = _exact(value)
            return cls(x, True, x, True)
        b = _exact(value.value)
        if value.below:
            return cls(None, False, b, not value.strict)
        return cls(b, not value.strict, None, False)

    def scaled(self, factor: Fraction) -> Interval:
        """The interval times *factor* (> 0): a unit conversion, exactly."""
        return Interval(
            None if self.lo is None else self.lo * factor,
            self.lo_closed,
            None if self.hi is None else self.hi * factor,
            self.hi_closed,
        )

    def ratio(self, other: Interval) -> Interval:
        """The interval of ``x / y`` for x in self, y in *other* (both >= 0, y > 0)."""
        lo = self.lo / other.hi if self.lo is not None and other.hi else None
        hi = self.hi / other.lo if self.hi is not None and other.lo else None
        return Interval(
            lo, self.lo_closed and other.hi_closed, hi, self.hi_closed and other.lo_closed
        )

    def decide(self, op: str, limit: float | Fraction) -> bool | None:
        """``x op limit`` for every x (True), for none (False), else None."""
        lim = _exact(limit)
        lo, hi = self.lo, self.hi
        above_lo = lo is not None and (lo > lim or (lo == lim and not self.lo_closed))
        below_hi = hi is not None and (hi < lim or (hi == lim and not self.hi_closed))
        if op == ">=":
            every, none = lo is not None and lo >= lim, below_hi
        elif op == ">":
            every, none = above_lo, hi is not None and hi <= lim
        elif op == "<=":
            every, none = hi is not None and hi <= lim, above_lo
        elif op == "<":
            every, none = below_hi, lo is not None and lo >= lim
        else:
            raise ValueError(f"unknown comparison {op!r}")
        return True if every else False if none else None


def decide(value: float | Censored, op: str, limit: float | Fraction) -> bool | None:
    """Whether ``value op limit``, exactly: True, False, or None for a censored
    value that lies on both sides of *limit* (``< 5`` against ``>= 1``).

    Numbers are compared as the decimals they are written as
    (``Fraction(str(x))``), so no floating-point noise decides a boundary.

    Examples
    --------
    >>> decide(0.3, ">=", 0.1 + 0.2), decide(Censored("<", 5), ">=", 1)
    (False, None)
    """
    return Interval.of(value).decide(op, limit)


def show(value: float | Censored) -> str:
    """A value as a person reads it: ``5.1`` or ``< 1``."""
    return str(value) if isinstance(value, Censored) else f"{value:g}"


def as_json(value: float | Censored) -> Any:
    """A value in a criterion's ``values``: the number, or the censored object."""
    return value.to_json() if isinstance(value, Censored) else value


# --------------------------------------------------------------------------
# one patient: findings with their explanation
# --------------------------------------------------------------------------


@attrs.frozen
class Finding:
    """One condition of one patient, with its explanation.

    Attributes
    ----------
    state : bool or None
        ``True`` met, ``False`` not met, ``None`` unknown.
    text : str
        One line a clinician reads, with the values and the rule
        (``"WBC 5.1 >= 3 x10^9/L"``).
    values : mapping
        The values used, keyed by the JSON path they came from (or a name
        with the unit in it).
    missing : tuple of str
        JSON paths of the fields whose absence leaves the condition unknown
        (empty unless ``state`` is None).
    consulted : tuple of str
        JSON paths read by parts that did not decide the outcome.

    Examples
    --------
    >>> f = Finding(None, "ESR: unknown", {}, ("ra.esr_mm_h",))
    >>> f.state is None, f.missing
    (True, ('ra.esr_mm_h',))
    """

    state: bool | None
    text: str
    values: Mapping[str, Any] = attrs.field(factory=dict)
    missing: tuple[str, ...] = ()
    consulted: tuple[str, ...] = ()  # paths read by parts that did not decide


def unknown(text: str, *missing: str) -> Finding:
    """An unknown condition, for want of the fields at the JSON paths *missing*.

    Examples
    --------
    >>> unknown("age at consent", "birth_date").text
    'age at consent: unknown (missing birth_date)'
    """
    return Finding(None, f"{text}: unknown (missing {', '.join(missing)})", {}, missing)


def _combine_findings(parts: Sequence[Finding], *, any_of: bool) -> Finding:
    decisive = any_of
    values: dict[str, Any] = {}
    for p in parts:
        values.update(p.values)
    consulted = tuple(dict.fromkeys(m for p in parts for m in (*p.consulted, *p.missing)))
    hits = [p for p in parts if p.state is decisive]
    if hits:
        return Finding(decisive, "; ".join(p.text for p in hits), values, (), consulted)
    undecided = [p for p in parts if p.state is None]
    if undecided:
        missing = tuple(m for p in undecided for m in p.missing)
        return Finding(None, "; ".join(p.text for p in undecided), values, missing, consulted)
    return Finding(not decisive, "; ".join(p.text for p in parts), values, (), consulted)


#: A condition over rows: boolean masks ``(met, failed)``; a row in neither is unknown.
Masks: TypeAlias = "tuple[NDArray[np.bool_], NDArray[np.bool_]]"


def _combine(parts: Sequence[Any], *, any_of: bool) -> Any:
    """all_of (any_of): findings by :func:`_combine_findings`, masks elementwise."""
    findings = [isinstance(p, Finding) for p in parts]
    if any(findings) != all(findings):
        name = "any_of" if any_of else "all_of"
        raise TypeError(f"{name}: give findings or (met, failed) masks, not both")
    if not parts or findings[0]:
        return _combine_findings(parts, any_of=any_of)
    met, failed = parts[0]
    for m, f in parts[1:]:
        met, failed = (met | m, failed & f) if any_of else (met & m, failed | f)
    return met, failed


@overload
def all_of(first: Finding, /, *rest: Finding) -> Finding: ...
@overload
def all_of(first: Masks, /, *rest: Masks) -> Masks: ...
def all_of(*parts: Any) -> Any:
    """Three-valued AND: met when every part is met, not met when one is not met.

    Parameters
    ----------
    *parts : Finding, or (met, failed) pairs of boolean arrays
        The conditions, all of one representation.

    Returns
    -------
    Finding or (met, failed)
        For findings: the text of the parts that decided (the failures when
        one failed, else the unknown ones, else all), their values merged, and
        the missing paths of the unknown parts when the outcome is unknown.
        For masks: ``met`` where every part is met, ``failed`` where any part
        failed (broadcast).

    Examples
    --------
    >>> ok = Finding(True, "INR 1.1 <= 1.5x ULN")
    >>> bad = Finding(False, "PT 20 > 1.5x ULN")
    >>> all_of(ok, bad).state, all_of(ok, bad).text
    (False, 'PT 20 > 1.5x ULN')
    >>> import numpy as np
    >>> yes, no = np.array([True, False]), np.array([False, False])
    >>> met, failed = all_of((yes, no), (np.array([True, False]), np.array([False, True])))
    >>> met.tolist(), failed.tolist()
    ([True, False], [False, True])
    """
    return _combine(parts, any_of=False)


@overload
def any_of(first: Finding, /, *rest: Finding) -> Finding: ...
@overload
def any_of(first: Masks, /, *rest: Masks) -> Masks: ...
def any_of(*parts: Any) -> Any:
    """Three-valued OR: met when one part is met, not met when every one is not met.

    The parts are those of :func:`all_of`, and so is the result, but for
    what decides: for findings, the text of the met parts (else the unknown
    ones, else all); for masks, ``met`` where any part is met and ``failed``
    where every part failed.

    Examples
    --------
    >>> a = fact("ANA positive", "sle.ana_positive", False)
    >>> b = fact("anti-dsDNA positive", "sle.anti_dsdna_positive", None)
    >>> any_of(a, b).state, any_of(a, b).missing
    (None, ('sle.anti_dsdna_positive',))
    """
    return _combine(parts, any_of=True)


def _fmt(x: float | Censored | None) -> str:
    return "missing" if x is None else show(x)


#: A comparison in words, and its negation.
_WORDS: Final = {">=": "at or above", ">": "above", "<=": "at or below", "<": "below"}
_NEGATION: Final = {">=": "<", ">": "<=", "<=": ">", "<": ">="}


def _reported(value: Censored) -> str:
    return f"reported as '{value.comparator} {value.value!r}'"


def threshold(
    name: str, path: str, value: float | Censored | None, op: str, limit: float, unit: str
) -> Finding:
    """``value op limit`` with its text, e.g. ``WBC 5.1 >= 3 x10^9/L``.

    A censored value (``< 1.0``) is an interval: the condition is met when
    every value of the interval satisfies it, not met when none does, and
    unknown otherwise (``neutrophils < 5 x10^9/L: cannot tell whether >= 1
    x10^9/L (censored value)``).  Numbers are compared exactly as the
    decimals they are written as (:func:`decide`).

    Parameters
    ----------
    name : str
        What is compared, as a person reads it (``"WBC"``).
    path : str
        The JSON path of the value (``"labs.wbc_1e9_l"``).
    value : float, Censored or None
        The value [in *unit*]; None is unknown.
    op : {">=", ">", "<=", "<"}
        The comparison.
    limit : float
        The cut-off [in *unit*].
    unit : str
        The unit shown after the numbers (``""`` for none).

    Returns
    -------
    Finding

    Examples
    --------
    >>> threshold("WBC", "labs.wbc_1e9_l", 2.5, ">=", 3, "x10^9/L").text
    'WBC 2.5 < 3 x10^9/L'
    >>> f = threshold("neutrophils", "labs.neutrophils_1e9_l", Censored("<", 5), ">=", 1,
    ...               "x10^9/L")
    >>> f.state, f.text
    (None, 'neutrophils < 5 x10^9/L: cannot tell whether >= 1 x10^9/L (censored value)')
    """
    if value is None:
        return unknown(name, path)
    ok = decide(value, op, limit)
    u = f" {unit}" if unit else ""
    if not isinstance(value, Censored):
        shown = op if ok else _NEGATION[op]
        return Finding(bool(ok), f"{name} {_fmt(value)} {shown} {_fmt(limit)}{u}", {path: value})
    if ok is None:
        return Finding(
            None,
            f"{name} {value}{u}: cannot tell whether {op} {_fmt(limit)}{u} (censored value)",
            {path: as_json(value)},
            (path,),
        )
    rel = op if ok else _NEGATION[op]
    return Finding(
        ok,
        f"{name} {value}{u} ({_reported(value)}): {_WORDS[rel]} {_fmt(limit)}{u}",
        {path: as_json(value)},
    )


def at_most_times_uln(
    name: str,
    path: str,
    value: float | Censored | None,
    uln: float | Censored | None,
    uln_path: str,
    limit: float,
    intervals: tuple[Interval | None, Interval | None] = (None, None),
) -> Finding:
    """``value <= limit x ULN``, exactly, with its text.

    The ratio is decided in decimal arithmetic on the values as given, on
    the intervals when the value or the ULN is censored (met when every
    ratio the intervals allow is at most *limit*, not met when none is).

    Parameters
    ----------
    name : str
        The laboratory test, as a person reads it (``"ALT"``).
    path, uln_path : str
        The JSON paths of the value and of its upper limit of normal.
    value, uln : float, Censored or None
        The value and its ULN [the same unit, ULN > 0]; None is unknown.
    limit : float
        The multiple of the ULN allowed [> 0].
    intervals : (Interval or None, Interval or None), optional
        The exact intervals of value and ULN where they differ from the
        shown values (a value converted from the other unit field).

    Returns
    -------
    Finding

    Examples
    --------
    >>> at_most_times_uln("ALT", "labs.alt_u_l", 120, 40, "labs.alt_uln_u_l", 3).text
    'ALT 120 = 3.00x ULN <= 3x ULN'
    """
    if value is None or uln is None:
        return unknown(
            f"{name} <= {_fmt(limit)}x ULN",
            *([path] if value is None else []) + ([uln_path] if uln is None else []),
        )
    v_iv, u_iv = intervals
    ok = (v_iv or Interval.of(value)).ratio(u_iv or Interval.of(uln)).decide("<=", limit)
    used = {path: as_json(value), uln_path: as_json(uln)}
    censored = [x for x in (value, uln) if isinstance(x, Censored)]
    if not isinstance(value, Censored) and not isinstance(uln, Censored):
        ratio = float(lab_helpers.times_uln(value, uln))
        return Finding(
            bool(ok),
            f"{name} {_fmt(value)} = {ratio:.2f}x ULN {'<=' if ok else '>'} {_fmt(limit)}x ULN",
            used,
        )
    head = f"{name} {_fmt(value)} (ULN {_fmt(uln)}; {', '.join(map(_reported, censored))})"
    if ok is None:
        return Finding(
            None,
            f"{head}: cannot tell whether <= {_fmt(limit)}x ULN (censored value)",
            used,
            tuple(p for p, x in ((path, value), (uln_path, uln)) if isinstance(x, Censored)),
        )
    return Finding(ok, f"{head}: {'at or below' if ok else 'above'} {_fmt(limit)}x ULN", used)


def fact(name: str, path: str, value: bool | None, *, negate: bool = False) -> Finding:
    """A recorded yes/no fact (``negate``: the condition is the fact's absence).

    Examples
    --------
    >>> fact("HRCT progression", "ssc.hrct_progression", True).text
    'HRCT progression: yes'
    >>> fact("active tuberculosis", "exclusions.active_tuberculosis", False, negate=True).state
    True
    """
    if value is None:
        return unknown(name, path)
    state = (not value) if negate else value
    return Finding(state, f"{name}: {'yes' if value else 'no'}", {path: value})


# --------------------------------------------------------------------------
# date windows
# --------------------------------------------------------------------------


def months_before(day: dt.date, months: int) -> dt.date:
    """The same day ``months`` calendar months earlier (clamped to month end).

    Examples
    --------
    >>> months_before(dt.date(2026, 5, 31), 3)
    datetime.date(2026, 2, 28)
    """
    total = day.year * 12 + (day.month - 1) - months
    year, month = divmod(total, 12)
    last = calendar.monthrange(year, month + 1)[1]
    return dt.date(year, month + 1, min(day.day, last))


def completed_years(start: dt.date, end: dt.date) -> int:
    """Completed years from ``start`` to ``end`` (birthdays: an age).

    Examples
    --------
    >>> completed_years(dt.date(2008, 10, 6), dt.date(2026, 10, 5))
    17
    """
    return end.year - start.year - ((end.month, end.day) < (start.month, start.day))


def within_days_before(events: Iterable[dt.date], day: dt.date, days: int) -> list[dt.date]:
    """Events in the closed window [day - days, day], sorted.

    Examples
    --------
    >>> within_days_before([dt.date(2026, 9, 7), dt.date(2026, 9, 6)], dt.date(2026, 10, 5), 28)
    [datetime.date(2026, 9, 7)]
    """
    first = day - dt.timedelta(days=days)
    return sorted(e for e in events if first <= e <= day)


# --------------------------------------------------------------------------
# many rows: (met, failed) masks
# --------------------------------------------------------------------------


def known(x: NDArray[Any]) -> NDArray[np.bool_]:
    """Where a value array is known (not NaN)."""
    v = np.asarray(x)
    if v.dtype.kind not in "fc":
        v = v.astype(np.float64)
    out: NDArray[np.bool_] = ~np.isnan(v)
    return out


def negate(masks: Masks) -> Masks:
    """Three-valued NOT: met where *masks* failed, failed where it was met."""
    met, failed = masks
    return failed, met


def flag_is(x: NDArray[Any], value: float) -> Masks:
    """A validated yes/no array (1, 0 or NaN; or booleans) equal to *value* (1 yes, 0 no).

    NaN is unknown (neither met nor failed).

    Examples
    --------
    >>> import numpy as np
    >>> [m.tolist() for m in flag_is(np.array([1.0, 0.0, np.nan]), 0.0)]
    [[False, True, False], [True, False, False]]
    """
    v = np.asarray(x)
    if v.dtype.kind == "b":  # no missing value: no conversion
        met = v if value else ~v
        return met, ~met
    v = v.astype(np.float64, copy=False)
    return v == value, v == 1.0 - value


_COMPARE: Final[Mapping[str, Callable[[Any, Any], NDArray[np.bool_]]]] = {
    "<": np.less,
    "<=": np.less_equal,
    ">": np.greater,
    ">=": np.greater_equal,
    "==": np.equal,
}


def compare(x: NDArray[Any], op: str, limit: Any) -> Masks:
    """``x op limit`` per row; unknown where *x* or *limit* is NaN.

    Parameters
    ----------
    x : ndarray
        The values (NaN unknown).
    op : {"<", "<=", ">", ">=", "=="}
        The comparison.
    limit : float or ndarray
        The cut-off, or one per row (NaN unknown).

    Examples
    --------
    >>> import numpy as np
    >>> [m.tolist() for m in compare(np.array([1.0, 5.0, np.nan]), "<", 3)]
    [[True, False, False], [False, True, False]]
    """
    v = np.asarray(x)
    if v.dtype.kind not in "biuf":
        v = v.astype(np.float64)
    lim = np.asarray(limit, dtype=np.float64)
    # every comparison with NaN is false: met needs no mask of the unknown rows
    met = _COMPARE[op](v, lim)
    whole = v.dtype.kind in "biu"  # no missing value
    if lim.ndim == 0 and not np.isnan(lim):  # one known cut-off
        if whole:
            return met, ~met
        failed = np.isnan(v)
    else:
        failed = np.isnan(lim) if whole else np.isnan(v) | np.isnan(lim)
    failed |= met
    np.logical_not(failed, out=failed)  # neither met nor unknown
    return met, failed


def at_most(x: NDArray[Any], limit_units: int, decimals: int) -> Masks:
    """``x <= limit`` on the values as reported to *decimals* (half-up).

    *limit_units* is the limit in whole units of that precision (1.0 at two
    decimals is 100), so the comparison is exact.

    Examples
    --------
    >>> import numpy as np
    >>> at_most(np.array([1.004, 1.005]), 100, 2)[0].tolist()
    [True, False]
    """
    return _reported_below(x, limit_units + 1, decimals)


def below(x: NDArray[Any], limit_units: int, decimals: int) -> Masks:
    """``x < limit`` on the values as reported to *decimals* (see :func:`at_most`)."""
    return _reported_below(x, limit_units, decimals)


_ANY_NUMBER: Final = Domain(-math.inf, math.inf, "a number")


def _reported_below(x: NDArray[Any], limit_units: int, decimals: int) -> Masks:
    """(reported units < limit, reported units >= limit): NaN in neither.

    Compared before the half-up rounding where that is exact
    (:func:`clinscores._core._reported_comparison`).
    """
    value, (bound,) = _reported_comparison(decimals, _ANY_NUMBER, [limit_units])(
        np.asarray(x, dtype=np.float64)
    )
    return value < bound, value >= bound


def bounded(low: NDArray[Any], high: NDArray[Any], op: str, limit: Any) -> Masks:
    """``x op limit`` for a value known to lie in [low, high].

    Met where every value of the interval satisfies the comparison, failed
    where none does, unknown otherwise (or where a bound is NaN); use
    ``-inf``/``inf`` for an unbounded side.

    Examples
    --------
    >>> import numpy as np
    >>> low, high = np.array([2.0, 2.0, 5.0]), np.array([4.0, 6.0, 8.0])
    >>> [m.tolist() for m in bounded(low, high, "<=", 4)]
    [[True, False, False], [False, False, True]]
    """
    if op in ("<", "<="):
        return compare(high, op, limit)[0], compare(low, op, limit)[1]
    if op in (">", ">="):
        return compare(low, op, limit)[0], compare(high, op, limit)[1]
    raise ValueError(f"unknown comparison {op!r}")


def codes(masks: Masks, out: NDArray[np.int8] | None = None) -> NDArray[np.int8]:
    """*masks* as met / not met / unknown codes: 1 met, 0 failed, -1 unknown (``int8``).

    A row both met and failed is failed: a failure is never overridden.
    Written into *out* when given (the masks broadcast to its shape).

    Examples
    --------
    >>> import numpy as np
    >>> codes((np.array([True, False, False]), np.array([False, True, False]))).tolist()
    [1, 0, -1]
    """
    met, failed = masks
    only_met = np.logical_and(met, np.logical_not(failed))
    unknown = np.logical_not(np.logical_or(met, failed))
    if out is None:
        shape = np.broadcast_shapes(np.shape(met), np.shape(failed))
        out = np.empty(shape, dtype=np.int8)
    np.subtract(only_met, unknown, out=out, dtype=np.int8)
    return out


def encode(out: NDArray[Any], masks: Masks) -> None:
    """Write *masks* into *out*: the codes of :func:`codes` (``int8`` *out*).

    A float *out* gets 1.0 met, 0.0 failed, NaN unknown instead.
    A row both met and failed is failed: a failure is never overridden.
    """
    if out.dtype == np.int8:
        codes(masks, out)
        return
    met, failed = masks
    out[...] = np.nan
    out[np.broadcast_to(met, out.shape)] = 1.0
    out[np.broadcast_to(failed, out.shape)] = 0.0


def decode(out: NDArray[Any], prep: Prepared, name: str) -> Result:
    """Codes written by :func:`encode` as met / not met / unknown, shaped like the input.

    ``True``/``False``/``None`` for one patient; a met / not met / unknown
    :class:`~clinscores.CodedArray` on arrays (a ``"boolean"`` Series for
    Series input).  *out* is taken over (``int8`` codes are not copied).
    """
    if out.dtype != np.int8:
        x = np.asarray(out, dtype=np.float64)
        out = np.subtract(x == 1.0, np.isnan(x), dtype=np.int8)
    return prep.wrap_coded(out, TRISTATE, name)


def result(masks: Masks, prep: Prepared, name: str) -> Result:
    """*masks* of ``prep.size`` rows as met / not met / unknown, shaped like the input.

    A row both met and failed is failed (as in :func:`codes`).
    """
    return prep.wrap_coded(codes(masks, np.empty(prep.size, dtype=np.int8)), TRISTATE, name)


def coded(masks: Masks) -> CodedArray:
    """*masks* as a 1-d met / not met / unknown :class:`~clinscores.CodedArray`.

    Examples
    --------
    >>> import numpy as np
    >>> coded((np.array([True, False, False]), np.array([False, True, False]))).tolist()
    [True, False, None]
    """
    met, failed = (np.atleast_1d(np.asarray(m, dtype=bool)) for m in masks)
    return CodedArray.from_codes(codes((met, failed)).reshape(-1), TRISTATE)


def evaluate(
    rule: Callable[..., Masks], args: Sequence[Arg], name: str, *, rows: int = JUDGEMENT_BLOCK
) -> Result:
    """Validate *args* and run ``rule(*blocks) -> (met, failed)`` block by block.

    Parameters
    ----------
    rule : callable
        Takes one block of rows of each argument (1-d float arrays, NaN
        unknown) and returns the (met, failed) masks of those rows.
    args : sequence of (name, value, Domain)
        The arguments, validated against their domains
        (:func:`clinscores._core.compute`).
    name : str
        The name of a Series result.
    rows : int
        Rows per block (fewer for a rule of many arguments, to bound the
        temporaries: peak memory stays near the one byte a row returned).

    Returns
    -------
    bool, None, CodedArray or pandas.Series
        True/False/None for a scalar; a met / not met / unknown
        :class:`~clinscores.CodedArray` on arrays (a ``"boolean"`` Series for
        Series input).
    """

    def kernel(out: NDArray[np.int8], *blocks: NDArray[Any]) -> None:
        codes(rule(*blocks), out)

    out, prep = compute(kernel, *args, dtype=np.int8, rows=rows)
    return decode(out, prep, name)


def objects(masks: Masks) -> NDArray[np.object_]:
    """*masks* as a 1-d object array of True (met), False (failed) and None.

    For display only: results are met / not met / unknown codes
    (:func:`coded`, :func:`result`), never object arrays.

    Examples
    --------
    >>> import numpy as np
    >>> objects((np.array([True, False, False]), np.array([False, True, False]))).tolist()
    [True, False, None]
    """
    met, failed = (np.atleast_1d(np.asarray(m, dtype=bool)) for m in masks)
    met, failed = np.broadcast_arrays(met, failed)
    out = np.full(met.shape, None, dtype=object)
    out[met] = True
    out[failed] = False
    return out
