"""Small dialogs: choose a letter kind, mark a letter sent, log a call or a reply, help."""

from __future__ import annotations

from datetime import date
from typing import Any, ClassVar

from marshmallow import ValidationError, fields, validate
from paperwork.tui.base import AppAccess, KeyFooter, PaperworkModal
from paperwork.tui.safe_widgets import ErrorLine, SafeInput
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.message import Message
from textual.screen import Screen
from textual.widgets import Button, Checkbox, Input, Label, OptionList, Select, Static
from textual.widgets.option_list import Option

from paperwork.core.i18n import N_, _, current_language
from paperwork.core.model import CHANNELS
from paperwork.core.record_dates import day_problem
from paperwork.core.schema import IsoDate, clean_text

CHANNEL_LABELS = {
    "post": N_("Post (ordinary mail)"),
    "first_class": N_("First class post"),
    "second_class": N_("Second class post"),
    "certified": N_("Certified mail"),
    "registered": N_("Registered / recorded delivery"),
    "email": N_("E-mail"),
    "fax": N_("Fax"),
    "hand": N_("By hand"),
    "online": N_("Online form or chat"),
}


def parse_date(text: str) -> date:
    """A date typed YYYY-MM-DD, or in the interface language's short form
    (26.11.2026, 26/11/2026), checked by the same rules the case files use.

    English keeps to YYYY-MM-DD: 11/12/2026 means different days in the US and the UK.
    """
    from paperwork.core.i18n import interface_locale

    try:
        return IsoDate().deserialize(text.strip())
    except ValidationError:
        if current_language() == "en":
            raise
    from babel.dates import parse_date as parse_short

    from paperwork.core.schema import check_day

    try:
        return check_day(parse_short(text.strip(), locale=interface_locale(), format="short"))
    except ValidationError:
        raise
    except Exception:  # babel's ParseError, or numbers that make no date
        raise ValidationError(
            _("'{value}' is not a date; write it as YYYY-MM-DD or {example}.").format(
                value=text.strip(), example=_short_example()
            )
        ) from None


def _short_example() -> str:
    from babel.dates import format_date

    from paperwork.core.i18n import interface_locale

    return format_date(date(2026, 11, 26), format="short", locale=interface_locale())


def parse_minutes(text: str) -> int:
    """Whole minutes, 0 or more; blank means 0."""
    if not text.strip():
        return 0
    return fields.Integer(
        strict=False,
        validate=validate.Range(min=0, max=24 * 60, error=_("must be between 0 and 1440 minutes.")),
    ).deserialize(text.strip())


def clean(text: str) -> str:
    """Free text under the case files' character rules (no control characters)."""
    return clean_text(text, multiline=True)


def unprintable_problem(text: str) -> str:
    """What the letter font cannot print in ``text`` (an emoji, Chinese script), as the
    line under its field; "" when it can print all of it."""
    from paperwork.core.printable import unprintable

    missing = unprintable(text)
    if not missing:
        return ""
    shown = ", ".join(f"{ch} (U+{ord(ch):04X})" for ch in missing[:3])
    return _("letters cannot print {chars}; write it in Latin, Greek or Cyrillic script.").format(
        chars=shown
    )


def first_message(exc: ValidationError) -> str:
    """The first message of a marshmallow error, however deeply nested."""
    messages = exc.messages
    while isinstance(messages, (list, dict)):
        messages = next(
            iter(messages.values() if isinstance(messages, dict) else messages), _("is not valid.")
        )
    return str(messages)


