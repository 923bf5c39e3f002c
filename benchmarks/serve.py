"""Load benchmark of ``clinscores serve``: screen requests and one large score request.

Run from a checkout with the web extra installed::

    python benchmarks/serve.py                         # 5,000 screens, 32 clients, 10^6 rows
    python benchmarks/serve.py --requests 2000 --clients 8 --rows 100000

It starts the server (uvicorn, one process) on 127.0.0.1 on a free port in a
subprocess; only loopback traffic.  It then

1. sends ``--requests`` ``POST /api/v1/screen`` requests (the 12 example
   patients in turn) from ``--clients`` concurrent clients (threads, one
   keep-alive connection each), and reports throughput, p50/p99 latency and
   errors (any status other than 200, or a wrong verdict);
2. scores ``--rows`` rows of DAS28-ESR in one ``POST /api/v1/score/das28_esr``
   and reports its wall time (encoding, transfer, parsing, scoring, answer)
   against the in-process call of :func:`clinscores.ra.das28_esr` and of
   :func:`clinscores.frame.score` on the same data (this first large request
   also starts the server's worker process);
3. sends that large request again and, while it runs, screen requests from
   the same clients as in 1, and reports their p50/p99 latency beside the
   figures of 1 (screening alone).

``--worker-threshold BYTES`` is passed to :func:`clinscores.web.create_app`
(e.g. ``--worker-threshold 1000000000``: every score request in a thread of
the server, as before the worker process existed).

It is bounded in count and in time (``--max-seconds`` for the whole run) and
stops the server by itself.  A benchmark, not a test.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import socket
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import Any

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = sorted((ROOT / "examples" / "patients").glob("*.json"))


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


def start_server(port: int, worker_threshold: int | None = None) -> subprocess.Popen[bytes]:
    option = "" if worker_threshold is None else f"worker_threshold={worker_threshold}"
    code = (
        "import uvicorn; from clinscores.web import create_app; "
        f"uvicorn.run(create_app({option}), host='127.0.0.1', port={port}, "
        "log_level='warning', access_log=False)"
    )
    proc = subprocess.Popen([sys.executable, "-c", code])
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
            conn.request("GET", "/healthz")
            if conn.getresponse().status == 200:
                conn.close()
                return proc
        except OSError:
            time.sleep(0.1)
    proc.terminate()
    raise SystemExit("the server did not start")


def screens(
    port: int, n: int, clients: int, stop_at: float, until: threading.Event | None = None
) -> dict[str, Any]:
    """Screen requests from *clients* threads: *n* in all, or until *until* is set."""
    from clinscores.eligibility import screen

    bodies = [p.read_bytes() for p in EXAMPLES]
    expected = [screen(json.loads(b)).status for b in bodies]
    latencies: list[float] = []
    errors: list[str] = []
    lock = threading.Lock()
    counter = iter(range(n))

    def client() -> None:
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        mine: list[float] = []
        while time.monotonic() < stop_at and not (until is not None and until.is_set()):
            with lock:
                i = next(counter, None)
            if i is None:
                break
            k = i % len(bodies)
            t0 = time.perf_counter()
            try:
                conn.request(
                    "POST",
                    "/api/v1/screen",
                    body=bodies[k],
                    headers={"content-type": "application/json"},
                )
                r = conn.getresponse()
                data = r.read()
                mine.append(time.perf_counter() - t0)
                if r.status != 200 or json.loads(data)["status"] != expected[k]:
                    with lock:
                        errors.append(f"{r.status} {data[:80]!r}")
            except (OSError, http.client.HTTPException) as exc:
                with lock:
                    errors.append(repr(exc))
                conn.close()
                conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        conn.close()
        with lock:
            latencies.extend(mine)

    threads = [threading.Thread(target=client) for _ in range(clients)]
    t0 = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    wall = time.perf_counter() - t0
    lat = sorted(latencies)
    return {
        "requests": len(lat),
        "clients": clients,
        "seconds": wall,
        "per_second": len(lat) / wall,
        "p50_ms": 1000 * statistics.median(lat),
        "p99_ms": 1000 * lat[min(len(lat) - 1, int(0.99 * len(lat)))],
        "errors": len(errors),
        "first_errors": errors[:3],
    }


def das28_rows(rows: int) -> dict[str, Any]:
    rng = np.random.default_rng(0)
    return {
        "tjc28": rng.integers(0, 29, rows),
        "sjc28": rng.integers(0, 29, rows),
        "esr": rng.integers(1, 121, rows),
        "ptga_mm": rng.integers(0, 101, rows),
    }


def big_score(port: int, rows: int) -> dict[str, Any]:
    import pandas as pd

    from clinscores.frame import score
    from clinscores.ra import das28_esr

    data = das28_rows(rows)
    t0 = time.perf_counter()
    direct = das28_esr(**data)
    t_direct = time.perf_counter() - t0
    t0 = time.perf_counter()
    score(pd.DataFrame(data), "das28_esr")
    t_frame = time.perf_counter() - t0
    t0 = time.perf_counter()
    body = json.dumps({k: v.tolist() for k, v in data.items()}).encode()
    t_encode = time.perf_counter() - t0
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=300)
    t0 = time.perf_counter()
    conn.request(
        "POST", "/api/v1/score/das28_esr", body=body, headers={"content-type": "application/json"}
    )
    r = conn.getresponse()
    answer = r.read()
    t_request = time.perf_counter() - t0
    t0 = time.perf_counter()
    doc = json.loads(answer)
    t_decode = time.perf_counter() - t0
    conn.close()
    got = np.array(doc["result"]["das28_esr"], dtype=float)
    return {
        "rows": rows,
        "status": r.status,
        "request_mb": len(body) / 1e6,
        "answer_mb": len(answer) / 1e6,
        "in_process_s": t_direct,
        "frame_s": t_frame,
        "client_encode_s": t_encode,
        "request_s": t_request,
        "client_decode_s": t_decode,
        "equal": bool(np.array_equal(got, direct)),
    }


def screens_during_big_score(
    port: int, rows: int, n: int, clients: int, stop_at: float
) -> dict[str, Any]:
    """Screen requests while one large score request is in progress (until it is answered)."""
    body = json.dumps({k: v.tolist() for k, v in das28_rows(rows).items()}).encode()
    done = threading.Event()
    big: dict[str, Any] = {}

    def post() -> None:
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=300)
        t0 = time.perf_counter()
        conn.request(
            "POST",
            "/api/v1/score/das28_esr",
            body=body,
            headers={"content-type": "application/json"},
        )
        r = conn.getresponse()
        r.read()
        big["status"], big["seconds"] = r.status, time.perf_counter() - t0
        conn.close()
        done.set()

    thread = threading.Thread(target=post)
    thread.start()
    s = screens(port, n, clients, stop_at, until=done)
    thread.join()
    return {**s, "big_status": big["status"], "big_seconds": big["seconds"]}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=5000)
    parser.add_argument("--clients", type=int, default=32)
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--max-seconds", type=float, default=300.0)
    parser.add_argument(
        "--worker-threshold",
        type=int,
        default=None,
        metavar="BYTES",
        help="create_app(worker_threshold=BYTES); default: the application's own",
    )
    args = parser.parse_args(argv)
    port = free_port()
    proc = start_server(port, args.worker_threshold)
    try:
        stop_at = time.monotonic() + args.max_seconds
        s = screens(port, args.requests, args.clients, stop_at)
        print(
            f"screen: {s['requests']} requests from {s['clients']} clients in "
            f"{s['seconds']:.2f} s: {s['per_second']:.0f} requests/s, "
            f"p50 {s['p50_ms']:.1f} ms, p99 {s['p99_ms']:.1f} ms, errors {s['errors']}"
        )
        for e in s["first_errors"]:
            print("  error:", e)
        b = big_score(port, args.rows)
        print(
            f"score das28_esr, {b['rows']:,} rows in one request (status {b['status']}, "
            f"request {b['request_mb']:.1f} MB, answer {b['answer_mb']:.1f} MB): "
            f"{b['request_s']:.2f} s; in process: das28_esr {b['in_process_s']:.3f} s, "
            f"frame.score {b['frame_s']:.3f} s; client JSON encode {b['client_encode_s']:.2f} s, "
            f"decode {b['client_decode_s']:.2f} s; same numbers: {b['equal']}"
        )
        d = screens_during_big_score(port, args.rows, args.requests, args.clients, stop_at)
        print(
            f"screen while one {args.rows:,}-row score request runs ({d['big_seconds']:.2f} s, "
            f"status {d['big_status']}): {d['requests']} requests, "
            f"p50 {d['p50_ms']:.1f} ms, p99 {d['p99_ms']:.1f} ms, errors {d['errors']}; "
            f"alone: p50 {s['p50_ms']:.1f} ms, p99 {s['p99_ms']:.1f} ms"
        )
        ok = (
            s["errors"] == 0
            and b["status"] == 200
            and b["equal"]
            and d["errors"] == 0
            and d["big_status"] == 200
        )
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
    print(f"cpus: {os.cpu_count()}, python {sys.version.split()[0]}")
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
