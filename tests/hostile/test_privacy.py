"""Privacy and damage control: permissions whatever the umask, a corrupt
database, a full disk, and the redacted export."""

from __future__ import annotations

import copy
import errno
import hashlib
import json
import os
import sqlite3
import stat
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest
from hostile_helpers import (
    TODAY,
    assert_terminal_safe,
    base_case,
    subprocess_env,
    write_case,
)
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from paperwork.services.cases import new_case, set_profile
from paperwork.services.events import log_event
from paperwork.services.letters import draft_letter, mark_sent


def _mode(path: Path) -> int:
    return stat.S_IMODE(os.lstat(path).st_mode)


# One interpreter runs every step (the command line in-process), so the umask
# is set once and start-up is paid once.
STEPS_SCRIPT = r"""
import json, os, sys
os.umask(int(sys.argv[1], 8))
from paperwork.cli.main import main
for args in json.loads(sys.argv[2]):
    try:
        main(args)
    except SystemExit as exc:
        if exc.code not in (0, None):
            print("step failed:", args, exc.code, file=sys.stderr)
            sys.exit(3)
"""


@pytest.mark.parametrize("umask", [0o000, 0o022], ids=["umask000", "umask022"])
def test_folder_0700_and_files_0600_whatever_the_umask(tmp_path, umask):
    home = tmp_path / "home"
    out = tmp_path / "letters"
    case_file = write_case(tmp_path, base_case())
    evidence = tmp_path / "receipt.pdf"
    from reportlab.pdfgen.canvas import Canvas

    canvas = Canvas(str(evidence))
    canvas.drawString(72, 720, "receipt")
    canvas.save()
    steps = [
        ("case", "new", "--from", str(case_file), "--on", "2026-11-02"),
        ("evidence", "add", "1", str(evidence), "--on", "2026-11-02"),
        ("letter", "draft", "1", "--kind", "complaint", "--on", "2026-11-02", "--window", "14d"),
        ("letter", "render", "1", "--out", str(out)),
        ("letter", "sent", "1", "--on", "2026-11-02", "--via", "email"),
        ("reissue", "--on", TODAY.isoformat(), "--out", str(out)),
        ("export", "--out", str(tmp_path / "export.json")),
        (
            "bundle",
            "1",
            "--out",
            str(out / "bundle.pdf"),
            "--docx",
            str(out / "bundle.docx"),
            "--on",
            TODAY.isoformat(),
        ),
        ("calendar", "--out", str(out / "deadlines.ics")),
    ]
    argv = [["--home", str(home), *step] for step in steps]
    done = subprocess.run(
        [sys.executable, "-c", STEPS_SCRIPT, oct(umask)[2:], json.dumps(argv)],
        env=subprocess_env(home),
        cwd=str(tmp_path),
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    assert _mode(home) == 0o700
    problems = []
    for path in [home, *home.rglob("*"), *out.rglob("*"), tmp_path / "export.json"]:
        if path.is_symlink():
            continue
        want = 0o700 if path.is_dir() else 0o600
        if _mode(path) & ~want:
            problems.append(f"{path.relative_to(tmp_path)}: {oct(_mode(path))}, want {oct(want)}")
    assert problems == [], "\n".join(problems)


# ---------------------------------------------------------------------------
# A corrupt database


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _good_store(home: Path) -> None:
    from paperwork.core.schema import CaseFileSchema, load_with
    from paperwork.services.session import Paperwork

    pw = Paperwork(home)
    for number in range(3):
        new_case(
            pw,
            load_with(
                CaseFileSchema(), base_case(title=f"Case {number}", summary="s" * 3000), "case"
            ),
            TODAY,
        )
    pw.close()
    conn = sqlite3.connect(home / "paperwork.db")
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    conn.close()


CORRUPTIONS = {
    "garbage": lambda raw: os.urandom(4096) + b"not a database" * 100,
    "text-file": lambda raw: b"title = 'I am TOML, not SQLite'\n" * 50,
    "header-kept-pages-garbled": lambda raw: raw[:100] + bytes(b ^ 0x5A for b in raw[100:]),
    "truncated": lambda raw: raw[: len(raw) // 3],
    "pages-zeroed": lambda raw: raw[:4096] + b"\x00" * (len(raw) - 4096),
}


@pytest.mark.parametrize("how", sorted(CORRUPTIONS))
@pytest.mark.parametrize(
    "command",
    [("case", "list"), ("case", "show", "1"), ("due", "--on", "2026-11-26")],
    ids=["case-list", "case-show", "due"],
)
def test_a_corrupt_database_gives_one_clear_line_and_is_left_unchanged(run_cli, home, how, command):
    _good_store(home)
    db = home / "paperwork.db"
    db.write_bytes(CORRUPTIONS[how](db.read_bytes()))
    for side in ("-wal", "-shm"):
        Path(f"{db}{side}").unlink(missing_ok=True)
    before = _digest(db)
    code, out, err = run_cli(*command)
    assert code in (1, 2), (code, out, err)
    assert "Traceback" not in out + err
    assert_terminal_safe(out + err)
    lines = err.strip().splitlines()
    assert len(lines) == 1, err
    assert "paperwork.db" in lines[0] and "unexpected error" not in lines[0], lines[0]
    assert _digest(db) == before, "the corrupt database was modified"
    assert sorted(p.name for p in home.glob("paperwork.db.v*.bak")) == []


# ---------------------------------------------------------------------------
# A full disk


def _enospc(*_args, **_kwargs):
    raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))


