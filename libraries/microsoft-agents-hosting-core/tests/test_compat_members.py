"""Members that code written against the documented API calls: error catalogue entries, state
helpers, ``TurnContext.copy_to``, the agentic sign-out, the Teams client's conversation
creation and the host validator's guarded HTTP session."""

from __future__ import annotations

import inspect
import logging
import string
from collections.abc import AsyncIterator, MutableMapping
from typing import Any

import aiohttp
import pytest

from microsoft_agents.activity import (
    Activity,
    ChannelAccount,
    ConversationAccount,
    ConversationParameters,
    ResourceResponse,
)
from microsoft_agents.hosting.core import (
    MemoryStorage,
    OutboundHostValidator,
    TurnContext,
    UserState,
)
from microsoft_agents.hosting.core._host_validator import OutboundHostRefusedError
from microsoft_agents.hosting.core.app import AuthHandler
from microsoft_agents.hosting.core.app.oauth import AgenticUserAuthorization
from microsoft_agents.hosting.core.app.state import ConversationState, TempState
from microsoft_agents.hosting.core.authorization import (
    AgentAuthConfiguration,
    AnonymousTokenProvider,
)
from microsoft_agents.hosting.core.connector.teams import TeamsConnectorClient
from microsoft_agents.hosting.core.errors import ErrorMessage, HostingError, error_resources
from microsoft_agents.hosting.core.storage import StoreItem
from microsoft_agents.hosting.core.testing import TestAdapter
from microsoft_agents.hosting.core.testing.loopback import ChannelServiceStandIn

# -- the error catalogue -------------------------------------------------------------------------

# Name -> (error code, format placeholders): the entries code catching these errors relies on.
EXPECTED_ERRORS: dict[str, tuple[int, set[str]]] = {
    "AdapterRequired": (-63000, set()),
    "AgentApplicationRequired": (-63001, set()),
    "RequestRequired": (-63002, set()),
    "AgentRequired": (-63003, set()),
    "StreamAlreadyEnded": (-63004, set()),
    "TurnContextRequired": (-63005, set()),
    "ActivityRequired": (-63006, set()),
    "AppIdRequired": (-63007, set()),
    "InvalidActivityType": (-63008, set()),
    "ConversationIdRequired": (-63009, set()),
    "AuthHeaderRequired": (-63010, set()),
    "InvalidAuthHeader": (-63011, set()),
    "ClaimsIdentityRequired": (-63012, set()),
    "ChannelServiceRouteNotFound": (-63013, {"0"}),
    "TokenExchangeRequired": (-63014, set()),
    "MissingHttpClient": (-63015, set()),
    "InvalidBotFrameworkActivity": (-63016, set()),
    "CredentialsRequired": (-63017, set()),
    "UnexpectedConnectorRequestToken": (-63018, {"0"}),
    "UnexpectedConnectorTokenExpiration": (-63019, {"0"}),
    "OboNotExchangeableToken": (-63020, {"0"}),
    "InvalidConfiguration": (-66000, {"0"}),
    "RequiredParameterMissing": (-66001, {"0"}),
    "InvalidParameterValue": (-66002, {"0", "1"}),
    "OperationNotSupported": (-66003, {"0"}),
    "ResourceNotFound": (-66004, {"0"}),
    "UnexpectedError": (-66005, {"0"}),
    "InvalidStateObject": (-66006, {"0"}),
    "SerializationError": (-66007, {"0"}),
    "DeserializationError": (-66008, {"0"}),
    "TimeoutError": (-66009, {"0"}),
    "NetworkError": (-66010, {"0"}),
}


def placeholders(template: str) -> set[str]:
    return {field for _, field, _, _ in string.Formatter().parse(template) if field is not None}


@pytest.mark.parametrize("name", sorted(EXPECTED_ERRORS))
def test_error_catalogue_entry(name: str) -> None:
    code, fields = EXPECTED_ERRORS[name]
    message = getattr(error_resources, name)
    assert isinstance(message, ErrorMessage)
    assert message.error_code == code
    assert placeholders(message.message_template) == fields
    arguments = [f"<arg{index}>" for index in range(len(fields))]
    text = message.format(*arguments)
    assert all(argument in text for argument in arguments)
    assert f"Error Code: {code}" in text


# -- the agentic user's sign-out -----------------------------------------------------------------


class CountingProvider(AnonymousTokenProvider):
    calls = 0

    async def get_agentic_user_token(self, *args: Any) -> str | None:
        CountingProvider.calls += 1
        return "agentic-token"


async def test_agentic_sign_out_keeps_nothing_to_forget() -> None:
    storage = MemoryStorage()
    handler = AgenticUserAuthorization(
        storage, None, AuthHandler(auth_type="AgenticUserAuthorization"), auth_handler_id="AG"
    )
    parameters = list(inspect.signature(handler.sign_out).parameters.values())
    assert [(p.name, p.default) for p in parameters] == [
        ("context", inspect.Parameter.empty),
        ("auth_handler_id", None),
    ]
    await storage.write({"other": _Doc()})

    async def turn(context: TurnContext) -> None:
        await handler.sign_out(context)
        await handler.sign_out(context, "AG")

    await TestAdapter().process_activity("x", turn)
    assert list(await storage.read(["other"], target_cls=_Doc)) == ["other"]


