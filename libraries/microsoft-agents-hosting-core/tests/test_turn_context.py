"""TurnContext: construction, properties, sending, interceptors and helpers."""

from __future__ import annotations

from typing import Any, Protocol

import pytest

from microsoft_agents.activity import (
    Activity,
    ActivityTypes,
    Attachment,
    ChannelAccount,
    ConversationAccount,
    ConversationReference,
    Mention,
    ResourceResponse,
    TurnContextProtocol,
)
from microsoft_agents.hosting.core._turn_context import TurnContext, TurnServices
from microsoft_agents.hosting.core.authorization import ClaimsIdentity
from microsoft_agents.hosting.core.testing import TestAdapter


def incoming(**fields: Any) -> Activity:
    data: dict[str, Any] = {
        "type": "message",
        "id": "in-1",
        "text": "hello",
        "channel_id": "test",
        "service_url": "https://svc.example/",
        "conversation": ConversationAccount(id="conv-1"),
        "from_property": ChannelAccount(id="user-1", name="User"),
        "recipient": ChannelAccount(id="agent-1", name="Agent"),
        "locale": "fr-FR",
    }
    data.update(fields)
    return Activity(**data)


def make_context(adapter: TestAdapter | None = None, **fields: Any) -> TurnContext:
    return TurnContext(adapter or TestAdapter(), incoming(**fields))


# -- construction ----------------------------------------------------------------------------------


def test_requires_adapter_and_activity() -> None:
    with pytest.raises(TypeError):
        TurnContext(None, incoming())  # type: ignore[arg-type]
    with pytest.raises(TypeError):
        TurnContext(TestAdapter(), None)
    with pytest.raises(TypeError):
        TurnContext(TestAdapter(), {"type": "message"})  # type: ignore[arg-type]


def test_identity_is_kept() -> None:
    identity = ClaimsIdentity({"aud": "x"})
    context = TurnContext(TestAdapter(), incoming(), identity)
    assert context.identity is identity
    assert TurnContext(TestAdapter(), incoming()).identity is None


def test_copy_shares_turn_parts_but_not_turn_state() -> None:
    identity = ClaimsIdentity({"aud": "x"})
    original = TurnContext(TestAdapter(), incoming(), identity)
    original.responded = True
    original.services.set(str, "service")
    original.turn_state["k"] = 1

    async def hook(ctx: TurnContext, arg: Any, next_: Any) -> Any:
        return await next_()

    original.on_send_activities(hook).on_update_activity(hook).on_delete_activity(hook)

    copy = TurnContext(original)
    assert copy.adapter is original.adapter
    assert copy.activity is original.activity
    assert copy.identity is identity
    assert copy.responded is True
    assert copy.services.get(str) == "service"
    assert copy.buffered_reply_activities is original.buffered_reply_activities
    assert copy.turn_state == {}
    assert copy._on_send == [hook] and copy._on_update == [hook] and copy._on_delete == [hook]
    # hooks registered on the copy stay on the copy
    copy.on_send_activities(hook)
    assert len(original._on_send) == 1


def test_activity_setter_checks_type() -> None:
    context = make_context()
    replacement = incoming(text="other")
    context.activity = replacement
    assert context.activity is replacement
    with pytest.raises(TypeError):
        context.activity = "not an activity"  # type: ignore[assignment]


def test_responded_accepts_only_true() -> None:
    context = make_context()
    assert context.responded is False
    with pytest.raises(ValueError):
        context.responded = False
    context.responded = True
    assert context.responded is True


def test_turn_state_is_per_context() -> None:
    adapter = TestAdapter()
    first, second = make_context(adapter), make_context(adapter)
    first.turn_state["x"] = 1
    assert second.turn_state == {}


def test_satisfies_the_activity_protocol() -> None:
    assert isinstance(make_context(), TurnContextProtocol)


# -- services --------------------------------------------------------------------------------------


class _Greeter(Protocol):
    def greet(self) -> str: ...


class _Client:
    pass


def test_services_get_has_set() -> None:
    services = TurnServices()
    assert services.get(_Client) is None
    assert not services.has(_Client)
    client = _Client()
    services.set(_Client, client)
    assert services.has(_Client) and _Client in services
    assert services.get(_Client) is client
    services.remove(_Client)
    assert not services.has(_Client)


def test_services_are_type_checked() -> None:
    services = TurnServices()
    with pytest.raises(TypeError, match="_Client"):
        services.set(_Client, "not a client")
    services._items[_Client] = 42  # simulate a bad registration
    with pytest.raises(TypeError):
        services.get(_Client)


def test_protocol_keys_are_not_type_checked() -> None:
    services = TurnServices()
    services.set(_Greeter, object())
    assert services.get(_Greeter) is not None  # type: ignore[type-abstract]


