"""ConnectorClient against the loopback channel service: every operation over real HTTP."""

from __future__ import annotations

import base64
import re
from collections.abc import AsyncIterator

import aiohttp
import pytest

from microsoft_agents.activity import (
    Activity,
    AttachmentData,
    ChannelAccount,
    ConversationAccount,
    ConversationParameters,
    Transcript,
)
from microsoft_agents.hosting.core.connector import (
    ConnectorClient,
    ConnectorClientBase,
    RetryPolicy,
    get_product_info,
)
from microsoft_agents.hosting.core.testing._channel_service import ChannelServiceStandIn

NO_RETRY = RetryPolicy.disabled()


@pytest.fixture
async def channel() -> AsyncIterator[ChannelServiceStandIn]:
    async with ChannelServiceStandIn() as service:
        yield service


@pytest.fixture
async def client(channel: ChannelServiceStandIn) -> AsyncIterator[ConnectorClient]:
    async with ConnectorClient(channel.url, "secret-token", retry_policy=NO_RETRY) as connector:
        yield connector


def message(text: str = "hi", **fields: object) -> Activity:
    return Activity(type="message", text=text, **fields)


# -- construction and headers ----------------------------------------------------------------------


def test_base_uri_gets_a_trailing_slash() -> None:
    assert (
        ConnectorClient("https://smba.example/amer", "t").base_uri == "https://smba.example/amer/"
    )
    assert (
        ConnectorClient("https://smba.example/amer/", "t").base_uri == "https://smba.example/amer/"
    )


def test_client_satisfies_the_service_protocol() -> None:
    assert isinstance(ConnectorClient("https://smba.example/", "t"), ConnectorClientBase)


def test_product_info_format() -> None:
    info = get_product_info()
    assert re.fullmatch(r"agents-sdk-py/\S+ python/\d+\.\d+\.\d+\S* \S+-\S*/\S*", info), info


async def test_every_request_carries_the_common_headers(
    channel: ChannelServiceStandIn, client: ConnectorClient
) -> None:
    await client.conversations.send_to_conversation("conv-1", message())
    headers = channel.last_request.headers
    assert headers["Authorization"] == "Bearer secret-token"
    assert headers["User-Agent"] == get_product_info()
    assert headers["Accept"] == "application/json"
    assert headers["Content-Type"].startswith("application/json")


@pytest.mark.parametrize("token", ["", "x"])
async def test_no_authorization_header_for_tokens_of_one_character_or_less(
    channel: ChannelServiceStandIn, token: str
) -> None:
    async with ConnectorClient(channel.url, token) as connector:
        await connector.conversations.get_conversation_members("conv-1")
    assert "Authorization" not in channel.last_request.headers


async def test_a_token_source_is_awaited_once_on_first_use(channel: ChannelServiceStandIn) -> None:
    calls = 0

    async def source() -> str:
        nonlocal calls
        calls += 1
        return "from-source"

    async with ConnectorClient(channel.url, source) as connector:
        assert calls == 0
        await connector.conversations.get_conversation_members("c")
        await connector.conversations.get_conversation_members("c")
    assert calls == 1
    assert [r.authorization for r in channel.requests] == ["Bearer from-source"] * 2


# -- conversations -------------------------------------------------------------------------------


async def test_send_to_conversation(
    channel: ChannelServiceStandIn, client: ConnectorClient
) -> None:
    activity = message("hello", channel_id="test")
    response = await client.conversations.send_to_conversation("conv-1", activity)
    request = channel.last_request
    assert (request.method, request.path, request.query) == (
        "POST",
        "/v3/conversations/conv-1/activities",
        {},
    )
    assert request.json == {"type": "message", "text": "hello", "channelId": "test"}
    assert response.id == channel.activities("conv-1")[0]["id"]


async def test_reply_to_activity_drops_none_values(
    channel: ChannelServiceStandIn, client: ConnectorClient
) -> None:
    activity = message("re", reply_to_id="act-9")
    activity.locale = None  # explicitly set to None: left out of the reply body
    response = await client.conversations.reply_to_activity("conv-1", "act-9", activity)
    request = channel.last_request
    assert (request.method, request.path) == ("POST", "/v3/conversations/conv-1/activities/act-9")
    assert request.json == {"type": "message", "text": "re", "replyToId": "act-9"}
    assert response.id and response.id.startswith("activity-")


