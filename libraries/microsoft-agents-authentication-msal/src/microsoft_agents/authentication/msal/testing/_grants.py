"""How the loopback identity provider checks clients: registrations, assertion checks and the
error answers it gives (shaped like Entra ID's)."""

from __future__ import annotations

import base64
import hmac
import time
import uuid
from dataclasses import dataclass, field
from typing import Any

import jwt
from cryptography import x509
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.serialization import Encoding

__all__ = [
    "ASSERTION_TYPE",
    "FederatedTrust",
    "GrantError",
    "Registration",
    "check_certificate_assertion",
    "check_federated_assertion",
    "check_secret",
    "error_body",
]

ASSERTION_TYPE = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer"
_ASSERTION_ALGORITHMS = ["RS256", "PS256"]


class GrantError(Exception):
    """A refused token request: OAuth ``error``, Entra-style numeric code, HTTP status."""

    def __init__(self, error: str, code: int, description: str, status: int = 400) -> None:
        super().__init__(description)
        self.error = error
        self.code = code
        self.description = description
        self.status = status


def error_body(error: str, code: int, description: str) -> dict[str, Any]:
    """An error answer like Entra ID's token endpoint gives."""
    trace, correlation = str(uuid.uuid4()), str(uuid.uuid4())
    return {
        "error": error,
        "error_description": (
            f"AADSTS{code}: {description} Trace ID: {trace} Correlation ID: {correlation} "
            f"Timestamp: {time.strftime('%Y-%m-%d %H:%M:%SZ', time.gmtime())}"
        ),
        "error_codes": [code],
        "timestamp": time.strftime("%Y-%m-%d %H:%M:%SZ", time.gmtime()),
        "trace_id": trace,
        "correlation_id": correlation,
    }


@dataclass
class FederatedTrust:
    """An app trusts tokens of ``issuer`` (checked with ``public_key``) about ``subject``."""

    issuer: str
    public_key: Any
    subject: str
    audience: str = "api://AzureADTokenExchange"


@dataclass
class Registration:
    """What an app (client id) may authenticate with."""

    client_id: str
    secrets: list[str] = field(default_factory=list)
    certificates: list[x509.Certificate] = field(default_factory=list)
    subject_names: list[tuple[str, str]] = field(default_factory=list)  # (subject, issuer)
    trusts: list[FederatedTrust] = field(default_factory=list)


def check_secret(registration: Registration, secret: str) -> None:
    if not any(hmac.compare_digest(secret, known) for known in registration.secrets):
        raise GrantError(
            "invalid_client",
            7000215,
            "Invalid client secret provided. Ensure the secret being sent in the request is "
            "the client secret value, not the client secret ID.",
            401,
        )


def _b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).decode("ascii").rstrip("=")


def _thumbprints(certificate: x509.Certificate) -> tuple[str, str]:
    return (
        _b64url(certificate.fingerprint(hashes.SHA1())),
        _b64url(certificate.fingerprint(hashes.SHA256())),
    )


def check_certificate_assertion(
    registration: Registration, assertion: str, header: dict[str, Any], token_endpoint: str
) -> tuple[dict[str, Any], str]:
    """Verify a certificate-signed client assertion; return its claims and how the
    certificate was found (``"certificate"``, by thumbprint, or ``"subject-name"``)."""
    # Thumbprints are compared without base64 padding (MSAL sends it, others do not).
    x5t = str(header.get("x5t") or "").rstrip("=") or None
    x5t_s256 = str(header.get("x5t#S256") or "").rstrip("=") or None
    if not x5t and not x5t_s256:
        raise GrantError("invalid_client", 700027, "The assertion names no certificate.", 401)
    found: x509.Certificate | None = None
    how = "certificate"
    for certificate in registration.certificates:
        sha1, sha256 = _thumbprints(certificate)
        if (x5t and x5t == sha1) or (x5t_s256 and x5t_s256 == sha256):
            found = certificate
    chain = header.get("x5c")
    if found is None and chain and registration.subject_names:
        presented = x509.load_der_x509_certificate(base64.b64decode(chain[0]))
        sha1, sha256 = _thumbprints(presented)
        names = (presented.subject.rfc4514_string(), presented.issuer.rfc4514_string())
        if (
            names in registration.subject_names
            and (x5t in (None, sha1))
            and (x5t_s256 in (None, sha256))
        ):
            found, how = presented, "subject-name"
    if found is None:
        raise GrantError(
            "invalid_client",
            700027,
            "Client assertion contains an invalid signature: the key was not found.",
            401,
        )
    if chain:
        leaf = base64.b64decode(chain[0])
        if leaf != found.public_bytes(Encoding.DER):
            raise GrantError("invalid_client", 700027, "x5c does not match x5t.", 401)
    claims = _decode(
        assertion,
        found.public_key(),
        algorithms=[header.get("alg", "")] if header.get("alg") in _ASSERTION_ALGORITHMS else [],
        audience=token_endpoint,
        issuer=registration.client_id,
    )
    if claims.get("sub") != registration.client_id:
        raise GrantError("invalid_client", 700023, "The assertion's sub is not the client.", 401)
    return claims, how


def check_federated_assertion(
    registration: Registration, assertion: str, issuer: str
) -> tuple[dict[str, Any], FederatedTrust]:
    """Verify a token from a trusted federated issuer used as the client assertion."""
    for trust in registration.trusts:
        if trust.issuer != issuer:
            continue
        claims = _decode(
            assertion,
            trust.public_key,
            algorithms=["RS256"],
            audience=trust.audience,
            issuer=issuer,
            required=("aud", "iss", "sub", "exp"),
        )
        if claims.get("sub") != trust.subject:
            raise GrantError(
                "invalid_client",
                70021,
                "No matching federated identity record found for presented assertion subject.",
                401,
            )
        return claims, trust
    raise GrantError(
        "invalid_client",
        70021,
        "No matching federated identity record found for presented assertion issuer.",
        401,
    )


def _decode(
    token: str,
    key: Any,
    *,
    algorithms: list[str],
    audience: str,
    issuer: str,
    required: tuple[str, ...] = ("aud", "iss", "sub", "exp", "jti"),
) -> dict[str, Any]:
    if not algorithms:
        raise GrantError("invalid_client", 5002738, "Unsupported assertion algorithm.", 401)
    try:
        claims: dict[str, Any] = jwt.decode(
            token,
            key,
            algorithms=algorithms,
            audience=audience,
            issuer=issuer,
            options={"require": list(required)},
        )
    except jwt.InvalidTokenError as error:
        raise GrantError(
            "invalid_client", 700027, f"Client assertion failed validation: {error}.", 401
        ) from None
    return claims
