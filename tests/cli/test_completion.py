"""Shell completion: the script is printed without opening the app or creating a data folder."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

SHELLS = {
    "bash": "_paperwork_completion_setup",
    "zsh": "#compdef paperwork",
    "fish": "complete --no-files --command paperwork",
}


def _clean_env(tmp_path: Path, **extra: str) -> dict[str, str]:
    """An environment whose home and XDG folders are empty temporary ones."""
    home = tmp_path / "home"
    home.mkdir(exist_ok=True)
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("PAPERWORK_", "XDG_", "_PAPERWORK"))
    }
    env.update(
        HOME=str(home),
        XDG_DATA_HOME=str(home / "data"),
        XDG_CONFIG_HOME=str(home / "config"),
        XDG_STATE_HOME=str(home / "state"),
        XDG_CACHE_HOME=str(home / "cache"),
        PATH=f"{Path(sys.executable).parent}{os.pathsep}{env.get('PATH', '')}",
        **extra,
    )
    return env


def _paperwork() -> list[str]:
    return [sys.executable, "-m", "paperwork.cli.main"]


@pytest.mark.parametrize("shell", sorted(SHELLS))
def test_completion_script_is_printed_and_nothing_else_happens(tmp_path, shell):
    env = _clean_env(tmp_path, _PAPERWORK_COMPLETE=f"{shell}_source")
    result = subprocess.run(
        _paperwork(), env=env, capture_output=True, text=True, timeout=60, stdin=subprocess.DEVNULL
    )
    assert result.returncode == 0, result.stderr
    assert SHELLS[shell] in result.stdout
    assert "_PAPERWORK_COMPLETE" in result.stdout
    assert result.stderr == ""
    # No terminal app (its escape sequences would be on stdout) and no data folder.
    assert "\x1b[" not in result.stdout
    assert list((tmp_path / "home").iterdir()) == []


def _bash_completions(tmp_path: Path, words: list[str]) -> list[str]:
    env = _clean_env(tmp_path)
    script_dir = tmp_path / "bin"
    script_dir.mkdir(exist_ok=True)
    launcher = script_dir / "paperwork"
    launcher.write_text(f'#!/bin/sh\nexec "{sys.executable}" -m paperwork.cli.main "$@"\n')
    launcher.chmod(0o755)
    env["PATH"] = f"{script_dir}{os.pathsep}{env['PATH']}"
    quoted = " ".join(f'"{word}"' for word in words)
    program = (
        'eval "$(_PAPERWORK_COMPLETE=bash_source paperwork)"\n'
        f"COMP_WORDS=({quoted}); COMP_CWORD={len(words) - 1}\n"
        "_paperwork_completion paperwork\n"
        'printf "%s\\n" "${COMPREPLY[@]}"\n'
    )
    result = subprocess.run(
        ["bash", "-c", program], env=env, capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0, result.stderr
    return result.stdout.split()


@pytest.mark.skipif(shutil.which("bash") is None, reason="bash is not installed")
def test_bash_completes_real_subcommands(tmp_path):
    top = _bash_completions(tmp_path, ["paperwork", ""])
    assert {"letter", "case", "calendar", "locate", "due"} <= set(top)
    assert set(_bash_completions(tmp_path, ["paperwork", "letter", ""])) >= {
        "draft",
        "render",
        "print",
        "sent",
    }
    assert _bash_completions(tmp_path, ["paperwork", "calen"]) == ["calendar"]
    assert list((tmp_path / "home").iterdir()) == []


@pytest.mark.skipif(shutil.which("zsh") is None, reason="zsh is not installed")
def test_zsh_script_loads(tmp_path):
    env = _clean_env(tmp_path)
    program = (
        "autoload -Uz compinit && compinit -u -d $HOME/.zcompdump-test; "
        f'eval "$(_PAPERWORK_COMPLETE=zsh_source {" ".join(_paperwork())})"; '
        "whence -w _paperwork_completion"
    )
    result = subprocess.run(
        ["zsh", "-f", "-c", program], env=env, capture_output=True, text=True, timeout=60
    )
    assert "_paperwork_completion: function" in result.stdout, result.stderr


@pytest.mark.skipif(shutil.which("fish") is None, reason="fish is not installed")
def test_fish_script_loads_and_completes(tmp_path):
    env = _clean_env(tmp_path)
    script_dir = tmp_path / "bin"
    script_dir.mkdir()
    launcher = script_dir / "paperwork"
    launcher.write_text(f'#!/bin/sh\nexec "{sys.executable}" -m paperwork.cli.main "$@"\n')
    launcher.chmod(0o755)
    env["PATH"] = f"{script_dir}{os.pathsep}{env['PATH']}"
    program = (
        "_PAPERWORK_COMPLETE=fish_source paperwork | source; complete -C 'paperwork letter dr'"
    )
    result = subprocess.run(
        ["fish", "--no-config", "-c", program], env=env, capture_output=True, text=True, timeout=60
    )
    assert "draft" in result.stdout, result.stderr
