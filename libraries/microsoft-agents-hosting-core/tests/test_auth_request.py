"""_authorize_request (the hosts' header check) and validate_service_url_claim."""

from __future__ import annotations

import logging
import time
from collections.abc import AsyncIterator

import pytest

from microsoft_agents.hosting.core.authorization import (
    AgentAuthConfiguration,
    ClaimsIdentity,
    validate_service_url_claim,
)
from microsoft_agents.hosting.core.authorization.jwt import (
    JwtTokenValidator,
    _authorize_request,
    jwks_cache,
)
from microsoft_agents.hosting.core.http import HttpResponse
from microsoft_agents.hosting.core.testing._openid import OpenIdProvider

APP = "3f2b9c1d-6a4e-4f1b-8c2d-9e8f7a6b5c4d"
SERVICE_URL = "https://smba.trafficmanager.net/amer/"
INVALID_TOKEN = {"error": "Invalid token or authentication failed."}
INVALID_FORMAT = {"error": "Invalid authorization header format"}


@pytest.fixture
async def idp() -> AsyncIterator[OpenIdProvider]:
    jwks_cache.clear()  # _authorize_request uses the process-wide cache
    async with OpenIdProvider() as provider:
        yield provider


def config(idp: OpenIdProvider, **settings: object) -> AgentAuthConfiguration:
    return AgentAuthConfiguration(**idp.settings(APP, **settings))


def assert_response(result: object, status: int, body: dict[str, str]) -> None:
    assert isinstance(result, HttpResponse)
    assert result.status_code == status
    assert result.body == body
    assert result.content_type == "application/json"


async def test_missing_configuration() -> None:
    result = await _authorize_request("Bearer abc", None)
    assert_response(result, 500, {"error": "Agent Authentication configuration not found"})


@pytest.mark.parametrize("header", [None, ""])
async def test_no_header(idp: OpenIdProvider, header: str | None) -> None:
    result = await _authorize_request(header, config(idp))
    assert_response(result, 401, {"error": "Authorization header not found"})


@pytest.mark.parametrize("header", [None, ""])
async def test_no_header_with_anonymous_allowed(idp: OpenIdProvider, header: str | None) -> None:
    result = await _authorize_request(header, config(idp, ANONYMOUS_ALLOWED="true"))
    assert isinstance(result, ClaimsIdentity)
    assert result.claims == {} and result.allow_anonymous


@pytest.mark.parametrize(
    "header",
    [
        "Bearer",
        "Bearer ",
        "Basic dXNlcjpwYXNz",
        "Token abc",
        "Bearer a b",
        "Bearer  abc",
        " Bearer abc",
        "abc",
    ],
)
async def test_bad_header_format(idp: OpenIdProvider, header: str) -> None:
    result = await _authorize_request(header, config(idp, ANONYMOUS_ALLOWED="true"))
    assert_response(result, 401, INVALID_FORMAT)


@pytest.mark.parametrize("scheme", ["Bearer", "bearer", "BEARER"])
async def test_valid_token(idp: OpenIdProvider, scheme: str) -> None:
    token = idp.bot_framework_token(APP, service_url=SERVICE_URL)
    result = await _authorize_request(f"{scheme} {token}", config(idp))
    assert isinstance(result, ClaimsIdentity)
    assert result.security_token == token
    assert result.get_app_id() == APP


async def test_invalid_tokens_get_401(idp: OpenIdProvider) -> None:
    now = int(time.time())
    cfg = config(idp, ANONYMOUS_ALLOWED="true")  # a bad token never falls back to anonymous
    for token in (
        "garbage",
        idp.bot_framework_token("another-app"),
        idp.bot_framework_token(APP, exp=now - 3600),
        idp.mint({"iss": "https://api.botframework.com", "aud": APP, "exp": now + 60}, alg="none"),
    ):
        assert_response(await _authorize_request(f"Bearer {token}", cfg), 401, INVALID_TOKEN)


async def test_unreachable_keys_get_401(idp: OpenIdProvider) -> None:
    idp.jwks_status = 503
    token = idp.bot_framework_token(APP)
    assert_response(await _authorize_request(f"Bearer {token}", config(idp)), 401, INVALID_TOKEN)


async def test_failures_log_no_token_text(
    idp: OpenIdProvider, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    now = int(time.time())
    tokens = [
        idp.bot_framework_token(APP, exp=now - 3600),
        idp.bot_framework_token("another-app"),
        idp.mint({"iss": "https://api.botframework.com", "aud": APP, "exp": now + 60}, kid="nope"),
        "eyJhbGciOiJSUzI1NiJ9.not-base64-payload!!.c2lnbmF0dXJl",
        "secret-looking-garbage-token-value",
    ]
    cfg = config(idp)
    for token in tokens:
        result = await _authorize_request(f"Bearer {token}", cfg)
        assert_response(result, 401, INVALID_TOKEN)
    assert "Rejected a request token" in caplog.text
    for token in tokens:
        assert token not in caplog.text
        for segment in token.split("."):
            if len(segment) >= 8:
                assert segment not in caplog.text


def bf_identity(**claims: object) -> ClaimsIdentity:
    return ClaimsIdentity({"iss": "https://api.botframework.com", "aud": APP, **claims})


@pytest.mark.parametrize(
    "activity_url",
    [
        SERVICE_URL,
        SERVICE_URL.rstrip("/"),
        SERVICE_URL.upper(),
    ],
)
def test_service_url_claim_matches(activity_url: str) -> None:
    validate_service_url_claim(bf_identity(serviceurl=SERVICE_URL), activity_url)


@pytest.mark.parametrize(
    ("identity", "activity_url"),
    [
        (bf_identity(), SERVICE_URL),
        (bf_identity(serviceurl=""), SERVICE_URL),
        (bf_identity(serviceurl=SERVICE_URL), "https://evil.example.com/amer/"),
        (bf_identity(serviceurl=SERVICE_URL), "https://smba.trafficmanager.net/emea/"),
        (bf_identity(serviceurl=SERVICE_URL), None),
        (bf_identity(iss="https://API.botframework.us", serviceurl="https://a/"), "https://b/"),
    ],
)
def test_service_url_claim_mismatch(identity: ClaimsIdentity, activity_url: str | None) -> None:
    with pytest.raises(PermissionError):
        validate_service_url_claim(identity, activity_url)


def test_service_url_claim_ignored_for_other_tokens() -> None:
    entra = ClaimsIdentity({"iss": "https://login.microsoftonline.com/t/v2.0", "aud": APP})
    validate_service_url_claim(entra, "https://anything.example/")
    validate_service_url_claim(ClaimsIdentity(), "https://anything.example/")


async def test_validated_identity_passes_the_service_url_check(idp: OpenIdProvider) -> None:
    token = idp.bot_framework_token(APP, service_url=SERVICE_URL)
    identity = await JwtTokenValidator(config(idp)).validate_token(token)
    validate_service_url_claim(identity, SERVICE_URL)
    with pytest.raises(PermissionError):
        validate_service_url_claim(identity, "https://other.example/")
