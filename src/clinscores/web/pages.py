"""The pages (``/``, the screening page; ``/calculators``) and the static files.

The files of ``clinscores/web/static`` are read once, when the routes are
made (:func:`routes`): no request reads the file system.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from importlib import resources
from typing import Final

from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

__all__ = ["routes"]

_STATIC_TYPES: Final = {
    ".html": "text/html; charset=utf-8",
    ".js": "text/javascript; charset=utf-8",
    ".css": "text/css; charset=utf-8",
    ".svg": "image/svg+xml",
}


def _static_files() -> dict[str, tuple[bytes, str]]:
    folder = resources.files("clinscores.web").joinpath("static")
    files: dict[str, tuple[bytes, str]] = {}
    for entry in folder.iterdir():
        suffix = "." + entry.name.rsplit(".", 1)[-1]
        if entry.is_file() and suffix in _STATIC_TYPES:
            files[entry.name] = (entry.read_bytes(), _STATIC_TYPES[suffix])
    return files


def routes() -> list[Route]:
    """The routes of the pages and of ``/static/{name}`` (a 404 for a file not there)."""
    static = _static_files()

    def page(name: str) -> Callable[[Request], Awaitable[Response]]:
        async def handler(request: Request) -> Response:
            body, ctype = static[name]
            return Response(body, media_type=ctype)

        return handler

    async def static_file(request: Request) -> Response:
        found = static.get(request.path_params["name"])
        if found is None:
            return JSONResponse({"error": "not found"}, status_code=404)
        return Response(found[0], media_type=found[1])

    return [
        Route("/", page("index.html"), methods=["GET"]),
        Route("/calculators", page("calculators.html"), methods=["GET"]),
        Route("/static/{name}", static_file, methods=["GET"]),
    ]
