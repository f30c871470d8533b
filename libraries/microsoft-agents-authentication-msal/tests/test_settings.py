"""Settings resolution (tenant, authority, region, scopes) and the start-up checks: a
connection that cannot work fails when it is created, naming the variable to fix, and
creating one never touches the network."""

from __future__ import annotations

from pathlib import Path

import pytest

from microsoft_agents.authentication.msal import (
    MsalAuth,
    MsalConfigurationError,
    MsalRequestError,
    MsalUnsupportedError,
)
from microsoft_agents.authentication.msal.testing import ClientCertificate, EntraIdStandIn
from microsoft_agents.hosting.core.authorization import AgentAuthConfiguration

GUID = "11111111-2222-3333-4444-555555555555"
OTHER = "99999999-8888-7777-6666-555555555555"
PREFIX = "CONNECTIONS__SERVICE_CONNECTION__SETTINGS__"


def config(**settings: object) -> AgentAuthConfiguration:
    return AgentAuthConfiguration(**settings)  # type: ignore[arg-type]


# -- tenant and authority ---------------------------------------------------------------------


def test_the_configured_tenant_is_used_unless_another_is_asked_for() -> None:
    c = config(TENANTID=GUID)
    assert MsalAuth._resolve_tenant_id(c) == GUID
    assert MsalAuth._resolve_tenant_id(c, OTHER) == OTHER


def test_a_common_tenant_defers_to_the_argument() -> None:
    c = config(TENANTID="Common")
    assert MsalAuth._resolve_tenant_id(c) is None
    assert MsalAuth._resolve_tenant_id(c, OTHER) == OTHER


def test_without_a_tenant_the_argument_is_required() -> None:
    assert MsalAuth._resolve_tenant_id(config(), OTHER) == OTHER
    with pytest.raises(ValueError, match="TENANT_ID is not set in the configuration"):
        MsalAuth._resolve_tenant_id(config())


def test_the_default_authority_is_the_public_cloud() -> None:
    assert MsalAuth._resolve_authority(config(TENANTID=GUID)) == (
        f"https://login.microsoftonline.com/{GUID}"
    )
    assert MsalAuth._resolve_authority(config(TENANTID="common")) == (
        "https://login.microsoftonline.com/common"
    )
    assert MsalAuth._resolve_authority(config(TENANTID="common"), OTHER) == (
        f"https://login.microsoftonline.com/{OTHER}"
    )


def test_a_configured_authority_gets_the_tenant_in_place_of_common_or_a_guid() -> None:
    c = config(TENANTID=GUID, AUTHORITY=f"https://login.microsoftonline.us/{GUID}/v2.0/")
    assert (
        MsalAuth._resolve_authority(c, OTHER) == f"https://login.microsoftonline.us/{OTHER}/v2.0/"
    )
    c = config(TENANTID="common", AUTHORITYENDPOINT="https://idp.example/common/")
    assert MsalAuth._resolve_authority(c) == "https://idp.example/common/"
    assert MsalAuth._resolve_authority(c, OTHER) == f"https://idp.example/{OTHER}/"
    c = config(TENANTID=GUID, AUTHORITY="https://idp.example/fixed")
    assert MsalAuth._resolve_authority(c) == "https://idp.example/fixed"


def test_region_and_idpm_resource() -> None:
    assert MsalAuth._resolve_azure_region(config(AZUREREGION=" westus ")) == "westus"
    assert MsalAuth._resolve_azure_region(config(REGIONALAUTHORITY="  ")) is None
    assert MsalAuth._resolve_idpm_resource(config()) == "api://AzureAdTokenExchange/.default"
    assert MsalAuth._resolve_idpm_resource(config(IDPMRESOURCE="api://x")) == "api://x"
    with pytest.raises(ValueError, match=f"{PREFIX}IDPMRESOURCE must be an absolute URI"):
        MsalAuth._resolve_idpm_resource(config(IDPMRESOURCE="not a uri"))


@pytest.mark.parametrize("url", ["", "no-scheme", "https://", "/relative/path"])
async def test_an_invalid_resource_url_is_refused_before_any_request(url: str) -> None:
    auth = MsalAuth(config(CLIENTID="app", TENANTID=GUID, CLIENTSECRET="s"))

    with pytest.raises(MsalRequestError, match="Invalid instance URL"):
        await auth.get_access_token(url, ["x/.default"])


# -- start-up checks ----------------------------------------------------------------------------


def test_a_client_id_is_required_for_a_connection_that_gets_tokens() -> None:
    with pytest.raises(MsalConfigurationError) as caught:
        MsalAuth(config(TENANTID=GUID, CLIENTSECRET="s"))
    assert f"{PREFIX}CLIENTID is required" in str(caught.value)
    assert "ANONYMOUS_ALLOWED=true" in str(caught.value)


def test_the_variable_names_the_connection() -> None:
    c = AgentAuthConfiguration(TENANTID=GUID, _connection_key="GRAPH")
    with pytest.raises(ValueError, match="CONNECTIONS__GRAPH__SETTINGS__CLIENTID"):
        MsalAuth(c)


