"""An omitted item is never taken as absent (issue: "omitted means one thing").

Every instrument that takes its items as keywords needs every item, or
``others=`` saying what the items not given are.  For each one: omitting
items raises TypeError naming every omitted item; ``others=False`` gives the
old value (omitted = absent); ``others=None`` gives unknown; an explicit full
call is unchanged; and a property: ``f(**given, others=False)`` equals ``f``
with every other item given as absent.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping, Sequence
from typing import Any

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from clinscores import Classification, InputError
from clinscores.pss import ESSDAI_LEVELS, acr_eular_2016, aecg_2002, essdai
from clinscores.ra import HAQ_DI_FLAGS, HAQ_DI_ITEMS, haq_di
from clinscores.sle import SLEDAI2K_WEIGHTS, eular_acr_2019, sledai2k, sledai2k_lab_descriptors
from clinscores.sle.eular_acr_2019 import EULAR_ACR_2019_DOMAINS
from clinscores.ssc import ACR_EULAR_2013_ITEMS, acr_eular_2013

SLE_OBSERVATIONS = tuple(n for items in EULAR_ACR_2019_DOMAINS.values() for n in items)
HAQ_KEYWORDS = (*HAQ_DI_ITEMS, *HAQ_DI_FLAGS)


def _eular(**items: Any) -> Classification:
    return eular_acr_2019(True, **items)


# name -> (function of keyword items, every item, a present value per item,
#          the absent value per item, the word naming the items)
Case = tuple[Callable[..., Any], Sequence[str], Mapping[str, Any], Mapping[str, Any], str]
CASES: dict[str, Case] = {
    "sledai2k": (
        sledai2k,
        tuple(SLEDAI2K_WEIGHTS),
        dict.fromkeys(SLEDAI2K_WEIGHTS, True),
        dict.fromkeys(SLEDAI2K_WEIGHTS, False),
        "descriptors",
    ),
    "essdai": (
        essdai,
        tuple(ESSDAI_LEVELS),
        {d: max(levels) for d, levels in ESSDAI_LEVELS.items()},
        dict.fromkeys(ESSDAI_LEVELS, 0),
        "domains",
    ),
    "eular_acr_2019": (
        _eular,
        SLE_OBSERVATIONS,
        dict.fromkeys(SLE_OBSERVATIONS, True),
        dict.fromkeys(SLE_OBSERVATIONS, False),
        "observations",
    ),
    "acr_eular_2013": (
        acr_eular_2013,
        ACR_EULAR_2013_ITEMS,
        dict.fromkeys(ACR_EULAR_2013_ITEMS, True),
        dict.fromkeys(ACR_EULAR_2013_ITEMS, False),
        "items",
    ),
    "haq_di": (
        haq_di,
        HAQ_KEYWORDS,
        {**dict.fromkeys(HAQ_DI_ITEMS, 2), **dict.fromkeys(HAQ_DI_FLAGS, True)},
        {**dict.fromkeys(HAQ_DI_ITEMS, 0), **dict.fromkeys(HAQ_DI_FLAGS, False)},
        "questions and flags",
    ),
}


def _value(result: Any) -> Any:
    """Comparable value of a result: a score, or a Classification's fields."""
    if isinstance(result, Classification):
        return (result.points, result.classified, dict(result.domains), result.entry_met)
    return result


def _same(a: Any, b: Any) -> bool:
    a, b = _value(a), _value(b)
    if isinstance(a, float) and isinstance(b, float) and math.isnan(a) and math.isnan(b):
        return True
    return bool(a == b)


def _is_unknown(result: Any) -> bool:
    if isinstance(result, Classification):
        return result.classified is None
    return isinstance(result, float) and math.isnan(result)


@pytest.mark.parametrize("name", sorted(CASES))
def test_omitted_items_raise_type_error_naming_every_one(name: str) -> None:
    # reproduces: sledai2k(arthritis=True) was 4, essdai() was 0 (omitted = absent)
    fn, items, present, _, what = CASES[name]
    first = items[0]
    with pytest.raises(TypeError) as err:
        fn(**{first: present[first]})
    message = str(err.value)
    assert f"missing {len(items) - 1} {what}" in message
    for item in items[1:]:
        assert item in message
    assert "others=" in message and "None if unknown" in message
    with pytest.raises(TypeError, match=f"missing {len(items)} {what}"):
        fn()


def test_reproducers_of_the_issue() -> None:
    with pytest.raises(TypeError, match=r"sledai2k\(\) missing 23 descriptors: seizure, psychosis"):
        sledai2k(arthritis=True)
    with pytest.raises(TypeError, match=r"essdai\(\) missing 12 domains"):
        essdai()
    with pytest.raises(TypeError, match=r"acr_eular_2013\(\) missing 13 items"):
        acr_eular_2013()
    assert sledai2k(arthritis=True, others=False) == 4
    assert essdai(others=0) == 0
    assert math.isnan(sledai2k(arthritis=True, others=None))