def test_streaming_response_is_created_once() -> None:
    streaming = pytest.importorskip("microsoft_agents.hosting.core.app.streaming")
    context = make_context()
    first = context.streaming_response
    assert isinstance(first, streaming.StreamingResponse)
    assert context.streaming_response is first


# -- sending ---------------------------------------------------------------------------------------


async def test_send_text_builds_an_accepting_input_message() -> None:
    adapter = TestAdapter()
    context = make_context(adapter)
    response = await context.send_activity("hi", speak="hi!")
    sent = adapter.sent_activities[-1]
    assert sent.type == "message" and sent.text == "hi" and sent.speak == "hi!"
    assert sent.input_hint == "acceptingInput"
    assert response.id == sent.id and response.id
    await context.send_activity("wait", input_hint="expectingInput")
    assert adapter.sent_activities[-1].input_hint == "expectingInput"


async def test_send_activity_applies_speak_and_hint_to_an_activity_copy() -> None:
    adapter = TestAdapter()
    context = make_context(adapter)
    original = Activity(type="message", text="x")
    await context.send_activity(original, speak="s", input_hint="ignoringInput")
    sent = adapter.sent_activities[-1]
    assert (sent.speak, sent.input_hint) == ("s", "ignoringInput")
    assert original.speak is None and original.input_hint is None


async def test_send_activities_addresses_replies_and_leaves_originals_alone() -> None:
    seen: list[Activity] = []

    async def spy(ctx: TurnContext, activities: list[Activity], next_: Any) -> Any:
        seen.extend(activities)
        return await next_()

    context = make_context().on_send_activities(spy)
    original = Activity(type="message", id="mine", text="reply", input_hint="ignoringInput")
    await context.send_activities([original, Activity(type="typing")])

    first, second = seen
    assert first is not original and original.id == "mine" and original.conversation is None
    assert first.id is None and "id" not in first.model_fields_set
    assert first.channel_id == "test" and first.service_url == "https://svc.example/"
    assert first.conversation is not None and first.conversation.id == "conv-1"
    assert first.locale == "fr-FR"
    assert first.from_property is not None and first.from_property.id == "agent-1"
    assert first.recipient is not None and first.recipient.id == "user-1"
    assert first.reply_to_id == "in-1"
    assert first.input_hint == "ignoringInput"
    assert second.input_hint == "acceptingInput"
    assert "id" not in first.model_dump(mode="json", by_alias=True, exclude_unset=True)


async def test_send_activities_deep_copies_nested_values() -> None:
    adapter = TestAdapter()
    context = make_context(adapter)
    card = Attachment(content_type="application/json", content={"rows": [1]})
    original = Activity(type="message", value={"n": [1]}, attachments=[card])
    await context.send_activities([original])
    sent = adapter.sent_activities[-1]
    sent.value["n"].append(2)
    assert sent.attachments is not None
    sent.attachments[0].content["rows"].append(2)
    sent.attachments[0].name = "renamed"
    assert original.value == {"n": [1]}
    assert card.content == {"rows": [1]} and card.name is None


async def test_send_returns_empty_response_when_suppressed() -> None:
    adapter = TestAdapter()

    async def swallow(ctx: TurnContext, activities: list[Activity], next_: Any) -> Any:
        return None

    context = make_context(adapter).on_send_activities(swallow)
    response = await context.send_activity("dropped")
    assert response == ResourceResponse()
    assert await context.send_activities([Activity(type="message")]) == []
    assert adapter.sent_activities == []
    assert context.responded is False


async def test_responded_set_only_by_non_trace_activities() -> None:
    context = make_context()
    await context.send_trace_activity("t")
    assert context.responded is False
    await context.send_activity("real")
    assert context.responded is True


async def test_send_trace_activity() -> None:
    adapter = TestAdapter()
    context = make_context(adapter)
    await context.send_trace_activity("Error", "boom", "error", "OnTurnError")
    trace = adapter.sent_activities[-1]
    assert trace.type == ActivityTypes.trace
    assert (trace.name, trace.value, trace.value_type, trace.label) == (
        "Error",
        "boom",
        "error",
        "OnTurnError",
    )
    assert trace.timestamp is not None
    assert trace.recipient is not None and trace.recipient.id == "user-1"


# -- interceptors ----------------------------------------------------------------------------------


async def test_send_interceptors_run_in_registration_order_around_delivery() -> None:
    adapter = TestAdapter()
    order: list[str] = []

    def make(name: str) -> Any:
        async def hook(ctx: TurnContext, activities: list[Activity], next_: Any) -> Any:
            order.append(f"{name} before")
            result = await next_()
            order.append(f"{name} after ({len(adapter.sent_activities)} sent)")
            return result

        return hook

    context = make_context(adapter).on_send_activities(make("a")).on_send_activities(make("b"))
    response = await context.send_activity("x")
    assert order == ["a before", "b before", "b after (1 sent)", "a after (1 sent)"]
    assert response.id == adapter.sent_activities[0].id


