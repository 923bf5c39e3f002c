"""What a person sees of a result: notebook HTML, readable text, the symbols of the page.

The display of :class:`clinscores.eligibility.Screening` and ``Criterion``,
:class:`clinscores.Classification`, the BILAG-2004 grades and explanation and
the activity categories, in two forms:

* ``_repr_html_``: a compact HTML table (styles inline, no script, every text
  escaped), the verdict first, a symbol and colour per criterion that mean
  good, bad or unknown *for the patient* whatever the criterion's kind (an
  exclusion not met is good), and the values used, in the words of
  :mod:`clinscores.vocabulary`;
* ``__repr__``: the same as plain text, on one screen (at most 30 lines for a
  screening).

The command's text (:mod:`clinscores.cli.screen`) uses the same symbols and
words.  The record and the eligibility modules are imported only when a
result is shown (they import the instruments that use this module).
"""

from __future__ import annotations

import html
import math
import re
import textwrap
from collections.abc import Iterable, Mapping, Sequence
from typing import TYPE_CHECKING, Any, Final

import numpy as np

from clinscores import vocabulary

if TYPE_CHECKING:  # pragma: no cover
    from clinscores.eligibility import Criterion, Screening
    from clinscores.sle.bilag2004 import Bilag2004Grade

__all__ = [
    "COLOURS",
    "SYMBOLS",
    "Bilag2004Explanation",
    "Bilag2004Grades",
    "criterion_effect",
    "humanize",
    "value_words",
    "verdict_effect",
]

GOOD: Final = "good"
BAD: Final = "bad"
UNKNOWN: Final = "unknown"
NOT_APPLICABLE: Final = "not_applicable"

#: The symbol of each effect on the patient (the page uses the same).
SYMBOLS: Final[Mapping[str, str]] = {GOOD: "✓", BAD: "✗", UNKNOWN: "?", NOT_APPLICABLE: "–"}
#: Its colour (contrast at least 4.5:1 on white).
COLOURS: Final[Mapping[str, str]] = {
    GOOD: "#00703c",
    BAD: "#d4351c",
    UNKNOWN: "#8a4b00",
    NOT_APPLICABLE: "#505a5f",
}
#: What the effect means, for a legend.
MEANINGS: Final[Mapping[str, str]] = {
    GOOD: "good for eligibility",
    BAD: "bars eligibility",
    UNKNOWN: "unknown: data missing",
    NOT_APPLICABLE: "not applicable",
}

_ACTIVITY_WORDS: Final[Mapping[str, str]] = {
    "none": "No activity",
    "remission": "Remission",
    "mild": "Mild activity",
    "low": "Low disease activity",
    "moderate": "Moderate disease activity",
    "high": "High disease activity",
    "very_high": "Very high disease activity",
}

_FONT: Final = "font-family:system-ui,-apple-system,'Segoe UI',Roboto,Arial,sans-serif"
_CELL: Final = (
    "text-align:left;vertical-align:top;padding:.2em .6em;border-bottom:1px solid #b1b4b6"
)


def criterion_effect(kind: str, status: str) -> str:
    """What a criterion's status means for the patient: good, bad, unknown or not applicable.

    An inclusion met and an exclusion not met are good; an inclusion not met
    and an exclusion met are bad.

    Examples
    --------
    >>> criterion_effect("exclusion", "not_met"), criterion_effect("inclusion", "not_met")
    ('good', 'bad')
    """
    if status in (UNKNOWN, NOT_APPLICABLE):
        return status
    met = status == "met"
    return GOOD if met == (kind == "inclusion") else BAD


def verdict_effect(status: str) -> str:
    """``eligible`` is good, ``not_eligible`` bad, ``incomplete`` unknown."""
    return {"eligible": GOOD, "not_eligible": BAD}.get(status, UNKNOWN)


# --------------------------------------------------------------------------
# words of record paths and values
# --------------------------------------------------------------------------

