"""JwtTokenValidator against a loopback OpenID provider: accepted and rejected tokens."""

from __future__ import annotations

import asyncio
import base64
import json
import time
from collections.abc import AsyncIterator
from typing import Any

import jwt
import pytest
from cryptography.hazmat.primitives.asymmetric import ec, rsa

from microsoft_agents.activity.config import load_configuration_from_env
from microsoft_agents.hosting.core.authorization import (
    AgentAuthConfiguration,
    AnonymousTokenProvider,
    ClaimsIdentity,
    ConnectionManager,
    JwksCache,
    JwtTokenValidator,
)
from microsoft_agents.hosting.core.authorization.jwt import jwks_cache
from microsoft_agents.hosting.core.authorization.jwt._jwks import _Entry
from microsoft_agents.hosting.core.testing._openid import OpenIdProvider

APP = "0b5c1a2e-8d5d-4b7e-9f3a-1a2b3c4d5e6f"
TENANT = "7c0c3f4e-2b1a-4e8e-9a77-3f1f2c6d9b10"
OTHER_TENANT = "11111111-2222-3333-4444-555555555555"
SERVICE_URL = "https://smba.trafficmanager.net/amer/"


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
async def idp() -> AsyncIterator[OpenIdProvider]:
    async with OpenIdProvider() as provider:
        yield provider


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def cache(clock: Clock) -> JwksCache:
    return JwksCache(clock=clock)


def config_for(idp: OpenIdProvider, **settings: Any) -> AgentAuthConfiguration:
    return AgentAuthConfiguration(**idp.settings(APP, **settings))


def validator(idp: OpenIdProvider, cache: JwksCache, **settings: Any) -> JwtTokenValidator:
    return JwtTokenValidator(config_for(idp, **settings), jwks_cache=cache)


def bf_claims(**overrides: Any) -> dict[str, Any]:
    now = int(time.time())
    claims = {
        "iss": "https://api.botframework.com",
        "aud": APP,
        "serviceurl": SERVICE_URL,
        "nbf": now,
        "exp": now + 3600,
    }
    claims.update(overrides)
    return {key: value for key, value in claims.items() if value is not None}


def b64(data: dict[str, Any]) -> str:
    return base64.urlsafe_b64encode(json.dumps(data).encode()).rstrip(b"=").decode()


# -- accepted tokens ------------------------------------------------------------------------


async def test_bot_framework_token_accepted(idp: OpenIdProvider, cache: JwksCache) -> None:
    token = idp.bot_framework_token(APP, service_url=SERVICE_URL)
    identity = await validator(idp, cache).validate_token(token)
    assert isinstance(identity, ClaimsIdentity)
    assert identity.claims["iss"] == "https://api.botframework.com"
    assert identity.claims["serviceurl"] == SERVICE_URL
    assert identity.security_token == token
    assert identity.get_app_id() == APP
    assert not identity.allow_anonymous


@pytest.mark.parametrize("version", ["1.0", "2.0"])
async def test_entra_tokens_accepted(idp: OpenIdProvider, cache: JwksCache, version: str) -> None:
    caller = "9e9e9e9e-0000-4000-8000-000000000001"
    token = idp.entra_token(APP, TENANT, version=version, caller=caller)
    identity = await validator(idp, cache, TENANTID=TENANT).validate_token(token)
    expected_iss = (
        f"https://sts.windows.net/{TENANT}/"
        if version == "1.0"
        else f"https://login.microsoftonline.com/{TENANT}/v2.0"
    )
    assert identity.claims["iss"] == expected_iss
    assert identity.get_outgoing_app_id() == caller
    assert identity.is_agent_claim()


async def test_audience_is_case_insensitive(idp: OpenIdProvider, cache: JwksCache) -> None:
    token = idp.mint(bf_claims(aud=APP.upper()))
    identity = await validator(idp, cache).validate_token(token)
    assert identity.claims["aud"] == APP.upper()


async def test_expiry_within_leeway_accepted(idp: OpenIdProvider, cache: JwksCache) -> None:
    now = int(time.time())
    token = idp.mint(bf_claims(exp=now - 200, nbf=now + 200))
    assert (await validator(idp, cache).validate_token(token)).claims["exp"] == now - 200


