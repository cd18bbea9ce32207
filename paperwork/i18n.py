"""Locale-aware formatting for letters: dates, money, durations, conventions.

Babel does the CLDR work; the letter conventions of each locale (salutation,
closing, labels) are data in ``letter_templates/conventions.toml``.
"""

from __future__ import annotations

import tomllib
from datetime import date
from decimal import Decimal
from functools import lru_cache
from typing import Any

from . import resources
from .model import Money


@lru_cache(maxsize=None)
def conventions(locale: str) -> dict[str, Any]:
    """The letter conventions of ``locale`` (see conventions.toml)."""
    table = tomllib.loads(resources.read_text("conventions.toml"))
    if locale not in table:
        raise KeyError(f"no letter conventions for locale {locale!r}")
    return table[locale]


def long_date(day: date, locale: str) -> str:
    """The locale's long date: "November 26, 2026", "26. November 2026"..."""
    from babel.dates import format_date

    return format_date(day, format="long", locale=locale)


def short_date(day: date, locale: str) -> str:
    """The locale's numeric date (used in tables)."""
    from babel.dates import format_date

    return format_date(day, format="short", locale=locale)


def money(amount: Money, locale: str) -> str:
    """An amount in the locale's currency format: "$89.99", "89,99 €"."""
    from babel.numbers import format_currency

    return format_currency(amount.value, amount.currency, locale=locale)


def number(value: int | Decimal, locale: str) -> str:
    from babel.numbers import format_decimal

    return format_decimal(value, locale=locale)


# Hours and minutes spelled out per language; CLDR's unit patterns would give
# "4 hr, 10 min", which reads like a form rather than a letter.
_DURATION_WORDS = {
    "en": (("hour", "hours"), ("minute", "minutes"), " "),
    "de": (("Stunde", "Stunden"), ("Minute", "Minuten"), " "),
    "fr": (("heure", "heures"), ("minute", "minutes"), " "),
    "es": (("hora", "horas"), ("minuto", "minutos"), " y "),
}


def duration(minutes: int, locale: str) -> str:
    """Minutes as "4 hours 10 minutes" in the letter's language ("" for zero)."""
    if minutes <= 0:
        return ""
    hours_words, minute_words, joiner = _DURATION_WORDS.get(locale[:2], _DURATION_WORDS["en"])
    hours, mins = divmod(minutes, 60)
    parts = []
    if hours:
        parts.append(f"{number(hours, locale)} {hours_words[hours != 1]}")
    if mins:
        parts.append(f"{number(mins, locale)} {minute_words[mins != 1]}")
    return joiner.join(parts)


def paper_for(locale: str) -> str:
    """US Letter for en_US and Canadian locales, A4 everywhere else (DESIGN §7)."""
    return "letter" if locale == "en_US" or locale.endswith("_CA") else "a4"


def place_from_address(address: list[str]) -> str:
    """The town of an address, for "Paris, le ..." lines: the last line without its postcode."""
    if not address:
        return ""
    words = address[-1].replace(",", " ").split()
    town = [w for w in words if not any(ch.isdigit() for ch in w)]
    return " ".join(town)
