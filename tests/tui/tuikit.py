"""Helpers for driving the terminal app with Pilot: a fixed today, seeded cases."""

from __future__ import annotations

import time
from collections.abc import Callable
from datetime import date
from pathlib import Path

from paperwork.services.cases import new_case
from paperwork.services.letters import draft_letter, mark_sent

TODAY = date(2026, 11, 26)
SIZE = (100, 32)


def sample_case():
    from paperwork.core.schema import CaseFileSchema, load_with, read_structured_file
    from paperwork.services.demo import sample_case_path

    return load_with(CaseFileSchema(), read_structured_file(sample_case_path()), "sample")


def seed(
    home: Path, draft: bool = False, sent_via: str = "", today: date = TODAY
) -> dict[str, int]:
    """Put the sample case (optionally a drafted, optionally sent complaint) in ``home``."""
    from paperwork.services.session import Paperwork

    pw = Paperwork(home)
    try:
        ids = {"case": new_case(pw, sample_case(), today)}
        if draft or sent_via:
            letter = draft_letter(pw, ids["case"], "complaint", today)
            ids["letter"] = letter.id
            if sent_via:
                mark_sent(pw, letter.id, today, sent_via)
    finally:
        pw.close()
    return ids


def services(home: Path):
    from paperwork.services.session import Paperwork

    return Paperwork(home)


async def wait_for(pilot, predicate: Callable[[], object], timeout: float = 15.0) -> None:
    """Let the app work until ``predicate()`` holds (workers run on other threads)."""
    deadline = time.monotonic() + timeout
    while True:
        await pilot.pause()
        try:
            if predicate():
                return
        except Exception:  # the widget may not exist yet
            pass
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {predicate}")
        await pilot.pause(0.05)


def screen_name(pilot) -> str:
    return type(pilot.app.screen).__name__


class AppInThread:
    """The app running under Pilot on its own thread and event loop, so a synchronous
    test (a hypothesis one, say) can drive it one step at a time with :meth:`run`::

        with AppInThread(app) as driver:
            driver.run(lambda pilot: pilot.press("n"))
    """

    def __init__(self, app, size: tuple[int, int] = SIZE):
        self.app = app
        self.size = size
        self.pilot = None
        self._loop = None
        self._stop = None
        self._ready = __import__("threading").Event()
        self._failure: BaseException | None = None

    def __enter__(self) -> AppInThread:
        import asyncio
        import contextvars
        import threading

        async def host() -> None:
            self._loop = asyncio.get_running_loop()
            self._stop = asyncio.Event()
            async with self.app.run_test(size=self.size) as pilot:
                self.pilot = pilot
                # Steps run in the app's context (Textual keeps the active app in
                # context variables), not in the context of the thread that asks.
                self._context = contextvars.copy_context()
                self._ready.set()
                await self._stop.wait()

        def main() -> None:
            try:
                asyncio.run(host())
            except BaseException as exc:  # reported by __exit__ and run()
                self._failure = exc
            finally:
                self._ready.set()

        self._thread = threading.Thread(target=main, name="pilot", daemon=True)
        self._thread.start()
        self._ready.wait(60)
        if self._failure is not None:
            raise self._failure
        return self

    def run(self, step, timeout: float = 60.0):
        """Run ``await step(pilot)`` on the app's loop and return its result."""
        import asyncio
        import concurrent.futures

        if self._failure is not None:
            raise self._failure
        future: concurrent.futures.Future = concurrent.futures.Future()

        def start() -> None:
            task = asyncio.ensure_future(step(self.pilot))
            task.add_done_callback(
                lambda done: (
                    future.set_exception(done.exception())
                    if done.exception()
                    else future.set_result(done.result())
                )
            )

        self._loop.call_soon_threadsafe(start, context=self._context)
        return future.result(timeout)

    def __exit__(self, *exc_info) -> None:
        if self._loop is not None and self._stop is not None:
            self._loop.call_soon_threadsafe(self._stop.set)
        self._thread.join(60)
        if self._failure is not None and exc_info[0] is None:
            raise self._failure
