"""``AgentResponseHandler``: a called agent's answers reach the user's conversation.

The answers arrive through the core's channel-service routes (in-memory requests); the
calling agent relays them over real HTTP to a loopback channel, with tokens minted by a
loopback OpenID provider.
"""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from typing import Any

import jwt
import pytest

from microsoft_agents.activity import Activity
from microsoft_agents.hosting.core import (
    AgentApplication,
    HttpAdapterBase,
    MemoryStorage,
    TurnContext,
    TurnState,
)
from microsoft_agents.hosting.core.authorization import ClaimsIdentity, JwtTokenValidator
from microsoft_agents.hosting.core.client import (
    AgentResponseHandler,
    ChannelInfo,
    ConversationIdFactory,
    ConversationIdFactoryOptions,
)
from microsoft_agents.hosting.core.http import ChannelServiceRoutes, HttpResponse
from microsoft_agents.hosting.core.testing.loopback import (
    ChannelServiceStandIn,
    LoopbackTokenProvider,
    OpenIdProvider,
    loopback_connection_manager,
)

CALLER = "caller-app-id"
CALLEE = "callee-app-id"
CALLEE_CLAIMS = {"aud": CALLER, "azp": CALLEE, "ver": "2.0", "tid": "t"}


class MemoryRequest:
    """A channel-service request as a web host would hand it to the core."""

    def __init__(self, body: Any, params: dict[str, str], claims: ClaimsIdentity) -> None:
        self.method = "POST"
        self.headers = {"Content-Type": "application/json"}
        self._body = json.dumps(body).encode() if body is not None else b""
        self._params = params
        self._claims = claims

    async def json(self) -> Any:
        return json.loads(self._body)

    def get_claims_identity(self) -> ClaimsIdentity:
        return self._claims

    def get_path_param(self, name: str) -> str:
        return self._params[name]

    async def read_body(self, max_bytes: int) -> bytes:
        return self._body


@dataclass
class Caller:
    """The calling agent: its adapter, application, conversation ids and response routes."""

    idp: OpenIdProvider
    channel: ChannelServiceStandIn
    adapter: HttpAdapterBase
    app: AgentApplication[TurnState]
    ids: ConversationIdFactory
    handler: AgentResponseHandler
    routes: ChannelServiceRoutes
    handed: list[Activity] = field(default_factory=list)

    async def delegate(self, **changes: Any) -> str:
        data: dict[str, Any] = {
            "type": "message",
            "id": "user-activity-1",
            "channelId": "msteams",
            "serviceUrl": self.channel.url,
            "conversation": {"id": "user-conversation"},
            "from": {"id": "user-1", "name": "Ada"},
            "recipient": {"id": "caller-bot", "name": "Caller"},
            "text": "book a flight",
        }
        data.update(changes)
        options = ConversationIdFactoryOptions(
            from_oauth_scope=data.pop("scope", "https://api.botframework.com"),
            from_agent_id=CALLER,
            activity=Activity.model_validate(data),
            agent=ChannelInfo(id="flights", app_id=CALLEE),
        )
        return await self.ids.create_conversation_id(options)

    async def answer(
        self,
        route_name: str,
        body: Any,
        claims: ClaimsIdentity | None = None,
        **params: str,
    ) -> HttpResponse:
        route = next(r for r in self.routes.routes if r.name == route_name)
        identity = claims if claims is not None else ClaimsIdentity(dict(CALLEE_CLAIMS))
        return await self.routes.handle(route, MemoryRequest(body, params, identity))

    def relayed(self) -> list[dict[str, Any]]:
        return self.channel.activities("user-conversation")


@pytest.fixture
async def caller() -> AsyncIterator[Caller]:
    async with OpenIdProvider() as idp, ChannelServiceStandIn() as channel:
        adapter = HttpAdapterBase(
            connection_manager=loopback_connection_manager(idp, CALLER),
            channel_service_client_factory_options={"retry_policy": {"max_attempts": 1}},
        )
        storage = MemoryStorage()
        app = AgentApplication[TurnState](storage=storage, adapter=adapter)
        ids = ConversationIdFactory(storage)
        handler = AgentResponseHandler(adapter, app, ids)
        made = Caller(idp, channel, adapter, app, ids, handler, ChannelServiceRoutes(handler))

        @app.activity("endOfConversation")
        async def on_end(context: TurnContext, state: TurnState) -> None:
            made.handed.append(context.activity)
            await context.send_activity("The flight agent is done.")

        @app.activity("event")
        async def on_event(context: TurnContext, state: TurnState) -> None:
            made.handed.append(context.activity)

        yield made
        await adapter.close()


