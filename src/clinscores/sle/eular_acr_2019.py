"""2019 EULAR/ACR classification criteria for systemic lupus erythematosus.

An antinuclear antibody titre of at least 1:80 is the entry criterion; then
weighted criteria grouped in 7 clinical and 3 immunological domains are added up,
counting only the highest criterion of each domain.  A patient is classified
with at least 10 points and at least one clinical criterion (Aringer et al.
2019).
"""

from __future__ import annotations

import functools
from types import MappingProxyType
from typing import Any, Final

import numpy as np
from numpy.typing import NDArray

from clinscores._coded import TRISTATE
from clinscores._core import (
    FLAG,
    OMITTED,
    Arg,
    Bounds,
    Classification,
    Domain,
    FlagLike,
    NumberLike,
    Result,
    check_keywords,
    classify,
    complete_items,
    compute,
    split_flag,
    tristate_codes,
)

__all__ = [
    "ANA_TITRE_DENOMINATOR",
    "EULAR_ACR_2019_DOMAINS",
    "EULAR_ACR_2019_THRESHOLD",
    "ana_positive_from_titre",
    "eular_acr_2019",
]

#: Points needed for classification.
EULAR_ACR_2019_THRESHOLD: Final = 10

#: Lowest positive ANA titre (reciprocal, 1:80) accepted as entry criterion.
ANA_TITRE_DENOMINATOR: Final = 80

#: Domains of the criteria, each mapping a criterion to its weight [points].
#: A criterion made of two observations ("pleural or pericardial effusion",
#: "subacute cutaneous or discoid lupus", "anti-dsDNA or anti-Smith") is met
#: when either observation is present; the complement domain scores 3 for
#: low C3 or low C4 and 4 for both.  Weights from Aringer et al., Ann Rheum
#: Dis 2019;78:1151-1159, figure "Classification criteria for SLE".
EULAR_ACR_2019_DOMAINS: Final = MappingProxyType(
    {
        "constitutional": MappingProxyType({"fever": 2}),
        "hematologic": MappingProxyType(
            {"leukopenia": 3, "thrombocytopenia": 4, "autoimmune_hemolysis": 4}
        ),
        "neuropsychiatric": MappingProxyType({"delirium": 2, "psychosis": 3, "seizure": 5}),
        "mucocutaneous": MappingProxyType(
            {
                "non_scarring_alopecia": 2,
                "oral_ulcers": 2,
                "subacute_cutaneous_lupus": 4,
                "discoid_lupus": 4,
                "acute_cutaneous_lupus": 6,
            }
        ),
        "serosal": MappingProxyType(
            {"pleural_effusion": 5, "pericardial_effusion": 5, "acute_pericarditis": 6}
        ),
        "musculoskeletal": MappingProxyType({"joint_involvement": 6}),
        "renal": MappingProxyType(
            {
                "proteinuria": 4,
                "lupus_nephritis_class_ii_or_v": 8,
                "lupus_nephritis_class_iii_or_iv": 10,
            }
        ),
        "antiphospholipid_antibodies": MappingProxyType({"antiphospholipid_antibodies": 2}),
        "complement_proteins": MappingProxyType({"low_c3": 3, "low_c4": 3}),
        "sle_specific_antibodies": MappingProxyType({"anti_dsdna": 6, "anti_smith": 6}),
    }
)

#: Points of the complement domain when both C3 and C4 are low.
_LOW_C3_AND_C4: Final = 4

_CLINICAL: Final = (
    "constitutional",
    "hematologic",
    "neuropsychiatric",
    "mucocutaneous",
    "serosal",
    "musculoskeletal",
    "renal",
)

_OBSERVATIONS: Final = tuple(name for items in EULAR_ACR_2019_DOMAINS.values() for name in items)


def _domain_points(domain: str, present: dict[str, NDArray[np.bool_]], n: int) -> NDArray[np.uint8]:
    """Highest weight among the present criteria of one domain (0 if none)."""
    pts = np.zeros(n, dtype=np.uint8)
    for name, weight in EULAR_ACR_2019_DOMAINS[domain].items():
        if name in present:
            np.maximum(pts, present[name].view(np.uint8) * np.uint8(weight), out=pts)
    if domain == "complement_proteins" and "low_c3" in present and "low_c4" in present:
        both = present["low_c3"] & present["low_c4"]
        pts[both] = _LOW_C3_AND_C4
    return pts


def _score(
    present: dict[str, NDArray[np.bool_]], n: int
) -> tuple[dict[str, NDArray[np.uint8]], NDArray[np.uint8], NDArray[np.bool_]]:
    """Per-domain points, total points and 'at least one clinical criterion'."""
    domains = {d: _domain_points(d, present, n) for d in EULAR_ACR_2019_DOMAINS}
    total = np.zeros(n, dtype=np.uint8)  # at most 51 points: no overflow
    for pts in domains.values():
        total += pts
    clinical = np.zeros(n, dtype=bool)
    for d in _CLINICAL:
        clinical |= domains[d] > 0
    return domains, total, clinical


