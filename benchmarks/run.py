"""Benchmarks: clinscores against bare numpy and a per-patient Python loop.

Run from a checkout with the package installed::

    python benchmarks/run.py                       # 10^5, 10^6 and 10^7 rows
    python benchmarks/run.py --rows 1000000        # one size
    python benchmarks/run.py --only das28_esr cdai # some instruments
    python benchmarks/run.py --group judgements --rows 1000000 10000000 \
        --write benchmarks/results/judgements.md   # a table of the performance page

For each instrument and size it prints the best-of-N wall time of the library
call (validation included), of the bare numpy expression of the same rule,
and of a per-patient Python loop over the scalar API (timed on a sample of
rows and scaled); the ratios; and the peak memory allocated during the
library call, in multiples of the arrays it returns.

The baselines of the scores are the bare formula (no validation, no
missing-value handling).  The baselines of the judgements (categories,
criteria, responses) compute the library's whole rule, missing values
included, without validation; before timing, the benchmark asserts that a
baseline gives exactly the library's outputs on the benchmark data.
"""

from __future__ import annotations

import argparse
import datetime as dt
import math
import os
import platform
import sys
import time
import tracemalloc
from collections.abc import Callable, Mapping
from typing import Any, Final

import attrs
import numpy as np

from clinscores import Classification, CodedArray
from clinscores.pss import (
    ESSDAI_WEIGHTS,
    acr_eular_2016,
    aecg_2002,
    essdai,
    essdai_activity,
    essdai_mcii,
    esspri_mcii,
    esspri_pass,
)
from clinscores.ra import (
    HAQ_DI_CATEGORIES,
    HAQ_DI_FLAGS,
    HAQ_DI_ITEMS,
    acr_eular_2010,
    acr_eular_boolean_remission,
    acr_response,
    cdai,
    cdai_activity,
    das28_activity,
    das28_crp,
    das28_esr,
    eular_response,
    haq_di,
    sdai,
    sdai_activity,
)
from clinscores.ra.acr_eular_2010 import SEROLOGY_LEVELS
from clinscores.sle import (
    BILAG2004_SYSTEMS,
    SLEDAI2K_WEIGHTS,
    bicla,
    bilag2004,
    doris_remission,
    eular_acr_2019,
    lldas,
    sledai2k,
    sledai2k_activity,
    sledai2k_clinically_important_reduction,
    sri,
)
from clinscores.sle.bilag2004 import (
    BILAG2004_GRADE_CATEGORIES,
    BILAG2004_ITEM_GROUPS,
    BILAG2004_ITEMS,
    bilag2004_1a_or_2b,
)
from clinscores.ssc import ACR_EULAR_2013_ITEMS, acr_eular_2013, criss

Data = dict[str, Any]
LOOP_SAMPLE = 10_000
#: A smaller loop sample where one scalar call is slow (a whole BILAG-2004 form).
LOOP_SAMPLES = {"bilag2004": 500}


def ra_inputs(n: int) -> Data:
    rng = np.random.default_rng(0)
    return {
        "tjc28": rng.integers(0, 29, n),
        "sjc28": rng.integers(0, 29, n),
        "esr": rng.uniform(1, 120, n),
        "crp_mg_l": rng.uniform(0, 100, n),
        "ptga_mm": rng.uniform(0, 100, n),
        "ptga_cm": rng.uniform(0, 10, n),
        "evga_cm": rng.uniform(0, 10, n),
        "crp_mg_dl": rng.uniform(0, 10, n),
    }


def flag_inputs(names: tuple[str, ...]) -> Callable[[int], Data]:
    def make(n: int) -> Data:
        rng = np.random.default_rng(0)
        return {name: rng.random(n) < 0.15 for name in names}

    return make


def essdai_inputs(n: int) -> Data:
    rng = np.random.default_rng(0)
    top = {"constitutional": 2, "glandular": 2, "biological": 2}
    return {
        d: rng.integers(0, top.get(d, 3) + 1, n)
        for d in ESSDAI_WEIGHTS
        if d != "central_nervous_system"
    }


def bare_das28_esr(d: Data) -> Any:
    return (
        0.56 * np.sqrt(d["tjc28"])
        + 0.28 * np.sqrt(d["sjc28"])
        + 0.70 * np.log(d["esr"])
        + 0.014 * d["ptga_mm"]
    )


def bare_das28_crp(d: Data) -> Any:
    return (
        0.56 * np.sqrt(d["tjc28"])
        + 0.28 * np.sqrt(d["sjc28"])
        + 0.36 * np.log(d["crp_mg_l"] + 1)
        + 0.014 * d["ptga_mm"]
        + 0.96
    )


def bare_weighted(weights: dict[str, int]) -> Callable[[Data], Any]:
    def bare(d: Data) -> Any:
        total = np.zeros(len(next(iter(d.values()))))
        for name, values in d.items():
            total += weights[name] * values
        return total

    return bare


_SLE_WEIGHTS = {
    "fever": 2, "leukopenia": 3, "thrombocytopenia": 4, "autoimmune_hemolysis": 4,
    "delirium": 2, "psychosis": 3, "seizure": 5, "non_scarring_alopecia": 2, "oral_ulcers": 2,
    "subacute_cutaneous_lupus": 4, "discoid_lupus": 4, "acute_cutaneous_lupus": 6,
    "pleural_effusion": 5, "pericardial_effusion": 5, "acute_pericarditis": 6,
    "joint_involvement": 6, "proteinuria": 4, "lupus_nephritis_class_ii_or_v": 8,
    "lupus_nephritis_class_iii_or_iv": 10, "antiphospholipid_antibodies": 2, "low_c3": 3,
    "low_c4": 3, "anti_dsdna": 6, "anti_smith": 6,
}  # fmt: skip
_SSC_WEIGHTS = {
    "skin_thickening_proximal_to_mcp": 9, "puffy_fingers": 2, "sclerodactyly": 4,
    "digital_tip_ulcers": 2, "pitting_scars": 3, "telangiectasia": 2,
    "abnormal_nailfold_capillaries": 2, "pulmonary_arterial_hypertension": 2,
    "interstitial_lung_disease": 2, "raynaud_phenomenon": 3, "anticentromere": 3,
    "anti_topoisomerase_i": 3, "anti_rna_polymerase_iii": 3,
}  # fmt: skip


_SLE_DOMAINS = [
    ["fever"], ["leukopenia", "thrombocytopenia", "autoimmune_hemolysis"],
    ["delirium", "psychosis", "seizure"],
    ["non_scarring_alopecia", "oral_ulcers", "subacute_cutaneous_lupus", "discoid_lupus",
     "acute_cutaneous_lupus"],
    ["pleural_effusion", "pericardial_effusion", "acute_pericarditis"], ["joint_involvement"],
    ["proteinuria", "lupus_nephritis_class_ii_or_v", "lupus_nephritis_class_iii_or_iv"],
    ["antiphospholipid_antibodies"], ["low_c3", "low_c4"], ["anti_dsdna", "anti_smith"],
]  # fmt: skip
_SSC_DOMAINS = [
    ["skin_thickening_proximal_to_mcp"], ["puffy_fingers", "sclerodactyly"],
    ["digital_tip_ulcers", "pitting_scars"], ["telangiectasia"],
    ["abnormal_nailfold_capillaries"],
    ["pulmonary_arterial_hypertension", "interstitial_lung_disease"], ["raynaud_phenomenon"],
    ["anticentromere", "anti_topoisomerase_i", "anti_rna_polymerase_iii"],
]  # fmt: skip


#: Measured values drawn around the renal thresholds (form units) and their previous values.
_BILAG_RANGES = {
    78: (100, 200), 79: (60, 120), 82: (0, 200), 83: (0, 200), 84: (0, 3), 86: (40, 300),
    87: (10, 120), 90: (5, 16), 91: (1, 10), 92: (0.5, 8), 93: (0.2, 4), 94: (20, 400),
}  # fmt: skip
#: Items given as float64 with some missing (NaN): the unknowns the grades must handle.
_BILAG_MISSING = (1, 5, 41, 88)


