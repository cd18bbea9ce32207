"""Page layouts as data (docs/DESIGN.md §7): where each part of page one goes.

All distances are millimetres from the top-left corner of the sheet, so they can
be checked against the envelope norms directly. Users pick another layout with
``layout = "din5008_a"`` in the config file or per case.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace

from paperwork.core.model import LetterDocument

MM_PER_INCH = 25.4


def inch(value: float) -> float:
    """Inches to millimetres."""
    return value * MM_PER_INCH


@dataclass(frozen=True)
class Layout:
    """Geometry of a letter's first page and its margins."""

    name: str
    paper: str  # "letter" or "a4"
    width: float
    height: float
    margin_left: float
    margin_right: float
    margin_top: float
    margin_bottom: float
    # the sender: "letterhead" (DIN, centred band at the top) or "corner" (top left)
    sender_style: str
    sender_top: float
    # the recipient block: first line's letter tops at (recipient_left, recipient_top)
    recipient_left: float
    recipient_top: float
    recipient_width: float
    recipient_max_lines: int
    # DIN: a small return-address line and a delivery note above the recipient
    return_line_top: float | None
    delivery_top: float | None
    # DIN: an information block to the right of the address field (references, date)
    info_left: float | None
    info_top: float | None
    # where the running text starts on page one
    body_top: float
    # "block" (US, flush left after the address), "info" (DIN info block), "right" (French)
    date_style: str
    fold_marks: tuple[float, ...] = ()
    punch_mark: float | None = None


LETTER_W, LETTER_H = inch(8.5), inch(11)
A4_W, A4_H = 210.0, 297.0

LAYOUTS: dict[str, Layout] = {
    # US block format for a #10 window envelope (window 4.5 x 1.125 in, 7/8 in from
    # the left, 1/2 in from the bottom): the address starts 2.25 in from the top.
    "us_block": Layout(
        name="us_block",
        paper="letter",
        width=LETTER_W,
        height=LETTER_H,
        margin_left=inch(1),
        margin_right=inch(1),
        margin_top=inch(1),
        margin_bottom=inch(1),
        sender_style="corner",
        sender_top=inch(0.75),
        recipient_left=inch(1.0),
        recipient_top=inch(2.25),
        recipient_width=inch(4.5),
        recipient_max_lines=5,
        return_line_top=None,
        delivery_top=None,
        info_left=None,
        info_top=None,
        body_top=inch(3.45),
        date_style="block",
    ),
    # DIN 5008 form B for a DL window envelope (window 90 x 45 mm): address field
    # 20 mm from the left, 45 mm from the top, 85 x 45 mm; recipient from 62.7 mm.
    "din5008_b": Layout(
        name="din5008_b",
        paper="a4",
        width=A4_W,
        height=A4_H,
        margin_left=25,
        margin_right=20,
        margin_top=20,
        margin_bottom=22,
        sender_style="letterhead",
        sender_top=14,
        recipient_left=25,
        recipient_top=62.7,
        recipient_width=80,
        recipient_max_lines=6,
        return_line_top=47.5,
        delivery_top=53,
        info_left=125,
        info_top=50,
        body_top=98.5,
        date_style="info",
        fold_marks=(105, 210),
        punch_mark=148.5,
    ),
}


def return_line(doc: LetterDocument, fits: Callable[[str], bool]) -> str:
    """The one-line return address of the DIN address field, shortened to fit:
    every line, else the name and the last two lines (street and town)."""
    for parts in (
        [doc.sender_name, *doc.sender_lines],
        [doc.sender_name, *doc.sender_lines[-2:]],
        [doc.sender_name, *doc.sender_lines[-1:]],
    ):
        text = ", ".join(parts)
        if fits(text):
            return text
    return doc.sender_name


# DIN 5008 form A (27 mm letterhead): the same address field 18 mm higher, and
# the fold marks at 87 and 192 mm.
LAYOUTS["din5008_a"] = replace(
    LAYOUTS["din5008_b"],
    name="din5008_a",
    sender_top=8,
    recipient_top=44.7,
    return_line_top=29.5,
    delivery_top=35,
    info_top=32,
    body_top=80.5,
    fold_marks=(87, 192),
)


# French right-hand window: recipient 110 mm from the left, 55 mm from the top,
# 85 x 33 mm; sender top left; "Paris, le ..." on the right above the subject.
# The page, margins, fold and punch marks are those of the DL envelope (form B).
LAYOUTS["fr_window"] = replace(
    LAYOUTS["din5008_b"],
    name="fr_window",
    sender_style="corner",
    sender_top=20,
    recipient_left=110,
    recipient_top=55,
    recipient_width=85,
    recipient_max_lines=6,
    return_line_top=None,
    delivery_top=None,
    info_left=None,
    info_top=None,
    body_top=96,
    date_style="right",
)


def layout_named(name: str) -> Layout:
    """A layout by name, with a clear error listing the known ones."""
    from paperwork.core.errors import UserError
    from paperwork.core.i18n import _

    try:
        return LAYOUTS[name]
    except KeyError:
        raise UserError(
            _("unknown layout '{name}'; known layouts: {known}.").format(
                name=name, known=", ".join(sorted(LAYOUTS))
            )
        ) from None
