"""What Python makes afresh in every process while modules are imported, kept
between runs: the programs of regular expressions and the methods that data
classes write for themselves.

Every command starts a new Python. Python keeps the compiled code of each module
(``.pyc``) but not two things that modules make while they are imported:

- a regular expression's program (what the pattern compiles to for the matching
  engine: a list of integers and the pattern's groups). A letter rendered from the
  command line compiles about a hundred, 5-10 ms of its time;
- the methods of a data class (``__init__``, ``__eq__``, ...), whose source the
  ``dataclasses`` module writes and compiles for each class. The 22 data classes on
  the way to a rendered letter took 12-15 ms, as long as laying the letter out.

This module keeps both in the cache folder and hands them back on the next run:
the program straight to the regular expression engine, the compiled method to
``exec`` in place of its source. What comes back is exactly what Python made of
the same text in the same Python version, so it behaves the same; each entry
carries the Python version, the engine's and the bytecode's format numbers, and
anything unexpected (an unreadable or malformed entry, a program the engine
refuses) means making it as usual.

What is kept, and why it stays small and private:

- only what a module's own top-level code makes while the import system runs it,
  which in Paperwork and the libraries it uses is built from their code, never
  from a person's data (a pattern built at run time from a company's name, say, is
  compiled each time and never written down). The cache folder is the user's own
  and private (0700);
- one entry per kind, package and Python (``import-regex-reportlab.cpython-311.marshal``,
  ``import-methods-paperwork-core.cpython-311.marshal``, ...), read when that
  package is imported, so a command does not load what only the app's libraries made;
- each item is filed under the place that made it (file, line, and the file's
  modification time). A place whose file has changed since (a new version) is
  dropped when its entry is next written; a place that makes something different
  from one run to the next with the file unchanged (reportlab joins a set of names,
  whose order changes with each run) is noted as varying and made as usual for a
  week, so an entry does not grow with every run.

Compiled methods are code that ``exec`` runs, so they are read only from a cache
folder that belongs to the user and that nobody else may write to. A pattern whose
compiling warns (a possible nested set, say) is never kept, so the warning is shown
on every run; it names the line of ``re`` that called the compiler rather than the
module's, since this module's function sits one call in between.
"""

from __future__ import annotations

import builtins
import os
import sys
import threading
import time
from collections.abc import Callable
from types import CodeType
from typing import Any

from paperwork.core import cache

_IMPORT_SYSTEM = "<frozen importlib._bootstrap>"
# bump when the layout of a shelf changes
_LAYOUT = 2
# beyond this many integers, a program costs more to load on every run than to make
_LARGEST_PROGRAM = 20_000
# how long a place noted as varying is made as usual before it is tried again (a
# place can look varying for a reason that passes: a base class changed elsewhere)
_VARYING_SECONDS = 7 * 24 * 3600

Site = tuple[str, int, int]  # a module's file, the line, and the file's modification time

# modules may be imported on two threads at once (the app imports screens on one);
# reentrant, so that nothing done while holding it can deadlock on it
_lock = threading.RLock()
_installed = False


class _Shelf:
    """What one package's imports made of one kind, as loaded, and what this run adds.

    For example: run 1 imports reportlab, whose line 149 of ``rl_safe_eval.py`` compiles
    pattern A; A is made and learned, filed under that line. Run 2 finds A missing
    (that line now compiled B: it joins a set, in another order) while nothing was
    learned at the line this run, so the line is noted as varying and A forgotten. Run 3
    compiles at that line as usual and writes nothing. A line that compiles several
    patterns in one run (a loop) learns them all in that run."""

    def __init__(self, stored: object):
        items, sites, varying = _valid_shelf(stored)
        self.items: dict[Any, Any] = items
        self.sites: dict[Site, list[Any]] = sites  # what each place made
        self.varying: dict[Site, float] = varying  # place -> when it was noted as varying
        self.learned_at: set[Site] = set()  # the places that made something new this run
        self.changed = False

    def learn(self, site: Site, key: Any, made: Any) -> None:
        known = self.sites.setdefault(site, [])
        if known and site not in self.learned_at:
            # something other than last run's, from the same unchanged line: it varies
            del self.sites[site]
            self.varying[site] = time.time()
        else:
            self.items[key] = made
            self.file(site, key)
        self.changed = True

    def file(self, site: Site, key: Any) -> None:
        """Note that ``site`` made ``key`` this run (it may have moved there: a file
        that changed keeps what stayed the same)."""
        self.sites.setdefault(site, []).append(key)
        self.learned_at.add(site)
        self.changed = True

    def forget(self, key: Any) -> None:
        """Drop an item that could not be used; it is made afresh and learned next run."""
        self.items.pop(key, None)
        for site, known in list(self.sites.items()):
            if key in known:
                del self.sites[site]
        self.changed = True

    def stored(self) -> tuple[Any, ...]:
        """The shelf to write: without the places whose file has changed since, nor
        what no place made any more."""
        for site in [*self.sites, *self.varying]:
            if _modified(site[0]) != site[2]:
                self.sites.pop(site, None)
                self.varying.pop(site, None)
        made = {key for known in self.sites.values() for key in known}
        self.items = {key: item for key, item in self.items.items() if key in made}
        return (self.items, self.sites, self.varying)


