"""Benchmarks: clinscores against bare numpy and a per-patient Python loop.

Run from a checkout with the package installed::

    python benchmarks/run.py                       # 10^5, 10^6 and 10^7 rows
    python benchmarks/run.py --rows 1000000        # one size
    python benchmarks/run.py --only das28_esr cdai # some instruments

For each instrument and size it prints the best-of-N wall time of the library
call (validation included), of the bare numpy expression of the same formula
(no validation, no missing-value handling), and of a per-patient Python loop
over the scalar API (timed on a sample of rows and scaled); the ratios; and
the peak memory allocated during the library call, in multiples of the size
of its output array.
"""

from __future__ import annotations

import argparse
import math
import sys
import time
import tracemalloc
from collections.abc import Callable
from typing import Any

import numpy as np

from clinscores.pss import ESSDAI_WEIGHTS, essdai, esspri_mcii
from clinscores.ra import (
    HAQ_DI_CATEGORIES,
    HAQ_DI_FLAGS,
    HAQ_DI_ITEMS,
    acr_response,
    cdai,
    das28_activity,
    das28_crp,
    das28_esr,
    haq_di,
    sdai,
)
from clinscores.sle import SLEDAI2K_WEIGHTS, bilag2004, eular_acr_2019, sledai2k
from clinscores.sle.bilag2004 import BILAG2004_ITEM_GROUPS, BILAG2004_ITEMS
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


def score_inputs(n: int) -> Data:
    return {"score": np.random.default_rng(0).uniform(0, 9, n)}


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


_LABELS = np.array(["remission", "low", "moderate", "high"], dtype=object)


def bare_das28_activity(d: Data) -> Any:
    # numpy's own rounding (half to even) and a plain digitize: without the
    # half-up reporting rule and without missing values
    return _LABELS[np.digitize(np.round(d["score"], 2), [2.6, 3.2, 5.1], right=True)]


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


def bare_max_per_domain(domains: list[list[str]], weights: dict[str, int]) -> Callable[[Data], Any]:
    """Bare numpy of a criteria set: the highest weight per domain, summed, >= threshold."""

    def bare(d: Data) -> Any:
        total = np.zeros(len(next(iter(d.values()))))
        for items in domains:
            best = np.zeros_like(total)
            for item in items:
                np.maximum(best, weights[item] * d[item], out=best)
            total += best
        return total

    return bare


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


def bilag_inputs(n: int) -> Data:
    """Whole BILAG-2004 forms: 97 items, previous values, attributions, a recorded grade."""
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
            d[f"i{number}"] = rng.uniform(1.0, 25.0, n)
            d[f"d{number}"] = rng.random(n) < 0.5
    for number in (78, 79, 82, 83, 84, 86, 87):
        d[f"p{number}"] = rng.uniform(1.0, 25.0, n)
    # TTP present in every form: the haematological grade is the recorded one
    d["i95"] = rng.integers(1, 5, n, dtype=np.int8)
    d["recorded"] = np.full(n, "B")
    return d


def lib_bilag(d: Data) -> Any:
    """All nine grades; the renal one is returned (the output whose size is measured)."""
    grades = bilag2004(
        {int(k[1:]): v for k, v in d.items() if k[0] == "i"},
        previous={int(k[1:]): v for k, v in d.items() if k[0] == "p"},
        due_to_sle={int(k[1:]): v for k, v in d.items() if k[0] == "d"},
        recorded={"hematological": d["recorded"]},
    )
    return grades["renal"]


_GROUP_LEVEL = np.array([[0, 2, 3, 3, 3], [0, 1, 2, 2, 2], [0, 1, 1, 1, 1]], dtype=np.int8)


def bare_bilag(d: Data) -> Any:
    """Bare numpy: systems 2-7 as a max over item groups (no renal, no validation, no unknowns)."""
    out = {}
    for system, groups in BILAG2004_ITEM_GROUPS.items():
        level = np.zeros(len(d["i1"]), dtype=np.int8)
        for row, items in enumerate(groups):
            if items:
                top = np.maximum.reduce([d[f"i{n}"] for n in items])
                np.maximum(level, _GROUP_LEVEL[row][top], out=level)
        out[system] = level
    return out