_PATH: Final = re.compile(
    r"\b[a-z][a-z0-9]*(?:_[a-z0-9]+)*(?:\[\d+\])?(?:\.[a-z0-9_]+(?:\[\d+\])?)*"
)

#: Values the screen computes (not record fields): key -> (label, unit).
_COMPUTED: Final[Mapping[str, tuple[str, str]]] = {
    "age_years": ("Age at informed consent", "years"),
    "crcl_cockcroft_gault_ml_min": ("Creatinine clearance (Cockcroft-Gault)", "mL/min"),
    "das28": ("DAS28-ESR", ""),
    "das28_source": ("DAS28-ESR from", ""),
    "cdai": ("CDAI", ""),
    "cdai_source": ("CDAI from", ""),
    "sledai2k": ("SLEDAI-2K", ""),
    "sledai2k_source": ("SLEDAI-2K from", ""),
    "essdai": ("ESSDAI", ""),
    "essdai_source": ("ESSDAI from", ""),
    "colony_stimulating_factor_dates": ("Colony-stimulating factor doses", ""),
}


def _path_words(path: str) -> tuple[str, str] | None:
    """(label, unit) of a record path or a computed value, or None."""
    from clinscores.record import path_term

    if path in _COMPUTED:
        return _COMPUTED[path]
    term = path_term(path)
    if term is not None:
        return term.label, term.unit
    head, _, tail = path.rpartition(".")
    if tail in ("points", "classified") and head:
        term = path_term(head)
        if term is not None:
            return f"{term.label}: {tail}", ""
    return None


def _item_label(key: str) -> str:
    """The label of an instrument's item by its keyword (any instrument), else the words."""
    for terms in vocabulary.PARAMETERS.values():
        if key in terms:
            return terms[key].label
    return vocabulary.CLASSIFICATION_DOMAIN_NAMES.get(key, key.replace("_", " "))


def humanize(text: str) -> str:
    """A reason with each record path replaced by its label, units as clinicians write them.

    Examples
    --------
    >>> humanize("unknown (missing labs.inr)")
    'unknown (missing International normalised ratio (INR))'
    >>> humanize("WBC 3.4 >= 3 x10^9/L")
    'WBC 3.4 >= 3 ×10⁹/L'
    """

    def label(match: re.Match[str]) -> str:
        word = match.group(0)
        if "_" not in word and "." not in word:
            return word
        words = _path_words(word)
        if words is not None:
            return words[0]
        if "_" in word and "." not in word:  # an item of an instrument (low_complement)
            item = _item_label(word)
            return item[:1].lower() + item[1:]
        return word

    return vocabulary.clinical_unit(_PATH.sub(label, text)).replace("Sjogren", "Sjögren")


def mathematical(text: str) -> str:
    """``>=`` and ``<=`` as ``≥`` and ``≤`` (the page's and the notebook's signs).

    Examples
    --------
    >>> mathematical("age 34 >= 18; INR 1 <= 1.5x ULN")
    'age 34 ≥ 18; INR 1 ≤ 1.5x ULN'
    """
    return text.replace(">=", "≥").replace("<=", "≤")


def _shown(value: Any) -> str:
    """A value as a person reads it: yes/no, ``9``, ``< 1``, ``none``, choice words."""
    value = _scalar(value)
    if value is None:
        return "unknown"
    if hasattr(value, "comparator") and hasattr(value, "value"):  # a censored value
        return f"{value.comparator} {_shown(value.value)}"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float):
        return f"{value:g}" if math.isfinite(value) else str(value)
    if isinstance(value, (list, tuple)):
        return ", ".join(_shown(v) for v in value) if value else "none"
    if isinstance(value, Mapping):
        return ", ".join(f"{_label_of(str(k))} {_shown(v)}" for k, v in value.items())
    if isinstance(value, str) and "_" in value:
        return vocabulary.choice_label(value)
    return str(value)