async def test_send_keeps_explicit_none_values(
    channel: ChannelServiceStandIn, client: ConnectorClient
) -> None:
    activity = message("x")
    activity.locale = None
    await client.conversations.send_to_conversation("conv-1", activity)
    assert channel.last_request.json == {"type": "message", "text": "x", "locale": None}


async def test_empty_answer_body_gives_an_empty_resource_response(
    channel: ChannelServiceStandIn, client: ConnectorClient
) -> None:
    channel.stub("POST", "/v3/conversations/conv-1/activities", status=202)
    response = await client.conversations.send_to_conversation("conv-1", message())
    assert response.id is None


async def test_teams_targeted_activity_adds_query(
    channel: ChannelServiceStandIn, client: ConnectorClient
) -> None:
    activity = message("psst", channel_id="msteams").make_targeted_activity(
        ChannelAccount(id="user-1")
    )
    await client.conversations.send_to_conversation("conv-1", activity)
    assert channel.last_request.query == {"isTargetedActivity": "true"}
    await client.conversations.reply_to_activity("conv-1", "a1", activity)
    assert channel.last_request.query == {"isTargetedActivity": "true"}
    # Outside Teams, or not targeted: no query.
    await client.conversations.send_to_conversation("conv-1", message(channel_id="msteams"))
    assert channel.last_request.query == {}
    other = message(channel_id="webchat").make_targeted_activity(ChannelAccount(id="u"))
    await client.conversations.send_to_conversation("conv-1", other)
    assert channel.last_request.query == {}


async def test_update_and_delete_activity(
    channel: ChannelServiceStandIn, client: ConnectorClient
) -> None:
    response = await client.conversations.update_activity("conv-1", "act-1", message("v2"))
    request = channel.last_request
    assert (request.method, request.path) == ("PUT", "/v3/conversations/conv-1/activities/act-1")
    assert request.json == {"type": "message", "text": "v2"}
    assert response.id == "act-1"
    await client.conversations.delete_activity("conv-1", "act-1")
    request = channel.last_request
    assert (request.method, request.path) == (
        "DELETE",
        "/v3/conversations/conv-1/activities/act-1",
    )


async def test_members(channel: ChannelServiceStandIn, client: ConnectorClient) -> None:
    members = await client.conversations.get_conversation_members("conv-1")
    assert channel.last_request.path == "/v3/conversations/conv-1/members"
    assert [m.id for m in members] == ["user-1", "agent-1"]
    assert members[0].aad_object_id == "aad-user-1"

    member = await client.conversations.get_conversation_member("conv-1", "agent-1")
    assert (channel.last_request.method, channel.last_request.path) == (
        "GET",
        "/v3/conversations/conv-1/members/agent-1",
    )
    assert member.name == "Agent"

    activity_members = await client.conversations.get_activity_members("conv-1", "act-3")
    assert channel.last_request.path == "/v3/conversations/conv-1/activities/act-3/members"
    assert len(activity_members) == 2

    await client.conversations.delete_conversation_member("conv-1", "user-1")
    assert (channel.last_request.method, channel.last_request.path) == (
        "DELETE",
        "/v3/conversations/conv-1/members/user-1",
    )
    assert [m["id"] for m in channel.members] == ["agent-1"]


async def test_paged_members(channel: ChannelServiceStandIn, client: ConnectorClient) -> None:
    channel.members.append({"id": "user-2", "name": "User Two"})
    first = await client.conversations.get_conversation_paged_members("conv-1", page_size=2)
    assert channel.last_request.path == "/v3/conversations/conv-1/pagedmembers"
    assert channel.last_request.query == {"pageSize": "2"}
    assert [m.id for m in first.members or []] == ["user-1", "agent-1"]
    assert first.continuation_token == "2"
    rest = await client.conversations.get_conversation_paged_members(
        "conv-1", page_size=2, continuation_token=first.continuation_token
    )
    assert channel.last_request.query == {"pageSize": "2", "continuationToken": "2"}
    assert [m.id for m in rest.members or []] == ["user-2"]
    assert rest.continuation_token is None
    await client.conversations.get_conversation_paged_members("conv-1")
    assert channel.last_request.query == {}


