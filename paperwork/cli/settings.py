"""``paperwork config``: read and change the settings in config.toml from the shell.

The same edit as the app's Settings screen (config.save_settings, with tomlkit):
only the changed values are rewritten, so comments and hand-written tables survive.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import click

if TYPE_CHECKING:
    from paperwork.cli.support import App


def register(cli: click.Group) -> None:
    """Add the ``config`` group to the main command group."""
    cli.add_command(_config_group())


def _config_group() -> click.Group:
    from paperwork.cli.support import (
        CONTEXT,
        TranslatedGroup,
        emit_json,
        json_option,
        pass_app,
        safe,
    )
    from paperwork.store.config import EDITABLE

    class ConfigGroup(TranslatedGroup):
        """``config --help`` lists the settings from the one table in store/config.py."""

        def format_epilog(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
            from paperwork.core.i18n import _
            from paperwork.store.config import SETTINGS

            rows = []
            for setting in SETTINGS:
                if setting.editable:
                    text = _(setting.help)
                    if setting.choices:
                        text += ": " + ", ".join(setting.choices())
                    rows.append((setting.name, text))
            with formatter.section(_("Settings you can change here")):
                formatter.write_dl(rows)
                formatter.write_paragraph()
                formatter.write_text(_("An empty value puts a setting back to its default."))

    @click.group("config", cls=ConfigGroup, context_settings=CONTEXT)
    def config() -> None:
        """Show and change the settings in config.toml (letter language, layout, output folder)."""

    @config.command("show")
    @json_option()
    @pass_app
    def show(app: App, as_json: bool) -> None:
        """Show the settings and where config.toml is."""
        from paperwork.store.config import Config, config_file

        current = Config.load(app.home)
        path = config_file(app.home)
        values = {key: getattr(current, key) for key in EDITABLE}
        if as_json:
            emit_json({"file": str(path), **values})
            return
        from paperwork.core.i18n import _

        width = max(len(key) for key in EDITABLE) + 2
        for key, value in values.items():
            click.echo(f"{key:<{width}}{safe(value) if value else _('(default)')}")
        click.echo(path)

    @config.command("set")
    @click.argument("key", type=click.Choice(EDITABLE))
    @click.argument("value")
    @pass_app
    def set_(app: App, key: str, value: str) -> None:
        """Set KEY to VALUE in config.toml ("" puts it back to its default)."""
        from paperwork.core.i18n import _
        from paperwork.store.config import save_settings

        save_settings(app.home, {key: value})
        if value:
            click.echo(_("{key} is now {value}.").format(key=key, value=safe(value)))
        else:
            click.echo(_("{key} is back to its default.").format(key=key))

    return config
