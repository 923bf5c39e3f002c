"""BILAG-2004 index: items, organ-system grades, numerical score, 1A-or-2B.

The British Isles Lupus Assessment Group 2004 index (BILAG-2004) records 97
items in nine organ systems and grades each system from ``"A"`` (most
active) to ``"E"`` (never involved) [1]_ [2]_.  This module pins the item
list to the form revision of 1 September 2009, and grades from the items:

* systems 1-7 (constitutional, mucocutaneous, neuropsychiatric,
  musculoskeletal, cardiorespiratory, gastrointestinal, ophthalmic) from the
  0..4 codes of their items (:data:`BILAG2004_ITEM_GROUPS`);
* system 8 (renal) from the measured values, their previous values and the
  yes/no items, by the six criteria of grade A and the criteria of grades B
  and C (:data:`BILAG2004_RENAL_CRITERIA`), as scored on the form of
  1 September 2009 (the renal scoring revised in 2010 could not be read);
* D (previously involved, now inactive) and E (never involved) from the
  patient's history, an explicit input.

**Haematological (system 9) is not graded from items**: no primary text of
its rules could be read or checked, so a haematological feature recorded
present needs the clinician's recorded grade (``recorded=``), and
:func:`bilag2004` raises :class:`~clinscores.InputError` without it.

Layout.  The item table (the data checked against the form and glossary)
is in :mod:`clinscores.sle._bilag2004_items`, the system rules on arrays in
:mod:`clinscores.sle._bilag2004_rules`; this module validates the
arguments, grades, explains the grades, and codes grades for the response
criteria.  Every public name is importable from here.

Provenance.  The definition is the scoring section of the BILAG-2004 index
glossary (Yee 2007, Supplementary Appendix B [2]_), of which no readable copy
could be found.  The rules were taken from the project's restatement of that
section and checked against an independent public implementation, the UK
JSLE Cohort Study's REDCap BILAG module [4]_ (renal criteria; expected grades
of its tests for systems 1-7).  Where that implementation marks its own
behaviour as legacy and departing from the written definition (creatinine
> 130 umol/l alone on a first visit; dipstick levels without a previous
value; the 49.99 thresholds), the written definition is followed.

References
----------
.. [1] Isenberg DA, Rahman A, Allen E, et al. BILAG 2004. Development and
   initial validation of an updated version of the British Isles Lupus
   Assessment Group's disease activity index for patients with systemic lupus
   erythematosus. Rheumatology (Oxford) 2005;44(7):902-906.
.. [2] Yee CS, Farewell V, Isenberg DA, et al. British Isles Lupus Assessment
   Group 2004 index is valid for assessment of disease activity in systemic
   lupus erythematosus. Arthritis Rheum 2007;56(12):4113-4119
   (PMC2659367); Supplementary Appendix B, "BILAG-2004 index glossary".
.. [3] Yee CS, Cresswell L, Farewell V, et al. Numerical scoring for the
   BILAG-2004 index. Rheumatology (Oxford) 2010;49(9):1665-1669
   (PMC2919194).
.. [4] UK JSLE Cohort Study, REDCap BILAG-2004 module, public repository
   dappelbe/JSLE-REDCap, commit b8f2844 (renal grading functions and their
   tests), read to corroborate the rules; no code taken.
"""

from __future__ import annotations

import functools
import math
import numbers
import sys
from collections.abc import Callable, Iterator, Mapping
from typing import Any, Final, Literal, TypeVar

import attrs
import numpy as np
from numpy.typing import NDArray

from clinscores._coded import TRISTATE, UNKNOWN, CodedArray
from clinscores._core import (
    FLAG,
    OMITTED,
    Domain,
    InputError,
    Prepared,
    _array_error,
    blocks,
    complete_items,
    compute,
    evaluate,
    is_missing,
    prepare,
)
from clinscores._display import Bilag2004Explanation, Bilag2004Grades
from clinscores.sle._bilag2004_items import (
    _VALUE_ITEMS,
    BILAG2004_GRADE_POINTS,
    BILAG2004_GRADES,
    BILAG2004_ITEM_GROUPS,
    BILAG2004_ITEMS,
    BILAG2004_PREVIOUS_ITEMS,
    BILAG2004_RENAL_CRITERIA,
    BILAG2004_SYSTEMS,
    Bilag2004Item,
)
from clinscores.sle._bilag2004_items import ACTIVITY_SCALE as ACTIVITY_SCALE
from clinscores.sle._bilag2004_rules import (
    _CONSTITUTIONAL_OTHERS,
    _GROUP_LEVEL,
    _HEMATOLOGICAL_FLAGS,
    _HEMATOLOGICAL_VALUES,
    _PYREXIA,
    _RENAL_PARTS,
    FloatArray,
    LevelArray,
    _Levels,
    _levels,
)

__all__ = [
    "BILAG2004_GRADES",
    "BILAG2004_GRADE_CATEGORIES",
    "BILAG2004_GRADE_POINTS",
    "BILAG2004_ITEMS",
    "BILAG2004_ITEM_GROUPS",
    "BILAG2004_PREVIOUS_ITEMS",
    "BILAG2004_RENAL_CRITERIA",
    "BILAG2004_SYSTEMS",
    "Bilag2004Grade",
    "Bilag2004Item",
    "bilag2004",
    "bilag2004_1a_or_2b",
    "bilag2004_explain",
    "bilag2004_numeric",
]

# Activity levels: 0 none (D or E), 1 C, 2 B, 3 A.  Grade codes: 0 E, 1 D,
# 2 C, 3 B, 4 A, -1 unknown (the codes of the CodedArray of grades).
_LEVEL_GRADES: Final = ("D or E", "C", "B", "A")
#: The grades, lowest first: the categories of a :class:`~clinscores.CodedArray` of grades.
BILAG2004_GRADE_CATEGORIES: Final = ("E", "D", "C", "B", "A")
_GRADE_TABLE: Final = np.array([*BILAG2004_GRADE_CATEGORIES, None], dtype=object)  # -1: None
_UNKNOWN: Final = UNKNOWN
_GRADE_DOMAIN: Final = Domain(
    0,
    4,
    "BILAG-2004 grade",
    words={"E": 0.0, "D": 1.0, "C": 2.0, "B": 3.0, "A": 4.0},
    words_only=True,
)

