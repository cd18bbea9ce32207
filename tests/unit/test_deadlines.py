"""Deadline rules (docs/DESIGN.md §6): worked examples, parse errors and properties.

Every expected date below was worked out by hand from a calendar; the comment on
each row shows the count. Holidays used (from the `holidays` package):

GB-ENG 2026: Fri 3 Apr Good Friday, Mon 6 Apr Easter Monday, Mon 4 May May Day,
  Fri 25 Dec Christmas, Mon 28 Dec Boxing Day (observed).
GB-ENG 2027: Fri 1 Jan, Fri 26 Mar Good Friday, Mon 29 Mar Easter Monday,
  Mon 27 Dec Christmas (observed), Tue 28 Dec Boxing Day (observed).
GB-ENG 2028: Mon 3 Jan New Year (observed).
US-IL 2026/27: Fri 25 Dec 2026, Fri 1 Jan 2027, Mon 18 Jan 2027 MLK Day, Fri 12 Feb
  2027 Lincoln's Birthday, Mon 15 Feb 2027 Washington's Birthday, Fri 24 Dec 2027
  Christmas (observed), Fri 31 Dec 2027 New Year (observed). No Good Friday.
DE-BY: Tue 6 Jan 2026 / Wed 6 Jan 2027 Epiphany, Good Friday and Easter Monday,
  Fri 25 Dec 2026 (Sat 26 Dec 2026 is the second day), Fri 1 Jan 2027.
FR: Mon 6 Apr 2026 / Mon 29 Mar 2027 Easter Monday (no Good Friday), Fri 25 Dec
  2026 (no 26 Dec), Fri 1 Jan 2027.
ES: Fri 3 Apr 2026 / Fri 26 Mar 2027 Good Friday (no national Easter Monday),
  Tue 8 Dec 2026, Fri 25 Dec 2026, Fri 1 Jan 2027, Wed 6 Jan 2027.
"""

from __future__ import annotations

import calendar as month_calendar
from datetime import date, timedelta
from typing import NamedTuple

import holidays
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from paperwork.core.deadlines import (
    DEFAULT_CHANNELS,
    BusinessCalendar,
    Window,
    WindowError,
    add_window,
    deemed_receipt,
    format_day,
    gate_date,
    parse_window,
    response_deadline,
)

D = date


class Row(NamedTuple):
    jurisdiction: str
    sent_on: date
    via: str
    window: str
    receipt: date
    last_day: date
    deadline: date
    next_due: date
    delivered_on: date | None = None


