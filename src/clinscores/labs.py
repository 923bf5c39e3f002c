"""Laboratory helpers: Cockcroft-Gault creatinine clearance, multiples of the
upper limit of normal, and unit conversions.

Every function takes scalars or array-likes (lists, ndarrays, pandas Series)
and follows the package rules: bad input raises :class:`~clinscores.InputError`
naming the parameter, a missing value (``None``/NaN) gives NaN.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any, Final

import numpy as np
from numpy.typing import NDArray

from clinscores._core import FLAG, Domain, InputError, NumberLike, Result, evaluate, prepare

__all__ = [
    "AGE_YEARS",
    "BILIRUBIN_UMOL_L_PER_MG_DL",
    "CREATININE_MG_DL",
    "CREATININE_UMOL_L",
    "CREATININE_UMOL_L_PER_MG_DL",
    "HEMOGLOBIN_G_L_PER_G_DL",
    "WEIGHT_KG",
    "bilirubin_mg_dl_to_umol_l",
    "bilirubin_umol_l_to_mg_dl",
    "cockcroft_gault",
    "creatinine_mg_dl_to_umol_l",
    "creatinine_umol_l_to_mg_dl",
    "hemoglobin_g_dl_to_g_l",
    "hemoglobin_g_l_to_g_dl",
    "reconcile",
    "times_uln",
]

FloatArray = NDArray[np.float64]

# --------------------------------------------------------------------------
# constants
# --------------------------------------------------------------------------

#: umol/L per mg/dL of creatinine (molar mass 113.12 g/mol: 10 mg/L / 113.12
#: g/mol = 88.40 umol/L); Young DS, Ann Intern Med 1987;106:114-129.
CREATININE_UMOL_L_PER_MG_DL: Final = 88.4
#: umol/L per mg/dL of bilirubin (molar mass 584.66 g/mol: 10 mg/L / 584.66
#: g/mol = 17.10 umol/L); Young DS, Ann Intern Med 1987;106:114-129.
BILIRUBIN_UMOL_L_PER_MG_DL: Final = 17.1
#: g/L per g/dL (1 dL = 0.1 L; exact).
HEMOGLOBIN_G_L_PER_G_DL: Final = 10.0

# Cockcroft & Gault, Nephron 1976;16:31-41.
_CG_AGE_OFFSET: Final = 140.0
_CG_DIVISOR: Final = 72.0
_CG_FEMALE_FACTOR: Final = 0.85  # "15% less in females"

# Agreement of creatinine given in both units: covers rounding mg/dL to one
# decimal (+-0.05 mg/dL) and umol/L to an integer (+-0.5 umol/L = 0.0057 mg/dL),
# plus 1 % for laboratories converting with 88.42 or other rounded factors.
_CREATININE_ABS_TOL_MG_DL: Final = 0.06
_CREATININE_REL_TOL: Final = 0.01

# --------------------------------------------------------------------------
# domains
# --------------------------------------------------------------------------

#: Age in years accepted by Cockcroft-Gault (adults; derivation cohort 18-92).
AGE_YEARS: Final = Domain(18, 120, "age in years, adults")
#: Body weight in kg.
WEIGHT_KG: Final = Domain(20, 400, "body weight in kg")
#: Serum creatinine in mg/dL (> 0).
CREATININE_MG_DL: Final = Domain(0, math.inf, "serum creatinine in mg/dL", lo_open=True)
#: Serum creatinine in umol/L (> 0).
CREATININE_UMOL_L: Final = Domain(0, math.inf, "serum creatinine in umol/L", lo_open=True)

_NONNEG = "a concentration >= 0"


def _conc(unit: str) -> Domain:
    return Domain(0, math.inf, f"{_NONNEG}, in {unit}")


_ANY: Final = Domain(-math.inf, math.inf, "a finite number")
_LAB_VALUE: Final = Domain(0, math.inf, "laboratory value >= 0, in the unit of uln")
_ULN: Final = Domain(0, math.inf, "upper limit of normal > 0, in the unit of value", lo_open=True)


# --------------------------------------------------------------------------
# unit conversions
# --------------------------------------------------------------------------


def _scale(factor: float) -> Callable[[FloatArray, NDArray[Any]], None]:
    def kernel(out: FloatArray, x: NDArray[Any]) -> None:
        np.multiply(x, factor, out=out)

    return kernel


def _divide(divisor: float) -> Callable[[FloatArray, NDArray[Any]], None]:
    def kernel(out: FloatArray, x: NDArray[Any]) -> None:
        np.divide(x, divisor, out=out)

    return kernel


def creatinine_mg_dl_to_umol_l(creatinine_mg_dl: NumberLike) -> Result:
    """Serum creatinine from mg/dL to umol/L.

    Parameters
    ----------
    creatinine_mg_dl : float or array_like
        Creatinine [mg/dL, >= 0].

    Returns
    -------
    float, ndarray or pandas.Series
        Creatinine [umol/L]; NaN where the input is missing.

    Notes
    -----
    :math:`c_{\\mu mol/L} = 88.4 \\, c_{mg/dL}` (molar mass of creatinine
    113.12 g/mol).

    References
    ----------
    .. [1] Young DS. Implementation of SI units for clinical laboratory data.
       Style specifications and conversion tables. Ann Intern Med
       1987;106(1):114-129.
    """
    return evaluate(
        _scale(CREATININE_UMOL_L_PER_MG_DL),
        ("creatinine_mg_dl", creatinine_mg_dl, _conc("mg/dL")),
        name="creatinine_umol_l",
    )


def creatinine_umol_l_to_mg_dl(creatinine_umol_l: NumberLike) -> Result:
    """Serum creatinine from umol/L to mg/dL.

    Parameters
    ----------
    creatinine_umol_l : float or array_like
        Creatinine [umol/L, >= 0].

    Returns
    -------
    float, ndarray or pandas.Series
        Creatinine [mg/dL]; NaN where the input is missing.

    Notes
    -----
    :math:`c_{mg/dL} = c_{\\mu mol/L} / 88.4`.

    References
    ----------
    .. [1] Young DS. Implementation of SI units for clinical laboratory data.
       Style specifications and conversion tables. Ann Intern Med
       1987;106(1):114-129.
    """
    return evaluate(
        _divide(CREATININE_UMOL_L_PER_MG_DL),
        ("creatinine_umol_l", creatinine_umol_l, _conc("umol/L")),
        name="creatinine_mg_dl",
    )


def hemoglobin_g_dl_to_g_l(hemoglobin_g_dl: NumberLike) -> Result:
    """Haemoglobin from g/dL to g/L.

    Parameters
    ----------
    hemoglobin_g_dl : float or array_like
        Haemoglobin [g/dL, >= 0].

    Returns
    -------
    float, ndarray or pandas.Series
        Haemoglobin [g/L]; NaN where the input is missing.

    Notes
    -----
    :math:`c_{g/L} = 10 \\, c_{g/dL}` (exact: 1 dL = 0.1 L).

    References
    ----------
    .. [1] Young DS. Implementation of SI units for clinical laboratory data.
       Style specifications and conversion tables. Ann Intern Med
       1987;106(1):114-129.
    """
    return evaluate(
        _scale(HEMOGLOBIN_G_L_PER_G_DL),
        ("hemoglobin_g_dl", hemoglobin_g_dl, _conc("g/dL")),
        name="hemoglobin_g_l",
    )


def hemoglobin_g_l_to_g_dl(hemoglobin_g_l: NumberLike) -> Result:
    """Haemoglobin from g/L to g/dL.

    Parameters
    ----------
    hemoglobin_g_l : float or array_like
        Haemoglobin [g/L, >= 0].

    Returns
    -------
    float, ndarray or pandas.Series
        Haemoglobin [g/dL]; NaN where the input is missing.

    Notes
    -----
    :math:`c_{g/dL} = c_{g/L} / 10` (exact: 1 dL = 0.1 L).

    References
    ----------
    .. [1] Young DS. Implementation of SI units for clinical laboratory data.
       Style specifications and conversion tables. Ann Intern Med
       1987;106(1):114-129.
    """
    return evaluate(
        _divide(HEMOGLOBIN_G_L_PER_G_DL),
        ("hemoglobin_g_l", hemoglobin_g_l, _conc("g/L")),
        name="hemoglobin_g_dl",
    )


def bilirubin_mg_dl_to_umol_l(bilirubin_mg_dl: NumberLike) -> Result:
    """Bilirubin from mg/dL to umol/L.

    Parameters
    ----------
    bilirubin_mg_dl : float or array_like
        Bilirubin [mg/dL, >= 0].

    Returns
    -------
    float, ndarray or pandas.Series
        Bilirubin [umol/L]; NaN where the input is missing.

    Notes
    -----
    :math:`c_{\\mu mol/L} = 17.1 \\, c_{mg/dL}` (molar mass of bilirubin
    584.66 g/mol).

    References
    ----------
    .. [1] Young DS. Implementation of SI units for clinical laboratory data.
       Style specifications and conversion tables. Ann Intern Med
       1987;106(1):114-129.
    """
    return evaluate(
        _scale(BILIRUBIN_UMOL_L_PER_MG_DL),
        ("bilirubin_mg_dl", bilirubin_mg_dl, _conc("mg/dL")),
        name="bilirubin_umol_l",
    )


def bilirubin_umol_l_to_mg_dl(bilirubin_umol_l: NumberLike) -> Result:
    """Bilirubin from umol/L to mg/dL.

    Parameters
    ----------
    bilirubin_umol_l : float or array_like
        Bilirubin [umol/L, >= 0].

    Returns
    -------
    float, ndarray or pandas.Series
        Bilirubin [mg/dL]; NaN where the input is missing.

    Notes
    -----
    :math:`c_{mg/dL} = c_{\\mu mol/L} / 17.1`.

    References
    ----------
    .. [1] Young DS. Implementation of SI units for clinical laboratory data.
       Style specifications and conversion tables. Ann Intern Med
       1987;106(1):114-129.
    """
    return evaluate(
        _divide(BILIRUBIN_UMOL_L_PER_MG_DL),
        ("bilirubin_umol_l", bilirubin_umol_l, _conc("umol/L")),
        name="bilirubin_mg_dl",
    )


# --------------------------------------------------------------------------
# two units for one quantity
# --------------------------------------------------------------------------


def reconcile(
    name_a: str,
    value_a: NumberLike,
    name_b: str,
    value_b: NumberLike,
    convert: Callable[[FloatArray], Any],
    rel_tol: float,
    abs_tol: float = 0.0,
    *,
    domain_a: Domain = _ANY,
    domain_b: Domain = _ANY,
) -> Result:
    """One quantity given in either (or both) of two units, expressed in unit *b*.

    Used where a record may carry a laboratory value in two units (e.g.
    ``creatinine_umol_l`` and ``creatinine_mg_dl``): it takes whichever is
    known and checks that the two agree where both are.

    Parameters
    ----------
    name_a, name_b : str
        Parameter names of the two fields (used in error messages).
    value_a, value_b : float, array_like or None
        The value in unit *a* and in unit *b*; ``None`` (or NaN in a row)
        when not given.
    convert : callable
        Maps a float ndarray in unit *a* to unit *b* (e.g.
        :func:`creatinine_umol_l_to_mg_dl`).
    rel_tol, abs_tol : float
        Two known values agree when
        ``abs(convert(a) - b) <= abs_tol + rel_tol * abs(b)`` [abs_tol in
        unit *b*].
    domain_a, domain_b : Domain
        Allowed values of each field.

    Returns
    -------
    float, ndarray or pandas.Series
        The value in unit *b*: *b* where known, else ``convert(a)``; NaN
        where neither is known.

    Raises
    ------
    InputError
        A value outside its domain (naming its field), both values known
        and disagreeing (naming both fields, both values and the index), or a
        negative or non-finite tolerance.
    """
    if not (rel_tol >= 0 and abs_tol >= 0 and math.isfinite(rel_tol + abs_tol)):
        raise InputError(
            f"rel_tol = {rel_tol!r} and abs_tol = {abs_tol!r} must be finite numbers >= 0"
        )
    prep = prepare((name_a, value_a, domain_a), (name_b, value_b, domain_b))
    prep.validate()
    size = prep.size
    a = np.broadcast_to(np.array(prep.flats[0], dtype=np.float64, ndmin=1), (size,))
    b = np.broadcast_to(np.array(prep.flats[1], dtype=np.float64, ndmin=1), (size,))
    a_in_b = np.broadcast_to(np.asarray(convert(a.copy()), dtype=np.float64), (size,))
    both = ~np.isnan(a) & ~np.isnan(b)
    if both.any():
        diff = np.abs(a_in_b - b)
        bad = both & ~(diff <= abs_tol + rel_tol * np.abs(b))
        if bad.any():
            i = int(np.flatnonzero(bad)[0])
            where = "" if prep.scalar else f"[{i}]"
            raise InputError(
                f"{name_a}{where} = {float(a[i])!r} and {name_b}{where} = {float(b[i])!r} disagree "
                f"({name_a} is {a_in_b[i]:.4g} in the unit of {name_b}); give one of them, "
                "or two values that agree"
            )
    out = np.where(np.isnan(b), a_in_b, b)
    return prep.wrap(out, name=name_b)


# --------------------------------------------------------------------------
# scores
# --------------------------------------------------------------------------


def _cg_kernel(
    out: FloatArray,
    age: NDArray[Any],
    weight: NDArray[Any],
    female: NDArray[Any],
    scr: NDArray[Any],
) -> None:
    np.subtract(_CG_AGE_OFFSET, age, out=out)
    out *= weight
    out /= scr
    out /= _CG_DIVISOR
    # 0.85 for women, 1 for men; NaN (sex unknown) propagates.
    out *= 1.0 - (1.0 - _CG_FEMALE_FACTOR) * np.asarray(female, dtype=np.float64)


class _Omitted:
    """The default of a keyword that must be given in one of two forms."""

    def __repr__(self) -> str:
        return "<omitted>"


_OMITTED: Final = _Omitted()


def cockcroft_gault(
    age: NumberLike,
    weight_kg: NumberLike,
    female: NumberLike,
    creatinine_mg_dl: NumberLike | _Omitted = _OMITTED,
    creatinine_umol_l: NumberLike | _Omitted = _OMITTED,
) -> Result:
    """Creatinine clearance estimated by the Cockcroft-Gault formula.

    Give serum creatinine in mg/dL or in umol/L (or both, if they agree).

    Parameters
    ----------
    age : float or array_like
        Age [years, 18..120].
    weight_kg : float or array_like
        Body weight [kg, 20..400], as in the original publication (actual
        body weight; the choice of ideal or adjusted weight is the user's).
    female : bool or array_like of bool
        Sex [True = female, False = male].
    creatinine_mg_dl : float, array_like or None
        Serum creatinine [mg/dL, > 0].
    creatinine_umol_l : float, array_like or None
        Serum creatinine [umol/L, > 0]; converted with 88.4 umol/L per
        mg/dL.

    Returns
    -------
    float, ndarray or pandas.Series
        Estimated creatinine clearance [mL/min], not normalised to body
        surface area; NaN where any input (or creatinine in both units) is
        missing. ``report(value, "cockcroft_gault")`` rounds to 1 decimal.

    Raises
    ------
    InputError
        A value outside its domain (naming the parameter), or creatinine
        given in both units with values that disagree by more than rounding
        (0.06 mg/dL + 1 %; the message names both parameters).
    TypeError
        Neither creatinine keyword given (``None`` given explicitly is a
        missing value and gives NaN).

    Notes
    -----
    .. math::

        C_{cr} = \\frac{(140 - \\text{age}) \\times \\text{weight}}
                      {72 \\times S_{cr}} \\times
                 \\begin{cases} 0.85 & \\text{female} \\\\ 1 & \\text{male}
                 \\end{cases}

    with age in years, weight in kg and serum creatinine :math:`S_{cr}` in
    mg/dL. The formula was derived in 249 adult patients aged 18 to 92,
    nearly all men; the factor 0.85 for women was proposed by the authors
    ("15% less in females") rather than fitted. Ages above 92 are an
    extrapolation. The formula predates IDMS-standardised creatinine assays.

    References
    ----------
    .. [1] Cockcroft DW, Gault MH. Prediction of creatinine clearance from
       serum creatinine. Nephron 1976;16(1):31-41. doi:10.1159/000180580.

    Examples
    --------
    >>> round(cockcroft_gault(age=60, weight_kg=80, female=False, creatinine_mg_dl=1.2), 3)
    74.074
    """
    if isinstance(creatinine_mg_dl, _Omitted) and isinstance(creatinine_umol_l, _Omitted):
        raise TypeError(
            "cockcroft_gault() needs serum creatinine: give creatinine_mg_dl or "
            "creatinine_umol_l (None for a missing value)"
        )
    scr = reconcile(
        "creatinine_umol_l",
        None if isinstance(creatinine_umol_l, _Omitted) else creatinine_umol_l,
        "creatinine_mg_dl",
        None if isinstance(creatinine_mg_dl, _Omitted) else creatinine_mg_dl,
        creatinine_umol_l_to_mg_dl,
        rel_tol=_CREATININE_REL_TOL,
        abs_tol=_CREATININE_ABS_TOL_MG_DL,
        domain_a=CREATININE_UMOL_L,
        domain_b=CREATININE_MG_DL,
    )
    return evaluate(
        _cg_kernel,
        ("age", age, AGE_YEARS),
        ("weight_kg", weight_kg, WEIGHT_KG),
        ("female", female, FLAG),
        ("creatinine_mg_dl", scr, CREATININE_MG_DL),
        name="cockcroft_gault",
    )


def times_uln(value: NumberLike, uln: NumberLike) -> Result:
    """A laboratory value as a multiple of the upper limit of normal (ULN).

    Parameters
    ----------
    value : float or array_like
        The laboratory value [>= 0, in the unit of ``uln``].
    uln : float or array_like
        The laboratory's upper limit of normal [> 0, same unit].

    Returns
    -------
    float, ndarray or pandas.Series
        ``value / uln`` [dimensionless]; NaN where either is missing.

    Notes
    -----
    :math:`x_{\\times ULN} = x / \\mathrm{ULN}`. Both must be in the same
    unit; the ratio itself is unit-free, so thresholds such as
    "> 3 x ULN" can be applied whatever unit the laboratory reports.

    References
    ----------
    .. [1] Definition of the multiple of the upper limit of normal as used
       in trial eligibility criteria, e.g. Common Terminology Criteria for
       Adverse Events (CTCAE) v5.0, US National Cancer Institute, 2017.
    """

    def kernel(out: FloatArray, x: NDArray[Any], u: NDArray[Any]) -> None:
        np.divide(x, u, out=out)

    return evaluate(kernel, ("value", value, _LAB_VALUE), ("uln", uln, _ULN), name="times_uln")
