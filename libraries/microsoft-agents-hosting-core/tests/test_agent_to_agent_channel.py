"""``HttpAgentChannel`` over real HTTP: what the called agent receives, and how failures surface."""

from __future__ import annotations

import socket
from collections.abc import AsyncIterator
from typing import Any

import aiohttp
import jwt
import pytest

from microsoft_agents.activity import Activity, ExpectedReplies, InvokeResponse
from microsoft_agents.hosting.core.authorization import (
    AgentAuthConfiguration,
    AnonymousTokenProvider,
    JwtTokenValidator,
)
from microsoft_agents.hosting.core.client import (
    AgentChannelError,
    ChannelHostConfiguration,
    ChannelInfo,
    ConfigurationChannelHost,
    ConversationConstants,
    HttpAgentChannel,
    HttpAgentChannelFactory,
)
from microsoft_agents.hosting.core.errors import HostingError
from microsoft_agents.hosting.core.testing._recording_server import RecordingServer
from microsoft_agents.hosting.core.testing.loopback import (
    LoopbackTokenProvider,
    OpenIdProvider,
    loopback_connection_manager,
)

CALLER = "caller-app-id"
CALLEE = "callee-app-id"
CALLBACK_URL = "http://127.0.0.1:1/api/agents"


@pytest.fixture
async def callee() -> AsyncIterator[RecordingServer]:
    async with RecordingServer() as server:
        server.stub("POST", "/api/messages", status=202)
        yield server


@pytest.fixture
async def idp() -> AsyncIterator[OpenIdProvider]:
    async with OpenIdProvider() as provider:
        yield provider


def user_message(**changes: Any) -> Activity:
    data: dict[str, Any] = {
        "type": "message",
        "id": "user-activity-1",
        "channelId": "msteams",
        "serviceUrl": "https://smba.example.com/teams/",
        "locale": "fr-FR",
        "conversation": {"id": "user-conversation", "tenantId": "tenant-1"},
        "from": {"id": "user-1", "name": "Ada"},
        "recipient": {"id": "caller-bot", "name": "Caller"},
        "text": "book a flight",
    }
    data.update(changes)
    return Activity.model_validate(data)


def closed_port_url() -> str:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    return f"http://127.0.0.1:{port}/api/messages"


async def test_the_callee_receives_a_copy_in_the_agent_conversation(
    callee: RecordingServer, idp: OpenIdProvider
) -> None:
    tokens = LoopbackTokenProvider(idp, CALLER)
    channel = HttpAgentChannelFactory().create_channel(tokens)
    original = user_message()

    response = await channel.post_activity(
        CALLEE, "api://callee", f"{callee.url}api/messages", CALLBACK_URL, "agent-conv-1", original
    )

    assert (response.status, response.body) == (202, None)
    [request] = callee.requests
    sent = request.json
    assert sent["conversation"] == {"id": "agent-conv-1", "tenantId": "tenant-1"}
    assert sent["serviceUrl"] == CALLBACK_URL
    assert sent["recipient"] == {"id": "caller-bot", "name": "Caller", "role": "skill"}
    assert (sent["from"], sent["text"], sent["id"]) == (
        {"id": "user-1", "name": "Ada"},
        "book a flight",
        "user-activity-1",
    )
    assert sent["relatesTo"] == {
        "activityId": "user-activity-1",
        "channelId": "msteams",
        "serviceUrl": "https://smba.example.com/teams/",
        "locale": "fr-FR",
        "conversation": {"id": "user-conversation", "tenantId": "tenant-1"},
    }
    assert request.headers[ConversationConstants.CONVERSATION_ID_HTTP_HEADER_NAME] == (
        "agent-conv-1"
    )
    assert request.headers["Content-Type"].startswith("application/json")
    assert request.headers["User-Agent"].startswith("agents-sdk-py/")
    # the caller's own activity is left as it was
    assert original.conversation is not None and original.conversation.id == "user-conversation"
    assert original.relates_to is None and original.recipient.role is None  # type: ignore[union-attr]


async def test_the_token_is_for_the_callee_app_and_validates_there(
    callee: RecordingServer, idp: OpenIdProvider
) -> None:
    tokens = LoopbackTokenProvider(idp, CALLER)
    channel = HttpAgentChannel(tokens)

    await channel.post_activity(
        CALLEE, "api://callee", f"{callee.url}api/messages", CALLBACK_URL, "c", user_message()
    )

    assert tokens.requests == [("api://callee", [f"{CALLEE}/.default"])]
    scheme, token = callee.last_request.headers["Authorization"].split(" ")
    assert scheme == "Bearer"
    config = AgentAuthConfiguration(**idp.settings(client_id=CALLEE))
    identity = await JwtTokenValidator(config).validate_token(token)
    assert identity.is_agent_claim()
    assert identity.get_outgoing_app_id() == CALLER
    assert identity.get_token_scope() == [f"{CALLER}/.default"]
    assert jwt.decode(token, options={"verify_signature": False})["aud"] == CALLEE


