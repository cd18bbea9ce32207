"""What is due: a case with its deadlines, tally and next step, and the rows of ``due``."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from paperwork.core.catalog import find_authority
from paperwork.core.model import Case, Event, Letter
from paperwork.core.schedule import CasePlan, NextStep, plan_case
from paperwork.core.tally import Tally, pressure_tally
from paperwork.services.session import Paperwork

DUE_HORIZON_DAYS = 7


def _gate_window(pw: Paperwork, case: Case) -> str | None:
    body = find_authority(case.jurisdiction, case.category, pw.user_regulators)
    return body.gate if body and body.gate else None


def plan_for(
    pw: Paperwork, case: Case, letters: list[Letter], events: list[Event], today: date
) -> CasePlan:
    ladder = pw.ladders.get(case.ladder) or pw.ladders["standard"]
    return plan_case(
        case,
        letters,
        events,
        ladder,
        today,
        gate_window=_gate_window(pw, case),
        retention_lead_days=pw.config.retention_lead_days,
    )


def case_view(pw: Paperwork, case_id: int, today: date) -> CaseView:
    case = pw.store.case(case_id)
    letters = pw.store.letters(case_id)
    events = pw.store.events(case_id)
    plan = plan_for(pw, case, letters, events, today)
    tally = pressure_tally(case, letters, events, today, plan.missed_deadlines)
    return CaseView(case, letters, events, plan, tally)


def _rules_fingerprint(pw: Paperwork) -> str:
    """What else cached due days depend on: the retention lead, and the ladder and
    regulator files (shipped and the user's), so an edit takes effect at once."""
    import hashlib

    from paperwork.core import resources

    digest = hashlib.sha256(f"retention_lead_days={pw.config.retention_lead_days}".encode())
    for name in ("ladders.toml", "regulators.toml"):
        try:
            digest.update(resources.read_text(name).encode("utf-8"))
        except FileNotFoundError:
            digest.update(b"-")
    ladders = pw.home / "ladders"
    user_files = sorted(ladders.glob("*.toml")) if ladders.is_dir() else []
    for path in [*user_files, pw.user_regulators]:
        digest.update(b"\0" + path.name.encode("utf-8") + b"\0")
        try:
            digest.update(path.read_bytes())
        except OSError:
            digest.update(b"-")
    return digest.hexdigest()[:16]


def due_rows(pw: Paperwork, today: date, horizon_days: int = DUE_HORIZON_DAYS) -> list[DueRow]:
    """Next letters due by ``today`` + horizon, for letters still waiting for a reply.

    Only cases whose cached next-due day falls in the horizon (or is unknown
    after a change) are planned, so the cost follows the rows, not the store.
    """
    from datetime import timedelta

    store = pw.store
    basis = f"{_schedule_basis()}; rules {_rules_fingerprint(pw)}"
    computed: dict[int, date | None] = {}
    stale = store.get_setting("schedule_basis") != basis
    if stale and not store.read_only:
        # another holidays calendar or Paperwork version may count differently
        with store.transaction():
            store.forget_schedule()
            store.set_setting("schedule_basis", basis)
    if stale and store.read_only:  # the cache cannot be trusted nor refreshed: plan every case
        candidates = [case.id for case in store.cases(("open",)) if case.id is not None]
    else:
        candidates = store.schedule_candidates(today + timedelta(days=horizon_days))
    rows: list[DueRow] = []
    for case_id in candidates:
        case = store.case(case_id)
        plan = plan_for(pw, case, store.letters(case_id), store.events(case_id), today)
        computed[case_id] = plan.steps[0].due if plan.steps else None
        for step in plan.steps:
            if (step.due - today).days <= horizon_days:
                rows.append(DueRow(case, step, bool(step.deadline and today > step.deadline)))
    if computed and not store.read_only:
        with store.transaction():
            for case_id, day in computed.items():
                store.set_next_due(case_id, day)
    rows.sort(key=lambda r: (r.step.due, r.case.id, r.step.kind))
    return rows


@dataclass
class CaseView:
    """A case with its letters, events, deadlines, tally and next step."""

    case: Case
    letters: list[Letter]
    events: list[Event]
    plan: CasePlan
    tally: Tally

    def as_json(self) -> dict[str, Any]:
        """The ``case show --json`` shape of docs/DESIGN.md §5."""
        clocks = {c.letter.id: c for c in self.plan.clocks}
        letters = []
        for letter in self.letters:
            clock = clocks.get(letter.id)
            letters.append(
                {
                    "id": letter.id,
                    "kind": letter.kind,
                    "status": letter.status,
                    "drafted_on": letter.drafted_on.isoformat(),
                    "sent_on": letter.sent_on.isoformat() if letter.sent_on else None,
                    "via": letter.via or None,
                    "tracking": letter.tracking or None,
                    "delivered_on": letter.delivered_on.isoformat()
                    if letter.delivered_on
                    else None,
                    "deemed_receipt": clock.deadline.deemed_receipt.isoformat() if clock else None,
                    "window": letter.window,
                    "deadline": clock.deadline.deadline.isoformat() if clock else None,
                    "answered_on": clock.answered_on.isoformat()
                    if clock and clock.answered_on
                    else None,
                    "explanation": clock.deadline.explanation if clock else None,
                    "reply_by_in_letter": letter.document.reply_by_iso or None,
                }
            )
        nxt = self.plan.next
        return {
            "id": self.case.id,
            "title": self.case.title,
            "status": self.case.status,
            "company": self.case.company.name,
            "jurisdiction": self.case.jurisdiction,
            "locale": self.case.locale,
            "ladder": self.case.ladder,
            "summary": self.case.summary,
            "third_party_summary": self.case.third_party_summary,
            "letters": letters,
            "events": [_event_json(e) for e in self.events],
            "tally": {
                "calls": self.tally.calls,
                "hold_minutes": self.tally.hold_minutes,
                "talk_minutes": self.tally.talk_minutes,
                "letters_sent": self.tally.letters_sent,
                "first_contact": self.tally.first_contact.isoformat()
                if self.tally.first_contact
                else None,
                "days_since_first_contact": self.tally.days_since_first_contact,
                "missed_deadlines": self.tally.missed_deadlines,
            },
            "next": {"kind": nxt.kind, "due": nxt.due.isoformat(), "reason": nxt.reason}
            if nxt
            else None,
        }


def _event_json(event: Event) -> dict[str, Any]:
    """An event for ``case show --json``: its data, with the event's own id, kind and
    day winning (an outcome's "kind" of refund is given as "outcome")."""
    data = dict(event.data)
    if event.kind == "outcome" and "kind" in data:
        data["outcome"] = data.pop("kind")
    return {**data, "id": event.id, "kind": event.kind, "on": event.on.isoformat()}


@dataclass
class DueRow:
    """One line of ``paperwork due``: the next letter a lapsing deadline calls for."""

    case: Case
    step: NextStep
    overdue: bool

    def as_json(self) -> dict[str, Any]:
        return {
            "case": self.case.id,
            "title": self.case.title,
            "letter": self.step.after_letter,
            "kind": self.step.kind,
            "due": self.step.due.isoformat(),
            "deadline": self.step.deadline.isoformat() if self.step.deadline else None,
            "overdue": self.overdue,
            "reason": self.step.reason,
        }


def _schedule_basis() -> str:
    """What cached due days depend on: the holiday data and Paperwork's rules."""
    from paperwork import __version__
    from paperwork.core.deadlines import holidays_version

    return f"paperwork {__version__}; holidays {holidays_version()}"