class FormModal(PaperworkModal[Any]):
    """A dialog with labelled inputs, an error line under each, and Save / Cancel.

    It opens with its first field focused (keys typed at once land there), and a
    refused save focuses the first field in red, scrolled into view."""

    # The scrolling container would take the focus first; the first field should.
    AUTO_FOCUS = "Input, TextArea, Select, Checkbox"
    first_error: str | None = None

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding(
            "escape", "cancel", _("Cancel"), id="dialog.cancel", tooltip=_("Close without saving")
        ),
        Binding("ctrl+s", "save", _("Save"), id="dialog.save", tooltip=_("Save and close")),
    ]
    HELP = N_(
        "Fill in the fields; a red line under a field says what to fix. "
        "Ctrl+S or the Save button saves."
    )

    def errors_clear(self) -> None:
        for error in self.query(ErrorLine):
            error.clear()
        self.first_error: str | None = None

    def error(self, field_id: str, message: str) -> None:
        """Show ``message`` under the field; the first field in error takes the focus."""
        self.query_one(f"#{field_id}-error", ErrorLine).show(message)
        if getattr(self, "first_error", None) is None:
            self.first_error = field_id
            field = self.query_one(f"#{field_id}")
            if field.focusable:
                field.focus()
            field.scroll_visible(animate=False)

    def day(
        self, field_id: str, earliest: date | None = None, earliest_is: str = ""
    ) -> date | None:
        """The date typed in ``field_id``, checked: a real date, not after today, not
        before ``earliest``; None (and a red line under the field) otherwise."""
        try:
            on = parse_date(self.query_one(f"#{field_id}", Input).value)
        except ValidationError as exc:
            self.error(field_id, first_message(exc))
            return None
        problem = day_problem(on, self.app.today, earliest, earliest_is)
        if problem:
            self.error(field_id, problem)
            return None
        return on

    def field(self, label: str, widget: Any, field_id: str, note: str = "") -> ComposeResult:
        yield Label(label, classes="field-label")
        yield widget
        if note:
            yield Static(note, classes="field-note")
        yield ErrorLine(id=f"{field_id}-error")

    def buttons(self, save: str | None = None) -> ComposeResult:
        with Horizontal(classes="dialog-buttons"):
            yield Button(save or _("Save"), id="save", variant="primary")
            yield Button(_("Cancel"), id="cancel")

    @on(Button.Pressed, "#save")
    def _save_pressed(self) -> None:
        self.action_save()

    @on(Button.Pressed, "#cancel")
    def _cancel_pressed(self) -> None:
        self.action_cancel()

    def action_cancel(self) -> None:
        self.dismiss(None)

    def action_save(self) -> None:  # pragma: no cover - subclasses
        raise NotImplementedError


