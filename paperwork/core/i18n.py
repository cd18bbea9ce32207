"""Locale-aware formatting for letters: dates, money, durations, conventions.

Babel does the CLDR work; the letter conventions of each locale (salutation,
closing, labels) are data in ``letter_templates/conventions.toml``.
"""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal
from functools import cache
from typing import TYPE_CHECKING, Any

from paperwork.core import resources

if TYPE_CHECKING:  # the app's first screen loads this module, and no data classes
    from paperwork.core.model import Money, Party


@cache
def conventions(locale: str) -> dict[str, Any]:
    """The letter conventions of ``locale`` (see conventions.toml)."""
    from paperwork.core.cache import parsed_toml

    table = parsed_toml(resources.templates_root() / "conventions.toml")
    if locale not in table:
        raise KeyError(f"no letter conventions for locale {locale!r}")
    found: dict[str, Any] = table[locale]
    return found


@cache
def bundle_words(locale: str) -> dict[str, Any]:
    """The words of a bundle's own pages and of the chronology in the language of
    ``locale`` (see bundle.toml); English for a language it does not have."""
    import tomllib

    table = tomllib.loads(resources.read_text("bundle.toml"))
    words: dict[str, Any] = table.get(locale.split("_")[0], table["en"])
    return words


def counted(forms: list[str], n: int, **values: object) -> str:
    """``forms`` is [singular, plural]; the one for ``n``, filled in with ``n`` and ``values``."""
    return (forms[0] if n == 1 else forms[1]).format(n=n, **values)


def long_date(day: date, locale: str) -> str:
    """The locale's long date: "November 26, 2026", "26. November 2026"..."""
    from babel.dates import format_date

    text = format_date(day, format="long", locale=locale)
    if locale.startswith("fr") and day.day == 1:
        text = "1er" + text[1:]  # French writes the first of the month as an ordinal
    return text


def short_date(day: date, locale: str) -> str:
    """The locale's numeric date (used in tables)."""
    from babel.dates import format_date

    return format_date(day, format="short", locale=locale)


def money(amount: Money, locale: str) -> str:
    """An amount in the locale's currency format: "$89.99", "89,99 €". Any space
    between the number and its currency is a no-break space (U+00A0, or the
    narrow U+202F where CLDR uses it), so a line never ends between the two."""
    from babel.numbers import format_currency

    return format_currency(amount.value, amount.currency, locale=locale).replace(" ", "\u00a0")


# A currency next to a number, written by hand in a case file ("44,99 €", "EUR 12"):
# the space between them becomes a no-break space when the letter is typeset.
_CURRENCY = r"(?:[$€£¥₹₣₽]|\$US|US\$|(?:USD|EUR|GBP|CHF|CAD|AUD|JPY|SEK|NOK|DKK|PLN|CZK|MXN)\b)"
_AMOUNT_GAPS = None


def nonbreaking_amounts(text: str) -> str:
    """``text`` with the spaces between an amount and its currency made non-breaking."""
    global _AMOUNT_GAPS
    if _AMOUNT_GAPS is None:
        import re

        _AMOUNT_GAPS = re.compile(
            rf"(?<=\d)[ \t](?={_CURRENCY})|(?<=[$€£¥₹₣₽])[ \t](?=\d)"
            r"|(?<=\b(?:USD|EUR|GBP|CHF|CAD|AUD|JPY|SEK|NOK|DKK|PLN|CZK|MXN))[ \t](?=\d)"
        )
    return _AMOUNT_GAPS.sub("\u00a0", text)


# The wide month names of the letter languages (CLDR's, as babel gives them; a unit
# test keeps them equal), written out here so that typesetting a letter does not load
# four locales' data; "setiembre" is the Spanish variant spelling.
MONTH_NAMES = {
    "en": "January February March April May June July August September October November December",
    "de": "Januar Februar März April Mai Juni Juli August September Oktober November Dezember",
    "fr": "janvier février mars avril mai juin juillet août septembre octobre novembre décembre",
    "es": "enero febrero marzo abril mayo junio julio agosto septiembre octubre noviembre diciembre",
}


@cache
def _date_gaps() -> re.Pattern[str]:
    """A day and its month as the letter languages write them, with the spaces
    between: "28. Dezember", "5 de diciembre", "1er mai", "5 December", "December 5"."""
    months = sorted(
        {name for names in MONTH_NAMES.values() for name in names.split()} | {"setiembre"},
        key=len,
        reverse=True,
    )
    month = "|".join(re.escape(m) for m in months)
    day = r"(?<![\w.,])(?:[12]\d|3[01]|0?[1-9])(?:\.º|º|\.|er)?"
    return re.compile(
        rf"(?P<dm>{day}[ \t]+(?:de[ \t]+)?(?:{month}))\b"
        rf"|(?P<md>\b(?:{month})[ \t]+(?:[12]\d|3[01]|0?[1-9])(?:er)?)(?![\w])"
    )


def nonbreaking_dates(text: str) -> str:
    """``text`` with the day and the month of every written-out date joined by no-break
    spaces, so a line never ends between "28." and "Dezember" (or "5" and "de diciembre")."""
    return _date_gaps().sub(lambda m: re.sub(r"[ \t]+", "\u00a0", m.group(0)), text)


def nonbreaking(text: str) -> str:
    """``text`` as a typesetter should see it: amounts glued to their currency, days to
    their month."""
    return nonbreaking_dates(nonbreaking_amounts(text))


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


_NANP_TEXT = re.compile(r"^\+?[\d\s().-]+$")


