"""``letter check`` and the checker's warnings in ``letter render``; the regulator
directory's state routes and the refusal of a postal letter without an address."""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest
from clikit import last_line

DATA = Path(__file__).resolve().parents[1] / "data"


def _draft(run_cli, case_file: Path, kind: str = "complaint") -> str:
    code, out, err = run_cli("case", "new", "--from", str(case_file))
    assert code == 0, err
    code, out, err = run_cli(
        "letter", "draft", last_line(out), "--kind", kind, "--on", "2026-11-26"
    )
    assert code == 0, err
    return last_line(out)


def test_a_clean_letter_checks_clean(run_cli, gb_case_file):
    letter_id = _draft(run_cli, gb_case_file)
    code, out, err = run_cli("letter", "check", letter_id)
    assert (code, err) == (0, ""), out
    assert out.strip() == f"letter {letter_id}: nothing found."


def test_findings_one_line_each_exit_2_and_warnings_in_render(
    run_cli, home, gb_case_file, tmp_path
):
    from paperwork.services.letters import letter_editable_text
    from paperwork.services.session import Paperwork

    letter_id = _draft(run_cli, gb_case_file)
    pw = Paperwork(home)
    original = letter_editable_text(pw, int(letter_id))
    pw.close()
    # a doubled word and a note for the user, brought in through letter edit
    blocks = original.split("\n\n")
    blocks[2] = "I wrote to the the complaints team. " + blocks[2]
    blocks.insert(3, "Note: keep a copy of this letter.")
    edited = tmp_path / "edited.txt"
    edited.write_text("\n\n".join(blocks), encoding="utf-8")
    code, out, err = run_cli("letter", "edit", letter_id, "--from", str(edited))
    assert code == 0, err
    code, out, err = run_cli("letter", "check", letter_id)
    assert code == 2, out + err
    lines = out.strip().splitlines()
    assert len(lines) == 2
    assert all(line.startswith(f"letter {letter_id}: ") for line in lines)
    assert any('doubled word: "I wrote to the the complaints' in line for line in lines)
    assert any("meant for you" in line for line in lines)
    code, out, err = run_cli("letter", "render", letter_id, "--out", str(tmp_path / "out"))
    assert code == 0
    assert len(out.strip().splitlines()) == 2  # the two files
    warnings = err.strip().splitlines()
    assert len(warnings) == 2 and all(
        w.startswith(f"warning: letter {letter_id}: ") for w in warnings
    )


def test_letter_check_help_has_an_example(run_cli):
    code, out, _ = run_cli("letter", "check", "--help")
    assert code == 0 and "Example: paperwork letter check 3" in out


def test_letter_check_of_an_unknown_letter_is_one_line(run_cli):
    code, _out, err = run_cli("letter", "check", "99")
    assert code == 2 and len(err.strip().splitlines()) == 1 and "Traceback" not in err


# -- regulators: the state attorney general, and no letter by post without an address


@pytest.mark.parametrize(
    ("jurisdiction", "category", "expected"),
    [
        ("US-MA", "billing", "us-ag-ma"),  # the state's own body for the category
        ("US-CA", "subscription", "us-ag-ca"),
        ("US-TX", "goods", "us-ag-tx"),
        ("US-CA", "data_protection", "us-cppa"),  # a state body for the category wins
        ("US-MA", "telecoms", "us-fcc"),  # no state body for it: the national one
        ("US-TX", "energy", "us-ag-tx"),  # the national placeholder has no address
        ("US", "billing", "us-attorney-general"),  # no state known: the placeholder
    ],
)
def test_us_state_attorney_general_routing(jurisdiction, category, expected):
    from paperwork.core.catalog import find_authority

    assert find_authority(jurisdiction, category).id == expected


def test_every_state_and_dc_has_an_attorney_general_with_a_postal_address():
    from paperwork.core.catalog import find_authority

    states = [
        "AL",
        "AK",
        "AZ",
        "AR",
        "CA",
        "CO",
        "CT",
        "DE",
        "FL",
        "GA",
        "HI",
        "ID",
        "IL",
        "IN",
        "IA",
        "KS",
        "KY",
        "LA",
        "ME",
        "MD",
        "MA",
        "MI",
        "MN",
        "MS",
        "MO",
        "MT",
        "NE",
        "NV",
        "NH",
        "NJ",
        "NM",
        "NY",
        "NC",
        "ND",
        "OH",
        "OK",
        "OR",
        "PA",
        "RI",
        "SC",
        "SD",
        "TN",
        "TX",
        "UT",
        "VT",
        "VA",
        "WA",
        "WV",
        "WI",
        "WY",
        "DC",
    ]
    for state in states:
        body = find_authority(f"US-{state}", "general")
        assert body is not None and state in body.subdivisions, state
        assert body.address and any(state in line for line in body.address), state


def test_a_regulator_letter_by_post_without_an_address_is_refused(run_cli, home, tmp_path):
    data = tomllib.loads((DATA / "case_us_ma.toml").read_text(encoding="utf-8"))
    data["jurisdiction"] = "US"  # no state: the national placeholder has no address
    import json

    case_file = tmp_path / "case.json"
    case_file.write_text(json.dumps(data, default=str), encoding="utf-8")
    code, out, err = run_cli("case", "new", "--from", str(case_file))
    assert code == 0, err
    case_id = last_line(out)
    # a regulator complaint follows a complaint the company has had
    code, out, err = run_cli(
        "letter", "draft", case_id, "--kind", "complaint", "--on", "2026-10-01"
    )
    assert code == 0, err
    code, _, err = run_cli(
        "letter", "sent", last_line(out), "--via", "registered", "--on", "2026-10-01"
    )
    assert code == 0, err
    code, out, err = run_cli(
        "letter", "draft", case_id, "--kind", "regulator_complaint", "--on", "2026-11-26"
    )
    assert code == 2
    lines = err.strip().splitlines()
    assert len(lines) == 1, lines
    assert "us-attorney-general" in lines[0] and "regulators.toml" in lines[0]
    assert str(home / "regulators.toml") in lines[0]
    # given in the user's regulators.toml, the letter drafts and goes to that address
    (home / "regulators.toml").write_text(
        '[[body]]\nid = "us-attorney-general"\ncountry = "US"\ncategories = ["general"]\n'
        'name = "Office of the Attorney General"\n'
        'address = ["Consumer Protection Division", "PO Box 1", "Springfield, IL 62701"]\n',
        encoding="utf-8",
    )
    from paperwork.core.catalog import _directory

    _directory.cache_clear()
    code, out, err = run_cli(
        "letter", "draft", case_id, "--kind", "regulator_complaint", "--on", "2026-11-26"
    )
    assert code == 0, err
    code, out, err = run_cli("letter", "show", last_line(out))
    assert "Springfield, IL 62701" in out
    _directory.cache_clear()