# fmt: off
ROWS = {
    # ---- GB (England) -------------------------------------------------------
    # Posted Fri 18 Dec 2026: business days after are Mon 21 (1), Tue 22 (2).
    # 22 Dec + 14 = Tue 5 Jan 2027, a business day; next due Wed 6 Jan.
    "gb-post-christmas-2026": Row(
        "GB-ENG", D(2026, 12, 18), "post", "14d",
        D(2026, 12, 22), D(2027, 1, 5), D(2027, 1, 5), D(2027, 1, 6),
    ),
    # First class Wed 23 Dec 2026: Thu 24 (1), Fri 25 Christmas, weekend,
    # Mon 28 Boxing Day observed, Tue 29 (2). 29 Dec + 14 = Tue 12 Jan 2027.
    "gb-first-class-boxing-day": Row(
        "GB-ENG", D(2026, 12, 23), "first_class", "14d",
        D(2026, 12, 29), D(2027, 1, 12), D(2027, 1, 12), D(2027, 1, 13),
    ),
    # Second class Wed 23 Dec 2026: 4th business day = Thu 24 (1), Tue 29 (2),
    # Wed 30 (3), Thu 31 (4). +10bd skips Fri 1 Jan: Mon 4 .. Fri 8 (5),
    # Mon 11 .. Fri 15 (10). Next due Mon 18 Jan (not a GB holiday).
    "gb-second-class-new-year": Row(
        "GB-ENG", D(2026, 12, 23), "second_class", "10bd",
        D(2026, 12, 31), D(2027, 1, 15), D(2027, 1, 15), D(2027, 1, 18),
    ),
    # Posted Thu 2 Apr 2026: Fri 3 Good Friday, weekend, Mon 6 Easter Monday,
    # Tue 7 (1), Wed 8 (2). 8 Apr + 14 = Wed 22 Apr 2026.
    "gb-post-easter-2026": Row(
        "GB-ENG", D(2026, 4, 2), "post", "14d",
        D(2026, 4, 8), D(2026, 4, 22), D(2026, 4, 22), D(2026, 4, 23),
    ),
    # Emailed on Good Friday 3 Apr 2026: not a business day, nor are the weekend
    # and Easter Monday, so received Tue 7 Apr. +14 = Tue 21 Apr.
    "gb-email-good-friday": Row(
        "GB-ENG", D(2026, 4, 3), "email", "14d",
        D(2026, 4, 7), D(2026, 4, 21), D(2026, 4, 21), D(2026, 4, 22),
    ),
    # Emailed Fri 12 Mar 2027 (business day). +14 = Fri 26 Mar 2027, Good
    # Friday; Sat, Sun, Mon 29 Easter Monday are not business days -> Tue 30 Mar.
    "gb-email-easter-2027": Row(
        "GB-ENG", D(2027, 3, 12), "email", "14d",
        D(2027, 3, 12), D(2027, 3, 26), D(2027, 3, 30), D(2027, 3, 31),
    ),
    # Emailed Mon 13 Dec 2027. +14 = Mon 27 Dec (Christmas observed), Tue 28
    # (Boxing Day observed) -> Wed 29 Dec 2027.
    "gb-email-christmas-2027": Row(
        "GB-ENG", D(2027, 12, 13), "email", "14d",
        D(2027, 12, 13), D(2027, 12, 27), D(2027, 12, 29), D(2027, 12, 30),
    ),
    # Registered Wed 29 Dec 2027: Thu 30 (1), Fri 31 (2). +8w = 56 days:
    # 31 Dec + 31 = 31 Jan, + 25 = Fri 25 Feb 2028. Next due Mon 28 Feb.
    "gb-registered-8w-new-year-2028": Row(
        "GB-ENG", D(2027, 12, 29), "registered", "8w",
        D(2027, 12, 31), D(2028, 2, 25), D(2028, 2, 25), D(2028, 2, 28),
    ),
    # Posted Thu 28 Jan 2027 but delivery recorded Sun 31 Jan: the recorded day
    # wins. 31 Jan + 1m = 28 Feb 2027 (no 31 Feb; 2027 not leap), a Sunday ->
    # Mon 1 Mar.
    "gb-recorded-31-jan-plus-1m": Row(
        "GB-ENG", D(2027, 1, 28), "post", "1m",
        D(2027, 1, 31), D(2027, 2, 28), D(2027, 3, 1), D(2027, 3, 2),
        delivered_on=D(2027, 1, 31),
    ),
    # docs/DESIGN.md §6.5: emailed Fri 17 Apr 2026, +14 = Fri 1 May, a business day; the
    # next letter is due the first business day after it. Mon 4 May is May Day,
    # so Tue 5 May.
    "gb-friday-before-bank-holiday": Row(
        "GB-ENG", D(2026, 4, 17), "email", "14d",
        D(2026, 4, 17), D(2026, 5, 1), D(2026, 5, 1), D(2026, 5, 5),
    ),
    # Plain "GB" is England: same as the first row.
    "gb-plain-is-england": Row(
        "GB", D(2026, 12, 18), "post", "14d",
        D(2026, 12, 22), D(2027, 1, 5), D(2027, 1, 5), D(2027, 1, 6),
    ),
    # ---- US (Illinois) -----------------------------------------------------
    # Certified Fri 18 Dec 2026: 5th business day = Mon 21 (1), Tue 22 (2),
    # Wed 23 (3), Thu 24 (4), [Fri 25 Christmas], Mon 28 (5). +14 = Mon 11 Jan.
    "us-certified-christmas-2026": Row(
        "US-IL", D(2026, 12, 18), "certified", "14d",
        D(2026, 12, 28), D(2027, 1, 11), D(2027, 1, 11), D(2027, 1, 12),
    ),
    # Posted Wed 23 Dec 2026: Thu 24 (1), Mon 28 (2), Tue 29 (3), Wed 30 (4),
    # Thu 31 (5). +10bd skips Fri 1 Jan: Mon 4 .. Fri 8 (5), Mon 11 .. Fri 15
    # (10). Friday deadline before MLK Day Mon 18 Jan -> next due Tue 19 Jan.
    "us-post-10bd-friday-before-mlk": Row(
        "US-IL", D(2026, 12, 23), "post", "10bd",
        D(2026, 12, 31), D(2027, 1, 15), D(2027, 1, 15), D(2027, 1, 19),
    ),
    # Emailed Fri 11 Dec 2026. +14 = Fri 25 Dec (Christmas) -> Mon 28 Dec (the
    # US has no Boxing Day).
    "us-email-christmas-2026": Row(
        "US-IL", D(2026, 12, 11), "email", "14d",
        D(2026, 12, 11), D(2026, 12, 25), D(2026, 12, 28), D(2026, 12, 29),
    ),
    # Emailed on Good Friday 3 Apr 2026, a US business day. +14 = Fri 17 Apr.
    "us-email-good-friday-is-business-day": Row(
        "US-IL", D(2026, 4, 3), "email", "14d",
        D(2026, 4, 3), D(2026, 4, 17), D(2026, 4, 17), D(2026, 4, 20),
    ),
    # Online Fri 10 Dec 2027. +14 = Fri 24 Dec 2027, Christmas observed (25th is
    # a Saturday) -> Mon 27 Dec.
    "us-online-christmas-observed-2027": Row(
        "US-IL", D(2027, 12, 10), "online", "14d",
        D(2027, 12, 10), D(2027, 12, 24), D(2027, 12, 27), D(2027, 12, 28),
    ),
    # Faxed Fri 17 Dec 2027. +14 = Fri 31 Dec 2027, New Year observed (1 Jan
    # 2028 is a Saturday) -> Mon 3 Jan 2028.
    "us-fax-new-year-observed-2028": Row(
        "US-IL", D(2027, 12, 17), "fax", "14d",
        D(2027, 12, 17), D(2027, 12, 31), D(2028, 1, 3), D(2028, 1, 4),
    ),
    # Emailed Fri 29 Jan 2027. +14 = Fri 12 Feb, Lincoln's Birthday (Illinois),
    # weekend, Mon 15 Feb Washington's Birthday -> Tue 16 Feb.
    "us-email-lincoln-and-washington": Row(
        "US-IL", D(2027, 1, 29), "email", "14d",
        D(2027, 1, 29), D(2027, 2, 12), D(2027, 2, 16), D(2027, 2, 17),
    ),
    # By hand Mon 31 Jan 2028. +1m = 29 Feb 2028 (leap year), a Tuesday.
    "us-hand-31-jan-plus-1m-leap-2028": Row(
        "US-IL", D(2028, 1, 31), "hand", "1m",
        D(2028, 1, 31), D(2028, 2, 29), D(2028, 2, 29), D(2028, 3, 1),
    ),
    # ---- DE (Bavaria) -------------------------------------------------------
    # Posted Wed 23 Dec 2026: Thu 24 (1; Christmas Eve is not a public holiday),
    # [Fri 25, Sat 26], Mon 28 (2), Tue 29 (3), Wed 30 (4), Thu 31 (5).
    # +14 = Thu 14 Jan 2027.
    "de-post-christmas-2026": Row(
        "DE-BY", D(2026, 12, 23), "post", "14d",
        D(2026, 12, 31), D(2027, 1, 14), D(2027, 1, 14), D(2027, 1, 15),
    ),
    # Registered Mon 22 Mar 2027: Tue 23 (1), Wed 24 (2), Thu 25 (3), [Fri 26
    # Good Friday, Mon 29 Easter Monday], Tue 30 (4), Wed 31 (5). +10bd: Thu 1,
    # Fri 2, Mon 5 .. Fri 9 (7), Mon 12, Tue 13, Wed 14 (10).
    "de-registered-10bd-easter-2027": Row(
        "DE-BY", D(2027, 3, 22), "registered", "10bd",
        D(2027, 3, 31), D(2027, 4, 14), D(2027, 4, 14), D(2027, 4, 15),
    ),
    # Emailed Wed 23 Dec 2026. +14 = Wed 6 Jan 2027, Epiphany (a Bavarian
    # holiday) -> Thu 7 Jan.
    "de-email-epiphany": Row(
        "DE-BY", D(2026, 12, 23), "email", "14d",
        D(2026, 12, 23), D(2027, 1, 6), D(2027, 1, 7), D(2027, 1, 8),
    ),
    # Emailed Fri 6 Feb 2026. +8w = 56 days: 6 Feb + 22 = 28 Feb, + 31 = 31 Mar,
    # + 3 = Fri 3 Apr, Good Friday; weekend; Mon 6 Easter Monday -> Tue 7 Apr.
    "de-email-8w-easter-2026": Row(
        "DE-BY", D(2026, 2, 6), "email", "8w",
        D(2026, 2, 6), D(2026, 4, 3), D(2026, 4, 7), D(2026, 4, 8),
    ),
    # ---- FR ------------------------------------------------------------------
    # Posted Fri 18 Dec 2026: Mon 21 (1), Tue 22 (2), Wed 23 (3), Thu 24 (4),
    # [Fri 25 Christmas], Mon 28 (5). +14 = Mon 11 Jan 2027.
    "fr-post-christmas-2026": Row(
        "FR", D(2026, 12, 18), "post", "14d",
        D(2026, 12, 28), D(2027, 1, 11), D(2027, 1, 11), D(2027, 1, 12),
    ),
    # Emailed on Good Friday 3 Apr 2026 (a working day in France). +1m = Sun
    # 3 May 2026 -> Mon 4 May.
    "fr-email-1m-from-good-friday": Row(
        "FR", D(2026, 4, 3), "email", "1m",
        D(2026, 4, 3), D(2026, 5, 3), D(2026, 5, 4), D(2026, 5, 5),
    ),
    # Emailed Fri 12 Mar 2027. +14 = Fri 26 Mar 2027 (Good Friday, not a French
    # holiday), so the deadline stays Friday; Mon 29 is Easter Monday, so the
    # next letter is due Tue 30 Mar.
    "fr-friday-before-easter-monday": Row(
        "FR", D(2027, 3, 12), "email", "14d",
        D(2027, 3, 12), D(2027, 3, 26), D(2027, 3, 26), D(2027, 3, 30),
    ),
    # Emailed Fri 18 Dec 2026. +14 = Fri 1 Jan 2027 -> Mon 4 Jan.
    "fr-email-new-year": Row(
        "FR", D(2026, 12, 18), "email", "14d",
        D(2026, 12, 18), D(2027, 1, 1), D(2027, 1, 4), D(2027, 1, 5),
    ),
    # Posted Tue 27 Jan 2026, delivery recorded Sat 31 Jan. 31 Jan + 1m = 28 Feb
    # 2026 (not leap), a Saturday -> Mon 2 Mar.
    "fr-recorded-31-jan-plus-1m": Row(
        "FR", D(2026, 1, 27), "registered", "1m",
        D(2026, 1, 31), D(2026, 2, 28), D(2026, 3, 2), D(2026, 3, 3),
        delivered_on=D(2026, 1, 31),
    ),
    # ---- ES ------------------------------------------------------------------
    # Posted Wed 2 Dec 2026: Thu 3 (1), Fri 4 (2), Mon 7 (3), [Tue 8 Immaculate
    # Conception], Wed 9 (4), Thu 10 (5). +10bd: Fri 11 (1), Mon 14 .. Fri 18
    # (6), Mon 21 (7), Tue 22 (8), Wed 23 (9), Thu 24 (10). Next: [Fri 25] -> Mon 28.
    "es-post-10bd-christmas-2026": Row(
        "ES", D(2026, 12, 2), "post", "10bd",
        D(2026, 12, 10), D(2026, 12, 24), D(2026, 12, 24), D(2026, 12, 28),
    ),
    # Emailed Fri 20 Mar 2026. +14 = Fri 3 Apr, Good Friday -> Mon 6 Apr (Easter
    # Monday is not a national holiday in Spain).
    "es-email-good-friday": Row(
        "ES", D(2026, 3, 20), "email", "14d",
        D(2026, 3, 20), D(2026, 4, 3), D(2026, 4, 6), D(2026, 4, 7),
    ),
    # Emailed Wed 23 Dec 2026. +14 = Wed 6 Jan 2027, Epiphany -> Thu 7 Jan.
    "es-email-epiphany-2027": Row(
        "ES", D(2026, 12, 23), "email", "14d",
        D(2026, 12, 23), D(2027, 1, 6), D(2027, 1, 7), D(2027, 1, 8),
    ),
    # Posted Mon 25 Jan 2027: Tue 26 .. Fri 29 (4), Mon 1 Feb (5). +8w = 56
    # days: 1 Feb + 27 = 28 Feb, + 29 = Mon 29 Mar 2027 (Easter Monday, a
    # working day nationally in Spain).
    "es-post-8w-easter-monday-2027": Row(
        "ES", D(2027, 1, 25), "post", "8w",
        D(2027, 2, 1), D(2027, 3, 29), D(2027, 3, 29), D(2027, 3, 30),
    ),
}
# fmt: on


