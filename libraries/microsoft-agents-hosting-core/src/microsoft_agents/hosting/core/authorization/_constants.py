"""Constants of agent authentication: well-known URLs, claim names and credential kinds."""

from __future__ import annotations

from enum import Enum

__all__ = ["AuthTypes", "AuthenticationConstants"]


class AuthTypes(str, Enum):
    """How a connection obtains its tokens (values compare case-sensitively)."""

    certificate = "certificate"
    certificate_subject_name = "CertificateSubjectName"
    client_secret = "ClientSecret"
    user_managed_identity = "UserManagedIdentity"
    system_managed_identity = "SystemManagedIdentity"
    federated_credentials = "FederatedCredentials"
    identity_proxy_manager = "IdentityProxyManager"
    entra_auth_sidecar = "EntraAuthSideCar"
    workload_identity = "WorkloadIdentity"

    def __str__(self) -> str:
        return self.value


class AuthenticationConstants:
    """Well-known values used when issuing and validating agent tokens."""

    # Audiences, issuers and the token service of the public and government clouds.
    AGENTS_SDK_SCOPE = "https://api.botframework.com"
    AGENTS_SDK_TOKEN_ISSUER = "https://api.botframework.com"
    AGENTS_SDK_OAUTH_URL = "https://api.botframework.com"
    GOV_AGENTS_SDK_TOKEN_ISSUER = "https://api.botframework.us"

    # OpenID metadata and signing keys.
    PUBLIC_ABS_OPENID_METADATA_URL = (
        "https://login.botframework.com/v1/.well-known/openidconfiguration"
    )
    PUBLIC_OPENID_METADATA_URL = (
        "https://login.microsoftonline.com/common/v2.0/.well-known/openid-configuration"
    )
    GOV_ABS_OPENID_METADATA_URL = (
        "https://login.botframework.azure.us/v1/.well-known/openidconfiguration"
    )
    GOV_OPENID_METADATA_URL = (
        "https://login.microsoftonline.us/cab8a31a-1906-4287-a0d8-4eef66b95f6e/v2.0/"
        ".well-known/openid-configuration"
    )
    ENTERPRISE_CHANNEL_OPENID_METADATA_URL_FORMAT = (
        "https://{0}.enterprisechannel.botframework.com/v1/.well-known/openidconfiguration"
    )
    PUBLIC_ABS_JWKS_URL = "https://login.botframework.com/v1/.well-known/keys"
    GOV_ABS_JWKS_URL = "https://login.botframework.azure.us/v1/.well-known/keys"

    # Issuer templates of Entra ID tokens; {0} is the tenant id.
    VALID_TOKEN_ISSUER_URL_TEMPLATE_V1 = "https://sts.windows.net/{0}/"
    VALID_TOKEN_ISSUER_URL_TEMPLATE_V2 = "https://login.microsoftonline.com/{0}/v2.0"
    VALID_GOV_TOKEN_ISSUER_URL_TEMPLATE_V2 = "https://login.microsoftonline.us/{0}/v2.0"

    # Claim and header names.
    AUTHORIZED_PARTY = "azp"
    AUDIENCE_CLAIM = "aud"
    ISSUER_CLAIM = "iss"
    KEY_ID_HEADER = "kid"
    VERSION_CLAIM = "ver"
    APP_ID_CLAIM = "appid"
    SERVICE_URL_CLAIM = "serviceurl"
    TENANT_ID_CLAIM = "tid"

    # Scopes of the agent platform service in each environment.
    APX_LOCAL_SCOPE = "c16e153d-5d2b-4c21-b7f4-b05ee5d516f1/.default"
    APX_DEV_SCOPE = "0d94caae-b412-4943-8a68-83135ad6d35f/.default"
    APX_PRODUCTION_SCOPE = "5a807f24-c9de-44ee-a3a7-329e88a00ffc/.default"
    APX_GCC_SCOPE = "c9475445-9789-4fef-9ec5-cde4a9bcd446/.default"
    APX_GCCH_SCOPE = "6f669b9e-7701-4e2b-b624-82c9207fde26/.default"
    APX_DOD_SCOPE = "0a069c81-8c7c-4712-886b-9c542d673ffb/.default"
    APX_GALLATIN_SCOPE = "bd004c8e-5acf-4c48-8570-4e7d46b2f63b/.default"
