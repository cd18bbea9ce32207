"""Group commit: one writer thread stores whatever writes are waiting (shares, joins, new
pools and invites, leaves) in one transaction, so a burst of members costs one commit
(one disk flush) per batch, not one per request, and no request holds a server thread
while it waits for its turn.

At a quiet moment a batch is one request and nothing waits; under a burst, the
requests that arrive while a batch is being written make the next one, in the order
they came. No write is answered before its batch is committed, so an acknowledged
event is on disk; a refused request (wrong token, revoked member, expired invite) is
refused alone, its own changes taken back (store.write_batch); a fault of the database
fails its whole batch (5xx), and the members' clients send again.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from concurrent.futures import Future
from typing import Any, TypeVar

from sqlalchemy.engine import Connection, Engine

from . import store

T = TypeVar("T")


class Writer:
    """The writer thread of one server process and the writes waiting for it."""

    def __init__(self, engine: Engine, most: int = 64) -> None:
        self.engine = engine
        self.most = most
        self._waiting: list[tuple[store.Share | Callable[[Connection], Any], Future[Any]]] = []
        self._turn = threading.Condition()
        self._thread = threading.Thread(target=self._run, name="pool-writer", daemon=True)
        self._thread.start()

    def share(self, request: store.Share) -> Future[list[str]]:
        """Queue one share; the future holds the ids the pool holds, or raises Refused."""
        return self._queue(request)

    def run(self, work: Callable[[Connection], T]) -> Future[T]:
        """Queue ``work``, a call of one of store's write functions waiting for the batch's
        connection; the future holds what it returns, or raises what it raised."""
        return self._queue(work)

    def _queue(self, item: store.Share | Callable[[Connection], Any]) -> Future[Any]:
        done: Future[Any] = Future()
        with self._turn:
            self._waiting.append((item, done))
            self._turn.notify()
        return done

    def _run(self) -> None:
        while True:
            with self._turn:
                while not self._waiting:
                    self._turn.wait()
                batch, self._waiting = self._waiting[: self.most], self._waiting[self.most :]
            jobs: list[tuple[Callable[[Connection], Any], Future[Any]]] = []
            shares: list[tuple[store.Share, Future[Any]]] = []
            for item, done in batch:
                if isinstance(item, store.Share):
                    shares.append((item, done))
                else:
                    jobs.append((item, done))
            try:
                done_jobs, done_shares = store.write_batch(
                    self.engine, [job for job, _done in jobs], [share for share, _done in shares]
                )
            except BaseException as fault:  # each waiting request gets it
                for _item, done in batch:
                    done.set_exception(fault)
                continue
            waiting = [done for _job, done in jobs] + [done for _share, done in shares]
            for done, answer in zip(waiting, [*done_jobs, *done_shares], strict=True):
                if isinstance(answer, BaseException):
                    done.set_exception(answer)
                else:
                    done.set_result(answer)