def bilag_inputs(n: int) -> Data:
    """Whole BILAG-2004 forms: 97 items, previous values, attributions, history, a grade.

    Most items are compact (int8 codes, booleans); a few are float64 with 2 %
    missing, 10 % of the renal measured values were not done, the dipstick's
    attribution is not given, and two systems' history has 5 % unknown: the
    grades meet every kind of unknown of the rules.
    """
    rng = np.random.default_rng(0)
    d: Data = {}
    for number, item in BILAG2004_ITEMS.items():
        if item.scale == "0-4":
            codes = rng.choice(5, n, p=[0.9, 0.025, 0.025, 0.025, 0.025])
            d[f"i{number}"] = codes.astype(np.int8)  # compact, as a cohort store would keep it
        elif item.scale == "yes/no":
            d[f"i{number}"] = rng.random(n) < 0.05
        elif number == 81:
            d[f"i{number}"] = rng.integers(0, 4, n, dtype=np.int8)
        else:
            lo, hi = _BILAG_RANGES[number]
            d[f"i{number}"] = rng.uniform(lo, hi, n).round(1)
            if item.system == "renal":
                d[f"i{number}"][rng.random(n) < 0.1] = np.nan  # not done
            d[f"d{number}"] = rng.random(n) < 0.5
    for number in _BILAG_MISSING:
        x = d[f"i{number}"].astype(np.float64)
        x[rng.random(n) < 0.02] = np.nan
        d[f"i{number}"] = x
    for number in (78, 79, 82, 83, 84, 86, 87):
        lo, hi = _BILAG_RANGES[number]
        d[f"p{number}"] = rng.uniform(lo, hi, n).round(1)
    for system in BILAG2004_ITEM_GROUPS.keys() | {"constitutional", "renal", "hematological"}:
        d[f"h:{system}"] = rng.random(n) < 0.5
    for system in ("constitutional", "renal"):
        h = d[f"h:{system}"].astype(np.float64)
        h[rng.random(n) < 0.05] = np.nan
        d[f"h:{system}"] = h
    # TTP present in every form: the haematological grade is the recorded one (text)
    d["i95"] = rng.integers(1, 5, n, dtype=np.int8)
    d["recorded"] = np.full(n, "B")
    return d


def lib_bilag(d: Data) -> Any:
    """All nine grades (CodedArrays), from the whole forms."""
    return bilag2004(
        {int(k[1:]): v for k, v in d.items() if k[0] == "i"},
        previous={int(k[1:]): v for k, v in d.items() if k[0] == "p"},
        due_to_sle={int(k[1:]): v for k, v in d.items() if k[0] == "d"},
        previously_active={k[2:]: v for k, v in d.items() if k[0] == "h"},
        recorded={"hematological": d["recorded"]},
    )


_GROUP_LEVEL = np.array([[0, 2, 3, 3, 3], [0, 1, 2, 2, 2], [0, 1, 1, 1, 1]], dtype=np.int8)
_EPS = 1e-9  # the library's boundary tolerance: a value on a cut-off is decided as written


def _ge(x: Any, y: Any) -> Any:
    return x - y >= -_EPS


def _gt(x: Any, y: Any) -> Any:
    return x - y > _EPS


def _bare_constitutional(d: Data, n: int) -> tuple[Any, Any]:
    """(low, high) levels: pyrexia and two others at 2+ -> A; one of those -> B; any 1+ -> C."""
    out = []
    for ge in (lambda x, k: x >= k, lambda x, k: ~(x < k)):  # unknown taken absent / present
        fever = ge(d["i1"], 2)
        two = sum(ge(d[f"i{k}"], 2).astype(np.int8) for k in (2, 3, 4)) >= 2
        any_item = ge(d["i1"], 1) | ge(d["i2"], 1) | ge(d["i3"], 1) | ge(d["i4"], 1)
        out.append(np.where(fever & two, 3, np.where(fever | two, 2, np.where(any_item, 1, 0))))
    return out[0], out[1]


def _bare_groups(d: Data, groups: Any, n: int) -> tuple[Any, Any]:
    """(low, high) levels of systems 2-7: the highest level an item reaches (unknown: 0 / 4)."""
    low = np.zeros(n, dtype=np.int8)
    high = np.zeros(n, dtype=np.int8)
    for row, items in enumerate(groups):
        if not items:
            continue
        top = np.zeros(n)
        unknown = np.zeros(n, dtype=bool)
        for k in items:
            np.fmax(top, d[f"i{k}"], out=top)
            if d[f"i{k}"].dtype.kind == "f":
                unknown |= np.isnan(d[f"i{k}"])
        level = _GROUP_LEVEL[row][top.astype(np.intp)]
        np.maximum(low, level, out=low)
        np.maximum(high, np.where(unknown, _GROUP_LEVEL[row][4], level), out=high)
    return low, high


def _bare_renal_level(d: Data, n: int, optimistic: bool) -> Any:
    """Renal level (0..3) with unknown attributions and yes/no items counted or not."""
    nan = np.full(n, np.nan)
    v, p = {}, {}
    for k in (78, 79, 81, 82, 83, 84, 86, 87):
        due = d.get(f"d{k}", nan)
        counts = (due != 0) if optimistic else (due == 1)  # bool due: 0/1; missing: NaN
        v[k] = np.where(counts, d[f"i{k}"], np.nan)
        p[k] = d.get(f"p{k}", nan)
    f = {k: (d[f"i{k}"] != 0) if optimistic else (d[f"i{k}"] == 1) for k in (80, 85, 88, 89)}
    dip = np.isnan(d["i82"]) & np.isnan(d["i83"]) & np.isnan(d["i84"])
    kept = {k: np.isnan(p[k]) | _ge(v[k], 0.75 * p[k]) for k in (82, 83, 84)}
    limits_a, limits_b, limits_c = {84: 1.0, 83: 100.0, 82: 100.0}, {84: 0.5}, {84: 0.25}
    limits_b |= {83: 50.0, 82: 50.0}
    limits_c |= {83: 25.0, 82: 25.0}
    a1 = dip & _ge(v[81], 2) & _ge(v[81] - p[81], 2)
    b1 = dip & _ge(v[81], 2) & _ge(v[81] - p[81], 1)
    c1 = dip & _ge(v[81], 1)
    for k in (84, 83, 82):
        a1 |= _gt(v[k], limits_a[k]) & kept[k]
        b1 |= _ge(v[k], limits_b[k]) & kept[k]
        c1 |= _gt(v[k], limits_c[k])
    a3 = (_gt(v[86], 130.0) & _ge(v[86], 1.30 * p[86])) | (
        _gt(80.0, v[87]) & _ge(0.67 * p[87], v[87])
    )
    a3 |= _gt(50.0, v[87]) & (np.isnan(p[87]) | _gt(p[87], 50.0))
    b2 = _gt(v[86], 130.0) & _ge(v[86], 1.15 * p[86])
    c2 = _gt(v[78], 140.0) & _gt(v[79], 90.0) & _ge(v[78] - p[78], 30.0) & _ge(v[79] - p[79], 15.0)
    count = sum(x.astype(np.int8) for x in (a1, f[80], a3, f[88], f[89], f[85]))
    a = (count >= 2) & (a1 | f[88] | f[89])
    b = (count >= 1) | b1 | b2
    return np.where(a, 3, np.where(b, 2, np.where(c1 | c2, 1, 0)))


def _bare_hematological(d: Data, n: int) -> tuple[Any, Any]:
    """(low, high): a feature present 1..3 (graded as recorded), none 0, unknown 0..3."""
    present = (d["i95"] >= 1) | (d["i96"] == 1) | (d["i97"] == 1)
    possible = (d["i95"] != 0) | (d["i96"] != 0) | (d["i97"] != 0)
    for k in (90, 91, 92, 93, 94):
        present |= ~np.isnan(d[f"i{k}"]) & (d[f"d{k}"] == 1)
        possible |= np.isnan(d[f"i{k}"]) | (d[f"d{k}"] != 0)
    return np.where(present, 1, 0), np.where(possible, 3, 0)


def bare_bilag(d: Data) -> Any:
    """Bare numpy of all nine systems' rules (no validation), unknowns as the library.

    Each system's level (0 none, 1 C, 2 B, 3 A) with every unknown taken at its
    least and at its most active; the grade is known where both agree, D or E
    by the history when no activity; a recorded grade fills the rest.  Int8
    codes E 0 .. A 4, -1 unknown.
    """
    n = len(d["i1"])
    levels = {"constitutional": _bare_constitutional(d, n)}
    for system, groups in BILAG2004_ITEM_GROUPS.items():
        levels[system] = _bare_groups(d, groups, n)
    levels["renal"] = (_bare_renal_level(d, n, False), _bare_renal_level(d, n, True))
    levels["hematological"] = _bare_hematological(d, n)
    recorded = np.full(n, -1, dtype=np.int8)
    for code, grade in enumerate("EDCBA"):
        recorded[d["recorded"] == grade] = code
    out = {}
    for system, (low, high) in levels.items():
        history = d.get(f"h:{system}", np.full(n, np.nan))
        inactive = np.where(history == 1, 1, np.where(history == 0, 0, -1))
        code = np.where(low == high, np.where(low > 0, low + 1, inactive), -1).astype(np.int8)
        out[system] = np.where(recorded >= 0, recorded, code) if system == "hematological" else code
    return out


def grade_inputs(n: int) -> Data:
    """Nine systems' grade codes (E 0 .. A 4, -1 unknown: 2 %), as bilag2004's CodedArrays hold."""
    rng = np.random.default_rng(0)
    out: Data = {}
    for system in BILAG2004_SYSTEMS:
        codes = rng.choice(5, n, p=[0.3, 0.3, 0.2, 0.15, 0.05]).astype(np.int8)
        codes[rng.random(n) < 0.02] = -1
        out[system] = codes
    return out


def _graded(codes: Any) -> Any:
    """Grade codes as bilag2004 gives them: a CodedArray, or for one form "A".."E" / None."""
    if isinstance(codes, np.ndarray):
        return CodedArray.from_codes(codes, BILAG2004_GRADE_CATEGORIES)
    return None if codes < 0 else BILAG2004_GRADE_CATEGORIES[codes]


