"""ACR/EULAR Boolean remission for rheumatoid arthritis.

References
----------
.. [1] Felson DT, Smolen JS, Wells G, et al. American College of
   Rheumatology/European League Against Rheumatism provisional definition of
   remission in rheumatoid arthritis for clinical trials. Arthritis Rheum
   2011;63:573-586 (and Ann Rheum Dis 2011;70:404-413).
.. [2] Studenic P, Aletaha D, de Wit M, et al. American College of
   Rheumatology/EULAR remission criteria for rheumatoid arthritis: 2022
   revision. Ann Rheum Dis 2023;82:74-80 (and Arthritis Rheumatol
   2023;75:15-22).
"""

from __future__ import annotations

from typing import Any, Final, Literal

from numpy.typing import NDArray

from clinscores._core import Arg, InputError, NumberLike, Result
from clinscores.criteria import Masks, all_of, compare, evaluate
from clinscores.ra._domains import CRP_MG_DL, JOINTS28, VAS_CM

__all__ = ["acr_eular_boolean_remission"]

#: PtGA limit per revision [1, 2], cm on a 0-10 scale.
PTGA_LIMIT_CM: Final = {2011: 1.0, 2022: 2.0}


def acr_eular_boolean_remission(
    tjc28: NumberLike,
    sjc28: NumberLike,
    crp_mg_dl: NumberLike,
    ptga_cm: NumberLike,
    *,
    revision: Literal[2011, 2022] = 2011,
) -> Result:
    """ACR/EULAR Boolean remission: every core measure at most 1.

    Parameters
    ----------
    tjc28, sjc28 : int or array_like
        Tender and swollen joint counts of 28 joints [0..28, integer].
    crp_mg_dl : float or array_like
        C-reactive protein [mg/dL, >= 0].
    ptga_cm : float or array_like
        Patient global assessment [cm, 0..10].
    revision : {2011, 2022}, keyword-only
        2011 (Felson [1]): PtGA <= 1 cm. 2022 (Studenic [2]): PtGA <= 2 cm.

    Returns
    -------
    bool, None, CodedArray or pandas.Series
        ``True`` when TJC28 <= 1, SJC28 <= 1, CRP <= 1 mg/dL and PtGA <= the
        revision's limit; ``False`` as soon as one known measure fails;
        ``None`` when a missing measure decides.

    References
    ----------
    .. [1] Felson DT et al. Arthritis Rheum 2011;63:573-586.
    .. [2] Studenic P et al. Ann Rheum Dis 2023;82:74-80.

    Examples
    --------
    >>> acr_eular_boolean_remission(1, 0, 0.8, 1.5)
    False
    >>> acr_eular_boolean_remission(1, 0, 0.8, 1.5, revision=2022)
    True
    """
    if revision not in PTGA_LIMIT_CM:
        raise InputError(f"revision = {revision!r} is not one of 2011, 2022")
    limits = (1.0, 1.0, 1.0, PTGA_LIMIT_CM[revision])

    def rule(*measures: NDArray[Any]) -> Masks:
        return all_of(*(compare(x, "<=", limit) for x, limit in zip(measures, limits)))

    args: list[Arg] = [
        ("tjc28", tjc28, JOINTS28),
        ("sjc28", sjc28, JOINTS28),
        ("crp_mg_dl", crp_mg_dl, CRP_MG_DL),
        ("ptga_cm", ptga_cm, VAS_CM),
    ]
    return evaluate(rule, args, "boolean_remission")
