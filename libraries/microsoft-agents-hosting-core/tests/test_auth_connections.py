"""ConnectionManager (CONNECTIONS/CONNECTIONSMAP routing) and AnonymousTokenProvider."""

from __future__ import annotations

from typing import Any

import pytest

from microsoft_agents.activity import Activity, ChannelAccount
from microsoft_agents.activity.config import load_configuration_from_env
from microsoft_agents.hosting.core.authorization import (
    AccessTokenProviderBase,
    AgentAuthConfiguration,
    AnonymousTokenProvider,
    ClaimsIdentity,
    ConnectionManager,
    Connections,
)


class RecordingProvider(AnonymousTokenProvider):
    """A real provider (anonymous tokens) that remembers the configuration it was made for."""

    made: list[AgentAuthConfiguration] = []

    def __init__(self, configuration: AgentAuthConfiguration) -> None:
        super().__init__(configuration)
        RecordingProvider.made.append(configuration)


def env_manager(env: dict[str, str], **extra: Any) -> ConnectionManager:
    return ConnectionManager(RecordingProvider, **{**load_configuration_from_env(env), **extra})


BASE_ENV = {
    "CONNECTIONS__SERVICE_CONNECTION__SETTINGS__CLIENTID": "service-app",
    "CONNECTIONS__TEAMS__SETTINGS__CLIENTID": "teams-app",
    "CONNECTIONS__AGENT__SETTINGS__CLIENTID": "agent-app",
}


def claims(aud: str | None = "service-app") -> ClaimsIdentity:
    return ClaimsIdentity({"aud": aud} if aud else {})


def client_id(provider: AccessTokenProviderBase) -> str | None:
    return provider.configuration.CLIENT_ID


def test_builds_a_provider_per_connection_from_env() -> None:
    RecordingProvider.made.clear()
    manager = env_manager(BASE_ENV)
    assert isinstance(manager, Connections)
    assert sorted(c.CLIENT_ID or "" for c in RecordingProvider.made) == [
        "agent-app",
        "service-app",
        "teams-app",
    ]
    assert client_id(manager.get_connection("TEAMS")) == "teams-app"
    assert client_id(manager.get_connection(None)) == "service-app"
    assert client_id(manager.get_default_connection()) == "service-app"
    assert manager.get_default_connection_configuration().CLIENT_ID == "service-app"


def test_configurations_know_each_other() -> None:
    manager = env_manager(BASE_ENV)
    default = manager.get_default_connection_configuration()
    assert sorted(default.connections) == ["AGENT", "SERVICE_CONNECTION", "TEAMS"]
    teams = manager.get_connection("TEAMS").configuration
    assert teams.connections["AGENT"].CLIENT_ID == "agent-app"


def test_explicit_configurations() -> None:
    configs = {
        "SERVICE_CONNECTION": AgentAuthConfiguration(client_id="a"),
        "OTHER": AgentAuthConfiguration(client_id="b"),
    }
    manager = ConnectionManager(AnonymousTokenProvider, connections_configurations=configs)
    assert client_id(manager.get_connection("OTHER")) == "b"
    assert configs["SERVICE_CONNECTION"].connections["OTHER"] is configs["OTHER"]


@pytest.mark.parametrize(
    "kwargs",
    [
        {},
        {"CONNECTIONS": {}},
        {"CONNECTIONS": {"OTHER": {"SETTINGS": {"CLIENTID": "x"}}}},
    ],
)
def test_missing_service_connection(kwargs: dict[str, Any]) -> None:
    with pytest.raises(ValueError, match="No service connection configuration provided"):
        ConnectionManager(AnonymousTokenProvider, **kwargs)


def test_unknown_connection_name() -> None:
    manager = env_manager(BASE_ENV)
    with pytest.raises(ValueError, match="'NOPE'"):
        manager.get_connection("NOPE")


def test_no_map_routes_to_the_default() -> None:
    manager = env_manager(BASE_ENV)
    provider = manager.get_token_provider(claims("teams-app"), "https://smba.example.com/")
    assert client_id(provider) == "service-app"


def test_token_provider_arguments_are_required() -> None:
    manager = env_manager(BASE_ENV)
    with pytest.raises(ValueError):
        manager.get_token_provider(None, "https://x")  # type: ignore[arg-type]
    with pytest.raises(ValueError):
        manager.get_token_provider(claims(), "")


MAP_ENV = {
    **BASE_ENV,
    # Agent-to-agent calls for agent-app, whatever the URL.
    "CONNECTIONSMAP__0__AUDIENCE": "AGENT-APP",
    "CONNECTIONSMAP__0__SERVICEURL": "*",
    "CONNECTIONSMAP__0__CONNECTION": "AGENT",
    # Teams channel URLs.
    "CONNECTIONSMAP__1__SERVICEURL": r"^https://smba\.trafficmanager\.net/",
    "CONNECTIONSMAP__1__CONNECTION": "TEAMS",
    # A search (not a full match) anywhere in the URL.
    "CONNECTIONSMAP__2__SERVICEURL": "directline",
    "CONNECTIONSMAP__2__CONNECTION": "SERVICE_CONNECTION",
}