def bare_1a_or_2b(codes: list[Any]) -> Any:
    """At least one A or two B over the nine grade codes (E 0 .. A 4, -1 unknown): 1/0/-1."""
    a = np.zeros(codes[0].size, dtype=bool)
    b = np.zeros(codes[0].size, dtype=np.int8)
    unknown = np.zeros(codes[0].size, dtype=bool)
    for c in codes:
        a |= c == 4
        b += c == 3
        unknown |= c < 0
    met = a | (b >= 2)
    return np.where(met, 1, np.where(unknown, -1, 0)).astype(np.int8)


# name -> (library call, bare numpy, input maker)
CASES: dict[str, tuple[Callable[[Data], Any], Callable[[Data], Any], Callable[[int], Data]]] = {
    "das28_esr": (
        lambda d: das28_esr(d["tjc28"], d["sjc28"], d["esr"], d["ptga_mm"]),
        bare_das28_esr,
        ra_inputs,
    ),
    "das28_crp": (
        lambda d: das28_crp(d["tjc28"], d["sjc28"], d["crp_mg_l"], d["ptga_mm"]),
        bare_das28_crp,
        ra_inputs,
    ),
    "cdai": (
        lambda d: cdai(d["tjc28"], d["sjc28"], d["ptga_cm"], d["evga_cm"]),
        lambda d: d["tjc28"] + d["sjc28"] + d["ptga_cm"] + d["evga_cm"],
        ra_inputs,
    ),
    "sdai": (
        lambda d: sdai(d["tjc28"], d["sjc28"], d["ptga_cm"], d["evga_cm"], d["crp_mg_dl"]),
        lambda d: d["tjc28"] + d["sjc28"] + d["ptga_cm"] + d["evga_cm"] + d["crp_mg_dl"],
        ra_inputs,
    ),
    "sledai2k": (
        lambda d: sledai2k(**d),
        bare_weighted(dict(SLEDAI2K_WEIGHTS)),
        flag_inputs(tuple(SLEDAI2K_WEIGHTS)),
    ),
    # central_nervous_system (levels 0, 2, 3) is not drawn: no activity (others=0)
    "essdai": (lambda d: essdai(**d, others=0), bare_weighted(dict(ESSDAI_WEIGHTS)), essdai_inputs),
    "bilag2004": (lib_bilag, bare_bilag, bilag_inputs),
    "bilag2004_1a_or_2b": (
        lambda d: bilag2004_1a_or_2b({s: _graded(d[s]) for s in BILAG2004_SYSTEMS}),
        lambda d: bare_1a_or_2b([d[s] for s in BILAG2004_SYSTEMS]),
        grade_inputs,
    ),
}


# --------------------------------------------------------------------------
# response instruments (HAQ-DI, ACR20/50/70, ESSPRI MCII, CRISS)
# --------------------------------------------------------------------------


def haq_inputs(n: int) -> Data:
    rng = np.random.default_rng(0)
    data: Data = {item: rng.integers(0, 4, n) for item in HAQ_DI_ITEMS}
    for flag in HAQ_DI_FLAGS:
        data[flag] = rng.random(n) < 0.1
    return data


def bare_haq_di(d: Data) -> Any:
    total = np.zeros(len(d["cut_meat"]))
    for c, items in HAQ_DI_CATEGORIES.items():
        score = d[items[0]]
        for item in items[1:]:
            score = np.maximum(score, d[item])
        used = d.get(f"{c}_aids", False) | d[f"{c}_help"]
        total += np.where(used, np.maximum(score, 2), score)
    return total / 8


_ACR_LIMITS = {
    "tjc28": 28, "sjc28": 28, "ptga_mm": 100, "evga_mm": 100, "pain_mm": 100, "haq_di": 3,
    "crp_mg_l": 50,
}  # fmt: skip


def acr_inputs(n: int) -> Data:
    rng = np.random.default_rng(0)
    data: Data = {}
    for key, hi in _ACR_LIMITS.items():
        if key in ("tjc28", "sjc28"):
            b = rng.integers(1, hi + 1, n)
            c = np.minimum(hi, (b * rng.uniform(0.1, 1.2, n)).astype(np.int64))
        else:
            b = rng.uniform(0.5, hi, n).round(1)
            c = np.minimum(hi, b * rng.uniform(0.1, 1.2, n)).round(1)
        data[f"b_{key}"], data[f"c_{key}"] = b, c
    return data


def _visits(d: Data) -> tuple[Data, Data]:
    return (
        {k[2:]: v for k, v in d.items() if k.startswith("b_")},
        {k[2:]: v for k, v in d.items() if k.startswith("c_")},
    )


_CRISS_KEYS = ("mrss", "fvc_pct_predicted", "ptga_0_10", "mdga_0_10", "haq_di")


def criss_inputs(n: int) -> Data:
    rng = np.random.default_rng(0)
    b = {
        "mrss": rng.integers(10, 40, n),
        "fvc_pct_predicted": rng.uniform(50, 110, n).round(1),
        "ptga_0_10": rng.integers(0, 11, n).astype(float),
        "mdga_0_10": rng.integers(0, 11, n).astype(float),
        "haq_di": rng.integers(0, 25, n) / 8,
    }
    c = {
        "mrss": np.clip(b["mrss"] + rng.integers(-15, 6, n), 0, 51),
        "fvc_pct_predicted": (b["fvc_pct_predicted"] + rng.uniform(-15, 10, n)).round(1),
        "ptga_0_10": np.clip(b["ptga_0_10"] + rng.integers(-4, 3, n), 0, 10),
        "mdga_0_10": np.clip(b["mdga_0_10"] + rng.integers(-4, 3, n), 0, 10),
        "haq_di": np.clip(b["haq_di"] + rng.integers(-6, 3, n) / 8, 0, 3),
    }
    data: Data = {f"b_{k}": v for k, v in b.items()}
    data.update({f"c_{k}": v for k, v in c.items()})
    data["renal_crisis"] = rng.random(n) < 0.02
    return data


CASES.update({"haq_di": (lambda d: haq_di(**d), bare_haq_di, haq_inputs)})


# --------------------------------------------------------------------------
# judgements (issue 20): honest baselines, asserted equal before timing
# --------------------------------------------------------------------------
#
# Each baseline below computes the library's rule, in plain numpy over whole
# arrays and without validation: the same inputs, the same cut-offs applied
# to the values as reported (half-up), the same outcome for missing values
# (NaN inputs give unknown, code -1), and the same outputs (int8 codes of
# every judgement, and the numbers the library returns beside them).  The
# benchmark data hold missing values, and main() asserts that library and
# baseline agree on them before anything is timed.

MISSING = 0.02  # share of missing values in the columns that have some


def _with_missing(x: Any, rng: np.random.Generator) -> Any:
    y = np.array(x, dtype=np.float64)
    y[rng.random(y.size) < MISSING] = np.nan
    return y


def _units(x: Any, decimals: int) -> Any:
    """Half-up rounding of non-negative values, in units of 10**-decimals (NaN stays)."""
    return np.floor(np.round(x * 10.0**decimals, 9) + 0.5)


def _tristate(met: Any, known: Any) -> Any:
    return np.where(known, met, -1).astype(np.int8)


def score_missing_inputs(n: int) -> Data:
    rng = np.random.default_rng(0)
    return {"score": _with_missing(rng.uniform(0, 9, n), rng)}


def bare_activity(decimals: int, cuts: list[tuple[float, bool]]) -> Callable[[Data], Any]:
    """Categories of a score: half-up to *decimals*, then (cut-off, cut-off in the lower)."""

    def bare(d: Data) -> Any:
        units = _units(d["score"], decimals)
        code = np.zeros(units.shape, dtype=np.int8)
        for cut, lower in cuts:
            c = round(cut * 10**decimals)
            code += (units > c) if lower else (units >= c)
        code[np.isnan(units)] = -1
        return code

    return bare


def activity_inputs(hi: float, decimals: int) -> Callable[[int], Data]:
    def make(n: int) -> Data:
        rng = np.random.default_rng(0)
        x = rng.uniform(0, hi, n)
        if decimals == 0:
            x = np.floor(x)
        return {"score": _with_missing(x, rng)}

    return make


def pair_inputs(hi: float, decimals: int, fall: float = 0.6) -> Callable[[int], Data]:
    """Baseline and current values of a score (current = baseline times 0.5..1.1)."""

    def make(n: int) -> Data:
        rng = np.random.default_rng(0)
        b = rng.uniform(0, hi, n).round(decimals)
        c = np.clip(b * rng.uniform(fall - 0.1, 1.1, n), 0, hi).round(decimals)
        return {"baseline": _with_missing(b, rng), "current": _with_missing(c, rng)}

    return make


def bare_eular_response(d: Data) -> Any:
    b, c = _units(d["baseline"], 2), _units(d["current"], 2)
    imp = b - c
    good = (imp > 120) & (c <= 320)
    moderate = ((imp > 120) & (c > 320)) | ((imp > 60) & (imp <= 120) & (c <= 510))
    code = good.astype(np.int8) * 2 + moderate
    code[np.isnan(imp)] = -1
    return code


