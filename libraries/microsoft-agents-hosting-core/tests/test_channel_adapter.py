"""ChannelAdapter base behaviour: keys, middleware, run_pipeline, in-process proactive turns."""

from __future__ import annotations

from typing import Any

import pytest

from microsoft_agents.activity import (
    Activity,
    ChannelAccount,
    ChannelAdapterProtocol,
    ConversationAccount,
    ConversationParameters,
    ConversationReference,
    ResourceResponse,
)
from microsoft_agents.hosting.core._channel_adapter import ChannelAdapter
from microsoft_agents.hosting.core._turn_context import TurnContext
from microsoft_agents.hosting.core.authorization import ClaimsIdentity


class RecordingAdapter(ChannelAdapter):
    """The smallest concrete adapter: keeps what it is asked to deliver."""

    def __init__(self) -> None:
        super().__init__()
        self.sent: list[Activity] = []
        self.updated: list[Activity] = []
        self.deleted: list[ConversationReference] = []

    async def send_activities(
        self, context: TurnContext, activities: list[Activity]
    ) -> list[ResourceResponse]:
        self.sent.extend(activities)
        return [ResourceResponse(id=str(len(self.sent))) for _ in activities]

    async def update_activity(self, context: TurnContext, activity: Activity) -> ResourceResponse:
        self.updated.append(activity)
        return ResourceResponse(id=activity.id)

    async def delete_activity(self, context: TurnContext, reference: ConversationReference) -> None:
        self.deleted.append(reference)


def reference() -> ConversationReference:
    return ConversationReference(
        conversation=ConversationAccount(id="conv-9"),
        user=ChannelAccount(id="user-9"),
        agent=ChannelAccount(id="agent-9"),
        channel_id="msteams",
        service_url="https://smba.example/",
        activity_id="a-1",
    )


def test_keys() -> None:
    assert ChannelAdapter.AGENT_IDENTITY_KEY == "AgentIdentity"
    assert ChannelAdapter.USER_TOKEN_CLIENT_KEY == "UserTokenClient"
    assert ChannelAdapter.INVOKE_RESPONSE_KEY == "ChannelAdapter.InvokeResponse"
    assert ChannelAdapter.OAUTH_SCOPE_KEY == "Microsoft.Agents.Builder.ChannelAdapter.OAuthScope"


def test_is_abstract_and_matches_the_protocol() -> None:
    with pytest.raises(TypeError):
        ChannelAdapter()  # type: ignore[abstract]
    adapter = RecordingAdapter()
    assert isinstance(adapter, ChannelAdapterProtocol)
    assert adapter.on_turn_error is None


def test_use_adds_middleware_and_returns_self() -> None:
    class Noop:
        async def on_turn(self, context: TurnContext, logic: Any) -> None:
            await logic()

    adapter = RecordingAdapter()
    assert adapter.use(Noop()) is adapter
    assert len(adapter.middleware_set) == 1
    with pytest.raises(TypeError):
        adapter.use(object())  # type: ignore[arg-type]


async def test_run_pipeline_reraises_without_error_handler() -> None:
    adapter = RecordingAdapter()
    context = TurnContext(adapter, Activity(type="message"))

    async def fail(ctx: TurnContext) -> None:
        raise KeyError("lost")

    with pytest.raises(KeyError):
        await adapter.run_pipeline(context, fail)
    with pytest.raises(TypeError):
        await adapter.run_pipeline(None, fail)  # type: ignore[arg-type]


async def test_run_pipeline_hands_errors_to_on_turn_error() -> None:
    adapter = RecordingAdapter()
    received: list[tuple[TurnContext, Exception]] = []

    async def on_error(context: TurnContext, error: Exception) -> None:
        received.append((context, error))
        await context.send_activity(f"Exception caught : {error}")

    adapter.on_turn_error = on_error
    context = TurnContext(adapter, reference().get_continuation_activity())

    async def fail(ctx: TurnContext) -> None:
        raise ValueError("bad input")

    await adapter.run_pipeline(context, fail)
    assert received[0][0] is context and isinstance(received[0][1], ValueError)
    assert adapter.sent[0].text == "Exception caught : bad input"


