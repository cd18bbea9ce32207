"""The pool server under load, on PostgreSQL or SQLite (docs/DESIGN.md §9; results in benchmarks/POOL.md).

    sh tools/pg-test-cluster.sh .venv/bin/python benchmarks/pool_bench.py
    .venv/bin/python benchmarks/pool_bench.py --db postgresql://… [--members N --events N]
    .venv/bin/python benchmarks/pool_bench.py --db sqlite --pause 1   # the crowd on SQLite
    .venv/bin/python benchmarks/pool_bench.py --quick     # small sizes: proves it works

1. A pool of 100,000 members and 2,000,000 events, loaded with COPY (its counters
   computed by the same ``contribution`` the server uses), then ``GET stats`` and
   ``GET /p/SLUG`` timed one after another: p50 and p95 (target p95 < 50 ms).
2. 200 clients at once against 127.0.0.1, each a new member: join, then share 5
   batches of 20 events, one batch sent twice (a lost answer), with a random pause
   (up to ``--pause`` seconds) before each request, the first included. Every request is
   timed from the end of its client's pause (when it meant to send) to the last byte of
   its answer: p95 (target < 100 ms), split into the load script late to send, the
   server's app (Server-Timing) and the time in between. The run
   is bounded (a fixed number of requests, a 30 s time-out each, 300 s in all).
   Afterwards the database must hold each event exactly once and the counters must
   equal a recount from the events: nothing lost, nothing doubled.

Only 127.0.0.1 is ever contacted. Everything is made in a fresh database that is
dropped at the end.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import random
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
import uuid
from concurrent.futures import ThreadPoolExecutor
from datetime import date, timedelta
from pathlib import Path
from typing import NamedTuple

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from paperwork.pool.counting import add, contribution  # noqa: E402

LETTER_KINDS = (
    "complaint",
    "follow_up",
    "escalation_supervisor",
    "final_demand",
    "regulator_complaint",
)


def percentile(samples: list[float], p: float) -> float:
    """The p-th percentile (nearest rank) of ``samples``, in the samples' unit."""
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, max(0, round(p / 100 * len(ordered)) - 1))]


class Timing(NamedTuple):
    """One request of the crowd, in seconds: ``waited`` from the moment the client meant
    to send it (the end of its pause) to the last byte of the answer; ``app`` of that in
    the server's app (its Server-Timing header: thread, lock and database waits included);
    ``late`` of that before the load script got round to sending it."""

    waited: float
    app: float
    late: float


def http(method: str, url: str, body: object = None, secret: str = "") -> tuple[int, dict, float]:
    """(status, JSON, seconds) of one request to the local server."""
    status, answer, took, _ = timed_http(method, url, body, secret)
    return status, answer, took


def timed_http(
    method: str, url: str, body: object = None, secret: str = "", due: float = 0.0
) -> tuple[int, dict, float, float]:
    """(status, JSON, seconds seen by the client, seconds in the server's app); with ``due``
    (perf_counter), the client's seconds count from then, not from the send."""
    data = json.dumps(body).encode() if body is not None else None
    request = urllib.request.Request(url, data=data, method=method)
    request.add_header("Content-Type", "application/json")
    if secret:
        request.add_header("Authorization", f"Bearer {secret}")
    start = time.perf_counter()
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            status, text, headers = response.status, response.read(), response.headers
    except urllib.error.HTTPError as exc:
        status, text, headers = exc.code, exc.read(), exc.headers
    elapsed = time.perf_counter() - (due or start)
    timing = _seconds(headers.get("server-timing", "app;dur=nan").rpartition("=")[2])
    try:
        return status, json.loads(text), elapsed, timing
    except ValueError:
        return status, {}, elapsed, timing


