"""``AgentAuthConfiguration``: the settings of one connection (one app registration).

Every keyword falls back to the upper-case key that ``load_configuration_from_env`` produces
from ``CONNECTIONS__<NAME>__SETTINGS__<KEY>`` variables, so both of these work::

    AgentAuthConfiguration(client_id="...", tenant_id="...", client_secret="...")
    AgentAuthConfiguration(**{"CLIENTID": "...", "TENANTID": "...", "CLIENTSECRET": "..."})
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from microsoft_agents.activity.config._coercion import coerce_bool

from ._constants import AuthTypes
from ._issuers import (
    check_metadata_url,
    default_abs_openid_metadata_url,
    default_issuers,
    default_openid_metadata_url,
    is_gov_authority,
    tenant_of,
)

__all__ = ["AgentAuthConfiguration"]

_DEFAULT_CONNECTION = "SERVICE_CONNECTION"

# Settings keys read by this class; anything else lands in ``provider_settings``.
_KNOWN_KEYS = frozenset(
    {
        "AUTHTYPE",
        "CLIENTID",
        "TENANTID",
        "CLIENTSECRET",
        "CERTPFXFILE",
        "CONNECTIONNAME",
        "AUTHORITY",
        "AUTHORITYENDPOINT",
        "FEDERATEDCLIENTID",
        "FEDERATEDTOKENFILE",
        "SCOPES",
        "AZUREREGION",
        "REGIONALAUTHORITY",
        "IDPMRESOURCE",
        "ALT_BLUEPRINT_NAME",
        "ALTERNATEBLUEPRINTCONNECTIONNAME",
        "ANONYMOUS_ALLOWED",
        "VALIDATE_ISSUER",
        "SENDX5C",
        "ISSUERS",
        "OPENIDMETADATAURL",
        "AZUREBOTSERVICEOPENIDMETADATAURL",
    }
)


def _string_list(value: Any, setting: str) -> list[str] | None:
    """A list of non-empty strings from a list, the values of a dict (``KEY__0``, ``KEY__1``
    variables) or a comma/space separated string."""
    if value is None:
        return None
    if isinstance(value, str):
        items: list[Any] = value.replace(",", " ").split()
    elif isinstance(value, Mapping):
        items = list(value.values())
    elif isinstance(value, (list, tuple, set, frozenset)):
        items = list(value)
    else:
        raise ValueError(f"{setting} must be a list or a comma separated string.")
    result = []
    for item in items:
        if not isinstance(item, str):
            raise ValueError(f"{setting} must contain strings only.")
        if item.strip():
            result.append(item.strip())
    return result


def _first(*values: Any) -> Any:
    """The first value that is neither ``None`` nor an empty string."""
    for value in values:
        if value is not None and value != "":
            return value
    return None


class AgentAuthConfiguration:
    """Settings of one connection: how it gets tokens and which tokens it accepts.

    Besides the published settings, two key sources can be set per connection:
    ``openid_metadata_url`` (env ``OPENIDMETADATAURL``, used for Entra ID issuers) and
    ``abs_openid_metadata_url`` (env ``AZUREBOTSERVICEOPENIDMETADATAURL``, used for the Bot
    Framework issuer). Each may be an OpenID metadata URL or a JWKS URL; it must use
    ``https://`` (``http://`` only on loopback hosts).
    """

    AUTH_TYPE: AuthTypes | str
    CLIENT_ID: str | None
    TENANT_ID: str | None
    CLIENT_SECRET: str | None
    CERT_PFX_FILE: str | None
    CONNECTION_NAME: str | None
    AUTHORITY: str | None
    FEDERATED_CLIENT_ID: str | None
    FEDERATED_TOKEN_FILE: str | None
    SCOPES: list[str] | None
    AZURE_REGION: str | None
    IDPM_RESOURCE: str | None
    ALT_BLUEPRINT_ID: str | None
    ANONYMOUS_ALLOWED: bool
    VALIDATE_ISSUER: bool
    SEND_X5C: bool
    provider_settings: dict[str, Any]
    openid_metadata_url: str
    abs_openid_metadata_url: str
    _connections: dict[str, AgentAuthConfiguration]

    def __init__(
        self,
        auth_type: AuthTypes | str | None = None,
        client_id: str | None = None,
        tenant_id: str | None = None,
        client_secret: str | None = None,
        *,
        cert_pfx_file: str | None = None,
        connection_name: str | None = None,
        federated_client_id: str | None = None,
        authority: str | None = None,
        scopes: list[str] | None = None,
        azure_region: str | None = None,
        idpm_resource: str | None = None,
        anonymous_allowed: bool | str | None = None,
        issuers: list[str] | str | None = None,
        validate_issuer: bool | str | None = None,
        federated_token_file: str | None = None,
        send_x5c: bool | str | None = None,
        openid_metadata_url: str | None = None,
        abs_openid_metadata_url: str | None = None,
        **kwargs: Any,
    ) -> None:
        # Set by ConnectionManager so errors name the variable to fix.
        connection_key = kwargs.pop("_connection_key", None) or _DEFAULT_CONNECTION
        self._setting_prefix = f"CONNECTIONS__{connection_key}__SETTINGS__"
        get = kwargs.get

        raw_type = _first(auth_type, get("AUTHTYPE")) or AuthTypes.client_secret
        self.AUTH_TYPE = _as_auth_type(raw_type)
        self.CLIENT_ID = _first(client_id, get("CLIENTID"))
        self.TENANT_ID = _first(tenant_id, get("TENANTID"))
        self.CLIENT_SECRET = _first(client_secret, get("CLIENTSECRET"))
        self.CERT_PFX_FILE = _first(cert_pfx_file, get("CERTPFXFILE"))
        self.CONNECTION_NAME = _first(connection_name, get("CONNECTIONNAME"))
        self.AUTHORITY = _first(authority, get("AUTHORITY"), get("AUTHORITYENDPOINT"))
        self.FEDERATED_CLIENT_ID = _first(federated_client_id, get("FEDERATEDCLIENTID"))
        self.FEDERATED_TOKEN_FILE = _first(federated_token_file, get("FEDERATEDTOKENFILE"))
        self.SCOPES = _string_list(_first(scopes, get("SCOPES")), self._setting("SCOPES"))
        self.AZURE_REGION = _first(azure_region, get("AZUREREGION"), get("REGIONALAUTHORITY"))
        self.IDPM_RESOURCE = _first(idpm_resource, get("IDPMRESOURCE"))
        self.ALT_BLUEPRINT_ID = _first(
            get("ALT_BLUEPRINT_NAME"), get("ALTERNATEBLUEPRINTCONNECTIONNAME")
        )
        self.ANONYMOUS_ALLOWED = self._flag(anonymous_allowed, "ANONYMOUS_ALLOWED", kwargs)
        self.VALIDATE_ISSUER = self._flag(validate_issuer, "VALIDATE_ISSUER", kwargs)
        self.SEND_X5C = self._flag(send_x5c, "SENDX5C", kwargs)
        self._issuers = _string_list(_first(issuers, get("ISSUERS")), self._setting("ISSUERS"))

        gov = is_gov_authority(self.AUTHORITY)
        tenant = tenant_of(self.AUTHORITY, self.TENANT_ID)
        explicit_abs = _first(abs_openid_metadata_url, get("AZUREBOTSERVICEOPENIDMETADATAURL"))
        explicit_entra = _first(openid_metadata_url, get("OPENIDMETADATAURL"))
        self._abs_openid_metadata_url_set = explicit_abs is not None
        self.abs_openid_metadata_url = check_metadata_url(
            explicit_abs or default_abs_openid_metadata_url(gov),
            self._setting("AZUREBOTSERVICEOPENIDMETADATAURL"),
        )
        self.openid_metadata_url = check_metadata_url(
            explicit_entra or default_openid_metadata_url(tenant, gov),
            self._setting("OPENIDMETADATAURL"),
        )

        self.provider_settings = {
            key: value for key, value in kwargs.items() if key not in _KNOWN_KEYS
        }
        self._connections = {}
        self._validate()

    # -- helpers --------------------------------------------------------------------------

    def _setting(self, key: str) -> str:
        """The full environment variable name of settings key ``key``."""
        return f"{self._setting_prefix}{key}"

    def _flag(self, keyword: Any, key: str, settings: Mapping[str, Any]) -> bool:
        value = keyword if keyword is not None else settings.get(key)
        # Fail safe: anything that is not clearly true is false.
        return coerce_bool(value, default=False, name=self._setting(key))

    def _validate(self) -> None:
        requirements = (
            (AuthTypes.certificate, self.CERT_PFX_FILE, "CERTPFXFILE"),
            (AuthTypes.federated_credentials, self.FEDERATED_CLIENT_ID, "FEDERATEDCLIENTID"),
            (AuthTypes.workload_identity, self.FEDERATED_TOKEN_FILE, "FEDERATEDTOKENFILE"),
        )
        for auth_type, value, key in requirements:
            if auth_type == self.AUTH_TYPE and not value:
                raise ValueError(
                    f"{self._setting(key)} is required when AUTHTYPE is {auth_type.value}"
                )

    # -- computed settings ----------------------------------------------------------------

    @property
    def ISSUERS(self) -> list[str]:
        """Issuers this connection accepts: ``ISSUERS`` if configured, else the defaults of
        its tenant and cloud (the Bot Framework service and the tenant's v1/v2 issuers)."""
        if self._issuers is not None:
            return list(self._issuers)
        return default_issuers(self.tenant, self.is_gov)

    @property
    def is_gov(self) -> bool:
        """True when ``AUTHORITY`` points at the US Government cloud (a ``.us`` host)."""
        return is_gov_authority(self.AUTHORITY)

    @property
    def tenant(self) -> str:
        """The tenant: last path segment of ``AUTHORITY``, else ``TENANT_ID``, else ``common``."""
        return tenant_of(self.AUTHORITY, self.TENANT_ID)

    @property
    def connections(self) -> dict[str, AgentAuthConfiguration]:
        """Every connection of the same ``ConnectionManager`` by name (empty when standalone)."""
        return dict(self._connections)

    @property
    def client_id(self) -> str | None:
        return self.CLIENT_ID

    @property
    def tenant_id(self) -> str | None:
        return self.TENANT_ID

    @property
    def authority(self) -> str | None:
        return self.AUTHORITY

    @property
    def scopes(self) -> list[str] | None:
        return self.SCOPES

    @property
    def alternate_blueprint_connection_name(self) -> str | None:
        return self.ALT_BLUEPRINT_ID

    def __repr__(self) -> str:
        # Secrets stay out of logs and tracebacks: the secret is masked, provider settings
        # are listed by key only.
        secret = "'***'" if self.CLIENT_SECRET else "None"
        return (
            f"AgentAuthConfiguration(auth_type={str(self.AUTH_TYPE)!r}, "
            f"client_id={self.CLIENT_ID!r}, tenant_id={self.TENANT_ID!r}, "
            f"client_secret={secret}, authority={self.AUTHORITY!r}, "
            f"anonymous_allowed={self.ANONYMOUS_ALLOWED}, "
            f"provider_settings={sorted(self.provider_settings)!r})"
        )

    __str__ = __repr__


def _as_auth_type(value: Any) -> AuthTypes | str:
    """The ``AuthTypes`` member with this exact value, or the value itself (providers reject
    kinds they do not support)."""
    if isinstance(value, AuthTypes):
        return value
    try:
        return AuthTypes(value)
    except ValueError:
        return str(value)
