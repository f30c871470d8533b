"""The framework-neutral HTTP core: responses, body checks, the auth header, channel routes."""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

import pytest

from microsoft_agents.activity import Activity, ConversationParameters
from microsoft_agents.hosting.core.authorization import ClaimsIdentity
from microsoft_agents.hosting.core.http import (
    CHANNEL_SERVICE_ROUTES,
    BadRequestBody,
    ChannelServiceRoutes,
    HttpResponse,
    HttpResponseFactory,
    RouteResult,
    check_authorization_header,
    get_header,
    is_json_media_type,
    parse_activity,
    read_json_body,
)
from microsoft_agents.hosting.core.testing.host_contract import RecordingChannelApiHandler


class MemoryRequest:
    """An in-memory ``HttpRequestProtocol`` request."""

    def __init__(
        self,
        body: bytes = b"",
        *,
        method: str = "POST",
        headers: Mapping[str, str] | None = None,
        params: dict[str, str] | None = None,
        claims: ClaimsIdentity | None = None,
        streamed: bool = True,
    ) -> None:
        self.method = method
        default = {"Content-Type": "application/json"}
        self.headers = dict(headers if headers is not None else default)
        self.body = body
        self.params = params or {}
        self.claims = claims
        self.read_limits: list[int] = []
        if not streamed:
            self.read_body = None  # type: ignore[assignment]  # a request without read_body

    async def json(self) -> Any:
        return json.loads(self.body)

    def get_claims_identity(self) -> ClaimsIdentity | None:
        return self.claims

    def get_path_param(self, name: str) -> str:
        return self.params[name]

    async def read_body(self, max_bytes: int) -> bytes:
        self.read_limits.append(max_bytes)
        return self.body[: max_bytes + 1]


def test_responses_render_json_the_same_way_for_every_host() -> None:
    response = HttpResponseFactory.json({"b": [1, None], "a": "é"}, 201)
    assert (response.status_code, response.content_type) == (201, "application/json")
    # Compact JSON in UTF-8 (the content type says so), keys in their order.
    assert response.encode_body() == '{"b":[1,null],"a":"é"}'.encode()
    assert HttpResponseFactory.json({}, status=418).status_code == 418
    assert HttpResponse(200, b"raw").encode_body() == b"raw"


def test_empty_responses_have_no_body_and_no_content_type() -> None:
    for response in (HttpResponseFactory.accepted(), HttpResponseFactory.ok()):
        assert response.encode_body() is None and response.content_type is None
    assert HttpResponseFactory.accepted().status_code == 202
    assert HttpResponseFactory.json(None, 501).encode_body() is None


@pytest.mark.parametrize(
    ("build", "status", "message"),
    [
        (HttpResponseFactory.bad_request, 400, "Bad Request"),
        (HttpResponseFactory.unauthorized, 401, "Unauthorized"),
        (HttpResponseFactory.method_not_allowed, 405, "Method Not Allowed"),
        (HttpResponseFactory.payload_too_large, 413, "Payload Too Large"),
        (HttpResponseFactory.unsupported_media_type, 415, "Unsupported Media Type"),
        (HttpResponseFactory.not_implemented, 501, "Not Implemented"),
    ],
)
def test_error_responses_carry_an_error_message(build: Any, status: int, message: str) -> None:
    assert (build().status_code, build().body) == (status, {"error": message})
    assert build("why").body == {"error": "why"}


def test_method_not_allowed_names_the_allowed_methods() -> None:
    assert HttpResponseFactory.method_not_allowed(allow="POST").headers == {"Allow": "POST"}
    assert HttpResponseFactory.method_not_allowed().headers is None


def test_headers_are_found_regardless_of_case() -> None:
    headers = {"content-TYPE": "application/json"}
    assert get_header(headers, "Content-Type") == "application/json"
    assert get_header(headers, "Content-Length") is None


@pytest.mark.parametrize(
    ("content_type", "expected"),
    [
        ("application/json", True),
        ("Application/JSON; charset=utf-8", True),
        ("application/vnd.activity+json", True),
        ("text/json", False),
        ("text/plain", False),
        ("application/jsonp", False),
        ("", False),
        (None, False),
    ],
)
def test_json_media_types(content_type: str | None, expected: bool) -> None:
    assert is_json_media_type(content_type) is expected


