"""MSAL-backed authentication for agents: token providers and the connection manager.

``MsalConnectionManager(**load_configuration_from_env(os.environ))`` gives an agent its
connections; each is an :class:`MsalAuth` that gets tokens with MSAL (client secret,
certificate, managed identity, federated credential or workload identity).
``MsalTokenCredential`` lends a connection to Azure SDK clients.

Test helpers (loopback identity provider and managed identity endpoint) live in
``microsoft_agents.authentication.msal.testing``, which this package does not import.
"""

from ._msal_auth import MsalAuth, MsalConnectionManager
from ._token_credential import MsalTokenCredential
from .errors import (
    MsalAuthError,
    MsalConfigurationError,
    MsalRequestError,
    MsalUnsupportedError,
    TokenAcquisitionError,
)

__all__ = [
    "MsalAuth",
    "MsalAuthError",
    "MsalConfigurationError",
    "MsalConnectionManager",
    "MsalRequestError",
    "MsalTokenCredential",
    "MsalUnsupportedError",
    "TokenAcquisitionError",
]
