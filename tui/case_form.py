"""The case form: every field of a case file, checked by the case-file schema as you type.

The form never parses or judges data itself: it gathers what was typed into the
shape of a case file (docs/DESIGN.md §4) and hands it to ``CaseFileSchema``; each
problem the schema reports is shown under the field it names.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import fields as dc_fields
from typing import Any, ClassVar

from marshmallow import ValidationError
from paperwork.tui.base import KeyFooter, PaperworkScreen
from paperwork.tui.safe_text_area import SafeTextArea
from paperwork.tui.safe_widgets import ErrorLine, SafeInput
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.message import Message
from textual.timer import Timer
from textual.widget import AwaitMount, Widget
from textual.widgets import Button, Header, Input, Label, Select, Static, TextArea

from paperwork.core.i18n import N_, _, ngettext
from paperwork.core.model import CATEGORIES, Case
from paperwork.core.schema import SUPPORTED_LOCALES, CaseFileSchema

LOCALE_LABELS = {
    "en_US": N_("English, US (US Letter paper)"),
    "en_GB": N_("English, UK (A4)"),
    "de_DE": N_("Deutsch (A4)"),
    "fr_FR": N_("Français (A4)"),
    "es_ES": N_("Español (A4)"),
}

# The kinds of dispute, as the form offers them.
CATEGORY_LABELS = {
    "billing": N_("Billing"),
    "banking": N_("Banking"),
    "credit": N_("Credit"),
    "insurance": N_("Insurance"),
    "telecoms": N_("Telecoms"),
    "energy": N_("Energy"),
    "data_protection": N_("Data protection"),
    "travel": N_("Travel"),
    "subscription": N_("Subscription"),
    "goods": N_("Goods"),
    "services": N_("Services"),
    "general": N_("General"),
}


def category_label(category: str) -> str:
    """``data_protection`` -> "Data protection", in the interface language."""
    if category in CATEGORY_LABELS:
        return _(CATEGORY_LABELS[category])
    return category.replace("_", " ").capitalize()


# How long a second Escape leaves the form without saving (its message shows as long).
LEAVE_SECONDS = 6.0

# The ladder a new case starts on (an id, not a word to translate).
DEFAULT_LADDER = "standard"

# Friendlier words for marshmallow's stock messages.
PLAIN = {
    "Missing data for required field.": N_("Required: please fill this in."),
    "Shorter than minimum length 1.": N_("Required: write at least one line."),
    "Not a valid string.": N_("Write this as text."),
    "must not be empty.": N_("Required: please fill this in."),
}

DETAIL_LABELS = {
    "customer_since": N_("Customer since (YYYY-MM-DD)"),
    "cancel_on": N_("Cancel on (YYYY-MM-DD)"),
    "transaction_date": N_("Transaction date (YYYY-MM-DD)"),
    "statement_date": N_("Statement date (YYYY-MM-DD)"),
    "competitor_offer": N_("A competitor's offer (for retention letters)"),
    "payment_plan": N_("Payment plan you propose"),
    "card_issuer": N_("Card issuer (chargeback letters)"),
    "card_last4": N_("Card's last four digits"),
    "credit_bureau": N_("Credit bureau (credit disputes)"),
    "order_number": N_("Order number"),
}


def field_id(path: str) -> str:
    """The widget id of a case-file path: ``company.name`` -> ``f-company-name``."""
    return "f-" + path.replace(".", "-").replace("_", "-")


def error_paths(messages: Any, prefix: str = "") -> Iterable[tuple[str, str]]:
    """marshmallow's nested messages as ``(dotted.path, message)`` pairs."""
    if isinstance(messages, str):
        yield prefix, _(PLAIN[messages]) if messages in PLAIN else messages
    elif isinstance(messages, list):
        for item in messages:
            yield from error_paths(item, prefix)
    elif isinstance(messages, dict):
        for key, value in messages.items():
            path = prefix if key == "_schema" else (f"{prefix}.{key}" if prefix else str(key))
            yield from error_paths(value, path)


