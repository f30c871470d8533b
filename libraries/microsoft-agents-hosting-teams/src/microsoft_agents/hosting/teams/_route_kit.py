"""Building blocks of the Teams routes for ``AgentApplication``.

A Teams route helper has a selector (a function of the turn context), reads the activity's
payload into a model and calls the user's handler ``async (context, state, payload)``. For
invoke routes, a handler result that is not ``None`` becomes the ``200`` answer's body (in its
wire form without ``None`` fields); invokes whose Teams contract is an empty ``200`` get one
when the handler returns nothing.
"""

from __future__ import annotations

import re
from collections.abc import Awaitable, Callable
from typing import Any, Union

from pydantic import BaseModel

from microsoft_agents.activity import Activity, ActivityTypes, InvokeResponse
from microsoft_agents.hosting.core import ChannelAdapter, RouteRank, TurnContext

from ._invoke_dispatch import is_teams, read_invoke_value
from ._teams_info import teams_channel_data
from .errors import TeamsBadRequestError

__all__ = [
    "PayloadHandler",
    "RouteFilterArg",
    "RouteRegistrar",
    "TextFilter",
    "event_type_of",
    "filter_matches",
    "invoke_named",
    "split_filter",
    "value_field",
]

TextFilter = Union[str, "re.Pattern[str]", None]
"""``None`` matches anything, a string matches itself, a regex matches with ``re.match``."""

PayloadHandler = Callable[..., Awaitable[Any]]
"""``async (context, state, payload)`` — or ``async (context, state)`` for payload-less routes."""

RouteFilterArg = Union[str, "re.Pattern[str]", PayloadHandler, None]
"""The first argument of a filtered route helper: the filter, or the handler itself when the
helper is used as a bare decorator."""

Selector = Callable[[TurnContext], bool]


def filter_matches(text_filter: TextFilter, value: Any) -> bool:
    """Whether ``value`` passes ``text_filter`` (see :data:`TextFilter`)."""
    if text_filter is None:
        return True
    if not isinstance(value, str):
        return False
    if isinstance(text_filter, re.Pattern):
        return text_filter.match(value) is not None
    return value == text_filter


def split_filter(arg: RouteFilterArg) -> tuple[PayloadHandler | None, TextFilter]:
    """``(handler, None)`` for a bare decorator use, else ``(None, filter)``."""
    if arg is None or isinstance(arg, (str, re.Pattern)):
        return None, arg
    if callable(arg):
        return arg, None
    raise TypeError(f"expected a string, a compiled regex or a handler, not {type(arg).__name__}")


def value_field(activity: Activity, *path: str) -> Any:
    """A field of the activity's ``value`` by its wire names (``None`` when absent)."""
    current: Any = activity.value
    for key in path:
        if isinstance(current, BaseModel):
            current = current.model_dump(mode="json", by_alias=True, exclude_unset=True)
        if not isinstance(current, dict):
            return None
        current = current.get(key)
    return current


def event_type_of(activity: Activity) -> str | None:
    """The ``eventType`` of the activity's channel data (``event_type`` is accepted too)."""
    channel_data = teams_channel_data(activity)
    return channel_data.event_type if channel_data is not None else None


def invoke_named(name: str) -> Selector:
    """A Teams ``invoke`` named ``name``."""

    def selector(context: TurnContext) -> bool:
        activity = context.activity
        return activity.type == ActivityTypes.invoke and activity.name == name and is_teams(context)

    return selector


def _all(*selectors: Selector) -> Selector:
    return lambda context: all(selector(context) for selector in selectors)


async def _answer(context: TurnContext, response: InvokeResponse) -> None:
    if context.turn_state.get(ChannelAdapter.INVOKE_RESPONSE_KEY) is not None:
        return  # the handler answered the invoke itself
    value = response.model_dump(mode="json", by_alias=True, exclude_none=True)
    await context.send_activity(Activity(type=ActivityTypes.invoke_response, value=value))


def _wire(result: Any) -> Any:
    if isinstance(result, BaseModel):
        return result.model_dump(mode="json", by_alias=True, exclude_none=True)
    return result


class RouteRegistrar:
    """Registers Teams routes on an ``AgentApplication``; shared by the route helpers."""

    def __init__(self, app: Any) -> None:
        if app is None:
            raise TypeError("the Teams route helpers need an AgentApplication")
        self._app = app

    @property
    def app(self) -> Any:
        """The ``AgentApplication`` the routes are added to."""
        return self._app

    def decorate(
        self,
        func: PayloadHandler | None,
        selector: Selector,
        *,
        payload: Callable[[TurnContext], Any] | None,
        invoke: bool,
        empty_answer: bool = False,
        auth_handlers: list[str] | None,
        rank: int,
    ) -> Any:
        """Register ``func`` (or return a decorator that does, when ``func`` is ``None``).

        ``payload`` reads the third handler argument from the turn (``None``: the handler
        takes only ``(context, state)``). Invoke routes answer as the module docs describe; a
        payload that cannot be read answers ``400``.
        """

        def register(handler: PayloadHandler) -> PayloadHandler:
            async def route(context: TurnContext, state: Any) -> None:
                if payload is None:
                    result = await handler(context, state)
                else:
                    try:
                        value = payload(context)
                    except TeamsBadRequestError:
                        if not invoke:
                            raise
                        await _answer(context, InvokeResponse(status=400))
                        return
                    result = await handler(context, state, value)
                if not invoke:
                    return
                if result is not None:
                    await _answer(context, InvokeResponse(status=200, body=_wire(result)))
                elif empty_answer:
                    await _answer(context, InvokeResponse(status=200))

            self._app.add_route(
                selector,
                route,
                is_invoke=invoke,
                rank=rank,
                auth_handlers=auth_handlers,
            )
            return handler

        return register(func) if func is not None else register

    def invoke(
        self,
        func: PayloadHandler | None,
        name: str,
        model: type[BaseModel] | None,
        *,
        extra: Selector | None = None,
        empty_answer: bool = False,
        auth_handlers: list[str] | None = None,
        rank: int = RouteRank.DEFAULT,
    ) -> Any:
        """A route for the Teams invoke ``name`` whose value is read as ``model`` (``None``:
        the raw value)."""
        selector = invoke_named(name) if extra is None else _all(invoke_named(name), extra)

        def read(context: TurnContext) -> Any:
            value = context.activity.value
            return value if model is None else read_invoke_value(model, value)

        return self.decorate(
            func,
            selector,
            payload=read,
            invoke=True,
            empty_answer=empty_answer,
            auth_handlers=auth_handlers,
            rank=rank,
        )

    def activity(
        self,
        func: PayloadHandler | None,
        selector: Selector,
        payload: Callable[[TurnContext], Any] | None = None,
        *,
        auth_handlers: list[str] | None = None,
        rank: int = RouteRank.DEFAULT,
    ) -> Any:
        """A non-invoke route for Teams activities that ``selector`` accepts."""
        return self.decorate(
            func,
            _all(is_teams, selector),
            payload=payload,
            invoke=False,
            auth_handlers=auth_handlers,
            rank=rank,
        )
