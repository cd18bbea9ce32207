"""`due`, `reissue` and `case show --json` end to end, through the command line.

One case per country (GB, US, DE, FR, ES), each first letter posted in December
so that its reply deadline or the next letter's due day crosses Christmas, New
Year or Epiphany. The worked dates below were counted by hand from docs/DESIGN.md §6:

- GB-ENG, 14d: posted Fri 18 Dec, deemed received Tue 22 Dec (2nd business
  day; 25, 26 and 28 Dec are bank holidays), + 14 days = Tue 5 Jan.
- US-MA, 10bd: certified Fri 11 Dec, deemed received Fri 18 Dec (5th business
  day), + 10 business days skipping Christmas and New Year's Day = Tue 5 Jan.
- DE-BY, 14d: registered Tue 15 Dec, deemed received Tue 22 Dec, + 14 days =
  Tue 5 Jan; Wed 6 Jan is Epiphany in Bavaria, so the follow-up is due Thu 7 Jan.
- FR, 14d: registered Fri 11 Dec, deemed received Fri 18 Dec, + 14 days =
  Fri 1 Jan (New Year's Day), rolled forward to Mon 4 Jan; follow-up Tue 5 Jan.
- ES-MD, 1m: registered Tue 1 Dec but delivered (recorded) Sat 5 Dec, which
  wins over the deemed Wed 9 Dec; + 1 month = Tue 5 Jan; Wed 6 Jan is Epiphany,
  so the follow-up is due Thu 7 Jan.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

import pytest
from clikit import DATA, last_line

# Minimal bodies for kinds whose shipped body is not (yet) written in a locale:
# written into the test's data folder, never over a shipped one.
BODY = """{% block subject %}{{ case.title }}{% endblock %}
{% block body %}
{{ case.summary }}

{{ case.remedy }}

{{ reply_by }}
{% endblock %}
"""


@pytest.fixture(autouse=True)
def _late_today(monkeypatch):
    """These timelines run into 2027: the clock stands at the end of it, so letters
    sent and replies received on those days are in the past (none may be in the future)."""
    monkeypatch.setenv("PAPERWORK_TODAY", "2027-12-31")


def ensure_bodies(home: Path, locale: str, kinds: tuple[str, ...]) -> None:
    """Give each kind a body in ``locale`` as a user template when none is shipped."""
    from paperwork.core.resources import templates_root

    for kind in kinds:
        if (templates_root() / "bodies" / kind / f"{locale}.j2").is_file():
            continue
        folder = home / "templates" / "bodies" / kind
        folder.mkdir(parents=True, exist_ok=True)
        (folder / f"{locale}.j2").write_text(BODY, encoding="utf-8")


@dataclass(frozen=True)
class Country:
    """One case file and the hand-counted dates of its first letter."""

    name: str
    case_file: str
    locale: str
    sent_on: date
    via: str
    window: str | None  # None: the kind's own window for the jurisdiction
    delivered_on: date | None
    deemed_receipt: date
    deadline: date
    next_due: date


# fmt: off
COUNTRIES = [
    Country("GB", "case_gb.toml", "en_GB", date(2026, 12, 18), "first_class", "14d", None,
            date(2026, 12, 22), date(2027, 1, 5), date(2027, 1, 6)),
    Country("US", "case_us_ma.toml", "en_US", date(2026, 12, 11), "certified", None, None,
            date(2026, 12, 18), date(2027, 1, 5), date(2027, 1, 6)),
    Country("DE", "case_de.toml", "de_DE", date(2026, 12, 15), "registered", None, None,
            date(2026, 12, 22), date(2027, 1, 5), date(2027, 1, 7)),
    Country("FR", "case_fr.toml", "fr_FR", date(2026, 12, 11), "registered", None, None,
            date(2026, 12, 18), date(2027, 1, 4), date(2027, 1, 5)),
    Country("ES", "case_es.toml", "es_ES", date(2026, 12, 1), "registered", None, date(2026, 12, 5),
            date(2026, 12, 5), date(2027, 1, 5), date(2027, 1, 7)),
]
# fmt: on


def ok(result: tuple[int, str, str]) -> str:
    code, out, err = result
    assert code == 0, f"exit {code}\nstdout:\n{out}\nstderr:\n{err}"
    return out


def json_of(result: tuple[int, str, str]):
    return json.loads(ok(result))


def open_and_send(run_cli, home: Path, country: Country) -> tuple[int, int]:
    """Store the country's case, draft its complaint and mark it sent: (case id, letter id)."""
    ensure_bodies(home, country.locale, ("complaint", "follow_up"))
    case_id = int(
        last_line(
            ok(
                run_cli(
                    "case",
                    "new",
                    "--from",
                    str(DATA / country.case_file),
                    "--on",
                    country.sent_on.isoformat(),
                )
            )
        )
    )
    draft = [
        "letter",
        "draft",
        str(case_id),
        "--kind",
        "complaint",
        "--on",
        country.sent_on.isoformat(),
    ]
    if country.window:
        draft += ["--window", country.window]
    letter_id = int(last_line(ok(run_cli(*draft))))
    ok(
        run_cli(
            "letter",
            "sent",
            str(letter_id),
            "--on",
            country.sent_on.isoformat(),
            "--via",
            country.via,
        )
    )
    if country.delivered_on:
        ok(run_cli("letter", "delivered", str(letter_id), "--on", country.delivered_on.isoformat()))
    return case_id, letter_id