async def test_run_pipeline_without_callback_runs_middleware_only() -> None:
    ran: list[str] = []

    class Mark:
        async def on_turn(self, context: TurnContext, logic: Any) -> None:
            ran.append("mw")
            await logic()

    adapter = RecordingAdapter().use(Mark())
    await adapter.run_pipeline(TurnContext(adapter, Activity(type="message")))
    assert ran == ["mw"]


async def test_continue_conversation_accepts_a_reference() -> None:
    adapter = RecordingAdapter()
    seen: list[TurnContext] = []

    async def callback(context: TurnContext) -> None:
        seen.append(context)
        await context.send_activity("proactive hello")

    await adapter.continue_conversation("app-1", reference(), callback)
    context = seen[0]
    assert context.activity.type == "event" and context.activity.name == "ContinueConversation"
    assert context.activity.conversation is not None
    assert context.activity.conversation.id == "conv-9"
    assert context.identity is not None
    assert context.identity.claims == {"aud": "app-1", "appid": "app-1"}
    assert context.turn_state[ChannelAdapter.AGENT_IDENTITY_KEY] is context.identity
    assert context.turn_state[ChannelAdapter.OAUTH_SCOPE_KEY] == "https://api.botframework.com"
    sent = adapter.sent[0]
    assert sent.text == "proactive hello" and sent.recipient is not None
    assert sent.recipient.id == "user-9" and sent.service_url == "https://smba.example/"


async def test_continue_conversation_accepts_an_activity_and_validates() -> None:
    adapter = RecordingAdapter()
    seen: list[Activity] = []

    async def callback(context: TurnContext) -> None:
        seen.append(context.activity)

    activity = reference().get_continuation_activity()
    await adapter.continue_conversation("app-1", activity, callback)
    assert seen == [activity]
    with pytest.raises(TypeError):
        await adapter.continue_conversation("app-1", "conv-9", callback)  # type: ignore[arg-type]


async def test_continue_conversation_with_claims_uses_audience() -> None:
    adapter = RecordingAdapter()
    identity = ClaimsIdentity({"aud": "me", "appid": "caller", "ver": "1.0"})
    seen: list[TurnContext] = []

    async def callback(context: TurnContext) -> None:
        seen.append(context)

    activity = reference().get_continuation_activity()
    await adapter.continue_conversation_with_claims(identity, activity, callback)
    assert seen[0].identity is identity
    assert seen[0].turn_state[ChannelAdapter.OAUTH_SCOPE_KEY] == "app://caller"
    await adapter.continue_conversation_with_claims(identity, activity, callback, "custom-aud")
    assert seen[1].turn_state[ChannelAdapter.OAUTH_SCOPE_KEY] == "custom-aud"


async def test_create_conversation_fabricates_a_conversation_update() -> None:
    adapter = RecordingAdapter()
    seen: list[TurnContext] = []

    async def callback(context: TurnContext) -> None:
        seen.append(context)

    params = ConversationParameters(
        is_group=False,
        agent=ChannelAccount(id="agent-9"),
        members=[ChannelAccount(id="user-9")],
        tenant_id="tenant-1",
        channel_data={"k": "v"},
        conversation=ConversationAccount(id="new-conv"),
    )
    await adapter.create_conversation(
        "app-1", "msteams", "https://smba.example/", "aud-1", params, callback
    )
    activity = seen[0].activity
    assert activity.type == "conversationUpdate"
    assert activity.conversation is not None and activity.conversation.id == "new-conv"
    assert activity.conversation.tenant_id == "tenant-1"
    assert activity.members_added is not None and activity.members_added[0].id == "user-9"
    assert activity.from_property is not None and activity.from_property.id == "user-9"
    assert activity.recipient is not None and activity.recipient.id == "agent-9"
    assert activity.channel_id == "msteams" and activity.service_url == "https://smba.example/"
    assert activity.channel_data == {"k": "v"}
    assert seen[0].turn_state[ChannelAdapter.OAUTH_SCOPE_KEY] == "aud-1"

    await adapter.create_conversation(
        "app-1", "msteams", "https://smba.example/", "aud-1", ConversationParameters(), callback
    )
    new_conversation = seen[1].activity.conversation
    assert new_conversation is not None and new_conversation.id not in (None, "", "new-conv")
