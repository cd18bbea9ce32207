"""Characters that must never reach a terminal or a letter raw: C0/C1 controls,
the bidirectional embeddings, overrides and isolates that reorder text, and
invisible characters (zero-width space and joiners, soft hyphen, byte-order mark)
that print as a mark or hide a difference.

One rule for every output: :func:`scrub` (and :func:`scrub_all` for a whole
document) is what every writer calls on the text it is given: PDF, DOCX, CSV,
ICS, e-mail and the terminal (which shows them as escapes instead of dropping
them). The schema refuses controls in case files and removes invisible
characters on entry; the terminal app draws controls as visible symbols
(:func:`visible_controls`). :func:`csv_cell` also neutralises spreadsheet
formulas. No imports beyond the standard library, so every layer can use this.
"""

from __future__ import annotations

import dataclasses
import unicodedata
from collections.abc import Callable
from functools import lru_cache
from typing import Any

# Characters that reorder text on screen: bidi embeddings, overrides and isolates.
BIDI_CONTROLS = frozenset(chr(c) for c in (*range(0x202A, 0x202F), *range(0x2066, 0x206A)))
# Characters with no width that still change what is printed or compared: soft
# hyphen, Mongolian vowel separator, zero-width space/non-joiner/joiner, word
# joiner, invisible operators, byte-order mark.
INVISIBLE = frozenset(
    chr(c)
    for c in (
        0x00AD,
        0x180E,
        0x200B,
        0x200C,
        0x200D,
        0x2060,
        0x2061,
        0x2062,
        0x2063,
        0x2064,
        0xFEFF,
    )
)


@lru_cache(maxsize=512)
def _picture(ch: str) -> str:
    code = ord(ch)
    if code < 0x20:
        return chr(0x2400 + code)  # ␀ … ␟
    if code == 0x7F:
        return "\u2421"  # ␡
    return "\ufffd"


def is_hazard(ch: str, keep: str = "") -> bool:
    """Whether ``ch`` is a control, text-direction or invisible character (and not in ``keep``)."""
    return ch not in keep and (
        ch in BIDI_CONTROLS or ch in INVISIBLE or unicodedata.category(ch) in ("Cc", "Cs")
    )


def scrub(text: str, keep: str = "\n\t", show: Callable[[str], str] | None = None) -> str:
    """``text`` as every writer puts it out: composed (NFC, so "e" + U+0301 is one
    letter), with each control, text-direction and invisible character (but those
    in ``keep``) dropped, or replaced by ``show(ch)`` where it must stay visible."""
    if not isinstance(text, str):
        return text
    if text.isascii() and text.isprintable():
        return text
    cleaned = "".join((show(ch) if show else "") if is_hazard(ch, keep) else ch for ch in text)
    return unicodedata.normalize("NFC", cleaned)


def scrub_all(value: Any, keep: str = "\n\t") -> Any:
    """:func:`scrub` applied to every string of a document: dataclasses, lists,
    tuples and dicts are rebuilt, other values returned as they are."""
    if isinstance(value, str):
        return scrub(value, keep)
    if isinstance(value, list):
        return [scrub_all(v, keep) for v in value]
    if isinstance(value, tuple) and not hasattr(value, "_fields"):
        return tuple(scrub_all(v, keep) for v in value)
    if isinstance(value, dict):
        return {k: scrub_all(v, keep) for k, v in value.items()}
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        changes = {
            f.name: scrub_all(getattr(value, f.name), keep)
            for f in dataclasses.fields(value)
            if f.init
        }
        return dataclasses.replace(value, **changes)
    return value


FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def csv_cell(value: Any) -> str:
    """A value as a CSV cell a spreadsheet will not run: scrubbed, and a leading
    quote before a cell that starts like a formula (=, +, -, @, tab, return)."""
    text = "" if value is None else str(value)
    if text.startswith(FORMULA_STARTS):
        text = "'" + text
    return scrub(text, keep="\n")


def csv_row(values: list[Any] | tuple[Any, ...]) -> list[str]:
    """Every cell of a row through :func:`csv_cell`: what every CSV writer writes."""
    return [csv_cell(v) for v in values]


def csv_uncell(text: str) -> str:
    """A cell read back: the quote :func:`csv_cell` put before a formula-like start removed."""
    if text.startswith("'") and text[1:].startswith(FORMULA_STARTS):
        return text[1:]
    return text


def visible_controls(text: str, keep: str = "") -> str:
    """``text`` with every control character (but those in ``keep``) drawn as a symbol."""
    if text.isprintable() or not any(is_hazard(ch, keep) for ch in text):
        return text
    return "".join(_picture(ch) if is_hazard(ch, keep) else ch for ch in text)
