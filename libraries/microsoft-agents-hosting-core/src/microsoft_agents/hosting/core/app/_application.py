"""``AgentApplication``: routes activities to handlers and keeps state around each turn."""

from __future__ import annotations

import logging
import re
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, Generic, cast

from microsoft_agents.activity import ActivityTypes

from ..errors import ApplicationError, error_resources
from ..header_propagation import HeaderPropagationContext
from ..header_propagation._context import begin_turn, end_turn
from ..telemetry import span, tracing_enabled
from ._options import ApplicationOptions, RouteRank
from ._routes import RouteHandler, RouteSelector, StateT, _DispatchMixin, _HandlerT
from ._routing import TurnHook, _RoutingMixin
from ._typing import TypingIndicator
from .adaptive_card import AdaptiveCard
from .oauth import Authorization

if TYPE_CHECKING:
    from .._turn_context import TurnContext
    from ..storage import Storage
    from .proactive import Proactive
    from .state import TurnState

__all__ = ["AgentApplication"]

logger = logging.getLogger(__name__)

# Keyword arguments that configure the application itself and are never handed on to
# ``Authorization``.
_NOT_FOR_AUTHORIZATION = frozenset(
    {"storage", "connection_manager", "authorization", "authorization_handlers", "agent_name"}
)
_AGENT_NAME_INVALID = re.compile(r"[^A-Za-z0-9 ._-]")


def _configured_handler_ids(options: ApplicationOptions, kwargs: dict[str, Any]) -> list[str]:
    if options.authorization_handlers:
        return list(options.authorization_handlers)
    app_config = kwargs.get("AGENTAPPLICATION") or {}
    handlers = (app_config.get("USERAUTHORIZATION") or {}).get("HANDLERS") or {}
    return list(handlers)


def _turn_state_type() -> type[TurnState]:
    """``TurnState``, imported on first use (the state package imports this one)."""
    global _TURN_STATE
    if _TURN_STATE is None:
        from .state import TurnState as found

        _TURN_STATE = found
    return _TURN_STATE


_TURN_STATE: type[TurnState] | None = None


