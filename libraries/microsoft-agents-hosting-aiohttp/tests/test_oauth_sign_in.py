"""User sign-in (OAuth) end to end: multi-turn conversations through the aiohttp host.

Every turn is a real HTTP request to the agent, authenticated with a JWT from a loopback
OpenID provider; the agent answers through a loopback channel service and signs users in
against a loopback user-token service. On-behalf-of exchanges go to a loopback token
endpoint.
"""

from __future__ import annotations

import asyncio
import json
import time
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qs

import aiohttp
import jwt
import pytest
from aiohttp import web

from microsoft_agents.activity import load_configuration_from_env
from microsoft_agents.hosting.aiohttp import CloudAdapter, create_app
from microsoft_agents.hosting.core import (
    AgentApplication,
    Authorization,
    MemoryStorage,
    TurnContext,
    TurnState,
)
from microsoft_agents.hosting.core.authorization import (
    AgentAuthConfiguration,
    AnonymousTokenProvider,
    ConnectionManager,
)
from microsoft_agents.hosting.core.authorization.jwt import jwks_cache
from microsoft_agents.hosting.core.testing._recording_server import (
    Answer,
    RecordedRequest,
    RecordingServer,
)
from microsoft_agents.hosting.core.testing.loopback import (
    ChannelServiceStandIn,
    OpenIdProvider,
    TokenServiceStandIn,
)

APP_ID = "oauth-agent-app"
AGENT_TOKEN = "agent-token"  # what the agent's connection hands out for its own calls
CONVERSATION = "conversation-1"
HANDLERS = "AGENTAPPLICATION__USERAUTHORIZATION__HANDLERS"
OAUTH_CARD = "application/vnd.microsoft.card.oauth"


class ObOStandIn(RecordingServer):
    """A loopback token endpoint answering on-behalf-of requests (``POST /token``)."""

    def answer(self, request: RecordedRequest) -> Answer | None:
        if (request.method, request.path) != ("POST", "/token"):
            return None
        form = {key: values[0] for key, values in parse_qs(request.body.decode()).items()}
        if form.get("requested_token_use") != "on_behalf_of" or not form.get("assertion"):
            return Answer(400, json={"error": "invalid_request"})
        token = f"obo:{form['assertion'][-6:]}:{form['scope']}"
        return Answer(json={"access_token": token, "token_type": "Bearer", "expires_in": 3600})


class LoopbackTokenProvider(AnonymousTokenProvider):
    """The agent's token provider: a fixed agent token, OBO against a loopback endpoint."""

    def __init__(self, configuration: AgentAuthConfiguration, obo_url: str) -> None:
        super().__init__(configuration)
        self.obo_url = obo_url

    async def get_access_token(
        self, resource_url: str, scopes: list[str], force_refresh: bool = False
    ) -> str:
        return AGENT_TOKEN

    async def acquire_token_on_behalf_of(self, scopes: list[str], user_assertion: str) -> str:
        form = {
            "grant_type": "urn:ietf:params:oauth:grant-type:jwt-bearer",
            "requested_token_use": "on_behalf_of",
            "client_id": self.configuration.CLIENT_ID or "",
            "assertion": user_assertion,
            "scope": " ".join(scopes),
        }
        async with aiohttp.ClientSession() as session, session.post(self.obo_url, data=form) as r:
            r.raise_for_status()
            return str((await r.json())["access_token"])


def exchangeable_token(name: str) -> str:
    """A user token issued to an app (so it may be exchanged on-behalf-of)."""
    claims = {"aud": f"api://{APP_ID}", "appid": APP_ID, "ver": "1.0", "name": name}
    return jwt.encode(claims, "not-a-real-key-but-long-enough-for-hs256", algorithm="HS256")


