"""Redaction of an export document, for sharing a case publicly.

``redact_export`` takes the document :meth:`Store.export_document` produces and
returns a copy in which the people's personal data is replaced by consistent
pseudonyms: the same name, account number, address line, phone number or e-mail
becomes the same stand-in everywhere (case, letters, events, settings), so the
story stays readable ("Person A called on 9 October, reference REF-2...").

What is masked, and why the rest is kept:

- people: the sender, the saved profile, named contacts at the company and the
  representatives of logged calls (``Person A``, ``Person B``...); every part of
  a name is masked too, so "Dear Ms Rivera" does not give the surname away;
- identifiers: account numbers, the case's references, card digits, order and
  tracking numbers, call reference numbers (``ACCOUNT-1``, ``REF-1``...), and
  the long digit runs inside them wherever they appear in free text;
- addresses of people (sender, profile): each line, the town that the letter's
  place-and-date line is built from, and postcodes;
- phone numbers and e-mail addresses anywhere in the text, by pattern as well as
  by value (a company's published e-mail address is masked too: it is cheap to
  look up again and an address such as ``jane.doe@acme`` names a person).

The company's name, its department and postal address, dates, amounts and the
letter kinds stay: they are what a public post about a dispute is about.

The result keeps the export's shape and still passes the store's schemas (a
pseudonymous e-mail is a valid address, card digits stay four digits), so it
can be imported into an empty data folder to show the case to someone else.
The function is pure: no I/O, and the input is not modified.
"""

from __future__ import annotations

import copy
import re
from collections.abc import Callable
from typing import Any

# E-mail addresses (RFC 5322 simplified) and phone numbers: an optional +, then
# at least 7 digits with spaces, dots, dashes or brackets between them.
_EMAIL = re.compile(
    r"[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]+@[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\.[A-Za-z0-9-]+)+"
)
_PHONE = re.compile(r"(?<![\w/-])(?:\+|00)?\(?\d[\d\s().-]{5,}\d(?![\w/])")
_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
_DOTTED_DATE = re.compile(r"\b\d{1,2}[./]\d{1,2}[./]\d{2,4}\b")
_DIGITS = re.compile(r"\d")
# a number written with spaces or dashes inside ("9400 1000 0000 1234", "CX-99812")
_NUMBER_RUN = re.compile(r"[A-Za-z]*\d[\d -]*\d|\d")
_WORD = re.compile(r"[^\W\d_]{2,}", re.UNICODE)
# a name part with its apostrophes and hyphens ("O'Brien-Nguyen", "Okonkwo-Baptiste")
_COMPOUND = re.compile(r"[^\W\d_]+(?:['’-][^\W\d_]+)+", re.UNICODE)
# Words that look like name parts but are titles or connectors, never masked alone.
_NOT_A_NAME = {
    "the",
    "and",
    "mr",
    "mrs",
    "ms",
    "miss",
    "dr",
    "von",
    "van",
    "der",
    "den",
    "del",
    "des",
    "les",
    "dos",
    "das",
    "de",
    "da",
    "di",
    "du",
    "la",
    "le",
    "el",
    "al",
    "of",
    "y",
}
# Separators people write inside numbers: spaces, dashes, dots, slashes, brackets.
_SEPARATORS = r"[\s./()\-–]*"
# "card ending 4417", "Karte mit Endziffern 4417", "carte se terminant par 4417"...
_CARD_ENDING = re.compile(
    r"(?i)((?:ending|ends|end|last\s+(?:4|four)(?:\s+digits)?|endziffern?|endend|endet|"
    r"terminant|termin[ée]e?|finissant|terminada|terminaci[óo]n|acabada|termina|"
    r"[*x•·]{3,})[^\d\n]{0,16}?)(\d{4})(?!\d)"
)
# e-mail addresses written to dodge robots: "name at example dot net", "name [at] example.net"
_AT = r"(?:\s*@\s*|\s*[\[({]\s*at\s*[\])}]\s*|\s+at\s+)"
_DOT = r"(?:\s*\.\s*|\s*[\[({]\s*dot\s*[\])}]\s*|\s+dot\s+)"
_OBFUSCATED_EMAIL = re.compile(
    rf"(?i)(?<![\w.])[a-z0-9][\w.+-]*{_AT}[a-z0-9-]+(?:{_DOT}[a-z0-9-]+)*{_DOT}[a-z]{{2,24}}(?![\w])"
)