class AgentApplication(_RoutingMixin[StateT], _DispatchMixin[StateT], Generic[StateT]):
    """An agent built from routes: ``AgentApplication[TurnState](storage=..., **config)``.

    Options come from ``options`` or, without it, from the keyword arguments named like
    :class:`ApplicationOptions` fields; other keywords (such as the ``AGENTAPPLICATION``,
    ``CONNECTIONS`` and ``CONNECTIONSMAP`` sections of ``load_configuration_from_env``) are
    accepted and handed on to the ``Authorization`` the application creates. ``agent_name``
    (default: the class name; characters other than letters, digits, space, ``.``, ``_`` and
    ``-`` are removed) is the ``AgentName`` header the outbound requests of agentic turns carry
    (see ``header_propagation``).

    User sign-in is optional. With ``authorization=`` that object is used; with
    ``connection_manager=`` an ``Authorization`` is built from the configuration; with
    neither the application runs without user sign-in, and only a route that declares
    ``auth_handlers`` fails (with an ``ApplicationError`` saying what to configure). A route
    with ``auth_handlers`` runs once each handler has the user's token; until then the user
    is asked to sign in, and the request runs again by itself when the sign-in completes.

    **A turn** (:meth:`on_turn`): typing indicator (``start_typing_timer``), recipient mention
    removed from message text (``remove_recipient_mention``), state created
    (``turn_state_factory`` or ``TurnState.with_storage(storage)``) and loaded,
    ``state.temp.input`` set, the user sign-in step for message and invoke turns (it may end
    the turn: the user is answering a sign-in), ``before_turn`` hooks, file downloaders, the
    first matching route, ``after_turn`` hooks, state saved. A hook returning ``False`` ends
    the turn early; state is still saved.

    **Errors**: any exception raised along the way goes to every ``@app.error`` handler in
    registration order (they receive ``(context, error)`` and can still send activities). With
    no error handler it propagates to the adapter (``adapter.on_turn_error``). State is not
    saved by a failed turn. That includes a conflict when saving: if another turn of the
    same conversation or user saved its state after this one loaded it, the save raises
    ``StorageConflictError`` (with a storage that checks eTags, such as ``MemoryStorage``),
    this turn's state changes are dropped and the error handlers receive the conflict.
    Activities the turn already sent stay sent.
    """

    def __init__(
        self,
        options: ApplicationOptions | None = None,
        *,
        connection_manager: Any = None,
        authorization: Authorization | None = None,
        **kwargs: Any,
    ) -> None:
        self._init_routing()
        if options is None:
            options = ApplicationOptions._from_kwargs(kwargs)
        self._options = options
        if options.storage is None:
            raise ApplicationError(str(error_resources.StorageRequired))
        if options.long_running_messages and not options.bot_app_id:
            raise ApplicationError(str(error_resources.LongRunningNeedsAppId))
        self._storage: Storage = options.storage
        self._turn_state_factory: Callable[[], Any] | None = options.turn_state_factory
        # The AgentName header of agentic requests: letters, digits, space, ``.``, ``_``, ``-``.
        name = str(kwargs.get("agent_name") or type(self).__name__)
        self._agent_name = _AGENT_NAME_INVALID.sub("", name).strip() or type(self).__name__
        self._adaptive_card = AdaptiveCard(self)
        self._pending_sign_in_handlers: list[tuple[str, Any]] = []

        self._auth: Authorization | None
        if authorization is not None:
            if connection_manager is not None:
                raise ApplicationError(str(error_resources.AuthorizationAndConnectionManager))
            self._auth = authorization
            self._connection_manager = authorization.connection_manager
        elif connection_manager is not None:
            option_names = ApplicationOptions._field_names()
            auth_kwargs = {
                key: value
                for key, value in kwargs.items()
                if key not in option_names and key not in _NOT_FOR_AUTHORIZATION
            }
            self._auth = Authorization(
                options.storage,
                connection_manager,
                auth_handlers=options.authorization_handlers,
                **auth_kwargs,
            )
            self._connection_manager = connection_manager
        else:
            self._auth = None
            self._connection_manager = None
            configured = _configured_handler_ids(options, kwargs)
            if configured:
                logger.warning(
                    "sign-in handlers %s are configured but the AgentApplication has no "
                    "connection_manager or authorization; routes that need them will fail",
                    configured,
                )

        self._proactive: Proactive[StateT] | None = None
        if options.proactive is not None:
            from .proactive import Proactive

            self._proactive = Proactive(self, options.proactive)

    # -- properties -----------------------------------------------------------------------

    @property
    def options(self) -> ApplicationOptions:
        """The options the application runs with."""
        return self._options

    @property
    def adapter(self) -> Any:
        """The adapter given in the options (a turn always runs on ``context.adapter``).

        :raises ApplicationError: when the application was created without one.
        """
        if self._options.adapter is None:
            raise ApplicationError(str(error_resources.ApplicationAdapterMissing))
        return self._options.adapter

    @property
    def auth(self) -> Authorization:
        """The user sign-in handlers (``app.auth.get_token(context, "GRAPH")``).

        :raises ApplicationError: when user authorization is not configured.
        """
        if self._auth is None:
            raise ApplicationError(error_resources.UserAuthorizationNotConfigured.format("(any)"))
        return self._auth

    @property
    def connection_manager(self) -> Any:
        """The connection manager behind user sign-in, or ``None`` without one."""
        return self._connection_manager

    @property
    def adaptive_card(self) -> AdaptiveCard:
        """Decorators for Adaptive Card actions and searches."""
        return self._adaptive_card

    @property
    def proactive(self) -> Proactive[StateT]:
        """Proactive messaging (stored conversations, continue/create conversation).

        :raises ApplicationError: unless ``ApplicationOptions.proactive`` is set.
        """
        if self._proactive is None:
            raise ApplicationError(str(error_resources.ProactiveNotConfigured))
        return self._proactive

    # -- registration that needs the application ------------------------------------------

    def add_route(
        self,
        selector: RouteSelector,
        handler: RouteHandler[StateT],
        is_invoke: bool = False,
        is_agentic: bool = False,
        rank: int = RouteRank.DEFAULT,
        auth_handlers: list[str] | None = None,
    ) -> None:
        if auth_handlers and self._auth is None:
            logger.warning(
                "route %s needs sign-in handlers %s but user authorization is not configured; "
                "the route will fail when it is selected",
                getattr(handler, "__name__", handler),
                auth_handlers,
            )
        super().add_route(selector, handler, is_invoke, is_agentic, rank, auth_handlers)

    add_route.__doc__ = _RoutingMixin.add_route.__doc__

    def on_sign_in_success(self, handler: _HandlerT) -> _HandlerT:
        """Call ``async (context, state, handler_id)`` when a user sign-in completes."""
        if self._auth is not None:
            self._auth.on_sign_in_success(handler)
        else:
            self._pending_sign_in_handlers.append(("success", handler))
        return handler

    def on_sign_in_failure(self, handler: _HandlerT) -> _HandlerT:
        """Call ``async (context, state, handler_id)`` when a user sign-in fails."""
        if self._auth is not None:
            self._auth.on_sign_in_failure(handler)
        else:
            self._pending_sign_in_handlers.append(("failure", handler))
        return handler

    def set_turn_state_factory(self, func: Callable[[], StateT]) -> None:
        """Create each turn's state with ``func()`` instead of ``TurnState.with_storage``."""
        self._turn_state_factory = func

    # -- the turn -------------------------------------------------------------------------

    async def on_turn(self, context: TurnContext) -> None:
        """Handle one turn (see the class documentation for the steps)."""
        activity = context.activity
        if (
            self._options.long_running_messages
            and activity.type == ActivityTypes.message
            and context.identity is not None
        ):
            # Answer the request now and do the work as a proactive turn.
            await context.adapter.continue_conversation_with_claims(
                context.identity, activity, self._on_turn
            )
            return
        await self._on_turn(context)

    async def _on_turn(self, context: TurnContext) -> None:
        # Header propagation: an agentic turn's outbound requests carry the agent identity
        # headers, and providers registered during a turn end with it. Until some provider
        # has been registered in the process, a non-agentic turn skips all of this.
        headers_scope = None
        agentic = context.activity.is_agentic_request()
        if agentic or HeaderPropagationContext._registered_any:
            headers_scope = begin_turn(context.activity, self._agent_name, agentic)
        try:
            if tracing_enabled():
                with span("agent_application.on_turn", activity_type=str(context.activity.type)):
                    await self._run_turn(context)
            else:  # without a span object alive for the whole turn
                await self._run_turn(context)
        finally:
            if headers_scope is not None or HeaderPropagationContext._registered_any:
                end_turn(headers_scope)

    def _typing(self, context: TurnContext) -> TypingIndicator | None:
        if not self._options.start_typing_timer or context.activity.type == ActivityTypes.typing:
            return None
        return TypingIndicator(context, typing_options=self._options.typing)

    async def _run_turn(self, context: TurnContext) -> None:
        """The turn, with the typing indicator around it and the error handlers after it.

        (One coroutine for all of it: every object alive during a turn, coroutines included,
        is work for the garbage collector while many turns are in flight.)
        """
        try:
            typing = self._typing(context)
            if typing is not None:
                typing.start()
            try:
                activity = context.activity
                if (
                    self._options.remove_recipient_mention
                    and activity.type == ActivityTypes.message
                    and activity.text is not None
                ):
                    activity.remove_recipient_mention()
                state = await self._load_state(context)
                auth = self._auth
                if auth is not None and await self._sign_in_intercepts(auth, context, state):
                    return
                # (Empty hook lists and no downloaders are skipped without a coroutine each.)
                if self._before_turn and not await self._run_hooks(
                    self._before_turn, context, state
                ):
                    await state.save(context)
                    return
                if self._options.file_downloaders:
                    await self._download_files(context, state)
                routed = self._dispatch(context, state)
                if routed is not None:
                    await routed
                if self._after_turn:
                    await self._run_hooks(self._after_turn, context, state)
                if isinstance(state, _turn_state_type()):
                    saving = state._save_when_changed(context)
                    if saving is not None:  # (no coroutine at all when nothing changed)
                        await saving
                else:
                    await state.save(context)
            finally:
                if typing is not None:
                    typing.stop()
                    if typing._task is not None:  # typing was due: wait for its task to end
                        await typing.aclose()
        except Exception as error:
            if not self._error_handlers:
                raise
            logger.error("turn failed; running the application's error handlers: %r", error)
            for handler in list(self._error_handlers):
                await handler(context, error)

    async def _sign_in_intercepts(
        self, auth: Authorization, context: TurnContext, state: StateT
    ) -> bool:
        """The user sign-in step of a message/invoke turn (see ``Authorization``).

        True when the turn was an answer to a sign-in in progress (or auto sign-in is still
        waiting for the user): state is saved and the turn ends. A sign-in completed by this
        turn replays the activity that started it, as a new turn in the background.
        """
        intercept = await auth._on_turn_auth_intercept(context, state)
        if not intercept.consumed:
            return False
        await state.save(context)
        if intercept.continuation is not None:
            auth._continue_in_background(context, intercept.continuation, self._on_turn)
        return True

    async def _load_state(self, context: TurnContext) -> StateT:
        if self._turn_state_factory is not None:
            state = self._turn_state_factory()
            await state.load(context, self._storage)
        else:
            # Its scopes are new and on this storage already: nothing to renew.
            state = _turn_state_type().with_storage(self._storage)
            await state._load_fresh(context)
        state.temp.input = context.activity.text
        return cast(StateT, state)

    @staticmethod
    async def _run_hooks(hooks: list[TurnHook], context: TurnContext, state: Any) -> bool:
        for hook in list(hooks):
            if not await hook(context, state):
                return False
        return True

    async def _download_files(self, context: TurnContext, state: Any) -> None:
        downloaders = self._options.file_downloaders
        if not downloaders:
            return
        files = list(state.temp.input_files or [])
        for downloader in downloaders:
            files.extend(await downloader.download_files(context))
        state.temp.input_files = files
