"""Score whole tables: pandas and Dask DataFrames.

:func:`score` adds the score and category columns of one or more
instruments (see :mod:`clinscores.registry`) to a DataFrame, reading each
parameter from a column of the same name or from the column that
``columns`` maps it to.  The index and the existing columns are kept; the
input frame is not modified.

pandas is imported only when this module is (``pip install clinscores[pandas]``);
Dask is never imported: a Dask DataFrame is recognised by its type and scored
partition by partition with ``map_partitions``.

Column values
-------------
Numbers may be given as numbers or as text that parses as a number (as read
from a CSV file).  Booleans (flags) may be ``True``/``False``, ``1``/``0`` or
the text ``true``/``false`` (any case).  Words accepted by a parameter (e.g.
``"high_positive"`` for ``rf``, ``"moderate"`` for an ESSDAI domain) may be
given in any case.  An empty cell (NaN, None, ``pd.NA``, blank text) is missing: the row's
score is NaN and its category unknown (rule 2).

Invalid values
--------------
``errors="raise"`` (default) raises :class:`RowError` (an
:class:`~clinscores.InputError`) for the first invalid row, naming the
instrument, the column, the row label and the value.  ``errors="coerce"``
scores every valid row and gives the invalid rows NaN (score), ``<NA>``
(points, classification) or ``None`` (category), and a message in an
``<instrument>_error`` column (``None`` on valid rows).

Invalid rows are located per column with vectorised domain checks; a rule
that involves several columns (e.g. creatinine given in two units that
disagree) is located by bisection, calling the instrument on halves of the
rows.

Examples
--------
>>> import pandas as pd
>>> from clinscores.frame import score
>>> df = pd.DataFrame(
...     {"TJC": [6, 0, 40], "SJC": [4, 0, 2], "ESR": [38, 5, 20], "PtGA": [55, 10, 30]},
...     index=["p1", "p2", "p3"],
... )
>>> cols = {"tjc28": "TJC", "sjc28": "SJC", "esr": "ESR", "ptga_mm": "PtGA"}
>>> out = score(df, "das28_esr", columns=cols, errors="coerce")
>>> out["das28_esr"].round(2).tolist()
[5.25, 1.27, nan]
>>> out["das28_esr_category"].tolist()  # an ordered categorical: NaN where unknown
['high', 'remission', nan]
>>> list(out["das28_esr_category"].cat.categories)
['remission', 'low', 'moderate', 'high']
>>> out.loc["p3", "das28_esr_error"]
"column 'TJC' (tjc28) = 40 is out of range; expected 0 to 28, whole number (integer joint count)"
"""

from __future__ import annotations

import contextlib
import re
from collections.abc import Mapping, Sequence
from typing import Any, Literal

import numpy as np
import pandas as pd
from numpy.typing import NDArray

from clinscores._coded import CodedArray
from clinscores._core import FLAG, Domain, InputError
from clinscores.registry import Instrument, get

__all__ = ["MissingColumnError", "RowError", "output_dtypes", "respond", "score", "visit_order"]

Errors = Literal["raise", "coerce"]
FloatArray = NDArray[np.float64]
BoolArray = NDArray[np.bool_]


class MissingColumnError(KeyError):
    """The table lacks a column that an instrument needs.

    Attributes
    ----------
    missing : list of (instrument, parameter, column)
    """

    def __init__(self, missing: list[tuple[str, str, str]]) -> None:
        self.missing = missing
        parts = [f"{col!r} (parameter {param} of {inst})" for inst, param, col in missing]
        super().__init__("missing column(s): " + ", ".join(parts))

    def __str__(self) -> str:
        return str(self.args[0])

    def __reduce__(self) -> tuple[Any, ...]:
        return (type(self), (self.missing,))


