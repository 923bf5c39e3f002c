"""2013 ACR/EULAR classification criteria for systemic sclerosis (SSc).

The criteria set of van den Hoogen et al. (2013): a sufficient criterion
(skin thickening of the fingers of both hands extending proximal to the
metacarpophalangeal joints) and seven additive items with weights; a total
of 9 points or more classifies a patient as having definite SSc.
"""

from __future__ import annotations

from typing import Any, Final

import numpy as np
from numpy.typing import NDArray

from clinscores._core import (
    FLAG,
    OMITTED,
    Bounds,
    Classification,
    FlagLike,
    classify,
    complete_items,
    split_flag,
)

__all__ = [
    "ACR_EULAR_2013_DOMAINS",
    "ACR_EULAR_2013_ITEMS",
    "ACR_EULAR_2013_THRESHOLD",
    "acr_eular_2013",
]

#: Keyword names of the 13 items, in the order of Table 1 of the publication.
ACR_EULAR_2013_ITEMS: Final = (
    "skin_thickening_proximal_to_mcp",
    "puffy_fingers",
    "sclerodactyly",
    "digital_tip_ulcers",
    "pitting_scars",
    "telangiectasia",
    "abnormal_nailfold_capillaries",
    "pulmonary_arterial_hypertension",
    "interstitial_lung_disease",
    "raynaud_phenomenon",
    "anticentromere",
    "anti_topoisomerase_i",
    "anti_rna_polymerase_iii",
)

#: Total score at or above which a patient is classified as having SSc.
ACR_EULAR_2013_THRESHOLD: Final = 9

# Weights of Table 1 of van den Hoogen et al. 2013 (see References of acr_eular_2013).
_W_PROXIMAL: Final = 9  # sufficient criterion
_W_PUFFY: Final = 2
_W_SCLERODACTYLY: Final = 4
_W_ULCERS: Final = 2
_W_PITTING: Final = 3
_W_TELANGIECTASIA: Final = 2
_W_NAILFOLD: Final = 2
_W_PAH_ILD: Final = 2  # PAH and/or ILD, maximum 2
_W_RAYNAUD: Final = 3
_W_ANTIBODIES: Final = 3  # any of the three antibodies, maximum 3

#: Category (domain) names of the result, one per row of Table 1.
ACR_EULAR_2013_DOMAINS: Final = (
    "skin_thickening_proximal_to_mcp",
    "skin_thickening_of_fingers",
    "fingertip_lesions",
    "telangiectasia",
    "abnormal_nailfold_capillaries",
    "pah_and_or_ild",
    "raynaud_phenomenon",
    "ssc_related_autoantibodies",
)


def _domain_points(p: dict[str, NDArray[np.bool_]], size: int) -> dict[str, NDArray[np.int16]]:
    """Points per category for one completion of the items (each category at its maximum)."""

    def w(name: str, weight: int) -> NDArray[np.int16]:
        out: NDArray[np.int16] = np.multiply(p[name], np.int16(weight), dtype=np.int16)
        return out

    def either(weight: int, *names: str) -> NDArray[np.int16]:
        hit = p[names[0]]
        for name in names[1:]:
            hit = hit | p[name]
        out: NDArray[np.int16] = np.multiply(hit, np.int16(weight), dtype=np.int16)
        return out

    raw = {
        "skin_thickening_proximal_to_mcp": w("skin_thickening_proximal_to_mcp", _W_PROXIMAL),
        "skin_thickening_of_fingers": np.maximum(
            w("puffy_fingers", _W_PUFFY), w("sclerodactyly", _W_SCLERODACTYLY)
        ),
        "fingertip_lesions": np.maximum(
            w("digital_tip_ulcers", _W_ULCERS), w("pitting_scars", _W_PITTING)
        ),
        "telangiectasia": w("telangiectasia", _W_TELANGIECTASIA),
        "abnormal_nailfold_capillaries": w("abnormal_nailfold_capillaries", _W_NAILFOLD),
        "pah_and_or_ild": either(
            _W_PAH_ILD, "pulmonary_arterial_hypertension", "interstitial_lung_disease"
        ),
        "raynaud_phenomenon": w("raynaud_phenomenon", _W_RAYNAUD),
        "ssc_related_autoantibodies": either(
            _W_ANTIBODIES, "anticentromere", "anti_topoisomerase_i", "anti_rna_polymerase_iii"
        ),
    }
    return {k: np.broadcast_to(v, (size,)) for k, v in raw.items()}


