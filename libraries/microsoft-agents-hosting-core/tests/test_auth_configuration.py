"""AgentAuthConfiguration: env-key fallbacks, coercion, validation, issuer and key defaults."""

from __future__ import annotations

import pytest

from microsoft_agents.activity.config import load_configuration_from_env
from microsoft_agents.hosting.core.authorization import (
    AgentAuthConfiguration,
    AnonymousTokenProvider,
    AuthTypes,
    ConnectionManager,
)
from microsoft_agents.hosting.core.authorization import AuthenticationConstants as C

TENANT = "7c0c3f4e-2b1a-4e8e-9a77-3f1f2c6d9b10"


def test_defaults() -> None:
    config = AgentAuthConfiguration()
    assert AuthTypes.client_secret == config.AUTH_TYPE
    assert config.CLIENT_ID is None and config.TENANT_ID is None
    assert config.ANONYMOUS_ALLOWED is False
    assert config.VALIDATE_ISSUER is False
    assert config.SEND_X5C is False
    assert config.SCOPES is None
    assert config.provider_settings == {}
    assert config.ISSUERS == [
        "https://api.botframework.com",
        "https://sts.windows.net/common/",
        "https://login.microsoftonline.com/common/v2.0",
    ]
    assert config.abs_openid_metadata_url == C.PUBLIC_ABS_OPENID_METADATA_URL
    assert config.openid_metadata_url == C.PUBLIC_OPENID_METADATA_URL


@pytest.mark.parametrize(
    ("settings", "attribute", "expected"),
    [
        ({"AUTHTYPE": "certificate", "CERTPFXFILE": "c.pfx"}, "AUTH_TYPE", AuthTypes.certificate),
        ({"CLIENTID": "app"}, "CLIENT_ID", "app"),
        ({"TENANTID": TENANT}, "TENANT_ID", TENANT),
        ({"CLIENTSECRET": "s"}, "CLIENT_SECRET", "s"),
        ({"CERTPFXFILE": "c.pfx"}, "CERT_PFX_FILE", "c.pfx"),
        ({"CONNECTIONNAME": "graph"}, "CONNECTION_NAME", "graph"),
        ({"AUTHORITY": "https://a/t"}, "AUTHORITY", "https://a/t"),
        ({"AUTHORITYENDPOINT": "https://b/t"}, "AUTHORITY", "https://b/t"),
        (
            {"AUTHORITY": "https://a/t", "AUTHORITYENDPOINT": "https://b/t"},
            "AUTHORITY",
            "https://a/t",
        ),
        ({"FEDERATEDCLIENTID": "fed"}, "FEDERATED_CLIENT_ID", "fed"),
        ({"FEDERATEDTOKENFILE": "/t"}, "FEDERATED_TOKEN_FILE", "/t"),
        ({"SCOPES": ["a/.default"]}, "SCOPES", ["a/.default"]),
        ({"SCOPES": {"0": "a", "1": "b"}}, "SCOPES", ["a", "b"]),
        ({"AZUREREGION": "westus"}, "AZURE_REGION", "westus"),
        ({"REGIONALAUTHORITY": "eastus"}, "AZURE_REGION", "eastus"),
        ({"IDPMRESOURCE": "api://x"}, "IDPM_RESOURCE", "api://x"),
        ({"ALT_BLUEPRINT_NAME": "alt"}, "ALT_BLUEPRINT_ID", "alt"),
        ({"ALTERNATEBLUEPRINTCONNECTIONNAME": "alt2"}, "ALT_BLUEPRINT_ID", "alt2"),
        (
            {"ALT_BLUEPRINT_NAME": "alt", "ALTERNATEBLUEPRINTCONNECTIONNAME": "alt2"},
            "ALT_BLUEPRINT_ID",
            "alt",
        ),
        ({"ANONYMOUS_ALLOWED": "true"}, "ANONYMOUS_ALLOWED", True),
        ({"ANONYMOUS_ALLOWED": " TRUE "}, "ANONYMOUS_ALLOWED", True),
        ({"ANONYMOUS_ALLOWED": "1"}, "ANONYMOUS_ALLOWED", True),
        ({"ANONYMOUS_ALLOWED": "yes-please"}, "ANONYMOUS_ALLOWED", False),
        ({"ANONYMOUS_ALLOWED": ""}, "ANONYMOUS_ALLOWED", False),
        ({"VALIDATE_ISSUER": "True"}, "VALIDATE_ISSUER", True),
        ({"SENDX5C": "true"}, "SEND_X5C", True),
        ({"SENDX5C": "no"}, "SEND_X5C", False),
        ({"OPENIDMETADATAURL": "https://idp/x"}, "openid_metadata_url", "https://idp/x"),
        (
            {"AZUREBOTSERVICEOPENIDMETADATAURL": "https://abs/x"},
            "abs_openid_metadata_url",
            "https://abs/x",
        ),
    ],
)
def test_env_keys(settings: dict[str, object], attribute: str, expected: object) -> None:
    assert getattr(AgentAuthConfiguration(**settings), attribute) == expected


