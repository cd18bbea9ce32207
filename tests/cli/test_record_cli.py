"""The record's commands end to end: evidence, chronology, bundle, envelope, letter email."""

from __future__ import annotations

import email
import io
import socketserver
import threading
from email import policy
from pathlib import Path

import pytest

from paperwork.services.demo import sample_case_path


def last_line(text: str) -> str:
    return text.strip().splitlines()[-1]


@pytest.fixture
def case_with_letter(run_cli):
    code, out, err = run_cli("case", "new", "--from", str(sample_case_path()), "--on", "2026-10-10")
    assert code == 0, err
    case_id = last_line(out)
    code, out, err = run_cli(
        "letter", "draft", case_id, "--kind", "complaint", "--on", "2026-10-12"
    )
    assert code == 0, err
    letter_id = last_line(out)
    return case_id, letter_id


def _pdf(path: Path, pages: int = 2) -> Path:
    from pypdf import PdfWriter

    writer = PdfWriter()
    for _ in range(pages):
        writer.add_blank_page(612, 792)
    with open(path, "wb") as handle:
        writer.write(handle)
    return path


def test_evidence_add_prints_the_id_and_refuses_bad_files(
    run_cli, case_with_letter, tmp_path, home
):
    case_id, _ = case_with_letter
    code, out, err = run_cli(
        "evidence",
        "add",
        case_id,
        str(_pdf(tmp_path / "bill.pdf")),
        "--title",
        "October bill",
        "--on",
        "2026-10-03",
    )
    assert code == 0, err
    assert last_line(out).isdigit()
    assert "October bill" in out
    bad = tmp_path / "notes.docx"
    bad.write_bytes(b"PK\x03\x04 not evidence")
    code, out, err = run_cli("evidence", "add", case_id, str(bad))
    assert code == 2
    assert err.strip().splitlines() == [
        f"paperwork: {bad}: is not a PDF, PNG or JPEG file; scan or export it as one of those."
    ]
    assert "Traceback" not in err
    code, _, err = run_cli("evidence", "add", "42", str(tmp_path / "bill.pdf"))
    assert code == 2 and "no case with id 42" in err
    assert len(list((home / "files").iterdir())) == 1


def test_chronology_writes_pdf_and_docx(run_cli, case_with_letter, tmp_path):
    from docx import Document
    from pypdf import PdfReader

    case_id, letter_id = case_with_letter
    assert run_cli("letter", "sent", letter_id, "--on", "2026-10-12", "--via", "certified")[0] == 0
    assert (
        run_cli(
            "log",
            "call",
            case_id,
            "--on",
            "2026-10-20",
            "--waited",
            "50",
            "--duration",
            "5",
            "--rep",
            "Sam",
        )[0]
        == 0
    )
    code, out, err = run_cli(
        "chronology",
        case_id,
        "--out",
        str(tmp_path / "c.pdf"),
        "--docx",
        str(tmp_path / "c.docx"),
        "--on",
        "2026-11-26",
    )
    assert code == 0, err
    assert out.split() == [str(tmp_path / "c.pdf"), str(tmp_path / "c.docx")]
    text = "".join(p.extract_text() for p in PdfReader(tmp_path / "c.pdf").pages)
    assert "Chronology: Charged twice" in text and "50 min on hold" in text and "MISSED" in text
    assert "Page 1 of 1" in text
    cells = [
        c.text for t in Document(str(tmp_path / "c.docx")).tables for r in t.rows for c in r.cells
    ]
    assert any("50 min on hold" in c for c in cells)


def test_bundle_command(run_cli, case_with_letter, tmp_path):
    from PIL import Image
    from pypdf import PdfReader

    case_id, letter_id = case_with_letter
    assert run_cli("letter", "sent", letter_id, "--on", "2026-10-12", "--via", "certified")[0] == 0
    Image.new("RGB", (1200, 900), "green").save(tmp_path / "photo.jpg")
    assert run_cli("evidence", "add", case_id, str(tmp_path / "photo.jpg"))[0] == 0
    out_pdf, out_docx = tmp_path / "b" / "bundle.pdf", tmp_path / "b" / "bundle.docx"
    code, out, err = run_cli(
        "bundle", case_id, "--out", str(out_pdf), "--docx", str(out_docx), "--on", "2026-11-26"
    )
    assert code == 0, err
    assert out.strip().splitlines()[-2:] == [str(out_pdf), str(out_docx)]
    reader = PdfReader(out_pdf)
    pages = len(reader.pages)
    assert f"Bundle of {pages} pages" in out
    assert f"Page {pages} of {pages}" in reader.pages[-1].extract_text()
    assert out_pdf.stat().st_mode & 0o777 == 0o600
    code, _, err = run_cli("bundle", "77", "--out", str(tmp_path / "x.pdf"))
    assert code == 2 and "no case with id 77" in err and not (tmp_path / "x.pdf").exists()