def reissue(run_cli, out: Path, on: date) -> str:
    return ok(run_cli("reissue", "--on", on.isoformat(), "--out", str(out)))


def letters_of(run_cli, case_id: int, on: date) -> list[dict]:
    return json_of(run_cli("case", "show", str(case_id), "--json", "--on", on.isoformat()))[
        "letters"
    ]


@pytest.mark.parametrize("country", COUNTRIES, ids=lambda c: c.name)
def test_next_letter_is_drafted_on_exactly_the_right_day(run_cli, home, tmp_path, country):
    case_id, letter_id = open_and_send(run_cli, home, country)
    out = tmp_path / "out"

    shown = json_of(
        run_cli("case", "show", str(case_id), "--json", "--on", country.deadline.isoformat())
    )
    [sent] = shown["letters"]
    assert sent["id"] == letter_id
    assert sent["status"] == ("delivered" if country.delivered_on else "sent")
    assert sent["sent_on"] == country.sent_on.isoformat()
    assert sent["via"] == country.via
    assert sent["deemed_receipt"] == country.deemed_receipt.isoformat()
    assert sent["deadline"] == country.deadline.isoformat()
    assert shown["next"]["kind"] == "follow_up"
    assert shown["next"]["due"] == country.next_due.isoformat()

    # More than 7 days ahead: not listed yet.
    early = country.next_due - timedelta(days=8)
    assert json_of(run_cli("due", "--on", early.isoformat(), "--json")) == []

    # On the deadline day the next letter is listed, but not overdue and not drafted.
    row = {
        "case": case_id,
        "letter": letter_id,
        "kind": "follow_up",
        "due": country.next_due.isoformat(),
        "deadline": country.deadline.isoformat(),
        "overdue": False,
    }
    rows = json_of(run_cli("due", "--on", country.deadline.isoformat(), "--json"))
    assert [{k: r[k] for k in row} for r in rows] == [row]

    # Nothing is drafted before the due day: the deadline itself and any holiday between.
    day = country.deadline
    while day < country.next_due:
        assert last_line(reissue(run_cli, out, day)) == "0 letter(s) drafted, 0 failed."
        day += timedelta(days=1)
    assert len(letters_of(run_cli, case_id, country.next_due)) == 1
    assert not out.exists() or list(out.iterdir()) == []

    # On the due day: overdue, and exactly the next rung is drafted and rendered.
    rows = json_of(run_cli("due", "--on", country.next_due.isoformat(), "--json"))
    assert [{k: r[k] for k in row} for r in rows] == [{**row, "overdue": True}]
    text = reissue(run_cli, out, country.next_due)
    assert last_line(text) == "1 letter(s) drafted, 0 failed."
    assert f"case {case_id}: drafted follow_up as letter {letter_id + 1}" in text
    letters = letters_of(run_cli, case_id, country.next_due)
    assert [(lt["kind"], lt["status"]) for lt in letters] == [
        ("complaint", (country.delivered_on and "delivered") or "sent"),
        ("follow_up", "draft"),
    ]
    assert letters[1]["drafted_on"] == country.next_due.isoformat()
    files = sorted(p.name for p in out.iterdir())
    assert [Path(f).suffix for f in files] == [".docx", ".pdf"]
    assert all(f.startswith(f"{letter_id + 1:04d}-follow-up-") for f in files)

    # Run again the same day, and the day after: nothing new.
    for again in (country.next_due, country.next_due + timedelta(days=1)):
        assert last_line(reissue(run_cli, out, again)) == "0 letter(s) drafted, 0 failed."
    assert len(letters_of(run_cli, case_id, country.next_due)) == 2
    assert len(list(out.iterdir())) == 2

    # The drafted letter is no longer a due row, but `due` still tells the person
    # it waits to be printed and sent.
    assert json_of(run_cli("due", "--on", country.next_due.isoformat(), "--json")) == []
    code, text, _err = run_cli("due", "--on", country.next_due.isoformat())
    assert code == 0 and "Drafted, not sent yet" in text
    assert f"letter {letter_id + 1}  case {case_id}  follow_up" in text