class KindModal(PaperworkModal[str | None]):
    """Choose which letter to draft; the ladder's next rung is highlighted."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding(
            "escape", "cancel", _("Cancel"), id="kind.cancel", tooltip=_("Close without drafting")
        )
    ]
    HELP = N_(
        "Pick the kind of letter to draft. The one the escalation ladder suggests is marked 'next'."
    )

    def __init__(self, kinds: list[tuple[str, str, str]], suggested: str = ""):
        super().__init__()
        self.kinds = kinds
        self.suggested = suggested

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog dialog-wide"):
            yield Static(_("Which letter do you want to draft?"), classes="dialog-title")
            options = []
            for kind_id, title, note in self.kinds:
                mark = "  ← " + _("next") if kind_id == self.suggested else ""
                options.append(
                    Option(f"{title}{mark}\n  {note}" if note else f"{title}{mark}", id=kind_id)
                )
            yield OptionList(*options, id="kinds")
            yield Static(
                _("Enter drafts the highlighted letter; you can edit its text before printing."),
                classes="hint",
            )
        yield KeyFooter()

    def on_mount(self) -> None:
        kinds = self.query_one("#kinds", OptionList)
        ids = [k[0] for k in self.kinds]
        if self.suggested in ids:
            kinds.highlighted = ids.index(self.suggested)
        elif ids:
            kinds.highlighted = 0
        kinds.focus()

    @on(OptionList.OptionSelected, "#kinds")
    def _chosen(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(event.option.id)

    def action_cancel(self) -> None:
        self.dismiss(None)


class LetterPickModal(PaperworkModal[int | None]):
    """Choose one of a case's letters."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding(
            "escape", "cancel", _("Cancel"), id="pick.cancel", tooltip=_("Close without choosing")
        )
    ]
    HELP = N_("Pick a letter with the arrow keys and Enter; the newest is at the bottom.")

    def __init__(self, letters: list[tuple[int, str]]):
        super().__init__()
        self.letters = letters

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Static(_("Which letter?"), classes="dialog-title")
            yield OptionList(
                *(Option(label, id=str(letter_id)) for letter_id, label in self.letters),
                id="letters",
            )
        yield KeyFooter()

    def on_mount(self) -> None:
        letters = self.query_one("#letters", OptionList)
        letters.highlighted = len(self.letters) - 1
        letters.focus()

    @on(OptionList.OptionSelected, "#letters")
    def _chosen(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(int(str(event.option.id)))

    def action_cancel(self) -> None:
        self.dismiss(None)


class SentModal(FormModal):
    """Record that a letter went out (or correct it): the day, the channel, the tracking number."""

    def __init__(
        self,
        letter_label: str,
        today: date,
        default_via: str = "certified",
        earliest: date | None = None,
        initial: dict[str, Any] | None = None,
    ):
        super().__init__()
        self.letter_label = letter_label
        self.today = today
        self.default_via = default_via if default_via in CHANNELS else "post"
        self.earliest = earliest
        self.initial = initial or {}

    def compose(self) -> ComposeResult:
        correcting = bool(self.initial)
        with VerticalScroll(classes="dialog"):
            title = (
                _("Correct the sending of {letter}") if correcting else _("Mark {letter} as sent")
            )
            yield Static(title.format(letter=self.letter_label), classes="dialog-title")
            yield Static(
                _("Once marked sent, its text is frozen and the reply deadline starts counting."),
                classes="hint",
            )
            on_day = self.initial.get("on") or self.today
            yield from self.field(
                _("Sent on (YYYY-MM-DD)"),
                SafeInput(on_day.isoformat(), id="sent-on"),
                "sent-on",
            )
            options = [(_(CHANNEL_LABELS[c]) if c in CHANNEL_LABELS else c, c) for c in CHANNELS]
            yield from self.field(
                _("How"),
                Select(
                    options,
                    value=self.initial.get("via") or self.default_via,
                    allow_blank=False,
                    id="sent-via",
                ),
                "sent-via",
            )
            yield from self.field(
                _("Tracking number (if any)"),
                SafeInput(self.initial.get("tracking", ""), id="sent-tracking"),
                "sent-tracking",
            )
            yield from self.buttons(_("Save") if correcting else _("Mark sent"))
        yield KeyFooter()

    def action_save(self) -> None:
        self.errors_clear()
        result: dict[str, Any] = {}
        result["on"] = self.day("sent-on", self.earliest, _("the letter was drafted"))
        result["via"] = self.query_one("#sent-via", Select).value
        try:
            result["tracking"] = clean(self.query_one("#sent-tracking", Input).value)
        except ValidationError as exc:
            self.error("sent-tracking", first_message(exc))
        if self.first_error is None:
            self.dismiss(result)


class DayModal(FormModal):
    """One date to record or correct (a delivery): checked like every record's day."""

    def __init__(
        self,
        title: str,
        label: str,
        on: date,
        earliest: date | None = None,
        earliest_is: str = "",
        hint: str = "",
    ):
        super().__init__()
        self.title_text = title
        self.label = label
        self.on = on
        self.earliest = earliest
        self.earliest_is = earliest_is
        self.hint = hint

    def compose(self) -> ComposeResult:
        with VerticalScroll(classes="dialog"):
            yield Static(self.title_text, classes="dialog-title", markup=False)
            if self.hint:
                yield Static(self.hint, classes="hint")
            yield from self.field(self.label, SafeInput(self.on.isoformat(), id="day-on"), "day-on")
            yield from self.buttons()
        yield KeyFooter()

    def action_save(self) -> None:
        self.errors_clear()
        on = self.day("day-on", self.earliest, self.earliest_is)
        if on is not None:
            self.dismiss({"on": on})


def clock_text(seconds: float) -> str:
    """``66`` -> ``01:06``; an hour or more as ``1:02:03``."""
    total = int(seconds)
    hours, rest = divmod(total, 3600)
    if hours:
        return f"{hours}:{rest // 60:02d}:{rest % 60:02d}"
    return f"{rest // 60:02d}:{rest % 60:02d}"


def whole_minutes(seconds: float) -> int:
    """Seconds as the nearest whole minute (01:06 is 1 minute, 01:30 is 2)."""
    return int(seconds / 60 + 0.5)


class Stopwatch(AppAccess, Horizontal):
    """A stopwatch for a call: on hold (start when the music starts) or talking."""

    LABELS: ClassVar[dict[str, tuple[str, ...]]] = {
        "hold": (
            N_("F5 On hold"),
            N_("F5 Answered"),
            N_("F5 On hold again"),
            N_("on hold…"),
        ),
        "talk": (
            N_("F6 Talking"),
            N_("F6 Call ended"),
            N_("F6 Talking again"),
            N_("talking…"),
        ),
    }

    def __init__(self, kind: str = "hold", **kwargs: Any):
        super().__init__(**kwargs)
        self.kind = kind
        self.started: float | None = None
        self.elapsed = 0.0
        self._timer: Any = None
        self.written = "0"  # what it last wrote into its field

    def compose(self) -> ComposeResult:
        start = self.LABELS[self.kind][0]
        yield Button(_(start), classes="stopwatch-toggle", variant="warning")
        yield Static("00:00", classes="stopwatch-time")

    def _now(self) -> float:
        return self.app.clock()

    @property
    def running(self) -> bool:
        return self.started is not None

    def seconds(self) -> float:
        return self.elapsed + (self._now() - self.started if self.started is not None else 0.0)

    def _show(self) -> None:
        running = _(self.LABELS[self.kind][3])
        self.query_one(".stopwatch-time", Static).update(
            clock_text(self.seconds()) + ("  " + running if self.running else "")
        )

    def start(self) -> None:
        self.started = self._now()
        self._timer = self.set_interval(1, self._show)
        self.query_one(".stopwatch-toggle", Button).label = _(self.LABELS[self.kind][1])
        self._show()

    def stop(self) -> int:
        """Stop; returns the time so far in whole minutes (the nearest)."""
        if self.started is not None:
            self.elapsed += self._now() - self.started
            self.started = None
        if self._timer is not None:
            self._timer.stop()
            self._timer = None
        self.query_one(".stopwatch-toggle", Button).label = _(self.LABELS[self.kind][2])
        self._show()
        return whole_minutes(self.elapsed)

    @on(Button.Pressed, ".stopwatch-toggle")
    def _toggle(self, event: Button.Pressed) -> None:
        event.stop()
        if self.running:
            minutes = self.stop()
            self.post_message(self.Stopped(self, minutes))
        else:
            self.start()

    class Stopped(Message):
        """A stopwatch stopped after ``minutes``."""

        def __init__(self, watch: Stopwatch, minutes: int):
            super().__init__()
            self.watch = watch
            self.minutes = minutes


class CallModal(FormModal):
    """Log a phone call (or correct one): how long on hold, how long talking, who, what they promised."""

    HELP = N_(
        "Start the hold timer (F5) when you are put on hold and stop it when someone answers; "
        "the talk timer (F6) then runs until you stop it. They fill in the minutes. "
        "Write down the name and reference they give you."
    )

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding(
            "f5",
            "toggle_timer('hold')",
            _("Hold timer"),
            id="call.timer",
            tooltip=_("Start the hold timer, or stop it when someone answers"),
        ),
        Binding(
            "f6",
            "toggle_timer('talk')",
            _("Talk timer"),
            id="call.talk_timer",
            tooltip=_("Start or stop timing the conversation"),
        ),
    ]

    def __init__(self, today: date, initial: dict[str, Any] | None = None):
        super().__init__()
        self.today = today
        self.initial = initial or {}

    def action_toggle_timer(self, kind: str) -> None:
        self.query_one(f"#stopwatch-{kind}", Stopwatch).query_one(Button).press()

    def _text(self, key: str, default: str = "") -> str:
        data = self.initial.get("data", {})
        return str(data.get(key, default))

    def compose(self) -> ComposeResult:
        correcting = bool(self.initial)
        with VerticalScroll(classes="dialog dialog-wide"):
            yield Static(
                _("Correct a phone call") if correcting else _("Log a phone call"),
                classes="dialog-title",
            )
            with Horizontal(classes="pair"):
                with Vertical():
                    on_day = self.initial.get("on") or self.today
                    yield from self.field(
                        _("Day (YYYY-MM-DD)"),
                        SafeInput(on_day.isoformat(), id="call-on", classes="date-box"),
                        "call-on",
                    )
                with Vertical():
                    yield from self.field(
                        _("Minutes on hold"),
                        SafeInput(self._text("waited", "0"), id="call-waited", type="integer"),
                        "call-waited",
                    )
                with Vertical():
                    yield from self.field(
                        _("Minutes talking"),
                        SafeInput(self._text("duration", "0"), id="call-duration", type="integer"),
                        "call-duration",
                    )
            if not correcting:
                with Horizontal(classes="pair"):
                    yield Stopwatch("hold", id="stopwatch-hold", classes="stopwatch")
                    yield Stopwatch("talk", id="stopwatch-talk", classes="stopwatch")
            with Horizontal(classes="pair"):
                with Vertical():
                    yield from self.field(
                        _("Who you spoke to"),
                        SafeInput(self._text("rep"), id="call-rep"),
                        "call-rep",
                    )
                with Vertical():
                    yield from self.field(
                        _("Reference number"),
                        SafeInput(self._text("ref"), id="call-ref"),
                        "call-ref",
                    )
            with Horizontal(classes="pair"):
                with Vertical():
                    yield from self.field(
                        _("What they promised"),
                        SafeInput(self._text("promised"), id="call-promised"),
                        "call-promised",
                    )
                with Vertical():
                    yield from self.field(
                        _("Notes"), SafeInput(self._text("notes"), id="call-notes"), "call-notes"
                    )
            yield from self.buttons(_("Save call"))
        yield KeyFooter()

    def _fill(self, key: str, watch: Stopwatch, minutes: int) -> None:
        """Write a stopwatch's minutes into its field, remembering what was written."""
        self.query_one(f"#call-{key}", Input).value = str(minutes)
        watch.written = str(minutes)

    @on(Stopwatch.Stopped)
    def _stopped(self, event: Stopwatch.Stopped) -> None:
        if event.watch.kind == "hold":
            self._fill("waited", event.watch, event.minutes)
            self.app.say(_("{minutes} min on hold noted.").format(minutes=event.minutes))
            talk = self.query_one("#stopwatch-talk", Stopwatch)
            if not talk.running:
                talk.start()  # someone answered: the conversation starts now
        else:
            self._fill("duration", event.watch, event.minutes)
            self.app.say(_("{minutes} min talking noted.").format(minutes=event.minutes))

    def action_save(self) -> None:
        self.errors_clear()
        for watch_kind, key in (("hold", "waited"), ("talk", "duration")):
            found = self.query(f"#stopwatch-{watch_kind}")
            if not found or not found.first(Stopwatch).running:
                continue
            watch = found.first(Stopwatch)
            minutes = watch.stop()
            # Minutes typed by hand win over a stopwatch left running.
            if self.query_one(f"#call-{key}", Input).value == watch.written:
                self._fill(key, watch, minutes)
        data: dict[str, Any] = {}
        on_day = self.day("call-on")
        for key in ("waited", "duration"):
            try:
                data[key] = parse_minutes(self.query_one(f"#call-{key}", Input).value)
            except ValidationError as exc:
                self.error(f"call-{key}", first_message(exc))
        for key in ("rep", "ref", "promised", "notes"):
            try:
                data[key] = clean(self.query_one(f"#call-{key}", Input).value)
            except ValidationError as exc:
                self.error(f"call-{key}", first_message(exc))
        if self.first_error is None:
            if not self.initial:  # a new call keeps only what was said
                data = {k: v for k, v in data.items() if v or k in ("waited", "duration")}
            self.dismiss({"on": on_day, "data": data})


