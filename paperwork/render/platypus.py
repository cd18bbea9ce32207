"""reportlab's page layout engine (platypus), imported without its slowest line.

``reportlab.platypus.paragraph`` compiles, when it is imported, a case-insensitive
pattern for web addresses whose character classes run over 65,000 characters; the
regular expression compiler folds the case of each of them, which takes a third of
reportlab's whole import (about 65 ms on a 2-core machine, on every letter printed
from the command line). The pattern is only used when a paragraph style asks for
hyphenation or for breaking long web addresses, which no style of Paperwork does.

:func:`import_platypus` imports the module with that one pattern compiled on its
first use instead (a stand-in that compiles the real pattern when it is first
asked to match), so it behaves the same if reportlab ever uses it. Every other
pattern is compiled as usual. A renderer calls it before its first
``from reportlab.platypus import ...``; importing platypus some other way first
is only slower, never wrong.

reportlab also imports Pillow's image module up front (another 15 ms with the
modules it pulls in), for pictures that a letter never has; it is left to load
when reportlab first touches it, which an evidence bundle with a photo does.
"""

from __future__ import annotations

import re
import sys
import threading
from typing import Any

# How reportlab's web-address pattern begins (its scheme group); nothing else in
# reportlab compiles a pattern starting so, with re.IGNORECASE.
_WEB_ADDRESS_START = "(^(?:[a-z0-9\\.\\-\\+]*)://)"

_lock = threading.Lock()


class PatternOnFirstUse:
    """A compiled pattern made when one of its methods is first asked for."""

    def __init__(self, compile_now, pattern: str, flags: int):
        self._compile_now = compile_now
        self.pattern = pattern
        self.flags = flags
        self._compiled: re.Pattern | None = None

    def __getattr__(self, name: str) -> Any:
        # only reached for what this object does not have itself: match, search, ...
        if self._compiled is None:
            self._compiled = self._compile_now(self.pattern, self.flags)
        return getattr(self._compiled, name)


def import_platypus() -> None:
    """Import ``reportlab.platypus`` (once per process) with the web-address
    pattern left to its first use."""
    if "reportlab.platypus.paragraph" in sys.modules:
        return
    with _lock:
        if "reportlab.platypus.paragraph" in sys.modules:
            return
        compile_now = re.compile

        def compile_or_defer(pattern, flags=0):
            if (
                isinstance(pattern, str)
                and pattern.startswith(_WEB_ADDRESS_START)
                and flags & re.IGNORECASE
            ):
                return PatternOnFirstUse(compile_now, pattern, flags)
            return compile_now(pattern, flags)

        _load_images_on_first_use()
        re.compile = compile_or_defer
        try:
            import reportlab.platypus  # noqa: F401
        finally:
            re.compile = compile_now


def _load_images_on_first_use() -> None:
    """Put a module in place of ``PIL.Image`` that imports it on its first attribute
    (the standard library's lazy loader). That first use is a picture drawn into an
    evidence bundle, which the app makes on its one services thread; a letter, which
    the app may render on a worker thread at the same time, never touches the module."""
    if "PIL.Image" in sys.modules:
        return
    import importlib.util

    spec = importlib.util.find_spec("PIL.Image")
    if spec is None or spec.loader is None:
        return  # reportlab will say what is missing
    spec.loader = importlib.util.LazyLoader(spec.loader)
    module = importlib.util.module_from_spec(spec)
    sys.modules["PIL.Image"] = module
    spec.loader.exec_module(module)
    # "from PIL import Image" takes the package's attribute, without looking into the
    # module (which would load it at once)
    sys.modules["PIL"].Image = module  # type: ignore[attr-defined]
