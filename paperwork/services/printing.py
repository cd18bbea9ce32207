"""Printing a letter or its envelope through CUPS ``lp``: the command line's
``letter print`` and ``envelope --print`` and the app's print key use these functions.

The PDF goes to ``lp`` on its standard input, with the paper of the letter's layout
(``-o media=Letter`` or ``A4``; envelopes ``Env10`` or ``EnvDL``, CUPS' names for a
#10 and a DL envelope), the copies asked for and, for letters, the duplex setting
of the config file (``print_duplex = true|false``; unset leaves the printer's own).
"""

from __future__ import annotations

import shutil
import subprocess
from typing import TYPE_CHECKING

from paperwork.core.errors import UserError
from paperwork.core.i18n import _

if TYPE_CHECKING:
    from paperwork.services.session import Paperwork

LETTER_MEDIA = {"letter": "Letter", "a4": "A4"}
ENVELOPE_MEDIA = {"no10": "Env10", "dl": "EnvDL"}
LP_TIMEOUT = 120


def lp_arguments(
    media: str, *, printer: str | None, copies: int, duplex: bool | None, title: str
) -> list[str]:
    """The options given to ``lp`` (the PDF follows on its standard input)."""
    args = ["-t", title, "-n", str(copies), "-o", f"media={media}"]
    if printer:
        args = ["-d", printer, *args]
    if duplex is not None:
        args += ["-o", "sides=two-sided-long-edge" if duplex else "sides=one-sided"]
    return args


def chosen_printer(pw: Paperwork, printer: str | None) -> str | None:
    """The printer asked for, else the config file's ``printer``; None means the CUPS
    default, which must exist (checked with ``lpstat -d`` when it is installed)."""
    import os

    name = printer or pw.config.printer or None
    if name:
        return name
    if os.environ.get("LPDEST") or os.environ.get("PRINTER"):
        return None  # lp reads these itself
    lpstat = shutil.which("lpstat")
    if lpstat is None:
        return None  # lp will say so itself if there is no default
    try:
        done = subprocess.run(
            [lpstat, "-d"], capture_output=True, text=True, timeout=30, check=False
        )
    except (OSError, subprocess.TimeoutExpired):
        return None
    if done.returncode != 0 or ":" not in done.stdout:
        raise UserError(
            _(
                'no printer chosen and no default printer: give --printer NAME, set printer = "NAME" in config.toml, or make one the default (lpoptions -d NAME).'
            )
        )
    return None


def send_to_printer(
    pw: Paperwork,
    pdf: bytes,
    media: str,
    *,
    printer: str | None,
    copies: int,
    duplex: bool | None,
    title: str,
) -> str:
    """Hand ``pdf`` to ``lp``; returns what lp said (its request id)."""
    lp = shutil.which("lp")
    if lp is None:
        raise UserError(
            _(
                "printing needs CUPS' lp command, which was not found; install CUPS (cups-client) or print the PDF from 'letter render'."
            )
        )
    name = chosen_printer(pw, printer)
    args = lp_arguments(media, printer=name, copies=copies, duplex=duplex, title=title)
    try:
        done = subprocess.run(
            [lp, *args], input=pdf, capture_output=True, timeout=LP_TIMEOUT, check=False
        )
    except (OSError, subprocess.TimeoutExpired) as exc:
        raise UserError(_("lp could not be run ({reason}).").format(reason=exc)) from None
    said = (done.stdout or b"").decode("utf-8", "replace").strip()
    if done.returncode != 0:
        reason = (done.stderr or b"").decode("utf-8", "replace").strip() or said
        raise UserError(
            _("lp refused the job ({reason}).").format(
                reason=" ".join(reason.split()) or done.returncode
            )
        )
    return said


def print_letter(pw: Paperwork, letter_id: int, printer: str | None = None, copies: int = 1) -> str:
    """Print a letter's PDF (the kept copy once sent) on the paper of its layout."""
    from paperwork.services.letters import get_letter, layout_for, render_bytes

    letter = get_letter(pw, letter_id)
    media = LETTER_MEDIA[layout_for(pw, letter).paper]
    pdf = render_bytes(pw, letter, "pdf")
    return send_to_printer(
        pw,
        pdf,
        media,
        printer=printer,
        copies=copies,
        duplex=pw.config.print_duplex,
        title=f"paperwork letter {letter_id}",
    )


def print_envelope(
    pw: Paperwork, letter_id: int, printer: str | None = None, copies: int = 1
) -> str:
    """Print the envelope of a letter (#10 or DL), always one-sided."""
    from paperwork.services.record import envelope_pdf

    size, pdf = envelope_pdf(pw, letter_id)
    return send_to_printer(
        pw,
        pdf,
        ENVELOPE_MEDIA[size],
        printer=printer,
        copies=copies,
        duplex=False,
        title=f"paperwork envelope {letter_id}",
    )
