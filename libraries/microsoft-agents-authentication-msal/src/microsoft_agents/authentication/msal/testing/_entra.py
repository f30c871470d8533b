"""``EntraIdStandIn``: a loopback HTTPS identity provider that MSAL can really talk to.

It serves, for any tenant path segment, what MSAL uses of Entra ID:

* ``GET /<tenant>/v2.0/.well-known/openid-configuration`` (tenant discovery) and the keys;
* ``POST /<tenant>/oauth2/v2.0/token`` with the grants ``client_credentials`` (client secret,
  certificate-signed client assertion — signature, ``aud``/``iss``/``sub``/``exp``/``jti`` and
  the ``x5t``/``x5t#S256``/``x5c`` headers are checked — or a federated token as the
  assertion), on-behalf-of (``jwt-bearer``) and ``user_fic``.

Issued tokens are JWTs signed with the provider's key. Every token request is recorded
(:attr:`EntraIdStandIn.token_requests`); :meth:`EntraIdStandIn.fail_next` makes the next
ones fail with an Entra-style error. Point MSAL at it with ``authority=<authority(tenant)>``
and an HTTP client trusting :attr:`EntraIdStandIn.tls` (its certificate authority)::

    async with EntraIdStandIn() as idp:
        idp.register_secret("app-id", "s3cret")
        settings = idp.settings("app-id", tenant_id, CLIENTSECRET="s3cret")
        auth = MsalAuth(AgentAuthConfiguration(**settings), http_client=idp.requests_session())
"""

from __future__ import annotations

import base64
import binascii
import ssl
import time
import uuid
from collections import deque
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import unquote_plus

import jwt
from aiohttp import web
from cryptography import x509
from cryptography.hazmat.primitives.asymmetric import rsa
from jwt.algorithms import RSAAlgorithm

from microsoft_agents.hosting.core.testing import LoopbackServer

from ._grants import (
    ASSERTION_TYPE,
    FederatedTrust,
    GrantError,
    Registration,
    check_certificate_assertion,
    check_federated_assertion,
    check_secret,
    error_body,
)
from ._tls import LoopbackCertificateAuthority

__all__ = ["EntraIdStandIn", "TokenRequest"]

_JWT_BEARER = "urn:ietf:params:oauth:grant-type:jwt-bearer"


@dataclass
class TokenRequest:
    """One request to the token endpoint as the provider understood it.

    ``credential`` is ``"secret"``, ``"certificate"``, ``"subject-name"``, ``"federated"`` or
    ``None`` (not authenticated); ``assertion_header``/``assertion_claims`` describe a client
    assertion; ``status`` is the HTTP status answered; ``token`` the access token issued.
    """

    tenant: str
    grant_type: str
    client_id: str | None
    form: dict[str, str]
    credential: str | None = None
    assertion_header: dict[str, Any] = field(default_factory=dict)
    assertion_claims: dict[str, Any] = field(default_factory=dict)
    status: int = 0
    token: str | None = None

    @property
    def scopes(self) -> list[str]:
        return self.form.get("scope", "").split()