def bare_reduction(points: int, percent: int | None, decimals: int) -> Callable[[Data], Any]:
    """A fall of at least *points* (or *percent* % of baseline), as reported."""

    def bare(d: Data) -> Any:
        b, c = _units(d["baseline"], decimals), _units(d["current"], decimals)
        fall = b - c
        met = fall >= points * 10**decimals
        if percent is not None:
            met |= (b > 0) & (fall * 100 >= percent * b)
        return _tristate(met, ~(np.isnan(b) | np.isnan(c)))

    return bare


def bare_esspri_pass(d: Data) -> Any:
    units = _units(d["score"], 2)
    return _tristate(units < 500, ~np.isnan(units))


def remission_inputs(n: int) -> Data:
    rng = np.random.default_rng(0)
    return {
        "tjc28": rng.integers(0, 4, n),
        "sjc28": rng.integers(0, 4, n),
        "crp_mg_dl": _with_missing(rng.uniform(0, 2, n).round(2), rng),
        "ptga_cm": _with_missing(rng.uniform(0, 3, n).round(1), rng),
    }


def bare_boolean_remission(d: Data) -> Any:
    """Every measure <= 1 (2011): not met as soon as one known measure is above."""
    failed = np.zeros(len(d["tjc28"]), dtype=bool)
    known = np.ones(len(d["tjc28"]), dtype=bool)
    for key in ("tjc28", "sjc28", "crp_mg_dl", "ptga_cm"):
        x = d[key]
        failed |= x > 1.0
        known &= ~np.isnan(x) if x.dtype.kind == "f" else True
    code = np.where(failed, 0, np.where(known, 1, -1)).astype(np.int8)
    return code


def criteria_inputs(names: tuple[str, ...], missing: tuple[str, ...]) -> Callable[[int], Data]:
    """Yes/no items: booleans, and the items *missing* as 1.0/0.0 with missing values."""

    def make(n: int) -> Data:
        rng = np.random.default_rng(0)
        d: Data = {}
        for name in names:
            x = rng.random(n) < 0.15
            d[name] = _with_missing(x, rng) if name in missing else x
        return d

    return make


def _present(x: Any) -> tuple[Any, Any]:
    """(present, present or unknown) of a yes/no column (bool, or float with NaN)."""
    if x.dtype == bool:
        return x, x
    return x == 1.0, ~(x == 0.0)


def _max_per_domain(
    d: Data, domains: list[list[str]], weights: dict[str, int], which: int
) -> list[Any]:
    out = []
    for items in domains:
        best = np.zeros(len(next(iter(d.values()))), dtype=np.int16)
        for item in items:
            np.maximum(best, weights[item] * _present(d[item])[which], out=best)
        out.append(best)
    return out


_SLE_DOMAIN_NAMES = [
    "constitutional", "hematologic", "neuropsychiatric", "mucocutaneous", "serosal",
    "musculoskeletal", "renal", "antiphospholipid_antibodies", "complement_proteins",
    "sle_specific_antibodies",
]  # fmt: skip
_SSC_DOMAIN_NAMES = [
    "skin_thickening_proximal_to_mcp", "skin_thickening_of_fingers", "fingertip_lesions",
    "telangiectasia", "abnormal_nailfold_capillaries", "pah_and_or_ild", "raynaud_phenomenon",
    "ssc_related_autoantibodies",
]  # fmt: skip


def bare_eular_acr_2019(d: Data) -> Any:
    """ANA (given: True) and >= 10 points with a clinical criterion; C3 and C4 both low: 4.

    Every unknown taken absent (low) and present (high): known where both agree.
    """
    bounds = []
    for which in (0, 1):
        dom = _max_per_domain(d, _SLE_DOMAINS, _SLE_WEIGHTS, which)
        c3, c4 = _present(d["low_c3"])[which], _present(d["low_c4"])[which]
        dom[8][c3 & c4] = 4
        total = np.sum(dom, axis=0, dtype=np.int16)
        clinical = np.any(np.array(dom[:7]) > 0, axis=0)
        bounds.append((dom, total, (total >= 10) & clinical))
    (dom, total, low), (_, _, high) = bounds
    out = {"points": total, "classified": _tristate(low, low == high)}
    out["entry_met"] = np.ones(total.size, dtype=np.int8)  # ana_positive=True
    out.update({f"domain:{k}": v for k, v in zip(_SLE_DOMAIN_NAMES, dom)})
    return out


def bare_acr_eular_2013(d: Data) -> Any:
    """>= 9 points, each category at its highest item; unknowns taken both ways."""
    (dom, low), (_, high) = (
        (lambda dom: (dom, np.sum(dom, axis=0, dtype=np.int16) >= 9))(
            _max_per_domain(d, _SSC_DOMAINS, _SSC_WEIGHTS, which)
        )
        for which in (0, 1)
    )
    out = {"points": np.sum(dom, axis=0, dtype=np.int16), "classified": _tristate(low, low == high)}
    out.update({f"domain:{k}": v for k, v in zip(_SSC_DOMAIN_NAMES, dom)})
    return out


_ACR_DECIMALS = {
    "tjc28": 0, "sjc28": 0, "ptga_mm": 1, "evga_mm": 1, "pain_mm": 1, "haq_di": 3, "crp_mg_l": 1,
}  # fmt: skip


def acr_missing_inputs(n: int) -> Data:
    d = acr_inputs(n)
    rng = np.random.default_rng(1)
    for key in ("c_haq_di", "c_crp_mg_l", "b_pain_mm"):
        d[key] = _with_missing(d[key], rng)
    return d


def bare_acr_response(d: Data) -> Any:
    """ACR20/50/70 in exact reported units: joints and 3 of 5 others improved by X %.

    A baseline of 0 is not improved; a missing measure taken not improved
    (low) and improved (high); the level from the lowest up.
    """
    b, c = _visits(d)
    units = {k: (_units(b[k], p), _units(c[k], p)) for k, p in _ACR_DECIMALS.items()}
    out: Data = {}
    with np.errstate(invalid="ignore", divide="ignore"):
        for k, (ub, uc) in units.items():
            out[f"improvement:{k}"] = np.where(ub > 0, (ub - uc) * 100.0 / ub, np.nan)
    n = len(b["tjc28"])
    level = np.full(n, np.nan)
    known_met = {}
    for x in (20, 50, 70):
        bound = []
        for which in (0, 1):
            ok = {}
            for k, (ub, uc) in units.items():
                imp = (ub > 0) & ((ub - uc) * 100 >= x * ub)
                ok[k] = imp | (np.isnan(ub) | np.isnan(uc)) if which else imp
            others = sum(ok[k].astype(np.int8) for k in units if k not in ("tjc28", "sjc28"))
            bound.append(ok["tjc28"] & ok["sjc28"] & (others >= 3))
        low, high = bound
        known_met[x] = (low, low == high)
        out[f"acr{x}"] = _tristate(low, low == high)
    level[known_met[20][1] & ~known_met[20][0]] = 0
    for lower, upper in ((20, 50), (50, 70)):
        level[known_met[lower][0] & known_met[lower][1] & known_met[upper][1]
              & ~known_met[upper][0]] = lower  # fmt: skip
    level[known_met[70][0] & known_met[70][1]] = 70
    out["level"] = level
    return out


def criss_missing_inputs(n: int) -> Data:
    d = criss_inputs(n)
    rng = np.random.default_rng(1)
    for key in ("c_fvc_pct_predicted", "c_haq_di"):
        d[key] = _with_missing(d[key], rng)
    d["renal_crisis"] = _with_missing(d["renal_crisis"], rng)
    return d


_CRISS_COEF = {"mrss": -0.81, "fvc_pct_predicted": 0.21, "ptga_0_10": -0.40,
               "mdga_0_10": -0.44, "haq_di": -3.41}  # fmt: skip


def bare_criss_full(d: Data) -> Any:
    """CRISS step 1 (renal crisis, FVC fall >= 15 % to < 80 %) then the logistic model."""
    b, c = _visits(d)
    z = np.full(len(b["mrss"]), -5.54)
    for k, coef in _CRISS_COEF.items():
        z += coef * (c[k] - b[k])
    with np.errstate(over="ignore"):
        p = 1.0 / (1.0 + np.exp(-z))
    fb, fc = _units(b["fvc_pct_predicted"], 1), _units(c["fvc_pct_predicted"], 1)
    fall = (fb > 0) & ((fb - fc) * 100 >= 15 * fb) & (fc < 800)
    fvc_known = ~(np.isnan(fb) | np.isnan(fc))
    renal = d["renal_crisis"]
    worse = fall | (renal == 1.0)
    none = fvc_known & ~fall & (renal == 0.0)
    probability = np.where(worse, 0.0, np.where(none, p, np.nan))
    units = _units(probability, 2)
    return {
        "probability": probability,
        "improved": _tristate(units >= 60, ~np.isnan(units)),
        "organ_worsening": np.where(worse, 1, np.where(none, 0, -1)).astype(np.int8),
    }


def _criss_full(d: Data) -> Any:
    b, c = _visits(d)
    return criss(b, c, renal_crisis=d["renal_crisis"])