@pytest.mark.parametrize("row", ROWS.values(), ids=ROWS.keys())
def test_worked_examples(row: Row) -> None:
    result = response_deadline(
        row.sent_on, row.via, row.jurisdiction, row.window, delivered_on=row.delivered_on
    )
    assert (result.deemed_receipt, result.last_day, result.deadline, result.next_due) == (
        row.receipt,
        row.last_day,
        row.deadline,
        row.next_due,
    )
    assert result.receipt_was_recorded is (row.delivered_on is not None)
    assert result.window == parse_window(row.window)
    assert result.sent_on == row.sent_on


def test_explanation_names_each_step() -> None:
    result = response_deadline(D(2026, 12, 18), "post", "GB-ENG", "14d")
    assert result.explanation == (
        "posted Fri 18 Dec 2026, deemed received Tue 22 Dec 2026 "
        "(2nd business day after posting, GB), + 14d = Tue 5 Jan 2027"
    )


def test_explanation_mentions_roll_forward() -> None:
    result = response_deadline(D(2027, 3, 12), "email", "GB-ENG", "14d")
    assert "+ 14d = Fri 26 Mar 2027, rolled forward to Tue 30 Mar 2027" in result.explanation
    assert "Good Friday" in result.explanation


def test_explanation_mentions_recorded_delivery() -> None:
    result = response_deadline(D(2027, 1, 28), "post", "GB-ENG", "1m", delivered_on=D(2027, 1, 31))
    assert "delivered on Sun 31 Jan 2027 (recorded)" in result.explanation
    assert "deemed" not in result.explanation


