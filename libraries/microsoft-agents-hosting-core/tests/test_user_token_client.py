"""UserTokenClient against the loopback token service."""

from __future__ import annotations

import base64
import json
from collections.abc import AsyncIterator

import aiohttp
import pytest

from microsoft_agents.activity import (
    Activity,
    ChannelAccount,
    ConversationAccount,
    TokenExchangeRequest,
)
from microsoft_agents.hosting.core.connector import (
    RetryPolicy,
    UserTokenClient,
    UserTokenClientBase,
    get_product_info,
)
from microsoft_agents.hosting.core.testing._token_service import TokenServiceStandIn


@pytest.fixture
async def service() -> AsyncIterator[TokenServiceStandIn]:
    async with TokenServiceStandIn() as stand_in:
        yield stand_in


@pytest.fixture
async def client(service: TokenServiceStandIn) -> AsyncIterator[UserTokenClient]:
    async with UserTokenClient(
        service.url, "agent-token", app_id="app-1", retry_policy=RetryPolicy.disabled()
    ) as token_client:
        yield token_client


def incoming(channel_id: str = "msteams:COPILOT") -> Activity:
    return Activity(
        type="message",
        id="act-1",
        channel_id=channel_id,
        service_url="https://smba.example/",
        from_property=ChannelAccount(id="user-1"),
        recipient=ChannelAccount(id="agent-1"),
        conversation=ConversationAccount(id="conv-1"),
    )


def test_default_endpoint_and_protocol() -> None:
    client = UserTokenClient(None, "t")
    assert client.base_uri == "https://api.botframework.com/"
    assert isinstance(client, UserTokenClientBase)


async def test_get_user_token(service: TokenServiceStandIn, client: UserTokenClient) -> None:
    service.add_token("user-1", "graph", "user-token")
    token = await client.get_user_token("user-1", "graph", "msteams:COPILOT")
    request = service.last_request
    assert (request.method, request.path) == ("GET", "/api/usertoken/GetToken")
    assert request.query == {"userId": "user-1", "connectionName": "graph", "channelId": "msteams"}
    assert request.headers["Authorization"] == "Bearer agent-token"
    assert request.headers["User-Agent"] == get_product_info()
    assert (token.token, token.connection_name) == ("user-token", "graph")


async def test_get_user_token_404_gives_an_empty_response(
    service: TokenServiceStandIn, client: UserTokenClient
) -> None:
    token = await client.get_user_token("user-1", "graph", "msteams")
    assert service.last_request.status == 404
    assert token.token is None
    assert not token


async def test_magic_code_redeems_once(
    service: TokenServiceStandIn, client: UserTokenClient
) -> None:
    service.add_magic_code("user-1", "graph", "123456", "after-code")
    assert not await client.get_user_token("user-1", "graph", "msteams", "654321")
    token = await client.get_user_token("user-1", "graph", "msteams", "123456")
    assert service.last_request.query["code"] == "123456"
    assert token.token == "after-code"
    # The code is spent; the token is now stored.
    assert (await client.get_user_token("user-1", "graph", "msteams")).token == "after-code"


async def test_get_token_or_sign_in_resource_sends_the_encoded_state(
    service: TokenServiceStandIn, client: UserTokenClient
) -> None:
    activity = incoming()
    activity.relates_to = None
    result = await client.get_token_or_sign_in_resource(
        "graph", activity, final_redirect="https://done"
    )
    request = service.last_request
    assert (request.method, request.path) == ("GET", "/api/usertoken/GetTokenOrSignInResource")
    state = request.query.pop("state")
    assert request.query == {
        "userId": "user-1",
        "connectionName": "graph",
        "channelId": "msteams",
        "code": "",
        "finalRedirect": "https://done",
        "fwdUrl": "",
    }
    decoded = json.loads(base64.b64decode(state))
    assert decoded["connectionName"] == "graph"
    assert decoded["msAppId"] == "app-1"
    assert decoded["conversation"]["channelId"] == "msteams"  # base channel only
    assert decoded["conversation"]["conversation"] == {"id": "conv-1"}
    assert decoded["conversation"]["activityId"] == "act-1"
    assert result.token_response is None
    assert result.sign_in_resource is not None
    assert result.sign_in_resource.sign_in_link
    assert result.sign_in_resource.token_exchange_resource is not None


async def test_get_token_or_sign_in_resource_returns_a_stored_token(
    service: TokenServiceStandIn, client: UserTokenClient
) -> None:
    service.add_token("user-1", "graph", "stored", channel_id="msteams")
    result = await client.get_token_or_sign_in_resource("graph", incoming(), code="")
    assert result.token_response is not None and result.token_response.token == "stored"
    assert result.sign_in_resource is None


async def test_get_token_or_sign_in_resource_needs_app_id_and_channel(
    service: TokenServiceStandIn,
) -> None:
    async with UserTokenClient(service.url, "t") as no_app:
        with pytest.raises(ValueError, match="app_id"):
            await no_app.get_token_or_sign_in_resource("graph", incoming())
    async with UserTokenClient(service.url, "t", app_id="app") as with_app:
        activity = incoming()
        activity.channel_id = None
        with pytest.raises(ValueError, match="channel"):
            await with_app.get_token_or_sign_in_resource("graph", activity)
    assert service.requests == []