def _acr_full(d: Data) -> Any:
    b, c = _visits(d)
    return acr_response(b, c)


def ra2010_inputs(n: int) -> Data:
    """RF and ACPA as a cohort keeps them: the levels of serology_level (CodedArray)."""
    rng = np.random.default_rng(0)

    def level() -> Any:
        codes = rng.integers(-1, 3, n).astype(np.int8)  # -1: not measured
        return CodedArray.from_codes(codes, SEROLOGY_LEVELS)

    return {
        "large_joints": _with_missing(rng.integers(0, 11, n), rng),
        "small_joints": _with_missing(rng.integers(0, 12, n), rng),
        "rf": level(),
        "acpa": level(),
        "abnormal_crp": _with_missing(rng.random(n) < 0.4, rng),
        "abnormal_esr": rng.random(n) < 0.4,
        "symptom_duration_weeks": _with_missing(rng.uniform(0, 20, n).round(), rng),
    }


def bare_acr_eular_2010(d: Data) -> Any:
    """Joints 0-5, serology 0/2/3, acute phase 1, duration >= 6 weeks 1; >= 6 points and
    at least one joint involved; each unknown taken absent (low) and at its worst (high)."""
    large, small = d["large_joints"], d["small_joints"]
    total = large + small
    joints = np.where(
        small == 0,
        np.where(large >= 2, 1.0, 0.0),
        np.where(total > 10, 5.0, np.where(small >= 4, 3.0, 2.0)),
    )
    jk = ~np.isnan(total)
    joints_low, joints_high = np.where(jk, joints, 0.0), np.where(jk, joints, 5.0)

    points = np.array([0.0, 2.0, 3.0, np.nan])  # negative, low, high positive; -1 unknown
    rf, acpa = points[d["rf"].codes], points[d["acpa"].codes]
    sero_low = np.nan_to_num(np.fmax(rf, acpa))  # NaN only when both are unknown
    sero_high = np.where(np.isnan(rf) | np.isnan(acpa), 3.0, sero_low)
    crp_p, crp_h = _present(d["abnormal_crp"])
    esr_p, esr_h = _present(d["abnormal_esr"])
    acute_low, acute_high = crp_p | esr_p, crp_h | esr_h
    weeks = d["symptom_duration_weeks"]
    dur_low = weeks >= 6
    dur_high = dur_low | np.isnan(weeks)
    entry_low = np.nan_to_num(total) >= 1
    entry_high = entry_low | np.isnan(large) | np.isnan(small)
    low = joints_low + sero_low + acute_low + dur_low
    high = joints_high + sero_high + acute_high + dur_high
    c_low, c_high = (low >= 6) & entry_low, (high >= 6) & entry_high
    return {
        "points": low.astype(np.int16),
        "classified": _tristate(c_low, c_low == c_high),
        "entry_met": _tristate(entry_low, entry_low == entry_high),
        "domain:joints": joints_low.astype(np.int16),
        "domain:serology": sero_low.astype(np.int16),
        "domain:acute_phase": acute_low.astype(np.int16),
        "domain:duration": dur_low.astype(np.int16),
    }


def pss2016_inputs(n: int) -> Data:
    rng = np.random.default_rng(0)
    return {
        "focus_score": _with_missing(rng.uniform(0, 3, n).round(1), rng),
        "anti_ssa": _with_missing(rng.random(n) < 0.4, rng),
        "ocular_staining_score": _with_missing(rng.integers(0, 13, n), rng),
        "schirmer_mm_5min": _with_missing(rng.uniform(0, 35, n).round(), rng),
        "unstimulated_saliva_ml_min": _with_missing(rng.uniform(0, 0.5, n).round(2), rng),
        "van_bijsterveld_score": _with_missing(rng.integers(0, 10, n), rng),
        "entry_met": rng.random(n) < 0.9,
        "exclusion": rng.random(n) < 0.05,
    }


def bare_acr_eular_2016(d: Data) -> Any:
    """focus >= 1 and anti-SSA 3 each; OSS >= 5 (or vB >= 4), Schirmer <= 5, saliva <= 0.1
    1 each; >= 4 points, entry met (or unknown) and not excluded."""

    def r9(x: Any) -> Any:
        return np.round(x, 9)

    f, o, v = r9(d["focus_score"]), r9(d["ocular_staining_score"]), r9(d["van_bijsterveld_score"])
    s, u = r9(d["schirmer_mm_5min"]), r9(d["unstimulated_saliva_ml_min"])
    ssa_p, ssa_h = _present(d["anti_ssa"])
    ocular = (o >= 5) | (v >= 4)
    items = {
        "focus_score": (3, f >= 1.0, (f >= 1.0) | np.isnan(f)),
        "anti_ssa": (3, ssa_p, ssa_h),
        "ocular_staining": (1, ocular, ocular | (np.isnan(o) & np.isnan(v))),
        "schirmer": (1, s <= 5.0, (s <= 5.0) | np.isnan(s)),
        "unstimulated_saliva": (1, u <= 0.1, (u <= 0.1) | np.isnan(u)),
    }
    out: Data = {}
    low = np.zeros(len(f), dtype=np.int16)
    high = np.zeros(len(f), dtype=np.int16)
    for key, (w, present, possible) in items.items():
        out[f"domain:{key}"] = (present * w).astype(np.int16)
        low += out[f"domain:{key}"]
        high += possible * w
    entry = d["entry_met"]
    allowed = entry & ~d["exclusion"]  # entry and exclusion known here (booleans)
    c_low, c_high = (low >= 4) & allowed, (high >= 4) & allowed
    out.update(
        points=low,
        classified=_tristate(c_low, c_low == c_high),
        entry_met=entry.astype(np.int8),
    )
    return out


_AECG = ("ocular_symptoms", "oral_symptoms", "ocular_signs", "histopathology",
         "salivary_involvement", "autoantibodies")  # fmt: skip


def bare_aecg_2002(d: Data) -> Any:
    """4 of 6 items with histopathology or autoantibodies, or 3 of the 4 objective ones;
    not excluded; unknown items taken absent (low) and present (high)."""
    bounds = []
    for which in (0, 1):
        items = {k: _present(d[k])[which] for k in _AECG}
        total = np.sum([items[k] for k in _AECG], axis=0, dtype=np.int16)
        objective = np.sum([items[k] for k in _AECG[2:]], axis=0, dtype=np.int16)
        key = items["histopathology"] | items["autoantibodies"]
        bounds.append((((total >= 4) & key) | (objective >= 3)) & ~d["exclusion"])
        if which == 0:
            points, domains = total, {f"domain:{k}": items[k].astype(np.int16) for k in _AECG}
    low, high = bounds
    return {"points": points, "classified": _tristate(low, low == high), **domains}


def doris_inputs(n: int) -> Data:
    rng = np.random.default_rng(0)
    return {
        "clinical_sledai": _with_missing(rng.integers(0, 3, n), rng),
        "pga": _with_missing(rng.uniform(0, 1, n).round(2), rng),
        "prednisolone_mg_day": _with_missing(rng.uniform(0, 8, n).round(1), rng),
        "treatment_permitted": rng.random(n) < 0.9,
    }


def bare_doris(d: Data) -> Any:
    """Clinical SLEDAI-2K 0, PGA < 0.5, prednisolone <= 5 mg/day (as reported, 2 decimals),
    treatment permitted: not met as soon as one known part fails."""
    score = d["clinical_sledai"]
    pga, dose = _units(d["pga"], 2), _units(d["prednisolone_mg_day"], 2)
    permitted = d["treatment_permitted"]
    met = (score == 0) & (pga < 50) & (dose <= 500) & permitted
    failed = (score > 0) | (pga >= 50) | (dose > 500) | ~permitted
    return np.where(failed, 0, np.where(met, 1, -1)).astype(np.int8)


def lldas_inputs(n: int) -> Data:
    rng = np.random.default_rng(0)
    d: Data = {}
    for k in SLEDAI2K_WEIGHTS:
        cur = rng.random(n) < 0.05
        d[f"c_{k}"] = _with_missing(cur, rng) if k in ("rash", "arthritis") else cur
        d[f"p_{k}"] = cur & (rng.random(n) < 0.8)  # most features were there before
    d.update(
        other_new_activity=rng.random(n) < 0.05,
        hemolytic_anemia=rng.random(n) < 0.02,
        gastrointestinal_activity=rng.random(n) < 0.02,
        pga=_with_missing(rng.uniform(0, 2, n).round(2), rng),
        prednisolone_mg_day=_with_missing(rng.uniform(0, 10, n).round(1), rng),
        immunosuppressants_tolerated=rng.random(n) < 0.95,
    )
    return d


_LLDAS_MAJOR = {
    "urinary_casts", "hematuria", "proteinuria", "pyuria", "seizure", "psychosis",
    "organic_brain_syndrome", "visual_disturbance", "cranial_nerve_disorder", "lupus_headache",
    "cva", "pleurisy", "pericarditis", "vasculitis", "fever",
}  # fmt: skip


