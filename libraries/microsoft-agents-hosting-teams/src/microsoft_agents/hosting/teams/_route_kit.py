"""Building blocks of the Teams routes for ``AgentApplication``.

A Teams route helper has a selector (a function of the turn context), reads the activity's
payload into a model and calls the user's handler ``async (context, state, payload)``. For
invoke routes, a handler result that is not ``None`` becomes the ``200`` answer's body (in its
wire form without ``None`` fields); invokes whose Teams contract is an empty ``200`` get one
when the handler returns nothing.

The helper methods themselves are rows of a :class:`RouteGroup` subclass, such as
``on_x = invoke_helper(bare, name, model, doc)``: a row names what the route matches and how it
answers, and its first argument, the ``takes`` function (:func:`bare`, or one with a filter),
gives the method its parameters. So every helper is used the same way: bare (``@group.on_x``)
or called (``@group.on_x(filter, auth_handlers=..., rank=...)``), and returns the decorated
function.
"""

from __future__ import annotations

import inspect
import re
from collections.abc import Awaitable, Callable
from typing import Any, Concatenate, ParamSpec, TypeAlias, Union

from pydantic import BaseModel

from microsoft_agents.activity import Activity, ActivityTypes, InvokeResponse
from microsoft_agents.hosting.core import ChannelAdapter, RouteRank, TurnContext

from ._invoke_dispatch import is_teams, read_invoke_value
from ._teams_activity_handler import read_event_value
from ._teams_info import teams_channel_data
from .errors import TeamsBadRequestError

__all__ = [
    "AuthHandlers",
    "Helper",
    "HelperArgs",
    "Matcher",
    "PayloadHandler",
    "RouteFilterArg",
    "RouteGroup",
    "RouteRegistrar",
    "TextFilter",
    "activity_helper",
    "bare",
    "event_helper",
    "event_type_of",
    "filter_matches",
    "invoke_helper",
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

Matcher = Callable[[TextFilter, TurnContext], bool]
"""A further condition of an invoke route: ``(the helper's filter, turn context) -> bool``."""

AuthHandlers = Union[list[str], None]

HelperArgs = tuple[Union[PayloadHandler, None], TextFilter, AuthHandlers, int]
"""What a helper's arguments come to: ``(handler or None, filter, auth_handlers, rank)``."""

_P = ParamSpec("_P")


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


_RANK = RouteRank.DEFAULT


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


class RouteGroup:
    """Base of the classes whose methods are Teams route helpers (see the module docs)."""

    def __init__(self, registrar: RouteRegistrar) -> None:
        self._routes = registrar

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        for name, value in vars(cls).items():  # name the helpers after their attributes
            if getattr(value, "_is_route_helper", False):
                value.__name__ = name
                value.__qualname__ = f"{cls.__qualname__}.{name}"


def bare(
    func: PayloadHandler | None = None, *, auth_handlers: AuthHandlers = None, rank: int = _RANK
) -> HelperArgs:
    """The parameters of a helper without a filter (the ``takes`` of most rows)."""
    return func, None, auth_handlers, rank


Helper: TypeAlias = "Callable[Concatenate[RouteGroup, _P], Any]"
"""A route helper method taking what its row's ``takes`` function takes."""


def _helper(
    takes: Callable[_P, HelperArgs], doc: str, register: Callable[[RouteRegistrar, HelperArgs], Any]
) -> Helper[_P]:
    """A helper method with the parameters of ``takes``; ``register`` adds the route."""

    def helper(group: RouteGroup, /, *args: _P.args, **kwargs: _P.kwargs) -> Any:
        return register(group._routes, takes(*args, **kwargs))

    signature = inspect.signature(takes)
    this = inspect.Parameter("self", inspect.Parameter.POSITIONAL_OR_KEYWORD)
    helper.__signature__ = signature.replace(  # type: ignore[attr-defined]
        parameters=[this, *signature.parameters.values()], return_annotation=Any
    )
    helper.__doc__ = doc
    helper._is_route_helper = True  # type: ignore[attr-defined]
    return helper


def invoke_helper(
    takes: Callable[_P, HelperArgs],
    name: str,
    model: type[BaseModel] | None,
    doc: str,
    *,
    match: Matcher | None = None,
    empty_answer: bool = False,
) -> Helper[_P]:
    """A helper for the Teams invoke ``name`` whose value is read as ``model`` (``None``: the
    raw value). ``match``, given the helper's filter, narrows the route further;
    ``empty_answer``: answer an empty ``200`` when the handler returns nothing."""

    def register(routes: RouteRegistrar, args: HelperArgs) -> Any:
        func, text_filter, auth_handlers, rank = args
        extra = None if match is None else _matching(match, text_filter)
        return routes.invoke(
            func,
            name,
            model,
            extra=extra,
            empty_answer=empty_answer,
            auth_handlers=auth_handlers,
            rank=rank,
        )

    return _helper(takes, doc, register)


def _matching(match: Matcher, text_filter: TextFilter) -> Selector:
    return lambda context: match(text_filter, context)


def activity_helper(
    takes: Callable[_P, HelperArgs],
    selector: Selector,
    doc: str,
    payload: Callable[[TurnContext], Any] | None = None,
) -> Helper[_P]:
    """A helper for the (non-invoke) Teams activities ``selector`` accepts; ``payload`` reads
    the handler's third argument (``None``: handlers take ``(context, state)``). Such routes
    have no filter: ``takes`` is :func:`bare`."""

    def register(routes: RouteRegistrar, args: HelperArgs) -> Any:
        func, _, auth_handlers, rank = args
        return routes.activity(func, selector, payload, auth_handlers=auth_handlers, rank=rank)

    return _helper(takes, doc, register)


def event_helper(
    takes: Callable[_P, HelperArgs], name: str, model: type[BaseModel], doc: str
) -> Helper[_P]:
    """A helper for the Teams ``event`` activity ``name``, its value read as ``model``."""

    def selector(context: TurnContext) -> bool:
        activity = context.activity
        return activity.type == ActivityTypes.event and activity.name == name

    return activity_helper(
        takes, selector, doc, lambda context: read_event_value(model, context.activity.value)
    )