class EntraIdStandIn(LoopbackServer):
    """A loopback identity provider (see the module documentation)."""

    def __init__(
        self,
        *,
        tls: LoopbackCertificateAuthority | None = None,
        host: str = "127.0.0.1",
        token_lifetime: int = 3600,
    ) -> None:
        self._own_tls = tls is None
        self.tls = tls or LoopbackCertificateAuthority()
        super().__init__(host=host)
        self.token_lifetime = token_lifetime
        self.refresh_in: int | None = None
        self.key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        self.kid = uuid.uuid4().hex
        self.registrations: dict[str, Registration] = {}
        self.token_requests: list[TokenRequest] = []
        self.discovery_requests = 0
        self._failures: deque[tuple[int, str, int, str]] = deque()

    # -- lifecycle -----------------------------------------------------------------------------

    def _add_routes(self, app: web.Application) -> None:
        app.router.add_get("/{tenant}/v2.0/.well-known/openid-configuration", self._discovery)
        app.router.add_get("/{tenant}/discovery/v2.0/keys", self._keys)
        app.router.add_post("/{tenant}/oauth2/v2.0/token", self._token)

    def _ssl_context(self) -> ssl.SSLContext:
        return self.tls.server_ssl_context()

    async def close(self) -> None:
        await super().close()
        if self._own_tls:
            self.tls.cleanup()

    def authority(self, tenant_id: str) -> str:
        return f"{self.url}/{tenant_id}"

    def token_endpoint(self, tenant_id: str) -> str:
        return f"{self.url}/{tenant_id}/oauth2/v2.0/token"

    def issuer(self, tenant_id: str) -> str:
        return f"{self.url}/{tenant_id}/v2.0"

    def settings(self, client_id: str, tenant_id: str, **extra: Any) -> dict[str, Any]:
        """Connection settings (env-style keys) that get tokens from this provider."""
        return {
            "CLIENTID": client_id,
            "TENANTID": tenant_id,
            "AUTHORITY": self.authority(tenant_id),
            **extra,
        }

    def requests_session(self) -> Any:
        """A ``requests.Session`` trusting this provider's certificate (MSAL's ``http_client``)."""
        return self.tls.requests_session()

    # -- registrations and test controls -------------------------------------------------------

    def _registration(self, client_id: str) -> Registration:
        return self.registrations.setdefault(client_id, Registration(client_id))

    def register_secret(self, client_id: str, secret: str) -> None:
        self._registration(client_id).secrets.append(secret)

    def register_certificate(self, client_id: str, certificate: x509.Certificate) -> None:
        """Accept assertions signed by ``certificate``'s key, found by thumbprint."""
        self._registration(client_id).certificates.append(certificate)

    def register_subject_name(self, client_id: str, subject: str, issuer: str) -> None:
        """Accept assertions carrying (``x5c``) any certificate with this subject and issuer
        (RFC 4514 strings), as subject name / issuer authentication does."""
        self._registration(client_id).subject_names.append((subject, issuer))

    def trust_federated(
        self,
        client_id: str,
        *,
        issuer: str,
        public_key: Any,
        subject: str,
        audience: str = "api://AzureADTokenExchange",
    ) -> None:
        """Accept, as ``client_id``'s assertion, tokens of ``issuer`` about ``subject``."""
        trust = FederatedTrust(issuer, public_key, subject, audience)
        self._registration(client_id).trusts.append(trust)

    def fail_next(
        self,
        status: int = 400,
        error: str = "invalid_request",
        code: int = 90014,
        description: str = "The request failed on purpose.",
        count: int = 1,
    ) -> None:
        """Answer the next ``count`` token requests with an Entra-style error."""
        for _ in range(count):
            self._failures.append((status, error, code, description))

    @property
    def issued_tokens(self) -> list[str]:
        return [r.token for r in self.token_requests if r.token]

    def decode(self, token: str, audience: str | None = None) -> dict[str, Any]:
        """The claims of a token this provider issued (signature checked)."""
        claims: dict[str, Any] = jwt.decode(
            token,
            self.key.public_key(),
            algorithms=["RS256"],
            audience=audience,
            options={"verify_aud": audience is not None},
        )
        return claims

    def mint(self, tenant_id: str, claims: dict[str, Any], lifetime: int | None = None) -> str:
        """A token signed by this provider (e.g. a user's token for on-behalf-of tests)."""
        now = int(time.time())
        body = {
            "iss": self.issuer(tenant_id),
            "tid": tenant_id,
            "ver": "2.0",
            "iat": now,
            "nbf": now,
            "exp": now + (self.token_lifetime if lifetime is None else lifetime),
            "jti": uuid.uuid4().hex,
            **claims,
        }
        return jwt.encode(body, self.key, algorithm="RS256", headers={"kid": self.kid})

    # -- serving ----------------------------------------------------------------------------------

    async def _discovery(self, request: web.Request) -> web.Response:
        self.discovery_requests += 1
        tenant = request.match_info["tenant"]
        base = f"{self.url}/{tenant}"
        return web.json_response(
            {
                "issuer": self.issuer(tenant),
                "authorization_endpoint": f"{base}/oauth2/v2.0/authorize",
                "token_endpoint": self.token_endpoint(tenant),
                "jwks_uri": f"{base}/discovery/v2.0/keys",
                "token_endpoint_auth_methods_supported": [
                    "client_secret_post",
                    "private_key_jwt",
                    "client_secret_basic",
                ],
            }
        )

    async def _keys(self, request: web.Request) -> web.Response:
        jwk: dict[str, Any] = RSAAlgorithm.to_jwk(self.key.public_key(), as_dict=True)
        jwk.update(kid=self.kid, use="sig", alg="RS256")
        return web.json_response({"keys": [jwk]})

    async def _token(self, request: web.Request) -> web.Response:
        tenant = request.match_info["tenant"]
        form = {key: str(value) for key, value in (await request.post()).items()}
        record = TokenRequest(tenant, form.get("grant_type", ""), form.get("client_id"), form)
        self.token_requests.append(record)
        try:
            if self._failures:
                status, error, code, description = self._failures.popleft()
                raise GrantError(error, code, description, status)
            body = self._grant(request, tenant, record)
        except GrantError as refused:
            record.status = refused.status
            body = error_body(refused.error, refused.code, refused.description)
            return web.json_response(body, status=refused.status)
        record.status = 200
        record.token = body["access_token"]
        return web.json_response(body)

    def _grant(self, request: web.Request, tenant: str, record: TokenRequest) -> dict[str, Any]:
        form = record.form
        client_id = record.client_id
        if not client_id or client_id not in self.registrations:
            raise GrantError(
                "unauthorized_client",
                700016,
                f"Application with identifier '{client_id}' was not found in the directory.",
            )
        self._authenticate(request, tenant, record, self.registrations[client_id])
        scopes = record.scopes
        if not scopes:
            raise GrantError("invalid_request", 900144, "The request body must contain scope.")
        audience = scopes[0].removesuffix("/.default")
        claims: dict[str, Any] = {"aud": audience, "azp": client_id, "appid": client_id}
        if record.grant_type == "client_credentials":
            if not scopes[0].endswith("/.default"):
                raise GrantError("invalid_scope", 1002012, "Use the /.default scope.")
            claims["sub"] = form.get("fmi_path") or client_id
            if form.get("fmi_path"):
                claims["fmi_path"] = form["fmi_path"]
        elif record.grant_type == _JWT_BEARER and form.get("requested_token_use") == (
            "on_behalf_of"
        ):
            user = self._own_token(form.get("assertion", ""), audience=client_id)
            claims.update(sub=user.get("sub"), oid=user.get("oid"), scp=" ".join(scopes))
        elif record.grant_type == "user_fic":
            self._own_token(form.get("user_federated_identity_credential", ""), audience=None)
            claims.update(oid=form.get("user_id"), sub=form.get("user_id"))
        else:
            raise GrantError(
                "unsupported_grant_type", 70003, f"Grant {record.grant_type!r} not supported."
            )
        token = self.mint(tenant, claims)
        answer: dict[str, Any] = {
            "token_type": "Bearer",
            "expires_in": self.token_lifetime,
            "ext_expires_in": self.token_lifetime,
            "access_token": token,
        }
        if self.refresh_in is not None:
            answer["refresh_in"] = self.refresh_in
        return answer

    def _authenticate(
        self, request: web.Request, tenant: str, record: TokenRequest, registration: Registration
    ) -> None:
        form = record.form
        secret = form.get("client_secret") or _basic_secret(request)
        if secret:
            check_secret(registration, secret)
            record.credential = "secret"
            return
        assertion = form.get("client_assertion")
        if form.get("client_assertion_type") != ASSERTION_TYPE or not assertion:
            raise GrantError(
                "invalid_client",
                7000218,
                "The request body must contain client_assertion or client_secret.",
                401,
            )
        try:
            header = jwt.get_unverified_header(assertion)
            unverified = jwt.decode(assertion, options={"verify_signature": False})
        except jwt.InvalidTokenError:
            raise GrantError("invalid_client", 50027, "Invalid JWT token.", 401) from None
        record.assertion_header = header
        if "x5t" in header or "x5t#S256" in header:
            claims, how = check_certificate_assertion(
                registration, assertion, header, self.token_endpoint(tenant)
            )
            record.credential = how
        else:
            claims, _trust = check_federated_assertion(
                registration, assertion, str(unverified.get("iss"))
            )
            record.credential = "federated"
        record.assertion_claims = claims

    def _own_token(self, token: str, audience: str | None) -> dict[str, Any]:
        try:
            return self.decode(token, audience)
        except jwt.InvalidTokenError as error:
            raise GrantError(
                "invalid_grant", 50013, f"Assertion failed validation: {error}."
            ) from None


def _basic_secret(request: web.Request) -> str | None:
    header = request.headers.get("Authorization", "")
    if not header.lower().startswith("basic "):
        return None
    try:
        decoded = base64.b64decode(header[6:]).decode("utf-8")
    except (binascii.Error, ValueError):
        return None
    _, _, secret = decoded.partition(":")
    return unquote_plus(secret) or None
