"""``HttpAdapterBase``: construction rules and ``process_request`` over a loopback channel."""

from __future__ import annotations

import json
import logging
import uuid
from collections.abc import AsyncIterator
from typing import Any

import pytest

from microsoft_agents.hosting.core import TurnContext
from microsoft_agents.hosting.core._http_adapter_base import HttpAdapterBase
from microsoft_agents.hosting.core.authorization import ClaimsIdentity, ConnectionManager
from microsoft_agents.hosting.core.connector import RestChannelServiceClientFactory
from microsoft_agents.hosting.core.security import OutboundHostValidator
from microsoft_agents.hosting.core.testing.host_contract import OUTGOING_TOKEN, StaticTokenProvider
from microsoft_agents.hosting.core.testing.loopback import ChannelServiceStandIn


class JsonRequest:
    """An in-memory POST of a JSON body."""

    def __init__(
        self, body: Any, claims: ClaimsIdentity | None = None, method: str = "POST"
    ) -> None:
        self.method = method
        self.headers = {"Content-Type": "application/json"}
        self._body = json.dumps(body).encode()
        self._claims = claims

    async def json(self) -> Any:
        return json.loads(self._body)

    def get_claims_identity(self) -> ClaimsIdentity | None:
        return self._claims

    def get_path_param(self, name: str) -> str:
        raise KeyError(name)

    async def read_body(self, max_bytes: int) -> bytes:
        return self._body


class Agent:
    def __init__(self, logic: Any = None) -> None:
        self.turns: list[TurnContext] = []
        self._logic = logic

    async def on_turn(self, context: TurnContext) -> None:
        self.turns.append(context)
        if self._logic is not None:
            await self._logic(context)
        else:
            await context.send_activity(f"echo: {context.activity.text}")


@pytest.fixture
async def channel() -> AsyncIterator[ChannelServiceStandIn]:
    async with ChannelServiceStandIn() as stand_in:
        yield stand_in


def activity(channel: ChannelServiceStandIn, **fields: Any) -> dict[str, Any]:
    data = {
        "type": "message",
        "id": "in-1",
        "channelId": "test",
        "serviceUrl": channel.url,
        "from": {"id": "user-1"},
        "recipient": {"id": "agent-1"},
        "conversation": {"id": "conv-1"},
        "text": "hi",
    }
    data.update(fields)
    return data


async def test_without_credentials_the_adapter_is_anonymous() -> None:
    adapter = HttpAdapterBase()
    factory = adapter.channel_service_client_factory
    assert adapter.anonymous and adapter.connection_manager is None
    assert isinstance(factory, RestChannelServiceClientFactory)
    assert factory.connection_manager is None
    assert adapter.host_validator.enabled is False
    assert adapter.max_body_bytes == 256 * 1024
    await adapter.close()


async def test_a_connection_manager_is_used_with_the_factory_options() -> None:
    harness_manager = object()
    adapter = HttpAdapterBase(
        connection_manager=harness_manager,
        channel_service_client_factory_options={"token_service_endpoint": "https://t.example"},
    )
    factory = adapter.channel_service_client_factory
    assert isinstance(factory, RestChannelServiceClientFactory)
    assert factory.connection_manager is harness_manager
    assert factory.token_service_endpoint == "https://t.example"
    assert not adapter.anonymous


def test_options_for_a_given_factory_are_refused() -> None:
    factory = RestChannelServiceClientFactory(None)
    assert HttpAdapterBase(channel_service_client_factory=factory).anonymous is False
    with pytest.raises(ValueError, match="factory"):
        HttpAdapterBase(
            channel_service_client_factory=factory,
            channel_service_client_factory_options={"token_service_endpoint": "x"},
        )


@pytest.mark.parametrize("limit", [0, -5])
def test_the_body_limit_must_be_positive(limit: int) -> None:
    with pytest.raises(ValueError):
        HttpAdapterBase(max_body_bytes=limit)


async def test_request_and_agent_are_required() -> None:
    adapter = HttpAdapterBase()
    with pytest.raises(TypeError):
        await adapter.process_request(None, Agent())  # type: ignore[arg-type]
    with pytest.raises(TypeError):
        await adapter.process_request(JsonRequest({}), None)  # type: ignore[arg-type]