REDACTED_PLACE = "City"


class _Pseudonyms:
    """Hands out stand-ins: the same original always gets the same pseudonym."""

    def __init__(self) -> None:
        self.by_value: dict[str, str] = {}
        self.counters: dict[str, int] = {}
        # name parts and other tokens masked on word boundaries in free text
        self.tokens: dict[str, str] = {}
        # letters and digits of identifiers, matched whatever separates them
        self.flex: dict[str, str] = {}
        # e-mail addresses, matched in their written-out forms too
        self.emails: dict[str, str] = {}

    def _next(self, kind: str) -> int:
        self.counters[kind] = self.counters.get(kind, 0) + 1
        return self.counters[kind]

    def person(self, name: str) -> str:
        name = name.strip()
        if not name:
            return name
        if name not in self.by_value:
            n = self._next("person")
            self.by_value[name] = f"Person {_letters(n)}"
        pseudonym = self.by_value[name]
        for part in [name, *_COMPOUND.findall(name), *_WORD.findall(name)]:
            if part.casefold() not in _NOT_A_NAME:
                for variant in _case_variants(part):
                    self.tokens.setdefault(variant, pseudonym)
        return pseudonym

    def identifier(self, value: str, kind: str = "REF") -> str:
        value = value.strip()
        if not value:
            return value
        if value not in self.by_value:
            self.by_value[value] = f"{kind}-{self._next(kind)}"
        pseudonym = self.by_value[value]
        # the number inside an identifier ("Ticket 88812", "9400 1000 0000 1234") is
        # masked wherever it appears; short runs ("1000") would hit amounts and years
        for run in _NUMBER_RUN.findall(value):
            run = run.strip(" -")
            if sum(ch.isdigit() for ch in run) >= 5 and not _ISO_DATE.fullmatch(run):
                self.tokens.setdefault(run, pseudonym)
        self.number_forms(value, pseudonym)
        return pseudonym

    def number_forms(self, value: str, pseudonym: str, phone: bool = False) -> None:
        """The value's letters and digits however they are separated ("NW-7730-1184-52"
        written "NW7730118452"), and for a phone its national forms too."""
        skeleton = "".join(ch for ch in value if ch.isalnum())
        digits = "".join(ch for ch in value if ch.isdigit())
        forms = set()
        if len(skeleton) >= 5 and sum(ch.isdigit() for ch in skeleton) >= 4:
            forms.add(skeleton)
        if len(digits) >= 5:
            forms.add(digits)
        if phone and len(digits) >= 9:
            for cc in (1, 2, 3):  # without the country code, with or without the trunk 0
                national = digits[cc:]
                if len(national) >= 7:
                    forms.update({national, "0" + national})
        for form in forms:
            self.flex.setdefault(form, pseudonym)

    def digits(self, value: str) -> str:
        """Card digits: same length, all zeros, so the field's format check still passes."""
        return re.sub(r"\d", "0", value)

    def email(self, value: str) -> str:
        value = value.strip()
        if not value:
            return value
        if value not in self.by_value:
            self.by_value[value] = f"email-{self._next('email')}@example.invalid"
        if not value.endswith("@example.invalid"):
            self.emails.setdefault(value, self.by_value[value])
        return self.by_value[value]

    def phone(self, value: str) -> str:
        value = value.strip()
        if not value:
            return value
        if value not in self.by_value:
            self.by_value[value] = f"PHONE-{self._next('phone')}"
        self.number_forms(value, self.by_value[value], phone=True)
        return self.by_value[value]

    def address(self, lines: list[str]) -> list[str]:
        if not lines:
            return lines
        key = "\n".join(lines)
        if key not in self.by_value:
            self.by_value[key] = _letters(self._next("address"))
        label = self.by_value[key]
        out = []
        for index, line in enumerate(lines, start=1):
            stand_in = f"Address {label}, line {index}"
            self.by_value.setdefault(line.strip(), stand_in)
            out.append(self.by_value[line.strip()])
            for word in line.replace(",", " ").split():
                if len(word) >= 4 and _DIGITS.search(word):
                    self.tokens.setdefault(word.strip(".;:"), f"Postcode {label}")
            pieces = [" ".join(line.split())]
            for segment in line.split(","):
                segment = " ".join(segment.split())
                if len(segment.split()) >= 2:
                    pieces.append(segment)
                # the street without its number: "Harrow Road", "Lindenstraße", "rue des Écoles"
                street = " ".join(w for w in segment.split() if not _DIGITS.search(w)).strip(" ,.º")
                if len(street.split()) >= 2 or len(street) >= 8:
                    pieces.append(street)
            for piece in pieces:
                for variant in _case_variants(piece):
                    self.tokens.setdefault(variant, stand_in)
        # the town a letter's "Springfield, November 26, 2026" line is built from
        town = " ".join(w for w in lines[-1].replace(",", " ").split() if not _DIGITS.search(w))
        if len(town) >= 3:
            self.by_value.setdefault(town, f"{REDACTED_PLACE} {label}")
            for word in town.split():
                if len(word) >= 3 and word.lower() not in _NOT_A_NAME:
                    self.tokens.setdefault(word, f"{REDACTED_PLACE} {label}")
        return out


