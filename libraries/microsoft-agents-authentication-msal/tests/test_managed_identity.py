"""Managed identity connections: MSAL's ManagedIdentityClient against the loopback endpoint
(IMDS style through AZURE_POD_IDENTITY_AUTHORITY_HOST, App Service style through
IDENTITY_ENDPOINT/IDENTITY_HEADER)."""

from __future__ import annotations

from typing import Any

import pytest

from microsoft_agents.authentication.msal import (
    MsalAuth,
    MsalUnsupportedError,
    TokenAcquisitionError,
)
from microsoft_agents.authentication.msal.testing import ManagedIdentityStandIn
from microsoft_agents.hosting.core.authorization import AgentAuthConfiguration

BOT_RESOURCE = "https://api.botframework.com"
BOT_SCOPES = ["https://api.botframework.com/.default"]
IDENTITY = "00000000-0000-0000-0000-00000000c1d1"


def _auth(**settings: Any) -> MsalAuth:
    return MsalAuth(AgentAuthConfiguration(**settings))


async def test_a_user_assigned_identity_gets_a_token_for_the_resource(
    mi: ManagedIdentityStandIn,
) -> None:
    principal = mi.add_identity(IDENTITY)
    auth = _auth(AUTHTYPE="UserManagedIdentity", CLIENTID=IDENTITY)

    token = await auth.get_access_token(BOT_RESOURCE, BOT_SCOPES)

    [request] = mi.requests
    assert (request.source, request.resource, request.client_id) == ("imds", BOT_RESOURCE, IDENTITY)
    assert request.headers["Metadata"] == "true"
    claims = mi.decode(token)
    assert (claims["aud"], claims["sub"]) == (BOT_RESOURCE, principal)


async def test_a_system_assigned_identity_names_no_client_id(mi: ManagedIdentityStandIn) -> None:
    auth = _auth(AUTHTYPE="SystemManagedIdentity")

    token = await auth.get_access_token(BOT_RESOURCE, BOT_SCOPES)

    assert mi.requests[0].client_id is None
    assert mi.decode(token)["sub"] == mi.principal()


async def test_managed_identity_tokens_are_cached_per_resource(mi: ManagedIdentityStandIn) -> None:
    mi.add_identity(IDENTITY)
    auth = _auth(AUTHTYPE="UserManagedIdentity", CLIENTID=IDENTITY)

    first = await auth.get_access_token(BOT_RESOURCE, BOT_SCOPES)
    again = await auth.get_access_token(BOT_RESOURCE, BOT_SCOPES)
    other = await auth.get_access_token("https://vault.example", ["https://vault.example/.default"])
    forced = await auth.get_access_token(BOT_RESOURCE, BOT_SCOPES, force_refresh=True)

    assert first == again and other != first and forced != first
    assert [r.resource for r in mi.requests] == [
        BOT_RESOURCE,
        "https://vault.example",
        BOT_RESOURCE,
    ]


async def test_the_app_service_source_is_used_when_its_variables_are_set(
    mi: ManagedIdentityStandIn, monkeypatch: pytest.MonkeyPatch
) -> None:
    for name, value in mi.app_service_environment().items():
        monkeypatch.setenv(name, value)
    mi.add_identity(IDENTITY)
    auth = _auth(AUTHTYPE="UserManagedIdentity", CLIENTID=IDENTITY)

    await auth.get_access_token(BOT_RESOURCE, BOT_SCOPES)

    [request] = mi.requests
    assert (request.source, request.client_id) == ("app_service", IDENTITY)
    assert request.headers["X-IDENTITY-HEADER"] == mi.identity_header


async def test_identity_proxy_manager_uses_the_user_assigned_identity(
    mi: ManagedIdentityStandIn,
) -> None:
    mi.add_identity(IDENTITY)
    auth = _auth(AUTHTYPE="IdentityProxyManager", CLIENTID=IDENTITY)

    await auth.get_access_token(BOT_RESOURCE, BOT_SCOPES)

    assert mi.requests[0].client_id == IDENTITY


async def test_an_unknown_identity_is_a_token_acquisition_error(
    mi: ManagedIdentityStandIn,
) -> None:
    auth = _auth(AUTHTYPE="UserManagedIdentity", CLIENTID=IDENTITY)  # not assigned

    with pytest.raises(TokenAcquisitionError, match="Identity not found") as caught:
        await auth.get_access_token(BOT_RESOURCE, BOT_SCOPES)

    assert caught.value.error == "invalid_request"
    assert isinstance(caught.value, ValueError)


async def test_the_endpoint_failing_is_a_token_acquisition_error(
    mi: ManagedIdentityStandIn,
) -> None:
    mi.add_identity(IDENTITY)
    mi.fail_next(500, "server_error")
    auth = _auth(AUTHTYPE="UserManagedIdentity", CLIENTID=IDENTITY)

    with pytest.raises(TokenAcquisitionError, match="server_error"):
        await auth.get_access_token(BOT_RESOURCE, BOT_SCOPES)


async def test_on_behalf_of_is_not_supported_with_a_managed_identity(
    mi: ManagedIdentityStandIn,
) -> None:
    auth = _auth(AUTHTYPE="SystemManagedIdentity")

    with pytest.raises(NotImplementedError) as caught:
        await auth.acquire_token_on_behalf_of(["api://x/.default"], "user-token")

    assert isinstance(caught.value, MsalUnsupportedError)
    assert mi.requests == []
