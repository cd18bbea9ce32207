"""Settings: the sender profile (in the store) and where letters go and how they look
(in config.toml, changed line by line so the person's own comments survive)."""

from __future__ import annotations

from pathlib import Path
from typing import Any, ClassVar

from marshmallow import ValidationError
from paperwork.tui.base import FAILED, KeyFooter, PaperworkScreen
from paperwork.tui.case_form import LOCALE_LABELS, error_paths, lines
from paperwork.tui.safe_text_area import SafeTextArea
from paperwork.tui.safe_widgets import ErrorLine, SafeInput
from paperwork.tui.themes import DARK, LIGHT
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.widgets import Button, Header, Input, Label, Select, Static, TextArea

from paperwork.core.errors import UserError
from paperwork.core.i18n import INTERFACE_LANGUAGES, N_, _
from paperwork.core.schema import SUPPORTED_LOCALES, ProfileSchema
from paperwork.store.config import absolute_output, config_file, save_settings
from paperwork.store.files import ensure_output_dir

PROFILE_FIELDS = (
    ("name", N_("Your full name *"), "input"),
    ("address", N_("Your postal address * (one line per line)"), "area"),
    ("country", N_("Country code"), "input"),
    ("email", N_("E-mail"), "input"),
    ("phone", N_("Phone"), "input"),
)


LAYOUT_LABELS = {
    "us_block": N_("US block: US Letter, #10 window on the left"),
    "din5008_b": N_("DIN 5008 form B: A4, DL window on the left"),
    "din5008_a": N_("DIN 5008 form A: A4, window 18 mm higher"),
    "fr_window": N_("French: A4, window on the right"),
}

LANGUAGE_LABELS = {"en": "English", "de": "Deutsch", "fr": "Français", "es": "Español"}


def _choices() -> dict[str, list[tuple[str, str]]]:
    """The options of each settings list; "" is the default, named in the first entry."""
    return {
        "locale": [
            (_("Ask each time"), ""),
            *((_(LOCALE_LABELS[loc]), loc) for loc in SUPPORTED_LOCALES),
        ],
        "layout": [
            (_("Follow the letter language"), ""),
            *((_(label), name) for name, label in LAYOUT_LABELS.items()),
        ],
        "lang": [
            (_("From the system (LANG)"), ""),
            *((LANGUAGE_LABELS[code], code) for code in INTERFACE_LANGUAGES),
        ],
        "theme": [(_("Dark"), "dark"), (_("Light"), "light")],
    }


# How the fields sit on the screen: one row each, side by side within a row.
PROFILE_ROWS = (("name",), ("address",), ("country", "email", "phone"))
SETTING_ROWS = (("locale", "layout"), ("output",), ("lang", "theme"))

SETTING_FIELDS = (
    ("locale", N_("Letter language of a new case"), ""),
    (
        "layout",
        N_("Page layout and paper"),
        N_(
            "Following the language: US Letter for en_US, A4 elsewhere. "
            "Pick the layout that fits your window envelopes."
        ),
    ),
    ("output", N_("Output folder for letters"), ""),
    ("lang", N_("Interface language"), N_("Used from the next start of Paperwork.")),
    ("theme", N_("Theme"), N_("Ctrl+T also switches it for this session.")),
)


