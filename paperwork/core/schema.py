"""marshmallow schemas: the only way data enters or leaves the domain.

Case files (JSON or TOML), the sender profile, the store's JSON columns and the
export document all pass through here, so every check lives in one place and
every problem is reported as ``field.path: message``.
"""

from __future__ import annotations

import json
import re
import tomllib
import unicodedata
from collections.abc import Mapping
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from functools import cache
from pathlib import Path
from typing import Any, Literal, cast, overload

from marshmallow import (
    EXCLUDE,
    RAISE,
    Schema,
    ValidationError,
    fields,
    post_dump,
    post_load,
    validate,
    validates,
    validates_schema,
)

from paperwork.core.controls import BIDI_CONTROLS, INVISIBLE
from paperwork.core.errors import UserError, flatten_messages
from paperwork.core.i18n import _, interface_locale, number
from paperwork.core.model import (
    CATEGORIES,
    CHANNELS,
    CONTACT_ROLES,
    LETTER_STATUSES,
    Case,
    Company,
    Contact,
    Details,
    Event,
    Fact,
    Letter,
    LetterDocument,
    Money,
    Party,
)

SUPPORTED_LOCALES = ("en_US", "en_GB", "de_DE", "fr_FR", "es_ES")

_JURISDICTION = re.compile(r"^[A-Z]{2}(-[A-Z0-9]{1,3})?$")
_CURRENCY = re.compile(r"^[A-Z]{3}$")
_EMAIL = re.compile(
    r"^[^@\s<>(),;:\"\[\]]+@[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)+$"
)
# Characters that would reorder or hide text (bidi overrides and isolates).
MAX_FIELD = 20_000


def clean_text(value: str, multiline: bool) -> str:
    """Refuse characters that could garble a letter or a terminal; trim spaces."""
    # Unicode line and paragraph separators: a line break where one is allowed
    value = value.replace("\u2028", "\n").replace("\u2029", "\n\n")
    for ch in value:
        if ch in "\n\t" and multiline:
            continue
        if ch == "\r" and multiline:
            continue
        if unicodedata.category(ch) == "Cc":
            raise ValidationError(
                _("contains a control character (U+{code:04X}); remove it.").format(code=ord(ch))
            )
        if ch in BIDI_CONTROLS:
            raise ValidationError(
                _("contains a text-direction override (U+{code:04X}); remove it.").format(
                    code=ord(ch)
                )
            )
    if len(value) > MAX_FIELD:
        limit = number(MAX_FIELD, interface_locale())
        raise ValidationError(_("is longer than {limit} characters.").format(limit=limit))
    return entry_form(value.replace("\r\n", "\n").replace("\r", "\n")).strip()


def entry_form(value: str) -> str:
    """Text as it is kept: composed (NFC: "e" + combining accent becomes one letter)
    and without invisible characters (zero-width space and joiners, soft hyphen)."""
    if value.isascii():
        return value
    value = "".join(ch for ch in value if ch not in INVISIBLE)
    return unicodedata.normalize("NFC", value)


def unprintable_problems(data: Any, path: tuple[str | int, ...] = ()) -> dict[str | int, Any]:
    """Every string of raw input the letter font cannot print, as marshmallow's
    nested error dict naming the field (``facts.1.text``); empty when all print."""
    from paperwork.core.glyphs import unprintable

    errors: dict[str | int, Any] = {}
    if isinstance(data, str):
        missing = unprintable(entry_form(data))
        if missing:
            shown = ", ".join(f"U+{ord(ch):04X}" for ch in missing[:5])
            return {
                "": [
                    _(
                        "contains characters the letter font cannot print ({shown}); write them in Latin, Greek or Cyrillic script."
                    ).format(shown=shown)
                ]
            }
        return {}
    items = (
        data.items()
        if isinstance(data, dict)
        else enumerate(data)
        if isinstance(data, list | tuple)
        else ()
    )
    for key, value in items:
        found = unprintable_problems(value, (*path, key))
        if found:
            errors[key] = found.get("", found)
    return errors


