"""Plain data the screens show, computed on the services thread.

Screens never touch the store: they ask for one of these summaries, made from
:class:`~paperwork.services.CaseView` and friends, and lay it out.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from paperwork.model import Case, Letter
    from paperwork.services import CaseView, Paperwork
    from paperwork.tally import Tally


def kind_title(pw: Paperwork, kind: str, locale: str) -> str:
    """A letter kind's human title ("Formal complaint"), or its id if unknown."""
    try:
        return pw.catalog.get(kind).title(locale)
    except Exception:  # an unknown user kind must not break a list
        return kind.replace("_", " ")


def minutes(total: int) -> str:
    """``250`` -> ``4 h 10 min``."""
    hours, mins = divmod(int(total), 60)
    if hours and mins:
        return f"{hours} h {mins} min"
    return f"{hours} h" if hours else f"{mins} min"


def tally_line(tally: Tally) -> str:
    """The pressure applied, as one sentence of numbers."""
    parts = [
        f"{tally.letters_sent} letter{'s' if tally.letters_sent != 1 else ''} sent",
        f"{tally.calls} call{'s' if tally.calls != 1 else ''}",
        f"{minutes(tally.hold_minutes)} on hold",
    ]
    if tally.missed_deadlines:
        parts.append(
            f"{tally.missed_deadlines} deadline{'s' if tally.missed_deadlines != 1 else ''} missed by them"
        )
    if tally.first_contact:
        parts.append(f"{tally.days_since_first_contact} days since it started")
    return " · ".join(parts)


@dataclass
class NextLine:
    """What to do next on a case, in words, and whether it is late.

    ``action`` says which key helps: ``send_draft`` (print and mark sent),
    ``draft`` (draft the next letter), or ``""`` (wait, or nothing to do).
    """

    text: str
    due: date | None
    overdue: bool
    kind: str = ""
    action: str = ""


def next_line(pw: Paperwork, view: CaseView, today: date) -> NextLine:
    """The next step on a case as one plain sentence."""
    case = view.case
    drafts = [lt for lt in view.letters if lt.status == "draft"]
    if case.status != "open":
        return NextLine(f"Nothing: the case is {case.status}.", None, False)
    if drafts:
        latest = drafts[-1]
        title = kind_title(pw, latest.kind, case.locale)
        return NextLine(
            f"Print letter {latest.id} ({title}) and send it; then mark it sent.",
            today,
            False,
            latest.kind,
            "send_draft",
        )
    step = view.plan.next
    if step is None:
        waiting = [c for c in view.plan.clocks if c.waiting]
        if waiting:
            last = waiting[-1]
            return NextLine(
                f"Wait for their reply to letter {last.letter.id} (due by {last.deadline.deadline}).",
                None,
                False,
            )
        return NextLine("Nothing is due. Log their reply, or draft another letter.", None, False)
    title = kind_title(pw, step.kind, case.locale)
    overdue = bool(step.deadline and today > step.deadline and step.due <= today)
    if step.reason == "nothing has been sent yet":
        return NextLine(
            f"Draft and send the first letter: {title}.", step.due, False, step.kind, "draft"
        )
    if step.after_letter is not None and step.deadline is not None:
        if step.due > today:
            return NextLine(
                f"Wait for their reply to letter {step.after_letter} (due by {step.deadline}). "
                f"If none comes, send a {title} from {step.due}.",
                step.due,
                False,
                step.kind,
            )
        return NextLine(
            f"Send a {title} now: they did not reply to letter {step.after_letter} by {step.deadline}.",
            step.due,
            overdue,
            step.kind,
            "draft",
        )
    action = "draft" if step.due <= today else ""
    return NextLine(f"{title} by {step.due}: {step.reason}.", step.due, overdue, step.kind, action)


@dataclass
class CaseRow:
    """One line of the cases table."""

    id: int
    title: str
    company: str
    status: str
    next: NextLine


def case_rows(pw: Paperwork, today: date) -> list[CaseRow]:
    """Every case with its next step, open cases first."""
    rows = []
    for case in pw.cases():
        assert case.id is not None
        view = pw.case_view(case.id, today)
        rows.append(
            CaseRow(case.id, case.title, case.company.name, case.status, next_line(pw, view, today))
        )
    order = {"open": 0, "closed": 1, "archived": 2}
    rows.sort(key=lambda r: (order.get(r.status, 3), r.next.due or date.max, r.id))
    return rows


@dataclass
class TimelineRow:
    """One dated line of a case's story."""

    on: date
    what: str
    detail: str
    letter_id: int | None = None
    late: bool = False
    future: bool = False


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


