"""Pressure over time (issue #16 points 5 and 6): letters and members so far, week by week,
from the server's series, drawn on the public page (SVG, no script) and annexed to the
organiser's dossier (PDF drawing, DOCX table), a line only once it reaches the threshold,
and then only through totals at least the threshold apart (no smaller count shows)."""

from __future__ import annotations

import random
import re
from datetime import UTC, date, datetime, timedelta
from itertools import pairwise
from xml.etree import ElementTree

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
    # two members: under the threshold of 3, so their line is withheld; the letters' first
    # week (2, under 3) is folded into the next, where the total reaches 5
    assert [w["members"] for w in series["weeks"]] == [None] * len(series["weeks"])
    assert [(w["week"], w["letters"]) for w in series["weeks"]] == [
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
            assert "Letters sent by the group's members, by type" in annex
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
        with engine.connect() as connection:
            _pool, counters = store.read_pool(connection, "p")
    finally:
        engine.dispose()
    assert Figures.from_counters(counters).member_weeks == [
        (date(2026, 8, 31), 1),
        (date(2026, 9, 7), 2),
    ]


def _apart(values: list[int], k: int) -> bool:
    """Each total at least ``k``, and any two different ones at least ``k`` apart."""
    distinct = sorted(set(values))
    return all(v >= k for v in distinct) and all(b - a >= k for a, b in pairwise(distinct))


def drawn_totals(page: str, label: str) -> tuple[list[int], list[int]]:
    """(the totals at the dots, the totals at every corner of the line) of the chart of
    ``label`` on the page, read back from its SVG through the chart's own scale: the axis
    is nought and the plot's top (as far below the top edge as the axis is above the
    bottom) is the total written at the top of the chart."""
    for svg in re.findall(r"<svg .*?</svg>", page):
        root = ElementTree.fromstring(svg)
        if root.get("aria-label", "").startswith(label.capitalize()):
            break
    else:
        raise AssertionError(f"no chart of {label}")
    height = float(root.get("viewBox", "").split()[3])
    base = float(root.find("line").get("y1"))
    top = height - base
    total = int(root.findall("text")[-1].text.split()[0].replace(",", ""))

    def value(y: float) -> int:
        return round(total * (base - y) / (base - top))

    dots = [value(float(c.get("cy"))) for c in root.findall("circle")]
    corners = [value(float(p.split(",")[1])) for p in root.find("polyline").get("points").split()]
    return dots, corners


def test_no_count_under_the_threshold_can_be_read_off_the_chart(server):
    link, _key = client.create_pool(server.url, "Acme", "GB", "telecoms", "Acme", 10)
    pool = client.parse_invite(link)[1]
    members = [client.join(link) for _ in range(10)]
    per_week = [3, 9, 0, 2, 0, 12, 1]  # 3, 2 and 1: under the threshold of 10
    for week, n in enumerate(per_week):
        for i in range(n):
            client.send_events(server.url, pool, *members[i % 10], letters(week, 1, f"w{i}"))
    status, page = call("GET", f"{server.url}/p/{pool}")
    assert status == 200 and "<dt>Letters sent</dt><dd>27</dd>" in page
    dots, corners = drawn_totals(page, "letters")
    # week 0 (3) is folded into week 1 (12 so far); weeks 3 to 6 (2 + 12 + 1) into week 6
    assert dots == [12, 27] and _apart(corners, 10), corners
    assert drawn_totals(page, "members") == ([10], [10])  # all joined this week: one dot
    weeks = client.fetch_series(server.url, pool)["weeks"]
    shown = [w["letters"] for w in weeks if w["letters"] is not None]
    assert shown[:2] == [12, 27] and _apart(shown, 10)
    assert weeks[0]["week"] == (MONDAY + timedelta(weeks=1)).isoformat()
    assert weeks[1]["week"] == (MONDAY + timedelta(weeks=6)).isoformat()


def test_the_steps_never_show_a_count_under_the_threshold():
    from paperwork.pool.counting import running, steps

    rng = random.Random(16)
    for case in range(2000):
        k = rng.choice([2, 3, 10])
        weeks = sorted(rng.sample(range(60), rng.randint(1, 12)))
        leaving = case % 2  # members come and go; letters only add up
        series = [
            (MONDAY + timedelta(weeks=w), rng.randint(-6 if leaving else 1, 14) or 1) for w in weeks
        ]
        totals = dict(running(series))
        points = steps(series, k)
        total = running(series)[-1][1]
        assert (points == []) == (total < k), series
        if not points:
            continue
        assert points[-1][1] == total and [d for d, _v in points] == sorted({d for d, _v in points})
        assert all(totals[day] == value for day, value in points), series  # true totals
        assert _apart([value for _day, value in points], k), (series, points)


def test_the_dossiers_months_take_each_lines_last_point_in_the_month():
    from paperwork.render.pool_chart import by_month

    timeline = [
        (date(2026, 9, 7), None, 12),
        (date(2026, 9, 21), 10, None),
        (date(2026, 10, 5), None, 27),
        (date(2026, 12, 7), 10, 27),
    ]
    assert by_month(timeline) == [
        (date(2026, 9, 21), 10, 12),
        (date(2026, 10, 5), None, 27),
        (date(2026, 12, 7), 10, 27),
    ]
