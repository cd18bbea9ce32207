"""``paperwork config`` and config.save_settings: one line changed, the rest kept."""

from __future__ import annotations

import json
import tomllib

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from paperwork.store.config import Config, save_settings

HAND_WRITTEN = """\
# my Paperwork settings
locale = "en_GB"   # UK letters
retention_lead_days = 45

[smtp]
host = "mail.example.org"

[keys]
"cases.new" = "ctrl+n"
"""


def test_set_changes_one_line_and_keeps_comments_and_tables(home, run_cli):
    home.mkdir()
    (home / "config.toml").write_text(HAND_WRITTEN)
    code, out, err = run_cli("config", "set", "layout", "din5008_a")
    assert (code, err) == (0, "") and "din5008_a" in out
    code, out, err = run_cli("config", "set", "locale", "de_DE")
    assert code == 0
    text = (home / "config.toml").read_text()
    # tomlkit edits the value only: the comment on the same line stays too.
    assert text.startswith('# my Paperwork settings\nlocale = "de_DE"   # UK letters\n')
    assert "retention_lead_days = 45" in text and 'host = "mail.example.org"' in text
    # New keys go among the top-level ones, before the first table.
    assert text.index('layout = "din5008_a"') < text.index("[smtp]")
    config = Config.load(home)
    assert (config.locale, config.layout, config.retention_lead_days) == ("de_DE", "din5008_a", 45)
    assert config.keys == {"cases.new": "ctrl+n"}


def test_empty_value_puts_the_default_back(home, run_cli):
    home.mkdir()
    (home / "config.toml").write_text(HAND_WRITTEN)
    code, out, _err = run_cli("config", "set", "locale", "")
    assert code == 0 and "default" in out
    assert "locale" not in tomllib.loads((home / "config.toml").read_text())
    code, out, _err = run_cli("config", "show", "--json")
    shown = json.loads(out)
    assert shown["locale"] == "" and shown["file"] == str(home / "config.toml")


def test_config_written_on_a_fresh_home_is_private(home, run_cli):
    code, _out, _err = run_cli("config", "set", "theme", "light")
    assert code == 0
    assert oct((home / "config.toml").stat().st_mode & 0o777) == "0o600"
    assert oct(home.stat().st_mode & 0o777) == "0o700"


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (("locale", "xx_XX"), "locale: 'xx_XX' is not one of: en_US"),
        (("layout", "a5"), "layout: 'a5' is not one of: din5008_a"),
        (("theme", "purple"), "theme: 'purple' is not one of: light, dark"),
        (("output", "letters\x1b[2J"), "output: control characters are not allowed."),
    ],
)
def test_bad_values_are_refused_in_one_line_and_nothing_changes(home, run_cli, args, expected):
    home.mkdir()
    (home / "config.toml").write_text(HAND_WRITTEN)
    code, out, err = run_cli("config", "set", *args)
    assert code == 2 and out == ""
    assert err.strip().splitlines() == [err.strip()]
    assert f"config.toml: {expected}" in err
    assert (home / "config.toml").read_text() == HAND_WRITTEN


def test_unknown_key_is_refused_by_click(home, run_cli):
    code, _out, err = run_cli("config", "set", "smtp", "x")
    assert code == 2 and "'smtp' is not one of" in err


def test_a_broken_file_is_reported_never_overwritten(home, run_cli):
    home.mkdir()
    (home / "config.toml").write_text("locale = \n")
    code, _out, err = run_cli("config", "set", "theme", "dark")
    assert code == 2 and "broken TOML" in err
    assert (home / "config.toml").read_text() == "locale = \n"


def test_a_value_spread_over_lines_is_replaced_cleanly(home):
    # The old line-based editor refused this; tomlkit edits the value itself.
    home.mkdir()
    (home / "config.toml").write_text('# where letters go\noutput = """\n~/a\n"""  # mine\n')
    save_settings(home, {"output": "~/b"})
    assert (home / "config.toml").read_text() == '# where letters go\noutput = "~/b"  # mine\n'


COMMENTED = """\
# Paperwork settings, written by hand.
# Letters in British English:
locale = "en_GB"     # changed now and then
theme = "dark"

# --- e-mail -------------------------------------------------
[smtp]
host = "localhost"   # the local relay
port = 25            # plain SMTP, no TLS offered
# password_command = "pass show mail/paperwork"

[layouts]
de_DE = "din5008_a"  # German letters on form A
"""


def test_config_set_keeps_every_comment_and_the_smtp_table(home, run_cli):
    home.mkdir()
    (home / "config.toml").write_text(COMMENTED)
    assert run_cli("config", "set", "locale", "de_DE")[0] == 0
    assert run_cli("config", "set", "lang", "fr")[0] == 0
    assert run_cli("config", "set", "theme", "")[0] == 0
    text = (home / "config.toml").read_text()
    expected = COMMENTED.replace('locale = "en_GB"     #', 'locale = "de_DE"     #').replace(
        'theme = "dark"\n', 'lang = "fr"\n'
    )
    assert text == expected
    config = Config.load(home)
    assert config.smtp == {"host": "localhost", "port": 25}
    assert (config.locale, config.lang, config.theme) == ("de_DE", "fr", "")


@settings(max_examples=200, deadline=None)
@given(
    folder=st.text(
        st.characters(blacklist_categories=("Cc", "Cs")),
        max_size=60,
    )
)
def test_any_folder_name_round_trips_through_toml(tmp_path_factory, folder):
    home = tmp_path_factory.mktemp("home")
    folder = "/" + folder  # absolute: stored exactly as given
    saved = save_settings(home, {"output": folder})
    assert saved.output == folder
    assert Config.load(home).output == folder


def test_a_relative_output_folder_is_stored_in_full(home, run_cli, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    code, _out, _err = run_cli("config", "set", "output", "letters")
    assert code == 0
    assert Config.load(home).output == str(tmp_path / "letters")
    code, _out, _err = run_cli("config", "set", "output", "~/letters")
    assert Config.load(home).output == "~/letters"