class RowError(InputError):
    """An invalid value in a table, located by row and column.

    Attributes
    ----------
    instrument : str
    row : object
        Label (index value) of the row.
    position : int
        0-based position of the row in the frame (or partition).
    column : str or None
        The column holding the value, when one column is to blame.
    detail : str
        The message without the instrument and row.
    """

    def __init__(
        self, instrument: str, row: object, position: int, column: str | None, detail: str
    ) -> None:
        if isinstance(row, np.generic):
            row = row.item()
        self.instrument = instrument
        self.row = row
        self.position = position
        self.column = column
        self.detail = detail
        super().__init__(f"{instrument}: row {row!r}: {detail}")

    def __reduce__(self) -> tuple[Any, ...]:  # picklable: Dask workers send it to the client
        return (type(self), (self.instrument, self.row, self.position, self.column, self.detail))


def output_dtypes(instrument: str, errors: Errors = "raise") -> dict[str, Any]:
    """Column name -> pandas dtype of the columns :func:`score` adds for *instrument*.

    Scores are ``float64``; points ``Int64``; classified / entry met / boolean
    categories ``boolean``; text categories an ordered ``category`` of the
    instrument's categories, lowest first (``"remission" < "low" <
    "moderate" < "high"``); error messages ``object``.  The judgement
    columns are built from their ``int8`` codes, never from Python objects.
    """
    inst = get(instrument)
    kinds: dict[str, Any] = {"float": np.dtype(np.float64), "int": "Int64", "bool": "boolean"}
    if inst.category_is_text:
        kinds["str"] = pd.CategoricalDtype(list(inst.category_values or ()), ordered=True)
    dtypes: dict[str, Any] = {c: kinds[k] for c, k in inst.output_kinds.items()}
    if errors == "coerce":
        dtypes[f"{inst.name}_error"] = object
    return dtypes


def score(
    data: Any,
    instruments: str | Sequence[str],
    columns: Mapping[str, str] | None = None,
    *,
    errors: Errors = "raise",
) -> Any:
    """Add score and category columns to a pandas or Dask DataFrame.

    Parameters
    ----------
    data : pandas.DataFrame or dask.dataframe.DataFrame
        One row per patient (or visit).  Not modified.
    instruments : str or sequence of str
        Registry names (``clinscores list`` or
        :func:`clinscores.registry.instruments`), e.g. ``"das28_esr"`` or
        ``["das28_esr", "cdai"]``.
    columns : mapping of str to str, optional
        Parameter name -> column name, for parameters whose column is not
        named like the parameter (e.g. ``{"tjc28": "TJC"}``).  One mapping
        serves every instrument.
    errors : {"raise", "coerce"}
        ``"raise"``: raise :class:`RowError` at the first invalid row.
        ``"coerce"``: invalid rows get missing results and a message in
        ``<instrument>_error``; the other rows are scored.

    Returns
    -------
    pandas.DataFrame or dask.dataframe.DataFrame
        The input columns and index, plus for each instrument the columns
        of :func:`output_dtypes` (an existing column of the same name is
        replaced).  A Dask input gives a lazy Dask DataFrame.

    Raises
    ------
    KeyError
        An unknown instrument.
    MissingColumnError
        A column that an instrument needs is absent.  Every parameter needs
        a column, including items whose omission the scoring function reads
        as absent: a column dropped by mistake must not score as absent.
        Alternatives (creatinine in mg/dL or umol/L) need one of them.
    RowError
        With ``errors="raise"``, the first invalid row (for Dask, when the
        result is computed).
    ValueError
        ``errors`` is neither ``"raise"`` nor ``"coerce"``, or ``columns``
        maps a name that is not a parameter of the instruments (a typo).
    """
    if errors not in ("raise", "coerce"):
        raise ValueError(f"errors = {errors!r}; expected 'raise' or 'coerce'")
    if not (_is_dask(data) or isinstance(data, pd.DataFrame)):
        raise TypeError(f"data is a {type(data).__name__}; expected a pandas or Dask DataFrame")
    names = [instruments] if isinstance(instruments, str) else list(instruments)
    insts = [get(n) for n in names]
    mapping = dict(columns or {})
    known = {p.name for inst in insts for p in inst.parameters}
    unknown = sorted(set(mapping) - known)
    if unknown:
        raise ValueError(
            f"columns maps {', '.join(map(repr, unknown))}, not a parameter of "
            + ", ".join(names)
            + f"; parameters: {', '.join(sorted(known))}"
        )
    present = list(data.columns)
    plans = [(inst, _resolve(inst, present, mapping)) for inst in insts]
    missing = [m for _, (_, miss) in plans for m in miss]
    if missing:
        raise MissingColumnError(missing)
    if _is_dask(data):
        meta = data._meta.copy()
        for inst in insts:
            for col, dtype in output_dtypes(inst.name, errors).items():
                meta[col] = pd.Series([], dtype=dtype, index=meta.index[:0])
        return data.map_partitions(
            _score_pandas, [(inst.name, cols) for inst, (cols, _) in plans], errors, meta=meta
        )
    return _score_pandas(data, [(inst.name, cols) for inst, (cols, _) in plans], errors)


