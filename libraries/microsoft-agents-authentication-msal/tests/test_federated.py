"""Client assertions obtained elsewhere: a user-assigned managed identity's token
(FederatedCredentials) or a workload identity's token file, exchanged at the loopback
provider for the app's token; and the on-behalf-of exchange."""

from __future__ import annotations

import time
import uuid
from collections.abc import Callable
from pathlib import Path

import jwt
import pytest
from cryptography.hazmat.primitives.asymmetric import rsa

from microsoft_agents.authentication.msal import MsalAuth, TokenAcquisitionError
from microsoft_agents.authentication.msal.testing import EntraIdStandIn, ManagedIdentityStandIn

MakeAuth = Callable[..., MsalAuth]
BOT_RESOURCE = "https://api.botframework.com"
BOT_SCOPES = ["https://api.botframework.com/.default"]
FEDERATED_ID = "00000000-0000-0000-0000-0000000000f1"
CLUSTER_ISSUER = "https://cluster.example/oidc"
SERVICE_ACCOUNT = "system:serviceaccount:agents:echo"


async def test_federated_credentials_exchange_a_managed_identity_token(
    idp: EntraIdStandIn, mi: ManagedIdentityStandIn, make_auth: MakeAuth, app_id: str
) -> None:
    principal = mi.add_identity(FEDERATED_ID)
    idp.trust_federated(app_id, issuer=mi.issuer, public_key=mi.key.public_key(), subject=principal)
    auth = make_auth(
        AUTHTYPE="FederatedCredentials", FEDERATEDCLIENTID=FEDERATED_ID, CLIENTSECRET=None
    )

    token = await auth.get_access_token(BOT_RESOURCE, BOT_SCOPES)

    [mi_request] = mi.requests
    assert (mi_request.client_id, mi_request.resource) == (
        FEDERATED_ID,
        "api://AzureADTokenExchange",
    )
    [request] = idp.token_requests
    assert request.credential == "federated"
    assert request.form["client_assertion"] == mi_request.token
    assert request.assertion_claims["aud"] == "api://AzureADTokenExchange"
    assert idp.decode(token)["appid"] == app_id


async def test_federated_credentials_reuse_the_managed_identity_token(
    idp: EntraIdStandIn, mi: ManagedIdentityStandIn, make_auth: MakeAuth, app_id: str
) -> None:
    principal = mi.add_identity(FEDERATED_ID)
    idp.trust_federated(app_id, issuer=mi.issuer, public_key=mi.key.public_key(), subject=principal)
    auth = make_auth(
        AUTHTYPE="FederatedCredentials", FEDERATEDCLIENTID=FEDERATED_ID, CLIENTSECRET=None
    )

    await auth.get_access_token(BOT_RESOURCE, BOT_SCOPES)
    await auth.get_access_token("https://other.example", ["https://other.example/.default"])

    assert len(idp.token_requests) == 2
    assert len(mi.requests) == 1  # the managed identity's token is cached by MSAL


async def test_an_untrusted_federated_subject_is_refused(
    idp: EntraIdStandIn, mi: ManagedIdentityStandIn, make_auth: MakeAuth, app_id: str
) -> None:
    mi.add_identity(FEDERATED_ID)
    idp.trust_federated(app_id, issuer=mi.issuer, public_key=mi.key.public_key(), subject="other")
    auth = make_auth(
        AUTHTYPE="FederatedCredentials", FEDERATEDCLIENTID=FEDERATED_ID, CLIENTSECRET=None
    )

    with pytest.raises(TokenAcquisitionError) as caught:
        await auth.get_access_token(BOT_RESOURCE, BOT_SCOPES)

    assert caught.value.error == "invalid_client" and caught.value.error_codes == [70021]


class Cluster:
    """A Kubernetes-like issuer of projected service account tokens."""

    def __init__(self) -> None:
        self.key = rsa.generate_private_key(public_exponent=65537, key_size=2048)

    def token(self, subject: str = SERVICE_ACCOUNT) -> str:
        now = int(time.time())
        claims = {
            "iss": CLUSTER_ISSUER,
            "sub": subject,
            "aud": "api://AzureADTokenExchange",
            "iat": now,
            "exp": now + 3600,
            "jti": uuid.uuid4().hex,
        }
        return jwt.encode(claims, self.key, algorithm="RS256")