def _valid_shelf(stored: object) -> tuple[dict[Any, Any], dict[Site, list[Any]], dict[Site, float]]:
    """A loaded shelf's parts, or empty ones when it is not laid out as this module
    writes it; places noted as varying long enough ago are tried again."""
    if not (isinstance(stored, tuple) and len(stored) == 3):
        return {}, {}, {}
    items, sites, varying = stored
    if not (isinstance(items, dict) and isinstance(sites, dict) and isinstance(varying, dict)):
        return {}, {}, {}
    if not all(isinstance(known, list) for known in sites.values()):
        return {}, {}, {}
    since = time.time() - _VARYING_SECONDS
    varying = {
        site: noted
        for site, noted in varying.items()
        if isinstance(noted, float | int) and noted > since
    }
    return items, sites, varying


class _Keeper:
    """The shelves of one kind (``regex`` or ``methods``), one per package, loaded
    on first use and written at exit when they changed."""

    def __init__(self, kind: str, key: object):
        self.kind = kind
        self.key = key
        self.shelves: dict[str, _Shelf] = {}

    def _name(self, package: str) -> str:
        # one file per Python: two Pythons sharing the folder would overwrite each other
        return f"import-{self.kind}-{package}.{sys.implementation.cache_tag}.marshal"

    def shelf(self, package: str) -> _Shelf:
        shelf = self.shelves.get(package)
        if shelf is None:
            loaded = _Shelf(cache.load(self._name(package), self.key))
            with _lock:  # two threads may read it at once: the first one read wins
                shelf = self.shelves.setdefault(package, loaded)
        return shelf

    def save(self) -> None:
        with _lock:  # a thread of the app may still be importing
            for package, shelf in self.shelves.items():
                if shelf.changed:
                    cache.save(self._name(package), self.key, shelf.stored())


def install() -> None:
    """From now on, take regular expression programs and data class methods made
    during imports from the cache where they are, and keep (at exit) what is new.
    Does nothing on a second call or off CPython; without a cache folder, nothing
    is read or written."""
    global _installed
    folder = cache.folder()
    with _lock:
        if _installed or sys.implementation.name != "cpython" or folder is None:
            return
        _installed = True
    import atexit

    keepers = [_keep_regex_programs()]
    if _private(folder):
        keepers.append(_keep_dataclass_methods())
    for keeper in keepers:
        if keeper is not None:
            atexit.register(keeper.save)


def _private(folder: Any) -> bool:
    """Whether ``folder`` is the user's own and nobody else may write to it (or does
    not exist yet: it is made so); code read from anywhere else is never run."""
    try:
        status = os.stat(folder)
    except FileNotFoundError:
        return True
    except OSError:
        return False
    owner = getattr(os, "getuid", None)
    if owner is not None and status.st_uid != owner():
        return False
    return not status.st_mode & 0o022


def _keep_regex_programs() -> _Keeper | None:
    try:
        import _sre
        import re
        import re._compiler as compiler
    except ImportError:  # a Python whose engine is laid out otherwise: compile as usual
        return None
    keeper = _Keeper("regex", (sys.hexversion, _sre.MAGIC, _sre.CODESIZE, _LAYOUT))
    compile_as_usual = compiler.compile

    def compile_kept(pattern: Any, flags: int = 0) -> Any:
        # exactly str or bytes: marshal cannot store a subclass
        if type(pattern) not in (str, bytes) or flags & re.DEBUG:
            return compile_as_usual(pattern, flags)
        where = _import_site(sys._getframe(1))
        if where is None:
            return compile_as_usual(pattern, flags)
        shelf, site = keeper.shelf(where[0]), where[1]
        key = (isinstance(pattern, bytes), pattern, flags)
        program = _kept_or_made(
            shelf, site, key, lambda: _program_of(compiler, pattern, flags), _small_program
        )
        if program is not None:
            try:
                return _sre.compile(pattern, *program)
            except Exception:  # refused: made as usual now, learned again next run
                with _lock:
                    shelf.forget(key)
        return compile_as_usual(pattern, flags)

    compiler.compile = compile_kept
    return keeper


