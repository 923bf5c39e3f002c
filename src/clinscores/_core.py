"""Shared machinery of every instrument: coercion, domain checks, rounding.

Every public scoring function of ``clinscores`` follows the same five rules
(see the *Rules* page of the documentation):

1. bad input raises :class:`InputError` naming the parameter, the value, its
   index for arrays and the allowed domain;
2. a missing value (``None`` or NaN) gives NaN (or an unknown category) for
   that row only;
3. categories are decided on the value as clinically reported
   (:func:`report`, rounded half-up);
4. inputs are never mutated and results never alias inputs;
5. every constant cites its source.

This module implements rules 1 to 4 once, so that an instrument module holds
only its own formula.  The central piece is :func:`evaluate`: it validates
and evaluates a formula block by block (64k rows at a time), so that the
temporaries of the formula stay in the processor cache and validation costs
one cheap pass over data that is already loaded.
"""

from __future__ import annotations

import enum
import math
import numbers
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from typing import Any, Final, TypeAlias

import attrs
import numpy as np
from numpy.typing import ArrayLike, NDArray

from clinscores._coded import TRISTATE, CodedArray

__all__ = [
    "BLOCK",
    "FLAG",
    "JUDGEMENT_BLOCK",
    "OMITTED",
    "REPORT_DECIMALS",
    "Activity",
    "Arg",
    "Bounds",
    "Classification",
    "Domain",
    "FlagLike",
    "InputError",
    "NumberLike",
    "Prepared",
    "blocks",
    "categorize",
    "check_keywords",
    "classify",
    "complete_items",
    "compute",
    "evaluate",
    "improved_by_percent",
    "is_missing",
    "prepare",
    "reduction_at_least",
    "report",
    "reported_units",
    "split_flag",
    "tristate",
    "tristate_codes",
]

FloatArray: TypeAlias = NDArray[np.float64]
#: What a numeric parameter accepts: a number, ``None`` (missing), or an
#: array-like of those (list, numpy array, pandas Series).
NumberLike: TypeAlias = "ArrayLike | Sequence[float | None] | None"
#: What a yes/no item accepts: a bool (or 0/1), ``None`` (unknown), or an
#: array-like of those.
FlagLike: TypeAlias = "ArrayLike | Sequence[bool | float | None] | None"
#: What a scoring function returns: a Python ``float``/``int`` for scalar
#: input, a numpy array for array input, a pandas Series for Series input.
Result: TypeAlias = Any

#: Rows evaluated per block; chosen so that a formula's temporaries stay in
#: the L2 cache (64k float64 = 512 KiB per array).
BLOCK: Final = 1 << 16
#: Rows per block of a judgement kernel: its result holds one byte a row, so
#: its float64 temporaries (8 bytes a row each) are kept to a quarter of a
#: score's, and peak memory stays close to the result.
JUDGEMENT_BLOCK: Final = 1 << 14


class InputError(ValueError):
    """A value outside its documented domain.

    The message names the parameter, the offending value, its index (for
    arrays) and the allowed domain, e.g.
    ``tjc28[3] = 40 is out of range; expected 0 to 28, whole number (integer joint count)``.
    """


class Activity(str, enum.Enum):
    """Disease-activity category (a ``str`` enum: ``Activity.HIGH == "high"``)."""

    NONE = "none"
    REMISSION = "remission"
    MILD = "mild"
    LOW = "low"
    MODERATE = "moderate"
    HIGH = "high"
    VERY_HIGH = "very_high"

    def __str__(self) -> str:
        return str(self.value)


def _activity_html(self: Activity) -> str:
    """The category in words (``High disease activity``) for a notebook."""
    from clinscores._display import activity_html

    return activity_html(self.value)


# an Enum class body may not define a _sunder_ name: the notebook hook is set after
setattr(Activity, "_repr_html_", _activity_html)  # noqa: B010


@attrs.frozen
class Classification:
    """Result of a classification criteria set.

    Attributes
    ----------
    points : int or ndarray of int
        Points that counted (items known to be present; each domain counts
        once, at its highest item).
    classified : bool, None, CodedArray or pandas.Series
        ``True``/``False``; ``None`` when an unknown (missing) item could
        change the outcome.  On arrays, a met / not met / unknown
        :class:`~clinscores.CodedArray` (one ``int8`` code a row:
        ``classified == True`` gives the classified rows); for Series input,
        a ``"boolean"`` Series (``<NA>`` unknown).
    domains : mapping of str to int or ndarray
        Points that counted, per domain.
    entry_met : bool, None, CodedArray or pandas.Series, optional
        The entry criterion, where the criteria set has one (``None``:
        unknown or not applicable).
    """

    points: Any
    classified: Any
    domains: Mapping[str, Any]
    entry_met: Any = None

    def __repr__(self) -> str:
        """In words: classified or not (or unknown), the points, the points by domain."""
        from clinscores._display import classification_text

        return classification_text(self)

    def _repr_html_(self) -> str:
        """The verdict, the points and the points by domain as HTML (notebook display)."""
        from clinscores._display import classification_html

        return classification_html(self)


@attrs.frozen
class Domain:
    """The allowed values of one parameter.

    Parameters
    ----------
    lo, hi : float
        Bounds of the domain (``-inf``/``inf`` for none).
    text : str
        What the values are, with unit, e.g. ``"integer joint count"``.
    lo_open, hi_open : bool
        Whether the bound itself is excluded.
    integer : bool
        Whether only whole numbers are allowed.
    flag : bool
        A boolean: accepts ``True``/``False``/``0``/``1``; a number domain
        rejects booleans.
    words : mapping of str to float, optional
        Words accepted in place of numbers (e.g. ESSDAI levels ``"no"`` ->
        0, ``"low"`` -> 1); any other string is an error.
    words_only : bool
        With *words*, whether numbers are refused (only the words, or a
        missing value, are accepted).
    coded : bool
        A :class:`~clinscores.CodedArray` of *words* given for this
        parameter reaches the kernel as ``int8`` numbers with ``-1`` where
        unknown (instead of ``float32`` with NaN): for kernels that read
        unknown as a negative value (BILAG-2004 grade codes).
    """

    lo: float
    hi: float
    text: str
    lo_open: bool = False
    hi_open: bool = False
    integer: bool = False
    flag: bool = False
    words: Mapping[str, float] | None = None
    words_only: bool = False
    coded: bool = False

    def outside(self, values: NDArray[Any]) -> NDArray[np.bool_]:
        """Where *values* lie outside the domain (NaN is missing, not outside)."""
        x = np.asarray(values, dtype=np.float64)
        with np.errstate(invalid="ignore"):
            bad = (x < self.lo) | (x > self.hi) | np.isinf(x)
            if self.lo_open:
                bad |= x == self.lo
            if self.hi_open:
                bad |= x == self.hi
            if self.integer:
                bad |= (x != np.trunc(x)) & ~np.isnan(x)
        return bad

    def describe(self) -> str:
        """The allowed values in words, then what they are.

        E.g. ``"0 to 28, whole number (integer joint count)"``.

        The words are those of :func:`clinscores.vocabulary.domain_hint`, the
        one formatter of domain hints (``clinscores list``, the registry, the
        record's schema and the error messages).
        """
        from clinscores.vocabulary import domain_hint  # a module of words, no imports

        if self.flag:
            return "True/False (boolean)"
        return f"{domain_hint(self)} ({self.text})"


