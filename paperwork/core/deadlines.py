"""Response deadlines: deemed receipt, response windows and business days.

This module implements the deadline contract of docs/DESIGN.md §6. Everything here is
a pure function of its arguments: there is no clock (callers pass dates in). Holiday
calendars come from the `holidays` package; each year's days are kept in the user
cache folder (`HolidayTable`), the only I/O here.

A response deadline is worked out in four steps:

1. the day the recipient received the letter: a recorded delivery date, or else
   the deemed receipt for the channel and country (`deemed_receipt`);
2. plus the response window, counted from the day after receipt (`add_window`);
3. rolled forward to a business day of the recipient's jurisdiction;
4. the next letter of the ladder is due on the first business day after that.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import cache
from typing import TYPE_CHECKING, Any

from paperwork.core.model import CHANNELS, ELECTRONIC_CHANNELS, POSTAL_CHANNELS

if TYPE_CHECKING:
    import holidays

__all__ = [
    "DEFAULT_CHANNELS",
    "ELECTRONIC_CHANNELS",
    "POSTAL_CHANNELS",
    "BusinessCalendar",
    "Deadline",
    "Window",
    "WindowError",
    "add_window",
    "deemed_receipt",
    "format_day",
    "gate_date",
    "parse_window",
    "response_deadline",
]

# --------------------------------------------------------------------------
# Windows
# --------------------------------------------------------------------------

WINDOW_UNITS = ("d", "bd", "w", "m")
MAX_WINDOW_COUNT = 3650

_WINDOW_RE = re.compile(r"([0-9]+)\s*(bd|d|w|m)", re.IGNORECASE)
_WINDOW_HINT = "use a number followed by d, bd, w or m (e.g. 14d, 10bd, 8w, 1m)"

# Dates far outside a dispute's life are typing slips (and would overflow the
# arithmetic below): refused wherever a date comes in.
FIRST_DAY, LAST_DAY = date(1900, 1, 1), date(2999, 12, 31)


def day_out_of_range(day: date) -> str | None:
    """Why ``day`` cannot be a date of a dispute (None when it can), in the interface language."""
    if FIRST_DAY <= day <= LAST_DAY:
        return None
    from paperwork.core.i18n import _

    return _("{day} is outside the years {first} to {last}.").format(
        day=day.isoformat(), first=FIRST_DAY.year, last=LAST_DAY.year
    )


class WindowError(ValueError):
    """A response window could not be parsed or is out of range."""


@dataclass(frozen=True)
class Window:
    """A response window: `count` units of calendar days, business days, weeks or months.

    `str(window)` gives back the canonical text, e.g. ``"14d"``.
    """

    count: int
    unit: str

    def __post_init__(self) -> None:
        if self.unit not in WINDOW_UNITS:
            raise WindowError(f"bad window unit '{self.unit}': {_WINDOW_HINT}")
        if (
            isinstance(self.count, bool)
            or not isinstance(self.count, int)
            or not 1 <= self.count <= MAX_WINDOW_COUNT
        ):
            raise WindowError(
                f"bad window '{self.count}{self.unit}': "
                f"the number must be from 1 to {MAX_WINDOW_COUNT}"
            )

    def __str__(self) -> str:
        return f"{self.count}{self.unit}"


def parse_window(text: str) -> Window:
    """Parse a window such as ``"14d"``, ``"10bd"``, ``"8w"`` or ``"1m"``.

    Surrounding whitespace and letter case are ignored. The number must be from
    1 to 3650. Raises `WindowError`, naming the bad text, otherwise.
    """
    if isinstance(text, Window):
        return text
    if not isinstance(text, str):
        raise WindowError(f"bad window {text!r}: {_WINDOW_HINT}")
    cleaned = text.strip()
    match = _WINDOW_RE.fullmatch(cleaned)
    if match is None:
        raise WindowError(f"bad window '{cleaned}': {_WINDOW_HINT}")
    digits, unit = match.groups()
    # Check the length before int(): a huge digit string is a range error, not a crash.
    if len(digits.lstrip("0")) > len(str(MAX_WINDOW_COUNT)) or not (
        1 <= int(digits) <= MAX_WINDOW_COUNT
    ):
        raise WindowError(
            f"bad window '{cleaned}': the number must be from 1 to {MAX_WINDOW_COUNT}"
        )
    return Window(int(digits), unit.lower())


# --------------------------------------------------------------------------
# Business days
# --------------------------------------------------------------------------

# The `holidays` package knows Great Britain as both "GB" and "UK".
_COUNTRY_ALIASES = {"UK": "GB"}


@cache  # an unbounded lru_cache
def _holiday_calendar(country: str, subdivision: str | None) -> HolidayTable:
    """The public holidays of a country and subdivision, once per process.

    Raises NotImplementedError for a country or subdivision the `holidays` package
    does not know, as the package itself does.
    """
    return HolidayTable(country, subdivision)


def _names_language() -> str:
    """The language the `holidays` package names holidays in: gettext's choice, the
    first of LANGUAGE, LC_ALL, LC_MESSAGES and LANG that is set."""
    import os

    for name in ("LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG"):
        value = os.environ.get(name)
        if value:
            return value
    return ""


def _holidays_release() -> str | None:
    """The installed `holidays` release, told without importing it (its folder and
    the name of its dist-info folder); None when it cannot be told."""
    import importlib.util
    import os

    try:
        spec = importlib.util.find_spec("holidays")
    except (ImportError, ValueError):
        return None
    if spec is None or not spec.submodule_search_locations:
        return None
    package = os.path.abspath(next(iter(spec.submodule_search_locations)))
    try:
        names = os.listdir(os.path.dirname(package))
    except OSError:
        return None
    releases = [n for n in names if n.startswith("holidays-") and n.endswith(".dist-info")]
    return f"{package}|{releases[0]}" if len(releases) == 1 else None


def holidays_version() -> str:
    """The installed `holidays` release ("0.109"), read from its dist-info folder's
    name rather than through importlib.metadata (which loads the e-mail package)."""
    release = _holidays_release()
    if release is not None:
        return release.rsplit("|", 1)[1][len("holidays-") : -len(".dist-info")]
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("holidays")
    except PackageNotFoundError:  # pragma: no cover
        return "?"


class HolidayTable:
    """The holidays of one country (and subdivision), year by year: ``day in table``
    and ``table.get(day)`` answer as the `holidays` package's own object does.

    Each year's days are computed by the package once and kept in the user cache
    folder (:mod:`paperwork.core.cache`), so a later process that counts a deadline
    in a year already seen never imports the package (a tenth of a second)."""

    def __init__(self, country: str, subdivision: str | None) -> None:
        from paperwork.core import cache as disk

        self.country, self.subdivision = country, subdivision
        # one file per calendar and language of the names (so that runs in two
        # languages do not keep replacing each other's), each holding what it was
        # computed with; only under a plain file name (a jurisdiction is typed)
        language = _names_language()
        tag = "".join(ch for ch in language if ch.isascii() and ch.isalnum())[:20]
        self._file = f"holidays-{country}-{subdivision or ''}-{tag}.marshal"
        code = country + (subdivision or "")
        release = _holidays_release() if code.isascii() and code.isalnum() else None
        self._key = (release, language) if release else None
        stored = disk.load(self._file, self._key)
        self._stored: dict[str, Any] = (
            stored if isinstance(stored, dict) else {"known": None, "years": {}}
        )
        self._live: holidays.HolidayBase | None = None
        self._years: dict[int, dict[date, str]] = {}
        if self._stored["known"] is None:
            try:
                self._package()
                self._stored["known"] = True
            except NotImplementedError:
                self._stored["known"] = False
            self._save()
        if not self._stored["known"]:
            where = f"{country}-{subdivision}" if subdivision else country
            raise NotImplementedError(f"no holidays known for {where}")

    def _package(self) -> holidays.HolidayBase:
        if self._live is None:
            import holidays  # 0.1 s to import: only when a year is not in the cache

            self._live = holidays.country_holidays(self.country, subdiv=self.subdivision)
        return self._live

    def _save(self) -> None:
        from paperwork.core import cache as disk

        disk.save(self._file, self._key, self._stored)

    def year(self, year: int) -> dict[date, str]:
        """The holidays of ``year``: day -> name (names of one day joined by "; ")."""
        days = self._years.get(year)
        if days is None:
            stored = self._stored["years"].get(year)
            if stored is None:
                live = self._package()
                live.get(date(year, 1, 1))  # the package fills in a year when asked
                stored = {d.toordinal(): name for d, name in dict.items(live) if d.year == year}
                self._stored["years"][year] = stored
                self._save()
            days = {date.fromordinal(n): name for n, name in stored.items()}
            self._years[year] = days
        return days

    def __contains__(self, day: date) -> bool:
        return day in self.year(day.year)

    def get(self, day: date) -> str | None:
        return self.year(day.year).get(day)


def _split_jurisdiction(jurisdiction: str) -> tuple[str, str | None]:
    """Split ``"GB-ENG"`` into ``("GB", "ENG")`` and ``"FR"`` into ``("FR", None)``."""
    text = jurisdiction.strip().upper() if isinstance(jurisdiction, str) else ""
    country, _, subdivision = text.partition("-")
    country = _COUNTRY_ALIASES.get(country, country)
    return country, (subdivision or None)


def _country_of(jurisdiction: str) -> str:
    """The ISO country code of a jurisdiction (``"GB-ENG"`` -> ``"GB"``)."""
    return _split_jurisdiction(jurisdiction)[0]


class BusinessCalendar:
    """Business days of one jurisdiction: Monday to Friday, not a public holiday.

    Public holidays are those of the `holidays` package for the jurisdiction's
    country and subdivision (observed days included).
    """

    def __init__(self, jurisdiction: str) -> None:
        """Make the calendar for a jurisdiction such as ``"GB-ENG"``, ``"US-CA"`` or ``"FR"``.

        An unknown country raises ``ValueError("unknown jurisdiction 'XX'")``; an
        unknown subdivision falls back to the country's own calendar.
        """
        country, subdivision = _split_jurisdiction(jurisdiction)
        if not country or not country.isalpha():
            raise ValueError(f"unknown jurisdiction '{jurisdiction}'")
        try:
            _holiday_calendar(country, None)
        except NotImplementedError:
            raise ValueError(f"unknown jurisdiction '{jurisdiction}'") from None
        if subdivision is not None:
            try:
                _holiday_calendar(country, subdivision)
            except NotImplementedError:
                subdivision = None  # unknown subdivision: use the country calendar
        if country == "GB" and subdivision is None:
            # Plain "GB" means England: the package's GB calendar without a
            # subdivision holds only the UK-wide days and lacks Easter Monday and
            # the August bank holiday, which England & Wales observe.
            subdivision = "ENG"
        self.jurisdiction = jurisdiction
        self.country = country
        self.subdivision = subdivision
        self._holidays: HolidayTable = _holiday_calendar(country, subdivision)

    def __repr__(self) -> str:
        where = f"{self.country}-{self.subdivision}" if self.subdivision else self.country
        return f"BusinessCalendar({where!r})"

    def is_business_day(self, day: date) -> bool:
        """True if `day` is a Monday to Friday and not a public holiday here."""
        return day.weekday() < 5 and day not in self._holidays

    def holiday_name(self, day: date) -> str | None:
        """The name of the public holiday on `day`, or None if there is none."""
        return self._holidays.get(day)

    def roll_forward(self, day: date) -> date:
        """`day` itself if it is a business day, else the next business day."""
        while not self.is_business_day(day):
            day += timedelta(days=1)
        return day

    def next_business_day(self, day: date) -> date:
        """The first business day strictly after `day`."""
        return self.roll_forward(day + timedelta(days=1))

    def add_business_days(self, day: date, n: int) -> date:
        """The `n`th business day strictly after `day` (`n` >= 1)."""
        if n < 1:
            raise ValueError(f"business days to add must be at least 1, not {n}")
        for _ in range(n):
            day = self.next_business_day(day)
        return day


# --------------------------------------------------------------------------
# Deemed receipt
# --------------------------------------------------------------------------

DEFAULT_CHANNELS = CHANNELS

_SENT_VERB = {
    "post": "posted",
    "first_class": "posted first class",
    "second_class": "posted second class",
    "certified": "sent by certified mail",
    "registered": "sent by registered post",
    "email": "emailed",
    "fax": "faxed",
    "hand": "delivered by hand",
    "online": "submitted online",
}

_ORDINALS = {1: "1st", 2: "2nd", 3: "3rd"}


def _ordinal(n: int) -> str:
    return _ORDINALS.get(n, f"{n}th")


def _normalise_via(via: str) -> str:
    """Lower-case a channel name and accept ``first-class`` for ``first_class``."""
    key = via.strip().lower().replace("-", "_").replace(" ", "_") if isinstance(via, str) else ""
    if key not in DEFAULT_CHANNELS:
        raise ValueError(f"unknown channel '{via}': use one of {', '.join(DEFAULT_CHANNELS)}")
    return key


def deemed_receipt(
    sent_on: date, via: str, jurisdiction: str, calendar: BusinessCalendar
) -> tuple[date, str]:
    """The day a letter is deemed received, and a short English reason for it.

    `calendar` is the recipient's business calendar; `jurisdiction` decides which
    postal rule applies (docs/DESIGN.md §6.1). Raises ValueError for an unknown channel.
    """
    channel = _normalise_via(via)
    country = _country_of(jurisdiction)

    if channel in ELECTRONIC_CHANNELS:
        # Same day if that is a business day, else the next one; mirrors CPR 6.26
        # for email and hand delivery (the 4.30 pm cut-off is not modelled).
        received = calendar.roll_forward(sent_on)
        if received == sent_on:
            return received, "same business day"
        return received, "next business day after sending"

    if country == "GB":
        # UK: deemed received on the 2nd business day after posting (4th for
        # second class), Interpretation Act 1978 s.7 and the 1985 Practice
        # Direction; certified and registered post are treated as first class.
        n = 4 if channel == "second_class" else 2
        return (
            calendar.add_business_days(sent_on, n),
            f"{_ordinal(n)} business day after posting, GB",
        )

    # Elsewhere there is no general rule: assume the 5th business day after
    # posting, the conservative assumption of Regulation F's validation period
    # (12 CFR 1006.34(b)(5): receipt assumed 5 days after sending, excluding
    # Saturdays, Sundays and legal public holidays).
    return (
        calendar.add_business_days(sent_on, 5),
        f"5th business day after posting, {country}",
    )


# --------------------------------------------------------------------------
# Windows applied to dates
# --------------------------------------------------------------------------


def add_window(start: date, window: Window, calendar: BusinessCalendar) -> date:
    """The last day of `window` counted from `start`, without rolling forward.

    The start day is not counted (FRCP 6(a)(1); CPR 2.8). ``d`` counts calendar
    days, ``bd`` business days of `calendar`, ``w`` seven calendar days each, and
    ``m`` calendar months: the same day of the month, or the month's last day when
    it has no such day (31 Jan + 1m = 28 or 29 Feb), the ICO method for the GDPR
    "one month" (Art. 12(3)) and Regulation 1182/71 Art. 3(2)(c).
    """
    if isinstance(window, str):
        window = parse_window(window)
    if window.unit == "d":
        return start + timedelta(days=window.count)
    if window.unit == "bd":
        return calendar.add_business_days(start, window.count)
    if window.unit == "w":
        # FCA DISP 1.6.2R "eight weeks": 56 calendar days after receipt.
        return start + timedelta(weeks=window.count)
    # relativedelta clamps to the last day of a shorter month.
    from dateutil.relativedelta import relativedelta

    end: date = start + relativedelta(months=window.count)
    return end


_WEEKDAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def format_day(day: date) -> str:
    """A date in plain English independent of the locale, e.g. ``"Fri 18 Dec 2026"``."""
    return f"{_WEEKDAYS[day.weekday()]} {day.day} {_MONTHS[day.month - 1]} {day.year}"


@dataclass(frozen=True)
class Deadline:
    """A letter's response deadline and how it was worked out.

    `deemed_receipt` is the receipt date the count starts from: the recorded
    delivery date when `receipt_was_recorded`, else the deemed one. `last_day` is
    receipt + window; `deadline` is that rolled forward to a business day;
    `next_due` is the first business day after `deadline`, when the next letter
    of the ladder becomes due (docs/DESIGN.md §6.5).
    """

    sent_on: date
    via: str
    deemed_receipt: date
    receipt_was_recorded: bool
    window: Window
    last_day: date
    deadline: date
    next_due: date
    explanation: str
    # Recipient's jurisdiction, so later steps (e.g. ladder gates) use the same calendar.
    jurisdiction: str = field(default="")


def response_deadline(
    sent_on: date,
    via: str,
    jurisdiction: str,
    window: Window | str,
    delivered_on: date | None = None,
) -> Deadline:
    """The response deadline of a letter sent on `sent_on` by `via` to `jurisdiction`.

    A recorded delivery date (`delivered_on`) always wins over the deemed one.
    Raises `WindowError` for a bad window and ValueError for an unknown channel or
    jurisdiction, or a delivery date before the sending date.
    """
    window = parse_window(window) if isinstance(window, str) else window
    channel = _normalise_via(via)
    calendar = BusinessCalendar(jurisdiction)

    sent_text = f"{_SENT_VERB[channel]} {format_day(sent_on)}"
    if delivered_on is not None:
        if delivered_on < sent_on:
            raise ValueError(
                f"delivered on {format_day(delivered_on)}, before it was sent "
                f"on {format_day(sent_on)}"
            )
        received = delivered_on
        receipt_text = f"delivered on {format_day(received)} (recorded)"
    else:
        received, reason = deemed_receipt(sent_on, channel, jurisdiction, calendar)
        receipt_text = f"deemed received {format_day(received)} ({reason})"

    last_day = add_window(received, window, calendar)
    deadline = calendar.roll_forward(last_day)
    next_due = calendar.next_business_day(deadline)

    count_text = f"+ {window} = {format_day(last_day)}"
    if deadline != last_day:
        why = calendar.holiday_name(last_day) or "weekend"
        count_text += f", rolled forward to {format_day(deadline)} ({why})"

    return Deadline(
        sent_on=sent_on,
        via=channel,
        deemed_receipt=received,
        receipt_was_recorded=delivered_on is not None,
        window=window,
        last_day=last_day,
        deadline=deadline,
        next_due=next_due,
        explanation=f"{sent_text}, {receipt_text}, {count_text}",
        jurisdiction=jurisdiction,
    )


def gate_date(start: date, window: Window | str, jurisdiction: str) -> date:
    """The first day a regulator will take a complaint: `start` + `window`, rolled forward.

    For example the Financial Ombudsman Service after 8 weeks from the firm's
    receipt of the complaint (FCA DISP 1.6.2R): ``gate_date(received, "8w", "GB")``.
    """
    window = parse_window(window) if isinstance(window, str) else window
    calendar = BusinessCalendar(jurisdiction)
    return calendar.roll_forward(add_window(start, window, calendar))
