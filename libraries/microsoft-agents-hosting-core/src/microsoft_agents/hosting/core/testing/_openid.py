"""``OpenIdProvider``: a loopback token issuer for testing JWT validation end to end.

It generates RSA keys, serves OpenID metadata and a JWKS on ``127.0.0.1`` and mints tokens
signed with its keys (or deliberately broken ones)::

    async with OpenIdProvider() as idp:
        config = AgentAuthConfiguration(**idp.settings(client_id="my-app"))
        token = idp.bot_framework_token("my-app", service_url="https://smba.example/")
        identity = await JwtTokenValidator(config).validate_token(token)
"""

from __future__ import annotations

import time
import uuid
from typing import Any

import jwt
from aiohttp import web
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from jwt.algorithms import RSAAlgorithm
from typing_extensions import Self

from ..authorization import AuthenticationConstants as _C
from ..authorization.jwt import jwks_cache
from ._loopback_server import LoopbackServer

__all__ = ["OpenIdProvider"]

_METADATA_PATHS = (
    "/.well-known/openid-configuration",
    "/v2.0/.well-known/openid-configuration",
    "/v1/.well-known/openidconfiguration",
)


def _new_key() -> rsa.RSAPrivateKey:
    return rsa.generate_private_key(public_exponent=65537, key_size=2048)