class _EntryChecked:
    """Text typed by the person (case file, case edit, campaign row, profile, the
    app's forms) must be printable by the letter font: refused here, naming the
    field, never accepted now and refused later at ``letter draft``."""

    entry_check = True

    @validates_schema(pass_original=True, skip_on_field_errors=False)
    def _printable(self, data: Any, original: Any, **kwargs: Any) -> None:
        if not self.entry_check:
            return
        problems = unprintable_problems(original)
        if problems:
            raise ValidationError(problems)


_clean_text = clean_text  # older name, still used by a few callers


class Text(fields.String):
    """A trimmed string free of control characters; optionally required non-empty."""

    def __init__(self, *args: Any, multiline: bool = False, **kwargs: Any):
        self.multiline = multiline
        super().__init__(*args, **kwargs)

    def _deserialize(
        self, value: Any, attr: str | None, data: Mapping[str, Any] | None, **kwargs: Any
    ) -> str:
        text = clean_text(super()._deserialize(value, attr, data, **kwargs), self.multiline)
        if self.required and not text:
            raise ValidationError(_("must not be empty."))
        return text


def check_day(day: date) -> date:
    """``day``, or a ValidationError when it is far outside a dispute's life."""
    from paperwork.core.deadlines import day_out_of_range

    problem = day_out_of_range(day)
    if problem:
        raise ValidationError(problem)
    return day


class IsoDate(fields.Field[date]):
    """A calendar date written YYYY-MM-DD (TOML dates are accepted as they are)."""

    def _serialize(self, value: date | None, attr: str | None, obj: Any, **kwargs: Any) -> Any:
        return None if value is None else value.isoformat()

    def _deserialize(
        self, value: Any, attr: str | None, data: Mapping[str, Any] | None, **kwargs: Any
    ) -> date:
        if isinstance(value, datetime):
            raise ValidationError(_("must be a date (YYYY-MM-DD), not a date and time."))
        if isinstance(value, date):
            return check_day(value)
        if not isinstance(value, str):
            raise ValidationError(_("must be a date written YYYY-MM-DD."))
        try:
            if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", value.strip()):
                raise ValueError
            day = date.fromisoformat(value.strip())
        except ValueError:
            raise ValidationError(
                _("'{value}' is not a valid date; write it as YYYY-MM-DD.").format(value=value)
            ) from None
        return check_day(day)


class DecimalString(fields.Field[Decimal]):
    """Money: a decimal written as a string ("89.99"); floats are refused."""

    def _serialize(self, value: Decimal | None, attr: str | None, obj: Any, **kwargs: Any) -> Any:
        return None if value is None else format(value, "f")

    def _deserialize(
        self, value: Any, attr: str | None, data: Mapping[str, Any] | None, **kwargs: Any
    ) -> Decimal:
        if isinstance(value, bool) or not isinstance(value, (str, int)):
            raise ValidationError(_('must be a decimal written as a string, e.g. "89.99".'))
        text = str(value).strip()
        if not re.fullmatch(r"-?\d+(\.\d+)?", text):
            raise ValidationError(
                _("'{value}' is not a decimal amount; write it like \"89.99\".").format(value=value)
            )
        try:
            amount = Decimal(text)
        except InvalidOperation:  # pragma: no cover - the regex already guards
            raise ValidationError(
                _("'{value}' is not a decimal amount.").format(value=value)
            ) from None
        if amount < 0:
            raise ValidationError(_("must not be negative."))
        exponent = amount.as_tuple().exponent  # an int for a finite number, as the regex ensures
        if isinstance(exponent, int) and exponent < -2:
            raise ValidationError(_("has more than two decimal places."))
        return amount


class AddressLines(fields.List[str]):
    """Postal address lines, printed exactly as given, one per line."""

    def __init__(self, max_lines: int = 5, **kwargs: Any):
        super().__init__(Text(), validate=validate.Length(min=1, max=max_lines), **kwargs)

    def _deserialize(
        self, value: Any, attr: str | None, data: Mapping[str, Any] | None, **kwargs: Any
    ) -> list[str | None]:
        lines = super()._deserialize(value, attr, data, **kwargs)
        if any(not line for line in lines):
            raise ValidationError(_("address lines must not be empty."))
        return lines


def _check_email(value: str) -> None:
    if value and not _EMAIL.match(value):
        raise ValidationError(_("'{value}' is not a valid e-mail address.").format(value=value))


