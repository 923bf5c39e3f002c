"""Eligibility screen for trial NCT07052565 (CAR-T cells for autoimmune diseases).

:func:`screen` applies every inclusion (I1..I9) and exclusion (E1..E12)
criterion of the trial text to a patient record (:mod:`clinscores.record`)
and explains each one: ``met``, ``not_met``, ``unknown`` or
``not_applicable`` (the inclusion criteria of the other diseases), with the
values used and a one-line reason.  This module holds only the trial's
thresholds; every score comes from its instrument module, and the
three-valued logic (findings, their combinators, thresholds with their
reasons, date windows) from :mod:`clinscores.criteria`.

Rules
-----
* **Missing data never helps.**  An absent field makes its criterion
  ``unknown``: never ``met`` for an inclusion nor ``not_met`` for an
  exclusion.  A criterion made of several conditions is ``met`` (all-of) or
  ``not_met`` (any-of) only when the known conditions decide it.
* **Dates.**  Windows are counted back from the screening date: "within N
  weeks prior to screening" is the closed interval
  [screening - 7N days, screening]; "at least N months" means on or before
  the same day N calendar months earlier (the last day of that month when it
  is shorter); "for at least N weeks" means on or before screening - 7N days.
* **Scores** are computed from their components when the record has them;
  a charted score is used only when components are absent, and one that
  disagrees with its components beyond reporting precision is an input error
  naming both.

The interpretation of each ambiguous phrase of the trial text is documented
on the criterion functions below and on the documentation page.

References
----------
.. [1] ClinicalTrials.gov NCT07052565. CAR-T Cells Therapy for Patients With
   Autoimmune Diseases. Anhui Provincial Hospital; first posted 2025.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from typing import Any, Final

import attrs
import numpy as np

from clinscores import labs as lab_helpers
from clinscores._core import InputError, report, reported_units
from clinscores.criteria import (
    Censored,
    Finding,
    all_of,
    any_of,
    at_most_times_uln,
    completed_years,
    decide,
    fact,
    months_before,
    show,
    threshold,
    unknown,
    within_days_before,
)
from clinscores.pss import ESSDAI_LEVELS, acr_eular_2016, aecg_2002, essdai
from clinscores.ra import acr_eular_2010, cdai, das28_esr
from clinscores.record import (
    SLE_2019_OBSERVATIONS,
    Bilag2004Form,
    Dmard,
    Patient,
    RecordError,
    SleData,
    lab_interval,
    lab_value,
    parse_patient,
)
from clinscores.sle import (
    BILAG2004_ITEMS,
    BILAG2004_SYSTEMS,
    SLEDAI2K_WEIGHTS,
    bilag2004_1a_or_2b,
    eular_acr_2019,
    sledai2k,
)
from clinscores.ssc import ACR_EULAR_2013_ITEMS, acr_eular_2013

__all__ = ["Criterion", "Screening", "screen"]

MET: Final = "met"
NOT_MET: Final = "not_met"
UNKNOWN: Final = "unknown"
NOT_APPLICABLE: Final = "not_applicable"


@attrs.frozen
class Criterion:
    """The result of one criterion.

    Attributes
    ----------
    id : str
        ``"I1"``..``"I9"``, ``"E1"``..``"E12"`` as numbered in the trial text.
    kind : str
        ``"inclusion"`` or ``"exclusion"``.
    title : str
        The criterion, in short.
    status : str
        ``"met"``, ``"not_met"``, ``"unknown"`` or ``"not_applicable"``.
    reason : str
        One line a clinician can read, with the values and the rule.
    values : mapping
        The values used, keyed by name with the unit in the name.
    missing : tuple of str
        JSON paths of the fields whose absence leaves the criterion unknown.
    """

    id: str
    kind: str
    title: str
    status: str
    reason: str
    values: Mapping[str, Any]
    missing: tuple[str, ...] = ()
    #: JSON paths the criterion read, known or not (not part of ``to_dict``
    #: nor of equality): what a data source's notes are matched against.
    consulted: tuple[str, ...] = attrs.field(default=(), eq=False, repr=False)

    def __repr__(self) -> str:
        """The criterion in words: symbol, id, status, title, reason, values used."""
        from clinscores._display import criterion_text

        return criterion_text(self)

    def _repr_html_(self) -> str:
        """The criterion as a one-row HTML table (notebook display; no script)."""
        from clinscores._display import criterion_html

        return criterion_html(self)

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "kind": self.kind,
            "title": self.title,
            "status": self.status,
            "reason": self.reason,
            "values": dict(self.values),
            "missing": list(self.missing),
        }


@attrs.frozen
class Screening:
    """The screen of one patient.

    Attributes
    ----------
    patient_id, disease : str
    status : str
        ``"eligible"`` (every applicable inclusion met, every exclusion not
        met), ``"not_eligible"`` (an inclusion not met or an exclusion met),
        or ``"incomplete"``.
    criteria : tuple of Criterion
        I1..I9 then E1..E12.
    missing : tuple of str
        For an incomplete screen, the JSON paths of the data that would
        decide it.
    screening_date : datetime.date or None
        The record's screening date, the day the criteria were applied to.
    """

    patient_id: str
    disease: str
    status: str
    criteria: tuple[Criterion, ...]
    missing: tuple[str, ...]
    screening_date: dt.date | None = None

    def criterion(self, criterion_id: str) -> Criterion:
        """The result of one criterion by its id (e.g. ``"I6"``)."""
        for c in self.criteria:
            if c.id == criterion_id:
                return c
        raise KeyError(criterion_id)

    def __repr__(self) -> str:
        """The screening on one screen: the verdict, why, one line per criterion (<= 30 lines)."""
        from clinscores._display import screening_text

        return screening_text(self)

    def _repr_html_(self) -> str:
        """The screening as HTML: the verdict and its reasons, then every criterion.

        A table with a symbol and colour per criterion that mean good, bad or
        unknown for the patient, and the values used (notebook display; no
        script).
        """
        from clinscores._display import screening_html

        return screening_html(self)

    def to_dict(self) -> dict[str, Any]:
        return {
            "patient_id": self.patient_id,
            "disease": self.disease,
            "screening_date": None
            if self.screening_date is None
            else self.screening_date.isoformat(),
            "status": self.status,
            "missing": list(self.missing),
            "criteria": [c.to_dict() for c in self.criteria],
        }


# --------------------------------------------------------------------------
# helpers of the trial's criteria (the logic: clinscores.criteria)
# --------------------------------------------------------------------------


def _fmt(x: float | Censored | None) -> str:
    return "missing" if x is None else show(x)


def _reported(value: Censored) -> str:
    return f"reported as '{value.comparator} {value.value!r}'"


#: The comparator of a decreasing function of a censored value.
_FLIPPED: Final = {"<": ">", "<=": ">=", ">": "<", ">=": "<="}


def _history(p: Patient, months: int, *, strictly: bool = False) -> Finding:
    assert p.screening_date is not None
    if p.diagnosis_date is None:
        return unknown(f"history >= {months} months", "diagnosis_date")
    limit = months_before(p.screening_date, months)
    ok = p.diagnosis_date < limit if strictly else p.diagnosis_date <= limit
    return Finding(
        ok,
        f"diagnosed {p.diagnosis_date} ({'on or before' if ok else 'after'} {limit}, "
        f"{months} months before screening)",
        {"diagnosis_date": p.diagnosis_date.isoformat()},
    )


# --------------------------------------------------------------------------
# general inclusions I1..I5
# --------------------------------------------------------------------------


def _age_at(p: Patient, day: dt.date | None) -> tuple[float | None, str]:
    if p.birth_date is not None and day is not None:
        return float(completed_years(p.birth_date, day)), "birth_date"
    if p.age_years is not None:
        return float(p.age_years), "age_years"
    return None, "birth_date"


def i1_age(p: Patient) -> Finding:
    """I1: at least 18 years old when the informed consent form is signed."""
    if p.birth_date is not None:
        if p.informed_consent_date is None:
            return unknown("age at consent", "informed_consent_date")
        age = completed_years(p.birth_date, p.informed_consent_date)
        return Finding(
            age >= 18,
            f"age {age} {'>=' if age >= 18 else '<'} 18 years at consent "
            f"({p.informed_consent_date}, born {p.birth_date})",
            {"age_years": age},
        )
    if p.age_years is not None:
        return threshold("age at consent", "age_years", p.age_years, ">=", 18, "years")
    return unknown("age at consent", "birth_date or age_years")


def _lab(p: Patient, name: str) -> float | Censored | None:
    return lab_value(p.labs, name)


def i2_marrow(p: Patient) -> Finding:
    """I2: WBC >= 3, neutrophils >= 1 x10^9/L (the text's "centrocyte count";
    no colony-stimulating factor in the 2 weeks before screening), Hb >= 60 g/L."""
    assert p.screening_date is not None
    csf = p.medications.colony_stimulating_factor_dates if p.medications else None
    if csf is None:
        no_csf = unknown(
            "no colony-stimulating factor within 2 weeks",
            "medications.colony_stimulating_factor_dates",
        )
    else:
        recent = within_days_before(csf, p.screening_date, 14)
        no_csf = Finding(
            not recent,
            "colony-stimulating factor on "
            + ", ".join(map(str, recent))
            + " (within 2 weeks before screening)"
            if recent
            else "no colony-stimulating factor within 2 weeks before screening",
            {"colony_stimulating_factor_dates": [d.isoformat() for d in csf]},
        )
    return all_of(
        threshold("WBC", "labs.wbc_1e9_l", _lab(p, "wbc_1e9_l"), ">=", 3, "x10^9/L"),
        threshold(
            "neutrophils",
            "labs.neutrophils_1e9_l",
            _lab(p, "neutrophils_1e9_l"),
            ">=",
            1,
            "x10^9/L",
        ),
        no_csf,
        threshold(
            "haemoglobin",
            "labs.hemoglobin_g_l",
            lab_value(p.labs, "hemoglobin_g_l"),
            ">=",
            60,
            "g/L",
        ),
    )


def i3_liver(p: Patient) -> Finding:
    """I3: ALT, AST and total bilirubin each <= 3x their ULN."""
    return all_of(
        at_most_times_uln(
            "ALT", "labs.alt_u_l", _lab(p, "alt_u_l"), _lab(p, "alt_uln_u_l"), "labs.alt_uln_u_l", 3
        ),
        at_most_times_uln(
            "AST", "labs.ast_u_l", _lab(p, "ast_u_l"), _lab(p, "ast_uln_u_l"), "labs.ast_uln_u_l", 3
        ),
        at_most_times_uln(
            "total bilirubin",
            "labs.total_bilirubin_umol_l",
            lab_value(p.labs, "total_bilirubin_umol_l"),
            lab_value(p.labs, "total_bilirubin_uln_umol_l"),
            "labs.total_bilirubin_uln_umol_l",
            3,
            (
                lab_interval(p.labs, "total_bilirubin_umol_l"),
                lab_interval(p.labs, "total_bilirubin_uln_umol_l"),
            ),
        ),
    )


def i4_renal(p: Patient) -> Finding:
    """I4: creatinine clearance >= 30 mL/min, measured or else Cockcroft-Gault
    (age at screening, weight, sex, serum creatinine); the reason says which."""
    measured = _lab(p, "creatinine_clearance_ml_min")
    if measured is not None:
        f = threshold(
            "CrCl (measured)", "labs.creatinine_clearance_ml_min", measured, ">=", 30, "mL/min"
        )
        return f
    age, age_path = _age_at(p, p.screening_date)
    scr = _lab(p, "creatinine_umol_l")  # either unit, reconciled
    missing = [
        name
        for name, v in (
            (age_path, age),
            ("weight_kg", p.weight_kg),
            ("sex", p.sex),
            ("labs.creatinine_umol_l or labs.creatinine_mg_dl", scr),
        )
        if v is None
    ]
    if missing:
        return unknown(
            "CrCl (measured, or Cockcroft-Gault)", "labs.creatinine_clearance_ml_min", *missing
        )
    assert scr is not None and p.weight_kg is not None
    mg_dl = _lab(p, "creatinine_mg_dl")
    try:
        crcl = float(
            lab_helpers.cockcroft_gault(
                age,
                p.weight_kg,
                p.sex == "female",
                creatinine_mg_dl=None if isinstance(scr, Censored) or isinstance(mg_dl, Censored)
                else mg_dl,
                creatinine_umol_l=scr.value if isinstance(scr, Censored) else scr,
            )
        )  # fmt: skip
    except InputError as exc:
        return Finding(None, f"Cockcroft-Gault not computable: {exc}", {}, ("labs",))
    inputs = f"Cockcroft-Gault: age {age:g}, {p.weight_kg:g} kg, {p.sex}"
    if isinstance(scr, Censored):
        # clearance decreases with creatinine: creatinine < c gives clearance > CG(c)
        bound = Censored(_FLIPPED[scr.comparator], crcl)
        ok = decide(bound, ">=", 30)
        head = (
            f"CrCl {bound.comparator} {crcl:.1f} mL/min ({inputs}, creatinine {scr} umol/L, "
            "censored)"
        )
        value = {"crcl_cockcroft_gault_ml_min": {"comparator": bound.comparator,
                                                  "value": round(crcl, 1)}}  # fmt: skip
        if ok is None:
            return Finding(
                None,
                f"{head}: cannot tell whether >= 30 mL/min (censored creatinine)",
                value,
                ("labs.creatinine_umol_l", "labs.creatinine_mg_dl"),
            )
        return Finding(ok, f"{head}: {'at or above' if ok else 'below'} 30 mL/min", value)
    ok = crcl >= 30
    return Finding(
        ok,
        f"CrCl {crcl:.1f} mL/min ({inputs}) {'>=' if ok else '<'} 30 mL/min",
        {"crcl_cockcroft_gault_ml_min": round(crcl, 1)},
    )


def i5_coagulation(p: Patient) -> Finding:
    """I5: INR and PT each <= 1.5x their ULN."""
    return all_of(
        at_most_times_uln(
            "INR", "labs.inr", _lab(p, "inr"), _lab(p, "inr_uln"), "labs.inr_uln", 1.5
        ),
        at_most_times_uln(
            "PT", "labs.pt_s", _lab(p, "pt_s"), _lab(p, "pt_uln_s"), "labs.pt_uln_s", 1.5
        ),
    )


# --------------------------------------------------------------------------
# scores from components (or charted), with the agreement check
# --------------------------------------------------------------------------


def _decimals_of(x: float) -> int:
    s = repr(float(x))
    return 0 if s.endswith(".0") else len(s.split(".")[1]) if "." in s else 0


def _check_recorded(
    name: str,
    computed: float,
    recorded: float | None,
    max_decimals: int,
    path: str,
    problems: list[str],
) -> None:
    """A charted score must equal the computed one at the charted precision."""
    if recorded is None:
        return
    # A JSON number cannot tell 5.0 from 5: never compare more coarsely than
    # one decimal below the score's own reporting precision.
    d = max(min(_decimals_of(recorded), max_decimals), max_decimals - 1)
    both = reported_units(np.array([computed, float(recorded)]), d)
    if both[0] != both[1]:
        problems.append(
            f"{path}: charted {name} {recorded:g} disagrees with the {name} computed from "
            f"its components ({float(both[0]) / 10**d:.{d}f})"
        )


@attrs.frozen
class Score:
    value: float | None
    text: str
    source: str  # "components", "charted" or "missing"
    missing: tuple[str, ...] = ()
    low: float | None = None  # bounds of a partly unknown score (None: unbounded)
    high: float | None = None
    censored: str = ""  # the censored component that makes it an interval


def _ra_scores(p: Patient, problems: list[str]) -> tuple[Score, Score]:
    """DAS28-ESR and CDAI from the RA components (or the charted values)."""
    ra = p.ra
    if ra is None:
        return Score(None, "DAS28-ESR", "missing", ("ra",)), Score(None, "CDAI", "missing", ("ra",))
    t, s, esr, ptga, evga = ra.tjc28, ra.sjc28, ra.esr_mm_h, ra.ptga_mm, ra.evga_mm

    def absent(*names: str) -> tuple[str, ...]:
        return tuple(f"ra.{n}" for n in names if getattr(ra, n) is None)

    if isinstance(esr, Censored) and t is not None and s is not None and ptga is not None:
        das = _das28_censored_esr(t, s, esr, ptga, ra.das28_esr_recorded, problems)
    else:
        das = _computed_or_charted(
            "DAS28-ESR",
            "das28",
            2,
            (lambda: float(das28_esr(t, s, esr, ptga)))
            if t is not None
            and s is not None
            and esr is not None
            and not isinstance(esr, Censored)
            and ptga is not None
            else None,
            f"TJC28 {t}, SJC28 {s}, ESR {_fmt(esr)} mm/h, PtGA {_fmt(ptga)} mm",
            ra.das28_esr_recorded,
            "ra.das28_esr_recorded",
            absent("tjc28", "sjc28", "esr_mm_h", "ptga_mm"),
            problems,
        )
    cd = _computed_or_charted(
        "CDAI",
        "cdai",
        1,
        (lambda: float(cdai(t, s, ptga / 10, evga / 10)))
        if t is not None and s is not None and ptga is not None and evga is not None
        else None,
        f"TJC28 {t}, SJC28 {s}, PtGA {_fmt(None if ptga is None else ptga / 10)} cm, "
        f"EvGA {_fmt(None if evga is None else evga / 10)} cm",
        ra.cdai_recorded,
        "ra.cdai_recorded",
        absent("tjc28", "sjc28", "ptga_mm", "evga_mm"),
        problems,
    )
    return das, cd


#: The largest ESR a record holds [mm/h] (the upper end of DAS28-ESR for ``ESR > x``).
ESR_MAX: Final = 200.0


def _das28_censored_esr(
    t: int, s: int, esr: Censored, ptga: float, recorded: float | None, problems: list[str]
) -> Score:
    """DAS28-ESR with a censored ESR: an interval of reported scores.

    DAS28-ESR increases with ESR, so ``ESR < x`` gives a score below
    DAS28(x) and ``ESR > x`` one above it (up to DAS28 at ESR 200 mm/h).
    The bounds are the reported (rounded) scores, taken as closed: sound (a
    rounded bound never excludes a reported value the interval allows), so
    the cut-off may be unknown but is never decided wrongly.  A charted
    DAS28-ESR must lie in the interval (at its own precision); the
    criterion is still decided on the interval, since a charted value may
    have been computed with the bound as if it were the ESR.
    """
    edge = float(report(float(das28_esr(t, s, esr.value, ptga)), "das28"))
    if esr.below:
        low, high = None, edge
    else:
        low, high = edge, float(report(float(das28_esr(t, s, ESR_MAX, ptga)), "das28"))
    text = (
        f"DAS28-ESR {'<=' if esr.below else '>='} {edge:.2f} (components: TJC28 {t}, "
        f"SJC28 {s}, ESR {esr} mm/h ({_reported(esr)}), PtGA {_fmt(ptga)} mm)"
    )
    if recorded is not None:
        d = max(min(_decimals_of(recorded), 2), 1)
        lo_u, hi_u, c_u = (
            None if x is None else int(reported_units(np.array([x]), d)[0])
            for x in (low, high, float(recorded))
        )
        assert c_u is not None
        if (lo_u is not None and c_u < lo_u) or (hi_u is not None and c_u > hi_u):
            problems.append(
                f"ra.das28_esr_recorded: charted DAS28-ESR {recorded:g} disagrees with the "
                f"DAS28-ESR computed from its components ({text})"
            )
    return Score(None, text, "components", ("ra.esr_mm_h",), low=low, high=high, censored="ESR")


def _computed_or_charted(
    name: str,
    instrument: str,
    decimals: int,
    value: Callable[[], float] | None,
    components: str,
    recorded: float | None,
    recorded_path: str,
    missing: tuple[str, ...],
    problems: list[str],
) -> Score:
    """A score from its components when all are known (checked against a charted
    value), else the charted value, else missing."""
    if value is not None:
        x = value()
        _check_recorded(name, x, recorded, decimals, recorded_path, problems)
        shown = float(report(x, instrument))
        return Score(x, f"{name} {shown:.{decimals}f} (components: {components})", "components")
    if recorded is not None:
        return Score(float(recorded), f"{name} {recorded:g} (charted)", "charted")
    return Score(None, name, "missing", (*missing, recorded_path))


def _bounded_score(
    name: str,
    fn: Callable[..., Any],
    components: Mapping[str, Any] | None,
    absent: Any,
    highest: Mapping[str, Any],
    recorded: int | None,
    path: str,
    recorded_path: str,
    problems: list[str],
) -> Score:
    """An integer score from named items, some of which may be unknown.

    In the record an item that is omitted or null is unknown (missing data
    never helps), so the score is bounded: every unknown item absent gives
    the lower bound, every unknown item at its highest level the upper bound.
    A charted score must lie within the bounds and is then used.
    """
    if components is None:
        if recorded is not None:
            return Score(float(recorded), f"{name} {recorded} (charted)", "charted")
        return Score(None, name, "missing", (path, recorded_path))
    unknown = [k for k in highest if components.get(k) is None]
    try:
        low = int(
            fn(**{k: absent if components.get(k) is None else components[k] for k in highest})
        )
        high = int(
            fn(**{k: highest[k] if components.get(k) is None else components[k] for k in highest})
        )
    except InputError as exc:
        problems.append(f"{path}: {exc}")
        return Score(None, name, "missing")
    present = ", ".join(k for k in highest if components.get(k) not in (None, False, 0, "no"))
    if recorded is not None:
        if not low <= recorded <= high:
            span = f"{low}" if low == high else f"{low}..{high}"
            problems.append(
                f"{recorded_path}: charted {name} {recorded} disagrees with the {name} "
                f"computed from {path} ({span})"
            )
        return Score(float(recorded), f"{name} {recorded} (charted; {path}: {present})", "charted")
    if low == high:
        return Score(
            float(low), f"{name} {low} (from {path}: {present or 'none present'})", "components"
        )
    return Score(
        None,
        f"{name} {low}..{high} (from {path}: {present}; unknown: {', '.join(unknown)})",
        "components",
        tuple(f"{path}.{k}" for k in unknown),
        low=float(low),
        high=float(high),
    )


def score_threshold(score: Score, op: str, limit: float, instrument: str) -> Finding:
    """A score compared on its reported value (or on its bounds when partly unknown)."""
    if score.value is None:
        if score.low is not None or score.high is not None:
            lo_ok = score.low is not None and (
                score.low > limit if op == ">" else score.low >= limit
            )
            hi_ok = score.high is None or (score.high > limit if op == ">" else score.high >= limit)
            whatever = f"the censored {score.censored}" if score.censored else "the unknown items"
            if lo_ok or not hi_ok:
                rel = op if lo_ok else ("<=" if op == ">" else "<")
                return Finding(
                    lo_ok,
                    f"{score.text}: {rel} {_fmt(limit)} whatever {whatever}",
                    {f"{instrument}_bounds": [score.low, score.high]},
                )
            if score.censored:
                return Finding(
                    None,
                    f"{score.text}: cannot tell whether {op} {_fmt(limit)} "
                    f"({score.censored} is censored)",
                    {f"{instrument}_bounds": [score.low, score.high]},
                    score.missing,
                )
        return Finding(None, f"{score.text}: unknown", {}, score.missing)
    shown = float(report(score.value, instrument))
    ok = shown > limit if op == ">" else shown >= limit
    rel = op if ok else ("<=" if op == ">" else "<")
    head, _, tail = score.text.partition(" (")
    return Finding(
        ok,
        f"{head} {rel} {_fmt(limit)}" + (f" ({tail}" if tail else ""),
        {f"{instrument}": shown, f"{instrument}_source": score.source},
    )


def _require(c: Any, known_ok: bool) -> Any:
    """For the screen, classification needs the entry criterion met and the
    exclusions known to be absent: an unknown one makes a positive result unknown."""
    if c.classified is True and not known_ok:
        return attrs.evolve(c, classified=None)
    return c


def _classification(
    name: str,
    compute: Callable[[], Any] | None,
    recorded: bool | None,
    path: str,
    recorded_path: str,
) -> Finding:
    """Classification computed from inputs, else the recorded fulfilment."""
    if compute is not None:
        try:
            c = compute()
        except InputError as exc:
            return Finding(None, f"{name}: {exc}", {}, (path,))
        state = c.classified
        word = {True: "classified", False: "not classified", None: "unknown"}[state]
        return Finding(
            state,
            f"{name}: {c.points} points, {word}",
            {f"{path}.points": c.points, f"{path}.classified": state},
            () if state is not None else (path,),
        )
    if recorded is not None:
        return Finding(
            recorded,
            f"{name}: {'fulfilled' if recorded else 'not fulfilled'} (recorded)",
            {recorded_path: recorded},
        )
    return unknown(name, path, recorded_path)


# --------------------------------------------------------------------------
# disease-specific inclusions I6..I9
# --------------------------------------------------------------------------


def _started_before(
    courses: tuple[Dmard, ...] | None, limit: dt.date, what: str, path: str
) -> Finding:
    if courses is None:
        return unknown(what, path)
    starts = [c.start_date for c in courses]
    if any(s is not None and s <= limit for s in starts):
        first = min(s for s in starts if s is not None)
        return Finding(
            True, f"{what}: started {first} (on or before {limit})", {path: len(courses)}
        )
    if any(s is None for s in starts):
        return unknown(what, f"{path}[].start_date")
    return Finding(False, f"{what}: none started on or before {limit}", {path: len(courses)})


#: Stable background DMARD rules of I6: (minimum, maximum dose, unit, weeks of
#: use, weeks at the current dose, oral only).
STABLE_DMARD_RULES: Final = {
    "methotrexate": (7.5, 25.0, "mg/week", 12, 4, False),
    "hydroxychloroquine": (0.0, 400.0, "mg/day", 0, 4, False),
    "sulfasalazine": (1.0, 3.0, "g/day", 0, 4, True),
    "leflunomide": (10.0, 20.0, "mg/day", 0, 4, True),
}


def _ongoing(course: Dmard, day: dt.date) -> bool | None:
    """Whether a course continues at ``day`` (None: not recorded)."""
    if course.end_date is not None:
        return course.end_date >= day
    return course.ongoing


def _stable_course(c: Dmard, i: int, group: str, day: dt.date) -> Finding:
    path = f"medications.{group}[{i}]"
    rule = STABLE_DMARD_RULES.get(str(c.drug))
    if rule is None:
        if c.start_date is None:
            return unknown(f"{c.drug} ongoing", f"{path}.start_date")
        return Finding(c.start_date <= day, f"{c.drug} ongoing since {c.start_date}", {})
    lo, hi, unit, weeks_use, weeks_dose, oral = rule
    parts = []
    if weeks_use:
        if c.start_date is None:
            parts.append(unknown(f"{c.drug} for >= {weeks_use} weeks", f"{path}.start_date"))
        else:
            limit = day - dt.timedelta(weeks=weeks_use)
            parts.append(
                Finding(
                    c.start_date <= limit,
                    f"{c.drug} since {c.start_date} (>= {weeks_use} weeks: on or before {limit})",
                    {},
                )
            )
    if c.dose is None:
        parts.append(unknown(f"{c.drug} dose", f"{path}.dose"))
    else:
        ok = lo <= c.dose <= hi
        parts.append(
            Finding(
                ok,
                f"{c.drug} {_fmt(c.dose)} {unit} "
                f"({'within' if ok else 'outside'} {_fmt(lo)}-{_fmt(hi)})",
                {},
            )
        )
    if c.dose_since is None:
        parts.append(unknown(f"{c.drug} dose stable >= {weeks_dose} weeks", f"{path}.dose_since"))
    else:
        limit = day - dt.timedelta(weeks=weeks_dose)
        parts.append(
            Finding(
                c.dose_since <= limit,
                f"dose since {c.dose_since} (stable >= {weeks_dose} weeks: on or before {limit})",
                {},
            )
        )
    if oral:
        if c.route is None:
            parts.append(unknown(f"{c.drug} oral", f"{path}.route"))
        else:
            parts.append(Finding(c.route == "oral", f"{c.drug} {c.route} (oral required)", {}))
    return all_of(*parts)


def _stable_background(p: Patient) -> Finding:
    """At least one ongoing csDMARD/bDMARD, and each ongoing methotrexate,
    hydroxychloroquine, sulfasalazine or leflunomide within its dose rule."""
    assert p.screening_date is not None
    med = p.medications
    if med is None or med.csdmards is None or med.bdmards is None:
        return unknown("stable background DMARD", "medications.csdmards", "medications.bdmards")
    day = p.screening_date
    courses = [
        (c, i, g)
        for g, group in (("csdmards", med.csdmards), ("bdmards", med.bdmards))
        for i, c in enumerate(group)
    ]
    ongoing = [_stable_course(c, i, g, day) for c, i, g in courses if _ongoing(c, day)]
    undecided = [
        unknown(f"{c.drug} ongoing at screening", f"medications.{g}[{i}].ongoing")
        for c, i, g in courses
        if _ongoing(c, day) is None
    ]
    if not ongoing:
        if undecided:
            return all_of(*undecided)
        return Finding(False, "no ongoing csDMARD or bDMARD at screening", {})
    return all_of(*ongoing, *undecided)


def _union_joints(ra: Any) -> Finding:
    """Swollen and/or tender joints >= 3: the union count when recorded; from
    TJC28 and SJC28 the union lies between max(TJC, SJC) and TJC + SJC, so it
    is >= 3 when max >= 3, < 3 when TJC + SJC < 3, and unknown otherwise."""
    if ra.swollen_or_tender_joints is not None:
        return threshold(
            "swollen and/or tender joints",
            "ra.swollen_or_tender_joints",
            ra.swollen_or_tender_joints,
            ">=",
            3,
            "",
        )
    if ra.tjc28 is None or ra.sjc28 is None:
        return unknown("swollen and/or tender joints >= 3", "ra.swollen_or_tender_joints")
    t, s = ra.tjc28, ra.sjc28
    if max(t, s) >= 3:
        return Finding(
            True,
            f"swollen and/or tender joints >= {max(t, s)} (TJC28 {t}, SJC28 {s}) >= 3",
            {"ra.tjc28": t, "ra.sjc28": s},
        )
    if t + s < 3:
        return Finding(
            False,
            f"swollen and/or tender joints <= {t + s} (TJC28 {t}, SJC28 {s}) < 3",
            {"ra.tjc28": t, "ra.sjc28": s},
        )
    return unknown(
        f"swollen and/or tender joints (TJC28 {t}, SJC28 {s}: union 2..{t + s})",
        "ra.swollen_or_tender_joints",
    )


def i6_ra(p: Patient, problems: list[str]) -> Finding:
    """I6 (RA): 2010 ACR/EULAR classification; >= 3 months after >= 1 csDMARD
    and >= 1 bDMARD: DAS28-ESR > 3.2 or CDAI > 10, or prednisone equivalent not
    reducible below 7.5 mg/day, or swollen and/or tender joints >= 3; and a
    stable background DMARD (methotrexate >= 12 weeks at 7.5-25 mg/week for
    >= 4 weeks; hydroxychloroquine <= 400 mg/day, sulfasalazine oral 1-3 g/day,
    leflunomide oral 10-20 mg/day, each for >= 4 weeks)."""
    assert p.screening_date is not None
    ra = p.ra
    inputs = ra.classification if ra else None
    classification = _classification(
        "2010 ACR/EULAR",
        (lambda: acr_eular_2010(**attrs.asdict(inputs))) if inputs is not None else None,
        ra.classification_met if ra else None,
        "ra.classification",
        "ra.classification_met",
    )
    limit = months_before(p.screening_date, 3)
    med = p.medications
    prior = all_of(
        _started_before(
            med.csdmards if med else None, limit, ">= 1 csDMARD >= 3 months", "medications.csdmards"
        ),
        _started_before(
            med.bdmards if med else None, limit, ">= 1 bDMARD >= 3 months", "medications.bdmards"
        ),
    )
    das, cd = _ra_scores(p, problems)
    active = any_of(
        score_threshold(das, ">", 3.2, "das28"),
        score_threshold(cd, ">", 10, "cdai"),
        fact(
            "prednisone equivalent not reducible below 7.5 mg/day",
            "medications.glucocorticoid_not_reducible_below_7_5_mg",
            med.glucocorticoid_not_reducible_below_7_5_mg if med else None,
        ),
        _union_joints(ra) if ra else unknown("swollen and/or tender joints", "ra"),
    )
    return all_of(classification, prior, active, _stable_background(p))


def i7_sle(p: Patient, problems: list[str]) -> Finding:
    """I7 (SLE): 2019 EULAR/ACR classification; history >= 6 months; active
    for 2 months after standard therapy (recorded); BILAG-2004 >= 1 A or >= 2 B
    (from recorded grades); ANA or anti-dsDNA or anti-Sm positive; SLEDAI-2K >= 8."""
    sle = p.sle
    obs = sle.eular_acr_2019 if sle else None
    classification = _classification(
        "2019 EULAR/ACR",
        (
            lambda: eular_acr_2019(
                sle.ana_positive if sle else None,
                **{k: (obs or {}).get(k) for k in SLE_2019_OBSERVATIONS},
            )
        )
        if obs is not None
        else None,
        sle.classification_met if sle else None,
        "sle.eular_acr_2019",
        "sle.classification_met",
    )
    bilag = _bilag(sle)
    sledai = _bounded_score(
        "SLEDAI-2K",
        sledai2k,
        sle.sledai2k if sle else None,
        False,
        dict.fromkeys(SLEDAI2K_WEIGHTS, True),
        sle.sledai2k_recorded if sle else None,
        "sle.sledai2k",
        "sle.sledai2k_recorded",
        problems,
    )
    return all_of(
        classification,
        _history(p, 6),
        fact(
            "active 2 months after standard therapy",
            "sle.active_after_standard_therapy_2_months",
            sle.active_after_standard_therapy_2_months if sle else None,
        ),
        bilag,
        any_of(
            fact("ANA positive", "sle.ana_positive", sle.ana_positive if sle else None),
            fact(
                "anti-dsDNA positive",
                "sle.anti_dsdna_positive",
                sle.anti_dsdna_positive if sle else None,
            ),
            fact(
                "anti-Sm positive",
                "sle.anti_smith_positive",
                sle.anti_smith_positive if sle else None,
            ),
        ),
        score_threshold(sledai, ">=", 8, "sledai2k"),
    )


_BILAG_TEXT: Final = "BILAG-2004 >= 1 A or >= 2 B"


def _bilag(sle: SleData | None) -> Finding:
    """BILAG-2004 >= 1 A or >= 2 B: graded from the form when given, else as recorded."""
    recorded = sle.bilag2004_grades if sle else None
    form = sle.bilag2004_form if sle else None
    if form is None and recorded is None:
        return unknown(_BILAG_TEXT, "sle.bilag2004_form", "sle.bilag2004_grades")
    if form is None:
        assert recorded is not None
        full = {s: recorded.get(s) for s in BILAG2004_SYSTEMS}
        shown = ", ".join(f"{k} {v}" for k, v in full.items() if v in ("A", "B"))
        missing = tuple(f"sle.bilag2004_grades.{k}" for k, v in full.items() if v is None)
        where, path = "recorded", "sle.bilag2004_grades"
    else:
        explained = form.explain(recorded)  # agreement was checked with the record
        full = {k: g.grade for k, g in explained.items()}
        shown = ", ".join(
            f"{k} {g.grade} ({'; '.join(g.reasons)})"
            for k, g in explained.items()
            if g.grade in ("A", "B")
        )
        missing = tuple(
            m for k, g in explained.items() if g.grade is None for m in _bilag_missing(form, k)
        )
        where, path = "graded from the form", "sle.bilag2004_form"
    state = bilag2004_1a_or_2b(full)
    verdict = ">= 1 A or >= 2 B" if state else "unknown" if state is None else "fewer"
    return Finding(
        state,
        f"BILAG-2004 A/B grades ({where}): {shown or 'none'} ({verdict})",
        {path: dict(full)},
        () if state is not None else missing,
    )


def _bilag_missing(form: Bilag2004Form, system: str) -> tuple[str, ...]:
    """The JSON paths that would decide an unknown BILAG-2004 system."""
    items = form.items or {}
    if system == "hematological" and any(
        items.get(str(n)) not in (None, 0, False) for n in (95, 96, 97)
    ):
        return ("sle.bilag2004_grades.hematological",)
    numbers = [
        n
        for n, it in BILAG2004_ITEMS.items()
        if it.system == system and not (system == "renal" and it.scale == "value")
    ]
    paths = [f"sle.bilag2004_form.items.{n}" for n in numbers if items.get(str(n)) is None]
    due = form.due_to_sle or {}
    paths += [
        f"sle.bilag2004_form.due_to_sle.{n}"
        for n, it in BILAG2004_ITEMS.items()
        if it.system == system
        and it.scale == "value"
        and items.get(str(n)) is not None
        and due.get(str(n)) is None
    ]
    if (form.previously_active or {}).get(system) is None:
        paths.append(f"sle.bilag2004_form.previously_active.{system}")
    return tuple(paths) or (f"sle.bilag2004_grades.{system}",)


def _months_of_use(p: Patient) -> Finding:
    assert p.screening_date is not None
    start = p.medications.immunomodulatory_start_date if p.medications else None
    if start is None:
        return unknown(
            "immunomodulatory drugs > 6 months", "medications.immunomodulatory_start_date"
        )
    limit = months_before(p.screening_date, 6)
    ok = start < limit
    return Finding(
        ok,
        f"immunomodulatory drugs since {start} ({'before' if ok else 'not before'}"
        f" {limit}: > 6 months)",
        {"medications.immunomodulatory_start_date": start.isoformat()},
    )


def i8_pss(p: Patient, problems: list[str]) -> Finding:
    """I8 (pSS): 2002 AECG or 2016 ACR/EULAR classification; pSS-associated
    thrombocytopenia with platelets < 30 x10^9/L; ESSDAI >= 5; history >= 6
    months; active 2 months after conventional therapy; immunomodulatory drugs
    for more than 6 months."""
    pss = p.pss
    aecg_items = pss.aecg_2002 if pss else None
    inputs_2016 = pss.acr_eular_2016 if pss else None
    computed = []
    if aecg_items is not None:
        computed.append(
            _classification(
                "2002 AECG",
                lambda: _require(
                    aecg_2002(**attrs.asdict(aecg_items)), aecg_items.exclusion is False
                ),
                None,
                "pss.aecg_2002",
                "pss.classification_met",
            )
        )
    if inputs_2016 is not None:
        computed.append(
            _classification(
                "2016 ACR/EULAR",
                lambda: _require(
                    acr_eular_2016(**attrs.asdict(inputs_2016)),
                    inputs_2016.entry_met is True and inputs_2016.exclusion is False,
                ),
                None,
                "pss.acr_eular_2016",
                "pss.classification_met",
            )
        )
    if computed:
        classification = any_of(*computed)
    else:
        classification = _classification(
            "2002 AECG or 2016 ACR/EULAR",
            None,
            pss.classification_met if pss else None,
            "pss.aecg_2002",
            "pss.classification_met",
        )
    essdai_score = _bounded_score(
        "ESSDAI",
        essdai,
        pss.essdai if pss else None,
        0,
        {d: max(levels) for d, levels in ESSDAI_LEVELS.items()},
        pss.essdai_recorded if pss else None,
        "pss.essdai",
        "pss.essdai_recorded",
        problems,
    )
    return all_of(
        classification,
        fact(
            "pSS-associated thrombocytopenia",
            "pss.thrombocytopenia_diagnosed",
            pss.thrombocytopenia_diagnosed if pss else None,
        ),
        threshold(
            "platelets", "labs.platelets_1e9_l", _lab(p, "platelets_1e9_l"), "<", 30, "x10^9/L"
        ),
        score_threshold(essdai_score, ">=", 5, "essdai"),
        _history(p, 6),
        fact(
            "active 2 months after conventional therapy",
            "pss.active_after_conventional_therapy_2_months",
            pss.active_after_conventional_therapy_2_months if pss else None,
        ),
        _months_of_use(p),
    )


def i9_ssc(p: Patient, problems: list[str]) -> Finding:
    """I9 (SSc): 2013 ACR/EULAR classification; ANA positive at screening;
    clear HRCT progression; history >= 6 months; active 2 months after
    conventional therapy."""
    ssc = p.ssc
    items = ssc.acr_eular_2013 if ssc else None
    return all_of(
        _classification(
            "2013 ACR/EULAR",
            (lambda: acr_eular_2013(**{k: (items or {}).get(k) for k in ACR_EULAR_2013_ITEMS}))
            if items is not None
            else None,
            ssc.classification_met if ssc else None,
            "ssc.acr_eular_2013",
            "ssc.classification_met",
        ),
        fact(
            "ANA positive at screening",
            "ssc.ana_positive_at_screening",
            ssc.ana_positive_at_screening if ssc else None,
        ),
        fact("HRCT progression", "ssc.hrct_progression", ssc.hrct_progression if ssc else None),
        _history(p, 6),
        fact(
            "active 2 months after conventional therapy",
            "ssc.active_after_conventional_therapy_2_months",
            ssc.active_after_conventional_therapy_2_months if ssc else None,
        ),
    )


# --------------------------------------------------------------------------
# exclusions E1..E12
# --------------------------------------------------------------------------


def _exclusion_flag(p: Patient, name: str, text: str) -> Finding:
    value = getattr(p.exclusions, name) if p.exclusions else None
    return fact(text, f"exclusions.{name}", value)


def e4_recent_vaccination_or_b_cell(p: Patient) -> Finding:
    """E4: a vaccination or B-cell targeted therapy within 4 weeks (28 days)
    before screening; an ongoing rituximab course counts as B-cell therapy."""
    assert p.screening_date is not None
    med = p.medications
    day = p.screening_date
    parts = []
    for label, path, events in (
        ("vaccination", "medications.vaccination_dates", med.vaccination_dates if med else None),
        (
            "B-cell targeted therapy",
            "medications.b_cell_therapy_dates",
            med.b_cell_therapy_dates if med else None,
        ),
    ):
        if events is None:
            parts.append(unknown(f"{label} within 4 weeks", path))
            continue
        recent = within_days_before(events, day, 28)
        parts.append(
            Finding(
                bool(recent),
                f"{label} on {', '.join(map(str, recent))} (within 4 weeks)"
                if recent
                else f"no {label} within 4 weeks",
                {path: [d.isoformat() for d in events]},
            )
        )
    for i, c in enumerate((med.bdmards or ()) if med else ()):
        if c.drug == "rituximab":
            in_window = _ongoing(c, day - dt.timedelta(days=28))
            path = f"medications.bdmards[{i}]"
            parts.append(
                unknown("rituximab course within 4 weeks", f"{path}.ongoing")
                if in_window is None
                else Finding(
                    in_window,
                    f"rituximab course {path} {'within' if in_window else 'ended before'} 4 weeks",
                    {},
                )
            )
    return any_of(*parts)


def e9_serology(p: Patient) -> Finding:
    """E9: each infection serology separately: active HBV, HCV antibody, HIV
    antibody, syphilis, CMV DNA, EBV DNA."""
    return any_of(
        *(
            _exclusion_flag(p, name, label)
            for name, label in (
                ("hbv_active", "active HBV"),
                ("hcv_antibody_positive", "HCV antibody"),
                ("hiv_antibody_positive", "HIV antibody"),
                ("syphilis_positive", "syphilis"),
                ("cmv_dna_positive", "CMV DNA"),
                ("ebv_dna_positive", "EBV DNA"),
            )
        )
    )


def e10_pregnancy(p: Patient) -> Finding:
    """E10: pregnant or lactating (female patients), or a pregnancy planned
    within 2 years of the infusion by the patient or a male patient's partner."""
    plans = _exclusion_flag(
        p,
        "pregnancy_planned_within_2_years",
        "pregnancy planned within 2 years (patient or partner)",
    )
    if p.sex == "male":
        return plans
    female = [
        _exclusion_flag(p, "pregnant", "pregnant"),
        _exclusion_flag(p, "lactating", "lactating"),
    ]
    if p.sex is None:
        female = [
            f if f.state is not None else unknown(f.text.split(":")[0], *f.missing, "sex")
            for f in female
        ]
    return any_of(*female, plans)