def _is_dask(data: object) -> bool:
    return type(data).__module__.startswith("dask") and hasattr(data, "map_partitions")


def _resolve(
    inst: Instrument, present: list[Any], mapping: Mapping[str, str]
) -> tuple[dict[str, str], list[tuple[str, str, str]]]:
    """Parameter -> column for the columns present, and the missing ones."""
    found: dict[str, str] = {}
    missing: list[tuple[str, str, str]] = []
    for p in inst.parameters:
        col = mapping.get(p.name, p.name)
        if col in present:
            found[p.name] = col
        elif p.required:
            missing.append((inst.name, p.name, col))
    if inst.one_of and not any(name in found for name in inst.one_of):
        cols = " or ".join(repr(mapping.get(n, n)) for n in inst.one_of)
        missing.append((inst.name, " or ".join(inst.one_of), cols))
    return found, missing


def _score_pandas(
    df: pd.DataFrame, plans: list[tuple[str, dict[str, str]]], errors: Errors
) -> pd.DataFrame:
    new: dict[str, pd.Series] = {}
    for name, cols in plans:
        new.update(_score_instrument(df, get(name), cols, errors))
    return df.assign(**new)


# --------------------------------------------------------------------------
# column conversion and vectorised location of invalid values
# --------------------------------------------------------------------------

_FLAG_WORDS: dict[str, float] = {"true": 1.0, "false": 0.0}
_is_bool = np.frompyfunc(lambda v: isinstance(v, (bool, np.bool_)), 1, 1)


def _convert(s: pd.Series, domain: Domain) -> tuple[FloatArray, NDArray[np.object_] | None]:
    """Column -> (float64 values, reason per row or None when every cell converted).

    Missing cells are NaN.  Cells that are not numbers (or allowed words,
    or booleans for flags) are NaN in the values and have a reason; the
    domain itself is checked by :meth:`Domain.outside`, only when needed.
    """
    n = len(s)
    kind = getattr(s.dtype, "kind", "O")
    if kind == "b":
        x = np.array(s.to_numpy(dtype=np.float64, na_value=np.nan))
        if domain.flag:
            return x, None
        bad = ~np.isnan(x)
        why = np.full(n, None, dtype=object)
        why[bad] = "a boolean, not a number"
        return x, why
    if kind in "iuf":
        x = np.array(s.to_numpy(dtype=np.float64, na_value=np.nan))
        if domain.words_only:  # e.g. RF: the level words only, never a number
            bad = ~np.isnan(x)
            if bad.any():
                why = np.full(n, None, dtype=object)
                why[bad] = f"not an allowed value; expected {domain.describe()}"
                return np.where(bad, np.nan, x), why
        return x, None
    x, bad_text, isbool = _convert_objects(s, domain)
    if not bad_text.any():
        return x, None
    why = np.full(n, None, dtype=object)
    what = "not an allowed value" if domain.words or domain.flag else "not a number"
    why[bad_text] = f"{what}; expected {domain.describe()}"
    why[isbool & bad_text] = "a boolean, not a number"
    return x, why