def case_details(pw: Paperwork, case_id: int, today: date) -> CaseDetails:
    """The case screen's data: the story in date order, the tally and the next step."""
    view = pw.case_view(case_id, today)
    case = view.case
    rows: list[TimelineRow] = []
    for fact in case.facts:
        rows.append(TimelineRow(fact.on, "Happened", fact.text))
    clocks = {c.letter.id: c for c in view.plan.clocks}
    for letter in view.letters:
        title = kind_title(pw, letter.kind, case.locale)
        rows.append(TimelineRow(letter.drafted_on, f"Letter {letter.id} drafted", title, letter.id))
        if letter.sent_on:
            how = letter.via.replace("_", " ")
            extra = f", tracking {letter.tracking}" if letter.tracking else ""
            rows.append(
                TimelineRow(
                    letter.sent_on,
                    f"Letter {letter.id} sent",
                    f"{title}, by {how}{extra}",
                    letter.id,
                )
            )
        if letter.delivered_on:
            rows.append(
                TimelineRow(letter.delivered_on, f"Letter {letter.id} delivered", title, letter.id)
            )
        clock = clocks.get(letter.id)
        if clock:
            deadline = clock.deadline.deadline
            if clock.answered_on:
                state = f"answered on {clock.answered_on}"
                late = clock.answered_on > deadline
            elif deadline < today:
                state, late = "no reply by the deadline", True
            else:
                state, late = f"reply due ({(deadline - today).days} days left)", False
            rows.append(
                TimelineRow(
                    deadline,
                    "Reply deadline",
                    f"letter {letter.id}: {state}",
                    letter.id,
                    late,
                    deadline > today,
                )
            )
    for event in view.events:
        d = event.data
        if event.kind == "call":
            bits = [
                f"{minutes(d.get('waited', 0))} on hold",
                f"{minutes(d.get('duration', 0))} talking",
            ]
            bits += [
                f"{label} {d[key]}"
                for key, label in (("rep", "spoke to"), ("ref", "ref"), ("promised", "promised:"))
                if d.get(key)
            ]
            if d.get("notes"):
                bits.append(str(d["notes"]))
            rows.append(TimelineRow(event.on, "Call", ", ".join(bits)))
        elif event.kind == "response":
            text = str(d.get("summary", ""))
            rows.append(
                TimelineRow(
                    event.on, "Their reply", text + (" (resolved)" if d.get("resolved") else "")
                )
            )
        else:
            text = d.get("summary") or d.get("title") or d.get("kind") or ""
            rows.append(TimelineRow(event.on, event.kind.replace("_", " ").capitalize(), str(text)))
    nxt = next_line(pw, view, today)
    rows.sort(key=lambda r: r.on)
    return CaseDetails(
        case=case,
        letters=view.letters,
        timeline=rows,
        tally=tally_line(view.tally),
        next=nxt,
        sender_missing=case.sender is None and pw.profile() is None,
    )


def applicable_kinds(
    pw: Paperwork, case_id: int, today: date
) -> tuple[list[tuple[str, str, str]], str]:
    """Letter kinds for a case: ``(id, title, window note)`` and the one the ladder suggests."""
    view = pw.case_view(case_id, today)
    case = view.case
    kinds = []
    for kind in pw.catalog.applicable(case.jurisdiction, case.locale):
        try:
            _, rule = kind.window_for(case.jurisdiction)
            source = rule.source if len(rule.source) <= 70 else rule.source[:69].rstrip() + "…"
            note = f"reply window {rule.window}" + (f": {source}" if source else "")
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


def agenda_rows(pw: Paperwork, today: date) -> list[AgendaRow]:
    """``services.due(today)``: next letters due now or within the week."""
    return [
        AgendaRow(
            case_id=row.case.id or 0,
            case_title=row.case.title,
            company=row.case.company.name,
            kind=row.step.kind,
            kind_title=kind_title(pw, row.step.kind, row.case.locale),
            due=row.step.due,
            deadline=row.step.deadline,
            overdue=row.overdue,
            reason=row.step.reason,
        )
        for row in pw.due(today)
    ]


@dataclass
class ReissueResult:
    """What one press of "re-issue" did: lines drafted and lines that failed."""

    drafted: list[str] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)


def reissue(pw: Paperwork, today: date, out_dir) -> ReissueResult:
    """Draft and render the next letter for every step due by ``today``.

    The same steps as ``paperwork reissue`` (which keeps its loop in cli.py); it is
    idempotent because a drafted next letter takes its step off ``due``.
    """
    from paperwork.errors import UserError

    result = ReissueResult()
    for row in pw.due(today, horizon_days=0):
        if row.step.due > today:
            continue
        try:
            new = pw.draft_letter(row.case.id, row.step.kind, today)
            paths = pw.render_letter(new.id, out_dir, ("pdf", "docx"))
        except Exception as exc:  # one bad case must not stop the others
            message = (
                "; ".join(exc.problems)
                if isinstance(exc, UserError)
                else f"unexpected error: {exc}"
            )
            result.failed.append(f"{row.case.title}: could not draft {row.step.kind}: {message}")
            continue
        result.drafted.append(f"{row.case.title}: letter {new.id} -> {paths[0]}")
    return result