def reply(text: str, **changes: Any) -> dict[str, Any]:
    """An answer as the called agent sends it (addressed in the agent conversation)."""
    data: dict[str, Any] = {
        "type": "message",
        "text": text,
        "from": {"id": "callee-bot", "role": "skill"},
        "recipient": {"id": "user-1"},
        "conversation": {"id": "ignored"},
        "serviceUrl": "http://127.0.0.1:1/api/agents",
        "replyToId": "user-activity-1",
        "relatesTo": {"conversation": {"id": "user-conversation"}},
    }
    data.update(changes)
    return data


async def test_a_reply_is_relayed_into_the_user_conversation(caller: Caller) -> None:
    conversation_id = await caller.delegate()

    response = await caller.answer(
        "reply_to_activity",
        reply("Your flight is booked.", channelData={"k": 1}),
        conversation_id=conversation_id,
        activity_id="user-activity-1",
    )

    assert response.status_code == 200
    [request] = caller.channel.requests
    assert request.path == "/v3/conversations/user-conversation/activities/user-activity-1"
    sent = request.json
    assert sent["text"] == "Your flight is booked."
    assert sent["channelData"] == {"k": 1}
    assert sent["from"] == {"id": "caller-bot", "name": "Caller"}
    assert sent["recipient"] == {"id": "user-1", "name": "Ada"}
    assert sent["conversation"] == {"id": "user-conversation"}
    assert "relatesTo" not in sent and "callerId" not in sent
    # the answer returns the channel's id for the relayed activity
    assert response.body == {"id": caller.relayed()[0]["id"]}


async def test_the_relay_is_signed_for_the_channel_with_the_callers_identity(
    caller: Caller,
) -> None:
    conversation_id = await caller.delegate()

    await caller.answer("send_to_conversation", reply("hello"), conversation_id=conversation_id)

    token = caller.channel.last_request.authorization.removeprefix("Bearer ")  # type: ignore[union-attr]
    claims = jwt.decode(token, options={"verify_signature": False})
    assert (claims["aud"], claims["azp"]) == ("https://api.botframework.com", CALLER)
    provider = caller.adapter.connection_manager.get_default_connection()  # type: ignore[union-attr]
    assert isinstance(provider, LoopbackTokenProvider)
    assert provider.requests == [
        ("https://api.botframework.com", ["https://api.botframework.com/.default"])
    ]
    # send_to_conversation replies to the activity the conversation id was made for
    assert caller.channel.last_request.path.endswith("/activities/user-activity-1")


async def test_a_real_callee_token_is_accepted(caller: Caller) -> None:
    conversation_id = await caller.delegate()
    token = caller.idp.entra_token(CALLER, "8d2e6b32-5f0a-4c0e-9a55-0c1d2e3f4a5b", caller=CALLEE)
    config = caller.adapter.connection_manager.get_default_connection_configuration()  # type: ignore[union-attr]
    identity = await JwtTokenValidator(config).validate_token(token)

    response = await caller.answer(
        "send_to_conversation", reply("hi"), identity, conversation_id=conversation_id
    )

    assert response.status_code == 200
    assert [a["text"] for a in caller.relayed()] == ["hi"]


async def test_end_of_conversation_ends_the_delegation_and_reaches_the_app(
    caller: Caller,
) -> None:
    conversation_id = await caller.delegate()

    response = await caller.answer(
        "send_to_conversation",
        {"type": "endOfConversation", "code": "completedSuccessfully", "value": {"pnr": "X1"}},
        conversation_id=conversation_id,
    )

    assert response.status_code == 200
    [handed] = caller.handed
    assert handed.type == "endOfConversation"
    assert (handed.code, handed.value) == ("completedSuccessfully", {"pnr": "X1"})
    assert handed.caller_id == f"urn:botframework:aadappid:{CALLEE}"
    assert handed.conversation is not None and handed.conversation.id == "user-conversation"
    assert handed.from_property is not None and handed.from_property.id == "user-1"
    assert handed.name is None
    # the app's own answer went to the user; the end itself was not relayed
    assert [a.get("text") for a in caller.relayed()] == ["The flight agent is done."]
    assert await caller.ids.get_agent_conversation_reference(conversation_id) is None

    late = await caller.answer(
        "send_to_conversation", reply("one more thing"), conversation_id=conversation_id
    )
    assert late.status_code == 401
    assert len(caller.relayed()) == 1


async def test_events_reach_the_app_and_keep_the_delegation(caller: Caller) -> None:
    conversation_id = await caller.delegate()

    await caller.answer(
        "reply_to_activity",
        {"type": "event", "name": "progress", "value": 50},
        conversation_id=conversation_id,
        activity_id="user-activity-1",
    )

    [handed] = caller.handed
    assert (handed.type, handed.name, handed.value, handed.id) == (
        "event",
        "progress",
        50,
        "user-activity-1",
    )
    assert caller.relayed() == []
    assert await caller.ids.get_agent_conversation_reference(conversation_id) is not None


