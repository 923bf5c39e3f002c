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
adds to a screen.  A benchmark, not a test.
"""

from __future__ import annotations

import argparse
import json
import math
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from clinscores.eligibility import screen
from clinscores.fhir import bundle_from_record, record_from_bundle, screen_bundle

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
    return 0


if __name__ == "__main__":
    sys.exit(main())
