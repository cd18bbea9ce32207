"""Rebuild the fixture stores of test_migrations.py (run from the checkout root):

    python tests/hostile/data/make_fixtures.py

- ``store_v0_empty.db``: an empty file, as SQLite leaves it before any schema
  (PRAGMA user_version 0): what a store looks like before migration 1.
- ``store_v1.db``: a schema-1 store made by the code of commit 0f8b760, the last
  one with schema 1 (extracted with ``git archive``, run in a subprocess): a
  profile, a case, a sent letter, a call and a reply, in one file (no -wal).

Keep the files once made: they stand for stores people already have. When a
migration N+1 is added, add a ``store_vN.db`` made by the last code with schema
N the same way, and keep the older ones.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tarfile
import tempfile
from pathlib import Path

HERE = Path(__file__).parent
ROOT = HERE.parents[2]
SCHEMA_1_COMMIT = "0f8b760"

BUILD = r"""
import sqlite3, sys
from datetime import date
from pathlib import Path
from paperwork.core.model import Party
from paperwork.core.schema import CaseFileSchema, load_with
from paperwork.services.session import Paperwork
from paperwork.store import database

assert len(store.MIGRATIONS) == 1, "not the schema-1 code"
work = Path(sys.argv[1])
case = {
    "title": "Stored by schema 1", "jurisdiction": "US-IL", "locale": "en_US", "category": "billing",
    "company": {"name": "Acme Broadband, Inc.", "address": ["PO Box 1234", "Springfield, IL 62701"], "country": "US"},
    "sender": {"name": "Jordan Rivera", "address": ["12 Elm Street", "Springfield, IL 62704"], "country": "US",
               "email": "jordan@example.org"},
    "account_number": "4471-9920", "references": ["Ticket 88812"],
    "summary": "My October statement charged the plan twice.",
    "facts": [{"on": "2026-10-03", "text": "Two charges of $89.99 & one <refund>."}],
    "remedy": "Refund $89.99.", "amount": {"value": "89.99", "currency": "USD"},
}
pw = Paperwork(work)
set_profile(pw, Party(name="Jordan Rivera", address=["12 Elm Street", "Springfield, IL 62704"]))
case_id = new_case(pw, load_with(CaseFileSchema(), case, "case"), date(2026, 11, 2))
letter = draft_letter(pw, case_id, "complaint", date(2026, 11, 2), window="14d")
mark_sent(pw, letter.id, date(2026, 11, 2), "certified", "9400100000001234")
log_event(pw, case_id, "call", date(2026, 11, 5), {"waited": 35, "duration": 10, "rep": "Sam", "ref": "CX-1"})
log_event(pw, case_id, "post", date(2026, 11, 9), {"platform": "x", "url": "https://x.example/status/1"})
pw.close()
conn = sqlite3.connect(work / "paperwork.db")
conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
conn.execute("PRAGMA journal_mode = DELETE")
conn.execute("VACUUM")
conn.close()
"""


def main() -> None:
    (HERE / "store_v0_empty.db").write_bytes(b"")
    with tempfile.TemporaryDirectory() as tmp:
        src = Path(tmp) / "src"
        src.mkdir()
        archive = Path(tmp) / "v1.tar"
        with open(archive, "wb") as handle:
            subprocess.run(
                ["git", "archive", SCHEMA_1_COMMIT, "paperwork"],
                cwd=ROOT,
                stdout=handle,
                check=True,
            )
        with tarfile.open(archive) as tar:
            tar.extractall(src, filter="data")
        work = Path(tmp) / "home"
        env = {**os.environ, "PYTHONPATH": str(src)}
        subprocess.run([sys.executable, "-c", BUILD, str(work)], env=env, cwd=tmp, check=True)
        (HERE / "store_v1.db").write_bytes((work / "paperwork.db").read_bytes())


if __name__ == "__main__":
    main()