def acr_eular_2013(
    *,
    skin_thickening_proximal_to_mcp: FlagLike = OMITTED,
    puffy_fingers: FlagLike = OMITTED,
    sclerodactyly: FlagLike = OMITTED,
    digital_tip_ulcers: FlagLike = OMITTED,
    pitting_scars: FlagLike = OMITTED,
    telangiectasia: FlagLike = OMITTED,
    abnormal_nailfold_capillaries: FlagLike = OMITTED,
    pulmonary_arterial_hypertension: FlagLike = OMITTED,
    interstitial_lung_disease: FlagLike = OMITTED,
    raynaud_phenomenon: FlagLike = OMITTED,
    anticentromere: FlagLike = OMITTED,
    anti_topoisomerase_i: FlagLike = OMITTED,
    anti_rna_polymerase_iii: FlagLike = OMITTED,
    others: FlagLike = OMITTED,
) -> Classification:
    """2013 ACR/EULAR classification criteria for systemic sclerosis.

    Every item is a boolean (``True``/``False`` or ``1``/``0``), a scalar or
    an array-like (list, ndarray, pandas Series) of one value per patient.
    ``None`` or NaN marks an item unknown.  Every item must be given: an
    omitted item is never taken as absent (it could turn an unknown
    classification into "not classified"); it raises ``TypeError`` unless
    *others* says what the items not given are.

    Parameters
    ----------
    skin_thickening_proximal_to_mcp : bool or array_like of bool
        Skin thickening of the fingers of both hands extending proximal to
        the metacarpophalangeal (MCP) joints [True/False]; the sufficient
        criterion, 9 points.
    puffy_fingers : bool or array_like of bool
        Puffy (swollen) fingers [True/False]; 2 points.
    sclerodactyly : bool or array_like of bool
        Sclerodactyly of the fingers: skin thickening distal to the MCP
        joints but proximal to the proximal interphalangeal joints
        [True/False]; 4 points.
    digital_tip_ulcers : bool or array_like of bool
        Digital tip ulcers [True/False]; 2 points.
    pitting_scars : bool or array_like of bool
        Fingertip pitting scars [True/False]; 3 points.
    telangiectasia : bool or array_like of bool
        Telangiectasia [True/False]; 2 points.
    abnormal_nailfold_capillaries : bool or array_like of bool
        Abnormal nailfold capillary pattern consistent with SSc
        [True/False]; 2 points.
    pulmonary_arterial_hypertension : bool or array_like of bool
        Pulmonary arterial hypertension, diagnosed by right heart
        catheterisation [True/False]; 2 points.
    interstitial_lung_disease : bool or array_like of bool
        Interstitial lung disease [True/False]; 2 points.
    raynaud_phenomenon : bool or array_like of bool
        Raynaud's phenomenon [True/False]; 3 points.
    anticentromere : bool or array_like of bool
        Anticentromere antibody (or centromere pattern on ANA testing)
        positive [True/False]; 3 points.
    anti_topoisomerase_i : bool or array_like of bool
        Anti-topoisomerase I (anti-Scl-70) antibody positive [True/False];
        3 points.
    anti_rna_polymerase_iii : bool or array_like of bool
        Anti-RNA polymerase III antibody positive [True/False]; 3 points.
    others : bool or None
        What every item not given is: ``False`` (or ``0``) absent,
        ``None``/NaN unknown.  A scalar only.  Not given: every item must be
        passed.

    Returns
    -------
    Classification
        ``points`` (int; on arrays, an int16 array): the total of the items
        known to be present, each category counted once at its highest
        weight; ``classified``: ``True`` when the total is 9 or more,
        ``False`` when it is below 9 even if every unknown item were present,
        ``None`` when unknown items could change the outcome (on arrays, a
        met / not met / unknown :class:`~clinscores.CodedArray`);
        ``domains``: points that counted per category
        (keys ``skin_thickening_proximal_to_mcp``,
        ``skin_thickening_of_fingers``, ``fingertip_lesions``,
        ``telangiectasia``, ``abnormal_nailfold_capillaries``,
        ``pah_and_or_ild``, ``raynaud_phenomenon``,
        ``ssc_related_autoantibodies``). ``entry_met`` is ``None``: this
        criteria set has no entry criterion.

    Raises
    ------
    InputError
        An item that is not a boolean (e.g. ``2``, ``0.5``, ``"yes"``); the
        message names the item (and the index, for arrays).
    TypeError
        An unknown keyword, or items omitted without *others* (the message
        names every one).

    Notes
    -----
    The total is the sum over the eight categories of Table 1, each counted
    at the highest weight of its items present:

    .. math::

        S = 9\\,[\\text{prox}] + \\max(2\\,[\\text{puffy}], 4\\,[\\text{sclerodactyly}])
            + \\max(2\\,[\\text{ulcers}], 3\\,[\\text{pitting}])
            + 2\\,[\\text{telangiectasia}] + 2\\,[\\text{nailfold}]
            + 2\\,[\\text{PAH} \\lor \\text{ILD}] + 3\\,[\\text{Raynaud}]
            + 3\\,[\\text{ACA} \\lor \\text{Scl70} \\lor \\text{RNAP3}]

    and a patient with :math:`S \\ge 9` is classified as having definite
    SSc. The sufficient criterion alone scores 9, so it classifies whatever
    the other items.

    The proximal skin thickening is its own row (category) in Table 1 of the
    publication and is counted here on top of the finger-skin category, so
    a patient with both proximal thickening and sclerodactyly scores 13.
    Some secondary tables merge the 9-point item into the finger-skin
    category (highest weight only), which gives 9 for that patient; the
    classification is the same under both readings.

    The criteria do not apply to patients with skin thickening sparing the
    fingers, nor to patients with a scleroderma-like disorder that better
    explains their manifestations (e.g. nephrogenic sclerosing fibrosis,
    generalised morphoea, eosinophilic fasciitis, scleredema diabeticorum,
    scleromyxoedema, erythromyalgia, porphyria, lichen sclerosus,
    graft-versus-host disease, diabetic cheiroarthropathy). That judgement
    is the user's: this function does not check it.

    Missing items: the result is evaluated with every unknown item absent
    (``points``, ``domains``, lower bound) and with every unknown item
    present (upper bound); the outcome is monotone in the items, so where
    the two agree it is known, elsewhere ``classified`` is ``None``.

    References
    ----------
    .. [1] van den Hoogen F, Khanna D, Fransen J, et al. 2013 classification
       criteria for systemic sclerosis: an American College of
       Rheumatology/European League Against Rheumatism collaborative
       initiative. Arthritis Rheum 2013;65(11):2737-2747.
       doi:10.1002/art.38098. Published simultaneously in Ann Rheum Dis
       2013;72(11):1747-1755, doi:10.1136/annrheumdis-2013-204424 (Table 1:
       items and weights; Table 2: item definitions).

    Examples
    --------
    >>> r = acr_eular_2013(sclerodactyly=True, raynaud_phenomenon=True, anticentromere=True,
    ...                    others=False)
    >>> r.points, r.classified
    (10, True)
    >>> acr_eular_2013(raynaud_phenomenon=True, telangiectasia=None, others=False).classified
    False
    """
    values = (
        skin_thickening_proximal_to_mcp,
        puffy_fingers,
        sclerodactyly,
        digital_tip_ulcers,
        pitting_scars,
        telangiectasia,
        abnormal_nailfold_capillaries,
        pulmonary_arterial_hypertension,
        interstitial_lung_disease,
        raynaud_phenomenon,
        anticentromere,
        anti_topoisomerase_i,
        anti_rna_polymerase_iii,
    )
    full = complete_items(
        "acr_eular_2013", dict(zip(ACR_EULAR_2013_ITEMS, values)), ACR_EULAR_2013_ITEMS, others
    )
    return classify(_rule, *((name, full[name], FLAG) for name in ACR_EULAR_2013_ITEMS))


def _rule(blocks: list[NDArray[Any]], size: int) -> Bounds:
    """The criteria on one block, with unknown items absent (low) and present (high)."""
    present: dict[str, NDArray[np.bool_]] = {}
    possible: dict[str, NDArray[np.bool_]] = {}
    for name, flat in zip(ACR_EULAR_2013_ITEMS, blocks):
        is_present, is_unknown = split_flag(flat)
        present[name] = is_present
        # a yes/no array without missing values (bool) has nothing unknown
        possible[name] = is_present if flat.dtype.kind == "b" else is_present | is_unknown
    low = _domain_points(present, size)
    points_low = _total(low, size)
    points_high = _total(_domain_points(possible, size), size)
    return Bounds(
        points=points_low,
        low=points_low >= ACR_EULAR_2013_THRESHOLD,
        high=points_high >= ACR_EULAR_2013_THRESHOLD,
        domains=low,
    )


def _total(domains: dict[str, NDArray[np.int16]], size: int) -> NDArray[np.int16]:
    total = np.zeros(size, dtype=np.int16)
    for v in domains.values():
        total += v
    return total