async def test_get_and_create_conversations(
    channel: ChannelServiceStandIn, client: ConnectorClient
) -> None:
    parameters = ConversationParameters(
        is_group=False,
        agent=ChannelAccount(id="agent-1"),
        members=[ChannelAccount(id="user-1")],
        tenant_id="tenant-1",
        activity=message("first"),
    )
    created = await client.conversations.create_conversation(parameters)
    request = channel.last_request
    assert (request.method, request.path) == ("POST", "/v3/conversations")
    assert request.json == {
        "isGroup": False,
        "bot": {"id": "agent-1"},
        "members": [{"id": "user-1"}],
        "tenantId": "tenant-1",
        "activity": {"type": "message", "text": "first"},
    }
    assert created.id and created.activity_id and created.service_url == channel.url

    result = await client.conversations.get_conversations()
    assert (channel.last_request.method, channel.last_request.query) == ("GET", {})
    assert [c.id for c in result.conversations or []] == [created.id]
    await client.conversations.get_conversations("page-2")
    assert channel.last_request.query == {"continuationToken": "page-2"}


async def test_send_conversation_history(
    channel: ChannelServiceStandIn, client: ConnectorClient
) -> None:
    transcript = Transcript(activities=[message("old", id="h1"), message("older", id="h2")])
    response = await client.conversations.send_conversation_history("conv-1", transcript)
    request = channel.last_request
    assert (request.method, request.path) == ("POST", "/v3/conversations/conv-1/activities/history")
    assert request.json == {
        "activities": [
            {"type": "message", "id": "h1", "text": "old"},
            {"type": "message", "id": "h2", "text": "older"},
        ]
    }
    assert response.id and response.id.startswith("history-")


async def test_upload_and_download_attachment(
    channel: ChannelServiceStandIn, client: ConnectorClient
) -> None:
    content = b"\x89PNG\r\n\x00\xffpicture"
    data = AttachmentData(type="image/png", name="pic.png", original_base64=content)
    uploaded = await client.conversations.upload_attachment("conv-1", data)
    request = channel.last_request
    assert (request.method, request.path) == ("POST", "/v3/conversations/conv-1/attachments")
    assert request.json == {
        "type": "image/png",
        "name": "pic.png",
        "originalBase64": base64.b64encode(content).decode("ascii"),
    }
    assert uploaded.id

    info = await client.attachments.get_attachment_info(uploaded.id)
    assert channel.last_request.path == f"/v3/attachments/{uploaded.id}"
    assert info.name == "pic.png"
    assert [(v.view_id, v.size) for v in info.views or []] == [("original", len(content))]

    downloaded = await client.attachments.get_attachment(uploaded.id, "original")
    assert channel.last_request.path == f"/v3/attachments/{uploaded.id}/views/original"
    assert downloaded == content


async def test_attachment_redirect_gives_empty_content(
    channel: ChannelServiceStandIn, client: ConnectorClient
) -> None:
    channel.stub(
        "GET",
        "/v3/attachments/a1/views/original",
        status=302,
        headers={"Location": "https://elsewhere.example/file"},
    )
    assert await client.attachments.get_attachment("a1", "original") == b""
    assert len(channel.requests) == 1  # the redirect was not followed


def test_attachment_uri(client: ConnectorClient, channel: ChannelServiceStandIn) -> None:
    assert (
        client.attachments.get_attachment_uri("a 1")
        == f"{channel.url}v3/attachments/a%201/views/original"
    )
    assert client.attachments.get_attachment_uri("a1", "thumbnail").endswith("/a1/views/thumbnail")


# -- conversation ids --------------------------------------------------------------------------


async def test_conversation_ids_are_truncated_to_150_characters(
    channel: ChannelServiceStandIn, client: ConnectorClient
) -> None:
    long_id = "c" * 149 + "XYZ"
    await client.conversations.send_to_conversation(long_id, message())
    assert channel.last_request.path == f"/v3/conversations/{'c' * 149}X/activities"
    await client.conversations.get_conversation_members(long_id)
    assert channel.last_request.path == f"/v3/conversations/{'c' * 149}X/members"


async def test_special_characters_are_percent_encoded(
    channel: ChannelServiceStandIn, client: ConnectorClient
) -> None:
    await client.conversations.send_to_conversation("a:b@c;messageid=1 x?#", message())
    request = channel.last_request
    assert request.raw_path == "/v3/conversations/a:b@c;messageid=1%20x%3F%23/activities"
    assert request.segments[2] == "a:b@c;messageid=1 x?#"