class ReplyModal(FormModal):
    """Log the company's reply (or correct one); a resolved reply closes the case."""

    def __init__(
        self,
        today: date,
        earliest: date | None = None,
        earliest_is: str = "",
        initial: dict[str, Any] | None = None,
    ):
        super().__init__()
        self.today = today
        self.earliest = earliest
        self.earliest_is = earliest_is
        self.initial = initial or {}

    def compose(self) -> ComposeResult:
        data = self.initial.get("data", {})
        with VerticalScroll(classes="dialog"):
            yield Static(
                _("Correct their reply") if self.initial else _("Log their reply"),
                classes="dialog-title",
            )
            yield Static(
                _("A reply stops the deadline clock of the letters before it."), classes="hint"
            )
            on_day = self.initial.get("on") or self.today
            yield from self.field(
                _("Received on (YYYY-MM-DD)"),
                SafeInput(on_day.isoformat(), id="reply-on"),
                "reply-on",
            )
            yield from self.field(
                _("What they said"),
                SafeInput(
                    str(data.get("summary", "")),
                    placeholder=_("e.g. refund of $89.99 promised by 1 Dec"),
                    id="reply-summary",
                ),
                "reply-summary",
            )
            yield Checkbox(
                _("This resolves the dispute (closes the case)"),
                bool(data.get("resolved")),
                id="reply-resolved",
            )
            yield from self.buttons(_("Save reply"))
        yield KeyFooter()

    def action_save(self) -> None:
        self.errors_clear()
        on_day = self.day("reply-on", self.earliest, self.earliest_is)
        summary = ""
        try:
            summary = clean(self.query_one("#reply-summary", Input).value)
            if not summary:
                raise ValidationError(_("write a few words about what they said."))
        except ValidationError as exc:
            self.error("reply-summary", first_message(exc))
        if self.first_error is None:
            resolved = self.query_one("#reply-resolved", Checkbox).value
            self.dismiss({"on": on_day, "data": {"summary": summary, "resolved": resolved}})


