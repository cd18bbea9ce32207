"""How a command-line process uses Python's cycle collector.

A command such as ``letter render`` lives a fraction of a second and nearly all it
allocates is kept to the end: the modules it imports. With Python's usual setting
the collector ran about 45 times during one render and examined those same objects
again and again, freeing almost nothing (a few hundred objects), for about a tenth
of the command's time. So a command collects only after 100,000 new objects instead
of 700. That holds for the commands that handle one case, one letter or one setting
at a time (:data:`SHORT_COMMANDS`); every other command (a bundle of photos, a
campaign, an import) goes back to Python's usual setting once it is chosen, before it
starts its work: a bundle collected this rarely held three times the memory. So do the
app and the pool server, which run for hours (``pool serve`` itself, within the short
``pool`` group), and ``letter sent --proof``, which reads a proof of postage.

Python's final collection at exit is skipped too: every object a command made is,
at exit, in use or garbage that the system takes back with the process, and that
last walk over all of them took longer than laying out a letter (about 18 ms after
a render). Exit handlers (logging, temporary folders, thread pools) still run;
files are closed by the code that opened them, and the database when the command
ends (``App.close``).
"""

from __future__ import annotations

import atexit
import gc

# new objects between two collections of the youngest generation, for one command
ONE_COMMAND = 100_000
# the top-level commands that finish in moments: one case, one letter, one setting
SHORT_COMMANDS = frozenset(
    {
        "calendar",
        "case",
        "chronology",
        "config",
        "due",
        "envelope",
        "kinds",
        "letter",
        "locate",
        "log",
        "pool",
        "profile",
        "social",
        "undo",
    }
)
_AS_USUAL = gc.get_threshold()


def for_one_command() -> None:
    """Collect rarely and skip the last collection (see the module's text)."""
    gc.set_threshold(ONE_COMMAND, *_AS_USUAL[1:])
    # exit handlers run last-registered first, and main() calls this before anything
    # registers one: gc.freeze runs after all of them, and the final collection then
    # skips everything. Registered again on a second call, so only once.
    atexit.unregister(gc.freeze)
    atexit.register(gc.freeze)


def for_long_runs() -> None:
    """Collect as Python usually does: the process will run long or handle much (the
    last collection at exit is still skipped)."""
    gc.set_threshold(*_AS_USUAL)


def for_command(name: str | None) -> None:
    """Once the top-level command is known: back to the usual setting unless it is short."""
    if name not in SHORT_COMMANDS:
        for_long_runs()
