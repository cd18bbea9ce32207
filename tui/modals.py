"""Small dialogs: choose a letter kind, mark a letter sent, log a call or a reply, help."""

from __future__ import annotations

import math
from datetime import date
from typing import Any, ClassVar

from marshmallow import ValidationError, fields, validate
from paperwork.tui.safe_widgets import ErrorLine, SafeInput
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.message import Message
from textual.screen import ModalScreen, Screen
from textual.widgets import Button, Checkbox, Footer, Input, Label, OptionList, Select, Static
from textual.widgets.option_list import Option

from paperwork.core.i18n import N_, _, current_language
from paperwork.core.model import CHANNELS
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


def first_message(exc: ValidationError) -> str:
    """The first message of a marshmallow error, however deeply nested."""
    messages = exc.messages
    while isinstance(messages, (list, dict)):
        messages = next(
            iter(messages.values() if isinstance(messages, dict) else messages), _("is not valid.")
        )
    return str(messages)


class FormModal(ModalScreen[Any]):
    """A dialog with labelled inputs, an error line under each, and Save / Cancel."""

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

    def error(self, field_id: str, message: str) -> None:
        self.query_one(f"#{field_id}-error", ErrorLine).show(message)

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


class KindModal(ModalScreen[str | None]):
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
        yield Footer(compact=True)

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


class SentModal(FormModal):
    """Record that a letter went out: the day, the channel, the tracking number."""

    def __init__(self, letter_label: str, today: date, default_via: str = "certified"):
        super().__init__()
        self.letter_label = letter_label
        self.today = today
        self.default_via = default_via if default_via in CHANNELS else "post"

    def compose(self) -> ComposeResult:
        with VerticalScroll(classes="dialog"):
            yield Static(
                _("Mark {letter} as sent").format(letter=self.letter_label), classes="dialog-title"
            )
            yield Static(
                _("Once marked sent, its text is frozen and the reply deadline starts counting."),
                classes="hint",
            )
            yield from self.field(
                _("Sent on (YYYY-MM-DD)"),
                SafeInput(self.today.isoformat(), id="sent-on"),
                "sent-on",
            )
            options = [(_(CHANNEL_LABELS[c]) if c in CHANNEL_LABELS else c, c) for c in CHANNELS]
            yield from self.field(
                _("How"),
                Select(options, value=self.default_via, allow_blank=False, id="sent-via"),
                "sent-via",
            )
            yield from self.field(
                _("Tracking number (if any)"), SafeInput(id="sent-tracking"), "sent-tracking"
            )
            yield from self.buttons(_("Mark sent"))
        yield Footer(compact=True)

    def action_save(self) -> None:
        self.errors_clear()
        result: dict[str, Any] = {}
        ok = True
        try:
            result["on"] = parse_date(self.query_one("#sent-on", Input).value)
        except ValidationError as exc:
            self.error("sent-on", first_message(exc))
            ok = False
        result["via"] = self.query_one("#sent-via", Select).value
        try:
            result["tracking"] = clean(self.query_one("#sent-tracking", Input).value)
        except ValidationError as exc:
            self.error("sent-tracking", first_message(exc))
            ok = False
        if ok:
            self.dismiss(result)


class Stopwatch(Horizontal):
    """Hold-time stopwatch: start it when the music starts, stop it when a person answers."""

    def __init__(self, **kwargs: Any):
        super().__init__(**kwargs)
        self.started: float | None = None
        self.elapsed = 0.0
        self._timer = None

    def compose(self) -> ComposeResult:
        yield Button(_("Start hold timer"), id="stopwatch-toggle", variant="warning")
        yield Static(
            "00:00  " + _("Put on hold? Start the timer, and stop it when a person answers."),
            id="stopwatch-time",
        )

    def _now(self) -> float:
        return self.app.clock()  # type: ignore[attr-defined]

    @property
    def running(self) -> bool:
        return self.started is not None

    def seconds(self) -> float:
        return self.elapsed + (self._now() - self.started if self.started is not None else 0.0)

    def _show(self) -> None:
        total = int(self.seconds())
        hours, rest = divmod(total, 3600)
        text = (
            f"{hours}:{rest // 60:02d}:{rest % 60:02d}"
            if hours
            else f"{rest // 60:02d}:{rest % 60:02d}"
        )
        self.query_one("#stopwatch-time", Static).update(
            text + ("  " + _("on hold…") if self.running else "")
        )

    def start(self) -> None:
        self.started = self._now()
        self._timer = self.set_interval(1, self._show)
        self.query_one("#stopwatch-toggle", Button).label = _("Stop: someone answered")
        self._show()

    def stop(self) -> int:
        """Stop; returns the whole minutes on hold so far (rounded up: they count)."""
        if self.started is not None:
            self.elapsed += self._now() - self.started
            self.started = None
        if self._timer is not None:
            self._timer.stop()
            self._timer = None
        self.query_one("#stopwatch-toggle", Button).label = _("Resume hold timer")
        self._show()
        return math.ceil(self.elapsed / 60) if self.elapsed >= 1 else 0

    @on(Button.Pressed, "#stopwatch-toggle")
    def _toggle(self, event: Button.Pressed) -> None:
        event.stop()
        if self.running:
            minutes = self.stop()
            self.post_message(self.Stopped(minutes))
        else:
            self.start()

    class Stopped(Message):
        """The stopwatch stopped after ``minutes`` on hold."""

        def __init__(self, minutes: int):
            super().__init__()
            self.minutes = minutes


