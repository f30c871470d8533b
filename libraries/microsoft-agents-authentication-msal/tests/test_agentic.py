"""Agentic tokens: the blueprint's token for an agent instance (``fmi_path``), the
instance's own token (the blueprint token as its client assertion) and an agentic user's
token (``user_fic`` grant), all from the loopback provider through MSAL."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from microsoft_agents.authentication.msal import MsalAuth
from microsoft_agents.authentication.msal.testing import EntraIdStandIn
from microsoft_agents.hosting.core.authorization import AgentAuthConfiguration

MakeAuth = Callable[..., MsalAuth]
INSTANCE = "00000000-0000-0000-0000-00000000e001"
USER = "00000000-0000-0000-0000-00000000f00d"
EXCHANGE = "api://AzureAdTokenExchange"


@pytest.fixture
def instance(idp: EntraIdStandIn, tenant: str) -> str:
    # The instance's app accepts the blueprint's token for it as its credential.
    idp.trust_federated(
        INSTANCE,
        issuer=idp.issuer(tenant),
        public_key=idp.key.public_key(),
        subject=INSTANCE,
        audience=EXCHANGE,
    )
    return INSTANCE


async def test_the_blueprint_token_names_the_instance(
    idp: EntraIdStandIn, make_auth: MakeAuth, tenant: str, app_id: str
) -> None:
    auth = make_auth()

    token = await auth.get_agentic_application_token(tenant, INSTANCE)
    again = await auth.get_agentic_application_token(tenant, INSTANCE)

    [request] = idp.token_requests
    assert (request.client_id, request.form["fmi_path"]) == (app_id, INSTANCE)
    assert request.scopes == [f"{EXCHANGE}/.default"]
    assert token == again
    assert idp.decode(token or "")["fmi_path"] == INSTANCE


async def test_the_instance_token_uses_the_blueprint_token_as_assertion(
    idp: EntraIdStandIn, make_auth: MakeAuth, tenant: str, instance: str
) -> None:
    auth = make_auth()

    instance_token, blueprint_token = await auth.get_agentic_instance_token(tenant, instance)

    blueprint_request, instance_request = idp.token_requests
    assert blueprint_request.token == blueprint_token
    assert instance_request.client_id == instance
    assert instance_request.credential == "federated"
    assert instance_request.form["client_assertion"] == blueprint_token
    assert idp.decode(instance_token)["appid"] == instance


async def test_the_agentic_user_token_exchanges_the_instance_token(
    idp: EntraIdStandIn, make_auth: MakeAuth, tenant: str, instance: str
) -> None:
    auth = make_auth()

    token = await auth.get_agentic_user_token(
        tenant, instance, USER, ["https://graph.example/.default"]
    )
    again = await auth.get_agentic_user_token(
        tenant, instance, USER, ["https://graph.example/.default"]
    )

    user_request = idp.token_requests[-1]
    assert user_request.grant_type == "user_fic"
    assert user_request.form["user_id"] == USER
    instance_token = idp.token_requests[1].token
    assert user_request.form["user_federated_identity_credential"] == instance_token
    assert token == again and len(idp.token_requests) == 3
    claims = idp.decode(token or "")
    assert (claims["oid"], claims["aud"]) == (USER, "https://graph.example")


async def test_agentic_calls_need_their_ids(make_auth: MakeAuth, tenant: str) -> None:
    auth = make_auth()

    with pytest.raises(ValueError, match="instance id is required"):
        await auth.get_agentic_application_token(tenant, "")
    with pytest.raises(ValueError, match="instance id is required"):
        await auth.get_agentic_instance_token(tenant, "")
    with pytest.raises(ValueError, match="agentic user id are required"):
        await auth.get_agentic_user_token(tenant, INSTANCE, "", ["x/.default"])


async def test_a_plain_managed_identity_cannot_get_agentic_tokens() -> None:
    auth = MsalAuth(AgentAuthConfiguration(AUTHTYPE="SystemManagedIdentity"))

    with pytest.raises(RuntimeError, match="IdentityProxyManager"):
        await auth.get_agentic_application_token("tenant", INSTANCE)