def _case_variants(word: str) -> set[str]:
    """``word`` and the forms case-blind matching misses: "Weiß" is "WEISS" and "weiss"."""
    return {word, word.upper(), word.casefold()}


def _letters(n: int) -> str:
    """1 → A, 26 → Z, 27 → AA: short labels for pseudonyms."""
    out = ""
    while n > 0:
        n, rem = divmod(n - 1, 26)
        out = chr(ord("A") + rem) + out
    return out


def redact_export(doc: dict[str, Any]) -> dict[str, Any]:
    """A copy of an export document with names, account numbers, addresses,
    phone numbers and e-mails replaced by consistent pseudonyms."""
    out = copy.deepcopy(doc)
    names = _Pseudonyms()

    # 1. The structured fields: we know what each one holds.
    settings = out.get("settings")
    if isinstance(settings, dict) and isinstance(settings.get("profile"), dict):
        _party(settings["profile"], names)
    for case in _dicts(out.get("cases")):
        _case(case, names)
    for letter in _dicts(out.get("letters")):
        _letter(letter, names)
    for event in _dicts(out.get("events")):
        _event(event, names)

    # 2. Every string anywhere: known values, then name parts and identifier
    #    digits on word boundaries, then e-mails and phone numbers by pattern.
    #    The company's own names are shielded: they are what the dispute is about.
    replace = _replacer(names, _company_names(out))
    redacted: dict[str, Any] = _walk(out, replace)
    return redacted


def _company_names(doc: dict[str, Any]) -> list[str]:
    found = set()
    for case in _dicts(doc.get("cases")):
        company = case.get("company")
        if isinstance(company, dict):
            for key in ("name", "department"):
                if isinstance(company.get(key), str) and len(company[key].strip()) >= 2:
                    found.add(company[key].strip())
    return sorted(found, key=lambda n: (-len(n), n))


def _dicts(items: Any) -> list[dict[str, Any]]:
    return [item for item in items if isinstance(item, dict)] if isinstance(items, list) else []


def _party(party: dict[str, Any], names: _Pseudonyms) -> None:
    if isinstance(party.get("name"), str):
        party["name"] = names.person(party["name"])
    if isinstance(party.get("address"), list):
        party["address"] = names.address([str(x) for x in party["address"]])
    if party.get("email"):
        party["email"] = names.email(str(party["email"]))
    if party.get("phone"):
        party["phone"] = names.phone(str(party["phone"]))


def _case(case: dict[str, Any], names: _Pseudonyms) -> None:
    if isinstance(case.get("sender"), dict):
        _party(case["sender"], names)
    if case.get("account_number"):
        case["account_number"] = names.identifier(str(case["account_number"]), "ACCOUNT")
    if isinstance(case.get("references"), list):
        case["references"] = [names.identifier(str(r)) for r in case["references"]]
    company = case.get("company")
    if isinstance(company, dict) and company.get("email"):
        company["email"] = names.email(str(company["email"]))
    for contact in _dicts(case.get("contacts")):
        if contact.get("name"):
            contact["name"] = names.person(str(contact["name"]))
        if contact.get("email"):
            contact["email"] = names.email(str(contact["email"]))
    details = case.get("details")
    if isinstance(details, dict):
        if details.get("card_last4"):
            details["card_last4"] = names.digits(str(details["card_last4"]))
        if details.get("order_number"):
            details["order_number"] = names.identifier(str(details["order_number"]), "ORDER")