async def test_multi_tenant_connection_accepts_any_entra_tenant(
    idp: OpenIdProvider, cache: JwksCache
) -> None:
    token = idp.entra_token(APP, OTHER_TENANT)
    identity = await validator(idp, cache).validate_token(token)  # no TENANTID: common
    assert identity.claims["tid"] == OTHER_TENANT


async def test_configured_issuer_accepted(idp: OpenIdProvider, cache: JwksCache) -> None:
    token = idp.mint(bf_claims(iss="https://issuer.example/custom"))
    v = validator(idp, cache, TENANTID=TENANT, ISSUERS="https://issuer.example/custom")
    assert (await v.validate_token(token)).claims["iss"] == "https://issuer.example/custom"


async def test_first_party_issuer_accepted_for_single_tenant(
    idp: OpenIdProvider, cache: JwksCache
) -> None:
    first_party = "d6d49420-f39b-4df7-a1dc-d59a935871db"
    token = idp.entra_token(APP, first_party, version="1.0")
    v = validator(idp, cache, TENANTID=TENANT)
    assert (await v.validate_token(token)).claims["tid"] == first_party


async def test_gov_connection(idp: OpenIdProvider, cache: JwksCache) -> None:
    v = validator(idp, cache, AUTHORITY=f"https://login.microsoftonline.us/{TENANT}")
    gov_v2 = idp.mint(bf_claims(iss=f"https://login.microsoftonline.us/{TENANT}/v2.0", tid=TENANT))
    assert (await v.validate_token(gov_v2)).claims["tid"] == TENANT
    gov_bf = idp.mint(bf_claims(iss="https://api.botframework.us"))
    assert (await v.validate_token(gov_bf)).claims["iss"] == "https://api.botframework.us"
    public_v2 = idp.entra_token(APP, TENANT)
    with pytest.raises(ValueError, match=r"^Invalid issuer\.$"):
        await v.validate_token(public_v2)
    public_bf = idp.mint(bf_claims())
    with pytest.raises(ValueError, match=r"^Invalid issuer\.$"):
        await v.validate_token(public_bf)


async def test_jwks_url_can_be_configured_directly(idp: OpenIdProvider, cache: JwksCache) -> None:
    v = validator(idp, cache, AZUREBOTSERVICEOPENIDMETADATAURL=idp.jwks_url)
    await v.validate_token(idp.bot_framework_token(APP))
    assert idp.metadata_fetches == 0
    assert idp.jwks_fetches == 1


async def test_issuers_use_their_own_key_source(cache: JwksCache) -> None:
    async with OpenIdProvider() as abs_idp, OpenIdProvider() as entra_idp:
        config = AgentAuthConfiguration(
            CLIENTID=APP,
            AZUREBOTSERVICEOPENIDMETADATAURL=abs_idp.metadata_url,
            OPENIDMETADATAURL=entra_idp.metadata_url,
        )
        v = JwtTokenValidator(config, jwks_cache=cache)
        await v.validate_token(abs_idp.bot_framework_token(APP))
        await v.validate_token(entra_idp.entra_token(APP, TENANT))
        # Each issuer family trusts only its own keys.
        with pytest.raises(jwt.PyJWKClientError):
            await v.validate_token(entra_idp.bot_framework_token(APP))
        with pytest.raises(jwt.PyJWKClientError):
            await v.validate_token(abs_idp.entra_token(APP, TENANT))


async def test_connections_of_a_manager(cache: JwksCache) -> None:
    async with OpenIdProvider() as first, OpenIdProvider() as second:
        prefix = "CONNECTIONS__{}__SETTINGS__{}"
        env = {
            prefix.format("SERVICE_CONNECTION", "CLIENTID"): APP,
            prefix.format("SERVICE_CONNECTION", "AZUREBOTSERVICEOPENIDMETADATAURL"): first.jwks_url,
            prefix.format("OTHER", "CLIENTID"): "other-app",
            prefix.format("OTHER", "AZUREBOTSERVICEOPENIDMETADATAURL"): second.jwks_url,
        }
        manager = ConnectionManager(AnonymousTokenProvider, **load_configuration_from_env(env))
        v = JwtTokenValidator(manager.get_default_connection_configuration(), jwks_cache=cache)
        identity = await v.validate_token(second.bot_framework_token("other-app"))
        assert identity.get_app_id() == "other-app"
        with pytest.raises(jwt.PyJWKClientError):  # other-app's keys come from `second`
            await v.validate_token(first.bot_framework_token("other-app"))
        with pytest.raises(ValueError, match=r"^Invalid audience\.$"):
            await v.validate_token(second.bot_framework_token("third-app"))


