"""The deadline calendar: RFC 5545 text, read back with the `icalendar` package."""

from __future__ import annotations

import json
import os
import re
import stat
from datetime import date, timedelta
from pathlib import Path

import pytest
from clikit import DATA, last_line
from hypothesis import given, settings
from hypothesis import strategies as st
from icalendar import Calendar

from paperwork.render.ics import CalendarEvent, calendar_text, reconcile


@pytest.fixture(autouse=True)
def _late_today(monkeypatch):
    """These timelines run into 2027: the clock stands at the end of it, so letters
    sent and replies received on those days are in the past (none may be in the future)."""
    monkeypatch.setenv("PAPERWORK_TODAY", "2027-12-31")


# ---------------------------------------------------------------------------
# the writer on its own (icalendar does the escaping and folding)


@pytest.mark.parametrize(
    "summary",
    [
        "x" * 200,
        "é" * 100,  # two octets each
        "€" * 80,  # three octets each
        "a😀" * 40,  # four-octet characters across the fold
        "a,b;c back\\slash",
        "short",
    ],
)
def test_long_lines_are_folded_at_75_octets_and_read_back(summary):
    text = calendar_text(
        [CalendarEvent("deadline-1@paperwork", date(2027, 1, 5), summary, "d")], date(2026, 12, 1)
    )
    assert all(len(line.encode("utf-8")) <= 75 for line in text.split("\r\n"))
    [event] = Calendar.from_ical(text).walk("VEVENT")
    assert str(event["SUMMARY"]) == summary


def test_control_characters_are_dropped():
    text = calendar_text(
        [CalendarEvent("u@paperwork", date(2027, 1, 5), "bell\x07 and tab\t", "a\r\nb")],
        date(2026, 12, 1),
    )
    [event] = Calendar.from_ical(text).walk("VEVENT")
    assert str(event["SUMMARY"]) == "bell and tab\t"
    assert str(event["DESCRIPTION"]) == "a\nb"


def test_calendar_text_parses_and_round_trips_awkward_text():
    summary = "Reply due: Formal complaint (case 1: Smith, Jones; \\Partners\\ – Ltd)"
    description = "Line one, with a comma;\nline two \\ with a backslash.\n" + "Long " * 40
    text = calendar_text(
        [CalendarEvent("deadline-1@paperwork", date(2027, 1, 5), summary, description)],
        date(2026, 12, 1),
    )
    assert text.endswith("\r\n") and "\n" not in text.replace("\r\n", "")
    [event] = Calendar.from_ical(text).walk("VEVENT")
    assert str(event["SUMMARY"]) == summary
    assert str(event["DESCRIPTION"]) == description
    assert event.decoded("DTSTART") == date(2027, 1, 5)
    assert event.decoded("DTEND") == date(2027, 1, 6)


# Text a person might type: any printable character, plus tabs and line breaks.
TYPED = st.text(
    st.characters(blacklist_categories=("Cc", "Cs"), blacklist_characters="\r")
    | st.sampled_from("\n\t"),
    max_size=300,
)


@settings(max_examples=150, deadline=None)
@given(summary=TYPED.filter(lambda t: "\n" not in t), description=TYPED)
def test_any_typed_text_round_trips_through_the_file(summary, description):
    from paperwork.core.controls import scrub

    text = calendar_text(
        [CalendarEvent("deadline-1@paperwork", date(2027, 1, 5), summary, description)],
        date(2026, 12, 1),
    )
    assert all(len(line.encode("utf-8")) <= 75 for line in text.split("\r\n"))
    [event] = Calendar.from_ical(text).walk("VEVENT")
    # the one rule for every output (controls.scrub): composed, invisible characters dropped
    assert str(event.get("SUMMARY", "")) == scrub(summary)
    assert str(event.get("DESCRIPTION", "")) == scrub(description)


def test_a_cancelled_event_has_no_reminder_and_a_higher_sequence():
    live = CalendarEvent("deadline-1@paperwork", date(2027, 1, 5), "Reply due", "d", case_id=1)
    gone = CalendarEvent(
        "deadline-1@paperwork", date(2027, 1, 5), "Reply due", "d", cancelled=True, case_id=1
    )
    first, record = reconcile([live], {}, date(2026, 12, 1))
    second, record = reconcile([gone], record, date(2026, 12, 2))
    [a] = Calendar.from_ical(calendar_text(first, date(2026, 12, 1))).walk("VEVENT")
    [b] = Calendar.from_ical(calendar_text(second, date(2026, 12, 1))).walk("VEVENT")
    assert (str(a["STATUS"]), int(a["SEQUENCE"]), len(a.walk("VALARM"))) == ("CONFIRMED", 0, 1)
    assert (str(b["STATUS"]), int(b["SEQUENCE"]), len(b.walk("VALARM"))) == ("CANCELLED", 1, 0)