class CallModal(FormModal):
    """Log a phone call: how long on hold, how long talking, who, what they promised."""

    HELP = N_(
        "Start the hold timer when you are put on hold and stop it when someone answers; "
        "it fills in the minutes on hold. Write down the name and reference they give you."
    )

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding(
            "f5",
            "toggle_timer",
            _("Hold timer"),
            id="call.timer",
            tooltip=_("Start the hold timer, or stop it when someone answers"),
        ),
    ]

    def __init__(self, today: date):
        super().__init__()
        self.today = today

    def on_mount(self) -> None:
        self.query_one("#stopwatch-toggle", Button).focus()

    def action_toggle_timer(self) -> None:
        self.query_one("#stopwatch-toggle", Button).press()

    def compose(self) -> ComposeResult:
        with VerticalScroll(classes="dialog dialog-wide"):
            yield Static(_("Log a phone call"), classes="dialog-title")
            yield Stopwatch(id="stopwatch")
            with Horizontal(classes="pair"):
                with Vertical():
                    yield from self.field(
                        _("Day (YYYY-MM-DD)"),
                        SafeInput(self.today.isoformat(), id="call-on"),
                        "call-on",
                    )
                with Vertical():
                    yield from self.field(
                        _("Minutes on hold"),
                        SafeInput("0", id="call-waited", type="integer"),
                        "call-waited",
                    )
                with Vertical():
                    yield from self.field(
                        _("Minutes talking"),
                        SafeInput("0", id="call-duration", type="integer"),
                        "call-duration",
                    )
            with Horizontal(classes="pair"):
                with Vertical():
                    yield from self.field(
                        _("Who you spoke to"), SafeInput(id="call-rep"), "call-rep"
                    )
                with Vertical():
                    yield from self.field(
                        _("Reference number"), SafeInput(id="call-ref"), "call-ref"
                    )
            with Horizontal(classes="pair"):
                with Vertical():
                    yield from self.field(
                        _("What they promised"), SafeInput(id="call-promised"), "call-promised"
                    )
                with Vertical():
                    yield from self.field(_("Notes"), SafeInput(id="call-notes"), "call-notes")
            yield from self.buttons(_("Save call"))
        yield Footer(compact=True)

    @on(Stopwatch.Stopped)
    def _stopped(self, event: Stopwatch.Stopped) -> None:
        self.query_one("#call-waited", Input).value = str(event.minutes)
        self.app.say(_("{minutes} min on hold noted.").format(minutes=event.minutes))  # type: ignore[attr-defined]

    def action_save(self) -> None:
        self.errors_clear()
        watch = self.query_one(Stopwatch)
        if watch.running:
            self.query_one("#call-waited", Input).value = str(watch.stop())
        ok = True
        data: dict[str, Any] = {}
        try:
            on_day = parse_date(self.query_one("#call-on", Input).value)
        except ValidationError as exc:
            self.error("call-on", first_message(exc))
            ok = False
        for key in ("waited", "duration"):
            try:
                data[key] = parse_minutes(self.query_one(f"#call-{key}", Input).value)
            except ValidationError as exc:
                self.error(f"call-{key}", first_message(exc))
                ok = False
        for key in ("rep", "ref", "promised", "notes"):
            try:
                text = clean(self.query_one(f"#call-{key}", Input).value)
            except ValidationError as exc:
                self.error(f"call-{key}", first_message(exc))
                ok = False
                continue
            if text:
                data[key] = text
        if ok:
            self.dismiss({"on": on_day, "data": data})


class ReplyModal(FormModal):
    """Log the company's reply; a resolved reply closes the case."""

    def __init__(self, today: date):
        super().__init__()
        self.today = today

    def compose(self) -> ComposeResult:
        with VerticalScroll(classes="dialog"):
            yield Static(_("Log their reply"), classes="dialog-title")
            yield Static(
                _("A reply stops the deadline clock of the letters before it."), classes="hint"
            )
            yield from self.field(
                _("Received on (YYYY-MM-DD)"),
                SafeInput(self.today.isoformat(), id="reply-on"),
                "reply-on",
            )
            yield from self.field(
                _("What they said"),
                SafeInput(
                    placeholder=_("e.g. refund of $89.99 promised by 1 Dec"), id="reply-summary"
                ),
                "reply-summary",
            )
            yield Checkbox(_("This resolves the dispute (closes the case)"), id="reply-resolved")
            yield from self.buttons(_("Save reply"))
        yield Footer(compact=True)

    def action_save(self) -> None:
        self.errors_clear()
        ok = True
        try:
            on_day = parse_date(self.query_one("#reply-on", Input).value)
        except ValidationError as exc:
            self.error("reply-on", first_message(exc))
            ok = False
        try:
            summary = clean(self.query_one("#reply-summary", Input).value)
            if not summary:
                raise ValidationError(_("write a few words about what they said."))
        except ValidationError as exc:
            self.error("reply-summary", first_message(exc))
            ok = False
        if ok:
            resolved = self.query_one("#reply-resolved", Checkbox).value
            self.dismiss({"on": on_day, "data": {"summary": summary, "resolved": resolved}})


class HelpModal(ModalScreen[None]):
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
        yield Footer(compact=True)

    @on(Button.Pressed, "#help-close")
    def action_close(self) -> None:
        self.dismiss(None)