def _snapshot(home: Path) -> dict:
    conn = sqlite3.connect(home / "paperwork.db")
    try:
        return {
            table: conn.execute(f"SELECT * FROM {table} ORDER BY id").fetchall()
            for table in ("cases", "letters", "events")
        }
    finally:
        conn.close()


@pytest.fixture
def drafted(run_cli, tmp_path):
    code, _out, err = run_cli(
        "case", "new", "--from", str(write_case(tmp_path / "in", base_case())), "--on", "2026-11-02"
    )
    assert code == 0, err
    code, _out, err = run_cli(
        "letter", "draft", "1", "--kind", "complaint", "--on", "2026-11-02", "--window", "14d"
    )
    assert code == 0, err
    return tmp_path


@pytest.mark.parametrize("where", ["os.replace", "os.fsync"])
@pytest.mark.parametrize(
    "command",
    [
        ("letter", "render", "1", "--out", "{tmp}/out"),
        ("export", "--out", "{tmp}/export.json"),
        ("letter", "sent", "1", "--on", "2026-11-02", "--via", "email"),
        ("bundle", "1", "--out", "{tmp}/bundle.pdf", "--on", "2026-11-26"),
    ],
    ids=["render", "export", "sent", "bundle"],
)
def test_a_full_disk_gives_a_clear_message_and_leaves_the_store_as_it_was(
    run_cli, home, drafted, monkeypatch, where, command
):
    before = _snapshot(home)
    monkeypatch.setattr(where, _enospc)
    code, out, err = run_cli(*(arg.replace("{tmp}", str(drafted)) for arg in command))
    monkeypatch.undo()
    assert code in (1, 2), (code, out, err)
    assert "Traceback" not in out + err
    lines = err.strip().splitlines()
    assert len(lines) == 1, err
    assert "space" in lines[0].lower(), lines[0]
    assert _snapshot(home) == before
    leftovers = [
        p.name
        for p in drafted.rglob("*")
        if p.is_file() and p.suffix in (".pdf", ".docx", ".json") and p.parent.name != "in"
    ]
    assert leftovers == [], f"files written despite the full disk: {leftovers}"


def test_a_full_database_disk_rolls_back(run_cli, home, drafted, monkeypatch):
    """SQLite's own writes failing (SQLITE_FULL, simulated with max_page_count) roll back cleanly."""
    before = _snapshot(home)
    real_connect = sqlite3.connect

    def full_connect(*args, **kwargs):
        conn = real_connect(*args, **kwargs)
        pages = conn.execute("PRAGMA page_count").fetchone()[0]
        conn.execute(f"PRAGMA max_page_count = {max(pages, 1)}")
        return conn

    monkeypatch.setattr(sqlite3, "connect", full_connect)
    big = "y" * 19_000
    code, out, err = run_cli(
        "log",
        "call",
        "1",
        "--on",
        "2026-11-03",
        "--waited",
        "5",
        "--duration",
        "1",
        f"--notes={big}",
    )
    monkeypatch.undo()
    assert code in (1, 2), (code, out, err)
    lines = err.strip().splitlines()
    assert len(lines) == 1, err
    assert "full" in lines[0].lower() or "space" in lines[0].lower(), lines[0]
    assert _snapshot(home) == before
    conn = sqlite3.connect(home / "paperwork.db")
    assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    conn.close()


