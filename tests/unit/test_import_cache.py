"""What imports make, kept between runs (paperwork/core/import_cache.py): regular
expressions and data classes taken from the cache behave exactly as freshly made
ones; only what a module's top-level code makes while it is imported is kept (never
what is built from data); a line that makes something different on each run stops
being kept; a module that changed is learned afresh; a broken cache only means
making things as usual.

Each run is a Python process of its own, as each command is."""

from __future__ import annotations

import marshal
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]

# A module whose top-level code compiles patterns (named groups, flags, bytes, a loop,
# one from a varying value) and defines data classes, and functions that build a
# pattern and a data class from a person's data.
MODULE = """
import dataclasses, os, re
WORD = re.compile(r"(?P<word>[A-Za-zÀ-ÿ]+)-(?P<number>\\d{2,4})", re.IGNORECASE)
SPACES = re.compile(rb"[ \\t]+$", re.MULTILINE)
LIST = [re.compile(p) for p in ("^a+$", "^b+$")]
VARYING = re.compile(os.environ.get("VARYING", "x"))
Varying = dataclasses.make_dataclass("Varying", [(os.environ.get("VARYING", "x"), int)])


class Text(str):
    pass


SUBCLASSED = re.compile(Text("^sub$"))  # marshal cannot store it: never kept, never in the way


@dataclasses.dataclass(frozen=True, order=True)
class Amount:
    cents: int
    currency: str = "EUR"


@dataclasses.dataclass
class Case:
    title: str
    amounts: list = dataclasses.field(default_factory=list)
    note: str = dataclasses.field(default="", repr=False)
    count: int = dataclasses.field(init=False, default=0)


def pattern_from(name):
    return re.compile(re.escape(name) + r"\\b")


def class_from(name):
    return dataclasses.make_dataclass("Person", [(name.replace(" ", "_"), str)])
"""

RUN = """
from __future__ import annotations  # as Paperwork's modules have; must not reach the methods
import dataclasses, re, sys
import re._compiler as compiler
from paperwork.core import import_cache

import_cache.install()
made = {"regex": 0, "methods": 0}
usual_code, usual_compile = compiler._code, compile
def counted_code(parsed, flags):
    made["regex"] += 1
    return usual_code(parsed, flags)
def counted_compile(*args, **kwargs):
    made["methods"] += 1
    return usual_compile(*args, **kwargs)
compiler._code = counted_code  # each pattern made from its text
import_cache.compile = counted_compile  # each data class method compiled from its text

sys.path.insert(0, sys.argv[1])
import patterns as p
personal = p.pattern_from("Ms Leontyne Quackenbush")
Person = p.class_from("Leontyne Quackenbush")
case = p.Case("Doubled bill", [p.Amount(1250)])
try:
    p.Amount(1).cents = 2
    frozen = False
except dataclasses.FrozenInstanceError:
    frozen = True
checks = [
    p.WORD.fullmatch("Müller-2026").groupdict() == {"word": "Müller", "number": "2026"},
    p.WORD.fullmatch("x-1") is None,
    p.WORD.flags & re.IGNORECASE != 0,
    p.WORD.groupindex == {"word": 1, "number": 2},
    p.SPACES.sub(b"", b"one \\t\\ntwo  ") == b"one\\ntwo",
    [bool(x.match("aaa")) for x in p.LIST] == [True, False],
    bool(personal.search("Dear Ms Leontyne Quackenbush,")),
    p.Amount(1250) == p.Amount(1250, "EUR") and p.Amount(5) < p.Amount(7),
    hash(p.Amount(3)) == hash(p.Amount(3)) and frozen,
    repr(case) == "Case(title='Doubled bill', amounts=[Amount(cents=1250, currency='EUR')], count=0)",
    p.Case("a") != p.Case("b") and p.Case("a").amounts is not p.Case("a").amounts,
    Person("Ms Q").Leontyne_Quackenbush == "Ms Q",
    # the types themselves, as a data class made as usual has them (not their names)
    p.Amount.__init__.__annotations__ == {"cents": int, "currency": str, "return": None},
    Person.__init__.__annotations__ == {"Leontyne_Quackenbush": str, "return": None},
    bool(p.SUBCLASSED.match("sub")),
]
print(made["regex"], made["methods"], all(checks), checks)
"""