def phone(number: str, locale: str) -> str:
    """A phone number as the letter's country writes it. American letters write a
    North American number "(217) 555-0100" (given as "+1 217 555 0100", "217.555.0100"
    and the like); anything else (an extension, a number abroad) is printed as given."""
    text = number.strip()
    if locale != "en_US" or not _NANP_TEXT.match(text):
        return text
    digits = re.sub(r"\D", "", text)
    if text.startswith("+"):
        if not (len(digits) == 11 and digits[0] == "1"):
            return text
        digits = digits[1:]
    elif len(digits) == 11 and digits[0] == "1":
        digits = digits[1:]
    if len(digits) != 10 or digits[0] in "01" or digits[3] in "01":
        return text
    return f"({digits[:3]}) {digits[3:6]}-{digits[6:]}"


def paper_for(locale: str) -> str:
    """US Letter for en_US and Canadian locales, A4 everywhere else (docs/DESIGN.md §7)."""
    return "letter" if locale == "en_US" or locale.endswith("_CA") else "a4"


def place_from_address(address: list[str]) -> str:
    """The town of an address, for "Paris, le ..." lines: the last line without its postcode."""
    if not address:
        return ""
    words = address[-1].replace(",", " ").split()
    town = [w for w in words if not any(ch.isdigit() for ch in w)]
    return " ".join(town)


def sender_fields(sender: Party, locale: str, today: date) -> dict[str, Any]:
    """The sender's side of a letter (name, address, contact lines, place and date,
    signature) as ``LetterDocument`` fields: every letter Paperwork writes, the
    case's own, the bundle's cover letter and the pool's dossier, sets them alike."""
    place = place_from_address(sender.address)
    date_text = long_date(today, locale)
    return {
        "locale": locale,
        "sender_name": sender.name,
        "sender_lines": list(sender.address),
        "sender_contact": [v for v in (phone(sender.phone, locale), sender.email) if v],
        "place_date": (
            conventions(locale)["place_date"].format(place=place, date=date_text)
            if place
            else date_text
        ),
        "date_iso": today.isoformat(),
        "signature": sender.name,
    }


# ---------------------------------------------------------------------------
# The interface language (gettext). Letters follow their case's locale instead.

INTERFACE_LANGUAGES = ("en", "de", "fr", "es")
DOMAIN = "paperwork"
_active: Any = None


def interface_language(
    explicit: str | None = None,
    configured: str | None = None,
    environ: dict[str, Any] | None = None,
) -> str:
    """``--lang``, then the config file, then LC_ALL / LC_MESSAGES / LANG, else English."""
    import os

    env = os.environ if environ is None else environ
    candidates = [explicit, configured, env.get("LC_ALL"), env.get("LC_MESSAGES"), env.get("LANG")]
    for value in candidates:
        if not value:
            continue
        code = value.split(".")[0].split("@")[0].split("_")[0].split("-")[0].lower()
        if code in ("c", "posix"):
            return "en"
        if code in INTERFACE_LANGUAGES:
            return code
        if value is explicit:
            raise ValueError(value)
    return "en"


def install_language(language: str) -> str:
    """Load the catalog of ``language`` (compiled .mo shipped in paperwork.locales)."""
    import gettext

    global _active, _current
    _current = "en"
    # click (and argparse) call the standard gettext functions: point them at
    # Paperwork's catalog so "Usage:" and "Options" follow the interface too.
    import os

    locales_dir = resources.package_root("paperwork.locales")
    gettext.bindtextdomain(DOMAIN, str(locales_dir))
    gettext.textdomain(DOMAIN)
    os.environ["LANGUAGE"] = language
    if language == "en":
        _active = gettext.NullTranslations()
        return language
    node = locales_dir / language / "LC_MESSAGES" / f"{DOMAIN}.mo"
    try:
        with node.open("rb") as handle:
            _active = gettext.GNUTranslations(handle)
    except FileNotFoundError:
        _active = gettext.NullTranslations()
        return "en"
    _current = language
    return language


_LANGUAGE_LOCALES = {"en": "en_GB", "de": "de_DE", "fr": "fr_FR", "es": "es_ES"}
_current = "en"


def current_language() -> str:
    """The interface language installed last ("en" until one is)."""
    return _current


def interface_locale() -> str:
    """A CLDR locale for formatting numbers and durations in the interface language."""
    return _LANGUAGE_LOCALES.get(_current, "en_GB")


def _(message: str) -> str:
    """Translate an interface message into the active language."""
    if _active is None:
        return message
    return str(_active.gettext(message))


def ngettext(singular: str, plural: str, n: int) -> str:
    """Translate a message that depends on a count."""
    if _active is None:
        return singular if n == 1 else plural
    return str(_active.ngettext(singular, plural, n))


@cache
def _catalog(language: str) -> Any:
    import gettext
    from importlib import resources as importlib_resources

    node = (
        importlib_resources.files("paperwork.locales") / language / "LC_MESSAGES" / f"{DOMAIN}.mo"
    )
    try:
        with node.open("rb") as handle:
            return gettext.GNUTranslations(handle)
    except FileNotFoundError:
        return gettext.NullTranslations()


def translated(message: str, locale: str) -> str:
    """``message`` (marked with N_) in the language of ``locale``, whatever the interface
    language: for the words of a document written in the case's language."""
    language = locale.split("_")[0]
    return message if language == "en" else str(_catalog(language).gettext(message))


def N_(message: str) -> str:
    """Mark a message for extraction; it is translated later, where it is shown."""
    return message