OUTCOME_LABELS = {
    "refund": N_("Refund"),
    "credit": N_("Credit on the account"),
    "waiver": N_("Fee or charge waived"),
    "rate_extension": N_("Rate or promotion extended"),
    "cancellation": N_("Cancellation accepted"),
}


class OutcomeModal(FormModal):
    """Record (or correct) what the pressure won: the kind, the day, the amount."""

    def __init__(self, today: date, initial: dict[str, Any] | None = None):
        super().__init__()
        self.today = today
        self.initial = initial or {}

    def compose(self) -> ComposeResult:
        data = self.initial.get("data", {})
        with VerticalScroll(classes="dialog"):
            yield Static(
                _("Correct the outcome") if self.initial else _("Log what you won"),
                classes="dialog-title",
            )
            on_day = self.initial.get("on") or self.today
            yield from self.field(
                _("Day they gave it (YYYY-MM-DD)"),
                SafeInput(on_day.isoformat(), id="outcome-on"),
                "outcome-on",
            )
            yield from self.field(
                _("What"),
                Select(
                    [(_(label), kind) for kind, label in OUTCOME_LABELS.items()],
                    value=data.get("kind") or "refund",
                    allow_blank=False,
                    id="outcome-kind",
                ),
                "outcome-kind",
            )
            with Horizontal(classes="pair"):
                with Vertical():
                    yield from self.field(
                        _("Amount (if any)"),
                        SafeInput(str(data.get("amount") or ""), id="outcome-amount"),
                        "outcome-amount",
                    )
                with Vertical():
                    yield from self.field(
                        _("Currency"),
                        SafeInput(
                            str(data.get("currency") or ""),
                            placeholder=_("e.g. USD, GBP, EUR"),
                            id="outcome-currency",
                        ),
                        "outcome-currency",
                    )
            yield from self.buttons()
        yield KeyFooter()

    def action_save(self) -> None:
        from paperwork.core.schema import MoneySchema

        self.errors_clear()
        on_day = self.day("outcome-on")
        data: dict[str, Any] = {
            "kind": self.query_one("#outcome-kind", Select).value,
            "amount": None,
            "currency": None,
        }
        amount = self.query_one("#outcome-amount", Input).value.strip()
        currency = self.query_one("#outcome-currency", Input).value.strip().upper()
        if amount or currency:
            try:
                money = MoneySchema().load({"value": amount, "currency": currency})
                data["amount"], data["currency"] = format(money.value, "f"), money.currency
            except ValidationError as exc:
                messages = exc.messages if isinstance(exc.messages, dict) else {}
                for key, field_id in (
                    ("value", "outcome-amount"),
                    ("currency", "outcome-currency"),
                ):
                    if key in messages:
                        self.error(field_id, first_message(ValidationError(messages[key])))
        if self.first_error is None:
            self.dismiss({"on": on_day, "data": data})


