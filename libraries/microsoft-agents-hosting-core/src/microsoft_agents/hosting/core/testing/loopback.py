"""Loopback stand-ins for the remote services an agent talks to, for tests over real HTTP.

Each stand-in is a small aiohttp server on ``127.0.0.1`` (port chosen by the OS) that answers
like the real service and records what it received:

* :class:`OpenIdProvider` — signing keys, OpenID metadata and JWKS, and helpers that mint
  tokens (valid, expired, for another audience, badly signed, ...);
* :class:`ChannelServiceStandIn` — the channel's connector service (``/v3/conversations/...``);
* :class:`TokenServiceStandIn` — the user-token service (``api/usertoken/...``);
* :class:`LoopbackTokenProvider` / :func:`loopback_connection_manager` — an agent's outgoing
  tokens, minted by an :class:`OpenIdProvider` (for agent-to-agent calls with real JWTs).

They serve the tests of this distribution and of the hosts built on it (see also
``microsoft_agents.hosting.core.testing.host_contract``)::

    async with ChannelServiceStandIn() as channel, OpenIdProvider() as idp:
        ...  # point an activity's serviceUrl at channel.url, validate tokens from idp
"""

from ._agent_tokens import LOOPBACK_TENANT_ID, LoopbackTokenProvider, loopback_connection_manager
from ._channel_service import ChannelServiceStandIn
from ._openid import OpenIdProvider
from ._token_service import TokenServiceStandIn

__all__ = [
    "LOOPBACK_TENANT_ID",
    "ChannelServiceStandIn",
    "LoopbackTokenProvider",
    "OpenIdProvider",
    "TokenServiceStandIn",
    "loopback_connection_manager",
]
