"""The ``LOGGING__LOGLEVEL__<logger>=<LEVEL>`` side effect of loading configuration.

Each such variable gives logger ``<logger>.lower()`` (the root logger for ``default``) the
level, exactly one console handler installed by this module, and ``propagate=False``.
Loading the configuration again replaces that handler instead of adding a second one;
handlers installed by anybody else are left alone.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from typing import Any

from ..errors import configuration_errors

__all__ = ["LOG_LEVELS", "LOG_LEVEL_PREFIX", "LogLevelCollector", "apply_log_levels"]

LOG_LEVEL_PREFIX = "LOGGING__LOGLEVEL__"
"""Variables starting with this prefix set the level of the logger named by the rest."""

ROOT_LOGGER_ALIAS = "default"

LOG_LEVELS: Mapping[str, int] = {
    "CRITICAL": logging.CRITICAL,
    "FATAL": logging.CRITICAL,
    "ERROR": logging.ERROR,
    "WARN": logging.WARNING,
    "WARNING": logging.WARNING,
    "INFO": logging.INFO,
    "INFORMATION": logging.INFO,
    "DEBUG": logging.DEBUG,
    "NOTSET": logging.NOTSET,
}
"""Accepted level words (matched case-insensitively) and the level each one sets."""

_FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"


class _ConsoleHandler(logging.StreamHandler):
    """The console handler this module installs; its type marks it for replacement."""


def parse_log_level(variable: str, value: Any) -> int:
    """Return the numeric level for ``value`` or raise ``ValueError`` naming ``variable``."""
    word = value.strip().upper() if isinstance(value, str) else None
    if word is None or word not in LOG_LEVELS:
        raise ValueError(
            configuration_errors.InvalidLogLevel.format(variable, value, ", ".join(LOG_LEVELS))
        )
    return LOG_LEVELS[word]


def _logger_key(name: str) -> str:
    """The lower-cased logger name, or ``""`` for the root logger."""
    lowered = name.lower()
    return "" if lowered == ROOT_LOGGER_ALIAS else lowered


class LogLevelCollector:
    """Validate ``LOGGING__LOGLEVEL__*`` variables before anything is changed.

    Two variables that name the same logger (names are lower-cased) must agree on the level.
    """

    def __init__(self) -> None:
        self.levels: dict[str, int] = {}
        self._sources: dict[str, str] = {}

    def add(self, variable: str, value: Any) -> None:
        name = variable[len(LOG_LEVEL_PREFIX) :]
        if not name:
            raise ValueError(
                configuration_errors.InvalidLoggingConfiguration.format(
                    f"{variable} does not name a logger; use {LOG_LEVEL_PREFIX}<logger name> "
                    f"or {LOG_LEVEL_PREFIX}{ROOT_LOGGER_ALIAS}."
                )
            )
        level = parse_log_level(variable, value)
        key = _logger_key(name)
        earlier = self._sources.get(key)
        if earlier is not None and self.levels[key] != level:
            raise ValueError(
                configuration_errors.InvalidLoggingConfiguration.format(
                    f"{earlier} and {variable} set different levels for the same logger "
                    f"{key or 'root'!r}."
                )
            )
        self.levels[key] = level
        self._sources.setdefault(key, variable)


def apply_log_levels(levels: Mapping[str, int]) -> None:
    """Configure each named logger (``""`` is the root logger) as described above."""
    for key, level in levels.items():
        logger = logging.getLogger(key or None)
        for handler in [h for h in logger.handlers if isinstance(h, _ConsoleHandler)]:
            logger.removeHandler(handler)
            handler.close()
        handler = _ConsoleHandler()
        handler.setFormatter(logging.Formatter(_FORMAT))
        logger.addHandler(handler)
        logger.setLevel(level)
        logger.propagate = False
