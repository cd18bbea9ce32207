"""The precomputed table of printable characters matches the letter font."""

from __future__ import annotations

import importlib.util
from pathlib import Path

from paperwork.core.printable import PRINTABLE_RANGES, printable, unprintable


def _tool():
    path = Path(__file__).resolve().parents[2] / "tools" / "printable_table.py"
    spec = importlib.util.spec_from_file_location("printable_table", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_the_table_is_the_fonts():
    assert list(PRINTABLE_RANGES) == _tool().font_ranges()


def test_the_table_agrees_with_the_renderer():
    from paperwork.render.pdf import unprintable_characters

    text = "Acme GmbH — Straße, Ñandú, Ωμέγα, Привет 😀 漢字 ☃ €"
    assert unprintable(text) == unprintable_characters(text)
    assert printable("é") and not printable("😀")