def test_envelope_command(run_cli, case_with_letter, tmp_path):
    from pypdf import PdfReader

    _, letter_id = case_with_letter
    code, _out, err = run_cli("envelope", letter_id, "--out", str(tmp_path / "env.pdf"))
    assert code == 0, err
    page = PdfReader(tmp_path / "env.pdf").pages[0]
    assert round(float(page.mediabox.width)) == 684  # a #10 envelope, 9.5 in
    assert "Acme Broadband, Inc." in page.extract_text()


class _SMTPHandler(socketserver.StreamRequestHandler):
    """Just enough SMTP (RFC 5321) for smtplib: EHLO, MAIL, RCPT, DATA, QUIT."""

    def handle(self) -> None:
        server = self.server
        self.wfile.write(b"220 localhost test SMTP\r\n")
        envelope = {"rcpt": []}
        while True:
            line = self.rfile.readline()
            if not line:
                return
            verb = line[:4].upper()
            if verb in (b"EHLO", b"HELO"):
                self.wfile.write(b"250-localhost\r\n250 8BITMIME\r\n")
            elif verb == b"MAIL":
                envelope["from"] = line.decode().strip()
                self.wfile.write(b"250 OK\r\n")
            elif verb == b"RCPT":
                envelope["rcpt"].append(line.decode().strip())
                self.wfile.write(b"250 OK\r\n")
            elif verb == b"DATA":
                self.wfile.write(b"354 go ahead\r\n")
                data = io.BytesIO()
                while (chunk := self.rfile.readline()) not in (b".\r\n", b""):
                    data.write(chunk[1:] if chunk.startswith(b"..") else chunk)
                server.received.append((envelope, data.getvalue()))  # type: ignore[attr-defined]
                self.wfile.write(b"250 queued\r\n")
            elif verb == b"QUIT":
                self.wfile.write(b"221 bye\r\n")
                return
            else:
                self.wfile.write(b"250 OK\r\n")


@pytest.fixture
def smtp_server():
    server = socketserver.ThreadingTCPServer(("127.0.0.1", 0), _SMTPHandler)
    server.daemon_threads = True
    server.received = []  # type: ignore[attr-defined]
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server
    server.shutdown()
    server.server_close()


def test_letter_email_writes_eml_and_sends_it(
    run_cli, case_with_letter, tmp_path, home, smtp_server
):
    _, letter_id = case_with_letter
    port = smtp_server.server_address[1]
    (home / "config.toml").write_text(
        f'[smtp]\nhost = "127.0.0.1"\nport = {port}\nstarttls = false\nfrom = "me@example.org"\n',
        encoding="utf-8",
    )
    eml = tmp_path / "letter.eml"
    code, out, err = run_cli("letter", "email", letter_id, "--out", str(eml), "--send")
    assert code == 0, err
    assert last_line(out) == str(eml)
    assert f"paperwork letter sent {letter_id} --via email" in out
    assert len(smtp_server.received) == 1
    envelope, data = smtp_server.received[0]
    assert "me@example.org" in envelope["from"] and "billing@acme.example" in envelope["rcpt"][0]
    sent = email.message_from_bytes(data, policy=policy.default)
    saved = email.message_from_bytes(eml.read_bytes(), policy=policy.default)
    assert sent["Message-ID"] == saved["Message-ID"]
    attachment = next(saved.iter_attachments())
    assert attachment.get_content().startswith(b"%PDF-")
    assert "refund the duplicate charge" in saved.get_body(("plain",)).get_content()


def test_letter_email_without_send_and_smtp_failures(run_cli, case_with_letter, tmp_path, home):
    _, letter_id = case_with_letter
    code, _, err = run_cli("letter", "email", letter_id, "--out", str(tmp_path / "a.eml"))
    assert code == 0, err
    assert (tmp_path / "a.eml").is_file()
    code, _, err = run_cli("letter", "email", letter_id, "--out", str(tmp_path / "b.eml"), "--send")
    assert code == 2 and "smtp.host: no SMTP server configured" in err
    # a server that is not there: one clear line naming it
    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        free_port = probe.getsockname()[1]
    (home / "config.toml").write_text(
        f'[smtp]\nhost = "127.0.0.1"\nport = {free_port}\nstarttls = false\n', encoding="utf-8"
    )
    code, _out, err = run_cli(
        "letter", "email", letter_id, "--out", str(tmp_path / "c.eml"), "--send"
    )
    assert code == 2
    lines = err.strip().splitlines()
    assert len(lines) == 1 and f"127.0.0.1:{free_port}: sending failed" in lines[0]