def test_five_countries_in_one_data_folder(run_cli, home, tmp_path):
    """One cron run a day over the holidays drafts each country's letter on its own day."""
    ids = {c.name: open_and_send(run_cli, home, c)[0] for c in COUNTRIES}
    out = tmp_path / "out"

    rows = json_of(run_cli("due", "--on", "2026-12-31", "--json"))
    assert sorted((r["case"], r["kind"], r["due"]) for r in rows) == sorted(
        (ids[c.name], "follow_up", c.next_due.isoformat()) for c in COUNTRIES
    )

    drafted_on: dict[str, list[int]] = {}
    day = date(2026, 12, 24)
    while day <= date(2027, 1, 12):
        text = reissue(run_cli, out, day)
        cases = [
            int(line.split()[1].rstrip(":"))
            for line in text.splitlines()
            if " drafted follow_up " in line
        ]
        if cases:
            drafted_on[day.isoformat()] = sorted(cases)
        # The second run of the day never drafts anything.
        assert last_line(reissue(run_cli, out, day)) == "0 letter(s) drafted, 0 failed."
        day += timedelta(days=1)

    assert drafted_on == {
        "2027-01-05": [ids["FR"]],
        "2027-01-06": sorted([ids["GB"], ids["US"]]),
        "2027-01-07": sorted([ids["DE"], ids["ES"]]),
    }


def test_case_show_json_shape(run_cli, home):
    """The keys docs/DESIGN.md §5 promises for `case show --json`, with ISO dates."""
    country = COUNTRIES[0]
    case_id, letter_id = open_and_send(run_cli, home, country)
    ok(
        run_cli(
            "log",
            "call",
            str(case_id),
            "--on",
            "2026-12-21",
            "--waited",
            "35",
            "--duration",
            "12",
            "--rep",
            "Dana",
            "--ref",
            "R-1",
        )
    )
    shown = json_of(run_cli("case", "show", str(case_id), "--json", "--on", "2026-12-28"))

    assert {"id", "title", "letters", "events", "next"} <= set(shown)
    assert shown["id"] == case_id
    assert isinstance(shown["title"], str) and shown["title"]
    [letter] = shown["letters"]
    assert {
        "id",
        "kind",
        "status",
        "sent_on",
        "via",
        "deemed_receipt",
        "window",
        "deadline",
    } <= set(letter)
    assert letter == {
        **letter,
        "id": letter_id,
        "kind": "complaint",
        "status": "sent",
        "sent_on": "2026-12-18",
        "via": "first_class",
        "deemed_receipt": "2026-12-22",
        "window": "14d",
        "deadline": "2027-01-05",
    }
    assert [e["kind"] for e in shown["events"]] == ["call"]
    assert shown["events"][0]["on"] == "2026-12-21"
    assert shown["next"] == {**shown["next"], "kind": "follow_up", "due": "2027-01-06"}
    # The explanation names every step of the count (issue 4).
    assert "Fri 18 Dec 2026" in letter["explanation"] and "Tue 22 Dec 2026" in letter["explanation"]
    assert "Tue 5 Jan 2027" in letter["explanation"]