async def test_without_credentials_no_authorization_header_is_sent(
    callee: RecordingServer,
) -> None:
    channel = HttpAgentChannel(AnonymousTokenProvider())

    await channel.post_activity(
        CALLEE, "", f"{callee.url}api/messages", CALLBACK_URL, "c", user_message()
    )

    assert callee.last_request.authorization is None


async def test_without_a_resource_the_token_names_the_callee_app_as_a_url(
    callee: RecordingServer, idp: OpenIdProvider
) -> None:
    tokens = LoopbackTokenProvider(idp, CALLER)

    await HttpAgentChannel(tokens).post_activity(
        CALLEE, "", f"{callee.url}api/messages", CALLBACK_URL, "c", user_message()
    )

    # token providers (MSAL) need scheme://host for the resource
    assert tokens.requests == [(f"app://{CALLEE}", [f"{CALLEE}/.default"])]


async def test_the_answer_body_is_parsed_and_can_be_typed(callee: RecordingServer) -> None:
    replies = {"activities": [{"type": "message", "text": "done"}]}
    callee.stub("POST", "/api/messages", status=200, json=replies)
    channel = HttpAgentChannel(AnonymousTokenProvider())
    url = f"{callee.url}api/messages"

    plain = await channel.post_activity(CALLEE, "", url, CALLBACK_URL, "c", user_message())
    typed = await channel.post_activity(
        CALLEE, "", url, CALLBACK_URL, "c", user_message(), response_body_type=ExpectedReplies
    )

    assert isinstance(plain, InvokeResponse) and plain.body == replies
    assert isinstance(typed.body, ExpectedReplies)
    assert [a.text for a in typed.body.activities or []] == ["done"]


async def test_a_body_that_does_not_fit_the_type_is_an_agent_channel_error(
    callee: RecordingServer,
) -> None:
    callee.stub("POST", "/api/messages", status=200, json={"activities": "not a list"})
    channel = HttpAgentChannel(AnonymousTokenProvider())

    with pytest.raises(AgentChannelError) as raised:
        await channel.post_activity(
            CALLEE,
            "",
            f"{callee.url}api/messages",
            CALLBACK_URL,
            "c",
            user_message(),
            response_body_type=ExpectedReplies,
        )
    assert raised.value.status == 200


async def test_a_server_error_of_the_callee_raises_a_typed_error(callee: RecordingServer) -> None:
    callee.stub("POST", "/api/messages", status=503, json={"error": "overloaded"})
    channel = HttpAgentChannel(AnonymousTokenProvider())
    url = f"{callee.url}api/messages"

    with pytest.raises(AgentChannelError) as raised:
        await channel.post_activity(CALLEE, "", url, CALLBACK_URL, "c", user_message())

    error = raised.value
    assert isinstance(error, HostingError)
    assert (error.status, error.body, error.agent_id, error.endpoint) == (
        503,
        {"error": "overloaded"},
        CALLEE,
        url,
    )
    assert "HTTP 503" in str(error) and CALLEE in str(error)
    assert len(callee.requests) == 1  # a POST is not retried: it may have been processed


async def test_a_callee_that_is_down_raises_a_typed_error() -> None:
    url = closed_port_url()
    channel = HttpAgentChannel(AnonymousTokenProvider())

    with pytest.raises(AgentChannelError) as raised:
        await channel.post_activity(CALLEE, "", url, CALLBACK_URL, "c", user_message())

    error = raised.value
    assert error.status is None and error.body is None
    assert "Could not reach agent" in str(error) and url in str(error)
    assert isinstance(error.__cause__, aiohttp.ClientError)


async def test_client_errors_of_the_callee_are_returned_not_raised(
    callee: RecordingServer,
) -> None:
    callee.stub("POST", "/api/messages", status=401, json={"error": "Unauthorized"})
    channel = HttpAgentChannel(AnonymousTokenProvider())

    response = await channel.post_activity(
        CALLEE, "", f"{callee.url}api/messages", CALLBACK_URL, "c", user_message()
    )

    assert (response.status, response.body) == (401, {"error": "Unauthorized"})


