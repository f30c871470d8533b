"""How a connection's settings turn into MSAL parameters, and the start-up checks of them.

Everything here is pure (no network): tenant and authority resolution, region, scopes, the
resource URL check and :func:`validate_configuration`, which rejects settings that cannot work
with a message naming the environment variable to fix.
"""

from __future__ import annotations

import os
import re
from urllib.parse import urlsplit, urlunsplit

from microsoft_agents.hosting.core.authorization import AgentAuthConfiguration, AuthTypes

from ._credentials import load_certificate
from .errors import (
    MsalConfigurationError,
    MsalRequestError,
    MsalUnsupportedError,
    authentication_errors,
)

__all__ = [
    "CONFIDENTIAL_TYPES",
    "DEFAULT_AUTHORITY_HOST",
    "DEFAULT_IDPM_RESOURCE",
    "MANAGED_IDENTITY_TYPES",
    "SUPPORTED_TYPES",
    "instance_of",
    "is_custom_authority",
    "resolve_authority",
    "resolve_azure_region",
    "resolve_idpm_resource",
    "resolve_scopes",
    "resolve_tenant_id",
    "setting_name",
    "validate_configuration",
]

DEFAULT_AUTHORITY_HOST = "https://login.microsoftonline.com"
DEFAULT_IDPM_RESOURCE = "api://AzureAdTokenExchange/.default"
_DEFAULT_PREFIX = "CONNECTIONS__SERVICE_CONNECTION__SETTINGS__"

CONFIDENTIAL_TYPES = (
    AuthTypes.client_secret,
    AuthTypes.certificate,
    AuthTypes.federated_credentials,
    AuthTypes.workload_identity,
)
MANAGED_IDENTITY_TYPES = (
    AuthTypes.user_managed_identity,
    AuthTypes.system_managed_identity,
    AuthTypes.identity_proxy_manager,
)
SUPPORTED_TYPES = CONFIDENTIAL_TYPES + MANAGED_IDENTITY_TYPES

_GUID = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$", re.I)
# Hosts MSAL knows without instance discovery (its own list, kept here so the decision does
# not depend on a private name of the library).
_WELL_KNOWN_HOSTS = frozenset(
    {
        "login.microsoftonline.com",
        "login.windows.net",
        "login.microsoft.com",
        "sts.windows.net",
        "login.microsoftonline.us",
        "login.usgovcloudapi.net",
        "login.chinacloudapi.cn",
        "login.partner.microsoftonline.cn",
        "login.microsoftonline.de",
    }
)


def setting_name(config: AgentAuthConfiguration, key: str) -> str:
    """The environment variable of settings key ``key`` for this connection
    (``CONNECTIONS__<NAME>__SETTINGS__<KEY>``)."""
    prefix = getattr(config, "_setting_prefix", None) or _DEFAULT_PREFIX
    return f"{prefix}{key}"


def _prefix(config: AgentAuthConfiguration) -> str:
    return setting_name(config, "")


# -- resolution ---------------------------------------------------------------------------


def resolve_tenant_id(config: AgentAuthConfiguration, tenant_id: str | None = None) -> str | None:
    """The tenant to get tokens in: the argument when given or when the configured tenant is
    ``common``, else the configured ``TENANT_ID`` (``ValueError`` when neither exists)."""
    configured = config.TENANT_ID
    if not configured:
        if tenant_id:
            return tenant_id
        raise MsalConfigurationError(
            authentication_errors.TenantRequired.format(setting_name(config, "TENANTID"))
        )
    if tenant_id or configured.lower() == "common":
        return tenant_id or None
    return configured


def resolve_authority(config: AgentAuthConfiguration, tenant_id: str | None = None) -> str:
    """The authority URL for ``tenant_id`` (see :func:`resolve_tenant_id`).

    With ``AUTHORITY`` configured, its first path segment that is ``common`` or a GUID is
    replaced by the tenant (the rest of the URL is kept); without, the public cloud's
    ``https://login.microsoftonline.com/<tenant>``.
    """
    tenant = resolve_tenant_id(config, tenant_id)
    if tenant is None:
        return config.AUTHORITY or f"{DEFAULT_AUTHORITY_HOST}/{config.TENANT_ID}"
    if not config.AUTHORITY:
        return f"{DEFAULT_AUTHORITY_HOST}/{tenant}"
    parts = urlsplit(config.AUTHORITY)
    segments = parts.path.split("/")
    for index, segment in enumerate(segments):
        if segment.lower() == "common" or _GUID.match(segment):
            segments[index] = tenant
            break
    return urlunsplit(parts._replace(path="/".join(segments)))


def resolve_azure_region(config: AgentAuthConfiguration) -> str | None:
    """``AZURE_REGION`` when set and not blank."""
    region = config.AZURE_REGION
    return region.strip() if isinstance(region, str) and region.strip() else None


