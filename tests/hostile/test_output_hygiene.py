"""Findings 6, 7 and 11: control characters in names reach no output raw, CSV cells
never start a formula, and the smaller leaks (JPEG comments, library warnings,
ragged rows, raw newlines, latin-1 files) are closed."""

from __future__ import annotations

import csv
import unicodedata
import zipfile
from datetime import UTC
from pathlib import Path

import pytest
from hostile_helpers import (
    assert_clean_refusal,
    assert_terminal_safe,
    base_case,
    blank_pdf,
    campaign_args,
    campaign_files,
    pdf_text,
    run_paperwork,
    write_case,
)

HOSTILE_NAME = "bill\x07\x1b[31m\u202etxt.fdp\u200b\x7f\u0085 October"


def _case(run_cli, tmp_path: Path, **changes) -> None:
    code, _out, err = run_cli(
        "case", "new", "--from", str(write_case(tmp_path / "in", base_case(**changes)))
    )
    assert code == 0, err


def _font_cmap() -> set[int]:
    from reportlab.pdfbase import pdfmetrics

    from paperwork.render.pdf import FONT, register_upright_fonts

    register_upright_fonts()
    return set(pdfmetrics.getFont(FONT).face.charToGlyph)


def test_scrub_is_the_one_rule():
    from paperwork.core.controls import csv_row, csv_uncell, scrub

    assert scrub("Zoe\u0308") == "Zo\u00eb"
    assert scrub("a\u200db\u200bc\u00add\ufeff") == "abcd"
    assert scrub("x\x1b[31m\u202ey") == "x[31my"
    assert scrub("two\nlines\tok") == "two\nlines\tok"
    cells = csv_row(
        [
            '=HYPERLINK("http://x")',
            "+cmd|' /C calc'!A0",
            "@SUM(A1)",
            "-2+3+cmd|x",
            "\t=1",
            "\r=1",
            "plain",
            7,
        ]
    )
    assert all(not c.startswith(("=", "+", "-", "@", "\t", "\r")) for c in cells)
    assert cells[-2:] == ["plain", "7"]
    assert csv_uncell(cells[1]) == "+cmd|' /C calc'!A0"


def test_bundle_docx_with_control_characters_in_an_evidence_name(run_cli, tmp_path):
    _case(run_cli, tmp_path)
    source = blank_pdf(tmp_path / "in" / (HOSTILE_NAME + ".pdf"))
    code, out, err = run_cli("evidence", "add", "1", str(source), "--on", "2026-11-20")
    assert code == 0, err
    assert_terminal_safe(out + err)
    pdf, docx_path = tmp_path / "b.pdf", tmp_path / "b.docx"
    code, out, err = run_cli("bundle", "1", "--out", str(pdf), "--docx", str(docx_path))
    assert code == 0, err
    assert "unexpected" not in err
    text = pdf_text(pdf)
    assert "October" in text
    cmap = _font_cmap()
    for ch in text:
        assert ch.isspace() or unicodedata.category(ch) != "Cc", repr(ch)
        assert ch.isspace() or ord(ch) in cmap, f"tofu: U+{ord(ch):04X}"
    with zipfile.ZipFile(docx_path) as archive:
        xml = archive.read("word/document.xml").decode("utf-8")
    assert "\x07" not in xml and "\u202e" not in xml and "\u200b" not in xml


def test_ics_and_email_carry_no_controls():
    """Stored text is clean on entry; the writers still apply the one rule themselves."""
    from datetime import datetime

    from paperwork.core.model import LetterDocument
    from paperwork.letters.mail import build_message, message_bytes
    from paperwork.render.ics import ics_text

    hostile = "Charged twice\u200b for\u202e Oct\x07ober"
    assert ics_text(hostile) == "Charged twice for October"
    doc = LetterDocument(
        locale="en_US",
        sender_name=hostile,
        sender_lines=[hostile],
        sender_contact=[],
        recipient_lines=[hostile],
        place_date=hostile,
        date_iso="2026-11-26",
        references=[(hostile, hostile)],
        subject=hostile,
        salutation=hostile,
        paragraphs=[hostile],
        closing=hostile,
        signature=hostile,
    )
    raw = message_bytes(
        build_message(
            doc,
            b"%PDF-1.4",
            "letter\u202e.pdf",
            to=("Acme\u200b", "billing@acme.example"),
            sender=("Jordan\x07", "jordan@example.org"),
            now=datetime(2026, 11, 26, tzinfo=UTC),
        )
    )
    for bad in ("\u200b", "\u202e", "\x07"):
        assert bad.encode("utf-8") not in raw


FORMULAS = [
    '=HYPERLINK("http://evil.example","x")',
    "+cmd|' /C calc'!A0",
    "@SUM(A1:A9)",
    "-2+3+cmd|' /C calc'!A0",
]


def test_campaign_csv_outputs_neutralise_formulas(run_cli, tmp_path, us_case_file):
    rows = []
    for i, formula in enumerate(FORMULAS):
        rows.append(
            {
                "sender.name": formula,
                "sender.address": f"{i + 1} Elm Street\nSpringfield, IL 62704",
                "sender.country": "US",
                "sender.email": "x@example.org" if i % 2 else formula,  # half refused: a bad e-mail
                "account_number": formula,
            }
        )
    campaign, members = campaign_files(tmp_path, rows)
    out_dir = tmp_path / "out"
    code, _out, err = run_cli(*campaign_args(campaign, members, out_dir))
    assert code == 2, err
    for name in ("letters.csv", "refused.csv"):
        with open(out_dir / name, encoding="utf-8", newline="") as handle:
            cells = [c for row in csv.reader(handle) for c in row]
        assert cells and all(not c.startswith(("=", "+", "-", "@", "\t", "\r")) for c in cells), (
            name
        )