@pytest.mark.parametrize(
    ("aud", "url", "expected"),
    [
        ("agent-app", "https://anything.example/", "agent-app"),
        ("Agent-App", "https://smba.trafficmanager.net/amer/", "agent-app"),
        ("service-app", "https://smba.trafficmanager.net/amer/", "teams-app"),
        ("service-app", "HTTPS://SMBA.TRAFFICMANAGER.NET/emea/", "teams-app"),
        ("service-app", "https://europe.directline.botframework.com/", "service-app"),
        (None, "https://DirectLine.example/", "service-app"),
    ],
)
def test_map_routing(aud: str | None, url: str, expected: str) -> None:
    manager = env_manager(MAP_ENV)
    assert client_id(manager.get_token_provider(claims(aud), url)) == expected


def test_map_without_a_matching_entry() -> None:
    manager = env_manager(MAP_ENV)
    with pytest.raises(ValueError, match="No CONNECTIONSMAP entry"):
        manager.get_token_provider(claims("service-app"), "https://webchat.example/")


def test_audience_entry_needs_an_app_id() -> None:
    manager = env_manager(
        BASE_ENV,
        CONNECTIONSMAP=[
            {"AUDIENCE": "agent-app", "SERVICEURL": "*", "CONNECTION": "AGENT"},
            {"SERVICEURL": "", "CONNECTION": "TEAMS"},
        ],
    )
    assert client_id(manager.get_token_provider(claims(None), "https://x/")) == "teams-app"


def test_first_applicable_entry_wins_and_empty_pattern_is_any() -> None:
    connections_map = [
        {"SERVICEURL": "", "CONNECTION": "TEAMS"},
        {"SERVICEURL": "*", "CONNECTION": "AGENT"},
    ]
    manager = env_manager(BASE_ENV, connections_map=connections_map)
    assert client_id(manager.get_token_provider(claims(), "https://x/")) == "teams-app"
    assert manager.connections_map == connections_map


def test_map_given_as_dict_uses_its_values() -> None:
    manager = env_manager(
        BASE_ENV,
        CONNECTIONSMAP={
            "first": {"SERVICEURL": "teams", "CONNECTION": "TEAMS"},
            "second": {"SERVICEURL": "*", "CONNECTION": "AGENT"},
        },
    )
    assert client_id(manager.get_token_provider(claims(), "https://teams.x/")) == "teams-app"
    assert client_id(manager.get_token_provider(claims(), "https://other/")) == "agent-app"


def test_invalid_regex() -> None:
    manager = env_manager(BASE_ENV, CONNECTIONSMAP=[{"SERVICEURL": "*.bad(", "CONNECTION": "X"}])
    with pytest.raises(ValueError, match="not a valid regular expression"):
        manager.get_token_provider(claims(), "https://x/")


def test_entry_naming_an_unknown_connection() -> None:
    manager = env_manager(BASE_ENV, CONNECTIONSMAP=[{"SERVICEURL": "*", "CONNECTION": "GONE"}])
    with pytest.raises(ValueError, match="'GONE'"):
        manager.get_token_provider(claims(), "https://x/")


def agentic_activity(role: str) -> Activity:
    return Activity(
        type="message",
        service_url="https://smba.trafficmanager.net/amer/",
        recipient=ChannelAccount(id="agent", role=role),
    )


def test_agentic_requests_switch_to_the_alternate_blueprint() -> None:
    env = {
        **BASE_ENV,
        "CONNECTIONS__SERVICE_CONNECTION__SETTINGS__ALT_BLUEPRINT_NAME": "AGENT",
    }
    manager = env_manager(env)
    agentic = manager.get_token_provider_from_activity(claims(), agentic_activity("agenticUser"))
    assert client_id(agentic) == "agent-app"
    normal = manager.get_token_provider_from_activity(claims(), agentic_activity("bot"))
    assert client_id(normal) == "service-app"


async def test_anonymous_provider_returns_empty_tokens() -> None:
    provider = AnonymousTokenProvider()
    assert isinstance(provider, AccessTokenProviderBase)
    assert provider.configuration.CLIENT_ID is None
    assert await provider.get_access_token("https://api.botframework.com", []) == ""
    assert await provider.acquire_token_on_behalf_of(["s"], "assertion") == ""
    assert await provider.get_agentic_instance_token("t", "i") == ("", "")
    credential = provider.get_token_credential()
    assert (await credential.get_token("scope")).token == ""