# ---------------------------------------------------------------------------
# export --redact (paperwork.redact.redact_export)

SECRETS = [
    "Jordan",
    "Rivera",
    "4471-9920",
    "4471",
    "88812",
    "12 Elm Street",
    "62704",
    "jordan@example.org",
    "jordan@",
    "555 0100",
    "2175550100",
    "Sam Ortiz",
    "Ortiz",
    "CX-99812",
    "99812",
    "9400 1000 0000 1234",
    "Dana Whitfield",
    "dana.whitfield@acme.example",
    "+44 20 7946 0958",
    "7946",
    "Priya",
    "priya@home.example",
    "ORD-55501",
    "55501",
    "billing@acme.example",
]


@pytest.fixture
def full_export(pw, tmp_path):
    from paperwork.core.model import Party
    from paperwork.core.schema import CaseFileSchema, load_with

    data = base_case()
    data["contacts"] = [
        {
            "role": "executive",
            "name": "Dana Whitfield",
            "address": ["1 Acme Plaza", "Springfield, IL 62701"],
            "email": "dana.whitfield@acme.example",
        }
    ]
    data["details"] = {"card_last4": "1234", "order_number": "ORD-55501"}
    data["facts"].append(
        {
            "on": "2026-10-10",
            "text": "Rivera was told by Sam Ortiz (ref CX-99812) to call +44 20 7946 0958 or write to jordan@example.org.",
        }
    )
    case_id = new_case(pw, load_with(CaseFileSchema(), data, "case"), date(2026, 11, 2))
    set_profile(
        pw,
        Party(
            name="Priya Raman",
            address=["7 Oak Road", "Leeds LS1 4AB"],
            email="priya@home.example",
            phone="0113 496 0000",
        ),
    )
    letter = draft_letter(pw, case_id, "complaint", date(2026, 11, 2), window="14d")
    mark_sent(pw, letter.id, date(2026, 11, 2), "certified", "9400 1000 0000 1234")
    log_event(
        pw,
        case_id,
        "call",
        date(2026, 11, 3),
        {
            "waited": 40,
            "duration": 12,
            "rep": "Sam Ortiz",
            "ref": "CX-99812",
            "notes": "Call back on 217-555-0100 or jordan@example.org",
        },
    )
    log_event(
        pw,
        case_id,
        "response",
        date(2026, 11, 9),
        {"summary": "Dear Mr Rivera, account 4471-9920 is under review.", "resolved": False},
    )
    return pw.store.export_document()


def test_redacted_export_masks_people_accounts_addresses_phones_and_emails(full_export):
    from paperwork.store.redact import redact_export

    original = copy.deepcopy(full_export)
    redacted = redact_export(full_export)
    assert full_export == original, "redact_export must not modify its input"
    text = json.dumps(redacted, ensure_ascii=False)
    leaked = [s for s in SECRETS if s in text]
    assert leaked == [], f"still in the redacted export: {leaked}"
    # kept: what the dispute is about
    for kept in (
        "Acme Broadband, Inc.",
        "PO Box 1234",
        "89.99",
        "2026-10-03",
        "complaint",
        "US-IL",
    ):
        assert kept in text, kept
    assert redacted["cases"][0]["details"]["card_last4"] == "0000"


def test_redacted_export_uses_consistent_pseudonyms_and_keeps_its_shape(full_export, tmp_path):
    from paperwork.store.database import Store
    from paperwork.store.redact import redact_export

    redacted = redact_export(full_export)
    assert redact_export(full_export) == redacted, "redaction must be deterministic"
    case = redacted["cases"][0]
    letter = redacted["letters"][0]
    assert (
        case["sender"]["name"]
        == letter["document"]["sender_name"]
        == letter["document"]["signature"]
    )
    assert case["sender"]["name"] != redacted["settings"]["profile"]["name"]
    assert case["account_number"] in letter["document"]["subject"]
    call = next(e for e in redacted["events"] if e["kind"] == "call")
    assert call["data"]["rep"] in json.dumps(case["facts"]), (
        "the same person gets the same pseudonym everywhere"
    )

    def shape(value):
        if isinstance(value, dict):
            return {k: shape(v) for k, v in value.items()}
        if isinstance(value, list):
            return [shape(v) for v in value]
        return type(value).__name__

    assert shape(redacted) == shape(full_export)
    # still a valid export: it imports into an empty data folder
    store = Store.open(tmp_path / "public")
    try:
        with store.transaction():
            counts = store.import_document(redacted, "redacted.json")
    finally:
        store.close()
    assert counts == {"cases": 1, "letters": 1, "events": 2}


