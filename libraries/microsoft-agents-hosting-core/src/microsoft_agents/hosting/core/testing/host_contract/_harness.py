"""The machinery of the host contract suite: what a host provides, and the test harness.

A web host distribution subclasses :class:`HostUnderTest` and exposes an instance as the
pytest fixture ``host_under_test``; the suite's test classes do the rest.
"""

from __future__ import annotations

import json
import time
from abc import ABC, abstractmethod
from collections.abc import AsyncIterator, Mapping
from dataclasses import dataclass, field
from typing import Any

import pytest

from microsoft_agents.activity import Activity, ActivityTypes

from ..._http_adapter_base import HttpAdapterBase
from ..._turn_context import TurnContext
from ...app import AgentApplication, TurnState
from ...authorization import AgentAuthConfiguration, AnonymousTokenProvider, ConnectionManager
from ...storage import MemoryStorage
from .._channel_service import ChannelServiceStandIn
from .._openid import OpenIdProvider
from ._client import AiohttpContractClient, ContractClient, Reply, RequestBody

__all__ = [
    "AGENT_APP_ID",
    "OUTGOING_TOKEN",
    "ContractAgent",
    "ContractFixtures",
    "Harness",
    "HostUnderTest",
    "Reply",
    "StaticTokenProvider",
    "build_contract_agent",
    "compact_json",
    "error_body",
]

AGENT_APP_ID = "contract-agent-app-id"
OUTGOING_TOKEN = "outgoing-token-for-the-channel"


class HostUnderTest(ABC):
    """A web host as the contract suite drives it.

    :meth:`start` serves an agent on ``127.0.0.1`` (any free port) the way the host's users
    would: the host's JWT authorization in front of every route, checked against
    ``auth_configuration``; ``POST messages_path`` runs the agent through the adapter (other
    methods reach the adapter too, which answers ``405``); with a ``channel_api_handler``,
    the channel-service routes under ``channel_path``.

    The suite reaches the host over real HTTP at the URL :meth:`start` returns, unless
    :meth:`client` gives it an in-process client (then the URL only needs to be one that
    client understands).
    """

    messages_path = "/api/messages"
    channel_path = "/api/channel"

    @abstractmethod
    def create_adapter(self, **kwargs: Any) -> HttpAdapterBase:
        """The host's ``CloudAdapter(**kwargs)``."""

    @abstractmethod
    async def start(
        self,
        agent_application: AgentApplication[Any],
        auth_configuration: AgentAuthConfiguration,
        channel_api_handler: Any = None,
    ) -> str:
        """Start serving; return the base URL (``http://127.0.0.1:<port>``)."""

    @abstractmethod
    async def close(self) -> None:
        """Stop every server started by :meth:`start`."""

    def client(self) -> ContractClient | None:
        """The client the suite sends its requests with; ``None`` (default): real HTTP."""
        return None


class StaticTokenProvider(AnonymousTokenProvider):
    """A token provider whose access tokens are one fixed token (or that raises ``error``)."""

    def __init__(
        self,
        configuration: AgentAuthConfiguration,
        token: str = OUTGOING_TOKEN,
        error: Exception | None = None,
    ) -> None:
        super().__init__(configuration)
        self.token = token
        self.error = error
        self.requests: list[tuple[str, list[str]]] = []

    async def get_access_token(
        self, resource_url: str, scopes: list[str], force_refresh: bool = False
    ) -> str:
        self.requests.append((resource_url, list(scopes)))
        if self.error is not None:
            raise self.error
        return self.token


@dataclass
class ContractAgent:
    """The agent under test and what it saw.

    Routes: ``membersAdded`` → ``Welcome!``; message ``/fail`` raises ``RuntimeError("boom")``;
    other messages → ``You said: <text>``; invoke ``test/echo`` → invoke response
    ``{"status": 200, "body": {"echo": <value>}}``; other invokes are not handled.
    """

    app: AgentApplication[TurnState]
    adapter: HttpAdapterBase
    turns: list[Activity] = field(default_factory=list)


def build_contract_agent(adapter: HttpAdapterBase) -> ContractAgent:
    """The contract agent (see :class:`ContractAgent`) on ``adapter``."""
    app = AgentApplication[TurnState](storage=MemoryStorage(), adapter=adapter)
    agent = ContractAgent(app, adapter)

    @app.before_turn
    async def record(context: TurnContext, state: TurnState) -> bool:
        agent.turns.append(context.activity)
        return True

    @app.conversation_update("membersAdded")
    async def welcome(context: TurnContext, state: TurnState) -> None:
        await context.send_activity("Welcome!")

    @app.message("/fail")
    async def fail(context: TurnContext, state: TurnState) -> None:
        raise RuntimeError("boom")

    @app.activity("message")
    async def echo(context: TurnContext, state: TurnState) -> None:
        await context.send_activity(f"You said: {context.activity.text}")

    @app.invoke("test/echo")
    async def invoke(context: TurnContext, state: TurnState) -> None:
        value = {"status": 200, "body": {"echo": context.activity.value}}
        await context.send_activity(Activity(type=ActivityTypes.invoke_response, value=value))

    return agent


