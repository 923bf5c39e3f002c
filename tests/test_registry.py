"""Tests of clinscores.registry: the table of vectorised instruments."""

from __future__ import annotations

import inspect
import math
import subprocess
import sys

import numpy as np
import pytest
from numpy.testing import assert_allclose

from clinscores._core import Classification, Domain, InputError
from clinscores.registry import get, instruments, parameter_texts
from clinscores.vocabulary import domain_hint

ISSUE_LIST = [
    "das28_esr",
    "das28_crp",
    "das28_esr3",
    "das28_crp3",
    "cdai",
    "sdai",
    "sledai2k",
    "esspri",
    "mrss",
    "acr_eular_2010",
    "eular_acr_2019",
    "acr_eular_2013",
    "cockcroft_gault",
]


def valid(domain: Domain) -> float:
    """A value inside *domain* (the lower bound, or just above it when open)."""
    if domain.flag:
        return 1.0
    lo = 0.0 if math.isinf(domain.lo) else domain.lo
    if domain.lo_open:
        lo += 1.0 if math.isinf(domain.hi) else min(1.0, (domain.hi - lo) / 2)
    return float(lo)


def invalid_values(domain: Domain) -> list[float]:
    """Values just outside *domain*."""
    out = [domain.lo if domain.lo_open else domain.lo - 1]
    if not math.isinf(domain.hi):
        out.append(domain.hi if domain.hi_open else domain.hi + 1)
    if domain.integer:
        out.append(valid(domain) + 0.5)
    return [v for v in out if not math.isinf(v)]


def valid_inputs(name: str, n: int = 3) -> dict[str, np.ndarray]:
    inst = get(name)
    values = {p.name: np.full(n, valid(p.domain), dtype=float) for p in inst.parameters}
    if inst.one_of:  # give creatinine in one unit only
        for extra in inst.one_of[1:]:
            values.pop(extra)
    return values


def test_issue_instruments_present() -> None:
    table = instruments()
    for name in ISSUE_LIST:
        assert name in table
    try:
        import clinscores.pss.essdai  # noqa: F401
    except ImportError:
        pass
    else:
        assert "essdai" in table


@pytest.mark.parametrize("name", sorted(instruments()))
def test_parameters_match_signature(name: str) -> None:
    inst = get(name)
    sig = inspect.signature(inst.function)
    # others= is not a column: it says what items not given are, and a table
    # gives every item (a missing column is an error)
    named = [
        p.name
        for p in sig.parameters.values()
        if p.kind is not p.VAR_KEYWORD and p.name != "others"
    ]
    has_kwargs = any(p.kind is p.VAR_KEYWORD for p in sig.parameters.values())
    params = [p.name for p in inst.parameters]
    assert len(set(params)) == len(params)
    if has_kwargs:
        assert params[: len(named)] == named
    else:
        assert params == named


@pytest.mark.parametrize("name", sorted(instruments()))
def test_domains_agree_with_function(name: str) -> None:
    """Valid values pass; each value just outside a registry domain is rejected by the
    function itself, naming the parameter (so the table cannot drift from the code)."""
    inst = get(name)
    base = valid_inputs(name)
    outputs = inst.compute(base)
    assert tuple(outputs) == inst.output_columns
    for p in inst.parameters:
        if p.name not in base:
            continue
        for bad in invalid_values(p.domain):
            values = {k: v.copy() for k, v in base.items()}
            values[p.name][1] = bad
            with pytest.raises(InputError, match=p.name):
                inst.compute(values)


def test_texts_are_the_one_domain_hint() -> None:
    # reproduces issue 17: sibling instruments gave "0..28, integer" and "0..28 (integer
    # joint count)", and esr showed "> 0" where its domain is >= 1
    das = get("das28_esr")
    texts = {p.name: p.text for p in das.parameters}
    assert texts == {
        "tjc28": "0 to 28, whole number",
        "sjc28": "0 to 28, whole number",
        "esr": "at least 1 mm/h",
        "ptga_mm": "0 to 100 mm",
    }
    assert {p.name: p.text for p in get("das28_esr3").parameters}["tjc28"] == texts["tjc28"]
    assert get("cockcroft_gault").parameters[0].text == "18 to 120 years"
    assert get("sledai2k").parameters[0].text == "true or false"
    for inst in instruments().values():
        for p in inst.parameters:
            assert p.text == domain_hint(p.domain, p.unit)


def test_parameter_texts_parser() -> None:
    def f(a: float, b: float, **rest: float) -> None:
        """Summary.

        Parameters
        ----------
        a : float
            First value
            [kg, 0..10].
        b : float
            Second [cm].
        **rest : float
            Others.

        Returns
        -------
        x : float
            Not a parameter.
        """

    assert parameter_texts(f) == {
        "a": "First value [kg, 0..10].",
        "b": "Second [cm].",
        "rest": "Others.",
    }


def test_output_columns() -> None:
    assert get("das28_crp").output_columns == ("das28_crp", "das28_crp_category")
    assert get("mrss").output_columns == ("mrss",)
    assert get("acr_eular_2010").output_columns == (
        "acr_eular_2010_points",
        "acr_eular_2010_classified",
        "acr_eular_2010_entry_met",
    )
    assert get("acr_eular_2013").output_columns == (
        "acr_eular_2013_points",
        "acr_eular_2013_classified",
    )
    assert get("esspri").output_columns == ("esspri", "esspri_pass")


def test_compute_score_and_category() -> None:
    # DAS28-ESR worked example of the das28 module docstring (Prevoo 1995 formula):
    # 0.56*sqrt(6) + 0.28*sqrt(4) + 0.70*ln(38) + 0.014*55 = 5.2480
    cols = get("das28_esr").compute(
        {"tjc28": [6, 0], "sjc28": [4, 0], "esr": [38, np.nan], "ptga_mm": [55, 0]}
    )
    assert_allclose(cols["das28_esr"][0], 5.248, atol=5e-4)
    assert math.isnan(cols["das28_esr"][1])
    assert list(cols["das28_esr_category"]) == ["high", None]
    assert type(cols["das28_esr_category"][0]) is str  # plain str, not the enum


def test_compute_classification_matches_function() -> None:
    inst = get("acr_eular_2013")
    items = [p.name for p in inst.parameters]
    values = {k: np.zeros(3) for k in items}
    values["skin_thickening_proximal_to_mcp"] = np.array([1.0, 0.0, np.nan])
    cols = inst.compute(values)
    direct = inst.function(**values)
    assert isinstance(direct, Classification)
    assert list(cols["acr_eular_2013_points"]) == list(direct.points)
    assert list(cols["acr_eular_2013_classified"]) == [True, False, None]


def test_unknown_instrument() -> None:
    with pytest.raises(KeyError, match="das28_esr"):
        get("das29")


def test_registry_does_not_import_pandas() -> None:
    code = (
        "import sys, clinscores.registry, clinscores.cli;"
        "clinscores.registry.instruments();"
        "assert 'pandas' not in sys.modules, 'pandas imported'"
    )
    subprocess.run([sys.executable, "-c", code], check=True)
