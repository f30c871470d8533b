"""A client for agents built in Microsoft Copilot Studio (the Direct-to-Engine API).

Start a conversation, send messages or activities and receive the agent's replies as
:class:`~microsoft_agents.activity.Activity` objects while they stream in::

    settings = ConnectionSettings(environment_id="...", agent_identifier="cr123_myAgent")
    client = CopilotClient(settings, token)  # token for CopilotClient.scope_from_settings(...)
    async for activity in client.start_conversation(True):
        print(activity.text)
    async for reply in client.ask_question("Hello!"):
        print(reply.text)

Errors derive from :class:`~microsoft_agents.copilotstudio.client.errors.CopilotClientError`;
a loopback stand-in of the service for tests lives in
``microsoft_agents.copilotstudio.client.testing``.
"""

from ._client import CopilotClient, CopilotClientProtocol
from ._environment import PowerPlatformEnvironment
from ._models import (
    ExecuteTurnRequest,
    StartRequest,
    SubscribeEvent,
    SubscribeRequest,
    SubscribeResponse,
    UserAgentHelper,
)
from ._settings import (
    AgentType,
    ConnectionSettings,
    DirectToEngineConnectionSettingsProtocol,
    PowerPlatformCloud,
)
from ._sse import ServerSentEvent, SseParser
from .errors import (
    CopilotClientConnectionError,
    CopilotClientError,
    CopilotClientHTTPError,
    CopilotClientProtocolError,
    CopilotClientTimeoutError,
    CopilotClientValueError,
)

__all__ = [
    "AgentType",
    "ConnectionSettings",
    "CopilotClient",
    "CopilotClientConnectionError",
    "CopilotClientError",
    "CopilotClientHTTPError",
    "CopilotClientProtocol",
    "CopilotClientProtocolError",
    "CopilotClientTimeoutError",
    "CopilotClientValueError",
    "DirectToEngineConnectionSettingsProtocol",
    "ExecuteTurnRequest",
    "PowerPlatformCloud",
    "PowerPlatformEnvironment",
    "ServerSentEvent",
    "SseParser",
    "StartRequest",
    "SubscribeEvent",
    "SubscribeRequest",
    "SubscribeResponse",
    "UserAgentHelper",
]
