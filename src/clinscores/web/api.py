"""The API: its routes and the request handling they run, and the JSON problem bodies.

:func:`routes` gives the routes of ``/healthz``, ``/openapi.json``,
``/api/v1/instruments``, ``/api/v1/schema/patient``,
``POST /api/v1/score/{instrument}`` and ``POST /api/v1/screen``.
:func:`score_request` and :func:`screen_request` answer the two ``POST``
routes from the raw body, with plain values in and out (str, bytes, int), so
that a thread or a worker process can run them; :func:`score_values` scores a
parsed body.  A client error is a :class:`_Problem`, answered by the
application (:mod:`clinscores.web.app`) as ``{"error": ..., **extra}``.
"""

from __future__ import annotations

import contextlib
import json
import re
from collections.abc import Awaitable, Callable
from typing import Any, Final

import numpy as np
import pandas as pd
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from clinscores._core import InputError, report
from clinscores._extras import MissingExtraError
from clinscores._json import JsonError, loads
from clinscores.frame import MissingColumnError, RowError
from clinscores.frame import score as score_frame
from clinscores.record import RecordError, load_schema
from clinscores.registry import Instrument, describe, get, instruments
from clinscores.screening import encode, screen_any, screening_document
from clinscores.web.openapi_doc import openapi

__all__ = ["routes", "score_request", "score_values", "screen_request"]


class _Problem(Exception):
    """A client error answered as JSON: ``{"error": ..., **extra}``."""

    def __init__(self, status: int, error: str, **extra: Any) -> None:
        super().__init__(error)
        self.status = status
        self.body = {"error": error, **extra}


def _json(content: Any, status: int = 200) -> Response:
    return JSONResponse(content, status_code=status)


# --------------------------------------------------------------------------
# request bodies
# --------------------------------------------------------------------------

_JSON_TYPE = re.compile(r"^application/(?:[\w.+-]+\+)?json\s*(?:;.*)?$", re.IGNORECASE)


async def _read(request: Request, limit: int) -> bytes:
    """The raw JSON body: 415 unless JSON, 413 beyond *limit* bytes (as it arrives)."""
    ctype = request.headers.get("content-type", "")
    if not _JSON_TYPE.match(ctype.strip()):
        raise _Problem(415, f"content type {ctype or '(none)'!r}: expected application/json")
    declared = request.headers.get("content-length")
    if declared is not None and declared.strip().isdigit() and int(declared) > limit:
        raise _Problem(413, f"body larger than {limit} bytes")
    chunks: list[bytes] = []
    size = 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > limit:
            raise _Problem(413, f"body larger than {limit} bytes")
        chunks.append(chunk)
    return b"".join(chunks)


def _encode(doc: Any) -> bytes:
    """Compact JSON bytes of an answer (strict: no NaN, no Infinity)."""
    return json.dumps(doc, allow_nan=False, separators=(",", ":")).encode("ascii")


def _json_problem(exc: JsonError) -> dict[str, Any]:
    """The 400 document of a JSON error: the message and each problem with its path."""
    return {
        "error": str(exc),
        "problems": [{"path": path, "message": message} for path, message in exc.problems],
    }


# --------------------------------------------------------------------------
# scoring
# --------------------------------------------------------------------------

_SCALARS: Final = (str, int, float, bool, type(None))


def _nullable(arr: Any) -> list[Any]:
    """Floats as a list, NaN as None."""
    x = np.asarray(arr, dtype=np.float64)
    out = x.astype(object)
    out[np.isnan(x)] = None
    return list(out.tolist())


def _column(values: pd.Series, kind: str) -> list[Any]:
    """An output column as JSON values: NaN and <NA> become null.

    A judgement column (ordered categorical, nullable boolean) is read from
    its codes: one lookup in the table of its categories.
    """
    if kind == "float":
        return _nullable(values.to_numpy(dtype=np.float64))
    if isinstance(values.dtype, pd.CategoricalDtype):
        table = np.array([*values.cat.categories.tolist(), None], dtype=object)
        return list(np.take(table, values.cat.codes.to_numpy()).tolist())  # code -1: None
    if values.dtype == "boolean":
        codes = values.to_numpy(dtype=np.int8, na_value=-1)
        return list(np.take(np.array([False, True, None], dtype=object), codes).tolist())
    obj = values.astype(object)
    return obj.where(values.notna(), None).tolist()  # type: ignore[no-any-return]


