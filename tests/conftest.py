"""Shared fixtures: every test gets its own data folder and a fixed 'today'."""

from __future__ import annotations

import os
from datetime import date
from pathlib import Path

import pytest
from clikit import DATA

TODAY = date(2026, 11, 26)


@pytest.fixture(scope="session")
def cache_folder(tmp_path_factory):
    """One cache folder per test worker: the suite never writes into the user's own."""
    return tmp_path_factory.mktemp("cache")


@pytest.fixture(autouse=True)
def home(tmp_path, monkeypatch, cache_folder):
    """A private, empty data folder; $PAPERWORK_HOME points at it."""
    folder = tmp_path / "home"
    monkeypatch.setenv("PAPERWORK_HOME", str(folder))
    if "PAPERWORK_CACHE" not in os.environ:
        monkeypatch.setenv("PAPERWORK_CACHE", str(cache_folder))
    monkeypatch.setenv("LANG", "C.UTF-8")
    monkeypatch.delenv("LC_ALL", raising=False)
    monkeypatch.delenv("LC_MESSAGES", raising=False)
    monkeypatch.delenv("LANGUAGE", raising=False)
    from paperwork.core.i18n import install_language

    install_language("en")  # a test that switched the interface language must not leak it
    yield folder
    install_language("en")
    os.environ.pop("LANGUAGE", None)


@pytest.fixture
def run_cli(home, capsys):
    """Run the command line in-process: returns (exit status, stdout, stderr)."""
    from paperwork.cli.main import main

    def run(*args: str) -> tuple[int, str, str]:
        try:
            main(["--home", str(home), *args])
        except SystemExit as exc:
            code = exc.code if isinstance(exc.code, int) else 1
        else:  # pragma: no cover - main always exits
            code = 0
        out, err = capsys.readouterr()
        return code, out, err

    return run


@pytest.fixture
def pw(home):
    """The services on the test's data folder."""
    from paperwork.services.session import Paperwork

    service = Paperwork(home)
    yield service
    service.close()


@pytest.fixture
def us_case_file() -> Path:
    from paperwork.services.demo import sample_case_path

    return sample_case_path()


@pytest.fixture
def gb_case_file() -> Path:
    return DATA / "case_gb.toml"