# made afresh on every run: the pattern from a person's name and the str-subclass
# pattern; the three methods of the data class made from a person's name
EVERY_RUN = (2, 3)


def _run(code: Path, cache: Path, varying: str = "x") -> tuple[int, int]:
    """(patterns made from their text, data class methods compiled) in one run."""
    env = dict(
        os.environ,
        PAPERWORK_CACHE=str(cache),
        VARYING=varying,
        PYTHONDONTWRITEBYTECODE="1",
        PYTHONPATH=os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH", "")])),
    )
    done = subprocess.run(
        [sys.executable, "-c", RUN, str(code)], capture_output=True, text=True, env=env, timeout=60
    )
    assert done.returncode == 0, done.stderr
    regex, methods, ok, checks = done.stdout.split(" ", 3)
    assert ok == "True", checks
    return int(regex), int(methods)


@pytest.fixture
def code(tmp_path):
    folder = tmp_path / "code"
    folder.mkdir()
    (folder / "patterns.py").write_text(MODULE, encoding="utf-8")
    return folder


def _entry(cache: Path, kind: str) -> Path:
    (entry,) = cache.glob(f"import-{kind}-patterns.*.marshal")  # one per Python
    return entry


def _shelf(cache: Path, kind: str):
    _key, (items, sites, varying) = marshal.loads(_entry(cache, kind).read_bytes())
    return items, sites, varying


def test_a_second_run_takes_what_the_first_made_and_behaves_the_same(tmp_path, code):
    cache = tmp_path / "cache"
    regex, methods = _run(code, cache)
    assert regex >= 6 and methods >= 6  # everything made from its text (and the checks passed)
    # only what is built from a person's name (and the pattern marshal cannot store)
    assert _run(code, cache) == EVERY_RUN
    items, sites, varying = _shelf(cache, "regex")
    texts = {pattern for (_, pattern, _) in items}
    assert b"[ \\t]+$" in texts and "^a+$" in texts and "^b+$" in texts
    # the one line that compiled two patterns in one run keeps both
    assert sorted(len(kept) for kept in sites.values()) == [1, 1, 1, 2]
    assert varying == {}
    methods_kept, _, _ = _shelf(cache, "methods")
    assert any("__init__" in text and "cents" in text for text in methods_kept)


def test_nothing_built_from_data_is_written_down(tmp_path, code):
    cache = tmp_path / "cache"
    _run(code, cache)
    for entry in cache.iterdir():
        stored = entry.read_bytes()
        assert b"Quackenbush" not in stored, entry.name
        assert b"Leontyne" not in stored, entry.name


def test_a_line_that_makes_another_pattern_each_run_is_made_as_usual(tmp_path, code):
    cache = tmp_path / "cache"
    _run(code, cache, varying="one")
    _run(code, cache, varying="two")  # another pattern from the same line
    items, _, varying = _shelf(cache, "regex")
    assert len(varying) == 1 and next(iter(varying))[0].endswith("patterns.py")
    assert not any(pattern in ("one", "two") for (_, pattern, _) in items)
    entries = [_entry(cache, "regex"), _entry(cache, "methods")]
    written = [entry.stat().st_mtime_ns for entry in entries]
    # the varying pattern and class (three methods), and what is made on every run
    assert _run(code, cache, varying="three") == (EVERY_RUN[0] + 1, EVERY_RUN[1] + 3)
    assert [entry.stat().st_mtime_ns for entry in entries] == written  # not written again