@pytest.mark.parametrize("auth_type", ["CertificateSubjectName", "EntraAuthSideCar", "Secret"])
def test_an_unsupported_auth_type_fails_at_start_up(auth_type: str) -> None:
    with pytest.raises(NotImplementedError) as caught:
        MsalAuth(config(AUTHTYPE=auth_type, CLIENTID="app", TENANTID=GUID, CLIENTSECRET="s"))
    assert isinstance(caught.value, MsalUnsupportedError)
    message = str(caught.value)
    assert message.startswith(f"Authentication type not supported: {auth_type!r}")
    assert f"{PREFIX}AUTHTYPE" in message and "UserManagedIdentity" in message


@pytest.mark.parametrize(
    ("settings", "variable"),
    [
        ({"CLIENTID": "app", "CLIENTSECRET": "s"}, "TENANTID"),
        ({"CLIENTID": "app", "TENANTID": GUID}, "CLIENTSECRET"),
        ({"AUTHTYPE": "FederatedCredentials", "CLIENTID": "app"}, "FEDERATEDCLIENTID"),
        (
            {"AUTHTYPE": "WorkloadIdentity", "CLIENTID": "app", "TENANTID": GUID},
            "FEDERATEDTOKENFILE",
        ),
        ({"AUTHTYPE": "certificate", "CLIENTID": "app", "TENANTID": GUID}, "CERTPFXFILE"),
        ({"AUTHTYPE": "UserManagedIdentity"}, "CLIENTID"),
    ],
)
def test_a_missing_setting_is_named(settings: dict[str, str], variable: str) -> None:
    with pytest.raises(ValueError, match=f"{PREFIX}{variable}"):
        MsalAuth(config(**settings))


def test_a_missing_certificate_file_is_named(tmp_path: Path) -> None:
    missing = tmp_path / "nowhere.pfx"
    with pytest.raises(MsalConfigurationError) as caught:
        MsalAuth(
            config(AUTHTYPE="certificate", CLIENTID="a", TENANTID=GUID, CERTPFXFILE=str(missing))
        )
    assert f"{PREFIX}CERTPFXFILE names {str(missing)!r}" in str(caught.value)
    assert "No such file" in str(caught.value)


@pytest.mark.parametrize(
    ("write", "why"),
    [
        (lambda c, p: p.write_bytes(b"garbage"), "not a PFX file without a password"),
        (lambda c, p: c.write_pfx(p, password=b"pw"), "not a PFX file without a password"),
        (lambda c, p: c.write_pem(p, password=b"pw"), "its private key is encrypted"),
        (lambda c, p: p.write_bytes(c.certificate_pem), "it holds no private key"),
    ],
)
def test_an_unusable_certificate_file_fails_at_start_up(
    tmp_path: Path, write: object, why: str
) -> None:
    path = tmp_path / "cert"
    write(ClientCertificate.self_signed(), path)  # type: ignore[operator]
    with pytest.raises(MsalConfigurationError, match=why):
        MsalAuth(config(AUTHTYPE="certificate", CLIENTID="a", TENANTID=GUID, CERTPFXFILE=str(path)))


def test_a_pem_file_whose_certificate_belongs_to_another_key_is_refused(tmp_path: Path) -> None:
    mine, other = ClientCertificate.self_signed(), ClientCertificate.self_signed()
    path = tmp_path / "mixed.pem"
    mine.write_pem(path)
    path.write_bytes(path.read_bytes().split(b"-----BEGIN CERTIFICATE")[0] + other.certificate_pem)
    with pytest.raises(MsalConfigurationError, match="no certificate for its private key"):
        MsalAuth(config(AUTHTYPE="certificate", CLIENTID="a", TENANTID=GUID, CERTPFXFILE=str(path)))


def test_a_missing_workload_token_file_is_named(tmp_path: Path) -> None:
    path = str(tmp_path / "token")
    settings = {"AUTHTYPE": "WorkloadIdentity", "CLIENTID": "a", "TENANTID": GUID}
    with pytest.raises(MsalConfigurationError, match=f"{PREFIX}FEDERATEDTOKENFILE names"):
        MsalAuth(config(FEDERATEDTOKENFILE=path, **settings))


async def test_an_anonymous_connection_without_credentials_starts_but_cannot_get_tokens() -> None:
    auth = MsalAuth(config(ANONYMOUS_ALLOWED="true"))

    with pytest.raises(MsalConfigurationError) as caught:
        await auth.get_access_token("https://api.botframework.com", [])
    assert f"Set {PREFIX}CLIENTID, {PREFIX}TENANTID" in str(caught.value)


async def test_an_anonymous_connection_reports_its_missing_credential_at_first_use() -> None:
    auth = MsalAuth(config(ANONYMOUS_ALLOWED="true", CLIENTID="app", TENANTID=GUID))

    with pytest.raises(MsalConfigurationError, match=f"{PREFIX}CLIENTSECRET is required"):
        await auth.get_access_token("https://api.botframework.com", [])


async def test_creating_providers_makes_no_request(
    idp: EntraIdStandIn, tenant: str, app_id: str, secret: str
) -> None:
    settings = idp.settings(app_id, tenant, CLIENTSECRET=secret)
    auth = MsalAuth(AgentAuthConfiguration(**settings), http_client=idp.requests_session())

    assert settings["CLIENTID"] == auth.configuration.CLIENT_ID
    assert (idp.discovery_requests, idp.token_requests) == (0, [])
    await auth.get_access_token("https://api.botframework.com", [])
    assert idp.discovery_requests == 1
    assert idp.token_requests[0].scopes == ["https://api.botframework.com/.default"]
