"""The outcomes ledger in numbers: pressure applied and results won, per company.

Pure: it reads cases, letters and events and returns numbers. Money is summed
per currency as Decimal (never converted, never a float).
"""

from __future__ import annotations

import statistics
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from paperwork.core.model import Case, Event, Letter

OUTCOME_KINDS = ("refund", "credit", "waiver", "rate_extension", "cancellation")


@dataclass
class Numbers:
    """Pressure and results for one company, or for all of them together."""

    company: str
    cases: int = 0
    open_cases: int = 0
    letters_sent: int = 0
    calls: int = 0
    hold_minutes: int = 0
    posts: int = 0
    replies: int = 0
    days_to_first_reply: list[int] = field(default_factory=list)
    outcomes: dict[str, int] = field(default_factory=dict)
    won: dict[str, Decimal] = field(default_factory=dict)

    @property
    def hold_hours(self) -> Decimal:
        """Hours on hold, to two decimals (250 minutes -> 4.17)."""
        return (Decimal(self.hold_minutes) / 60).quantize(Decimal("0.01"))

    @property
    def median_days_to_reply(self) -> float | int | None:
        """Median days from the first letter sent to the first reply, over cases with a reply."""
        if not self.days_to_first_reply:
            return None
        return statistics.median(self.days_to_first_reply)

    def add(self, other: Numbers) -> None:
        self.cases += other.cases
        self.open_cases += other.open_cases
        self.letters_sent += other.letters_sent
        self.calls += other.calls
        self.hold_minutes += other.hold_minutes
        self.posts += other.posts
        self.replies += other.replies
        self.days_to_first_reply += other.days_to_first_reply
        for kind, n in other.outcomes.items():
            self.outcomes[kind] = self.outcomes.get(kind, 0) + n
        for currency, value in other.won.items():
            self.won[currency] = self.won.get(currency, Decimal(0)) + value

    def as_json(self) -> dict:
        median = self.median_days_to_reply
        return {
            "company": self.company,
            "cases": self.cases,
            "open": self.open_cases,
            "letters_sent": self.letters_sent,
            "calls": self.calls,
            "hold_minutes": self.hold_minutes,
            "hold_hours": str(self.hold_hours),
            "posts": self.posts,
            "replies": self.replies,
            "median_days_to_first_reply": median,
            "outcomes": dict(sorted(self.outcomes.items())),
            "won": {c: format(v, "f") for c, v in sorted(self.won.items())},
        }


@dataclass
class Stats:
    """Numbers per company (sorted by name) and overall."""

    companies: list[Numbers]
    overall: Numbers

    def as_json(self) -> dict:
        """The ``stats --json`` shape: ``{"companies": [...], "overall": {...}}``."""
        return {
            "companies": [c.as_json() for c in self.companies],
            "overall": self.overall.as_json(),
        }


def _company_key(case: Case) -> str:
    return " ".join(case.company.name.split()).casefold()


def days_to_first_reply(letters: Iterable[Letter], events: Iterable[Event]) -> int | None:
    """Days from the first letter sent to the first reply on or after it."""
    sent = sorted(letter.sent_on for letter in letters if letter.sent_on)
    if not sent:
        return None
    replies = sorted(e.on for e in events if e.kind == "response" and e.on >= sent[0])
    return (replies[0] - sent[0]).days if replies else None


def _amount(value: object) -> Decimal | None:
    if value in (None, ""):
        return None
    try:
        return Decimal(str(value))
    except InvalidOperation:
        return None


def case_numbers(case: Case, letters: list[Letter], events: list[Event]) -> Numbers:
    """The numbers of one case."""
    numbers = Numbers(case.company.name, cases=1, open_cases=int(case.status == "open"))
    numbers.letters_sent = sum(1 for letter in letters if letter.sent_on)
    calls = [e for e in events if e.kind == "call"]
    numbers.calls = len(calls)
    numbers.hold_minutes = sum(int(e.data.get("waited", 0) or 0) for e in calls)
    numbers.posts = sum(1 for e in events if e.kind == "post")
    numbers.replies = sum(1 for e in events if e.kind == "response")
    days = days_to_first_reply(letters, events)
    if days is not None:
        numbers.days_to_first_reply.append(days)
    for event in events:
        if event.kind != "outcome":
            continue
        kind = str(event.data.get("kind", ""))
        numbers.outcomes[kind] = numbers.outcomes.get(kind, 0) + 1
        amount = _amount(event.data.get("amount"))
        currency = str(event.data.get("currency") or "")
        if amount is not None and currency:
            numbers.won[currency] = numbers.won.get(currency, Decimal(0)) + amount
    return numbers


def compute_stats(
    cases: Iterable[Case], letters: Iterable[Letter], events: Iterable[Event]
) -> Stats:
    """Per-company and overall numbers from the whole store."""
    letters_by_case: dict[int, list[Letter]] = {}
    for letter in letters:
        letters_by_case.setdefault(letter.case_id, []).append(letter)
    events_by_case: dict[int, list[Event]] = {}
    for event in events:
        events_by_case.setdefault(event.case_id, []).append(event)
    per_company: dict[str, Numbers] = {}
    overall = Numbers("all companies")
    for case in cases:
        numbers = case_numbers(
            case, letters_by_case.get(case.id or 0, []), events_by_case.get(case.id or 0, [])
        )
        key = _company_key(case)
        if key not in per_company:
            per_company[key] = Numbers(case.company.name)
        per_company[key].add(numbers)
        overall.add(numbers)
    companies = [per_company[k] for k in sorted(per_company)]
    return Stats(companies, overall)