def _label_of(key: str) -> str:
    """The name of a BILAG-2004 system or a classification domain."""
    names = vocabulary.BILAG2004_SYSTEM_NAMES
    if key in names:
        return names[key]
    return vocabulary.CLASSIFICATION_DOMAIN_NAMES.get(key, key.replace("_", " "))


def value_words(key: str, value: Any) -> str:
    """One value used by a criterion in words: ``"White blood cells 3.4 ×10⁹/L"``.

    Examples
    --------
    >>> value_words("labs.hemoglobin_g_l", 109.0)
    'Haemoglobin 109 g/L'
    >>> value_words("exclusions.pregnant", False)
    'Pregnant: no'
    """
    words = _path_words(key)
    label, unit = words if words is not None else (key.replace("_", " ").replace(".", " "), "")
    shown = _shown(value)
    if isinstance(value, (bool, list, tuple, Mapping)) or value is None:
        return f"{label}: {shown}"
    unit = unit.split(" on a ")[0]
    return f"{label} {shown}" + (f" {unit}" if unit else "")


# --------------------------------------------------------------------------
# a screening and its criteria
# --------------------------------------------------------------------------


def _e(text: object) -> str:
    return html.escape(str(text), quote=True)


def _badge(effect: str, word: str) -> str:
    return (
        f'<span style="color:{COLOURS[effect]};font-weight:bold;white-space:nowrap">'
        f"{SYMBOLS[effect]} {_e(word)}</span>"
    )


def status_word(status: str) -> str:
    """``not_met`` -> ``not met``, ``not_eligible`` -> ``NOT ELIGIBLE``."""
    return vocabulary.STATUS_WORDS.get(status, status.replace("_", " "))


def disease_name(code: str) -> str:
    """``"sle"`` -> ``"Systemic lupus erythematosus"``."""
    return vocabulary.choice_label(code)


def why(s: Screening) -> list[str]:
    """The reasons of the verdict: the failing criteria, or the missing data.

    One line each, in human words: ``"I7 Systemic lupus erythematosus: ..."``
    for a criterion that bars eligibility, ``"missing: <labels>"`` for an
    incomplete screen.
    """
    failing = [c for c in s.criteria if criterion_effect(c.kind, c.status) == BAD]
    if failing:
        return [f"{c.id} {_title(c)}: {humanize(_reason(c))}" for c in failing]
    if s.status == "incomplete":
        return [
            f"{c.id} {_title(c)}: {humanize(_reason(c))}" for c in s.criteria if c.status == UNKNOWN
        ]
    return []


def missing_words(s: Screening) -> str:
    """The labels of the missing data of an incomplete screen, comma-separated."""
    return ", ".join(dict.fromkeys(_missing_label(m) for m in s.missing))


def _missing_label(path: str) -> str:
    words = _path_words(path)
    if words is not None:
        return words[0]
    return humanize(" or ".join(p.strip() for p in path.split(" or ")))


def _title(c: Criterion) -> str:
    title = c.title.replace("Sjogren", "Sjögren")
    return title[:1].upper() + title[1:]


def _reason(c: Criterion) -> str:
    """The reason without its leading title (the title is shown beside it)."""
    reason = c.reason
    if reason.startswith(c.title + ": "):
        reason = reason[len(c.title) + 2 :]
    if c.status == NOT_APPLICABLE and reason.startswith("patient screened for "):
        name = disease_name(reason.rsplit(" ", 1)[-1]).lower().replace("sjögren", "Sjögren")
        reason = f"patient screened for {name}"
    return reason


def _head(s: Screening) -> str:
    from clinscores import __version__

    date = "no screening date" if s.screening_date is None else f"screened {s.screening_date}"
    return f"{disease_name(s.disease)}, {date}, trial NCT07052565, clinscores {__version__}"


