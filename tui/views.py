"""Plain data the screens show, computed on the services thread.

Screens never touch the store: they ask for one of these summaries, made from
:class:`~paperwork.services.CaseView` and friends, and lay it out.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING

from paperwork.core.i18n import _
from paperwork.services.describe import (
    NextLine,
    TimelineRow,
    kind_title,
    next_line,
    tally_line,
    timeline_rows,
)

if TYPE_CHECKING:
    from paperwork.core.model import Case, Letter
    from paperwork.services.overview import CaseRow
    from paperwork.services.session import Paperwork


def case_rows(pw: Paperwork, today: date) -> list[CaseRow]:
    """Every case with its next step (as ``paperwork case list``), open cases first and
    the soonest due on top."""
    from paperwork.services.overview import case_rows as all_cases

    order = {"open": 0, "closed": 1, "archived": 2}
    return sorted(
        all_cases(pw, today),
        key=lambda r: (order.get(r.status, 3), r.next.due or date.max, r.id),
    )


@dataclass
class CaseDetails:
    """Everything the case screen shows."""

    case: Case
    letters: list[Letter]
    timeline: list[TimelineRow]
    tally: str
    next: NextLine
    sender_missing: bool = False
    kinds: list[tuple[str, str]] = field(default_factory=list)
    # Each letter as (id, "Letter 3 · Formal complaint · sent 2026-11-02"), for a picker.
    letter_choices: list[tuple[int, str]] = field(default_factory=list)


def case_details(pw: Paperwork, case_id: int, today: date) -> CaseDetails:
    """The case screen's data: the story in date order, the tally and the next step."""
    from paperwork.services.cases import get_profile
    from paperwork.services.schedule import case_view

    view = case_view(pw, case_id, today)
    case = view.case
    return CaseDetails(
        case=case,
        letters=view.letters,
        timeline=timeline_rows(pw, view, today),
        tally=tally_line(view.tally),
        next=next_line(pw, view, today),
        sender_missing=case.sender is None and get_profile(pw) is None,
        letter_choices=[(lt.id or 0, letter_choice(pw, lt, case.locale)) for lt in view.letters],
    )


def letter_choice(pw: Paperwork, letter: Letter, locale: str) -> str:
    """A letter in one line: its number, kind and state."""
    from paperwork.services.describe import letter_status_label

    day = letter.sent_on or letter.drafted_on
    return _("Letter {id} · {kind} · {state} {day}").format(
        id=letter.id,
        kind=kind_title(pw, letter.kind, locale),
        state=letter_status_label(letter.status),
        day=day.isoformat(),
    )


def applicable_kinds(
    pw: Paperwork, case_id: int, today: date
) -> tuple[list[tuple[str, str, str]], str]:
    """Letter kinds for a case: ``(id, title, window note)`` and the one the ladder suggests."""
    from paperwork.services.schedule import case_view

    view = case_view(pw, case_id, today)
    case = view.case
    kinds = []
    for kind in pw.catalog.applicable(case.jurisdiction, case.locale):
        try:
            _where, rule = kind.window_for(case.jurisdiction)
            source = rule.source if len(rule.source) <= 70 else rule.source[:69].rstrip() + "…"
            if source:
                note = _("reply window {window}: {source}").format(
                    window=rule.window, source=source
                )
            else:
                note = _("reply window {window}").format(window=rule.window)
        except Exception:
            note = ""
        kinds.append((kind.id, kind.title(case.locale), note))
    suggested = view.plan.next.kind if view.plan.next else ""
    return kinds, suggested


@dataclass
class AgendaRow:
    """One thing due across all cases."""

    case_id: int
    case_title: str
    company: str
    kind: str
    kind_title: str
    due: date
    deadline: date | None
    overdue: bool
    reason: str
    # A letter already drafted that waits to be printed and sent (not a due row).
    waiting_letter: int | None = None


def agenda_rows(pw: Paperwork, today: date, ahead: int = 7) -> list[AgendaRow]:
    """``services.due(today)``: next letters due now or within ``ahead`` days; then
    the letters drafted but not sent yet, which still have to go out."""
    from paperwork.services.schedule import due_rows

    due = [
        AgendaRow(
            case_id=row.case.id or 0,
            case_title=row.case.title,
            company=row.case.company.name,
            kind=row.step.kind,
            kind_title=kind_title(pw, row.step.kind, row.case.locale),
            due=row.step.due,
            deadline=row.step.deadline,
            overdue=row.overdue,
            reason=row.step.explanation(),
        )
        for row in due_rows(pw, today, horizon_days=ahead)
    ]
    from paperwork.services.overview import unsent_letters

    waiting = [
        AgendaRow(
            case_id=item.case.id or 0,
            case_title=item.case.title,
            company=item.case.company.name,
            kind=item.letter.kind,
            kind_title=kind_title(pw, item.letter.kind, item.case.locale),
            due=item.letter.drafted_on,
            deadline=None,
            overdue=False,
            reason=_("letter {id} is drafted: print it, send it, mark it sent").format(
                id=item.letter.id
            ),
            waiting_letter=item.letter.id,
        )
        for item in unsent_letters(pw)
    ]
    return due + waiting


@dataclass
class ReissueResult:
    """What one press of "re-issue" did: lines drafted and lines that failed."""

    drafted: list[str] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)


def reissue(pw: Paperwork, today: date, out_dir) -> ReissueResult:
    """Draft and render the next letter for every step due by ``today`` (the same
    use case as ``paperwork reissue``), as lines for the screen."""
    from paperwork.services.reissue import reissue_lapsed

    result = ReissueResult()
    for done in reissue_lapsed(pw, today, out_dir):
        if done.error:
            result.failed.append(
                _("{case}: could not draft {kind}: {problem}").format(
                    case=done.case.title, kind=done.kind, problem=done.error
                )
            )
        else:
            result.drafted.append(
                _("{case}: letter {id} -> {path}").format(
                    case=done.case.title, id=done.letter.id, path=done.paths[0]
                )
            )
    return result