# --------------------------------------------------------------------------
# the screen
# --------------------------------------------------------------------------

INCLUSIONS: Final = (
    ("I1", "age >= 18 years at informed consent"),
    ("I2", "bone marrow function"),
    ("I3", "liver function"),
    ("I4", "renal function: CrCl >= 30 mL/min"),
    ("I5", "coagulation"),
    ("I6", "rheumatoid arthritis"),
    ("I7", "systemic lupus erythematosus"),
    ("I8", "primary Sjogren's syndrome"),
    ("I9", "systemic sclerosis"),
)
EXCLUSIONS: Final = (
    ("E1", "clinically significant CNS disease", "cns_disease"),
    ("E2", "relatively serious heart disease", "serious_heart_disease"),
    ("E3", "organ or stem cell transplantation", "transplant_history"),
    ("E4", "vaccination or B-cell therapy within 4 weeks", None),
    ("E5", "history of malignancy", "malignancy_history"),
    ("E6", "end-stage renal failure", "end_stage_renal_failure"),
    ("E7", "uncontrolled infection", "uncontrolled_infection"),
    ("E8", "severe allergy to study drugs", "severe_drug_allergy"),
    ("E9", "HBV, HCV, HIV, syphilis, CMV or EBV positivity", None),
    ("E10", "pregnancy, lactation or pregnancy plans", None),
    ("E11", "active tuberculosis", "active_tuberculosis"),
    ("E12", "investigator judges unsuitable", "investigator_unsuitable"),
)
_DISEASE_OF: Final = {"I6": "ra", "I7": "sle", "I8": "pss", "I9": "ssc"}


