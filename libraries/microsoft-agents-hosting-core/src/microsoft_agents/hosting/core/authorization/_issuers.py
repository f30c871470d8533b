"""Which token issuers and key endpoints a connection trusts, per cloud.

Two clouds are known: the public cloud and the US Government cloud. A connection belongs to
the government cloud when its ``AUTHORITY`` host ends in ``.us``
(``https://login.microsoftonline.us/...``).

Trusted issuers of a connection (always checked, see the README's "Token validation
settings"):

* its ``ISSUERS`` (configured, or the defaults of :func:`default_issuers`);
* the first-party issuers of its cloud (the Bot Framework token service and the Microsoft
  service tenants);
* for a multi-tenant connection (tenant ``common`` or ``organizations``) any Entra ID issuer
  whose tenant is a GUID, in the same cloud.
"""

from __future__ import annotations

import ipaddress
import re
from urllib.parse import urlsplit

from ._constants import AuthenticationConstants as _C

__all__ = [
    "MULTI_TENANT_NAMES",
    "check_metadata_url",
    "default_abs_openid_metadata_url",
    "default_issuers",
    "default_openid_metadata_url",
    "entra_issuer_tenant",
    "first_party_issuers",
    "is_bot_framework_issuer",
    "is_gov_authority",
    "is_loopback_url",
    "tenant_of",
]

MULTI_TENANT_NAMES = frozenset({"common", "organizations"})

_GUID = r"[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}"
# v1 issuers (sts.windows.net) are used by both clouds; v2 issuers name their cloud's host.
_ENTRA_V1 = re.compile(rf"^https://sts\.windows\.net/(?P<tenant>{_GUID})/$", re.IGNORECASE)
_ENTRA_V2_PUBLIC = re.compile(
    rf"^https://login\.microsoftonline\.com/(?P<tenant>{_GUID})/v2\.0$", re.IGNORECASE
)
_ENTRA_V2_GOV = re.compile(
    rf"^https://login\.microsoftonline\.us/(?P<tenant>{_GUID})/v2\.0$", re.IGNORECASE
)

_PUBLIC_SERVICE_TENANTS = (
    "d6d49420-f39b-4df7-a1dc-d59a935871db",
    "f8cdef31-a31e-4b4a-93e4-5f571e91255a",
    "69e9b82d-4842-4902-8d1e-abc5b98a55e8",
)
_GOV_SERVICE_TENANTS = ("cab8a31a-1906-4287-a0d8-4eef66b95f6e",)


def is_gov_authority(authority: str | None) -> bool:
    """True when ``authority`` is an absolute URL whose host ends in ``.us``."""
    if not authority:
        return False
    host = urlsplit(authority).hostname or ""
    return host.lower().endswith(".us")


def tenant_of(authority: str | None, tenant_id: str | None) -> str:
    """The tenant a connection signs in to: the last path segment of ``authority``, else
    ``tenant_id``, else ``common``."""
    if authority:
        segments = [part for part in urlsplit(authority).path.split("/") if part]
        if segments:
            return segments[-1]
    return tenant_id or "common"


def default_issuers(tenant: str, gov: bool) -> list[str]:
    """The issuers a connection of ``tenant`` accepts when ``ISSUERS`` is not configured."""
    if gov:
        return [
            _C.GOV_AGENTS_SDK_TOKEN_ISSUER,
            _C.VALID_TOKEN_ISSUER_URL_TEMPLATE_V1.format(tenant),
            _C.VALID_GOV_TOKEN_ISSUER_URL_TEMPLATE_V2.format(tenant),
        ]
    return [
        _C.AGENTS_SDK_TOKEN_ISSUER,
        _C.VALID_TOKEN_ISSUER_URL_TEMPLATE_V1.format(tenant),
        _C.VALID_TOKEN_ISSUER_URL_TEMPLATE_V2.format(tenant),
    ]


def first_party_issuers(gov: bool) -> frozenset[str]:
    """Issuers of Microsoft's own services in one cloud, lower-cased."""
    if gov:
        issuers = [_C.GOV_AGENTS_SDK_TOKEN_ISSUER]
        for tenant in _GOV_SERVICE_TENANTS:
            issuers.append(_C.VALID_TOKEN_ISSUER_URL_TEMPLATE_V1.format(tenant))
            issuers.append(_C.VALID_GOV_TOKEN_ISSUER_URL_TEMPLATE_V2.format(tenant))
    else:
        issuers = [_C.AGENTS_SDK_TOKEN_ISSUER]
        for tenant in _PUBLIC_SERVICE_TENANTS:
            issuers.append(_C.VALID_TOKEN_ISSUER_URL_TEMPLATE_V1.format(tenant))
            issuers.append(_C.VALID_TOKEN_ISSUER_URL_TEMPLATE_V2.format(tenant))
    return frozenset(issuer.lower() for issuer in issuers)


def is_bot_framework_issuer(issuer: str) -> bool:
    """True for the Bot Framework token service of either cloud."""
    return issuer.lower() in (
        _C.AGENTS_SDK_TOKEN_ISSUER.lower(),
        _C.GOV_AGENTS_SDK_TOKEN_ISSUER.lower(),
    )


def entra_issuer_tenant(issuer: str, gov: bool | None = None) -> str | None:
    """The GUID tenant of an Entra ID v1/v2 issuer, or ``None`` for any other issuer.

    ``gov`` limits v2 issuers to one cloud (``None``: either); v1 issuers fit both.
    """
    match = _ENTRA_V1.match(issuer)
    if match is None and gov is not True:
        match = _ENTRA_V2_PUBLIC.match(issuer)
    if match is None and gov is not False:
        match = _ENTRA_V2_GOV.match(issuer)
    return match.group("tenant").lower() if match else None


def default_openid_metadata_url(tenant: str, gov: bool) -> str:
    """OpenID metadata of Entra ID for ``tenant`` in the connection's cloud."""
    host = "login.microsoftonline.us" if gov else "login.microsoftonline.com"
    return f"https://{host}/{tenant}/v2.0/.well-known/openid-configuration"


def default_abs_openid_metadata_url(gov: bool) -> str:
    """OpenID metadata of the Bot Framework token service of the connection's cloud."""
    return _C.GOV_ABS_OPENID_METADATA_URL if gov else _C.PUBLIC_ABS_OPENID_METADATA_URL


def is_loopback_url(url: str) -> bool:
    """True when the host of ``url`` is ``localhost`` or a loopback IP address."""
    host = (urlsplit(url).hostname or "").lower()
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def check_metadata_url(url: str, setting: str) -> str:
    """Return ``url`` if keys may be fetched from it, else raise ``ValueError`` naming
    ``setting``: ``https://`` anywhere, ``http://`` only on loopback hosts."""
    parts = urlsplit(url)
    scheme = parts.scheme.lower()
    if not parts.hostname or scheme not in ("http", "https"):
        raise ValueError(f"{setting} must be an absolute https:// URL; got {url!r}.")
    if scheme == "http" and not is_loopback_url(url):
        raise ValueError(
            f"{setting} must use https:// (http:// is allowed only for 127.0.0.1, ::1 and "
            f"localhost); got {url!r}."
        )
    return url