async def _async_http(
    port: int, method: str, path: str, body: object = None, secret: str = "", due: float = 0.0
) -> tuple[int, dict, Timing]:
    """One request as the asyncio crowd makes it: a fresh connection, like the real client
    (urllib) makes. ``due`` is the moment (perf_counter) the client meant to send it:
    the time is counted from then, so a load script late to send hides nothing."""
    import asyncio

    data = json.dumps(body).encode() if body is not None else b""
    head = [
        f"{method} {path} HTTP/1.1",
        f"Host: 127.0.0.1:{port}",
        "Content-Type: application/json",
        f"Content-Length: {len(data)}",
        "Connection: close",
    ]
    if secret:
        head.append(f"Authorization: Bearer {secret}")
    start = time.perf_counter()
    due = due or start
    reader, writer = await asyncio.wait_for(asyncio.open_connection("127.0.0.1", port), 30)
    try:
        writer.write(("\r\n".join(head) + "\r\n\r\n").encode() + data)
        raw = await asyncio.wait_for(reader.read(), 30)  # the server closes: read to the end
    finally:
        writer.close()
    done = time.perf_counter()
    header, _, text = raw.partition(b"\r\n\r\n")
    lines = header.decode("latin-1").split("\r\n")
    status = int(lines[0].split()[1])
    timing = "nan"
    for line in lines[1:]:
        name, _, value = line.partition(":")
        if name.strip().lower() == "server-timing":
            timing = value.strip().rpartition("=")[2]
    took = Timing(done - due, _seconds(timing), start - due)
    try:
        return status, json.loads(text), took
    except ValueError:
        return status, {}, took


def _seconds(milliseconds: str) -> float:
    try:
        return float(milliseconds) / 1000
    except ValueError:
        return float("nan")


def member_rows(n: int, per_member: int, rng: random.Random) -> list[tuple]:
    """The event rows of one synthetic member: mostly letters, some replies, calls, outcomes."""
    start = date(2025, 1, 6) + timedelta(days=rng.randrange(600))
    rows = []
    for i in range(per_member):
        day = start + timedelta(days=7 * i + rng.randrange(7))
        pick = i % 10
        if pick < 5:
            rows.append(
                ("letter", day, LETTER_KINDS[pick], pick + 1, rng.random() < 0.4, None, None, None)
            )
        elif pick < 7:
            rows.append(("reply", day, None, None, pick == 6, None, None, None))
        elif pick < 9:
            monday = day - timedelta(days=day.weekday())
            rows.append(
                ("calls", monday, None, None, None, rng.randrange(1, 4), rng.randrange(5, 90), None)
            )
        else:
            rows.append(("outcome", None, "refund", None, None, None, None, "100-249"))
    return rows