def _points(result: Any) -> Any:
    return result.points


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
    "das28_activity": (lambda d: das28_activity(d["score"]), bare_das28_activity, score_inputs),
    "sledai2k": (
        lambda d: sledai2k(**d),
        bare_weighted(dict(SLEDAI2K_WEIGHTS)),
        flag_inputs(tuple(SLEDAI2K_WEIGHTS)),
    ),
    # central_nervous_system (levels 0, 2, 3) is not drawn: no activity (others=0)
    "essdai": (lambda d: essdai(**d, others=0), bare_weighted(dict(ESSDAI_WEIGHTS)), essdai_inputs),
    "eular_acr_2019": (
        lambda d: _points(eular_acr_2019(True, **d)),
        bare_max_per_domain(_SLE_DOMAINS, _SLE_WEIGHTS),
        flag_inputs(tuple(_SLE_WEIGHTS)),
    ),
    "acr_eular_2013": (
        lambda d: _points(acr_eular_2013(**d)),
        bare_max_per_domain(_SSC_DOMAINS, _SSC_WEIGHTS),
        flag_inputs(ACR_EULAR_2013_ITEMS),
    ),
    "bilag2004": (lib_bilag, bare_bilag, bilag_inputs),
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


def bare_acr(d: Data) -> Any:
    """ACR level with float percentages: no validation, no missing values, no exact rounding."""
    b, c = _visits(d)
    pct = {k: (b[k] - c[k]) / b[k] for k in b}
    level = np.zeros(len(b["tjc28"]))
    for x in (0.2, 0.5, 0.7):
        others = sum((pct[k] >= x).astype(np.int8) for k in pct if k not in ("tjc28", "sjc28"))
        met = (pct["tjc28"] >= x) & (pct["sjc28"] >= x) & (others >= 3)
        level[met] = 100 * x
    return level


def mcii_inputs(n: int) -> Data:
    rng = np.random.default_rng(0)
    b = rng.uniform(0, 10, n).round(2)
    return {"baseline": b, "current": (b * rng.uniform(0.5, 1.1, n)).clip(0, 10).round(2)}


def bare_mcii(d: Data) -> Any:
    fall = d["baseline"] - d["current"]
    return (fall >= 1) | (fall >= 0.15 * d["baseline"])


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


def bare_criss(d: Data) -> Any:
    b, c = _visits(d)
    z = -5.54 - 0.81 * (c["mrss"] - b["mrss"])
    z = z + 0.21 * (c["fvc_pct_predicted"] - b["fvc_pct_predicted"])
    z = z - 0.40 * (c["ptga_0_10"] - b["ptga_0_10"]) - 0.44 * (c["mdga_0_10"] - b["mdga_0_10"])
    z = z - 3.41 * (c["haq_di"] - b["haq_di"])
    fvc_b, fvc_c = b["fvc_pct_predicted"], c["fvc_pct_predicted"]
    worse = d["renal_crisis"] | ((fvc_b - fvc_c >= 0.15 * fvc_b) & (fvc_c < 80))
    return np.where(worse, 0.0, 1 / (1 + np.exp(-z)))


def _acr_level(d: Data) -> Any:
    b, c = _visits(d)
    return acr_response(b, c).level


def _criss_probability(d: Data) -> Any:
    b, c = _visits(d)
    return criss(b, c, renal_crisis=d["renal_crisis"]).probability


CASES.update(
    {
        "haq_di": (lambda d: haq_di(**d), bare_haq_di, haq_inputs),
        "acr_response": (_acr_level, bare_acr, acr_inputs),
        "esspri_mcii": (lambda d: esspri_mcii(d["baseline"], d["current"]), bare_mcii, mcii_inputs),
        "criss": (_criss_probability, bare_criss, criss_inputs),
    }
)


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
    rows = [{k: v[i].item() for k, v in data.items()} for i in range(m)]
    t0 = time.perf_counter()
    for row in rows:
        fn(row)
    return (time.perf_counter() - t0) * n / m


def _peak_memory(fn: Callable[[Data], Any], data: Data) -> float:
    out = np.asarray(fn(data))
    tracemalloc.start()
    fn(data)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return peak / max(out.nbytes, 1)


# --------------------------------------------------------------------------
# frame.respond over visits (python benchmarks/run.py --respond)
# --------------------------------------------------------------------------


def visits_table(visits: int, patients: int) -> Any:
    """A shuffled long table of SLE/RA visits: *visits* rows of *patients* patients."""
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
    letters = np.array(list("ABCDE"), dtype=object)
    for system in BILAG2004_SYSTEMS:
        table[f"bilag_{system}"] = letters[rng.integers(0, 5, visits)]
    return pd.DataFrame(table).sample(frac=1, random_state=0).reset_index(drop=True)


def bare_respond_sri4(pid: Any, day: Any, sledai: Any, pga: Any, grades: list[Any]) -> Any:
    """SRI-4 against the first visit in bare numpy: integer grade codes, no validation,
    no missing values, PGA in hundredths."""
    order = np.lexsort((day, pid))
    p = pid[order]
    first = np.r_[True, p[1:] != p[:-1]]
    pos = np.arange(p.size)
    base = order[np.maximum.accumulate(np.where(first, pos, 0))]
    cur = order
    reduced = sledai[base] - sledai[cur] >= 4
    pga_ok = pga[cur] - pga[base] < 30
    new_a = np.zeros(p.size, dtype=bool)
    new_b = np.zeros(p.size, dtype=np.int64)
    for g in grades:
        gb, gc = g[base], g[cur]
        new_a |= (gc == 0) & (gb != 0)
        new_b += (gc == 1) & (gb >= 2)
    out = np.empty(p.size, dtype=bool)
    out[order] = reduced & pga_ok & ~new_a & (new_b <= 1)
    return out


