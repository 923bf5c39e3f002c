"""Table of the vectorised instruments, for scoring whole tables of patients.

Each :class:`Instrument` names the scoring function, its parameters (with the
domain the function validates against and the unit text of the function's own
docstring), the column(s) it produces and, where the instrument has one, the
function that turns the score into a category.  :mod:`clinscores.frame` and
the ``clinscores`` command (:mod:`clinscores.cli`) are built on this table.

Scores give a score column named after the instrument (``das28_esr``) and a
category column (``das28_esr_category``, or ``esspri_pass``); classification
criteria give ``<name>_points``, ``<name>_classified`` and, where the criteria
have an entry criterion, ``<name>_entry_met``.

Every item of an instrument is a required column: a table without one is
refused, naming every missing column (:class:`clinscores.frame.MissingColumnError`),
just as the scoring functions refuse an omitted item (``TypeError``): an
omitted item is never taken as absent.  A column holding empty cells gives
unknown items for those rows.  Only alternatives (``one_of``, e.g. creatinine
in mg/dL or umol/L) are optional.

This module imports numpy and the instrument modules only (never pandas).

Examples
--------
>>> from clinscores.registry import get
>>> das = get("das28_esr")
>>> [p.name for p in das.parameters]
['tjc28', 'sjc28', 'esr', 'ptga_mm']
>>> das.output_columns
('das28_esr', 'das28_esr_category')
>>> cols = das.compute({"tjc28": [6], "sjc28": [4], "esr": [38], "ptga_mm": [55]})
>>> round(float(cols["das28_esr"][0]), 2), cols["das28_esr_category"][0]
(5.25, 'high')
"""

from __future__ import annotations

import enum
import functools
import importlib
import inspect
import re
from collections.abc import Callable, Mapping
from typing import Any, Literal

import attrs
import numpy as np
from numpy.typing import ArrayLike

from clinscores._coded import TRISTATE, CodedArray
from clinscores._core import FLAG, REPORT_DECIMALS, Classification, Domain

__all__ = [
    "Instrument",
    "Parameter",
    "describe",
    "get",
    "instruments",
    "parameter_texts",
    "references",
]

Kind = Literal["score", "classification"]


@attrs.frozen
class Parameter:
    """One input of an instrument.

    Attributes
    ----------
    name : str
        The keyword of the scoring function.
    domain : Domain
        The values the function accepts (used to locate invalid rows).
    text : str
        Unit and range as written in the function's docstring (the text in
        square brackets), or the domain's description when the docstring
        has none for this parameter.
    required : bool
        Whether a table must have a column for it (see :mod:`clinscores.frame`).
    """

    name: str
    domain: Domain
    text: str
    required: bool = True


@attrs.frozen
class Instrument:
    """A vectorised instrument and the columns it produces.

    Attributes
    ----------
    name : str
        Registry key, e.g. ``"das28_esr"``.
    function : callable
        The scoring (or classification) function, called with keyword
        arguments.
    parameters : tuple of Parameter
        Its inputs, in signature order.
    kind : {"score", "classification"}
        A number per row, or a :class:`~clinscores.Classification`.
    summary : str
        First line of the function's docstring.
    category : callable, optional
        Function of the score giving its category (``Activity`` or bool).
    category_column : str, optional
        Name of the category column.
    entry : bool
        Whether the classification has an entry criterion (``entry_met``).
    one_of : tuple of str
        Parameters of which at least one must have a column (alternative
        units, e.g. creatinine in mg/dL or umol/L).
    """

    name: str
    function: Callable[..., Any]
    parameters: tuple[Parameter, ...]
    kind: Kind
    summary: str
    category: Callable[[Any], Any] | None = None
    category_column: str | None = None
    entry: bool = False
    one_of: tuple[str, ...] = ()

    @property
    def output_columns(self) -> tuple[str, ...]:
        """Names of the columns :meth:`compute` returns, in order."""
        if self.kind == "score":
            if self.category_column is None:
                return (self.name,)
            return (self.name, self.category_column)
        cols = (f"{self.name}_points", f"{self.name}_classified")
        return (*cols, f"{self.name}_entry_met") if self.entry else cols

    @property
    def output_kinds(self) -> dict[str, str]:
        """Column name -> ``"float"``, ``"int"``, ``"bool"`` (True/False/None) or ``"str"``."""
        kinds: dict[str, str] = {}
        for col in self.output_columns:
            if col == self.name:
                kinds[col] = "float"
            elif col.endswith("_points"):
                kinds[col] = "int"
            elif col == self.category_column:
                kinds[col] = "str" if self.category_is_text else "bool"
            else:
                kinds[col] = "bool"
        return kinds

    @property
    def category_is_text(self) -> bool:
        """Whether the category is a text label (``Activity``) rather than a bool."""
        return self.category_column is not None and self.category_column.endswith("_category")

    @property
    def category_values(self) -> tuple[Any, ...] | None:
        """The categories of the category column, lowest first (plain values), or None.

        ``("remission", "low", "moderate", "high")`` for DAS28, ``(False,
        True)`` for ESSPRI PASS; ``(False, True)`` too for the
        ``_classified`` and ``_entry_met`` columns of a classification.
        """
        if self.kind == "classification":
            return TRISTATE
        if self.category is None:
            return None
        return _coded(self.category(np.empty(0))).categories

    def compute(self, values: Mapping[str, ArrayLike]) -> dict[str, Any]:
        """Score 1-d arrays given by parameter name; 1-d output columns by name.

        Score columns are float64 (NaN = missing); ``_points`` int64; category
        and ``_classified``/``_entry_met`` columns are
        :class:`~clinscores.CodedArray` (one ``int8`` code a row, ``-1``
        unknown) of :attr:`category_values`: plain ``str`` or ``bool``
        values, never an object array.

        Raises
        ------
        InputError
            From the scoring function, for the first invalid value.
        """
        result = self.function(**values)
        if self.kind == "classification":
            assert isinstance(result, Classification)
            out = {
                f"{self.name}_points": np.atleast_1d(np.asarray(result.points, dtype=np.int64)),
                f"{self.name}_classified": _coded(result.classified),
            }
            if self.entry:
                out[f"{self.name}_entry_met"] = _coded(result.entry_met)
            return out
        score = np.atleast_1d(np.asarray(result, dtype=np.float64))
        out = {self.name: score}
        if self.category is not None and self.category_column is not None:
            out[self.category_column] = _coded(self.category(score))
        return out