def settings(idp: OpenIdProvider, **extra: str) -> dict[str, Any]:
    env = {
        "CONNECTIONS__SERVICE_CONNECTION__SETTINGS__CLIENTID": APP_ID,
        "CONNECTIONS__SERVICE_CONNECTION__SETTINGS__AZUREBOTSERVICEOPENIDMETADATAURL": (
            idp.metadata_url
        ),
        "CONNECTIONS__SERVICE_CONNECTION__SETTINGS__OPENIDMETADATAURL": idp.metadata_url,
        "CONNECTIONS__GRAPH_OBO__SETTINGS__CLIENTID": APP_ID,
        f"{HANDLERS}__GRAPH__SETTINGS__AZUREBOTOAUTHCONNECTIONNAME": "graph-connection",
        f"{HANDLERS}__GITHUB__SETTINGS__AZUREBOTOAUTHCONNECTIONNAME": "github-connection",
        f"{HANDLERS}__GITHUB__SETTINGS__TITLE": "Connect GitHub",
        f"{HANDLERS}__GITHUB__SETTINGS__TEXT": "The agent needs your GitHub account",
        f"{HANDLERS}__MAIL__SETTINGS__AZUREBOTOAUTHCONNECTIONNAME": "mail-connection",
        f"{HANDLERS}__MAIL__SETTINGS__OBOCONNECTIONNAME": "GRAPH_OBO",
        f"{HANDLERS}__MAIL__SETTINGS__SCOPES": "Mail.Read User.Read",
        **extra,
    }
    return load_configuration_from_env(env)


@dataclass
class World:
    """One conversation: the agent served over HTTP and the services it talks to."""

    idp: OpenIdProvider
    channel: ChannelServiceStandIn
    tokens: TokenServiceStandIn
    obo: ObOStandIn
    documents: dict[str, Any] = field(default_factory=dict)
    url: str = ""
    app: AgentApplication[TurnState] | None = None
    seen: list[str] = field(default_factory=list)  # what the routes and sign-in hooks saw
    _ids: int = 0

    @property
    def auth(self) -> Authorization:
        assert self.app is not None
        return self.app.auth

    def activity(self, user: str = "user-1", **fields: Any) -> dict[str, Any]:
        self._ids += 1
        activity = {
            "type": "message",
            "id": f"activity-{self._ids}",
            "channelId": "msteams",
            "serviceUrl": self.channel.url,
            "conversation": {"id": CONVERSATION},
            "from": {"id": user, "name": user.title()},
            "recipient": {"id": "agent-1", "name": "Agent"},
        }
        activity.update(fields)
        return activity

    async def post(self, activity: dict[str, Any]) -> tuple[int, Any]:
        token = self.idp.bot_framework_token(APP_ID, service_url=self.channel.url)
        headers = {"Authorization": f"Bearer {token}"}
        async with (
            aiohttp.ClientSession() as session,
            session.post(self.url, json=activity, headers=headers) as response,
        ):
            body = await response.read()
            return response.status, json.loads(body) if body else None

    async def say(self, text: str, user: str = "user-1") -> dict[str, Any]:
        activity = self.activity(user, text=text)
        status, _ = await self.post(activity)
        assert status == 202
        return activity

    async def invoke(self, name: str, value: Any, user: str = "user-1") -> tuple[int, Any]:
        return await self.post(self.activity(user, type="invoke", name=name, value=value))

    def messages(self) -> list[dict[str, Any]]:
        return [a for a in self.channel.activities(CONVERSATION) if a.get("type") == "message"]

    def texts(self) -> list[str]:
        return [m.get("text") or self.describe(m) for m in self.messages()]

    @staticmethod
    def describe(message: dict[str, Any]) -> str:
        kinds = [a.get("contentType") for a in message.get("attachments") or []]
        return "[oauth card]" if kinds == [OAUTH_CARD] else f"[attachments {kinds}]"

    def cards(self) -> list[dict[str, Any]]:
        return [
            a["content"]
            for m in self.messages()
            for a in m.get("attachments") or []
            if a.get("contentType") == OAUTH_CARD
        ]

    async def settle(self) -> None:
        """Wait for the replays of sign-in continuations started so far."""
        for _ in range(100):
            pending = list(self.auth._continuations)
            if not pending:
                return
            await asyncio.gather(*pending)
        raise AssertionError("sign-in continuations keep starting")


