"""Commands imported and built when they are run, not at every start.

Making a click command of a Typer function (its signature, type hints, options) and
importing its module cost more than the rest of a short run, so `tf actions` imports and
builds the listing of `tf actions` alone. A group's command table (`Commands`) does it on
lookup, after click has parsed the command line, so nothing guesses from argv; anything that
lists the commands (`tf --help`, completion, a mistyped name's "Did you mean") builds them
all first, and sees exactly what an app built whole would show.

For the same reason the command modules do not use `from __future__ import annotations`:
typer would compile every annotation string at each run, where Python evaluates them once,
from the compiled module (tests/test_startup.py guards both)."""

from __future__ import annotations

from collections.abc import Iterator, MutableMapping
from typing import Any

# The module that registers each command on tfcli.cli.app.app when imported, in the order
# of an app built whole (typer puts commands before groups, in the order registered).
MODULES = {
    "completion": "complete",  # imported first, by actions_cmd, for its completions
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


def _options(app: Any) -> dict[str, Any]:
    return {
        "pretty_exceptions_short": app.pretty_exceptions_short,
        "rich_markup_mode": app.rich_markup_mode,
    }


def group(info: Any, root: Any) -> Any:
    """The click group of a sub-app (`tf actions`), as typer.main.get_group_from_info makes
    it, with its commands left to be built on lookup."""
    from typer.main import get_group_from_info

    sub = info.typer_instance
    registered = sub.registered_commands, sub.registered_groups
    sub.registered_commands, sub.registered_groups = [], []
    try:
        made = get_group_from_info(info, suggest_commands=root.suggest_commands, **_options(root))
    finally:
        sub.registered_commands, sub.registered_groups = registered
    made.commands = Commands(made.commands, sub, root)
    return made


class Commands(MutableMapping[str, Any]):
    """A group's commands by name: those built with the group, and the others built on first
    use from what is registered on `app` (the root's importing their module first)."""

    def __init__(self, built: MutableMapping[str, Any], app: Any, root: Any = None) -> None:
        self._built = dict(built)
        self._app = app  # the typer.Typer the commands are registered on
        self._root = root or app  # whose settings they are built with, as typer does
        self._modules = MODULES if root is None else {}

    def _registered(self) -> dict[str, Any]:
        from typer.main import get_command_name

        found = {
            c.name or get_command_name(c.callback.__name__): c
            for c in self._app.registered_commands
        }
        found.update((g.name, g) for g in self._app.registered_groups if g.name)
        return found

    def _names(self) -> list[str]:
        return [*self._modules, *self._registered()] if self._modules else [*self._registered()]

    def _build(self, name: str) -> None:
        from typer.main import get_command_from_info
        from typer.models import CommandInfo

        if name in self._modules:  # __import__, unlike importlib, shows in -X importtime
            __import__(f"tfcli.cli.{self._modules[name]}")
        info = self._registered().get(name)
        if isinstance(info, CommandInfo):
            self._built[name] = get_command_from_info(info, **_options(self._root))
        elif info is not None:
            self._built[name] = group(info, self._root)

    def _build_all(self) -> None:
        for name in self._names():
            if name not in self._built:
                self._build(name)

    def __getitem__(self, name: str) -> Any:
        if name not in self._built:
            self._build(name)
        return self._built[name]

    def __setitem__(self, name: str, command: Any) -> None:
        self._built[name] = command

    def __delitem__(self, name: str) -> None:
        del self._built[name]

    def __iter__(self) -> Iterator[str]:
        self._build_all()
        order = dict.fromkeys(n for n in self._names() if n in self._built)
        return iter([*order, *(n for n in self._built if n not in order)])

    def __len__(self) -> int:
        self._build_all()
        return len(self._built)