def lines(text: str) -> list[str]:
    """The non-blank lines of a text box, trimmed (address lines, references)."""
    return [line.strip() for line in text.splitlines() if line.strip()]


class FactRow(Horizontal):
    """One dated fact: the day, what happened, and buttons to move or remove it."""

    def __init__(self, on: str = "", text: str = ""):
        super().__init__(classes="fact-row")
        self.on_value = on
        self.text_value = text

    def compose(self) -> ComposeResult:
        yield SafeInput(self.on_value, placeholder=_("YYYY-MM-DD"), classes="fact-on")
        yield SafeInput(
            self.text_value,
            placeholder=_("What happened, in one or two sentences"),
            classes="fact-text",
        )
        yield Button("↑", classes="fact-up", tooltip=_("Move this fact up (ctrl+up)"))
        yield Button("↓", classes="fact-down", tooltip=_("Move this fact down (ctrl+down)"))
        yield Button("✕", classes="fact-remove", variant="error", tooltip=_("Remove this fact"))

    @property
    def value(self) -> tuple[str, str]:
        return self.query_one(".fact-on", Input).value, self.query_one(".fact-text", Input).value

    @value.setter
    def value(self, pair: tuple[str, str]) -> None:
        self.query_one(".fact-on", Input).value, self.query_one(".fact-text", Input).value = pair


