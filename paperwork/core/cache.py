"""A small cache on disk for tables that are slow to compute and the same on every run
(holiday calendars): the everyday commands start without the libraries that make them.

Each entry is one file in the user cache folder (``$PAPERWORK_CACHE``, else the
platform's, e.g. ``~/.cache/paperwork``), written with :mod:`marshal` (built in, so
reading costs no import) under a temporary name and renamed into place. An entry
holds the key it was computed for; a different key, an unreadable file or a folder
that cannot be written only means the value is computed again. Nothing personal is
kept there, and deleting the folder is always safe.
"""

from __future__ import annotations

import contextlib
import gc
import marshal
import mmap
import os
import sys
from pathlib import Path
from typing import Any

# bump when the layout of an entry changes
_FORMAT = 1


def folder() -> Path | None:
    """The cache folder (not created here), or None when there is none to use."""
    chosen = os.environ.get("PAPERWORK_CACHE")
    if chosen is not None:
        return Path(chosen) if chosen else None  # PAPERWORK_CACHE= (empty) turns it off
    try:
        from platformdirs import user_cache_dir

        return Path(user_cache_dir("paperwork", appauthor=False))
    except Exception:  # no home folder, no platformdirs: compute every time
        return None


def _full_key(key: object) -> object:
    # marshal's format belongs to one Python version
    return (_FORMAT, sys.version_info[:2], key)


def load(name: str, key: object) -> object | None:
    """The value stored under ``name`` for ``key``; None when there is none (or it is stale)."""
    where = folder()
    if where is None or key is None:
        return None
    try:
        with open(where / name, "rb") as handle:
            # Mapped, not read: marshal reads the file's pages where the system keeps
            # them, instead of a copy in fresh memory (each new page costs the process
            # a fault; the fonts' entries are half a megabyte each).
            # marshal.load(handle) would read piece by piece: far slower.
            data = mmap.mmap(handle.fileno(), 0, access=mmap.ACCESS_READ)
    except (OSError, ValueError):  # unreadable, or empty (which cannot be mapped)
        return None
    # Thousands of small objects at once would set off the garbage collector's full
    # passes over everything already loaded (reportlab): none of them is garbage.
    collecting = gc.isenabled()
    gc.disable()
    try:
        with data:
            stored_key, value = marshal.loads(data)
    except Exception:  # truncated, not marshal, or too large to load: compute again
        return None
    finally:
        if collecting:
            gc.enable()
    return value if stored_key == _full_key(key) else None


def save(name: str, key: object, value: object) -> None:
    """Store ``value`` under ``name`` for ``key``; silently does nothing if it cannot."""
    where = folder()
    if where is None or key is None:
        return
    temporary = where / f".{name}.{os.getpid()}.tmp"
    try:
        where.mkdir(mode=0o700, parents=True, exist_ok=True)  # private, like the data folder
        entry: Any = (_full_key(key), value)  # marshal refuses what it cannot store
        data = marshal.dumps(entry)
        with open(os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600), "wb") as handle:
            handle.write(data)
        os.replace(temporary, where / name)
    except (OSError, ValueError):
        pass
    finally:  # whatever stopped it (Ctrl-C at exit included), no temporary file stays
        with contextlib.suppress(OSError):
            temporary.unlink(missing_ok=True)


def parsed_toml(node: object) -> dict[str, Any]:
    """A shipped TOML file (a Path or importlib Traversable), parsed; the parsed tables
    are kept while the file is unchanged (tables with dates, which marshal cannot
    store, are parsed each time)."""
    import tomllib

    key, name = None, ""
    if isinstance(node, Path):
        import zlib

        try:
            stat = node.stat()
        except OSError:
            stat = None
        if stat is not None:
            key = (str(node), stat.st_size, stat.st_mtime_ns)
            name = f"toml-{node.stem}-{zlib.crc32(str(node).encode()):08x}.marshal"
            stored = load(name, key)
            if isinstance(stored, dict):
                return stored
    data = tomllib.loads(node.read_text(encoding="utf-8"))  # type: ignore[attr-defined]
    if key is not None:
        save(name, key, data)
    return data