def test_format_day() -> None:
    assert format_day(D(2026, 12, 18)) == "Fri 18 Dec 2026"
    assert format_day(D(2027, 1, 5)) == "Tue 5 Jan 2027"


# ---- deemed receipt ------------------------------------------------------------


# fmt: off
DEEMED = [
    # Posted Sat 19 Dec 2026: Mon 21 (1), Tue 22 (2).
    (D(2026, 12, 19), "first_class", "GB-ENG", D(2026, 12, 22),
     "2nd business day after posting, GB"),
    # Second class Fri 18 Dec 2026: Mon 21, Tue 22, Wed 23, Thu 24 (4).
    (D(2026, 12, 18), "second_class", "GB-ENG", D(2026, 12, 24),
     "4th business day after posting, GB"),
    # Certified is treated like first class in GB.
    (D(2026, 12, 18), "certified", "GB-ENG", D(2026, 12, 22),
     "2nd business day after posting, GB"),
    # Second class outside GB: the general 5-business-day rule. Fri 18 Dec:
    # Mon 21 .. Thu 24 (4), [Fri 25], Mon 28 (5).
    (D(2026, 12, 18), "second_class", "US", D(2026, 12, 28),
     "5th business day after posting, US"),
    # Email on Sat 26 Dec 2026 in England: Mon 28 is Boxing Day observed.
    (D(2026, 12, 26), "email", "GB-ENG", D(2026, 12, 29),
     "next business day after sending"),
    # Hand delivery on a business day: that day.
    (D(2026, 12, 22), "hand", "DE-BY", D(2026, 12, 22), "same business day"),
]
# fmt: on


