"""Input checked at entry: jurisdictions against the holiday calendar, output paths
that cannot be written. One line naming the field or option, exit 2, nothing written."""

from __future__ import annotations

import os
import tomllib

import pytest
from clikit import DATA, last_line


def _case_file(tmp_path, jurisdiction: str):
    text = (DATA / "case_de.toml").read_text()
    data = tomllib.loads(text)
    assert data["jurisdiction"] == "DE-BY"
    path = tmp_path / "case.toml"
    path.write_text(text.replace('jurisdiction = "DE-BY"', f'jurisdiction = "{jurisdiction}"'))
    return path


def test_an_unknown_subdivision_is_refused_with_the_valid_codes(tmp_path, run_cli, home):
    code, out, err = run_cli("case", "new", "--from", str(_case_file(tmp_path, "DE-XX")))
    assert code == 2 and out == ""
    lines = err.strip().splitlines()
    assert len(lines) == 1
    assert "jurisdiction: 'DE-XX': unknown subdivision of DE; valid: " in lines[0]
    assert "BY" in lines[0] and "NW" in lines[0] and "Augsburg" not in lines[0]
    assert run_cli("case", "list", "--json")[1].strip() == "[]"


def test_a_subdivision_where_the_country_has_none(tmp_path, run_cli):
    code, _out, err = run_cli("case", "new", "--from", str(_case_file(tmp_path, "LU-X")))
    assert code == 2 and "jurisdiction: 'LU-X': LU has no subdivisions" in err


@pytest.mark.parametrize("jurisdiction", ["DE-BY", "DE-NW", "GB-SCT", "US-MA", "FR"])
def test_known_subdivisions_are_accepted(tmp_path, run_cli, jurisdiction):
    code, _out, err = run_cli("case", "new", "--from", str(_case_file(tmp_path, jurisdiction)))
    assert code == 0, err


@pytest.fixture
def letter(run_cli, gb_case_file):
    assert run_cli("case", "new", "--from", str(gb_case_file))[0] == 0
    code, out, _err = run_cli("letter", "draft", "1", "--kind", "complaint")
    assert code == 0
    return last_line(out)


def _one_line(err: str) -> str:
    lines = err.strip().splitlines()
    assert len(lines) == 1, err
    return lines[0]


@pytest.mark.parametrize(
    "args",
    [
        ("export", "--out", "{below}/x.json"),
        ("calendar", "--out", "{below}/x.ics"),
        ("bundle", "1", "--out", "{below}/x.pdf"),
        ("envelope", "1", "--out", "{below}/x.pdf"),
        ("letter", "email", "1", "--out", "{below}/x.eml"),
        ("campaign", "template", "--out", "{below}/x.csv"),
        ("reissue", "--out", "{below}/letters"),
    ],
)
def test_a_file_in_the_way_of_the_output_folder_is_one_line_and_exit_2(
    tmp_path, run_cli, letter, args
):
    in_the_way = tmp_path / "notes.txt"
    in_the_way.write_text("mine")
    args = [arg.format(below=in_the_way / "sub") for arg in args]
    code, out, err = run_cli(*args)
    assert (code, out) == (2, "")
    assert _one_line(err) == f"paperwork: --out: {args[-1]}: {in_the_way} is not a folder."
    assert in_the_way.read_text() == "mine"


def test_missing_folders_below_a_writable_one_are_created(tmp_path, run_cli, letter):
    out = tmp_path / "new" / "folder" / "x.json"
    code, _out, err = run_cli("export", "--out", str(out))
    assert code == 0, err
    assert out.is_file()


def test_render_into_a_file_path_is_one_line_and_exit_2(tmp_path, run_cli, letter):
    a_file = tmp_path / "taken.txt"
    a_file.write_text("x")
    code, _out, err = run_cli("letter", "render", letter, "--out", str(a_file))
    assert code == 2 and _one_line(err) == f"paperwork: --out: {a_file}: is a file; give a folder."
    code, _out, err = run_cli("letter", "render", letter, "--out", str(a_file / "below"))
    assert code == 2 and _one_line(err).endswith(f"{a_file} is not a folder.")
    code, _out, err = run_cli("export", "--out", str(tmp_path))
    assert code == 2 and _one_line(err).endswith("is a folder; give a file name.")


@pytest.mark.skipif(os.geteuid() == 0, reason="root writes into read-only folders")
def test_a_read_only_folder_is_one_line_and_exit_2(tmp_path, run_cli, letter):
    locked = tmp_path / "locked"
    locked.mkdir()
    locked.chmod(0o500)
    try:
        code, _out, err = run_cli("export", "--out", str(locked / "x.json"))
        assert code == 2 and _one_line(err).endswith(f"the folder {locked} cannot be written to.")
        code, _out, err = run_cli("export", "--out", str(locked / "sub" / "x.json"))
        assert code == 2 and _one_line(err).endswith(f"{locked} cannot be written to.")
        code, _out, err = run_cli("letter", "render", letter, "--out", str(locked / "letters"))
        assert code == 2 and "cannot be written to" in err
        assert list(locked.iterdir()) == []
    finally:
        locked.chmod(0o700)


def test_the_folder_check_itself_for_a_read_only_folder(tmp_path, monkeypatch):
    # The same check as above, run whoever the user is: os.access says "no".
    from paperwork.cli import support

    monkeypatch.setattr(os, "access", lambda *a: False)
    assert support._output_problem(tmp_path / "x.json", folder=False) == (
        f"the folder {tmp_path} cannot be written to."
    )
    assert support._output_problem(tmp_path / "new" / "dir", folder=True) == (
        f"the folder {tmp_path / 'new' / 'dir'} cannot be created: {tmp_path} cannot be written to."
    )


@pytest.mark.parametrize(
    "args, option",
    [
        (("chronology", "1"), "--out"),
        (("bundle", "1"), "--out"),
        (("log", "outcome", "1", "--kind", "refund"), "--on"),
        (("letter", "delivered", "1"), "--on"),
        (("case", "new"), "--from"),
        (("letter", "render", "1"), "--out"),
    ],
)
def test_a_missing_required_option_is_named_before_any_work(run_cli, args, option):
    # the shared option helpers give required options no default: an explicit None
    # would count as a value in click 8.3 and later and reach the command as None
    code, out, err = run_cli(*args)
    assert code == 2 and out == ""
    assert f"Missing option '{option}'" in err and "Traceback" not in err


def test_a_reader_that_goes_away_ends_the_command_quietly(home):
    # `paperwork kinds | head -1`: the reader closes its end; the command stops with
    # status 0 and says nothing (no "unexpected error", no traceback in the log)
    import subprocess
    import sys

    read_end, write_end = os.pipe()
    os.close(read_end)
    try:
        done = subprocess.run(
            [sys.executable, "-m", "paperwork", "--home", str(home), "kinds"],
            stdout=write_end,
            stderr=subprocess.PIPE,
            text=True,
            timeout=60,
        )
    finally:
        os.close(write_end)
    assert done.returncode == 0 and done.stderr == ""
    log = home / "logs" / "paperwork.log"
    assert not log.exists() or "BrokenPipeError" not in log.read_text()
