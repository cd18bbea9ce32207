"""The core path through the command line: case file -> letter -> PDF and DOCX."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from clikit import last_line

import paperwork.services.cases as case_services
from paperwork.cli import collector
from paperwork.cli.main import main


def _pdf_text(path: Path) -> str:
    from pypdf import PdfReader

    return "\n".join(page.extract_text() for page in PdfReader(path).pages)


def _docx_text(path: Path) -> str:
    import docx

    document = docx.Document(path)
    parts = [p.text for p in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            for cell in row.cells:
                parts.extend(p.text for p in cell.paragraphs)
    return "\n".join(parts)


def _draft_and_render(
    run_cli, case_file: Path, out: Path, on: str = "2026-11-26"
) -> tuple[str, str, list[Path]]:
    code, out_text, err = run_cli("case", "new", "--from", str(case_file))
    assert code == 0, err
    case_id = last_line(out_text)
    code, out_text, err = run_cli("letter", "draft", case_id, "--kind", "complaint", "--on", on)
    assert code == 0, err
    letter_id = last_line(out_text)
    assert letter_id.isdigit()
    code, out_text, err = run_cli(
        "letter", "render", letter_id, "--out", str(out), "--format", "both"
    )
    assert code == 0, err
    paths = [Path(line) for line in out_text.split()]
    return case_id, letter_id, paths


def test_us_case_becomes_pdf_and_docx_with_every_element(run_cli, us_case_file, tmp_path):
    _, _, paths = _draft_and_render(run_cli, us_case_file, tmp_path / "out")
    pdf, docx_path = sorted(paths, key=lambda p: p.suffix)[::-1]
    assert pdf.suffix == ".pdf" and docx_path.suffix == ".docx"
    for text in (_pdf_text(pdf), _docx_text(docx_path)):
        flat = " ".join(text.split())
        for expected in (
            "Jordan Rivera",
            "12 Elm Street, Apt 3",
            "Acme Broadband, Inc.",
            "PO Box 1234",
            "4471-9920",
            "October 3, 2026",
            "October 9, 2026",
            "refund the duplicate charge of $89.99",
            # 10 business days from deemed receipt (5th business day after posting)
            "December 17, 2026",
            "Sincerely,",
        ):
            assert expected in flat, expected


def test_gb_letter_uses_british_conventions(run_cli, gb_case_file, tmp_path):
    _, _, paths = _draft_and_render(run_cli, gb_case_file, tmp_path / "out")
    pdf = next(p for p in paths if p.suffix == ".pdf")
    flat = " ".join(_pdf_text(pdf).split())
    assert "Dear Sir or Madam" in flat and "Yours faithfully" in flat
    assert "26 November 2026" in flat
    assert "Amelia O'Connor & Sons" in flat  # '&' survives escaping
    # 6 weeks (Ofcom, telecoms complaints from 8 April 2026) after deemed receipt on Mon 30 Nov 2026
    assert "11 January 2027" in flat
    docx_flat = " ".join(_docx_text(next(p for p in paths if p.suffix == ".docx")).split())
    assert "Amelia O'Connor & Sons" in docx_flat and "11 January 2027" in docx_flat


def test_ids_are_printed_alone_on_the_last_line(run_cli, us_case_file):
    code, out, _ = run_cli("case", "new", "--from", str(us_case_file))
    assert code == 0 and re.fullmatch(r"\d+", last_line(out))


@pytest.mark.parametrize(
    ("content", "suffix", "expected"),
    [
        ({"drop": ("company", "name")}, ".json", "company.name: Missing data for required field."),
        (
            {"set": ("facts", [{"on": "2026-13-40", "text": "x"}])},
            ".json",
            "facts.0.on: '2026-13-40' is not a valid date",
        ),
        (
            {"set": ("amount", {"value": 89.99, "currency": "USD"})},
            ".json",
            "amount.value: must be a decimal written as a string",
        ),
        (
            {"set": ("amount", {"value": "8,99", "currency": "USD"})},
            ".json",
            "amount.value: '8,99' is not a decimal amount",
        ),
        ({"set": ("colour", "blue")}, ".json", "colour: Unknown field."),
        ({"set": ("locale", "xx_XX")}, ".json", "locale: must be one of"),
        (
            {"set": ("jurisdiction", "Illinois")},
            ".json",
            "jurisdiction: 'Illinois' is not a jurisdiction",
        ),
    ],
)
def test_bad_case_file_names_file_and_field_and_stores_nothing(
    run_cli, us_case_file, tmp_path, content, suffix, expected
):
    data = json.loads(us_case_file.read_text())
    if "drop" in content:
        outer, inner = content["drop"]
        del data[outer][inner]
    else:
        key, value = content["set"]
        data[key] = value
    bad = tmp_path / f"case{suffix}"
    bad.write_text(json.dumps(data))
    code, out, err = run_cli("case", "new", "--from", str(bad))
    assert code == 2
    assert f"{bad}: {expected}" in err
    assert "Traceback" not in err + out
    code, out, _ = run_cli("case", "list", "--json")
    assert code == 0 and json.loads(out) == []


def test_several_problems_give_one_line_each(run_cli, us_case_file, tmp_path):
    data = json.loads(us_case_file.read_text())
    del data["title"]
    data["sender"]["email"] = "not-an-address"
    bad = tmp_path / "case.json"
    bad.write_text(json.dumps(data))
    code, _, err = run_cli("case", "new", "--from", str(bad))
    lines = err.strip().splitlines()
    assert code == 2 and len(lines) == 2
    assert any(
        "sender.email: 'not-an-address' is not a valid e-mail address." in line for line in lines
    )
    assert any("title: Missing data for required field." in line for line in lines)


@pytest.mark.parametrize(
    ("name", "text", "expected"),
    [
        ("broken.json", '{"title": "x",', "broken JSON at line 1"),
        ("broken.toml", 'title = "x\n', "broken TOML"),
        ("case.yaml", "title: x", "unsupported file type"),
        ("missing.json", None, "no such file."),
    ],
)
def test_unreadable_case_files(run_cli, tmp_path, name, text, expected):
    path = tmp_path / name
    if text is not None:
        path.write_text(text)
    code, _, err = run_cli("case", "new", "--from", str(path))
    assert code == 2 and f"{path}: {expected}" in err


def test_sender_can_come_from_the_profile(run_cli, tmp_path, us_case_file):
    data = json.loads(us_case_file.read_text())
    sender = data.pop("sender")
    no_sender = tmp_path / "case.json"
    no_sender.write_text(json.dumps(data))
    code, _, err = run_cli("case", "new", "--from", str(no_sender))
    assert code == 2 and "sender: Missing data" in err
    profile = tmp_path / "me.json"
    profile.write_text(json.dumps(sender))
    assert run_cli("profile", "set", "--from", str(profile))[0] == 0
    code, out, err = run_cli("case", "new", "--from", str(no_sender))
    assert code == 0, err
    code, out, err = run_cli(
        "letter", "draft", last_line(out), "--kind", "complaint", "--on", "2026-11-26"
    )
    assert code == 0, err
    code, out, _ = run_cli("letter", "show", last_line(out))
    assert "Jordan Rivera" in out


def test_edit_then_send_freezes_the_letter(run_cli, us_case_file, tmp_path, home):
    case_id = last_line(run_cli("case", "new", "--from", str(us_case_file))[1])
    letter_id = last_line(
        run_cli("letter", "draft", case_id, "--kind", "complaint", "--on", "2026-11-26")[1]
    )
    code, out, _ = run_cli("letter", "show", letter_id)
    edited = tmp_path / "edited.txt"
    edited.write_text(
        "Complaint about my October bill\n\nDear Sir or Madam:\n\nPlease refund $89.99 {{ 7*7 }} <b>now</b>.\n\n"
        "A second paragraph I wrote myself.\n\nSincerely,\n"
    )
    code, _, err = run_cli("letter", "edit", letter_id, "--from", str(edited))
    assert code == 0, err
    code, out, _ = run_cli("letter", "show", letter_id)
    assert "Please refund $89.99 {{ 7*7 }} <b>now</b>." in out and "49" not in out
    code, out, err = run_cli(
        "letter", "render", letter_id, "--out", str(tmp_path / "o"), "--format", "pdf"
    )
    assert code == 0, err
    flat = " ".join(_pdf_text(Path(out.strip())).split())
    assert "Please refund $89.99 {{ 7*7 }} <b>now</b>." in flat
    code, out, err = run_cli(
        "letter",
        "sent",
        letter_id,
        "--on",
        "2026-11-27",
        "--via",
        "certified",
        "--tracking",
        "9407 1000",
    )
    assert code == 0, err
    sent_pdf = Path(
        run_cli("letter", "render", letter_id, "--out", str(tmp_path / "p"), "--format", "pdf")[
            1
        ].strip()
    )
    kept = list((home / "files").glob("*.pdf"))
    assert len(kept) == 1 and kept[0].read_bytes() == sent_pdf.read_bytes()
    code, _, err = run_cli("letter", "edit", letter_id, "--from", str(edited))
    assert code == 2 and "frozen" in err
    code, _, err = run_cli("letter", "sent", letter_id, "--via", "email")
    assert code == 2 and "already marked sent" in err


def test_edit_that_loses_the_letter_shape_is_refused(run_cli, us_case_file, tmp_path):
    case_id = last_line(run_cli("case", "new", "--from", str(us_case_file))[1])
    letter_id = last_line(
        run_cli("letter", "draft", case_id, "--kind", "complaint", "--on", "2026-11-26")[1]
    )
    bad = tmp_path / "bad.txt"
    bad.write_text("Only a subject\n\nand one line\n")
    code, _, err = run_cli("letter", "edit", letter_id, "--from", str(bad))
    assert code == 2 and "needs at least 4" in err


def test_unknown_kind_and_kind_not_applying(run_cli, us_case_file, tmp_path, home):
    case_id = last_line(run_cli("case", "new", "--from", str(us_case_file))[1])
    code, _, err = run_cli("letter", "draft", case_id, "--kind", "love_letter")
    assert code == 2 and "unknown letter kind 'love_letter'" in err
    kinds = home / "templates" / "kinds"
    kinds.mkdir(parents=True)
    (kinds / "de_only.toml").write_text('jurisdictions = ["DE"]\n[title]\nen_US = "German only"\n')
    code, _, err = run_cli("letter", "draft", case_id, "--kind", "de_only")
    assert code == 2 and "does not apply in US-IL" in err and "complaint" in err


def test_bad_window_and_bad_date_options(run_cli, us_case_file):
    case_id = last_line(run_cli("case", "new", "--from", str(us_case_file))[1])
    code, _, err = run_cli("letter", "draft", case_id, "--kind", "complaint", "--window", "3x")
    assert code == 2 and "--window" in err
    code, _, err = run_cli("letter", "draft", case_id, "--kind", "complaint", "--on", "26/11/2026")
    assert code == 2 and "is not a date" in err and "Traceback" not in err


def test_missing_ids_are_clear(run_cli):
    code, _, err = run_cli("case", "show", "42")
    assert code == 2 and "no case with id 42" in err
    code, _, err = run_cli("letter", "show", "7")
    assert code == 2 and "no letter with id 7" in err


def test_export_import_export_is_byte_identical(run_cli, us_case_file, gb_case_file, tmp_path):
    for case_file in (us_case_file, gb_case_file):
        case_id = last_line(run_cli("case", "new", "--from", str(case_file))[1])
        letter_id = last_line(
            run_cli("letter", "draft", case_id, "--kind", "complaint", "--on", "2026-11-26")[1]
        )
    run_cli("letter", "sent", letter_id, "--on", "2026-11-27", "--via", "first_class")
    run_cli(
        "log",
        "call",
        case_id,
        "--on",
        "2026-11-28",
        "--waited",
        "35",
        "--duration",
        "12",
        "--rep",
        "Sam",
    )
    first = tmp_path / "first.json"
    assert run_cli("export", "--out", str(first))[0] == 0
    other = tmp_path / "other-home"
    from paperwork.cli.main import main

    with pytest.raises(SystemExit) as done:
        main(["--home", str(other), "import", str(first)])
    assert done.value.code == 0
    second = tmp_path / "second.json"
    with pytest.raises(SystemExit) as done:
        main(["--home", str(other), "export", "--out", str(second)])
    assert done.value.code == 0
    assert first.read_bytes() == second.read_bytes()
    # importing twice into the same home is refused, not doubled
    code, _, err = run_cli("import", str(first))
    assert code == 2 and "already holds cases" in err


def test_case_edit_replaces_only_given_fields(run_cli, us_case_file, tmp_path):
    case_id = last_line(run_cli("case", "new", "--from", str(us_case_file))[1])
    change = tmp_path / "change.toml"
    change.write_text('remedy = "Refund $89.99 and waive the late fee."\n')
    code, _out, err = run_cli("case", "edit", case_id, "--from", str(change))
    assert code == 0, err
    shown = json.loads(run_cli("case", "show", case_id, "--json")[1])
    assert shown["title"] == "Charged twice for October service"
    bad = tmp_path / "bad.toml"
    bad.write_text('promo_ends = "soon"\n')
    code, _, err = run_cli("case", "edit", case_id, "--from", str(bad))
    assert code == 2 and "promo_ends" in err


def test_case_show_json_shape(run_cli, us_case_file):
    case_id = last_line(run_cli("case", "new", "--from", str(us_case_file))[1])
    letter_id = last_line(
        run_cli("letter", "draft", case_id, "--kind", "complaint", "--on", "2026-11-26")[1]
    )
    run_cli("letter", "sent", letter_id, "--on", "2026-11-27", "--via", "certified")
    data = json.loads(run_cli("case", "show", case_id, "--json", "--on", "2026-11-30")[1])
    assert {"id", "title", "letters", "events", "next"} <= set(data)
    letter = data["letters"][0]
    assert {
        "id",
        "kind",
        "status",
        "sent_on",
        "via",
        "deemed_receipt",
        "window",
        "deadline",
    } <= set(letter)
    # posted Fri 27 Nov 2026 (day after Thanksgiving is not a federal holiday);
    # 5th business day after: Fri 4 Dec; + 10bd = Fri 18 Dec 2026
    assert letter["deemed_receipt"] == "2026-12-04"
    assert letter["deadline"] == "2026-12-18"
    assert data["next"] == {
        "kind": "follow_up",
        "due": "2026-12-21",
        "reason": data["next"]["reason"],
    }


def test_kinds_json_shape(run_cli):
    _code, out, _ = run_cli("kinds", "--json")
    kinds = json.loads(out)
    complaint = next(k for k in kinds if k["id"] == "complaint")
    assert {"id", "title", "rung", "jurisdictions", "windows"} <= set(complaint)
    assert all(rule["source"] for rule in complaint["windows"].values())
    assert complaint["windows"]["GB"]["window"] == "8w"


def test_locate_prints_the_folders(run_cli, home):
    code, out, _ = run_cli("locate")
    assert code == 0 and str(home) in out and "config.toml" in out and "templates" in out


def test_unexpected_error_is_one_line_and_logged(run_cli, us_case_file, monkeypatch, home):

    def boom(*args, **kwargs):
        raise RuntimeError("disk on fire")

    monkeypatch.setattr(case_services, "new_case", boom)
    code, _out, err = run_cli("case", "new", "--from", str(us_case_file))
    assert code == 1
    assert len(err.strip().splitlines()) == 1 and "disk on fire" in err
    log = (home / "logs" / "paperwork.log").read_text()
    assert "Traceback" in log and "RuntimeError" in log


def test_demo_loads_the_sample_and_renders_it(run_cli, home):
    code, out, err = run_cli("demo", "--no-tui")
    assert code == 0, err
    paths = [Path(p) for p in out.split()]
    assert {p.suffix for p in paths} == {".pdf", ".docx"}
    assert "Acme Broadband" in _pdf_text(next(p for p in paths if p.suffix == ".pdf"))
    # a second run reuses the sample case instead of adding another
    run_cli("demo", "--no-tui")
    assert len(json.loads(run_cli("case", "list", "--json")[1])) == 1


def test_private_permissions(run_cli, us_case_file, home, tmp_path):
    import os
    import stat

    old = os.umask(0o022)
    try:
        case_id = last_line(run_cli("case", "new", "--from", str(us_case_file))[1])
        letter_id = last_line(run_cli("letter", "draft", case_id, "--kind", "complaint")[1])
        out = Path(
            run_cli("letter", "render", letter_id, "--out", str(tmp_path / "o"), "--format", "pdf")[
                1
            ].strip()
        )
    finally:
        os.umask(old)
    assert stat.S_IMODE(home.stat().st_mode) == 0o700
    assert stat.S_IMODE((home / "paperwork.db").stat().st_mode) == 0o600
    assert stat.S_IMODE(out.stat().st_mode) == 0o600


def test_letter_edit_uses_the_editor(run_cli, us_case_file, tmp_path, monkeypatch):
    case_id = last_line(run_cli("case", "new", "--from", str(us_case_file))[1])
    letter_id = last_line(
        run_cli("letter", "draft", case_id, "--kind", "complaint", "--on", "2026-11-26")[1]
    )
    editor = tmp_path / "editor.sh"
    # a stand-in for $EDITOR: replaces the closing block with another one
    editor.write_text('#!/bin/sh\nsed -i "s/^Sincerely,$/Yours truly,/" "$1"\n')
    editor.chmod(0o755)
    monkeypatch.setenv("EDITOR", str(editor))
    code, out, err = run_cli("letter", "edit", letter_id)
    assert code == 0, err
    code, out, _ = run_cli("letter", "show", letter_id)
    assert "Yours truly," in out and "Sincerely," not in out
    assert "Lines starting with #" not in out


def test_bad_currency_is_a_clear_line(run_cli, us_case_file, tmp_path):
    data = json.loads(us_case_file.read_text())
    data["amount"]["currency"] = "dollars"
    bad = tmp_path / "case.json"
    bad.write_text(json.dumps(data))
    code, _, err = run_cli("case", "new", "--from", str(bad))
    assert code == 2 and "amount.currency: 'dollars' is not an ISO 4217 currency code" in err


def test_letter_sent_keeps_the_proof_of_posting(run_cli, us_case_file, tmp_path):
    from PIL import Image

    case_id = last_line(run_cli("case", "new", "--from", str(us_case_file))[1])
    letter_id = last_line(
        run_cli("letter", "draft", case_id, "--kind", "complaint", "--on", "2026-11-26")[1]
    )
    bad = tmp_path / "receipt.txt"
    bad.write_text("not a receipt")
    code, _, err = run_cli("letter", "sent", letter_id, "--via", "certified", "--proof", str(bad))
    assert code == 2 and str(bad) in err
    assert (
        json.loads(run_cli("case", "show", case_id, "--json")[1])["letters"][0]["status"] == "draft"
    )
    receipt = tmp_path / "receipt.png"
    Image.new("RGB", (200, 100), "white").save(receipt)
    code, _out, err = run_cli(
        "letter",
        "sent",
        letter_id,
        "--on",
        "2026-11-27",
        "--via",
        "certified",
        "--proof",
        str(receipt),
    )
    assert code == 0, err
    events = json.loads(run_cli("case", "show", case_id, "--json")[1])["events"]
    assert [e["title"] for e in events if e["kind"] == "evidence"] == ["Proof of posting, letter 1"]


def test_export_redact_masks_personal_details(run_cli, us_case_file, tmp_path):
    run_cli("case", "new", "--from", str(us_case_file))
    out = tmp_path / "public.json"
    code, _, err = run_cli("export", "--out", str(out), "--redact")
    assert code == 0, err
    text = out.read_text()
    for private in (
        "Jordan Rivera",
        "4471-9920",
        "12 Elm Street",
        "jordan@example.org",
        "555 0100",
    ):
        assert private not in text, private
    assert "Acme Broadband" in text and "89.99" in text


def test_a_command_skips_the_last_collection_and_still_runs_exit_handlers(tmp_path):
    """The entry point collects rarely (paperwork/cli/collector.py) and freezes what is left at exit rather than letting Python's last
    garbage collection walk it; exit handlers still run (a temporary folder made before
    the command is removed, and a handler registered before the command sees the freeze),
    and the command closes its database itself: no write-ahead log is left beside it,
    which a read-only copy of the folder could not open."""
    import subprocess
    import sys
    import textwrap

    script = textwrap.dedent(
        """
        import atexit, gc, sys, tempfile
        from paperwork.cli.main import main

        atexit.register(lambda: print("threshold:", gc.get_threshold()[0]))
        atexit.register(lambda: print("frozen at exit:", gc.get_freeze_count() > 0))
        scratch = tempfile.TemporaryDirectory(dir=sys.argv[1])
        print(scratch.name, flush=True)
        sys.argv = ["paperwork", "--home", sys.argv[1] + "/home", "case", "list"]
        main()  # as the console script calls it
        """
    )
    done = subprocess.run(
        [sys.executable, "-c", script, str(tmp_path)], capture_output=True, text=True, timeout=60
    )
    assert done.returncode == 0, done.stderr
    scratch, listing, frozen, threshold = done.stdout.strip().splitlines()
    assert listing.startswith("No cases yet")
    assert threshold == f"threshold: {collector.ONE_COMMAND}"  # collects rarely
    assert frozen == "frozen at exit: True"
    assert not Path(scratch).exists()
    database = tmp_path / "home" / "paperwork.db"
    assert database.is_file()
    assert not database.with_name("paperwork.db-wal").exists()


def test_only_short_commands_collect_rarely(monkeypatch, tmp_path):
    """Short commands keep the rare collection main() chose; every other command, the
    app and the pool server go back to Python's usual setting before their work."""
    import gc

    import paperwork.tui.app

    import paperwork.pool.serve

    usual, rare = collector._AS_USUAL, (collector.ONE_COMMAND, *collector._AS_USUAL[1:])
    before = gc.get_threshold()
    seen = {}
    monkeypatch.setattr(
        paperwork.tui.app, "run", lambda *a, **k: seen.update(app=gc.get_threshold())
    )
    monkeypatch.setattr(
        paperwork.pool.serve, "serve", lambda *a, **k: seen.update(pool=gc.get_threshold())
    )

    def run(*args: str) -> tuple[int, ...]:
        gc.set_threshold(*rare)  # as main() sets it in a process of its own
        try:
            main(["--home", str(tmp_path / "home"), *args])
        except SystemExit as exc:
            assert not exc.code
        finally:
            after = gc.get_threshold()
            gc.set_threshold(*before)
        return after

    assert run("case", "list") == rare
    assert run("export", "--out", str(tmp_path / "all.json")) == usual
    run()  # the app
    run("pool", "serve", "--db", f"sqlite:///{tmp_path / 'pool.db'}")
    assert seen == {"app": usual, "pool": usual}
    # every short command is a real one
    from paperwork.cli.main import COMMAND_MODULES

    assert set(COMMAND_MODULES) >= collector.SHORT_COMMANDS