async def test_anonymous_mode_answers_without_a_token_even_to_a_known_caller(
    channel: ChannelServiceStandIn,
) -> None:
    adapter = HttpAdapterBase()
    agent = Agent()
    claims = ClaimsIdentity({"aud": "some-app", "appid": "some-app"})

    response = await adapter.process_request(JsonRequest(activity(channel), claims), agent)

    assert (response.status_code, response.body, response.content_type) == (202, None, None)
    [request] = channel.requests
    assert request.authorization is None and request.json["text"] == "echo: hi"
    stamped = agent.turns[0].activity.request_id
    assert stamped is not None and uuid.UUID(stamped)
    await adapter.close()


async def test_with_credentials_replies_carry_the_connection_token(
    channel: ChannelServiceStandIn,
) -> None:
    manager = ConnectionManager(
        StaticTokenProvider, CONNECTIONS={"SERVICE_CONNECTION": {"SETTINGS": {"CLIENTID": "app"}}}
    )
    adapter = HttpAdapterBase(connection_manager=manager)
    claims = ClaimsIdentity({"aud": "app", "iss": "https://sts.windows.net/t/"})

    response = await adapter.process_request(JsonRequest(activity(channel), claims), Agent())

    assert response.status_code == 202
    assert channel.requests[0].authorization == f"Bearer {OUTGOING_TOKEN}"
    await adapter.close()


async def test_the_default_turn_error_handler_reports_the_error(
    channel: ChannelServiceStandIn, capsys: pytest.CaptureFixture[str]
) -> None:
    async def boom(context: TurnContext) -> None:
        raise RuntimeError("boom")

    adapter = HttpAdapterBase()
    body = activity(channel, channelId="emulator")

    response = await adapter.process_request(JsonRequest(body), Agent(boom))

    assert response.status_code == 202
    message, trace = (r.json for r in channel.requests)
    assert (message["type"], message["text"]) == ("message", "Exception caught : boom")
    assert {k: trace[k] for k in ("type", "name", "value", "valueType", "label")} == {
        "type": "trace",
        "name": "OnTurnError Trace",
        "value": "Exception caught : boom",
        "valueType": "https://www.botframework.com/schemas/error",
        "label": "TurnError",
    }
    err = capsys.readouterr().err
    assert "Traceback" in err and "RuntimeError: boom" in err
    await adapter.close()


async def test_a_service_url_claim_for_another_host_is_only_a_warning_by_default(
    channel: ChannelServiceStandIn, caplog: pytest.LogCaptureFixture
) -> None:
    claims = ClaimsIdentity({"aud": "x", "serviceurl": "https://elsewhere.example/"})
    adapter = HttpAdapterBase()
    with caplog.at_level(logging.WARNING):
        response = await adapter.process_request(JsonRequest(activity(channel), claims), Agent())
    assert response.status_code == 202
    assert "serviceurl" in caplog.text
    await adapter.close()


async def test_a_service_url_claim_for_another_host_is_refused_when_validating(
    channel: ChannelServiceStandIn,
) -> None:
    claims = ClaimsIdentity({"aud": "x", "serviceurl": "https://elsewhere.example/"})
    validator = OutboundHostValidator(enabled=True, hosts=["127.0.0.1", "elsewhere.example"])
    adapter = HttpAdapterBase(host_validator=validator)
    agent = Agent()

    response = await adapter.process_request(JsonRequest(activity(channel), claims), agent)

    assert (response.status_code, response.body) == (
        401,
        {"error": "Service URL is not allowed by the host validator."},
    )
    assert agent.turns == [] and channel.requests == []


async def test_close_leaves_a_given_factory_open(channel: ChannelServiceStandIn) -> None:
    factory = RestChannelServiceClientFactory(None)
    adapter = HttpAdapterBase(channel_service_client_factory=factory)
    await adapter.process_request(JsonRequest(activity(channel)), Agent())
    await adapter.close()
    session = factory.shared_session.session
    assert session is not None and not session.closed
    await factory.close()

    owned = HttpAdapterBase()
    await owned.process_request(JsonRequest(activity(channel)), Agent())
    owned_factory = owned.channel_service_client_factory
    assert isinstance(owned_factory, RestChannelServiceClientFactory)
    await owned.close()
    assert owned_factory.shared_session.session is None