#: Rows graded at a time within each validated block (the rules' temporaries: ~150 bytes a row).
_SUB_BLOCK: Final = 1 << 13

_CODE_WORDS: Final = ("not present", "improving", "same", "worse", "new")


# --------------------------------------------------------------------------
# arguments
# --------------------------------------------------------------------------

#: Measured-value items, each confirmed (or not) as due to SLE activity.
_VALUE_LIST: Final = tuple(sorted(_VALUE_ITEMS))


def _item_number(key: object, where: str) -> int:
    if isinstance(key, (bool, np.timedelta64, np.datetime64)) or not isinstance(
        key, numbers.Integral
    ):
        raise InputError(
            f"{where} key {key!r} is not an item number; expected an int from 1 to 97 "
            "(the official BILAG-2004 item number)"
        )
    number = int(key)
    if number not in BILAG2004_ITEMS:
        raise InputError(f"{where}[{number}] is not a BILAG-2004 item; item numbers are 1..97")
    return number


def _mapping(name: str, mapping: object) -> Mapping[Any, object]:
    if mapping is None:
        return {}
    if not isinstance(mapping, Mapping):
        raise InputError(f"{name} = {mapping!r} is not a mapping")
    return mapping


def _numbered(name: str, mapping: object, allowed: tuple[int, ...], what: str) -> dict[int, object]:
    out: dict[int, object] = {}
    for key, value in _mapping(name, mapping).items():
        number = _item_number(key, name)
        if number not in allowed:
            raise InputError(
                f"{name}[{number}] is not {what}; expected one of "
                + ", ".join(str(n) for n in allowed)
            )
        out[number] = value
    return out


def _by_system(name: str, mapping: object) -> Mapping[str, object]:
    checked = _mapping(name, mapping)
    for key in checked:
        if isinstance(key, bool) or key not in BILAG2004_SYSTEMS:
            raise InputError(
                f"{name}[{key!r}] is not allowed; expected keys: " + ", ".join(BILAG2004_SYSTEMS)
            )
    return checked


def _absent(item: Bilag2004Item) -> object:
    """An item recorded absent: 0 "not present", ``False``, or a value not done (None)."""
    return 0 if item.scale == "0-4" else False if item.scale == "yes/no" else None


def _complete(function: str, given: dict[int, object], others: object) -> dict[int, object]:
    """Every item of the form: the value given, or what ``others=`` says (see rule 2)."""
    missing = [n for n in BILAG2004_ITEMS if n not in given]
    if not missing:
        return given
    if others is OMITTED:
        shown = ", ".join(str(n) for n in missing)
        raise TypeError(
            f"{function}() missing {len(missing)} item{'s' if len(missing) > 1 else ''}: "
            f"{shown}; give each (None if unknown, or a measured value not done), or "
            "others=None to record the rest as unknown (measured values: not done), or "
            "others=False as not present"
        )
    absent = complete_items(function, {}, ("items",), others)["items"] is False
    return {
        n: given[n] if n in given else (_absent(it) if absent else None)
        for n, it in BILAG2004_ITEMS.items()
    }


#: Recorded grades read as codes E 0 .. A 4 (-1 unknown) before preparation.
_RECORDED_CODES: Final = Domain(-1, 4, "BILAG-2004 grade code, E 0 .. A 4", integer=True)


def _recorded_arg(system: str, value: object) -> tuple[str, object, Domain]:
    """The argument of one recorded grade: compact codes where the grades are text arrays."""
    name = f"recorded[{system!r}]"
    codes = _grade_words_as_codes(name, value)
    if codes is None:
        return name, value, _GRADE_DOMAIN
    return name, codes, _RECORDED_CODES


def _grade_words_as_codes(name: str, value: object) -> object:
    """Grades as int8 codes E 0 .. A 4 (-1 unknown), without a Python object per row.

    For a :class:`~clinscores.CodedArray`, a numpy array of text, and a pandas
    Series or Categorical of text (or of categories); ``None`` for anything
    else (a scalar, a list, an object or numeric array: validated as before).
    A Series keeps its index (an int8 Series).
    """
    if isinstance(value, CodedArray):
        return _lookup_codes(name, value.codes, value.categories, value.shape)
    if isinstance(value, np.ndarray):
        if value.dtype.kind != "U" or value.size == 0:
            return None
        out = np.full(value.shape, UNKNOWN, dtype=np.int8)
        matched = np.zeros(value.shape, dtype=bool)
        for code, grade in enumerate(BILAG2004_GRADE_CATEGORIES):
            hit = value == grade
            out[hit] = code
            matched |= hit
        if not matched.all():
            i = int(np.flatnonzero(~matched.reshape(-1))[0])
            raise _array_error(name, value.shape, i, str(value.reshape(-1)[i]), _GRADE_DOMAIN)
        return out
    kind = getattr(getattr(value, "dtype", None), "kind", "")
    if not hasattr(value, "__array__") or kind in "biufcmM":
        return None
    pandas = sys.modules.get("pandas")
    if pandas is None or not isinstance(value, (pandas.Series, pandas.Categorical)):
        return None
    index = value.index if isinstance(value, pandas.Series) else None
    if isinstance(value.dtype, pandas.CategoricalDtype):
        cat = value.cat if index is not None else value
        codes, categories = np.asarray(cat.codes), list(cat.categories)
    else:
        codes, uniques = pandas.factorize(value, use_na_sentinel=True)
        categories = list(uniques)
    out = _lookup_codes(name, codes, categories, (len(value),))
    return out if index is None else pandas.Series(out, index=index, copy=False)


def _lookup_codes(
    name: str, codes: NDArray[Any], categories: Any, shape: tuple[int, ...]
) -> NDArray[np.int8]:
    """Codes into *categories* (-1 missing) as grade codes, each category checked once."""
    lut = np.full(len(categories) + 1, UNKNOWN, dtype=np.int8)  # the last: -1 stays unknown
    bad = np.zeros(len(categories) + 1, dtype=bool)
    for k, category in enumerate(categories):
        if is_missing(category):
            continue
        if isinstance(category, str) and category in BILAG2004_GRADE_CATEGORIES:
            lut[k] = BILAG2004_GRADE_CATEGORIES.index(category)
        else:
            bad[k] = True
    at = np.asarray(codes).reshape(-1)
    if bad.any():
        wrong = bad[at]
        if wrong.any():
            i = int(np.flatnonzero(wrong)[0])
            raise _array_error(name, shape, i, categories[int(at[i])], _GRADE_DOMAIN)
    out: NDArray[np.int8] = lut[at].reshape(shape)
    return out