def _convert_objects(s: pd.Series, domain: Domain) -> tuple[FloatArray, BoolArray, BoolArray]:
    """Text / mixed column -> float64 values, mask of unusable cells, mask of booleans."""
    n = len(s)
    obj = s.to_numpy(dtype=object)
    na = np.asarray(s.isna().to_numpy(), dtype=bool)
    x = np.full(n, np.nan)
    done = na.copy()
    if isinstance(s.dtype, pd.StringDtype):  # text only, e.g. read from CSV
        isbool = np.zeros(n, dtype=bool)
    else:
        isbool = np.asarray(_is_bool(obj), dtype=bool) & ~na
    if isbool.any():
        if domain.flag:
            x[isbool] = obj[isbool].astype(np.float64)
        done |= isbool  # non-flag: left NaN, reported below
    words = {**(domain.words or {}), **(_FLAG_WORDS if domain.flag else {})}
    rest = ~done
    if not rest.any():
        return x, isbool if not domain.flag else np.zeros(n, dtype=bool), isbool
    text = pd.Series(obj[rest], dtype=object).astype(str).str.strip()
    if domain.words_only:  # numbers as text are refused too
        parsed = np.full(len(text), np.nan)
    else:
        parsed = np.array(
            pd.to_numeric(text, errors="coerce").to_numpy(dtype=np.float64, na_value=np.nan)
        )
    if words:
        lowered = text.str.lower()
        for word, number in words.items():
            hit = (lowered == word.lower()).to_numpy(dtype=bool)
            parsed[hit] = number
    x[rest] = parsed
    bad = np.zeros(n, dtype=bool)
    bad[rest] = np.isnan(parsed) & (text != "").to_numpy(dtype=bool)  # blank text is missing
    if not domain.flag:
        bad |= isbool
    return x, bad, isbool


def _shown(value: object) -> object:
    return value.item() if isinstance(value, np.generic) else value


def _score_instrument(
    df: pd.DataFrame, inst: Instrument, cols: dict[str, str], errors: Errors
) -> dict[str, pd.Series]:
    n = len(df)
    converted = []
    values: dict[str, FloatArray] = {}
    for p in inst.parameters:
        if p.name in cols:
            x, why = _convert(df[cols[p.name]], p.domain)
            values[p.name] = x
            converted.append((p, cols[p.name], x, why))
    everything = np.arange(n)
    message = np.full(n, None, dtype=object) if errors == "coerce" else None
    if all(why is None for *_, why in converted):
        # the common case: one call, no scan for invalid rows
        with contextlib.suppress(InputError):
            return _scatter(inst, inst.compute(values), everything, n, df.index, message)
    # locate the invalid rows, column by column, vectorised
    bad = np.zeros(n, dtype=bool)
    texts = np.full(n, None, dtype=object)
    culprit: dict[int, str] = {}
    for p, col, x, why in converted:
        fresh = p.domain.outside(x)
        if why is not None:
            unusable = np.asarray(why != None, dtype=bool)  # noqa: E711 (elementwise)
            fresh |= unusable
        fresh &= ~bad
        if not fresh.any():
            continue
        raw = df[col].to_numpy(dtype=object)
        outside = f"out of range; expected {p.domain.describe()}"
        for k in np.flatnonzero(fresh):  # only the invalid rows
            reason = why[k] if why is not None and why[k] is not None else outside
            texts[k] = f"column {col!r} ({p.name}) = {_shown(raw[k])!r} is {reason}"
            culprit[int(k)] = col
        bad |= fresh
    if errors == "raise":
        # the first invalid row: per column, or by a rule on several columns before it
        first = int(np.flatnonzero(bad)[0]) if bad.any() else n
        found = _failing(inst, values, everything[:first], first_only=True)
        if found:
            i, text = next(iter(found.items()))
            raise RowError(inst.name, df.index[i], i, None, text)
        if first < n:
            raise RowError(inst.name, df.index[first], first, culprit[first], str(texts[first]))
    good = np.flatnonzero(~bad)
    try:
        outputs = inst.compute(_take(values, good))
    except InputError:
        found = _failing(inst, values, good, first_only=False)
        for i, text in found.items():
            texts[i] = text
            bad[i] = True
        good = np.flatnonzero(~bad)
        outputs = inst.compute(_take(values, good))
    return _scatter(inst, outputs, good, n, df.index, texts if errors == "coerce" else None)