#: A boolean item (present / absent); ``None``/NaN is unknown.
FLAG: Final = Domain(0.0, 1.0, "boolean", integer=True, flag=True)


def _is_series(value: object) -> bool:
    return type(value).__module__.startswith("pandas") and hasattr(value, "index")


def is_missing(value: object) -> bool:
    """Whether a scalar is a missing value: ``None``, NaN or ``pandas.NA``.

    ``pandas.NA`` is recognised by its type, without importing pandas
    (pandas is optional).
    """
    if value is None:
        return True
    if isinstance(value, float):
        return math.isnan(value)
    if isinstance(value, np.floating):
        return bool(np.isnan(value))
    kind = type(value)
    return kind.__name__ == "NAType" and kind.__module__.startswith("pandas")


def _is_datetime_like(value: object) -> bool:
    """numpy datetime64/timedelta64 scalars: integers to numpy, never a score value."""
    return isinstance(value, (np.timedelta64, np.datetime64))


class _Omitted:
    """The default of an item parameter: the caller did not give the item."""

    def __repr__(self) -> str:
        return "<omitted>"


#: Marker default of an item that must be given (see :func:`complete_items`).
OMITTED: Final[Any] = _Omitted()


def _others_absent(function: str, others: object, absent_words: tuple[object, ...]) -> bool:
    """Validate ``others=``: True when it records the rest as absent, False as unknown."""
    if isinstance(others, (list, tuple, dict, set, np.ndarray)) or _is_series(others):
        raise InputError(
            f"{function}(): others is a {type(others).__name__}, not a scalar; expected "
            "False (every item not given absent) or None (unknown)"
        )
    if is_missing(others):
        return False
    if isinstance(others, (bool, np.bool_)):
        if not others:
            return True
    elif isinstance(others, (int, np.integer)) and not _is_datetime_like(others):
        if int(others) == 0:
            return True
    elif isinstance(others, str) and others in absent_words:
        return True
    shown = ", ".join(repr(w) for w in absent_words)
    raise InputError(
        f"{function}(): others = {others!r} is not allowed; expected False "
        f"(or 0{', ' + shown if shown else ''}: every item not given absent) or None "
        "(unknown)"
    )


def complete_items(
    function: str,
    given: Mapping[str, object],
    names: Sequence[str],
    others: object,
    *,
    what: str = "items",
    absent: Mapping[str, object] | object = False,
    absent_words: tuple[object, ...] = (),
    hint: str = "others=False to record the rest as absent",
) -> dict[str, Any]:
    """Every item of *names*: the value given, or what ``others=`` says.

    An omitted item is never taken as absent: every item must be given
    (``None``/NaN when unknown), or ``others=`` must say what the items not
    given are: ``False`` (or ``0``, or one of *absent_words*) absent,
    ``None`` unknown.  A value of :data:`OMITTED` counts as not given.

    Parameters
    ----------
    function : str
        Name of the function, for the messages.
    given : mapping of str to value
        The items the caller gave.
    names : sequence of str
        Every item of the instrument, in order.
    others : object
        The caller's ``others=``, or :data:`OMITTED`.
    what : str
        What the items are called in the message (``"descriptors"``).
    absent : object or mapping of str to object
        The value of an absent item (per item, for a mapping).
    absent_words, hint
        Words accepted for "absent", and the text suggesting ``others=``.

    Returns
    -------
    dict of str to object
        Every item of *names*, in order.

    Raises
    ------
    TypeError
        Naming every omitted item when ``others=`` is not given.
    InputError
        For an ``others=`` that is not a scalar "absent" or "unknown".
    """
    missing = [n for n in names if given.get(n, OMITTED) is OMITTED]
    if others is OMITTED:
        if missing:
            count = len(missing)
            noun = what[:-1] if count == 1 and " and " not in what else what
            raise TypeError(
                f"{function}() missing {count} {noun}: {', '.join(missing)}; give each "
                f"(None if unknown), or {hint}"
            )
        return {n: given[n] for n in names}
    is_absent = _others_absent(function, others, absent_words)

    def fill(name: str) -> object:
        if not is_absent:
            return None
        return absent.get(name, False) if isinstance(absent, Mapping) else absent

    return {n: fill(n) if n in missing else given[n] for n in names}


def check_keywords(function: str, given: Iterable[str], allowed: Iterable[str]) -> None:
    """Raise ``TypeError`` naming the first keyword not in *allowed*."""
    allowed_set = set(allowed)
    for key in given:
        if key not in allowed_set:
            raise TypeError(
                f"{function}() got an unexpected keyword argument {key!r}; "
                f"allowed: {', '.join(sorted(allowed_set))}"
            )


# --------------------------------------------------------------------------
# coercion
# --------------------------------------------------------------------------


def _scalar_error(name: str, value: object, domain: Domain, what: str) -> InputError:
    return InputError(f"{name} = {value!r} is {what}; expected {domain.describe()}")


