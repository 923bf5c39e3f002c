"""Lupus Low Disease Activity State (LLDAS)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Final

import numpy as np

from clinscores._core import FLAG, OMITTED, FlagLike, NumberLike, Result
from clinscores.criteria import Masks, all_of, any_of, at_most, bounded, evaluate, flag_is
from clinscores.sle._response import (
    PGA,
    PGA_DECIMALS,
    PREDNISOLONE,
    Block,
    descriptor_args,
)
from clinscores.sle.sledai2k import SLEDAI2K_WEIGHTS

__all__ = [
    "LLDAS_MAJOR_ORGAN_DESCRIPTORS",
    "LLDAS_PGA_MAX",
    "LLDAS_PREDNISOLONE_MAX_MG_DAY",
    "LLDAS_SLEDAI_MAX",
    "lldas",
]

#: Highest SLEDAI-2K score in LLDAS (Franklyn et al. 2016, Table 1, item 1).
LLDAS_SLEDAI_MAX: Final = 4
#: Highest physician global assessment, 0..3 scale (item 3).
LLDAS_PGA_MAX: Final = 1.0
#: Highest prednisolone-equivalent dose, mg/day (item 4).
LLDAS_PREDNISOLONE_MAX_MG_DAY: Final = 7.5

#: SLEDAI-2K descriptors of the major organ systems named in item 1
#: (renal, CNS, cardiopulmonary, vasculitis, fever), grouped as on the
#: SLEDAI-2K form.
LLDAS_MAJOR_ORGAN_DESCRIPTORS: Final = {
    "renal": ("urinary_casts", "hematuria", "proteinuria", "pyuria"),
    "cns": (
        "seizure",
        "psychosis",
        "organic_brain_syndrome",
        "visual_disturbance",
        "cranial_nerve_disorder",
        "lupus_headache",
        "cva",
    ),
    "cardiopulmonary": ("pleurisy", "pericarditis"),
    "vasculitis": ("vasculitis",),
    "fever": ("fever",),
}

_DESCRIPTORS: Final = tuple(SLEDAI2K_WEIGHTS)
_MAJOR: Final = frozenset(d for ds in LLDAS_MAJOR_ORGAN_DESCRIPTORS.values() for d in ds)


def new_features(cur: list[Block], prev: list[Block]) -> Masks:
    """(a descriptor present now and known absent before, none can be new)."""
    return any_of(*(all_of(flag_is(c, 1.0), flag_is(p, 0.0)) for c, p in zip(cur, prev)))


def lldas(
    *,
    descriptors: Mapping[str, FlagLike],
    previous_descriptors: Mapping[str, FlagLike],
    other_new_activity: FlagLike,
    hemolytic_anemia: FlagLike,
    gastrointestinal_activity: FlagLike,
    pga: NumberLike,
    prednisolone_mg_day: NumberLike,
    immunosuppressants_tolerated: FlagLike,
    others: FlagLike = OMITTED,
) -> Result:
    """Lupus Low Disease Activity State at a visit.

    Parameters
    ----------
    descriptors : mapping of str to bool or array_like
        SLEDAI-2K descriptors at the visit, keyed as :func:`~clinscores.sle.sledai2k`
        [True present / False absent; None unknown].  Every descriptor must
        be given, as in :func:`~clinscores.sle.sledai2k`: an omitted one is
        never taken as absent (see *others*).
    previous_descriptors : mapping of str to bool or array_like
        The same descriptors at the previous assessment [True/False; None
        unknown], every one given (see *others*).
    other_new_activity : bool or array_like
        New lupus activity since the previous assessment that the SLEDAI-2K
        descriptors do not show (e.g. a new manifestation recorded only on the
        BILAG-2004) [True/False; None unknown].
    hemolytic_anemia : bool or array_like
        Haemolytic anaemia due to lupus at the visit [True/False; None unknown].
    gastrointestinal_activity : bool or array_like
        Gastrointestinal lupus activity at the visit [True/False; None unknown].
    pga : float or array_like
        Physician global assessment [0..3, SELENA-SLEDAI PGA scale].
    prednisolone_mg_day : float or array_like
        Current prednisolone-equivalent dose [mg/day, >= 0].
    immunosuppressants_tolerated : bool or array_like
        Immunosuppressive drugs and approved biological agents, if any, are
        well tolerated standard maintenance doses, with no investigational
        drug [True/False; None unknown; True for a patient on none].
    others : bool or None, optional
        What the descriptors left out of *descriptors* and
        *previous_descriptors* are: ``False`` (or ``0``) absent, ``None``
        unknown.  Not given (the default), leaving any out raises
        ``TypeError``.

    Returns
    -------
    bool, None, CodedArray or pandas.Series
        ``True`` in LLDAS, ``False`` not, ``None`` when a missing value
        could change the answer.

    Raises
    ------
    TypeError
        Naming every descriptor left out of either mapping, unless *others*
        is given.
    clinscores.InputError
        For a value outside its domain (naming the parameter, the
        descriptor, and the index for arrays), a descriptor key that is
        not a SLEDAI-2K descriptor, or an *others* other than ``False``,
        ``0`` or ``None``.

    Notes
    -----
    All five items of the definition [1]_ must hold:

    1. SLEDAI-2K :math:`\\le 4`, with no activity in a major organ system
       (renal, CNS, cardiopulmonary, vasculitis, fever) and no haemolytic
       anaemia or gastrointestinal activity;
    2. no new features of lupus activity since the previous assessment;
    3. PGA :math:`\\le 1` (0..3 scale);
    4. prednisolone (or equivalent) :math:`\\le 7.5` mg/day;
    5. well tolerated standard maintenance doses of immunosuppressive drugs
       and approved biological agents, excluding investigational drugs.

    The SLEDAI-2K score is computed from *descriptors*.  Major organ
    activity is read from the descriptors of
    :data:`LLDAS_MAJOR_ORGAN_DESCRIPTORS` (renal: casts, haematuria,
    proteinuria, pyuria; CNS: the seven neurological descriptors of the
    form, visual disturbance included; cardiopulmonary: pleurisy,
    pericarditis; vasculitis; fever) plus the two explicit inputs, which the
    SLEDAI-2K does not cover.  A new feature (item 2) is a descriptor
    present now and absent at the previous assessment, or new activity the
    descriptors do not show, stated by *other_new_activity*.  PGA and dose
    are compared as reported to two decimals.  An unknown value leaves
    the state unknown unless another item already fails.

    Sources read: Table 1 of [1]_ (the five items and their cut-offs).

    References
    ----------
    .. [1] Franklyn K, Lau CS, Navarra SV, et al. Definition and initial
       validation of a Lupus Low Disease Activity State (LLDAS). Ann Rheum
       Dis 2016;75(9):1615-1621.

    Examples
    --------
    >>> lldas(descriptors={"rash": True, "low_complement": True},
    ...       previous_descriptors={"rash": True, "low_complement": True},
    ...       other_new_activity=False, hemolytic_anemia=False, gastrointestinal_activity=False,
    ...       pga=1.0, prednisolone_mg_day=7.5, immunosuppressants_tolerated=True,
    ...       others=False)
    True
    >>> lldas(descriptors={"pleurisy": True}, previous_descriptors={"pleurisy": True},
    ...       other_new_activity=False, hemolytic_anemia=False, gastrointestinal_activity=False,
    ...       pga=0.5, prednisolone_mg_day=5, immunosuppressants_tolerated=True, others=False)
    False
    """
    n = len(_DESCRIPTORS)
    major_at = [i for i, d in enumerate(_DESCRIPTORS) if d in _MAJOR]
    args = [
        *descriptor_args("lldas", "descriptors", descriptors, _DESCRIPTORS, others),
        *descriptor_args(
            "lldas", "previous_descriptors", previous_descriptors, _DESCRIPTORS, others
        ),
        ("other_new_activity", other_new_activity, FLAG),
        ("hemolytic_anemia", hemolytic_anemia, FLAG),
        ("gastrointestinal_activity", gastrointestinal_activity, FLAG),
        ("pga", pga, PGA),
        ("prednisolone_mg_day", prednisolone_mg_day, PREDNISOLONE),
        ("immunosuppressants_tolerated", immunosuppressants_tolerated, FLAG),
    ]
    pga_max = round(LLDAS_PGA_MAX * 100)
    dose_max = round(LLDAS_PREDNISOLONE_MAX_MG_DAY * 100)

    major = frozenset(major_at)

    def rule(*blocks: Block) -> Masks:
        cur, prev = blocks[:n], blocks[n : 2 * n]
        other_new, hemolysis, gi, p, dose, tolerated = blocks[2 * n :]
        m = max(b.size for b in blocks)
        # one pass over the descriptors, folding as it goes (few temporaries):
        # the SLEDAI-2K bounds (unknown absent, present), no major organ
        # activity, and no new feature (as new_features, negated)
        low = np.zeros(m, dtype=np.int16)
        high = np.zeros(m, dtype=np.int16)
        quiet, organ_active = np.ones(m, dtype=bool), np.zeros(m, dtype=bool)
        no_new, new = np.ones(m, dtype=bool), np.zeros(m, dtype=bool)
        for i, (name, c, before) in enumerate(zip(_DESCRIPTORS, cur, prev)):
            c_yes, c_no = flag_is(c, 1.0)
            p_yes, p_no = flag_is(before, 1.0)
            weight = SLEDAI2K_WEIGHTS[name]
            low += np.multiply(c_yes, weight, dtype=np.int16)
            high += np.multiply(~c_no, weight, dtype=np.int16)
            if i in major:
                quiet &= c_no
                organ_active |= c_yes
            no_new &= c_no | p_yes
            new |= c_yes & p_no
        return all_of(
            bounded(low, high, "<=", LLDAS_SLEDAI_MAX),
            (quiet, organ_active),
            flag_is(hemolysis, 0.0),
            flag_is(gi, 0.0),
            (no_new, new),
            flag_is(other_new, 0.0),
            at_most(p, pga_max, PGA_DECIMALS),
            at_most(dose, dose_max, PGA_DECIMALS),
            flag_is(tolerated, 1.0),
        )

    return evaluate(rule, args, "lldas", rows=8192)  # 54 arguments: half-size blocks