def _criterion(cid: str, kind: str, title: str, finding: Finding) -> Criterion:
    status = {True: MET, False: NOT_MET, None: UNKNOWN}[finding.state]
    return Criterion(
        cid,
        kind,
        title,
        status,
        finding.text,
        dict(finding.values),
        finding.missing if finding.state is None else (),
        tuple(dict.fromkeys((*finding.values, *finding.consulted, *finding.missing))),
    )


def screen(patient: Patient | Mapping[str, Any]) -> Screening:
    """Screen one patient against every criterion of trial NCT07052565.

    Parameters
    ----------
    patient : Patient or mapping
        The record (:class:`clinscores.record.Patient`, or a dict loaded
        from JSON in the format of ``patient.schema.json``).

    Returns
    -------
    Screening
        ``status`` and one :class:`Criterion` per inclusion (I1..I9) and
        exclusion (E1..E12).

    Raises
    ------
    clinscores.record.RecordError
        An invalid record (every problem listed with its JSON path), or a
        charted score that disagrees with its components.

    Examples
    --------
    >>> s = screen({"patient_id": "demo", "disease": "ra", "screening_date": "2026-10-05"})
    >>> s.status, s.criterion("I2").status, s.criterion("I7").status
    ('incomplete', 'unknown', 'not_applicable')
    """
    p = parse_patient(patient)
    assert p.patient_id is not None and p.disease is not None
    problems: list[str] = []
    disease_rules: dict[str, Callable[[Patient, list[str]], Finding]] = {
        "I6": i6_ra,
        "I7": i7_sle,
        "I8": i8_pss,
        "I9": i9_ssc,
    }
    general: dict[str, Callable[[Patient], Finding]] = {
        "I1": i1_age,
        "I2": i2_marrow,
        "I3": i3_liver,
        "I4": i4_renal,
        "I5": i5_coagulation,
    }
    criteria: list[Criterion] = []
    for cid, title in INCLUSIONS:
        if cid in general:
            criteria.append(_criterion(cid, "inclusion", title, general[cid](p)))
        elif _DISEASE_OF[cid] != p.disease:
            criteria.append(
                Criterion(
                    cid, "inclusion", title, NOT_APPLICABLE, f"patient screened for {p.disease}", {}
                )
            )
        else:
            criteria.append(_criterion(cid, "inclusion", title, disease_rules[cid](p, problems)))
    special: dict[str, Callable[[Patient], Finding]] = {
        "E4": e4_recent_vaccination_or_b_cell,
        "E9": e9_serology,
        "E10": e10_pregnancy,
    }
    for cid, title, field in EXCLUSIONS:
        finding = special[cid](p) if field is None else _exclusion_flag(p, field, title)
        criteria.append(_criterion(cid, "exclusion", title, finding))
    if problems:
        raise RecordError(problems)
    failing = [
        c
        for c in criteria
        if (c.kind == "inclusion" and c.status == NOT_MET)
        or (c.kind == "exclusion" and c.status == MET)
    ]
    unknown = [c for c in criteria if c.status == UNKNOWN]
    status = "not_eligible" if failing else "incomplete" if unknown else "eligible"
    missing = tuple(dict.fromkeys(m for c in unknown for m in c.missing)) if not failing else ()
    return Screening(p.patient_id, p.disease, status, tuple(criteria), missing, p.screening_date)