# -- rejected tokens ------------------------------------------------------------------------


def forged_hs256(idp: OpenIdProvider) -> str:
    # pyjwt refuses to sign HMAC with PEM keys, so build the token by hand.
    import hashlib
    import hmac

    signing_input = f"{b64({'alg': 'HS256', 'typ': 'JWT', 'kid': idp.kid})}.{b64(bf_claims())}"
    mac = hmac.new(idp.public_key_pem(), signing_input.encode(), hashlib.sha256).digest()
    return f"{signing_input}.{base64.urlsafe_b64encode(mac).rstrip(b'=').decode()}"


def tampered(idp: OpenIdProvider) -> str:
    header, _, signature = idp.mint(bf_claims()).split(".")
    return f"{header}.{b64(bf_claims(aud=APP, extra='injected'))}.{signature}"


def corrupted_signature(idp: OpenIdProvider) -> str:
    header, payload, signature = idp.mint(bf_claims()).split(".")
    flipped = ("A" if signature[10] != "A" else "B").join((signature[:10], signature[11:]))
    return f"{header}.{payload}.{flipped}"


def same_kid_other_key(idp: OpenIdProvider) -> str:
    impostor = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    return idp.mint(bf_claims(), key=impostor)


def now() -> int:
    return int(time.time())


REJECTIONS: dict[str, tuple[Any, type[Exception], str | None]] = {
    "expired": (lambda i: i.mint(bf_claims(exp=now() - 400)), jwt.ExpiredSignatureError, None),
    "not_yet_valid": (
        lambda i: i.mint(bf_claims(nbf=now() + 400)),
        jwt.ImmatureSignatureError,
        None,
    ),
    "wrong_audience": (
        lambda i: i.mint(bf_claims(aud="someone-else")),
        ValueError,
        r"^Invalid audience\.$",
    ),
    "audience_list": (lambda i: i.mint(bf_claims(aud=[APP])), ValueError, r"^Invalid audience\.$"),
    "wrong_issuer": (
        lambda i: i.mint(bf_claims(iss="https://evil.example.com")),
        ValueError,
        r"^Invalid issuer\.$",
    ),
    "other_tenant_for_single_tenant": (
        lambda i: i.entra_token(APP, OTHER_TENANT),
        ValueError,
        r"^Invalid issuer\.$",
    ),
    "tid_mismatch": (
        lambda i: i.entra_token(APP, TENANT, tid=OTHER_TENANT),
        ValueError,
        r"^Invalid issuer\.$",
    ),
    "tid_not_a_string": (
        lambda i: i.entra_token(APP, TENANT, tid=[TENANT]),
        ValueError,
        r"^Invalid issuer\.$",
    ),
    "missing_iss": (lambda i: i.mint(bf_claims(iss=None)), jwt.MissingRequiredClaimError, "iss"),
    "missing_aud": (lambda i: i.mint(bf_claims(aud=None)), jwt.MissingRequiredClaimError, "aud"),
    "missing_exp": (lambda i: i.mint(bf_claims(exp=None)), jwt.MissingRequiredClaimError, "exp"),
    "alg_none": (
        lambda i: i.mint(bf_claims(), alg="none"),
        jwt.InvalidAlgorithmError,
        None,
    ),
    "hs256_with_public_key": (forged_hs256, jwt.InvalidAlgorithmError, None),
    "es256": (
        lambda i: i.mint(bf_claims(), alg="ES256", key=ec.generate_private_key(ec.SECP256R1())),
        jwt.InvalidAlgorithmError,
        None,
    ),
    "ps256_with_the_right_key": (
        lambda i: i.mint(bf_claims(), alg="PS256", key=i.keys[i.kid]),
        jwt.InvalidAlgorithmError,
        None,
    ),
    "no_kid": (lambda i: i.mint(bf_claims(), headers={"kid": None}), jwt.InvalidTokenError, None),
    "unknown_kid": (
        lambda i: i.mint(bf_claims(), kid=i.add_key(publish=False)),
        jwt.PyJWKClientError,
        None,
    ),
    "same_kid_other_key": (same_kid_other_key, jwt.InvalidSignatureError, None),
    "corrupted_signature": (corrupted_signature, jwt.InvalidSignatureError, None),
    "tampered_payload": (tampered, jwt.InvalidSignatureError, None),
    "garbage": (lambda i: "not-a-jwt", jwt.DecodeError, None),
    "garbage_segments": (lambda i: "aaaa.bbbb.cccc", jwt.DecodeError, None),
    "empty": (lambda i: "", ValueError, None),
    "blank": (lambda i: "   ", ValueError, None),
}