@pytest.mark.parametrize("name", sorted(CASES))
def test_others_false_gives_the_old_value_and_explicit_call_is_unchanged(name: str) -> None:
    fn, items, present, absent, _ = CASES[name]
    chosen = {k: present[k] for k in items[::3]}
    full = {k: chosen.get(k, absent[k]) for k in items}
    assert _same(fn(**chosen, others=False), fn(**full))
    assert _same(fn(**full, others=False), fn(**full))  # nothing omitted: others unused
    assert _same(fn(**full, others=None), fn(**full))


@pytest.mark.parametrize("name", sorted(CASES))
def test_others_none_gives_unknown(name: str) -> None:
    fn, items, _, absent, _ = CASES[name]
    # one item absent, the rest not given and unknown: the outcome is open
    assert _is_unknown(fn(**{items[1]: absent[items[1]]}, others=None))


@pytest.mark.parametrize("name", sorted(CASES))
@pytest.mark.parametrize("bad", [True, 1, 2, "yes", 0.5, [False], np.zeros(2)])
def test_others_is_validated_and_scalar(name: str, bad: Any) -> None:
    fn, items, present, _, _ = CASES[name]
    with pytest.raises(InputError, match="others"):
        fn(**{items[0]: present[items[0]]}, others=bad)


def test_others_words() -> None:
    assert essdai(articular="moderate", others="no") == 4
    assert math.isnan(essdai(articular="moderate", others=float("nan")))
    assert essdai(articular="moderate", others=False) == 4
    with pytest.raises(InputError, match="others"):
        essdai(articular="moderate", others="low")
    with pytest.raises(InputError, match="others"):
        sledai2k(arthritis=True, others="no")  # "no" is an ESSDAI word only


@pytest.mark.parametrize("name", sorted(CASES))
@settings(max_examples=40, deadline=None)
@given(data=st.data())
def test_property_others_false_is_every_other_item_absent(name: str, data: Any) -> None:
    fn, items, present, absent, _ = CASES[name]
    chosen = data.draw(st.lists(st.sampled_from(list(items)), unique=True, max_size=len(items)))
    values = {}
    for k in chosen:
        values[k] = data.draw(st.sampled_from([present[k], absent[k], None]))
    full = {**{k: absent[k] for k in items}, **values}
    assert _same(fn(**values, others=False), fn(**full))
    unknown = {**{k: None for k in items}, **values}
    assert _same(fn(**values, others=None), fn(**unknown))


def test_arrays_follow_the_rule() -> None:
    out = sledai2k(arthritis=[True, False, None], others=False)
    np.testing.assert_array_equal(out, [4.0, 0.0, np.nan])
    out = essdai(articular=np.array([0, 1, 3]), others="no")
    np.testing.assert_array_equal(out, [0.0, 2.0, 6.0])


# ---------------------------------------------------------------- qualifiers

AECG_ITEMS = (True, True, True, False, False, True)
SSS2016 = {
    "focus_score": 0,
    "anti_ssa": True,
    "ocular_staining_score": 6,
    "schirmer_mm_5min": 10,
    "unstimulated_saliva_ml_min": 0.3,
}


def test_aecg_2002_exclusion_is_required() -> None:
    # reproduces: aecg_2002(...) without exclusion classified (exclusion not assessed)
    with pytest.raises(TypeError, match=r"aecg_2002\(\) missing 1 argument: exclusion"):
        aecg_2002(*AECG_ITEMS)
    assert aecg_2002(*AECG_ITEMS, exclusion=False).classified is True
    assert aecg_2002(*AECG_ITEMS, exclusion=True).classified is False
    old = aecg_2002(*AECG_ITEMS, exclusion=None)  # the old default: items alone decide
    assert _same(aecg_2002(*AECG_ITEMS, others=None), old)
    assert _same(aecg_2002(*AECG_ITEMS, others=False), aecg_2002(*AECG_ITEMS, exclusion=False))
    with pytest.raises(InputError, match="others"):
        aecg_2002(*AECG_ITEMS, others=True)


def test_acr_eular_2016_entry_and_exclusion_are_required() -> None:
    with pytest.raises(TypeError) as err:
        acr_eular_2016(**SSS2016)
    assert "missing 2 arguments: entry_met, exclusion" in str(err.value)
    with pytest.raises(TypeError, match="missing 1 argument: exclusion"):
        acr_eular_2016(**SSS2016, entry_met=True)
    full = acr_eular_2016(**SSS2016, entry_met=True, exclusion=False)
    assert (full.points, full.classified, full.entry_met) == (4, True, True)
    old = acr_eular_2016(**SSS2016, entry_met=None, exclusion=None)
    assert _same(acr_eular_2016(**SSS2016, others=None), old)
    assert acr_eular_2016(**SSS2016, others=False).classified is False  # entry not met
    assert _same(acr_eular_2016(**SSS2016, entry_met=True, others=False), full)


LABS = {
    "platelets_1e9_l": 50.0,
    "wbc_1e9_l": 2.0,
    "rbc_per_hpf": 20.0,
    "wbc_per_hpf": 20.0,
    "temperature_c": 39.0,
}
LAB_FLAGS = (
    "thrombocytopenia_drug_induced",
    "leukopenia_drug_induced",
    "hematuria_other_cause",
    "pyuria_infection",
    "fever_infection",
)