def _coerce_scalar(name: str, value: object, domain: Domain) -> float:
    if value is None or is_missing(value):
        return math.nan
    if _is_datetime_like(value):
        raise _scalar_error(name, value, domain, "a date or a duration, not a number")
    if isinstance(value, (bool, np.bool_)):
        if domain.flag:
            return float(value)
        raise _scalar_error(name, value, domain, "a boolean, not a number")
    if isinstance(value, numbers.Real):
        if domain.words_only and not math.isnan(value):
            raise _scalar_error(name, value, domain, "not an allowed value")
        return float(value)
    if domain.words is not None and isinstance(value, str):
        if value in domain.words:
            return float(domain.words[value])
        raise _scalar_error(name, value, domain, "not an allowed value")
    raise _scalar_error(name, value, domain, "not a number")


def _coerce_object(name: str, arr: NDArray[Any], domain: Domain) -> FloatArray:
    """Slow path for object arrays (lists holding ``None``, mixed types)."""
    out = np.empty(arr.shape, dtype=np.float64)
    flat_in = arr.reshape(-1)
    flat_out = out.reshape(-1)
    for i, v in enumerate(flat_in):
        try:
            flat_out[i] = _coerce_scalar(name, v, domain)
        except InputError:
            raise _array_error(name, arr.shape, i, v, domain) from None
    return out


def _coerce_words(
    name: str,
    arr: NDArray[Any],
    domain: Domain,
    *,
    start: int = 0,
    shape: tuple[int, ...] | None = None,
) -> FloatArray:
    """Vectorised path for string arrays of a domain with words.

    *arr* may be one block (rows from *start*) of an array of *shape*: an
    error then names the row in the whole array.
    """
    assert domain.words is not None
    out = np.empty(arr.shape)
    matched = np.zeros(arr.shape, dtype=bool)
    for word, number in domain.words.items():
        hit = arr == word
        np.copyto(out, number, where=hit)
        matched |= hit
    if not matched.all():
        i = int(np.flatnonzero(~matched.reshape(-1))[0])
        raise _array_error(
            name, arr.shape if shape is None else shape, start + i, str(arr.reshape(-1)[i]), domain
        )
    return out


def _array_error(
    name: str, shape: tuple[int, ...], flat_index: int, value: object, domain: Domain
) -> InputError:
    idx = np.unravel_index(flat_index, shape) if len(shape) > 1 else (flat_index,)
    where = ", ".join(str(int(i)) for i in idx)
    if isinstance(value, np.generic):
        value = value.item()
    if isinstance(value, (bool, np.bool_)) and not domain.flag:
        what = "a boolean, not a number"
    elif (isinstance(value, str) and domain.words is not None) or (
        domain.words_only and isinstance(value, numbers.Real)
    ):
        what = "not an allowed value"
    elif not isinstance(value, (numbers.Real, np.number)) or isinstance(value, np.bool_):
        what = "not a number"
    else:
        what = f"out of range; expected {domain.describe()}"
        return InputError(f"{name}[{where}] = {value!r} is {what}")
    return InputError(f"{name}[{where}] = {value!r} is {what}; expected {domain.describe()}")


def _coded_table(value: object, domain: Domain) -> NDArray[Any] | None:
    """The numbers of a CodedArray's categories in *domain* (NaN last, for code -1), or None.

    ``float32``: the numbers are small whole numbers (flags, levels, grade
    codes), held exactly in half the bytes of a block of ``float64``; for a
    ``coded`` domain, ``int8`` with ``-1`` last.

    For a met / not met / unknown array passed as a flag, and for categories
    that are all words of *domain* (a serology level as ``rf``); None for
    anything else, and for 0-d arrays.
    """
    if not isinstance(value, CodedArray) or value.ndim == 0:
        return None
    if value.is_tristate:
        return np.array([0.0, 1.0, math.nan], dtype=np.float32) if domain.flag else None
    words = domain.words or {}
    keys = [c.value if isinstance(c, enum.Enum) else c for c in value.categories]
    found = [words.get(k) if isinstance(k, str) else None for k in keys]
    numbers = [float(x) for x in found if x is not None]
    if len(numbers) < len(found) or any(x != np.float32(x) for x in numbers):
        return None  # not all words, or a number float32 does not hold exactly
    if domain.coded and all(0 <= x <= 127 and x.is_integer() for x in numbers):
        return np.array([*numbers, -1], dtype=np.int8)
    return np.array([*numbers, math.nan], dtype=np.float32)


def _coded_values(value: CodedArray, domain: Domain) -> NDArray[Any]:
    """A judgement passed on as an input, without an object per row.

    Met / not met / unknown becomes 1.0 / 0.0 / NaN for a flag; categories
    that are all words of *domain* become their numbers (NaN unknown);
    anything else the object array of its values (validated, and refused,
    as such).
    """
    if value.is_tristate and domain.flag:
        return value.astype(np.float64)
    words = domain.words or {}
    keys = [c.value if isinstance(c, enum.Enum) else c for c in value.categories]
    if all(isinstance(k, str) and k in words for k in keys):
        table = np.array([*(words[k] for k in keys), math.nan], dtype=np.float64)
        return np.take(table, value.codes)  # code -1 picks NaN
    return value.astype(object)


def _to_array(
    name: str, value: object, domain: Domain, lazy_words: bool = False
) -> tuple[NDArray[Any], Any]:
    """Return a numeric ndarray view/copy of *value* and its pandas index (or None).

    With *lazy_words*, an array of text of a domain with words is returned
    as it is: :func:`blocks` converts (and checks) it block by block.
    """
    index = None
    if _is_series(value):
        index = value.index  # type: ignore[attr-defined]
        dtype = value.dtype  # type: ignore[attr-defined]
        if getattr(dtype, "kind", "O") in "biuf" and not hasattr(dtype, "na_value"):
            arr = value.to_numpy()  # type: ignore[attr-defined]
        elif getattr(dtype, "kind", "O") in "biuf":  # pandas nullable dtypes
            if getattr(dtype, "kind", "O") == "b" and not domain.flag:
                raise _array_error(name, (len(value),), 0, True, domain)  # type: ignore[arg-type]
            arr = value.to_numpy(dtype=np.float64, na_value=np.nan)  # type: ignore[attr-defined]
        else:
            arr = value.to_numpy(dtype=object)  # type: ignore[attr-defined]
    elif isinstance(value, CodedArray):
        arr = _coded_values(value, domain)
        if arr.dtype.kind == "f":
            return arr, None  # already the domain's numbers
    elif isinstance(value, np.ndarray):
        arr = value
    elif isinstance(value, (list, tuple)):
        arr = np.asarray(value)
        if arr.dtype.kind in "US":  # mixed strings and numbers become strings
            arr = np.asarray(value, dtype=object)
    else:
        return np.asarray(_coerce_scalar(name, value, domain)), None
    kind = arr.dtype.kind
    if kind == "b" and not domain.flag:
        if arr.size:
            raise _array_error(name, arr.shape, 0, bool(arr.reshape(-1)[0]), domain)
        return np.empty(arr.shape, dtype=np.float64), index
    if kind in "biuf":
        if domain.words_only and arr.size and not np.isnan(arr.astype(np.float64)).all():
            i = int(np.flatnonzero(~np.isnan(arr.astype(np.float64)).reshape(-1))[0])
            raise _array_error(name, arr.shape, i, arr.reshape(-1)[i].item(), domain)
        return arr, index
    if kind == "O":
        return _coerce_object(name, arr, domain), index
    if arr.size == 0:
        return np.empty(arr.shape, dtype=np.float64), index
    if kind == "U" and domain.words is not None:
        if lazy_words and arr.ndim:
            return arr, index
        return _coerce_words(name, arr, domain), index
    raise _array_error(name, arr.shape, 0, arr.reshape(-1)[0], domain)


