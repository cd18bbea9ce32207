"""What a case shares with its pool: the fixed list of docs/DESIGN.md §9, and nothing else.

``events_for_case`` reads a case's record (letters sent, replies, calls, outcomes)
and returns ``PoolEvent`` values. A ``PoolEvent`` has no field that could hold a
name, an address, an account number, a reference or any words of the case: its
kinds are fixed vocabularies (a letter kind the pool does not know is sent as
"other"), its amounts are bands, its dates are days or ISO weeks.

Every event id is made on the client from a per-case random salt and the id of
the record it comes from (uuid5), so sending twice counts once, and no one can
tie two pools' events to one case.

Pure: standard library only, no clock (``today`` is an argument).
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

# The built-in letter kinds a pool counts by name; any other kind is "other".
LETTER_KINDS = frozenset(
    {
        "billing_dispute",
        "cancellation_notice",
        "chargeback_request",
        "complaint",
        "confirm_call",
        "credit_report_dispute",
        "data_access_request",
        "debt_validation",
        "escalation_executive",
        "escalation_supervisor",
        "final_demand",
        "follow_up",
        "hardship_request",
        "intent_to_cancel",
        "refund_demand",
        "regulator_complaint",
        "retention_request",
        "small_claims_notice",
        "stalling_reply",
        "other",
    }
)
OUTCOME_KINDS = frozenset({"refund", "credit", "waiver", "rate_extension", "cancellation", "other"})
REGULATOR_KINDS = frozenset({"regulator_complaint"})
REGULATOR_RUNG = 6  # catalog.RUNG_NAMES: 6 is "regulator"
CANCELLATION_KINDS = frozenset({"cancellation_notice"})
# Upper bounds of the amount bands (the server knows the same labels).
BANDS = (
    (Decimal(0), "none"),
    (Decimal(50), "1-49"),
    (Decimal(100), "50-99"),
    (Decimal(250), "100-249"),
    (Decimal(500), "250-499"),
    (Decimal(1000), "500-999"),
    (Decimal(5000), "1000-4999"),
)
TYPES = ("letter", "reply", "calls", "outcome", "cancellation", "referral")
_WEEK = re.compile(r"\d{4}-W\d{2}")


@dataclass(frozen=True)
class PoolEvent:
    """One shareable fact. Which fields are set depends on ``type`` (see ``to_wire``).

    ``kind`` is a letter kind or an outcome kind from the fixed lists above;
    ``week`` is an ISO week ("2026-W45"); ``band`` an amount band label.
    """

    id: str
    type: str
    day: date | None = None
    week: str | None = None
    kind: str | None = None
    rung: int | None = None
    unanswered: bool | None = None
    final: bool | None = None
    count: int | None = None
    hold_minutes: int | None = None
    band: str | None = None

    def __post_init__(self) -> None:
        if self.type not in TYPES:
            raise ValueError(f"unknown pool event type {self.type!r}")
        allowed = LETTER_KINDS if self.type == "letter" else OUTCOME_KINDS
        if self.kind is not None and self.kind not in allowed:
            raise ValueError(f"{self.kind!r} is not a shareable {self.type} kind")
        if self.week is not None and not _WEEK.fullmatch(self.week):
            raise ValueError(f"{self.week!r} is not an ISO week")
        if self.band is not None and self.band not in {label for _, label in BANDS} | {"5000+"}:
            raise ValueError(f"{self.band!r} is not an amount band")

    def to_wire(self) -> dict[str, Any]:
        """The JSON object the pool server takes (its six shapes, pool/counting.py)."""
        body: dict[str, Any] = {"id": self.id, "type": self.type}
        if self.type == "calls":
            return {
                **body,
                "week": self.week,
                "count": self.count,
                "hold_minutes": self.hold_minutes,
            }
        if self.type == "outcome":
            return {**body, "kind": self.kind, "band": self.band}
        body["day"] = self.day.isoformat() if self.day else None
        if self.type == "letter":
            body.update(kind=self.kind, rung=self.rung, unanswered=self.unanswered)
        elif self.type == "reply":
            body["final"] = self.final
        return body


def amount_band(amount: object) -> str:
    """An amount (Decimal, number or text) as its band label; "none" when there is none."""
    if amount in (None, ""):
        return "none"
    try:
        value = Decimal(str(amount))
    except InvalidOperation:
        return "none"
    if value <= 0:
        return "none"
    for top, label in BANDS[1:]:
        if value < top:
            return label
    return "5000+"


def _event_id(salt: str, record: str) -> str:
    return str(uuid.uuid5(uuid.UUID(salt), record))


def _unanswered(sent_on: date, reply_by: date | None, replies: list[date], today: date) -> bool:
    """The deadline has passed and no reply came between sending and the deadline."""
    if reply_by is None or reply_by >= today:
        return False
    return not any(sent_on <= day <= reply_by for day in replies)


def events_for_case(
    case: Any,
    letters: Iterable[Any],
    events: Iterable[Any],
    today: date,
    *,
    salt: str,
    rungs: Mapping[str, int] | None = None,
    deadlines: Mapping[int, date] | None = None,
) -> list[PoolEvent]:
    """The pool events of one case's record up to ``today``.

    ``case``, ``letters`` and ``events`` are the model's Case, Letter and Event
    (only the attributes named below are read). ``salt`` is the case's random
    UUID (kept with its membership); ``rungs`` maps a letter kind to its rung on
    the ladder, ``deadlines`` a letter id to its reply-by day (from deadlines.py).
    """
    rungs = rungs or {}
    deadlines = deadlines or {}
    record = [e for e in events if e.on <= today]
    reply_days = [e.on for e in record if e.kind == "response"]
    out: list[PoolEvent] = []
    cancelled: list[date] = []
    for letter in letters:
        if letter.sent_on is None or letter.sent_on > today:
            continue
        kind = letter.kind if letter.kind in LETTER_KINDS else "other"
        rung = int(rungs.get(letter.kind, 0))
        unanswered = _unanswered(letter.sent_on, deadlines.get(letter.id), reply_days, today)
        key = f"letter:{letter.id}"
        out.append(
            PoolEvent(
                _event_id(salt, key),
                "letter",
                letter.sent_on,
                kind=kind,
                rung=rung,
                unanswered=unanswered,
            )
        )
        if letter.kind in REGULATOR_KINDS or rung == REGULATOR_RUNG:
            out.append(
                PoolEvent(_event_id(salt, f"referral:{letter.id}"), "referral", letter.sent_on)
            )
        if letter.kind in CANCELLATION_KINDS:
            cancel_on = getattr(getattr(case, "details", None), "cancel_on", None)
            cancelled.append(cancel_on if cancel_on and cancel_on <= today else letter.sent_on)
    weeks: dict[str, list[int]] = {}
    for event in record:
        data = event.data or {}
        if event.kind == "response":
            final = bool(data.get("resolved"))
            out.append(
                PoolEvent(_event_id(salt, f"reply:{event.id}"), "reply", event.on, final=final)
            )
        elif event.kind == "call":
            year, week, _ = event.on.isocalendar()
            tally = weeks.setdefault(f"{year}-W{week:02d}", [0, 0])
            tally[0] += 1
            tally[1] += max(0, int(data.get("waited", 0) or 0))
        elif event.kind == "outcome":
            kind = str(data.get("kind", ""))
            kind = kind if kind in OUTCOME_KINDS else "other"
            band = amount_band(data.get("amount"))
            out.append(
                PoolEvent(_event_id(salt, f"outcome:{event.id}"), "outcome", kind=kind, band=band)
            )
            if kind == "cancellation":
                cancelled.append(event.on)
    for week, (count, minutes) in sorted(weeks.items()):
        out.append(
            PoolEvent(
                _event_id(salt, f"calls:{week}"),
                "calls",
                week=week,
                count=count,
                hold_minutes=minutes,
            )
        )
    if cancelled:  # one cancellation a case: the first day it took effect
        out.append(PoolEvent(_event_id(salt, "cancellation"), "cancellation", min(cancelled)))
    return out