class _Doc(StoreItem):
    """A minimal store item."""

    def store_item_to_json(self) -> dict[str, Any]:
        return {"kept": True}

    @staticmethod
    def from_json_to_store_item(json_data: MutableMapping[str, Any]) -> _Doc:
        return _Doc()


# -- state helpers -------------------------------------------------------------------------------


def incoming(user: str = "user-1") -> Activity:
    return Activity(
        type="message",
        channel_id="test",
        from_property=ChannelAccount(id=user),
        recipient=ChannelAccount(id="agent"),
        conversation=ConversationAccount(id="conv-1"),
    )


async def test_get_cached_state_tracks_the_values_of_the_turn(
    caplog: pytest.LogCaptureFixture,
) -> None:
    storage = MemoryStorage()
    state = UserState(storage)
    context = TurnContext(TestAdapter(), incoming())
    assert state.get_cached_state() is None  # nothing loaded yet

    await state.load(context)
    cached = state.get_cached_state()
    assert cached is not None
    assert cached.state == {} and not cached.has_state and not cached.is_changed

    state.set_value("count", 1)
    assert cached.state == {"count": 1} and cached.has_state and cached.is_changed
    assert cached.store_item_to_json() == {"count": 1}
    await state.save(context)
    assert not cached.is_changed

    with caplog.at_level(logging.WARNING):
        assert state.get_cached_state(context) is context.turn_state[state.context_service_key]
    assert "deprecated" in caplog.text and "get_cached_state" in caplog.text

    cached.clear()
    assert not cached.has_state and cached.is_changed and state.get_value("count") is None

    other = ConversationState(storage)
    other_context = TurnContext(TestAdapter(), incoming("user-2"))
    await other.load(other_context)
    other.set_value("topic", "x")
    other_cached = other.get_cached_state()
    assert other_cached is not None and other_cached is not cached
    assert other_cached.state == {"topic": "x"}


async def test_temp_state_is_always_loaded_and_never_saved() -> None:
    temp = TempState()
    context = TurnContext(TestAdapter(), incoming())
    assert temp.is_loaded() is True
    temp.set_value("a", 1)
    await temp.save_changes(context, force=True, extra="ignored")
    assert temp.get_value("a") == 1 and temp.is_loaded()
    cached = temp.get_cached_state()
    assert cached is not None and cached.state == {"a": 1}
    assert context.turn_state == {}  # the temp scope is never put in the turn's cache

    await temp.delete_state(context, extra="ignored")
    assert not temp.has_value("a") and cached.state == {}


def test_user_state_explains_a_missing_key() -> None:
    message = UserState.no_key_error_message
    assert isinstance(message, str) and message.startswith("UserState")
    assert "channel_id" in message and "from.id" in message
    assert UserState(MemoryStorage()).no_key_error_message == message


# -- TurnContext.copy_to -------------------------------------------------------------------------


async def test_copy_to_makes_the_target_carry_on_the_same_turn() -> None:
    adapter = TestAdapter()
    source = TurnContext(adapter, incoming())
    seen: list[tuple[str, list[str | None]]] = []

    async def tag(context: TurnContext, activities: list[Activity], next_: Any) -> Any:
        seen.append(("first", [a.text for a in activities]))
        return await next_()

    source.on_send_activities(tag)
    source.services.set(str, "a service")
    source.turn_state["source-only"] = 1
    target = TurnContext(TestAdapter(), Activity(type="message", text="other"))
    target.turn_state["target-only"] = 2

    source.copy_to(target)

    assert target.adapter is adapter and target.activity is source.activity
    assert target.services is source.services and target.services.get(str) == "a service"
    assert target.turn_state == {"target-only": 2}
    assert not target.responded

    async def second(context: TurnContext, activities: list[Activity], next_: Any) -> Any:
        seen.append(("second", [a.text for a in activities]))
        return await next_()

    target.on_send_activities(second)  # shared: runs for the source as well
    await target.send_activity("from target")
    assert target.responded
    await source.send_activity("from source")

    assert seen == [
        ("first", ["from target"]),
        ("second", ["from target"]),
        ("first", ["from source"]),
        ("second", ["from source"]),
    ]
    assert [a.text for a in adapter.sent_activities] == ["from target", "from source"]
    assert adapter.sent_activities[0].conversation.id == "conv-1"  # addressed as the source


async def test_copy_to_carries_the_responded_flag_and_checks_its_target() -> None:
    source = TurnContext(TestAdapter(), incoming())
    await source.send_activity("hi")
    target = TurnContext(TestAdapter(), incoming())
    source.copy_to(target)
    assert target.responded is True
    with pytest.raises(TypeError, match="TurnContext"):
        source.copy_to(object())  # type: ignore[arg-type]