# --------------------------------------------------------------------------
# validation
# --------------------------------------------------------------------------


def _unsigned_limit(domain: Domain, dtype: np.dtype[Any]) -> int | None:
    """Largest allowed value of an array of *dtype* read as unsigned integers, or None.

    For a domain ``[0, hi]`` one reduction checks both bounds: a negative
    signed integer, and a negative, infinite or NaN float64, read as an
    unsigned integer of the same width, exceeds the bit pattern of ``hi``
    (IEEE 754 non-negative floats are ordered like their bit patterns).
    """
    if domain.lo != 0 or domain.lo_open or domain.hi_open:
        return None
    if dtype.kind in "iu":
        return None if math.isinf(domain.hi) else int(domain.hi)
    if dtype == np.float64 and not domain.integer:
        # [0, inf): every finite non-negative float, up to the largest finite one
        hi = np.finfo(np.float64).max if math.isinf(domain.hi) else domain.hi
        return int(np.array(hi, dtype=np.float64).view(np.uint64))
    return None


def _range_ok(block: NDArray[Any], domain: Domain) -> bool:
    """Two NaN-ignoring reductions, and one more for whole numbers given as floats."""
    kind = block.dtype.kind
    lo = np.fmin.reduce(block, axis=None)
    hi = np.fmax.reduce(block, axis=None)
    if kind == "f":
        if math.isnan(lo):  # all NaN: every row missing
            return True
        if math.isinf(lo) or math.isinf(hi):
            return False
    if (lo <= domain.lo) if domain.lo_open else (lo < domain.lo):
        return False
    if (hi >= domain.hi) if domain.hi_open else (hi > domain.hi):
        return False
    if domain.integer and kind == "f":
        frac = np.trunc(block)
        np.subtract(block, frac, out=frac)
        if lo < 0:  # only then can a fraction be negative
            np.abs(frac, out=frac)
        if np.fmax.reduce(frac, axis=None) > 0:
            return False
    return True


Checker: TypeAlias = Callable[[NDArray[Any]], bool]


def _checker(domain: Domain, dtype: np.dtype[Any]) -> Checker:
    """The cheap validation of one block of an argument (built once per call).

    One reduction for counts and bounded measurements ``[0, hi]`` without
    missing values (see :func:`_unsigned_limit`); otherwise, or when that
    test fails on a float block (it may hold a NaN), :func:`_range_ok`.
    """
    if dtype.kind == "b":
        return lambda block: True  # flags only reach here (numbers reject bool earlier)
    limit = _unsigned_limit(domain, dtype)
    if limit is None:
        return lambda block: block.size == 0 or _range_ok(block, domain)
    unsigned = np.dtype(dtype.str.replace("i", "u").replace("f", "u"))
    exact = dtype.kind in "iu"
    # once a float block held a missing value, the next ones likely do too:
    # they go straight to the NaN-ignoring reductions
    seen_missing = False

    def check(block: NDArray[Any]) -> bool:
        nonlocal seen_missing
        if block.size == 0:
            return True
        if not seen_missing and block.view(unsigned).max() <= limit:
            return True
        if exact:
            return False
        seen_missing = True
        return _range_ok(block, domain)

    return check


def _first_bad(
    name: str, flat: NDArray[Any], start: int, shape: tuple[int, ...], domain: Domain
) -> InputError:
    """Locate the first invalid element (slow path, only on error)."""
    i = int(np.flatnonzero(domain.outside(flat))[0])
    return _array_error(name, shape, start + i, flat[i], domain)


def _check_scalar(name: str, x: float, domain: Domain, shown: object) -> None:
    if math.isnan(x):
        return
    ok = (
        not math.isinf(x)
        and (x > domain.lo if domain.lo_open else x >= domain.lo)
        and (x < domain.hi if domain.hi_open else x <= domain.hi)
        and (not domain.integer or x.is_integer())
    )
    if not ok:
        if isinstance(shown, np.generic):
            shown = shown.item()
        raise InputError(f"{name} = {shown!r} is out of range; expected {domain.describe()}")


# --------------------------------------------------------------------------
# preparation and evaluation
# --------------------------------------------------------------------------

#: One argument: (parameter name, value as given, its domain).
Arg: TypeAlias = tuple[str, object, Domain]