Serve = Callable[..., Awaitable[World]]


@pytest.fixture
async def serve() -> AsyncIterator[Serve]:
    runners: list[web.AppRunner] = []
    adapters: list[CloudAdapter] = []
    worlds: list[World] = []
    obo = ObOStandIn()
    # Signing keys are cached per URL for the whole process, and a loopback port of an earlier
    # test's identity provider may be reused by this one: start from an empty cache.
    jwks_cache.clear()
    async with (
        OpenIdProvider() as idp,
        ChannelServiceStandIn(expected_token=AGENT_TOKEN) as channel,
        TokenServiceStandIn(expected_token=AGENT_TOKEN) as tokens,
        obo,
    ):

        async def start(**auth_options: Any) -> World:
            world = World(idp, channel, tokens, obo)
            config = settings(idp, **auth_options.pop("env", {}))
            manager = ConnectionManager(
                lambda cfg: LoopbackTokenProvider(cfg, f"{obo.url}token"), **config
            )
            adapter = CloudAdapter(
                connection_manager=manager,
                channel_service_client_factory_options={"token_service_endpoint": tokens.url},
            )
            adapters.append(adapter)
            storage = MemoryStorage(world.documents)
            authorization = Authorization(storage, manager, **auth_options, **config)
            world.app = build_agent(world, storage, adapter, authorization, config)
            runner = web.AppRunner(
                create_app(world.app, manager.get_default_connection_configuration()),
                access_log=None,
            )
            await runner.setup()
            runners.append(runner)
            await web.TCPSite(runner, "127.0.0.1", 0).start()
            world.url = f"http://127.0.0.1:{runner.addresses[0][1]}/api/messages"
            worlds.append(world)
            return world

        yield start
        for world in worlds:
            await world.settle()
        for runner in runners:
            await runner.cleanup()
        for adapter in adapters:
            await adapter.close()


def build_agent(
    world: World,
    storage: MemoryStorage,
    adapter: CloudAdapter,
    authorization: Authorization,
    config: dict[str, Any],
) -> AgentApplication[TurnState]:
    app = AgentApplication[TurnState](
        storage=storage,
        adapter=adapter,
        authorization=authorization,
        start_typing_timer=False,
        **config,
    )

    @app.message("/me", auth_handlers=["GRAPH"])
    async def me(context: TurnContext, state: TurnState) -> None:
        token = await app.auth.get_token(context, "GRAPH")
        await context.send_activity(f"GRAPH token: {token.token}")

    @app.message("/both", auth_handlers=["GRAPH", "GITHUB"])
    async def both(context: TurnContext, state: TurnState) -> None:
        graph = await app.auth.get_token(context, "GRAPH")
        github = await app.auth.get_token(context, "GITHUB")
        await context.send_activity(f"tokens: {graph.token} {github.token}")

    @app.message("/mail", auth_handlers=["MAIL"])
    async def mail(context: TurnContext, state: TurnState) -> None:
        token = await app.auth.get_token(context, "MAIL")
        other = await app.auth.exchange_token(context, ["Files.Read"], "MAIL")
        await context.send_activity(f"MAIL token: {token.token} / {other.token}")

    @app.message("/logout")
    async def logout(context: TurnContext, state: TurnState) -> None:
        await app.auth.sign_out(context, state, "GRAPH")  # the older call shape
        await context.send_activity("You have been logged out.")

    @app.message("/logout-all")
    async def logout_all(context: TurnContext, state: TurnState) -> None:
        await app.auth.sign_out(context, all_handlers=True)
        await context.send_activity("Signed out everywhere.")

    @app.activity("message")
    async def echo(context: TurnContext, state: TurnState) -> None:
        token = await app.auth.get_token(context)  # the default handler (GRAPH)
        suffix = f" (signed in: {token.token})" if token else ""
        await context.send_activity(f"You said: {context.activity.text}{suffix}")

    @app.on_sign_in_success
    async def signed_in(context: TurnContext, state: TurnState, handler_id: str | None) -> None:
        user = context.activity.from_property
        world.seen.append(f"signed in {handler_id} as {user.id if user else None}")

    return app