# -- TeamsConnectorClient ------------------------------------------------------------------------


class RecordingTokenProvider(AnonymousTokenProvider):
    def __init__(self, token: str) -> None:
        super().__init__(AgentAuthConfiguration())
        self.token = token
        self.asked: list[tuple[str, list[str]]] = []

    async def get_access_token(
        self, resource_url: str, scopes: list[str], force_refresh: bool = False
    ) -> str:
        self.asked.append((resource_url, list(scopes)))
        return self.token


@pytest.fixture
async def channel() -> AsyncIterator[ChannelServiceStandIn]:
    async with ChannelServiceStandIn(expected_token="agent-token") as stand_in:
        yield stand_in


async def test_teams_client_creates_conversations_with_its_own_token(
    channel: ChannelServiceStandIn,
) -> None:
    provider = RecordingTokenProvider("agent-token")
    client = await TeamsConnectorClient.create_client_with_auth_async(
        channel.url, AgentAuthConfiguration(), provider, "https://api.botframework.com/.default"
    )
    assert isinstance(client, TeamsConnectorClient)
    assert provider.asked == [
        ("https://api.botframework.com", ["https://api.botframework.com/.default"])
    ]
    parameters = ConversationParameters(
        is_group=False,
        members=[ChannelAccount(id="user-9")],
        tenant_id="tenant-1",
        activity=Activity(type="message", text="hello"),
    )
    async with client:
        created = await client.create_conversation(parameters)

    assert isinstance(created, ResourceResponse) and created.id
    [request] = channel.requests_to("POST", "/v3/conversations")
    assert request.authorization == "Bearer agent-token"
    assert request.json["members"] == [{"id": "user-9"}]
    assert request.json["tenantId"] == "tenant-1"
    assert [a["text"] for a in channel.activities(created.id)] == ["hello"]


async def test_teams_client_with_an_anonymous_token_sends_no_authorization() -> None:
    async with ChannelServiceStandIn() as channel:
        client = await TeamsConnectorClient.create_client_with_auth_async(
            channel.url, AgentAuthConfiguration(), RecordingTokenProvider(""), "scope"
        )
        async with client:
            await client.create_conversation(ConversationParameters(is_group=True))
        assert channel.last_request.authorization is None
    with pytest.raises(ValueError, match="scope"):
        await TeamsConnectorClient.create_client_with_auth_async(
            "https://x/", AgentAuthConfiguration(), RecordingTokenProvider("t"), ""
        )


# -- OutboundHostValidator.client ----------------------------------------------------------------


async def test_a_disabled_validator_gives_a_plain_session() -> None:
    async with ChannelServiceStandIn() as server:
        server.stub("GET", "/ping", json={"ok": True})
        session = OutboundHostValidator().client({"headers": {"X-Probe": "1"}})
        async with session, session.get(server.url + "ping") as response:
            assert response.status == 200
        assert server.last_request.headers["X-Probe"] == "1"


async def test_an_enabled_validator_session_reaches_only_admitted_hosts() -> None:
    async with ChannelServiceStandIn() as server:
        server.stub("GET", "/ping", json={"ok": True})
        local = server.url.replace("127.0.0.1", "localhost")
        server.stub("GET", "/hop", status=302, headers={"Location": local + "ping"})

        allowed = OutboundHostValidator(enabled=True, hosts=["127.0.0.1"])
        async with allowed.client() as session:
            async with session.get(server.url + "ping") as response:
                assert response.status == 200 and await response.json() == {"ok": True}
            with pytest.raises(OutboundHostRefusedError, match="localhost"):
                await session.get(server.url + "hop")  # the redirect leaves the allowed hosts
        assert [r.path for r in server.requests] == ["/ping", "/hop"]

        async with OutboundHostValidator(enabled=True).client() as session:
            with pytest.raises(OutboundHostRefusedError, match=r"127\.0\.0\.1") as refused:
                await session.get(server.url + "ping")
        assert isinstance(refused.value, ValueError) and isinstance(refused.value, HostingError)

        # An admitted name that resolves into a private network is refused too.
        by_name = OutboundHostValidator(enabled=True, hosts=["localhost"])
        assert by_name.is_allowed(local + "ping")
        async with by_name.client() as session:
            with pytest.raises(OutboundHostRefusedError, match="not a public address"):
                await session.get(local + "ping")
        assert len(server.requests) == 2  # neither refusal reached the server


async def test_session_options_are_checked() -> None:
    validator = OutboundHostValidator(enabled=True)
    with pytest.raises(ValueError, match="connector") as caught:
        validator.client({"connector": None, "timeout": None})
    assert "timeout" not in str(caught.value).split(";")[0]
    session = validator.client({"timeout": aiohttp.ClientTimeout(total=5)})
    try:
        assert session.timeout.total == 5
    finally:
        await session.close()