def _prepare(
    function: str,
    items: object,
    previous: object,
    previously_active: object,
    due_to_sle: object,
    recorded: object,
    others: object,
) -> Prepared:
    """Validate the keys and coerce every input (in the fixed order of :func:`_split`)."""
    if not isinstance(items, Mapping):
        raise InputError(f"items = {items!r} is not a mapping of item number to value")
    given = _numbered("items", items, tuple(BILAG2004_ITEMS), "a BILAG-2004 item")
    given = _complete(function, given, others)
    before = _numbered("previous", previous, BILAG2004_PREVIOUS_ITEMS, "a previous-value item")
    due = _numbered("due_to_sle", due_to_sle, _VALUE_LIST, "a measured-value item")
    history = _by_system("previously_active", previously_active)
    grades = _by_system("recorded", recorded)
    return prepare(
        *(
            (f"items[{n}] ({it.name})", given.get(n), it.domain)
            for n, it in BILAG2004_ITEMS.items()
        ),
        *(
            (f"previous[{n}]", before.get(n), BILAG2004_ITEMS[n].domain)
            for n in BILAG2004_PREVIOUS_ITEMS
        ),
        *((f"due_to_sle[{n}]", due.get(n), FLAG) for n in _VALUE_LIST),
        *((f"previously_active[{s!r}]", history.get(s), FLAG) for s in BILAG2004_SYSTEMS),
        *(_recorded_arg(s, grades.get(s)) for s in BILAG2004_SYSTEMS),
    )


@attrs.frozen
class _Inputs:
    """One block of inputs, as float64 arrays keyed as the user keyed them."""

    items: dict[int, FloatArray]
    previous: dict[int, FloatArray]
    due: dict[int, FloatArray]
    history: dict[str, FloatArray]
    recorded: dict[str, FloatArray]


def _split(blks: list[NDArray[Any]]) -> _Inputs:
    it: Iterator[FloatArray] = iter(b.view(np.uint8) if b.dtype.kind == "b" else b for b in blks)
    items = {n: next(it) for n in BILAG2004_ITEMS}
    previous = {n: next(it) for n in BILAG2004_PREVIOUS_ITEMS}
    due = {n: next(it) for n in _VALUE_LIST}
    return _Inputs(
        items,
        previous,
        due,
        {s: next(it) for s in BILAG2004_SYSTEMS},
        {s: next(it) for s in BILAG2004_SYSTEMS},
    )


# --------------------------------------------------------------------------
# grades from levels
# --------------------------------------------------------------------------


def _level_range(low: int, high: int) -> str:
    if low == high:
        return _LEVEL_GRADES[low]
    return f"{_LEVEL_GRADES[low]} to {_LEVEL_GRADES[high]}"


def _where(prep: Prepared, row: int) -> str:
    return "" if prep.scalar else f" (row {row})"


def _system_codes(
    system: str,
    low: LevelArray,
    high: LevelArray,
    history: FloatArray,
    recorded: FloatArray,
    rows: slice,
    prep: Prepared,
    strict: bool,
) -> NDArray[np.int8]:
    """Grade codes of one system for one block (see the module's code table)."""
    m = rows.stop - rows.start
    inactive = np.where(history == 1.0, 1, np.where(history == 0.0, 0, _UNKNOWN))
    code = np.where(low == high, np.where(low > 0, low + 1, inactive), _UNKNOWN).astype(np.int8)
    history = np.broadcast_to(history, (m,))
    given = np.broadcast_to(recorded >= 0, (m,))  # float NaN or int8 code -1: unknown
    recorded = np.broadcast_to(recorded, (m,))
    if given.any():
        level = np.where(recorded >= 2, recorded - 1, 0)
        fits = (level >= low) & (level <= high)
        fits &= ~((level == 0) & (history == 1.0) & (recorded == 0))  # E, previously involved
        fits &= ~((level == 0) & (history == 0.0) & (recorded == 1))  # D, never involved
        bad = np.flatnonzero(given & ~fits)
        if bad.size:
            i = int(bad[0])
            shown = str(_GRADE_TABLE[int(recorded[i])])
            if low[i] <= level[i] <= high[i]:
                told = f"the history given (previously_active[{system!r}] = {bool(history[i])})"
            else:
                told = f"the grade from the items, {_level_range(int(low[i]), int(high[i]))}"
            raise InputError(
                f"recorded[{system!r}] = {shown!r} disagrees with {told}"
                f"{_where(prep, rows.start + i)}"
            )
        code = np.where(given, recorded, code).astype(np.int8)
    if strict and system == "hematological":
        ungraded = np.flatnonzero((low >= 1) & ~given)
        if ungraded.size:
            raise InputError(_ungraded_message(rows.start + int(ungraded[0]), prep))
    return code


def _ungraded_message(row: int, prep: Prepared) -> str:
    return (
        f"bilag2004 cannot grade hematological{_where(prep, row)}: a feature is recorded "
        "present, and no primary text of the BILAG-2004 haematological rules could be "
        "read or checked, so they are not implemented; pass the assessor's grade as "
        "recorded['hematological']"
    )


def _grade(
    function: str,
    items: object,
    previous: object,
    previously_active: object,
    due_to_sle: object,
    recorded: object,
    strict: bool,
    others: object,
) -> tuple[Prepared, dict[str, NDArray[np.int8]], _Levels | None, _Inputs | None]:
    prep = _prepare(function, items, previous, previously_active, due_to_sle, recorded, others)
    n = prep.size
    codes = {s: np.empty(n, dtype=np.int8) for s in BILAG2004_SYSTEMS}
    levels = inputs = None
    for block_rows, blks in blocks(prep):
        # graded in sub-blocks: the masks of 8,192 rows (~1 MB) stay in the cache
        for start in range(0, block_rows.stop - block_rows.start, _SUB_BLOCK):
            rows = slice(block_rows.start + start, min(block_rows.start + start + _SUB_BLOCK, n))
            m = rows.stop - rows.start
            inputs = _split([b[start : start + m] if b.size > 1 else b for b in blks])
            levels = _levels(inputs.items, inputs.previous, inputs.due, m)
            for s in BILAG2004_SYSTEMS:
                codes[s][rows] = _system_codes(
                    s,
                    levels.low[s],
                    levels.high[s],
                    inputs.history[s],
                    inputs.recorded[s],
                    rows,
                    prep,
                    strict,
                )
    return prep, codes, levels, inputs