def _letter(letter: dict[str, Any], names: _Pseudonyms) -> None:
    if letter.get("tracking"):
        letter["tracking"] = names.identifier(str(letter["tracking"]), "TRACKING")
    document = letter.get("document")
    if not isinstance(document, dict):
        return
    # sender block: the letter was composed from the case's sender or the profile
    if isinstance(document.get("sender_name"), str):
        document["sender_name"] = names.person(document["sender_name"])
    if isinstance(document.get("signature"), str):
        document["signature"] = names.person(document["signature"])
    if isinstance(document.get("sender_lines"), list):
        document["sender_lines"] = names.address([str(x) for x in document["sender_lines"]])
    if isinstance(document.get("sender_contact"), list):
        document["sender_contact"] = [
            names.email(c) if "@" in c else names.phone(c)
            for c in map(str, document["sender_contact"])
        ]


def _event(event: dict[str, Any], names: _Pseudonyms) -> None:
    data = event.get("data")
    if not isinstance(data, dict):
        return
    if isinstance(data.get("rep"), str) and data["rep"]:
        data["rep"] = names.person(data["rep"])
    for key in ("ref", "tracking", "reference"):
        if isinstance(data.get(key), str) and data[key]:
            data[key] = names.identifier(data[key])


def _replacer(names: _Pseudonyms, companies: list[str] | None = None) -> Callable[[str], str]:
    whole = {k: v for k, v in names.by_value.items() if k and k != v and not _is_pseudonym(k)}
    tokens = {k: v for k, v in names.tokens.items() if k not in whole.values()}
    whole_re = _alternation(whole, boundary=False)
    folded_tokens: dict[str, str] = {}
    for key, value in sorted(tokens.items()):
        folded_tokens.setdefault(_fold_spaces(key), value)
    tokens_re = _alternation(tokens, boundary=True, flexible=True)
    flex = [(_flexible(form), pseudonym) for form, pseudonym in _longest_first(names.flex)]
    emails = [
        (_written_email(value), pseudonym) for value, pseudonym in _longest_first(names.emails)
    ]
    shield = _alternation({c: c for c in companies or []}, boundary=True, flexible=True)

    def replace(text: str) -> str:
        kept: list[str] = []
        if shield is not None:

            def hide(m: re.Match[str]) -> str:
                kept.append(m.group(0))
                return f"\ue000{len(kept) - 1}\ue001"

            text = shield.sub(hide, text)
        if whole_re is not None:
            text = whole_re.sub(lambda m: whole[m.group(0)], text)
        for pattern, pseudonym in emails:
            text = pattern.sub(pseudonym, text)
        text = _OBFUSCATED_EMAIL.sub(lambda m: _email_or_keep(m.group(0), names), text)
        for pattern, pseudonym in flex:
            text = pattern.sub(pseudonym, text)
        if tokens_re is not None:
            text = tokens_re.sub(
                lambda m: folded_tokens.get(_fold_spaces(m.group(0)), m.group(0)), text
            )
        text = _CARD_ENDING.sub(lambda m: m.group(1) + "0000", text)
        text = _EMAIL.sub(
            lambda m: (
                names.email(m.group(0)) if not m.group(0).endswith(".invalid") else m.group(0)
            ),
            text,
        )
        text = _PHONE.sub(lambda m: _phone_or_keep(m.group(0), names), text)
        if kept:
            text = re.sub("\ue000(\\d+)\ue001", lambda m: kept[int(m.group(1))], text)
        return text

    return replace


def _fold_spaces(text: str) -> str:
    return " ".join(text.split()).casefold()


def _longest_first(mapping: dict[str, str]) -> list[tuple[str, str]]:
    return sorted(mapping.items(), key=lambda kv: (-len(kv[0]), kv[0]))


