"""The sentence a letter states its pool's figures in (docs/DESIGN.md §9, LETTERS.md point 13).

Pure: the figures come in as data (the services read the ones fetched last);
the words are data in ``letter_templates/pool.toml``, one table per language.
"""

from __future__ import annotations

import tomllib
from collections.abc import Mapping
from datetime import date
from functools import cache
from typing import Any

from paperwork.core import i18n, resources
from paperwork.core.i18n import _

# The kinds that state the count once the pool has its threshold of members.
POOL_KINDS = frozenset(
    {
        "complaint",
        "follow_up",
        "escalation_supervisor",
        "escalation_executive",
        "final_demand",
        "regulator_complaint",
        "intent_to_cancel",
    }
)


@cache
def _words(language: str) -> dict[str, str]:
    table = tomllib.loads(resources.read_text("pool.toml"))
    return table.get(language, table["en"])


def number_text(value: int, locale: str) -> str:
    """A count in the locale's digits, with spaces that no font lacks."""
    # Narrow no-break spaces (French grouping) become plain no-break spaces: every font has those.
    return i18n.number(value, locale).replace("\u202f", "\u00a0")


def _count(figures: Mapping[str, Any], key: str) -> int | None:
    value = figures.get(key)
    return value if isinstance(value, int) and not isinstance(value, bool) and value > 0 else None


def pool_sentence(
    figures: Mapping[str, Any] | None,
    locale: str,
    *,
    regulator: str = "",
    to_regulator: bool = False,
) -> str:
    """One sentence with the member count and the most telling other figure, dated;
    "" when there are no figures or the pool is under its threshold (members null)."""
    if not figures:
        return ""
    members = _count(figures, "members")
    if members is None or not figures.get("as_of") or not figures.get("since"):
        return ""
    words = _words(locale.split("_")[0])
    text = words["lead"].format(
        members=number_text(members, locale),
        company=figures.get("company", ""),
        since=i18n.long_date(date.fromisoformat(str(figures["since"])[:10]), locale),
        as_of=i18n.long_date(date.fromisoformat(str(figures["as_of"])[:10]), locale),
    )
    referrals = _count(figures, "regulator_referrals")
    cancellations = _count(figures, "cancellations")
    letters = _count(figures, "letters_sent")
    if referrals:
        key = "then_referrals_you" if to_regulator else "then_referrals"
        return text + words[key].format(
            n=number_text(referrals, locale), regulator=regulator or words["regulator"]
        )
    if cancellations:
        return text + words["then_cancellations"].format(n=number_text(cancellations, locale))
    if letters and letters > members:
        return text + words["then_letters"].format(n=number_text(letters, locale))
    return text + words["end"]


def insert_at(paragraphs: list[str], markers: list[str]) -> int:
    """Where the sentence goes: before the first paragraph holding one of ``markers``
    (the request: the remedy or the reply-by date), never before the first paragraph;
    else before the last paragraph."""
    for index, paragraph in enumerate(paragraphs):
        if any(marker and marker in paragraph for marker in markers):
            return max(index, 1)
    return max(len(paragraphs) - 1, 1) if paragraphs else 0


def count_words(value: int | None, threshold: int) -> str:
    """A count as a person reads it: the number, or "fewer than K" when it is withheld."""
    if value is None:
        return _("fewer than {k}").format(k=threshold)
    return str(value)