def test_a_draft_letter_has_no_deadline(run_cli, home):
    ensure_bodies(home, "en_GB", ("complaint",))
    case_id = int(last_line(ok(run_cli("case", "new", "--from", str(DATA / "case_gb.toml")))))
    ok(run_cli("letter", "draft", str(case_id), "--kind", "complaint", "--on", "2026-12-01"))
    shown = json_of(run_cli("case", "show", str(case_id), "--json", "--on", "2026-12-01"))
    [letter] = shown["letters"]
    assert (letter["status"], letter["sent_on"], letter["deemed_receipt"], letter["deadline"]) == (
        "draft",
        None,
        None,
        None,
    )
    # Nothing has been sent, so nothing is due and nothing is reissued.
    assert json_of(run_cli("due", "--on", "2027-06-01", "--json")) == []


def test_a_reply_stops_the_clock(run_cli, home, tmp_path):
    country = COUNTRIES[2]  # DE
    case_id, _ = open_and_send(run_cli, home, country)
    ok(
        run_cli(
            "log",
            "response",
            str(case_id),
            "--on",
            "2026-12-30",
            "--summary",
            "Wir prüfen den Vorgang.",
        )
    )

    shown = json_of(
        run_cli("case", "show", str(case_id), "--json", "--on", country.next_due.isoformat())
    )
    assert shown["status"] == "open"
    assert shown["letters"][0]["answered_on"] == "2026-12-30"
    assert shown["next"] is None
    assert json_of(run_cli("due", "--on", country.deadline.isoformat(), "--json")) == []
    text = reissue(run_cli, tmp_path / "out", country.next_due)
    assert last_line(text) == "0 letter(s) drafted, 0 failed."


def test_a_late_reply_still_stops_the_clock(run_cli, home, tmp_path):
    """A reply that arrives after the deadline but before the reissue run."""
    country = COUNTRIES[2]  # DE: deadline Tue 5 Jan, next due Thu 7 Jan
    case_id, _ = open_and_send(run_cli, home, country)
    ok(
        run_cli(
            "log",
            "response",
            str(case_id),
            "--on",
            "2027-01-06",
            "--summary",
            "Antwort nach Fristablauf.",
        )
    )
    assert json_of(run_cli("due", "--on", country.next_due.isoformat(), "--json")) == []
    assert (
        last_line(reissue(run_cli, tmp_path / "out", country.next_due))
        == "0 letter(s) drafted, 0 failed."
    )
    shown = json_of(
        run_cli("case", "show", str(case_id), "--json", "--on", country.next_due.isoformat())
    )
    assert shown["tally"]["missed_deadlines"] == 1


def test_a_resolved_reply_closes_the_case(run_cli, home, tmp_path):
    country = COUNTRIES[3]  # FR
    case_id, _ = open_and_send(run_cli, home, country)
    ok(
        run_cli(
            "log",
            "response",
            str(case_id),
            "--on",
            "2026-12-28",
            "--summary",
            "Remboursement effectué.",
            "--resolved",
        )
    )
    shown = json_of(
        run_cli("case", "show", str(case_id), "--json", "--on", country.next_due.isoformat())
    )
    assert shown["status"] == "closed"
    assert shown["next"] is None
    assert json_of(run_cli("due", "--on", country.next_due.isoformat(), "--json")) == []
    assert (
        last_line(reissue(run_cli, tmp_path / "out", country.next_due))
        == "0 letter(s) drafted, 0 failed."
    )


def test_an_answered_letter_answered_then_a_new_letter_restarts_the_clock(run_cli, home, tmp_path):
    """A reply stops the clock of the letters before it, not of a letter sent afterwards."""
    country = COUNTRIES[1]  # US-MA
    case_id, _ = open_and_send(run_cli, home, country)
    ok(
        run_cli(
            "log",
            "response",
            str(case_id),
            "--on",
            "2026-12-22",
            "--summary",
            "We are looking into it.",
        )
    )
    ensure_bodies(home, "en_US", ("follow_up",))
    follow = int(
        last_line(
            ok(
                run_cli(
                    "letter", "draft", str(case_id), "--kind", "follow_up", "--on", "2026-12-28"
                )
            )
        )
    )
    ok(run_cli("letter", "sent", str(follow), "--on", "2026-12-28", "--via", "email"))
    shown = json_of(run_cli("case", "show", str(case_id), "--json", "--on", "2027-01-20"))
    # follow_up (US default 14d): emailed Mon 28 Dec, + 14 days = Mon 11 Jan; next due Tue 12 Jan.
    assert shown["letters"][1]["deadline"] == "2027-01-11"
    assert shown["next"] == {**shown["next"], "kind": "escalation_supervisor", "due": "2027-01-12"}


