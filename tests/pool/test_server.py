"""The pool server over real HTTP, on SQLite and PostgreSQL: pools, invites, members,
sharing, refusals, leaving, and the stats document of docs/DESIGN.md §9."""

from __future__ import annotations

import json
import time

import pytest
from poolkit import call, start_server

from paperwork.aggregate import pool_client as client

STATS_KEYS = {
    "pool",
    "title",
    "company",
    "page",
    "threshold",
    "members",
    "letters_sent",
    "by_kind",
    "regulator_referrals",
    "cancellations",
    "outcomes",
    "since",
    "as_of",
}


def member_events(n: int) -> list[dict]:
    """What member ``n`` shares: two letters, a reply, calls, an outcome; a referral for odd n."""
    events = [
        {
            "id": f"letter-{n}-1",
            "type": "letter",
            "day": "2026-10-01",
            "kind": "complaint",
            "rung": 1,
            "unanswered": True,
        },
        {
            "id": f"letter-{n}-2",
            "type": "letter",
            "day": "2026-10-20",
            "kind": "final_demand",
            "rung": 5,
            "unanswered": False,
        },
        {"id": f"reply-{n}-1", "type": "reply", "day": "2026-10-25", "final": False},
        {
            "id": f"calls-{n}-44",
            "type": "calls",
            "week": "2026-W44",
            "count": 2,
            "hold_minutes": 45,
        },
        {"id": f"outcome-{n}", "type": "outcome", "kind": "refund", "band": "100-249"},
    ]
    if n % 2:
        events.append({"id": f"referral-{n}", "type": "referral", "day": "2026-11-02"})
    return events


def new_pool(server, threshold: int = 10) -> tuple[str, str, str]:
    """(pool, invite link, organiser key) of a fresh pool on ``server``."""
    link, key = client.create_pool(
        server.url, "Acme Telecom", "GB", "telecoms", "Acme overbilling", threshold
    )
    return client.parse_invite(link)[1], link, key


def assert_error(status: int, body: object, expected: int) -> None:
    """A refusal: the status, and a one-line JSON ``{"error": ...}`` with no traceback."""
    assert status == expected, body
    assert isinstance(body, dict) and set(body) == {"error"}, body
    assert "\n" not in body["error"] and "Traceback" not in body["error"]


@pytest.mark.slow
def test_a_dozen_members_share_and_duplicates_count_once(server):
    pool, link, _key = new_pool(server)
    members = [client.join(link) for _ in range(12)]
    for n, (member_id, token) in enumerate(members):
        accepted = client.send_events(server.url, pool, member_id, token, member_events(n))
        assert sorted(accepted) == sorted(e["id"] for e in member_events(n))
    # every member sends everything again: nothing more is counted
    for n, (member_id, token) in enumerate(members):
        client.send_events(server.url, pool, member_id, token, member_events(n))
    stats = client.fetch_stats(server.url, pool)
    assert set(stats) == STATS_KEYS
    assert stats["pool"] == pool
    assert stats["page"] == f"{server.url}/p/{pool}"
    assert stats["threshold"] == 10
    assert stats["members"] == 12
    assert stats["letters_sent"] == 24
    assert stats["by_kind"] == {"complaint": 12, "final_demand": 12}
    assert stats["outcomes"] == {"refund": 12}
    assert stats["regulator_referrals"] is None  # 6, under the threshold
    assert stats["cancellations"] is None  # 0
    assert stats["since"] == stats["as_of"][:10]
    assert stats["title"] == "Acme overbilling" and stats["company"] == "Acme Telecom"


def test_a_changed_event_replaces_the_old_one(server):
    pool, link, _ = new_pool(server, threshold=2)
    members = [client.join(link) for _ in range(2)]
    first = {
        "id": "letter-x-1",
        "type": "letter",
        "day": "2026-10-01",
        "kind": "complaint",
        "rung": 1,
        "unanswered": False,
    }
    for member_id, token in members:
        client.send_events(server.url, pool, member_id, token, [first])
        changed = {**first, "kind": "follow_up", "unanswered": True}
        client.send_events(server.url, pool, member_id, token, [changed, changed])
    stats = client.fetch_stats(server.url, pool)
    assert stats["letters_sent"] == 2
    assert stats["by_kind"] == {"follow_up": 2}


def test_counts_under_the_threshold_are_null(server):
    pool, link, _ = new_pool(server)
    member_id, token = client.join(link)
    client.send_events(server.url, pool, member_id, token, member_events(1))
    stats = client.fetch_stats(server.url, pool)
    assert stats["members"] is None and stats["letters_sent"] is None
    assert stats["by_kind"] == {"complaint": None, "final_demand": None}
    assert json.dumps(stats).count("null") >= 6


