"""The credentials a confidential client proves itself with.

* certificates, from a PFX (PKCS#12) file or a PEM file holding the private key and the
  certificate — with ``SEND_X5C`` the certificate itself travels in the assertion's ``x5c``
  header (subject name / issuer authentication);
* client assertions obtained elsewhere: a token of a user-assigned managed identity
  (``FederatedCredentials``) or the federated token file of a workload identity, read again
  every time MSAL needs a fresh assertion.

The callables here are blocking; MSAL calls them from the worker thread that runs the token
request.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.serialization import pkcs12

from .errors import MsalConfigurationError, TokenAcquisitionError, authentication_errors

__all__ = [
    "FEDERATED_RESOURCE",
    "LoadedCertificate",
    "certificate_credential",
    "load_certificate",
    "managed_identity_assertion",
    "token_file_assertion",
]

# The audience of tokens that are exchanged for an app's token (federated credentials).
FEDERATED_RESOURCE = "api://AzureADTokenExchange"


@dataclass(frozen=True)
class LoadedCertificate:
    """A certificate file's contents: ``kind`` is ``"pfx"`` or ``"pem"``."""

    kind: str
    path: str
    private_key_pem: str
    certificate_pem: str
    sha1_thumbprint: str


def _unusable(setting: str, path: str, why: str) -> MsalConfigurationError:
    return MsalConfigurationError(
        authentication_errors.CertificateUnusable.format(setting, path, why)
    )


def load_certificate(path: str, setting: str) -> LoadedCertificate:
    """Read and check a certificate file; ``setting`` names the variable in errors."""
    try:
        with open(path, "rb") as file:
            data = file.read()
    except OSError as error:
        raise _unusable(setting, path, error.strerror or type(error).__name__) from None
    if b"-----BEGIN" in data:
        key, certificate = _from_pem(data, setting, path)
        kind = "pem"
    else:
        try:
            loaded_key, loaded_certificate, _ = pkcs12.load_key_and_certificates(data, None)
        except (ValueError, TypeError):
            # Wrong format or a password-protected file: the message says which, not the data.
            raise _unusable(setting, path, "it is not a PFX file without a password") from None
        if loaded_key is None or loaded_certificate is None:
            raise _unusable(setting, path, "it lacks the private key or the certificate")
        key, certificate = loaded_key, loaded_certificate
        kind = "pfx"
    key_pem = key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    ).decode("ascii")
    return LoadedCertificate(
        kind=kind,
        path=path,
        private_key_pem=key_pem,
        certificate_pem=certificate.public_bytes(serialization.Encoding.PEM).decode("ascii"),
        sha1_thumbprint=certificate.fingerprint(hashes.SHA1()).hex(),
    )


def _from_pem(data: bytes, setting: str, path: str) -> tuple[Any, x509.Certificate]:
    key: Any = None
    for block in _pem_blocks(data):
        if b"PRIVATE KEY-----" in block.split(b"\n", 1)[0]:
            if b"ENCRYPTED" in block.split(b"\n", 1)[0]:
                raise _unusable(setting, path, "its private key is encrypted")
            try:
                key = serialization.load_pem_private_key(block, password=None)
            except (ValueError, TypeError):
                raise _unusable(setting, path, "its private key cannot be read") from None
            break
    if key is None:
        raise _unusable(setting, path, "it holds no private key")
    try:
        certificates = x509.load_pem_x509_certificates(data)
    except ValueError:
        certificates = []
    public = key.public_key().public_bytes(
        serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo
    )
    for certificate in certificates:
        candidate = certificate.public_key().public_bytes(
            serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo
        )
        if candidate == public:
            return key, certificate
    raise _unusable(setting, path, "it holds no certificate for its private key")


def _pem_blocks(data: bytes) -> list[bytes]:
    blocks = []
    rest = data
    while b"-----BEGIN" in rest:
        start = rest.index(b"-----BEGIN")
        end = rest.find(b"-----END", start)
        if end < 0:
            break
        close = rest.find(b"-----", end + 8)
        stop = len(rest) if close < 0 else close + 5
        blocks.append(rest[start:stop])
        rest = rest[stop:]
    return blocks


def certificate_credential(certificate: LoadedCertificate, send_x5c: bool) -> dict[str, Any]:
    """MSAL's ``client_credential`` for a certificate.

    PFX files go to MSAL by path (it signs with PS256 and an ``x5t#S256`` header). A PEM
    file's key is handed over in memory: with ``send_x5c`` together with the certificate
    (PS256, ``x5t#S256`` and ``x5c``), otherwise with the SHA-1 thumbprint (RS256, ``x5t``).
    """
    if certificate.kind == "pfx":
        credential: dict[str, Any] = {"private_key_pfx_path": certificate.path}
        if send_x5c:
            credential["public_certificate"] = True
        return credential
    if send_x5c:
        return {
            "private_key": certificate.private_key_pem,
            "public_certificate": certificate.certificate_pem,
        }
    return {"private_key": certificate.private_key_pem, "thumbprint": certificate.sha1_thumbprint}


def token_file_assertion(path: str, setting: str) -> Callable[[], str]:
    """An assertion callable returning the (stripped) contents of ``path`` at each call, so a
    token file rotated by the platform is picked up."""

    def read_token_file() -> str:
        try:
            with open(path, encoding="utf-8") as file:
                token = file.read().strip()
        except OSError as error:
            raise TokenAcquisitionError(
                authentication_errors.FailedToAcquireToken.format(
                    f"The federated token file named by {setting} cannot be read "
                    f"({error.strerror or type(error).__name__})."
                )
            ) from None
        if not token:
            raise TokenAcquisitionError(
                authentication_errors.FailedToAcquireToken.format(
                    f"The federated token file named by {setting} is empty."
                )
            )
        return token

    return read_token_file


def managed_identity_assertion(
    acquire: Callable[[str], dict[str, Any]], federated_client_id: str
) -> Callable[[], str]:
    """An assertion callable returning a token of the user-assigned managed identity
    ``federated_client_id`` for the token-exchange audience; ``acquire(resource)`` is that
    identity's (cached) MSAL ``acquire_token_for_client``."""

    def managed_identity_token() -> str:
        result = acquire(FEDERATED_RESOURCE)
        token = result.get("access_token") if isinstance(result, dict) else None
        if not token:
            error = result.get("error") if isinstance(result, dict) else None
            raise TokenAcquisitionError(
                authentication_errors.FailedToAcquireToken.format(
                    f"The managed identity {federated_client_id!r} gave no token to exchange "
                    f"({error or 'no access_token in the answer'})."
                ),
                error=error if isinstance(error, str) else None,
            )
        return str(token)

    return managed_identity_token