# ---------------------------------------------------------------------------
# the regulator gate and the retention request


REGULATORS = """
[[body]]
id = "gb-comms"
country = "GB"
categories = ["telecoms"]
name = "Communications Ombudsman (test)"
address = ["PO Box 730", "Warrington", "WA4 6WU"]
website = "https://example.org/ombudsman"
gate = "8w"
gate_text = "eight weeks after the company received the complaint"
source = "Ofcom General Condition C4: deadlock letter or 8 weeks"
"""


def test_regulator_rung_waits_for_its_gate(run_cli, home, tmp_path):
    """regulated_uk: complaint → follow_up → regulator_complaint, never before 8 weeks.

    The user's regulators file replaces the shipped telecoms ombudsman by id, so the
    gate is a known 8 weeks whatever the shipped directory says.
    """
    home.mkdir(parents=True, exist_ok=True)
    (home / "regulators.toml").write_text(REGULATORS, encoding="utf-8")
    ensure_bodies(home, "en_GB", ("complaint", "follow_up", "regulator_complaint"))
    country = COUNTRIES[0]
    case_id, _ = open_and_send(run_cli, home, country)  # deemed received Tue 22 Dec
    out = tmp_path / "out"
    assert last_line(reissue(run_cli, out, date(2027, 1, 6))) == "1 letter(s) drafted, 0 failed."
    follow = 2
    ok(run_cli("letter", "sent", str(follow), "--on", "2027-01-06", "--via", "email"))
    # follow_up: emailed Wed 6 Jan + 14 days = Wed 20 Jan, so by the ladder alone the
    # regulator rung would be due Thu 21 Jan; the gate is 22 Dec + 8 weeks = Tue 16 Feb.
    shown = json_of(run_cli("case", "show", str(case_id), "--json", "--on", "2027-01-21"))
    assert shown["letters"][1]["deadline"] == "2027-01-20"
    assert shown["next"] == {**shown["next"], "kind": "regulator_complaint", "due": "2027-02-16"}
    rows = json_of(run_cli("due", "--on", "2027-02-09", "--json"))
    assert [(r["kind"], r["due"], r["deadline"], r["overdue"]) for r in rows] == [
        ("regulator_complaint", "2027-02-16", "2027-01-20", True)
    ]
    for day in ("2027-01-21", "2027-02-15"):
        assert (
            last_line(reissue(run_cli, out, date.fromisoformat(day)))
            == "0 letter(s) drafted, 0 failed."
        )
    text = reissue(run_cli, out, date(2027, 2, 16))
    assert "drafted regulator_complaint as letter 3" in text
    assert last_line(reissue(run_cli, out, date(2027, 2, 16))) == "0 letter(s) drafted, 0 failed."


def _set_promo(run_cli, tmp_path, case_id: int, promo_ends: str) -> None:
    changes = tmp_path / "promo.toml"
    changes.write_text(
        f"promo_ends = {promo_ends}\n[details]\ncustomer_since = 2019-04-01\n", encoding="utf-8"
    )
    ok(run_cli("case", "edit", str(case_id), "--from", str(changes)))


def test_retention_request_due_thirty_days_before_the_promotion_ends(run_cli, home, tmp_path):
    """A case whose letters are all answered: only the retention request is due."""
    country = COUNTRIES[1]  # US-MA
    ensure_bodies(home, "en_US", ("retention_request",))
    case_id, _ = open_and_send(run_cli, home, country)
    ok(
        run_cli(
            "log", "response", str(case_id), "--on", "2026-12-21", "--summary", "Fee under review."
        )
    )
    _set_promo(run_cli, tmp_path, case_id, "2027-03-15")
    # 15 Mar 2027 - 30 days = Sat 13 Feb 2027, rolled forward to Mon 15 Feb, which is
    # Presidents' Day, so the request is due Tue 16 Feb.
    out = tmp_path / "out"
    rows = json_of(run_cli("due", "--on", "2027-02-09", "--json"))
    assert [(r["kind"], r["due"], r["letter"]) for r in rows] == [
        ("retention_request", "2027-02-16", None)
    ]
    assert last_line(reissue(run_cli, out, date(2027, 2, 15))) == "0 letter(s) drafted, 0 failed."
    assert "drafted retention_request as letter 2" in reissue(run_cli, out, date(2027, 2, 16))
    assert last_line(reissue(run_cli, out, date(2027, 2, 16))) == "0 letter(s) drafted, 0 failed."


