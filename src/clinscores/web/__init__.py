"""``clinscores serve``: a JSON API and the screening and calculator pages.

Modules: :mod:`~clinscores.web.app`, the factory with its middleware, limits
and ``serve``; :mod:`~clinscores.web.api`, the API routes and their request
handling; :mod:`~clinscores.web.openapi_doc`; :mod:`~clinscores.web.pages`,
the pages and static files; :mod:`~clinscores.web.worker`, the process pool.

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

from clinscores.web.api import score_request, score_values, screen_request
from clinscores.web.app import CSP as CSP
from clinscores.web.app import LOOPBACK as LOOPBACK
from clinscores.web.app import SCORE_LIMIT, SCREEN_LIMIT, WORKER_THRESHOLD, create_app
from clinscores.web.app import serve as serve
from clinscores.web.openapi_doc import openapi

# CSP, LOOPBACK and serve (imported as themselves) are public too, outside
# __all__ as before the split
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