class Harness:
    """One test's world: the host, a channel stand-in, an OpenID provider, an HTTP client."""

    def __init__(self, host: HostUnderTest) -> None:
        self.host = host
        self.channel = ChannelServiceStandIn()
        self._idp: OpenIdProvider | None = None
        self._client: ContractClient | None = None
        self._adapters: list[HttpAdapterBase] = []
        self.base_url = ""

    async def __aenter__(self) -> Harness:
        await self.channel.start()
        self._client = self.host.client() or AiohttpContractClient()
        return self

    async def __aexit__(self, *_: object) -> None:
        await self.host.close()
        for adapter in self._adapters:
            await adapter.close()
        if self._client is not None:
            await self._client.close()
        if self._idp is not None:
            await self._idp.close()
        await self.channel.close()

    async def idp(self) -> OpenIdProvider:
        """A started loopback OpenID provider (one per test)."""
        if self._idp is None:
            self._idp = await OpenIdProvider().start()
        return self._idp

    # -- agents and servers -------------------------------------------------------------------

    def agent(self, **adapter_kwargs: Any) -> ContractAgent:
        """A fresh contract agent on the host's adapter (``CloudAdapter(**adapter_kwargs)``)."""
        adapter = self.host.create_adapter(**adapter_kwargs)
        self._adapters.append(adapter)
        return build_contract_agent(adapter)

    @staticmethod
    def anonymous_configuration() -> AgentAuthConfiguration:
        return AgentAuthConfiguration(anonymous_allowed=True)

    async def connection_manager(self, provider_error: Exception | None = None) -> Any:
        """A connection manager for :data:`AGENT_APP_ID` whose keys come from :meth:`idp`."""
        idp = await self.idp()
        settings = {"SETTINGS": idp.settings(AGENT_APP_ID)}
        return ConnectionManager(
            lambda config: StaticTokenProvider(config, error=provider_error),
            CONNECTIONS={"SERVICE_CONNECTION": settings},
        )

    async def serve(
        self,
        agent: ContractAgent,
        auth_configuration: AgentAuthConfiguration | None = None,
        channel_api_handler: Any = None,
    ) -> str:
        """Serve ``agent`` (anonymous callers only, unless a configuration is given)."""
        configuration = auth_configuration or self.anonymous_configuration()
        self.base_url = await self.host.start(agent.app, configuration, channel_api_handler)
        return self.base_url

    # -- requests -------------------------------------------------------------------------------

    def activity(self, **fields: Any) -> dict[str, Any]:
        """An incoming message (wire form) whose replies go to the channel stand-in."""
        activity: dict[str, Any] = {
            "type": "message",
            "id": "incoming-1",
            "channelId": "contract",
            "serviceUrl": self.channel.url,
            "from": {"id": "user-1", "name": "User One"},
            "recipient": {"id": "agent-1", "name": "Agent"},
            "conversation": {"id": "conversation-1"},
            "text": "hello",
        }
        activity.update(fields)
        return {key: value for key, value in activity.items() if value is not None}

    def reply_to(self, activity: Mapping[str, Any], text: str) -> dict[str, Any]:
        """The wire form of the agent's text reply to ``activity``, in emitted field order."""
        return {
            "type": "message",
            "id": None,
            "serviceUrl": activity["serviceUrl"],
            "channelId": activity["channelId"],
            "from": activity["recipient"],
            "conversation": activity["conversation"],
            "recipient": activity["from"],
            "text": text,
            "inputHint": "acceptingInput",
            "replyToId": activity["id"],
        }

    async def request(
        self,
        method: str,
        path: str,
        *,
        json_body: Any = None,
        data: RequestBody = None,
        headers: Mapping[str, str] | None = None,
        skip_content_type: bool = False,
        base_url: str | None = None,
    ) -> Reply:
        """Send a request to the served host (or to ``base_url``) and read the whole answer.

        A body sent without a ``Content-Type`` is labelled ``application/octet-stream``
        unless ``skip_content_type``.
        """
        base_url = base_url or self.base_url
        assert self._client is not None and base_url, "serve() an agent first"
        send_headers = dict(headers or {})
        if json_body is not None:
            data = json.dumps(json_body).encode("utf-8")
            send_headers.setdefault("Content-Type", "application/json")
        if data is not None and not skip_content_type:
            send_headers.setdefault("Content-Type", "application/octet-stream")
        return await self._client.send(method, base_url + path, data=data, headers=send_headers)

    async def post_activity(
        self, activity: Any, headers: Mapping[str, str] | None = None, **kwargs: Any
    ) -> Reply:
        """POST ``activity`` (JSON) to the messaging endpoint."""
        return await self.request(
            "POST", self.host.messages_path, json_body=activity, headers=headers, **kwargs
        )

    def bearer(self, token: str) -> dict[str, str]:
        return {"Authorization": f"Bearer {token}"}

    @staticmethod
    def now() -> int:
        return int(time.time())


def compact_json(value: Any) -> bytes:
    """``value`` as the hosts render JSON bodies: compact, UTF-8, keys in their order."""
    return json.dumps(value, separators=(",", ":"), ensure_ascii=False).encode("utf-8")


def error_body(message: str) -> bytes:
    """The exact bytes of a ``{"error": message}`` answer."""
    return compact_json({"error": message})


class ContractFixtures:
    """Base of the contract test classes: provides the ``harness`` fixture.

    Needs a ``host_under_test`` fixture (a :class:`HostUnderTest`) from the host's tests.
    """

    @pytest.fixture
    async def harness(self, host_under_test: HostUnderTest) -> AsyncIterator[Harness]:
        async with Harness(host_under_test) as harness:
            yield harness