@attrs.frozen
class Prepared:
    """Coerced, broadcast inputs and what is needed to shape the output.

    ``flats`` holds, per argument, a 1-d array: of length 1 for a scalar
    argument (already validated; ``fixed`` is True) or of the broadcast size
    (validated block by block in :func:`compute`, or at once by
    :meth:`validate`).  Length-1 arrays broadcast against blocks, and
    operations on them give arrays, never numpy scalars.
    """

    names: tuple[str, ...]
    domains: tuple[Domain, ...]
    flats: tuple[NDArray[Any], ...]
    shape: tuple[int, ...]
    index: Any
    scalar: bool
    fixed: tuple[bool, ...]
    #: Per argument, None, or the numbers (NaN last) that its ``int8`` codes
    #: stand for: a judgement passed on as an input (see :func:`prepare`).
    tables: tuple[NDArray[Any] | None, ...] = ()

    def table(self, i: int) -> NDArray[Any] | None:
        return self.tables[i] if self.tables else None

    @property
    def size(self) -> int:
        return math.prod(self.shape)

    def validate(self) -> None:
        """Validate every array argument at once (when :func:`evaluate` is not used)."""
        for i, (name, flat, domain, fixed) in enumerate(
            zip(self.names, self.flats, self.domains, self.fixed)
        ):
            if fixed or flat.dtype.kind == "U" or self.table(i) is not None:
                continue  # words, codes: checked (or valid) as blocks() converts them
            check = _checker(domain, flat.dtype)
            for start in range(0, flat.size, BLOCK):
                blk = flat[start : start + BLOCK]
                if not check(blk):
                    raise _first_bad(name, blk, start, self.shape, domain)

    def wrap(self, out: NDArray[Any], *, integer: bool = False, name: str | None = None) -> Result:
        """Shape a flat result like the input: Python scalar, ndarray or Series."""
        if self.scalar:
            v = out.reshape(-1)[0] if out.size else out
            if out.dtype.kind == "O":
                return v
            if out.dtype.kind == "b":
                return bool(v)
            x = float(v)
            if integer and not math.isnan(x):
                return int(x)
            return x
        shaped = out.reshape(self.shape)
        if self.index is not None:
            import pandas as pd  # only reached when the caller passed pandas objects

            return pd.Series(shaped, index=self.index, name=name)
        return shaped

    def wrap_coded(
        self,
        codes: NDArray[np.int8],
        categories: tuple[Any, ...],
        name: str | None = None,
        *,
        ordered: bool = True,
    ) -> Result:
        """Shape flat judgement codes like the input: a value, a CodedArray or a Series.

        The one place where every judgement of the package (met / not met /
        unknown, a grade, an activity or response category) takes the shape
        of its input.

        Parameters
        ----------
        codes : ndarray of int8
            One code per row, ``prep.size`` of them: ``-1`` unknown, else the
            index of the row's category.  Taken over (made read-only), never
            copied: the caller builds it for this result only.
        categories : tuple
            The values a code stands for, lowest first: :data:`TRISTATE`
            ``(False, True)`` for met / not met / unknown, ``Activity``
            members, ``("none", "moderate", "good")``...
        name : str, optional
            Name of the Series returned for Series input.
        ordered : bool
            Whether the categories are ordered (lowest first).

        Returns
        -------
        object, CodedArray or pandas.Series
            Scalar input: the category itself (``True``, ``Activity.HIGH``,
            ``"good"``) or ``None`` when unknown.  Array input: a
            :class:`~clinscores.CodedArray` shaped like the input, over
            *codes* (no copy).  Series input: a ``"boolean"`` Series (for
            met / not met / unknown) or an ordered ``Categorical`` one, with
            the input's index and *name*, built from the codes in one pass.
        """
        if codes.dtype != np.int8:
            raise TypeError(f"judgement codes must be int8, not {codes.dtype}")
        if self.scalar:
            code = int(codes.reshape(-1)[0]) if codes.size else -1
            return None if code < 0 else categories[code]
        codes.flags.writeable = False  # taken over: the result owns it
        coded = CodedArray.from_codes(codes.reshape(self.shape), categories, ordered=ordered)
        if self.index is not None:
            return coded.to_pandas(self.index, name)
        return coded


def prepare(*args: Arg, lazy_words: bool = False) -> Prepared:
    """Coerce arguments to numeric arrays and broadcast them.

    Scalars are validated here; arrays are validated block-wise by
    :func:`evaluate` (or by :meth:`Prepared.validate`).  With *lazy_words*
    (for callers that read the arguments through :func:`blocks` only), an
    array of words (``"high_positive"``) is converted to its numbers block
    by block, in the cache, instead of into a whole float array here.

    Raises
    ------
    InputError
        For a value that is not a number (or boolean, for flags), or a scalar
        outside its domain, or pandas Series with different indexes.
    """
    names: list[str] = []
    domains: list[Domain] = []
    arrays: list[NDArray[Any]] = []
    index: Any = None
    index_from = ""
    tables: list[NDArray[Any] | None] = []
    for name, value, domain in args:
        table = _coded_table(value, domain) if lazy_words else None
        tables.append(table)
        if table is not None:
            assert isinstance(value, CodedArray)
            arr, idx = value.codes, None
        else:
            arr, idx = _to_array(name, value, domain, lazy_words)
        if idx is not None:
            if index is None:
                index, index_from = idx, name
            elif not index.equals(idx):
                raise InputError(
                    f"{name} and {index_from} are pandas Series with different indexes; "
                    "align them first"
                )
        if arr.ndim == 0:
            _check_scalar(name, float(arr), domain, value)
        names.append(name)
        domains.append(domain)
        arrays.append(arr)
    try:
        shape = np.broadcast_shapes(*(a.shape for a in arrays))
    except ValueError:
        shapes = ", ".join(f"{n}: {a.shape}" for n, a in zip(names, arrays))
        raise InputError(f"array arguments have incompatible shapes ({shapes})") from None
    flats: list[NDArray[Any]] = []
    for arr in arrays:
        if arr.ndim == 0:
            flats.append(arr.reshape(1))
        elif arr.shape == shape:
            flats.append(arr.reshape(-1))
        else:
            flats.append(np.broadcast_to(arr, shape).reshape(-1))
    scalar = all(a.ndim == 0 for a in arrays) and index is None
    fixed = tuple(a.ndim == 0 for a in arrays)
    return Prepared(
        tuple(names),
        tuple(domains),
        tuple(flats),
        tuple(shape),
        index,
        scalar,
        fixed,
        tuple(tables) if any(t is not None for t in tables) else (),
    )


Kernel: TypeAlias = Callable[..., None]


