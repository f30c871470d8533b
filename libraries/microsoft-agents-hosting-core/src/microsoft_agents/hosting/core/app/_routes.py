"""Routes of an ``AgentApplication`` and the ordered table they are evaluated from."""

from __future__ import annotations

import bisect
import inspect
import itertools
import logging
from collections.abc import Awaitable, Callable, Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Generic, Protocol, TypeVar

from ..errors import ApplicationError, error_resources
from ..telemetry import span, tracing_enabled
from ._options import RouteRank

if TYPE_CHECKING:
    from .._turn_context import TurnContext
    from .oauth import Authorization
    from .state import TurnState

__all__ = ["Route", "RouteHandler", "RouteSelector", "StateT"]

logger = logging.getLogger(__name__)

StateT = TypeVar("StateT", bound="TurnState")
"""The state type of an application: ``AgentApplication[TurnState]`` or a subclass."""

_StateContra = TypeVar("_StateContra", bound="TurnState", contravariant=True)
_HandlerT = TypeVar("_HandlerT", bound=Callable[..., Awaitable[Any]])

RouteSelector = Callable[["TurnContext"], "bool | Awaitable[bool]"]
"""Decides whether a route handles the turn: ``(context) -> bool`` (may be ``async``)."""


class RouteHandler(Protocol[_StateContra]):
    """The handler of a route: ``async def handler(context, state) -> None``."""

    def __call__(self, context: TurnContext, state: _StateContra, /) -> Awaitable[Any]: ...


class _RouteDecorator(Protocol):
    """Registers the decorated function as a route and returns it unchanged."""

    def __call__(self, func: _HandlerT, /) -> _HandlerT: ...


_MIN_RANK = int(RouteRank.FIRST)
_MAX_RANK = int(RouteRank.LAST)


def _check_rank(rank: object) -> int:
    if isinstance(rank, bool) or not isinstance(rank, int):
        raise ValueError(f"route rank must be an integer from 0 to 65535, not {rank!r}")
    if not _MIN_RANK <= rank <= _MAX_RANK:
        raise ValueError(f"route rank must be from 0 to 65535, got {rank}")
    return int(rank)


@dataclass
class Route(Generic[StateT]):
    """One entry of the route table: a selector, its handler and how it is ordered.

    ``auth_handlers`` names the user sign-in handlers that must have a token before the
    handler runs.
    """

    selector: RouteSelector
    handler: RouteHandler[StateT]
    is_invoke: bool = False
    is_agentic: bool = False
    rank: int = RouteRank.DEFAULT
    auth_handlers: list[str] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.rank = _check_rank(self.rank)
        self.auth_handlers = list(self.auth_handlers or [])

    async def matches(self, context: TurnContext) -> bool:
        """Run the selector (sync or async) for this turn."""
        result = self.selector(context)
        if result is True or result is False:  # most selectors are plain functions
            return result
        if inspect.isawaitable(result):
            result = await result
        return bool(result)


