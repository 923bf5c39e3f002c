"""Every judgement on arrays is compact and equals the scalar function row by row (issue 20).

For each instrument that returns a judgement (activity and response
categories, remission, the classification criteria, the response criteria
and their helpers): on random arrays with missing values, the array result
is a :class:`~clinscores.CodedArray` of at most 2 bytes a row whose rows are
what one-patient calls return; a pandas Series in gives a nullable
``"boolean"`` or ordered categorical Series with the same values, ``<NA>``
where unknown.  BILAG-2004 and the response table are tested in their own
files.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from clinscores import CodedArray
from clinscores._core import BLOCK
from clinscores.pss import (
    acr_eular_2016,
    aecg_2002,
    aecg_2002_autoantibodies,
    aecg_2002_histopathology,
    aecg_2002_ocular_signs,
    aecg_2002_salivary_involvement,
    essdai_activity,
    essdai_mcii,
    esspri_mcii,
    esspri_pass,
)
from clinscores.ra import (
    acr_eular_2010,
    acr_eular_boolean_remission,
    acr_response,
    cdai_activity,
    das28_activity,
    eular_response,
    sdai_activity,
    serology_level,
)
from clinscores.sle import (
    BILAG2004_SYSTEMS,
    SLEDAI2K_WEIGHTS,
    ana_positive_from_titre,
    bicla,
    doris_remission,
    eular_acr_2019,
    lldas,
    sledai2k_activity,
    sledai2k_clinically_important_reduction,
    sledai2k_lab_descriptors,
    sri,
)
from clinscores.sle.eular_acr_2019 import EULAR_ACR_2019_DOMAINS
from clinscores.ssc import ACR_EULAR_2013_ITEMS, acr_eular_2013, criss

Data = dict[str, Any]
Gen = Callable[[np.random.Generator, int], Any]
MISSING = 0.15  # share of missing values in each drawn column


def num(lo: float, hi: float, decimals: int = 2) -> Gen:
    def draw(rng: np.random.Generator, n: int) -> Any:
        x = np.round(rng.uniform(lo, hi, n), decimals)
        x[rng.random(n) < MISSING] = np.nan
        return x

    return draw


def whole(lo: int, hi: int) -> Gen:
    def draw(rng: np.random.Generator, n: int) -> Any:
        x = rng.integers(lo, hi + 1, n).astype(np.float64)
        x[rng.random(n) < MISSING] = np.nan
        return x

    return draw


FLAG = whole(0, 1)


def words(*choices: str) -> Gen:
    def draw(rng: np.random.Generator, n: int) -> Any:
        x = np.array(choices, dtype=object)[rng.integers(0, len(choices), n)]
        x[rng.random(n) < MISSING] = None
        return x

    return draw


GRADES = words("A", "B", "C", "D", "E")
AECG_ITEMS = (
    "ocular_symptoms",
    "oral_symptoms",
    "ocular_signs",
    "histopathology",
    "salivary_involvement",
    "autoantibodies",
)
ORGAN = ("renal_crisis", "new_lv_failure", "new_pah")
CRISS = {
    "mrss": whole(0, 51),
    "fvc_pct_predicted": num(40, 120, 1),
    "ptga_0_10": num(0, 10, 1),
    "mdga_0_10": num(0, 10, 1),
    "haq_di": num(0, 3, 3),
}
ACR = {
    "tjc28": whole(0, 28),
    "sjc28": whole(0, 28),
    "ptga_mm": num(0, 100, 1),
    "evga_mm": num(0, 100, 1),
    "pain_mm": num(0, 100, 1),
    "haq_di": num(0, 3, 3),
    "crp_mg_l": num(0, 60, 1),
}
LABS = {
    "platelets_1e9_l": num(20, 400, 0),
    "thrombocytopenia_drug_induced": FLAG,
    "wbc_1e9_l": num(1, 12, 1),
    "leukopenia_drug_induced": FLAG,
    "urine_protein_g_24h": num(0, 2, 2),
    "rbc_per_hpf": whole(0, 20),
    "hematuria_other_cause": FLAG,
    "wbc_per_hpf": whole(0, 20),
    "pyuria_infection": FLAG,
    "temperature_c": num(36, 40, 1),
    "fever_infection": FLAG,
    "c3_g_l": num(0.3, 1.8, 2),
    "c3_lln_g_l": num(0.8, 0.9, 2),
    "c4_g_l": num(0.05, 0.5, 2),
    "c4_lln_g_l": num(0.1, 0.2, 2),
    "ch50": num(10, 80, 0),
    "ch50_lln": num(30, 40, 0),
    "anti_dsdna": num(0, 200, 0),
    "anti_dsdna_uln": num(20, 40, 0),
}


def prefixed(prefix: str, d: Data) -> Data:
    return {k[len(prefix) :]: v for k, v in d.items() if k.startswith(prefix)}


def _classification(c: Any) -> Data:
    out = {"classified": c.classified}
    if c.entry_met is not None:
        out["entry_met"] = c.entry_met
    return out


# name -> (inputs, call): call(data) gives the judgements by name
CASES: dict[str, tuple[dict[str, Gen], Callable[[Data], Data]]] = {
    "das28_activity": ({"score": num(0, 9, 3)}, lambda d: {"": das28_activity(d["score"])}),
    "cdai_activity": ({"score": num(0, 76, 2)}, lambda d: {"": cdai_activity(d["score"])}),
    "sdai_activity": ({"score": num(0, 86, 2)}, lambda d: {"": sdai_activity(d["score"])}),
    "sledai2k_activity": ({"score": whole(0, 30)}, lambda d: {"": sledai2k_activity(d["score"])}),
    "essdai_activity": ({"score": whole(0, 30)}, lambda d: {"": essdai_activity(d["score"])}),
    "esspri_pass": ({"score": num(0, 10, 3)}, lambda d: {"": esspri_pass(d["score"])}),
    "eular_response": (
        {"b": num(1, 8, 3), "c": num(1, 8, 3)},
        lambda d: {"": eular_response(d["b"], d["c"])},
    ),
    "esspri_mcii": (
        {"b": num(0, 10, 2), "c": num(0, 10, 2)},
        lambda d: {"": esspri_mcii(d["b"], d["c"])},
    ),
    "essdai_mcii": (
        {"b": whole(0, 30), "c": whole(0, 30)},
        lambda d: {"": essdai_mcii(d["b"], d["c"])},
    ),
    "sledai2k_clinically_important_reduction": (
        {"b": whole(0, 30), "c": whole(0, 30)},
        lambda d: {"": sledai2k_clinically_important_reduction(d["b"], d["c"])},
    ),
    "boolean_remission": (
        {
            "tjc28": whole(0, 3),
            "sjc28": whole(0, 3),
            "crp_mg_dl": num(0, 2, 2),
            "ptga_cm": num(0, 3, 1),
        },
        lambda d: {"": acr_eular_boolean_remission(**d)},
    ),
    "serology_level": (
        {"titre": num(0, 100, 0), "uln": num(10, 30, 0)},
        lambda d: {"": serology_level(d["titre"], d["uln"])},
    ),
    "acr_eular_2010": (
        {
            "large_joints": whole(0, 10),
            "small_joints": whole(0, 12),
            "rf": words("negative", "low_positive", "high_positive"),
            "acpa": words("negative", "low_positive", "high_positive"),
            "abnormal_crp": FLAG,
            "abnormal_esr": FLAG,
            "symptom_duration_weeks": num(0, 20, 0),
        },
        lambda d: _classification(acr_eular_2010(**d)),
    ),
    "eular_acr_2019": (
        {
            "ana_positive": FLAG,
            **{o: FLAG for items in EULAR_ACR_2019_DOMAINS.values() for o in items},
        },
        lambda d: _classification(eular_acr_2019(**d)),
    ),
    "ana_positive_from_titre": (
        {"titre": num(0, 320, 0)},
        lambda d: {"": ana_positive_from_titre(d["titre"])},
    ),
    "acr_eular_2013": (
        dict.fromkeys(ACR_EULAR_2013_ITEMS, FLAG),
        lambda d: _classification(acr_eular_2013(**d)),
    ),
    "acr_eular_2016": (
        {
            "focus_score": num(0, 3, 1),
            "anti_ssa": FLAG,
            "ocular_staining_score": whole(0, 12),
            "schirmer_mm_5min": num(0, 35, 0),
            "unstimulated_saliva_ml_min": num(0, 0.5, 2),
            "entry_met": FLAG,
            "exclusion": FLAG,
        },
        lambda d: _classification(acr_eular_2016(**d)),
    ),
    "aecg_2002": (
        {**dict.fromkeys(AECG_ITEMS, FLAG), "exclusion": FLAG},
        lambda d: _classification(aecg_2002(**d)),
    ),
    "aecg_2002_items": (
        {
            "anti_ssa": FLAG,
            "anti_ssb": FLAG,
            "focus_score": num(0, 3, 1),
            "schirmer_mm_5min": num(0, 35, 0),
            "van_bijsterveld_score": whole(0, 9),
            "saliva_ml_15min": num(0, 4, 1),
            "sialectasias": FLAG,
            "scintigraphy": FLAG,
        },
        lambda d: {
            "autoantibodies": aecg_2002_autoantibodies(
                anti_ssa=d["anti_ssa"], anti_ssb=d["anti_ssb"]
            ),
            "histopathology": aecg_2002_histopathology(d["focus_score"]),
            "ocular_signs": aecg_2002_ocular_signs(
                schirmer_mm_5min=d["schirmer_mm_5min"],
                van_bijsterveld_score=d["van_bijsterveld_score"],
            ),
            "salivary": aecg_2002_salivary_involvement(
                unstimulated_saliva_ml_15min=d["saliva_ml_15min"],
                sialography_sialectasias=d["sialectasias"],
                scintigraphy_abnormal=d["scintigraphy"],
            ),
        },
    ),
    "sledai2k_lab_descriptors": (LABS, lambda d: sledai2k_lab_descriptors(**d)),
    "sri": (
        {
            "sb": whole(0, 30),
            "sc": whole(0, 30),
            "pb": num(0, 3, 2),
            "pc": num(0, 3, 2),
            **{f"b_{s}": GRADES for s in BILAG2004_SYSTEMS},
            **{f"c_{s}": GRADES for s in BILAG2004_SYSTEMS},
        },
        lambda d: {
            "": sri(d["sb"], d["sc"], prefixed("b_", d), prefixed("c_", d), d["pb"], d["pc"])
        },
    ),
    "bicla": (
        {
            "sb": whole(0, 30),
            "sc": whole(0, 30),
            "pb": num(0, 3, 2),
            "pc": num(0, 3, 2),
            "failure": FLAG,
            **{f"b_{s}": GRADES for s in BILAG2004_SYSTEMS},
            **{f"c_{s}": GRADES for s in BILAG2004_SYSTEMS},
        },
        lambda d: {
            "": bicla(
                d["sb"],
                d["sc"],
                prefixed("b_", d),
                prefixed("c_", d),
                d["pb"],
                d["pc"],
                d["failure"],
            )
        },
    ),
    "lldas": (
        {
            **{f"d_{k}": whole(0, 1) for k in SLEDAI2K_WEIGHTS},
            **{f"p_{k}": whole(0, 1) for k in SLEDAI2K_WEIGHTS},
            "other_new_activity": FLAG,
            "hemolytic_anemia": FLAG,
            "gastrointestinal_activity": FLAG,
            "pga": num(0, 3, 1),
            "prednisolone_mg_day": num(0, 10, 1),
            "immunosuppressants_tolerated": FLAG,
        },
        lambda d: {
            "": lldas(
                descriptors=prefixed("d_", d),
                previous_descriptors=prefixed("p_", d),
                **{k: v for k, v in d.items() if not k.startswith(("d_", "p_"))},
            )
        },
    ),
    "doris_remission": (
        {
            "pga": num(0, 1, 2),
            "prednisolone_mg_day": num(0, 8, 1),
            "treatment_permitted": FLAG,
            "clinical_sledai": whole(0, 4),
        },
        lambda d: {"": doris_remission(**d)},
    ),
    "acr_response": (
        {**{f"b_{k}": g for k, g in ACR.items()}, **{f"c_{k}": g for k, g in ACR.items()}},
        lambda d: {
            f"acr{x}": getattr(acr_response(prefixed("b_", d), prefixed("c_", d)), f"acr{x}")
            for x in (20, 50, 70)
        },
    ),
    "criss": (
        {
            **{f"b_{k}": g for k, g in CRISS.items()},
            **{f"c_{k}": g for k, g in CRISS.items()},
            **dict.fromkeys(ORGAN, FLAG),
        },
        lambda d: (lambda r: {"improved": r.improved, "organ_worsening": r.organ_worsening})(
            criss(prefixed("b_", d), prefixed("c_", d), **{k: d[k] for k in ORGAN})
        ),
    ),
}


def draw(name: str, seed: int, n: int) -> Data:
    rng = np.random.default_rng(seed)
    inputs, _ = CASES[name]
    return {k: gen(rng, n) for k, gen in inputs.items()}


def row(data: Data, i: int) -> Data:
    out = {}
    for k, v in data.items():
        x = v[i]
        out[k] = x.item() if isinstance(x, np.generic) else x
    return out


def plain(value: Any) -> Any:
    """A value of a Series as the scalar API gives it (<NA> / NaN -> None)."""
    return None if pd.isna(value) else value


@pytest.mark.parametrize("name", sorted(CASES))
@settings(max_examples=10, deadline=None)
@given(seed=st.integers(0, 2**32 - 1), n=st.integers(1, 40))
def test_array_result_is_compact_and_equals_the_scalar_function_row_by_row(
    name: str, seed: int, n: int
) -> None:
    _, call = CASES[name]
    data = draw(name, seed, n)
    results = call(data)
    for key, got in results.items():
        assert isinstance(got, CodedArray), (name, key)
        assert got.nbytes <= 2 * len(got) and got.codes.dtype == np.int8  # <= 2 bytes a row
    for i in range(n):
        one = call(row(data, i))
        for key, got in results.items():
            expected = one.get(key)  # a scalar entry_met of None is left out
            assert got[i] == expected and type(got[i]) is type(expected), (name, key, i)


@pytest.mark.parametrize("name", sorted(CASES))
@settings(max_examples=5, deadline=None)
@given(seed=st.integers(0, 2**32 - 1), n=st.integers(1, 30))
def test_series_in_gives_nullable_series_of_the_same_values(name: str, seed: int, n: int) -> None:
    _, call = CASES[name]
    data = draw(name, seed, n)
    index = pd.Index([f"p{i}" for i in range(n)])
    arrays = call(data)
    series = call({k: pd.Series(v, index=index) for k, v in data.items()})
    for key, got in series.items():
        assert isinstance(got, pd.Series) and got.index.equals(index), (name, key)
        coded = arrays[key]
        if coded.is_tristate:
            assert got.dtype == "boolean"
        else:
            assert isinstance(got.dtype, pd.CategoricalDtype) and got.dtype.ordered
            assert list(got.dtype.categories) == [getattr(c, "value", c) for c in coded.categories]
        assert [plain(v) for v in got] == coded.tolist()
        assert got.isna().tolist() == coded.unknown.tolist()
        # and CodedArray.to_pandas gives the very same Series
        pd.testing.assert_series_equal(coded.to_pandas(index, got.name), got, check_names=True)


def test_memory_each_judgement_holds_one_byte_a_row() -> None:
    # more rows than one block of evaluation (65,536): the block edges included
    n = BLOCK + 1000
    sample = [0, BLOCK - 1, BLOCK, n - 1, *np.random.default_rng(1).integers(0, n, 12)]
    for name, (_, call) in CASES.items():
        data = draw(name, 0, n)
        results = call(data)
        for key, got in results.items():
            assert isinstance(got, CodedArray), (name, key)
            assert got.nbytes / n <= 2, (name, key)  # the bound: <= 2 bytes a row
            assert got.nbytes == n  # what it is: one int8 code a row
        for i in sample:
            one = call(row(data, int(i)))
            for key, got in results.items():
                assert got[int(i)] == one.get(key), (name, key, i)