def test_a_module_that_changed_is_learned_afresh(tmp_path, code):
    cache = tmp_path / "cache"
    _run(code, cache)
    module = code / "patterns.py"
    changed = MODULE.replace("^b+$", "^c+$").replace(
        "    count: int",
        "    extra: int = dataclasses.field(default=0, repr=False, compare=False)\n    count: int",
    )
    module.write_text(changed, encoding="utf-8")
    os.utime(module, ns=(1, 1))  # certainly another modification time
    # the changed class and pattern are made again; what stayed the same is still
    # found, filed under the old places, which are dropped when the entry is written
    regex, methods = _run(code, cache)
    assert regex == EVERY_RUN[0] + 1 and methods > EVERY_RUN[1]  # the new pattern and class
    _run(code, cache)  # learns again what those old places held
    assert _run(code, cache) == EVERY_RUN
    items, sites, varying = _shelf(cache, "regex")
    assert varying == {} and "^b+$" not in {pattern for (_, pattern, _) in items}
    assert all(site[2] == 1 for site in sites)
    methods_kept, _, _ = _shelf(cache, "methods")
    inits = [text for text in methods_kept if "__init__" in text and "title" in text]
    assert len(inits) == 1 and "extra" in inits[0]


@pytest.mark.parametrize("damage", ["truncated", "refused", "malformed", "not code"])
def test_a_broken_entry_means_making_things_as_usual(tmp_path, code, damage):
    cache = tmp_path / "cache"
    _run(code, cache)
    entry = _entry(cache, "regex")
    key, (items, sites, varying) = marshal.loads(entry.read_bytes())
    if damage == "truncated":
        entry.write_bytes(entry.read_bytes()[:100])
    elif damage == "refused":  # programs the engine refuses, under the right key
        broken = {item: (kept[0], [999999] * 3, *kept[2:]) for item, kept in items.items()}
        entry.write_bytes(marshal.dumps((key, (broken, sites, varying))))
    elif damage == "malformed":  # laid out otherwise, under the right key
        entry.write_bytes(marshal.dumps((key, (list(items), sites, [[1]]))))
    else:  # methods that are not code
        entry = _entry(cache, "methods")
        key, (items, sites, varying) = marshal.loads(entry.read_bytes())
        entry.write_bytes(marshal.dumps((key, (dict.fromkeys(items, 1), sites, varying))))
    regex, _ = _run(code, cache)  # asserts that every check passed
    assert regex >= 1
    # what could not be used was dropped: the next run learns it afresh, and the one
    # after makes only the pattern from data
    _run(code, cache)
    assert _run(code, cache) == EVERY_RUN
    assert _shelf(cache, "regex")[2] == {}


def test_a_pattern_that_warns_warns_on_every_run(tmp_path, code):
    (code / "patterns.py").write_text(MODULE + 'ODD = re.compile("[[a]")\n', encoding="utf-8")
    cache = tmp_path / "cache"
    for _ in range(2):
        env = dict(os.environ, PAPERWORK_CACHE=str(cache), PYTHONPATH=str(ROOT))
        done = subprocess.run(
            [sys.executable, "-c", RUN, str(code)], capture_output=True, text=True, env=env
        )
        assert done.returncode == 0, done.stderr
        assert "FutureWarning: Possible nested set" in done.stderr
    items, _, _ = _shelf(cache, "regex")
    assert "[[a]" not in {pattern for (_, pattern, _) in items}


def test_methods_are_not_read_from_a_folder_others_may_write_to(tmp_path, code):
    cache = tmp_path / "cache"
    _run(code, cache)
    assert _run(code, cache)[1] == EVERY_RUN[1]  # read back from the private folder
    cache.chmod(0o777)
    written = _entry(cache, "methods").read_bytes()
    # nothing read from it: dataclasses compiles every method itself (and every check passed)
    assert _run(code, cache)[1] == 0
    assert _entry(cache, "methods").read_bytes() == written