def parts(reason: str) -> list[str]:
    """The conditions of a reason: split at ``; `` outside parentheses.

    Examples
    --------
    >>> parts("WBC 3.4 >= 3; no CSF (within 2 weeks; none)")
    ['WBC 3.4 >= 3', 'no CSF (within 2 weeks; none)']
    """
    out, depth, start = [], 0, 0
    for i, ch in enumerate(reason):
        depth += {"(": 1, ")": -1}.get(ch, 0)
        if depth == 0 and reason.startswith("; ", i):
            out.append(reason[start:i])
            start = i + 2
    out.append(reason[start:])
    return [p for p in out if p]


def _reason_html(c: Criterion) -> str:
    """The reason, one condition a line."""
    return "<br>".join(_e(mathematical(p)) for p in parts(humanize(_reason(c))))


def _values_html(values: Mapping[str, Any]) -> str:
    if not values:
        return ""
    return "<br>".join(_e(value_words(k, v)) for k, v in values.items())


def _row_html(c: Criterion) -> str:
    effect = criterion_effect(c.kind, c.status)
    return (
        f'<tr data-criterion="{_e(c.id)}" data-effect="{effect}">'
        f'<th scope="row" style="{_CELL}">{_e(c.id)}</th>'
        f'<td style="{_CELL}">{_badge(effect, status_word(c.status))}</td>'
        f'<td style="{_CELL}">{_e(mathematical(_title(c)))}<br>'
        f'<small style="color:#505a5f">{_e(c.kind)}</small></td>'
        f'<td style="{_CELL}">{_reason_html(c)}</td>'
        f'<td style="{_CELL}"><small>{_values_html(c.values)}</small></td>'
        "</tr>"
    )


def _table_html(rows: Iterable[str]) -> str:
    head = "".join(
        f'<th scope="col" style="{_CELL}">{h}</th>'
        for h in ("Criterion", "Result", "What", "Reason", "Values used")
    )
    return (
        '<table style="border-collapse:collapse;font-size:90%">'
        f"<thead><tr>{head}</tr></thead><tbody>{''.join(rows)}</tbody></table>"
    )


def _legend_html() -> str:
    return (
        '<p style="font-size:85%;color:#505a5f;margin:.4em 0 0">'
        + " · ".join(f"{SYMBOLS[k]} {MEANINGS[k]}" for k in (GOOD, BAD, UNKNOWN, NOT_APPLICABLE))
        + "</p>"
    )


def screening_html(s: Screening) -> str:
    """A screening as notebook HTML: the verdict with its reasons, then every criterion."""
    effect = verdict_effect(s.status)
    reasons = why(s)
    parts = [
        f'<div class="clinscores-screening" style="{_FONT}">',
        f'<p style="font-size:1.25em;margin:0 0 .2em">{_badge(effect, status_word(s.status))}</p>',
        f'<p style="margin:0 0 .4em">Patient <strong>{_e(s.patient_id)}</strong>, '
        f"{_e(_head(s))}</p>",
    ]
    if reasons:
        intro = "Why not eligible:" if s.status == "not_eligible" else "Why incomplete:"
        parts.append(f'<p style="margin:.4em 0 .1em"><strong>{intro}</strong></p><ul>')
        parts += [f"<li>{_e(mathematical(r))}</li>" for r in reasons]
        parts.append("</ul>")
    if s.missing:
        parts.append(f"<p><strong>Missing data:</strong> {_e(missing_words(s))}</p>")
    parts.append(_table_html(_row_html(c) for c in s.criteria))
    parts.append(_legend_html())
    parts.append("</div>")
    return "".join(parts)


def _clip(text: str, width: int) -> str:
    return text if len(text) <= width else text[: width - 1] + "…"