def eular_acr_2019(
    ana_positive: FlagLike, *, others: FlagLike = OMITTED, **observations: FlagLike
) -> Classification:
    """Classify systemic lupus erythematosus by the 2019 EULAR/ACR criteria.

    Parameters
    ----------
    ana_positive : bool or array_like of bool
        Entry criterion: antinuclear antibodies at a titre of at least 1:80
        on HEp-2 cells, or an equivalent positive test, at least once (see
        :func:`ana_positive_from_titre`).  ``None``/NaN when unknown.
    **observations : bool or array_like of bool
        Each observation ``True``/``1`` when it has occurred at least once
        and SLE is its most likely explanation, ``False``/``0`` when not,
        ``None``/NaN when unknown.  Every observation must be given: an
        omitted observation is never taken as absent (it could turn an
        unknown classification into "not classified"); it raises
        ``TypeError`` unless *others* says what the observations not given
        are.  The 24 keywords, by domain, with weights [points]:

        - constitutional: ``fever`` (> 38.3 °C) 2;
        - hematologic: ``leukopenia`` (< 4 x10^9/L) 3,
          ``thrombocytopenia`` (< 100 x10^9/L) 4, ``autoimmune_hemolysis`` 4;
        - neuropsychiatric: ``delirium`` 2, ``psychosis`` 3, ``seizure`` 5;
        - mucocutaneous: ``non_scarring_alopecia`` 2, ``oral_ulcers`` 2,
          ``subacute_cutaneous_lupus`` or ``discoid_lupus`` 4,
          ``acute_cutaneous_lupus`` 6;
        - serosal: ``pleural_effusion`` or ``pericardial_effusion`` 5,
          ``acute_pericarditis`` 6;
        - musculoskeletal: ``joint_involvement`` 6;
        - renal: ``proteinuria`` (> 0.5 g/24 h) 4,
          ``lupus_nephritis_class_ii_or_v`` (renal biopsy) 8,
          ``lupus_nephritis_class_iii_or_iv`` (renal biopsy) 10;
        - antiphospholipid antibodies: ``antiphospholipid_antibodies``
          (anticardiolipin at medium or high titre, anti-beta2-glycoprotein I
          or lupus anticoagulant) 2;
        - complement proteins: ``low_c3``, ``low_c4``: one low 3, both low 4;
        - SLE-specific antibodies: ``anti_dsdna`` (assay with >= 90 %
          specificity) or ``anti_smith`` 6.
    others : bool or None, keyword-only
        What every observation not given is: ``False`` (or ``0``) absent,
        ``None``/NaN unknown.  A scalar only.  Not given: every observation
        must be passed.  (``ana_positive`` is always required.)

    Returns
    -------
    Classification
        ``points``: points that counted [0..51], from observations known to
        be present, each domain at its highest criterion (counted whether or
        not the entry criterion is met).  ``classified``: ``True`` when the
        entry criterion is met, ``points >= 10`` and at least one clinical
        criterion counted; ``False`` when that cannot happen even if every
        unknown observation were present; ``None`` otherwise.  ``domains``:
        points per domain (keys ``constitutional``, ``hematologic``,
        ``neuropsychiatric``, ``mucocutaneous``, ``serosal``,
        ``musculoskeletal``, ``renal``, ``antiphospholipid_antibodies``,
        ``complement_proteins``, ``sle_specific_antibodies``).
        ``entry_met``: ``ana_positive`` as ``True``/``False``/``None``.
        On arrays each field is an array: ``points`` and the domain points
        int16, ``classified`` and ``entry_met`` met / not met / unknown
        :class:`~clinscores.CodedArray` (``"boolean"`` Series for Series
        input).

    Raises
    ------
    TypeError
        For a keyword that is not one of the 24 observations, and for
        omitted observations without *others* (the message names every one).
    clinscores.InputError
        For a value that is not a boolean (or 0/1), naming the parameter and,
        for arrays, the index.

    Notes
    -----
    .. math:: \\mathrm{points} = \\sum_{d=1}^{10} \\max_{c \\in d} w_c x_c,
              \\qquad \\mathrm{classified} = \\mathrm{ANA} \\wedge
              (\\mathrm{points} \\ge 10) \\wedge
              (\\exists\\ \\text{clinical criterion})

    Criteria need not occur at the same time, and a criterion is not counted
    when something other than SLE explains it better; both judgements are
    the caller's when recording an observation.  The rule is monotone in
    every observation, so evaluating it with each unknown taken as absent
    and again as present bounds the outcome (rule 2: missing is not zero).

    References
    ----------
    .. [1] Aringer M, Costenbader K, Daikh D, et al. 2019 European League
       Against Rheumatism/American College of Rheumatology classification
       criteria for systemic lupus erythematosus. Ann Rheum Dis
       2019;78(9):1151-1159.
    .. [2] Aringer M, Costenbader K, Daikh D, et al. 2019 European League
       Against Rheumatism/American College of Rheumatology classification
       criteria for systemic lupus erythematosus. Arthritis Rheumatol
       2019;71(9):1400-1412.

    Examples
    --------
    >>> c = eular_acr_2019(True, acute_cutaneous_lupus=True, oral_ulcers=True,
    ...                    joint_involvement=True, low_c3=True, low_c4=True, others=False)
    >>> c.points, c.classified, c.domains["mucocutaneous"]
    (16, True, 6)
    >>> eular_acr_2019(True, anti_dsdna=True, low_c3=True, low_c4=True, others=False).classified
    False
    >>> c = eular_acr_2019(True, anti_dsdna=True, low_c3=True, low_c4=True, others=None)
    >>> print(c.classified)  # a clinical criterion not given could be present
    None
    """
    check_keywords("eular_acr_2019", observations, _OBSERVATIONS)
    full = complete_items(
        "eular_acr_2019", observations, _OBSERVATIONS, others, what="observations"
    )
    names = [name for name in _OBSERVATIONS if full[name] is not False]
    args: list[Arg] = [("ana_positive", ana_positive, FLAG)]
    args += [(name, full[name], FLAG) for name in names]
    return classify(functools.partial(_rule, names), *args, entry=True)