# --------------------------------------------------------------------------
# public functions
# --------------------------------------------------------------------------

_PARAMETERS_DOC: Final = """
    items : mapping of int to value
        Recorded items keyed by official item number (1..97, form revision
        1 September 2009; see :data:`BILAG2004_ITEMS`).  Each value is a
        scalar, or an array (all arrays of one length, one form per row):

        * clinical items (1-77 and 95, TTP): ``0`` not present,
          ``1`` improving, ``2`` same, ``3`` worse, ``4`` new [0..4, integer];
        * yes/no items (80, 85, 88, 89, 96, 97): ``True``/``False``
          (``1``/``0`` accepted);
        * measured values, in the form's units: 78 systolic and 79 diastolic
          blood pressure [mmHg, > 0]; 81 urine dipstick protein [0..3:
          negative, +, ++, +++]; 82 urine albumin/creatinine ratio and
          83 urine protein/creatinine ratio [mg/mmol, >= 0]; 84 24-hour urine
          protein [g, >= 0]; 86 creatinine [umol/l, > 0]; 87 calculated GFR
          [ml/min/1.73 m2, >= 0]; 90 haemoglobin [g/dl, > 0 and <= 30];
          91 white cells, 92 neutrophils, 93 lymphocytes, 94 platelets
          [x10^9/l, >= 0].

        Every item must be a key: an item left out is never taken as "not
        present" or "not done" (a forgotten item could lower a grade); it
        raises ``TypeError`` naming every missing number, unless *others*
        says what the items not given are.  A clinical or yes/no item
        ``None``/NaN is unknown, never "not present".  A measured value
        ``None``/NaN was not done at this assessment: a renal criterion
        resting on it is not met.  Following the glossary, an item is
        recorded present only when due to SLE activity.
    previous : mapping of int to value, optional
        The previous assessment's values of items 78, 79 and 81-87 (same
        units).  An item absent here was not measured then (a first visit).
    previously_active : mapping of str to bool, optional
        Per system (keys as :data:`BILAG2004_SYSTEMS`), whether SLE ever
        involved it before; tells D from E in a system with no activity.
    due_to_sle : mapping of int to bool, optional
        The form's "due to SLE activity" confirmation of each measured value
        (keys 78, 79, 81-84, 86, 87, 90-94).  A value counts only when
        ``True``; not given is unknown.
    recorded : mapping of str to str, optional
        Grades recorded by the assessor (``"A"``..``"E"``, keys as
        :data:`BILAG2004_SYSTEMS`).  Used where the items leave the grade
        open (the haematological system with a feature present; D or E
        without history; an item not given); a recorded grade the items
        exclude is an error.
    others : bool or None, keyword-only
        What every item left out of *items* is: ``None`` unknown (a
        measured value: not done), the meaning the patient record gives an
        omitted item; ``False`` (or ``0``) recorded absent: a clinical item
        0 (not present), a yes/no item ``False``, a measured value not
        done.  A scalar only.  Not given: every one of the 97 items must be
        a key of *items*.
"""


_F = TypeVar("_F", bound=Callable[..., Any])


def _doc(function: _F) -> _F:
    function.__doc__ = (function.__doc__ or "").replace("    {parameters}\n", _PARAMETERS_DOC)
    return function


def _displayed(function: _F) -> _F:
    """One form's grades come back as :class:`Bilag2004Grades` (a dict shown as a table)."""

    @functools.wraps(function)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        grades = function(*args, **kwargs)
        if all(g is None or isinstance(g, str) for g in grades.values()):
            return Bilag2004Grades(grades)
        return grades

    return wrapper  # type: ignore[return-value]