def test_reconcile_withdraws_missing_events_until_their_day_passes():
    a = CalendarEvent("a@paperwork", date(2027, 1, 5), "Send: follow-up", "d", case_id=1)
    b = CalendarEvent("b@paperwork", date(2027, 1, 9), "Send: other", "d", case_id=2)
    events, record = reconcile([a, b], {}, date(2026, 12, 1))
    assert [e.sequence for e in events] == [0, 0]
    # Unchanged: the same sequence, the same record.
    again, same = reconcile([a, b], record, date(2026, 12, 2))
    assert again == events and same == record
    # a is gone (a reply arrived): cancelled, sequence + 1, until 5 Jan has passed.
    events, record = reconcile([b], record, date(2026, 12, 3))
    gone = {e.uid: e for e in events}["a@paperwork"]
    assert (gone.cancelled, gone.sequence, gone.day) == (True, 1, date(2027, 1, 5))
    events, record = reconcile([b], record, date(2027, 1, 5))
    assert {e.uid: e.sequence for e in events} == {"a@paperwork": 1, "b@paperwork": 0}
    events, record = reconcile([b], record, date(2027, 1, 6))
    assert [e.uid for e in events] == ["b@paperwork"] and "a@paperwork" not in record
    # A moved date is a change: sequence + 1.
    moved = CalendarEvent("b@paperwork", date(2027, 1, 11), "Send: other", "d", case_id=2)
    [event], record = reconcile([moved], record, date(2027, 1, 6))
    assert event.sequence == 1
    # Exporting one case leaves the record of the others alone.
    _events, kept = reconcile([], record, date(2027, 1, 6), cases={1})
    assert kept == record


def test_an_empty_calendar_is_still_a_calendar():
    cal = Calendar.from_ical(calendar_text([], date(2026, 12, 1)))
    assert cal.name == "VCALENDAR"
    assert str(cal["VERSION"]) == "2.0"
    assert cal.walk("VEVENT") == []


# ---------------------------------------------------------------------------
# `paperwork calendar` end to end


def ok(result: tuple[int, str, str]) -> str:
    code, out, err = result
    assert code == 0, f"exit {code}\nstdout:\n{out}\nstderr:\n{err}"
    return out


def ensure_bodies(home: Path, locale: str, kinds: tuple[str, ...]) -> None:
    """Bodies for kinds not (yet) shipped in ``locale``, as user templates."""
    from paperwork.core.resources import templates_root

    body = "{% block subject %}{{ case.title }}{% endblock %}\n{% block body %}\n{{ case.remedy }}\n{% endblock %}\n"
    for kind in kinds:
        if not (templates_root() / "bodies" / kind / f"{locale}.j2").is_file():
            folder = home / "templates" / "bodies" / kind
            folder.mkdir(parents=True, exist_ok=True)
            (folder / f"{locale}.j2").write_text(body, encoding="utf-8")


def gb_case_sent(run_cli, home: Path, case_file: Path = DATA / "case_gb.toml") -> int:
    """The GB case, its complaint posted Fri 18 Dec 2026: reply due Tue 5 Jan, next letter Wed 6 Jan."""
    ensure_bodies(home, "en_GB", ("complaint", "follow_up"))
    case_id = int(
        last_line(ok(run_cli("case", "new", "--from", str(case_file), "--on", "2026-12-18")))
    )
    letter_id = int(
        last_line(
            ok(
                run_cli(
                    "letter",
                    "draft",
                    str(case_id),
                    "--kind",
                    "complaint",
                    "--on",
                    "2026-12-18",
                    "--window",
                    "14d",
                )
            )
        )
    )
    ok(run_cli("letter", "sent", str(letter_id), "--on", "2026-12-18", "--via", "first_class"))
    return case_id


def write_calendar(run_cli, path: Path, on: str, *case: str) -> Calendar:
    out = ok(run_cli("calendar", *case, "--out", str(path), "--on", on))
    assert last_line(out) == str(path)
    return Calendar.from_ical(path.read_bytes())


UID = re.compile(r"^(?P<what>(deadline|next)-[\w-]+)\.(?P<folder>[0-9a-f]{12})@paperwork$")


def events_by_uid(cal: Calendar) -> dict[str, object]:
    """Events by UID without the data folder's calendar id (the same in every UID)."""
    events, folders = {}, set()
    for event in cal.walk("VEVENT"):
        match = UID.match(str(event["UID"]))
        assert match, event["UID"]
        folders.add(match["folder"])
        events[match["what"] + "@paperwork"] = event
    assert len(folders) <= 1
    return events


