"""AgentApplication rules (spec §6, §14, §15, §16) not pinned down elsewhere, and the bad-input
contract: a failing turn reaches the error handlers without saving half its state, and an
activity that lacks an id a state scope needs fails with an error naming that id."""

from __future__ import annotations

import re
import warnings
from typing import Any

import pytest

from microsoft_agents.activity import (
    ActivityTypes,
    ChannelAccount,
    ConversationAccount,
    ConversationParameters,
    ConversationUpdateTypes,
    MessageReactionTypes,
    MessageUpdateTypes,
    TokenResponse,
)
from microsoft_agents.hosting.core import (
    AgentApplication,
    ApplicationError,
    ApplicationOptions,
    Authorization,
    MemoryStorage,
    TurnContext,
    TurnState,
)
from microsoft_agents.hosting.core.app import (
    Conversation,
    CreateConversationOptions,
    ProactiveOptions,
    RouteRank,
)
from microsoft_agents.hosting.core.authorization import ClaimsIdentity
from microsoft_agents.hosting.core.errors import HostingError
from microsoft_agents.hosting.core.testing import TestAdapter

App = AgentApplication[TurnState]
CONVERSATION_KEY = "test/conversations/test-conversation"
USER_KEY = "test/users/user1"


class Connections:
    """Stands in for a connection manager: configuration only stores it."""


# -- construction and options (§6) -----------------------------------------------------------


def test_an_adapter_option_is_kept_without_warnings() -> None:
    # The seeds pass adapter= as the normal way to build an app; it is supported, not deprecated.
    adapter = TestAdapter()
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        app = App(storage=MemoryStorage(), adapter=adapter)
        via_options: App = AgentApplication(
            ApplicationOptions(storage=MemoryStorage(), adapter=adapter)
        )
        App(storage=MemoryStorage())
    assert app.adapter is adapter
    assert via_options.adapter is adapter


def test_application_options_defaults() -> None:
    options = ApplicationOptions()
    assert options.adapter is None
    assert options.bot_app_id == ""
    assert options.storage is None
    assert options.remove_recipient_mention is True
    assert options.start_typing_timer is True
    assert options.typing is None
    assert options.long_running_messages is False
    assert options.file_downloaders == []
    assert options.turn_state_factory is None
    assert options.authorization_handlers is None
    assert options.proactive is None
    assert ApplicationOptions().file_downloaders is not options.file_downloaders


def test_application_error_carries_its_message() -> None:
    error = ApplicationError("misconfigured")
    assert isinstance(error, HostingError) and isinstance(error, Exception)
    assert str(error) == "misconfigured" and error.message == "misconfigured"


# -- route registration (§6.1, §15) ----------------------------------------------------------


async def _handler(context: TurnContext, state: TurnState) -> None:
    return None


async def _card_handler(context: TurnContext, state: TurnState, data: Any) -> None:
    return None


async def _sign_in_handler(context: TurnContext, state: TurnState, handler_id: str) -> None:
    return None


def test_every_registration_returns_the_function_unchanged() -> None:
    app = App(storage=MemoryStorage())
    registrations = [
        app.activity("message"),
        app.message("x"),
        app.message(re.compile("x")),
        app.message(),
        app.event("e"),
        app.invoke("i"),
        app.conversation_update("membersAdded"),
        app.members_added(),
        app.members_removed(),
        app.installation_update(),
        app.end_of_conversation(),
        app.message_reaction("reactionsAdded"),
        app.message_reaction_added(),
        app.message_reactions_removed(),
        app.message_update("editMessage"),
        app.before_turn,
        app.after_turn,
        app.error,
    ]
    for register in registrations:
        assert register(_handler) is _handler
    for card_register in (
        app.adaptive_card.action_execute("v"),
        app.adaptive_card.action_submit("v"),
        app.adaptive_card.search("d"),
    ):
        assert card_register(_card_handler) is _card_handler
    assert app.on_sign_in_success(_sign_in_handler) is _sign_in_handler
    assert app.on_sign_in_failure(_sign_in_handler) is _sign_in_handler


