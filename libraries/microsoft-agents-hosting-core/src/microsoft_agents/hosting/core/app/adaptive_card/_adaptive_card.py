"""``app.adaptive_card``: decorators for Adaptive Card actions and dynamic searches."""

from __future__ import annotations

import logging
import re
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import asdict
from http import HTTPStatus
from typing import TYPE_CHECKING, Any, Protocol, TypeVar

from microsoft_agents.activity import (
    Activity,
    ActivityTypes,
    AdaptiveCardInvokeResponse,
    ChannelId,
    ContentTypes,
    InvokeResponse,
)

from .models import AdaptiveCardSearchParams, AdaptiveCardSearchResult, Query

if TYPE_CHECKING:
    from ..._turn_context import TurnContext

__all__ = ["AdaptiveCard"]

logger = logging.getLogger(__name__)

_ACTION_INVOKE = "adaptiveCard/action"
_SEARCH_INVOKE = "application/search"
_ACTION_EXECUTE = "Action.Execute"

_FuncT = TypeVar("_FuncT", bound=Callable[..., Awaitable[Any]])


class _RouteRegistry(Protocol):
    def add_route(
        self,
        selector: Callable[[TurnContext], bool],
        handler: Callable[[TurnContext, Any], Awaitable[Any]],
        is_invoke: bool = ...,
        is_agentic: bool = ...,
        rank: int = ...,
        auth_handlers: list[str] | None = ...,
    ) -> None: ...


def _matches(select: str | re.Pattern[str], value: object) -> bool:
    if not isinstance(value, str):
        return False
    if isinstance(select, str):
        return value == select
    return select.search(value) is not None


def _error(status: HTTPStatus, code: str, message: str) -> AdaptiveCardInvokeResponse:
    return AdaptiveCardInvokeResponse(
        status_code=int(status),
        type=ContentTypes.error,
        value={"code": code, "message": message},
    )


def _bad_request(message: str) -> AdaptiveCardInvokeResponse:
    return _error(HTTPStatus.BAD_REQUEST, "BadRequest", message)


def _invoke_value(context: TurnContext, name: str) -> Mapping[str, Any] | None:
    activity = context.activity
    if activity.type != ActivityTypes.invoke or activity.name != name:
        return None
    return activity.value if isinstance(activity.value, Mapping) else None


async def _reply(context: TurnContext, body: AdaptiveCardInvokeResponse, status: int) -> None:
    await context.send_activity(
        Activity(
            type=ActivityTypes.invoke_response,
            value=InvokeResponse(
                status=status,
                body=body.model_dump(mode="json", by_alias=True, exclude_none=True),
            ),
        )
    )