# -- first use and magic codes --------------------------------------------------------------


async def test_first_use_of_a_protected_route_sends_the_sign_in_card(serve: Serve) -> None:
    world = await serve()
    started = time.time()
    await world.say("/me")

    [message] = world.messages()
    assert message["replyToId"] == "activity-1"
    assert message["recipient"]["id"] == "user-1"
    [card] = world.cards()
    [state] = world.tokens.states
    link = card["buttons"][0]["value"]
    assert link.startswith(world.tokens.url + "sign-in?state=")
    assert card == {
        "text": "Sign in",
        "connectionName": "graph-connection",
        "buttons": [{"type": "signin", "title": "Sign in", "value": link}],
        "tokenExchangeResource": {
            "id": "exchange-1",
            "uri": "api://token-service/graph-connection",
            "providerId": "stand-in",
        },
        "tokenPostResource": {"sasUrl": f"{world.tokens.url}post-token/2"},
    }
    # The token service was asked as the agent, for this user, with the agent's app id.
    assert state["connectionName"] == "graph-connection" and state["msAppId"] == APP_ID
    assert state["conversation"]["user"]["id"] == "user-1"
    [lookup] = world.tokens.requests_to("GET", "/api/usertoken/GetTokenOrSignInResource")
    assert lookup.query["userId"] == "user-1" and lookup.query["channelId"] == "msteams"
    # What is kept for the next turns.
    flow = world.documents["auth/msteams/user-1/GRAPH"]
    assert flow["tag"] == "begin" and flow["attempts_remaining"] == 3
    assert flow["connection"] == "graph-connection" and flow["ms_app_id"] == APP_ID
    assert started + 590 <= flow["expiration"] <= time.time() + 600
    sign_in = world.documents["auth:_SignInState:msteams:user-1"]
    assert sign_in["active_handler_id"] == "GRAPH"
    assert sign_in["continuation_activity"]["text"] == "/me"
    assert world.seen == []


async def test_a_magic_code_completes_the_sign_in_and_the_route_runs(serve: Serve) -> None:
    world = await serve()
    await world.say("/me")
    world.tokens.add_magic_code("user-1", "graph-connection", "482913", "user-1-graph-token")

    await world.say("482913")
    await world.settle()

    assert world.texts() == ["[oauth card]", "GRAPH token: user-1-graph-token"]
    # The original request ran again: its reply answers the original activity.
    assert world.messages()[-1]["replyToId"] == "activity-1"
    [redeem] = [r for r in world.tokens.requests_to("GET", "/api/usertoken/GetToken")][:1]
    assert redeem.query["code"] == "482913"
    assert world.seen == ["signed in GRAPH as user-1"]
    assert not [key for key in world.documents if key.startswith("auth")]

    # Signed in now: the route runs straight away.
    await world.say("/me")
    assert world.texts()[-1] == "GRAPH token: user-1-graph-token"
    assert len(world.cards()) == 1


async def test_a_wrong_code_gets_a_clear_reply_and_no_token(serve: Serve) -> None:
    world = await serve()
    await world.say("/me")
    world.tokens.add_magic_code("user-1", "graph-connection", "111111", "real-token")

    await world.say("999999")  # well-formed, not the right one
    await world.say("what now?")  # not a code at all
    assert world.texts()[1:] == [
        "That sign-in code is not valid. Please try again (2 attempt(s) left).",
        "Please finish signing in first: enter the 6-digit code you were given after signing "
        "in (1 attempt(s) left).",
    ]
    assert world.documents["auth/msteams/user-1/GRAPH"]["attempts_remaining"] == 1
    assert world.documents["auth/msteams/user-1/GRAPH"]["tag"] == "continue"
    assert world.tokens.token_of("user-1", "graph-connection") is None

    await world.say("123123")  # the third wrong answer ends the sign-in
    assert world.texts()[-1].startswith("Sign-in failed: too many invalid codes")
    assert not [key for key in world.documents if key.startswith("auth")]
    assert world.seen == []

    # The conversation is back to normal; the right code now means nothing special.
    await world.say("111111")
    assert world.texts()[-1] == "You said: 111111"


