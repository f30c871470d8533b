"""ClaimsIdentity, AuthenticationConstants and AuthTypes."""

from __future__ import annotations

import warnings

import pytest

from microsoft_agents.hosting.core.authorization import (
    AuthenticationConstants,
    AuthTypes,
    ClaimsIdentity,
)

PUBLIC = "https://api.botframework.com"


def test_defaults() -> None:
    identity = ClaimsIdentity()
    assert identity.claims == {}
    assert identity.authentication_type is None and identity.security_token is None
    assert identity.get_claim_value("aud") is None
    assert identity.name is None


def test_keyword_and_positional_construction() -> None:
    identity = ClaimsIdentity({"aud": "a"}, authentication_type="Bearer", security_token="tok")
    assert identity.get_claim_value("aud") == "a"
    assert (identity.authentication_type, identity.security_token) == ("Bearer", "tok")
    positional = ClaimsIdentity({"aud": "a"}, None, "Bearer", "tok")
    assert positional.authentication_type == "Bearer" and positional.security_token == "tok"


def test_is_authenticated_is_accepted_with_a_deprecation_warning() -> None:
    with pytest.warns(DeprecationWarning, match="is_authenticated"):
        identity = ClaimsIdentity({}, True)
    assert identity.allow_anonymous  # ignored: no claims means anonymous
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        ClaimsIdentity({"aud": "x"})  # no warning without the argument


def test_repr_hides_token_and_claim_values() -> None:
    text = repr(ClaimsIdentity({"name": "Secret Person"}, security_token="s3cr3t"))
    assert "s3cr3t" not in text and "Secret Person" not in text and "name" in text


def test_name_claim() -> None:
    assert ClaimsIdentity({"name": "Ada"}).name == "Ada"


@pytest.mark.parametrize(
    ("claims", "auth_type", "anonymous"),
    [
        ({}, None, True),
        ({}, "", True),
        ({}, "anonymous", True),
        ({}, "Anonymous", True),
        ({}, "Bearer", False),
        ({"aud": "x"}, None, False),
        ({"aud": "x"}, "anonymous", False),
    ],
)
def test_allow_anonymous(claims: dict[str, str], auth_type: str | None, anonymous: bool) -> None:
    assert ClaimsIdentity(claims, authentication_type=auth_type).allow_anonymous is anonymous


def test_app_ids() -> None:
    assert ClaimsIdentity({"aud": "aud-id", "appid": "app-id"}).get_app_id() == "aud-id"
    assert ClaimsIdentity({"appid": "app-id"}).get_app_id() == "app-id"
    assert ClaimsIdentity().get_app_id() is None

    assert ClaimsIdentity({"appid": "v1", "azp": "v2"}).get_outgoing_app_id() == "v1"
    assert ClaimsIdentity({"ver": "1.0", "appid": "v1", "azp": "v2"}).get_outgoing_app_id() == "v1"
    assert ClaimsIdentity({"ver": "2.0", "appid": "v1", "azp": "v2"}).get_outgoing_app_id() == "v2"
    assert ClaimsIdentity({"ver": "3.0", "appid": "v1"}).get_outgoing_app_id() is None


AGENT_CALLER = {"ver": "1.0", "aud": "me", "appid": "caller"}


@pytest.mark.parametrize(
    ("claims", "is_agent"),
    [
        (AGENT_CALLER, True),
        ({"ver": "2.0", "aud": "me", "azp": "caller"}, True),
        ({"aud": "me", "appid": "caller"}, False),  # no version claim
        ({"ver": "1.0", "appid": "caller"}, False),  # no audience
        ({"ver": "1.0", "aud": PUBLIC, "appid": "caller"}, False),  # channel audience
        ({"ver": "1.0", "aud": "HTTPS://API.BOTFRAMEWORK.COM", "appid": "c"}, False),
        ({"ver": "1.0", "aud": "me"}, False),  # no caller id
        ({"ver": "1.0", "aud": "me", "appid": "me"}, False),  # caller is the audience
    ],
)
def test_is_agent_claim(claims: dict[str, str], is_agent: bool) -> None:
    assert ClaimsIdentity(claims).is_agent_claim() is is_agent


