"""The levers that add up, as use cases: pressure and outcomes across every case."""

from __future__ import annotations

from typing import TYPE_CHECKING

from paperwork.services.session import Paperwork

if TYPE_CHECKING:
    from paperwork.aggregate.stats import Stats


def pressure_stats(pw: Paperwork) -> Stats:
    """What ``paperwork stats`` shows: per company and overall, from the whole store."""
    from paperwork.aggregate.stats import compute_stats

    store = pw.store
    return compute_stats(store.cases(), store.letters(), store.events())
