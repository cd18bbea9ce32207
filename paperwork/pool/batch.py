"""Group commit for shares: one writer thread stores whatever shares are waiting in one
transaction, so a burst of members costs one commit (one disk flush) per batch, not
one per member.

At a quiet moment a batch is one share and nothing waits; under a burst, the shares
that arrive while a batch is being written make the next one. No share is answered
before its batch is committed, so an acknowledged event is on disk; a refused share
(wrong token, revoked member) is refused alone; a fault of the database fails its
whole batch (5xx), and the members' clients send again, counted once.
"""

from __future__ import annotations

import threading
from concurrent.futures import Future

from sqlalchemy.engine import Engine

from . import store


class ShareWriter:
    """The writer thread of one server process and the shares waiting for it."""

    def __init__(self, engine: Engine, most: int = 64) -> None:
        self.engine = engine
        self.most = most
        self._waiting: list[tuple[store.Share, Future[list[str]]]] = []
        self._turn = threading.Condition()
        self._thread = threading.Thread(target=self._run, name="pool-share-writer", daemon=True)
        self._thread.start()

    def submit(self, request: store.Share) -> Future[list[str]]:
        """Queue one share; the future holds the ids the pool holds, or raises Refused."""
        done: Future[list[str]] = Future()
        with self._turn:
            self._waiting.append((request, done))
            self._turn.notify()
        return done

    def _run(self) -> None:
        while True:
            with self._turn:
                while not self._waiting:
                    self._turn.wait()
                batch, self._waiting = self._waiting[: self.most], self._waiting[self.most :]
            try:
                answers = store.share_many(self.engine, [request for request, _done in batch])
            except BaseException as fault:  # each waiting request gets it
                for _request, done in batch:
                    done.set_exception(fault)
                continue
            for (_request, done), answer in zip(batch, answers, strict=True):
                if isinstance(answer, store.Refused):
                    done.set_exception(answer)
                else:
                    done.set_result(answer)