def _flexible(form: str) -> re.Pattern[str]:
    """``form``'s letters and digits in order, whatever separates them, not inside a longer run."""
    body = _SEPARATORS.join(re.escape(ch) for ch in form)
    return re.compile(rf"(?i)(?<![A-Za-z0-9]){body}(?![A-Za-z0-9])")


def _written_email(value: str) -> re.Pattern[str]:
    """An e-mail address as written, or spelled out ("name at example dot net")."""
    local, _at, domain = value.partition("@")
    parts = [_DOT.join(re.escape(p) for p in local.split("."))]
    parts.append(_DOT.join(re.escape(p) for p in domain.split(".")))
    return re.compile(rf"(?i)(?<![\w.]){_AT.join(parts)}(?![\w])")


def _email_or_keep(text: str, names: _Pseudonyms) -> str:
    if "invalid" in text.casefold():
        return text
    return names.email(re.sub(r"\s+", " ", text))


def _phone_or_keep(text: str, names: _Pseudonyms) -> str:
    """A digit run that is a date, an amount or a year range is not a phone number."""
    digits = sum(ch.isdigit() for ch in text)
    stripped = text.strip()
    if (
        digits < 7
        or _ISO_DATE.search(stripped)
        or _DOTTED_DATE.search(stripped)
        or re.fullmatch(r"[\d.,]+", stripped)
    ):
        return text
    return names.phone(text)


def _is_pseudonym(text: str) -> bool:
    return bool(
        re.fullmatch(
            r"(Person|Address|City|Postcode) [A-Z]+(, line \d+)?|[A-Z]+-\d+|email-\d+@example\.invalid",
            text,
        )
    )


def _alternation(
    mapping: dict[str, str], boundary: bool, flexible: bool = False
) -> re.Pattern[str] | None:
    """One pattern for every key, longest first (so "Jordan Rivera" wins over "Jordan");
    ``flexible``: any case, any run of spaces between words."""
    if not mapping:
        return None
    keys = sorted(mapping, key=lambda k: (-len(k), k))
    if flexible:
        parts = [r"\s+".join(re.escape(w) for w in k.split()) for k in keys]
    else:
        parts = [re.escape(k) for k in keys]
    body = "|".join(parts)
    flags = re.IGNORECASE if flexible else 0
    return re.compile(rf"(?<!\w)(?:{body})(?!\w)" if boundary else f"(?:{body})", flags)


# Fields that hold codes, dates and hashes, never personal text: left as they are,
# so a name such as "Open" cannot turn a status into a pseudonym.
_STRUCTURAL_KEYS = frozenset(
    {
        "format",
        "version",
        "id",
        "case_id",
        "status",
        "kind",
        "locale",
        "via",
        "window",
        "jurisdiction",
        "category",
        "ladder",
        "country",
        "currency",
        "value",
        "on",
        "drafted_on",
        "sent_on",
        "delivered_on",
        "created_on",
        "date_iso",
        "reply_by_iso",
        "promo_ends",
        "contract_ends",
        "customer_since",
        "cancel_on",
        "transaction_date",
        "statement_date",
        "pdf_sha256",
        "sha256",
        "media_type",
        "role",
        "page_label",
        "card_last4",
    }
)


def _walk(value: Any, replace: Callable[[str], str], key: str = "") -> Any:
    if key in _STRUCTURAL_KEYS:
        return value
    if isinstance(value, str):
        return replace(value)
    if isinstance(value, list):
        return [_walk(v, replace) for v in value]
    if isinstance(value, dict):
        return {k: _walk(v, replace, str(k)) for k, v in value.items()}
    return value


# ---------------------------------------------------------------------------
# The self-check: search the redacted document for every personal value of the
# original, in the forms people write them, before anything is written.


# (field, kind of value) of the personal fields of each record: "address" is a
# list of lines, the rest single values.
_PARTY_FIELDS = (("name", "name"), ("address", "line"), ("email", "email"), ("phone", "number"))
_CASE_FIELDS = (("account_number", "number"), ("references", "number"))
_CONTACT_FIELDS = (("name", "name"), ("email", "email"))
_DETAIL_FIELDS = (("card_last4", "card"), ("order_number", "number"))
_EVENT_FIELDS = (
    ("rep", "name"),
    ("ref", "number"),
    ("tracking", "number"),
    ("reference", "number"),
)


