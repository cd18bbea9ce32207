"""PostgreSQL restarted under load: while members share side by side, the database server
is restarted (``pg_ctl restart -m fast``); the pool server stays up, its shares fail
(5xx) while PostgreSQL is away, the members send again, and every event is then counted
exactly once, no loss and no double.

The restart gets a cluster of its own (tools/pg-test-cluster.sh, a second time): the
cluster the other tests share must not go away under them.
"""

from __future__ import annotations

import os
import subprocess
import threading
import time
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from poolkit import Server, call, start_server
from sqlalchemy import create_engine, func, select, text

from paperwork.aggregate import pool_client as client
from paperwork.pool.db import counters, events, sqlalchemy_url

PG_ENV = "PAPERWORK_TEST_PG_URL"
CTL_ENV = "PAPERWORK_TEST_PG_CTL"
CLUSTER = Path(__file__).resolve().parents[2] / "tools" / "pg-test-cluster.sh"
MEMBERS = 8
BATCH = 5  # letters a share
AFTER = 3  # shares each member has acknowledged after the restart before it stops
SECONDS = 20  # no member shares longer than this


def _unavailable(reason: str) -> None:
    if os.environ.get("CI") == "true":
        pytest.fail(f"{reason} under CI: the PostgreSQL tests must run")
    pytest.skip(reason)


@pytest.fixture
def own_cluster(tmp_path) -> Iterator[tuple[str, str]]:
    """(URL, control script) of a throwaway PostgreSQL cluster of this test's own; it is
    stopped and deleted when the test's stdin pipe to it closes."""
    if not os.environ.get(PG_ENV):
        _unavailable(f"{PG_ENV} is not set")
    env = {k: v for k, v in os.environ.items() if k not in (PG_ENV, CTL_ENV)}
    report = f'printf "%s\\n%s\\n" "${{{PG_ENV}:-}}" "${{{CTL_ENV}:-}}"; exec cat >/dev/null'
    log = tmp_path / "cluster.log"
    with open(log, "wb") as err:
        process = subprocess.Popen(
            ["sh", str(CLUSTER), "sh", "-c", report],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=err,
            env=env,
            text=True,
        )
    assert process.stdin and process.stdout
    try:
        url, ctl = process.stdout.readline().strip(), process.stdout.readline().strip()
        if not url:
            if process.poll() not in (None, 0):
                pytest.fail(f"no cluster of its own: {log.read_text()[-2000:]}")
            _unavailable("PostgreSQL is not installed here (no cluster of its own to restart)")
        yield url, ctl
    finally:
        process.stdin.close()  # cat ends, and the script stops and deletes the cluster
        process.wait(60)


def _letters(member: int, share: int, day: str) -> list[dict]:
    return [
        {"id": f"m{member}-s{share:03d}-{i}", "type": "letter", "day": day,
         "kind": "complaint", "rung": 1, "unanswered": False}
        for i in range(BATCH)
    ]  # fmt: skip


def _started_at(url: str) -> datetime:
    engine = create_engine(sqlalchemy_url(url))
    try:
        with engine.connect() as connection:
            return connection.execute(text("SELECT pg_postmaster_start_time()")).scalar_one()
    finally:
        engine.dispose()


def _stored(url: str) -> tuple[int, int]:
    """(event rows, the letters_sent counter added up over its shards) in the database."""
    engine = create_engine(sqlalchemy_url(url))
    try:
        with engine.connect() as connection:
            rows = connection.execute(select(func.count()).select_from(events)).scalar_one()
            letters = connection.execute(
                select(func.sum(counters.c.value)).where(counters.c.name == "letters_sent")
            ).scalar_one()
    finally:
        engine.dispose()
    return rows, int(letters or 0)


class Crowd:
    """Members sharing one batch after another, each batch sent again until acknowledged
    (as the client's queue does), until each has had ``AFTER`` acknowledged after the
    restart."""

    def __init__(self, server: Server, pool: str, members: list[tuple[str, str]]) -> None:
        self.server, self.pool, self.members = server, pool, members
        self.day = datetime.now(UTC).date().isoformat()
        self.acknowledged = [0] * len(members)  # shares acknowledged, per member
        self.after = [0] * len(members)  # of which sent after the restart had begun
        self.retries = [0] * len(members)
        self.wrong: list[str] = []
        self.restarted = threading.Event()
        self.threads = [threading.Thread(target=self.run, args=(n,)) for n in range(len(members))]

    def run(self, n: int) -> None:
        member_id, token = self.members[n]
        deadline = time.monotonic() + SECONDS
        while self.after[n] < AFTER and time.monotonic() < deadline:
            batch = _letters(n, self.acknowledged[n], self.day)
            restarted = self.restarted.is_set()  # known before the share was sent
            try:
                ids = client.send_events(self.server.url, self.pool, member_id, token, batch)
            except client.PoolUnreachable:
                self.retries[n] += 1
                time.sleep(0.1)
                continue
            except client.PoolRefused as refusal:  # not a fault to send again: a failure
                self.wrong.append(f"member {n}: {refusal}")
                return
            if ids != [e["id"] for e in batch]:
                self.wrong.append(f"member {n}: acknowledged {ids}")
            self.acknowledged[n] += 1
            self.after[n] += restarted

    def total(self) -> int:
        return sum(self.acknowledged)


@pytest.mark.slow
def test_postgresql_restarted_under_load_counts_every_event_once(own_cluster, tmp_path):
    url, ctl = own_cluster
    # no rate limit: every member sends from 127.0.0.1, and a 429 is not the fault tested here
    server = start_server(url, tmp_path / "server.log", None, "--rate", "0")
    try:
        link, _key = client.create_pool(server.url, "Acme", "GB", "telecoms", "Acme", 2)
        pool = client.parse_invite(link)[1]
        crowd = Crowd(server, pool, [client.join(link) for _ in range(MEMBERS)])
        before = _started_at(url)
        for thread in crowd.threads:
            thread.start()
        deadline = time.monotonic() + SECONDS
        while crowd.total() < 2 * MEMBERS and time.monotonic() < deadline:
            time.sleep(0.02)  # under load: every member has shares behind it and more coming
        restart = subprocess.run(
            [ctl, "restart", "-m", "fast"], capture_output=True, text=True, timeout=60
        )
        crowd.restarted.set()
        for thread in crowd.threads:
            thread.join(SECONDS + 15)
        assert restart.returncode == 0, restart.stdout + restart.stderr
        assert not any(thread.is_alive() for thread in crowd.threads)
        assert crowd.wrong == []
        assert _started_at(url) > before  # PostgreSQL really went away and came back
        assert crowd.after == [AFTER] * MEMBERS, (crowd.after, crowd.retries)  # none gave up
        sent = crowd.total() * BATCH
        status, stats = call("GET", f"{server.url}/api/pools/{pool}/stats")
    finally:
        server.stop()
    assert status == 200, stats
    assert (stats["letters_sent"], stats["by_kind"]) == (sent, {"complaint": sent})
    assert stats["members"] == MEMBERS
    assert _stored(url) == (sent, sent)
