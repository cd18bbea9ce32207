"""Print the code point ranges of the letter font, for paperwork/core/printable.py.

.venv/bin/python tools/printable_table.py   # paste the ranges into PRINTABLE_RANGES
"""

from __future__ import annotations


def font_ranges() -> list[tuple[int, int]]:
    """The ranges of code points Liberation Sans (the letter font) has glyphs for."""
    from reportlab.pdfbase import pdfmetrics

    from paperwork.render.pdf import FONT, register_upright_fonts

    register_upright_fonts()
    ranges: list[list[int]] = []
    for cp in sorted(pdfmetrics.getFont(FONT).face.charToGlyph):
        if ranges and ranges[-1][1] == cp - 1:
            ranges[-1][1] = cp
        else:
            ranges.append([cp, cp])
    return [(a, b) for a, b in ranges]


if __name__ == "__main__":
    for first, last in font_ranges():
        print(f"    (0x{first:04X}, 0x{last:04X}),")
