"""What is due on a case: each sent letter's deadline and the next letter of the ladder.

Pure rules over a case's letters and events; the day of reckoning is an argument.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from paperwork.core.deadlines import BusinessCalendar, Deadline, gate_date, response_deadline
from paperwork.core.i18n import N_, _
from paperwork.core.ladder import REGULATOR_RUNGS, Ladder, next_rung, schedule_next
from paperwork.core.model import Case, Event, Letter

RETENTION_LEAD_DAYS = 30  # docs/DESIGN.md §6.6: a retention request 30 days before the price rises


@dataclass(frozen=True)
class LetterClock:
    """A sent letter and its reply deadline; ``answered_on`` stops the clock."""

    letter: Letter
    deadline: Deadline
    answered_on: date | None

    @property
    def waiting(self) -> bool:
        return self.answered_on is None


@dataclass(frozen=True)
class NextStep:
    """The letter that should go out next on a case, and the day it becomes due.

    Why it is due is kept as a message template and its values: ``reason`` is the
    English sentence (stable, for JSON output), :meth:`explanation` the same in
    the interface language.
    """

    kind: str
    due: date
    after_letter: int | None  # the sent letter whose deadline lapses (None: promo/contract end)
    deadline: date | None
    why: str  # an N_() template
    why_values: tuple[tuple[str, str], ...] = ()

    @property
    def reason(self) -> str:
        return self.why.format(**dict(self.why_values))

    def explanation(self) -> str:
        return _(self.why).format(**dict(self.why_values))

    @property
    def is_first_letter(self) -> bool:
        """Nothing has been sent on the case yet: this is the ladder's first rung."""
        return self.why == NOTHING_SENT


NOTHING_SENT = N_("nothing has been sent yet")


@dataclass(frozen=True)
class CasePlan:
    """Everything the schedule knows about one case on one day.

    ``steps`` are the letters due on independent tracks (the ladder, and a
    retention request before a promotion ends); ``next`` is the one to act on first.
    """

    clocks: list[LetterClock]
    next: NextStep | None
    missed_deadlines: int
    steps: tuple[NextStep, ...] = ()


def letter_clock(letter: Letter, jurisdiction: str, events: list[Event]) -> LetterClock | None:
    """The deadline of a sent letter, stopped by the first reply on or after it was sent."""
    if not letter.sent_on or not letter.via:
        return None
    deadline = response_deadline(
        letter.sent_on, letter.via, jurisdiction, letter.window, letter.delivered_on
    )
    replies = sorted(e.on for e in events if e.kind == "response" and e.on >= letter.sent_on)
    return LetterClock(letter, deadline, replies[0] if replies else None)


def _gate_for(
    kind: str, clocks: list[LetterClock], gate_window: str | None, jurisdiction: str
) -> date | None:
    """A regulator rung waits for its gate, counted from the first letter's receipt."""
    if kind not in REGULATOR_RUNGS or not gate_window or not clocks:
        return None
    first = min(clocks, key=lambda c: (c.letter.sent_on, c.letter.id or 0))
    return gate_date(first.deadline.deemed_receipt, gate_window, jurisdiction)


def plan_case(
    case: Case,
    letters: list[Letter],
    events: list[Event],
    ladder: Ladder,
    today: date,
    gate_window: str | None = None,
    retention_lead_days: int = RETENTION_LEAD_DAYS,
) -> CasePlan:
    """The deadlines of a case's sent letters and its next step as of ``today``."""
    clocks = [c for letter in letters if (c := letter_clock(letter, case.jurisdiction, events))]
    clocks.sort(key=lambda c: (c.letter.sent_on, c.letter.id or 0))
    missed = sum(
        1
        for c in clocks
        if c.deadline.deadline < today
        and (c.answered_on is None or c.answered_on > c.deadline.deadline)
    )
    if case.status != "open":
        return CasePlan(clocks, None, missed, ())

    step: NextStep | None = None
    on_ladder = [c for c in clocks if c.letter.kind in ladder.rungs]
    if on_ladder and on_ladder[-1].waiting:
        latest = on_ladder[-1]
        sent_kinds = [c.letter.kind for c in on_ladder]
        kind = next_rung(ladder, sent_kinds)
        if kind is not None:
            gate = _gate_for(kind, on_ladder, gate_window, case.jurisdiction)
            scheduled = schedule_next(ladder, sent_kinds, latest.deadline, gate)
            if scheduled is not None:
                kind, due = scheduled
                # Already drafted after the lapsed letter: nothing more is due for it.
                drafted = any(
                    letter.kind == kind and (letter.id or 0) > (latest.letter.id or 0)
                    for letter in letters
                )
                if not drafted:
                    values = {
                        "letter": str(latest.letter.id),
                        "deadline": latest.deadline.deadline.isoformat(),
                    }
                    why = N_("no reply to letter {letter} by {deadline}")
                    if gate and due == gate:
                        why = N_(
                            "no reply to letter {letter} by {deadline}; "
                            "the regulator takes the case from {gate}"
                        )
                        values["gate"] = gate.isoformat()
                    step = NextStep(
                        kind,
                        due,
                        latest.letter.id,
                        latest.deadline.deadline,
                        why,
                        tuple(values.items()),
                    )
    steps = [step] if step else []
    retention = _retention_step(case, letters, retention_lead_days)
    if retention:
        steps.append(retention)
    steps.sort(key=lambda s: s.due)
    nxt = steps[0] if steps else None
    if nxt is None and not clocks:
        # Nothing sent and nothing dated: the first rung is the person's to start.
        nxt = _first_letter_step(case, letters, ladder, today)
    return CasePlan(clocks, nxt, missed, tuple(steps))


def _first_letter_step(
    case: Case, letters: list[Letter], ladder: Ladder, today: date
) -> NextStep | None:
    """A new case with nothing sent: its first rung is the next step (not yet scheduled)."""
    first = ladder.rungs[0]
    if any(letter.kind == first for letter in letters):
        return None
    return NextStep(first, today, None, None, NOTHING_SENT)


def _retention_step(case: Case, letters: list[Letter], lead_days: int) -> NextStep | None:
    ends = [d for d in (case.promo_ends, case.contract_ends) if d]
    if not ends or any(letter.kind == "retention_request" for letter in letters):
        return None
    end = min(ends)
    calendar = BusinessCalendar(case.jurisdiction)
    due = calendar.roll_forward(end - timedelta(days=lead_days))
    why = (
        N_("the promotional rate ends on {end}")
        if case.promo_ends == end
        else N_("the contract ends on {end}")
    )
    return NextStep("retention_request", due, None, end, why, (("end", end.isoformat()),))
