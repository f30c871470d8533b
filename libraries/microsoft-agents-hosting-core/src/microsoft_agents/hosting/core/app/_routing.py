"""Route registration for ``AgentApplication``: ``add_route`` and the decorators built on it.

Every decorator returns the function it was given, so ``@app.message("hi")`` and
``app.message("hi")(func)`` both leave ``func`` usable as a plain coroutine function.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING, Any, Generic, overload

from microsoft_agents.activity import (
    Activity,
    ActivityTypes,
    ChannelId,
    ConversationUpdateTypes,
    InvokeResponse,
    MessageReactionTypes,
    MessageUpdateTypes,
)

from ..errors import ApplicationError
from . import _selectors as sel
from ._options import RouteRank
from ._routes import (
    Route,
    RouteHandler,
    RouteSelector,
    StateT,
    _HandlerT,
    _RouteDecorator,
    _RouteList,
)

if TYPE_CHECKING:
    from .._turn_context import TurnContext

__all__: list[str] = []

logger = logging.getLogger(__name__)

_HANDOFF_INVOKE_NAME = "handoff/action"

TurnHook = Callable[["TurnContext", Any], Awaitable[bool]]
ErrorHandler = Callable[["TurnContext", Exception], Awaitable[Any]]
HandoffHandler = Callable[["TurnContext", Any, str], Awaitable[Any]]


class _RoutingMixin(Generic[StateT]):
    """The registration half of ``AgentApplication``."""

    _routes: _RouteList[StateT]
    _before_turn: list[TurnHook]
    _after_turn: list[TurnHook]
    _error_handlers: list[ErrorHandler]

    def _init_routing(self) -> None:
        self._routes = _RouteList()
        self._before_turn = []
        self._after_turn = []
        self._error_handlers = []

    # -- the generic registration ---------------------------------------------------------

    def add_route(
        self,
        selector: RouteSelector,
        handler: RouteHandler[StateT],
        is_invoke: bool = False,
        is_agentic: bool = False,
        rank: int = RouteRank.DEFAULT,
        auth_handlers: list[str] | None = None,
    ) -> None:
        """Add a route: ``handler`` runs for turns that ``selector`` accepts.

        Invoke routes are tried before all others, agentic routes next; within a group lower
        ranks go first and equal ranks keep registration order. Only the first match runs.
        ``is_agentic`` also requires ``activity.is_agentic_request()``.

        :raises ApplicationError: when ``selector`` or ``handler`` is missing.
        :raises ValueError: when ``rank`` is outside 0..65535.
        """
        if selector is None or handler is None:
            raise ApplicationError("add_route() needs both a selector and a handler.")
        if is_agentic:
            selector = sel.agentic(selector)
        route: Route[StateT] = Route(
            selector=selector,
            handler=handler,
            is_invoke=is_invoke,
            is_agentic=is_agentic,
            rank=rank,
            auth_handlers=list(auth_handlers or []),
        )
        self._routes.add(route)

    def _register(
        self,
        selector: Callable[[TurnContext], bool],
        channel_id: str | ChannelId | None,
        auth_handlers: list[str] | None,
        kwargs: dict[str, Any],
    ) -> _RouteDecorator:
        if channel_id is not None:
            selector = sel.all_of(sel.channel(channel_id), selector)

        def register(func: _HandlerT) -> _HandlerT:
            self.add_route(selector, func, auth_handlers=auth_handlers, **kwargs)
            return func

        return register

    # -- decorators by activity kind ------------------------------------------------------

    def activity(
        self,
        activity_type: str | ActivityTypes | list[str | ActivityTypes] | list[str],
        *,
        channel_id: str | ChannelId | None = None,
        auth_handlers: list[str] | None = None,
        **kwargs: Any,
    ) -> _RouteDecorator:
        """Route activities whose type equals ``activity_type`` (or is in the list)."""
        return self._register(sel.activity_type(activity_type), channel_id, auth_handlers, kwargs)

    def message(
        self,
        select: sel.TextSelector | None = None,
        *,
        channel_id: str | ChannelId | None = None,
        auth_handlers: list[str] | None = None,
        **kwargs: Any,
    ) -> _RouteDecorator:
        """Route messages whose text equals a string or fully matches a compiled regex.

        A list matches when any item does. ``None`` matches every message and, unless a
        ``rank`` is given, ranks the route ``LAST`` so specific routes win.
        """
        if select is None:
            kwargs.setdefault("rank", RouteRank.LAST)
        return self._register(sel.message_text(select), channel_id, auth_handlers, kwargs)

    def event(
        self,
        select: sel.TextSelector | None = None,
        *,
        channel_id: str | ChannelId | None = None,
        auth_handlers: list[str] | None = None,
        **kwargs: Any,
    ) -> _RouteDecorator:
        """Route ``event`` activities whose name matches (``None``: every event, rank LAST)."""
        if select is None:
            kwargs.setdefault("rank", RouteRank.LAST)
        selector = sel.named(ActivityTypes.event, select)
        return self._register(selector, channel_id, auth_handlers, kwargs)

    def invoke(
        self,
        select: sel.TextSelector | None = None,
        *,
        channel_id: str | ChannelId | None = None,
        auth_handlers: list[str] | None = None,
        **kwargs: Any,
    ) -> _RouteDecorator:
        """Route ``invoke`` activities whose name matches (``None``: every invoke, rank LAST).

        The handler answers the invoke itself by sending an ``invokeResponse`` activity.
        """
        if kwargs.pop("is_invoke", True) is False:
            raise ValueError("an invoke route cannot be registered with is_invoke=False")
        if select is None:
            kwargs.setdefault("rank", RouteRank.LAST)
        kwargs["is_invoke"] = True
        selector = sel.named(ActivityTypes.invoke, select)
        return self._register(selector, channel_id, auth_handlers, kwargs)

    def conversation_update(
        self,
        type: ConversationUpdateTypes | str,
        *,
        channel_id: str | ChannelId | None = None,
        auth_handlers: list[str] | None = None,
        **kwargs: Any,
    ) -> _RouteDecorator:
        """Route conversation updates: ``membersAdded``/``membersRemoved`` need a non-empty
        member list; other kinds compare the channel data's ``eventType``."""
        return self._register(sel.conversation_update(type), channel_id, auth_handlers, kwargs)

    def members_added(
        self,
        *,
        channel_id: str | ChannelId | None = None,
        auth_handlers: list[str] | None = None,
        **kwargs: Any,
    ) -> _RouteDecorator:
        """Shorthand for ``conversation_update("membersAdded")``."""
        return self.conversation_update(
            ConversationUpdateTypes.MEMBERS_ADDED,
            channel_id=channel_id,
            auth_handlers=auth_handlers,
            **kwargs,
        )

    def members_removed(
        self,
        *,
        channel_id: str | ChannelId | None = None,
        auth_handlers: list[str] | None = None,
        **kwargs: Any,
    ) -> _RouteDecorator:
        """Shorthand for ``conversation_update("membersRemoved")``."""
        return self.conversation_update(
            ConversationUpdateTypes.MEMBERS_REMOVED,
            channel_id=channel_id,
            auth_handlers=auth_handlers,
            **kwargs,
        )

    def installation_update(
        self,
        *,
        channel_id: str | ChannelId | None = None,
        auth_handlers: list[str] | None = None,
        **kwargs: Any,
    ) -> _RouteDecorator:
        """Route ``installationUpdate`` activities."""
        return self.activity(
            ActivityTypes.installation_update,
            channel_id=channel_id,
            auth_handlers=auth_handlers,
            **kwargs,
        )

    def end_of_conversation(
        self,
        *,
        channel_id: str | ChannelId | None = None,
        auth_handlers: list[str] | None = None,
        **kwargs: Any,
    ) -> _RouteDecorator:
        """Route ``endOfConversation`` activities."""
        return self.activity(
            ActivityTypes.end_of_conversation,
            channel_id=channel_id,
            auth_handlers=auth_handlers,
            **kwargs,
        )

    def message_reaction(
        self,
        type: MessageReactionTypes | str,
        *,
        channel_id: str | ChannelId | None = None,
        auth_handlers: list[str] | None = None,
        **kwargs: Any,
    ) -> _RouteDecorator:
        """Route message reactions that add (``reactionsAdded``) or remove reactions."""
        return self._register(sel.message_reaction(type), channel_id, auth_handlers, kwargs)

    def message_reaction_added(
        self,
        channel_id: str | ChannelId | None = None,
        auth_handlers: list[str] | None = None,
        **kwargs: Any,
    ) -> _RouteDecorator:
        """Shorthand for ``message_reaction("reactionsAdded")``."""
        return self.message_reaction(
            MessageReactionTypes.REACTIONS_ADDED,
            channel_id=channel_id,
            auth_handlers=auth_handlers,
            **kwargs,
        )

    def message_reactions_removed(
        self,
        channel_id: str | ChannelId | None = None,
        auth_handlers: list[str] | None = None,
        **kwargs: Any,
    ) -> _RouteDecorator:
        """Shorthand for ``message_reaction("reactionsRemoved")``."""
        return self.message_reaction(
            MessageReactionTypes.REACTIONS_REMOVED,
            channel_id=channel_id,
            auth_handlers=auth_handlers,
            **kwargs,
        )

    def message_update(
        self,
        type: MessageUpdateTypes | str,
        *,
        channel_id: str | ChannelId | None = None,
        auth_handlers: list[str] | None = None,
        **kwargs: Any,
    ) -> _RouteDecorator:
        """Route edited/undeleted messages (``messageUpdate``) and soft deletes
        (``messageDelete``) whose channel data ``eventType`` equals ``type``."""
        return self._register(sel.message_update(type), channel_id, auth_handlers, kwargs)

    @overload
    def handoff(
        self,
        func: _HandlerT,
        *,
        channel_id: str | ChannelId | None = None,
        auth_handlers: list[str] | None = None,
        **kwargs: Any,
    ) -> _HandlerT: ...

    @overload
    def handoff(
        self,
        func: None = None,
        *,
        channel_id: str | ChannelId | None = None,
        auth_handlers: list[str] | None = None,
        **kwargs: Any,
    ) -> _RouteDecorator: ...

    def handoff(
        self,
        func: Callable[..., Awaitable[Any]] | None = None,
        *,
        channel_id: str | ChannelId | None = None,
        auth_handlers: list[str] | None = None,
        **kwargs: Any,
    ) -> Any:
        """Route ``handoff/action`` invokes to ``async (context, state, continuation)``.

        Usable bare (``@app.handoff``) or called (``@app.handoff(channel_id=...)``). After
        the handler returns, the app answers the invoke with status 200.
        """
        kwargs.pop("is_invoke", None)
        selector = sel.named(ActivityTypes.invoke, _HANDOFF_INVOKE_NAME)

        def register(handoff_handler: _HandlerT) -> _HandlerT:
            async def route_handler(context: TurnContext, state: StateT) -> None:
                value = context.activity.value
                continuation = value.get("continuation", "") if isinstance(value, dict) else ""
                await handoff_handler(context, state, continuation or "")
                await context.send_activity(
                    Activity(type=ActivityTypes.invoke_response, value=InvokeResponse(status=200))
                )

            self._register(selector, channel_id, auth_handlers, {**kwargs, "is_invoke": True})(
                route_handler
            )
            return handoff_handler

        if func is not None:
            return register(func)
        return register

    # -- turn hooks -----------------------------------------------------------------------

    def before_turn(self, handler: _HandlerT) -> _HandlerT:
        """Run ``async (context, state) -> bool`` before routing; ``False`` ends the turn
        (state is still saved)."""
        self._before_turn.append(handler)
        return handler

    def after_turn(self, handler: _HandlerT) -> _HandlerT:
        """Run ``async (context, state) -> bool`` after routing; ``False`` skips the remaining
        after-turn handlers (state is still saved)."""
        self._after_turn.append(handler)
        return handler

    def error(self, handler: _HandlerT) -> _HandlerT:
        """Handle any exception a turn raises: ``async (context, error)``.

        Handlers run in registration order and may still send activities. With no handler
        the exception propagates to the adapter's ``on_turn_error``.
        """
        self._error_handlers.append(handler)
        return handler