def screening_text(s: Screening, width: int = 100) -> str:
    """A screening as plain text on one screen: verdict, why, one line per criterion.

    At most 30 lines: the verdict and the patient (two lines), up to four
    failing criteria (cut at *width*) or the missing data (at most two
    lines), and one line per criterion (with its reason when it is not
    good, cut at *width*).
    """
    effect = verdict_effect(s.status)
    lines = [f"{SYMBOLS[effect]} {status_word(s.status)}: patient {s.patient_id}", f"  {_head(s)}"]
    if s.status == "not_eligible":
        reasons = why(s)
        for r in reasons[:2]:
            wrapped = textwrap.wrap(f"because {r}", width - 2, subsequent_indent="  ")
            if len(wrapped) > 3:
                wrapped = [*wrapped[:2], _clip(wrapped[2] + " …", width - 2)]
            lines += [f"  {w}" for w in wrapped]
        if len(reasons) > 2:
            lines.append(
                f"  and {len(reasons) - 2} more: " + ", ".join(r.split()[0] for r in reasons[2:])
            )
    if s.missing:
        missing = textwrap.wrap(f"missing: {missing_words(s)}", width - 2)
        if len(missing) > 2:
            missing = [missing[0], _clip(missing[1] + " …", width - 2)]
        lines += [f"  {m}" for m in missing]
    for c in s.criteria:
        e = criterion_effect(c.kind, c.status)
        text = f"  {SYMBOLS[e]} {c.id:<4}{status_word(c.status):<15}{_title(c)}"
        if e in (BAD, UNKNOWN):
            text += f": {humanize(_reason(c))}"
        lines.append(_clip(text, width))
    return "\n".join(lines)


def criterion_html(c: Criterion) -> str:
    """One criterion as notebook HTML (a one-row table)."""
    return f'<div style="{_FONT}">{_table_html([_row_html(c)])}</div>'


def criterion_text(c: Criterion, width: int = 100) -> str:
    """One criterion as text: symbol, id, status, title, reason, values (wrapped)."""
    e = criterion_effect(c.kind, c.status)
    lines = textwrap.wrap(
        f"{SYMBOLS[e]} {c.id} {status_word(c.status)} ({c.kind}): {_title(c)}: "
        f"{humanize(_reason(c))}",
        width,
        subsequent_indent="    ",
    )
    if c.values:
        used = "; ".join(value_words(k, v) for k, v in c.values.items())
        lines += textwrap.wrap(f"values used: {used}", width, initial_indent="    ",
                               subsequent_indent="    ")  # fmt: skip
    return "\n".join(lines)


# --------------------------------------------------------------------------
# classifications, grades, categories
# --------------------------------------------------------------------------


def _tri(value: Any) -> str:
    """True good, False bad, anything else (None) unknown."""
    value = _scalar(value)
    return GOOD if value is True else BAD if value is False else UNKNOWN


def _scalar(value: Any) -> Any:
    """A Python scalar from a 0-d value; None for anything else unknown."""
    if isinstance(value, np.generic):
        value = value.item()
    return value


def _is_array(value: Any) -> bool:
    return not isinstance(value, (bool, int, float, str, type(None), np.generic))


_CLASSIFIED: Final[Mapping[str, str]] = {
    GOOD: "classified",
    BAD: "not classified",
    UNKNOWN: "unknown (an item that could change it is missing)",
}


def _column(value: Any) -> list[Any]:
    """The rows of an array field as Python values (bools, ints, None)."""
    for attr in ("to_objects", "objects"):  # a compact array result
        if hasattr(value, attr) and callable(getattr(value, attr)):
            value = getattr(value, attr)()
            break
    arr = np.asarray(value, dtype=object).reshape(-1)
    out = []
    for v in arr:
        v = _scalar(v)
        if isinstance(v, float) and math.isnan(v):
            v = None
        out.append(v)
    return out