def _lldas_call(d: Data) -> Any:
    return lldas(
        descriptors={k: d[f"c_{k}"] for k in SLEDAI2K_WEIGHTS},
        previous_descriptors={k: d[f"p_{k}"] for k in SLEDAI2K_WEIGHTS},
        **{k: v for k, v in d.items() if not k.startswith(("c_", "p_"))},
    )


def bare_lldas(d: Data) -> Any:
    """SLEDAI-2K <= 4 (unknown descriptors bounding it), no major organ activity, no
    haemolysis or GI activity, no new feature, PGA <= 1, prednisolone <= 7.5 mg/day (as
    reported), immunosuppressants tolerated; not met as soon as one known part fails."""
    n = len(d["pga"])
    low, high = np.zeros(n), np.zeros(n)
    met = np.ones(n, dtype=bool)
    failed = np.zeros(n, dtype=bool)
    for k, w in SLEDAI2K_WEIGHTS.items():
        c, p = d[f"c_{k}"], d[f"p_{k}"]
        c_yes, c_no = (c, ~c) if c.dtype == bool else (c == 1.0, c == 0.0)
        p_yes, p_no = (p, ~p) if p.dtype == bool else (p == 1.0, p == 0.0)
        low += w * c_yes
        high += w * ~c_no
        if k in _LLDAS_MAJOR:
            met &= c_no
            failed |= c_yes
        met &= c_no | p_yes  # no new feature
        failed |= c_yes & p_no
    met &= high <= 4
    failed |= low > 4
    for k in ("other_new_activity", "hemolytic_anemia", "gastrointestinal_activity"):
        met &= ~d[k]
        failed |= d[k]
    pga, dose = _units(d["pga"], 2), _units(d["prednisolone_mg_day"], 2)
    met &= (pga <= 100) & (dose <= 750) & d["immunosuppressants_tolerated"]
    failed |= (pga > 100) | (dose > 750) | ~d["immunosuppressants_tolerated"]
    return np.where(failed, 0, np.where(met, 1, -1)).astype(np.int8)


_GRADE_CATEGORIES = ("E", "D", "C", "B", "A")  # as bilag2004 returns them, lowest first


def sri_inputs(n: int) -> Data:
    """SLEDAI-2K and PGA at two visits; the nine BILAG-2004 grades of each as bilag2004
    gives them on arrays (CodedArray, some unknown)."""
    rng = np.random.default_rng(0)
    d: Data = {
        "sb": _with_missing(rng.integers(4, 30, n), rng),
        "sc": _with_missing(rng.integers(0, 30, n), rng),
        "pb": _with_missing(rng.uniform(0, 3, n).round(2), rng),
        "pc": _with_missing(rng.uniform(0, 3, n).round(2), rng),
    }
    p = [0.05, 0.15, 0.2, 0.3, 0.3]  # mostly D and E: few new A or B
    for visit in ("b", "c"):
        for s in BILAG2004_SYSTEMS:
            codes = rng.choice(5, n, p=p[::-1]).astype(np.int8)
            codes[rng.random(n) < MISSING] = -1
            d[f"{visit}_{s}"] = CodedArray.from_codes(codes, _GRADE_CATEGORIES)
    return d


def _grade_maps(d: Data) -> tuple[dict[str, Any], dict[str, Any]]:
    """The nine systems' grades at baseline and now, as sri and bicla take them."""
    return (
        {s: d[f"b_{s}"] for s in BILAG2004_SYSTEMS},
        {s: d[f"c_{s}"] for s in BILAG2004_SYSTEMS},
    )


def _sri_call(d: Data) -> Any:
    return sri(d["sb"], d["sc"], *_grade_maps(d), d["pb"], d["pc"])


def bare_sri(d: Data) -> Any:
    """SRI-4: SLEDAI-2K fell by >= 4, no new BILAG A and at most one new B (an unknown
    grade counted as possibly new), PGA rise < 0.30 (as reported); failure wins."""
    n = len(d["sb"])
    new_a, maybe_a = np.zeros(n, dtype=bool), np.zeros(n, dtype=bool)
    new_b, maybe_b = np.zeros(n, dtype=np.int8), np.zeros(n, dtype=np.int8)
    for s in BILAG2004_SYSTEMS:
        b, c = d[f"b_{s}"].codes, d[f"c_{s}"].codes  # A 4, B 3, C..E 2..0, unknown -1
        b_unknown, c_unknown = b < 0, c < 0
        not_a_before = ~b_unknown & (b != 4)
        new_a |= (c == 4) & not_a_before
        maybe_a |= ((c == 4) | c_unknown) & (not_a_before | b_unknown)
        lower_before = ~b_unknown & (b <= 2)
        new_b += (c == 3) & lower_before
        maybe_b += ((c == 3) | c_unknown) & (lower_before | b_unknown)
    fall = d["sb"] - d["sc"]
    rise = _units(d["pc"], 2) - _units(d["pb"], 2)
    met = (fall >= 4) & ~maybe_a & (maybe_b <= 1) & (rise < 30)
    failed = (fall < 4) | new_a | (new_b >= 2) | (rise >= 30)
    return np.where(failed, 0, np.where(met, 1, -1)).astype(np.int8)


def bicla_inputs(n: int) -> Data:
    """SRI-4's visits (:func:`sri_inputs`) and a treatment-failure flag (10 % yes, some unknown)."""
    d = sri_inputs(n)
    rng = np.random.default_rng(1)
    d["fail"] = _with_missing(rng.random(n) < 0.1, rng)
    return d


def _bicla_call(d: Data) -> Any:
    return bicla(d["sb"], d["sc"], *_grade_maps(d), d["pb"], d["pc"], d["fail"])


def bare_bicla(d: Data) -> Any:
    """BICLA: every baseline A now B..E and every B now C..E, no new A and at most one
    new B, SLEDAI-2K not higher, PGA rise < 0.30 (as reported), no treatment failure;
    an unknown input undecided unless another condition fails."""
    n = len(d["sb"])
    new_a, maybe_a = np.zeros(n, dtype=bool), np.zeros(n, dtype=bool)
    new_b, maybe_b = np.zeros(n, dtype=np.int8), np.zeros(n, dtype=np.int8)
    improved, worse = np.ones(n, dtype=bool), np.zeros(n, dtype=bool)
    for s in BILAG2004_SYSTEMS:
        b, c = d[f"b_{s}"].codes, d[f"c_{s}"].codes  # A 4, B 3, C..E 2..0, unknown -1
        b_unknown, c_unknown = b < 0, c < 0
        not_a_before = ~b_unknown & (b != 4)
        new_a |= (c == 4) & not_a_before
        maybe_a |= ((c == 4) | c_unknown) & (not_a_before | b_unknown)
        lower_before = ~b_unknown & (b <= 2)
        new_b += (c == 3) & lower_before
        maybe_b += ((c == 3) | c_unknown) & (lower_before | b_unknown)
        c_low = ~c_unknown & (c <= 2)
        improved &= (
            lower_before | ((b == 4) & ~c_unknown & (c <= 3)) | (((b == 3) | b_unknown) & c_low)
        )
        worse |= ((b == 4) & (c == 4)) | ((b == 3) & (c >= 3))
    sledai_known = ~np.isnan(d["sb"]) & ~np.isnan(d["sc"])
    rise = _units(d["pc"], 2) - _units(d["pb"], 2)
    fail = d["fail"]
    met = (
        improved & ~maybe_a & (maybe_b <= 1) & sledai_known & (d["sc"] <= d["sb"])
        & (rise < 30) & (fail == 0)
    )  # fmt: skip
    failed = (
        worse | new_a | (new_b >= 2) | (sledai_known & (d["sc"] > d["sb"])) | (rise >= 30)
        | (fail == 1)
    )  # fmt: skip
    return np.where(failed, 0, np.where(met, 1, -1)).astype(np.int8)


