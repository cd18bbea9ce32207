"""Which characters the shipped letter font can print, read from the font file
itself (its ``cmap`` table) with the standard library only, so that text can be
checked where it enters (the case-file schema) rather than at ``letter draft``.
"""

from __future__ import annotations

import struct
from functools import lru_cache

FONT_FILE = ("fonts", "LiberationSans-Regular.ttf")


def _cmap_format4(data: bytes, at: int) -> set[int]:
    seg_x2 = struct.unpack_from(">H", data, at + 6)[0]
    ends = at + 14
    starts = ends + seg_x2 + 2
    deltas = starts + seg_x2
    ranges = deltas + seg_x2
    codes: set[int] = set()
    for i in range(seg_x2 // 2):
        end = struct.unpack_from(">H", data, ends + 2 * i)[0]
        start = struct.unpack_from(">H", data, starts + 2 * i)[0]
        delta = struct.unpack_from(">h", data, deltas + 2 * i)[0]
        offset_at = ranges + 2 * i
        range_offset = struct.unpack_from(">H", data, offset_at)[0]
        for code in range(start, end + 1):
            if code == 0xFFFF:
                continue
            if range_offset == 0:
                glyph = (code + delta) & 0xFFFF
            else:
                where = offset_at + range_offset + 2 * (code - start)
                glyph = struct.unpack_from(">H", data, where)[0]
                glyph = (glyph + delta) & 0xFFFF if glyph else 0
            if glyph:
                codes.add(code)
    return codes


def _cmap_format12(data: bytes, at: int) -> set[int]:
    groups = struct.unpack_from(">I", data, at + 12)[0]
    codes: set[int] = set()
    for i in range(groups):
        start, end, glyph = struct.unpack_from(">III", data, at + 16 + 12 * i)
        codes.update(code for n, code in enumerate(range(start, end + 1)) if glyph + n)
    return codes


def cmap_codes(data: bytes) -> frozenset[int]:
    """The code points a TrueType font maps to a glyph (Windows Unicode subtables)."""
    tables = struct.unpack_from(">H", data, 4)[0]
    cmap = None
    for i in range(tables):
        tag, _check, offset, _length = struct.unpack_from(">4sIII", data, 12 + 16 * i)
        if tag == b"cmap":
            cmap = offset
    if cmap is None:
        return frozenset()
    count = struct.unpack_from(">H", data, cmap + 2)[0]
    found: dict[int, set[int]] = {}
    for i in range(count):
        platform, encoding, offset = struct.unpack_from(">HHI", data, cmap + 4 + 8 * i)
        if platform not in (0, 3) or (platform == 3 and encoding not in (1, 10)):
            continue
        at = cmap + offset
        fmt = struct.unpack_from(">H", data, at)[0]
        if fmt == 4 and 4 not in found:
            found[4] = _cmap_format4(data, at)
        elif fmt == 12 and 12 not in found:
            found[12] = _cmap_format12(data, at)
    return frozenset(found.get(12) or found.get(4) or ())


@lru_cache(maxsize=1)
def printable_codes() -> frozenset[int]:
    """The characters the letter font has a glyph for."""
    from paperwork.core.resources import package_file

    return cmap_codes(package_file(*FONT_FILE).read_bytes())


def unprintable(text: str) -> list[str]:
    """The distinct characters of ``text`` the letter font cannot print, in order
    (control and text-direction characters are another refusal's business)."""
    from paperwork.core.controls import is_hazard

    if text.isascii():
        return []
    codes = printable_codes()
    seen: list[str] = []
    for ch in text:
        if ch.isspace() or is_hazard(ch):
            continue
        if ord(ch) not in codes and ch not in seen:
            seen.append(ch)
    return seen
