"""The client's outbox against a server that goes away and comes back, what the server's
database holds, and the public page as headless Chromium reads it."""

from __future__ import annotations

import shutil
import subprocess
import uuid
from datetime import UTC, datetime, timedelta

import pytest
from pool_sample import PERSONAL, TODAY, personal_case, personal_record
from poolkit import call, free_port, start_server
from sqlalchemy import create_engine, select

from paperwork.aggregate import pool_client as client
from paperwork.aggregate.pool_events import events_for_case
from paperwork.aggregate.pool_queue import PoolQueue
from paperwork.pool.db import metadata, sqlalchemy_url
from paperwork.pool.security import token_hash


def case_events(salt: str):
    letters, events = personal_record()
    return events_for_case(
        personal_case(),
        letters,
        events,
        TODAY,
        salt=salt,
        rungs={"complaint": 1, "regulator_complaint": 6},
    )


@pytest.mark.slow
def test_events_queued_while_the_server_is_down_arrive_exactly_once(db_url, tmp_path, home):
    port = free_port()
    log = tmp_path / "server.log"
    server = start_server(db_url, log, port)
    try:
        link, _key = client.create_pool(server.url, "Acme Telecom", "GB", "telecoms", "Acme", 2)
        pool = client.parse_invite(link)[1]
        queue = PoolQueue(home)
        member = queue.join(7, server.url, pool, *client.join(link))
    finally:
        server.stop()
    events = case_events(member.salt)
    result = client.share(queue, 7, events)
    assert result.unreachable and result.delivered == 0 and result.waiting == len(events)
    assert client.refresh_stats(queue, 7) is None  # nothing fetched yet, nothing kept

    server = start_server(db_url, log, port)
    try:
        # an answer lost on the way: the server has some events, the outbox still too
        client.send_events(server.url, pool, member.member_id, member.token, events[:3])
        result = client.sync(queue)
        assert (result.delivered, result.waiting, result.unreachable) == (len(events), 0, False)
        assert client.sync(queue).delivered == 0
        assert client.share(queue, 7, case_events(member.salt)).delivered == 0  # nothing new
        figures, as_of, fresh = client.refresh_stats(queue, 7)
    finally:
        server.stop()
    assert fresh and as_of == figures["as_of"]
    assert figures["letters_sent"] == 4  # exactly once, though some were sent twice
    kept = client.refresh_stats(queue, 7)
    assert kept == (figures, as_of, False)  # the server is down: the kept figures


# Columns whose values are random by design (ids, SHA-256 of secrets): any four digits can
# turn up in them by chance, so they are matched exactly against what the test made.
OPAQUE = {
    ("pools", "slug"),
    ("pools", "organiser_hash"),
    ("invites", "token_hash"),
    ("members", "public_id"),
    ("members", "token_hash"),
    ("events", "event_id"),
}


def stored_values(db_url: str) -> list[tuple[str, str, object]]:
    """(table, column, value) for every value of every table of the server's database."""
    engine = create_engine(sqlalchemy_url(db_url))
    try:
        with engine.connect() as connection:
            return [
                (table.name, column, value)
                for table in metadata.sorted_tables
                for row in connection.execute(select(table)).mappings()
                for column, value in row.items()
            ]
    finally:
        engine.dispose()


def test_the_server_database_holds_nothing_personal(server, home):
    before = datetime.now(UTC) - timedelta(seconds=1)
    link, key = client.create_pool(server.url, "Acme Telecom", "GB", "telecoms", "Acme", 2)
    pool, invite = client.parse_invite(link)[1:]
    member_id, token = client.join(link)
    events = case_events(str(uuid.uuid4()))
    client.send_events(server.url, pool, member_id, token, events)
    after = datetime.now(UTC) + timedelta(seconds=1)
    made = {pool, member_id, *(e.id for e in events), *map(token_hash, (key, invite, token))}
    stored = stored_values(server.db_url)
    assert ("events", "kind", "complaint") in stored
    assert ("members", "public_id", member_id) in stored
    for table, column, value in stored:
        if (table, column) in OPAQUE:  # exactly an id or a hash made here: it carries nothing
            assert value in made, (table, column, value)
        elif isinstance(value, datetime):  # the server's clock: creation, invite expiry
            moment = value if value.tzinfo else value.replace(tzinfo=UTC)
            assert before <= moment <= after + timedelta(days=30), (table, column, value)
        else:  # every other value, as text: no personal detail, no secret
            for secret in (*PERSONAL, token, key, invite):
                assert secret not in str(value), (table, column, value, secret)


def chromium_dom(url: str, profile) -> str:
    """The page's DOM after Chromium has loaded it (headless, no network but the URL)."""
    browser = shutil.which("chromium") or shutil.which("chromium-browser")
    if browser is None:
        pytest.fail("chromium is not installed (tools/system-deps.sh installs it)")
    command = [
        browser,
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--no-first-run",
        f"--user-data-dir={profile}",
        "--dump-dom",
        url,
    ]
    done = subprocess.run(command, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr[-2000:]
    return done.stdout


@pytest.mark.slow
def test_the_public_page_shows_the_figures_and_nothing_personal(server, tmp_path):
    link, _key = client.create_pool(
        server.url, "Acme Telecom", "GB", "telecoms", "Acme overbilling", 10
    )
    pool = client.parse_invite(link)[1]
    for _ in range(12):
        member_id, token = client.join(link)
        client.send_events(server.url, pool, member_id, token, case_events(str(uuid.uuid4())))
    dom = chromium_dom(f"{server.url}/p/{pool}", tmp_path / "chromium")
    assert "Acme overbilling" in dom and "Acme Telecom" in dom
    assert "<dt>Members</dt><dd>12</dd>" in dom
    assert "<dt>Letters sent</dt><dd>48</dd>" in dom
    assert "<dt>Calls</dt><dd>36</dd>" in dom
    assert "<dt>Regulator referrals</dt><dd>12</dd>" in dom
    assert "fewer than 10" in dom  # final replies: none
    assert "<svg" in dom and "polyline" in dom
    for value in PERSONAL:
        assert value not in dom
    status, body = call("GET", f"{server.url}/p/nosuchpool")
    assert status == 404 and "No such pool" in body


def test_a_revoked_member_stops_sending_and_says_why(server, home):
    link, key = client.create_pool(server.url, "Acme Telecom", "GB", "telecoms", "Acme", 2)
    pool = client.parse_invite(link)[1]
    queue = PoolQueue(home)
    member = queue.join(7, server.url, pool, *client.join(link))
    client.revoke_member(server.url, pool, key, member.member_id)
    result = client.share(queue, 7, case_events(member.salt))
    assert not result.unreachable and result.delivered == 0
    assert result.revoked == (7,) and result.refused == ()  # a revocation, not a failure
    assert queue.membership(7).revoked and queue.waiting(7) == 0
    again = client.sync(queue)
    assert again.refused == () and again.revoked == ()  # a revoked case is not tried again
    with pytest.raises(ValueError):
        client.share(queue, 8, [])  # a case in no pool
