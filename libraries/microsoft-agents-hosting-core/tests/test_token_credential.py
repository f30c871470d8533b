"""A signed-in user's token as an async token credential for Azure SDK clients.

The user signs in for real: an OAuth card, a magic code redeemed at a loopback user-token
service, the original message replayed; the route that then runs asks the credential for
tokens.
"""

from __future__ import annotations

import asyncio
import importlib.util
import sys
from collections.abc import AsyncIterator, Awaitable, Callable
from datetime import datetime, timezone
from typing import Any

import jwt
import pytest

from microsoft_agents.activity import TokenResponse
from microsoft_agents.hosting.core import MemoryStorage, TurnContext
from microsoft_agents.hosting.core.app import AgentApplication, AuthHandler, Authorization
from microsoft_agents.hosting.core.app.oauth._token_credential import (
    AccessToken,
    UserTokenCredential,
    UserTokenUnavailableError,
    to_access_token,
)
from microsoft_agents.hosting.core.app.state import TurnState
from microsoft_agents.hosting.core.authorization import (
    AgentAuthConfiguration,
    AnonymousTokenProvider,
    ConnectionManager,
)
from microsoft_agents.hosting.core.connector import UserTokenClient, UserTokenClientBase
from microsoft_agents.hosting.core.errors import HostingError
from microsoft_agents.hosting.core.testing import TestAdapter
from microsoft_agents.hosting.core.testing.loopback import TokenServiceStandIn

App = AgentApplication[TurnState]
USER_TOKEN_KEY: Any = UserTokenClientBase
# What the token-service stand-in gives as every token's expiration (2099-01-01T00:00:00Z).
STAND_IN_EXPIRY = int(datetime(2099, 1, 1, tzinfo=timezone.utc).timestamp())
HAS_AZURE_CORE = importlib.util.find_spec("azure") is not None and (
    importlib.util.find_spec("azure.core") is not None
)
Check = Callable[[TurnContext, Authorization], Awaitable[Any]]


class OboProvider(AnonymousTokenProvider):
    """Exchanges tokens on-behalf-of into ``obo:<scopes>`` and records the scopes asked for."""

    exchanged: list[list[str]] = []

    async def acquire_token_on_behalf_of(self, scopes: list[str], user_assertion: str) -> str:
        self.exchanged.append(list(scopes))
        return f"obo:{' '.join(scopes)}"


def exchangeable_token(app_id: str = "agent1") -> str:
    """A JWT the on-behalf-of exchange accepts (issued to ``app_id`` for its own API)."""
    claims = {"aud": f"api://{app_id}", "appid": app_id, "exp": 4102444800}
    return jwt.encode(claims, "a-test-key-that-is-long-enough-for-hs256", algorithm="HS256")


@pytest.fixture
async def tokens() -> AsyncIterator[TokenServiceStandIn]:
    async with TokenServiceStandIn() as stand_in:
        yield stand_in


async def sign_in_and_run(
    tokens: TokenServiceStandIn, handler: AuthHandler, check: Check, user_token: str
) -> Any:
    """Sign ``user1`` in with ``handler`` (id ``GRAPH``) through a whole magic-code flow; then
    run ``check`` in the protected route of the replayed turn and return what it returned."""
    OboProvider.exchanged = []
    manager = ConnectionManager(
        OboProvider,
        connections_configurations={
            "SERVICE_CONNECTION": AgentAuthConfiguration(client_id="agent1"),
            "DOWNSTREAM": AgentAuthConfiguration(client_id="downstream"),
        },
    )
    storage = MemoryStorage()
    auth = Authorization(storage, manager, auth_handlers={"GRAPH": handler})
    app = App(storage=storage, authorization=auth, start_typing_timer=False)
    results: list[Any] = []

    @app.message("/files", auth_handlers=["GRAPH"])
    async def files(context: TurnContext, state: TurnState) -> None:
        try:
            results.append(await check(context, app.auth))
        except Exception as error:  # handed to the test, which asserts on it
            results.append(error)
        await context.send_activity("done")

    client = UserTokenClient(tokens.url, "", app_id="agent1")
    adapter = TestAdapter(app, services={USER_TOKEN_KEY: client})
    try:
        [card] = await adapter.process_activity("/files")
        assert card.attachments and card.attachments[0].content_type.endswith("card.oauth")
        tokens.add_magic_code("user1", "graph", "123456", user_token)
        assert await adapter.process_activity("123456") == []
        await asyncio.gather(*auth._continuations)
    finally:
        await client.close()
    assert adapter.sent_activities[-1].text == "done"
    [result] = results
    return result


