"""How the server's requests reach the database: ``Threads`` on SQLite, ``OnLoop`` on
PostgreSQL. Both run store.py's functions, given a connection in a transaction, so the
SQL is written once; they differ in who holds the connection while it waits.

SQLite is a file in the process: its calls cannot wait on an event loop, and its writes
take turns anyway, so every write goes through the group-commit writer thread (batch.py)
and a read runs in a server thread.

PostgreSQL is across a socket: the requests wait on the server's event loop itself,
through psycopg 3's async connections (SQLAlchemy's async engine), and store's functions
run unchanged inside ``AsyncConnection.run_sync`` (a greenlet that hands each statement's
wait to the loop), so no request hops to a thread and none competes with the loop for
the interpreter lock. Joins, invites, leaves and reads run side by side, each in its own
transaction. The shares waiting are stored together, one batch at a time, by
``store.share_batch``, whose statements carry the whole batch: under a burst the driver's
and SQLAlchemy's work a statement, most of the server's CPU, is paid once a batch rather
than once a share (benchmarks/POOL.md, fourth round: 6.5 -> 3.2-4.2 ms of CPU a request,
and no queue in front of the app).
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Sequence
from functools import partial
from typing import Protocol, TypeVar

from sqlalchemy.engine import Connection, Engine
from sqlalchemy.ext.asyncio import AsyncEngine
from starlette.concurrency import run_in_threadpool

from . import store
from .batch import Writer

T = TypeVar("T")
Work = Callable[[Connection], T]


class Access(Protocol):
    """The database as the endpoints see it; ``work`` is a call of one of store's functions
    waiting for its connection (``partial(store.join, slug=…)`` or a lambda)."""

    async def write(self, work: Work[T]) -> T:
        """``work`` in a transaction that commits (or takes everything back if it raises)."""
        ...

    async def share(self, request: store.Share) -> list[str]:
        """A member's share: the ids the pool holds, or Refused."""
        ...

    async def read(self, work: Work[T]) -> T:
        """``work`` on a connection that only reads."""
        ...

    async def close(self) -> None:
        """Close the database connections (the server is stopping)."""
        ...


class Threads:
    """SQLite: writes in the writer thread's next batch, one commit for all; reads in a
    server thread."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self.writer = Writer(engine)

    async def write(self, work: Work[T]) -> T:
        return await asyncio.wrap_future(self.writer.run(work))

    async def share(self, request: store.Share) -> list[str]:
        return await asyncio.wrap_future(self.writer.share(request))

    async def read(self, work: Work[T]) -> T:
        return await run_in_threadpool(self._read, work)

    def _read(self, work: Work[T]) -> T:
        with self.engine.connect() as connection:
            return work(connection)

    async def close(self) -> None:
        self.engine.dispose()


class OnLoop:
    """PostgreSQL: every transaction on the event loop, side by side, except the shares:
    those waiting are stored together (store.share_batch), one batch at a time."""

    def __init__(self, engine: AsyncEngine, most: int = 64) -> None:
        self.engine = engine
        self.most = most
        self._waiting: list[tuple[store.Share, asyncio.Future[list[str]]]] = []
        self._storing: asyncio.Task[None] | None = None

    async def write(self, work: Work[T]) -> T:
        async with self.engine.begin() as connection:
            return await connection.run_sync(work)

    async def share(self, request: store.Share) -> list[str]:
        done: asyncio.Future[list[str]] = asyncio.get_running_loop().create_future()
        self._waiting.append((request, done))
        if self._storing is None or self._storing.done():
            self._storing = asyncio.create_task(self._store_waiting())
        return await done

    async def _store_waiting(self) -> None:
        """Store the shares waiting, in batches of at most ``most``, until none is left.
        A batch is sent again once when the connection had dropped (sending again
        changes nothing); a fault of the database fails its batch (5xx), and the
        members' clients send again."""
        while self._waiting:
            batch, self._waiting = self._waiting[: self.most], self._waiting[self.most :]
            requests = [request for request, _done in batch]
            answers: Sequence[list[str] | Exception]
            try:
                answers = await _once_more_if_disconnected(
                    partial(self.write, partial(store.share_batch, requests=requests))
                )
            except Exception as fault:
                answers = [fault] * len(batch)
            for (_request, done), answer in zip(batch, answers, strict=True):
                if done.done():  # its request was cancelled (the client went away)
                    continue
                if isinstance(answer, Exception):  # a refusal (4xx) or the batch's fault
                    done.set_exception(answer)
                else:
                    done.set_result(answer)

    async def read(self, work: Work[T]) -> T:
        return await _once_more_if_disconnected(lambda: self._read(work))

    async def _read(self, work: Work[T]) -> T:
        async with self.engine.connect() as connection:
            return await connection.run_sync(work)

    async def close(self) -> None:
        await self.engine.dispose()


async def _once_more_if_disconnected(run: Callable[[], Awaitable[T]]) -> T:
    try:
        return await run()
    except Exception as exc:
        if not store.disconnected(exc):
            raise
        return await run()
