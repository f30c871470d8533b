"""``AuthHandler``: the settings of one user sign-in handler."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

__all__ = ["AuthHandler"]

USER_AUTHORIZATION = "userauthorization"
AGENTIC_USER_AUTHORIZATION = "agenticuserauthorization"
CONNECTOR_USER_AUTHORIZATION = "connectoruserauthorization"


def _scopes(value: Any) -> list[str]:
    if value is None:
        return []
    if isinstance(value, str):
        return [scope for scope in value.split() if scope]
    if isinstance(value, dict):  # SCOPES__0=..., SCOPES__1=... from the environment
        value = list(value.values())
    return [str(scope) for scope in value if str(scope)]


class AuthHandler:
    """How one sign-in handler obtains user tokens.

    Every argument falls back to the upper-case key used in configuration
    (``AGENTAPPLICATION__USERAUTHORIZATION__HANDLERS__<ID>__SETTINGS__<KEY>``): ``NAME``,
    ``TITLE``, ``TEXT``, ``AZUREBOTOAUTHCONNECTIONNAME``, ``OBOCONNECTIONNAME``, ``TYPE`` and
    ``SCOPES`` (a space-separated string). ``auth_type`` defaults to ``UserAuthorization``
    and is stored lower-cased.
    """

    name: str
    title: str
    text: str
    abs_oauth_connection_name: str
    obo_connection_name: str
    auth_type: str
    scopes: list[str]

    def __init__(
        self,
        name: str = "",
        title: str = "",
        text: str = "",
        abs_oauth_connection_name: str = "",
        obo_connection_name: str = "",
        auth_type: str = "",
        scopes: list[str] | str | None = None,
        **kwargs: Any,
    ) -> None:
        self.name = name or kwargs.get("NAME", "") or ""
        self.title = title or kwargs.get("TITLE", "") or ""
        self.text = text or kwargs.get("TEXT", "") or ""
        self.abs_oauth_connection_name = (
            abs_oauth_connection_name or kwargs.get("AZUREBOTOAUTHCONNECTIONNAME", "") or ""
        )
        self.obo_connection_name = obo_connection_name or kwargs.get("OBOCONNECTIONNAME", "") or ""
        self.auth_type = str(auth_type or kwargs.get("TYPE", "") or "UserAuthorization").lower()
        self.scopes = _scopes(scopes) if scopes else _scopes(kwargs.get("SCOPES"))
        self.alt_blueprint_name: str | None = kwargs.get("ALT_BLUEPRINT_NAME") or None

    def __repr__(self) -> str:
        return (
            f"AuthHandler(name={self.name!r}, auth_type={self.auth_type!r}, "
            f"abs_oauth_connection_name={self.abs_oauth_connection_name!r}, "
            f"obo_connection_name={self.obo_connection_name!r}, scopes={self.scopes!r})"
        )


_FALSE_WORDS = frozenset({"", "0", "false", "no", "off", "none"})


def _flag(value: Any) -> bool:
    """A configuration switch: booleans as-is, strings unless they read as "off"."""
    if isinstance(value, str):
        return value.strip().lower() not in _FALSE_WORDS
    return bool(value)


def _handlers_from_config(config: Mapping[str, Any]) -> dict[str, AuthHandler]:
    handlers: dict[str, AuthHandler] = {}
    for handler_id, entry in (config.get("HANDLERS") or {}).items():
        entry = entry if isinstance(entry, Mapping) else {}
        settings = dict(entry.get("SETTINGS") or {})
        settings.pop("name", None)
        settings.pop("auth_type", None)
        handlers[handler_id] = AuthHandler(
            name=handler_id, auth_type=entry.get("TYPE", "") or "", **settings
        )
    return handlers
