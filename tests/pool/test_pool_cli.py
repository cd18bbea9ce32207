"""The organiser's commands and the refusals: revoke a member or invites, a new invite,
a revoked member's share (exit 2, one line), a stranger's organiser command."""

from __future__ import annotations

from datetime import date
from pathlib import Path


def _runner(home: Path, capsys):
    from paperwork.cli.main import main

    def run(*args: str) -> tuple[int, str, str]:
        try:
            main(["--home", str(home), *args])
        except SystemExit as exc:
            code = exc.code if isinstance(exc.code, int) else 1
        out, err = capsys.readouterr()
        return code, out, err

    return run


def test_organiser_revokes_a_member_and_the_invites(server, tmp_path, capsys):
    from paperwork.services.demo import sample_case_path

    organiser, member = _runner(tmp_path / "org", capsys), _runner(tmp_path / "m", capsys)
    code, out, err = organiser(
        "pool", "create", "--server", server.url, "--company", "Acme", "--country", "US",
        "--category", "billing", "--title", "Double billing",
    )  # fmt: skip
    assert code == 0, err
    link = out.strip().splitlines()[-1]
    for run in (organiser, member):
        assert run("case", "new", "--from", str(sample_case_path()))[0] == 0
    assert organiser("pool", "join", link, "--case", "1")[0] == 0
    code, out, _err = member("pool", "join", link, "--case", "1")
    member_id = out.strip().splitlines()[-1]

    code, _out, err = member("pool", "invite", "1")  # not the organiser
    assert code == 2 and "organiser" in err and len(err.strip().splitlines()) == 1

    code, out, err = organiser("pool", "revoke", "1", "--member", member_id)
    assert code == 0, err
    letter = member("letter", "draft", "1", "--kind", "complaint")[1].split()[-1]
    today = date.today().isoformat()
    assert member("letter", "sent", letter, "--on", today, "--via", "certified")[0] == 0
    code, _out, err = member("pool", "share", "1")
    assert code == 2 and "revoked" in err and len(err.strip().splitlines()) == 1
    code, _out, err = member("pool", "share", "1")  # known locally now: still refused
    assert code == 2 and "revoked" in err

    code, out, err = organiser("pool", "invite", "1", "--days", "7")
    assert code == 0 and "/j/" in out.strip().splitlines()[-1], err
    code, out, err = organiser("pool", "revoke", "1", "--invite", "all")
    assert code == 0 and "invites revoked" in out, err
    stranger = _runner(tmp_path / "s", capsys)
    assert stranger("case", "new", "--from", str(sample_case_path()))[0] == 0
    code, _out, err = stranger("pool", "join", link, "--case", "1")
    assert code == 2 and len(err.strip().splitlines()) == 1

    code, _out, err = organiser("pool", "revoke", "1")
    assert code == 2 and "--member or --invite" in err


def test_the_server_database_comes_from_the_option_the_environment_or_the_data_folder(pw):
    from paperwork.services.pool import DB_ENV, default_db_url

    assert default_db_url(pw, "postgresql://x/y", {DB_ENV: "sqlite:///z"}) == "postgresql://x/y"
    assert default_db_url(pw, None, {DB_ENV: "sqlite:///z"}) == "sqlite:///z"
    assert default_db_url(pw, None, {}) == f"sqlite:///{pw.home / 'pool.db'}"
