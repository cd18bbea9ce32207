"""Settings: the sender profile (saved), and where letters go and how they look (shown)."""

from __future__ import annotations

from typing import Any, ClassVar

from marshmallow import ValidationError
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, VerticalScroll
from textual.screen import Screen
from textual.widgets import Button, Footer, Header, Input, Label, Static, TextArea

from paperwork.config import CONFIG_NAME
from paperwork.i18n import N_, _
from paperwork.schema import ProfileSchema

from .case_form import error_paths, lines

PROFILE_FIELDS = (
    ("name", N_("Your full name *"), "input"),
    ("address", N_("Your postal address * (one line per line)"), "area"),
    ("country", N_("Country code"), "input"),
    ("email", N_("E-mail"), "input"),
    ("phone", N_("Phone"), "input"),
)


def paper_for(locale: str) -> str:
    """DESIGN §7: US Letter for en_US and Canada, A4 everywhere else."""
    return "US Letter" if locale == "en_US" or locale.endswith("_CA") else "A4"


class SettingsScreen(Screen[None]):
    """Your name and address for every letter; the output folder and language settings."""

    TITLE = _("Settings")
    HELP = N_(
        "Your name and address are printed on every letter, so fill them in once here. "
        "A case can still give its own sender. The other settings live in config.toml in "
        "your data folder; they are shown here so you know where things go."
    )
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding(
            "ctrl+s",
            "save",
            _("Save profile"),
            id="settings.save",
            tooltip=_("Check and save your name and address"),
        ),
        Binding(
            "escape", "back", _("Back"), id="settings.back", tooltip=_("Back to where you were")
        ),
    ]

    def compose(self) -> ComposeResult:
        yield Header()
        with VerticalScroll(id="settings"):
            yield Static(_("Your profile: who the letters come from"), classes="section")
            for key, label, kind in PROFILE_FIELDS:
                yield Label(_(label), classes="field-label")
                if kind == "area":
                    yield TextArea("", id=f"p-{key}", classes="form-area")
                else:
                    yield Input("", id=f"p-{key}")
                error = Static("", id=f"p-{key}-error", classes="field-error", markup=False)
                error.display = False
                yield error
            with Horizontal(classes="dialog-buttons"):
                yield Button(_("Save profile"), id="settings-save", variant="primary")
            yield Static(_("Letters and files"), classes="section")
            yield Static("", id="settings-info", markup=False)
        yield Footer(compact=True)

    def on_mount(self) -> None:
        app: Any = self.app
        config = app.config
        locale = config.locale or _("the case's own (en_US if unset)")
        paper = (
            paper_for(config.locale)
            if config.locale
            else _("follows each letter language (US Letter for en_US, else A4)")
        )
        theme = _("light") if app.theme.endswith("light") else _("dark")
        table = [
            (_("Default letter language:"), locale),
            (_("Paper:"), paper),
            (
                _("Page layout:"),
                config.layout or _("the language default (US block, DIN 5008 B, French)"),
            ),
            (_("Output folder:"), app.output_dir),
            (_("Data folder:"), app.home),
            (_("Theme:"), _("{theme} (ctrl+t switches)").format(theme=theme)),
        ]
        width = max(len(label) for label, _value in table) + 2
        info = [
            *(f"{label:<{width}}{value}" for label, value in table),
            "",
            _("To change these, edit {file}, for example:").format(file=app.home / CONFIG_NAME),
            '  locale = "en_GB"',
            '  output = "~/Documents/letters"',
            '  theme = "light"',
            "  [keys]",
            '  "cases.new" = "ctrl+n"',
        ]
        self.query_one("#settings-info", Static).update("\n".join(info))
        self.query_one("#p-name", Input).focus()
        self.load()

    @work(exclusive=True, group="settings-load")
    async def load(self) -> None:
        app: Any = self.app
        try:
            profile = await app.backend.call(lambda pw: pw.profile())
        except Exception as exc:
            app.report(exc, _("Could not read your profile"))
            return
        if profile is None:
            self.sub_title = _("no profile saved yet")
            return
        self.sub_title = _("profile saved")
        for key, _label, kind in PROFILE_FIELDS:
            value = getattr(profile, key)
            if kind == "area":
                self.query_one(f"#p-{key}", TextArea).load_text("\n".join(value))
            else:
                self.query_one(f"#p-{key}", Input).value = value

    def data(self) -> dict[str, Any]:
        data: dict[str, Any] = {}
        for key, _label, kind in PROFILE_FIELDS:
            if kind == "area":
                data[key] = lines(self.query_one(f"#p-{key}", TextArea).text)
            else:
                value = self.query_one(f"#p-{key}", Input).value
                if value.strip() or key == "name":
                    data[key] = value
        return data

    @on(Button.Pressed, "#settings-save")
    def _save_pressed(self) -> None:
        self.action_save()

    def action_back(self) -> None:
        self.app.pop_screen()

    @work(exclusive=True, group="settings-save")
    async def action_save(self) -> None:
        app: Any = self.app
        for key, _label, _kind in PROFILE_FIELDS:
            self.query_one(f"#p-{key}-error", Static).display = False
        try:
            party = ProfileSchema().load(self.data())
        except ValidationError as exc:
            for path, message in error_paths(exc.messages):
                key = path.split(".")[0]
                if path.startswith("address.") and path.split(".")[1].isdigit():
                    message = _("Line {number}: {message}").format(
                        number=int(path.split(".")[1]) + 1, message=message
                    )
                widget = self.query_one(f"#p-{key}-error", Static)
                widget.update(message)
                widget.display = True
            app.say(_("Profile not saved: fix the fields in red."), error=True)
            return
        try:
            await app.backend.call(lambda pw: pw.set_profile(party))
        except Exception as exc:
            app.report(exc, _("Profile not saved"))
            return
        self.sub_title = _("profile saved")
        app.say(
            _("Profile saved: it will be used on every letter of a case without its own sender.")
        )