def test_forged_and_revoked_secrets_are_refused(server):
    pool, link, key = new_pool(server)
    alice, alice_token = client.join(link)
    bob, bob_token = client.join(link)
    events_url = f"{server.url}/api/pools/{pool}/members/{alice}/events"
    one = {"events": member_events(0)[:1]}
    assert_error(*call("POST", events_url, one, "forged-token"), 403)
    assert_error(*call("POST", events_url, one), 403)
    assert_error(*call("POST", events_url, one, bob_token), 403)  # bob writes only his own
    assert_error(
        *call("DELETE", f"{server.url}/api/pools/{pool}/members/{alice}", secret=bob_token), 403
    )
    assert_error(*call("POST", f"{server.url}/api/pools/{pool}/invites", {}, "not-the-key"), 403)
    # the organiser revokes bob: his token stops working
    client.revoke_member(server.url, pool, key, bob)
    with pytest.raises(client.PoolRefused) as refused:
        client.send_events(server.url, pool, bob, bob_token, member_events(1))
    assert refused.value.status == 403 and "revoked" in refused.value.message
    # the organiser revokes the invite: no one joins with it any more
    assert client.revoke_invite(server.url, pool, key, link) == 1
    with pytest.raises(client.PoolRefused) as refused:
        client.join(link)
    assert refused.value.status == 403
    # a new invite works, and expires
    fresh, _ = client.new_invite(server.url, pool, key)
    assert client.join(fresh)[0].startswith("m")
    short, _ = client.new_invite(server.url, pool, key, expires_in=1)
    time.sleep(1.5)
    with pytest.raises(client.PoolRefused) as refused:
        client.join(short)
    assert refused.value.status == 410
    assert client.fetch_stats(server.url, pool)["members"] is None
    assert alice_token  # alice still counts and can share
    assert client.send_events(server.url, pool, alice, alice_token, member_events(0))


@pytest.mark.parametrize(
    "body",
    [
        b"{not json",
        b"[1, 2]",
        b'{"events": "nope"}',
        b'{"events": [{"id": "abcdefgh", "type": "letter"}]}',
        b'{"events": [{"id": "abcdefgh", "type": "cancellation", "day": "2026-10-01", "name": "Jane Doe"}]}',
        b'{"events": [{"id": "abcdefgh", "type": "cancellation", "day": "yesterday"}]}',
        b'{"events": [{"id": "abcdefgh", "type": "cancellation", "day": "2999-01-01"}]}',
        b'{"events": [{"id": "a b", "type": "referral", "day": "2026-10-01"}]}',
        b'{"events": [{"id": "abcdefgh", "type": "outcome", "kind": "refund", "band": "1234.56"}]}',
        b'{"events": [{"id": "abcdefgh", "type": "calls", "week": "2026-W60", "count": 1, "hold_minutes": 1}]}',
        b'{"events": [{"id": "abcdefgh", "type": "letter", "day": "2026-10-01", "kind": "Jane Doe", "rung": 1, "unanswered": false}]}',
        '{"events": [{"id": "abcdefgh", "type": "referral", "day": "2026-10-01"}], "x": "\u00e9"}'.encode(
            "latin-1"
        ),
    ],
)
def test_malformed_bodies_are_refused(server, body):
    pool, link, _ = new_pool(server)
    member_id, token = client.join(link)
    url = f"{server.url}/api/pools/{pool}/members/{member_id}/events"
    assert_error(*call("POST", url, raw=body, secret=token), 400)


def test_oversized_bodies_and_unknown_addresses_are_refused(server):
    pool, link, _ = new_pool(server)
    member_id, token = client.join(link)
    url = f"{server.url}/api/pools/{pool}/members/{member_id}/events"
    huge = json.dumps({"events": [], "pad": "x" * 400_000}).encode()
    assert_error(*call("POST", url, raw=huge, secret=token), 413)
    many = {
        "events": [
            {"id": f"referral-{i:04}", "type": "referral", "day": "2026-10-01"} for i in range(501)
        ]
    }
    assert_error(*call("POST", url, many, token), 400)
    assert_error(*call("GET", f"{server.url}/api/nothing"), 404)
    assert_error(*call("GET", f"{server.url}/api/pools/nosuchpool/stats"), 404)
    assert_error(*call("PUT", f"{server.url}/api/pools"), 405)
    assert_error(*call("POST", f"{server.url}/api/pools", {"company": "x"}), 400)


def test_leave_with_erase_disappears_from_the_counts(server):
    pool, link, _ = new_pool(server, threshold=2)
    members = [client.join(link) for _ in range(3)]
    for n, (member_id, token) in enumerate(members):
        client.send_events(server.url, pool, member_id, token, member_events(n))
    assert client.fetch_stats(server.url, pool)["letters_sent"] == 6
    gone, gone_token = members[0]
    client.leave(server.url, pool, gone, gone_token, erase=True)
    stats = client.fetch_stats(server.url, pool)
    assert stats["members"] == 2 and stats["letters_sent"] == 4
    with pytest.raises(client.PoolRefused):
        client.send_events(server.url, pool, gone, gone_token, member_events(0))
    # leaving without erasing keeps what was shared, not the member
    kept, kept_token = members[1]
    client.leave(server.url, pool, kept, kept_token)
    stats = client.fetch_stats(server.url, pool)
    assert stats["members"] is None and stats["letters_sent"] == 4


def test_rate_limit_answers_429(db_url, tmp_path):
    running = start_server(db_url, tmp_path / "server.log", None, "--rate", "0.5", "--burst", "5")
    try:
        statuses = [call("GET", f"{running.url}/api/pools/x/stats")[0] for _ in range(12)]
        status, body = call("GET", f"{running.url}/api/pools/x/stats")
    finally:
        running.stop()
    assert 404 in statuses and status == 429
    assert_error(status, body, 429)


def test_links_use_the_public_url_behind_a_proxy(db_url, tmp_path):
    public = "https://pool.example.org/acme"
    running = start_server(db_url, tmp_path / "server.log", None, "--public-url", public)
    try:
        status, made = call(
            "POST",
            f"{running.url}/api/pools",
            {"company": "Acme", "country": "GB", "category": "telecoms", "title": "Acme"},
        )
        stats = client.fetch_stats(running.url, made["pool"])
    finally:
        running.stop()
    assert status == 201
    assert made["invite"].startswith(f"{public}/j/{made['pool']}/")
    assert client.parse_invite(made["invite"])[:2] == (public, made["pool"])
    assert made["page"] == stats["page"] == f"{public}/p/{made['pool']}"