def _take(values: Mapping[str, FloatArray], rows: NDArray[np.intp]) -> dict[str, FloatArray]:
    return {k: v[rows] for k, v in values.items()}


_INDEX0 = re.compile(r"\b(\w+)\[0\]")


def _failing(
    inst: Instrument, values: Mapping[str, FloatArray], rows: NDArray[np.intp], *, first_only: bool
) -> dict[int, str]:
    """Rows (positions) on which the instrument raises, and its message, by bisection.

    The halves are tried left first, so with ``first_only`` the row found is
    the first failing one.
    """
    found: dict[int, str] = {}
    stack = [rows]
    while stack:
        part = stack.pop()
        if part.size == 0:
            continue
        try:
            inst.compute(_take(values, part))
        except InputError as exc:
            if part.size == 1:
                found[int(part[0])] = _INDEX0.sub(r"\1", str(exc))
                if first_only:
                    return found
            else:
                mid = part.size // 2
                stack.extend([part[mid:], part[:mid]])
    return found


def _scatter(
    inst: Instrument,
    outputs: Mapping[str, Any],
    good: NDArray[np.intp],
    n: int,
    index: pd.Index,
    message: NDArray[np.object_] | None,
) -> dict[str, pd.Series]:
    full = good.size == n
    result: dict[str, pd.Series] = {}
    for col, kind in inst.output_kinds.items():
        got = outputs[col]
        if kind == "float":
            arr: NDArray[Any] = got if full else np.full(n, np.nan)
            if not full:
                arr[good] = got
            result[col] = pd.Series(arr, index=index, dtype=np.float64)
        elif kind == "int":
            ints = pd.array(np.zeros(n, dtype=np.int64), dtype="Int64")
            if full:
                ints = pd.array(got, dtype="Int64")
            else:
                mask = np.ones(n, dtype=bool)
                mask[good] = False
                vals = np.zeros(n, dtype=np.int64)
                vals[good] = got
                ints = pd.arrays.IntegerArray(vals, mask)
            result[col] = pd.Series(ints, index=index)
        else:  # a judgement: from its int8 codes, in one pass (never Python objects)
            coded: CodedArray = got
            if not full:
                codes = np.full(n, -1, dtype=np.int8)
                codes[good] = coded.codes
                coded = CodedArray.from_codes(codes, coded.categories, ordered=coded.ordered)
            result[col] = coded.to_pandas(index, col)
    if message is not None:
        result[f"{inst.name}_error"] = pd.Series(message, index=index, dtype=object)
    return result


# --------------------------------------------------------------------------
# response criteria across visits
# --------------------------------------------------------------------------