async def test_send_interceptor_can_change_activities_and_stop_the_chain() -> None:
    adapter = TestAdapter()
    later_ran = False

    async def rewrite(ctx: TurnContext, activities: list[Activity], next_: Any) -> Any:
        activities[0].text = (activities[0].text or "").upper()
        activities.append(Activity(type="message", text="extra"))
        return await next_()

    async def stop(ctx: TurnContext, activities: list[Activity], next_: Any) -> Any:
        return [ResourceResponse(id="fake")]

    async def later(ctx: TurnContext, activities: list[Activity], next_: Any) -> Any:
        nonlocal later_ran
        later_ran = True
        return await next_()

    context = make_context(adapter).on_send_activities(rewrite)
    await context.send_activity("loud")
    assert [a.text for a in adapter.sent_activities] == ["LOUD", "extra"]

    context2 = make_context(adapter).on_send_activities(stop).on_send_activities(later)
    assert (await context2.send_activity("x")).id == "fake"
    assert later_ran is False and len(adapter.sent_activities) == 2


async def test_update_activity_addresses_and_runs_hooks() -> None:
    adapter = TestAdapter()
    seen: list[Activity] = []

    async def hook(ctx: TurnContext, activity: Activity, next_: Any) -> Any:
        seen.append(activity)
        return await next_()

    context = make_context(adapter).on_update_activity(hook)
    response = await context.update_activity(Activity(type="message", id="7", text="new"))
    assert response is not None and response.id == "7"
    updated = adapter.updated_activities[0]
    assert updated.text == "new" and updated.conversation is not None
    assert updated.conversation.id == "conv-1"
    assert seen[0].id == "7"


async def test_update_interceptor_can_suppress() -> None:
    adapter = TestAdapter()

    async def block(ctx: TurnContext, activity: Activity, next_: Any) -> Any:
        return None

    context = make_context(adapter).on_update_activity(block)
    assert await context.update_activity(Activity(type="message", id="7")) is None
    assert adapter.updated_activities == []


async def test_delete_by_id_uses_the_current_conversation() -> None:
    adapter = TestAdapter()
    seen: list[ConversationReference] = []

    async def hook(ctx: TurnContext, reference: ConversationReference, next_: Any) -> None:
        seen.append(reference)
        await next_()

    context = make_context(adapter).on_delete_activity(hook)
    await context.delete_activity("42")
    reference = adapter.deleted_activities[0]
    assert reference.activity_id == "42" and reference.conversation.id == "conv-1"
    assert seen[0].activity_id == "42"


async def test_delete_by_reference_and_suppression() -> None:
    adapter = TestAdapter()
    reference = ConversationReference(
        conversation=ConversationAccount(id="elsewhere"), activity_id="9"
    )
    await make_context(adapter).delete_activity(reference)
    assert adapter.deleted_activities[0].conversation.id == "elsewhere"

    async def block(ctx: TurnContext, ref: ConversationReference, next_: Any) -> None:
        return None

    await make_context(adapter).on_delete_activity(block).delete_activity("1")
    assert len(adapter.deleted_activities) == 1


# -- static helpers --------------------------------------------------------------------------------


def test_static_reference_helpers() -> None:
    activity = incoming()
    reference = activity.get_conversation_reference()
    reply = Activity(type="message", text="r")
    assert TurnContext.apply_conversation_reference(reply, reference) is reply
    assert reply.reply_to_id == "in-1" and reply.recipient is not None
    assert reply.recipient.id == "user-1"
    back = Activity(type="message")
    TurnContext.apply_conversation_reference(back, reference, is_incoming=True)
    assert back.id == "in-1" and back.from_property is not None
    assert back.from_property.id == "user-1"
    pointed = TurnContext.get_reply_conversation_reference(activity, ResourceResponse(id="r-1"))
    assert pointed.activity_id == "r-1" and pointed.conversation.id == "conv-1"


def test_static_mention_helpers() -> None:
    agent = ChannelAccount(id="agent-1", name="Agent")
    other = ChannelAccount(id="u-2", name="Bob")
    activity = incoming(
        text="<at>Agent</at> hi <at>Bob</at>",
        entities=[
            Mention(mentioned=agent, text="<at>Agent</at>"),
            Mention(mentioned=other, text="<at>Bob</at>"),
        ],
    )
    assert [m.mentioned.id for m in TurnContext.get_mentions(activity) if m.mentioned] == [
        "agent-1",
        "u-2",
    ]
    assert TurnContext.remove_recipient_mention(activity) == "hi <at>Bob</at>"
    assert TurnContext.remove_mention_text(activity, "u-2") == "hi"