def classification_text(c: Any) -> str:
    """A Classification in words: ``Classification: ✓ classified, 22 points; ...``."""
    if _is_array(c.classified) or _is_array(c.points):
        return _classification_rows_text(c)
    effect = _tri(_scalar(c.classified))
    entry = ""
    if c.entry_met is not None:
        entry = f"; entry criterion {'met' if _scalar(c.entry_met) else 'not met'}"
    domains = ", ".join(f"{_label_of(str(k))} {_shown(_scalar(v))}" for k, v in c.domains.items())
    head = f"Classification: {SYMBOLS[effect]} {_CLASSIFIED[effect]}, {_shown(_scalar(c.points))} "
    lines = [f"{head}points{entry}"]
    if domains:
        lines += textwrap.wrap(
            f"points by domain: {domains}", 98, initial_indent="  ", subsequent_indent="    "
        )
    return "\n".join(lines)


def _classification_rows_text(c: Any) -> str:
    rows = _column(c.classified)
    n = len(rows)
    counts = {e: sum(_tri(v) == e for v in rows) for e in (GOOD, BAD, UNKNOWN)}
    return (
        f"Classification of {n} rows: {counts[GOOD]} classified, {counts[BAD]} not classified, "
        f"{counts[UNKNOWN]} unknown"
    )


def classification_html(c: Any) -> str:
    """A Classification as notebook HTML: the verdict, the points, the points by domain."""
    if _is_array(c.classified) or _is_array(c.points):
        rows = _column(c.classified)
        points = _column(c.points)
        shown = list(zip(points, rows))[:10]
        body = "".join(
            f'<tr><th scope="row" style="{_CELL}">{i}</th>'
            f'<td style="{_CELL}">{_badge(_tri(v), _CLASSIFIED[_tri(v)].split(" (")[0])}</td>'
            f'<td style="{_CELL}">{_e(_shown(p))}</td></tr>'
            for i, (p, v) in enumerate(shown)
        )
        more = f"<p>… {len(rows) - 10} more rows</p>" if len(rows) > 10 else ""
        return (
            f'<div style="{_FONT}"><p>{_e(_classification_rows_text(c))}</p>'
            '<table style="border-collapse:collapse"><thead><tr>'
            f'<th scope="col" style="{_CELL}">Row</th><th scope="col" style="{_CELL}">Result</th>'
            f'<th scope="col" style="{_CELL}">Points</th></tr></thead><tbody>{body}</tbody></table>'
            f"{more}</div>"
        )
    effect = _tri(_scalar(c.classified))
    parts = [
        f'<div class="clinscores-classification" style="{_FONT}">',
        f'<p style="font-size:1.15em;margin:0 0 .2em">{_badge(effect, _CLASSIFIED[effect])}</p>',
        f'<p style="margin:0 0 .3em">{_e(_shown(_scalar(c.points)))} points',
    ]
    if c.entry_met is not None:
        parts.append(f"; entry criterion {'met' if _scalar(c.entry_met) else 'not met'}")
    parts.append("</p>")
    if c.domains:
        table = "".join(
            f'<tr><th scope="row" style="{_CELL}">{_e(_label_of(str(k)))}</th>'
            f'<td style="{_CELL}">{_e(_shown(_scalar(v)))}</td></tr>'
            for k, v in c.domains.items()
        )
        parts.append(
            '<table style="border-collapse:collapse"><thead><tr>'
            f'<th scope="col" style="{_CELL}">Domain</th>'
            f'<th scope="col" style="{_CELL}">Points</th></tr></thead>'
            f"<tbody>{table}</tbody></table>"
        )
    parts.append("</div>")
    return "".join(parts)


def activity_html(value: str) -> str:
    """An activity category as a short phrase (``High disease activity``)."""
    return f'<span style="{_FONT};font-weight:bold">{_e(_ACTIVITY_WORDS.get(value, value))}</span>'


def _grade_rows(grades: Mapping[str, Any]) -> list[tuple[str, str]]:
    return [
        (vocabulary.BILAG2004_SYSTEM_NAMES.get(s, s), "unknown" if g is None else str(g))
        for s, g in grades.items()
    ]