# -- invokes: verifyState, token exchange (SSO), failure --------------------------------------


async def test_verify_state_invoke_completes_the_sign_in(serve: Serve) -> None:
    world = await serve()
    await world.say("/me")
    world.tokens.add_magic_code("user-1", "graph-connection", "505050", "verified-token")

    status, body = await world.invoke("signin/verifyState", {"state": "505050"})
    await world.settle()

    assert (status, body) == (200, None)
    assert world.texts()[-1] == "GRAPH token: verified-token"


async def test_sso_token_exchange_succeeds(serve: Serve) -> None:
    world = await serve()
    await world.say("/me")
    world.tokens.add_exchangeable_token("graph-connection", "teams-sso-token", "exchanged-token")

    value = {"id": "exchange-1", "connectionName": "graph-connection", "token": "teams-sso-token"}
    status, body = await world.invoke("signin/tokenExchange", value)
    await world.settle()

    assert (status, body) == (200, {"id": "exchange-1", "connectionName": "graph-connection"})
    [exchange] = world.tokens.requests_to("POST", "/api/usertoken/exchange")
    assert exchange.json == {"token": "teams-sso-token"}
    assert exchange.query["userId"] == "user-1"
    assert world.texts() == ["[oauth card]", "GRAPH token: exchanged-token"]
    assert world.seen == ["signed in GRAPH as user-1"]


async def test_sso_token_exchange_that_needs_consent_answers_412_and_keeps_the_flow(
    serve: Serve,
) -> None:
    world = await serve()
    await world.say("/me")
    world.tokens.exchange_failure = (400, "Consent Required")

    value = {"id": "exchange-1", "connectionName": "graph-connection", "token": "teams-sso"}
    status, body = await world.invoke("signin/tokenExchange", value)

    assert (status, body) == (
        412,
        {
            "id": "exchange-1",
            "connectionName": "graph-connection",
            "failureDetail": "Consent Required",
        },
    )
    assert world.documents["auth/msteams/user-1/GRAPH"]["tag"] == "begin"
    assert world.documents["auth/msteams/user-1/GRAPH"]["attempts_remaining"] == 3
    assert world.texts() == ["[oauth card]"]  # the user still has the card

    # The user consents through the card and types the code: the request runs.
    world.tokens.add_magic_code("user-1", "graph-connection", "777777", "consented-token")
    await world.say("777777")
    await world.settle()
    assert world.texts()[-1] == "GRAPH token: consented-token"


async def test_an_unknown_sso_token_and_another_connection_also_get_412(serve: Serve) -> None:
    world = await serve()
    await world.say("/me")

    status, body = await world.invoke(
        "signin/tokenExchange", {"id": "x1", "connectionName": "graph-connection", "token": "?"}
    )
    assert status == 412 and body["failureDetail"] == "token not exchangeable"
    status, body = await world.invoke(
        "signin/tokenExchange", {"id": "x2", "connectionName": "other", "token": "t"}
    )
    assert status == 412 and body["id"] == "x2" and "'other'" in body["failureDetail"]
    assert world.documents["auth/msteams/user-1/GRAPH"]["tag"] == "begin"


async def test_sign_in_failure_invoke_is_reported_to_the_user(serve: Serve) -> None:
    world = await serve()
    await world.say("/me")

    status, _ = await world.invoke(
        "signin/failure", {"code": "resourcematchfailed", "message": "The resource did not match."}
    )

    assert status == 200
    assert world.texts()[-1] == "Sign-in failed: The resource did not match."
    assert not [key for key in world.documents if key.startswith("auth")]
    await world.say("hello")
    assert world.texts()[-1] == "You said: hello"