def test_retention_request_for_a_new_case_is_drafted_on_its_day(run_cli, home, tmp_path):
    """Nothing sent yet, promotion ending: the request is listed a week ahead and drafted
    on its due day, not a day late (docs/DESIGN.md §6.6 and §6.5)."""
    ensure_bodies(home, "en_US", ("retention_request",))
    case_id = int(
        last_line(
            ok(
                run_cli(
                    "case", "new", "--from", str(DATA / "case_us_ma.toml"), "--on", "2027-01-04"
                )
            )
        )
    )
    _set_promo(run_cli, tmp_path, case_id, "2027-03-15")  # due Tue 16 Feb (see above)
    rows = json_of(run_cli("due", "--on", "2027-02-09", "--json"))
    assert [(r["kind"], r["due"]) for r in rows] == [("retention_request", "2027-02-16")]
    out = tmp_path / "out"
    assert last_line(reissue(run_cli, out, date(2027, 2, 15))) == "0 letter(s) drafted, 0 failed."
    text = reissue(run_cli, out, date(2027, 2, 16))
    assert f"case {case_id}: drafted retention_request as letter 1" in text
    assert last_line(reissue(run_cli, out, date(2027, 2, 16))) == "0 letter(s) drafted, 0 failed."


def test_ladder_letter_and_retention_request_due_the_same_day(run_cli, home, tmp_path):
    """Both fall due on Wed 6 Jan: the first run drafts both, a second run drafts nothing."""
    country = COUNTRIES[0]  # GB: follow-up due Wed 6 Jan
    ensure_bodies(home, "en_GB", ("retention_request",))
    case_id, _ = open_and_send(run_cli, home, country)
    _set_promo(run_cli, tmp_path, case_id, "2027-02-05")  # - 30 days = Wed 6 Jan
    out = tmp_path / "out"
    rows = json_of(run_cli("due", "--on", "2027-01-06", "--json"))
    assert sorted(r["kind"] for r in rows) == ["follow_up", "retention_request"]
    first = reissue(run_cli, out, date(2027, 1, 6))
    kinds = sorted(lt["kind"] for lt in letters_of(run_cli, case_id, date(2027, 1, 6)))
    assert kinds == ["complaint", "follow_up", "retention_request"], first
    assert last_line(first) == "2 letter(s) drafted, 0 failed."
    second = reissue(run_cli, out, date(2027, 1, 6))
    assert last_line(second) == "0 letter(s) drafted, 0 failed.", second


# ---------------------------------------------------------------------------
# changes outside the case record must reach `due` and `reissue` at once


def test_a_new_retention_lead_in_the_config_file_is_used_at_once(run_cli, home, tmp_path):
    """config.toml retention_lead_days = 60: the request moves from Tue 16 Feb to Thu 14 Jan
    (15 Mar 2027 - 60 days), and the very next `due` must see it."""
    ensure_bodies(home, "en_US", ("retention_request",))
    country = COUNTRIES[1]  # US-MA
    case_id, _ = open_and_send(run_cli, home, country)
    ok(
        run_cli(
            "log", "response", str(case_id), "--on", "2026-12-21", "--summary", "Fee under review."
        )
    )
    _set_promo(run_cli, tmp_path, case_id, "2027-03-15")
    assert json_of(run_cli("due", "--on", "2027-01-10", "--json")) == []  # 16 Feb is weeks away

    (home / "config.toml").write_text("retention_lead_days = 60\n", encoding="utf-8")
    shown = json_of(run_cli("case", "show", str(case_id), "--json", "--on", "2027-01-10"))
    assert shown["next"] == {**shown["next"], "kind": "retention_request", "due": "2027-01-14"}
    rows = json_of(run_cli("due", "--on", "2027-01-10", "--json"))
    assert [(r["kind"], r["due"]) for r in rows] == [("retention_request", "2027-01-14")]
    text = reissue(run_cli, tmp_path / "out", date(2027, 1, 14))
    assert f"case {case_id}: drafted retention_request" in text


