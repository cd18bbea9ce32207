"""Findings 1, 3 and 10b: crafted imports are refused; an export carries the whole store
(kept files included) and export -> import -> export gives the same bytes."""

from __future__ import annotations

import hashlib
import io
import json
import zipfile
from pathlib import Path

import pytest
from hostile_helpers import assert_clean_refusal, base_case, blank_pdf, write_case


def _png(path: Path) -> Path:
    from PIL import Image

    Image.new("RGB", (120, 80), "navy").save(path)
    return path


def _cli(home: Path, *args: str) -> tuple[int, str, str]:
    """Run the command line in-process on another data folder."""
    import contextlib

    from paperwork.cli.main import main

    out, err = io.StringIO(), io.StringIO()
    code = 0
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        try:
            main(["--home", str(home), *args])
        except SystemExit as exc:
            code = exc.code if isinstance(exc.code, int) else 1
    return code, out.getvalue(), err.getvalue()


def _import_into(tmp_path: Path, name: str, source: Path) -> tuple[int, str, str]:
    return _cli(tmp_path / name, "import", str(source))


@pytest.fixture
def full_store(run_cli, tmp_path):
    """A case with two pieces of evidence and a sent letter (whose PDF is frozen)."""
    case = write_case(tmp_path / "in", base_case())
    code, _out, err = run_cli("case", "new", "--from", str(case))
    assert code == 0, err
    for kind in ("complaint", "complaint"):
        code, _out, err = run_cli("letter", "draft", "1", "--kind", kind, "--on", "2026-11-20")
        assert code == 0, err
    code, _out, err = run_cli("letter", "sent", "1", "--on", "2026-11-21", "--via", "certified")
    assert code == 0, err
    for path in (blank_pdf(tmp_path / "in" / "bill.pdf"), _png(tmp_path / "in" / "photo.png")):
        code, _out, err = run_cli("evidence", "add", "1", str(path), "--on", "2026-11-22")
        assert code == 0, err
    return tmp_path


def test_archive_round_trip_is_byte_identical_and_carries_kept_files(full_store, home, run_cli):
    tmp_path = full_store
    first = tmp_path / "first.zip"
    code, out, err = run_cli("export", "--out", str(first))
    assert code == 0, err
    with zipfile.ZipFile(first) as archive:
        names = archive.namelist()
        manifest = json.loads(archive.read("manifest.json"))
        for name in names[1:]:
            assert manifest["files"][name] == hashlib.sha256(archive.read(name)).hexdigest()
    kept = [n for n in names if n.startswith("files/")]
    assert len(kept) == 3  # the sent letter's PDF, the PDF and the PNG evidence
    code, out, err = _import_into(tmp_path, "second", first)
    assert code == 0, err
    assert "3 kept file(s)" in out
    code, out, err = _cli(tmp_path / "second", "export", "--out", str(tmp_path / "second.zip"))
    assert code == 0, err
    assert (tmp_path / "second.zip").read_bytes() == first.read_bytes()
    # the bundle of the imported store finds every kept copy
    code, out, err = _cli(tmp_path / "second", "bundle", "1", "--out", str(tmp_path / "bundle.pdf"))
    assert code == 0, err
    assert "missing" not in (out + err).lower()


def test_json_form_is_still_written_and_read(full_store, run_cli):
    tmp_path = full_store
    code, _out, err = run_cli("export", "--out", str(tmp_path / "old.json"))
    assert code == 0, err
    assert ".zip" in err  # says the kept files stayed behind
    code, _out, err = _import_into(tmp_path, "again", tmp_path / "old.json")
    assert code == 0, err
    code, _out, err = _cli(tmp_path / "again", "export", "--out", str(tmp_path / "again.json"))
    doc = json.loads((tmp_path / "again.json").read_text(encoding="utf-8"))
    assert doc == json.loads((tmp_path / "old.json").read_text(encoding="utf-8"))


