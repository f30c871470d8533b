"""Loopback stand-ins for the identity services MSAL talks to, for tests over real HTTP(S).

* :class:`EntraIdStandIn` — an HTTPS OpenID provider and token endpoint (client secret,
  certificate and federated client assertions, on-behalf-of, ``user_fic``), with a private
  certificate authority (:class:`LoopbackCertificateAuthority`) MSAL is told to trust;
* :class:`ManagedIdentityStandIn` — the managed identity endpoint (IMDS or App Service style);
* :class:`ClientCertificate` — client certificates written as PFX or PEM files.

This module is for tests; the package itself never imports it. It needs ``aiohttp``.
"""

from ._entra import EntraIdStandIn, TokenRequest
from ._managed_identity import (
    MANAGED_IDENTITY_VARIABLES,
    ManagedIdentityRequest,
    ManagedIdentityStandIn,
)
from ._tls import ClientCertificate, LoopbackCertificateAuthority

__all__ = [
    "MANAGED_IDENTITY_VARIABLES",
    "ClientCertificate",
    "EntraIdStandIn",
    "LoopbackCertificateAuthority",
    "ManagedIdentityRequest",
    "ManagedIdentityStandIn",
    "TokenRequest",
]
