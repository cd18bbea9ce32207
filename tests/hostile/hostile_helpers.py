"""Shared pieces of the hostile-input, crash and concurrency tests.

Kept out of a conftest.py on purpose: tests/ has no packages, so a second
conftest module would clash with tests/conftest.py by name.
"""

from __future__ import annotations

import copy
import io
import json
import os
import re
import subprocess
import sys
import unicodedata
from datetime import date
from pathlib import Path
from typing import Any

TODAY = date(2026, 11, 26)
HERE = Path(__file__).parent
DATA = HERE / "data"
ROOT = HERE.parent.parent

BASE_CASE: dict[str, Any] = {
    "title": "Charged twice for October service",
    "jurisdiction": "US-IL",
    "locale": "en_US",
    "category": "billing",
    "company": {
        "name": "Acme Broadband, Inc.",
        "department": "Customer Relations",
        "address": ["PO Box 1234", "Springfield, IL 62701"],
        "country": "US",
        "email": "billing@acme.example",
        "social": "@AcmeBroadband",
    },
    "sender": {
        "name": "Jordan Rivera",
        "address": ["12 Elm Street, Apt 3", "Springfield, IL 62704"],
        "country": "US",
        "email": "jordan@example.org",
        "phone": "+1 217 555 0100",
    },
    "account_number": "4471-9920",
    "references": ["Ticket 88812"],
    "summary": "My October statement charged the monthly plan twice.",
    "facts": [
        {"on": "2026-10-03", "text": "Your statement dated October 3 shows two charges of $89.99."},
        {
            "on": "2026-10-09",
            "text": "I called support; the agent promised a refund within 5 days.",
        },
    ],
    "remedy": "Refund the duplicate charge of $89.99 and confirm in writing.",
    "amount": {"value": "89.99", "currency": "USD"},
    "ladder": "standard",
}


def base_case(**changes: Any) -> dict[str, Any]:
    """A deep copy of the base case with top-level keys replaced."""
    data = copy.deepcopy(BASE_CASE)
    data.update(changes)
    return data


def set_path(data: dict, path: str, value: Any) -> dict:
    """Set ``a.b.0`` style paths inside a case dict (in place); returns it."""
    parts = path.split(".")
    node: Any = data
    for part in parts[:-1]:
        node = node[int(part)] if isinstance(node, list) else node[part]
    last = parts[-1]
    if isinstance(node, list):
        node[int(last)] = value
    else:
        node[last] = value
    return data


def write_case(folder: Path, data: dict, name: str = "case.json") -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    return path


# ---------------------------------------------------------------------------
# Extracting text from what was rendered


def pdf_text(data: bytes | Path) -> str:
    from pypdf import PdfReader

    raw = data.read_bytes() if isinstance(data, Path) else data
    reader = PdfReader(io.BytesIO(raw))
    return "\n".join(page.extract_text() or "" for page in reader.pages)


def docx_text(data: bytes | Path) -> str:
    import docx

    raw = data.read_bytes() if isinstance(data, Path) else data
    document = docx.Document(io.BytesIO(raw))
    parts: list[str] = []

    def walk(container) -> None:
        for paragraph in container.paragraphs:
            parts.append(paragraph.text)
        for table in container.tables:
            for row in table.rows:
                for cell in row.cells:
                    walk(cell)

    walk(document)
    for section in document.sections:
        walk(section.header)
        walk(section.footer)
        walk(section.first_page_header)
        walk(section.first_page_footer)
    # text boxes (the window address may sit in one) are only reachable through the XML
    body = document.element.body
    for node in body.iter():
        if node.tag.endswith("}txbxContent"):
            parts.append("".join(t.text or "" for t in node.iter() if t.tag.endswith("}t")))
    return "\n".join(parts)


_PAGE_FURNITURE = re.compile(r"^(?:.* · )?(?:Page|Seite|Página|Page) \d+ (?:of|von|de|sur) \d+$")


def pdf_body_text(data: bytes | Path) -> str:
    """The PDF's text without the page furniture ("Page 2 of 5", continuation headers)
    that layout puts between the lines of a long paragraph."""
    return "\n".join(
        line for line in pdf_text(data).splitlines() if not _PAGE_FURNITURE.match(line.strip())
    )


def squash(text: str) -> str:
    """Compare rendered text without the line breaks and spaces layout adds."""
    text = unicodedata.normalize("NFC", text)
    return "".join(ch for ch in text if not ch.isspace())


# ---------------------------------------------------------------------------
# Subprocesses


def subprocess_env(home: Path, **extra: str) -> dict[str, str]:
    env = dict(os.environ)
    env["PAPERWORK_HOME"] = str(home)
    env["LANG"] = "C.UTF-8"
    env.pop("LC_ALL", None)
    # the checkout first, whichever way the package was installed
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(ROOT), env.get("PYTHONPATH", "")]))
    env.update(extra)
    return env


def paperwork_cmd(*args: str) -> list[str]:
    return [sys.executable, "-m", "paperwork", *args]


def run_paperwork(
    home: Path, *args: str, timeout: float = 120, **extra: str
) -> subprocess.CompletedProcess:
    return subprocess.run(
        paperwork_cmd("--home", str(home), *args),
        env=subprocess_env(home, **extra),
        capture_output=True,
        text=True,
        timeout=timeout,
        cwd=str(home.parent),
    )


def assert_clean_refusal(code: int, out: str, err: str, lines: int | None = 1) -> None:
    """Exit 2, a message on stderr of ``lines`` line(s), no traceback, no raw control chars."""
    assert code == 2, (code, out, err)
    assert "Traceback" not in err and "Traceback" not in out
    text = err.strip()
    assert text, "a refusal must say why"
    if lines is not None:
        assert len(text.splitlines()) == lines, err
    assert_terminal_safe(out + err)


def assert_terminal_safe(text: str) -> None:
    """Nothing that could drive a terminal: no C0 controls but newline/tab, no ESC, no bidi overrides."""
    bad = [
        ch
        for ch in text
        if (unicodedata.category(ch) == "Cc" and ch not in "\n\t")
        or 0x202A <= ord(ch) <= 0x202E
        or 0x2066 <= ord(ch) <= 0x2069
    ]
    assert not bad, f"raw control characters reached the terminal: {[hex(ord(c)) for c in bad]}"


# ---------------------------------------------------------------------------
# Files the reliability tests feed in

from clikit import blank_pdf  # noqa: E402, F401  (one helper for every test folder)


def campaign_files(folder: Path, rows: list[dict[str, str]]) -> tuple[Path, Path]:
    """The shipped sample case without its personal parts, and a members CSV of ``rows``."""
    import csv

    from paperwork.services.demo import sample_case_path

    campaign = json.loads(sample_case_path().read_text(encoding="utf-8"))
    for key in ("sender", "account_number", "references", "amount"):
        campaign.pop(key, None)
    campaign_path = folder / "campaign.json"
    campaign_path.write_text(json.dumps(campaign), encoding="utf-8")
    members = folder / "members.csv"
    with open(members, "w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    return campaign_path, members


def campaign_args(campaign: Path, members: Path, out: Path, *extra: str) -> list[str]:
    """``campaign render`` of a complaint on the tests' day, one worker unless told."""
    return [
        "campaign", "render", str(campaign), str(members), "--kind", "complaint",
        "--out", str(out), "--on", TODAY.isoformat(), *(extra or ("--jobs", "1")),
    ]  # fmt: skip
