"""Cases, letters and events in words, in the interface language.

The command line and the terminal app describe a case the same way: what a
status or channel is called, the story of a case line by line, the pressure
applied in one sentence, and the next step in plain words. Everything here
is text; layout is the caller's.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING

from paperwork.core.i18n import N_, _, ngettext

if TYPE_CHECKING:
    from paperwork.aggregate.stats import Numbers
    from paperwork.core.tally import Tally
    from paperwork.services.schedule import CaseView
    from paperwork.services.session import Paperwork


def _words(table: dict[str, str], key: str) -> str:
    """The words for an id the store keeps in English (a status, a channel, an
    outcome), in the interface language; an id the table lacks, made readable."""
    return _(table[key]) if key in table else key.replace("_", " ")


# A case's status as the screens show it; the store keeps the English word.
STATUS_LABELS = {"open": N_("open"), "closed": N_("closed"), "archived": N_("archived")}


def status_label(status: str) -> str:
    """``archived`` in the interface language (an unknown status as it is)."""
    return _words(STATUS_LABELS, status)


# A letter's state as the screens and the command line show it.
LETTER_STATUS_LABELS = {"draft": N_("draft"), "sent": N_("sent"), "delivered": N_("delivered")}


def letter_status_label(status: str) -> str:
    """``draft`` in the interface language (an unknown status as it is)."""
    return _words(LETTER_STATUS_LABELS, status)


# What a company gave in the end (``log outcome --kind``), as words.
OUTCOME_WORDS = {
    "refund": N_("refund"),
    "credit": N_("credit"),
    "waiver": N_("waiver"),
    "rate_extension": N_("rate extension"),
    "cancellation": N_("cancellation"),
}


def outcome_word(kind: str) -> str:
    """An outcome kind (``rate_extension``) as words in the interface language."""
    return _words(OUTCOME_WORDS, kind)


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
    return _words(CHANNEL_WORDS, via)


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
    if step.is_first_letter:
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
        _("{title} by {day}: {reason}.").format(
            title=title, day=step.due, reason=step.explanation()
        ),
        step.due,
        overdue,
        step.kind,
        action,
    )


@dataclass
class TimelineRow:
    """One dated line of a case's story."""

    on: date
    what: str
    detail: str
    letter_id: int | None = None
    late: bool = False
    future: bool = False
    # Which record the line shows, so it can be opened, corrected or deleted:
    # fact, drafted, sent, delivered, deadline, or an event (with its id).
    record: str = ""
    event_id: int | None = None


def timeline_rows(pw: Paperwork, view: CaseView, today: date) -> list[TimelineRow]:
    """A case's story in date order: facts, letters drafted, sent and delivered, reply
    deadlines, calls, replies, evidence, posts and outcomes, each as one line."""
    case = view.case
    rows: list[TimelineRow] = []
    for fact in case.facts:
        rows.append(TimelineRow(fact.on, _("Happened"), fact.text, record="fact"))
    clocks = {c.letter.id: c for c in view.plan.clocks}
    for letter in view.letters:
        title = kind_title(pw, letter.kind, case.locale)
        rows.append(
            TimelineRow(
                letter.drafted_on,
                _("Letter {id} drafted").format(id=letter.id),
                title,
                letter.id,
                record="drafted",
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
                    record="sent",
                )
            )
        if letter.delivered_on:
            rows.append(
                TimelineRow(
                    letter.delivered_on,
                    _("Letter {id} delivered").format(id=letter.id),
                    title,
                    letter.id,
                    record="delivered",
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
                    record="deadline",
                )
            )
    # what a call's line says about who said what (translated once, not per call)
    said = (
        ("rep", _("spoke to {name}")),
        ("ref", _("ref {reference}")),
        ("promised", _("promised: {promise}")),
    )
    for event in view.events:
        d = event.data
        if event.kind == "call":
            bits = [
                _("{time} on hold").format(time=minutes(d.get("waited", 0))),
                _("{time} talking").format(time=minutes(d.get("duration", 0))),
            ]
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
            what = outcome_word(str(d.get("kind", "")))
            rows.append(TimelineRow(event.on, _("Outcome"), " ".join(x for x in (what, won) if x)))
        else:
            text = d.get("summary") or d.get("title") or d.get("kind") or ""
            rows.append(TimelineRow(event.on, event.kind.replace("_", " ").capitalize(), str(text)))
        rows[-1].record, rows[-1].event_id = "event", event.id  # each kind adds one line
    rows.sort(key=lambda r: r.on)
    return rows


def stats_line(n: Numbers, label: str) -> str:
    """One company's (or all companies') numbers as a sentence: pressure applied, results won."""
    from paperwork.core.i18n import duration, interface_locale, money
    from paperwork.core.model import Money

    locale = interface_locale()
    hold = duration(n.hold_minutes, locale) or _("no time")
    median = n.median_days_to_reply
    if median is None:
        reply = _("no reply yet")
    else:
        reply = _("median {days} day(s) to a first reply").format(days=f"{median:g}")
    won = ", ".join(money(Money(v, c), locale) for c, v in sorted(n.won.items())) or _(
        "nothing yet"
    )
    line = _(
        "{company}: {cases} case(s) ({open} open), {letters} letter(s) sent, {calls} call(s), "
        "{hold} on hold, {reply}; won: {won}."
    ).format(
        company=label,
        cases=n.cases,
        open=n.open_cases,
        letters=n.letters_sent,
        calls=n.calls,
        hold=hold,
        reply=reply,
        won=won,
    )
    if n.outcomes:
        outcomes = ", ".join(
            f"{outcome_word(kind)} {count}" for kind, count in sorted(n.outcomes.items())
        )
        line += " " + _("Outcomes: {outcomes}.").format(outcomes=outcomes)
    return line