def blocks(prep: Prepared, rows: int = BLOCK) -> Iterator[tuple[slice, list[NDArray[Any]]]]:
    """Validate and yield the arguments block by block: (rows, blocks).

    Each block is validated just before it is used, while it is in the
    cache; a scalar argument is passed whole (length 1) with every block.
    *rows* is the block length (:data:`BLOCK` unless a kernel needs fewer
    temporaries per row than a score's).
    """
    n = prep.size
    words = [flat.dtype.kind == "U" for flat in prep.flats]  # see prepare(lazy_words=True)
    tables = [prep.table(i) for i in range(len(prep.flats))]
    # int8 tables (0, 1, ..., n-1, -1): the CodedArray's own codes are the domain's
    # codes (BILAG-2004 grades E 0 .. A 4), read with no conversion
    own_codes = {
        i
        for i, t in enumerate(tables)
        if t is not None and t.dtype == np.int8 and t.tolist() == [*range(len(t) - 1), -1]
    }
    lazy = [word or table is not None for word, table in zip(words, tables)]

    def converted(i: int, blk: NDArray[Any], start: int) -> NDArray[Any]:
        table = tables[i]
        if table is not None:
            if i in own_codes:
                return blk
            looked_up: NDArray[Any] = np.take(table, blk)  # code -1 picks the last: NaN
            return looked_up
        return _coerce_words(prep.names[i], blk, prep.domains[i], start=start, shape=prep.shape)

    if n <= rows:
        prep.validate()
        yield slice(0, n), [converted(i, f, 0) if lazy[i] else f for i, f in enumerate(prep.flats)]
        return
    checks = [
        None if fixed or late else _checker(domain, flat.dtype)
        for flat, domain, fixed, late in zip(prep.flats, prep.domains, prep.fixed, lazy)
    ]
    for start in range(0, n, rows):
        stop = min(start + rows, n)
        blocks = []
        for i, (arg_name, flat, domain, check) in enumerate(
            zip(prep.names, prep.flats, prep.domains, checks)
        ):
            if lazy[i]:
                blocks.append(converted(i, flat[start:stop], start))
                continue
            if check is None:
                blocks.append(flat)
                continue
            blk = flat[start:stop]
            if not check(blk):
                raise _first_bad(arg_name, blk, start, prep.shape, domain)
            blocks.append(blk)
        yield slice(start, stop), blocks


def compute(
    kernel: Kernel, *args: Arg, dtype: type[np.generic] = np.float64, rows: int = BLOCK
) -> tuple[NDArray[Any], Prepared]:
    """Validate the arguments and run ``kernel`` block by block; flat result.

    Parameters
    ----------
    kernel : callable
        ``kernel(out, *blocks)`` writes the result for one block of rows into
        ``out`` (a 1-d array of *dtype*).  Each block is a 1-d array of the
        argument's values for those rows (a length-1 array for a scalar
        argument).  The kernel must not write to its inputs.
    *args : (name, value, Domain)
        The arguments, in the order the kernel takes them.
    dtype : numpy scalar type
        Result dtype.
    rows : int
        Rows per block (see :func:`blocks`).

    Returns
    -------
    out : ndarray
        Flat result of size ``prep.size``.
    prep : Prepared
        Use ``prep.wrap(out)`` to shape it like the input.
    """
    prep = prepare(*args, lazy_words=True)
    out = np.empty(prep.size, dtype=dtype)
    for part, blks in blocks(prep, rows):
        kernel(out[part], *blks)
    return out, prep


def evaluate(
    kernel: Kernel,
    *args: Arg,
    integer: bool = False,
    name: str | None = None,
) -> Result:
    """Validate, evaluate block by block (see :func:`compute`) and shape the result.

    The result is float64 (NaN marks a missing row); ``integer=True`` returns
    a Python ``int`` for a known scalar result.  ``name`` names the Series
    returned for Series input.
    """
    out, prep = compute(kernel, *args)
    return prep.wrap(out, integer=integer, name=name)


# --------------------------------------------------------------------------
# reported precision and categories
# --------------------------------------------------------------------------

#: Decimals to which each instrument is clinically reported (rule 3).
REPORT_DECIMALS: Final[Mapping[str, int]] = {
    "das28": 2,
    "das28_esr": 2,
    "das28_crp": 2,
    "das28_esr3": 2,
    "das28_crp3": 2,
    "cdai": 1,
    "sdai": 1,
    "esspri": 2,
    "sledai2k": 0,
    "essdai": 0,
    "mrss": 0,
    "cockcroft_gault": 1,
    "haq_di": 3,
    "criss": 2,
}


def reported_units(
    x: NDArray[Any], decimals: int, *, nonnegative: bool = False
) -> NDArray[np.float64]:
    """``x`` rounded half away from zero, in units of ``10**-decimals``.

    The product ``x * 10**decimals`` is first rounded to 9 decimals so that
    binary representation noise (``2.845 * 100 == 284.49999999999994``) does
    not decide the rounding.  NaN stays NaN.  *nonnegative*: the caller
    knows that no value is negative (validated), which saves the sign
    handling (the result is the same).
    """
    y: NDArray[np.float64] = np.multiply(x, 10.0**decimals, dtype=np.float64)  # x never written
    if y.ndim == 0:
        y = y.reshape(1)
    np.round(y, 9, out=y)
    if nonnegative:
        y += 0.5
        np.floor(y, out=y)
        return y
    sign = np.sign(y)
    np.abs(y, out=y)
    y += 0.5
    np.floor(y, out=y)
    y *= sign
    y += 0.0  # no negative zero
    return y


def _decimals(instrument: str) -> int:
    try:
        return REPORT_DECIMALS[instrument]
    except KeyError:
        known = ", ".join(sorted(REPORT_DECIMALS))
        raise InputError(
            f"instrument = {instrument!r} is unknown; expected one of {known}"
        ) from None


_SCORE: Final = Domain(-math.inf, math.inf, "score")


def report(value: object, instrument: str) -> Result:
    """The value as clinically reported: rounded half-up to the instrument's precision.

    Parameters
    ----------
    value : float or array_like
        Score(s) at full precision.
    instrument : str
        Key of :data:`REPORT_DECIMALS` (``"das28_esr"``, ``"cdai"``, ...):
        DAS28 to 2 decimals, CDAI and SDAI to 1 decimal, integer scores exact.

    Returns
    -------
    float, ndarray or pandas.Series
        E.g. ``report(2.845, "das28") == 2.85`` and
        ``report(cdai(1, 1, 0.4, 0.4), "cdai") == 2.8``.
    """
    decimals = _decimals(instrument)

    def kernel(out: FloatArray, x: FloatArray) -> None:
        out[...] = reported_units(x, decimals)
        out /= 10.0**decimals

    return evaluate(kernel, ("value", value, _SCORE), integer=decimals == 0)


