"""The two themes the app offers, by Textual's names (config.toml says "dark" or "light")."""

from __future__ import annotations

DARK, LIGHT = "textual-dark", "textual-light"


def theme_named(word: str) -> str:
    """The Textual theme for a config word ("light", "dark" or a Textual name)."""
    return LIGHT if word in ("light", LIGHT) else DARK