@pytest.mark.parametrize(
    "missing", ["to_agent_id", "endpoint", "service_url", "conversation_id", "activity"]
)
async def test_missing_arguments_are_value_errors(missing: str) -> None:
    arguments: dict[str, Any] = {
        "to_agent_id": CALLEE,
        "to_agent_resource": "",
        "endpoint": "http://127.0.0.1:1/api/messages",
        "service_url": CALLBACK_URL,
        "conversation_id": "c",
        "activity": user_message(),
    }
    arguments[missing] = None
    with pytest.raises(ValueError, match=missing):
        await HttpAgentChannel(AnonymousTokenProvider()).post_activity(**arguments)


def test_a_channel_needs_a_token_provider() -> None:
    with pytest.raises(ValueError, match="token provider"):
        HttpAgentChannel(None)  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="token provider"):
        HttpAgentChannelFactory().create_channel(None)  # type: ignore[arg-type]


async def test_an_activity_without_conversation_is_a_value_error() -> None:
    activity = Activity(type="message", text="hi")
    with pytest.raises(ValueError, match="conversation"):
        await HttpAgentChannel(AnonymousTokenProvider()).post_activity(
            CALLEE, "", "http://127.0.0.1:1/", CALLBACK_URL, "c", activity
        )


async def test_a_factory_session_is_shared_and_left_open(callee: RecordingServer) -> None:
    async with aiohttp.ClientSession() as session:
        factory = HttpAgentChannelFactory(session=session)
        first = factory.create_channel(AnonymousTokenProvider())
        second = factory.create_channel(AnonymousTokenProvider())
        url = f"{callee.url}api/messages"
        for channel in (first, second):
            await channel.post_activity(CALLEE, "", url, CALLBACK_URL, "c", user_message())
        assert not session.closed
    assert len(callee.peers) == 1  # both calls went over the session's one pooled connection


# -- ConfigurationChannelHost ----------------------------------------------------------------


def host_configuration() -> ChannelHostConfiguration:
    return ChannelHostConfiguration(
        CHANNELS=[
            ChannelInfo(id="flights", app_id=CALLEE, endpoint="http://127.0.0.1:1/api/messages"),
            ChannelInfo(id="hotels", app_id="hotels-app", channel_factory="custom", extra="x"),
        ],
        HOST_ENDPOINT=CALLBACK_URL,
        HOST_APP_ID=CALLER,
    )


async def test_the_channel_host_signs_calls_with_its_connection(
    callee: RecordingServer, idp: OpenIdProvider
) -> None:
    connections = loopback_connection_manager(idp, CALLER)
    host = ConfigurationChannelHost(
        HttpAgentChannelFactory(), connections, host_configuration(), "HttpAgentChannel"
    )
    info = host.channels["flights"]

    channel = host.get_channel_from_name("flights")
    await channel.post_activity(
        info.app_id or "",
        "",
        f"{callee.url}api/messages",
        host.host_endpoint or "",
        "c",
        user_message(),
    )

    assert (host.host_endpoint, host.host_app_id) == (CALLBACK_URL, CALLER)
    assert (info.channel_factory, host.channels["hotels"].channel_factory) == (
        "HttpAgentChannel",
        "custom",
    )
    token = callee.last_request.headers["Authorization"].removeprefix("Bearer ")
    claims = jwt.decode(token, options={"verify_signature": False})
    assert (claims["aud"], claims["azp"]) == (CALLEE, CALLER)


def test_the_channel_host_copies_its_configuration_and_names_unknown_agents() -> None:
    configured = host_configuration()

    class Settings:
        @staticmethod
        def CHANNEL_HOST_CONFIGURATION() -> ChannelHostConfiguration:
            return configured

    host = ConfigurationChannelHost(HttpAgentChannelFactory(), None, Settings(), "http")

    assert configured.CHANNELS[0].channel_factory is None  # the configuration is not changed
    assert host.channels["flights"] == ChannelInfo(
        id="flights",
        app_id=CALLEE,
        endpoint="http://127.0.0.1:1/api/messages",
        channel_factory="http",
    )
    with pytest.raises(ValueError, match=r"'trains'.*flights, hotels"):
        host.get_channel_from_name("trains")
    assert isinstance(host.get_channel_from_name("hotels"), HttpAgentChannel)
    with pytest.raises(TypeError):
        ConfigurationChannelHost(HttpAgentChannelFactory(), None, object(), "http")  # type: ignore[arg-type]