def test_calendar_has_deadline_and_next_letter_with_reminders(run_cli, home, tmp_path):
    case_id = gb_case_sent(run_cli, home)
    path = tmp_path / "deadlines.ics"
    cal = write_calendar(run_cli, path, "2026-12-20")

    events = events_by_uid(cal)
    assert set(events) == {"deadline-1@paperwork", f"next-{case_id}-follow_up@paperwork"}
    deadline, nxt = events["deadline-1@paperwork"], events[f"next-{case_id}-follow_up@paperwork"]
    assert deadline.decoded("DTSTART") == date(2027, 1, 5)
    assert nxt.decoded("DTSTART") == date(2027, 1, 6)
    for event in (deadline, nxt):
        # All-day: a plain DATE, not a DATE-TIME.
        assert type(event.decoded("DTSTART")) is date
        assert event.decoded("DTEND") - event.decoded("DTSTART") == timedelta(days=1)
        assert event.get("DTSTAMP") is not None
        [alarm] = event.walk("VALARM")
        assert str(alarm["ACTION"]) == "DISPLAY"
        assert str(alarm["DESCRIPTION"])
        trigger = alarm.decoded("TRIGGER")
        # Fires the day before the event (09:00 on the previous day).
        assert timedelta(days=-1) <= trigger < timedelta(0)
    assert "Brightline Telecom plc" in str(deadline["SUMMARY"])
    assert "deemed received Tue 22 Dec 2026" in str(deadline["DESCRIPTION"])
    assert "follow_up" in str(nxt["DESCRIPTION"])

    raw = path.read_bytes()
    assert b"DTSTART;VALUE=DATE:20270105\r\n" in raw
    assert b"DTSTART;VALUE=DATE:20270106\r\n" in raw
    lines = raw.split(b"\r\n")
    assert lines[-1] == b""
    assert all(len(line) <= 75 for line in lines)
    assert b"\n" not in raw.replace(b"\r\n", b"")
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o600


def test_uids_are_stable_from_one_run_to_the_next(run_cli, home, tmp_path):
    case_id = gb_case_sent(run_cli, home)
    first = tmp_path / "first.ics"
    second = tmp_path / "second.ics"
    write_calendar(run_cli, first, "2026-12-20")
    write_calendar(run_cli, second, "2026-12-20")
    assert first.read_bytes() == second.read_bytes()

    # A later day, another case added: the first case's events keep their UIDs and dates.
    ensure_bodies(home, "en_US", ("complaint",))
    ok(run_cli("case", "new", "--from", str(DATA / "case_us_ma.toml"), "--on", "2026-12-21"))
    later = write_calendar(run_cli, tmp_path / "later.ics", "2026-12-28")
    before = events_by_uid(Calendar.from_ical(first.read_bytes()))
    after = events_by_uid(later)
    assert set(before) <= set(after)
    for uid, event in before.items():
        assert after[uid].decoded("DTSTART") == event.decoded("DTSTART")
    assert f"next-{case_id}-follow_up@paperwork" in after


def test_a_reply_cancels_the_deadline_under_the_same_uid(run_cli, home, tmp_path):
    case_id = gb_case_sent(run_cli, home)
    ok(
        run_cli(
            "log",
            "response",
            str(case_id),
            "--on",
            "2026-12-30",
            "--summary",
            "We are looking into it.",
        )
    )
    events = events_by_uid(write_calendar(run_cli, tmp_path / "c.ics", "2026-12-31"))
    assert set(events) == {"deadline-1@paperwork"}
    event = events["deadline-1@paperwork"]
    assert str(event["STATUS"]) == "CANCELLED"
    assert int(event["SEQUENCE"]) == 1
    assert event.walk("VALARM") == []
    assert "Answered on 2026-12-30" in str(event["DESCRIPTION"])