def _keep_dataclass_methods() -> _Keeper:
    import dataclasses
    from importlib.util import MAGIC_NUMBER  # the bytecode's format

    keeper = _Keeper("methods", (sys.hexversion, MAGIC_NUMBER, _LAYOUT))

    def exec_kept(source: Any, *args: Any, **kwargs: Any) -> Any:
        # dataclasses calls exec(text, globals, namespace) for the methods it writes
        if isinstance(source, str):
            source = _method_code(keeper, source, sys._getframe(1))
        return builtins.exec(source, *args, **kwargs)

    # a module global of that name comes before the built-in for dataclasses' own calls
    dataclasses.exec = exec_kept  # type: ignore[attr-defined]
    return keeper


def _method_code(keeper: _Keeper, text: str, caller: Any) -> CodeType:
    """``text`` compiled as exec(text) would compile it in dataclasses (not with this
    module's __future__ flags), kept when a module's import made it."""

    def make() -> CodeType:
        return compile(text, "<string>", "exec", dont_inherit=True)

    where = _import_site(caller)
    if where is None:
        return make()
    shelf, site = keeper.shelf(where[0]), where[1]
    code = _kept_or_made(shelf, site, text, make, lambda made: True)
    if isinstance(code, CodeType):
        return code
    if code is not None:  # not code: a malformed entry
        with _lock:
            shelf.forget(text)
    return make()  # or a place that varies: compiled as usual, nothing written


def _kept_or_made(
    shelf: _Shelf, site: Site, key: Any, make: Callable[[], Any], worth: Callable[[Any], bool]
) -> Any:
    """The item kept for ``key``, else made now (and learned, where ``site`` does not
    vary and it is worth keeping); None when it cannot be made this way."""
    made = shelf.items.get(key)
    if made is not None:
        if key not in shelf.sites.get(site, ()):
            with _lock:
                shelf.file(site, key)
        return made
    if site in shelf.varying:
        return None
    try:
        made = make()
    except Exception:  # the usual way will raise what it raises
        return None
    if made is not None and worth(made):
        with _lock:
            shelf.learn(site, key, made)
    return made


def _small_program(program: Any) -> bool:
    return len(program[1]) <= _LARGEST_PROGRAM


def _import_site(frame: Any) -> tuple[str, Site] | None:
    """The package and place (file, line, modification time) of the module whose
    top-level code is running on the import system's behalf; None when the caller is
    not a module being imported."""
    while frame is not None:
        code = frame.f_code
        if code.co_name == "<module>":
            caller = frame.f_back
            if caller is None or caller.f_code.co_filename != _IMPORT_SYSTEM:
                return None
            modified = _modified(code.co_filename)
            if modified is None:
                return None
            return _shelf_name(str(frame.f_globals.get("__name__", ""))), (
                code.co_filename,
                frame.f_lineno,
                modified,
            )
        frame = frame.f_back
    return None


def _shelf_name(module: str) -> str:
    """The entry a module's items go to: its package, the standard library as one, and
    Paperwork's own by part (a command does not read what only the app's screens made)."""
    parts = [part for part in module.split(".") if part.isidentifier()] or ["unnamed"]
    if parts[0] in sys.stdlib_module_names:
        return "python"
    if parts[0] == "paperwork" and len(parts) > 2:
        return f"paperwork-{parts[1]}"
    return parts[0]


_MODIFIED: dict[str, int | None] = {}  # by file, once per process


def _modified(path: str) -> int | None:
    if path not in _MODIFIED:
        try:
            _MODIFIED[path] = os.stat(path).st_mtime_ns
        except (OSError, ValueError):
            _MODIFIED[path] = None
    return _MODIFIED[path]


def _program_of(compiler: Any, pattern: str | bytes, flags: int) -> Any:
    """What the engine needs besides the text: flags, program, the number of groups
    and their names both ways (the steps of ``re._compiler.compile``, one by one);
    None for a pattern whose parsing warns. Runs only when a new pattern is learned
    (the warnings' catch is not thread-safe, and a first run is rare)."""
    import warnings

    with warnings.catch_warnings(record=True) as warned:
        warnings.simplefilter("always")
        parsed = compiler._parser.parse(pattern, flags)
    if warned:  # not kept: compiled as usual, so that it warns as usual
        return None
    program = compiler._code(parsed, flags)
    state = parsed.state
    names = dict(state.groupdict)
    by_number: list[str | None] = [None] * state.groups
    for name, number in names.items():
        by_number[number] = name
    # the opcodes are int subclasses, which marshal cannot store
    code = [int(word) for word in program]
    return (int(flags | state.flags), code, int(state.groups - 1), names, tuple(by_number))
