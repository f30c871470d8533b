"""REST clients for the channel connector service and the user-token service.

A channel adapter gets its clients from a channel service client factory once per turn. Those
clients are cheap views over one pooled ``aiohttp`` session (:class:`SharedSession`) owned by
the factory; each adds its own base URL and bearer token. Calls answered ``429`` or ``5xx`` are
retried with capped exponential backoff that honours ``Retry-After`` (see :class:`RetryPolicy`),
and a final non-2xx answer raises ``aiohttp.ClientResponseError``.
"""

from ._bases import (
    AgentSignInBase,
    AttachmentsBase,
    ChannelServiceClientFactoryBase,
    ConnectorClientBase,
    ConversationsBase,
    UserTokenBase,
    UserTokenClientBase,
)
from ._client_factory import RestChannelServiceClientFactory
from ._rest import TokenSource
from ._session import RetryPolicy, SharedSession, get_product_info
from .client import ConnectorClient, UserTokenClient
from .mcs import MCSConnectorClient
from .teams import TeamsConnectorClient

__all__ = [
    "AgentSignInBase",
    "AttachmentsBase",
    "ChannelServiceClientFactoryBase",
    "ConnectorClient",
    "ConnectorClientBase",
    "ConversationsBase",
    "MCSConnectorClient",
    "RestChannelServiceClientFactory",
    "RetryPolicy",
    "SharedSession",
    "TeamsConnectorClient",
    "TokenSource",
    "UserTokenBase",
    "UserTokenClient",
    "UserTokenClientBase",
    "get_product_info",
]
