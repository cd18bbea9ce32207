"""A name too wide for the envelope window is broken into lines that fit it."""

from __future__ import annotations

from paperwork.letters.compose import wrap_address


def _fits(limit: int):
    return lambda line: len(line) <= limit


def test_lines_that_fit_are_kept_as_they_are():
    lines = ["Severn Telecom plc", "PO Box 100", "GL1 1AA Gloucester"]
    assert wrap_address(lines, _fits(40)) == lines


def test_a_long_name_breaks_at_the_dash_between_its_parts():
    lines = ["Bundesnetzagentur – Schlichtungsstelle Telekommunikation", "Postfach 80 01"]
    assert wrap_address(lines, _fits(40)) == [
        "Bundesnetzagentur",
        "Schlichtungsstelle Telekommunikation",
        "Postfach 80 01",
    ]


def test_the_last_dash_or_comma_that_fits_is_taken():
    assert wrap_address(["Alpha – Beta, Gamma Delta Epsilon"], _fits(14)) == [
        "Alpha – Beta",
        "Gamma Delta",
        "Epsilon",
    ]


def test_without_a_dash_the_name_breaks_between_words():
    assert wrap_address(["Oficina de Atención al Usuario de Telecomunicaciones"], _fits(40)) == [
        "Oficina de Atención al Usuario de",
        "Telecomunicaciones",
    ]


def test_a_single_word_wider_than_the_window_is_left_whole():
    word = "Donaudampfschifffahrtsgesellschaftskapitän"
    assert wrap_address([word], _fits(10)) == [word]