def load(db_url: str, pool_id: int, members: int, events: int) -> None:
    """COPY ``members`` members and ``events`` events into the pool, and their counters."""
    import psycopg

    rng = random.Random(7)
    per_member = max(1, events // members)
    totals: dict[str, int] = {"members": members}
    with psycopg.connect(db_url) as conn:
        first_id = conn.execute("SELECT COALESCE(MAX(id), 0) + 1 FROM members").fetchone()[0]
        with conn.cursor().copy(
            "COPY members (id, pool_id, public_id, token_hash, state, joined_on) FROM STDIN"
        ) as copy:
            for i in range(members):
                copy.write_row(
                    (
                        first_id + i,
                        pool_id,
                        f"bench{i}",
                        uuid.uuid4().hex * 2,
                        "active",
                        date(2026, 1, 1),
                    )
                )
        conn.execute(
            "SELECT setval(pg_get_serial_sequence('members', 'id'), %s)", (first_id + members,)
        )
        with conn.cursor().copy(
            "COPY events (member_id, event_id, type, day, kind, rung, flag, count, minutes, band) FROM STDIN"
        ) as copy:
            for i in range(members):
                for j, row in enumerate(member_rows(i, per_member, rng)):
                    copy.write_row((first_id + i, f"e{j}", *row))
                    names = ("type", "day", "kind", "rung", "flag", "count", "minutes", "band")
                    add(totals, contribution(dict(zip(names, row, strict=True))))
        with conn.cursor().copy("COPY counters (pool_id, name, shard, value) FROM STDIN") as copy:
            for name, value in totals.items():
                copy.write_row((pool_id, name, 0, value))
        conn.commit()
        conn.execute("ANALYZE")


def start_server(db_url: str, port: int, log: Path, workers: int = 1) -> subprocess.Popen:
    command = [
        sys.executable,
        "-m",
        "paperwork.pool.serve",
        "--db",
        db_url,
        "--port",
        str(port),
        "--rate",
        "0",
        "--workers",
        str(workers),
    ]
    process = subprocess.Popen(command, stdout=log.open("wb"), stderr=subprocess.STDOUT, cwd=ROOT)
    for _ in range(300):
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/api/pools/x/stats", timeout=2)
        except urllib.error.HTTPError:
            return process
        except OSError:
            time.sleep(0.1)
    process.kill()
    raise SystemExit(f"the server did not start: {log.read_text()[-2000:]}")


def time_reads(url: str, n: int) -> list[float]:
    for _ in range(5):  # warm up
        urllib.request.urlopen(url, timeout=30).read()
    samples = []
    for _ in range(n):
        start = time.perf_counter()
        urllib.request.urlopen(url, timeout=30).read()
        samples.append(time.perf_counter() - start)
    return samples


def crowd_events(k: int, b: int) -> list[dict]:
    """Batch ``b`` of client ``k``: 20 letters, ids that say whose they are."""
    return [
        {
            "id": f"crowd-{k}-{b}-{i}",
            "type": "letter",
            "day": "2026-11-02",
            "kind": "complaint",
            "rung": 1,
            "unanswered": False,
        }
        for i in range(20)
    ]


def crowd_async(
    base: str, pool: str, invite: str, clients: int, batches: int, pause: float
) -> tuple[list[Timing], list[tuple[str, list[str]]], int]:
    """The same crowd as ``crowd``, made by one asyncio loop instead of 200 threads, so
    the load script takes a small share of the cores it shares with the server."""
    import asyncio

    port = int(base.rsplit(":", 1)[1])
    latencies: list[Timing] = []
    sent: list[tuple[str, list[str]]] = []
    failures = 0

    async def pause_then(rng: random.Random) -> float:
        """Wait a random pause; the moment it was meant to end (perf_counter)."""
        wait = rng.random() * pause
        due = time.perf_counter() + wait
        await asyncio.sleep(wait)
        return due

    async def one(k: int, deadline: float) -> None:
        nonlocal failures
        rng = random.Random(k)
        due = await pause_then(rng)
        status, body, took = await _async_http(
            port, "POST", f"/api/pools/{pool}/members", {"invite": invite}, due=due
        )
        record = [took]
        if status != 201:
            failures += 1
            latencies.extend(record)
            return
        member, token = body["member"], body["token"]
        path = f"/api/pools/{pool}/members/{member}/events"
        ids: list[str] = []
        for b in [*range(batches), 0]:  # the first batch again: its answer was "lost"
            if time.monotonic() > deadline:
                break
            due = await pause_then(rng)
            events = crowd_events(k, b)
            status, answer, took = await _async_http(
                port, "POST", path, {"events": events}, token, due
            )
            record.append(took)
            if status != 200 or sorted(answer["accepted"]) != sorted(e["id"] for e in events):
                failures += 1
            ids.extend(e["id"] for e in events)
        latencies.extend(record)
        sent.append((member, sorted(set(ids))))

    async def everyone() -> None:
        deadline = time.monotonic() + 300
        await asyncio.gather(*(one(k, deadline) for k in range(clients)))

    asyncio.run(everyone())
    return latencies, sent, failures


def crowd(
    base: str, pool: str, invite: str, clients: int, batches: int, pause: float
) -> tuple[list[Timing], list[tuple[str, list[str]]], int]:
    """``clients`` members at once, a thread each (urllib, as the real client);
    (a Timing a request, (member, ids), failures)."""
    latencies: list[Timing] = []
    sent: list[tuple[str, list[str]]] = []
    failures = 0
    lock = threading.Lock()
    deadline = time.monotonic() + 300

    def pause_then(rng: random.Random) -> float:
        wait = rng.random() * pause
        due = time.perf_counter() + wait
        time.sleep(wait)
        return due

    def timed(due: float, *request: object) -> tuple[int, dict, Timing]:
        late = time.perf_counter() - due
        status, answer, waited, app = timed_http(*request, due=due)  # type: ignore[arg-type]
        return status, answer, Timing(waited, app, late)

    def one(k: int) -> None:
        nonlocal failures
        rng = random.Random(k)
        # clients arrive over the first pause, not all at once
        due = pause_then(rng)
        status, body, took = timed(
            due, "POST", f"{base}/api/pools/{pool}/members", {"invite": invite}
        )
        record = [took]
        ids: list[str] = []
        if status != 201:
            with lock:
                failures += 1
                latencies.extend(record)
            return
        member, token = body["member"], body["token"]
        url = f"{base}/api/pools/{pool}/members/{member}/events"
        plan = [*range(batches), 0]  # the first batch again: its answer was "lost"
        for b in plan:
            if time.monotonic() > deadline:
                break
            due = pause_then(rng)
            events = crowd_events(k, b)
            status, answer, took = timed(due, "POST", url, {"events": events}, token)
            record.append(took)
            if status != 200 or sorted(answer["accepted"]) != sorted(e["id"] for e in events):
                with lock:
                    failures += 1
            ids.extend(e["id"] for e in events)
        with lock:
            latencies.extend(record)
            sent.append((member, sorted(set(ids))))

    sys.setswitchinterval(0.0005)  # 200 client threads: let each take its answer promptly
    with ThreadPoolExecutor(max_workers=clients) as executor:
        list(executor.map(one, range(clients)))
    return latencies, sent, failures


def _query(db_url: str, sql: str, **params: object) -> tuple:
    """The first row of one query, on PostgreSQL or SQLite alike."""
    from sqlalchemy import create_engine, text

    from paperwork.pool.db import sqlalchemy_url

    engine = create_engine(sqlalchemy_url(db_url))
    try:
        with engine.connect() as connection:
            return tuple(connection.execute(text(sql), params).one())
    finally:
        engine.dispose()


def letters_counter(db_url: str, pool_id: int) -> int:
    """The pool's letters_sent counter, straight from the database (0 when absent)."""
    row = _query(
        db_url,
        "SELECT SUM(value) FROM counters WHERE pool_id = :pool AND name = 'letters_sent'",
        pool=pool_id,
    )
    return int(row[0] or 0)


def check_exactly_once(
    db_url: str, pool_id: int, sent: list[tuple[str, list[str]]], before: int
) -> str:
    """'ok' when each sent id is stored once and the counter matches a recount."""
    stored = _query(
        db_url,
        "SELECT count(*), count(DISTINCT e.member_id || '/' || e.event_id) FROM events e"
        " JOIN members m ON m.id = e.member_id"
        " WHERE m.pool_id = :pool AND m.public_id NOT LIKE 'bench%'",
        pool=pool_id,
    )
    counter = letters_counter(db_url, pool_id)
    expected = sum(len(ids) for _, ids in sent)
    problems = []
    if stored[0] != expected or stored[1] != expected:
        problems.append(f"stored {stored[0]} rows ({stored[1]} distinct), sent {expected}")
    if counter - before != expected:
        problems.append(f"letters_sent moved by {counter - before}, expected {expected}")
    return "ok" if not problems else "; ".join(problems)


def _cpu_seconds(pid: int) -> float:
    """User + system CPU seconds of process ``pid`` and its waited-for children (Linux)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rpartition(")")[2].split()
    ticks = sum(int(v) for v in fields[11:15])  # utime, stime, cutime, cstime
    return ticks / os.sysconf("SC_CLK_TCK")


def _tree_cpu(pid: int) -> float:
    """CPU seconds of ``pid`` and its live child processes (uvicorn's workers)."""
    total = _cpu_seconds(pid)
    children = Path(f"/proc/{pid}/task/{pid}/children")
    for child in children.read_text().split() if children.exists() else ():
        with contextlib.suppress(OSError):  # a worker that just ended
            total += _tree_cpu(int(child))
    return total


def _fresh_database(db: str) -> tuple[str, object]:
    """(URL of a new empty database, a function that drops it): PostgreSQL, or a SQLite file."""
    if db == "sqlite" or db.startswith("sqlite:"):
        folder = Path(tempfile.mkdtemp(prefix="pool-bench-"))
        return f"sqlite:///{folder / 'pool.db'}", lambda: None
    if not db.startswith("postgres"):
        raise SystemExit("give --db sqlite, or a PostgreSQL URL (--db or PAPERWORK_TEST_PG_URL)")
    import psycopg
    from sqlalchemy.engine import make_url

    name = f"pool_bench_{uuid.uuid4().hex[:8]}"
    with psycopg.connect(db, autocommit=True) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')

    def drop() -> None:
        with psycopg.connect(db, autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')

    return make_url(db).set(database=name).render_as_string(hide_password=False), drop


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--db",
        default=os.environ.get("PAPERWORK_TEST_PG_URL", ""),
        help="a PostgreSQL URL (default $PAPERWORK_TEST_PG_URL), or 'sqlite' for a fresh file",
    )
    parser.add_argument("--members", type=int, default=100_000)
    parser.add_argument("--events", type=int, default=2_000_000)
    parser.add_argument("--clients", type=int, default=200)
    parser.add_argument("--batches", type=int, default=5)
    parser.add_argument(
        "--pause", type=float, default=5.0, help="most seconds a client waits between requests"
    )
    parser.add_argument("--reads", type=int, default=300)
    parser.add_argument("--workers", type=int, default=1, help="server processes")
    parser.add_argument(
        "--crowd",
        choices=("asyncio", "threads"),
        default="asyncio",
        help="how the load script makes its clients: one asyncio loop, or a thread each",
    )
    parser.add_argument("--quick", action="store_true")
    args = parser.parse_args()
    if args.quick:
        args.members, args.events, args.clients, args.reads = 200, 4_000, 20, 20
    db_url, drop = _fresh_database(args.db)
    sqlite = db_url.startswith("sqlite")
    if sqlite:
        args.members = 0  # the big pool is loaded with PostgreSQL's COPY only
    port = int(os.environ.get("POOL_BENCH_PORT", "0")) or _free_port()
    base = f"http://127.0.0.1:{port}"
    log = Path(tempfile.mkdtemp()) / "server.log"
    server = start_server(db_url, port, log, args.workers)
    try:
        _, made, _ = http(
            "POST",
            f"{base}/api/pools",
            {
                "company": "Acme Telecom",
                "country": "GB",
                "category": "telecoms",
                "title": "Bench",
                "threshold": 10,
            },
        )
        pool, invite = made["pool"], made["invite"].rsplit("/", 1)[1]
        pool_id = _query(db_url, "SELECT id FROM pools WHERE slug = :slug", slug=pool)[0]
        started = time.perf_counter()
        if args.members:  # --members 0: the crowd alone
            load(db_url, pool_id, args.members, args.events)
            took = time.perf_counter() - started
            print(f"loaded {args.members:,} members and {args.events:,} events in {took:.0f} s")
        stats = time_reads(f"{base}/api/pools/{pool}/stats", args.reads)
        page = time_reads(f"{base}/p/{pool}", args.reads)
        for label, samples in (("stats", stats), ("page", page)):
            print(
                f"{label}: p50 {statistics.median(samples) * 1000:.1f} ms, p95 {percentile(samples, 95) * 1000:.1f} ms (n={len(samples)})"
            )
        before = letters_counter(db_url, pool_id)
        run = crowd_async if args.crowd == "asyncio" else crowd
        server_cpu, own_cpu = _tree_cpu(server.pid), time.process_time()
        load_before = os.getloadavg()[0]
        started = time.perf_counter()
        latencies, sent, failures = run(base, pool, invite, args.clients, args.batches, args.pause)
        wall = time.perf_counter() - started
        server_cpu, own_cpu = _tree_cpu(server.pid) - server_cpu, time.process_time() - own_cpu
        waited = [t.waited for t in latencies]
        inside = [t.app for t in latencies if t.app == t.app]  # NaN: no Server-Timing
        late = [t.late for t in latencies]
        between = [t.waited - t.late - t.app for t in latencies if t.app == t.app]

        def ms(samples: list[float]) -> str:
            return (
                f"p50 {statistics.median(samples) * 1000:.1f} ms,"
                f" p95 {percentile(samples, 95) * 1000:.1f} ms"
            )

        print(
            f"{args.clients} clients ({args.crowd}, pauses up to {args.pause:g} s, {args.workers} server"
            f" process(es), {'SQLite' if sqlite else 'PostgreSQL'}): {len(waited)} requests in {wall:.1f} s"
            f" ({len(waited) / wall:.0f} a second), client-side {ms(waited)},"
            f" max {max(waited) * 1000:.1f} ms; in the server {ms(inside)}; failures {failures}"
        )
        print(
            "  client-side runs from the end of the client's pause to the last byte of the"
            f" answer; of it: load script late to send {ms(late)}; in the server's app"
            f" {ms(inside)}; in between (connection, the server's queue before its app, the"
            f" answer's way back) {ms(between)}"
        )
        print(
            f"CPU: server {server_cpu:.1f} s ({server_cpu / len(waited) * 1000:.2f} ms a request),"
            f" load script {own_cpu:.1f} s ({own_cpu / len(waited) * 1000:.2f} ms a request);"
            f" load average {load_before:.1f} -> {os.getloadavg()[0]:.1f}"
        )
        print("exactly once:", check_exactly_once(db_url, pool_id, sent, before))
    finally:
        server.terminate()
        server.wait(30)
        drop()


def _free_port() -> int:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


if __name__ == "__main__":
    main()
