"""The cache folder (paperwork/core/cache.py): what is read back from it is what would
have been computed, and a stale, broken or unwritable entry only means computing again."""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
from datetime import date, timedelta
from pathlib import Path

import holidays
import pytest

from paperwork.core import cache
from paperwork.core.deadlines import BusinessCalendar, HolidayTable

ROOT = Path(__file__).resolve().parents[2]
PLACES = [("US", None), ("US", "MA"), ("GB", "ENG"), ("DE", "BY"), ("FR", None), ("ES", "MD")]


def _days(first: date, last: date):
    day = first
    while day <= last:
        yield day
        day += timedelta(days=1)


@pytest.mark.parametrize(("country", "subdivision"), PLACES)
def test_holiday_tables_read_back_agree_with_the_holidays_package(
    tmp_path, monkeypatch, country, subdivision
):
    monkeypatch.setenv("PAPERWORK_CACHE", str(tmp_path))
    package = holidays.country_holidays(country, subdiv=subdivision)
    computed = HolidayTable(country, subdivision)  # computes and stores each year
    for day in _days(date(2025, 1, 1), date(2027, 12, 31)):
        expected = package.get(day)
        assert computed.get(day) == expected, day
        assert (day in computed) == (day in package), day
    stored = HolidayTable(country, subdivision)  # reads them back
    for day in _days(date(2025, 1, 1), date(2027, 12, 31)):
        assert stored.get(day) == package.get(day), day
    assert stored._live is None  # the package was not needed the second time
    assert list(tmp_path.glob("holidays-*.marshal"))


def test_unknown_jurisdictions_are_refused_from_the_cache_too(tmp_path, monkeypatch):
    monkeypatch.setenv("PAPERWORK_CACHE", str(tmp_path))
    for _ in range(2):
        with pytest.raises(NotImplementedError):
            HolidayTable("XX", None)
        with pytest.raises(ValueError, match="unknown jurisdiction"):
            BusinessCalendar("XX")


def test_a_broken_or_foreign_entry_is_computed_again(tmp_path, monkeypatch):
    monkeypatch.setenv("PAPERWORK_CACHE", str(tmp_path))
    first = HolidayTable("US", "MA")
    assert first.get(date(2026, 12, 25))  # Christmas Day
    for entry in tmp_path.glob("holidays-*.marshal"):
        entry.write_bytes(b"not marshal data")
    again = HolidayTable("US", "MA")
    assert again.get(date(2026, 12, 25)) == first.get(date(2026, 12, 25))
    cache.save("other.marshal", ("a",), {"x": 1})
    assert cache.load("other.marshal", ("a",)) == {"x": 1}
    assert cache.load("other.marshal", ("b",)) is None  # another key: stale


def test_a_jurisdiction_that_is_not_a_plain_name_is_never_a_file_name(tmp_path, monkeypatch):
    monkeypatch.setenv("PAPERWORK_CACHE", str(tmp_path / "cache"))
    BusinessCalendar("US-../../x")
    assert not list(tmp_path.rglob("*x*.marshal"))


def test_no_cache_folder_and_an_unwritable_one_still_count_days(tmp_path, monkeypatch):
    monkeypatch.setenv("PAPERWORK_CACHE", "")
    assert HolidayTable("FR", None).get(date(2026, 7, 14))
    blocked = tmp_path / "file"
    blocked.write_text("")
    monkeypatch.setenv("PAPERWORK_CACHE", str(blocked / "cache"))  # under a file: cannot exist
    assert HolidayTable("FR", None).get(date(2026, 7, 14))


def test_entries_are_private(tmp_path, monkeypatch):
    monkeypatch.setenv("PAPERWORK_CACHE", str(tmp_path / "cache"))
    cache.save("probe.marshal", ("k",), [1, 2, 3])
    assert (tmp_path / "cache").stat().st_mode & 0o777 == 0o700
    assert (tmp_path / "cache" / "probe.marshal").stat().st_mode & 0o777 == 0o600


def _render_digest(home: Path, cache_folder: str) -> str:
    code = (
        "import hashlib, sys\n"
        "from pathlib import Path\n"
        "from paperwork.services.session import Paperwork\n"
        "from paperwork.services.letters import render_bytes\n"
        "pw = Paperwork(Path(sys.argv[1]))\n"
        "letter = pw.store.letters(1)[0]\n"
        "print(hashlib.sha256(render_bytes(pw, letter, 'pdf') + render_bytes(pw, letter, 'docx')).hexdigest())\n"
    )
    env = dict(os.environ, PAPERWORK_CACHE=cache_folder)
    out = subprocess.check_output([sys.executable, "-c", code, str(home)], cwd=ROOT, env=env)
    return out.decode().strip().splitlines()[-1]


def test_letters_rendered_with_the_kept_fonts_are_the_same_bytes(pw, tmp_path, home):
    from paperwork.core.schema import load_case_file
    from paperwork.services.cases import new_case
    from paperwork.services.letters import draft_letter

    case_id = new_case(
        pw, load_case_file(ROOT / "paperwork" / "sample" / "sample_case.json"), date(2026, 11, 2)
    )
    draft_letter(pw, case_id, "complaint", date(2026, 11, 2))
    pw.close()
    folder = str(tmp_path / "cache")
    without = _render_digest(home, "")
    filling = _render_digest(home, folder)
    assert list(Path(folder).glob("font-*.marshal"))
    kept = _render_digest(home, folder)
    assert without == filling == kept
    assert len(without) == len(hashlib.sha256().hexdigest())


def test_a_kept_face_gives_back_the_parts_it_leaves_out_of_the_cache(tmp_path, monkeypatch):
    """The font program and the glyph table are left out of the cache entry and made on
    first use: the same bytes as the shipped file, the same table as a fresh parse."""
    import marshal

    from reportlab.pdfbase.ttfonts import TTFont

    from paperwork.core.resources import package_file
    from paperwork.render import pdf

    path = str(package_file("fonts", "LiberationSans-Regular.ttf"))
    parsed = TTFont("parsed", path)
    state = pdf._face_state(parsed)
    assert state is not None
    assert "_ttf_data" not in state["values"] and "glyphToChar" not in state["values"]
    kept = pdf._font_from_state("kept", marshal.loads(marshal.dumps(state)))
    assert kept is not None
    assert bytes(kept.face._ttf_data) == Path(path).read_bytes() == parsed.face._ttf_data
    assert kept.face.glyphToChar == parsed.face.glyphToChar
    assert kept.face.charWidths == parsed.face.charWidths
    # what a subset is cut from: the same program for the same characters
    subset = [ord(ch) for ch in "Dear Sir or Madam, 1,243 €"]
    assert kept.face.makeSubset(subset) == parsed.face.makeSubset(subset)