def _coded(x: object) -> CodedArray:
    """A judgement as a flat CodedArray of plain categories (``Activity`` members as ``str``).

    The codes are not copied; only the categories tuple is rebuilt.
    """
    if not isinstance(x, CodedArray):
        x = _from_series(x)
    plain = tuple(c.value if isinstance(c, enum.Enum) else c for c in x.categories)
    return CodedArray.from_codes(x.codes.reshape(-1), plain, ordered=x.ordered)


def _from_series(x: Any) -> CodedArray:
    """The codes of a judgement returned as a pandas Series (Series given to compute)."""
    dtype = getattr(x, "dtype", None)
    if getattr(dtype, "name", None) == "category":
        codes = x.cat.codes.to_numpy(dtype=np.int8)
        return CodedArray.from_codes(codes, tuple(x.cat.categories), ordered=bool(x.cat.ordered))
    if getattr(dtype, "name", None) == "boolean":
        return CodedArray.from_codes(x.to_numpy(dtype=np.int8, na_value=-1), TRISTATE)
    raise TypeError(
        f"compute() takes 1-d arrays and pandas Series; the result was a {type(x).__name__}"
    )


# --------------------------------------------------------------------------
# parameter texts from the functions' docstrings
# --------------------------------------------------------------------------

_PARAM_LINE = re.compile(r"^(?:\*\*)?(\w+)\s*:")


def parameter_texts(function: Callable[..., Any]) -> dict[str, str]:
    """Parameter name -> description, from a numpydoc ``Parameters`` section.

    Whitespace is collapsed; ``**kwargs`` entries are keyed without stars.
    """
    doc = inspect.getdoc(function) or ""
    lines = doc.splitlines()
    texts: dict[str, list[str]] = {}
    current: str | None = None
    in_section = False
    for i, line in enumerate(lines):
        nxt = lines[i + 1] if i + 1 < len(lines) else ""
        if nxt.startswith("---") and line.strip() and not line.startswith(" "):
            in_section = line.strip() == "Parameters"
            current = None
            continue
        if not in_section or line.startswith("---"):
            continue
        match = _PARAM_LINE.match(line)
        if match:
            current = match.group(1)
            texts[current] = []
        elif current is not None and line.startswith(" "):
            texts[current].append(line.strip())
    return {k: " ".join(v) for k, v in texts.items()}


_BRACKET = re.compile(r"\[([^\[\]]+)\]")


def _unit_text(description: str, domain: Domain) -> str:
    match = _BRACKET.search(description)
    return match.group(1) if match else domain.describe()


def _parameters(
    function: Callable[..., Any],
    domains: Mapping[str, Domain],
    optional: tuple[str, ...] = (),
) -> tuple[Parameter, ...]:
    texts = parameter_texts(function)
    return tuple(
        Parameter(
            name,
            domain,
            _unit_text(texts[name], domain) if name in texts else domain.describe(),
            required=name not in optional,
        )
        for name, domain in domains.items()
    )


def _summary(function: Callable[..., Any]) -> str:
    doc = inspect.getdoc(function) or function.__name__
    return doc.strip().splitlines()[0].rstrip(".")