@pytest.mark.parametrize("case", sorted(REJECTIONS))
async def test_rejected(idp: OpenIdProvider, cache: JwksCache, case: str) -> None:
    make, error_type, match = REJECTIONS[case]
    token = make(idp)
    v = validator(idp, cache, TENANTID=TENANT)
    with pytest.raises(error_type, match=match):
        await v.validate_token(token)


async def test_claim_failures_fetch_no_keys(idp: OpenIdProvider, cache: JwksCache) -> None:
    v = validator(idp, cache)
    for token in (
        idp.mint(bf_claims(aud="someone-else")),
        idp.mint(bf_claims(iss="https://evil.example.com")),
        idp.mint(bf_claims(), alg="none"),
        forged_hs256(idp),
    ):
        with pytest.raises((ValueError, jwt.PyJWTError)):
            await v.validate_token(token)
    assert idp.jwks_fetches == 0 and idp.metadata_fetches == 0


async def test_unknown_kid_triggers_one_refresh(
    idp: OpenIdProvider, cache: JwksCache, clock: Clock
) -> None:
    v = validator(idp, cache)
    await v.validate_token(idp.bot_framework_token(APP))
    assert idp.jwks_fetches == 1
    clock.now += 31
    hidden = idp.add_key(publish=False)
    with pytest.raises(jwt.PyJWKClientError):
        await v.validate_token(idp.mint(bf_claims(), kid=hidden))
    assert idp.jwks_fetches == 2  # it looked again before giving up


# -- caching and rotation ---------------------------------------------------------------------


async def test_keys_are_cached(idp: OpenIdProvider, cache: JwksCache) -> None:
    v = validator(idp, cache)
    await v.validate_token(idp.bot_framework_token(APP))
    assert (idp.metadata_fetches, idp.jwks_fetches) == (1, 1)
    await v.validate_token(idp.bot_framework_token(APP))
    await validator(idp, cache).validate_token(idp.bot_framework_token(APP))
    assert (idp.metadata_fetches, idp.jwks_fetches) == (1, 1)


async def test_process_wide_cache_is_shared(idp: OpenIdProvider) -> None:
    jwks_cache.clear()  # a port of an earlier test may have been reused
    await JwtTokenValidator(config_for(idp)).validate_token(idp.bot_framework_token(APP))
    await JwtTokenValidator(config_for(idp)).validate_token(idp.bot_framework_token(APP))
    assert idp.jwks_fetches == 1
    assert jwks_cache.cached_key_ids(idp.metadata_url) == {idp.kid}


async def test_a_closed_provider_leaves_no_keys_for_its_port_to_a_successor() -> None:
    # Ports are reused between tests; a successor listening on the same address has other
    # keys, and the process-wide cache would refuse its tokens until a refresh is allowed.
    async with OpenIdProvider() as first:
        await JwtTokenValidator(config_for(first)).validate_token(first.bot_framework_token(APP))
        assert jwks_cache.cached_key_ids(first.metadata_url) == {first.kid}
    assert jwks_cache.cached_key_ids(first.metadata_url) == frozenset()


def test_forget_drops_one_key_source_only(cache: JwksCache) -> None:
    cache._entries["https://a.example/keys"] = _Entry(keys={"k1": _public_key()})
    cache._entries["https://b.example/keys"] = _Entry(keys={"k2": _public_key()})
    cache.forget("https://a.example/keys")
    cache.forget("https://never-cached.example/keys")
    assert cache.cached_key_ids("https://a.example/keys") == frozenset()
    assert cache.cached_key_ids("https://b.example/keys") == {"k2"}


def _public_key() -> rsa.RSAPublicKey:
    return rsa.generate_private_key(public_exponent=65537, key_size=2048).public_key()


