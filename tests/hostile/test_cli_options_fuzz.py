"""Property tests: any text in the command line's free-text options.

``log call --rep/--ref/--promised/--notes``, ``log response --summary``,
``evidence add --title`` and ``letter draft --kind/--window/--locale/--tactic``
either store the text as typed (and print it back without raw control
characters) or refuse it with one clear line and exit status 2. Never a
traceback, never exit 1.
"""

from __future__ import annotations

import json

from hostile_helpers import TODAY, assert_terminal_safe, base_case, write_case
from hostile_text import hostile_text
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

CLI = settings(
    max_examples=500,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
# argv strings cannot hold NUL in a real process; everything else can reach us
option_text = hostile_text.map(lambda s: s.replace("\x00", "\\0"))


def _new_case(run_cli, tmp_path) -> str:
    code, out, err = run_cli(
        "case", "new", "--from", str(write_case(tmp_path, base_case())), "--on", TODAY.isoformat()
    )
    assert code == 0, err
    return out.strip().splitlines()[-1]


def _check_outcome(code: int, out: str, err: str) -> None:
    assert code in (0, 2), (code, err[:500])
    assert "Traceback" not in out + err
    assert_terminal_safe(out + err)
    if code == 2:
        lines = err.strip().splitlines()
        assert lines, "a refusal must say why"
        # click's own usage errors end with an "Error: ..." line; ours are "paperwork: ..." lines
        assert all(line.startswith("paperwork: ") for line in lines) or lines[-1].startswith(
            "Error: "
        ), err[:500]


def _count_events(pw) -> int:
    return pw.store.conn.execute("SELECT COUNT(*) FROM events").fetchone()[0]


def _last_event(pw) -> dict:
    row = pw.store.conn.execute("SELECT data FROM events ORDER BY id DESC LIMIT 1").fetchone()
    return json.loads(row[0])


@CLI
@given(option=st.sampled_from(["--rep", "--ref", "--promised", "--notes"]), value=option_text)
@example(option="--notes", value="\x1b[2J\x1b[31mPWNED\u202e")
@example(option="--rep", value="--on=2020-01-01")
def test_log_call_text_options(run_cli, tmp_path, pw, option, value):
    case_id = _new_case(run_cli, tmp_path) if not (tmp_path / "case.json").exists() else "1"
    before = _count_events(pw)
    code, out, err = run_cli(
        "log",
        "call",
        case_id,
        "--on",
        TODAY.isoformat(),
        "--waited",
        "5",
        "--duration",
        "3",
        f"{option}={value}",
    )
    _check_outcome(code, out, err)
    if code == 0:
        assert _count_events(pw) == before + 1
        stored = _last_event(pw)["data"].get(option[2:], "")
        from paperwork.core.schema import entry_form

        # kept as typed, composed (NFC) and without invisible characters
        assert (
            stored
            == entry_form(
                value.replace("\u2028", "\n")
                .replace("\u2029", "\n\n")
                .replace("\r\n", "\n")
                .replace("\r", "\n")
            ).strip()
        )
    else:
        assert _count_events(pw) == before, "a refused call must not be half-recorded"


@CLI
@given(value=option_text)
def test_log_response_summary(run_cli, tmp_path, pw, value):
    case_id = _new_case(run_cli, tmp_path) if not (tmp_path / "case.json").exists() else "1"
    code, out, err = run_cli(
        "log", "response", case_id, "--on", TODAY.isoformat(), f"--summary={value}"
    )
    _check_outcome(code, out, err)
    if code == 0 and _count_events(pw) % 50 == 1:
        code, out, err = run_cli("case", "show", case_id, "--on", TODAY.isoformat())
        _check_outcome(code, out, err)


@CLI
@given(
    option=st.sampled_from(["--kind", "--window", "--locale", "--tactic", "--on"]),
    value=st.one_of(
        option_text,
        st.sampled_from(
            [
                "14d",
                "10bd",
                "8w",
                "1m",
                "0d",
                "99999999w",
                "-1d",
                "1.5m",
                "de_DE",
                "complaint",
                "../../etc/passwd",
                "CON",
                "2026-02-30",
                "9999-12-31",
                "0001-01-01",
            ]
        ),
    ),
)
def test_letter_draft_options(run_cli, tmp_path, pw, option, value):
    case_id = _new_case(run_cli, tmp_path) if not (tmp_path / "case.json").exists() else "1"
    args = ["letter", "draft", case_id, "--kind", "complaint", "--on", TODAY.isoformat()]
    if option in ("--kind", "--on"):
        args[args.index(option) + 1] = value
    else:
        args.append(f"{option}={value}")
    code, out, err = run_cli(*args)
    _check_outcome(code, out, err)


@settings(
    max_examples=150,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(value=option_text)
def test_evidence_title(run_cli, tmp_path, pw, value):
    case_id = _new_case(run_cli, tmp_path) if not (tmp_path / "case.json").exists() else "1"
    photo = tmp_path / "receipt.pdf"
    if not photo.exists():
        from reportlab.pdfgen.canvas import Canvas

        canvas = Canvas(str(photo))
        canvas.drawString(72, 720, "receipt")
        canvas.save()
    code, out, err = run_cli(
        "evidence", "add", case_id, str(photo), f"--title={value}", "--on", TODAY.isoformat()
    )
    _check_outcome(code, out, err)