def test_redaction_leaves_dates_and_amounts_alone():
    from paperwork.store.redact import redact_export

    doc = {
        "format": "paperwork-export",
        "version": 1,
        "settings": {},
        "cases": [],
        "letters": [],
        "events": [
            {
                "id": 1,
                "case_id": 1,
                "kind": "response",
                "on": "2026-11-09",
                "data": {
                    "summary": "Refund of 1,234,567.89 on 26.11.2026 and 2026-11-30; call 0800 123 4567."
                },
            }
        ],
    }
    summary = redact_export(doc)["events"][0]["data"]["summary"]
    assert "1,234,567.89" in summary and "26.11.2026" in summary and "2026-11-30" in summary
    assert "0800 123 4567" not in summary


_REDACT_DOC: dict = {}


def _export_template(tmp: Path) -> dict:
    """One real export (a case, a sent letter, a call), made once per process."""
    if not _REDACT_DOC:
        from paperwork.core.schema import CaseFileSchema, load_with
        from paperwork.services.session import Paperwork

        pw = Paperwork(tmp / "redact-home")
        case_id = new_case(pw, load_with(CaseFileSchema(), base_case(), "case"), date(2026, 11, 2))
        letter = draft_letter(pw, case_id, "complaint", date(2026, 11, 2), window="14d")
        mark_sent(pw, letter.id, date(2026, 11, 2), "certified", "9400 1000 0000 1234")
        log_event(
            pw, case_id, "call", date(2026, 11, 3), {"waited": 4, "duration": 2, "rep": "Sam Ortiz"}
        )
        _REDACT_DOC.update(pw.store.export_document())
        pw.close()
    return copy.deepcopy(_REDACT_DOC)


_LOWER = "abcdefghijklmnopqrstuvwxyz"
_name_part = st.tuples(
    st.sampled_from("ABCDEFGHIJKLMNOPRSTVWZ"), st.text(alphabet=_LOWER, min_size=3, max_size=9)
).map("".join)


@settings(
    max_examples=500, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    first=_name_part,
    last=st.one_of(_name_part, st.tuples(_name_part, _name_part).map("-".join)),
    account=st.tuples(st.sampled_from(["", "AC", "X-"]), st.integers(10**4, 10**12)).map(
        lambda t: f"{t[0]}{t[1]}"
    ),
    email_user=st.tuples(
        st.sampled_from(_LOWER),
        st.text(alphabet=_LOWER + "0123456789.", max_size=10),
        st.sampled_from(_LOWER),
    ).map("".join),
    phone=st.tuples(
        st.integers(1, 99), st.integers(100, 999), st.integers(100, 999), st.integers(1000, 9999)
    ).map(lambda t: f"+{t[0]} {t[1]} {t[2]} {t[3]}"),
)
def test_redaction_of_any_name_account_email_and_phone(
    tmp_path_factory, first, last, account, email_user, phone
):
    from paperwork.store.redact import redact_export

    doc = _export_template(tmp_path_factory.getbasetemp())
    old = {
        "Jordan Rivera": f"{first} {last}",
        "4471-9920": account,
        "jordan@example.org": f"{email_user}@mail.example",
        "+1 217 555 0100": phone,
    }
    text = json.dumps(doc, ensure_ascii=False)
    for before, after in old.items():
        text = text.replace(before, after)
    doc = json.loads(text)
    doc["events"][0]["data"]["notes"] = (
        f"{first} called from {phone}; mail {email_user}@mail.example about {account}."
    )
    redacted = json.dumps(redact_export(doc), ensure_ascii=False)
    import re as _re

    for secret in (
        f"{first} {last}",
        account,
        f"{email_user}@mail.example",
        phone,
        phone.replace(" ", ""),
    ):
        assert secret not in redacted, secret
    for part in (first, last):
        assert not _re.search(rf"(?<!\w){_re.escape(part)}(?!\w)", redacted), part
