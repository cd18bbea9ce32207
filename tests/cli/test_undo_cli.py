"""``paperwork undo`` reverts the last change, whatever it was, one at a time."""

from __future__ import annotations

from clikit import last_line


def test_undo_reverts_the_last_change_then_says_there_is_nothing(run_cli, us_case_file):
    code, out, err = run_cli("case", "new", "--from", str(us_case_file))
    case_id = last_line(out)
    code, out, err = run_cli(
        "log", "call", case_id, "--waited", "5", "--duration", "2", "--on", "2026-11-20"
    )
    assert code == 0, err
    code, out, err = run_cli("undo")
    assert (code, out) == (0, f"Undone: call logged on case {case_id}.\n")
    code, out, err = run_cli("case", "show", case_id, "--json")
    assert '"events": []' in out.replace("\n", "").replace(" ", "").replace(
        '"events":[]', '"events": []'
    )
    code, out, err = run_cli("undo")
    assert out.startswith("Undone: new case")
    code, out, err = run_cli("undo")
    assert (code, out) == (0, "Nothing to undo.\n")


def test_a_call_dated_after_today_is_refused_in_one_line(run_cli, us_case_file):
    code, out, err = run_cli("case", "new", "--from", str(us_case_file))
    code, out, err = run_cli(
        "log", "call", last_line(out), "--waited", "5", "--duration", "2", "--on", "2999-01-01"
    )
    assert code == 2
    assert (
        err.strip().splitlines() == [err.strip().splitlines()[0]]
        and "--on: 2999-01-01 is after today" in err
    )