def test_campaign_template_round_trips_its_quoted_phone(run_cli, tmp_path, us_case_file):
    members = tmp_path / "m.csv"
    code, _t, err = run_cli("campaign", "template", "--out", str(members))
    assert code == 0, err
    text = members.read_text(encoding="utf-8")
    assert "'+1 217" in text
    campaign, _unused = campaign_files(tmp_path, [{"sender.name": "x"}])
    code, _o, err = run_cli(
        *campaign_args(campaign, members, tmp_path / "o", "--jobs", "1", "--track")
    )
    assert code == 0, err
    code, _out, err = run_cli("case", "show", "1", "--json")
    assert code == 0


def test_short_ragged_row_is_refused_like_a_long_one(run_cli, tmp_path, us_case_file):
    campaign, members = campaign_files(
        tmp_path,
        [
            {
                "sender.name": "A",
                "sender.address": "1 A St\nB, IL 1",
                "sender.country": "US",
                "account_number": "77-1",
            }
        ],
    )
    with open(members, "a", encoding="utf-8", newline="") as handle:
        handle.write('Short Row,"2 B St\nC, IL 2"\r\n')  # two cells of four
        handle.write('Long Row,"3 C St\nD, IL 3",US,88-2,extra\r\n')
    code, _out, err = run_cli(*campaign_args(campaign, members, tmp_path / "o"))
    assert code == 2
    assert "row 3:" in err and "row 4:" in err and "cells but the header has 4" in err


def test_latin1_members_file_gets_a_utf8_hint(run_cli, tmp_path):
    campaign, members = campaign_files(tmp_path, [{"sender.name": "A"}])
    members.write_bytes(
        'sender.name,sender.address,sender.country\nJos\xe9 M\xfcller,"1 A\nB",US\n'.encode(
            "latin-1"
        )
    )
    code, out, err = run_cli(*campaign_args(campaign, members, tmp_path / "o"))
    assert_clean_refusal(code, out, err)
    assert "UTF-8" in err and "re-save" in err


def test_newline_in_a_file_name_is_never_echoed_raw(run_cli, tmp_path):
    _case(run_cli, tmp_path)
    source = blank_pdf(tmp_path / "in" / "two\nlines.pdf")
    code, out, err = run_cli("evidence", "add", "1", str(source), "--on", "2026-11-20")
    assert code == 0, err
    assert "two\nlines" not in out + err and "two\\nlines" in out
    code, out, err = run_cli("export", "--out", str(tmp_path / "a\nb.json"))
    assert code == 0, err
    assert "a\nb" not in out


def test_jpeg_comment_does_not_reach_the_bundle(run_cli, tmp_path):
    from PIL import Image

    _case(run_cli, tmp_path)
    photo = tmp_path / "in" / "photo.jpg"
    Image.new("RGB", (64, 48), "red").save(photo, "JPEG", comment=b"SECRET-COMMENT-home-address")
    code, _o, err = run_cli("evidence", "add", "1", str(photo), "--on", "2026-11-20")
    assert code == 0, err
    code, _out, err = run_cli(
        "bundle", "1", "--out", str(tmp_path / "b.pdf"), "--docx", str(tmp_path / "b.docx")
    )
    assert code == 0, err
    assert b"SECRET-COMMENT" not in (tmp_path / "b.pdf").read_bytes()
    with zipfile.ZipFile(tmp_path / "b.docx") as archive:
        for name in archive.namelist():
            assert b"SECRET-COMMENT" not in archive.read(name), name


def test_library_warnings_go_to_the_log_not_stderr(tmp_path):
    """A PDF that makes pypdf complain: nothing of it on stderr, all of it in the log."""
    home = tmp_path / "home"
    case = write_case(tmp_path / "in", base_case())
    assert run_paperwork(home, "case", "new", "--from", str(case)).returncode == 0
    good = blank_pdf(tmp_path / "in" / "ok.pdf").read_bytes()
    # a wrong startxref offset: readable, but pypdf warns about it
    broken = good.replace(b"startxref\n", b"startxref\n9").replace(
        b"startxref\r\n", b"startxref\r\n9"
    )
    (tmp_path / "in" / "odd.pdf").write_bytes(broken)
    added = run_paperwork(home, "evidence", "add", "1", str(tmp_path / "in" / "odd.pdf"))
    bundle = run_paperwork(home, "bundle", "1", "--out", str(tmp_path / "b.pdf"))
    for done in (added, bundle):
        assert "warn" not in done.stderr.lower() and "pypdf" not in done.stderr, done.stderr
        assert str(tmp_path) not in done.stderr or done.returncode == 2
    assert "pypdf" in (home / "logs" / "paperwork.log").read_text(encoding="utf-8")


@pytest.mark.parametrize("text", ["Zoe\u0308 Smith", "Zo\u00eb Smith"])
def test_decomposed_accents_print_as_one_letter(run_cli, tmp_path, text):
    sender = dict(base_case()["sender"], name=text)
    _case(run_cli, tmp_path, sender=sender)
    code, _o, err = run_cli("letter", "draft", "1", "--kind", "complaint", "--on", "2026-11-20")
    assert code == 0, err
    code, _out, err = run_cli(
        "letter", "render", "1", "--out", str(tmp_path / "o"), "--format", "pdf"
    )
    assert code == 0, err
    text_out = pdf_text(next((tmp_path / "o").glob("*.pdf")))
    assert "Zo\u00eb Smith" in unicodedata.normalize("NFC", text_out)
    assert "\u0308" not in text_out