@pytest.mark.parametrize(("sent_on", "via", "jurisdiction", "expected", "reason"), DEEMED)
def test_deemed_receipt(
    sent_on: date, via: str, jurisdiction: str, expected: date, reason: str
) -> None:
    calendar = BusinessCalendar(jurisdiction)
    assert deemed_receipt(sent_on, via, jurisdiction, calendar) == (expected, reason)


def test_unknown_channel_is_an_error() -> None:
    with pytest.raises(ValueError, match="unknown channel 'pigeon'"):
        deemed_receipt(D(2026, 1, 5), "pigeon", "GB", BusinessCalendar("GB"))
    with pytest.raises(ValueError, match="unknown channel"):
        response_deadline(D(2026, 1, 5), "carrier_pigeon", "FR", "14d")


def test_channel_names_are_forgiving() -> None:
    result = response_deadline(D(2026, 12, 18), "First-Class", "GB-ENG", "14d")
    assert result.via == "first_class"
    assert result.deemed_receipt == D(2026, 12, 22)


def test_delivery_before_sending_is_an_error() -> None:
    with pytest.raises(ValueError, match="before it was sent"):
        response_deadline(D(2026, 3, 10), "post", "GB", "14d", delivered_on=D(2026, 3, 9))


# ---- windows and gates ---------------------------------------------------------


