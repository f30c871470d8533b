"""Build the nested configuration dictionary from flat environment variables.

Rules (see :func:`load_configuration_from_env`):

* names are split on ``__``; every segment keeps its case;
* only variables whose first segment is exactly ``AGENTAPPLICATION``, ``CONNECTIONS`` or
  ``CONNECTIONSMAP`` are kept; the rest are ignored (``LOGGING__LOGLEVEL__*`` is applied to
  the ``logging`` module instead, see ``_log_levels``);
* values are stored unchanged (strings stay strings);
* ``CONNECTIONSMAP__<index>__<KEY>`` becomes a list of dicts ordered by index, numerically
  for decimal indexes (``2`` before ``10``), then any other index in string order.

Nothing is dropped silently from the three sections. A variable is rejected with a
``ValueError`` naming it when it cannot be placed without losing data:

* a key that is both a value and a section (``A__B=x`` together with ``A__B__C=y``) — the
  error names both variables, whatever their order in the environment;
* a bare section name (``CONNECTIONS=x``) or a bare list entry (``CONNECTIONSMAP__0=x``);
* an empty segment (``CONNECTIONS____X``, ``CONNECTIONS__X__``).

All checks run before the logging side effect, so a rejected environment changes nothing.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, NoReturn

from ..errors import configuration_errors
from ._log_levels import LOG_LEVEL_PREFIX, LogLevelCollector, apply_log_levels

__all__ = ["SECTIONS", "SEPARATOR", "load_configuration_from_env"]

SEPARATOR = "__"
AGENT_APPLICATION = "AGENTAPPLICATION"
CONNECTIONS = "CONNECTIONS"
CONNECTIONS_MAP = "CONNECTIONSMAP"
SECTIONS = (AGENT_APPLICATION, CONNECTIONS, CONNECTIONS_MAP)
"""The top-level keys of the result, in order."""

_Path = tuple[str, ...]


class _TreeBuilder:
    """Nested dicts plus the variable that created every value and every section."""

    def __init__(self) -> None:
        self.root: dict[str, Any] = {}
        self._origin: dict[_Path, str] = {}
        self._values: set[_Path] = set()

    def insert(self, variable: str, path: _Path, value: Any) -> None:
        if "" in path:
            raise ValueError(configuration_errors.EmptyConfigurationKeySegment.format(variable))
        if len(path) == 1:
            raise ValueError(
                configuration_errors.InvalidConfigurationSection.format(
                    variable, f"{path[0]} is a section; set keys below it as {path[0]}__<KEY>"
                )
            )
        if path[0] == CONNECTIONS_MAP and len(path) == 2:
            raise ValueError(
                configuration_errors.InvalidConfigurationSection.format(
                    variable,
                    f"each {CONNECTIONS_MAP} entry is a section; "
                    f"use {CONNECTIONS_MAP}__<index>__<KEY>",
                )
            )
        node = self.root
        for depth in range(1, len(path)):
            prefix = path[:depth]
            if prefix in self._values:
                self._conflict(value_variable=self._origin[prefix], section_variable=variable)
            child = node.get(path[depth - 1])
            if child is None:
                child = node[path[depth - 1]] = {}
                self._origin[prefix] = variable
            node = child
        if path in self._origin:
            # Distinct variable names always give distinct paths, so an existing entry at
            # this path is a section that another variable created.
            self._conflict(value_variable=variable, section_variable=self._origin[path])
        node[path[-1]] = value
        self._origin[path] = variable
        self._values.add(path)

    @staticmethod
    def _conflict(value_variable: str, section_variable: str) -> NoReturn:
        raise ValueError(
            configuration_errors.ConflictingConfigurationKey.format(
                value_variable, section_variable
            )
        )


def _index_order(index: str) -> tuple[int, int, str]:
    if index.isascii() and index.isdigit():
        return (0, int(index), index)
    return (1, 0, index)


def _as_list(entries: dict[str, Any]) -> list[Any]:
    return [entries[index] for index in sorted(entries, key=_index_order)]


def load_configuration_from_env(env: Mapping[str, Any]) -> dict[str, Any]:
    """Turn flat ``SECTION__KEY__SUBKEY=value`` variables into nested configuration.

    Returns exactly ``{"AGENTAPPLICATION": dict, "CONNECTIONS": dict, "CONNECTIONSMAP": list}``
    (empty when nothing is set), ready to be splatted into constructors with ``**``. ``env``
    is only read, so ``os.environ`` or any read-only mapping works. Each
    ``LOGGING__LOGLEVEL__<logger>=<LEVEL>`` variable configures that logger as a side effect.

    Raises ``ValueError`` (naming the variables involved) for an unknown log level and for
    variables that cannot be placed without losing data; see the module documentation.
    """
    tree = _TreeBuilder()
    log_levels = LogLevelCollector()
    for variable, value in env.items():
        if not isinstance(variable, str):
            continue
        if variable.startswith(LOG_LEVEL_PREFIX):
            log_levels.add(variable, value)
            continue
        path = tuple(variable.split(SEPARATOR))
        if path[0] in SECTIONS:
            tree.insert(variable, path, value)

    apply_log_levels(log_levels.levels)
    return {
        AGENT_APPLICATION: tree.root.get(AGENT_APPLICATION, {}),
        CONNECTIONS: tree.root.get(CONNECTIONS, {}),
        CONNECTIONS_MAP: _as_list(tree.root.get(CONNECTIONS_MAP, {})),
    }
