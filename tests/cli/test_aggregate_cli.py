"""The aggregate commands end to end: social, log post/outcome, campaign, stats."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest

from paperwork.aggregate.social import PLATFORMS, count

DAY = "2026-11-26"


def _last(text: str) -> str:
    return text.strip().splitlines()[-1]


@pytest.fixture
def case_id(run_cli, us_case_file) -> str:
    code, out, err = run_cli("case", "new", "--from", str(us_case_file), "--on", "2026-10-01")
    assert code == 0, err
    return _last(out)


@pytest.mark.parametrize("platform", ["x", "bluesky", "mastodon"])
def test_social_json_shape_and_limits(run_cli, case_id: str, platform: str) -> None:
    code, out, err = run_cli("social", case_id, "--platform", platform, "--json", "--on", DAY)
    assert code == 0, err
    data = json.loads(out)
    assert data["platform"] == platform and data["limit"] == PLATFORMS[platform].limit
    drafts = {d["name"]: d["posts"] for d in data["drafts"]}
    assert len(drafts["short"]) == 1 and 2 <= len(drafts["thread"]) <= 3
    for posts in drafts.values():
        for post in posts:
            assert count(post, platform) <= data["limit"]
            for secret in ("4471-9920", "jordan@example.org", "555 0100", "12 Elm Street"):
                assert secret not in post
    assert "@AcmeBroadband" in drafts["short"][0]


def test_social_text_and_check(run_cli, case_id: str) -> None:
    code, out, _ = run_cli("social", case_id, "--on", DAY)
    assert code == 0 and "== short" in out and "== thread" in out and "/280" in out
    code, out, err = run_cli("social", case_id, "--check", "Acme are THIEVES and idiots")
    assert code == 2
    assert "'idiots' is an insult" in err and "'THIEVES' accuses the company of theft" in err
    assert "Traceback" not in err
    code, out, err = run_cli(
        "social", case_id, "--check", "Still no refund from @AcmeBroadband after 3 letters."
    )
    assert code == 0 and "OK" in out


def test_log_post_and_outcome_and_stats(run_cli, case_id: str, pw) -> None:
    code, out, err = run_cli(
        "log", "post", case_id, "--url", "https://bsky.app/profile/me/post/1", "--on", "2026-11-20"
    )
    assert code == 0, err
    code, out, err = run_cli(
        "log",
        "outcome",
        case_id,
        "--on",
        DAY,
        "--kind",
        "refund",
        "--amount",
        "89.99",
        "--currency",
        "USD",
    )
    assert code == 0, err
    assert _last(out).isdigit()
    code, _, err = run_cli("log", "outcome", case_id, "--on", DAY, "--kind", "cancellation")
    assert code == 0, err
    code, _, err = run_cli(
        "log", "call", case_id, "--on", "2026-10-09", "--waited", "95", "--duration", "12"
    )
    assert code == 0, err
    events = {(e.kind, e.data.get("kind")): e for e in pw.store.events(int(case_id))}
    post = events[("post", None)]
    assert post.data == {"url": "https://bsky.app/profile/me/post/1", "platform": "bluesky"}
    assert str(post.on) == "2026-11-20"
    assert events[("outcome", "refund")].data == {
        "kind": "refund",
        "amount": "89.99",
        "currency": "USD",
    }
    assert events[("outcome", "cancellation")].data == {
        "kind": "cancellation",
        "amount": None,
        "currency": None,
    }

    code, out, err = run_cli("stats", "--json")
    assert code == 0, err
    data = json.loads(out)
    (acme,) = data["companies"]
    assert acme["company"] == "Acme Broadband, Inc."
    assert (acme["cases"], acme["calls"], acme["hold_minutes"], acme["posts"]) == (1, 1, 95, 1)
    assert acme["won"] == {"USD": "89.99"}
    assert acme["outcomes"] == {"cancellation": 1, "refund": 1}
    assert data["overall"]["won"] == {"USD": "89.99"}
    code, out, _ = run_cli("stats")
    assert code == 0 and "Acme Broadband, Inc.: 1 case(s)" in out and "89.99" in out


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("--amount", "89.99"), "--currency: give the currency"),
        (
            ("--amount", "89.999", "--currency", "USD"),
            "--amount: has more than two decimal places.",
        ),
        (("--amount", "-1", "--currency", "USD"), "--amount:"),
    ],
)
def test_log_outcome_refuses_bad_money(run_cli, case_id: str, args, message: str) -> None:
    code, _, err = run_cli("log", "outcome", case_id, "--on", DAY, "--kind", "refund", *args)
    assert code == 2 and message in err and "Traceback" not in err


def test_log_post_refuses_a_non_address(run_cli, case_id: str) -> None:
    code, _, err = run_cli("log", "post", case_id, "--url", "my post")
    assert code == 2 and "--url: 'my post' is not a web address" in err
    code, _, err = run_cli("log", "post", "99", "--url", "https://x.com/a/status/1")
    assert code == 2 and "no case with id 99" in err


def test_campaign_template_and_render(run_cli, tmp_path: Path, us_case_file: Path) -> None:
    members = tmp_path / "members.csv"
    code, out, err = run_cli("campaign", "template", "--out", str(members))
    assert code == 0, err
    with open(members, encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    rows.append({**rows[0], "sender.name": "Bad Email", "sender.email": "x"})
    rows.append({**rows[1], "sender.name": ""})
    with open(members, "w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    campaign = json.loads(us_case_file.read_text(encoding="utf-8"))
    for key in ("sender", "account_number", "references", "amount"):
        campaign.pop(key)
    campaign_path = tmp_path / "campaign.json"
    campaign_path.write_text(json.dumps(campaign), encoding="utf-8")
    out_dir = tmp_path / "out"

    code, out, err = run_cli(
        "campaign",
        "render",
        str(campaign_path),
        str(members),
        "--kind",
        "complaint",
        "--out",
        str(out_dir),
        "--track",
        "--on",
        DAY,
        "--jobs",
        "2",
    )
    assert code == 2
    assert f"{members}: row 4: sender.email: 'x' is not a valid e-mail address." in err
    assert f"{members}: row 5: sender.name: Missing data for required field." in err
    assert (
        "Rendered 2 letter(s)" in out and "Created 2 case(s)" in out and "Refused 2 row(s)" in out
    )
    assert len(list(out_dir.glob("*.pdf"))) == 2 and len(list(out_dir.glob("*.docx"))) == 2
    assert (out_dir / "refused.csv").is_file()
    code, out, _ = run_cli("case", "list", "--json")
    assert [c["id"] for c in json.loads(out)] == [1, 2]


def test_campaign_render_refuses_bad_header(run_cli, tmp_path: Path, us_case_file: Path) -> None:
    members = tmp_path / "m.csv"
    members.write_text("sender.name,shoe_size\nAna,42\n", encoding="utf-8")
    code, _, err = run_cli(
        "campaign",
        "render",
        str(us_case_file),
        str(members),
        "--kind",
        "complaint",
        "--out",
        str(tmp_path / "o"),
    )
    assert code == 2 and "row 1: column 'shoe_size' is not a case-file key" in err


def test_help_stays_light() -> None:
    import subprocess
    import sys

    code = (
        "import sys\n"
        "from paperwork.cli.main import cli\n"
        "names = set(cli.commands) | set(cli.commands['log'].commands)\n"
        "assert {'social', 'campaign', 'stats', 'post', 'outcome'} <= names, names\n"
        "heavy = [m for m in ('reportlab', 'docxtpl', 'pypdf', 'textual') if m in sys.modules]\n"
        "assert not heavy, heavy\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True)
