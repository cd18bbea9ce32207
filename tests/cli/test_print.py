"""``paperwork letter print`` and ``envelope --print`` through a fake CUPS ``lp`` that
records its arguments and what it was given on standard input."""

from __future__ import annotations

import shlex
from pathlib import Path

import pytest
from clikit import last_line


@pytest.fixture
def fake_lp(tmp_path, monkeypatch):
    """A PATH holding only a fake lp (and, when asked, a fake lpstat)."""
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    calls = tmp_path / "lp-calls"

    def install(lpstat: str | None = None, lp: bool = True) -> Path:
        if lp:
            script = bin_dir / "lp"
            script.write_text(
                "#!/bin/sh\n"
                f'printf "%s\\n" "$@" > {calls}.args\n'
                f"/bin/cat > {calls}.data\n"
                'echo "request id is office-7 (1 file(s))"\n'
            )
            script.chmod(0o755)
        if lpstat is not None:
            script = bin_dir / "lpstat"
            script.write_text(f"#!/bin/sh\n{lpstat}\n")
            script.chmod(0o755)
        return calls

    monkeypatch.setenv("PATH", str(bin_dir))  # nothing else: no real lp, no real lpstat
    monkeypatch.delenv("PRINTER", raising=False)
    monkeypatch.delenv("LPDEST", raising=False)
    return install


def _args(calls: Path) -> list[str]:
    return calls.with_suffix(".args").read_text().splitlines()


def _letter(run_cli, case_file) -> str:
    assert run_cli("case", "new", "--from", str(case_file))[0] == 0
    code, out, err = run_cli("letter", "draft", "1", "--kind", "complaint")
    assert code == 0, err
    return last_line(out)


def test_letter_print_us_letter_with_printer_and_copies(run_cli, fake_lp, us_case_file):
    calls = fake_lp()
    letter = _letter(run_cli, us_case_file)
    code, out, err = run_cli("letter", "print", letter, "--printer", "office", "--copies", "2")
    assert (code, err) == (0, ""), err
    assert last_line(out) == "request id is office-7 (1 file(s))"
    args = _args(calls)
    assert args[:2] == ["-d", "office"]
    assert " ".join(args[2:]) == f"-t paperwork letter {letter} -n 2 -o media=Letter"
    assert calls.with_suffix(".data").read_bytes().startswith(b"%PDF-")


@pytest.mark.parametrize(
    ("duplex", "sides"), [("true", "two-sided-long-edge"), ("false", "one-sided")]
)
def test_a4_paper_and_duplex_from_the_config(run_cli, fake_lp, gb_case_file, home, duplex, sides):
    calls = fake_lp()
    letter = _letter(run_cli, gb_case_file)
    (home / "config.toml").write_text(f'printer = "hall"\nprint_duplex = {duplex}\n')
    code, _out, err = run_cli("letter", "print", letter)
    assert code == 0, err
    assert shlex.join(_args(calls)) == (
        f"-d hall -t 'paperwork letter {letter}' -n 1 -o media=A4 -o sides={sides}"
    )


def test_the_default_printer_is_used_when_there_is_one(run_cli, fake_lp, gb_case_file):
    calls = fake_lp(lpstat='echo "system default destination: office"')
    letter = _letter(run_cli, gb_case_file)
    code, _out, err = run_cli("letter", "print", letter)
    assert code == 0, err
    assert "-d" not in _args(calls) and "media=A4" in _args(calls)


def test_no_printer_at_all_is_one_line_and_exit_2(run_cli, fake_lp, gb_case_file):
    calls = fake_lp(lpstat='echo "no system default destination"; exit 1')
    letter = _letter(run_cli, gb_case_file)
    code, out, err = run_cli("letter", "print", letter)
    assert (code, out) == (2, "")
    assert len(err.strip().splitlines()) == 1
    assert "no default printer: give --printer NAME" in err
    assert not calls.with_suffix(".args").exists()


def test_no_lp_is_one_line_and_exit_2(run_cli, fake_lp, gb_case_file):
    fake_lp(lp=False)
    letter = _letter(run_cli, gb_case_file)
    code, _out, err = run_cli("letter", "print", letter, "--printer", "office")
    assert code == 2 and len(err.strip().splitlines()) == 1
    assert "printing needs CUPS' lp command" in err


def test_lp_refusing_the_job_is_one_line(run_cli, fake_lp, gb_case_file, tmp_path):
    fake_lp()
    (tmp_path / "bin" / "lp").write_text(
        '#!/bin/sh\n/bin/cat >/dev/null\necho "lp: The printer or class does not exist." >&2\nexit 1\n'
    )
    letter = _letter(run_cli, gb_case_file)
    code, _out, err = run_cli("letter", "print", letter, "--printer", "nope")
    assert code == 2
    assert err.strip() == (
        "paperwork: lp refused the job (lp: The printer or class does not exist.)."
    )


@pytest.mark.parametrize(("which", "media"), [("us", "Env10"), ("gb", "EnvDL")])
def test_envelope_print(run_cli, fake_lp, us_case_file, gb_case_file, home, which, media):
    calls = fake_lp()
    letter = _letter(run_cli, us_case_file if which == "us" else gb_case_file)
    (home / "config.toml").write_text("print_duplex = true\n")
    code, out, err = run_cli("envelope", letter, "--print", "--printer", "desk")
    assert code == 0, err
    assert "request id" in out
    args = _args(calls)
    assert f"media={media}" in args and "sides=one-sided" in args
    assert calls.with_suffix(".data").read_bytes().startswith(b"%PDF-")
    code, _out, err = run_cli("envelope", letter)
    assert code == 2 and "give --out FILE.pdf, --print, or both." in err


def test_copies_are_checked(run_cli, fake_lp, gb_case_file):
    fake_lp()
    letter = _letter(run_cli, gb_case_file)
    code, _out, err = run_cli("letter", "print", letter, "--copies", "0")
    assert code == 2 and "--copies" in err
