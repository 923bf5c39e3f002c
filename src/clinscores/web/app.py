"""The ASGI application: :func:`create_app`, its middleware and limits, :func:`serve`.

The limits of request bodies, the security headers on every answer
(:data:`CSP` and others), the error handlers (every error answer is JSON),
the lifespan that stops the worker processes of large score requests, and
the routes of :mod:`clinscores.web.pages` and :mod:`clinscores.web.api`.
"""

from __future__ import annotations

import contextlib
import json
from collections.abc import AsyncIterator, Awaitable, Callable, MutableMapping, Sequence
from typing import Any, Final

from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException
from starlette.middleware import Middleware
from starlette.middleware.cors import CORSMiddleware
from starlette.middleware.trustedhost import TrustedHostMiddleware
from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from clinscores.web import api, pages
from clinscores.web.api import _json, _Problem
from clinscores.web.worker import _ScoreWorker

__all__ = [
    "CSP",
    "LOOPBACK",
    "SCORE_LIMIT",
    "SCREEN_LIMIT",
    "WORKER_THRESHOLD",
    "create_app",
    "serve",
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
        *pages.routes(),
        *api.routes(
            worker.score, worker_threshold, score_limit=SCORE_LIMIT, screen_limit=SCREEN_LIMIT
        ),
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