async def test_route_keywords_reach_add_route() -> None:
    app = App(storage=MemoryStorage())
    adapter = TestAdapter(app)
    ran: list[str] = []

    def record(name: str) -> Any:
        async def handle(context: TurnContext, state: TurnState) -> None:
            ran.append(name)

        return handle

    app.activity("message")(record("plain"))
    app.message("x", is_agentic=True)(record("agentic"))
    app.activity("message", rank=RouteRank.FIRST, channel_id="webchat")(record("webchat"))
    app.event("ping", channel_id="msteams")(record("teams-event"))

    await adapter.process_activity("x")
    await adapter.process_activity(
        {"type": "message", "text": "x", "recipient": {"id": "a", "role": "agenticAppInstance"}}
    )
    await adapter.process_activity({"type": "message", "text": "x", "channelId": "webchat"})
    await adapter.process_activity({"type": "event", "name": "ping", "channelId": "msteams"})
    await adapter.process_activity({"type": "event", "name": "ping", "channelId": "webchat"})
    assert ran == ["plain", "agentic", "webchat", "teams-event"]


async def test_message_text_counts_as_empty_when_missing() -> None:
    app = App(storage=MemoryStorage())
    adapter = TestAdapter(app)
    ran: list[str] = []

    @app.message("")
    async def empty(context: TurnContext, state: TurnState) -> None:
        ran.append("empty")

    @app.message(re.compile(r"x*"))
    async def xs(context: TurnContext, state: TurnState) -> None:
        ran.append("xs")

    await adapter.process_activity({"type": "message"})
    await adapter.process_activity({"type": "message", "text": "xx"})
    await adapter.process_activity({"type": "message", "text": "y"})
    assert ran == ["empty", "xs"]


async def test_selector_kinds_accept_their_enums() -> None:
    app = App(storage=MemoryStorage())
    adapter = TestAdapter(app)
    ran: list[str] = []

    def record(name: str) -> Any:
        async def handle(context: TurnContext, state: TurnState) -> None:
            ran.append(name)

        return handle

    app.conversation_update(ConversationUpdateTypes.MEMBERS_REMOVED)(record("removed"))
    app.conversation_update(ConversationUpdateTypes.CHANNEL_CREATED)(record("created"))
    app.message_update(MessageUpdateTypes.SOFT_DELETE_MESSAGE)(record("deleted"))
    app.message_reaction(MessageReactionTypes.REACTIONS_REMOVED)(record("unreacted"))
    app.activity([ActivityTypes.typing])(record("typing"))

    await adapter.process_activity({"type": "conversationUpdate", "membersRemoved": [{"id": "u"}]})
    await adapter.process_activity(
        {"type": "conversationUpdate", "channelData": {"eventType": "channelCreated"}}
    )
    await adapter.process_activity(
        {"type": "messageDelete", "channelData": {"eventType": "softDeleteMessage"}}
    )
    await adapter.process_activity({"type": "messageReaction", "reactionsRemoved": [{"type": "x"}]})
    await adapter.process_activity({"type": "typing"})
    assert ran == ["removed", "created", "deleted", "unreacted", "typing"]


@pytest.mark.parametrize("signed_in", [False, True])
async def test_adaptive_card_routes_honour_auth_handlers(signed_in: bool) -> None:
    app = App(
        storage=MemoryStorage(),
        connection_manager=Connections(),
        authorization_handlers={"GRAPH": _auth_handler()},
    )
    ran: list[Any] = []
    errors: list[Exception] = []

    @app.before_turn
    async def sign_in(context: TurnContext, state: TurnState) -> bool:
        if signed_in:
            Authorization._cache_token(context, "GRAPH", TokenResponse(token="t"))
        return True

    @app.adaptive_card.action_submit("save", auth_handlers=["GRAPH"])
    async def save(context: TurnContext, state: TurnState, data: Any) -> None:
        ran.append(data)

    @app.error
    async def on_error(context: TurnContext, error: Exception) -> None:
        errors.append(error)

    await TestAdapter(app).process_activity({"type": "message", "value": {"verb": "save"}})
    if signed_in:
        assert ran == [{"verb": "save"}] and errors == []
    else:
        # without a token the handler never runs (the sign-in flow takes over)
        assert ran == [] and len(errors) == 1