class OpenIdProvider(LoopbackServer):
    """A loopback OpenID provider: metadata at ``metadata_url``, keys at ``jwks_url``.

    ``jwks_fetches`` and ``metadata_fetches`` count the requests served; set ``jwks_status``
    to make the key endpoint fail (e.g. ``503``) and ``metadata_jwks_uri`` to announce
    another ``jwks_uri`` in the metadata. Keys in ``keys`` sign tokens; only the key
    ids in ``published`` are served.
    """

    def __init__(self, *, host: str = "127.0.0.1", issuer: str | None = None) -> None:
        super().__init__(host=host)
        self._issuer = issuer
        self.keys: dict[str, rsa.RSAPrivateKey] = {}
        self.published: list[str] = []
        self.kid = self.add_key()
        self.jwks_fetches = 0
        self.metadata_fetches = 0
        self.jwks_status = 200
        self.metadata_jwks_uri: str | None = None

    # -- server ---------------------------------------------------------------------------

    def _add_routes(self, app: web.Application) -> None:
        for path in _METADATA_PATHS:
            app.router.add_get(path, self._metadata)
        app.router.add_get("/keys", self._jwks)

    async def start(self) -> Self:
        """Listen; keys cached by the process for this address (an earlier provider that
        listened on the same port) are forgotten, so they cannot shadow this provider's."""
        await super().start()
        self._forget_cached_keys()
        return self

    async def close(self) -> None:
        if self._runner is not None:
            self._forget_cached_keys()
        await super().close()

    def _forget_cached_keys(self) -> None:
        for url in (self.metadata_url, self.jwks_url):
            jwks_cache.forget(url)

    @property
    def metadata_url(self) -> str:
        return f"{self.url}/.well-known/openid-configuration"

    @property
    def jwks_url(self) -> str:
        return f"{self.url}/keys"

    @property
    def issuer(self) -> str:
        """The issuer named in the metadata (the base URL unless given)."""
        return self._issuer or self.url

    def settings(self, client_id: str, **extra: Any) -> dict[str, Any]:
        """Connection settings (env-style keys) that take every key from this provider."""
        return {
            "CLIENTID": client_id,
            "OPENIDMETADATAURL": self.metadata_url,
            "AZUREBOTSERVICEOPENIDMETADATAURL": self.metadata_url,
            **extra,
        }

    def reset_counters(self) -> None:
        self.jwks_fetches = 0
        self.metadata_fetches = 0

    async def _metadata(self, request: web.Request) -> web.Response:
        self.metadata_fetches += 1
        return web.json_response(
            {
                "issuer": self.issuer,
                "jwks_uri": self.metadata_jwks_uri or self.jwks_url,
                "id_token_signing_alg_values_supported": ["RS256"],
                "token_endpoint_auth_methods_supported": ["private_key_jwt"],
            }
        )

    async def _jwks(self, request: web.Request) -> web.Response:
        self.jwks_fetches += 1
        if self.jwks_status != 200:
            return web.json_response({"error": "unavailable"}, status=self.jwks_status)
        return web.json_response({"keys": [self.jwk(kid) for kid in self.published]})

    # -- keys -----------------------------------------------------------------------------

    def add_key(self, kid: str | None = None, *, publish: bool = True) -> str:
        """Create a key (published unless ``publish=False``) and return its id."""
        kid = kid or uuid.uuid4().hex
        self.keys[kid] = _new_key()
        if publish and kid not in self.published:
            self.published.append(kid)
        return kid

    def rotate(self, *, keep_old: bool = True) -> str:
        """Sign with a new key from now on; unpublish the old ones unless ``keep_old``."""
        old = list(self.published)
        self.kid = self.add_key()
        if not keep_old:
            self.published = [kid for kid in self.published if kid not in old]
        return self.kid

    def jwk(self, kid: str) -> dict[str, Any]:
        """The public JWK of key ``kid``."""
        public = self.keys[kid].public_key()
        data: dict[str, Any] = RSAAlgorithm.to_jwk(public, as_dict=True)
        data.update(kid=kid, use="sig", alg="RS256")
        return data

    def public_key_pem(self, kid: str | None = None) -> bytes:
        """The PEM of a public key (e.g. to forge an HS256 token with it)."""
        public = self.keys[kid or self.kid].public_key()
        return public.public_bytes(
            serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
        )

    # -- tokens ---------------------------------------------------------------------------

    def mint(
        self,
        claims: dict[str, Any],
        kid: str | None = None,
        alg: str = "RS256",
        key: Any = None,
        headers: dict[str, Any] | None = None,
    ) -> str:
        """A token with exactly ``claims``.

        RS256 tokens are signed with ``key``, else the key ``kid`` (the current key when
        ``kid`` is not one of this provider's keys, or not given);
        other algorithms need ``key`` (``alg="none"`` needs none). The header gets
        ``kid`` (unless ``headers`` sets it; ``{"kid": None}`` leaves it out).
        """
        header: dict[str, Any] = {"kid": kid or self.kid}
        header.update(headers or {})
        if header.get("kid") is None:
            header.pop("kid")
        if alg == "none":
            signing_key: Any = None
        elif key is not None:
            signing_key = key
        else:
            signing_key = self.keys.get(kid or self.kid, self.keys[self.kid])
        return jwt.encode(claims, signing_key, algorithm=alg, headers=header)

    def bot_framework_token(
        self, app_id: str, service_url: str = "https://smba.example.com/", **claims: Any
    ) -> str:
        """A token like the Bot Framework token service issues to channels."""
        now = int(time.time())
        body = {
            "iss": _C.AGENTS_SDK_TOKEN_ISSUER,
            "aud": app_id,
            "serviceurl": service_url,
            "iat": now,
            "nbf": now,
            "exp": now + 3600,
            **claims,
        }
        return self.mint(body)

    def entra_token(
        self,
        app_id: str,
        tenant_id: str,
        version: str = "2.0",
        caller: str | None = None,
        **claims: Any,
    ) -> str:
        """An Entra ID access token (v1 or v2 issuer) for ``app_id`` from ``caller``."""
        now = int(time.time())
        if version == "1.0":
            issuer = _C.VALID_TOKEN_ISSUER_URL_TEMPLATE_V1.format(tenant_id)
            party = {"appid": caller or app_id}
        else:
            issuer = _C.VALID_TOKEN_ISSUER_URL_TEMPLATE_V2.format(tenant_id)
            party = {"azp": caller or app_id}
        body = {
            "iss": issuer,
            "aud": app_id,
            "tid": tenant_id,
            "ver": version,
            "iat": now,
            "nbf": now,
            "exp": now + 3600,
            **party,
            **claims,
        }
        return self.mint(body)
