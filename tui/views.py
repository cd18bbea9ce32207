"""Plain data the screens show, computed on the services thread.

Screens never touch the store: they ask for one of these summaries, made from
:class:`~paperwork.services.CaseView` and friends, and lay it out.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING

from paperwork.i18n import N_, _, ngettext

if TYPE_CHECKING:
    from paperwork.model import Case, Letter
    from paperwork.services import CaseView, Paperwork
    from paperwork.tally import Tally


# A case's status as the screens show it; the store keeps the English word.
STATUS_LABELS = {"open": N_("open"), "closed": N_("closed"), "archived": N_("archived")}


def status_label(status: str) -> str:
    """``archived`` in the interface language (an unknown status as it is)."""
    return _(STATUS_LABELS[status]) if status in STATUS_LABELS else status


# How a letter went out, as a word in a sentence ("sent ... by certified").
CHANNEL_WORDS = {
    "post": N_("post"),
    "first_class": N_("first class"),
    "second_class": N_("second class"),
    "certified": N_("certified"),
    "registered": N_("registered"),
    "email": N_("email"),
    "fax": N_("fax"),
    "hand": N_("hand"),
    "online": N_("online"),
}


def channel_word(via: str) -> str:
    """A channel id (``first_class``) as words in the interface language."""
    return _(CHANNEL_WORDS[via]) if via in CHANNEL_WORDS else via.replace("_", " ")


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
        return _("{hours} h {mins} min").format(hours=hours, mins=mins)
    return _("{hours} h").format(hours=hours) if hours else _("{mins} min").format(mins=mins)


def tally_line(tally: Tally) -> str:
    """The pressure applied, as one sentence of numbers."""
    parts = [
        ngettext("{count} letter sent", "{count} letters sent", tally.letters_sent).format(
            count=tally.letters_sent
        ),
        ngettext("{count} call", "{count} calls", tally.calls).format(count=tally.calls),
        _("{time} on hold").format(time=minutes(tally.hold_minutes)),
    ]
    if tally.missed_deadlines:
        parts.append(
            ngettext(
                "{count} deadline missed by them",
                "{count} deadlines missed by them",
                tally.missed_deadlines,
            ).format(count=tally.missed_deadlines)
        )
    if tally.first_contact:
        # English says "days" even for one; other languages inflect.
        days = tally.days_since_first_contact
        parts.append(
            ngettext("{count} days since it started", "{count} days since it started", days).format(
                count=days
            )
        )
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
        return NextLine(
            _("Nothing: the case is {status}.").format(status=status_label(case.status)),
            None,
            False,
        )
    if drafts:
        latest = drafts[-1]
        title = kind_title(pw, latest.kind, case.locale)
        return NextLine(
            _("Print letter {id} ({title}) and send it; then mark it sent.").format(
                id=latest.id, title=title
            ),
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
                _("Wait for their reply to letter {id} (due by {day}).").format(
                    id=last.letter.id, day=last.deadline.deadline
                ),
                None,
                False,
            )
        return NextLine(_("Nothing is due. Log their reply, or draft another letter."), None, False)
    title = kind_title(pw, step.kind, case.locale)
    overdue = bool(step.deadline and today > step.deadline and step.due <= today)
    # The schedule's reason may be English or already translated.
    if step.reason in ("nothing has been sent yet", _("nothing has been sent yet")):
        return NextLine(
            _("Draft and send the first letter: {title}.").format(title=title),
            step.due,
            False,
            step.kind,
            "draft",
        )
    if step.after_letter is not None and step.deadline is not None:
        if step.due > today:
            return NextLine(
                _(
                    "Wait for their reply to letter {id} (due by {deadline}). "
                    "If none comes, send a {title} from {day}."
                ).format(id=step.after_letter, deadline=step.deadline, title=title, day=step.due),
                step.due,
                False,
                step.kind,
            )
        return NextLine(
            _("Send a {title} now: they did not reply to letter {id} by {deadline}.").format(
                title=title, id=step.after_letter, deadline=step.deadline
            ),
            step.due,
            overdue,
            step.kind,
            "draft",
        )
    action = "draft" if step.due <= today else ""
    return NextLine(
        _("{title} by {day}: {reason}.").format(title=title, day=step.due, reason=step.reason),
        step.due,
        overdue,
        step.kind,
        action,
    )


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
        rows.append(TimelineRow(fact.on, _("Happened"), fact.text))
    clocks = {c.letter.id: c for c in view.plan.clocks}
    for letter in view.letters:
        title = kind_title(pw, letter.kind, case.locale)
        rows.append(
            TimelineRow(
                letter.drafted_on,
                _("Letter {id} drafted").format(id=letter.id),
                title,
                letter.id,
            )
        )
        if letter.sent_on:
            how = channel_word(letter.via)
            if letter.tracking:
                detail = _("{title}, by {how}, tracking {tracking}").format(
                    title=title, how=how, tracking=letter.tracking
                )
            else:
                detail = _("{title}, by {how}").format(title=title, how=how)
            rows.append(
                TimelineRow(
                    letter.sent_on,
                    _("Letter {id} sent").format(id=letter.id),
                    detail,
                    letter.id,
                )
            )
        if letter.delivered_on:
            rows.append(
                TimelineRow(
                    letter.delivered_on,
                    _("Letter {id} delivered").format(id=letter.id),
                    title,
                    letter.id,
                )
            )
        clock = clocks.get(letter.id)
        if clock:
            deadline = clock.deadline.deadline
            if clock.answered_on:
                state = _("answered on {day}").format(day=clock.answered_on)
                late = clock.answered_on > deadline
            elif deadline < today:
                state, late = _("no reply by the deadline"), True
            else:
                left = (deadline - today).days
                # English says "days" even for one; other languages inflect.
                state = ngettext(
                    "reply due ({count} days left)", "reply due ({count} days left)", left
                ).format(count=left)
                late = False
            rows.append(
                TimelineRow(
                    deadline,
                    _("Reply deadline"),
                    _("letter {id}: {state}").format(id=letter.id, state=state),
                    letter.id,
                    late,
                    deadline > today,
                )
            )
    for event in view.events:
        d = event.data
        if event.kind == "call":
            bits = [
                _("{time} on hold").format(time=minutes(d.get("waited", 0))),
                _("{time} talking").format(time=minutes(d.get("duration", 0))),
            ]
            said = (
                ("rep", _("spoke to {name}")),
                ("ref", _("ref {reference}")),
                ("promised", _("promised: {promise}")),
            )
            bits += [
                template.format(name=d[key], reference=d[key], promise=d[key])
                for key, template in said
                if d.get(key)
            ]
            if d.get("notes"):
                bits.append(str(d["notes"]))
            rows.append(TimelineRow(event.on, _("Call"), ", ".join(bits)))
        elif event.kind == "response":
            text = str(d.get("summary", ""))
            rows.append(
                TimelineRow(
                    event.on,
                    _("Their reply"),
                    _("{summary} (resolved)").format(summary=text) if d.get("resolved") else text,
                )
            )
        elif event.kind == "evidence":
            rows.append(TimelineRow(event.on, _("Evidence"), str(d.get("title", ""))))
        elif event.kind == "post":
            rows.append(TimelineRow(event.on, _("Public post"), str(d.get("url", ""))))
        elif event.kind == "outcome":
            won = " ".join(str(d[k]) for k in ("amount", "currency") if d.get(k))
            rows.append(
                TimelineRow(
                    event.on, _("Outcome"), " ".join(x for x in (str(d.get("kind", "")), won) if x)
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
    """Draft and render the next letter for every step due by ``today`` (the same
    use case as ``paperwork reissue``), as lines for the screen."""
    result = ReissueResult()
    for done in pw.reissue(today, out_dir):
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