async def test_the_credential_gives_the_signed_in_users_token(
    tokens: TokenServiceStandIn,
) -> None:
    async def check(context: TurnContext, auth: Authorization) -> Any:
        async with auth.get_token_as_token_credential(context, "GRAPH") as credential:
            first = await credential.get_token("https://storage.azure.com/.default")
            second = await credential.get_token(claims=None, tenant_id="t", enable_cae=True)
        default = auth.get_token_as_token_credential(context)  # the default handler
        third = await default.get_token()
        await default.close()
        return first, second, third

    handler = AuthHandler(abs_oauth_connection_name="graph")
    first, second, third = await sign_in_and_run(tokens, handler, check, "graph-token")

    assert first == ("graph-token", STAND_IN_EXPIRY) == second == third
    assert first.token == "graph-token" and first.expires_on == STAND_IN_EXPIRY
    if HAS_AZURE_CORE:
        from azure.core.credentials import AccessToken as AzureAccessToken

        assert type(first) is AzureAccessToken
    else:
        assert type(first) is AccessToken


async def test_requested_scopes_are_exchanged_on_behalf_of(tokens: TokenServiceStandIn) -> None:
    async def check(context: TurnContext, auth: Authorization) -> Any:
        plain = auth.get_token_as_token_credential(context, "GRAPH")
        exchanging = auth.exchange_token_as_token_credential(
            context, scopes=["Files.Read", "Mail.Read"], exchange_connection="DOWNSTREAM"
        )
        return [
            (await plain.get_token("Sites.Read")).token,
            (await exchanging.get_token("Mail.Read", "Notes.Read")).token,
            (await exchanging.get_token()).token,
        ]

    handler = AuthHandler(abs_oauth_connection_name="graph", obo_connection_name="DOWNSTREAM")
    results = await sign_in_and_run(tokens, handler, check, exchangeable_token())

    assert results == [
        "obo:Sites.Read",
        "obo:Files.Read Mail.Read Notes.Read",
        "obo:Files.Read Mail.Read",
    ]
    assert OboProvider.exchanged[-3:] == [
        ["Sites.Read"],
        ["Files.Read", "Mail.Read", "Notes.Read"],
        ["Files.Read", "Mail.Read"],
    ]


@pytest.mark.skipif(not HAS_AZURE_CORE, reason="azure-core is not installed")
async def test_azure_core_bearer_policy_authorizes_requests_with_it(
    tokens: TokenServiceStandIn,
) -> None:
    from azure.core.pipeline import PipelineContext, PipelineRequest
    from azure.core.pipeline.policies import AsyncBearerTokenCredentialPolicy
    from azure.core.rest import HttpRequest

    async def check(context: TurnContext, auth: Authorization) -> Any:
        credential = auth.get_token_as_token_credential(context, "GRAPH")
        policy = AsyncBearerTokenCredentialPolicy(credential, "https://storage.azure.com/.default")
        request = PipelineRequest(
            HttpRequest("GET", "https://account.blob.core.windows.net/c"), PipelineContext(None)
        )
        await policy.on_request(request)
        return request.http_request.headers["Authorization"]

    handler = AuthHandler(abs_oauth_connection_name="graph")
    assert await sign_in_and_run(tokens, handler, check, "blob-token") == "Bearer blob-token"