class NoteModal(FormModal):
    """Correct a kept record's day and its one line of text (evidence title, post link)."""

    def __init__(self, title: str, label: str, on: date, text: str, key: str):
        super().__init__()
        self.title_text = title
        self.label = label
        self.on = on
        self.text = text
        self.key = key

    def compose(self) -> ComposeResult:
        with VerticalScroll(classes="dialog"):
            yield Static(self.title_text, classes="dialog-title")
            yield from self.field(
                _("Day (YYYY-MM-DD)"), SafeInput(self.on.isoformat(), id="note-on"), "note-on"
            )
            yield from self.field(self.label, SafeInput(self.text, id="note-text"), "note-text")
            yield from self.buttons()
        yield KeyFooter()

    def action_save(self) -> None:
        self.errors_clear()
        on_day = self.day("note-on")
        text = ""
        try:
            text = clean(self.query_one("#note-text", Input).value)
            if not text:
                raise ValidationError(_("Required: please fill this in."))
        except ValidationError as exc:
            self.error("note-text", first_message(exc))
        if self.first_error is None:
            self.dismiss({"on": on_day, "data": {self.key: text}})


class ConfirmModal(PaperworkModal[bool]):
    """A yes/no question; Enter or y says yes, Escape or n says no."""

    AUTO_FOCUS = "#confirm-no"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,n", "answer(False)", _("No"), id="confirm.no", tooltip=_("Keep it")),
        Binding("y", "answer(True)", _("Yes"), id="confirm.yes", tooltip=_("Go ahead")),
    ]

    def __init__(self, question: str, yes: str):
        super().__init__()
        self.question = question
        self.yes = yes

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Static(self.question, classes="dialog-title", markup=False)
            yield Static(_("Ctrl+Z undoes it afterwards."), classes="hint")
            with Horizontal(classes="dialog-buttons"):
                yield Button(self.yes, id="confirm-yes", variant="error")
                yield Button(_("Keep it"), id="confirm-no")
        yield KeyFooter()

    def action_answer(self, yes: bool) -> None:
        self.dismiss(yes)

    @on(Button.Pressed, "#confirm-yes")
    def _yes(self) -> None:
        self.dismiss(True)

    @on(Button.Pressed, "#confirm-no")
    def _no(self) -> None:
        self.dismiss(False)