class _RouteList(Generic[StateT]):
    """Routes kept in evaluation order.

    Invoke routes come first, then agentic routes, then the rest; inside each group lower
    ranks come first and equal ranks keep their registration order.
    """

    def __init__(self) -> None:
        self._entries: list[tuple[tuple[int, int, int, int], Route[StateT]]] = []
        self._counter = itertools.count()
        self._snapshot: tuple[Route[StateT], ...] | None = None

    def add(self, route: Route[StateT]) -> None:
        key = (
            0 if route.is_invoke else 1,
            0 if route.is_agentic else 1,
            route.rank,
            next(self._counter),
        )
        bisect.insort(self._entries, (key, route), key=lambda entry: entry[0])
        self._snapshot = None

    def _routes(self) -> tuple[Route[StateT], ...]:
        # A snapshot: routes added while a turn runs apply from the next turn on.
        snapshot = self._snapshot
        if snapshot is None:
            snapshot = self._snapshot = tuple(route for _, route in self._entries)
        return snapshot

    def __iter__(self) -> Iterator[Route[StateT]]:
        return iter(self._routes())

    def __len__(self) -> int:
        return len(self._entries)

    def match_now(
        self, context: TurnContext
    ) -> tuple[Route[StateT] | None, Awaitable[Route[StateT] | None] | None]:
        """The first match, found without a coroutine when every selector asked answers at
        once (the usual case): ``(route or None, None)``. Otherwise ``(None, pending)``:
        awaiting ``pending`` finishes the search where it stopped (no selector runs twice).
        """
        routes = self._routes()
        for index, route in enumerate(routes):
            if type(route).matches is not _MATCHES:
                return None, self._match_from(context, routes, index, None)
            matched = route.selector(context)
            if matched is True:
                return route, None
            if matched is False:
                continue
            if inspect.isawaitable(matched):
                return None, self._match_from(context, routes, index, matched)
            if matched:
                return route, None
        return None, None

    async def _match_from(
        self,
        context: TurnContext,
        routes: tuple[Route[StateT], ...],
        index: int,
        pending: Awaitable[Any] | None,
    ) -> Route[StateT] | None:
        for position in range(index, len(routes)):
            route = routes[position]
            matched: Any
            if pending is not None and position == index:
                matched = await pending
            elif type(route).matches is not _MATCHES:
                matched = await route.matches(context)
            else:  # what Route.matches does, without a coroutine per route
                matched = route.selector(context)
                if matched is not True and matched is not False and inspect.isawaitable(matched):
                    matched = await matched
            if matched:
                return route
        return None

    async def first_match(self, context: TurnContext) -> Route[StateT] | None:
        """The first route whose selector accepts the turn, or ``None``."""
        route, pending = self.match_now(context)
        return await pending if pending is not None else route


_MATCHES = Route.matches


class _DispatchMixin(Generic[StateT]):
    """Running the route that matches a turn (part of ``AgentApplication``)."""

    _routes: _RouteList[StateT]
    _auth: Authorization | None

    def _dispatch(self, context: TurnContext, state: StateT) -> Awaitable[None] | None:
        """What running the matched route takes, or ``None`` when no route matched.

        In the usual case (plain selectors, no sign-in, no tracing) that is the handler's own
        coroutine: routing adds no coroutine of its own to the turn.
        """
        route, pending = self._routes.match_now(context)
        if pending is not None:
            return self._run_route(context, state, None, pending)
        if route is None:
            self._no_route(context)
            return None
        if route.auth_handlers or tracing_enabled():
            return self._run_route(context, state, route, None)
        return route.handler(context, state)

    async def _run_route(
        self,
        context: TurnContext,
        state: StateT,
        route: Route[StateT] | None,
        pending: Awaitable[Route[StateT] | None] | None,
    ) -> None:
        if pending is not None:
            route = await pending
            if route is None:
                self._no_route(context)
                return
        assert route is not None
        if route.auth_handlers and not await self._authorize(context, state, route):
            return
        if tracing_enabled():
            with span("agent_application.route", is_invoke=route.is_invoke):
                await route.handler(context, state)
        else:
            await route.handler(context, state)

    @staticmethod
    def _no_route(context: TurnContext) -> None:
        logger.warning(
            "no route matched the %r activity (name=%r)",
            context.activity.type,
            context.activity.name,
        )

    async def _authorize(self, context: TurnContext, state: StateT, route: Route[StateT]) -> bool:
        if self._auth is None:
            raise ApplicationError(
                error_resources.UserAuthorizationNotConfigured.format(route.auth_handlers)
            )
        known = self._auth.handler_ids
        for handler_id in route.auth_handlers:
            if handler_id not in known:
                raise ApplicationError(
                    error_resources.UnknownAuthHandler.format(
                        handler_id, ", ".join(known) or "none"
                    )
                )
        return await self._auth._authorize_route(context, state, route.auth_handlers)
