"""The Textual terminal app (imports as paperwork.tui)."""