class Bilag2004Grades(dict[str, Any]):
    """The BILAG-2004 grades of one form (a ``dict`` of system -> ``"A"``..``"E"`` or None).

    A plain dict with a readable ``repr`` and a notebook table.
    """

    def __repr__(self) -> str:
        rows = _grade_rows(self)
        width = max((len(s) for s, _ in rows), default=0)
        return "BILAG-2004 grades\n" + "\n".join(f"  {s:<{width}}  {g}" for s, g in rows)

    def _repr_html_(self) -> str:
        body = "".join(
            f'<tr><th scope="row" style="{_CELL}">{_e(s)}</th><td style="{_CELL}">'
            f"<strong>{_e(g)}</strong></td></tr>"
            for s, g in _grade_rows(self)
        )
        return (
            f'<div class="clinscores-bilag2004" style="{_FONT}"><table style="border-collapse:'
            f'collapse"><caption style="text-align:left;font-weight:bold">BILAG-2004 grades'
            f'</caption><thead><tr><th scope="col" style="{_CELL}">System</th>'
            f'<th scope="col" style="{_CELL}">Grade</th></tr></thead><tbody>{body}</tbody>'
            "</table></div>"
        )


_SOURCE_WORDS: Final[Mapping[str, str]] = {
    "items": "the items",
    "history": "the history (no activity)",
    "recorded": "the assessor's recorded grade",
    "unknown": "not decided",
}


def _explanation_rows(
    expl: Mapping[str, Bilag2004Grade],
) -> list[tuple[str, str, str, Sequence[str]]]:
    return [
        (
            vocabulary.BILAG2004_SYSTEM_NAMES.get(s, s),
            "unknown" if g.grade is None else g.grade,
            _SOURCE_WORDS.get(g.source, g.source),
            [humanize(r) for r in g.reasons],
        )
        for s, g in expl.items()
    ]


class Bilag2004Explanation(dict[str, "Bilag2004Grade"]):
    """The BILAG-2004 grades of one form with what decided each (system -> Bilag2004Grade).

    A plain dict with a readable ``repr`` and a notebook table.
    """

    def __repr__(self) -> str:
        rows = _explanation_rows(self)
        width = max((len(s) for s, *_ in rows), default=0)
        lines = ["BILAG-2004 grades and what decided them"]
        for system, grade, source, reasons in rows:
            text = "; ".join(reasons) if reasons else "-"
            lines.append(_clip(f"  {system:<{width}}  {grade:<7}  {source}: {text}", 100))
        return "\n".join(lines)

    def _repr_html_(self) -> str:
        body = "".join(
            f'<tr><th scope="row" style="{_CELL}">{_e(system)}</th>'
            f'<td style="{_CELL}"><strong>{_e(grade)}</strong></td>'
            f'<td style="{_CELL}">{_e(source)}</td>'
            f'<td style="{_CELL}">{"<br>".join(_e(r) for r in reasons)}</td></tr>'
            for system, grade, source, reasons in _explanation_rows(self)
        )
        head = "".join(
            f'<th scope="col" style="{_CELL}">{h}</th>'
            for h in ("System", "Grade", "Decided by", "Reasons")
        )
        return (
            f'<div class="clinscores-bilag2004" style="{_FONT}"><table style="border-collapse:'
            f'collapse;font-size:90%"><caption style="text-align:left;font-weight:bold">'
            f"BILAG-2004 grades and what decided them</caption><thead><tr>{head}</tr></thead>"
            f"<tbody>{body}</tbody></table></div>"
        )


def grade_html(g: Bilag2004Grade) -> str:
    """One system's grade with its reasons as HTML."""
    grade = "unknown" if g.grade is None else g.grade
    reasons = "".join(f"<li>{_e(humanize(r))}</li>" for r in g.reasons)
    return (
        f'<div style="{_FONT}"><strong>BILAG-2004 grade {_e(grade)}</strong>, decided by '
        f"{_e(_SOURCE_WORDS.get(g.source, g.source))}<ul>{reasons}</ul></div>"
    )