JUDGEMENTS: dict[
    str, tuple[Callable[[Data], Any], Callable[[Data], Any], Callable[[int], Data]]
] = {
    "das28_activity": (
        lambda d: das28_activity(d["score"]),
        bare_activity(2, [(2.6, False), (3.2, True), (5.1, True)]),
        score_missing_inputs,
    ),
    "cdai_activity": (
        lambda d: cdai_activity(d["score"]),
        bare_activity(1, [(2.8, True), (10.0, True), (22.0, True)]),
        activity_inputs(76, 2),
    ),
    "sdai_activity": (
        lambda d: sdai_activity(d["score"]),
        bare_activity(1, [(3.3, True), (11.0, True), (26.0, True)]),
        activity_inputs(86, 2),
    ),
    "sledai2k_activity": (
        lambda d: sledai2k_activity(d["score"]),
        bare_activity(0, [(0, True), (5, True), (10, True), (19, True)]),
        activity_inputs(30, 0),
    ),
    "essdai_activity": (
        lambda d: essdai_activity(d["score"]),
        bare_activity(0, [(5, False), (14, False)]),
        activity_inputs(30, 0),
    ),
    "esspri_pass": (lambda d: esspri_pass(d["score"]), bare_esspri_pass, activity_inputs(10, 2)),
    "eular_response": (
        lambda d: eular_response(d["baseline"], d["current"]),
        bare_eular_response,
        pair_inputs(8, 2),
    ),
    "boolean_remission": (
        lambda d: acr_eular_boolean_remission(**d),
        bare_boolean_remission,
        remission_inputs,
    ),
    "esspri_mcii": (
        lambda d: esspri_mcii(d["baseline"], d["current"]),
        bare_reduction(1, 15, 2),
        pair_inputs(10, 2),
    ),
    "essdai_mcii": (
        lambda d: essdai_mcii(d["baseline"], d["current"]),
        bare_reduction(3, None, 0),
        pair_inputs(30, 0),
    ),
    "sledai2k_reduction": (
        lambda d: sledai2k_clinically_important_reduction(d["baseline"], d["current"]),
        bare_reduction(4, None, 0),
        pair_inputs(30, 0),
    ),
    "eular_acr_2019": (
        lambda d: eular_acr_2019(True, **d),
        bare_eular_acr_2019,
        criteria_inputs(tuple(_SLE_WEIGHTS), ("anti_dsdna", "low_c3", "joint_involvement")),
    ),
    "acr_eular_2013": (
        lambda d: acr_eular_2013(**d),
        bare_acr_eular_2013,
        criteria_inputs(ACR_EULAR_2013_ITEMS, ("raynaud_phenomenon", "sclerodactyly")),
    ),
    "acr_eular_2010": (lambda d: acr_eular_2010(**d), bare_acr_eular_2010, ra2010_inputs),
    "acr_eular_2016": (lambda d: acr_eular_2016(**d), bare_acr_eular_2016, pss2016_inputs),
    "aecg_2002": (
        lambda d: aecg_2002(**d),
        bare_aecg_2002,
        (lambda make: lambda n: {**make(n), "exclusion": np.zeros(n, dtype=bool)})(
            criteria_inputs(_AECG, ("histopathology", "ocular_signs"))
        ),
    ),
    "doris_remission": (lambda d: doris_remission(**d), bare_doris, doris_inputs),
    "lldas": (_lldas_call, bare_lldas, lldas_inputs),
    "sri": (_sri_call, bare_sri, sri_inputs),
    "bicla": (_bicla_call, bare_bicla, bicla_inputs),
    "acr_response": (_acr_full, bare_acr_response, acr_missing_inputs),
    "criss": (_criss_full, bare_criss_full, criss_missing_inputs),
}
CASES.update(JUDGEMENTS)
#: Cases whose baseline does not compute the library's whole rule (not asserted equal).
UNCHECKED: set[str] = set()


def _outputs(result: Any) -> dict[str, Any]:
    """The arrays a call returns, by name: judgement codes, numbers."""
    if isinstance(result, CodedArray):
        return {"": result.codes}
    if isinstance(result, Classification):
        out = {"points": np.asarray(result.points), "classified": result.classified.codes}
        if result.entry_met is not None:
            out["entry_met"] = result.entry_met.codes
        out.update({f"domain:{k}": np.asarray(v) for k, v in result.domains.items()})
        return out
    if attrs.has(type(result)):
        out = {}
        for field in attrs.fields(type(result)):
            value = getattr(result, field.name)
            if isinstance(value, Mapping):
                out.update({f"{field.name}:{k}": _outputs(v)[""] for k, v in value.items()})
            elif isinstance(value, (CodedArray, np.ndarray)):
                out[field.name] = _outputs(value)[""]
        return out
    if isinstance(result, Mapping):
        return {k: _outputs(v)[""] for k, v in result.items()}
    return {"": np.asarray(result)}


def _nbytes(result: Any) -> int:
    return sum(int(v.nbytes) for v in _outputs(result).values())


def check_agreement(name: str, lib: Any, bare: Any) -> None:
    """Raise AssertionError unless the baseline gives the library's outputs on *name*'s data."""
    got, want = _outputs(lib), _outputs(bare)
    if set(got) != set(want):
        raise AssertionError(f"{name}: outputs {sorted(got)} vs the baseline's {sorted(want)}")
    for key, value in got.items():
        ref = want[key]
        if value.dtype.kind == "f" or ref.dtype.kind == "f":
            np.testing.assert_allclose(value, ref, rtol=1e-9, atol=1e-9, err_msg=f"{name} {key}")
        else:
            np.testing.assert_array_equal(value, ref, err_msg=f"{name} {key}")


def _best(fn: Callable[[Data], Any], data: Data, repeat: int) -> float:
    best = math.inf
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn(data)
        best = min(best, time.perf_counter() - t0)
    return best


def _loop_time(fn: Callable[[Data], Any], data: Data, n: int, sample: int) -> float:
    """Time the scalar API over a sample of rows, scaled to n rows."""
    m = min(n, sample)

    def scalar(x: Any) -> Any:
        return x.item() if isinstance(x, np.generic) else x

    rows = [{k: scalar(v[i]) for k, v in data.items()} for i in range(m)]
    t0 = time.perf_counter()
    for row in rows:
        fn(row)
    return (time.perf_counter() - t0) * n / m


def _peak_memory(fn: Callable[[Data], Any], data: Data) -> float:
    """Peak memory allocated during one call, in multiples of the arrays it returns."""
    returned = _nbytes(fn(data))
    tracemalloc.start()
    fn(data)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return peak / max(returned, 1)


# --------------------------------------------------------------------------
# frame.respond over visits (python benchmarks/run.py --respond)
# --------------------------------------------------------------------------


def visits_table(visits: int, patients: int) -> Any:
    """A shuffled long table of SLE/RA visits: *visits* rows of *patients* patients.

    Grades are text as read from a file; 3 % of the PGA values and of the
    renal grades are missing, so the unknown outcomes are exercised.
    """
    import pandas as pd

    from clinscores.sle import BILAG2004_SYSTEMS

    rng = np.random.default_rng(0)
    per = visits // patients
    table: dict[str, Any] = {
        "patient_id": np.repeat(np.arange(patients), per),
        "visit_date": np.tile(np.arange(per) * 28, patients),
        "sledai2k": rng.integers(0, 30, visits),
        "pga": rng.integers(0, 301, visits) / 100,
        "das28_esr": np.round(rng.uniform(1.5, 7.5, visits), 2),
    }
    table["pga"][rng.random(visits) < 0.03] = np.nan
    letters = np.array(list("ABCDE"), dtype=object)
    for system in BILAG2004_SYSTEMS:
        grades = letters[rng.integers(0, 5, visits)]
        if system == "renal":
            grades[rng.random(visits) < 0.03] = None
        table[f"bilag_{system}"] = grades
    return pd.DataFrame(table).sample(frac=1, random_state=0).reset_index(drop=True)


def _bare_grade_codes(column: Any) -> Any:
    """Text grades as int8 codes E 0 .. A 4 (-1 missing): factorized, then a lookup."""
    import pandas as pd

    codes, uniques = pd.factorize(column)
    words = {"E": 0, "D": 1, "C": 2, "B": 3, "A": 4}
    lut = np.array([*(words[u] for u in uniques), -1], dtype=np.int8)
    return lut[codes]


def bare_respond_sri4(df: Any) -> Any:
    """SRI-4 at every visit against the patient's first, in bare numpy from the same table.

    The library's rule and unknown outcomes: SLEDAI-2K fall >= 4, PGA rise
    < 0.30 on values reported to 2 decimals (half-up), no new BILAG A and at
    most one new B (an unknown grade counts towards the possible, not the
    definite); met when all three are met, not met when one is not, else
    unknown; not assessed (unknown) at the baseline visit itself.  No
    validation.  A ``boolean`` Series on the table's index.
    """
    import pandas as pd

    pid, _ = pd.factorize(df["patient_id"])
    day = df["visit_date"].to_numpy(dtype=np.float64)
    order = np.lexsort((day, pid))
    p = pid[order]
    first = np.r_[True, p[1:] != p[:-1]]
    pos = np.arange(p.size)
    base = order[np.maximum.accumulate(np.where(first, pos, 0))]
    cur = order
    sledai = df["sledai2k"].to_numpy(dtype=np.float64)
    pga = np.floor(np.round(df["pga"].to_numpy(dtype=np.float64) * 100, 9) + 0.5)
    fall = sledai[base] - sledai[cur]
    rise = pga[cur] - pga[base]
    met = (fall >= 4) & (rise < 30)
    failed = (fall < 4) | (rise >= 30)  # NaN: neither
    new_a = np.zeros(p.size, dtype=bool)
    maybe_a = np.zeros(p.size, dtype=bool)
    new_b = np.zeros(p.size, dtype=np.int8)
    maybe_b = np.zeros(p.size, dtype=np.int8)
    for column in (c for c in df.columns if c.startswith("bilag_")):
        g = _bare_grade_codes(df[column])
        gb, gc = g[base], g[cur]
        bk, ck = gb >= 0, gc >= 0
        not_a_before = (gb != 4) & bk
        new_a |= (gc == 4) & not_a_before
        maybe_a |= ((gc == 4) | ~ck) & (not_a_before | ~bk)
        lower_before = (gb <= 2) & bk
        new_b += (gc == 3) & lower_before
        maybe_b += ((gc == 3) | ~ck) & (lower_before | ~bk)
    met &= ~maybe_a & (maybe_b <= 1)
    failed |= new_a | (new_b >= 2)
    codes = np.where(failed, 0, np.where(met, 1, -1)).astype(np.int8)
    codes[first] = -1  # the baseline visit: not assessed
    out = np.empty(p.size, dtype=np.int8)
    out[order] = codes
    values = pd.arrays.BooleanArray(out == 1, out < 0)
    return pd.Series(values, index=df.index, name="sri4")


