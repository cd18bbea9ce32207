"""Letter kinds, bodies, layouts and conventions shipped with Paperwork (data only)."""