@pytest.fixture
def cluster(idp: EntraIdStandIn, app_id: str) -> Cluster:
    cluster = Cluster()
    idp.trust_federated(
        app_id, issuer=CLUSTER_ISSUER, public_key=cluster.key.public_key(), subject=SERVICE_ACCOUNT
    )
    return cluster


async def test_workload_identity_sends_the_token_file(
    idp: EntraIdStandIn, make_auth: MakeAuth, cluster: Cluster, tmp_path: Path
) -> None:
    token_file = tmp_path / "azure-identity-token"
    projected = cluster.token()
    token_file.write_text(projected + "\n")
    auth = make_auth(
        AUTHTYPE="WorkloadIdentity", FEDERATEDTOKENFILE=str(token_file), CLIENTSECRET=None
    )

    await auth.get_access_token(BOT_RESOURCE, BOT_SCOPES)

    [request] = idp.token_requests
    assert request.credential == "federated"
    assert request.form["client_assertion"] == projected  # stripped of the newline
    assert request.assertion_claims["sub"] == SERVICE_ACCOUNT


async def test_workload_identity_reads_the_rotated_file_for_each_new_token(
    idp: EntraIdStandIn, make_auth: MakeAuth, cluster: Cluster, tmp_path: Path
) -> None:
    token_file = tmp_path / "azure-identity-token"
    token_file.write_text(cluster.token())
    auth = make_auth(
        AUTHTYPE="WorkloadIdentity", FEDERATEDTOKENFILE=str(token_file), CLIENTSECRET=None
    )
    await auth.get_access_token(BOT_RESOURCE, BOT_SCOPES)
    rotated = cluster.token()
    token_file.write_text(rotated)

    await auth.get_access_token(BOT_RESOURCE, BOT_SCOPES, force_refresh=True)

    assert idp.token_requests[-1].form["client_assertion"] == rotated


async def test_an_emptied_token_file_is_a_clear_error(
    idp: EntraIdStandIn, make_auth: MakeAuth, cluster: Cluster, tmp_path: Path
) -> None:
    token_file = tmp_path / "azure-identity-token"
    token_file.write_text("  \n")
    auth = make_auth(
        AUTHTYPE="WorkloadIdentity", FEDERATEDTOKENFILE=str(token_file), CLIENTSECRET=None
    )

    with pytest.raises(TokenAcquisitionError, match="FEDERATEDTOKENFILE is empty"):
        await auth.get_access_token(BOT_RESOURCE, BOT_SCOPES)

    assert idp.token_requests == []


async def test_on_behalf_of_exchanges_the_users_token(
    idp: EntraIdStandIn, make_auth: MakeAuth, app_id: str, tenant: str
) -> None:
    user = idp.mint(tenant, {"aud": app_id, "sub": "user-sub", "oid": "user-oid"})
    auth = make_auth()

    token = await auth.acquire_token_on_behalf_of(["https://graph.example/.default"], user)

    [request] = idp.token_requests
    assert request.grant_type == "urn:ietf:params:oauth:grant-type:jwt-bearer"
    assert (request.form["assertion"], request.form["requested_token_use"]) == (
        user,
        "on_behalf_of",
    )
    claims = idp.decode(token)
    assert (claims["aud"], claims["oid"], claims["appid"]) == (
        "https://graph.example",
        "user-oid",
        app_id,
    )


async def test_on_behalf_of_with_a_rejected_user_token_raises(
    idp: EntraIdStandIn, make_auth: MakeAuth
) -> None:
    auth = make_auth()

    with pytest.raises(TokenAcquisitionError) as caught:
        await auth.acquire_token_on_behalf_of(["https://graph.example/.default"], "not-a-jwt")

    assert caught.value.error == "invalid_grant"