def _make(
    name: str,
    function: Callable[..., Any],
    domains: Mapping[str, Domain],
    kind: Kind = "score",
    *,
    category: Callable[[Any], Any] | None = None,
    category_column: str | None = None,
    entry: bool = False,
    one_of: tuple[str, ...] = (),
) -> Instrument:
    return Instrument(
        name=name,
        function=function,
        parameters=_parameters(function, domains, one_of),
        kind=kind,
        summary=_summary(function),
        category=category,
        category_column=category_column or (f"{name}_category" if category else None),
        entry=entry,
        one_of=one_of,
    )


def _flags(names: tuple[str, ...] | list[str]) -> dict[str, Domain]:
    return dict.fromkeys(names, FLAG)


# --------------------------------------------------------------------------
# the table
# --------------------------------------------------------------------------


def _ra() -> list[Instrument]:
    m2010 = importlib.import_module("clinscores.ra.acr_eular_2010")
    from clinscores.ra._domains import CRP_MG_DL, CRP_MG_L, ESR_MM_H, JOINTS28, VAS_CM, VAS_MM
    from clinscores.ra.cdai import cdai, cdai_activity, sdai, sdai_activity
    from clinscores.ra.das28 import das28_activity, das28_crp, das28_crp3, das28_esr, das28_esr3

    joints = {"tjc28": JOINTS28, "sjc28": JOINTS28}
    return [
        _make(
            "das28_esr",
            das28_esr,
            {**joints, "esr": ESR_MM_H, "ptga_mm": VAS_MM},
            category=das28_activity,
        ),
        _make(
            "das28_crp",
            das28_crp,
            {**joints, "crp_mg_l": CRP_MG_L, "ptga_mm": VAS_MM},
            category=das28_activity,
        ),
        _make("das28_esr3", das28_esr3, {**joints, "esr": ESR_MM_H}, category=das28_activity),
        _make("das28_crp3", das28_crp3, {**joints, "crp_mg_l": CRP_MG_L}, category=das28_activity),
        _make(
            "cdai", cdai, {**joints, "ptga_cm": VAS_CM, "evga_cm": VAS_CM}, category=cdai_activity
        ),
        _make(
            "sdai",
            sdai,
            {**joints, "ptga_cm": VAS_CM, "evga_cm": VAS_CM, "crp_mg_dl": CRP_MG_DL},
            category=sdai_activity,
        ),
        _make(
            "acr_eular_2010",
            m2010._from_points,  # rf/acpa arrive as the points of their words
            {
                "large_joints": m2010.LARGE_JOINTS,
                "small_joints": m2010.SMALL_JOINTS,
                "rf": m2010.SEROLOGY,
                "acpa": m2010.SEROLOGY,
                "abnormal_crp": FLAG,
                "abnormal_esr": FLAG,
                "symptom_duration_weeks": m2010.SYMPTOM_WEEKS,
            },
            "classification",
            entry=True,
        ),
        _haq_di(),
    ]


def _haq_di() -> Instrument:
    """HAQ-DI: the 20 questions and the 15 aid/help flags are all required columns.

    A table without an aid or help column is refused, as :func:`haq_di`
    refuses an omitted flag: an aid left out would lower the index.
    """
    from clinscores.ra.haq import HAQ_DI_FLAGS, HAQ_DI_ITEMS, HAQ_ITEM, haq_di

    return _make(
        "haq_di", haq_di, {**dict.fromkeys(HAQ_DI_ITEMS, HAQ_ITEM), **_flags(list(HAQ_DI_FLAGS))}
    )


def _sle() -> list[Instrument]:
    from clinscores.sle.eular_acr_2019 import EULAR_ACR_2019_DOMAINS, eular_acr_2019
    from clinscores.sle.sledai2k import SLEDAI2K_WEIGHTS, sledai2k, sledai2k_activity

    observations = [n for items in EULAR_ACR_2019_DOMAINS.values() for n in items]
    return [
        _make("sledai2k", sledai2k, _flags(list(SLEDAI2K_WEIGHTS)), category=sledai2k_activity),
        _make(
            "eular_acr_2019",
            eular_acr_2019,
            _flags(["ana_positive", *observations]),
            "classification",
            entry=True,
        ),
    ]


def _pss() -> list[Instrument]:
    from clinscores.pss.essdai import ESSDAI_LEVEL_NAMES, ESSDAI_LEVELS, essdai, essdai_activity
    from clinscores.pss.esspri import NRS, esspri, esspri_pass

    domains = {
        d: Domain(
            0,
            max(levels),
            f"ESSDAI {d} level, one of " + ", ".join(str(v) for v in levels),
            integer=True,
            words={w: float(i) for i, w in enumerate(ESSDAI_LEVEL_NAMES) if i in levels},
        )
        for d, levels in ESSDAI_LEVELS.items()
    }
    return [
        _make("essdai", essdai, domains, category=essdai_activity),
        _make(
            "esspri",
            esspri,
            {"dryness": NRS, "fatigue": NRS, "pain": NRS},
            category=esspri_pass,
            category_column="esspri_pass",
        ),
    ]


