"""What a case shares (pool_events) and the local outbox (pool_queue): no server needed."""

from __future__ import annotations

import dataclasses
import json
import stat
import sys
import uuid
from datetime import date

import pytest
from pool_sample import PERSONAL, TODAY, personal_case, personal_record

from paperwork.aggregate.pool_events import PoolEvent, amount_band, events_for_case
from paperwork.aggregate.pool_queue import PoolQueue

SALT = str(uuid.UUID(int=7))
# docs/DESIGN.md §9: the only things a pool ever learns.
SHAREABLE_FIELDS = {
    "id",
    "type",
    "day",
    "week",
    "kind",
    "rung",
    "unanswered",
    "final",
    "count",
    "hold_minutes",
    "band",
}


def shared(**kwargs) -> list[PoolEvent]:
    letters, events = personal_record()
    return events_for_case(personal_case(), letters, events, TODAY, salt=SALT, **kwargs)


def test_a_pool_event_has_no_field_for_anything_personal():
    fields = {f.name: f.type for f in dataclasses.fields(PoolEvent)}
    assert set(fields) == SHAREABLE_FIELDS
    for name, kind in fields.items():
        assert kind in ("str", "str | None", "date | None", "int | None", "bool | None"), name
    with pytest.raises(ValueError):
        PoolEvent("x" * 36, "letter", TODAY, kind="Jane Doe")
    with pytest.raises(ValueError):
        PoolEvent("x" * 36, "outcome", kind="refund", band="120.50")
    with pytest.raises(ValueError):
        PoolEvent("x" * 36, "address")


def test_events_for_case_is_the_fixed_list_and_nothing_personal():
    events = shared(
        rungs={"complaint": 1, "regulator_complaint": 6},
        deadlines={1: date(2026, 10, 15), 2: date(2026, 11, 3)},
    )
    by_type: dict[str, list[PoolEvent]] = {}
    for event in events:
        by_type.setdefault(event.type, []).append(event)
    letters = {e.kind: e for e in by_type["letter"]}
    assert set(letters) == {"complaint", "other", "regulator_complaint", "cancellation_notice"}
    assert letters["complaint"].rung == 1 and letters["complaint"].day == date(2026, 10, 1)
    assert letters["complaint"].unanswered is False  # the reply came on 10 Oct, before 15 Oct
    assert letters["other"].unanswered is True  # 3 Nov passed with no reply
    assert letters["regulator_complaint"].unanswered is False  # no deadline known
    assert [e.day for e in by_type["referral"]] == [date(2026, 11, 10)]
    assert [(e.week, e.count, e.hold_minutes) for e in by_type["calls"]] == [
        ("2026-W41", 2, 65),
        ("2026-W42", 1, 5),
    ]
    assert [(e.day, e.final) for e in by_type["reply"]] == [(date(2026, 10, 10), False)]
    assert [(e.kind, e.band) for e in by_type["outcome"]] == [("refund", "100-249")]
    assert [e.day for e in by_type["cancellation"]] == [date(2026, 11, 20)]
    wire = json.dumps([e.to_wire() for e in events])
    for value in PERSONAL:
        assert value not in wire
    assert "post" not in {e.type for e in events}


def test_event_ids_are_stable_per_case_and_differ_between_cases():
    first = [e.id for e in shared()]
    assert first == [e.id for e in shared()]
    assert len(set(first)) == len(first)
    letters, events = personal_record()
    other = events_for_case(personal_case(), letters, events, TODAY, salt=str(uuid.uuid4()))
    assert not set(first) & {e.id for e in other}


@pytest.mark.parametrize(
    ("amount", "band"),
    [
        (None, "none"),
        ("", "none"),
        ("abc", "none"),
        ("0", "none"),
        ("0.01", "1-49"),
        ("49.99", "1-49"),
        ("50", "50-99"),
        ("999.99", "500-999"),
        ("5000", "5000+"),
    ],
)
def test_amount_bands(amount, band):
    assert amount_band(amount) == band


def test_the_client_imports_only_the_standard_library():
    import subprocess

    code = (
        "import sys; import paperwork.aggregate.pool_client; "
        "print(sorted(m for m in sys.modules if m.split('.')[0] in "
        "('starlette','sqlalchemy','alembic','uvicorn','psycopg','textual','reportlab')))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def test_queue_file_is_private_and_keeps_the_membership(home):
    queue = PoolQueue(home)
    member = queue.join(7, "http://127.0.0.1:1", "pool1", "m1", "secret-token")
    assert queue.membership(7) == member and member.salt
    assert stat.S_IMODE(queue.path.stat().st_mode) == 0o600
    assert stat.S_IMODE(home.stat().st_mode) == 0o700
    queue.save_organiser("http://127.0.0.1:1", "pool1", "key", "link")
    assert queue.organiser_key("http://127.0.0.1:1", "pool1") == "key"
    queue.save_stats(7, {"members": None}, "2026-11-26T10:00:00Z")
    assert queue.stats(7) == ({"members": None}, "2026-11-26T10:00:00Z")
    queue.close()
    assert PoolQueue(home).membership(7) == member


def test_queue_drops_an_event_only_once_acknowledged(home):
    queue = PoolQueue(home)
    queue.join(7, "http://127.0.0.1:1", "pool1", "m1", "t")
    events = [e.to_wire() for e in shared()]
    assert queue.enqueue(7, events) == len(events)
    assert queue.enqueue(7, events) == len(events)  # still waiting: queued (not doubled)
    assert queue.waiting(7) == len(events)
    batch = queue.pending(7)
    queue.acknowledge(7, batch, [batch[0]["id"]])  # the answer named one id only
    assert queue.waiting(7) == len(events) - 1
    assert queue.enqueue(7, events) == len(events) - 1  # the acknowledged one is not new
    changed = (
        {**batch[1], "hold_minutes": 1}
        if batch[1]["type"] == "calls"
        else {**batch[1], "day": "2026-11-01"}
    )
    queue.enqueue(7, [changed])  # changed while on its way: the old answer must not drop it
    queue.acknowledge(7, [batch[1]], [batch[1]["id"]])
    assert any(e == changed for e in queue.pending(7))
    queue.forget(7)
    assert queue.waiting() == 0 and queue.membership(7) is None