@_displayed
@_doc
def bilag2004(
    items: Mapping[int, object],
    *,
    previous: Mapping[int, object] | None = None,
    previously_active: Mapping[str, object] | None = None,
    due_to_sle: Mapping[int, object] | None = None,
    recorded: Mapping[str, object] | None = None,
    others: object = OMITTED,
) -> dict[str, Any]:
    """BILAG-2004 grade of each organ system from the recorded form.

    Parameters
    ----------
    {parameters}

    Returns
    -------
    dict of str to str or None
        One grade per system, in the form's order: ``"A"`` .. ``"E"``, or
        ``None`` (unknown).  On arrays each grade is a
        :class:`~clinscores.CodedArray` of categories
        :data:`BILAG2004_GRADE_CATEGORIES` (``"E"`` lowest, ``"A"`` highest:
        ``grades >= "B"`` is B or A; one byte a row, unknown rows compare
        false); for pandas Series input, a Series of an ordered
        ``Categorical`` with ``<NA>`` for unknown rows.

    Raises
    ------
    TypeError
        For items left out of *items* without *others* (the message names
        every missing item number).
    InputError
        For an item number outside 1..97 (or outside the keys allowed in
        *previous* and *due_to_sle*), a system name that is not one of the
        nine, a value outside the item's scale, a boolean where a number is
        expected, a string, arrays of different lengths; a recorded grade
        the items exclude (naming both); and a haematological feature
        recorded present without a recorded haematological grade.

    Notes
    -----
    *Systems 1-7.*  The grade is the highest any item reaches, whatever
    their order.  Constitutional (items 1-4): A when pyrexia (item 1) and
    at least two of items 2-4 are recorded 2-4; B when pyrexia, or two of
    items 2-4, are recorded 2-4; C when any item is recorded 1-4.  Systems
    2-7 by :data:`BILAG2004_ITEM_GROUPS`.

    *Renal* (:data:`BILAG2004_RENAL_CRITERIA`).  A1 severe proteinuria not
    improved: 24-hour protein > 1 g or a protein/creatinine or
    albumin/creatinine ratio > 100 mg/mmol, not fallen by more than 25 %
    since the previous value (a fall of exactly 25 % is not an
    improvement; no previous value: not improved); the dipstick is the
    measure only when items 82-84 were all not done, and then a rise of at
    least 2 levels.  A2 accelerated hypertension (80).  A3 creatinine
    > 130 umol/l and >= 130 % of the previous value; or GFR < 80 and
    <= 67 % of the previous value; or GFR < 50 with the previous > 50 or not
    measured.  A4 active urinary sediment (88).  A5 active nephritis on
    histology within 3 months (89).  A6 nephrotic syndrome (85).  Grade A:
    at least two of A1-A6, one of them A1, A4 or A5.  Grade B: any of A1-A6;
    or B1, 24-hour protein >= 0.5 g or either ratio >= 50 mg/mmol, not
    fallen by more than 25 % (dipstick: risen by >= 1 level to >= ++); or
    B2, creatinine > 130 umol/l and >= 115 % of the previous value.  Grade
    C: C1, 24-hour protein > 0.25 g or either ratio > 25 mg/mmol (dipstick
    >= +); or C2, blood pressure > 140/90 mmHg having risen by >= 30
    systolic and >= 15 diastolic.  With no previous value a rise or fall
    cannot be shown, so A3 (but for GFR < 50), B2 and C2, and the dipstick
    rises, are not met.  Thresholds are compared with a tolerance of 1e-9 (far below any
    measurement's precision), so a value exactly on a boundary is decided
    as written, whatever the binary representation.
    These are the rules of the form of 1 September 2009; the renal scoring
    was revised in 2010 and that revision could not be read.

    *Haematological*: not graded from the items (see the module notes);
    no feature present gives D or E.

    *Unknown.*  Every rule is monotone in its items, so the grade is
    evaluated with each unknown taken at its least and at its most active;
    it is known when both agree (a system already at A stays A).  A system
    with no activity is D when previously involved and E when never
    involved [3]_; without that history it is unknown.

    References
    ----------
    .. [1] Isenberg DA et al. Rheumatology (Oxford) 2005;44(7):902-906.
    .. [2] Yee CS et al. Arthritis Rheum 2007;56(12):4113-4119, Supplementary
       Appendix B (BILAG-2004 index glossary): the definition.
    .. [3] Yee CS et al. Rheumatology (Oxford) 2010;49(9):1665-1669.
    .. [4] UK JSLE Cohort Study REDCap BILAG-2004 module (dappelbe/JSLE-REDCap,
       commit b8f2844): the implementation the rules were checked against.

    Examples
    --------
    >>> form = {1: 0, 2: 0, 3: 0, 4: 0, 41: 3, 42: 0, 43: 2}
    >>> g = bilag2004(form, previously_active={"constitutional": False}, others=None)
    >>> g["constitutional"], g["musculoskeletal"], g["renal"]  # A whatever 39, 40 are
    ('E', 'A', None)
    >>> g = bilag2004({39: 0, 40: 0, 41: [3, 1, 0], 42: 0, 43: [2, 0, 1]}, others=None)
    >>> g["musculoskeletal"]
    CodedArray(['A', 'B', 'C'], categories=('E', 'D', 'C', 'B', 'A'))
    >>> (g["musculoskeletal"] >= "B").tolist(), g["musculoskeletal"].tolist()
    ([True, True, False], ['A', 'B', 'C'])
    """
    prep, codes, _, _ = _grade(
        "bilag2004", items, previous, previously_active, due_to_sle, recorded, True, others
    )
    return {s: prep.wrap_coded(c, BILAG2004_GRADE_CATEGORIES, s) for s, c in codes.items()}


@attrs.frozen
class Bilag2004Grade:
    """One system's grade and what decided it.

    Attributes
    ----------
    grade : str or None
        ``"A"`` .. ``"E"``, or ``None`` when unknown.
    source : {"items", "history", "recorded", "unknown"}
        What decided the grade: the items (A, B, C), the history (D, E with no
        item present), the assessor's recorded grade, or nothing (unknown).
    reasons : tuple of str
        The items or renal criteria that decided the grade, or what is
        missing.
    """

    grade: str | None
    source: Literal["items", "history", "recorded", "unknown"]
    reasons: tuple[str, ...]

    def _repr_html_(self) -> str:
        """The grade and its reasons as HTML (notebook display)."""
        from clinscores._display import grade_html

        return grade_html(self)


def _item_text(n: int, code: float) -> str:
    return f"item {n} {BILAG2004_ITEMS[n].name}: {int(code)} ({_CODE_WORDS[int(code)]})"


def _missing_text(numbers_: list[int]) -> str:
    which = ", ".join(str(n) for n in numbers_)
    return f"item{'s' if len(numbers_) > 1 else ''} {which} not recorded"


def _clinical_reasons(system: str, v: Mapping[int, float], low: int) -> list[str]:
    """The present items that reach the system's level, and the missing ones."""
    if system == "constitutional":
        numbers_ = [_PYREXIA, *_CONSTITUTIONAL_OTHERS]
        reached = [n for n in numbers_ if not math.isnan(v[n]) and v[n] >= 1] if low else []
    else:
        numbers_ = [n for group in BILAG2004_ITEM_GROUPS[system] for n in group]
        reached = []
        for row, group in enumerate(BILAG2004_ITEM_GROUPS[system]):
            reached += [
                n
                for n in group
                if not math.isnan(v[n]) and low and _GROUP_LEVEL[row][int(v[n])] == low
            ]
    out = [_item_text(n, v[n]) for n in sorted(reached)]
    missing = [n for n in numbers_ if math.isnan(v[n])]
    if missing:
        out.append(_missing_text(missing))
    return out


def _renal_reasons(inputs: _Inputs, levels: _Levels, low: int, high: int) -> list[str]:
    """The criteria that decided the renal level, and those that could raise it."""
    cur = {n: float(x[0]) for n, x in inputs.items.items()}
    prev = {n: float(x[0]) for n, x in inputs.previous.items()}
    relevant = {3: "A", 2: "AB", 1: "C", 0: ""}[low]
    out = []
    for part, sure, maybe in zip(_RENAL_PARTS, levels.renal[0], levels.renal[1]):
        name = f"{part.criterion} {BILAG2004_RENAL_CRITERIA[part.criterion]}"
        if sure[0] and part.criterion[0] in relevant:
            out.append(f"{name}: {part.text(cur, prev)}")
        elif maybe[0] and not sure[0] and low < high:
            out.append(f"{name}: possible, as its due_to_sle or yes/no item is not given")
    return out