@pytest.mark.parametrize(
    ("start", "window", "expected"),
    [
        # Month windows land on the same day of the month, or the month's last day.
        (D(2027, 1, 31), "1m", D(2027, 2, 28)),
        (D(2028, 1, 31), "1m", D(2028, 2, 29)),  # leap year
        (D(2027, 1, 30), "1m", D(2027, 2, 28)),
        (D(2026, 3, 31), "1m", D(2026, 4, 30)),
        (D(2026, 8, 31), "6m", D(2027, 2, 28)),
        (D(2026, 12, 15), "1m", D(2027, 1, 15)),
        # No roll forward: 3 Jan 2027 is a Sunday and stays so.
        (D(2026, 12, 20), "14d", D(2027, 1, 3)),
        # 8 weeks = 56 calendar days.
        (D(2026, 1, 7), "8w", D(2026, 3, 4)),
        # 10 business days from Thu 24 Dec 2026 in England: Tue 29, Wed 30,
        # Thu 31, [Fri 1 Jan], Mon 4 .. Fri 8 (8), Mon 11 (9), Tue 12 (10).
        (D(2026, 12, 24), "10bd", D(2027, 1, 12)),
    ],
)
def test_add_window(start: date, window: str, expected: date) -> None:
    assert add_window(start, parse_window(window), BusinessCalendar("GB-ENG")) == expected


def test_gate_date_rolls_forward() -> None:
    # FOS gate: 8 weeks after receipt on Fri 6 Feb 2026 = Fri 3 Apr, Good Friday;
    # weekend, Easter Monday -> Tue 7 Apr.
    assert gate_date(D(2026, 2, 6), "8w", "GB-ENG") == D(2026, 4, 7)
    # Already a business day: unchanged (7 Jan + 56 = Wed 4 Mar 2026).
    assert gate_date(D(2026, 1, 7), Window(8, "w"), "GB-ENG") == D(2026, 3, 4)


