"""Compact array results of judgements: met / not met / unknown, grades, categories.

On arrays, every function of the package that returns a judgement (a
criterion met or not, a BILAG-2004 grade, an activity or response category)
returns a :class:`CodedArray`: one ``int8`` code per row (``-1`` unknown,
else the index of the row's category) and the tuple of categories, the way
a pandas ``Categorical`` stores its values.  No Python object is made per
row, so a cohort of 10^7 visits costs 10 MB per result, not 80 MB of
pointers to ``True``, ``"A"`` or ``Activity.HIGH``.

One patient (scalar input) still gets plain Python values (``True``,
``"A"``, ``Activity.HIGH``, ``None`` when unknown); a pandas Series in gives
a Series out, of the nullable dtype that fits (``"boolean"``, or an ordered
``Categorical``).

The type keeps natural numpy use:

* ``result == "A"``, ``met == True``, ``activity >= "moderate"`` give boolean
  arrays; an unknown row satisfies no comparison (``==``, ``!=``, ``<``...),
  so a missing value can never be counted as met or as a category;
  ``result == None`` gives the unknown rows.  Comparing with a value that is
  not a category (``grades == "F"``) raises, since it is always a mistake;
* ``known`` / ``unknown`` masks, ``len``, indexing (a row gives its Python
  value), slicing and boolean masks (a smaller :class:`CodedArray`);
* ``&``, ``|``, ``~`` of met / not met / unknown follow three-valued
  (Kleene) logic: ``unknown & False`` is ``False``, ``unknown | True`` is
  ``True``, otherwise unknown stays unknown;
* ``numpy.asarray(result)`` gives an object array of the values (``None``
  unknown); a met / not met / unknown result also converts to ``float``
  (1.0, 0.0, NaN), and to ``bool`` only when no row is unknown;
* :meth:`CodedArray.to_pandas` converts in one pass to a pandas ``boolean``
  Series or an ordered ``Categorical`` Series, with ``<NA>`` where unknown.
"""

from __future__ import annotations

import enum
import math
from collections.abc import Iterator, Sequence
from typing import Any, Final

import numpy as np
from numpy.typing import DTypeLike, NDArray

__all__ = ["TRISTATE", "UNKNOWN", "CodedArray"]

#: The code of an unknown row.
UNKNOWN: Final = -1
#: The categories of a met / not met / unknown result (codes 0 and 1).
TRISTATE: Final = (False, True)

Codes = NDArray[np.int8]

# three-valued logic on codes (-1 unknown, 0 False, 1 True), indexed by code + 1
_RANK: Final = np.array([1, 0, 2], dtype=np.int8)  # Kleene order: False < unknown < True
_OF_RANK: Final = np.array([0, -1, 1], dtype=np.int8)
_NOT: Final = np.array([-1, 1, 0], dtype=np.int8)
_SHOWN: Final = 10  # rows shown at each end of a long repr


def _key(value: object) -> object:
    """A category as it is looked up: an enum member by its value (``Activity.HIGH`` is "high")."""
    return value.value if isinstance(value, enum.Enum) else value