def _peak_mb(fn: Callable[[], Any]) -> tuple[float, Any]:
    """Peak memory (MB) allocated during one call, and its result."""
    tracemalloc.start()
    out = fn()
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return peak / 1e6, out


def run_respond(
    visits: int, patients: int, repeat: int, markdown: bool = False, write: str | None = None
) -> int:
    """Time frame.respond against its bare baseline, and the peak memory of both.

    With *write*, the Markdown table (the machine described above it) is also
    written to that file (``benchmarks/results/respond.md``, which the
    performance page includes).
    """
    lines: list[str] = []

    def emit(line: str) -> None:
        print(line, flush=True)
        lines.append(line)

    from clinscores.frame import respond

    df = visits_table(visits, patients)
    cases = {
        "sri4": (lambda: respond(df, "sri4"), lambda: bare_respond_sri4(df)),
        "eular_response_esr": (lambda: respond(df, "eular_response_esr"), None),
        "sri4, das28_esr_remission, eular_response_esr": (
            lambda: respond(df, ["sri4", "das28_esr_remission", "eular_response_esr"]),
            None,
        ),
    }
    got = respond(df, "sri4")["sri4"]
    want = bare_respond_sri4(df)
    if not (got.isna().equals(want.isna()) and got.fillna(False).equals(want.fillna(False))):
        raise AssertionError("respond sri4: the library and its bare baseline differ")
    size = f"10^{round(math.log10(visits))} visits, 10^{round(math.log10(patients))} patients"
    if markdown:
        import pandas as pd

        emit(f"{machine()} pandas {pd.__version__}.")
        emit("")
        emit(
            "| criteria | visits | library s | bare numpy s | library / numpy "
            "| library peak MB | bare peak MB | column added MB | frame returned MB "
            "| peak / returned |"
        )
        emit("|---|---|---|---|---|---|---|---|---|---|")
    else:
        print(f"respond over {size} (shuffled rows)")
        print(
            f"{'criteria':<48}{'library s':>10}{'numpy s':>9}{'lib/numpy':>10}"
            f"{'lib MB':>8}{'bare MB':>8}{'added MB':>9}{'frame MB':>9}{'peak/frame':>11}"
        )
    for name, (lib, bare) in cases.items():
        t_lib = _best(lambda _, f=lib: f(), {}, repeat)
        mem_lib, out = _peak_mb(lib)
        added = sum(int(out[c].array.nbytes) for c in out.columns.difference(df.columns))
        returned = float(out.memory_usage(deep=True).sum()) / 1e6  # every column of the frame
        if bare is None:
            t_bare = mem_bare = math.nan
        else:
            t_bare = _best(lambda _, f=bare: f(), {}, repeat)
            mem_bare, _ = _peak_mb(bare)
        ratio = t_lib / t_bare
        if markdown:
            cells = [f"{t_lib:.3f}", f"{t_bare:.3f}", f"{ratio:.2f}", f"{mem_lib:.0f}"]
            cells += [f"{mem_bare:.0f}", f"{added / 1e6:.0f}", f"{returned:.0f}"]
            cells += [f"{mem_lib / returned:.2f}"]
            shown = " | ".join("" if c == "nan" else c for c in cells)
            emit(f"| {name} | {size} | {shown} |")
        else:
            print(
                f"{name:<48}{t_lib:>10.3f}{t_bare:>9.3f}{ratio:>9.2f}x"
                f"{mem_lib:>8.0f}{mem_bare:>8.0f}{added / 1e6:>9.1f}{returned:>9.0f}"
                f"{mem_lib / returned:>10.2f}x",
                flush=True,
            )
    if write is not None:
        with open(write, "w", encoding="utf-8") as out:
            out.write("\n".join(lines) + "\n")
    return 0


def machine() -> str:
    """One line describing the run: date, processor, cores, load, Python and numpy."""
    cpu = platform.processor() or platform.machine()
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as info:
            names = [
                line.split(":", 1)[1].strip() for line in info if line.startswith("model name")
            ]
        cpu = names[0] if names else cpu
    except OSError:
        pass
    load = ", ".join(f"{x:.2f}" for x in os.getloadavg()) if hasattr(os, "getloadavg") else "?"
    return (
        f"Measured on {dt.date.today().isoformat()}: {cpu}, {os.cpu_count()} cores, "
        f"load average {load} at the start; Python {platform.python_version()}, "
        f"numpy {np.__version__}; best of the repeats, times in seconds."
    )


#: Named groups of cases: each is one table of the performance page
#: (``--group judgements --write benchmarks/results/judgements.md``).
GROUPS: dict[str, list[str]] = {
    "scores": ["das28_esr", "das28_crp", "cdai", "sdai", "sledai2k", "essdai", "haq_di"],
    "judgements": list(JUDGEMENTS),
    "bilag": ["bilag2004", "bilag2004_1a_or_2b"],
}


#: The tables of the performance page: (group, rows, repeats); see ``--page``.
PAGE: Final = (
    ("scores", (10**5, 10**6, 10**7), 5),
    ("judgements", (10**6, 10**7), 5),
    ("bilag", (10**6, 10**7), 3),
)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--rows", type=int, nargs="*", default=[10**5, 10**6, 10**7])
    parser.add_argument("--only", nargs="*", default=None, choices=list(CASES))
    parser.add_argument("--group", choices=list(GROUPS), help="the cases of one table")
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--markdown", action="store_true", help="print a Markdown table")
    parser.add_argument(
        "--write",
        metavar="FILE",
        help="write the Markdown table, the machine described above it, to FILE "
        "(the performance page includes benchmarks/results/*.md)",
    )
    parser.add_argument(
        "--respond", action="store_true", help="time frame.respond on 10^6 visits of 10^5 patients"
    )
    parser.add_argument(
        "--page",
        action="store_true",
        help="regenerate every table of the performance page in one run "
        "(benchmarks/results/*.md: scores, judgements, bilag, respond)",
    )
    args = parser.parse_args(argv)
    if args.page:
        for group, rows, repeat in PAGE:
            code = main(["--group", group, "--rows", *map(str, rows), "--repeat", str(repeat),
                         "--write", f"benchmarks/results/{group}.md"])  # fmt: skip
            if code:
                return code
        return main(["--respond", "--write", "benchmarks/results/respond.md"])
    if args.respond:
        return run_respond(
            10**6, 10**5, min(args.repeat, 3), args.markdown or args.write is not None, args.write
        )
    names = args.only or (GROUPS[args.group] if args.group else list(CASES))
    markdown = args.markdown or args.write is not None
    lines: list[str] = []

    def emit(line: str) -> None:
        print(line, flush=True)
        lines.append(line)

    if markdown:
        emit(machine())
        emit("")
        emit("| instrument | rows | library s | bare numpy s | loop s | library / numpy "
             "| loop / library | peak memory |")  # fmt: skip
        emit("|---|---|---|---|---|---|---|---|")
    else:
        header = (
            f"{'instrument':<20}{'rows':>10}{'library s':>11}{'numpy s':>10}{'loop s':>10}"
            f"{'lib/numpy':>11}{'loop/lib':>10}{'peak mem':>10}"
        )
        print(header)
        print("-" * len(header))
    for name in names:
        lib, bare, make = CASES[name]
        for n in args.rows:
            data = make(n)
            if name not in UNCHECKED:
                check_agreement(name, lib(data), bare(data))  # the same rule, or no timing
            t_lib = _best(lib, data, args.repeat)
            t_bare = _best(bare, data, args.repeat)
            t_loop = _loop_time(lib, data, n, LOOP_SAMPLES.get(name, LOOP_SAMPLE))
            mem = _peak_memory(lib, data)
            if markdown:
                emit(
                    f"| {name} | 10^{round(math.log10(n))} | {t_lib:.4f} | {t_bare:.4f} "
                    f"| {t_loop:.1f} | {t_lib / t_bare:.2f} | {t_loop / t_lib:.0f} | {mem:.2f} |"
                )
                continue
            print(
                f"{name:<20}{n:>10}{t_lib:>11.4f}{t_bare:>10.4f}{t_loop:>10.1f}"
                f"{t_lib / t_bare:>10.2f}x{t_loop / t_lib:>9.0f}x{mem:>9.2f}x",
                flush=True,
            )
    if args.write is not None:
        with open(args.write, "w", encoding="utf-8") as out:
            out.write("\n".join(lines) + "\n")
    if markdown:
        return 0
    print(
        "\nlibrary: clinscores call with validation; numpy: the bare formula, no validation;"
        f"\nloop: scalar API per patient (timed on {LOOP_SAMPLE} rows, or {LOOP_SAMPLES}, "
        "scaled);"
        "\npeak mem: peak memory allocated during the library call / the arrays it returns."
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