class _Strict(Schema):
    class Meta:
        unknown = RAISE


class MoneySchema(_Strict):
    value = DecimalString(required=True)
    currency = Text(required=True)

    @validates("currency")
    def _currency(self, value: str, **kwargs: Any) -> None:
        if not _CURRENCY.match(value):
            raise ValidationError(
                _("'{value}' is not an ISO 4217 currency code such as USD or EUR.").format(
                    value=value
                )
            )

    @post_load
    def _make(self, data: dict[str, Any], **kwargs: Any) -> Money:
        return Money(**data)


class PartySchema(_Strict):
    name = Text(required=True)
    address = AddressLines(required=True)
    country = Text(load_default="")
    email = Text(load_default="", validate=_check_email)
    phone = Text(load_default="")

    @post_load
    def _make(self, data: dict[str, Any], **kwargs: Any) -> Party:
        return Party(**data)


class CompanySchema(_Strict):
    name = Text(required=True)
    department = Text(load_default="")
    address = AddressLines(required=True, max_lines=5)
    country = Text(load_default="")
    email = Text(load_default="", validate=_check_email)
    social = Text(load_default="")

    @post_load
    def _make(self, data: dict[str, Any], **kwargs: Any) -> Company:
        return Company(**data)


class ContactSchema(_Strict):
    role = Text(required=True, validate=validate.OneOf(CONTACT_ROLES))
    name = Text(required=True)
    address = AddressLines(required=True)
    email = Text(load_default="", validate=_check_email)
    salutation = Text(load_default="", validate=validate.Length(max=120))

    @post_load
    def _make(self, data: dict[str, Any], **kwargs: Any) -> Contact:
        return Contact(**data)


class FactSchema(_Strict):
    on = IsoDate(required=True)
    text = Text(required=True, multiline=True)

    @post_load
    def _make(self, data: dict[str, Any], **kwargs: Any) -> Fact:
        return Fact(**data)


class DetailsSchema(_Strict):
    customer_since = IsoDate(load_default=None)
    cancel_on = IsoDate(load_default=None)
    transaction_date = IsoDate(load_default=None)
    statement_date = IsoDate(load_default=None)
    competitor_offer = Text(load_default="", multiline=True)
    payment_plan = Text(load_default="", multiline=True)
    card_issuer = Text(load_default="")
    card_last4 = Text(
        load_default="",
        validate=validate.Regexp(r"^(\d{4})?$", error="must be the last four digits of the card."),
    )
    credit_bureau = Text(load_default="")
    order_number = Text(load_default="")
    transaction_amount = fields.Nested(MoneySchema, load_default=None)
    merchant = Text(load_default="")
    report_item = Text(load_default="", multiline=True)
    notice_received = IsoDate(load_default=None)

    @post_load
    def _make(self, data: dict[str, Any], **kwargs: Any) -> Details:
        return Details(**data)


@cache
def _country_codes() -> frozenset[str]:
    """The countries the holiday calendars know, read from the package's registry
    (list_supported_countries() would import every country's module)."""
    from holidays.registry import COUNTRIES

    return frozenset(
        code
        for spec in COUNTRIES.values()
        for code in spec[1:]
        if code.isupper() and len(code) in (2, 3)
    )


def _check_jurisdiction(value: str) -> None:
    if not _JURISDICTION.match(value):
        raise ValidationError(
            _(
                "'{value}' is not a jurisdiction; use a country code with an optional subdivision, e.g. US-IL, GB-ENG, DE-BY, FR."
            ).format(value=value)
        )
    country, _sep, subdivision = value.partition("-")
    if country not in _country_codes():
        raise ValidationError(_("'{value}': unknown country code.").format(value=value))
    if subdivision:
        known = subdivisions_of(country)
        if not known:
            raise ValidationError(
                _(
                    "'{value}': {country} has no subdivisions in the holiday calendar; write {country}."
                ).format(value=value, country=country)
            )
        if subdivision not in known:
            raise ValidationError(
                _("'{value}': unknown subdivision of {country}; valid: {codes}.").format(
                    value=value, country=country, codes=", ".join(known)
                )
            )


