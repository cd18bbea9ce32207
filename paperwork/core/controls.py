"""Characters that must never reach a terminal or a letter raw: C0/C1 controls
and the bidirectional embeddings, overrides and isolates that reorder text.

The schema refuses them in case files; the command line shows them as escapes
(clitools.safe); the terminal app draws them as visible symbols
(:func:`visible_controls`). No imports beyond the standard library, so every
layer can use this at start-up.
"""

from __future__ import annotations

import unicodedata
from functools import lru_cache

# Characters that reorder text on screen: bidi embeddings, overrides and isolates.
BIDI_CONTROLS = frozenset(chr(c) for c in (*range(0x202A, 0x202F), *range(0x2066, 0x206A)))


@lru_cache(maxsize=512)
def _picture(ch: str) -> str:
    code = ord(ch)
    if code < 0x20:
        return chr(0x2400 + code)  # ␀ … ␟
    if code == 0x7F:
        return "\u2421"  # ␡
    return "\ufffd"


def is_hazard(ch: str, keep: str = "") -> bool:
    """Whether ``ch`` is a control or text-direction character (and not in ``keep``)."""
    return ch not in keep and (ch in BIDI_CONTROLS or unicodedata.category(ch) == "Cc")


def visible_controls(text: str, keep: str = "") -> str:
    """``text`` with every control character (but those in ``keep``) drawn as a symbol."""
    if text.isprintable() or not any(is_hazard(ch, keep) for ch in text):
        return text
    return "".join(_picture(ch) if is_hazard(ch, keep) else ch for ch in text)
