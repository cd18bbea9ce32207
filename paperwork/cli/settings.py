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
    from paperwork.cli.support import CONTEXT, TranslatedGroup, emit_json, pass_app, safe
    from paperwork.store.config import EDITABLE

    @click.group("config", cls=TranslatedGroup, context_settings=CONTEXT)
    def config() -> None:
        """Show and change the settings in config.toml (letter language, layout, output folder).

        \b
        Settings you can change here:
          locale   letter language the app's case form starts with: en_US, en_GB,
                   de_DE, fr_FR, es_ES
          lang     interface language: en, de, fr, es
          layout   page layout and paper: us_block, din5008_b, din5008_a, fr_window
          output   folder the app writes letters to
          theme    light or dark
        An empty value puts a setting back to its default.
        """

    @config.command("show")
    @click.option("--json", "as_json", is_flag=True, help="Machine-readable output.")
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
