"""The organiser's collective letters (``pool dossier``): to the chief executive and the regulator.

Pure: the figures come in as data; the words are in ``letter_templates/pool_dossier.toml``.
Each letter is a neutral :class:`LetterDocument`, so the usual renderers lay it out.
"""

from __future__ import annotations

import tomllib
from collections.abc import Mapping
from datetime import date
from functools import cache
from typing import Any

from paperwork.core import i18n, resources
from paperwork.core.i18n import N_
from paperwork.core.model import LetterDocument, Party
from paperwork.letters.pool_sentence import number_text


@cache
def dossier_words(locale: str) -> dict[str, str]:
    """The dossier's words in the language of ``locale`` (English when it has none), with
    the locale's own where it has some (American spelling in ``en_US``)."""
    table = tomllib.loads(resources.read_text("pool_dossier.toml"))
    return {**table.get(locale.split("_")[0], table["en"]), **table.get(locale, {})}


def _count(value: Any, threshold: int, locale: str) -> str:
    if isinstance(value, int) and not isinstance(value, bool):
        return number_text(value, locale)
    return dossier_words(locale)["fewer_than"].format(k=threshold)


def dossier_values(
    figures: Mapping[str, Any], locale: str, regulator: str, reply_by: date
) -> dict[str, str]:
    """Everything the dossier's words are filled in with, formatted for ``locale``."""
    k = int(figures.get("threshold") or 10)
    since = date.fromisoformat(str(figures["since"])[:10])
    as_of = date.fromisoformat(str(figures["as_of"])[:10])
    words = dossier_words(locale)
    referred_to = (
        words["referred_to"].format(regulator=regulator)
        if regulator
        else words["referred_to_unnamed"]
    )
    return {
        "members": _count(figures.get("members"), k, locale),
        "letters": _count(figures.get("letters_sent"), k, locale),
        "referrals": _count(figures.get("regulator_referrals"), k, locale),
        "cancellations": _count(figures.get("cancellations"), k, locale),
        "company": str(figures.get("company", "")),
        "title": str(figures.get("title", "")),
        "page": str(figures.get("page", "")),
        "threshold": str(k),
        "since": i18n.long_date(since, locale),
        "as_of": i18n.long_date(as_of, locale),
        "regulator": regulator,
        "referred_to": referred_to,
        "reply_by": i18n.long_date(reply_by, locale),
    }


def chart_rows(figures: Mapping[str, Any], titles: Mapping[str, str]) -> list[tuple[str, int]]:
    """The letters by kind that are counted (withheld ones left out), largest first."""
    rows = [
        (titles.get(kind, kind), n)
        for kind, n in (figures.get("by_kind") or {}).items()
        if isinstance(n, int) and n > 0
    ]
    return sorted(rows, key=lambda row: (-row[1], row[0]))


# The words of the annex's time chart (the letters' own words are in pool_dossier.toml).
TIMELINE_TITLE = N_("Pressure over time: members and letters so far, week by week (as of {as_of})")
TIMELINE_MEMBERS = N_("members")
TIMELINE_LETTERS = N_("letters sent")
TIMELINE_PERIOD = N_("month")


def timeline_words(locale: str) -> dict[str, str]:
    """The time chart's title, line names and period heading in the language of ``locale``."""
    return {
        "title": i18n.translated(TIMELINE_TITLE, locale),
        "members": i18n.translated(TIMELINE_MEMBERS, locale),
        "letters": i18n.translated(TIMELINE_LETTERS, locale),
        "period": i18n.translated(TIMELINE_PERIOD, locale),
    }


def timeline(series: Mapping[str, Any] | None) -> list[tuple[date, int | None, int | None]]:
    """``GET series`` as (week, members so far, letters so far), oldest first; a line is
    None where the server gives it no point (throughout while under the threshold).
    Empty without a series."""
    rows = []
    for week in (series or {}).get("weeks") or []:
        try:
            day = date.fromisoformat(str(week["week"]))
        except (KeyError, ValueError):
            continue
        members, letters = week.get("members"), week.get("letters")
        rows.append(
            (
                day,
                members if isinstance(members, int) else None,
                letters if isinstance(letters, int) else None,
            )
        )
    return sorted(rows)


def dossier_letter(
    to: str,
    figures: Mapping[str, Any],
    *,
    locale: str,
    sender: Party,
    recipient: list[str],
    regulator: str,
    today: date,
    reply_by: date,
    salutation: str = "",
    closing: str = "",
) -> LetterDocument:
    """The collective letter ``to`` "executive" or "regulator", signed by the organiser;
    greeted and closed as given (the recipient's, compose.opening_and_closing), else with
    the locale's "Dear Sir or Madam"."""
    words = dossier_words(locale)
    values = dossier_values(figures, locale, regulator, reply_by)
    conv = i18n.conventions(locale)
    paragraphs = [
        words[f"opening_{to}"].format(**values),
        words[f"figures_{to}"].format(**values),
        words["method"].format(**values),
        words[f"request_{to}"].format(**values),
    ]
    return LetterDocument(
        **i18n.sender_fields(sender, locale, today),
        recipient_lines=recipient,
        references=[],
        subject=f"{conv['subject_prefix']}{words[f'subject_{to}'].format(**values)}",
        salutation=salutation or conv["salutation"],
        paragraphs=paragraphs,
        closing=closing or conv["closing"],
        enclosures=[words["chart_caption"].split(":")[-1].strip()],
        reply_by=i18n.long_date(reply_by, locale),
        reply_by_iso=reply_by.isoformat(),
        page_label=conv["page"],
        continuation=recipient[0] if recipient else "",
    )