def _hematological_reasons(inputs: _Inputs) -> list[str]:
    v = {n: float(x[0]) for n, x in inputs.items.items()}
    due = {n: float(x[0]) for n, x in inputs.due.items()}
    present = [n for n in (95, *_HEMATOLOGICAL_FLAGS) if not math.isnan(v[n]) and v[n] >= 1]
    present += [n for n in _HEMATOLOGICAL_VALUES if not math.isnan(v[n]) and due[n] == 1.0]
    out = []
    if present:
        out.append(
            f"feature present (item{'s' if len(present) > 1 else ''} "
            f"{', '.join(str(n) for n in sorted(present))}); the haematological rules are "
            "not implemented"
        )
    missing = [n for n in (95, 96, 97, *_HEMATOLOGICAL_VALUES) if math.isnan(v[n])]
    unattributed = [n for n in _HEMATOLOGICAL_VALUES if not math.isnan(v[n]) and math.isnan(due[n])]
    if missing:
        out.append(_missing_text(missing))
    if unattributed:
        out.append("due_to_sle not given for items " + ", ".join(map(str, unattributed)))
    return out


@_doc
def bilag2004_explain(
    items: Mapping[int, object],
    *,
    previous: Mapping[int, object] | None = None,
    previously_active: Mapping[str, object] | None = None,
    due_to_sle: Mapping[int, object] | None = None,
    recorded: Mapping[str, object] | None = None,
    strict: bool = True,
    others: object = OMITTED,
) -> dict[str, Bilag2004Grade]:
    """BILAG-2004 grades of one form, each with what decided it.

    The same rules as :func:`bilag2004`, for one patient's form (scalar
    values only), with the items or renal criteria behind each grade.

    Parameters
    ----------
    {parameters}
    strict : bool
        With ``False``, a haematological feature present without a recorded
        grade gives an unknown grade with the reason, instead of an error.

    Returns
    -------
    dict of str to Bilag2004Grade
        Per system, in the form's order.

    Raises
    ------
    TypeError
        As :func:`bilag2004`, for items left out without *others*.
    InputError
        As :func:`bilag2004`; and for array values.

    References
    ----------
    .. [1] Yee CS et al. Arthritis Rheum 2007;56(12):4113-4119, Supplementary
       Appendix B (BILAG-2004 index glossary).

    Examples
    --------
    >>> form = {n: 0 for n in range(1, 78)}
    >>> form.update({5: 3, 6: 2, 80: False, 85: False, 88: True, 89: False, 83: 150})
    >>> out = bilag2004_explain(form, due_to_sle={83: True}, recorded={"hematological": "D"},
    ...                         previously_active={s: True for s in BILAG2004_SYSTEMS},
    ...                         others=None)  # the measured values not given: not done
    >>> out["renal"].grade, out["mucocutaneous"].grade
    ('A', 'A')
    >>> for reason in out["renal"].reasons:
    ...     print(reason)
    A1 severe proteinuria not improved: UPCR 150 mg/mmol > 100 (previous not measured)
    A4 active urinary sediment: item 88
    """
    prep, codes, levels, inputs = _grade(
        "bilag2004_explain",
        items,
        previous,
        previously_active,
        due_to_sle,
        recorded,
        strict,
        others,
    )
    if not prep.scalar:
        raise InputError("bilag2004_explain explains one form: give scalar values, not arrays")
    assert levels is not None and inputs is not None
    out: dict[str, Bilag2004Grade] = {}
    for s in BILAG2004_SYSTEMS:
        code = int(codes[s][0])
        low, high = int(levels.low[s][0]), int(levels.high[s][0])
        grade = _GRADE_TABLE[code]
        if s == "renal":
            reasons = _renal_reasons(inputs, levels, low, high)
        elif s == "hematological":
            reasons = _hematological_reasons(inputs)
        else:
            v = {n: float(x[0]) for n, x in inputs.items.items()}
            reasons = _clinical_reasons(s, v, low)
        history = float(inputs.history[s][0])
        decided = low == high and (low > 0 or not math.isnan(history))
        source: Literal["items", "history", "recorded", "unknown"]
        if decided:
            source = "items" if low > 0 else "history"
            if low == 0:
                reasons.append(
                    "no activity; " + ("previously" if history else "never") + " involved"
                )
        elif code != _UNKNOWN:
            source = "recorded"
            reasons.append(f"recorded {grade}; the items allow {_level_range(low, high)}")
        else:
            source = "unknown"
            if low == high == 0:
                reasons.append(f"no activity; previously_active[{s!r}] not given (D or E)")
            else:
                reasons.append(f"the items allow {_level_range(low, high)}")
        out[s] = Bilag2004Grade(grade, source, tuple(reasons))
    return Bilag2004Explanation(out)


def _grade_map(grades: object) -> dict[str, str | None]:
    """Validate recorded grades; absent systems and None/NaN are unknown."""
    if not isinstance(grades, Mapping):
        raise InputError(f"grades = {grades!r} is not a mapping of system to grade")
    out: dict[str, str | None] = dict.fromkeys(BILAG2004_SYSTEMS)
    for system, grade in grades.items():
        if system not in out:
            raise InputError(
                f"grades[{system!r}] is not a BILAG-2004 system; expected one of "
                + ", ".join(BILAG2004_SYSTEMS)
            )
        if is_missing(grade):  # None, NaN, pandas.NA
            continue
        if not isinstance(grade, str) or grade not in BILAG2004_GRADE_POINTS:
            raise InputError(
                f"grades[{system!r}] = {grade!r} is not a BILAG-2004 grade; "
                "expected 'A', 'B', 'C', 'D' or 'E' (None for unknown)"
            )
        out[system] = str(grade)
    return out


# --------------------------------------------------------------------------
# grades as arrays (used by the response criteria: sri, bicla)
# --------------------------------------------------------------------------

#: Numeric code of each grade for array arithmetic: A 0 (most active) .. E 4.
GRADE_CODES: Final[Mapping[str, float]] = {g: float(i) for i, g in enumerate(BILAG2004_GRADES)}