async def test_key_rotation_without_restart(
    idp: OpenIdProvider, cache: JwksCache, clock: Clock
) -> None:
    v = validator(idp, cache)
    old_token = idp.bot_framework_token(APP)
    await v.validate_token(old_token)
    clock.now += 60
    idp.rotate(keep_old=False)
    new_token = idp.bot_framework_token(APP)
    identity = await v.validate_token(new_token)
    assert identity.security_token == new_token
    assert idp.jwks_fetches == 2
    assert cache.cached_key_ids(idp.metadata_url) == {idp.kid}
    with pytest.raises(jwt.PyJWKClientError):  # the retired key is gone after the refresh
        await v.validate_token(old_token)


async def test_refreshes_are_rate_limited(
    idp: OpenIdProvider, cache: JwksCache, clock: Clock
) -> None:
    v = validator(idp, cache)
    await v.validate_token(idp.bot_framework_token(APP))
    for _ in range(5):
        unknown = idp.mint(bf_claims(), kid=idp.add_key(publish=False))
        with pytest.raises(jwt.PyJWKClientError):
            await v.validate_token(unknown)
    assert idp.jwks_fetches == 1  # all within 30 s of the first fetch
    clock.now += 30
    with pytest.raises(jwt.PyJWKClientError):
        await v.validate_token(unknown)
    assert idp.jwks_fetches == 2


async def test_rate_limit_is_configurable(idp: OpenIdProvider, clock: Clock) -> None:
    v = validator(idp, JwksCache(clock=clock, min_refresh_interval=0))
    await v.validate_token(idp.bot_framework_token(APP))
    idp.rotate()
    await v.validate_token(idp.bot_framework_token(APP))
    assert idp.jwks_fetches == 2


async def test_keys_expire_after_the_ttl(idp: OpenIdProvider, clock: Clock) -> None:
    v = validator(idp, JwksCache(clock=clock, ttl=3600))
    await v.validate_token(idp.bot_framework_token(APP))
    clock.now += 3599
    await v.validate_token(idp.bot_framework_token(APP))
    assert idp.jwks_fetches == 1
    clock.now += 2
    await v.validate_token(idp.bot_framework_token(APP))
    assert idp.jwks_fetches == 2


async def test_concurrent_validations_fetch_once(idp: OpenIdProvider, cache: JwksCache) -> None:
    v = validator(idp, cache)
    tokens = [idp.bot_framework_token(APP) for _ in range(10)]
    identities = await asyncio.gather(*(v.validate_token(t) for t in tokens))
    assert [i.security_token for i in identities] == tokens
    assert idp.jwks_fetches == 1


async def test_failed_refresh_keeps_known_keys(
    idp: OpenIdProvider, cache: JwksCache, clock: Clock
) -> None:
    v = validator(idp, cache)
    token = idp.bot_framework_token(APP)
    await v.validate_token(token)
    idp.jwks_status = 503
    clock.now += 25 * 3600  # past the TTL: a refresh is attempted and fails
    assert (await v.validate_token(token)).security_token == token
    assert idp.jwks_fetches == 2


async def test_unreachable_keys_reject(idp: OpenIdProvider, cache: JwksCache) -> None:
    idp.jwks_status = 500
    with pytest.raises(jwt.PyJWKClientConnectionError):
        await validator(idp, cache).validate_token(idp.bot_framework_token(APP))
    closed = AgentAuthConfiguration(
        CLIENTID=APP, AZUREBOTSERVICEOPENIDMETADATAURL="http://127.0.0.1:9/keys"
    )
    with pytest.raises(jwt.PyJWKClientConnectionError):
        await JwtTokenValidator(closed, jwks_cache=cache).validate_token(
            idp.bot_framework_token(APP)
        )


async def test_non_loopback_http_jwks_uri_in_metadata_is_refused(cache: JwksCache) -> None:
    async with OpenIdProvider() as idp:
        idp.metadata_jwks_uri = "http://keys.example.com/keys"
        with pytest.raises(jwt.PyJWKClientConnectionError, match="jwks_uri"):
            await validator(idp, cache).validate_token(idp.bot_framework_token(APP))
        assert idp.jwks_fetches == 0


def test_anonymous_claims() -> None:
    identity = JwtTokenValidator(AgentAuthConfiguration()).get_anonymous_claims()
    assert identity.claims == {}
    assert identity.allow_anonymous
