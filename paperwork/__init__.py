"""Paperwork: documented, scheduled written pressure on a big company.

Not legal advice: Paperwork drafts letters that speak for their sender.
"""

__version__ = "0.1.0"
