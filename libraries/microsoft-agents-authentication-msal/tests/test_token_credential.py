"""MsalTokenCredential: a connection as an Azure-style async token credential."""

from __future__ import annotations

import time
from collections.abc import Callable

import pytest

from microsoft_agents.authentication.msal import MsalAuth, MsalTokenCredential
from microsoft_agents.authentication.msal.testing import EntraIdStandIn, ManagedIdentityStandIn
from microsoft_agents.hosting.core.authorization import AccessToken, AgentAuthConfiguration

MakeAuth = Callable[..., MsalAuth]


async def test_get_token_returns_the_token_and_its_expiry(
    idp: EntraIdStandIn, make_auth: MakeAuth
) -> None:
    auth = make_auth()
    credential = auth.get_token_credential()

    async with credential:
        token = await credential.get_token("https://storage.example/.default")

    assert isinstance(credential, MsalTokenCredential) and credential.provider is auth
    assert isinstance(token, AccessToken)
    assert token.token == idp.issued_tokens[0]
    assert idp.token_requests[0].scopes == ["https://storage.example/.default"]
    assert abs(token.expires_on - (time.time() + idp.token_lifetime)) < 5


async def test_the_first_scope_without_default_is_the_managed_identity_resource(
    mi: ManagedIdentityStandIn,
) -> None:
    credential = MsalTokenCredential(AgentAuthConfiguration(AUTHTYPE="SystemManagedIdentity"))

    await credential.get_token("https://vault.example/.default")

    assert mi.requests[0].resource == "https://vault.example"


async def test_get_token_needs_a_scope(make_auth: MakeAuth) -> None:
    with pytest.raises(ValueError, match="at least one scope"):
        await make_auth().get_token_credential().get_token()
