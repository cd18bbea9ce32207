"""The deadline calendar of a data folder: events from the schedule, a per-folder
calendar id in every UID, and a record of what was exported before (in the store's
settings) so that withdrawn events go out as CANCELLED (render/ics.py)."""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from paperwork.services.session import Paperwork

CALENDAR_ID = "calendar_id"  # settings key: random, made once per data folder
CALENDAR_EXPORTED = "calendar_exported"  # settings key: UID -> what was last exported


@dataclass(frozen=True)
class CalendarExport:
    path: Path
    events: int
    cases: int


def calendar_id(pw: Paperwork) -> str:
    """This data folder's calendar id, made (randomly) and stored the first time."""
    store = pw.store
    value = store.get_setting(CALENDAR_ID)
    if not value:
        with store.transaction():
            value = store.get_setting(CALENDAR_ID)
            if not value:
                value = secrets.token_hex(6)
                store.set_setting(CALENDAR_ID, value)
    return str(value)


def export_calendar(pw: Paperwork, case_id: int | None, out: Path, today: date) -> CalendarExport:
    """Write the calendar of one case (or all) to ``out`` and remember what went out."""
    from paperwork.core.i18n import _, interface_locale
    from paperwork.render.ics import calendar_text, case_events, reconcile
    from paperwork.services.cases import list_cases
    from paperwork.services.schedule import case_view
    from paperwork.store.files import atomic_write

    cases = [pw.store.case(case_id)] if case_id is not None else list_cases(pw)
    folder = calendar_id(pw)
    locale = interface_locale()  # kind titles in the interface language, like the words around them

    def title_of(kind_id: str) -> str:
        kind = pw.catalog.kinds.get(kind_id)
        return kind.title(locale) if kind else kind_id.replace("_", " ")

    current = []
    for case in cases:
        assert case.id is not None  # read from the store
        view = case_view(pw, case.id, today)
        current += case_events(view.case, view.plan, title_of, folder)
    previous = pw.store.get_setting(CALENDAR_EXPORTED) or {}
    scope = {case_id} if case_id is not None else None
    events, record = reconcile(current, previous, today, scope)
    atomic_write(out, calendar_text(events, today, name=_("Paperwork deadlines")).encode("utf-8"))
    if record != previous:
        with pw.store.transaction():
            pw.store.set_setting(CALENDAR_EXPORTED, record)
    return CalendarExport(out, len(events), len(cases))