class HelpModal(PaperworkModal[None]):
    """What the screen underneath does and every key it answers to."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding(
            "escape", "close", _("Close"), id="help.close", tooltip=_("Back to where you were")
        ),
        Binding(
            "f1",
            "close",
            _("Close"),
            id="help.close_f1",
            tooltip=_("Back to where you were"),
            show=False,
        ),
    ]

    def __init__(self, under: Screen[Any]):
        super().__init__()
        self.under = under

    def compose(self) -> ComposeResult:
        under = self.under
        title = getattr(under, "TITLE", None) or "Paperwork"
        help_text = getattr(under, "HELP", "") or ""
        lines = [_(help_text) if help_text else "", ""]
        lines.append(_("Keys here:"))
        ids: list[str] = []
        # Only Paperwork's own keys (they all have ids); widget keys like the
        # table's cursor movement would bury them.
        own = [
            active.binding
            for active in under.active_bindings.values()
            if active.binding.id and active.binding.description and not active.binding.system
        ]
        # Translated descriptions run longer: widen the column to keep the
        # tooltips lined up (English keeps its fixed column).
        width = 15
        if current_language() != "en" and own:
            width = max(width, max(len(b.description) for b in own) + 1)
        for binding in own:
            shown = self.app.get_key_display(binding)
            lines.append(f"  {shown:<8} {binding.description:<{width}} {binding.tooltip}".rstrip())
            ids.append(f"{binding.id} ({shown})")
        lines += [
            "",
            _("Anywhere: ctrl+p opens the command palette (type what you want, e.g. 'agenda')."),
            _("To change a key, add it to {file} under {section}, e.g.  {example}.").format(
                file="config.toml", section="[keys]", example='"cases.new" = "ctrl+n"'
            ),
            _("The ids of the keys above: {ids}.").format(ids=", ".join(ids)),
            "",
            _(
                "Paperwork is not legal advice. "
                "Its letters state your facts and cite the rules they rely on."
            ),
        ]
        with VerticalScroll(classes="dialog dialog-wide", id="help"):
            yield Static(_("Help: {title}").format(title=title), classes="dialog-title")
            yield Static("\n".join(lines), markup=False)
            yield Button(_("Close"), id="help-close", variant="primary")
        yield KeyFooter()

    @on(Button.Pressed, "#help-close")
    def action_close(self) -> None:
        self.dismiss(None)
