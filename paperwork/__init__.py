"""Paperwork: documented, scheduled written pressure on a big company.

Not legal advice: Paperwork drafts letters that speak for their sender.

The sub-packages are the parts (docs/ARCHITECTURE.md): ``core`` (the domain and its
rules), ``store``, ``letters``, ``record``, ``aggregate``, ``render``, ``services`` (one
function per user action), ``cli``; the app is ``paperwork.tui``.
"""

__version__ = "0.1.0"
