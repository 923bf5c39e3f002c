"""``clinscores serve``: a JSON API and the screening and calculator pages.

An ASGI application (Starlette) built only on the package's own functions:

* ``GET /api/v1/instruments``: :func:`clinscores.registry.describe` of every
  instrument (what ``clinscores list`` shows);
* ``POST /api/v1/score/{instrument}``: scores through
  :func:`clinscores.frame.score` (``?errors=coerce`` as there);
* ``POST /api/v1/screen``: :func:`clinscores.eligibility.screen`, answered
  with the document ``clinscores screen --json`` prints
  (:func:`clinscores._screen_cli.screening_document`);
* ``GET /api/v1/schema/patient``: :func:`clinscores.record.load_schema`;
* ``GET /openapi.json``, ``GET /healthz``;
* ``/`` (screening page), ``/calculators`` and ``/static/...``: files of
  this package, read once when the application is made.

Security: bodies are limited (:data:`SCREEN_LIMIT`, :data:`SCORE_LIMIT`;
413 beyond), JSON only (415 otherwise), a strict Content-Security-Policy
(scripts and styles from this server only, no inline script, no outside
request), no server-side state and no file-system access from requests.
CORS is off unless origins are given.  A malformed request is a 4xx, never
a 500.

Needs the ``web`` extra: ``pip install "clinscores[web]"``.
"""

from __future__ import annotations

import contextlib
import json
import re
from collections.abc import Awaitable, Callable, Mapping, MutableMapping, Sequence
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
from clinscores._screen_cli import encode, screen_any, screening_document
from clinscores.frame import MissingColumnError, RowError
from clinscores.frame import score as score_frame
from clinscores.record import RecordError, load_schema
from clinscores.registry import Instrument, describe, get, instruments

__all__ = ["SCORE_LIMIT", "SCREEN_LIMIT", "create_app", "openapi", "score_values"]

#: Largest body of ``POST /api/v1/screen`` (1 MiB).
SCREEN_LIMIT: Final = 1 << 20
#: Largest body of ``POST /api/v1/score/{instrument}`` (64 MiB; 10^6 rows of DAS28-ESR take 15 MB).
SCORE_LIMIT: Final = 64 << 20

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
    """ASGI middleware adding :data:`CSP` and the other security headers."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = [h for h in message.get("headers", []) if h[0] not in dict(_HEADERS)]
                message["headers"] = headers + _HEADERS
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


async def _body(request: Request, limit: int) -> Any:
    """The JSON body: 415 unless JSON, 413 beyond *limit* bytes, 400 if malformed."""
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
    raw = b"".join(chunks)
    try:
        return json.loads(raw)
    except UnicodeDecodeError:
        raise _Problem(400, "body is not UTF-8 text") from None
    except json.JSONDecodeError as exc:
        raise _Problem(400, f"malformed JSON: {exc}") from None
    except RecursionError:
        raise _Problem(400, "malformed JSON: nested too deeply") from None


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


def _score_encoded(inst: Instrument, body: object, errors: str) -> tuple[int, bytes]:
    status, doc = score_values(inst, body, errors)
    text = json.dumps(doc, ensure_ascii=False, allow_nan=False, separators=(",", ":"))
    return status, text.encode("utf-8")


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
        "400": error("malformed JSON"),
        "413": error("body too large"),
        "415": error("content type is not application/json"),
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


def create_app(
    cors_origins: Sequence[str] = (), allowed_hosts: Sequence[str] | None = None
) -> Starlette:
    """The ASGI application.

    Parameters
    ----------
    cors_origins : sequence of str
        Origins allowed to call the API from a browser (CORS); none by default.
    allowed_hosts : sequence of str, optional
        Host header values accepted (against DNS rebinding); all when None.
    """
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
            inst = get(name)
        except KeyError as exc:
            return _json({"error": str(exc.args[0])}, 404)
        errors = request.query_params.get("errors", "raise")
        if errors not in ("raise", "coerce"):
            return _json({"error": f"errors = {errors!r}; expected 'raise' or 'coerce'"}, 400)
        body = await _body(request, SCORE_LIMIT)
        # scoring and encoding a large answer take seconds: not on the event loop
        status, text = await run_in_threadpool(_score_encoded, inst, body, errors)
        return Response(text, status_code=status, media_type="application/json")

    async def screen_patient(request: Request) -> Response:
        body = await _body(request, SCREEN_LIMIT)
        try:
            doc = screening_document(screen_any(body))
        except RecordError as exc:
            return _json(
                {
                    "error": f"invalid patient record ({len(exc.problems)} problems)",
                    "problems": [_problem(p) for p in exc.problems],
                },
                422,
            )
        return Response(encode(doc, indent=None), media_type="application/json")

    async def problem(request: Request, exc: Exception) -> Response:
        assert isinstance(exc, _Problem)
        return _json(exc.body, exc.status)

    async def http_error(request: Request, exc: Exception) -> Response:
        assert isinstance(exc, HTTPException)
        return _json({"error": exc.detail}, exc.status_code)

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
    return Starlette(
        routes=routes,
        middleware=middleware,
        exception_handlers={_Problem: problem, HTTPException: http_error},
    )


LOOPBACK: Final = frozenset({"127.0.0.1", "localhost", "::1"})


def serve(host: str = "127.0.0.1", port: int = 8000, cors_origins: Sequence[str] = ()) -> None:
    """Run the application with uvicorn (blocks until interrupted)."""
    import uvicorn

    hosts = None if host not in LOOPBACK else ["127.0.0.1", "localhost", "::1", "[::1]"]
    app = create_app(cors_origins, allowed_hosts=hosts)
    uvicorn.run(app, host=host, port=port, server_header=False, log_level="info")
