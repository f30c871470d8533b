"""``Authorization``: the table of user sign-in handlers of an application.

This version reads the handler configuration, answers ``get_token`` from tokens obtained
earlier in the same turn, and clears local sign-in data on ``sign_out``. The interactive
sign-in flow is not part of it yet: :meth:`Authorization._authorize_route` is where a route
that needs a sign-in asks for one.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable, Mapping
from typing import TYPE_CHECKING, Any

from microsoft_agents.activity import TokenResponse

from ._auth_handler import AuthHandler
from ._handlers import _AuthorizationHandler, _create_handler

if TYPE_CHECKING:
    from ..._turn_context import TurnContext
    from ...storage import Storage

__all__ = ["Authorization"]

logger = logging.getLogger(__name__)

SignInHandler = Callable[["TurnContext", Any, "str | None"], Awaitable[Any]]

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


class Authorization:
    """User sign-in handlers of an application (``app.auth``).

    ``auth_handlers`` maps handler ids to settings; when empty, the handlers come from
    ``kwargs["AGENTAPPLICATION"]["USERAUTHORIZATION"]["HANDLERS"]`` (what
    ``load_configuration_from_env`` builds from
    ``AGENTAPPLICATION__USERAUTHORIZATION__HANDLERS__<ID>__SETTINGS__<KEY>``). The first
    handler is the default one. ``AGENTAPPLICATION__USERAUTHORIZATION__AUTO_SIGN_IN`` turns
    on ``auto_sign_in`` unless it reads as off (``false``, ``0``, ``no``, ``off``).

    :raises ValueError: without ``storage``, or for a handler of an unknown type.
    """

    def __init__(
        self,
        storage: Storage,
        connection_manager: Any,
        auth_handlers: dict[str, AuthHandler] | None = None,
        auto_sign_in: bool = False,
        use_cache: bool = False,
        **kwargs: Any,
    ) -> None:
        if storage is None:
            raise ValueError("Authorization needs a storage to keep sign-in state in.")
        self._storage = storage
        self._connection_manager = connection_manager
        app_config = kwargs.get("AGENTAPPLICATION") or {}
        user_config = app_config.get("USERAUTHORIZATION") or {}
        settings = dict(auth_handlers) if auth_handlers else _handlers_from_config(user_config)
        self._handlers: dict[str, _AuthorizationHandler] = {
            handler_id: _create_handler(handler_id, storage, connection_manager, handler)
            for handler_id, handler in settings.items()
        }
        self._auto_sign_in = bool(auto_sign_in) or _flag(user_config.get("AUTO_SIGN_IN", False))
        self._use_cache = bool(use_cache)
        self._sign_in_success: SignInHandler | None = None
        self._sign_in_failure: SignInHandler | None = None

    # -- configuration --------------------------------------------------------------------

    @property
    def connection_manager(self) -> Any:
        """The connections used to obtain and exchange tokens."""
        return self._connection_manager

    @property
    def auto_sign_in(self) -> bool:
        """Whether every message/invoke turn signs the user in with the default handler."""
        return self._auto_sign_in

    @property
    def handler_ids(self) -> list[str]:
        """Configured handler ids, the default one first."""
        return list(self._handlers)

    @property
    def default_handler_id(self) -> str | None:
        """The first configured handler, or ``None`` when there is none."""
        return next(iter(self._handlers), None)

    def _resolve_handler(self, handler_id: str | None) -> _AuthorizationHandler:
        if handler_id is None:
            handler_id = self.default_handler_id
            if handler_id is None:
                raise ValueError("no sign-in handler is configured")
        handler = self._handlers.get(handler_id)
        if handler is None:
            known = ", ".join(self._handlers) or "none"
            raise ValueError(f"unknown sign-in handler {handler_id!r} (configured: {known})")
        return handler

    # -- per-turn token cache -------------------------------------------------------------

    @staticmethod
    def _sign_in_state_key(context: TurnContext) -> str:
        activity = context.activity
        user_id = activity.from_property.id if activity.from_property else None
        return f"auth:_SignInState:{activity.channel_id}:{user_id}"

    @staticmethod
    def _flow_state_key(context: TurnContext, handler_id: str) -> str:
        activity = context.activity
        user_id = activity.from_property.id if activity.from_property else None
        return f"auth/{activity.channel_id}/{user_id}/{handler_id}"

    @classmethod
    def _token_cache_key(cls, context: TurnContext, handler_id: str) -> str:
        return f"{cls._sign_in_state_key(context)}:{handler_id}:token"

    @classmethod
    def _cached_token(cls, context: TurnContext, handler_id: str) -> TokenResponse | None:
        cached = context.turn_state.get(cls._token_cache_key(context, handler_id))
        return cached if isinstance(cached, TokenResponse) and cached else None

    @classmethod
    def _cache_token(cls, context: TurnContext, handler_id: str, token: TokenResponse) -> None:
        context.turn_state[cls._token_cache_key(context, handler_id)] = token

    # -- public API -----------------------------------------------------------------------

    async def get_token(
        self, context: TurnContext, auth_handler_id: str | None = None
    ) -> TokenResponse:
        """The user token of a handler whose sign-in completed earlier in this turn.

        Otherwise an empty ``TokenResponse`` (falsy). ``None`` means the default handler.

        :raises ValueError: for an unknown handler id.
        """
        handler = self._resolve_handler(auth_handler_id)
        return self._cached_token(context, handler.id) or TokenResponse()

    async def exchange_token(
        self,
        context: TurnContext,
        scopes: list[str] | None = None,
        auth_handler_id: str | None = None,
        exchange_connection: str | None = None,
    ) -> TokenResponse:
        """Like :meth:`get_token`, exchanged on-behalf-of for ``scopes`` when requested.

        :raises ValueError: for an unknown handler id.
        :raises NotImplementedError: when an on-behalf-of exchange would be needed; this
            version does not perform token exchanges yet.
        """
        handler = self._resolve_handler(auth_handler_id)
        token = self._cached_token(context, handler.id)
        if token is None:
            return TokenResponse()
        settings = handler.settings
        wants_exchange = bool(scopes or exchange_connection) or bool(
            settings.obo_connection_name and settings.scopes
        )
        if wants_exchange:
            raise NotImplementedError(
                "on-behalf-of token exchange is not available in this version of the SDK"
            )
        return token

    async def sign_out(
        self, context: TurnContext, *args: Any, auth_handler_id: str | None = None
    ) -> None:
        """Forget the user's sign-in for a handler (the default one when ``None``).

        Accepts ``sign_out(context, "GRAPH")``, ``sign_out(context, auth_handler_id="GRAPH")``
        and the older ``sign_out(context, state, "GRAPH")``. Drops the token cached for this
        turn and deletes the stored sign-in and flow state.

        :raises ValueError: for an unknown handler id.
        """
        positional = list(args)
        if positional and positional[0] is not None and not isinstance(positional[0], str):
            positional.pop(0)  # older samples pass the turn state second
        if len(positional) > 1:
            raise TypeError("sign_out() takes a context and at most one handler id")
        if positional:
            if auth_handler_id is not None:
                raise TypeError("sign_out() got the handler id twice")
            auth_handler_id = positional[0]
        handler = self._resolve_handler(auth_handler_id)
        context.turn_state.pop(self._token_cache_key(context, handler.id), None)
        await self._storage.delete(
            [self._sign_in_state_key(context), self._flow_state_key(context, handler.id)]
        )
        logger.warning(
            "sign_out(%r): local sign-in state cleared; signing out at the token service "
            "is not available in this version of the SDK",
            handler.id,
        )

    def on_sign_in_success(self, handler: SignInHandler) -> None:
        """Call ``async (context, state, handler_id)`` when a sign-in completes."""
        self._sign_in_success = handler

    def on_sign_in_failure(self, handler: SignInHandler) -> None:
        """Call ``async (context, state, handler_id)`` when a sign-in fails."""
        self._sign_in_failure = handler

    # -- the seam used by AgentApplication routing ----------------------------------------

    async def _authorize_route(
        self, context: TurnContext, state: Any, handler_ids: list[str]
    ) -> bool:
        """Whether the route that needs ``handler_ids`` may run in this turn.

        True when each handler already has a token for this turn. Starting or continuing
        an interactive sign-in is not available in this version, so a missing token raises
        ``NotImplementedError`` (the turn's error handlers receive it). A later version
        replaces this method with the full flow: it will send the sign-in card and return
        ``False`` while the user has not finished signing in.

        :raises ValueError: for an unknown handler id.
        """
        for handler_id in handler_ids:
            handler = self._resolve_handler(handler_id)
            if self._cached_token(context, handler.id) is None:
                raise NotImplementedError(
                    "user sign-in for route handlers is not available in this version of "
                    f"the SDK; the route needs a token from sign-in handler {handler.id!r} "
                    "and none was obtained in this turn"
                )
        return True
