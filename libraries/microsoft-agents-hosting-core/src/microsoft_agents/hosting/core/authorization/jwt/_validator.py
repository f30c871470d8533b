"""``JwtTokenValidator``: accept a bearer token only if a trusted issuer signed it for us.

Checks, in order (a failure raises a ``jwt.PyJWTError`` or a ``ValueError``):

1. the header names ``alg`` ``RS256`` (nothing else: not ``none``, HMAC, EC or PSS) and a ``kid``;
2. ``iss``, ``aud`` and ``exp`` are present; ``aud`` is a single string equal (ignoring
   case) to the ``CLIENT_ID`` of a configured connection — ``"Invalid audience."``;
3. ``iss`` is trusted by that connection (its ``ISSUERS``, its cloud's first-party issuers,
   or any GUID-tenant Entra issuer for a multi-tenant connection) — ``"Invalid issuer."``;
   this allow-list is always applied, whatever ``VALIDATE_ISSUER`` says;
4. an Entra issuer with a GUID tenant and the ``tid`` claim agree — ``"Invalid issuer."``;
5. the signature verifies with the issuer's published key ``kid`` (Bot Framework issuers:
   the connection's ``abs_openid_metadata_url``; others: its ``openid_metadata_url``), and
   ``exp``/``nbf``/``iat`` hold within 300 seconds of leeway.

Checks 2 to 4 run before any key is fetched, so tokens that could never be accepted cause no
network traffic; they are run again on the verified claims.
"""

from __future__ import annotations

import logging
from typing import Any

import jwt

from .._claims_identity import ClaimsIdentity
from .._config import AgentAuthConfiguration
from .._constants import AuthenticationConstants as _C
from .._issuers import (
    MULTI_TENANT_NAMES,
    default_abs_openid_metadata_url,
    entra_issuer_tenant,
    first_party_issuers,
    is_bot_framework_issuer,
)
from ._jwks import JwksCache, jwks_cache

__all__ = ["JwtTokenValidator"]

logger = logging.getLogger("microsoft_agents.hosting.core.authorization")

_ALGORITHM = "RS256"
_REQUIRED_CLAIMS = ["iss", "aud", "exp"]
DEFAULT_LEEWAY = 300.0


class JwtTokenValidator:
    """Validates the bearer tokens of incoming requests against ``configuration``.

    ``jwks_cache`` defaults to the process-wide cache; ``leeway`` is the clock skew allowed
    for ``exp``, ``nbf`` and ``iat``, in seconds.
    """

    def __init__(
        self,
        configuration: AgentAuthConfiguration,
        *,
        jwks_cache: JwksCache | None = None,
        leeway: float = DEFAULT_LEEWAY,
    ) -> None:
        self.configuration = configuration
        self._keys = jwks_cache if jwks_cache is not None else _default_cache()
        self._leeway = leeway

    async def validate_token(self, token: str) -> ClaimsIdentity:
        """The identity of a valid token; raises ``jwt.PyJWTError``/``ValueError`` otherwise."""
        if not isinstance(token, str) or not token.strip():
            raise ValueError("A bearer token is required.")
        header = jwt.get_unverified_header(token)
        if header.get("alg") != _ALGORITHM:
            raise jwt.InvalidAlgorithmError("Tokens must be signed with RS256.")
        kid = header.get(_C.KEY_ID_HEADER)
        if not isinstance(kid, str) or not kid:
            raise jwt.InvalidTokenError("The token header has no key id.")

        unverified = jwt.decode(token, options={"verify_signature": False})
        connection = self._check_claims(unverified)
        issuer = unverified[_C.ISSUER_CLAIM]
        key = await self._keys.get_signing_key(self._key_source(issuer, connection), kid)

        claims = jwt.decode(
            token,
            key,
            algorithms=[_ALGORITHM],
            leeway=self._leeway,
            options={
                "require": _REQUIRED_CLAIMS,
                "verify_aud": False,  # checked below against every configured connection
                "verify_iss": False,  # checked below against the connection's allow-list
            },
        )
        self._check_claims(claims)
        return ClaimsIdentity(claims, security_token=token)

    def get_anonymous_claims(self) -> ClaimsIdentity:
        """The identity of an anonymous caller (no claims)."""
        return ClaimsIdentity()

    # -- claim checks ---------------------------------------------------------------------

    def _check_claims(self, claims: dict[str, Any]) -> AgentAuthConfiguration:
        """Check audience, issuer and tenant; return the connection the token is for."""
        for name in _REQUIRED_CLAIMS:
            if name not in claims:
                raise jwt.MissingRequiredClaimError(name)
        connection = self._connection_for(claims[_C.AUDIENCE_CLAIM])
        issuer = claims[_C.ISSUER_CLAIM]
        if not isinstance(issuer, str) or not _issuer_allowed(issuer, connection):
            raise ValueError("Invalid issuer.")
        tenant = entra_issuer_tenant(issuer)
        tid = claims.get(_C.TENANT_ID_CLAIM)
        if (
            tenant is not None
            and tid is not None
            and (not isinstance(tid, str) or tid.lower() != tenant)
        ):
            raise ValueError("Invalid issuer.")
        return connection

    def _connection_for(self, audience: Any) -> AgentAuthConfiguration:
        if not isinstance(audience, str) or not audience:
            raise ValueError("Invalid audience.")
        wanted = audience.lower()
        for connection in self._all_connections():
            if connection.CLIENT_ID and connection.CLIENT_ID.lower() == wanted:
                return connection
        raise ValueError("Invalid audience.")

    def _all_connections(self) -> list[AgentAuthConfiguration]:
        root = self.configuration
        return [root, *(c for c in root._connections.values() if c is not root)]

    def _key_source(self, issuer: str, connection: AgentAuthConfiguration) -> str:
        if not is_bot_framework_issuer(issuer):
            return connection.openid_metadata_url
        gov_issuer = issuer.lower() == _C.GOV_AGENTS_SDK_TOKEN_ISSUER.lower()
        if gov_issuer and not connection._abs_openid_metadata_url_set:
            return default_abs_openid_metadata_url(gov=True)
        return connection.abs_openid_metadata_url


def _issuer_allowed(issuer: str, connection: AgentAuthConfiguration) -> bool:
    wanted = issuer.lower()
    gov = connection.is_gov
    if wanted in first_party_issuers(gov):
        return True
    if any(wanted == allowed.lower() for allowed in connection.ISSUERS):
        return True
    if connection.tenant.lower() in MULTI_TENANT_NAMES:
        return entra_issuer_tenant(issuer, gov=gov) is not None
    return False


def _default_cache() -> JwksCache:
    return jwks_cache
