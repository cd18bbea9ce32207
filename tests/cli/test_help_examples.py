"""Every command's --help ends with real examples; long commands show progress."""

from __future__ import annotations

import shlex

import click
import pytest
from clikit import last_line

from paperwork.cli.examples import EXAMPLES
from paperwork.cli.main import cli


def _leaves(command: click.Command, path: tuple[str, ...] = ()):
    if isinstance(command, click.Group):
        for name, sub in sorted(command.commands.items()):
            yield from _leaves(sub, (*path, name))
    else:
        yield path, command


LEAVES = list(_leaves(cli))


def test_the_tree_is_walked():
    assert len(LEAVES) >= 36
    assert ("letter", "print") in [path for path, _ in LEAVES]


@pytest.mark.parametrize("path", [path for path, _ in LEAVES], ids=" ".join)
def test_every_leaf_command_help_ends_with_examples(run_cli, path):
    code, out, err = run_cli(*path, "--help")
    assert (code, err) == (0, "")
    _head, sep, tail = out.rpartition("Examples:\n")
    assert sep, out
    lines = [line.strip() for line in tail.splitlines() if line.strip()]
    assert 1 <= len(lines) <= 2
    assert all(line.startswith("paperwork ") for line in lines)
    assert all(" ".join(path) in line for line in lines)


@pytest.mark.parametrize(
    "example", [line for lines in EXAMPLES.values() for line in lines], ids=lambda line: line
)
def test_every_example_names_a_real_command_and_real_options(example):
    words = shlex.split(example)
    assert words[0] == "paperwork"
    command: click.Command = cli
    options = {opt for param in cli.params for opt in param.opts}
    for word in words[1:]:
        if isinstance(command, click.Group) and word in command.commands:
            command = command.commands[word]
            options |= {opt for param in command.params for opt in param.opts}
        elif word.startswith("--"):
            assert word.split("=")[0] in options, f"{word} is not an option of {example}"
    if isinstance(command, click.Group):
        pytest.fail(f"{example}: names a group, not a command")


def test_the_examples_heading_is_translated(run_cli):
    code, out, _err = run_cli("--lang", "de", "letter", "print", "--help")
    assert code == 0
    assert "Beispiele:" in out and "paperwork letter print 1" in out


def _lapsed_cases(run_cli, us_case_file, count: int) -> None:
    for _n in range(count):
        case = last_line(run_cli("case", "new", "--from", str(us_case_file))[1])
        letter = last_line(run_cli("letter", "draft", case, "--kind", "complaint", "--on", "2026-10-01")[1])  # fmt: skip
        assert run_cli("letter", "sent", letter, "--on", "2026-10-01", "--via", "certified")[0] == 0


def test_reissue_without_a_terminal_prints_progress_lines(
    run_cli, us_case_file, tmp_path, monkeypatch
):
    from paperwork.cli.support import Progress

    _lapsed_cases(run_cli, us_case_file, 3)
    # A quick run says nothing more than its letters...
    code, out, err = run_cli("reissue", "--on", "2026-11-26", "--out", str(tmp_path / "out"))
    assert code == 0, err
    assert out.count("drafted follow_up as letter") == 3 and err == ""
    # ...a slow one (here: any) a line now and then and at the end.
    _lapsed_cases(run_cli, us_case_file, 3)
    monkeypatch.setattr(Progress, "QUIET_FOR", 0.0)
    monkeypatch.setattr(Progress, "EVERY", 0.0)
    code, out, err = run_cli("reissue", "--on", "2026-11-26", "--out", str(tmp_path / "out"))
    assert code == 0, err
    assert out.count("drafted follow_up as letter") == 3
    assert err.splitlines() == [f"Drafting letters: {n}/3 case {3 + n}" for n in (1, 2, 3)]
    assert "\r" not in err  # no bar drawn into a log file


def test_reissue_on_a_terminal_draws_a_bar(run_cli, us_case_file, tmp_path, monkeypatch):
    import sys

    _lapsed_cases(run_cli, us_case_file, 2)
    monkeypatch.setattr(sys.stderr, "isatty", lambda: True, raising=False)
    code, out, err = run_cli("reissue", "--on", "2026-11-26", "--out", str(tmp_path / "out"))
    assert code == 0, err
    assert "Drafting letters" in err and "2/2" in err
    assert out.count("drafted follow_up as letter") == 2


def test_bundle_shows_progress(run_cli, us_case_file, tmp_path, monkeypatch):
    from paperwork.cli.support import Progress

    monkeypatch.setattr(Progress, "QUIET_FOR", 0.0)
    _lapsed_cases(run_cli, us_case_file, 1)
    code, out, err = run_cli("bundle", "1", "--out", str(tmp_path / "b.pdf"))
    assert code == 0, err
    assert "Building the bundle: 1/" in err
    assert last_line(out) == str(tmp_path / "b.pdf")
