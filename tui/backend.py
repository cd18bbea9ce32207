"""The services, kept on one thread of their own.

SQLite connections belong to the thread that opened them, and opening the
store, loading the catalogue or rendering a PDF must never freeze the screen.
So one :class:`Backend` owns a single worker thread and the one
:class:`~paperwork.services.Paperwork` that lives on it; screens ``await`` calls
from async workers, and thread workers (rendering) call it blocking.
"""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Callable
from concurrent.futures import Future
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

if TYPE_CHECKING:
    from concurrent.futures import ThreadPoolExecutor

    from paperwork.services.session import Paperwork

T = TypeVar("T")


class Backend:
    """One data folder's services, reached from the UI without blocking it."""

    def __init__(self, home: Path):
        self.home = home
        self._pool: ThreadPoolExecutor | None = None
        self._pool_lock = threading.Lock()
        self._pw: Paperwork | None = None

    @property
    def _executor(self) -> ThreadPoolExecutor:
        """The services thread, started by the first call (after the first paint: its
        module is not among what the first screen waits for)."""
        with self._pool_lock:  # a thread worker may make the first call too
            if self._pool is None:
                from concurrent.futures import ThreadPoolExecutor

                self._pool = ThreadPoolExecutor(
                    max_workers=1, thread_name_prefix="paperwork-services"
                )
            return self._pool

    def _services(self) -> Paperwork:
        if self._pw is None:
            # Imported here, on the services thread: the first screen paints
            # while the core (marshmallow, the catalogue, SQLite) loads.
            from paperwork.services.session import Paperwork

            self._pw = Paperwork(self.home)
        return self._pw

    def submit(self, fn: Callable[..., T], *args: Any, **kwargs: Any) -> Future[T]:
        """Run ``fn(pw, *args, **kwargs)`` on the services thread."""
        return self._executor.submit(lambda: fn(self._services(), *args, **kwargs))

    async def call(self, fn: Callable[..., T], *args: Any, **kwargs: Any) -> T:
        """Await ``fn(pw, ...)`` from the event loop (an async worker or handler)."""
        return await asyncio.wrap_future(self.submit(fn, *args, **kwargs))

    def call_blocking(self, fn: Callable[..., T], *args: Any, **kwargs: Any) -> T:
        """Call ``fn(pw, ...)`` from a thread worker and wait for it."""
        return self.submit(fn, *args, **kwargs).result()

    def close(self) -> None:
        """Close the store on its own thread and stop the thread."""

        def _close() -> None:
            if self._pw is not None:
                self._pw.close()
                self._pw = None

        if self._pool is None:
            return  # never started
        try:
            self._pool.submit(_close).result(timeout=10)
        finally:
            self._pool.shutdown(wait=False)