def subdivisions_of(country: str) -> tuple[str, ...]:
    """The subdivision codes the `holidays` package knows for ``country`` (DE: BB, BE, BW...)."""
    import holidays

    codes = holidays.country_holidays(country).subdivisions
    # Only codes a jurisdiction can spell (not "Augsburg" or "Zone A", which some
    # countries list beside their ISO 3166-2 codes).
    return tuple(code for code in codes if re.fullmatch(r"[A-Z0-9]{1,3}", code))


class CaseFileSchema(_EntryChecked, _Strict):
    """The case file of docs/DESIGN.md §4."""

    title = Text(required=True)
    jurisdiction = Text(required=True, validate=_check_jurisdiction)
    locale = Text(
        required=True, validate=validate.OneOf(SUPPORTED_LOCALES, error="must be one of {choices}.")
    )
    category = Text(
        required=True, validate=validate.OneOf(CATEGORIES, error="must be one of {choices}.")
    )
    company = fields.Nested(CompanySchema, required=True)
    sender = fields.Nested(PartySchema, load_default=None)
    account_number = Text(load_default="")
    references = fields.List(Text(), load_default=list)
    summary = Text(required=True, multiline=True)
    # the summary for letters to third parties, written about the company (optional)
    third_party_summary = Text(load_default="", multiline=True)
    facts = fields.List(
        fields.Nested(FactSchema), load_default=list, validate=validate.Length(max=500)
    )
    remedy = Text(required=True, multiline=True)
    amount = fields.Nested(MoneySchema, load_default=None)
    ladder = Text(
        load_default="standard",
        validate=validate.Regexp(
            r"^[a-z0-9_]+$", error="must be a ladder id such as standard or regulated_uk."
        ),
    )
    contacts = fields.List(fields.Nested(ContactSchema), load_default=list)
    details = fields.Nested(DetailsSchema, load_default=Details)
    promo_ends = IsoDate(load_default=None)
    contract_ends = IsoDate(load_default=None)

    @post_load
    def _make(self, data: dict[str, Any], **kwargs: Any) -> dict[str, Any] | Case:
        if self.partial:
            return data
        return Case(**data)


class StoredCaseSchema(CaseFileSchema):
    """A case as kept in the store and in exports: the case file plus bookkeeping."""

    entry_check = False  # checked when it entered; a stored case always loads

    id = fields.Integer(required=True)
    status = Text(required=True, validate=validate.OneOf(("open", "closed", "archived")))
    created_on = IsoDate(required=True)

    @post_dump
    def _order(self, data: dict[str, Any], **kwargs: Any) -> dict[str, Any]:
        return dict(sorted(data.items()))


class LetterDocumentSchema(_Strict):
    locale = Text(required=True)
    sender_name = fields.String(required=True)
    sender_lines = fields.List(fields.String(), required=True)
    sender_contact = fields.List(fields.String(), required=True)
    recipient_lines = fields.List(fields.String(), required=True)
    place_date = fields.String(required=True)
    date_iso = fields.String(required=True)
    references = fields.List(fields.Tuple((fields.String(), fields.String())), required=True)
    subject = fields.String(required=True)
    salutation = fields.String(required=True)
    paragraphs = fields.List(fields.String(), required=True)
    closing = fields.String(required=True)
    signature = fields.String(required=True)
    enclosures = fields.List(fields.String(), load_default=list)
    copies = fields.List(fields.String(), load_default=list)
    delivery = fields.String(load_default="")
    reply_by = fields.String(load_default="")
    reply_by_iso = fields.String(load_default="")
    page_label = fields.String(load_default="Page {n} of {m}")
    continuation = fields.String(load_default="")

    @post_load
    def _make(self, data: dict[str, Any], **kwargs: Any) -> LetterDocument:
        data["references"] = [tuple(r) for r in data["references"]]
        return LetterDocument(**data)


class LetterSchema(_Strict):
    id = fields.Integer(required=True)
    case_id = fields.Integer(required=True)
    kind = Text(required=True)
    locale = Text(required=True)
    drafted_on = IsoDate(required=True)
    window = Text(required=True)
    document = fields.Nested(LetterDocumentSchema, required=True)
    status = Text(required=True, validate=validate.OneOf(LETTER_STATUSES))
    sent_on = IsoDate(load_default=None)
    via = Text(load_default="", validate=validate.OneOf(("", *CHANNELS)))
    tracking = Text(load_default="")
    delivered_on = IsoDate(load_default=None)
    pdf_sha256 = Text(load_default="")

    @post_load
    def _make(self, data: dict[str, Any], **kwargs: Any) -> Letter:
        return Letter(**data)


