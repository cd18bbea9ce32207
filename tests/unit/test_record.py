"""The case record: evidence checks, the chronology, the e-mail message."""

from __future__ import annotations

import email
import io
from datetime import UTC, date, datetime
from email import policy
from pathlib import Path

import pytest
from letterkit import give_record

from paperwork.core.errors import NotFound, UserError
from paperwork.core.schema import CaseFileSchema, load_with, read_structured_file
from paperwork.services import record
from paperwork.services.cases import edit_case, new_case
from paperwork.services.demo import sample_case_path
from paperwork.services.events import log_event
from paperwork.services.letters import draft_letter, mark_sent, render_bytes

TODAY = date(2026, 11, 26)


@pytest.fixture
def case_id(pw) -> int:
    path = sample_case_path()
    case = load_with(CaseFileSchema(), read_structured_file(path), path.name)
    return new_case(pw, case, date(2026, 10, 10), source=path.name)


def _pdf_bytes(pages: int = 2) -> bytes:
    from pypdf import PdfWriter

    writer = PdfWriter()
    for _ in range(pages):
        writer.add_blank_page(612, 792)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def _kept(pw) -> list[Path]:
    folder = pw.store.files_dir
    return sorted(folder.iterdir()) if folder.exists() else []


def test_pdf_evidence_is_kept_hashed_and_titled(pw, case_id, tmp_path):
    import hashlib

    data = _pdf_bytes(2)
    source = tmp_path / "bank_statement.pdf"
    source.write_bytes(data)
    event = record.add_evidence(pw, case_id, source, date(2026, 10, 3))
    assert event.kind == "evidence" and event.on == date(2026, 10, 3)
    assert event.data == {
        "title": "bank statement",
        "sha256": hashlib.sha256(data).hexdigest(),
        "filename": "bank_statement.pdf",
        "media_type": "application/pdf",
        "size": len(data),
        "pages": 2,
    }
    kept = record.evidence_path(pw, event)
    assert kept.read_bytes() == data
    assert kept.stat().st_mode & 0o777 == 0o600
    source.unlink()  # the kept copy does not depend on the original
    assert kept.is_file()
    assert [e.data["title"] for e in pw.store.events(case_id)] == ["bank statement"]


def test_image_evidence_records_its_size(pw, case_id, tmp_path):
    from PIL import Image

    source = tmp_path / "IMG_0001.JPG"
    Image.new("RGB", (300, 200), "red").save(source, "JPEG")
    event = record.add_evidence(pw, case_id, source, TODAY, title="  Damaged   box ")
    assert event.data["media_type"] == "image/jpeg"
    assert event.data["title"] == "Damaged box"
    assert (event.data["width"], event.data["height"], event.data["pages"]) == (300, 200, 1)
    assert record.evidence_path(pw, event).suffix == ".jpg"


def _encrypted_pdf() -> bytes:
    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(_pdf_bytes(1))))
    writer.encrypt(user_password="secret", owner_password="owner")
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("notes.txt", b"just some text", "is not a PDF, PNG or JPEG file"),
        ("fake.pdf", b"%PDF-1.7\n garbage garbage \n%%EOF", "is a damaged PDF"),
        ("locked.pdf", None, "encrypted"),
        ("broken.jpg", b"\xff\xd8\xff\xe0" + b"\x00" * 64, "is a damaged image"),
        ("broken.png", b"\x89PNG\r\n\x1a\n" + b"\x00" * 64, "is a damaged image"),
        ("empty.pdf", b"", "is empty"),
    ],
)
def test_bad_evidence_is_refused_and_nothing_kept(pw, case_id, tmp_path, name, content, message):
    source = tmp_path / name
    source.write_bytes(_encrypted_pdf() if content is None else content)
    with pytest.raises(UserError) as caught:
        record.add_evidence(pw, case_id, source, TODAY)
    assert len(caught.value.problems) == 1
    line = caught.value.problems[0]
    assert line.startswith(f"{source}: ") and message in line
    assert _kept(pw) == []
    assert pw.store.events(case_id) == []


def test_huge_and_missing_files_are_refused(pw, case_id, tmp_path, monkeypatch):
    monkeypatch.setattr(record, "MAX_EVIDENCE_BYTES", 1000)
    source = tmp_path / "big.pdf"
    source.write_bytes(_pdf_bytes(1) + b"\n" * 2000)
    with pytest.raises(UserError, match="evidence is limited to"):
        record.add_evidence(pw, case_id, source, TODAY)
    with pytest.raises(UserError, match="no such file"):
        record.add_evidence(pw, case_id, tmp_path / "nope.pdf", TODAY)
    with pytest.raises(NotFound):
        record.add_evidence(pw, 99, source, TODAY)
    assert _kept(pw) == []


def test_decompression_bomb_is_refused(pw, case_id, tmp_path, monkeypatch):
    from PIL import Image

    monkeypatch.setattr(record, "MAX_IMAGE_PIXELS", 100 * 100)
    source = tmp_path / "wide.png"
    Image.new("1", (200, 200)).save(source)
    with pytest.raises(UserError, match="too large to print"):
        record.add_evidence(pw, case_id, source, TODAY)


