"""The outcomes ledger: per-company and overall numbers."""

from __future__ import annotations

import copy
import json
from datetime import date
from decimal import Decimal

from paperwork.aggregate.stats import compute_stats, days_to_first_reply
from paperwork.core.model import Event, Letter, LetterDocument
from paperwork.core.schema import CaseFileSchema
from paperwork.services.demo import sample_case_path

RAW = json.loads(sample_case_path().read_text(encoding="utf-8"))


def _case(case_id: int, company: str, status: str = "open"):
    data = copy.deepcopy(RAW)
    data["company"]["name"] = company
    case = CaseFileSchema().load(data)
    case.id, case.status = case_id, status
    return case


def _letter(case_id: int, sent_on: date | None) -> Letter:
    doc = LetterDocument("en_US", "J", [], [], [], "", "", [], "", "", [], "", "")
    return Letter(
        case_id=case_id,
        kind="complaint",
        locale="en_US",
        drafted_on=date(2026, 10, 1),
        window="14d",
        document=doc,
        status="sent" if sent_on else "draft",
        sent_on=sent_on,
    )


def _event(case_id: int, event_kind: str, on: date, **data) -> Event:
    return Event(case_id=case_id, kind=event_kind, on=on, data=data)


def test_numbers_per_company_and_overall() -> None:
    cases = [
        _case(1, "Acme Broadband, Inc."),
        _case(2, "Acme  Broadband, Inc.", status="closed"),  # same company, spacing differs
        _case(3, "Globex Energy"),
    ]
    letters = [
        _letter(1, date(2026, 10, 1)),
        _letter(1, date(2026, 10, 20)),
        _letter(1, None),  # a draft is not pressure yet
        _letter(2, date(2026, 10, 5)),
        _letter(3, date(2026, 11, 1)),
    ]
    events = [
        _event(1, "call", date(2026, 10, 2), waited=130, duration=10),
        _event(1, "call", date(2026, 10, 9), waited=120, duration=5),
        _event(3, "call", date(2026, 11, 2), waited=45, duration=5),
        _event(1, "response", date(2026, 10, 11), summary="We are looking into it."),  # 10 days
        _event(1, "response", date(2026, 10, 30), summary="Refund agreed."),
        _event(
            2, "response", date(2026, 10, 25), summary="Credit applied.", resolved=True
        ),  # 20 days
        _event(3, "response", date(2026, 10, 1), summary="Before any letter: not a reply."),
        _event(1, "outcome", date(2026, 10, 30), kind="refund", amount="89.99", currency="USD"),
        _event(2, "outcome", date(2026, 10, 25), kind="credit", amount="10.01", currency="USD"),
        _event(3, "outcome", date(2026, 11, 20), kind="waiver", amount="12.50", currency="EUR"),
        _event(3, "outcome", date(2026, 11, 21), kind="cancellation", amount=None, currency=None),
        _event(1, "post", date(2026, 10, 15), url="https://x.com/me/status/1", platform="x"),
    ]
    stats = compute_stats(cases, letters, events)
    acme, globex = stats.companies
    assert acme.company == "Acme Broadband, Inc."
    assert (acme.cases, acme.open_cases, acme.letters_sent, acme.calls, acme.hold_minutes) == (
        2,
        1,
        3,
        2,
        250,
    )
    assert acme.hold_hours == Decimal("4.17")
    assert acme.days_to_first_reply == [10, 20]
    assert acme.median_days_to_reply == 15
    assert acme.won == {"USD": Decimal("100.00")}
    assert acme.outcomes == {"refund": 1, "credit": 1}
    assert acme.posts == 1
    assert globex.median_days_to_reply is None  # its only response came before any letter
    assert globex.won == {"EUR": Decimal("12.50")}
    assert globex.outcomes == {"waiver": 1, "cancellation": 1}

    overall = stats.overall
    assert (overall.cases, overall.letters_sent, overall.calls, overall.hold_minutes) == (
        3,
        4,
        3,
        295,
    )
    assert overall.median_days_to_reply == 15
    assert overall.won == {"EUR": Decimal("12.50"), "USD": Decimal("100.00")}

    data = stats.as_json()
    assert data["overall"]["won"] == {"EUR": "12.50", "USD": "100.00"}
    assert data["overall"]["hold_hours"] == "4.92"
    assert data["companies"][0]["median_days_to_first_reply"] == 15
    assert [c["company"] for c in data["companies"]] == ["Acme Broadband, Inc.", "Globex Energy"]


def test_money_is_exact() -> None:
    cases = [_case(1, "Acme")]
    events = [
        _event(1, "outcome", date(2026, 11, 1), kind="refund", amount="0.10", currency="USD")
        for _ in range(3)
    ]
    won = compute_stats(cases, [], events).overall.won["USD"]
    assert won == Decimal("0.30") and isinstance(won, Decimal)


def test_median_of_odd_count_and_empty_store() -> None:
    assert (
        days_to_first_reply(
            [_letter(1, date(2026, 1, 1))], [_event(1, "response", date(2026, 1, 8))]
        )
        == 7
    )
    assert days_to_first_reply([], [_event(1, "response", date(2026, 1, 8))]) is None
    empty = compute_stats([], [], [])
    assert empty.companies == [] and empty.overall.cases == 0
    assert empty.as_json()["overall"]["median_days_to_first_reply"] is None
