"""Client-secret connections get tokens from the loopback provider through real MSAL:
requests on the wire, per-scope caching, refresh before expiry, never blocking the loop."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable

from microsoft_agents.authentication.msal import MsalAuth
from microsoft_agents.authentication.msal.testing import EntraIdStandIn

MakeAuth = Callable[..., MsalAuth]
BOT_RESOURCE = "https://api.botframework.com"
BOT_SCOPES = ["https://api.botframework.com/.default"]


async def test_a_client_secret_token_comes_from_the_token_endpoint(
    idp: EntraIdStandIn, make_auth: MakeAuth, tenant: str, app_id: str, secret: str
) -> None:
    auth = make_auth()

    token = await auth.get_access_token(BOT_RESOURCE, BOT_SCOPES)

    [request] = idp.token_requests
    assert (request.tenant, request.grant_type, request.client_id) == (
        tenant,
        "client_credentials",
        app_id,
    )
    assert request.credential == "secret"
    assert request.form["client_secret"] == secret
    assert request.scopes == BOT_SCOPES
    assert token == request.token
    claims = idp.decode(token, audience=BOT_RESOURCE)
    assert (claims["appid"], claims["tid"]) == (app_id, tenant)


async def test_the_second_call_is_answered_from_the_cache(
    idp: EntraIdStandIn, make_auth: MakeAuth
) -> None:
    auth = make_auth()

    first = await auth.get_access_token(BOT_RESOURCE, BOT_SCOPES)
    second = await auth.get_access_token(BOT_RESOURCE, BOT_SCOPES)

    assert first == second
    assert len(idp.token_requests) == 1
    assert idp.discovery_requests == 1


async def test_tokens_are_cached_per_scope(idp: EntraIdStandIn, make_auth: MakeAuth) -> None:
    auth = make_auth()

    bot = await auth.get_access_token(BOT_RESOURCE, BOT_SCOPES)
    graph = await auth.get_access_token("https://graph.example", ["https://graph.example/.default"])
    again = await auth.get_access_token("https://graph.example", ["https://graph.example/.default"])

    assert bot != graph and graph == again
    assert [r.scopes for r in idp.token_requests] == [
        BOT_SCOPES,
        ["https://graph.example/.default"],
    ]
    assert idp.decode(graph)["aud"] == "https://graph.example"


async def test_force_refresh_gets_a_new_token(idp: EntraIdStandIn, make_auth: MakeAuth) -> None:
    auth = make_auth()

    first = await auth.get_access_token(BOT_RESOURCE, BOT_SCOPES)
    forced = await auth.get_access_token(BOT_RESOURCE, BOT_SCOPES, force_refresh=True)
    after = await auth.get_access_token(BOT_RESOURCE, BOT_SCOPES)

    assert forced != first and after == forced
    assert len(idp.token_requests) == 2


async def test_a_token_close_to_expiry_is_refreshed(
    idp: EntraIdStandIn, make_auth: MakeAuth
) -> None:
    # Tokens are not handed out in their last five minutes: one living 301 s is good for 1 s.
    idp.token_lifetime = 301
    auth = make_auth()

    first = await auth.get_access_token(BOT_RESOURCE, BOT_SCOPES)
    assert await auth.get_access_token(BOT_RESOURCE, BOT_SCOPES) == first
    await asyncio.sleep(1.2)
    refreshed = await auth.get_access_token(BOT_RESOURCE, BOT_SCOPES)

    assert refreshed != first
    assert len(idp.token_requests) == 2


async def test_a_short_lived_token_is_never_reused(
    idp: EntraIdStandIn, make_auth: MakeAuth
) -> None:
    idp.token_lifetime = 120
    auth = make_auth()

    first = await auth.get_access_token(BOT_RESOURCE, BOT_SCOPES)
    second = await auth.get_access_token(BOT_RESOURCE, BOT_SCOPES)

    assert first != second
    assert len(idp.token_requests) == 2


async def test_the_providers_refresh_hint_renews_a_long_lived_token_early(
    idp: EntraIdStandIn, make_auth: MakeAuth
) -> None:
    idp.refresh_in = 1  # Entra ID sends refresh_in for long-lived tokens
    auth = make_auth()

    first = await auth.get_access_token(BOT_RESOURCE, BOT_SCOPES)
    assert await auth.get_access_token(BOT_RESOURCE, BOT_SCOPES) == first
    await asyncio.sleep(1.2)
    renewed = await auth.get_access_token(BOT_RESOURCE, BOT_SCOPES)

    assert renewed != first
    assert len(idp.token_requests) == 2


async def test_agent_to_agent_scopes_name_the_other_agents_app_id(
    idp: EntraIdStandIn, make_auth: MakeAuth
) -> None:
    other = "00000000-0000-0000-0000-0000000000b2"
    auth = make_auth()

    token = await auth.get_access_token(f"app://{other}", [f"{other}/.default"])

    assert idp.token_requests[0].scopes == [f"{other}/.default"]
    assert idp.decode(token)["aud"] == other


async def test_without_scopes_the_configured_scopes_are_used_for_the_instance(
    idp: EntraIdStandIn, make_auth: MakeAuth
) -> None:
    auth = make_auth(SCOPES="{instance}/.default")

    await auth.get_access_token("https://service.example:8443/some/path", [])

    assert idp.token_requests[0].scopes == ["https://service.example:8443/.default"]


async def test_concurrent_requests_all_get_a_token_without_blocking_the_loop(
    idp: EntraIdStandIn, make_auth: MakeAuth
) -> None:
    # The loopback provider is served by this very event loop: if an MSAL call ran on the
    # loop, the provider could not answer and this would time out.
    auth = make_auth()
    ticks = 0
    done = asyncio.Event()

    async def ticker() -> None:
        nonlocal ticks
        while not done.is_set():
            ticks += 1
            await asyncio.sleep(0.001)

    ticking = asyncio.create_task(ticker())
    started = time.monotonic()
    scopes = [[f"https://r{i}.example/.default"] for i in range(6)]
    tokens = await asyncio.wait_for(
        asyncio.gather(*(auth.get_access_token(s[0][:-9], s) for s in scopes)), timeout=30
    )
    done.set()
    await ticking

    assert len(set(tokens)) == 6
    assert ticks >= 1 and time.monotonic() - started < 30
    assert sorted(r.scopes[0] for r in idp.token_requests) == sorted(s[0] for s in scopes)