def _grade_codes(grades: object, name: str = "grades") -> dict[str, object]:
    """Validate grades given per system as scalars or arrays; codes A 0 .. E 4.

    The array form of :func:`_grade_map`: each value may be a grade, or an
    array-like (list, numpy array, pandas Series, pandas Categorical, a
    :class:`~clinscores.CodedArray` of grades as :func:`bilag2004` returns)
    of grades, ``None``/NaN meaning unknown.  A categorical is validated by its
    categories and decoded by lookup (fast for large tables).  Returns, for
    each of the nine systems, a float code (NaN unknown) for a scalar, or a
    float64 array (a Series keeping its index for Series input); a system
    absent from the mapping is unknown.

    Raises
    ------
    InputError
        For a key that is not a system, or a value that is not a grade,
        naming ``name[system]`` and, for arrays, the index.
    """
    if not isinstance(grades, Mapping):
        raise InputError(f"{name} = {grades!r} is not a mapping of system to grade")
    out: dict[str, object] = dict.fromkeys(BILAG2004_SYSTEMS, math.nan)
    for system, value in grades.items():
        if system not in out:
            raise InputError(
                f"{name}[{system!r}] is not a BILAG-2004 system; expected one of "
                + ", ".join(BILAG2004_SYSTEMS)
            )
        out[system] = _codes_of(f"{name}[{system!r}]", value)
    return out


def _codes_of(where: str, value: object) -> object:
    if isinstance(value, CodedArray):  # grades from bilag2004 on arrays: a lookup
        # float32: the codes 0..4 and NaN exactly, in half the memory of float64
        lut = [*(_codes_of(f"{where} category", c) for c in value.categories), np.nan]
        return np.array(lut, dtype=np.float32)[value.codes]  # code -1 (unknown) picks NaN
    if is_missing(value) or isinstance(value, (str, float)):
        try:
            graded = _grade_map({"renal": value})["renal"]
        except InputError:
            raise InputError(
                f"{where} = {value!r} is not a BILAG-2004 grade; "
                "expected 'A', 'B', 'C', 'D' or 'E' (None for unknown)"
            ) from None
        return math.nan if graded is None else GRADE_CODES[graded]
    series: Any = value  # a pandas Series has .isna and .index
    categorical = getattr(series, "cat", None)  # a categorical Series: .cat; a Categorical itself
    if categorical is not None or (hasattr(series, "categories") and hasattr(series, "codes")):
        return _categorical_codes(where, series, categorical or series)
    index = getattr(series, "index", None) if hasattr(series, "isna") else None
    if index is not None:
        missing = np.array(series.isna(), dtype=bool)
        flat = np.array(series.to_numpy(dtype=object), dtype=object).reshape(-1)
    else:
        flat = np.array(value, dtype=object, ndmin=1).reshape(-1)
        pandas = sys.modules.get("pandas")  # pandas.NA exists only once pandas is imported
        if pandas is not None:
            missing = np.asarray(pandas.isna(flat), dtype=bool)  # None, NaN, NA, in C
        else:
            # None, and NaN (the only value unequal to itself), elementwise
            missing = np.asarray(flat == None, dtype=bool) | np.asarray(flat != flat, dtype=bool)  # noqa: E711
    flat[missing] = None  # a copy: pandas.NA compares as NA, not False
    codes = np.full(flat.size, np.nan)
    matched = missing.copy()
    for grade, code in GRADE_CODES.items():
        hit = np.asarray(flat == grade, dtype=bool)
        codes[hit] = code
        matched |= hit
    if not matched.all():
        i = int(np.flatnonzero(~matched)[0])
        raise InputError(
            f"{where}[{i}] = {flat[i]!r} is not a BILAG-2004 grade; "
            "expected 'A', 'B', 'C', 'D' or 'E' (None for unknown)"
        )
    if index is not None:
        return type(series)(codes, index=index)
    return codes.reshape(np.shape(series))


def _categorical_codes(where: str, value: Any, cat: Any) -> object:
    """Codes of a pandas categorical of grades: its few categories validated, then a lookup."""
    categories = list(cat.categories)
    lut = np.array([*(_codes_of(f"{where} category", c) for c in categories), np.nan])
    codes = np.array(cat.codes, dtype=np.intp)  # -1 missing
    out = lut[np.where(codes < 0, len(categories), codes)]
    index = getattr(value, "index", None)
    if index is not None and hasattr(value, "cat"):
        return type(value)(out, index=index)
    return out


def _has_arrays(grades: object) -> bool:
    """Whether some grade of the mapping is an array (then the array path is taken)."""
    if not isinstance(grades, Mapping):
        return False
    return any(
        isinstance(v, (CodedArray, list, tuple))
        or (isinstance(v, np.ndarray) and v.ndim > 0)
        or (
            hasattr(v, "__array__")
            and hasattr(v, "__len__")
            and not isinstance(v, (str, np.ndarray))  # a pandas Series or Categorical
        )
        for v in grades.values()
    )


#: Points of the grade codes E 0 .. A 4 (the CodedArray codes), NaN unknown (code -1: the last).
_POINTS_OF_CODE: Final = np.array(
    [*(float(BILAG2004_GRADE_POINTS[g]) for g in BILAG2004_GRADE_CATEGORIES), np.nan]
)


def _grade_int8(where: str, value: object) -> object:
    """One system's grades as int8 codes E 0 .. A 4 (-1 unknown); a Series keeps its index.

    A CodedArray of the grade categories gives its own codes (no copy);
    text arrays, Series and Categoricals are looked up by their distinct
    values (:func:`_grade_words_as_codes`); anything else (a grade, a list)
    is validated as by :func:`_grade_codes`, naming ``where`` and the index.
    """
    if isinstance(value, CodedArray) and value.categories == BILAG2004_GRADE_CATEGORIES:
        return value.codes
    try:
        fast = _grade_words_as_codes(where, value)
    except InputError:
        fast = None  # reported below, in the words of the grade functions
    if fast is not None:
        return fast
    codes = _codes_of(where, value)  # A 0 .. E 4 floats, NaN unknown; raises on a bad grade
    if isinstance(codes, float):
        return np.asarray(UNKNOWN if math.isnan(codes) else 4 - int(codes), dtype=np.int8)
    flat = np.asarray(codes, dtype=np.float64)
    out = np.where(np.isnan(flat), UNKNOWN, 4 - np.nan_to_num(flat)).astype(np.int8)
    index = getattr(codes, "index", None)
    if index is not None:
        return type(codes)(out, index=index)  # type: ignore[call-arg]
    return out