class AdaptiveCard:
    """Registers Adaptive Card routes on an application (``app.adaptive_card``)."""

    def __init__(self, app: _RouteRegistry) -> None:
        self._app = app

    def action_execute(
        self, verb: str | re.Pattern[str], *, auth_handlers: list[str] | None = None, **kwargs: Any
    ) -> Callable[[_FuncT], _FuncT]:
        """Route ``adaptiveCard/action`` invokes whose ``action.verb`` matches ``verb``
        (equal string, or regex *search*) to ``async (context, state, data)``.

        ``data`` is the action's ``data`` dict. The returned ``AdaptiveCardInvokeResponse``
        (default ``{"statusCode": 200}``) is sent as the invoke response with HTTP 200.
        Actions other than ``Action.Execute`` get a ``NotSupported`` error body instead.
        """

        def selector(context: TurnContext) -> bool:
            value = _invoke_value(context, _ACTION_INVOKE)
            action = value.get("action") if value is not None else None
            return isinstance(action, Mapping) and _matches(verb, action.get("verb"))

        def register(func: _FuncT) -> _FuncT:
            async def handler(context: TurnContext, state: Any) -> None:
                action = dict(context.activity.value.get("action") or {})
                response: AdaptiveCardInvokeResponse | None
                if action.get("type") != _ACTION_EXECUTE:
                    response = _error(
                        HTTPStatus.NOT_IMPLEMENTED,
                        "NotSupported",
                        f"The Invoke Action '{action.get('type')}' was not expected.",
                    )
                else:
                    data = action.get("data")
                    result = await func(context, state, data if data is not None else {})
                    response = _as_invoke_response(result)
                await _reply(context, response, int(HTTPStatus.OK))

            kwargs.pop("is_invoke", None)
            self._app.add_route(
                selector, handler, is_invoke=True, auth_handlers=auth_handlers, **kwargs
            )
            return func

        return register

    def action_submit(
        self,
        verb: str | re.Pattern[str],
        *,
        auth_handlers: list[str] | None = None,
        submit_filter: str = "verb",
        **kwargs: Any,
    ) -> Callable[[_FuncT], _FuncT]:
        """Route ``Action.Submit`` messages (no text, a dict ``value``) whose
        ``value[submit_filter]`` matches ``verb`` to ``async (context, state, data)``, where
        ``data`` is the submitted ``value``."""

        def selector(context: TurnContext) -> bool:
            activity = context.activity
            if activity.type != ActivityTypes.message or activity.text:
                return False
            value = activity.value
            return isinstance(value, Mapping) and _matches(verb, value.get(submit_filter))

        def register(func: _FuncT) -> _FuncT:
            async def handler(context: TurnContext, state: Any) -> None:
                await func(context, state, context.activity.value)

            kwargs.pop("is_invoke", None)
            self._app.add_route(selector, handler, auth_handlers=auth_handlers, **kwargs)
            return func

        return register

    def search(
        self,
        dataset: str | re.Pattern[str],
        *,
        auth_handlers: list[str] | None = None,
        **kwargs: Any,
    ) -> Callable[[_FuncT], _FuncT]:
        """Route ``application/search`` invokes for ``dataset`` to
        ``async (context, state, query) -> list[AdaptiveCardSearchResult]``.

        ``query`` is a ``Query[AdaptiveCardSearchParams]`` (``count`` = requested ``top``).
        The reply body is ``{"statusCode": 200, "type":
        "application/vnd.microsoft.search.searchResponse", "value": {"results": [...]}}``;
        a malformed request gets a ``BadRequest`` body with HTTP 400.
        """

        def selector(context: TurnContext) -> bool:
            value = _invoke_value(context, _SEARCH_INVOKE)
            return value is not None and _matches(dataset, value.get("dataset"))

        def register(func: _FuncT) -> _FuncT:
            async def handler(context: TurnContext, state: Any) -> None:
                query, problem = _parse_search(context)
                if query is None:
                    await _reply(context, problem, int(HTTPStatus.BAD_REQUEST))
                    return
                results = await func(context, state, query)
                body = AdaptiveCardInvokeResponse(
                    status_code=int(HTTPStatus.OK),
                    type=ContentTypes.search_response,
                    value={"results": [_result_json(r) for r in results or []]},
                )
                await _reply(context, body, int(HTTPStatus.OK))

            kwargs.pop("is_invoke", None)
            self._app.add_route(
                selector, handler, is_invoke=True, auth_handlers=auth_handlers, **kwargs
            )
            return func

        return register


def _as_invoke_response(result: object) -> AdaptiveCardInvokeResponse:
    if result is None:
        return AdaptiveCardInvokeResponse(status_code=int(HTTPStatus.OK))
    if isinstance(result, AdaptiveCardInvokeResponse):
        return result
    return AdaptiveCardInvokeResponse.model_validate(result)


def _result_json(result: AdaptiveCardSearchResult | Mapping[str, Any]) -> dict[str, Any]:
    if isinstance(result, AdaptiveCardSearchResult):
        return asdict(result)
    return dict(result)


def _as_int(value: object, default: int) -> int:
    if isinstance(value, bool):
        return default
    if isinstance(value, int):
        return value
    if isinstance(value, str) and value.strip().isdigit():
        return int(value)
    return default


def _parse_search(
    context: TurnContext,
) -> tuple[Query[AdaptiveCardSearchParams] | None, AdaptiveCardInvokeResponse]:
    value = context.activity.value
    missing: list[str] = []
    kind = value.get("kind")
    if not kind and ChannelId.get_channel(context.activity.channel_id) != "msteams":
        # Teams leaves ``kind`` out of search invokes; everywhere else it is required.
        missing.append("kind")
    query_text = value.get("queryText", value.get("query_text"))
    if not isinstance(query_text, str) or not query_text:
        missing.append("queryText")
    if missing:
        return None, _bad_request(f"Missing '{', '.join(missing)}' property for search")
    options = value.get("queryOptions", value.get("query_options"))
    options = options if isinstance(options, Mapping) else {}
    query = Query(
        count=_as_int(options.get("top"), 25),
        skip=_as_int(options.get("skip"), 0),
        parameters=AdaptiveCardSearchParams(
            query_text=str(query_text), dataset=str(value.get("dataset") or "")
        ),
    )
    return query, AdaptiveCardInvokeResponse()
