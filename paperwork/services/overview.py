"""Lists across cases that the command line prints and the app shows, computed once:
every case with its next step, and the letters drafted but not sent yet."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING

from paperwork.services.describe import NextLine, next_line
from paperwork.services.session import Paperwork

if TYPE_CHECKING:
    from paperwork.aggregate.stats import Stats
    from paperwork.core.model import Case, Letter
    from paperwork.core.schedule import NextStep


@dataclass
class CaseRow:
    """One case and what comes next on it: the plan's step, and the step in words."""

    id: int
    title: str
    company: str
    status: str
    step: NextStep | None
    next: NextLine


def case_rows(pw: Paperwork, today: date) -> list[CaseRow]:
    """Every case (by id) with its next step as of ``today``."""
    from paperwork.services.cases import list_cases
    from paperwork.services.schedule import case_view

    rows = []
    for case in list_cases(pw):
        assert case.id is not None
        view = case_view(pw, case.id, today)
        rows.append(
            CaseRow(
                case.id,
                case.title,
                case.company.name,
                case.status,
                view.plan.next,
                next_line(pw, view, today),
            )
        )
    return rows


@dataclass
class UnsentLetter:
    """A drafted letter of an open case that still has to be printed and sent."""

    letter: Letter
    case: Case


def unsent_letters(pw: Paperwork) -> list[UnsentLetter]:
    """Drafted letters of open cases not sent yet, oldest first, each with its case."""
    cases: dict[int, Case] = {}
    out = []
    for letter in pw.store.unsent_letters():
        if letter.case_id not in cases:
            cases[letter.case_id] = pw.store.case(letter.case_id)
        out.append(UnsentLetter(letter, cases[letter.case_id]))
    return out


def stats(pw: Paperwork) -> Stats:
    """Pressure applied and outcomes won, per company and overall, across every case."""
    from paperwork.aggregate.stats import compute_stats

    store = pw.store
    return compute_stats(store.cases(), store.letters(), store.events())
