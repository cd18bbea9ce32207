"""The record of calls, replies and outcomes on a case."""

from __future__ import annotations

from datetime import date
from typing import Any

from paperwork.core.model import Event
from paperwork.services.session import Paperwork


def log_event(pw: Paperwork, case_id: int, kind: str, on: date, data: dict[str, Any]) -> Event:
    with pw.store.transaction():
        case = pw.store.case(case_id)
        event = Event(case_id=case_id, kind=kind, on=on, data=data)
        pw.store.add_event(event)
        if kind == "response" and data.get("resolved"):
            case.status = "closed"
            pw.store.save_case(case)
        return event