# ---- business calendar ---------------------------------------------------------


def test_calendar_basics() -> None:
    england = BusinessCalendar("GB-ENG")
    assert england.is_business_day(D(2026, 12, 24))
    assert not england.is_business_day(D(2026, 12, 28))  # Boxing Day observed
    assert not england.is_business_day(D(2026, 12, 19))  # Saturday
    assert england.roll_forward(D(2026, 12, 24)) == D(2026, 12, 24)
    assert england.roll_forward(D(2026, 12, 25)) == D(2026, 12, 29)
    assert england.next_business_day(D(2026, 12, 24)) == D(2026, 12, 29)
    assert england.add_business_days(D(2026, 12, 24), 1) == D(2026, 12, 29)
    with pytest.raises(ValueError):
        england.add_business_days(D(2026, 12, 24), 0)


def test_plain_gb_and_uk_mean_england() -> None:
    # Easter Monday is a bank holiday in England but not in Scotland.
    easter_monday = D(2026, 4, 6)
    assert not BusinessCalendar("GB").is_business_day(easter_monday)
    assert not BusinessCalendar("UK").is_business_day(easter_monday)
    assert not BusinessCalendar("GB-XYZ").is_business_day(easter_monday)  # falls back to England
    # Scotland: 2 Jan 2026 is a holiday there only.
    assert not BusinessCalendar("GB-SCT").is_business_day(D(2026, 1, 2))
    assert BusinessCalendar("GB").is_business_day(D(2026, 1, 2))


def test_subdivision_is_used_and_unknown_one_falls_back() -> None:
    epiphany = D(2027, 1, 6)
    assert not BusinessCalendar("DE-BY").is_business_day(epiphany)
    assert BusinessCalendar("DE-BE").is_business_day(epiphany)
    assert BusinessCalendar("DE").is_business_day(epiphany)
    assert BusinessCalendar("DE-ZZ").is_business_day(epiphany)  # falls back to DE
    assert not BusinessCalendar("DE-ZZ").is_business_day(D(2027, 1, 1))
    assert not BusinessCalendar("us-ca").is_business_day(D(2026, 3, 31))  # Cesar Chavez Day


@pytest.mark.parametrize("jurisdiction", ["XX", "", "ZZ-ABC", "12"])
def test_unknown_jurisdiction(jurisdiction: str) -> None:
    with pytest.raises(ValueError, match=f"unknown jurisdiction '{jurisdiction}'"):
        BusinessCalendar(jurisdiction)


# ---- window parsing --------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("14d", Window(14, "d")),
        ("10bd", Window(10, "bd")),
        ("8w", Window(8, "w")),
        ("1m", Window(1, "m")),
        ("  30D ", Window(30, "d")),
        ("15BD", Window(15, "bd")),
        ("3650d", Window(3650, "d")),
        ("007w", Window(7, "w")),
    ],
)
def test_parse_window(text: str, expected: Window) -> None:
    assert parse_window(text) == expected
    assert str(parse_window(text)) == str(expected)
    assert parse_window(str(expected)) == expected


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("3x", "bad window '3x': use a number followed by d, bd, w or m (e.g. 14d, 10bd, 8w, 1m)"),
        ("", "bad window '': use a number"),
        ("14", "bad window '14': use a number"),
        ("d", "bad window 'd': use a number"),
        ("1.5w", "bad window '1.5w': use a number"),
        ("-1d", "bad window '-1d': use a number"),
        ("bd10", "bad window 'bd10': use a number"),
        ("\uff11\uff14d", "use a number"),  # full-width digits
        ("0d", "bad window '0d': the number must be from 1 to 3650"),
        ("3651d", "bad window '3651d': the number must be from 1 to 3650"),
        ("9" * 5000 + "d", "the number must be from 1 to 3650"),
    ],
)
def test_parse_window_errors(text: str, message: str) -> None:
    with pytest.raises(WindowError) as info:
        parse_window(text)
    assert message in str(info.value)
    assert isinstance(info.value, ValueError)


