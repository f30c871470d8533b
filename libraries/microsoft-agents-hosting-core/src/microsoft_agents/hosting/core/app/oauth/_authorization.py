"""``Authorization``: the user sign-in handlers of an application and the sign-in flow.

How a turn meets it (``AgentApplication`` calls the underscored methods):

* **the intercept** (message and invoke turns, before any hook or route): when the user is in
  the middle of a sign-in, the turn's activity is the answer (a code, an SSO exchange, ...)
  and no route runs. A sign-in completed this way makes the application replay the activity
  that started it, in the background. With ``auto_sign_in`` every message and invoke also
  needs the default handler's token before anything else runs.
* **a route with ``auth_handlers``**: each handler must have a token; the first one without
  starts a sign-in (the OAuth card is sent) and the route does not run in this turn.
* **``get_token``** in the route handler then returns the token obtained in this turn.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from microsoft_agents.activity import Activity, ActivityTypes, TokenResponse

from ...authorization import ClaimsIdentity
from ._auth_handler import AuthHandler, _flag, _handlers_from_config
from ._handlers import _AuthorizationHandler, _create_handler
from ._state import (
    _failure_text,
    _FailureReason,
    _SignInResult,
    _SignInState,
    flow_state_key,
    read_item,
    sign_in_state_key,
    write_item,
)
from ._token_credential import TokenCredentials
from ._user_authorization import is_sign_in_activity, is_sign_in_answer

if TYPE_CHECKING:
    from ..._turn_context import TurnContext
    from ...storage import Storage

__all__ = ["Authorization"]

logger = logging.getLogger(__name__)

SignInHandler = Callable[["TurnContext", Any, "str | None"], Awaitable[Any]]
TurnCallback = Callable[["TurnContext"], Awaitable[None]]

_INTERCEPTED_TYPES = frozenset({ActivityTypes.message.value, ActivityTypes.invoke.value})


@dataclass
class _Intercept:
    """Whether the intercept consumed the turn, and the activity to replay afterwards."""

    consumed: bool
    continuation: Activity | None = None


class Authorization(TokenCredentials):
    """User sign-in handlers of an application (``app.auth``).

    ``auth_handlers`` maps handler ids to settings; when empty, the handlers come from
    ``kwargs["AGENTAPPLICATION"]["USERAUTHORIZATION"]["HANDLERS"]`` (what
    ``load_configuration_from_env`` builds from
    ``AGENTAPPLICATION__USERAUTHORIZATION__HANDLERS__<ID>__SETTINGS__<KEY>``). The first
    handler is the default one. ``AGENTAPPLICATION__USERAUTHORIZATION__AUTO_SIGN_IN`` turns
    on ``auto_sign_in`` unless it reads as off (``false``, ``0``, ``no``, ``off``).
    ``get_token_as_token_credential`` and ``exchange_token_as_token_credential`` hand the
    user's token to Azure SDK clients as an async token credential.

    Sign-in progress is kept in ``storage`` between turns, per channel and user, so users
    sharing a conversation sign in separately. A sign-in that is not finished within 10
    minutes expires; 3 invalid codes end it. ``on_sign_in_failure`` replaces the message
    the user gets when a sign-in fails.

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
        self._continuations: set[asyncio.Task[None]] = set()

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

    # -- storage keys and the per-turn token cache ----------------------------------------

    @staticmethod
    def _sign_in_state_key(context: TurnContext) -> str:
        return sign_in_state_key(context)

    @staticmethod
    def _flow_state_key(context: TurnContext, handler_id: str) -> str:
        return flow_state_key(context, handler_id)

    @classmethod
    def _token_cache_key(cls, context: TurnContext, handler_id: str) -> str:
        return f"{sign_in_state_key(context)}:{handler_id}:token"

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

        The token is read again from its source (and exchanged on-behalf-of when the
        handler is configured to). Without a sign-in in this turn: an empty, falsy
        ``TokenResponse``. ``None`` means the default handler.

        :raises ValueError: for an unknown handler id.
        """
        handler = self._resolve_handler(auth_handler_id)
        cached = self._cached_token(context, handler.id)
        if cached is None:
            return TokenResponse()
        return await handler.get_refreshed_token(context) or cached

    async def exchange_token(
        self,
        context: TurnContext,
        scopes: list[str] | None = None,
        auth_handler_id: str | None = None,
        exchange_connection: str | None = None,
    ) -> TokenResponse:
        """Like :meth:`get_token`, exchanged on-behalf-of for ``scopes`` with
        ``exchange_connection`` (defaults: the handler's ``SCOPES`` and
        ``OBOCONNECTIONNAME``).

        :raises ValueError: for an unknown handler id.
        """
        handler = self._resolve_handler(auth_handler_id)
        cached = self._cached_token(context, handler.id)
        if cached is None:
            return TokenResponse()
        if not scopes and not exchange_connection:
            return await handler.get_refreshed_token(context) or cached
        return await handler.get_refreshed_token(context, exchange_connection, scopes)

    async def sign_out(
        self,
        context: TurnContext,
        *args: Any,
        auth_handler_id: str | None = None,
        all_handlers: bool = False,
    ) -> None:
        """Sign the user out of a handler (the default one when ``None``), or of every
        handler with ``all_handlers=True``.

        Accepts ``sign_out(context, "GRAPH")``, ``sign_out(context, auth_handler_id="GRAPH")``
        and the older ``sign_out(context, state, "GRAPH")``. Drops the token cached for this
        turn, deletes the stored sign-in and flow state and signs the user out at the token
        service.

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
        if all_handlers:
            handlers = list(self._handlers.values())
        else:
            handlers = [self._resolve_handler(auth_handler_id)]
        for handler in handlers:
            context.turn_state.pop(self._token_cache_key(context, handler.id), None)
        await self._storage.delete([sign_in_state_key(context)])
        for handler in handlers:
            await handler._sign_out(context)

    def on_sign_in_success(self, handler: SignInHandler) -> None:
        """Call ``async (context, state, handler_id)`` when a user completes a sign-in."""
        self._sign_in_success = handler

    def on_sign_in_failure(self, handler: SignInHandler) -> None:
        """Call ``async (context, state, handler_id)`` when a sign-in fails (instead of
        sending the default failure message)."""
        self._sign_in_failure = handler

    # -- sign-in steps --------------------------------------------------------------------

    async def _start_or_continue_sign_in(
        self, context: TurnContext, state: Any, auth_handler_id: str | None = None
    ) -> _SignInResult:
        """Make sure the handler has a token in this turn; start a sign-in if it has none."""
        handler = self._resolve_handler(auth_handler_id)
        cached = self._cached_token(context, handler.id)
        if cached is not None:
            return _SignInResult.completed(cached)
        result = await handler._sign_in(context)
        await self._conclude(context, state, handler, result, context.activity)
        return result

    async def _conclude(
        self,
        context: TurnContext,
        state: Any,
        handler: _AuthorizationHandler,
        result: _SignInResult,
        continuation: Activity | None,
    ) -> None:
        """Record the outcome of a sign-in step and tell whoever needs to know."""
        if result.complete:
            self._cache_token(context, handler.id, result.token)
            if result.interactive:
                await self._storage.delete([sign_in_state_key(context)])
                if self._sign_in_success is not None:
                    await self._sign_in_success(context, state, handler.id)
        elif result.failed:
            await self._storage.delete([sign_in_state_key(context)])
            if self._sign_in_failure is not None:
                await self._sign_in_failure(context, state, handler.id)
            else:
                await context.send_activity(_failure_text(result))
        else:
            sign_in = _SignInState(active_handler_id=handler.id, continuation_activity=continuation)
            await write_item(self._storage, sign_in_state_key(context), sign_in)

    async def _get_token_silently(
        self, context: TurnContext, auth_handler_id: str | None = None
    ) -> TokenResponse:
        """The handler's token without asking the user (for proactive turns).

        The token of this turn, else a token read from the handler's source (the token
        service for OAuth handlers), which is then kept for the turn so that ``get_token``
        returns it. Empty when the user has none; no sign-in card is ever sent.
        """
        handler = self._resolve_handler(auth_handler_id)
        cached = self._cached_token(context, handler.id)
        if cached is not None:
            return cached
        token = await handler.get_refreshed_token(context)
        if token:
            self._cache_token(context, handler.id, token)
        return token

    # -- what AgentApplication calls ------------------------------------------------------

    async def _authorize_route(
        self, context: TurnContext, state: Any, handler_ids: list[str]
    ) -> bool:
        """Whether the route that needs ``handler_ids`` may run in this turn.

        Each handler needs a token; the first one without starts a sign-in (the user gets a
        sign-in card) and ``False`` is returned.

        :raises ValueError: for an unknown handler id.
        """
        for handler_id in handler_ids:
            result = await self._start_or_continue_sign_in(context, state, handler_id)
            if not result.complete:
                return False
        return True

    async def _on_turn_auth_intercept(self, context: TurnContext, state: Any) -> _Intercept:
        """Handle a message or invoke turn that belongs to the sign-in (see the module doc)."""
        activity = context.activity
        if not self._handlers or activity.type not in _INTERCEPTED_TYPES:
            return _Intercept(False)
        sign_in: _SignInState | None = await read_item(
            self._storage, sign_in_state_key(context), _SignInState
        )
        handler = self._handlers.get(sign_in.active_handler_id or "") if sign_in else None
        if sign_in is not None and handler is None:
            await self._storage.delete([sign_in_state_key(context)])  # handler removed since
        if sign_in is not None and handler is not None:
            intercept = await self._continue(context, state, handler, sign_in)
            if intercept is not None:
                return intercept
        default_id = self.default_handler_id
        if self._auto_sign_in and default_id is not None:
            result = await self._start_or_continue_sign_in(context, state, default_id)
            if not result.complete:
                return _Intercept(True)
        return _Intercept(False)

    async def _continue(
        self,
        context: TurnContext,
        state: Any,
        handler: _AuthorizationHandler,
        sign_in: _SignInState,
    ) -> _Intercept | None:
        """Take the turn as the answer to the sign-in in progress; ``None``: not consumed."""
        continuation = sign_in.continuation_activity
        result = await handler._continue_sign_in(context)
        await self._conclude(context, state, handler, result, continuation)
        if result.complete:
            if not result.interactive:  # the token was there after all: nothing was pending
                await self._storage.delete([sign_in_state_key(context)])
            return _Intercept(True, continuation)
        if not result.failed or result.reason is not _FailureReason.EXPIRED:
            return _Intercept(True)
        activity = context.activity
        if not is_sign_in_activity(activity):
            return None  # the sign-in expired; this turn is an ordinary one
        if is_sign_in_answer(activity):
            # A late answer: start the same sign-in again for the same request.
            restart = await handler._sign_in(context, continuation)
            await self._conclude(context, state, handler, restart, continuation)
            if restart.complete:
                return _Intercept(True, continuation)
        return _Intercept(True)

    def _continue_in_background(
        self, context: TurnContext, activity: Activity, callback: TurnCallback
    ) -> asyncio.Task[None]:
        """Run ``activity`` again as a new turn, in the background, through the adapter."""
        replay = activity.model_copy(deep=True)
        replay.delivery_mode = None  # the replay answers through the channel, never inline
        adapter = context.adapter
        identity = context.identity if context.identity is not None else ClaimsIdentity()

        async def run() -> None:
            try:
                await adapter.continue_conversation_with_claims(identity, replay, callback)
            except Exception:
                logger.exception("running the activity that needed a sign-in again failed")

        task = asyncio.get_running_loop().create_task(run())
        self._continuations.add(task)
        task.add_done_callback(self._continuations.discard)
        return task
