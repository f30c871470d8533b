"""Refusals of the token endpoint (400/401/500) become TokenAcquisitionError, and neither
logs (ours and MSAL's, at DEBUG) nor exception messages ever carry secrets, client
assertions or issued tokens."""

from __future__ import annotations

import logging
import traceback
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from microsoft_agents.authentication.msal import MsalAuth, TokenAcquisitionError
from microsoft_agents.authentication.msal.errors import MsalAuthError, authentication_errors
from microsoft_agents.authentication.msal.testing import ClientCertificate, EntraIdStandIn
from microsoft_agents.hosting.core.errors import HostingError

MakeAuth = Callable[..., MsalAuth]
BOT_RESOURCE = "https://api.botframework.com"
BOT_SCOPES = ["https://api.botframework.com/.default"]


@pytest.fixture
def debug_logs(caplog: pytest.LogCaptureFixture) -> Iterator[pytest.LogCaptureFixture]:
    for name in ("microsoft_agents", "msal", "urllib3"):
        caplog.set_level(logging.DEBUG, logger=name)
    yield caplog


def _everything_said(caplog: pytest.LogCaptureFixture, error: BaseException | None) -> str:
    text = caplog.text + "".join(str(r.args) for r in caplog.records)
    if error is not None:
        text += "".join(traceback.format_exception(type(error), error, error.__traceback__))
        text += repr(error)
    return text


@pytest.mark.parametrize(
    ("status", "error", "code"),
    [
        (400, "invalid_request", 90014),
        (401, "invalid_client", 7000215),
        (500, "server_error", 500011),
    ],
)
async def test_a_refused_token_request_raises_with_the_providers_error(
    idp: EntraIdStandIn,
    make_auth: MakeAuth,
    secret: str,
    debug_logs: pytest.LogCaptureFixture,
    status: int,
    error: str,
    code: int,
) -> None:
    idp.fail_next(status, error, code, "Refused on purpose.")
    auth = make_auth()

    with pytest.raises(TokenAcquisitionError) as caught:
        await auth.get_access_token(BOT_RESOURCE, BOT_SCOPES)

    failure = caught.value
    assert isinstance(failure, ValueError) and isinstance(failure, MsalAuthError)
    assert isinstance(failure, HostingError)
    message = str(failure)
    assert message.startswith("Failed to acquire token.")
    assert f"Error Code: {authentication_errors.FailedToAcquireToken.error_code}" in message
    if status < 500:
        # MSAL hands 4xx answers back: the provider's error, codes and correlation id survive.
        assert failure.error == error and failure.error_codes == [code]
        assert failure.correlation_id
        assert f"AADSTS{code}" in message
    else:
        assert "500" in message  # MSAL raises on 5xx; the status is in the message
    assert [r.status for r in idp.token_requests] == [status]
    assert secret not in _everything_said(debug_logs, failure)


async def test_after_a_refusal_another_request_succeeds(
    idp: EntraIdStandIn, make_auth: MakeAuth
) -> None:
    idp.fail_next(400, "invalid_request", 90014)
    auth = make_auth()
    with pytest.raises(TokenAcquisitionError):
        await auth.get_access_token(BOT_RESOURCE, BOT_SCOPES)

    # MSAL throttles an identical request that just got 400; another scope goes through.
    token = await auth.get_access_token("https://other.example", ["https://other.example/.default"])

    assert token == idp.issued_tokens[-1]


async def test_a_wrong_secret_is_reported_without_the_secret(
    idp: EntraIdStandIn, make_auth: MakeAuth, debug_logs: pytest.LogCaptureFixture
) -> None:
    wrong = "wrong-secret-value-that-must-not-leak"
    auth = make_auth(CLIENTSECRET=wrong)

    with pytest.raises(TokenAcquisitionError) as caught:
        await auth.get_access_token(BOT_RESOURCE, BOT_SCOPES)

    assert caught.value.error == "invalid_client"
    assert "AADSTS7000215" in str(caught.value)
    assert wrong not in _everything_said(debug_logs, caught.value)


async def test_an_unreachable_authority_names_it_but_no_secret(
    idp: EntraIdStandIn, make_auth: MakeAuth, secret: str, debug_logs: pytest.LogCaptureFixture
) -> None:
    auth = make_auth(AUTHORITY="https://127.0.0.1:9/" + "a" * 8)  # nothing listens on port 9

    with pytest.raises(TokenAcquisitionError) as caught:
        await auth.get_access_token(BOT_RESOURCE, BOT_SCOPES)

    assert "Could not reach the authority https://127.0.0.1:9/" in str(caught.value)
    assert secret not in _everything_said(debug_logs, caught.value)


async def test_logs_carry_no_secret_or_token_on_success(
    idp: EntraIdStandIn, make_auth: MakeAuth, secret: str, debug_logs: pytest.LogCaptureFixture
) -> None:
    auth = make_auth()

    token = await auth.get_access_token(BOT_RESOURCE, BOT_SCOPES)
    await auth.get_access_token(BOT_RESOURCE, BOT_SCOPES, force_refresh=True)

    said = _everything_said(debug_logs, None)
    assert "msal" in {r.name.split(".")[0] for r in debug_logs.records}  # MSAL did log
    assert secret not in said
    for issued in idp.issued_tokens:
        assert issued not in said
    assert token not in repr(auth) and token not in said


async def test_logs_carry_no_client_assertion(
    idp: EntraIdStandIn,
    make_auth: MakeAuth,
    tmp_path: Path,
    app_id: str,
    debug_logs: pytest.LogCaptureFixture,
) -> None:
    certificate = ClientCertificate.self_signed()
    idp.register_certificate(app_id, certificate.certificate)
    auth = make_auth(
        AUTHTYPE="certificate",
        CERTPFXFILE=certificate.write_pfx(tmp_path / "app.pfx"),
        CLIENTSECRET=None,
    )

    await auth.get_access_token(BOT_RESOURCE, BOT_SCOPES)
    idp.fail_next(401, "invalid_client", 700027)
    with pytest.raises(TokenAcquisitionError) as caught:
        await auth.get_access_token("https://x.example", ["https://x.example/.default"])

    said = _everything_said(debug_logs, caught.value)
    assertions = [r.form["client_assertion"] for r in idp.token_requests]
    assert len(assertions) == 2 and all(assertions)
    for assertion in assertions:
        assert assertion not in said
        assert assertion.split(".")[2] not in said  # not even the signature
    for issued in idp.issued_tokens:
        assert issued not in said


async def test_logs_carry_no_federated_assertion(
    idp: EntraIdStandIn,
    make_auth: MakeAuth,
    tmp_path: Path,
    debug_logs: pytest.LogCaptureFixture,
) -> None:
    token_file = tmp_path / "token"
    file_token = "eyJhbGciOiJub25lIn0.eyJzdWIiOiJ4In0.not-a-trusted-token-value"
    token_file.write_text(file_token)
    auth = make_auth(
        AUTHTYPE="WorkloadIdentity", FEDERATEDTOKENFILE=str(token_file), CLIENTSECRET=None
    )

    with pytest.raises(TokenAcquisitionError) as caught:
        await auth.get_access_token(BOT_RESOURCE, BOT_SCOPES)

    assert idp.token_requests[0].form["client_assertion"] == file_token
    assert file_token not in _everything_said(debug_logs, caught.value)