class SettingsScreen(PaperworkScreen[None]):
    """Your name and address for every letter; the output folder and language settings."""

    TITLE = _("Settings")
    HELP = N_(
        "Your name and address are printed on every letter, so fill them in once here. "
        "A case can still give its own sender. Below them: the language new cases start "
        "with, the page layout (which decides the paper and where the address sits for "
        "your window envelopes), the folder letters are written to, the interface "
        "language and the theme. Ctrl+S checks and saves everything on this screen."
    )
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding(
            "ctrl+s",
            "save",
            _("Save"),
            id="settings.save",
            tooltip=_("Check and save your profile and settings"),
        ),
        Binding(
            "escape", "back", _("Back"), id="settings.back", tooltip=_("Back to where you were")
        ),
    ]

    has_profile = False
    # The profile as it was loaded: saving the theme alone leaves it alone.
    loaded_profile: dict | None = None

    def compose(self) -> ComposeResult:
        yield Header()
        profile = {key: (label, kind) for key, label, kind in PROFILE_FIELDS}
        settings = {key: (label, note) for key, label, note in SETTING_FIELDS}
        choices = _choices()
        with VerticalScroll(id="settings"):
            yield Static(_("Your profile: who the letters come from"), classes="section")
            for row in PROFILE_ROWS:
                with Horizontal(classes="pair"):
                    for key in row:
                        label, kind = profile[key]
                        with Vertical():
                            yield Label(_(label), classes="field-label")
                            if kind == "area":
                                yield SafeTextArea("", id=f"p-{key}", classes="form-area")
                            else:
                                yield SafeInput("", id=f"p-{key}")
                            yield ErrorLine(id=f"p-{key}-error")
            yield Static(_("Letters and files"), classes="section")
            for row in SETTING_ROWS:
                with Horizontal(classes="pair"):
                    for key in row:
                        label, note = settings[key]
                        with Vertical():
                            yield Label(_(label), classes="field-label")
                            if key == "output":
                                home = self.app.home
                                yield SafeInput(
                                    "", id="s-output", placeholder=str(home / "letters")
                                )
                            else:
                                yield Select(choices[key], id=f"s-{key}", allow_blank=False)
                            if note:
                                yield Static(_(note), classes="field-note", markup=False)
                            yield ErrorLine(id=f"s-{key}-error")
            with Horizontal(classes="dialog-buttons"):
                yield Button(_("Save"), id="settings-save", variant="primary")
            yield Static("", id="settings-info", classes="field-note", markup=False)
        yield KeyFooter()

    def on_mount(self) -> None:
        app = self.app
        config = app.config
        for key, _label, _note in SETTING_FIELDS:
            if key == "output":
                self.query_one("#s-output", Input).value = config.output
            elif key == "theme":
                self.query_one("#s-theme", Select).value = (
                    "light" if app.theme.endswith("light") else "dark"
                )
            else:
                current = getattr(config, key)
                known = [value for _text, value in _choices()[key]]
                self.query_one(f"#s-{key}", Select).value = current if current in known else ""
        self.query_one("#settings-info", Static).update(
            _(
                "Data folder: {home}\nThese settings are kept in {file}; the e-mail server "
                "and key bindings are set there by hand."
            ).format(home=app.home, file=config_file(app.home))
        )
        self.query_one("#p-name", Input).focus()
        # Ctrl+T switches the theme from anywhere; keep the list showing the one in use.
        app.theme_changed_signal.subscribe(self, self._theme_switched)
        self.load()

    def _theme_switched(self, theme: Any) -> None:
        select = self.query_one("#s-theme", Select)
        value = "light" if theme.name.endswith("light") else "dark"
        if select.value != value:
            select.value = value

    @work(exclusive=True, group="settings-load")
    async def load(self) -> None:
        from paperwork.services.cases import get_profile

        profile = await self.ask(get_profile, failure=_("Could not read your profile"))
        if profile is FAILED:
            return
        if profile is None:
            self.sub_title = _("no profile saved yet")
            return
        self.sub_title = _("profile saved")
        self.has_profile = True
        for key, _label, kind in PROFILE_FIELDS:
            value = getattr(profile, key)
            if kind == "area":
                self.query_one(f"#p-{key}", TextArea).load_text("\n".join(value))
            else:
                self.query_one(f"#p-{key}", Input).value = value
        self.loaded_profile = self.data()

    def data(self) -> dict[str, Any]:
        """The profile as typed, for ProfileSchema."""
        data: dict[str, Any] = {}
        for key, _label, kind in PROFILE_FIELDS:
            if kind == "area":
                data[key] = lines(self.query_one(f"#p-{key}", TextArea).text)
            else:
                value = self.query_one(f"#p-{key}", Input).value
                if value.strip() or key == "name":
                    data[key] = value
        return data

    def settings(self) -> dict[str, str]:
        """The config.toml settings as chosen; "" means the default."""
        values = {
            key: str(self.query_one(f"#s-{key}", Select).value)
            for key, _label, _note in SETTING_FIELDS
            if key != "output"
        }
        values["output"] = self.query_one("#s-output", Input).value.strip()
        return values

    def profile_typed(self) -> bool:
        """Whether any profile field holds something (an empty profile is not saved)."""
        return any(
            str(value).strip() if not isinstance(value, list) else value
            for value in self.data().values()
        )

    def show_error(self, widget_id: str, message: str) -> None:
        self.query_one(f"#{widget_id}-error", ErrorLine).show(message)

    @on(Button.Pressed, "#settings-save")
    def _save_pressed(self) -> None:
        self.action_save()

    @on(Select.Changed, "#s-theme")
    def _theme_chosen(self, event: Select.Changed) -> None:
        self.app.theme = LIGHT if event.value == "light" else DARK

    def action_back(self) -> None:
        self.app.pop_screen()

    @work(exclusive=True, group="settings-save")
    async def action_save(self) -> None:
        """Check everything first, then save the profile and the settings; nothing is
        saved while any field is in red."""
        from paperwork.services.cases import set_profile

        app = self.app
        for error in self.query(ErrorLine):
            error.clear()
        party, ok = None, True
        if self.profile_typed() or self.has_profile:
            try:
                party = ProfileSchema().load(self.data())
            except ValidationError as exc:
                ok = False
                for path, message in error_paths(exc.messages):
                    key = path.split(".")[0]
                    if path.startswith("address.") and path.split(".")[1].isdigit():
                        message = _("Line {number}: {message}").format(
                            number=int(path.split(".")[1]) + 1, message=message
                        )
                    self.show_error(f"p-{key}", message)
        settings = self.settings()
        output = settings["output"]
        if output:
            settings["output"] = absolute_output(output)
            try:
                ensure_output_dir(Path(settings["output"]).expanduser())
            except UserError as exc:
                ok = False
                self.show_error("s-output", "\n".join(exc.problems))
        if not ok:
            app.say(_("Nothing saved: fix the fields in red."), error=True)
            return
        if party is not None and self.data() == self.loaded_profile:
            party = None  # unchanged: nothing to save, nothing to say about it
        elif party is not None:
            if await self.ask(set_profile, party, failure=_("Profile not saved")) is FAILED:
                return
            self.sub_title = _("profile saved")
            self.has_profile = True
            self.loaded_profile = self.data()
        try:
            app.config = save_settings(app.home, settings)
        except UserError as exc:
            app.say("\n".join(exc.problems), error=True)
            return
        self.query_one("#s-output", Input).value = app.config.output
        if party is not None:
            app.say(
                _(
                    "Saved. Your name and address go on every letter of a case without its own sender."
                )
            )
        elif self.has_profile:
            app.say(_("Settings saved."))
        else:
            app.say(
                _(
                    "Settings saved. Your profile is still empty: fill in your name and address "
                    "to have them on every letter."
                )
            )