async def test_a_sign_in_failure_handler_replaces_the_default_message(serve: Serve) -> None:
    world = await serve()

    async def failed(context: TurnContext, state: TurnState, handler_id: str | None) -> None:
        await context.send_activity(f"custom failure for {handler_id}")

    world.auth.on_sign_in_failure(failed)
    await world.say("/me")
    await world.invoke("signin/failure", {"code": "x"})
    assert world.texts()[-1] == "custom failure for GRAPH"


# -- expiry ---------------------------------------------------------------------------------


async def test_an_expired_flow_restarts_for_a_late_code(serve: Serve) -> None:
    world = await serve()
    await world.say("/me")
    world.documents["auth/msteams/user-1/GRAPH"]["expiration"] = time.time() - 1
    world.tokens.add_magic_code("user-1", "graph-connection", "246810", "late-token")

    await world.say("246810")

    # The late code is not used; a new sign-in for the same request starts.
    assert world.texts() == [
        "[oauth card]",
        "The sign-in request expired. Please sign in again.",
        "[oauth card]",
    ]
    assert world.tokens.token_of("user-1", "graph-connection") is None
    assert world.documents["auth/msteams/user-1/GRAPH"]["tag"] == "begin"
    sign_in = world.documents["auth:_SignInState:msteams:user-1"]
    assert sign_in["continuation_activity"]["text"] == "/me"

    await world.say("246810")
    await world.settle()
    assert world.texts()[-1] == "GRAPH token: late-token"
    assert world.messages()[-1]["replyToId"] == "activity-1"


async def test_an_expired_flow_lets_an_ordinary_message_through(serve: Serve) -> None:
    world = await serve()
    await world.say("/me")
    world.documents["auth/msteams/user-1/GRAPH"]["expiration"] = time.time() - 1

    await world.say("good morning")

    assert world.texts()[1:] == [
        "The sign-in request expired. Please sign in again.",
        "You said: good morning",
    ]
    assert not [key for key in world.documents if key.startswith("auth")]


# -- sign-out, several handlers, several users -----------------------------------------------


async def test_sign_out_clears_the_token(serve: Serve) -> None:
    world = await serve()
    world.tokens.add_token("user-1", "graph-connection", "stored-token")
    await world.say("/me")
    assert world.texts() == ["GRAPH token: stored-token"]

    await world.say("/logout")

    assert world.texts()[-1] == "You have been logged out."
    assert world.tokens.sign_outs == [("user-1", "graph-connection", "msteams")]
    assert world.tokens.token_of("user-1", "graph-connection") is None
    await world.say("/me")
    assert world.texts()[-1] == "[oauth card]"


async def test_sign_out_of_every_handler(serve: Serve) -> None:
    world = await serve()
    world.tokens.add_token("user-1", "graph-connection", "g")
    world.tokens.add_token("user-1", "github-connection", "h")
    await world.say("/both")
    assert world.texts() == ["tokens: g h"]

    await world.say("/logout-all")

    assert set(world.tokens.sign_outs) == {
        ("user-1", name, "msteams")
        for name in ("graph-connection", "github-connection", "mail-connection")
    }
    assert world.tokens.tokens == {}


async def test_a_route_with_two_handlers_signs_in_to_each_in_turn(serve: Serve) -> None:
    world = await serve()
    world.tokens.add_magic_code("user-1", "graph-connection", "100001", "graph-token")
    world.tokens.add_magic_code("user-1", "github-connection", "200002", "github-token")

    await world.say("/both")
    await world.say("100001")
    await world.settle()
    # GRAPH is done; the replayed request now asks for GITHUB with that handler's card.
    graph_card, github_card = world.cards()
    assert graph_card["connectionName"] == "graph-connection"
    assert github_card["connectionName"] == "github-connection"
    assert github_card["text"] == "The agent needs your GitHub account"
    assert github_card["buttons"][0]["title"] == "Connect GitHub"

    await world.say("200002")
    await world.settle()
    assert world.texts()[-1] == "tokens: graph-token github-token"
    assert world.seen == ["signed in GRAPH as user-1", "signed in GITHUB as user-1"]


