"""Finding 5: state changes that race are compare-and-set; one wins, the others are refused."""

from __future__ import annotations

import json
import subprocess
import time

from hostile_helpers import (
    assert_clean_refusal,
    base_case,
    paperwork_cmd,
    run_paperwork,
    subprocess_env,
    write_case,
)

RACERS = 6


def _store_with_three_letters(tmp_path):
    home = tmp_path / "home"
    case = write_case(tmp_path, base_case())
    done = run_paperwork(home, "case", "new", "--from", str(case))
    assert done.returncode == 0, done.stderr
    for _ in range(3):
        drafted = run_paperwork(
            home, "letter", "draft", "1", "--kind", "complaint", "--on", "2026-11-20"
        )
        assert drafted.returncode == 0, drafted.stderr
    return home


def test_six_concurrent_letter_sent_one_wins(tmp_path):
    home = _store_with_three_letters(tmp_path)
    env = subprocess_env(home)
    procs = [
        subprocess.Popen(
            paperwork_cmd(
                "--home",
                str(home),
                "letter",
                "sent",
                "3",
                "--on",
                "2026-11-21",
                "--via",
                "certified",
                "--tracking",
                f"TRK{i}",
            ),
            env=env,
            cwd=str(tmp_path),
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for i in range(1, RACERS + 1)
    ]
    results = []
    for index, proc in enumerate(procs, start=1):
        out, err = proc.communicate(timeout=180)
        results.append((index, proc.returncode, out, err))
    winners = [r for r in results if r[1] == 0]
    assert len(winners) == 1, results
    for _index, code, out, err in results:
        if code != 0:
            assert_clean_refusal(code, out, err)
            assert "another command" in err
    shown = run_paperwork(home, "case", "show", "1", "--json")
    letters = {row["id"]: row for row in json.loads(shown.stdout)["letters"]}
    assert letters[3]["status"] == "sent"
    exported = run_paperwork(home, "export", "--out", str(tmp_path / "all.json"))
    assert exported.returncode == 0, exported.stderr
    doc = json.loads((tmp_path / "all.json").read_text(encoding="utf-8"))
    kept = next(row for row in doc["letters"] if row["id"] == 3)
    assert kept["tracking"] == f"TRK{winners[0][0]}"


def test_delivered_twice_with_another_day_is_refused(tmp_path):
    home = _store_with_three_letters(tmp_path)
    sent = run_paperwork(home, "letter", "sent", "1", "--on", "2026-11-21", "--via", "post")
    assert sent.returncode == 0, sent.stderr
    first = run_paperwork(home, "letter", "delivered", "1", "--on", "2026-11-23")
    assert first.returncode == 0, first.stderr
    again = run_paperwork(home, "letter", "delivered", "1", "--on", "2026-11-24")
    assert_clean_refusal(again.returncode, again.stdout, again.stderr)


def test_edit_started_before_another_change_is_refused(tmp_path):
    from paperwork.core.errors import UserError
    from paperwork.services.letters import edit_letter, letter_editable_text
    from paperwork.services.session import Paperwork

    home = _store_with_three_letters(tmp_path)
    pw = Paperwork(home)
    original = letter_editable_text(pw, 2)
    edit_letter(pw, 2, original.replace("Dear", "Hello", 1))  # another window saves first
    time.sleep(0)
    try:
        edit_letter(pw, 2, original + "\nMore.", expected=original)
    except UserError as exc:
        assert "another command" in exc.problems[0]
    else:  # pragma: no cover
        raise AssertionError("a stale edit overwrote a newer one")
    finally:
        pw.close()
