"""Benchmarks: clinscores against bare numpy and a per-patient Python loop.

Run from a checkout with the package installed::

    python benchmarks/run.py                 # 10^5, 10^6 and 10^7 rows
    python benchmarks/run.py --rows 1000000  # one size
    python benchmarks/run.py --only das28_esr cdai

For each instrument and size it prints the best-of-N wall time of the library
call (validation included), of the bare numpy expression of the same formula
(no validation), and of a per-patient Python loop over the scalar API (timed
on a sample of rows and scaled), the ratios, and the peak extra memory of the
library call in multiples of the output array.
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

from clinscores.ra import cdai, das28_activity, das28_crp, das28_esr, sdai

Case = tuple[Callable[..., Any], Callable[..., Any], Callable[[int], dict[str, Any]]]
CASES: dict[str, Case] = {}
LOOP_SAMPLE = 20_000


def case(name: str) -> Callable[[Callable[[int], Case]], Callable[[int], Case]]:
    def register(factory: Callable[[int], Case]) -> Callable[[int], Case]:
        CASES[name] = factory(0)
        return factory

    return register


def _ra_inputs(n: int) -> dict[str, Any]:
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


@case("das28_esr")
def _das28_esr(_: int) -> Case:
    def lib(d: dict[str, Any]) -> Any:
        return das28_esr(d["tjc28"], d["sjc28"], d["esr"], d["ptga_mm"])

    def bare(d: dict[str, Any]) -> Any:
        return (
            0.56 * np.sqrt(d["tjc28"])
            + 0.28 * np.sqrt(d["sjc28"])
            + 0.70 * np.log(d["esr"])
            + 0.014 * d["ptga_mm"]
        )

    return lib, bare, _ra_inputs


@case("das28_crp")
def _das28_crp(_: int) -> Case:
    def lib(d: dict[str, Any]) -> Any:
        return das28_crp(d["tjc28"], d["sjc28"], d["crp_mg_l"], d["ptga_mm"])

    def bare(d: dict[str, Any]) -> Any:
        return (
            0.56 * np.sqrt(d["tjc28"])
            + 0.28 * np.sqrt(d["sjc28"])
            + 0.36 * np.log(d["crp_mg_l"] + 1)
            + 0.014 * d["ptga_mm"]
            + 0.96
        )

    return lib, bare, _ra_inputs


@case("cdai")
def _cdai(_: int) -> Case:
    def lib(d: dict[str, Any]) -> Any:
        return cdai(d["tjc28"], d["sjc28"], d["ptga_cm"], d["evga_cm"])

    def bare(d: dict[str, Any]) -> Any:
        return d["tjc28"] + d["sjc28"] + d["ptga_cm"] + d["evga_cm"]

    return lib, bare, _ra_inputs


@case("sdai")
def _sdai(_: int) -> Case:
    def lib(d: dict[str, Any]) -> Any:
        return sdai(d["tjc28"], d["sjc28"], d["ptga_cm"], d["evga_cm"], d["crp_mg_dl"])

    def bare(d: dict[str, Any]) -> Any:
        return d["tjc28"] + d["sjc28"] + d["ptga_cm"] + d["evga_cm"] + d["crp_mg_dl"]

    return lib, bare, _ra_inputs


def _score_inputs(n: int) -> dict[str, Any]:
    return {"score": np.random.default_rng(0).uniform(0, 9, n)}


@case("das28_activity")
def _das28_activity(_: int) -> Case:
    labels = np.array(["remission", "low", "moderate", "high"], dtype=object)

    def lib(d: dict[str, Any]) -> Any:
        return das28_activity(d["score"])

    def bare(d: dict[str, Any]) -> Any:
        # numpy's own rounding (half to even) and a plain digitize: the bare
        # expression, without the half-up reporting rule or missing values
        r = np.round(d["score"], 2)
        return labels[np.digitize(r, [2.6, 3.2, 5.1], right=True)]

    return lib, bare, _score_inputs


def _best(fn: Callable[[dict[str, Any]], Any], data: dict[str, Any], repeat: int) -> float:
    best = math.inf
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn(data)
        best = min(best, time.perf_counter() - t0)
    return best


def _loop_time(lib: Callable[..., Any], data: dict[str, Any], n: int) -> float:
    """Time the scalar API over a sample of rows, scaled to n rows."""
    m = min(n, LOOP_SAMPLE)
    rows = [{k: v[i].item() for k, v in data.items()} for i in range(m)]
    t0 = time.perf_counter()
    for row in rows:
        lib(row)
    return (time.perf_counter() - t0) * n / m


def _peak_memory(
    fn: Callable[[dict[str, Any]], Any], data: dict[str, Any], out_bytes: int
) -> float:
    tracemalloc.start()
    fn(data)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return peak / out_bytes


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, nargs="*", default=[10**5, 10**6, 10**7])
    parser.add_argument("--only", nargs="*", default=None, help="instrument names")
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args(argv)
    names = args.only or list(CASES)
    header = (
        f"{'instrument':<16}{'rows':>10}{'library s':>11}{'numpy s':>10}{'loop s':>10}"
        f"{'lib/numpy':>11}{'loop/lib':>10}{'peak mem':>10}"
    )
    print(header)
    print("-" * len(header))
    for name in names:
        lib, bare, make = CASES[name]
        for n in args.rows:
            data = make(n)
            t_lib = _best(lib, data, args.repeat)
            t_bare = _best(bare, data, args.repeat)
            t_loop = _loop_time(lib, data, n)
            out = lib(data)
            mem = _peak_memory(lib, data, out.nbytes)
            print(
                f"{name:<16}{n:>10}{t_lib:>11.4f}{t_bare:>10.4f}{t_loop:>10.2f}"
                f"{t_lib / t_bare:>10.2f}x{t_loop / t_lib:>9.0f}x{mem:>9.2f}x"
            )
    print(
        "\nlibrary: clinscores call with validation; numpy: the bare formula, no validation;"
        f"\nloop: scalar API per patient (timed on {LOOP_SAMPLE} rows, scaled);"
        "\npeak mem: peak memory allocated during the library call / size of its output."
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
