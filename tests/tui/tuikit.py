"""Helpers for driving the terminal app with Pilot: a fixed today, seeded cases."""

from __future__ import annotations

import time
from collections.abc import Callable
from datetime import date
from pathlib import Path

TODAY = date(2026, 11, 26)
SIZE = (100, 32)


def sample_case():
    from paperwork.demo import sample_case_path
    from paperwork.schema import CaseFileSchema, load_with, read_structured_file

    return load_with(CaseFileSchema(), read_structured_file(sample_case_path()), "sample")


def seed(
    home: Path, draft: bool = False, sent_via: str = "", today: date = TODAY
) -> dict[str, int]:
    """Put the sample case (optionally a drafted, optionally sent complaint) in ``home``."""
    from paperwork.services import Paperwork

    pw = Paperwork(home)
    try:
        ids = {"case": pw.new_case(sample_case(), today)}
        if draft or sent_via:
            letter = pw.draft_letter(ids["case"], "complaint", today)
            ids["letter"] = letter.id
            if sent_via:
                pw.mark_sent(letter.id, today, sent_via)
    finally:
        pw.close()
    return ids


def services(home: Path):
    from paperwork.services import Paperwork

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
