"""Reading the store without marshmallow gives exactly what the schemas would."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest

from paperwork.core import stored
from paperwork.core.schema import (
    EventSchema,
    LetterSchema,
    PartySchema,
    StoredCaseSchema,
    load_case_file,
    load_with,
)

DATA = Path(__file__).resolve().parents[1] / "data"
SAMPLE = Path(__file__).resolve().parents[2] / "paperwork" / "sample" / "sample_case.json"
CASE_FILES = [*sorted(DATA.glob("case_*.toml")), SAMPLE]
TODAY = date(2026, 11, 26)


def _rows(pw, table: str) -> list[dict]:
    return [json.loads(r[0]) for r in pw.store.conn.execute(f"SELECT data FROM {table}")]


@pytest.mark.parametrize("path", CASE_FILES, ids=lambda p: p.name)
def test_a_stored_case_and_its_records_read_back_as_the_schemas_read_them(pw, path: Path):
    from paperwork.services.cases import new_case, set_profile
    from paperwork.services.events import log_event
    from paperwork.services.letters import draft_letter, mark_sent

    case = load_case_file(path)
    if case.sender is None:
        set_profile(pw, load_with(PartySchema(), json.loads(SAMPLE.read_text())["sender"], "p"))
    case_id = new_case(pw, case, TODAY)
    kind = "complaint" if "complaint" in pw.catalog.kinds else next(iter(pw.catalog.kinds))
    letter = draft_letter(pw, case_id, kind, TODAY)
    assert letter.id is not None
    mark_sent(pw, letter.id, TODAY, "certified", "9400 1")
    log_event(pw, case_id, "call", TODAY, {"waited": 40, "duration": 12, "rep": "Sam"})

    for data in _rows(pw, "cases"):
        assert stored.case(data) == load_with(StoredCaseSchema(), data, "store")
    for data in _rows(pw, "letters"):
        assert stored.letter(data) == load_with(LetterSchema(), data, "store")
    for data in _rows(pw, "events"):
        assert stored.event(data) == load_with(EventSchema(), data, "store")
    profile = pw.store.get_setting("profile")
    if profile:
        assert stored.party(profile) == load_with(PartySchema(), profile, "store")


def test_keys_an_older_version_did_not_write_take_the_schema_defaults(pw):
    from paperwork.services.cases import new_case

    case_id = new_case(pw, load_case_file(SAMPLE), TODAY)
    data = pw.store.conn.execute("SELECT data FROM cases WHERE id = ?", (case_id,)).fetchone()[0]
    data = json.loads(data)
    for key in ("contacts", "details", "promo_ends", "contract_ends", "ladder", "references"):
        data.pop(key, None)
    for key in ("department", "social"):
        data["company"].pop(key, None)
    assert stored.case(data) == load_with(StoredCaseSchema(), data, "store")
