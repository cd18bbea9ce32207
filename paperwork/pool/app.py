"""``create_app(db_url)``: the pool server as one Starlette application.

The database is migrated to the newest schema when the app is made, before the
first request. Every error leaves as a one-line JSON ``{"error": "..."}`` with a
4xx status (5xx only for a fault of the server, still without a stack trace).
"""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import JSONResponse

from . import api, page
from .access import OnLoop, Threads
from .db import make_async_engine, make_engine
from .migrations import upgrade
from .security import BodyTooLarge, LimitsMiddleware, RateLimiter
from .store import Refused

log = logging.getLogger("paperwork.pool")


def _error(status: int, message: str) -> JSONResponse:
    return JSONResponse({"error": message}, status_code=status)


async def _refused(_request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, Refused)
    return _error(exc.status, exc.message)


async def _http_error(_request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, HTTPException)
    messages = {404: "no such address", 405: "method not allowed here"}
    return _error(exc.status_code, messages.get(exc.status_code, str(exc.detail)))


async def _too_large(request: Request, _exc: Exception) -> JSONResponse:
    return _error(413, f"request body over {request.app.state.max_body} bytes")


async def _fault(_request: Request, exc: Exception) -> JSONResponse:
    log.exception("internal error", exc_info=exc)
    return _error(500, "internal error of the pool server")


def create_app(
    db_url: str,
    *,
    public_url: str | None = None,
    rate: float | None = 20.0,
    burst: int = 120,
    max_body: int = 256 * 1024,
    pool_size: int = 10,
) -> Starlette:
    """The pool server on ``db_url`` (``postgresql://…`` or ``sqlite:///PATH``).

    ``public_url`` is the server's address as members see it (behind a proxy);
    by default links are made from each request's own address. ``rate`` requests
    a second per client address, ``burst`` at once (None: no limit). ``max_body``
    caps a request body in bytes.
    """
    engine = make_engine(db_url, pool_size=pool_size)
    upgrade(engine)
    if engine.dialect.name == "sqlite":
        db: Threads | OnLoop = Threads(engine)
    else:  # the migration's connections are not the loop's
        engine.dispose()
        db = OnLoop(make_async_engine(db_url, pool_size=pool_size))

    @asynccontextmanager
    async def lifespan(_app: Starlette) -> AsyncIterator[None]:
        yield
        await db.close()

    app = Starlette(
        routes=[*api.routes, *page.routes],
        lifespan=lifespan,
        exception_handlers={
            Refused: _refused,
            HTTPException: _http_error,
            BodyTooLarge: _too_large,
            Exception: _fault,
        },
    )
    # SQLite: every write through the group-commit writer thread (it writes one
    # transaction at a time and flushes the disk at each commit); PostgreSQL: on the
    # event loop, shares batched. access.py says why.
    app.state.db = db
    app.state.public_url = public_url
    app.state.max_body = max_body
    limiter = RateLimiter(rate, burst) if rate else None
    app.add_middleware(LimitsMiddleware, limiter=limiter, max_body=max_body)
    return app