def categorize(
    score: object,
    *,
    decimals: int,
    cuts: Sequence[tuple[float, bool]],
    labels: Sequence[Activity],
    name: str = "score",
    domain: Domain = _SCORE,
) -> Result:
    """Assign categories by cut-offs applied to the reported score.

    Parameters
    ----------
    score : float or array_like
        Score(s) at full precision.
    decimals : int
        Reporting precision; the score is rounded half-up to it first.
    cuts : sequence of (cut-off, upper_inclusive)
        Ascending upper bounds of each category but the last.
        ``upper_inclusive`` says whether the cut-off itself belongs to the
        lower category (``<=``) or to the next one (``<``).
    labels : sequence of Activity
        ``len(cuts) + 1`` categories, lowest first.

    Returns
    -------
    Activity, None, CodedArray or pandas.Series
        The category of a score, ``None`` where it is missing; on arrays a
        :class:`~clinscores.CodedArray` of *labels* (an ordered
        ``Categorical`` Series for Series input), built from ``int8`` codes
        (see :meth:`Prepared.wrap_coded`).
    """
    limits = [(round(cut * 10.0**decimals), inclusive) for cut, inclusive in cuts]
    categories = tuple(labels)
    # reported units > c (cut-off in the lower category) or >= c, as value >= bound
    values = _reported_comparison(decimals, domain, [c + int(up) for c, up in limits])

    def kernel(out: NDArray[np.int8], x: FloatArray) -> None:
        value, bounds = values(x)
        np.greater_equal(value, bounds[0], out=out.view(np.bool_))  # 0/1 bytes
        for bound in bounds[1:]:
            out += value >= bound
        if value.dtype.kind == "f":
            out -= np.isnan(value)  # NaN compares false: code 0 - 1 = unknown

    codes, prep = compute(kernel, (name, score, domain), dtype=np.int8, rows=JUDGEMENT_BLOCK)
    return prep.wrap_coded(codes, categories, name=name)


def _reported_comparison(
    decimals: int, domain: Domain, cuts: Sequence[int]
) -> Callable[[NDArray[Any]], tuple[NDArray[Any], list[float]]]:
    """``reported_units(x, decimals) >= c`` for each *c* of *cuts*, in fewer passes.

    Returns ``values(x) -> (value, bounds)``: ``value >= bounds[i]`` exactly
    when the reported units of *x* are at least ``cuts[i]``, for values
    validated against *domain*; a missing value (NaN) satisfies neither
    ``>=`` nor ``<``.  Whole numbers (an integer domain from 0) are their own
    units.  Other values are compared before the half-up rounding:
    :func:`reported_units` is ``floor(round(x * 10**decimals, 9) + 0.5)``,
    and with ``w = (x * 10**decimals) * 1e9`` (the product
    :func:`numpy.round` rounds), ``floor(rint(w) / 1e9 + 0.5) >= c`` holds
    exactly when ``w >= (c - 0.5) * 1e9 - 0.5``: ``(c - 0.5) * 1e9`` is an
    even whole number, so ``rint`` (half to even) takes a tie up to it, and a
    9-decimal value is at least 1e-9 from the next, far more than the
    rounding of ``+ 0.5`` near a cut-off below 10^6 units.  Both sides grow
    with *x*, so they agree wherever they agree at the cut-off.  Negative
    values round half away from zero: the early comparison holds for them
    when every cut-off is at least 1.  Otherwise (a cut-off of 10^6 units or
    more) :func:`reported_units` itself is compared.
    """
    scale = 10.0**decimals
    whole = [float(c) for c in cuts]
    if domain.integer and domain.lo >= 0 and decimals == 0:
        return lambda x: (x, whole)
    if not all(c < 1_000_000 and (c >= 1 or domain.lo >= 0) for c in cuts):
        return lambda x: (reported_units(x, decimals), whole)
    early = [(2 * c - 1) * 500_000_000 - 0.5 for c in cuts]

    def values(x: NDArray[Any]) -> tuple[NDArray[Any], list[float]]:
        w: NDArray[np.float64] = np.multiply(x, scale, dtype=np.float64)
        w *= 1e9
        return w, early

    return values


def improved_by_percent(
    baseline_units: NDArray[Any], current_units: NDArray[Any], percent: int
) -> NDArray[np.bool_]:
    """Whether a value fell by at least *percent* % of its baseline, exactly.

    Parameters
    ----------
    baseline_units, current_units : ndarray
        Values as reported, in whole units of their reporting precision (see
        :func:`reported_units`), so that the comparison is exact integer
        arithmetic: ``(baseline - current) * 100 >= percent * baseline``.
    percent : int
        The required fall, in whole percent.

    Returns
    -------
    ndarray of bool
        False where either value is NaN, and where the baseline is 0 (a
        baseline of 0 cannot fall by a percentage of itself).
    """
    b = np.asarray(baseline_units, dtype=np.float64)
    c = np.asarray(current_units, dtype=np.float64)
    with np.errstate(invalid="ignore"):
        met: NDArray[np.bool_] = (b > 0) & ((b - c) * 100.0 >= percent * b)
    return met


def reduction_at_least(
    baseline: object,
    current: object,
    points: float,
    domain: Domain,
    name: str,
    *,
    percent: int | None = None,
    decimals: int = 0,
) -> Result:
    """Whether a score fell by at least *points* (or *percent* %) (True/False/None per row).

    Both scores are validated against *domain* and compared as reported:
    rounded half-up to *decimals* and counted in whole units of that
    precision, so binary noise cannot decide a boundary.  With *percent*,
    a fall of at least that percentage of the baseline also counts (see
    :func:`improved_by_percent`).  A missing score gives ``None``.  Shared
    by the clinically important changes of SLEDAI-2K, ESSDAI and ESSPRI.
    """
    units_of = _units_of(decimals, domain)
    limit = round(points * 10**decimals)

    def kernel(out: NDArray[np.int8], base: NDArray[Any], cur: NDArray[Any]) -> None:
        b = units_of(base)  # new arrays: written in place
        fall = units_of(cur)
        np.subtract(b, fall, out=fall)  # NaN where either is missing
        met = fall >= limit
        if percent is not None:  # see improved_by_percent
            positive = b > 0
            fall *= 100.0
            b *= percent
            positive &= fall >= b
            met |= positive
        np.subtract(met, np.isnan(fall), out=out, dtype=np.int8)  # NaN compares false

    codes, prep = compute(
        kernel,
        ("baseline", baseline, domain),
        ("current", current, domain),
        dtype=np.int8,
        rows=JUDGEMENT_BLOCK,
    )
    return prep.wrap_coded(codes, TRISTATE, name)