def test_the_case_argument_picks_one_case(run_cli, home, tmp_path):
    gb = gb_case_sent(run_cli, home)
    de = tmp_path / "de.toml"
    de.write_text((DATA / "case_de.toml").read_text(encoding="utf-8"), encoding="utf-8")
    ensure_bodies(home, "de_DE", ("complaint", "follow_up"))
    other = int(last_line(ok(run_cli("case", "new", "--from", str(de), "--on", "2026-12-15"))))
    letter = int(
        last_line(
            ok(run_cli("letter", "draft", str(other), "--kind", "complaint", "--on", "2026-12-15"))
        )
    )
    ok(run_cli("letter", "sent", str(letter), "--on", "2026-12-15", "--via", "registered"))

    both = events_by_uid(write_calendar(run_cli, tmp_path / "all.ics", "2026-12-20"))
    only = events_by_uid(write_calendar(run_cli, tmp_path / "one.ics", "2026-12-20", str(other)))
    assert set(only) == {f"deadline-{letter}@paperwork", f"next-{other}-follow_up@paperwork"}
    assert set(both) == set(only) | {"deadline-1@paperwork", f"next-{gb}-follow_up@paperwork"}
    # DE-BY: deadline Tue 5 Jan, follow-up Thu 7 Jan (Wed 6 Jan is Epiphany in Bavaria).
    assert only[f"next-{other}-follow_up@paperwork"].decoded("DTSTART") == date(2027, 1, 7)


def test_awkward_case_titles_survive(run_cli, home, tmp_path):
    title = "Fees, charges; and a \\ backslash – «über» Ωμέγα"
    source = (DATA / "case_gb.toml").read_text(encoding="utf-8").splitlines()
    source[0] = "title = " + json.dumps(title, ensure_ascii=False)  # a JSON string is a TOML string
    case_file = tmp_path / "awkward.toml"
    case_file.write_text("\n".join(source) + "\n", encoding="utf-8")
    gb_case_sent(run_cli, home, case_file)
    path = tmp_path / "c.ics"
    events = write_calendar(run_cli, path, "2026-12-20").walk("VEVENT")
    assert len(events) == 2
    assert all(title in str(e["DESCRIPTION"]) for e in events)
    assert b"Fees\\, charges\\; and a \\\\ backslash" in path.read_bytes()
    assert all(len(line) <= 75 for line in path.read_bytes().split(b"\r\n"))


def test_ladder_letter_and_retention_request_each_get_an_event(run_cli, home, tmp_path):
    case_id = gb_case_sent(run_cli, home)
    changes = tmp_path / "promo.toml"
    changes.write_text("promo_ends = 2027-03-01\n", encoding="utf-8")
    ok(run_cli("case", "edit", str(case_id), "--from", str(changes)))
    events = events_by_uid(write_calendar(run_cli, tmp_path / "c.ics", "2026-12-20"))
    # 1 Mar 2027 - 30 days = Sat 30 Jan, rolled forward to Mon 1 Feb.
    assert {uid: e.decoded("DTSTART") for uid, e in events.items()} == {
        "deadline-1@paperwork": date(2027, 1, 5),
        f"next-{case_id}-follow_up@paperwork": date(2027, 1, 6),
        f"next-{case_id}-retention_request@paperwork": date(2027, 2, 1),
    }
    assert "promotional rate" in str(
        events[f"next-{case_id}-retention_request@paperwork"]["DESCRIPTION"]
    )


def test_a_case_with_nothing_sent_has_no_events(run_cli, home, tmp_path):
    ok(run_cli("case", "new", "--from", str(DATA / "case_gb.toml"), "--on", "2026-12-18"))
    path = tmp_path / "c.ics"
    out = ok(run_cli("calendar", "--out", str(path), "--on", "2026-12-20"))
    assert "0 events from 1 case." in out
    assert Calendar.from_ical(path.read_bytes()).walk("VEVENT") == []


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--out", "{tmp}/deadlines.txt"], "ending in .ics"),
        (["--out", "{tmp}/folder.ics"], "is a folder"),
        (["7", "--out", "{tmp}/c.ics"], "no case with id 7"),
        (["--out", "{tmp}/c.ics", "--on", "05/01/2027"], "YYYY-MM-DD"),
    ],
)
def test_bad_input_is_refused_in_one_line(run_cli, home, tmp_path, args, message):
    (tmp_path / "folder.ics").mkdir()
    code, _, err = run_cli("calendar", *(a.replace("{tmp}", str(tmp_path)) for a in args))
    assert code == 2
    assert message in err
    assert "Traceback" not in err
    assert not (tmp_path / "c.ics").exists() and not (tmp_path / "deadlines.txt").exists()


def test_calendar_command_does_not_load_heavy_modules():
    """`paperwork calendar --help` stays light (STYLE: startup is a feature)."""
    import subprocess
    import sys

    code = (
        "import sys\n"
        "from paperwork.cli.main import main\n"
        "try:\n"
        "    main(['calendar', '--help'])\n"
        "except SystemExit:\n"
        "    pass\n"
        "heavy = [m for m in ('reportlab', 'docxtpl', 'textual', 'icalendar') if m in sys.modules]\n"
        "print('HEAVY=' + ','.join(heavy))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert "--out" in result.stdout
    assert result.stdout.strip().splitlines()[-1] == "HEAVY="
