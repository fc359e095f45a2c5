"""Commands imported when they are run, not at every start.

Building a click command from a Typer function (its signature, type hints, options) and
importing its module cost more than the rest of a short run, so `tf actions` imports and
builds `tf actions` alone. The root group's command table (`Commands`) does it on lookup,
after click has parsed the command line, so no guess about argv is involved; anything that
lists the commands (`tf --help`, completion, a mistyped name's "Did you mean") builds them
all first, and sees exactly what the eager app would show."""

from __future__ import annotations

import importlib
from collections.abc import Iterator, MutableMapping
from typing import Any

# The module that registers each command (on tfcli.cli.app.app, when imported), in the order
# the commands stood when all were imported at start (commands first, then groups, as typer
# builds them), so that anything iterating the table sees that order.
MODULES = {
    "completion": "complete",  # imported by the first (actions_cmd) for its completions
    "new-meeting": "agenda_cmd",
    "agenda": "agenda_cmd",
    "check": "check_cmd",
    "export": "export_cmd",
    "import-actions": "import_cmd",
    "init": "init_cmd",
    "list": "meetings_cmd",
    "show": "meetings_cmd",
    "render": "render_cmd",
    "actions": "actions_cmd",
}


class Commands(MutableMapping[str, Any]):
    """A group's commands by name: those registered when the group was built, and the rest
    built on first use, as typer would have built them (typer.main.get_group_from_info)."""

    def __init__(self, built: MutableMapping[str, Any], app: Any) -> None:
        self._built = dict(built)
        self._app = app  # the typer.Typer the commands register on

    def _build(self, name: str) -> None:
        from typer.main import get_command_from_info, get_command_name, get_group_from_info

        importlib.import_module(f"tfcli.cli.{MODULES[name]}")
        app = self._app
        for info in app.registered_commands:
            if (info.name or get_command_name(info.callback.__name__)) == name:
                self._built[name] = get_command_from_info(
                    info,
                    pretty_exceptions_short=app.pretty_exceptions_short,
                    rich_markup_mode=app.rich_markup_mode,
                )
                return
        for group in app.registered_groups:
            if group.name == name:
                self._built[name] = get_group_from_info(
                    group,
                    pretty_exceptions_short=app.pretty_exceptions_short,
                    suggest_commands=app.suggest_commands,
                    rich_markup_mode=app.rich_markup_mode,
                )
                return

    def _build_all(self) -> None:
        for name in MODULES:
            if name not in self._built:
                self._build(name)

    def __getitem__(self, name: str) -> Any:
        if name not in self._built and name in MODULES:
            self._build(name)
        return self._built[name]

    def __setitem__(self, name: str, command: Any) -> None:
        self._built[name] = command

    def __delitem__(self, name: str) -> None:
        del self._built[name]

    def __iter__(self) -> Iterator[str]:
        self._build_all()
        order = [n for n in MODULES if n in self._built]
        return iter(order + [n for n in self._built if n not in MODULES])

    def __len__(self) -> int:
        self._build_all()
        return len(self._built)