def respond(
    visits: Any,
    criteria: str | Sequence[str],
    *,
    patient: str = "patient_id",
    date: str = "visit_date",
    baseline: str | None = None,
) -> Any:
    """Assess response and remission criteria at every visit against baseline.

    Parameters
    ----------
    visits : pandas.DataFrame or dask.dataframe.DataFrame
        Long table, one row per visit, in any order.  Not modified.  The
        columns each criterion reads are listed by
        :func:`clinscores.responses.criteria` (``clinscores respond --list``).
    criteria : str or sequence of str
        Names of :mod:`clinscores.responses` criteria, e.g. ``"sri4"``,
        ``["sri4", "lldas", "das28_esr_remission"]``.
    patient : str, default "patient_id"
        Column identifying the patient.
    date : str, default "visit_date"
        Column ordering a patient's visits: dates (ISO 8601 text or
        datetimes) or numbers (visit or week numbers).
    baseline : str, optional
        Column flagging baseline visits (True/False).  By default each
        patient's first visit is the baseline.  With a flag column, a visit
        is compared with the latest flagged visit of the patient on or before
        it; visits before any flagged one have no baseline (unknown results).

    Returns
    -------
    pandas.DataFrame or dask.dataframe.DataFrame
        The input, same index and row order, plus one column per criterion
        named after it: ``boolean`` dtype (``<NA>`` unknown) for yes/no
        criteria, an ordered ``Categorical`` (``none`` < ``moderate`` <
        ``good``; ``none`` < ``ACR20`` < ``ACR50`` < ``ACR70``; NaN unknown)
        for EULAR and ACR response, built from the criteria's codes.  A
        criterion of change from baseline (SRI, BICLA, EULAR and ACR
        response, ESSDAI and ESSPRI MCII, CRISS) is not assessed at the
        baseline visit itself: ``False`` or ``"none"`` there would read as
        "non-responder", so it is ``<NA>`` (an empty cell in ``clinscores
        respond``'s output).  A state at the visit (LLDAS, DORIS, DAS28 and
        CDAI/SDAI remission or low activity) is assessed at every visit; a
        criterion needing the previous visit (LLDAS) is unknown at a
        patient's first visit.

    Raises
    ------
    KeyError
        An unknown criterion.
    MissingColumnError
        A column that a criterion reads is absent.
    RowError
        An invalid value, naming the column and the row label; a visit
        without patient or date; two visits of one patient on one date.

    Notes
    -----
    Vectorised over the whole table: rows are sorted by patient and date
    once (``numpy.lexsort``), the position of each row's baseline is the
    running maximum (``numpy.maximum.accumulate``) of the positions of
    baseline rows, clipped at the patient's first row, and the previous
    visit is the row before within the same patient.  Each criterion is then
    one call of its vectorised function on gathered columns.  A Dask table
    is shuffled on the patient column so that each partition holds whole
    patients, then assessed partition by partition.
    """
    from clinscores.responses import get_criterion

    names = [criteria] if isinstance(criteria, str) else list(criteria)
    crits = [get_criterion(n) for n in names]
    present = set(visits.columns)
    needed = [patient, date, *([baseline] if baseline is not None else [])]
    missing = [("respond", c, c) for c in needed if c not in present]
    missing += [(c.name, col, col) for c in crits for col in c.columns if col not in present]
    if missing:
        raise MissingColumnError(missing)
    if _is_dask(visits):
        meta = visits._meta.copy()
        for c in crits:
            meta[c.name] = pd.Series([], dtype=_criterion_dtype(c), index=meta.index[:0])
        shuffled = visits.shuffle(on=patient)
        return shuffled.map_partitions(_respond_pandas, names, patient, date, baseline, meta=meta)
    if not isinstance(visits, pd.DataFrame):
        raise TypeError(f"visits is a {type(visits).__name__}; expected a pandas or Dask DataFrame")
    return _respond_pandas(visits, names, patient, date, baseline)


def visit_order(
    visits: pd.DataFrame, patient: str, date: str, baseline: str | None
) -> tuple[NDArray[np.intp], NDArray[np.intp], NDArray[np.intp]]:
    """Row order by patient and date, and per sorted row its baseline and previous row.

    Returns ``(order, base, prev)``: ``order`` sorts the rows; ``base`` and
    ``prev`` are positions in the sorted order (-1: none).
    """
    n = len(visits)
    codes, _ = pd.factorize(visits[patient], sort=False)
    if (codes < 0).any():
        i = int(np.flatnonzero(codes < 0)[0])
        raise RowError("respond", visits.index[i], i, patient, f"column {patient!r} is empty")
    when = _visit_dates(visits[date], visits.index, date)
    order = np.lexsort((when, codes))
    p, w = codes[order], when[order]
    first = np.empty(n, dtype=bool)
    first[:1] = True
    np.not_equal(p[1:], p[:-1], out=first[1:])
    same = ~first[1:] & (w[1:] == w[:-1])
    if same.any():
        i = int(order[int(np.flatnonzero(same)[0]) + 1])
        raise RowError(
            "respond",
            visits.index[i],
            i,
            date,
            f"two visits of patient {visits[patient].iloc[i]!r} on {visits[date].iloc[i]!r}",
        )
    pos = np.arange(n)
    start = np.maximum.accumulate(np.where(first, pos, 0))
    if baseline is None:
        base = start
    else:
        flag, why = _convert(visits[baseline], FLAG)
        bad = FLAG.outside(flag) | (why != None if why is not None else False)  # noqa: E711
        if np.any(bad):
            i = int(np.flatnonzero(bad)[0])
            shown = _shown(visits[baseline].iloc[i])
            raise RowError(
                "respond", visits.index[i], i, baseline, f"column {baseline!r} = {shown!r} "
                "is not True/False",
            )  # fmt: skip
        flagged = np.where(flag[order] == 1.0, pos, -1)
        latest = np.maximum.accumulate(flagged)
        base = np.where(latest >= start, latest, -1)
    prev = np.where(first, -1, pos - 1)
    return order, base, prev