def _auth_handler() -> Any:
    from microsoft_agents.hosting.core import AuthHandler

    return AuthHandler(name="GRAPH", abs_oauth_connection_name="graph")


# -- bad input: a failing turn (§6.2) --------------------------------------------------------


def seeded_app(**kwargs: Any) -> tuple[App, dict[str, Any]]:
    documents: dict[str, Any] = {
        CONVERSATION_KEY: {"count": 1, "history": ["first"]},
        USER_KEY: {"name": "Ada"},
    }
    app = App(storage=MemoryStorage(documents), **kwargs)

    @app.activity("message")
    async def half_way(context: TurnContext, state: TurnState) -> None:
        state.conversation.set_value("count", 2)
        state.conversation.get_value("history").append("second")
        state.user.set_value("name", "changed")
        await context.send_activity("working on it")
        raise RuntimeError("the handler failed half-way")

    return app, documents


UNCHANGED = {CONVERSATION_KEY: {"count": 1, "history": ["first"]}, USER_KEY: {"name": "Ada"}}


async def test_a_failing_handler_reaches_the_error_handler_and_saves_nothing() -> None:
    app, documents = seeded_app()
    received: list[Exception] = []

    @app.error
    async def on_error(context: TurnContext, error: Exception) -> None:
        received.append(error)
        await context.send_activity("Sorry, that failed.")

    replies = await TestAdapter(app).process_activity("go")
    assert [type(e) for e in received] == [RuntimeError]
    assert str(received[0]) == "the handler failed half-way"
    assert [r.text for r in replies] == ["working on it", "Sorry, that failed."]
    assert documents == UNCHANGED


async def test_a_failing_handler_reaches_on_turn_error_and_saves_nothing() -> None:
    app, documents = seeded_app()
    received: list[Exception] = []

    async def on_turn_error(context: TurnContext, error: Exception) -> None:
        received.append(error)
        await context.send_trace_activity("OnTurnError Trace", str(error))

    replies = await TestAdapter(app, on_turn_error=on_turn_error).process_activity("go")
    assert [str(e) for e in received] == ["the handler failed half-way"]
    assert [r.type for r in replies] == ["message", "trace"]
    assert documents == UNCHANGED


async def test_without_error_handlers_the_caller_gets_the_original_exception() -> None:
    app, documents = seeded_app()
    adapter = TestAdapter(app)
    with pytest.raises(RuntimeError, match="half-way") as raised:
        await adapter.process_activity("go")
    assert type(raised.value) is RuntimeError
    assert documents == UNCHANGED
    # the failed turn leaves nothing behind: the next turn starts from the stored state
    seen: list[Any] = []

    @app.message("read", rank=RouteRank.FIRST)
    async def read(context: TurnContext, state: TurnState) -> None:
        seen.append((state.conversation.get_value("count"), state.user.get_value("name")))

    await adapter.process_activity("read")
    assert seen == [(1, "Ada")]


# -- bad input: ids a state scope needs (§7.2) -----------------------------------------------


class StripIds:
    """Middleware standing in for a channel that left an id out of the activity."""

    def __init__(self, what: str) -> None:
        self.what = what

    async def on_turn(self, context: TurnContext, logic: Any) -> None:
        activity = context.activity
        if self.what == "channel_id":
            activity.channel_id = None
        elif self.what == "conversation.id":
            activity.conversation = None
        await logic()


MISSING = [
    ("conversation.id", "ConversationState", "hi"),
    ("channel_id", "ConversationState", "hi"),
    ("from.id", "UserState", {"type": "message", "text": "hi", "from": {"name": "anonymous"}}),
]


