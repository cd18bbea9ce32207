"""Numbered schema versions of the pool server's database."""