async def test_unknown_conversations_and_other_agents_are_refused(caller: Caller) -> None:
    conversation_id = await caller.delegate()
    intruder = ClaimsIdentity({"aud": CALLER, "azp": "other-agent", "ver": "2.0"})

    unknown = await caller.answer("send_to_conversation", reply("x"), conversation_id="not-issued")
    other = await caller.answer(
        "send_to_conversation", reply("x"), intruder, conversation_id=conversation_id
    )

    assert (unknown.status_code, other.status_code) == (401, 401)
    assert caller.channel.requests == []
    with pytest.raises(PermissionError, match="belongs to another agent"):
        await caller.handler.on_send_to_conversation(
            intruder, conversation_id, Activity.model_validate(reply("x"))
        )


async def test_updates_and_deletes_go_to_the_user_conversation(caller: Caller) -> None:
    conversation_id = await caller.delegate()

    updated = await caller.answer(
        "update_activity",
        reply("edited"),
        conversation_id=conversation_id,
        activity_id="activity-7",
    )
    route = next(r for r in caller.routes.routes if r.name == "delete_activity")
    request = MemoryRequest(
        None,
        {"conversation_id": conversation_id, "activity_id": "activity-7"},
        ClaimsIdentity(dict(CALLEE_CLAIMS)),
    )
    deleted = await caller.routes.handle(route, request)

    assert (updated.status_code, updated.body) == (200, {"id": "activity-7"})
    assert deleted.status_code == 200
    put, delete = caller.channel.requests
    assert (put.method, put.path) == (
        "PUT",
        "/v3/conversations/user-conversation/activities/activity-7",
    )
    assert put.json["text"] == "edited"
    assert (delete.method, delete.path) == (
        "DELETE",
        "/v3/conversations/user-conversation/activities/activity-7",
    )


async def test_operations_a_caller_does_not_offer_answer_501(caller: Caller) -> None:
    conversation_id = await caller.delegate()
    route = next(r for r in caller.routes.routes if r.name == "get_conversation_members")
    request = MemoryRequest(None, {"conversation_id": conversation_id}, ClaimsIdentity())

    response = await caller.routes.handle(route, request)

    assert response.status_code == 501
    with pytest.raises(NotImplementedError, match="not offered"):
        await caller.handler.on_create_conversation(ClaimsIdentity(), None)  # type: ignore[arg-type]


async def test_when_the_user_came_from_another_agent_the_relay_answers_that_agent(
    caller: Caller,
) -> None:
    conversation_id = await caller.delegate(scope="app://root-agent")

    await caller.answer("send_to_conversation", reply("hi"), conversation_id=conversation_id)

    provider = caller.adapter.connection_manager.get_default_connection()  # type: ignore[union-attr]
    assert isinstance(provider, LoopbackTokenProvider)
    assert provider.requests == [("app://root-agent", ["root-agent/.default"])]
    token = caller.channel.last_request.authorization.removeprefix("Bearer ")  # type: ignore[union-attr]
    assert jwt.decode(token, options={"verify_signature": False})["aud"] == "root-agent"


async def test_an_anonymous_caller_relays_without_tokens() -> None:
    async with ChannelServiceStandIn() as channel:
        adapter = HttpAdapterBase()  # no credentials at all
        storage = MemoryStorage()
        app = AgentApplication[TurnState](storage=storage, adapter=adapter)
        ids = ConversationIdFactory(storage)
        handler = AgentResponseHandler(adapter, app, ids)
        activity = Activity.model_validate(
            {
                "type": "message",
                "id": "a1",
                "channelId": "test",
                "serviceUrl": channel.url,
                "conversation": {"id": "c1"},
                "from": {"id": "u"},
                "recipient": {"id": "b"},
            }
        )
        conversation_id = await ids.create_conversation_id(
            ConversationIdFactoryOptions("", "", activity, ChannelInfo(id="x", app_id=CALLEE))
        )

        result = await handler.on_reply_to_activity(
            ClaimsIdentity(), conversation_id, "a1", Activity(type="message", text="hey")
        )

        [request] = channel.requests
        assert request.authorization is None
        assert request.json["text"] == "hey"
        assert result.id == channel.activities("c1")[0]["id"]
        await adapter.close()


def test_the_handler_needs_its_parts() -> None:
    with pytest.raises(ValueError):
        AgentResponseHandler(None, None, None)  # type: ignore[arg-type]
