"""Agent-to-agent: one agent calling another over the Activity protocol.

The calling agent

* makes a conversation id for the call with a :class:`ConversationIdFactory` (it remembers
  the user's conversation the id stands for);
* posts the activity with an :class:`HttpAgentChannel` (from :class:`HttpAgentChannelFactory`,
  or by name from a :class:`ConfigurationChannelHost`), which raises :class:`AgentChannelError`
  when the other agent is unreachable or fails;
* serves the channel-service routes (``channel_service_route_table`` of its web host) with an
  :class:`AgentResponseHandler`, which takes the other agent's answers into the user's
  conversation and ends the delegation on ``endOfConversation``.

The called agent needs nothing special: it answers at the ``serviceUrl`` of the activity it
received, like any agent.
"""

from ._agent_responses import AgentResponseHandler
from ._channel_host import (
    ChannelHostConfiguration,
    ChannelHostProtocol,
    ChannelInfo,
    ChannelInfoProtocol,
    ChannelsConfiguration,
    ConfigurationChannelHost,
)
from ._conversation_ids import (
    AgentConversationReference,
    ConversationConstants,
    ConversationIdFactory,
    ConversationIdFactoryOptions,
    ConversationIdFactoryProtocol,
)
from ._http_channel import (
    AgentChannelError,
    ChannelFactoryProtocol,
    ChannelProtocol,
    HttpAgentChannel,
    HttpAgentChannelFactory,
)

__all__ = [
    "AgentChannelError",
    "AgentConversationReference",
    "AgentResponseHandler",
    "ChannelFactoryProtocol",
    "ChannelHostConfiguration",
    "ChannelHostProtocol",
    "ChannelInfo",
    "ChannelInfoProtocol",
    "ChannelProtocol",
    "ChannelsConfiguration",
    "ConfigurationChannelHost",
    "ConversationConstants",
    "ConversationIdFactory",
    "ConversationIdFactoryOptions",
    "ConversationIdFactoryProtocol",
    "HttpAgentChannel",
    "HttpAgentChannelFactory",
]