def test_window_validates_itself() -> None:
    with pytest.raises(WindowError):
        Window(0, "d")
    with pytest.raises(WindowError):
        Window(3, "y")
    assert str(Window(14, "d")) == "14d"


def test_bad_window_in_response_deadline() -> None:
    with pytest.raises(WindowError, match="bad window '2 weeks'"):
        response_deadline(D(2026, 1, 5), "email", "GB", "2 weeks")


# ---- properties ----------------------------------------------------------------

JURISDICTIONS = ["GB-ENG", "GB-SCT", "US-IL", "US-CA", "DE-BY", "FR", "ES", "US"]
PROPERTY = settings(max_examples=300, deadline=None, database=None)

days = st.dates(min_value=D(2025, 1, 1), max_value=D(2030, 12, 31))
windows = st.one_of(
    st.builds(Window, st.integers(1, 90), st.just("d")),
    st.builds(Window, st.integers(1, 60), st.just("bd")),
    st.builds(Window, st.integers(1, 12), st.just("w")),
    st.builds(Window, st.integers(1, 13), st.just("m")),
)
channels = st.sampled_from(DEFAULT_CHANNELS)
jurisdictions = st.sampled_from(JURISDICTIONS)


def _independent_is_business_day(day: date, jurisdiction: str) -> bool:
    country, _, subdivision = jurisdiction.partition("-")
    public = holidays.country_holidays(country, subdiv=subdivision or None, years=day.year)
    return day.weekday() < 5 and day not in public


@PROPERTY
@given(sent_on=days, via=channels, jurisdiction=jurisdictions, window=windows)
def test_deadline_is_always_a_business_day(
    sent_on: date, via: str, jurisdiction: str, window: Window
) -> None:
    result = response_deadline(sent_on, via, jurisdiction, window)
    assert _independent_is_business_day(result.deadline, jurisdiction)
    assert _independent_is_business_day(result.next_due, jurisdiction)
    assert result.last_day <= result.deadline < result.next_due
    # Nothing between the deadline and next_due is a business day.
    gap = (result.next_due - result.deadline).days
    for offset in range(1, gap):
        between = result.deadline + timedelta(days=offset)
        assert not _independent_is_business_day(between, jurisdiction)
    assert result.deemed_receipt >= result.sent_on


@PROPERTY
@given(start=days, months=st.integers(1, 24))
def test_month_window_clamps_to_month_end(start: date, months: int) -> None:
    result = add_window(start, Window(months, "m"), BusinessCalendar("FR"))
    index = start.year * 12 + start.month - 1 + months
    year, month = divmod(index, 12)
    month += 1
    last = month_calendar.monthrange(year, month)[1]
    assert (result.year, result.month) == (year, month)
    assert result.day == min(start.day, last)


@PROPERTY
@given(
    sent_on=days,
    lag=st.integers(0, 40),
    via=channels,
    jurisdiction=jurisdictions,
    window=windows,
)
def test_recorded_delivery_wins(
    sent_on: date, lag: int, via: str, jurisdiction: str, window: Window
) -> None:
    delivered_on = sent_on + timedelta(days=lag)
    result = response_deadline(sent_on, via, jurisdiction, window, delivered_on=delivered_on)
    assert result.receipt_was_recorded
    assert result.deemed_receipt == delivered_on
    calendar = BusinessCalendar(jurisdiction)
    assert result.last_day == add_window(delivered_on, window, calendar)
    assert result.deadline == calendar.roll_forward(result.last_day)


@PROPERTY
@given(
    first=days,
    later_by=st.integers(0, 60),
    via=channels,
    jurisdiction=jurisdictions,
    window=windows,
)
def test_later_posting_never_gives_an_earlier_deadline(
    first: date, later_by: int, via: str, jurisdiction: str, window: Window
) -> None:
    early = response_deadline(first, via, jurisdiction, window)
    late = response_deadline(first + timedelta(days=later_by), via, jurisdiction, window)
    assert early.deemed_receipt <= late.deemed_receipt
    assert early.deadline <= late.deadline
    assert early.next_due <= late.next_due
