"""Authentication of agents: caller identities, connection settings, token providers,
connection routing and validation of incoming tokens."""

from ._claims_identity import ClaimsIdentity
from ._config import AgentAuthConfiguration
from ._connection_manager import ConnectionManager
from ._constants import AuthenticationConstants, AuthTypes
from ._providers import AccessToken, AccessTokenProviderBase, AnonymousTokenProvider, Connections
from .jwt import JwksCache, JwtTokenValidator, validate_service_url_claim

__all__ = [
    "AccessToken",
    "AccessTokenProviderBase",
    "AgentAuthConfiguration",
    "AnonymousTokenProvider",
    "AuthTypes",
    "AuthenticationConstants",
    "ClaimsIdentity",
    "ConnectionManager",
    "Connections",
    "JwksCache",
    "JwtTokenValidator",
    "validate_service_url_claim",
]
