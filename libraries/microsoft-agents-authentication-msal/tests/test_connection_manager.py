"""MsalConnectionManager built the way the samples build it —
``MsalConnectionManager(**load_configuration_from_env(env))`` — and its routing."""

from __future__ import annotations

from typing import Any

import pytest

from microsoft_agents.activity import Activity, load_configuration_from_env
from microsoft_agents.authentication.msal import (
    MsalAuth,
    MsalConfigurationError,
    MsalConnectionManager,
    MsalUnsupportedError,
)
from microsoft_agents.authentication.msal.testing import EntraIdStandIn
from microsoft_agents.hosting.core.authorization import ClaimsIdentity, ConnectionManager

GUID = "11111111-2222-3333-4444-555555555555"
APP = "00000000-0000-0000-0000-0000000000a1"
OTHER_APP = "00000000-0000-0000-0000-0000000000b2"


def seed_env(**extra: str) -> dict[str, str]:
    env = {
        "CONNECTIONS__SERVICE_CONNECTION__SETTINGS__CLIENTID": APP,
        "CONNECTIONS__SERVICE_CONNECTION__SETTINGS__CLIENTSECRET": "seed-secret",
        "CONNECTIONS__SERVICE_CONNECTION__SETTINGS__TENANTID": GUID,
    }
    env.update(extra)
    return env


def manager(env: dict[str, str], **kwargs: Any) -> MsalConnectionManager:
    return MsalConnectionManager(**load_configuration_from_env(env), **kwargs)


def claims(app_id: str = APP) -> ClaimsIdentity:
    return ClaimsIdentity({"aud": app_id, "iss": "https://api.botframework.com"})


def test_the_seed_configuration_builds_msal_connections() -> None:
    connections = manager(seed_env(AGENTAPPLICATION__STARTTYPINGTIMER="true"))

    assert isinstance(connections, ConnectionManager)
    provider = connections.get_default_connection()
    assert isinstance(provider, MsalAuth)
    assert connections.get_connection(None) is provider
    config = connections.get_default_connection_configuration()
    assert provider.configuration is config
    assert (config.CLIENT_ID, config.TENANT_ID, config.CLIENT_SECRET) == (APP, GUID, "seed-secret")
    assert "seed-secret" not in repr(config) and "seed-secret" not in repr(provider)


def test_a_configuration_without_the_service_connection_is_refused() -> None:
    env = {"CONNECTIONS__OTHER__SETTINGS__CLIENTID": APP}
    with pytest.raises(ValueError, match="No service connection configuration provided"):
        manager(env)


def test_a_broken_connection_fails_at_start_up_naming_its_variable() -> None:
    env = seed_env(
        CONNECTIONS__GRAPH__SETTINGS__CLIENTID=OTHER_APP,
        CONNECTIONS__GRAPH__SETTINGS__TENANTID=GUID,
    )
    with pytest.raises(MsalConfigurationError, match="CONNECTIONS__GRAPH__SETTINGS__CLIENTSECRET"):
        manager(env)
    env["CONNECTIONS__GRAPH__SETTINGS__AUTHTYPE"] = "CertificateSubjectName"
    with pytest.raises(MsalUnsupportedError, match="CONNECTIONS__GRAPH__SETTINGS__AUTHTYPE"):
        manager(env)


def test_a_credential_less_anonymous_setup_constructs() -> None:
    connections = manager({"CONNECTIONS__SERVICE_CONNECTION__SETTINGS__ANONYMOUS_ALLOWED": "true"})

    config = connections.get_default_connection_configuration()
    assert config.ANONYMOUS_ALLOWED and config.CLIENT_ID is None


def test_without_a_map_every_request_uses_the_service_connection() -> None:
    connections = manager(seed_env())

    provider = connections.get_token_provider(claims(), "https://smba.example.com/")

    assert provider is connections.get_default_connection()


def test_the_map_routes_by_service_url_and_audience() -> None:
    env = seed_env(
        CONNECTIONS__TEAMS__SETTINGS__CLIENTID=OTHER_APP,
        CONNECTIONS__TEAMS__SETTINGS__CLIENTSECRET="teams-secret",
        CONNECTIONS__TEAMS__SETTINGS__TENANTID=GUID,
        CONNECTIONSMAP__0__SERVICEURL=r"^https://smba\.trafficmanager\.net/",
        CONNECTIONSMAP__0__AUDIENCE=OTHER_APP.upper(),
        CONNECTIONSMAP__0__CONNECTION="TEAMS",
        CONNECTIONSMAP__1__SERVICEURL="*",
        CONNECTIONSMAP__1__CONNECTION="SERVICE_CONNECTION",
    )
    connections = manager(env)
    teams = connections.get_connection("TEAMS")

    assert (
        connections.get_token_provider(claims(OTHER_APP), "https://SMBA.trafficmanager.net/x/")
        is teams
    )
    # same URL, another audience; and another URL: the wildcard entry
    assert connections.get_token_provider(claims(APP), "https://smba.trafficmanager.net/x/") is (
        connections.get_default_connection()
    )
    assert connections.get_token_provider(claims(OTHER_APP), "https://webchat.example/") is (
        connections.get_default_connection()
    )
    assert isinstance(teams, MsalAuth) and teams.configuration.CLIENT_ID == OTHER_APP
    # every connection knows the others (tokens for either app id are accepted inbound)
    assert set(teams.configuration.connections) == {"SERVICE_CONNECTION", "TEAMS"}


def test_no_applicable_map_entry_is_an_error() -> None:
    env = seed_env(
        CONNECTIONSMAP__0__SERVICEURL="teams", CONNECTIONSMAP__0__CONNECTION="SERVICE_CONNECTION"
    )
    connections = manager(env)

    with pytest.raises(ValueError, match="No CONNECTIONSMAP entry applies"):
        connections.get_token_provider(claims(), "https://webchat.example/")


async def test_an_agent_caller_gets_a_token_scoped_to_its_app_id(
    idp: EntraIdStandIn, tenant: str
) -> None:
    idp.register_secret(APP, "seed-secret")
    env = seed_env(
        CONNECTIONS__SERVICE_CONNECTION__SETTINGS__TENANTID=tenant,
        CONNECTIONS__SERVICE_CONNECTION__SETTINGS__AUTHORITY=idp.authority(tenant),
    )
    connections = manager(env, http_client=idp.requests_session())
    caller = ClaimsIdentity({"aud": APP, "azp": OTHER_APP, "ver": "2.0"})
    activity = Activity(type="message", service_url="https://agent.example/api/")

    provider = connections.get_token_provider_from_activity(caller, activity)
    token = await provider.get_access_token(caller.get_token_audience(), caller.get_token_scope())

    assert caller.get_token_scope() == [f"{OTHER_APP}/.default"]
    assert idp.token_requests[0].scopes == [f"{OTHER_APP}/.default"]
    assert idp.decode(token)["aud"] == OTHER_APP