class CodedArray:
    """An array of judgements: one ``int8`` code per row and the categories.

    Parameters
    ----------
    codes : array_like of int
        Per row, the index of its category in *categories*, or ``-1`` when
        unknown.
    categories : sequence
        The values a row can take, in order (lowest first when *ordered*):
        ``(False, True)`` for met / not met / unknown, ``("E", "D", "C",
        "B", "A")`` for BILAG-2004 grades, ``Activity`` members for activity
        categories.
    ordered : bool
        Whether ``<``, ``<=``, ``>``, ``>=`` compare by category order.

    Examples
    --------
    >>> from clinscores import CodedArray
    >>> met = CodedArray([1, -1, 0], (False, True))
    >>> met
    CodedArray([True, None, False], categories=(False, True))
    >>> met == True, met.known
    (array([ True, False, False]), array([ True, False,  True]))
    >>> met[0], met[1], len(met), met.nbytes
    (True, None, 3, 3)
    >>> (met | True).tolist(), (met & False).tolist(), (~met).tolist()
    ([True, True, True], [False, False, False], [False, None, True])
    >>> grade = CodedArray([4, 3, -1], ("E", "D", "C", "B", "A"))
    >>> grade == "A", grade >= "B"
    (array([ True, False, False]), array([ True,  True, False]))
    """

    __array_ufunc__ = None  # numpy defers to these operators: ndarray == coded calls __eq__
    __hash__ = None  # type: ignore[assignment]  # mutable-looking, compared elementwise

    def __init__(self, codes: Any, categories: Sequence[Any], *, ordered: bool = True) -> None:
        arr = np.asarray(codes)
        if arr.dtype.kind not in "iu" and arr.size:
            raise TypeError(f"codes must be integers, not {arr.dtype}")
        cats = tuple(categories)
        if len(cats) > 127:
            raise ValueError(f"at most 127 categories, not {len(cats)}")
        if arr.size and (int(arr.min()) < UNKNOWN or int(arr.max()) >= len(cats)):
            raise ValueError(f"codes must lie in -1..{len(cats) - 1}")
        self._init(arr.astype(np.int8, copy=True), cats, ordered)

    def _init(self, codes: Codes, categories: tuple[Any, ...], ordered: bool) -> None:
        codes.flags.writeable = False
        self._codes = codes
        self._categories = categories
        self._ordered = ordered
        self._lookup: dict[object, int] | None = None

    @classmethod
    def from_codes(
        cls, codes: Codes, categories: tuple[Any, ...], *, ordered: bool = True
    ) -> CodedArray:
        """Wrap *codes* (``int8``, already in ``-1..len(categories) - 1``) without a copy.

        The array is taken over (made read-only): the caller must not keep
        writing to it.  The package's kernels build their results with this.
        """
        out = cls.__new__(cls)
        out._init(codes, categories, ordered)
        return out

    # ------------------------------------------------------------------
    # what it holds

    @property
    def codes(self) -> Codes:
        """The codes, read-only: ``-1`` unknown, else the index into :attr:`categories`."""
        return self._codes

    @property
    def categories(self) -> tuple[Any, ...]:
        return self._categories

    @property
    def ordered(self) -> bool:
        return self._ordered

    @property
    def shape(self) -> tuple[int, ...]:
        return tuple(self._codes.shape)

    @property
    def ndim(self) -> int:
        return int(self._codes.ndim)

    @property
    def size(self) -> int:
        return int(self._codes.size)

    @property
    def nbytes(self) -> int:
        """Bytes held by the codes: one a row."""
        return int(self._codes.nbytes)

    @property
    def known(self) -> NDArray[np.bool_]:
        """Where the row is known."""
        return self._codes >= 0

    @property
    def unknown(self) -> NDArray[np.bool_]:
        """Where the row is unknown."""
        return self._codes < 0

    @property
    def is_tristate(self) -> bool:
        """Whether the categories are ``(False, True)``: met / not met / unknown."""
        return self._categories == TRISTATE and all(type(c) is bool for c in self._categories)

    def __len__(self) -> int:
        if self._codes.ndim == 0:
            raise TypeError("len() of a 0-d CodedArray")
        return int(self._codes.shape[0])

    def _value(self, code: int) -> Any:
        return None if code < 0 else self._categories[code]

    def __getitem__(self, key: Any) -> Any:
        if isinstance(key, CodedArray):
            raise TypeError("index with a boolean array (e.g. result == True), not a CodedArray")
        picked = self._codes[key]
        if isinstance(picked, np.ndarray) and picked.ndim > 0:
            return CodedArray.from_codes(picked, self._categories, ordered=self._ordered)
        return self._value(int(picked))

    def __iter__(self) -> Iterator[Any]:
        if self._codes.ndim == 0:
            raise TypeError("iteration over a 0-d CodedArray")
        if self._codes.ndim > 1:
            for i in range(len(self)):
                yield self[i]
            return
        table = (*self._categories, None)  # code -1 picks None
        for code in self._codes.tolist():
            yield table[code]

    def tolist(self) -> Any:
        """The values as (nested) Python lists, ``None`` where unknown."""
        if self._codes.ndim == 0:
            return self._value(int(self._codes))
        return self.astype(object).tolist()

    def __bool__(self) -> bool:
        raise ValueError(
            "the truth value of a CodedArray is ambiguous; use (result == True).any(), "
            ".all(), or .known"
        )

    def __repr__(self) -> str:
        cats = repr(tuple(_key(c) for c in self._categories))
        if self._codes.ndim != 1:
            return f"CodedArray({self.tolist()!r}, categories={cats})"

        def shown(codes: Codes) -> str:
            return ", ".join(repr(_key(self._value(c))) for c in codes.tolist())

        if self._codes.size <= 2 * _SHOWN:
            rows = shown(self._codes)
        else:
            rows = f"{shown(self._codes[:_SHOWN])}, ..., {shown(self._codes[-_SHOWN:])}"
        return f"CodedArray([{rows}], categories={cats})"

    # ------------------------------------------------------------------
    # comparisons: an unknown row satisfies none

    def _index(self, value: object) -> int:
        if self._lookup is None:
            self._lookup = {_key(c): i for i, c in enumerate(self._categories)}
        try:
            return self._lookup[_key(value)]
        except (KeyError, TypeError):
            shown = ", ".join(repr(_key(c)) for c in self._categories)
            raise ValueError(f"{value!r} is not one of the categories {shown}") from None

    @staticmethod
    def _is_scalar(other: object) -> bool:
        return not isinstance(other, CodedArray) and np.ndim(other) == 0  # type: ignore[arg-type]

    def _other_codes(self, other: object) -> Codes:
        """Codes of another array of values (or of a CodedArray of the same categories)."""
        if isinstance(other, CodedArray):
            if other._categories == self._categories:
                return other._codes
            values: NDArray[Any] = other.astype(object)
        else:
            values = np.asarray(other, dtype=object)
        out = np.full(values.shape, UNKNOWN, dtype=np.int8)
        matched = np.zeros(values.shape, dtype=bool)
        for i, category in enumerate(self._categories):
            hit = np.asarray(values == _key(category), dtype=bool) & ~matched
            out[hit] = i
            matched |= hit
        if not matched.all():
            for v in values[~matched].tolist():
                if v is not None and not (isinstance(v, float) and math.isnan(v)):
                    self._index(v)  # raises, naming the value
        return out

    def __eq__(self, other: object) -> Any:
        if self._is_scalar(other):
            if other is None:
                return self.unknown
            return self._codes == self._index(other)
        theirs = self._other_codes(other)
        return (self._codes == theirs) & (theirs >= 0)

    def __ne__(self, other: object) -> Any:
        if self._is_scalar(other):
            if other is None:
                return self.known
            return (self._codes != self._index(other)) & self.known
        theirs = self._other_codes(other)
        return (self._codes != theirs) & self.known & (theirs >= 0)

    def _ordered_index(self, other: object) -> int:
        if not self._ordered:
            raise TypeError("the categories are not ordered")
        if not self._is_scalar(other) or other is None:
            raise TypeError("an ordered comparison takes one category value")
        return self._index(other)

    def __lt__(self, other: object) -> NDArray[np.bool_]:
        return self.known & (self._codes < self._ordered_index(other))

    def __le__(self, other: object) -> NDArray[np.bool_]:
        return self.known & (self._codes <= self._ordered_index(other))

    def __gt__(self, other: object) -> NDArray[np.bool_]:
        return self._codes > self._ordered_index(other)  # -1 is never greater

    def __ge__(self, other: object) -> NDArray[np.bool_]:
        return self._codes >= self._ordered_index(other)

    def equals(self, other: object) -> bool:
        """Whether *other* holds the same categories and the same codes (unknown included)."""
        return (
            isinstance(other, CodedArray)
            and other._categories == self._categories
            and other.shape == self.shape
            and bool(np.array_equal(other._codes, self._codes))
        )

    # ------------------------------------------------------------------
    # three-valued logic (met / not met / unknown only)

    def _logic_codes(self, other: object) -> Codes:
        if not self.is_tristate:
            raise TypeError("&, | and ~ need a met / not met / unknown result")
        if isinstance(other, CodedArray):
            if not other.is_tristate:
                raise TypeError("&, | and ~ need a met / not met / unknown result")
            return other._codes
        if isinstance(other, (bool, np.bool_)):
            return np.asarray(int(other), dtype=np.int8)
        arr = np.asarray(other)
        if arr.dtype != np.bool_:
            raise TypeError("&, | combine with another result, True/False or a bool array")
        return arr.astype(np.int8)

    def _combine(self, other: object, pick: Any) -> CodedArray:
        theirs = self._logic_codes(other)
        rank = pick(np.take(_RANK, self._codes + 1), np.take(_RANK, theirs + 1))
        return CodedArray.from_codes(np.take(_OF_RANK, rank), TRISTATE)

    def __and__(self, other: object) -> CodedArray:
        return self._combine(other, np.minimum)

    def __or__(self, other: object) -> CodedArray:
        return self._combine(other, np.maximum)

    __rand__ = __and__
    __ror__ = __or__

    def __invert__(self) -> CodedArray:
        self._logic_codes(False)
        return CodedArray.from_codes(np.take(_NOT, self._codes + 1), TRISTATE)

    # ------------------------------------------------------------------
    # conversions

    def __array__(self, dtype: DTypeLike | None = None, copy: bool | None = None) -> NDArray[Any]:
        want = np.dtype(object) if dtype is None else np.dtype(dtype)
        if want.kind == "O":
            table = np.array([*self._categories, None], dtype=object)
            return np.take(table, self._codes)  # code -1 picks the last: None
        if self.is_tristate and want.kind == "f":
            out = self._codes.astype(want)
            out[self._codes < 0] = np.nan
            return out
        if self.is_tristate and want.kind == "b":
            if (self._codes < 0).any():
                raise ValueError(
                    "cannot convert to bool: some rows are unknown "
                    "(use .filled(False), result == True, or .known)"
                )
            met: NDArray[np.bool_] = self._codes == 1
            return met
        raise TypeError(
            f"a CodedArray converts to object{' or float' if self.is_tristate else ''} "
            f"arrays, not {want}; use .astype(object), .codes or .to_pandas()"
        )

    def astype(self, dtype: DTypeLike | None) -> NDArray[Any]:
        """The values as a numpy array: ``object`` (``None`` unknown), or for met /
        not met / unknown ``float`` (NaN unknown) and ``bool`` (no unknown row)."""
        return self.__array__(dtype)

    def filled(self, value: Any) -> NDArray[Any]:
        """The values with *value* in place of unknown (``met.filled(False)``: a bool array)."""
        if self.is_tristate and isinstance(value, (bool, np.bool_)):
            return np.where(self._codes < 0, bool(value), self._codes == 1)
        out = self.astype(object)
        out[self._codes < 0] = value
        return out

    def to_pandas(self, index: Any = None, name: str | None = None) -> Any:
        """A pandas Series: ``"boolean"`` dtype for met / not met / unknown, else an
        ordered ``Categorical`` of the categories (as plain values); ``<NA>`` unknown."""
        import pandas as pd

        if self._codes.ndim != 1:
            raise ValueError("to_pandas() needs a 1-d CodedArray")
        if self.is_tristate:
            values: Any = pd.arrays.BooleanArray(self._codes == 1, self._codes < 0)
        else:
            values = pd.Categorical.from_codes(
                self._codes,
                categories=[_key(c) for c in self._categories],
                ordered=self._ordered,
                validate=False,
            )
        return pd.Series(values, index=index, name=name, copy=False)

    def reshape(self, *shape: Any) -> CodedArray:
        return CodedArray.from_codes(
            self._codes.reshape(*shape), self._categories, ordered=self._ordered
        )

    def ravel(self) -> CodedArray:
        return self.reshape(-1)

    def copy(self) -> CodedArray:
        return CodedArray.from_codes(self._codes.copy(), self._categories, ordered=self._ordered)

    @staticmethod
    def concatenate(parts: Sequence[CodedArray]) -> CodedArray:
        """One array of several of the same categories, in order."""
        if not parts:
            raise ValueError("nothing to concatenate")
        first = parts[0]
        for p in parts[1:]:
            if p._categories != first._categories:
                raise ValueError("cannot concatenate arrays of different categories")
        return CodedArray.from_codes(
            np.concatenate([p._codes for p in parts]), first._categories, ordered=first._ordered
        )

    def __reduce__(self) -> tuple[Any, ...]:
        return (_rebuild, (np.array(self._codes), self._categories, self._ordered))


def _rebuild(codes: Codes, categories: tuple[Any, ...], ordered: bool) -> CodedArray:
    return CodedArray.from_codes(codes, categories, ordered=ordered)
