"""The agents an agent may call, as configuration: ``ChannelInfo`` and ``ConfigurationChannelHost``.

``ChannelInfo`` describes one agent (its app id, endpoint and the connection whose token
provider signs the calls); ``ConfigurationChannelHost`` holds them by id together with this
agent's own channel-service URL (``HOST_ENDPOINT``, where the agents answer) and app id, and
builds the channel that reaches each of them.
"""

from __future__ import annotations

import copy
from typing import Any, Protocol, runtime_checkable

from ..authorization import AccessTokenProviderBase, AnonymousTokenProvider, Connections
from ._http_channel import ChannelFactoryProtocol, ChannelProtocol

__all__ = [
    "ChannelHostConfiguration",
    "ChannelHostProtocol",
    "ChannelInfo",
    "ChannelInfoProtocol",
    "ChannelsConfiguration",
    "ConfigurationChannelHost",
]


@runtime_checkable
class ChannelInfoProtocol(Protocol):
    """One agent this agent may call."""

    id: str | None
    app_id: str | None
    resource_url: str | None
    token_provider: str | None
    channel_factory: str | None
    endpoint: str | None


class ChannelInfo(ChannelInfoProtocol):
    """One agent this agent may call.

    ``id``: the name this agent knows it by; ``app_id``: its app (client) id, which tokens
    are issued for; ``resource_url``: the resource asked for in those tokens (defaults to the
    app id); ``token_provider``: the name of the connection that signs the calls (``None``:
    the default connection); ``channel_factory``: the name of the channel kind;
    ``endpoint``: its messaging endpoint. Unknown keyword arguments are ignored, so a
    configuration section can be passed as is.
    """

    def __init__(
        self,
        id: str | None = None,
        app_id: str | None = None,
        resource_url: str | None = None,
        token_provider: str | None = None,
        channel_factory: str | None = None,
        endpoint: str | None = None,
        **kwargs: Any,
    ) -> None:
        self.id = id
        self.app_id = app_id
        self.resource_url = resource_url
        self.token_provider = token_provider
        self.channel_factory = channel_factory
        self.endpoint = endpoint

    def __repr__(self) -> str:
        return f"ChannelInfo(id={self.id!r}, app_id={self.app_id!r}, endpoint={self.endpoint!r})"

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, ChannelInfo):
            return NotImplemented
        return vars(self) == vars(other)

    __hash__ = None  # type: ignore[assignment]  # mutable


class ChannelHostConfiguration:
    """The settings of a :class:`ConfigurationChannelHost`.

    ``CHANNELS``: the agents that may be called; ``HOST_ENDPOINT``: the URL under which this
    agent serves the channel-service routes (the ``serviceUrl`` the called agents answer to);
    ``HOST_APP_ID``: this agent's app id.
    """

    def __init__(
        self,
        CHANNELS: list[ChannelInfoProtocol] | None = None,
        HOST_ENDPOINT: str | None = None,
        HOST_APP_ID: str | None = None,
    ) -> None:
        self.CHANNELS = list(CHANNELS or [])
        self.HOST_ENDPOINT = HOST_ENDPOINT
        self.HOST_APP_ID = HOST_APP_ID


@runtime_checkable
class ChannelsConfiguration(Protocol):
    """Something that provides a :class:`ChannelHostConfiguration`."""

    @staticmethod
    def CHANNEL_HOST_CONFIGURATION() -> ChannelHostConfiguration: ...


@runtime_checkable
class ChannelHostProtocol(Protocol):
    """The agents this agent may call, and the channels that reach them."""

    host_endpoint: str | None
    host_app_id: str | None
    channels: dict[str, ChannelInfoProtocol]

    def get_channel_from_name(self, name: str) -> ChannelProtocol:
        """The channel to the agent configured as ``name``."""
        ...

    def get_channel_from_channel_info(self, channel_info: ChannelInfoProtocol) -> ChannelProtocol:
        """The channel to the agent ``channel_info`` describes."""
        ...


def _host_configuration(configuration: Any) -> ChannelHostConfiguration | None:
    if configuration is None or isinstance(configuration, ChannelHostConfiguration):
        return configuration
    provider = getattr(configuration, "CHANNEL_HOST_CONFIGURATION", None)
    if callable(provider):
        result: ChannelHostConfiguration | None = provider()
        return result
    raise TypeError(
        "ConfigurationChannelHost needs a ChannelHostConfiguration (or an object whose "
        "CHANNEL_HOST_CONFIGURATION() returns one)"
    )


class ConfigurationChannelHost(ChannelHostProtocol):
    """The agents of a :class:`ChannelHostConfiguration`, by id.

    ``ConfigurationChannelHost(channel_factory, connections, configuration,
    default_channel_name)``: ``channel_factory`` builds each channel; ``connections``
    provides the token provider named by each agent's ``token_provider`` (``None``: calls go
    without tokens, for agents running without credentials); agents without a
    ``channel_factory`` get ``default_channel_name``.
    """

    def __init__(
        self,
        channel_factory: ChannelFactoryProtocol,
        connections: Connections | None,
        configuration: ChannelHostConfiguration | ChannelsConfiguration | None,
        default_channel_name: str = "HttpAgentChannel",
    ) -> None:
        if channel_factory is None:
            raise ValueError("ConfigurationChannelHost needs a channel_factory")
        self._channel_factory = channel_factory
        self.connections = connections
        self.configuration = configuration
        self.channels: dict[str, ChannelInfoProtocol] = {}
        self.host_endpoint: str | None = None
        self.host_app_id: str | None = None
        settings = _host_configuration(configuration)
        if settings is None:
            return
        for configured in settings.CHANNELS:
            if not configured.id:
                raise ValueError(f"every configured agent needs an id: {configured!r}")
            info = copy.copy(configured)
            if not info.channel_factory:
                info.channel_factory = default_channel_name
            self.channels[info.id] = info  # type: ignore[index]  # checked above
        self.host_endpoint = settings.HOST_ENDPOINT
        self.host_app_id = settings.HOST_APP_ID

    def get_channel_from_name(self, name: str) -> ChannelProtocol:
        """The channel to agent ``name`` (``ValueError`` when it is not configured)."""
        info = self.channels.get(name)
        if info is None:
            known = ", ".join(sorted(self.channels)) or "none"
            raise ValueError(f"no agent named {name!r} is configured (configured: {known})")
        return self.get_channel_from_channel_info(info)

    def get_channel_from_channel_info(self, channel_info: ChannelInfoProtocol) -> ChannelProtocol:
        """The channel to the agent ``channel_info`` describes, signed by its connection."""
        if channel_info is None:
            raise ValueError("get_channel_from_channel_info needs a channel_info")
        return self._channel_factory.create_channel(self._token_provider(channel_info))

    def _token_provider(self, channel_info: ChannelInfoProtocol) -> AccessTokenProviderBase:
        if self.connections is None:
            return AnonymousTokenProvider()
        name = channel_info.token_provider
        provider = self.connections.get_connection(name) if name else None
        if provider is None:
            provider = self.connections.get_default_connection()
        if provider is None:
            raise ValueError(f"no token provider found for connection {name!r}")
        return provider
