"""``ManagedIdentityStandIn``: a loopback managed identity endpoint for MSAL.

MSAL's ``ManagedIdentityClient`` picks its endpoint from the environment. Two sources can be
pointed at ``127.0.0.1``, and the stand-in serves both:

* the Azure VM instance metadata service (IMDS): MSAL calls
  ``$AZURE_POD_IDENTITY_AUTHORITY_HOST/metadata/identity/oauth2/token`` (normally
  ``http://169.254.169.254``) with the header ``Metadata: true`` — :meth:`imds_environment`;
* App Service / Azure Functions: MSAL calls ``$IDENTITY_ENDPOINT`` with the header
  ``X-IDENTITY-HEADER: $IDENTITY_HEADER`` — :meth:`app_service_environment`.

Set the variables only inside a test (``monkeypatch.setenv``) and clear the others MSAL
looks at (:data:`MANAGED_IDENTITY_VARIABLES`), since the first source found wins. Issued
tokens are JWTs signed with the stand-in's key, with ``iss`` = :attr:`issuer`, ``sub`` = the
identity's principal id and ``aud`` = the resource, so an identity provider can trust them
as federated credentials.
"""

from __future__ import annotations

import time
import uuid
from collections import deque
from dataclasses import dataclass
from typing import Any

import jwt
from aiohttp import web
from cryptography.hazmat.primitives.asymmetric import rsa

from microsoft_agents.hosting.core.testing import LoopbackServer

__all__ = ["MANAGED_IDENTITY_VARIABLES", "ManagedIdentityRequest", "ManagedIdentityStandIn"]

MANAGED_IDENTITY_VARIABLES = (
    "IDENTITY_ENDPOINT",
    "IDENTITY_HEADER",
    "IDENTITY_SERVER_THUMBPRINT",
    "IMDS_ENDPOINT",
    "MSI_ENDPOINT",
    "MSI_SECRET",
    "AZURE_POD_IDENTITY_AUTHORITY_HOST",
)
"""Environment variables MSAL reads to choose a managed identity source."""

SYSTEM_ASSIGNED = "system-assigned"


@dataclass
class ManagedIdentityRequest:
    """One token request: ``source`` is ``"imds"`` or ``"app_service"``; ``client_id`` the
    user-assigned identity asked for (``None``: system-assigned)."""

    source: str
    resource: str | None
    client_id: str | None
    headers: dict[str, str]
    status: int = 0
    token: str | None = None


class ManagedIdentityStandIn(LoopbackServer):
    """A loopback managed identity endpoint (see the module documentation)."""

    def __init__(self, *, host: str = "127.0.0.1", token_lifetime: int = 3600) -> None:
        super().__init__(host=host)
        self.token_lifetime = token_lifetime
        self.identity_header = uuid.uuid4().hex
        self.key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        self.principals: dict[str, str] = {SYSTEM_ASSIGNED: str(uuid.uuid4())}
        self.requests: list[ManagedIdentityRequest] = []
        self._failures: deque[tuple[int, dict[str, Any]]] = deque()

    def _add_routes(self, app: web.Application) -> None:
        app.router.add_get("/metadata/identity/oauth2/token", self._imds)
        app.router.add_get("/msi/token", self._app_service)

    @property
    def issuer(self) -> str:
        return self.url

    def imds_environment(self) -> dict[str, str]:
        return {"AZURE_POD_IDENTITY_AUTHORITY_HOST": self.url}

    def app_service_environment(self) -> dict[str, str]:
        return {
            "IDENTITY_ENDPOINT": f"{self.url}/msi/token",
            "IDENTITY_HEADER": self.identity_header,
        }

    def add_identity(self, client_id: str) -> str:
        """Assign a user-assigned identity; return its principal (object) id."""
        return self.principals.setdefault(client_id, str(uuid.uuid4()))

    def principal(self, client_id: str | None = None) -> str:
        return self.principals[client_id or SYSTEM_ASSIGNED]

    def fail_next(self, status: int = 400, error: str = "invalid_request", count: int = 1) -> None:
        for _ in range(count):
            self._failures.append(
                (status, {"error": error, "error_description": "Failed on purpose."})
            )

    def decode(self, token: str) -> dict[str, Any]:
        claims: dict[str, Any] = jwt.decode(
            token, self.key.public_key(), algorithms=["RS256"], options={"verify_aud": False}
        )
        return claims

    @property
    def issued_tokens(self) -> list[str]:
        return [r.token for r in self.requests if r.token]

    # -- serving --------------------------------------------------------------------------------

    async def _imds(self, request: web.Request) -> web.Response:
        record = self._record("imds", request)
        if request.headers.get("Metadata") != "true":
            return self._refuse(
                record, 400, "invalid_request", "Required metadata header not specified"
            )
        return self._answer(record, relative=True)

    async def _app_service(self, request: web.Request) -> web.Response:
        record = self._record("app_service", request)
        if request.headers.get("X-IDENTITY-HEADER") != self.identity_header:
            return self._refuse(record, 401, "unauthorized", "Missing or wrong identity header")
        return self._answer(record, relative=False)

    def _record(self, source: str, request: web.Request) -> ManagedIdentityRequest:
        record = ManagedIdentityRequest(
            source,
            request.query.get("resource"),
            request.query.get("client_id") or request.query.get("clientid"),
            dict(request.headers),
        )
        self.requests.append(record)
        return record

    def _refuse(
        self, record: ManagedIdentityRequest, status: int, error: str, description: str
    ) -> web.Response:
        record.status = status
        body = {"error": error, "error_description": description}
        return web.json_response(body, status=status)

    def _answer(self, record: ManagedIdentityRequest, relative: bool) -> web.Response:
        if self._failures:
            status, failure = self._failures.popleft()
            record.status = status
            return web.json_response(failure, status=status)
        if not record.resource:
            return self._refuse(record, 400, "invalid_request", "resource is required")
        principal = self.principals.get(record.client_id or SYSTEM_ASSIGNED)
        if principal is None:
            return self._refuse(record, 400, "invalid_request", "Identity not found")
        now = int(time.time())
        expires_on = now + self.token_lifetime
        token = jwt.encode(
            {
                "iss": self.issuer,
                "sub": principal,
                "oid": principal,
                "aud": record.resource,
                "appid": record.client_id or principal,
                "iat": now,
                "nbf": now,
                "exp": expires_on,
                "jti": uuid.uuid4().hex,
            },
            self.key,
            algorithm="RS256",
        )
        record.status = 200
        record.token = token
        body: dict[str, Any] = {
            "access_token": token,
            "expires_on": str(expires_on),
            "resource": record.resource,
            "token_type": "Bearer",
            "client_id": record.client_id or principal,
        }
        if relative:
            body["expires_in"] = str(self.token_lifetime)
        return web.json_response(body)
