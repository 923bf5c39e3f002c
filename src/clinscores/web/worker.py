"""The worker processes of large score requests.

A :class:`concurrent.futures.ProcessPoolExecutor` started with ``spawn``:
what it runs is :func:`clinscores.web.api.score_request`, a module-level
function that takes and gives plain values (the raw body in, the encoded
answer out), so that it pickles into a fresh interpreter.
"""

from __future__ import annotations

import asyncio
import multiprocessing
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool

from clinscores.web.api import _Problem, score_request

__all__: list[str] = []


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