def score_values(
    inst: Instrument, body: object, errors: str = "raise"
) -> tuple[int, dict[str, Any]]:
    """Score a request body; (HTTP status, JSON document).

    *body* maps each parameter of *inst* to a value or a list of values
    (lists of one length; a value beside lists is repeated).  Values are
    read as by :func:`clinscores.frame.score` (numbers, booleans, words,
    numbers as text; null is missing).  The document holds ``instrument``,
    ``result`` (each output column: a value for scalar input, else a list),
    ``reported`` (the score as clinically reported, where the instrument has
    a reported precision) and, with ``errors="coerce"``, ``errors`` (a
    message or null per row).  Invalid input gives 422 and
    ``{"error", "parameter", "row"}`` (``row``: 0-based index into the lists,
    null for scalar input).
    """
    names = [p.name for p in inst.parameters]
    if not isinstance(body, dict):
        return 422, {
            "error": "the body must be a JSON object mapping each parameter to a value or a list",
            "parameters": names,
        }
    unknown = sorted(k for k in body if k not in names)
    if unknown:
        return 422, {
            "error": f"{inst.name} has no parameter {', '.join(map(repr, unknown))}; "
            f"parameters: {', '.join(names)}",
            "parameter": unknown[0],
            "row": None,
        }
    lengths = set()
    kinds: dict[str, set[type]] = {}
    for key, value in body.items():
        kinds[key] = set(map(type, value)) if isinstance(value, list) else {type(value)}
        if isinstance(value, list):
            lengths.add(len(value))
            bad = kinds[key] - set(_SCALARS)
            if bad:
                return 422, {
                    "error": f"{key}: a list of numbers, booleans, text or null; "
                    f"found a {min(t.__name__ for t in bad)}",
                    "parameter": key,
                    "row": None,
                }
        elif not isinstance(value, _SCALARS):
            return 422, {
                "error": f"{key}: a value or a list of values; found a {type(value).__name__}",
                "parameter": key,
                "row": None,
            }
    if len(lengths) > 1:
        return 422, {
            "error": "the lists have different lengths: " + ", ".join(map(str, sorted(lengths))),
            "parameter": None,
            "row": None,
        }
    scalar = not lengths
    n = lengths.pop() if lengths else 1
    frame = pd.DataFrame(
        {k: _infer(v if isinstance(v, list) else [v] * n, kinds[k]) for k, v in body.items()},
        index=pd.RangeIndex(n),
    )
    try:
        scored = score_frame(frame, inst.name, errors="coerce" if errors == "coerce" else "raise")
    except MissingColumnError as exc:
        return 422, {
            "error": str(exc).replace("column(s)", "parameter(s)"),
            "parameter": exc.missing[0][1],
            "row": None,
        }
    except RowError as exc:
        return 422, {
            "error": exc.detail if scalar else str(exc),
            "parameter": exc.column,
            "row": None if scalar else exc.position,
        }
    except InputError as exc:  # pragma: no cover - frame raises RowError
        return 422, {"error": str(exc), "parameter": None, "row": None}
    result = {c: _column(scored[c], k) for c, k in inst.output_kinds.items()}
    doc: dict[str, Any] = {"instrument": inst.name, "result": result}
    decimals = describe(inst)["reported_decimals"]
    if decimals is not None:
        raw = scored[inst.name].to_numpy(dtype=np.float64)
        shown = np.asarray(report(raw, inst.name), dtype=np.float64)
        doc["reported"] = {inst.name: _nullable(shown)}
    if errors == "coerce":
        doc["errors"] = _column(scored[f"{inst.name}_error"], "str")
    if scalar:
        doc["result"] = {c: v[0] for c, v in doc["result"].items()}
        if "reported" in doc:
            doc["reported"] = {c: v[0] for c, v in doc["reported"].items()}
        if "errors" in doc:
            doc["errors"] = doc["errors"][0]
    return 200, doc


def _infer(values: list[Any], kinds: set[type]) -> pd.Series:
    """A column: int64 or float64 (None as NaN) when every value is a number, else objects.

    Only a fast path: :func:`clinscores.frame.score` reads objects too
    (numbers as text, booleans, words), and does all the validation.
    """
    # beyond int64 / float64 (OverflowError): the object path, where
    # frame.score reports the value
    with contextlib.suppress(OverflowError):
        if kinds <= {int}:
            return pd.Series(np.array(values, dtype=np.int64))
        if kinds <= {int, float, type(None)}:
            return pd.Series(np.array(values, dtype=np.float64))  # None -> NaN
    return pd.Series(values, dtype=object)