async def test_two_users_in_one_conversation_keep_separate_tokens(serve: Serve) -> None:
    world = await serve()
    world.tokens.add_magic_code("user-1", "graph-connection", "111111", "token-of-user-1")
    world.tokens.add_magic_code("user-2", "graph-connection", "222222", "token-of-user-2")

    await world.say("/me", user="user-1")
    await world.say("/me", user="user-2")
    assert world.texts() == ["[oauth card]", "[oauth card]"]

    await world.say("222222", user="user-1")  # user-2's code is no good for user-1
    assert world.texts()[-1].startswith("That sign-in code is not valid")
    await world.say("111111", user="user-1")
    await world.settle()
    # user-2 is still signing in: their ordinary message is taken as a (wrong) answer.
    await world.say("hello", user="user-2")
    assert world.texts()[-1].startswith("Please finish signing in first")
    await world.say("222222", user="user-2")
    await world.settle()

    answers = [m for m in world.messages() if (m.get("text") or "").startswith("GRAPH token")]
    assert [(m["recipient"]["id"], m["text"]) for m in answers] == [
        ("user-1", "GRAPH token: token-of-user-1"),
        ("user-2", "GRAPH token: token-of-user-2"),
    ]
    await world.say("/me", user="user-2")
    await world.say("/me", user="user-1")
    assert world.texts()[-2:] == ["GRAPH token: token-of-user-2", "GRAPH token: token-of-user-1"]


# -- auto sign-in ---------------------------------------------------------------------------


async def test_auto_sign_in_gates_every_message(serve: Serve) -> None:
    world = await serve(env={"AGENTAPPLICATION__USERAUTHORIZATION__AUTO_SIGN_IN": "true"})
    assert world.auth.auto_sign_in
    world.tokens.add_magic_code("user-1", "graph-connection", "135790", "auto-token")

    await world.say("hello")
    assert world.texts() == ["[oauth card]"]  # no echo before the user signs in
    assert world.cards()[0]["connectionName"] == "graph-connection"  # the default handler

    await world.say("135790")
    await world.settle()
    assert world.texts()[-1] == "You said: hello (signed in: auto-token)"

    lookups = len(world.tokens.requests_to("GET", "/api/usertoken/GetTokenOrSignInResource"))
    await world.say("and again")
    assert world.texts()[-1] == "You said: and again (signed in: auto-token)"
    # Every message checks the sign-in again.
    assert len(world.tokens.requests_to("GET", "/api/usertoken/GetTokenOrSignInResource")) > (
        lookups
    )

    world.tokens.tokens.clear()  # the token is revoked at the service
    await world.say("still there?")
    assert world.texts()[-1] == "[oauth card]"


async def test_without_auto_sign_in_unprotected_routes_need_no_sign_in(serve: Serve) -> None:
    world = await serve()
    await world.say("hello")
    assert world.texts() == ["You said: hello"]
    assert world.tokens.requests == []


# -- on-behalf-of ---------------------------------------------------------------------------


async def test_on_behalf_of_exchange_of_the_user_token(serve: Serve) -> None:
    world = await serve()
    user_token = exchangeable_token("user-1")
    world.tokens.add_magic_code("user-1", "mail-connection", "314159", user_token)

    await world.say("/mail")
    await world.say("314159")
    await world.settle()

    suffix = user_token[-6:]
    assert world.texts()[-1] == (
        f"MAIL token: obo:{suffix}:Mail.Read User.Read / obo:{suffix}:Files.Read"
    )
    forms = [parse_qs(r.body.decode()) for r in world.obo.requests]
    assert all(form["assertion"] == [user_token] for form in forms)
    assert {form["scope"][0] for form in forms} == {"Mail.Read User.Read", "Files.Read"}


async def test_a_token_that_cannot_be_exchanged_is_used_as_it_is(serve: Serve) -> None:
    world = await serve()
    world.tokens.add_token("user-1", "mail-connection", "opaque-token")

    await world.say("/mail")

    assert world.texts() == ["MAIL token: opaque-token / opaque-token"]
    assert world.obo.requests == []