async def test_a_json_body_is_read_with_the_limit() -> None:
    request = MemoryRequest(b'{"type": "message"}')
    assert await read_json_body(request, max_bytes=100) == {"type": "message"}
    assert request.read_limits == [100]


async def test_a_missing_content_type_is_accepted_unless_required() -> None:
    request = MemoryRequest(b"{}", headers={})
    assert await read_json_body(request) == {}
    with pytest.raises(BadRequestBody) as caught:
        await read_json_body(request, require_content_type=True)
    assert caught.value.response.status_code == 415


async def test_a_declared_length_over_the_limit_is_refused_before_reading() -> None:
    headers = {"Content-Type": "application/json", "Content-Length": "99"}
    request = MemoryRequest(b"{}", headers=headers)
    with pytest.raises(BadRequestBody) as caught:
        await read_json_body(request, max_bytes=10)
    assert caught.value.response.status_code == 413
    assert request.read_limits == []


async def test_a_body_that_grows_over_the_limit_while_read_is_refused() -> None:
    request = MemoryRequest(b"{" + b" " * 50 + b"}", headers={"Content-Type": "application/json"})
    with pytest.raises(BadRequestBody) as caught:
        await read_json_body(request, max_bytes=10)
    assert caught.value.response.body == {"error": "Request body too large: the limit is 10 bytes"}


async def test_requests_without_read_body_fall_back_to_json() -> None:
    assert await read_json_body(MemoryRequest(b'{"a": 1}', streamed=False)) == {"a": 1}
    with pytest.raises(BadRequestBody) as caught:
        await read_json_body(MemoryRequest(b"nope", streamed=False))
    assert caught.value.response.status_code == 400


async def test_deeply_nested_json_is_a_bad_request_not_a_crash() -> None:
    body = b"[" * 200_000 + b"]" * 200_000
    with pytest.raises(BadRequestBody) as caught:
        await read_json_body(MemoryRequest(body), max_bytes=len(body))
    assert caught.value.response.body == {"error": "Invalid JSON or unsupported Content-Type"}


def test_parse_activity_returns_the_activity() -> None:
    activity = parse_activity({"type": "message", "conversation": {"id": "c"}, "text": "hi"})
    assert isinstance(activity, Activity) and activity.text == "hi"


def test_parse_activity_does_not_echo_submitted_values() -> None:
    with pytest.raises(BadRequestBody) as caught:
        parse_activity({"type": "message", "conversation": {"id": "c"}, "timestamp": "<secret>"})
    message = caught.value.response.body["error"]
    assert message.startswith("Invalid activity: timestamp: Input should be a valid datetime")
    assert "secret" not in message


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        (None, None),
        ("Bearer abc.def", "Bearer abc.def"),
        ("bearer abc", "Bearer abc"),
        ("  BEARER   abc  ", "Bearer abc"),
    ],
)
def test_well_formed_authorization_headers_are_normalised(
    header: str | None, expected: str | None
) -> None:
    assert check_authorization_header(header) == expected


@pytest.mark.parametrize("header", ["", "   ", "Bearer", "Basic abc", "Bearer a b", "abc"])
def test_malformed_authorization_headers_are_401(header: str) -> None:
    response = check_authorization_header(header)
    assert isinstance(response, HttpResponse)
    assert (response.status_code, response.body) == (
        401,
        {"error": "Invalid token or authentication failed."},
    )


def test_the_route_table_keeps_the_published_order() -> None:
    order = [(route.method, route.path) for route in CHANNEL_SERVICE_ROUTES]
    reply = ("POST", "/v3/conversations/{conversation_id}/activities/{activity_id}")
    history = ("POST", "/v3/conversations/{conversation_id}/activities/history")
    assert order.index(reply) < order.index(history)  # the documented shadowing
    assert order[0] == ("POST", "/v3/conversations/{conversation_id}/activities")
    assert len(order) == 13 == len(set(order))
    handler_names = {route.handler_name for route in CHANNEL_SERVICE_ROUTES}
    assert handler_names == {
        name for name in dir(RecordingChannelApiHandler) if name.startswith("on_")
    }


