"""Certificate connections: MSAL signs a client assertion with the certificate's key and the
loopback provider verifies its signature, claims and certificate headers."""

from __future__ import annotations

import base64
import time
from collections.abc import Callable
from pathlib import Path

import pytest
from cryptography.hazmat.primitives import serialization

from microsoft_agents.authentication.msal import MsalAuth, TokenAcquisitionError
from microsoft_agents.authentication.msal.testing import (
    ClientCertificate,
    EntraIdStandIn,
    LoopbackCertificateAuthority,
)

MakeAuth = Callable[..., MsalAuth]
BOT_RESOURCE = "https://api.botframework.com"
BOT_SCOPES = ["https://api.botframework.com/.default"]


@pytest.fixture(scope="module")
def certificate() -> ClientCertificate:
    return ClientCertificate.self_signed("agent-app")


def _certificate_auth(make_auth: MakeAuth, path: str, **settings: object) -> MsalAuth:
    return make_auth(AUTHTYPE="certificate", CERTPFXFILE=path, CLIENTSECRET=None, **settings)


async def test_a_pfx_certificate_signs_a_verified_assertion(
    idp: EntraIdStandIn,
    make_auth: MakeAuth,
    certificate: ClientCertificate,
    tmp_path: Path,
    app_id: str,
    tenant: str,
) -> None:
    idp.register_certificate(app_id, certificate.certificate)
    auth = _certificate_auth(make_auth, certificate.write_pfx(tmp_path / "app.pfx"))

    token = await auth.get_access_token(BOT_RESOURCE, BOT_SCOPES)

    [request] = idp.token_requests
    assert request.credential == "certificate" and request.token == token
    assert "client_secret" not in request.form
    header, claims = request.assertion_header, request.assertion_claims
    # A PFX goes to MSAL by path: PS256 with the SHA-256 thumbprint, no certificate attached.
    assert header["alg"] == "PS256"
    assert header["x5t#S256"].rstrip("=") == certificate.x5t_s256
    assert "x5c" not in header
    assert claims["aud"] == idp.token_endpoint(tenant)
    assert claims["iss"] == claims["sub"] == app_id
    assert claims["jti"]
    assert time.time() < claims["exp"] <= time.time() + 700


async def test_send_x5c_attaches_the_certificate_for_subject_name_issuer_auth(
    idp: EntraIdStandIn,
    make_auth: MakeAuth,
    tls: LoopbackCertificateAuthority,
    tmp_path: Path,
    app_id: str,
) -> None:
    # The app trusts any certificate with this subject from this issuer (no thumbprint).
    issued = tls.issue_client_certificate("agent-sni")
    idp.register_subject_name(app_id, issued.subject, issued.issuer)
    auth = _certificate_auth(make_auth, issued.write_pfx(tmp_path / "sni.pfx"), SENDX5C="true")

    await auth.get_access_token(BOT_RESOURCE, BOT_SCOPES)

    [request] = idp.token_requests
    assert request.credential == "subject-name"
    leaf = base64.b64decode(request.assertion_header["x5c"][0])
    assert leaf == issued.certificate.public_bytes(serialization.Encoding.DER)


async def test_subject_name_issuer_auth_fails_without_send_x5c(
    idp: EntraIdStandIn,
    make_auth: MakeAuth,
    tls: LoopbackCertificateAuthority,
    tmp_path: Path,
    app_id: str,
) -> None:
    issued = tls.issue_client_certificate("agent-sni")
    idp.register_subject_name(app_id, issued.subject, issued.issuer)
    auth = _certificate_auth(make_auth, issued.write_pfx(tmp_path / "sni.pfx"))

    with pytest.raises(TokenAcquisitionError) as caught:
        await auth.get_access_token(BOT_RESOURCE, BOT_SCOPES)

    assert caught.value.error == "invalid_client"
    assert caught.value.error_codes == [700027]
    assert idp.token_requests[0].status == 401


async def test_a_pem_certificate_signs_with_its_sha1_thumbprint(
    idp: EntraIdStandIn,
    make_auth: MakeAuth,
    certificate: ClientCertificate,
    tmp_path: Path,
    app_id: str,
    tenant: str,
) -> None:
    idp.register_certificate(app_id, certificate.certificate)
    auth = _certificate_auth(make_auth, certificate.write_pem(tmp_path / "app.pem"))

    await auth.get_access_token(BOT_RESOURCE, BOT_SCOPES)

    [request] = idp.token_requests
    assert request.credential == "certificate"
    header = request.assertion_header
    assert (header["alg"], header["x5t"].rstrip("=")) == ("RS256", certificate.x5t)
    assert "x5c" not in header and "x5t#S256" not in header
    assert request.assertion_claims["aud"] == idp.token_endpoint(tenant)


async def test_a_pem_certificate_with_send_x5c_attaches_it(
    idp: EntraIdStandIn,
    make_auth: MakeAuth,
    certificate: ClientCertificate,
    tmp_path: Path,
    app_id: str,
) -> None:
    idp.register_certificate(app_id, certificate.certificate)
    auth = _certificate_auth(make_auth, certificate.write_pem(tmp_path / "app.pem"), SENDX5C="true")

    await auth.get_access_token(BOT_RESOURCE, BOT_SCOPES)

    header = idp.token_requests[0].assertion_header
    assert header["x5t#S256"].rstrip("=") == certificate.x5t_s256
    leaf = base64.b64decode(header["x5c"][0])
    assert leaf == certificate.certificate.public_bytes(serialization.Encoding.DER)


async def test_an_unregistered_certificate_is_refused(
    idp: EntraIdStandIn,
    make_auth: MakeAuth,
    certificate: ClientCertificate,
    tmp_path: Path,
    app_id: str,
) -> None:
    idp.register_certificate(app_id, ClientCertificate.self_signed("someone-else").certificate)
    auth = _certificate_auth(make_auth, certificate.write_pfx(tmp_path / "app.pfx"))

    with pytest.raises(TokenAcquisitionError, match="invalid_client"):
        await auth.get_access_token(BOT_RESOURCE, BOT_SCOPES)


async def test_the_certificate_assertion_is_reused_then_cached_token_served(
    idp: EntraIdStandIn,
    make_auth: MakeAuth,
    certificate: ClientCertificate,
    tmp_path: Path,
    app_id: str,
) -> None:
    idp.register_certificate(app_id, certificate.certificate)
    auth = _certificate_auth(make_auth, certificate.write_pfx(tmp_path / "app.pfx"))

    first = await auth.get_access_token(BOT_RESOURCE, BOT_SCOPES)
    assert await auth.get_access_token(BOT_RESOURCE, BOT_SCOPES) == first
    other = await auth.get_access_token("https://other.example", ["https://other.example/.default"])

    assert other != first
    assert len(idp.token_requests) == 2
    assert all(r.credential == "certificate" for r in idp.token_requests)
