"""Pressure over time (issue #16 points 5 and 6): letters and members so far, week by week,
from the server's series, drawn on the public page (SVG, no script) and annexed to the
organiser's dossier (PDF drawing, DOCX table), a line only once it reaches the threshold."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, timedelta

import pytest
from poolkit import call, organiser_pool

from paperwork.aggregate import pool_client as client

MONDAY = date(2026, 9, 7)


def letters(week: int, n: int, tag: str) -> list[dict]:
    day = (MONDAY + timedelta(weeks=week, days=1)).isoformat()
    return [
        {"id": f"{tag}-week{week}-{i:02d}", "type": "letter", "day": day, "kind": "complaint",
         "rung": 1, "unanswered": False}
        for i in range(n)
    ]  # fmt: skip


def test_the_series_adds_up_letters_and_members_week_by_week(server):
    link, _key = client.create_pool(server.url, "Acme", "GB", "telecoms", "Acme", 3)
    pool = client.parse_invite(link)[1]
    members = [client.join(link) for _ in range(2)]
    status, body = call("GET", f"{server.url}/api/pools/{pool}/series")
    assert status == 200 and body["weeks"] == [] and body["threshold"] == 3  # nothing to show
    client.send_events(server.url, pool, *members[0], letters(0, 2, "a"))
    client.send_events(server.url, pool, *members[1], letters(2, 3, "b"))
    client.send_events(server.url, pool, *members[1], letters(2, 3, "b"))  # twice: once
    series = client.fetch_series(server.url, pool)
    this_week = datetime.now(UTC).date()
    this_monday = (this_week - timedelta(days=this_week.weekday())).isoformat()
    # two members: under the threshold of 3, so their line is withheld
    assert [w["members"] for w in series["weeks"]] == [None] * len(series["weeks"])
    assert [(w["week"], w["letters"]) for w in series["weeks"]] == [
        (MONDAY.isoformat(), 2),
        ((MONDAY + timedelta(weeks=2)).isoformat(), 5),
    ]
    third = client.join(link)
    weeks = client.fetch_series(server.url, pool)["weeks"]
    assert weeks[-1] == {"week": this_monday, "letters": 5, "members": 3}
    client.leave(server.url, pool, *third, erase=True)
    weeks = client.fetch_series(server.url, pool)["weeks"]
    assert all(w["members"] is None for w in weeks)  # back under the threshold

    status, page = call("GET", f"{server.url}/p/{pool}")
    assert status == 200 and "Pressure over time" in page and "<script" not in page
    assert page.count("<svg") == 1 and "5 letters</text>" in page  # members: under 3


def test_the_page_draws_members_and_letters_so_far(server):
    link, _key = client.create_pool(server.url, "Acme", "GB", "telecoms", "Acme", 2)
    pool = client.parse_invite(link)[1]
    for n, member in enumerate(client.join(link) for _ in range(3)):
        client.send_events(server.url, pool, *member, letters(n, 2, f"m{n}"))
    status, page = call("GET", f"{server.url}/p/{pool}")
    assert status == 200
    assert "Members so far" in page and "Letters so far" in page
    assert page.count("<svg") == 2 and "3 members</text>" in page and "6 letters</text>" in page
    # both lines run over the same weeks: the first letter's week to this week
    starts = re.findall(r'font-size="20">(\d{4}-\d\d-\d\d)</text>', page)
    assert starts == [MONDAY.isoformat()] * 2


def test_the_dossier_annexes_pressure_over_time(server, tmp_path, run_cli):
    from docx import Document
    from pypdf import PdfReader

    link = organiser_pool(run_cli, server.url)
    pool = client.parse_invite(link)[1]
    for n in range(3):
        client.send_events(server.url, pool, *client.join(link), letters(n * 3, 4, f"d{n}"))
    code, out, err = run_cli("pool", "dossier", "1", "--out", str(tmp_path / "d"))
    assert code == 0, err
    paths = sorted(out.split())
    for path in paths:
        if path.endswith(".pdf"):
            reader = PdfReader(path)
            annex = re.sub(r"\s+", " ", reader.pages[-1].extract_text())
            assert "Pressure over time: members and letters so far" in annex, annex
            assert "4 members" in annex and "12 letters sent" in annex
            assert "Letters sent by the pool's members, by kind" in annex
        else:
            document = Document(path)
            text = "\n".join(p.text for p in document.paragraphs)
            assert "Pressure over time" in text
            months = [row.cells[0].text for row in document.tables[-2].rows]
            assert months[0] == "month" and months[1] == "2026-09" and len(months) >= 3
            last = [c.text for c in document.tables[-2].rows[-1].cells]
            assert last[1] == "4" and last[3] == "12" and "\u2588" in last[2]


@pytest.mark.parametrize("locale", ["de_DE", "fr_FR", "es_ES"])
def test_the_time_chart_speaks_the_letters_language(locale):
    from paperwork.letters.pool_dossier import timeline_words

    words = timeline_words(locale)
    assert words["title"] != timeline_words("en_GB")["title"] and "{as_of}" in words["title"]
    assert words["members"] != "members"


def test_joined_weeks_are_filled_in_for_members_already_there(db_url):
    from importlib import resources

    from alembic import command
    from alembic.config import Config
    from sqlalchemy import text

    from paperwork.pool import migrations, store
    from paperwork.pool.counting import Figures
    from paperwork.pool.db import make_engine

    engine = make_engine(db_url)
    try:
        config = Config()
        config.set_main_option("script_location", str(resources.files(migrations.__name__)))
        with engine.begin() as connection:
            config.attributes["connection"] = connection
            command.upgrade(config, "0001")
            connection.execute(text(
                "INSERT INTO pools (id, slug, title, company, country, category, threshold,"
                " organiser_hash, created_at) VALUES (1, 'p', 't', 'c', 'GB', 'x', 2, 'h', :now)"
            ), {"now": datetime(2026, 9, 1, tzinfo=UTC)})  # fmt: skip
            for n, (state, day) in enumerate(
                [("active", date(2026, 9, 2)), ("active", date(2026, 9, 9)),
                 ("left", date(2026, 9, 9)), ("active", date(2026, 9, 10))]
            ):  # fmt: skip
                connection.execute(text(
                    "INSERT INTO members (pool_id, public_id, token_hash, state, joined_on)"
                    " VALUES (1, :id, :hash, :state, :day)"
                ), {"id": f"m{n}", "hash": f"h{n}", "state": state, "day": day})  # fmt: skip
        migrations.upgrade(engine)
        _pool, counters = store.read_pool(engine, "p")
    finally:
        engine.dispose()
    assert Figures.from_counters(counters).member_weeks == [
        (date(2026, 8, 31), 1),
        (date(2026, 9, 7), 2),
    ]