def test_keywords_win_over_env_keys() -> None:
    config = AgentAuthConfiguration(
        client_id="kw",
        tenant_id="kw-tenant",
        anonymous_allowed=False,
        authority="https://login.microsoftonline.com/kw-tenant",
        CLIENTID="env",
        TENANTID="env-tenant",
        ANONYMOUS_ALLOWED="true",
        AUTHORITY="https://x/env",
    )
    assert config.CLIENT_ID == "kw"
    assert config.TENANT_ID == "kw-tenant"
    assert config.ANONYMOUS_ALLOWED is False
    assert config.AUTHORITY == "https://login.microsoftonline.com/kw-tenant"


def test_auth_type_values_are_case_sensitive() -> None:
    exact = AgentAuthConfiguration(auth_type="UserManagedIdentity")
    assert exact.AUTH_TYPE is AuthTypes.user_managed_identity
    # A differently cased value is not the certificate kind, so no certificate is required.
    other = AgentAuthConfiguration(auth_type="Certificate")
    assert other.AUTH_TYPE == "Certificate"
    assert AuthTypes.certificate != other.AUTH_TYPE


def test_unknown_settings_go_to_provider_settings() -> None:
    config = AgentAuthConfiguration(CLIENTID="app", CUSTOMKEY="v", ANOTHER=1)
    assert config.provider_settings == {"CUSTOMKEY": "v", "ANOTHER": 1}


def test_read_only_aliases() -> None:
    config = AgentAuthConfiguration(
        CLIENTID="app",
        TENANTID=TENANT,
        AUTHORITY="https://login.microsoftonline.com/x",
        SCOPES="a b",
        ALT_BLUEPRINT_NAME="alt",
    )
    assert config.client_id == "app"
    assert config.tenant_id == TENANT
    assert config.authority == "https://login.microsoftonline.com/x"
    assert config.scopes == ["a", "b"]
    assert config.alternate_blueprint_connection_name == "alt"
    with pytest.raises(AttributeError):
        config.client_id = "other"  # type: ignore[misc]


@pytest.mark.parametrize(
    ("settings", "variable"),
    [
        ({"AUTHTYPE": "certificate"}, "CERTPFXFILE"),
        ({"AUTHTYPE": "FederatedCredentials"}, "FEDERATEDCLIENTID"),
        ({"AUTHTYPE": "WorkloadIdentity"}, "FEDERATEDTOKENFILE"),
    ],
)
def test_validation_names_the_variable(settings: dict[str, str], variable: str) -> None:
    auth_type = settings["AUTHTYPE"]
    with pytest.raises(ValueError) as error:
        AgentAuthConfiguration(**settings)
    assert str(error.value) == (
        f"CONNECTIONS__SERVICE_CONNECTION__SETTINGS__{variable} is required when AUTHTYPE is "
        f"{auth_type}"
    )


def test_validation_names_the_connection_of_a_connection_manager() -> None:
    env = {
        "CONNECTIONS__SERVICE_CONNECTION__SETTINGS__CLIENTID": "app",
        "CONNECTIONS__GRAPH__SETTINGS__AUTHTYPE": "certificate",
    }
    with pytest.raises(ValueError, match=r"^CONNECTIONS__GRAPH__SETTINGS__CERTPFXFILE is required"):
        ConnectionManager(AnonymousTokenProvider, **load_configuration_from_env(env))