def score_request(name: str, raw: bytes, errors: str = "raise") -> tuple[int, bytes]:
    """Answer ``POST /api/v1/score/{name}``: (HTTP status, JSON bytes).

    Parses *raw* strictly (400 on a JSON error, with each problem's path),
    scores it with :func:`score_values` and encodes the answer.  The
    application runs it in a thread, or in its worker process for a large
    body: all it takes and gives are plain values (str, bytes, int).

    Parameters
    ----------
    name : str
        An instrument of :func:`clinscores.registry.instruments`.
    raw : bytes
        The request body (JSON).
    errors : {"raise", "coerce"}
        As in :func:`score_values`.
    """
    inst = get(name)
    try:
        body = loads(raw, what="request body")
    except JsonError as exc:
        return 400, _encode(_json_problem(exc))
    status, doc = score_values(inst, body, errors)
    return status, _encode(doc)


_PATH = re.compile(r"^([A-Za-z_][\w.\[\]]*): (.*)$", re.DOTALL)


def _problem(text: str) -> dict[str, Any]:
    match = _PATH.match(text)
    if match:
        return {"path": match.group(1), "message": match.group(2)}
    return {"path": None, "message": text}


def screen_request(raw: bytes) -> tuple[int, bytes]:
    """Answer ``POST /api/v1/screen``: (HTTP status, JSON bytes).

    400 on a JSON error, 422 for an invalid record or FHIR Bundle (every
    problem with its JSON path), 501 for a FHIR Bundle without the ``fhir``
    extra, else 200 and what ``clinscores screen --json`` prints.  The
    application runs it in a thread, off the event loop.
    """
    try:
        body = loads(raw, what="request body")
    except JsonError as exc:
        return 400, _encode(_json_problem(exc))
    try:
        doc = screening_document(screen_any(body))
    except RecordError as exc:
        return 422, _encode(
            {
                "error": f"invalid patient record ({len(exc.problems)} problems)",
                "problems": [_problem(p) for p in exc.problems],
            }
        )
    except InputError as exc:  # a value the record allows but an instrument refuses
        return 422, _encode({"error": f"invalid patient record: {exc}", "problems": []})
    except MissingExtraError as exc:
        return 501, _encode({"error": str(exc), "extra": exc.extra})
    return 200, encode(doc, indent=None).encode("utf-8")


# --------------------------------------------------------------------------
# the routes
# --------------------------------------------------------------------------


def routes(
    score_in_worker: Callable[[str, bytes, str], Awaitable[tuple[int, bytes]]],
    worker_threshold: int,
    *,
    score_limit: int,
    screen_limit: int,
) -> list[Route]:
    """The API routes of one application.

    The instrument listing, the patient schema and the OpenAPI document are
    made once, here.

    Parameters
    ----------
    score_in_worker : callable
        Answers a score request as :func:`score_request` does (same
        arguments, same answer), in a worker process; used for bodies larger
        than *worker_threshold*.
    worker_threshold : int
        Score bodies larger than this [bytes, >= 0] go to *score_in_worker*,
        smaller ones are answered in a thread.
    score_limit : int
        Largest body of a score request [bytes] (413 beyond).
    screen_limit : int
        Largest body of a screen request [bytes] (413 beyond).
    """
    api_doc = openapi()
    listing = [describe(inst) for inst in instruments().values()]
    schema = load_schema()

    async def healthz(request: Request) -> Response:
        return _json({"status": "ok"})

    async def list_instruments(request: Request) -> Response:
        return _json(listing)

    async def patient_schema(request: Request) -> Response:
        return _json(schema)

    async def openapi_json(request: Request) -> Response:
        return _json(api_doc)

    async def score(request: Request) -> Response:
        name = request.path_params["instrument"]
        try:
            get(name)
        except KeyError as exc:
            return _json({"error": str(exc.args[0])}, 404)
        errors = request.query_params.get("errors", "raise")
        if errors not in ("raise", "coerce"):
            return _json({"error": f"errors = {errors!r}; expected 'raise' or 'coerce'"}, 400)
        raw = await _read(request, score_limit)
        # parsing, scoring and encoding a large answer take seconds and hold the
        # GIL: not on the event loop, and beyond the threshold not in this process
        if len(raw) > worker_threshold:
            status, text = await score_in_worker(name, raw, errors)
        else:
            status, text = await run_in_threadpool(score_request, name, raw, errors)
        return Response(text, status_code=status, media_type="application/json")

    async def screen_patient(request: Request) -> Response:
        raw = await _read(request, screen_limit)
        status, text = await run_in_threadpool(screen_request, raw)
        return Response(text, status_code=status, media_type="application/json")

    return [
        Route("/healthz", healthz, methods=["GET"]),
        Route("/openapi.json", openapi_json, methods=["GET"]),
        Route("/api/v1/instruments", list_instruments, methods=["GET"]),
        Route("/api/v1/schema/patient", patient_schema, methods=["GET"]),
        Route("/api/v1/score/{instrument}", score, methods=["POST"]),
        Route("/api/v1/screen", screen_patient, methods=["POST"]),
    ]