def _code_args(grades: object) -> list[tuple[str, object, Domain]]:
    """The nine systems' grades as int8 code arguments (unknown for an absent system)."""
    if not isinstance(grades, Mapping):
        raise InputError(f"grades = {grades!r} is not a mapping of system to grade")
    for system in grades:
        if system not in BILAG2004_SYSTEMS:
            raise InputError(
                f"grades[{system!r}] is not a BILAG-2004 system; expected one of "
                + ", ".join(BILAG2004_SYSTEMS)
            )
    return [
        (f"grades[{s!r}]", _grade_int8(f"grades[{s!r}]", grades.get(s)), _RECORDED_CODES)
        for s in BILAG2004_SYSTEMS
    ]


def _numeric_kernel(out: NDArray[np.float64], *codes: NDArray[np.int8]) -> None:
    out[...] = 0.0
    for c in codes:
        out += _POINTS_OF_CODE[c]  # code -1 (unknown) picks NaN


def _one_a_or_two_b_kernel(out: NDArray[np.int8], *codes: NDArray[np.int8]) -> None:
    """Codes of the 1A-or-2B rule (1 met, 0 not met, -1 unknown) from grade codes E 0 .. A 4."""
    a = np.zeros(out.shape, dtype=bool)
    b = np.zeros(out.shape, dtype=np.int8)
    unknown = np.zeros(out.shape, dtype=bool)
    for c in codes:
        a |= c == 4
        b += c == 3
        unknown |= c < 0
    met = a | (b >= 2)
    out[...] = met
    out[~met & unknown] = UNKNOWN  # an unknown grade could be A


def bilag2004_numeric(grades: Mapping[str, Any]) -> Any:
    """BILAG-2004 global numerical score: grades valued and summed.

    Parameters
    ----------
    grades : mapping of str to str or array_like
        Grade ``"A"``..``"E"`` of each system (keys as
        :data:`BILAG2004_SYSTEMS`).  A system absent from the mapping, or
        ``None``/NaN, is unknown.  Values may be arrays of grades, one per
        row (the :class:`~clinscores.CodedArray` grades of
        :func:`bilag2004`, lists, pandas Series or Categoricals).

    Returns
    -------
    int, float, or ndarray of float
        The score [0..108] as an ``int``; ``nan`` when any system's grade is
        unknown (missing is not zero).  On arrays a float64 array (a Series
        for Series input), NaN where unknown.

    Raises
    ------
    InputError
        For a key that is not one of the nine systems, or a grade other than
        ``"A"``..``"E"``.

    Notes
    -----
    .. math:: S = \\sum_{s=1}^{9} v(g_s), \\quad v(A)=12,\\ v(B)=8,\\
              v(C)=1,\\ v(D)=v(E)=0

    The values come from logistic regression of an increase in therapy on
    the nine system grades [1]_.

    References
    ----------
    .. [1] Yee CS, Cresswell L, Farewell V, et al. Numerical scoring for the
       BILAG-2004 index. Rheumatology (Oxford) 2010;49(9):1665-1669.

    Examples
    --------
    >>> bilag2004_numeric({"constitutional": "A", "mucocutaneous": "B", "neuropsychiatric": "B",
    ...                    "musculoskeletal": "C", "cardiorespiratory": "D",
    ...                    "gastrointestinal": "E", "ophthalmic": "E", "renal": "E",
    ...                    "hematological": "E"})
    29
    """
    if _has_arrays(grades):
        return evaluate(
            _numeric_kernel, *_code_args(grades), integer=True, name="bilag2004_numeric"
        )
    known = _grade_map(grades)
    if any(g is None for g in known.values()):
        return math.nan
    return sum(BILAG2004_GRADE_POINTS[g] for g in known.values() if g is not None)


def bilag2004_1a_or_2b(grades: Mapping[str, Any]) -> Any:
    """At least one grade A or at least two grades B among the nine systems.

    Parameters
    ----------
    grades : mapping of str to str or array_like
        Grade ``"A"``..``"E"`` of each system (keys as
        :data:`BILAG2004_SYSTEMS`); absent or ``None``/NaN means unknown.
        Values may be arrays of grades, one per row (the
        :class:`~clinscores.CodedArray` grades of :func:`bilag2004`, lists,
        pandas Series or Categoricals).

    Returns
    -------
    bool, None, or CodedArray
        ``True`` when at least one system is A or at least two are B;
        ``False`` when that is excluded; ``None`` when unknown grades could
        change the answer (any unknown system could be A).  On arrays a
        met / not met / unknown :class:`~clinscores.CodedArray` (a
        ``boolean`` Series with ``<NA>`` for Series input).

    Raises
    ------
    InputError
        For a key that is not one of the nine systems, or a grade other than
        ``"A"``..``"E"``.

    Notes
    -----
    The "1 A or 2 B" activity threshold as worded in the inclusion criteria
    of trial NCT07052565 ("at least 1 Grade A or 2 Grade B organ scores").

    References
    ----------
    .. [1] ClinicalTrials.gov NCT07052565, inclusion criterion on systemic
       lupus erythematosus.
    .. [2] Yee CS et al. Arthritis Rheum 2007;56(12):4113-4119 (grades).

    Examples
    --------
    >>> bilag2004_1a_or_2b({"renal": "B", "hematological": "B", "constitutional": "E",
    ...     "mucocutaneous": "E", "neuropsychiatric": "E", "musculoskeletal": "E",
    ...     "cardiorespiratory": "E", "gastrointestinal": "E", "ophthalmic": "E"})
    True
    """
    if _has_arrays(grades):
        out, prep = compute(_one_a_or_two_b_kernel, *_code_args(grades), dtype=np.int8)
        return prep.wrap_coded(out, TRISTATE, "bilag2004_1a_or_2b")
    known = _grade_map(grades)
    values = list(known.values())
    if values.count("A") >= 1 or values.count("B") >= 2:
        return True
    if values.count(None):
        return None
    return False
