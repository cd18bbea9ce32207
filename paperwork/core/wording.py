"""Inserted text that reads as part of a letter's sentence.

A person types a remedy, an offer or a call's notes as a sentence of its own
("Refund the duplicate charge."). A letter inserts it mid-sentence ("I ask you to
refund the duplicate charge by 4 December.") or as a sentence of its own. These
helpers shape the text for either place, in the letter's language, so that no
sentence is glued to the next and no full stop is doubled.
"""

from __future__ import annotations

import re

_SPACES = re.compile(r"\s+")
_WORD = re.compile(r"[^\W\d_][\w'’-]*", re.UNICODE)
# A final full stop that belongs to an abbreviation stays ("Inc.", "U.S.C.", "etc.").
_ABBREVIATION = re.compile(
    r"(?:\b[^\W\d_]{1,4}\.|(?:[^\W\d_]\.){2,}|\betc\.|\bz\.\s?B\.)$", re.UNICODE
)
_TERMINAL = ".!?…"
_CLOSERS = "\"'”’»)]"
# Languages whose sentences go on in lower case after a colon or a verb.
_DECAPITALISE = ("en", "fr", "es")


def _lang(locale: str) -> str:
    return (locale or "en").split("_")[0].lower()


def _is_name(word: str, following: str, names: tuple[str, ...]) -> bool:
    """Whether ``word`` is an acronym or a proper noun, as far as the text shows."""
    if word == "I" or len(word) < 2:
        return True
    if any(ch.isupper() for ch in word[1:]):  # "ACME", "McKay", "iPhone"
        return True
    if following[:1].isupper():  # "Severn Broadband offers", "Lakeview Fiber"
        return True
    return any(name.split()[0].strip(",.") == word for name in names if name.strip())


def inline(text: str, locale: str, names: tuple[str, ...] = ()) -> str:
    """``text`` for the middle of a sentence: one line, no final full stop, and a
    lower-case first letter where the language wants one (unless the first word is
    an acronym or a name; ``names`` are the record's names: company, merchant...)."""
    out = _SPACES.sub(" ", text or "").strip()
    while out and out[-1] in ".;,:" and not (out[-1] == "." and _ABBREVIATION.search(out)):
        out = out[:-1].rstrip()
    if _lang(locale) in _DECAPITALISE:
        match = _WORD.match(out)
        if match:
            word = match.group(0)
            rest = out[match.end() :].lstrip()
            if word[0].isupper() and not _is_name(word, rest, names):
                out = word[0].lower() + out[1:]
    return out


def sentence(text: str) -> str:
    """``text`` as a sentence of its own: one line with an end mark (a full stop is
    added only where none is). Its letters are kept as typed."""
    out = _SPACES.sub(" ", text or "").strip()
    if not out:
        return ""
    core = out.rstrip(_CLOSERS)
    if not core or core[-1] not in _TERMINAL:
        out += "."
    return out


_DOUBLE_STOP = re.compile(r"(?<![.…])\.\.(?![.…])")


def tidy(text: str) -> str:
    """Repair what inserting values can leave behind: a doubled full stop
    ("Inc.." at a sentence's end)."""
    return _DOUBLE_STOP.sub(".", text)