@pytest.mark.parametrize(("missing", "scope", "incoming"), MISSING)
async def test_a_missing_state_id_reaches_the_error_handler_naming_it(
    missing: str, scope: str, incoming: Any
) -> None:
    documents: dict[str, Any] = {}
    app = App(storage=MemoryStorage(documents))
    ran: list[str] = []
    errors: list[Exception] = []

    @app.activity("message")
    async def on_message(context: TurnContext, state: TurnState) -> None:
        ran.append("route")

    @app.error
    async def on_error(context: TurnContext, error: Exception) -> None:
        errors.append(error)

    adapter = TestAdapter(app).use(StripIds(missing))
    assert await adapter.process_activity(incoming) == []
    assert ran == [] and documents == {}
    assert len(errors) == 1 and isinstance(errors[0], ValueError)
    message = str(errors[0])
    assert f"{scope} storage key: the activity has no {missing}." in message


@pytest.mark.parametrize(("missing", "scope", "incoming"), MISSING)
async def test_a_missing_state_id_without_handlers_fails_the_call(
    missing: str, scope: str, incoming: Any
) -> None:
    app = App(storage=MemoryStorage())
    app.activity("message")(_handler)
    adapter = TestAdapter(app).use(StripIds(missing))
    with pytest.raises(ValueError, match=re.escape(f"{scope} storage key")) as raised:
        await adapter.process_activity(incoming)
    assert missing in str(raised.value)


# -- proactive (§14) -------------------------------------------------------------------------


def test_proactive_options_defaults() -> None:
    options = ProactiveOptions()
    assert options.storage is None
    assert options.fail_on_unsigned_in_connections is True


def test_create_conversation_options_need_an_identity() -> None:
    options = CreateConversationOptions(
        None,  # type: ignore[arg-type]
        "msteams",
        ConversationParameters(),
        "https://smba.example/",
    )
    with pytest.raises(ValueError, match="identity"):
        options.validate()
    defaults = CreateConversationOptions(ClaimsIdentity({"aud": "a"}))
    assert (defaults.channel_id, defaults.parameters, defaults.service_url) == ("", None, None)
    assert (defaults.audience, defaults.store_conversation) == (None, False)


def test_claims_from_identity_keeps_only_the_listed_claims() -> None:
    claims = {
        "aud": "a",
        "azp": "b",
        "appid": "c",
        "idtyp": "app",
        "ver": "2.0",
        "iss": "https://issuer/",
        "tid": "t",
        "name": "someone",
        "upn": "someone@example.com",
        "exp": 1,
    }
    kept = Conversation.claims_from_identity(ClaimsIdentity(claims))
    assert kept == {k: claims[k] for k in ("aud", "azp", "appid", "idtyp", "ver", "iss", "tid")}


async def test_store_conversation_accepts_a_conversation_object() -> None:
    documents: dict[str, Any] = {}
    app = App(storage=MemoryStorage(documents), proactive=ProactiveOptions())
    adapter = TestAdapter(app)
    reference = adapter.conversation_reference
    reference.user = ChannelAccount(id="user1")
    await app.proactive.store_conversation(Conversation({"aud": "agent1"}, reference))
    assert documents["proactive/conversations/test-conversation"]["claims"] == {"aud": "agent1"}
    sent = await app.proactive.send_activity(adapter, "test-conversation", "hello again")
    assert sent is not None and adapter.sent_activities[-1].text == "hello again"


async def test_create_conversation_without_a_handler_returns_the_conversation() -> None:
    documents: dict[str, Any] = {}
    app = App(storage=MemoryStorage(documents), proactive=ProactiveOptions())
    adapter = TestAdapter(app)
    identity = ClaimsIdentity({"aud": "agent1", "appid": "agent1"})
    options = CreateConversationOptions(
        identity,
        "msteams",
        ConversationParameters(conversation=ConversationAccount(id="fresh")),
        "https://smba.example/",
        store_conversation=True,
    )
    conversation = await app.proactive.create_conversation(adapter, options)
    assert isinstance(conversation, Conversation)
    assert conversation.conversation_id == "fresh"
    assert conversation.conversation_reference.service_url == "https://smba.example/"
    assert set(documents) == {"proactive/conversations/fresh"}  # no turn state was saved
