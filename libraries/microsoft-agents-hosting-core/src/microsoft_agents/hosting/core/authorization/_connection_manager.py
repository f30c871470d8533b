"""``ConnectionManager``: named connections and the ``CONNECTIONSMAP`` routing rules."""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any

from ._config import AgentAuthConfiguration
from ._providers import AccessTokenProviderBase, Connections

if TYPE_CHECKING:
    from microsoft_agents.activity import Activity

    from ._claims_identity import ClaimsIdentity

__all__ = ["ConnectionManager"]

SERVICE_CONNECTION = "SERVICE_CONNECTION"
_ANY_URL = ("", "*")


class ConnectionManager(Connections):
    """Token providers for the connections of the configuration, built by ``provider_factory``.

    Connections come from ``connections_configurations`` or, usually, from the configuration
    produced by ``load_configuration_from_env``: ``CONNECTIONS={"<NAME>": {"SETTINGS":
    {...}}}`` and ``CONNECTIONSMAP=[{"CONNECTION": ..., "SERVICEURL": ..., "AUDIENCE": ...}]``.
    A connection named ``SERVICE_CONNECTION`` is required; it is the default.

    Map entries are tried in order. An entry applies when its ``AUDIENCE`` is absent or
    equals (ignoring case) the caller's app id, and its ``SERVICEURL`` is ``*``, empty, or a
    regular expression found (ignoring case) in the service URL.
    """

    def __init__(
        self,
        provider_factory: Callable[[AgentAuthConfiguration], AccessTokenProviderBase],
        connections_configurations: dict[str, AgentAuthConfiguration] | None = None,
        connections_map: list[dict[str, str]] | None = None,
        **kwargs: Any,
    ) -> None:
        if connections_configurations is not None:
            configurations = dict(connections_configurations)
        else:
            configurations = _configurations_from_settings(kwargs.get("CONNECTIONS"))
        if SERVICE_CONNECTION not in configurations:
            raise ValueError(
                "No service connection configuration provided. Set "
                "CONNECTIONS__SERVICE_CONNECTION__SETTINGS__CLIENTID (and the other settings "
                "of the connection) or pass connections_configurations with a "
                f"{SERVICE_CONNECTION!r} entry."
            )
        # Every connection knows the others, so a token for any configured app id is
        # recognised whichever configuration validates it.
        for configuration in configurations.values():
            configuration._connections = configurations
        self._configurations = configurations
        self._providers = {
            name: provider_factory(configuration) for name, configuration in configurations.items()
        }
        self._map = _map_entries(
            connections_map if connections_map is not None else kwargs.get("CONNECTIONSMAP")
        )
        self._patterns: dict[str, re.Pattern[str]] = {}

    @property
    def connections_map(self) -> list[dict[str, str]]:
        """A copy of the routing rules, in order."""
        return [dict(entry) for entry in self._map]

    def get_connection(self, connection_name: str | None) -> AccessTokenProviderBase:
        name = connection_name or SERVICE_CONNECTION
        provider = self._providers.get(name)
        if provider is None:
            raise ValueError(
                f"No connection named {name!r} is configured (configured: "
                f"{', '.join(sorted(self._providers))})."
            )
        return provider

    def get_default_connection(self) -> AccessTokenProviderBase:
        return self._providers[SERVICE_CONNECTION]

    def get_default_connection_configuration(self) -> AgentAuthConfiguration:
        return self._configurations[SERVICE_CONNECTION]

    def get_token_provider(
        self, claims_identity: ClaimsIdentity, service_url: str
    ) -> AccessTokenProviderBase:
        if claims_identity is None:
            raise ValueError("claims_identity is required to choose a connection.")
        if not service_url:
            raise ValueError("service_url is required to choose a connection.")
        if not self._map:
            return self.get_default_connection()
        app_id = claims_identity.get_app_id()
        for entry in self._map:
            audience = entry.get("AUDIENCE")
            if audience and (not app_id or str(app_id).lower() != audience.lower()):
                continue
            if self._url_matches(entry.get("SERVICEURL"), service_url):
                name = entry.get("CONNECTION")
                if not name:
                    raise ValueError(f"CONNECTIONSMAP entry {entry!r} names no CONNECTION.")
                return self.get_connection(name)
        raise ValueError(
            f"No CONNECTIONSMAP entry applies to service URL {service_url!r} and the caller's "
            "audience; add an entry (SERVICEURL '*' matches every URL)."
        )

    def get_token_provider_from_activity(
        self, claims_identity: ClaimsIdentity, activity: Activity
    ) -> AccessTokenProviderBase:
        provider = self.get_token_provider(claims_identity, activity.service_url or "")
        if activity.is_agentic_request():
            alternate = provider.configuration.ALT_BLUEPRINT_ID
            if alternate:
                return self.get_connection(alternate)
        return provider

    def _url_matches(self, pattern: str | None, service_url: str) -> bool:
        if pattern is None or pattern.strip() in _ANY_URL:
            return True
        compiled = self._patterns.get(pattern)
        if compiled is None:
            try:
                compiled = re.compile(pattern, re.IGNORECASE)
            except re.error as error:
                raise ValueError(
                    f"CONNECTIONSMAP SERVICEURL {pattern!r} is not a valid regular "
                    f"expression: {error}"
                ) from error
            self._patterns[pattern] = compiled
        return compiled.search(service_url) is not None


def _configurations_from_settings(connections: Any) -> dict[str, AgentAuthConfiguration]:
    if connections is None:
        return {}
    if not isinstance(connections, Mapping):
        raise ValueError("CONNECTIONS must be a mapping of connection names to settings.")
    configurations = {}
    for name, section in connections.items():
        settings = section.get("SETTINGS") if isinstance(section, Mapping) else None
        if settings is None:
            settings = {}
        if not isinstance(settings, Mapping):
            raise ValueError(f"CONNECTIONS__{name}__SETTINGS must be a mapping of settings.")
        configurations[name] = AgentAuthConfiguration(**dict(settings), _connection_key=name)
    return configurations


def _map_entries(value: Any) -> list[dict[str, str]]:
    if value is None:
        return []
    entries = list(value.values()) if isinstance(value, Mapping) else list(value)
    result = []
    for index, entry in enumerate(entries):
        if not isinstance(entry, Mapping):
            raise ValueError(f"CONNECTIONSMAP__{index} must be a mapping of settings.")
        result.append({str(key): value for key, value in entry.items()})
    return result
