"""Agents and middleware: the two shapes of code an adapter runs for a turn.

An :class:`Agent` handles a turn. :class:`Middleware` wraps the agent: it sees the turn first
and decides whether (and when) the rest of the pipeline runs by awaiting ``logic``.

``logic`` may be awaited with no argument or with a context: passing a different context (for
example a derived ``TurnContext``) hands that one to the rest of the pipeline.

Plain functions are not middleware (``MiddlewareSet.use`` rejects objects without an
``on_turn`` method); wrap an ``async (context, logic)`` function in :class:`FunctionMiddleware`.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING, Any, Protocol, runtime_checkable

from typing_extensions import Self

if TYPE_CHECKING:
    from ._turn_context import TurnContext

__all__ = ["Agent", "FunctionMiddleware", "Middleware", "MiddlewareSet", "NextLogic", "TurnLogic"]

TurnLogic = Callable[["TurnContext"], Awaitable[Any]]
"""``async (context) -> None``: the agent logic at the end of the pipeline."""

NextLogic = Callable[..., Awaitable[Any]]
"""``async (context=None) -> None``: continues the pipeline after a middleware."""


@runtime_checkable
class Agent(Protocol):
    """Anything that can handle a turn: ``AgentApplication``, ``ActivityHandler``, ..."""

    async def on_turn(self, context: TurnContext) -> Any:
        """Handle the turn described by ``context``."""
        ...


@runtime_checkable
class Middleware(Protocol):
    """Runs around the agent; ``await logic(context)`` (or ``logic()``) continues the turn."""

    async def on_turn(self, context: TurnContext, logic: NextLogic) -> Any:
        """Handle the turn, calling ``logic`` to let the rest of the pipeline run."""
        ...


class FunctionMiddleware:
    """Middleware made from an ``async (context, logic)`` function."""

    __slots__ = ("_func",)

    def __init__(self, func: Callable[[TurnContext, NextLogic], Awaitable[Any]]) -> None:
        if not callable(func):
            raise TypeError("FunctionMiddleware needs an async (context, logic) function")
        self._func = func

    async def on_turn(self, context: TurnContext, logic: NextLogic) -> Any:
        return await self._func(context, logic)


class MiddlewareSet:
    """An ordered list of middleware; itself usable as middleware.

    ``receive_activity_with_status(context, callback)`` runs each middleware in the order it
    was added and then ``callback``. A middleware that does not call its ``logic`` ends the
    turn there: later middleware and the callback do not run.
    """

    def __init__(self) -> None:
        self._middleware: list[Middleware] = []

    def use(self, *middleware: Middleware) -> Self:
        """Append middleware; objects without a callable ``on_turn`` raise ``TypeError``."""
        for item in middleware:
            if not callable(getattr(item, "on_turn", None)):
                raise TypeError(
                    f"{type(item).__name__} is not middleware: it has no on_turn(context, logic) "
                    "method (wrap plain functions in FunctionMiddleware)"
                )
        self._middleware.extend(middleware)
        return self

    def __len__(self) -> int:
        return len(self._middleware)

    def __iter__(self) -> Any:
        return iter(tuple(self._middleware))

    async def receive_activity_with_status(
        self, context: TurnContext, callback: TurnLogic | None
    ) -> None:
        """Run the middleware chain and then ``callback`` (when given)."""
        chain = tuple(self._middleware)
        count = len(chain)
        if count == 0:
            if callback is not None:
                await callback(context)
            return

        async def run(index: int, ctx: TurnContext) -> None:
            if index == count:
                if callback is not None:
                    await callback(ctx)
                return

            async def next_(next_context: TurnContext | None = None) -> None:
                await run(index + 1, ctx if next_context is None else next_context)

            await chain[index].on_turn(ctx, next_)

        await run(0, context)

    async def receive_activity(self, context: TurnContext) -> None:
        """Run the middleware chain without agent logic at the end."""
        await self.receive_activity_with_status(context, None)

    async def on_turn(self, context: TurnContext, logic: NextLogic) -> None:
        """Run this set as one middleware: its chain first, then ``logic``."""

        async def continue_outer(ctx: TurnContext) -> None:
            await logic(ctx)

        await self.receive_activity_with_status(context, continue_outer)
