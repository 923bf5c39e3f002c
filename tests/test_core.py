"""Tests of the shared machinery (coercion, validation, rounding)."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from clinscores import InputError, report
from clinscores._core import BLOCK, FLAG, Domain, check_keywords, evaluate, reported_units

COUNT = Domain(0, 28, "integer joint count", integer=True)


def _identity(out: np.ndarray, x: np.ndarray) -> None:
    out[...] = x


def test_scalar_in_python_scalar_out() -> None:
    out = evaluate(_identity, ("x", 3, COUNT))
    assert type(out) is float
    out = evaluate(_identity, ("x", 3, COUNT), integer=True)
    assert type(out) is int
    assert math.isnan(evaluate(_identity, ("x", None, COUNT), integer=True))


def test_input_error_is_value_error() -> None:
    assert issubclass(InputError, ValueError)


@pytest.mark.parametrize(
    ("value", "message"),
    [
        (29, r"x = 29 is out of range; expected 0 to 28, whole number \(integer joint count\)"),
        (-1, r"x = -1 is out of range"),
        (1.5, r"x = 1\.5 is out of range"),
        (True, r"x = True is a boolean, not a number"),
        ("1", r"x = '1' is not a number"),
        (object(), r"x = <object .*> is not a number"),
        (complex(1, 1), r"is not a number"),
        ([1, 2, 29], r"x\[2\] = 29 is out of range"),
        (np.array([[1, 2], [3, 30]]), r"x\[1, 1\] = 30 is out of range"),
        (np.array(["a", "b"]), r"x\[0\] = 'a' is not a number"),
        (np.array([1.0, np.inf]), r"x\[1\] = inf is out of range"),
        (np.array([1.0, 1.0000001]), r"x\[1\] = 1\.0000001 is out of range"),
    ],
)
def test_errors_name_parameter_value_index_domain(value: object, message: str) -> None:
    with pytest.raises(InputError, match=message):
        evaluate(_identity, ("x", value, COUNT))


def test_error_in_a_later_block_reports_global_index() -> None:
    x = np.zeros(3 * BLOCK + 5)
    x[2 * BLOCK + 7] = 99
    with pytest.raises(InputError, match=rf"x\[{2 * BLOCK + 7}\] = 99\.0"):
        evaluate(_identity, ("x", x, COUNT))


def test_flags_accept_booleans_and_reject_other_numbers() -> None:
    assert evaluate(_identity, ("f", True, FLAG)) == 1.0
    assert list(evaluate(_identity, ("f", [True, False, None], FLAG))[:2]) == [1.0, 0.0]
    with pytest.raises(InputError, match=r"f = 2 is out of range; expected True/False"):
        evaluate(_identity, ("f", 2, FLAG))


def test_words_domain() -> None:
    d = Domain(0, 3, "level", integer=True, words={"no": 0, "low": 1})
    assert evaluate(_identity, ("lvl", "low", d)) == 1.0
    assert list(evaluate(_identity, ("lvl", np.array(["no", "low"]), d))) == [0.0, 1.0]
    with pytest.raises(InputError, match=r"lvl\[1\] = 'mid' is not an allowed value"):
        evaluate(_identity, ("lvl", np.array(["no", "mid"]), d))


def test_check_keywords() -> None:
    check_keywords("f", ["a"], ["a", "b"])
    with pytest.raises(TypeError, match="unexpected keyword argument 'c'"):
        check_keywords("f", ["a", "c"], ["a", "b"])


def test_empty_arrays() -> None:
    out = evaluate(_identity, ("x", np.array([], dtype=float), COUNT))
    assert out.shape == (0,)


def test_incompatible_shapes() -> None:
    def add(out: np.ndarray, a: np.ndarray, b: np.ndarray) -> None:
        np.add(a, b, out=out)

    with pytest.raises(InputError, match="incompatible shapes"):
        evaluate(add, ("a", [1, 2], COUNT), ("b", [1, 2, 3], COUNT))
    out = evaluate(add, ("a", [[1], [2]], COUNT), ("b", [1, 2, 3], COUNT))
    assert out.shape == (2, 3)


@pytest.mark.parametrize(
    ("value", "instrument", "expected"),
    [
        (2.845, "das28", 2.85),  # 284.49999999999997 in binary: half-up anyway
        (2.844999, "das28", 2.84),
        (2.8000000000000003, "cdai", 2.8),
        (10.05, "cdai", 10.1),
        (3.25, "sdai", 3.3),
        (7.0, "sledai2k", 7),
        (-0.485, "das28", -0.49),  # half away from zero
    ],
)
def test_report(value: float, instrument: str, expected: float) -> None:
    assert report(value, instrument) == expected


def test_report_unknown_instrument() -> None:
    with pytest.raises(InputError, match="instrument = 'das29' is unknown"):
        report(1.0, "das29")


@settings(max_examples=300, deadline=None)
@given(st.integers(-100_000, 100_000), st.integers(0, 3))
def test_reported_units_exact_on_decimal_inputs(units: int, decimals: int) -> None:
    # a value written with `decimals` decimals reports as itself
    x = units / 10**decimals
    assert reported_units(np.array([x]), decimals)[0] == units