async def test_a_user_who_did_not_sign_in_gets_a_clear_error(tokens: TokenServiceStandIn) -> None:
    storage = MemoryStorage()
    auth = Authorization(
        storage, None, auth_handlers={"GRAPH": AuthHandler(abs_oauth_connection_name="graph")}
    )
    client = UserTokenClient(tokens.url, "", app_id="agent1")
    errors: list[Exception] = []

    async def turn(context: TurnContext) -> None:
        for credential in (
            auth.get_token_as_token_credential(context, "GRAPH"),
            auth.exchange_token_as_token_credential(context, ["x"], "GRAPH"),
        ):
            with pytest.raises(UserTokenUnavailableError) as caught:
                await credential.get_token("https://graph.microsoft.com/.default")
            errors.append(caught.value)

    tokens.add_token("user1", "graph", "stored-but-not-signed-in-this-turn")
    try:
        await TestAdapter(services={USER_TOKEN_KEY: client}).process_activity("x", turn)
    finally:
        await client.close()

    assert len(errors) == 2
    for error in errors:
        assert isinstance(error, ValueError) and isinstance(error, HostingError)
        assert "sign-in handler GRAPH" in str(error)
        assert "auth_handlers" in str(error) and "Error Code: -63402" in str(error)


async def test_unknown_handler_ids_are_refused_when_the_token_is_asked_for() -> None:
    auth = Authorization(MemoryStorage(), None, auth_handlers={"GRAPH": AuthHandler()})

    async def turn(context: TurnContext) -> None:
        credential = auth.get_token_as_token_credential(context, "NOPE")
        with pytest.raises(ValueError, match="NOPE"):
            await credential.get_token()

    await TestAdapter().process_activity("x", turn)


# -- the access token ----------------------------------------------------------------------------


def test_expiry_comes_from_the_expiration_then_the_jwt_then_a_short_default() -> None:
    with_offset = TokenResponse(token="t", expiration="2030-06-01T12:00:00+02:00")
    assert to_access_token(with_offset).expires_on == int(
        datetime(2030, 6, 1, 10, tzinfo=timezone.utc).timestamp()
    )
    naive = TokenResponse(token="t", expiration="2030-06-01T10:00:00")
    assert to_access_token(naive).expires_on == to_access_token(with_offset).expires_on

    signed = jwt.encode({"exp": 1900000000}, "a-test-key-that-is-long-enough-for-hs256")
    assert to_access_token(TokenResponse(token=signed)).expires_on == 1900000000
    unreadable = TokenResponse(token=signed, expiration="next tuesday")
    assert to_access_token(unreadable).expires_on == 1900000000

    opaque = TokenResponse(token="opaque")
    assert to_access_token(opaque, now=1000.0) == ("opaque", 1300)
    without_exp = jwt.encode({"sub": "u"}, "a-test-key-that-is-long-enough-for-hs256")
    assert to_access_token(TokenResponse(token=without_exp), now=50).expires_on == 350


def test_without_azure_core_the_tuple_of_this_package_is_returned(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setitem(sys.modules, "azure.core.credentials", None)  # import fails
    token: Any = to_access_token(TokenResponse(token="t"), now=0)
    assert type(token) is AccessToken and token == ("t", 300)
    assert token._fields == ("token", "expires_on")


async def test_the_credential_has_the_shape_of_an_async_token_credential() -> None:
    asked: list[list[str]] = []

    async def source(scopes: list[str]) -> TokenResponse:
        asked.append(scopes)
        return TokenResponse(token="abc", expiration="2031-01-01T00:00:00Z")

    credential = UserTokenCredential(source, "GRAPH")
    assert (await credential.get_token("a", "b", claims="c")).token == "abc"
    assert asked == [["a", "b"]]
    await credential.close()  # nothing to release, and no error
    assert not hasattr(credential, "get_token_info")
    assert "GRAPH" in repr(credential) and "abc" not in repr(credential)
    if HAS_AZURE_CORE:
        from azure.core.credentials_async import AsyncTokenCredential

        assert isinstance(credential, AsyncTokenCredential)
