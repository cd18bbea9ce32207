"""Fixtures for the terminal app's tests: the app on the test's folder, async tests."""

from __future__ import annotations

import asyncio
import inspect
import time
from datetime import date
from pathlib import Path

import pytest
from tuikit import TODAY


@pytest.fixture
def make_app(home):
    """Build the app on the test's data folder with a fixed today."""

    def make(
        today: date = TODAY, demo: bool = False, clock=time.monotonic, folder: Path | None = None
    ):
        from paperwork.tui.app import PaperworkApp

        return PaperworkApp(folder or home, demo=demo, today=today, clock=clock)

    return make


@pytest.hookimpl(tryfirst=True)
def pytest_pyfunc_call(pyfuncitem):
    """Run ``async def`` tests on a fresh event loop (no asyncio plugin is installed)."""
    if inspect.iscoroutinefunction(pyfuncitem.obj):
        args = {name: pyfuncitem.funcargs[name] for name in pyfuncitem._fixtureinfo.argnames}
        asyncio.run(pyfuncitem.obj(**args))
        return True
    return None
