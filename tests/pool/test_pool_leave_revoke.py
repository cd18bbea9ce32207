"""A leave made while the server is away waits in the queue and arrives once; a member the
organiser revoked is told once, shares nothing more, and ``pool sync`` keeps working."""

from __future__ import annotations

from datetime import date

import pytest
from poolkit import call, free_port, organiser_pool, start_server

from paperwork.aggregate import pool_client as client
from paperwork.aggregate.pool_queue import PoolQueue


def _members(server_url: str, pool: str) -> int | None:
    status, stats = call("GET", f"{server_url}/api/pools/{pool}/stats")
    assert status == 200, stats
    return stats["members"]


def _letters(server_url: str, pool: str) -> int | None:
    return call("GET", f"{server_url}/api/pools/{pool}/stats")[1]["letters_sent"]


def _referral(n: int) -> dict:
    return {"id": f"referral-{n:04d}", "type": "referral", "day": date.today().isoformat()}


@pytest.mark.slow
@pytest.mark.parametrize("erase", [False, True], ids=["leave", "leave-erase"])
def test_a_leave_while_the_server_is_down_arrives_once_on_the_next_sync(
    db_url, tmp_path, home, run_cli, erase
):
    log, port = tmp_path / "server.log", free_port()
    server = start_server(db_url, log, port)
    try:
        pool = client.parse_invite(link := organiser_pool(run_cli, server.url))[1]
        for _ in range(2):  # two others, so the pool's counts are shown
            other, other_token = client.join(link)
            client.send_events(server.url, pool, other, other_token, [_referral(1)])
        member = PoolQueue(home).membership(1)
        member_id = member.member_id
        client.send_events(server.url, pool, member_id, member.token, [_referral(2)])
        assert (_members(server.url, pool), _letters(server.url, pool)) == (3, None)
        before = call("GET", f"{server.url}/api/pools/{pool}/stats")[1]
    finally:
        server.stop()

    leave = ["pool", "leave", "1", *(["--erase"] if erase else [])]
    code, out, err = run_cli(*leave)
    assert code == 0, err
    assert len(out.strip().splitlines()) == 1 and "next paperwork pool sync" in out
    assert ("erasure" in out) == erase
    code, _out, err = run_cli("pool", "share", "1")  # left here at once
    assert code == 2 and "no pool" in err
    code, out, err = run_cli("pool", "sync")  # still away: the leave waits
    assert code == 0 and "1 leave waits in the queue" in out, (out, err)

    server = start_server(db_url, log, port)
    try:
        code, out, err = run_cli("pool", "sync")
        assert code == 0 and "Delivered 1 queued leave." in out, (out, err)
        assert _members(server.url, pool) == 2
        referrals = call("GET", f"{server.url}/api/pools/{pool}/stats")[1]["regulator_referrals"]
        assert referrals == (2 if erase else 3)
        assert before["regulator_referrals"] == 3
        code, out, err = run_cli("pool", "sync")  # delivered once: nothing goes again
        assert code == 0 and "leave" not in out, out
        assert _members(server.url, pool) == 2
        assert PoolQueue(home).pending_leaves() == []
        # the member's token no longer shares
        status, answer = call(
            "POST",
            f"{server.url}/api/pools/{pool}/members/{member_id}/events",
            {"events": [_referral(3)]},
            member.token,
        )
        assert status == 403 and "left" in answer["error"]
    finally:
        server.stop()


def test_a_leave_delivered_twice_counts_once(server, home):
    link, _key = client.create_pool(server.url, "Acme", "GB", "telecoms", "Acme", 2)
    pool = client.parse_invite(link)[1]
    for _ in range(2):
        client.join(link)
    queue = PoolQueue(home)
    member = queue.join(4, server.url, pool, *client.join(link))
    client.send_events(server.url, pool, member.member_id, member.token, [_referral(1)])
    queue.queue_leave(member, erase=True)
    pending = queue.pending_leaves()
    assert len(pending) == 1 and queue.membership(4) is None
    # the server took the leave but its answer was lost (a crash before it was recorded)
    assert client.deliver_leave(pending[0])
    assert client.deliver_leaves(queue) == (1, 0, False)
    assert _members(server.url, pool) == 2
    assert client.deliver_leaves(queue) == (0, 0, False)


def test_a_revoked_member_is_told_once_and_sync_no_longer_fails(server, tmp_path, home, run_cli):
    from paperwork.services.demo import sample_case_path

    link, key = client.create_pool(server.url, "Acme", "GB", "telecoms", "Acme", 2)
    pool = client.parse_invite(link)[1]
    for case in (1, 2):
        assert run_cli("case", "new", "--from", str(sample_case_path()))[0] == 0
        assert run_cli("pool", "join", link, "--case", str(case))[0] == 0
    queue = PoolQueue(home)
    revoked, kept = queue.membership(1), queue.membership(2)
    client.revoke_member(server.url, pool, key, revoked.member_id)
    assert queue.enqueue(1, [_referral(1)]) == 1  # shared while the server was away
    assert queue.enqueue(2, [_referral(2)]) == 1

    code, out, err = run_cli("pool", "sync")
    assert code == 0, err
    told = [line for line in out.splitlines() if "revoked" in line]
    assert len(told) == 1 and told[0].startswith("case 1:"), out
    assert "Sent 1 queued event." in out  # the other case's event went all the same
    assert queue.membership(1).revoked and not queue.membership(2).revoked
    assert queue.waiting(1) == 0 and queue.enqueue(1, [_referral(3)]) == 0  # nothing queued

    for _ in range(2):  # later syncs: no failure, no repeat
        code, out, err = run_cli("pool", "sync")
        assert code == 0 and "revoked" not in out + err, (out, err)
    code, _out, err = run_cli("pool", "share", "1")  # naming the case: bad input, one line
    assert code == 2 and "revoked" in err and len(err.strip().splitlines()) == 1
    assert client.sync(queue).revoked == ()
    assert kept.member_id != revoked.member_id
    code, out, err = run_cli("pool", "leave", "1")  # forgets the pool here
    assert code == 0 and "left its pool" in out, err
    assert queue.membership(1) is None
