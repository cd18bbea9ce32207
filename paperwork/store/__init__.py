"""Persistence in the data folder: the SQLite database, kept files, the config file,
atomic writes and the redaction used by exports.
"""