class EventSchema(_Strict):
    id = fields.Integer(required=True)
    case_id = fields.Integer(required=True)
    kind = Text(required=True)
    on = IsoDate(required=True)
    data = fields.Dict(keys=fields.String(), required=True)

    @post_load
    def _make(self, data: dict[str, Any], **kwargs: Any) -> Event:
        return Event(**data)


class ProfileSchema(_EntryChecked, PartySchema):
    """The saved sender profile: the same fields as a case file's ``sender``."""


# ---------------------------------------------------------------------------
# Reading files


def read_structured_file(path: Path) -> Any:
    """Parse a JSON or TOML file, turning every failure into a clear UserError."""
    name = str(path)
    suffix = path.suffix.lower()
    if suffix not in (".json", ".toml"):
        raise UserError(_("unsupported file type; use a .json or .toml file."), source=name)
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        raise UserError(_("no such file."), source=name) from None
    except IsADirectoryError:
        raise UserError(_("is a folder, not a file."), source=name) from None
    except OSError as exc:
        raise UserError(
            _("cannot be read ({strerror}).").format(strerror=exc.strerror), source=name
        ) from None
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise UserError(
            _("is not UTF-8 text (byte {start}).").format(start=exc.start), source=name
        ) from None
    try:
        return _parse(text, suffix, name)
    except RecursionError:
        raise UserError(_("is nested too deeply."), source=name) from None


def _parse(text: str, suffix: str, name: str) -> Any:
    if suffix == ".json":
        try:
            return json.loads(text)
        except json.JSONDecodeError as exc:
            raise UserError(
                _("broken JSON at line {lineno}, column {colno}: {msg}.").format(
                    lineno=exc.lineno, colno=exc.colno, msg=exc.msg
                ),
                source=name,
            ) from None
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise UserError(_("broken TOML: {exc}.").format(exc=exc), source=name) from None


def load_with(schema: Schema, data: Any, source: str) -> Any:
    """Validate ``data`` with ``schema``; every problem becomes one line naming the field."""
    if not isinstance(data, dict):
        raise UserError(
            _("must hold an object (a table of keys), not a list or a value."), source=source
        )
    try:
        return schema.load(data)
    except ValidationError as exc:
        raise UserError(flatten_messages(exc.messages), source=source) from None


@overload
def load_case_file(path: Path, partial: Literal[False] = False) -> Case: ...
@overload
def load_case_file(path: Path, partial: Literal[True]) -> dict[str, Any]: ...
def load_case_file(path: Path, partial: bool = False) -> Case | dict[str, Any]:
    """Read a case file (docs/DESIGN.md §4); with ``partial`` every key is optional (case edit)."""
    data = read_structured_file(path)
    loaded: Case | dict[str, Any] = load_with(CaseFileSchema(partial=partial), data, str(path))
    return loaded


def case_to_dict(case: Case) -> dict[str, Any]:
    """A stored case as plain JSON-ready data (the export shape)."""
    return cast(dict[str, Any], StoredCaseSchema().dump(case))


def case_from_dict(data: dict[str, Any], source: str = "store") -> Case:
    """Read back a case written by :func:`case_to_dict`."""
    return cast(Case, load_with(StoredCaseSchema(), data, source))


def document_to_dict(doc: LetterDocument) -> dict[str, Any]:
    return cast(dict[str, Any], LetterDocumentSchema().dump(doc))


def document_from_dict(data: dict[str, Any], source: str = "store") -> LetterDocument:
    return cast(LetterDocument, load_with(LetterDocumentSchema(), data, source))


__all__ = [
    "EXCLUDE",
    "SUPPORTED_LOCALES",
    "CaseFileSchema",
    "EventSchema",
    "LetterSchema",
    "ProfileSchema",
    "StoredCaseSchema",
    "case_from_dict",
    "case_to_dict",
    "document_from_dict",
    "document_to_dict",
    "load_case_file",
    "load_with",
    "read_structured_file",
]