def test_evidence_titles_become_enclosures(pw, case_id, tmp_path):
    source = tmp_path / "s.pdf"
    source.write_bytes(_pdf_bytes(1))
    record.add_evidence(pw, case_id, source, TODAY, title="October statement")
    letter = draft_letter(pw, case_id, "complaint", TODAY)
    assert letter.document.enclosures == ["October statement"]


def test_chronology_orders_everything_and_flags_missed_deadlines(pw, case_id, tmp_path):
    first = draft_letter(pw, case_id, "complaint", date(2026, 10, 12))
    mark_sent(pw, first.id, date(2026, 10, 12), "certified", "9400111")
    log_event(
        pw,
        case_id,
        "call",
        date(2026, 10, 20),
        {"waited": 45, "duration": 10, "rep": "Dana", "ref": "R-55", "promised": "a refund"},
    )
    source = tmp_path / "s.pdf"
    source.write_bytes(_pdf_bytes(1))
    record.add_evidence(pw, case_id, source, date(2026, 10, 3), title="Statement")
    second = draft_letter(pw, case_id, "follow_up", date(2026, 11, 21))
    mark_sent(pw, second.id, date(2026, 11, 21), "email")

    entries = record.chronology(pw, case_id, TODAY)
    assert [e.on for e in entries] == sorted(e.on for e in entries)
    kinds = [e.kind for e in entries]
    assert kinds.count("fact") == 3 and kinds.count("letter") == 2 and kinds.count("call") == 1
    evidence = next(e for e in entries if e.kind == "evidence")
    assert evidence.ref == "E1" and "Statement" in evidence.text
    call = next(e for e in entries if e.kind == "call")
    assert "45 min on hold" in call.text and "Dana" in call.text and call.ref == "R-55"
    deadlines = [e for e in entries if e.kind == "deadline"]
    assert deadlines[0].text.startswith("MISSED") and deadlines[0].ref == f"letter {first.id}"
    assert deadlines[0].on == date(2026, 11, 2)
    assert "still running" in deadlines[1].text
    # on the same day a fact comes before the letter sent about it
    letter = next(e for e in entries if e.kind == "letter")
    assert "certified" in letter.text and "9400111" in letter.text


def test_a_late_reply_still_counts_as_a_missed_deadline(pw, case_id):
    first = draft_letter(pw, case_id, "complaint", date(2026, 10, 12))
    mark_sent(pw, first.id, date(2026, 10, 12), "certified")
    log_event(
        pw,
        case_id,
        "response",
        date(2026, 11, 20),
        {"summary": "Looking into it", "resolved": False},
    )
    entries = record.chronology(pw, case_id, TODAY)
    deadline = next(e for e in entries if e.kind == "deadline")
    assert deadline.text.startswith("MISSED") and "reply only on November 20, 2026" in deadline.text
    reply = next(e for e in entries if e.kind == "response")
    assert entries.index(deadline) < entries.index(reply)


def test_email_message_has_the_letter_and_the_pdf(pw, case_id):
    letter = draft_letter(pw, case_id, "complaint", TODAY)
    message = record.letter_email(pw, letter.id, datetime(2026, 11, 26, 9, 30, tzinfo=UTC))
    from paperwork.letters.mail import message_bytes

    raw = message_bytes(message)
    assert b"\r\n" in raw and b"\n" not in raw.replace(b"\r\n", b"")
    parsed = email.message_from_bytes(raw, policy=policy.default)
    assert parsed["To"] == '"Acme Broadband, Inc." <billing@acme.example>'
    assert parsed["From"] == "Jordan Rivera <jordan@example.org>"
    assert parsed["Subject"].strip() == letter.document.subject
    assert parsed["Date"] == "Thu, 26 Nov 2026 09:30:00 +0000"
    assert parsed["Message-ID"].endswith("@example.org>")
    body = parsed.get_body(("plain",)).get_content()
    assert "refund the duplicate charge" in body and "Jordan Rivera" in body
    attachments = list(parsed.iter_attachments())
    assert len(attachments) == 1
    pdf = attachments[0]
    assert pdf.get_content_type() == "application/pdf"
    assert pdf.get_filename().endswith(".pdf")
    assert pdf.get_content() == render_bytes(pw, letter, "pdf")


def test_email_needs_a_company_address(pw, case_id):
    edit_case(
        pw,
        case_id,
        {"company": pw.store.case(case_id).company.__class__(name="Acme", address=["PO Box 1"])},
    )
    letter = draft_letter(pw, case_id, "complaint", TODAY)
    with pytest.raises(UserError, match="has no e-mail address"):
        record.letter_email(pw, letter.id, datetime(2026, 11, 26, tzinfo=UTC))


def test_a_regulator_letter_is_not_emailed_to_the_company(pw):
    path = Path(__file__).parent.parent / "data" / "case_gb.toml"
    data = read_structured_file(path)
    data["contacts"] = [
        {
            "role": "regulator",
            "name": "Communications Ombudsman",
            "address": ["PO Box 730", "Warrington", "WA4 6WU"],
        }
    ]
    case = load_with(CaseFileSchema(), data, path.name)
    case_id = new_case(pw, case, date(2026, 10, 1), source=path.name)
    give_record(pw, case_id, TODAY)
    letter = draft_letter(pw, case_id, "regulator_complaint", TODAY)
    with pytest.raises(UserError, match="addressed to a regulator"):
        record.letter_email(pw, letter.id, datetime(2026, 11, 26, tzinfo=UTC))
