"""Compiled patterns kept between runs (paperwork/core/regex_cache.py): what comes
back from the cache matches exactly as a freshly compiled pattern does, only the
patterns of a module's own top-level code are kept (never one built from data), a
line that compiles a different pattern on each run stops being kept, and a broken
cache only means compiling as usual.

Each run is a Python process of its own, as each command is."""

from __future__ import annotations

import marshal
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]

# A module whose top-level code compiles patterns (named groups, flags, bytes, one
# from a varying value) and a function that compiles one from a person's data.
MODULE = """
import os, re
WORD = re.compile(r"(?P<word>[A-Za-zÀ-ÿ]+)-(?P<number>\\d{2,4})", re.IGNORECASE)
SPACES = re.compile(rb"[ \\t]+$", re.MULTILINE)
LIST = [re.compile(p) for p in ("^a+$", "^b+$")]
VARYING = re.compile(os.environ.get("VARYING", "x"))

def from_data(name):
    return re.compile(re.escape(name) + r"\\b")
"""

RUN = """
import re, sys
import re._compiler as compiler
from paperwork.core import regex_cache

regex_cache.install()
made = []
usual = compiler._code
def counted(parsed, flags):
    made.append(1)
    return usual(parsed, flags)
compiler._code = counted  # counts the patterns made from their text in this run

sys.path.insert(0, sys.argv[1])
import patterns
personal = patterns.from_data("Ms Leontyne Quackenbush")
checks = [
    patterns.WORD.fullmatch("Müller-2026").groupdict() == {"word": "Müller", "number": "2026"},
    patterns.WORD.fullmatch("x-1") is None,
    patterns.WORD.flags & re.IGNORECASE != 0,
    patterns.WORD.groupindex == {"word": 1, "number": 2},
    patterns.SPACES.sub(b"", b"one \\t\\ntwo  ") == b"one\\ntwo",
    [bool(p.match("aaa")) for p in patterns.LIST] == [True, False],
    bool(personal.search("Dear Ms Leontyne Quackenbush,")),
]
print(len(made), all(checks), checks)
"""


def _run(tmp_path: Path, cache: Path, varying: str = "x") -> tuple[int, bool]:
    env = dict(
        os.environ,
        PAPERWORK_CACHE=str(cache),
        VARYING=varying,
        PYTHONDONTWRITEBYTECODE="1",
        PYTHONPATH=os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH", "")])),
    )
    done = subprocess.run(
        [sys.executable, "-c", RUN, str(tmp_path / "code")],
        capture_output=True,
        text=True,
        env=env,
        timeout=60,
    )
    assert done.returncode == 0, done.stderr
    made, ok, checks = done.stdout.split(" ", 2)
    assert ok == "True", checks
    return int(made), ok == "True"


@pytest.fixture
def code(tmp_path):
    folder = tmp_path / "code"
    folder.mkdir()
    (folder / "patterns.py").write_text(MODULE, encoding="utf-8")
    return folder


def _entry(cache: Path):
    _stored_key, (programs, sites, varying) = marshal.loads(
        (cache / "regex-programs.marshal").read_bytes()
    )
    return programs, sites, varying


def test_a_second_run_takes_the_kept_programs_and_matches_the_same(tmp_path, code):
    cache = tmp_path / "cache"
    first, _ = _run(tmp_path, cache)
    assert first >= 6  # every pattern was made from its text (and the checks passed)
    second, _ = _run(tmp_path, cache)
    # only the pattern built from a person's name is made again
    assert second == 1
    programs, sites, varying = _entry(cache)
    texts = {pattern for (_, pattern, _) in programs}
    assert b"[ \\t]+$" in texts and "^a+$" in texts and "^b+$" in texts
    # the one place that compiled two patterns in one run keeps both
    assert sorted(len(kept) for kept in sites.values()) == [1, 1, 1, 2]
    assert varying == []


def test_nothing_built_from_data_is_written_down(tmp_path, code):
    cache = tmp_path / "cache"
    _run(tmp_path, cache)
    stored = (cache / "regex-programs.marshal").read_bytes()
    assert b"Quackenbush" not in stored
    assert b"Leontyne" not in stored


def test_a_line_that_compiles_another_pattern_each_run_is_compiled_as_usual(tmp_path, code):
    cache = tmp_path / "cache"
    _run(tmp_path, cache, varying="one")
    _run(tmp_path, cache, varying="two")  # another pattern from the same line
    programs, _sites, varying = _entry(cache)
    assert len(varying) == 1 and varying[0][0].endswith("patterns.py")
    assert not any(pattern in ("one", "two") for (_, pattern, _) in programs)
    written = (cache / "regex-programs.marshal").stat().st_mtime_ns
    made, _ = _run(tmp_path, cache, varying="three")
    assert made == 2  # the varying one and the one from data, nothing else
    assert (cache / "regex-programs.marshal").stat().st_mtime_ns == written  # not rewritten


@pytest.mark.parametrize("damage", ["truncated", "refused"])
def test_a_broken_entry_means_compiling_as_usual(tmp_path, code, damage):
    cache = tmp_path / "cache"
    _run(tmp_path, cache)
    path = cache / "regex-programs.marshal"
    if damage == "truncated":
        path.write_bytes(path.read_bytes()[:100])
    else:  # programs the engine refuses, under the right key
        stored_key, (programs, sites, varying) = marshal.loads(path.read_bytes())
        broken = {entry: (p[0], [999999] * 3, *p[2:]) for entry, p in programs.items()}
        path.write_bytes(marshal.dumps((stored_key, (broken, sites, varying))))
    made, ok = _run(tmp_path, cache)  # asserts that every check passed
    assert ok and made >= 1
    # the refused programs were dropped: the next run learns them afresh, and the
    # one after makes only the pattern from data
    _run(tmp_path, cache)
    assert _run(tmp_path, cache) == (1, True)
    assert _entry(cache)[2] == []
