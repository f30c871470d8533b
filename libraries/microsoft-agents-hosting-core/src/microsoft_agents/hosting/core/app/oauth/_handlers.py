"""The kinds of sign-in handler an ``Authorization`` can hold.

This version keeps their configuration only; the sign-in flows (OAuth card, magic code,
single sign-on, agentic user tokens) arrive in a later version and will live on these
classes.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ._auth_handler import (
    AGENTIC_USER_AUTHORIZATION,
    CONNECTOR_USER_AUTHORIZATION,
    USER_AUTHORIZATION,
    AuthHandler,
)

if TYPE_CHECKING:
    from ...storage import Storage

__all__ = [
    "AgenticUserAuthorization",
    "ConnectorUserAuthorization",
    "_AuthorizationHandler",
    "_UserAuthorization",
    "_create_handler",
]


class _AuthorizationHandler:
    """A configured sign-in handler: its id, settings, storage and connections."""

    def __init__(
        self,
        storage: Storage,
        connection_manager: Any,
        auth_handler: AuthHandler,
        *,
        auth_handler_id: str | None = None,
    ) -> None:
        self._storage = storage
        self._connection_manager = connection_manager
        self._handler = auth_handler
        self._id = auth_handler_id or auth_handler.name

    @property
    def id(self) -> str:
        """The handler id used in ``auth_handlers=[...]`` and ``get_token``."""
        return self._id

    @property
    def settings(self) -> AuthHandler:
        """The handler's settings."""
        return self._handler

    def __repr__(self) -> str:
        return f"{type(self).__name__}(id={self._id!r})"


class _UserAuthorization(_AuthorizationHandler):
    """Users sign in through the Azure Bot Service token service (OAuth card / SSO)."""


class AgenticUserAuthorization(_AuthorizationHandler):
    """Tokens for agentic users, obtained from the agent's own identity."""


class ConnectorUserAuthorization(_AuthorizationHandler):
    """Tokens handed over by a connector (for example Copilot Studio)."""


_KINDS: dict[str, type[_AuthorizationHandler]] = {
    USER_AUTHORIZATION: _UserAuthorization,
    AGENTIC_USER_AUTHORIZATION: AgenticUserAuthorization,
    CONNECTOR_USER_AUTHORIZATION: ConnectorUserAuthorization,
}


def _create_handler(
    handler_id: str, storage: Storage, connection_manager: Any, settings: AuthHandler
) -> _AuthorizationHandler:
    kind = _KINDS.get(settings.auth_type)
    if kind is None:
        known = ", ".join(sorted(_KINDS))
        raise ValueError(
            f"sign-in handler {handler_id!r} has unknown type {settings.auth_type!r}; "
            f"use one of: {known}"
        )
    return kind(storage, connection_manager, settings, auth_handler_id=handler_id)
