"""Certificates for tests: a private certificate authority for loopback HTTPS servers, and
client certificates (PFX or PEM files) for certificate authentication.

MSAL only talks to ``https://`` authorities, so the loopback identity provider serves TLS with
a server certificate for ``127.0.0.1`` signed by a CA generated here. MSAL's HTTP stack
(``requests``) trusts it through a session whose ``verify`` is :attr:`ca_file` (see
:meth:`LoopbackCertificateAuthority.requests_session`) or through ``REQUESTS_CA_BUNDLE``.
"""

from __future__ import annotations

import base64
import datetime
import ipaddress
import shutil
import ssl
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.hazmat.primitives.serialization import pkcs12
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

__all__ = ["ClientCertificate", "LoopbackCertificateAuthority"]


def _key() -> rsa.RSAPrivateKey:
    return rsa.generate_private_key(public_exponent=65537, key_size=2048)


def _name(common_name: str) -> x509.Name:
    return x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, common_name)])


def _b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).decode("ascii").rstrip("=")


def _builder(
    subject: str, issuer: x509.Name, public_key: Any, days: int
) -> x509.CertificateBuilder:
    now = datetime.datetime.now(datetime.timezone.utc)
    return (
        x509.CertificateBuilder()
        .subject_name(_name(subject))
        .issuer_name(issuer)
        .public_key(public_key)
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(minutes=5))
        .not_valid_after(now + datetime.timedelta(days=days))
    )


@dataclass
class ClientCertificate:
    """A private key and its certificate, written to files in the formats apps configure."""

    key: rsa.RSAPrivateKey
    certificate: x509.Certificate
    chain: tuple[x509.Certificate, ...] = ()

    @classmethod
    def self_signed(cls, subject: str = "agent-app") -> ClientCertificate:
        key = _key()
        certificate = _builder(subject, _name(subject), key.public_key(), 30).sign(
            key, hashes.SHA256()
        )
        return cls(key, certificate)

    @property
    def subject(self) -> str:
        return self.certificate.subject.rfc4514_string()

    @property
    def issuer(self) -> str:
        return self.certificate.issuer.rfc4514_string()

    @property
    def x5t(self) -> str:
        """The base64url SHA-1 thumbprint (JWT header ``x5t``)."""
        return _b64url(self.certificate.fingerprint(hashes.SHA1()))

    @property
    def x5t_s256(self) -> str:
        """The base64url SHA-256 thumbprint (JWT header ``x5t#S256``)."""
        return _b64url(self.certificate.fingerprint(hashes.SHA256()))

    @property
    def certificate_pem(self) -> bytes:
        return self.certificate.public_bytes(serialization.Encoding.PEM)

    def write_pfx(self, path: str | Path, password: bytes | None = None) -> str:
        encryption: Any = (
            serialization.BestAvailableEncryption(password)
            if password
            else serialization.NoEncryption()
        )
        data = pkcs12.serialize_key_and_certificates(
            b"agent", self.key, self.certificate, list(self.chain) or None, encryption
        )
        Path(path).write_bytes(data)
        return str(path)

    def write_pem(self, path: str | Path, *, password: bytes | None = None) -> str:
        """Key then certificate (and chain) in one PEM file."""
        encryption: Any = (
            serialization.BestAvailableEncryption(password)
            if password
            else serialization.NoEncryption()
        )
        key = self.key.private_bytes(
            serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, encryption
        )
        chain = b"".join(c.public_bytes(serialization.Encoding.PEM) for c in self.chain)
        Path(path).write_bytes(key + self.certificate_pem + chain)
        return str(path)


class LoopbackCertificateAuthority:
    """A CA and a server certificate for ``127.0.0.1``/``localhost``, written to ``directory``
    (a new temporary directory unless given; :meth:`cleanup` removes it then)."""

    def __init__(self, directory: str | Path | None = None, name: str = "Loopback Test CA"):
        self._own_directory = directory is None
        self.directory = Path(directory) if directory else Path(tempfile.mkdtemp(prefix="tls-"))
        self.key = _key()
        ca = _builder(name, _name(name), self.key.public_key(), 30).add_extension(
            x509.BasicConstraints(ca=True, path_length=None), critical=True
        )
        self.certificate = ca.sign(self.key, hashes.SHA256())
        server_key = _key()
        server = (
            _builder("127.0.0.1", self.certificate.subject, server_key.public_key(), 30)
            .add_extension(
                x509.SubjectAlternativeName(
                    [
                        x509.IPAddress(ipaddress.ip_address("127.0.0.1")),
                        x509.DNSName("localhost"),
                    ]
                ),
                critical=False,
            )
            .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.SERVER_AUTH]), critical=False)
            .sign(self.key, hashes.SHA256())
        )
        self.ca_file = str(self.directory / "loopback-ca.pem")
        Path(self.ca_file).write_bytes(self.certificate.public_bytes(serialization.Encoding.PEM))
        self._server_cert_file = self.directory / "loopback-server.pem"
        self._server_key_file = self.directory / "loopback-server.key"
        self._server_cert_file.write_bytes(server.public_bytes(serialization.Encoding.PEM))
        self._server_key_file.write_bytes(
            server_key.private_bytes(
                serialization.Encoding.PEM,
                serialization.PrivateFormat.PKCS8,
                serialization.NoEncryption(),
            )
        )

    def server_ssl_context(self) -> ssl.SSLContext:
        context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        context.load_cert_chain(self._server_cert_file, self._server_key_file)
        return context

    def client_ssl_context(self) -> ssl.SSLContext:
        """An SSL context trusting this CA (for aiohttp or other ``ssl`` clients)."""
        return ssl.create_default_context(cafile=self.ca_file)

    def requests_session(self) -> Any:
        """A ``requests.Session`` trusting this CA — pass it as MSAL's ``http_client``.

        It ignores the environment (``trust_env = False``): ``requests`` would otherwise let
        ``REQUESTS_CA_BUNDLE``/``CURL_CA_BUNDLE`` override ``verify``, and use proxies."""
        import requests

        session = requests.Session()
        session.trust_env = False
        session.verify = self.ca_file
        return session

    def issue_client_certificate(self, subject: str = "agent-app") -> ClientCertificate:
        """A client certificate signed by this CA (for subject name / issuer authentication:
        the chain holds the CA certificate)."""
        key = _key()
        certificate = _builder(subject, self.certificate.subject, key.public_key(), 30).sign(
            self.key, hashes.SHA256()
        )
        return ClientCertificate(key, certificate, (self.certificate,))

    def cleanup(self) -> None:
        if self._own_directory:
            shutil.rmtree(self.directory, ignore_errors=True)