def _units_of(decimals: int, domain: Domain) -> Callable[[NDArray[Any]], NDArray[Any]]:
    """:func:`reported_units` of values validated against *domain*: the same numbers, cheaper.

    Whole numbers from 0 (an integer domain, no decimals) are their own
    units (copied); other non-negative values skip the sign handling.  The
    result is always a new array.
    """
    if domain.integer and domain.lo >= 0 and decimals == 0:
        return lambda x: np.array(x, dtype=np.float64)
    return lambda x: reported_units(x, decimals, nonnegative=domain.lo >= 0)


def tristate(
    classified: NDArray[np.bool_], known: NDArray[np.bool_], prep: Prepared, name: str
) -> Result:
    """Combine *classified* and *known* into met / not met / unknown, shaped like the input.

    ``True``/``False``/``None`` for one patient; on arrays a met / not met /
    unknown :class:`~clinscores.CodedArray` (a ``"boolean"`` Series for
    Series input), see :meth:`Prepared.wrap_coded`.
    """
    return prep.wrap_coded(tristate_codes(classified, known, prep.size), TRISTATE, name)


def split_flag(flat: NDArray[Any]) -> tuple[NDArray[np.bool_], NDArray[np.bool_]]:
    """Split a validated flag array into (present, unknown) boolean arrays.

    ``present`` is True where the item is recorded present; ``unknown`` where
    it is missing (NaN).  An absent item is neither.
    """
    if flat.dtype.kind == "b":  # no copy: a read-only view, and no unknown row
        present: NDArray[np.bool_] = flat.reshape(-1) if flat.ndim else flat.reshape(1)
        present = present.view()
        present.flags.writeable = False
        return present, np.broadcast_to(np.False_, present.shape)
    x = np.asarray(flat, dtype=np.float64)
    if x.ndim == 0:
        x = x.reshape(1)
    return x == 1.0, np.isnan(x)


@attrs.frozen
class Bounds:
    """One block of a criteria set, evaluated with missing items absent and present.

    Attributes
    ----------
    points : ndarray
        Points of the items known to be present.
    low, high : ndarray of bool
        Classified with every missing item taken as absent (``low``) and as
        present (``high``).  For criteria monotone in their items the
        outcome is known where the two agree.
    domains : mapping of str to ndarray
        Points that counted per domain (items known present).
    entry : (ndarray of bool, ndarray of bool), optional
        The entry criterion: (met, known).
    """

    points: NDArray[Any]
    low: NDArray[np.bool_]
    high: NDArray[np.bool_]
    domains: Mapping[str, NDArray[Any]]
    entry: tuple[NDArray[np.bool_], NDArray[np.bool_]] | None = None


def tristate_codes(
    met: NDArray[np.bool_],
    known: NDArray[np.bool_],
    m: int,
    out: NDArray[np.int8] | None = None,
) -> NDArray[np.int8]:
    """Met / not met / unknown codes of *m* rows: 1 met, 0 not met, -1 unknown.

    *met* is read only where *known*; both broadcast to *m* rows.  Written
    into *out* (an ``int8`` array of *m* rows) when given.
    """
    unknown = np.logical_not(known)
    if out is None:
        out = np.empty(m, dtype=np.int8)
    np.subtract(np.logical_and(met, known), unknown, out=out, dtype=np.int8)
    return out


def classify(
    rule: Callable[[list[NDArray[Any]], int], Bounds],
    *args: Arg,
    name: str = "classified",
    entry: bool = False,
    rows: int = BLOCK,
) -> Classification:
    """Evaluate a criteria set block by block into a :class:`Classification`.

    Parameters
    ----------
    rule : callable
        ``rule(blocks, m)`` evaluates ``m`` rows: ``blocks`` are the
        validated arguments (1-d arrays of length ``m``, or length 1 for a
        scalar argument); it returns their :class:`Bounds`.
    *args : (name, value, Domain)
        The arguments, in the order the rule takes them.
    name : str
        Name of the ``classified`` Series for Series input.
    entry : bool
        Whether ``entry_met`` is reported (from ``Bounds.entry``).
    rows : int
        Rows per block: fewer for a rule with many float temporaries (see
        :data:`JUDGEMENT_BLOCK`).

    Returns
    -------
    Classification
        Shaped like the input: ``points`` and ``domains`` (int16 arrays on
        arrays), ``classified`` True/False/None (a met / not met / unknown
        :class:`~clinscores.CodedArray` on arrays, a ``"boolean"`` Series
        for Series input), and ``entry_met`` (the same) when asked for.

    Notes
    -----
    Rows are evaluated 65,536 at a time, so the criteria's intermediate
    masks stay in the cache and memory holds little more than the result.
    """
    prep = prepare(*args, lazy_words=True)
    n = prep.size
    points = np.empty(n, dtype=np.int16)
    codes = np.empty(n, dtype=np.int8)
    entry_codes = np.empty(n, dtype=np.int8)
    domains: dict[str, NDArray[np.int16]] = {}
    for part, blks in blocks(prep, rows):
        m = part.stop - part.start
        b = rule(blks, m)
        points[part] = b.points
        tristate_codes(b.low, b.low == b.high, m, codes[part])
        for key, value in b.domains.items():
            domains.setdefault(key, np.empty(n, dtype=np.int16))[part] = value
        if entry and b.entry is not None:
            tristate_codes(b.entry[0], b.entry[1], m, entry_codes[part])
    return Classification(
        points=prep.wrap(points, integer=True, name="points"),
        classified=prep.wrap_coded(codes, TRISTATE, name),
        domains={k: prep.wrap(v, integer=True, name=k) for k, v in domains.items()},
        entry_met=prep.wrap_coded(entry_codes, TRISTATE, "entry_met") if entry else None,
    )