def test_token_audience_and_scope() -> None:
    agent = ClaimsIdentity(AGENT_CALLER)
    assert agent.get_token_audience() == "app://caller"
    assert agent.get_token_scope() == ["caller/.default"]
    assert agent.get_outgoing_audience_claim() == "api://caller"

    channel = ClaimsIdentity({"aud": "me", "iss": PUBLIC})
    assert channel.get_token_audience() == PUBLIC
    assert channel.get_token_scope() == [f"{PUBLIC}/.default"]
    assert channel.get_outgoing_audience_claim() == PUBLIC


def test_gov_claims() -> None:
    gov = ClaimsIdentity({"aud": "https://api.botframework.us"})
    assert gov.is_gov_botframework_claim()
    assert gov.get_outgoing_audience_claim() == "https://api.botframework.us"
    assert not ClaimsIdentity({"aud": "me"}).is_gov_botframework_claim()
    assert not ClaimsIdentity().is_gov_botframework_claim()


def test_authentication_constants() -> None:
    c = AuthenticationConstants
    assert c.AGENTS_SDK_SCOPE == c.AGENTS_SDK_TOKEN_ISSUER == c.AGENTS_SDK_OAUTH_URL == PUBLIC
    assert c.GOV_AGENTS_SDK_TOKEN_ISSUER == "https://api.botframework.us"
    assert c.PUBLIC_ABS_OPENID_METADATA_URL == (
        "https://login.botframework.com/v1/.well-known/openidconfiguration"
    )
    assert c.PUBLIC_OPENID_METADATA_URL == (
        "https://login.microsoftonline.com/common/v2.0/.well-known/openid-configuration"
    )
    assert c.GOV_ABS_OPENID_METADATA_URL == (
        "https://login.botframework.azure.us/v1/.well-known/openidconfiguration"
    )
    assert c.GOV_OPENID_METADATA_URL == (
        "https://login.microsoftonline.us/cab8a31a-1906-4287-a0d8-4eef66b95f6e/v2.0/"
        ".well-known/openid-configuration"
    )
    assert c.ENTERPRISE_CHANNEL_OPENID_METADATA_URL_FORMAT.format("x") == (
        "https://x.enterprisechannel.botframework.com/v1/.well-known/openidconfiguration"
    )
    assert c.PUBLIC_ABS_JWKS_URL == "https://login.botframework.com/v1/.well-known/keys"
    assert c.GOV_ABS_JWKS_URL == "https://login.botframework.azure.us/v1/.well-known/keys"
    assert c.VALID_TOKEN_ISSUER_URL_TEMPLATE_V1.format("t") == "https://sts.windows.net/t/"
    assert c.VALID_TOKEN_ISSUER_URL_TEMPLATE_V2.format("t") == (
        "https://login.microsoftonline.com/t/v2.0"
    )
    assert c.VALID_GOV_TOKEN_ISSUER_URL_TEMPLATE_V2.format("t") == (
        "https://login.microsoftonline.us/t/v2.0"
    )
    claims = (
        c.AUTHORIZED_PARTY,
        c.AUDIENCE_CLAIM,
        c.ISSUER_CLAIM,
        c.KEY_ID_HEADER,
        c.VERSION_CLAIM,
        c.APP_ID_CLAIM,
        c.SERVICE_URL_CLAIM,
        c.TENANT_ID_CLAIM,
    )
    assert claims == ("azp", "aud", "iss", "kid", "ver", "appid", "serviceurl", "tid")
    assert c.APX_PRODUCTION_SCOPE == "5a807f24-c9de-44ee-a3a7-329e88a00ffc/.default"
    for name in ("LOCAL", "DEV", "GCC", "GCCH", "DOD", "GALLATIN"):
        assert getattr(c, f"APX_{name}_SCOPE").endswith("/.default")


def test_auth_types() -> None:
    assert {t.name: t.value for t in AuthTypes} == {
        "certificate": "certificate",
        "certificate_subject_name": "CertificateSubjectName",
        "client_secret": "ClientSecret",
        "user_managed_identity": "UserManagedIdentity",
        "system_managed_identity": "SystemManagedIdentity",
        "federated_credentials": "FederatedCredentials",
        "identity_proxy_manager": "IdentityProxyManager",
        "entra_auth_sidecar": "EntraAuthSideCar",
        "workload_identity": "WorkloadIdentity",
    }
    assert AuthTypes.client_secret.value == "ClientSecret"
    assert isinstance(AuthTypes.client_secret, str)
    assert AuthTypes("ClientSecret") is AuthTypes.client_secret
    with pytest.raises(ValueError):
        AuthTypes("clientsecret")  # case-sensitive
    assert str(AuthTypes.client_secret) == "ClientSecret"