def _visit_dates(s: pd.Series, index: pd.Index, name: str) -> FloatArray:
    """Visit dates or numbers as float64 for sorting; a missing one raises."""
    numeric = None
    if getattr(s.dtype, "kind", "O") in "iuf":
        numeric = np.array(s.to_numpy(dtype=np.float64, na_value=np.nan))
    elif getattr(s.dtype, "kind", "O") != "M":
        as_number = pd.to_numeric(s, errors="coerce")  # visit numbers read from text
        if not (as_number.isna() & s.notna()).any():
            numeric = np.array(as_number.to_numpy(dtype=np.float64, na_value=np.nan))
    if numeric is not None:
        when = numeric
    else:
        try:
            parsed = pd.to_datetime(s, errors="raise", format="mixed")
        except (ValueError, TypeError):
            parsed = pd.to_datetime(s, errors="coerce", format="mixed")
            bad = parsed.isna() & s.notna()
            i = int(np.flatnonzero(bad.to_numpy())[0])
            raise RowError(
                "respond", index[i], i, name, f"column {name!r} = {_shown(s.iloc[i])!r} "
                "is not a date",
            ) from None  # fmt: skip
        when = np.where(
            parsed.isna(),
            np.nan,
            parsed.to_numpy(dtype="datetime64[ns]").view(np.int64).astype(np.float64),
        )
    if np.isnan(when).any():
        i = int(np.flatnonzero(np.isnan(when))[0])
        raise RowError("respond", index[i], i, name, f"column {name!r} is empty")
    return when


def _respond_pandas(
    visits: pd.DataFrame,
    names: list[str],
    patient: str,
    date: str,
    baseline: str | None,
) -> pd.DataFrame:
    from clinscores.responses import COLUMNS, GRADE, Visits, get_criterion

    n = len(visits)
    crits = [get_criterion(name) for name in names]
    if n == 0:
        empty = {
            c.name: pd.Series([], dtype=_criterion_dtype(c), index=visits.index) for c in crits
        }
        return visits.assign(**empty)
    order, base, prev = visit_order(visits, patient, date, baseline)
    is_baseline = base == np.arange(n)  # a sorted row whose baseline is itself
    cache: dict[str, NDArray[Any]] = {}

    def column(col: str, crit: str) -> NDArray[Any]:
        if col not in cache:
            domain = COLUMNS[col]
            s = visits[col]
            if domain is GRADE:
                cache[col] = _grade_column(s, col, crit)[order]
            else:
                x, why = _convert(s, domain)
                bad = domain.outside(x)
                if why is not None:
                    bad |= np.asarray(why != None, dtype=bool)  # noqa: E711
                if bad.any():
                    i = int(np.flatnonzero(bad)[0])
                    reason = (
                        why[i]
                        if why is not None and why[i] is not None
                        else (f"out of range; expected {domain.describe()}")
                    )
                    raise RowError(
                        crit, visits.index[i], i, col,
                        f"column {col!r} = {_shown(s.iloc[i])!r} is {reason}",
                    )  # fmt: skip
                cache[col] = x[order]
        return cache[col]

    # the rows to gather at each visit (-1: none), made once for every column
    rows: dict[int, tuple[NDArray[np.intp], NDArray[np.bool_]]] = {}

    def gather(x: NDArray[Any], at: NDArray[np.intp]) -> NDArray[Any]:
        if id(at) not in rows:
            rows[id(at)] = (np.maximum(at, 0), at < 0)
        where, none = rows[id(at)]
        got = x[where]
        got[none] = -1 if x.dtype == np.int8 else np.nan  # grade codes: -1 unknown
        return got

    def view(arrays: dict[str, NDArray[Any]]) -> dict[str, Any]:
        return {k: _grades_of(v) if v.dtype == np.int8 else v for k, v in arrays.items()}

    new: dict[str, pd.Series] = {}
    baseline_visit = order[is_baseline]  # rows (in the input's order) that are a baseline
    for c in crits:
        visits_view = Visits(
            baseline=view({col: gather(column(col, c.name), base) for col in c.baseline}),
            current=view({col: column(col, c.name) for col in c.current}),
            previous=view({col: gather(column(col, c.name), prev) for col in c.previous}),
        )
        try:
            got = c.evaluate(visits_view)
        except InputError as exc:  # a rule of the criterion itself: locate the row
            raise _located(exc, c.name, visits, order) from None
        codes = np.empty(n, dtype=np.int8)  # the rows' codes, back in the input's order
        codes[order] = got.codes.reshape(-1)
        if c.baseline:  # a change from baseline is not assessed at the baseline visit
            codes[baseline_visit] = -1
        result = CodedArray.from_codes(codes, got.categories)
        new[c.name] = result.to_pandas(index=visits.index, name=c.name)
    return visits.assign(**new)