def resolve_idpm_resource(config: AgentAuthConfiguration) -> str:
    """``IDPM_RESOURCE`` (an absolute URI) or ``api://AzureAdTokenExchange/.default``."""
    value = config.IDPM_RESOURCE
    if not value:
        return DEFAULT_IDPM_RESOURCE
    parts = urlsplit(value)
    if not parts.scheme or not (parts.netloc or parts.path):
        raise MsalConfigurationError(
            authentication_errors.InvalidIdpmResource.format(
                setting_name(config, "IDPMRESOURCE"), value
            )
        )
    return value


def instance_of(resource_url: str) -> str:
    """``scheme://host`` of ``resource_url`` (``ValueError`` when it has neither)."""
    try:
        parts = urlsplit(resource_url) if isinstance(resource_url, str) else None
    except ValueError:
        parts = None
    if parts is None or not parts.scheme or not parts.netloc:
        raise MsalRequestError(authentication_errors.InvalidInstanceUrl.format(resource_url))
    return f"{parts.scheme}://{parts.netloc}"


def resolve_scopes(config: AgentAuthConfiguration, scopes: list[str], instance: str) -> list[str]:
    """``scopes`` when given, else the configured ``SCOPES`` with ``{instance}`` replaced by
    ``instance`` (and ``<instance>/.default`` when nothing is configured either)."""
    if scopes:
        return list(scopes)
    configured = config.SCOPES or ["{instance}/.default"]
    return [scope.replace("{instance}", instance) for scope in configured]


def is_custom_authority(authority: str) -> bool:
    """True for an authority on a host MSAL cannot validate against the Microsoft clouds
    (a private or test identity provider the operator configured on purpose)."""
    host = (urlsplit(authority).hostname or "").lower()
    return host not in _WELL_KNOWN_HOSTS


# -- start-up checks ----------------------------------------------------------------------


def validate_configuration(
    config: AgentAuthConfiguration, *, credentials_required: bool | None = None
) -> None:
    """Reject settings that cannot get tokens, naming the variable to fix.

    An unsupported ``AUTHTYPE`` is always an error. A connection with ``ANONYMOUS_ALLOWED``
    may lack credentials (it then only serves anonymous requests) unless
    ``credentials_required``; any other connection needs its client id, tenant and the
    credential its type uses — checked here, before the first request, without any network
    call.
    """
    auth_type = config.AUTH_TYPE
    if auth_type not in SUPPORTED_TYPES:
        supported = ", ".join(str(t.value) for t in SUPPORTED_TYPES)
        raise MsalUnsupportedError(
            authentication_errors.AuthenticationTypeNotSupported.format(
                str(auth_type), setting_name(config, "AUTHTYPE"), supported
            )
        )
    if credentials_required is None:
        credentials_required = not config.ANONYMOUS_ALLOWED
    if not credentials_required:
        return
    type_name = str(AuthTypes(auth_type).value)
    if auth_type != AuthTypes.system_managed_identity and not config.CLIENT_ID:
        raise MsalConfigurationError(
            authentication_errors.ClientIdRequired.format(
                setting_name(config, "CLIENTID"), type_name, _prefix(config)
            )
        )
    if auth_type == AuthTypes.identity_proxy_manager:
        resolve_idpm_resource(config)
    if auth_type not in CONFIDENTIAL_TYPES:
        return
    if not config.TENANT_ID:
        _missing(config, "TENANTID", type_name)
    if auth_type == AuthTypes.client_secret and not config.CLIENT_SECRET:
        _missing(config, "CLIENTSECRET", type_name)
    elif auth_type == AuthTypes.certificate:
        if not config.CERT_PFX_FILE:
            _missing(config, "CERTPFXFILE", type_name)
        load_certificate(config.CERT_PFX_FILE or "", setting_name(config, "CERTPFXFILE"))
    elif auth_type == AuthTypes.federated_credentials and not config.FEDERATED_CLIENT_ID:
        _missing(config, "FEDERATEDCLIENTID", type_name)
    elif auth_type == AuthTypes.workload_identity:
        path = config.FEDERATED_TOKEN_FILE
        if not path:
            _missing(config, "FEDERATEDTOKENFILE", type_name)
        if not (path and os.path.isfile(path) and os.access(path, os.R_OK)):
            raise MsalConfigurationError(
                authentication_errors.TokenFileMissing.format(
                    setting_name(config, "FEDERATEDTOKENFILE"), path
                )
            )


def _missing(config: AgentAuthConfiguration, key: str, type_name: str) -> None:
    raise MsalConfigurationError(
        authentication_errors.SettingRequired.format(setting_name(config, key), type_name)
    )
