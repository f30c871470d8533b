"""The channel-service API an agent hosts for the agents it calls, as data plus one dispatcher.

:data:`CHANNEL_SERVICE_ROUTES` lists every route (verb, path template, handler method, body
model, result kind). A web host only mounts each route at ``base_url + path`` and forwards
matching requests to :meth:`ChannelServiceRoutes.handle`; all parsing, dispatching and
rendering happens here, so every host behaves the same.

The order matters and is kept from the published SDK: hosts match routes in registration
order, so ``POST .../activities/history`` is caught by ``POST .../activities/{activity_id}``
(a reply with activity id ``history``) before the history route is reached.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum
from typing import Any

from pydantic import BaseModel

from microsoft_agents.activity import (
    Activity,
    AttachmentData,
    ConversationParameters,
    Transcript,
)

from .._channel_api_handler import ChannelApiHandlerProtocol
from ..authorization import ClaimsIdentity
from ._body import (
    DEFAULT_MAX_BODY_BYTES,
    BadRequestBody,
    is_json_media_type,
    parse_model,
    read_json_body,
)
from ._messages import HttpRequestProtocol, HttpResponse, HttpResponseFactory, get_header

__all__ = [
    "CHANNEL_SERVICE_ROUTES",
    "ChannelServiceRoute",
    "ChannelServiceRoutes",
    "RouteResult",
]


class RouteResult(str, Enum):
    """How a route renders what its handler returned."""

    MODEL = "model"
    """One model as a JSON object (``{}`` when the handler returned nothing)."""
    MODEL_LIST = "model_list"
    """A list of models as a JSON array."""
    EMPTY = "empty"
    """Nothing: ``200`` with an empty body."""
    MODEL_OR_EMPTY_OBJECT = "model_or_empty_object"
    """The returned model, or ``{}``."""


@dataclass(frozen=True)
class ChannelServiceRoute:
    """One route of the channel-service API.

    ``arguments`` names the path parameters passed to the handler after the claims, in call
    order (``None`` passes ``None``); the parsed body, when ``body_model`` is set, comes last.
    """

    name: str
    method: str
    path: str
    handler_name: str
    arguments: tuple[str | None, ...]
    body_model: type[BaseModel] | None
    result: RouteResult


_CONVERSATION = "/v3/conversations/{conversation_id}"
_ACTIVITY = _CONVERSATION + "/activities/{activity_id}"
_CID = "conversation_id"
_AID = "activity_id"

CHANNEL_SERVICE_ROUTES: tuple[ChannelServiceRoute, ...] = (
    ChannelServiceRoute(
        "send_to_conversation", "POST", _CONVERSATION + "/activities",
        "on_send_to_conversation", (_CID,), Activity, RouteResult.MODEL,
    ),
    ChannelServiceRoute(
        "reply_to_activity", "POST", _ACTIVITY,
        "on_reply_to_activity", (_CID, _AID), Activity, RouteResult.MODEL,
    ),
    ChannelServiceRoute(
        "update_activity", "PUT", _ACTIVITY,
        "on_update_activity", (_CID, _AID), Activity, RouteResult.MODEL,
    ),
    ChannelServiceRoute(
        "delete_activity", "DELETE", _ACTIVITY,
        "on_delete_activity", (_CID, _AID), None, RouteResult.EMPTY,
    ),
    ChannelServiceRoute(
        "get_activity_members", "GET", _ACTIVITY + "/members",
        "on_get_activity_members", (_CID, _AID), None, RouteResult.MODEL_LIST,
    ),
    ChannelServiceRoute(
        "create_conversation", "POST", "/",
        "on_create_conversation", (), ConversationParameters, RouteResult.MODEL,
    ),
    ChannelServiceRoute(
        "get_conversations", "GET", "/",
        "on_get_conversations", (None,), None, RouteResult.MODEL,
    ),
    ChannelServiceRoute(
        "get_conversation_members", "GET", _CONVERSATION + "/members",
        "on_get_conversation_members", (_CID,), None, RouteResult.MODEL_LIST,
    ),
    ChannelServiceRoute(
        "get_conversation_member", "GET", _CONVERSATION + "/members/{member_id}",
        "on_get_conversation_member", ("member_id", _CID), None, RouteResult.MODEL,
    ),
    ChannelServiceRoute(
        "get_conversation_paged_members", "GET", _CONVERSATION + "/pagedmembers",
        "on_get_conversation_paged_members", (_CID,), None, RouteResult.MODEL,
    ),
    ChannelServiceRoute(
        "delete_conversation_member", "DELETE", _CONVERSATION + "/members/{member_id}",
        "on_delete_conversation_member", (_CID, "member_id"), None,
        RouteResult.MODEL_OR_EMPTY_OBJECT,
    ),
    ChannelServiceRoute(
        "send_conversation_history", "POST", _CONVERSATION + "/activities/history",
        "on_send_conversation_history", (_CID,), Transcript, RouteResult.MODEL,
    ),
    ChannelServiceRoute(
        "upload_attachment", "POST", _CONVERSATION + "/attachments",
        "on_upload_attachment", (_CID,), AttachmentData, RouteResult.MODEL,
    ),
)  # fmt: skip
"""Every channel-service route, in the order hosts must register them."""

_BY_NAME = {route.name: route for route in CHANNEL_SERVICE_ROUTES}


def _dump(value: Any) -> Any:
    if isinstance(value, BaseModel):
        return value.model_dump(mode="json", by_alias=True, exclude_unset=True)
    if isinstance(value, (list, tuple)):
        return [_dump(item) for item in value]
    return value


class ChannelServiceRoutes:
    """Runs channel-service requests against a :class:`ChannelApiHandlerProtocol`.

    ``ChannelServiceRoutes(handler, base_url="")``: :attr:`routes` lists the routes and
    :meth:`path_of` gives where to mount each; :meth:`handle` answers a request for one of
    them. Route bodies must be sent as JSON (``415`` otherwise) and are limited to
    ``max_body_bytes`` (``413``); an invalid body gets ``400``. A handler raising
    ``PermissionError`` gives ``401``, ``NotImplementedError`` gives ``501``; other exceptions
    propagate to the host.
    """

    routes: tuple[ChannelServiceRoute, ...] = CHANNEL_SERVICE_ROUTES

    def __init__(
        self,
        handler: ChannelApiHandlerProtocol,
        base_url: str = "",
        *,
        max_body_bytes: int = DEFAULT_MAX_BODY_BYTES,
    ) -> None:
        if handler is None:
            raise TypeError("ChannelServiceRoutes needs a ChannelApiHandlerProtocol handler")
        self.handler = handler
        self.base_url = base_url
        self.max_body_bytes = max_body_bytes

    def path_of(self, route: ChannelServiceRoute) -> str:
        """Where ``route`` is mounted: ``base_url`` (without trailing ``/``) + its path."""
        return self.base_url.rstrip("/") + route.path

    # -- dispatching -----------------------------------------------------------------------

    async def handle(
        self, route: ChannelServiceRoute, request: HttpRequestProtocol
    ) -> HttpResponse:
        """Answer ``request`` for ``route``: ``200`` with the JSON result, or an error."""
        try:
            result = await self.invoke(route, request)
        except BadRequestBody as bad:
            return bad.response
        except PermissionError:
            return HttpResponseFactory.unauthorized()
        except NotImplementedError:
            return HttpResponseFactory.not_implemented()
        if route.result is RouteResult.EMPTY:
            return HttpResponseFactory.ok()
        return HttpResponseFactory.json(result)

    async def invoke(self, route: ChannelServiceRoute, request: HttpRequestProtocol) -> Any:
        """Call the handler for ``route`` and return its result rendered as JSON data.

        :raises BadRequestBody: when the body is missing, too large or invalid.
        """
        claims = request.get_claims_identity() or ClaimsIdentity()
        arguments: list[Any] = [
            None if name is None else request.get_path_param(name) for name in route.arguments
        ]
        if route.body_model is not None:
            data = await read_json_body(
                request, max_bytes=self.max_body_bytes, require_content_type=True
            )
            arguments.append(parse_model(data, route.body_model))
        result = await getattr(self.handler, route.handler_name)(claims, *arguments)
        if route.result is RouteResult.EMPTY:
            return None
        if route.result is RouteResult.MODEL_LIST:
            return _dump(result) if result is not None else []
        return _dump(result) if result is not None else {}

    # -- helpers kept from the published interface -------------------------------------------

    @staticmethod
    async def deserialize_from_body(
        request: HttpRequestProtocol, target_model: type[BaseModel]
    ) -> BaseModel:
        """The JSON body validated as ``target_model``.

        :raises ValueError: when the ``Content-Type`` is not JSON or the body is invalid.
        """
        if not is_json_media_type(get_header(request.headers, "Content-Type")):
            raise ValueError("the request body must be sent as application/json")
        return target_model.model_validate(await request.json())

    @staticmethod
    def serialize_model(model_or_list: Any) -> Any:
        """A model (or list of models) dumped by alias without unset fields."""
        return _dump(model_or_list)

    async def _named(self, name: str, request: HttpRequestProtocol) -> Any:
        return await self.invoke(_BY_NAME[name], request)

    async def send_to_conversation(self, request: HttpRequestProtocol) -> Any:
        return await self._named("send_to_conversation", request)

    async def reply_to_activity(self, request: HttpRequestProtocol) -> Any:
        return await self._named("reply_to_activity", request)

    async def update_activity(self, request: HttpRequestProtocol) -> Any:
        return await self._named("update_activity", request)

    async def delete_activity(self, request: HttpRequestProtocol) -> None:
        await self._named("delete_activity", request)

    async def get_activity_members(self, request: HttpRequestProtocol) -> Any:
        return await self._named("get_activity_members", request)

    async def create_conversation(self, request: HttpRequestProtocol) -> Any:
        return await self._named("create_conversation", request)

    async def get_conversations(self, request: HttpRequestProtocol) -> Any:
        return await self._named("get_conversations", request)

    async def get_conversation_members(self, request: HttpRequestProtocol) -> Any:
        return await self._named("get_conversation_members", request)

    async def get_conversation_member(self, request: HttpRequestProtocol) -> Any:
        return await self._named("get_conversation_member", request)

    async def get_conversation_paged_members(self, request: HttpRequestProtocol) -> Any:
        return await self._named("get_conversation_paged_members", request)

    async def delete_conversation_member(self, request: HttpRequestProtocol) -> Any:
        return await self._named("delete_conversation_member", request)

    async def send_conversation_history(self, request: HttpRequestProtocol) -> Any:
        return await self._named("send_conversation_history", request)

    async def upload_attachment(self, request: HttpRequestProtocol) -> Any:
        return await self._named("upload_attachment", request)