def personal_values(doc: dict[str, Any]) -> list[tuple[str, str, str]]:
    """(field, kind, value) for every personal value the structured fields hold."""
    found: list[tuple[str, str, str]] = []

    def take(where: str, record: Any, spec: tuple[tuple[str, str], ...]) -> None:
        if not isinstance(record, dict):
            return
        for key, kind in spec:
            value = record.get(key)
            if isinstance(value, list):
                found.extend((f"{where}.{key}.{n}", kind, str(v)) for n, v in enumerate(value) if v)
            elif value:
                found.append((f"{where}.{key}", kind, str(value)))

    settings = doc.get("settings")
    if isinstance(settings, dict):
        take("settings.profile", settings.get("profile"), _PARTY_FIELDS)
    for i, case in enumerate(_dicts(doc.get("cases"))):
        take(f"cases.{i}.sender", case.get("sender"), _PARTY_FIELDS)
        take(f"cases.{i}", case, _CASE_FIELDS)
        take(f"cases.{i}.details", case.get("details"), _DETAIL_FIELDS)
        for j, contact in enumerate(_dicts(case.get("contacts"))):
            take(f"cases.{i}.contacts.{j}", contact, _CONTACT_FIELDS)
    for i, letter in enumerate(_dicts(doc.get("letters"))):
        take(f"letters.{i}", letter, (("tracking", "number"),))
    for i, event in enumerate(_dicts(doc.get("events"))):
        take(f"events.{i}.data", event.get("data"), _EVENT_FIELDS)
    return found


def _probes(kind: str, value: str) -> list[re.Pattern[str]]:
    """Patterns that find ``value`` however it is written."""
    probes: list[re.Pattern[str]] = []
    if kind == "name":
        words = [
            w
            for w in [*_COMPOUND.findall(value), *_WORD.findall(value)]
            if w.casefold() not in _NOT_A_NAME
        ]
        for word in dict.fromkeys(words):
            for variant in sorted(_case_variants(word)):
                probes.append(re.compile(rf"(?i)(?<!\w){re.escape(variant)}(?!\w)"))
    elif kind == "line":
        for variant in sorted(_case_variants(value)):
            words = variant.replace(",", " ").split()
            if len(words) >= 2 or (words and len(words[0]) >= 6):
                body = r"[\s,]+".join(re.escape(w) for w in words)
                probes.append(re.compile(rf"(?i)(?<!\w){body}(?!\w)"))
    elif kind == "email":
        probes.append(_written_email(value))
    elif kind == "card":
        digits = "".join(ch for ch in value if ch.isdigit())
        if len(digits) == 4 and digits != "0000":
            probes.append(
                re.compile(
                    rf"(?i)(?:ending|ends|last|endziffern?|terminant|terminada)[^\d\n]{{0,16}}{digits}(?!\d)"
                )
            )
    else:
        skeleton = "".join(ch for ch in value if ch.isalnum())
        digits = "".join(ch for ch in value if ch.isdigit())
        for form in {skeleton, digits}:
            if len(form) >= 5 and sum(ch.isdigit() for ch in form) >= 4:
                probes.append(_flexible(form))
    return probes


def leftovers(original: dict[str, Any], redacted: Any) -> list[tuple[str, str]]:
    """(personal field, where it still appears) for every personal value of
    ``original`` that can still be found in ``redacted``; empty when clean."""
    texts: list[tuple[str, str]] = []

    def collect(value: Any, path: str, key: str = "") -> None:
        if key in _STRUCTURAL_KEYS:
            return
        if isinstance(value, str):
            texts.append((path, value))
        elif isinstance(value, list):
            for index, item in enumerate(value):
                collect(item, f"{path}.{index}" if path else str(index))
        elif isinstance(value, dict):
            for k, item in value.items():
                collect(item, f"{path}.{k}" if path else str(k), str(k))

    collect(redacted, "")
    found: list[tuple[str, str]] = []
    for field, kind, value in personal_values(original):
        for probe in _probes(kind, value):
            where = next((path for path, text in texts if probe.search(text)), None)
            if where is not None:
                found.append((field, where))
                break
    return found


__all__ = ["leftovers", "personal_values", "redact_export"]
