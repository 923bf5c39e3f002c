"""``clinscores serve``: a JSON API and the screening and calculator pages.

An ASGI application (Starlette) built only on the package's own functions:

* ``GET /api/v1/instruments``: :func:`clinscores.registry.describe` of every
  instrument (what ``clinscores list`` shows);
* ``POST /api/v1/score/{instrument}``: scores through
  :func:`clinscores.frame.score` (``?errors=coerce`` as there);
* ``POST /api/v1/screen``: :func:`clinscores.eligibility.screen`, answered
  with the document ``clinscores screen --json`` prints
  (:func:`clinscores.screening.screening_document`);
* ``GET /api/v1/schema/patient``: :func:`clinscores.record.load_schema`;
* ``GET /openapi.json``, ``GET /healthz``;
* ``/`` (screening page), ``/calculators`` and ``/static/...``: files of
  this package, read once when the application is made.

Security: bodies are limited (:data:`SCREEN_LIMIT`, :data:`SCORE_LIMIT`;
413 beyond), JSON only (415 otherwise), read strictly
(:func:`clinscores._json.loads`: a duplicate key, a number beyond float,
``NaN`` or ``Infinity`` is a 400 naming its JSON path), a strict
Content-Security-Policy (scripts and styles from this server only, no inline
script, no outside request), no server-side state and no file-system access
from requests.  CORS is off unless origins are given.  A malformed request
is a 4xx, never a 500; every error answer, a 500 included, is a JSON
document ``{"error": ...}`` with the security headers.

Responsiveness: the event loop only receives bodies and sends answers.  A
screen request is parsed and screened in a thread; a score request in a
thread, or, when its body is larger than the application's
``worker_threshold`` (default :data:`WORKER_THRESHOLD`), in a worker process
(a :class:`concurrent.futures.ProcessPoolExecutor` the application starts at
its first large request and shuts down with its lifespan), which gets the
raw body and gives back the encoded answer, so that one 10^6-row request
does not stall the screening of other patients.

Needs the ``web`` extra: ``pip install "clinscores[web]"`` (which brings the
``fhir`` extra too: the screening page accepts FHIR Bundles).
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import multiprocessing
import re
from collections.abc import AsyncIterator, Awaitable, Callable, Mapping, MutableMapping, Sequence
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from importlib import resources
from typing import Any, Final

import numpy as np
import pandas as pd
from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException
from starlette.middleware import Middleware
from starlette.middleware.cors import CORSMiddleware
from starlette.middleware.trustedhost import TrustedHostMiddleware
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from clinscores import __version__
from clinscores._core import InputError, report
from clinscores._extras import MissingExtraError
from clinscores._json import JsonError, loads
from clinscores.frame import MissingColumnError, RowError
from clinscores.frame import score as score_frame
from clinscores.record import RecordError, load_schema
from clinscores.registry import Instrument, describe, get, instruments
from clinscores.screening import encode, screen_any, screening_document

__all__ = [
    "SCORE_LIMIT",
    "SCREEN_LIMIT",
    "WORKER_THRESHOLD",
    "create_app",
    "openapi",
    "score_request",
    "score_values",
    "screen_request",
]

#: Largest body of ``POST /api/v1/screen`` (1 MiB).
SCREEN_LIMIT: Final = 1 << 20
#: Largest body of ``POST /api/v1/score/{instrument}`` (64 MiB; 10^6 rows of DAS28-ESR take 15 MB).
SCORE_LIMIT: Final = 64 << 20
#: Score bodies larger than this (1 MiB, about 65,000 rows of DAS28-ESR) are
#: parsed, scored and encoded in the worker process, smaller ones in a thread.
WORKER_THRESHOLD: Final = 1 << 20

#: Content-Security-Policy of every response: this server's own scripts,
#: styles and API only; no inline script or style, no frames, no forms
#: posted elsewhere.
CSP: Final = (
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; "
    "connect-src 'self'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
)
_HEADERS: Final = [
    (b"content-security-policy", CSP.encode()),
    (b"x-content-type-options", b"nosniff"),
    (b"referrer-policy", b"no-referrer"),
    (b"x-frame-options", b"DENY"),
    (b"cross-origin-opener-policy", b"same-origin"),
    (b"cache-control", b"no-store"),
]

_STATIC_TYPES: Final = {
    ".html": "text/html; charset=utf-8",
    ".js": "text/javascript; charset=utf-8",
    ".css": "text/css; charset=utf-8",
    ".svg": "image/svg+xml",
}

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]


class _SecurityHeaders:
    """ASGI middleware adding :data:`CSP` and the other security headers.

    It also makes every error answer JSON: an error that a Starlette
    component answers as text (an invalid Host header, a refused CORS
    preflight) becomes ``{"error": <that text>}``.
    """

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        held: list[Message] = []
        text: list[bytes] = []

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = [h for h in message.get("headers", []) if h[0] not in dict(_HEADERS)]
                message["headers"] = headers + _HEADERS
                ctype = dict(message["headers"]).get(b"content-type", b"")
                if message["status"] >= 400 and not ctype.startswith(b"application/json"):
                    held.append(message)  # answered as JSON once its text is known
                    return
            elif message["type"] == "http.response.body" and held:
                text.append(message.get("body", b""))
                if message.get("more_body", False):
                    return
                body = json.dumps({"error": b"".join(text).decode("utf-8", "replace")}).encode()
                start = held.pop()
                start["headers"] = [
                    h for h in start["headers"] if h[0] not in (b"content-type", b"content-length")
                ] + [
                    (b"content-type", b"application/json"),
                    (b"content-length", str(len(body)).encode()),
                ]
                await send(start)
                message = {"type": "http.response.body", "body": body}
            await send(message)

        await self.app(scope, receive, send_with_headers)


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
    """An output column as JSON values: NaN and <NA> become null."""
    if kind == "float":
        return _nullable(values.to_numpy(dtype=np.float64))
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
# OpenAPI
# --------------------------------------------------------------------------


def _parameter_schema(p: Mapping[str, Any]) -> dict[str, Any]:
    dom = p["domain"]
    one: dict[str, Any]
    if dom["flag"]:
        one = {"type": ["boolean", "null"]}
    else:
        one = {"type": ["integer" if dom["integer"] else "number", "null"]}
        for key, bound in (("minimum", "exclusive_minimum"), ("maximum", "exclusive_maximum")):
            if dom[key] is not None:
                name = ("exclusiveM" if dom[bound] else "m") + key[1:]
                one[name] = dom[key]
        if dom["words"] and dom["words_only"]:
            one = {"enum": [*dom["words"], None]}
        elif dom["words"]:
            one = {"oneOf": [one, {"enum": dom["words"]}]}
    return {
        "description": f"{p['text']} ({dom['description']})",
        "oneOf": [one, {"type": "array", "items": one}],
    }


def openapi() -> dict[str, Any]:
    """The OpenAPI 3.1 document of the API, made from the registry and the record schema."""
    descs = [describe(inst) for inst in instruments().values()]
    schemas: dict[str, Any] = {
        "Patient": load_schema(),
        "Error": {
            "type": "object",
            "properties": {"error": {"type": "string"}},
            "required": ["error"],
        },
        "ScoreError": {
            "type": "object",
            "properties": {
                "error": {"type": "string"},
                "parameter": {"type": ["string", "null"]},
                "row": {"type": ["integer", "null"]},
            },
            "required": ["error"],
        },
        "JsonProblems": {
            "type": "object",
            "properties": {
                "error": {"type": "string"},
                "problems": {
                    "type": "array",
                    "items": {
                        "type": "object",
                        "properties": {
                            "path": {"type": ["string", "null"]},
                            "message": {"type": "string"},
                        },
                    },
                },
            },
            "required": ["error"],
        },
        "MissingExtra": {
            "type": "object",
            "properties": {"error": {"type": "string"}, "extra": {"type": "string"}},
            "required": ["error", "extra"],
        },
        "RecordProblems": {
            "type": "object",
            "properties": {
                "error": {"type": "string"},
                "problems": {
                    "type": "array",
                    "items": {
                        "type": "object",
                        "properties": {
                            "path": {"type": ["string", "null"]},
                            "message": {"type": "string"},
                        },
                    },
                },
            },
        },
    }
    for d in descs:
        schemas[f"score_{d['name']}"] = {
            "type": "object",
            "description": d["summary"],
            "properties": {p["name"]: _parameter_schema(p) for p in d["parameters"]},
            "required": [p["name"] for p in d["parameters"] if p["required"]],
            "additionalProperties": False,
        }

    def error(text: str, ref: str = "Error") -> dict[str, Any]:
        return {
            "description": text,
            "content": {"application/json": {"schema": {"$ref": f"#/components/schemas/{ref}"}}},
        }

    common = {
        "400": error(
            "malformed JSON, text that is not UTF-8, a duplicate key, a number beyond float, "
            "NaN or Infinity, nesting deeper than 100 levels (each problem with its JSON path)",
            "JsonProblems",
        ),
        "413": error("body too large"),
        "415": error("content type is not application/json"),
        "500": error("an unexpected error of the server"),
    }
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "clinscores",
            "version": __version__,
            "description": "Rheumatology scores and the NCT07052565 eligibility screen.",
        },
        "paths": {
            "/healthz": {
                "get": {"summary": "Liveness", "responses": {"200": {"description": "ok"}}}
            },
            "/api/v1/instruments": {
                "get": {
                    "summary": "The instruments: parameters, units, domains, outputs, references",
                    "responses": {"200": {"description": "one object per instrument"}},
                }
            },
            "/api/v1/schema/patient": {
                "get": {
                    "summary": "JSON Schema of the patient record",
                    "responses": {"200": {"description": "the schema"}},
                }
            },
            "/api/v1/score/{instrument}": {
                "post": {
                    "summary": "Score values or lists of values",
                    "parameters": [
                        {
                            "name": "instrument",
                            "in": "path",
                            "required": True,
                            "schema": {"enum": [d["name"] for d in descs]},
                        },
                        {
                            "name": "errors",
                            "in": "query",
                            "schema": {"enum": ["raise", "coerce"], "default": "raise"},
                            "description": "coerce: score the valid rows, one message per "
                            "invalid row",
                        },
                    ],
                    "requestBody": {
                        "required": True,
                        "content": {
                            "application/json": {
                                "schema": {
                                    "oneOf": [
                                        {"$ref": f"#/components/schemas/score_{d['name']}"}
                                        for d in descs
                                    ]
                                }
                            }
                        },
                    },
                    "responses": {
                        "200": {"description": "instrument, result, reported, errors"},
                        "404": error("unknown instrument"),
                        "422": error("invalid value", "ScoreError"),
                        "503": error("the worker process of large requests stopped; try again"),
                        **common,
                    },
                }
            },
            "/api/v1/screen": {
                "post": {
                    "summary": "Screen a patient record for trial NCT07052565",
                    "requestBody": {
                        "required": True,
                        "content": {
                            "application/json": {"schema": {"$ref": "#/components/schemas/Patient"}}
                        },
                    },
                    "responses": {
                        "200": {"description": "what `clinscores screen --json` prints"},
                        "422": error("invalid record", "RecordProblems"),
                        "501": error(
                            "a FHIR Bundle, and the fhir extra is not installed", "MissingExtra"
                        ),
                        **common,
                    },
                }
            },
        },
        "components": {"schemas": schemas},
    }


# --------------------------------------------------------------------------
# the application
# --------------------------------------------------------------------------

_PATH = re.compile(r"^([A-Za-z_][\w.\[\]]*): (.*)$", re.DOTALL)


def _problem(text: str) -> dict[str, Any]:
    match = _PATH.match(text)
    if match:
        return {"path": match.group(1), "message": match.group(2)}
    return {"path": None, "message": text}


def _static_files() -> dict[str, tuple[bytes, str]]:
    folder = resources.files("clinscores.web").joinpath("static")
    files: dict[str, tuple[bytes, str]] = {}
    for entry in folder.iterdir():
        suffix = "." + entry.name.rsplit(".", 1)[-1]
        if entry.is_file() and suffix in _STATIC_TYPES:
            files[entry.name] = (entry.read_bytes(), _STATIC_TYPES[suffix])
    return files


class _ScoreWorker:
    """The worker processes of large score requests: started at first use, stopped with the app.

    Processes are started with ``spawn`` (a fork of a server with threads is
    unsafe).  A worker that dies (e.g. out of memory) gives a 503 and the
    pool is made again at the next request.
    """

    def __init__(self, processes: int) -> None:
        self.processes = processes
        self._pool: ProcessPoolExecutor | None = None

    @property
    def started(self) -> bool:
        """Whether the pool has been started (and not shut down)."""
        return self._pool is not None

    def _get(self) -> ProcessPoolExecutor:
        if self._pool is None:
            self._pool = ProcessPoolExecutor(
                self.processes, mp_context=multiprocessing.get_context("spawn")
            )
        return self._pool

    async def score(self, name: str, raw: bytes, errors: str) -> tuple[int, bytes]:
        """:func:`score_request` in a worker process."""
        pool = self._get()
        try:
            return await asyncio.wrap_future(pool.submit(score_request, name, raw, errors))
        except BrokenProcessPool:
            if self._pool is pool:
                self._pool = None
            pool.shutdown(wait=False, cancel_futures=True)
            raise _Problem(
                503, "the scoring worker process stopped (out of memory?); try again"
            ) from None

    def shutdown(self) -> None:
        """Stop the worker processes (waits for the requests they are answering)."""
        pool, self._pool = self._pool, None
        if pool is not None:
            pool.shutdown(wait=True, cancel_futures=True)


def create_app(
    cors_origins: Sequence[str] = (),
    allowed_hosts: Sequence[str] | None = None,
    *,
    worker_threshold: int = WORKER_THRESHOLD,
    score_workers: int = 1,
) -> Starlette:
    """The ASGI application.

    Parameters
    ----------
    cors_origins : sequence of str
        Origins allowed to call the API from a browser (CORS); none by default.
    allowed_hosts : sequence of str, optional
        Host header values accepted (against DNS rebinding); all when None.
    worker_threshold : int
        Score bodies larger than this [bytes, >= 0] are answered in a worker
        process (default :data:`WORKER_THRESHOLD`, 1 MiB), smaller ones in a
        thread of the server process.
    score_workers : int
        Worker processes for large score requests [>= 1; default 1]; further
        large requests wait for a free one.

    Notes
    -----
    The worker processes start at the first large score request and stop
    when the application's lifespan ends (``app.state.score_worker``).
    Screen requests are parsed and screened in a thread, so the event loop
    (``/healthz``, other requests) is never held by one.
    """
    if worker_threshold < 0 or score_workers < 1:
        raise ValueError("worker_threshold must be >= 0 and score_workers >= 1")
    worker = _ScoreWorker(score_workers)
    static = _static_files()
    api_doc = openapi()
    listing = [describe(inst) for inst in instruments().values()]
    schema = load_schema()

    def page(name: str) -> Callable[[Request], Awaitable[Response]]:
        async def handler(request: Request) -> Response:
            body, ctype = static[name]
            return Response(body, media_type=ctype)

        return handler

    async def static_file(request: Request) -> Response:
        found = static.get(request.path_params["name"])
        if found is None:
            return _json({"error": "not found"}, 404)
        return Response(found[0], media_type=found[1])

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
        raw = await _read(request, SCORE_LIMIT)
        # parsing, scoring and encoding a large answer take seconds and hold the
        # GIL: not on the event loop, and beyond the threshold not in this process
        if len(raw) > worker_threshold:
            status, text = await worker.score(name, raw, errors)
        else:
            status, text = await run_in_threadpool(score_request, name, raw, errors)
        return Response(text, status_code=status, media_type="application/json")

    async def screen_patient(request: Request) -> Response:
        raw = await _read(request, SCREEN_LIMIT)
        status, text = await run_in_threadpool(screen_request, raw)
        return Response(text, status_code=status, media_type="application/json")

    async def problem(request: Request, exc: Exception) -> Response:
        assert isinstance(exc, _Problem)
        return _json(exc.body, exc.status)

    async def http_error(request: Request, exc: Exception) -> Response:
        assert isinstance(exc, HTTPException)
        return _json({"error": exc.detail}, exc.status_code)

    async def crash(request: Request, exc: Exception) -> Response:
        # answered by Starlette's outermost middleware, outside _SecurityHeaders
        return JSONResponse(
            {"error": "internal error: the request could not be answered"},
            status_code=500,
            headers={k.decode(): v.decode() for k, v in _HEADERS},
        )

    @contextlib.asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        try:
            yield
        finally:
            await run_in_threadpool(worker.shutdown)

    middleware = [Middleware(_SecurityHeaders)]
    if allowed_hosts is not None:
        middleware.append(Middleware(TrustedHostMiddleware, allowed_hosts=list(allowed_hosts)))
    if cors_origins:
        middleware.append(
            Middleware(
                CORSMiddleware,
                allow_origins=list(cors_origins),
                allow_methods=["GET", "POST"],
                allow_headers=["content-type"],
            )
        )
    routes = [
        Route("/", page("index.html"), methods=["GET"]),
        Route("/calculators", page("calculators.html"), methods=["GET"]),
        Route("/static/{name}", static_file, methods=["GET"]),
        Route("/healthz", healthz, methods=["GET"]),
        Route("/openapi.json", openapi_json, methods=["GET"]),
        Route("/api/v1/instruments", list_instruments, methods=["GET"]),
        Route("/api/v1/schema/patient", patient_schema, methods=["GET"]),
        Route("/api/v1/score/{instrument}", score, methods=["POST"]),
        Route("/api/v1/screen", screen_patient, methods=["POST"]),
    ]
    app = Starlette(
        routes=routes,
        middleware=middleware,
        exception_handlers={_Problem: problem, HTTPException: http_error, Exception: crash},
        lifespan=lifespan,
    )
    app.state.score_worker = worker
    return app


LOOPBACK: Final = frozenset({"127.0.0.1", "localhost", "::1"})


def serve(host: str = "127.0.0.1", port: int = 8000, cors_origins: Sequence[str] = ()) -> None:
    """Run the application with uvicorn (blocks until interrupted)."""
    import uvicorn

    hosts = None if host not in LOOPBACK else ["127.0.0.1", "localhost", "::1", "[::1]"]
    app = create_app(cors_origins, allowed_hosts=hosts)
    uvicorn.run(app, host=host, port=port, server_header=False, log_level="info")