async def test_get_sign_in_resource_and_url(
    service: TokenServiceStandIn, client: UserTokenClient
) -> None:
    resource = await client.get_sign_in_resource("graph", incoming(), final_redirect="https://x")
    request = service.last_request
    assert (request.method, request.path) == ("GET", "/api/botsignin/getSignInResource")
    assert set(request.query) == {"state", "finalRedirect"}
    assert service.states[-1]["connectionName"] == "graph"
    assert resource.sign_in_link and resource.sign_in_link.startswith(service.url)

    link = await client.agent_sign_in.get_sign_in_url("state-1", code_challenge="cc")
    request = service.last_request
    assert (request.method, request.path) == ("GET", "/api/agentsignin/getSignInUrl")
    assert request.query == {"state": "state-1", "codeChallenge": "cc"}
    assert link.startswith(f"{service.url}sign-in?state=state-1")


async def test_sign_out(service: TokenServiceStandIn, client: UserTokenClient) -> None:
    service.add_token("user-1", "graph", "g")
    service.add_token("user-1", "github", "h")
    await client.sign_out_user("user-1", "graph", "msteams:COPILOT")
    request = service.last_request
    assert (request.method, request.path) == ("DELETE", "/api/usertoken/SignOut")
    assert request.query == {"userId": "user-1", "connectionName": "graph", "channelId": "msteams"}
    assert service.token_of("user-1", "graph") is None
    assert service.token_of("user-1", "github") == "h"
    # No connection name: every connection of the user.
    await client.user_token.sign_out("user-1")
    assert service.last_request.query == {"userId": "user-1"}
    assert service.token_of("user-1", "github") is None


async def test_token_status(service: TokenServiceStandIn, client: UserTokenClient) -> None:
    service.add_connection("graph", "Microsoft Graph")
    service.add_connection("github")
    service.add_token("user-1", "github", "h")
    statuses = await client.get_token_status("user-1", "msteams", include="graph,github")
    request = service.last_request
    assert (request.method, request.path) == ("GET", "/api/usertoken/GetTokenStatus")
    assert request.query == {"userId": "user-1", "channelId": "msteams", "include": "graph,github"}
    assert {(s.connection_name, s.has_token) for s in statuses} == {
        ("graph", False),
        ("github", True),
    }


async def test_aad_tokens(service: TokenServiceStandIn, client: UserTokenClient) -> None:
    service.add_token("user-1", "graph", "g")
    tokens = await client.get_aad_tokens(
        "user-1", "graph", ["https://graph.example", "https://other.example"], "msteams"
    )
    request = service.last_request
    assert (request.method, request.path) == ("POST", "/api/usertoken/GetAadTokens")
    assert request.query == {"userId": "user-1", "connectionName": "graph", "channelId": "msteams"}
    assert request.json == {"resourceUrls": ["https://graph.example", "https://other.example"]}
    assert tokens["https://graph.example"].token == "g@https://graph.example"
    assert set(tokens) == {"https://graph.example", "https://other.example"}


async def test_exchange_token(service: TokenServiceStandIn, client: UserTokenClient) -> None:
    service.add_exchangeable_token("graph", "sso-token", "exchanged")
    token = await client.exchange_token(
        "user-1", "graph", "msteams:COPILOT", TokenExchangeRequest(token="sso-token")
    )
    request = service.last_request
    assert (request.method, request.path) == ("POST", "/api/usertoken/exchange")
    assert request.query == {"userId": "user-1", "connectionName": "graph", "channelId": "msteams"}
    assert request.json == {"token": "sso-token"}
    assert token.token == "exchanged"


async def test_exchange_failure_message_is_the_response_text(
    service: TokenServiceStandIn, client: UserTokenClient
) -> None:
    service.exchange_failure = (400, "Consent Required")
    with pytest.raises(aiohttp.ClientResponseError) as caught:
        await client.exchange_token(
            "user-1", "graph", "msteams", TokenExchangeRequest(uri="api://x")
        )
    assert caught.value.status == 400
    assert caught.value.message == "Consent Required"
    assert service.last_request.json == {"uri": "api://x"}


async def test_other_errors_raise_with_status(
    service: TokenServiceStandIn, client: UserTokenClient
) -> None:
    service.fail_next(1, 403, json={"error": {"code": "Forbidden"}})
    with pytest.raises(aiohttp.ClientResponseError) as caught:
        await client.get_token_status("user-1", "msteams")
    assert caught.value.status == 403
    assert "403" in caught.value.message and "Forbidden" in caught.value.message


async def test_token_service_errors_are_retried(service: TokenServiceStandIn) -> None:
    service.add_token("user-1", "graph", "g")
    service.fail_next(2, 503)
    policy = RetryPolicy(max_attempts=3, base_delay=0.001, max_delay=0.01)
    async with UserTokenClient(service.url, "t", retry_policy=policy) as client:
        token = await client.get_user_token("user-1", "graph", "msteams")
    assert token.token == "g"
    assert [r.status for r in service.requests] == [503, 503, 200]


async def test_expected_token_is_enforced_by_the_stand_in() -> None:
    async with TokenServiceStandIn(expected_token="right") as service:
        service.add_token("u", "c", "tok")
        async with UserTokenClient(
            service.url, "wrong", retry_policy=RetryPolicy.disabled()
        ) as bad:
            with pytest.raises(aiohttp.ClientResponseError) as caught:
                await bad.get_user_token("u", "c", "test")
        assert caught.value.status == 401
        async with UserTokenClient(service.url, "right") as good:
            assert (await good.get_user_token("u", "c", "test")).token == "tok"
