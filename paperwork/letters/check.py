"""The letter checker: what a careful reader would send back before signing.

:func:`check_letter` reads a :class:`LetterDocument` (and, for the layout, the
text of each page of its rendered PDF) and returns one translated line per
problem: a web address or no postcode in the address block, more address lines
than the window shows, doubled words, sentences glued together, a closing alone
on a page, a reply-by date the deadline rules do not give, a reference labelled
"your reference" in a letter to someone other than the company, and notes meant
for the user rather than the recipient. An empty list means nothing was found.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date

from paperwork.core.i18n import _
from paperwork.core.model import LetterDocument


@dataclass(frozen=True)
class CheckContext:
    """What the checker needs to know beyond the letter itself (all optional)."""

    # the recipient's country (ISO 3166-1), for its postcode format; "" = any format
    recipient_country: str = ""
    # False when the letter goes to a third party (bank, bureau, regulator, court)
    recipient_is_company: bool = True
    # the deadline rules: the case's jurisdiction, the channel the reply-by date
    # assumes and the letter's response window ("14d"); "" skips the comparison
    jurisdiction: str = ""
    channel: str = "post"
    window: str = ""
    # lines the envelope window shows, and (with ``measure``) how wide it is in points
    max_lines: int = 0
    max_width: float = 0.0
    measure: Callable[[str], float] | None = None
    # values from the case inserted into the text (summary, offers, notes...)
    inserted: Sequence[str] = ()
    # proper names (company, people, bodies): a capital after a colon is fine for them
    names: Sequence[str] = ()
    # the text of each page of the rendered PDF, for the layout findings
    pages: Sequence[str] | None = None


def check_letter(doc: LetterDocument, ctx: CheckContext | None = None) -> list[str]:
    """Every problem found in ``doc``, one translated line each (empty when clean)."""
    ctx = ctx or CheckContext()
    found: list[str] = []
    found += _address_problems(doc, ctx)
    texts = [doc.subject, doc.salutation, *doc.paragraphs, doc.closing]
    found += _doubled_words(texts, doc.locale)
    found += _glued_sentences(doc, ctx)
    found += _reply_by_problems(doc, ctx)
    found += _reference_labels(doc, ctx)
    found += _notes_for_the_user(doc)
    if ctx.pages is not None:
        found += _lone_closing(doc, ctx.pages)
    return found


def _excerpt(text: str, start: int, end: int, around: int = 25) -> str:
    """The matched part of ``text`` with a little context, on one line."""
    left = max(0, start - around)
    right = min(len(text), end + around)
    piece = " ".join(text[left:right].split())
    return ("…" if left else "") + piece + ("…" if right < len(text) else "")


# -- the address block ---------------------------------------------------------

_URL = re.compile(
    r"(?i)\b(?:https?://|www\.)\S+|\b[\w-]+(?:\.[\w-]+)*\.(?:com|org|net|gov|gouv\.fr|gob\.es|gov\.uk|org\.uk|de|fr|es|eu|info)(?:/\S*)?\b"
)
_WEB = re.compile(r"(?i)\b(?:https?://|www\.)\S+")
_POSTCODES = {
    "US": r"\b\d{5}(?:-\d{4})?\b",
    "GB": r"\b[A-Z]{1,2}\d[A-Z\d]?\s*\d[A-Z]{2}\b",
    "DE": r"(?:^|\s)\d{5}\s",
    "FR": r"(?:^|\s)\d{5}\s",
    "ES": r"(?:^|\s)\d{5}\s",
    "IT": r"(?:^|\s)\d{5}\s",
    "CA": r"\b[A-Z]\d[A-Z]\s?\d[A-Z]\d\b",
    "IE": r"\b[A-Z]\d{2}\s?[A-Z\d]{4}\b",
}
# any country: the formats above, four digits (AT, BE, CH, NL, DK...) or 123 45, 12-345
_ANY_POSTCODE = (
    r"\b\d{5}(?:-\d{4})?\b|\b[A-Z]{1,2}\d[A-Z\d]?\s*\d[A-Z]{2}\b|\b[A-Z]\d[A-Z]\s?\d[A-Z]\d\b"
    r"|(?:^|\s)\d{4}(?:\s?[A-Z]{2})?\s|\b\d{3}\s\d{2}\b|\b\d{2}-\d{3}\b|\b\d{4}-\d{3}\b"
)


def _address_problems(doc: LetterDocument, ctx: CheckContext) -> list[str]:
    found = []
    lines = list(doc.recipient_lines)
    for number, line in enumerate(lines):
        # a name may be a domain ("Amazon.com, Inc."); an address line may not
        match = (_WEB if number == 0 else _URL).search(line)
        if match:
            found.append(
                _(
                    "the address block has a web address ({url}) where the postal address belongs; name the website in the text instead."
                ).format(url=match.group(0))
            )
    postal = lines[1:]  # the first line is the name
    # compiled here, not at import: a letter needs one of these patterns
    pattern = re.compile(_POSTCODES.get(ctx.recipient_country.upper(), _ANY_POSTCODE))
    if not any(pattern.search(line + " ") for line in postal):
        found.append(
            _("the address block has no postcode; give the recipient's full postal address.")
        )
    if ctx.max_lines and len(lines) > ctx.max_lines:
        found.append(
            _(
                "the address block has {count} lines; the envelope window shows at most {limit}."
            ).format(count=len(lines), limit=ctx.max_lines)
        )
    if ctx.measure and ctx.max_width:
        for line in lines:
            if ctx.measure(line) > ctx.max_width:
                found.append(
                    _('the address line "{line}" is wider than the envelope window.').format(
                        line=line
                    )
                )
    return found


# -- words and sentences ---------------------------------------------------------

# Words a language legitimately writes twice ("die die Firma", "vous vous êtes").
_ALLOWED_TWICE = {
    "en": {"had", "that"},
    "de": {"die", "der", "das", "den", "dem", "des", "sie"},
    "fr": {"nous", "vous"},
    "es": set(),
}
_DOUBLED = re.compile(r"(?<![\w-])(\w+)\s+(\1)(?![\w-])", re.IGNORECASE)


def _doubled_words(texts: Sequence[str], locale: str) -> list[str]:
    allowed = _ALLOWED_TWICE.get(locale[:2], set())
    found = []
    for text in texts:
        for match in _DOUBLED.finditer(text):
            word = match.group(1)
            if word.isdigit() or word.lower() in allowed:
                continue
            found.append(
                _('doubled word: "{text}".').format(
                    text=_excerpt(text, match.start(), match.end(), 15)
                )
            )
    return found


_TLDS = {
    "com", "org", "net", "gov", "edu", "uk", "de", "fr", "es", "eu", "io", "us", "info",
    "example", "pdf", "png", "jpg", "jpeg", "docx", "txt", "html", "htm", "gouv", "gob",
}  # fmt: skip
_DOT_GLUE = re.compile(r"[^\W\d_]\.(?=[^\W_])|\d\.(?=[^\W\d_]{2})")
_CAPITAL = "A-ZÀ-ÖØ-ÞĀ-Ž"
_COLON_CAPITAL = rf"([a-zà-ÿ])[\s\u00a0\u202f]*:[\s\u00a0\u202f]+([{_CAPITAL}][\w'’-]*)"
_SENTENCES = re.compile(r"[^.!?]+[.!?]?")
_CLOCK = re.compile(r"\d:\d")


def _is_address_like(token: str) -> bool:
    """A web address, e-mail address, file name or abbreviation ("z.B.", "U.S.")."""
    core = token.strip("()[]{}«»\"'“”‘’,;:!?")
    if "://" in core or "@" in core or core.lower().startswith("www."):
        return True
    parts = [p for p in core.split(".") if p]
    if len(parts) >= 2 and all(len(p) <= 2 for p in parts):
        return True
    return len(parts) >= 2 and parts[-1].lower() in _TLDS and not any(c.isupper() for c in core)


def _looks_like_a_name(
    word: str, at: int, text: str, names: set, name_words: set, texts: Sequence[str]
) -> bool:
    """Whether a capitalised ``word`` is a name rather than the start of a clause:
    a known name, an acronym or code, or written with a capital mid-sentence elsewhere."""
    folded = word.casefold()
    if word.isupper() or any(ch.isdigit() for ch in word) or folded in name_words:
        return True
    if any(text[at:].casefold().startswith(n) for n in names):
        return True
    mid_sentence = re.compile(rf"[a-zà-ÿ,][\s\u00a0]+{re.escape(word)}\b")
    return any(mid_sentence.search(t) for t in texts)


def _glued_sentences(doc: LetterDocument, ctx: CheckContext) -> list[str]:
    found = []
    language = doc.locale[:2]
    known: dict[str, set[str]] = {}

    def name_sets() -> tuple[set[str], set[str]]:
        """The names, and their words, folded: worked out when a finding needs them
        (the names come from the regulators directory, slow to read)."""
        if not known:
            known["names"] = {n.casefold() for n in ctx.names if n}
            known["words"] = {w.casefold() for n in ctx.names for w in re.findall(r"\w+", n)}
        return known["names"], known["words"]

    texts = [doc.subject, *doc.paragraphs]
    for text in texts:
        # a full stop with no space after it: "fee.the", "month.I"
        for match in _DOT_GLUE.finditer(text):
            start = text.rfind(" ", 0, match.start()) + 1
            end = text.find(" ", match.end())
            token = text[start : end if end >= 0 else len(text)]
            if _is_address_like(token):
                continue
            found.append(
                _('glued sentences: "{text}" (no space after the full stop).').format(
                    text=_excerpt(text, match.start(), match.end(), 20)
                )
            )
        for match in re.finditer(r"(?<!\.)\.\.(?!\.)", text):
            found.append(
                _('glued sentences: "{text}" (two full stops).').format(
                    text=_excerpt(text, match.start(), match.end(), 20)
                )
            )
        # two colons in one sentence: "an alternative: Severn Broadband: £28 a month"
        # (not in the subject, where "Re: Complaint: ..." is usual)
        for sentence in _SENTENCES.finditer(text if text is not doc.subject else ""):
            part = re.sub(r"\([^()]*\)", "", _CLOCK.sub("", sentence.group(0)))  # asides
            # a colon after a date or number ("- 6 November 2026: call ...") is a label
            if (
                len(
                    re.findall(
                        r"(?<![\d.])(?<!\d[\s\u00a0])[\s\u00a0\u202f]*:[\s\u00a0\u202f]", part + " "
                    )
                )
                >= 2
            ):
                found.append(
                    _('glued sentences: "{text}" (two colons in one sentence).').format(
                        text=_excerpt(text, sentence.start(), sentence.end(), 0)
                    )
                )
        # French and Spanish write on in lower case after a colon mid-sentence
        # (not in the subject, "Objet : Réclamation", nor after a short label, "Motivo: ...")
        if language in ("fr", "es") and text is not doc.subject:
            for match in re.finditer(_COLON_CAPITAL, text):
                word = match.group(2)
                sentence_start = max(text.rfind(end, 0, match.start()) for end in ".!?")
                if len(text[sentence_start + 1 : match.start(1) + 1].split()) <= 2:
                    continue
                if _looks_like_a_name(word, match.start(2), text, *name_sets(), texts):
                    continue
                found.append(
                    _(
                        'capital after a colon mid-sentence: "{text}"; continue in lower case.'
                    ).format(text=_excerpt(text, match.start(), match.end(), 25))
                )
    # an inserted value with no full stop, running into the template's next sentence
    for value in {v.strip() for v in ctx.inserted if v and len(v.strip()) >= 8}:
        if value[-1] in ".!?…:;,)]»\"'”’":
            continue
        for text in texts:
            at = text.find(value)
            while at >= 0:
                after = text[at + len(value) :]
                m = re.match(rf"[ \u00a0]+([{_CAPITAL}][\w'’-]*)[ \u00a0]+([a-zà-ÿ]\w*)", after)
                if m and m.group(1).casefold() not in name_sets()[1]:
                    end = at + len(value) + m.end()
                    found.append(
                        _(
                            'glued sentences: "{text}" (an inserted text ends without a full stop).'
                        ).format(text=_excerpt(text, at + len(value) - 20, end, 0))
                    )
                at = text.find(value, at + 1)
    return found


# -- the reply-by date -------------------------------------------------------------

# words before a date that leave the date itself out ("before 4 January")
_EXCLUSIVE = {
    "en": r"(?i)\bbefore[\s\u00a0]+$",
    "de": r"(?i)\bvor[\s\u00a0]+(?:dem[\s\u00a0]+)?$",
    "fr": r"(?i)\bavant[\s\u00a0]+(?:le[\s\u00a0]+)?$",
    "es": r"(?i)\bantes[\s\u00a0]+(?:del?[\s\u00a0]+)?(?:día[\s\u00a0]+)?$",
}


def _reply_by_problems(doc: LetterDocument, ctx: CheckContext) -> list[str]:
    found = []
    if doc.reply_by_iso and ctx.jurisdiction and ctx.window:
        from paperwork.core.deadlines import WindowError, response_deadline
        from paperwork.core.i18n import long_date

        try:
            rule = response_deadline(
                date.fromisoformat(doc.date_iso), ctx.channel, ctx.jurisdiction, ctx.window
            )
        except (WindowError, ValueError):
            rule = None
        if rule is not None and rule.deadline.isoformat() != doc.reply_by_iso:
            found.append(
                _(
                    "asks for a reply by {printed}; the deadline rules give {expected} for a letter of {day} ({rule})."
                ).format(
                    printed=doc.reply_by or doc.reply_by_iso,
                    expected=long_date(rule.deadline, doc.locale),
                    day=doc.date_iso,
                    rule=rule.explanation,
                )
            )
    if doc.reply_by and doc.locale[:2] in _EXCLUSIVE:
        exclusive = re.compile(_EXCLUSIVE[doc.locale[:2]])
        for text in doc.paragraphs:
            at = text.find(doc.reply_by)
            while at >= 0:
                m = exclusive.search(text[max(0, at - 20) : at])
                if m:
                    found.append(
                        _(
                            'the reply-by date follows "{words}", which leaves out the day itself; ask for a reply by that date.'
                        ).format(words=m.group(0).strip())
                    )
                at = text.find(doc.reply_by, at + 1)
    return found


# -- references and notes --------------------------------------------------------------

_YOUR_REFERENCE = (
    r"(?i)\b(?:your[\s\u00a0]+ref(?:erence)?s?|ihr(?:e)?[\s\u00a0]+(?:zeichen|referenz|aktenzeichen)"
    r"|vo(?:tre|s)[\s\u00a0]+r[ée]f[ée]rences?|v/r[ée]f|su[\s\u00a0]+ref(?:erencia)?"
    r"|vuestra[\s\u00a0]+referencia)\b"
)


def _reference_labels(doc: LetterDocument, ctx: CheckContext) -> list[str]:
    if ctx.recipient_is_company:
        return []
    recipient = doc.recipient_lines[0] if doc.recipient_lines else ""
    places = [label for label, _value in doc.references] + [doc.subject, *doc.paragraphs]
    seen = set()
    found = []
    for text in places:
        for match in re.finditer(_YOUR_REFERENCE, text):
            label = match.group(0)
            if label.casefold() in seen:
                continue
            seen.add(label.casefold())
            found.append(
                _(
                    "\"{label}\" in a letter to {recipient}: that reference is the company's, not the recipient's; label it with the company's name."
                ).format(label=label, recipient=recipient)
            )
    return found


_FOR_THE_USER = re.compile(
    r"(?i)(?:^|(?<=[.!?:])[\s\u00a0]+)(?:"
    r"for[\s\u00a0]+your[\s\u00a0]+information|fyi\b|(?:note|tip|nb|n\.b\.|todo)[\s\u00a0]*:"
    r"|remember[\s\u00a0]+to\b|don['’]t[\s\u00a0]+forget|\[insert|replace[\s\u00a0]+this"
    r"|(?:hinweis|tipp|anmerkung|achtung)[\s\u00a0]*:|zu[\s\u00a0]+ihrer[\s\u00a0]+information|zur[\s\u00a0]+information"
    r"|(?:remarque|astuce|conseil|à[\s\u00a0]+savoir|nb)[\s\u00a0\u202f]*:|pour[\s\u00a0]+(?:votre[\s\u00a0]+)?information"
    r"|(?:nota|consejo|aviso|observación|recuerde)[\s\u00a0]*:|para[\s\u00a0]+su[\s\u00a0]+información"
    r")"
)


def _notes_for_the_user(doc: LetterDocument) -> list[str]:
    found = []
    for text in [doc.subject, *doc.paragraphs]:
        for match in _FOR_THE_USER.finditer(text):
            found.append(
                _(
                    'text meant for you, not the recipient: "{text}"; leave it out of the letter.'
                ).format(text=_excerpt(text, match.start(), match.end(), 40))
            )
    return found


# -- the rendered pages --------------------------------------------------------------


def _flat(text: str) -> str:
    return " ".join(text.replace("\u00a0", " ").replace("\u202f", " ").split())


def _lone_closing(doc: LetterDocument, pages: Sequence[str]) -> list[str]:
    """The page that holds the closing must hold some of the letter's text before it."""
    closing = _flat(doc.closing)[:40]
    if not closing:
        return []
    flat = [_flat(p) for p in pages]
    holding = [i for i, text in enumerate(flat) if closing in text]
    if not holding or holding[-1] == 0:
        return []
    number = holding[-1]
    text = flat[number]
    before = text[: text.rfind(closing)]
    label = _flat(doc.page_label.format(n=number + 1, m=len(pages)))
    for furniture in (label, _flat(doc.continuation), _flat(doc.place_date), "·"):
        if furniture:
            before = before.replace(furniture, " ")
    if re.search(r"\w{2,}", before):
        return []
    return [
        _("the closing stands alone on page {page}; it must follow the last paragraph.").format(
            page=number + 1
        )
    ]
