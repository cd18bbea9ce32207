"""Group commit (paperwork/pool/batch.py): shares waiting together are stored in one
transaction; a refused one is refused alone, the counters move once per event, and a
burst of concurrent members over HTTP is counted exactly once."""

from __future__ import annotations

from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from datetime import UTC, datetime

from poolkit import call

from paperwork.aggregate import pool_client as client
from paperwork.pool import store
from paperwork.pool.counting import Figures, parse_event
from paperwork.pool.db import make_engine, write
from paperwork.pool.migrations import upgrade


def letter(n: int) -> dict:
    return {"id": f"letter-{n:04d}", "type": "letter", "day": "2026-11-02",
            "kind": "complaint", "rung": 1, "unanswered": False}  # fmt: skip


@contextmanager
def new_pool(db_url: str) -> Iterator[tuple]:
    """(engine, the pool made, now) on a migrated database; the engine is disposed after."""
    engine = make_engine(db_url)
    try:
        upgrade(engine)
        now = datetime.now(UTC)
        fields = {"title": "t", "company": "c", "country": "GB", "category": "x", "threshold": 2}
        with write(engine) as connection:
            made = store.create_pool(connection, fields, 3600, now)
        yield engine, made, now
    finally:
        engine.dispose()


def _join(engine, made, now) -> tuple[str, str]:
    with write(engine) as connection:
        return store.join(connection, made.slug, made.invite, now)


def _read(engine, slug: str) -> dict[str, int]:
    with engine.connect() as connection:
        return store.read_pool(connection, slug)[1]


def test_a_batch_stores_each_share_and_refuses_only_the_bad_one(db_url):
    with new_pool(db_url) as (engine, made, now):
        a, b = (_join(engine, made, now) for _ in range(2))
        rows = [parse_event(letter(n), now.date()) for n in range(3)]
        _done, answers = store.write_batch(
            engine,
            [],
            [
                store.Share(made.slug, *a, rows),
                store.Share(made.slug, b[0], "forged", rows),
                store.Share(made.slug, *b, rows[:2]),
                store.Share(made.slug, *a, rows),  # the same again in the same batch
            ],
        )
        counters = _read(engine, made.slug)
    assert answers[0] == answers[3] == [f"letter-{n:04d}" for n in range(3)]
    assert isinstance(answers[1], store.Refused) and answers[1].status == 403
    assert answers[2] == ["letter-0000", "letter-0001"]
    figures = Figures.from_counters(counters)
    assert (figures.letters_sent, figures.members, figures.by_kind) == (5, 2, {"complaint": 5})


def test_a_batch_replaces_changed_events_and_moves_the_counters_by_the_difference(db_url):
    with new_pool(db_url) as (engine, made, now):
        a, b = (_join(engine, made, now) for _ in range(2))
        rows = [parse_event(letter(n), now.date()) for n in range(3)]
        store.write_batch(engine, [], [store.Share(made.slug, *a, rows)])
        changed = [parse_event({**letter(1), "unanswered": True}, now.date())]
        _done, answers = store.write_batch(
            engine,
            [],
            [
                store.Share(made.slug, *a, [rows[0], *changed]),  # one known, one changed
                store.Share(made.slug, *b, rows),  # new for b
            ],
        )
        counters = _read(engine, made.slug)
    assert answers == [["letter-0000", "letter-0001"], [f"letter-{n:04d}" for n in range(3)]]
    assert Figures.from_counters(counters).letters_sent == 6
    assert counters["unanswered"] == 1  # letter 1 of a, now unanswered, counted once


def test_joins_and_other_writes_share_the_batch_and_fail_alone(db_url):
    with new_pool(db_url) as (engine, made, now):
        first = _join(engine, made, now)

        def joins_then_fails(connection) -> None:  # a write that fails after writing: taken back
            store.join(connection, made.slug, made.invite, now)
            raise RuntimeError("after writing")

        done, shares = store.write_batch(
            engine,
            [
                lambda c: store.join(c, made.slug, made.invite, now),
                lambda c: store.join(c, made.slug, "not-an-invite", now),
                joins_then_fails,
                lambda c: store.new_invite(c, made.slug, made.organiser_key, 60, now),
            ],
            [store.Share(made.slug, *first, [parse_event(letter(1), now.date())])],
        )
        counters = _read(engine, made.slug)
    assert isinstance(done[0], tuple) and isinstance(done[3], tuple)
    assert isinstance(done[1], store.Refused) and done[1].status == 403
    assert isinstance(done[2], RuntimeError)
    assert shares == [["letter-0001"]]
    figures = Figures.from_counters(counters)
    assert (figures.members, figures.letters_sent) == (2, 1)  # the failed join left nothing


def test_many_members_sharing_at_once_are_counted_exactly_once(server):
    link, _key = client.create_pool(server.url, "Acme", "GB", "telecoms", "Acme", 2)
    pool = client.parse_invite(link)[1]
    members = [client.join(link) for _ in range(24)]

    def share(member: tuple[str, str]) -> list[str]:
        batch = [letter(n) for n in range(10)]
        first = client.send_events(server.url, pool, *member, batch)
        again = client.send_events(server.url, pool, *member, batch)  # an answer "lost"
        return first + again

    def forged(member: tuple[str, str]) -> int:  # refused alone, whatever batch it lands in
        url = f"{server.url}/api/pools/{pool}/members/{member[0]}/events"
        status, body = call("POST", url, {"events": [letter(99)]}, "forged")
        assert body == {"error": "wrong or missing member token"}
        return status

    with ThreadPoolExecutor(max_workers=32) as pool_of_threads:
        refused = pool_of_threads.map(forged, members[:8])
        answers = list(pool_of_threads.map(share, members))
        assert set(refused) == {403}
    assert all(len(a) == 20 for a in answers)
    status, stats = call("GET", f"{server.url}/api/pools/{pool}/stats")
    assert status == 200 and stats["letters_sent"] == 240 and stats["members"] == 24


def test_a_share_after_postgresql_dropped_every_connection_still_counts_once(server):
    import pytest
    from sqlalchemy import create_engine, text

    from paperwork.pool.db import sqlalchemy_url

    if not server.db_url.startswith("postgres"):
        pytest.skip("PostgreSQL's connections only")
    link, _key = client.create_pool(server.url, "Acme", "GB", "telecoms", "Acme", 2)
    pool = client.parse_invite(link)[1]
    members = [client.join(link) for _ in range(2)]
    client.send_events(server.url, pool, *members[0], [letter(1)])
    admin = create_engine(sqlalchemy_url(server.db_url))
    try:
        with admin.connect() as connection:  # what a restart does to the server's pool
            connection.execute(
                text(
                    "SELECT pg_terminate_backend(pid) FROM pg_stat_activity"
                    " WHERE datname = current_database() AND pid <> pg_backend_pid()"
                )
            )
    finally:
        admin.dispose()
    assert client.send_events(server.url, pool, *members[1], [letter(1), letter(2)]) == [
        "letter-0001",
        "letter-0002",
    ]
    status, stats = call("GET", f"{server.url}/api/pools/{pool}/stats")
    assert status == 200 and stats["letters_sent"] == 3
