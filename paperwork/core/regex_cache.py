"""Compiled regular expressions kept between runs, for the patterns that modules
compile while they are imported.

Every command starts a new Python, and the modules it imports compile their
regular expressions again each time: about a hundred patterns and 5-10 ms of a
letter rendered from the command line (reportlab's line breaking alone compiles
3 ms of them). Python keeps no compiled pattern between runs, so this module keeps
what its compiler makes of a pattern (the program the matching engine runs: a list
of integers, and the pattern's groups) in the cache folder, and the next run hands
that program straight to the engine instead of parsing and optimising the pattern
again.

A kept program is exactly what Python's compiler made of the same text and flags
in the same Python version, so matching behaves the same. The entry carries the
Python version and the engine's format number; anything unexpected (an unreadable
entry, a program the engine refuses) means the pattern is compiled as usual.

What is kept, and why it stays small and private:

- only patterns compiled by a module's own top-level code while it is imported:
  they come from the code of Paperwork and its libraries, never from a person's
  data (a pattern built at run time from a company's name, say, is compiled each
  time and never written down);
- a place in a module's code (file and line) that compiles a different pattern
  from one run to the next (reportlab joins a set of names, whose order changes
  with each run) is noted as varying and compiled as usual from then on, so the
  cache does not grow with every run.
"""

from __future__ import annotations

import sys
import threading
from typing import Any

_ENTRY = "regex-programs.marshal"
_IMPORT_SYSTEM = "<frozen importlib._bootstrap>"
# beyond this many integers, a program costs more to load on every run than to make
_LARGEST = 20_000

_installed = False
_lock = threading.Lock()

Entry = tuple[bool, Any, int]  # (is bytes, pattern, flags): what re's own cache is keyed by
# what the engine takes besides the text: flags, program, groups, names, names by number
Program = tuple[int, list[int], int, dict[str, int], tuple[str | None, ...]]
Site = tuple[str, int]  # a module's file and line


class _Kept:
    """The programs loaded from the cache folder and what this run adds to them."""

    def __init__(self, stored: object):
        programs: dict[Entry, Program] = {}
        sites: dict[Site, list[Entry]] = {}  # the patterns each place compiled
        varying: Any = ()
        if isinstance(stored, tuple) and len(stored) == 3:
            programs, sites, varying = stored
        self.programs = programs
        self.sites = sites
        self.varying: set[Site] = set(varying)
        self.learned_at: set[Site] = set()  # the places that compiled new patterns this run
        self.changed = False

    def learn(self, site: Site, entry: Entry, program: Program) -> None:
        known = self.sites.setdefault(site, [])
        if known and site not in self.learned_at:
            # a pattern other than last run's, from the same line: it varies
            for old in known:
                self.programs.pop(old, None)
            del self.sites[site]
            self.varying.add(site)
        else:
            known.append(entry)
            self.programs[entry] = program
            self.learned_at.add(site)
        self.changed = True

    def forget(self, entry: Entry) -> None:
        """Drop a program the engine refused; its pattern is learned afresh next run."""
        self.programs.pop(entry, None)
        for site, known in list(self.sites.items()):
            if entry in known:
                known.remove(entry)
                if not known:
                    del self.sites[site]
        self.changed = True

    def stored(self) -> tuple[Any, ...]:
        return (self.programs, self.sites, sorted(self.varying))


def install() -> None:
    """From now on, compile regular expressions from the kept programs where there is
    one, and keep (at exit) the programs of new patterns compiled during imports.
    Does nothing on a second call, without a cache folder or off CPython."""
    global _installed
    with _lock:
        if _installed or sys.implementation.name != "cpython":
            return
        _installed = True
    try:
        import _sre
        import re
        import re._compiler as compiler
    except ImportError:  # a Python whose engine is laid out otherwise: compile as usual
        return
    from paperwork.core import cache

    key = (sys.hexversion, _sre.MAGIC, _sre.CODESIZE)
    kept = _Kept(cache.load(_ENTRY, key))
    compile_as_usual = compiler.compile

    def compile_kept(pattern: Any, flags: int = 0) -> Any:
        if not isinstance(pattern, str | bytes) or flags & re.DEBUG:
            return compile_as_usual(pattern, flags)
        entry: Entry = (isinstance(pattern, bytes), pattern, flags)
        program = kept.programs.get(entry)
        if program is None:
            site = _import_site(sys._getframe(1))
            if site is not None and site not in kept.varying:
                program = _program_of(compiler, pattern, flags)
                if program is not None and len(program[1]) <= _LARGEST:
                    with _lock:  # modules may be imported on two threads at once
                        kept.learn(site, entry, program)
                        program = kept.programs.get(entry)
        if program is not None:
            try:
                return _sre.compile(pattern, *program)
            except Exception:  # refused: forget it (for later runs too), compile as usual
                with _lock:
                    kept.forget(entry)
        return compile_as_usual(pattern, flags)

    def keep_learned() -> None:
        if kept.changed:
            cache.save(_ENTRY, key, kept.stored())

    import atexit

    compiler.compile = compile_kept
    atexit.register(keep_learned)


def _import_site(frame: Any) -> Site | None:
    """The line of a module's top-level code that is compiling the pattern, while
    the import system runs that module; None otherwise."""
    while frame is not None:
        code = frame.f_code
        if code.co_name == "<module>":
            caller = frame.f_back
            if caller is not None and caller.f_code.co_filename == _IMPORT_SYSTEM:
                return (code.co_filename, frame.f_lineno)
            return None
        frame = frame.f_back
    return None


def _program_of(compiler: Any, pattern: str | bytes, flags: int) -> Program | None:
    """What the engine needs besides the text: flags, program, groups and their names
    (the steps of ``re._compiler.compile``, taken one by one)."""
    try:
        parsed = compiler._parser.parse(pattern, flags)
        program = compiler._code(parsed, flags)
        state = parsed.state
        names = dict(state.groupdict)
        by_number: list[str | None] = [None] * state.groups
        for name, number in names.items():
            by_number[number] = name
        # the opcodes are int subclasses, which marshal cannot store
        code = [int(word) for word in program]
        return (int(flags | state.flags), code, int(state.groups - 1), names, tuple(by_number))
    except Exception:
        return None
