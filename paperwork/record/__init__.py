"""Documents of a case's record that renderers read (chronology entries, bundle items)."""