def run_respond(visits: int, patients: int, repeat: int) -> int:
    from clinscores.frame import respond

    df = visits_table(visits, patients)
    pid = df["patient_id"].to_numpy()
    day = df["visit_date"].to_numpy()
    sledai = df["sledai2k"].to_numpy()
    pga = np.round(df["pga"].to_numpy() * 100).astype(np.int64)
    codes = {g: i for i, g in enumerate("ABCDE")}
    grades = [
        df[c].map(codes).to_numpy(dtype=np.int8) for c in df.columns if c.startswith("bilag_")
    ]
    cases = {
        "sri4": (
            lambda: respond(df, "sri4"),
            lambda: bare_respond_sri4(pid, day, sledai, pga, grades),
        ),
        "eular_response_esr": (lambda: respond(df, "eular_response_esr"), None),
        "sri4 + 2 RA criteria": (
            lambda: respond(df, ["sri4", "das28_esr_remission", "eular_response_esr"]),
            None,
        ),
    }
    check = respond(df, "sri4")["sri4"].to_numpy(dtype=bool)
    assert (check == bare_respond_sri4(pid, day, sledai, pga, grades)).all()
    print(f"respond over {visits:,} visits of {patients:,} patients (shuffled rows)")
    print(f"{'criteria':<22}{'library s':>11}{'numpy s':>10}{'lib/numpy':>11}")
    for name, (lib, bare) in cases.items():
        t_lib = _best(lambda _, f=lib: f(), {}, repeat)
        if bare is None:
            print(f"{name:<22}{t_lib:>11.3f}{'-':>10}{'-':>11}", flush=True)
            continue
        t_bare = _best(lambda _, f=bare: f(), {}, repeat)
        print(f"{name:<22}{t_lib:>11.3f}{t_bare:>10.3f}{t_lib / t_bare:>10.1f}x", flush=True)
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--rows", type=int, nargs="*", default=[10**5, 10**6, 10**7])
    parser.add_argument("--only", nargs="*", default=None, choices=list(CASES))
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--markdown", action="store_true", help="print a Markdown table")
    parser.add_argument(
        "--respond", action="store_true", help="time frame.respond on 10^6 visits of 10^5 patients"
    )
    args = parser.parse_args(argv)
    if args.respond:
        return run_respond(10**6, 10**5, min(args.repeat, 3))
    if args.markdown:
        print("| instrument | rows | library s | bare numpy s | loop s | library / numpy "
              "| loop / library | peak memory |")  # fmt: skip
        print("|---|---|---|---|---|---|---|---|")
    else:
        header = (
            f"{'instrument':<16}{'rows':>10}{'library s':>11}{'numpy s':>10}{'loop s':>10}"
            f"{'lib/numpy':>11}{'loop/lib':>10}{'peak mem':>10}"
        )
        print(header)
        print("-" * len(header))
    for name in args.only or CASES:
        lib, bare, make = CASES[name]
        for n in args.rows:
            data = make(n)
            t_lib = _best(lib, data, args.repeat)
            t_bare = _best(bare, data, args.repeat)
            t_loop = _loop_time(lib, data, n, LOOP_SAMPLES.get(name, LOOP_SAMPLE))
            mem = _peak_memory(lib, data)
            if args.markdown:
                print(
                    f"| {name} | 10^{round(math.log10(n))} | {t_lib:.4f} | {t_bare:.4f} "
                    f"| {t_loop:.1f} | {t_lib / t_bare:.2f} | {t_loop / t_lib:.0f} | {mem:.2f} |",
                    flush=True,
                )
                continue
            print(
                f"{name:<16}{n:>10}{t_lib:>11.4f}{t_bare:>10.4f}{t_loop:>10.1f}"
                f"{t_lib / t_bare:>10.2f}x{t_loop / t_lib:>9.0f}x{mem:>9.2f}x",
                flush=True,
            )
    if args.markdown:
        return 0
    print(
        "\nlibrary: clinscores call with validation; numpy: the bare formula, no validation;"
        f"\nloop: scalar API per patient (timed on {LOOP_SAMPLE} rows, or {LOOP_SAMPLES}, "
        "scaled);"
        "\npeak mem: peak memory allocated during the library call / size of its output."
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