def _ssc() -> list[Instrument]:
    from clinscores.ssc.acr_eular_2013 import ACR_EULAR_2013_ITEMS, acr_eular_2013
    from clinscores.ssc.mrss import MRSS_SITES, SITE_GRADE, mrss

    return [
        _make("mrss", mrss, dict.fromkeys(MRSS_SITES, SITE_GRADE)),
        _make("acr_eular_2013", acr_eular_2013, _flags(ACR_EULAR_2013_ITEMS), "classification"),
    ]


def _labs() -> list[Instrument]:
    from clinscores.labs import (
        AGE_YEARS,
        CREATININE_MG_DL,
        CREATININE_UMOL_L,
        WEIGHT_KG,
        cockcroft_gault,
    )

    return [
        _make(
            "cockcroft_gault",
            cockcroft_gault,
            {
                "age": AGE_YEARS,
                "weight_kg": WEIGHT_KG,
                "female": FLAG,
                "creatinine_mg_dl": CREATININE_MG_DL,
                "creatinine_umol_l": CREATININE_UMOL_L,
            },
            one_of=("creatinine_mg_dl", "creatinine_umol_l"),
        )
    ]


@functools.cache
def instruments() -> Mapping[str, Instrument]:
    """All vectorised instruments, by name (built on first use)."""
    table = [*_ra(), *_sle(), *_pss(), *_ssc(), *_labs()]
    return {inst.name: inst for inst in table}


def get(name: str) -> Instrument:
    """The instrument called *name*.

    Raises
    ------
    KeyError
        For an unknown name; the message lists the known ones.
    """
    table = instruments()
    try:
        return table[name]
    except KeyError:
        known = ", ".join(sorted(table))
        raise KeyError(f"unknown instrument {name!r}; known instruments: {known}") from None


# --------------------------------------------------------------------------
# machine-readable description (``clinscores list`` and the web API)
# --------------------------------------------------------------------------


def references(function: Callable[..., Any]) -> list[str]:
    """The entries of a numpydoc ``References`` section, one string each."""
    doc = inspect.getdoc(function) or ""
    lines = doc.splitlines()
    entries: list[str] = []
    in_section = False
    for i, line in enumerate(lines):
        nxt = lines[i + 1] if i + 1 < len(lines) else ""
        if nxt.startswith("---") and line.strip() and not line.startswith(" "):
            in_section = line.strip() == "References"
            continue
        if not in_section or line.startswith("---") or not line.strip():
            continue
        if line.startswith(".. ["):
            entries.append(re.sub(r"^\.\. \[\w+\]\s*", "", line).strip())
        elif entries:
            entries[-1] += " " + line.strip()
    return entries


def _bound(x: float) -> float | None:
    return None if np.isinf(x) else float(x)


def describe(inst: Instrument) -> dict[str, Any]:
    """A JSON-ready description of *inst*: what ``clinscores list`` shows, and more.

    Keys: ``name``, ``summary``, ``kind``, ``parameters`` (each with
    ``name``, ``text`` (unit and range), ``required`` and ``domain``: bounds,
    ``integer``, ``flag``, accepted ``words`` (``words_only``: numbers
    refused) and its ``description``),
    ``one_of``, ``outputs`` (column name and kind), ``reported_decimals``
    (the precision a clinician reads, or None) and ``references``.

    Examples
    --------
    >>> d = describe(get("das28_esr"))
    >>> d["parameters"][0]["name"], d["parameters"][0]["domain"]["maximum"]
    ('tjc28', 28.0)
    >>> d["outputs"][1], d["reported_decimals"]
    ({'name': 'das28_esr_category', 'kind': 'str'}, 2)
    """
    return {
        "name": inst.name,
        "summary": inst.summary,
        "kind": inst.kind,
        "parameters": [
            {
                "name": p.name,
                "text": p.text,
                "required": p.required,
                "domain": {
                    "minimum": _bound(p.domain.lo),
                    "maximum": _bound(p.domain.hi),
                    "exclusive_minimum": p.domain.lo_open,
                    "exclusive_maximum": p.domain.hi_open,
                    "integer": p.domain.integer,
                    "flag": p.domain.flag,
                    "words": list(p.domain.words or ()),
                    "words_only": p.domain.words_only,
                    "description": p.domain.describe(),
                },
            }
            for p in inst.parameters
        ],
        "one_of": list(inst.one_of),
        "outputs": [{"name": c, "kind": k} for c, k in inst.output_kinds.items()],
        "reported_decimals": REPORT_DECIMALS.get(inst.name),
        "references": references(inst.function),
    }
