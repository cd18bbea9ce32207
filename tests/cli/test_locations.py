"""Where things live: XDG config and state folders for the default data folder,
everything inside a data folder given with --home or $PAPERWORK_HOME."""

from __future__ import annotations

import json

import pytest

from paperwork.cli.main import main


@pytest.fixture
def xdg(tmp_path, monkeypatch):
    """No $PAPERWORK_HOME; the XDG folders point into the test's own folder."""
    monkeypatch.delenv("PAPERWORK_HOME", raising=False)
    folders = {name: tmp_path / "xdg" / name for name in ("data", "config", "state", "cache")}
    for name, path in folders.items():
        monkeypatch.setenv(f"XDG_{name.upper()}_HOME", str(path))
    monkeypatch.setenv("HOME", str(tmp_path / "xdg"))
    return folders


def _run(capsys, *args: str) -> tuple[int, str, str]:
    try:
        main(list(args))
    except SystemExit as exc:
        code = exc.code if isinstance(exc.code, int) else 1
    out, err = capsys.readouterr()
    return code, out, err


def test_locate_json_follows_the_xdg_folders(xdg, capsys):
    code, out, err = _run(capsys, "locate", "--json")
    assert (code, err) == (0, "")
    where = json.loads(out)
    assert {"data", "config", "logs", "templates"} <= set(where)
    assert all(value.startswith("/") for value in where.values())
    assert where["data"] == str(xdg["data"] / "paperwork")
    assert where["config"] == str(xdg["config"] / "paperwork" / "config.toml")
    assert where["logs"].startswith(str(xdg["state"] / "paperwork"))
    assert where["templates"] == str(xdg["data"] / "paperwork" / "templates")
    assert not (xdg["data"] / "paperwork").exists()  # locating creates nothing


def test_config_set_writes_the_xdg_config_file_and_it_is_read(xdg, capsys):
    code, _out, err = _run(capsys, "config", "set", "lang", "de")
    assert (code, err) == (0, "")
    path = xdg["config"] / "paperwork" / "config.toml"
    assert path.read_text() == 'lang = "de"\n'
    code, out, _err = _run(capsys, "config", "show", "--json")
    assert json.loads(out)["lang"] == "de" and json.loads(out)["file"] == str(path)
    # The interface follows it (German help).
    code, out, _err = _run(capsys, "locate", "--help")
    assert "Optionen" in out or "Aufruf" in out


def test_an_existing_config_in_the_data_folder_is_still_read_and_wins(xdg, capsys):
    data = xdg["data"] / "paperwork"
    data.mkdir(parents=True)
    (data / "config.toml").write_text('theme = "dark"\n')
    xdg_config = xdg["config"] / "paperwork" / "config.toml"
    xdg_config.parent.mkdir(parents=True)
    xdg_config.write_text('theme = "light"\n')
    _code, out, _err = _run(capsys, "locate", "--json")
    assert json.loads(out)["config"] == str(data / "config.toml")
    _code, out, _err = _run(capsys, "config", "show", "--json")
    assert json.loads(out)["theme"] == "dark"
    _run(capsys, "config", "set", "layout", "din5008_a")
    assert 'layout = "din5008_a"' in (data / "config.toml").read_text()
    assert xdg_config.read_text() == 'theme = "light"\n'


@pytest.mark.parametrize("how", ["option", "environment"])
def test_an_explicit_data_folder_keeps_config_and_logs_inside(
    xdg, tmp_path, capsys, monkeypatch, how
):
    folder = tmp_path / "mine"
    if how == "option":
        args = ["--home", str(folder)]
    else:
        monkeypatch.setenv("PAPERWORK_HOME", str(folder))
        args = []
    _code, out, _err = _run(capsys, *args, "locate", "--json")
    where = json.loads(out)
    assert where["data"] == str(folder)
    assert where["config"] == str(folder / "config.toml")
    assert where["logs"] == str(folder / "logs")
    _run(capsys, *args, "config", "set", "theme", "dark")
    assert (folder / "config.toml").is_file()
    assert not (xdg["config"] / "paperwork").exists()


def test_the_crash_log_goes_to_the_xdg_state_folder(xdg, capsys, monkeypatch):
    import paperwork.cli.support as support
    from paperwork.store import config

    def broken(data):
        raise RuntimeError("boom")

    monkeypatch.setattr(support, "emit_json", broken)  # an unexpected failure inside a command
    code, _out, err = _run(capsys, "locate", "--json")
    assert code == 1 and "unexpected error: RuntimeError: boom" in err
    log = config.locations(config.default_home()).log_file
    assert log.is_relative_to(xdg["state"]) and log.is_file()
    assert "RuntimeError: boom" in log.read_text()
    assert str(log) in err
    assert not (xdg["data"] / "paperwork").exists()