def test_lab_descriptors_need_the_exclusion_of_each_measurement_given() -> None:
    # reproduces: an exclusion flag not given was "no other cause", so the
    # descriptor counted as present
    with pytest.raises(TypeError) as err:
        sledai2k_lab_descriptors(**LABS)
    for flag in LAB_FLAGS:
        assert flag in str(err.value)
    with pytest.raises(TypeError, match="missing 1 exclusion flag: fever_infection"):
        sledai2k_lab_descriptors(temperature_c=39.0)
    # no measurement, no flag needed: every descriptor unknown
    assert set(sledai2k_lab_descriptors().values()) == {None}
    old = sledai2k_lab_descriptors(**LABS, **dict.fromkeys(LAB_FLAGS, False))
    assert sledai2k_lab_descriptors(**LABS, others=False) == old
    assert old["fever"] is True
    unknown = sledai2k_lab_descriptors(**LABS, others=None)
    assert {unknown[k] for k in ("thrombocytopenia", "leukopenia", "fever")} == {None}
    with pytest.raises(InputError, match="others"):
        sledai2k_lab_descriptors(**LABS, others=[False])


# ---------------------------------------------------------------- tables


@pytest.mark.parametrize(
    "name", ["sledai2k", "essdai", "eular_acr_2019", "acr_eular_2013", "haq_di"]
)
def test_a_missing_column_is_an_error_naming_every_missing_column(name: str) -> None:
    pd = pytest.importorskip("pandas")
    from clinscores.frame import MissingColumnError, score
    from clinscores.registry import get

    inst = get(name)
    names = [p.name for p in inst.parameters]
    kept, dropped = names[: len(names) // 2], names[len(names) // 2 :]
    df = pd.DataFrame({k: [None] for k in kept})
    with pytest.raises(MissingColumnError) as err:
        score(df, name)
    for col in dropped:
        assert repr(col) in str(err.value)


def test_http_score_names_every_missing_parameter() -> None:
    pytest.importorskip("starlette")
    from clinscores.registry import get
    from clinscores.web import score_values

    status, doc = score_values(get("sledai2k"), {"arthritis": True})
    assert status == 422
    for item in SLEDAI2K_WEIGHTS:
        if item != "arthritis":
            assert repr(item) in doc["error"]
    status, doc = score_values(get("sledai2k"), {k: False for k in SLEDAI2K_WEIGHTS})
    assert status == 200 and doc["result"]["sledai2k"] == 0


def test_cli_score_names_every_missing_column(tmp_path: Any) -> None:
    import subprocess
    import sys

    pytest.importorskip("pandas")
    src = tmp_path / "visits.csv"
    src.write_text("arthritis,rash\ntrue,false\n", encoding="utf-8")
    res = subprocess.run(
        [sys.executable, "-m", "clinscores.cli", "score", "sledai2k", str(src)],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert res.returncode != 0 and res.stdout == ""
    for item in SLEDAI2K_WEIGHTS:
        if item not in ("arthritis", "rash"):
            assert repr(item) in res.stderr


@settings(max_examples=40, deadline=None)
@given(data=st.data())
def test_property_bilag2004_others(data: Any) -> None:
    from clinscores.sle import BILAG2004_SYSTEMS, bilag2004
    from clinscores.sle.bilag2004 import BILAG2004_ITEMS

    def absent(scale: str) -> Any:
        return 0 if scale == "0-4" else False if scale == "yes/no" else None

    numbers = data.draw(st.lists(st.sampled_from(sorted(BILAG2004_ITEMS)), unique=True))
    form: dict[int, Any] = {}
    for n in numbers:
        scale = BILAG2004_ITEMS[n].scale
        if scale == "0-4":
            form[n] = data.draw(st.sampled_from([0, 1, 2, 3, 4, None]))
        elif scale == "yes/no" and n not in (96, 97):  # 96, 97 need a recorded grade
            form[n] = data.draw(st.sampled_from([True, False, None]))
        else:
            form[n] = None
    if form.get(95):  # TTP present needs the assessor's haematological grade
        form[95] = 0
    history = dict.fromkeys(BILAG2004_SYSTEMS, True)
    full_absent = {n: absent(it.scale) for n, it in BILAG2004_ITEMS.items()}
    assert bilag2004(form, others=False, previously_active=history) == bilag2004(
        {**full_absent, **form}, previously_active=history
    )
    assert bilag2004(form, others=None, previously_active=history) == bilag2004(
        {**dict.fromkeys(BILAG2004_ITEMS), **form}, previously_active=history
    )


@settings(max_examples=40, deadline=None)
@given(
    flags=st.dictionaries(st.sampled_from(LAB_FLAGS), st.sampled_from([True, False, None])),
)
def test_property_lab_descriptor_flags_others_false(flags: dict[str, Any]) -> None:
    full = {**dict.fromkeys(LAB_FLAGS, False), **flags}
    assert sledai2k_lab_descriptors(**LABS, **flags, others=False) == sledai2k_lab_descriptors(
        **LABS, **full
    )