def _rule(names: list[str], blocks: list[NDArray[Any]], n: int) -> Bounds:
    """The criteria on one block: ``blocks`` are ANA then the observations ``names``."""

    def full(mask: NDArray[np.bool_]) -> NDArray[np.bool_]:
        return np.broadcast_to(mask, (n,))

    ana_true, ana_unknown = (full(m) for m in split_flag(blocks[0]))
    present: dict[str, NDArray[np.bool_]] = {}
    possible: dict[str, NDArray[np.bool_]] = {}
    for name, flat in zip(names, blocks[1:]):
        true, unknown = split_flag(flat)
        present[name] = full(true)
        # a yes/no array without missing values (bool) has nothing unknown
        possible[name] = present[name] if flat.dtype.kind == "b" else full(true | unknown)

    domains_low, points_low, clinical_low = _score(present, n)
    _, points_high, clinical_high = _score(possible, n)
    threshold = EULAR_ACR_2019_THRESHOLD
    return Bounds(
        points=points_low,
        low=ana_true & (points_low >= threshold) & clinical_low,
        high=(ana_true | ana_unknown) & (points_high >= threshold) & clinical_high,
        domains=domains_low,
        entry=(ana_true, ~ana_unknown),
    )


_TITRE = Domain(0, float("inf"), "reciprocal ANA titre, e.g. 160 for 1:160")


def ana_positive_from_titre(titre_denominator: NumberLike) -> Result:
    """Whether an ANA titre meets the entry criterion (at least 1:80).

    Parameters
    ----------
    titre_denominator : float or array_like
        Reciprocal of the highest positive dilution on HEp-2 cells
        [>= 0; 80 for 1:80, 0 for negative at the screening dilution];
        ``None``/NaN when unknown.

    Returns
    -------
    bool, None, ndarray or pandas.Series
        For a scalar, ``True`` when ``titre_denominator >= 80``, ``False``
        below, ``None`` when unknown.  For arrays, a met / not met /
        unknown :class:`~clinscores.CodedArray` (a ``"boolean"`` Series for
        Series input), which :func:`eular_acr_2019` accepts as
        ``ana_positive``.

    Raises
    ------
    clinscores.InputError
        For a negative, infinite or non-numeric titre.

    Notes
    -----
    .. math:: \\mathrm{ANA\\ positive} \\iff \\mathrm{titre} \\ge 80

    The criteria also accept "an equivalent positive test" (a solid-phase
    screening immunoassay of at least equivalent performance); such a result
    is passed to :func:`eular_acr_2019` directly as ``ana_positive``.

    References
    ----------
    .. [1] Aringer M, Costenbader K, Daikh D, et al. 2019 European League
       Against Rheumatism/American College of Rheumatology classification
       criteria for systemic lupus erythematosus. Ann Rheum Dis
       2019;78(9):1151-1159.

    Examples
    --------
    >>> ana_positive_from_titre(80), ana_positive_from_titre(40)
    (True, False)
    """

    def kernel(out: NDArray[np.int8], titre: NDArray[Any]) -> None:
        x = np.asarray(titre, dtype=np.float64)
        tristate_codes(x >= ANA_TITRE_DENOMINATOR, ~np.isnan(x), x.size, out)

    out, prep = compute(kernel, ("titre_denominator", titre_denominator, _TITRE), dtype=np.int8)
    return prep.wrap_coded(out, TRISTATE, "ana_positive")