def test_routes_are_mounted_under_the_base_url() -> None:
    routes = ChannelServiceRoutes(RecordingChannelApiHandler(), "/api/agent/")
    create = next(r for r in routes.routes if r.name == "create_conversation")
    send = next(r for r in routes.routes if r.name == "send_to_conversation")
    assert routes.path_of(create) == "/api/agent/"
    assert routes.path_of(send) == "/api/agent/v3/conversations/{conversation_id}/activities"
    assert ChannelServiceRoutes(RecordingChannelApiHandler()).path_of(create) == "/"


async def test_handle_passes_path_parameters_in_handler_order() -> None:
    handler = RecordingChannelApiHandler()
    routes = ChannelServiceRoutes(handler)
    route = next(r for r in routes.routes if r.name == "get_conversation_member")
    claims = ClaimsIdentity({"aud": "me"})
    request = MemoryRequest(
        method="GET", params={"conversation_id": "c1", "member_id": "m1"}, claims=claims
    )

    response = await routes.handle(route, request)

    assert (response.status_code, response.body) == (200, {"id": "m1", "name": "User One"})
    assert handler.calls == [("on_get_conversation_member", claims, ("m1", "c1"))]


async def test_handle_maps_handler_errors_to_statuses() -> None:
    class Refusing(RecordingChannelApiHandler):
        async def on_get_conversations(self, *args: Any, **kwargs: Any) -> Any:
            raise PermissionError("no")

        async def on_get_conversation_members(self, *args: Any, **kwargs: Any) -> Any:
            raise NotImplementedError

    routes = ChannelServiceRoutes(Refusing())
    by_name = {route.name: route for route in routes.routes}
    request = MemoryRequest(method="GET", params={"conversation_id": "c1"})
    denied = await routes.handle(by_name["get_conversations"], request)
    missing = await routes.handle(by_name["get_conversation_members"], request)
    assert (denied.status_code, denied.body) == (401, {"error": "Unauthorized"})
    assert (missing.status_code, missing.body) == (501, {"error": "Not Implemented"})


async def test_route_results_render_by_kind() -> None:
    routes = ChannelServiceRoutes(RecordingChannelApiHandler())
    by_kind = {route.name: route.result for route in routes.routes}
    assert by_kind["delete_activity"] is RouteResult.EMPTY
    assert by_kind["delete_conversation_member"] is RouteResult.MODEL_OR_EMPTY_OBJECT
    request = MemoryRequest(method="DELETE", params={"conversation_id": "c", "member_id": "m"})
    route = next(r for r in routes.routes if r.name == "delete_conversation_member")
    assert await routes.invoke(route, request) == {}


async def test_the_published_per_route_methods_still_work() -> None:
    handler = RecordingChannelApiHandler()
    routes = ChannelServiceRoutes(handler)
    body = json.dumps({"bot": {"id": "agent"}, "isGroup": True}).encode()
    result = await routes.create_conversation(MemoryRequest(body))
    assert result == {"activityId": "first-activity", "id": "new-conversation"}
    [(name, _, (parameters,))] = handler.calls
    assert name == "on_create_conversation"
    assert isinstance(parameters, ConversationParameters) and parameters.is_group is True
    with pytest.raises(ValueError):
        await routes.deserialize_from_body(
            MemoryRequest(body, headers={"Content-Type": "text/plain"}), ConversationParameters
        )


def test_routes_need_a_handler() -> None:
    with pytest.raises(TypeError):
        ChannelServiceRoutes(None)  # type: ignore[arg-type]


def test_replies_rendered_from_the_models_equal_the_rendered_result_body() -> None:
    from datetime import datetime, timezone

    from pydantic_core import to_json

    from microsoft_agents.activity import Activity, Mention
    from microsoft_agents.hosting.core._channel_service_adapter import encode_replies

    replies = [
        Activity(type="message", text="héllo ✓", channel_id="msteams:COPILOT", id=None),
        Activity(
            type="message",
            text="<at>Bot</at> hi",
            timestamp=datetime(2026, 1, 2, 3, 4, 5, 678000, tzinfo=timezone.utc),
            entities=[Mention(mentioned={"id": "b", "name": "Bot"}, text="<at>Bot</at>")],
            value={"n": 1.5, "list": [None, True]},
        ),
        Activity(type="typing"),
    ]
    body = {
        "activities": [
            reply.model_dump(mode="json", by_alias=True, exclude_unset=True) for reply in replies
        ]
    }
    assert encode_replies(replies) == to_json(body)
    assert encode_replies([]) == b'{"activities":[]}'