def _criterion_dtype(criterion: Any) -> Any:
    """The column dtype of a criterion: ``boolean``, or an ordered Categorical of its values."""
    if criterion.kind == "bool":
        return "boolean"
    return pd.CategoricalDtype(list(criterion.categories), ordered=True)


_LAST_INDEX = re.compile(r"\[(\d+)\](?!.*\[\d+\])")


def _located(
    exc: InputError, crit: str, visits: pd.DataFrame, order: NDArray[np.intp]
) -> Exception:
    """The criterion's error at sorted position i, as a RowError naming the visit's row."""
    text = str(exc)
    match = _LAST_INDEX.search(text)
    if match is None or int(match.group(1)) >= len(order):
        return exc
    i = int(order[int(match.group(1))])
    detail = text[: match.start()] + text[match.end() :]
    return RowError(crit, visits.index[i], i, None, detail)


def _grade_column(s: pd.Series, col: str, crit: str) -> NDArray[np.int8]:
    """A column of BILAG-2004 grades as int8 codes (E 0 .. A 4, -1 unknown).

    Vectorised: the column is factorized (hashing in C) and only its distinct
    values are validated, with the validator of
    :func:`clinscores.sle.bilag2004._grade_codes`.
    """
    from clinscores.sle.bilag2004 import _codes_of

    codes, uniques = pd.factorize(s, use_na_sentinel=True)
    values = [u.strip() if isinstance(u, str) else u for u in uniques]
    lut = np.empty(len(values) + 1, dtype=np.int8)
    lut[-1] = -1
    for k, v in enumerate(values):
        try:
            code = float(_codes_of(col, None if v == "" else v))  # type: ignore[arg-type]
        except InputError:
            i = int(np.flatnonzero(codes == k)[0])
            raise RowError(
                crit, s.index[i], i, col,
                f"column {col!r} = {_shown(s.iloc[i])!r} is not a BILAG-2004 grade "
                "('A'..'E', empty for unknown)",
            ) from None  # fmt: skip
        lut[k] = -1 if np.isnan(code) else 4 - int(code)  # A 0 .. E 4 -> E 0 .. A 4
    graded: NDArray[np.int8] = lut[codes]  # code -1 (missing) picks the last: -1
    return graded


def _grades_of(codes: NDArray[np.int8]) -> CodedArray:
    """int8 grade codes (E 0 .. A 4) as the CodedArray grades of bilag2004 (no copy)."""
    from clinscores.sle.bilag2004 import BILAG2004_GRADE_CATEGORIES

    return CodedArray.from_codes(codes, BILAG2004_GRADE_CATEGORIES)
