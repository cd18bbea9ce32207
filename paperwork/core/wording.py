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
_ABBREVIATION = re.compile(r"(?:\b[A-Z][a-z]{0,3}\.|\b(?:[^\W\d_]\.){2,}|\betc\.)$", re.UNICODE)
_TERMINAL = ".!?…"
_CLOSERS = "\"'”’»)]"
# Languages whose sentences go on in lower case after a colon or a verb.
_DECAPITALISE = ("en", "fr", "es")


def _lang(locale: str) -> str:
    return (locale or "en").split("_")[0].lower()


# Words that start a sentence but never a name: "The October payment" is no name.
_COMMON_STARTS = {
    "en": {
        "the",
        "a",
        "an",
        "this",
        "that",
        "these",
        "those",
        "my",
        "your",
        "our",
        "their",
        "its",
        "we",
        "they",
        "it",
        "he",
        "she",
        "you",
        "please",
        "no",
        "all",
        "any",
        "each",
        "every",
    },
    "fr": {
        "le",
        "la",
        "les",
        "un",
        "une",
        "des",
        "ce",
        "cette",
        "ces",
        "mon",
        "ma",
        "mes",
        "votre",
        "vos",
        "notre",
        "nos",
        "leur",
        "leurs",
        "il",
        "elle",
        "ils",
        "elles",
        "nous",
        "vous",
        # nouns a dated fact often starts with ("Commande MD-30317 passée")
        "commande",
        "courrier",
        "facture",
        "prélèvement",
        "paiement",
        "livraison",
        "résiliation",
        "appel",
        "envoi",
        "achat",
        "relance",
        "nouveau",
        "nouvelle",
    },
    "es": {
        "el",
        "la",
        "los",
        "las",
        "un",
        "una",
        "unos",
        "unas",
        "este",
        "esta",
        "estos",
        "estas",
        "mi",
        "mis",
        "su",
        "sus",
        "nuestro",
        "nuestra",
        "ellos",
        "ellas",
        "nosotros",
        "usted",
    },
}


# A possessive or a contraction on the first word: "Vodafone's", "I'm", "I’ve".
_SUFFIX = re.compile(r"['’](?:s|m|ve|d|ll|re)?$", re.IGNORECASE)
# Words before a company's own name that are not its name: "The Phone Co".
_NAME_ARTICLES = {"the", "le", "la", "les", "l", "el", "los", "las", "die", "der", "das"}


def _first_name_word(name: str) -> str:
    """The word a name is known by when written alone: "Vodafone" for "Vodafone
    Limited", "Sky" for "The Sky Group"."""
    words = [w.strip(",.()") for w in name.split()]
    words = [w for w in words if w]
    while len(words) > 1 and words[0].lower().rstrip("'’") in _NAME_ARTICLES:
        words = words[1:]
    return words[0] if words else ""


def _is_name(word: str, following: str, names: tuple[str, ...], lang: str = "en") -> bool:
    """Whether ``word`` is an acronym or a proper noun, as far as the text shows:
    a name of the record (its first word, in any case: "Vodafone" for "VODAFONE
    LIMITED"), an acronym or a word with a capital inside ("ACME", "McKay", "F3"),
    a name of several words ("Severn Broadband"), or a word the text itself writes
    with a capital again mid-sentence."""
    stem = _SUFFIX.sub("", word) or word
    if stem.lower() in _COMMON_STARTS.get(lang, set()) and (len(stem) == 1 or stem[1:].islower()):
        return False
    if stem == "I":
        return True
    if len(stem) < 2:
        return stem != "A"
    if any(ch.isupper() or ch.isdigit() for ch in stem[1:]):  # "ACME", "McKay", "F3"
        return True
    if following[:1].isupper():  # "Severn Broadband offers", "Lakeview Fiber"
        return True
    known = {_first_name_word(name).casefold() for name in names if name.strip()}
    if stem.casefold() in known:
        return True
    # "Vodafone charged me twice, and Vodafone's reply ..." names itself again.
    again = re.compile(r"(?<![.!?:]\s)(?<![.!?:])\b" + re.escape(stem) + r"\b")
    return bool(again.search(following))


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
            if word[0].isupper() and not _is_name(word, rest, names, _lang(locale)):
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


# French typography: the space before ; : ! ? » and after « never ends a line. Text
# typed in a case file ("2026 ; 39,99 €") gets the no-break space the templates carry.
_FR_BEFORE = re.compile(r"[ \t]+(?=[;:!?»])|(?<=[^\W\d_])(?=[;!?](?:\s|$))|(?<=\S)(?=»)")
_FR_AFTER = re.compile(r"(?<=«)[ \t]*(?!\u00a0)")


def french_spacing(text: str) -> str:
    """``text`` with a no-break space before ; : ! ? » and after « (French typography)."""
    return _FR_AFTER.sub("\u00a0", _FR_BEFORE.sub("\u00a0", text))


_DOUBLE_STOP = re.compile(r"(?<![.…])\.\.(?![.…])")


def tidy(text: str) -> str:
    """Repair what inserting values can leave behind: a doubled full stop
    ("Inc.." at a sentence's end)."""
    return _DOUBLE_STOP.sub(".", text)