def test_satisfied_requirements_pass() -> None:
    assert AgentAuthConfiguration(auth_type="certificate", cert_pfx_file="c.pfx").CERT_PFX_FILE
    assert AgentAuthConfiguration(AUTHTYPE="WorkloadIdentity", FEDERATEDTOKENFILE="/f")
    assert AgentAuthConfiguration(AUTHTYPE="FederatedCredentials", FEDERATEDCLIENTID="f")


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (["https://a", "https://b"], ["https://a", "https://b"]),
        ({"0": "https://a", "1": "https://b"}, ["https://a", "https://b"]),
        ("https://a, https://b", ["https://a", "https://b"]),
        ("https://a https://b", ["https://a", "https://b"]),
    ],
)
def test_issuers_setting_forms(value: object, expected: list[str]) -> None:
    assert expected == AgentAuthConfiguration(ISSUERS=value).ISSUERS
    assert expected == AgentAuthConfiguration(issuers=value).ISSUERS  # type: ignore[arg-type]


def test_issuers_setting_rejects_non_strings() -> None:
    with pytest.raises(ValueError, match="ISSUERS"):
        AgentAuthConfiguration(ISSUERS=[1, 2])


def test_default_issuers_use_the_authority_tenant_first() -> None:
    config = AgentAuthConfiguration(
        TENANTID="ignored", AUTHORITY=f"https://login.microsoftonline.com/{TENANT}/"
    )
    assert [
        "https://api.botframework.com",
        f"https://sts.windows.net/{TENANT}/",
        f"https://login.microsoftonline.com/{TENANT}/v2.0",
    ] == config.ISSUERS
    assert (
        AgentAuthConfiguration(TENANTID=TENANT).ISSUERS[1] == f"https://sts.windows.net/{TENANT}/"
    )


def test_gov_authority_defaults() -> None:
    config = AgentAuthConfiguration(AUTHORITY=f"https://login.microsoftonline.us/{TENANT}")
    assert config.is_gov
    assert [
        "https://api.botframework.us",
        f"https://sts.windows.net/{TENANT}/",
        f"https://login.microsoftonline.us/{TENANT}/v2.0",
    ] == config.ISSUERS
    assert config.abs_openid_metadata_url == C.GOV_ABS_OPENID_METADATA_URL
    assert config.openid_metadata_url == (
        f"https://login.microsoftonline.us/{TENANT}/v2.0/.well-known/openid-configuration"
    )


def test_tenant_specific_openid_default() -> None:
    config = AgentAuthConfiguration(TENANTID=TENANT)
    assert not config.is_gov
    assert config.openid_metadata_url == (
        f"https://login.microsoftonline.com/{TENANT}/v2.0/.well-known/openid-configuration"
    )


@pytest.mark.parametrize(
    "url",
    [
        "http://127.0.0.1:8080/.well-known/openid-configuration",
        "http://127.9.9.9/keys",
        "http://[::1]:9000/keys",
        "http://localhost/keys",
        "https://login.example.com/keys",
    ],
)
def test_key_urls_allowed(url: str) -> None:
    config = AgentAuthConfiguration(OPENIDMETADATAURL=url, AZUREBOTSERVICEOPENIDMETADATAURL=url)
    assert config.openid_metadata_url == url
    assert config.abs_openid_metadata_url == url


@pytest.mark.parametrize(
    "url",
    [
        "http://login.example.com/keys",
        "http://10.0.0.1/keys",
        "http://128.0.0.1/keys",
        "http://localhost.example.com/keys",
        "ftp://127.0.0.1/keys",
        "/relative/keys",
    ],
)
@pytest.mark.parametrize("key", ["OPENIDMETADATAURL", "AZUREBOTSERVICEOPENIDMETADATAURL"])
def test_key_urls_rejected_with_the_variable_name(url: str, key: str) -> None:
    with pytest.raises(ValueError) as error:
        AgentAuthConfiguration(**{key: url})
    assert f"CONNECTIONS__SERVICE_CONNECTION__SETTINGS__{key}" in str(error.value)


def test_repr_masks_the_secret() -> None:
    config = AgentAuthConfiguration(
        client_id="app", client_secret="s3cr3t-value", PRIVATEKEYPASSWORD="hunter2"
    )
    for text in (repr(config), str(config), f"{config}"):
        assert "s3cr3t-value" not in text
        assert "hunter2" not in text
        assert "'app'" in text
        assert "***" in text
    assert "***" not in repr(AgentAuthConfiguration(client_id="app"))