def _crafted(tmp_path: Path, run_cli, change) -> Path:
    code, _out, err = run_cli("export", "--out", str(tmp_path / "base.json"))
    assert code == 0, err
    doc = json.loads((tmp_path / "base.json").read_text(encoding="utf-8"))
    change(doc)
    path = tmp_path / "crafted.json"
    path.write_text(json.dumps(doc), encoding="utf-8")
    return path


def _sent_letter(doc):
    return next(row for row in doc["letters"] if row.get("pdf_sha256"))


def _evidence(doc):
    return next(row for row in doc["events"] if row["kind"] == "evidence")


@pytest.mark.parametrize(
    ("change", "field"),
    [
        (lambda d: _sent_letter(d).update(pdf_sha256="/etc/ssl/some.pdf"), "letters.0.pdf_sha256"),
        (lambda d: _sent_letter(d).update(pdf_sha256="../../secret"), "letters.0.pdf_sha256"),
        (lambda d: _evidence(d)["data"].update(sha256="../../../home/x/tax"), "data.sha256"),
        (lambda d: _evidence(d)["data"].update(sha256="A" * 64), "data.sha256"),
        (lambda d: _evidence(d)["data"].update(media_type="text/plain"), "data.media_type"),
    ],
)
def test_crafted_file_references_are_refused(full_store, run_cli, change, field):
    tmp_path = full_store
    crafted = _crafted(tmp_path, run_cli, change)
    code, out, err = _import_into(tmp_path, "victim", crafted)
    assert_clean_refusal(code, out, err)
    assert field in err and str(crafted) in err
    # nothing was touched: the folder has no cases
    assert not (tmp_path / "victim" / "files").exists()


def test_duplicate_id_blames_the_file_with_the_id(full_store, run_cli):
    tmp_path = full_store

    def twice(doc):
        doc["cases"].append(dict(doc["cases"][0]))

    crafted = _crafted(tmp_path, run_cli, twice)
    code, out, err = _import_into(tmp_path, "dup", crafted)
    assert_clean_refusal(code, out, err)
    assert str(crafted) in err and "id 1" in err and "damaged" not in err.lower()


def _rezip(source: Path, target: Path, edit) -> Path:
    with zipfile.ZipFile(source) as archive:
        members = {n: archive.read(n) for n in archive.namelist()}
    edit(members)
    with zipfile.ZipFile(target, "w") as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return target


def _tamper_file(members):
    name = next(n for n in members if n.startswith("files/"))
    members[name] = members[name] + b"tampered"


def _climb(members):
    members["../../evil.pdf"] = b"%PDF-1.4"


def _extra_unlisted(members):
    data = b"%PDF-1.4 extra"
    members[f"files/{hashlib.sha256(data).hexdigest()}.pdf"] = data


def _bad_document_checksum(members):
    members["paperwork-export.json"] = members["paperwork-export.json"].replace(
        b"Jordan", b"Jordon"
    )


@pytest.mark.parametrize("edit", [_tamper_file, _climb, _extra_unlisted, _bad_document_checksum])
def test_tampered_archives_are_refused_before_anything_is_written(full_store, run_cli, edit):
    tmp_path = full_store
    code, out, err = run_cli("export", "--out", str(tmp_path / "good.zip"))
    assert code == 0, err
    bad = _rezip(tmp_path / "good.zip", tmp_path / "bad.zip", edit)
    code, out, err = _import_into(tmp_path, "victim", bad)
    assert_clean_refusal(code, out, err)
    assert str(bad) in err
    assert not (tmp_path / "victim" / "files").exists()
    assert not (tmp_path / ".." / "evil.pdf").exists()


def test_redacted_archive_is_refused(full_store, run_cli):
    code, out, err = run_cli("export", "--redact", "--out", str(full_store / "public.zip"))
    assert_clean_refusal(code, out, err)
    assert "--redact" in err