def test_a_shorter_gate_in_the_users_regulators_file_is_used_at_once(run_cli, home, tmp_path):
    """The user shortens the ombudsman's gate to 2 weeks: the regulator rung is due the day
    after the follow-up's deadline (Thu 21 Jan), not on the old 8-week gate (Tue 16 Feb)."""
    home.mkdir(parents=True, exist_ok=True)
    (home / "regulators.toml").write_text(REGULATORS, encoding="utf-8")
    ensure_bodies(home, "en_GB", ("complaint", "follow_up", "regulator_complaint"))
    case_id, _ = open_and_send(run_cli, home, COUNTRIES[0])
    reissue(run_cli, tmp_path / "out", date(2027, 1, 6))
    ok(run_cli("letter", "sent", "2", "--on", "2027-01-06", "--via", "email"))
    assert json_of(run_cli("due", "--on", "2027-01-14", "--json")) == []  # gate 16 Feb

    (home / "regulators.toml").write_text(
        REGULATORS.replace('gate = "8w"', 'gate = "2w"'), encoding="utf-8"
    )
    # Each real command is a new process; run_cli is one process, and the catalogue keeps
    # the regulators it read per path (lru_cache), so start afresh as a new process would.
    from paperwork.core.catalog import _directory

    _directory.cache_clear()
    shown = json_of(run_cli("case", "show", str(case_id), "--json", "--on", "2027-01-14"))
    assert shown["next"] == {**shown["next"], "kind": "regulator_complaint", "due": "2027-01-21"}
    rows = json_of(run_cli("due", "--on", "2027-01-14", "--json"))
    assert [(r["kind"], r["due"]) for r in rows] == [("regulator_complaint", "2027-01-21")]


def test_a_rung_added_to_a_finished_ladder_is_scheduled(run_cli, home, tmp_path):
    """At the top of a user ladder nothing is due; once the user adds a rung, it is."""
    (home / "ladders").mkdir(parents=True)
    ladder = '[ladders.short]\ntitle = "Short"\nrungs = ["complaint"]\nsource = "test"\n'
    (home / "ladders" / "short.toml").write_text(ladder, encoding="utf-8")
    changes = tmp_path / "ladder.toml"
    changes.write_text('ladder = "short"\n', encoding="utf-8")
    country = COUNTRIES[0]
    case_id, _ = open_and_send(run_cli, home, country)
    ok(run_cli("case", "edit", str(case_id), "--from", str(changes)))
    assert json_of(run_cli("due", "--on", "2027-01-06", "--json")) == []  # top of the ladder

    (home / "ladders" / "short.toml").write_text(
        ladder.replace('["complaint"]', '["complaint", "follow_up"]'), encoding="utf-8"
    )
    rows = json_of(run_cli("due", "--on", "2027-01-06", "--json"))
    assert [(r["kind"], r["due"]) for r in rows] == [("follow_up", "2027-01-06")]


def test_an_unusable_output_folder_does_not_lose_the_letter(run_cli, home, tmp_path):
    """cron with a folder that cannot be made today (unmounted share, a file in the way):
    once the folder works again, reissue must still deliver the follow-up's PDF."""
    country = COUNTRIES[1]  # US-MA: follow-up due Wed 6 Jan
    case_id, _ = open_and_send(run_cli, home, country)
    blocker = tmp_path / "blocker"
    blocker.write_text("a file where a folder should be", encoding="utf-8")

    code, _, err = run_cli("reissue", "--on", "2027-01-06", "--out", str(blocker / "letters"))
    assert code != 0
    assert "letters" in err

    out = tmp_path / "letters"
    text = reissue(run_cli, out, country.next_due)
    pdfs = sorted(p.name for p in out.glob("*.pdf")) if out.is_dir() else []
    assert [name.split("-", 1)[1].startswith("follow-up-") for name in pdfs] == [True], text
    kinds = [lt["kind"] for lt in letters_of(run_cli, case_id, country.next_due)]
    assert kinds == ["complaint", "follow_up"]
