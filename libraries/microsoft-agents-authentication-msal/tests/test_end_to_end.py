"""The seed setup end to end over real HTTP: the environment of the quickstart
(``CONNECTIONS__SERVICE_CONNECTION__SETTINGS__CLIENTID/CLIENTSECRET/TENANTID``, plus AUTHORITY
and the token-validation metadata URLs pointed at loopback servers) →
``MsalConnectionManager(**load_configuration_from_env(env))`` → aiohttp ``CloudAdapter``,
``jwt_authorization_middleware`` and ``start_agent_process``. The agent's reply reaches the
loopback channel with a bearer token the loopback identity provider issued through MSAL."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from typing import Any

import aiohttp
import pytest
from aiohttp import web

from microsoft_agents.activity import load_configuration_from_env
from microsoft_agents.authentication.msal import MsalConnectionManager
from microsoft_agents.authentication.msal.testing import EntraIdStandIn
from microsoft_agents.hosting.aiohttp import (
    CloudAdapter,
    jwt_authorization_middleware,
    start_agent_process,
)
from microsoft_agents.hosting.core import AgentApplication, MemoryStorage, TurnContext, TurnState
from microsoft_agents.hosting.core.testing.loopback import ChannelServiceStandIn, OpenIdProvider

# The seeds use string keys on the aiohttp application, as published samples do.
pytestmark = pytest.mark.filterwarnings("ignore::aiohttp.web.NotAppKeyWarning")

APP = "00000000-0000-0000-0000-0000000000a1"
SECRET = "seed-secret-value-e2e"


@pytest.fixture
async def channel() -> AsyncIterator[ChannelServiceStandIn]:
    async with ChannelServiceStandIn() as stand_in:
        yield stand_in


@pytest.fixture
async def bot_framework() -> AsyncIterator[OpenIdProvider]:
    async with OpenIdProvider() as provider:
        yield provider


@pytest.fixture
def environment(
    idp: EntraIdStandIn, bot_framework: OpenIdProvider, tenant: str, monkeypatch: pytest.MonkeyPatch
) -> dict[str, str]:
    idp.register_secret(APP, SECRET)
    # MSAL's HTTP stack (requests) trusts the loopback provider's CA in this process only.
    monkeypatch.setenv("REQUESTS_CA_BUNDLE", idp.tls.ca_file)
    prefix = "CONNECTIONS__SERVICE_CONNECTION__SETTINGS__"
    return {
        f"{prefix}CLIENTID": APP,
        f"{prefix}CLIENTSECRET": SECRET,
        f"{prefix}TENANTID": tenant,
        f"{prefix}AUTHORITY": idp.authority(tenant),
        f"{prefix}OPENIDMETADATAURL": bot_framework.metadata_url,
        f"{prefix}AZUREBOTSERVICEOPENIDMETADATAURL": bot_framework.metadata_url,
    }


async def serve(environment: dict[str, str]) -> tuple[str, web.AppRunner]:
    agents_sdk_config = load_configuration_from_env(environment)
    connection_manager = MsalConnectionManager(**agents_sdk_config)
    adapter = CloudAdapter(connection_manager=connection_manager)
    agent_app = AgentApplication[TurnState](
        storage=MemoryStorage(), adapter=adapter, **agents_sdk_config
    )

    @agent_app.activity("message")
    async def on_message(context: TurnContext, state: TurnState) -> None:
        await context.send_activity(f"You said: {context.activity.text}")

    async def entry_point(request: web.Request) -> web.StreamResponse:
        response = await start_agent_process(
            request, request.app["agent_app"], request.app["adapter"]
        )
        assert response is not None
        return response

    app = web.Application(middlewares=[jwt_authorization_middleware])
    app.router.add_post("/api/messages", entry_point)
    app["agent_configuration"] = connection_manager.get_default_connection_configuration()
    app["agent_app"] = agent_app
    app["adapter"] = agent_app.adapter
    runner = web.AppRunner(app, access_log=None)
    await runner.setup()
    await web.TCPSite(runner, "127.0.0.1", 0).start()
    return f"http://127.0.0.1:{runner.addresses[0][1]}/api/messages", runner


def activity(channel: ChannelServiceStandIn, text: str) -> dict[str, Any]:
    return {
        "type": "message",
        "id": "activity-1",
        "channelId": "msteams",
        "serviceUrl": channel.url,
        "conversation": {"id": "conversation-1"},
        "from": {"id": "user-1"},
        "recipient": {"id": APP},
        "text": text,
    }


async def post(url: str, body: dict[str, Any], token: str | None) -> int:
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    async with (
        aiohttp.ClientSession() as session,
        session.post(url, json=body, headers=headers) as response,
    ):
        return response.status


async def test_the_reply_carries_a_token_issued_through_msal(
    idp: EntraIdStandIn,
    bot_framework: OpenIdProvider,
    channel: ChannelServiceStandIn,
    environment: dict[str, str],
    tenant: str,
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.DEBUG, logger="microsoft_agents")
    caplog.set_level(logging.DEBUG, logger="msal")
    url, runner = await serve(environment)
    try:
        inbound = bot_framework.bot_framework_token(APP, service_url=channel.url)
        assert await post(url, activity(channel, "hello"), inbound) == 202
        assert await post(url, activity(channel, "again"), inbound) == 202
    finally:
        await runner.cleanup()

    replies = channel.requests_to("POST", "/v3/conversations/conversation-1/activities/activity-1")
    assert [r.json["text"] for r in replies] == ["You said: hello", "You said: again"]
    [token_request] = idp.token_requests  # the second reply reused the cached token
    assert (token_request.client_id, token_request.scopes) == (
        APP,
        ["https://api.botframework.com/.default"],
    )
    assert token_request.credential == "secret"
    issued = token_request.token
    assert issued and all(r.authorization == f"Bearer {issued}" for r in replies)
    assert idp.decode(issued, audience="https://api.botframework.com")["tid"] == tenant
    assert SECRET not in caplog.text and issued not in caplog.text and inbound not in caplog.text


async def test_a_request_without_a_valid_token_is_refused_before_msal_is_asked(
    idp: EntraIdStandIn,
    bot_framework: OpenIdProvider,
    channel: ChannelServiceStandIn,
    environment: dict[str, str],
) -> None:
    url, runner = await serve(environment)
    try:
        no_token = await post(url, activity(channel, "hi"), None)
        other_audience = await post(
            url,
            activity(channel, "hi"),
            bot_framework.bot_framework_token("someone-else", service_url=channel.url),
        )
    finally:
        await runner.cleanup()

    assert (no_token, other_audience) == (401, 401)
    assert idp.token_requests == [] and idp.discovery_requests == 0
    assert channel.requests == []


async def test_a_refused_token_request_means_no_reply_is_sent(
    idp: EntraIdStandIn,
    bot_framework: OpenIdProvider,
    channel: ChannelServiceStandIn,
    environment: dict[str, str],
) -> None:
    idp.fail_next(401, "invalid_client", 7000215, "Invalid client secret provided.")
    url, runner = await serve(environment)
    try:
        inbound = bot_framework.bot_framework_token(APP, service_url=channel.url)
        status = await post(url, activity(channel, "hello"), inbound)
    finally:
        await runner.cleanup()

    assert status >= 500
    assert [r.status for r in idp.token_requests] == [401]
    assert channel.requests == []


async def test_an_anonymous_setup_answers_without_asking_msal(
    idp: EntraIdStandIn, channel: ChannelServiceStandIn
) -> None:
    # The credential-less local setup: no client id, anonymous requests admitted.
    url, runner = await serve(
        {"CONNECTIONS__SERVICE_CONNECTION__SETTINGS__ANONYMOUS_ALLOWED": "true"}
    )
    try:
        status = await post(url, activity(channel, "local"), None)
    finally:
        await runner.cleanup()

    assert status == 202
    [reply] = channel.requests
    assert reply.json["text"] == "You said: local" and reply.authorization is None
    assert idp.token_requests == [] and idp.discovery_requests == 0