@pytest.mark.parametrize("role", ["agenticAppInstance", "agenticUser"])
async def test_agentic_agents_channel_ids_are_sanitised(
    channel: ChannelServiceStandIn, client: ConnectorClient, role: str
) -> None:
    activity = message(channel_id="agents", from_property=ChannelAccount(id="a", role=role))
    await client.conversations.send_to_conversation("x/y\\z#w?v", activity)
    assert channel.last_request.segments[2] == "x_y_z_w_v"
    await client.conversations.reply_to_activity("x/y\\z#w?v", "a1", activity)
    assert channel.last_request.segments[2] == "x_y_z_w_v"
    await client.conversations.update_activity("x/y\\z#w?v", "a1", activity)
    assert channel.last_request.segments[2] == "x_y_z_w_v"


async def test_ids_are_not_sanitised_for_other_senders_or_channels(
    channel: ChannelServiceStandIn, client: ConnectorClient
) -> None:
    user = ChannelAccount(id="a", role="user")
    await client.conversations.send_to_conversation(
        "x#y", message(channel_id="agents", from_property=user)
    )
    assert channel.last_request.segments[2] == "x#y"
    agentic = ChannelAccount(id="a", role="agenticUser")
    await client.conversations.send_to_conversation(
        "x#y", message(channel_id="msteams", from_property=agentic)
    )
    assert channel.last_request.segments[2] == "x#y"


# -- errors ---------------------------------------------------------------------------------


async def test_non_2xx_raises_client_response_error_with_status_and_excerpt(
    channel: ChannelServiceStandIn, client: ConnectorClient
) -> None:
    with pytest.raises(aiohttp.ClientResponseError) as caught:
        await client.conversations.get_conversation_member("conv-1", "nobody")
    error = caught.value
    assert error.status == 404
    assert "404" in error.message and "MemberNotFound" in error.message
    assert "/v3/conversations/conv-1/members/nobody" in error.message


async def test_error_messages_never_contain_tokens(
    channel: ChannelServiceStandIn, client: ConnectorClient
) -> None:
    jwt_like = "eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJ4In0.c2lnbmF0dXJl"
    channel.stub(
        "POST",
        "/v3/conversations/c/activities",
        status=400,
        json={"token": "plain-secret", "detail": f"bad Bearer abc.def {jwt_like}"},
    )
    with pytest.raises(aiohttp.ClientResponseError) as caught:
        await client.conversations.send_to_conversation("c", message())
    text = caught.value.message
    assert "400" in text
    assert "plain-secret" not in text and jwt_like not in text and "abc.def" not in text
    assert "secret-token" not in text


async def test_long_error_bodies_are_cut(
    channel: ChannelServiceStandIn, client: ConnectorClient
) -> None:
    channel.stub("GET", "/v3/conversations/c/members", status=400, text="e" * 5000)
    with pytest.raises(aiohttp.ClientResponseError) as caught:
        await client.conversations.get_conversation_members("c")
    assert len(caught.value.message) < 400


@pytest.mark.parametrize(
    "call",
    [
        lambda c: c.conversations.send_to_conversation("", message()),
        lambda c: c.conversations.reply_to_activity("conv", "", message()),
        lambda c: c.conversations.update_activity("conv", None, message()),
        lambda c: c.conversations.delete_activity("", "a"),
        lambda c: c.conversations.get_conversation_member("conv", ""),
        lambda c: c.attachments.get_attachment("a", ""),
    ],
)
async def test_missing_arguments_raise_value_error(
    channel: ChannelServiceStandIn, client: ConnectorClient, call: object
) -> None:
    with pytest.raises(ValueError, match="required"):
        await call(client)  # type: ignore[operator]
    assert channel.requests == []


async def test_conversation_account_in_parameters_is_kept(
    channel: ChannelServiceStandIn, client: ConnectorClient
) -> None:
    parameters = ConversationParameters(conversation=ConversationAccount(id="fixed-id"))
    created = await client.conversations.create_conversation(parameters)
    assert created.id == "fixed-id"
    assert channel.last_request.json == {"conversation": {"id": "fixed-id"}}