class FactsEditor(Vertical):
    """The case's facts, in order: add one, move one up or down, remove one."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding(
            "ctrl+up",
            "move(-1)",
            _("Fact up"),
            id="form.fact_up",
            tooltip=_("Move the fact you are in one place up"),
        ),
        Binding(
            "ctrl+down",
            "move(1)",
            _("Fact down"),
            id="form.fact_down",
            tooltip=_("Move the fact you are in one place down"),
        ),
    ]

    class Changed(Message):
        """A fact was moved or removed."""

    def __init__(self, facts: list[tuple[str, str]], **kwargs: Any):
        super().__init__(**kwargs)
        self.initial = facts

    def compose(self) -> ComposeResult:
        for on_day, text in self.initial:
            yield FactRow(on_day, text)
        yield Button("+ " + _("Add a fact"), id="fact-add")

    @property
    def rows(self) -> list[FactRow]:
        return list(self.query(FactRow))

    def values(self) -> list[tuple[str, str]]:
        return [row.value for row in self.rows]

    async def add(self, on_day: str = "", text: str = "") -> FactRow:
        row = FactRow(on_day, text)
        await self.mount(row, before=self.query_one("#fact-add"))
        row.query_one(".fact-on", Input).focus()
        return row

    def _row_of(self, widget: Widget | None) -> FactRow | None:
        while widget is not None and not isinstance(widget, FactRow):
            widget = widget.parent  # type: ignore[assignment]
        return widget

    def move(self, row: FactRow, step: int) -> None:
        rows = self.rows
        i = rows.index(row)
        j = i + step
        if not 0 <= j < len(rows):
            return
        focused = self.screen.focused
        column = (
            ".fact-text" if focused is not None and focused.has_class("fact-text") else ".fact-on"
        )
        rows[i].value, rows[j].value = rows[j].value, rows[i].value
        rows[j].query_one(column, Input).focus()
        self.post_message(self.Changed())

    def action_move(self, step: int) -> None:
        row = self._row_of(self.screen.focused)
        if row is not None:
            self.move(row, step)

    @on(Button.Pressed, "#fact-add")
    async def _add(self, event: Button.Pressed) -> None:
        event.stop()
        await self.add()

    @on(Button.Pressed, ".fact-up, .fact-down, .fact-remove")
    async def _row_button(self, event: Button.Pressed) -> None:
        event.stop()
        row = self._row_of(event.button)
        if row is None:
            return
        if event.button.has_class("fact-remove"):
            await row.remove()
            self.post_message(self.Changed())
        else:
            self.move(row, -1 if event.button.has_class("fact-up") else 1)


class CaseFormScreen(PaperworkScreen[None]):
    """Create a case or change one; the schema's complaints appear under each field."""

    TITLE = _("Case form")
    HELP = N_(
        "Describe the dispute. Fields marked * are required. Dates are written YYYY-MM-DD. "
        "Address fields take one line per line of the address. A red line under a field "
        "says what to fix; nothing is saved until you press Ctrl+S."
    )
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding(
            "ctrl+s",
            "save",
            _("Save"),
            id="form.save",
            tooltip=_("Check the form and save the case"),
        ),
        Binding(
            "escape",
            "cancel",
            _("Cancel"),
            id="form.cancel",
            tooltip=_("Leave without saving (asks first if you typed something)"),
        ),
        Binding(
            "ctrl+f",
            "add_fact",
            _("Add fact"),
            id="form.add_fact",
            tooltip=_("Add a dated fact to the list"),
        ),
    ]

    def __init__(self, case: Case | None = None):
        super().__init__()
        self.case = case
        self.tried = False
        self.touched: set[str] = set()
        self.initial: dict[str, Any] | None = None
        self.saved = False
        self.leaving = False
        self._timer: Timer | None = None
        self.paths: list[str] = []
        self.bad_facts: list[str] = []

    # -- building ------------------------------------------------------------------
    def _value(self, path: str) -> Any:
        obj: Any = self.case
        for part in path.split("."):
            if obj is None:
                return None
            obj = getattr(obj, part, None)
        return obj

    def _text(self, path: str) -> str:
        value = self._value(path)
        if value is None:
            return ""
        if isinstance(value, list):
            return "\n".join(str(v) for v in value)
        return value.isoformat() if hasattr(value, "isoformat") else str(value)

    def _field(
        self,
        path: str,
        label: str,
        kind: str = "input",
        note: str = "",
        options: Iterable[tuple[str, str]] = (),
        placeholder: str = "",
    ) -> ComposeResult:
        self.paths.append(path)
        fid = field_id(path)
        yield Label(label, classes="field-label")
        if kind == "area":
            yield SafeTextArea(self._text(path), id=fid, classes="form-area", soft_wrap=True)
        elif kind == "select":
            current = self._text(path)
            yield Select(list(options), value=current or Select.NULL, id=fid, prompt=_("Choose…"))
        else:
            yield SafeInput(self._text(path), id=fid, placeholder=placeholder)
        if note:
            yield Static(note, classes="field-note", markup=False)
        # The error line under the field is mounted the first time it is needed:
        # fewer widgets make the form open faster.

    def compose(self) -> ComposeResult:
        yield Header()
        self.paths = []
        editing = self.case is not None
        with VerticalScroll(id="form"):
            intro = (
                _("Change the case and press Ctrl+S.")
                if editing
                else _(
                    "A new case. Fill in what you know; fields marked * are required. Ctrl+S saves."
                )
            )
            yield Static(intro, classes="hint")
            yield ErrorLine(id="form-problem")
            yield Static(_("The dispute"), classes="section")
            yield from self._field(
                "title", _("Title *"), placeholder=_("e.g. Charged twice for October")
            )
            yield from self._field("summary", _("What is wrong, in a sentence or two *"), "area")
            yield from self._field("remedy", _("What you want them to do *"), "area")
            with Horizontal(classes="pair"):
                with Vertical():
                    yield from self._field(
                        "amount.value", _("Amount in dispute"), placeholder=_("e.g. 89.99")
                    )
                with Vertical():
                    yield from self._field(
                        "amount.currency", _("Currency"), placeholder=_("e.g. USD, GBP, EUR")
                    )
            with Horizontal(classes="pair"):
                with Vertical():
                    yield from self._field(
                        "jurisdiction",
                        _("Company's country (jurisdiction) *"),
                        note=_(
                            "Whose rules apply: the country the company trades in, optionally "
                            "a region: US-IL, GB-ENG, DE-BY, FR."
                        ),
                    )
                with Vertical():
                    yield from self._field(
                        "locale",
                        _("Letter language and layout *"),
                        "select",
                        options=[
                            (_(LOCALE_LABELS[loc]) if loc in LOCALE_LABELS else loc, loc)
                            for loc in SUPPORTED_LOCALES
                        ],
                    )
            with Horizontal(classes="pair"):
                with Vertical():
                    yield from self._field(
                        "category",
                        _("Kind of dispute *"),
                        "select",
                        options=[(category_label(c), c) for c in CATEGORIES],
                    )
                with Vertical():
                    yield from self._field(
                        "ladder",
                        _("Escalation ladder"),
                        note=_("{ladders} or {last}.").format(
                            ladders="standard, regulated_uk, us_credit, gdpr", last="retention"
                        ),
                        placeholder=DEFAULT_LADDER,
                    )
            yield Static(_("The company"), classes="section")
            yield from self._field("company.name", _("Company name *"))
            yield from self._field(
                "company.department", _("Department"), placeholder=_("e.g. Customer Relations")
            )
            yield from self._field(
                "company.address", _("Company postal address * (one line per line)"), "area"
            )
            with Horizontal(classes="pair"):
                with Vertical():
                    yield from self._field(
                        "company.country", _("Company country"), placeholder=_("e.g. US")
                    )
                with Vertical():
                    yield from self._field("company.email", _("Company e-mail"))
            yield from self._field(
                "company.social",
                _("Company social media handle"),
                placeholder=_("e.g. @AcmeSupport"),
            )
            yield Static(_("Your account with them"), classes="section")
            with Horizontal(classes="pair"):
                with Vertical():
                    yield from self._field("account_number", _("Account number"))
                with Vertical():
                    yield from self._field(
                        "references", _("Their references (one per line)"), "area"
                    )
            yield Static(_("What happened, in order"), classes="section")
            yield Static(
                _(
                    "One fact per line: the day and what happened. "
                    "Ctrl+up/down moves the fact you are in."
                ),
                classes="field-note",
            )
            facts = [(f.on.isoformat(), f.text) for f in (self.case.facts if self.case else [])]
            yield FactsEditor(facts, id=field_id("facts"))
            yield Static(_("Dates that matter"), classes="section")
            with Horizontal(classes="pair"):
                with Vertical():
                    yield from self._field(
                        "promo_ends", _("Promotional rate ends"), placeholder=_("YYYY-MM-DD")
                    )
                with Vertical():
                    yield from self._field(
                        "contract_ends", _("Contract ends"), placeholder=_("YYYY-MM-DD")
                    )
            yield Static(_("Sender (leave empty to use your saved profile, F3)"), classes="section")
            yield from self._field("sender.name", _("Your name"))
            yield from self._field(
                "sender.address", _("Your postal address (one line per line)"), "area"
            )
            with Horizontal(classes="pair"):
                with Vertical():
                    yield from self._field(
                        "sender.country", _("Your country"), placeholder=_("e.g. US")
                    )
                with Vertical():
                    yield from self._field("sender.email", _("Your e-mail"))
            yield from self._field("sender.phone", _("Your phone"))
            yield Static(_("Details some letters need (optional)"), classes="section")
            for name, label in DETAIL_LABELS.items():
                yield from self._field(f"details.{name}", _(label))
            yield from self._field(
                "third_party_summary",
                _("The dispute as told to a regulator, bank or bureau (about the company)"),
                "area",
            )
            with Horizontal(classes="dialog-buttons"):
                yield Button(_("Save case"), id="form-save", variant="primary")
                yield Button(_("Cancel"), id="form-cancel")
        yield KeyFooter()

    def on_mount(self) -> None:
        self.sub_title = (
            _("editing case {id}").format(id=self.case.id) if self.case else _("new case")
        )
        if self.case is None:
            locale = self.app.config.locale
            self.query_one(f"#{field_id('locale')}", Select).value = (
                locale if locale in SUPPORTED_LOCALES else "en_US"
            )
            self.query_one(f"#{field_id('category')}", Select).value = "general"
            self.query_one(f"#{field_id('ladder')}", Input).value = DEFAULT_LADDER
        self.query_one(f"#{field_id('title')}", Input).focus()
        # What the form held when it opened (after the defaults above settle),
        # so Escape only asks "are you sure" when something was really typed.
        self.call_after_refresh(self._remember)
        # Warm up the jurisdiction check (it loads the holiday calendars) off screen.
        self.app.backend.submit(lambda pw: __import__("holidays"))

    def _remember(self) -> None:
        self.initial = self.data()

    @property
    def dirty(self) -> bool:
        """Whether anything differs from what the form opened with."""
        return not self.saved and self.initial is not None and self.data() != self.initial

    # -- gathering -------------------------------------------------------------------
    def _get(self, path: str) -> str:
        widget = self.query_one(f"#{field_id(path)}")
        if isinstance(widget, TextArea):
            return widget.text
        if isinstance(widget, Select):
            return "" if widget.value is Select.NULL else str(widget.value)
        assert isinstance(widget, Input)
        return widget.value

    def data(self) -> dict[str, Any]:
        """The form as a case file (docs/DESIGN.md §4): what the schema will judge."""
        get = self._get
        data: dict[str, Any] = {
            "title": get("title"),
            "jurisdiction": get("jurisdiction").strip().upper(),
            "locale": get("locale"),
            "category": get("category"),
            "summary": get("summary"),
            "remedy": get("remedy"),
            "company": {"name": get("company.name"), "address": lines(get("company.address"))},
        }
        for key in ("department", "country", "email", "social"):
            if get(f"company.{key}").strip():
                data["company"][key] = get(f"company.{key}")
        for key in ("account_number", "promo_ends", "contract_ends", "ladder"):
            if get(key).strip():
                data[key] = get(key)
        refs = lines(get("references"))
        if refs:
            data["references"] = refs
        value, currency = get("amount.value").strip(), get("amount.currency").strip().upper()
        if value or currency:
            data["amount"] = {"value": value, "currency": currency}
        sender = {k: get(f"sender.{k}") for k in ("name", "country", "email", "phone")}
        sender_address = lines(get("sender.address"))
        if any(v.strip() for v in sender.values()) or sender_address:
            data["sender"] = {k: v for k, v in sender.items() if v.strip() or k == "name"}
            data["sender"]["address"] = sender_address
        details: dict[str, Any] = {
            name: get(f"details.{name}") for name in DETAIL_LABELS if get(f"details.{name}").strip()
        }
        if self.case is not None:
            # Keep the details the form does not show (the disputed payment's amount and
            # payee, a credit report's item: set by a case file or the draft form) as they were.
            from paperwork.core.schema import DetailsSchema

            kept = DetailsSchema().dump(self.case.details)
            details.update(
                {k: v for k, v in kept.items() if k not in DETAIL_LABELS and v not in (None, "")}
            )
        if details:
            data["details"] = details
        if get("third_party_summary").strip():
            data["third_party_summary"] = get("third_party_summary")
        facts = [
            {"on": on_day, "text": text}
            for on_day, text in self.query_one(FactsEditor).values()
            if on_day.strip() or text.strip()
        ]
        if facts:
            data["facts"] = facts
        if self.case is not None:
            # Keep what the form does not show (extra addressees) as it was.
            from paperwork.core.schema import ContactSchema

            if self.case.contacts:
                data["contacts"] = ContactSchema(many=True).dump(self.case.contacts)
        return data

    def validate(self) -> tuple[Case | None, dict[str, list[str]]]:
        """Run the case-file schema over the form, and the letter font over its text;
        never raises."""
        problems: dict[str, list[str]] = {}
        case: Case | None = None
        found: list[tuple[str, str]] = []
        try:
            case = CaseFileSchema().load(self.data())
        except ValidationError as exc:
            found += error_paths(exc.messages)
        except Exception as exc:  # never crash the form
            return None, {"": [f"{type(exc).__name__}: {exc}"]}
        found += self._unprintable()
        for path, message in found:
            problems.setdefault(self._owner(path), []).append(self._phrase(path, message))
        # Which facts are wrong, by place ("facts.1.on"): the failed save focuses the first.
        self.bad_facts = [path for path, _message in found if path.startswith("facts.")]
        return (case if not problems else None), problems

    def _unprintable(self) -> Iterable[tuple[str, str]]:
        """Text the letter font cannot print (an emoji, Chinese script), field by field,
        refused here rather than when the first letter is drafted."""
        texts = [(path, self._get(path)) for path in self.paths]
        texts += [(f"facts.{i}.text", row.value[1]) for i, row in enumerate(self._kept_facts())]
        from paperwork.tui.modals import unprintable_problem

        for path, text in texts:
            problem = unprintable_problem(text)
            if problem:
                yield path, problem

    def _owner(self, path: str) -> str:
        """The form field that shows a problem at ``path`` (``facts.2.on`` -> facts)."""
        parts = path.split(".")
        while parts:
            candidate = ".".join(parts)
            if candidate in self.paths or candidate == "facts":
                return candidate
            # a whole group ("sender") is shown under its first field
            inside = [p for p in self.paths if p.startswith(candidate + ".")]
            if inside:
                return inside[0]
            parts.pop()
        return ""

    def _phrase(self, path: str, message: str) -> str:
        parts = path.split(".")
        if parts[0] == "facts" and len(parts) > 1 and parts[1].isdigit():
            number = int(parts[1]) + 1
            what = parts[2] if len(parts) > 2 else ""
            if what == "on":
                return _("Fact {number} date: {message}").format(number=number, message=message)
            if what == "text":
                return _("Fact {number} text: {message}").format(number=number, message=message)
            return _("Fact {number}: {message}").format(number=number, message=message)
        if parts[0] in ("company", "sender") and len(parts) > 2 and parts[2].isdigit():
            return _("Line {number}: {message}").format(number=int(parts[2]) + 1, message=message)
        if self._owner(path) == "":
            return f"{path}: {message}"
        return message

    def show_errors(self, problems: dict[str, list[str]], everywhere: bool) -> list[AwaitMount]:
        """Show each field's problems under it; returns the mounts of new error lines
        (awaited before scrolling to a field, so its place is final)."""
        mounts: list[AwaitMount] = []
        for path in [*self.paths, "facts"]:
            messages = problems.get(path, [])
            visible = bool(messages) and (everywhere or path in self.touched)
            found = self.query(f"#{field_id(path)}-error")
            if not found and not visible:
                continue
            target = self.query_one(f"#{field_id(path)}")
            if found:
                widget = found.first(ErrorLine)
            else:
                widget = ErrorLine(id=f"{field_id(path)}-error")
                mounts.append(target.parent.mount(widget, after=target))  # type: ignore[union-attr]
            widget.show("\n".join(messages) if visible else "")
            target.set_class(visible, "invalid")
        general = problems.get("", [])
        self.query_one("#form-problem", ErrorLine).show("\n".join(general) if everywhere else "")
        return mounts

    # -- live checking ------------------------------------------------------------------
    def _path_of(self, widget: Widget) -> str:
        """The case-file path a widget edits; anything inside the facts list is "facts"."""
        if widget.id and widget.id.startswith("f-"):
            for path in self.paths:
                if field_id(path) == widget.id:
                    return path
        return "facts"

    def _changed(self, widget: Widget) -> None:
        if not self.is_mounted:
            return
        self.touched.add(self._path_of(widget))
        if self._timer is not None:
            self._timer.stop()
        self._timer = self.set_timer(0.35, self._live_check)

    def _live_check(self) -> None:
        _case, problems = self.validate()
        self.show_errors(problems, everywhere=self.tried)

    @on(Input.Changed)
    def _input_changed(self, event: Input.Changed) -> None:
        self._changed(event.input)

    @on(TextArea.Changed)
    def _area_changed(self, event: TextArea.Changed) -> None:
        self._changed(event.text_area)

    @on(FactsEditor.Changed)
    def _facts_changed(self, event: FactsEditor.Changed) -> None:
        self._changed(self.query_one(FactsEditor))

    @on(Select.Changed)
    def _select_changed(self, event: Select.Changed) -> None:
        self._changed(event.select)

    # -- actions ----------------------------------------------------------------------
    async def action_add_fact(self) -> None:
        await self.query_one(FactsEditor).add()

    @on(Button.Pressed, "#form-save")
    def _save_pressed(self) -> None:
        self.action_save()

    @on(Button.Pressed, "#form-cancel")
    def _cancel_pressed(self) -> None:
        self.leaving = True
        self.action_cancel()

    def action_cancel(self) -> None:
        if self.dirty and not self.leaving:
            self.leaving = True
            # The second Escape counts for as long as the message asking for it is shown.
            self.app.say(
                _("Press Escape again to leave without saving, or Ctrl+S to save."),
                timeout=LEAVE_SECONDS,
            )
            self.set_timer(LEAVE_SECONDS, lambda: setattr(self, "leaving", False))
            return
        self.app.pop_screen()

    @work(exclusive=True, group="form-save")
    async def action_save(self) -> None:
        from paperwork.services.cases import edit_case, new_case

        self.tried = True
        case, problems = self.validate()
        mounts = self.show_errors(problems, everywhere=True)
        if case is None:
            count = sum(len(v) for v in problems.values())
            self.app.say(
                ngettext(
                    "Not saved yet: {count} thing to fix (in red).",
                    "Not saved yet: {count} things to fix (in red).",
                    count,
                ).format(count=count),
                error=True,
            )
            for mount in mounts:
                await mount
            self._scroll_to_first_error(problems)
            return
        app = self.app
        try:
            if self.case is None:
                case_id = await app.backend.call(new_case, case, app.today, source="form")
            else:
                case_id = self.case.id
                keep = {f.name for f in dc_fields(Case)} - {"id", "status", "created_on"}
                changes = {name: getattr(case, name) for name in keep}
                await app.backend.call(edit_case, case_id, changes, source="form")
        except Exception as exc:  # the schema's problems go under their fields, then the one report
            from paperwork.core.errors import UserError

            if isinstance(exc, UserError):
                mapped: dict[str, list[str]] = {}
                for line in exc.problems:
                    text = line.removeprefix("form: ")
                    path, _sep, message = text.partition(": ")
                    owner = self._owner(path) if message else ""
                    mapped.setdefault(owner, []).append(message if owner else text)
                for mount in self.show_errors(mapped, everywhere=True):
                    await mount
                self._scroll_to_first_error(mapped)
            app.report(exc, _("Not saved"))
            return
        self.saved = True
        if self.case is None:
            app.say(_("Case {id} saved. Next: draft its first letter with d.").format(id=case_id))
            app.pop_screen()
            app.open_case(case_id)
        else:
            app.say(_("Case saved."))
            app.pop_screen()

    def _scroll_to_first_error(self, problems: dict[str, list[str]]) -> None:
        """Focus the first field in red and bring it into view, so the fix typed next
        lands in it (for the facts: the first fact whose date or text is wrong)."""
        for path in [*self.paths, "facts"]:
            if problems.get(path):
                target: Widget = self.query_one(f"#{field_id(path)}")
                if path == "facts":
                    target = self._first_bad_fact() or target
                if target.focusable:
                    target.focus(scroll_visible=False)
                # After the error lines just mounted have their place: then the field
                # lands at the top of the form, under the header, not behind it.
                self.call_after_refresh(
                    self.query_one("#form", VerticalScroll).scroll_to_widget,
                    target,
                    top=True,
                    animate=False,
                )
                return

    def _kept_facts(self) -> list[FactRow]:
        """The fact rows the case file gets (blank rows are left out, as in :meth:`data`)."""
        return [
            row for row in self.query_one(FactsEditor).rows if any(v.strip() for v in row.value)
        ]

    def _first_bad_fact(self) -> Widget | None:
        """The input of the first fact in error (its date, or its text)."""
        rows = self._kept_facts()
        for path in self.bad_facts:
            parts = path.split(".")
            if len(parts) > 1 and parts[1].isdigit() and int(parts[1]) < len(rows):
                column = ".fact-text" if parts[2:] == ["text"] else ".fact-on"
                return rows[int(parts[1])].query_one(column, Input)
        return None
