"""Benchmark of FHIR input and output: reading, screening and writing bundles.

Run from a checkout with the fhir extra installed::

    python benchmarks/fhir_bundles.py              # each example, best of 20
    python benchmarks/fhir_bundles.py --repeat 50

For every hand-written EHR-style bundle in ``examples/fhir`` it times
:func:`clinscores.fhir.record_from_bundle` (parse, validate every resource
with ``fhir.resources``, map to the record), :func:`clinscores.fhir.screen_bundle`
(the same, then the screen and the resource ids of each criterion), and
the screen of the same record given directly, :func:`clinscores.eligibility.screen`.
For every example patient in ``examples/patients`` it times
:func:`clinscores.fhir.bundle_from_record`.  It prints milliseconds per
call and the ratio of ``screen_bundle`` to ``screen``: what reading FHIR
adds to a screen.  Last, a large bundle: the RA example with 1,500 more
white-cell counts on the same day (0.9 MB), read with and without the
validation by ``fhir.resources`` (``--large N`` sets the count): the
reconciliation of same-day values is O(n log n), so what remains after
validation stays small.  A benchmark, not a test.
"""

from __future__ import annotations

import argparse
import copy
import json
import math
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from clinscores.eligibility import screen
from clinscores.fhir import bundle_from_record, record_from_bundle, screen_bundle
from clinscores.fhir import read as fhir_read

ROOT = Path(__file__).resolve().parents[1]


def _best_ms(fn: Callable[[], Any], repeat: int) -> float:
    best = math.inf
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - t0)
    return best * 1e3


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--repeat", type=int, default=20)
    parser.add_argument("--large", type=int, default=1500, help="same-day counts added")
    args = parser.parse_args(argv)

    print("| bundle | resources | record_from_bundle ms | screen_bundle ms | screen ms | ratio |")
    print("|---|---|---|---|---|---|")
    for path in sorted((ROOT / "examples" / "fhir").glob("*.json")):
        bundle = json.loads(path.read_text("utf-8"))
        record = record_from_bundle(bundle)
        read = _best_ms(lambda b=bundle: record_from_bundle(b), args.repeat)
        full = _best_ms(lambda b=bundle: screen_bundle(b), args.repeat)
        direct = _best_ms(lambda r=record: screen(r), args.repeat)
        print(
            f"| {path.name} | {len(bundle['entry'])} | {read:.2f} | {full:.2f} | {direct:.2f} "
            f"| {full / direct:.1f} |"
        )
    print()
    print("| patient | bundle_from_record ms |")
    print("|---|---|")
    for path in sorted((ROOT / "examples" / "patients").glob("*.json")):
        patient = json.loads(path.read_text("utf-8"))
        write = _best_ms(lambda p=patient: bundle_from_record(p), args.repeat)
        print(f"| {path.name} | {write:.2f} |")
    print()
    large = same_day_bundle(args.large)
    repeat = max(1, min(args.repeat, 3))
    full = _best_ms(lambda: record_from_bundle(large), repeat)
    validated = fhir_read._validate_bundle(large)
    original = fhir_read._validate_bundle
    try:
        fhir_read._validate_bundle = lambda data: validated
        reading = _best_ms(lambda: record_from_bundle(large), repeat)
    finally:
        fhir_read._validate_bundle = original
    print("| large bundle | resources | MB | record_from_bundle ms | without validation ms |")
    print("|---|---|---|---|---|")
    print(
        f"| ra_bundle.json + {args.large} same-day white-cell counts | {len(large['entry'])} "
        f"| {len(json.dumps(large)) / 1e6:.2f} | {full:.0f} | {reading:.0f} |"
    )
    return 0


def same_day_bundle(n: int) -> dict[str, Any]:
    """The RA example bundle with *n* more white-cell counts on the day of its own."""
    bundle: dict[str, Any] = json.loads((ROOT / "examples" / "fhir" / "ra_bundle.json").read_text())
    wbc = next(
        e["resource"] for e in bundle["entry"] if e["resource"].get("id") == "lab-wbc-20261028"
    )
    for i in range(n):
        obs = copy.deepcopy(wbc)
        obs["id"] = f"wbc-{i}"
        bundle["entry"].append({"resource": obs})
    return bundle


if __name__ == "__main__":
    sys.exit(main())
