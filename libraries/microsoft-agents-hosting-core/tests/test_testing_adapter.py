"""TestAdapter and TestFlow: the in-process channel users unit-test their agents with."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest

from microsoft_agents.activity import (
    Activity,
    ChannelAccount,
    ConversationAccount,
    ConversationParameters,
    InvokeResponse,
)
from microsoft_agents.hosting.core._activity_handler import ActivityHandler
from microsoft_agents.hosting.core._channel_adapter import ChannelAdapter
from microsoft_agents.hosting.core._turn_context import TurnContext
from microsoft_agents.hosting.core.authorization import ClaimsIdentity
from microsoft_agents.hosting.core.testing import TestAdapter, TestFlow


async def echo(context: TurnContext) -> None:
    await context.send_activity(f"Echo: {context.activity.text}")


class EchoAgent(ActivityHandler):
    async def on_message_activity(self, turn_context: TurnContext) -> None:
        await turn_context.send_activity(f"Echo: {turn_context.activity.text}")


def test_not_collected_by_pytest() -> None:
    assert TestAdapter.__test__ is False and TestFlow.__test__ is False


# -- turns -----------------------------------------------------------------------------------------


async def test_process_activity_returns_the_turn_replies() -> None:
    adapter = TestAdapter(EchoAgent())
    replies = await adapter.process_activity("hi")
    assert [r.text for r in replies] == ["Echo: hi"]
    assert adapter.sent_activities == replies


async def test_accepts_function_logic_and_per_call_logic() -> None:
    adapter = TestAdapter(echo)
    assert (await adapter.process_activity("a"))[0].text == "Echo: a"

    async def other(context: TurnContext) -> None:
        await context.send_activity("other")

    assert (await adapter.process_activity("b", other))[0].text == "other"
    assert (await adapter.process_activity("c", EchoAgent()))[0].text == "Echo: c"


async def test_without_agent_or_with_a_non_agent() -> None:
    with pytest.raises(TypeError):
        await TestAdapter().process_activity("hi")
    with pytest.raises(TypeError):
        TestAdapter(42)


async def test_incoming_activities_are_completed_like_a_channel() -> None:
    seen: list[Activity] = []

    async def capture(context: TurnContext) -> None:
        seen.append(context.activity)

    adapter = TestAdapter(capture)
    given = Activity(type="message", text="x")
    await adapter.process_activity(given)
    await adapter.process_activity({"type": "event", "name": "ping", "locale": "de-DE"})
    first, second = seen
    assert given.id is None and given.conversation is None  # the caller's object is untouched
    assert first.id and second.id and first.id != second.id
    assert first.timestamp is not None and first.timestamp.tzinfo is not None
    assert first.local_timestamp is not None
    assert first.channel_id == "test" and first.service_url == "https://test.channel.local/"
    assert first.conversation is not None and first.conversation.id == "test-conversation"
    assert first.from_property is not None and first.from_property.id == "user1"
    assert first.recipient is not None and first.recipient.id == "agent1"
    assert first.locale == "en-US" and second.locale == "de-DE"
    assert second.type == "event" and second.name == "ping"


async def test_template_and_constructor_settings() -> None:
    seen: list[Activity] = []

    async def capture(context: TurnContext) -> None:
        seen.append(context.activity)

    adapter = TestAdapter(
        capture,
        channel_id="msteams",
        conversation_id="c-1",
        user=ChannelAccount(id="u-7", name="Uma"),
        agent=ChannelAccount(id="a-7", name="Bot"),
        template=Activity(type="message", channel_data={"tenant": {"id": "t"}}, locale="nl-NL"),
    )
    await adapter.process_activity("x")
    activity = seen[0]
    assert activity.channel_id == "msteams"
    assert activity.conversation is not None and activity.conversation.id == "c-1"
    assert activity.from_property is not None and activity.from_property.name == "Uma"
    assert activity.recipient is not None and activity.recipient.id == "a-7"
    assert activity.channel_data == {"tenant": {"id": "t"}} and activity.locale == "nl-NL"
    reference = adapter.conversation_reference
    assert reference.conversation.id == "c-1" and reference.user is not None
    assert reference.user.id == "u-7"


async def test_turns_carry_a_channel_like_identity_and_services() -> None:
    class TokenClient:
        pass

    class UserTokenClientBase:  # stands for the real base class until it exists
        pass

    token_client, user_tokens = TokenClient(), UserTokenClientBase()
    seen: list[TurnContext] = []

    async def capture(context: TurnContext) -> None:
        seen.append(context)

    adapter = TestAdapter(
        capture, services={TokenClient: token_client, UserTokenClientBase: user_tokens}
    )
    await adapter.process_activity("x")
    context = seen[0]
    identity = context.identity
    assert identity is not None and not identity.allow_anonymous
    assert identity.get_app_id() == "agent1" and not identity.is_agent_claim()
    assert context.turn_state[ChannelAdapter.AGENT_IDENTITY_KEY] is identity
    assert context.turn_state[ChannelAdapter.OAUTH_SCOPE_KEY] == "https://api.botframework.com"
    assert context.services.get(TokenClient) is token_client
    assert context.turn_state[ChannelAdapter.USER_TOKEN_CLIENT_KEY] is user_tokens

    anonymous = TestAdapter(capture, identity=ClaimsIdentity())
    await anonymous.process_activity("x")
    assert seen[1].identity is not None and seen[1].identity.allow_anonymous


async def test_sent_activities_get_ids_and_timestamps() -> None:
    async def two(context: TurnContext) -> None:
        first = await context.send_activity("one")
        second = await context.send_activity(Activity(type="typing"))
        context.turn_state["ids"] = (first.id, second.id)

    adapter = TestAdapter(two)
    replies = await adapter.process_activity("x")
    assert [r.id for r in replies] == [r.id for r in adapter.sent_activities]
    assert len({r.id for r in replies}) == 2
    assert all(r.timestamp is not None for r in replies)
    assert replies[0].reply_to_id is not None


async def test_turn_errors_propagate_or_reach_on_turn_error() -> None:
    async def broken(context: TurnContext) -> None:
        raise RuntimeError("kaput")

    with pytest.raises(RuntimeError, match="kaput"):
        await TestAdapter(broken).process_activity("x")

    async def on_error(context: TurnContext, error: Exception) -> None:
        await context.send_activity(f"Exception caught : {error}")
        await context.send_trace_activity("OnTurnError Trace", str(error), label="TurnError")

    adapter = TestAdapter(broken, on_turn_error=on_error)
    replies = await adapter.process_activity("x")
    assert [(r.type, r.text) for r in replies] == [
        ("message", "Exception caught : kaput"),
        ("trace", None),
    ]


async def test_concurrent_turns_keep_their_replies_apart() -> None:
    async def slow_echo(context: TurnContext) -> None:
        await asyncio.sleep(0.01 if context.activity.text == "a" else 0)
        await context.send_activity(f"Echo: {context.activity.text}")

    adapter = TestAdapter(slow_echo)
    first, second = await asyncio.gather(
        adapter.process_activity("a"), adapter.process_activity("b")
    )
    assert [r.text for r in first] == ["Echo: a"]
    assert [r.text for r in second] == ["Echo: b"]


# -- expectReplies and invokes ---------------------------------------------------------------------


async def test_expect_replies_are_buffered_and_returned() -> None:
    buffers: list[list[Activity]] = []

    async def agent(context: TurnContext) -> None:
        await context.send_activity("one")
        await context.send_activity("two")
        buffers.append(context.buffered_reply_activities)

    adapter = TestAdapter(agent)
    replies = await adapter.process_activity(
        {"type": "message", "text": "x", "deliveryMode": "expectReplies"}
    )
    assert [r.text for r in replies] == ["one", "two"]
    assert [r.text for r in buffers[0]] == ["one", "two"]
    response = adapter.last_invoke_response
    assert response is not None and response.status == 200
    assert [a["text"] for a in response.body["activities"]] == ["one", "two"]
    assert response.body["activities"][0]["type"] == "message"
    # delivered to the reply queue once the turn has answered
    assert [a.text for a in adapter.pending_replies] == ["one", "two"]

    await adapter.process_activity("normal")
    assert adapter.last_invoke_response is None


async def test_invoke_response_is_captured_not_replied() -> None:
    async def agent(context: TurnContext) -> None:
        await context.send_activity("working on it")
        await context.send_activity(
            Activity(type="invokeResponse", value={"status": 200, "body": {"ok": True}})
        )

    adapter = TestAdapter(agent)
    replies = await adapter.process_activity({"type": "invoke", "name": "x"})
    assert [r.text for r in replies] == ["working on it"]
    assert adapter.last_invoke_response == InvokeResponse(status=200, body={"ok": True})


async def test_invoke_without_response_is_501() -> None:
    adapter = TestAdapter(echo)
    await adapter.process_activity({"type": "invoke", "name": "x"})
    assert adapter.last_invoke_response == InvokeResponse(status=501)


# -- update / delete -------------------------------------------------------------------------------


async def test_updates_and_deletes_are_recorded() -> None:
    async def agent(context: TurnContext) -> None:
        sent = await context.send_activity("draft")
        edit = Activity(type="message", id=sent.id, text="final")
        await context.update_activity(edit)
        await context.delete_activity(sent.id or "")

    adapter = TestAdapter(agent)
    replies = await adapter.process_activity("x")
    assert adapter.updated_activities[0].text == "final"
    assert adapter.updated_activities[0].id == replies[0].id
    assert adapter.deleted_activities[0].activity_id == replies[0].id

    async def bad_update(context: TurnContext) -> None:
        await context.update_activity(Activity(type="message", text="no id"))

    with pytest.raises(TypeError):
        await adapter.process_activity("x", bad_update)


# -- reply queue -----------------------------------------------------------------------------------


async def test_reply_queue() -> None:
    adapter = TestAdapter(echo)
    assert adapter.get_next_reply() is None
    await adapter.process_activity("1")
    await adapter.process_activity("2")
    assert [a.text for a in adapter.pending_replies] == ["Echo: 1", "Echo: 2"]
    first = adapter.get_next_reply()
    second = adapter.get_next_reply()
    assert first is not None and second is not None
    assert (first.text, second.text) == ("Echo: 1", "Echo: 2")
    assert adapter.get_next_reply() is None


async def test_wait_for_reply_sees_background_sends() -> None:
    tasks: list[asyncio.Task[Any]] = []

    async def later(context: TurnContext) -> None:
        async def send_later() -> None:
            await asyncio.sleep(0.02)
            await context.send_activity("late")

        tasks.append(asyncio.create_task(send_later()))

    adapter = TestAdapter(later)
    replies = await adapter.process_activity("x")
    assert replies == []  # sent after the turn ended
    reply = await adapter.wait_for_reply(timeout=1.0)
    assert reply is not None and reply.text == "late"
    assert await adapter.wait_for_reply(timeout=0.01) is None
    await asyncio.gather(*tasks)


# -- proactive -------------------------------------------------------------------------------------


async def test_continue_conversation_runs_a_recorded_proactive_turn() -> None:
    adapter = TestAdapter(echo)
    seen: list[TurnContext] = []

    async def notify(context: TurnContext) -> None:
        seen.append(context)
        await context.send_activity("reminder")

    replies = await adapter.continue_conversation("app-1", adapter.conversation_reference, notify)
    assert [r.text for r in replies] == ["reminder"]
    reply = replies[0]
    assert reply.recipient is not None and reply.recipient.id == "user1"
    assert reply.conversation is not None and reply.conversation.id == "test-conversation"
    assert seen[0].activity.name == "ContinueConversation"
    assert seen[0].identity is not None
    assert seen[0].identity.claims == {"aud": "app-1", "appid": "app-1"}
    await adapter.send("ignored").assert_reply("reminder").assert_reply("Echo: ignored")


async def test_create_conversation_runs_in_the_new_conversation() -> None:
    adapter = TestAdapter()
    seen: list[str] = []

    async def greet(context: TurnContext) -> None:
        assert context.activity.conversation is not None
        seen.append(context.activity.conversation.id)
        await context.send_activity("welcome")

    params = ConversationParameters(
        members=[ChannelAccount(id="u-2")], conversation=ConversationAccount(id="fresh")
    )
    replies = await adapter.create_conversation(
        "app-1", "test", "https://test.channel.local/", "aud", params, greet
    )
    assert seen == ["fresh"] and [r.text for r in replies] == ["welcome"]


# -- TestFlow --------------------------------------------------------------------------------------


async def test_flow_happy_path() -> None:
    adapter = TestAdapter(EchoAgent())
    flow = await (
        adapter.send("hi")
        .assert_reply("Echo: hi")
        .send("there")
        .assert_reply(lambda reply: reply.text == "Echo: there")
        .test("again", Activity(type="message", text="Echo: again"))
        .assert_no_reply()
    )
    assert isinstance(flow, TestFlow)


async def test_assert_reply_with_a_string_reports_expected_and_actual() -> None:
    adapter = TestAdapter(echo)
    with pytest.raises(AssertionError) as failure:
        await adapter.send("hi").assert_reply("Echo: bye", "greeting")
    message = str(failure.value)
    assert "greeting (reply #1)" in message
    assert "'Echo: bye'" in message and "'Echo: hi'" in message


async def test_assert_reply_with_a_string_requires_a_message() -> None:
    async def typing(context: TurnContext) -> None:
        await context.send_activity(Activity(type="typing", text="Echo: hi"))

    with pytest.raises(AssertionError, match="typing"):
        await TestAdapter(typing).send("hi").assert_reply("Echo: hi")


async def test_assert_reply_with_an_activity_compares_set_fields() -> None:
    adapter = TestAdapter(echo)
    await adapter.send("x").assert_reply(Activity(type="message", input_hint="acceptingInput"))
    with pytest.raises(AssertionError) as failure:
        await adapter.send("y").assert_reply(Activity(type="message", text="nope"))
    assert "'text'" in str(failure.value) and "'Echo: y'" in str(failure.value)


async def test_assert_reply_with_callables() -> None:
    adapter = TestAdapter(echo)

    def raises(reply: Activity) -> None:
        assert reply.text == "Echo: z", "custom message"

    async def async_check(reply: Activity) -> bool:
        return reply.text == "Echo: w"

    await adapter.send("z").assert_reply(raises).send("w").assert_reply(async_check)
    with pytest.raises(AssertionError, match="custom message"):
        await adapter.send("q").assert_reply(raises)
    with pytest.raises(AssertionError, match="rejected"):
        await adapter.send("q").assert_reply(lambda reply: False)
    with pytest.raises(TypeError):
        await adapter.send("q").assert_reply(42)  # type: ignore[arg-type]


async def test_assert_reply_when_nothing_was_sent() -> None:
    async def silent(context: TurnContext) -> None:
        return None

    with pytest.raises(AssertionError, match="sent nothing"):
        await TestAdapter(silent).send("x").assert_reply("anything", timeout=0.01)


async def test_assert_no_reply_fails_on_a_reply() -> None:
    with pytest.raises(AssertionError, match="expected no reply"):
        await TestAdapter(echo).send("x").assert_no_reply()


async def test_assert_replies_numbers_each_reply() -> None:
    async def two(context: TurnContext) -> None:
        await context.send_activity("one")
        await context.send_activity("two")

    adapter = TestAdapter(two)
    await adapter.send("x").assert_replies("one", "two")
    with pytest.raises(AssertionError, match=r"reply #2"):
        await adapter.send("x").assert_replies("one", "three")


async def test_assert_invoke_response() -> None:
    class Answering(ActivityHandler):
        async def on_invoke_activity(self, turn_context: TurnContext) -> InvokeResponse | None:
            return InvokeResponse(status=200, body={"v": 1})

    adapter = TestAdapter(Answering())
    await adapter.send({"type": "invoke", "name": "x"}).assert_invoke_response(200, {"v": 1})
    with pytest.raises(AssertionError, match="status 404"):
        await adapter.send({"type": "invoke", "name": "x"}).assert_invoke_response(404)
    with pytest.raises(AssertionError, match="body"):
        await adapter.send({"type": "invoke", "name": "x"}).assert_invoke_response(200, {})
    with pytest.raises(AssertionError, match="had none"):
        await TestAdapter(echo).send("x").assert_invoke_response(200)


async def test_flows_are_immutable_and_lazy() -> None:
    adapter = TestAdapter(echo)
    base = adapter.send("a")
    assert adapter.sent_activities == []  # nothing runs before awaiting
    await base.assert_reply("Echo: a")
    await base.assert_reply("Echo: a")  # the same base flow runs again
    assert len(adapter.sent_activities) == 2


async def test_delay_and_then_steps() -> None:
    adapter = TestAdapter(echo)
    log: list[str] = []

    async def proactive(a: TestAdapter) -> None:
        async def ping(context: TurnContext) -> None:
            await context.send_activity("ping")

        await a.continue_conversation("app", a.conversation_reference, ping)

    await (
        adapter.send("x")
        .then(lambda a: log.append(f"{len(a.pending_replies)} pending"))
        .delay(0.001)
        .then(proactive)
        .assert_reply("Echo: x")
        .assert_reply("ping")
    )
    assert log == ["1 pending"]
